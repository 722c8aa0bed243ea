"""Plan checking: named rules, each returning every violation it finds (GerryChain-style validator).

A plan is a labels Series (``hid`` → unit id). :func:`check_plan` aligns it with the households and
the neighbour graph once (a :class:`PlanContext`), runs each rule in :data:`CHECKS` and gathers all
violations in a :class:`CheckResult`. Each rule is a small function ``rule(ctx) -> list[Violation]``
with stable codes:

============================  =====================================================================
rule                          codes
============================  =====================================================================
``structure``                 PLAN-UNASSIGNED, PLAN-UNKNOWN-ID, PLAN-DUP-ASSIGN, PLAN-ID (+ the
                              findings of :mod:`yuanluo.gis.plan` passed as ``plan_problems``, e.g.
                              PLAN-EMPTY-UNIT, PLAN-OUTSIDE, PLAN-OVERLAP)
``size``                      SIZE-LOW, SIZE-HIGH (households or persons, per ``Rules.size_by``)
``contiguity``                PLAN-NONCONTIG, PLAN-CROSS-RIVER
``nesting``                   PLAN-CROSS-VILLAGE, PLAN-CROSS-GROUP, PLAN-CROSS-NEST (other columns)
``settlements``               PLAN-SETTLEMENT-SPLIT
``head``                      PLAN-NO-HEAD, PLAN-FEW-HEADS (HEAD-EXCEPTION: unavoidable, a warning)
``walk``                      PLAN-WALK-LIMIT, PLAN-MEETING (WALK-EXCEPTION: unavoidable, a warning)
============================  =====================================================================

Declared exceptions: a delineation may leave a unit outside the band, without a candidate head or beyond the
walking limit when it could not do better, and says so in its ``units`` layer (``status`` exception, ``code``,
``reason``). Given those declarations (:class:`Declared`), a unit the plan holds exactly as the delineation left
it has such errors (:data:`DECLARABLE`) reported as the warning DECLARED-EXCEPTION, quoting the rule and the
delineation's reason: the check cannot prove them unavoidable, but they are stated, not silent. Every other rule
(contiguity, nesting, settlements, meeting points) holds for such a unit as for any other.

Contiguity and rivers (decision): a unit's *pieces* are the connected components of the graph
restricted to edges inside the unit. When the pieces become one component once the candidate edges
cut for ``"river"`` or ``"water"`` (``graph.cut``) are added back, the unit is reported as
**PLAN-CROSS-RIVER instead of PLAN-NONCONTIG** (it is joined, but only across water with no known
crossing). When even that does not join it, it is PLAN-NONCONTIG, listing its pieces in the graph.

Walking time is the shortest path from a household to its unit's meeting point *along edges inside
the unit* (directed times ``walk_uv``/``walk_vu``), an edge pruned only for length within the join limit
counting as a path both ways; a unit is whole over one only where it joins an island, a piece the short edges
cut off from the rest of its nest group (PLAN-LONG-JOIN: :func:`long_joins`); households with no such path
count as beyond the limit. All per-household work is vectorised (bincount, one connected-components call, one
multi-source Dijkstra), so 100,000 households check in seconds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components, dijkstra

from yuanluo.gis.catalogue import LANGS, Count, both, joined, text
from yuanluo.gis.columns import flag_values
from yuanluo.gis.delineate.headproof import no_head_split
from yuanluo.gis.delineate.heads import nearest_candidates, suggested_heads
from yuanluo.gis.delineate.problem import feasible
from yuanluo.gis.delineate.reasons import near_clause
from yuanluo.gis.delineate.walk import beyond_minutes
from yuanluo.gis.errors import (
    MAX_EXAMPLES,
    InputError,
    Lang,
    Problem,
    Severity,
    given_name,
    problem,
)
from yuanluo.gis.graph import TerrainGraph, cut_nodes, unit_toward
from yuanluo.gis.islands import island_links, node_zones, short_pieces
from yuanluo.gis.keys import BLANK, key_columns, nest_columns, nest_key, nest_labels, normalise
from yuanluo.gis.plan import PlanInput, plan_kept, unit_sort_key
from yuanluo.gis.rules import (
    Rules,
    nesting_name,
    require_rules,
    resolve_nesting,
    unapplied_problems,
    unknown_nesting,
)
from yuanluo.gis.settlements import settlement_blocks

RIVER_REASONS = ("river", "water")
__all__ = ["Areas", "CHECKS", "CheckResult", "DECLARABLE", "Declared", "HeadAreas", "PlanContext", "PlanInput",
           "Violation", "check_plan", "settlement_pieces", "walk_unavoidable", "walk_unserved"]


VIOLATION_COLUMNS = ["code", "unit_id", "hids", "severity", "message_zh", "message_en", "units", "pieces"]


@dataclass(frozen=True)
class Violation:
    """One rule violation: a :class:`Problem` plus the unit(s) and pieces it concerns."""

    problem: Problem
    unit_id: str | None = None
    units: tuple[str, ...] = ()
    pieces: tuple[tuple[str, ...], ...] = ()
    #: its households where the problem's ids do not list them (PLAN-UNASSIGNED names them in its sentence)
    hids: tuple[str, ...] | None = None

    @property
    def code(self) -> str:
        return self.problem.code


def _viol(code: str, unit: str | None, hids: Iterable[Any] = (), *, severity: Severity = "error",
          units: Sequence[str] = (), pieces: Sequence[Sequence[str]] = (), **params: Any) -> Violation:
    p = problem(code, severity=severity, ids=hids, unit=unit if unit is not None else "", **params)
    us = tuple(units) if units else ((unit,) if unit is not None else ())
    return Violation(p, unit, us, tuple(tuple(x) for x in pieces))


@dataclass
class PlanContext:
    """A plan aligned once with its households and graph; what every rule reads.

    ``codes[i]`` is the unit number (position in ``unit_ids``) of household ``hids[i]``, -1 when
    unassigned; ``pos[i]`` its node in ``graph``; ``node_code`` the unit number of every graph node.
    """

    households: pd.DataFrame
    hids: np.ndarray
    labels: pd.Series
    rules: Rules
    graph: TerrainGraph
    unit_ids: np.ndarray
    codes: np.ndarray
    pos: np.ndarray
    node_code: np.ndarray
    n_households: np.ndarray
    persons: np.ndarray
    meeting_points: pd.Series | None = None
    raw_labels: pd.Series | None = None
    blank_ids: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))
    plan_problems: tuple[Problem, ...] = ()
    walk: np.ndarray | None = None
    persons_h: np.ndarray = field(default_factory=lambda: np.array([], dtype=float))
    has_meeting: np.ndarray = field(default_factory=lambda: np.array([], dtype=bool))
    meeting_hid: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))
    #: per unit: the walk is measured to its centre (:func:`unit_centre`), no meeting point in it being given
    centre: np.ndarray = field(default_factory=lambda: np.array([], dtype=bool))
    declared: Declared | None = None
    _areas: Areas | None = None
    _zones: np.ndarray | None = None
    _keys: dict[tuple[str, ...], np.ndarray] = field(default_factory=dict)
    _joins: tuple[np.ndarray, np.ndarray] | None = None
    _isolated: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    @property
    def k(self) -> int:
        return len(self.unit_ids)

    @property
    def size(self) -> np.ndarray:
        return self.persons if self.rules.size_by == "persons" else self.n_households

    def members(self) -> list[np.ndarray]:
        """Household positions of each unit (sorted), in unit order."""
        a = self.codes >= 0
        order = np.argsort(self.codes, kind="stable")
        order = order[a[order]]
        return np.split(order, np.cumsum(self.n_households)[:-1]) if self.k else []

    def areas(self) -> Areas:
        """The connected areas every unit lies in (built once; the head and walk rules read them). The same for
        every plan (the editor finds them once for its page, ``maps.editor``): each household heavier than the
        ceiling a zone of its own, but not the units a plan keeps locked — a unit lacking a head beside a locked
        unit stays PLAN-NO-HEAD, as unlocking the locked unit may mend it."""
        if self._areas is None:
            self._areas = Areas.of(self.households, self.rules, self.graph, self.pos, self.persons_h,
                                   key=self.nest_key(self.rules.nest_by))
        return self._areas

    def zones(self) -> np.ndarray:
        """Each graph node's zone for the long joins (:func:`plan_zones`), found once."""
        if self._zones is None:
            self._zones = plan_zones(self.households, self.labels, self.rules, self.graph, self.pos, self.declared)
        return self._zones

    def nest_key(self, nest_by: Sequence[str] | str) -> np.ndarray:
        """The households' nest key of ``nest_by`` (:func:`yuanluo.gis.keys.nest_key`), built once per set of key
        columns (:func:`yuanluo.gis.keys.key_columns`: the rules' ``nest_by`` and its last present level are one);
        read-only, as every rule shares it."""
        cols = tuple(key_columns(self.households, nest_by))
        if cols not in self._keys:
            key = nest_key(self.households, nest_by)
            key.setflags(write=False)
            self._keys[cols] = key
        return self._keys[cols]

    def node_key(self) -> np.ndarray:
        """Each graph node's nest key of the rules' ``nest_by`` (0 for a node no household is at)."""
        key = np.zeros(self.graph.n, dtype=np.int64)
        key[self.pos] = self.nest_key(self.rules.nest_by)
        return key

    def long_joins(self) -> tuple[np.ndarray, np.ndarray]:
        """The long joins of the plan's graph within the rules' join limit (:func:`long_joins`), found once."""
        if self._joins is None:
            self._joins = long_joins(self.graph, self.rules.join_limit_min, self.node_key(), self.zones())
        return self._joins

    def intra_mask(self) -> np.ndarray:
        nc = self.node_code
        return (nc[self.graph.u] == nc[self.graph.v]) & (nc[self.graph.u] >= 0)


Rule = Callable[[PlanContext], list[Violation]]


def _none() -> dict[str, str]:
    """No text, in every language (a message's optional ``{field[zh]}``)."""
    return {lang: "" for lang in LANGS}


def _what(rules: Rules) -> dict[str, Any]:
    return {"what": both("delineate.what.persons" if rules.size_by == "persons" else "delineate.what.households")}


def _fmt(x: float) -> Count:
    """A size or total as a finding's texts write it: whole, or with one decimal; English groups the thousands
    (:class:`~yuanluo.gis.catalogue.Count`), as the editor's own sentences do."""
    return Count.of(x)


# ------------------------------------------------------------------------------------------- rules
def rule_structure(ctx: PlanContext) -> list[Violation]:
    """PLAN-UNASSIGNED / -UNKNOWN-ID / -DUP-ASSIGN / -ID from the labels, plus the plan findings."""
    out: list[Violation] = []
    covered: set[str] = set()
    said: Problem | None = None  # the plan's own PLAN-UNASSIGNED: where its blank cells are
    for p in ctx.plan_problems:
        if p.code == "PLAN-UNASSIGNED":
            said = p
            continue  # recomputed below from the labels
        if p.code == "PLAN-OUTSIDE" or (p.code == "PLAN-ID" and p.params.get("inside")):
            covered.update(p.ids)  # in no unit polygon, or in one without an id: said there
        if p.code == "PLAN-EMPTY-UNIT":
            out.extend(Violation(problem(p.code, severity=p.severity, file=p.file, ids=[u]), u, (u,))
                       for u in p.ids)
        else:
            out.append(Violation(p))
    raw = ctx.raw_labels
    if raw is not None:
        idx = pd.Index(np.asarray(raw.index.astype(str), dtype=object))
        unknown = sorted(set(idx[pd.Index(ctx.hids).get_indexer(idx) < 0]))
        if unknown:
            out.append(_viol("PLAN-UNKNOWN-ID", None, unknown, file="", near=_none()))
        dup = raw[idx.duplicated(keep=False)]
        if len(dup):
            n_units = dup.groupby(dup.index.astype(str)).nunique()
            multi = sorted(n_units.index[n_units.to_numpy() > 1])
            if multi:
                us = sorted({str(x) for x in dup[dup.index.astype(str).isin(multi)].dropna()}, key=unit_sort_key)
                out.append(Violation(problem("PLAN-DUP-ASSIGN", ids=multi, file="", units=joined(us),
                                             then=both("plan.dup.first")),
                                     None, tuple(us)))
    if len(ctx.blank_ids):
        out.append(_viol("PLAN-ID", None, sorted(ctx.blank_ids), file="", detail=both("check.id.blank")))
    blank = set(ctx.blank_ids.tolist())
    miss = [h for h in ctx.hids[ctx.codes < 0].tolist() if h not in covered and h not in blank]
    if miss:
        out.append(_unassigned(ctx, sorted(miss), said))
    return out


def _unassigned(ctx: PlanContext, miss: list[str], said: Problem | None) -> Violation:
    """PLAN-UNASSIGNED naming where the households in no unit are, the first few by row and id, as the other PLAN-*
    findings name theirs: the plan table's rows whose unit cell is blank; the households the plan has no row for,
    by their rows in the household file; a plan column of the household file, by its rows; ids alone where no row
    is known (a call from Python). Its households are all of ``miss`` (the editor, the map and repair take them)."""
    hh_file, hh_rows = household_source(ctx.households)
    hh_name = Path(hh_file).name if hh_file else None
    row_of = dict(zip(ctx.hids.tolist(), hh_rows.tolist(), strict=True)) if hh_rows is not None else {}
    blank_rows = dict(said.params.get("blank_rows") or {}) if said is not None else {}
    plan_file = said.file if said is not None and said.file else None
    if said is not None and said.params.get("cells") == "households" and hh_name and row_of:
        blank_rows, plan_file = {h: row_of[h] for h in miss if h in row_of}, hh_name  # the column's blank cells
    blank = sorted((h for h in miss if h in blank_rows), key=lambda h: (blank_rows[h], h))
    rest = [h for h in miss if h not in blank_rows]
    rest = sorted(rest, key=lambda h: (row_of[h], h)) if rest and all(h in row_of for h in rest) else rest

    def part(lang: Lang, key: str, hs: list[str], rows: Sequence[int], **kw: Any) -> str:
        sep = text("list.sep", lang)
        ids = text("problem.id" if len(hs) == 1 else "problem.ids", lang, ids=sep.join(hs[:MAX_EXAMPLES]))
        if len(hs) > MAX_EXAMPLES:
            ids += text("check.unassigned.more", lang, total=len(hs), rest=len(hs) - MAX_EXAMPLES)
        if not key:
            return ids
        at = text("problem.row" if len(rows) == 1 else "problem.rows", lang,
                  rows=sep.join(str(r) for r in rows[:MAX_EXAMPLES]))
        return text(key, lang, ids=ids, rows=at, n=len(hs), **kw)

    where = {}
    for lang in LANGS:
        parts = []
        if blank:
            parts.append(part(lang, "check.unassigned.blank", blank, [blank_rows[h] for h in blank], file=plan_file))
        if rest and plan_file and said is not None and said.params.get("cells") != "households":
            if hh_name and all(h in row_of for h in rest):
                parts.append(part(lang, "check.unassigned.absent", rest, [row_of[h] for h in rest], file=plan_file,
                                  households=hh_name))
            else:
                parts.append(part(lang, "check.unassigned.absent_ids", rest, (), file=plan_file))
        elif rest and hh_name and all(h in row_of for h in rest):
            parts.append(part(lang, "check.unassigned.rows", rest, [row_of[h] for h in rest], households=hh_name))
        elif rest:
            parts.append(part(lang, "", rest, ()))
        where[lang] = text("list.clause_sep", lang).join(parts)
    # the rows and ids are in the sentence ({examples}, as the editor fills it with ids): none left for a line of
    # examples under it; the violation's households are every one of them
    p = problem("PLAN-UNASSIGNED", unit="", count=len(miss), examples=[where])
    return Violation(p, None, (), (), hids=tuple(miss))


