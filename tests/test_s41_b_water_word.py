"""Session 41, helper B: one word for the water polygons.

A result written with ``--water`` showed its water layer in QGIS as 水域 (fields.toml ``layer.water``), while the
field and coverage maps' switchers and legends (``map.water``), the print maps' legends (``print.water``), the
option's help (水面图层) and the graph's cut reasons (被水面隔开) say 水面: the polygons that cut the walk are 水面
throughout the catalogue (水域 is the land survey's class name, 水域及水利设施用地, where load.toml names it). The
GeoPackage layer title is now 水面 too.

Fixture: a 200-household synthetic village with a pond and its rivers, ``yuanluo delineate … --water``, zh and en.
"""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shared_fixtures import QGIS_PY, has_qgis, run_cli

from yuanluo.gis.catalogue import text
from yuanluo.gis.synth import make_village

QGIS_TITLE = """
import sys
from qgis.core import QgsApplication, QgsVectorLayer
a = QgsApplication([], False); a.initQgis()
lyr = QgsVectorLayer(sys.argv[1] + '|layername=water', 'x', 'ogr')
print('TITLE', lyr.isValid(), lyr.metadata().title())
"""


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("v")
    make_village(200, seed=3).write(d / "v")
    hh = gpd.read_file(d / "v" / "households.gpkg", layer="households")
    x0, y0, _, _ = hh.total_bounds
    gpd.GeoDataFrame(geometry=[shapely.box(x0 - 150, y0 - 150, x0 - 50, y0 - 50)], crs=hh.crs).to_file(
        d / "pond.gpkg", layer="water")
    return d


def test_the_geopackage_calls_the_water_layer_as_the_maps_do(village: Path, tmp_path: Path) -> None:
    for lang in ("zh", "en"):
        _check(village, tmp_path / lang, lang)


def _check(village: Path, tmp_path: Path, lang: str) -> None:
    tmp_path.mkdir()
    out = tmp_path / "r.gpkg"
    run_cli(["--lang", lang, "delineate", str(village / "v" / "households.gpkg"), "--dem", str(village / "v" / "dem.tif"),
             "--water", str(village / "pond.gpkg"), "--rivers", f"{village / 'v' / 'context.gpkg'}::rivers",
             "--preset", "banan", "-o", str(out), "-q"], lang)
    con = sqlite3.connect(out)
    try:
        (title,) = con.execute("SELECT identifier FROM gpkg_contents WHERE table_name = 'water'").fetchone()
    finally:
        con.close()
    word = text("map.water", lang)
    assert word == text("print.water", lang)  # the maps' legends and switchers, the print maps' legends
    assert title == word, title  # 水域 before
    if has_qgis():  # as QGIS shows the layer
        res = subprocess.run([QGIS_PY, "-c", QGIS_TITLE, str(out)], capture_output=True, text=True, timeout=120,
                             env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
        line = next(x for x in res.stdout.splitlines() if x.startswith("TITLE"))
        assert line == f"TITLE True {word}", res.stdout + res.stderr
