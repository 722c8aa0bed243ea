"""Print maps: a delineation on one A4 or A3 sheet, as PNG or PDF (matplotlib).

Drawn in the layers' own projected CRS (metres), so the scale bar is exact and grid north is up; the
data fill a framed map at equal scale, and the legend and notes sit in the right column. Water polygons
(the result's ``water`` layer) and rivers are drawn and in the legend. Units are coloured so that
neighbours differ, each labelled with its id and household count by a greedy placer
(:func:`place_labels`: on the unit when there is room, else moved aside with a leader line, else smaller,
else the id alone); a unit whose name finds no room at all (the dense centre of a town), or whose leader line would
cross another or run under a label, or whose name would cover another unit's anchor (:func:`tangled_leaders`), is
marked by a framed number, placed where its own line crosses none (:func:`place_clear`), and the numbered key in the right column turns each number into its unit id
(:func:`_draw_unit_labels`, :func:`_draw_key`; the placer files the labels in a grid, :class:`BoxGrid`); a label
that finds no free place even as a number (thousands of units on one sheet) is left off the map, and the notes
say how many; a key too long for the column goes on over pages of the sheet's size (:func:`_key_pages`): more pages of the PDF, or, in a PNG, below the sheet in the same image. Exceptions are outlined
in red. The title line names the village, the
rule and the date (from the ``run`` table); the north arrow takes the emptiest corner of the frame
(:func:`choose_corners`), the scale bar the emptier bottom corner left; every note is wrapped inside
the page. The sheet carries the stamp "内部工作用图" and, when OpenStreetMap data is drawn, the OSM
attribution line. One A4 sheet per unit for its courtyard head: :mod:`yuanluo.maps.static_units`.

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

import contextlib
import functools
import gc
import io
import os
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerLine2D
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from yuanluo.gis.catalogue import has, text
from yuanluo.gis.errors import InputError, OutputError, problem
from yuanluo.gis.keys import first_ranks
from yuanluo.gis.output import data_date, exists_problem, write_bytes
from yuanluo.gis.personal import find_personal, warn_print_ids
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
    credit_words,
    dots_of,
    household_status,
    label,
    label_points,
    unit_colours,
    units_breaking,
)

#: The font the install brings (a subset of Noto Sans CJK SC, SIL Open Font License; see fonts/README.md).
FONT_FILE = Path(__file__).with_name("fonts") / "YuanluoSansSC-Regular.ttf"
FONT_FAMILY = "Yuanluo Sans SC"
#: System CJK fonts used, when installed, only for a character the bundled font lacks (one outside GBK's Han
#: characters, which the bundled font all has); the first found is tried first
FALLBACK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Micro Hei",
                  "Microsoft YaHei", "SimSun", "SimHei", "PingFang SC", "Hiragino Sans GB", "Songti SC")
#: where the system CJK fonts of :data:`FALLBACK_FONTS` are installed (Linux packages, Windows, macOS), looked at in
#: this order; each found is added to matplotlib's font list (:func:`system_cjk_fonts`), whose cache never rescans
#: for fonts installed after it was built
SYSTEM_CJK_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",  # Debian, Ubuntu: fonts-noto-cjk
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",  # Arch: noto-fonts-cjk
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",  # Fedora: google-noto-cjk-fonts
    "/usr/share/fonts/google-noto-sans-cjk-vf-fonts/NotoSansCJK-VF.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/adobe-source-han-sans/SourceHanSansCN-Regular.otf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # Debian, Ubuntu: fonts-wqy-microhei
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "{windir}/Fonts/msyh.ttc", "{windir}/Fonts/simsun.ttc", "{windir}/Fonts/simhei.ttf",
    "/System/Library/Fonts/PingFang.ttc", "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "/System/Library/Fonts/Supplemental/Songti.ttc",
)


#: The shared map labels (:func:`yuanluo.maps.style.label`) a print map draws; its own texts are ``print.*``.
SHARED_LABELS = ("households", "exception", "boundary", "rivers", "roads", "unassigned", "meeting_points",
                 "unit_colour", "legend", "title")
PAPER_MM: dict[str, tuple[float, float]] = {"A4": (297.0, 210.0), "A3": (420.0, 297.0)}
#: the finest PNG resolution drawn (an A3 sheet at 600 dpi is 9921 x 7016 pixels)
MAX_DPI = 600
#: fill of water polygons (reservoirs, ponds, wide rivers)
WATER_COLOUR = "#a6cee3"


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


def system_cjk_fonts() -> list[str]:
    """Add the installed system CJK font files of :data:`SYSTEM_CJK_FILES` to matplotlib's font list (each once) and
    return the paths found, in that order: the fallback then works whatever matplotlib's font cache holds (it is
    built once and never rescans, so a font installed later, or hidden when it was built, is not in it)."""
    manager = font_manager.fontManager
    known = {f.fname for f in manager.ttflist}
    found = []
    windir = os.environ.get("WINDIR", "C:/Windows").replace("\\", "/")
    for pattern in SYSTEM_CJK_FILES:
        path = pattern.format(windir=windir)
        if not os.path.isfile(path):
            continue
        if path not in known:
            try:
                manager.addfont(path)
            except (OSError, RuntimeError, ValueError):  # a damaged font file: as if it were not there
                continue
        found.append(path)
    return found


def font_rc() -> dict[str, Any]:
    """matplotlib settings of a print map: the bundled font first, embedded in PDFs as TrueType (Type 42), then the
    installed system CJK fonts (:func:`system_cjk_fonts`) for a character the bundled font lacks; no text read as
    math (a "$" is drawn as a dollar sign)."""
    family = cjk_font()
    system_cjk_fonts()
    # only fonts whose files are there: matplotlib rebuilds its font list when a font it finds has gone (a
    # cache from before a font was removed), and the rebuilt list has lost the bundled font mid-drawing
    installed = {f.name for f in font_manager.fontManager.ttflist if Path(f.fname).is_file()}
    fallback = [name for name in FALLBACK_FONTS if name in installed]
    # font.family, not font.sans-serif: matplotlib falls back glyph by glyph along font.family only
    # text.parse_math off: every text is drawn as typed, a name or title holding "$" (A$1$B村) is no TeX math
    return {"font.family": [family, "DejaVu Sans", *fallback], "axes.unicode_minus": False, "pdf.fonttype": 42,
            "svg.hashsalt": "yuanluo", "text.parse_math": False}


@functools.cache
def _charmap(path: str, index: int) -> frozenset[int]:
    """The characters the font face ``index`` of the file ``path`` has."""
    return frozenset(font_manager.get_font(font_manager.FontPath(path, index)).get_charmap())


#: characters of a text that show nothing: variation selectors (an emoji's U+FE0F, the Mongolian ones, the
#: ideographic variation selectors U+E0100–E01EF), the soft hyphen, zero-width spaces and joiners, direction marks,
#: the word joiner and invisible operators, the byte-order mark and the tag characters; a print map leaves them out
#: (:func:`visible`) rather than draw a font's mark for them, an empty box, or nothing at all in a PDF
INVISIBLE = re.compile("[\u00ad\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufe00-\ufe0f\ufeff"
                       "\U000e0000-\U000e007f\U000e0100-\U000e01ef]+")


def visible(s: str) -> str:
    """``s`` as a print map draws it: without its invisible format characters (:data:`INVISIBLE`).

    Examples
    --------
    >>> visible("\u2600\ufe0f村"), visible("\ufeff李\u200d家\u8449\U000E0100")
    ('☀村', '李家葉')
    """
    return INVISIBLE.sub("", s)


def _visible_cells(values: pd.Series | pd.Index) -> pd.Series | pd.Index | None:
    """``values`` with each text as :func:`visible` draws it; None when none has an invisible character."""
    if values.dtype != object and not isinstance(values.dtype, pd.StringDtype):
        return None
    hit = np.array([isinstance(v, str) and INVISIBLE.search(v) is not None for v in values], dtype=bool)
    if not hit.any():
        return None
    return values.map(lambda v: visible(v) if isinstance(v, str) else v)


def visible_layers(lyr: Mapping[str, Any]) -> dict[str, Any]:
    """The layers with every text cell and text index (unit ids, household ids, names) as :func:`visible` draws
    it, the same in every layer, so a unit id is still the same unit's in each; a layer without such a character
    is the same object.

    Examples
    --------
    >>> hh = pd.DataFrame({"unit_id": ["U\ufe0f1", "U2"], "n": [1, 2]}, index=pd.Index(["h\u200b1", "h2"]))
    >>> out = visible_layers({"households": hh})["households"]
    >>> out["unit_id"].tolist(), out.index.tolist(), hh["unit_id"].tolist()[0] == "U\ufe0f1"
    (['U1', 'U2'], ['h1', 'h2'], True)
    """
    out = dict(lyr)
    for name, df in lyr.items():
        if not isinstance(df, pd.DataFrame):
            continue
        changed = df
        for col in df.columns:
            if isinstance(df, gpd.GeoDataFrame) and col == df.geometry.name:
                continue
            cells = _visible_cells(df[col])
            if cells is not None:
                changed = changed.copy() if changed is df else changed
                changed[col] = cells
        index = _visible_cells(df.index)
        if index is not None:
            changed = changed.copy() if changed is df else changed
            changed.index = index
        out[name] = changed
    return out


def undrawable(s: str, families: Sequence[str] | None = None) -> str:
    """The characters of ``s`` (each once, in order) that no font of ``families`` (the print maps' list,
    :func:`font_rc`, by default) has: drawn as empty boxes. Spaces, control characters and the invisible format
    characters a print map leaves out (:data:`INVISIBLE`: an emoji's variation selector, a zero-width joiner) are
    not asked about; the character before a variation selector is.

    Examples
    --------
    >>> undrawable("李家塆村 U1"), undrawable("院落\U0001F3E0甲\U000F0000")
    ('', '\U0001f3e0\U000f0000')
    >>> undrawable("\u2600\ufe0f村\u200d\U000E0100"), undrawable("\U0001F3E0\ufe0f")
    ('', '\U0001f3e0')
    """
    if families is None:
        families = font_rc()["font.family"]
    maps = []
    for name in families:
        try:
            fp = font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
        except ValueError:
            continue
        maps.append(_charmap(str(fp), int(getattr(fp, "face_index", 0))))
    out = []
    for ch in dict.fromkeys(visible(s)):
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
            continue
        if not any(ord(ch) in m for m in maps):
            out.append(ch)
    return "".join(out)


def glyph_problems(layers: Mapping[str, Any], *, title: str | None = None, sheets: bool = True,
                   html_option: str = "-o", credit: str | None = None, osm_attribution: bool = False,
                   lang: Lang = "zh") -> list[Any]:
    """``PRINT-GLYPH`` (a warning) when a text a print map or unit sheet draws from the data or the options (a unit
    id, a village or villager group name, the ``title``, the data ``credit`` at its foot as :func:`draw_credit` draws
    it on a sheet in ``lang`` (the bundled sample's in that language's words; not OpenStreetMap's, in the catalogue's
    words); with ``sheets``, what the unit sheets add: the ids of the
    households of a unit, their settlement names as the sheets list them, the meeting point's and suggested head's
    household ids) has characters no font draws (:func:`undrawable`; an emoji, a character outside every installed
    font): each such text once, as drawn (:func:`visible`), with its characters; its fix names the command's option
    that writes the web map (``html_option``: ``map``'s ``-o``, ``cover``'s ``--map``). None otherwise.

    Examples
    --------
    >>> import pandas as pd
    >>> u = pd.DataFrame({"unit_id": ["U1", "院\U0001F3E0"]})
    >>> [p.params["texts"] for p in glyph_problems({"units": u}, title="李家塆村")]
    ['“院\U0001f3e0” (\U0001f3e0)']
    >>> hh = pd.DataFrame({"unit_id": ["U1", "U1", None], "settlement": ["\U00020000家"] * 3},
    ...                   index=pd.Index(["h\U00020000", "h2", "h\U0001F3E0"], name="hid"))
    >>> [p.params["texts"] for p in glyph_problems({"households": hh})]
    ['“h\U00020000” (\U00020000); “\U00020000家” (\U00020000)']
    >>> glyph_problems({"households": hh}, sheets=False)
    []
    >>> [p.params["texts"] for p in glyph_problems({"units": u[:1]}, credit="测绘院 \U0001F3E0 2025")]
    ['“测绘院 \U0001f3e0 2025” (\U0001f3e0)']
    >>> glyph_problems({"units": u[:1]}, osm_attribution=True)  # drawn in the catalogue's words
    []
    >>> from yuanluo.maps.style import SAMPLE_CREDIT  # drawn on a zh sheet in Chinese: in the bundled font
    >>> glyph_problems({"units": u[:1]}, credit=SAMPLE_CREDIT, lang="zh")
    []
    """
    families = font_rc()["font.family"]
    texts = [] if title is None else [str(title)]
    drawn_credit = sheet_credit(osm_attribution, credit)
    if isinstance(drawn_credit, str):  # the credit line as the foot of the sheet draws it (draw_credit)
        texts.append(credit_words(drawn_credit, lang))
    texts += sorted(_unit_ids(layers))
    facts = sheet_facts(layers)
    # the village map names the first villages alone, and no group; the unit sheets name each unit's own
    texts += [str(v) for v in (facts["village"] + facts["group"] if sheets else facts["village"][:SUBTITLE_NAMES])]
    if sheets:
        texts += _sheet_texts_of_data(layers)
    bad = [(t, c) for t in dict.fromkeys(visible(t) for t in texts) if (c := undrawable(t, families))]
    if not bad:
        return []
    return [problem("PRINT-GLYPH", severity="warning", texts="; ".join(f"“{t}” ({c})" for t, c in bad),
                    n=len(bad), option=html_option)]


def _sheet_texts_of_data(layers: Mapping[str, Any]) -> list[str]:
    """The texts from the data a unit sheet draws beyond those of the village map
    (:mod:`yuanluo.maps.static_units`): the ids of the households in a unit, in id order, then the names of their
    list columns that are not personal (villager group, settlement), then the meeting point's and suggested head's
    household ids of the units."""
    from yuanluo.gis.personal import listed_fields

    texts: list[str] = []
    hh = layers.get("households")
    if isinstance(hh, pd.DataFrame) and "unit_id" in hh.columns:
        unit = hh["unit_id"]
        mine = hh[unit.notna() & (unit.astype(str) != "")]
        ids = mine["hid"] if "hid" in mine.columns and mine.index.name != "hid" else mine.index.to_series()
        texts += sorted(ids.dropna().astype(str))
        columns, _ = listed_fields(mine, ("group", "settlement"))
        for col in columns:
            texts += sorted({str(v).strip() for v in mine[col].dropna()} - {""})
    units = layers.get("units")
    if isinstance(units, pd.DataFrame):
        for col in ("meeting_hid", "head_hid"):
            if col in units.columns:
                texts += sorted({str(v).strip() for v in units[col].dropna()} - {"", "None", "nan"})
    return texts


#: geodetic datums of Gauss-Krüger CRSs (the leading part of the CRS name) as a Chinese sheet names them
GK_DATUMS = {"CGCS2000": "CGCS2000", "Xian 1980": "西安 1980", "New Beijing": "新北京 1954",
             "Beijing 1954": "北京 1954"}


def crs_text(crs: Any, lang: Lang, *, labelled: bool = True) -> str:
    """The map's coordinate system in the sheet's language: its own (English) name in English; in Chinese a
    Gauss-Krüger or UTM CRS in words (datum, zone width and central meridian, or zone), any other by its own name;
    with its EPSG code in both languages ("WGS 84 通用横轴墨卡托投影 31N 带（EPSG:32631）"). With ``labelled=False``
    without 坐标系 before it, for a text that already says it (the coverage print map's footer,
    :mod:`yuanluo.maps.static_cover`).

    Examples
    --------
    >>> from pyproj import CRS
    >>> crs_text(CRS.from_epsg(4545), "zh"), crs_text(CRS.from_epsg(4545), "en")
    ('CGCS2000 3 度带高斯-克吕格投影，中央经线 108°E（EPSG:4545）', 'CGCS2000 / 3-degree Gauss-Kruger CM 108E (EPSG:4545)')
    >>> crs_text(CRS.from_epsg(32631), "zh"), crs_text(CRS.from_epsg(32631), "zh", labelled=False)
    ('坐标系 WGS 84 通用横轴墨卡托投影 31N 带（EPSG:32631）', 'WGS 84 通用横轴墨卡托投影 31N 带（EPSG:32631）')
    >>> crs_text(CRS.from_epsg(32631), "en")
    'WGS 84 / UTM zone 31N (EPSG:32631)'
    """
    if crs is None:
        return ""
    name = str(crs.name)
    code = crs.to_epsg()
    if lang == "en":
        return text("print.crs_named", lang, name=name, code=code) if code else name
    datum = next((zh for key, zh in GK_DATUMS.items() if name.startswith(key + " /")), None)
    op = getattr(crs, "coordinate_operation", None)
    if datum is not None and "Gauss-Kruger" in name and op is not None:
        lon = next((p.value for p in op.params if p.name == "Longitude of natural origin"), None)
        if lon is not None:
            meridian = f"{abs(float(lon)):g}°{'E' if float(lon) >= 0 else 'W'}"
            words = text("print.crs_gk", lang, datum=datum, width=3 if "3-degree" in name else 6, meridian=meridian)
            return text("print.crs_named", lang, name=words, code=code) if code else words
    if not code:
        return text("print.crs_other", lang)
    utm = re.fullmatch(r"(.+) / UTM zone (\d+[NS])", name)
    if utm:  # in Chinese words, as a Gauss-Krüger one
        name = text("print.crs_utm", lang, datum=GK_DATUMS.get(utm[1], utm[1]), zone=utm[2])
    named = text("print.crs_named", lang, name=name, code=code)
    return text("print.crs_epsg", lang, crs=named) if labelled else named


def _nice_length(span_m: float) -> float:
    """A round scale-bar length (1, 2 or 5 x 10^k metres) near a fifth of ``span_m``."""
    target = max(span_m / 5.0, 1.0)
    k = 10 ** np.floor(np.log10(target))
    for f in (5.0, 2.0, 1.0):
        if f * k <= target:
            return float(f * k)
    return float(k)


#: the corners a north arrow or a scale bar may take, in the order ties are broken
CORNERS = ("top-right", "top-left", "bottom-right", "bottom-left")
#: the size of the box each needs in a corner, in axes fractions (width, height)
ARROW_BOX = (0.09, 0.16)
SCALE_BOX = (0.30, 0.08)


def corner_box(corner: str, size: tuple[float, float]) -> tuple[float, float, float, float]:
    """A box of ``size`` (axes fractions) in ``corner``: ``(x0, y0, x1, y1)`` in axes fractions.

    Examples
    --------
    >>> corner_box("top-right", (0.1, 0.2))
    (0.9, 0.8, 1.0, 1.0)
    """
    w, h = size
    x0 = round(1.0 - w, 9) if corner.endswith("right") else 0.0
    y0 = round(1.0 - h, 9) if corner.startswith("top") else 0.0
    return (x0, y0, round(x0 + w, 9), round(y0 + h, 9))


def _corner_load(ax: Any, lyr: Mapping[str, Any], crs: Any, box: tuple[float, float, float, float]) -> tuple[float, int]:
    """How much a corner box covers: the share of it under unit territories, then the households in it."""
    from shapely import box as make_box

    (xa, xb), (ya, yb) = ax.get_xlim(), ax.get_ylim()
    b = make_box(xa + box[0] * (xb - xa), ya + box[1] * (yb - ya), xa + box[2] * (xb - xa), ya + box[3] * (yb - ya))
    share = 0.0
    if "units" in lyr:
        share = float(lyr["units"].to_crs(crs).geometry.intersection(b).area.sum()) / max(b.area, 1e-9)
    hh = lyr.get("households")
    n = int(hh.to_crs(crs).geometry.intersects(b).sum()) if hh is not None else 0
    return (round(share, 6), n)


def choose_corners(ax: Any, lyr: Mapping[str, Any], crs: Any) -> tuple[str, str]:
    """The corners of the north arrow and the scale bar: the arrow takes the emptiest of the four (least unit
    area, then fewest households; ties in :data:`CORNERS` order), the scale bar the emptier bottom corner left."""
    arrow = min(CORNERS, key=lambda c: (*_corner_load(ax, lyr, crs, corner_box(c, ARROW_BOX)), CORNERS.index(c)))
    bottoms = [c for c in ("bottom-left", "bottom-right") if c != arrow]
    scale = min(bottoms, key=lambda c: (*_corner_load(ax, lyr, crs, corner_box(c, SCALE_BOX)), CORNERS.index(c)))
    return arrow, scale


def _scale_bar(ax: Any, lang: Lang, corner: str = "bottom-left") -> None:
    """A scale bar of a round length in ``corner`` (left or right, always at the bottom)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = _nice_length(x1 - x0)
    h = (y1 - y0) * 0.008
    bx = x0 + (x1 - x0) * 0.04 if corner.endswith("left") else x1 - (x1 - x0) * 0.06 - length
    by = y0 + (y1 - y0) * 0.04
    for i in range(4):
        ax.add_patch(Rectangle((bx + i * length / 4, by), length / 4, h, facecolor="black" if i % 2 == 0 else "white",
                               edgecolor="black", linewidth=0.6, zorder=20))
    unit, div = ("km", 1000.0) if length >= 1000 else ("m", 1.0)
    ax.text(bx, by + 1.8 * h, "0", ha="center", va="bottom", fontsize=7, zorder=20)
    ax.text(bx + length, by + 1.8 * h, f"{length / div:g} {unit}", ha="center", va="bottom", fontsize=7, zorder=20)


def _north_arrow(ax: Any, lang: Lang, corner: str = "top-right") -> None:
    """A north arrow (grid north is up) in the middle of ``corner``'s box."""
    x0, y0, x1, y1 = corner_box(corner, ARROW_BOX)
    xc = (x0 + x1) / 2
    ax.annotate(text("print.north", lang), xy=(xc, y1 - 0.015), xytext=(xc, y0 + 0.05), xycoords="axes fraction",
                ha="center", va="center", fontsize=11, zorder=20,
                bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.85, "linewidth": 0},
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
    rules: Any = None,
    credit: str | None = None,
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
    credit : str, optional
        The data credit printed at the sheet's foot, as given on one line (OpenStreetMap's attribution when it
        names OpenStreetMap).
    overwrite : bool
        Replace an existing file (otherwise ``OUT-EXISTS``).
    rules : yuanluo.gis.rules.Rules, optional
        The rule named in the title line when the layers carry no ``run`` table (a result file has one).
    """
    return write_print(path, paper, overwrite, lambda fmt: render_print_map(
        layers, fmt=fmt, paper=paper, lang=lang, title=title, dpi=dpi, osm_attribution=osm_attribution, rules=rules,
        credit=credit))


def write_print(path: str | os.PathLike[str], paper: str, overwrite: bool, render: Callable[[str], bytes]) -> Path:
    """Check a print-map output (suffix ``.png``/``.pdf``, paper, ``OUT-EXISTS``) before drawing, then draw it
    with ``render(fmt)`` and write it atomically."""
    target = Path(path)
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in ("png", "pdf") or paper not in PAPER_MM:
        raise OutputError(problem("MAP-PRINT-FORMAT", detail=f"{target.name}, {paper}"))
    if target.exists() and not overwrite:
        raise OutputError(exists_problem([target]))
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
    rules: Any = None,
    credit: str | None = None,
) -> bytes:
    """The bytes of a print map (PNG or PDF), as :func:`print_map` would write them."""
    if fmt not in ("png", "pdf") or paper not in PAPER_MM:
        raise OutputError(problem("MAP-PRINT-FORMAT", detail=f"{fmt}, {paper}"))
    if isinstance(dpi, bool) or not isinstance(dpi, int | float) or not 0 < dpi <= MAX_DPI:
        raise InputError(problem("MAP-DPI", given=repr(dpi)[:40], most=MAX_DPI))
    rc = font_rc()
    lyr = visible_layers(_check_layers(layers))
    warn_print_ids(lyr.get("households"))  # ids that are id-card or phone numbers: ID-PERSONAL, as map says
    title = None if title is None else visible(str(title))
    return pages_bytes(lambda: _draw_pages(lyr, paper=paper, lang=lang, title=title, dpi=dpi,
                                           osm=sheet_credit(osm_attribution, credit), rules=rules, fmt=fmt),
                       rc, fmt=fmt, dpi=dpi, software="yuanluo yuanluo.maps.static")


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector kept off while one sheet is drawn, and put back as it was after. A town's
    map makes tens of thousands of matplotlib objects, and each full collection the collector started while they were
    made walked them all and the whole heap besides (the layers' geometries): 1.3 s of a 10 s map of 1,321 units.
    Nothing is kept: the cycles a sheet leaves are collected once the collector is on again. (Not for a loop over
    many sheets, whose garbage would pile up until the end.)"""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@contextlib.contextmanager
