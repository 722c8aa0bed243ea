"""Tables a planner opens in Excel or WPS (audit of the tables desk): xlsx text kept as it is, ids whose leading
zeros a spreadsheet took off read back, plan headers in the run's language read back, whole numbers without
``.0``, columns sized to their cells, a delineation's CSV layers in words."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from badfiles import HEADER, good_rows, write_csv
from typer.testing import CliRunner

from yuanluo.gis.output import write_layers
from yuanluo.gis.plan import read_plan_table
from yuanluo.planners import tables as T
from yuanluo.planners.cli import app

runner = CliRunner()
TRICKY = ["-2", "+8613800000000", "=1+1", "@SUM(A1)"]


def _layers() -> dict:
    from yuanluo.maps.sample import sample_layers

    lyr = sample_layers(40, block=5)
    hh = lyr["households"].reset_index()
    hh.loc[: len(TRICKY) - 1, "hid"] = TRICKY
    if "settlement" not in hh.columns:
        hh["settlement"] = "S1"
    hh.loc[0, "settlement"] = "=cmd|calc"
    lyr["households"] = hh
    units = lyr["units"].copy()
    units.loc[0, "reason"] = "孤立片区共 10 户；被河流隔开；相邻住户属于别的行政村或村民小组，无法满足规模要求，列为例外院落"
    lyr["units"] = units
    return lyr


def test_xlsx_plan_keeps_formula_like_text_as_text_without_an_apostrophe() -> None:
    """方案.xlsx showed '-2, '+8613800000000, '=1+1 and 自然院落 '=cmd|calc: a text cell of an xlsx is never
    computed, so the ' only showed and broke matching ids. Now the text is as it is, in a text cell."""
    data = T.plan_xlsx(_layers())
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    rows = [[c for c in r] for r in ws.iter_rows(min_row=2)]
    hids = {r[0].value for r in rows}
    assert set(TRICKY) <= hids and not any(str(h).startswith("'") for h in hids)
    assert all(r[0].data_type == "s" for r in rows if r[0].value in TRICKY)
    assert "=cmd|calc" in {r[-1].value for r in rows}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert all(b"<f>" not in z.read(n) and b"<f " not in z.read(n) for n in z.namelist() if "worksheets" in n)
    assert T.plan_xlsx(_layers()) == data  # same plan, same bytes


def test_xlsx_columns_sized_by_their_cells_and_long_reasons_wrapped() -> None:
    """原因 was 10 wide (sized by its header) and cut every reason; now it is as wide as its cells, capped, and a
    longer reason wraps."""
    wb = openpyxl.load_workbook(io.BytesIO(T.plan_xlsx(_layers())))
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    col = headers.index("原因") + 1
    letter = openpyxl.utils.get_column_letter(col)
    assert T.MAX_WIDTH >= ws.column_dimensions[letter].width >= 40
    long_cells = [r[col - 1] for r in ws.iter_rows(min_row=2) if T._width(r[col - 1].value) > T.MAX_WIDTH]
    assert long_cells and all(c.alignment.wrap_text for c in long_cells)


