"""DEM reading and checks (yuanluo.gis.terrain) and walking times (yuanluo.gis.cost), on tiny GeoTIFFs built here."""

from __future__ import annotations

import re
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from affine import Affine
from shapely import points

from yuanluo.gis.cost import FLAT_SPEED_KMH, tobler_kmh, walk_times
from yuanluo.gis.errors import DEMError
from yuanluo.gis.terrain import DEMWarning, read_dem, terrain_from_array

UTM = "EPSG:32631"


def write_tif(path, z, *, crs=UTM, x0=0.0, y0=300.0, res=10.0, nodata=None, dtype="float32"):
    z = np.asarray(z)
    profile = {
        "driver": "GTiff", "height": z.shape[0], "width": z.shape[1], "count": 1, "dtype": dtype,
        "transform": Affine(res, 0, x0, 0, -res, y0), "nodata": nodata,
    }
    if crs is not None:
        profile["crs"] = crs
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(z.astype(dtype), 1)
    return path


def households(xy, crs=UTM, ids=None):
    ids = ids or [f"h{i:02d}" for i in range(len(xy))]
    return gpd.GeoDataFrame(index=pd.Index(ids, name="hid"), geometry=points(np.asarray(xy, float)), crs=crs)


def plane(shape=(30, 30), base=500.0, gx=0.0, gy=0.0, res=10.0):
    rows, cols = np.mgrid[0 : shape[0], 0 : shape[1]]
    x = (cols + 0.5) * res
    y = 300.0 - (rows + 0.5) * res
    return (base + gx * x + gy * y).astype("float32")


def test_sample_bilinear_and_slope():
    # a plane z = 500 + 0.1 x: bilinear sampling is exact inside, slope = atan(0.1)
    t = terrain_from_array(plane(gx=0.1), x0=0, y0=300, res=10, crs=UTM)
    z = t.sample([[15.0, 150.0], [123.4, 77.0], [-5.0, 10.0]])
    assert z[0] == pytest.approx(501.5, abs=1e-3)
    assert z[1] == pytest.approx(512.34, abs=1e-3)
    assert np.isnan(z[2])
    assert np.nanmedian(t.slope_deg()) == pytest.approx(np.degrees(np.arctan(0.1)), abs=1e-3)


def test_read_same_crs_keeps_grid(tmp_path):
    p = write_tif(tmp_path / "dem.tif", plane(gx=0.1))
    t = read_dem(p, working_crs=UTM, households=households([[100, 100], [120, 100]]))
    assert t.elevation.shape == (30, 30) and t.res == 10.0
    assert t.elevation.dtype == np.float32
    assert t.sample([[100.0, 100.0]])[0] == pytest.approx(510.0, abs=1e-3)


def test_reprojects_from_geographic(tmp_path):
    # a DEM in EPSG:4326 whose elevation grows with latitude; read into UTM 31N
    lat0, lon0, d = 42.60, 1.50, 0.001
    rows, cols = np.mgrid[0:40, 0:40]
    z = 1000.0 + 5000.0 * (40 - rows) * d  # 5 m per 0.001 deg
    p = write_tif(tmp_path / "geo.tif", z, crs="EPSG:4326", x0=lon0, y0=lat0, res=d)
    hh = households([[1.52, 42.58]], crs="EPSG:4326").to_crs(UTM)
    t = read_dem(p, working_crs=UTM, households=hh)
    assert t.crs.to_epsg() == 32631
    assert 70 < t.res < 120  # ~0.001 deg, in metres
    # lat 42.58 is 20 rows down from the top: z = 1000 + 5 * (40 - 19.5) ~ 1102.5
    zh = t.sample(np.column_stack([hh.geometry.x, hh.geometry.y]))[0]
    assert zh == pytest.approx(1102.5, abs=6)


def test_dem_crs_missing(tmp_path):
    p = write_tif(tmp_path / "nocrs.tif", plane(), crs=None)
    with pytest.raises(DEMError) as ei:
        read_dem(p, working_crs=UTM)
    assert ei.value.codes == ["DEM-CRS"]
    assert "nocrs.tif" in str(ei.value)


def test_dem_cover_lists_ids_and_bounds(tmp_path):
    p = write_tif(tmp_path / "dem.tif", plane())
    hh = households([[100, 100], [1000, 100], [150, -50]], ids=["001", "002", "003"])
    with pytest.raises(DEMError) as ei:
        read_dem(p, working_crs=UTM, households=hh)
    assert ei.value.codes == ["DEM-COVER"]
    prob = ei.value.problems[0]
    assert prob.ids == ("002", "003")
    msg = prob.message("en")
    assert "002" in msg and "0..300" in msg


def test_dem_nodata_under_household_is_an_error(tmp_path):
    z = plane()
    z[10:13, 10:13] = -9999  # hole around (115, 185)
    p = write_tif(tmp_path / "hole.tif", z, nodata=-9999)
    hh = households([[115, 185], [250, 250]], ids=["a", "b"])
    with pytest.raises(DEMError) as ei:
        read_dem(p, working_crs=UTM, households=hh)
    assert ei.value.codes == ["DEM-NODATA"]
    assert ei.value.problems[0].ids == ("a",)


