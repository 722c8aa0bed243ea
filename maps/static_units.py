"""One A4 sheet per courtyard unit, for its courtyard head (院落长工作单): a multi-page PDF.

Each page (portrait A4) shows one unit: a map of its households (numbered as in the list below), its
territory, the neighbouring units and households faint, the meeting point and the suggested head; the
unit's size against the rule, the meeting point, the suggested head (``units.head_hid``) and the walking
minutes; and the list of its households. The list shows the household id and only these non-personal
columns when present: villager group, settlement, persons, candidate head (:data:`LIST_COLUMNS`) — never a
name, phone or id number: a column recognised as personal by its name or its content (a settlement column
holding mobile numbers; :func:`yuanluo.gis.personal.listed_fields`, the maps' allow-list) is left out unless
named in ``fields`` with ``include_personal``. Up to :data:`MAX_EXTRA` further columns named in ``fields``
(``--fields``) follow them, by the same allow-list, their cells cut with "…" when long; the list's title names
the asked columns beyond those. A unit with more households than fit continues on further pages.

Text is drawn with the bundled CJK font (:func:`yuanluo.maps.static.font_rc`); the PDF carries no creation
date, so the same result gives the same bytes.

Examples
--------
>>> from yuanluo.maps.sample import sample_layers
>>> render_unit_sheets(sample_layers(60, block=4), dpi=50)[:5]
b'%PDF-'
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from yuanluo.gis.catalogue import text
from yuanluo.gis.delineate.reasons import reasons_in
from yuanluo.gis.errors import InputError, OutputError, problem
from yuanluo.gis.output import exists_problem, write_bytes
from yuanluo.gis.personal import listed_fields, warn_print_ids
from yuanluo.maps.interactive import _check_layers
from yuanluo.maps.static import (
    _draw_lines,
    _draw_water,
    _north_arrow,
    _renderer,
    _scale_bar,
    _texts_wh,
    choose_corners,
    cut_fitting,
    draw_credit,
    fit_frame,
    font_rc,
    free_boxes,
    map_frame,
    no_idle_draws,
    place_names,
    sheet_credit,
    sheet_subtitle,
    text_width,
    visible,
    visible_layers,
    wrap_to,
)
from yuanluo.maps.style import EXCEPTION_COLOUR, MEETING_COLOUR, Lang, breaks_rule, label

#: the household columns a sheet lists besides the id (an allow-list: nothing personal can slip in)
LIST_COLUMNS = ("group", "settlement", "persons", "head_candidate")
#: the most columns of the user's ``fields`` (``--fields``) the household list shows after its own ones; each
#: cell of them cut with "…" to :data:`EXTRA_WIDTH` (figure fraction)
MAX_EXTRA, EXTRA_WIDTH = 2, 0.15
#: the list's own columns, never taken for a user's field of that name
_OWN = ("no", "hid", "unit_id", "geometry")
#: the most rows of a column block of the household list: on a unit's first page, and on a continuation page
#: (fewer when the room above the foot of the page is less: :func:`_table`)
ROWS_FIRST, ROWS_MORE = 26, 70
UNIT_COLOUR = "#4e79a7"
#: the unit's own area: a pale sand, not blue, so that it is not read as the legend's blue 水面 (water)
UNIT_AREA_COLOUR, UNIT_AREA_ALPHA = "#e9c46a", 0.35
#: the neighbouring units' areas
OTHER_AREA_COLOUR, OTHER_AREA_ALPHA = "#dddddd", 0.5
HEAD_COLOUR = "#e08214"
#: the map frame on the page (figure fractions)
MAP_RECT = (0.06, 0.50, 0.88, 0.41)


def unit_list(households: pd.DataFrame, unit: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The household list of one unit: ``no`` (1, 2 …), ``hid`` and ``columns`` (by default the :data:`LIST_COLUMNS`
    present that are not personal by name or content, :func:`~yuanluo.gis.personal.listed_fields`), sorted by id.

    Examples
    --------
    >>> hh = pd.DataFrame({"unit_id": ["A", "A", "B"], "persons": [3, 2, 4], "户主姓名": ["x", "y", "z"]},
    ...                   index=pd.Index(["h2", "h1", "h3"], name="hid"))
    >>> unit_list(hh, "A").to_dict("list")
    {'no': [1, 2], 'hid': ['h1', 'h2'], 'persons': [2, 3]}
    """
    mine = households[households["unit_id"].astype("string") == unit]
    cols = listed_fields(households, LIST_COLUMNS)[0] if columns is None else [c for c in columns if c in mine.columns]
    out = pd.DataFrame({"hid": mine.index.astype(str)})
    for c in cols:
        out[c] = mine[c].to_numpy()
    out = out.sort_values("hid", kind="stable").reset_index(drop=True)
    out.insert(0, "no", np.arange(1, len(out) + 1))
    return out


#: line breaks, tabs and other control characters: a cell is one line of its column (a break would shift the rows)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def _cell(x: Any, col: str, lang: Lang) -> str:
    """A list cell as one line of text (control characters as a space).

    >>> _cell("S1\\r=1+1", "settlement", "zh"), _cell(3.0, "persons", "zh")
    ('S1 =1+1', '3')
    """
    if x is None or (isinstance(x, float) and np.isnan(x)) or x is pd.NA:
        return ""
    if col == "head_candidate":
        truth = str(x).strip().lower() in ("1", "true", "yes", "是", "y")
        return text("print.yes", lang) if truth else ""
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return _CONTROL.sub(" ", str(x))


