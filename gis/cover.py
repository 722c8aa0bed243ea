"""Service points: who is within how many minutes' walk, and where the points should go.

The numeric core of ``yuanluo cover``. Walking follows the household graph (:class:`~yuanluo.gis.graph.TerrainGraph`:
directional Tobler times over the DEM, rivers crossed only at bridges). Candidate sites — a layer of halls and
village committees, or the households' own locations — join the graph at their nearest household node, with the
straight walk to it at flat speed; given the barriers the graph was cut by, at the nearest household on their own
side of a river or water body (a bridge within the tolerance lets the straight walk cross, as it lets an edge).

Everything is sparse: walking minutes from households to points come from one multi-source Dijkstra on the
reversed graph (never a households × sites matrix), and coverage within a limit is a list of (household, site,
minutes) entries computed site by site in chunks with a cut-off.

Siting, each answer with its quality (``Siting.bound`` and ``gap``; the gap is 0 where exact):

* :func:`one_median` — the best single point for a group of households (exact, by enumeration of the candidates);
* :func:`p_median` — ``p`` points minimising total walking (exact MILP with HiGHS on small instances; otherwise lazy
  greedy addition, location–allocation and fast interchange, with the Lagrangian lower bound);
* :func:`max_cover` — ``p`` points covering the most households within a limit (exact MILP on small instances;
  otherwise greedy with exact gain updates and one swap pass, LP relaxation bound with HiGHS);
* :func:`set_cover` — the fewest points that put every coverable household within the limit (greedy and
  redundancy removal; exact MILP when small; LP bound otherwise).

Sketch of the 5-household path used in the examples (60 m apart, 0.9 min per edge at 4 km/h)::

    h0 - h1 - h2 - h3 - h4

Examples
--------
>>> from yuanluo.gis.graph import TerrainGraph
>>> g = TerrainGraph.from_edges([f"h{i}" for i in range(5)], [[60 * i, 0] for i in range(5)],
...                             [(i, i + 1) for i in range(4)], crs="EPSG:4545")
>>> net = service_network(g)                      # every household location is a candidate
>>> minutes, site = walk_to_nearest(net, [0, 3])  # points at h0 and h3
>>> minutes.round(2).tolist(), site.tolist()
([0.0, 0.9, 0.9, 0.0, 0.9], [0, 0, 3, 3, 3])
>>> one_median(cover_entries(net, 10.0)).chosen.tolist()
[2]
"""

from __future__ import annotations

import heapq
import math
import numbers
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from yuanluo.gis.errors import InputError, given_name, problem, warn_problems
from yuanluo.gis.exact import highs_milp
from yuanluo.gis.graph import TerrainGraph, length_joins

__all__ = [
    "ServiceNetwork",
    "CoverEntries",
    "Siting",
    "service_network",
    "far_sites",
    "walk_to_nearest",
    "cover_entries",
    "one_median",
    "p_median",
    "max_cover",
    "set_cover",
    "subset",
    "hubs_by_group",
    "WalkSums",
    "walk_sums",
    "walk_sums_levels",
    "median_by_group",
    "p_median_walk",
    "coverage_table",
    "band_edges",
    "walking_limit",
    "BANDS",
]

#: flat walking speed (km/h) for the straight walk from a site to the graph
FLAT_KMH = 4.0
#: sources per Dijkstra call when coverage is computed (memory: chunk × nodes × 8 bytes)
CHUNK = 64
#: a walk shorter than this (minutes) is 0: a site on a house joins it by a 1e-9 edge, and so do households at one spot
ZERO_MIN = 1e-6
#: walks are settled to this many decimals of a minute (ZERO_MIN, 0.06 ms): the 1e-9 edges of a site on a house
#: and of households at one spot are not walking, so a walk of 15 minutes from a hub on a house is 15, within a
#: limit of 15, and not 15.000000001 beyond it (:func:`walk_to_nearest`, :func:`cover_entries` alike)
MINUTE_DECIMALS = 6
#: exact MILPs are tried up to this many (household row, site) entries
EXACT_MAX_ENTRIES = 60_000
#: the exact p-median MILP (one variable and one linking row per entry) up to this many entries
EXACT_PMEDIAN_ENTRIES = 25_000
#: subgradient steps of the p-median's Lagrangian bound
LAGRANGE_ITERATIONS = 500
#: the real-walk p-median (:func:`p_median_walk`) widens its radius only while its pairs stay within this many
#: (memory about 100 bytes each); past it the answer is the best real walk found, with the bound and gap proven
MEDIAN_MAX_ENTRIES = 2_500_000
#: branch-and-bound node limit of the exact MILPs (a node limit, never a time limit: deterministic)
NODE_LIMIT = 20_000


@dataclass(frozen=True)
class ServiceNetwork:
    """The household graph with the candidate sites attached as extra nodes.

    Attributes
    ----------
    n : int
        Households (graph nodes ``0 … n-1``); site ``j`` is node ``n + j``.
    site_ids : ndarray of str
        Site ids, in candidate order.
    site_xy : ndarray of float, shape (k, 2)
        Site coordinates in the graph's CRS.
    snap_m : ndarray of float
        Straight distance from each site to the household node it joins (0 for household sites).
    reverse : scipy.sparse.csr_matrix
        Reversed walking graph, ``reverse[a, b]`` = minutes to walk from ``b`` to ``a``: a Dijkstra from the sites
        over it gives every household's walk *to* the sites (uphill and downhill differ).
    reachable : ndarray of bool
        Whether the site is attached to the graph (within ``max_snap_m`` of a household, on its side of the
        barriers when they were given).
    node : ndarray of int, optional
        The household node each site joins (for a site not attached: its nearest household by straight distance).
    across : ndarray of str, optional
        ``"river"`` or ``"water"`` for a site not attached because every household within ``max_snap_m`` lies
        across a river or water body without a bridge (``snap_m`` is then the straight distance to the nearest of
        them); ``""`` otherwise.
    """

    n: int
    site_ids: np.ndarray
    site_xy: np.ndarray
    snap_m: np.ndarray
    reverse: sp.csr_matrix
    reachable: np.ndarray
    node: np.ndarray | None = None
    across: np.ndarray | None = None

    @property
    def k(self) -> int:
        return len(self.site_ids)

    def __repr__(self) -> str:
        """A short repr, as :class:`Siting`'s: households, sites (the first few ids), how many are attached and
        why the others are not (more than ``max_snap_m`` away, or across a river or water body).

        >>> from yuanluo.gis.graph import TerrainGraph
        >>> import warnings
        >>> g = TerrainGraph.from_edges(["a", "b"], [[0, 0], [60, 0]], [(0, 1)], crs="EPSG:4545")
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")  # (COVER-SITE-FAR: S2)
        ...     service_network(g, [[10, 0], [5000, 0]])
        ServiceNetwork(n=2, sites=2 ['S1', 'S2'], attached=1, far=1, across=0)
        """
        first = [str(i) for i in np.asarray(self.site_ids)[:5]]
        across = int((np.asarray(self.across) != "").sum()) if self.across is not None else 0
        return (f"ServiceNetwork(n={self.n}, sites={self.k} {first}{' …' if self.k > 5 else ''}, "
                f"attached={int(np.asarray(self.reachable).sum())}, "
                f"far={self.k - int(np.asarray(self.reachable).sum()) - across}, across={across})")


@dataclass(frozen=True)
class CoverEntries:
    """Households × sites within a walking limit, as sparse entries (no dense matrix is ever built).

    ``hh``, ``site`` and ``minutes`` are parallel arrays sorted by (site, household); ``n`` households and ``k``
    sites in all; ``limit_min`` the cut-off used.
    """

    hh: np.ndarray
    site: np.ndarray
    minutes: np.ndarray
    n: int
    k: int
    limit_min: float

    def __repr__(self) -> str:
        """A short repr: the pairs within the limit, of how many households and sites.

        >>> CoverEntries(np.array([0, 1]), np.array([0, 0]), np.array([0.0, 0.9]), 2, 1, 15.0)
        CoverEntries(pairs=2, n=2, k=1, limit_min=15, households_within=2)
        """
        return (f"CoverEntries(pairs={len(self.hh)}, n={self.n}, k={self.k}, limit_min={self.limit_min:g}, "
                f"households_within={len(np.unique(self.hh))})")

    def matrix(self) -> sp.csc_matrix:
        """Boolean coverage matrix, households × sites (CSC: one column per site)."""
        ones = np.ones(len(self.hh), dtype=bool)
        return sp.csc_matrix((ones, (self.hh, self.site)), shape=(self.n, self.k))


@dataclass(frozen=True)
class Siting:
    """Chosen sites and the quality of the answer.

    ``objective`` is what the method optimises (total walking minutes, households covered, or points); ``bound``
    is a proven bound on the best possible value (a lower bound when minimising, an upper bound on the households
    covered for :func:`max_cover`); ``gap`` is their relative difference (0 when solved exactly). ``method`` says
    how it was found; ``uncovered`` lists the households no chosen site reaches within the limit.
    """

    chosen: np.ndarray
    objective: float
    bound: float
    gap: float
    method: str
    uncovered: np.ndarray

    def __repr__(self) -> str:
        """A short repr: the sites chosen (their count and the first few), the answer's quality, uncovered count."""
        first = [int(c) for c in np.asarray(self.chosen)[:5]]
        return (f"Siting(chosen={len(self.chosen)} {first}{' …' if len(self.chosen) > 5 else ''}, "
                f"objective={self.objective:g}, bound={self.bound:g}, gap={self.gap:g}, method={self.method!r}, "
                f"uncovered={len(self.uncovered)})")


# ---------------------------------------------------------------------------------------------- network
class SiteLeftOutWarning(UserWarning):
    """A given site no one can walk to, left out of the walking network (COVER-SITE-FAR, COVER-SITE-ACROSS), as
    :func:`service_network` says it to a caller from Python; the command line says the same sites by the option
    that gave them, and silences this category only."""


