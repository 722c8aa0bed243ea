"""Session 34 FB (2026-12-03): two places still found the short-edge pieces without the zones of the island rule
(:mod:`yuanluo.gis.islands`: a household heavier than the ceiling and each unit kept locked are zones of their own).

``gis.lock.lock_breaches`` checked the locked units without telling the check they were kept, so it found their
islands through them: a locked unit joined over a long edge past a household of another unit was recorded as
breaking contiguity (LOCK-BREACH, PLAN-NONCONTIG; the map drew it as breaking, ``locked_breaking`` 1) while ``check``
of that very result, which reads ``status`` ``locked``, found it whole (PLAN-LONG-JOIN).

``gis.check.Areas`` (the connected areas of the head and walking-limit proofs) joined areas through heavy households
and locked units: with sizes in persons, one heavy household anywhere in an area left the whole area out of both
proofs (PLAN-NO-HEAD, PLAN-WALK-LIMIT errors where the area without it proves the exception), and a locked unit's
candidates counted for the households it cuts off (PLAN-NO-HEAD where, the lock kept, no split gives them a head).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from yuanluo import build_graph
from yuanluo.gis.check import Areas, Declared, check_plan
from yuanluo.gis.delineate.reasons import reasons_in
from yuanluo.gis.lock import lock_breaches, units_breaking
from yuanluo.gis.plan import KEPT_ATTR
from yuanluo.gis.rules import Rules
from yuanluo.planners.workflows import Inputs, delineate_locked

BARE = {"keep_settlements": False, "nest_by": ()}


def _codes(res: object) -> list[tuple[str, str, str]]:
    v = res.violations  # type: ignore[attr-defined]
    return sorted(zip(v["code"], v["unit_id"].astype(str), v["severity"], strict=True))


def _street(n: int, **cols: Sequence[object]) -> gpd.GeoDataFrame:
    """``n`` households along a street, 60 m apart, every other one 15 m off it: each joined to the next by a short
    edge (under a minute), to the next but one by an edge pruned for length (1.4 minutes) at ``max_walk_min`` 1."""
    x = [500000 + 60 * k for k in range(n)]
    y = [3265000 + (15 if k % 2 else 0) for k in range(n)]
    return gpd.GeoDataFrame(dict(cols), geometry=gpd.points_from_xy(x, y),
                            index=pd.Index([f"H{k + 1}" for k in range(n)], name="hid"), crs="EPSG:4545")


def _kept(labels: pd.Series, *units: str) -> pd.Series:
    """``labels`` recording ``units`` as kept locked, as a plan table's 锁定 column does (plan_kept)."""
    out = labels.copy()
    out.attrs[KEPT_ATTR] = {h: u for h, u in labels.items() if u in units}
    return out


def test_a_locked_unit_joined_over_a_long_edge_is_no_breach_when_its_check_passes_it() -> None:
    """L = H1, H3 locked, H2 of U2 between them: the long edge H1–H3 joins L's two pieces (L a zone of its own)."""
    hh = _street(9)
    g = build_graph(hh, max_walk_min=1.0)
    rules = Rules(2, 4, require_head=False, **BARE)
    plan = pd.Series(["L", "U2", "L"] + ["U2"] * 3 + ["U3"] * 3, index=hh.index)
    d = delineate_locked(Inputs(households=hh, report=None, paths={"households": Path("h.csv")}), rules, plan, ["L"],
                         graph=g)
    units = pd.DataFrame(d.layers["units"])
    h = d.layers["households"]
    labels = pd.Series(h["unit_id"].astype(str).to_numpy(), index=h["hid"].astype(str).to_numpy())
    assert sorted(labels[labels == "L"].index) == ["H1", "H3"]
    dec = Declared.of(units, labels, reasons=reasons_in, rules=rules.to_dict())
    res = check_plan(hh, labels, rules, graph=g, declared=dec, unapplied=False)
    assert res.passed and ("PLAN-LONG-JOIN", "L", "warning") in _codes(res), _codes(res)
    # the result says what its check says: L breaks nothing (was LOCK-BREACH, PLAN-NONCONTIG; locked_breaking 1)
    assert units.loc[units["unit_id"] == "L", "code"].fillna("").tolist() == [""]
    assert not units_breaking(units).any() and d.summary["locked_breaking"] == 0
    assert not any(q.code == "LOCK-BREACH" for q in d.notes)
    # lock_breaches and a check of the plan recording L as kept agree, and a bare plan still breaks L
    assert lock_breaches(hh, g, labels, ["L"], rules).params == {}
    assert check_plan(hh, _kept(labels, "L"), rules, graph=g, unapplied=False).passed
    assert ("PLAN-NONCONTIG", "L", "error") in _codes(check_plan(hh, labels, rules, graph=g, unapplied=False))


def test_a_locked_unit_split_past_another_unit_is_still_a_breach() -> None:
    """The agreement can fail the other way too: L = H1, H4 (no long edge between them) is not contiguous."""
    hh = _street(9)
    g = build_graph(hh, max_walk_min=1.0)
    rules = Rules(1, 4, require_head=False, **BARE)
    labels = pd.Series(["L", "U2", "U2", "L"] + ["U3"] * 5, index=hh.index)
    br = lock_breaches(hh, g, labels, ["L"], rules)
    assert br.params["L"]["codes"] == ["PLAN-NONCONTIG"]
    assert ("PLAN-NONCONTIG", "L", "error") in _codes(check_plan(hh, _kept(labels, "L"), rules, graph=g,
                                                                  unapplied=False))


