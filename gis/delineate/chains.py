"""Stage: two-move chains — a boundary household moves from unit A to B while one of B's moves on to C.

The local search moves one location at a time, and a move is refused when A would fall below the floor, B
would rise above the ceiling, or the location holds A's last candidate head (the head rule, once hard). Under a
narrow band (Changshou, 15–25) and after the head stage many units sit at such a limit. A chain x: A → B,
y: B → C keeps B's size (and its candidates when x and y hold as many); with C = A it is a swap, which keeps
both sizes. Each chain is screened by the walking minutes its two moves save with the meeting points as they
are, and taken only when the exact walk of the units it changes (:meth:`Units.evaluate`: new meeting points,
contiguity) drops strictly. The band (in households or persons: the node weights), the head rule (no unit
lacks more), locked settlements, seed points and ``ok`` units only are kept as in
:func:`~yuanluo.gis.delineate.improve.local_search`; nesting by the graph, whose edges never cross a nest key; a
walking limit as there, by the penalty in the units' cost. Each pass is followed by the local search of the
units it changed and their neighbours (a merge–resplit after each pass too, as first tried: 1.4 s of a 5.9 s
fit against 0.4 s of 4.6 s at 10,000 households, for 0.10 % less walk).

Examples
--------
Four households, units of exactly two: {0, 2} and {1, 3} each walk 10 minutes; no single move keeps the band,
a swap (3 into the first, 0 into the second) gives {2, 3} and {0, 1}, a minute each.

>>> from yuanluo.gis.delineate.improve import Units
>>> from yuanluo.gis.delineate.problem import NodeGraph, Settings
>>> g = NodeGraph.build(np.ones(4), np.array([0, 2, 0, 1, 0]), np.array([1, 3, 2, 3, 3]),
...                     np.array([1.0, 1.0, 10.0, 10.0, 1.0]))
>>> units = Units(g.csr(), np.array([0, 1, 0, 1]))
>>> chain_moves(g, Settings(lo=2, hi=2, target=2.0), units, np.ones(4, dtype=bool))
1
>>> units.lab.tolist(), sum(units.cost.values())
([1, 1, 0, 0], 2.0)
"""

from __future__ import annotations

import numpy as np

from yuanluo.gis.delineate.improve import Units, local_search, locked_nodes
from yuanluo.gis.delineate.problem import NodeGraph, Settings

__all__ = ["chain_moves"]

CHAIN_OUT = 8  # moves out of a unit tried after each move into it
CHAIN_PASSES = 6  # passes of chains (each followed by the local search of what changed)


def chain_moves(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray) -> int:
    """Passes of two-move chains between ``ok`` units (``units`` changes in place), each pass followed by the
    local search of the units it changed and their neighbours; returns the chains taken."""
    taken = 0
    memo: dict[bytes, tuple[float, int, np.ndarray]] = {}  # the units' walks by node set, for every pass
    for _ in range(CHAIN_PASSES):
        changed = _chain_pass(g, s, units, part_ok, memo)
        if not changed:
            break
        taken += len(changed)
        mask = part_ok & np.isin(units.lab, _and_next(g, units.lab, set().union(*changed)))
        local_search(g, s, units, mask, locked_nodes(g, s, units.lab))
    return taken


def _and_next(g: NodeGraph, lab: np.ndarray, ks: set[int]) -> np.ndarray:
    """The units ``ks`` and the units next to them."""
    a, b = np.r_[g.u, g.v], np.r_[g.v, g.u]
    inside = np.isin(lab, sorted(ks))
    return np.union1d(sorted(ks), lab[b[inside[a]]])


