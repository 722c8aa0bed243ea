"""Session 52 (helper R): a region whose households cannot fill its units by their count alone is proven so before
HiGHS is asked.

Session 51's hunt (helper P, case k54: band 8-8, ``max_moves`` 5) spent 25-52 s in each of several HiGHS roots proving
regions had no plan. In the exact model every household outside the region's islands is in a unit of the band, and a
unit holding one holds no island, so it weighs between the floor and the ceiling: households weighing ``W`` need some
``j`` units of the band with ``j·min ≤ W ≤ j·max``. Where there is none (``_fills_band``), the model is infeasible
whatever else it says; the repair takes that as it takes HiGHS's proof.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from built_fixtures import street26
from test_s47_r_repair_load import _said

import yuanluo.gis.repair_exact as RE
from yuanluo import build_graph
from yuanluo.gis.repair import repair_plan


def _brute(w: tuple[int, ...], lo: int, hi: int, units: int) -> bool:
    """Whether the households of weights ``w`` go into ``units`` units (some left empty) each within ``[lo, hi]``."""
    for plan in itertools.product(range(units), repeat=len(w)):
        sums = np.bincount(np.array(plan, dtype=int), weights=np.array(w, dtype=float), minlength=units)
        used = np.bincount(np.array(plan, dtype=int), minlength=units) > 0
        if all(lo <= s <= hi for s, u in zip(sums, used, strict=True) if u):
            return True
    return not w


def test_the_count_proof_against_brute_force() -> None:
    """Every small case: where the count says no plan, none exists (sound); with one household per unit of weight
    (size by households) the count is exact. Weights 1-3 (persons), up to 7 households, 1-3 units, bands 1-8."""
    rng = np.random.default_rng(52)
    said_no = exact = 0
    for _ in range(400):
        n = int(rng.integers(0, 8))
        units = int(rng.integers(1, 4))
        lo = int(rng.integers(1, 7))
        hi = lo + int(rng.integers(0, 3))
        for w in (tuple(int(x) for x in rng.integers(1, 4, n)), (1,) * n):
            fills = RE._fills_band(np.array(w, dtype=float), float(lo), float(hi), units)
            possible = _brute(w, lo, hi, units)
            assert possible <= fills, (w, lo, hi, units)  # never "no plan" where one exists
            if set(w) <= {1}:
                assert fills == possible, (w, lo, hi, units)
                exact += 1
            said_no += not fills
    assert said_no > 100 and exact >= 400


@pytest.mark.parametrize("max_moves", [None, 1])
def test_a_region_its_units_cannot_hold_is_not_asked(monkeypatch: pytest.MonkeyPatch, max_moves: int | None) -> None:
    """The street: its models without a new unit are proven by the count, HiGHS asked for none of them; the repair
    is the one HiGHS's proofs gave (8 moves into a third unit; within one move, none, the same reasons)."""
    hh, labels, rules = street26()
    graph = build_graph(hh, max_walk_min=1.0)
    proven = repair_plan(hh, labels, rules, graph, max_moves=max_moves)
    asked: list[int] = []
    milp = RE.milp

    def counted(*args: Any, **kwargs: Any) -> Any:
        asked.append(len(args[0]))
        return milp(*args, **kwargs)

    monkeypatch.setattr(RE, "milp", counted)
    again = repair_plan(hh, labels, rules, graph, max_moves=max_moves)
    with_counts = len(asked)
    monkeypatch.setattr(RE, "_fills_band", lambda *args: True)  # every model to HiGHS, as before
    asked.clear()
    by_highs = repair_plan(hh, labels, rules, graph, max_moves=max_moves)
    assert _said(proven) == _said(again) == _said(by_highs)
    assert with_counts < len(asked)
    assert len(proven.moves) == (8 if max_moves is None else 0)
