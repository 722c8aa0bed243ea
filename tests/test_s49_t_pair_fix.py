"""Session 49, helper T (second round): the head fix's pair re-split (step 1, ``heads._pair_fix``) pools its
centres' splits once per forest (issue 13, the time heads add), as ``split_pair`` does since e9d9fd3.

It joined :meth:`Pair.candidates` of each pair of centres (the meeting points, each candidate head with either
meeting point, two candidates): the minimum spanning tree's splits and the forests shared by the centres' chains
once per centre, before ``np.unique``. Now each of :meth:`Pair.candidate_keys`' chunks is joined once; the
unique splits, and so the answer, are the same (checked against the old code's path, written out below)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import yuanluo.gis.delineate.heads as heads
from yuanluo.gis.delineate.improve import SPLIT_EXACT, Pair, Units, best_split, cut_costs
from yuanluo.gis.delineate.problem import NodeGraph, Settings


def _splits(pair: Pair, centres: tuple[int, int]) -> np.ndarray:
    """The splits ``split_pair`` pools for ``centres``: the chunks of :meth:`Pair.candidate_keys`, joined."""
    return np.concatenate([pair.chunk(key) for key in pair.candidate_keys(centres)])


def _random_pair(seed: int) -> tuple[Units, np.ndarray, Settings]:
    """Two units side by side on a random grid of households (some with two or three), candidate heads
    scattered (often fewer than the units need), a band around half the total."""
    rng = np.random.default_rng(seed)
    r, c = int(rng.integers(3, 7)), int(rng.integers(4, 8))
    idx = np.arange(r * c).reshape(r, c)
    u = np.r_[idx[:, :-1].ravel(), idx[:-1, :].ravel()]
    v = np.r_[idx[:, 1:].ravel(), idx[1:, :].ravel()]
    keep = rng.random(len(u)) < 0.7
    keep[: c - 1] = True  # the first row and every column hold the grid together
    keep[r * (c - 1):] = True
    w = rng.integers(1, 4, r * c).astype(float)
    g = NodeGraph.build(w, u[keep], v[keep], rng.uniform(0.5, 3, int(keep.sum())).round(1))
    head = (rng.random(r * c) < rng.choice([0.15, 0.3])).astype(float)
    lab = (idx % c >= c // 2).astype(np.int64).ravel()
    units = Units(g.csr(), lab, heads=head, size=g.w)
    units.heads_for = int(rng.choice([0, int(w.sum() * 0.3)]))  # one candidate each, or two above a size
    tot = float(w.sum())
    return units, g.w, Settings(lo=int(tot * 0.3), hi=int(np.ceil(tot * 0.7)), target=tot / 2)


def _old_pair_fix(units: Units, a: int, b: int, w: np.ndarray, lockb: np.ndarray, s: Settings) -> Any:
    """``heads._pair_fix`` as it was (no ``built``): the candidates of each pair of centres joined."""
    assert units.heads is not None
    S = np.sort(np.r_[units.nodes[a], units.nodes[b]])
    if int(units.seed[S].sum()) > 2 or (units.heads[S] > 0).sum() < 2:
        return None
    pair = Pair.build(units, S, w, lockb, s.lo, s.hi)
    if pair is None or pair.heads is None:
        return None
    pair.lack = units.lack(a) + units.lack(b)
    if pair.lack <= 0:
        return None
    centres = heads._centres(units, S, a, b, pair)
    fix = pair.head_centres()
    if fix is not None:
        centres.append(fix)
    allc = np.concatenate([_splits(pair, c) for c in dict.fromkeys(centres)])
    if not len(allc):
        return None
    allc = np.unique(allc, axis=0)
    lack = pair.lacks(allc)
    if lack.min() >= pair.lack - 1e-9:
        return None
    allc = allc[lack == lack.min()]
    bound, _ = cut_costs(allc, pair.D, pair.mult, pair.seed)
    best = best_split(units, S, allc, bound, np.inf, SPLIT_EXACT)
    if best is None:
        return None
    return best[0] - units.cost[a] - units.cost[b], S, best


def _flat(x: Any) -> Any:
    """An answer as nested lists (arrays compared by value)."""
    if isinstance(x, np.ndarray):
        return ("array", x.dtype.str, x.tolist())
    if isinstance(x, tuple | list):
        return tuple(_flat(y) for y in x)
    return x


def test_pair_fix_answers_as_before_on_random_pairs() -> None:
    """Eighty random pairs, each re-split from either unit: the same answer (added walk, nodes, split) as
    the old pooling, a split found in some and none in others."""
    found = {True: 0, False: 0}
    for seed in range(80):
        units, w, s = _random_pair(seed)
        lockb = np.full(len(w), -1)
        for a, b in ((0, 1), (1, 0)):
            got = heads._pair_fix(units, a, b, w, lockb, s)
            old = _old_pair_fix(units, a, b, w, lockb, s)
            assert _flat(got) == _flat(old), (seed, a)
            found[got is not None] += 1
    assert found[True] >= 5 and found[False] >= 5


def test_each_forest_is_joined_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Within one ``_pair_fix`` call each chunk of splits (the spanning tree's, each forest's) is joined once,
    however many of the centres' chains reach it; the old code joined the spanning tree's once per centre."""
    joined: list[tuple[int, Any]] = []
    real = Pair.chunk

    def counting(self: Pair, key: tuple[int, int] | None) -> np.ndarray:
        joined.append((id(self), key))
        return real(self, key)

    monkeypatch.setattr(Pair, "chunk", counting)
    calls = 0
    for seed in range(80):
        units, w, s = _random_pair(seed)
        before = len(joined)
        heads._pair_fix(units, 0, 1, w, np.full(len(w), -1), s)
        mine = joined[before:]
        calls += bool(mine)
        assert len(mine) == len(set(mine)), seed
    assert calls >= 10
