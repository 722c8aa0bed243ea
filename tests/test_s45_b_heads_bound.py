"""bench/bench_heads_bound.py (issue 13, session 45): the best contiguous units with and without candidate heads.

Its model is checked against every partition of small graphs (brute force), and on a small village: the optimum
with heads is at least the optimum without, and neither is above the engine's walk with as many units.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
bound = pytest.importorskip("bench_heads_bound")


def _brute(adj: sp.csr_matrix, mult: np.ndarray, w: np.ndarray, lo: int, hi: int, p: int,
           heads: np.ndarray | None) -> float:
    """The least walk over every split of the nodes into ``p`` connected units in the band (each with a head)."""
    from scipy.sparse.csgraph import connected_components

    n = len(w)
    best = np.inf
    for lab in itertools.product(range(p), repeat=n):
        lab_a = np.array(lab)
        if lab_a[0] != 0 or len(set(lab)) != p:
            continue
        if any(lab_a[: i].max(initial=-1) + 1 < lab_a[i] for i in range(n)):
            continue  # each labelling once (labels in order of first use)
        tot = 0.0
        for k in range(p):
            m = np.flatnonzero(lab_a == k)
            if not lo <= w[m].sum() <= hi or (heads is not None and heads[m].sum() < 1):
                break
            if connected_components(adj[m][:, m], directed=False)[0] != 1:
                break
            tot += bound.inside_walk(adj, mult, m)
        else:
            best = min(best, tot)
    return float(best)


def _graph(rng: np.random.Generator, n: int) -> sp.csr_matrix:
    """A connected graph: a random tree plus a few chords, walking minutes 1–5."""
    u = [int(rng.integers(0, i)) for i in range(1, n)]
    v = list(range(1, n))
    for _ in range(n // 3):
        a, b = sorted(rng.choice(n, 2, replace=False).tolist())
        if (a, b) not in set(zip(u, v, strict=True)):
            u.append(a)
            v.append(b)
    wt = rng.uniform(1, 5, len(u))
    m = sp.coo_matrix((np.r_[wt, wt], (np.r_[u, v], np.r_[v, u])), shape=(n, n)).tocsr()
    return m


@pytest.mark.parametrize("case", range(12))
def test_model_matches_every_partition(case: int) -> None:
    """On 8-node graphs, heads off and on: a proven optimum is the brute-force optimum; an unproven one brackets
    it (bound ≤ optimum ≤ walk); infeasible exactly when no split exists."""
    from scipy.sparse.csgraph import dijkstra

    rng = np.random.default_rng(case)
    n = 8
    adj = _graph(rng, n)
    mult = rng.integers(1, 3, n).astype(float)
    w = mult.astype(np.int64)
    lo, hi, p = 3, 6, 2 + case % 2
    heads = (rng.random(n) < 0.3).astype(np.int64)
    dist = dijkstra(adj, directed=False)
    for hd in (None, heads):
        want = _brute(adj, mult, w, lo, hi, p, hd)
        got = bound.solve_area(dist, mult, w, adj, lo, hi, p, heads=hd, node_limit=None)
        if not np.isfinite(want):
            assert got["status"] == "infeasible"
            continue
        assert got["status"] == "optimal"
        assert got["bound"] <= want + 1e-6 <= got["walk"] + 2e-6
        if got["proven"]:
            assert got["walk"] == pytest.approx(want)


def test_cuts_make_units_connected() -> None:
    """Graphs where the model's first units come out in pieces (heads scattered, three units of 2–5): a cut
    round follows, the units come out connected, and the optimum is bracketed as brute force finds it."""
    from scipy.sparse.csgraph import connected_components, dijkstra

    rng = np.random.default_rng(7)
    found = False
    for _ in range(40):
        adj = _graph(rng, 8)
        mult = np.ones(8)
        heads = (rng.random(8) < 0.25).astype(np.int64)
        dist = dijkstra(adj, directed=False)
        got = bound.solve_area(dist, mult, mult.astype(np.int64), adj, 2, 5, 3, heads=heads, node_limit=None)
        if got["status"] != "optimal" or got["rounds"] < 2:
            continue
        found = True
        for j in np.unique(got["labels"]):
            m = np.flatnonzero(got["labels"] == j)
            assert connected_components(adj[m][:, m], directed=False)[0] == 1
        want = _brute(adj, mult, mult.astype(np.int64), 2, 5, 3, heads)
        assert got["bound"] <= want + 1e-6 <= got["walk"] + 2e-6
    assert found, "no graph needed a cut round"


def test_village_heads_cost_at_least_nothing_and_engine_not_below() -> None:
    """A Changshou village of 120 households: in every area proven both ways, the optimum with heads ≥ the
    optimum without (same number of units), and the engine's walk is never below the optimum of its own count."""
    rows = bound.run(120, 2, "changshou", node_limit=20000, time_limit=None, max_nodes=80)
    proven = [r for r in rows if isinstance(r.get("on"), dict) and r["off"]["proven"] and r["on"]["proven"]]
    assert proven, rows
    for r in proven:
        assert r["on"]["walk"] >= r["off"]["walk"] - 1e-6
        assert r["engine_off"] >= r["off"]["walk"] - 1e-6
        own = r["on"] if r["p_on"] == r["p_off"] else r["on_p_on"]
        if own["proven"]:
            assert r["engine_on"] >= own["walk"] - 1e-6
    for r in rows:  # an area with exception units with heads: the best units without heads at both counts
        if isinstance(r.get("short_p_on"), dict) and r["short_p_on"]["proven"] and r["off"]["proven"]:
            assert r["engine_on"] >= r["short_p_on"]["walk"] - 1e-6
    md = bound.table(rows)
    assert "| changshou | 120 |" in md


def test_help_runs() -> None:
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_heads_bound.py"), "--help"],
                         capture_output=True, text=True, check=True).stdout
    assert "--node-limit" in out and "separator cuts" in out
