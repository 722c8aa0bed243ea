"""A households Shapefile saved from a result and delineated again: the cut columns of the old run
(``meeting_wa``, ``unit_statu``) are not carried into the new result, as ``meeting_walk_min`` and
``unit_status`` are not: they describe the other run's units."""
from __future__ import annotations

import pyogrio
from typer.testing import CliRunner

from yuanluo.gis.synth import make_village
from yuanluo.planners.cli import app


def test_redelineated_shapefile_drops_the_old_runs_cut_columns(tmp_path):
    hh = make_village(120, seed=4).households.reset_index()
    hh["meeting_wa"] = 99.0
    hh["unit_statu"] = "exception"
    src = tmp_path / "hh.shp"
    hh.to_file(src, encoding="utf-8")
    out = tmp_path / "r.gpkg"
    res = CliRunner().invoke(app, ["delineate", str(src), "--preset", "banan", "-o", str(out), "-q"])
    assert res.exit_code in (0, 1), res.output
    cols = set(pyogrio.read_info(out, layer="households")["fields"])
    assert "meeting_wa" not in cols and "unit_statu" not in cols
    assert {"meeting_walk_min", "unit_status"} <= cols