def test_a_heavy_household_leaves_the_rest_of_its_area_in_the_head_proof() -> None:
    """Persons 3, 3, 20, 3 × 6, band 8–15, candidates H1 and H3: the 24 persons without H3 need two units and
    have one candidate, so the unit left without one is HEAD-EXCEPTION (was PLAN-NO-HEAD: H3 made the area heavy)."""
    hh = _street(9, persons=[3, 3, 20] + [3] * 6, head_candidate=[True, False, True] + [False] * 6)
    g = build_graph(hh, max_walk_min=1.0)
    rules = Rules(8, 15, size_by="persons", require_head=True, **BARE)
    plan = pd.Series(["U1", "U1", "U2", "U1"] + ["U3"] * 5, index=hh.index)
    res = check_plan(hh, plan, rules, graph=g, unapplied=False)
    assert ("HEAD-EXCEPTION", "U3", "warning") in _codes(res), _codes(res)
    assert not any(c == "PLAN-NO-HEAD" for c, _, _ in _codes(res))
    msg = res.violations.set_index("code").loc["HEAD-EXCEPTION", "message_en"]
    assert "connected area of 24 persons" in msg, msg
    areas = Areas.of(hh, rules, g, np.arange(9), hh["persons"].to_numpy(dtype=float))
    assert areas.total.tolist() == [24.0, 20.0] and areas.heavy.tolist() == [False, True]
    assert areas.fits.tolist() == [True, False]


def test_a_heavy_household_leaves_a_remote_household_provably_remote() -> None:
    """H (20 persons) at one end of a street of five 3-person households, R 600 m (a long edge, 9 minutes) past the
    other end, walking limit 3: R's area without H (18 persons) fits 8–15 and nothing within 3 minutes of R
    gathers 8 persons: WALK-EXCEPTION (was PLAN-WALK-LIMIT: H made the area heavy)."""
    hh = _street(6, persons=[20] + [3] * 5)
    r = gpd.GeoDataFrame({"persons": [3]}, geometry=gpd.points_from_xy([500000 + 60 * 5 + 600], [3265000]),
                         index=pd.Index(["R"], name="hid"), crs="EPSG:4545")
    hh = pd.concat([hh, r])
    g = build_graph(hh, max_walk_min=1.0)
    rules = Rules(8, 15, size_by="persons", require_head=False, max_walk_min=3.0, **BARE)
    plan = pd.Series(["UH", "U1", "U1", "U1", "U2", "U2", "U2"], index=hh.index)
    res = check_plan(hh, plan, rules, graph=g, unapplied=False)
    assert ("WALK-EXCEPTION", "U2", "warning") in _codes(res), _codes(res)
    assert not any(c == "PLAN-WALK-LIMIT" for c, _, _ in _codes(res))


def test_a_locked_unit_does_not_excuse_the_head_its_neighbour_lacks() -> None:
    """A1–A3, L1–L3 (locked, all candidates), B1–B3 (B1 a candidate) along a street, band 2–4: UA has no candidate.
    Kept or not, L does not make it an unavoidable exception: the check's areas are the same for every plan, as the
    editor finds them once for its page (a kept unit an area of its own made the page and the check disagree after
    a lock in the page, tests/test_editor_browser.py), and unlocking L mends UA (A3 + L1)."""
    hh = _street(9, head_candidate=[False] * 3 + [True] * 4 + [False] * 2)
    hh.index = pd.Index(["A1", "A2", "A3", "L1", "L2", "L3", "B1", "B2", "B3"], name="hid")
    g = build_graph(hh, max_walk_min=1.0)
    rules = Rules(2, 4, require_head=True, **BARE)
    plan = pd.Series(["UA"] * 3 + ["L"] * 3 + ["UB"] * 3, index=hh.index)
    kept = check_plan(hh, _kept(plan, "L"), rules, graph=g, unapplied=False)
    assert not kept.passed and ("PLAN-NO-HEAD", "UA", "error") in _codes(kept), _codes(kept)
    bare = check_plan(hh, plan, rules, graph=g, unapplied=False)
    assert not bare.passed and ("PLAN-NO-HEAD", "UA", "error") in _codes(bare), _codes(bare)
    # and lock_breaches judges L as that check does: L breaks nothing
    assert lock_breaches(hh, g, plan, ["L"], rules).params == {}


def test_a_kept_unit_without_a_candidate_is_not_excused_by_its_own_area() -> None:
    """A unit kept locked is an area of its own, but what it lacks is how it was drawn: L (H4–H6, no candidate)
    stays PLAN-NO-HEAD, kept or not, and its lock breach says so (not an unavoidable HEAD-EXCEPTION)."""
    hh = _street(9, head_candidate=[True, True, False, False, False, False, True, True, False])
    g = build_graph(hh, max_walk_min=1.0)
    rules = Rules(2, 4, require_head=True, **BARE)
    plan = pd.Series(["U1"] * 3 + ["L"] * 3 + ["U3"] * 3, index=hh.index)
    for lab in (plan, _kept(plan, "L")):
        assert _codes(check_plan(hh, lab, rules, graph=g, unapplied=False)) == [("PLAN-NO-HEAD", "L", "error")]
    assert lock_breaches(hh, g, plan, ["L"], rules).params["L"]["codes"] == ["PLAN-NO-HEAD"]
