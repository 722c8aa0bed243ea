"""Peer tools run on Yuanluo's inputs, each behind a time limit, for the side-by-side benchmark.

Every runner has the signature ``run_X(households, graph, rules, seed) -> labels`` (a Series indexed by
household id, values = unit id). The peers get the *same* :class:`yuanluo.gis.graph.TerrainGraph` Yuanluo gets,
as a libpysal ``W`` built from its kept edges, so rivers and long walks that the graph cut are also
missing from the peers' neighbour structure (as fair as their models allow: they use the graph as a
binary contiguity structure; walking times do not enter their objectives).

* ``maxp``: ``spopt.region.MaxPHeuristic`` (Wei, Rey & Knaap 2020): floor = ``rules.min_size`` on a count
  column (or ``persons``), attributes = the household coordinates (so its dissimilarity objective is
  spatial compactness), ``policy="single"`` (spopt joins components too small for the floor to the
  largest one by the Euclidean nearest pair, a join that may cross a river). No ceiling exists in it.
* ``skater``: ``spopt.region.Skater``: ``n_clusters = round(n / mid-band size)``, ``floor = min_size``
  (counts households), same coordinates; components below the floor are joined first as for MaxP
  (otherwise it refuses to run). No ceiling either.
* ``kmeans_constrained``: ``k_means_constrained.KMeansConstrained(n_clusters, size_min, size_max,
  random_state)`` on the coordinates: hard floor and ceiling, but no graph, hence no contiguity.

spopt draws from numpy's global random generator; :func:`run_guarded` seeds it (and ``random``) in the
child process before every run.

:func:`run_guarded` runs a runner in a fresh process with a wall-clock limit and measures, inside that
process, the wall time of the call and the peak resident memory. The processes are forked from a
multiprocessing *forkserver* that has already imported the libraries (so each run starts in a fraction
of a second instead of re-importing geopandas and spopt).
"""

from __future__ import annotations

import multiprocessing as mp
import random
import resource
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import libpysal
import numpy as np
import pandas as pd
import psutil
from k_means_constrained import KMeansConstrained
from spopt.region import MaxPHeuristic, Skater

from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.rules import Rules

__all__ = [
    "PEERS",
    "RunResult",
    "graph_w",
    "n_units_target",
    "run_guarded",
    "run_kmeans_constrained",
    "run_maxp",
    "run_skater",
    "run_yuanluo",
]

Runner = Callable[[Any, TerrainGraph, Rules, int], pd.Series]

#: Modules the forkserver imports once, before forking the run processes.
PRELOAD = ["geopandas", "yuanluo.gis.cluster", "yuanluo.gis.neighbours", "libpysal", "spopt.region", "k_means_constrained", "psutil", "peers"]
_CTX: Any = None


def _context() -> Any:
    global _CTX
    if _CTX is None:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        _CTX = ctx
    return _CTX


# ------------------------------------------------------------------------------------------- inputs
def graph_w(graph: TerrainGraph) -> Any:
    """A binary, symmetric ``libpysal.weights.W`` with the graph's kept edges; ids are node positions.

    Isolated households are kept as islands (no neighbours).

    Examples
    --------
    >>> g = TerrainGraph.from_edges(list("abc"), [[0, 0], [1, 0], [9, 9]], [(0, 1)], crs="EPSG:32631")
    >>> w = graph_w(g)
    >>> w.n, w.neighbors[0], w.islands
    (3, [1], [2])
    """
    n = graph.n
    src = np.r_[graph.u, graph.v]
    dst = np.r_[graph.v, graph.u]
    order = np.lexsort((dst, src))
    src, dst = src[order], dst[order]
    bounds = np.searchsorted(src, np.arange(n + 1))
    neighbors = {i: dst[bounds[i]:bounds[i + 1]].tolist() for i in range(n)}
    weights = {i: [1.0] * (bounds[i + 1] - bounds[i]) for i in range(n)}
    return libpysal.weights.W(neighbors, weights, id_order=list(range(n)), silence_warnings=True)


