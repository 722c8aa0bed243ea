"""Audits N and J (session 25): the fields of the GeoPackage layers as QGIS shows them — numbers of a CSV
household file stored as numbers, the placeholder of a missing village or group in the run's language, and an
alias that says what the column holds on every field of every layer (delineate with --groups, a --lock run,
cover)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from typer.testing import CliRunner

from yuanluo.gis.synth import make_village
from yuanluo.planners.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("s25layers")
    make_village(200, seed=2).write(d)
    return d


def _ok(args: list[str]) -> None:
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output


def _sql(gpkg: Path, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(gpkg) as con:
        return con.execute(query).fetchall()


# ------------------------------------------------------------------------------ N2: numbers of a CSV
def test_numbers_of_a_csv_household_file_are_stored_as_numbers(village: Path, tmp_path: Path) -> None:
    """Audit N2: elevation, x and y of a CSV came out as TEXT fields (QGIS: String; sorted '1000' < '300')."""
    hh = gpd.read_file(village / "households.gpkg", layer="households")
    table = hh.drop(columns="geometry").assign(hid=[f"{i:06d}" for i in range(1, len(hh) + 1)],
                                               x=hh.geometry.x, y=hh.geometry.y, no=range(1, len(hh) + 1))
    csv = tmp_path / "plain.csv"
    table.to_csv(csv, index=False)
    out = tmp_path / "plain.gpkg"
    _ok(["delineate", str(csv), "--crs", "EPSG:4545", "--x-col", "x", "--y-col", "y", "--id-col", "hid",
         "--preset", "banan", "-o", str(out), "-q"])
    info = pyogrio.read_info(out, layer="households")
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert types["elevation"] == types["x"] == types["y"] == "float64", types
    assert _sql(out, "select typeof(elevation), typeof(x) from households limit 1") == [("real", "real")]
    assert _sql(out, "select count(*) from households where elevation > 1000 and typeof(elevation) = 'real'") == \
        [(int((table["elevation"] > 1000).sum()),)]
    # ids stay text with their leading zeros, and a column of whole numbers (maybe ids) is not changed
    assert _sql(out, "select hid, typeof(no) from households order by hid limit 1") == [("000001", "text")]
