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
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.plan import ID_ALIASES, UNIT_ALIASES, _find_col, _norm, _read_raw

__all__ = ["LOCK_ALIASES", "YES", "LockedDelineation", "delineate_around", "read_locks", "resolve_locks"]

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
    raw = _read_raw(Path(path))
    for r in range(min(10, len(raw))):
        row = [str(x) for x in raw.iloc[r].tolist()]
        i, u, k = (_find_col(row, None, ID_ALIASES), _find_col(row, None, UNIT_ALIASES),
                   _find_col(row, None, LOCK_ALIASES))
        if i is not None and u is not None and i != u:
            if k is None:
                return []
            body = raw.iloc[r + 1:]
            units = np.array([_norm(x) for x in body.iloc[:, u].astype(str)], dtype=object)
            flag = np.array([_norm(x).lower() in YES for x in body.iloc[:, k].astype(str)], dtype=bool)
            return sorted({x for x in units[flag] if x})
    return []


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
        raise InputError(problem("LOCK-UNKNOWN", ids=unknown, units=", ".join(sorted(known)[:10])))
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
