"""Print maps: a delineation on one A4 or A3 sheet, as PNG or PDF (matplotlib).

Drawn in the layers' own projected CRS (metres), so the scale bar is exact and grid north is up.
Units are coloured so that neighbours differ, each labelled with its household count; exceptions
are outlined in red; the sheet carries a title, legend, scale bar, north arrow, the stamp
"内部工作用图" and, when OpenStreetMap data is drawn, the OSM attribution line.

Text is drawn with the CJK font that ships inside the package (``fonts/YuanluoSansSC-Regular.ttf``, a
subset of Noto Sans CJK SC under the SIL Open Font License; see ``fonts/README.md``): no system font is
needed, and it is preferred over every system font, so the same input gives the same PNG on every machine.
All texts come from the message catalogue (``print.*`` and the shared map labels).

Examples
--------
>>> from yuanluo.maps.sample import sample_layers
>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "plan.png"
>>> print_map(sample_layers(60, block=4), out, paper="A4", dpi=50).name
'plan.png'
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from yuanluo.gis.catalogue import text
from yuanluo.gis.errors import OutputError, problem
from yuanluo.gis.output import write_bytes
from yuanluo.maps.interactive import _check_layers
from yuanluo.maps.style import (
    BOUNDARY_COLOUR,
    EXCEPTION_COLOUR,
    MEETING_COLOUR,
    RIVER_COLOUR,
    ROAD_COLOUR,
    UNASSIGNED_COLOUR,
    Lang,
    adjacency_pairs,
    household_status,
    label,
    unit_colours,
)

#: The font the install brings (a subset of Noto Sans CJK SC, SIL Open Font License; see fonts/README.md).
FONT_FILE = Path(__file__).with_name("fonts") / "YuanluoSansSC-Regular.ttf"
FONT_FAMILY = "Yuanluo Sans SC"
#: System CJK fonts used, when installed, only for a character the bundled font lacks (a rare one in a name).
FALLBACK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC",
                  "SimHei")
#: The shared map labels (:func:`yuanluo.maps.style.label`) a print map draws; its own texts are ``print.*``.
SHARED_LABELS = ("exception", "boundary", "rivers", "roads", "unassigned", "meeting_points", "unit_colour", "legend",
                 "title")
PAPER_MM: dict[str, tuple[float, float]] = {"A4": (297.0, 210.0), "A3": (420.0, 297.0)}
#: above this many units the per-unit count labels are left out (they would overlap)
MAX_LABELS = 400


def cjk_font() -> str:
    """Register the bundled CJK font with matplotlib (once per font manager) and return its family name.

    The font file ships inside the package, so no system font is needed; it is preferred over every
    system font, so a print map comes out the same on every machine.

    Raises
    ------
    OutputError
        ``FONT-CJK-MISSING`` when the font file is absent or unreadable (a damaged install).

    Examples
    --------
    >>> cjk_font()
    'Yuanluo Sans SC'
    """
    manager = font_manager.fontManager
    if any(f.name == FONT_FAMILY and Path(f.fname) == FONT_FILE for f in manager.ttflist):
        return FONT_FAMILY
    try:
        manager.addfont(str(FONT_FILE))
    except (OSError, RuntimeError, ValueError) as exc:
        raise OutputError(problem("FONT-CJK-MISSING", file=str(FONT_FILE))) from exc
    return FONT_FAMILY


def font_rc() -> dict[str, Any]:
    """matplotlib settings of a print map: the bundled font first, embedded in PDFs as TrueType (Type 42)."""
    family = cjk_font()
    installed = {f.name for f in font_manager.fontManager.ttflist}
    fallback = [name for name in FALLBACK_FONTS if name in installed]
    # font.family, not font.sans-serif: matplotlib falls back glyph by glyph along font.family only
    return {"font.family": [family, "DejaVu Sans", *fallback], "axes.unicode_minus": False, "pdf.fonttype": 42,
            "svg.hashsalt": "yuanluo"}


def _nice_length(span_m: float) -> float:
    """A round scale-bar length (1, 2 or 5 x 10^k metres) near a fifth of ``span_m``."""
    target = max(span_m / 5.0, 1.0)
    k = 10 ** np.floor(np.log10(target))
    for f in (5.0, 2.0, 1.0):
        if f * k <= target:
            return float(f * k)
    return float(k)


def _scale_bar(ax: Any, lang: Lang) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = _nice_length(x1 - x0)
    h = (y1 - y0) * 0.008
    bx, by = x0 + (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.04
    for i in range(4):
        ax.add_patch(Rectangle((bx + i * length / 4, by), length / 4, h, facecolor="black" if i % 2 == 0 else "white",
                               edgecolor="black", linewidth=0.6, zorder=20))
    unit, div = ("km", 1000.0) if length >= 1000 else ("m", 1.0)
    ax.text(bx, by + 1.8 * h, "0", ha="center", va="bottom", fontsize=7, zorder=20)
    ax.text(bx + length, by + 1.8 * h, f"{length / div:g} {unit}", ha="center", va="bottom", fontsize=7, zorder=20)


def _north_arrow(ax: Any, lang: Lang) -> None:
    ax.annotate(text("print.north", lang), xy=(0.95, 0.95), xytext=(0.95, 0.86), xycoords="axes fraction",
                ha="center", va="center", fontsize=11, zorder=20,
                arrowprops={"facecolor": "black", "width": 4, "headwidth": 11, "headlength": 10})


def print_map(
    layers: Mapping[str, Any],
    path: str | os.PathLike[str],
    *,
    paper: Literal["A4", "A3"] = "A4",
    lang: Lang = "zh",
    title: str | None = None,
    dpi: int = 150,
    osm_attribution: bool = False,
    overwrite: bool = False,
) -> Path:
    """Draw a delineation on one landscape sheet and write it as PNG or PDF (by the file suffix).

    Parameters
    ----------
    layers : mapping of str to GeoDataFrame
        As for :func:`yuanluo.maps.interactive.make_map` (``households``, ``units``, ``meeting_points``,
        optional ``rivers``, ``roads``, ``boundary``), all in projected CRSs (the units' CRS is used).
    path : path-like
        ``*.png`` or ``*.pdf``; written atomically.
    paper : {"A4", "A3"}
        Landscape sheet: A4 is 297 x 210 mm, A3 420 x 297 mm (a PNG is ``int(mm / 25.4 * dpi)`` pixels).
    lang : {"zh", "en"}
    title : str, optional
    dpi : int
        Resolution of a PNG (PDF text and lines stay vector).
    osm_attribution : bool
        Print the OpenStreetMap attribution line (set it when rivers/roads come from OSM).
    overwrite : bool
        Replace an existing file (otherwise ``OUT-EXISTS``).
    """
    return write_print(path, paper, overwrite, lambda fmt: render_print_map(
        layers, fmt=fmt, paper=paper, lang=lang, title=title, dpi=dpi, osm_attribution=osm_attribution))


def write_print(path: str | os.PathLike[str], paper: str, overwrite: bool, render: Callable[[str], bytes]) -> Path:
    """Check a print-map output (suffix ``.png``/``.pdf``, paper, ``OUT-EXISTS``) before drawing, then draw it
    with ``render(fmt)`` and write it atomically."""
    target = Path(path)
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in ("png", "pdf") or paper not in PAPER_MM:
        raise OutputError(problem("MAP-PRINT-FORMAT", detail=f"{target.name}, {paper}"))
    if target.exists() and not overwrite:
        raise OutputError(problem("OUT-EXISTS", file=str(target)))
    write_bytes(target, render(fmt), overwrite=True)
    return target


def render_print_map(
    layers: Mapping[str, Any],
    *,
    fmt: Literal["png", "pdf"] | str = "png",
    paper: Literal["A4", "A3"] | str = "A4",
    lang: Lang = "zh",
    title: str | None = None,
    dpi: int = 150,
    osm_attribution: bool = False,
) -> bytes:
    """The bytes of a print map (PNG or PDF), as :func:`print_map` would write them."""
    if fmt not in ("png", "pdf") or paper not in PAPER_MM:
        raise OutputError(problem("MAP-PRINT-FORMAT", detail=f"{fmt}, {paper}"))
    rc = font_rc()
    lyr = _check_layers(layers)
    return figure_bytes(lambda: _draw(lyr, paper=paper, lang=lang, title=title, dpi=dpi, osm=osm_attribution),
                        rc, fmt=fmt, dpi=dpi, software="yuanluo yuanluo.maps.static")


def figure_bytes(draw: Callable[[], Figure], rc: Mapping[str, Any], *, fmt: str, dpi: int, software: str) -> bytes:
    """Draw a sheet under the bundled font's settings and return its PNG or PDF bytes, with fixed metadata (no
    creation date) so the same input gives the same bytes."""
    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context(rc):  # type: ignore[arg-type]
        fig = draw()
        fig.savefig(buf, format=fmt, dpi=dpi, metadata={"Software": software} if fmt == "png"
                    else {"Creator": software, "CreationDate": None})
    return buf.getvalue()


def _draw(lyr: Mapping[str, Any], *, paper: str, lang: Lang, title: str | None, dpi: int, osm: bool) -> Figure:
    """The whole sheet: map frame with its layers, legend, scale bar, north arrow, title, stamp, notes."""
    w_mm, h_mm = PAPER_MM[paper]
    # fonts come from the caller's rc_context
    fig = Figure(figsize=(w_mm / 25.4, h_mm / 25.4), dpi=dpi)
    ax = fig.add_axes((0.03, 0.06, 0.72, 0.84))
    ax.set_aspect("equal")
    ax.set_axis_off()
    base = lyr.get("units", lyr.get("households"))
    crs = base.crs
    unit_ids = _unit_ids(lyr)
    colour_of = unit_colours(sorted(unit_ids), adjacency_pairs(lyr))
    handles = _draw_units(ax, lyr, crs, colour_of, lang) + _draw_lines(ax, lyr, crs, lang)
    handles = _draw_households(ax, lyr, crs, colour_of, lang) + handles + _draw_meeting_points(ax, lyr, crs, lang)
    _draw_unit_labels(ax, lyr, crs, lang)
    _legend(ax, handles, colour_of, lang)
    x0, y0, x1, y1 = (base.to_crs(crs).total_bounds if base is not None else (0, 0, 1, 1))
    pad = 0.04 * max(x1 - x0, y1 - y0, 1.0)
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(y0 - pad, y1 + pad)
    _scale_bar(ax, lang)
    _north_arrow(ax, lang)
    hh = lyr.get("households")
    _sheet_texts(fig, lang, title=title, osm=osm, n_units=len(unit_ids), n_households=0 if hh is None else len(hh),
                 crs_name=crs.name if crs is not None else "")
    return fig


def _unit_ids(lyr: Mapping[str, Any]) -> set[str]:
    """Every unit id of the territories and of the households."""
    unit_ids: set[str] = set()
    if "units" in lyr:
        unit_ids |= set(lyr["units"]["unit_id"].dropna().astype(str))
    hh = lyr.get("households")
    if hh is not None and "unit_id" in hh:
        unit_ids |= set(hh["unit_id"].dropna().astype(str))
    return unit_ids


def _draw_units(ax: Any, lyr: Mapping[str, Any], crs: Any, colour_of: Mapping[str, str], lang: Lang) -> list[Any]:
    """Unit territories filled in their colour, exceptions outlined in red dashes; the legend entry."""
    if "units" not in lyr:
        return []
    units = lyr["units"].to_crs(crs)
    fill = units["unit_id"].astype(str).map(colour_of).fillna(UNASSIGNED_COLOUR)
    units.plot(ax=ax, color=fill.tolist(), alpha=0.35, edgecolor="#444444", linewidth=0.5, zorder=2)
    bad = units["status"].astype(str).str.lower() != "ok" if "status" in units else np.zeros(len(units), bool)
    if bool(np.any(bad)):
        units[bad].boundary.plot(ax=ax, color=EXCEPTION_COLOUR, linewidth=1.6, linestyle="--", zorder=6)
    return [Patch(facecolor="none", edgecolor=EXCEPTION_COLOUR, linestyle="--", label=label("exception", lang))]


def _draw_lines(ax: Any, lyr: Mapping[str, Any], crs: Any, lang: Lang) -> list[Any]:
    """Boundary (polygon outlines), rivers and roads; one legend entry each that is drawn."""
    handles: list[Any] = []
    for key, colour, lw in (("boundary", BOUNDARY_COLOUR, 1.4), ("rivers", RIVER_COLOUR, 1.2),
                            ("roads", ROAD_COLOUR, 0.8)):
        if key in lyr and isinstance(lyr[key], gpd.GeoDataFrame):
            g = lyr[key].to_crs(crs)
            geoms = g.geometry.boundary.where(g.geom_type.str.contains("Polygon"), g.geometry) \
                if key == "boundary" else g.geometry
            gpd.GeoSeries(geoms, crs=crs).plot(ax=ax, color=colour, linewidth=lw, zorder=3)
            handles.append(Line2D([], [], color=colour, linewidth=lw * 1.5, label=label(key, lang)))
    return handles


def _draw_households(ax: Any, lyr: Mapping[str, Any], crs: Any, colour_of: Mapping[str, str],
                     lang: Lang) -> list[Any]:
    """Households as dots in their unit's colour, those not ``ok`` ringed in red; the legend entry."""
    hh = lyr.get("households")
    if hh is None:
        return []
    h = hh.to_crs(crs)
    st = household_status(h)
    col = h["unit_id"].astype("string").map(colour_of) if "unit_id" in h else pd.Series(pd.NA, index=h.index)
    col = col.fillna(UNASSIGNED_COLOUR).astype(str)
    size = float(np.clip(4000.0 / max(len(h), 1), 0.3, 9.0))
    ok = (st == "ok").to_numpy()
    ax.scatter(h.geometry.x[ok], h.geometry.y[ok], s=size, c=col[ok].tolist(), edgecolors="#222222",
               linewidths=0.2, zorder=4)
    if (~ok).any():
        ax.scatter(h.geometry.x[~ok], h.geometry.y[~ok], s=size * 1.6, c=col[~ok].tolist(),
                   edgecolors=EXCEPTION_COLOUR, linewidths=0.8, zorder=5)
    return [Line2D([], [], marker="o", linestyle="", markerfacecolor=UNASSIGNED_COLOUR, markeredgecolor="#222222",
                   label=label("unassigned", lang))]


