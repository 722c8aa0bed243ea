"""Why a unit is an exception: a catalogue code plus structured parameters, rendered in zh or en.

The delineator records, per exception unit, its ``code`` (``RULE-INFEASIBLE``, ``RULE-NOSPLIT``) and its
parameters (``units_.reason_params``, JSON text):

``size``, ``what`` (``households``/``persons``), ``lo``, ``hi``, ``total`` (size of its connected area),
``why`` — one of ``heavy`` (one household above the ceiling), ``proven`` (exact search proved that no
contiguous split exists), ``nosplit`` (none found within the budget), ``isolated`` (the unit is its whole
connected area), ``unsplittable`` (its area's size does not fit the band) — and, for the last two,
``cuts``: what cuts the area off, a list of ``{"by": "river"}``, ``{"by": "water"}`` or
``{"by": "length", "walk": minutes, "limit": join limit}`` (empty: no walkable link at all), ``{"by": "nest",
"col": column}`` (the ``nest_by`` column that keeps it from its nearest kin: of its walkable neighbours, each
differs first in some column of ``nest_by``; the last such column — dropping it from ``nest_by`` would give it a
neighbour; no ``col`` in a file written before it was recorded) or ``{"by": "nest_blank"}``. A ``HEAD-SHORT``
unit of a delineation around locked units whose area is short only because of the lock (by count, or by its
shape), and a size exception whose area only the lock makes too small or unsplittable, also has ``lock``
(:func:`_lock`), said last.

:func:`render_reason` turns them into a sentence of the catalogue in the chosen language.

Examples
--------
>>> params = {"size": 9, "what": "households", "lo": 20, "hi": 50, "total": 9, "why": "isolated",
...           "cuts": [{"by": "length", "walk": 63.8, "limit": 20.0}, {"by": "river"}]}
>>> print(render_reason("RULE-INFEASIBLE", params, "en"))  # doctest: +NORMALIZE_WHITESPACE
size cannot be met (RULE-INFEASIBLE): 9 households, isolated area of 9 households; the nearest other household
is a 63.8-minute walk away, beyond the join limit of 20 minutes; cut off by a river
>>> print(render_reason("RULE-INFEASIBLE", params, "zh"))
规模无法达标（RULE-INFEASIBLE）：9 户，孤立片区共 9 户；最近的过长连接步行 63.8 分钟（连接上限 20 分钟）；被河流隔开
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from typing import Any

import pandas as pd

from yuanluo.gis.catalogue import (
    LANGS,
    Lang,
    both,
    default_lang,
    fields_of,
    has,
    planner_words,
    template,
    text,
)
from yuanluo.gis.errors import MAX_EXAMPLES, more_after

__all__ = ["render_reason", "render_why", "unit_reasons", "reasons_in", "complete", "both", "fix_then", "exception_then",
           "fixes_in", "planner_fixes", "reason_pieces", "near_clause", "HEAD_WHYS", "LOCK_SIZE_WHYS"]

_KNOWN_CUTS = ("length", "river", "water", "nest", "nest_blank")


def _col(col: str, lang: Lang) -> str:
    """A nesting column named as a reason names it.

    >>> _col("settlement", "zh"), _col("hamlet", "en")
    ('自然院落', '“hamlet”')
    """
    return (text(f"delineate.nest_col.{col}", lang) if has(f"delineate.nest_col.{col}")
            else text("delineate.nest_col.other", lang, col=col))


def _nest_col(params: Mapping[str, Any]) -> str:
    """The nesting column the ``nest`` cut of ``params`` records, ``""`` when none does."""
    for cut in params.get("cuts") or []:
        if isinstance(cut, Mapping) and cut.get("by") == "nest" and cut.get("col"):
            return str(cut["col"])
    return ""


def fix_then(params: Mapping[str, Any]) -> dict[str, str]:
    """What the fix of an exception (``{then}`` of ``RULE-INFEASIBLE``) asks to look at first, in both languages:
    a settlement cut off by the settlement nesting is too small for the band (drop ``settlement`` from
    ``nest_by``); a unit cut off by its village or group, whether that is entered right; else the terrain and
    the village and group.

    >>> fix_then({"cuts": [{"by": "nest", "col": "settlement"}]})["en"].startswith("this settlement is smaller")
    True
    >>> fix_then({"cuts": [{"by": "nest", "col": "group"}]})["zh"]
    '核实是否另有桥梁或道路可通行，或这些户的村民小组是否填错；'

    A WALK-LIMIT unit's fix (the whole of it), by its proof: proven, nothing drawn can mend it; else what may.

    >>> fix_then({"why": "walk_limit", "proof": "remote"})["en"].startswith("neither redrawing the units nor")
    True
    >>> fix_then({"why": "walk_limit", "proof": "unproven", "limit": 15.0})["en"].split(":")[0]
    'a division keeping every household within 15 min may exist'
    """
    if params.get("why") == "walk_limit":  # WALK-LIMIT: what can mend it, by whether it is proven unavoidable
        if params.get("proof") == "remote":
            return both("delineate.fix.walk_remote")
        return both("delineate.fix.walk_unproven", limit=float(params.get("limit", 0.0)))
    col = _nest_col(params)
    if col == "settlement":
        return both("delineate.fix.settlement")
    if col:
        return {lang: text("delineate.fix.nest", lang, col=_col(col, lang)) for lang in LANGS}
    return both("delineate.fix.check")


def exception_then(code: str, params: Mapping[str, Any]) -> dict[str, str]:
    """``{then}`` of the fix of an exception unit of ``code`` with reason ``params``, in both languages: nothing for
    ``HEAD-SHORT`` (a lock that is its cause says it: gis.lock), else :func:`fix_then`."""
    # what HEAD-SHORT's fix asks first: nothing here (a lock that is its cause says it: gis.lock)
    return both("delineate.then.none") if code == "HEAD-SHORT" else fix_then(params)


def fixes_in(units: pd.DataFrame, lang: Lang | None = None) -> pd.Series:
    """What to do about each exception unit of a units table read back from a file, in ``lang`` (by default
    ``YUANLUO_LANG``'s): the fix the delineation's problem for it gives (the console's ``处理办法`` / ``Fix``),
    from ``code`` and ``reason_params``; ``""`` where there is no code, its parameters do not read, or its entry
    has no fix.

    >>> t = pd.DataFrame({"code": ["WALK-LIMIT", "", "HEAD-SHORT", "X"],
    ...                   "reason_params": ['{"why": "walk_limit", "proof": "remote"}', "", "{}", "{}"]})
    >>> f = fixes_in(t, "en").tolist()
    >>> f[0].startswith("neither redrawing the units nor"), f[1], f[2][:25], f[3]
    (True, '', 'find more head candidates', '')
    """
    from yuanluo.gis.errors import problem

    lang = lang or default_lang()
    if "code" not in units or "reason_params" not in units:
        return pd.Series("", index=units.index, dtype=object, name="fix")
    out = []
    for code, params in zip(units["code"], units["reason_params"], strict=True):
        fix = ""
        if isinstance(code, str) and code and has(code) and isinstance(params, str) and params:
            with contextlib.suppress(ValueError, KeyError, TypeError, AttributeError, IndexError):
                parsed = json.loads(params)
                if isinstance(parsed, Mapping):
                    fix = problem(code, severity="warning", then=exception_then(code, parsed)).fix(lang)
        out.append(fix)
    return pd.Series(out, index=units.index, dtype=object, name="fix")


def planner_fixes(units: pd.DataFrame, lang: Lang | None = None) -> pd.Series:
    """:func:`fixes_in` as the command line says them (:func:`yuanluo.gis.catalogue.planner_words`): the fixes a
    page's unit card shows (the map's, the editor's), whose reader acts through the command line, a rule file or
    the page, never through a keyword argument or a function of the Python API, whoever built the page.

    >>> t = pd.DataFrame({"code": ["WALK-LIMIT", "HEAD-UNPLACED"],
    ...                   "reason_params": ['{"why": "walk_limit", "proof": "remote"}', "{}"]})
    >>> py = fixes_in(t, "en").tolist()  # from Python: the API's words
    >>> "check_plan" in py[0], "UnitDelineator" in py[1]
    (True, True)
    >>> f = planner_fixes(t, "en").tolist()
    >>> "yuanluo check" in f[0], "(--roads)" in f[0], "--thorough-heads" in f[1], "check_plan" in f[0]
    (True, True, True, False)
    """
    with planner_words():
        return fixes_in(units, lang)


def _cut(cut: Mapping[str, Any], lang: Lang) -> str:
    by = str(cut.get("by", ""))
    if by == "length":
        return text("delineate.cut.length", lang, walk=float(cut["walk"]), limit=float(cut["limit"]))
    if by == "nest" and cut.get("col"):
        return text("delineate.cut.nest_col", lang, col=_col(str(cut["col"]), lang))
    if by in _KNOWN_CUTS:
        return text(f"delineate.cut.{by}", lang)
    return text("delineate.cut.other", lang, barrier=by)


def _walk_proof(params: Mapping[str, Any]) -> str:
    """The key of what a WALK-LIMIT reason says of its proof (``proof``: ``remote``, proven that no unit of the band
    keeps these households within the limit, as ``check``'s WALK-EXCEPTION proves it, ``by_group`` where it walked
    within one nest group; ``unproven``); ``""`` for another reason or a file written before it was recorded.

    >>> _walk_proof({"why": "walk_limit", "proof": "remote"}), _walk_proof({"why": "walk_limit"})
    ('delineate.why.walk_remote', '')
    >>> _walk_proof({"why": "walk_limit", "proof": "remote", "by_group": True})
    'delineate.why.walk_remote_group'
    """
    if params.get("why") != "walk_limit" or params.get("proof") not in ("remote", "unproven"):
        return ""
    group = "_group" if params["proof"] == "remote" and params.get("by_group") is True else ""
    return f"delineate.why.walk_{params['proof']}{group}"


def _also_proof(params: Mapping[str, Any]) -> str:
    """The key of what an exception for another reason says of the proof of its households beyond the walking
    limit (``walk_proof``, as :func:`_walk_proof` reads ``proof``); ``""`` where none is recorded.

    >>> _also_proof({"why": "heavy", "walk_beyond": 2, "walk_proof": "unproven"}), _also_proof({"walk_beyond": 2})
    ('delineate.why.also_walk_unproven', '')
    """
    if (params.get("why") == "walk_limit" or "walk_beyond" not in params
            or params.get("walk_proof") not in ("remote", "unproven")):
        return ""
    group = "_group" if params["walk_proof"] == "remote" and params.get("walk_by_group") is True else ""
    return f"delineate.why.also_walk_{params['walk_proof']}{group}"


def _who(hids: Any, lang: Lang) -> str:
    """The households beyond the walking limit named after the walking clause, as ``check`` names them in
    PLAN-WALK-LIMIT and WALK-EXCEPTION: the first few ids, then how many in all (``：编号 H3、H5 等，共 12 个``);
    ``""`` without a list.

    >>> _who(["H3", "H5"], "zh"), _who([f"H{i}" for i in range(7)], "en"), _who(None, "en")
    ('：编号 H3、H5', ': ids H0, H1, H2, H3, H4 and more, 7 in all', '')
    """
    if not isinstance(hids, list) or not hids:
        return ""
    said = text("problem.id" if len(hids) == 1 else "problem.ids", lang,
                ids=text("list.sep", lang).join(str(h) for h in hids[:MAX_EXAMPLES]))
    said += more_after(said, len(hids) if len(hids) > MAX_EXAMPLES else 0, lang)
    return text("delineate.why.walk_who", lang, examples=said)


#: The ``why`` of a unit without its candidate heads (``HEAD-SHORT``, ``HEAD-UNPLACED``), whose reason names the
#: nearest candidate outside it (:func:`near_clause`).
HEAD_WHYS = ("head_short", "head_proven", "head_unplaced")


def near_clause(params: Mapping[str, Any], lang: Lang = "zh") -> str:
    """The nearest candidate head outside a unit without its head, as its reason says it (the ``near_*``
    parameters of :func:`yuanluo.gis.delineate.heads.nearest_candidates`), in the delineation's reasons and in
    ``check``'s HEAD-EXCEPTION and PLAN-NO-HEAD alike; ``""`` without them (none within the walk, or a file
    written before they were recorded).

    >>> p = {"near_hid": "H0123", "near_unit": "U7", "near_min": "4.5", "near_heads": 2, "near_spare": 1,
    ...      "near_meet": "H0456", "near_to": "meeting"}
    >>> near_clause(p, "zh")
    '本院落外最近的院落长候选人是院落 U7 的 H0123，步行 4.5 分钟到本院落议事点 H0456，U7 有院落长候选人 2 名，可抽调 1 名'
    >>> near_clause(p | {"near_heads": 1, "near_spare": 0, "near_to": "centre"}, "en")
    "the nearest head candidate outside the unit is H0123 of unit U7, 4.5 min walk to this unit's centre, household H0456, and U7 has 1 head candidate, none to spare"
    >>> near_clause(p | {"near_min": "0.0"}, "zh")
    '本院落外最近的院落长候选人是院落 U7 的 H0123，就在本院落议事点 H0456，U7 有院落长候选人 2 名，可抽调 1 名'
    >>> near_clause(p | {"near_min": "0.0", "near_to": "centre"}, "en")
    "the nearest head candidate outside the unit is H0123 of unit U7, at this unit's centre, household H0456, and U7 has 2 head candidates, 1 to spare"
    >>> near_clause({"why": "head_short"}, "en")
    ''
    """
    if "near_hid" not in params:
        return ""
    to = text("delineate.near.to.centre" if params.get("near_to") == "centre" else "delineate.near.to.meeting", lang,
              meeting=params.get("near_meet", ""))
    spare = int(params.get("near_spare", 0) or 0)
    said = (text("delineate.near.spare", lang, near_spare=spare) if spare > 0
            else text("delineate.near.spare_none", lang))
    return text("delineate.near.at" if _at_point(params.get("near_min")) else "delineate.near", lang, to=to, spare=said,
                **{k: v for k, v in params.items() if k.startswith("near_")})


def _at_point(minutes: Any) -> bool:
    """Whether a nearest candidate's walk, as its clause shows it (``near_min``: one decimal, as text), shows as no
    walk at all: ``0.0`` (one building with the point walked to, or a few steps from it), said as being at it
    (``delineate.near.at``) rather than as a walk of 0.0 minutes; the editor's page the same (``nearClause``).

    >>> _at_point("0.0"), _at_point("0.1"), _at_point(0), _at_point(None), _at_point("")
    (True, False, True, False, False)
    """
    try:
        return float(str(minutes)) == 0.0
    except ValueError:
        return False


def reason_pieces(reason: str, params: Mapping[str, Any] | str, lang: Lang) -> list[str] | None:
    """``reason`` (as :func:`reasons_in` renders it in ``lang`` from ``params``, the unit's ``reason_params``, a
    mapping or its JSON text) cut around the households it names by id, text and id by turns, ``[text, id, text,
    …, id, text]``, for a page that makes each id a link: those its walking clause names (:func:`_who`: ``hids`` of
    a WALK-LIMIT unit, ``walk_hids`` of an exception beyond the limit too) and the nearest candidate head outside a
    unit without its head (``near_hid`` of :func:`near_clause`); None where it names none, its parameters do not
    read, or the clause is not found in ``reason`` (a reason in another language, or the file's own text).

    >>> p = {"why": "walk_limit", "beyond": 2, "meeting": "H1", "limit": 4.0, "worst": "6.5", "hids": ["H1", "H12"]}
    >>> reason_pieces(render_why(p, "en"), p, "en")
    ['2 households walk more than 4 min to the meeting point H1 (farthest 6.5 min): ids ', 'H1', ', ', 'H12', '']
    >>> reason_pieces(render_why(p, "zh"), p, "en") is None, reason_pieces("", {}, "en") is None
    (True, True)
    >>> q = {"why": "head_short", "size": 6, "heads": 0, "need": 1, "candidates": 3, "needed": 4, "shortfall": 1,
    ...      "total": 40, "near_hid": "H5", "near_unit": "U2", "near_min": "0.7", "near_heads": 1, "near_spare": 0,
    ...      "near_meet": "H9", "near_to": "meeting"}
    >>> reason_pieces(render_why(q, "en"), q, "en")[1:]
    ['H5', " of unit U2, 0.7 min walk to this unit's meeting point H9, and U2 has 1 head candidate, none to spare"]
    """
    if isinstance(params, str):
        try:
            params = json.loads(params) if params else {}
        except ValueError:
            return None
    if not isinstance(params, Mapping):
        return None
    sep = text("list.sep", lang)
    pieces, at = [], 0
    for key in ("hids", "near_hid", "walk_hids"):  # in the order the reason says them (render_why)
        if key == "near_hid":  # the nearest candidate outside the unit: where its clause puts the id
            near = near_clause(params, lang) if params.get("why") in HEAD_WHYS else ""
            start = reason.find(near, at) if near else -1
            if start < 0:
                continue
            hid = str(params["near_hid"])
            k = start + len(near_clause({**params, "near_hid": "\0"}, lang).split("\0")[0])
            if reason[k:k + len(hid)] != hid:
                return None
            pieces += [reason[at:k], hid]
            at = k + len(hid)
            continue
        hids = params.get(key)
        who = _who(hids, lang)
        start = reason.find(who, at) if who else -1
        if start < 0 or not isinstance(hids, list):  # (_who says nothing of anything but a list)
            continue
        named = [str(h) for h in hids[:MAX_EXAMPLES]]
        # where the ids stand in the clause: after the words before them, as the clause's templates put them
        lead = (text("delineate.why.walk_who", lang, examples="\0").split("\0")[0]
                + text("problem.id" if len(hids) == 1 else "problem.ids", lang, ids="\0").split("\0")[0])
        k = start + len(lead)
        if not who.startswith(lead) or reason[k:k + len(sep.join(named))] != sep.join(named):
            return None
        for j, hid in enumerate(named):
            k += len(sep) if j else 0  # the separator before it: text
            pieces += [reason[at:k], hid]
            at = k = k + len(hid)
    return [*pieces, reason[at:]] if pieces else None


def render_why(params: Mapping[str, Any], lang: Lang = "zh") -> str:
    """The explanation part of a reason (without code and size).

    >>> p = {"why": "walk_limit", "beyond": 2, "meeting": "H7", "limit": 4.0, "worst": "6.5"}
    >>> render_why(p, "en"), render_why({**p, "worst": "∞"}, "zh")
    ('2 households walk more than 4 min to the meeting point H7 (farthest 6.5 min)', '2 户到议事点 H7 的步行时间超过 4 分钟（有的在院落内无路可到）')
    >>> q = {"why": "heavy", "size": 30, "walk_beyond": 3, "walk_limit": 4.0, "walk_worst": "5.2", "walk_meeting": "H"}
    >>> render_why(q, "en").split("; ")[1]
    'also, 3 households walk more than 4 min to the meeting point H (farthest 5.2 min)'
    >>> render_why(q | {"walk_proof": "unproven"}, "en").split("; ")[2]
    'not proven unavoidable: the search found no division keeping every member within the limit, but one may exist'
    """
    why = str(params.get("why", ""))
    key = f"delineate.why.{why}"
    if why == "walk_limit" and str(params.get("worst", "")) == "∞":  # a household with no path to it
        key = "delineate.why.walk_limit_nopath"
    if not has(key):
        return why
    what = text(f"delineate.what.{params.get('what', 'households')}", lang)
    fields = {k: v for k, v in params.items() if k not in ("what", "why", "cuts", "lock")}
    out = text(key, lang, what=what, **fields)
    lock = _lock(params)
    if why in ("isolated", "unsplittable") and lock is None:  # an area the lock cut off: not by its cuts
        cuts = list(params.get("cuts") or [])
        parts = [_cut(c, lang) for c in cuts] if cuts else [text("delineate.cut.none", lang)]
        out += text("delineate.reason.sep", lang) + text("delineate.reason.sep", lang).join(parts)
    if why == "walk_limit":  # which households (a result written before they were recorded names none)
        out += _who(params.get("hids"), lang)
    proof = _walk_proof(params)
    if proof:  # a WALK-LIMIT unit: whether no unit could keep its households within the limit is proven
        out += text("delineate.reason.sep", lang) + text(proof, lang, what=what, **fields)
    if why == "head_short" and "area_lack" in params:  # what the area lacks after the split
        out += text("delineate.reason.sep", lang) + text("delineate.why.head_short_after", lang,
                                                         area_lack=params["area_lack"],
                                                         area_units=params.get("area_units", ""))
    if why in HEAD_WHYS and "near_hid" in params:  # who could head it: the nearest candidate outside it
        out += text("delineate.reason.sep", lang) + near_clause(params, lang)
    if "walk_beyond" in params and why != "walk_limit":  # an exception for another reason, beyond the limit too
        also = "delineate.why.also_walk" + ("_nopath" if str(params.get("walk_worst", "")) == "∞" else "")
        out += text("delineate.reason.sep", lang) + text(also, lang, **{k: v for k, v in params.items()
                                                                         if k.startswith("walk_")})
        out += _who(params.get("walk_hids"), lang)
        also_proof = _also_proof(params)
        if also_proof:  # whether no unit could keep them within the limit is proven, as WALK-LIMIT says it
            out += text("delineate.reason.sep", lang) + text(also_proof, lang, what=what, **fields)
    if lock is not None:  # an exception that the lock causes: said last, as its finding says it (gis.lock)
        out += text("delineate.reason.sep", lang) + text(
            _lock_key(params), lang, what=what, **{k: v for k, v in lock.items() if k != "units"},
            units=text("list.sep", lang).join(str(u) for u in lock.get("units") or []))
    return out


#: The ``why`` of a size exception (``RULE-INFEASIBLE``, ``RULE-NOSPLIT``) that a lock can cause (not ``heavy``:
#: one household above the ceiling).
LOCK_SIZE_WHYS = ("proven", "nosplit", "isolated", "unsplittable")


def _lock_key(params: Mapping[str, Any]) -> str:
    """The sentence that says the lock is why a unit is an exception: a ``HEAD-SHORT`` whose area without the
    lock has enough candidates (short by count, ``head_short``), or has a split giving each unit one (proven by
    the shape of its area, ``head_proven``); a size exception whose area without the lock holds a number of
    households units of the band can make up (``lock.why.size``).

    >>> _lock_key({"why": "head_short"}), _lock_key({"why": "head_proven"}), _lock_key({"why": "isolated"})
    ('lock.why.head_short', 'lock.why.head_proven', 'lock.why.size')

    A ``HEAD-UNPLACED`` (no split found, none proven): the lock is why where the area the lock left is proven to
    have no split giving each unit a candidate (``proof`` ``proven``), else it may be.

    >>> _lock_key({"why": "head_unplaced", "lock": {"proof": "proven"}}), _lock_key({"why": "head_unplaced"})
    ('lock.why.head_unplaced_proven', 'lock.why.head_unplaced')
    """
    why = params.get("why")
    if why == "head_unplaced":  # proven short on the area the lock left, or undecided there (gis.lock)
        lock = params.get("lock")
        proof = lock.get("proof") if isinstance(lock, Mapping) else None
        return "lock.why.head_unplaced_proven" if proof == "proven" else "lock.why.head_unplaced"
    return ("lock.why.head_proven" if why == "head_proven" else "lock.why.size" if why in LOCK_SIZE_WHYS
            else "lock.why.head_short")


def _lock(params: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """What the ``lock`` of an exception unit's parameters records — the lock is why it is one — or None where
    there is none (every other unit, and any file written before it was recorded).

    A ``HEAD-SHORT`` (:func:`yuanluo.gis.lock.lock_head_short`): ``units`` (the locked units in its area),
    ``held`` (the candidates they hold) and the area's ``total``, ``needed`` and ``candidates`` without the lock
    (and ``lo``, ``hi`` for a unit proven short by the shape of its area: the band the area could be split
    within). A size exception (``RULE-INFEASIBLE``, ``RULE-NOSPLIT``; :func:`yuanluo.gis.lock.size_locks`):
    ``units``, ``held`` (the households, or persons, they hold), the area's ``total`` without the lock and the
    band ``lo``, ``hi``; its reason then leaves out what cuts the area off (the locked households do). A
    ``HEAD-UNPLACED`` (:func:`yuanluo.gis.lock.head_short_locks`): as a ``HEAD-SHORT`` proven by shape, with
    ``proof`` (``proven`` or ``undecided``: what the area the lock left was found to be).

    >>> p = {"why": "head_short", "lock": {"units": ["U1"], "held": 2, "total": 40, "needed": 2, "candidates": 2}}
    >>> _lock(p)["units"], _lock({**p, "why": "heavy"}), _lock({"why": "head_short"})
    (['U1'], None, None)
    >>> _lock({**p, "why": "head_proven"})["total"], _lock({**p, "why": "isolated"})["total"]
    (40, 40)
    """
    lock = params.get("lock")
    known = ("head_short", "head_proven", "head_unplaced", *LOCK_SIZE_WHYS)
    return lock if params.get("why") in known and isinstance(lock, Mapping) else None


def render_reason(code: str, params: Mapping[str, Any] | str | None, lang: Lang | None = None) -> str:
    """A unit's reason in ``lang`` (by default ``YUANLUO_LANG``'s): ``code``, its size and why (``params`` as a
    mapping or JSON text); ``""`` for a unit without a code (an ``ok`` unit)."""
    if not code:
        return ""
    lang = lang or default_lang()
    if isinstance(params, str):
        params = json.loads(params) if params else {}
    params = dict(params or {})
    what = text(f"delineate.what.{params.get('what', 'households')}", lang)
    fields = {"code": code, "size": params.get("size", ""), "what": what, "why": render_why(params, lang)}
    label = f"delineate.label.{code}"
    if has(label):  # its short name first: a planner reads words, the code is there to quote
        return text("delineate.reason", lang, label=text(label, lang), **fields)
    return text("delineate.reason.bare", lang, **fields)


def complete(params: Mapping[str, Any], lang: Lang = "zh") -> bool:
    """Whether ``params`` hold every value the reason's sentences in ``lang`` name (a hand-edited cell may
    lack one: rendered, it would show the bare field, e.g. ``{total}``).

    >>> p = {"size": 22, "heads": 0, "need": 1, "why": "head_unplaced", "total": 40, "lo": 15, "hi": 25}
    >>> complete(p), complete({k: v for k, v in p.items() if k != "total"}), complete({"why": "proven"})
    (True, False, False)
    """
    if "size" not in params:
        return False
    tmpl = template(f"delineate.why.{params.get('why', '')}", lang)
    named = fields_of(tmpl or "")
    if params.get("why") in HEAD_WHYS and "near_hid" in params:  # the nearest candidate's clause names its own
        named |= fields_of(template("delineate.near", lang) or "") - {"to", "spare"}
    for proof in (_walk_proof(params), _also_proof(params)):  # what the walking clause's proof names
        named |= fields_of(template(proof, lang) or "") if proof else set()
    lock = _lock(params)  # what the lock's clause names, from its own record
    if lock is not None and not fields_of(template(_lock_key(params), lang) or "") - {"what"} <= set(lock):
        return False
    return tmpl is None or named - {"what"} <= set(params)


def reasons_in(units: pd.DataFrame, lang: Lang | None = None) -> pd.Series:
    """The ``reason`` of every row of a units table as read back from a file, in ``lang`` (by default
    ``YUANLUO_LANG``'s): rendered from
    ``code`` and ``reason_params`` where both are there, readable and :func:`complete` (the file's ``reason``
    is in the language the delineation ran in), else the file's own ``reason`` (a plan from elsewhere, or
    edited parameters).

    >>> t = pd.DataFrame({"code": ["HEAD-SHORT", "", "X"], "reason": ["院落…", "", "own text"],
    ...                   "reason_params": ['{"size": 22, "heads": 0, "need": 1, "why": "head_unplaced",'
    ...                                     ' "total": 40, "lo": 15, "hi": 25}', "", "{not json"]})
    >>> reasons_in(t, "en").tolist()[1:]
    ['', 'own text']
    >>> reasons_in(t.assign(reason_params=t["reason_params"].str.replace('"total": 40, ', "")), "en")[0]
    '院落…'

    >>> reasons_in(t, "en")[0].startswith("too few head candidates (HEAD-SHORT): 22 households, 0 head candidates")
    True
    """
    lang = lang or default_lang()
    stored = (units["reason"].astype("string").fillna("").astype(str) if "reason" in units
              else pd.Series("", index=units.index, dtype=object))
    if "code" not in units or "reason_params" not in units:
        return stored.rename("reason")
    out = []
    for code, params, own in zip(units["code"], units["reason_params"], stored, strict=True):
        text_ = ""
        if isinstance(code, str) and code and isinstance(params, str) and params:
            with contextlib.suppress(ValueError, KeyError, TypeError, AttributeError, IndexError):
                parsed = json.loads(params)
                if complete(parsed, lang):
                    text_ = render_reason(code, parsed, lang)
        out.append(text_ or own)
    return pd.Series(out, index=units.index, dtype=object, name="reason")


def unit_reasons(units: pd.DataFrame, lang: Lang | None = None) -> pd.Series:
    """The ``reason`` of every row of a ``units_`` table rendered in ``lang`` (by default ``YUANLUO_LANG``'s; from
    ``code`` and ``reason_params``), indexed like ``units``."""
    lang = lang or default_lang()
    vals = [render_reason(str(c or ""), p if isinstance(p, str) else "", lang)
            for c, p in zip(units["code"], units["reason_params"], strict=True)]
    return pd.Series(vals, index=units.index, dtype=object, name="reason")
