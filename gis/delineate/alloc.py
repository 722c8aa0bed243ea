"""Stage: the units the head stage changed, re-allocated to their meeting points by an LP (issue 13).

The head stage (``head_fix`` … ``spare_windows``) re-cuts units so that each holds a candidate head, and walks
more for it. Here, in each area (a connected component of the node graph: one nest group, islands joined) whose
units it changed, of at most ``ALLOC_MAX_N`` nodes, its units all ``ok`` and the pre-check not short
(:func:`~yuanluo.gis.delineate.heads.head_precheck`), the units' meeting points are kept as fixed centres and
every node is re-assigned to one of the ``ALLOC_K`` centres nearest it by walking time (its own unit's always
among them). The model, a transportation problem with side rows:

- each node in one unit; each unit within the band;
- a candidate head in each unit (two above ``heads_for_size``); a lacking one costs ``ALLOC_PRICE`` walking
  minutes through a slack, so the units now are a feasible point, and a unit still lacking may get one;
- a settlement whole in its unit moves whole; each centre stays in its unit;
- contiguity along walks: a node joins a centre only with a neighbour nearer that centre (rows the units now
  break left out, so that they stay feasible);
- least: each node's households times its walk to the centre, summed.

Only the LP relaxation is solved (HiGHS, :func:`~yuanluo.gis.exact.highs_milp` without integer variables); an
area where it gains less than ``ALLOC_MIN_GAIN`` walking minutes on the units now is left. Each node goes to
the centre of its largest share. Where that breaks the band, a head the LP gave a unit, or a unit's contiguity,
a MILP over the fractional nodes only settles them, the others kept where the LP put them; and, while it
finds none or the units are still in pieces, over them and one ring of their neighbours more (up to
``ALLOC_FIX_RINGS``). An area still in pieces is left. The new units are taken when their walk measured inside each unit
(:meth:`~yuanluo.gis.delineate.improve.Units.evaluate`, the walking limit's penalty included) plus
``ALLOC_PRICE`` per lacking head is less than now. Then the hard-rule local search and the merge–resplit with
head centres run on the changed units and their neighbours; an area whose meeting points they moved (its units
the same) is solved again from the new ones and closed again (``ALLOC_AFTER_CLOSE`` times).

Session 57 solved the same model as a MILP (3,000 changshou households × 16 villages: walk −0.64 %, 9 more
heads, +18 s CPU, 90 % of it HiGHS's root solves). Half the LP solves are integral, the others leave about ten
nodes a solve fractional; this stage gave walk −0.36 % and 4 more heads there for 4.2 s CPU
(``bench/results/heads.md``, session 58).

Without the head rule nothing is asked (the units are those of the stages before), nor in areas with seed
points or locked units.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint
from scipy.sparse.csgraph import connected_components, dijkstra

from yuanluo.gis.delineate.heads import head_precheck, search_near
from yuanluo.gis.delineate.improve import Units, head_lack, locked_nodes
from yuanluo.gis.delineate.problem import NodeGraph, Settings
from yuanluo.gis.exact import highs_milp

__all__ = ["alloc_walk"]

ALLOC_K = 5  # centres a node may join (its unit's among them)
ALLOC_PRICE = 1000.0  # walking minutes a lacking candidate head costs
ALLOC_MAX_N = 400  # areas of at most this many nodes
ALLOC_MIN_GAIN = 0.1  # walking minutes the LP must gain on the units now for an area to be re-cut
# times an area whose meeting points the close (search_near) moved is solved again from them and closed
# again. Session 59, changshou 3,000 households x 16 villages and 10,000 x 2: gain 1 -> 0.1 and one time
# after the close walk 0.090 / 0.092 points less (heads on against off), the same heads, for about +1.2 s of
# the stage's CPU at 3,000 x 16 (5.6-6.2 -> 6.1-8.1 s, about 2 % of the heads-on fit; +0.5 s at 10,000 x 2),
# most of it the second close; repeating the LP before the close (Lloyd) gained under 0.03 points at 3,000.
ALLOC_AFTER_CLOSE = 1
ALLOC_FIX_RINGS = 2  # rings of neighbours the fractional nodes' MILP grows by while it fails
ALLOC_NODES = 500  # HiGHS's branch-and-bound node limit for that MILP
_TOL = 1e-6


def alloc_walk(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray, pre: np.ndarray) -> set[int]:
    """Re-allocate the nodes of each area whose units differ from ``pre`` (the labels before the head stage) to
    the units' meeting points where that walks less (``units`` changes in place); returns the units changed."""
    if units.heads is None or g.head is None or not g.n:
        return set()
    areas = _areas(g, s, units, part_ok, pre)
    locked = locked_nodes(g, s, units.lab)
    csr = g.csr()
    changed: set[int] = set()
    for cn, ks in areas:
        changed |= _area(g, s, units, cn, ks, locked, csr)
    seen = _meets(units, areas)
    # the rule hard from here: moves and re-splits that keep every unit's heads, on the changed units and a ring
    search_near(g, s, units, part_ok, changed, resplit=True)
    for _ in range(ALLOC_AFTER_CLOSE):  # again from the meeting points the close moved, then closed again
        more: set[int] = set()
        for cn, ks in areas:
            if sorted(set(units.lab[cn].tolist())) == ks and any(units.meet[k] != seen.get(k) for k in ks):
                more |= _area(g, s, units, cn, ks, locked, csr)
        if not more:
            break
        seen = _meets(units, areas)
        search_near(g, s, units, part_ok, more, resplit=True)
        changed |= more
    return changed


