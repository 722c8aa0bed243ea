"""``validate --water`` reads and checks the water file once (session 53, helper N, round 2): it was read twice
(``read_layer``, and ``layer_as_stored`` for the household-in-water check), its validity tested for
LAYER-WATER-INVALID three times (those two readings, and the water they gave checked again as a layer passed in
memory to ``read_households``), and its blocking water found twice (the household check, then the offset against
the water). Now ``load_inputs`` reads it once (``gis.io.stored_layer``), the household check takes the blocking
water as read and checked (``gis.io.CheckedLayer``), and the offset takes the same polygons: the same warnings,
in both languages, the same graph (validate of 3,000 households against a 30,000-polygon DLTB: 2.2 -> 1.4 CPU s)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from badfiles import HEADER, LAT0, LON0, good_rows, write_csv
from shapely import Polygon, box
from typer.testing import CliRunner

import yuanluo.gis.barriers as barriers
import yuanluo.gis.io as gio
from yuanluo.planners.cli import app

N = 30  # ponds; as many fields of farmland, one bow-tie river among them


def _dltb(tmp: Path) -> Path:
    """A land survey's layer in WGS 84 around the households (validate's working CRS is a projected one)."""
    d = 0.0004
    ponds = [box(LON0 + 0.001 * i, LAT0 + 0.002, LON0 + 0.001 * i + d, LAT0 + 0.002 + d) for i in range(N)]
    fields = [box(LON0 + 0.001 * i, LAT0 - 0.002, LON0 + 0.001 * i + d, LAT0 - 0.002 + d) for i in range(N)]
    x, y = LON0 + 0.0014, LAT0 + 0.0001
    bow = Polygon([(x - d, y - d), (x + d, y - d), (x - d, y + d), (x + d, y + d)])
    gpd.GeoDataFrame({"DLBM": ["1104"] * N + ["0103"] * N + ["1101"],
                      "DLMC": ["坑塘水面"] * N + ["旱地"] * N + ["河流水面"]},
                     geometry=[*ponds, *fields, bow], crs=4326).to_file(tmp / "dltb.gpkg")
    return tmp / "dltb.gpkg"


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often the survey file was read, its validity tested for LAYER-WATER-INVALID, its blocking water
    found; how many geometries ``shapely.is_valid`` was given."""
    seen = {"read": 0, "warning": 0, "blocking": 0, "is_valid": 0}
    read, warn, block, valid = pyogrio.read_dataframe, gio._water_invalid, barriers.blocking_water, shapely.is_valid

    def reading(path: Any, *args: Any, **kw: Any) -> Any:
        seen["read"] += "dltb" in str(path) and kw.get("read_geometry", True)
        return read(path, *args, **kw)

    def warning(*args: Any, **kw: Any) -> Any:
        seen["warning"] += 1
        return warn(*args, **kw)

    def blocking(*args: Any, **kw: Any) -> Any:
        seen["blocking"] += 1
        return block(*args, **kw)

    def testing(geoms: Any, *args: Any, **kw: Any) -> Any:
        seen["is_valid"] += int(np.size(geoms))
        return valid(geoms, *args, **kw)

    monkeypatch.setattr(pyogrio, "read_dataframe", reading)
    monkeypatch.setattr(gio, "_water_invalid", warning)
    monkeypatch.setattr(barriers, "blocking_water", blocking)
    monkeypatch.setattr(shapely, "is_valid", testing)
    return seen


@pytest.mark.parametrize(("lang", "said"), [("zh", "（第 61 行；河流水面 1101 ×1）"), ("en", "(row 61; 河流水面 1101 ×1)")])
def test_validate_reads_the_water_once(tmp_path: Path, counted: dict[str, int], lang: str, said: str) -> None:
    write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(8)])
    res = CliRunner().invoke(app, ["--lang", lang, "validate", str(tmp_path / "hh.csv"), "--crs", "EPSG:4490",
                                   "--water", str(_dltb(tmp_path))])
    assert res.exit_code == 0, res.output
    assert said in res.output and res.output.count("LAYER-WATER-INVALID") == 1, res.output  # said once, as before
    assert res.output.count("BARRIER-LANDUSE") == 1, res.output
    # was 2 reads, 3 tests for the warning, 2 findings of the blocking water
    assert (counted["read"], counted["warning"], counted["blocking"]) == (1, 1, 1), counted
    # the water polygons' validity tested three times: made valid for the household check, for the warning, and
    # (reprojected) for the graph's barriers; was six
    assert counted["is_valid"] <= 3 * (N + 1), counted