def _draw_meeting_points(ax: Any, lyr: Mapping[str, Any], crs: Any, lang: Lang) -> list[Any]:
    """Meeting points as black triangles; the legend entry."""
    if "meeting_points" not in lyr:
        return []
    mp = lyr["meeting_points"].to_crs(crs)
    ax.scatter(mp.geometry.x, mp.geometry.y, s=14, marker="^", c=MEETING_COLOUR, zorder=7)
    return [Line2D([], [], marker="^", linestyle="", color=MEETING_COLOUR, label=label("meeting_points", lang))]


def _draw_unit_labels(ax: Any, lyr: Mapping[str, Any], crs: Any, lang: Lang) -> None:
    """Each unit's id and household count inside it (left out above :data:`MAX_LABELS` units)."""
    if "units" not in lyr or len(lyr["units"]) > MAX_LABELS:
        return
    units = lyr["units"].to_crs(crs)
    pts = units.geometry.representative_point()
    n = units["n_households"] if "n_households" in units else pd.Series(pd.NA, index=units.index)
    fs = float(np.clip(90.0 / np.sqrt(max(len(units), 1)), 4.0, 9.0))
    for x, y, uid, k in zip(pts.x, pts.y, units["unit_id"].astype(str), n, strict=True):
        txt = text("print.unit_label", lang, unit=uid, households=k) if pd.notna(k) else uid
        ax.text(x, y, txt, ha="center", va="center", fontsize=fs, zorder=8,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "alpha": 0.6, "linewidth": 0})


