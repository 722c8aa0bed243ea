"""Stage: preparation — the :class:`~yuanluo.gis.delineate.problem.DelineationProblem`, built once.

1. Households are put in hid order (determinism, row-order invariance); graph edges that cross a nest key
   (:func:`yuanluo.gis.keys.nest_key`) are dropped, so every unit stays inside its village / villager group.
2. Households at one location (:func:`yuanluo.gis.keys.location_key`) are contracted into one node (size =
   summed size, walking time to a neighbour = the shortest of its members'), so they always share a unit.
   A location larger than the ceiling is first split into as few parts as needed, balanced and in hid
   order (``COLOC-SPLIT``); households at one location in different nest groups stay apart
   (``COLOC-NEST``).
3. Components whose size cannot be split within the band are joined to the nearest other component of the
   same nest group over the cheapest edge the graph pruned *for length only* (never river/water), if it
   is at most ``join_limit_min`` walking minutes.
4. Natural settlements (given, or detected by :mod:`yuanluo.gis.settlements`) become blocks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from yuanluo.gis.columns import flag_values
from yuanluo.gis.delineate.problem import (
    DelineationProblem,
    HouseholdIndex,
    NodeGraph,
    Settings,
    components,
    feasible,
)
from yuanluo.gis.errors import Problem, problem
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.islands import island_links, node_zones
from yuanluo.gis.keys import location_key, nest_key
from yuanluo.gis.settlements import detect_settlements, settlement_blocks

__all__ = ["prepare", "colocated_parts", "contract_edges", "island_joins"]


@dataclass
class _Edges:
    """Household edges ``u < v`` (positions in hid order) with walking minutes and lengths."""

    u: np.ndarray
    v: np.ndarray
    walk: np.ndarray
    length: np.ndarray

    def take(self, k: np.ndarray) -> _Edges:
        return _Edges(self.u[k], self.v[k], self.walk[k], self.length[k])


def prepare(households: pd.DataFrame, graph: TerrainGraph, seed_ids: np.ndarray, s: Settings,
            rng: np.random.Generator) -> DelineationProblem:
    """Build the problem from validated input (``seed_ids``: sorted unique seed hids)."""
    hix, edges = _households(households, graph, seed_ids, s)
    n = hix.n
    same_grp = hix.grp[edges.u] == hix.grp[edges.v]
    ns = (edges.length == 0) & ~same_grp  # one location, two nest groups: kept apart, reported
    nest_split = np.unique(np.r_[edges.u[ns], edges.v[ns]])
    edges = edges.take(same_grp & ~hix.heavy[edges.u] & ~hix.heavy[edges.v])
    # ---- one location (building) = one node; the stages work on nodes (m ≤ n)
    node_of, notes, colocated = _colocate(hix, edges, nest_split, s)
    m = int(node_of.max()) + 1 if n else 0
    mult = np.bincount(node_of, minlength=m).astype(np.int64)
    rep = np.full(m, n, dtype=np.int64)
    np.minimum.at(rep, node_of, np.arange(n))
    # the household standing for a node as meeting point: its first seed point, else its first household
    first_seed = np.full(m, n, dtype=np.int64)
    np.minimum.at(first_seed, node_of[hix.seed], np.flatnonzero(hix.seed))
    hix.node_of, hix.meet_rep = node_of, np.where(first_seed < n, first_seed, rep)
    wn = np.bincount(node_of, weights=hix.w, minlength=m).astype(np.int64)
    seed_n = np.bincount(node_of, weights=hix.seed, minlength=m) > 0
    eu, ev, ew = contract_edges(node_of, edges.u, edges.v, edges.walk)
    # ---- islands: join infeasible components over pruned-for-length edges
    comp = components(m, eu, ev)
    joins = island_joins(graph, hix, comp[node_of], s)
    if len(joins):
        eu = np.r_[eu, node_of[joins[:, 0].astype(np.int64)]]
        ev = np.r_[ev, node_of[joins[:, 1].astype(np.int64)]]
        ew = np.r_[ew, joins[:, 2]]
        comp = components(m, eu, ev)
    # ---- settlements (a location takes the settlement of its first household)
    settle = _settlements(hix, graph, rep, eu, ev, ew, s)
    block = settlement_blocks(m, eu, ev, settle, hix.grp[rep])
    g = NodeGraph(w=wn, u=eu, v=ev, walk=ew, block=block, comp=comp, seed=seed_n, head=_heads(hix, m))
    return DelineationProblem(settings=s, graph=g, households=hix, heavy=hix.heavy[rep], mult=mult,
                              settle=settle, joins=joins, colocated=colocated, notes=notes, rng=rng)


def _heads(hix: HouseholdIndex, m: int) -> np.ndarray | None:
    """Candidate heads (``head_candidate``) each node holds, or None without that column."""
    hh = hix.frame
    if "head_candidate" not in hh.columns:
        return None
    head = flag_values(hh["head_candidate"], "head_candidate")  # 是/否 text as read_households reads it
    return np.bincount(hix.node_of, weights=head, minlength=m).astype(np.int64)


def _households(households: pd.DataFrame, graph: TerrainGraph, seed_ids: np.ndarray, s: Settings
                ) -> tuple[HouseholdIndex, _Edges]:
    """Households in hid order and the graph edges between them (u < v, sorted)."""
    hid_all = households.index.astype(str).to_numpy()
    srt = np.argsort(hid_all, kind="stable")
    ids = hid_all[srt]
    n = len(ids)
    hh = households.iloc[srt]
    if s.size_by == "persons":
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
    none = np.zeros(0, dtype=np.int64)
    hix = HouseholdIndex(frame=hh, ids=ids, srt=srt, w=w, grp=nest_key(hh, s.nest_by),
                         heavy=w > s.hi,  # a single household above the ceiling is its own exception
                         seed=np.isin(ids, seed_ids), node_of=none, meet_rep=none, g2l=g2l)
    return hix, _Edges(a[o], b[o], ew[o], el[o])


def colocated_parts(loc: np.ndarray, w: np.ndarray, hi: int, key: np.ndarray | None = None, lo: int = 0
                    ) -> np.ndarray:
    """Part number of each node within its location: locations whose total size exceeds ``hi`` are cut into
    the fewest contiguous runs (in ``key`` order, then node order) that each fit, balanced by cumulative size.
    ``key`` is the settlement: the runs then follow settlements, and where cutting only between settlements
    gives as few runs, each of at least ``lo`` and at most ``hi`` (so that each can be a unit of its own), those
    cuts are taken instead (:func:`_settlement_cuts`).

    ``loc`` is the location label per node (nodes in hid order); ``w`` the sizes (a node above ``hi`` is
    counted as ``hi``: it cannot share a part anyway).

    Examples
    --------
    60 households at one point and 3 at another, ceiling 50: two parts of 30, one part of 3.

    >>> p = colocated_parts(np.r_[np.zeros(60, dtype=int), np.ones(3, dtype=int)], np.ones(63, dtype=int), 50)
    >>> np.bincount(p[:60]).tolist(), p[60:].tolist()
    ([30, 30], [0, 0, 0])

    30 at one point, band 8–25, settlements of 10 and 20: parts of 10 and 20, not 15 and 15; under a floor of
    15 the part of 10 could not be a unit: 15 and 15.

    >>> key = np.r_[[1] * 20, [0] * 10]
    >>> p = colocated_parts(np.zeros(30, dtype=int), np.ones(30, dtype=int), 25, key, lo=8)
    >>> np.bincount(p).tolist(), len(set(p[:20])), len(set(p[20:]))
    ([10, 20], 1, 1)
    >>> np.bincount(colocated_parts(np.zeros(30, dtype=int), np.ones(30, dtype=int), 25, key, lo=15)).tolist()
    [15, 15]
    """
    w = np.minimum(np.asarray(w, dtype=np.int64), hi)
    tot = np.bincount(loc, weights=w).astype(np.int64)
    k = np.maximum(-(-tot // max(hi, 1)), 1)
    order = np.lexsort((np.arange(len(loc)), np.zeros(len(loc)) if key is None else key, loc))
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
            break
        k[over] += 1
    if key is not None:
        _settlement_cuts(part, order, loc, w, np.asarray(key), k, lo, hi)
    return part


def _settlement_cuts(part: np.ndarray, order: np.ndarray, loc: np.ndarray, w: np.ndarray, key: np.ndarray,
                     k: np.ndarray, lo: int, hi: int) -> None:
    """In place: each location cut into ``k`` parts whose runs (in ``order``) can instead be cut only between
    settlements into as many runs of ``lo`` to ``hi`` is cut so (greedily, the longest run that fits first)."""
    lo_sorted = loc[order]
    for place in np.flatnonzero(k > 1).tolist():
        idx = order[lo_sorted == place]
        cum = np.r_[0, np.cumsum(w[idx])]
        between = np.r_[np.flatnonzero(key[idx][1:] != key[idx][:-1]) + 1, len(idx)]  # where a settlement ends
        cuts, start = [], 0
        while cum[-1] - cum[start] > hi:
            fit = between[(between > start) & (cum[between] - cum[start] <= hi)]
            if not len(fit):
                break
            start = int(fit[-1])
            cuts.append(start)
        sizes = np.diff(np.r_[0, cum[cuts], cum[-1]]) if cuts else np.array([cum[-1]])
        if sizes.max() <= hi and sizes.min() >= lo and len(cuts) + 1 == k[place]:
            part[idx] = np.searchsorted(np.asarray(cuts, dtype=np.int64), np.arange(len(idx)), side="right")




def _colocate(hix: HouseholdIndex, edges: _Edges, nest_split: np.ndarray, s: Settings
              ) -> tuple[np.ndarray, list[Problem], pd.DataFrame]:
    """Location node of every household (numbered by first household), the co-location problems and
    the ``colocated_`` table. ``edges`` are those left after nesting; ``nest_split`` the households
    (positions) sharing a location with another nest group."""
    n, ids, w, hi = hix.n, hix.ids, hix.w, s.hi
    if s.keep_colocated:
        loc = location_key(n, edges.u, edges.v, edges.length)
    else:
        loc = np.arange(n, dtype=np.int64)
    settle = None  # the settlement named for each household: a building's parts follow them
    if s.keep_settlements and s.settlement_col in hix.frame.columns:
        settle = pd.factorize(hix.frame[s.settlement_col].astype("string").str.strip(), sort=True)[0]
    part = colocated_parts(loc, w, hi, settle, s.lo)
    node_of = pd.factorize(loc * np.int64(n + 1) + part, sort=False)[0].astype(np.int64)
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
        probs.append(problem("COLOC-SPLIT", severity="warning", ids=split, hi=hi, what=_what(s)))
    if s.keep_colocated and len(nest_split):
        probs.append(problem("COLOC-NEST", severity="warning", ids=ids[nest_split]))
    return node_of, probs, table


def _what(s: Settings) -> dict[str, str]:
    """``households`` / ``persons`` in both languages, for a message's ``{what[zh]}`` / ``{what[en]}``."""
    from yuanluo.gis.catalogue import text

    return {lang: text(f"delineate.what.{s.what}", lang) for lang in ("zh", "en")}


