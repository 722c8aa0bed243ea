"""Audit of the maturity score sheet and layers: headers in the run's language and read back in either, columns
as wide as their headers, the unit-name instruction true, filled cells counted, the weakest in words; and the
quickstart notebook's text matching what its run shows."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import nbformat
import numpy as np
import openpyxl
import pyogrio
import pytest

from yuanluo.gis.errors import InputError
from yuanluo.gis.output import write_layers
from yuanluo.maps.sample import sample_layers
from yuanluo.planners import maturity as M

FIRST_SCORE_COL = 9
HAN = re.compile(r"[\u3400-\u9fff]")
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "quickstart.ipynb"


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("mat_audit")
    layers = sample_layers(100, block=5)
    write_layers(d / "result.gpkg", {k: v for k, v in layers.items() if k != "run"})
    return d / "result.gpkg"


def _wide(s: str) -> int:
    """Character widths in a spreadsheet: a CJK character counts two."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in s)


def _fill(template: Path, out: Path, *, bad: bool = False) -> int:
    """Scores in the first three units' rows, one cell left blank; returns the filled cells."""
    wb = openpyxl.load_workbook(template)
    ws = wb.worksheets[0]
    rng = np.random.default_rng(1)
    filled = 0
    for r in (2, 3, 4):
        ws.cell(r, 6, "2026Q1")
        for c in range(FIRST_SCORE_COL, FIRST_SCORE_COL + 18):
            if (r, c) == (3, FIRST_SCORE_COL + 4):
                continue
            ws.cell(r, c, int(rng.integers(1, 11)))
            filled += 1
    if bad:
        ws.cell(2, FIRST_SCORE_COL + 1, 0)
    wb.save(out)
    return filled


def test_english_template_has_english_headers_and_either_language_reads_back(result: Path, tmp_path: Path) -> None:
    en = M.write_template(result, tmp_path / "en.xlsx", lang="en")
    ws = openpyxl.load_workbook(en).worksheets[0]
    header = [c.value for c in ws[1]]
    assert not [h for h in header if HAN.search(str(h))], header
    assert header[0] == "Unit ID" and header[FIRST_SCORE_COL - 1] == "Policy publicity-Content"
    zh = M.write_template(result, tmp_path / "zh.xlsx", lang="zh")
    assert openpyxl.load_workbook(zh).worksheets[0]["I1"].value == "政策宣讲-开展内容"
    for sheet, lang in ((en, "zh"), (zh, "en")):  # each sheet loaded in the other language
        filled = _fill(sheet, tmp_path / f"filled_{lang}.xlsx")
        res = M.load_scores(result, tmp_path / f"filled_{lang}.xlsx", tmp_path / f"m_{lang}.gpkg", lang=lang)
        assert int(res.scores["score"].notna().sum()) == filled
    _fill(en, tmp_path / "bad.xlsx", bad=True)
    with pytest.raises(InputError) as e:
        M.load_scores(result, tmp_path / "bad.xlsx", tmp_path / "bad.gpkg", lang="en")
    text_en = e.value.render("en")
    assert e.value.codes == ["MAT-SCORE"] and "'Policy publicity-Effect'" in text_en and not HAN.search(text_en)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_columns_are_as_wide_as_their_headers_and_wrap(result: Path, tmp_path: Path, lang: str) -> None:
    ws = openpyxl.load_workbook(M.write_template(result, tmp_path / f"{lang}.xlsx", lang=lang)).worksheets[0]
    for cell in ws[1]:
        width = ws.column_dimensions[cell.column_letter].width
        header = str(cell.value)
        words = re.split(r"(?<=[\s-])", header)
        assert cell.alignment.wrap_text
        assert width >= max(_wide(w) for w in words), (header, width)   # no word is cut
        if lang == "zh":
            assert width >= _wide(header), (header, width)           # CJK counts double


