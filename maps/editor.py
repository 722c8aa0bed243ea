"""The plan editor: one offline HTML page in which a planner moves households between units by hand, with the
rules of ``yuanluo check`` re-checked in the page after every edit.

:func:`editor_payload` packs what the page needs: the households (ids, coordinates, current unit, the nest keys
of every ``Rules.nest_by`` level, settlement, size weight, candidate-head flag), the neighbour graph the check
judges contiguity on (edges ``u<v`` as household positions), the cut candidate edges that turn a broken unit
into PLAN-LONG-JOIN (length, within the join limit) or PLAN-CROSS-RIVER (river, water), the unit territories
and context layers as drawn by the field map, the hillshade of the DEM the plan is judged over (the field map's
``data:`` image, :func:`_hillshade`), the rules and the interface texts. :func:`render_editor` builds
the page: the vendored Leaflet and the field map's decoders (``maps/assets/yuanluo.js``) and the editor
(``maps/assets/editor.js``, ``editor.css``) inlined, the data in one ``application/json`` block made by
:func:`yuanluo.maps.offline.script_json`, and the Content-Security-Policy of :func:`yuanluo.maps.offline.add_csp`.

The rules reproduced in the page are those of :func:`yuanluo.gis.check.check_plan` run on a plan table without
meeting points (``yuanluo check … --plan plan.csv``): structure (PLAN-UNASSIGNED), size (SIZE-LOW, SIZE-HIGH,
SIZE-EXCEPTION for whole islands that no split fits), contiguity (PLAN-NONCONTIG, PLAN-CROSS-RIVER,
PLAN-LONG-JOIN), nesting (PLAN-CROSS-VILLAGE, PLAN-CROSS-GROUP, PLAN-CROSS-NEST), settlements
(PLAN-SETTLEMENT-SPLIT), heads (PLAN-NO-HEAD, PLAN-FEW-HEADS; HEAD-EXCEPTION where the area's units that lack a
candidate are no more than any plan must leave: :class:`~yuanluo.gis.check.HeadAreas`, computed here once, as
the areas do not change with the plan) and the walk: with meeting points (as given to ``check --meeting-points``),
PLAN-MEETING, and with ``Rules.max_walk_min`` PLAN-WALK-LIMIT (Dijkstra from the meeting household over the unit's
own edges with the directed minutes, as the check computes it; WALK-EXCEPTION where every household beyond the
limit is remote, :func:`~yuanluo.gis.check.walk_unavoidable`, computed here once). Units made in the page have no
meeting point (PLAN-MEETING, a warning, as in the check). A unit whose meeting point is not its own (its meeting
household moved into another unit or out of every unit, or given so) is PLAN-MEETING, a warning as well, in a
sentence saying where the point is now, that the walk is measured to the unit's centre, and how to give it one
(设为议事点; for a point that moved out, 撤销 the move): the export leaves the unit's 议事点 cells blank, which
``check --plan`` reads as no meeting point given and says as the same warning, PLAN-MEETING. A unit without a
meeting point of its own (none given, or one outside it) is measured, as in the check, to its centre
(:func:`~yuanluo.gis.check.unit_centre`), found again as the unit changes. With meeting points, the page's export has a 议事点 column (each row's unit's
meeting point as the page walks to it: blank for a unit walked to its centre) that ``check --plan`` and
``edit --plan`` read, so that they walk to the same points and reopen the same page as 载入方案 does. With one household
selected, 设为议事点 makes it its unit's meeting point (an action of the undo history, as a move: in the change log
as a row of its unit marked 议事点, in the autosave through the export's column, which 载入方案 reads as ``--plan``
does; refused in a locked unit), also in a page made without meeting points but with a walking limit, which then
has meeting points: its export gets the 议事点 column, blank for the units without one (walked to their centres;
PLAN-MEETING, a warning, in the page as in the check), until that first one is undone. The page says the
rules the household file gives no data for, as ``check`` does (``unchecked``).

The page's 载入方案 reads a plan table as ``--plan`` reads it: the cells cleaned as :func:`yuanluo.gis.plan._norm`
cleans them, leading zeros a spreadsheet dropped put back by the same one-to-one rule (PLAN-ID-ZEROS), and those
the household file lost (the page's ids) taken off the plan's ids by the same rule (PLAN-HH-ZEROS; a match not one
to one reads none of them, said with its fix, PLAN-HH-ZEROS-CLASH), the 议事点 cells read with the same match, the lock
column's yes and no values of :func:`yuanluo.gis.lock.read_lock_column` (shipped as ``read`` from the Python
constants; the cells neither yes nor no said, LOCK-VALUE), a row repeating a household with the same unit said
(PLAN-DUP-ROW, a warning), and a household given two units refusing the table (PLAN-DUP-ASSIGN, where ``--plan``
stops); its 议事点 column as :func:`yuanluo.gis.plan.plan_meeting_points` reads it: a unit whose cells name no
household of its own (another unit's, one in no unit, an unknown id), or two or more of them (two units merged by
retyping a unit id), left without a meeting point, walked to its centre (PLAN-MEET-COLUMN, a warning, as
``--plan`` says it): each said in the check's own sentence; a unit whose cells are all blank has no meeting point
given, said by the page's own PLAN-MEETING as ``check --plan`` says it; a unit whose cells name a point outside it,
even the one it has now, is left without one, as ``edit --plan`` of the file opens it.
Its column names are ``--plan``'s, with their cuts to a Shapefile's 10-byte field names (``household_``) shipped
from Python (:func:`_plan_reading`).

The page says each finding in the check's own sentence (its message title, the templates shipped from the catalogue
as ``m``, the numbers as the check writes them in ``rules.say``), draws every unit's meeting point (or its centre,
by the same rule; the directed walking minutes are always embedded for it) while the screen has room for them
(``MARK_AREA`` px² each in ``editor_ui.js``; a town seen whole shows its households, and only the selected households'
units' points), colours units so that units touching in
the graph differ, finds a household or unit by its id, and lists every household at a tapped point.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from yuanluo.gis.catalogue import Lang, both, catalogue, english_one_rule, has, template, text
from yuanluo.gis.check import (
    DECLARABLE,
    EXCEPTION_CODES,
    RIVER_REASONS,
    Areas,
    Declared,
    HeadAreas,
    _as_bool,
    _fmt,
    no_persons_column,
    plan_zones,
    settlement_pieces,
    walk_unavoidable,
)
from yuanluo.gis.columns import INVISIBLE, NO_WORDS, YES_WORDS, dbf_aliases
from yuanluo.gis.delineate.heads import NEAR_CUTOFF_MIN
from yuanluo.gis.delineate.reasons import planner_fixes, reason_pieces
from yuanluo.gis.errors import MAX_EXAMPLES, InputError, Problem, problem
from yuanluo.gis.graph import TerrainGraph, cut_nodes
from yuanluo.gis.islands import HEAVY, short_pieces
from yuanluo.gis.keys import BLANK, nest_columns, nest_key, nest_labels, normalise
from yuanluo.gis.lock import LOCK_ALIASES, LOCK_WORDS, UNLOCK_WORDS
from yuanluo.gis.personal import page_ids, require_page_ids
from yuanluo.gis.plan import ID_ALIASES, MEETING_ALIASES, UNIT_ALIASES
from yuanluo.gis.rules import Rules, resolve_nesting
from yuanluo.maps.hillshade import HILLSHADE_OPACITY, png_url, web_hillshade
from yuanluo.maps.interactive import (
    GPS_NEAR_M,
    _compact_ids,
    _compact_ints,
    _context_data,
    _context_tolerance,
    _pack,
    _simplify_units,
    gps_data,
    locate_options,
)
from yuanluo.maps.offline import (
    LEAFLET_CSS,
    LEAFLET_JS,
    LOCATE_CSS,
    LOCATE_JS,
    LOCATE_MARKER_STYLE,
    add_csp,
    read_asset,
    read_own_asset,
    script_json,
)
from yuanluo.maps.style import credit_words

__all__ = ["editor_payload", "render_editor", "EDITOR_CODES"]

#: The check codes the page computes (the rest of ``yuanluo check`` cannot arise from an edit).
EDITOR_CODES = ("PLAN-UNASSIGNED", "SIZE-LOW", "SIZE-HIGH", "SIZE-EXCEPTION", "CHECK-PERSONS-NA", "PLAN-NONCONTIG",
                "PLAN-CROSS-RIVER", "PLAN-LONG-JOIN", "PLAN-CROSS-VILLAGE", "PLAN-CROSS-GROUP", "PLAN-CROSS-NEST",
                "PLAN-SETTLEMENT-SPLIT", "PLAN-NO-HEAD", "HEAD-EXCEPTION", "PLAN-FEW-HEADS", "PLAN-MEETING",
                "PLAN-WALK-LIMIT", "WALK-EXCEPTION", "DECLARED-EXCEPTION")
_DECIMALS = 6
_CONTEXT = ("boundary", "water", "rivers", "roads")


def _floats(a: np.ndarray, bits: int) -> str:
    """Numbers as base64 of their little-endian IEEE bytes (``bits`` 64: the exact values, as the check reads
    them; 32: about seven digits), a third to a sixth of their JSON text; the page reads them back into a
    ``Float64Array`` / ``Float32Array``.

    >>> _floats(np.array([1.0]), 64), _floats(np.array([1.0]), 32)
    ('AAAAAAAA8D8=', 'AACAPw==')
    """
    import base64

    return base64.b64encode(np.asarray(a, dtype="<f8" if bits == 64 else "<f4").tobytes()).decode("ascii")


#: The ratios of the minutes one way to the other across an edge all of whose steps are steeper than Tobler's
#: fastest slope (``exp(∓3.5 × 0.1)``, :func:`yuanluo.gis.cost.tobler_kmh`): most edges of a hilly village, where
#: ``vu`` is ``uv`` times one of them to within a few units in the last place.
_RATIOS = (float(np.exp(-0.35)), float(np.exp(0.35)))
_RESIDUAL = 4  # a predicted ``vu`` differs from its prediction by -4 … 3 units in the last place


class _Bits:
    """A bit stream written most significant bit first."""

    def __init__(self) -> None:
        self.out, self.acc, self.n = bytearray(), 0, 0

    def put(self, value: int, width: int) -> None:
        self.acc, self.n = (self.acc << width) | int(value), self.n + width
        while self.n >= 8:
            self.n -= 8
            self.out.append((self.acc >> self.n) & 0xFF)
        self.acc &= (1 << self.n) - 1

    def bytes(self) -> bytes:
        return bytes(self.out) + (bytes([(self.acc << (8 - self.n)) & 0xFF]) if self.n else b"")


def _walks(uv: np.ndarray, vu: np.ndarray, bits: int) -> dict[str, Any] | None:
    """The directed minutes ``uv`` and ``vu`` of every edge as IEEE numbers of ``bits`` (64: exact; 32: rounded to
    single precision), packed without losing a bit of them: the page (``walks`` in ``editor.js``) gets back the very
    numbers :func:`_floats` would ship, in about two thirds of their base64 (0.31 → 0.2 MB for a town of 10,000).

    Every number is non-negative: its exponent field an index into the table ``e`` of those used, and its
    fraction as it is. ``vu`` is a two-bit class: 0 the same as ``uv``; 1 and 2 ``uv`` times ``c[0]`` or ``c[1]``
    (:data:`_RATIOS`, rounded as the page rounds the product: IEEE, single precision for 32 bits) plus a residual of
    ``-4 … 3`` units in the last place (3 bits); 3 a number of its own. ``s``: the stream, base64. ``None``
    (ship :func:`_floats`) for a negative or non-finite minute.

    >>> uv = np.array([1.5, 0.0, 2.0, 0.1]); vu = np.array([1.5, 0.0, 2.0 * _RATIOS[0], 0.3])
    >>> w = _walks(uv, vu, 64)
    >>> [np.array_equal(a, b) for a, b in zip(_unwalks(w), (uv, vu))], w["e"]
    ([True, True], [0, 1019, 1021, 1023, 1024])
    """
    import base64

    ftype: Any = np.float64 if bits == 64 else np.float32
    itype: Any = np.int64 if bits == 64 else np.int32
    mbits = 52 if bits == 64 else 23
    a: Any = np.asarray(uv, dtype=ftype)
    b: Any = np.asarray(vu, dtype=ftype)
    if not (np.isfinite(a).all() and np.isfinite(b).all() and (a >= 0).all() and (b >= 0).all()):
        return None
    ab, bb = a.view(itype).astype(np.int64), b.view(itype).astype(np.int64)
    exps = sorted({int(x) for x in np.r_[ab, bb] >> mbits})
    ebits = max(1, (len(exps) - 1).bit_length())
    at = {x: i for i, x in enumerate(exps)}
    ratios = [ftype(c) for c in _RATIOS]
    res = [b.view(itype).astype(np.int64) - (a * c).astype(ftype).view(itype).astype(np.int64) for c in ratios]
    mask = (1 << mbits) - 1
    w = _Bits()
    for i in range(len(a)):
        w.put(at[int(ab[i]) >> mbits], ebits)
        w.put(int(ab[i]) & mask, mbits)
        if bb[i] == ab[i]:
            w.put(0, 2)
            continue
        for k in (0, 1):
            if -_RESIDUAL <= res[k][i] < _RESIDUAL:
                w.put(k + 1, 2)
                w.put(int(res[k][i]) + _RESIDUAL, 3)
                break
        else:
            w.put(3, 2)
            w.put(at[int(bb[i]) >> mbits], ebits)
            w.put(int(bb[i]) & mask, mbits)
    return {"n": len(a), "e": exps, "c": [float(c) for c in ratios], "s": base64.b64encode(w.bytes()).decode("ascii")}


def _unwalks(w: dict[str, Any], bits: int = 64) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_walks` read back, as the page reads it: ``(uv, vu)``."""
    import base64

    ftype: Any = np.float64 if bits == 64 else np.float32
    itype: Any = np.int64 if bits == 64 else np.int32
    mbits = 52 if bits == 64 else 23
    data, exps = base64.b64decode(w["s"]), w["e"]
    ebits = max(1, (len(exps) - 1).bit_length())
    stream, pos = int.from_bytes(data, "big"), 0
    total = 8 * len(data)

    def get(width: int) -> int:
        nonlocal pos
        pos += width
        return (stream >> (total - pos)) & ((1 << width) - 1)

    n = int(w["n"])
    ab, bb = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    for i in range(n):
        ab[i] = (exps[get(ebits)] << mbits) | get(mbits)
        kind = get(2)
        if kind == 0:
            bb[i] = ab[i]
        elif kind < 3:
            x: Any = np.array([ab[i]], dtype=itype).view(ftype)
            pred = int((x * ftype(w["c"][kind - 1])).astype(ftype).view(itype)[0])
            bb[i] = pred + get(3) - _RESIDUAL
        else:
            bb[i] = (exps[get(ebits)] << mbits) | get(mbits)
    return ab.astype(itype).view(ftype), bb.astype(itype).view(ftype)