def contract_edges(node_of: np.ndarray, eu: np.ndarray, ev: np.ndarray, ew: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges between location nodes (u < v, sorted), each the shortest walk between their members.

    >>> a, b, w = contract_edges(np.array([0, 0, 1]), np.array([0, 1]), np.array([2, 2]), np.array([5.0, 3.0]))
    >>> a.tolist(), b.tolist(), w.tolist()
    ([0], [1], [3.0])
    """
    a, b = node_of[eu], node_of[ev]
    k = a != b
    a, b, ew = np.minimum(a, b)[k], np.maximum(a, b)[k], ew[k]
    o = np.lexsort((ew, b, a))
    a, b, ew = a[o], b[o], ew[o]
    first = np.ones(len(a), dtype=bool)
    first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    return a[first], b[first], ew[first]


def island_joins(graph: TerrainGraph, hix: HouseholdIndex, comp: np.ndarray, s: Settings) -> np.ndarray:
    """Cheapest pruned-for-length edges joining infeasible components (rows: household positions u, v
    and walk_min); ``comp`` is the component of each household. The candidates are those the check counts as
    joining an island (:func:`yuanluo.gis.islands.island_links`, one rule: in one nest group, neither end heavier
    than the ceiling, the ends in two pieces of the short edges found without the heavy households), so that a
    delineation passes its own check; around locked units ``graph`` holds the other households only, as the
    check finds pieces without a locked unit's households (``status`` ``locked``)."""
    g2l, grp = hix.g2l, hix.grp
    at = np.flatnonzero(g2l >= 0)
    key = np.zeros(graph.n, dtype=np.int64)
    key[at] = grp[g2l[at]]
    zone = node_zones(graph.n, at, hix.w[g2l[at]], s.hi)
    gu, gv, cw = island_links(graph, s.join_limit_min, key, zone)
    cu, cv = g2l[gu], g2l[gv]
    k = (cu >= 0) & (cv >= 0)
    cu, cv, cw = cu[k], cv[k], cw[k]
    o = np.lexsort((np.maximum(cu, cv), np.minimum(cu, cv), cw))
    cu, cv, cw = np.minimum(cu, cv)[o], np.maximum(cu, cv)[o], cw[o]
    root = np.arange(int(comp.max()) + 1 if len(comp) else 0)
    tot = np.bincount(comp, weights=hix.w).astype(np.int64)

    def find(x: int) -> int:
        while root[x] != x:
            root[x] = root[root[x]]
            x = int(root[x])
        return x

    made: list[tuple[int, int, float]] = []
    while True:
        cur = np.array([find(int(x)) for x in range(len(root))], dtype=np.int64)
        ctot = np.bincount(cur, weights=tot, minlength=len(root)).astype(np.int64)
        bad = ~feasible(ctot, s.lo, s.hi)
        a, b = cur[comp[cu]], cur[comp[cv]]
        cand = np.flatnonzero((a != b) & (bad[a] | bad[b]))
        if not len(cand):
            break
        j = int(cand[0])
        root[int(a[j])] = int(b[j])
        made.append((int(cu[j]), int(cv[j]), float(cw[j])))
    return np.array(made, dtype=float).reshape(-1, 3)


def _settlements(hix: HouseholdIndex, graph: TerrainGraph, rep: np.ndarray, eu: np.ndarray, ev: np.ndarray,
                 ew: np.ndarray, s: Settings) -> np.ndarray:
    """Settlement name of each node: the given column (of the node's first household), else detected."""
    hh, col = hix.frame, s.settlement_col
    if col in hh.columns and hh[col].notna().any():
        return hh[col].astype(object).where(hh[col].notna(), None).to_numpy()[rep]
    m = len(rep)
    sub = TerrainGraph(crs=graph.crs, ids=hix.ids[rep], xy=np.zeros((m, 2)), u=eu, v=ev,
                       length_m=np.zeros(len(eu)), walk_min=ew)
    return detect_settlements(sub, s.settlement_walk_min).to_numpy(dtype=object)
