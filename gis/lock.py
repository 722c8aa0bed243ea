"""Locked units: what a planner fixed by hand, kept exactly while the delineator redraws the rest.

A plan table written by the editor (``yuanluo edit``) has a third column, 锁定 (``locked``), set on every row of a
locked unit; :func:`read_locks` reads it back (the plan readers ignore it). :func:`resolve_locks` turns the
``--lock`` option (``U003,U007``, ``valid``) and the locks recorded in the plan, together, into unit ids.
:func:`delineate_around` keeps the locked units' households exactly and delineates the rest on the graph minus
the locked households (a sub-problem), then joins both: a new unit most of whose households were one plan unit keeps
that unit's id, the others get fresh ids that collide with none of the plan's.

A locked unit is kept as the planner asked even where it breaks a rule; :func:`lock_breaches` says which rules
(``LOCK-BREACH``), and the result records them so that its own check takes them as declared.

Known limits: the sub-problem does not see the locked units, so a settlement already split by a locked unit stays
split (declared with the locked unit's breaches), and an island unit next to a locked unit is judged by the check
as joinable (SIZE-LOW rather than SIZE-EXCEPTION).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from yuanluo.gis.columns import flag_values, parse_bool
from yuanluo.gis.errors import InputError, Problem, problem
from yuanluo.gis.graph import TerrainGraph, toward_matrix
from yuanluo.gis.plan import KEPT_ATTR, _norm, marked_cells, plan_kept, split_plan_spec, unit_sort_key

__all__ = ["LOCK_ALIASES", "units_breaking", "locked_breaking", "LOCK_WORDS", "UNLOCK_WORDS", "LockBreaches", "LockedDelineation", "delineate_around",
           "head_short_locks", "lock_breaches", "lock_head_short", "lock_size_exceptions", "lock_sources", "locked_units", "read_lock_column", "read_locks", "resolve_locks", "size_locks", "split_unit_list", "with_lock_reasons"]

#: Header names of the lock column (NFKC, lower case).
LOCK_ALIASES: tuple[str, ...] = ("锁定", "locked", "lock")
#: Cell values that mean "locked", besides the yes-words of every yes/no column
#: (:func:`yuanluo.gis.columns.parse_bool`: 是, 1, y, √, ✓ …, as the head-candidate columns read them).
LOCK_WORDS: frozenset[str] = frozenset({"锁定", "已锁定", "locked", "lock"})
#: … and "not locked", besides the no-words (否, 0, n, × …) and a blank cell.
UNLOCK_WORDS: frozenset[str] = frozenset({"未锁定", "不锁定", "解锁", "unlocked", "not locked"})
#: What separates the ids of ``--lock``: commas (half- and full-width), 、, semicolons and white space.
_LIST_SEP = re.compile(r"[,，、;；\s]+")


def read_lock_column(path: str | Path) -> tuple[list[str], list[Problem]]:
    """The units marked locked in a plan table (sorted; empty when the table has no lock column), and a
    ``LOCK-VALUE`` warning naming the rows whose lock cell is neither a yes nor a no (those rows lock nothing) and
    their units, in the order a planner reads them (:func:`yuanluo.gis.plan.unit_sort_key`: U2 before U10).

    A unit is locked when any of its rows says yes: a yes-word of :func:`yuanluo.gis.columns.parse_bool` or
    one of :data:`LOCK_WORDS`.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "plan.csv")
    >>> _ = open(p, "w", encoding="utf-8-sig").write("户编号,院落编号,锁定\\n1,U1,√\\n2,U2,锁定\\n3,U3,否\\n4,U4,也许\\n")
    >>> units, probs = read_lock_column(p)
    >>> units, [(q.code, q.rows, q.params["values"]) for q in probs]
    (['U1', 'U2'], [('LOCK-VALUE', (5,), ['也许'])])
    """
    cells = marked_cells(path, LOCK_ALIASES)
    if cells is None:
        return [], []
    val = cells["value"].astype(str)
    yes, unknown = parse_bool(val)
    yes = yes.to_numpy(dtype=bool) | val.isin(sorted(LOCK_WORDS)).to_numpy(dtype=bool)
    bad = unknown.to_numpy(dtype=bool) & ~yes & ~val.isin(sorted(UNLOCK_WORDS)).to_numpy(dtype=bool)
    units = sorted({u for u in cells.loc[yes, "unit"] if u})
    probs = []
    if bad.any():
        shown = cells.loc[bad, "value"].tolist()
        probs.append(problem("LOCK-VALUE", severity="warning", file=split_plan_spec(path)[0].name,
                             rows=cells.loc[bad, "row"].tolist(), values=sorted(set(shown), key=shown.index)[:5],
                             units=sorted({u for u in cells.loc[bad, "unit"] if u}, key=unit_sort_key)[:10]))
    return units, probs


def read_locks(path: str | Path) -> list[str]:
    """The units marked locked in a plan table (:func:`read_lock_column` without its warnings).

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "plan.csv")
    >>> _ = open(p, "w", encoding="utf-8-sig").write("户编号,院落编号,锁定\\n1,U1,是\\n2,U1,是\\n3,U2,\\n")
    >>> read_locks(p)
    ['U1']
    """
    return read_lock_column(path)[0]


def split_unit_list(option: str) -> list[str]:
    """The unit ids of a ``--lock`` list: separated by commas (``,`` or a Chinese input method's ``，``), ``、``,
    semicolons or spaces; NFKC, blanks dropped.

    >>> split_unit_list("U009，U010、 U011;U012 ；U013")
    ['U009', 'U010', 'U011', 'U012', 'U013']
    """
    return [_norm(u) for u in _LIST_SEP.split(option) if _norm(u)]


def lock_sources(option: str | None, labels: pd.Series, recorded: Sequence[str],
                 passing: Callable[[], Sequence[str]]) -> dict[str, list[str]]:
    """The units to lock, each with why (``column``: the plan's 锁定 column, ``recorded``; ``option``: named by
    ``--lock``; ``valid``: ``--lock valid``, the units ``passing()`` returns): the union of the plan's column and
    ``option``, a list of unit ids (:func:`split_unit_list`) that may say ``valid`` (or 有效). Unknown ids are
    ``LOCK-UNKNOWN``.

    Examples
    --------
    >>> lab = pd.Series(["A", "A", "B", "C"], index=["1", "2", "3", "4"])
    >>> lock_sources("B，A", lab, ["A"], lambda: [])
    {'A': ['column', 'option'], 'B': ['option']}
    >>> lock_sources("valid", lab, ["A"], lambda: ["C"])
    {'A': ['column'], 'C': ['valid']}
    """
    known = set(labels.dropna().astype(str))
    why: dict[str, list[str]] = {}
    for u in recorded:
        why.setdefault(str(u), []).append("column")
    for tok in split_unit_list(option) if option is not None else []:
        if tok.lower() in ("valid", "有效"):
            for u in passing():
                if "valid" not in why.setdefault(str(u), []):
                    why[str(u)].append("valid")
        elif "option" not in why.setdefault(tok, []):
            why[tok].append("option")
    unknown = sorted(set(why) - known)
    if unknown:
        raise InputError(problem("LOCK-UNKNOWN", ids=unknown, units=sorted(known)[:10]))
    return {u: why[u] for u in sorted(why)}


def resolve_locks(option: str | None, labels: pd.Series, recorded: Sequence[str],
                  passing: Callable[[], Sequence[str]]) -> list[str]:
    """The units to lock (:func:`lock_sources`): those ``recorded`` in the plan's lock column and those named by
    ``option`` (ids, or ``"valid"``: the units ``passing()`` returns). Unknown ids are ``LOCK-UNKNOWN``.

    Examples
    --------
    >>> lab = pd.Series(["A", "A", "B"], index=["1", "2", "3"])
    >>> resolve_locks(" B, A ", lab, [], lambda: []), resolve_locks(None, lab, ["A"], lambda: [])
    (['A', 'B'], ['A'])
    >>> resolve_locks("valid", lab, ["A"], lambda: ["B"])
    ['A', 'B']
    """
    return list(lock_sources(option, labels, recorded, passing))


@dataclass
class LockedDelineation:
    """The outcome of :func:`delineate_around`.

    Attributes
    ----------
    labels : Series
        Unit id per household (the locked units' ids kept; a new unit most of whose households one plan unit held
        keeps its id, the others fresh).
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
        from yuanluo.gis.graph import cut_nodes

        cu, cv = cut_nodes(graph, cut)
        remap = np.full(graph.n, -1, dtype=np.int64)
        remap[nodes] = np.arange(len(nodes))
        ok = (cu >= 0) & (cv >= 0)
        ok[ok] = (remap[cu[ok]] >= 0) & (remap[cv[ok]] >= 0)
        kept = cut[ok].copy()
        if np.issubdtype(cut["u"].to_numpy().dtype, np.integer):
            kept["u"], kept["v"] = remap[cu[ok]], remap[cv[ok]]
        sub.cut = kept.reset_index(drop=True)
    return sub


def _new_ids(new: pd.Series, plan: pd.Series, taken: set[str]) -> dict[str, str]:
    """The id each new unit gets: ``new`` (hid → the sub-problem's unit) and ``plan`` (hid → the plan's unit, NA
    for none) of the same households. A new unit more than half of whose households one plan unit held keeps that
    plan unit's id (the largest share first, ties by the new unit's then the plan's id; each plan id once, never
    one in ``taken``); the others get ``U001`` … in order, skipping ``taken`` and every id of the plan.

    >>> new = pd.Series(["a", "a", "a", "b", "b", "c"])
    >>> plan = pd.Series(["U2", "U2", "U7", "U2", "U3", None])
    >>> _new_ids(new, plan, {"U1"})
    {'a': 'U2', 'b': 'U001', 'c': 'U002'}
    """
    sizes = new.astype(str).value_counts()
    both_ = pd.DataFrame({"new": new.astype(str).to_numpy(), "plan": plan.astype("string").to_numpy()}).dropna()
    pairs = both_.value_counts().rename("n").reset_index()
    pairs = pairs[(2 * pairs["n"] > pairs["new"].map(sizes).to_numpy()) & ~pairs["plan"].isin(sorted(taken))]
    pairs = pairs.assign(neg=-pairs["n"]).sort_values(["neg", "new", "plan"], kind="stable")
    out: dict[str, str] = {}
    used = set(taken)
    for u, q in zip(pairs["new"], pairs["plan"], strict=True):
        if u not in out and q not in used:
            out[str(u)] = str(q)
            used.add(str(q))
    avoid = used | {str(q) for q in plan.dropna()}
    rest = [u for u in dict.fromkeys(sorted(new.astype(str))) if u not in out]
    width = max(3, len(str(len(rest) + len(avoid))))
    k = 0
    for u in rest:
        k += 1
        while f"U{k:0{width}d}" in avoid:
            k += 1
        out[u] = f"U{k:0{width}d}"
    return out


def delineate_around(households: Any, graph: TerrainGraph, labels: pd.Series, locked: Sequence[str],
                     make_model: Callable[[], Any]) -> LockedDelineation:
    """Keep the households of the ``locked`` units exactly; delineate the others with ``make_model()`` (an
    unfitted :class:`yuanluo.gis.cluster.UnitDelineator`) on the graph without the locked households. A
    ``HEAD-SHORT`` of the model that the lock causes says so in its ``problems_`` (:func:`lock_head_short`) and
    in its row of ``units_`` and ``exceptions_`` (``reason``, and ``lock`` in ``reason_params``:
    :func:`with_lock_reasons`), and so does a ``HEAD-UNPLACED`` whose area without the lock has a split giving
    each unit a candidate (the lock is, or may be, why: :func:`head_short_locks`); so does a ``RULE-INFEASIBLE``
    or ``RULE-NOSPLIT`` that the lock causes (:func:`lock_size_exceptions`, :func:`size_locks`).

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
        renamed = _new_ids(sub_lab, lab.iloc[free], lock_set)
        out.iloc[free] = sub_lab.map(renamed).to_numpy()
        near_on_plan(households, graph, out, model)  # the nearest candidate, with the locked units, as named
        if is_locked.any():  # a HEAD-SHORT the lock causes says so (the sub-problem does not see the lock)
            causes = head_short_locks(households, graph, out, sorted(lock_set), model, make_model)
            model.problems_ = lock_head_short(households, graph, out, sorted(lock_set), model, make_model,
                                              causes=causes)
            model.units_ = with_lock_reasons(model.units_, causes)  # its row says so too, in the same words
            model.exceptions_ = with_lock_reasons(model.exceptions_, causes)
            sized = size_locks(households, graph, out, sorted(lock_set), model, make_model)
            model.problems_ = lock_size_exceptions(households, graph, out, sorted(lock_set), model, make_model,
                                                   causes=sized)
            model.units_ = with_lock_reasons(model.units_, sized)  # a size exception the lock causes, likewise
            model.exceptions_ = with_lock_reasons(model.exceptions_, sized)
    before = lab.astype(object).where(lab.notna(), None)
    moved = ~is_locked & (before.to_numpy() != out.to_numpy())
    changes = pd.DataFrame({"hid": hids[moved], "before": before.to_numpy()[moved], "after": out.to_numpy()[moved]})
    return LockedDelineation(out, sorted(lock_set), model, renamed, changes)


def near_on_plan(households: Any, graph: TerrainGraph, labels: pd.Series, model: Any) -> None:
    """The nearest candidate head outside each unit of ``model`` (fitted by :func:`delineate_around`) without its
    head (HEAD-SHORT, HEAD-UNPLACED), found again on the whole plan ``labels`` (hid → unit as the result names
    it): the sub-problem sees neither the locked units' candidates nor the paths through them, and names units
    by its own ids. Its ``units_``, ``exceptions_`` rows (``reason_params``' ``near_*``, ``reason``) and its
    findings' reasons say it as the delineator says it; nothing else changes."""
    from dataclasses import replace

    from yuanluo.gis.catalogue import LANGS, default_lang
    from yuanluo.gis.delineate.heads import nearest_candidates
    from yuanluo.gis.delineate.reasons import HEAD_WHYS, render_reason, render_why
    from yuanluo.gis.keys import nest_key

    units = model.units_
    at = units["code"].isin(["HEAD-SHORT", "HEAD-UNPLACED"]).to_numpy(dtype=bool)
    if not at.any() or "head_candidate" not in households.columns:
        return
    rules = model.rules()
    hids = np.asarray(households.index.astype(str), dtype=object)
    where = pd.Index(hids)
    ask = {str(u): (int(where.get_indexer([str(m)])[0]), "meeting")
           for u, m in zip(units.loc[at, "unit_id"], units.loc[at, "meeting_hid"], strict=True)
           if str(m) in where}
    lab = labels.reindex(where)
    unit_of = np.array([str(x) if isinstance(x, str) and x else "" for x in lab.to_numpy()], dtype=object)
    w = (pd.to_numeric(households["persons"], errors="coerce").fillna(0).to_numpy(dtype=float)
         if rules.size_by == "persons" and "persons" in households.columns else np.ones(len(hids)))
    near = nearest_candidates(graph, pd.Index(np.asarray(graph.ids, dtype=object).astype(str)).get_indexer(hids),
                              hids, unit_of, flag_values(households["head_candidate"], "head_candidate"), w,
                              {u: a for u, a in ask.items() if a[0] >= 0}, heads_for_size=rules.heads_for_size,
                              join_limit=rules.join_limit_min, key=nest_key(households, rules.nest_by))
    said: dict[str, dict[str, Any]] = {}

    def again(table: pd.DataFrame) -> pd.DataFrame:
        table = table.copy()
        for i, u, code, q in zip(table.index, table["unit_id"], table["code"], table["reason_params"], strict=True):
            if code not in ("HEAD-SHORT", "HEAD-UNPLACED") or not isinstance(q, str) or not q:
                continue
            params = {k: v for k, v in json.loads(q).items() if not k.startswith("near_")} | near.get(str(u), {})
            said[str(u)] = params
            table.loc[i, "reason_params"] = json.dumps(params, ensure_ascii=False, sort_keys=True)
            table.loc[i, "reason"] = render_reason(str(code), params, default_lang())
        return table

    model.units_ = again(units)
    model.exceptions_ = again(model.exceptions_)
    model.problems_ = [replace(q, params={**q.params, "why": {lang: render_why(said[str(q.params["unit"])], lang)
                                                              for lang in LANGS}})
                       if q.code in ("HEAD-SHORT", "HEAD-UNPLACED") and str(q.params.get("unit")) in said
                       and said[str(q.params["unit"])].get("why") in HEAD_WHYS else q
                       for q in model.problems_]


def lock_head_short(households: Any, graph: TerrainGraph, labels: pd.Series, locked: Sequence[str], model: Any,
                    make_model: Callable[[], Any], *, causes: dict[str, dict[str, Any]] | None = None
                    ) -> list[Problem]:
    """The problems of ``model`` (fitted by :func:`delineate_around` on the households outside the ``locked``
    units; ``labels``: its result) with each ``HEAD-SHORT`` that the lock causes saying so.

    The sub-problem takes a connected area without the locked households: an area that the locked units cut off,
    or whose candidates they hold, is short there (too few candidates, or none where a part of it must have one)
    though it is not as a whole. For each unit whose area is short, by count (its reason has a ``shortfall``) or
    proven by its shape (``head_proven``), the area is taken as the delineator would take it without the lock
    and the same proofs are run on it (:func:`head_short_locks`, or ``causes`` when given): where it then has a
    split within the band giving each unit its candidates, and holds locked units, the lock is why. Its reason
    then names those units, the candidates they hold and, without the lock, the area's count (short by count) or
    its split (proven by shape), in the words of its row's reason (:func:`with_lock_reasons`), and its fix asks
    first to unlock them (``lock.head_short.then``; ``.py`` outside the command line). Other HEAD-SHORTs (short
    without the lock too, by count or by shape) are left as they are.
    """
    from dataclasses import replace

    from yuanluo.gis.catalogue import LANGS, on_command_line, text
    from yuanluo.gis.delineate.reasons import render_why

    if causes is None:
        causes = head_short_locks(households, graph, labels, locked, model, make_model)
    probs = list(model.problems_)
    if not causes:
        return probs
    params = {str(u): json.loads(q) for u, q in zip(model.units_["unit_id"], model.units_["reason_params"],
                                                   strict=True) if str(u) in causes}
    key = "lock.head_short.then" + ("" if on_command_line() else ".py")
    for i, q in enumerate(probs):
        unit = str(q.params.get("unit"))
        if q.code not in ("HEAD-SHORT", "HEAD-UNPLACED") or unit not in causes:
            continue
        why = params[unit] | {"lock": causes[unit]}
        said = {lang: render_why(why, lang) for lang in LANGS}
        if q.code == "HEAD-UNPLACED":  # its fix has no {then}: its reason says what unlocking would give
            probs[i] = replace(q, params={**q.params, "why": said})
            continue
        then = {lang: text(key, lang, units=text("list.sep", lang).join(causes[unit]["units"])) for lang in LANGS}
        probs[i] = replace(q, params={**q.params, "why": said, "then": then})
    return probs


def lock_size_exceptions(households: Any, graph: TerrainGraph, labels: pd.Series, locked: Sequence[str],
                         model: Any, make_model: Callable[[], Any], *,
                         causes: dict[str, dict[str, Any]] | None = None) -> list[Problem]:
    """The problems of ``model`` (fitted by :func:`delineate_around`; ``labels``: its result) with each size
    exception that the lock causes saying so (:func:`size_locks`, or ``causes`` when given). The sub-problem
    does not see the locked households, so it said of such an area "isolated area of 3 households; no walkable
    link to other households" (a street of 13, band 4–6, U2 of five locked in its middle), and asked to look for a
    bridge. Its reason now names the locked units, what they hold and the area's count without the lock
    (``lock.why.size``; an isolated or unsplittable area without its cuts, which are the locked households'
    doing), in the words of its row's reason (:func:`with_lock_reasons`), and its fix asks first to unlock them
    (``lock.size.then``; ``.py`` outside the command line). Other exceptions are left as they are.
    """
    from dataclasses import replace

    from yuanluo.gis.catalogue import LANGS, on_command_line, text
    from yuanluo.gis.delineate.reasons import render_why

    if causes is None:
        causes = size_locks(households, graph, labels, locked, model, make_model)
    probs = list(model.problems_)
    if not causes:
        return probs
    params = {str(u): json.loads(q) for u, q in zip(model.units_["unit_id"], model.units_["reason_params"],
                                                   strict=True) if str(u) in causes and q}
    key = "lock.size.then" + ("" if on_command_line() else ".py")  # RULE-INFEASIBLE's fix goes on "or approve it …"
    for i, q in enumerate(probs):
        unit = str(q.params.get("unit"))
        if q.code not in SIZE_LOCK_CODES or unit not in causes or unit not in params:
            continue
        why = params[unit] | {"lock": causes[unit]}
        units = causes[unit]["units"]
        then = {lang: text(key, lang, units=text("list.sep", lang).join(units)) for lang in LANGS}
        probs[i] = replace(q, params={**q.params, "why": {lang: render_why(why, lang) for lang in LANGS},
                                      "then": then})
    return probs


#: The size exceptions a lock can cause (:func:`size_locks`).
SIZE_LOCK_CODES = ("RULE-INFEASIBLE", "RULE-NOSPLIT")


def size_locks(households: Any, graph: TerrainGraph, labels: pd.Series, locked: Sequence[str], model: Any,
               make_model: Callable[[], Any]) -> dict[str, dict[str, Any]]:
    """The size exceptions of ``model`` (fitted by :func:`delineate_around`; ``labels``: its result) that the lock
    causes: unit id (the model's) → the ``lock`` of its reason parameters (``units``: the locked units in its
    connected area, sorted; ``held``: the households, or persons, they hold; ``total``: the area counted without
    the lock; ``lo``, ``hi``: the band).

    A ``RULE-INFEASIBLE`` or ``RULE-NOSPLIT`` unit (not one household above the ceiling, which no lock causes)
    whose connected area, taken as the delineator would take it without the lock (every household the graph
    holds, the same rules), holds locked units and a number of households (or persons) that units of the band
    can make up. A count that fits is not a proven contiguous split: the sentence says the number fits, no more.
    """
    from yuanluo.gis.delineate.reasons import LOCK_SIZE_WHYS

    probs = list(model.problems_)
    at = [q for q in probs if q.code in SIZE_LOCK_CODES and q.params.get("size") is not None and q.ids]
    if not at:
        return {}
    params = {str(u): json.loads(q) for u, q in zip(model.units_["unit_id"], model.units_["reason_params"],
                                                   strict=True) if q}
    if not any(params.get(str(q.params.get("unit")), {}).get("why") in LOCK_SIZE_WHYS for q in at):
        return {}
    unlocked = _without_lock(households, graph, make_model)
    if unlocked is None:
        return {}
    whole, s = unlocked
    g, hix = whole.graph, whole.households
    comp = g.comp[hix.node_of]
    total = np.bincount(g.comp, weights=g.w)
    unit_of = labels.reindex(pd.Index(hix.ids.astype(str))).astype(object).to_numpy()
    in_lock = np.isin(unit_of.astype(str), sorted({str(u) for u in locked}))
    w = np.asarray(hix.w, dtype=float)
    where = pd.Index(hix.ids.astype(str))
    out: dict[str, dict[str, Any]] = {}
    for q in at:
        unit = str(q.params.get("unit"))
        pos = where.get_indexer([str(x) for x in q.ids])
        if not len(pos) or (pos < 0).any() or params.get(unit, {}).get("why") not in LOCK_SIZE_WHYS:
            continue
        c = int(comp[pos[0]])
        mem = (comp == c) & in_lock
        t = float(total[c])
        if not mem.any() or np.ceil(t / s.hi - 1e-9) > np.floor(t / s.lo + 1e-9):  # no lock here, or no count fits
            continue
        out[unit] = {"units": sorted({str(u) for u in unit_of[mem]}), "held": int(round(float(w[mem].sum()))),
                     "total": int(round(t)), "lo": s.lo, "hi": s.hi}
    return out


def head_short_locks(households: Any, graph: TerrainGraph, labels: pd.Series, locked: Sequence[str], model: Any,
                     make_model: Callable[[], Any]) -> dict[str, dict[str, Any]]:
    """The ``HEAD-SHORT`` units of ``model`` (fitted by :func:`delineate_around`; ``labels``: its result) that the
    lock makes short, as :func:`lock_head_short` finds them: unit id (the model's) → the ``lock`` of its
    reason parameters (``units``: the locked units in its connected area, sorted; ``held``: the candidates they
    hold; ``total``, ``needed``, ``candidates``: the area counted without the lock; for a unit whose area the
    sub-problem proved short by its shape, ``lo`` and ``hi`` too: the band it could be split within).

    A unit is short by count (its reason has a ``shortfall``) or proven short by the shape of its area (``why``
    ``head_proven``: :mod:`yuanluo.gis.delineate.headproof` or the exact MILP). Either way its area is taken
    with the locked households given back, as the delineator would take it without the lock (the same rules on
    every household the graph holds), and the same proofs decide it
    (:func:`yuanluo.gis.delineate.heads.area_head_split`): the lock is why only where the area then holds locked
    units and a split within the band giving each unit its candidates is found. Short there too (by count or by
    shape), or undecided: the lock is not named.

    A ``HEAD-UNPLACED`` unit (its area has enough candidates, but no split giving each unit one was found, nor
    proven not to exist) whose area without the lock has such a split is decided once more on the area the
    sub-problem had, without the locked households (:func:`_locked_out_split`): proven to have none there (or
    short), the lock is why (``proof`` ``proven``: ``lock.why.head_unplaced_proven``); undecided, the lock may be
    (``proof`` ``undecided``: ``lock.why.head_unplaced``); a split found there, the search missed it and the lock
    is not named. Its ``lock`` has ``lo``, ``hi`` and ``proof`` besides.
    """

    from yuanluo.gis.delineate.heads import area_head_split, min_heads

    units = model.units_
    if not len(units) or "code" not in units.columns:
        return {}
    short = units[units["code"].isin(["HEAD-SHORT", "HEAD-UNPLACED"])]
    why = {str(u): json.loads(q) for u, q in zip(short["unit_id"], short["reason_params"], strict=True) if q}
    proven = {u for u, q in why.items() if q.get("why") == "head_proven"}  # short by the shape of its area
    unplaced = {u for u, q in why.items() if q.get("why") == "head_unplaced"}  # no split found, none proven
    counted = {u for u, q in why.items() if "shortfall" in q} | proven | unplaced
    at = [q for q in model.problems_ if q.code in ("HEAD-SHORT", "HEAD-UNPLACED")
          and str(q.params.get("unit")) in counted]
    if not at or "head_candidate" not in households.columns:
        return {}
    unlocked = _without_lock(households, graph, make_model)
    if unlocked is None:
        return {}
    whole, s = unlocked
    g, hix = whole.graph, whole.households
    if g.head is None:
        return {}
    comp = g.comp[hix.node_of]  # per household, in hid order (hix.ids)
    total = np.bincount(g.comp, weights=g.w)
    cand = np.bincount(g.comp, weights=np.minimum(g.head, 1 if s.heads_for_size is None else 2),
                       minlength=len(total))
    split: dict[int, str] = {}  # per area, decided once: "found" where a split gives each unit its candidates
    rng = np.random.default_rng(0)
    unit_of = labels.reindex(pd.Index(hix.ids.astype(str))).astype(object).to_numpy()
    lock_set = sorted({str(u) for u in locked})
    in_lock = np.isin(unit_of.astype(str), lock_set)
    head = flag_values(hix.frame["head_candidate"], "head_candidate")
    where = pd.Index(hix.ids.astype(str))
    out: dict[str, dict[str, Any]] = {}
    memo: dict[Any, Any] = {}  # the area the lock left, prepared once, and each of its areas decided once
    for q in at:
        pos = where.get_indexer(list(q.ids))
        if not len(pos) or (pos < 0).any():
            continue
        c = int(comp[pos[0]])
        mem = (comp == c) & in_lock
        if not mem.any():
            continue
        if c not in split:  # the same proofs, on the area with the locked households given back
            split[c] = area_head_split(g, s, c, rng)
        if split[c] != "found":  # short without the lock too (by count or by shape), or undecided
            continue
        unit = str(q.params["unit"])
        proof = ""
        if unit in unplaced:  # decided on the area the lock left: the lock is why, may be, or is not
            left = _locked_out_split(households, graph, labels, lock_set, make_model, [str(x) for x in q.ids],
                                     memo)
            if left == "found":
                continue
            proof = "proven" if left in ("proven", "short") else "undecided"
        out[unit] = {"units": sorted({str(u) for u in unit_of[mem]}), "held": int(head[mem].sum()),
                     "total": int(total[c]), "needed": min_heads(float(total[c]), s), "candidates": int(cand[c])}
        if unit in proven or unit in unplaced:  # said as a split the area without the lock has
            out[unit] |= {"lo": s.lo, "hi": s.hi}
        if proof:
            out[unit]["proof"] = proof
    return out


def _locked_out_split(households: Any, graph: TerrainGraph, labels: pd.Series, locked: Sequence[str],
                      make_model: Callable[[], Any], ids: Sequence[str], memo: dict[Any, Any]) -> str:
    """:func:`yuanluo.gis.delineate.heads.area_head_split` of the connected area holding the households ``ids`` as
    the sub-problem of :func:`delineate_around` had it: the households outside the ``locked`` units of ``labels``
    on the graph without the locked ones; ``"undecided"`` where it cannot be taken. ``memo`` (one dict per
    ``labels``) keeps that problem, prepared once, and what each of its areas was found to be."""
    from yuanluo.gis.delineate.heads import area_head_split

    if "left" not in memo:
        hids = pd.Index(households.index.astype(str))
        free = ~labels.reindex(hids).astype("string").isin(sorted(locked)).fillna(False).to_numpy(dtype=bool)
        pos = pd.Index(np.asarray(graph.ids, dtype=object).astype(str)).get_indexer(hids[free])
        memo["left"] = (None if (pos < 0).any() else
                        _without_lock(households.iloc[np.flatnonzero(free)], _subgraph(graph, pos), make_model))
    if memo["left"] is None:
        return "undecided"
    whole, s = memo["left"]
    at = pd.Index(whole.households.ids.astype(str)).get_indexer(list(ids))
    if not len(at) or (at < 0).any() or whole.graph.head is None:
        return "undecided"
    c = int(whole.graph.comp[whole.households.node_of[at[0]]])
    if c not in memo:
        memo[c] = area_head_split(whole.graph, s, c, np.random.default_rng(0))
    return str(memo[c])


def with_lock_reasons(units: pd.DataFrame, causes: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """``units`` (a units table of the model that :func:`head_short_locks` or :func:`size_locks` read) with the
    rows of the units in ``causes`` saying that the lock is why they are exceptions: their ``reason_params`` get the ``lock``, their
    ``reason`` is rendered again from them (``YUANLUO_LANG``'s language, as the delineator renders it) — the words
    the unit's finding says (:func:`lock_head_short`). Every other row is left as it is.

    >>> t = pd.DataFrame({"unit_id": ["U1", "U2"], "code": ["HEAD-SHORT", "HEAD-SHORT"], "reason": ["a", "b"],
    ...                   "reason_params": ['{"why": "head_short", "size": 20}'] * 2})
    >>> out = with_lock_reasons(t, {"U2": {"units": ["U9"], "held": 2, "total": 40, "needed": 2, "candidates": 2}})
    >>> out["reason"][0], out["reason_params"][1]
    ('a', '{"lock": {"candidates": 2, "held": 2, "needed": 2, "total": 40, "units": ["U9"]}, "size": 20, "why": "head_short"}')
    """
    from yuanluo.gis.catalogue import default_lang
    from yuanluo.gis.delineate.reasons import render_reason

    out = units.copy()
    if not causes or not len(out):
        return out
    lang = default_lang()
    for i, u, code, q in zip(out.index, out["unit_id"], out["code"], out["reason_params"], strict=True):
        if str(u) in causes and code in ("HEAD-SHORT", "HEAD-UNPLACED", *SIZE_LOCK_CODES):
            params = json.dumps(json.loads(q) | {"lock": causes[str(u)]}, ensure_ascii=False, sort_keys=True)
            out.loc[i, "reason_params"] = params
            out.loc[i, "reason"] = render_reason(code, params, lang)
    return out


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
    from yuanluo.gis.delineate.result import unit_levels

    hids = np.asarray(households.index.astype(str), dtype=object)
    lab = labels.reindex(pd.Index(hids)).astype(object).to_numpy()
    gpos = pd.Index(np.asarray(graph.ids, dtype=object).astype(str)).get_indexer(hids)
    persons = (pd.to_numeric(households["persons"], errors="coerce").to_numpy(dtype=float)
               if "persons" in households.columns else None)
    head = (flag_values(households["head_candidate"], "head_candidate")
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
        rows.append({
            "unit_id": unit, "n_households": n,
            "persons": int(np.nansum(persons[mem])) if persons is not None else pd.NA,
            "size": float(np.nansum(persons[mem])) if size_by == "persons" and persons is not None else float(n),
            "status": "locked", "reason": "", "code": "",
            **unit_levels(households, int(mem[0])),
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


@dataclass
class LockBreaches:
    """What the locked units break (:func:`lock_breaches`).

    Attributes
    ----------
    params : dict
        unit id → its ``reason_params`` (``why`` ``lock_breach``, ``breaches`` per language, ``codes``: the
        check's codes it breaks), for the units table with ``code`` ``LOCK-BREACH``.
    problems : list of Problem
        One ``LOCK-BREACH`` warning per locked unit that breaks a rule.
    split : set of str
        The households of the settlements a locked unit splits (the result's ``settlement_split``).
    """

    params: dict[str, dict[str, Any]]
    problems: list[Problem]
    split: set[str]


def lock_breaches(households: Any, graph: TerrainGraph, labels: pd.Series, locked: Sequence[str], rules: Any, *,
                  meeting_points: pd.Series | None = None, declared: Any = None,
                  graph_kind: str = "terrain") -> LockBreaches:
    """The rules each locked unit breaks in the plan ``labels`` (the result of :func:`delineate_around`), as the
    check finds them (:func:`yuanluo.gis.check.check_plan` with the result's ``meeting_points`` and what the
    households' own delineation ``declared``): its errors, and the exceptions it has (unavoidable or declared:
    a declared exception is named by its reason). A locked unit is kept as the planner asked; each breach is said.
    The check takes the ``locked`` units as kept, as it takes them from the result (``status`` ``locked``): its
    islands and areas are found without them (:func:`yuanluo.gis.check.plan_zones`).
    """
    from yuanluo.gis.catalogue import LANGS, both, has, text
    from yuanluo.gis.check import EXCEPTION_CODES, check_plan

    lock_set = sorted({str(u) for u in locked})
    kept = labels.astype("string").str.strip()
    kept.index = pd.Index(kept.index.astype(str))
    kept = kept[kept.isin(lock_set).fillna(False).to_numpy(dtype=bool)]
    as_kept = labels.copy()  # the result records them kept: check_plan reads the plan's own record (plan_kept)
    as_kept.attrs[KEPT_ATTR] = {**plan_kept(labels).to_dict(), **{str(h): str(u) for h, u in kept.items()}}
    res = check_plan(households, as_kept, rules, graph=graph, graph_kind=graph_kind, meeting_points=meeting_points,
                     declared=declared)
    viol = res.violations
    found: dict[str, list[str]] = {u: [] for u in lock_set}
    split: set[str] = set()
    settle = (households["settlement"].astype("string") if "settlement" in households.columns else None)
    lab = labels.astype("string")
    lab.index = pd.Index(lab.index.astype(str))
    for code, sev, units, hids in zip(viol["code"], viol["severity"], viol["units"], viol["hids"], strict=True):
        mine = [str(u) for u in units if str(u) in found]
        if not mine or not (sev == "error" or code in EXCEPTION_CODES):
            continue
        for u in mine:
            if code not in found[u]:
                found[u].append(code)
        is_split = code == "PLAN-SETTLEMENT-SPLIT" or (code == "DECLARED-EXCEPTION" and len(units) > 1)
        if is_split and settle is not None and len(hids):  # a settlement split: all its households in those units
            named = set(settle.reindex(pd.Index([str(h) for h in hids])).dropna())
            here = settle.isin(sorted(named)).fillna(False).to_numpy(dtype=bool)
            inside = lab.reindex(households.index.astype(str)).isin([str(u) for u in units]).fillna(False)
            split |= set(households.index.astype(str)[here & inside.to_numpy(dtype=bool)])
    units_tbl = res.units.set_index(res.units["unit_id"].astype(str))
    what = "persons" if rules.size_by == "persons" else "households"
    reasons = getattr(declared, "reasons", {}) or {}
    held = declared.holding(labels) if declared is not None and declared.applies(rules) else set()
    params: dict[str, dict[str, Any]] = {}
    probs: list[Problem] = []
    for u in lock_set:
        codes = sorted(found[u])
        before = getattr(declared, "locked", {}).get(u) if u in held else None
        if before is not None:  # locked as it was in a lock result: the breaches that result recorded, once
            codes = sorted((set(codes) - {"DECLARED-EXCEPTION"}) | set(before))
        if not codes:
            continue
        # an exception its delineation declared (held as declared): its reason first, as it was given
        own = [u] if u in held and u in reasons and before is None else []
        items = {lang: text("delineate.reason.sep", lang).join(
            [reasons[x][lang] for x in own]
            + [text("lock.breach.item", lang, label=text(f"check.label.{c}", lang), code=c)
               if has(f"check.label.{c}") else c for c in codes if not (own and c == "DECLARED-EXCEPTION")])
            for lang in LANGS}
        size = units_tbl.loc[u, "size"] if u in units_tbl.index else 0
        size = int(size) if float(size) == int(size) else float(size)
        params[u] = {"why": "lock_breach", "size": size, "what": what, "lo": rules.min_size, "hi": rules.max_size,
                     "breaches": items, "codes": codes}
        probs.append(problem("LOCK-BREACH", severity="warning", unit=u, size=size, what=both(f"delineate.what.{what}"),
                             lo=rules.min_size, hi=rules.max_size, breaches=items))
    return LockBreaches(params, probs, split)


def units_breaking(units: pd.DataFrame) -> np.ndarray:
    """Which units of a result's ``units`` table break the rule as drawn on maps and in QGIS styles: every status
    but ``ok``, except a unit kept as planned (``locked``, ``delineate --plan … 锁定``) that carries no code — a
    locked unit that breaks a rule carries ``LOCK-BREACH`` (without a ``code`` column: a reason). None without a
    ``status`` column.

    >>> u = pd.DataFrame({"status": ["ok", "exception", "locked", "locked", "Locked", "locked"],
    ...                   "code": [None, "SIZE-LOW", "", None, "LOCK-BREACH", float("nan")]})
    >>> units_breaking(u).tolist()
    [False, True, False, False, True, False]
    """
    if "status" not in units.columns:
        return np.zeros(len(units), dtype=bool)
    status = units["status"].astype("string").str.strip().str.lower().fillna("ok")
    said = units["code"] if "code" in units.columns else units.get("reason", pd.Series(pd.NA, index=units.index))
    said = said.astype("string").str.strip().fillna("").ne("")
    return (status.ne("ok") & ~(status.eq("locked") & ~said)).to_numpy(dtype=bool)


def locked_breaking(units: Any) -> set[str]:
    """The ids of the units kept as planned (status ``locked``) that break a rule (:func:`units_breaking`).

    >>> u = pd.DataFrame({"unit_id": ["A", "B", "C"], "status": ["locked", "locked", "ok"],
    ...                   "code": ["LOCK-BREACH", None, ""]})
    >>> sorted(locked_breaking(u)), locked_breaking(None)
    (['A'], set())
    """
    if not isinstance(units, pd.DataFrame) or not {"unit_id", "status"} <= set(units.columns) or not len(units):
        return set()
    locked = units["status"].astype("string").str.strip().str.lower().eq("locked").fillna(False).to_numpy(dtype=bool)
    at = locked & units_breaking(units)
    return {str(u).strip() for u in units.loc[at, "unit_id"].dropna()}


def _without_lock(households: Any, graph: TerrainGraph, make_model: Callable[[], Any]) -> tuple[Any, Any] | None:
    """The delineator's prepared problem of every household the graph holds, as if nothing were locked (the same
    rules, ``make_model``'s), and its settings; None where persons are the size unit and a count is not a whole
    number of persons (the delineator would refuse it)."""
    from dataclasses import replace

    from yuanluo.gis.delineate.prepare import prepare
    from yuanluo.gis.rules import resolve_nest_by

    est = make_model()
    s = replace(est._settings(), nest_by=resolve_nest_by(est._nest_names(), households.columns))
    hids = pd.Index(households.index.astype(str))
    seen = households[hids.isin(np.asarray(graph.ids, dtype=object).astype(str))]
    if s.size_by == "persons":  # counted as the delineator counts them: whole numbers of persons, every one
        persons = pd.to_numeric(seen["persons"], errors="coerce") if "persons" in seen.columns else None
        if persons is None or not (persons.notna() & (persons >= 0) & (persons % 1 == 0)).all():
            return None
    return prepare(seen, graph, np.array([], dtype=object), s, np.random.default_rng(0)), s
