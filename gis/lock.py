"""Locked units: what a planner fixed by hand, kept exactly while the delineator redraws the rest.

A plan table written by the editor (``yuanluo edit``) has a third column, 锁定 (``locked``), set on every row of a
locked unit; :func:`read_locks` reads it back (the plan readers ignore it). :func:`resolve_locks` turns the
``--lock`` option (``U003,U007``, ``valid``, or nothing = the locks recorded in the plan) into unit ids.
:func:`delineate_around` keeps the locked units' households exactly and delineates the rest on the graph minus
the locked households (a sub-problem), then joins both with fresh unit ids that do not collide with the locked ones.

Known limits: the sub-problem does not see the locked units, so a settlement already split by a locked unit stays
split (PLAN-SETTLEMENT-SPLIT when it fits one unit), and an island unit next to a locked unit is judged by the check
as joinable (SIZE-LOW rather than SIZE-EXCEPTION).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from yuanluo.gis.errors import InputError, problem
from yuanluo.gis.graph import TerrainGraph, toward_matrix
from yuanluo.gis.plan import _norm, marked_units

__all__ = ["LOCK_ALIASES", "YES", "LockedDelineation", "delineate_around", "locked_units", "read_locks",
           "resolve_locks"]

#: Header names of the lock column (NFKC, lower case).
LOCK_ALIASES: tuple[str, ...] = ("锁定", "locked", "lock")
#: Cell values that mean "locked".
YES: frozenset[str] = frozenset({"1", "true", "yes", "y", "是", "t"})


def read_locks(path: str | Path) -> list[str]:
    """The units marked locked in a plan table (sorted; empty when the table has no lock column).

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "plan.csv")
    >>> _ = open(p, "w", encoding="utf-8-sig").write("户编号,院落编号,锁定\\n1,U1,是\\n2,U1,是\\n3,U2,\\n")
    >>> read_locks(p)
    ['U1']
    """
    return marked_units(path, LOCK_ALIASES, YES)


def resolve_locks(option: str | None, labels: pd.Series, recorded: Sequence[str],
                  passing: Callable[[], Sequence[str]]) -> list[str]:
    """The units to lock: ``option`` is a comma-separated list of unit ids, ``"valid"`` (the units ``passing()``
    returns) or None (the locks ``recorded`` in the plan). Unknown ids are ``LOCK-UNKNOWN``.

    Examples
    --------
    >>> lab = pd.Series(["A", "A", "B"], index=["1", "2", "3"])
    >>> resolve_locks(" B, A ", lab, [], lambda: []), resolve_locks(None, lab, ["A"], lambda: [])
    (['A', 'B'], ['A'])
    >>> resolve_locks("valid", lab, [], lambda: ["B"])
    ['B']
    """
    known = set(labels.dropna().astype(str))
    if option is None:
        wanted = [str(u) for u in recorded]
    elif option.strip().lower() in ("valid", "有效"):
        wanted = [str(u) for u in passing()]
    else:
        wanted = [_norm(u) for u in option.split(",") if _norm(u)]
    unknown = sorted(set(wanted) - known)
    if unknown:
        raise InputError(problem("LOCK-UNKNOWN", ids=unknown, units=sorted(known)[:10]))
    return sorted(set(wanted))


@dataclass
class LockedDelineation:
    """The outcome of :func:`delineate_around`.

    Attributes
    ----------
    labels : Series
        Unit id per household (the locked units' ids kept, the others fresh).
    locked : list of str
    model : fitted estimator of the sub-problem, or None when every household is locked
    renamed : dict
        The sub-problem's unit id -> the id it has in ``labels``.
    changes : DataFrame
        ``hid, before, after`` for every household not in a locked unit whose unit id changed.
    """

    labels: pd.Series
    locked: list[str]
    model: Any
    renamed: dict[str, str]
    changes: pd.DataFrame


def _subgraph(graph: TerrainGraph, nodes: np.ndarray) -> TerrainGraph:
    """The graph induced by ``nodes``, with the cut candidate edges among them (island joins need them)."""
    sub = graph.subgraph(nodes)
    cut = graph.cut
    if len(cut) and {"u", "v"} <= set(cut.columns):
        from yuanluo.gis.check import _cut_nodes

        cu, cv = _cut_nodes(graph, cut)
        remap = np.full(graph.n, -1, dtype=np.int64)
        remap[nodes] = np.arange(len(nodes))
        ok = (cu >= 0) & (cv >= 0)
        ok[ok] = (remap[cu[ok]] >= 0) & (remap[cv[ok]] >= 0)
        kept = cut[ok].copy()
        if np.issubdtype(cut["u"].to_numpy().dtype, np.integer):
            kept["u"], kept["v"] = remap[cu[ok]], remap[cv[ok]]
        sub.cut = kept.reset_index(drop=True)
    return sub


def _fresh_ids(new: Sequence[str], taken: set[str]) -> dict[str, str]:
    """``U001`` … for the new units in order, skipping ids already taken.

    >>> _fresh_ids(["U001", "U002"], {"U001"})
    {'U001': 'U002', 'U002': 'U003'}
    """
    width = max(3, len(str(len(new) + len(taken))))
    out: dict[str, str] = {}
    k = 0
    for u in new:
        k += 1
        while f"U{k:0{width}d}" in taken:
            k += 1
        out[u] = f"U{k:0{width}d}"
    return out


def delineate_around(households: Any, graph: TerrainGraph, labels: pd.Series, locked: Sequence[str],
                     make_model: Callable[[], Any]) -> LockedDelineation:
    """Keep the households of the ``locked`` units exactly; delineate the others with ``make_model()`` (an
    unfitted :class:`yuanluo.gis.cluster.UnitDelineator`) on the graph without the locked households.

    Deterministic: the sub-problem is the same for the same inputs, and the estimator draws from its own seed.
    """
    hids = pd.Index(households.index.astype(str))
    lab = labels.reindex(hids).astype("string")
    lock_set = {str(u) for u in locked}
    is_locked = lab.isin(sorted(lock_set)).fillna(False).to_numpy(dtype=bool)
    free = np.flatnonzero(~is_locked)
    out = pd.Series(lab.where(is_locked).astype(object).to_numpy(), index=hids, name="unit_id", dtype=object)
    model, renamed = None, {}
    if len(free):
        pos = pd.Index(np.asarray(graph.ids, dtype=object).astype(str)).get_indexer(hids[free])
        if (pos < 0).any():
            raise InputError(problem("CHECK-GRAPH", ids=sorted(hids[free][pos < 0])))
        sub_hh = households.iloc[free]
        model = make_model().fit(sub_hh, _subgraph(graph, pos))
        sub_lab = model.labels_.reindex(sub_hh.index).astype(str)
        renamed = _fresh_ids(list(dict.fromkeys(sorted(sub_lab))), lock_set)
        out.iloc[free] = sub_lab.map(renamed).to_numpy()
    before = lab.astype(object).where(lab.notna(), None)
    moved = ~is_locked & (before.to_numpy() != out.to_numpy())
    changes = pd.DataFrame({"hid": hids[moved], "before": before.to_numpy()[moved], "after": out.to_numpy()[moved]})
    return LockedDelineation(out, sorted(lock_set), model, renamed, changes)


def locked_units(households: pd.DataFrame, graph: TerrainGraph, labels: pd.Series, locked: Sequence[str], *,
                 size_by: str = "households", meeting: dict[str, str] | None = None) -> pd.DataFrame:
    """Rows of the locked units with the columns of a delineation's units table (``units_`` of
    :class:`yuanluo.gis.cluster.UnitDelineator`), ``status`` ``locked`` and no reason.

    The meeting point is ``meeting[unit]`` when that household is in the unit (the plan's own, kept with it),
    else the member the others reach in the fewest walking minutes in all (ties by hid). Walking minutes run
    household → meeting point along graph edges inside the unit; ``mean_walk_min`` and ``max_walk_min`` are
    NaN when a household has no such path (a unit joined across water). ``head_hid`` is the candidate head nearest the
    meeting point by walking time, as the delineator suggests it.

    Examples
    --------
    >>> from yuanluo.gis.graph import TerrainGraph
    >>> g = TerrainGraph(crs="EPSG:4545", ids=np.array(["a", "b", "c"], dtype=object), xy=np.zeros((3, 2)),
    ...     u=np.array([0, 1]), v=np.array([1, 2]), length_m=np.ones(2), walk_min=np.ones(2),
    ...     walk_uv=np.ones(2), walk_vu=np.ones(2))
    >>> hh = pd.DataFrame({"head_candidate": [True, False, False]}, index=pd.Index(["a", "b", "c"], name="hid"))
    >>> t = locked_units(hh, g, pd.Series(["U1", "U1", "U1"], index=hh.index), ["U1"])
    >>> t[["unit_id", "status", "meeting_hid", "mean_walk_min", "max_walk_min", "head_hid"]].to_dict("records")
    [{'unit_id': 'U1', 'status': 'locked', 'meeting_hid': 'b', 'mean_walk_min': 0.6666666666666666, \
'max_walk_min': 1.0, 'head_hid': 'a'}]
    """
    from scipy.sparse.csgraph import dijkstra

    from yuanluo.gis.delineate.heads import suggested_heads

    hids = np.asarray(households.index.astype(str), dtype=object)
    lab = labels.reindex(pd.Index(hids)).astype(object).to_numpy()
    gpos = pd.Index(np.asarray(graph.ids, dtype=object).astype(str)).get_indexer(hids)
    persons = (pd.to_numeric(households["persons"], errors="coerce").to_numpy(dtype=float)
               if "persons" in households.columns else None)
    head = (households["head_candidate"].fillna(False).astype(bool).to_numpy()
            if "head_candidate" in households.columns else None)
    rows = []
    for unit in sorted({str(u) for u in locked}):
        mem = np.flatnonzero(lab == unit)
        mem = mem[np.argsort(hids[mem], kind="stable")]
        sub = graph.subgraph(gpos[mem]) if (gpos[mem] >= 0).all() else None
        dm = np.full((len(mem), len(mem)), np.inf)  # dm[m, i]: minutes household i -> member m
        if sub is not None:
            k = len(mem)
            assert sub.walk_uv is not None and sub.walk_vu is not None
            dm = np.asarray(dijkstra(toward_matrix(sub.u, sub.v, sub.walk_uv, sub.walk_vu, k), directed=True))
        given = (meeting or {}).get(unit)
        at = np.flatnonzero(hids[mem] == given) if given is not None else np.array([], dtype=np.int64)
        if len(at):
            m = int(at[0])
        else:
            total = np.where(np.isfinite(dm), dm, 0.0).sum(axis=1) + 1e6 * (~np.isfinite(dm)).sum(axis=1)
            m = int(np.argmin(total))  # members in hid order: the first of equals
        walk = dm[m]
        reach = np.isfinite(walk)
        dist = np.full(len(hids), np.inf)
        dist[mem] = walk
        hhid, hlist = suggested_heads(households, hids, mem, dist)
        n = len(mem)
        first = households.iloc[mem[0]]
        rows.append({
            "unit_id": unit, "n_households": n,
            "persons": int(np.nansum(persons[mem])) if persons is not None else pd.NA,
            "size": float(np.nansum(persons[mem])) if size_by == "persons" and persons is not None else float(n),
            "status": "locked", "reason": "", "code": "",
            "village": str(first["village"]) if "village" in households.columns and pd.notna(first["village"])
            else None,
            "group": str(first["group"]) if "group" in households.columns and pd.notna(first["group"]) else None,
            "meeting_hid": str(hids[mem[m]]),
            "mean_walk_min": float(walk.mean()) if reach.all() else float("nan"),
            "max_walk_min": float(walk.max()) if reach.all() else float("nan"),
            "has_head": bool(head[mem].any()) if head is not None else False,
            "n_heads": int(head[mem].sum()) if head is not None else 0,
            "head_hid": hhid, "head_candidates": hlist, "seed": "", "reason_params": "",
        })
    out = pd.DataFrame(rows)
    if len(out):
        out["persons"] = out["persons"].astype("Int64")
    return out
