"""Stage: improvement — local search (single moves) and merge–resplit of adjacent unit pairs.

Local search: boundary households (location nodes) move between adjacent ``ok`` units when the exact
total walking time to the units' meeting points (the node minimising the sum of shortest-path walking
times inside the unit, or its seed point) drops, keeping bounds, contiguity and whole settlements.

Merge–resplit (the ReCom idea, optimising): two adjacent ``ok`` units are merged and re-split into the two
contiguous parts within the band that walk least; candidates are the edge cuts of the merged set's minimum
spanning tree and of shortest-path forests grown from two meeting points (two-medoid iteration), screened
all at once with subtree sizes and a shortest-path lower bound, the best few evaluated exactly. Only strict
improvements are taken; locked settlements stay whole, two seeds never share a part. A pair that no split within
the band can make walk less (:meth:`Pair.may_walk_under`: each node walking to the nearer of two meeting points,
no side above the band's top) is refused before its splits are grown.

Examples
--------
A chain of 40 households one minute apart, cut 30 + 10 under a band of 10–30, settlements of five kept
whole: no single household may move, a merge–resplit cuts 20 + 20 (250 → 200 walking minutes).

>>> from yuanluo.gis.delineate.problem import NodeGraph, Settings
>>> g = NodeGraph.build(np.ones(40), np.arange(39), np.arange(1, 40), np.ones(39), block=np.arange(40) // 5)
>>> units = Units(g.csr(), np.r_[np.zeros(30, dtype=int), np.ones(10, dtype=int)])
>>> ok = np.ones(40, dtype=bool)
>>> recombine(g, Settings(lo=10, hi=30, target=20.0), units, ok, locked_nodes(g, Settings(10, 30, 20.0), units.lab))
1
>>> sorted(len(x) for x in units.nodes.values()), sum(units.cost.values())
([20, 20], 200.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra, floyd_warshall, minimum_spanning_tree
from scipy.spatial.distance import pdist

from yuanluo.gis.delineate.problem import NodeGraph, Settings

__all__ = ["Units", "head_lack", "locked_nodes", "local_search", "recombine", "split_pair", "apply_split", "subtrees",
           "cut_costs", "best_split", "unique_rows"]

SPLIT_EXACT = 4  # candidate splits of a pair evaluated exactly
WALK_PENALTY = 1e3  # per household beyond the walking limit (max_walk_min), in walking minutes
EVAL_MEMO = 20_000  # node sets whose walks Units.evaluate keeps (a few kB each)
# Pair.may_walk_under: a split's walk computed in floating point lies within this many machine epsilons per node
# (relative) of its floor (Floyd–Warshall and Dijkstra sums of at most k edges, sums of k nodes, four times over)
FLOOR_ROUNDING = 8 * float(np.finfo(float).eps)
FLOOR_PAIRS = 64  # meeting-point pairs under the limit before the band's top is kept, at most
# what Units.evaluate's walks depend on besides the node set: setting one empties its memo
_WALK_INPUTS = frozenset({"limit", "seed", "mult", "indptr", "indices", "data"})


def subtrees(k: int, tu: np.ndarray, tv: np.ndarray, root: int) -> tuple[np.ndarray, np.ndarray]:
    """Subtree membership of a spanning tree of ``k`` nodes rooted at ``root``: ``M[c, x]`` is True when
    ``x`` lies below ``c`` (``c`` included), and the parent of each node (-1 at the root).

    Examples
    --------
    The path 0-1-2 rooted at 0: node 1's subtree is {1, 2}.

    >>> M, parent = subtrees(3, np.array([0, 1]), np.array([1, 2]), 0)
    >>> M[1].tolist(), parent.tolist()
    ([False, True, True], [-1, 0, 1])
    """
    nbr: list[list[int]] = [[] for _ in range(k)]  # each node's neighbours: as ends u of the edges, then as v
    tl, vl = np.asarray(tu).tolist(), np.asarray(tv).tolist()
    for x, y in zip(tl, vl, strict=True):
        nbr[x].append(y)
    for x, y in zip(tl, vl, strict=True):
        nbr[y].append(x)
    par = [-2] * k  # breadth-first from the root, in plain Python: the trees are small (one pair of units)
    par[root] = -1
    order = [root]
    for x in order:
        for y in nbr[x]:
            if par[y] == -2:
                par[y] = x
                order.append(y)
    size = [1] * k  # subtree sizes, leaves first
    for v in order[:0:-1]:
        size[par[v]] += size[v]
    # a subtree is an interval [pre, pre + size) of a depth-first order: each child's interval follows its
    # parent's first place and its elder siblings' intervals (the parents come first in breadth-first order)
    pre, nxt = [0] * k, [0] * k
    nxt[root] = 1
    for v in order[1:]:
        q = nxt[par[v]]
        pre[v], nxt[v], nxt[par[v]] = q, q + 1, q + size[v]
    t = len(order)
    if t < k:
        for x in range(k):  # a node not reached: alone, after the tree
            if par[x] == -2:
                pre[x] = t
                t += 1
    p = np.array(pre)
    e = p + np.array(size)
    M = (p[None, :] >= p[:, None]) & (p[None, :] < e[:, None])
    parent = np.array(par, dtype=np.int64)
    np.maximum(parent, -1, out=parent)  # -1: the root, or not reached
    return M, parent


def cut_costs(M: np.ndarray, D: np.ndarray, mult: np.ndarray, seed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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
    return ca[r, ma] + cb[r, mb], np.stack((ma, mb), axis=1)


def _csr_sorted(data: np.ndarray, rows: np.ndarray, cols: np.ndarray, k: int) -> sp.csr_matrix:
    """The ``k`` × ``k`` matrix of entries already in row, then column order (as ``np.nonzero`` gives them), as
    CSR laid out as scipy's COO → CSR conversion lays it out (int32 indices), without the conversion."""
    indptr = np.zeros(k + 1, dtype=np.int32)
    np.cumsum(np.bincount(rows, minlength=k), out=indptr[1:])
    return sp.csr_matrix((data, cols.astype(np.int32), indptr), shape=(k, k))


