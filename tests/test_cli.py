"""The command line as a user meets it: exit statuses, messages, and nothing written on bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from badfiles import CASES, HEADER, good_rows, write_csv
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


def _args(path: Path, kwargs: dict[str, object]) -> list[str]:
    args = [str(path)]
    for key, val in kwargs.items():
        flag = "--" + key.replace("_", "-")
        if val is True:
            args.append(flag)
        elif val not in (None, False):
            args += [flag, str(val)]
    return args


def _files(d: Path) -> set[Path]:
    return {p for p in d.rglob("*") if p.is_file()}


@pytest.mark.parametrize("name", sorted(CASES))
def test_validate_bad_file_exits_2_names_code_and_writes_nothing(tmp_path: Path, name: str) -> None:
    case = CASES[name]
    path, kwargs = case.make(tmp_path)
    before = _files(tmp_path)
    res = runner.invoke(app, ["validate", *_args(path, kwargs)])
    assert res.exit_code == 2, res.output
    assert case.code in res.output
    assert "未写出任何结果文件" not in res.output  # validate writes nothing: not said (s38 H)
    assert _files(tmp_path) == before


def test_validate_good_gbk_csv_in_english(tmp_path: Path) -> None:
    p = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(8)], encoding="gbk")
    res = runner.invoke(app, ["validate", str(p), "--crs", "EPSG:4490", "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "8 households" in res.output and "EPSG:4545" in res.output


def test_missing_rule_is_a_usage_error(tmp_path: Path) -> None:
    p = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(8)])
    out = tmp_path / "out.gpkg"
    res = runner.invoke(app, ["delineate", str(p), "--crs", "EPSG:4490", "-o", str(out)])
    assert res.exit_code == 2
    assert "RULE-NONE" in res.output and "--preset" in res.output
    assert not out.exists()


def test_existing_output_is_kept_without_overwrite(tmp_path: Path) -> None:
    p = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(8)])
    out = tmp_path / "out.gpkg"
    out.write_bytes(b"keep me")
    res = runner.invoke(app, ["delineate", str(p), "--crs", "EPSG:4490", "--preset", "banan", "-o", str(out)])
    assert res.exit_code == 2
    assert "OUT-EXISTS" in res.output
    assert out.read_bytes() == b"keep me"


def test_unknown_option_is_exit_2() -> None:
    res = runner.invoke(app, ["validate", "--no-such-flag"])
    assert res.exit_code == 2
