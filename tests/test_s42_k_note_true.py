"""The 说明 sheet of ``delineate --xlsx`` said that checking the table itself (``check 农户文件 --plan 本表.xlsx``)
reports the exceptions as violations (它们会报为违规); the check passes and lists an island's size and an area
short of candidates as SIZE-EXCEPTION / HEAD-EXCEPTION warnings (audit I). The note now says what the check does."""
from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from shared_fixtures import run_cli

from yuanluo.gis.catalogue import text


def _households(folder: Path) -> Path:
    """24 households in a row (every fifth a party member) and one far away: an island of one."""
    rows = ["户编号,经度,纬度,人口,党员"]
    rows += [f"{i:03d},{106.55 + 0.0004 * i:.6f},{29.56 + 0.0003 * (i % 3):.6f},3,{'是' if i % 5 == 0 else '否'}"
             for i in range(1, 25)]
    rows.append("025,106.600000,29.600000,3,否")
    p = folder / "hh.csv"
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return p


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_note_says_what_checking_the_table_gives(tmp_path: Path, lang: str) -> None:
    hh = _households(tmp_path)
    xlsx = tmp_path / "plan.xlsx"
    run_cli(["delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "-o", str(tmp_path / "r.gpkg"),
             "--xlsx", str(xlsx), "-q"], lang)
    note = openpyxl.load_workbook(xlsx)[text("plan.notes_sheet", lang)]
    said = " ".join(str(r[1]) for r in note.iter_rows(min_row=2, values_only=True))
    assert ("它们会报为违规" if lang == "zh" else "they are reported as violations") not in said
    assert "SIZE-EXCEPTION" in said and "HEAD-EXCEPTION" in said
    # and it is what the check of the table does: it passes, the island a warning of each kind
    run_cli(["check", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "--plan", str(xlsx),
             "--json", str(tmp_path / "j.json")], lang, code=0)
    found = json.loads((tmp_path / "j.json").read_text(encoding="utf-8"))["violations"]
    codes = {(f["code"], f["severity"]) for f in found}
    assert {("SIZE-EXCEPTION", "warning"), ("HEAD-EXCEPTION", "warning")} <= codes
    assert not [f for f in found if f["severity"] == "error"]
