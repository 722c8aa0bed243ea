"""Session 39 (helper B): ``yuanluo check`` with no output option (no --report, --json, --csv, --map) ended its
errors on bad input with '(no output file was written)' / （未写出任何结果文件）, as if it had been going to write
one. It is now said only by a run that was to write something."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_fixtures import run_cli

NOTHING = {"zh": "未写出任何结果文件", "en": "no output file was written"}


def _dup_ids(folder: Path) -> tuple[Path, Path]:
    hh = folder / "hh.csv"
    hh.write_text("户编号,经度,纬度\n000175,106.51234,29.51234\n000175,106.51457,29.51311\n"
                  "000176,106.51689,29.51422\n", encoding="utf-8")
    plan = folder / "plan.csv"
    plan.write_text("户编号,院落\n000175,U1\n000176,U1\n", encoding="utf-8")
    return hh, plan


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_without_outputs_does_not_say_nothing_was_written(tmp_path: Path, lang: str) -> None:
    hh, plan = _dup_ids(tmp_path)
    out = run_cli(["--lang", lang, "check", str(hh), "--crs", "EPSG:4490", "--plan", str(plan)], lang, code=2)
    assert "ID-DUP" in out and NOTHING[lang] not in out, out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_without_outputs_missing_file(tmp_path: Path, lang: str) -> None:
    _, plan = _dup_ids(tmp_path)
    out = run_cli(["--lang", lang, "check", str(tmp_path / "无.csv"), "--plan", str(plan)], lang, code=2)
    assert "IO-NOTFOUND" in out and NOTHING[lang] not in out, out


@pytest.mark.parametrize(("lang", "option", "name"), [("zh", "--json", "f.json"), ("en", "--report", "r.html"),
                                                      ("en", "--csv", "f.csv")])
def test_check_with_an_output_still_says_it(tmp_path: Path, lang: str, option: str, name: str) -> None:
    hh, plan = _dup_ids(tmp_path)
    out = run_cli(["--lang", lang, "check", str(hh), "--crs", "EPSG:4490", "--plan", str(plan),
                   option, str(tmp_path / name)], lang, code=2)
    assert "ID-DUP" in out and NOTHING[lang] in out, out
    assert not (tmp_path / name).exists()


def test_a_run_after_it_says_it_again(tmp_path: Path) -> None:
    hh, plan = _dup_ids(tmp_path)
    run_cli(["--lang", "en", "check", str(hh), "--crs", "EPSG:4490", "--plan", str(plan)], "en", code=2)
    out = run_cli(["--lang", "en", "delineate", str(hh), "--crs", "EPSG:4490", "-o", str(tmp_path / "u.gpkg")],
                  "en", code=2)
    assert "ID-DUP" in out and NOTHING["en"] in out, out