def _unit_record(units: pd.DataFrame, unit: str) -> dict[str, Any]:
    rec = units[units["unit_id"].astype(str) == unit]
    return rec.iloc[0].to_dict() if len(rec) else {"unit_id": unit}


def _facts(rec: Mapping[str, Any], rule: Mapping[str, Any] | None, lang: Lang, candidates: int = 0) -> list[str]:
    """The lines beside the map: size against the rule, meeting point, suggested head, walking minutes, reason."""
    n = rec.get("n_households")
    ok = not breaks_rule(rec.get("status", "ok"), rec.get("code"))  # a locked unit within its rules is ok
    lines = []
    if n is not None and pd.notna(n):
        size = pd.to_numeric(rec.get("size", n), errors="coerce")
        fits = ok if not rule or pd.isna(size) else rule["min"] <= float(size) <= rule["max"]
        verdict = text("print.size_ok" if fits else "print.size_bad", lang)  # an exception may fit (no head)
        if rule:
            lines.append(text("print.unit_size_rule", lang, n=int(n), min=rule["min"], max=rule["max"],
                              verdict=verdict))
        else:
            lines.append(text("print.unit_size", lang, n=int(n), verdict=verdict))
    meet = str(rec.get("meeting_hid") or "").strip()
    lines.append(text("print.meeting", lang, hid=meet) if meet else text("print.no_meeting", lang))
    head = str(rec.get("head_hid") or "").strip()
    if head:
        lines.append(text("print.head", lang, hid=head))
    else:
        lines.append(text("print.head_unset", lang, n=candidates) if candidates else text("print.no_head", lang))
    mean, mx = rec.get("mean_walk_min"), rec.get("max_walk_min")
    if mean is not None and mx is not None and pd.notna(mean) and pd.notna(mx):
        lines.append(text("print.walk", lang, mean=f"{float(mean):.1f}", max=f"{float(mx):.1f}"))
    reason = str(reasons_in(pd.DataFrame([rec]), lang).iloc[0]).strip()  # in the sheet's language
    if not ok and reason and reason not in ("None", "nan"):
        lines.append(text("print.reason", lang, reason=reason))
    return lines


def _draw_unit_map(ax: Any, lyr: Mapping[str, Any], unit: str, rows: pd.DataFrame,
                   lang: Lang) -> tuple[list[Any], list[int]]:
    """The unit's map: neighbours faint, its territory and households (numbered as in the list where the
    numbers fit, :func:`_number_households`), its meeting point and suggested head; returns the legend handles
    and the list numbers left off the map."""
    hh = lyr["households"]
    mine_mask = (hh["unit_id"].astype("string") == unit).fillna(False).to_numpy(dtype=bool)
    mine = hh[mine_mask]
    with no_idle_draws(ax.get_figure()):  # the layers plotted without drawing the whole page after each
        handles, others = _draw_unit_layers(ax, lyr, unit, mine, mine_mask, lang)
    left_out = _number_households(ax, mine, rows, others)
    ax.set_xlabel("")  # geopandas names the axes in English
    ax.set_ylabel("")
    return handles, left_out


def _draw_unit_layers(ax: Any, lyr: Mapping[str, Any], unit: str, mine: Any, mine_mask: np.ndarray,
                      lang: Lang) -> tuple[list[Any], Any]:
    """The layers of a unit's map (:func:`_draw_unit_map`) but its household numbers: the legend handles, and the
    other units' households in the frame."""
    hh = lyr["households"]
    crs = hh.crs
    units = lyr["units"].to_crs(crs) if "units" in lyr else None
    own = units[units["unit_id"].astype(str) == unit] if units is not None else None
    fit_frame(ax, _unit_view(mine, lyr, unit), pad=0.15)
    lyr = _in_view(ax, lyr, crs)
    units = lyr["units"] if "units" in lyr else None
    handles: list[Any] = []
    if units is not None:  # the areas drawn have their legend entries (the own one was read as water)
        units.plot(ax=ax, color=OTHER_AREA_COLOUR, alpha=OTHER_AREA_ALPHA, edgecolor="#999999", linewidth=0.4,
                   zorder=2)
        mine_area = units["unit_id"].astype(str) == unit
        if own is not None and len(own):
            own.plot(ax=ax, color=UNIT_AREA_COLOUR, alpha=UNIT_AREA_ALPHA, edgecolor="#1d3c5e", linewidth=1.2,
                     zorder=3)
            handles.append(Patch(facecolor=UNIT_AREA_COLOUR, alpha=UNIT_AREA_ALPHA, edgecolor="#1d3c5e",
                                 linewidth=1.2, label=text("print.unit_area", lang)))
        if (~mine_area).any():
            handles.append(Patch(facecolor=OTHER_AREA_COLOUR, alpha=OTHER_AREA_ALPHA, edgecolor="#999999",
                                 linewidth=0.4, label=text("print.other_unit_areas", lang)))
    handles += _draw_water(ax, lyr, crs, lang)
    handles += _draw_lines(ax, lyr, crs, lang)
    others = hh[~mine_mask]
    others = others[others.intersects(_view_box(ax))]
    ax.scatter(others.geometry.x, others.geometry.y, s=4, c="#9a9a9a", linewidths=0, zorder=4)
    # above the meeting point's triangle and the head's star (zorder 7): a household at the meeting point (the only
    # household of a unit) stays visible on it
    ax.scatter(mine.geometry.x, mine.geometry.y, s=16, c=UNIT_COLOUR, edgecolors="#1d3c5e", linewidths=0.4,
               zorder=8)
    handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor=UNIT_COLOUR, markeredgecolor="#1d3c5e",
                          label=text("print.unit_households", lang)))
    handles.append(Line2D([], [], marker="o", linestyle="", color="#9a9a9a", label=text("print.other_households", lang)))
    handles += _mark(ax, lyr, unit, mine, lang)
    return handles, others


