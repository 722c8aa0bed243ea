"""Stage: a unit still lacking a candidate head re-cut with the nearest units around it (issue 13).

After :func:`~yuanluo.gis.delineate.spare.spare_windows`, a unit can still lack a candidate in a component
whose pre-check passes and that no search has proven to be without a split: ``HEAD-UNPLACED``. Step 5 of
:func:`~yuanluo.gis.delineate.heads.head_fix` cuts such a component whole by the exact split only up to
``Settings.head_exact_max_n`` nodes (100); above that, about half of them are placed by a smaller question.
With the delineator's ``head_windows`` (off by default: some 27 walking minutes a head placed, 38 of 71 at 3,000
synthetic households × 16 under Changshou's rule; ``bench/results/heads.md``, session 48), for each such unit
(in unit order):

- its *windows*: the unit and the units around it, taken one at a time in breadth-first order over
  neighbouring units (``ok``, within the band, of no locked unit), at most ``WINDOW_UNITS`` units and
  ``WINDOW_NODES`` nodes;
- a window is cut when its weight fits as many units as the fewer of its units and its candidate locations
  (then into that count of parts or more);
- the cut: the exact search of :mod:`~yuanluo.gis.delineate.headsearch` with its parts grown along walking
  minutes (``WINDOW_STEPS`` steps; settlements kept whole contracted to one node each, free when that finds
  none: :func:`~yuanluo.gis.delineate.heads._count_cut`), every part within the band with a candidate and at
  most one seed point;
- of the first window whose cut leaves none of its units lacking and the ``WINDOW_MORE`` next ones, the cut
  adding the fewest walking minutes is taken: only that window's units change.

Then the local search and merge–resplit run on the units changed and their neighbours (the head rule hard).
Without the head rule, or with no such unit, nothing changes and nothing is drawn: those fits are the same
units as before.

Examples
--------
A path of sixteen households, a minute apart, four units of four under a band of 3–5; candidates at
households 4, 8, 12 and 15: the first unit lacks one. The window of the first three units holds only two
candidates and cannot be cut into two; the fourth unit's candidate is to spare, and the four are re-cut, each
with its head.

>>> from yuanluo.gis.delineate.problem import NodeGraph, Settings
>>> g = NodeGraph.build(np.ones(16), np.arange(15), np.arange(1, 16), np.ones(15))
>>> g.head = np.zeros(16, dtype=np.int64)
>>> g.head[[4, 8, 12, 15]] = 1
>>> units = Units(g.csr(), np.repeat([0, 1, 2, 3], 4), heads=g.head, size=g.w)
>>> s = Settings(lo=3, hi=5, target=4.0, require_head=True)
>>> head_windows(g, s, units, np.ones(16, dtype=bool), set())
1
>>> sorted(n.tolist() for n in units.nodes.values())
[[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11, 12], [13, 14, 15]]
"""

from __future__ import annotations

import numpy as np

from yuanluo.gis.delineate.heads import _count_cut, _lacking, _replace_units, head_precheck, neighbour_units
from yuanluo.gis.delineate.improve import Units, head_lack, local_search, locked_nodes, recombine
from yuanluo.gis.delineate.problem import NodeGraph, Settings

__all__ = ["head_windows", "WINDOW_UNITS", "WINDOW_NODES", "WINDOW_STEPS"]

WINDOW_UNITS = 12  # units of a window at most
WINDOW_NODES = 200  # nodes of a window at most
WINDOW_STEPS = 1_000  # steps of the exact search per window
WINDOW_MORE = 2  # windows tried beyond the first whose cut gives every unit a head (the least walk kept)


def head_windows(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray, proven: set[int]) -> int:
    """Re-cut the smallest window of units around each unit still lacking a candidate head so that none of
    them lacks one (``units`` changes in place; ``proven``: components proven to have no split giving every
    unit a head). Returns the heads placed; 0 without the head rule."""
    if units.heads is None or g.head is None or not g.n:
        return 0
    skip = set(head_precheck(g, s)) | proven
    todo = [a for a in _lacking(g, s, units, part_ok)
            if int(g.comp[units.nodes[a][0]]) not in skip and _usable(g, s, units, part_ok, a)]
    if not todo:
        return 0
    changed: set[int] = set()
    placed = 0
    for a in todo:
        if a not in units.nodes or units.lack(a) <= 0:
            continue
        locked = locked_nodes(g, s, units.lab)
        found = _window_cut(g, s, units, part_ok, a, locked)
        if found is None:
            continue
        win, cn, ids = found
        before = sum(units.lack(k) for k in win)
        new = _replace_units(units, cn, ids)
        placed += int(round(before - sum(units.lack(k) for k in new)))
        changed = (changed - set(win)) | new
    changed &= set(units.nodes)
    if changed:
        near = set(changed)
        for k in changed:
            near.update(neighbour_units(units, k))
        mask = part_ok & np.isin(units.lab, sorted(near))
        local_search(g, s, units, mask, locked_nodes(g, s, units.lab))
        recombine(g, s, units, mask, locked_nodes(g, s, units.lab))
    return placed


def _usable(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray, k: int) -> bool:
    """Unit ``k`` is ``ok``, within the band and of no locked unit."""
    n = units.nodes[k]
    return (bool(part_ok[n].all()) and s.lo <= g.w[n].sum() <= s.hi
            and (g.locked is None or bool((g.locked[n] < 0).all())))


def _order(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray, a: int) -> list[int]:
    """Unit ``a`` and the usable units around it in breadth-first order (neighbours in unit order), at most
    ``WINDOW_UNITS``."""
    order, seen = [a], {a}
    for k in order:
        if len(order) >= WINDOW_UNITS:
            break
        for b in neighbour_units(units, k):
            if b not in seen and _usable(g, s, units, part_ok, b):
                seen.add(b)
                order.append(b)
    return order[:WINDOW_UNITS]


def _window_cut(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray, a: int, locked: np.ndarray
                ) -> tuple[list[int], np.ndarray, np.ndarray] | None:
    """The smallest window around unit ``a`` whose cut leaves none of its units lacking: (its units, its
    nodes, the part of each node, 0, 1, …); None when no window has one."""
    assert g.head is not None
    order = _order(g, s, units, part_ok, a)
    best: tuple[float, list[int], np.ndarray, np.ndarray] | None = None
    tries = 0
    for m in range(2, len(order) + 1):
        win = order[:m]
        cn = np.sort(np.concatenate([units.nodes[k] for k in win]))
        if len(cn) > WINDOW_NODES:
            break
        weight, cands = float(g.w[cn].sum()), int((g.head[cn] > 0).sum())
        k = min(m, cands)
        if k < 1 or weight > k * s.hi:
            continue
        sub = g.restrict(cn)
        part = _count_cut(sub, s, locked[cn], k, steps=WINDOW_STEPS)
        if part is None:
            continue
        ids = np.unique(part, return_inverse=True)[1]
        n_parts = int(ids.max()) + 1
        sizes = np.bincount(ids, weights=sub.w, minlength=n_parts)
        heads = np.bincount(ids, weights=sub.head, minlength=n_parts)
        seeds = np.bincount(ids, weights=sub.seed.astype(float), minlength=n_parts)
        if head_lack(heads, sizes, units.heads_for).sum() > 0 or (seeds > 1).any():
            continue
        added = sum(units.evaluate(cn[ids == j])[0] for j in range(n_parts)) - sum(units.cost[x] for x in win)
        if best is None or added < best[0]:
            best = (added, win, cn, ids)
        tries += 1
        if tries > WINDOW_MORE:
            break
    return None if best is None else best[1:]