def _moves(g: NodeGraph, units: Units, part_ok: np.ndarray, movable: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each boundary node's move to each unit next to it: (node, unit, walking minutes saved with the meeting
    points as they are, its households counted), best first, ties by node and unit."""
    lab = units.lab
    h, j, ww = np.r_[g.u, g.v], np.r_[g.v, g.u], np.r_[g.walk, g.walk]
    k = (lab[h] != lab[j]) & movable[h] & part_ok[j]
    h, j, ww = h[k], j[k], ww[k]
    if not len(h):
        return h, h, np.zeros(0)
    gain = units.mult[h] * (units.dm[h] - (ww + units.dm[j]))
    to = lab[j]
    o = np.lexsort((-gain, to, h))
    h, to, gain = h[o], to[o], gain[o]
    first = np.r_[True, (h[1:] != h[:-1]) | (to[1:] != to[:-1])]  # the best edge of each (node, unit)
    h, to, gain = h[first], to[first], gain[first]
    o = np.lexsort((to, h, -gain))
    return h[o], to[o], gain[o]


def _chain_pass(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray,
                memo: dict[bytes, tuple[float, int, np.ndarray]] | None = None) -> list[set[int]]:
    """One pass: chains screened by their saving, best first, each unit changed at most once; returns the
    units each chain taken changed. ``memo``: :meth:`Units.evaluate` of the node sets seen so far (most
    chains out of a unit leave it the same set; 82 % of the sets evaluated were seen before at changshou,
    3,000 households, seeds 0–3)."""
    memo = {} if memo is None else memo
    lab, w, hd = units.lab, g.w, units.heads
    movable = part_ok & ~locked_nodes(g, s, lab) & ~units.seed
    # sizes and candidates per unit and node as Python numbers: the rules are read per chain, one at a time
    size = np.bincount(lab, weights=w).tolist()
    heads = np.bincount(lab, weights=hd, minlength=len(size)).tolist() if hd is not None else None
    wn, hn = w.tolist(), hd.tolist() if hd is not None else None
    h, to, gain = _moves(g, units, part_ok, movable)
    src = lab[h]
    out: dict[int, list[tuple[float, int, int]]] = {}
    for x, a, b, gx in zip(h.tolist(), src.tolist(), to.tolist(), gain.tolist(), strict=True):
        if len(out.setdefault(a, [])) < CHAIN_OUT:
            out[a].append((gx, x, b))
    chains = [(gx + gy, x, a, b, y, c) for x, a, b, gx in zip(h.tolist(), src.tolist(), to.tolist(), gain.tolist(),
                                                             strict=True)
              for gy, y, c in out.get(b, ()) if y != x and gx + gy > 1e-9]
    chains.sort(key=lambda t: (-t[0], t[1], t[4], t[5]))
    done: set[int] = set()
    changed: list[set[int]] = []
    for _, x, a, b, y, c in chains:
        if a in done or b in done or c in done:
            continue
        if not _keeps_rules(s, wn, hn, units.heads_for, (size, heads), (x, a, b, y, c)) \
                or (c != a and len(units.nodes[a]) == 1):  # a would be left empty
            continue
        new = _chain(units, x, a, b, y, c)
        before = sum(units.cost[q] for q in new) - 1e-9
        ev: dict[int, tuple[float, int, np.ndarray]] = {}
        after = 0.0
        for q, n in new.items():
            ev[q] = _evaluate(units, n, memo)
            after += ev[q][0]
            if not after < before:  # inf: a unit in pieces; the walks are never negative
                break
        else:
            for q, n in new.items():
                units.lab[n] = q
                units.nodes[q] = n
                units.cost[q], units.meet[q], units.dm[n] = ev[q]
                size[q] = float(w[n].sum())
                if hd is not None and heads is not None:
                    heads[q] = float(hd[n].sum())
            done |= set(new)
            changed.append(set(new))
    return changed


def _evaluate(units: Units, nodes: np.ndarray, memo: dict[bytes, tuple[float, int, np.ndarray]]
              ) -> tuple[float, int, np.ndarray]:
    """:meth:`Units.evaluate` of ``nodes`` (sorted), looked up in ``memo`` first: the walk of a node set is
    the same whenever it is asked (the graph, seed points, households per node and walking limit of
    ``units`` never change).

    >>> from yuanluo.gis.delineate.improve import Units
    >>> from yuanluo.gis.delineate.problem import NodeGraph
    >>> g = NodeGraph.build(np.ones(3), np.array([0, 1]), np.array([1, 2]), np.array([1.0, 2.0]))
    >>> units, memo = Units(g.csr(), np.zeros(3, dtype=np.int64)), {}
    >>> _evaluate(units, np.arange(3), memo)[:2], len(memo), _evaluate(units, np.arange(3), memo)[:2]
    ((3.0, 1), 1, (3.0, 1))
    """
    key = np.asarray(nodes, dtype=np.int64).tobytes()
    got = memo.get(key)
    if got is None:
        got = memo[key] = units.evaluate(nodes)
        got[2].setflags(write=False)  # shared by every later look-up
    return got


def _chain(units: Units, x: int, a: int, b: int, y: int, c: int) -> dict[int, np.ndarray]:
    """The node sets of units ``a``, ``b`` and ``c`` after x: a → b and y: b → c."""
    ua, ub = units.nodes[a], units.nodes[b]
    na = ua[ua != x]
    nb = np.sort(np.concatenate((ub[ub != y], [x])))
    if c == a:
        return {a: np.sort(np.concatenate((na, [y]))), b: nb}
    return {a: na, b: nb, c: np.sort(np.concatenate((units.nodes[c], [y])))}


def _lack(heads: float, size: float, big: int | None) -> float:
    """:func:`~yuanluo.gis.delineate.improve.head_lack` of one unit, in Python numbers (the same doubles).

    >>> [_lack(h, z, 8) for h, z in [(0, 5), (1, 5), (1, 9), (2, 9)]]
    [1.0, 0.0, 1.0, 0.0]
    """
    return max(1.0 + (big is not None and size > big) - heads, 0.0)


def _after(per: list[float], vx: float, vy: float, a: int, b: int, c: int) -> tuple[float, float, float]:
    """Units ``a``'s, ``b``'s and ``c``'s totals of ``per`` after the chain (x: a → b carrying ``vx``, y: b → c
    carrying ``vy``; ``c`` may be ``a``): the same sums as unit by unit, a's change -vx (+ vy when c is a), b's
    vx - vy, c's vy.

    >>> _after([5.0, 6.0, 7.0], 1.0, 2.0, 0, 1, 2), _after([5.0, 6.0], 1.0, 2.0, 0, 1, 0)
    ((4.0, 5.0, 9.0), (6.0, 5.0, 6.0))
    """
    zb = per[b] + (vx - vy)
    if c == a:
        za = zc = per[a] + (-vx + vy)
    else:
        za, zc = per[a] + -vx, per[c] + vy
    return za, zb, zc


def _keeps_rules(s: Settings, w: list[float], hd: list[float] | None, heads_for: int | None,
                 before: tuple[list[float], list[float] | None], chain: tuple[int, int, int, int, int]) -> bool:
    """Whether after the chain ``(x, a, b, y, c)``, x: a → b and y: b → c, every unit is within the band and
    lacks no more candidate heads than ``before`` (size and candidates per unit; ``w`` households (or persons)
    and ``hd`` candidate heads per node; ``None``: no head rule). Sizes and candidates are whole numbers, so the
    sums are exact.

    Units {0, 1} and {2, 3} of two, candidates at nodes 0 and 2, band 2–3:

    >>> s, w, hd, before = Settings(lo=2, hi=3, target=2.5), [1.0] * 4, [1.0, 0.0, 1.0, 0.0], ([2.0, 2.0], [1.0, 1.0])
    >>> _keeps_rules(s, w, hd, None, before, (1, 0, 1, 3, 0))  # a swap of 1 and 3: each keeps its candidate
    True
    >>> _keeps_rules(s, w, hd, None, before, (0, 0, 1, 3, 0))  # a swap of 0 and 3: the first loses its own
    False
    >>> _keeps_rules(s, w, None, None, ([2.0, 2.0, 2.0], None), (0, 0, 1, 2, 2))  # the first falls below 2
    False
    """
    size, heads = before
    x, a, b, y, c = chain
    za, zb, zc = _after(size, w[x], w[y], a, b, c)
    if not (s.lo <= za <= s.hi and s.lo <= zb <= s.hi and s.lo <= zc <= s.hi):
        return False
    if hd is None or heads is None:
        return True
    ha, hb, hc = _after(heads, hd[x], hd[y], a, b, c)
    big = heads_for
    return _lack(ha, za, big) <= _lack(heads[a], size[a], big) \
        and _lack(hb, zb, big) <= _lack(heads[b], size[b], big) \
        and _lack(hc, zc, big) <= _lack(heads[c], size[c], big)
