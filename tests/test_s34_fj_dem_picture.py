"""A picture given as the DEM (PNG bytes named .tif) is DEM-FORMAT, not DEM-CRS with a gdal_edit fix that
would give the picture a coordinate system."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from yuanluo.gis.errors import DEMError
from yuanluo.gis.terrain import read_dem


def _png(gray: int = 128, size: int = 4) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + bytes([gray]) * size for _ in range(size))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.mark.parametrize("name", ["dem.tif", "dem.png"])
def test_png_is_not_a_dem(tmp_path: Path, name: str) -> None:
    f = tmp_path / name
    f.write_bytes(_png())
    with pytest.raises(DEMError) as caught:
        read_dem(f, working_crs="EPSG:32648")
    assert caught.value.codes == ["DEM-FORMAT"], caught.value.codes
    for lang in ("zh", "en"):
        assert "gdal_edit" not in caught.value.problems[0].fix(lang)


def test_png_with_a_world_file_and_crs_is_still_not_a_dem(tmp_path: Path) -> None:
    f = tmp_path / "dem.png"
    f.write_bytes(_png())
    (tmp_path / "dem.pgw").write_text("30\n0\n0\n-30\n500000\n3300000\n", encoding="ascii")
    (tmp_path / "dem.png.aux.xml").write_text(
        "<PAMDataset><SRS>EPSG:32648</SRS></PAMDataset>", encoding="ascii")
    with pytest.raises(DEMError) as caught:
        read_dem(f, working_crs="EPSG:32648")
    assert caught.value.codes == ["DEM-FORMAT"]


def test_geotiff_without_crs_is_still_dem_crs(tmp_path: Path) -> None:
    f = tmp_path / "dem.tif"
    with rasterio.open(f, "w", driver="GTiff", width=4, height=4, count=1, dtype="float32",
                       transform=from_origin(500000, 3300000, 30, 30)) as dst:
        dst.write(np.full((1, 4, 4), 300, dtype="float32"))
    with pytest.raises(DEMError) as caught:
        read_dem(f, working_crs="EPSG:32648")
    assert caught.value.codes == ["DEM-CRS"]
