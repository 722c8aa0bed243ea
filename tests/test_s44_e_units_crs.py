"""Session 44, helper E: unit polygons without a .prj can be given their coordinate system (--units-crs).

Found: 'yuanluo check hh.csv --crs EPSG:4490 --units units.shp' of a district's unit polygons drawn in CGCS2000
3-degree zone 108°E and saved without their .prj said CRS-MISSING with the household file's fix ('农户文件用 --crs
声明坐标系 …'); --crs is the households' and no option took the layer's. Now --units-crs declares it, and the fix
names that option and, where the layer's coordinates and the households' place bear it out, the system they are in.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box
from shared_fixtures import run_cli


def _files(tmp: Path, crs: int = 4545) -> tuple[Path, Path]:
    """10 households along 29.56°N from 106.55°E, two units of five drawn around them in ``crs``, saved as a
    Shapefile without its .prj."""
    rows = ["户编号,经度,纬度"] + [f"H{i:02d},{106.55 + 0.0004 * i:.6f},29.560000" for i in range(10)]
    hh = tmp / "hh.csv"
    hh.write_text("\n".join(rows) + "\n", encoding="utf-8")
    pts = gpd.GeoSeries(gpd.points_from_xy([106.55 + 0.0004 * i for i in range(10)], [29.56] * 10),
                        crs=4490).to_crs(crs)
    xs, y = pts.x.to_numpy(), float(pts.y.iloc[0])
    pad = 15 if crs != 4490 else 0.0001
    polys = [box(xs[0] - pad, y - pad, (xs[4] + xs[5]) / 2, y + pad), box((xs[4] + xs[5]) / 2, y - pad, xs[9] + pad, y + pad)]
    units = gpd.GeoDataFrame({"院落": ["U1", "U2"]}, geometry=polys)
    shp = tmp / "units.shp"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # no CRS written: the point
        units.to_file(shp, encoding="utf-8")
    assert not (tmp / "units.prj").exists()
    return hh, shp


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "处理办法：用 --units-crs 声明院落范围图层的坐标系：看图层的坐标和农户所在的位置，多半是 --units-crs EPSG:4545"
           "（CGCS2000 3 度带，中央经线 108°）；或在 GIS 中为图层“定义投影”（补上 Shapefile 的 .prj 文件）后另存为 GeoPackage。"),
    ("en", "Fix: declare the coordinate system of the unit polygons with --units-crs: by the layer's coordinates and "
           "where the households are, most likely --units-crs EPSG:4545 (CGCS2000 3-degree zone, central meridian "
           "108°E); or assign the layer its projection in a GIS (the .prj of a Shapefile) and save it as a GeoPackage."),
])
def test_a_layer_without_prj_is_told_the_option_and_its_zone(tmp_path: Path, lang: str, said: str) -> None:
    hh, shp = _files(tmp_path)
    out = run_cli(["check", str(hh), "--crs", "EPSG:4490", "--units", str(shp), "--min", "3", "--max", "5"],
                  lang, code=2)
    assert "CRS-MISSING" in out and said in out, out
    assert "--crs EPSG:4490" not in out.split("CRS-MISSING", 1)[1], out  # not the household file's fix


@pytest.mark.parametrize(("crs", "likely"), [(4490, "EPSG:4490"), (4523, "EPSG:4523"), (4544, "")])
def test_degrees_and_prefixed_eastings_are_told_too(tmp_path: Path, crs: int, likely: str) -> None:
    # EPSG:4523: zone 35 with the zone number before the eastings (35 xxx xxx); EPSG:4544 (105°E) where the
    # households' longitude says 108°E: the coordinates do not bear out the zone, so no zone is told, the examples are
    hh, shp = _files(tmp_path, crs=crs)
    out = run_cli(["check", str(hh), "--crs", "EPSG:4490", "--units", str(shp), "--min", "3", "--max", "5"],
                  "en", code=2)
    if likely:
        assert f"most likely --units-crs {likely} (" in out, out
    else:
        assert "most likely" not in out and "e.g. --units-crs EPSG:4490 (lon/lat) or the code" in out, out


def test_units_crs_reads_the_layer(tmp_path: Path) -> None:
    hh, shp = _files(tmp_path)
    for lang in ("zh", "en"):
        out = run_cli(["check", str(hh), "--crs", "EPSG:4490", "--units", str(shp), "--units-crs", "EPSG:4545",
                       "--min", "3", "--max", "5"], lang)
        assert ("方案检查：通过。10 户，2 个院落" if lang == "zh" else "Plan check: PASSED. 10 households, 2 units") in out, out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_units_in_another_zone_are_said_reprojected(tmp_path: Path, lang: str) -> None:
    # the units drawn in zone 35 with its prefixed eastings (EPSG:4523, declared), the households' working CRS
    # EPSG:4545: reprojected, and said so as for every other layer (it went unsaid: the layer's warnings were dropped)
    hh, shp = _files(tmp_path, crs=4523)
    gpkg = tmp_path / "units.gpkg"
    gpd.read_file(shp).set_crs(4523).to_file(gpkg)
    out = run_cli(["check", str(hh), "--crs", "EPSG:4490", "--units", str(gpkg), "--min", "3", "--max", "5"], lang)
    said = {"zh": "--units 图层 {f} 的坐标系 EPSG:4523 与工作坐标系 EPSG:4545 不同，已自动投影到 EPSG:4545。",
            "en": "The --units layer {f} is in EPSG:4523, not in the working CRS EPSG:4545; it was reprojected to "
                  "EPSG:4545."}[lang].format(f=gpkg)
    assert "LAYER-REPROJECTED" in out and said in out, out