def no_idle_draws(fig: Figure) -> Iterator[None]:
    """geopandas' ``plot`` ends by asking the figure's canvas to draw (``canvas.draw_idle``): on a sheet's Agg canvas
    (:func:`_renderer`) a whole drawing of the page so far, thrown away, for every layer plotted (345 of them, 7.9 s
    of CPU, for the 100 unit sheets of a 3,000-household village). Those requests are dropped while the layers are
    plotted; the one thing such a drawing leaves behind that a sheet reads after (each axes' box shrunk to its equal
    scales, ``apply_aspect``, which places the household numbers) is done once on leaving when a drawing was asked for."""
    canvas = fig.canvas
    own = vars(canvas).get("draw_idle")
    asked: list[bool] = []
    canvas.draw_idle = lambda *args, **kwargs: asked.append(True)  # type: ignore[method-assign]
    try:
        yield
    finally:
        if own is None:
            del canvas.draw_idle
        else:
            canvas.draw_idle = own  # type: ignore[method-assign]
        if asked:
            for ax in fig.axes:
                ax.apply_aspect()


def figure_bytes(draw: Callable[[], Figure], rc: Mapping[str, Any], *, fmt: str, dpi: int, software: str) -> bytes:
    """Draw a sheet under the bundled font's settings and return its PNG or PDF bytes, with fixed metadata (no
    creation date) so the same input gives the same bytes."""
    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context(rc), collector_paused():  # type: ignore[arg-type]
        fig = draw()
        fig.savefig(buf, format=fmt, dpi=dpi, metadata={"Software": software} if fmt == "png"
                    else {"Creator": software, "CreationDate": None})
    return buf.getvalue()


