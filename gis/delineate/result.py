"""Stage: result — from the units on location nodes back to households, with the tables of the estimator.

Units are numbered ``U001`` … by their first household in hid order. Every exception unit gets a code
and structured reason parameters (:mod:`yuanluo.gis.delineate.reasons`), the ``reason`` column rendered in
Chinese; findings (exceptions, merged seeds, units without a head, settlements split) become coded
problems.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from yuanluo.gis.catalogue import Lang, default_lang, text
from yuanluo.gis.columns import flag_values
from yuanluo.gis.delineate.heads import nearest_candidates, suggested_heads
from yuanluo.gis.delineate.improve import Units
from yuanluo.gis.delineate.problem import DelineationProblem
from yuanluo.gis.delineate.reasons import both, exception_then, render_reason, render_why
from yuanluo.gis.delineate.walk import household_walk_min
from yuanluo.gis.errors import Problem, problem
from yuanluo.gis.graph import TerrainGraph

__all__ = ["HEAD_FINDINGS", "Outcome", "Result", "build_result", "cut_reasons", "no_head_problems", "unit_levels"]


@dataclass
class Outcome:
    """What the stages produced on the nodes: the final ``units``, ``part_ok`` per node, the parts the
    repair and rescue left ``failed`` (and ``proven`` unsplittable), the settlement blocks the rescue split,
    the exact ``bounds`` table, and the units made exceptions for lack of a candidate head."""

    units: Units
    part_ok: np.ndarray
    failed: list[int]
    proven: list[int]
    split_blocks: list[int]
    bounds: pd.DataFrame
    heads: dict[int, tuple[str, dict[str, Any]]] = field(default_factory=dict)  # head exceptions: code, params
    walk_also: dict[int, dict[str, Any]] = field(default_factory=dict)  # other exceptions beyond the walking limit


@dataclass
class Result:
    """The estimator's fitted attributes (see :class:`yuanluo.gis.cluster.UnitDelineator`)."""

    labels: pd.Series
    status: pd.Series
    units: pd.DataFrame
    exceptions: pd.DataFrame
    problems: list[Problem]
    seeds: pd.DataFrame
    joins: pd.DataFrame
    objective: float
    lower_bound: float | None
    gap: float | None


@dataclass
class _View:
    """The final units per household: positions (sorted), meeting household, walking minutes."""

    nodes: dict[int, np.ndarray]
    meet: dict[int, int]
    dm: np.ndarray

    @classmethod
    def expand(cls, units: Units, node_of: np.ndarray, meet_rep: np.ndarray) -> _View:
        lab = units.lab[node_of]
        order = np.argsort(lab, kind="stable")
        cuts = np.flatnonzero(np.diff(lab[order])) + 1
        nodes = {int(lab[g[0]]): np.sort(g) for g in np.split(order, cuts)} if len(lab) else {}
        meet = {int(k): int(meet_rep[x]) for k, x in units.meet.items() if int(k) in nodes}
        return cls(nodes, meet, units.dm[node_of])