def service_network(
    graph: TerrainGraph,
    site_xy: Any = None,
    site_ids: Any = None,
    *,
    max_snap_m: float = 300.0,
    join_limit: float | None = None,
    barriers: Any = None,
    bridge_tolerance_m: float = 25.0,
) -> ServiceNetwork:
    """Attach candidate sites to the household graph.

    Parameters
    ----------
    graph : TerrainGraph
        The household graph (working CRS, metres).
    site_xy : array (k, 2), or points, optional
        Site coordinates in the graph's CRS, or a GeoDataFrame or GeoSeries of points (such as a layer of halls
        read by :func:`yuanluo.read_layer`), reprojected to the graph's CRS where they declare another
        (:func:`_site_points`). Default: every household location is a candidate (site ``j`` is household ``j``).
    site_ids : sequence of str, optional
        Site ids (default: a layer's own ids, :func:`layer_site_ids`; else ``S1 … Sk``; the household ids when the
        sites are the households).
    max_snap_m : float
        A site farther than this from every household is not attached (``reachable`` False).
    join_limit : float, optional
        Walk across the edges pruned only for their length within this many minutes (``Rules.join_limit_min``),
        the same minutes both ways, as a delineation joins an isolated hamlet over one and its households walk
        across it (:func:`yuanluo.gis.graph.length_joins`).
    barriers : BarrierLayers, optional
        The rivers and water the graph was cut by (:func:`yuanluo.gis.barriers.prepare_barriers`): a site joins
        the nearest household its straight walk reaches without crossing them unbridged
        (:func:`yuanluo.gis.barriers.cut_edges`, ``bridge_tolerance_m`` as for the graph's edges), so a hall on
        the far bank is walked to by the far bank's households, not across the river; a site with every household
        within ``max_snap_m`` across them is not attached (``across`` says why).

    A bad argument is a coded error, before any work: ``COVER-TYPE`` (no graph), ``COVER-LIMIT`` (a negative or NaN
    ``max_snap_m`` or ``join_limit``), ``COVER-SITE-XY`` (``site_xy`` not finite X, Y pairs), ``COVER-SITES``.
    Given sites that no household can walk to are said as the command line says them (:func:`far_sites`), each a
    :class:`SiteLeftOutWarning` (a :class:`UserWarning`): ``COVER-SITE-FAR`` (most often longitude and latitude given to a graph in metres, some
    thousand kilometres off), ``COVER-SITE-ACROSS``.

    >>> import warnings
    >>> g = TerrainGraph.from_edges(["a", "b"], [[500_000, 3_380_000], [500_060, 3_380_000]], [(0, 1)],
    ...                             crs="EPSG:4545")  # in metres; a site in longitude and latitude is 3,417 km off
    >>> with warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter("always")
    ...     net = service_network(g, [[500_010, 3_380_000], [104.1, 30.6]])
    >>> print(str(seen[0].message).split("。")[0])
    警告 COVER-SITE-FAR：以 “site_xy=” 给出的点中有 1 个离最近的农户也超过 300 米（最近的 3416737 米），走不到，未接入步行网络（S2）
    """
    _require(graph, TerrainGraph, "service_network", "graph")
    max_snap_m = _limit(max_snap_m, "max_snap_m")
    if join_limit is not None:
        join_limit = _limit(join_limit, "join_limit")
    n = graph.n
    if site_xy is None:
        xy = graph.xy
        ids = graph.ids.astype(str) if site_ids is None else np.asarray(site_ids).astype(str)
    else:
        own = layer_site_ids(site_xy) if site_ids is None else None
        site_xy = _site_points(site_xy, graph)
        xy = _site_xy(site_xy)
        ids = (np.asarray(site_ids).astype(str) if site_ids is not None else own if own is not None and len(own) == len(xy)
               else np.array([f"S{j + 1}" for j in range(len(xy))]))
    if len(ids) != len(xy):
        raise InputError(problem("COVER-SITES", detail=f"{len(ids)} != {len(xy)}"))
    dist, near = cKDTree(graph.xy).query(xy, k=1) if n else (np.full(len(xy), np.inf), np.zeros(len(xy), int))
    dist, near = np.asarray(dist, dtype=float), np.asarray(near, dtype=np.int64)
    across = np.full(len(xy), "", dtype=object)
    if barriers is not None and site_xy is not None and n:
        dist, near, across = _snap_own_side(graph.xy, xy, dist, near, barriers, max_snap_m, bridge_tolerance_m)
    reachable = (dist <= max_snap_m) & (across == "")
    k = len(xy)
    sites = np.flatnonzero(reachable)
    offset = np.asarray(dist)[sites] / (FLAT_KMH * 1000.0 / 60.0)
    offset = np.where(offset > 0, offset, 1e-9)  # explicit entries even for a site on a house
    assert graph.walk_uv is not None and graph.walk_vu is not None
    # forward[a, b] = minutes a -> b; reverse is its transpose
    ju, jv, jw = length_joins(graph, join_limit) if join_limit is not None else (np.zeros(0, np.int64),) * 2 + (
        np.zeros(0),)
    rows = np.r_[graph.u, graph.v, ju, jv, np.asarray(near)[sites], n + sites]
    cols = np.r_[graph.v, graph.u, jv, ju, n + sites, np.asarray(near)[sites]]
    w = np.r_[graph.walk_uv, graph.walk_vu, jw, jw, offset, offset]
    w = np.where(w > 0, w, 1e-9)
    forward = sp.coo_matrix((w, (rows, cols)), shape=(n + k, n + k)).tocsr()
    net = ServiceNetwork(n=n, site_ids=ids, site_xy=np.asarray(xy, dtype=float), snap_m=dist, reverse=forward.T.tocsr(),
                         reachable=reachable, node=near, across=across)
    if site_xy is not None:  # the given sites no one walks to, said as the command line says them
        warn_problems(far_sites(net, range(k), "site_xy", max_snap_m), SiteLeftOutWarning)  # in YUANLUO_LANG
    return net


def _metres(value: float) -> str:
    """Whole metres, as the command line has always said the nearest of the points left out ("—": no household)."""
    return f"{int(np.round(value))}" if np.isfinite(value) else "—"


def far_sites(net: ServiceNetwork, sites: Any, option: str, max_snap_m: float) -> list[Any]:
    """The one maker of ``COVER-SITE-FAR`` and ``COVER-SITE-ACROSS`` (warnings) for the sites at positions ``sites``
    of ``net`` given as ``option`` (``"--fixed"``, ``"--candidates"``; ``"site_xy"`` in :func:`service_network`)
    that are not attached: farther than ``max_snap_m`` from every household (no one walks to them: most often a
    point in another coordinate system, or in the wrong place), or with every household that near across a river
    or water body without a bridge; each said by name (the first eight) and, when far, the nearest of them.

    >>> import warnings
    >>> g = TerrainGraph.from_edges(["a", "b"], [[0, 0], [60, 0]], [(0, 1)], crs="EPSG:4545")
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # (service_network says it too)
    ...     net = service_network(g, [[10, 0], [5000, 0]])
    >>> [(p.code, p.params["names"], p.params["nearest"]) for p in far_sites(net, range(2), "--fixed", 300.0)]
    [('COVER-SITE-FAR', ['S2'], '4940')]
    >>> far_sites(net, range(1), "--fixed", 300.0)
    []
    """
    pos = np.asarray(list(sites), dtype=np.int64)
    out = np.asarray(net.reachable, dtype=bool)[pos] if len(pos) else np.zeros(0, dtype=bool)
    pos = pos[~out]
    across = np.asarray(net.across, dtype=object)[pos] if net.across is not None else np.full(len(pos), "", object)
    metres = f"{max_snap_m:g}"
    found: list[Any] = []
    far = pos[across == ""]
    if len(far):
        found.append(problem("COVER-SITE-FAR", severity="warning", option=option, count=len(far),
                             names=[str(n) for n in np.asarray(net.site_ids)[far[:8]]], metres=metres,
                             nearest=_metres(np.asarray(net.snap_m, dtype=float)[far].min())))
    cut = pos[across != ""]
    if len(cut):  # households near, but all on the other bank: the point is wrong, or a bridge is missing
        found.append(problem("COVER-SITE-ACROSS", severity="warning", option=option, count=len(cut),
                             names=[str(n) for n in np.asarray(net.site_ids)[cut[:8]]], metres=metres))
    return found