def _hh(ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame(index=pd.Index(ids, name="hid"))


def _plan(tmp: Path, text: str) -> Path:
    p = tmp / "plan.csv"
    p.write_text(text, encoding="gbk")
    return p


def test_plan_ids_without_their_leading_zeros_are_read_with_a_warning(tmp_path: Path) -> None:
    """A repaired plan opened and saved in Excel: 000005 became 5 (PLAN-UNKNOWN-ID for 595 ids). Ids that
    match the household ids one to one once the zeros are back are read so, with a coded warning."""
    hh = _hh(["000005", "000006", "000010", "=1+1"])
    labels, probs = read_plan_table(_plan(tmp_path, "户编号,院落编号\n'=1+1,U1\n5,U1\n6,U1\n10,U2\n"), hh)
    assert labels.to_dict() == {"000005": "U1", "000006": "U1", "000010": "U2", "=1+1": "U1"}
    by = {p.code: p for p in probs}
    assert set(by) == {"PLAN-ID-ZEROS"} and by["PLAN-ID-ZEROS"].severity == "warning"
    z = by["PLAN-ID-ZEROS"]
    assert z.count == 3 and z.ids == ("000005", "000006", "000010") and z.rows == (3, 4, 5)
    assert "5 → 000005" in z.title("zh") and "leading zeros" in z.title("en")


@pytest.mark.parametrize(("ids", "plan"), [
    (["05", "005", "006"], "户编号,院落编号\n5,U1\n6,U1\n"),          # 5 is 05 or 005: no guess, for 6 either
    (["000005", "000006"], "户编号,院落编号\n000005,U1\n5,U2\n6,U1\n"),  # 000005 is named as it is
    (["000005", "000006"], "户编号,院落编号\n05,U1\n06,U1\n"),         # not the spreadsheet's form of a number
])
def test_ambiguous_ids_without_zeros_stay_unknown(tmp_path: Path, ids: list[str], plan: str) -> None:
    labels, probs = read_plan_table(_plan(tmp_path, plan), _hh(ids))
    codes = {p.code for p in probs}
    assert "PLAN-UNKNOWN-ID" in codes and "PLAN-ID-ZEROS" not in codes
    assert labels.drop(["000005"], errors="ignore").isna().all()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plan_table_headers_in_the_language_and_read_back(tmp_path: Path, lang: str) -> None:
    """--lang en repair -o wrote hid,unit_id while its moves said Household ID: both now in the language, and
    --plan reads either back."""
    plan = T.plan_csv_table(pd.DataFrame({"hid": ["000005", "-2"], "unit_id": ["U1", "U2"]}), lang)
    moves = T.moves_table(pd.DataFrame({"hid": ["000005"], "from_unit": ["U1"], "to_unit": ["U2"]}), lang)
    assert plan.columns[0] == moves.columns[0] and plan.columns[1] != "unit_id"
    path = write_layers(tmp_path / "p.csv", {"plan": plan}, fmt="csv")[0]
    labels, probs = read_plan_table(path, _hh(["000005", "-2"]))
    assert labels.to_dict() == {"000005": "U1", "-2": "U2"} and probs == []


def test_check_csv_writes_whole_numbers_without_a_decimal_point() -> None:
    """check_units.csv said 人数 23.0 and 规模 11.0."""
    units = pd.DataFrame({"unit_id": ["U1", "U2"], "n_households": [11, 18], "persons": [23.0, 52.0],
                          "size": [11.0, 18.5], "status": ["violation", "ok"], "mean_walk_min": [None, 1.5]})
    _, ub = T.check_csv_bytes(pd.DataFrame({"code": [], "unit_id": [], "severity": []}), units)
    lines = ub.decode("utf-8-sig").splitlines()
    assert lines[1] == "U1,11,23,11,违规," and lines[2] == "U2,18,52,18.5,符合规定,1.5"


def test_layer_csv_for_people_in_the_language(tmp_path: Path) -> None:
    """delineate -o out.csv wrote English headers, English statuses and minutes to 16 digits."""
    units = pd.DataFrame({"unit_id": ["U1"], "n_households": [10], "size": [10.0], "status": ["exception"],
                          "mean_walk_min": [0.4115595190625193], "has_head": [True]})
    hh = pd.DataFrame({"hid": ["000005"], "unit_id": ["U1"], "unit_status": ["ok"], "meeting_walk_min": [0.94]})
    paths = write_layers(tmp_path / "o.csv", {"households": hh, "units": units}, lang="zh")
    text = {p.name: p.read_text(encoding="utf-8-sig").splitlines() for p in paths}
    assert text["o.units.csv"] == ["院落编号,院落户数,规模（按规则计）,状态,平均步行分钟,有院落长候选",
                                   "U1,10,10,例外,0.4,是"]
    assert text["o.households.csv"][1] == "000005,U1,符合规定,0.9"
    en = write_layers(tmp_path / "e.csv", {"units": units}, lang="en")[0].read_text(encoding="utf-8-sig")
    assert en.splitlines()[1] == "U1,10,10,exception,0.4,yes" and en.startswith("Unit ID,")
    # without a language: canonical names and values, as before
    raw = write_layers(tmp_path / "r.csv", {"units": units})[0].read_text(encoding="utf-8-sig")
    assert raw.startswith("unit_id,n_households,size,status")


def test_repair_writes_its_plan_and_moves_as_xlsx_with_text_ids(tmp_path: Path) -> None:
    """repair -o plan.xlsx / --moves moves.xlsx: ids as text cells (000005 stays), read back by --plan."""
    rows = [f"{r},{'东院' if i < 6 else '西院'}" for i, r in enumerate(good_rows(12))]
    hh = write_csv(tmp_path, "hh.csv", [HEADER + ",院落", *rows])
    plan = tmp_path / "方案.csv"
    ids = [f"{i + 1:03d}" for i in range(12)]
    pd.DataFrame({"户编号": ids, "院落编号": ["A"] * 3 + ["B"] * 9}).to_csv(plan, index=False, encoding="gbk")
    out, moves = tmp_path / "fixed.xlsx", tmp_path / "moves.xlsx"
    res = runner.invoke(app, ["repair", str(hh), "--crs", "EPSG:4490", "--plan", str(plan), "--min", "4",
                              "--max", "9", "-o", str(out), "--moves", str(moves)])
    assert res.exit_code in (0, 1), res.output
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[1]] == ["序号", "户编号", "院落编号"]  # numbered: QGIS reads the header (s32)
    assert sorted(r[1].value for r in ws.iter_rows(min_row=2)) == ids
    assert all(r[1].data_type == "s" for r in ws.iter_rows(min_row=2))
    assert [c.value for c in openpyxl.load_workbook(moves).active[1]] == ["序号", "户编号", "原院落", "新院落", "原因"]
    check = runner.invoke(app, ["check", str(hh), "--crs", "EPSG:4490", "--plan", str(out), "--min", "4",
                                "--max", "9"])
    assert "PLAN-UNKNOWN-ID" not in check.output and "PLAN-UNASSIGNED" not in check.output, check.output


def test_repair_says_it_put_the_leading_zeros_back(tmp_path: Path) -> None:
    """`check` reported PLAN-ID-ZEROS; `repair` and `edit` read the same plan without a word of it."""
    import sys

    from typer.testing import CliRunner

    from yuanluo.planners.cli import app

    sys.path.insert(0, str(Path(__file__).parent))
    from badfiles import HEADER, good_rows, write_csv

    hh = write_csv(tmp_path, "h.csv", [HEADER, *good_rows(6)])
    plan = _plan(tmp_path, "户编号,院落编号\n" + "".join(f"{i},U1\n" for i in range(1, 7)))
    res = CliRunner().invoke(app, ["repair", str(hh), "--crs", "EPSG:4490", "--plan", str(plan), "--min", "3",
                                   "--max", "8", "-o", str(tmp_path / "fixed.csv")])
    assert res.exit_code == 0, res.output
    assert "PLAN-ID-ZEROS" in res.output
