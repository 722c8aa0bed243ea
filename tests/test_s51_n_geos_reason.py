"""One voice (session 51, helper N): GEOM-INVALID said GEOS's own English reason (``Self-intersection[379710.0952
4712597.2938]``) inside a Chinese message; now the catalogue's words in the run's language, and where."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pytest
from badfiles import HEADER, LAT0, LON0, good_rows, write_csv
from shapely import Polygon
from typer.testing import CliRunner

from yuanluo.planners.cli import app


@pytest.mark.parametrize(("lang", "said"), [("zh", "多边形边界自相交，位置 x "), ("en", "its outline crosses itself at x ")])
def test_a_self_crossing_boundary_is_said_in_the_runs_language(tmp_path: Path, lang: str, said: str) -> None:
    write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(8)])
    d = 0.01  # a village outline drawn with two corners swapped: a bow tie
    bow = Polygon([(LON0 - d, LAT0 - d), (LON0 + d, LAT0 - d), (LON0 - d, LAT0 + d), (LON0 + d, LAT0 + d)])
    gpd.GeoDataFrame({"name": ["和平村"]}, geometry=[bow], crs=4326).to_file(tmp_path / "b.gpkg")
    res = CliRunner().invoke(app, ["--lang", lang, "validate", str(tmp_path / "hh.csv"), "--crs", "EPSG:4490",
                                   "--boundary", str(tmp_path / "b.gpkg")])
    line = next(ln for ln in res.output.splitlines() if "GEOM-INVALID" in ln)
    assert said in line, res.output
    assert not re.search(r"[A-Z][a-z]+-[a-z]+|\[", line.split("GEOM-INVALID", 1)[1]), line  # no GEOS words
    if lang == "zh":
        assert not re.search(r"[A-Za-z]{3,}", line.split("GEOM-INVALID", 1)[1].replace(str(tmp_path / "b.gpkg"), "")), line
