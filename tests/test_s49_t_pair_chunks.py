"""Session 49, helper T: the closing merge–resplit of the head stage made cheaper, the same splits (issue 13).

``split_pair`` with head centres asks :meth:`Pair.candidates` of up to ten pairs of centres; each answer
repeated the minimum spanning tree's splits and screened the same forests again. Now each forest's feasible
splits are kept per pair (and lack) and the pair's splits are pooled once per forest
(:meth:`Pair.candidate_keys`, :meth:`Pair.chunk`); :func:`subtrees` reads a subtree as an interval of a
depth-first order instead of or-ing rows. Checked here against the old code's path, written out below.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from yuanluo.gis.delineate.improve import Pair, Units, cut_costs, split_pair, subtrees
from yuanluo.gis.delineate.problem import NodeGraph


def _splits(pair: Pair, centres: tuple[int, int]) -> np.ndarray:
    """The splits ``split_pair`` pools for ``centres``: the chunks of :meth:`Pair.candidate_keys`, joined."""
    return np.concatenate([pair.chunk(key) for key in pair.candidate_keys(centres)])


def _old_subtrees(k: int, tu: np.ndarray, tv: np.ndarray, root: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`subtrees` as it was (breadth-first parents, each row or-ed into its parent's)."""
    a = np.concatenate((tu, tv)).astype(np.int64)
    b = np.concatenate((tv, tu)).astype(np.int64)
    o = np.argsort(a, kind="stable")
    nbr, start = b[o].tolist(), np.searchsorted(a[o], np.arange(k + 1)).tolist()
    par = [-2] * k
    par[root] = -1
    order = [root]
    for x in order:
        for y in nbr[start[x]: start[x + 1]]:
            if par[y] == -2:
                par[y] = x
                order.append(y)
    parent = np.array([max(q, -1) for q in par], dtype=np.int64)
    M = np.eye(k, dtype=bool)
    for v in order[:0:-1]:
        M[par[v]] |= M[v]
    return M, parent


def test_subtrees_as_before_on_trees_graphs_and_unreached_nodes() -> None:
    rng = np.random.default_rng(49)
    for _ in range(3000):
        k = int(rng.integers(1, 60))
        tu = [int(rng.integers(0, v)) for v in range(1, k) if rng.random() < 0.95]  # some nodes not reached
        tv = [v for v in range(1, k)][: len(tu)]
        extra = int(rng.integers(0, 4)) if rng.random() < 0.3 else 0  # cycles, loops and repeated edges
        tu += rng.integers(0, k, extra).tolist()
        tv += rng.integers(0, k, extra).tolist()
        perm = rng.permutation(k)
        u, v = perm[np.array(tu, dtype=np.int64)], perm[np.array(tv, dtype=np.int64)]
        root = int(rng.integers(0, k))
        M, parent = subtrees(k, u, v, root)
        M0, parent0 = _old_subtrees(k, u, v, root)
        assert M.dtype == M0.dtype and np.array_equal(M, M0) and np.array_equal(parent, parent0)


def _old_candidates(pair: Pair, centres: tuple[int, int]) -> np.ndarray:
    """:meth:`Pair.candidates` as it was: every forest screened again, the splits of each call joined."""
    cand = [pair.feasible(pair._mst_splits())]
    seen: set[tuple[int, int]] = set()
    for _it in range(3):
        seen.add(centres)
        M = pair._forest_splits(centres)
        if M is None:
            break
        cand.append(pair.feasible(M))
        allc = np.concatenate(cand)
        if not len(allc):
            break
        bound, meet = cut_costs(allc, pair.D, pair.mult, pair.seed)
        i = int(np.argmin(bound))
        nxt = (int(meet[i, 0]), int(meet[i, 1]))
        if nxt in seen or (nxt[1], nxt[0]) in seen:
            break
        centres = nxt
    return np.concatenate(cand)


