"""Session 44 (issue 13, the head stage's time): the head-aware tree DP's merges in fewer array passes.

``_merge_child`` is the min-plus merge of a parent's open part with its child's, run once per round of
``_tree_dp_many`` (the head-aware tree DP of the head stage, the pool and the spare windows). It padded a copy
of the parent's rows each round, reduced over the child's size along a middle axis twice (``min`` and
``argmin``: numpy copies for each) and looped over the merged states. The DP's rows now carry their padding,
the child's size is the last axis (one ``argmin``, the least read back by index), and every state's pairs are
chosen at once from a padded table (``_pair_groups``). The parts are the same (sha256 of 64 fits at 3,000
households, heads on and off); these tests hold the merge to a brute force and the DP to the optimum.
"""

import itertools

import numpy as np
import pytest

from yuanluo.gis.delineate import construct as C
from yuanluo.gis.delineate.problem import Settings


def _brute_merge(f, fc, pairs, extra, na, ns):
    """best[j, kn, s], with the child's size and the pair, ties to the first pair then the smallest size."""
    q, nk, m = f.shape
    best = np.full((q, nk, ns), np.inf)
    arg = np.zeros((q, nk, ns), dtype=np.int64)
    pick = np.zeros((q, nk, ns), dtype=np.int64)
    for j, kn, s in itertools.product(range(q), range(nk), range(ns)):
        for p in pairs[kn]:
            kf, kc = divmod(int(p), nk)
            for a in range(min(na, s + 1)):
                v = f[j, kf, s - a] + fc[j, kc, a] + extra[kf, kc]
                if v < best[j, kn, s]:
                    best[j, kn, s], arg[j, kn, s], pick[j, kn, s] = v, a, p
        if not np.isfinite(best[j, kn, s]):
            pick[j, kn, s] = pairs[kn][0]
    return best, arg, pick


@pytest.mark.parametrize("heads_for_size,seeded", [(None, False), (None, True), (20, False), (20, True)])
def test_merge_child_is_brute_force(heads_for_size, seeded):
    rng = np.random.default_rng(44)
    s = Settings(lo=3, hi=12, target=8.0, heads_for_size=heads_for_size)
    _, nk, join, extra = C._head_states(s, seeded)
    groups = C._pair_groups(join)
    pairs = [r[r < nk * nk] for r in groups]
    assert [sorted(np.flatnonzero(join.ravel() == kn).tolist()) for kn in range(nk)] == [p.tolist() for p in pairs]
    m = s.hi + 1
    for _ in range(40):
        q = int(rng.integers(1, 5))
        # costs with ties (whole numbers) and infinite states, as the DP's tables have
        f = np.where(rng.random((q, nk, m)) < 0.4, np.inf, rng.integers(0, 6, size=(q, nk, m)).astype(float))
        fc = np.where(rng.random((q, nk, m)) < 0.4, np.inf, rng.integers(0, 6, size=(q, nk, m)).astype(float))
        na, ns = int(rng.integers(1, m + 1)), int(rng.integers(1, m + 1))
        fc[:, :, na:] = np.inf  # the child's open part is below na, as the DP's bounds say
        pad = np.full((q, nk, m - 1), np.inf)
        best, barg, pick = C._merge_child(np.concatenate((pad, f), axis=2), np.concatenate((pad, fc), axis=2),
                                          groups, extra.reshape(-1) if extra.any() else None, na, ns)
        want, warg, wpick = _brute_merge(f, fc, pairs, extra, na, ns)
        assert best.shape == (q, nk, ns)
        np.testing.assert_array_equal(best, want)
        fin = np.isfinite(want)
        np.testing.assert_array_equal(barg[fin], warg[fin])
        np.testing.assert_array_equal(pick[fin], wpick[fin])


def _cost(part, w, heads, seed, pcost, parent, s):
    """The DP's objective of a partition: closing each part (size band, heads lacking), two seeds in a part,
    and the cut edges' costs."""
    _, close = C.close_costs(s.lo, s.hi, s.target, s.size_weight)
    total = 0.0
    for p in np.unique(part):
        at = part == p
        size = int(w[at].sum())
        if size > s.hi:
            return np.inf
        lack = max(int(C.heads_needed(size, s)) - min(int(heads[at].sum()), 1 if s.heads_for_size is None else 2), 0)
        total += close[size] + C.HEAD_PENALTY * lack + C.SEED_PENALTY * max(int(seed[at].sum()) - 1, 0)
    cut = [c for c in range(len(part)) if parent[c] >= 0 and part[c] != part[parent[c]]]
    return total + float(sum(pcost[c] for c in cut))


@pytest.mark.parametrize("heads_for_size", [None, 4])
def test_heads_dp_is_the_optimum(heads_for_size):
    rng = np.random.default_rng(4400 + (heads_for_size or 0))
    for _ in range(60):
        n = int(rng.integers(1, 9))
        lo = int(rng.integers(1, 4))
        s = Settings(lo=lo, hi=lo + int(rng.integers(1, 5)), target=lo + 1.5, heads_for_size=heads_for_size)
        w = rng.integers(1, 3, size=n)
        heads = (rng.random(n) < 0.35).astype(int)
        seed = rng.random(n) < (0.3 if rng.random() < 0.5 else 0.0)
        forests = []
        for _ in range(int(rng.integers(1, 4))):
            parent = np.r_[-1, [int(rng.integers(0, v)) for v in range(1, n)]].astype(np.int64)
            perm = rng.permutation(n)  # relabel: the root anywhere, parents not below their children
            inv = np.argsort(perm)
            par = np.where(parent[inv] >= 0, perm[np.maximum(parent[inv], 0)], -1)
            depth = np.zeros(n, dtype=int)
            for v in range(1, n):
                depth[v] = depth[parent[v]] + 1
            order = perm[np.argsort(depth, kind="stable")]  # breadth-first: parents first
            pcost = np.where(par >= 0, -rng.integers(0, 4, size=n).astype(float), 0.0)
            forests.append((order, par, pcost))
        parts = C.tree_partition_heads_many(w, [f[1] for f in forests], [f[0] for f in forests],
                                            [f[2] for f in forests], s, seed, heads)
        for (order, par, pcost), part in zip(forests, parts, strict=True):
            edges = [c for c in range(n) if par[c] >= 0]
            best = np.inf
            for cut in itertools.product((False, True), repeat=len(edges)):
                lab = np.arange(n)
                for v in order:  # parents first: a kept edge joins the child to its parent's part
                    if par[v] >= 0 and not cut[edges.index(v)]:
                        lab[v] = lab[par[v]]
                best = min(best, _cost(lab, w, heads, seed, pcost, par, s))
            assert _cost(part, w, heads, seed, pcost, par, s) == pytest.approx(best, abs=1e-9)
