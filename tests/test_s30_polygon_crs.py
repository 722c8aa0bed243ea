"""Unit polygons or households without a coordinate system, given to assign_by_unit_polygons from Python, are
CRS-UNSET with a fix that declares it (they were CRS-PROJECTED "coordinate system None", whose fix, projecting,
fails the same way)."""
from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from yuanluo.gis.errors import CRSError
from yuanluo.gis.plan import assign_by_unit_polygons


@pytest.mark.parametrize("which", ["households", "units"])
def test_a_layer_without_crs_is_said_to_have_none(which: str) -> None:
    hh = gpd.GeoDataFrame(geometry=[Point(1, 1), Point(5, 5)], crs="EPSG:32631")
    units = gpd.GeoDataFrame({"uid": ["U1"]}, geometry=[box(0, 0, 6, 6)], crs="EPSG:32631")
    if which == "households":
        hh = hh.set_crs(None, allow_override=True)
    else:
        units = units.set_crs(None, allow_override=True)
    with pytest.raises(CRSError) as e:
        assign_by_unit_polygons(hh, units, "uid")
    (p,) = e.value.problems
    assert p.code == "CRS-UNSET" and f"{which}.set_crs(" .replace("households", "hh") in p.fix("en"), p.fix("en")
