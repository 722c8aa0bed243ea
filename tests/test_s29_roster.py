"""Household rosters as Excel saves them (audit I §2, §3): a sheet with merged 村/组 cells saved as CSV (the
name only on the first household of each block, blanks under it), and a workbook whose first sheet is a
summary (汇总) before the roster."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import openpyxl
import pytest
from badfiles import LAT0, LON0
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()
HEAD = "户编号,村,组,人口,经度,纬度"


def _line(i: int, village: str, group: str) -> str:
    return f"{i + 1:03d},{village},{group},{2 + i % 4},{LON0 + 0.0004 * i:.6f},{LAT0 + 0.0003 * (i % 3):.6f}"


def _merged_csv(tmp: Path, cells: list[tuple[str, str]], name: str = "花名册.csv") -> Path:
    """A roster saved by Excel on Chinese Windows: GBK, CRLF, a title row and a blank row above the header."""
    lines = ["石龙村农户花名册,,,,,", ",,,,,", HEAD, *(_line(i, v, g) for i, (v, g) in enumerate(cells))]
    p = tmp / name
    p.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    return p


def _blocks(*spec: tuple[str, int]) -> list[str]:
    """Each value on the first of its ``n`` rows, blanks under it (a merged range saved as CSV)."""
    return [v if k == 0 else "" for v, n in spec for k in range(n)]


def _validate(p: Path, lang: str = "zh") -> str:
    res = runner.invoke(app, ["validate", str(p), "--crs", "EPSG:4490", "--lang", lang])
    assert res.exit_code == 0, res.output
    return res.output


def _said(out: str) -> dict[str, str]:
    """column -> NEST-BLANK or NEST-FILLED, as the Chinese output says them."""
    return {m[1]: m[0] for m in re.findall(r"(NEST-BLANK|NEST-FILLED)：文件 [^\n]*?：列“([^”]+)”", out)}


def test_merged_village_and_group_cells_saved_as_csv_are_filled_down(tmp_path: Path) -> None:
    """Was: NEST-BLANK for both columns and a plan cutting the first household of each group off alone, the
    blank ones nested as one group across the real groups. Now filled down (NEST-FILLED), as the .xlsx is."""
    cells = list(zip(_blocks(("石龙村", 16)), _blocks(("一组", 8), ("二组", 8)), strict=True))
    p = _merged_csv(tmp_path, cells)
    out = tmp_path / "o.gpkg"
    res = runner.invoke(app, ["delineate", str(p), "--crs", "EPSG:4490", "--min", "4", "--max", "8",
                              "-o", str(out), "--lang", "zh"])
    assert res.exit_code == 0, res.output
    assert "NEST-BLANK" not in res.output and "NEST-FILLED" in res.output, res.output
    said = _validate(p)
    assert _said(said) == {"村": "NEST-FILLED", "组": "NEST-FILLED"}, said
    assert f"文件 {p}：列“村”有 15 户为空（第 5、6、7、8、9 行" in said and "列“组”有 14 户为空" in said, said
    assert "若空白表示未知而不是与上方相同，请在文件中逐户填写" in said, said
    hh = gpd.read_file(out, layer="households")
    assert set(hh["village"]) == {"石龙村"}
    assert hh.sort_values("hid")["group"].tolist() == ["一组"] * 8 + ["二组"] * 8
    per_unit = hh.groupby("unit_id")
    assert (per_unit["group"].nunique() == 1).all() and (per_unit.size() >= 4).all(), hh[["hid", "unit_id", "group"]]


def test_nest_filled_in_english_names_file_column_rows_and_the_fix(tmp_path: Path) -> None:
    cells = list(zip(_blocks(("石龙村", 12)), _blocks(("一组", 6), ("二组", 6)), strict=True))
    out = _validate(_merged_csv(tmp_path, cells), "en")
    assert "NEST-FILLED" in out and "花名册.csv" in out, out
    assert "the column “组” is blank for 10 households (rows 5, 6, 7, 8, 9" in out, out
    assert "if a blank means unknown rather than the same as above, fill in each household in the file" in out, out


def test_a_group_filled_down_stays_within_its_village_block(tmp_path: Path) -> None:
    """Groups of the same name in two villages are two blocks, each filled within its village."""
    villages = _blocks(("东村", 8), ("西村", 8))
    groups = _blocks(("1组", 4), ("2组", 4), ("1组", 4), ("2组", 4))
    p = _merged_csv(tmp_path, list(zip(villages, groups, strict=True)))
    out = _validate(p)
    assert out.count("NEST-FILLED") == 2 and "NEST-BLANK" not in out, out


@pytest.mark.parametrize(("villages", "groups"), [
    # 一组 starts two blocks: the blanks may not mean the value above
    (_blocks(("石龙村", 12)), _blocks(("一组", 4), ("二组", 4), ("一组", 4))),
    # 一组 runs on into 西村's block: a group filled down would cross villages
    (_blocks(("东村", 6), ("西村", 6)), _blocks(("一组", 8), ("二组", 4))),
    # the first household blank: nothing above to fill from
    (_blocks(("石龙村", 12)), ["", *_blocks(("一组", 5), ("二组", 6))]),
    # few blanks: not merged cells, households whose group was left out
    (_blocks(("石龙村", 12)), ["一组", "一组", "", "一组", "一组", "一组", "二组", "二组", "", "二组", "二组", "二组"]),
])
def test_blanks_not_plainly_merged_cells_stay_nest_blank(tmp_path: Path, villages: list[str],
                                                         groups: list[str]) -> None:
    """Where the pattern is not that clear, the group is not guessed: NEST-BLANK as before (the village column,
    plainly merged, is still filled down)."""
    out = _validate(_merged_csv(tmp_path, list(zip(villages, groups, strict=True))))
    assert _said(out) == {"村": "NEST-FILLED", "组": "NEST-BLANK"}, out


# ------------------------------------------------------------------------------ §3 a summary sheet first
def _summary_and_rosters(tmp: Path, rosters: tuple[str, ...] = ("花名册",), hidden: tuple[str, ...] = ()) -> Path:
    """A workbook whose first sheet is a summary (汇总: a title row, 村/组/户数/人口, one row per group: no id, no
    coordinates), then the rosters (a title row, then the households)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.append(["石龙村各组户数汇总"])
    ws.append(["村", "组", "户数", "人口"])
    ws.append(["石龙村", "一组", 6, 20])
    ws.append(["石龙村", "二组", 6, 21])
    for name in rosters:
        r = wb.create_sheet(name)
        r.append(["石龙村农户花名册"])
        r.append(["户编号", "村", "组", "人口", "经度", "纬度"])
        for i in range(12):
            r.append([f"{i + 1:03d}", "石龙村", "一组" if i < 6 else "二组", 2 + i % 4,
                      round(LON0 + 0.0004 * i, 6), round(LAT0 + 0.0003 * (i % 3), 6)])
        if name in hidden:
            r.sheet_state = "hidden"
    p = tmp / "汇总加花名册.xlsx"
    wb.save(p)
    return p


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_summary_sheet_before_the_roster_is_no_household_table(tmp_path: Path, lang: str) -> None:
    """Was IO-LAYER "several sheets, e.g. --layer 汇总", and --layer 汇总 then COL-MISSING: a header of 村 and 组
    made the summary a household table. Now the one sheet with ids and coordinates is read, as beside a cover."""
    res = runner.invoke(app, ["validate", str(_summary_and_rosters(tmp_path)), "--crs", "EPSG:4490", "--lang", lang])
    assert res.exit_code == 0, res.output
    assert "IO-LAYER" not in res.output and "花名册" in res.output, res.output
    assert ("12 户" if lang == "zh" else "12 households") in res.output, res.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_io_layer_names_a_sheet_that_is_a_household_table(tmp_path: Path, lang: str) -> None:
    """Where several sheets truly are rosters, IO-LAYER's example names one of them, never the summary."""
    p = _summary_and_rosters(tmp_path, ("一组花名册", "二组花名册"))
    res = runner.invoke(app, ["validate", str(p), "--crs", "EPSG:4490", "--lang", lang])
    assert res.exit_code == 2 and "IO-LAYER" in res.output, res.output
    assert "--layer 一组花名册" in res.output and "汇总" not in res.output.replace(p.name, ""), res.output
    res = runner.invoke(app, ["validate", str(p), "--crs", "EPSG:4490", "--layer", "一组花名册", "--lang", lang])
    assert res.exit_code == 0, res.output


def test_a_summary_beside_a_hidden_roster_points_to_the_roster(tmp_path: Path) -> None:
    """The summary is not read as the households when the roster's sheet is hidden: XLSX-HIDDEN names it."""
    p = _summary_and_rosters(tmp_path, hidden=("花名册",))
    res = runner.invoke(app, ["validate", str(p), "--crs", "EPSG:4490", "--lang", "zh"])
    assert res.exit_code == 2 and "XLSX-HIDDEN：" in res.output and "--layer 花名册" in res.output, res.output
    assert "COL-MISSING" not in res.output, res.output


def test_a_summary_named_with_layer_is_still_said_to_lack_the_columns(tmp_path: Path) -> None:
    res = runner.invoke(app, ["validate", str(_summary_and_rosters(tmp_path)), "--crs", "EPSG:4490", "--layer", "汇总"])
    assert res.exit_code == 2 and "COL-MISSING" in res.output, res.output