def _edges(graph: TerrainGraph, pos_of_node: np.ndarray, cut: pd.DataFrame | None,
           walk: int = 0) -> dict[str, Any]:
    """Edges as household positions ``u < v`` sorted, both ends households (both compacted, :func:`_compact_ints`:
    ``u`` as differences, ``v`` the shortest form, 0.08 MB instead of 0.14 at 10,000 households); with
    ``walk`` (64 or 32 bits) the directed walking minutes ``uv`` (u to v) and ``vu`` of each, as the check reads
    them, packed (``wk``, :func:`_walks`; ``uv`` and ``vu`` of :func:`_floats` where it cannot), and their width
    ``wbits``; for cut edges (``cut`` given) their minutes ``w``, the same
    both ways, as the check walks across a long join."""
    if cut is None:
        u, v = np.asarray(graph.u, dtype=np.int64), np.asarray(graph.v, dtype=np.int64)
    elif len(cut):
        u, v = cut_nodes(graph, cut)
    else:
        u = v = np.zeros(0, dtype=np.int64)
    u, v = pos_of_node[u], pos_of_node[v]
    keep = np.flatnonzero((u >= 0) & (v >= 0) & (u != v))
    a, b = np.minimum(u[keep], v[keep]), np.maximum(u[keep], v[keep])
    order = np.lexsort((b, a))
    out: dict[str, Any] = {"u": _compact_ints(a[order], True), "v": _compact_ints(b[order], True)}
    if walk and cut is not None:  # a long join: the same minutes both ways (its walk_min)
        if len(keep):
            out["w"] = _floats(cut["walk_min"].to_numpy(dtype=float)[keep][order], walk)
            out["wbits"] = walk
    elif walk and graph.walk_uv is not None and graph.walk_vu is not None:
        swap = (u[keep] > v[keep])[order]
        wuv, wvu = np.asarray(graph.walk_uv, dtype=float)[keep][order], np.asarray(graph.walk_vu, dtype=float)[keep][order]
        fwd, back = np.where(swap, wvu, wuv), np.where(swap, wuv, wvu)
        packed = _walks(fwd, back, walk)
        if packed is not None:
            out["wk"] = packed
        else:
            out["uv"], out["vu"] = _floats(fwd, walk), _floats(back, walk)
        out["wbits"] = walk
    return out


