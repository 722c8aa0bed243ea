"""Real bad household files, one per catalogue case (ecosystem-notes §4.5), built at test time.

``CASES[name].make(tmp_path)`` writes the file(s) under ``tmp_path`` and returns ``(path, kwargs)`` for
:func:`yuanluo.gis.io.read_households`; loading must fail with ``CASES[name].code`` among the problems. The
command-line tests reuse these: exit status 2, nothing written. Keyword names match the function
(``crs``, ``layer``, ``boundary``, ``centroids``, ``id_col`` …); ``boundary`` is a file path.

Coordinates sit around Yuzhong, Chongqing (106.55°E, 29.56°N; EPSG:4545 CM 108°E).
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
from shapely.geometry import LineString, MultiPoint, Point, Polygon, box

from yuanluo.gis.chinacoords import wgs84_to_gcj02
from yuanluo.gis.crs import transform_xy

Made = tuple[Path, dict[str, Any]]


@dataclass(frozen=True)
class Case:
    """One bad input: ``make(tmp_path) -> (path, kwargs)`` and the expected error ``code``."""

    code: str
    make: Callable[[Path], Made]
    catalogue: int | None = None
    note: str = ""


LON0, LAT0 = 106.55, 29.56
HEADER = "户编号,经度,纬度,人口,村民小组"


def good_rows(n: int = 6) -> list[str]:
    """CSV data rows of ``n`` plausible households 30-60 m apart."""
    return [f"{i + 1:03d},{LON0 + 0.0004 * i:.6f},{LAT0 + 0.0003 * (i % 3):.6f},{2 + i % 4},一组" for i in range(n)]


def write_csv(tmp: Path, name: str, lines: list[str], encoding: str = "utf-8") -> Path:
    p = tmp / name
    p.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return p


def good_gdf(n: int = 6, crs: Any = 4326) -> gpd.GeoDataFrame:
    lon = LON0 + 0.0004 * np.arange(n)
    lat = LAT0 + 0.0003 * (np.arange(n) % 3)
    g = gpd.GeoDataFrame({"户编号": [f"{i + 1:03d}" for i in range(n)], "人口": [3] * n},
                         geometry=gpd.points_from_xy(lon, lat), crs=4326)
    return g.to_crs(crs)


def _csv(lines: list[str], encoding: str = "utf-8", **kw: Any) -> Callable[[Path], Made]:
    def make(tmp: Path) -> Made:
        return write_csv(tmp, "households.csv", lines, encoding), dict(kw)
    return make


def _empty(tmp: Path) -> Made:
    p = tmp / "households.csv"
    p.write_bytes(b"")
    return p, {"crs": "EPSG:4490"}


def _empty_fc(tmp: Path) -> Made:
    p = tmp / "households.geojson"
    p.write_text(json.dumps({"type": "FeatureCollection", "features": []}), encoding="utf-8")
    return p, {}


def _truncated_geojson(tmp: Path) -> Made:
    p = tmp / "households.geojson"
    good_gdf().to_file(p, driver="GeoJSON")
    text = p.read_text(encoding="utf-8")
    p.write_text(text[: len(text) // 2], encoding="utf-8")
    return p, {}


def _not_sqlite(tmp: Path) -> Made:
    p = tmp / "households.gpkg"
    p.write_text("this is not a GeoPackage\n", encoding="utf-8")
    return p, {}


def _shp(tmp: Path, drop: str | None, gdf: gpd.GeoDataFrame | None = None, encoding: str = "utf-8") -> Path:
    p = tmp / "households.shp"
    (good_gdf() if gdf is None else gdf).to_file(p, encoding=encoding)
    if drop:
        p.with_suffix(drop).unlink()
    return p


def _multi_layer(tmp: Path) -> Made:
    p = tmp / "village.gpkg"
    good_gdf().to_file(p, layer="households")
    good_gdf(3).to_file(p, layer="old_households")
    return p, {}


def _xls(tmp: Path) -> Made:
    """An Excel 97–2003 workbook (.xls, an OLE2 compound file): only .xlsx is read."""
    p = tmp / "households.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    return p, {"crs": "EPSG:4490"}


def _xlsx_not_zip(tmp: Path) -> Made:
    p = tmp / "households.xlsx"
    p.write_text("户编号,经度,纬度\n001,106.55,29.56\n", encoding="utf-8")
    return p, {"crs": "EPSG:4490"}


def _csv_is_sqlite(tmp: Path) -> Made:
    src = tmp / "real.gpkg"
    good_gdf().to_file(src)
    p = tmp / "households.csv"
    p.write_bytes(src.read_bytes())
    return p, {"crs": "EPSG:4490"}


def _polygons(tmp: Path) -> Made:
    g = good_gdf().to_crs(4545)
    g["geometry"] = g.buffer(5, cap_style="square")
    p = tmp / "footprints.gpkg"
    g.to_crs(4326).to_file(p)
    return p, {}


def _multipoint(tmp: Path) -> Made:
    g = good_gdf()
    g.loc[2, "geometry"] = MultiPoint([(LON0, LAT0), (LON0 + 0.001, LAT0)])
    p = tmp / "households.gpkg"
    g.to_file(p)
    return p, {}


def _mixed_lines(tmp: Path) -> Made:
    g = good_gdf()
    g.loc[1, "geometry"] = LineString([(LON0, LAT0), (LON0 + 0.001, LAT0)])
    p = tmp / "households.geojson"
    g.to_file(p, driver="GeoJSON")
    return p, {}


def _gk_csv(values: list[tuple[float, float]], header: str = "户编号,X,Y") -> list[str]:
    return [header] + [f"{i + 1:03d},{a:.2f},{b:.2f}" for i, (a, b) in enumerate(values)]


def _gk_points(epsg: int = 4545, n: int = 6) -> tuple[np.ndarray, np.ndarray]:
    lon = LON0 + 0.0004 * np.arange(n)
    lat = LAT0 + 0.0003 * (np.arange(n) % 3)
    return transform_xy(lon, lat, 4326, epsg)  # easting, northing


def _gkprefix(tmp: Path) -> Made:
    e, n = _gk_points(4524)  # zone-prefixed eastings (36 xxx xxx) declared as the CM variant
    return write_csv(tmp, "households.csv", _gk_csv(list(zip(n, e, strict=True)))), {"crs": "EPSG:4545"}


def _xyswap(tmp: Path) -> Made:
    e, n = _gk_points(4545)  # X holds the easting: the surveying convention says X = northing
    return write_csv(tmp, "households.csv", _gk_csv(list(zip(e, n, strict=True)))), {"crs": "EPSG:4545"}


def _metres_as_degrees(tmp: Path) -> Made:
    e, n = _gk_points(4545)
    lines = [HEADER] + [f"{i + 1:03d},{a:.2f},{b:.2f},3,一组" for i, (a, b) in enumerate(zip(e, n, strict=True))]
    return write_csv(tmp, "households.csv", lines), {"crs": "EPSG:4490"}


def _boundary_file(tmp: Path, lon: float = LON0, lat: float = LAT0, half_m: float = 150.0) -> Path:
    """A square village polygon (EPSG:4326) of side 2·half_m around a point."""
    x, y = transform_xy([lon], [lat], 4326, 4545)
    poly = box(x[0] - half_m, y[0] - half_m, x[0] + half_m, y[0] + half_m)
    g = gpd.GeoDataFrame({"name": ["和平村"]}, geometry=[poly], crs=4545).to_crs(4326)
    p = tmp / "boundary.gpkg"
    g.to_file(p)
    return p


def _wrong_zone(tmp: Path) -> Made:
    lon0 = 106.0  # really in CM 105E (EPSG:4544), declared as CM 108E (EPSG:4545)
    lon = lon0 + 0.0004 * np.arange(6)
    lat = LAT0 + 0.0003 * (np.arange(6) % 3)
    e, n = transform_xy(lon, lat, 4326, 4544)
    p = write_csv(tmp, "households.csv", _gk_csv(list(zip(n, e, strict=True))))
    return p, {"crs": "EPSG:4545", "boundary": str(_boundary_file(tmp, lon0 + 0.001, LAT0 + 0.0003))}


def _gcj(tmp: Path) -> Made:
    n = 8
    lon = LON0 + 0.0003 * (np.arange(n) % 4)
    lat = LAT0 + 0.0003 * (np.arange(n) // 4)
    glon, glat = wgs84_to_gcj02(lon, lat)  # picked on AMap: GCJ-02, declared as WGS 84
    lines = [HEADER] + [f"{i + 1:03d},{a:.7f},{b:.7f},3,一组" for i, (a, b) in enumerate(zip(glon, glat, strict=True))]
    p = write_csv(tmp, "households.csv", lines)
    return p, {"crs": "EPSG:4326", "boundary": str(_boundary_file(tmp, LON0 + 0.00045, LAT0 + 0.00015))}


def _far_outside(tmp: Path) -> Made:
    rows = good_rows()
    rows[3] = f"004,{LON0 + 0.3:.6f},{LAT0:.6f},3,一组"  # 29 km east of the village
    return write_csv(tmp, "households.csv", [HEADER, *rows]), {
        "crs": "EPSG:4490", "boundary": str(_boundary_file(tmp, LON0 + 0.001, LAT0 + 0.0003))}


def _replace(i: int, row: str) -> list[str]:
    rows = good_rows()
    rows[i] = row
    return [HEADER, *rows]


def _gbk_latin(tmp: Path) -> Made:
    p = tmp / "households.csv"
    p.write_bytes("户编号,经度,纬度,户主\n001,106.55,29.56,Müller Peña\n002,106.56,29.57,Ñandú café\n"
                  .replace("户编号", "id").replace("经度", "lon").replace("纬度", "lat").replace("户主", "name")
                  .encode("cp1252"))
    return p, {"crs": "EPSG:4490"}


def _shp_no_id(tmp: Path) -> Made:
    g = good_gdf().rename(columns={"户编号": "备注"})
    return _shp(tmp, None, g), {}


def _shp_long_chinese_field(tmp: Path) -> Made:
    """A Shapefile written by GDAL with a 7-character Chinese field name: cut to 10 bytes mid-character."""
    g = good_gdf()
    g["户主身份证号码"] = ["5001011990010100" + f"{i:02d}" for i in range(len(g))]
    p = tmp / "households.shp"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GDAL's own "laundered field name" notice
        g.to_file(p, encoding="utf-8")
    return p, {}


def _two_villages(tmp: Path, *, overlap_m: float = 0.0, names: tuple[str, str] = ("和平村", "新华村"),
                  lines: bool = False, bowtie: bool = False, prj: bool = True) -> Path:
    """Two village squares side by side around the households of :func:`good_rows` (west / east).

    ``overlap_m`` makes them overlap by that many metres around the middle household column;
    ``lines`` writes their outlines instead of polygons; ``bowtie`` makes the west one self-intersect;
    ``prj=False`` writes a Shapefile without its .prj.
    """
    lon, lat = LON0 + 0.0004 * np.arange(6), LAT0 + 0.0003 * (np.arange(6) % 3)
    x, y = transform_xy(lon, lat, 4326, 4545)
    mid = float(x[2] + x[3]) / 2  # between households 003 and 004
    x0, x1, y0, y1 = float(x.min()) - 60, float(x.max()) + 60, float(y.min()) - 60, float(y.max()) + 60
    west = box(x0, y0, mid + overlap_m, y1)
    east = box(mid - overlap_m, y0, x1, y1)
    if bowtie:
        west = Polygon([(x0, y0), (mid, y1), (mid, y0), (x0, y1)])
    geoms = [LineString(west.exterior.coords), LineString(east.exterior.coords)] if lines else [west, east]
    g = gpd.GeoDataFrame({"name": list(names)}, geometry=geoms, crs=4545).to_crs(4326)
    if prj:
        p = tmp / "villages.gpkg"
        g.to_file(p)
    else:
        p = tmp / "villages.shp"
        g.to_file(p, encoding="utf-8")
        p.with_suffix(".prj").unlink()
    return p


def _csv_with_boundary(**kw: Any) -> Callable[[Path], Made]:
    def make(tmp: Path) -> Made:
        p = write_csv(tmp, "households.csv", [HEADER, *good_rows()])
        return p, {"crs": "EPSG:4490", "boundary": str(_two_villages(tmp, **kw))}
    return make


def _codes(tmp: Path) -> Made:
    rows = [f"{r},50010100100{1 + i % 2}" for i, r in enumerate(good_rows())]
    rows[1] = rows[1].rsplit(",", 1)[0] + ",5.00101E+11"  # Excel turned the code into a number
    rows[4] = rows[4].rsplit(",", 1)[0] + ",50101001001"  # 11 digits: the leading digits were lost
    return write_csv(tmp, "households.csv", [HEADER + ",统计用区划代码", *rows]), {"crs": "EPSG:4490"}


CASES: dict[str, Case] = {
    "empty-file": Case("IO-EMPTY", _empty, 1),
    "header-only-csv": Case("IO-NOROWS", _csv([HEADER], crs="EPSG:4490"), 2),
    "empty-featurecollection": Case("IO-NOROWS", _empty_fc, 2),
    "truncated-geojson": Case("IO-CORRUPT", _truncated_geojson, 3),
    "gpkg-not-sqlite": Case("IO-CORRUPT", _not_sqlite, 4),
    "shp-missing-shx": Case("SHP-PARTS", lambda t: (_shp(t, ".shx"), {}), 5),
    "shp-missing-dbf": Case("SHP-PARTS", lambda t: (_shp(t, ".dbf"), {}), 6),
    "shp-missing-prj": Case("CRS-MISSING", lambda t: (_shp(t, ".prj"), {}), 7),
    "csv-not-gbk-not-utf8": Case("ENC-GUESS", _gbk_latin, 9),
    "csv-title-row-unknown-header": Case(
        "CSV-HEADER", _csv(["某某村农户信息表", "序,甲,乙", "1,106.55,29.56"], crs="EPSG:4490"), 11),
    "csv-comma-in-unquoted-cell": Case(
        "CSV-FIELDS", _csv([HEADER + ",住址", *[r + ",一组" for r in good_rows(3)], "004,106.5512,29.56,2,一组,一组,3号"],
                           crs="EPSG:4490"), 11),
    "gpkg-multi-layer": Case("IO-LAYER", _multi_layer, 12),
    "xls": Case("IO-FORMAT", _xls, 13),
    "xlsx-that-is-text": Case("IO-CORRUPT", _xlsx_not_zip, 4),
    "csv-that-is-sqlite": Case("IO-FORMAT", _csv_is_sqlite, 13),
    "polygons-without-centroids": Case("GEOM-TYPE", _polygons, 14),
    "mixed-point-line": Case("GEOM-TYPE", _mixed_lines, 14),
    "multipoint": Case("GEOM-TYPE", _multipoint, 15),
    "csv-without-crs": Case("CRS-MISSING", _csv([HEADER, *good_rows()]), 17),
    "lat-lon-swapped": Case(
        "COORD-SWAP", _csv(["户编号,纬度,经度", *[f"{i:03d},{LON0 + i / 1e4},{LAT0}" for i in range(1, 6)]],
                           crs="EPSG:4490"), 18),
    "metres-labelled-degrees": Case("CRS-UNITS", _metres_as_degrees, 19),
    "gk-prefixed-declared-cm": Case("CRS-GKPREFIX", _gkprefix, 21),
    "gk-x-is-easting": Case("COORD-XY-SWAP", _xyswap, 22),
    "gk-wrong-zone": Case("CRS-ZONE", _wrong_zone, 23),
    "gcj02-declared-wgs84": Case("COORD-GCJ-SUSPECT", _gcj, 24),
    "xian80": Case("CRS-LEGACY", _csv([HEADER, *good_rows()], crs="EPSG:4610"), 25),
    "blank-coordinates": Case("COORD-NAN", _csv(_replace(2, "003,,,3,一组"), crs="EPSG:4490"), 27),
    "unparsable-coordinates": Case(
        "COORD-PARSE", _csv(_replace(1, "002,东经106度半,29.56,3,一组"), crs="EPSG:4490"), 28),
    "zero-zero": Case("COORD-RANGE", _csv(_replace(4, "005,0,0,3,一组"), crs="EPSG:4490"), 29),
    "far-outside-boundary": Case("COORD-RANGE", _far_outside, 29),
    "duplicate-ids": Case("ID-DUP", _csv(_replace(3, "001,106.5512,29.5601,3,一组"), crs="EPSG:4490"), 31),
    "blank-ids": Case("ID-BLANK", _csv(_replace(3, ",106.5512,29.5601,3,一组"), crs="EPSG:4490"), 32),
    "excel-scientific-ids": Case(
        "ID-SCI", _csv(_replace(3, "5.00101E+17,106.5512,29.5601,3,一组"), crs="EPSG:4490"), 34),
    "two-longitude-columns": Case(
        "COL-AMBIG", _csv(["户编号,经度,lon,纬度", *[f"{i:03d},{LON0},{LON0},{LAT0 + i / 1e4}" for i in range(1, 5)]],
                          crs="EPSG:4490"), 35),
    "persons-not-numeric": Case("ATTR-TYPE", _csv(_replace(0, "001,106.55,29.56,三口,一组"), crs="EPSG:4490"), 37),
    "persons-negative": Case("ATTR-TYPE", _csv(_replace(0, "001,106.55,29.56,-2,一组"), crs="EPSG:4490"), 37),
    "no-id-column": Case("COL-MISSING", _shp_no_id, None, "no id column and no id_col"),
    "shp-chinese-fieldname-cut": Case("SHP-FIELDNAME", _shp_long_chinese_field, 36),
    "village-code-not-12-digits": Case("ATTR-CODE", _codes, 38),
    "household-in-two-villages": Case("SPAT-AMBIG", _csv_with_boundary(overlap_m=30.0), 42),
    "boundary-self-intersecting": Case("GEOM-INVALID", _csv_with_boundary(bowtie=True), 44),
    "boundary-lines": Case("GEOM-TYPE", _csv_with_boundary(lines=True), 46),
    "boundary-duplicate-names": Case("BND-ID", _csv_with_boundary(names=("和平村", "和平村")), 47),
    "boundary-without-prj": Case("CRS-MISSING", _csv_with_boundary(prj=False), 17, "the boundary has no CRS"),
    "unknown-crs": Case("CRS-INVALID", _csv([HEADER, *good_rows()], crs="EPSG:999999"), None),
    "missing-file": Case("IO-NOTFOUND", lambda t: (t / "nothing-here.csv", {"crs": "EPSG:4490"}), None),
    "folder-not-file": Case("IO-ISDIR", lambda t: (t, {"crs": "EPSG:4490"}), None),
}

__all__ = ["CASES", "Case", "good_rows", "good_gdf", "write_csv", "HEADER", "LON0", "LAT0", "Point", "Polygon"]
