"""The coverage print map: households by walking band and service points by level on one A4 or A3 sheet (PNG/PDF).

The sheet of :mod:`yuanluo.maps.static` with the coverage layers of :mod:`yuanluo.maps.coverage`: drawn in the
layers' projected CRS (exact scale bar, grid north up) with the bundled CJK font only (the same input gives the same
bytes on every machine); households coloured by the bands of :data:`~yuanluo.maps.coverage.BAND_EDGES`, those too
far or out of reach larger, ringed and on top; service points with the symbol of their level; rivers, roads and
boundary; legend with the count per band, scale bar, north arrow, title, the stamp "内部工作用图" and a summary line.
Texts come from the catalogue (``covermap.*``, ``print.*`` and the shared map labels).

Examples
--------
>>> import geopandas as gpd, tempfile, pathlib
>>> hh = gpd.GeoDataFrame({"hid": ["H1", "H2"], "hub_id": ["P001", None], "walk_min": [2.0, float("nan")]},
...     geometry=gpd.points_from_xy([500000, 500400], [3300000, 3300100]), crs="EPSG:32648")
>>> hubs = gpd.GeoDataFrame({"hub_id": ["P001"], "level": ["village"]},
...     geometry=gpd.points_from_xy([500000], [3300000]), crs="EPSG:32648")
>>> out = pathlib.Path(tempfile.mkdtemp()) / "cover.png"
>>> print_cover_map({"households": hh, "hubs": hubs}, out, dpi=40).name
'cover.png'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from yuanluo.gis.catalogue import text
from yuanluo.gis.errors import OutputError, problem
from yuanluo.maps.coverage import (
    HUB_COLOURS,
    HUB_LEVELS,
    _limit,
    band_codes,
    band_colours,
    band_edges,
    band_labels,
    check_cover_layers,
    cover_text,
    level_label,
    served_villages,
    serves_text,
)
from yuanluo.maps.static import (
    ARROW_BOX,
    FRAME,
    KEY_RINGS,
    LABEL_BOX,
    LABEL_RINGS,
    PAPER_MM,
    SCALE_BOX,
    _draw_lines,
    _draw_water,
    _fig_text_width,
    _north_arrow,
    _renderer,
    _scale_bar,
    _texts_wh,
    choose_corners,
    corner_box,
    crs_text,
    cut_fitting,
    draw_credit,
    figure_bytes,
    fit_frame,
    font_rc,
    glyph_problems,
    map_frame,
    place_labels,
    sheet_credit,
    wrap_to,
    write_print,
)
from yuanluo.maps.style import Lang, label

#: matplotlib markers of the service-point levels (the same shapes as the HTML map's symbols)
HUB_MARKERS: dict[str, str] = {"village": "*", "group": "D", "hub": "s", "mobile": "^", "fixed": "p", "left_out": "X"}
#: the legend's width besides its labels, in font sizes: marker 2, gap 0.8, padding 2 × 0.4, frame and spare 0.6
LEGEND_EM = 4.2


def print_cover_map(
    layers: Mapping[str, Any],
    path: str | os.PathLike[str],
    *,
    paper: Literal["A4", "A3"] = "A4",
    lang: Lang = "zh",
    title: str | None = None,
    dpi: int = 150,
    limit_min: float | None = None,
    overwrite: bool = False,
) -> Path:
    """Draw the coverage of a service-point run on one landscape sheet; PNG or PDF by the file suffix.

    Parameters
    ----------
    layers : mapping of str to GeoDataFrame
        As for :func:`yuanluo.maps.coverage.make_cover_map` (``households`` with ``walk_min``, ``hubs``; optional
        ``rivers``, ``roads``, ``boundary``, ``run``), in projected CRSs (the households' CRS is used).
    path : path-like
        ``*.png`` or ``*.pdf``; written atomically.
    paper : {"A4", "A3"}
        Landscape A4 (297 x 210 mm) or A3 (420 x 297 mm).
    lang : {"zh", "en"}
    title : str, optional
        Default "服务点步行覆盖图" / "Walking coverage of service points".
    dpi : int
        Resolution of a PNG.
    limit_min : float, optional
        The walking limit of the summary's share (default: the ``run`` layer's ``limit_min``, else 15).
    overwrite : bool
        Replace an existing file (otherwise ``OUT-EXISTS``).

    Returns
    -------
    Path
        The written file.
    """
    return write_print(path, paper, overwrite, lambda fmt: render_print_cover_map(
        layers, fmt=fmt, paper=paper, lang=lang, title=title, dpi=dpi, limit_min=limit_min))


def cover_glyph_problems(layers: Mapping[str, Any], *, title: str | None = None, credit: str | None = None,
                         osm_attribution: bool = False, lang: Lang = "zh") -> list[Any]:
    """``PRINT-GLYPH`` (a warning, :func:`yuanluo.maps.static.glyph_problems`) when a text the coverage print map
    draws from the data or the options has characters no font draws, as ``map`` says it of its print map: the
    villages and villager groups (the key of what each point serves), the points' labels (:func:`_hub_texts`: a
    name the candidates or fixed points gave), the ``title`` and the data ``credit`` at its foot (as
    :func:`~yuanluo.maps.static.draw_credit` draws it on a sheet in ``lang``; OpenStreetMap's, with
    ``osm_attribution`` and no credit, in the catalogue's words). None otherwise.

    Examples
    --------
    >>> import pandas as pd
    >>> hh = pd.DataFrame({"village": ["\U00020000家村", "李家塆村"], "group": ["1组", "1组"]})
    >>> hubs = pd.DataFrame({"hub_id": ["P001", "P002"], "name": ["院坝\U0001F3E0", None]})
    >>> [p.params["texts"] for p in cover_glyph_problems({"households": hh, "hubs": hubs})]
    ['“院坝\U0001f3e0” (\U0001f3e0); “\U00020000家村” (\U00020000)']
    >>> cover_glyph_problems({"households": hh.iloc[1:], "hubs": hubs.iloc[1:]})
    []
    >>> [p.params["texts"] for p in cover_glyph_problems({"households": hh.iloc[1:]}, credit="测绘院 \U0001F3E0")]
    ['“测绘院 \U0001f3e0” (\U0001f3e0)']
    """
    hh = layers.get("households")
    drawn: dict[str, Any] = {}
    if hh is not None:  # the villages and groups alone: the sheet draws no household's id, unit or settlement
        drawn["households"] = pd.DataFrame({c: hh[c] for c in ("village", "group") if c in hh.columns})
    hubs = layers.get("hubs")
    if hubs is not None and len(hubs) and len(hubs) <= MAX_LABELS:  # the points' labels stand as units' ids do
        drawn["units"] = pd.DataFrame({"unit_id": _hub_texts(hubs)})
    return glyph_problems(drawn, title=title, html_option="--map",  # cover writes its web map with --map
                          credit=credit, osm_attribution=osm_attribution, lang=lang)


def render_print_cover_map(
    layers: Mapping[str, Any],
    *,
    fmt: Literal["png", "pdf"] | str = "png",
    paper: Literal["A4", "A3"] | str = "A4",
    lang: Lang = "zh",
    title: str | None = None,
    dpi: int = 150,
    limit_min: float | None = None,
    osm_attribution: bool = False,
    credit: str | None = None,
) -> bytes:
    """The bytes of a coverage print map (PNG or PDF), as :func:`print_cover_map` would write them;
    ``osm_attribution`` prints OpenStreetMap's credit (drawn from OSM data, as the bundled sample is), ``credit``
    the data credit's own text on one line (OpenStreetMap's credit when it names OpenStreetMap)."""
    if fmt not in ("png", "pdf") or paper not in PAPER_MM:
        raise OutputError(problem("MAP-PRINT-FORMAT", detail=f"{fmt}, {paper}"))
    rc = font_rc()
    lyr = check_cover_layers(layers)
    return figure_bytes(lambda: _draw(lyr, paper=paper, lang=lang, title=title, dpi=dpi, limit=_limit(lyr, limit_min),
                                      osm=sheet_credit(osm_attribution, credit)),
                        rc, fmt=fmt, dpi=dpi, software="yuanluo yuanluo.maps.static_cover")


def _draw(lyr: Mapping[str, Any], *, paper: str, lang: Lang, title: str | None, dpi: int, limit: float,
          osm: bool | str = False) -> Figure:
    """The whole sheet: map frame with its layers, legend, scale bar, north arrow, title, stamp, summary."""
    w_mm, h_mm = PAPER_MM[paper]
    fig = Figure(figsize=(w_mm / 25.4, h_mm / 25.4), dpi=dpi)
    ax = map_frame(fig, FRAME)
    hh = lyr["households"]
    crs = hh.crs
    fit_frame(ax, hh.total_bounds)
    handles = _draw_water(ax, lyr, crs, lang) + _draw_lines(ax, lyr, crs, lang)
    band_handles, served = _draw_bands(ax, hh, lang, limit)
    handles = band_handles + _draw_hubs(ax, lyr, crs, lang) + _draw_left_out(ax, lyr, crs, lang) + handles
    right = FRAME[0] + FRAME[2] + 0.02
    # the labels broken to the room between the map and the sheet's edge, less the legend's marker and padding
    room = 0.97 - right - LEGEND_EM * 8 / 72 / fig.get_figwidth()
    for h in handles:
        h.set_label(wrap_to(fig, str(h.get_label()), 8, room))
    leg = fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(right, FRAME[1] + FRAME[3]), frameon=True,
                     fontsize=8, title=label("legend", lang), title_fontsize=9, borderaxespad=0)
    leg.set_zorder(30)
    ax.set_xlabel("")  # geopandas names the axes in English
    ax.set_ylabel("")
    arrow, scale = choose_corners(ax, {"households": hh}, crs)
    _scale_bar(ax, lang, scale)
    _north_arrow(ax, lang, arrow)
    shown = _draw_hub_labels(ax, lyr, crs, avoid=[corner_box(arrow, ARROW_BOX), corner_box(scale, SCALE_BOX)])
    fig.text(0.03, 0.955, title or cover_text("title", lang), fontsize=16, va="center")
    fig.text(0.97, 0.955, text("print.stamp", lang), fontsize=12, color="#b00000", ha="right", va="center",
             bbox={"boxstyle": "square,pad=0.3", "facecolor": "white", "edgecolor": "#b00000"})
    n_hubs = len(lyr["hubs"]) if "hubs" in lyr else 0
    share = f"{100.0 * served / len(hh):.1f}" if len(hh) else "0"
    lines = [cover_text("summary", lang, limit=f"{limit:g}", served=served, total=len(hh), share=share),
             cover_text("print_summary", lang, points=n_hubs, households=len(hh), crs=crs_text(crs, lang, labelled=False))]
    notes = fig.text(right, FRAME[1], wrap_to(fig, "\n".join(lines), 7, 0.97 - right), fontsize=7, va="bottom")
    _draw_serves_key(fig, lyr, shown, lang, leg, notes, right)
    draw_credit(fig, lang, osm)
    return fig


def _draw_left_out(ax: Any, lyr: Mapping[str, Any], crs: Any, lang: Lang) -> list[Any]:
    """The given points left out (``sites_left_out``) that fall inside the frame, as grey crosses with their
    name; one legend entry. Those outside it (often a point in a wrong coordinate system) are named in the
    console and the report only: drawn, they would shrink the village to a dot."""
    if "sites_left_out" not in lyr or not len(lyr["sites_left_out"]):
        return []
    pts = lyr["sites_left_out"].to_crs(crs)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    x, y = pts.geometry.x.to_numpy(), pts.geometry.y.to_numpy()
    inside = np.isfinite(x) & np.isfinite(y) & (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)
    if not inside.any():
        return []
    ax.scatter(x[inside], y[inside], s=60, marker=HUB_MARKERS["left_out"], c=HUB_COLOURS["left_out"],
               edgecolors="white", linewidths=0.6, zorder=8)
    names = pts["site"].astype("string").fillna("").to_numpy(dtype=object) if "site" in pts else [""] * len(pts)
    for px, py, name in zip(x[inside], y[inside], np.asarray(names, dtype=object)[inside], strict=True):
        ax.annotate(str(name)[:20], (px, py), xytext=(5, -9), textcoords="offset points", fontsize=6, zorder=9,
                    color="#555555")
    return [Line2D([], [], marker=HUB_MARKERS["left_out"], linestyle="", markerfacecolor=HUB_COLOURS["left_out"],
                   markeredgecolor="white", markersize=8, label=level_label("left_out", lang))]


def dot_sizes(n: int) -> tuple[float, float, float, float]:
    """The household dots for ``n`` households, in points: the near dot's area (``scatter``'s ``s``) and edge
    width, the far dot's area and the width of the dark ring drawn under it. The rings and edges scale with the
    dot, so the fill keeps its colour at any count (a fixed 0.9 pt edge covered a 1 pt dot whole at 10,000
    households); the far and unreachable dots are at least 2.6 pt across, so they stand out in a town.

    >>> [round(v, 2) for v in dot_sizes(10_000)]
    [0.5, 0.0, 7.0, 0.32]
    >>> [round(v, 2) for v in dot_sizes(300)]
    [12.0, 0.2, 26.4, 0.45]
    """
    near = float(np.clip(4000.0 / max(n, 1), 0.5, 12.0))
    far = max(2.2 * near, 7.0)
    near_edge = 0.0 if np.sqrt(near) < 2.0 else min(0.2, 0.08 * float(np.sqrt(near)))
    return near, near_edge, far, min(0.45, 0.12 * float(np.sqrt(far)))


def _draw_bands(ax: Any, hh: Any, lang: Lang, limit: float) -> tuple[list[Any], int]:
    """Households as dots in their band's colour, the far and unreachable ones larger, ringed and on top; the
    legend entries (with counts) and the number within ``limit`` minutes. A far dot's ring is a dark dot drawn
    under its fill, so where they crowd the fills, not the rings, are what shows."""
    band = band_codes(hh["walk_min"], hh["code"] if "code" in hh else None, limit)  # the limit is a band
    x, y = hh.geometry.x.to_numpy(), hh.geometry.y.to_numpy()
    size, edge, big_size, ring = dot_sizes(len(hh))
    far = len(band_edges(limit))
    handles: list[Any] = []
    for k, (name, colour) in enumerate(zip(band_labels(lang, limit), band_colours(limit), strict=True)):
        sel = band == k
        big = k >= far
        if sel.any() and big:
            ax.scatter(x[sel], y[sel], s=(np.sqrt(big_size) + 2 * ring) ** 2, c="#000000", linewidths=0, zorder=6)
            ax.scatter(x[sel], y[sel], s=big_size, c=colour, linewidths=0, zorder=6)
        elif sel.any():
            ax.scatter(x[sel], y[sel], s=size, c=colour, edgecolors="#333333", linewidths=edge, zorder=4)
        handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor=colour,
                              markeredgecolor="#000000" if big else "#333333", markersize=7 if big else 5,
                              label=cover_text("count", lang, label=name, count=int(sel.sum()))))
    w = pd.to_numeric(hh["walk_min"], errors="coerce").to_numpy(dtype=float)
    served = int(np.sum(np.isfinite(w) & (w <= limit) & (band <= far)))
    return handles, served


def _draw_hubs(ax: Any, lyr: Mapping[str, Any], crs: Any, lang: Lang) -> list[Any]:
    """Service points with their level's marker and colour, labelled with the name the candidates or fixed points
    gave them (``name``), else their id; one legend entry per level."""
    if "hubs" not in lyr:
        return []
    hubs = lyr["hubs"].to_crs(crs).sort_values("hub_id", kind="stable")
    level = hubs["level"].astype("string").fillna("") if "level" in hubs else pd.Series("", index=hubs.index)
    levels = [*[v for v in HUB_LEVELS if v in set(level)], *sorted(set(level) - set(HUB_LEVELS))]
    handles: list[Any] = []
    for v in levels:
        sel = (level == v).to_numpy()
        marker, colour = HUB_MARKERS.get(v, "o"), HUB_COLOURS.get(v, "#000000")
        ms = 16.0 if marker == "*" else 11.0
        ax.scatter(hubs.geometry.x[sel], hubs.geometry.y[sel], s=ms**2 / 2, marker=marker, c=colour,
                   edgecolors="white", linewidths=0.8, zorder=8)
        handles.append(Line2D([], [], marker=marker, linestyle="", markerfacecolor=colour, markeredgecolor="white",
                              markersize=ms * 0.7, label=level_label(v, lang)))
    return handles


#: the most service points labelled on the map (and listed in the key of the groups they serve)
MAX_LABELS = 200
#: the font sizes (points) of the hub labels, tried in turn where a label finds no room
HUB_FONTS = (6.0, 5.0)
#: the font sizes (points) tried for the key of the villages and groups the points serve, largest first
SERVES_FONTS = (7.5, 7.0, 6.5, 6.0)
#: the key's line pitch, in font sizes: a little more than a line of Chinese, so that the lines do not touch
SERVES_LINE = 1.6


def serves_parts(hubs: Any, households: Any = None, lang: Lang = "zh") -> list[tuple[str, str]]:
    """What each point serves (:func:`~yuanluo.maps.coverage.serves_text`) as the part the print map's key may cut
    and the part it keeps: a villager group written after its village ("甲村 一组") keeps the group and may cut the
    village (the group is what tells the points of one village apart); any other text may be cut at its end. A point
    whose ``households`` belong to several villages (:func:`~yuanluo.maps.coverage.served_villages`, a row under
    each in the report) is said by its main village, with its groups, and how many other villages it serves, kept
    whole: "乙村 1组、2组 及另外 1 个村"; its main village is the one the hubs layer names (what it was sited for, or
    the village most of its households belong to), else the one most of them belong to (the first in the roster of
    those tied).

    Examples
    --------
    >>> import pandas as pd
    >>> serves_parts(pd.DataFrame({"village": ["甲村", "V1", "甲村、乙村", None], "group": ["一组", "V1-G2", "甲村 1组、乙村 1组", None]}))
    [('甲村', ' 一组'), ('V1-G2', ''), ('甲村 1组、乙村 1组', ''), ('', '')]
    >>> hh = pd.DataFrame({"village": ["甲村", "乙村", "乙村"], "group": ["1组", "1组", "2组"], "hub_id": ["P1"] * 3})
    >>> hubs = pd.DataFrame({"hub_id": ["P1"], "village": ["乙村"], "group": ["1组、2组"]})
    >>> serves_parts(hubs, hh, "zh"), serves_parts(hubs, hh, "en")
    ([('乙村 1组、2组', ' 及另外 1 个村')], [('乙村 1组, 2组', ' and 1 other village')])
    """
    def col(name: str) -> list[str]:
        if name not in hubs:
            return [""] * len(hubs)
        return [str(v).strip() for v in hubs[name].astype("string").fillna("")]

    split = served_villages(households, lang)
    out = []
    for h, text_, v, g in zip(col("hub_id"), serves_text(hubs), col("village"), col("group"), strict=True):
        if h in split:
            named = [row for row in split[h] if row[0] == v]
            main = (named or [max(split[h], key=lambda row: row[2])])[0][1]  # the first of those tied: the roster's
            said = cover_text("serves_others", lang, serves=main, more=len(split[h]) - 1)
            out.append((main, said[len(main):]) if said.startswith(main) else (said, ""))
        elif v and g and text_ == f"{v} {g}":
            out.append((v, f" {g}"))
        else:
            out.append((text_, ""))
    return out


def _hub_texts(hubs: Any) -> list[str]:
    """Each point's label: the name the candidates or fixed points gave it (``name``; a longer one than 20
    characters cut to 19 and "…"), else its id.

    >>> import pandas as pd
    >>> _hub_texts(pd.DataFrame({"hub_id": ["P1", "P2"], "name": ["村委会" * 10, None]}))
    ['村委会村委会村委会村委会村委会村委会村…', 'P2']
    """
    ids = hubs["hub_id"].astype(str)
    if "name" in hubs:
        given = hubs["name"].astype("string").str.strip()
        ids = given.where(given.notna() & (given != ""), ids).astype(str)
    return [str(v) if len(str(v)) <= 20 else str(v)[:19] + "…" for v in ids]


def _draw_hub_labels(ax: Any, lyr: Mapping[str, Any], crs: Any,
                     avoid: Any = ()) -> list[tuple[str, str]]:
    """The points' labels (:func:`_hub_texts`), placed as the unit labels of :mod:`yuanluo.maps.static` are
    (:func:`~yuanluo.maps.static.place_labels`): right of the point's marker when there is room, else moved aside with a
    leader line to it, else smaller and further, never over another label, a point's marker, the north arrow or
    the scale bar; a label that finds no room at all goes on its point (none did at 88 points among 10,000
    households). Returns (hub id, label) of each point labelled, in id order (none over :data:`MAX_LABELS`)."""
    if "hubs" not in lyr or not len(lyr["hubs"]) or len(lyr["hubs"]) > MAX_LABELS:
        return []
    hubs = lyr["hubs"].to_crs(crs).sort_values("hub_id", kind="stable")
    hubs = hubs[~(hubs.geometry.isna() | hubs.geometry.is_empty)]
    fig = ax.get_figure()
    renderer = _renderer(fig)
    texts = _hub_texts(hubs)
    px = fig.dpi / 72.0
    xy = ax.transData.transform(np.c_[hubs.geometry.x.to_numpy(), hubs.geometry.y.to_numpy()]).reshape(-1, 2)
    half = 0.5 * 0.7 * 11.0 * px  # a marker's half side (the diamond; the star's arms may be covered)
    markers = np.c_[xy - half, xy + half]
    corners = np.array([ax.transAxes.transform([(q[0], q[1]), (q[2], q[3])]).ravel() for q in avoid]).reshape(-1, 4)
    fb = ax.get_window_extent(renderer)
    frame = (fb.x0, fb.y0, fb.x1, fb.y1)
    n = len(texts)
    centres, font, size = np.full((n, 2), np.nan), np.zeros(n), np.zeros((n, 2))
    placed = np.empty((0, 4))
    for fs, rings in ((HUB_FONTS[0], LABEL_RINGS), (HUB_FONTS[0], KEY_RINGS), (HUB_FONTS[1], KEY_RINGS)):
        todo = np.flatnonzero(np.isnan(centres[:, 0]))
        if not len(todo):
            break
        pad = 0.25 * fs * px
        wh = _texts_wh(ax, renderer, [(texts[i], fs) for i in todo]) + 2 * pad  # one text given each in turn
        beside = xy[todo] + np.c_[wh[:, 0] / 2 + half + 1.5 * px, np.zeros(len(todo))]  # right of its marker
        c = place_labels(wh, beside, frame, np.vstack([corners, markers, placed]), rings=rings)
        ok = ~np.isnan(c[:, 0])
        centres[todo[ok]], font[todo[ok]], size[todo[ok]] = c[ok], fs, wh[ok]
        placed = np.vstack([placed, np.c_[c[ok] - wh[ok] / 2, c[ok] + wh[ok] / 2]])
    crowded = np.isnan(centres[:, 0])
    centres[crowded], font[crowded] = xy[crowded], HUB_FONTS[1]
    inv = ax.transData.inverted()
    for hid, s, a, c, fs, wh in zip(hubs["hub_id"].astype(str), texts, xy, centres, font, size, strict=True):
        x, y = inv.transform(c)
        t = ax.text(x, y, s, ha="center", va="center", fontsize=fs, zorder=9, bbox=LABEL_BOX)
        t.set_gid(f"hub-label {hid}")
        gap = np.maximum(np.abs(c - a) - wh / 2, 0.0)  # from the point to the label's box
        if np.hypot(*gap) > half + 4 * px:  # moved away from its point: a leader line to it
            x0, y0 = inv.transform(a)
            ax.plot([x0, x], [y0, y], color="#444444", linewidth=0.5, zorder=8.5)
    return list(zip(hubs["hub_id"].astype(str), texts, strict=True))


def _draw_serves_key(fig: Figure, lyr: Mapping[str, Any], shown: list[tuple[str, str]], lang: Lang, legend: Any,
                     notes: Any, x0: float) -> None:
    """Under the legend, the village or group each labelled point serves ("P012 V002-G3"), in columns, down then
    across, at the largest of :data:`SERVES_FONTS` that fits between the legend and the notes (a line longer than
    the column, a village of 40 characters, cut short with "…" in the village, its group kept:
    :func:`_serves_line`); at the smallest, as many as fit and a line saying
    how many more the report and the hubs layer list. Nothing when the hubs name no
    village or group."""
    if not shown or "hubs" not in lyr:
        return
    hubs = lyr["hubs"].sort_values("hub_id", kind="stable")
    serves = dict(zip(hubs["hub_id"].astype(str), serves_parts(hubs, lyr["households"], lang), strict=True))
    entries = [(hid, s, serves.get(hid, ("", ""))) for hid, s in shown]
    if not any(e[2][0] or e[2][1] for e in entries):
        return
    r = _renderer(fig)
    fw, fh = fig.bbox.width, fig.bbox.height
    top = legend.get_window_extent(r).y0 / fh - 0.02
    bottom = notes.get_window_extent(r).y1 / fh + 0.015
    width = 0.97 - x0
    head = fig.text(x0, top, cover_text("serves_key", lang), fontsize=8, va="top")
    top -= head.get_window_extent(r).height / fh + 0.006
    for f in SERVES_FONTS:
        px = f * fig.dpi / 72.0
        room = width * fw - 1.5 * px  # a line longer than the column (a name of 120 characters) is cut with "…"
        def fits(v: str, f: float = f, room: float = room) -> bool:
            return bool(_fig_text_width(fig, r, v, f) <= room)

        lines = [_serves_line(s, cut, kept, fits) for _, s, (cut, kept) in entries]
        cell = (max(_fig_text_width(fig, r, t, f) for t in lines) + 1.5 * px) / fw
        line = SERVES_LINE * px / fh
        cols, per_col = max(int(width // cell), 1), max(int((top - bottom) // line), 0)
        if cols * per_col >= len(lines) or f == SERVES_FONTS[-1]:
            break
    n = min(len(lines), cols * per_col)
    if n < len(lines):  # the last line says how many more the report and the layer list
        per_col = max(per_col - 1, 0)
        n = cols * per_col
        more = fig.text(x0, bottom, cover_text("serves_more", lang, count=len(lines) - n), fontsize=f, va="bottom")
        more.set_gid("hub-serves-more")
    for i, t in enumerate(lines[:n]):
        c, k = divmod(i, per_col)
        a = fig.text(x0 + c * cell, top - (k + 0.5) * line, t, fontsize=f, va="center")
        a.set_gid(f"hub-serves {entries[i][0]}")


def _serves_line(label: str, cut: str, kept: str, fits: Any) -> str:
    """A line of the key: the point's ``label``, then what it serves, ``cut`` (a village) shortened with "…" as
    much as the line must be to ``fit``, then ``kept`` (its group) whole; a line that does not fit even so is cut at
    its end.

    Examples
    --------
    >>> _serves_line("P001", "重庆市巴南区某某镇某某村", " V001-G1", lambda t: len(t) <= 18)
    'P001  重庆市… V001-G1'
    >>> _serves_line("P002", "V2-G1", "", lambda t: len(t) <= 8)
    'P002  V…'
    """
    if not cut and not kept:
        return label
    head = f"{label}  "
    if kept and not fits(head + cut + kept) and fits(head + "…" + kept):
        return head + cut_fitting(cut, lambda v: bool(fits(head + v + kept))) + kept
    return cut_fitting(head + cut + kept, fits)