def build_result(p: DelineationProblem, households: pd.DataFrame, graph: TerrainGraph, out: Outcome) -> Result:
    """All the fitted tables (``households``: the input, in its own row order)."""
    hix = p.households
    view = _View.expand(out.units, hix.node_of, hix.meet_rep)
    lab = out.units.lab[hix.node_of]
    n = hix.n
    first = pd.Series(np.arange(n)).groupby(lab).min()
    order = first.sort_values(kind="stable").index.to_numpy()
    width = max(3, len(str(len(order))))
    names = {int(k): f"U{i + 1:0{width}d}" for i, k in enumerate(order)}
    comp = p.graph.comp[hix.node_of]
    cuts = cut_reasons(graph, hix.g2l, comp, p.settings.join_limit_min, hix.grp,
                       _blank_nest(hix.frame, p.settings.nest_by), _nest_codes(hix.frame, p.settings.nest_by))
    # walking minutes as check and the households layer measure them: household -> meeting point, uphill and
    # downhill apart (the search's own minutes, view.dm, run from the meeting point out)
    meet_hids = pd.Series([str(hix.ids[view.meet[k]]) for k in sorted(view.meet)], dtype=object)
    walked = household_walk_min(graph, pd.Series(lab.astype(str), index=pd.Index(hix.ids.astype(str))), meet_hids,
                                p.settings.join_limit_min).reindex(pd.Index(hix.ids.astype(str))).to_numpy(dtype=float)
    ctx = _Context(p, view, comp, np.bincount(comp, weights=hix.w), cuts, out, walked,
                   near=_near(p, graph, out, view, lab, names))
    rows: list[dict[str, Any]] = []
    probs: list[Problem] = []
    seed_rows: list[tuple[str, str, bool]] = []
    for k in order.tolist():
        row, found, seeded = ctx.unit(int(k), names[int(k)])
        rows.append(row)
        probs += found
        seed_rows += seeded
    units_df = _units_table(rows)
    head = _heads(hix.frame)
    if p.settings.require_head and head is not None:
        probs += no_head_problems(units_df, p.settings.lo)
    inv = np.empty(n, dtype=np.int64)
    inv[hix.srt] = np.arange(n)
    uid = np.array([names[int(k)] for k in lab], dtype=object)
    status = np.where(out.part_ok[hix.node_of], "ok", "exception")
    labels = pd.Series(uid[inv], index=households.index, name="unit_id", dtype=object)
    objective = float(view.dm.sum())
    lower, gap = _lower_bound(out.bounds, p.graph.comp, objective)
    splits = settlement_split_problems(p, out.split_blocks, labels)
    return Result(
        labels=labels,
        status=pd.Series(status[inv], index=households.index, name="unit_status", dtype=object),
        units=units_df,
        exceptions=units_df.loc[units_df["status"] == "exception", ["unit_id", "n_households", "size", "code",
                                                                    "reason", "reason_params"]
                                ].reset_index(drop=True),
        problems=p.notes + probs + splits + colocated_settlement_splits(p, households, graph, labels, splits),
        seeds=_seeds_table(seed_rows), joins=_joins_table(p), objective=objective, lower_bound=lower, gap=gap,
    )


def _near(p: DelineationProblem, graph: TerrainGraph, out: Outcome, view: _View, lab: np.ndarray,
          names: dict[int, str]) -> dict[int, dict[str, Any]]:
    """Each unit made an exception for lack of a candidate head (``out.heads``) → the nearest candidate outside
    it, walking to its meeting point (:func:`~yuanluo.gis.delineate.heads.nearest_candidates`), as ``check`` names
    it: measured on the final units, a report only (nothing here goes back to the search)."""
    hix, s = p.households, p.settings
    head = _heads(hix.frame)
    if not out.heads or head is None:
        return {}
    gpos = np.full(hix.n, -1, dtype=np.int64)
    have = hix.g2l >= 0
    gpos[hix.g2l[have]] = np.flatnonzero(have)
    unit_of = np.array([names[int(k)] for k in lab], dtype=object)
    ask = {names[k]: (view.meet[k], "meeting") for k in out.heads if k in view.meet}
    near = nearest_candidates(graph, gpos, hix.ids, unit_of, head, hix.w, ask, heads_for_size=s.heads_for_size,
                              join_limit=s.join_limit_min, key=hix.grp)
    by_name = {v: k for k, v in names.items()}
    return {by_name[u]: q for u, q in near.items()}


#: the exception codes whose own finding says why its unit lacks a candidate head, and what can give it one
HEAD_FINDINGS = ("HEAD-SHORT", "HEAD-UNPLACED")