def _meets(units: Units, areas: list[tuple[np.ndarray, list[int]]]) -> dict[int, int]:
    """The meeting point of each unit of the areas that still stands."""
    return {k: units.meet[k] for _, ks in areas for k in ks if k in units.meet}


def _areas(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray,
           pre: np.ndarray) -> list[tuple[np.ndarray, list[int]]]:
    """The areas the stage takes: each one's nodes (sorted) and units."""
    short = set(head_precheck(g, s))
    order = np.argsort(g.comp, kind="stable")
    out: list[tuple[np.ndarray, list[int]]] = []
    for cn in np.split(order, np.flatnonzero(np.diff(g.comp[order])) + 1):
        if not len(cn) or len(cn) > ALLOC_MAX_N or int(g.comp[cn[0]]) in short:
            continue
        cn = np.sort(cn)
        ks = sorted(set(units.lab[cn].tolist()))
        if len(ks) < 2 or g.seed[cn].any() or (g.locked is not None and (g.locked[cn] >= 0).any()):
            continue
        if not all(part_ok[units.nodes[k]].all() and s.lo <= g.w[units.nodes[k]].sum() <= s.hi for k in ks):
            continue
        before = np.unique(pre[cn])
        if len(ks) == len(before) and len(np.unique(np.c_[pre[cn], units.lab[cn]], axis=0)) == len(before):
            continue  # the head stage left the area as it was
        out.append((cn, ks))
    return out


def _area(g: NodeGraph, s: Settings, units: Units, cn: np.ndarray, ks: list[int], locked: np.ndarray,
          csr: sp.csr_matrix) -> set[int]:
    """One area's re-allocation (its nodes ``cn``, sorted; its units ``ks``): the units changed, or none."""
    loc = np.full(g.n, -1, dtype=np.int64)
    loc[cn] = np.arange(len(cn))
    cur = np.searchsorted(np.asarray(ks), units.lab[cn])  # each node's unit now, as a position in ks
    centres = np.array([loc[units.meet[k]] for k in ks])
    new = _solve(g, s, units, cn, csr[cn][:, cn].tocsr(), centres, cur, locked)
    if new is None or np.array_equal(new, cur):
        return set()
    if not _cost(units, [cn[new == j] for j in range(len(ks))]) < _cost(units, [units.nodes[k] for k in ks]) - _TOL:
        return set()
    out: set[int] = set()
    for j, k in enumerate(ks):
        nodes = cn[new == j]
        if not np.array_equal(nodes, units.nodes[k]):
            out.add(k)
        units.nodes[k] = nodes
        units.lab[nodes] = k
    for k in sorted(out):
        units.refresh(k)
    return out


def _cost(units: Units, parts: list[np.ndarray]) -> float:
    """The walk of the node sets ``parts`` measured inside each, plus ``ALLOC_PRICE`` per lacking head."""
    assert units.heads is not None and units.size is not None
    return sum(units.evaluate(p)[0] + ALLOC_PRICE * float(head_lack(units.heads[p].sum(), units.size[p].sum(),
                                                                      units.heads_for)) for p in parts)


def _pieces(adj: sp.csr_matrix, lab: np.ndarray, p: int) -> bool:
    """Whether a unit of the labels ``lab`` (positions 0 … p-1) is in more than one piece."""
    for j in range(p):
        m = np.flatnonzero(lab == j)
        if len(m) and connected_components(adj[m][:, m], directed=False)[0] > 1:
            return True
    return False