def test_dem_holes_elsewhere_are_filled_not_zero(tmp_path, monkeypatch):
    monkeypatch.setenv("YUANLUO_LANG", "en")  # the warnings are said in the chosen language
    z = plane(gx=0.1)
    z[10:13, 10:13] = -9999
    p = write_tif(tmp_path / "hole.tif", z, nodata=-9999)
    with pytest.warns(DEMWarning, match="filled by interpolation"):
        t = read_dem(p, working_crs=UTM, households=households([[250, 250], [260, 250]]))
    assert t.filled_cells == 9
    assert [q.code for q in t.problems] == ["DEM-HOLES"]
    filled = t.elevation[10:13, 10:13]
    assert not np.isnan(filled).any()
    # interpolated between neighbours (~505..537 m), never the nodata value or 0
    assert filled.min() > 500 and filled.max() < 545


def test_dem_corrupt_truncated_and_garbage(tmp_path):
    p = write_tif(tmp_path / "ok.tif", np.random.default_rng(0).normal(500, 50, (200, 200)))
    data = p.read_bytes()
    trunc = tmp_path / "trunc.tif"
    trunc.write_bytes(data[: len(data) // 2])
    garbage = tmp_path / "garbage.tif"
    garbage.write_bytes(b"not a tiff at all" * 10)
    for bad, code in ((trunc, "DEM-CORRUPT"), (garbage, "DEM-FORMAT")):
        with pytest.raises(DEMError) as ei:
            read_dem(bad, working_crs=UTM)
        assert ei.value.codes == [code], bad


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_table_given_as_the_dem_is_dem_format_without_gdals_text(tmp_path, lang):
    """`--dem 农户.csv` printed GDAL's "… not recognized as being in a supported file format.。" inside the
    Chinese message (English, and two full stops); now a catalogue message naming the file and the fix."""
    import re

    csv = tmp_path / "农户.csv"
    csv.write_text("户编号,经度,纬度\nAD0001,106.53,29.55\n", encoding="utf-8")
    with pytest.raises(DEMError) as ei:
        read_dem(csv, working_crs=UTM)
    assert ei.value.codes == ["DEM-FORMAT"]
    shown = ei.value.render(lang)
    assert "农户.csv" in shown and "GeoTIFF" in shown
    assert "--dem" not in shown  # from Python: no command-line option to name (the command line says --dem)
    assert "recognized" not in shown and "。." not in shown and ".。" not in shown
    rest = shown.replace("农户.csv", "")
    if lang == "zh":
        assert not re.search(r"[A-Za-z]{3,} [a-z]{2,}", rest)  # no English sentence
    else:
        assert not re.search(r"[\u4e00-\u9fff]", rest)


def test_dem_all_nodata_is_dem_empty(tmp_path):
    p = write_tif(tmp_path / "empty.tif", np.full((10, 10), -9999.0), nodata=-9999.0)
    with pytest.raises(DEMError) as ei:
        read_dem(p, working_crs=UTM)
    assert ei.value.codes == ["DEM-EMPTY"]
    assert "empty.tif" in ei.value.render("zh") and "无数据" in ei.value.render("zh")


@pytest.mark.parametrize(
    ("z", "needle"),
    [
        (np.zeros((30, 30)), "lowest 0.0 m, highest 0.0 m"),
        (plane(base=12000.0), "lowest 12000.0 m"),
        (plane(gx=30.0), "100% of the cells steeper than 75"),
    ],
)
def test_dem_range_warnings(tmp_path, z, needle, monkeypatch):
    monkeypatch.setenv("YUANLUO_LANG", "en")  # the warnings are said in the chosen language
    p = write_tif(tmp_path / "r.tif", z)
    with pytest.warns(DEMWarning, match=needle):
        t = read_dem(p, working_crs=UTM)
    assert "DEM-RANGE" in [q.code for q in t.problems]
    zh = next(q for q in t.problems if q.code == "DEM-RANGE").message("zh")
    assert not re.search(r"[A-Za-z]{3,}", zh.replace("DEM-RANGE", "").replace(p.name, ""))  # no English in Chinese


def test_dem_plausible_has_no_warning(tmp_path):
    p = write_tif(tmp_path / "ok.tif", plane(gx=0.1))
    with warnings.catch_warnings():
        warnings.simplefilter("error", DEMWarning)
        t = read_dem(p, working_crs=UTM, households=households([[100, 100], [130, 100]]))
    assert t.problems == []


def test_dem_res_coarse_warning(tmp_path, monkeypatch):
    monkeypatch.setenv("YUANLUO_LANG", "en")  # the warnings are said in the chosen language
    p = write_tif(tmp_path / "coarse.tif", plane(shape=(10, 10), res=90.0), y0=900.0, res=90.0)
    hh = households([[100 + 10 * i, 400] for i in range(6)])
    with pytest.warns(DEMWarning, match="90 m"):
        t = read_dem(p, working_crs=UTM, households=hh)
    assert [q.code for q in t.problems] == ["DEM-RES"]
    # the advice names a resolution finer than the one it warns of (it said "30 m or finer" of a 30 m DEM)
    assert t.problems[0].params["finer"] == 20 and "20 m or finer" in t.problems[0].message("en")


def test_households_not_modified(tmp_path):
    p = write_tif(tmp_path / "dem.tif", plane())
    hh = households([[100, 100], [120, 100]], crs=UTM).to_crs("EPSG:4326")
    before = hh.copy()
    read_dem(p, working_crs=UTM, households=hh)
    pd.testing.assert_frame_equal(hh, before)


# ---------------------------------------------------------------------------------------- cost
def test_tobler_formula_values():
    assert FLAT_SPEED_KMH == pytest.approx(5.0367, abs=1e-4)
    assert tobler_kmh(-0.05)[()] == pytest.approx(6.0)
    assert tobler_kmh(0.3)[()] == pytest.approx(6 * np.exp(-3.5 * 0.35))


def test_flat_walk_time_without_dem():
    ab, ba = walk_times([[0, 0], [0, 0]], [[1000, 0], [0, 0]])
    assert ab[0] == pytest.approx(1000 / (FLAT_SPEED_KMH * 1000 / 60))
    assert ab[1] == 0 and np.array_equal(ab, ba)


def test_uphill_slower_than_downhill_on_a_plane():
    # z = 500 + 0.2 x: constant 20% slope; Tobler is exact per step
    t = terrain_from_array(plane(gx=0.2), x0=0, y0=300, res=10, crs=UTM)
    ab, ba = walk_times([[20, 150]], [[270, 150]], t)
    dist_km = 0.25
    assert ab[0] == pytest.approx(60 * dist_km / tobler_kmh(0.2)[()], rel=1e-6)
    assert ba[0] == pytest.approx(60 * dist_km / tobler_kmh(-0.2)[()], rel=1e-6)
    assert ab[0] > 1.3 * ba[0]


def test_chunking_does_not_change_results():
    rng = np.random.default_rng(1)
    z = rng.normal(600, 30, (30, 30)).astype("float32")
    t = terrain_from_array(z, x0=0, y0=300, res=10, crs=UTM)
    a = rng.uniform(5, 295, (50, 2))
    b = rng.uniform(5, 295, (50, 2))
    full = walk_times(a, b, t)
    small = walk_times(a, b, t, chunk_samples=7)
    np.testing.assert_allclose(full[0], small[0])
    np.testing.assert_allclose(full[1], small[1])


def test_switchbacks_bound_steep_climbs():
    # 45 degree slope: straight Tobler ~39 min per 100 m; a zigzag at gradient 0.3 ~11 min
    from yuanluo.gis.cost import step_minutes

    dx, s = np.array([100.0, 100.0]), np.array([1.0, 0.1])
    pure = step_minutes(dx, s, switchback_slope=None)
    zig = step_minutes(dx, s)
    assert pure[0] == pytest.approx(100 / (tobler_kmh(1.0)[()] * 1000 / 60))
    assert zig[0] == pytest.approx((100 / 0.3) / (tobler_kmh(0.3)[()] * 1000 / 60))
    assert zig[1] == pure[1]  # gentle slopes unchanged
    t = terrain_from_array(plane(gx=1.0), x0=0, y0=300, res=10, crs=UTM)
    ab, ba = walk_times([[20, 150]], [[120, 150]], t)
    assert ab[0] == pytest.approx(zig[0], rel=1e-6)
    assert ba[0] < ab[0]


def test_dem_findings_reach_the_warning_table_and_the_run_record_in_the_chosen_language(tmp_path):
    """Through the command line a DEM warning is a row of the warning table and of the run record, in the
    language of the run, never a raw Python warning."""
    import warnings as _w

    import pyogrio
    from typer.testing import CliRunner

    from yuanluo.planners.cli import app

    z = plane(gx=0.1)
    z[10:13, 10:13] = -9999
    dem = write_tif(tmp_path / "hole.tif", z, nodata=-9999)
    hh = households([[200 + 4 * (i % 10), 200 + 5 * (i // 10)] for i in range(40)], ids=[f"h{i:02d}" for i in range(40)])
    hh_path = tmp_path / "hh.gpkg"
    hh.rename_axis("hid").reset_index().to_file(hh_path)
    for lang, word in (("en", "filled by interpolation"), ("zh", "插值")):
        out = tmp_path / f"g_{lang}.gpkg"
        with _w.catch_warnings():
            _w.simplefilter("error", DEMWarning)
            res = CliRunner().invoke(app, ["graph", str(hh_path), "--dem", str(dem), "-o", str(out), "--lang", lang])
        assert res.exit_code == 0, res.output
        assert "DEM-HOLES" in res.output
        run = pyogrio.read_dataframe(out, layer="run", read_geometry=False).astype(str)
        assert run.apply(lambda c, w=word: c.str.contains(w, regex=False)).any().any(), lang