def _legend(ax: Any, handles: list[Any], colour_of: Mapping[str, str], lang: Lang) -> None:
    """The legend right of the map frame: a unit colour swatch, then the layers drawn."""
    swatch = [Patch(facecolor=c, alpha=0.6, edgecolor="#444444") for c in list(dict.fromkeys(colour_of.values()))[:1]]
    if swatch:
        swatch[0].set_label(label("unit_colour", lang))
    leg = ax.legend(handles=swatch + handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=True,
                    fontsize=8, title=label("legend", lang), title_fontsize=9, borderaxespad=0)
    leg.set_zorder(30)


def _sheet_texts(fig: Figure, lang: Lang, *, title: str | None, osm: bool, n_units: int, n_households: int,
                 crs_name: str) -> None:
    """Title, the stamp, the summary line (units, households, CRS) and the OSM attribution."""
    fig.text(0.03, 0.955, title or label("title", lang), fontsize=16, va="center")
    fig.text(0.97, 0.955, text("print.stamp", lang), fontsize=12, color="#b00000", ha="right", va="center",
             bbox={"boxstyle": "square,pad=0.3", "facecolor": "white", "edgecolor": "#b00000"})
    summary = text("print.summary", lang, units=n_units, households=n_households, crs=crs_name)
    fig.text(0.77, 0.10, summary, fontsize=7, va="bottom", wrap=True)
    if osm:
        fig.text(0.03, 0.02, text("print.osm_attribution", lang), fontsize=7, color="#333333")