def pages_bytes(draw: Callable[[], list[Figure]], rc: Mapping[str, Any], *, fmt: str, dpi: int,
                software: str) -> bytes:
    """Draw a sheet and the pages that follow it (its key continued) and return them as one file: a PDF of as many
    pages, or one PNG with the pages one under the other (each as large as the sheet); a lone sheet is written as
    :func:`figure_bytes` writes it. Fixed metadata (no creation date): the same input gives the same bytes."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.backends.backend_pdf import PdfPages

    with matplotlib.rc_context(rc), collector_paused():  # type: ignore[arg-type]
        figs = draw()
        if len(figs) == 1:
            return figure_bytes(lambda: figs[0], rc, fmt=fmt, dpi=dpi, software=software)
        buf = io.BytesIO()
        if fmt == "pdf":
            with PdfPages(buf, metadata={"Creator": software, "CreationDate": None}) as pdf:
                for fig in figs:
                    pdf.savefig(fig)
            return buf.getvalue()
        rows = []
        for fig in figs:
            canvas = FigureCanvasAgg(fig)
            canvas.draw()
            rows.append(np.asarray(canvas.buffer_rgba())[:, :, :3].copy())
        matplotlib.image.imsave(buf, np.vstack(rows), format="png", dpi=dpi, metadata={"Software": software})
    return buf.getvalue()


#: the map frame on the sheet (figure fractions: left, bottom, width, height); the right column holds the legend
FRAME = (0.03, 0.06, 0.72, 0.84)


def _draw(lyr: Mapping[str, Any], *, paper: str, lang: Lang, title: str | None, dpi: int, osm: bool | str,
          rules: Any = None, fmt: str = "pdf") -> Figure:
    """The sheet alone (:func:`_draw_sheet`), without the pages its key may go on to."""
    return _draw_sheet(lyr, paper=paper, lang=lang, title=title, dpi=dpi, osm=osm, rules=rules, fmt=fmt)[0]


def _draw_pages(lyr: Mapping[str, Any], *, paper: str, lang: Lang, title: str | None, dpi: int, osm: bool | str,
                rules: Any = None, fmt: str = "pdf") -> list[Figure]:
    """The sheet, then the pages of the numbered key that did not fit in its right column (:func:`_key_pages`)."""
    fig, left = _draw_sheet(lyr, paper=paper, lang=lang, title=title, dpi=dpi, osm=osm, rules=rules, fmt=fmt)
    if not left:
        return [fig]
    return [fig, *_key_pages(left, paper=paper, lang=lang, dpi=dpi, subtitle=sheet_subtitle(lyr, lang, rules))]


def _draw_sheet(lyr: Mapping[str, Any], *, paper: str, lang: Lang, title: str | None, dpi: int, osm: bool | str,
                rules: Any = None, fmt: str = "pdf") -> tuple[Figure, list[KeyEntry]]:
    """The whole sheet: map frame with its layers, legend, scale bar, north arrow, title, stamp, notes; and the
    entries of the numbered key left for the pages after it (none when the key fits in the right column; the notes
    then say which numbers follow, on the pages after a PDF's sheet or below a PNG's)."""
    w_mm, h_mm = PAPER_MM[paper]
    # fonts come from the caller's rc_context
    fig = Figure(figsize=(w_mm / 25.4, h_mm / 25.4), dpi=dpi)
    ax = map_frame(fig, FRAME)
    base = lyr.get("units", lyr.get("households"))
    crs = base.crs
    unit_ids = _unit_ids(lyr)
    colour_of = unit_colours(sorted(unit_ids), adjacency_pairs(lyr))
    fit_frame(ax, base.to_crs(crs).total_bounds if base is not None else (0, 0, 1, 1))
    handles = _draw_water(ax, lyr, crs, lang) + _draw_units(ax, lyr, crs, colour_of, lang) \
        + _draw_lines(ax, lyr, crs, lang)
    handles = _draw_households(ax, lyr, crs, colour_of, lang) + handles + _draw_meeting_points(ax, lyr, crs, lang)
    ax.set_xlabel("")  # geopandas names the axes in English
    ax.set_ylabel("")
    arrow, scale = choose_corners(ax, lyr, crs)
    _scale_bar(ax, lang, scale)
    _north_arrow(ax, lang, arrow)
    placed = _draw_unit_labels(ax, lyr, crs, lang, avoid=[corner_box(arrow, ARROW_BOX), corner_box(scale, SCALE_BOX)])
    entries = (*placed.key, *placed.unplaced)  # every unit not named on the map, numbered or left off
    if placed.key:  # the key gives each number's grid square
        _draw_grid(ax)
    if placed.leaders:  # the legend says what the lines from labels to units, and the ticks at their ends, are
        handles.append(leader_handle(lang))
    legend = _legend(fig, handles, colour_of, lang)
    hh = lyr.get("households")
    notes = [text("print.summary", lang, units=len(unit_ids), households=0 if hh is None else len(hh),
                  crs=crs_text(crs, lang))]
    if placed.crowded:
        notes.append(text("print.labels_left_out", lang, n=placed.crowded))
    notes_text = _sheet_texts(fig, lang, title=title, osm=osm, subtitle=sheet_subtitle(lyr, lang, rules), notes=notes)
    left: list[KeyEntry] = []
    if entries:
        r = _renderer(fig)
        top = legend.get_window_extent(r).y0 / fig.bbox.height - 0.025
        more = "print.key_continued_below" if fmt == "png" else "print.key_continued"
        drawn: list[Any] = []
        for _ in range(3):  # a key too long for the column: its note under the others, then the key above them
            for a in drawn:
                a.remove()
            bottom = notes_text.get_window_extent(r).y1 / fig.bbox.height + 0.015
            n, drawn = _draw_key(fig, entries, lang, top, bottom)
            left = list(entries[n:])
            said = [*notes, text(more, lang, n=len(left), numbers=_numbers(left))] if left else notes
            if notes_text.get_text() == (s := wrap_to(fig, "\n".join(said), 7, 0.97 - (FRAME[0] + FRAME[2] + 0.02))):
                break
            notes_text.set_text(s)
    return fig, left


def _numbers(entries: Sequence[KeyEntry]) -> str:
    """The key numbers of ``entries`` (in order) as a range: "12–40", or "12" for one."""
    first, last = entries[0][0], entries[-1][0]
    return str(first) if first == last else f"{first}–{last}"


def map_frame(fig: Figure, rect: tuple[float, float, float, float]) -> Any:
    """An axes for a map: equal scales, no ticks, a thin frame line; everything drawn in it is clipped to it."""
    ax = fig.add_axes(rect)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_linewidth(0.6)
        side.set_color("#555555")
    return ax


def fit_frame(ax: Any, bounds: Any, pad: float = 0.04) -> None:
    """Set the axes limits to ``bounds`` (x0, y0, x1, y1) plus ``pad`` of the larger side, widened along one
    axis so that one metre is as long across as up and the data fill the whole frame."""
    x0, y0, x1, y1 = (float(v) for v in bounds)
    p = pad * max(x1 - x0, y1 - y0, 1.0)
    x0, y0, x1, y1 = x0 - p, y0 - p, x1 + p, y1 + p
    fig = ax.get_figure()
    _, _, fw, fh = ax.get_position(original=True).bounds
    w_in, h_in = fw * fig.get_figwidth(), fh * fig.get_figheight()
    scale = max((x1 - x0) / w_in, (y1 - y0) / h_in)  # metres per inch
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    ax.set_xlim(cx - scale * w_in / 2, cx + scale * w_in / 2)
    ax.set_ylim(cy - scale * h_in / 2, cy + scale * h_in / 2)
    ax.set_autoscale_on(False)  # layers drawn later keep these limits


def place_names(lyr: Mapping[str, Any]) -> dict[str, tuple[np.ndarray, np.ndarray | None]]:
    """Per ``village`` and ``group``: the name of each row as the check names it, and the row's unit id (``None``
    without a ``unit_id`` column), from the households' column, else the units' (never a personal column; none
    where neither layer has one). A village is named by :func:`yuanluo.gis.keys.nest_labels` over the whole table:
    its name alone, or, where the table has a town column and one village name is in several towns, its path
    (甲镇/新华村 and 乙镇/新华村: two villages); a blank name is "". Computed once for all the unit sheets.

    >>> hh = pd.DataFrame({"乡镇": ["甲镇", "乙镇", "乙镇"], "village": ["新华村", "新华村", None]})
    >>> place_names({"households": hh})["village"][0].tolist()
    ['甲镇/新华村', '乙镇/新华村', '']
    """
    from yuanluo.gis.keys import BLANK, nest_labels, roster_order

    out: dict[str, tuple[np.ndarray, np.ndarray | None]] = {}
    for col in ("village", "group"):
        for key in ("households", "units"):
            df = lyr.get(key)
            if df is not None and col in df.columns:
                if not find_personal(df, [col]):  # never a column of names, id-card or phone numbers
                    vals = pd.Series(nest_labels(df, [col]) if col == "village" else df[col].tolist(), dtype=object)
                    txt = vals.where(vals.notna(), "").astype(str).str.strip()
                    names = txt.where(~txt.isin(["None", "nan", BLANK]), "").to_numpy(dtype=object)
                    units = (df["unit_id"].astype("string").fillna("").to_numpy(dtype=object)
                             if "unit_id" in df.columns else None)
                    out[col] = (names, units)
                    # the order villages and groups are listed in: the roster's (one town's villages together)
                    out[ORDER_OF + col] = (roster_order(df, [col]), units)
                break
    return out


#: the entry of :func:`place_names` holding, per row, the rank its village or group is listed by
#: (:func:`yuanluo.gis.keys.roster_order`: the order of the planner's roster)
ORDER_OF = "order:"


def sheet_facts(lyr: Mapping[str, Any], rules: Any = None, *, unit: str | None = None,
                names: Mapping[str, tuple[np.ndarray, np.ndarray | None]] | None = None) -> dict[str, Any]:
    """What the title line says beyond the title: the villages and groups (in the roster's order), the rule (band, size unit, preset) and the
    date, from the households' ``village`` column and the result's ``run`` table (the date of the run, else
    ``SOURCE_DATE_EPOCH``, else today; the commands give the day of the result file's data,
    :func:`yuanluo.gis.output.with_data_date`); ``rules`` (a :class:`yuanluo.gis.rules.Rules`) when there is no run table.

    Villages are named as the check names them (:func:`place_names`, or ``names``, its result for these layers).
    With ``unit``, the villages and villager groups of that unit's households (or unit row) only, each village
    still named as over the whole table.

    >>> hh = pd.DataFrame({"乡镇": ["甲镇", "乙镇", "乙镇"], "village": ["新华村", "新华村", "胜利村"],
    ...                    "unit_id": ["U1", "U2", "U2"]})
    >>> sheet_facts({"households": hh})["village"]
    ['甲镇/新华村', '乙镇/新华村', '胜利村']
    >>> sheet_facts({"households": hh}, unit="U1")["village"]
    ['甲镇/新华村']
    """
    import json

    facts: dict[str, Any] = {"village": [], "group": [], "rule": None, "date": ""}
    named = place_names(lyr) if names is None else names
    for col in ("village", "group"):
        if col not in named:
            continue
        vals, units = named[col]
        here = units == unit if unit is not None and units is not None else np.ones(len(vals), dtype=bool)
        mine = vals[here].tolist()
        rank: dict[str, Any] = {}
        if ORDER_OF + col in named:  # in the roster's order, one town's villages together
            rank = first_ranks(mine, named[ORDER_OF + col][0][here])
        facts[col] = sorted(set(mine) - {""}, key=lambda v: (rank.get(v, 0), v))
    run = lyr.get("run")
    rec: dict[str, str] = {}
    if isinstance(run, pd.DataFrame) and {"key", "value"} <= set(run.columns):
        rec = dict(zip(run["key"].astype(str), run["value"].astype(str), strict=True))
    if "params.rules.min_size" in rec and "params.rules.max_size" in rec:
        def val(k: str) -> Any:
            try:
                return json.loads(rec.get(k, "null"))
            except ValueError:
                return rec.get(k)
        facts["rule"] = {"min": val("params.rules.min_size"), "max": val("params.rules.max_size"),
                         "size_by": rec.get("params.rules.size_by", "households"),
                         "name": rec.get("params.rules.name", ""), "label": rec.get("params.rules.label", "")}
    if facts["rule"] is None and rules is not None:
        facts["rule"] = {"min": rules.min_size, "max": rules.max_size, "size_by": rules.size_by, "name": rules.name,
                         "label": rules.label}
    stamp = rec.get("timestamp", "")
    facts["date"] = stamp[:10] if len(stamp) >= 10 and stamp[:4].isdigit() else data_date()  # SDE's day, else today
    return facts


#: how many villages (or villager groups) the line under a sheet's title names; more are counted
SUBTITLE_NAMES = 3


def sheet_subtitle(lyr: Mapping[str, Any], lang: Lang, rules: Any = None, *, groups: bool = False,
                   unit: str | None = None, names: Mapping[str, tuple[np.ndarray, np.ndarray | None]] | None = None
                   ) -> str:
    """The line under the title: village, rule and date ("村：甲村 · 规则：15–25 户（长寿区“寿和小院”） · 数据日期：…");
    with ``groups`` the villager groups after the village (a unit's sheet: with ``unit``, drawn from that unit's
    own households). Villages are named and counted as the check names them (:func:`sheet_facts`; ``names``: its
    :func:`place_names`, computed once for many sheets).

    Examples
    --------
    >>> import pandas as pd
    >>> run = pd.DataFrame({"key": ["params.rules.min_size", "params.rules.max_size", "params.rules.name",
    ...                             "params.rules.label", "timestamp"],
    ...                     "value": ["15", "25", "changshou", "长寿区", "2025-11-30T00:00:00Z"]})
    >>> sheet_subtitle({"run": run}, "en")
    'Rule: 15–25 households (Changshou District "Shouhe Courtyards")  ·  Data as of 2025-11-30'
    >>> hh = pd.DataFrame({"village": ["V2", "V1", "V3", "V4"]})
    >>> [sheet_subtitle({"households": hh, "run": run}, lang).split("  ·  ")[0] for lang in ("en", "zh")]
    ['Village: V2, V1, V3 and others (4 villages)', '村：V2、V1、V3 等 4 个村']
    >>> hh["group"] = ["G1", "G1", "G2", None]
    >>> sheet_subtitle({"households": hh[:1], "run": run}, "zh", groups=True).split("  ·  ")[:2]
    ['村：V2', '村民小组：G1']
    >>> sheet_subtitle({"households": pd.DataFrame({"village": ["13912345678"]}), "run": run}, "zh")[:3]
    '规则：'

    Two villages of one name in two towns are two villages, each named with its town:

    >>> hh = pd.DataFrame({"乡镇": ["甲镇", "甲镇", "甲镇", "乙镇", "乙镇"],
    ...                    "village": ["新华村", "红星村", "光明村", "新华村", "长江村"], "unit_id": list("ABCDE")})
    >>> sheet_subtitle({"households": hh, "run": run}, "zh").split("  ·  ")[0]
    '村：甲镇/新华村、红星村、光明村 等 5 个村'
    >>> sheet_subtitle({"households": hh, "run": run}, "en", groups=True, unit="D").split("  ·  ")[0]
    'Village: 乙镇/新华村'
    """
    f = sheet_facts(lyr, rules, unit=unit, names=names)
    bits = []
    for key in ("village", "group") if groups else ("village",):
        if f[key]:  # the first three, joined as the language lists them (、 / ", "), and how many in all
            listed = text("list.sep", lang).join(f[key][:SUBTITLE_NAMES])
            if len(f[key]) > SUBTITLE_NAMES:
                listed = text(f"print.{key}_more", lang, names=listed, n=len(f[key]))
            bits.append(text(f"print.{key}", lang, **{key: listed}))
    r = f["rule"]
    if r:
        unit = text("print.size_persons" if r["size_by"] == "persons" else "print.size_households", lang)
        # the preset's full name in each language, as the check report and the editor name it
        preset = f"editor.preset.{r['name']}"
        named = r["name"] not in ("", "custom")
        name = ((r["label"] if lang == "zh" else "") or (text(preset, lang) if named and has(preset) else "")
                or (r["name"] if named else ""))
        band = f"{r['min']}–{r['max']} {unit}"
        bits.append(text("print.rule_named" if name else "print.rule", lang, band=band, name=name))
    if f["date"]:
        bits.append(text("print.date", lang, date=f["date"]))
    line = "  ·  ".join(bits)
    # the bundled CJK font draws “ ” and ‘ ’ full-width, a gap on each side in an English line: straight quotes
    return line.translate(LATIN_QUOTES) if lang == "en" else line


#: curly quotes an English print line draws straight (:func:`sheet_subtitle`): the bundled font draws “ ” ‘ ’ as
#: Chinese text sets them, full-width
LATIN_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


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
    bad = units_breaking(units)  # a unit kept as planned within its rules is no exception
    if not bool(np.any(bad)):
        return []  # the legend lists only what the map shows
    units[bad].boundary.plot(ax=ax, color=EXCEPTION_COLOUR, linewidth=1.6, linestyle="--", zorder=6)
    return [Patch(facecolor="none", edgecolor=EXCEPTION_COLOUR, linestyle="--", label=label("exception", lang))]


def _draw_lines(ax: Any, lyr: Mapping[str, Any], crs: Any, lang: Lang) -> list[Any]:
    """Boundary (polygon outlines), rivers and roads; one legend entry each that is drawn."""
    handles: list[Any] = []
    for key, colour, lw in (("boundary", BOUNDARY_COLOUR, 1.4), ("rivers", RIVER_COLOUR, 1.2),
                            ("roads", ROAD_COLOUR, 0.8)):
        if key in lyr and isinstance(lyr[key], gpd.GeoDataFrame) and len(lyr[key]):
            g = lyr[key].to_crs(crs)
            geoms = g.geometry.boundary.where(g.geom_type.str.contains("Polygon"), g.geometry) \
                if key == "boundary" else g.geometry
            gpd.GeoSeries(geoms, crs=crs).plot(ax=ax, color=colour, linewidth=lw, zorder=3)
            handles.append(Line2D([], [], color=colour, linewidth=lw * 1.5, label=label(key, lang)))
    return handles


#: the size (points) of a household's dot in the legend: small and filled, as on the map
HOUSEHOLD_LEGEND_SIZE = 4.0
#: the end of a label's leader line on the unit it names: a short tick across the line's end, unlike any dot
LEADER_END: dict[str, Any] = {"marker": "|", "markersize": 4.0, "markeredgewidth": 0.8, "color": "#444444"}


def leader_handle(lang: Lang) -> Line2D:
    """The legend entry of the leader lines: a line ending in the tick the map draws at the unit it names."""
    return Line2D([0.0, 1.0], [0.0, 0.0], linewidth=0.5, label=text("print.leader", lang), gid="legend-leader",
                  **LEADER_END)


class _LeaderHandler(HandlerLine2D):
    """The legend's leader line with its tick at the left end alone (the unit's end; the label is the legend's text
    after it), not in the middle as a legend draws a line's marker."""

    def create_artists(self, *args: Any, **kwargs: Any) -> list[Any]:
        out = list(super().create_artists(*args, **kwargs))
        for line in out:
            if isinstance(line, Line2D):
                line.set_markevery([0])
        return out


