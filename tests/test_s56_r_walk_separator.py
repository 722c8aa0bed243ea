"""Session 56 (helper R, round 2): a walking cut names a least separator, not every household on a short detour.

A household ``h`` of unit ``u`` farther than the walking limit from the unit's meeting point ``m`` (walked within the
unit) gets the cut ``x[h, u] ≤ Σ_{k ∈ S} x[k, u]``: any walk within the limit passes a household of ``S``. ``S`` was
every household outside the unit with ``d(h, k) + d(k, m) ≤ L``; now it is a least subset of those that every such
walk still passes (:func:`yuanluo.gis.repair_exact._separator`), a stronger cut, as valid. test_s28_editor's
49-household region of 6 units took 13 HiGHS runs over its four models (19.7 s), now 12 (9.6 s). Checked here: the
separator against every unit a small case can have (it meets each whose walk keeps the limit, and is least), the
repair's moves against a brute force and against the old cut on random small cases where the separator is smaller,
and the HiGHS runs of a 16-household grid (a round fewer, as many moves).
"""

from __future__ import annotations

import itertools
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from scipy.sparse.csgraph import dijkstra

import yuanluo.gis.repair_exact as RE
from yuanluo import build_graph
from yuanluo.gis.check import check_plan
from yuanluo.gis.repair import _State, repair_plan
from yuanluo.gis.rules import Rules


def _scatter(seed: int, n: int = 9) -> tuple[gpd.GeoDataFrame, pd.Series, Rules]:
    """``n`` households scattered over 260 x 120 m (close pairs make detours a separator need not name), typed into
    2-3 runs along x with 1-2 slips, band 2-5, 3-6 or 2-4, a walking limit of 1-2 minutes."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0, 260, n))
    y = rng.uniform(0, 120, n)
    k = int(rng.integers(2, 4))
    cuts = sorted(rng.choice(np.arange(1, n), size=k - 1, replace=False).tolist())
    lab = [f"U{int(np.searchsorted(cuts, i, side='right')) + 1}" for i in range(n)]
    for h in rng.choice(n, size=int(rng.integers(1, 3)), replace=False).tolist():
        lab[h] = f"U{int(rng.integers(1, k + 1))}"
    hh = gpd.GeoDataFrame({"group": ["G1"] * n, "head_candidate": [True] * n},
                          geometry=gpd.points_from_xy(500000 + x, 3265000 + y),
                          index=pd.Index([f"H{i + 1:02d}" for i in range(n)], name="hid"), crs="EPSG:4545")
    lo, hi = [(2, 5), (3, 6), (2, 4)][int(rng.integers(0, 3))]
    walk = [1.0, 1.5, 2.0][int(rng.integers(0, 3))]
    return hh, pd.Series(lab, index=hh.index), Rules(lo, hi, require_head=False, keep_settlements=False, nest_by=(),
                                                     max_walk_min=walk)


def _grid(seed: int, r: int = 4, c: int = 5) -> tuple[gpd.GeoDataFrame, pd.Series, Rules]:
    """An ``r`` x ``c`` grid 55 m apart (jittered up to 8 m), typed into 2-4 runs of a winding order with 1-3 slips,
    a band around its size over the units, a walking limit of 1.5-3 minutes."""
    rng = np.random.default_rng(seed)
    n = r * c
    xy = [(x * 55 + rng.integers(-8, 9), y * 55 + rng.integers(-8, 9)) for y in range(r) for x in range(c)]
    k = int(rng.integers(2, 5))
    cuts = sorted(rng.choice(np.arange(1, n), size=k - 1, replace=False).tolist())
    order = [y * c + (x if y % 2 == 0 else c - 1 - x) for y in range(r) for x in range(c)]
    lab = [""] * n
    for j, i in enumerate(order):
        lab[i] = f"U{int(np.searchsorted(cuts, j, side='right')) + 1}"
    for h in rng.choice(n, size=int(rng.integers(1, 4)), replace=False).tolist():
        lab[h] = f"U{int(rng.integers(1, k + 1))}"
    hh = gpd.GeoDataFrame({"head_candidate": [True] * n},
                          geometry=gpd.points_from_xy(500000 + np.array([p[0] for p in xy]),
                                                      3265000 + np.array([p[1] for p in xy])),
                          index=pd.Index([f"H{i + 1:02d}" for i in range(n)], name="hid"), crs="EPSG:4545")
    lo, hi = max(1, n // k - 3), n // k + 2
    walk = [1.5, 2.0, 2.5, 3.0][int(rng.integers(0, 4))]
    return hh, pd.Series(lab, index=hh.index), Rules(lo, hi, require_head=False, keep_settlements=False, nest_by=(),
                                                     max_walk_min=walk)


def _walk(st: _State, inside: list[int], h: int, m: int) -> float:
    """Minutes from ``h`` to ``m`` walking only over ``inside``."""
    idx = np.array(sorted(inside))
    to_m = dijkstra(st.walk[idx][:, idx].T, directed=True, indices=int(np.searchsorted(idx, m)))
    return float(to_m[int(np.searchsorted(idx, h))])


def test_the_separator_meets_every_unit_within_the_limit_and_is_least() -> None:
    """Random scatters of 8 households, a unit ``mem`` holding ``m`` and ``h`` with ``h`` beyond the limit: every
    set of households holding ``h`` and ``m`` whose walk from ``h`` keeps the limit holds one of the separator
    (the cut holds for every plan), and for each household of it one such set holds no other (none can be left out).
    The separator is within the old cut's households, and smaller in some cases."""
    rng = np.random.default_rng(56)
    asked = smaller = 0
    for seed in range(60):
        hh, lab, rules = _scatter(seed, 8)
        st = _State(hh, lab, rules, build_graph(hh, max_walk_min=1.0))
        limit = rules.max_walk_min
        assert limit is not None
        n = len(hh)
        d, at = RE._region_walk(st, np.arange(n))
        for _ in range(6):
            h, m = (int(v) for v in rng.choice(n, 2, replace=False))
            if d[at[h], at[m]] > limit:
                continue
            mem = {h, m} | {int(v) for v in np.flatnonzero(rng.random(n) < 0.3)}
            if _walk(st, list(mem), h, m) <= limit:
                continue
            on = [k for k in range(n) if k not in mem and d[at[h], at[k]] + d[at[k], at[m]] <= limit + 1e-9]
            sep = RE._separator(st, mem, on, h, m, limit, d, at)
            asked += 1
            smaller += len(sep) < len(on)
            assert set(sep) <= set(on)
            rest = [k for k in range(n) if k not in (h, m)]
            for r in range(len(rest) + 1):
                for more in itertools.combinations(rest, r):
                    if _walk(st, [h, m, *more], h, m) <= limit:
                        assert set(more) & set(sep), (seed, h, m, sorted(mem), sep, more)
            for k in sep:
                left = [v for v in range(n) if v not in sep or v == k]
                assert _walk(st, left, h, m) <= limit, (seed, h, m, sorted(mem), sep, k)
    assert asked >= 30 and smaller >= 10, (asked, smaller)


