"""Workbooks and print maps of the s26 audit S: a workbook cell too long for Excel ends at a whole id with a count
(defect 3); the coverage print map names its coordinate system in the sheet's language (defect 6)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from yuanluo.gis.output import EXCEL_CELL_CHARS
from yuanluo.planners.cli import app

runner = CliRunner()
#: the audit's 38-character ids (hh_long.csv), 951 of them as in the Andorra demo
LONG_IDS = [f"Household-with-a-long-identifier-{i:06d}" for i in range(951)]


def _long_inputs(tmp: Path) -> tuple[Path, Path]:
    """All 951 households in one unit, one of them 20 km from the others, so the unit is in two pieces and the
    findings list every id in one cell (38,039 characters, over Excel's 32,767)."""
    hh, plan = tmp / "hh_long.csv", tmp / "plan_long.csv"
    rows = [f"{h},{380000 + 25 * (i % 40) + (20000 if i == 950 else 0)},{4712000 + 25 * (i // 40)}"
            for i, h in enumerate(LONG_IDS)]
    hh.write_text("\n".join(["id,x,y", *rows]) + "\n", encoding="utf-8")
    plan.write_text("\n".join(["户编号,院落编号", *(f"{h},U001" for h in LONG_IDS)]) + "\n", encoding="utf-8")
    return hh, plan


def _long_cells(path: Path) -> list[str]:
    ws = openpyxl.load_workbook(path).worksheets[0]
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and len(c.value) > 1000]


def test_a_findings_cell_longer_than_excel_keeps_ends_at_a_whole_id_with_the_count(tmp_path: Path) -> None:
    """check --csv findings.xlsx wrote a cell of 38,039 characters that Excel cut at 32,767 without a word, in the
    middle of an id (…|Househo). Now the cell ends after its last whole id that fits, with … and the number of ids
    in all; the CSV still lists every id."""
    hh, plan = _long_inputs(tmp_path)
    base = ["check", str(hh), "--crs", "EPSG:32631", "--plan", str(plan), "--min", "10", "--max", "2000"]
    for lang, count in (("zh", "共 951 个"), ("en", "951 in all")):
        out = tmp_path / f"long_{lang}.xlsx"
        r = runner.invoke(app, [*(["--lang", "en"] if lang == "en" else []), *base, "--csv", str(out)])
        assert r.exit_code == 1, r.output
        (cell,) = _long_cells(out)
        assert len(cell) <= EXCEL_CELL_CHARS
        assert cell.endswith(count), cell[-80:]
        kept = cell[:cell.index("…")].replace(";", "|").split("|")
        assert kept == LONG_IDS[:len(kept)], kept[-3:]  # whole ids, none cut
        assert 800 < len(kept) < 951
    r = runner.invoke(app, [*base, "--csv", str(tmp_path / "long.csv")])
    assert r.exit_code == 1, r.output
    text = (tmp_path / "long.csv").read_text(encoding="utf-8-sig")
    assert all(h in text for h in LONG_IDS)