def _isolated_units(ctx: PlanContext) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Units that nothing outside them can be joined to: no graph edge, and no edge pruned only for length
    within the join limit, leads from the unit to another unit's (or an unassigned) household of the same
    nest group. Such a unit is a whole island of the terrain graph within its group. Second: those of them
    whose only links lead to households of another village or villager group (islands by the nesting); third,
    per unit, the ``nest_by`` column that cuts such an island off (its position in ``nest_by``, -1 for none): of
    its links, each differs first in some column; the last such column (without it, it would have a neighbour)."""
    if ctx._isolated is not None:  # found once: the size rule and the contiguity rule both read it
        return ctx._isolated
    g, nc = ctx.graph, ctx.node_code
    key = ctx.node_key()
    lu, lv = ctx.long_joins()
    u, v = np.r_[g.u, lu], np.r_[g.v, lv]
    crossing = nc[u] != nc[v]
    out_edge = crossing & (key[u] == key[v])
    touch = np.zeros(ctx.k, dtype=bool)
    other_group = np.zeros(ctx.k, dtype=bool)
    for end in (u, v):
        j = nc[end[out_edge]]
        touch[j[j >= 0]] = True
        j = nc[end[crossing & ~out_edge]]
        other_group[j[j >= 0]] = True
    ctx._isolated = ~touch, ~touch & other_group, _cutting_column(ctx, u[crossing & ~out_edge], v[crossing & ~out_edge])
    return ctx._isolated


def _cutting_column(ctx: PlanContext, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Per unit, the last ``nest_by`` column (its position there) that the links ``u``–``v`` between nest groups
    leaving it differ in first; -1 for a unit with no such link."""
    first = np.full(len(u), -1, dtype=np.int64)
    nest = list(ctx.rules.nest_by)
    cols = nest_columns(ctx.households, nest)
    for i in reversed(range(len(cols))):  # each column keyed with the coarser ones (新华村 of two towns differ)
        code = np.zeros(ctx.graph.n, dtype=np.int64)
        code[ctx.pos] = ctx.nest_key(cols[: i + 1])
        first = np.where(code[u] != code[v], nest.index(cols[i]), first)
    out = np.full(ctx.k, -1, dtype=np.int64)
    for end in (u, v):
        j = ctx.node_code[end]
        np.maximum.at(out, j[j >= 0], first[j >= 0])
    return out


def rule_size(ctx: PlanContext) -> list[Violation]:
    """SIZE-LOW / SIZE-HIGH for every unit outside ``[min_size, max_size]``.

    A unit that is a whole island (see :func:`_isolated_units`) and whose size cannot be split within the
    band at all is an unavoidable exception: ``SIZE-EXCEPTION``, a warning that names it, not a violation.
    """
    r, size, out = ctx.rules, ctx.size, []
    w = _what(r)
    none = np.zeros(0, dtype=bool)
    isolated, by_nesting, col = _isolated_units(ctx) if ctx.k else (none, none, np.zeros(0, dtype=np.int64))
    excepted = _size_exceptions(ctx, isolated)
    for code, bad in (("SIZE-LOW", size < r.min_size), ("SIZE-HIGH", size > r.max_size)):
        for j in np.flatnonzero(bad):
            if excepted[j]:
                why = "nesting" if by_nesting[j] else "terrain"  # what cuts it off, and what to look at
                if by_nesting[j] and col[j] >= 0 and r.nest_by[col[j]] == "settlement":
                    why = "settlement"  # a settlement too small for the band, kept apart by the settlement nesting
                out.append(_viol("SIZE-EXCEPTION", str(ctx.unit_ids[j]), severity="warning", size=_fmt(size[j]),
                                 min=_fmt(r.min_size), max=_fmt(r.max_size), why=both(f"check.isolated.{why}"),
                                 then=both(f"check.isolated.{why}.fix"), **w))
                continue
            out.append(_viol(code, str(ctx.unit_ids[j]), size=_fmt(size[j]), min=_fmt(r.min_size), max=_fmt(r.max_size), **w))
    if r.size_by == "persons" and "persons" in ctx.households.columns:
        na = ctx.households["persons"].isna().to_numpy()
        if na.any():
            file, rows = household_source(ctx.households)
            out.append(_viol("CHECK-PERSONS-NA", None, sorted(ctx.hids[na]), severity="warning", file=file,
                             rows=sorted(rows[na].tolist()) if rows is not None else ()))
    return out


def _size_exceptions(ctx: PlanContext, isolated: np.ndarray | None = None) -> np.ndarray:
    """Per unit: a SIZE-EXCEPTION (:func:`rule_size`): outside the band, a whole island (``isolated``, else
    :func:`_isolated_units`) and of a size no split fits."""
    r, size = ctx.rules, ctx.size
    if not ctx.k:
        return np.zeros(0, dtype=bool)
    if isolated is None:
        isolated = _isolated_units(ctx)[0]
    out = (size < r.min_size) | (size > r.max_size)
    return out & isolated & np.array([not r.feasible_size(int(round(x))) for x in size], dtype=bool)


def household_source(households: Any) -> tuple[str | None, np.ndarray | None]:
    """The household file and each household's row in it as the user finds it there (Excel's numbers), as the
    reader's caller records them in the households' ``attrs`` (``file``; ``rows``, the reader's ``LoadReport.rows``,
    one per household in their order); None for what is not recorded (rows not one per household: None).

    >>> hh = pd.DataFrame({"persons": [3, None]}, index=["a", "b"])
    >>> household_source(hh)
    (None, None)
    >>> hh.attrs.update(file="农户.csv", rows=[2, 5])
    >>> f, r = household_source(hh); f, r.tolist()
    ('农户.csv', [2, 5])
    """
    attrs = getattr(households, "attrs", {})
    file = attrs.get("file")
    rows = attrs.get("rows")
    ok = rows is not None and len(rows) == len(households)
    return (str(file) if file else None), (np.asarray(rows, dtype=np.int64) if ok else None)


def _unit_pieces(ctx: PlanContext, comp: np.ndarray) -> dict[int, np.ndarray]:
    """For units split into several components: unit number -> component of each member."""
    a = ctx.codes >= 0
    c_h = comp[ctx.pos]
    pairs = np.unique(np.c_[ctx.codes[a], c_h[a]], axis=0)
    n_comp = np.bincount(pairs[:, 0], minlength=ctx.k)
    return {int(j): c_h for j in np.flatnonzero(n_comp > 1)}


def rule_contiguity(ctx: PlanContext) -> list[Violation]:
    """PLAN-NONCONTIG and PLAN-CROSS-RIVER (see the module docstring for the decision)."""
    g = ctx.graph
    intra = ctx.intra_mask()
    adj = sp.coo_matrix((np.ones(int(intra.sum())), (g.u[intra], g.v[intra])), shape=(g.n, g.n))
    _, comp = connected_components(adj, directed=False)
    split = _unit_pieces(ctx, comp)
    if not split:
        return []
    river_joined: set[int] = set()
    long_joined: set[int] = set()
    cut = g.cut
    if len(cut) and "reason" in cut.columns:
        # an island joined over an edge pruned only for length, within the rule's join limit, is the
        # delineation's documented island policy: a warning, not a broken unit
        long_joined = _joined_by(ctx, adj, split, *ctx.long_joins())
        river_joined = _joined_by(ctx, adj, split,
                                  *cut_nodes(g, cut[cut["reason"].astype(str).isin(RIVER_REASONS)]))
    out = []
    members = ctx.members()
    c_h = comp[ctx.pos]
    size_exception = _size_exceptions(ctx) if long_joined else np.zeros(ctx.k, dtype=bool)
    for j in sorted(split):
        mem = members[j]
        cc = c_h[mem]
        labs, inv, cnt = np.unique(cc, return_inverse=True, return_counts=True)
        # pieces ordered by size (desc), ties by smallest household id
        first_id = np.array([min(ctx.hids[mem[inv == t]]) for t in range(len(labs))])
        order = np.lexsort((first_id, -cnt))
        pieces = [sorted(ctx.hids[mem[inv == t]].tolist()) for t in order]
        cut_off = sorted(h for p in pieces[1:] for h in p)
        if j in long_joined:
            out.append(_viol("PLAN-LONG-JOIN", str(ctx.unit_ids[j]), cut_off, severity="warning",
                             pieces=pieces, n_pieces=len(pieces), sizes=Count.of([len(p) for p in pieces]),
                             limit=_fmt(float(ctx.rules.join_limit_min)),
                             # a unit already a SIZE-EXCEPTION: not "make them an exception unit" but split it
                             otherwise=both("check.longjoin.exception" if size_exception[j] else "check.longjoin.split")))
            continue
        code = "PLAN-CROSS-RIVER" if j in river_joined else "PLAN-NONCONTIG"
        out.append(_viol(code, str(ctx.unit_ids[j]), cut_off, pieces=pieces, n_pieces=len(pieces),
                         sizes=Count.of([len(p) for p in pieces])))
    return out


def _joined_by(ctx: PlanContext, adj: sp.coo_matrix, split: dict[int, np.ndarray], cu: np.ndarray,
               cv: np.ndarray) -> set[int]:
    """The broken units (keys of ``split``) whose pieces become one when the cut edges ``cu``–``cv`` (graph
    nodes) are added back."""
    if not len(cu):
        return set()
    g = ctx.graph
    nc = ctx.node_code
    ok = (nc[cu] == nc[cv]) & (nc[cu] >= 0)
    extra = sp.coo_matrix((np.ones(int(ok.sum())), (cu[ok], cv[ok])), shape=(g.n, g.n))
    _, comp = connected_components(adj + extra, directed=False)
    return set(split) - set(_unit_pieces(ctx, comp))