def _random_pair(rng: np.random.Generator) -> tuple[Units, np.ndarray, np.ndarray, int, int, Any]:
    """Two units side by side on a random grid of households (some with two or three), candidate heads
    scattered: the units, the weights, the merged nodes and the band."""
    r, c = int(rng.integers(3, 7)), int(rng.integers(4, 8))
    idx = np.arange(r * c).reshape(r, c)
    u = np.r_[idx[:, :-1].ravel(), idx[:-1, :].ravel()]
    v = np.r_[idx[:, 1:].ravel(), idx[1:, :].ravel()]
    keep = rng.random(len(u)) < 0.7
    keep[: c - 1] = True  # the first row and every column hold the grid together
    keep[r * (c - 1):] = True
    w = rng.integers(1, 4, r * c).astype(float)
    g = NodeGraph.build(w, u[keep], v[keep], rng.uniform(0.5, 3, int(keep.sum())).round(1))
    heads = (rng.random(r * c) < rng.choice([0.08, 0.25])).astype(float)  # some units lack one
    lab = (idx % c >= c // 2).astype(np.int64).ravel()
    tot = float(w.sum())

    def make() -> Units:
        return Units(g.csr(), lab.copy(), heads=heads, size=g.w)

    return make(), g.w, np.arange(r * c), int(tot * 0.3), int(np.ceil(tot * 0.7)), make


@pytest.mark.parametrize("seed", range(40))
def test_pooled_splits_as_before(seed: int) -> None:
    """The splits ``split_pair`` pools (meeting points, two candidates, head centres) are the old ones."""
    rng = np.random.default_rng(seed)
    units, w, S, lo, hi, _ = _random_pair(rng)
    lockb = np.full(len(S), -1)
    pair = Pair.build(units, S, w, lockb, lo, hi)
    if pair is None:
        return
    pair.lack = units.lack(0) + units.lack(1)
    meets = (int(units.meet[0]), int(units.meet[1]))
    centres = [meets, *pair.head_centre_pairs(meets, 4)]
    fix = pair.head_centres()
    if fix is not None:
        centres.append(fix)
    keys = dict.fromkeys(k for c in centres for k in pair.candidate_keys(c))
    new = np.concatenate([pair.chunk(k) for k in keys])
    ref = Pair.build(units, S, w, lockb, lo, hi)
    assert ref is not None
    ref.lack = pair.lack
    old = np.concatenate([_old_candidates(ref, c) for c in centres])
    assert np.array_equal(np.unique(new, axis=0), np.unique(old, axis=0))
    for c in centres:  # and each call's splits, in the old order
        assert np.array_equal(_splits(pair, c), _old_candidates(ref, c))


def test_each_forest_screened_once_per_lack(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(7)
    units, w, S, lo, hi, _ = _random_pair(rng)
    pair = Pair.build(units, S, w, np.full(len(S), -1), lo, hi)
    assert pair is not None
    calls: list[int] = []
    real = Pair.feasible

    def counting(self: Pair, M: np.ndarray) -> Any:
        calls.append(len(M))
        return real(self, M)

    monkeypatch.setattr(Pair, "feasible", counting)
    first = _splits(pair, (0, len(S) - 1))
    n = len(calls)
    assert _splits(pair, (0, len(S) - 1)).tolist() == first.tolist()
    assert len(calls) == n  # asked again: nothing screened again
    pair.lack += 1  # another lack: screened anew
    _splits(pair, (0, len(S) - 1))
    assert len(calls) > n


def test_split_pair_with_head_centres_unchanged_on_random_pairs() -> None:
    """Whole ``split_pair`` calls on random pairs against the old pooling (the same split or none)."""
    taken = {True: 0, False: 0}
    for seed in range(40):
        rng = np.random.default_rng(100 + seed)
        units, w, S, lo, hi, make = _random_pair(rng)
        twin = make()
        lockb = np.full(len(S), -1)
        for _round in range(2):  # a split taken, then tried again from it
            got = split_pair(units, 0, 1, w, lockb, lo, hi, head_centres=4)
            old = _old_split_pair(twin, w, lockb, lo, hi)
            assert got == old and units.lab.tolist() == twin.lab.tolist()
            taken[got] += 1
    assert taken[True] and taken[False]  # both outcomes met


def _old_split_pair(units: Units, w: np.ndarray, lockb: np.ndarray, lo: int, hi: int) -> bool:
    """``split_pair(units, 0, 1, ..., head_centres=4)`` as it was, with the old candidates."""
    from yuanluo.gis.delineate.improve import apply_split, best_split
    S = np.sort(np.r_[units.nodes[0], units.nodes[1]])
    if int(units.seed[S].sum()) > 2:
        return False
    pair = Pair.build(units, S, w, lockb, lo, hi)
    if pair is None:
        return False
    pair.lack = units.lack(0) + units.lack(1)
    pos = {int(x): i for i, x in enumerate(S.tolist())}
    meets = (pos[units.meet[0]], pos[units.meet[1]])
    allc = _old_candidates(pair, meets)
    fix = pair.head_centres()
    if fix is not None:
        allc = np.concatenate((allc, _old_candidates(pair, fix)))
    hn = np.flatnonzero(pair.heads > 0)[:4].tolist() if pair.heads is not None else []
    for c in dict.fromkeys((h, m) for h in hn for m in meets if m != h):
        allc = np.concatenate((allc, _old_candidates(pair, c)))
    if not len(allc):
        return False
    allc = np.unique(allc, axis=0)
    bound, _ = cut_costs(allc, pair.D, pair.mult, pair.seed)
    limit = units.cost[0] + units.cost[1] - 1e-9
    if fix is not None:
        lack = pair.lacks(allc)
        if lack.min() < pair.lack - 1e-9:
            allc, bound, limit = allc[lack == lack.min()], bound[lack == lack.min()], np.inf
    best = best_split(units, S, allc, bound, limit, 4)
    if best is None:
        return False
    apply_split(units, 0, 1, S, best)
    return True