def _frame(households: Any, graph: TerrainGraph, rules: Rules) -> pd.DataFrame:
    """Coordinates (centred) and the size column, one row per graph node, in graph order."""
    import geopandas as gpd

    xy = graph.xy - graph.xy.mean(axis=0) if graph.n else graph.xy
    size = np.ones(graph.n)
    if rules.size_by == "persons" and households is not None and "persons" in households.columns:
        p = pd.Series(households["persons"].to_numpy(), index=households.index.astype(str))
        size = p.reindex(pd.Index(graph.ids)).fillna(0).to_numpy(dtype=float)
    return gpd.GeoDataFrame(
        {"x": xy[:, 0], "y": xy[:, 1], "size": size},
        geometry=gpd.points_from_xy(graph.xy[:, 0], graph.xy[:, 1]),
        crs=graph.crs,
    )


def n_units_target(n: int, rules: Rules) -> int:
    """Number of units for fixed-k tools: ``round(n / mid-band)``, moved into the feasible range.

    Examples
    --------
    >>> n_units_target(1000, Rules(20, 50)), n_units_target(1000, Rules(15, 25)), n_units_target(30, Rules(15, 25))
    (29, 50, 2)
    """
    mid = (rules.min_size + rules.max_size) / 2.0
    k = max(1, int(round(n / mid)))
    lo = -(-n // rules.max_size)
    hi = max(1, n // rules.min_size)
    return int(min(max(k, lo), hi))


def _labels(raw: Any, graph: TerrainGraph, prefix: str) -> pd.Series:
    """Peer labels (any values, graph order) -> unit ids numbered by first appearance in graph order."""
    codes, uniq = pd.factorize(pd.Series(np.asarray(raw)), sort=False)
    ids = np.array([f"{prefix}{c + 1:04d}" for c in range(len(uniq))], dtype=object)
    values = np.where(codes >= 0, ids[np.maximum(codes, 0)], None)
    return pd.Series(values, index=pd.Index(graph.ids, name="hid"), name="unit_id", dtype=object)


# ------------------------------------------------------------------------------------------- runners
def run_maxp(households: Any, graph: TerrainGraph, rules: Rules, seed: int) -> pd.Series:
    """spopt ``MaxPHeuristic`` with its defaults; threshold = ``rules.min_size`` on the size column."""
    np.random.seed(seed)
    random.seed(seed)
    df = _frame(households, graph, rules)
    model = MaxPHeuristic(df, graph_w(graph), ["x", "y"], "size", float(rules.min_size), policy="single")
    model.solve()
    return _labels(model.labels_, graph, "M")


def run_skater(households: Any, graph: TerrainGraph, rules: Rules, seed: int) -> pd.Series:
    """spopt ``Skater`` with ``n_clusters = n_units_target``, floor = ``rules.min_size`` households."""
    from spopt.region.base import form_single_component, infeasible_components

    np.random.seed(seed)
    random.seed(seed)
    df = _frame(households, graph, rules)
    w = graph_w(graph)
    df["one"] = 1.0
    if infeasible_components(df, w, "one", rules.min_size):
        w = form_single_component(df, w, linkage="single")
    model = Skater(df, w, ["x", "y"], n_clusters=n_units_target(graph.n, rules), floor=rules.min_size,
                   islands="increase")
    model.solve()
    return _labels(model.labels_, graph, "S")


def run_kmeans_constrained(households: Any, graph: TerrainGraph, rules: Rules, seed: int) -> pd.Series:
    """``KMeansConstrained`` on the coordinates with the band as ``size_min`` / ``size_max`` (households)."""
    k = n_units_target(graph.n, rules)
    model = KMeansConstrained(n_clusters=k, size_min=rules.min_size, size_max=rules.max_size,
                              random_state=seed)
    lab = model.fit_predict(np.asarray(graph.xy - graph.xy.mean(axis=0), dtype=float))
    return _labels(lab, graph, "K")


def run_yuanluo(households: Any, graph: TerrainGraph, rules: Rules, seed: int) -> dict[str, Any]:
    """Yuanluo through ``bench/bench_delineate.py``'s ``run_yuanluo`` (one call for both benches): the labels
    with a few counts; the metrics here are recomputed independently by ``bench/metrics.py``."""
    from bench_delineate import run_yuanluo as _run

    r = _run(households, graph, rules, seed)
    return {"labels": r["labels"], "exceptions": r["exceptions"], "units_without_head": r["units_without_head"]}


PEERS: dict[str, Runner] = {
    "maxp": run_maxp,
    "skater": run_skater,
    "kmeans_constrained": run_kmeans_constrained,
}


# ------------------------------------------------------------------------------------------- guard
@dataclass
class RunResult:
    """Outcome of one guarded run.

    ``status`` is ``"ok"``, ``"timeout"`` (killed at the limit) or ``"error"`` (``error`` says why).
    ``wall_s`` is the time of the runner call alone (the limit when timed out); ``peak_rss_mb`` the
    peak resident memory of the child process (interpreter, libraries and inputs included);
    ``peak_delta_mb`` the peak minus the resident memory just before the call.
    """

    tool: str
    status: str
    labels: pd.Series | None = None
    wall_s: float | None = None
    peak_rss_mb: float | None = None
    peak_delta_mb: float | None = None
    error: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _child(conn: Any, fn: Runner, households: Any, graph: TerrainGraph, rules: Rules, seed: int) -> None:
    np.random.seed(seed)
    random.seed(seed)
    base = psutil.Process().memory_info().rss
    t0 = time.perf_counter()
    try:
        out: Any = fn(households, graph, rules, seed)
        status, err = "ok", ""
    except Exception as e:  # reported to the parent, never raised there
        out, status = None, "error"
        err = f"{type(e).__name__}: {e}".strip()[:500] + "\n" + traceback.format_exc(limit=3)[-800:]
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    extra: dict[str, Any] = {}
    if isinstance(out, dict):  # a Yuanluo-style runner returning a result dict
        extra = {k: v for k, v in out.items() if isinstance(v, int | float | str | bool)}
        out = out.get("labels")
    conn.send((status, out, wall, peak, base, err, extra))
    conn.close()


def run_guarded(
    tool: str,
    fn: Runner,
    households: Any,
    graph: TerrainGraph,
    rules: Rules,
    seed: int,
    *,
    timeout_s: float = 120.0,
) -> RunResult:
    """Run ``fn(households, graph, rules, seed)`` in a fresh process, killed after ``timeout_s``.

    ``fn`` must be importable by name (a module-level function). A runner may return either the labels
    Series or a dict with the labels under ``"labels"`` (its other scalar entries go to ``extra``).
    """
    ctx = _context()
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, households, graph, rules, seed), daemon=True)
    proc.start()
    child.close()
    try:
        got = parent.poll(timeout_s)
        msg = parent.recv() if got else None
    except EOFError:  # the child died without answering (crash, out of memory)
        msg = None
        got = True
    if msg is None:
        if proc.is_alive():
            proc.kill()
        proc.join(10)
        if not got:
            return RunResult(tool, "timeout", wall_s=float(timeout_s))
        return RunResult(tool, "error", error=f"child process ended with exit code {proc.exitcode}")
    proc.join(30)
    if proc.is_alive():
        proc.kill()
        proc.join(10)
    status, out, wall, peak, base, err, extra = msg
    labels = out if isinstance(out, pd.Series) else None
    if status == "ok" and labels is None:
        status, err = "error", f"runner returned {type(out).__name__}, not a labels Series"
    return RunResult(
        tool,
        status,
        labels=labels,
        wall_s=round(float(wall), 3),
        peak_rss_mb=round(peak / 2**20, 1),
        peak_delta_mb=round(max(peak - base, 0) / 2**20, 1),
        error=err,
        extra=extra,
    )
