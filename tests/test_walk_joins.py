"""A household of an island joined over a long edge walks across it, the same minutes everywhere.

A hamlet too small for a unit of its own is joined to its neighbours over the cheapest edge pruned only for
its length (within ``join_limit_min``). The units table and the households layer counted the walk across that
edge (12.4 minutes on the Ordino sample), while the walking-limit exceptions, ``check`` and the editor did
not (no path at all): a unit whose farthest walk was 12.4 minutes under a 15-minute limit was WALK-LIMIT
"8 households beyond 15 minutes (some with no path)", and ``check`` gave the unit 0.6 minutes, leaving the
hamlet out.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from shapely import points
from typer.testing import CliRunner

from yuanluo.gis.check import check_plan
from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules
from yuanluo.planners.cli import app
from yuanluo.planners.cover import CoverPlan, site

SAMPLE = Path(__file__).resolve().parents[1] / "planners" / "sample"
runner = CliRunner()


def hamlet() -> tuple[gpd.GeoDataFrame, TerrainGraph]:
    """Ten households in a row 50 m apart, and a hamlet of three 600 m on, joined to the row only by an edge cut
    for its length (8 walking minutes)."""
    xy = [[50.0 * i, 0.0] for i in range(10)] + [[1050.0 + 50 * i, 0.0] for i in range(3)]
    ids = [f"h{i:02d}" for i in range(13)]
    edges = [(i, i + 1) for i in range(9)] + [(10, 11), (11, 12)]
    g = TerrainGraph.from_edges(ids, xy, edges, crs="EPSG:32631")
    g.cut = pd.DataFrame({"u": [9], "v": [10], "length_m": [600.0], "walk_min": [8.0], "reason": ["length"]})
    hh = gpd.GeoDataFrame({"persons": 3}, geometry=points(xy), index=pd.Index(ids, name="hid"), crs="EPSG:32631")
    return hh, g


def test_check_walks_across_a_long_join() -> None:
    hh, g = hamlet()
    lab = pd.Series("A", index=hh.index)
    res = check_plan(hh, lab, Rules(5, 20, max_walk_min=18), graph=g, meeting_points=pd.Series({"A": "h00"}),
                     unapplied=False)
    assert res.passed, res.violations[["code", "unit_id"]]
    assert sorted(res.violations["code"]) == ["PLAN-LONG-JOIN"]
    row = res.units.iloc[0]
    # the farthest, h12: nine edges of 50 m, the 8-minute join, two more edges
    assert row["max_walk_min"] == pytest.approx(8.0 + 11 * float(g.walk_min[0]))
    assert row["codes"] == ["PLAN-LONG-JOIN"] and row["status"] == "ok"
    # beyond a tighter limit the hamlet is beyond it by its real walk, not "no path"
    tight = check_plan(hh, lab, Rules(5, 20, max_walk_min=10), graph=g, meeting_points=pd.Series({"A": "h00"}))
    far = tight.violations[tight.violations["code"].isin(["PLAN-WALK-LIMIT", "WALK-EXCEPTION"])]
    assert sorted(far["hids"].iloc[0]) == ["h10", "h11", "h12"]
    assert "16." in far["message_en"].iloc[0] and "no path" not in far["message_en"].iloc[0]


def test_a_delineation_keeps_a_joined_hamlet_within_the_limit_ok() -> None:
    hh, g = hamlet()
    model = UnitDelineator.from_rules(Rules(5, 20, max_walk_min=15, keep_settlements=False),
                                      require_head=False, random_state=0).fit(hh, g)
    units = model.units_
    assert len(units) == 1 and units["status"].tolist() == ["ok"], units[["code", "reason_params"]]
    assert not len(model.check(hh, g).violations.query("severity == 'error'"))
    checked = model.check(hh, g).units.set_index("unit_id")["max_walk_min"]
    assert np.allclose(units.set_index("unit_id")["max_walk_min"], checked.reindex(units["unit_id"]), atol=1e-6)


@pytest.fixture(scope="module")
def ordino(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Ordino sample (real data) delineated under a 15-minute walking limit, and checked."""
    out = tmp_path_factory.mktemp("ordino")
    (out / "rules.toml").write_text('[rules]\npreset = "banan"\nmax_walk_min = 15\n', encoding="utf-8")
    gpkg = SAMPLE / "andorra_ordino.gpkg"
    res = runner.invoke(app, ["delineate", str(gpkg), "--layer", "households", "--dem", str(SAMPLE / "dem.tif"),
                              "--rivers", f"{gpkg}::rivers", "--water", f"{gpkg}::water", "--roads", f"{gpkg}::roads",
                              "--rules", str(out / "rules.toml"), "-o", str(out / "r.gpkg"), "-q"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["check", str(out / "r.gpkg"), "--rules", str(out / "rules.toml"),
                              "--json", str(out / "c.json"), "-q"])
    assert res.exit_code == 0, res.output
    return out


def test_on_real_data_the_result_and_its_check_walk_alike(ordino: Path) -> None:
    units = pyogrio.read_dataframe(ordino / "r.gpkg", layer="units", read_geometry=False).set_index("unit_id")
    checked = pd.DataFrame(json.loads((ordino / "c.json").read_text(encoding="utf-8"))["units"]).set_index("unit_id")
    walked = units["max_walk_min"].notna() & (units["n_households"] > 1)
    assert walked.sum() > 20
    assert np.allclose(units.loc[walked, "max_walk_min"], checked.loc[units.index[walked], "max_walk_min"], atol=1e-6)
    # a unit is beyond the walking limit only when its farthest walk is
    limited = units[units["code"] == "WALK-LIMIT"]
    assert (limited["max_walk_min"] > 15).all(), limited["max_walk_min"]
    assert (units.loc[units["status"] == "ok", "max_walk_min"] <= 15 + 1e-9).all()
    # the units joined over a long edge say so in the check's per-unit codes
    joined = {u for v in json.loads((ordino / "c.json").read_text(encoding="utf-8"))["violations"]
              if v["code"] == "PLAN-LONG-JOIN" for u in v["units"]}
    assert joined and all("PLAN-LONG-JOIN" in checked.loc[u, "codes"] for u in joined)


def test_a_walk_just_beyond_the_limit_reads_beyond_it() -> None:
    """2.0004 minutes under a 2-minute limit was said "beyond 2 minutes (farthest 2.0)": every figure read as at
    the limit, not over it."""
    ids = ["a", "b", "c"]
    g = TerrainGraph.from_edges(ids, [[0, 0], [60, 0], [120, 0]], [(0, 1), (1, 2)], crs="EPSG:32631",
                                walk_min=[1.0, 1.0004])
    hh = gpd.GeoDataFrame({"persons": 3}, geometry=points([[0, 0], [60, 0], [120, 0]]),
                          index=pd.Index(ids, name="hid"), crs="EPSG:32631")
    res = check_plan(hh, pd.Series("A", index=hh.index), Rules(2, 5, max_walk_min=2), graph=g,
                     meeting_points=pd.Series({"A": "a"}))
    msg = res.violations.set_index("code").loc["PLAN-WALK-LIMIT"]
    assert "2.0004" in msg["message_en"] and "2.0004" in msg["message_zh"]


def test_cover_walks_across_a_long_join() -> None:
    """cover listed a joined hamlet's households as unable to reach any point ("not connected to other
    households") while the result it read gave each a walk to its unit's meeting point."""
    hh, g = hamlet()
    plan = CoverPlan(n_hubs=1, limit_min=30.0)
    joined = site(hh, g, plan, join_limit=20.0).layers["households"]
    assert not joined["code"].eq("COVER-UNREACHABLE").any(), joined[["code", "walk_min"]]
    apart = site(hh, g, plan, join_limit=5.0).layers["households"]  # beyond the join limit: cut off, as before
    assert apart["code"].eq("COVER-UNREACHABLE").sum() == 3


def test_cover_of_a_result_walks_across_its_joins(ordino: Path) -> None:
    res = runner.invoke(app, ["cover", str(ordino / "r.gpkg"), "--hubs", "3", "-o", str(ordino / "c.gpkg"), "-q"])
    assert res.exit_code == 0, res.output
    cov = pyogrio.read_dataframe(ordino / "c.gpkg", layer="households", read_geometry=False).set_index("hid")
    hh = pyogrio.read_dataframe(ordino / "r.gpkg", layer="households", read_geometry=False).set_index("hid")
    # the hamlets the delineation joined over a long edge: their households walk to their meeting points
    joined = {u for v in json.loads((ordino / "c.json").read_text(encoding="utf-8"))["violations"]
              if v["code"] == "PLAN-LONG-JOIN" for u in v["units"]}
    walkers = hh.index[hh["unit_id"].isin(joined) & hh["meeting_walk_min"].notna()]
    assert len(walkers) > 50
    assert not cov.loc[walkers, "code"].eq("COVER-UNREACHABLE").any()


def test_repair_walks_across_a_long_join() -> None:
    """repair measured the walking limit without the long joins: a hamlet joined to its unit was beyond any limit
    to it, so mending another slip (h09 left alone in B) moved households the check finds within the limit."""
    hh, g = hamlet()
    lab = pd.Series("A", index=hh.index)
    lab["h09"] = "B"
    # (h09 gone, A is in two pieces: the row's first nine and the hamlet, joined to h09 alone)
    rules = Rules(5, 20, max_walk_min=18)
    res = repair_plan(hh, lab, rules, g, meeting_points=pd.Series({"A": "h00", "B": "h09"}))
    assert res.passed, res.check.violations[["code", "unit_id"]]
    assert res.moves["hid"].tolist() == ["h09"], res.moves