def _draw_households(ax: Any, lyr: Mapping[str, Any], crs: Any, colour_of: Mapping[str, str],
                     lang: Lang) -> list[Any]:
    """Households as dots in their unit's colour, those not ``ok`` (of an exception unit, or of a locked unit that
    breaks its rules: :func:`~yuanluo.maps.style.household_status`; or of no unit) larger and ringed in red; the
    legend's entries, the ringed ones only when the map shows them."""
    hh = lyr.get("households")
    if hh is None:
        return []
    h = hh.to_crs(crs)
    st = household_status(h, lyr.get("units"))
    col = h["unit_id"].astype("string").map(colour_of) if "unit_id" in h else pd.Series(pd.NA, index=h.index)
    col = col.fillna(UNASSIGNED_COLOUR).astype(str)
    size = float(np.clip(4000.0 / max(len(h), 1), 0.3, 9.0))
    ok = (st == "ok").to_numpy()
    ax.scatter(h.geometry.x[ok], h.geometry.y[ok], s=size, c=col[ok].tolist(), edgecolors="#222222",
               linewidths=0.2, zorder=4)
    if (~ok).any():
        ax.scatter(h.geometry.x[~ok], h.geometry.y[~ok], s=size * 1.6, c=col[~ok].tolist(),
                   edgecolors=EXCEPTION_COLOUR, linewidths=0.8, zorder=5)
    # the legend's dot as the map draws one: filled in a unit's colour, a thin dark edge, small
    face = next(iter(colour_of.values()), UNASSIGNED_COLOUR)
    handles = [Line2D([], [], marker="o", linestyle="", markerfacecolor=face, markeredgecolor="#222222",
                      markeredgewidth=0.4, markersize=HOUSEHOLD_LEGEND_SIZE, label=label("households", lang))]
    if (st == "unassigned").any():  # the legend lists only what the map shows
        handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor=UNASSIGNED_COLOUR,  # as drawn: ringed
                              markeredgecolor=EXCEPTION_COLOUR, markeredgewidth=0.8,
                              markersize=HOUSEHOLD_LEGEND_SIZE * 1.26, label=label("unassigned", lang)))
    if (st == "exception").any():  # the larger dots ringed in red: households of a unit that breaks its rules
        handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor=face, markeredgecolor=EXCEPTION_COLOUR,
                              markeredgewidth=0.8, markersize=HOUSEHOLD_LEGEND_SIZE * 1.26,
                              label=text("print.exception_households", lang)))
    return handles


def _draw_meeting_points(ax: Any, lyr: Mapping[str, Any], crs: Any, lang: Lang) -> list[Any]:
    """Meeting points as black triangles; the legend entry."""
    if "meeting_points" not in lyr:
        return []
    mp = lyr["meeting_points"].to_crs(crs)
    if not len(mp):
        return []
    ax.scatter(mp.geometry.x, mp.geometry.y, s=14, marker="^", c=MEETING_COLOUR, zorder=7)
    return [Line2D([], [], marker="^", linestyle="", color=MEETING_COLOUR, label=label("meeting_points", lang))]


