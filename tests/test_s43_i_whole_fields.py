"""A GeoPackage's integer field with a NULL reads back as whole numbers (session 43, helper I).

9b9fb8b/1fff880 write a 序号 as an INTEGER field, a blank 序号 as NULL; GDAL read such a field back as float64,
so a result's households (check, map, repair, cover) carried 1.0, 2.0 … and 'yuanluo map result.gpkg --fields
序号' wrote "v":[1.0,10.0,…]. gis.io.whole_fields makes a layer's integer fields pandas Int64 (NULL missing),
on the household reader's vector path and planners.workflows.read_result."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from yuanluo.gis.io import read_households
from yuanluo.planners.workflows import read_result


def _gpkg(tmp_path: Path) -> Path:
    g = gpd.GeoDataFrame({"hid": ["H1", "H2", "H3"], "序号": pd.array([1, None, 3], dtype="Int64"),
                          "unit_id": ["U1", "U1", "U1"], "area": [0.5, 1.0, None]},
                         geometry=[Point(500000 + i * 10, 3300000) for i in range(3)], crs="EPSG:4545")
    p = tmp_path / "r.gpkg"
    g.to_file(p, layer="households")
    g[["unit_id", "geometry"]].iloc[:1].to_file(p, layer="units")
    return p


def test_household_reader_keeps_whole_numbers(tmp_path: Path) -> None:
    hh = read_households(_gpkg(tmp_path), layer="households")
    hh = hh[0] if isinstance(hh, tuple) else hh
    assert str(hh["序号"].dtype) == "Int64" and hh["序号"].tolist()[0] == 1 and pd.isna(hh["序号"].tolist()[1])
    assert [str(x) for x in hh["序号"].dropna()] == ["1", "3"]


def test_result_reader_keeps_whole_numbers(tmp_path: Path) -> None:
    layers, _ = read_result(_gpkg(tmp_path))
    s = layers["households"]["序号"]
    assert str(s.dtype) == "Int64" and [str(x) for x in s.dropna()] == ["1", "3"]
    assert str(layers["households"]["area"].dtype) == "float64"  # a decimal field stays as it is