def test_unit_name_instruction_is_true(result: Path, tmp_path: Path) -> None:
    units = M.read_units(result)
    assert units["name"].isna().all()  # a delineation result carries no unit name
    for lang, left in (("zh", "留空"), ("en", "left for you")):
        wb = openpyxl.load_workbook(M.write_template(result, tmp_path / f"{lang}.xlsx", lang=lang))
        assert all(wb.worksheets[0].cell(r, 2).value is None for r in range(2, wb.worksheets[0].max_row + 1))
        first = wb.worksheets[1]["B2"].value  # after 序号 (s33: QGIS reads the header)
        assert left in first, first
    named = units.assign(name=[f"院{k}" for k in range(len(units))])
    ws = openpyxl.load_workbook(io.BytesIO(M.template_bytes(named))).worksheets[0]
    assert ws["B2"].value == "院0"  # filled in when the units have names


def test_load_counts_only_filled_cells(result: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from yuanluo.planners.cli.app import app

    sheet = M.write_template(result, tmp_path / "t.xlsx")
    filled = _fill(sheet, tmp_path / "f.xlsx")
    r = CliRunner().invoke(app, ["maturity", "load", str(result), str(tmp_path / "f.xlsx"), "-o",
                                 str(tmp_path / "m.gpkg"), "--lang", "en"])
    assert r.exit_code == 0, r.output
    assert f", {filled} scores read" in r.output, r.output


def test_weakest_is_written_in_words_in_the_runs_language(result: Path, tmp_path: Path) -> None:
    sheet = M.write_template(result, tmp_path / "t.xlsx")
    _fill(sheet, tmp_path / "f.xlsx")
    M.load_scores(result, tmp_path / "f.xlsx", tmp_path / "m.gpkg", lang="zh")
    for layer in ("units_maturity", "unit_maturity", "village_maturity"):
        df = pyogrio.read_dataframe(tmp_path / "m.gpkg", layer=layer, read_geometry=False)
        rated = df[df["weakest"].notna()]
        assert len(rated) and set(",".join(rated["weakest"]).split(",")) <= set(M.CATEGORY_KEYS)  # keys kept
        for key, words in zip(rated["weakest"], rated["weakest_name"], strict=True):
            assert words == M.weakest_names(key, "zh") and HAN.search(words) and not re.search("[a-z]", words)
        assert df.loc[df["weakest"].isna(), "weakest_name"].isna().all()


def test_quickstart_text_matches_its_run() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    outs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    stream = "".join(o.get("text", "") for o in outs if o.get("output_type") == "stream")
    tables = [o["data"].get("text/plain", "") for o in outs if "data" in o and "状态" in o["data"].get("text/plain", "")]
    assert "如实列为错误" not in md
    if "警告 HEAD-EXCEPTION" in stream:
        assert "HEAD-EXCEPTION" in md
    assert tables and not re.search(r"\b(ok|exception|violation)\b", tables[0]), tables
    assert "；违规" not in stream and "；错误" in stream and "；警告" in stream


def test_a_unit_id_that_looks_like_a_formula_stays_text_in_the_template() -> None:
    """openpyxl stores a string starting with "=" as a formula: a unit id or village "=1+1" became a formula
    Excel would compute. It is a text cell now, as it is in the plan workbooks."""
    import io

    import openpyxl
    import pandas as pd

    from yuanluo.planners.maturity import template_bytes

    u = pd.DataFrame({"unit_id": ["=1+1", "U2"], "name": [None, "@SUM(A1)"], "village": ["=cmd|calc", "东村"],
                      "group": [None] * 2, "n_households": [30, 25]})
    ws = openpyxl.load_workbook(io.BytesIO(template_bytes(u))).worksheets[0]
    cells = [c for row in ws.iter_rows(min_row=2, max_row=3) for c in row if c.value is not None]
    assert {c.value for c in cells if c.data_type == "s"} >= {"=1+1", "@SUM(A1)", "=cmd|calc"}
    assert not [c for c in cells if c.data_type == "f"]
