"""The QGIS style of a town's units (audit s29 L §1): neighbours differ in colour at any number of units.

Above ``UNIT_CATEGORY_LIMIT`` (600) units the GeoPackage's stored style coloured the units by status: a town of
1,011 units opened in QGIS in one blue fill, though the README promises neighbours in different colours. Now
the categories are the colours and an expression on ``unit_id`` picks a unit's one.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely

from yuanluo.gis.layerstyle import UNIT_CATEGORY_LIMIT, qml_fields
from yuanluo.gis.output import write_layers
from yuanluo.gis.units import touching_pairs

QGIS_PYTHON = "/usr/bin/python3"


def _town(n: int) -> gpd.GeoDataFrame:
    """``n`` square units in a grid (each touches up to 8 others); every 17th an exception, every 23rd locked
    (the odd ones breaking a rule, LOCK-BREACH)."""
    side = int(n ** 0.5) + 1
    rows = []
    for k in range(n):
        i, j = divmod(k, side)
        status = "exception" if k % 17 == 0 else "locked" if k % 23 == 0 else "ok"
        rows.append({"unit_id": f"U{k:04d}", "status": status,
                     "code": "LOCK-BREACH" if status == "locked" and k % 2 else "",
                     "geometry": shapely.box(j * 100, i * 100, j * 100 + 100, i * 100 + 100)})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4545")


def _units_qml(gpkg: Path) -> str:
    with sqlite3.connect(gpkg) as con:
        (qml,) = con.execute("SELECT styleQML FROM layer_styles WHERE f_table_name = 'units'").fetchone()
    return str(qml)


def _symbols(qml: str, ids: list[str]) -> dict[str, tuple[str, str, str]]:
    """unit → (fill colour, fill style, outline colour) as the style gives it: the renderer's value is the unit
    id itself or an expression ``coalesce(map_get(map('U1', 'k', …), "unit_id"), 'd')``, evaluated here."""
    root = ET.fromstring(qml.split("\n", 1)[1])
    r = root.find("renderer-v2")
    assert r is not None and r.get("type") == "categorizedSymbol"
    attr = str(r.get("attr"))
    if attr == "unit_id":
        value = {u: u for u in ids}
    else:
        m = re.fullmatch(r"""coalesce\(map_get\(map\((.*)\), "unit_id"\), '([^']*)'\)""", attr, re.S)
        assert m, attr[:200]
        lits = [s.replace("''", "'") for s in re.findall(r"'((?:[^']|'')*)'", m.group(1))]
        given = dict(zip(lits[::2], lits[1::2], strict=True))
        value = {u: given.get(u, str(m.group(2))) for u in ids}
    symbol = {str(c.get("value")): str(c.get("symbol")) for c in r.iter("category")}
    props: dict[str, tuple[str, str, str]] = {}
    for s in r.iterfind("symbols/symbol"):
        opt = {str(o.get("name")): str(o.get("value")) for o in s.iterfind("layer/Option/Option")}
        props[str(s.get("name"))] = (opt["color"], opt["style"], opt["outline_color"])
    return {u: props[symbol[value[u]]] for u in ids}


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, gpd.GeoDataFrame]:
    units = _town(1011)
    gpkg = tmp_path_factory.mktemp("town") / "units.gpkg"
    write_layers(gpkg, {"units": units})
    return gpkg, units


def test_a_town_of_1011_units_opens_with_neighbours_in_different_colours(
        town: tuple[Path, gpd.GeoDataFrame]) -> None:
    gpkg, units = town
    assert len(units) > UNIT_CATEGORY_LIMIT
    qml = _units_qml(gpkg)
    sym = _symbols(qml, list(units["unit_id"]))
    status = dict(zip(units["unit_id"], units["status"], strict=True))
    pairs = touching_pairs(units)
    # every pair of neighbours filled solid: different colours (exceptions are all hatched red, as below the limit)
    solid = [(a, b) for a, b in pairs if sym[a][1] == "solid" and sym[b][1] == "solid"]
    assert len(solid) > 3000
    assert [(a, b) for a, b in solid if sym[a][0] == sym[b][0]] == []
    assert len({sym[u][0] for u, s in status.items() if s == "ok"}) >= 4
    # exceptions and locked units breaking a rule hatched red; locked ones within their rules outlined
    assert {sym[u][1] for u, s in status.items() if s == "exception"} == {"b_diagonal"}
    assert sym["U0023"][1] == "b_diagonal" and sym["U0046"][1] == "solid"          # 23 breaks its rule, 46 not
    assert sym["U0046"][2] != sym["U0001"][2]                                       # the locked outline
    # the style names only the units layer's fields, and stays small
    assert qml_fields(qml) <= set(pyogrio.read_info(gpkg, layer="units")["fields"])
    assert len(qml.encode()) < 60_000
    # the legend: a category per colour (and the exceptions), not one per unit
    cats = ET.fromstring(qml.split("\n", 1)[1]).findall("renderer-v2/categories/category")
    assert len(cats) <= 2 * 10 + 2 and any("相邻院落颜色不同" in str(c.get("label")) for c in cats)


def test_the_style_of_5000_units_stays_small() -> None:
    from yuanluo.gis.layerstyle import units_qml

    units = _town(5000)
    qml = units_qml(units, "en")
    assert len(qml.encode()) < 120_000
    sym = _symbols(qml, list(units["unit_id"]))
    assert all(sym[a][0] != sym[b][0] for a, b in touching_pairs(units)
               if sym[a][1] == "solid" and sym[b][1] == "solid")


def _has_qgis() -> bool:
    try:
        return subprocess.run([QGIS_PYTHON, "-c", "import qgis.core"], capture_output=True,
                              timeout=60).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


QGIS_SCRIPT = r"""
import json, sys
from qgis.core import QgsApplication, QgsExpressionContextUtils, QgsRenderContext, QgsVectorLayer
app = QgsApplication([], False)
app.initQgis()
layer = QgsVectorLayer(sys.argv[1] + "|layername=units", "units", "ogr")
_, ok = layer.loadDefaultStyle()
r = layer.renderer()
ctx = QgsRenderContext()
ctx.expressionContext().appendScopes(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
r.startRender(ctx, layer.fields())
out = {}
for f in layer.getFeatures():
    ctx.expressionContext().setFeature(f)
    s = r.symbolsForFeature(f, ctx)
    out[f["unit_id"]] = [s[0].color().name(), int(s[0].symbolLayer(0).brushStyle())] if s else None
r.stopRender(ctx)
print(json.dumps({"ok": ok, "symbols": out}))
"""


@pytest.mark.skipif(not _has_qgis(), reason="QGIS's Python (/usr/bin/python3 with qgis.core) is not installed")
def test_qgis_draws_the_town_with_neighbours_in_different_colours(town: tuple[Path, gpd.GeoDataFrame]) -> None:
    gpkg, units = town
    run = subprocess.run([QGIS_PYTHON, "-c", QGIS_SCRIPT, str(gpkg)], capture_output=True, text=True, timeout=300,
                         env={"QT_QPA_PLATFORM": "offscreen", "HOME": str(gpkg.parent), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr[-2000:]
    got = json.loads(run.stdout.strip().splitlines()[-1])
    sym = got["symbols"]
    assert got["ok"] and len(sym) == len(units) and None not in sym.values()
    solid = [(a, b) for a, b in touching_pairs(units) if sym[a][1] == 1 and sym[b][1] == 1]   # Qt.SolidPattern
    assert len(solid) > 3000
    assert [(a, b) for a, b in solid if sym[a] == sym[b]] == []
    assert len({tuple(v) for v in sym.values()}) >= 5