def _snap_own_side(hh_xy: np.ndarray, xy: np.ndarray, dist: np.ndarray, near: np.ndarray, barriers: Any,
                   max_snap_m: float, bridge_tolerance_m: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each site's household to join, its straight distance, and why none (``across``): the nearest household
    within ``max_snap_m`` whose straight line to the site crosses no river or water without a bridge. Only the
    sites whose nearest household is across are searched further (the households within ``max_snap_m``, nearest
    first); one with none on its side keeps its nearest household and distance, and says the barrier.

    >>> from shapely import LineString
    >>> from yuanluo.gis.barriers import prepare_barriers
    >>> b = prepare_barriers("EPSG:32631", rivers=[LineString([(0, -500), (0, 500)])])
    >>> hh = np.array([[-10.0, 0.0], [200.0, 0.0]])
    >>> site = np.array([[20.0, 0.0], [20.0, 400.0]])
    >>> d, n, a = _snap_own_side(hh, site, np.array([30.0, 400.1]), np.array([0, 0]), b, 300.0, 25.0)
    >>> d.round(1).tolist(), n.tolist(), a.tolist()
    ([180.0, 400.1], [1, 0], ['', ''])
    >>> _snap_own_side(hh[:1], site[:1], np.array([30.0]), np.array([0]), b, 300.0, 25.0)[2].tolist()
    ['river']
    """
    from yuanluo.gis.barriers import cut_edges

    dist, near = dist.copy(), near.copy()
    across = np.full(len(xy), "", dtype=object)
    check = np.flatnonzero(dist <= max_snap_m)
    if not len(check):
        return dist, near, across
    reason = cut_edges(xy[check], hh_xy[near[check]], barriers, bridge_tolerance_m=bridge_tolerance_m)
    tree = cKDTree(hh_xy)
    for j, why in zip(check.tolist(), reason.tolist(), strict=True):
        if not why:
            continue
        idx = np.asarray(tree.query_ball_point(xy[j], r=max_snap_m), dtype=np.int64)
        d = np.hypot(*(hh_xy[idx] - xy[j]).T)
        order = np.lexsort((idx, d))  # nearest first, ties by node: the same answer every run
        idx, d = idx[order], d[order]
        _, first = np.unique(hh_xy[idx], axis=0, return_index=True)  # one test per location
        first = np.sort(first)
        ok = cut_edges(np.repeat(xy[j][None, :], len(first), axis=0), hh_xy[idx[first]], barriers,
                       bridge_tolerance_m=bridge_tolerance_m) == ""
        if ok.any():
            at = first[int(np.argmax(ok))]
            near[j], dist[j] = idx[at], d[at]
        else:
            across[j] = why
    return dist, near, across


def walk_to_nearest(net: ServiceNetwork, open_sites: Any) -> tuple[np.ndarray, np.ndarray]:
    """Walking minutes from every household to its nearest open site, and which site (``-1``: none reachable).

    One multi-source Dijkstra over the reversed graph: memory and time linear in the graph, whatever the number
    of sites.
    """
    _require(net, ServiceNetwork, "walk_to_nearest", "net")
    sites = _site_positions(open_sites, net.k, "open_sites")
    sites = sites[net.reachable[sites]] if len(sites) else sites
    if len(sites) == 0:
        return np.full(net.n, np.inf), np.full(net.n, -1, dtype=np.int64)
    dist, _, src = dijkstra(net.reverse, directed=True, indices=net.n + sites, min_only=True,
                            return_predecessors=True)
    minutes = np.asarray(dist[: net.n], dtype=float)
    site = np.where(np.isfinite(minutes), np.asarray(src[: net.n]) - net.n, -1).astype(np.int64)
    return _settled(minutes), site


def _settled(minutes: np.ndarray) -> np.ndarray:
    """Walking minutes without the 1e-9 edges' noise: under :data:`ZERO_MIN` 0, else to :data:`MINUTE_DECIMALS`
    decimals (far below any figure shown: a display rounds again, to 0.1 or 0.01)."""
    return np.round(np.where(minutes < ZERO_MIN, 0.0, minutes), MINUTE_DECIMALS)


def cover_entries(net: ServiceNetwork, limit_min: float, sites: Any = None, *, chunk: int = CHUNK) -> CoverEntries:
    """Every (household, site) pair within ``limit_min`` minutes' walk, computed site by site with a cut-off.

    Examples
    --------
    >>> from yuanluo.gis.graph import TerrainGraph
    >>> g = TerrainGraph.from_edges(["a", "b", "c"], [[0, 0], [60, 0], [120, 0]], [(0, 1), (1, 2)],
    ...                             crs="EPSG:4545")
    >>> e = cover_entries(service_network(g), 1.0)
    >>> list(zip(e.hh.tolist(), e.site.tolist()))
    [(0, 0), (1, 0), (0, 1), (1, 1), (2, 1), (1, 2), (2, 2)]

    A pair is within the limit when its walk is at most ``limit_min``, a walk under :data:`ZERO_MIN` counting as 0
    (as :func:`walk_to_nearest` gives it, and ``yuanluo cover`` counts a household served at a walk up to its limit):
    a limit of 0 keeps the households standing at a site, which walk 0 minutes.

    >>> e0 = cover_entries(service_network(g), 0.0)
    >>> list(zip(e0.hh.tolist(), e0.site.tolist())), e0.minutes.tolist()
    ([(0, 0), (1, 1), (2, 2)], [0.0, 0.0, 0.0])

    A limit that is not a finite number of minutes, at least 0, is ``COVER-LIMIT`` (a NaN would reach no one);
    ``chunk``, the sites walked from at once, not a whole number of at least 1 is ``COVER-CHUNK``.
    """
    _require(net, ServiceNetwork, "cover_entries", "net")
    limit_min = _limit(limit_min, "limit_min")
    step = _whole(chunk)
    if step is None or step < 1:
        raise InputError(problem("COVER-CHUNK", given=given_name(chunk), default=CHUNK))
    idx = np.arange(net.k) if sites is None else _site_positions(sites, net.k, "sites")
    out = _entries(net, limit_min, idx, step, None)
    assert out is not None
    return out


def _entries(net: ServiceNetwork, limit_min: float, idx: np.ndarray, step: int,
             budget: int | None) -> CoverEntries | None:
    """:func:`cover_entries` of the sites ``idx``; None as soon as there are more than ``budget`` entries."""
    idx = idx[net.reachable[idx]]
    hh_parts, site_parts, min_parts = [], [], []
    count = 0
    for start in range(0, len(idx), step):
        block = idx[start:start + step]
        # walked a little past the limit (a site on a house is joined by a 1e-9 edge), then cut at the limit
        d = dijkstra(net.reverse, directed=True, indices=net.n + block, limit=limit_min + ZERO_MIN)[:, : net.n]
        d = _settled(d)  # the walks walk_to_nearest gives: one figure counted within the limit everywhere
        r, c = np.nonzero(d <= limit_min)
        hh_parts.append(c)
        site_parts.append(block[r])
        min_parts.append(d[r, c])
        count += len(c)
        if budget is not None and count > budget:
            return None
    return CoverEntries(hh=_cat(hh_parts, np.int64), site=_cat(site_parts, np.int64),
                        minutes=_cat(min_parts, np.float64), n=net.n, k=net.k, limit_min=float(limit_min))


def _cat(parts: list[np.ndarray], dtype: Any) -> np.ndarray:
    return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)


# ---------------------------------------------------------------------------------------------- arguments
#: what makes each argument type, as COVER-TYPE's fix names it
_MAKERS = {TerrainGraph: "yuanluo.build_graph(households, …)", ServiceNetwork: "service_network(graph)",
           CoverEntries: "cover_entries(net, limit_min)"}


def _require(value: Any, kind: type, function: str, argument: str) -> None:
    """``COVER-TYPE`` unless ``value`` is a ``kind`` (no graph, the network and the entries swapped …)."""
    if not isinstance(value, kind):
        raise InputError(problem("COVER-TYPE", function=function, argument=argument, expected=kind.__name__,
                                 given=given_name(value), maker=_MAKERS[kind]))


def _whole(x: Any) -> int | None:
    """``x`` as an int when it is a whole number (``3``, ``np.int64(3)``, ``3.0``; not ``True``), else None."""
    if isinstance(x, bool | np.bool_):
        return None
    if isinstance(x, numbers.Integral):
        return int(x)
    if isinstance(x, numbers.Real) and math.isfinite(float(x)) and float(x).is_integer():
        return int(float(x))
    return None


def _count(p: Any, fixed: int, least: int, most: int) -> int:
    """A number of points, a whole number from ``least`` to ``most`` (``COVER-P``; ``fixed`` of the ``most``
    candidates are fixed)."""
    q = _whole(p)
    if q is None or not least <= q <= most:
        raise InputError(problem("COVER-P", p=given_name(p) if q is None else q, k=most, fixed=fixed, least=least))
    return q


def _limit(value: Any, argument: str) -> float:
    """A walking limit (minutes) or a distance (metres): a finite number, at least 0 (``COVER-LIMIT``)."""
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)
    if not ok or not math.isfinite(float(value)) or float(value) < 0:
        raise InputError(problem("COVER-LIMIT", argument=argument, given=given_name(value)))
    return float(value)


def _site_positions(value: Any, k: int, argument: str) -> np.ndarray:
    """Candidate site positions ``0 … k-1`` as int64 (``COVER-SITE-INDEX`` naming the first bad ones)."""
    arr = np.asarray(value if not isinstance(value, str) else [value])
    arr = arr.reshape(-1)
    if arr.dtype.kind in "iu":
        bad = arr[(arr < 0) | (arr >= k)].tolist()
        out = arr.astype(np.int64)
    else:
        whole = [_whole(x) for x in arr.tolist()]
        bad = [x for x, q in zip(arr.tolist(), whole, strict=True) if q is None or not 0 <= q < k]
        out = np.array([q for q in whole if q is not None], dtype=np.int64)
    if bad:
        raise InputError(problem("COVER-SITE-INDEX", argument=argument, last=k - 1,
                                 given=[given_name(x) for x in bad[:5]] + (["…"] if len(bad) > 5 else [])))
    return out


#: The columns a layer of sites is named by (:func:`layer_site_ids`), in this order: an id column, then the name
#: columns the command line names its points by (:data:`yuanluo.gis.io.POINT_NAME_COLUMNS`: 名称, name …).
SITE_ID_COLUMNS = ("site_id", "id", "ID", "编号")


def layer_site_ids(value: Any) -> np.ndarray | None:
    """The ids of sites given as a layer (a GeoDataFrame): the first of :data:`SITE_ID_COLUMNS`, then of the name
    columns (名称, name …), filled in every row with no two alike (ids a result can be read by), as text; else None
    (``service_network`` then numbers them ``S1 … Sk``).

    >>> import geopandas as gpd
    >>> pts = gpd.GeoDataFrame({"名称": ["村委会", "院坝"], "编号": [7, None]}, geometry=gpd.points_from_xy([0, 1], [0, 0]))
    >>> layer_site_ids(pts).tolist(), layer_site_ids(pts.assign(名称=["院坝", "院坝"]))
    (['村委会', '院坝'], None)
    """
    import geopandas as gpd

    from yuanluo.gis.io import POINT_NAME_COLUMNS

    if not isinstance(value, gpd.GeoDataFrame):
        return None
    for col in (*SITE_ID_COLUMNS, *POINT_NAME_COLUMNS):
        if col not in value.columns:
            continue
        cells = value[col]
        if cells.isna().any():
            continue
        ids = cells.map(lambda v: str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)).str.strip()
        if (ids != "").all() and not ids.duplicated().any():
            return ids.to_numpy(dtype=str)
    return None


def _site_points(value: Any, graph: TerrainGraph) -> Any:
    """Sites given as a GeoDataFrame or GeoSeries of points, as (k, 2) coordinates in the graph's CRS; anything
    else as it is. A layer without a CRS is ``CRS-UNSET``; one holding other shapes than points
    ``COVER-SITE-XY`` naming them.

    >>> import geopandas as gpd
    >>> g = TerrainGraph.from_edges(["a", "b"], [[0, 0], [60, 0]], [(0, 1)], crs="EPSG:4545")
    >>> pts = gpd.GeoSeries(gpd.points_from_xy([10.0], [0.0]), crs="EPSG:4545")
    >>> _site_points(pts, g).tolist(), _site_points(pts.to_crs("EPSG:4490"), g).round(3).tolist()
    ([[10.0, 0.0]], [[10.0, 0.0]])
    """
    import geopandas as gpd

    from yuanluo.gis.crs import require_crs

    if not isinstance(value, gpd.GeoDataFrame | gpd.GeoSeries):
        return value
    require_crs(value, "site_xy", "sites")
    geoms = value.geometry.to_crs(graph.crs) if graph.crs is not None else value.geometry
    kinds = geoms.geom_type.fillna("None")
    if (kinds != "Point").any():
        raise InputError(problem("COVER-SITE-XY", given=sorted(set(kinds[kinds != "Point"]))))
    return np.column_stack([geoms.x.to_numpy(dtype=float), geoms.y.to_numpy(dtype=float)]).reshape(-1, 2)


def _site_xy(value: Any) -> np.ndarray:
    """Site coordinates, finite (x, y) pairs, or one pair (``COVER-SITE-XY`` naming the bad rows, or the value when
    it is no such table)."""
    try:
        xy = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        xy = None
    if xy is None or not (xy.ndim == 2 and xy.shape[1] == 2 or xy.shape == (2,) or xy.size == 0):
        raise InputError(problem("COVER-SITE-XY", given=repr(np.asarray(value, dtype=object).tolist())[:60]))
    xy = xy.reshape(-1, 2)
    bad = np.flatnonzero(~np.isfinite(xy).all(axis=1))
    if len(bad):
        raise InputError(problem("COVER-SITE-XY", given=[f"site_xy[{i}] = {xy[i].tolist()}" for i in bad[:5]]
                                 + (["…"] if len(bad) > 5 else [])))
    return xy


def _one_value(value: Any, n: int, argument: str) -> InputError:
    """``COVER-PER-HH`` for one value given where ``argument`` takes one per household (``n``): a column's name
    (its fix: pass the column itself), or one number or a table (variant ``value``)."""
    p = problem("COVER-PER-HH", argument=argument, n=n, given=given_name(value))
    return InputError(p if isinstance(value, str) else replace(p, variant="value"))


def _per_household(value: Any, n: int, argument: str) -> np.ndarray:
    """One value per household, as an object array (``COVER-LENGTH``; a single value, such as a column's name
    given for the column, ``COVER-PER-HH``).

    >>> try:
    ...     _per_household("group", 3, "groups")
    ... except InputError as e:
    ...     print(e.problems[0].message("en"))
    Error COVER-PER-HH: groups must hold one value per household (3 households); 'group' was given.
      Fix: pass the column itself, such as households['group'], not its name; or give one value per household, in the order of the household table the graph was built from.
    """
    arr = np.asarray(value, dtype=object)
    if arr.ndim != 1:
        raise _one_value(value, n, argument)
    if len(arr) != n:
        raise InputError(problem("COVER-LENGTH", argument=argument, n=n, given=len(arr)))
    return arr


def _bands(value: Any) -> tuple[float, ...]:
    """Walking bands (upper edges, minutes): one or more finite numbers of at least 0, sorted, each once
    (``COVER-BANDS`` naming the bad ones, or the value when it holds none)."""
    def minutes(x: Any) -> bool:
        return isinstance(x, numbers.Real) and not isinstance(x, bool | np.bool_) and math.isfinite(float(x)) \
            and float(x) >= 0

    if isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_):
        items = [value]
    elif isinstance(value, str | bytes) or not hasattr(value, "__iter__"):
        items = []
    else:
        items = list(np.asarray(list(value), dtype=object).reshape(-1).tolist())
    bad = [x for x in items if not minutes(x)]
    if bad or not items:
        given = [given_name(x) for x in bad[:5]] + (["…"] if len(bad) > 5 else []) if bad else \
            repr(value)[:60] if isinstance(value, list | tuple) else given_name(value)
        raise InputError(problem("COVER-BANDS", given=given))
    return tuple(sorted({float(x) for x in items}))


def _household_mask(value: Any, n: int) -> np.ndarray:
    """Households given as a boolean mask (one per household, ``COVER-LENGTH``) or positions ``0 … n-1``
    (``COVER-HH-INDEX``), as a boolean mask."""
    arr = np.asarray(value).reshape(-1)
    if arr.dtype.kind == "b":
        if len(arr) != n:
            raise InputError(problem("COVER-LENGTH", argument="households", n=n, given=len(arr)))
        return arr.copy()
    whole = [_whole(x) for x in arr.tolist()] if arr.dtype.kind not in "iu" else arr.tolist()
    bad = [x for x, q in zip(arr.tolist(), whole, strict=True) if q is None or not 0 <= q < n]
    if bad:
        raise InputError(problem("COVER-HH-INDEX", last=n - 1,
                                 given=[given_name(x) for x in bad[:5]] + (["…"] if len(bad) > 5 else [])))
    mask = np.zeros(n, dtype=bool)
    mask[np.asarray(whole, dtype=np.int64)] = True
    return mask


# ---------------------------------------------------------------------------------------------- helpers
def _weights(n: int, weights: Any) -> np.ndarray:
    """``n`` household weights, non-negative and finite (``COVER-WEIGHTS``; given as a column's name, its fix says
    to pass the column).

    >>> try:
    ...     _weights(2, "persons")
    ... except InputError as e:
    ...     print(e.problems[0].fix("en"))
    pass the column itself, such as weights=households['persons'], not its name.
    """
    if isinstance(weights, str):
        raise InputError(replace(problem("COVER-WEIGHTS", count=n, given=given_name(weights)), variant="name"))
    try:
        w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    except (TypeError, ValueError):  # text among them, or a None: not numbers
        w = np.full(n, np.nan)
    if w.shape != (n,) or not np.all(np.isfinite(w)) or (w < 0).any():
        raise InputError(problem("COVER-WEIGHTS", count=n))
    return w


def _gap(objective: float, bound: float) -> float:
    if objective == bound:
        return 0.0
    return abs(objective - bound) / max(abs(objective), 1e-12)


def _merge_rows(a: sp.csr_matrix, w: np.ndarray) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """Households covered by exactly the same sites become one row (weights summed); returns the merged matrix,
    its weights and each household's row."""
    a = a.tocsr()
    a.sort_indices()
    keys = [a.indices[a.indptr[i]:a.indptr[i + 1]].tobytes() for i in range(a.shape[0])]
    uniq: dict[bytes, int] = {}
    row_of = np.fromiter((uniq.setdefault(k, len(uniq)) for k in keys), dtype=np.int64, count=len(keys))
    first = np.full(len(uniq), -1, dtype=np.int64)
    first[row_of[::-1]] = np.arange(len(keys))[::-1]
    merged_w = np.bincount(row_of, weights=w, minlength=len(uniq))
    return a[first], merged_w, row_of


def _covered_by(a_csc: sp.csc_matrix, chosen: np.ndarray) -> np.ndarray:
    count = np.asarray(a_csc[:, chosen].sum(axis=1)).ravel() if len(chosen) else np.zeros(a_csc.shape[0])
    return count > 0


def _greedy_cover(a_csc: sp.csc_matrix, w: np.ndarray, fixed: np.ndarray, p: int | None) -> np.ndarray:
    """Greedy maximal coverage: add the site covering the most uncovered weight (ties: lowest index) until ``p``
    sites are chosen (or, with ``p`` None, until nothing more can be covered). Exact gain updates: each household
    is processed once when it becomes covered."""
    a_csr = a_csc.tocsr()
    gain = np.asarray(a_csc.T @ w).ravel().astype(float)
    covered = np.zeros(a_csc.shape[0], dtype=bool)
    chosen: list[int] = []

    def take(j: int) -> None:
        col = a_csc.indices[a_csc.indptr[j]:a_csc.indptr[j + 1]]
        new = col[~covered[col]]
        covered[new] = True
        sub = a_csr[new]
        gain[:] -= np.bincount(sub.indices, weights=np.repeat(w[new], np.diff(sub.indptr)), minlength=len(gain))
        chosen.append(j)
        gain[j] = -np.inf

    for j in fixed:
        take(int(j))
    while (p is None or len(chosen) < p) and len(chosen) < a_csc.shape[1]:
        j = int(np.argmax(gain))
        if p is None and gain[j] <= 1e-12:
            break
        take(j)
    return np.array(sorted(chosen), dtype=np.int64)


# ---------------------------------------------------------------------------------------------- siting
def one_median(entries: CoverEntries, weights: Any = None, candidates: Any = None) -> Siting:
    """The single site with the least total walking for the households (exact: every candidate is evaluated).

    Households that cannot reach a candidate within ``entries.limit_min`` count with the limit itself, so a site
    that leaves households out is not preferred by accident; they are reported in ``uncovered``.
    """
    _require(entries, CoverEntries, "one_median", "entries")
    w = _weights(entries.n, weights)
    cand = np.arange(entries.k) if candidates is None else _site_positions(candidates, entries.k, "candidates")
    total = np.full(entries.k, np.inf)
    reach = np.bincount(entries.site, weights=w[entries.hh], minlength=entries.k)
    cost = np.bincount(entries.site, weights=w[entries.hh] * entries.minutes, minlength=entries.k)
    total[cand] = cost[cand] + (w.sum() - reach[cand]) * entries.limit_min
    if not np.isfinite(total).any():
        raise InputError(problem("COVER-NO-SITE"))
    best = int(np.argmin(total))  # ties: the lowest index
    covered = np.zeros(entries.n, dtype=bool)
    covered[entries.hh[entries.site == best]] = True
    return Siting(chosen=np.array([best]), objective=float(total[best]), bound=float(total[best]), gap=0.0,
                  method="enumeration", uncovered=np.flatnonzero(~covered))


def max_cover(entries: CoverEntries, p: int, *, weights: Any = None, fixed: Any = (), bound: bool = True,
              exact: bool | None = None) -> Siting:
    """``p`` sites (the ``fixed`` ones among them) covering the most household weight within the limit.

    Greedy with exact gain updates, then one pass of single swaps; the bound is the LP relaxation solved with
    HiGHS on households merged by identical coverage (``bound=False`` skips it: gap unknown, reported as NaN).
    Small instances (``exact=None``: up to :data:`EXACT_MAX_ENTRIES` entries) are solved exactly by a
    node-limited MILP started from the same formulation.
    """
    _require(entries, CoverEntries, "max_cover", "entries")
    w = _weights(entries.n, weights)
    fixed_a = np.unique(_site_positions(fixed, entries.k, "fixed"))
    p = _count(p, len(fixed_a), len(fixed_a), entries.k)
    a = entries.matrix()
    chosen = _greedy_cover(a, w, fixed_a, p)
    chosen = _swap_pass(a, w, chosen, fixed_a)
    covered = _covered_by(a, chosen)
    value = float(w[covered].sum())
    if exact if exact is not None else len(entries.hh) <= EXACT_MAX_ENTRIES:
        best = _max_cover_lp(a, w, p, fixed_a, integral=True)
        if best is not None and best[0] >= value - 1e-9:
            covered = _covered_by(a, best[1])
            return Siting(chosen=best[1], objective=float(w[covered].sum()), bound=best[0], gap=0.0,
                          method="exact", uncovered=np.flatnonzero(~covered))
    lp = _max_cover_lp(a, w, p, fixed_a) if bound else None
    ub = max(lp[0], value) if lp is not None else (float("inf") if bound else float("nan"))
    return Siting(chosen=chosen, objective=value, bound=ub, gap=_gap(value, ub) if bound else float("nan"),
                  method="greedy+swap", uncovered=np.flatnonzero(~covered))


def _swap_pass(a: sp.csc_matrix, w: np.ndarray, chosen: np.ndarray, fixed: np.ndarray) -> np.ndarray:
    """One pass over the chosen sites: replace each (not fixed) by the best other site when that covers more."""
    chosen = chosen.copy()
    count = np.asarray(a[:, chosen].sum(axis=1)).ravel()
    for pos in range(len(chosen)):
        j = int(chosen[pos])
        if j in fixed:
            continue
        col = a.indices[a.indptr[j]:a.indptr[j + 1]]
        lost = col[count[col] == 1]
        free = w * (count == 0)
        free[lost] += w[lost]
        gain = np.asarray(a.T @ free).ravel()
        gain[chosen] = -np.inf
        best = int(np.argmax(gain))
        if gain[best] > w[lost].sum() + 1e-9:
            count[col] -= 1
            nb = a.indices[a.indptr[best]:a.indptr[best + 1]]
            count[nb] += 1
            chosen[pos] = best
    return np.array(sorted(chosen), dtype=np.int64)


def _max_cover_lp(a: sp.csc_matrix, w: np.ndarray, p: int, fixed: np.ndarray,
                  integral: bool = False) -> tuple[float, np.ndarray] | None:
    """Maximal coverage over households merged by identical coverage: the LP relaxation (an upper bound on the
    weight covered), or with ``integral`` the MILP (node-limited; None unless proven optimal). Returns the value
    and the open sites."""
    rows, rw, _ = _merge_rows(a.tocsr(), w)
    keep = np.diff(rows.indptr) > 0
    rows, rw = rows[keep], rw[keep]
    m, k = rows.shape
    # variables: y (k sites) then z (m rows); maximise rw·z  ->  minimise -rw·z
    c = np.r_[np.zeros(k), -rw]
    cover = sp.hstack([-rows.astype(float), sp.identity(m, format="csr")], format="csr")  # z_i - Σ a_ij y_j <= 0
    card = sp.csr_matrix(np.r_[np.ones(k), np.zeros(m)][None, :])
    lo = np.zeros(k + m)
    lo[fixed] = 1.0
    integrality = np.r_[np.ones(k), np.zeros(m)] if integral else np.zeros(k + m)
    res = highs_milp(c, constraints=[LinearConstraint(cover, -np.inf, 0.0), LinearConstraint(card, p, p)],
                     bounds=Bounds(lo, np.ones(k + m)), integrality=integrality,
                     options={"node_limit": NODE_LIMIT} if integral else None)
    if res.status != 0 or res.fun is None or res.x is None:
        return None
    return float(-res.fun), np.flatnonzero(res.x[:k] > 0.5)


def set_cover(entries: CoverEntries, *, fixed: Any = (), exact: bool | None = None) -> Siting:
    """The fewest sites (``fixed`` ones included) that put every coverable household within the limit.

    Households no site reaches within the limit cannot be covered; they are listed in ``uncovered``. Greedy
    choice then removal of redundant sites; an exact MILP (HiGHS, node-limited) when the instance is small
    (``exact=None``: up to :data:`EXACT_MAX_ENTRIES` entries), else the LP relaxation rounded up as the bound.
    """
    _require(entries, CoverEntries, "set_cover", "entries")
    fixed_a = np.unique(_site_positions(fixed, entries.k, "fixed"))
    a = entries.matrix()
    w = np.ones(entries.n)
    chosen = _greedy_cover(a, w, fixed_a, None)
    chosen = _drop_redundant(a, chosen, fixed_a)
    coverable = np.asarray(a.sum(axis=1)).ravel() > 0
    uncovered = np.flatnonzero(~coverable)
    if exact is None:
        exact = len(entries.hh) <= EXACT_MAX_ENTRIES
    bound, method = _set_cover_bound(a[coverable], fixed_a, exact, len(chosen))
    if exact and bound[1] is not None and len(bound[1]) <= len(chosen):
        chosen, method = bound[1], "exact"
    value = float(len(chosen))
    lb = float(min(bound[0], value))
    return Siting(chosen=chosen, objective=value, bound=lb, gap=_gap(value, lb), method=method,
                  uncovered=uncovered)


def _drop_redundant(a: sp.csc_matrix, chosen: np.ndarray, fixed: np.ndarray) -> np.ndarray:
    count = np.asarray(a[:, chosen].sum(axis=1)).ravel()
    keep = list(chosen)
    for j in sorted(chosen, key=lambda s: (a.indptr[s + 1] - a.indptr[s], s)):  # smallest coverage first
        if j in fixed:
            continue
        col = a.indices[a.indptr[j]:a.indptr[j + 1]]
        if (count[col] >= 2).all():
            count[col] -= 1
            keep.remove(j)
    return np.array(sorted(keep), dtype=np.int64)


def _set_cover_bound(a: sp.csc_matrix, fixed: np.ndarray, exact: bool,
                     incumbent: int) -> tuple[tuple[float, np.ndarray | None], str]:
    rows, _, _ = _merge_rows(a.tocsr(), np.ones(a.shape[0]))
    k = a.shape[1]
    if rows.shape[0] == 0:
        return (float(len(fixed)), fixed if exact else None), "exact" if exact else "greedy"
    lo = np.zeros(k)
    lo[fixed] = 1.0
    cons = LinearConstraint(rows.astype(float), 1.0, np.inf)
    if exact:
        res = highs_milp(np.ones(k), constraints=[cons], bounds=Bounds(lo, np.ones(k)), integrality=np.ones(k),
                         options={"node_limit": NODE_LIMIT})
        if res.status == 0 and res.x is not None:
            sol = np.flatnonzero(res.x > 0.5)
            return (float(len(sol)), sol), "exact"
        bound = getattr(res, "mip_dual_bound", None)
        if bound is not None and np.isfinite(bound):
            return (float(np.ceil(bound - 1e-9)), None), "greedy+milp-bound"
    res = highs_milp(np.ones(k), constraints=[cons], bounds=Bounds(lo, np.ones(k)), integrality=np.zeros(k))
    lp = float(np.ceil(res.fun - 1e-9)) if res.status == 0 and res.fun is not None else 0.0
    return (lp, None), "greedy+lp-bound"


def p_median(entries: CoverEntries, p: int, *, weights: Any = None, fixed: Any = (),
             exact: bool | None = None, iterations: int = LAGRANGE_ITERATIONS) -> Siting:
    """``p`` sites minimising the total walking minutes of the households to their nearest chosen site.

    A household with no chosen site within ``entries.limit_min`` counts with twice the limit (and is listed in
    ``uncovered``), so the problem always has an answer. First lazy greedy addition, location–allocation and
    swap-based local search (fast interchange on the sparse entries) to a local optimum, improved by the Lagrangian relaxation of the assignment constraints
    (subgradient, ``iterations`` steps), whose value is the lower bound; when the bound meets the answer it is
    proven optimal (``method`` "exact"). Otherwise, on small instances (``exact=None``: up to
    :data:`EXACT_PMEDIAN_ENTRIES` entries) the exact MILP (HiGHS, node-limited); ``exact=True`` goes to the MILP
    directly.

    A ``p`` that is not a whole number from ``max(len(fixed), 1)`` to the candidates is ``COVER-P``; a fixed site
    that is not a candidate's position ``COVER-SITE-INDEX``.
    """
    _require(entries, CoverEntries, "p_median", "entries")
    w = _weights(entries.n, weights)
    fixed_a = np.unique(_site_positions(fixed, entries.k, "fixed"))
    p = _count(p, len(fixed_a), max(len(fixed_a), 1), entries.k)
    return _median(entries, w, p, fixed_a, 2.0 * entries.limit_min, exact, iterations)


def _median(entries: CoverEntries, w: np.ndarray, p: int, fixed: np.ndarray, penalty: float | np.ndarray,
            exact: bool | None, iterations: int) -> Siting:
    """The p-median over the entries, a household with no chosen site among its entries counted at ``penalty``
    (minutes: one for all, or one per household)."""
    if exact:  # asked for the MILP outright
        sol = _p_median_milp(entries, w, p, fixed, penalty)
        if sol is not None:
            return sol
    heuristic = _p_median_lagrange(entries, w, p, fixed, penalty, iterations)
    if heuristic.gap > 1e-9 and exact is None and len(entries.hh) <= EXACT_PMEDIAN_ENTRIES:
        sol = _p_median_milp(entries, w, p, fixed, penalty)  # the bound did not close the gap: solve exactly
        if sol is not None:
            return sol
    return heuristic


# ---------------------------------------------------------------------------------------------- real walking
@dataclass(frozen=True)
class WalkSums:
    """The real (uncut) walking of groups of households to every site, from :func:`walk_sums`.

    ``names`` the groups (sorted); ``total[g, j]`` the weighted minutes group ``g``'s households that can walk to
    site ``j`` walk to it; ``cut[g, j]`` the weight of those that cannot (``inf`` in ``total`` for a site not
    attached to the graph); ``weight[g]`` the group's weight; ``longest`` the longest walk of any household to
    any site it can walk to (0 when none can): the minutes :func:`median_by_group` and :func:`p_median_walk`
    count a household cut off from the chosen sites at, never less than any walk that can be walked;
    ``farthest[i]`` household ``i``'s own longest walk to a site it can walk to (0 when it can walk to none; every
    household of the graph, whatever its group): :func:`p_median_walk` knows from it that a household none of
    whose sites within a radius is chosen cannot walk to any chosen site at all."""

    names: list[str]
    total: np.ndarray
    cut: np.ndarray
    weight: np.ndarray
    longest: float
    farthest: np.ndarray

    def __repr__(self) -> str:
        """A short repr: the groups (the first few names), the sites, the longest walk."""
        first = [str(x) for x in self.names[:5]]
        return (f"WalkSums(groups={len(self.names)} {first}{' …' if len(self.names) > 5 else ''}, "
                f"sites={np.asarray(self.total).shape[1] if np.ndim(self.total) == 2 else 0}, "
                f"longest={self.longest:g})")


_MAKERS[WalkSums] = "walk_sums(net, groups)"


def walk_sums(net: ServiceNetwork, groups: Any, weights: Any = None, *, chunk: int = CHUNK) -> WalkSums:
    """Every group's real total walk to every site, however long (one Dijkstra per site over the whole graph, in
    chunks of ``chunk`` sites: memory ``chunk`` × nodes, never a households × sites matrix). Households without a
    group (blank label) count only towards ``longest``. The groups of several levels at once (village, group …):
    :func:`walk_sums_levels`, one pass for them all.

    >>> from yuanluo.gis.graph import TerrainGraph
    >>> g = TerrainGraph.from_edges([f"h{i}" for i in range(4)], [[60 * i, 0] for i in range(4)],
    ...                             [(0, 1), (1, 2)], crs="EPSG:4545")
    >>> ws = walk_sums(service_network(g), ["A", "A", "A", ""])
    >>> ws.names, ws.total.round(2).tolist(), ws.cut.tolist(), round(ws.longest, 2)
    (['A'], [[2.7, 1.8, 2.7, 0.0]], [[0.0, 0.0, 0.0, 3.0]], 1.8)
    """
    _require(net, ServiceNetwork, "walk_sums", "net")
    labels = _per_household(groups, net.n, "groups")
    w = _weights(net.n, weights)
    return _walk_sums(net, [labels], w, _chunk(chunk))[0]


def walk_sums_levels(net: ServiceNetwork, levels: Any, weights: Any = None, *,
                     chunk: int = CHUNK) -> list[WalkSums]:
    """:func:`walk_sums` of each of ``levels`` (a sequence of labellings, one label per household each: the
    villages, the groups …), all from one pass over the graph: each site's walk to every household is found once
    (in chunks of ``chunk`` sites, memory ``chunk`` × nodes, as :func:`walk_sums`) and summed for every level;
    each equals its own :func:`walk_sums`, to the bit, at the cost of one.

    >>> from yuanluo.gis.graph import TerrainGraph
    >>> g = TerrainGraph.from_edges([f"h{i}" for i in range(4)], [[60 * i, 0] for i in range(4)],
    ...                             [(0, 1), (1, 2)], crs="EPSG:4545")
    >>> net = service_network(g)
    >>> village, group = walk_sums_levels(net, [["A"] * 4, ["a1", "a1", "a2", "a2"]])
    >>> village.names, group.names, group.total.round(2).tolist(), group.cut.tolist()
    (['A'], ['a1', 'a2'], [[0.9, 0.9, 2.7, 0.0], [1.8, 0.9, 0.0, 0.0]], [[0.0, 0.0, 0.0, 2.0], [1.0, 1.0, 1.0, 1.0]])
    >>> bool((group.total == walk_sums(net, ["a1", "a1", "a2", "a2"]).total).all())
    True
    """
    _require(net, ServiceNetwork, "walk_sums_levels", "net")
    items = list(levels) if hasattr(levels, "__iter__") and not isinstance(levels, str | bytes) else [levels]
    labelled = [_per_household(x, net.n, f"levels[{i}]") for i, x in enumerate(items)]
    w = _weights(net.n, weights)
    return _walk_sums(net, labelled, w, _chunk(chunk))


def _chunk(chunk: Any) -> int:
    """Sites per Dijkstra call: a whole number of at least 1 (``COVER-CHUNK``)."""
    step = _whole(chunk)
    if step is None or step < 1:
        raise InputError(problem("COVER-CHUNK", given=given_name(chunk), default=CHUNK))
    return step


def _walk_sums(net: ServiceNetwork, labelled: list[np.ndarray], w: np.ndarray, step: int) -> list[WalkSums]:
    """The :class:`WalkSums` of each labelling from one pass: one Dijkstra per site (``step`` at a time), the
    walks summed for the groups of every labelling at once (their membership rows stacked in one sparse matrix,
    each row summed as alone: the same bits as one labelling's pass)."""
    names_of: list[list[str]] = []
    members = []
    for labels in labelled:
        names = sorted({str(x) for x in labels if isinstance(x, str) and x.strip()})
        index = {name: i for i, name in enumerate(names)}
        gi = np.array([index.get(x, -1) if isinstance(x, str) else -1 for x in labels.tolist()], dtype=np.int64)
        inside = np.flatnonzero(gi >= 0)
        names_of.append(names)
        members.append(sp.csr_matrix((w[inside], (gi[inside], inside)), shape=(len(names), net.n)))
    rows = np.cumsum([0] + [len(names) for names in names_of])
    member = sp.csr_matrix(sp.vstack(members, format="csr")) if members else sp.csr_matrix((0, net.n))
    weight = np.asarray(member.sum(axis=1)).ravel()
    total = np.full((int(rows[-1]), net.k), np.inf)
    cut = np.tile(weight[:, None], (1, net.k))
    longest = 0.0
    farthest = np.zeros(net.n)
    sites = np.flatnonzero(net.reachable)
    for start in range(0, len(sites) if len(labelled) else 0, step):
        block = sites[start:start + step]
        d = _settled(dijkstra(net.reverse, directed=True, indices=net.n + block)[:, : net.n])
        fin = np.isfinite(d)
        if fin.any():
            longest = max(longest, float(d[fin].max()))
        walks = np.where(fin, d, 0.0)
        np.maximum(farthest, walks.max(axis=0), out=farthest)
        total[:, block] = np.asarray(member @ walks.T)
        cut[:, block] = np.asarray(member @ (~fin).T.astype(float))
    return [WalkSums(names=names, total=total[a:b].copy(), cut=cut[a:b].copy(), weight=weight[a:b].copy(),
                     longest=longest, farthest=farthest.copy())
            for names, a, b in zip(names_of, rows[:-1].tolist(), rows[1:].tolist(), strict=True)]


def median_by_group(sums: WalkSums, candidates: Any = None, *, penalty: float | None = None) -> dict[str, Siting]:
    """The exact 1-median of each group of :func:`walk_sums`: the site with the least real total walk of its
    households, every walk as long as it is; a household that cannot walk to a site at all counts at ``penalty``
    minutes (default ``sums.longest``: never less than any walk that can be walked). A group none of whose
    households can walk to any candidate gets no site (``chosen`` empty). Ties go to the lowest site.

    ``objective`` (= ``bound``: proven by comparing every candidate) is that total; ``uncovered`` is left empty
    (the walking limit plays no part here).

    >>> from yuanluo.gis.graph import TerrainGraph
    >>> g = TerrainGraph.from_edges([f"h{i}" for i in range(11)], [[60 * i, 0] for i in range(9)] +
    ...                             [[485, 0], [490, 0]], [(i, i + 1) for i in range(10)], crs="EPSG:4545")
    >>> median_by_group(walk_sums(service_network(g), ["A"] * 11))["A"].chosen.tolist()   # every walk counted
    [5]
    """
    pen = sums.longest if penalty is None else _limit(penalty, "penalty")
    k = sums.total.shape[1]
    allowed = np.zeros(k, dtype=bool)
    allowed[np.arange(k) if candidates is None else _site_positions(candidates, k, "candidates")] = True
    out: dict[str, Siting] = {}
    for g, name in enumerate(sums.names):
        cost = np.where(allowed & np.isfinite(sums.total[g]), sums.total[g] + sums.cut[g] * pen, np.inf)
        reached = allowed & np.isfinite(sums.total[g]) & (sums.cut[g] < sums.weight[g])
        if not reached.any():
            chosen, value = np.zeros(0, dtype=np.int64), float(sums.weight[g] * pen)
        else:
            best = int(np.argmin(np.where(reached, cost, np.inf)))  # ties: the lowest index
            chosen, value = np.array([best], dtype=np.int64), float(cost[best])
        out[name] = Siting(chosen=chosen, objective=value, bound=value, gap=0.0, method="enumeration",
                           uncovered=np.zeros(0, dtype=np.int64))
    return out


def p_median_walk(net: ServiceNetwork, p: int, *, households: Any = None, weights: Any = None, fixed: Any = (),
                  start_min: float = 15.0, penalty: float | None = None, iterations: int = LAGRANGE_ITERATIONS,
                  cache: dict[float, CoverEntries] | None = None, walks: WalkSums | None = None) -> Siting:
    """``p`` sites (the ``fixed`` among them) with the least real total walk of the ``households`` (all by
    default) to the nearest chosen one, every walk as long as it is; a household that cannot walk to any chosen
    site counts at ``penalty`` minutes (default: the longest walk of any household to any site it can walk to,
    :func:`walk_sums`, so never less than a walk that can be walked).

    Solved over the pairs within a radius R (from ``start_min``), each household with no chosen site within R
    counted at R, or at the penalty when every site it can walk to is within R (then it cannot walk to any chosen
    site at all): never more than its real walk, so that model's lower bound is one of the real problem's; when
    every household walks at most R to the sites chosen, their real total is that model's, and its proof (exact,
    or the Lagrangian bound and gap) holds for the real walk; so too when those that walk farther cannot walk to
    them at all and were counted at the penalty, where the answer is proven optimal (an answer not proven goes
    on to the wider models, as before). Otherwise R doubles (up to the longest walk, where the pairs are all there
    are) and the model is solved again, while the pairs stay within :data:`MEDIAN_MAX_ENTRIES`; past that, the
    answer is the sites of least real walk found, with the best lower bound proven and the gap between them.
    ``cache`` keeps the pairs of each radius for the next call (the groups of one level). ``walks`` is the pass
    over the graph from every site already taken
    (:func:`walk_sums` or :func:`walk_sums_levels` of any groups of ``net``): each household's longest walk to a
    site it can walk to (``farthest``) is taken from it, and ``penalty`` defaults to its ``longest``; without it
    the pass is taken here, once.

    >>> from yuanluo.gis.graph import TerrainGraph
    >>> g = TerrainGraph.from_edges([f"h{i}" for i in range(11)], [[60 * i, 0] for i in range(9)] +
    ...                             [[485, 0], [490, 0]], [(i, i + 1) for i in range(10)], crs="EPSG:4545")
    >>> s = p_median_walk(service_network(g), 1, start_min=2.0)
    >>> s.chosen.tolist(), round(s.objective, 1), s.gap
    ([5], 24.5, 0.0)
    """
    _require(net, ServiceNetwork, "p_median_walk", "net")
    mask = np.ones(net.n, dtype=bool) if households is None else _household_mask(households, net.n)
    w = np.where(mask, _weights(net.n, weights), 0.0)
    fixed_a = np.unique(_site_positions(fixed, net.k, "fixed"))
    p = _count(p, len(fixed_a), max(len(fixed_a), 1), net.k)
    radius = _limit(start_min, "start_min")
    if walks is not None:
        _require(walks, WalkSums, "p_median_walk", "walks")
        _per_household(walks.farthest, net.n, "walks")  # (a pass over another network's graph: COVER-LENGTH)
    sums = walks  # the one pass over the graph from every site, when taken: never a second
    if p == 1 and not len(fixed_a):  # one site: every candidate compared, over the real walks
        sums = walk_sums(net, np.where(mask, "all", ""), w)
        one = median_by_group(sums, penalty=penalty)
        if one:
            s = one["all"]
            uncovered = np.flatnonzero(mask & ~np.isfinite(walk_to_nearest(net, s.chosen)[0]))
            return Siting(chosen=s.chosen, objective=s.objective, bound=s.bound, gap=0.0, method="enumeration",
                          uncovered=uncovered)
    if sums is None:  # (``longest`` and ``farthest`` are every household's, whatever the groups and weights)
        sums = walk_sums(net, np.where(mask, "all", ""))
    penalty = _limit(sums.longest if penalty is None else penalty, "penalty")
    farthest = np.asarray(sums.farthest, dtype=float)
    cache = {} if cache is None else cache
    best: tuple[float, np.ndarray] | None = None
    lower = 0.0
    while True:
        final = radius >= penalty  # every walk that can be walked is a pair: the model is the real problem
        if radius not in cache:
            pairs = _entries(net, radius, np.arange(net.k), CHUNK, None if best is None else MEDIAN_MAX_ENTRIES)
            if pairs is None:  # too many pairs to widen further: the best found, its bound and gap as proven
                break
            cache[radius] = pairs
        entries = subset(cache[radius], mask)
        # a household whose every site is within R and none chosen cannot walk to a chosen site: at the penalty
        inside = (farthest <= radius) & (w > 0)
        unmatched = penalty if final else np.where(inside, penalty, radius) if inside.any() else radius
        s = _median(entries, w, p, fixed_a, unmatched, None, iterations)
        minutes, _ = walk_to_nearest(net, s.chosen)
        walked = np.where(np.isfinite(minutes), minutes, penalty)
        real = float((w * walked).sum())
        lower = max(lower, float(s.bound))
        if best is None or real < best[0] - 1e-9:
            best = (real, s.chosen)
        counted = w > 0
        beyond = counted & (~np.isfinite(minutes) | (minutes > radius))  # the model counted them at R or the penalty
        # the model's total is the real one when no household walks beyond R; or when those beyond cannot walk to
        # a chosen site at all and were counted at the penalty: then it stops only on an answer proven optimal (an
        # unproven one goes on widening, as the wider models prove more)
        if final or not beyond.any() or (s.gap <= 1e-9 and not (beyond & ~(inside & ~np.isfinite(minutes))).any()):
            break
        radius = min(penalty, 2.0 * radius if radius > 0 else 1.0)
    assert best is not None  # (the first radius is always solved)
    value, chosen = best
    gap = _gap(value, min(lower, value))
    proven = gap <= 1e-9
    uncovered = np.flatnonzero(mask & ~np.isfinite(walk_to_nearest(net, chosen)[0]))
    return Siting(chosen=np.array(sorted(chosen), dtype=np.int64), objective=value,
                  bound=value if proven else min(lower, value), gap=0.0 if proven else gap,
                  method="exact" if proven else "greedy+lagrange",
                  uncovered=uncovered)


def _p_median_lagrange(entries: CoverEntries, w: np.ndarray, p: int, fixed: np.ndarray,
                       penalty: float | np.ndarray, iterations: int) -> Siting:
    """Lazy greedy, relocation and fast interchange, then the Lagrangian bound (and its open sets as candidates);
    ``method`` is "exact" when the bound proves the answer optimal."""
    cost = _MedianCost(entries, w, penalty)
    chosen = _fast_swap(cost, _relocate(cost, _lazy_greedy_median(cost, p, fixed), fixed), fixed)
    lb, alt = _lagrange_bound(cost, p, fixed, cost.total(chosen), iterations, start=chosen)
    if alt is not None:
        alt = _fast_swap(cost, _relocate(cost, alt, fixed), fixed)
        if cost.total(alt) < cost.total(chosen) - 1e-9:
            chosen = alt
    value = cost.total(chosen)
    gap = _gap(value, min(lb, value))
    proven = gap <= 1e-9  # the bound meets the answer (up to rounding): optimal
    return Siting(chosen=chosen, objective=value, bound=value if proven else min(lb, value),
                  gap=0.0 if proven else gap, method="exact" if proven else "greedy+lagrange",
                  uncovered=cost.unreached(chosen))


class _MedianCost:
    """Per-household minimum over open sites, fast: the entries sorted by household, one ``minimum.reduceat``.
    ``penalty`` (a household with no open site among its entries) is one number for all or one per household:
    ``pen`` holds it per household either way, ``uniform`` says which."""

    def __init__(self, entries: CoverEntries, w: np.ndarray, penalty: float | np.ndarray) -> None:
        self.e, self.w, self.penalty = entries, w, penalty
        self.uniform = np.ndim(penalty) == 0
        self.pen = np.full(entries.n, float(penalty)) if self.uniform else np.asarray(penalty, dtype=float)
        order = np.lexsort((entries.minutes, entries.hh))
        self.h_site, self.h_min, self.h_hh = entries.site[order], entries.minutes[order], entries.hh[order]
        self.h_pen = self.pen[self.h_hh]
        self.h_with, self.h_start = np.unique(self.h_hh, return_index=True)
        self.site_ptr = np.searchsorted(entries.site, np.arange(entries.k + 1))  # entries are sorted by site
        self.c = w[entries.hh] * entries.minutes  # weighted cost of each entry (site order)

    def best(self, chosen: np.ndarray) -> np.ndarray:
        """Each household's cost to its nearest chosen site (the penalty when none is within the limit)."""
        open_ = np.zeros(self.e.k, dtype=bool)
        open_[chosen] = True
        out = self.pen.copy()
        if len(self.h_with):
            vals = np.where(open_[self.h_site], self.h_min, self.h_pen)
            out[self.h_with] = np.minimum.reduceat(vals, self.h_start)
        return out

    def total(self, chosen: np.ndarray) -> float:
        return float((self.w * self.best(chosen)).sum())

    def assign(self, chosen: np.ndarray) -> np.ndarray:
        """Each household's nearest chosen site within the limit (``-1`` when none): within a household the
        entries are sorted by minutes, so the first open one is the nearest."""
        open_ = np.zeros(self.e.k, dtype=bool)
        open_[chosen] = True
        out = np.full(self.e.n, -1, dtype=np.int64)
        if len(self.h_with):
            big = len(self.h_site)
            pos = np.minimum.reduceat(np.where(open_[self.h_site], np.arange(big), big), self.h_start)
            hit = pos < big
            out[self.h_with[hit]] = self.h_site[pos[hit]]
        return out

    def unreached(self, chosen: np.ndarray) -> np.ndarray:
        open_ = np.zeros(self.e.k, dtype=bool)
        open_[chosen] = True
        reached = np.zeros(self.e.n, dtype=bool)
        reached[self.e.hh[open_[self.e.site]]] = True
        return np.flatnonzero(~reached)

    def saving(self, j: int, cur: np.ndarray) -> float:
        a, b = self.site_ptr[j], self.site_ptr[j + 1]
        hh = self.e.hh[a:b]
        return float((self.w[hh] * np.maximum(cur[hh] - self.e.minutes[a:b], 0.0)).sum())


def _lazy_greedy_median(cost: _MedianCost, p: int, fixed: np.ndarray) -> np.ndarray:
    """Greedy addition with lazy evaluation (savings only shrink as sites open): exact greedy, far fewer
    evaluations. Ties go to the lowest site index."""
    e = cost.e
    cur = cost.best(fixed) if len(fixed) else cost.pen.copy()
    chosen = [int(j) for j in fixed]
    heap = [(-s, j) for j, s in enumerate(
        np.bincount(e.site, weights=cost.w[e.hh] * np.maximum(cur[e.hh] - e.minutes, 0.0), minlength=e.k))
        if j not in set(chosen)]
    heapq.heapify(heap)
    while len(chosen) < p and heap:
        _, j = heapq.heappop(heap)
        fresh = cost.saving(j, cur)
        if heap and fresh < -heap[0][0] - 1e-12:
            heapq.heappush(heap, (-fresh, j))
            continue
        chosen.append(j)
        a, b = cost.site_ptr[j], cost.site_ptr[j + 1]
        np.minimum.at(cur, e.hh[a:b], e.minutes[a:b])
    return np.array(sorted(chosen), dtype=np.int64)


def _relocate(cost: _MedianCost, chosen: np.ndarray, fixed: np.ndarray, rounds: int = 30) -> np.ndarray:
    """Alternate allocation and location (Cooper): give each household to its nearest open site, then move every
    site (not fixed) to the best candidate for the households it serves; repeat while the total falls."""
    e, k = cost.e, cost.e.k
    chosen = np.array(sorted(chosen), dtype=np.int64)
    value = cost.total(chosen)
    for _ in range(rounds):
        at = cost.assign(chosen)
        cluster = np.full(k, -1, dtype=np.int64)
        cluster[chosen] = np.arange(len(chosen))
        cl = np.where(at >= 0, cluster[np.maximum(at, 0)], -1)
        sel = cl[e.hh] >= 0
        key = cl[e.hh[sel]] * k + e.site[sel]
        size = len(chosen) * k
        served = np.bincount(key, weights=cost.w[e.hh[sel]] * e.minutes[sel], minlength=size).reshape(-1, k)
        within = np.bincount(key, weights=cost.w[e.hh[sel]], minlength=size).reshape(-1, k)
        weight = np.bincount(cl[cl >= 0], weights=cost.w[cl >= 0], minlength=len(chosen))
        if cost.uniform:
            total = served + (weight[:, None] - within) * cost.penalty
        else:  # the penalty of each household of the cluster that has no entry at the site
            wp = cost.w * cost.pen
            unmet = np.bincount(cl[cl >= 0], weights=wp[cl >= 0], minlength=len(chosen))[:, None] \
                - np.bincount(key, weights=wp[e.hh[sel]], minlength=size).reshape(-1, k)
            total = served + unmet
        new = chosen.copy()
        for c in np.argsort(-(total[np.arange(len(chosen)), chosen] - total.min(axis=1)), kind="stable"):
            if chosen[c] in fixed:
                continue
            j = int(np.argmin(total[c]))
            if j not in new:
                new[c] = j
        new = np.array(sorted(new), dtype=np.int64)
        new_value = cost.total(new)
        if new_value >= value - 1e-9:
            break
        chosen, value = new, new_value
    return chosen


def _two_nearest(cost: _MedianCost, open_: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each household's nearest open site (``-1`` when none within the limit), its cost and the cost of the second
    nearest (the penalty when there is none): within a household the entries are sorted by minutes."""
    n = cost.e.n
    phi1, d1, d2 = np.full(n, -1, dtype=np.int64), cost.pen.copy(), cost.pen.copy()
    pos = np.flatnonzero(open_[cost.h_site])
    hh = cost.h_hh[pos]
    first = np.r_[True, hh[1:] != hh[:-1]] if len(pos) else np.zeros(0, dtype=bool)
    phi1[hh[first]], d1[hh[first]] = cost.h_site[pos[first]], cost.h_min[pos[first]]
    second = np.r_[False, first[:-1] & ~first[1:]] if len(pos) else first
    d2[hh[second]] = cost.h_min[pos[second]]
    return phi1, d1, d2


def _swap_profits(cost: _MedianCost, open_: np.ndarray, movable: np.ndarray,
                  near: tuple[np.ndarray, np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fast interchange (Whitaker; Resende and Werneck): the exact saving of every improving swap (open ``f``,
    close ``r``) from the sparse entries, as parallel arrays (f, r, saving), best first."""
    e, w, k = cost.e, cost.w, cost.e.k
    phi1, d1, d2 = near
    wh = w[e.hh]
    # (as floats: bincount of no entries at all is integer zeros, where -inf and inf cannot go)
    gain = np.bincount(e.site, weights=wh * np.maximum(d1[e.hh] - e.minutes, 0.0), minlength=k).astype(float)
    gain[open_] = -np.inf
    served = phi1 >= 0
    loss = np.bincount(phi1[served], weights=w[served] * (d2 - d1)[served], minlength=k).astype(float)
    loss[~movable] = np.inf
    sel = ~open_[e.site] & served[e.hh] & (e.minutes < d2[e.hh])
    hs = e.hh[sel]
    extra = sp.csr_matrix((wh[sel] * (d2[hs] - np.maximum(e.minutes[sel], d1[hs])), (e.site[sel], phi1[hs])),
                          shape=(k, k))
    extra.sum_duplicates()
    ext = extra.tocoo()
    r_star = int(np.argmin(loss))
    f_all = np.flatnonzero(np.isfinite(gain))
    f = np.r_[ext.row, f_all].astype(np.int64)
    r = np.r_[ext.col, np.full(len(f_all), r_star)].astype(np.int64)
    # (scipy gives an empty selection back as a sparse matrix, not an array: no site to open, no entry)
    picked = np.asarray(extra[f_all, np.full(len(f_all), r_star)]).ravel() if len(f_all) else np.zeros(0)
    ex = np.r_[ext.data, picked]
    profit = gain[f] - loss[r] + ex
    keep = np.flatnonzero(np.isfinite(profit) & (profit > 1e-9))
    keep = keep[np.lexsort((r[keep], f[keep], -profit[keep]))]
    return f[keep], r[keep], profit[keep]


def _fast_swap(cost: _MedianCost, chosen: np.ndarray, fixed: np.ndarray, rounds: int = 200) -> np.ndarray:
    """Swap-based local search to a local optimum: each round applies the best swap and every further improving
    swap whose affected households (those near the opened site, and those served first or second by the closed
    one) are disjoint from the swaps already taken, so the savings add up exactly."""
    e, k = cost.e, cost.e.k
    open_ = np.zeros(k, dtype=bool)
    open_[chosen] = True
    movable = open_.copy()
    movable[fixed] = False
    value = cost.total(np.flatnonzero(open_))
    for _ in range(rounds):
        near = _two_nearest(cost, open_)
        f, r, profit = _swap_profits(cost, open_, movable & open_, near)
        if not len(f):
            break
        by1, ptr1 = _group(near[0], k)
        by2, ptr2 = _group(_second_site(cost, open_, near[0]), k)
        touched = np.zeros(e.n, dtype=bool)
        used = np.zeros(k, dtype=bool)
        new = open_.copy()
        for fi, ri in zip(f[: 20 * k].tolist(), r[: 20 * k].tolist(), strict=True):
            if used[fi] or used[ri]:
                continue
            area = np.r_[e.hh[cost.site_ptr[fi]:cost.site_ptr[fi + 1]], by1[ptr1[ri]:ptr1[ri + 1]],
                         by2[ptr2[ri]:ptr2[ri + 1]]]
            if touched[area].any():
                continue
            touched[area], used[fi], used[ri] = True, True, True
            new[fi], new[ri] = True, False
        new_value = cost.total(np.flatnonzero(new))
        if new_value >= value - 1e-9:
            break
        open_, value = new, new_value
        movable = open_ & ~np.isin(np.arange(k), fixed)
    return np.flatnonzero(open_)


def _group(site: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Households grouped by a site per household (``-1`` left out): (households, pointers by site)."""
    order = np.argsort(site, kind="stable")
    order = order[site[order] >= 0]
    return order, np.searchsorted(site[order], np.arange(k + 1))


def _second_site(cost: _MedianCost, open_: np.ndarray, phi1: np.ndarray) -> np.ndarray:
    """Each household's second nearest open site (``-1`` when none)."""
    out = np.full(cost.e.n, -1, dtype=np.int64)
    pos = np.flatnonzero(open_[cost.h_site])
    hh = cost.h_hh[pos]
    if len(pos):
        first = np.r_[True, hh[1:] != hh[:-1]]
        second = np.r_[False, first[:-1] & ~first[1:]]
        out[hh[second]] = cost.h_site[pos[second]]
    return out


def _lagrange_bound(cost: _MedianCost, p: int, fixed: np.ndarray, upper: float,
                    iterations: int, start: np.ndarray | None = None) -> tuple[float, np.ndarray | None]:
    """Lagrangian relaxation of the assignment constraints, by subgradient steps (Polyak steps towards the best
    answer, multipliers kept within [0, penalty]). Starts from each household's walk to the nearest site of
    ``start`` (the heuristic's answer: its allocation costs), else to the nearest candidate. Returns the best lower
    bound and the best open set met along the way (evaluated whenever the bound improves, and every 10 steps)."""
    e, w = cost.e, cost.w
    pen = w * cost.pen
    lam = np.minimum(cost.best(np.arange(e.k) if start is None else start) * w, pen)
    free = np.ones(e.k, dtype=bool)
    free[fixed] = False
    n_free = p - len(fixed)
    best_lb, best_set, best_ub = -np.inf, None, upper
    theta, stall = 2.0, 0
    totals: dict[bytes, float] = {}  # each open set's total, evaluated once (the relaxation meets a few again and again)
    ptr = cost.site_ptr
    red = np.empty(len(e.hh))
    for it in range(iterations):
        np.take(lam, e.hh, out=red)  # (in place: the same min(c - lam, 0) without three temporaries a step)
        np.subtract(cost.c, red, out=red)
        np.minimum(red, 0.0, out=red)
        rho = np.bincount(e.site, weights=red, minlength=e.k)
        pick = np.flatnonzero(free)[np.argsort(rho[free], kind="stable")[:n_free]]
        open_ = np.zeros(e.k, dtype=bool)
        open_[fixed] = True
        open_[pick] = True
        lb = float(lam.sum() + np.minimum(pen - lam, 0.0).sum() + rho[open_].sum())
        improved = lb > best_lb + 1e-9
        if improved:
            best_lb, stall = lb, 0
        else:
            stall += 1
            if stall >= 15:
                theta, stall = theta / 2.0, 0
        cand = np.flatnonzero(open_)
        if improved or it % 10 == 0:  # the relaxation's open set is often optimal once the bound is tight
            key = cand.tobytes()
            val = totals.get(key)
            if val is None:
                val = totals[key] = cost.total(cand)
            if val < best_ub - 1e-9:
                best_ub, best_set = val, cand
        # how many open sites each household is drawn to: counted over the open sites' entries only (whole counts)
        drawn = [e.hh[ptr[j]:ptr[j + 1]][red[ptr[j]:ptr[j + 1]] < 0] for j in cand.tolist()]
        grad = 1.0 - np.bincount(np.concatenate(drawn) if drawn else np.zeros(0, dtype=np.int64),
                                 minlength=e.n) - (pen < lam)
        norm = float((grad * grad).sum())
        if norm == 0.0 or theta < 1e-4:
            break
        lam = np.clip(lam + theta * (best_ub - lb) / norm * grad, 0.0, pen)
    return max(best_lb, 0.0), best_set


def _p_median_milp(entries: CoverEntries, w: np.ndarray, p: int, fixed: np.ndarray,
                   penalty: float | np.ndarray) -> Siting | None:
    """The p-median as a MILP over the sparse entries: x_e (household of entry e goes to its site), u_i
    (household i unserved, at the penalty), y_j (site open). Returns None when HiGHS does not prove optimality."""
    n, k, m = entries.n, entries.k, len(entries.hh)
    c = np.r_[w[entries.hh] * entries.minutes, w * penalty, np.zeros(k)]
    e = np.arange(m)
    assign = sp.csr_matrix((np.ones(m + n), (np.r_[entries.hh, np.arange(n)], np.r_[e, m + np.arange(n)])),
                           shape=(n, m + n + k))                                          # Σ_e x_e + u_i = 1
    link = sp.csr_matrix((np.r_[np.ones(m), -np.ones(m)], (np.r_[e, e], np.r_[e, m + n + entries.site])),
                         shape=(m, m + n + k))                                             # x_e - y_j <= 0
    card = sp.csr_matrix((np.ones(k), (np.zeros(k, dtype=np.int64), m + n + np.arange(k))), shape=(1, m + n + k))
    lo = np.zeros(m + n + k)
    lo[m + n + fixed] = 1.0
    integrality = np.r_[np.zeros(m + n), np.ones(k)]
    res = highs_milp(c, constraints=[LinearConstraint(assign, 1, 1), LinearConstraint(link, -np.inf, 0),
                                     LinearConstraint(card, p, p)],
                     bounds=Bounds(lo, np.ones(m + n + k)), integrality=integrality, options={"node_limit": NODE_LIMIT})
    if res.status != 0 or res.x is None:
        return None
    chosen = np.flatnonzero(res.x[m + n:] > 0.5)
    cost = _MedianCost(entries, w, penalty)
    value = cost.total(chosen)
    return Siting(chosen=chosen, objective=value, bound=value, gap=0.0, method="exact",
                  uncovered=cost.unreached(chosen))


# ---------------------------------------------------------------------------------------------- 1+N and statistics
def subset(entries: CoverEntries, households: Any) -> CoverEntries:
    """The entries of some households only (a boolean mask or positions); household numbering is kept."""
    _require(entries, CoverEntries, "subset", "entries")
    mask = _household_mask(households, entries.n)
    keep = mask[entries.hh]
    return CoverEntries(hh=entries.hh[keep], site=entries.site[keep], minutes=entries.minutes[keep], n=entries.n,
                        k=entries.k, limit_min=entries.limit_min)


def hubs_by_group(entries: CoverEntries, groups: Any, per_group: int = 1, *,
                  weights: Any = None) -> dict[str, Siting]:
    """``per_group`` hubs for each group of households (a village, a villager group): the exact one-median for one
    hub, the p-median otherwise. Households outside every group (blank label) are left out.

    Examples
    --------
    >>> from yuanluo.gis.graph import TerrainGraph
    >>> g = TerrainGraph.from_edges([f"h{i}" for i in range(6)], [[60 * i, 0] for i in range(6)],
    ...                             [(i, i + 1) for i in range(5)], crs="EPSG:4545")
    >>> e = cover_entries(service_network(g), 10.0)
    >>> {k: s.chosen.tolist() for k, s in hubs_by_group(e, ["A", "A", "A", "B", "B", "B"]).items()}
    {'A': [1], 'B': [4]}
    """
    _require(entries, CoverEntries, "hubs_by_group", "entries")
    labels = _per_household(groups, entries.n, "groups")
    w = _weights(entries.n, weights)
    q = _whole(per_group)
    per_group = q if q is not None and q >= 1 else _count(per_group, 0, 1, entries.k)  # (raises COVER-P)
    out: dict[str, Siting] = {}
    for name in sorted({str(x) for x in labels if isinstance(x, str) and x.strip()}):
        members = np.flatnonzero(labels == name)
        sub = subset(entries, members)
        ww = np.zeros(entries.n)
        ww[members] = w[members]
        if per_group == 1:
            s = one_median(sub, weights=ww)
        else:
            s = p_median(sub, min(per_group, entries.k), weights=ww)
        out[name] = Siting(chosen=s.chosen, objective=s.objective, bound=s.bound, gap=s.gap, method=s.method,
                           uncovered=np.intersect1d(s.uncovered, members))
    return out


#: the walking bands (upper edges, minutes) when the limit is 15; another limit is always one of the bands
BANDS: tuple[float, ...] = (5.0, 10.0, 15.0)


def walking_limit(value: Any, argument: str = "limit") -> float:
    """A walking limit in minutes as a float: a finite number, at least 0, as :func:`cover_entries` takes it (0
    keeps the households standing at a site). Anything else (negative, NaN, infinite, a text such as ``"15"``,
    ``True``) is ``COVER-LIMIT`` naming ``argument``.

    >>> walking_limit(15), walking_limit(0)
    (15.0, 0.0)
    >>> walking_limit(float("nan"), "limit_min")
    Traceback (most recent call last):
    ...
    yuanluo.gis.errors.InputError: ...
    """
    return _limit(value, argument)


def band_edges(limit: float | None = None) -> tuple[float, ...]:
    """The upper edges of the walking bands for a walking ``limit``: :data:`BANDS` and the limit itself, so
    "within the limit" is always a band (the report's tables, the ``coverage`` layer; the maps colour those up to
    the limit, every household beyond it as far); :data:`BANDS` without a limit. A limit that is not a finite
    number of minutes, at least 0, is ``COVER-LIMIT`` (:func:`walking_limit`).

    >>> band_edges(15.0), band_edges(20.0), band_edges(8.0), band_edges(3.0)
    ((5.0, 10.0, 15.0), (5.0, 10.0, 15.0, 20.0), (5.0, 8.0, 10.0, 15.0), (3.0, 5.0, 10.0, 15.0))
    >>> band_edges(-5)
    Traceback (most recent call last):
    ...
    yuanluo.gis.errors.InputError: ...
    """
    if limit is None:
        return BANDS
    return tuple(sorted({*BANDS, walking_limit(limit, "limit")}))


def coverage_table(minutes: Any, groups: Any, bands: tuple[float, ...] = BANDS, *, villages: Any = None,
                   towns: Any = None) -> Any:
    """Households within each walking band, per group, then one total row (``total`` True): counts and shares.
    Households without a group are counted under the group ``""``. With ``villages`` (each household's village),
    a group is (village, group), as every village has its own 1组, and each row carries its ``village`` (blank on
    the total row). With ``towns`` (each household's town, where the households have a town column) a group is
    (town, village, group), and each row carries its ``town`` first (blank on the total row), as the units layer
    carries it before the village. The rows follow the households' order, the planner's roster
    (:func:`yuanluo.gis.keys.first_seen_order`: the towns as the households first name them, one town's villages
    together as they first name them, then their groups), as every output lists places: not by name, where 乙镇
    came before 甲镇 and 三组 before 二组 (by code point).

    Examples
    --------
    >>> coverage_table([1.0, 7.0, 20.0, float("inf")], ["A", "A", "B", "B"], bands=(5.0, 10.0)).to_dict("records")[0]
    {'group': 'A', 'total': False, 'households': 2, 'within_5': 1, 'within_10': 2, 'unreachable': 0, 'share_10': 1.0}
    >>> t = coverage_table([1.0, 7.0, 20.0], ["1组", "1组", "1组"], bands=(5.0, 10.0), villages=["甲", "乙", "乙"])
    >>> t[["village", "group", "households", "within_10"]].values.tolist()
    [['甲', '1组', 1, 1], ['乙', '1组', 2, 1], ['', '', 3, 2]]
    >>> t = coverage_table([1.0, 7.0, 20.0, 3.0], ["1组"] * 4, bands=(5.0, 10.0), villages=["乙村", "甲村", "甲村", "丙村"],
    ...                    towns=["甲镇", "乙镇", "乙镇", "甲镇"])
    >>> t[["town", "village", "group", "households"]].values.tolist()
    [['甲镇', '乙村', '1组', 1], ['甲镇', '丙村', '1组', 1], ['乙镇', '甲村', '1组', 2], ['', '', '', 4]]

    ``bands`` are the upper edges of the bands in minutes, taken in increasing order (each once, so the share is
    always that of the widest band); one number is one band. No band, or one that is not a finite number of minutes
    at least 0, is ``COVER-BANDS``.

    >>> coverage_table([1.0, 7.0], ["A", "A"], bands=(10, 5.0, 10.0)).columns.tolist()[3:]
    ['within_5', 'within_10', 'unreachable', 'share_10']
    """
    import pandas as pd

    bands = _bands(bands)
    if np.ndim(minutes) == 0:  # a column's name ("walk_min") or one number
        raise _one_value(minutes, len(groups) if hasattr(groups, "__len__") and not isinstance(groups, str) else 1,
                         "minutes")
    m = np.asarray(minutes, dtype=float).reshape(-1)
    df = pd.DataFrame({"group": _per_household(groups, len(m), "groups"), "minutes": m})
    df["group"] = df["group"].where(df["group"].notna(), "").astype(str)
    with_village, with_town = villages is not None, towns is not None
    for col, given, argument in (("village", villages, "villages"), ("town", towns, "towns")):
        df[col] = _per_household(given, len(m), argument) if given is not None else ""
        df[col] = df[col].where(df[col].notna(), "").astype(str)
    from yuanluo.gis.keys import first_seen_order

    rows = []
    # by town, village, then group, in the roster's order: each first named before the next (one town's together)
    by = [*(["town"] if with_town else []), *(["village"] if with_village else []), "group"]
    listed = df.iloc[np.argsort(first_seen_order(*(df[c].to_numpy(dtype=object) for c in by)), kind="stable")]
    parts = [(dict(zip(by, key if isinstance(key, tuple) else (key,), strict=True)), False, part)
             for key, part in listed.groupby(by, sort=False)]
    parts += [(dict.fromkeys(by, ""), True, df)]
    for key, total, part in parts:
        row: dict[str, Any] = ({"town": str(key["town"])} if with_town else {}) | (
            {"village": str(key["village"])} if with_village else {}) | {
            "group": str(key["group"]), "total": total, "households": int(len(part))}
        for b in bands:
            row[f"within_{b:g}"] = int((part["minutes"] <= b).sum())
        row["unreachable"] = int((~np.isfinite(part["minutes"])).sum())
        row[f"share_{bands[-1]:g}"] = round(row[f"within_{bands[-1]:g}"] / max(len(part), 1), 4)
        rows.append(row)
    return pd.DataFrame(rows)
