"""A GeoPackage layer without geometry (an attribute table: a roster with lon/lat columns saved as GeoPackage by
QGIS or pandas) (session 34, fixer FK, item 1).

Before: every reader took it for a GeoDataFrame and stopped with exit 3 (内部错误：AttributeError: 'DataFrame' object
has no attribute 'crs'). Now a household file without geometry is read as a table is, its coordinates from its
lon/lat (x/y) columns with the same column recognition and --crs rules as a CSV; candidate/meeting points the same;
a layer that must hold shapes (--rivers, --roads, --water, --boundary, --groups, --units) is LAYER-NOGEOM, an
error naming the file, the option and the layer.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from typer.testing import CliRunner

from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_households, read_layer, read_points, read_table
from yuanluo.planners.cli import app

runner = CliRunner()
ENV = {"COLUMNS": "400"}


def _attr_gpkg(tmp_path: Path) -> Path:
    f = tmp_path / "attr_only.gpkg"
    pyogrio.write_dataframe(pd.DataFrame({"hid": ["H1", "H2", "H3"], "lon": [107.7, 107.701, 107.702],
                                          "lat": [29.79, 29.791, 29.792]}), f, driver="GPKG", layer="households")
    return f


def test_a_household_layer_without_geometry_is_read_as_a_table(tmp_path: Path) -> None:
    f = _attr_gpkg(tmp_path)
    res = runner.invoke(app, ["validate", str(f), "--crs", "EPSG:4490"], env=ENV)
    assert res.exit_code == 0, res.output
    hh, report = read_households(f, crs="EPSG:4490")
    assert list(hh.index) == ["H1", "H2", "H3"]
    assert report.layer == "households"
    assert hh.crs.to_epsg() == 4545
    back = hh.to_crs(4326)
    assert back.geometry.x.round(6).tolist() == [107.7, 107.701, 107.702]
    assert back.geometry.y.round(6).tolist() == [29.79, 29.791, 29.792]


def test_without_crs_it_is_crs_missing_as_for_a_csv(tmp_path: Path) -> None:
    res = runner.invoke(app, ["validate", str(_attr_gpkg(tmp_path))], env=ENV)
    assert res.exit_code == 2, res.output
    assert "CRS-MISSING" in res.output


@pytest.mark.parametrize("option", ["--rivers", "--boundary"])
def test_a_shape_layer_without_geometry_is_a_coded_error(tmp_path: Path, option: str) -> None:
    f = _attr_gpkg(tmp_path)
    for lang, words in (("zh", "没有几何"), ("en", "has no geometry")):
        res = runner.invoke(app, ["--lang", lang, "validate", str(f), "--crs", "EPSG:4490", option, str(f)], env=ENV)
        assert res.exit_code == 2, res.output
        assert "LAYER-NOGEOM" in res.output and words in res.output and option in res.output
        assert "households" in res.output and "attr_only.gpkg" in res.output


def test_read_layer_says_layer_nogeom(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_layer(_attr_gpkg(tmp_path), kind="units", working_crs="EPSG:4545")
    assert exc.value.codes == ["LAYER-NOGEOM"]


def test_points_and_tables_without_geometry_are_read_as_tables(tmp_path: Path) -> None:
    f = _attr_gpkg(tmp_path)
    pts = read_points(f, kind="candidates", working_crs="EPSG:4545", crs="EPSG:4490")
    assert len(pts) == 3 and pts.crs.to_epsg() == 4545
    t = read_table(f)
    assert t["hid"].tolist() == ["H1", "H2", "H3"]
