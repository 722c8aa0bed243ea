"""Delineation of courtyard units: :class:`UnitDelineator`.

Algorithm (per run; every step works on all nest groups and components at once):

1. Households are put in hid order (determinism, row-order invariance); graph edges that cross a
   ``nest_by`` value are dropped, so every unit stays inside its village / villager group.
   Households at one location (one building: joined by a zero-length graph edge) are contracted into
   one node (size = summed size, walking time to a neighbour = the shortest of its members'), so they
   always share a unit. A location larger than the ceiling is first split into as few parts as needed,
   balanced and in hid order (``COLOC-SPLIT``); households at one location in different nest groups
   stay apart (``COLOC-NEST``). Steps 2–7 work on nodes; walking costs count each node once per
   household it holds, so the objective stays the total over households; labels are expanded after.
2. Components whose size cannot be split within the band (∃k: k·min ≤ n ≤ k·max fails) are joined to
   the nearest other component of the same nest group over the cheapest edge the graph pruned *for
   length only* (never river/water), if it is at most ``join_limit_min`` walking minutes.
3. Natural settlements (given, or detected by :mod:`yuanluo.gis.settlements`) become blocks. A spanning forest
   is built by walking time with edges inside a block made nearly free, so every block is a subtree.
4. A dynamic programme over the spanning forest chooses which tree edges to cut. State = size of the
   open part at a node (0..max); cost = size deviation from ``target_size`` ((s-T)²/T per unit),
   minus the walking minutes of each cut edge (cut at natural gaps), plus a penalty for cutting inside
   a settlement, plus a large penalty per household below the floor. Parts never exceed the ceiling.
5. Parts still below the floor in feasible components are repaired: merged with an adjacent unit, or
   merged and re-split along random spanning trees (a ReCom move). A part still below the floor is
   rescued: a region of whole units around it grows ring by ring (up to the whole component) and is cut
   anew, feasibility first, along more spanning trees (walking-time, jittered, random), then with
   settlements no longer kept whole (``SETTLEMENT-SPLIT`` warning: the band is a hard rule, a settlement a
   preference), then by an exact, node-limited feasibility MILP with contiguity for regions of at most
   200 nodes. What cannot be put in the band becomes an *exception* unit with its reason; nothing is
   dropped: ``RULE-INFEASIBLE`` when the component's size does not fit or the MILP proved that no
   contiguous split of the component exists, ``RULE-NOSPLIT`` when none was found within the budget.
6. Local search: boundary households move between adjacent units when the exact total walking time to
   the units' meeting points (the household minimising the sum of shortest-path walking times inside
   the unit) drops, keeping bounds, contiguity and whole settlements.
   Then merge–resplit (the ReCom idea, optimising): two adjacent ``ok`` units are merged and re-split
   into the two contiguous parts within the band that walk least; candidates are the edge cuts of the
   merged set's minimum spanning tree and of shortest-path forests grown from two meeting points
   (two-medoid iteration), screened all at once with subtree sizes and a shortest-path lower bound, the
   best few evaluated exactly. Only strict improvements are taken; locked settlements stay whole, two
   seeds never share a part, nest groups are never crossed (their edges are gone). Pairs are visited
   in unit order for at most ``recombine_passes`` passes, each followed by the local search again.
7. Optionally (``exact``), small components get a proven lower bound from :mod:`yuanluo.gis.exact`.
8. :func:`yuanluo.gis.invariants.verify_delineation` checks the result independently.

Seed points (``fit(..., seeds=[hid, ...])``: traditional courtyard centres, existing meeting points) enter
steps 4–7: the DP state also records whether a part holds a seed and joining two seeded parts costs more
than any soft term (never more than one household below the floor), repairs merge two seeded parts only
after every re-split failed, seeds never move in the local search, and a unit's meeting point is its seed.
What the rules do not allow is reported (``SEED-MERGED``), never forced; see :meth:`UnitDelineator.fit`.

Default ``target_size``: the middle of the band, ``round((min + max) / 2)``. Pure walking time drives
units down to the floor (about 21 households under 20–50); the middle of the band halves the number of
heads a village must find, and leaves every unit room to gain or lose households later without leaving
the band.
Default ``size_weight`` 0.3: the target steers the number of units, not each unit's exact size. With a
weight of 1 the DP cut units at the target size rather than at natural gaps, which cost 6% more walking
at 1,000–3,000 synthetic households under 20–50 for 2–4% fewer units (bench/bench_compare.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.lib.stride_tricks import sliding_window_view
from scipy.sparse.csgraph import breadth_first_order, connected_components, dijkstra, minimum_spanning_tree
from yuanluo.gis.errors import InputError, Problem, problem, require_metric
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.invariants import verify_delineation
from yuanluo.gis.rules import Rules
from yuanluo.gis.settlements import DEFAULT_SETTLEMENT_WALK_MIN, detect_settlements, settlement_blocks

SizeBy = Literal["households", "persons"]

_BELOW_PENALTY = 1e4  # per household (or person) below the floor
_SETTLE_PENALTY = 25.0  # cutting inside a settlement that fits in one unit
_SETTLE_PENALTY_BIG = 2.0  # cutting inside a settlement larger than the ceiling
_SEED_REGION_COST = 1e4  # spanning-forest weight added to edges between two seeds' regions
_SEED_PENALTY = 1e3  # two seed points in one part (below _BELOW_PENALTY: the size band wins)
_EPS = 1e-9
_RESCUE_TREES = 16  # spanning trees per region and settlement mode in the rescue (5b)
_RESCUE_MAX_N = 600  # regions grow up to this many nodes
_RESCUE_MILP_N = 200  # exact feasibility MILP for regions of at most this many nodes
_RESCUE_MILP_NODES = 2000  # its branch-and-bound node limit


# ---------------------------------------------------------------------------------------------- core

def _close_costs(lo: int, hi: int, target: float, size_weight: float) -> tuple[np.ndarray, np.ndarray]:
    """Sizes 0..hi and the cost of closing a part at each size: the size penalty around ``target`` plus a
    steep penalty below the floor (shared by both tree DPs)."""
    ar = np.arange(hi + 1)
    sizes = ar.astype(float)
    close = size_weight * (sizes - target) ** 2 / max(target, 1.0) + np.where(
        sizes < lo, _BELOW_PENALTY * (lo - sizes), 0.0
    )
    return ar, close

def _colocated_parts(loc: np.ndarray, w: np.ndarray, hi: int) -> np.ndarray:
    """Part number of each node within its location: locations whose total size exceeds ``hi`` are cut into
    the fewest contiguous runs (in node order) that each fit, balanced by cumulative size.

    ``loc`` is the location label per node (nodes in hid order); ``w`` the sizes (a node above ``hi`` is
    counted as ``hi``: it cannot share a part anyway).

    Examples
    --------
    60 households at one point and 3 at another, ceiling 50: two parts of 30, one part of 3.

    >>> p = _colocated_parts(np.r_[np.zeros(60, dtype=int), np.ones(3, dtype=int)], np.ones(63, dtype=int), 50)
    >>> np.bincount(p[:60]).tolist(), p[60:].tolist()
    ([30, 30], [0, 0, 0])
    """
    w = np.minimum(np.asarray(w, dtype=np.int64), hi)
    tot = np.bincount(loc, weights=w).astype(np.int64)
    k = np.maximum(-(-tot // max(hi, 1)), 1)
    order = np.lexsort((np.arange(len(loc)), loc))
    cw = np.cumsum(w[order])
    first = np.r_[0, cw[:-1]]
    lstart = np.full(len(tot), np.iinfo(np.int64).max)
    np.minimum.at(lstart, loc[order], first)
    before = first - lstart[loc[order]]  # size before the node within its location
    part = np.zeros(len(loc), dtype=np.int64)
    while True:
        kk = k[loc[order]]
        po = np.minimum(before * kk // np.maximum(tot[loc[order]], 1), kk - 1)
        psize = pd.Series(w[order]).groupby([loc[order], po]).sum()
        over = np.unique(psize.index.get_level_values(0)[psize.to_numpy() > hi])
        part[order] = po
        if not len(over):
            return part
        k[over] += 1


def _feasible(total: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Vectorised Rules.feasible_size: ∃k: k·lo ≤ total ≤ k·hi."""
    t = np.asarray(total, dtype=np.int64)
    k = -(-t // hi)
    return (t > 0) & (k * lo <= t)


def _components(n: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    a = sp.coo_matrix((np.ones(len(u)), (u, v)), shape=(n, n)).tocsr()
    return np.asarray(connected_components(a, directed=False)[1], dtype=np.int64)


def _csr(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> sp.csr_matrix:
    w = np.maximum(np.asarray(w, dtype=float), _EPS)
    return sp.coo_matrix((np.r_[w, w], (np.r_[u, v], np.r_[v, u])), shape=(n, n)).tocsr()


def _spanning_forest(
    n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, same_block: np.ndarray, comp: np.ndarray,
    extra: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Minimum spanning forest (block edges nearly free, ``extra`` added to the weights) as BFS ``order``,
    ``parent`` and the edge index of each node's tree edge to its parent (-1 at roots)."""
    tw = np.where(same_block, w * 1e-3, w) + 1e-6
    if extra is not None:
        tw = tw + extra
    mst = minimum_spanning_tree(_csr(n, u, v, tw)).tocoo()
    r, c = np.minimum(mst.row, mst.col), np.maximum(mst.row, mst.col)
    # super root n linked to the smallest node of every component
    roots = np.unique(comp, return_index=True)[1]
    aug = sp.coo_matrix(
        (np.ones(len(r) + len(roots)), (np.r_[r, np.full(len(roots), n)], np.r_[c, roots])), shape=(n + 1, n + 1)
    ).tocsr()
    order, pred = breadth_first_order(aug, n, directed=False, return_predecessors=True)
    order = np.asarray(order[1:], dtype=np.int64)
    parent = np.asarray(pred[:n], dtype=np.int64)
    parent[parent == n] = -1
    key = np.minimum(u, v) * (n + 1) + np.maximum(u, v)
    sorter = np.argsort(key, kind="stable")
    has = parent >= 0
    pk = np.minimum(np.arange(n), parent) * (n + 1) + np.maximum(np.arange(n), parent)
    eidx = np.full(n, -1, dtype=np.int64)
    eidx[has] = sorter[np.searchsorted(key, pk[has], sorter=sorter)]
    return order, parent, eidx


def _seed_regions(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, seed: np.ndarray) -> np.ndarray:
    """Nearest seed point (node position) of every node by walking time; -1 where none is reachable.

    Examples
    --------
    >>> _seed_regions(4, np.array([0, 1, 2]), np.array([1, 2, 3]), np.ones(3),
    ...               np.array([True, False, False, True])).tolist()
    [0, 0, 3, 3]
    """
    src = np.flatnonzero(seed)
    _, _, nearest = dijkstra(_csr(n, u, v, w), directed=False, indices=src, min_only=True,
                             return_predecessors=True)
    return np.where(nearest < 0, -1, nearest).astype(np.int64)


def _tree_partition(
    w: np.ndarray, parent: np.ndarray, order: np.ndarray, pcost: np.ndarray, lo: int, hi: int, target: float,
    size_weight: float,
) -> np.ndarray:
    """Cut a spanning forest into parts of size ≤ ``hi`` minimising the DP cost; part id = top node.

    ``w`` are integer sizes (≤ hi); ``pcost[c]`` is added when the edge from ``c`` to its parent is cut.
    """
    n = len(w)
    ar, close = _close_costs(lo, hi, target, size_weight)
    has_p = parent >= 0
    kid = np.argsort(np.where(has_p, parent, n), kind="stable")[: int(has_p.sum())]
    start = np.r_[0, np.cumsum(np.bincount(parent[has_p], minlength=n))]
    F = np.empty((n, hi + 1))
    args = np.empty((n, hi + 1), dtype=np.int32)
    close_size = np.zeros(n, dtype=np.int64)
    pad = np.full(hi, np.inf)
    wi = np.asarray(w, dtype=np.int64)
    for v in order[::-1]:
        f = np.full(hi + 1, np.inf)
        f[wi[v]] = 0.0
        for c in kid[start[v]: start[v + 1]]:
            fc = F[c]
            tot = fc + close
            cs = int(np.argmin(tot))
            close_size[c] = cs
            vclose = f + (tot[cs] + pcost[c])
            if start[c] == start[c + 1]:  # leaf child: its open part is exactly w[c]
                b0 = int(wi[c])
                bm = np.full(hi + 1, b0)
                vm = np.full(hi + 1, np.inf)
                vm[b0:] = f[: hi + 1 - b0]
            else:
                cand = sliding_window_view(np.concatenate((pad, f)), hi + 1)[::-1] + fc[:, None]
                bm = np.argmin(cand, axis=0)
                vm = cand[bm, ar]
            uc = vclose <= vm
            f = np.where(uc, vclose, vm)
            args[c] = np.where(uc, -1, bm)
        F[v] = f
    part = np.empty(n, dtype=np.int64)
    open_size = np.empty(n, dtype=np.int64)
    roots = np.flatnonzero(~has_p)
    part[roots] = roots
    open_size[roots] = np.argmin(F[roots] + close[None, :], axis=1)
    for v in order:
        s = int(open_size[v])
        for c in kid[start[v]: start[v + 1]][::-1]:
            a = int(args[c, s])
            if a < 0:
                part[c] = c
                open_size[c] = close_size[c]
            else:
                part[c] = part[v]
                open_size[c] = a
                s -= a
    return part


def _tree_partition_seeded(
    w: np.ndarray, parent: np.ndarray, order: np.ndarray, pcost: np.ndarray, lo: int, hi: int, target: float,
    size_weight: float, seed: np.ndarray,
) -> np.ndarray:
    """:func:`_tree_partition` with seed points: the DP state also records whether the open part holds a
    seed, and joining two seeded parts costs ``_SEED_PENALTY`` (more than any soft term, less than one
    household below the floor, so seeds yield to the size band and never the other way round).

    Examples
    --------
    A path 0-1-2-3 with seeds at 1 and 2 and parts of 1–3 households: the cut falls between the seeds.

    >>> _tree_partition_seeded(np.ones(4, dtype=int), np.array([-1, 0, 1, 2]), np.arange(4), np.zeros(4),
    ...                        1, 3, 2.0, 1.0, np.array([False, True, True, False])).tolist()
    [0, 0, 2, 2]
    """
    n = len(w)
    m = hi + 1
    ar, close = _close_costs(lo, hi, target, size_weight)
    has_p = parent >= 0
    kid = np.argsort(np.where(has_p, parent, n), kind="stable")[: int(has_p.sum())]
    start = np.r_[0, np.cumsum(np.bincount(parent[has_p], minlength=n))]
    F = np.empty((n, 2, m))
    arg_a = np.empty((n, 2, m), dtype=np.int32)  # -1: child closed; else the child's open size
    arg_k = np.zeros((n, 2, m), dtype=np.int8)  # 2·(child has seed) + (parent had seed) when merged
    close_state = np.zeros((n, 2), dtype=np.int64)  # (seeded, size) of a closed child's part
    pad = np.full(hi, np.inf)
    wi = np.asarray(w, dtype=np.int64)
    sk = np.asarray(seed, dtype=bool).astype(np.int64)
    for v in order[::-1]:
        f = np.full((2, m), np.inf)
        f[sk[v], wi[v]] = 0.0
        for c in kid[start[v]: start[v + 1]]:
            fc = F[c]
            tot = fc + close[None, :]
            ck, cs = divmod(int(np.argmin(tot)), m)
            close_state[c] = (ck, cs)
            vclose = f + (tot[ck, cs] + pcost[c])
            best = np.full((2, m), np.inf)
            barg = np.zeros((2, m), dtype=np.int64)
            bcombo = np.zeros((2, m), dtype=np.int8)
            for kf in (0, 1):
                if not np.isfinite(f[kf]).any():
                    continue
                base = sliding_window_view(np.concatenate((pad, f[kf])), m)[::-1]  # base[a, s] = f[s - a]
                for kc in (0, 1):
                    if not np.isfinite(fc[kc]).any():
                        continue
                    cand = base + fc[kc][:, None]
                    bm = np.argmin(cand, axis=0)
                    vm = cand[bm, ar] + (_SEED_PENALTY if kf and kc else 0.0)
                    kn = kf | kc
                    better = vm < best[kn]
                    best[kn] = np.where(better, vm, best[kn])
                    barg[kn] = np.where(better, bm, barg[kn])
                    bcombo[kn] = np.where(better, 2 * kc + kf, bcombo[kn])
            uc = vclose <= best
            f = np.where(uc, vclose, best)
            arg_a[c] = np.where(uc, -1, barg)
            arg_k[c] = bcombo
        F[v] = f
    part = np.empty(n, dtype=np.int64)
    open_k = np.empty(n, dtype=np.int64)
    open_s = np.empty(n, dtype=np.int64)
    roots = np.flatnonzero(~has_p)
    part[roots] = roots
    flat = np.argmin((F[roots] + close[None, None, :]).reshape(len(roots), -1), axis=1)
    open_k[roots], open_s[roots] = np.divmod(flat, m)
    for v in order:
        k, s = int(open_k[v]), int(open_s[v])
        for c in kid[start[v]: start[v + 1]][::-1]:
            a = int(arg_a[c, k, s])
            if a < 0:
                part[c] = c
                open_k[c], open_s[c] = close_state[c]
            else:
                kc, kf = divmod(int(arg_k[c, k, s]), 2)
                part[c] = part[v]
                open_k[c], open_s[c] = kc, a
                s -= a
                k = kf
    return part


def _band_partition_milp(
    w: np.ndarray, su: np.ndarray, sv: np.ndarray, lo: int, hi: int, node_limit: int = 2000,
) -> tuple[str, np.ndarray | None]:
    """Exact feasibility search: split a connected graph (``len(w)`` nodes, edges ``su``-``sv``) into
    contiguous parts whose sizes all lie in ``[lo, hi]``.

    Flow formulation (scipy.optimize.milp / HiGHS): every part is an arborescence with a root ``r_i`` that
    supplies ``s_i ∈ [lo, hi]`` (0 unless a root); every other node has exactly one incoming used arc ``z_a``;
    arc flow ``f_a ≤ hi·z_a`` carries the sizes of the nodes below it, each node consuming its size ``w_i``.
    A cycle without a root cannot be fed, so the used arcs form a spanning forest whose trees are the parts
    and whose roots' supplies are their sizes. No objective: the first feasible forest is taken.
    Deterministic (a branch-and-bound node limit, never a time limit).

    Returns ``("found", part)`` (part = root node of each node), ``("infeasible", None)`` when it is proven
    that no such split exists, or ``("budget", None)`` when the node limit ran out first.

    Examples
    --------
    A star with a centre and four leaves cannot be cut into parts of 2 (every part must hold the centre);
    the path 0-1-2-3 can.

    >>> _band_partition_milp(np.ones(5, dtype=int), np.zeros(4, dtype=int), np.arange(1, 5), 2, 2)[0]
    'infeasible'
    >>> st, part = _band_partition_milp(np.ones(4, dtype=int), np.arange(3), np.arange(1, 4), 2, 2)
    >>> st, np.unique(part, return_counts=True)[1].tolist()
    ('found', [2, 2])
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    n = len(w)
    wf = np.asarray(w, dtype=float)
    tail, head = np.r_[su, sv].astype(np.int64), np.r_[sv, su].astype(np.int64)
    na = len(tail)
    # variables: r (n), s (n), z (na), f (na)
    nv = 2 * n + 2 * na
    R, S, Z, F = 0, n, 2 * n, 2 * n + na
    ar, aa = np.arange(n), np.arange(na)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    lb: list[np.ndarray] = []
    ub: list[np.ndarray] = []
    row = 0

    def add(rr: np.ndarray, cc: np.ndarray, vv: np.ndarray | float, lo_: np.ndarray, hi_: np.ndarray, k: int) -> int:
        rows.append(rr + row)
        cols.append(cc)
        vals.append(np.broadcast_to(np.asarray(vv, dtype=float), rr.shape).copy())
        lb.append(lo_)
        ub.append(hi_)
        return row + k

    # r_i + Σ_in z = 1
    row = add(np.r_[ar, head], np.r_[R + ar, Z + aa], 1.0, np.ones(n), np.ones(n), n)
    # s_i + Σ_in f − Σ_out f = w_i
    row = add(np.r_[ar, head, tail], np.r_[S + ar, F + aa, F + aa], np.r_[np.ones(n), np.ones(na), -np.ones(na)],
              wf, wf, n)
    # lo·r_i ≤ s_i ≤ hi·r_i
    row = add(np.r_[ar, ar], np.r_[S + ar, R + ar], np.r_[np.ones(n), -hi * np.ones(n)], np.full(n, -np.inf),
              np.zeros(n), n)
    row = add(np.r_[ar, ar], np.r_[S + ar, R + ar], np.r_[np.ones(n), -lo * np.ones(n)], np.zeros(n),
              np.full(n, np.inf), n)
    # w_head·z_a ≤ f_a ≤ hi·z_a
    row = add(np.r_[aa, aa], np.r_[F + aa, Z + aa], np.r_[np.ones(na), -hi * np.ones(na)], np.full(na, -np.inf),
              np.zeros(na), na)
    row = add(np.r_[aa, aa], np.r_[F + aa, Z + aa], np.r_[np.ones(na), -wf[head]], np.zeros(na),
              np.full(na, np.inf), na)
    A = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(row, nv))
    integrality = np.r_[np.ones(n), np.zeros(n), np.ones(na), np.zeros(na)]
    upper = np.r_[np.ones(n), np.full(n, float(hi)), np.ones(na), np.full(na, float(hi))]
    res = milp(np.zeros(nv), constraints=LinearConstraint(A, np.concatenate(lb), np.concatenate(ub)),
               integrality=integrality, bounds=Bounds(np.zeros(nv), upper),
               options={"node_limit": int(node_limit), "presolve": True})
    if res.status == 2:
        return "infeasible", None
    if res.x is None or res.status not in (0, 1):
        return "budget", None
    z = res.x[Z: Z + na] > 0.5
    lab = _components(n, tail[z], head[z])
    size = np.bincount(lab, weights=wf)
    if not ((size >= lo) & (size <= hi)).all():  # a limit hit before integrality: not a solution
        return "budget", None
    first = np.full(int(lab.max()) + 1, n)
    np.minimum.at(first, lab, ar)
    return "found", first[lab]


def _subtrees(k: int, tu: np.ndarray, tv: np.ndarray, root: int) -> tuple[np.ndarray, np.ndarray]:
    """Subtree membership of a spanning tree of ``k`` nodes rooted at ``root``: ``M[c, x]`` is True when
    ``x`` lies below ``c`` (``c`` included), and the parent of each node (-1 at the root).

    Examples
    --------
    The path 0-1-2 rooted at 0: node 1's subtree is {1, 2}.

    >>> M, parent = _subtrees(3, np.array([0, 1]), np.array([1, 2]), 0)
    >>> M[1].tolist(), parent.tolist()
    ([False, True, True], [-1, 0, 1])
    """
    t = sp.coo_matrix((np.ones(len(tu)), (tu, tv)), shape=(k, k)).tocsr()
    order, pred = breadth_first_order(t, root, directed=False, return_predecessors=True)
    parent = np.where(pred < 0, -1, pred).astype(np.int64)
    M = np.eye(k, dtype=bool)
    for v in order[:0:-1].tolist():
        M[parent[v]] |= M[v]
    return M, parent


def _cut_costs(M: np.ndarray, D: np.ndarray, mult: np.ndarray, seed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lower bounds of the walking cost of the two parts ``M[i]`` / ``~M[i]`` of each candidate split.

    ``D`` holds shortest-path walking minutes over the merged set (never longer than inside a part, so the
    sum is a lower bound of the exact cost); each part's meeting point is the best node in it, or its seed
    point when it holds one. Returns the bound and the meeting point (node position) of each side.
    """
    Mf = M.astype(float)
    ca = (Mf * mult) @ D  # cost of side A if it met at each node
    cb = (mult @ D)[None, :] - ca
    sa = M & seed if seed.any() else None
    okA = M if sa is None else np.where(sa.any(axis=1)[:, None], sa, M)
    okB = ~M if sa is None else np.where((~M & seed).any(axis=1)[:, None], ~M & seed, ~M)
    ca = np.where(okA, ca, np.inf)
    cb = np.where(okB, cb, np.inf)
    ma, mb = np.argmin(ca, axis=1), np.argmin(cb, axis=1)
    r = np.arange(len(M))
    return ca[r, ma] + cb[r, mb], np.c_[ma, mb]


class _Units:
    """Mutable unit bookkeeping for the local search (node lists, meeting point, walking cost)."""

    def __init__(self, csr: sp.csr_matrix, lab: np.ndarray, seed: np.ndarray | None = None,
                 mult: np.ndarray | None = None) -> None:
        self.seed = np.zeros(len(lab), dtype=bool) if seed is None else np.asarray(seed, dtype=bool)
        # households per node: a contracted location's walk counts once per household it holds
        self.mult = np.ones(len(lab)) if mult is None else np.asarray(mult, dtype=float)
        self.indptr = csr.indptr.astype(np.int64)
        self.indices = csr.indices.astype(np.int64)
        self.data = csr.data
        self.remap = np.full(len(lab), -1, dtype=np.int64)
        self.lab = lab
        order = np.argsort(lab, kind="stable")
        cuts = np.flatnonzero(np.diff(lab[order])) + 1
        self.nodes: dict[int, np.ndarray] = {int(lab[g[0]]): np.sort(g) for g in np.split(order, cuts)}
        self.meet: dict[int, int] = {}
        self.cost: dict[int, float] = {}
        self.dm = np.zeros(len(lab))
        for k in sorted(self.nodes):
            self.refresh(k)

    def _dense(self, nodes: np.ndarray) -> np.ndarray:
        """Dense walking-time matrix of the subgraph induced by ``nodes`` (inf = no edge)."""
        k = len(nodes)
        starts = self.indptr[nodes]
        cnt = self.indptr[nodes + 1] - starts
        tot = int(cnt.sum())
        rows = np.repeat(np.arange(k), cnt)
        idx = np.repeat(starts - np.r_[0, np.cumsum(cnt)[:-1]], cnt) + np.arange(tot)
        self.remap[nodes] = np.arange(k)
        lc = self.remap[self.indices[idx]]
        self.remap[nodes] = -1
        keep = lc >= 0
        d = np.full((k, k), np.inf)
        d[rows[keep], lc[keep]] = self.data[idx][keep]
        np.fill_diagonal(d, 0.0)
        return d

    def evaluate(self, nodes: np.ndarray) -> tuple[float, int, np.ndarray]:
        """Walking cost of a unit (sum over its households of shortest-path minutes to its meeting point),
        the meeting point (node minimising that sum, chosen among the unit's seed points when it holds any;
        inf cost if the unit is disconnected) and the distances to it.
        Floyd–Warshall on the dense unit matrix: units are small (at most ``max_size`` households)."""
        if len(nodes) == 1:
            return 0.0, int(nodes[0]), np.zeros(1)
        d = self._dense(nodes)
        for m in range(len(nodes)):
            np.minimum(d, d[:, m: m + 1] + d[m: m + 1, :], out=d)
        s = d @ self.mult[nodes]
        seeded = np.flatnonzero(self.seed[nodes])
        j = int(seeded[np.argmin(s[seeded])]) if len(seeded) else int(np.argmin(s))
        return float(s[j]), int(nodes[j]), d[j]

    def refresh(self, k: int) -> None:
        nodes = self.nodes[k]
        c, m, d = self.evaluate(nodes)
        self.cost[k], self.meet[k] = c, m
        self.dm[nodes] = d


@dataclass
class _HouseholdView:
    """The final units per household (``_Units`` works on contracted location nodes)."""

    nodes: dict[int, np.ndarray]  # unit → household positions (sorted)
    meet: dict[int, int]  # unit → meeting household
    dm: np.ndarray  # walking minutes of each household to its unit's meeting point
    seed: np.ndarray  # household is a seed point
    node_of: np.ndarray  # household → location node

    @classmethod
    def expand(cls, units: _Units, node_of: np.ndarray, meet_rep: np.ndarray, seed: np.ndarray) -> _HouseholdView:
        lab = units.lab[node_of]
        order = np.argsort(lab, kind="stable")
        cuts = np.flatnonzero(np.diff(lab[order])) + 1
        nodes = {int(lab[g[0]]): np.sort(g) for g in np.split(order, cuts)} if len(lab) else {}
        meet = {int(k): int(meet_rep[x]) for k, x in units.meet.items() if int(k) in nodes}
        return cls(nodes, meet, units.dm[node_of], np.asarray(seed, dtype=bool), node_of)


# ---------------------------------------------------------------------------------------------- estimator
class UnitDelineator:
    """Delineate courtyard units: contiguous, size-bounded, nested, settlement-aware.

    Parameters
    ----------
    min_size, max_size : int
        Hard size band of an ``ok`` unit (inclusive), in households or persons (``size_by``).
    size_by : {"households", "persons"}
        What a unit's size counts.
    target_size : float, optional
        Preferred unit size, the planner's steer on the number of units. Default: the middle of the band.
    nest_by : sequence of str
        Household columns a unit must not straddle (absent columns are ignored).
    settlement_col : str
        Column naming natural settlements; when absent, settlements are detected
        (:func:`yuanluo.gis.settlements.detect_settlements`, edges of at most ``settlement_walk_min``).
    settlement_walk_min : float
        Walking minutes that link households into one detected settlement.
    keep_settlements : bool
        Keep a settlement that fits in one unit whole (strongly preferred in construction; never split by
        the local search).
    keep_colocated : bool
        Households at one location (one building: a zero-length graph edge joins them) always share a unit
        (a hard rule, default). A location larger than ``max_size`` is split into the fewest parts that fit,
        balanced by size and in hid order (``COLOC-SPLIT`` warning); households at one location in
        different ``nest_by`` groups stay apart (``COLOC-NEST`` warning). ``False`` treats them as
        separate households joined by free edges (the behaviour before this rule).
    join_limit_min : float
        Longest pruned-for-length edge (walking minutes) over which an island may be joined.
    require_head : bool
        Report units without a ``head_candidate`` household (``units_.has_head``, ``problems_``).
    exact : {"auto", True, False}
        Compute a proven lower bound (and adopt an exact solution when it is contiguous and better) with
        :mod:`yuanluo.gis.exact`: ``"auto"`` for components of at most ``exact_max_n`` households, at most
        5·``exact_max_n`` households in all, each solve limited to ``exact_node_limit`` branch-and-bound
        nodes (a deterministic limit: no wall-clock time enters the result); ``True`` for components up to
        4·``exact_max_n`` without a node limit.
    exact_max_n : int
    exact_time_limit : float, optional
        Only with ``exact=True``: seconds per solve. Makes the result depend on the machine's speed.
    exact_node_limit : int
        Branch-and-bound nodes per solve in ``"auto"`` mode.
    size_weight : float
        Weight of the size-deviation term (per unit ``(s - target)² / target``) against walking minutes
        (each cut edge counts its walking minutes, at most 15) in the construction DP. Default 0.3: the
        target steers the number of units while units follow natural gaps.
    max_iter : int
        Passes of the local search.
    recombine_passes : int
        Passes of the merge–resplit stage over pairs of adjacent units (0: off).
    random_state : int
        Seed of the only random generator (used by repairs).

    Attributes
    ----------
    labels_ : Series
        Unit id (``"U001"`` …) per household, indexed by ``hid``; never missing.
    status_ : Series
        ``"ok"`` or ``"exception"`` per household.
    units_ : DataFrame
        One row per unit: ``unit_id, n_households, persons, size, status, reason, code, village, group,
        meeting_hid, mean_walk_min, max_walk_min, has_head, seed`` (``seed``: the honoured seed point, which
        is also ``meeting_hid``, or ``""``).
    exceptions_ : DataFrame
        The exception units (``unit_id, n_households, size, code, reason``).
    problems_ : list of Problem
        Exception, missing-head and merged-seed (``SEED-MERGED``) findings, as coded problems with zh/en
        messages.
    seeds_ : DataFrame
        One row per seed point given to :meth:`fit` (sorted by ``hid``): ``hid, unit_id, honoured``
        (``honoured``: it is its unit's meeting point). Empty without seeds.
    joins_ : DataFrame
        Island joins made (``hid_a, hid_b, walk_min``).
    colocated_ : DataFrame
        One row per location holding two or more households (``hid``: its first household, ``n_households``,
        ``size``, ``n_parts``: 1, or the parts a location above the ceiling was split into), sorted by ``hid``.
    recombine_moves_ : int
        Merge–resplit moves made (each lowered the total walking time).
    objective_ : float
        Total walking minutes from households to their unit's meeting point (every household counts, also
        households sharing a location).
    lower_bound_, gap_ : float or None
        Proven lower bound for the same number of units and relative gap, when every component got one
        (among plans that keep each location in one unit).
    bounds_ : DataFrame
        Per bounded component: ``n, p, objective, lower_bound, gap, exact_adopted``.
    timings_ : dict
        Seconds per stage.

    Examples
    --------
    A chain of 60 households, 100 m apart, split into units of 20–30:

    >>> import geopandas as gpd
    >>> from yuanluo.gis.graph import TerrainGraph
    >>> xy = np.c_[np.arange(60) * 100.0, np.zeros(60)]
    >>> ids = [f"{i:03d}" for i in range(60)]
    >>> hh = gpd.GeoDataFrame(index=pd.Index(ids, name="hid"), geometry=gpd.points_from_xy(*xy.T),
    ...                       crs="EPSG:4545")
    >>> g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(59)], crs="EPSG:4545")
    >>> d = UnitDelineator(20, 30, random_state=0).fit(hh, g)
    >>> d.units_["n_households"].tolist()
    [30, 30]
    """

    problems_: list[Problem]
    joins_: pd.DataFrame
    colocated_: pd.DataFrame

    def __init__(
        self,
        min_size: int = 20,
        max_size: int = 50,
        *,
        size_by: SizeBy = "households",
        target_size: float | None = None,
        nest_by: Sequence[str] = ("village", "group"),
        settlement_col: str = "settlement",
        settlement_walk_min: float = DEFAULT_SETTLEMENT_WALK_MIN,
        keep_settlements: bool = True,
        keep_colocated: bool = True,
        join_limit_min: float = 20.0,
        require_head: bool = True,
        exact: Literal["auto"] | bool = "auto",
        exact_max_n: int = 60,
        exact_time_limit: float | None = None,
        exact_node_limit: int = 200,
        size_weight: float = 0.3,
        max_iter: int = 20,
        recombine_passes: int = 4,
        random_state: int = 0,
    ) -> None:
        self.min_size = min_size
        self.max_size = max_size
        self.size_by = size_by
        self.target_size = target_size
        self.nest_by = nest_by
        self.settlement_col = settlement_col
        self.settlement_walk_min = settlement_walk_min
        self.keep_settlements = keep_settlements
        self.keep_colocated = keep_colocated
        self.join_limit_min = join_limit_min
        self.require_head = require_head
        self.exact = exact
        self.exact_max_n = exact_max_n
        self.exact_time_limit = exact_time_limit
        self.exact_node_limit = exact_node_limit
        self.size_weight = size_weight
        self.max_iter = max_iter
        self.recombine_passes = recombine_passes
        self.random_state = random_state

    @classmethod
    def from_rules(cls, rules: Rules, **kw: Any) -> UnitDelineator:
        """Build from a :class:`yuanluo.gis.rules.Rules` (band, size_by, nest_by, require_head, keep_settlements).

        Examples
        --------
        >>> UnitDelineator.from_rules(Rules(15, 25), random_state=1).max_size
        25
        """
        params: dict[str, Any] = dict(
            min_size=rules.min_size, max_size=rules.max_size, size_by=rules.size_by,
            nest_by=tuple(rules.nest_by), require_head=rules.require_head,
            keep_settlements=rules.keep_settlements, join_limit_min=rules.join_limit_min,
        )
        params.update(kw)
        return cls(**params)

    # ------------------------------------------------------------------------------------ helpers
    def _target(self) -> float:
        if self.target_size is not None:
            return float(self.target_size)
        return float(round((self.min_size + self.max_size) / 2))

    def _validate(self, households: pd.DataFrame, graph: TerrainGraph) -> list[Problem]:
        probs: list[Problem] = []
        lo, hi = self.min_size, self.max_size
        if not (isinstance(lo, int | np.integer) and isinstance(hi, int | np.integer) and 0 < lo <= hi):
            probs.append(problem("CLUSTER-PARAM", detail=f"min_size={lo!r}, max_size={hi!r}",
                                 fix_zh="下限和上限须为正整数且下限不大于上限。",
                                 fix_en="use positive integers with min_size <= max_size."))
        if self.size_by not in ("households", "persons"):
            probs.append(problem("CLUSTER-PARAM", detail=f"size_by={self.size_by!r}",
                                 fix_zh="size_by 取 households 或 persons。",
                                 fix_en="use size_by='households' or 'persons'."))
        t = self.target_size
        if t is not None and not (isinstance(lo, int) and isinstance(hi, int) and lo <= t <= hi):
            probs.append(problem("CLUSTER-PARAM", detail=f"target_size={t!r} outside [{lo}, {hi}]",
                                 fix_zh="目标规模须在上下限之间。", fix_en="choose a target_size within the band."))
        if self.exact not in ("auto", True, False):
            probs.append(problem("CLUSTER-PARAM", detail=f"exact={self.exact!r}",
                                 fix_zh="exact 取 'auto'、True 或 False。", fix_en="use exact='auto', True or False."))
        idx = households.index.astype(str)
        if idx.has_duplicates:
            probs.append(problem("CLUSTER-PARAM", ids=idx[idx.duplicated()].unique(),
                                 detail="duplicate household ids", fix_zh="住户编号须唯一。",
                                 fix_en="make household ids unique."))
        gpos = pd.Index(graph.ids).get_indexer(idx)
        if (gpos < 0).any():
            probs.append(problem("CLUSTER-IDS", ids=idx[gpos < 0]))
        if self.size_by == "persons":
            if "persons" not in households.columns:
                probs.append(problem("CLUSTER-PERSONS", ids=idx[:0]))
            else:
                p = pd.to_numeric(households["persons"], errors="coerce")
                bad = p.isna() | (p < 0) | (p.fillna(0) % 1 != 0)
                if bad.any():
                    probs.append(problem("CLUSTER-PERSONS", ids=idx[bad.to_numpy()]))
        return probs

    def _validate_seeds(self, households: pd.DataFrame, seeds: Iterable[Any] | None
                        ) -> tuple[np.ndarray, list[Problem]]:
        """Seed ids as sorted unique strings, and the problems with them (``SEED-UNKNOWN``, ``CLUSTER-PARAM``)."""
        none = np.array([], dtype=str)
        if seeds is None:
            return none, []
        if isinstance(seeds, str | bytes):
            return none, [problem("CLUSTER-PARAM", detail=f"seeds={seeds!r} is one string, not a list of ids",
                                  fix_zh="seeds 须为住户编号的列表，例如 ['007', '031']。",
                                  fix_en="pass a list of household ids, e.g. ['007', '031'].")]
        vals = pd.Series(list(seeds), dtype=object)
        vals = vals[vals.notna()].astype(str)
        sid = np.unique(vals.to_numpy(dtype=str))
        known = np.isin(sid, households.index.astype(str).to_numpy())
        if (~known).any():
            return sid[known], [problem("SEED-UNKNOWN", ids=sid[~known])]
        return sid, []

    # ------------------------------------------------------------------------------------ fit
    def fit(self, households: pd.DataFrame, graph: TerrainGraph, seeds: Iterable[Any] | None = None
            ) -> UnitDelineator:
        """Delineate units for ``households`` (indexed by ``hid``) over ``graph``; returns ``self``.

        Parameters
        ----------
        households : GeoDataFrame
            Households in a projected metric CRS, indexed by ``hid``.
        graph : TerrainGraph
            The household graph (:func:`yuanluo.gis.neighbours.build_graph`).
        seeds : iterable of str, optional
            Household ids of seed points (traditional courtyard centres, existing meeting points) to
            centre units on. A fit argument, not a constructor parameter, because seeds are data about
            these households (like scikit-learn's ``sample_weight``): the same estimator can be fitted to
            other villages. Order and repeats do not matter; missing values (blank cells) are skipped;
            ids are compared as strings, so ``"007"`` and ``7`` differ.

            - Every seed that can be honoured is the meeting point of its unit (``units_.meeting_hid``
              and ``units_.seed``), and the unit's walking times are measured to it.
            - Two seeds are never put in one unit when the size band allows separating them: joining two
              seeded parts is penalised above every soft cost in the tree DP, is the last resort in
              repairs, and seeds never move in the local search, so each unit grows around its seed.
            - Seeds never break a hard rule (size band, contiguity, nesting). When a unit must hold
              two or more seeds (e.g. a component too small for two units), the seed that minimises the
              unit's walking time is its meeting point and the others are reported in ``problems_`` as
              ``SEED-MERGED`` warnings; ``seeds_`` lists every seed with its unit and whether it was
              honoured.
            - Ids not among the households are a ``SEED-UNKNOWN`` input error (raised with every other
              input problem at once).
            - Exact p-median solutions (``exact``) are not adopted in components holding seeds (their
              lower bounds still hold).
            - Deterministic: the same input, seeds and ``random_state`` give the same units.
        """
        t0 = time.perf_counter()
        timings: dict[str, float] = {}
        crs = getattr(households, "crs", None)
        require_metric(crs if crs is not None else graph.crs, "households")
        require_metric(graph.crs, "graph")
        probs = self._validate(households, graph)
        seed_ids, seed_probs = self._validate_seeds(households, seeds)
        probs += seed_probs
        if probs:
            raise InputError(probs)
        lo, hi = int(self.min_size), int(self.max_size)
        target = self._target()
        rng = np.random.default_rng(self.random_state)

        # ---- households in hid order
        hid_all = households.index.astype(str).to_numpy()
        srt = np.argsort(hid_all, kind="stable")
        ids = hid_all[srt]
        n = len(ids)
        hh = households.iloc[srt]
        is_seed = np.isin(ids, seed_ids)
        if self.size_by == "persons":
            w = pd.to_numeric(hh["persons"]).to_numpy(dtype=np.int64)
        else:
            w = np.ones(n, dtype=np.int64)
        gpos = pd.Index(graph.ids).get_indexer(ids)
        g2l = np.full(graph.n, -1, dtype=np.int64)
        g2l[gpos] = np.arange(n)
        eu, ev = g2l[graph.u], g2l[graph.v]
        keep = (eu >= 0) & (ev >= 0)
        eu, ev, ew, el = eu[keep], ev[keep], graph.walk_min[keep], graph.length_m[keep]
        a, b = np.minimum(eu, ev), np.maximum(eu, ev)
        o = np.lexsort((b, a))
        eu, ev, ew, el = a[o], b[o], ew[o], el[o]

        # ---- nest groups
        nest_cols = [c for c in self.nest_by if c in hh.columns]
        if nest_cols:
            key = pd.Series([""] * n, index=hh.index, dtype=object)
            for c in nest_cols:
                key = key + "\x1f" + hh[c].astype(object).where(hh[c].notna(), "\x00").astype(str)
            grp = pd.factorize(key.to_numpy(dtype=object), sort=True)[0].astype(np.int64)
        else:
            grp = np.zeros(n, dtype=np.int64)
        heavy = w > hi  # a single household above the ceiling (persons mode) is its own exception
        same_grp = grp[eu] == grp[ev]
        ns = (el == 0) & ~same_grp  # one location, two nest groups: kept apart, reported
        nest_split = np.unique(np.r_[eu[ns], ev[ns]])
        ok_e = same_grp & ~heavy[eu] & ~heavy[ev]
        eu, ev, ew, el = eu[ok_e], ev[ok_e], ew[ok_e], el[ok_e]

        # ---- one location (building) = one node; steps below work on nodes (m ≤ n)
        node_of, colo_probs, colocated = self._colocate(n, eu, ev, el, w, hi, ids, nest_split)
        m = int(node_of.max()) + 1 if n else 0
        mult = np.bincount(node_of, minlength=m).astype(np.int64)
        rep = np.full(m, n, dtype=np.int64)
        np.minimum.at(rep, node_of, np.arange(n))
        # the household standing for a node as meeting point: its first seed point, else its first household
        first_seed = np.full(m, n, dtype=np.int64)
        np.minimum.at(first_seed, node_of[is_seed], np.flatnonzero(is_seed))
        meet_rep = np.where(first_seed < n, first_seed, rep)
        wn = np.bincount(node_of, weights=w, minlength=m).astype(np.int64)
        grp_n, heavy_n = grp[rep], heavy[rep]
        seed_n = np.bincount(node_of, weights=is_seed, minlength=m) > 0
        eu, ev, ew = self._contract_edges(node_of, eu, ev, ew)

        # ---- islands: join infeasible components over pruned-for-length edges
        comp = _components(m, eu, ev)
        joins = self._joins(graph, g2l, grp, heavy, comp[node_of], w, lo, hi)
        if len(joins):
            eu = np.r_[eu, node_of[joins[:, 0].astype(np.int64)]]
            ev = np.r_[ev, node_of[joins[:, 1].astype(np.int64)]]
            ew = np.r_[ew, joins[:, 2]]
            comp = _components(m, eu, ev)
        timings["prepare"] = time.perf_counter() - t0

        # ---- settlements (a location takes the settlement of its first household)
        settle_given = self.settlement_col in hh.columns and hh[self.settlement_col].notna().any()
        if settle_given:
            settle = hh[self.settlement_col].astype(object).where(hh[self.settlement_col].notna(), None).to_numpy()
            settle = settle[rep]
        else:
            sub = TerrainGraph(crs=graph.crs, ids=ids[rep], xy=np.zeros((m, 2)), u=eu, v=ev,
                               length_m=np.zeros(len(eu)), walk_min=ew)
            settle = detect_settlements(sub, self.settlement_walk_min).to_numpy(dtype=object)
        block = settlement_blocks(m, eu, ev, settle, grp_n)
        bsize = np.bincount(block, weights=wn)
        same_block = block[eu] == block[ev]

        # ---- construction: tree DP on a spanning forest
        t1 = time.perf_counter()
        csr = _csr(m, eu, ev, ew)
        lab = self._construct(m, wn, eu, ev, ew, same_block, block, bsize, comp, lo, hi, target, seed=seed_n)
        timings["construct"] = time.perf_counter() - t1

        # ---- repair parts below the floor in feasible components
        t1 = time.perf_counter()
        ctot = np.bincount(comp, weights=wn)
        comp_ok = _feasible(ctot, lo, hi)
        lab, failed = self._repair(lab, wn, eu, ev, ew, block, comp, comp_ok, lo, hi, target, rng, seed=seed_n)
        timings["repair"] = time.perf_counter() - t1
        # ---- rescue: re-cut regions around parts the repair could not put within the band
        t1 = time.perf_counter()
        proven: list[int] = []
        split_blocks: list[int] = []
        if failed:
            lab, failed, proven, split_blocks = self._rescue(lab, wn, eu, ev, ew, block, comp, failed, lo, hi,
                                                             target, rng, seed=seed_n)
        timings["rescue"] = time.perf_counter() - t1

        # ---- status per part
        size = np.bincount(lab, weights=wn, minlength=int(lab.max()) + 1)
        in_band = (size >= lo) & (size <= hi)
        part_ok = in_band[lab] & ~heavy_n & ~np.isin(lab, failed)
        # ---- local search on walking time
        t1 = time.perf_counter()
        units = _Units(csr, lab.copy(), seed_n, mult)
        locked = self._locked(lab, block, bsize, hi)
        self._local_search(units, wn, eu, ev, ew, part_ok, locked, lo, hi)
        timings["local_search"] = time.perf_counter() - t1
        t1 = time.perf_counter()
        self.recombine_moves_ = self._recombine(units, wn, eu, ev, ew, part_ok, locked, block, lo, hi)
        lab = units.lab
        timings["recombine"] = time.perf_counter() - t1

        # ---- exact bounds on small components
        t1 = time.perf_counter()
        bounds = self._bounds(units, wn, comp, part_ok, block, bsize, lo, hi, csr)
        lab = units.lab
        timings["exact"] = time.perf_counter() - t1

        # ---- back to households
        view = _HouseholdView.expand(units, node_of, meet_rep, is_seed)
        self._finish(households, hh, ids, srt, w, lab[node_of], view, part_ok[node_of], comp[node_of], ctot,
                     heavy, failed, graph, g2l, grp, joins, bounds, lo, hi, target, proven)
        self.problems_ = colo_probs + self.problems_ + self._settlement_split_problems(
            split_blocks, block[node_of], settle[node_of], ids, srt, lo, hi)
        self.colocated_ = colocated
        t1 = time.perf_counter()
        verify_delineation(
            households, graph, self.labels_, self.status_, (lo, hi, self.size_by), tuple(self.nest_by),
            extra_edges=self.joins_[["hid_a", "hid_b"]].to_numpy() if len(self.joins_) else None,
        )
        timings["verify"] = time.perf_counter() - t1
        timings["total"] = time.perf_counter() - t0
        self.timings_ = timings
        return self

    # ------------------------------------------------------------------------------------ stages
    def _colocate(self, n: int, eu: np.ndarray, ev: np.ndarray, el: np.ndarray, w: np.ndarray, hi: int,
                  ids: np.ndarray, nest_split: np.ndarray) -> tuple[np.ndarray, list[Problem], pd.DataFrame]:
        """Location node of every household (numbered by first household), the co-location problems and
        the ``colocated_`` table. ``eu, ev, el`` are the edges left after nesting (u < v, hid order);
        ``nest_split`` the households (positions) sharing a location with another nest group."""
        zero = el == 0
        if not self.keep_colocated:
            zero = np.zeros(len(el), dtype=bool)
        loc = _components(n, eu[zero], ev[zero])
        part = _colocated_parts(loc, w, hi)
        node_of = pd.factorize(loc * np.int64(n + 1) + part, sort=False)[0].astype(np.int64)
        what = "households" if self.size_by == "households" else "persons"
        probs: list[Problem] = []
        cnt = np.bincount(loc, minlength=n)
        multi = np.flatnonzero(cnt > 1)
        first = np.full(n, n, dtype=np.int64)
        np.minimum.at(first, loc, np.arange(n))
        nparts = np.zeros(n, dtype=np.int64)
        np.maximum.at(nparts, loc, part + 1)
        size = np.bincount(loc, weights=w, minlength=n)
        table = pd.DataFrame({
            "hid": pd.Series(ids[first[multi]], dtype=object),
            "n_households": cnt[multi].astype(np.int64),
            "size": size[multi],
            "n_parts": nparts[multi],
        })
        split = table.loc[table["n_parts"] > 1, "hid"].to_numpy(dtype=object)
        if len(split):
            probs.append(problem("COLOC-SPLIT", severity="warning", ids=split, hi=hi, what=what))
        if self.keep_colocated and len(nest_split):
            probs.append(problem("COLOC-NEST", severity="warning", ids=ids[nest_split]))
        return node_of, probs, table

    @staticmethod
    def _contract_edges(node_of: np.ndarray, eu: np.ndarray, ev: np.ndarray, ew: np.ndarray
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Edges between location nodes (u < v, sorted), each the shortest walk between their members."""
        a, b = node_of[eu], node_of[ev]
        k = a != b
        a, b, ew = np.minimum(a, b)[k], np.maximum(a, b)[k], ew[k]
        o = np.lexsort((ew, b, a))
        a, b, ew = a[o], b[o], ew[o]
        first = np.ones(len(a), dtype=bool)
        first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
        return a[first], b[first], ew[first]

    def _joins(self, graph: TerrainGraph, g2l: np.ndarray, grp: np.ndarray, heavy: np.ndarray,
               comp: np.ndarray, w: np.ndarray, lo: int, hi: int) -> np.ndarray:
        """Cheapest pruned-for-length edges joining infeasible components (rows u, v, walk_min)."""
        cut = graph.cut
        if cut is None or len(cut) == 0:
            return np.empty((0, 3))
        c = cut[cut["reason"].astype(str) == "length"]
        cu = g2l[c["u"].to_numpy(dtype=np.int64)]
        cv = g2l[c["v"].to_numpy(dtype=np.int64)]
        cw = c["walk_min"].to_numpy(dtype=float)
        k = (cu >= 0) & (cv >= 0)
        cu, cv, cw = cu[k], cv[k], cw[k]
        k = (grp[cu] == grp[cv]) & (cw <= self.join_limit_min) & ~heavy[cu] & ~heavy[cv]
        cu, cv, cw = cu[k], cv[k], cw[k]
        o = np.lexsort((np.maximum(cu, cv), np.minimum(cu, cv), cw))
        cu, cv, cw = np.minimum(cu, cv)[o], np.maximum(cu, cv)[o], cw[o]
        root = np.arange(int(comp.max()) + 1 if len(comp) else 0)
        tot = np.bincount(comp, weights=w).astype(np.int64)

        def find(x: int) -> int:
            while root[x] != x:
                root[x] = root[root[x]]
                x = int(root[x])
            return x

        made: list[tuple[int, int, float]] = []
        while True:
            cur = np.array([find(int(x)) for x in range(len(root))], dtype=np.int64)
            ctot = np.bincount(cur, weights=tot, minlength=len(root)).astype(np.int64)
            bad = ~_feasible(ctot, lo, hi)
            a, b = cur[comp[cu]], cur[comp[cv]]
            cand = np.flatnonzero((a != b) & (bad[a] | bad[b]))
            if not len(cand):
                break
            j = int(cand[0])
            root[int(a[j])] = int(b[j])
            made.append((int(cu[j]), int(cv[j]), float(cw[j])))
        return np.array(made, dtype=float).reshape(-1, 3)

    def _construct(self, n: int, w: np.ndarray, eu: np.ndarray, ev: np.ndarray, ew: np.ndarray,
                   same_block: np.ndarray, block: np.ndarray, bsize: np.ndarray, comp: np.ndarray,
                   lo: int, hi: int, target: float, jitter: np.ndarray | None = None,
                   seed: np.ndarray | None = None) -> np.ndarray:
        tw = ew if jitter is None else ew * jitter
        extra = None
        if seed is not None and seed.any():
            # seeded start: each seed's region (households nearest to it) becomes a subtree
            region = _seed_regions(n, eu, ev, tw, seed)
            extra = np.where(region[eu] != region[ev], _SEED_REGION_COST, 0.0)
        order, parent, eidx = _spanning_forest(n, eu, ev, tw, same_block, comp, extra)
        has = parent >= 0
        pcost = np.zeros(n)
        e = eidx[has]
        pcost[has] = -np.minimum(ew[e], 15.0)
        if self.keep_settlements:
            inside = same_block[e]
            big = bsize[block[np.flatnonzero(has)]] > hi
            pcost[np.flatnonzero(has)] += np.where(inside, np.where(big, _SETTLE_PENALTY_BIG, _SETTLE_PENALTY), 0.0)
        # a household above the ceiling (persons mode) has no edges and is its own exception part: clip its
        # size so that it fits the DP table
        wd = np.minimum(w, hi)
        if seed is not None and seed.any():
            return _tree_partition_seeded(wd, parent, order, pcost, lo, hi, target, self.size_weight, seed)
        return _tree_partition(wd, parent, order, pcost, lo, hi, target, self.size_weight)

    def _repair(self, lab: np.ndarray, w: np.ndarray, eu: np.ndarray, ev: np.ndarray, ew: np.ndarray,
                block: np.ndarray, comp: np.ndarray, comp_ok: np.ndarray, lo: int, hi: int, target: float,
                rng: np.random.Generator, seed: np.ndarray | None = None) -> tuple[np.ndarray, list[int]]:
        lab = lab.copy()
        failed: list[int] = []
        next_id = int(lab.max()) + 1 if len(lab) else 0
        for _round in range(3):
            size = np.bincount(lab, weights=w, minlength=next_id)
            first = np.full(next_id, len(lab))
            np.minimum.at(first, lab, np.arange(len(lab)))
            bad_parts = [p for p in np.flatnonzero((size > 0) & (size < lo)) if comp_ok[comp[first[p]]]]
            bad_parts = [p for p in sorted(bad_parts, key=lambda p: first[p]) if p not in failed]
            if not bad_parts:
                break
            for p in bad_parts:
                size = np.bincount(lab, weights=w, minlength=next_id)
                if not (0 < size[p] < lo):
                    continue
                inp = lab[eu] == p
                inq = lab[ev] == p
                cross = (inp ^ inq)
                other = np.where(inp, lab[ev], lab[eu])[cross]
                cw = ew[cross]
                if not len(other):
                    continue
                o = np.lexsort((other, cw))
                nbrs = list(dict.fromkeys(int(x) for x in other[o]))
                # merging two seeded parts is the last resort, after every re-split was tried
                clash: list[int] = []
                if seed is not None and seed.any():
                    ns = np.bincount(lab, weights=seed, minlength=next_id)
                    clash = [q for q in nbrs if ns[p] > 0 and ns[q] > 0]
                done = False
                for q in nbrs:
                    if q not in clash and size[p] + size[q] <= hi:
                        lab[lab == p] = q
                        done = True
                        break
                if done:
                    continue
                for q in nbrs:
                    nodes = np.flatnonzero((lab == p) | (lab == q))
                    new = self._resplit(nodes, w, eu, ev, ew, block, lo, hi, target, rng, seed=seed)
                    if new is not None:
                        lab[nodes] = np.where(new == new[0], p, q)
                        done = True
                        break
                for q in clash if not done else []:
                    if size[p] + size[q] <= hi:
                        lab[lab == p] = q
                        done = True
                        break
                if not done and _round == 2:
                    failed.append(int(p))
        return lab, failed

    def _rescue(self, lab: np.ndarray, w: np.ndarray, eu: np.ndarray, ev: np.ndarray, ew: np.ndarray,
                block: np.ndarray, comp: np.ndarray, failed: list[int], lo: int, hi: int, target: float,
                rng: np.random.Generator, seed: np.ndarray | None = None
                ) -> tuple[np.ndarray, list[int], list[int], list[int]]:
        """Fallback for parts the repair left below the floor in components whose size fits the band (5b).

        Around each failed part (in order of its first node) a region of whole units grows ring by ring over
        unit adjacency (the part and its neighbours, then theirs, … up to the whole component). Each region
        whose size fits the band is cut anew, feasibility first, stopping at the first cut with every part
        within the band:

        (a) the tree DP along spanning trees of the region — the walking-time tree, then ``_RESCUE_TREES``
            trees of jittered and then of random edge weights — settlements kept as subtrees;
        (b) the same with settlements no longer kept together (a settlement is a preference, the band a
            hard rule; the settlements split this way are returned and reported as ``SETTLEMENT-SPLIT``);
        (c) for regions of at most ``_RESCUE_MILP_N`` nodes, an exact feasibility MILP with contiguity
            (:func:`_band_partition_milp`, node-limited). When the region is the whole component and the
            MILP proves that no contiguous split exists, the part is returned as *proven*.

        Returns the labels, the parts still failed, those of them proven unsplittable and the settlement
        blocks split by (b) or (c).
        """
        lab0 = lab
        lab = lab.copy()
        next_id = int(lab.max()) + 1 if len(lab) else 0
        still: list[int] = []
        proven: list[int] = []
        relaxed: set[int] = set()
        first = {p: int(np.flatnonzero(lab == p)[0]) for p in failed}
        for p in sorted(failed, key=lambda q: first[q]):
            if not (lab == p).any():
                continue  # absorbed by an earlier region
            c = int(comp[first[p]])
            cnodes = np.flatnonzero(comp == c)
            ce = (comp[eu] == c)
            cu, cv, cw = eu[ce], ev[ce], ew[ce]
            region = np.array([p])
            done = False
            while True:
                nodes = cnodes[np.isin(lab[cnodes], region)]
                whole = len(nodes) == len(cnodes)
                a, b = lab[cu], lab[cv]
                ina = np.isin(a, region)
                touch = ina ^ np.isin(b, region)
                nxt = np.union1d(region, np.unique(np.where(ina, b, a)[touch]))
                nxt_n = int(np.isin(lab[cnodes], nxt).sum())
                if _feasible(np.array([w[nodes].sum()]), lo, hi)[0]:
                    # the exact search runs once: on the whole component, or on the last region it can take
                    milp = len(nodes) <= _RESCUE_MILP_N and (whole or nxt_n > _RESCUE_MILP_N)
                    new, split_blocks = self._rescue_region(nodes, w, cu, cv, cw, block, lo, hi, target, rng,
                                                            seed, milp, lab0)
                    if isinstance(new, np.ndarray):
                        ids = np.unique(new, return_inverse=True)[1]
                        lab[nodes] = next_id + ids
                        next_id += int(ids.max()) + 1
                        relaxed.update(split_blocks)
                        done = True
                        break
                    if new == "infeasible" and whole:
                        proven.append(p)
                        break
                if whole or len(nodes) > _RESCUE_MAX_N:
                    break
                region = nxt
            if not done:
                still.append(p)
        return lab, still, proven, sorted(relaxed)

    def _rescue_region(self, nodes: np.ndarray, w: np.ndarray, cu: np.ndarray, cv: np.ndarray, cw: np.ndarray,
                       block: np.ndarray, lo: int, hi: int, target: float, rng: np.random.Generator,
                       seed: np.ndarray | None, milp: bool, lab_before: np.ndarray
                       ) -> tuple[np.ndarray | str, list[int]]:
        """One region of :meth:`_rescue`: a new cut (local part ids) and the settlement blocks it splits
        although they fit in one unit, or the MILP's verdict (``"infeasible"``, ``"budget"``, ``"skipped"``)."""
        loc = np.full(len(w), -1, dtype=np.int64)
        loc[nodes] = np.arange(len(nodes))
        k = (loc[cu] >= 0) & (loc[cv] >= 0)
        su, sv, sw = loc[cu[k]], loc[cv[k]], cw[k]
        wr = w[nodes]
        sb = block[nodes]
        same = sb[su] == sb[sv]
        bs = np.bincount(sb, weights=wr)
        zero = np.zeros(len(nodes), dtype=np.int64)
        ss = None if seed is None or not seed[nodes].any() else seed[nodes]

        def ok(part: np.ndarray) -> bool:
            sz = np.bincount(part, weights=wr)
            sz = sz[sz > 0]
            return bool(((sz >= lo) & (sz <= hi)).all())

        def split_blocks(part: np.ndarray) -> list[int]:
            # settlements that fit in one unit, were whole in one unit before and are split by this cut
            df = pd.DataFrame({"b": sb, "p": part, "o": lab_before[nodes]})
            nun = df.groupby("b")[["p", "o"]].nunique()
            bb = nun.index.to_numpy()
            hit = (nun["p"].to_numpy() > 1) & (nun["o"].to_numpy() == 1) & (bs[bb] <= hi) & (np.bincount(sb)[bb] > 1)
            return sorted(int(b) for b in bb[hit])

        keep = [True, False] if self.keep_settlements else [False]
        for kept in keep:
            for t in range(_RESCUE_TREES + 1):
                if t == 0:
                    jit = None
                elif t <= _RESCUE_TREES // 2:
                    jit = rng.uniform(0.2, 1.8, size=len(su))
                else:  # random spanning trees: weights independent of walking time
                    jit = rng.random(len(su)) / np.maximum(sw, _EPS)
                part = np.asarray(self._construct(len(nodes), wr, su, sv, sw, same if kept else np.zeros_like(same),
                                                  sb, bs, zero, lo, hi, target, jitter=jit, seed=ss))
                if ok(part):
                    return part, split_blocks(part)
        if not milp:
            return "skipped", []
        status, part2 = _band_partition_milp(wr, su, sv, lo, hi, node_limit=_RESCUE_MILP_NODES)
        if part2 is None:
            return status, []
        return part2, split_blocks(part2)

    def _resplit(self, nodes: np.ndarray, w: np.ndarray, eu: np.ndarray, ev: np.ndarray, ew: np.ndarray,
                 block: np.ndarray, lo: int, hi: int, target: float, rng: np.random.Generator,
                 tries: int = 12, seed: np.ndarray | None = None) -> np.ndarray | None:
        """Split ``nodes`` (two units) into parts all within the band along random spanning trees; with seed
        points, the first split that keeps them apart, else the one that merges the fewest."""
        loc = np.full(len(w), -1, dtype=np.int64)
        loc[nodes] = np.arange(len(nodes))
        k = (loc[eu] >= 0) & (loc[ev] >= 0)
        su, sv, sw = loc[eu[k]], loc[ev[k]], ew[k]
        sb = block[nodes]
        same = sb[su] == sb[sv]
        bs = np.bincount(sb, weights=w[nodes])
        comp = np.zeros(len(nodes), dtype=np.int64)
        ss = None if seed is None or not seed[nodes].any() else seed[nodes]
        best: tuple[float, np.ndarray] | None = None
        for t in range(tries):
            jit = None if t == 0 else rng.uniform(0.2, 1.8, size=len(su))
            part = self._construct(len(nodes), w[nodes], su, sv, sw, same if t < tries // 2 else np.zeros_like(same),
                                   sb, bs, comp, lo, hi, target, jitter=jit, seed=ss)
            s = np.bincount(part, weights=w[nodes])
            s = s[s > 0]
            if len(s) == 2 and (s >= lo).all() and (s <= hi).all():
                if ss is None:
                    return np.asarray(part)
                merged = float(np.maximum(np.bincount(part, weights=ss) - 1, 0).sum())
                if merged == 0:
                    return np.asarray(part)
                if best is None or merged < best[0]:
                    best = (merged, np.asarray(part))
        return None if best is None else best[1]

    def _locked(self, lab: np.ndarray, block: np.ndarray, bsize: np.ndarray, hi: int) -> np.ndarray:
        """Households of a settlement that fits and is whole in its unit: never moved alone."""
        if not self.keep_settlements:
            return np.zeros(len(lab), dtype=bool)
        df = pd.DataFrame({"b": block, "u": lab})
        whole = df.groupby("b")["u"].nunique().to_numpy() == 1
        cnt = np.bincount(block)
        return whole[block] & (bsize[block] <= hi) & (cnt[block] > 1)

    def _local_search(self, units: _Units, w: np.ndarray, eu: np.ndarray, ev: np.ndarray, ew: np.ndarray,
                      part_ok: np.ndarray, locked: np.ndarray, lo: int, hi: int) -> None:
        movable = part_ok & ~locked & ~units.seed  # a seed point anchors its unit
        for _ in range(self.max_iter):
            lab = units.lab
            size = {k: float(w[v].sum()) for k, v in units.nodes.items()}
            h = np.r_[eu, ev]
            j = np.r_[ev, eu]
            ww = np.r_[ew, ew]
            k = (lab[h] != lab[j]) & movable[h] & part_ok[j]
            h, j, ww = h[k], j[k], ww[k]
            gain = units.dm[h] - (ww + units.dm[j])
            k = gain > 1e-9
            h, j, gain = h[k], j[k], gain[k]
            o = np.lexsort((j, h, -gain))
            touched: set[int] = set()
            seen = np.zeros(len(lab), dtype=bool)
            moved = 0
            for x, y in zip(h[o].tolist(), j[o].tolist(), strict=True):
                if seen[x]:
                    continue
                ua, ub = int(lab[x]), int(lab[y])
                if ua in touched or ub in touched:
                    continue
                seen[x] = True
                if size[ua] - w[x] < lo or size[ub] + w[x] > hi or len(units.nodes[ua]) == 1:
                    continue
                na = units.nodes[ua][units.nodes[ua] != x]
                ca, _, _ = units.evaluate(na)
                if not np.isfinite(ca):
                    continue
                nb = np.sort(np.r_[units.nodes[ub], x])
                cb, _, _ = units.evaluate(nb)
                if ca + cb < units.cost[ua] + units.cost[ub] - 1e-9:
                    lab[x] = ub
                    units.nodes[ua], units.nodes[ub] = na, nb
                    units.refresh(ua)
                    units.refresh(ub)
                    size[ua] -= w[x]
                    size[ub] += w[x]
                    touched.update((ua, ub))
                    moved += 1
            if not moved:
                break

    def _recombine(self, units: _Units, w: np.ndarray, eu: np.ndarray, ev: np.ndarray, ew: np.ndarray,
                   part_ok: np.ndarray, locked: np.ndarray, block: np.ndarray, lo: int, hi: int) -> int:
        """Merge–resplit passes (step 6b): every pair of adjacent ``ok`` units is merged and re-split into
        the two contiguous parts within the band that walk least (:meth:`_split_pair`); a pair is taken
        only when it lowers the total walking time strictly. Pairs are visited in (unit, unit) order; a
        pair whose two units did not change since it was last tried is skipped. Each pass that moved
        anything is followed by the single-household local search. Returns the number of moves made."""
        lab = units.lab
        lockb = np.where(locked, block, -1)
        tried: set[tuple[int, int, bytes, bytes]] = set()
        moves = 0
        for _ in range(self.recombine_passes):
            la, lb = lab[eu], lab[ev]
            k = (la != lb) & part_ok[eu] & part_ok[ev]
            if not k.any():
                break
            pairs = np.unique(np.c_[np.minimum(la, lb)[k], np.maximum(la, lb)[k]], axis=0)
            moved = 0
            for a, b in pairs.tolist():
                key = (a, b, units.nodes[a].tobytes(), units.nodes[b].tobytes())
                if key in tried:
                    continue
                if self._split_pair(units, a, b, w, lockb, lo, hi):
                    moved += 1
                else:
                    tried.add(key)
            moves += moved
            if not moved:
                break
            self._local_search(units, w, eu, ev, ew, part_ok, locked, lo, hi)
        return moves

    def _split_pair(self, units: _Units, a: int, b: int, w: np.ndarray, lockb: np.ndarray, lo: int, hi: int,
                    max_exact: int = 4) -> bool:
        """Merge units ``a`` and ``b`` and re-split them into two contiguous parts within the band,
        minimising total walking time; apply the split and return True when it is strictly better.

        Candidate splits are the edge cuts of a few spanning trees of the merged set: its minimum spanning
        tree by walking time (locked settlements nearly free, so they are subtrees) and shortest-path
        forests grown from two meeting points (first the current ones, then those of the best split found,
        like a two-medoid iteration). Every cut is checked at once with subtree sizes (band, seeds, locked
        settlements whole) and bounded from below with the merged set's shortest paths; the best few are
        evaluated exactly (:meth:`_Units.evaluate`)."""
        S = np.sort(np.r_[units.nodes[a], units.nodes[b]])
        k = len(S)
        seed = units.seed[S]
        ns = int(seed.sum())
        if ns > 2:
            return False
        A = units._dense(S)
        fin = np.isfinite(A)
        np.fill_diagonal(fin, False)
        r, c = np.nonzero(np.triu(fin))
        wt = A[r, c]
        G = sp.coo_matrix((np.r_[wt, wt], (np.r_[r, c], np.r_[c, r])), shape=(k, k)).tocsr()
        D = dijkstra(G, directed=False)
        if not np.isfinite(D[0]).all():
            return False
        ws = w[S].astype(float)
        mult = units.mult[S]
        tot = float(ws.sum())
        lb = lockb[S]
        lk = lb >= 0
        B = None
        if lk.any():
            _, bi = np.unique(lb[lk], return_inverse=True)
            B = np.zeros((k, int(bi.max()) + 1))
            B[np.flatnonzero(lk), bi] = 1.0
            bsz = B.sum(axis=0)

        def feasible(M: np.ndarray) -> np.ndarray:
            sa = M @ ws
            ok = (sa >= lo) & (sa <= hi) & (tot - sa >= lo) & (tot - sa <= hi)
            if ns:
                na = M @ seed.astype(float)
                ok &= (na <= 1) & (ns - na <= 1)
            if B is not None:
                cnt = M @ B
                ok &= ((cnt == 0) | (cnt == bsz)).all(axis=1)
            return M[ok]

        # minimum spanning tree, locked settlements nearly free
        same = lk[r] & (lb[r] == lb[c])
        mst = minimum_spanning_tree(
            sp.coo_matrix((np.where(same, wt * 1e-3, wt) + 1e-9, (r, c)), shape=(k, k)).tocsr()).tocoo()
        M, parent = _subtrees(k, mst.row, mst.col, 0)
        cand = [feasible(M[parent >= 0])]
        # shortest-path forests from two meeting points (current ones, then the best split's)
        pos = {int(x): i for i, x in enumerate(S.tolist())}
        centres = (pos[units.meet[a]], pos[units.meet[b]])
        seen: set[tuple[int, int]] = set()
        for _it in range(3):
            seen.add(centres)
            _, pred, src = dijkstra(G, directed=False, indices=list(centres), min_only=True,
                                    return_predecessors=True)
            cross = np.flatnonzero(src[r] != src[c])
            if not len(cross):
                break
            j = int(cross[np.argmin(wt[cross])])
            x = np.flatnonzero(pred >= 0)
            M, parent = _subtrees(k, np.r_[x, r[j]], np.r_[pred[x], c[j]], centres[0])
            cand.append(feasible(M[parent >= 0]))
            allc = np.concatenate(cand)
            if not len(allc):
                break
            bound, meet = _cut_costs(allc, D, mult, seed)
            i = int(np.argmin(bound))
            nxt = (int(meet[i, 0]), int(meet[i, 1]))
            if nxt in seen or (nxt[1], nxt[0]) in seen:
                break
            centres = nxt
        allc = np.concatenate(cand)
        if not len(allc):
            return False
        allc = np.unique(allc, axis=0)
        bound, _ = _cut_costs(allc, D, mult, seed)
        current = units.cost[a] + units.cost[b]
        best: tuple[float, Any, Any] | None = None
        limit = current - 1e-9
        for i in np.argsort(bound, kind="stable")[:max_exact].tolist():
            if bound[i] >= limit:
                break
            ea, eb = units.evaluate(S[allc[i]]), units.evaluate(S[~allc[i]])
            if ea[0] + eb[0] < limit:
                limit = ea[0] + eb[0]
                best = (limit, (S[allc[i]], ea), (S[~allc[i]], eb))
        if best is None:
            return False
        keep = int(units.lab[S[0]])
        for part, (cost, meet, d) in (best[1], best[2]):
            kk = keep if part[0] == S[0] else (b if keep == a else a)
            units.lab[part] = kk
            units.nodes[kk] = part
            units.cost[kk], units.meet[kk] = cost, meet
            units.dm[part] = d
        return True

    def _bounds(self, units: _Units, w: np.ndarray, comp: np.ndarray, part_ok: np.ndarray, block: np.ndarray,
                bsize: np.ndarray, lo: int, hi: int, csr: sp.csr_matrix) -> pd.DataFrame:
        from yuanluo.gis.exact import size_bounded_pmedian

        rows: list[dict[str, Any]] = []
        if self.exact is False:
            return pd.DataFrame(rows)
        # Deterministic work budget (never wall-clock time, so the same input gives the same units on any
        # machine): "auto" bounds components of at most exact_max_n households, exact_max_n * 5 households
        # in all, each with a node limit; exact=True bounds larger components without a node limit.
        max_n = self.exact_max_n if self.exact == "auto" else 4 * self.exact_max_n
        budget = 5 * self.exact_max_n if self.exact == "auto" else np.inf
        node_limit = self.exact_node_limit if self.exact == "auto" else None
        time_limit = None if self.exact == "auto" else self.exact_time_limit
        spent = 0
        lab = units.lab
        csize = np.bincount(comp)
        for c in np.flatnonzero((csize <= max_n) & (csize > 0)).tolist():
            nodes = np.flatnonzero(comp == c)
            if not part_ok[nodes].all():
                continue
            if spent + len(nodes) > budget:
                break
            spent += len(nodes)
            ks = np.unique(lab[nodes])
            obj = float(sum(units.cost[int(k)] for k in ks))
            # row i weighted by the households node i holds: the p-median sums walking over households
            d = dijkstra(csr[nodes][:, nodes], directed=False) * units.mult[nodes][:, None]
            res = size_bounded_pmedian(d, w[nodes], lo, hi, len(ks), time_limit=time_limit, node_limit=node_limit)
            adopted = False
            # the p-median model knows nothing of seed points: its bound stays valid, its units are not used
            if res.median is not None and res.objective < obj - 1e-6 and not units.seed[nodes].any():
                adopted = self._adopt(units, nodes, res.median, block, bsize, hi)
                if adopted:
                    obj = float(sum(units.cost[int(k)] for k in np.unique(units.lab[nodes])))
            lb = res.lower_bound
            rows.append({"component": c, "n": int(units.mult[nodes].sum()), "p": len(ks), "objective": obj, "lower_bound": lb,
                         "gap": (max(0.0, (obj - lb) / obj) if obj > 0 else 0.0) if np.isfinite(lb) else float("nan"), "exact_adopted": adopted})
        return pd.DataFrame(rows)

    def _adopt(self, units: _Units, nodes: np.ndarray, median: np.ndarray, block: np.ndarray,
               bsize: np.ndarray, hi: int) -> bool:
        """Take the MILP assignment when every cluster is connected and whole settlements stay whole."""
        med = nodes[median]
        if self.keep_settlements:
            df = pd.DataFrame({"b": block[nodes], "m": med})
            nun = df.groupby("b")["m"].nunique()
            fits = bsize[nun.index.to_numpy()] <= hi
            if (nun.to_numpy()[fits] > 1).any():
                return False
        old = np.unique(units.lab[nodes])
        groups = [nodes[med == m] for m in np.unique(med)]
        evals = [units.evaluate(g) for g in groups]
        if not all(np.isfinite(e[0]) for e in evals):
            return False
        for k in old.tolist():
            del units.nodes[k], units.meet[k], units.cost[k]
        for k, g in zip(old.tolist(), groups, strict=True):
            units.lab[g] = k
            units.nodes[k] = g
            units.refresh(k)
        return True

    def _finish(self, households: pd.DataFrame, hh: pd.DataFrame, ids: np.ndarray, srt: np.ndarray,
                w: np.ndarray, lab: np.ndarray, units: _HouseholdView, part_ok: np.ndarray, comp: np.ndarray,
                ctot: np.ndarray, heavy: np.ndarray, failed: list[int], graph: TerrainGraph, g2l: np.ndarray,
                grp: np.ndarray, joins: np.ndarray, bounds: pd.DataFrame, lo: int, hi: int,
                target: float, proven: Sequence[int] = ()) -> None:
        n = len(ids)
        # number units by their first household in hid order
        first = pd.Series(np.arange(n)).groupby(lab).min()
        order = first.sort_values(kind="stable").index.to_numpy()
        width = max(3, len(str(len(order))))
        names = {int(k): f"U{i + 1:0{width}d}" for i, k in enumerate(order)}
        uid = np.array([names[int(k)] for k in lab], dtype=object)
        status = np.where(part_ok, "ok", "exception")
        # a unit is ok only if all its households are (exceptions are never merged with ok parts)
        what_zh, what_en = ("户", "households") if self.size_by == "households" else ("人", "persons")
        persons = (pd.to_numeric(hh["persons"], errors="coerce").to_numpy(dtype=float)
                   if "persons" in hh.columns else None)
        head = hh["head_candidate"].fillna(False).astype(bool).to_numpy() if "head_candidate" in hh.columns else None
        cut_reasons = self._cut_reasons(graph, g2l, comp)
        cseeds = np.bincount(comp, weights=units.seed, minlength=len(ctot))
        rows = []
        probs: list[Problem] = []
        seed_rows: list[tuple[str, str, bool]] = []
        for k in order.tolist():
            nodes = units.nodes[int(k)]
            st = "ok" if part_ok[nodes].all() else "exception"
            seeded = nodes[units.seed[nodes]]
            meet = units.meet[int(k)]
            seed_rows += [(str(ids[x]), names[int(k)], bool(x == meet)) for x in seeded.tolist()]
            if len(seeded) > 1:
                c = int(comp[nodes[0]])
                room = int(ctot[c] // lo)
                if len(np.unique(units.node_of[seeded])) == 1:
                    why_s = "they share one location (one building), and households at one location share a unit"
                elif st == "exception":
                    why_s = "the unit is an exception and cannot be split within the band"
                elif cseeds[c] > room:
                    why_s = (f"its connected area of {int(ctot[c])} {what_en} holds {int(cseeds[c])} seed points "
                             f"but fits at most {room} units of at least {lo}")
                else:
                    why_s = "no contiguous split within the band was found that keeps them apart"
                probs.append(problem("SEED-MERGED", severity="warning", ids=ids[seeded], unit=names[int(k)],
                                     meeting=str(ids[meet]), why=why_s))
            sz = float(w[nodes].sum())
            reason, code = "", ""
            if st == "exception":
                c = int(comp[nodes[0]])
                if heavy[nodes].any():
                    code, why = "RULE-INFEASIBLE", f"one household of {int(sz)} persons exceeds the ceiling"
                elif int(k) in proven:
                    code = "RULE-INFEASIBLE"
                    why = (f"component of {int(ctot[c])} {what_en} has no split into contiguous units of {lo}-{hi} "
                           "(proven by exact search)")
                elif int(k) in failed:
                    code, why = "RULE-NOSPLIT", (f"no contiguous split of its component of {int(ctot[c])} {what_en} "
                                                 "into units within the band was found within the search budget")
                else:
                    code = "RULE-INFEASIBLE"
                    iso = cut_reasons.get(c, "no walkable link to other households")
                    why = (f"isolated component of {int(ctot[c])} {what_en}" if ctot[c] == sz
                           else f"component of {int(ctot[c])} {what_en} cannot be split into units of {lo}-{hi}")
                    why += f", {iso}"
                reason = f"{code}: {int(sz)} {what_en}, {why}"
                probs.append(problem(code, severity="warning", ids=ids[nodes], unit=names[int(k)], size=int(sz),
                                     what=what_en, lo=lo, hi=hi, why=why))
            d = units.dm[nodes]
            row: dict[str, Any] = {
                "unit_id": names[int(k)],
                "n_households": len(nodes),
                "persons": int(np.nansum(persons[nodes])) if persons is not None else pd.NA,
                "size": sz,
                "status": st,
                "reason": reason,
                "code": code,
            }
            for col in ("village", "group"):
                row[col] = str(hh[col].iloc[nodes[0]]) if col in hh.columns and pd.notna(hh[col].iloc[nodes[0]]) else None
            row.update({
                "meeting_hid": str(ids[units.meet[int(k)]]),
                "mean_walk_min": float(d.mean()),
                "max_walk_min": float(d.max()),
                "has_head": bool(head[nodes].any()) if head is not None else False,
                "seed": str(ids[meet]) if len(seeded) else "",
            })
            rows.append(row)
        units_df = pd.DataFrame(rows)
        units_df["persons"] = units_df["persons"].astype("Int64")
        if self.require_head and head is not None:
            nohead = units_df.loc[~units_df["has_head"], "unit_id"].tolist()
            if nohead:
                probs.append(problem("UNIT-NO-HEAD", severity="warning", ids=nohead))
        inv = np.empty(n, dtype=np.int64)
        inv[srt] = np.arange(n)
        index = households.index
        self.labels_ = pd.Series(uid[inv], index=index, name="unit_id", dtype=object)
        self.status_ = pd.Series(status[inv], index=index, name="unit_status", dtype=object)
        self.units_ = units_df
        self.exceptions_ = units_df.loc[units_df["status"] == "exception",
                                        ["unit_id", "n_households", "size", "code", "reason"]].reset_index(drop=True)
        self.problems_ = probs
        sr = sorted(seed_rows)
        self.seeds_ = pd.DataFrame({"hid": pd.Series([r[0] for r in sr], dtype=object),
                                    "unit_id": pd.Series([r[1] for r in sr], dtype=object),
                                    "honoured": pd.Series([r[2] for r in sr], dtype=bool)})
        self.joins_ = pd.DataFrame({
            "hid_a": ids[joins[:, 0].astype(np.int64)] if len(joins) else np.array([], dtype=object),
            "hid_b": ids[joins[:, 1].astype(np.int64)] if len(joins) else np.array([], dtype=object),
            "walk_min": joins[:, 2] if len(joins) else np.array([], dtype=float),
        })
        self.objective_ = float(units.dm.sum())
        self.target_size_ = target
        self.n_units_ = len(units_df)
        self.bounds_ = bounds
        self.lower_bound_: float | None = None
        self.gap_: float | None = None
        if len(bounds) and bounds["lower_bound"].notna().all():
            bounded = np.isin(comp, bounds["component"].to_numpy())
            if bounded.all():
                lb = float(bounds["lower_bound"].sum())
                self.lower_bound_ = lb
                self.gap_ = max(0.0, (self.objective_ - lb) / self.objective_) if self.objective_ > 0 else 0.0

    def _settlement_split_problems(self, split_blocks: Sequence[int], hblock: np.ndarray, hsettle: np.ndarray,
                                   ids: np.ndarray, srt: np.ndarray, lo: int, hi: int) -> list[Problem]:
        """``SETTLEMENT-SPLIT`` warnings: settlements that fit in one unit but were split by the rescue to keep
        every unit within the band (``hblock``, ``hsettle``: block and settlement name per household, hid
        order). One warning per settlement still split in the final units, in hid order."""
        if not len(split_blocks):
            return []
        uid = self.labels_.to_numpy(dtype=object)[srt]
        what = "households" if self.size_by == "households" else "persons"
        out: list[Problem] = []
        for b in sorted(split_blocks, key=lambda b: int(np.flatnonzero(hblock == b)[0])):
            mem = np.flatnonzero(hblock == b)
            units = sorted({str(x) for x in uid[mem]})
            if len(units) < 2:
                continue
            name = hsettle[mem[0]]
            out.append(problem("SETTLEMENT-SPLIT", severity="warning", ids=ids[mem],
                               settlement=str(name) if name is not None else str(ids[mem[0]]),
                               units=", ".join(units), what=what, lo=lo, hi=hi))
        return out

    def _cut_reasons(self, graph: TerrainGraph, g2l: np.ndarray, comp: np.ndarray) -> dict[int, str]:
        """Why a component is isolated: the reasons of pruned edges leaving it."""
        cut = graph.cut
        out: dict[int, str] = {}
        if cut is None or not len(cut):
            return out
        cu = g2l[cut["u"].to_numpy(dtype=np.int64)]
        cv = g2l[cut["v"].to_numpy(dtype=np.int64)]
        k = (cu >= 0) & (cv >= 0)
        df = pd.DataFrame({"cu": comp[cu[k]], "cv": comp[cv[k]], "reason": cut["reason"].astype(str).to_numpy()[k],
                           "walk": cut["walk_min"].to_numpy(dtype=float)[k]})
        df = df[df["cu"] != df["cv"]]
        both = pd.concat([df.rename(columns={"cu": "c"})[["c", "reason", "walk"]],
                          df.rename(columns={"cv": "c"})[["c", "reason", "walk"]]])
        for c, g in both.groupby("c", sort=True):
            parts = []
            for r, gg in g.groupby("reason", sort=True):
                if r == "length":
                    parts.append(f"nearest pruned link {gg['walk'].min():.1f} min (join limit {self.join_limit_min:g} min)")
                else:
                    parts.append(f"isolated by {r}")
            out[int(c)] = "; ".join(parts)
        return out