def _islands(hh: pd.DataFrame, labels: pd.Series, rules: Rules, graph: TerrainGraph, pos: np.ndarray,
             declared: Declared | None) -> dict[str, Any]:
    """What the page needs to find the check's long joins (:func:`yuanluo.gis.check.long_joins`: the edges pruned
    only for length within the join limit that join an island, :func:`yuanluo.gis.islands.island_links` with the
    zones of :func:`yuanluo.gis.check.plan_zones`) among the page's long joins (``lj``) as the plan changes.

    The short edges' pieces are the plan's own only through the units a delineation kept locked (``declared``'s
    :attr:`~yuanluo.gis.check.Declared.kept`): while the plan holds one as kept, its households are a zone of
    their own. So the pieces of everything else are found here, on the whole graph (``pc``: each household's
    piece, -1 for a household heavier than the ceiling, never joined over a long edge); each household of a kept
    unit is an element of its own (``P`` + its number), with the short edges that may join it (``de``: pairs of
    elements, in one nest group and neither heavy) and its kept unit (``kk``, among ``ku``; ``kn``: how many
    households each keeps). The page joins an edge of ``de`` when both ends are in one zone (0, or the same kept
    unit held as kept), and counts a long join when its ends lie in two nest groups, or in one zone and two
    pieces.

    >>> g = TerrainGraph("EPSG:4545", ["a", "b", "c", "d"], [[0, 0], [1, 0], [2, 0], [9, 0]], [0, 1], [1, 2],
    ...                  [1.0, 1.0], [1.0, 1.0])
    >>> hh = pd.DataFrame(index=pd.Index(["a", "b", "c", "d"], name="hid"))
    >>> lab = pd.Series(["A", "A", "B", "B"], index=hh.index)
    >>> units = pd.DataFrame({"unit_id": ["A", "B"], "status": ["ok", "locked"], "reason": ["", ""]})
    >>> s = _islands(hh, lab, Rules(1, 9, nest_by=(), require_head=False), g, np.arange(4), Declared.of(units, lab))
    >>> s["pc"], s["P"], s["kk"], s["ku"], s["kn"], s["de"]  # c, d kept: elements 1, 2; b–c may join 0 and 1
    ([0, 0, 1, 2], 1, [-1, -1, 0, 0], ['B'], [2], [0, 1])
    """
    n = graph.n
    zone = plan_zones(hh, labels, rules, graph, pos, None)  # the heavy households (HEAVY), the rest 0
    key = np.zeros(n, dtype=np.int64)
    key[pos] = nest_key(hh, rules.nest_by)
    hids = np.asarray(hh.index.astype(str), dtype=object)
    ku: list[str] = []
    kk = np.full(len(hids), -1, dtype=np.int64)
    if declared is not None and len(declared.kept):
        mem = declared.kept.astype(str)
        gone = set(mem[~mem.index.astype(str).isin(hids)])  # a unit kept with households not here: never held
        ku, kk = _unit_keys(mem[~mem.isin(gone)], hids)
    heavy = zone == HEAVY
    dyn = np.zeros(n, dtype=bool)
    dyn[pos[kk >= 0]] = True
    dyn &= ~heavy  # a heavy household is a zone of its own, its unit held or not
    fixed = ~heavy & ~dyn
    u, v = np.asarray(graph.u, dtype=np.int64), np.asarray(graph.v, dtype=np.int64)
    same = (key[u] == key[v]) & ~heavy[u] & ~heavy[v]
    lone = zone.copy()  # each household of a kept unit a zone of its own: its pieces are found by the page
    lone[dyn] = 1 + np.arange(int(dyn.sum()))
    comp = short_pieces(graph, key, lone)
    _, first, inv = np.unique(comp[fixed], return_index=True, return_inverse=True)
    elem = np.full(n, -1, dtype=np.int64)
    elem[fixed] = np.argsort(np.argsort(first))[inv]  # the pieces numbered in the order of their first node
    p_count = len(first)
    d_nodes = np.flatnonzero(dyn)
    elem[d_nodes] = p_count + np.arange(len(d_nodes))
    pc = elem[pos]
    both = same & (dyn[u] | dyn[v])
    de = np.sort(np.c_[elem[u[both]], elem[v[both]]], axis=1)
    de = np.unique(de, axis=0) if len(de) else np.zeros((0, 2), dtype=np.int64)
    kept_n = np.bincount(kk[kk >= 0], minlength=len(ku)) if len(ku) else np.zeros(0, dtype=np.int64)
    return {"pc": _compact_ints(pc, True), "P": p_count, "kk": _compact_ints(kk, True), "ku": list(ku),
            "kn": kept_n.tolist(), "de": de.ravel().tolist()}