def _renderer(fig: Figure) -> Any:
    """A renderer to measure text on ``fig`` (an Agg canvas is attached when the figure has none)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    return canvas.get_renderer()


#: the widths :func:`text_width` measured, by text, font, resolution and the font settings that change a width
_WIDTHS: dict[tuple[Any, ...], float] = {}
#: the most widths kept (then forgotten all at once): about 20 MB of short texts
WIDTHS_KEPT = 100_000


def text_width(renderer: Any, s: str, prop: Any) -> float:
    """The width (display pixels) of ``s`` in the font ``prop`` (a ``FontProperties``) as ``renderer`` measures it
    (``get_text_width_height_descent``), the same number, remembered for an Agg renderer (:func:`_renderer`): a
    width depends on the text, the font (its families, style, weight, size…), the resolution and the hinting and
    kerning settings only, and a set of sheets measures the same texts again and again (each sheet its facts, the
    list's cells, the title; wrapping a paragraph measures each longer beginning of it).

    >>> from matplotlib.font_manager import FontProperties
    >>> r = _renderer(Figure(dpi=100))
    >>> text_width(r, "院落 20–50", FontProperties(size=8)) == r.get_text_width_height_descent(
    ...     "院落 20–50", FontProperties(size=8), ismath=False)[0]
    True
    """
    import matplotlib as mpl
    from matplotlib.backends.backend_agg import RendererAgg

    if type(renderer) is not RendererAgg:
        return float(renderer.get_text_width_height_descent(s, prop, ismath=False)[0])
    rc = mpl.rcParams
    key = (s, tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(), prop.get_stretch(),
           prop.get_size_in_points(), prop.get_file(), prop.get_math_fontfamily(), float(renderer.dpi),
           rc["text.hinting"], rc["text.hinting_factor"], rc["text.kerning_factor"], rc["text.antialiased"])
    w = _WIDTHS.get(key)
    if w is None:
        if len(_WIDTHS) >= WIDTHS_KEPT:
            _WIDTHS.clear()
        w = _WIDTHS[key] = float(renderer.get_text_width_height_descent(s, prop, ismath=False)[0])
    return w


def first_untried(tried: int) -> int:
    """The first candidate (:func:`_candidates`) beyond the first ``tried`` rings: the one on the anchor and sixteen a
    ring come first, in the same order whatever the number of rings. A pass that places the labels another pass left
    out, with more rings and the same boxes to avoid or more (more labels are placed by then), need not test those the
    other pass tested: a candidate not free then is not free now, and the first free one is the same.

    >>> first_untried(0), first_untried(10), bool((_candidates(8, 4, 30)[:first_untried(10)] == _candidates(8, 4, 10)).all())
    (0, 161, True)
    """
    return 1 + 16 * tried if tried > 0 else 0


def _candidates(w: float, h: float, rings: int = 6) -> np.ndarray:
    """Offsets (display pixels) tried for a label of size ``w`` x ``h``: on its anchor, then ``rings`` rings of
    sixteen directions each, nearest first."""
    k, cos, sin = _rings(rings)
    return np.vstack([np.zeros((1, 2)), np.c_[k * (0.55 * w + 3) * cos, k * (0.55 * h + 3) * sin]])


@functools.cache
def _rings(rings: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ring number, cosine and sine of each of the sixteen directions of ``rings`` rings (:func:`_candidates`)."""
    ang = np.arange(16) * (np.pi / 8)
    k = np.repeat(np.arange(1, rings + 1), 16)
    return k, np.tile(np.cos(ang), rings), np.tile(np.sin(ang), rings)


def free_boxes(bx: np.ndarray, frame: tuple[float, float, float, float], placed: np.ndarray) -> np.ndarray:
    """Which of the candidate boxes ``bx`` ((k, 4): x0, y0, x1, y1) lie inside ``frame`` and overlap none of the
    ``placed`` boxes ((m, 4)).

    Examples
    --------
    >>> free_boxes(np.array([[0., 0., 2., 2.], [5., 5., 7., 7.], [8., 8., 11., 9.]]), (0, 0, 10, 10),
    ...            np.array([[1., 1., 3., 3.]])).tolist()
    [False, True, False]
    """
    inside = (bx[:, 0] >= frame[0]) & (bx[:, 1] >= frame[1]) & (bx[:, 2] <= frame[2]) & (bx[:, 3] <= frame[3])
    hit = ((bx[:, None, 0] < placed[None, :, 2]) & (bx[:, None, 2] > placed[None, :, 0])
           & (bx[:, None, 1] < placed[None, :, 3]) & (bx[:, None, 3] > placed[None, :, 1])).any(axis=1)
    return inside & ~hit


def place_labels(boxes_wh: np.ndarray, anchors: np.ndarray, frame: tuple[float, float, float, float],
                 avoid: np.ndarray, *, rings: int = 6, tried: int = 0) -> np.ndarray:
    """Greedy label placement: each label in turn takes the first candidate offset (:func:`_candidates`) whose
    box stays inside ``frame`` and overlaps no placed label and no ``avoid`` box; NaN when none does.

    Parameters
    ----------
    boxes_wh : (n, 2) array
        Label widths and heights (display units), in placing order.
    anchors : (n, 2) array
        Where each label belongs (display units).
    frame : (x0, y0, x1, y1)
    avoid : (m, 4) array
        Boxes no label may cover (north arrow, scale bar, meeting points, small units).
    rings : int
        How far a label may move from its anchor (rings of candidates, :func:`_candidates`).
    tried : int
        The first rings, known to hold no free place for any of the labels (a pass before this one found none
        there, among fewer boxes to avoid): not tested again (:func:`first_untried`).

    Returns
    -------
    (n, 2) array of label centres (NaN for a label left out).

    Examples
    --------
    >>> c = place_labels(np.array([[10., 4.], [10., 4.]]), np.array([[50., 50.], [50., 50.]]), (0, 0, 100, 100),
    ...                  np.empty((0, 4)))
    >>> c[0].tolist(), bool(abs(c[1, 0] - 50) >= 10 or abs(c[1, 1] - 50) >= 4)
    ([50.0, 50.0], True)
    """
    boxes_wh = np.asarray(boxes_wh, dtype=float).reshape(-1, 2)
    out = np.full((len(anchors), 2), np.nan)
    if not len(out):
        return out
    grid = BoxGrid(frame, boxes_wh.max(axis=0), np.asarray(avoid, dtype=float))
    skip = first_untried(tried)
    for i, ((w, h), (ax_, ay)) in enumerate(zip(boxes_wh, anchors, strict=True)):
        c = _candidates(w, h, rings) + (ax_, ay)
        bx = np.c_[c[:, 0] - w / 2, c[:, 1] - h / 2, c[:, 0] + w / 2, c[:, 1] + h / 2]
        k = grid.first_free(bx[skip:])
        k = k + skip if k >= 0 else k
        if k >= 0:
            out[i] = c[k]
            grid.add(bx[k:k + 1])
    return out


class BoxGrid:
    """Boxes (x0, y0, x1, y1) on a sheet filed by the cells of ``frame`` that they touch (``size``: the largest
    width and height of a box asked about, or one number for both; a cell is a hair larger), so that a candidate box
    is tested only against the boxes of the two by two cells it may touch: the same answers as :func:`free_boxes`
    against all of them, in time that does not grow with the number of boxes on the sheet (a town of thousands of
    units). A cell is as wide and as tall as the largest label, not a square of its width: a town's wide labels
    and the dots between them are met fewer at a time (1,321 units on A4: 9 boxes a cell instead of 15).

    Examples
    --------
    >>> g = BoxGrid((0, 0, 10, 10), 2.0, np.array([[1., 1., 3., 3.]]))
    >>> g.first_free(np.array([[0., 0., 2., 2.], [5., 5., 7., 7.]]))
    1
    >>> g.add(np.array([[5., 5., 7., 7.]])); g.first_free(np.array([[6., 6., 8., 8.], [-1., 0., 1., 1.]]))
    -1
    """

    #: the cells a box asked about may touch along each side
    SPAN = 2

    def __init__(self, frame: tuple[float, float, float, float], size: float | Sequence[float] | np.ndarray,
                 boxes: np.ndarray | None = None) -> None:
        boxes = np.empty((0, 4)) if boxes is None else boxes
        self.frame = tuple(float(v) for v in frame)
        cw, ch = np.broadcast_to(np.asarray(size, dtype=float), (2,))
        # a little more: rounding never adds a cell
        self.cell = np.maximum(np.array([cw, ch]), 1e-9) * 1.001 / (self.SPAN - 1)
        self.shape = (max(int((self.frame[2] - self.frame[0]) // self.cell[0]) + 2, 1),
                      max(int((self.frame[3] - self.frame[1]) // self.cell[1]) + 2, 1))
        self._origin = np.array(self.frame[:2] * 2)
        self._cell4 = np.tile(self.cell, 2)
        self._last = np.array([self.shape[0] - 1, self.shape[1] - 1] * 2)
        self.count = np.zeros(self.shape, dtype=np.int64)
        self.members = np.zeros((*self.shape, 8), dtype=np.int64)  # row 0 of boxes: NaN, a box that meets none
        self.boxes = np.full((max(64, len(boxes) + 1), 4), np.nan)
        self.n = 1
        self.add(np.asarray(boxes, dtype=float).reshape(-1, 4))

    def _cells(self, b: np.ndarray) -> np.ndarray:
        """The cell (column, row) of each corner of ``b`` ((k, 4)), clipped to the grid: (k, 4) integers."""
        return np.clip(np.floor((b - self._origin) / self._cell4), 0, self._last).astype(np.int64)

    def add(self, boxes: np.ndarray) -> None:
        """File ``boxes`` ((m, 4)); one with a NaN edge overlaps nothing, and one outside the frame no candidate
        inside it: both are left out."""
        f = self.frame
        boxes = boxes[np.isfinite(boxes).all(axis=1) & (boxes[:, 2] > f[0]) & (boxes[:, 0] < f[2])
                      & (boxes[:, 3] > f[1]) & (boxes[:, 1] < f[3])]
        for b, (i0, j0, i1, j1) in zip(boxes, self._cells(boxes).tolist(), strict=True):
            if self.n == len(self.boxes):
                self.boxes = np.vstack([self.boxes, np.full_like(self.boxes, np.nan)])
            self.boxes[self.n] = b
            need = int(self.count[i0:i1 + 1, j0:j1 + 1].max()) + 1
            if need > self.members.shape[2]:
                grow = np.zeros((*self.shape, self.members.shape[2]), dtype=np.int64)
                self.members = np.concatenate([self.members, grow], axis=2)
            for i in range(i0, i1 + 1):
                for j in range(j0, j1 + 1):
                    self.members[i, j, self.count[i, j]] = self.n
                    self.count[i, j] += 1
            self.n += 1

    def _free(self, bx: np.ndarray) -> np.ndarray:
        """Which of ``bx`` (inside the frame, none wider or taller than ``size``) overlap no filed box.

        Each box is tested against the boxes filed in the cells it touches (two by two at most) and no more: the
        pairs are gathered into one flat list, a box's pairs one after the other. (Each box's list padded to the
        fullest cell any of them met, as before, made every box test as many places as the crowded village core
        beside it had.)"""
        if not len(bx):
            return np.ones(0, dtype=bool)
        c = self._cells(bx)
        step = np.arange(self.SPAN)
        i, j = c[:, 0:1] + step, c[:, 1:2] + step  # the cells each box touches along a side, and the ones past it
        touched = ((i <= c[:, 2:3])[:, :, None] & (j <= c[:, 3:4])[:, None, :]).reshape(-1)
        cells = (np.minimum(i, c[:, 2:3])[:, :, None] * self.shape[1] + np.minimum(j, c[:, 3:4])[:, None, :])
        cells = cells.reshape(-1)  # SPAN² cells a box, in box order; a cell past the box counts no box
        cnt = self.count.reshape(-1)[cells] * touched
        end = np.cumsum(cnt)
        if not end[-1]:
            return np.ones(len(bx), dtype=bool)
        cap = self.members.shape[2]
        # where each pair's filed box stands in the members table: its cell's row, then along the row
        pos = np.arange(end[-1]) + np.repeat(cells * cap - (end - cnt), cnt)
        near = np.take(self.boxes, np.take(self.members.reshape(-1), pos), axis=0)
        last = end[self.SPAN ** 2 - 1::self.SPAN ** 2]  # the end of each box's pairs
        b = np.repeat(bx, np.diff(last, prepend=0), axis=0)
        hit = (b[:, 0] < near[:, 2]) & (b[:, 2] > near[:, 0]) & (b[:, 1] < near[:, 3]) & (b[:, 3] > near[:, 1])
        hits = np.concatenate([[0], np.cumsum(hit)])
        return np.asarray(hits[last] == hits[np.r_[0, last[:-1]]], dtype=bool)

    def first_free(self, bx: np.ndarray) -> int:
        """The first of the candidate boxes ``bx`` that lies inside the frame and overlaps no filed box, or -1.

        All the candidates are tested at once: in a crowded town most labels find no free candidate at all, and
        each further try cost more than testing the rest of the candidates with the first."""
        f = self.frame
        inside = np.flatnonzero((bx[:, 0] >= f[0]) & (bx[:, 1] >= f[1]) & (bx[:, 2] <= f[2]) & (bx[:, 3] <= f[3]))
        ok = inside[self._free(bx[inside])] if len(inside) else inside
        return int(ok[0]) if len(ok) else -1


#: a unit whose box on the sheet is smaller than this many of its label boxes is "small": its label goes beside it
#: on a leader line, and no label covers it
SMALL_UNIT = 6.0
#: how far a unit label may move from its unit (rings of candidate offsets, :func:`_candidates`)
LABEL_RINGS = 10


def unit_parts(units: gpd.GeoDataFrame, households: Any = None) -> pd.DataFrame:
    """The parts of each unit a label goes on, in units order: its largest part (``main``) and every detached
    part worth a label of its own (one holding a household of the unit, or, without households, a tenth of the
    largest part's area or more). Columns ``row`` (position in ``units``), ``geometry``, ``main``.

    Examples
    --------
    >>> from shapely.geometry import MultiPolygon, box
    >>> u = gpd.GeoDataFrame({"unit_id": ["A"]}, geometry=[MultiPolygon([box(0, 0, 1, 1), box(5, 0, 8, 3)])])
    >>> [(r, round(g.area), m) for r, g, m in unit_parts(u).itertuples(index=False)]
    [(0, 9, True), (0, 1, False)]
    """
    import shapely

    ids = units["unit_id"].astype(str).to_numpy()
    pts_of: dict[str, np.ndarray] = {}
    if households is not None and "unit_id" in households:
        h = households[households["unit_id"].notna()]
        for u, g in h.groupby(h["unit_id"].astype(str), sort=True):
            pts_of[str(u)] = np.asarray(g.geometry.values, dtype=object)
    rows: list[tuple[int, Any, bool]] = []
    for r, geom in enumerate(units.geometry.values):
        if geom is None or geom.is_empty:
            rows.append((r, geom, True))
            continue
        parts = sorted(shapely.get_parts(geom), key=lambda g: -g.area)
        rows.append((r, parts[0], True))
        pts = pts_of.get(ids[r])
        for g in parts[1:]:
            if pts is not None:
                keep = bool(shapely.intersects(g, pts).any())
            else:
                keep = g.area >= 0.1 * parts[0].area
            if keep:
                rows.append((r, g, False))
    return pd.DataFrame(rows, columns=["row", "geometry", "main"])


@dataclass(frozen=True)
class UnitLabels:
    """What the unit labels of a print map came to: the units named by their id on the map (``by_id``), the numbered
    key (``key``: number, unit id, households — or None —, and the grid squares its number stands in, for each unit
    whose name found no room, numbered in unit-id order; the number stands on the map in a framed box), how many units
    found no free place for any label and were left off the map (``crowded``), and those units (``unplaced``: numbered
    after the key's, in unit-id order, with no grid square), which the key lists after the others so that every unit
    is named on the sheet; how many labels were moved aside on a leader line (``leaders``)."""

    by_id: tuple[str, ...] = ()
    key: tuple[KeyEntry, ...] = ()
    crowded: int = 0
    unplaced: tuple[KeyEntry, ...] = ()
    leaders: int = 0


#: an entry of the numbered key: number, unit id, households (or None), the grid squares its number stands in ("C4";
#: "" for a unit left off the map, which the key marks :data:`OFF_MAP` instead)
KeyEntry = tuple[int, str, Any, str]

#: the boxes of a unit's label and of a key number on the map (matplotlib bbox styles)
LABEL_BOX = {"boxstyle": "round,pad=0.15", "facecolor": "white", "alpha": 0.8, "linewidth": 0}
KEY_BOX = {"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.95, "edgecolor": "#222222",
           "linewidth": 0.5}
#: how far a key number may move from its unit when it finds no room nearer (rings of candidates)
KEY_RINGS = 30


def _draw_unit_labels(ax: Any, lyr: Mapping[str, Any], crs: Any, lang: Lang,
                      avoid: Sequence[tuple[float, float, float, float]] = ()) -> UnitLabels:
    """Each unit's id and household count on its largest part, and its id on each detached part
    (:func:`unit_parts`), placed without overlaps (:func:`place_labels`): on the part, clear of its household and
    meeting-point dots (:func:`~yuanluo.maps.style.label_points`), when there is room, else moved aside with a
    leader line to it, else smaller, else the id alone; where even that finds no room, a short number in a framed
    box (the numbered key, :class:`UnitLabels`; the sheet lists number → unit id), moved further aside if need
    be, then over small units and meeting points; a name whose leader line would cross another's or run under
    another label, or that covers another unit's anchor, is marked by a number too (:func:`tangled_leaders`), and a
    number goes first where its line crosses no other (:func:`place_clear`); a label that finds no free place even
    then is left off the map
    (``crowded``: drawn over the others, thousands of them made the map an unreadable mass). No label covers a
    meeting point or a small unit (:data:`SMALL_UNIT`; its own label goes beside it) while another place is free. Small units are placed first, then larger units first.
    :class:`BoxGrid` keeps the placing quick however many the units."""
    if "units" not in lyr:
        return UnitLabels()
    units = lyr["units"].to_crs(crs)
    fig = ax.get_figure()
    renderer = _renderer(fig)
    hh = lyr.get("households")
    hh = hh.to_crs(crs) if hh is not None else None
    mp = lyr.get("meeting_points")
    mp = mp.to_crs(crs) if mp is not None and len(mp) else None
    parts = unit_parts(units, hh)
    # already in crs, so dots_of leaves them as they are
    pts = label_points(parts["geometry"].to_numpy(), dots_of({"households": hh, "meeting_points": mp}, crs))
    keep = np.array([p is not None for p in pts], dtype=bool)
    parts, pts = parts[keep].reset_index(drop=True), pts[keep]
    n = units["n_households"] if "n_households" in units else pd.Series(pd.NA, index=units.index)
    ids = units["unit_id"].astype(str).to_numpy()
    size = pd.to_numeric(n, errors="coerce").fillna(0).to_numpy(dtype=float)
    fs = float(np.clip(90.0 / np.sqrt(max(len(units), 1)), 5.0, 9.0))
    pad = 0.3 * fs * fig.dpi / 72.0
    texts = _label_texts(parts, ids, n, lang)
    wh = _texts_wh(ax, renderer, [(t, fs * f) for t, f in texts]) + 2 * pad
    # a unit's footprint on the sheet: small ones are kept clear of every label
    b = np.array([g.bounds for g in parts["geometry"]], dtype=float).reshape(-1, 4)
    lo, hi = ax.transData.transform(b[:, :2]), ax.transData.transform(b[:, 2:])
    foot = np.c_[lo, hi]
    small = (hi - lo).prod(axis=1) < SMALL_UNIT * wh.prod(axis=1)
    corners = np.array([ax.transAxes.transform([(q[0], q[1]), (q[2], q[3])]).ravel() for q in avoid]).reshape(-1, 4)
    av = np.vstack([corners, foot[small], _meeting_boxes(ax, mp)])
    main = parts["main"].to_numpy(dtype=bool)
    order = np.lexsort((np.arange(len(parts)), ids[parts["row"]], -size[parts["row"]], ~main, ~small))
    anchors = ax.transData.transform(np.c_[[p.x for p in pts], [p.y for p in pts]])[order]
    fb = ax.get_window_extent(renderer)
    frame = (fb.x0, fb.y0, fb.x1, fb.y1)
    m = len(order)
    centres = np.full((m, 2), np.nan)
    shown = [""] * m  # the text each label is drawn with, in placing order
    font = np.zeros(m)
    keyed = np.zeros(m, dtype=bool)
    boxes = np.empty((0, 4))
    placed_wh = np.zeros((m, 2))  # the size of each label placed

    def place(todo: np.ndarray, sizes: np.ndarray, rings: int, blocked: np.ndarray, tried: int = 0) -> np.ndarray:
        """Place the labels ``todo`` (positions in placing order) of ``sizes``; the ones placed (``tried``:
        :func:`place_labels`)."""
        nonlocal boxes
        if not len(todo):
            return todo
        c = place_labels(sizes, anchors[todo], frame, np.vstack([blocked, boxes]), rings=rings, tried=tried)
        ok = ~np.isnan(c[:, 0])
        centres[todo[ok]] = c[ok]
        placed_wh[todo[ok]] = sizes[ok]
        boxes = np.vstack([boxes, np.c_[c[ok] - sizes[ok] / 2, c[ok] + sizes[ok] / 2]])
        return todo[ok]

    def missing() -> np.ndarray:
        return np.flatnonzero(np.isnan(centres[:, 0]))

    full = wh[order]
    for j in place(np.arange(m), full, LABEL_RINGS, av):  # the label at its size
        shown[j], font[j] = texts[order[j]][0], fs * texts[order[j]][1]
    todo = missing()  # a second try, smaller, around the labels already placed
    for j in place(todo, (full[todo] - 2 * pad) * 0.75 + 1.5 * pad, LABEL_RINGS, av):
        shown[j], font[j] = texts[order[j]][0], fs * texts[order[j]][1] * 0.75
    todo = np.array([j for j in missing() if main[order[j]]], dtype=int)  # the id alone, smaller
    if len(todo):
        only = _texts_wh(ax, renderer, [(ids[parts["row"][order[j]]], fs * 0.75) for j in todo])
        for j in place(todo, only + 1.5 * pad, LABEL_RINGS, av):
            shown[j], font[j] = ids[parts["row"][order[j]]], fs * 0.75
    # a name whose leader line would cross another's, or run under another name, is not read as pointing at one
    # unit (the dense core of a town on A3): it takes a framed number of the key instead, as a name with no room
    tangled = tangled_leaders(anchors, centres, placed_wh)
    if len(tangled):
        centres[tangled] = np.nan
        ok = ~np.isnan(centres[:, 0])
        boxes = np.c_[centres[ok] - placed_wh[ok] / 2, centres[ok] + placed_wh[ok] / 2]
    # a number of the key: as wide as the longest number may be, so the numbers can follow the unit ids
    kfs = fs * 0.8
    kwh = np.array(_text_wh(ax, renderer, "8" * len(str(len(units))), kfs)) + 2.4 * pad * 0.8
    near = np.vstack([corners, _meeting_boxes(ax, mp)])  # small units may be covered by a number, not meeting points
    boxes, numbered = _place_numbers(anchors, centres, placed_wh, boxes, kwh, frame,
                                     ((True, LABEL_RINGS, av), (True, LABEL_RINGS, near), (True, KEY_RINGS, near),
                                      (True, KEY_RINGS, corners), (False, KEY_RINGS, corners)))
    keyed[numbered], font[numbered] = True, kfs
    # no place even whose line crosses none: anywhere free, rather than off the map (the rings a pass with the
    # same blocked boxes tried, not again: first_untried)
    for rings, blocked, tried in ((LABEL_RINGS, av, 0), (LABEL_RINGS, near, 0), (KEY_RINGS, near, LABEL_RINGS),
                                  (KEY_RINGS, corners, 0)):
        todo = missing()
        for j in place(todo, np.tile(kwh, (len(todo), 1)), rings, blocked, tried):
            keyed[j], font[j] = True, kfs
    crowded = missing()  # no free place anywhere: left off the map (drawn over the others, thousands of them
    # made the map an unreadable mass); the notes say how many
    rows = parts["row"].to_numpy()[order]
    drawn = ~np.isnan(centres[:, 0])
    key_units = sorted({ids[r] for r in rows[keyed & drawn]})
    number = {u: i + 1 for i, u in enumerate(key_units)}
    squares: dict[str, set[str]] = {}
    leaders = 0
    for j, (a, c) in enumerate(zip(anchors, centres, strict=True)):
        if not drawn[j]:
            continue
        unit = ids[rows[j]]
        leaders += _draw_label(ax, a, c, str(number[unit]) if keyed[j] else shown[j], font[j], unit, keyed[j])
        if keyed[j]:
            squares.setdefault(unit, set()).add(grid_square(ax, c))
    hh_of = dict(zip(ids, n, strict=True))
    sep = text("list.sep", lang)
    # units none of whose labels found a place: named in the key after the numbered ones, without a grid square
    off = sorted({ids[r] for r in rows[crowded]} - {ids[r] for r in rows[drawn]})
    return UnitLabels(by_id=tuple(sorted({ids[r] for r in rows[~keyed & drawn]})),
                      key=tuple((number[u], u, hh_of[u], sep.join(sorted(squares[u], key=_square_order)))
                                for u in key_units),
                      crowded=len(off),
                      unplaced=tuple((len(key_units) + i + 1, u, hh_of[u], "") for i, u in enumerate(off)),
                      leaders=leaders)


def leader_segments(anchors: np.ndarray, centres: np.ndarray, wh: np.ndarray) -> np.ndarray:
    """The part of each label's leader line that shows (display pixels): from the anchor to the edge of the label's
    box ``wh`` centred on ``centres`` (the line under the box is hidden); (n, 4): x0, y0, x1, y1, NaN for a label not
    placed or placed on its anchor (no leader).

    Examples
    --------
    >>> leader_segments(np.array([[0., 0.], [5., 5.]]), np.array([[10., 0.], [5., 5.]]), np.array([[4., 2.]] * 2))
    array([[ 0.,  0.,  8.,  0.],
           [nan, nan, nan, nan]])
    """
    d = anchors - centres
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.minimum(np.where(d[:, 0] != 0, wh[:, 0] / 2 / np.abs(d[:, 0]), np.inf),
                       np.where(d[:, 1] != 0, wh[:, 1] / 2 / np.abs(d[:, 1]), np.inf))
    edge = centres + np.minimum(s, 1.0)[:, None] * d
    out = np.c_[anchors, edge]
    moved = ~np.isnan(centres[:, 0]) & ~np.all(np.isclose(anchors, centres), axis=1) & (s < 1.0)
    out[~moved] = np.nan
    return out


def _place_numbers(anchors: np.ndarray, centres: np.ndarray, placed_wh: np.ndarray, boxes: np.ndarray,
                   kwh: np.ndarray, frame: tuple[float, float, float, float],
                   passes: Sequence[tuple[bool, int, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Key numbers (each ``kwh``) for the labels not placed (NaN ``centres``), pass by pass (strict, rings, boxes
    blocked: :func:`place_clear`): a number's line crosses no other line (and, strict, runs under no label) and its box
    covers no line nor anchor. ``centres`` and ``placed_wh`` are filled in; returns the boxes placed, the old and the
    new, and the positions numbered."""
    numbered = []
    before: tuple[bool, int, np.ndarray] | None = None
    for strict, rings, blocked in passes:
        todo = np.flatnonzero(np.isnan(centres[:, 0]))
        if not len(todo):
            break
        done = np.flatnonzero(~np.isnan(centres[:, 0]))
        segs = leader_segments(anchors[done], centres[done], placed_wh[done])
        # after a pass as strict with the same blocked boxes, its rings hold no place for these (first_untried)
        tried = before[1] if before is not None and before[0] == strict and before[2] is blocked else 0
        c = place_clear(np.tile(kwh, (len(todo), 1)), anchors[todo], frame, np.vstack([blocked, boxes]),
                        rings=rings, segments=segs[~np.isnan(segs[:, 0])], points=anchors, strict=strict,
                        tried=min(tried, rings))
        before = (strict, rings, blocked)
        ok = ~np.isnan(c[:, 0])
        centres[todo[ok]], placed_wh[todo[ok]] = c[ok], kwh
        boxes = np.vstack([boxes, np.c_[c[ok] - kwh / 2, c[ok] + kwh / 2]])
        numbered.append(todo[ok])
    return boxes, np.concatenate([np.empty(0, dtype=int), *numbered])


def _cross_pairs(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Whether each segment of ``p`` ((k, 4)) crosses each of ``q`` ((s, 4)): (k, s) booleans.

    Examples
    --------
    >>> _cross_pairs(np.array([[0., 0., 2., 2.]]), np.array([[0., 2., 2., 0.], [3., 0., 3., 5.]])).tolist()
    [[True, False]]
    """
    if not len(q) or not len(p):
        return np.zeros((len(p), len(q)), dtype=bool)
    a, b = p[:, None, :2], p[:, None, 2:]
    c, d = q[None, :, :2], q[None, :, 2:]

    def cross(o: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        return np.asarray((u[..., 0] - o[..., 0]) * (v[..., 1] - o[..., 1])
                          - (u[..., 1] - o[..., 1]) * (v[..., 0] - o[..., 0]))

    return np.asarray((cross(a, b, c) * cross(a, b, d) < 0) & (cross(c, d, a) * cross(c, d, b) < 0), dtype=bool)


def _meet_pairs(p: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Whether each segment of ``p`` ((k, 4)) runs into each of ``boxes`` ((b, 4)): (k, b) booleans (Liang–Barsky:
    some point of the segment, its ends left out, strictly inside the box). Only the pairs whose bounding boxes meet
    are computed: a segment whose box lies beside another box cannot run into it (``(lo - o) / d`` rounds no nearer
    than the segment's own end does), so the answers are those of computing every pair.

    Examples
    --------
    >>> _meet_pairs(np.array([[0., 5., 10., 5.], [0., 0., 1., 1.]]), np.array([[4., 4., 6., 6.]])).tolist()
    [[True], [False]]
    """
    out = np.zeros((len(p), len(boxes)), dtype=bool)
    if not len(boxes) or not len(p):
        return out
    lo_p, hi_p = np.minimum(p[:, :2], p[:, 2:]), np.maximum(p[:, :2], p[:, 2:])
    i, j = np.nonzero((lo_p[:, None, 0] <= boxes[None, :, 2]) & (hi_p[:, None, 0] >= boxes[None, :, 0])
                      & (lo_p[:, None, 1] <= boxes[None, :, 3]) & (hi_p[:, None, 1] >= boxes[None, :, 1]))
    if not len(i):
        return out
    o, d = p[i, :2], p[i, 2:] - p[i, :2]
    lo, hi = boxes[j, :2], boxes[j, 2:]
    with np.errstate(divide="ignore", invalid="ignore"):
        t_lo, t_hi = (lo - o) / d, (hi - o) / d
    still = d == 0  # along an axis the segment does not move: inside the box's band, or never
    inside = (o > lo) & (o < hi)
    t0 = np.where(still, np.where(inside, -np.inf, np.inf), np.minimum(t_lo, t_hi)).max(axis=1)
    t1 = np.where(still, np.where(inside, np.inf, -np.inf), np.maximum(t_lo, t_hi)).min(axis=1)
    out[i, j] = np.maximum(t0, 0.0) < np.minimum(t1, 1.0)
    return out


class _Rows:
    """A table of rows (x0, y0, x1, y1) that grows one row at a time in amortised constant time (a list of rows
    stacked anew for each label took a second for a town of a thousand units)."""

    def __init__(self, rows: np.ndarray) -> None:
        rows = np.asarray(rows, dtype=float).reshape(-1, 4)
        self._buf = np.empty((max(64, 2 * len(rows)), 4))
        self._buf[:len(rows)] = rows
        self.n = len(rows)

    def add(self, row: np.ndarray) -> None:
        if self.n == len(self._buf):
            self._buf = np.concatenate([self._buf, np.empty_like(self._buf)])
        self._buf[self.n] = row
        self.n += 1

    @property
    def rows(self) -> np.ndarray:
        return self._buf[:self.n]


#: how many candidates of a label :func:`place_clear` tests at a time, first alone, then more and more: the first
#: one that passes is taken, so a label placed near its anchor tests no further
CLEAR_BATCHES = (1, 16, 48, 128)


def place_clear(boxes_wh: np.ndarray, anchors: np.ndarray, frame: tuple[float, float, float, float],
                avoid: np.ndarray, *, rings: int, segments: np.ndarray, points: np.ndarray,
                strict: bool = True, tried: int = 0) -> np.ndarray:
    """As :func:`place_labels`, and besides: a label moved off its anchor has a leader line (:func:`leader_segments`)
    that crosses none of the ``segments`` (the leader lines drawn) nor of the lines of labels placed before it and
    runs into no ``avoid`` box nor label placed; no label covers a segment or one of ``points`` (the anchors of
    other labels) other than its own anchor; with ``strict`` False only the lines' crossings are looked at. NaN for a
    label with no such place. The candidates of the first ``tried`` rings are not tested (a pass before this one,
    as strict, found none of them clear among fewer boxes, lines and points: :func:`first_untried`).

    A label's candidates are tested a batch at a time (:data:`CLEAR_BATCHES`), each against the lines, boxes and
    points within reach of all of them, until one passes: the same place as testing every candidate and taking the
    first that passes, without testing the candidates after it.

    Examples
    --------
    >>> seg = np.array([[0., 50., 100., 50.]])  # a line across the middle
    >>> c = place_clear(np.array([[10., 4.]]), np.array([[50., 51.]]), (0, 0, 100, 100), np.empty((0, 4)), rings=3,
    ...                 segments=seg, points=np.empty((0, 2)))
    >>> bool(c[0, 1] - 2 > 50 or c[0, 1] + 2 < 50)
    True
    """
    boxes_wh = np.asarray(boxes_wh, dtype=float).reshape(-1, 2)
    out = np.full((len(anchors), 2), np.nan)
    if not len(out):
        return out
    avoid = np.asarray(avoid, dtype=float).reshape(-1, 4)
    grid = BoxGrid(frame, boxes_wh.max(axis=0), avoid)
    segs = _Rows(np.asarray(segments, dtype=float).reshape(-1, 4))
    placed = _Rows(avoid)
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    f = np.asarray(frame, dtype=float)
    edge = np.array([1.0, 1.0, -1.0, -1.0])  # a line may touch a box's edge
    skip = first_untried(tried)
    for i, ((w, h), a) in enumerate(zip(boxes_wh, anchors, strict=True)):
        c = _candidates(w, h, rings) + a
        bx = np.c_[c[:, 0] - w / 2, c[:, 1] - h / 2, c[:, 0] + w / 2, c[:, 1] + h / 2]
        ok = (bx[:, 0] >= f[0]) & (bx[:, 1] >= f[1]) & (bx[:, 2] <= f[2]) & (bx[:, 3] <= f[3])
        ok[:skip] = False
        idx = np.flatnonzero(ok)
        idx = idx[grid._free(bx[idx])] if len(idx) else idx
        if not len(idx):
            continue
        # what the candidates and their lines may touch
        reach = np.r_[np.minimum(bx[idx, :2].min(axis=0), a), np.maximum(bx[idx, 2:].max(axis=0), a)]
        s = segs.rows
        s = s[(np.minimum(s[:, 0], s[:, 2]) <= reach[2]) & (np.maximum(s[:, 0], s[:, 2]) >= reach[0])
              & (np.minimum(s[:, 1], s[:, 3]) <= reach[3]) & (np.maximum(s[:, 1], s[:, 3]) >= reach[1])]
        b = placed.rows
        b = b[(b[:, 0] <= reach[2]) & (b[:, 2] >= reach[0]) & (b[:, 1] <= reach[3]) & (b[:, 3] >= reach[1])]
        p = pts[(pts[:, 0] >= reach[0]) & (pts[:, 0] <= reach[2]) & (pts[:, 1] >= reach[1]) & (pts[:, 1] <= reach[3])]
        p = p[~np.all(np.isclose(p, a), axis=1)]
        shrink = b + edge
        cand = bx[idx]
        lead = leader_segments(np.tile(a, (len(cand), 1)), c[idx], np.tile([w, h], (len(cand), 1)))
        moved = ~np.isnan(lead[:, 0])
        k = -1
        start = 0
        for size in (*CLEAR_BATCHES, len(cand)):
            q = cand[start:start + size]
            if not len(q):
                break
            if strict:  # the box covers no other anchor and no line drawn
                clear = ~((p[None, :, 0] > q[:, None, 0]) & (p[None, :, 0] < q[:, None, 2])
                          & (p[None, :, 1] > q[:, None, 1]) & (p[None, :, 1] < q[:, None, 3])).any(axis=1)
                if clear.any():  # the lines tested only against the boxes still clear
                    clear[clear] = ~_meet_pairs(s, q[clear]).any(axis=0)
            else:
                clear = np.ones(len(q), dtype=bool)
            mv = moved[start:start + len(q)] & clear  # the leader lines of the candidates still clear only
            bad = np.zeros(len(q), dtype=bool)
            if mv.any():
                line = lead[start:start + len(q)][mv]
                bad[mv] = _cross_pairs(line, s).any(axis=1)
                if strict:
                    bad[mv] |= _meet_pairs(line, shrink).any(axis=1)
            good = np.flatnonzero(clear & ~bad)
            if len(good):
                k = start + int(good[0])
                break
            start += len(q)
        if k < 0:
            continue
        out[i] = c[idx[k]]
        grid.add(bx[idx[k]:idx[k] + 1])
        placed.add(bx[idx[k]])
        if moved[k]:
            segs.add(lead[k])
    return out


def tangled_leaders(anchors: np.ndarray, centres: np.ndarray, wh: np.ndarray) -> np.ndarray:
    """The labels (positions) to take off the map (to be marked by a number instead) so that no label covers another
    label's anchor (``anchors``: where its line, or the line of the number it gets, points) and no leader line that
    shows (:func:`leader_segments`) crosses another or runs under another label's box (``wh`` centred on
    ``centres``): first each label over another's anchor, then one at a time the one with the most crossings (then
    the longest line, then the last placed), until none is left. Labels not placed (NaN centres) are none of them.

    Examples
    --------
    >>> a = np.array([[0., 0.], [0., 10.], [50., 50.]])
    >>> c = np.array([[20., 10.], [20., 0.], [60., 50.]])
    >>> tangled_leaders(a, c, np.array([[4., 2.]] * 3)).tolist()
    [1]
    """
    import shapely

    seg = leader_segments(anchors, centres, wh)
    lead = np.flatnonzero(~np.isnan(seg[:, 0]))
    lines = shapely.linestrings(seg[lead].reshape(-1, 2, 2)) if len(lead) else np.empty(0, dtype=object)
    i, j = shapely.STRtree(lines).query(lines, predicate="intersects")
    keep = i < j
    edges = [(int(lead[a]), int(lead[b])) for a, b in zip(i[keep], j[keep], strict=True)]  # both lines count
    shown = np.flatnonzero(~np.isnan(centres[:, 0]))
    boxes = shapely.box(*(np.c_[centres[shown] - wh[shown] / 2, centres[shown] + wh[shown] / 2]).T)
    li, bi = shapely.STRtree(boxes).query(lines, predicate="intersects")
    own = lead[li] == shown[bi]
    # a line under another label: the line's label counts it (-1 - k: the box of label k, gone when k is taken off)
    edges += [(int(lead[a]), -1 - int(shown[b])) for a, b in zip(li[~own], bi[~own], strict=True)]
    # a label over another label's anchor (the unit its line or its number points at): that label is taken off
    others = shapely.points(anchors)
    bj, aj = shapely.STRtree(others).query(boxes, predicate="intersects")
    out: list[int] = sorted({int(shown[b]) for b, a in zip(bj, aj, strict=True) if shown[b] != a})
    edges = [(a, b) for a, b in edges if not set(out) & {a, b, -1 - b}]
    length = np.hypot(seg[:, 2] - seg[:, 0], seg[:, 3] - seg[:, 1])
    while edges:
        count: dict[int, int] = {}
        for a, b in edges:
            count[a] = count.get(a, 0) + 1
            if b >= 0:
                count[b] = count.get(b, 0) + 1
        worst = max(count, key=lambda k: (count[k], length[k], k))
        out.append(worst)
        edges = [(a, b) for a, b in edges if worst not in (a, b, -1 - b)]
    return np.array(sorted(out), dtype=int)


#: the side (mm) a square of the map's grid is near: the grid the numbered key gives each number's place on
GRID_MM = 27.0


def grid_dims(ax: Any) -> tuple[int, int]:
    """The columns (lettered A, B … from the left) and rows (numbered 1, 2 … from the top) of the map's grid:
    squares near :data:`GRID_MM` on a side (A4: 8 x 7, A3: 11 x 9)."""
    fig = ax.get_figure()
    _, _, w, h = ax.get_position(original=True).bounds
    w_mm, h_mm = w * fig.get_figwidth() * 25.4, h * fig.get_figheight() * 25.4
    return (min(max(round(w_mm / GRID_MM), 1), 26), max(round(h_mm / GRID_MM), 1))


def grid_square(ax: Any, xy: np.ndarray) -> str:
    """The grid square ("C4") of the point ``xy`` (display pixels) in the map frame (:func:`grid_dims`)."""
    cols, rows = grid_dims(ax)
    fx, fy = ax.transAxes.inverted().transform(np.asarray(xy, dtype=float).reshape(1, 2))[0]
    c = min(max(int(fx * cols), 0), cols - 1)
    r = min(max(int((1.0 - fy) * rows), 0), rows - 1)
    return f"{chr(ord('A') + c)}{r + 1}"


def _square_order(square: str) -> tuple[str, int]:
    return (square[0], int(square[1:]))


def _draw_grid(ax: Any) -> None:
    """The map's grid (:func:`grid_dims`): thin lines across the frame under the households and labels, the
    columns' letters under the frame and the rows' numbers on both sides of it."""
    cols, rows = grid_dims(ax)
    fig = ax.get_figure()
    line = {"color": "#666666", "linewidth": 0.4, "alpha": 0.7, "zorder": 2.5, "transform": ax.transAxes}
    for c in range(1, cols):
        ax.plot([c / cols, c / cols], [0, 1], **line)
    for r in range(1, rows):
        ax.plot([0, 1], [r / rows, r / rows], **line)
    x0, y0, w, h = ax.get_position(original=True).bounds
    for c in range(cols):
        t = fig.text(x0 + (c + 0.5) / cols * w, y0 - 0.004, chr(ord("A") + c), fontsize=6, ha="center", va="top",
                     color="#333333")
        t.set_gid(f"map-grid {chr(ord('A') + c)}")
    for r in range(rows):
        y = y0 + h - (r + 0.5) / rows * h
        for x, ha in ((x0 - 0.004, "right"), (x0 + w + 0.004, "left")):
            t = fig.text(x, y, str(r + 1), fontsize=6, ha=ha, va="center", color="#333333")
            t.set_gid(f"map-grid {r + 1}")


def _label_texts(parts: pd.DataFrame, ids: np.ndarray, n: pd.Series, lang: Lang) -> list[tuple[str, float]]:
    """The label of each part (:func:`unit_parts`) and its font size relative to the map's: the id and household
    count on a unit's largest part (the id alone when the count is unknown), the id marked as a part on the others."""
    texts = []
    for r, main in zip(parts["row"], parts["main"], strict=True):
        k = n.iloc[r]
        if not main:
            texts.append((text("print.unit_part", lang, unit=ids[r]), 0.85))
        elif pd.notna(k):
            texts.append((text("print.unit_label", lang, unit=ids[r], households=k), 1.0))
        else:
            texts.append((str(ids[r]), 1.0))
    return texts


def _draw_label(ax: Any, anchor: np.ndarray, centre: np.ndarray, s: str, fontsize: float, unit: str,
                keyed: bool) -> bool:
    """One unit label (a key number in its framed box when ``keyed``) centred on ``centre``, with a leader line to
    ``anchor`` when it was moved aside (display pixels), ending in a tick across it (:data:`LEADER_END`). Its gid
    names the unit: ``unit-label U001`` or ``unit-key-number U001``. Whether a leader line was drawn."""
    inv = ax.transData.inverted()
    x, y = inv.transform(centre)
    t = ax.text(x, y, s, ha="center", va="center", fontsize=fontsize, zorder=9, bbox=KEY_BOX if keyed else LABEL_BOX)
    t.set_gid(f"{'unit-key-number' if keyed else 'unit-label'} {unit}")
    if not np.allclose(anchor, centre):
        ax0, ay0 = inv.transform(anchor)
        ax.plot([ax0, x], [ay0, y], color="#444444", linewidth=0.5, zorder=8, gid=f"unit-leader {unit}")
        # its end on the unit: a tick across the line (a grey disc there read as a household)
        angle = float(np.degrees(np.arctan2(centre[1] - anchor[1], centre[0] - anchor[0])))
        end = dict(LEADER_END, marker=(2, 0, angle))
        ax.plot([ax0], [ay0], linestyle="", zorder=8, gid=f"unit-leader-end {unit}", **end)
    return not np.allclose(anchor, centre)


def _text_wh(ax: Any, renderer: Any, s: str, fontsize: float) -> tuple[float, float]:
    """The size (display pixels) of ``s`` drawn at ``fontsize`` (measured, then removed)."""
    w, h = _texts_wh(ax, renderer, [(s, fontsize)])[0]
    return float(w), float(h)


def _texts_wh(ax: Any, renderer: Any, texts: Sequence[tuple[str, float]]) -> np.ndarray:
    """The sizes (display pixels, (n, 2)) of ``texts`` (text, font size) each drawn alone, as :func:`_text_wh`
    measures one: one text on ``ax`` is given each in turn, then removed (a text made and removed for each of a
    town's labels took more time than measuring it)."""
    out = np.zeros((len(texts), 2))
    if not len(texts):
        return out
    t = ax.text(0, 0, "", ha="center", va="center")
    try:
        for k, (s, fontsize) in enumerate(texts):
            t.set_text(s)
            t.set_fontsize(fontsize)
            bb = t.get_window_extent(renderer)
            out[k] = bb.width, bb.height
    finally:
        t.remove()
    return out


def _meeting_boxes(ax: Any, mp: Any) -> np.ndarray:
    """The boxes on the sheet (display pixels) of the meeting-point triangles ``mp`` (in the frame's CRS, or
    None): no unit label may cover one."""
    if mp is None or not len(mp):
        return np.empty((0, 4))
    g = mp.geometry
    g = g[~(g.isna() | g.is_empty)]
    xy = ax.transData.transform(np.c_[g.x.to_numpy(), g.y.to_numpy()]).reshape(-1, 2)
    half = 0.5 * np.sqrt(14.0) * ax.get_figure().dpi / 72.0 + 2.0  # the triangle (s=14 points²) and a margin
    return np.c_[xy - half, xy + half]


def _draw_water(ax: Any, lyr: Mapping[str, Any], crs: Any, lang: Lang) -> list[Any]:
    """Water polygons (lakes, reservoirs, wide rivers) in the frame, filled light blue under everything; the legend
    entry (none when no water lies in the frame)."""
    w = lyr.get("water")
    if not isinstance(w, gpd.GeoDataFrame) or not len(w):
        return []
    from shapely import box

    g = w.to_crs(crs)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    g = g[g.geom_type.str.contains("Polygon") & g.intersects(box(x0, y0, x1, y1))]  # in the frame only
    if not len(g):
        return []
    g.plot(ax=ax, color=WATER_COLOUR, edgecolor=RIVER_COLOUR, linewidth=0.4, zorder=1)
    return [Patch(facecolor=WATER_COLOUR, edgecolor=RIVER_COLOUR, label=text("print.water", lang))]


def _legend(fig: Figure, handles: list[Any], colour_of: Mapping[str, str], lang: Lang) -> Any:
    """The legend in the right column of the sheet: a unit colour swatch, then the layers drawn."""
    swatch = [Patch(facecolor=c, alpha=0.6, edgecolor="#444444") for c in list(dict.fromkeys(colour_of.values()))[:1]]
    if swatch:
        swatch[0].set_label(label("unit_colour", lang))
    right = FRAME[0] + FRAME[2] + 0.02
    leg = fig.legend(handles=swatch + handles, loc="upper left", bbox_to_anchor=(right, FRAME[1] + FRAME[3]),
                     frameon=True, fontsize=8, title=label("legend", lang), title_fontsize=9, borderaxespad=0,
                     handler_map={h: _LeaderHandler() for h in handles if h.get_gid() == "legend-leader"})
    leg.set_zorder(30)
    return leg


#: font sizes (points) the numbered key may take in the right column, largest first
KEY_FONTS = (7.0, 6.5, 6.0, 5.5, 5.0, 4.5, 4.0)
#: the font size (points) of a key too long for the column: the part in the column and the pages after the sheet
KEY_PAGE_FONT = 6.0


def _draw_key(fig: Figure, key: Sequence[KeyEntry], lang: Lang, top: float,
              bottom: float) -> tuple[int, list[Any]]:
    """The numbered key in the right column between ``top`` and ``bottom`` (figure fractions): a title, a line
    saying what the framed numbers are, then number → unit id in columns, down then across, at the largest of
    :data:`KEY_FONTS` that holds them all; a key that none holds takes :data:`KEY_PAGE_FONT` and its first entries
    (in number order), the rest going on the pages after the sheet (:func:`_key_pages`). Returns how many entries
    were drawn and the texts drawn."""
    if not key:
        return 0, []
    renderer = _renderer(fig)
    fh = fig.bbox.height
    x0 = FRAME[0] + FRAME[2] + 0.02
    width = 0.97 - x0
    head = fig.text(x0, top, text("print.key_title", lang), fontsize=8, va="top")
    y = top - head.get_window_extent(renderer).height / fh - 0.006
    numbered = sum(1 for k in key if k[3])
    note = fig.text(x0, y, wrap_to(fig, text("print.key_note", lang, n=numbered), 7, width), fontsize=7, va="top",
                    color="#333333")
    y -= note.get_window_extent(renderer).height / fh + 0.010
    for f in KEY_FONTS:
        if _key_grid(fig, key, f, width, y - bottom, renderer, lang=lang).size >= len(key):
            break
    else:
        f = KEY_PAGE_FONT
    n, drawn = _key_columns(fig, key, f, x0, width, y, bottom, lang=lang)
    return n, [head, note, *drawn]


@dataclass(frozen=True)
class _KeyGrid:
    """The columns a key takes at one font size: the width of the framed number and of the longest unit id and the
    font's size (pixels), the
    width of a whole entry and the height of a line (figure fractions), how many columns and lines fit."""

    number: float
    unit: float
    px: float
    cell: float
    line: float
    cols: int
    per_col: int

    @property
    def size(self) -> int:
        return self.cols * self.per_col


def _key_grid(fig: Figure, key: Sequence[KeyEntry], f: float, width: float, height: float,
              renderer: Any = None, *, lang: Lang = "zh") -> _KeyGrid:
    """The columns of ``key`` at ``f`` points in a box ``width`` x ``height`` (figure fractions): every entry as wide
    as the largest number and the longest unit id of the whole key, so that the pages of one key line up."""
    renderer = renderer or _renderer(fig)
    fw, fh = fig.bbox.width, fig.bbox.height
    px = f * fig.dpi / 72.0
    digits = "8" * len(str(max(k[0] for k in key)))
    longest = max((k[1] for k in key), key=len)
    nw = _fig_text_width(fig, renderer, digits, f) + 0.8 * px  # the framed number
    # the grid squares: each text measured once (thousands of entries share a few hundred squares)
    off = text(OFF_MAP, lang)
    sw = max(_fig_text_width(fig, renderer, s, f) for s in dict.fromkeys(k[3] or off for k in key))
    # an id too long for the whole width is cut (:func:`_key_columns`), its grid square kept on the sheet
    iw = min(_fig_text_width(fig, renderer, longest, f),
             max(width * fw - (nw + 0.5 * px + 0.7 * px + sw + 1.2 * px), 4 * px))
    cell = (nw + 0.5 * px + iw + 0.7 * px + sw + 1.2 * px) / fw
    line = 1.75 * px / fh
    return _KeyGrid(nw, iw, px, cell, line, max(int(width // cell), 1), max(int(height // line), 0))


def _key_columns(fig: Figure, entries: Sequence[KeyEntry], f: float, x0: float, width: float, top: float,
                 bottom: float, whole: Sequence[KeyEntry] | None = None, *, lang: Lang = "zh") -> tuple[int, list[Any]]:
    """As many ``entries`` as fit between ``top`` and ``bottom`` (figure fractions), from ``x0`` across ``width``:
    each a framed number, its unit id (cut in the middle with "…" when longer than the width allows) and the grid
    squares of the number on the map, in columns, down then across, at ``f`` points (columns as wide as the
    ``whole`` key needs). Returns how many were drawn and the texts."""
    g = _key_grid(fig, whole or entries, f, width, top - bottom, lang=lang)
    per_col = max(g.per_col, 1)
    fw, nw, px = fig.bbox.width, g.number, g.px
    drawn: list[Any] = []
    n = min(len(entries), g.cols * per_col)
    for i, (num, unit, _, square) in enumerate(entries[:n]):
        c, r = divmod(i, per_col)
        cx, cy = x0 + c * g.cell, top - (r + 0.5) * g.line
        t = fig.text(cx + (nw - 0.4 * px) / fw, cy, str(num), fontsize=f, ha="right", va="center", bbox=KEY_BOX)
        u = fig.text(cx + (nw + 0.5 * px) / fw, cy, cut_to(fig, unit, f, g.unit, middle=True), fontsize=f, ha="left",
                     va="center")
        q = fig.text(cx + (nw + 0.5 * px + g.unit + 0.7 * px) / fw, cy, square or text(OFF_MAP, lang), fontsize=f,
                     ha="left", va="center", color="#555555" if square else "#b00000")
        for a in (t, u):  # a unit left off the map: named in the key, its number on no map
            a.set_gid(f"{'unit-key-entry' if square else 'unit-key-unplaced'} {unit}")
        q.set_gid(f"unit-key-square {unit}")
        drawn += [t, u, q]
    return n, drawn


#: what the key says in place of the grid square of a unit left off the map (no free place for its number)
OFF_MAP = "print.key_off_map"
#: where the entries of a key page go (figure fractions): left, right, top, bottom
KEY_PAGE_BOX = (0.03, 0.97, 0.86, 0.04)


def _key_pages(entries: Sequence[KeyEntry], *, paper: str, lang: Lang, dpi: int,
               subtitle: str = "") -> list[Figure]:
    """The pages of a numbered key after its sheet, as large as the sheet: on each the title saying the key goes on,
    the line under the sheet's title (village, rule, date), the stamp, the page's number among the pages (the sheet
    is the first) and its numbers, then number → unit id in columns at :data:`KEY_PAGE_FONT`, in number order."""
    w_mm, h_mm = PAPER_MM[paper]
    x0, x1, top, bottom = KEY_PAGE_BOX
    pages: list[tuple[Figure, Sequence[KeyEntry]]] = []
    rest = list(entries)
    while rest:
        fig = Figure(figsize=(w_mm / 25.4, h_mm / 25.4), dpi=dpi)
        _sheet_texts(fig, lang, title=text("print.key_more_title", lang), osm=False, subtitle=subtitle, notes=[])
        n, _ = _key_columns(fig, rest, KEY_PAGE_FONT, x0, x1 - x0, top, bottom, whole=entries, lang=lang)
        pages.append((fig, rest[:n]))  # n >= 1: a page holds one column of one line at the least
        rest = rest[n:]
    for k, (fig, mine) in enumerate(pages, 2):
        fig.text(x0, top + 0.012, text("print.key_page", lang, page=k, pages=len(pages) + 1, numbers=_numbers(mine)),
                 fontsize=9, va="bottom", color="#333333")
    return [fig for fig, _ in pages]


def _fig_text_width(fig: Figure, renderer: Any, s: str, fontsize: float) -> float:
    """The width (display pixels) of ``s`` at ``fontsize``."""
    from matplotlib.font_manager import FontProperties

    return text_width(renderer, s, FontProperties(size=fontsize))


#: a Chinese character: a text may break before any of them
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
#: what a Chinese text is broken between: each Chinese character with the closing punctuation after it (no line starts
#: with "：" or "，"), and each run of other characters (a number range "20–50", an option "--paper", with the
#: punctuation around it), which is broken only when longer than a line; a run ending in a digit keeps the Chinese
#: character right after it, its measure, with or without a space between ("3 度带" is not broken as "3" / "度带", nor
#: "20–50 户" as "20–50" / "户")
_MEASURE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff][，。、：；！？）》」』”’]*")
_ATOM = re.compile(r"[^\u3400-\u9fff\uf900-\ufaff]*\d\s*[\u3400-\u9fff\uf900-\ufaff][，。、：；！？）》」』”’]*"
                   r"|[\u3400-\u9fff\uf900-\ufaff][，。、：；！？）》」』”’]*|[^\u3400-\u9fff\uf900-\ufaff]+")


def wrap_to(fig: Figure, s: str, fontsize: float, width: float) -> str:
    """``s`` broken into lines no wider than ``width`` (figure fraction) at ``fontsize``: a Latin word at the
    space before it where it can, Chinese between any two characters (it has no spaces), so a line never ends
    early just because a Chinese phrase follows a number; never inside a number range or an option name in a
    Chinese text ("20–50", "--paper", :data:`_ATOM`) unless it is longer than a line."""
    from matplotlib.font_manager import FontProperties

    renderer = _renderer(fig)
    prop = FontProperties(size=fontsize)
    limit = width * fig.bbox.width

    def fits(line: str) -> bool:
        return bool(text_width(renderer, line, prop) <= limit)

    lines: list[str] = []
    for para in s.split("\n"):
        line = ""
        toks = re.findall(r"\S+\s*|\s+", para)
        for k in range(len(toks) - 1):  # a number's measure word goes with it (_ATOM)
            m = _MEASURE.match(toks[k + 1]) if toks[k].rstrip()[-1:].isdigit() else None
            if m:
                toks[k], toks[k + 1] = toks[k] + m.group(), toks[k + 1][m.end():]
        for tok in filter(None, toks):
            if fits(line + tok.rstrip()):
                line += tok
                continue
            # a Latin word starts a new line; Chinese goes on on this one, and so does a token that only starts
            # with a number ("600，随轴的顺序而变…" broken after "÷ " left the line half empty)
            if line.strip() and not _HAN.search(tok):
                lines.append(line.rstrip())
                line = ""
            for atom in _ATOM.findall(tok):  # a number range or an option name ("20–50", "--paper") kept whole
                if line and not fits(line + atom.rstrip()):
                    lines.append(line.rstrip())
                    line = ""
                if fits(atom.rstrip()):
                    line += atom
                    continue
                for ch in atom:  # longer than a line: broken where it must be
                    if line and not fits(line + ch):
                        lines.append(line.rstrip())
                        line = ""
                    line += ch
        lines.append(line.rstrip())
    return "\n".join(lines)


#: font sizes (points) a sheet's title may take, largest first; at the last it wraps over two lines at most
TITLE_FONTS = (16.0, 14.0, 12.0, 11.0)


def fit_title(fig: Figure, s: str, width: float) -> tuple[str, float]:
    """A title and its font size that keep it within ``width`` (figure fraction; left of the stamp): the largest of
    :data:`TITLE_FONTS` that holds it on one line, else the smallest, wrapped over two lines, the second cut with
    "…" when it is longer still."""
    for size in TITLE_FONTS:
        if "\n" not in s and _fig_text_width(fig, _renderer(fig), s, size) <= width * fig.bbox.width:
            return s, size
    size = TITLE_FONTS[-1]
    lines = wrap_to(fig, s, size, width).split("\n")
    if len(lines) > 2:
        lines = [lines[0], cut_to(fig, "".join(lines[1:]), size, width * fig.bbox.width)]
    return "\n".join(lines), size


def cut_to(fig: Figure, s: str, fontsize: float, pixels: float, *, middle: bool = False) -> str:
    """``s`` cut with "…" to be at most ``pixels`` wide at ``fontsize``: its end cut off, or with ``middle`` its middle
    (a unit id keeps its start and its end, where ids of one village differ)."""
    r = _renderer(fig)
    return cut_fitting(s, lambda t: _fig_text_width(fig, r, t, fontsize) <= pixels, middle=middle)


def cut_fitting(s: str, fits: Callable[[str], bool], *, middle: bool = False) -> str:
    """``s`` when it ``fits``, else its longest cut that fits, with "…" for what is left out: its end, or with
    ``middle`` its middle (just "…" when no cut fits), found by halving: about log2(len(s)) + 1 measurements, however
    long ``s`` is (a 3000-character settlement name cut one character at a time took minutes).

    Examples
    --------
    >>> cut_fitting("abcdefgh", lambda s: len(s) <= 4), cut_fitting("abc", lambda s: len(s) <= 4)
    ('abc…', 'abc')
    >>> cut_fitting("ab", lambda s: False), cut_fitting("U001-U002", lambda s: len(s) <= 5, middle=True)
    ('…', 'U0…02')
    """
    if len(s) <= 1 or fits(s):
        return s

    def cut(k: int) -> str:  # k characters of s kept
        return s[:(k + 1) // 2] + "…" + s[len(s) - k // 2:] if middle else s[:k] + "…"

    lo, hi = 0, len(s) - 1  # the most characters kept whose cut fits lies in [lo, hi]
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if fits(cut(mid)) else (lo, mid - 1)
    return cut(lo)


def _sheet_texts(fig: Figure, lang: Lang, *, title: str | None, osm: bool | str, subtitle: str, notes: list[str]) -> Any:
    """Title and the line under it (village, rule, date), the stamp, the notes (units, households, CRS, labels
    left out) in the right column, and the data credit (``osm``: :func:`sheet_credit`); every text wrapped to stay on the sheet."""
    stamp = fig.text(0.97, 0.955, text("print.stamp", lang), fontsize=12, color="#b00000", ha="right", va="center",
                     bbox={"boxstyle": "square,pad=0.3", "facecolor": "white", "edgecolor": "#b00000"})
    room = stamp.get_window_extent(_renderer(fig)).x0 / fig.bbox.width - 0.03 - 0.02  # clear of the stamp's box
    s, size = fit_title(fig, title or label("title", lang), room)
    fig.text(0.03, 0.955, s, fontsize=size, va="center", linespacing=1.1, gid="sheet-title")
    stamp.set_gid("sheet-stamp")
    if subtitle:
        fig.text(0.03, 0.918, wrap_to(fig, subtitle, 9, 0.78), fontsize=9, va="center", color="#333333")
    right = FRAME[0] + FRAME[2] + 0.02
    out = fig.text(right, FRAME[1], wrap_to(fig, "\n".join(notes), 7, 0.97 - right), fontsize=7, va="bottom")
    draw_credit(fig, lang, osm)
    return out


def osm_credit(fig: Figure, lang: Lang, x: float = 0.03, y: float = 0.02) -> None:
    """OpenStreetMap's credit at the foot of a sheet drawn from its data (the ODbL asks it)."""
    fig.text(x, y, text("print.osm_attribution", lang), fontsize=7, color="#333333")


def sheet_credit(osm_attribution: bool = False, credit: str | None = None) -> bool | str:
    """What a print sheet credits at its foot: the data credit ``credit`` as given, as the HTML maps show it (also
    one naming OpenStreetMap, its licence kept), on one line (its lines and runs of spaces one space, its invisible
    characters left out); without one, True for OpenStreetMap's credit in the catalogue's words when asked, else
    False.

    Examples
    --------
    >>> sheet_credit(False, " 某测绘院\\n2025 "), sheet_credit(False, "© OpenStreetMap 贡献者（ODbL）")
    ('某测绘院 2025', '© OpenStreetMap 贡献者（ODbL）')
    >>> sheet_credit(True, "某测绘院"), sheet_credit(True), sheet_credit(False, " \u200b "), sheet_credit()
    ('某测绘院', True, False, False)
    """
    line = " ".join(visible(str(credit or "")).split())
    return line or bool(osm_attribution)


def draw_credit(fig: Figure, lang: Lang, credit: bool | str, x: float = 0.03, y: float = 0.02) -> None:
    """The data credit of :func:`sheet_credit` at the foot of a sheet: OpenStreetMap's (True), or the given text as
    the pages show it (:func:`~yuanluo.maps.style.credit_words`: the bundled sample's in the sheet's language, any
    other as given), on one line cut with "…" to the sheet's width (its margins ``x`` on both sides), never read as
    markup or math; nothing when False.

    >>> from matplotlib import rc_context
    >>> from matplotlib.figure import Figure
    >>> from yuanluo.maps.style import SAMPLE_CREDIT
    >>> fig = Figure(figsize=(11.7, 8.3))
    >>> with rc_context(font_rc()):  # the bundled font, as the sheets are drawn
    ...     for lang, credit in [("zh", SAMPLE_CREDIT), ("zh", "某测绘院 2025"), ("en", SAMPLE_CREDIT)]:
    ...         draw_credit(fig, lang, credit)
    >>> for t in fig.texts:
    ...     print(t.get_text())
    © OpenStreetMap 贡献者（ODbL）；高程数据 SRTM（NASA/USGS）
    某测绘院 2025
    © OpenStreetMap contributors (ODbL); SRTM (NASA/USGS)
    """
    if credit is True:
        osm_credit(fig, lang, x, y)
    elif credit:
        words = credit_words(str(credit), lang)  # the sample's in the sheet's language
        fig.text(x, y, cut_to(fig, words, 7, (1 - 2 * x) * fig.bbox.width), fontsize=7, color="#333333",
                 parse_math=False, gid="sheet-credit")