def long_joins(g: TerrainGraph, limit: float, key: np.ndarray | None = None, zone: np.ndarray | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
    """The graph nodes of the edges pruned only for length within ``limit`` walking minutes
    (``Rules.join_limit_min``) that join an island (:func:`yuanluo.gis.islands.island_links`, the delineator's
    rule: ends in two pieces of the short edges within one nest group, ``key``, and one zone, ``zone``:
    :func:`plan_zones`), and those between two nest groups (they join no unit; :func:`_isolated_units` reads
    them as what the nesting cuts off). An island may be joined over one, so the check counts a unit joined over
    one as whole (PLAN-LONG-JOIN, a warning), and so does the repair. A long edge within one piece joins nothing
    cut off: a unit whose parts only it joins is not contiguous (two units interleaved along a street, each
    household joined to the next but one, audit s32 ZA §5).

    >>> g = TerrainGraph("EPSG:4545", ["a", "b", "c", "d"], [[0, 0], [1, 0], [2, 0], [9, 0]], [0, 1], [1, 2],
    ...                  [1.0, 1.0], [1.0, 1.0])
    >>> g.cut = pd.DataFrame({"u": [0, 2], "v": [2, 3], "length_m": [200.0, 700.0], "walk_min": [2.0, 7.0],
    ...                       "reason": ["length", "length"]})
    >>> [a.tolist() for a in long_joins(g, 20.0)]
    [[2], [3]]
    >>> [a.tolist() for a in long_joins(g, 20.0, np.array([0, 0, 1, 1]))]  # c is cut off from a, b by its group
    [[0, 2], [2, 3]]
    """
    u, v, _ = island_links(g, limit, key, zone, apart=True)
    return u, v


def _minority(ctx: PlanContext, key: np.ndarray, values: np.ndarray) -> list[tuple[int, list[str], list[str]]]:
    """Units whose members carry more than one (non-missing) key; with the minority households."""
    a = (ctx.codes >= 0) & (key >= 0)
    if not a.any():
        return []
    pairs, cnt = np.unique(np.c_[ctx.codes[a], key[a]], axis=0, return_counts=True)
    n_keys = np.bincount(pairs[:, 0], minlength=ctx.k)
    out = []
    for j in np.flatnonzero(n_keys > 1):
        sel = pairs[:, 0] == j
        ks, kc = pairs[sel, 1], cnt[sel]
        major = ks[np.lexsort((ks, -kc))[0]]
        mem = np.flatnonzero((ctx.codes == j) & (key >= 0) & (key != major))
        out.append((int(j), sorted(ctx.hids[mem].tolist()), [str(values[k]) for k in ks]))
    return out


def rule_nesting(ctx: PlanContext) -> list[Violation]:
    """PLAN-CROSS-VILLAGE / -GROUP / -NEST: a unit straddles a ``Rules.nest_by`` column.

    Columns are nested in the order given: group "1" of village A differs from group "1" of B. Values
    follow the one rule of :mod:`yuanluo.gis.keys`: stripped text, and a blank cell is a value of its own
    (shown as ``(blank)``), so a unit mixing a blank and a named group straddles. A unit that straddles a
    coarser level is not reported again for the finer ones. A unit whose parts in each group are not joined to each
    other (:func:`_apart_by`) is most likely one name each group gave its own unit (clerks number 一院落, 二院落 …
    within each group): its fix says so (the variant ``apart``).
    """
    hh, out = ctx.households, []
    flagged: set[int] = set()
    cols = nest_columns(hh, ctx.rules.nest_by)
    comp: np.ndarray | None = None
    for i, col in enumerate(cols):
        key = ctx.nest_key(cols[: i + 1])
        vals = nest_labels(hh, cols[: i + 1], key=key)  # 甲镇/新华村 where two towns each have a 新华村
        shown = np.empty(int(key.max()) + 1 if len(key) else 0, dtype=object)
        shown[key] = vals
        own = dict(zip(vals, normalise(hh[col]), strict=True))  # a group's own name, whatever "/" it holds
        code = {"village": "PLAN-CROSS-VILLAGE", "group": "PLAN-CROSS-GROUP"}.get(col, "PLAN-CROSS-NEST")
        for j, hids, vs in _minority(ctx, np.asarray(key), shown):
            if j in flagged:
                continue  # already straddles a coarser level (e.g. the village)
            flagged.add(j)
            values = {lang: text("check.values.sep", lang).join(text("check.blank", lang) if v == BLANK else v
                                                                for v in vs) for lang in LANGS}
            unit = str(ctx.unit_ids[j])
            named = [str(x) for x in vs if x != BLANK]  # the example puts the first group's name before the unit's
            v = _viol(code, unit, hids, column=col, values=values,
                      example=f"{own[named[0]]}{unit}" if named else unit)
            if comp is None:
                comp = _within_unit_pieces(ctx)
            if _apart_by(ctx, j, np.asarray(key), comp):
                v = replace(v, problem=replace(v.problem, variant="apart"))
            out.append(v)
    return out


def _within_unit_pieces(ctx: PlanContext) -> np.ndarray:
    """Each household's piece of its unit: its component of the graph's edges within units (-1 not in the graph)."""
    g = ctx.graph
    intra = ctx.intra_mask()
    adj = sp.coo_matrix((np.ones(int(intra.sum())), (g.u[intra], g.v[intra])), shape=(g.n, g.n))
    _, comp = connected_components(adj, directed=False)
    return np.where(ctx.pos >= 0, comp[np.maximum(ctx.pos, 0)], -1)


def _apart_by(ctx: PlanContext, j: int, key: np.ndarray, comp: np.ndarray) -> bool:
    """Whether unit ``j``'s households of different nest groups (``key``) lie in different pieces of it
    (``comp``: :func:`_within_unit_pieces`): every piece in one group, and two groups or more holding at least half
    the floor of households each (two at least): a household or two typed into another group's unit are no unit of
    their own.

    >>> g = TerrainGraph("EPSG:4545", list("abcd"), [[0, 0], [1, 0], [5, 0], [6, 0]], [0, 2], [1, 3],
    ...                  [1.0, 1.0], [1.0, 1.0])
    >>> hh = pd.DataFrame({"group": ["一组", "一组", "二组", "二组"]}, index=list("abcd"))
    >>> ctx = _context(hh, pd.Series(["U1"] * 4, index=list("abcd")), Rules(2, 9), g, None, ())
    >>> key = np.asarray(nest_key(hh, ["group"]))
    >>> _apart_by(ctx, 0, key, _within_unit_pieces(ctx))
    True
    >>> g2 = TerrainGraph("EPSG:4545", list("abcd"), [[0, 0], [1, 0], [2, 0], [3, 0]], [0, 1, 2], [1, 2, 3],
    ...                   [1.0, 1.0, 1.0], [1.0, 1.0, 1.0])
    >>> ctx2 = _context(hh, pd.Series(["U1"] * 4, index=list("abcd")), Rules(2, 9), g2, None, ())
    >>> _apart_by(ctx2, 0, key, _within_unit_pieces(ctx2))  # one piece across both groups: drawn over them
    False
    """
    mem = np.flatnonzero((ctx.codes == j) & (key >= 0) & (comp >= 0))
    if not len(mem):
        return False
    pairs = np.unique(np.c_[comp[mem], key[mem]], axis=0)
    _, per_group = np.unique(key[mem], return_counts=True)
    big = int((per_group >= max(2.0, ctx.rules.min_size / 2)).sum())
    return bool(big > 1 and len(np.unique(pairs[:, 0])) == len(pairs))


def _settlement_pieces(ctx: PlanContext) -> tuple[np.ndarray, np.ndarray]:
    return settlement_pieces(ctx.households, ctx.rules, ctx.graph, ctx.pos, ctx.nest_key(ctx.rules.nest_by))


def settlement_pieces(hh: pd.DataFrame, rules: Rules, graph: TerrainGraph, pos: np.ndarray,
                      grp: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Settlement piece of each household (-1 without a name) and each piece's name: the households of one
    settlement name in one nest group linked by graph edges among themselves (the pieces a river, another
    settlement or a nest boundary separates cannot share a unit and are kept whole each). ``pos``: each
    household's node in ``graph`` (-1 none); ``grp``: the households' nest key of ``rules.nest_by``, when found
    already."""
    name, uniq = pd.factorize(hh["settlement"].astype("string").str.strip(), sort=True)
    name = np.asarray(name, dtype=np.int64)
    inv = np.full(graph.n, -1, dtype=np.int64)
    inv[pos[pos >= 0]] = np.flatnonzero(pos >= 0)
    eu, ev = inv[graph.u], inv[graph.v]
    k = (eu >= 0) & (ev >= 0)
    grp = nest_key(hh, rules.nest_by) if grp is None else grp
    named = name >= 0
    block = settlement_blocks(len(name), eu[k], ev[k], pd.Series(name).where(named).to_numpy(), grp)
    piece = np.full(len(name), -1, dtype=np.int64)
    piece[named] = pd.factorize(block[named], sort=True)[0]
    names = np.empty(int(piece.max()) + 1 if named.any() else 0, dtype=object)
    names[piece[named]] = np.asarray(uniq, dtype=object)[name[named]]
    return piece, names


def rule_settlements(ctx: PlanContext) -> list[Violation]:
    """PLAN-SETTLEMENT-SPLIT: a settlement piece that fits in one unit (size ≤ max) spans several units
    (a piece: :func:`_settlement_pieces`)."""
    hh, r = ctx.households, ctx.rules
    if not r.keep_settlements or "settlement" not in hh.columns:
        return []
    key, uniq = _settlement_pieces(ctx)
    w = ctx.persons_h if r.size_by == "persons" else np.ones(len(key))
    ok = key >= 0
    s_size = np.bincount(key[ok], weights=w[ok], minlength=len(uniq))
    a = ok & (ctx.codes >= 0)
    pairs, cnt = np.unique(np.c_[key[a], ctx.codes[a]], axis=0, return_counts=True)
    n_units = np.bincount(pairs[:, 0], minlength=len(uniq))
    out = []
    held = _split_held(ctx, key)
    for s in np.flatnonzero((n_units > 1) & (s_size <= r.max_size)):
        sel = pairs[:, 0] == s
        us, uc = pairs[sel, 1], cnt[sel]
        major = us[np.lexsort((us, -uc))[0]]
        mem = np.flatnonzero((key == s) & (ctx.codes >= 0) & (ctx.codes != major))
        unit_names = [str(ctx.unit_ids[u]) for u in us]
        v = _viol("PLAN-SETTLEMENT-SPLIT", str(ctx.unit_ids[major]), sorted(ctx.hids[mem].tolist()),
                  units=unit_names, settlement=str(uniq[s]), size=_fmt(s_size[s]),
                  unit_list=joined(unit_names), **_what(r))
        if held[s]:  # the delineation declared this split, and the plan keeps it as declared
            v = _as_declared(v, both("check.declared.split"),
                             both("check.declared.settlement", lo=_fmt(r.min_size), hi=_fmt(r.max_size),
                                   **_what(r)))
        out.append(v)
    return out


def _split_held(ctx: PlanContext, key: np.ndarray) -> np.ndarray:
    """Per settlement piece (``key``): whether the delineation declared it split and every household of it is
    in the unit the delineation gave it."""
    n = int(key.max()) + 1 if len(key) and key.max() >= 0 else 0
    d = ctx.declared
    if d is None or not len(d.settled) or not n:
        return np.zeros(n, dtype=bool)
    gave = d.settled.reindex(pd.Index(ctx.hids))
    now = ctx.labels.reindex(pd.Index(ctx.hids))
    same = (gave.notna() & (gave.astype("string") == now.astype("string")).fillna(False)).to_numpy(dtype=bool)
    ok = key >= 0
    bad = np.bincount(key[ok], weights=(~same[ok]).astype(float), minlength=n)
    return bad == 0


def rule_head(ctx: PlanContext) -> list[Violation]:
    """PLAN-NO-HEAD: no ``head_candidate`` household in a unit (when the column exists); PLAN-FEW-HEADS: a
    unit above ``Rules.heads_for_size`` with a single candidate (it needs a management group of two).

    A unit without a candidate is an unavoidable exception, ``HEAD-EXCEPTION`` (a warning), when its
    connected area (:class:`HeadAreas`) cannot give every unit one, and the plan leaves no more units of the
    area without one than the area must: the area's candidates are fewer than the fewest units its size
    needs (by the shortfall), or a plain reason proves that no split of the area within the band gives every
    unit a candidate (:func:`~yuanluo.gis.delineate.headproof.no_head_split`; then one unit)."""
    hh = ctx.households
    if not ctx.rules.require_head or "head_candidate" not in hh.columns or ctx.k == 0:
        return []
    head = _as_bool(hh["head_candidate"])
    a = ctx.codes >= 0
    n_head = np.bincount(ctx.codes[a], weights=head[a].astype(float), minlength=ctx.k)
    lacking = np.flatnonzero(n_head == 0)
    areas = HeadAreas.build(hh, ctx.rules, ctx.graph, ctx.pos, ctx.persons_h, ctx.areas())
    excused = areas.excused(ctx.codes, lacking)
    beyond = areas.beyond(ctx.codes, lacking)
    near = _near_heads(ctx, lacking, head)  # who could head it: the nearest candidate outside, as delineate says
    out = []
    for j in lacking.tolist():
        uid = str(ctx.unit_ids[j])
        said: dict[str, Any] = {"near": {lang: near_clause(near[uid], lang) for lang in LANGS}} if uid in near else {}
        if j in excused:
            ar = excused[j]
            v = _viol("HEAD-EXCEPTION", uid, severity="warning", size=_fmt(ctx.size[j]),
                      total=_fmt(areas.total[ar]), why=areas.why(ar), **_what(ctx.rules), **said)
            variant = "near" if said else ""
        elif j in beyond:  # an area that must lack some, lacking more: its fix says by how many, and how
            v = _viol("PLAN-NO-HEAD", uid, size=_fmt(int(ctx.n_households[j])),
                      **areas.beyond_params(beyond[j], ctx.codes, ctx.unit_ids), **_what(ctx.rules), **said)
            variant = "area_near" if said else "area"
        else:
            v = _viol("PLAN-NO-HEAD", uid, size=_fmt(int(ctx.n_households[j])), **said)
            variant = "near" if said else ""
        out.append(replace(v, problem=replace(v.problem, variant=variant)) if variant else v)
    big = ctx.rules.heads_for_size
    if big is not None:
        few = (ctx.size > big) & (n_head == 1)
        out += [_viol("PLAN-FEW-HEADS", str(ctx.unit_ids[j]), size=_fmt(ctx.size[j]), limit=_fmt(big), need=2, heads=1)
                for j in np.flatnonzero(few)]
    return out


@dataclass(frozen=True)
class Areas:
    """The connected areas every unit lies in (see :class:`HeadAreas`): the households no unit can take through
    apart (:func:`yuanluo.gis.islands.node_zones`), as the long joins find islands (:func:`long_joins`)."""

    area: np.ndarray  # area of each household
    total: np.ndarray  # per area: size (households or persons)
    heavy: np.ndarray  # per area: holds a household above the ceiling (sizes in persons)
    fits: np.ndarray  # per area: its size can be cut within the band, and it is not heavy
    weight: np.ndarray  # size of each household
    u: np.ndarray  # household edges inside areas
    v: np.ndarray
    kept: np.ndarray  # per area: holds a unit kept as it stands (a zone of its own)

    @classmethod
    def of(cls, households: pd.DataFrame, rules: Rules, graph: TerrainGraph, pos: np.ndarray,
           persons_h: np.ndarray, zone: np.ndarray | None = None, *, key: np.ndarray | None = None) -> Areas:
        """The areas: the short edges (the graph's own) and the long joins that join an island
        (:func:`yuanluo.gis.islands.island_links`), within one nest group and one zone (``zone``: each graph
        node's, :func:`yuanluo.gis.islands.node_zones`; by default each household heavier than the ceiling, sizes
        in persons, is a zone of its own, :func:`plan_zones` adds the units a plan keeps locked). A heavy household
        is an area of its own, and so is a unit kept as it stands: no unit takes through them. ``key``: the
        households' nest key of ``rules.nest_by`` (:func:`yuanluo.gis.keys.nest_key`), when found already.

        >>> import geopandas as gpd
        >>> from shapely import points
        >>> ids = ["a", "b", "c", "d"]
        >>> hh = gpd.GeoDataFrame(geometry=points([[i, 0] for i in range(4)]), index=pd.Index(ids, name="hid"),
        ...                       crs="EPSG:32631")
        >>> g = TerrainGraph.from_edges(ids, [[i, 0] for i in range(4)], [(0, 1), (1, 2), (2, 3)], crs="EPSG:32631")
        >>> r = Rules(2, 8, size_by="persons")
        >>> Areas.of(hh, r, g, np.arange(4), np.array([3.0, 3.0, 9.0, 3.0])).area.tolist()  # c is heavy
        [0, 0, 1, 2]
        >>> ar = Areas.of(hh, r, g, np.arange(4), np.full(4, 3.0), np.array([0, 0, 1, 1]))  # c, d kept
        >>> ar.area.tolist(), ar.kept.tolist()
        ([0, 0, 1, 1], [False, True])
        """
        n = len(pos)
        node_h = np.full(graph.n, -1, dtype=np.int64)
        node_h[pos] = np.arange(n)
        key = nest_key(households, rules.nest_by) if key is None else key
        node_key = np.zeros(graph.n, dtype=np.int64)
        node_key[pos] = key
        weight = (np.nan_to_num(np.asarray(persons_h, dtype=float)) if rules.size_by == "persons" else np.ones(n))
        if zone is None:
            zone = node_zones(graph.n, pos, weight, rules.max_size)
        piece = short_pieces(graph, node_key, zone)  # a graph edge within one piece: one group, one zone, not heavy
        lu, lv, _ = island_links(graph, rules.join_limit_min, node_key, zone)
        short = piece[graph.u] == piece[graph.v]
        hu, hv = node_h[np.r_[graph.u[short], lu]], node_h[np.r_[graph.v[short], lv]]
        keep = (hu >= 0) & (hv >= 0)
        hu, hv = hu[keep], hv[keep]
        _, area = connected_components(sp.coo_matrix((np.ones(len(hu)), (hu, hv)), shape=(n, n)), directed=False)
        area = np.asarray(area, dtype=np.int64)
        total = np.bincount(area, weights=weight)
        heavy = np.bincount(area, weights=(weight > rules.max_size).astype(float)) > 0
        fits = feasible(np.rint(total), rules.min_size, rules.max_size) & ~heavy
        kept = np.bincount(area, weights=(np.asarray(zone)[pos] > 0).astype(float), minlength=len(total)) > 0
        return cls(area, total, heavy, fits, weight, hu, hv, kept)


def walk_unserved(walk: sp.spmatrix, src: np.ndarray, key: np.ndarray, weight: np.ndarray, limit: float,
                  min_size: float, chunk: int = 64) -> np.ndarray:
    """Whether no unit holding each node ``src`` can keep its members within ``limit`` minutes of the unit's meeting
    point, as far as the walking minutes tell (the proof :func:`walk_unavoidable` and the repair's walks no move
    can mend, :func:`yuanluo.gis.repair._walk_far`, share). ``walk``: ``[i, j]`` the walk i → j over nodes holding
    one household each (or none); ``key``: each node's nest group (-1: no household), ``weight``: each node's size.

    A unit lies in one nest group and its members walk to its meeting point, one of them, inside the unit: over
    edges between its own households, so none between two groups (left out here) and none shorter than here. A
    node is served where some node of its group within ``limit`` of it has nodes of that group weighing
    ``min_size`` within ``limit`` of itself (a unit's meeting point would have to be such a node); unserved
    (True) where none has.

    >>> w = sp.csr_matrix(([1.0, 1.0, 1.0, 1.0], ([0, 1, 1, 2], [1, 0, 2, 1])), shape=(3, 3))
    >>> walk_unserved(w, np.array([0]), np.zeros(3, dtype=np.int64), np.ones(3), 1.0, 2).tolist()
    [False]
    >>> walk_unserved(w, np.array([0]), np.array([0, 1, 1]), np.ones(3), 1.0, 2).tolist()  # its group: itself
    [True]
    """
    src = np.asarray(src, dtype=np.int64)
    out = np.ones(len(src), dtype=bool)
    if not len(src):
        return out
    key = np.asarray(key, dtype=np.int64)
    c = sp.coo_matrix(walk)
    cross = (key[c.row] >= 0) & (key[c.col] >= 0) & (key[c.row] != key[c.col])
    a = sp.csr_matrix((c.data[~cross], (c.row[~cross], c.col[~cross])), shape=c.shape)
    at = a.T.tocsr()  # [j, i]: the walk i → j, read toward j
    cap = float(limit) + 1e-9
    w = np.nan_to_num(np.asarray(weight, dtype=float))
    reach = [dijkstra(a, directed=True, indices=src[i: i + chunk], limit=cap) <= cap
             for i in range(0, len(src), chunk)]
    reach = [r & (key[None, :] == key[src[i * chunk: i * chunk + len(r)], None]) for i, r in enumerate(reach)]
    cand = np.flatnonzero(np.logical_or.reduce([r.any(axis=0) for r in reach]))
    ok = np.zeros(a.shape[0], dtype=bool)
    for i in range(0, len(cand), chunk):
        at_c = cand[i: i + chunk]
        ball = dijkstra(at, directed=True, indices=at_c, limit=cap) <= cap
        ball &= key[None, :] == key[at_c, None]
        ok[at_c] = ball @ w >= min_size - 1e-9
    return ~np.concatenate([(r & ok[None, :]).any(axis=1) for r in reach])


def walk_unavoidable(households: pd.DataFrame, rules: Rules, graph: TerrainGraph, pos: np.ndarray,
                     persons_h: np.ndarray, which: np.ndarray, chunk: int = 64, areas: Areas | None = None
                     ) -> np.ndarray:
    """Whether each household ``which`` (positions) is *remote*: no unit holding it can keep every member within
    ``Rules.max_walk_min`` of its meeting point. Within the limit of it lies no household of its nest group whose
    own reach (the households of that group within the limit of it, by the graph's directed walking minutes over
    edges within one group) holds ``min_size``: such a unit's meeting point would have to be one (a unit holds one
    group, and every member walks to the point within the limit inside the unit, where paths are no shorter than
    here; :func:`walk_unserved`). Only in areas (:class:`Areas`, given or built) whose size fits the band and that
    hold no household above the ceiling; elsewhere never.

    >>> import geopandas as gpd
    >>> from shapely import points
    >>> ids = [f"h{i}" for i in range(10)]
    >>> xy = [[50 * i, 0] for i in range(9)] + [[2450, 0]]
    >>> hh = gpd.GeoDataFrame(geometry=points(xy), index=pd.Index(ids, name="hid"), crs="EPSG:32631")
    >>> g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(9)], crs="EPSG:32631")
    >>> walk_unavoidable(hh, Rules(5, 10, max_walk_min=3), g, np.arange(10), np.ones(10), np.arange(10)).tolist()
    [False, False, False, False, False, False, False, False, False, True]
    """
    out = np.zeros(len(which), dtype=bool)
    lim = rules.max_walk_min
    if lim is None or not len(which) or graph.walk_uv is None or graph.walk_vu is None:
        return out
    key = nest_key(households, rules.nest_by)
    ar = areas if areas is not None else Areas.of(households, rules, graph, pos, persons_h, key=key)
    which = np.asarray(which, dtype=np.int64)
    look = np.flatnonzero(ar.fits[ar.area[which]])
    if not len(look):
        return out
    node_w = np.zeros(graph.n)
    node_w[pos] = ar.weight
    node_key = np.full(graph.n, -1, dtype=np.int64)
    node_key[pos] = key
    # every edge, and the long joins (a unit may hold an island joined over one, and walk across it)
    at = unit_toward(graph, np.zeros(graph.n, dtype=np.int64), rules.join_limit_min)
    out[look] = walk_unserved(at.T, pos[which[look]], node_key, node_w, float(lim), float(rules.min_size), chunk)
    return out


@dataclass
class HeadAreas:
    """The connected areas of a village for the candidate-head rule, and how many units of each must lack a
    candidate in any plan: what no drawing of the units can change, so the same for every plan (a unit a plan
    keeps locked is not an area of its own here: unlocking it may mend its neighbour, :meth:`PlanContext.areas`).

    An area is a connected component of the neighbour graph with the edges pruned only for length within
    ``Rules.join_limit_min`` that join an island added back (an island may join its nearest neighbour), both ends
    in one nest group, found without the households no unit takes through (:class:`Areas`). Every unit lies in
    one area. An area of size ``total`` needs at least ``needed`` = ⌈total / max⌉
    units, and ``candidates`` households can head at most as many: at least ``needed − candidates`` units lack
    one in any plan (the shortfall). Where the count leaves none but a plain reason proves that no split of
    the area within the band gives every unit a candidate
    (:func:`~yuanluo.gis.delineate.headproof.no_head_split`), at least one does (proven lazily, per area).
    With sizes in persons, an area holding a household above the ceiling is left out (such a household is a
    unit of its own, above the band), and so is an area given a kept unit as a zone of its own (:attr:`Areas.kept`:
    what such a unit lacks is how it was drawn, not what the village can give).

    >>> import geopandas as gpd
    >>> from shapely import points
    >>> ids = [f"h{i}" for i in range(6)]
    >>> hh = gpd.GeoDataFrame({"head_candidate": [True] + [False] * 5}, geometry=points([[i, 0] for i in range(6)]),
    ...                       index=pd.Index(ids, name="hid"), crs="EPSG:32631")
    >>> g = TerrainGraph.from_edges(ids, [[i, 0] for i in range(6)], [(i, i + 1) for i in range(5)], crs="EPSG:32631")
    >>> ha = HeadAreas.build(hh, Rules(3, 3, require_head=True), g, np.arange(6), np.full(6, np.nan))
    >>> ha.total.tolist(), ha.needed.tolist(), ha.candidates.tolist(), ha.unavoidable(0)
    ([6.0], [2], [1], 1)
    >>> ha.excused(np.array([0, 0, 0, 1, 1, 1]), np.array([1])), ha.excused(np.zeros(6, dtype=int), np.array([]))
    ({1: 0}, {})
    """

    areas: Areas
    needed: np.ndarray  # per area: fewest units
    candidates: np.ndarray  # per area: candidate households
    head: np.ndarray  # candidate flag of each household
    lo: float
    hi: float
    _proven: dict[int, bool] = field(default_factory=dict)

    @property
    def area(self) -> np.ndarray:
        """The area of each household."""
        return self.areas.area

    @property
    def total(self) -> np.ndarray:
        """The size of each area."""
        return self.areas.total

    @classmethod
    def build(cls, households: pd.DataFrame, rules: Rules, graph: TerrainGraph, pos: np.ndarray,
              persons_h: np.ndarray, areas: Areas | None = None) -> HeadAreas:
        ar = areas if areas is not None else Areas.of(households, rules, graph, pos, persons_h)
        head = _as_bool(households["head_candidate"]) if "head_candidate" in households.columns \
            else np.zeros(len(pos), dtype=bool)
        needed = np.ceil(ar.total / rules.max_size - 1e-9).astype(np.int64)
        cands = np.bincount(ar.area, weights=head.astype(float), minlength=len(ar.total)).astype(np.int64)
        return cls(ar, needed, cands, head, float(rules.min_size), float(rules.max_size))

    def unavoidable(self, a: int) -> int:
        """Units of area ``a`` that lack a candidate head in any plan."""
        if self.areas.heavy[a] or self.areas.kept[a]:
            return 0
        short = int(self.needed[a] - self.candidates[a])
        if short > 0:
            return short
        return 1 if self.proven(a) else 0

    def proven(self, a: int) -> bool:
        """Whether a plain reason proves that area ``a``, whose size fits the band, has no split with a
        candidate in every unit."""
        if a not in self._proven:
            ar = self.areas
            ok = False
            if ar.fits[a] and self.candidates[a] > 0:
                mem = np.flatnonzero(ar.area == a)
                loc = np.full(len(ar.area), -1, dtype=np.int64)
                loc[mem] = np.arange(len(mem))
                e = ar.area[ar.u] == a
                ok = no_head_split(ar.weight[mem], loc[ar.u[e]], loc[ar.v[e]], self.lo, self.hi,
                                   self.head[mem].astype(float))
            self._proven[a] = bool(ok)
        return self._proven[a]

    def why(self, a: int) -> dict[str, str]:
        """The reason of :meth:`unavoidable` in every language."""
        short = int(self.needed[a] - self.candidates[a])
        if short > 0:
            return both("check.head.short", shortfall=short, needed=int(self.needed[a]),
                         candidates=int(self.candidates[a]))
        return both("check.head.proven", lo=_fmt(self.lo), hi=_fmt(self.hi))

    def _lacking_by_area(self, codes: np.ndarray, lacking: np.ndarray) -> dict[int, list[int]]:
        """The units ``lacking`` a candidate by area: each lying wholly in one area under that area, the others
        (in two areas or more) under -1."""
        if not len(lacking):
            return {}
        a = codes >= 0
        pairs = np.unique(np.c_[codes[a], self.area[a]], axis=0)
        pairs = pairs[np.isin(pairs[:, 0], lacking)]
        n_areas = np.bincount(pairs[:, 0], minlength=int(codes.max()) + 1)
        whole = {int(j): int(ar) for j, ar in pairs.tolist() if n_areas[j] == 1}
        per_area: dict[int, list[int]] = {}
        for j in lacking.tolist():
            per_area.setdefault(whole.get(int(j), -1), []).append(int(j))
        return per_area

    def excused(self, codes: np.ndarray, lacking: np.ndarray) -> dict[int, int]:
        """Of the units ``lacking`` a candidate (unit numbers; ``codes``: the unit number of each household,
        -1 unassigned), those that are unavoidable exceptions → their area: all lacking units of an area,
        when each lies wholly in it and they are no more than the area must have."""
        out: dict[int, int] = {}
        for ar, js in sorted(self._lacking_by_area(codes, lacking).items()):
            if ar >= 0 and len(js) <= self.unavoidable(ar):
                out.update({j: ar for j in js})
        return out

    def beyond(self, codes: np.ndarray, lacking: np.ndarray) -> dict[int, tuple[int, tuple[int, ...]]]:
        """Of the units ``lacking`` a candidate (as :meth:`excused` takes them), those of an area that must
        lack some but lacks more (no unit of it excused) → (their area, the units of it lacking one).

        >>> import geopandas as gpd
        >>> from shapely import points
        >>> ids = [f"h{i}" for i in range(9)]
        >>> hh = gpd.GeoDataFrame({"head_candidate": [True] + [False] * 8}, geometry=points([[i, 0] for i in range(9)]),
        ...                       index=pd.Index(ids, name="hid"), crs="EPSG:32631")
        >>> g = TerrainGraph.from_edges(ids, [[i, 0] for i in range(9)], [(i, i + 1) for i in range(8)], crs="EPSG:32631")
        >>> ha = HeadAreas.build(hh, Rules(1, 5, require_head=True), g, np.arange(9), np.full(9, np.nan))
        >>> ha.needed.tolist(), ha.candidates.tolist(), ha.unavoidable(0)  # 2 units at least, 1 must lack
        ([2], [1], 1)
        >>> codes = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2])  # 3 units, 2 lacking: one more than the area must
        >>> ha.beyond(codes, np.array([1, 2])), ha.excused(codes, np.array([1, 2]))
        ({1: (0, (1, 2)), 2: (0, (1, 2))}, {})
        >>> ha.beyond(np.array([0, 0, 0, 0, 1, 1, 1, 1, 1]), np.array([1]))  # 2 units, 1 lacking: excused
        {}
        """
        out: dict[int, tuple[int, tuple[int, ...]]] = {}
        for ar, js in sorted(self._lacking_by_area(codes, lacking).items()):
            if ar >= 0 and 0 < self.unavoidable(ar) < len(js):
                out.update({j: (ar, tuple(sorted(js))) for j in js})
        return out

    def beyond_params(self, found: tuple[int, tuple[int, ...]], codes: np.ndarray, names: np.ndarray
                      ) -> dict[str, Any]:
        """The fields of the fix of a unit :meth:`beyond` names (``found``: its area and the area's units lacking a
        candidate; ``codes`` as :meth:`beyond` takes them; ``names``: the unit ids, in the order their numbers give,
        the planner's): the area's size and reason, its units lacking one (how many, which), how many may, and the
        ways to fewer (``check.head.way.*``): new candidates always; a candidate moved out
        of a unit holding another where one is; units merged while the area has more units than it needs."""
        ar, js = found
        n_lacking = len(js)
        mem = (self.area == ar) & (codes >= 0)
        units = np.unique(codes[mem])
        per_unit = np.bincount(codes[mem & self.head], minlength=int(codes.max()) + 1)
        spare = int(np.maximum(per_unit - 1, 0).sum())
        allowed = self.unavoidable(ar)
        ways = [both("check.head.way.find")]
        if spare:
            ways.append(both("check.head.way.move", spare=spare))
        if len(units) > self.needed[ar]:
            ways.append(both("check.head.way.merge", units=len(units), needed=int(self.needed[ar])))
        return {"total": _fmt(self.total[ar]), "why": self.why(ar), "lacking": n_lacking,
                "lacking_units": joined(str(names[j]) for j in js), "allowed": allowed,
                "more": n_lacking - allowed, "ways": {lang: text("check.head.way.or", lang).join(w[lang] for w in ways)
                                                        for lang in LANGS}}


def _near_heads(ctx: PlanContext, lacking: np.ndarray, head: np.ndarray) -> dict[str, dict[str, Any]]:
    """Unit id → the nearest candidate head outside it (:func:`~yuanluo.gis.delineate.heads.nearest_candidates`)
    for the units ``lacking`` one, walking to the household its walk is measured to (:func:`_walk_times`): its
    given meeting point where that is one of its households, else its centre (:func:`unit_centre`)."""
    if not len(lacking) or not head.any():
        return {}
    given: dict[str, str] = {}
    mp = ctx.meeting_points
    if mp is not None:
        mp = mp.dropna()
        for u, h in zip(mp.index.astype(str), mp.astype(str), strict=True):
            given.setdefault(u, h)
    at_hid = pd.Index(ctx.hids).get_indexer([given.get(str(ctx.unit_ids[j]), "") for j in lacking.tolist()])
    ask: dict[str, tuple[int, str]] = {}
    centre = []
    for j, h in zip(lacking.tolist(), at_hid.tolist(), strict=True):
        if h >= 0 and ctx.codes[h] == j:
            ask[str(ctx.unit_ids[j])] = (int(h), "meeting")
        else:
            centre.append(j)
    if centre:
        for j, h in _centres(ctx, np.asarray(centre, dtype=np.int64), _toward(ctx)).items():
            ask[str(ctx.unit_ids[j])] = (h, "centre")
    unit_of = np.where(ctx.codes >= 0, ctx.unit_ids[np.maximum(ctx.codes, 0)].astype(object), "")
    w = ctx.persons_h if ctx.rules.size_by == "persons" else np.ones(len(ctx.hids))
    return nearest_candidates(ctx.graph, ctx.pos, ctx.hids, unit_of, head, np.nan_to_num(w), ask,
                              heads_for_size=ctx.rules.heads_for_size, join_limit=ctx.rules.join_limit_min,
                              key=ctx.nest_key(ctx.rules.nest_by))


def _as_bool(s: pd.Series) -> np.ndarray:
    """A yes/no column (``head_candidate`` …) read as the delineator reads it
    (:func:`yuanluo.gis.columns.flag_values`: 是/否, √/×, 1/0, yes/no …; another value is ATTR-TYPE)."""
    return flag_values(s, str(s.name) if s.name is not None else "head_candidate")


def rule_walk(ctx: PlanContext) -> list[Violation]:
    """PLAN-WALK-LIMIT (households beyond ``Rules.max_walk_min``) and PLAN-MEETING. A unit whose households
    beyond the limit are all remote (:func:`walk_unavoidable`: no unit holding one can keep the limit for every
    member) is the warning WALK-EXCEPTION; where households nest in groups (a ``nest_by`` column present), its
    variant ``group`` says the proof of the households of one group."""
    mp, limit = ctx.meeting_points, ctx.rules.max_walk_min
    if mp is None and limit is None:
        return []
    out: list[Violation] = []
    walk = _walk_times(ctx, out)
    ctx.walk = walk
    if limit is None:
        return out
    a = ctx.codes >= 0
    bad = a & ~(walk <= limit) & ctx.has_meeting[np.where(a, ctx.codes, 0)]
    far = np.flatnonzero(bad)
    stuck = np.zeros(len(ctx.hids), dtype=bool)  # remote: no unit holding it keeps the limit for all
    stuck[far] = walk_unavoidable(ctx.households, ctx.rules, ctx.graph, ctx.pos, ctx.persons_h, far,
                                  areas=ctx.areas())
    # the proof walked within each nest group (walk_unserved): said of "households of its group" (variant group)
    grouped = bool(nest_columns(ctx.households, ctx.rules.nest_by))
    for j in np.unique(ctx.codes[bad]):
        sel = bad & (ctx.codes == j)
        worst = walk[sel].max()
        remote = bool(stuck[sel].all())
        v = _viol("WALK-EXCEPTION" if remote else "PLAN-WALK-LIMIT", str(ctx.unit_ids[j]),
                  sorted(ctx.hids[sel].tolist()), severity="warning" if remote else "error",
                  meeting=ctx.meeting_hid[j], how=both("check.meeting.centre") if ctx.centre[j] else _none(),
                  to=both("check.to.centre" if ctx.centre[j] else "check.to.meeting", meeting=ctx.meeting_hid[j]),
                  move=_none() if ctx.centre[j] else both("check.meeting.move"),
                  limit=_fmt(limit), min=_fmt(ctx.rules.min_size),
                  worst=both("check.minutes", minutes=beyond_minutes(worst, float(limit))) if np.isfinite(worst)
                  else both("check.no_path"),
                  **_what(ctx.rules))
        out.append(replace(v, problem=replace(v.problem, variant="group")) if remote and grouped else v)
    return out


def _meeting_rows(mp: pd.Series) -> tuple[str | None, dict[str, int]]:
    """The file meeting points were read from and each unit's (first) row in it, as
    :func:`yuanluo.gis.plan.read_meeting_points` records them in ``attrs``; (None, {}) for a Series made in code."""
    rows = mp.attrs.get("rows")
    row_of: dict[str, int] = {}
    if rows is not None and len(rows) == len(mp):
        for u, r in zip(mp.index.astype(str), rows, strict=True):
            row_of.setdefault(u, int(r))
    file = mp.attrs.get("file")
    return (str(file) if file is not None else None), row_of


def blank_meeting_cells(lacking: dict[str, Any]) -> bool:
    """Whether a unit of a plan's meeting-point column lacks a point because its cells are all blank (one entry of
    ``attrs["lacking"]`` of :func:`yuanluo.gis.plan.plan_meeting_points`): no point given, not a wrong one.

    >>> blank_meeting_cells({"rows": [2], "why": both("check.meeting.col.blank")})
    True
    >>> blank_meeting_cells({"rows": [2], "why": both("check.meeting.col.unknown", meeting="X")})
    False
    """
    return bool(lacking.get("blank", lacking.get("why") == both("check.meeting.col.blank")))


def _walk_times(ctx: PlanContext, out: list[Violation]) -> np.ndarray:
    """Walking minutes from each household to its unit's meeting point inside the unit (inf if none). Under a
    walking limit, or where meeting points are given for other units, a unit with no meeting point of its own is
    measured to its centre (:func:`unit_centre`), as ``repair`` keeps it: none given (not in the meeting-point
    file, or every cell of its rows in a plan's meeting-point column blank, as the editor exports a unit walked to
    its centre) or one outside it is PLAN-MEETING; a plan column whose cells name no household of the unit (another
    unit's, an unknown id, one in no unit) or two of them is PLAN-MEET-COLUMN."""
    mp = ctx.meeting_points
    k = ctx.k
    file = row_of = None
    if mp is None:
        given, meet = np.zeros(k, dtype=bool), np.full(k, "", dtype=object)
    else:
        file, row_of = _meeting_rows(mp)
        unknown = sorted(set(mp.dropna().index.astype(str)) - set(ctx.unit_ids.tolist()), key=unit_sort_key)
        if unknown:  # a unit the plan does not have: said, not dropped in silence
            out.append(_viol("PLAN-MEETING-UNKNOWN", None, unknown, severity="warning", file=file or "meeting_points",
                             rows=sorted(row_of[u] for u in unknown if u in row_of)))
        mp = mp.dropna()
        mp = mp[~pd.Index(mp.index.astype(str)).duplicated(keep="first")]
        mp.index = pd.Index(np.asarray(mp.index.astype(str), dtype=object))
        meet_s = mp.reindex(pd.Index(ctx.unit_ids))
        given = meet_s.notna().to_numpy()
        meet = np.array([str(x) if g_ else "" for x, g_ in zip(meet_s.to_numpy(), given, strict=True)], dtype=object)
    p = pd.Index(ctx.hids).get_indexer(meet)
    safe = np.where(p >= 0, p, 0)
    has = given & (p >= 0) & (ctx.codes[safe] == np.arange(k))
    if mp is not None:
        lacking = mp.attrs.get("lacking") or {}  # a plan table's meeting-point column: why a unit has none
        column = str(mp.attrs.get("column", ""))
        for j in np.flatnonzero(~given):
            uid = str(ctx.unit_ids[j])
            if uid in lacking and not blank_meeting_cells(lacking[uid]):
                out.append(_viol("PLAN-MEET-COLUMN", uid, severity="warning", file=file, rows=lacking[uid]["rows"],
                                 column=column, why=lacking[uid]["why"]))
                continue
            if uid in lacking:  # every cell blank: no point given, as a unit a meeting-point file does not list
                out.append(_viol("PLAN-MEETING", uid, severity="warning", file=file, rows=lacking[uid]["rows"],
                                 meeting="", why=both("check.meeting.col.none", column=column),
                                 give=both("check.meeting.fix.column", column=column, unit=uid)))
                continue
            out.append(_viol("PLAN-MEETING", uid, severity="warning", file=file, meeting="",
                             why=both("check.meeting.none"),
                             give=both("check.meeting.fix.file")))
        for j in np.flatnonzero(given & ~has):
            at = row_of.get(str(ctx.unit_ids[j])) if row_of is not None else None
            out.append(_viol("PLAN-MEETING", str(ctx.unit_ids[j]), [meet[j]], meeting=meet[j], file=file,
                             rows=[at] if at is not None else [], why=both("check.meeting.foreign", meeting=meet[j]),
                             give=both("check.meeting.fix.file")))
    ctx.centre = np.zeros(k, dtype=bool)
    # a unit without a point of its own, under a walking limit or beside units given one, walks to its centre
    centres = (ctx.rules.max_walk_min is not None or mp is not None) and not has.all()
    walk = np.full(len(ctx.hids), np.inf)
    at = _toward(ctx) if centres or has.any() else None  # the unit's own edges, read toward a node
    if centres:
        assert at is not None
        for u, h in _centres(ctx, np.flatnonzero(~has), at).items():
            meet[u] = ctx.hids[h]
            p[u] = h
            has[u] = ctx.centre[u] = True
    ctx.has_meeting = has
    ctx.meeting_hid = meet
    if at is None or not has.any():
        return walk
    dist = dijkstra(at, directed=True, indices=ctx.pos[p[has]], min_only=True)
    return np.asarray(dist)[ctx.pos]


def _toward(ctx: PlanContext) -> sp.csr_matrix:
    """The walking minutes of the edges inside units, read toward a node (:func:`toward_matrix`), with the long
    joins inside a unit (a unit joined over one is whole, PLAN-LONG-JOIN, and its households walk across it)."""
    return unit_toward(ctx.graph, ctx.node_code, ctx.rules.join_limit_min)


def unit_centre(toward: sp.csr_matrix, w: np.ndarray, hids: np.ndarray) -> int:
    """The centre of a unit: the member the farthest member walks least to (then the least total walk, then the
    smallest hid), within the unit's heaviest connected piece (ties: the piece holding the smallest hid). A
    meeting point no other member keeps the walking limit for more members: where the centre's farthest walk is
    beyond the limit, so is some member's at any meeting point of the unit.

    ``toward`` holds the unit's own edges, row ``a`` column ``b`` the minutes from ``b`` to ``a`` (Dijkstra from
    ``m`` gives every member's walk to ``m``); ``w`` the size of each member; returns the centre's position.

    >>> t = sp.csr_matrix(np.array([[0, 1, 0], [1, 0, 2], [0, 2, 0]], dtype=float))
    >>> unit_centre(t, np.ones(3), np.array(["a", "b", "c"]))
    1
    """
    k, comp = connected_components(toward, directed=False)
    idx = np.arange(len(w))
    if k > 1:
        weight = np.bincount(comp, weights=w, minlength=k)
        first = np.array([min(hids[comp == c].astype(str)) for c in range(k)])
        idx = np.flatnonzero(comp == np.lexsort((first, -weight))[0])
        toward = toward[idx][:, idx]
    d = np.asarray(dijkstra(toward, directed=True))  # row m: walks of every member to m
    # compared to a millionth of a minute: the same sums in another order (the editor's) differ in the last bits
    worst, total = np.round(d.max(axis=1), 6), np.round(np.where(np.isfinite(d), d, 0).sum(axis=1), 6)
    return int(idx[np.lexsort((hids[idx].astype(str), total, worst))[0]])


def _centres(ctx: PlanContext, which: np.ndarray, at: sp.csr_matrix) -> dict[int, int]:
    """Unit (position) → its centre's household position (:func:`unit_centre`), for the units ``which`` that
    hold households; ``at``: :func:`_toward`."""
    w = ctx.persons_h if ctx.rules.size_by == "persons" else np.ones(len(ctx.hids))
    members = ctx.members()
    out = {}
    for j in which.tolist():
        mem = members[j]
        if len(mem):
            nodes = ctx.pos[mem]
            out[j] = int(mem[unit_centre(at[nodes][:, nodes], w[mem], ctx.hids[mem])])
    return out


#: The named rules run by :func:`check_plan`, in order.
CHECKS: dict[str, Rule] = {
    "structure": rule_structure,
    "size": rule_size,
    "contiguity": rule_contiguity,
    "nesting": rule_nesting,
    "settlements": rule_settlements,
    "head": rule_head,
    "walk": rule_walk,
}


#: The rules a declaration depends on (:meth:`Declared.applies`).
RULE_KEYS = ("min_size", "max_size", "size_by", "nest_by", "require_head", "heads_for_size", "keep_settlements",
             "max_walk_min", "join_limit_min")


def _same_nesting(nest_by: Any) -> Any:
    """``nest_by`` as a declaration compares it: each name that stands for a nesting column Yuanluo knows (an alias
    the household reader renames, 村 → ``village``: :func:`~yuanluo.gis.rules.nesting_name`) as that column, once
    each, in order. A result records ``nest_by`` as the rules file gave it, the check and repair hold it resolved
    against the households' columns (:func:`~yuanluo.gis.rules.resolve_nest_by`): the same nesting either way.

    >>> _same_nesting(["村", "组"]), _same_nesting(("village", "行政村", "乡镇")), _same_nesting(None)
    (('village', 'group'), ('village', '乡镇'), None)
    """
    if not isinstance(nest_by, (list, tuple)):
        return nest_by
    out: list[str] = []
    for n in (str(n) for n in nest_by):
        name = nesting_name(n) or n
        if name not in out:
            out.append(name)
    return tuple(out)


def _same_rule(a: Any, b: Any) -> bool:
    """One rule's value as the rules hold it and as a result file records it (numbers, lists, None, text)."""
    def norm(x: Any) -> Any:
        if isinstance(x, bool) or x is None:
            return x
        if isinstance(x, (int, float)):
            return float(x)
        if isinstance(x, (list, tuple)):
            return tuple(str(i) for i in x)
        return str(x)
    return bool(norm(a) == norm(b))


#: The errors a declared exception unit may have (the rules a delineation may leave unkept for it, saying why).
DECLARABLE = ("SIZE-LOW", "SIZE-HIGH", "PLAN-NO-HEAD", "PLAN-FEW-HEADS", "PLAN-WALK-LIMIT")
#: warnings that excuse a unit from a rule it breaks: unavoidable (proven from the plan's own data) or declared
#: by the delineation; such a unit without errors has the status ``exception`` (a declared settlement split
#: excuses the split, not its units: they are not exceptions, as in the delineation's own count)
EXCEPTION_CODES = ("SIZE-EXCEPTION", "HEAD-EXCEPTION", "WALK-EXCEPTION", "DECLARED-EXCEPTION")


def _excuses_unit(v: Violation) -> bool:
    """Whether the warning ``v`` makes its unit an exception (:data:`EXCEPTION_CODES`)."""
    if v.code != "DECLARED-EXCEPTION":
        return v.code in EXCEPTION_CODES
    return v.problem.params.get("declared") in DECLARABLE or bool(v.problem.params.get("locked"))


@dataclass(frozen=True)
class Declared:
    """The exception units a delineation declared, as it left them.

    ``members``: ``hid`` → unit id of every household of a declared unit; ``reasons``: unit id → its reason in
    every language. A declaration holds for a plan's unit when the plan's unit of that id has exactly those
    households: moved, merged or split, a unit is the planner's own and keeps every rule. ``settled``: ``hid`` →
    unit id of every household of a settlement the delineation declared split (it found no division keeping it
    whole within the band); that holds while each of its households is in the unit the delineation gave it.

    >>> units = pd.DataFrame({"unit_id": ["A", "B"], "status": ["exception", "ok"],
    ...                       "reason": ["WALK-LIMIT: far", ""]})
    >>> d = Declared.of(units, pd.Series(["A", "A", "B"], index=["a", "b", "c"]))
    >>> d.members.to_dict(), d.reasons["A"]["en"]
    ({'a': 'A', 'b': 'A'}, 'WALK-LIMIT: far')
    >>> len(Declared.of(units.assign(reason=""), pd.Series(["A", "A", "B"], index=["a", "b", "c"])).members)
    0
    >>> sorted(d.holding(pd.Series(["A", "A", "B"], index=["a", "b", "c"]))), d.holding(pd.Series(["A", "B", "B"],
    ...                                                                                  index=["a", "b", "c"]))
    (['A'], set())
    """

    members: pd.Series
    reasons: dict[str, dict[str, str]]
    settled: pd.Series = field(default_factory=lambda: pd.Series([], dtype=object))
    #: the rules the delineation kept (``Rules.to_dict()``); a declaration holds only under the same rules
    rules: dict[str, Any] | None = None
    #: ``hid`` → the unit the delineation gave every household (what a repair can put back)
    origin: pd.Series = field(default_factory=lambda: pd.Series([], dtype=object))
    #: unit id → the codes a unit the delineation kept locked breaks, as it recorded them (``delineate --lock``:
    #: ``LOCK-BREACH``); declared too, beyond :data:`DECLARABLE` (a locked unit is the planner's, as it stands)
    locked: dict[str, frozenset[str]] = field(default_factory=dict)
    #: ``hid`` → unit id of every household of a unit the delineation kept as it stood (``status`` ``locked``,
    #: breaking a rule or not): it redrew the other households without them, so the check finds islands without
    #: them too while the plan holds such a unit as kept (:func:`plan_zones`)
    kept: pd.Series = field(default_factory=lambda: pd.Series([], dtype=object))
    #: unit id → its ``code`` and ``reason_params`` as the units table has them (``""`` where it has none): what
    #: the editor's card renders the unit's fix from and finds the households its reason names in
    coded: dict[str, tuple[str, str]] = field(default_factory=dict)

    def applies(self, rules: Rules) -> bool:
        """Whether the declarations were made under ``rules`` (the band, what it counts, nesting, heads,
        settlements and both walking limits; None: the caller vouches that they were).

        >>> d = Declared(pd.Series([], dtype=object), {}, rules=Rules(20, 50).to_dict())
        >>> d.applies(Rules(20, 50)), d.applies(Rules(20, 25))
        (True, False)

        ``nest_by`` as recorded (村, 组) and as resolved (village, group) is the same nesting:

        >>> d = Declared(pd.Series([], dtype=object), {}, rules=Rules(20, 50, nest_by=("村", "组")).to_dict())
        >>> d.applies(Rules(20, 50, nest_by=("village", "group"))), d.applies(Rules(20, 50, nest_by=("village",)))
        (True, False)
        """
        if self.rules is None:
            return True
        mine, theirs = rules.to_dict(), self.rules
        return all(_same_rule(_same_nesting(mine.get(k)), _same_nesting(theirs.get(k))) if k == "nest_by"
                   else _same_rule(mine.get(k), theirs.get(k)) for k in RULE_KEYS)

    @classmethod
    def of(cls, units: pd.DataFrame, labels: pd.Series,
           reasons: Callable[[pd.DataFrame, Lang], pd.Series] | None = None,
           split: pd.Series | None = None, rules: dict[str, Any] | None = None) -> Declared:
        """From a result's ``units`` table (``unit_id``, ``status``, ``reason``, ``n_households`` …) and its own
        plan ``labels`` (``hid`` → unit id: a unit holding other than ``n_households`` of them is not declared).
        ``reasons(units, lang)`` renders a reason per row (default: the table's ``reason``); ``split`` (``hid`` →
        bool) marks the households of the settlements it declared split; ``rules``: the rules it kept
        (:meth:`applies`). Each declared unit's ``code`` and ``reason_params`` are kept as they are
        (:attr:`coded`)."""
        status = units["status"].astype("string").fillna("").str.strip()
        st = status.isin(["exception", "locked"]).to_numpy(dtype=bool).copy()  # a locked unit: with the breaches it keeps
        uid = units["unit_id"].astype("string").str.strip()
        lab = labels.astype("string").str.strip()
        lab.index = pd.Index(lab.index.astype(str), name="hid")
        if "n_households" in units:  # a unit whose households were changed after it was declared is not one
            st &= (pd.to_numeric(units["n_households"], errors="coerce").to_numpy()
                   == uid.map(lab.value_counts()).fillna(0).to_numpy(dtype=float))
        one = uid.notna().to_numpy() & ~uid.duplicated(keep=False).to_numpy()  # one row per id
        dec = units.loc[st & one]
        kept_ids = sorted(units.loc[st & one & (status == "locked").to_numpy(dtype=bool), "unit_id"]
                          .astype(str).str.strip())
        ids = dec["unit_id"].astype(str).str.strip().tolist()
        per: dict[str, list[str]] = {u: [] for u in ids}
        for lang in LANGS:
            txt = (reasons(dec, lang) if reasons is not None
                   else dec["reason"].astype("string").fillna("") if "reason" in dec
                   else pd.Series("", index=dec.index))
            for u, t in zip(ids, txt.astype(str).tolist(), strict=True):
                per[u].append(t.strip())
        per = {u: t for u, t in per.items() if any(t)}  # an exception is declared with its reason, or not at all
        ids = [u for u in ids if u in per]
        mem = lab[lab.isin(ids).fillna(False).to_numpy(dtype=bool)].astype(object)
        settled = pd.Series([], dtype=object)
        if split is not None:
            flag = pd.Series(_as_bool(split), index=pd.Index(split.index.astype(str)))
            settled = lab[flag.reindex(lab.index, fill_value=False).to_numpy(dtype=bool) & lab.notna().to_numpy()]
            settled = settled.astype(object)
        kept = {u: _breach_codes(p) for u, st_, p in zip(dec["unit_id"].astype(str).str.strip(),
                                                          status[dec.index].astype(str),
                                                          dec["reason_params"] if "reason_params" in dec
                                                          else [""] * len(dec), strict=True)
                if st_ == "locked" and u in per}
        cells = {c: (dec[c].astype("string").fillna("").astype(str).tolist() if c in dec else [""] * len(dec))
                 for c in ("code", "reason_params")}
        coded = {u: (c, p) for u, c, p in zip(dec["unit_id"].astype(str).str.strip(), cells["code"],
                                              cells["reason_params"], strict=True) if u in per}
        return cls(mem, {u: dict(zip(LANGS, t, strict=True)) for u, t in per.items()}, settled, rules,
                   lab[lab.notna().to_numpy()].astype(object), kept,
                   lab[lab.isin(kept_ids).fillna(False).to_numpy(dtype=bool)].astype(object), coded)

    def holding(self, labels: pd.Series) -> set[str]:
        """The declared units that ``labels`` (``hid`` → unit id) hold exactly as declared."""
        return _held(self.members, labels)

    def holding_kept(self, labels: pd.Series) -> set[str]:
        """The units kept locked (:attr:`kept`) that ``labels`` hold exactly as kept.

        >>> units = pd.DataFrame({"unit_id": ["A", "B"], "status": ["locked", "ok"], "reason": ["", ""]})
        >>> d = Declared.of(units, pd.Series(["A", "A", "B"], index=["a", "b", "c"]))
        >>> len(d.members), d.holding_kept(pd.Series(["A", "A", "B"], index=["a", "b", "c"]))
        (0, {'A'})
        """
        return _held(self.kept, labels)


def _held(members: pd.Series, labels: pd.Series) -> set[str]:
    """The units of ``members`` (``hid`` → unit id) that ``labels`` hold with exactly those households."""
    if not len(members):
        return set()
    lab = labels.astype("string").str.strip()
    lab.index = pd.Index(lab.index.astype(str))
    lab = lab[~lab.index.duplicated(keep="first")]
    mine = lab[lab.isin(sorted(set(members.astype(str)))).fillna(False).to_numpy(dtype=bool)]
    want = {u: set(g.index) for u, g in members.groupby(members, sort=False)}
    have = {u: set(g.index) for u, g in mine.groupby(mine, sort=False)}
    return {str(u) for u, s in want.items() if have.get(u) == s}


def with_plan_kept(declared: Declared | None, labels: Any) -> Declared | None:
    """``declared`` with the units the plan ``labels`` itself records as kept locked (:func:`yuanluo.gis.plan.plan_kept`:
    a plan table's status column saying locked, as the ``--xlsx`` plan and a result's ``households`` layer write it,
    or its lock column saying yes, as the editor exports it) among :attr:`Declared.kept`, so that :func:`plan_zones`
    finds islands without them as it does for a result's own ``status`` ``locked``: the delineation that locked them
    redrew the others without them. A plan is its own record: such a unit counts while the plan holds it with exactly
    the households its marked rows give (:meth:`Declared.holding_kept`). A unit the result kept too is taken as the
    result kept it. Without such rows, ``declared`` as it is; without ``declared``, a declaration of these units
    alone, under any rules.

    >>> lab = pd.Series(["A", "A", "B"], index=["a", "b", "c"])
    >>> lab.attrs["kept"] = {"a": "A", "b": "A"}
    >>> d = with_plan_kept(None, lab)
    >>> d.holding_kept(lab), len(d.members), with_plan_kept(None, pd.Series(["A"], index=["a"])) is None
    ({'A'}, 0, True)
    """
    kept = plan_kept(labels)
    return _with_kept(declared, kept) if len(kept) else declared


def _with_kept(declared: Declared | None, kept: pd.Series) -> Declared:
    """``declared`` with ``kept`` (``hid`` → unit id) among :attr:`Declared.kept` (see :func:`with_plan_kept`)."""
    kept = kept.astype(object)
    kept.index = pd.Index(kept.index.astype(str), name="hid")
    if declared is None:
        return Declared(pd.Series([], dtype=object), {}, kept=kept)
    known = declared.kept
    more = kept[~kept.isin(sorted(set(known.astype(str)))).to_numpy(dtype=bool)
                & ~kept.index.isin(known.index.astype(str))]
    return replace(declared, kept=pd.concat([known.astype(object), more]) if len(known) else more)


def plan_zones(households: pd.DataFrame, labels: pd.Series, rules: Rules, graph: TerrainGraph, pos: np.ndarray,
               declared: Declared | None) -> np.ndarray:
    """Each graph node's zone for the long joins (:func:`yuanluo.gis.islands.node_zones`), from what the check
    knows: the households heavier than the ceiling (sizes in persons), and the households of each unit the
    delineation kept locked that ``labels`` (``hid`` → unit id) hold as it kept them (``declared``, the result's
    ``status`` ``locked``: :attr:`Declared.kept`; or the plan's own status or lock column, :func:`with_plan_kept`; a
    plan without either declares none). The delineator found its
    islands without them (it redraws around a locked unit, and a heavy household is a unit of its own), so an island
    it joined over a long edge checks as joined (PLAN-LONG-JOIN). ``pos``: each household's node."""
    n = len(pos)
    if rules.size_by == "persons" and "persons" in households.columns:
        weight = pd.to_numeric(households["persons"], errors="coerce").fillna(0).to_numpy(dtype=float)
    else:
        weight = np.ones(n)
    kept = None
    if declared is not None and len(declared.kept):
        held = sorted(declared.holding_kept(labels))
        lab = labels.astype("string").str.strip()
        lab.index = pd.Index(lab.index.astype(str))
        lab = lab[~lab.index.duplicated(keep="first")].reindex(pd.Index(households.index.astype(str)))
        kept = lab.astype(object).map({u: i for i, u in enumerate(held)}).fillna(-1).to_numpy(dtype=np.int64)
    return node_zones(graph.n, pos, weight, rules.max_size, kept)


def _as_declared(v: Violation, subject: dict[str, str], reason: dict[str, str]) -> Violation:
    """``v`` as the warning DECLARED-EXCEPTION: its own sentence, then what was declared and why (its sentence
    without the nearest candidate head where the declared reason names that one already)."""
    p = v.problem
    near = p.params.get("near")
    if p.variant.endswith("near") and isinstance(near, dict) and all(near[lang] in reason.get(lang, "") for lang in LANGS):
        p = replace(p, variant=p.variant.removesuffix("near").rstrip("_"))
    return Violation(problem("DECLARED-EXCEPTION", severity="warning", ids=p.ids,
                             **{**p.params, "rule": {lang: p.title(lang) for lang in LANGS}, "subject": subject,
                                "reason": reason, "declared": p.code}), v.unit_id, v.units, v.pieces)


def _breach_codes(params: Any) -> frozenset[str]:
    """The check's codes a locked unit's ``reason_params`` record (``codes``); none when unreadable.

    >>> sorted(_breach_codes('{"codes": ["SIZE-HIGH", "PLAN-NONCONTIG"]}')), _breach_codes("{bad")
    (['PLAN-NONCONTIG', 'SIZE-HIGH'], frozenset())
    """
    try:
        codes = json.loads(params).get("codes") if isinstance(params, str) and params else None
    except (ValueError, AttributeError):
        return frozenset()
    return frozenset(str(c) for c in codes) if isinstance(codes, list) else frozenset()


def _declare(viols: list[Violation], declared: Declared, labels: pd.Series) -> list[Violation]:
    """``viols`` with the :data:`DECLARABLE` errors of units holding their declaration as DECLARED-EXCEPTION (of
    a unit kept locked: also the other errors it recorded, :attr:`Declared.locked`)."""
    holds = declared.holding(labels)
    out = []
    for v in viols:
        u = str(v.unit_id)
        locked = declared.locked.get(u)
        if v.problem.severity == "error" and v.unit_id in holds and (
                v.code in DECLARABLE or (locked is not None and v.code in locked)):
            subject = both("lock.declared.unit") if locked is not None else both("check.declared.unit")
            v = _as_declared(v, subject, declared.reasons[u])
            if locked is not None:
                v = Violation(replace(v.problem, params={**v.problem.params, "locked": True}), v.unit_id, v.units,
                              v.pieces)
        out.append(v)
    return out


# ------------------------------------------------------------------------------------------- result
@dataclass
class CheckResult:
    """The outcome of :func:`check_plan`.

    Attributes
    ----------
    violations : DataFrame
        One row per violation: ``code, unit_id, hids (list), severity, message_zh, message_en,
        units (list of unit ids concerned), pieces (list of lists, for contiguity codes)``.
    units : DataFrame
        One row per unit: ``unit_id, n_households, persons, size, status, codes (list), mean_walk_min,
        max_walk_min`` (walk columns are NaN where no walk was measured; ``persons`` only where the households
        have a persons column). ``status`` is ``violation`` (an error names the unit), ``exception`` (no error,
        but a rule it breaks is excused: :data:`EXCEPTION_CODES`) or
        ``ok``; ``codes`` lists the code of every finding that names the unit, warnings too (an ``ok`` unit
        joined over a long edge has PLAN-LONG-JOIN). Where the households have a candidate-head column, then
        ``n_heads``, ``head_hid`` and ``head_candidates`` (a list) as a delineation's units table has them
        (:func:`plan_heads`); without one, no such columns.
    passed : bool
        No violation of severity "error".
    graph_kind : {"terrain", "straight"}
    rules : Rules
    n_households, n_assigned : int
    """

    violations: pd.DataFrame
    units: pd.DataFrame
    passed: bool
    graph_kind: str
    rules: Rules
    n_households: int = 0
    n_assigned: int = 0
    #: unit id → the meeting household each unit's walk was measured to (None: the walk was not measured)
    meeting_points: pd.Series | None = None
    #: some unit had no meeting point of its own and its walk was measured to its centre (:func:`unit_centre`)
    centres: bool = False
    #: the problem of each row of ``violations`` (by its index), to say it again for a page (:meth:`for_planner`)
    problems: Mapping[Any, Problem] = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        """A short repr: passed, counts and the codes found (the tables are ``violations`` and ``units``)."""
        sev = self.violations["severity"] if "severity" in self.violations else pd.Series(dtype=object)
        return (f"CheckResult(passed={self.passed}, units={len(self.units)}, households={self.n_households}, "
                f"assigned={self.n_assigned}, errors={int((sev == 'error').sum())}, "
                f"warnings={int((sev == 'warning').sum())}, codes={sorted(set(self.codes))}, "
                f"graph_kind={self.graph_kind!r})")

    def for_planner(self) -> CheckResult:
        """This result as a page or a report shows it to its reader (the check report, a map's findings): every
        finding's ``message_zh`` and ``message_en`` as the command line says it (its fix names ``yuanluo repair``,
        a rule file's key, an option, where the Python API's names ``repair_plan``, a keyword argument:
        :meth:`yuanluo.gis.errors.Problem.planner_message`), whoever ran the check; the result itself where
        nothing changes (a check of the command line). A row whose messages are no longer those its problem gave
        (a table the caller changed) keeps its own.

        >>> import geopandas as gpd
        >>> from shapely.geometry import Point
        >>> hh = gpd.GeoDataFrame(geometry=[Point(x, 0) for x in (0, 50, 100)], crs="EPSG:32631",
        ...                       index=pd.Index(list("abc"), name="hid"))
        >>> res = check_plan(hh, pd.Series(["A", "A"], index=list("ab")), Rules(3, 5, nest_by=(),
        ...                  keep_settlements=False, require_head=False))
        >>> [("repair_plan" in m, "yuanluo repair" in m) for m in res.violations["message_en"]]
        [(True, False), (True, False)]
        >>> [("repair_plan" in m, "yuanluo repair" in m) for m in res.for_planner().violations["message_en"]]
        [(False, True), (False, True)]
        """
        v = self.violations
        if not len(v) or not any(p.python for p in self.problems.values()) \
                or not {"message_zh", "message_en"} <= set(v.columns):
            return self
        out = {lang: v[f"message_{lang}"].tolist() for lang in LANGS}
        for i, key in enumerate(v.index):
            p = self.problems.get(key)
            if p is None or not p.python:
                continue
            if all(out[lang][i] == p.message(lang) for lang in LANGS):  # as the check gave it
                for lang in LANGS:
                    out[lang][i] = p.planner_message(lang)
        return replace(self, violations=v.assign(**{f"message_{lang}": pd.Series(out[lang], index=v.index,
                                                                                   dtype=object) for lang in LANGS}))

    @property
    def codes(self) -> list[str]:
        """Sorted distinct violation codes."""
        return sorted(set(self.violations["code"]))

    def summary(self) -> dict[str, Any]:
        """The counts the console, the report and the JSON give alike: ``n_warnings`` the warnings of the findings
        but the rules not checked (``RULE-UNAPPLIED``, a rule the household file has no column for), which are
        ``n_unchecked``, counted apart (the console's '另有 1 条规则未能检查'); ``codes`` counts every finding."""
        sev = self.violations["severity"] if len(self.violations) else pd.Series([], dtype=str)
        unchecked = (self.violations["code"] == "RULE-UNAPPLIED").to_numpy() if len(self.violations) else False
        return {
            "passed": bool(self.passed),
            "graph_kind": self.graph_kind,
            "n_households": int(self.n_households),
            "n_assigned": int(self.n_assigned),
            "n_units": int(len(self.units)),
            "n_units_ok": int((self.units["status"] == "ok").sum()) if len(self.units) else 0,
            "n_units_exception": int((self.units["status"] == "exception").sum()) if len(self.units) else 0,
            "n_errors": int((sev == "error").sum()),
            "n_warnings": int(((sev == "warning").to_numpy() & ~unchecked).sum()),
            "n_unchecked": int(((sev == "warning").to_numpy() & unchecked).sum()),
            "codes": {c: int(n) for c, n in sorted(self.violations["code"].value_counts().items())},
            "rules": self.rules.to_dict(),
        }


def no_persons_column(households: Any) -> Problem:
    """``CHECK-PERSONS``: the rules count persons and ``households`` has no persons column. It names the household
    file (the households' ``attrs["file"]``, where the reader's caller put it) and, in its fix, every column name
    read as persons (:data:`yuanluo.gis.columns.ALIASES`), so that the user can rename theirs (家庭人口数) to one.

    >>> import pandas as pd
    >>> hh = pd.DataFrame({"家庭人口数": [3]}); hh.attrs["file"] = "农户.shp"
    >>> p = no_persons_column(hh)
    >>> p.file, "“家庭人口”" in p.fix("zh"), "户籍人口" in p.fix("en")
    ('农户.shp', True, True)
    """
    from yuanluo.gis.columns import ALIASES

    names = ALIASES["persons"]
    file = getattr(households, "attrs", {}).get("file")
    return problem("CHECK-PERSONS", file=str(file) if file else None,
                   names={"zh": text("list.sep", "zh").join(f"“{n}”" for n in names),
                          "en": text("list.sep", "en").join(names)})


def _straight_graph(households: Any) -> TerrainGraph:
    try:
        from yuanluo.gis.neighbours import build_graph  # type: ignore[import-not-found,unused-ignore]
    except ImportError as exc:
        raise InputError(problem("CHECK-NO-GRAPH")) from exc
    return build_graph(households)  # type: ignore[no-any-return,unused-ignore]


def _planner_order(codes: np.ndarray, names: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The units numbered in the order a planner reads a list of them, which every finding, the units table, the
    console, the report and the CSV follow: a natural sort of their names (:func:`yuanluo.gis.plan.unit_sort_key`:
    二组二院落 before 二组十院落, U2 before U10; a name that says its village and group, 石桥村二组十院落, listed by
    them). Not the roster's places first: a delineation numbers its units U001, U002 … by their first household, and
    its check lists them so. ``codes``: each household's unit (its position in ``names``, -1 for none); returns the
    codes and the unit ids renumbered.

    >>> c, ids = _planner_order(np.array([0, 1, 2, -1, 1]), ["U10", "U2", "U1"])
    >>> ids.tolist(), c.tolist()
    (['U1', 'U2', 'U10'], [2, 1, 0, -1, 1])
    >>> _planner_order(np.array([-1, -1]), [])[0].tolist()  # a plan naming no household: no unit at all
    [-1, -1]
    """
    k = len(names)
    order = sorted(range(k), key=lambda j: unit_sort_key(names[j]))
    new = np.empty(k, dtype=np.int64)
    new[order] = np.arange(k)
    renumbered = new[np.maximum(codes, 0)] if k else np.full(len(codes), -1, dtype=np.int64)
    return np.where(codes >= 0, renumbered, -1), np.asarray([names[j] for j in order], dtype=object)


def _context(households: Any, labels: pd.Series, rules: Rules, graph: TerrainGraph,
             meeting_points: pd.Series | None, plan_problems: Sequence[Problem]) -> PlanContext:
    hids = np.asarray(households.index.astype(str), dtype=object)
    raw = labels.copy()
    raw.index = pd.Index(raw.index.astype(str), name="hid")
    first = raw[~raw.index.duplicated(keep="first")]
    lab = first.reindex(pd.Index(hids, name="hid")).astype("string")
    stripped = lab.str.strip()
    blank_mask = (stripped == "").fillna(False).to_numpy(dtype=bool)
    lab = stripped.mask(blank_mask)
    codes, uniq = pd.factorize(lab, sort=True)
    codes, unit_ids = _planner_order(np.asarray(codes, dtype=np.int64), [str(u) for u in uniq])
    pos = pd.Index(np.asarray(graph.ids, dtype=object)).get_indexer(hids)
    if (pos < 0).any():
        raise InputError(problem("CHECK-GRAPH", ids=sorted(hids[pos < 0])))
    node_code = np.full(graph.n, -1, dtype=np.int64)
    node_code[pos] = codes
    a = codes >= 0
    n_h = np.bincount(codes[a], minlength=len(unit_ids)).astype(np.int64)
    if "persons" in households.columns:
        pers_h = pd.to_numeric(households["persons"], errors="coerce").fillna(0).to_numpy(dtype=float)
    elif rules.size_by == "persons":
        raise InputError(no_persons_column(households))
    else:
        pers_h = np.full(len(hids), np.nan)
    persons = np.bincount(codes[a], weights=pers_h[a], minlength=len(unit_ids))
    ctx = PlanContext(households=households, hids=hids, labels=lab, rules=rules, graph=graph,
                      unit_ids=unit_ids, codes=codes, pos=pos, node_code=node_code, n_households=n_h,
                      persons=persons, meeting_points=meeting_points, raw_labels=raw,
                      blank_ids=hids[blank_mask], plan_problems=tuple(plan_problems), persons_h=pers_h)
    return ctx


def plan_labels(labels: Any) -> pd.Series:
    """A plan given to :func:`check_plan` as a Series (hid → unit), a mapping, or a list of ``(hid, unit)`` pairs,
    as a Series; ``LABELS-TYPE`` for anything else (a plain list of units, whose households are not named).

    >>> plan_labels({"a": "U1"}).to_dict(), plan_labels([("a", "U1"), ("b", "U2")]).to_dict()
    ({'a': 'U1'}, {'a': 'U1', 'b': 'U2'})
    >>> plan_labels([("a", "U1"), ("a", "U2")]).tolist()  # both kept: check and repair say PLAN-DUP-ASSIGN
    ['U1', 'U2']
    >>> plan_labels([("a", None), ("b", " "), ("a", "U1"), ("b", None)]).tolist()  # a blank beside a unit: left out
    [' ', 'U1', None]
    >>> try:
    ...     plan_labels(["U1", "U2"])
    ... except InputError as e:
    ...     print(e.problems[0].code, e.problems[0].params["given"])
    LABELS-TYPE list
    """
    if isinstance(labels, pd.Series):
        return _drop_shadowed_blanks(labels)
    if isinstance(labels, Mapping):
        return pd.Series(dict(labels), dtype=object)
    if isinstance(labels, list | tuple) and all(isinstance(p, list | tuple) and len(p) == 2 for p in labels):
        # every pair kept, a household given twice too (a dict kept the last unit without a word)
        return _drop_shadowed_blanks(
            pd.Series([u for _, u in labels], index=pd.Index([h for h, _ in labels]), dtype=object))
    raise InputError(problem("LABELS-TYPE", given=type(labels).__name__))


def _drop_shadowed_blanks(labels: pd.Series) -> pd.Series:
    """``labels`` without its blank entries (missing, or only spaces) for a household that has a unit in another
    entry: as the command line leaves out a plan table's row with a blank unit cell, so that the order of the
    entries does not decide whether the household is assigned. A household given only blanks stays unassigned;
    two different units stay PLAN-DUP-ASSIGN."""
    idx = pd.Index(labels.index.astype(str))
    if not idx.has_duplicates:
        return labels
    vals = labels.astype(object)
    blank = (vals.isna() | vals.map(lambda x: isinstance(x, str) and x.strip() == "")).to_numpy(dtype=bool)
    if not blank.any():
        return labels
    with_unit = set(idx[~blank])
    drop = blank & idx.isin(with_unit)
    return labels[~drop] if drop.any() else labels


def meeting_series(meeting_points: Any) -> pd.Series | None:
    """Meeting points given to :func:`check_plan` or :func:`yuanluo.gis.repair.repair_plan` as a Series (unit id →
    meeting household id): a Series as it is, a mapping, or a table of two columns (unit id, then household id,
    such as a delineation's ``units_[["unit_id", "meeting_hid"]]``, or any table with those two columns, such as
    ``units_`` itself); None stays None. Anything else (a plain list
    of household ids, whose units are not named) is ``MEETING-POINTS-TYPE``.

    >>> meeting_series({"U1": "a"}).to_dict()
    {'U1': 'a'}
    >>> meeting_series(pd.DataFrame({"unit_id": ["U1", "U2"], "meeting_hid": ["a", "c"]})).to_dict()
    {'U1': 'a', 'U2': 'c'}
    >>> try:
    ...     meeting_series(["a", "c"])
    ... except InputError as e:
    ...     print(e.problems[0].code, e.problems[0].params["given"])
    MEETING-POINTS-TYPE list
    """
    if meeting_points is None or isinstance(meeting_points, pd.Series):
        return meeting_points
    if isinstance(meeting_points, Mapping):
        return pd.Series(dict(meeting_points), dtype=object, name="meeting_hid").rename_axis("unit_id")
    named = isinstance(meeting_points, pd.DataFrame) and {"unit_id", "meeting_hid"} <= set(meeting_points.columns)
    if isinstance(meeting_points, pd.DataFrame) and (named or meeting_points.shape[1] == 2):
        unit, hid = ("unit_id", "meeting_hid") if named else meeting_points.columns
        out = pd.Series(meeting_points[hid].to_numpy(dtype=object), index=pd.Index(meeting_points[unit].to_numpy(
            dtype=object), name="unit_id"), dtype=object, name="meeting_hid")
        out.attrs.update(meeting_points.attrs)
        return out
    raise InputError(problem("MEETING-POINTS-TYPE", given=given_name(meeting_points)))


def require_rows(households: Any, what: str) -> None:
    """``CHECK-EMPTY`` for households without a row: a check or repair (``what``: "check" or "repair") of nothing
    does not pass, as a delineation of nothing is ``CLUSTER-EMPTY`` and the command line's empty file
    ``IO-NOROWS``."""
    if not len(households):
        raise InputError(problem("CHECK-EMPTY", what=both(f"check.empty.{what}")))


def check_plan(
    households: Any,
    labels: pd.Series,
    rules: Rules,
    *,
    graph: TerrainGraph | None = None,
    graph_kind: str = "terrain",
    meeting_points: pd.Series | None = None,
    plan_problems: Sequence[Problem] = (),
    checks: Sequence[str] | None = None,
    declared: Declared | None = None,
    unapplied: bool = True,
) -> CheckResult:
    """Check a plan against the rules and return every violation.

    Parameters
    ----------
    households : GeoDataFrame
        Households (index ``hid``) in a projected metric CRS.
    labels : Series (or a mapping)
        ``hid`` → unit id; missing = unassigned. Ids not in ``households`` and repeated ids are
        violations (PLAN-UNKNOWN-ID, PLAN-DUP-ASSIGN; the first value of a repeated id is used). A blank
        entry of an id that has a unit in another entry is left out, wherever it stands. Labels read by
        :func:`yuanluo.gis.plan.read_plan_table` carry the units the plan records as kept locked (its status or
        lock column: :func:`yuanluo.gis.plan.plan_kept`), taken as a result's ``status`` is (:func:`with_plan_kept`).
    rules : Rules
        A ``nest_by`` name that is neither a column of ``households`` nor a nesting column Yuanluo knows is
        ``RULE-NEST-UNKNOWN`` (:func:`yuanluo.gis.rules.unknown_nesting`), as on the command line.
    graph : TerrainGraph, optional
        Neighbour graph containing every household (anything else, a file path too: ``CHECK-GRAPH-TYPE``). When None, the straight-line graph of
        ``yuanluo.gis.neighbours.build_graph`` is used and ``graph_kind`` is "straight".
    graph_kind : {"terrain", "straight"}
        What ``graph`` is, for the report.
    meeting_points : Series, optional
        unit id → meeting household id (a dict, or a table of two columns, unit id then household id, such as
        ``units_[["unit_id", "meeting_hid"]]``, is taken as one: :func:`meeting_series`; anything else is
        ``MEETING-POINTS-TYPE``): the walk is measured to them (PLAN-MEETING, the walk columns, and
        PLAN-WALK-LIMIT with ``Rules.max_walk_min``). Under a walking limit a unit without one (none given, or one
        outside it) is measured to its centre (:func:`unit_centre`: no meeting point of the unit keeps more
        members within the limit), and the result says so (``centres``).
    plan_problems : sequence of Problem
        Findings from :mod:`yuanluo.gis.plan` (PLAN-EMPTY-UNIT, PLAN-DUP-ASSIGN …), reported as violations.
    checks : sequence of str, optional
        Names in :data:`CHECKS` to run (default all).
    declared : Declared, optional
        The exception units the delineation of ``households`` declared: their :data:`DECLARABLE` errors are
        the warning DECLARED-EXCEPTION while the plan holds them as declared.
    unapplied : bool
        True (the default): say which rules ``households`` have no column for, so a rule asked for is never passed
        unchecked without a word: the warnings RULE-UNAPPLIED (:func:`yuanluo.gis.rules.unapplied_problems`, each
        with its fix) among the violations, as ``yuanluo check`` and :meth:`yuanluo.gis.cluster.UnitDelineator.check`
        say them (not again when ``plan_problems`` carry them). False: for a caller that knows the rules it gives
        cannot all be served and says so itself; the rules are checked where the columns are, without a word
        about the others.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> hh = gpd.GeoDataFrame(geometry=[Point(x, 0) for x in (0, 50, 100, 150)], crs="EPSG:32631",
    ...                       index=pd.Index(list("abcd"), name="hid"))
    >>> g = TerrainGraph.from_edges(list("abcd"), [[0, 0], [50, 0], [100, 0], [150, 0]],
    ...                             [(0, 1), (1, 2), (2, 3)], crs="EPSG:32631")
    >>> res = check_plan(hh, pd.Series(["A", "A", "B", "B"], index=list("abcd")), Rules(2, 3), graph=g)
    >>> res.passed, sorted(res.violations["code"])  # no village, group, settlement or candidate-head column
    (True, ['RULE-UNAPPLIED', 'RULE-UNAPPLIED', 'RULE-UNAPPLIED'])
    >>> bare = Rules(2, 3, nest_by=(), keep_settlements=False, require_head=False)  # the rules these data serve
    >>> res = check_plan(hh, pd.Series(["A", "B", "A", "B"], index=list("abcd")), bare, graph=g)
    >>> res.passed, sorted(res.violations["code"])
    (False, ['PLAN-NONCONTIG', 'PLAN-NONCONTIG'])
    """
    from yuanluo.gis.neighbours import require_households  # type: ignore[import-not-found,unused-ignore]

    require_households(households)  # a GeoDataFrame in metres
    rules = require_rules(rules)
    own = plan_kept(labels)  # the units the plan itself records as kept locked (its status or lock column)
    labels = plan_labels(labels)
    meeting_points = meeting_series(meeting_points)
    if graph is not None and not isinstance(graph, TerrainGraph):
        raise InputError(problem("CHECK-GRAPH-TYPE", given=given_name(graph)))
    require_rows(households, "check")
    unknown_nesting(rules, households)
    given_rules, rules = rules, resolve_nesting(rules, households)  # nest_by = ["村民小组"] is the reader's group
    dup = households.index.astype(str)
    if dup.has_duplicates:  # one household twice: as build_graph and fit say it
        raise InputError(problem("CLUSTER-DUP-IDS", ids=sorted(set(dup[dup.duplicated()]))))
    if graph is None:
        graph, graph_kind = _straight_graph(households), "straight"
    if graph_kind not in ("terrain", "straight"):
        raise ValueError(f"graph_kind must be 'terrain' or 'straight', not {graph_kind!r}")
    if unapplied and not any(p.code == "RULE-UNAPPLIED" for p in plan_problems):  # as yuanluo check says them
        plan_problems = [*plan_problems, *unapplied_problems(rules, households)]
    ctx = _context(households, labels, rules, graph, meeting_points, plan_problems)
    ctx.declared = declared if declared is not None and (declared.applies(given_rules) or declared.applies(rules)) else None
    if len(own):  # its zones (plan_zones) whatever rules a result's declaration was made under: its own record
        ctx.declared = _with_kept(ctx.declared, own)
    names = list(CHECKS) if checks is None else list(checks)
    viols: list[Violation] = []
    for name in names:
        viols.extend(CHECKS[name](ctx))
    if declared is not None and declared.applies(rules):
        viols = _declare(viols, declared, labels)
    return _result(ctx, viols, graph_kind)


def _result(ctx: PlanContext, viols: list[Violation], graph_kind: str) -> CheckResult:
    rows = [{
        "code": v.code,
        "unit_id": v.unit_id,
        "hids": list(v.hids if v.hids is not None else v.problem.ids) if v.code != "PLAN-EMPTY-UNIT" else [],
        "severity": v.problem.severity,
        "message_zh": v.problem.message("zh"),
        "message_en": v.problem.message("en"),
        "units": list(v.units),
        "pieces": [list(p) for p in v.pieces],
    } for v in viols]
    vdf = pd.DataFrame(rows, columns=VIOLATION_COLUMNS)
    vdf["unit_id"] = vdf["unit_id"].astype("object")
    per_unit: dict[str, list[str]] = {}
    excused: dict[str, list[str]] = {}  # units whose only findings on a rule are unavoidable or declared
    said: dict[str, set[str]] = {}  # every code the findings give a unit, warnings too (PLAN-LONG-JOIN …)
    for v in viols:
        for u in v.units:
            said.setdefault(u, set()).add(v.code)
        if v.problem.severity == "error" or _excuses_unit(v):
            into = per_unit if v.problem.severity == "error" else excused
            for u in v.units:
                into.setdefault(u, []).append(v.code)
    unit_ids = list(ctx.unit_ids.tolist())
    empty = sorted({u for v in viols if v.code == "PLAN-EMPTY-UNIT" for u in v.units} - set(unit_ids), key=unit_sort_key)
    k = ctx.k
    walk_mean = np.full(k, np.nan)
    walk_max = np.full(k, np.nan)
    if ctx.walk is not None and k:
        a = (ctx.codes >= 0) & np.isfinite(ctx.walk)
        cnt = np.bincount(ctx.codes[a], minlength=k)
        sm = np.bincount(ctx.codes[a], weights=ctx.walk[a], minlength=k)
        mx = np.full(k, -np.inf)
        np.maximum.at(mx, ctx.codes[a], ctx.walk[a])
        has = ctx.has_meeting if len(ctx.has_meeting) == k else np.zeros(k, dtype=bool)
        walk_mean = np.where(has & (cnt > 0), sm / np.maximum(cnt, 1), np.nan)
        walk_max = np.where(has & (cnt > 0), mx, np.nan)
    all_ids = unit_ids + empty
    codes_col = [sorted(said.get(u, ())) for u in all_ids]
    units = pd.DataFrame({
        "unit_id": all_ids,
        "n_households": np.r_[ctx.n_households, np.zeros(len(empty), dtype=np.int64)],
        "persons": np.r_[ctx.persons, np.zeros(len(empty))],
        "size": np.r_[ctx.size, np.zeros(len(empty))],
        "status": ["violation" if u in per_unit else "exception" if u in excused else "ok" for u in all_ids],
        "codes": codes_col,
        "mean_walk_min": np.r_[walk_mean, np.full(len(empty), np.nan)],
        "max_walk_min": np.r_[walk_max, np.full(len(empty), np.nan)],
    })
    if "persons" not in ctx.households.columns:  # no persons column: no column of blanks (nor of an empty unit's 0)
        units = units.drop(columns="persons")
    heads = plan_heads(ctx)
    if heads is not None:  # without a candidate-head column nothing is said: a count of 0 would read as a finding
        units["n_heads"] = np.r_[np.asarray(heads["n_heads"], dtype=np.int64), np.zeros(len(empty), dtype=np.int64)]
        units["head_hid"] = heads["head_hid"] + [""] * len(empty)
        units["head_candidates"] = heads["head_candidates"] + [[] for _ in empty]
    passed = not bool((vdf["severity"] == "error").any())
    return CheckResult(violations=vdf, units=units, passed=passed, graph_kind=graph_kind, rules=ctx.rules,
                       n_households=len(ctx.hids), n_assigned=int((ctx.codes >= 0).sum()),
                       meeting_points=_walked_to(ctx), centres=bool(ctx.centre.any()),
                       problems={i: v.problem for i, v in zip(vdf.index, viols, strict=True)})


def plan_heads(ctx: PlanContext) -> dict[str, list[Any]] | None:
    """Each unit's candidate heads, as a delineation's units table gives them: ``n_heads`` (how many of its
    households are candidates), ``head_hid`` (its suggested head, 建议院落长: the candidate nearest by walking time to
    the household the unit's walk is measured to, ties by hid; ``""`` without one) and ``head_candidates`` (every
    candidate in that order, a list), by :func:`~yuanluo.gis.delineate.heads.suggested_heads`, the delineator's own
    choice. The walk is the check's (:func:`_walk_times`: to the plan's meeting point, else to the unit's centre);
    where the check measured none (no meeting points, no walking limit), to the unit's centre
    (:func:`unit_centre`), as it would under a limit. None without a ``head_candidate`` column: no rule on heads
    could be read, and nothing is said.

    >>> from yuanluo.gis.graph import TerrainGraph
    >>> g = TerrainGraph("EPSG:4545", list("abcd"), [[i, 0] for i in range(4)], np.arange(3), np.arange(1, 4),
    ...                  np.ones(3), np.ones(3), walk_uv=np.ones(3), walk_vu=np.ones(3))
    >>> hh = pd.DataFrame({"head_candidate": [True, False, True, True]}, index=pd.Index(list("abcd"), name="hid"))
    >>> ctx = _context(hh, pd.Series(["U1", "U1", "U1", "U2"], index=list("abcd")), Rules(1, 5), g, None, ())
    >>> plan_heads(ctx)  # U1's centre is b, a and c a minute from it: the first by hid
    {'n_heads': [2, 1], 'head_hid': ['a', 'd'], 'head_candidates': [['a', 'c'], ['d']]}
    >>> ctx = _context(hh, pd.Series(["U1", "U1", "U1", "U2"], index=list("abcd")), Rules(1, 5), g,
    ...                pd.Series({"U1": "c"}), ())
    >>> plan_heads(ctx)["head_candidates"]  # walked to its meeting point c: c itself first
    [['c', 'a'], ['d']]
    """
    hh = ctx.households
    if "head_candidate" not in hh.columns:
        return None
    head = _as_bool(hh["head_candidate"])
    walk = ctx.walk if ctx.walk is not None else _walk_to_points(ctx)
    out: dict[str, list[Any]] = {"n_heads": [], "head_hid": [], "head_candidates": []}
    for mem in ctx.members():
        hhid, listed = suggested_heads(hh, ctx.hids, mem, walk, head=head)
        out["n_heads"].append(int(head[mem].sum()))
        out["head_hid"].append(hhid)
        out["head_candidates"].append(json.loads(listed))
    return out


def _walk_to_points(ctx: PlanContext) -> np.ndarray:
    """Walking minutes from each household to its unit's point where the check measured no walk: the plan's
    meeting point where it is one of the unit's households, else the unit's centre (:func:`unit_centre`), along the
    unit's own edges (:func:`_toward`); inf without a path, or outside every unit."""
    walk = np.full(len(ctx.hids), np.inf)
    if not ctx.k:
        return walk
    point = np.full(ctx.k, -1, dtype=np.int64)
    if ctx.meeting_points is not None:
        mp = ctx.meeting_points.dropna()
        given = dict(zip(mp.index.astype(str)[::-1], mp.astype(str)[::-1], strict=True))  # the first given
        at_hid = pd.Index(ctx.hids).get_indexer([given.get(str(u), "") for u in ctx.unit_ids])
        ok = (at_hid >= 0) & (ctx.codes[np.maximum(at_hid, 0)] == np.arange(ctx.k))
        point[ok] = at_hid[ok]
    at = _toward(ctx)
    for j, h in _centres(ctx, np.flatnonzero(point < 0), at).items():
        point[j] = h
    has = point >= 0
    if has.any():
        walk = np.asarray(dijkstra(at, directed=True, indices=ctx.pos[point[has]], min_only=True))[ctx.pos]
    return walk


def _walked_to(ctx: PlanContext) -> pd.Series | None:
    """Unit id → the household its walk was measured to (given or its centre); None when no walk was measured."""
    if ctx.walk is None:
        return None
    has = ctx.has_meeting
    return pd.Series({str(u): str(h) for u, h, ok in zip(ctx.unit_ids, ctx.meeting_hid, has, strict=True) if ok},
                     dtype=object, name="meeting_hid").rename_axis("unit_id")


def violation_message(row: pd.Series, lang: Lang = "zh", *, body: bool = False) -> str:
    """The message of one violations row in the given language; ``body``: without its head (severity and
    code), begun as a sentence, for a table whose columns give them.

    >>> row = pd.Series({"code": "SIZE-LOW", "message_zh": "错误 SIZE-LOW：院落 A 只有 3 户。",
    ...                  "message_en": "Error SIZE-LOW: unit A has 3 households."})
    >>> violation_message(row, "en"), violation_message(row, body=True), violation_message(row, "en", body=True)
    ('Error SIZE-LOW: unit A has 3 households.', '院落 A 只有 3 户。', 'Unit A has 3 households.')
    """
    msg = str(row["message_en"] if lang == "en" else row["message_zh"])
    if not body:
        return msg
    rest = re.sub(r"^\S+ " + re.escape(str(row["code"])) + r"(: |：)", "", msg, count=1)
    return rest[:1].upper() + rest[1:]
