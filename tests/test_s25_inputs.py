"""Session 25: planner inputs (mixed encodings, 东经/北纬 coordinates, swapped candidate columns, meeting
points, written outputs, Excel id formats): each problem a coded error naming what to do, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from badfiles import HEADER, good_rows, write_csv
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


# ------------------------------------------------------------------ 1. a CSV in two encodings (audit C 6)
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("encoding", [[], ["--encoding", "utf-8"], ["--encoding", "gb18030"], ["--encoding", "gbk"]])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_header_in_utf8_body_in_gbk_is_named_mixed(tmp_path: Path, bom: bytes, encoding: list[str],
                                                    lang: str) -> None:
    """A UTF-8 header (with or without BOM) over GBK rows: ENC-MIXED names the GBK rows and says to save the
    file in one encoding; never ENC-WRONG's "--encoding gb18030", which leads to a garbled CSV-HEADER."""
    hh = tmp_path / "mix.csv"
    hh.write_bytes(bom + (HEADER + "\n").encode("utf-8") + ("\n".join(good_rows(4)) + "\n").encode("gbk"))
    res = runner.invoke(app, ["validate", str(hh), "--crs", "EPSG:4490", *encoding, "--lang", lang])
    assert res.exit_code == 2, res.output
    assert "ENC-MIXED" in res.output and "CSV-HEADER" not in res.output and "ENC-WRONG" not in res.output
    assert ("第 2、3、4、5 行" if lang == "zh" else "rows 2, 3, 4, 5") in res.output, res.output
    assert "CSV UTF-8" in res.output and "--encoding" not in res.output, res.output


def test_header_in_gbk_body_in_utf8_is_named_mixed(tmp_path: Path) -> None:
    hh = tmp_path / "mix.csv"
    rows = good_rows(3)
    hh.write_bytes((HEADER + "\n" + rows[0] + "\n").encode("gbk") + ("\n".join(rows[1:]) + "\n").encode("utf-8"))
    res = runner.invoke(app, ["validate", str(hh), "--crs", "EPSG:4490", "--lang", "en"])
    assert res.exit_code == 2 and "ENC-MIXED" in res.output and "rows 3, 4" in res.output, res.output


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_one_encoding_files_are_not_mixed(tmp_path: Path, encoding: str) -> None:
    """Names in rare characters (valid UTF-8 but not common hanzi) do not make a UTF-8 file look mixed."""
    rows = [r.replace("一组", "𠮷龘组") if i % 2 else r for i, r in enumerate(good_rows(6))]
    if encoding == "gbk":
        rows = good_rows(6)
    hh = write_csv(tmp_path, "hh.csv", [HEADER, *rows], encoding=encoding)
    res = runner.invoke(app, ["validate", str(hh), "--crs", "EPSG:4490", "--lang", "en"])
    assert "ENC-" not in res.output, res.output


# ------------------------------------------------------------------ 2. 东经/北纬 in front (audit C 7)
@pytest.mark.parametrize(("lon", "lat"), [
    ("东经106°30′0″", "北纬29°30′0″"), ("东经106.5", "北纬29.5"), ("E106.5", "N29.5"), ("106.5E", "29.5N"),
    ("东经 106 30 0", "北纬：29°30′"), ("E 106°30′", "N 29°30′"),
])
def test_hemisphere_in_front_reads_as_the_suffix_form(tmp_path: Path, lon: str, lat: str) -> None:
    """东经107°44′0.43″ and E107.733 read as 107°44′0.43″E does (they were COORD-PARSE)."""
    from yuanluo.gis.io import read_households

    suffix = write_csv(tmp_path, "a.csv", [HEADER, "001,106°30′0″E,29°30′0″N,3,一组", "002,106.5004,29.5003,2,一组"])
    prefix = write_csv(tmp_path, "b.csv", [HEADER, f"001,{lon},{lat},3,一组", "002,106.5004,29.5003,2,一组"])
    a, _ = read_households(suffix, crs="EPSG:4490")
    b, _ = read_households(prefix, crs="EPSG:4490")
    assert b.geometry.x.round(6).tolist() == a.geometry.x.round(6).tolist()
    assert b.geometry.y.round(6).tolist() == a.geometry.y.round(6).tolist()


def test_hemisphere_in_front_on_the_cli(tmp_path: Path) -> None:
    hh = write_csv(tmp_path, "hh.csv", [HEADER, *[r.replace(",106.", ",东经106.").replace(",29.", ",北纬29.")
                                                 for r in good_rows(4)]])
    res = runner.invoke(app, ["validate", str(hh), "--crs", "EPSG:4490", "--lang", "en"])
    assert res.exit_code == 0 and "COORD-PARSE" not in res.output, res.output


# ------------------------------------------------------------------ 3. swapped candidate columns (audit D 12)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_swapped_point_columns_say_to_swap_the_names_and_nothing_more(tmp_path: Path, lang: str) -> None:
    """COORD-SWAP in a table of points (cover --candidates has no --x-col/--y-col) says to swap the two
    column names in the file, and no generic POINTS-COORD follows for the same rows."""
    from yuanluo.gis.errors import InputError
    from yuanluo.gis.io import read_points

    f = write_csv(tmp_path, "cand.csv", ["名称,纬度,经度", "村委会,107.733927,29.80406", "院坝,107.739462,29.795667"])
    with pytest.raises(InputError) as info:
        read_points(f, kind="candidates", working_crs="EPSG:4545", crs="EPSG:4490")
    assert info.value.codes == ["COORD-SWAP"], info.value.codes
    said = info.value.problems[0].message(lang)
    assert "--x-col" not in said and ("列名" in said if lang == "zh" else "names of the two columns" in said), said


