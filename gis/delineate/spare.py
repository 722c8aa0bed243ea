"""Stage: windows around spare candidate heads (issue 13), the last step of the head stage.

With the head rule a unit needs a candidate head, so where candidates are few the head stage leaves fewer,
larger units than the search would draw without the rule (changshou, 3,000 households, seeds 0–15: 2,607
units with it, 2,646 without), each walking more. A unit holding candidates at two or more locations, more
than it needs, has one to spare: with it, a neighbourhood of full units may hold one unit more, each with
its head. Here, after :func:`~yuanluo.gis.delineate.pool.pool_heads`:

- a *spare* unit is an ``ok`` unit within the band, of no locked unit, lacking no head, with candidates at
  two or more locations and more candidates than it needs;
- its *window* is the unit and its neighbours (``ok``, in the band, unlocked, lacking no head), the largest
  first, added until the window could hold one unit more (weight ≥ (units + 1) × floor), at most
  ``SPARE_MAX_W`` households (or persons); kept when its candidate locations are at least one more than its
  units and its units average at least ``SPARE_FILL`` of the ceiling (full units: where one more unit
  pays);
- the windows are taken fullest first, at most ``SPARE_SHARE`` × the number of units (each computed again
  when its turn comes; a unit changed by an earlier window is passed over);
- columns: the window's units now, the pieces of its units before the head stage, and the parts of its cuts
  by the head-aware tree DP aimed at one unit more (its target size the window's weight over its units plus
  one) along the walking-time spanning tree and jittered ones
  (:func:`~yuanluo.gis.delineate.construct.construct_trees`): one to ``SPARE_TREES``, as many as
  ``SPARE_CELLS`` (forests × nodes × (ceiling + 1), the size of the DP's arrays) allows: a pair of full
  units of 45 under a ceiling of 50 gets one, of 24 under 25 four; a column is kept when it is connected, within
  the band, lacks no candidate head, holds at most one seed point and splits no settlement the units keep
  whole. Its cost is its exact walk (:meth:`~yuanluo.gis.delineate.improve.Units.evaluate`, the walking-limit
  penalty included); HiGHS (``scipy.optimize.milp``) covers the window's nodes once each at the least cost,
  any number of units. The cover is taken only when it walks less than the units now, which are such a
  cover: no unit leaves the band and none lacks a head.
- the local search runs on the units changed and their neighbours.

Without the head rule there is no candidate to spare and the stage does nothing, as ``head_fix`` and
``pool_heads``: the heads-off fits are the same units as before. (A window re-cut with any number of units
would shorten the walks with the rule off too: session 41 measured −3.2 % off, −1.0 % on for whole
components; here the windows are chosen by the candidates, a choice the rule makes.)

Measured (``bench/results/heads.md``, sessions 43–44): changshou, 3,000 households, seeds 0–15: mean Δ walk
(heads on against off) +6.05 → +5.27 %, 2,607 → 2,633 units, the same HEAD-UNPLACED (71) and HEAD-SHORT
(86); 2.1 s of 59 CPU seconds of heads-on fits (3.5 %). Banan: +2.97 → +2.23 %, 1.7 s of 18.6 s (8.9 %).
Session 44 (the DP aimed at one unit more, its forests by ``SPARE_CELLS``, the settlements kept whole found
once and again after each window taken): changshou +5.19 %, 2,639 units, 1.8 s of 55 s (3.2 %); banan
+2.18 %, 0.9 s of 18.7 s (4.6 %); at 10,000 households (seeds 0–1) 5.8 % and 5.5 % of the fits (10.7 %, 5.9 %).

Examples
--------
A path of fifty households a minute apart, two units of 25 under a band of 15–25, candidates at households
5, 25 and 45: the second unit has one to spare, and three units of 16–17, each with a head, walk less.

>>> from yuanluo.gis.delineate.problem import NodeGraph, Settings
>>> g = NodeGraph.build(np.ones(50), np.arange(49), np.arange(1, 50), np.ones(49))
>>> g.head = np.zeros(50, dtype=np.int64)
>>> g.head[[5, 25, 45]] = 1
>>> units = Units(g.csr(), np.repeat([0, 1], 25), heads=g.head, size=g.w)
>>> sum(units.cost.values())
312.0
>>> spare_windows(g, Settings(lo=15, hi=25, target=20.0, require_head=True), units, np.ones(50, dtype=bool),
...               None, np.random.default_rng(0))
1
>>> sorted(len(n) for n in units.nodes.values()), sum(units.cost.values()), sum(units.lack(k) for k in units.nodes)
([16, 17, 17], 208.0, 0.0)
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from yuanluo.gis.delineate.construct import construct_trees
from yuanluo.gis.delineate.heads import neighbour_units, search_near
from yuanluo.gis.delineate.improve import Units, head_lack, locked_nodes
from yuanluo.gis.delineate.pool import column_fits, take_cover
from yuanluo.gis.delineate.problem import NodeGraph, Settings

__all__ = ["spare_windows"]

SPARE_TREES = 4  # jittered spanning trees cut per window at most (besides the walking-time tree)
SPARE_CELLS = 6500  # the tree DPs' budget per window: forests × nodes × (ceiling + 1); two forests at least
SPARE_FILL = 0.92  # a window's units average at least this share of the ceiling
SPARE_SHARE = 0.1  # windows tried: at most this share of the number of units
SPARE_MAX_W = 200  # households (or persons) in a window at most


def spare_windows(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray, pre: np.ndarray | None,
                  rng: np.random.Generator) -> int:
    """Re-cut the windows around units with a spare candidate head where a cover of the window by units with
    their heads walks less (``units`` changes in place; ``pre`` the labels before the head stage, or None).
    Returns the windows changed; 0 without the head rule."""
    if units.heads is None or g.head is None or not g.n:
        return 0
    wins = []
    for k in _spare_units(g, s, units, part_ok):
        win = _window_of(g, s, units, part_ok, k)
        if win is not None:
            wins.append((-win[1] / len(win[0]), k))
    wins.sort()
    todo = [k for _, k in wins[: int(np.ceil(SPARE_SHARE * len(units.nodes)))]]
    changed: set[int] = set()
    taken = 0
    locked = locked_nodes(g, s, units.lab)  # the settlements kept whole: anew after each window taken
    for k in todo:
        if k not in units.nodes or k in changed:
            continue
        win = _window_of(g, s, units, part_ok, k)
        if win is None:
            continue
        new = _recut(g, s, units, sorted(win[0]), pre, rng, locked)
        if new:
            taken += 1
            changed |= new
            locked = locked_nodes(g, s, units.lab)
    # (a unit made by one window may be re-cut by a later one, as its neighbour: search_near keeps those left)
    search_near(g, s, units, part_ok, changed)
    return taken


def _free(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray, k: int) -> bool:
    """Unit ``k`` is ``ok``, within the band, of no locked unit and lacks no candidate head."""
    n = units.nodes[k]
    return bool(part_ok[n].all()) and s.lo <= g.w[n].sum() <= s.hi \
        and (g.locked is None or bool((g.locked[n] < 0).all())) and units.lack(k) <= 0


def _spare_units(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray) -> list[int]:
    """The free units with candidates at two locations or more and more candidates than they need, in unit
    order."""
    assert g.head is not None
    out = []
    for k in sorted(units.nodes):
        n = units.nodes[k]
        hn = g.head[n]
        if (hn > 0).sum() >= 2 and _free(g, s, units, part_ok, k) \
                and head_lack(hn.sum() - 1, g.w[n].sum(), units.heads_for) <= 0:
            out.append(k)
    return out


def _window_of(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray, k: int
               ) -> tuple[list[int], float] | None:
    """The window of spare unit ``k`` (its units, ``k`` first, and their weight), or None when it could not
    hold one unit more, lacks candidate locations for one, or its units are not full enough."""
    assert g.head is not None
    per = {b: float(g.w[units.nodes[b]].sum()) for b in neighbour_units(units, k)
           if _free(g, s, units, part_ok, b)}
    nb = sorted(per, key=lambda b: (-per[b], -units.cost[b] / units.mult[units.nodes[b]].sum(), b))
    ks, tot = [k], float(g.w[units.nodes[k]].sum())
    for b in nb:
        if len(ks) >= 2 and tot >= (len(ks) + 1) * s.lo:
            break
        if tot + per[b] <= SPARE_MAX_W:
            ks.append(b)
            tot += per[b]
    if len(ks) < 2 or tot < (len(ks) + 1) * s.lo or tot < SPARE_FILL * s.hi * len(ks) - 1e-9:
        return None
    if (g.head[np.concatenate([units.nodes[q] for q in ks])] > 0).sum() < len(ks) + 1:
        return None
    return ks, tot


def _recut(g: NodeGraph, s: Settings, units: Units, ks: list[int], pre: np.ndarray | None,
           rng: np.random.Generator, locked: np.ndarray) -> set[int]:
    """The least-walk cover of the window ``ks`` by columns with their heads (``locked``:
    :func:`locked_nodes` of the units now); returns the new units (none: the units kept)."""
    nodes = np.sort(np.concatenate([units.nodes[k] for k in ks]))
    got = _columns(g, s, units, ks, nodes, pre, rng, locked)
    if got is None:
        return set()
    keep, cost = got
    now = len(ks)
    if len(keep) == now:
        return set()
    return take_cover(units, ks, nodes, keep, cost, None)


def window_columns(n: int, units: Units, ks: list[int], nodes: np.ndarray, labellings: list[np.ndarray]
                   ) -> list[np.ndarray]:
    """The distinct columns of a window of units ``ks`` over its ``nodes`` (of a graph of ``n`` nodes), each as
    its sorted positions in ``nodes``: the units now first, in ``ks``'s order, then every part of each labelling
    of ``nodes`` (a cut of the window), in the order met; a part equal to an earlier column is left out.

    A window of two units over nodes 3–6 of a graph of 8, and two cuts of it (only ``units.nodes`` is read):

    >>> from types import SimpleNamespace
    >>> units = SimpleNamespace(nodes={0: np.array([4, 3]), 1: np.array([5, 6])})
    >>> cols = window_columns(8, units, [0, 1], np.arange(3, 7), [np.array([0, 0, 1, 1]), np.array([0, 1, 1, 1])])
    >>> [c.tolist() for c in cols]
    [[0, 1], [2, 3], [0], [1, 2, 3]]
    """
    loc = np.full(n, -1, dtype=np.int64)
    loc[nodes] = np.arange(len(nodes))
    cols: dict[bytes, np.ndarray] = {}
    for m in [loc[units.nodes[k]] for k in ks] + [np.flatnonzero(part == q) for part in labellings
                                                  for q in np.unique(part).tolist()]:
        m = np.sort(m)
        cols.setdefault(m.tobytes(), m)
    return list(cols.values())


def _columns(g: NodeGraph, s: Settings, units: Units, ks: list[int], nodes: np.ndarray, pre: np.ndarray | None,
             rng: np.random.Generator, locked: np.ndarray) -> tuple[list[np.ndarray], list[float]] | None:
    """The columns of the window ``ks`` (its ``nodes``, sorted; each column as positions in them), the units
    now first, and their walks; None when a unit now is in pieces. The tree DP aims at one unit more: its
    target size is the window's weight over its units plus one (within the band)."""
    assert g.head is not None
    sub = g.restrict(nodes)
    # a DP's arrays hold a row per node and size: small windows get more forests than pairs of big units
    more = int(np.clip(SPARE_CELLS // (len(nodes) * (s.hi + 1)) - 1, 1, SPARE_TREES))
    jit: list[np.ndarray | None] = [None, *(rng.uniform(0.2, 1.8, size=len(sub.u)) for _ in range(more))]
    aim = replace(s, target=float(np.clip(g.w[nodes].sum() / (len(ks) + 1), s.lo, s.hi)))
    cuts = construct_trees(sub, aim, jit)
    cols = window_columns(g.n, units, ks, nodes, [*([pre[nodes]] if pre is not None else []), *cuts])
    now = len(ks)
    fits, wsum, hsum = column_fits(cols, now, g.w[nodes], g.seed[nodes], g.head[nodes],
                                   np.where(locked[nodes], g.block[nodes], -1), s.lo, s.hi)
    lacks = (head_lack(hsum, wsum, units.heads_for) > 0).tolist()
    keep: list[np.ndarray] = []
    cost: list[float] = []
    for i, m in enumerate(cols):
        if not fits[i] or (i >= now and lacks[i]):
            continue
        c = units.evaluate(nodes[m])[0]
        if np.isfinite(c):  # inf: in pieces
            keep.append(m)
            cost.append(c)
        elif i < now:  # a unit now in pieces: not re-cut here
            return None
    return keep, cost
