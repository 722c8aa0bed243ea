"""Stage: exact bounds on small components (:mod:`yuanluo.gis.exact`).

Components whose parts are all ``ok`` get a proven lower bound of the total walking time for the same
number of units (a size-bounded p-median MILP; without the candidate-head rule, so a relaxation of it).
When the exact solution is better, contiguous, keeps whole settlements whole, leaves no more units without
a candidate head (and the component holds no seed point), it is adopted.

The work budget is deterministic, never wall-clock time, so the same input gives the same units on any
machine: ``exact="auto"`` bounds components of at most ``exact_max_n`` households, ``5·exact_max_n``
households in all, each solve with a node limit; ``exact=True`` bounds components up to ``4·exact_max_n``
without a node limit (``exact_time_limit`` seconds per solve, if given).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse.csgraph import dijkstra

from yuanluo.gis.delineate.improve import Units, head_lack
from yuanluo.gis.delineate.problem import NodeGraph, Settings

__all__ = ["bounds"]


def bounds(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray) -> pd.DataFrame:
    """Bound (and possibly improve, in place) the small components; one row per bounded component:
    ``component, n, p, objective, lower_bound, gap, exact_adopted``."""
    from yuanluo.gis.exact import size_bounded_pmedian

    rows: list[dict[str, Any]] = []
    if s.exact is False:
        return pd.DataFrame(rows)
    auto = s.exact == "auto"
    max_n = s.exact_max_n if auto else 4 * s.exact_max_n
    budget = 5 * s.exact_max_n if auto else np.inf
    node_limit = s.exact_node_limit if auto else None
    time_limit = None if auto else s.exact_time_limit
    spent = 0
    matrix = g.csr()
    csize = np.bincount(g.comp)
    for c in np.flatnonzero((csize <= max_n) & (csize > 0)).tolist():
        nodes = np.flatnonzero(g.comp == c)
        if not part_ok[nodes].all():
            continue
        if spent + len(nodes) > budget:
            break
        spent += len(nodes)
        ks = np.unique(units.lab[nodes])
        obj = _walk(units, nodes, ks)
        # row i weighted by the households node i holds: the p-median sums walking over households
        d = dijkstra(matrix[nodes][:, nodes], directed=False) * units.mult[nodes][:, None]
        res = size_bounded_pmedian(d, g.w[nodes], s.lo, s.hi, len(ks), time_limit=time_limit,
                                   node_limit=node_limit)
        adopted = False
        # the p-median model knows nothing of seed points: its bound stays valid, its units are not used
        if res.median is not None and res.objective < obj - 1e-6 and not units.seed[nodes].any():
            adopted = _adopt(g, s, units, nodes, res.median)
            if adopted:
                obj = _walk(units, nodes, np.unique(units.lab[nodes]))
        lb = res.lower_bound
        gap = (max(0.0, (obj - lb) / obj) if obj > 0 else 0.0) if np.isfinite(lb) else float("nan")
        rows.append({"component": c, "n": int(units.mult[nodes].sum()), "p": len(ks), "objective": obj,
                     "lower_bound": lb, "gap": gap, "exact_adopted": adopted})
    return pd.DataFrame(rows)


def _walk(units: Units, nodes: np.ndarray, ks: np.ndarray) -> float:
    """Walking minutes of the units ``ks`` (the nodes of one component): their costs, or without the
    walking-limit penalty the costs then hold, the plain walk to the meeting points."""
    if units.limit is None:
        return float(sum(units.cost[int(k)] for k in ks))
    return float((units.dm[nodes] * units.mult[nodes]).sum())


def _lack(units: Units, groups: list[np.ndarray]) -> float:
    """Candidate heads the ``groups`` lack in all (:func:`~yuanluo.gis.delineate.improve.head_lack`)."""
    assert units.heads is not None
    w = units.mult if units.size is None else units.size
    return float(sum(head_lack(units.heads[gr].sum(), w[gr].sum(), units.heads_for) for gr in groups))


def _adopt(g: NodeGraph, s: Settings, units: Units, nodes: np.ndarray, median: np.ndarray) -> bool:
    """Take the MILP assignment when every cluster is connected and whole settlements stay whole."""
    med = nodes[median]
    if s.keep_settlements:
        df = pd.DataFrame({"b": g.block[nodes], "m": med})
        nun = df.groupby("b")["m"].nunique()
        fits = g.bsize[nun.index.to_numpy()] <= s.hi
        if (nun.to_numpy()[fits] > 1).any():
            return False
    old = np.unique(units.lab[nodes])
    groups = [nodes[med == m] for m in np.unique(med)]
    sizes = np.array([g.w[gr].sum() for gr in groups])
    if len(groups) > len(old) or ((sizes < s.lo - 1e-9) | (sizes > s.hi + 1e-9)).any():
        return False  # never trust a solver: a node-limited incumbent may break the band (seen: 26 for 15–25)
    if units.heads is not None and _lack(units, groups) > _lack(units, [units.nodes[int(k)] for k in old]):
        return False  # the p-median model knows nothing of candidate heads: never fewer units with one
    evals = [units.evaluate(gr) for gr in groups]
    if not all(np.isfinite(e[0]) for e in evals):
        return False
    for k in old.tolist():
        del units.nodes[k], units.meet[k], units.cost[k]
    for k, gr in zip(old.tolist(), groups, strict=True):
        units.lab[gr] = k
        units.nodes[k] = gr
        units.refresh(k)
    return True
