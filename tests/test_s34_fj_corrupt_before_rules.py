"""A truncated file given to ``check``, ``edit`` or ``delineate`` with no rules is IO-CORRUPT, as ``map`` and
``cover`` say, not RULE-NONE (the rules it could have recorded are looked for before it is read)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point
from typer.testing import CliRunner

from yuanluo.planners.cli import app

ENV = {"COLUMNS": "400"}


def _households(path: Path) -> Path:
    gdf = gpd.GeoDataFrame({"hid": [f"H{i}" for i in range(40)], "persons": [3] * 40},
                           geometry=[Point(500000 + 30 * i, 3300000 + 7 * i) for i in range(40)], crs="EPSG:32648")
    gdf.to_file(path, layer="households", driver="GPKG")
    return path


def _truncated(tmp_path: Path) -> Path:
    whole = _households(tmp_path / "whole.gpkg").read_bytes()
    cut = tmp_path / "res_trunc.gpkg"
    cut.write_bytes(whole[: len(whole) // 3])
    return cut


@pytest.mark.parametrize("cmd", ["check", "edit", "delineate"])
def test_truncated_file_is_corrupt_not_rule_none(tmp_path: Path, cmd: str) -> None:
    cut = _truncated(tmp_path)
    args = [cmd, str(cut), "--lang", "en"]
    if cmd in ("edit", "delineate"):
        args += ["-o", str(tmp_path / ("e.html" if cmd == "edit" else "d.gpkg"))]
    res = CliRunner().invoke(app, args, env=ENV)
    assert res.exit_code == 2, res.output
    assert "IO-CORRUPT" in res.output and "RULE-NONE" not in res.output, res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res_trunc.gpkg", "whole.gpkg"]


def test_readable_file_without_rules_is_still_rule_none(tmp_path: Path) -> None:
    hh = _households(tmp_path / "hh.gpkg")
    res = CliRunner().invoke(app, ["check", str(hh), "--lang", "en"], env=ENV)
    assert res.exit_code == 2, res.output
    assert "RULE-NONE" in res.output, res.output