@lru_cache(maxsize=512)
def _pairs(k: int) -> tuple[np.ndarray, np.ndarray]:
    """The pairs ``i < j`` of ``k`` nodes (``np.triu_indices(k, 1)``), read-only, kept for each ``k``."""
    iu, ju = np.triu_indices(k, 1)
    iu.setflags(write=False)
    ju.setflags(write=False)
    return iu, ju


def unique_rows(M: np.ndarray) -> np.ndarray:
    """The distinct rows of the boolean matrix ``M``, in ascending order: ``np.unique(M, axis=0)``, by one sort
    of the rows read as byte strings (``np.unique`` with an axis sorts them as records of one field per column,
    about ten times slower on the splits of a pair; a row of booleans is one byte per column, so the two orders
    agree).

    >>> unique_rows(np.array([[True, False], [False, True], [True, False]])).tolist()
    [[False, True], [True, False]]
    """
    M = np.ascontiguousarray(M, dtype=bool)
    if M.ndim != 2 or not M.shape[0] or not M.shape[1]:
        return np.unique(M, axis=0)
    _, first = np.unique(M.view(np.dtype((np.void, M.shape[1]))).ravel(), return_index=True)
    return M[first]


def head_lack(heads: np.ndarray | float, size: np.ndarray | float, big: int | None) -> np.ndarray:
    """Candidate heads a unit with ``heads`` candidates and ``size`` lacks: it needs 1, or 2 above ``big``.

    >>> head_lack(np.array([0, 1, 1, 2]), np.array([5, 5, 9, 9]), 8).tolist()
    [1.0, 0.0, 1.0, 0.0]
    """
    need = 1.0 + (np.asarray(size) > big if big is not None else 0.0)
    return np.maximum(need - np.asarray(heads, dtype=float), 0.0)


