"""Session 40 (helper D): a generated village warned about itself. ``make_village(50, seed=2).write(d)`` then
``yuanluo validate d/households.gpkg --dem d/dem.tif`` said DEM-RES: "the DEM dem.tif has a resolution of 30 m, much
coarser than the household spacing (median nearest-neighbour distance 13 m); slopes will be smoothed" (11 of the
48 villages up to 12,000 households the tests and benches make). The generator places households around their
settlement centre a few to 15 m apart (the median) on its 30 m cells, below the warning's threshold (cells more
than twice the median spacing). But that DEM is the village's whole ground: it has no relief below its cells,
nothing is smoothed. Its GeoTIFF now says so (GDAL metadata ``YUANLUO_TERRAIN=generated``) and ``read_dem`` does
not warn of it; the same cells in a GeoTIFF without the tag (a real DEM) still warn. The villages are unchanged
(same households, same elevations)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
import rasterio
from shared_fixtures import run_cli

from yuanluo.gis.synth import make_village
from yuanluo.gis.terrain import read_dem

#: villages that warned DEM-RES of their own DEM (median nearest-neighbour spacing 13.5, 7.6, 14.4, 12.6 m)
WARNED = [(20, 1), (200, 2), (80, 2), (50, 2)]


def _codes(dem: Path, v: object) -> list[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = read_dem(dem, working_crs=v.crs, households=v.households)  # type: ignore[attr-defined]
    return [p.code for p in t.problems]


@pytest.mark.parametrize(("n", "seed"), WARNED)
def test_a_generated_village_does_not_warn_dem_res_of_its_own_dem(tmp_path: Path, n: int, seed: int) -> None:
    v = make_village(n, seed=seed)
    dem = v.write_dem(tmp_path / "dem.tif")
    assert "DEM-RES" not in _codes(dem, v)
    with rasterio.open(dem) as src:  # the village's elevations, as they were
        assert np.array_equal(src.read(1), v.dem)


def test_the_same_cells_without_the_tag_still_warn(tmp_path: Path) -> None:
    """A real DEM (the same cells, written without the generator's tag) is warned of as before."""
    v = make_village(50, seed=2)
    with rasterio.open(v.write_dem(tmp_path / "dem.tif")) as src:
        profile, z = src.profile, src.read(1)
    plain = tmp_path / "plain.tif"
    with rasterio.open(plain, "w", **profile) as dst:
        dst.write(z, 1)
    assert "YUANLUO_TERRAIN" not in rasterio.open(plain).tags()
    assert _codes(plain, v) == ["DEM-RES"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_validate_of_a_written_village_says_no_dem_warning(tmp_path: Path, lang: str) -> None:
    paths = make_village(50, seed=2).write(tmp_path)
    said = run_cli(["--lang", lang, "validate", str(paths["households"]), "--dem", str(paths["dem"])], lang)
    assert "DEM-RES" not in said and ("警告" not in said if lang == "zh" else "Warning" not in said), said
