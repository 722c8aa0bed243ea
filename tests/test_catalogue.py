"""The one message catalogue: both languages everywhere, the same fields, and no mixed text.

Rendered Chinese contains no Latin words except codes, ids, option names, file names, units of measure, product
and format names and quoted data values; rendered English contains no Han characters except data values (the
usual Chinese column names a planner's file has, and quoted values).
"""

from __future__ import annotations

import re

import pytest

from yuanluo.gis.catalogue import LANGS, catalogue, fields_of, text
from yuanluo.gis.columns import ALIASES

ENTRIES = sorted(catalogue())

#: Latin words a Chinese sentence may contain: product, format, standard and unit names.
PRODUCT_WORDS = {
    "GeoPackage", "GeoJSON", "GeoParquet", "Shapefile", "GeoTIFF", "GIS", "QGIS", "ArcGIS", "Excel", "WPS", "CSV",
    "TOML", "HTML", "PNG", "PDF", "JSON", "GraphML", "DEM", "SRTM", "ODbL", "GPS", "OSM", "OpenStreetMap", "EPSG", "CRS",
    "PROJ", "GBK", "UTF", "BOM", "dBASE", "WGS", "CGCS", "CGCS2000", "GCJ", "BD", "UTM", "Python", "pip", "Windows",
    "macOS", "Linux", "Chromium", "Leaflet", "HiGHS", "MILP", "README", "ID", "XLSX", "xlsx", "csv", "gpkg",
    "km", "m", "min", "MB", "KB", "GB", "px", "dpi", "A3", "A4", "Microsoft", "YaHei", "SimHei", "Noto", "CJK",
    "Tianditu", "AMap", "osm", "tianditu", "amap", "wgs84", "cgcs2000", "gcj02", "bd09", "Debian", "Ubuntu",
    "Parquet", "SQLite", "ZIP",
}
#: canonical column and layer names of Yuanluo's files (ids, not English sentences)
NAMES = {"hid", "persons", "village", "group", "settlement", "head_candidate", "unit_id", "households", "units",
         "meeting_points", "unit_adjacency", "hierarchy", "run", "lon", "lat", "x", "y", "status", "reason",
         "hubs", "coverage", "True", "False", "None"}
_HAN = re.compile(r"[\u3400-\u9fff]")
_DATA_WORDS = {a for aliases in ALIASES.values() for a in aliases if _HAN.search(a)} | {"是", "否", "有", "无"}


#: a run of code (ASCII, its quoted strings holding any text): one with quotes of its own is written bare, not in “”
_CODE = re.compile(r"""(?:'[^'\n]*'|"[^"\n]*"|[\x20\x21\x23-\x26\x28-\x7e…])+""")
_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|\w\(.*\{\w+\}.*\)")  # or a call given a quoted value at run time


def _without_code(s: str) -> str:
    return _CODE.sub(lambda m: " " if _QUOTED.search(m.group()) else m.group(), s)


def _without_allowed_latin(s: str) -> str:
    s = _without_code(s)                                        # code with quotes of its own: preset = "banan"
    s = re.sub(r"\{[^}]*\}", " ", s)                          # template fields (data values)
    s = re.sub(r"[\"'`“‘][^\"'`”’]*[\"'`”’]", " ", s)        # quoted values
    s = re.sub(r"yuanluo(\s+[\x21-\x7e]+)*", " ", s)          # a command example
    s = re.sub(r"--[\w-]+(\s+[A-Za-z0-9_.:/,|-]+(?=[\s，。；、）)]|$))?", " ", s)  # an option and its value
    s = re.sub(r"\b[A-Z][A-Z0-9]*(-[A-Z0-9]+)+\b", " ", s)    # codes such as COORD-SWAP, EPSG:4545
    s = re.sub(r"[\w.-]*[._/:\\][\w./:\\-]+", " ", s)         # identifiers, file names, paths, x.y.z()
    s = re.sub(r"\w+=\w*", " ", s)                             # a keyword argument or setting
    s = re.sub(r"\b[A-Z][a-z]+[A-Z]\w*", " ", s)               # a class name (TerrainGraph)
    return s


def _latin_words(s: str) -> list[str]:
    words = re.findall(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]+", _without_allowed_latin(s))
    return [w for w in words if w not in PRODUCT_WORDS and w not in NAMES and not any(c.isdigit() for c in w)]


def _han_outside_data(s: str) -> list[str]:
    s = re.sub(r"\{[^}]*\}", " ", s)
    s = re.sub(r"[\"'`“‘][^\"'`”’]*[\"'`”’]", " ", s)
    for w in sorted(_DATA_WORDS, key=len, reverse=True):
        s = s.replace(w, " ")
    return _HAN.findall(s)


@pytest.mark.parametrize("key", ENTRIES)
def test_both_languages_have_the_same_fields_and_parameters(key: str) -> None:
    entry = catalogue()[key]
    assert set(entry["zh"]) == set(entry["en"]), key
    for field in entry["zh"]:
        assert fields_of(entry["zh"][field]) == fields_of(entry["en"][field]), (key, field)


@pytest.mark.parametrize("key", ENTRIES)
def test_chinese_has_no_english_words(key: str) -> None:
    for field, tmpl in catalogue()[key]["zh"].items():
        assert _latin_words(tmpl) == [], (key, field, tmpl)


@pytest.mark.parametrize("key", ENTRIES)
def test_english_has_no_chinese(key: str) -> None:
    for field, tmpl in catalogue()[key]["en"].items():
        assert _han_outside_data(tmpl) == [], (key, field, tmpl)


def test_problem_codes_have_a_title_in_both_languages() -> None:
    for key, entry in catalogue().items():
        if re.fullmatch(r"[A-Z][A-Z0-9]*(-[A-Z0-9]+)+|ERROR", key):
            assert all(entry[lang].get("title") for lang in LANGS), key


def test_the_purity_checks_can_fail() -> None:
    assert _latin_words("文件 {file} 的 isolated component 无法划分") == ["isolated", "component"]
    assert _latin_words("用 --layer 指定图层，例如 --layer 户 (yuanluo check a.gpkg --preset banan)，见 GeoPackage") == []
    assert _han_outside_data("the file has no column 户编号, the plan 失败") == ["失", "败"]


def test_text_renders_fields_and_keeps_unknown_ones() -> None:
    assert text("problem.rows", "en", rows="1, 2") == "rows 1, 2"
    assert text("problem.rows", "zh") == "第 {rows} 行"