def no_head_problems(units: pd.DataFrame, lo: float) -> list[Problem]:
    """``UNIT-NO-HEAD``: the units of a delineation's ``units`` table without a candidate head (``has_head``) that
    no finding of their own explains, so that each unit without one is listed once, under the finding that says
    why and what can work.

    Left out: the units of a head finding (``HEAD-SHORT``: its area has too few candidates, or no split of it can
    give each unit one, so moving boundaries cannot help; ``HEAD-UNPLACED``: its own fix says how to place one) and
    the pieces cut off below the floor ``lo`` (``RULE-INFEASIBLE``: too small to be a unit at all; its finding
    says what to do). The rest are listed by what can give them a head: a unit whose boundaries can move
    (``redraw``: find a head, or adjust the boundaries by hand), and one that is its whole isolated area or a
    single household above the ceiling (``whole``: find a head in it; no boundary can bring one), in that order.

    >>> u = pd.DataFrame({"unit_id": ["U1", "U2", "U3", "U4", "U5", "U6"], "has_head": [True] + [False] * 5,
    ...                   "size": [20, 20, 20, 3, 20, 30],
    ...                   "code": ["", "HEAD-SHORT", "HEAD-UNPLACED", "RULE-INFEASIBLE", "RULE-NOSPLIT",
    ...                            "RULE-INFEASIBLE"],
    ...                   "reason_params": ["", "{}", "{}", '{"why": "isolated"}', '{"why": "nosplit"}',
    ...                                     '{"why": "isolated"}']})
    >>> [(q.ids, q.params["how"]["en"][:30]) for q in no_head_problems(u, 15)]
    [(('U5',), 'find a head in these units, or'), (('U6',), 'find a head in these units: ea')]
    >>> no_head_problems(u[u["unit_id"].isin(["U1", "U2", "U4"])], 15)
    []
    """
    if not len(units):
        return []
    nohead = units.loc[~units["has_head"].astype(bool)]
    code = nohead["code"].fillna("").astype(str)
    piece = (code == "RULE-INFEASIBLE") & (pd.to_numeric(nohead["size"]) < lo)
    rest = nohead.loc[~code.isin(HEAD_FINDINGS) & ~piece]
    whole = np.array([str(json.loads(q).get("why", "")) in ("isolated", "heavy") if isinstance(q, str) and q else False
                      for q in rest["reason_params"]], dtype=bool)
    out = []
    for how, at in (("redraw", ~whole), ("whole", whole)):
        if at.any():
            out.append(problem("UNIT-NO-HEAD", severity="warning", ids=rest.loc[at, "unit_id"].tolist(),
                               how=both(f"delineate.no_head.{how}")))
    return out


def _heads(hh: pd.DataFrame) -> np.ndarray | None:
    if "head_candidate" not in hh.columns:
        return None
    return flag_values(hh["head_candidate"], "head_candidate")


