"""Session 48, helper T: where the search grown from a candidate (rescue._grown_proof) finds a split with a
candidate head in every part, band_partition_milp takes it, and HiGHS is not asked for one of its own.

Seen in fits of 3,000 and 10,000 households (changshou rules): four components that the bounded search left
undecided were split by the grown search within 100 steps, and HiGHS then took 0.01–0.70 s to find another
split. The 44-household component below (band 15–25, candidates at nodes 37 and 39) is one of them.
"""

import numpy as np
import pytest
import scipy.optimize

import yuanluo.gis.delineate.rescue as R
from yuanluo.gis.delineate.headsearch import head_split
from yuanluo.gis.delineate.problem import components

SU = [0, 0, 1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 6, 6, 6, 7, 7, 7, 7, 8, 8, 8, 9, 10, 10, 10, 11, 11, 12,
      12, 12, 12, 12, 13, 13, 13, 14, 14, 14, 15, 16, 16, 16, 17, 17, 17, 18, 18, 18, 19, 19, 20, 21, 21, 21, 22,
      22, 24, 26, 26, 26, 27, 27, 28, 28, 28, 29, 29, 29, 30, 30, 30, 31, 31, 31, 31, 32, 32, 33, 33, 33, 34, 34,
      34, 35, 35, 35, 36, 37, 37, 38, 38, 38, 39, 40, 40, 41, 41, 42]
SV = [1, 2, 2, 3, 4, 12, 33, 3, 5, 4, 5, 6, 6, 12, 14, 6, 7, 7, 8, 14, 8, 9, 10, 11, 11, 13, 14, 10, 11, 18, 20, 13,
      18, 14, 19, 24, 33, 43, 14, 16, 18, 16, 17, 19, 20, 17, 18, 22, 19, 21, 22, 20, 22, 23, 21, 24, 23, 22, 24,
      25, 23, 25, 25, 27, 28, 33, 28, 30, 30, 31, 33, 30, 34, 36, 31, 32, 34, 32, 33, 35, 38, 34, 35, 38, 41, 43,
      35, 36, 39, 37, 38, 39, 39, 38, 39, 39, 40, 41, 40, 41, 42, 42, 43, 43]


def _valid(w, su, sv, lo, hi, heads, part) -> bool:
    """Whether ``part`` (a label per node) cuts the graph into connected parts within the band, each with a
    candidate, and labels each part by one value."""
    keep = part[su] == part[sv]
    comp = components(len(w), su[keep], sv[keep])
    if len(np.unique(comp)) != len(np.unique(part)):
        return False  # a label spread over two pieces
    size = np.bincount(comp, weights=w)
    held = np.bincount(comp, weights=(np.asarray(heads) > 0).astype(float))
    return bool(((size >= lo - 1e-9) & (size <= hi + 1e-9) & (held > 0)).all())


def test_grown_split_taken_without_highs(monkeypatch):
    w, su, sv = np.ones(44, dtype=np.int64), np.array(SU), np.array(SV)
    heads = np.zeros(44, dtype=np.int64)
    heads[[37, 39]] = 1
    assert head_split(w, su, sv, 15, 25, heads)[0] == "budget"  # the bounded search leaves it open

    def no_highs(*a, **k):
        raise AssertionError("HiGHS asked although the grown search found a split")

    monkeypatch.setattr(scipy.optimize, "milp", no_highs)
    status, part = R.band_partition_milp(w, su, sv, 15, 25, heads=heads)
    assert status == "found"
    assert _valid(w, su, sv, 15, 25, heads, part)
    assert sorted(np.unique(part).tolist()) == sorted({int(part[37]), int(part[39])})  # two parts, one head each
    assert all(part[v] == min(np.flatnonzero(part == part[v])) for v in range(44))  # first node of the part


@pytest.mark.parametrize("seed", range(4))
def test_grown_verdict_is_the_exact_one(seed):
    """On small random graphs the grown search's verdict is the unbounded search's, and every split it gives
    is one."""
    rng = np.random.default_rng(seed)
    seen = {"found": 0, "infeasible": 0}
    for _ in range(100):
        n = int(rng.integers(6, 16))
        tree = [(int(rng.integers(0, i)), i) for i in range(1, n)]
        extra = [tuple(sorted(map(int, rng.choice(n, 2, replace=False)))) for _ in range(int(rng.integers(0, n)))]
        su, sv = np.array([e[0] for e in tree + extra]), np.array([e[1] for e in tree + extra])
        w = rng.integers(1, 4, n).astype(float)
        heads = (rng.random(n) < 0.35).astype(np.int64)
        heads[int(rng.integers(0, n))] = 1
        lo = float(rng.integers(2, 5))
        hi = lo + float(rng.integers(0, 4))
        exact = head_split(w, su, sv, lo, hi, heads, steps=10**6)[0]
        status, part = R._grown_proof(w, su, sv, lo, hi, heads)
        if status == "budget":
            continue
        assert status == exact
        seen[status] += 1
        if status == "found":
            assert part is not None and _valid(w, su, sv, lo, hi, heads, part)
    assert min(seen.values()) >= 5, seen
