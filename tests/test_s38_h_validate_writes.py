"""Session 38 audit (helper H): ``yuanluo validate`` writes nothing, yet its errors ended with
"（未写出任何结果文件）" / "(no output file was written)". Said now only by the commands that write."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()
NOTHING = {"zh": "未写出任何结果文件", "en": "no output file was written"}


def _bad(tmp_path: Path) -> Path:
    p = tmp_path / "bad.csv"
    p.write_text("户编号,经度,纬度\n1,106.5,29.5\n1,106.5,29.6\n", encoding="utf-8")
    return p


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_validate_errors_do_not_say_nothing_was_written(tmp_path: Path, lang: str) -> None:
    res = runner.invoke(app, ["--lang", lang, "validate", str(_bad(tmp_path)), "--crs", "EPSG:4490"],
                        env={"COLUMNS": "400"})
    assert res.exit_code == 2 and "ID-DUP" in res.output, res.output
    assert NOTHING[lang] not in res.output, res.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_delineate_errors_still_say_it(tmp_path: Path, lang: str) -> None:
    res = runner.invoke(app, ["--lang", lang, "delineate", str(_bad(tmp_path)), "--crs", "EPSG:4490",
                              "--preset", "banan", "-o", str(tmp_path / "r.gpkg")], env={"COLUMNS": "400"})
    assert res.exit_code == 2 and "ID-DUP" in res.output, res.output
    assert NOTHING[lang] in res.output and not (tmp_path / "r.gpkg").exists(), res.output
