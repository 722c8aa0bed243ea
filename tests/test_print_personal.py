"""What is printed or handed out — the per-unit A4 sheets, the ``--xlsx`` plan — carries personal data only by
explicit request: the maps' allow-list (by column name and by content), and sheets that finish on hostile ids."""

from __future__ import annotations

import io
import shutil
import subprocess
import time

import openpyxl
import pandas as pd
import pytest

from yuanluo.gis.personal import content_kind, listed_fields
from yuanluo.maps import static_units
from yuanluo.maps.sample import sample_layers
from yuanluo.maps.static_units import render_unit_sheets, unit_list
from yuanluo.planners.tables import plan_frames, plan_xlsx


def _phone_settlements(n: int = 60) -> dict:
    """Sample layers whose settlement column holds mobile numbers (no personal column name) and whose village
    is a plain name."""
    lyr = sample_layers(n, block=4, seed=1)
    hh = lyr["households"].copy()
    hh["settlement"] = [f"13912345{i:03d}" for i in range(len(hh))]
    hh["village"] = "甲村"
    lyr["households"] = hh
    return lyr


def _pdf_text(pdf: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "sheets.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


# ------------------------------------------------------------------------------ personal data by content
def test_listed_fields_is_the_maps_allow_list_limited_to_the_tables_columns():
    hh = _phone_settlements()["households"]
    cols = ["group", "settlement", "persons", "head_candidate", "village"]
    assert listed_fields(hh, cols) == (["group", "persons", "head_candidate", "village"], {"settlement": "mobile"})
    assert listed_fields(hh, cols, ["settlement"]) == (["group", "persons", "head_candidate", "village"],
                                                       {"settlement": "mobile"})  # named, but not allowed
    assert listed_fields(hh, cols, ["settlement", "户主姓名"], include_personal=True)[0] == [
        "group", "settlement", "persons", "head_candidate", "village"]  # never a column the table does not have


def test_unit_sheets_leave_out_a_column_of_phone_numbers(tmp_path, monkeypatch):
    lyr = _phone_settlements()
    assert "settlement" not in unit_list(lyr["households"], "U001").columns
    seen: list[list[str]] = []
    table = static_units._table

    def spy(fig, rows, lang, **kw):
        seen.append(list(rows.columns))
        return table(fig, rows, lang, **kw)

    monkeypatch.setattr(static_units, "_table", spy)
    pdf = render_unit_sheets(lyr, units=["U001"], dpi=40)
    assert seen and all("settlement" not in cols and "group" in cols for cols in seen)
    words = _pdf_text(pdf, tmp_path)
    assert "139123" not in words and "张0" not in words
    assert "含个人信息未列出的列：自然院落" in words  # the list says what it leaves out
    # named with --fields and --include-personal, as for the maps: then it is listed
    seen.clear()
    pdf = render_unit_sheets(lyr, units=["U001"], dpi=40, fields=["settlement"], include_personal=True)
    assert seen and all("settlement" in cols for cols in seen)
    words = _pdf_text(pdf, tmp_path)
    assert "13912345000" in words and "未列出" not in words


def test_xlsx_plan_leaves_out_a_column_of_phone_numbers_and_keeps_the_ids():
    lyr = _phone_settlements()
    lyr["households"] = lyr["households"].reset_index()
    table, units = plan_frames(lyr)
    assert "settlement" not in table.columns and {"hid", "unit_id", "village", "group"} <= set(table.columns)
    ws = openpyxl.load_workbook(io.BytesIO(plan_xlsx(lyr))).worksheets[0]
    cells = [str(c.value) for row in ws.iter_rows() for c in row]
    assert "自然院落" not in cells and not any(v.startswith("139123") for v in cells)
    assert "村民小组" in cells and "甲村" in cells
    asked = openpyxl.load_workbook(io.BytesIO(plan_xlsx(lyr, "zh", ["settlement"], include_personal=True)))
    assert "13912345000" in [str(c.value) for row in asked.worksheets[0].iter_rows() for c in row]
    # household ids that are id-card numbers stay: they are the plan's key (ID-PERSONAL warns of them)
    ids = [_id_card(f"11010519491231{i:03d}") for i in range(len(lyr["households"]))]
    lyr["households"]["hid"] = ids
    assert content_kind(pd.Series(ids)) == "id_number"
    assert sorted(plan_frames(lyr)[0]["hid"]) == sorted(ids)


def _id_card(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]


def test_a_phone_column_of_the_units_table_is_left_out_of_the_units_sheet():
    lyr = sample_layers(40, block=5, seed=1)
    lyr["households"] = lyr["households"].reset_index()
    units = lyr["units"].copy()
    units["group"] = [f"1381234{i:04d}" for i in range(len(units))]
    lyr["units"] = units
    assert "group" not in plan_frames(lyr)[1].columns and "village" in plan_frames(lyr)[1].columns


# ------------------------------------------------------------------------------ hostile ids and names
def test_cut_measures_a_long_unbreakable_text_a_bounded_number_of_times():
    calls: list[int] = []

    def fits(s: str) -> bool:
        calls.append(len(s))
        return len(s) <= 40

    out = static_units.cut_fitting("L" * 3000, fits)
    assert out == "L" * 39 + "…" and len(calls) <= 14
    assert static_units.cut_fitting("short", fits) == "short"


def test_a_cell_is_one_line_whatever_it_holds():
    assert static_units._cell("S4\r=1+1", "settlement", "zh") == "S4 =1+1"
    assert static_units._cell("a\nb\tc\u2028d", "group", "zh") == "a b c d"


def test_sheets_of_hostile_ids_and_a_very_long_settlement_finish_and_keep_the_title(tmp_path):
    lyr = sample_layers(60, block=4, seed=1)
    long_id = "L" * 500
    hh = lyr["households"].copy()
    hh["unit_id"] = hh["unit_id"].replace({"U001": long_id, "U002": "\u202e100"})
    hh["settlement"] = "S" + "长" * 3000  # one name for the whole unit, too long for any page
    lyr["households"] = hh
    units = lyr["units"].copy()
    units["unit_id"] = units["unit_id"].replace({"U001": long_id, "U002": "\u202e100"})
    lyr["units"] = units
    t = time.perf_counter()
    pdf = render_unit_sheets(lyr, units=[long_id], dpi=40)
    assert time.perf_counter() - t < 30
    words = _pdf_text(pdf, tmp_path)
    first = words.splitlines()[0]
    assert first.startswith("院落 LLL") and "…" in first and first.endswith("工作单（院落长用）")
    assert "长长长…" in words


def test_the_map_command_lists_a_personal_column_on_the_sheets_only_when_asked(tmp_path):
    """``map --per-unit`` left a personal column out even with ``--fields settlement --include-personal``: the
    command did not pass the map's allow-list to the sheets."""
    from typer.testing import CliRunner

    from yuanluo.gis.output import write_layers
    from yuanluo.planners.cli import app

    lyr = _phone_settlements(40)
    write_layers(tmp_path / "r.gpkg", {k: v for k, v in lyr.items() if k != "run"})
    texts = {}
    for name, extra in (("plain", []), ("asked", ["--fields", "settlement", "--include-personal"])):
        out = tmp_path / f"{name}.pdf"
        res = CliRunner().invoke(app, ["map", str(tmp_path / "r.gpkg"), "--per-unit", str(out), "-q", *extra])
        assert res.exit_code == 0, res.output
        texts[name] = _pdf_text(out.read_bytes(), tmp_path)
    assert "13912345" not in texts["plain"] and "13912345" in texts["asked"]
