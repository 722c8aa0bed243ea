"""A plain (non-geo) Parquet file with lon/lat columns (session 34, fixer FK, item 3).

Before: IO-CORRUPT, "已损坏" (its GeoParquet data cannot be read), though the file is whole: it only has no geo
metadata. Now it is read as a table is, its coordinates from its lon/lat columns with a CSV's --crs rules; a
truncated Parquet is IO-CORRUPT as before; a plain Parquet given as a layer of shapes is LAYER-NOGEOM.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from yuanluo.gis.io import read_households
from yuanluo.planners.cli import app

runner = CliRunner()
ENV = {"COLUMNS": "400"}


def _plain(tmp_path: Path) -> Path:
    f = tmp_path / "roster.parquet"
    pd.DataFrame({"hid": ["H1", "H2"], "lon": [107.7, 107.701], "lat": [29.79, 29.791]}).to_parquet(f)
    return f


def test_a_plain_parquet_is_read_as_a_table(tmp_path: Path) -> None:
    f = _plain(tmp_path)
    res = runner.invoke(app, ["validate", str(f), "--crs", "EPSG:4490"], env=ENV)
    assert res.exit_code == 0, res.output
    hh, _report = read_households(f, crs="EPSG:4490")
    assert list(hh.index) == ["H1", "H2"]
    assert hh.to_crs(4326).geometry.x.round(6).tolist() == [107.7, 107.701]
    res = runner.invoke(app, ["validate", str(f)], env=ENV)
    assert res.exit_code == 2 and "CRS-MISSING" in res.output, res.output


def test_a_truncated_parquet_is_still_corrupt_and_a_plain_one_is_no_layer(tmp_path: Path) -> None:
    f = _plain(tmp_path)
    cut = tmp_path / "cut.parquet"
    cut.write_bytes(f.read_bytes()[:200])
    res = runner.invoke(app, ["validate", str(cut), "--crs", "EPSG:4490"], env=ENV)
    assert res.exit_code == 2 and "IO-CORRUPT" in res.output, res.output
    res = runner.invoke(app, ["validate", str(f), "--crs", "EPSG:4490", "--water", str(f)], env=ENV)
    assert res.exit_code == 2 and "LAYER-NOGEOM" in res.output, res.output