#: the least width and height of a unit's map (metres): a unit of one household still shows its surroundings
MIN_VIEW_M = 150.0


def _unit_view(mine: Any, lyr: Mapping[str, Any], unit: str) -> np.ndarray:
    """The extent a unit's map shows: its households and meeting point (the territory beyond them is cut off, so
    that the households are drawn as large as the page allows), at least :data:`MIN_VIEW_M` across."""
    b = np.array(mine.total_bounds, dtype=float)
    mp = lyr.get("meeting_points")
    if mp is not None and len(mp):
        pts = mp[mp["unit_id"].astype(str) == unit].to_crs(mine.crs)
        if len(pts):
            b2 = pts.total_bounds
            b = np.r_[np.fmin(b[:2], b2[:2]), np.fmax(b[2:], b2[2:])]
    c = (b[:2] + b[2:]) / 2
    half = np.maximum((b[2:] - b[:2]) / 2, MIN_VIEW_M / 2)
    return np.r_[c - half, c + half]


def _view_box(ax: Any) -> Any:
    from shapely import box

    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    return box(x0, y0, x1, y1)


def _in_view(ax: Any, lyr: Mapping[str, Any], crs: Any) -> dict[str, Any]:
    """The layers cut down to the features in the map frame (a sheet draws one unit's surroundings only)."""
    view = _view_box(ax)
    out = dict(lyr)
    for key in ("units", "water", "rivers", "roads", "boundary"):
        g = lyr.get(key)
        if g is not None and len(g):
            g = g.to_crs(crs)
            out[key] = g.iloc[g.sindex.query(view, predicate="intersects")].sort_index()
    return out


def _mark(ax: Any, lyr: Mapping[str, Any], unit: str, mine: Any, lang: Lang) -> list[Any]:
    """The meeting point (triangle) and the suggested head (star) of the unit."""
    rec = _unit_record(lyr["units"], unit) if "units" in lyr else {}
    out: list[Any] = []
    meet = str(rec.get("meeting_hid") or "")
    mp = lyr.get("meeting_points")
    pts = mp[mp["unit_id"].astype(str) == unit].to_crs(mine.crs) if mp is not None else None
    if (pts is None or not len(pts)) and meet in mine.index:
        pts = mine.loc[[meet]]
    if pts is not None and len(pts):
        ax.scatter(pts.geometry.x, pts.geometry.y, s=90, marker="^", c=MEETING_COLOUR, zorder=7)
        out.append(Line2D([], [], marker="^", linestyle="", color=MEETING_COLOUR, label=label("meeting_points", lang)))
    head = str(rec.get("head_hid") or "")
    if head and head in mine.index:
        p = mine.loc[[head]]
        ax.scatter(p.geometry.x, p.geometry.y, s=140, marker="*", c=HEAD_COLOUR, edgecolors="#222222",
                   linewidths=0.4, zorder=7)
        out.append(Line2D([], [], marker="*", linestyle="", color=HEAD_COLOUR, markersize=10,
                          label=text("print.suggested_head", lang)))
    if breaks_rule(rec.get("status", "ok"), rec.get("code")) and "units" in lyr:
        own = lyr["units"][lyr["units"]["unit_id"].astype(str) == unit].to_crs(mine.crs)
        own.boundary.plot(ax=ax, color=EXCEPTION_COLOUR, linewidth=1.6, linestyle="--", zorder=6)
        out.append(Patch(facecolor="none", edgecolor=EXCEPTION_COLOUR, linestyle="--", label=label("exception", lang)))
    return out