class Units:
    """Mutable unit bookkeeping for the local search (node lists, meeting point, walking cost).

    ``heads`` (candidate heads per node) switches the head rule on: no move may raise a unit's lack of
    candidate heads (:func:`head_lack`, with ``heads_for`` the size above which a unit needs two).
    With ``lam`` the head rule is soft instead: a move or split may change a unit's lack, and each candidate
    head lacking costs ``lam`` walking minutes (:func:`head_lack`). ``limit`` (``max_walk_min``) steers the
    search: a unit's ``cost`` adds ``WALK_PENALTY`` per household farther than the limit from its meeting
    point (which is chosen with that penalty), so moves and re-splits that bring households within the
    limit pay; ``dm`` stays the plain walking minutes.
    """

    def __init__(self, csr: sp.csr_matrix, lab: np.ndarray, seed: np.ndarray | None = None,
                 mult: np.ndarray | None = None, heads: np.ndarray | None = None,
                 heads_for: int | None = None, size: np.ndarray | None = None, limit: float | None = None, *,
                 lam: float | None = None) -> None:
        # the walks of the node sets evaluated so far (:meth:`evaluate`): what a walk depends on besides its
        # nodes (graph, seed points, households per node, walking limit) is held read-only, and setting any
        # of it anew empties the memo
        self._memo: dict[bytes, tuple[float, int, np.ndarray]] = {}
        self.limit = limit
        self.lam = lam  # soft head rule: walking minutes a lacking candidate head costs (None: hard rule)
        self.heads = None if heads is None else np.asarray(heads, dtype=float)
        self.size = size  # size per node (households or persons), for the head rule
        self.heads_for = heads_for
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
        idx = np.repeat(starts - (np.cumsum(cnt) - cnt), cnt) + np.arange(tot)
        self.remap[nodes] = np.arange(k)
        lc = self.remap[self.indices[idx]]
        self.remap[nodes] = -1
        keep = lc >= 0
        d = np.full((k, k), np.inf)
        d[rows[keep], lc[keep]] = self.data[idx][keep]
        np.fill_diagonal(d, 0.0)
        return d

    def __setattr__(self, name: str, value: Any) -> None:
        """What a walk depends on (``_WALK_INPUTS``) is kept as a read-only copy, and setting it empties the
        memo of :meth:`evaluate`: a walk looked up there is always the one the unit has now."""
        if name in _WALK_INPUTS:
            if isinstance(value, np.ndarray):
                value = value.copy()
                value.setflags(write=False)
            self._memo.clear()
        object.__setattr__(self, name, value)

    def evaluate(self, nodes: np.ndarray) -> tuple[float, int, np.ndarray]:
        """Walking cost of a unit (sum over its households of shortest-path minutes to its meeting point),
        the meeting point (node minimising that sum, chosen among the unit's seed points when it holds any;
        inf cost if the unit is disconnected) and the distances to it (read-only).
        Floyd–Warshall on the dense unit matrix: units are small (at most ``max_size`` households).

        Each node set is walked once: the answer is kept by the node set (in the given order) and looked up
        when it is asked again (the stages ask for the same sets again and again: a move tried, then made;
        a unit left as it was by a re-split). At most ``EVAL_MEMO`` sets are kept; then the memo starts anew.

        >>> from yuanluo.gis.delineate.problem import NodeGraph
        >>> g = NodeGraph.build(np.ones(3), np.array([0, 1]), np.array([1, 2]), np.array([1.0, 2.0]))
        >>> units = Units(g.csr(), np.zeros(3, dtype=np.int64))
        >>> units.evaluate(np.arange(3))[:2], units.evaluate(np.arange(3)) is units.evaluate(np.arange(3))
        ((3.0, 1), True)
        >>> units.limit = 1.5  # a new walking limit: the walks are taken anew (node 2 is beyond it from 1)
        >>> units.evaluate(np.arange(3))[:2]
        (1003.0, 1)
        """
        if len(nodes) == 1:
            return 0.0, int(nodes[0]), np.zeros(1)
        key = np.asarray(nodes, dtype=np.int64).tobytes()
        got = self._memo.get(key)
        if got is None:
            d, s = self._walks(nodes)
            seeded = np.flatnonzero(self.seed[nodes])
            j = int(seeded[np.argmin(s[seeded])]) if len(seeded) else int(np.argmin(s))
            dj = d[j].copy()  # not a view: the memo keeps one row, not the whole matrix
            dj.setflags(write=False)
            if len(self._memo) >= EVAL_MEMO:
                self._memo.clear()
            got = self._memo[key] = (float(s[j]), int(nodes[j]), dj)
        return got

    def _walks(self, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Shortest walks inside the unit (Floyd–Warshall on its dense matrix) and each node's cost as a
        meeting point (walking minutes, plus the penalty for households beyond the limit)."""
        d = self._dense(nodes)
        if np.count_nonzero(d == 0) == len(nodes):  # scipy's loop in C (the same sums in the same order)
            d = floyd_warshall(np.ma.masked_array(d, mask=np.isinf(d)), directed=True)
        else:  # an edge of 0 minutes, which scipy reads as no edge (the graph's own matrix stores it as EPS): numpy
            for m in range(len(nodes)):
                np.minimum(d, d[:, m: m + 1] + d[m: m + 1, :], out=d)
        s = d @ self.mult[nodes]
        if self.limit is not None:
            s = s + WALK_PENALTY * ((d > self.limit + 1e-9) @ self.mult[nodes])
        return d, s

    def seat(self, k: int, m: int) -> None:
        """Make node ``m`` unit ``k``'s meeting point (its cost and ``dm`` measured from it)."""
        nodes = self.nodes[k]
        d, s = self._walks(nodes)
        j = int(np.searchsorted(nodes, m))
        self.cost[k], self.meet[k] = float(s[j]), int(m)
        self.dm[nodes] = d[j]

    def refresh(self, k: int) -> None:
        nodes = self.nodes[k]
        c, m, d = self.evaluate(nodes)
        self.cost[k], self.meet[k] = c, m
        self.dm[nodes] = d

    def lack(self, k: int) -> float:
        """Candidate heads unit ``k`` lacks (the head rule on: ``heads`` and ``size`` given)."""
        assert self.heads is not None and self.size is not None
        n = self.nodes[k]
        return float(head_lack(self.heads[n].sum(), self.size[n].sum(), self.heads_for))




def locked_nodes(g: NodeGraph, s: Settings, lab: np.ndarray) -> np.ndarray:
    """Nodes of a settlement that fits and is whole in its part: never moved alone."""
    if not s.keep_settlements:
        return np.zeros(len(lab), dtype=bool)
    df = pd.DataFrame({"b": g.block, "u": lab})
    whole = df.groupby("b")["u"].nunique().to_numpy() == 1
    cnt = np.bincount(g.block)
    return whole[g.block] & (g.bsize[g.block] <= s.hi) & (cnt[g.block] > 1)


def local_search(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray, locked: np.ndarray) -> None:
    """At most ``s.max_iter`` passes of single moves of boundary nodes that lower the walking time
    (``units`` is changed in place)."""
    w = g.w
    movable = part_ok & ~locked & ~units.seed  # a seed point anchors its unit
    h0, j0 = np.concatenate((g.u, g.v)), np.concatenate((g.v, g.u))
    keep = movable[h0] & part_ok[j0]  # each edge both ways, from a node that may move to one that may take it
    h0, j0, ww0 = h0[keep], j0[keep], np.concatenate((g.walk, g.walk))[keep]
    for _ in range(s.max_iter):
        lab = units.lab
        size = _Sizes(units, w)  # the units' sizes, each summed when a move first asks for it
        k = lab[h0] != lab[j0]
        h, j, ww = h0[k], j0[k], ww0[k]
        gain = units.dm[h] - (ww + units.dm[j])
        soft = units.heads is not None and units.lam is not None
        if soft:  # lacking candidate heads cost lam minutes each
            gain = gain + units.lam * _lack_change(units, lab, h, j, w)
        if units.limit is not None:  # a node beyond the limit that would be within it next door
            gain = gain + WALK_PENALTY * ((units.dm[h] > units.limit + 1e-9) & (ww + units.dm[j] <= units.limit))
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
            if size[ua] - w[x] < s.lo or size[ub] + w[x] > s.hi or len(units.nodes[ua]) == 1:
                continue
            bonus = 0.0
            if units.heads is not None:
                da, db = _move_drops(units, x, ua, ub, size, w)
                if soft:
                    bonus = float(units.lam) * (da + db)  # type: ignore[arg-type]
                elif da < 0 or db < 0:  # the hard rule: neither unit may lack more
                    continue
            if _try_move(units, x, ua, ub, bonus):
                size[ua] -= w[x]
                size[ub] += w[x]
                touched.update((ua, ub))
                moved += 1
        if not moved:
            break


class _Sizes(dict[int, float]):
    """The size of each unit (households or persons) as a pass of :func:`local_search` starts, each summed when a
    move first asks for it (a pass reads the sizes of the few units its moves touch; a unit's nodes change only
    after its size was read, by the move that then keeps the size up to date)."""

    def __init__(self, units: Units, w: np.ndarray) -> None:
        super().__init__()
        self.units, self.w = units, w

    def __missing__(self, k: int) -> float:
        v = self[k] = float(self.w[self.units.nodes[k]].sum())
        return v


def _lack_drops(units: Units, ha: Any, za: Any, hb: Any, zb: Any, hx: Any, wx: Any) -> tuple[Any, Any]:
    """How many candidate heads less each of two units lacks when a node holding ``hx`` candidates and of
    size ``wx`` moves from the first (``ha`` candidates, size ``za``) to the second (``hb``, ``zb``); scalars
    or arrays."""
    big = units.heads_for
    return (head_lack(ha, za, big) - head_lack(ha - hx, za - wx, big),
            head_lack(hb, zb, big) - head_lack(hb + hx, zb + wx, big))


def _move_drops(units: Units, x: int, ua: int, ub: int, size: dict[int, float], w: np.ndarray
                ) -> tuple[float, float]:
    """:func:`_lack_drops` of moving node ``x`` from unit ``ua`` to ``ub``."""
    hd = units.heads
    assert hd is not None
    da, db = _lack_drops(units, float(hd[units.nodes[ua]].sum()), size[ua], float(hd[units.nodes[ub]].sum()),
                         size[ub], float(hd[x]), float(w[x]))
    return float(da), float(db)


def _lack_change(units: Units, lab: np.ndarray, h: np.ndarray, j: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Candidate heads lacking less in all if node ``h[i]`` moved to the unit of ``j[i]`` (vectorised)."""
    hd = units.heads
    assert hd is not None
    H = np.bincount(lab, weights=hd)
    Z = np.bincount(lab, weights=w, minlength=len(H))
    a, b = lab[h], lab[j]
    da, db = _lack_drops(units, H[a], Z[a], H[b], Z[b], hd[h], w[h])
    return np.asarray(da + db)


def _try_move(units: Units, x: int, ua: int, ub: int, bonus: float = 0.0) -> bool:
    """Move node ``x`` from unit ``ua`` to ``ub`` when that lowers their walking time (less ``bonus``,
    the soft head rule's gain) strictly."""
    na = units.nodes[ua][units.nodes[ua] != x]
    ca, _, _ = units.evaluate(na)
    if not np.isfinite(ca):
        return False
    nb = np.sort(np.r_[units.nodes[ub], x])
    cb, _, _ = units.evaluate(nb)
    if ca + cb < units.cost[ua] + units.cost[ub] + bonus - 1e-9:
        units.lab[x] = ub
        units.nodes[ua], units.nodes[ub] = na, nb
        units.refresh(ua)
        units.refresh(ub)
        return True
    return False


def recombine(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray, locked: np.ndarray,
              head_centres: int = 0) -> int:
    """Merge–resplit passes: every pair of adjacent ``ok`` units is merged and re-split into the two
    contiguous parts within the band that walk least (:func:`split_pair`, its splits also grown from
    ``head_centres`` candidate heads of the pair); a pair is taken only when it lowers the total walking
    time strictly. Pairs are visited in (unit, unit) order; a pair whose two units
    did not change since it was last tried is skipped. Each pass that moved anything is followed by the
    local search. At most ``s.recombine_passes`` passes; returns the number of moves made."""
    lab = units.lab
    lockb = np.where(locked, g.block, -1)
    tried: set[tuple[int, int, bytes, bytes]] = set()
    moves = 0
    for _ in range(s.recombine_passes):
        la, lb = lab[g.u], lab[g.v]
        k = (la != lb) & part_ok[g.u] & part_ok[g.v]
        if not k.any():
            break
        pairs = np.unique(np.c_[np.minimum(la, lb)[k], np.maximum(la, lb)[k]], axis=0)
        moved = 0
        for a, b in pairs.tolist():
            key = (a, b, units.nodes[a].tobytes(), units.nodes[b].tobytes())
            if key in tried:
                continue
            if split_pair(units, a, b, g.w, lockb, s.lo, s.hi, head_centres=head_centres):
                moved += 1
            else:
                tried.add(key)
        moves += moved
        if not moved:
            break
        local_search(g, s, units, part_ok, locked)
    return moves


@dataclass
class Pair:
    """The merged node set ``S`` of two units, its walking graph and what a split of it must keep."""

    S: np.ndarray
    r: np.ndarray  # edges (upper triangle) of the merged set, local positions
    c: np.ndarray
    wt: np.ndarray
    G: sp.csr_matrix
    D: np.ndarray  # shortest-path walking minutes within the merged set
    ws: np.ndarray
    mult: np.ndarray
    seed: np.ndarray
    lb: np.ndarray  # locked settlement block per node, -1 when free
    lo: int
    hi: int
    blocks: np.ndarray | None = None  # node × locked settlement membership (None: no locked settlement)
    heads: np.ndarray | None = None  # candidate heads per node (None: no head rule)
    heads_for: int | None = None
    lack: float = 0.0  # candidate heads the two units lacked before
    lam: float | None = None  # soft head rule (see :class:`Units`)
    # what candidate_keys() grows, kept for its next calls: the minimum spanning tree's feasible splits (with the
    # lack they were screened for), and each pair of centres' forest splits before screening (None: no cut)
    _mst: tuple[float, np.ndarray] | None = field(default=None, repr=False)
    _forests: dict[tuple[int, int], np.ndarray | None] = field(default_factory=dict, repr=False)
    # and each pair of centres' feasible forest splits (None: no cut), for the lack they were screened for
    _feas: tuple[float, dict[tuple[int, int], np.ndarray | None]] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        lk = self.lb >= 0
        if lk.any():
            _, bi = np.unique(self.lb[lk], return_inverse=True)
            self.blocks = np.zeros((len(self.S), int(bi.max()) + 1))
            self.blocks[np.flatnonzero(lk), bi] = 1.0

    @classmethod
    def build(cls, units: Units, S: np.ndarray, w: np.ndarray, lockb: np.ndarray, lo: int, hi: int
              ) -> Pair | None:
        k = len(S)
        A = units._dense(S)
        fin = np.isfinite(A)
        np.fill_diagonal(fin, False)
        up = np.triu(fin)
        r, c = np.nonzero(up)
        wt = A[r, c]
        # the symmetric matrix of the upper triangle's edges, laid out as scipy's COO → CSR conversion lays it
        # out (by row, then column; int32 indices), built directly: the conversion cost more than the walks
        rr, cc = np.nonzero(up | up.T)
        G = _csr_sorted(A[np.minimum(rr, cc), np.maximum(rr, cc)], rr, cc, k)
        D = dijkstra(G, directed=True)  # G is symmetric: as undirected, without scipy's transposed copy
        if not np.isfinite(D[0]).all():
            return None
        pair = cls(S, r, c, wt, G, D, w[S].astype(float), units.mult[S], units.seed[S], lockb[S], lo, hi)
        if units.heads is not None:
            pair.heads, pair.heads_for, pair.lam = units.heads[S], units.heads_for, units.lam
        return pair

    def with_locks(self, lb: np.ndarray) -> Pair:
        """The same pair with the locked settlement blocks ``lb`` (per node of ``S``, -1 free): its graph,
        walks and the forests grown so far shared, which do not depend on them."""
        return replace(self, lb=lb, blocks=None, _mst=None, _feas=None)

    def feasible(self, M: np.ndarray) -> np.ndarray:
        """The rows of ``M`` (side A of each split) with both sides within the band, at most one seed per
        side and every locked settlement whole."""
        ws, tot, lo, hi = self.ws, float(self.ws.sum()), self.lo, self.hi
        # M as numbers once for its products below (each product with the booleans cast M anew); they sum
        # whole numbers (households or persons, seeds, candidates, block members), exact in any order
        Mf = M.astype(float)
        sa = Mf @ ws
        ok = (sa >= lo) & (sa <= hi) & (tot - sa >= lo) & (tot - sa <= hi)
        ns = int(self.seed.sum())
        if ns:
            na = Mf @ self.seed.astype(float)
            ok &= (na <= 1) & (ns - na <= 1)
        ok &= self.settlements_whole(Mf)
        if self.heads is not None and self.lam is None:
            ok &= self._lacks(Mf @ self.heads, sa) <= self.lack + 1e-9
        return M[ok]

    def settlements_whole(self, M: np.ndarray) -> np.ndarray:
        """Whether each split of ``M`` (side A per row, booleans or 0/1) keeps every locked settlement on one
        side."""
        if self.blocks is None:
            return np.ones(len(M), dtype=bool)
        cnt = M @ self.blocks
        return ((cnt == 0) | (cnt == self.blocks.sum(axis=0))).all(axis=1)

    def lacks(self, M: np.ndarray) -> np.ndarray:
        """Candidate heads the two sides of each split lack in all."""
        assert self.heads is not None
        Mf = M.astype(float)
        return self._lacks(Mf @ self.heads, Mf @ self.ws)

    def _lacks(self, ha: np.ndarray, sa: np.ndarray) -> np.ndarray:
        """:meth:`lacks` of splits whose sides A hold ``ha`` candidates and ``sa`` households (or persons)."""
        assert self.heads is not None
        return head_lack(ha, sa, self.heads_for) + head_lack(self.heads.sum() - ha, self.ws.sum() - sa,
                                                            self.heads_for)

    def may_walk_under(self, limit: float) -> bool:
        """False when no split of the pair into two parts within the band can walk under ``limit`` minutes (the
        walking limit's penalty left out): for each two meeting points every node may walk to the nearer one over
        the merged set's shortest paths, no part above the band's top (a fractional knapsack: the nodes costing
        the least per household move from a side above it), and even the least of these sums is at least
        ``limit``. Rounding can only lower a split's walk by a few machine epsilons per node, so the proof asks
        for that much to spare (:data:`FLOOR_ROUNDING`); on a tie the splits are not proven.

        Six households on a path, the fourth step five minutes long, in units 0–2 and 3–5 (2 + 6 minutes): under a
        band of 2–4 the first four and the last two walk 4 + 1, under 2–3 no split walks less than 8.

        >>> from yuanluo.gis.delineate.problem import NodeGraph
        >>> g = NodeGraph.build(np.ones(6), np.arange(5), np.arange(1, 6), np.array([1.0, 1, 1, 5, 1]))
        >>> units = Units(g.csr(), np.r_[0, 0, 0, 1, 1, 1])
        >>> pair = Pair.build(units, np.arange(6), g.w, np.full(6, -1), 2, 4)
        >>> units.cost[0] + units.cost[1], pair.may_walk_under(8.0 - 1e-9)
        (8.0, True)
        >>> three = replace(pair, hi=3)
        >>> three.may_walk_under(8.0 - 1e-9), three.may_walk_under(8.0)  # a tie is not proven
        (False, True)
        """
        k = len(self.S)
        ws, hi, tot = self.ws, float(self.hi), float(self.ws.sum())
        if tot > 2 * hi:  # no two parts within the band
            return False
        if not np.isfinite(limit):
            return True
        need = limit + FLOOR_ROUNDING * k * abs(limit)
        C = self.D * self.mult[:, None]  # C[x, j]: node x's households walking to j
        iu, ju = _pairs(k)
        # each to the nearer of two meeting points: min(p, q) = (p + q - |p - q|) / 2 summed by scipy's loop in C
        # over all pairs, then summed anew as minima where that may be under the limit (within its rounding)
        col = C.sum(axis=0)
        both = col[iu] + col[ju]
        near = np.flatnonzero(0.5 * (both - pdist(C.T, "cityblock")) < need + FLOOR_ROUNDING * k * both)
        if len(near) > FLOOR_PAIRS:  # too many to keep within the band one by one: not proven
            return True
        ci, cj = C[:, iu[near]].T, C[:, ju[near]].T
        val = np.minimum(ci, cj).sum(axis=1)
        low = val < need
        if not low.any():
            return False
        ci, cj, val = ci[low], cj[low], val[low]
        toa = ci <= cj
        wa = toa.astype(float) @ ws
        over_a, over_b = wa - hi, tot - wa - hi
        if ((over_a <= 0) & (over_b <= 0)).any():  # under the limit with both sides within the top
            return True
        for over, side, gain in ((over_a, toa, cj - ci), (over_b, ~toa, ci - cj)):
            r = np.flatnonzero(over > 0)
            if not len(r):
                continue
            # the side's households above the top moved to the other side, the cheapest per household first (a
            # node may move in part; a node of the other side weighs nothing here: moving it takes no room)
            ww = np.where(side[r], ws, 0.0)
            per = np.divide(gain[r], ww, out=np.zeros(ww.shape), where=ww > 0)
            o = np.argsort(per, axis=1, kind="stable")
            ws_o, per_o = np.take_along_axis(ww, o, axis=1), np.take_along_axis(per, o, axis=1)
            take = np.clip(over[r, None] - (np.cumsum(ws_o, axis=1) - ws_o), 0.0, ws_o)
            val[r] += (take * per_o).sum(axis=1)
        return bool((val < need).any())

    def head_centres(self) -> tuple[int, int] | None:
        """Two nodes holding candidate heads, farthest apart, when the pair lacks a head and has two."""
        if self.heads is None or self.lack <= 0:
            return None
        hn = np.flatnonzero(self.heads > 0)
        if len(hn) < 2:
            return None
        sub = self.D[np.ix_(hn, hn)]
        i, j = np.unravel_index(int(np.argmax(sub)), sub.shape)
        return int(hn[i]), int(hn[j])

    def chunk(self, key: tuple[int, int] | None) -> np.ndarray:
        """The feasible splits of the minimum spanning tree (``key`` None) or of the forest grown from the
        centres ``key``, as :meth:`candidate_keys` left them (for the present lack)."""
        assert self._mst is not None and self._feas is not None
        M = self._mst[1] if key is None else self._feas[1][key]
        assert M is not None
        return M

    def candidate_keys(self, centres: tuple[int, int]) -> list[tuple[int, int] | None]:
        """The splits within the rules from the minimum spanning tree (locked settlements nearly free) and from
        shortest-path forests grown from two meeting points (the given ones, then the best split's), as the keys
        of :meth:`chunk`: None (the minimum spanning tree), then the centres of each forest. Each forest and its feasible splits are found once per pair (and
        lack): :func:`split_pair` joins the chunks of all its centres once each, not a copy per call."""
        if self._mst is None or self._mst[0] != self.lack:
            self._mst = (self.lack, self.feasible(self._mst_splits()))
        if self._feas is None or self._feas[0] != self.lack:
            self._feas = (self.lack, {})
        feas = self._feas[1]
        keys: list[tuple[int, int] | None] = [None]
        cand = [self._mst[1]]
        seen: set[tuple[int, int]] = set()
        for _it in range(3):
            seen.add(centres)
            if centres not in feas:
                if centres not in self._forests:
                    self._forests[centres] = self._forest_splits(centres)
                F = self._forests[centres]
                feas[centres] = None if F is None else self.feasible(F)
            M = feas[centres]
            if M is None:
                break
            keys.append(centres)
            cand.append(M)
            allc = np.concatenate(cand)
            if not len(allc):
                break
            bound, meet = cut_costs(allc, self.D, self.mult, self.seed)
            i = int(np.argmin(bound))
            nxt = (int(meet[i, 0]), int(meet[i, 1]))
            if nxt in seen or (nxt[1], nxt[0]) in seen:
                break
            centres = nxt
        return keys

    def head_centre_pairs(self, meets: tuple[int, int], count: int) -> list[tuple[int, int]]:
        """The centres the head-centred splits grow from (:func:`split_pair`'s ``head_centres``; where the rule is
        hard, splits grown from the two meeting points often move a unit's only candidate across and are refused,
        these keep one on each side): each of the first ``count`` candidate heads with either
        meeting point, each pair once."""
        if self.heads is None:
            return []
        hn = np.flatnonzero(self.heads > 0)[:count].tolist()
        return list(dict.fromkeys((h, m) for h in hn for m in meets if m != h))

    def _mst_splits(self) -> np.ndarray:
        """The splits by one edge cut of the minimum spanning tree (locked settlements nearly free)."""
        k, r, c, wt = len(self.S), self.r, self.c, self.wt
        same = (self.lb[r] >= 0) & (self.lb[r] == self.lb[c])
        # the upper triangle by row then column (as np.nonzero gave it)
        mst = minimum_spanning_tree(_csr_sorted(np.where(same, wt * 1e-3, wt) + 1e-9, r, c, k), overwrite=True)
        M, parent = subtrees(k, np.repeat(np.arange(k), np.diff(mst.indptr)), mst.indices, 0)
        return M[parent >= 0]

    def _forest_splits(self, centres: tuple[int, int]) -> np.ndarray | None:
        """The splits by one edge cut of the shortest-path forest grown from ``centres`` and joined by its
        lightest crossing edge; None when the two trees do not meet."""
        k, r, c, wt = len(self.S), self.r, self.c, self.wt
        _, pred, src = dijkstra(self.G, directed=True, indices=list(centres), min_only=True,
                                return_predecessors=True)
        cross = np.flatnonzero(src[r] != src[c])
        if not len(cross):
            return None
        j = int(cross[np.argmin(wt[cross])])
        x = np.flatnonzero(pred >= 0)
        M, parent = subtrees(k, np.append(x, r[j]), np.append(pred[x], c[j]), centres[0])
        return M[parent >= 0]


def best_split(units: Units, S: np.ndarray, allc: np.ndarray, bound: np.ndarray, limit: float, max_exact: int,
                pen: np.ndarray | None = None) -> tuple[float, Any, Any] | None:
    """The best of the ``max_exact`` candidate splits with the lowest bounds, evaluated exactly, when it
    walks less than ``limit`` (``pen``: a penalty per split added to its bound and its walk)."""
    best: tuple[float, Any, Any] | None = None
    pen = np.zeros(len(allc)) if pen is None else pen
    bound = bound + pen
    for i in np.argsort(bound, kind="stable")[:max_exact].tolist():
        if bound[i] >= limit:
            break
        ea, eb = units.evaluate(S[allc[i]]), units.evaluate(S[~allc[i]])
        if ea[0] + eb[0] + pen[i] < limit:
            limit = ea[0] + eb[0] + pen[i]
            best = (limit, (S[allc[i]], ea), (S[~allc[i]], eb))
    return best


def split_pair(units: Units, a: int, b: int, w: np.ndarray, lockb: np.ndarray, lo: int, hi: int,
               max_exact: int = SPLIT_EXACT, *, head_centres: int = 0) -> bool:
    """Merge units ``a`` and ``b`` and re-split them into two contiguous parts within the band,
    minimising total walking time; apply the split and return True when it is strictly better.

    Candidate splits come from :meth:`Pair.candidate_keys`, with ``head_centres`` also from
    :meth:`Pair.head_centre_pairs` (that many candidate heads, each with either meeting point); every cut is bounded from below with the merged
    set's shortest paths (:func:`cut_costs`) and the best ``max_exact`` are evaluated exactly
    (:meth:`Units.evaluate`)."""
    S = np.sort(np.r_[units.nodes[a], units.nodes[b]])
    if int(units.seed[S].sum()) > 2:
        return False
    pair = Pair.build(units, S, w, lockb, lo, hi)
    if pair is None:
        return False
    if pair.heads is not None:
        pair.lack = units.lack(a) + units.lack(b)
    pos = {int(x): i for i, x in enumerate(S.tolist())}
    meets = (pos[units.meet[a]], pos[units.meet[b]])
    centres = [meets]
    fix = pair.head_centres()  # a pair lacking a candidate head: also split around two candidates
    if fix is not None:
        centres.append(fix)
    # refused before its splits are grown when no split within the band can walk less than the two units now
    if pair.heads is not None and pair.lam is not None:  # soft: as below, with lam minutes a lacking head, and
        # every split's two sides lack at least 2 - (the pair's candidates) heads in all
        floor = units.cost[a] + units.cost[b] - 1e-9 + pair.lam * (pair.lack - max(0.0, 2.0 - pair.heads.sum()))
    elif fix is None:
        floor = units.cost[a] + units.cost[b] - 1e-9
    else:  # a pair lacking a head takes a split lacking fewer even if it walks more
        floor = np.inf
    if not pair.may_walk_under(floor):
        return False
    if head_centres:  # and around its candidate heads, each with either meeting point
        centres += pair.head_centre_pairs(meets, head_centres)
    # the splits of all these centres, each forest's once (np.unique keeps one of each split anyway)
    keys = dict.fromkeys(key for c in centres for key in pair.candidate_keys(c))
    allc = np.concatenate([pair.chunk(key) for key in keys])
    if not len(allc):
        return False
    allc = unique_rows(allc)
    bound, _ = cut_costs(allc, pair.D, pair.mult, pair.seed)
    limit = units.cost[a] + units.cost[b] - 1e-9
    pen = None
    if pair.heads is not None and pair.lam is not None:  # soft: each lacking head costs lam minutes
        pen = pair.lam * pair.lacks(allc)
        limit += pair.lam * pair.lack
    elif fix is not None:
        lack = pair.lacks(allc)
        if lack.min() < pair.lack - 1e-9:  # fewer units without a head: taken even if it walks more
            allc, bound, limit = allc[lack == lack.min()], bound[lack == lack.min()], np.inf
    best = best_split(units, S, allc, bound, limit, max_exact, pen)
    if best is None:
        return False
    apply_split(units, a, b, S, best)
    return True


def apply_split(units: Units, a: int, b: int, S: np.ndarray, best: tuple[float, Any, Any]) -> None:
    """Make the two parts of ``best`` (from :func:`best_split`) units ``a`` and ``b`` (the part holding
    ``S[0]`` keeps that node's unit id)."""
    keep = int(units.lab[S[0]])
    for part, (cost, meet, d) in (best[1], best[2]):
        kk = keep if part[0] == S[0] else (b if keep == a else a)
        units.lab[part] = kk
        units.nodes[kk] = part
        units.cost[kk], units.meet[kk] = cost, meet
        units.dm[part] = d
