"""Audit s40 G §2: DEM-COVER printed a projected DEM's northings as 'y 3.29946e+06..3.30072e+06'; now whole metres
(degrees to 1e-5 for a DEM in lon/lat). Where many households lie just beyond the DEM's edge, the fix says it may be
a web map's coordinate offset (--crs gcj02); a household far off, or a few, keep the plain fix."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from affine import Affine
from shapely import points

from yuanluo.gis.errors import DEMError
from yuanluo.gis.terrain import read_dem

CRS = "EPSG:4544"
X0, Y0 = 439_000.0, 3_300_720.0  # a DEM of 30 x 30 cells of 10 m: x 439000..439300, y 3300420..3300720


def _dem(path: Path, crs: str = CRS, x0: float = X0, y0: float = Y0, res: float = 10.0) -> Path:
    z = 500.0 + np.arange(30, dtype=np.float32)[None, :] * np.ones((30, 1), dtype=np.float32)
    with rasterio.open(path, "w", driver="GTiff", height=30, width=30, count=1, dtype="float32", crs=crs,
                       transform=Affine(res, 0, x0, 0, -res, y0)) as ds:
        ds.write(z, 1)
    return path


def _cover(dem: Path, xy: list[tuple[float, float]]) -> DEMError:
    hh = gpd.GeoDataFrame(index=[f"{i:03d}" for i in range(len(xy))],
                          geometry=points(np.asarray(xy, dtype=float)), crs=CRS)
    with pytest.raises(DEMError) as ei:
        read_dem(dem, working_crs=CRS, households=hh)
    assert ei.value.codes == ["DEM-COVER"]
    return ei.value


INSIDE = [(X0 + 20 + 13 * i, Y0 - 20 - 13 * i) for i in range(20)]


def test_bounds_in_whole_metres_and_an_offset_suggested(tmp_path: Path) -> None:
    err = _cover(_dem(tmp_path / "d.tif"), INSIDE + [(X0 + 100 + 10 * i, Y0 + 250) for i in range(5)])
    zh, en = err.problems[0].message("zh"), err.problems[0].message("en")
    assert "x 439000..439300, y 3300420..3300720" in en and "e+06" not in en, en
    assert "y 3300420..3300720" in zh and "e+06" not in zh, zh
    assert "within 1 km beyond the DEM's edge" in en and "--crs gcj02" in en, en
    assert "边缘外 1 千米以内" in zh and "--crs gcj02" in zh, zh


@pytest.mark.parametrize("outside", [[(X0 + 100, Y0 + 250)], [(X0 + 100 + 10 * i, Y0 + 50_000) for i in range(5)]])
def test_a_few_or_far_households_keep_the_plain_fix(tmp_path: Path, outside: list[tuple[float, float]]) -> None:
    err = _cover(_dem(tmp_path / "d.tif"), INSIDE + outside)
    en = err.problems[0].message("en")
    assert "gcj02" not in en and "check the household coordinates." in en, en


def test_a_dem_in_degrees_keeps_five_decimals(tmp_path: Path) -> None:
    dem = _dem(tmp_path / "g.tif", crs="EPSG:4490", x0=103.85, y0=29.82, res=0.0001)
    err = _cover(dem, [(439_100.0, 3_299_000.0 + 10 * i) for i in range(3)])
    assert "x 103.85000..103.85300, y 29.81700..29.82000" in err.problems[0].message("en")