def _number_households(ax: Any, mine: Any, rows: pd.DataFrame, others: Any = None) -> list[int]:
    """Each household's list number right next to its dot (on one of eight sides; a dot under the meeting point's
    or the head's marker just clear of the marker), where the number covers no dot, no marker and no other number,
    so that every number on the map points at one household only; returns the list numbers left out (dense places:
    the sheet names them under the map)."""
    fig = ax.get_figure()
    renderer = _renderer(fig)
    px = fig.dpi / 72.0
    no = dict(zip(rows["hid"], rows["no"], strict=True))
    order = sorted(range(len(mine)), key=lambda i: no.get(str(mine.index[i]), 0))
    xy = ax.transData.transform(np.c_[mine.geometry.x.to_numpy(), mine.geometry.y.to_numpy()]).reshape(-1, 2)
    r = 2.0 * px + 1.0  # the unit's dots (s=16: 4 pt across) and a margin
    blocked = [np.c_[xy - r, xy + r]]
    if others is not None and len(others):
        oxy = ax.transData.transform(np.c_[others.geometry.x.to_numpy(), others.geometry.y.to_numpy()]).reshape(-1, 2)
        blocked.append(np.c_[oxy - 1.5 * px, oxy + 1.5 * px])
    marks = np.empty((0, 2))
    for art in ax.collections:  # the meeting point and head markers (drawn larger, under the unit's dots)
        if art.get_zorder() == 7:
            m = ax.transData.transform(np.asarray(art.get_offsets(), dtype=float)).reshape(-1, 2)
            blocked.append(np.c_[m - 7 * px, m + 7 * px])
            marks = np.vstack([marks, m])
    placed = np.vstack(blocked)
    fb = ax.get_window_extent(renderer)
    dirs = np.array([(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1)], dtype=float)
    left_out: list[int] = []
    numbers = [int(no.get(str(mine.index[i]), 0)) for i in order]
    # each number's size, measured once (a unit's numbers are 1, 2, 3 …): the text only made where it goes
    sizes = dict(zip(dict.fromkeys(numbers), _texts_wh(ax, renderer, [(str(k), 6) for k in dict.fromkeys(numbers)]),
                     strict=True))
    for i, k in zip(order, numbers, strict=True):
        w, h = sizes[k][0] + 1, sizes[k][1]
        # next to the dot; a dot with a marker on it (the household at the meeting point, the head's) also just
        # clear of the marker, which blocks every place next to the dot
        on_mark = bool(len(marks)) and bool((np.abs(marks - xy[i]).max(axis=1) < 7 * px).any())
        c = np.vstack([xy[i] + dirs * np.c_[np.full(8, d + w / 2), np.full(8, d + h / 2)]
                       for d in ((r + 0.5, 7 * px + 1.0) if on_mark else (r + 0.5,))])
        bx = np.c_[c - (w / 2, h / 2), c + (w / 2, h / 2)]
        ok = np.flatnonzero(free_boxes(bx, (fb.x0, fb.y0, fb.x1, fb.y1), placed))
        if not len(ok):
            left_out.append(k)
            continue
        x, y = ax.transData.inverted().transform(c[ok[0]])
        ax.text(x, y, str(k), fontsize=6, ha="center", va="center", zorder=9, color="#111111")
        placed = np.vstack([placed, bx[ok[0]]])
    return sorted(left_out)


def _runs(numbers: list[int], sep: str = ",") -> str:
    """List numbers as runs joined by ``sep``: ``[1, 2, 3, 5]`` → ``"1–3,5"``.

    Examples
    --------
    >>> _runs([1, 2, 3, 5, 7, 8], "、")
    '1–3、5、7–8'
    """
    out: list[str] = []
    for k in sorted(numbers):
        if out and out[-1].split("–")[-1] == str(k - 1):
            out[-1] = out[-1].split("–")[0] + f"–{k}"
        else:
            out.append(str(k))
    return sep.join(out)


#: the lowest a list row may reach (figure fraction): clear of OpenStreetMap's credit at the foot of the sheet
LIST_BOTTOM = 0.035
#: the height of a list row at 7 pt (figure fraction): 3.6 mm, line spacing 1.45
ROW_H = 3.6 / 297.0
#: the sizes (points) the list's rows are drawn at, largest first: a smaller one when the list would not
#: otherwise fit on the page
ROW_PT = (7.0, 6.5, 6.0)
#: the most lines a list cell too long for its column is wrapped over (the last cut short with "…"): a 40-character
#: id whole in the narrow column of two blocks side by side
CELL_LINES = 6


def _wrap_cell(s: str, fits: Callable[[str], bool]) -> list[str]:
    """``s`` broken into lines that each ``fit`` (between any two characters: an id or a Chinese name has no
    spaces to break at), at most :data:`CELL_LINES`, the last cut short with "…" when more is left; each line
    found by halving, so a cell of thousands of characters is measured a few dozen times.

    Examples
    --------
    >>> _wrap_cell("H000001", lambda t: len(t) <= 8), _wrap_cell("户" + "长" * 6, lambda t: len(t) <= 3)
    (['H000001'], ['户长长', '长长长', '长'])
    >>> _wrap_cell("户" + "长" * 99, lambda t: len(t) <= 3)[-2:]
    ['长长长', '长长…']
    """
    lines: list[str] = []
    rest = s
    while rest and not fits(rest) and len(lines) < CELL_LINES - 1:
        lo, hi = 1, len(rest) - 1  # the most characters of rest that fit on a line lie in [lo, hi]
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if fits(rest[:mid]) else (lo, mid - 1)
        lines.append(rest[:lo])
        rest = rest[lo:]
    return [*lines, cut_fitting(rest, fits)]


