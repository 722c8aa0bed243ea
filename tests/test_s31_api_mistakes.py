"""An analyst's plausible mistakes with the Python API (audit s31 Z3, defects 3, 5, 7, 9, 11, 12): each was a
silent wrong result or a bare traceback, and is now a coded error in Chinese and English naming the fix (or, for
the units layer given to maturity, the right result)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from yuanluo.gis import maturity
from yuanluo.gis.errors import InputError

HAN = re.compile(r"[\u4e00-\u9fff]")
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "quickstart.ipynb"


def _both(err: pytest.ExceptionInfo) -> tuple[str, str]:
    zh, en = err.value.render("zh"), err.value.render("en")
    assert not HAN.search(en), en
    return zh, en


# --- 2. maturity given the units layer -------------------------------------------------------------------------
def _units() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"unit_id": ["U1", "U2"], "village": ["东村", "西村"], "n_households": [20, 18]},
                            geometry=[Point(0, 0), Point(1, 1)], crs="EPSG:4545")


def test_maturity_takes_the_unit_id_column_of_the_units_layer(tmp_path: Path) -> None:
    p = tmp_path / "s.csv"
    p.write_text("院落编号,评估期,政策宣讲-内容,政策宣讲-效果,政策宣讲-满意度\nU1,2026Q1,7,8,9\n", encoding="utf-8")
    units = _units()
    scores = maturity.read_scores(p, units)  # was MAT-UNIT-UNKNOWN for the right sheet
    assert scores.unit_id.unique().tolist() == ["U1"]
    table = maturity.maturity_table(scores, units)  # was a row for each column name
    assert table.unit_id.tolist() == ["U1", "U2"]
    summary = maturity.village_summary(table, units)  # was pandas' ValueError
    assert summary.village.tolist() == ["东村", "西村"] and summary.n_units.tolist() == [1, 1]
    assert summary.equals(maturity.village_summary(table, {"U1": "东村", "U2": "西村"}))


def test_maturity_refuses_a_table_without_unit_ids_and_a_string() -> None:
    scores = pd.DataFrame(columns=["unit_id", "period", "category", "indicator", "score"])
    with pytest.raises(InputError) as err:
        maturity.maturity_table(scores, _units().drop(columns="unit_id"))
    assert err.value.codes == ["MAT-UNITS-TYPE"]
    zh, en = _both(err)
    assert "“unit_id”" in zh and "units.unit_id" in en
    with pytest.raises(InputError) as err:
        maturity.maturity_table(scores, "U1")
    assert err.value.codes == ["MAT-UNITS-TYPE"]
    with pytest.raises(InputError) as err:
        maturity.village_summary(maturity.maturity_table(scores, ["U1"]), _units().drop(columns="village"))
    assert err.value.codes == ["MAT-VILLAGES-TYPE"]
    _both(err)


# --- 5. the quickstart's §3 text ---------------------------------------------------------------------------------
def test_quickstart_does_not_promise_every_unit_a_head() -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    md = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    s3 = next(m for m in md if m.startswith("## 3."))
    assert "每个院落至少有一户院落长候选" not in s3 and "每个合规院落至少有一户院落长候选" in s3 and "例外" in s3
    outs = json.dumps(nb["cells"][[i for i, c in enumerate(nb["cells"])
                                   if "".join(c["source"]).startswith("## 3.")][0] + 1]["outputs"],
                      ensure_ascii=False)
    assert "例外" in outs  # the table below shows the exception the text now mentions