def test_swapped_household_columns_still_name_the_column_options(tmp_path: Path) -> None:
    hh = write_csv(tmp_path, "hh.csv", ["户编号,纬度,经度,人口,村民小组", "001,106.55,29.56,3,一组",
                                         "002,106.551,29.561,2,一组"])
    res = runner.invoke(app, ["validate", str(hh), "--crs", "EPSG:4490", "--lang", "en"])
    assert res.exit_code == 2 and "COORD-SWAP" in res.output and "--x-col" in res.output, res.output


# ------------------------------------------------------------------ 4. a unit with no meeting point
def test_a_unit_without_a_meeting_point_is_said_in_a_sentence() -> None:
    """"unit B has no meeting point …", not "the meeting point - of unit B is not given"; the other case
    ("unit B has the meeting point h0101, which is not one of its households") reads as a sentence too."""
    import pandas as pd
    from test_check import base

    from yuanluo.gis.check import check_plan
    from yuanluo.gis.rules import Rules

    hh, g, lab, _, _ = base()
    res = check_plan(hh, lab, Rules(10, 14, max_walk_min=5), graph=g, meeting_points=pd.Series({"A": "h0401"}))
    v = res.violations.set_index("unit_id") if "unit_id" in res.violations else res.violations.set_index("unit")
    en, zh = v["message_en"].to_dict(), v["message_zh"].to_dict()
    assert "PLAN-MEETING: unit B has no meeting point (" in en["B"] and " - " not in en["B"], en
    assert "PLAN-MEETING：院落 B 没有议事点（" in zh["B"], zh
    assert "PLAN-MEETING: unit A has the meeting point h0401, which is not one of its households." in en["A"], en
    assert "PLAN-MEETING：院落 A 的议事点 h0401 不是本院落的农户。" in zh["A"], zh


# ------------------------------------------------------------------ 5. one unit, several meeting points
def test_several_meeting_points_of_one_unit_are_an_error(tmp_path: Path) -> None:
    """Two rows for U001 naming different households: MEET-DUP names the file, the unit and both rows (the
    first row was kept in silence); a row repeated word for word is harmless."""
    from yuanluo.gis.errors import InputError
    from yuanluo.gis.plan import read_meeting_points

    f = write_csv(tmp_path, "mp.csv", ["院落编号,户编号", "U001,001", "U002,004", "U001,002", "U003,007", "U003,007"])
    with pytest.raises(InputError) as info:
        read_meeting_points(f)
    p = info.value.problems[0]
    assert (p.code, p.rows, p.file) == ("MEET-DUP", (2, 4), str(f))
    assert "U001" in p.message("en") and "rows 2, 4" in p.message("en") and "mp.csv" in p.message("zh")
    assert "U003" not in p.message("en")
    ok = write_csv(tmp_path, "ok.csv", ["院落编号,户编号", "U001,001", "U003,007", "U003,007"])
    got = read_meeting_points(ok)
    assert got.to_dict() == {"U001": "001", "U003": "007"} and got.attrs["rows"] == [2, 3]


# ------------------------------------------------------------------ 6. OUT-EXISTS from Python
def test_out_exists_from_python_names_overwrite_true(tmp_path: Path) -> None:
    """write_layers(..., overwrite=False) onto an existing file: the fix names overwrite=True (a caller from
    Python has no --overwrite), in both languages; the file is left as it was."""
    import pandas as pd

    from yuanluo.gis.errors import OutputError
    from yuanluo.gis.output import write_layers

    out = tmp_path / "t.csv"
    out.write_bytes(b"old")
    with pytest.raises(OutputError) as info:
        write_layers(out, {"units": pd.DataFrame({"unit_id": ["U001"]})})
    p = info.value.problems[0]
    assert p.code == "OUT-EXISTS" and out.read_bytes() == b"old"
    assert "overwrite=True" in p.fix("en") and "“overwrite=True”" in p.fix("zh"), p.fix("en")


# ------------------------------------------------------------------ 7. ids formatted with text ("U"000)
def _formatted_book(path: Path, rows: list[list[object]], formats: dict[int, str]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if cell.column in formats:
                cell.number_format = formats[cell.column]
    wb.save(path)
    return path


def test_score_sheet_ids_formatted_as_text_read_as_excel_shows_them(tmp_path: Path) -> None:
    """A 院落编号 cell holding 7 formatted "U"000 shows U007 in Excel: read as U007, not 7; a score formatted
    0"分" (3分) stays the number 3."""
    from yuanluo.gis.maturity import read_sheets

    p = _formatted_book(tmp_path / "s.xlsx", [["院落编号", "政策宣讲-内容"], [7, 3], [12, 4]],
                        {1: '"U"000', 2: '0"分"'})
    assert read_sheets(p)[0].cells[1:] == [["U007", "3"], ["U012", "4"]]


def test_plan_ids_formatted_as_text_read_as_excel_shows_them(tmp_path: Path) -> None:
    import pandas as pd

    from yuanluo.gis.plan import read_plan_table

    hh = pd.DataFrame({"x": [0.0, 1.0]}, index=pd.Index(["H001", "H002"], name="hid"))
    p = _formatted_book(tmp_path / "plan.xlsx", [["户编号", "院落编号"], [1, 7], [2, 7]], {1: r"\H000", 2: '"U"000'})
    got = read_plan_table(p, hh)
    assert got.labels.to_dict() == {"H001": "U007", "H002": "U007"}, got
