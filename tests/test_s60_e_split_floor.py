"""Session 60, helper E (issue 13, the head stage's time): a merge–resplit whose pair no split can make walk less
is refused before its splits are grown.

Of the 624 ``split_pair`` calls of a changshou 3,000 fit (seed 0, heads on) 579 changed nothing, and only 7 were on
the same input as an earlier call; but for 297 of them no split within the band can walk less at all, whatever
its cut: :meth:`Pair.may_walk_under` bounds every split from below (each node walking to the nearer of two meeting
points over the merged set's paths, no side above the band's top) and the pair is refused when that floor is the
units' walk already. The units are the same: a call refused so would have found no split either.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from yuanluo.gis.delineate.improve import Pair, Units, split_pair
from yuanluo.gis.delineate.problem import NodeGraph


def _path_pair() -> tuple[Units, NodeGraph]:
    """Six households on a path (the fourth step five minutes), units 0–2 and 3–5: 2 + 6 walking minutes."""
    g = NodeGraph.build(np.ones(6), np.arange(5), np.arange(1, 6), np.array([1.0, 1, 1, 5, 1]))
    return Units(g.csr(), np.r_[0, 0, 0, 1, 1, 1]), g


def test_a_pair_no_split_improves_is_refused_before_its_splits_are_grown(monkeypatch: pytest.MonkeyPatch) -> None:
    units, g = _path_pair()

    def grown(self: Pair, centres: tuple[int, int]) -> list[tuple[int, int] | None]:
        raise AssertionError("splits grown for a pair no split can improve")

    monkeypatch.setattr(Pair, "candidate_keys", grown)
    # under 2–3 the only splits are 3 + 3: none walks less than the 8 minutes of the units now
    assert not split_pair(units, 0, 1, g.w, np.full(6, -1), 2, 3)
    assert units.lab.tolist() == [0, 0, 0, 1, 1, 1]
    with pytest.raises(AssertionError, match="splits grown"):  # under 2–4 a split may walk less: grown
        split_pair(units, 0, 1, g.w, np.full(6, -1), 2, 4)


def _small_pair(rng: np.random.Generator, cols: int = 5) -> tuple[Units, NodeGraph, int, int]:
    """Two units on a random connected grid of at most 3 × (``cols`` - 1) locations (some holding several households), seed
    points, candidate heads and a walking limit drawn at random; the band around half the households."""
    r, c = int(rng.integers(2, 4)), int(rng.integers(2, cols))
    idx = np.arange(r * c).reshape(r, c)
    u = np.r_[idx[:, :-1].ravel(), idx[:-1, :].ravel()]
    v = np.r_[idx[:, 1:].ravel(), idx[1:, :].ravel()]
    keep = rng.random(len(u)) < 0.75
    keep[: c - 1] = True  # the first row and every column hold the grid together
    keep[r * (c - 1):] = True
    w = rng.integers(1, 4, r * c).astype(float)
    g = NodeGraph.build(w, u[keep], v[keep], rng.uniform(0.2, 4, int(keep.sum())).round(1))
    seed = np.zeros(r * c, dtype=bool)
    if rng.random() < 0.3:
        seed[rng.choice(r * c, int(rng.integers(1, 3)), replace=False)] = True
    heads = (rng.random(r * c) < rng.choice([0.1, 0.3])).astype(float)
    limit = float(rng.uniform(2, 6)) if rng.random() < 0.3 else None
    units = Units(g.csr(), (idx % c >= c // 2).astype(np.int64).ravel(), seed, w, heads=heads, size=g.w,
                  limit=limit)
    tot = float(w.sum())
    lo = int(rng.integers(1, max(2, int(tot * 0.45))))
    hi = int(rng.integers(int(np.ceil(tot / 2)), int(tot)))
    return units, g, lo, hi


def _least_walk(units: Units, w: np.ndarray, lo: int, hi: int) -> float:
    """The least walk (with the walking limit's penalty) of any split of all nodes into two connected parts
    within the band, by trying them all."""
    n = len(w)
    best = np.inf
    for m in range(1, n):
        for part in combinations(range(1, n), m - 1):  # node 0's side
            a = np.array((0, *part))
            b = np.setdiff1d(np.arange(n), a)
            if not (lo <= w[a].sum() <= hi and lo <= w[b].sum() <= hi):
                continue
            best = min(best, units.evaluate(a)[0] + units.evaluate(b)[0])
    return best


def test_the_floor_is_never_above_a_split_within_the_band() -> None:
    """Every split of random small pairs within the band (every cut, not only tree cuts) against the floor: a
    limit a hair above the least of them is never said unreachable, and one the floor refuses is never beaten."""
    rng = np.random.default_rng(60)
    proven = 0
    for _ in range(150):
        units, g, lo, hi = _small_pair(rng, 4)
        S = np.arange(len(g.w))
        pair = Pair.build(units, S, g.w, np.full(len(S), -1), lo, hi)
        if pair is None:
            continue
        least = _least_walk(units, g.w, lo, hi)
        if not np.isfinite(least):  # no split within the band
            continue
        assert pair.may_walk_under(least + 1e-7)
        for limit in (least, least - 1e-9, least * 0.97, least * 0.9):
            if not pair.may_walk_under(limit):
                proven += 1
                assert least >= limit
    assert proven > 20  # the floor does refuse pairs here, at their least walk and below


@pytest.mark.parametrize("lam", [None, 2.0])
def test_split_pair_as_without_the_floor_on_random_pairs(lam: float | None, monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """Whole ``split_pair`` calls (the head rule soft and hard, seed points, the walking limit, head centres) with
    the floor and with it never refusing: the same answer and the same units, split after split."""
    floor = Pair.may_walk_under
    refused = {"soft, short of heads": 0, "any": 0}

    def counted(self: Pair, limit: float) -> bool:
        got = floor(self, limit)
        if not got:
            refused["any"] += 1
            refused["soft, short of heads"] += self.lam is not None and float(self.heads.sum()) < 2
        return got

    for seed in range(120):
        rng = np.random.default_rng(600 + seed)
        units, g, lo, hi = _small_pair(rng)
        units.lam = lam
        twin = Units(g.csr(), units.lab.copy(), units.seed, units.mult, heads=units.heads,
                     size=g.w, limit=units.limit, lam=lam)
        lockb = np.where(rng.random(len(g.w)) < 0.2, 0, -1)
        for _round in range(3):  # a split taken, then tried again from it
            with monkeypatch.context() as m:
                m.setattr(Pair, "may_walk_under", counted)
                got = split_pair(units, 0, 1, g.w, lockb, lo, hi, head_centres=4)
            with monkeypatch.context() as m:
                m.setattr(Pair, "may_walk_under", lambda self, limit: True)
                old = split_pair(twin, 0, 1, g.w, lockb, lo, hi, head_centres=4)
            assert got == old
            assert units.lab.tolist() == twin.lab.tolist()
            assert units.cost == twin.cost and units.meet == twin.meet
    assert refused["any"] > 10
    if lam is not None:
        assert refused["soft, short of heads"]  # the heads every split lacks counted in the floor