def _old_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cut as before session 56: every household outside the unit on a detour within the limit."""
    monkeypatch.setattr(RE, "_separator", lambda st, mem, on, *a: on)


def _counted(monkeypatch: pytest.MonkeyPatch, seps: list[bool]) -> list[int]:
    """HiGHS's runs (appended to the list returned) and, into ``seps``, whether each separator was smaller."""
    runs: list[int] = []
    milp, sep = RE.milp, RE._separator

    def counted(*a: Any, **k: Any) -> Any:
        runs.append(1)
        return milp(*a, **k)

    def told(st: Any, mem: Any, on: list[int], *a: Any) -> list[int]:
        out = sep(st, mem, on, *a)
        seps.append(len(out) < len(on))
        return out

    monkeypatch.setattr(RE, "milp", counted)
    monkeypatch.setattr(RE, "_separator", told)
    return runs


#: scatters of 9 whose repair writes a separator smaller than the old cut (found by trying seeds 0-700)
SMALLER = [63, 69, 193, 239]


@pytest.mark.parametrize("seed", SMALLER)
def test_the_repair_moves_the_fewest_with_the_separators(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The repair with the separators moves the brute force's fewest (tests/test_s44_d_repair_brute), as many as with
    the old cut, and passes the check."""
    from test_s44_d_repair_brute import brute_fewest

    hh, lab, rules = _scatter(seed)
    graph = build_graph(hh, max_walk_min=1.0)
    seps: list[bool] = []
    _counted(monkeypatch, seps)
    res = repair_plan(hh, lab, rules, graph)
    assert any(seps)  # a smaller separator was written
    assert res.passed and len(res.moves) == brute_fewest(hh, lab, rules, graph)
    assert check_plan(hh, res.labels, rules, graph=graph).passed
    _old_cut(monkeypatch)
    old = repair_plan(hh, lab, rules, graph)
    assert old.passed and len(old.moves) == len(res.moves)


def test_a_grid_takes_fewer_rounds(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 4 x 4 grid in 4 units under a 2-minute limit, band 1-6 (seed 2): 4 HiGHS runs with the separators, 5 with
    the old cut (a round fewer), 4 moves either way (another of the tied plans), each passing the check."""
    hh, lab, rules = _grid(2, 4, 4)
    graph = build_graph(hh, max_walk_min=1.0)
    seps: list[bool] = []
    runs = _counted(monkeypatch, seps)
    res = repair_plan(hh, lab, rules, graph)
    assert res.passed and res.method == "exact" and len(res.moves) == 4
    assert len(runs) == 4 and any(seps)
    runs.clear()
    _old_cut(monkeypatch)
    old = repair_plan(hh, lab, rules, graph)
    assert len(runs) == 5
    assert old.passed and len(old.moves) == 4
    for plan in (res, old):
        assert check_plan(hh, plan.labels, rules, graph=graph).passed
