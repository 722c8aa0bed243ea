"""The ``--xlsx`` plan of a delineation (audit s29 K §4, §7): the exceptions the result declares are in the
workbook, with what ``check`` makes of them, and so are the rules it was made under.

§4: the households of a settlement the delineation declared split (``settlement_split`` in the GeoPackage) read
状态 = 符合规定 with an empty 原因, and nothing said that ``check --plan`` of the table (which declares nothing)
judges the exceptions afresh, while ``check`` of the GeoPackage takes them.
§7: the workbook had only the sheets 院落方案 and 院落汇总: no rule name, band, nesting, heads or walking limit.
"""

from __future__ import annotations

import io
import zipfile

import geopandas as gpd
import openpyxl
import pytest

from yuanluo.gis.rules import Rules
from yuanluo.planners.tables import plan_xlsx


def _layers() -> dict:
    """A small result: unit U001 holds part of settlement S9, declared split across U001 and U002 (their
    households ``settlement_split``), U003 a declared exception unit, and one settlement not split."""
    from yuanluo.maps.sample import sample_layers

    lyr = sample_layers(40, block=5)
    hh = lyr["households"].reset_index()
    units = lyr["units"]
    assert set(units["unit_id"]) >= {"U001", "U002"}
    hh["settlement"] = "S1"
    first = hh.index[hh["unit_id"] == "U001"][:3].tolist() + hh.index[hh["unit_id"] == "U002"][:2].tolist()
    hh.loc[first, "settlement"] = "S9"
    hh["settlement_split"] = hh.index.isin(first)
    lyr["households"] = hh
    return lyr


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _rows(ws: openpyxl.worksheet.worksheet.Worksheet) -> list[dict]:
    head = [c.value for c in ws[1]]
    return [dict(zip(head, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True) if r[1] is not None]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_declared_settlement_splits_and_exceptions_are_in_the_workbook(lang: str) -> None:
    """§4: a household of a declared split settlement says so in 原因 (its settlement and the units it is split
    across) and in the column 自然院落已拆分; its unit's row on the units sheet says which settlement; an exception
    unit keeps its status and reason; a note (its own sheet, after the units sheet) says that only the result file declares them
    (``check`` of it takes them; ``check --plan`` of this table judges every unit afresh)."""
    lyr = _layers()
    wb = _book(plan_xlsx(lyr, lang))
    zh = lang == "zh"
    plan, units = wb.worksheets[0], wb.worksheets[1]
    rows = _rows(plan)
    status, reason, split_col = (("状态", "原因", "自然院落已拆分（划分时列出）") if zh
                                 else ("Status", "Reason", "Settlement split (declared by the delineation)"))
    split_ids = set(lyr["households"].loc[lyr["households"]["settlement_split"], "hid"].astype(str))
    split_rows = [r for r in rows if r["户编号" if zh else "Household ID"] in split_ids]
    assert len(split_rows) == 5
    for r in split_rows:
        assert r[status] == ("符合规定" if zh else "ok")  # the unit keeps its status: the split is excused, not it
        assert "S9" in r[reason] and "U001" in r[reason] and "U002" in r[reason] and "SETTLEMENT-SPLIT" in r[reason]
        assert r[split_col] == ("是" if zh else "yes")
    others = [r for r in rows if r["户编号" if zh else "Household ID"] not in split_ids and r[status] in ("符合规定", "ok")]
    assert others and all(not r[reason] and not r[split_col] for r in others)
    urows = {r["院落编号" if zh else "Unit ID"]: r for r in _rows(units)}
    assert "S9" in urows["U001"][reason] and "S9" in urows["U002"][reason]
    exc = [r for r in urows.values() if r[status] == ("例外" if zh else "exception")]
    assert exc and all(r[reason] for r in exc)
    width = units.max_column  # the table's columns alone; the note is a sheet of its own (s31 Z2 §5: QGIS)
    assert wb.sheetnames[2] == ("说明" if zh else "Notes")
    note = [r[1] for r in wb.worksheets[2].iter_rows(min_row=2, max_row=4)]
    said = "\n".join(str(c.value) for c in note)
    assert said.startswith("注：" if zh else "Note:") and all(c.data_type == "s" for c in note)
    assert "yuanluo check" in said and "--plan" in said and ".gpkg" in said
    # the table stays a table: its filter, its first column (the unit ids) and rows are the units' alone
    assert units.auto_filter.ref == f"A1:{units.cell(1, width).column_letter}{len(urows) + 1}"
    assert [c.value for c in units["A"]][1:] == sorted(urows) and units.max_row == len(urows) + 1


def test_a_plan_without_declared_exceptions_has_no_note_and_no_split_column() -> None:
    lyr = _layers()
    lyr["households"]["settlement_split"] = False
    lyr["units"] = lyr["units"].assign(status="ok", reason="")
    wb = _book(plan_xlsx(lyr))
    assert "自然院落已拆分（划分时列出）" not in [c.value for c in wb.worksheets[0][1]]
    ws = wb.worksheets[1]
    assert ws.max_row == len(lyr["units"]) + 1 and ws[1][-1].value is not None
    assert not any(str(c.value).startswith("注") for row in ws.iter_rows() for c in row)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_workbook_states_the_rules_it_was_made_under(lang: str) -> None:
    """§7: a sheet 规则 / Rules with the rule's name and label, the band with what it counts, nesting,
    settlements, heads (two above heads_for_size), the walking and join limits, in the workbook's language."""
    rules = Rules(50, 110, size_by="persons", nest_by=("village", "group"), heads_for_size=90, max_walk_min=15,
                  join_limit_min=10, name="jiangjin-persons-vg", label="江津区“和美院落”")
    wb = _book(plan_xlsx(_layers(), lang, rules=rules))
    title = "规则" if lang == "zh" else "Rules"
    assert wb.sheetnames[-1] == title
    kv = {k: v for _, k, v in wb[title].iter_rows(min_row=2, values_only=True)}  # 序号, 项目, 规定
    if lang == "zh":
        assert kv == {"规则名称": "jiangjin-persons-vg", "规则说明": "江津区“和美院落”", "规模": "50–110 人",
                      "不得跨越": "村民小组；村未检查（农户表没有这些列）", "保持自然院落完整": "是",
                      "需有院落长候选人": "是（超过 90 人的院落需 2 名）", "步行上限": "15 分钟", "连接上限": "10 分钟"}
    else:
        assert kv["Size band"] == "50–110 persons" and kv["Walking limit"] == "15 min"
        assert kv["Must not straddle"] == "villager groups; villages not checked (the household file has no such columns)" and kv["Join limit"] == "10 min"
        assert kv["Candidate head required"] == "yes (two in a unit above 90 persons)"
    assert [c.value for c in wb[title][1]] == (["序号", "项目", "规定"] if lang == "zh" else ["No.", "Item", "Rule"])


def test_rules_read_from_a_result_files_run_table(tmp_path) -> None:
    """A result's layers read back (its ``run`` table, ``params.rules.*`` as JSON text) give the same sheet."""
    from yuanluo.gis.output import write_layers
    from yuanluo.planners.tables import run_rules

    lyr = _layers()
    rules = Rules(15, 25, max_walk_min=12.5, name="custom")
    out = tmp_path / "r.gpkg"
    write_layers(out, {"households": gpd.GeoDataFrame(lyr["households"], geometry="geometry"),
                       "units": lyr["units"]}, run={"params": {"rules": rules.to_dict()}})
    run = gpd.read_file(out, layer="run")
    got = run_rules(run)
    assert got is not None and got["min_size"] == 15 and got["max_walk_min"] == 12.5
    kv = dict(r[1:] for r in _book(plan_xlsx({**lyr, "run": run}))["规则"].iter_rows(min_row=2, values_only=True))
    assert kv["规模"] == "15–25 户" and kv["步行上限"] == "12.5 分钟" and kv["规则名称"] == "custom"


def test_no_cell_is_a_formula_and_the_same_plan_gives_the_same_bytes() -> None:
    rules = Rules(20, 50, label="=HYPERLINK(1)")
    data = plan_xlsx(_layers(), rules=rules)
    assert plan_xlsx(_layers(), rules=rules) == data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert all(b"<f>" not in z.read(n) and b"<f " not in z.read(n) for n in z.namelist() if "worksheets" in n)
    ws = _book(data)["规则"]
    assert [c for c in ws["C"] if c.value == "=HYPERLINK(1)"][0].data_type == "s"
