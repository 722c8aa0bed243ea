"""Session 38 audit (helper H): household ids written full-width (``０００１７５``) were read as ``000175`` and a
footer ``制表人：张三`` quoted back as ``制表人:张三`` without a word, so the id in a message did not match what the
file shows. The reading now says so (ID-NFKC, with the cell as written and as read)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.gis.io import read_households
from yuanluo.planners.cli import app

runner = CliRunner()
HEAD = "户编号,村,组,人口,经度,纬度\n"


def _csv(tmp: Path, ids: list[str]) -> Path:
    rows = [f"{h},新华村,1组,3,{106.5 + 0.0003 * i:.6f},{29.5 + 0.0002 * i:.6f}" for i, h in enumerate(ids)]
    p = tmp / "hh.csv"
    p.write_text(HEAD + "\n".join(rows) + "\n", encoding="utf-8")
    return p


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_full_width_ids_are_said_as_written_and_as_read(tmp_path: Path, lang: str) -> None:
    p = _csv(tmp_path, ["０００１７５", "０００１７６", "000177"])
    res = runner.invoke(app, ["--lang", lang, "validate", str(p), "--crs", "EPSG:4490"], env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    assert "ID-NFKC" in res.output and "“０００１７５”" in res.output and "“000175”" in res.output, res.output
    assert {"zh": "第 2、3 行", "en": "rows 2, 3"}[lang] in res.output, res.output


def test_footer_cell_quoted_as_written(tmp_path: Path) -> None:
    p = _csv(tmp_path, ["1", "2", "制表人：张三"])
    res = runner.invoke(app, ["--lang", "zh", "validate", str(p), "--crs", "EPSG:4490"], env={"COLUMNS": "400"})
    assert "“制表人：张三”读作“制表人:张三”" in res.output, res.output


def test_half_width_ids_say_nothing(tmp_path: Path) -> None:
    _, rep = read_households(_csv(tmp_path, ["0001", " 0002 ", "0003"]), crs="EPSG:4490")
    assert "ID-NFKC" not in [w.code for w in rep.warnings]
