"""Independent checks of a delineation (run after every :class:`yuanluo.gis.cluster.UnitDelineator` fit).

The checks recompute everything from the households, the graph and the labels; they share no
bookkeeping with the solver. A failure is a bug, raised as :class:`yuanluo.gis.errors.InvariantError`
(code ``INVARIANT``, exit status 3), listing every failed check at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from yuanluo.gis.errors import InvariantError, Problem, problem
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.keys import nest_columns, nest_key
from yuanluo.gis.rules import Rules


def _bounds(rules_or_bounds: Any) -> tuple[int, int, str]:
    if isinstance(rules_or_bounds, Rules):
        return rules_or_bounds.min_size, rules_or_bounds.max_size, rules_or_bounds.size_by
    lo, hi, *rest = rules_or_bounds
    return int(lo), int(hi), str(rest[0]) if rest else "households"


def verify_delineation(
    households: pd.DataFrame,
    graph: TerrainGraph,
    labels: pd.Series,
    status: pd.Series,
    rules_or_bounds: Rules | Sequence[Any],
    nest_by: Sequence[str] | str = ("village", "group"),
    *,
    extra_edges: Any = None,
) -> None:
    """Raise :class:`InvariantError` unless the delineation keeps every hard rule.

    Parameters
    ----------
    households : DataFrame
        The input households, indexed by ``hid``.
    graph : TerrainGraph
        The graph the delineation used.
    labels, status : Series
        Unit id and ``"ok"``/``"exception"`` per household (indexed by ``hid``).
    rules_or_bounds : Rules or (min, max[, size_by])
        The size band, and ``"households"`` or ``"persons"``.
    nest_by : str or sequence of str
        Columns a unit must not straddle (absent columns are ignored; a bare string is one column).
    extra_edges : array-like of (hid, hid) pairs, optional
        Links the delineation was allowed to add (islands joined over an edge pruned for length).

    Checks: every household exactly once with a non-empty unit id; status is ``ok`` or ``exception``
    and the same for all households of a unit; ``ok`` units within the band; every unit connected in
    the graph (plus ``extra_edges``); no unit straddles a ``nest_by`` column; counts conserved.

    Examples
    --------
    >>> import pandas as pd
    >>> g = TerrainGraph.from_edges(["a", "b", "c"], [[0, 0], [60, 0], [120, 0]], [(0, 1), (1, 2)],
    ...                             crs="EPSG:4545")
    >>> hh = pd.DataFrame(index=pd.Index(["a", "b", "c"], name="hid"))
    >>> lab = pd.Series(["U1", "U1", "U2"], index=hh.index)
    >>> st = pd.Series(["ok", "ok", "exception"], index=hh.index)
    >>> verify_delineation(hh, g, lab, st, (2, 3))
    >>> ok = pd.Series("ok", index=hh.index)
    >>> verify_delineation(hh, g, pd.Series(["U1", "U2", "U1"], index=hh.index), ok, (1, 3))
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    yuanluo.gis.errors.InvariantError: Error INVARIANT: internal check failed: units not connected in the graph...
    """
    lo, hi, size_by = _bounds(rules_or_bounds)
    probs: list[Problem] = []

    def fail(what: str, ids: Any = ()) -> None:
        probs.append(problem("INVARIANT", ids=list(ids), what=what))

    idx = pd.Index(households.index.astype(str))
    lab_idx = pd.Index(labels.index.astype(str))
    if idx.has_duplicates:
        fail("duplicate household ids in the input", idx[idx.duplicated()][:20])
    if lab_idx.has_duplicates:
        fail("a household has more than one label", lab_idx[lab_idx.duplicated()][:20])
    missing = idx.difference(lab_idx)
    extra = lab_idx.difference(idx)
    if len(missing):
        fail(f"{len(missing)} households have no label (counts not conserved)", missing[:20])
    if len(extra):
        fail(f"{len(extra)} labels for unknown households", extra[:20])
    if probs:
        raise InvariantError(probs, lang="en")
    lab = pd.Series(np.asarray(labels, dtype=object), index=lab_idx).reindex(idx)
    st = pd.Series(np.asarray(status, dtype=object), index=pd.Index(status.index.astype(str))).reindex(idx)
    bad = lab.isna() | (lab.astype(str).str.len() == 0)
    if bad.any():
        fail("households without a unit id", idx[bad.to_numpy()][:20])
    bad_st = ~st.isin(["ok", "exception"])
    if bad_st.any():
        fail("status other than ok/exception", idx[bad_st.to_numpy()][:20])
    if probs:
        raise InvariantError(probs, lang="en")

    codes, units = pd.factorize(lab.astype(str), sort=True)
    k = len(units)
    # one status per unit
    st_code = (st.to_numpy() == "ok").astype(np.int64)
    n_ok = np.bincount(codes, weights=st_code, minlength=k)
    cnt = np.bincount(codes, minlength=k)
    mixed = (n_ok > 0) & (n_ok < cnt)
    if mixed.any():
        fail("units mixing ok and exception households", units[mixed][:20])
    if int(cnt.sum()) != len(households):
        fail("counts not conserved")
    # size band
    if size_by == "persons":
        w = pd.to_numeric(households["persons"], errors="coerce").fillna(0).to_numpy(dtype=float)
    else:
        w = np.ones(len(households))
    size = np.bincount(codes, weights=w, minlength=k)
    out = (n_ok == cnt) & ((size < lo) | (size > hi))
    if out.any():
        fail(f"ok units outside the size band {lo}-{hi} ({size_by})", units[out][:20])
    # nesting (values compared by the one rule of yuanluo.gis.keys: stripped text, a blank is its own value)
    cols = nest_columns(households, nest_by)
    for i, col in enumerate(cols):  # the key up to col: 新华村 of two towns are two villages
        vcode = nest_key(households, cols[: i + 1])
        nv = pd.DataFrame({"u": codes, "v": vcode}).groupby("u")["v"].nunique()
        straddle = nv.index[nv.to_numpy() > 1].to_numpy()
        if len(straddle):
            fail(f"units straddling column {col!r}", units[straddle][:20])
    _check_contiguity(graph, idx, codes, units, extra_edges, fail)
    if probs:
        raise InvariantError(probs, lang="en")


def _check_contiguity(graph: TerrainGraph, idx: pd.Index, codes: np.ndarray, units: pd.Index, extra_edges: Any,
                      fail: Any) -> None:
    """Every unit connected in the graph (plus ``extra_edges``): components of the same-unit edges."""
    pos = pd.Index(graph.ids).get_indexer(idx)
    if (pos < 0).any():
        fail("households missing from the graph", idx[pos < 0][:20])
        return
    node_unit = np.full(graph.n, -1, dtype=np.int64)
    node_unit[pos] = codes
    eu, ev = graph.u, graph.v
    if extra_edges is not None and len(extra_edges):
        ee = np.asarray(extra_edges, dtype=object).reshape(-1, 2)
        eu = np.r_[eu, pd.Index(graph.ids).get_indexer(ee[:, 0].astype(str))]
        ev = np.r_[ev, pd.Index(graph.ids).get_indexer(ee[:, 1].astype(str))]
    same = (node_unit[eu] == node_unit[ev]) & (node_unit[eu] >= 0)
    a = sp.coo_matrix((np.ones(int(same.sum())), (eu[same], ev[same])), shape=(graph.n, graph.n)).tocsr()
    _, comp = connected_components(a, directed=False)
    per_unit = pd.DataFrame({"u": codes, "c": comp[pos]}).groupby("u")["c"].nunique()
    split = per_unit.index[per_unit.to_numpy() > 1].to_numpy()
    if len(split):
        fail("units not connected in the graph", units[split][:20])