def plan_fingerprint(block: Mapping[str, Any], meet: Mapping[str, str] | None, locks: Iterable[str]) -> str:
    """A short fingerprint of the plan a page opens with: its households (``ids``), each one's unit (``unit``,
    ``units`` of :func:`_household_block`), the meeting points and the locked units; the editor keys its autosave by
    it, so that two plans of one town with as many units (a delineation and its repair) keep theirs apart, and the
    same plan opened again finds its own.

    >>> b = {"ids": ["H1", "H2"], "unit": [0, 1], "units": ["U1", "U2"]}
    >>> plan_fingerprint(b, None, []) == plan_fingerprint(dict(b), None, ())
    True
    >>> plan_fingerprint(b, None, []) != plan_fingerprint({**b, "unit": [1, 0]}, None, [])
    True
    >>> len(plan_fingerprint(b, {"U1": "H1"}, ["U2"]))
    16
    """
    held = [block["ids"], block["unit"], block["units"], dict(meet or {}), sorted(locks)]
    return hashlib.sha256(json.dumps(held, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def _meeting(meeting_points: pd.Series | None) -> dict[str, str] | None:
    """Unit id -> meeting household, read as the check reads it (missing dropped, the first of a repeated unit)."""
    if meeting_points is None:
        return None
    mp = meeting_points.dropna()
    mp.index = pd.Index(mp.index.astype(str))
    mp = mp[~mp.index.duplicated(keep="first")]
    return {str(k): str(v) for k, v in mp.items()}


def _cut_sets(graph: TerrainGraph, rules: Rules) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cut edges of the check's two joins: length within the join limit, and river or water."""
    cut = graph.cut
    if not len(cut) or "reason" not in cut.columns:
        return cut.iloc[:0], cut.iloc[:0]
    reason = cut["reason"].astype(str)
    length = cut[(reason == "length") & (cut["walk_min"].astype(float) <= float(rules.join_limit_min))]
    return length, cut[reason.isin(RIVER_REASONS)]


def _nest_levels(hh: pd.DataFrame, rules: Rules, lang: Lang) -> list[dict[str, Any]]:
    """One entry per present ``nest_by`` column: its name, the check's code, the key of every household and the
    value each key shows in the check's sentence (a blank cell as ``check.blank``), and the name its "apart" fix
    writes before a unit's (``ex``)."""
    cols = nest_columns(hh, rules.nest_by)
    code = {"village": "PLAN-CROSS-VILLAGE", "group": "PLAN-CROSS-GROUP"}
    out = []
    for i, c in enumerate(cols):
        key = np.asarray(nest_key(hh, cols[: i + 1]), dtype=np.int64)
        shown = np.empty(int(key.max()) + 1 if len(key) else 0, dtype=object)
        shown[key] = nest_labels(hh, cols[: i + 1])  # as the check names them: 甲镇/新华村 beside 乙镇/新华村
        own = np.empty(len(shown), dtype=object)
        own[key] = normalise(hh[c]).to_numpy(dtype=object)  # a group's own name, whatever "/" it holds
        out.append({"col": str(c), "code": code.get(c, "PLAN-CROSS-NEST"), "key": _compact_ints(key, True),
                    "vals": [text("check.blank", lang) if v == BLANK else str(v) for v in shown],
                    # what the "apart" fix puts before a unit's name (一组 of 新华村/一组; none for a blank), as the
                    # check's example (gis.check.rule_nesting)
                    "ex": [None if v is None or v == BLANK else str(v) for v in own]})
    return out


def _villages(hh: pd.DataFrame) -> dict[str, Any] | None:
    """Each household's village (``key``, -1 for a blank cell) and the names (``vals``) as the households' village
    column gives them, what the search box finds a village by (as the map's does), whatever the rules nest by;
    None without the column.

    >>> _villages(pd.DataFrame({"village": [" 新华村", None, "胜利村", "新华村"]}))
    {'key': [0, -1, 1, 0], 'vals': ['新华村', '胜利村']}
    """
    if "village" not in hh.columns:
        return None
    names = hh["village"].astype("string").str.strip()
    codes, uniq = pd.factorize(names.mask(names == ""))
    return {"key": _compact_ints(codes, True), "vals": [str(v) for v in uniq]}


def _settlements(hh: pd.DataFrame, rules: Rules, weight: np.ndarray, graph: TerrainGraph, pos: np.ndarray
                 ) -> dict[str, Any] | None:
    """Settlement piece of every household (-1 none) and each piece's size and name, as the check reads them
    (:func:`~yuanluo.gis.check.settlement_pieces`)."""
    if not rules.keep_settlements or "settlement" not in hh.columns:
        return None
    key, uniq = settlement_pieces(hh, rules, graph, pos)
    ok = key >= 0
    size = np.bincount(key[ok], weights=weight[ok], minlength=len(uniq))
    return {"key": _compact_ints(key, True), "size": [float(s) for s in size], "names": [str(s) for s in uniq]}


def _weights(hh: pd.DataFrame, rules: Rules) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """Size weight of every household (1, or persons with a missing value as 0) and the static findings."""
    if rules.size_by != "persons":
        return np.ones(len(hh)), []
    if "persons" not in hh.columns:
        raise InputError(no_persons_column(hh))
    w = pd.to_numeric(hh["persons"], errors="coerce").fillna(0).to_numpy(dtype=float)
    na = hh["persons"].isna().to_numpy()
    return w, ([{"unit": None, "code": "CHECK-PERSONS-NA"}] if na.any() else [])


def _household_block(hh: gpd.GeoDataFrame, labels: pd.Series, rules: Rules, weight: np.ndarray,
                     lang: Lang) -> dict[str, Any]:
    """Ids, coordinates, units, size weights (:func:`_weights`), heads and nest keys of the households."""
    ll = hh.geometry.to_crs(4326)
    lat, lon = ll.y.to_numpy(), ll.x.to_numpy()
    lab = labels.reindex(hh.index.astype(str)).astype("string").str.strip()
    lab = lab.mask(lab == "")
    codes, units = pd.factorize(lab, sort=True)
    q = 10.0 ** -_DECIMALS
    lat0, lon0 = float(np.round(lat.min(), _DECIMALS)), float(np.round(lon.min(), _DECIMALS))
    block: dict[str, Any] = {
        "ids": _compact_ids(hh.index.astype(str).tolist(), True),
        "lat0": lat0, "lon0": lon0, "q": q,
        "lat": _compact_ints(np.rint((lat - lat0) / q), True),
        "lon": _compact_ints(np.rint((lon - lon0) / q), True),
        "unit": _compact_ints(codes, True), "units": [str(u) for u in units],
        "persons": (_compact_ints(weight, True) if np.all(weight == np.round(weight)) else weight.tolist())
        if rules.size_by == "persons" else None,
        "nest": _nest_levels(hh, rules, lang),
        "isokey": _compact_ints(nest_key(hh, rules.nest_by), True),
        "village": _villages(hh),
    }
    if rules.require_head and "head_candidate" in hh.columns:
        block["head"] = _compact_ints(_as_bool(hh["head_candidate"]).astype(np.int64), True)
    return block


def _territories(units: gpd.GeoDataFrame | None, n: int) -> dict[str, Any] | None:
    """The units' territories as drawn in the field map (simplified, packed), with their ids."""
    if units is None or not len(units) or "unit_id" not in units.columns:
        return None
    simple = _simplify_units(units[["unit_id", units.geometry.name]].copy(), n).to_crs(4326)
    simple = simple[~(simple.geometry.is_empty | simple.geometry.isna())]
    return {"ids": simple["unit_id"].astype(str).tolist(), "p": _pack(simple.geometry.values, 5, 3)}


def _context(layers: Mapping[str, Any], bounds: np.ndarray) -> dict[str, Any]:
    tol = _context_tolerance(bounds)
    out = {}
    for key in _CONTEXT:
        gdf = layers.get(key)
        if isinstance(gdf, gpd.GeoDataFrame) and len(gdf):
            out[key] = _context_data(gdf.to_crs(layers["households"].crs), key, tol, 5, None)
    return out


def _unit_keys(units: pd.Series, hids: np.ndarray) -> tuple[list[str], np.ndarray]:
    """The distinct unit ids of ``units`` (``hid`` → unit id), sorted, and per household of ``hids`` the
    position of its unit among them (-1: not in ``units``)."""
    ids = sorted(set(units.astype(str)))
    key = units.astype(str).map({u: i for i, u in enumerate(ids)})
    key.index = pd.Index(key.index.astype(str))
    return ids, key.reindex(pd.Index(hids)).fillna(-1).to_numpy(dtype=np.int64)


#: the check's texts its sentences are made of, beside the titles of :data:`EDITOR_CODES`
_SENTENCE_PARTS = ("check.minutes", "check.no_path", "check.meeting.centre", "check.to.meeting", "check.to.centre",
                   "editor.meeting.none",
                   "check.isolated.terrain", "check.isolated.nesting", "check.declared.unit",
                   "lock.declared.unit", "check.declared.split", "problem.id", "problem.ids", "problem.more",
                   "problem.more_rows", "list.sep",
                   "check.values.sep", "problem.row", "problem.rows", "list.clause_sep",
                   "check.meeting.col.foreign", "check.meeting.col.unknown", "check.meeting.col.unassigned",
                   "check.meeting.col.two", "editor.meeting.moved", "editor.meeting.outside", "editor.meeting.where.unit",
                   "editor.meeting.where.none", "editor.meeting.where.unknown", "problem.fix",
                   "check.head.way.find", "check.head.way.move", "check.head.way.merge", "check.head.way.or",
                   "delineate.near", "delineate.near.at", "delineate.near.to.meeting", "delineate.near.to.centre", "delineate.near.spare",
                   "delineate.near.spare_none", "delineate.reason.sep")
#: the variants of the head findings naming the nearest candidate head outside the unit (gis.check.rule_heads), as
#: ``CODE.title_VARIANT`` and ``CODE.fix_VARIANT``
_NEAR_VARIANTS = (("HEAD-EXCEPTION", "title_near"), ("PLAN-NO-HEAD", "title_near"), ("PLAN-NO-HEAD", "title_area_near"),
                  ("PLAN-NO-HEAD", "fix_area_near"))
#: the variant of WALK-EXCEPTION where households nest in groups (its proof walked within one group, gis.check.rule_walk)
_GROUP_VARIANTS = (("WALK-EXCEPTION", "title_group"),)
#: the findings of reading a plan table that the page's 载入方案 says as ``--plan`` does (its sentences, by code)
LOAD_CODES = ("PLAN-BLANK-ID", "PLAN-UNIT-CASE", "PLAN-UNIT-VARIANT", "PLAN-ID-ZEROS", "PLAN-HH-ZEROS", "PLAN-HH-ZEROS-CLASH", "PLAN-DUP-ROW",
              "PLAN-DUP-ASSIGN", "LOCK-VALUE", "PLAN-MEET-COLUMN")
#: the findings of :data:`LOAD_CODES` the page says with their fix (``CODE.fix``): ids it does not read
LOAD_FIXES = ("PLAN-HH-ZEROS-CLASH",)
#: the nesting findings whose "apart" fix the page says (``CODE.fix_apart``): a unit whose part in each group is a
#: piece of its own, most likely one name each group gave its own unit (gis.check.rule_nesting)
APART_FIXES = ("PLAN-CROSS-VILLAGE", "PLAN-CROSS-GROUP", "PLAN-CROSS-NEST")


def _sentences(lang: Lang) -> dict[str, str]:
    """The templates of the check's sentences in ``lang`` (:data:`EDITOR_CODES` and :data:`LOAD_CODES` by code, the
    fixes of :data:`LOAD_FIXES` as ``CODE.fix``, of :data:`APART_FIXES` as ``CODE.fix_apart`` and PLAN-NO-HEAD's of an
    area lacking more candidates than it must as ``PLAN-NO-HEAD.fix_area``, their parts by key), as the catalogue gives them; a field of both
    languages (``{what[zh]}``) is the page's one (``{what}``)."""
    raw = {**{c: template(c, lang, "title") or "" for c in (*EDITOR_CODES, *LOAD_CODES)},
           **{f"{c}.fix": template(c, lang, "fix") or "" for c in LOAD_FIXES},
           **{f"{c}.fix_apart": template(c, lang, "fix_apart") or "" for c in APART_FIXES},
           "PLAN-NO-HEAD.fix_area": template("PLAN-NO-HEAD", lang, "fix_area") or "",
           **{f"{c}.{f}": template(c, lang, f) or "" for c, f in (*_NEAR_VARIANTS, *_GROUP_VARIANTS)},
           **{k: template(k, lang) or "" for k in _SENTENCE_PARTS}}
    return {k: re.sub(r"\{(\w+)\[(?:zh|en)\]\}", r"{\1}", v) for k, v in raw.items()}


def _dbf_cuts(aliases: tuple[str, ...]) -> list[str]:
    """The Shapefile cuts of a plan column's names (:func:`~yuanluo.gis.columns.dbf_aliases` beyond the names
    themselves), in the order ``--plan`` tries them after the names (``_find_col``).

    >>> _dbf_cuts(("hid", "household_id")), _dbf_cuts(("unit_id", "院落编号"))
    (['household_'], [])
    """
    return list(dbf_aliases(aliases)[len(dict.fromkeys(aliases)):])


def _plan_reading() -> dict[str, Any]:
    """How ``--plan`` reads a plan table's cells, for the page's 载入方案 to read a file the same way: the
    characters :func:`yuanluo.gis.plan._norm` drops (a regular expression), the lock column's yes and no values
    (:func:`yuanluo.gis.lock.read_lock_column`: the yes/no words of every yes/no column and the lock words; compared
    NFKC, lower case, ``1.0`` as ``1``), how many examples a finding names, and the cut forms of the id, unit and
    lock columns' names that a Shapefile's 10-byte field names leave (``cuts``: ``household_id`` as
    ``household_``; :func:`_dbf_cuts`), which ``--plan`` reads after the names themselves (the page's own copy of
    :data:`~yuanluo.gis.plan.ID_ALIASES`, :data:`~yuanluo.gis.plan.UNIT_ALIASES` and
    :data:`~yuanluo.gis.lock.LOCK_ALIASES`), and the names of its meeting-point column with their cuts
    (``meet``: :data:`~yuanluo.gis.plan.MEETING_ALIASES`, lower case), which the page reads a loaded table's
    meeting points from."""
    return {"invisible": INVISIBLE.pattern, "yes": sorted(YES_WORDS), "no": sorted(NO_WORDS),
            "lock_yes": sorted(LOCK_WORDS), "lock_no": sorted(UNLOCK_WORDS), "examples": MAX_EXAMPLES,
            "cuts": {"id": _dbf_cuts(ID_ALIASES), "unit": _dbf_cuts(UNIT_ALIASES), "lock": _dbf_cuts(LOCK_ALIASES)},
            "meet": [a.lower() for a in dict.fromkeys(dbf_aliases(MEETING_ALIASES))]}


def _texts(lang: Lang) -> dict[str, str]:
    """Every ``editor.*`` interface text in ``lang`` (the page shows nothing else)."""
    return {k[len("editor."):]: text(k, lang) for k in sorted(catalogue()) if k.startswith("editor.")}


def _rules_name(rules: Rules, lang: Lang) -> str:
    """The rules' name as the page says it: a preset's label in the page's language (``editor.preset.<name>``;
    rules given by bounds or a file without a name: 自定义 / custom), else the name (the Chinese page says the
    rules' own label first)."""
    key = f"editor.preset.{rules.name}"
    if rules.name == "custom" or (lang == "en" and has(key)):
        return text(key, lang)
    return rules.name


def editor_payload(
    layers: Mapping[str, Any],
    labels: pd.Series,
    rules: Rules,
    graph: TerrainGraph,
    *,
    graph_kind: str = "terrain",
    locks: Iterable[str] = (),
    meeting_points: pd.Series | None = None,
    lang: Lang = "zh",
    declared: Declared | None = None,
    credit: str | None = None,
    hillshade: Any = None,
    include_personal: bool = False,
    unapplied: Sequence[Problem] | None = None,
) -> dict[str, Any]:
    """Everything the editor page needs, as one JSON-ready dict.

    Parameters
    ----------
    layers : mapping
        ``households`` (GeoDataFrame indexed by ``hid``, in the working CRS) and, when present, ``units``
        (territories) and the context layers ``boundary``, ``water``, ``rivers``, ``roads``.
    labels : Series
        ``hid`` → unit id (missing = unassigned): the plan to start from.
    rules : Rules
    graph : TerrainGraph
        The graph the check judges the plan on (every household a node).
    graph_kind : str
        What it judges neighbours on, said on the page: ``terrain``, ``dem_only``, ``rivers_only`` or
        ``straight`` (:func:`yuanluo.planners.workflows.graph_basis`).
    locks : iterable of str
        Units locked at the start.
    meeting_points : Series, optional
        Unit id -> meeting household (as ``yuanluo check --meeting-points``): enables PLAN-MEETING; with
        ``Rules.max_walk_min`` the walk is measured to them (a unit without one, to its centre). The directed
        walking minutes of every edge are embedded: the page draws each unit's meeting point, or for a unit
        without one its centre, as the check finds it.
    declared : Declared, optional
        The exception units the result declared: while a unit holds exactly its declared households, its
        errors of :data:`~yuanluo.gis.check.DECLARABLE` are the warning DECLARED-EXCEPTION (as in the check),
        and its card gives the delineation's reason; declarations made under other rules than ``rules`` excuse
        nothing (:meth:`~yuanluo.gis.check.Declared.applies`, as ``check_plan`` decides).
    credit : str, optional
        Data credit of the households and context (OpenStreetMap's for the bundled sample): the map's
        attribution line, HTML-escaped here (Leaflet reads an attribution as HTML).
    hillshade : DEM, optional
        The elevation the plan is judged over (a :class:`yuanluo.gis.terrain.Terrain`, or anything
        :class:`yuanluo.maps.hillshade.DemImage` takes), drawn under the units as the field map draws it
        (:func:`_hillshade`).
    include_personal : bool
        Make the page of households whose ids are id-card, phone or bank card numbers (the page shows every id):
        without it such a page is ID-PERSONAL-PAGE (:func:`yuanluo.gis.personal.require_page_ids`).
    unapplied : sequence of Problem, optional
        The RULE-UNAPPLIED warnings ``yuanluo check`` gives of the same households and rules
        (:func:`yuanluo.planners.workflows.rule_columns`): the page names the rules it cannot check in their words
        (a result whose delineation found the settlements itself says so, as the check does); without them, as
        :func:`yuanluo.planners.report.unapplied_rules` finds them from the columns.
    """
    hh = layers["households"]
    require_page_ids(hh.index, include_personal=include_personal, page="editor",
                     also={**page_ids(layers), "unit": labels.tolist()})
    as_given = rules  # the rules a declaration is judged under (Declared.applies), as check_plan judges it
    rules = resolve_nesting(rules, hh)  # nest_by as the file's own headers (村民小组): the reader's column, as check
    hids = np.asarray(hh.index.astype(str), dtype=object)
    node_pos = pd.Index(hids).get_indexer(np.asarray(graph.ids, dtype=object).astype(str))
    pos = pd.Index(np.asarray(graph.ids, dtype=object).astype(str)).get_indexer(hids)  # each household's node
    if (pos < 0).any():
        raise InputError(problem("CHECK-GRAPH", ids=sorted(set(hids) - set(map(str, graph.ids)))))
    weight, static = _weights(hh, rules)
    if static:  # persons missing: the check's own sentence
        na = np.sort(hids[hh["persons"].isna().to_numpy()].astype(str))
        static[0]["text"] = problem("CHECK-PERSONS-NA", severity="warning", ids=na).title(lang)
    block = _household_block(hh, labels, rules, weight, lang)
    block["sett"] = _settlements(hh, rules, weight, graph, pos)
    # the unavoidable exceptions of the head and walk rules, as the check finds them (the same for every plan)
    areas = Areas.of(hh, rules, graph, pos, weight)
    if "head" in block:
        heads = HeadAreas.build(hh, rules, graph, pos, weight, areas)
        block["harea"] = _compact_ints(heads.area, True)
        block["hshort"] = [heads.unavoidable(a) for a in range(len(heads.total))]
        # the size and the reason HEAD-EXCEPTION gives of an area that can excuse a unit
        block["hwhy"] = [[_fmt(heads.total[a]), heads.why(a)[lang]] if s else None
                         for a, s in enumerate(block["hshort"])]
        block["hneed"] = heads.needed.tolist()  # the fewest units of each area (its fix's "at least … units")
    if rules.max_walk_min is not None:  # remote households
        block["remote"] = _compact_ints(walk_unavoidable(hh, rules, graph, pos, weight, np.arange(len(hids)),
                                                         areas=areas).astype(np.int64), True)
    if declared is not None and not (declared.applies(as_given) or declared.applies(rules)):
        declared = None  # made under other rules, the declarations excuse nothing here (check_plan decides so)
    if declared is not None and len(declared.members):  # households of each declared unit, as declared
        mem = declared.members.astype(str)
        gone = set(mem[~mem.index.astype(str).isin(hids)])  # a unit declared with households not here: none holds
        dec_ids, dkey = _unit_keys(mem[~mem.isin(gone)], hids)
        block["dec"] = {"key": _compact_ints(dkey, True), "units": dec_ids,
                        "n": np.bincount(dkey[dkey >= 0], minlength=len(dec_ids)).tolist(), "codes": list(DECLARABLE),
                        "reasons": [declared.reasons.get(u, {}).get(lang, "") for u in dec_ids],
                        **_declared_words(declared, dec_ids, lang),
                        # a unit a delineation kept locked: the other codes it recorded breaking, declared too
                        "locked": [sorted(declared.locked[u]) if u in declared.locked else None for u in dec_ids]}
    if declared is not None and len(declared.settled) and block["sett"] is not None:  # settlements declared split
        split_ids, skey = _unit_keys(declared.settled, hids)
        block["dsplit"] = {"key": _compact_ints(skey, True), "units": split_ids}
    made = (declared.rules if declared is not None and declared.rules else None) or {}
    length, river = _cut_sets(graph, rules)
    meet, locked = _meeting(meeting_points), sorted({str(u) for u in locks})
    units = layers.get("units")
    what = "delineate.what.persons" if rules.size_by == "persons" else "delineate.what.households"
    # exact minutes (64 bits) under a walking limit, and where a unit without its head names the minutes to the
    # nearest candidate (the check's walks and centres); else they only place the centre drawn, in single precision
    exact = 64 if rules.max_walk_min is not None or "head" in block else 32
    return {
        "lang": lang, "t": _texts(lang), "graph_kind": graph_kind,
        "rules": {"min": rules.min_size, "max": rules.max_size, "size_by": rules.size_by,
                  "nest_by": list(rules.nest_by), "require_head": rules.require_head,
                  "heads_for_size": rules.heads_for_size, "keep_settlements": rules.keep_settlements,
                  "max_walk_min": rules.max_walk_min, "join_limit_min": rules.join_limit_min,
                  "name": _rules_name(rules, lang), "label": rules.label, "exceptions": list(EXCEPTION_CODES),
                  # the numbers as the check's sentences say them
                  "say": {"min": str(rules.min_size), "max": str(rules.max_size), "lo": _fmt(rules.min_size),
                          "hi": _fmt(rules.max_size), "heads": str(rules.heads_for_size),
                          "join": _fmt(float(rules.join_limit_min)),
                          "walk": _fmt(rules.max_walk_min) if rules.max_walk_min is not None else "",
                          "what": text(what, lang),
                          # the band the delineation declared its splits under (the rules' own: they apply)
                          "dsplit": text("check.declared.settlement", lang, lo=_fmt(made.get("min_size", rules.min_size)),
                                         hi=_fmt(made.get("max_size", rules.max_size)), what=both(what))}},
        "hh": block, "static": static,
        "g": _edges(graph, node_pos, None, walk=exact), "m": _sentences(lang),
        "lj": _edges(graph, node_pos, length, walk=exact),
        # a unit without its head names the nearest candidate outside it within this walk (none: no candidates)
        "near": NEAR_CUTOFF_MIN if "head" in block else None,
        # which of them the check counts as joining a unit (PLAN-LONG-JOIN) or leading out of one (SIZE-EXCEPTION)
        "il": _islands(hh, labels, rules, graph, pos, declared),
        "meet": meet,
        "rc": _edges(graph, node_pos, river),
        "locks": locked,
        # the autosave's key: two plans of one town (a delineation and its repair) never share an autosave
        "plan": plan_fingerprint(block, meet, locked),
        "read": _plan_reading(),
        "territories": _territories(units if isinstance(units, gpd.GeoDataFrame) else None, len(hh)),
        "context": _context(layers, np.asarray(hh.total_bounds)),
        "credit": _esc(shown_credit) if (shown_credit := credit_words(credit, lang)) else "",  # the sample's: lang
        "shade": _hillshade(hillshade),
        # the zoom buttons' titles and accessible names, as the map page gives them
        "zoom": {"in": text("map.zoom_in", lang), "out": text("map.zoom_out", lang)},
        # the field map's ◎ button (editor_gps.js): its options, its error sentences and what a fix says (the unit
        # you are in, or the nearest one's way and distance), as the map says them
        "gps": _gps_texts(lang),
        "unchecked": _unchecked(rules, hh.columns, lang, unapplied),
        "checks": _checks(rules, hh.columns, lang),
    }


def _declared_words(declared: Declared, units: Sequence[str], lang: Lang) -> dict[str, list[Any]]:
    """What the card of each declared unit of ``units`` says beside its reason while the unit is as declared:
    ``fixes``, the fix the command line's console gave it (:func:`yuanluo.gis.delineate.reasons.planner_fixes` of
    its code and ``reason_params``, ``""`` for none: a planner's words, whoever builds the page), and ``why``, its
    reason cut around the households it names by id (:func:`yuanluo.gis.delineate.reasons.reason_pieces`; None:
    said as text).

    >>> from yuanluo.gis.delineate.reasons import reasons_in
    >>> p = json.dumps({"why": "walk_limit", "proof": "remote", "beyond": 1, "meeting": "a", "limit": 4.0, "worst": "6",
    ...                 "hids": ["b"], "size": 2, "lo": 2, "hi": 5, "total": 3, "what": "households"})
    >>> d = Declared.of(pd.DataFrame({"unit_id": ["A", "B"], "status": "exception", "reason": ["far", "low"],
    ...                               "code": ["WALK-LIMIT", ""], "reason_params": [p, ""]}),
    ...                 pd.Series(["A", "A", "B"], index=["a", "b", "c"]), reasons=reasons_in)
    >>> w = _declared_words(d, ["A", "B"], "en")
    >>> w["fixes"][0].startswith("neither redrawing the units"), w["fixes"][1], w["why"][0][-3][-9:], w["why"][0][-2]
    (True, '', 'min): id ', 'b')
    >>> w["why"][1] is None
    True
    """
    coded = pd.DataFrame([declared.coded.get(u, ("", "")) for u in units], columns=["code", "reason_params"],
                         dtype=object)
    return {"fixes": planner_fixes(coded, lang).tolist(),
            "why": [reason_pieces(declared.reasons.get(u, {}).get(lang, ""), p, lang) if p else None
                    for u, p in zip(units, coded["reason_params"], strict=True)],
            "meets": [_reason_meets(p) for p in coded["reason_params"]]}


#: the parameters of a delineation's reason naming the household its walks were measured to: the meeting point of
#: a WALK-LIMIT unit's walks and of another exception's walks beyond the limit, the household its nearest candidate
#: head is walked to (gis.delineate.reasons.render_why, near_clause)
_REASON_MEETS = ("meeting", "walk_meeting", "near_meet")


def _reason_meets(params: Any) -> list[str]:
    """The households a declared unit's reason says its walks were measured to (:data:`_REASON_MEETS` of its
    ``reason_params``), each once; none where it names none or cannot be read.

    >>> _reason_meets('{"why": "head_short", "near_meet": "H9", "meeting": "H9"}'), _reason_meets(""), _reason_meets("{")
    (['H9'], [], [])
    """
    try:
        p = json.loads(params) if isinstance(params, str) and params else {}
    except ValueError:
        return []
    if not isinstance(p, dict):
        return []
    return list(dict.fromkeys(str(p[k]) for k in _REASON_MEETS if p.get(k) not in (None, "")))


def _gps_texts(lang: Lang) -> dict[str, Any]:
    """What ``editor_gps.js`` needs: the map's locate options and GPS sentences (:func:`yuanluo.maps.interactive.
    gps_data`), the nearest household and the household in no unit.

    >>> g = _gps_texts("en"); g["inUnit"], g["nearest"], g["nearM"]
    ('You are in unit {unit}', 'Nearest household: {hid}, {distance} away', 150)
    """
    gps = gps_data(lang)
    return {"options": locate_options(lang), "nearM": GPS_NEAR_M, "title": gps["title"],
            **{k: gps[k] for k in ("inUnit", "outside", "go", "km", "m", "accuracy", "dirs")},
            "nearest": template("map.gps.nearest", lang), "noUnit": template("editor.msg.found_household_none", lang),
            **{k: text(f"map.gps.{k}", lang) for k in ("failed", "denied", "unavailable", "timeout")}}


def _hillshade(dem: Any) -> dict[str, Any] | None:
    """The DEM's shaded relief as the field map's ImageOverlay draws it (:func:`yuanluo.maps.interactive.make_map`
    with ``hillshade``): the image of :func:`yuanluo.maps.hillshade.web_hillshade` as the same ``data:`` PNG,
    :func:`yuanluo.maps.hillshade.png_url` (the page's Content-Security-Policy allows ``data:`` images, nothing
    else), its WGS-84 bounds ``b`` and the field map's opacity; ``None`` without a DEM.

    >>> import numpy as np
    >>> z = np.add.outer(np.arange(6.0), np.arange(6.0)) * 5
    >>> s = _hillshade((z, (500000.0, 3300000.0, 500060.0, 3300060.0), "EPSG:32648"))
    >>> s["url"][:22], s["opacity"], [[round(v, 4) for v in c] for c in s["b"]]
    ('data:image/png;base64,', 0.6, [[29.8305, 105.0], [29.831, 105.0006]])
    >>> _hillshade(None) is None
    True
    """
    if dem is None:
        return None
    rgba, bounds = web_hillshade(dem)
    return {"url": png_url(rgba), "b": bounds, "opacity": HILLSHADE_OPACITY}


def _checks(rules: Rules, columns: Iterable[Any], lang: Lang) -> str:
    """The rules the page checks, as its intro lists them: the size band, the levels a unit is kept inside (those
    the household file has: :func:`yuanluo.planners.report.kept_levels`), a candidate head in every unit (two above
    ``heads_for_size``) and natural settlements kept whole where the file has their column, and the walking limit;
    the rules it cannot check for want of a column :func:`_unchecked` says.

    >>> print(_checks(Rules(20, 50, max_walk_min=15.0), ["hid", "village", "group", "head_candidate"], "zh"))
    每院 20–50 户，不跨村、村民小组，每院有院落长候选人，每户步行到议事点或院落中心不超过 15 分钟
    >>> print(_checks(Rules(15, 25, size_by="persons", nest_by=(), heads_for_size=40, keep_settlements=True),
    ...               ["hid", "head_candidate", "settlement"], "en"))
    15–25 persons a unit; a candidate head in every unit, two above 40 persons; natural settlements kept whole
    """
    from yuanluo.gis.rules import resolve_nest_by
    from yuanluo.planners.report import kept_levels

    cols = {str(c) for c in columns}
    what = text("delineate.what.persons" if rules.size_by == "persons" else "delineate.what.households", lang)
    items = [text("editor.rule.size", lang, min=rules.min_size, max=rules.max_size, what=what)]
    if any(c in cols for c in resolve_nest_by(rules.nest_by, cols)):
        items.append(text("editor.rule.nest", lang,
                          levels=text("list.sep", lang).join(kept_levels(rules.nest_by, cols, lang))))
    if rules.require_head and "head_candidate" in cols:
        items.append(text("editor.rule.head", lang) if rules.heads_for_size is None
                     else text("editor.rule.heads", lang, heads=rules.heads_for_size, what=what))
    if rules.keep_settlements and "settlement" in cols:
        items.append(text("editor.rule.settle", lang))
    if rules.max_walk_min is not None:
        items.append(text("editor.rule.walk", lang, walk=_fmt(rules.max_walk_min)))
    return text("editor.rule.sep", lang).join(items)


def _unchecked(rules: Rules, columns: Iterable[Any], lang: Lang, unapplied: Sequence[Problem] | None = None) -> str:
    """The sentence ``yuanluo check`` says of the rules the household file gives no data for (nesting by an absent
    column, whole settlements without a settlement column, heads without a candidate-head column), which the page
    cannot check either; ``""`` when it checks every rule. With ``unapplied`` (the check's RULE-UNAPPLIED warnings
    of the same file, :func:`yuanluo.planners.workflows.rule_columns`) each rule in their words: for a result whose
    delineation found the settlements itself, what the result lacks, as ``check`` says it. What it says to do
    names only what can be done from ``yuanluo edit``'s page (``edit`` has no ``--head-col``: the exported plan
    checked with ``check --head-col``).

    >>> _unchecked(Rules(20, 50, nest_by=(), require_head=False), ["hid"], "en")
    'Not checked: natural settlements kept whole (the household file has no settlement column).'
    >>> _unchecked(Rules(20, 50, nest_by=(), keep_settlements=False, require_head=False), ["hid"], "zh")
    ''
    >>> from yuanluo.gis.catalogue import both
    >>> said = problem("RULE-UNAPPLIED", severity="warning", rule=both("cli.unapplied.settle_found.check"))
    >>> _unchecked(Rules(20, 50), ["hid"], "en", [said])[:72]
    'Not checked: natural settlements kept whole (the household file has no s'
    >>> "划分时已按步行距离自行识别自然院落" in _unchecked(Rules(20, 50), ["hid"], "zh", [said])
    True
    """
    from yuanluo.planners.report import unapplied_rules

    if unapplied is None:
        missing = unapplied_rules(rules, list(columns), lang, head="editor.unapplied.head")  # edit has no --head-col
    else:
        missing = [str(p.params["rule"][lang]) for p in unapplied if p.code == "RULE-UNAPPLIED"]
    return text("cli.unapplied.check", lang, items=text("list.clause_sep", lang).join(missing)) if missing else ""


def render_editor(payload: Mapping[str, Any], *, title: str | None = None) -> str:
    """The editor page: one self-contained HTML text with its Content-Security-Policy."""
    lang = str(payload.get("lang", "zh"))
    head_title = title or payload["t"].get("title", "")
    scripts = [read_asset(rel.split(":", 1)[1]) for _, rel in LEAFLET_JS + LOCATE_JS]
    styles = [read_asset(rel.split(":", 1)[1]) for _, rel in LEAFLET_CSS + LOCATE_CSS] + [read_own_asset("editor.css")]
    lib = f"var K = {script_json({'one': english_one_rule(lang)})};\n" \
        + read_own_asset("yuanluo.js")
    page = "".join([
        '<!DOCTYPE html>\n<html lang="', "zh-CN" if lang == "zh" else "en", '">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>',
        _esc(head_title), "</title>\n",
        *[f"<style>{s}</style>\n" for s in styles],
        "</head>\n<body>\n",
        '<script type="application/json" id="yl-editor-data">', script_json(payload), "</script>\n",
        *[f"<script>{s}</script>\n" for s in scripts],
        f"<script>(function() {{\n{lib}\n}})();</script>\n",
        f"<script>{read_own_asset('editor.js')}</script>\n",
        f"<script>{read_own_asset('editor_ui.js')}</script>\n",
        f"<script>{read_own_asset('editor_gps.js')}</script>\n",
        "</body>\n</html>\n",
    ])
    return add_csp(page, style_attribute_values=[LOCATE_MARKER_STYLE])


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
