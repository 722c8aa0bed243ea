"""GEOM-TYPE's fix says what to do with the shapes found, as the command that printed it can (session 38, helper A).

Building footprints given as the households were told one fix for every shape and every layer: 'for building
footprints use --centroids …; split multipoints …; turn line boundaries into polygons in a GIS first', also by
``yuanluo cover``, which has no ``--centroids``, and by a ``--boundary`` of lines, to which ``--centroids`` does
nothing. Now the household file's fix names the shapes it holds only, and the option where the command has it
(``cover``: delineate with ``--centroids`` first); a layer that needs polygons is told about polygons.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import LineString, MultiPoint, box
from shared_fixtures import run_cli

from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_households

LON0, LAT0 = 106.55, 29.56
#: twelve houses of 10 m × 10 m in a row, 40 m apart
HOUSES = [box(LON0 + 0.0004 * i, LAT0, LON0 + 0.0004 * i + 0.0001, LAT0 + 0.0001) for i in range(12)]


def _footprints(tmp: Path, geoms: list | None = None) -> Path:
    p = tmp / "buildings.gpkg"
    gpd.GeoDataFrame({"户编号": [f"H{i:02d}" for i in range(12)]}, geometry=geoms or HOUSES,
                     crs="EPSG:4490").to_file(p, layer="households")
    return p


def _fix(said: str) -> str:
    block = said.split("GEOM-TYPE", 1)[1]
    return block.split("处理办法：" if "处理办法：" in block else "Fix: ", 1)[1].splitlines()[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_footprints_are_told_centroids_and_nothing_else(tmp_path: Path, lang: str) -> None:
    bld = _footprints(tmp_path)
    fix = _fix(run_cli(["validate", str(bld)], lang, code=2))
    assert "--centroids" in fix
    # was: the multipoint and line-boundary clauses too, for a file holding polygons only
    assert not any(w in fix for w in ("多点", "边界", "multipoint", "boundar")), fix
    run_cli(["validate", str(bld), "--centroids"], lang)  # the fix, followed


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_shape_found_gets_its_clause(tmp_path: Path, lang: str) -> None:
    geoms = [LineString([(LON0, LAT0), (LON0 + 0.001, LAT0)]), MultiPoint([(LON0, LAT0), (LON0, LAT0 + 0.001)]),
             *HOUSES[2:]]
    fix = _fix(run_cli(["validate", str(_footprints(tmp_path, geoms))], lang, code=2))
    words = ("--centroids", "多点", "线不能") if lang == "zh" else ("--centroids", "multipoints", "lines cannot")
    assert all(w in fix for w in words), fix
    assert fix.index(words[0]) < fix.index(words[1]) < fix.index(words[2])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cover_without_centroids_is_told_to_delineate_with_it(tmp_path: Path, lang: str) -> None:
    bld = _footprints(tmp_path)
    fix = _fix(run_cli(["cover", str(bld), "-o", str(tmp_path / "c.gpkg")], lang, code=2))
    assert "delineate" in fix and "--centroids" in fix, fix  # was: 'use --centroids', an option cover lacks
    result = tmp_path / "r.gpkg"
    run_cli(["delineate", str(bld), "--centroids", "--min", "3", "--max", "6", "-o", str(result)], lang)
    run_cli(["cover", str(result), "-o", str(tmp_path / "c.gpkg")], lang)  # the fix, followed


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_boundary_of_lines_is_not_told_centroids(tmp_path: Path, lang: str) -> None:
    hh = tmp_path / "hh.csv"
    hh.write_text("户编号,经度,纬度\n" + "".join(f"{i},{LON0 + 0.0004 * i:.6f},{LAT0:.6f}\n" for i in range(6)),
                  encoding="utf-8")
    bnd = tmp_path / "bnd.gpkg"
    ring = box(LON0 - 0.01, LAT0 - 0.01, LON0 + 0.01, LAT0 + 0.01).exterior
    gpd.GeoDataFrame({"村名": ["新华村"]}, geometry=[LineString(ring.coords)], crs="EPSG:4490").to_file(bnd)
    fix = _fix(run_cli(["validate", str(hh), "--crs", "EPSG:4490", "--boundary", str(bnd)], lang, code=2))
    assert "--centroids" not in fix and ("面" if lang == "zh" else "polygons") in fix, fix


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_python_is_told_the_keyword(tmp_path: Path, lang: str) -> None:
    with pytest.raises(InputError) as info:
        read_households(_footprints(tmp_path))
    fix = _fix(info.value.render(lang))
    assert "centroids=True" in fix and "--" not in fix and "多点" not in fix and "multipoint" not in fix, fix
    assert len(read_households(_footprints(tmp_path), centroids=True)[0]) == 12
