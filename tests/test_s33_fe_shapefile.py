"""A result's households saved as a Shapefile (QGIS's "Save Features As…", ogr2ogr) and read back by Yuanluo.

GDAL cuts a ``.dbf`` field name to 10 characters and renames a cut an earlier field took: in a result whose
households have a settlement column, ``unit_status`` → ``unit_statu``, ``meeting_walk_min`` → ``meeting_wa`` and
``settlement_split`` → ``settleme_1`` (not ``settlement``: the settlement column has that). The cut names were known
(``gis.columns.OWN_CUTS``), GDAL's renames were not: the households Shapefile delineated again carried the old run's
``settleme_1`` beside the new ``settlement_split``, and read as households it had no ``settlement_split``. Checked
end to end on a synthetic village with declared exceptions (units and settlement splits), the Shapefile written as
UTF-8 and as GBK (``.cpg``): as a plan it is judged as the result's own households layer is."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from typer.testing import CliRunner, Result

from yuanluo.gis.columns import OWN_COLUMNS, OWN_CUTS, normalize_name
from yuanluo.gis.io import read_households
from yuanluo.planners.cli import app

runner = CliRunner()
ENV = {"COLUMNS": "400"}


def _run(*args: str) -> Result:
    return runner.invoke(app, list(args), env=ENV)


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from yuanluo.gis.synth import make_village

    d = tmp_path_factory.mktemp("shp")
    v = make_village(1000, seed=2)
    hh = v.households.reset_index()
    hh["settlement"] = "石桥" + hh["settlement"].astype(str)  # Chinese cells: the .cpg matters
    src = d / "village.gpkg"
    hh.to_file(src, layer="households", driver="GPKG")
    for name in ("rivers", "roads"):
        getattr(v, name).to_file(src, layer=name, driver="GPKG")
    out = d / "out.gpkg"
    res = _run("delineate", f"{src}::households", "--rivers", f"{src}::rivers", "--roads", f"{src}::roads",
               "--preset", "changshou", "-o", str(out), "-q")
    assert res.exit_code == 0, res.output
    layer = gpd.read_file(out, layer="households")
    paths = {"src": src, "out": out, "dir": d}
    for enc, name in (("UTF-8", "hh.shp"), ("GBK", "hh_gbk.shp")):
        with pytest.warns(RuntimeWarning, match="Normalized/laundered"):
            pyogrio.write_dataframe(layer, d / name, encoding=enc)
        paths[enc] = d / name
    assert (d / "hh_gbk.cpg").read_text().strip().upper() == "GBK"
    return paths


def _terrain(p: dict[str, Path]) -> list[str]:
    return ["--rivers", f"{p['src']}::rivers", "--roads", f"{p['src']}::roads", "--preset", "changshou"]


def test_every_own_column_gdal_renames_is_known_by_the_name_it_was_given(village) -> None:
    full = list(pyogrio.read_info(village["out"], layer="households")["fields"])
    cut = list(pyogrio.read_info(village["UTF-8"])["fields"])
    assert len(full) == len(cut)
    named = dict(zip(full, cut, strict=True))
    assert named["settlement_split"] == "settleme_1" and named["unit_status"] == "unit_statu"
    for column in OWN_COLUMNS:
        if column in named and named[column] != column:
            assert OWN_CUTS[normalize_name(named[column])] == column


def _findings(p: dict[str, Path], *plan: str, tag: str) -> tuple[int, set[tuple[str, str]], str]:
    js = p["dir"] / f"{tag}.json"
    res = _run("check", str(p["out"]), *plan, *_terrain(p), "--json", str(js), "--overwrite", "-q")
    rep = json.loads(js.read_text(encoding="utf-8"))
    return res.exit_code, {(v["code"], str(v["unit_id"])) for v in rep["violations"]}, res.output


def test_the_shapefile_as_a_plan_is_judged_as_the_result_s_own_households(village) -> None:
    code, own, _ = _findings(village, tag="own")
    declared = {u for c, u in own if c == "DECLARED-EXCEPTION"}
    assert code == 0 and len(declared) >= 2, own
    for enc in ("UTF-8", "GBK"):
        got = _findings(village, "--plan", str(village[enc]), tag=enc)
        assert got[:2] == (0, own), enc
    # against the households file the result was made from, no file declares anything: the plan table's status
    # column (unit_statu) is said as the GeoPackage's unit_status is, both in Chinese
    said = []
    for plan in (f"{village['out']}::households", str(village["GBK"])):
        res = _run("check", f"{village['src']}::households", "--plan", plan, *_terrain(village))
        assert res.exit_code == 1
        said.append([line.replace(plan, "P") for line in res.output.splitlines() if "例外" in line and "方案" in line])
    assert said[0] and said[0] == said[1]


def test_the_households_shapefile_read_again_keeps_settlement_split_and_drops_the_old_run(village) -> None:
    layer = gpd.read_file(village["out"], layer="households").set_index("hid")
    for enc in ("UTF-8", "GBK"):
        hh, _ = read_households(village[enc])
        assert "settleme_1" not in hh.columns
        assert (hh["settlement_split"].astype(bool) == layer.loc[hh.index, "settlement_split"].astype(bool)).all()
        assert hh["settlement_split"].astype(bool).any()
        assert (hh["settlement"] == layer.loc[hh.index, "settlement"]).all()
    again = village["dir"] / "again.gpkg"
    res = _run("delineate", str(village["GBK"]), *_terrain(village), "-o", str(again), "-q")
    assert res.exit_code == 0, res.output
    fields = set(pyogrio.read_info(again, layer="households")["fields"])
    assert fields.isdisjoint({"settleme_1", "unit_statu", "meeting_wa"}) and "settlement_split" in fields
