"""The p-median's Lagrangian bound (gis.cover._lagrange_bound) against a straightforward reference: the same
subgradient method written plainly (every entry's reduced cost, sums and counts over all entries, the open set's total
computed afresh). The fast version skips the zero reduced costs and counts only the open sites' entries; its bound
and open set must be the same to the bit on random instances (fixed sites, zero weights, several p)."""

from __future__ import annotations

import numpy as np
import pytest

from yuanluo.gis.cover import CoverEntries, _lagrange_bound, _MedianCost


def _reference(cost: _MedianCost, p: int, fixed: np.ndarray, upper: float, iterations: int,
               start: np.ndarray | None) -> tuple[float, np.ndarray | None]:
    e, w = cost.e, cost.w
    pen = w * cost.penalty
    lam = np.minimum(cost.best(np.arange(e.k) if start is None else start) * w, pen)
    free = np.ones(e.k, dtype=bool)
    free[fixed] = False
    best_lb, best_set, best_ub = -np.inf, None, upper
    theta, stall = 2.0, 0
    for it in range(iterations):
        red = np.minimum(cost.c - lam[e.hh], 0.0)
        rho = np.zeros(e.k)
        for i in range(len(red)):  # each site's sum, entry by entry in the entries' order
            rho[e.site[i]] += red[i]
        pick = np.flatnonzero(free)[np.argsort(rho[free], kind="stable")[:p - len(fixed)]]
        open_ = np.zeros(e.k, dtype=bool)
        open_[fixed] = True
        open_[pick] = True
        lb = float(lam.sum() + np.minimum(pen - lam, 0.0).sum() + rho[open_].sum())
        if lb > best_lb + 1e-9:
            improved, best_lb, stall = True, lb, 0
        else:
            improved, stall = False, stall + 1
            if stall >= 15:
                theta, stall = theta / 2.0, 0
        if improved or it % 10 == 0:
            cand = np.flatnonzero(open_)
            val = cost.total(cand)
            if val < best_ub - 1e-9:
                best_ub, best_set = val, cand
        drawn = np.zeros(e.n)
        for i in range(len(red)):
            if open_[e.site[i]] and red[i] < 0:
                drawn[e.hh[i]] += 1
        grad = 1.0 - drawn - (pen < lam)
        norm = float((grad * grad).sum())
        if norm == 0.0 or theta < 1e-4:
            break
        lam = np.clip(lam + theta * (best_ub - lb) / norm * grad, 0.0, pen)
    return max(best_lb, 0.0), best_set


def _instance(seed: int) -> tuple[CoverEntries, np.ndarray]:
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(15, 60)), int(rng.integers(4, 25))
    hh, site = np.meshgrid(np.arange(n), np.arange(k))
    minutes = rng.uniform(0.0, 20.0, size=hh.shape)
    minutes[rng.random(hh.shape) < 0.1] = 0.0  # households standing at a site
    keep = minutes <= 15.0
    e = CoverEntries(hh=hh[keep].astype(np.int64), site=site[keep].astype(np.int64), minutes=minutes[keep],
                     n=n, k=k, limit_min=15.0)
    w = rng.integers(0, 4, size=n).astype(float)  # some households weigh nothing
    return e, w


@pytest.mark.parametrize("seed", range(12))
def test_the_bound_and_open_set_equal_the_plain_reference_to_the_bit(seed: int) -> None:
    e, w = _instance(seed)
    rng = np.random.default_rng(100 + seed)
    cost = _MedianCost(e, w, 30.0)
    p = int(rng.integers(1, min(5, e.k) + 1))
    fixed = np.sort(rng.choice(e.k, int(rng.integers(0, p)), replace=False)).astype(np.int64)
    start = None if seed % 3 == 0 else np.sort(rng.choice(e.k, p, replace=False)).astype(np.int64)
    upper = cost.total(np.arange(min(p, e.k))) if seed % 2 else np.inf
    got = _lagrange_bound(cost, p, fixed, upper, 120, start=start)
    want = _reference(cost, p, fixed, upper, 120, start)
    assert got[0] == want[0]  # (exact: same sums in the same order)
    assert (got[1] is None) == (want[1] is None)
    if want[1] is not None:
        assert got[1] is not None and got[1].tolist() == want[1].tolist()