def _solve(g: NodeGraph, s: Settings, units: Units, cn: np.ndarray, adj: sp.csr_matrix, centres: np.ndarray,
           cur: np.ndarray, locked: np.ndarray) -> np.ndarray | None:
    """The area's nodes allocated to the units of ``centres`` (positions in ``cn``): each node's unit as a
    position among the centres, every unit in one piece; None when the LP gains too little or no rounding
    holds."""
    n, p = len(cn), len(centres)
    d = dijkstra(adj, directed=False, indices=centres)  # p × n walks from each centre
    near = np.argsort(d, axis=0, kind="stable")[:min(ALLOC_K, p)].T  # n × K nearest centres
    allow = np.zeros((n, p), dtype=bool)
    allow[np.arange(n)[:, None], near] = True
    allow &= np.isfinite(d.T)
    allow[np.arange(n), cur] = True
    allow[centres, :] = False
    allow[centres, np.arange(p)] = True  # a centre stays in its unit
    blk, lk = g.block[cn], locked[cn]
    groups = [m for b in np.unique(blk[lk]).tolist() if len(m := np.flatnonzero(lk & (blk == b))) > 1]
    for m in groups:  # a settlement whole in its unit now moves whole: its nodes share their choices
        allow[m] = allow[m].all(axis=0)
    ii, jj = np.nonzero(allow)
    nx = len(ii)
    var = np.full((n, p), -1, dtype=np.int64)
    var[ii, jj] = np.arange(nx)
    mult, w = units.mult[cn], g.w[cn].astype(float)
    hd = np.asarray(g.head[cn], dtype=float) if g.head is not None else np.zeros(n)
    big = s.heads_for_size if s.heads_for_size is not None and s.heads_for_size < s.hi else None
    nz = p if big is not None else 0
    nv = nx + p + nz  # x, the lacking heads' slack, z (a unit above heads_for_size)
    c = np.r_[mult[ii] * d[jj, ii], np.full(p, ALLOC_PRICE), np.zeros(nz)]
    rows: list[sp.csr_matrix] = []
    lo_b: list[np.ndarray] = []
    hi_b: list[np.ndarray] = []

    def add(r: np.ndarray, col: np.ndarray, val: np.ndarray, m: int, lo: float, hi: float) -> None:
        rows.append(sp.csr_matrix((val, (r, col)), shape=(m, nv)))
        lo_b.append(np.full(m, lo))
        hi_b.append(np.full(m, hi))

    ar, ap = np.arange(nx), np.arange(p)
    add(ii, ar, np.ones(nx), n, 1.0, 1.0)  # each node once
    add(jj, ar, w[ii], p, float(s.lo), float(s.hi))  # the band
    if big is None:  # Σ candidates + slack ≥ 1
        add(np.r_[jj, ap], np.r_[ar, nx + ap], np.r_[hd[ii], np.ones(p)], p, 1.0, np.inf)
    else:  # ≥ 1 + z, z = 1 where the unit is above heads_for_size
        add(np.r_[jj, ap, ap], np.r_[ar, nx + ap, nx + p + ap], np.r_[hd[ii], np.ones(p), -np.ones(p)], p, 1.0,
            np.inf)
        add(np.r_[jj, ap], np.r_[ar, nx + p + ap], np.r_[w[ii], np.full(p, -(s.hi - big))], p, -np.inf, float(big))
    if groups:  # x[i, j] = x[first, j] for a settlement's other nodes i
        vi = np.concatenate([var[m[1:]][:, allow[m[0]]].ravel() for m in groups])
        v0 = np.concatenate([np.tile(var[m[0], allow[m[0]]], len(m) - 1) for m in groups])
        re = np.arange(len(vi))
        add(np.r_[re, re], np.r_[vi, v0], np.r_[np.ones(len(vi)), -np.ones(len(vi))], len(vi), 0.0, 0.0)
    # contiguity along walks: x[i, j] ≤ Σ x[k, j] over i's neighbours k nearer centre j
    rows.append(_walk_rows(adj, allow, d, cur, centres, var, nv))
    lo_b.append(np.full(rows[-1].shape[0], -np.inf))
    hi_b.append(np.zeros(rows[-1].shape[0]))
    cons = LinearConstraint(sp.vstack(rows).tocsr(), np.concatenate(lo_b), np.concatenate(hi_b))
    ub = np.r_[np.ones(nx), np.full(p, 2.0), np.ones(nz)]
    res = highs_milp(c, integrality=np.zeros(nv), bounds=Bounds(0, ub), constraints=cons, options={"disp": False})
    if res.x is None:
        return None
    now = float((mult * d[cur, np.arange(n)]).sum()) + ALLOC_PRICE * float(head_lack(
        np.bincount(cur, weights=hd, minlength=p), np.bincount(cur, weights=w, minlength=p), units.heads_for).sum())
    if res.fun > now - ALLOC_MIN_GAIN:
        return None  # the LP bounds the gain: too little to re-cut for
    xv = res.x[:nx]
    share = np.zeros((n, p))
    share[ii, jj] = xv
    lab = share.argmax(axis=1)
    frac = share.max(axis=1) < 1 - _TOL
    size = np.bincount(lab, weights=w, minlength=p)
    heads = np.bincount(lab, weights=hd, minlength=p)
    lost = (heads < 1) & (res.x[nx:nx + p] < 1 - _TOL)  # a unit the LP gave a head (in part), rounded without
    if not (((size < s.lo) | (size > s.hi)).any() or lost.any() or big is not None or _pieces(adj, lab, p)):
        return lab
    if not frac.any():
        return None
    integ = np.r_[np.ones(nx), np.zeros(p), np.ones(nz)]
    return _fix(c, cons, integ, ub, xv=xv, frac=frac, ii=ii, jj=jj, adj=adj, p=p)


