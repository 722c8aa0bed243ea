"""The public maturity functions given the plausible wrong thing (audit s32 ZC §1): the filled sheet read with
``pd.read_excel`` or the units layer as the scores of ``maturity_table``, the tidy scores as the table of
``village_summary``, the village column alone as ``villages``, the sheet read with pandas as the paths of
``read_scores``: each was a bare ``KeyError`` / ``IO-NOTFOUND 'unit_id'`` or a silently wrong answer, and is now
a coded error in Chinese and English naming the call that works. A bare string for ``sheet_names`` /
``period_order`` is one name, not its letters."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from yuanluo.gis import maturity
from yuanluo.gis.errors import InputError

HAN = re.compile(r"[\u4e00-\u9fff]")
HEAD = "院落编号,评估期," + ",".join(maturity.SCORE_COLUMNS)


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    p = tmp_path / "评分表.csv"
    rows = [f"U1,2026Q1,{','.join(['7'] * 18)}", f"U2,2026Q1,{','.join(['5'] * 18)}"]
    p.write_text("\n".join([HEAD, *rows]) + "\n", encoding="utf-8")
    return p


@pytest.fixture
def units() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"unit_id": ["U1", "U2"], "village": ["东村", "西村"], "n_households": [20, 18]},
                            geometry=[Point(0, 0), Point(1, 1)], crs="EPSG:4545")


def _both(err: pytest.ExceptionInfo, code: str, data: bool = False) -> tuple[str, str]:
    """Both renderings; the English one has no Chinese but the values of the data it quotes (``data``)."""
    assert err.value.codes == [code]
    zh, en = err.value.render("zh"), err.value.render("en")
    assert not HAN.search(re.sub(r"'[^']*'", "", en) if data else en), en
    assert "{" not in zh + en
    return zh, en


@pytest.mark.parametrize("what", ["read_excel", "units", "path", "series", "category_names"])
def test_maturity_table_refuses_what_read_scores_did_not_give(sheet: Path, units, what: str) -> None:
    good = maturity.read_scores(sheet, units)
    given = {"read_excel": lambda: pd.read_csv(sheet), "units": lambda: units, "path": lambda: str(sheet),
             "series": lambda: good["score"],
             "category_names": lambda: good.assign(category=good["category"].map(dict(zip(
                 maturity.CATEGORY_KEYS, maturity.CATEGORIES, strict=True))))}[what]()
    with pytest.raises(InputError) as err:  # was KeyError: 'period' (category names: every score as economy)
        maturity.maturity_table(given, units["unit_id"])
    zh, en = _both(err, "MAT-SCORES-TYPE", data=what in ("category_names", "path"))  # path: the file name quoted
    assert "read_scores(" in zh and 'maturity_table(read_scores("scores.xlsx", units), units)' in en
    if what == "read_excel":
        assert "unit_id、period、category、indicator、score 列" in zh
        assert "lacks the columns unit_id, period, category, indicator, score" in en
    if what == "units":
        assert "lacks the columns period, category, indicator, score" in en
    if what == "path":
        assert "is a file name, which must be read first" in en and "是文件名，须先读入" in zh
    if what == "category_names":
        assert "'政策宣讲'" in zh and "in its category column" in en
    table = maturity.maturity_table(good, units)  # what read_scores gives is still taken
    assert table["n_rated"].tolist() == [6, 6]


def test_a_score_column_of_words_is_refused(sheet: Path, units) -> None:
    good = maturity.read_scores(sheet, units)
    with pytest.raises(InputError) as err:
        maturity.maturity_table(good.assign(score="好"), units)
    zh, en = _both(err, "MAT-SCORES-TYPE", data=True)
    assert "“score” 列有不是分数的值：'好'。" in zh  # said once, not once per row
    assert "has values that are no scores in its score column: '好'." in en


def test_village_summary_refuses_the_scores_and_the_units_as_its_table(sheet: Path, units) -> None:
    scores = maturity.read_scores(sheet, units)
    for wrong in (scores, units, "table.csv"):
        with pytest.raises(InputError) as err:  # was KeyError: 'period_no'
            maturity.village_summary(wrong, units)
        zh, en = _both(err, "MAT-TABLE-TYPE")
        assert "village_summary(maturity_table(read_scores(" in zh + en
    zh, en = _both(err, "MAT-TABLE-TYPE")
    assert "is not a table" in en and "不是表格" in zh


def test_village_summary_refuses_villages_that_name_no_unit(sheet: Path, units) -> None:
    table = maturity.maturity_table(maturity.read_scores(sheet, units), units)
    with pytest.raises(InputError) as err:  # the village column alone: every unit was put under ""
        maturity.village_summary(table, units["village"])
    zh, en = _both(err, "MAT-VILLAGES-TYPE")
    assert "indexed by row number" in en and "U1" in zh
    with pytest.raises(InputError) as err:  # a list: the same
        maturity.village_summary(table, ["东村", "西村"])
    zh, en = _both(err, "MAT-VILLAGES-TYPE")
    assert "holds no unit ids" in en
    with pytest.raises(InputError) as err:
        maturity.village_summary(table, units[["unit_id"]])
    zh, en = _both(err, "MAT-VILLAGES-TYPE")
    assert "a table lacking the column village," in en and "缺少 village 列" in zh
    right = maturity.village_summary(table, units["village"].set_axis(units["unit_id"]))
    assert right.village.tolist() == ["东村", "西村"]


def test_read_scores_refuses_the_sheet_read_with_pandas(sheet: Path, units) -> None:
    with pytest.raises(InputError) as err:  # was IO-NOTFOUND naming the file 院落编号
        maturity.read_scores(pd.read_csv(sheet), units)
    zh, en = _both(err, "MAT-PATHS-TYPE")
    assert 'read_scores("scores.xlsx", units)' in en and "pd.read_excel" in zh


def test_a_bare_string_is_one_sheet_name_and_one_period(tmp_path: Path, sheet: Path, units) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "四季度"
    for line in sheet.read_text(encoding="utf-8").splitlines():
        ws.append(line.split(","))
    book.create_sheet("备注").append(["说明"])
    path = tmp_path / "s.xlsx"
    book.save(path)
    # was MAT-SHEET-UNKNOWN: no worksheet named “四”、“季”、“度”
    assert maturity.read_scores(path, units, sheet_names="四季度").equals(
        maturity.read_scores(path, units, sheet_names=["四季度"]))
    scores = maturity.read_scores(sheet, units)
    # was the periods '2', '0', '6', 'Q', '1' (its letters) before 2026Q1
    t = maturity.maturity_table(scores, units, period_order="2025Q4")
    assert t["period"].unique().tolist() == ["2025Q4", "2026Q1"]
