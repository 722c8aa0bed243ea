"""Audit s32 ZA §5 (2026-12-03): check and repair counted any edge pruned for length within the join limit as
holding a unit together, so two units interleaved along a street (each household joined to the next but one,
120 m, pruned at a one-minute edge limit; its neighbours 60 m away) passed with a PLAN-LONG-JOIN warning "an
isolated hamlet joined to its nearest neighbour", and the exact repair built such a plan. A long join now counts
only where it joins an island, a piece the short edges cut off from the rest of its nest group.

Fixture: households 60 m apart along a street (the auditor's), graph edges within one minute.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from yuanluo import build_graph
from yuanluo.gis.check import CheckResult, check_plan
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules

RULES = Rules(4, 6, require_head=False, keep_settlements=False, nest_by=())


def _street(n: int, gap_after: int | None = None) -> gpd.GeoDataFrame:
    """``n`` households 60 m apart; with ``gap_after``, those after it 150 m further on (an island joined over a
    long edge)."""
    x = [500000 + 60 * (k + 1) + (150 if gap_after is not None and k >= gap_after else 0) for k in range(n)]
    y = [3265000 + (15 if (k + 1) % 2 else 0) for k in range(n)]
    return gpd.GeoDataFrame({"group": ["G1"] * n, "head_candidate": [True] * n}, geometry=gpd.points_from_xy(x, y),
                            index=pd.Index([f"H{k + 1:03d}" for k in range(n)], name="hid"), crs="EPSG:4545")


def _codes(res: CheckResult) -> list[tuple[str, str, str]]:
    v = res.violations
    return sorted(zip(v["code"], v["unit_id"].astype(str), v["severity"], strict=True))


def test_two_units_interleaved_along_a_street_are_not_contiguous() -> None:
    hh = _street(10)
    g = build_graph(hh, max_walk_min=1.0)
    assert g.cut is not None and (g.cut["reason"] == "length").any()  # the next but one: pruned for length
    plan = pd.Series(["U1", "U1", "U2", "U1", "U2", "U1", "U2", "U1", "U2", "U2"], index=hh.index)
    res = check_plan(hh, plan, RULES, graph=g, unapplied=False)
    assert not res.passed
    assert ("PLAN-NONCONTIG", "U1", "error") in _codes(res) and ("PLAN-NONCONTIG", "U2", "error") in _codes(res)
    assert "PLAN-LONG-JOIN" not in set(res.violations["code"])


def test_an_island_joined_over_a_long_edge_still_passes_with_the_warning() -> None:
    hh = _street(9, gap_after=7)  # H008, H009 cut off: 210 m from H007
    g = build_graph(hh, max_walk_min=1.0)
    plan = pd.Series(["U1"] * 4 + ["U2"] * 5, index=hh.index)  # U2 = H005–H007 and the island H008, H009
    res = check_plan(hh, plan, RULES, graph=g, unapplied=False)
    assert res.passed, _codes(res)
    assert ("PLAN-LONG-JOIN", "U2", "warning") in _codes(res)


def test_the_exact_repair_no_longer_interleaves() -> None:
    """1|8|6|9 in 4–6 (the auditor's): the exact model's plan interleaved U1 and U2 and checked as passing."""
    hh = _street(24)
    g = build_graph(hh, max_walk_min=1.0)
    sizes = [1, 8, 6, 9]
    plan = pd.Series([f"U{i + 1}" for i, s in enumerate(sizes) for _ in range(s)], index=hh.index)
    res = repair_plan(hh, plan, RULES, g)
    assert res.passed, res.reason_lines("en")
    assert "PLAN-LONG-JOIN" not in set(res.check.violations["code"]) if res.check is not None else False
    # every unit is a run of consecutive households: contiguous along the street
    lab = res.labels.reindex(hh.index).tolist()
    runs = [u for k, u in enumerate(lab) if k == 0 or lab[k - 1] != u]
    assert len(runs) == len(set(runs)), lab
