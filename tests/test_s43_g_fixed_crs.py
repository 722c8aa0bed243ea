"""Session 43, helper G: existing points taken on AMap (GCJ-02) beside candidates measured by GPS (WGS 84).

``yuanluo cover`` read the ``--candidates`` and ``--fixed`` tables in the one system ``--crs`` names, so a clerk's
list of existing halls read off AMap and a candidate list from GPS could not be given in one run: one of them
landed 300–500 m off in Chongqing (for the synthetic village here about 520 m). ``--fixed-crs`` names the
existing points' system where it differs; without it ``--crs`` serves both, as before.
"""

from __future__ import annotations

import geopandas as gpd
import openpyxl
import pytest
from shared_fixtures import run_cli

from yuanluo.gis.chinacoords import wgs84_to_gcj02
from yuanluo.gis.output import write_layers
from yuanluo.gis.synth import make_village


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory):
    d = tmp_path_factory.mktemp("fixed_crs")
    v = make_village(200, seed=2)
    hh = v.households
    write_layers(d / "result.gpkg", {"households": hh.reset_index(), "rivers": v.rivers, "roads": v.roads})
    wgs = hh.geometry.to_crs(4326)
    # the existing hall beside household 10, read off AMap (GCJ-02), in a workbook as a clerk types it
    lon, lat = wgs84_to_gcj02(wgs.x.iloc[10], wgs.y.iloc[10])
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["名称", "经度", "纬度"])
    ws.append(["村委会", round(float(lon), 7), round(float(lat), 7)])
    wb.save(d / "现有.xlsx")
    # candidates beside households 50 and 150, by GPS (WGS 84), in a CSV
    rows = [f"院坝{i},{wgs.x.iloc[i]:.7f},{wgs.y.iloc[i]:.7f}" for i in (50, 150)]
    (d / "候选.csv").write_text("名称,经度,纬度\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return d, hh


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_table_in_its_own_system(village, tmp_path, lang):
    d, hh = village
    out = tmp_path / "c.gpkg"
    run_cli(["cover", str(d / "result.gpkg"), "--candidates", str(d / "候选.csv"), "--crs", "EPSG:4326",
             "--fixed", str(d / "现有.xlsx"), "--fixed-crs", "gcj02", "--hubs", "1", "-o", str(out)], lang=lang)
    hubs = gpd.read_file(out, layer="hubs").to_crs(hh.crs).set_index("name")
    assert hubs.loc["村委会", "level"] == "fixed"
    assert hubs.loc["村委会"].geometry.distance(hh.geometry.iloc[10]) < 1.0  # where the clerk meant, not 500 m off
    chosen = [(name, i) for name, i in (("院坝50", 50), ("院坝150", 150)) if name in hubs.index]
    assert len(chosen) == 1 and len(hubs) == 2  # --hubs 1 beside the existing point: one candidate more
    name, i = chosen[0]
    assert hubs.loc[name].geometry.distance(hh.geometry.iloc[i]) < 1.0


def test_without_it_crs_serves_both_tables(village, tmp_path):
    d, hh = village
    out = tmp_path / "c.gpkg"
    run_cli(["cover", str(d / "result.gpkg"), "--crs", "gcj02", "--fixed", str(d / "现有.xlsx"), "-o", str(out)])
    hubs = gpd.read_file(out, layer="hubs").to_crs(hh.crs).set_index("name")
    assert hubs.loc["村委会"].geometry.distance(hh.geometry.iloc[10]) < 1.0
