"""A working CRS pyproj cannot read (``None``, ``"junk"``) given to ``read_dem``, ``to_working_crs`` or
``make_village`` is CRS-WORKING-UNKNOWN naming the keyword (as read_households says it), not pyproj's own CRSError."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest

from yuanluo.gis.crs import to_working_crs
from yuanluo.gis.errors import CRSError
from yuanluo.gis.synth import make_village
from yuanluo.gis.terrain import read_dem


@pytest.mark.parametrize("bad", [None, "junk"])
def test_read_dem_with_an_unreadable_working_crs(tmp_path: Path, bad: str | None) -> None:
    make_village(20, seed=1).write(tmp_path)
    with pytest.raises(CRSError) as info:
        read_dem(tmp_path / "dem.tif", working_crs=bad)
    p = info.value.problems[0]
    assert p.code == "CRS-WORKING-UNKNOWN" and "working_crs" in p.fix("en") and "working_crs" in p.fix("zh")


def test_to_working_crs_with_an_unreadable_crs() -> None:
    g = gpd.GeoDataFrame(geometry=gpd.points_from_xy([106.55], [29.56]), crs=4326)
    with pytest.raises(CRSError) as info:
        to_working_crs(g, crs="junk")
    assert info.value.problems[0].code == "CRS-WORKING-UNKNOWN" and "crs=" in info.value.problems[0].fix("en")


def test_make_village_with_an_unreadable_crs() -> None:
    with pytest.raises(CRSError) as info:
        make_village(20, crs="junk")
    assert info.value.problems[0].code == "CRS-WORKING-UNKNOWN" and "EPSG:4545" in info.value.problems[0].fix("en")