def _blocks(heights: list[int], n_blocks: int, room: int) -> list[range]:
    """The rows of each block, in order: all rows in at most ``n_blocks`` blocks of at most ``room`` lines (a row
    takes ``heights`` lines), the blocks filled evenly; else as many rows as fit in ``n_blocks`` full blocks.

    Examples
    --------
    >>> _blocks([1, 1, 1, 1], 2, 26), _blocks([1, 3, 1, 1], 2, 26), _blocks([1, 1, 1], 2, 1)
    ([range(0, 2), range(2, 4)], [range(0, 2), range(2, 4)], [range(0, 1), range(1, 2)])
    """
    def fill(cap: int) -> list[range]:
        out: list[range] = []
        i = 0
        while i < len(heights) and len(out) < n_blocks:
            start, used = i, 0
            while i < len(heights) and used + heights[i] <= cap:
                used += heights[i]
                i += 1
            if i == start:  # a row taller than a block: it and the rows after it go on a further page
                break
            out.append(range(start, i))
        return out

    for cap in range(-(-sum(heights) // n_blocks), room + 1):
        blocks = fill(cap)
        if blocks and blocks[-1].stop == len(heights):
            return blocks
    return fill(room)


def _list_shape(n_rows: int, layout: Callable[[int, float], Any], room_for: Callable[[float], int]) -> Any:
    """The household list's shape (:func:`_table`): the first of one block, then two, each at the sizes of
    :data:`ROW_PT` largest first, that holds all ``n_rows`` rows (``layout(n_blocks, pt)``: widths, cell lines, row
    heights; ``room_for(pt)``: lines a block holds), else the shape tried before two blocks that would overlap (the
    user's fields make the list wide), else two of the smallest size; as (widths, lines, heights, blocks, pt)."""
    best: Any = None
    for n_blocks, pt in [(n, pt) for n in (1, 2) for pt in ROW_PT]:
        if n_blocks == 1 and n_rows > room_for(pt):  # more rows than lines: not all in one block of this size
            best = n_blocks, pt  # laid out below only if it is the shape drawn (every cell measured for each)
            continue
        width, lines, heights = layout(n_blocks, pt)
        if n_blocks == 2 and sum(width.values()) > 0.46 + 1e-9 and best is not None:  # two blocks would overlap
            break  # (the user's fields make the list wide): one block, the rest on the pages that follow
        blocks = _blocks(heights, n_blocks, room_for(pt))
        best = width, lines, heights, blocks, pt
        if blocks and blocks[-1].stop == n_rows:
            break
    if len(best) == 2:  # one block of the smallest size, skipped above
        width, lines, heights = layout(*best)
        best = width, lines, heights, _blocks(heights, best[0], room_for(best[1])), best[1]
    return best


def _table(fig: Figure, rows: pd.DataFrame, lang: Lang, *, top: float, per_block: int = ROWS_MORE,
           bottom: float = LIST_BOTTOM) -> int:
    """The household list from ``top`` down to no lower than ``bottom`` (figure fractions), in one block or two
    side by side of at most ``per_block`` lines, filled evenly: all rows when they fit (one block before two,
    rows drawn at the largest size of :data:`ROW_PT` that lets them fit), else as many as fit in two blocks of
    the smallest size; returns how many rows were drawn (the rest go on a further page; none when not even one
    row fits). One text per column (its cells one a line), so the rows line up across columns. Each column is
    as wide as its header and widest cell; when the block is too narrow for them all, the widest column gives
    way and a cell too long for it (a long household id) is wrapped over two or more lines
    (:func:`_wrap_cell`), the other columns' cells followed by blank lines: every cell keeps the list's size."""
    from matplotlib.font_manager import FontProperties

    renderer = _renderer(fig)
    cols = list(rows.columns)
    gap = 0.012
    measured: dict[tuple[str, float], float] = {}

    def wide(s: str, size: float) -> float:
        if (s, size) not in measured:
            measured[s, size] = text_width(renderer, s, FontProperties(size=size)) / fig.bbox.width
        return measured[s, size]

    def extra(c: str) -> bool:  # a column of the user's fields: named by itself, its cells cut to EXTRA_WIDTH
        return c not in LIST_COLUMNS and c not in _OWN

    heads = {c: cut_fitting(_CONTROL.sub(" ", c), lambda s: wide(s, 7.0) <= EXTRA_WIDTH) if extra(c)
             else text(f"print.col_{c}", lang) for c in cols}
    cells = {c: [_cell(v, c, lang) for v in rows[c].tolist()] for c in cols}
    for c in filter(extra, cols):  # at the largest size: the smaller sizes fit too
        cells[c] = [cut_fitting(v, lambda s: wide(s, ROW_PT[0]) <= EXTRA_WIDTH) for v in cells[c]]

    def room_for(pt: float) -> int:  # lines of a block at pt points; the header takes 1.3 rows of 7 pt
        return min(per_block, int((top - 1.3 * ROW_H - bottom) / (ROW_H * pt / 7.0) + 1e-9))

    def layout(n_blocks: int, pt: float) -> tuple[dict[str, float], dict[str, list[list[str]]], list[int]]:
        """The columns' widths, each cell's lines and each row's height (lines) in blocks of ``n_blocks``."""
        room = (0.88 if n_blocks == 1 else 0.44) - gap  # the width a block may take (figure fraction)
        need = {c: max([wide(heads[c], 7.0), *(wide(v, pt) for v in set(cells[c]))]) + gap for c in cols}
        # the widest column gives way when the block is too narrow for all of them
        widest = max(cols, key=lambda c: (need[c], -cols.index(c)))
        others = sum(need[c] for c in cols if c != widest)
        width = dict(need)
        width[widest] = max(min(need[widest], room - others), wide(heads[widest], 7.0) + gap)
        lines = {c: [[v] for v in cells[c]] for c in cols}
        if width[widest] < need[widest]:
            wrapped = {v: _wrap_cell(v, lambda s: wide(s, pt) <= width[widest] - gap) for v in set(cells[widest])}
            lines[widest] = [wrapped[v] for v in cells[widest]]  # a settlement repeats down the list
        heights = [max(len(lines[c][i]) for c in cols) for i in range(len(rows))]
        return width, lines, heights

    width, lines, heights, blocks, pt = _list_shape(len(rows), layout, room_for)
    if not blocks:
        return 0
    for b, block in enumerate(blocks):
        x0 = 0.06 + b * 0.46
        x = x0
        for c in cols:
            fig.text(x, top, heads[c], fontsize=7, va="top")
            body = "\n".join("\n".join(lines[c][i] + [""] * (heights[i] - len(lines[c][i]))) for i in block)
            fig.text(x, top - 1.3 * ROW_H, body, fontsize=pt, va="top", linespacing=1.45)
            x += width[c]
        fig.add_artist(Line2D([x0, x - gap], [top - 1.1 * ROW_H, top - 1.1 * ROW_H], transform=fig.transFigure,
                              color="#555555", linewidth=0.5))
    return blocks[-1].stop


#: the lines the household list's title may take (it names the columns left out), and their spacing
HEAD_LINES = 2
HEAD_SPACING = 1.3


def _list_head(fig: Figure, lang: Lang, n: int, goes_on: tuple[int, int] | None, left_out: Sequence[str],
               not_shown: Sequence[str], max_lines: int = HEAD_LINES) -> str:
    """The household list's title (``n`` households, the numbers ``goes_on`` on the pages that follow, the
    columns ``left_out`` as personal data and ``not_shown`` beyond the extra columns' limit) wrapped within the
    page's margins (:func:`wrap_to`, 9 pt, 0.88 of the width) on at most ``max_lines`` lines: when it needs more,
    the columns are named up to the most that fit, the rest counted ("……另有 3 列")."""
    sep = text("list.sep", lang)
    names = [*left_out, *not_shown]

    def head(k: int) -> str:  # naming the first k of the columns
        s = text("print.household_list", lang, n=n)
        if goes_on is not None:
            s += text("print.list_goes_on", lang, first=goes_on[0], last=goes_on[1])
        for personal, part, before in ((True, left_out, 0), (False, not_shown, len(left_out))):
            if not part:
                continue
            shown = list(part[: max(0, k - before)])
            if len(shown) < len(part):
                shown.append(text("print.list_more_columns", lang, count=len(part) - len(shown)))
            if personal:
                s += text("print.list_left_out", lang, columns=sep.join(shown))
            else:
                s += text("print.list_not_shown", lang, n=MAX_EXTRA, columns=sep.join(shown))
        return wrap_to(fig, s, 9, 0.88)

    def fits(k: int) -> bool:
        return head(k).count("\n") < max_lines

    if fits(len(names)):
        return head(len(names))
    lo, hi = 0, len(names)  # the most names that fit lie in [lo, hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if fits(mid) else (lo, mid)
    return head(lo)


def _pages(lyr: Mapping[str, Any], unit: str, lang: Lang, dpi: int, rules: Any = None,
           osm: bool | str = False, columns: Sequence[str] | None = None, unlisted: Sequence[str] = (), *,
           not_shown: Sequence[str] = (), names: Any = None) -> list[Figure]:
    """The page(s) of one unit (``names``: :func:`yuanluo.maps.static.place_names` of ``lyr``): the map (with the
    data credit ``osm``, :func:`yuanluo.maps.static.sheet_credit`), facts and the first rows
    (household id and ``columns``, :func:`unit_list`; the list's title names the columns ``unlisted`` as personal
    data) above the foot of the page; the rows that do not fit on continuation pages, named in the list's title."""
    from yuanluo.maps.static import sheet_facts

    rows = unit_list(lyr["households"], unit, columns)
    rec = _unit_record(lyr["units"], unit) if "units" in lyr else {"unit_id": unit}
    # its own villages and groups, each village named as over the whole table (as the check names it)
    sub = sheet_subtitle(lyr, lang, rules, groups=True, unit=unit, names=names)
    # the rule and the date: the line's parts drawn from the result, not from the unit's households
    result = {k: v for k, v in lyr.items() if k not in ("households", "units")}
    tail = sheet_subtitle(result, lang, rules)
    keep = len(tail.split(SUB_SEP)) if tail else 0
    fig, cut = _page("print.unit_sheet_title", unit, sub, lang, dpi, keep)
    ax = map_frame(fig, MAP_RECT)
    handles, left_out = _draw_unit_map(ax, lyr, unit, rows, lang)
    arrow, scale = choose_corners(ax, lyr, lyr["households"].crs)
    _scale_bar(ax, lang, scale)
    _north_arrow(ax, lang, arrow)
    draw_credit(fig, lang, osm, 0.06, 0.012)
    leg = fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(MAP_RECT[0], MAP_RECT[1] - 0.005), ncol=4,
                     frameon=False, fontsize=7, borderaxespad=0)
    # the facts under the legend: three rows of it (eleven entries) reach below the facts' usual top
    facts_top = min(0.455, leg.get_window_extent(_renderer(fig)).y0 / fig.bbox.height - 0.006)
    n_cand = sum(_cell(v, "head_candidate", lang) != "" for v in rows.get("head_candidate", pd.Series([])).tolist())
    # the rule from the run table (or rules) alone: not the villages of every household again for each sheet
    facts = _facts(rec, sheet_facts(result, rules)["rule"], lang, candidates=n_cand)
    if cut:  # the title could not hold the whole id: it is the first fact, wrapped as they are
        facts.insert(0, text("sheet.full_id", lang, unit=_CONTROL.sub(" ", unit)))
    if left_out:
        facts.append(text("print.unnumbered", lang, numbers=_runs(left_out, text("list.sep", lang))))
    facts_text = wrap_to(fig, "\n".join(facts), 9, 0.88)
    fig.text(0.06, facts_top, facts_text, fontsize=9, va="top", linespacing=1.5)
    top = facts_top - (facts_text.count("\n") * 1.5 + 2.5) * 9 / 72 / (297 / 25.4)
    left_names = [text(f"print.col_{c}", lang) if c in LIST_COLUMNS else _CONTROL.sub(" ", c) for c in unlisted]
    hidden_names = [_CONTROL.sub(" ", c) for c in not_shown]

    def head_for(goes_on: tuple[int, int] | None, max_lines: int = HEAD_LINES) -> str:
        return _list_head(fig, lang, len(rows), goes_on, left_names, hidden_names, max_lines)

    # the lines the title takes, whether or not the list goes on (a continuation's numbers are no wider than
    # len(rows)'s): the list starts below them
    n_lines = max(head_for(None).count("\n"), head_for((len(rows), len(rows))).count("\n") if len(rows) else 0) + 1
    line_h = HEAD_SPACING * 9 / 72 / (297 / 25.4)
    start = _table(fig, rows, lang, top=top - 0.022 - (n_lines - 1) * line_h, per_block=ROWS_FIRST)
    head = head_for((start + 1, len(rows)) if start < len(rows) else None, n_lines)
    fig.text(0.06, top, head, fontsize=9, va="top", linespacing=HEAD_SPACING)
    pages = [fig]
    while start < len(rows):
        more, cut = _page("print.unit_sheet_more", unit, sub, lang, dpi, keep)
        top = 0.90
        if cut:  # the whole id under the title's line, the list below it
            full = wrap_to(more, text("sheet.full_id", lang, unit=_CONTROL.sub(" ", unit)), 9, 0.88)
            more.text(0.06, 0.925, full, fontsize=9, va="top", linespacing=1.3)
            top = min(top, 0.925 - (full.count("\n") + 1) * 1.3 * 9 / 72 / (297 / 25.4) - 0.012)
        start += _table(more, rows.iloc[start:], lang, top=top, per_block=ROWS_MORE)
        pages.append(more)
    return pages


#: the width the title of a sheet may take (figure fraction): from the left margin to the stamp
TITLE_WIDTH = 0.70
#: how :func:`yuanluo.maps.static.sheet_subtitle` joins the parts of the line under the title
SUB_SEP = "  ·  "


def _subtitle_line(fig: Figure, sub: str, keep: int, size: float = 8.0, width: float = 0.88) -> str:
    """The line under the title (``sub``: village, group, rule, date joined by :data:`SUB_SEP`) no wider than
    ``width`` (figure fraction) at ``size`` points: when too wide, its first parts (a long village name, a list
    of groups) are cut short with "…", the widest first, down to no wider than the others; the last ``keep``
    parts (the rule and the date) whole, unless even "…" for each first part leaves no room for them: then the
    rule is cut too, never the date (the last part)."""
    from matplotlib.font_manager import FontProperties

    renderer = _renderer(fig)
    prop = FontProperties(size=size)
    # 1 % kept free: the renderer's hinted widths at a low resolution (a 50-dpi sheet) fall a few points short of
    # the PDF's, and a line measured to fit to the point ran past the right margin (an English rule line of
    # straight quotes, session 42)
    limit = 0.99 * width * fig.bbox.width
    measured: dict[str, float] = {}

    def wide(s: str) -> float:
        if s not in measured:
            measured[s] = text_width(renderer, s, prop)
        return measured[s]

    if wide(sub) <= limit:
        return sub
    parts = sub.split(SUB_SEP)
    line = sub
    for n_cut in dict.fromkeys((len(parts) - keep, len(parts) - 1)):  # the parts that may be cut: the first n_cut
        if n_cut <= 0:
            continue

        def capped(cap: float, n: int = n_cut) -> str:  # each of the first n parts no wider than cap
            return SUB_SEP.join([cut_fitting(p, lambda s: wide(s) <= cap) if i < n else p
                                 for i, p in enumerate(parts)])

        line = capped(0.0)
        if wide(line) > limit:
            continue
        lo, hi = 0.0, max(wide(p) for p in parts[:n_cut])  # the widest cap whose line fits lies in [lo, hi]
        while hi - lo > 1.0:  # to a pixel
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if wide(capped(mid)) <= limit else (lo, mid)
        return capped(lo)
    return line


def _page(key: str, unit: str, sub: str, lang: Lang, dpi: int, keep: int = 0) -> tuple[Figure, bool]:
    """A blank portrait A4 page with the title (the catalogue text ``key`` naming ``unit``; a unit id too long for
    the line is cut short with "…", so that it neither runs under the stamp and off the page nor hides the rest of
    the title), the line under it (village, group, rule, date: :func:`_subtitle_line`, its last ``keep`` parts kept
    whole) and the stamp; and whether the id was cut (the page then gives the whole id on a line of its own,
    :func:`_pages`: two ids that differ only at the end, such as 巴南区二圣镇集体村第三村民小组第一院落 and
    …第二院落, would otherwise give two sheets alike)."""
    from matplotlib.font_manager import FontProperties

    fig = Figure(figsize=(210 / 25.4, 297 / 25.4), dpi=dpi)
    renderer = _renderer(fig)
    prop = FontProperties(size=15)

    def fits(u: str) -> bool:
        return bool(text_width(renderer, text(key, lang, unit=u), prop) <= TITLE_WIDTH * fig.bbox.width)

    whole = _CONTROL.sub(" ", unit)
    shown = cut_fitting(whole, fits)
    fig.text(0.06, 0.965, text(key, lang, unit=shown), fontsize=15, va="center")
    if sub:
        fig.text(0.06, 0.94, _subtitle_line(fig, _CONTROL.sub(" ", sub), keep), fontsize=8, va="center",
                 color="#333333")
    fig.text(0.94, 0.965, text("print.stamp", lang), fontsize=10, color="#b00000", ha="right", va="center",
             bbox={"boxstyle": "square,pad=0.3", "facecolor": "white", "edgecolor": "#b00000"})
    return fig, shown != whole


def render_unit_sheets(layers: Mapping[str, Any], *, lang: Lang = "zh", dpi: int = 150,
                       units: list[str] | None = None, rules: Any = None, osm_attribution: bool = False,
                       progress: Callable[[int, int], None] | None = None, fields: Sequence[str] = (),
                       include_personal: bool = False, credit: str | None = None) -> bytes:
    """The PDF bytes of one sheet per unit (all units in id order, or those in ``units``); ``rules`` names the rule
    when the layers carry no ``run`` table; ``osm_attribution`` prints OpenStreetMap's credit under each map, the data
    credit ``credit`` its own text on one line (OpenStreetMap's credit when it names OpenStreetMap);
    ``progress`` is called with (sheets done, sheets in all) as each unit's sheet is done. The household list
    leaves out a :data:`LIST_COLUMNS` column recognised as personal by name or content unless ``fields`` names it
    and ``include_personal`` is set (as ``--fields`` / ``--include-personal`` for the maps), and says so in its
    title; it adds up to :data:`MAX_EXTRA` other columns named in ``fields``, by the same rule.

    Raises
    ------
    InputError
        ``MAP-NO-LAYERS`` without households, ``MAP-COLUMN`` without their ``unit_id``.
    """
    from matplotlib import rc_context
    from matplotlib.backends.backend_pdf import PdfPages

    lyr = visible_layers(_check_layers(layers))  # a name's variation selector or zero-width joiner not drawn
    hh = lyr.get("households")
    if hh is None:
        raise InputError(problem("MAP-NO-LAYERS", names=", ".join(sorted(layers))))
    if "unit_id" not in hh.columns:
        raise InputError(problem("MAP-COLUMN", layer="households", column="unit_id"))
    # the list's own columns, then up to MAX_EXTRA of the user's fields (--fields), by the maps' allow-list: a
    # personal one only with include_personal; the fields beyond those named in the list's title
    asked = [str(f) for f in dict.fromkeys(fields) if str(f) in hh.columns and str(f) not in (*LIST_COLUMNS, *_OWN)]
    columns, unlisted = listed_fields(hh, [*LIST_COLUMNS, *asked], fields, include_personal=include_personal)
    extras = [c for c in columns if c in asked]
    not_shown = extras[MAX_EXTRA:]
    columns = [c for c in columns if c not in not_shown]
    warn_print_ids(hh)  # ids that are id-card or phone numbers: ID-PERSONAL, as map says
    ids = sorted(set(hh["unit_id"].dropna().astype(str)) - {""})
    if units is not None:
        wanted = {visible(str(v)) for v in units}  # as the layers' ids are drawn
        ids = [u for u in ids if u in wanted]
    foot = sheet_credit(osm_attribution, credit)
    names = place_names(lyr)  # once: the villages as the check names them, for every unit's line under its title
    buf = io.BytesIO()
    meta = {"Creator": "yuanluo yuanluo.maps.static_units", "CreationDate": None}
    # cast: matplotlib's stubs want its literal key names, which mypy sees only over the whole tree
    with rc_context(cast(Any, font_rc())), PdfPages(buf, metadata=meta) as pdf:
        for done, unit in enumerate(ids, 1):
            for fig in _pages(lyr, unit, lang, dpi, rules, foot, columns, list(unlisted),
                              not_shown=not_shown, names=names):
                pdf.savefig(fig)
            if progress is not None:
                progress(done, len(ids))
    return buf.getvalue()


def write_unit_sheets(layers: Mapping[str, Any], path: str | os.PathLike[str], *, lang: Lang = "zh",
                      overwrite: bool = False, fields: Sequence[str] = (), include_personal: bool = False) -> Path:
    """Write :func:`render_unit_sheets` to ``path`` (a ``.pdf``; ``OUT-EXISTS`` unless ``overwrite``)."""
    target = Path(path)
    if target.suffix.lower() != ".pdf":
        raise OutputError(problem("MAP-PRINT-FORMAT", detail=target.name))
    if target.exists() and not overwrite:
        raise OutputError(exists_problem([target]))
    write_bytes(target, render_unit_sheets(layers, lang=lang, fields=fields,
                                                 include_personal=include_personal), overwrite=True)
    return target
