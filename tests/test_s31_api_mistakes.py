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

from yuanluo import UnitDelineator, build_graph, check_plan, preset, read_dem, save_map
from yuanluo.gis import maturity
from yuanluo.gis.crs import to_working_crs
from yuanluo.gis.errors import CRSError, InputError, RuleConfigError
from yuanluo.gis.synth import make_village

HAN = re.compile(r"[\u4e00-\u9fff]")
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "quickstart.ipynb"


@pytest.fixture(scope="module")
def village():
    return make_village(60, seed=1)


def _both(err: pytest.ExceptionInfo) -> tuple[str, str]:
    zh, en = err.value.render("zh"), err.value.render("en")
    assert not HAN.search(en), en
    return zh, en


def _as_read_file(hh: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The households as ``gpd.read_file`` gives them: row numbers as the index, the ids in a ``hid`` column."""
    return hh.reset_index()


# --- 1. row numbers as household ids -----------------------------------------------------------------------------
@pytest.mark.parametrize("call", ["build_graph", "fit", "check_plan", "filtered"])
def test_row_numbers_beside_a_hid_column_are_refused(village, call: str) -> None:
    """build_graph / fit took the RangeIndex of a frame read by geopandas as the household ids, without a word."""
    hh = _as_read_file(village.households)
    g = build_graph(village.households)
    with pytest.raises(InputError) as err:
        if call == "build_graph":
            build_graph(hh)
        elif call == "fit":
            UnitDelineator(10, 30).fit(hh, g)
        elif call == "check_plan":
            check_plan(hh, pd.Series("U1", index=hh.index), preset("banan"), graph=g)
        else:  # a filter leaves an integer index, still row numbers
            build_graph(hh[hh.index % 2 == 0])
    assert err.value.codes == ["HOUSEHOLDS-ROW-IDS"]
    zh, en = _both(err)
    assert 'hh = hh.set_index("hid")' in zh and 'hh = hh.set_index("hid")' in en
    assert "“hid”" in zh and "column hid" in en


def test_row_numbers_beside_a_chinese_id_column_are_refused(village) -> None:
    hh = _as_read_file(village.households).rename(columns={"hid": "户编号"})
    with pytest.raises(InputError) as err:
        build_graph(hh)
    assert 'hh = hh.set_index("户编号")' in err.value.render("en")


def test_frames_the_project_builds_are_accepted(village, tmp_path: Path) -> None:
    from yuanluo import read_households

    g = build_graph(village.households)  # make_village: ids as the index
    assert g.ids[0] == village.households.index[0]
    paths = village.write(tmp_path / "v")
    hh, _ = read_households(paths["households"])
    assert build_graph(hh).n == len(hh)
    assert build_graph(_as_read_file(village.households).set_index("hid")).n == len(hh)  # the fix works
    # row numbers without an id column stay the ids, as before
    assert build_graph(village.households.reset_index(drop=True)).ids[0] == "0"


# --- 3. bare tracebacks ----------------------------------------------------------------------------------------
def test_a_file_name_as_a_barrier_layer(village) -> None:
    with pytest.raises(InputError) as err:
        build_graph(village.households, rivers="context.gpkg")
    assert err.value.codes == ["GRAPH-LAYER-PATH"]
    zh, en = _both(err)
    call = "read_layer('context.gpkg', kind='rivers', working_crs=hh.crs)"
    assert call in zh and call in en


def test_an_elevation_array_as_terrain(village) -> None:
    with pytest.raises(InputError) as err:
        build_graph(village.households, terrain=village.dem)
    assert err.value.codes == ["GRAPH-TERRAIN-TYPE"]
    zh, en = _both(err)
    assert "ndarray" in zh and "read_dem" in zh and "terrain_from_array" in en
    # the fix it gives works
    from yuanluo.gis.terrain import terrain_from_array

    t = terrain_from_array(village.dem, x0=village.transform.c, y0=village.transform.f, res=village.transform.a,
                           crs=village.crs)
    assert build_graph(village.households, terrain=t).meta["dem_used"]


def test_a_misspelt_preset_override() -> None:
    with pytest.raises(RuleConfigError) as err:
        preset("banan", max_sise=40)
    assert err.value.codes == ["RULE-PRESET-KEY"]
    zh, en = _both(err)
    assert "max_sise" in zh and "max_size" in zh and "max_sise" in en and "max_size" in en
    assert preset("banan", max_size=40).max_size == 40


@pytest.mark.parametrize(("kwargs", "param"), [({"n_households": 0}, "n_households"),
                                                ({"n_households": 50, "seed": None}, "seed"),
                                                ({"n_households": 50, "dem_res": 0}, "dem_res")])
def test_make_village_arguments(kwargs: dict, param: str) -> None:
    with pytest.raises(InputError) as err:
        make_village(**kwargs)
    assert err.value.codes == ["SYNTH-PARAM"]
    zh, en = _both(err)
    assert f"“{param}”" in zh and f"{param}=" in en


def test_a_map_in_an_unknown_language_is_refused(village, tmp_path: Path) -> None:
    target = tmp_path / "m.html"
    with pytest.raises(InputError) as err:
        save_map({"households": village.households}, target, lang="fr")
    assert err.value.codes == ["MAP-LANG"]
    zh, en = _both(err)
    assert "'fr'" in zh and "“zh”" in zh and "lang='en'" in en
    assert not target.exists()


# --- 4. Chinese messages with English subjects, fixes that apply -------------------------------------------------
def test_make_village_in_lon_lat_says_crs() -> None:
    with pytest.raises(CRSError) as err:
        make_village(50, crs="EPSG:4490")
    assert err.value.codes == ["SYNTH-CRS"]
    zh, en = _both(err)
    assert "模拟村" in zh and "synthetic village" not in zh and "to_working_crs" not in zh
    assert "crs='EPSG:4545'" in zh and "crs='EPSG:4545'" in en


@pytest.mark.parametrize("call", ["read_dem", "to_working_crs"])
def test_a_lon_lat_working_crs(village, tmp_path: Path, call: str) -> None:
    with pytest.raises(CRSError) as err:
        if call == "read_dem":
            read_dem(village.write_dem(tmp_path / "dem.tif"), working_crs="EPSG:4326")
        else:
            to_working_crs(village.households, "EPSG:4326")
    assert err.value.codes == ["CRS-WORKING"]
    zh, en = _both(err)
    keyword = "working_crs=" if call == "read_dem" else "crs="
    assert "工作坐标系" in zh and "working CRS" not in zh and f"“{keyword}”" in zh and f"as {keyword}" in en


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
