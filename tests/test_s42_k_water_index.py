"""``delineate --water DLTB``: the result's water layer (the land use's water classes only) had a stray field
``index`` (0, 1, 3, 4: the rows left by the filter), with no alias, in QGIS."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import geopandas as gpd
from shapely import box
from shared_fixtures import lonlat_households_csv, run_cli


def test_no_layer_of_the_result_has_a_field_index(tmp_path: Path) -> None:
    hh = lonlat_households_csv(tmp_path, 106.55, 29.56)
    pts = gpd.read_file(hh)
    lon0, lat0, lon1, lat1 = 106.549, 29.559, 106.561, 29.562
    rows = [("0103", "旱地", box(lon0, lat0, lon1, lat1)),
            ("1101", "河流水面", box(106.5521, lat0, 106.5522, lat1)),
            ("0702", "农村宅基地", box(106.5501, 29.5601, 106.5502, 29.5602)),
            ("1104", "坑塘水面", box(106.5601, 29.5615, 106.5603, 29.5617))]
    dltb = gpd.GeoDataFrame({"DLBM": [r[0] for r in rows], "DLMC": [r[1] for r in rows]},
                            geometry=[r[2] for r in rows], crs="EPSG:4490")
    dltb.to_file(tmp_path / "DLTB.shp", encoding="utf-8")
    out = tmp_path / "r.gpkg"
    run_cli(["delineate", str(hh), "--crs", "EPSG:4490", "--water", str(tmp_path / "DLTB.shp"), "--min", "4",
             "--max", "8", "-o", str(out), "-q"])
    assert len(pts) == 24
    water = gpd.read_file(out, layer="water")
    assert sorted(water["DLMC"]) == ["坑塘水面", "河流水面"]
    with sqlite3.connect(out) as c:
        tables = [t for (t,) in c.execute("select table_name from gpkg_contents")]
        fields = {t: [r[1] for r in c.execute(f'pragma table_info("{t}")')] for t in tables}
    assert "water" in fields
    assert not [t for t, cols in fields.items() if "index" in cols], fields
