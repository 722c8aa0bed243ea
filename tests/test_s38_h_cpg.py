"""Session 38 audit (helper H): a Shapefile's .cpg naming a Chinese encoding GDAL reads wrongly.

- A .cpg saying ``GB2312`` (as many Chinese exports write it) beside GBK text: GDAL's strict GB2312 turned the
  characters beyond it into Latin letters with only a Python RuntimeWarning, so the groups 李家塆 / 王家塝 read
  as 李家G / 王家Y and ``validate`` said nothing; a water layer's ZLDWMC went into a delineation as 李家G. A
  GB2312 or GBK label is now read as GB18030, which holds both.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from yuanluo.gis.io import read_households, read_layer

E0, N0 = 388000.0, 3296000.0  # CGCS2000 3° GK CM 105E (EPSG:4544)
GROUPS = ["李家塆", "王家塝"]


def _write(g: gpd.GeoDataFrame, p: Path, cpg: str) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g.to_file(p, encoding="gbk")
    p.with_suffix(".cpg").write_text(cpg)
    return p


def _households(folder: Path, cpg: str) -> Path:
    g = gpd.GeoDataFrame({"户编号": [f"{i:04d}" for i in range(6)], "组": [GROUPS[i % 2] for i in range(6)]},
                         geometry=[Point(E0 + 40 * i, N0) for i in range(6)], crs="EPSG:4544")
    return _write(g, folder / "户.shp", cpg)


@pytest.mark.parametrize("cpg", ["GB2312", "gb2312", "GBK", "936", "CP936"])
def test_chinese_cpg_reads_characters_beyond_gb2312(tmp_path: Path, cpg: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # GDAL's "couldn't be converted from GB2312"
        h, rep = read_households(_households(tmp_path, cpg))
    assert sorted(set(h["group"])) == sorted(GROUPS)
    assert rep.encoding == "GB18030" and not rep.warnings


def test_gb2312_given_as_encoding_reads_the_same(tmp_path: Path) -> None:
    p = _households(tmp_path, "GB2312")
    p.with_suffix(".cpg").unlink()
    h, _ = read_households(p, encoding="GB2312")
    assert sorted(set(h["group"])) == sorted(GROUPS)


def test_gb2312_cpg_land_use_layer(tmp_path: Path) -> None:
    g = gpd.GeoDataFrame({"DLBM": ["1104"], "DLMC": ["坑塘水面"], "ZLDWMC": ["李家塆"]},
                         geometry=[box(E0, N0, E0 + 50, N0 + 50)], crs="EPSG:4544")
    p = _write(g, tmp_path / "gb.shp", "GB2312")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        w = read_layer(p, kind="water", working_crs="EPSG:4544")
    assert w["ZLDWMC"].tolist() == ["李家塆"]


# ---------------------------------------------------------------- "ANSI 936" and a .cpg naming no known encoding
def _latin(folder: Path, cpg: str) -> Path:
    g = gpd.GeoDataFrame({"hid": ["a", "b"], "PLACE": ["Œuvre €5", "Lòria"]},
                         geometry=[Point(E0, N0), Point(E0 + 40, N0)], crs="EPSG:4544")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g.to_file(folder / "w.shp", encoding="cp1252")
    (folder / "w.cpg").write_text(cpg)
    return folder / "w.shp"


def test_arcgis_ansi_936_cpg(tmp_path: Path) -> None:
    h, rep = read_households(_households(tmp_path, "ANSI 936"))
    assert sorted(set(h["group"])) == sorted(GROUPS) and rep.encoding == "GB18030" and not rep.warnings


def test_arcgis_ansi_1252_cpg(tmp_path: Path) -> None:
    h, rep = read_households(_latin(tmp_path, "ANSI 1252"))
    assert h["PLACE"].tolist() == ["Œuvre €5", "Lòria"] and not rep.warnings


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_unknown_cpg_is_read_from_the_content_with_a_warning(tmp_path: Path, lang: str) -> None:
    p = _households(tmp_path, "GB-2312-X")
    h, rep = read_households(p)
    assert sorted(set(h["group"])) == sorted(GROUPS)
    (w,) = rep.warnings
    assert w.code == "SHP-CPG-UNKNOWN" and w.severity == "warning"
    text = w.message(lang)
    assert "GB-2312-X" in text and "户.cpg" in text and "GB18030" in text


# ---------------------------------------------------------------- a CSV given --encoding GB2312
@pytest.mark.parametrize("given", ["GB2312", "gbk", "936"])
def test_csv_given_gb2312_reads_characters_beyond_it(tmp_path: Path, given: str) -> None:
    p = tmp_path / "hh.csv"
    p.write_bytes("户编号,组,经度,纬度\n1,李家塆,106.5,29.5\n2,王家塝,106.5003,29.5002\n".encode("gbk"))
    h, _ = read_households(p, crs="EPSG:4490", encoding=given)
    assert h["group"].tolist() == GROUPS
