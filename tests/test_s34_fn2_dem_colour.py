"""A GeoTIFF whose bands are colours (an RGB photo, a palette image) is DEM-FORMAT even with a CRS, not a DEM
walked over its red channel; a single Gray byte band with a CRS stays a DEM."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import rasterio
from rasterio.enums import ColorInterp
from rasterio.transform import from_origin

from yuanluo.gis.errors import DEMError
from yuanluo.gis.terrain import read_dem

_T = from_origin(500000, 3300000, 30, 30)


def _tif(f: Path, count: int, **extra: object) -> None:
    with rasterio.open(f, "w", driver="GTiff", width=8, height=8, count=count, dtype="uint8", crs="EPSG:32648",
                       transform=_T, **extra) as dst:
        dst.write(np.arange(count * 64, dtype="uint8").reshape(count, 8, 8))


def test_rgb_photo_geotiff_is_dem_format(tmp_path: Path) -> None:
    f = tmp_path / "ortho.tif"
    _tif(f, 3, photometric="RGB")
    with rasterio.open(f) as src:
        assert [c.name for c in src.colorinterp] == ["red", "green", "blue"]
    with pytest.raises(DEMError) as caught:
        read_dem(f, working_crs="EPSG:32648")
    assert caught.value.codes == ["DEM-FORMAT"]
    for lang in ("zh", "en"):
        assert "gdal_edit" not in caught.value.problems[0].fix(lang)


def test_rgba_and_set_colorinterp_are_dem_format(tmp_path: Path) -> None:
    f = tmp_path / "rgba.tif"
    _tif(f, 4)
    with rasterio.open(f, "r+") as dst:
        dst.colorinterp = [ColorInterp.red, ColorInterp.green, ColorInterp.blue, ColorInterp.alpha]
    with pytest.raises(DEMError) as caught:
        read_dem(f, working_crs="EPSG:32648")
    assert caught.value.codes == ["DEM-FORMAT"]


def test_palette_geotiff_is_dem_format(tmp_path: Path) -> None:
    f = tmp_path / "palette.tif"
    _tif(f, 1)
    with rasterio.open(f, "r+") as dst:
        dst.write_colormap(1, {i: (i, 255 - i, 0, 255) for i in range(256)})
    with pytest.raises(DEMError) as caught:
        read_dem(f, working_crs="EPSG:32648")
    assert caught.value.codes == ["DEM-FORMAT"]


def test_single_gray_byte_band_stays_a_dem(tmp_path: Path) -> None:
    f = tmp_path / "dem_bytes.tif"
    _tif(f, 1)
    with rasterio.open(f) as src:
        assert [c.name for c in src.colorinterp] == ["gray"]
    dem = read_dem(f, working_crs="EPSG:32648")
    assert np.isfinite(dem.elevation).any()
