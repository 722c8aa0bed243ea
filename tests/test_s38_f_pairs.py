"""Step 1 of the head fix re-splits a unit lacking a head with each neighbour, first keeping locked settlements
whole, then (when none worked) free. A pair holding no locked settlement is the same pair both times, with the
same answer: it is re-split once. Within one re-split each pair of centres is grown once."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import yuanluo.gis.delineate.heads as heads
from yuanluo.gis.delineate.improve import Pair, Units
from yuanluo.gis.delineate.problem import NodeGraph, Settings


def _path_units(n: int, cut: list[int], cand: list[int], block: np.ndarray | None = None
                ) -> tuple[NodeGraph, Units]:
    g = NodeGraph.build(np.ones(n), np.arange(n - 1), np.arange(1, n), np.ones(n - 1), block=block)
    g.head = np.isin(np.arange(n), cand).astype(np.int64)
    lab = np.searchsorted(np.array(cut), np.arange(n), side="left")
    return g, Units(g.csr(), lab, heads=g.head.astype(float), size=g.w)


def _count_pairs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int, bool]]:
    seen: list[tuple[int, int, bool]] = []
    real = heads._pair_fix

    def counting(units: Units, a: int, b: int, w: np.ndarray, lockb: np.ndarray, s: Settings, *rest: Any) -> Any:
        seen.append((a, b, bool((lockb >= 0).any())))
        return real(units, a, b, w, lockb, s, *rest)

    monkeypatch.setattr(heads, "_pair_fix", counting)
    return seen


def test_a_pair_without_a_locked_settlement_is_re_split_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fifty households in three units (band 15–25), two candidates: no pair re-split gives all three a head
    (the component is re-cut later). No settlement is locked, so each pair is tried once, not twice."""
    seen = _count_pairs(monkeypatch)
    g, units = _path_units(50, [16, 33], [5, 45])
    heads.head_fix(g, Settings(lo=15, hi=25, target=20.0), units, np.ones(50, dtype=bool), np.random.default_rng(0))
    assert seen == [(1, 0, False), (1, 2, False)]
    assert sorted(len(n) for n in units.nodes.values()) == [25, 25]  # as before: the component re-cut


def test_a_pair_holding_a_locked_settlement_is_tried_free_as_well(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same, with a settlement of four households inside the first pair: that pair is tried with the
    settlement whole, then free; the other pair (no settlement) once."""
    seen = _count_pairs(monkeypatch)
    block = np.arange(50)
    block[12:16] = 12  # whole in the first unit
    g, units = _path_units(50, [16, 33], [5, 45], block=np.unique(block, return_inverse=True)[1])
    heads.head_fix(g, Settings(lo=15, hi=25, target=20.0), units, np.ones(50, dtype=bool), np.random.default_rng(0))
    assert seen == [(1, 0, True), (1, 2, True), (1, 0, False)]


def test_each_pair_of_centres_is_grown_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Units of 26 and 14 (band 10–30, two candidates above 20 households): the first holds one candidate
    at its meeting point (12) and lacks one, the second none. The meeting point is among the candidates
    tried as centres, which gave the pair (12, 32) twice."""
    grown: list[tuple[int, tuple[int, int]]] = []
    real = Pair.candidate_keys  # what the chain of each pair of centres grows (its splits pooled after)

    def counting(self: Pair, centres: tuple[int, int]) -> Any:
        grown.append((id(self), centres))
        return real(self, centres)

    monkeypatch.setattr(Pair, "candidate_keys", counting)
    g, units = _path_units(40, [25], [12, 30])
    units.heads_for = 20
    assert units.meet[0] == 12 and units.lack(0) == 1
    heads._pair_fix(units, 0, 1, g.w, np.full(40, -1), Settings(lo=10, hi=30, target=20.0, heads_for_size=20))
    assert grown and len(grown) == len(set(grown))
