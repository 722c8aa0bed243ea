"""Audit S §1 of repair (2026-12-03): a unit's meeting point moved out of it by the heuristic stopped the next exact
step with ``KeyError`` (exit 3 of ``yuanluo repair`` on plans exported by ``yuanluo edit``).

Fixture: households 50 m apart on a line ``b0 b1 u0 u1 u2 x m v0 v1``, with ``w1 w2`` a branch off ``x``; units
B = b0 b1 (2, short of the band 3–3), U = u0 u1 u2 and ``m`` (its meeting point, cut off from the rest by ``x``),
W = x w1 w2, V = v0 v1. No plan of the 11 households keeps the band, so the first exact step finds none; the
heuristic's contiguity step moves U's cut-off piece, its meeting point ``m``, to V. The next exact step solves B's
region (B and U): U's meeting point was then in V, outside the region, and the model looked up its walk there.
"""

from __future__ import annotations

import time

import geopandas as gpd
import pandas as pd
import pytest
from shapely import points

from yuanluo.gis.check import check_plan
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules

CRS = "EPSG:32631"


def _plan() -> tuple[gpd.GeoDataFrame, TerrainGraph, Rules, pd.Series, pd.Series]:
    ids = ["b0", "b1", "u0", "u1", "u2", "x", "m", "v0", "v1", "w1", "w2"]
    xy = [[50 * i, 0] for i in range(9)] + [[250, 50], [250, 100]]
    hh = gpd.GeoDataFrame(geometry=points(xy), crs=CRS, index=pd.Index(ids, name="hid"))
    g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(8)] + [(5, 9), (9, 10)], crs=CRS)
    rules = Rules(3, 3, max_walk_min=10 * float(g.walk_min.max()), require_head=False, nest_by=(),
                  keep_settlements=False)
    lab = pd.Series(list("BBUUUWUVVWW"), index=ids)
    meet = pd.Series({"B": "b0", "U": "m", "W": "x", "V": "v1"})
    return hh, g, rules, lab, meet


def test_meeting_point_moved_out_by_the_heuristic_does_not_stop_the_exact_step() -> None:
    hh, g, rules, lab, meet = _plan()
    assert not check_plan(hh, lab, rules, graph=g, meeting_points=meet).passed
    res = repair_plan(hh, lab, rules, g, meeting_points=meet)  # was KeyError in repair_exact._build
    # no plan keeps the band (11 households in units of 3): a plan with the reason, not a crash
    assert not res.passed and res.reasons
    assert res.labels["m"] == "V"
    # U walks to a household of its own (its centre), as the check takes it, and the result checks as it says
    assert res.meeting_points is not None
    mp = res.meeting_points.to_dict()
    assert all(res.labels[h] == u for u, h in mp.items())
    again = check_plan(hh, res.labels, rules, graph=g, meeting_points=res.meeting_points)
    assert sorted(again.codes) == sorted(res.check.codes)


def test_the_work_limit_holds_for_a_model_all_its_rounds_together(monkeypatch: pytest.MonkeyPatch) -> None:
    """Audit S, ``plan40_nomeet.csv``: each round of lazy cuts solved the model again under its own time limit, so a
    model whose rounds each took 15–35 s ran on for up to 40 rounds. Here every round finds a cut (never done) and
    takes 0.2 s more; a limit of a few rounds' work stops the model after a few rounds, as out of work, not after 40
    (the limit was 1 s; since session 47 it is HiGHS's work, the same on a busy machine)."""
    import yuanluo.gis.repair_exact as rx

    solves: list[float] = []
    solve = rx._solve

    def slow(st: object, model: object, *args: float) -> object:
        time.sleep(0.2)
        solves.append(args[0] if args else rx.SOLVE_WORK)
        return solve(st, model, *args)

    monkeypatch.setattr(rx, "SOLVE_WORK", 1.0)
    monkeypatch.setattr(rx, "_solve", slow)
    monkeypatch.setattr(rx, "_cuts", lambda *a: 1)
    ids = ["h", "a1", "a2", "b1", "b2"]
    xy = [[0, 0], [50, 0], [100, 0], [-50, 0], [-100, 0]]
    hh = gpd.GeoDataFrame(geometry=points(xy), crs=CRS, index=pd.Index(ids, name="hid"))
    g = TerrainGraph.from_edges(ids, xy, [(0, 1), (1, 2), (0, 3), (3, 4)], crs=CRS)
    rules = Rules(5, 5, require_head=False, nest_by=(), keep_settlements=False)
    lab = pd.Series(["N", "A", "A", "A", "A"], index=ids)
    t0 = time.monotonic()
    res = repair_plan(hh, lab, rules, g)
    assert res.exact_status == "unsolved"
    assert solves and all(s <= 1.0 for s in solves)
    assert len(solves) < rx.MAX_ROUNDS and time.monotonic() - t0 < 20, (len(solves), time.monotonic() - t0)