def _walk_rows(adj: sp.csr_matrix, allow: np.ndarray, d: np.ndarray, cur: np.ndarray, centres: np.ndarray,
               var: np.ndarray, nv: int) -> sp.csr_matrix:
    """The contiguity rows along walks, ``x[i, j] - Σ x[k, j] ≤ 0`` over i's neighbours k nearer centre j, one for
    each allowed choice but a centre's own (not where the unit now holds i with no such neighbour, so that the
    units now stay feasible)."""
    n, p = allow.shape
    nx = int(allow.sum())
    ap = np.arange(p)
    ac = adj.tocoo()
    r, q = ac.row, ac.col
    ej, ee = np.nonzero(allow[r].T & allow[q].T & (d[:, q] < d[:, r] - 1e-12))  # p × edges
    mine = np.zeros((n, p), dtype=bool)
    same = cur[q[ee]] == ej
    mine[r[ee][same], ej[same]] = True
    keep = allow.copy()
    keep[centres, ap] = False
    keep[np.arange(n), cur] &= mine[np.arange(n), cur]
    sel = keep[r[ee], ej]
    kv = var[np.nonzero(keep)]
    a = sp.csr_matrix((np.r_[np.ones(len(kv)), -np.ones(int(sel.sum()))],
                       (np.r_[kv, var[r[ee][sel], ej[sel]]], np.r_[kv, var[q[ee][sel], ej[sel]]])), shape=(nx, nv))
    return a[np.unique(kv)]


def _fix(c: np.ndarray, cons: LinearConstraint, integ: np.ndarray, ub: np.ndarray, *, xv: np.ndarray,
         frac: np.ndarray, ii: np.ndarray, jj: np.ndarray, adj: sp.csr_matrix, p: int) -> np.ndarray | None:
    """The LP's fractional nodes settled by a MILP, the other choices fixed where the LP put them (``xv``); while
    it finds none or a unit is in pieces, again with a ring of neighbours more free (up to ``ALLOC_FIX_RINGS``):
    each node's unit as a position among the centres, None where none holds."""
    n, nx, nv = len(frac), len(xv), len(c)
    free = frac
    for _ in range(ALLOC_FIX_RINGS + 1):  # the fractional nodes, then a ring of neighbours more, as binaries
        fixed = ~free[ii]
        lb = np.zeros(nv)
        hi = ub.copy()
        lb[np.flatnonzero(fixed & (xv > 0.5))] = 1.0
        hi[np.flatnonzero(fixed & (xv <= 0.5))] = 0.0
        got = highs_milp(c, integrality=integ, bounds=Bounds(lb, hi), constraints=cons,
                         options={"disp": False, "node_limit": ALLOC_NODES})
        if got.x is not None:
            on = got.x[:nx] > 0.5
            lab = np.full(n, -1, dtype=np.int64)
            lab[ii[on]] = jj[on]
            if (lab >= 0).all() and not _pieces(adj, lab, p):
                return lab
        free = free | (np.asarray(adj[np.flatnonzero(free)].sum(axis=0)).ravel() > 0)
    return None
