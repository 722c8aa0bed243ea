"""The head fix's step 1 re-splits a unit lacking a head with each neighbour, keeping locked settlements whole,
then free: the pair's walking graph, its shortest walks and the shortest-path forests grown from each pair of
centres do not depend on the locks, and its minimum spanning tree's splits not on the centres. They are built
once and shared (issue 13, the time heads add); the splits offered are those of a pair built afresh."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import yuanluo.gis.delineate.heads as heads
import yuanluo.gis.delineate.improve as improve
from yuanluo.gis.delineate.improve import Pair, Units
from yuanluo.gis.delineate.problem import NodeGraph, Settings


def _splits(pair: Pair, centres: tuple[int, int]) -> np.ndarray:
    """The splits ``split_pair`` pools for ``centres``: the chunks of :meth:`Pair.candidate_keys`, joined."""
    return np.concatenate([pair.chunk(key) for key in pair.candidate_keys(centres)])


def _grid_pair(block: np.ndarray | None = None) -> tuple[Units, np.ndarray, np.ndarray]:
    """A 6 x 6 grid of households (edges of 1-2 minutes), two units of 18 (left and right halves), candidates
    at three nodes of the right half; ``block``: settlement per node."""
    rng = np.random.default_rng(3)
    idx = np.arange(36).reshape(6, 6)
    u = np.r_[idx[:, :-1].ravel(), idx[:-1, :].ravel()]
    v = np.r_[idx[:, 1:].ravel(), idx[1:, :].ravel()]
    g = NodeGraph.build(np.ones(36), u, v, rng.uniform(1, 2, len(u)), block=block)
    head = np.zeros(36)
    head[[4, 17, 29]] = 1
    lab = (idx % 6 >= 3).astype(np.int64).ravel()
    return Units(g.csr(), lab, heads=head, size=g.w), g.w, np.arange(36)


def _count(monkeypatch: pytest.MonkeyPatch, name: str) -> list[int]:
    calls: list[int] = []
    real = getattr(improve, name)

    def counting(*a: Any, **k: Any) -> Any:
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(improve, name, counting)
    return calls


def test_the_spanning_tree_is_cut_once_per_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    """Four pairs of centres asked of one pair: its minimum spanning tree is built once; the splits are those
    of a fresh pair asked each pair of centres alone."""
    units, w, S = _grid_pair()
    units.heads_for = None
    centres = [(0, 35), (4, 17), (17, 29), (5, 30)]
    fresh = []
    for c in centres:
        p = Pair.build(units, S, w, np.full(36, -1), 15, 21)
        assert p is not None
        p.lack = 1.0
        fresh.append(_splits(p, c))
    calls = _count(monkeypatch, "minimum_spanning_tree")
    pair = Pair.build(units, S, w, np.full(36, -1), 15, 21)
    assert pair is not None
    pair.lack = 1.0
    got = [_splits(pair, c) for c in centres]
    assert len(calls) == 1
    for a, b in zip(got, fresh, strict=True):
        assert np.array_equal(a, b)


def test_a_pair_taken_free_shares_its_forests(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pair with a settlement locked, then free (``with_locks``): no shortest-path forest grown twice for
    the same centres, and the free splits equal those of the pair built free."""
    block = np.arange(36)
    block[[2, 3, 8, 9]] = 2  # a settlement of four across the two halves' border
    units, w, S = _grid_pair(np.unique(block, return_inverse=True)[1])
    lockb = np.where(np.isin(np.arange(36), [2, 3, 8, 9]), 2, -1)
    free = np.full(36, -1)
    built = Pair.build(units, S, w, free, 15, 21)
    assert built is not None
    built.lack = 1.0
    expect = _splits(built, (4, 29))
    calls = _count(monkeypatch, "dijkstra")
    locked = Pair.build(units, S, w, lockb, 15, 21)
    assert locked is not None
    locked.lack = 1.0
    with_lock = _splits(locked, (4, 29))
    n_locked = len(calls)
    again = locked.with_locks(free[S])
    got = _splits(again, (4, 29))
    assert np.array_equal(got, expect)
    assert len(calls) - n_locked <= 1  # at most a forest the locked pass never reached
    assert not np.array_equal(with_lock, got) or (lockb[S] < 0).all()


def test_head_fix_builds_each_pair_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fifty households on a path in three units (band 15–25), candidates at 5, 10 and 45, a settlement of four
    inside the first unit: no re-split of the pair (1, 0) gives both parts a head (the part holding 5 would
    hold at most 9 households), so step 1 tries it locked and then free, but builds it once (the pair (1, 2)
    holds one candidate and is not built)."""
    calls = []
    real = Pair.build

    def counting(units: Units, S: np.ndarray, *a: Any) -> Any:
        calls.append(tuple(S.tolist()))
        return real(units, S, *a)

    monkeypatch.setattr(Pair, "build", staticmethod(counting))
    block = np.arange(50)
    block[12:16] = 12
    g = NodeGraph.build(np.ones(50), np.arange(49), np.arange(1, 50), np.ones(49),
                        block=np.unique(block, return_inverse=True)[1])
    g.head = np.isin(np.arange(50), [5, 10, 45]).astype(np.int64)
    lab = np.searchsorted(np.array([16, 33]), np.arange(50), side="left")
    units = Units(g.csr(), lab, heads=g.head.astype(float), size=g.w)
    seen: list[tuple[int, int, bool]] = []
    real_fix = heads._pair_fix

    def fix(units: Units, a: int, b: int, w: np.ndarray, lockb: np.ndarray, s: Settings, *rest: Any) -> Any:
        seen.append((a, b, bool((lockb >= 0).any())))
        return real_fix(units, a, b, w, lockb, s, *rest)

    monkeypatch.setattr(heads, "_pair_fix", fix)
    step1: list[tuple[int, ...]] = []
    real_many = heads._triple_fix

    def stop(*a: Any, **k: Any) -> Any:  # what step 1 built, before the later steps build pairs of their own
        step1.extend(calls)
        return real_many(*a, **k)

    monkeypatch.setattr(heads, "_triple_fix", stop)
    heads.head_fix(g, Settings(lo=15, hi=25, target=20.0), units, np.ones(50, dtype=bool), np.random.default_rng(0))
    assert seen == [(1, 0, True), (1, 2, True), (1, 0, False)]
    assert len(step1) == len(set(step1)) == 1
