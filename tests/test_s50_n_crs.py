"""A coordinate system that is not there is said as such, in one place (session 50, helper N).

``require_metric`` says CRS-UNSET itself (it said CRS-PROJECTED "the CRS None", whose fix projects, which data without
a CRS cannot do, and each caller said CRS-UNSET first or not at all): ``TerrainGraph(crs=None)`` and ``Terrain``
failed inside pyproj; a GeoPackage layer saved without its CRS, which GDAL reads as "Undefined geographic SRS",
was CRS-PROJECTED with a Python fix on the command line (``map``), CRS-WORKING naming ``read_dem``'s
``working_crs=`` (``map`` of such households) or an internal error (``validate``, "Undefined Cartesian SRS")."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from badfiles import HEADER, good_rows, write_csv
from typer.testing import CliRunner

from yuanluo.gis.crs import to_working_crs
from yuanluo.gis.errors import CRSError
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.neighbours import build_graph
from yuanluo.gis.terrain import Terrain
from yuanluo.planners.cli import app

runner = CliRunner()


def _flat(s: str) -> str:
    return re.sub(r"\s+", " ", s)


@pytest.mark.parametrize(("lang", "title", "fix"), [
    ("zh", "{what}没有声明坐标系（其 “crs” 为空），程序不会猜测。", "以 “crs=” 给出坐标所在的坐标系（以米为单位的投影坐标系，如 “EPSG:4545”）。"),
    ("en", "no coordinate system is declared for {what} (its crs is None), and none will be guessed.",
     "give the CRS the coordinates are in as crs= (a projected CRS in metres, such as 'EPSG:4545').")])
def test_a_graph_or_dem_made_without_a_crs(lang: str, title: str, fix: str) -> None:
    """TerrainGraph and Terrain with crs=None failed inside pyproj ("Invalid projection"): now CRS-UNSET, its fix
    giving crs=."""
    what = {"zh": ("邻接图", "高程模型"), "en": ("the graph", "the DEM")}[lang]
    with pytest.raises(CRSError) as ei:
        TerrainGraph.from_edges(["a", "b"], [[0.0, 0.0], [50.0, 0.0]], [(0, 1)], crs=None)
    q = ei.value.problems[0]
    assert (q.code, q.title(lang), q.fix(lang)) == ("CRS-UNSET", title.format(what=what[0]), fix)
    with pytest.raises(CRSError) as ei:
        Terrain(elevation=np.zeros((3, 3)), transform=None, crs=None, res=30.0)
    q = ei.value.problems[0]
    assert (q.code, q.title(lang), q.fix(lang)) == ("CRS-UNSET", title.format(what=what[1]), fix)


def test_an_undefined_crs_from_python_is_unset_and_its_fix_works() -> None:
    """Households whose CRS is GDAL's "Undefined geographic SRS" (a GeoPackage saved without one): CRS-UNSET, not
    "not a projected CRS"; the fix, run as written, declares it (allow_override: set_crs refuses to replace a CRS)
    and projects it, and the graph is built."""
    hh = gpd.GeoDataFrame({"persons": [2, 3, 4]}, geometry=gpd.points_from_xy([1.52, 1.521, 1.522], [42.5] * 3),
                          index=pd.Index(["a", "b", "c"], name="hid"),
                          crs='GEOGCS["Undefined geographic SRS",DATUM["unknown",SPHEROID["unknown",6378137,'
                              '298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]')
    with pytest.raises(CRSError) as ei:
        build_graph(hh)
    q = ei.value.problems[0]
    assert q.code == "CRS-UNSET" and "Undefined geographic SRS" in q.title("en"), q.title("en")
    code = q.fix("en").split(": ", 1)[1].split(" (")[0]
    assert code == "hh = hh.set_crs('EPSG:4490', allow_override=True)", q.fix("en")
    scope = {"hh": hh}
    exec(code, scope)  # the fix as printed
    g = build_graph(to_working_crs(scope["hh"]))
    assert g.crs.to_epsg() == 32631 and len(g.ids) == 3


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("res")
    hh = write_csv(d, "hh.csv", [HEADER, *good_rows(12)])
    res = runner.invoke(app, ["delineate", str(hh), "--crs", "EPSG:4490", "--min", "3", "--max", "6",
                              "-o", str(d / "r.gpkg")])
    assert res.exit_code == 0, res.output
    return d / "r.gpkg"


def _undefined(src: Path, dst: Path, layer: str, srs_id: int) -> Path:
    shutil.copy(src, dst)
    con = sqlite3.connect(dst)
    con.execute("update gpkg_geometry_columns set srs_id=? where table_name=?", (srs_id, layer))
    con.execute("update gpkg_contents set srs_id=? where table_name=?", (srs_id, layer))
    con.commit()
    con.close()
    return dst


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "错误 CRS-UNSET：文件 {f}：图层 “{layer}”没有声明坐标系（其坐标系为“Undefined geographic SRS”，即未定义），程序不会猜测。 "
           "处理办法：为该图层指定其坐标所在的坐标系：在 GIS 软件中“指定投影”（QGIS：图层属性 › 源 › 指定坐标系）后另存为 GeoPackage。"),
    ("en", "Error CRS-UNSET: file {f}: no coordinate system is declared for layer {layer} (its CRS is 'Undefined "
           "geographic SRS', which stands for none), and none will be guessed. Fix: assign the layer the coordinate "
           "system its coordinates are in: 'Assign projection' in a GIS (QGIS: Layer Properties > Source > Assigned "
           "CRS), then save it as a GeoPackage again.")])
@pytest.mark.parametrize("layer", ["units", "households"])
def test_map_of_a_result_layer_saved_without_its_crs(result: Path, tmp_path: Path, lang: str, said: str,
                                                     layer: str) -> None:
    """A result's layer saved in a GIS without its CRS: the map said CRS-PROJECTED with a Python fix (units) or
    CRS-WORKING naming read_dem's working_crs= (households); now CRS-UNSET naming the file and the layer, and a
    fix for the command line (no Python, no --crs: map has none)."""
    bad = _undefined(result, tmp_path / "bad.gpkg", layer, 0)
    res = runner.invoke(app, ["--lang", lang, "map", str(bad), "-o", str(tmp_path / "m.html")])
    out = _flat(res.output)
    assert res.exit_code == 2 and said.format(f=bad, layer=layer) in out, out
    assert "set_crs" not in out and "working_crs" not in out and not (tmp_path / "m.html").exists()


@pytest.mark.parametrize("srs_id", [0, -1])
def test_households_saved_without_their_crs_are_crs_missing(result: Path, tmp_path: Path, srs_id: int) -> None:
    """validate of households saved without a CRS ("Undefined Cartesian SRS": an internal error, exit 3;
    "Undefined geographic SRS": CRS-UNITS of a declared CRS): CRS-MISSING, whose fix gives --crs, exit 2."""
    bad = _undefined(result, tmp_path / "bad.gpkg", "households", srs_id)
    res = runner.invoke(app, ["--lang", "en", "validate", str(bad)])
    out = _flat(res.output)
    assert res.exit_code == 2 and "CRS-MISSING" in out and "--crs" in out, out
    assert "internal error" not in out and "CRS-UNITS" not in out, out