@dataclass
class _Context:
    """What the per-unit rows need."""

    p: DelineationProblem
    view: _View
    comp: np.ndarray  # component per household
    ctot: np.ndarray  # size per component
    cuts: dict[int, list[dict[str, Any]]]
    out: Outcome
    walked: np.ndarray  # walking minutes per household to its meeting point (NaN: no path inside the unit)
    near: dict[int, dict[str, Any]] = field(default_factory=dict)  # head exceptions: the nearest candidate outside
    persons: np.ndarray | None = None  # persons per household, when given
    head: np.ndarray | None = None  # candidate head per household, when given

    def __post_init__(self) -> None:
        hh = self.p.households.frame
        if "persons" in hh.columns:
            self.persons = pd.to_numeric(hh["persons"], errors="coerce").to_numpy(dtype=float)
        self.head = _heads(hh)

    def unit(self, k: int, name: str) -> tuple[dict[str, Any], list[Problem], list[tuple[str, str, bool]]]:
        """The ``units_`` row of unit ``k``, its problems and its seed rows."""
        hix, s = self.p.households, self.p.settings
        nodes = self.view.nodes[k]
        st = "ok" if self.out.part_ok[hix.node_of[nodes]].all() else "exception"
        seeded = nodes[hix.seed[nodes]]
        meet = self.view.meet[k]
        seed_rows = [(str(hix.ids[x]), name, bool(x == meet)) for x in seeded.tolist()]
        probs: list[Problem] = []
        if len(seeded) > 1:
            probs.append(self._seed_merged(nodes, seeded, st, name, meet))
        sz = float(hix.w[nodes].sum())
        code, params = "", ""
        if st == "exception":
            code, why = self._why(k, nodes, sz)
            why = why | self.out.walk_also.get(k, {})  # beyond the walking limit too: said after its reason
            params = json.dumps(why, ensure_ascii=False, sort_keys=True)
            then = exception_then(code, why)
            probs.append(problem(code, severity="warning", ids=hix.ids[nodes], unit=name, size=int(sz),
                                 what=both(f"delineate.what.{s.what}"), lo=s.lo, hi=s.hi,
                                 why={lang: render_why(why, lang) for lang in ("zh", "en")}, then=then))
        hh, persons, head = hix.frame, self.persons, self.head
        d = self.walked[nodes]
        d = d[np.isfinite(d)]
        hhid, hlist = suggested_heads(hh, hix.ids, nodes, np.where(np.isfinite(self.walked), self.walked, np.inf),
                                      head=head)
        row: dict[str, Any] = {
            "unit_id": name, "n_households": len(nodes),
            "persons": int(np.nansum(persons[nodes])) if persons is not None else pd.NA,
            "size": sz, "status": st, "reason": render_reason(code, params, default_lang()), "code": code,
        }
        row.update(unit_levels(hh, int(nodes[0])))
        row.update({
            "meeting_hid": str(hix.ids[meet]), "mean_walk_min": float(d.mean()) if len(d) else float("nan"),
            "max_walk_min": float(d.max()) if len(d) else float("nan"),
            "has_head": bool(head[nodes].any()) if head is not None else False,
            "n_heads": int(head[nodes].sum()) if head is not None else 0,
            "head_hid": hhid, "head_candidates": hlist,
            "seed": str(hix.ids[meet]) if len(seeded) else "", "reason_params": params,
        })
        return row, probs, seed_rows

    def _why(self, k: int, nodes: np.ndarray, sz: float) -> tuple[str, dict[str, Any]]:
        """Code and reason parameters of an exception unit."""
        s, hix = self.p.settings, self.p.households
        c = int(self.comp[nodes[0]])
        total = int(self.ctot[c])
        base: dict[str, Any] = {"size": int(sz), "what": s.what, "lo": s.lo, "hi": s.hi, "total": total}
        if hix.heavy[nodes].any():
            return "RULE-INFEASIBLE", base | {"why": "heavy"}
        if k in self.out.heads:
            code, params = self.out.heads[k]
            return code, base | params | self.near.get(k, {})
        if k in self.out.proven:
            return "RULE-INFEASIBLE", base | {"why": "proven"}
        if k in self.out.failed:
            return "RULE-NOSPLIT", base | {"why": "nosplit"}
        why = "isolated" if self.ctot[c] == sz else "unsplittable"
        return "RULE-INFEASIBLE", base | {"why": why, "cuts": self.cuts.get(c, [])}

    def _seed_merged(self, nodes: np.ndarray, seeded: np.ndarray, st: str, name: str, meet: int) -> Problem:
        """``SEED-MERGED``: a unit holds two or more seed points, and why."""
        s, hix = self.p.settings, self.p.households
        c = int(self.comp[nodes[0]])
        room = int(self.ctot[c] // s.lo)
        cseeds = int(hix.seed[self.comp == c].sum())
        if len(np.unique(hix.node_of[seeded])) == 1:
            why = both("delineate.seed_why.colocated")
        elif st == "exception":
            why = both("delineate.seed_why.exception")
        elif cseeds > room:
            why = {lang: _text_room(lang, int(self.ctot[c]), s.what, cseeds, room, s.lo) for lang in ("zh", "en")}
        else:
            why = both("delineate.seed_why.nosplit")
        return problem("SEED-MERGED", severity="warning", ids=hix.ids[seeded], unit=name,
                       meeting=str(hix.ids[meet]), why=why)


def _text_room(lang: Lang, total: int, what: str, seeds: int, room: int, lo: int) -> str:
    return text("delineate.seed_why.room", lang, total=total, what=text(f"delineate.what.{what}", lang),
                seeds=seeds, room=room, lo=lo)


def unit_levels(households: pd.DataFrame, at: int) -> dict[str, str | None]:
    """The administrative levels of a unit as its household at position ``at`` of ``households`` names them, for
    its row of a units table, coarsest first: ``town`` (from the table's town column, 乡镇 / 街道 …:
    :func:`yuanluo.gis.columns.town_columns`; only where the table has one, so that a table of one town gets no
    empty column), ``village`` and ``group`` (None where the table lacks the column or the cell is blank). Two
    units of 新华村 of two towns are told apart by their town.

    >>> hh = pd.DataFrame({"乡镇": ["甲镇", "乙镇"], "village": ["新华村", "新华村"], "group": ["一组", None]})
    >>> unit_levels(hh, 1)
    {'town': '乙镇', 'village': '新华村', 'group': None}
    >>> unit_levels(hh.drop(columns="乡镇"), 0)
    {'village': '新华村', 'group': '一组'}
    """
    from yuanluo.gis.columns import town_columns

    named = {"town": town_columns(households.columns)[:1], "village": ["village"], "group": ["group"]}
    out: dict[str, str | None] = {}
    for level, cols in named.items():
        col = next((c for c in cols if c in households.columns), None)
        if col is None and level == "town":
            continue
        value = households[col].iloc[at] if col is not None else None
        out[level] = str(value) if value is not None and pd.notna(value) else None
    return out


def _units_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    units_df = pd.DataFrame(rows)
    if len(units_df):
        units_df["persons"] = units_df["persons"].astype("Int64")
    return units_df


def _seeds_table(seed_rows: list[tuple[str, str, bool]]) -> pd.DataFrame:
    sr = sorted(seed_rows)
    return pd.DataFrame({"hid": pd.Series([r[0] for r in sr], dtype=object),
                         "unit_id": pd.Series([r[1] for r in sr], dtype=object),
                         "honoured": pd.Series([r[2] for r in sr], dtype=bool)})


def _joins_table(p: DelineationProblem) -> pd.DataFrame:
    joins, ids = p.joins, p.households.ids
    return pd.DataFrame({
        "hid_a": ids[joins[:, 0].astype(np.int64)] if len(joins) else np.array([], dtype=object),
        "hid_b": ids[joins[:, 1].astype(np.int64)] if len(joins) else np.array([], dtype=object),
        "walk_min": joins[:, 2] if len(joins) else np.array([], dtype=float),
    })


def _lower_bound(bounds: pd.DataFrame, comp: np.ndarray, objective: float) -> tuple[float | None, float | None]:
    """The proven lower bound and gap, when every component got one."""
    if len(bounds) and bounds["lower_bound"].notna().all():
        if np.isin(comp, bounds["component"].to_numpy()).all():
            lb = float(bounds["lower_bound"].sum())
            return lb, (max(0.0, (objective - lb) / objective) if objective > 0 else 0.0)
    return None, None


def settlement_split_problems(p: DelineationProblem, split_blocks: list[int], labels: pd.Series) -> list[Problem]:
    """``SETTLEMENT-SPLIT`` warnings: settlements that fit in one unit but were split by the rescue to keep
    every unit within the band. One warning per settlement still split in the final units, in hid order."""
    if not len(split_blocks):
        return []
    hix, s = p.households, p.settings
    hblock = p.graph.block[hix.node_of]
    hsettle = p.settle[hix.node_of]
    uid = labels.to_numpy(dtype=object)[hix.srt]
    out: list[Problem] = []
    for b in sorted(split_blocks, key=lambda b: int(np.flatnonzero(hblock == b)[0])):
        mem = np.flatnonzero(hblock == b)
        units = sorted({str(x) for x in uid[mem]})
        if len(units) < 2:
            continue
        name = hsettle[mem[0]]
        out.append(problem("SETTLEMENT-SPLIT", severity="warning", ids=hix.ids[mem],
                           settlement=str(name) if name is not None else str(hix.ids[mem[0]]),
                           units=units, what=both(f"delineate.what.{s.what}"), lo=s.lo, hi=s.hi))
    return out


def colocated_settlement_splits(p: DelineationProblem, households: pd.DataFrame, graph: TerrainGraph,
                                labels: pd.Series, reported: list[Problem]) -> list[Problem]:
    """``SETTLEMENT-SPLIT`` warnings for the settlements split where households of several settlements share a
    location (one building): the delineator places a location whole, or parts it when it holds more than a unit
    (``COLOC-SPLIT``; between settlements only where every part can be a unit), under the settlement of its
    first household, so it cannot keep such a settlement whole. A settlement is taken piece by piece as
    ``yuanluo check`` takes it
    (:func:`yuanluo.gis.check.settlement_pieces`); one warning per piece that fits in one unit, spans several and
    has a household at such a location, in hid order, unless the rescue already reported it (``reported``)."""
    from yuanluo.gis.check import settlement_pieces
    from yuanluo.gis.rules import Rules

    s, hix = p.settings, p.households
    if not s.keep_settlements or s.settlement_col not in households.columns:
        return []
    n = hix.n
    node = np.empty(n, dtype=np.int64)
    node[hix.srt] = hix.node_of  # per input row
    name = pd.factorize(households[s.settlement_col].astype("string").str.strip())[0]
    named = name >= 0
    pairs = np.unique(np.c_[node[named], name[named]], axis=0)
    mixed = np.zeros(int(node.max()) + 1 if n else 0, dtype=bool)
    mixed[pairs[np.r_[False, pairs[1:, 0] == pairs[:-1, 0]], 0]] = True  # a node holding two names or more
    if not mixed.any():
        return []
    pos = np.full(n, -1, dtype=np.int64)
    at = np.flatnonzero(hix.g2l >= 0)
    pos[hix.srt[hix.g2l[at]]] = at
    frame = households.rename(columns={s.settlement_col: "settlement"})
    piece, piece_names = settlement_pieces(frame, Rules(s.lo, s.hi, nest_by=s.nest_by), graph, pos)
    w = np.empty(n)
    w[hix.srt] = hix.w
    uid = labels.to_numpy(dtype=object)
    ids = households.index.astype(str).to_numpy()
    known = np.isin(ids, [h for q in reported for h in q.ids])
    inp = piece >= 0  # the pieces' measures in one pass, then a loop over the few that are split
    m = len(piece_names)
    unit_code = pd.factorize(pd.Series(uid, dtype=object).astype(str))[0]
    n_units = np.bincount(np.unique(np.c_[piece[inp], unit_code[inp]], axis=0)[:, 0], minlength=m)
    size = np.bincount(piece[inp], weights=w[inp], minlength=m)
    at_mixed = np.bincount(piece[inp], weights=mixed[node[inp]], minlength=m) > 0
    new = np.bincount(piece[inp], weights=~known[inp], minlength=m) > 0
    out: list[Problem] = []
    for k in np.flatnonzero((n_units > 1) & (size <= s.hi) & at_mixed & new).tolist():
        mem = np.flatnonzero(piece == k)
        out.append(problem("SETTLEMENT-SPLIT", severity="warning", ids=sorted(ids[mem]), settlement=str(piece_names[k]),
                           units=sorted({str(u) for u in uid[mem]}), what=both(f"delineate.what.{s.what}"),
                           lo=s.lo, hi=s.hi))
    return sorted(out, key=lambda q: q.ids[0])


def _blank_nest(frame: pd.DataFrame, nest_by: tuple[str, ...]) -> np.ndarray:
    """Per household: whether any of its nest columns (village, group) is blank."""
    from yuanluo.gis.keys import is_blank, nest_columns

    out = np.zeros(len(frame), dtype=bool)
    for c in nest_columns(frame, nest_by):
        out |= is_blank(frame[c])
    return out


def _nest_codes(frame: pd.DataFrame, nest_by: tuple[str, ...]) -> list[tuple[str, np.ndarray]]:
    """Per nest column present, in ``nest_by`` order: its name and a code per household, the nest key up to it
    (:func:`yuanluo.gis.keys.nest_key`: 新华村 of two towns are two villages)."""
    from yuanluo.gis.keys import nest_columns, nest_key

    cols = nest_columns(frame, nest_by)
    return [(c, nest_key(frame, cols[: i + 1])) for i, c in enumerate(cols)]


def cut_reasons(graph: TerrainGraph, g2l: np.ndarray, comp: np.ndarray, join_limit_min: float,
                grp: np.ndarray | None = None, blank: np.ndarray | None = None,
                nest: list[tuple[str, np.ndarray]] | None = None) -> dict[int, list[dict[str, Any]]]:
    """Why each component is cut off: per component, the reasons of the pruned edges leaving it, in name
    order (``{"by": "length", "walk": nearest, "limit": join_limit_min}`` or ``{"by": reason}``), then, when
    a walkable edge leaves it for households of another village or group (``grp``: the nest key per household),
    ``{"by": "nest", "col": column}`` — the nest column (``nest``: name and codes per household, in ``nest_by``
    order) that cuts it off (:func:`_name_nest_col`) — or ``{"by": "nest_blank"}``
    when its own village or group is blank (``blank``).

    A length cut is a reason only beyond the join limit (an island is joined over a shorter one within its nest
    group); one within the limit to another village or group counts as a walkable edge there (``nest``)."""
    out: dict[int, list[dict[str, Any]]] = {}
    cut = graph.cut
    if cut is None or not len(cut):
        cut = pd.DataFrame({"u": [], "v": [], "reason": [], "walk_min": []})
    cu = g2l[cut["u"].to_numpy(dtype=np.int64)]
    cv = g2l[cut["v"].to_numpy(dtype=np.int64)]
    k = (cu >= 0) & (cv >= 0)
    cu, cv = cu[k], cv[k]
    reason = cut["reason"].astype(str).to_numpy()[k]
    walk = cut["walk_min"].to_numpy(dtype=float)[k]
    joinable = (reason == "length") & (walk <= float(join_limit_min))
    if grp is not None:
        eu = np.r_[g2l[graph.u], cu[joinable]]
        ev = np.r_[g2l[graph.v], cv[joinable]]
        k = (eu >= 0) & (ev >= 0)
        eu, ev = eu[k], ev[k]
        m = (comp[eu] != comp[ev]) & (grp[eu] != grp[ev])
        eu, ev = eu[m], ev[m]
        ends = np.concatenate([eu, ev])
        blank_comp = np.zeros(int(comp.max()) + 1 if len(comp) else 0, dtype=bool)
        if blank is not None:
            np.logical_or.at(blank_comp, comp[ends], blank[ends])
        for c in np.unique(comp[ends]).tolist():
            out[int(c)] = [{"by": "nest_blank"}] if blank_comp[c] else [{"by": "nest"}]
        _name_nest_col(out, comp, eu, ev, nest or [], blank_comp)
    k = ~joinable
    df = pd.DataFrame({"cu": comp[cu[k]], "cv": comp[cv[k]], "reason": reason[k], "walk": walk[k]})
    df = df[df["cu"] != df["cv"]]
    both_ends = pd.concat([df.rename(columns={"cu": "c"})[["c", "reason", "walk"]],
                           df.rename(columns={"cv": "c"})[["c", "reason", "walk"]]])
    for c, g in both_ends.groupby("c", sort=True):
        parts: list[dict[str, Any]] = []
        for r, gg in g.groupby("reason", sort=True):
            if r == "length":
                parts.append({"by": "length", "walk": round(float(gg["walk"].min()), 1),
                              "limit": float(join_limit_min)})
            else:
                parts.append({"by": str(r)})
        out[int(c)] = parts + out.get(int(c), [])
    return out


def _name_nest_col(out: dict[int, list[dict[str, Any]]], comp: np.ndarray, eu: np.ndarray, ev: np.ndarray,
                    nest: list[tuple[str, np.ndarray]], blank_comp: np.ndarray) -> None:
    """Add to each ``{"by": "nest"}`` cut of ``out`` the nest column that cuts its component off (``col``): per
    edge ``eu``–``ev`` between two nest groups, the first column of ``nest`` its ends differ in; per component,
    the last of these in ``nest`` order (its nearest kin: without that column it would have a neighbour)."""
    first = np.full(len(eu), -1, dtype=np.int64)
    for i in range(len(nest) - 1, -1, -1):
        codes = nest[i][1]
        first = np.where(codes[eu] != codes[ev], i, first)
    deepest = np.full(len(blank_comp), -1, dtype=np.int64)
    np.maximum.at(deepest, np.r_[comp[eu], comp[ev]], np.r_[first, first])
    for c in np.flatnonzero((deepest >= 0) & ~blank_comp).tolist():
        out[int(c)][0]["col"] = nest[int(deepest[c])][0]
