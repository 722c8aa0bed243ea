"""Interactive field maps: one self-contained, offline HTML file per delineation.

:func:`make_map` draws the layers of a delineation GeoPackage (``households``, ``units``,
``meeting_points``, ``unit_adjacency``; optional ``rivers``, ``roads``, ``boundary``,
``violations``) with folium/Leaflet; :func:`save_map` inlines the vendored Leaflet assets and writes
the file atomically. Layers may be in any projected CRS; they are reprojected to EPSG:4326 only here,
at drawing time, and never modified.

Large plans stay light: households and meeting points travel as compact integer arrays (coordinates in
units of 10^-5 or 10^-6 degree, unit index, status code; run-length or difference coded above
:data:`COMPACT_LIMIT`) and are drawn on one canvas, culled through a Web-Mercator grid index and
hidden (below the zoom where neighbours would be ~6 px apart) when more than :data:`HOUSEHOLD_BUDGET`
are in view or the screen has less than :data:`HOUSEHOLD_AREA_PX` px² for each. Lines and polygons
travel as delta-encoded integers (:func:`_pack`); unit territories are coverage-simplified (shared
borders stay shared), context lines simplified with the extent.

The page's JavaScript and CSS are files in ``maps/assets/`` (``yuanluo.js`` the shared library, one file per
layer or control), inlined when the HTML is built; each layer's data enters as one ``var X = <JSON>;`` of
script-safe JSON (:func:`yuanluo.maps.offline.script_json`), and the page inserts every text with
``textContent``. :func:`render_html` adds a Content-Security-Policy: the page's own inline scripts and
styles by hash, images from ``data:``, no connection (:func:`yuanluo.maps.offline.add_csp`).

No text of the data is ever Jinja template source: branca renders each folium element's macro into a new
element whose template is that output and renders it again, which would run ``{{ ... }}`` in a household's
name as Python. The sections of every page Yuanluo renders (:class:`_Section`, :func:`inert_page`) emit such
output as text, and the page's own texts are :class:`Text` elements, never compiled.

Examples
--------
>>> import geopandas as gpd
>>> from shapely.geometry import Point, box
>>> hh = gpd.GeoDataFrame({"unit_id": ["U1", "U2"], "unit_status": ["ok", "ok"]},
...     geometry=[Point(500000, 3300000), Point(500100, 3300000)], crs="EPSG:32648",
...     index=pd.Index(["001", "002"], name="hid"))
>>> units = gpd.GeoDataFrame({"unit_id": ["U1", "U2"], "n_households": [1, 1], "status": ["ok", "ok"]},
...     geometry=[box(499950, 3299950, 500050, 3300050), box(500050, 3299950, 500150, 3300050)],
...     crs="EPSG:32648")
>>> m = make_map({"households": hh, "units": units}, lang="en")
>>> html = render_html(m)
>>> "Courtyard units" in html and "cdn.jsdelivr" not in html
True
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import re
import threading
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import branca.element
import folium
import geopandas as gpd
import jinja2
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, Figure, MacroElement
from folium import plugins
from folium.template import Template

from yuanluo.gis.catalogue import english_one_rule, has, template
from yuanluo.gis.catalogue import text as _catalogue_text
from yuanluo.gis.columns import town_columns
from yuanluo.gis.delineate.reasons import planner_fixes, reason_pieces, reasons_in
from yuanluo.gis.errors import (
    CRSError,
    InputError,
    InvariantError,
    Problem,
    layer_crs_problems,
    problem,
)
from yuanluo.gis.output import HTML_SUFFIXES, require_free, write_bytes
from yuanluo.gis.personal import PERSONAL_NAMES, map_fields, name_key
from yuanluo.gis.plan import unit_sort_key
from yuanluo.gis.validate import page_text
from yuanluo.maps import offline
from yuanluo.maps.hillshade import HILLSHADE_OPACITY, png_url, web_hillshade
from yuanluo.maps.style import (
    BOUNDARY_COLOUR,
    EXCEPTION_COLOUR,
    MEETING_COLOUR,
    PALETTE,
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
    locked_breaking,
    unit_colours,
)

#: household columns that are never personal and always travel to the card (when the layer has them)
CANONICAL_FIELDS = ("persons", "village", "group", "settlement", "head_candidate")
#: above this many households, coordinates are rounded to 5 decimals (keeps the file small)
RICH_POPUP_LIMIT = 20_000
#: above this many households, the integer arrays and ids are compacted (:func:`_compact_ints`, :func:`_compact_ids`;
#: decoded by the page, the same data): a town of 10,000 carries 0.15 MB of households, not 0.43
COMPACT_LIMIT = 1_000
#: below the zoom where households are ~6 px apart (two above the ~1.5 px zoom), they are drawn only if at most
#: this many are in view ...
HOUSEHOLD_BUDGET = 20_000
#: ... and only if the screen has this many px² for each of them (about 12 × 12 px): a 10,000-household town
#: seen whole on a phone shows its unit fills, not a blanket of dots and meeting points; the demo village does not
HOUSEHOLD_AREA_PX = 150
#: Allow every ``style="..."`` attribute in the page's CSP (``style-src-attr 'unsafe-inline'``). Off: Leaflet
#: styles through the CSSOM, which the CSP does not restrict, and the one attribute the page needs (the
#: locate control's GPS dot) is allowed by hash. Tested in Chromium (tests/test_html_safety.py).
STYLE_ATTRIBUTES = False
#: walking speed (m a minute, about 4.5 km/h) of the GPS card's estimate from your position to the nearest household
GPS_SPEED_M_PER_MIN = 75
#: outside every territory but this close (m) to a household, a GPS fix counts as in that household's unit
GPS_NEAR_M = 150
#: the fill opacity lines.js gives the polygons of a context layer (water: ponds, reservoirs), for the legend's swatch
WATER_FILL_OPACITY = 0.35
#: a list of choices under the search box (villages, settlements, households of one name …) shows this many as
#: buttons, the rest said in one last row (map.search_more): eight 44 px rows stay within a phone's screen
SEARCH_CHOICES = 8




# ---------------------------------------------------------------------------------------------- inputs
def _check_layers(layers: Mapping[str, Any]) -> dict[str, gpd.GeoDataFrame | pd.DataFrame]:
    """Validate the layers once; collect every problem and raise one error (``MAP-LAYERS-TYPE`` when ``layers``
    is not a mapping at all, e.g. a result file's name)."""
    if not isinstance(layers, Mapping):
        given = repr(layers)[:80] if isinstance(layers, str | os.PathLike) else type(layers).__name__
        raise InputError(problem("MAP-LAYERS-TYPE", given=given))
    problems: list[Problem] = []
    crs_problems: list[Problem] = []
    out: dict[str, gpd.GeoDataFrame | pd.DataFrame] = {}
    for name in sorted(layers):
        layer = layers[name]
        if layer is None:
            continue
        if name in ("violations", "run", "unit_adjacency") and not isinstance(layer, gpd.GeoDataFrame):
            if isinstance(layer, pd.DataFrame):
                out[name] = layer
                continue
        if not isinstance(layer, gpd.GeoDataFrame):
            problems.append(problem("MAP-LAYER", layer=name, kind=type(layer).__name__))
            continue
        if len(layer) == 0:
            continue
        bad = layer_crs_problems(name, layer)  # none: CRS-UNSET, declared first
        if bad:
            crs_problems += bad
            continue
        out[name] = layer
    for name, col in (("units", "unit_id"), ("meeting_points", "unit_id")):
        if name in out and col not in out[name].columns:
            problems.append(problem("MAP-COLUMN", layer=name, column=col))
    if crs_problems and not problems:
        raise CRSError(crs_problems)
    if problems or crs_problems:
        raise InputError(problems + crs_problems)
    if "households" not in out and "units" not in out:
        raise InputError(problem("MAP-NO-LAYERS", names=", ".join(sorted(layers)) or "-"))
    return out


def units_as_the_households_have_them(lyr: Mapping[str, Any], lang: Lang = "zh", rules: Any = None
                                      ) -> tuple[dict[str, Any], Problem | None]:
    """A result edited after it was written (a household's unit id changed in QGIS, or a unit polygon
    reshaped: the layers cannot tell which, and the note says either): the units
    layer's figures are no longer those of the households (:func:`yuanluo.gis.io.units_out_of_date`). The units
    out of date get their households, persons and size counted again from the households, no walks, status
    ``stale`` (not "ok": the rules are not checked again) and a finding saying so; the
    households that moved lose their walk to the old meeting point; and ``RESULT-UNITS-STALE`` (a warning: the
    map's legend shows it, ``yuanluo map`` says it with the other notes) names them. The layers as they are, and
    None, when both agree. Doing it twice changes nothing more (the print maps and sheets take the layers it
    gives, and :func:`make_map` does it again for a caller from Python)."""
    from yuanluo.gis.io import units_out_of_date

    by = _size_by(lyr, rules)

    hh, units = lyr.get("households"), lyr.get("units")
    if not isinstance(hh, pd.DataFrame) or not isinstance(units, pd.DataFrame):
        return dict(lyr), None
    stale, moved = units_out_of_date(hh, units)
    if not stale:
        return dict(lyr), None
    out = dict(lyr)
    raw = hh["unit_id"].astype("string").str.strip()
    of = raw.where(raw != "")
    n = of.value_counts()
    persons = (pd.to_numeric(hh["persons"], errors="coerce").groupby(of.to_numpy()).sum()
               if "persons" in hh.columns else None)
    u = units.copy()
    uid = u["unit_id"].astype("string").str.strip()
    old = uid.isin(stale).to_numpy(dtype=bool, na_value=False)
    u.loc[old, "n_households"] = n.reindex(uid[old]).fillna(0).to_numpy()
    if persons is not None and "persons" in u.columns:
        u.loc[old, "persons"] = persons.reindex(uid[old]).fillna(0).to_numpy()
    if "size" in u.columns:  # the measure of the size rule (``by``: households or persons)
        u.loc[old, "size"] = u.loc[old, "persons" if by == "persons" and "persons" in u.columns
                                   else "n_households"].to_numpy()
    for col in ("mean_walk_min", "max_walk_min"):
        if col in u.columns:
            u[col] = pd.to_numeric(u[col], errors="coerce").where(~old)
    u["status"] = np.where(old, "stale", u["status"].astype(object) if "status" in u.columns else "ok")
    out["units"] = u
    note = pd.DataFrame({"unit_id": stale, "code": "RESULT-UNITS-STALE", "message": label("stale_note", lang),
                         "severity": "error"})
    v = lyr.get("violations")
    if isinstance(v, pd.DataFrame) and "code" in v.columns:  # (the note of an earlier pass replaced)
        v = v[v["code"].astype(str) != "RESULT-UNITS-STALE"]
    if isinstance(v, pd.DataFrame) and len(v):
        if "message" not in v.columns:  # the card shows a finding's message, else its code
            v = v.assign(message=v["code"] if "code" in v.columns else "")
        note = pd.concat([v, note], ignore_index=True)
    out["violations"] = note
    if moved.any() and "meeting_walk_min" in hh.columns:
        h2 = hh.copy()
        h2["meeting_walk_min"] = pd.to_numeric(h2["meeting_walk_min"], errors="coerce").where(~moved)
        out["households"] = h2
    return out, problem("RESULT-UNITS-STALE", severity="warning", ids=stale)


def _run_value(layers: Mapping[str, Any], name: str) -> Any:
    """The value of the ``run`` layer's key ``name`` (or ``<prefix>.name``, e.g. ``params.rules.min_size``)."""
    run = layers.get("run")
    if not (isinstance(run, pd.DataFrame) and {"key", "value"} <= set(run.columns)):
        return None
    keys = run["key"].astype(str)
    hit = run.loc[(keys == name) | keys.str.endswith("." + name), "value"]
    return hit.iloc[0] if len(hit) else None


def _size_band(layers: Mapping[str, Any], rules: Any) -> tuple[int, int] | None:
    if rules is not None:
        return int(rules.min_size), int(rules.max_size)
    for lo_key, hi_key in (("rules.min_size", "rules.max_size"), ("min_size", "max_size")):
        lo, hi = _run_value(layers, lo_key), _run_value(layers, hi_key)
        if lo is not None and hi is not None:
            try:
                return int(float(lo)), int(float(hi))
            except (TypeError, ValueError):
                return None
    return None


def _size_by(layers: Mapping[str, Any], rules: Any) -> str:
    """``"persons"`` when the rule counts persons, else ``"households"``."""
    by = getattr(rules, "size_by", None) if rules is not None else _run_value(layers, "rules.size_by")
    return "persons" if str(by or "").strip().lower() == "persons" else "households"


def _to_display(gdf: gpd.GeoDataFrame, shift: Any) -> gpd.GeoDataFrame:
    """Reproject to EPSG:4326 for drawing; optionally shift to GCJ-02 (display only)."""
    out = gdf.to_crs(4326)
    if shift is not None:
        geoms = shapely.transform(out.geometry.values, lambda xy: np.column_stack(shift(xy[:, 0], xy[:, 1])))
        out = out.set_geometry(gpd.GeoSeries(geoms, index=out.index, crs=4326))
    return out


def _gcj_shift() -> Any:
    """The WGS-84 → GCJ-02 display shift of the AMap basemap (:mod:`yuanluo.gis.chinacoords`)."""
    from yuanluo.gis.chinacoords import wgs84_to_gcj02

    def shift(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x, y = wgs84_to_gcj02(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)

    return shift


def _jsonable(v: Any) -> Any:
    if v is None or v is pd.NA:
        return None
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, float) and not np.isfinite(v):
        return None
    if isinstance(v, list | tuple):  # a unit's findings (_violations_by_unit)
        return [_jsonable(x) for x in v]
    return v if isinstance(v, str | int | float | bool) else str(v)


def _shown(v: Any, lang: Lang) -> Any:
    """A household field's value as the card shows it: a yes/no (``True``/``False``, numpy's too) as the
    catalogue's word in ``lang`` (the words of the exported tables, ``out.csv.yes``/``out.csv.no``), never as
    ``true``/``false``; anything else as :func:`_jsonable` gives it.

    Examples
    --------
    >>> _shown(True, "zh"), _shown(np.bool_(False), "zh"), _shown(False, "en"), _shown(1, "en"), _shown(None, "zh")
    ('是', '否', 'no', 1, None)
    """
    if isinstance(v, bool | np.bool_):
        return _catalogue_text("out.csv.yes" if v else "out.csv.no", lang)
    return _jsonable(v)


# ---------------------------------------------------------------------------------------------- compact data
def _compact_ints(a: Any, compact: bool) -> Any:
    """An integer array as a JSON-ready value: a plain list, or (``compact``) the shortest of the plain
    list, run-length pairs ``{"r": [value, count, ...]}``, differences ``{"z": [...]}`` and run-length
    differences ``{"zr": [...]}`` (decoded by ``Y.ints`` in the page).

    Examples
    --------
    >>> _compact_ints([5, 6, 7, 8, 9, 10, 11, 12], True)
    {'zr': [5, 1, 1, 7]}
    >>> _compact_ints([3, 1, 4], True)
    [3, 1, 4]
    """
    arr = np.asarray(a, dtype=np.int64).ravel()
    plain = arr.tolist()
    if not compact or len(arr) < 8:
        return plain

    def rle(x: np.ndarray) -> list[int]:
        if len(x) == 0:
            return []
        starts = np.flatnonzero(np.r_[True, x[1:] != x[:-1]])
        counts = np.diff(np.r_[starts, len(x)])
        return np.column_stack([x[starts], counts]).ravel().tolist()

    diff = np.diff(arr, prepend=0)
    options: list[Any] = [plain, {"r": rle(arr)}, {"z": diff.tolist()}, {"zr": rle(diff)}]
    sizes = [len(json.dumps(o, separators=(",", ":"))) for o in options]
    return options[int(np.argmin(sizes))]


def _compact_ids(ids: Sequence[str], compact: bool) -> Any:
    """Household ids: a plain list, or (``compact``) ``{"p": prefix, "w": digits, "n": numbers}`` when every
    id is the same prefix followed by a number of the same width (leading zeros kept on decoding).

    Examples
    --------
    >>> _compact_ids([f"H{i:04d}" for i in range(9, 19)], True)
    {'p': 'H', 'w': 4, 'n': {'zr': [9, 1, 1, 9]}}
    >>> _compact_ids(["A1", "B2"], True)
    ['A1', 'B2']
    """
    plain = [str(i) for i in ids]
    if not compact or not plain:
        return plain
    mt = re.fullmatch(r"(.*?)(\d+)", plain[0])
    if mt is None or len(mt.group(2)) > 15:
        return plain
    prefix, width = mt.group(1), len(mt.group(2))
    s = pd.Series(plain, dtype=object)
    if not (s.str.len().eq(len(prefix) + width).all() and s.str.startswith(prefix).all()):
        return plain
    digits = s.str.slice(len(prefix))
    if not digits.str.fullmatch(r"\d+").all():
        return plain
    return {"p": prefix, "w": width, "n": _compact_ints(digits.astype(np.int64).to_numpy(), True)}


def _quantise(lat: np.ndarray, lon: np.ndarray, decimals: int) -> tuple[float, float, np.ndarray, np.ndarray]:
    """Origin (rounded minimum) and integer offsets in units of ``10**-decimals`` degree."""
    q = 10.0**-decimals
    lat0 = float(np.round(lat.min(), decimals)) if len(lat) else 0.0
    lon0 = float(np.round(lon.min(), decimals)) if len(lon) else 0.0
    return lat0, lon0, np.rint((lat - lat0) / q).astype(np.int64), np.rint((lon - lon0) / q).astype(np.int64)


def _pack(geoms: Any, decimals: int, depth: int) -> dict[str, Any]:
    """Pack EPSG:4326 lines or polygons for the page (decoded by ``Y.unpack``).

    ``d`` holds the integer steps (latitude, longitude interleaved, each from the previous vertex, in
    units of ``q`` degree from the origin ``lat0``/``lon0``); ``n`` the vertex count of every ring or line,
    then the count of rings per polygon, then of polygons per geometry, ``depth`` levels in all (1: list of
    lines; 2: list of polygons, or of multi-lines; 3: list of multi-polygons). Shared vertices round to
    the same integers, so borders shared by neighbouring polygons stay shared.

    Examples
    --------
    >>> from shapely.geometry import LineString
    >>> p = _pack(np.array([LineString([(1.0, 2.0), (1.00002, 2.00001)])]), 5, 1)
    >>> p["d"], p["n"], p["lat0"], p["lon0"]
    ([0, 0, 1, 2], [[2]], 2.0, 1.0)
    """
    geoms = np.asarray(geoms, dtype=object)
    if len(geoms) == 0:
        return {"lat0": 0.0, "lon0": 0.0, "q": 10.0**-decimals, "d": [], "n": [[] for _ in range(depth)]}
    _typ, coords, offsets = shapely.to_ragged_array(geoms, include_z=False)
    levels = [np.diff(o) for o in offsets]
    while len(levels) < depth:
        levels.append(np.ones(len(levels[-1]) if levels else len(geoms), dtype=np.int64))
    lat0, lon0, iy, ix = _quantise(coords[:, 1], coords[:, 0], decimals)
    steps = np.column_stack([np.diff(iy, prepend=0), np.diff(ix, prepend=0)]).ravel()
    return {"lat0": lat0, "lon0": lon0, "q": 10.0**-decimals, "d": steps.tolist(),
            "n": [lv.tolist() for lv in levels[:depth]]}


def _flat_parts(geoms: Any) -> tuple[np.ndarray, np.ndarray]:
    """Single polygons and single lines (LineString) among ``geoms`` (multi-parts and collections split)."""
    parts = shapely.get_parts(shapely.get_parts(np.asarray(geoms, dtype=object)))
    parts = parts[~(shapely.is_missing(parts) | shapely.is_empty(parts))]
    tid = shapely.get_type_id(parts)
    lines = parts[tid == 1]
    rings = parts[tid == 2]
    if len(rings):  # closed rings drawn as lines
        lines = np.concatenate([lines, np.array([shapely.linestrings(shapely.get_coordinates(r)) for r in rings],
                                                dtype=object)])
    return parts[tid == 3], lines


def _context_tolerance(bounds: np.ndarray) -> float:
    """Simplification tolerance (m) for context lines: a quarter of the metres per pixel of a 1000-pixel
    view of the whole extent, at least 5 m.

    Examples
    --------
    >>> _context_tolerance(np.array([0.0, 0.0, 30_000.0, 20_000.0]))
    7.5
    >>> _context_tolerance(np.array([0.0, 0.0, 2_000.0, 1_000.0]))
    5.0
    """
    span = float(max(bounds[2] - bounds[0], bounds[3] - bounds[1])) if np.all(np.isfinite(bounds)) else 0.0
    return max(5.0, span / 1000.0 / 4.0)


# ---------------------------------------------------------------------------------------------- elements
_NEWLINE = re.compile(r"(\r\n|\r|\n)")


def _as_jinja_text(text: str) -> str:
    """``text`` as a Jinja template without markup renders it: newlines as ``\\n``, one final newline dropped
    (what branca's second rendering did to every element's text, kept so that pages keep their bytes).

    Examples
    --------
    >>> _as_jinja_text("a\\r\\nb\\rc\\n"), _as_jinja_text("{{7*7}}{% if x %}{# c #}\\n\\n")
    ('a\\nb\\nc', '{{7*7}}{% if x %}{# c #}\\n')
    """
    lines = _NEWLINE.split(text)[::2]
    if lines[-1] == "":
        del lines[-1]
    return "\n".join(lines)


class Text(Element):
    """Text or markup put into a page as it is: never compiled as a template (``{{``, ``{%`` and ``{#`` in it
    stay text; only newlines are written as ``\\n`` and one final newline dropped, as branca has always written
    a page's texts). Every text Yuanluo adds to a page's header or body is one of these; escape what it holds
    (:func:`_esc`) as HTML needs.

    Examples
    --------
    >>> Text("<title>{{7*7}} {% if true %}X{% endif %}</title>").render()
    '<title>{{7*7}} {% if true %}X{% endif %}</title>'
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Text"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return _as_jinja_text(self.text)


class _Section(Element):
    """The header, body or script section of a page (:func:`inert_page`): its elements rendered, and the text
    of an element that is text alone (what branca makes of each folium element's rendered macro,
    ``Element(<output>)``, where the output holds the element's data) emitted as it is instead of compiled
    and rendered again as a Jinja template. The body section also draws, before its own elements, the
    ``drawn`` ones: a user's ``Element``/``Html`` added to the map (:func:`_dropped_texts`)."""

    def __init__(self) -> None:
        super().__init__()
        self.drawn: list[Element] = []

    def render(self, **kwargs: Any) -> str:
        return _section_text(self, kwargs)


def _section_text(el: Element, kwargs: dict[str, Any]) -> str:
    """What branca's ``Element`` renders for ``el``'s children (a line break and four spaces before each),
    with no text compiled."""
    out = [child.render(**kwargs) for child in getattr(el, "drawn", ())]
    for child in el._children.values():
        if type(child) is Element and child._template_name is None:
            src = child._template_str
            out.append(_as_jinja_text(src) if src is not None else _section_text(child, kwargs))
        else:
            out.append(child.render(**kwargs))
    return "".join("\n    " + x for x in out)


class _Source:
    """What ``Element(text)`` keeps instead of a compiled template while a page is copied or rendered
    (:func:`_not_compiled`): the text, compiled only if something renders it as a template, which a page's
    sections (:class:`_Section`) never do. Compiling alone is not harmless: a syntax error stops the page, and
    Jinja folds constant expressions (``{{ 9**9**9 }}``) while compiling."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._compiled: jinja2.Template | None = None

    def _template(self) -> jinja2.Template:
        if self._compiled is None:
            self._compiled = jinja2.Template(self.source)
        return self._compiled

    def render(self, *args: Any, **kwargs: Any) -> str:
        return self._template().render(*args, **kwargs)

    @property
    def module(self) -> Any:
        return self._template().module


_ELEMENT_RENDER = Element.render


def _text_as_it_is(self: Element, **kwargs: Any) -> str:
    """``Element.render`` while a page is rendered (:func:`_not_compiled`): an ``Element(text)`` (a user's
    ``folium.Element("<p>…</p>")``, wherever it was added) gives its text as it is, never rendered as a
    template; every other element renders as branca renders it."""
    if type(self) is Element and self._template_str is not None:
        return _as_jinja_text(self._template_str)
    return str(_ELEMENT_RENDER(self, **kwargs))


#: held by a thread for the whole of its :func:`_not_compiled` (re-entrant: a page's render nests one in
#: another), so that renders in several threads (a notebook's thread pool) take turns: the swap of branca's
#: globals is made when the first enters and undone when it leaves, never while another render is under way
_SWAP_LOCK = threading.RLock()
#: how deep the thread holding :data:`_SWAP_LOCK` is in :func:`_not_compiled`, and what branca had before
_swap: dict[str, Any] = {"depth": 0}


@contextlib.contextmanager
def _not_compiled() -> Iterator[None]:
    """While copying or rendering a page: the text of each ``Element(text)`` branca makes of a rendered macro
    is kept as it is (:class:`_Source`), not compiled as a template, and an ``Element(text)`` made before
    (a user's) renders as its text (:func:`_text_as_it_is`).

    branca's ``Template`` and ``Element.render`` are globals of the process: one thread renders under this at
    a time (:data:`_SWAP_LOCK`), the outermost entry swapping them and its exit putting back what was there.
    Code that is not Yuanluo's rendering a branca page in another thread meanwhile sees the swap too.
    """
    with _SWAP_LOCK:
        if _swap["depth"] == 0:
            _swap["template"], _swap["render"] = branca.element.Template, Element.render
            branca.element.Template = _Source  # type: ignore[misc,assignment]
            Element.render = _text_as_it_is  # type: ignore[method-assign]
        _swap["depth"] += 1
        try:
            yield
        finally:
            _swap["depth"] -= 1
            if _swap["depth"] == 0:
                branca.element.Template = _swap.pop("template")  # type: ignore[misc]
                Element.render = _swap.pop("render")  # type: ignore[method-assign]


class _InertFigure(Figure):
    """The root of every page :class:`YuanluoMap` makes: rendered (by :func:`render_html` or folium's own
    ``save()``) without compiling any text (:func:`inert_page`, :func:`_not_compiled`)."""

    def render(self, **kwargs: Any) -> str:
        with _not_compiled():
            inert_page(self)
            return str(super().render(**kwargs))


def _dropped_texts(root: Figure) -> list[Element]:
    """The user's texts whose output folium would drop: each ``Element(text)`` or ``Html`` whose parent is
    not a container that writes its children out (a plain ``Element``, a page section) but the map, a
    layer, a marker or the page's root, which render their children and keep nothing of them. In the
    order of the page's tree."""
    out: list[Element] = []
    stack: list[tuple[Element, Element]] = [(root, c) for c in reversed(root._children.values())]
    while stack:
        parent, el = stack.pop()
        if isinstance(parent, _Section) or type(parent) is Element:
            pass  # written out by its container (a section emits texts as they are)
        elif (type(el) is Element and el._template_str is not None) or type(el) is branca.element.Html:
            out.append(el)
        stack.extend((el, c) for c in reversed(el._children.values()))
    return out


def inert_page(root: Figure) -> Figure:
    """``root`` with its header, body and script sections made :class:`_Section`\\ s (in place; again is a
    no-op): no text that reaches the page is ever compiled as a template, whatever folium element brought it.

    A user's text added to the map (``folium.Element("<p>…</p>").add_to(m)``, ``folium.Html(…)``), whose
    output folium itself would render and drop, is drawn at the top of the page's body, its text as it is
    (:func:`_dropped_texts`; rendered under :func:`_not_compiled`, never as a template).

    Examples
    --------
    >>> f = Figure()
    >>> _ = f.header.add_child(Element("<title>{{7*7}}</title>"))
    >>> _ = f.add_child(Element("<p>{{7*7}}</p>"))
    >>> with _not_compiled():
    ...     html = inert_page(f).render()
    >>> "<title>{{7*7}}</title>" in html and "<p>{{7*7}}</p>" in html
    True
    """
    for name in ("header", "html", "script"):
        old = getattr(root, name)
        if isinstance(old, _Section):
            continue
        new = _Section()
        new._name, new._id, new._children, new._parent = old._name, old._id, old._children, root
        setattr(root, name, new)
    body = root.html
    assert isinstance(body, _Section)
    body.drawn = _dropped_texts(root)
    return root


class _Js(MacroElement):
    """One of Yuanluo's script assets in the map's script section, run with the parent's and the map's JS
    variables, after its data as one ``var`` assignment of script-safe JSON (:func:`offline.script_json`).

    The code is a file in ``maps/assets/``; data never enters it by string formatting.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(parent, map) {
        {{ this.code }}
        })({{ this._parent.get_name() }}, {{ this._map_name }});
        {% endmacro %}
        """
    )

    def __init__(self, asset: str, map_name: str, var: str, data: Any) -> None:
        super().__init__()
        if not re.fullmatch(r"[A-Z]", var):
            raise ValueError(f"data variable {var!r}: one capital letter")
        self._name = "YuanluoJs"
        self.code = f"var {var} = {page_text(offline.script_json(data))};\n{offline.read_own_asset(asset)}"  # no bidi
        self._map_name = map_name


# ---------------------------------------------------------------------------------------------- layers
def _decimals(n: int) -> int:
    return 6 if n <= RICH_POPUP_LIMIT else 5


def _household_payload(
    hh: gpd.GeoDataFrame, unit_index: Mapping[str, int], colours: Sequence[str], lang: Lang,
    include_personal: bool, decimals: int, zmin: float = 0.0, fields: Sequence[str] = (), *,
    units: Any = None,
) -> dict[str, Any]:
    """The households' page data: ids, integer coordinate offsets, unit index, status code, walking minutes to
    the meeting point (tenths, ``w``; None when the layer has no ``meeting_walk_min``) and the dictionary-encoded
    ``fields`` asked for (personal ones only with ``include_personal``; no other column travels); above
    :data:`COMPACT_LIMIT` households the integer arrays and ids are compacted (:func:`_compact_ints`,
    :func:`_compact_ids`). ``units``: the units table, telling which locked units break a rule (their households
    ringed; :func:`yuanluo.maps.style.household_status`)."""
    pts = hh.geometry.values
    ok = ~(shapely.is_missing(pts) | shapely.is_empty(pts))
    hh = hh[ok]
    lon = shapely.get_x(hh.geometry.values)
    lat = shapely.get_y(hh.geometry.values)
    q = 10.0**-decimals
    lat0, lon0, dlat, dlon = _quantise(lat, lon, decimals)
    compact = len(hh) > COMPACT_LIMIT
    unit = hh["unit_id"].astype("string") if "unit_id" in hh else pd.Series(pd.NA, index=hh.index, dtype="string")
    u = unit.map(lambda x: unit_index.get(str(x), -1) if x is not pd.NA else -1).to_numpy(dtype=np.int64)
    status = household_status(hh, units)
    st = status.map({"ok": 0, "exception": 1, "unassigned": 2}).to_numpy(dtype=np.int64)
    if "unit_status" in hh:  # a check's map: households of units (or named) with a violation
        raw = hh["unit_status"].astype("string").str.strip().str.lower().eq("violation")
        st = np.where(raw.to_numpy(dtype=bool, na_value=False) & (st != 2), 3, st)
    walk = None
    if "meeting_walk_min" in hh.columns:
        wm = pd.to_numeric(hh["meeting_walk_min"], errors="coerce").to_numpy(dtype=float)
        walk = _compact_ints(np.where(np.isfinite(wm), np.rint(wm * 10), -1).astype(np.int64), True)
    # allow-list: the canonical fields (the town column, 乡镇 …, before the village where the layer has one: two
    # villages of one name in two towns read apart), then the columns the caller names (personal ones only on request)
    town = town_columns(hh.columns)[:1]
    needed = [*CANONICAL_FIELDS[:1], *town, *CANONICAL_FIELDS[1:]]
    fields = map_fields(hh, fields, include_personal=include_personal, needed=needed,
                        skip={"unit_id", "unit_status", "meeting_walk_min", hh.geometry.name, "hid"})
    extra = []
    for c in fields:  # dictionary-encoded: distinct values in natural order and one code per household (-1 = empty)
        col = hh[c].astype(object).where(hh[c].notna(), None)
        codes, values = _natural_codes([_shown(v, lang) for v in col.tolist()])
        extra.append({"v": values, "c": _compact_ints(codes, compact)})
    return {
        "lat0": lat0,
        "lon0": lon0,
        "q": q,
        "zmin": round(float(zmin), 2),
        "dlat": _compact_ints(dlat, compact),
        "dlon": _compact_ints(dlon, compact),
        "hid": _compact_ids([str(i) for i in hh.index], compact),
        "u": _compact_ints(u, compact),
        "st": _compact_ints(st, compact),
        "w": walk,
        "units": list(unit_index),
        "colours": list(colours),
        "fields": fields,
        "fieldLabels": [label("town" if c in town else c, lang) for c in fields],
        "extra": extra,
        "stText": [label("ok", lang), label("exception", lang), label("unassigned", lang), label("violation", lang)],
        "lab": {k: label(k, lang) for k in ("hid", "unit_id", "status", "meeting_points")},
    }


CARD_TEXTS = ("card.close", "card.household", "card.unit", "card.size", "card.unit_persons", "card.walk_here",
              "card.minutes", "card.walk_unit", "card.walk_pair", "card.meeting", "card.go_household", "card.open_unit",
              "card.head", "card.heads", "card.findings", "card.broken", "card.none_broken", "card.no_value",
              "card.exceptions", "card.exception_item", "card.no_candidate", "card.fix", "card.show_household",
              "card.show_unit", "unit_id", "status", "reason", "persons", "n_households", "gps.failed", "gps.denied",
              "gps.unavailable", "gps.timeout")


def _natural_codes(vals: Sequence[Any]) -> tuple[np.ndarray, list[Any]]:
    """A column dictionary-encoded: a code per value (-1 for None) into its distinct values, in the natural order a
    person reads a list in (:func:`yuanluo.gis.plan.unit_sort_key`: numbers in the text, digits or Chinese numerals,
    compared as numbers; then as written), which the search box's lists of choices follow (villages, groups,
    settlements …). Text order listed 10组 before 2组, 十组 before 二组, 10 before 2.

    >>> codes, values = _natural_codes(["十组", "2组", None, "二组", "10组", "2组", 10, 2, "U10", "U2"])
    >>> values, codes.tolist()
    ([2, '2组', '二组', 10, '10组', '十组', 'U2', 'U10'], [5, 1, -1, 2, 4, 1, 3, 0, 7, 6])
    """
    keyed = [json.dumps(v, ensure_ascii=False) for v in vals]
    uniques = sorted({k for k, v in zip(keyed, vals, strict=True) if v is not None},
                     key=lambda k: (unit_sort_key(json.loads(k)), k))
    at = {k: j for j, k in enumerate(uniques)}
    codes = np.array([-1 if v is None else at[k] for k, v in zip(keyed, vals, strict=True)], dtype=np.int64)
    return codes, [json.loads(k) for k in uniques]


def _card_data(pg: _Page, band: tuple[int, int] | None, by: str) -> dict[str, Any]:
    """What the household and unit cards (``card.js``) show, one entry per unit of ``pg.units`` (the index
    the households carry): size and band, status and reason, meeting point, walks, heads, check findings."""
    lang, ids = pg.lang, pd.Index(pg.units)
    src = pg.lyr.get("units")
    u = pd.DataFrame(index=ids)
    if isinstance(src, pd.DataFrame) and len(src):
        tbl = pd.DataFrame(src.drop(columns=getattr(src, "geometry", pd.Series()).name, errors="ignore"))
        tbl = tbl.assign(unit_id=tbl["unit_id"].astype(str)).drop_duplicates("unit_id").set_index("unit_id")
        u = u.join(tbl, how="left")
    hh = pg.lyr.get("households")
    if "n_households" not in u.columns or u["n_households"].isna().any():
        counts = (hh["unit_id"].astype(str).value_counts() if isinstance(hh, pd.DataFrame) and "unit_id" in hh
                  else pd.Series(dtype=np.int64))
        u["n_households"] = u.get("n_households", pd.Series(index=ids, dtype=float)).fillna(counts.reindex(ids))
    n = pd.to_numeric(u["n_households"], errors="coerce")
    size = pd.to_numeric(u["size"], errors="coerce") if "size" in u else n
    if by == "persons" and "persons" in u:
        size = pd.to_numeric(u["persons"], errors="coerce")
    status = u["status"].astype("string").fillna("ok") if "status" in u else pd.Series("ok", index=ids)
    by_unit = _violations_by_unit(pg.lyr.get("violations"), lang)
    viol = pd.Series([by_unit.get(x, "") for x in ids], index=ids, dtype=object)  # "": none (a list is truthy in JS)
    # a unit kept locked as planned breaks a rule only where it records one (LOCK-BREACH), as its check finds; an
    # exception the delineation declared (or a check excused: SIZE-EXCEPTION …) breaks none, as check counts
    st = status.str.strip().str.lower()
    excused = _excused_units(pg.lyr.get("violations"))
    exc = st.eq("exception") | pd.Series(ids, index=ids).isin(sorted(excused))
    kept = st.isin(["ok", "locked", "exception"])
    bad = ~kept | pd.Series(ids, index=ids).isin(sorted(locked_breaking(u.rename_axis("unit_id").reset_index())))
    bad |= pd.Series(ids, index=ids).isin(_breaking_units(pg.lyr.get("violations")))
    if band is not None:
        bad |= ((size < band[0]) | (size > band[1])) & ~exc
    exc &= ~bad
    own_code = _text(u.get("code"), len(u))
    exc_codes = [own_code[k] or excused.get(x, "") for k, x in enumerate(ids)]

    def natural(at: np.ndarray) -> list[int]:  # the card's lists of units as a person reads them: U2 before U10
        return sorted((int(k) for k in at), key=lambda k: unit_sort_key(ids[k]))

    exc_at = natural(np.flatnonzero(exc.to_numpy()))
    reasons = _text(reasons_in(u, lang), len(u))
    cols = pd.DataFrame({
        "n": _fmt0(n, len(u)), "size": _fmt0(size, len(u)), "persons": _fmt0(u.get("persons"), len(u)),
        "status": _status_words(status, _error_codes(pg.lyr.get("violations")), lang),
        "reason": reasons,
        "fix": _text(planner_fixes(u, lang), len(u)),  # what to do, as the command line says it for the unit
        "meet": _meeting_hids(u.get("meeting_hid"), pg.lyr.get("meeting_points"), ids),
        "mean": _fmt(u.get("mean_walk_min"), len(u)), "max": _fmt(u.get("max_walk_min"), len(u)),
        "head": _text(u.get("head_hid"), len(u)),
        "viol": viol.to_numpy(dtype=object),
    }, index=ids)
    size_keys = {k: label(f"card.size_{k}_{by}", lang) for k in ("ok", "low", "high", "plain")}
    return {"units": list(ids), "band": list(band) if band else None, "by": by,
            "f": _columns(cols, list(cols.columns)), "bad": natural(np.flatnonzero(bad.to_numpy())),
            "exc": [[k, exc_codes[k]] for k in exc_at],
            "excWords": [_code_words(exc_codes[k], lang) for k in exc_at],
            "heads": _head_known(u), "headIds": _head_lists(u.get("head_candidates"), len(u)),
            # each reason cut around the households it names by id, which the card makes links (None: as text)
            "why": _reason_links(reasons, u.get("reason_params"), lang),
            "sizeText": size_keys, "lab": {k: label(k, lang) for k in CARD_TEXTS},
            # where a reason's clauses meet (gis.delineate.reasons): the card begins each clause on a line of its own
            "clauseSep": _catalogue_text("delineate.reason.sep", lang)}


def _town_card(pg: _Page) -> dict[str, Any] | None:
    """What the unit card adds where the units layer has a ``town`` (``card_town.js``): per unit of ``pg.units``
    its town and village (the village by its own name, beside its town), so that the units of 新华村 of 甲镇 and
    新华村 of 乙镇 read apart; None where the units have no town column or every town is blank (the page then as
    without one).

    Examples
    --------
    >>> u = pd.DataFrame({"unit_id": ["U2", "U1"], "town": ["乙镇", "甲镇"], "village": ["新华村", "新华村"]})
    >>> pg = _Page(None, {"units": u}, "en", None, 6, 0, ["U1", "U2", "U3"], {})  # type: ignore[arg-type]
    >>> d = _town_card(pg); d["town"], d["village"], d["lab"]
    (['甲镇', '乙镇', None], ['新华村', '新华村', None], {'town': 'Town', 'village': 'Village'})
    >>> _town_card(_Page(None, {"units": u.assign(town=None)}, "zh", None, 6, 0, ["U1"], {}))  # type: ignore[arg-type]
    """
    src = pg.lyr.get("units")
    if not isinstance(src, pd.DataFrame) or "town" not in src.columns or "unit_id" not in src.columns:
        return None
    tbl = pd.DataFrame({c: _text(src[c], len(src)) if c in src.columns else np.full(len(src), "", dtype=object)
                        for c in ("unit_id", "town", "village")})
    tbl = tbl.assign(town=tbl["town"].str.strip(), village=tbl["village"].str.strip())
    if not (tbl["town"] != "").any():
        return None
    tbl = tbl.drop_duplicates("unit_id").set_index("unit_id").reindex(pd.Index(pg.units, dtype=object))
    cols = tbl.where(tbl.notna() & (tbl != ""), None)
    return {**_columns(cols, ["town", "village"]), "lab": {k: label(k, pg.lang) for k in ("town", "village")}}


def _meeting_hids(col: Any, mp: Any, ids: pd.Index) -> np.ndarray:
    """Each unit's meeting household: its ``meeting_hid`` where the units layer gives one, else the ``hid`` of
    its point in the ``meeting_points`` layer (a check's map draws the points walked to; its units table has
    no ``meeting_hid``), else empty.

    Examples
    --------
    >>> mp = pd.DataFrame({"unit_id": ["U1", "U2"], "hid": ["A7", "B2"]})
    >>> _meeting_hids(None, mp, pd.Index(["U1", "U2", "U3"])).tolist()
    ['A7', 'B2', '']
    >>> _meeting_hids(pd.Series(["C1", None], index=["U1", "U2"]), mp, pd.Index(["U1", "U2"])).tolist()
    ['C1', 'B2']
    """
    out = _text(col, len(ids))
    if isinstance(mp, pd.DataFrame) and {"unit_id", "hid"} <= set(mp.columns) and len(mp):
        hid = pd.Series(_text(mp["hid"], len(mp)), index=_text(mp["unit_id"], len(mp)))
        hid = hid[(hid != "") & (hid.index != "")]
        hid = hid[~hid.index.duplicated()]
        drawn = hid.reindex(pd.Index(ids).astype(str)).fillna("").to_numpy(dtype=object)
        out = np.where(out == "", drawn, out)
    return out


def _reason_links(reasons: np.ndarray, params: Any, lang: Lang) -> list[list[str] | None]:
    """Each unit's reason (as the card shows it) cut around the households it names by id, text and id by turns
    (:func:`yuanluo.gis.delineate.reasons.reason_pieces`: those beyond the walking limit, the nearest candidate head
    outside a unit without its head); None where it names none or the units have no ``reason_params``.

    >>> p = '{"why": "walk_limit", "beyond": 1, "meeting": "H1", "limit": 4.0, "worst": "6.5", "hids": ["H9"]}'
    >>> from yuanluo.gis.delineate.reasons import render_why
    >>> _reason_links(np.array([render_why(json.loads(p), "en"), ""], dtype=object), pd.Series([p, None]), "en")[0][1:]
    ['H9', '']
    >>> _reason_links(np.array([""], dtype=object), None, "en")
    [None]
    """
    if params is None:
        return [None] * len(reasons)
    return [reason_pieces(str(r), p, lang) if r and isinstance(p, str) and p else None
            for r, p in zip(reasons, params, strict=True)]


def _head_lists(col: Any, n: int) -> list[list[str] | None]:
    """Each unit's candidate heads as a list of household ids (the card makes each a link to its household), from a
    list or its JSON text (as a GeoPackage keeps the units' ``head_candidates``); any other text as one item (shown
    as it is where it names no household); None for none, or without the column.

    Examples
    --------
    >>> _head_lists(pd.Series(['["A1", "A7"]', "[]", None, ["B2", 3], "B4", " "]), 6)
    [['A1', 'A7'], None, None, ['B2', '3'], ['B4'], None]
    >>> _head_lists(None, 2)
    [None, None]
    """
    if col is None:
        return [None] * n
    out: list[list[str] | None] = []
    for v in col:
        if isinstance(v, str) and v.strip().startswith("["):
            with contextlib.suppress(ValueError):
                v = json.loads(v)
        if isinstance(v, list | tuple | np.ndarray):
            items = [str(x) for x in v if x is not None and str(x).strip()]
        else:
            blank = v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) or not str(v).strip()
            items = [] if blank else [str(v)]
        out.append(items or None)
    return out


def _fmt0(col: Any, n: int) -> list[str]:
    """Whole numbers as text ('' when missing)."""
    if col is None:
        return [""] * n
    num = pd.to_numeric(col, errors="coerce")
    return ["" if pd.isna(v) else f"{float(v):.0f}" for v in num]



def _text(col: Any, n: int) -> np.ndarray:
    if col is None:
        return np.full(n, "", dtype=object)
    return np.asarray(col.astype("string").fillna("").astype(str).to_numpy(), dtype=object)


def _fmt(col: Any, n: int) -> np.ndarray:
    if col is None:
        return np.full(n, "", dtype=object)
    num = pd.to_numeric(col, errors="coerce")
    return np.array(["" if pd.isna(v) else f"{float(v):.1f}" for v in num], dtype=object)


def _breaking_units(v: Any) -> list[str]:
    """The units a violations table says break a rule: an error (a violation, as check counts it); an exception
    (excused: :func:`_excused_units`) and a warning that is only a notice (a long join within its limit) do not list
    their unit among them. A table without severities breaks every unit it names."""
    if not isinstance(v, pd.DataFrame) or "unit_id" not in v.columns or len(v) == 0:
        return []
    breaks = np.ones(len(v), dtype=bool)
    if "severity" in v.columns:
        breaks = (v["severity"].astype(str) == "error").to_numpy()
    return sorted({u for u, b in zip(_text(v["unit_id"], len(v)), breaks, strict=True) if b and u})


def _error_codes(v: Any) -> dict[str, list[str]]:
    """unit id → the codes of its errors in a violations table (a check's), in the table's order and once each.

    >>> _error_codes(pd.DataFrame({"unit_id": ["A", "A", "A", "B"], "severity": ["error", "warning", "error", "error"],
    ...                            "code": ["SIZE-LOW", "WALK-EXCEPTION", "SIZE-LOW", "PLAN-NO-HEAD"]}))
    {'A': ['SIZE-LOW'], 'B': ['PLAN-NO-HEAD']}
    """
    if not isinstance(v, pd.DataFrame) or not {"unit_id", "code", "severity"} <= set(v.columns) or len(v) == 0:
        return {}
    out: dict[str, list[str]] = {}
    for uid, code, sev in zip(_text(v["unit_id"], len(v)), _text(v["code"], len(v)), _text(v["severity"], len(v)),
                              strict=True):
        if uid and code and sev.strip().lower() == "error" and code not in out.setdefault(uid, []):
            out[uid].append(code)
    return out


def _status_words(status: pd.Series, errors: Mapping[str, list[str]], lang: Lang) -> pd.Series:
    """The unit card's status: the status word (``map.violation`` …), and for a unit in violation the rules its
    errors break in the editor's words (``editor.code.*``, else the code), as the editor's card names the same state
    (``违规：规模不足、无院落长候选`` there and here; the map said only 违规 beside a list whose warning could end
    "本院落列为例外").

    >>> st = pd.Series(["violation", "exception", "violation"], index=["A", "B", "C"])
    >>> _status_words(st, {"A": ["SIZE-LOW", "PLAN-NO-HEAD"], "B": ["X"]}, "zh").tolist()
    ['违规：规模不足、无院落长候选', '例外', '违规']
    >>> _status_words(st, {"A": ["SIZE-LOW", "X-NEW"]}, "en").tolist()[0]
    'Violation: too small, X-NEW'
    """
    def said(uid: str, x: Any) -> str:
        word, codes = label(str(x), lang), errors.get(uid, [])
        if str(x).strip().lower() != "violation" or not codes:
            return word
        names = [_catalogue_text(f"editor.code.{c}", lang) if has(f"editor.code.{c}") else c for c in codes]
        return _catalogue_text("map.status_codes", lang, status=word,
                               codes=_catalogue_text("list.sep", lang).join(names))
    return pd.Series([said(str(u), x) for u, x in status.items()], index=status.index, dtype=object).astype(str)


def _code_words(codes: str, lang: Lang) -> str:
    """The short words of an exception's codes (``, ``-joined, as :func:`_excused_units` gives them) for the unit
    card's list of exceptions: each code's label, the one its reason starts with on the card (a delineation's
    ``delineate.label.*``, a check's ``check.label.*``), else the code itself; ``""`` for none.

    >>> _code_words("RULE-INFEASIBLE", "zh"), _code_words("HEAD-EXCEPTION, SIZE-EXCEPTION", "en")
    ('规模无法达标', 'too few head candidates to go round, unavoidable size exception')
    >>> _code_words("HEAD-EXCEPTION, SIZE-EXCEPTION", "zh"), _code_words("X-NEW", "en"), _code_words("", "en")
    ('片区院落长候选人不够分、无法避免的户数例外', 'X-NEW', '')
    """
    words = []
    for code in filter(None, (c.strip() for c in codes.split(","))):
        key = next((k for k in (f"delineate.label.{code}", f"check.label.{code}") if has(k)), None)
        words.append(_catalogue_text(key, lang) if key else code)
    return _catalogue_text("list.sep", lang).join(words)


def _excused_units(v: Any) -> dict[str, str]:
    """unit id → the codes (``, ``-joined) of the exceptions a violations table excuses it by
    (:data:`yuanluo.gis.check.EXCEPTION_CODES`: SIZE-EXCEPTION …).

    >>> _excused_units(pd.DataFrame({"unit_id": ["A", "A", "B"], "severity": ["warning"] * 3,
    ...                              "code": ["SIZE-EXCEPTION", "HEAD-EXCEPTION", "PLAN-LONG-JOIN"]}))
    {'A': 'HEAD-EXCEPTION, SIZE-EXCEPTION'}
    """
    from yuanluo.gis.check import EXCEPTION_CODES

    if not isinstance(v, pd.DataFrame) or not {"unit_id", "code"} <= set(v.columns) or len(v) == 0:
        return {}
    out: dict[str, set[str]] = {}
    for uid, code in zip(_text(v["unit_id"], len(v)), _text(v["code"], len(v)), strict=True):
        if uid and code in EXCEPTION_CODES:
            out.setdefault(uid, set()).add(code)
    return {u: ", ".join(sorted(c)) for u, c in sorted(out.items())}


def _head_known(u: pd.DataFrame) -> bool:
    """Whether a units table knows candidate heads: it names a suggested head (``head_hid``) in some unit. A plan
    delineated without a candidate-head column (the demo's: ``n_heads`` 0 in every unit) names none: its cards
    show no head row, where one with candidates says "no candidate" of a unit without."""
    return bool(_text(u.get("head_hid"), len(u)).astype(bool).any())


def _violations_by_unit(v: Any, lang: Lang = "zh") -> dict[str, list[list[str]]]:
    """unit id → its findings as the card lists them, one item each: ``[severity, sentence, fix]`` (``"e"`` an
    error, ``"w"`` a warning; the sentence without its fix line, the fix line as the message says it, "处理办法：…",
    or ""), errors first, each in the table's order and once, as the check report lays them out: one finding under
    another, its fix under it. They were one paragraph, joined by "; " with each fix inline (s60 A finding H).

    >>> v = pd.DataFrame({"unit_id": ["A", "A", "B", None], "severity": ["warning", "error", "error", "error"],
    ...                   "message": ["警告 W-X：甲。\\n  处理办法：改甲。", "错误 E-Y：乙。", "错误 E-Y：乙。", "丙"]})
    >>> _violations_by_unit(v, "zh")
    {'A': [['e', '错误 E-Y：乙。', ''], ['w', '警告 W-X：甲。', '处理办法：改甲。']], 'B': [['e', '错误 E-Y：乙。', '']]}
    """
    if not isinstance(v, pd.DataFrame) or "unit_id" not in v.columns or len(v) == 0:
        return {}
    text_col = "message" if "message" in v.columns else ("code" if "code" in v.columns else None)
    texts = _text(v[text_col], len(v)) if text_col else np.array([""] * len(v), dtype=object)
    warn_word = _catalogue_text("problem.warning", lang)
    sev = (_text(v["severity"], len(v)) if "severity" in v.columns
           else np.array(["warning" if t.startswith(warn_word) else "error" for t in texts], dtype=object))
    lead = _catalogue_text("problem.fix", lang, fix="\x00").split("\x00")[0]
    out: dict[str, list[list[str]]] = {}
    for uid, s, txt in zip(_text(v["unit_id"], len(v)), sev, texts, strict=True):
        if not uid:  # a violation of no unit (PLAN-UNASSIGNED) has a blank or NaN unit id
            continue
        lines, fix = txt.split("\n"), ""
        if len(lines) > 1 and lines[-1].strip().startswith(lead):
            txt, fix = "\n".join(lines[:-1]), lines[-1].strip()
        item = ["w" if str(s).strip().lower() == "warning" else "e", txt, fix]
        if item not in out.setdefault(uid, []):
            out[uid].append(item)
    return {k: sorted(t, key=lambda x: x[0] != "e") for k, t in sorted(out.items())}


def _simplify_units(units: gpd.GeoDataFrame, n_households: int) -> gpd.GeoDataFrame:
    """Coverage simplification in the working CRS, shared borders kept: the tolerance grows with the
    number of households, 2 m up to 5,000, ``2 * sqrt(n / 5000)`` m above (about 9 m at 100,000), at most
    10 m."""
    tol = _unit_tolerance(n_households)
    geoms = units.geometry.values
    valid = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    out = units.copy()
    if valid.sum() == 0:
        return out
    try:
        simp = shapely.coverage_simplify(geoms[valid], tol)
    except Exception:  # noqa: BLE001 - an invalid coverage (overlaps) falls back to per-polygon simplify
        simp = shapely.simplify(geoms[valid], tol, preserve_topology=True)
    new = np.array(geoms, dtype=object)
    new[valid] = simp
    return out.set_geometry(gpd.GeoSeries(new, index=out.index, crs=units.crs))


def _unit_tolerance(n_households: int) -> float:
    """Coverage-simplification tolerance (m) of unit territories for a plan of ``n_households``.

    Examples
    --------
    >>> _unit_tolerance(1_000), _unit_tolerance(20_000), round(_unit_tolerance(100_000), 1)
    (2.0, 4.0, 8.9)
    """
    return float(min(10.0, max(2.0, 2.0 * np.sqrt(max(n_households, 0) / 5000.0))))


def _context_data(gdf: gpd.GeoDataFrame, key: str, tol: float, decimals: int, shift: Any) -> dict[str, Any]:
    """A context layer (boundary, rivers, water, roads) as packed lines and polygons, simplified by ``tol``
    metres in the working CRS. Boundary polygons become their outlines, each shared border once."""
    geoms = gdf.geometry.values
    if key == "boundary":
        polys, lines = _flat_parts(geoms)
        outlines = shapely.boundary(polys)
        merged = shapely.union_all(np.concatenate([lines, outlines])) if len(polys) + len(lines) else None
        lines = _flat_parts([shapely.line_merge(merged)])[1] if merged is not None else lines
        polys = polys[:0]
    else:
        polys, lines = _flat_parts(geoms)
    lines = shapely.simplify(lines, tol, preserve_topology=False)
    polys = shapely.simplify(polys, tol, preserve_topology=True)
    out = {}
    for name, arr, depth in (("lines", lines, 1), ("polygons", polys, 2)):
        arr = arr[~(shapely.is_missing(arr) | shapely.is_empty(arr))]
        disp = _to_display(gpd.GeoDataFrame(geometry=arr, crs=gdf.crs), shift).geometry.values
        out[name] = _pack(disp, decimals, depth)
    return out


def _nn_zoom(hh: gpd.GeoDataFrame) -> float:
    """The Web-Mercator zoom from which neighbouring households are about 1.5 px apart (median nearest-
    neighbour distance in the working CRS; 0 for fewer than two households)."""
    from scipy.spatial import cKDTree

    xy = shapely.get_coordinates(hh.geometry.values)
    if len(xy) < 2:
        return 0.0
    d, _ = cKDTree(xy).query(xy, k=2)
    spacing = float(np.median(d[:, 1]))
    lat = float(np.nanmedian(shapely.get_y(hh.to_crs(4326).geometry.values)))
    metres_per_px_z0 = 2 * np.pi * 6378137.0 / 256.0 * np.cos(np.radians(lat))
    return float(np.clip(np.log2(metres_per_px_z0 * 1.5 / max(spacing, 0.1)), 0.0, 19.0))


def _columns(df: pd.DataFrame, fields: Sequence[str]) -> dict[str, Any]:
    """Columnar, JSON-ready unit fields: dictionary-encoded where that is shorter (decoded by ``Y.col``)."""
    out: dict[str, Any] = {}
    for c in fields:
        vals = [_jsonable(v) for v in df[c].astype(object).where(df[c].notna(), None).tolist()]
        keyed = pd.Series([json.dumps(v, ensure_ascii=False) for v in vals], dtype=object)
        codes, uniques = pd.factorize(keyed, sort=True)
        if len(uniques) * 2 <= len(vals):
            out[c] = {"v": [json.loads(x) for x in uniques], "c": _compact_ints(codes, True)}
        else:
            out[c] = vals
    return out


def _basemaps(m: folium.Map, names: Sequence[str], tianditu_key: str | None, lang: Lang) -> None:
    """Add the opt-in online tile layers ``names`` (``osm``, ``tianditu``, ``amap``)."""
    for b in names:
        if b == "osm":
            folium.TileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", name="OpenStreetMap",
                             attr='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
                             + label("osm_contributors", lang),
                             max_zoom=19).add_to(m)
        elif b == "tianditu":
            if not tianditu_key:
                raise InputError(problem("MAP-BASEMAP-KEY", basemap="tianditu"))
            key = urllib.parse.quote(tianditu_key, safe="")
            for lyr, nm in (("vec", label("tianditu", lang)), ("cva", None)):
                url = (f"https://t{{s}}.tianditu.gov.cn/{lyr}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
                       f"&LAYER={lyr}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}"
                       f"&TILECOL={{x}}&tk={key}")
                folium.TileLayer(url, name=nm or label("tianditu_labels", lang),
                                 attr=label("tianditu_attr", lang), subdomains="01234567", max_zoom=18,
                                 overlay=nm is None).add_to(m)
        elif b == "amap":
            folium.TileLayer("https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
                             "&x={x}&y={y}&z={z}", name=label("amap", lang),
                             attr=label("amap_attr", lang), subdomains="1234", max_zoom=18).add_to(m)
        else:
            raise InputError(problem("MAP-BASEMAP", basemap=str(b)))


# ---------------------------------------------------------------------------------------------- public
def _check_fields(households: pd.DataFrame, fields: Sequence[str]) -> list[str]:
    """``fields`` as columns of the households layer, as ``--fields`` has them (``人口`` is ``persons``; a
    candidate-head column folded when read, ``返乡能人`` or ``党员``, is ``head_candidate`` or ``party_member``);
    ``MAP-FIELDS-UNKNOWN`` for a name that is none of these, as ``--fields`` is FIELDS-UNKNOWN."""
    from yuanluo.gis.personal import resolve_fields

    try:
        return resolve_fields(households, list(fields), None)
    except InputError as exc:
        said = exc.problems[0].params
        raise InputError(problem("MAP-FIELDS-UNKNOWN", columns=said["columns"], available=said["available"])) \
            from None


def make_map(
    layers: Mapping[str, Any],
    *,
    lang: Lang = "zh",
    hillshade: Any = None,
    basemap: str | Sequence[str] | None = None,
    include_personal: bool = False,
    fields: Sequence[str] = (),
    title: str | None = None,
    rules: Any = None,
    tianditu_key: str | None = None,
    credit: str | None = None,
    maturity: Mapping[str, Any] | None = None,
) -> folium.Map:
    """Build the interactive map of a delineation.

    Parameters
    ----------
    layers : mapping of str to GeoDataFrame
        ``households`` (points, index ``hid``, columns ``unit_id``, ``unit_status``), ``units``
        (territory polygons, ``unit_id``, ``n_households``, ``status``, ``reason``, ``meeting_hid``,
        ``mean_walk_min``, ``max_walk_min``), ``meeting_points``, ``unit_adjacency``; optional
        ``rivers``, ``roads``, ``boundary`` and ``violations`` (a table with ``unit_id`` and
        ``message`` or ``code``) and ``run`` (key/value; its ``min_size``/``max_size`` give the rule).
        Any projected CRS; nothing is modified.
    lang : {"zh", "en"}
        Labels in Chinese (default) or English; any other value is ``MAP-LANG``.
    hillshade : (ndarray, bounds, crs) or object with ``elevation``, ``bounds``, ``crs``, optional
        A DEM drawn as a shaded-relief image overlay.
    basemap : {"osm", "tianditu", "amap"} or a list of them, optional
        Opt-in online tiles (none by default: the map works offline). ``"amap"`` tiles are GCJ-02, so
        every drawn layer is shifted WGS-84 → GCJ-02 for display (the GPS dot is not).
    include_personal : bool
        Let the personal columns named in ``fields`` into the household popups (off by default, PIPL), and
        draw households whose ids are id-card, phone or bank card numbers: without it such a map is
        ID-PERSONAL-PAGE (:func:`yuanluo.gis.personal.require_page_ids`).
    fields : sequence of str
        The only household columns shown besides the canonical ones (persons, village, group, settlement,
        head candidate); a column recognised as personal by name or content
        (:func:`yuanluo.gis.personal.find_personal`) also needs ``include_personal``.
    maturity : mapping, optional
        Six-sided service maturity of the units (:func:`yuanluo.planners.maturity.map_data`: per unit the six
        scores and the hexagon's vertices computed by :mod:`yuanluo.gis.maturity`, shading colours, village
        lines, texts): the unit card gains the hexagon, a layer shades units by weakest category or by mean,
        a panel holds the village summaries.
    title : str, optional
        Title shown on the map (default: "院落划分图" / "Courtyard units").
    rules : yuanluo.gis.rules.Rules, optional
        The size band shown in unit tooltips (otherwise read from the ``run`` layer when present).
    credit : str, optional
        Data credit shown in the map's attribution line (e.g. "© OpenStreetMap contributors" when the
        drawn data come from OSM); read from the ``run`` layer's ``params.data_credit`` when not given.
    tianditu_key : str, optional
        The user's Tianditu key (``tk``), needed for ``basemap="tianditu"``.

    Returns
    -------
    folium.Map
        A :class:`YuanluoMap`. Displayed in a notebook (a cell ending with it), it shows the map inline: the
        page :func:`render_html` gives, in an iframe (:func:`notebook_html`). Its own folium rendering
        (``m.get_root().render()``, ``m.save``) points at the vendored assets through a private scheme and
        draws nothing in a browser: use :func:`save_map` (or :func:`render_html`) to get the self-contained
        HTML.
    """
    if lang not in ("zh", "en"):  # a map in a language it has no words of would silently be Chinese
        raise InputError(problem("MAP-LANG", lang=repr(lang)[:40]))
    lyr = _check_layers(layers)
    if "households" in lyr:  # ids that are id-card or phone numbers go into the page only when asked for
        from yuanluo.gis.personal import page_ids, require_page_ids

        require_page_ids(lyr["households"].index, include_personal=include_personal, also=page_ids(lyr),
                         page="map" if maturity is None else "maturity_map")
    lyr, stale = units_as_the_households_have_them(lyr, lang, rules)
    if fields and "households" in lyr:
        fields = _check_fields(lyr["households"], fields)
    names = [basemap] if isinstance(basemap, str) else list(basemap or [])
    pg = _start_page(lyr, lang, names, tianditu_key)
    if hillshade is not None:
        _add_hillshade(pg, hillshade)
    _add_context_layers(pg)
    card = _card_data(pg, _size_band(lyr, rules), _size_by(lyr, rules))
    if "units" in lyr:
        _add_units(pg, {card["units"][k] for k in card["bad"]} | {card["units"][k] for k, _ in card["exc"]})
    carried: list[str] = []
    if "households" in lyr:
        carried = pg.carried = _add_households(pg, include_personal, fields)
    if "meeting_points" in lyr:
        _add_meeting_points(pg)
    town = _town_card(pg)
    # the name columns among those the page carries: never a column the allow-list kept off the page, not even its name
    card.update({"sep": _catalogue_text("list.sep", lang), "townVillage": town is not None,
                 "nameCols": _name_columns(carried)})
    pg.add_js(pg.m, "card.js", "R", card)
    if town is not None:  # the unit card's town and village: only where the units have a town
        pg.add_js(pg.m, "card_town.js", "W", town)
    if maturity is not None and "units" in lyr:
        fg = folium.FeatureGroup(name=str(maturity.get("lab", {}).get("layer", "")) or label("units", lang))
        pg.add_js(fg, "maturity.js", "H", dict(maturity))
        fg.add_to(pg.m)
    _add_controls(pg, credit, stale.title(lang) if stale is not None else "")
    _finish_page(pg, title)
    pg.m._yuanluo = {"n_households": pg.n_hh, "n_units": len(pg.units),  # type: ignore[attr-defined]
                     "osm": "osm" in names, "basemaps": names, "lang": lang}
    return pg.m


@dataclass
class _Page:
    """What the steps of :func:`make_map` share: the map, the checked layers and the drawing settings."""

    m: folium.Map
    lyr: dict[str, gpd.GeoDataFrame | pd.DataFrame]
    lang: Lang
    shift: Any  # WGS-84 -> GCJ-02 display shift of the AMap basemap, or None
    dec: int  # decimals of the integer coordinates
    n_hh: int
    units: list[str]  # unit ids, sorted
    colour_of: dict[str, str]
    bounds: list[np.ndarray] = field(default_factory=list)  # EPSG:4326 extents of what is drawn
    extras: list[str] = field(default_factory=list)  # context layers named in the legend
    #: the first view ui.js fits, below the search box and the other overlays (:func:`_add_ui`; None: not fitted)
    fit: list[list[float]] | None = None
    #: the household columns the page carries (the allow-list's: :func:`_household_payload`)
    carried: list[str] = field(default_factory=list)
    #: the page draws an unassigned household (grey): the legend's 未分配 row only then (:func:`_legend`)
    unassigned: bool = False
    #: the first household id the page draws (natural order), an example of what the search box takes
    first_hid: str | None = None

    @property
    def map_name(self) -> str:
        return self.m.get_name()

    def add_js(self, parent: Any, asset: str, var: str, data: Any) -> None:
        """Run ``maps/assets/<asset>`` under ``parent`` with ``data`` as ``var``."""
        parent.add_child(_Js(asset, self.map_name, var, data))


def _start_page(lyr: dict[str, Any], lang: Lang, basemaps: Sequence[str], tianditu_key: str | None) -> _Page:
    """The folium map with the vendored Leaflet, the opt-in basemaps and the page library; unit ids and
    colours from units, households and adjacency (colouring on sorted ids)."""
    hh = lyr.get("households")
    n_hh = 0 if hh is None else len(hh)
    unit_ids: set[str] = set()
    if "units" in lyr:
        unit_ids |= set(lyr["units"]["unit_id"].dropna().astype(str))
    if hh is not None and "unit_id" in hh:
        unit_ids |= set(hh["unit_id"].dropna().astype(str))
    unit_ids.discard("")
    units = sorted(unit_ids)
    shift = _gcj_shift() if "amap" in basemaps else None
    m = YuanluoMap(tiles=None, prefer_canvas=True, control_scale=False, max_zoom=19, zoom_start=14,
                   location=[0.0, 0.0])
    m.default_js = list(offline.LEAFLET_JS)
    m.default_css = list(offline.LEAFLET_CSS)
    _basemaps(m, basemaps, tianditu_key, lang)
    pg = _Page(m=m, lyr=lyr, lang=lang, shift=shift, dec=_decimals(n_hh), n_hh=n_hh, units=units,
               colour_of=unit_colours(units, adjacency_pairs(lyr)))
    pg.add_js(m, "yuanluo.js", "K", {"budget": int(HOUSEHOLD_BUDGET), "area": float(HOUSEHOLD_AREA_PX),
                                      "exc": EXCEPTION_COLOUR, "unassigned": UNASSIGNED_COLOUR,
                                      "meeting": MEETING_COLOUR, "one": english_one_rule(lang),
                                      "more": template("map.search_more", lang), "moreAfter": SEARCH_CHOICES})
    return pg


def _add_hillshade(pg: _Page, hillshade: Any) -> None:
    """A DEM as a shaded-relief image overlay (a ``data:`` PNG, :func:`yuanluo.maps.hillshade.png_url`)."""
    rgba, hb = web_hillshade(hillshade)
    if pg.shift is not None:
        (x0, x1), (y0, y1) = pg.shift(np.array([hb[0][1], hb[1][1]]), np.array([hb[0][0], hb[1][0]]))
        hb = [[float(y0), float(x0)], [float(y1), float(x1)]]
    # smoothed when zoomed in past the DEM's cells (folium's default draws each cell as a hard square)
    folium.raster_layers.ImageOverlay(png_url(rgba), bounds=hb, name=label("hillshade", pg.lang), opacity=HILLSHADE_OPACITY,
                                      mercator_project=False, interactive=False, pixelated=False).add_to(pg.m)


def _add_context_layers(pg: _Page) -> None:
    """Boundary, water, rivers and roads as packed lines and polygons, simplified with the extent."""
    main_layer = pg.lyr["households"] if "households" in pg.lyr else pg.lyr["units"]
    ctx_tol = _context_tolerance(np.asarray(main_layer.total_bounds))
    for key, colour, weight in (("boundary", BOUNDARY_COLOUR, 2.5), ("water", RIVER_COLOUR, 1.0),
                                ("rivers", RIVER_COLOUR, 2.0), ("roads", ROAD_COLOUR, 1.5)):
        layer = pg.lyr.get(key)
        if not isinstance(layer, gpd.GeoDataFrame):
            continue
        data = _context_data(layer, key, ctx_tol, pg.dec, pg.shift)
        data["style"] = {"color": colour, "weight": weight, "opacity": 0.8, "fillOpacity": 0.0,
                         "fillColor": colour, "interactive": False, "smoothFactor": 1.0}
        fg = folium.FeatureGroup(name=label(key, pg.lang))
        pg.add_js(fg, "lines.js", "P", data)
        fg.add_to(pg.m)
        pg.extras.append(key)


def _add_units(pg: _Page, bad_units: set[str]) -> None:
    """Unit territories (coverage-simplified), filled by colour, outlined in red when they break the rule or are
    exceptions; a tap opens the unit card; unit ids drawn at a point inside each territory when few are in view."""
    simple = _simplify_units(pg.lyr["units"], pg.n_hh)
    at = _label_anchors(pg, simple)
    ut = _to_display(simple, pg.shift)
    keep = _has_geometry(ut)
    ut, at = ut[keep], at[keep]
    ids = ut["unit_id"].astype(str)
    fill = ids.map(pg.colour_of).fillna(UNASSIGNED_COLOUR)
    pal_codes, pal = pd.factorize(fill, sort=True)
    data = {"g": _pack(ut.geometry.values, pg.dec, 3), "ids": ids.tolist(),
            "pal": [str(c) for c in pal], "ci": _compact_ints(pal_codes, True),
            "bad": _compact_ints(ids.isin(sorted(bad_units)).to_numpy().astype(np.int64), True),
            "at": _latlon(at[:, 0], pg.dec), "alt": _latlon(at[:, 1], pg.dec)}
    fg = folium.FeatureGroup(name=label("units", pg.lang))
    pg.add_js(fg, "units.js", "U", data)
    fg.add_to(pg.m)
    if len(ut):
        pg.bounds.append(np.asarray(ut.total_bounds))


def _latlon(points: np.ndarray, dec: int) -> list[list[float] | None]:
    """[lat, lon] of each point rounded to ``dec`` decimals; None for a missing one."""
    yx = np.round(np.column_stack([shapely.get_y(points), shapely.get_x(points)]), dec)
    return [None if np.isnan(p[0]) else p for p in yx.tolist()]


def _label_anchors(pg: _Page, units: gpd.GeoDataFrame) -> np.ndarray:
    """Where each unit's id is drawn, in display coordinates: inside the unit, clear of its edge and of the
    household and meeting-point dots (:func:`yuanluo.maps.style.label_points`, in the units' CRS); a second
    place (None when the unit has none) for when a map control covers the first."""
    pts = label_points(units.geometry.values, dots_of(pg.lyr, units.crs), k=2)
    shown = _to_display(gpd.GeoDataFrame(geometry=list(pts.ravel()), crs=units.crs), pg.shift).geometry.values
    return np.asarray(shown, dtype=object).reshape(pts.shape)


def _add_households(pg: _Page, include_personal: bool, fields: Sequence[str]) -> list[str]:
    """Households on one canvas (see :func:`_household_payload`); the columns the page carries (the allow-list's)."""
    src = pg.lyr["households"]
    hh = _to_display(src, pg.shift)
    unit_index = {u: i for i, u in enumerate(pg.units)}
    colours = [pg.colour_of[u] for u in pg.units]
    payload = _household_payload(hh, unit_index, colours, pg.lang, include_personal, pg.dec, _nn_zoom(src),
                                 fields, units=pg.lyr.get("units"))
    fg = folium.FeatureGroup(name=label("households", pg.lang))
    pg.add_js(fg, "households.js", "D", payload)
    fg.add_to(pg.m)
    pg.bounds.append(np.asarray(hh.total_bounds))
    drawn = _drawn(src)
    pg.unassigned = bool(household_status(drawn, pg.lyr.get("units")).eq("unassigned").any())
    pg.first_hid = _first_in_order(map(str, drawn.index))
    return [str(c) for c in payload["fields"]]


def _add_meeting_points(pg: _Page) -> None:
    """Meeting points on a canvas; the household popups name the unit a household meets for."""
    mp = _to_display(pg.lyr["meeting_points"], pg.shift)
    mp = _drawn(mp)
    lat0, lon0, iy, ix = _quantise(shapely.get_y(mp.geometry.values), shapely.get_x(mp.geometry.values), pg.dec)
    mu_codes, mu_uniq = pd.factorize(mp["unit_id"].astype("string").fillna(""), sort=True)
    data = {"lat0": lat0, "lon0": lon0, "q": 10.0**-pg.dec,
            "d": np.column_stack([np.diff(iy, prepend=0), np.diff(ix, prepend=0)]).ravel().tolist(),
            "units": [str(x) for x in mu_uniq], "u": _compact_ints(mu_codes, True),
            "hid": _text(mp["hid"], len(mp)).tolist() if "hid" in mp.columns else [None] * len(mp)}
    fg = folium.FeatureGroup(name=label("meeting_points", pg.lang))
    pg.add_js(fg, "meeting_points.js", "M", data)
    fg.add_to(pg.m)


def _add_controls(pg: _Page, credit: str | None, stale: str = "") -> None:
    """Full screen, locate, search, legend (with ``stale``, the RESULT-UNITS-STALE warning, as its note), data
    credit and the layer control."""
    m, lang = pg.m, pg.lang
    _add_tools(pg)
    pg.add_js(m, "search.js", "S", {"bounds": {}, "n_units": len(pg.units), "placeholder": _search_hints(pg),
                                    "notFound": label("not_found", lang), "find": label("find", lang),
                                    "villages": template("map.search_villages", lang),
                                    "values": template("map.search_values", lang),
                                    "households": template("map.search_households", lang),
                                    "place": template("map.search_place", lang), "areas": _area_fields(pg),
                                    "example": search_example(_first_unit(pg), pg.first_hid, lang)})
    note = " ".join(x for x in (stale, label("gps_gcj_warning", lang) if pg.shift is not None else "") if x)
    pg.add_js(m, "gps.js", "P", gps_data(lang))
    pg.add_js(m, "legend.js", "G", _legend(lang, [pg.colour_of[u] for u in pg.units] or list(PALETTE[:4]),
                                           pg.extras, note, unassigned=pg.unassigned))
    run = pg.lyr.get("run")
    if credit is None and isinstance(run, pd.DataFrame) and {"key", "value"} <= set(run.columns):
        hit = run.loc[run["key"].astype(str).str.endswith("data_credit"), "value"]
        credit = str(hit.iloc[0]) if len(hit) else None
    credit = credit_words(credit, lang)  # the bundled sample's in the page's language
    if credit:
        pg.add_js(m, "credit.js", "C", {"html": _esc(credit)})
    folium.LayerControl(collapsed=True).add_to(m)
    _add_ui(pg)


def _name_columns(columns: Sequence[object]) -> list[str]:
    """The household columns holding a person's name (户主姓名, 姓名, name …: :data:`PERSONAL_NAMES`' names): the
    unit card puts the suggested head's name beside the id from the first of them the map carries, which it does only
    where allowed (``--fields`` and ``--include-personal``).

    Examples
    --------
    >>> _name_columns(["hid", "户主姓名", "联系电话", "Name", "village"])
    ['户主姓名', 'Name']
    """
    keys = {name_key(n) for n in PERSONAL_NAMES["name"]}
    return [str(c) for c in columns if name_key(c) in keys or "姓名" in name_key(c)]


def _phone_columns(households: pd.DataFrame, columns: Sequence[str]) -> list[str]:
    """Among ``columns`` (those the page carries), the phone columns: named as one (联系电话, 手机号, phone …:
    :data:`PERSONAL_NAMES`' phones, or a name holding 电话, 手机, phone, mobile) or holding phone numbers; never a
    name column (:func:`_name_columns`).

    Examples
    --------
    >>> hh = pd.DataFrame({"户主姓名": ["李四"], "联系电话2": ["x"], "c7": ["13912345678"], "group": ["1组"]})
    >>> _phone_columns(hh, ["户主姓名", "联系电话2", "c7", "group"])
    ['联系电话2', 'c7']
    """
    from yuanluo.gis.personal import content_kind

    keys, names = {name_key(n) for n in PERSONAL_NAMES["phone"]}, set(_name_columns(columns))
    parts = ("电话", "手机", "phone", "mobile")
    return [str(c) for c in columns if str(c) not in names and c in households.columns
            and (name_key(c) in keys or any(p in name_key(c) for p in parts)
                 or content_kind(households[c]) in ("mobile", "landline"))]


def _search_hints(pg: _Page, own: Literal["unit", "hub"] = "unit") -> list[str]:
    """The search box's placeholder, longest first (``search.js`` shows the first its box has room for): what the
    box finds on this page (:func:`search_hint`), the ids and the places named each (户编号、院落编号或村名), then,
    for a phone's box, the ids and the places each in one word (编号, 地名), last a name and a phone in one too ("Id,
    person or place"). A name or phone is said only where the page carries one (allowed by ``--fields`` and
    ``--include-personal``), a place only where the households have it. ``own``: what the page finds besides its
    households, the field map's units, or the coverage map's service points (by id or name: 服务点, said in every
    form; the shortest say the service points and the places: "Service point or place", "Point or place").

    Examples
    --------
    >>> hh = pd.DataFrame({"village": ["甲村"]})
    >>> _search_hints(_Page(None, {"households": hh}, "zh", None, 6, 0, [], {}, carried=["village"]))  # type: ignore[arg-type]
    ['户编号、院落编号或村名', '编号或村名']
    >>> _search_hints(_Page(None, {"households": hh}, "en", None, 6, 0, [], {}))  # type: ignore[arg-type]
    ['Household id or unit id', 'Household or unit id', 'Id']
    >>> hh = pd.DataFrame({"village": ["甲村"], "group": ["1组"]})
    >>> _search_hints(_Page(None, {"households": hh}, "en", None, 6, 0, [], {}, carried=["village", "group"]),
    ...               "hub")  # type: ignore[arg-type]
    ['Household id, service point, village or group', 'Household id, service point or place', \
'Id, service point, village or group', 'Id, service point or place', 'Service point or place', 'Point or place']
    """
    hh = pg.lyr.get("households")
    carried = [c for c in pg.carried if isinstance(hh, pd.DataFrame) and c in hh.columns]
    person = (["name"] if _name_columns(carried) else []) + (["phone"] if _phone_columns(hh, carried) else [])
    town = town_columns(carried)[:1] if carried else []
    places = [c for c in ("village", "group", "settlement") if c in carried] + (["town"] if town else [])
    short = ["id"] if own == "unit" else ["id", "hub"]
    forms = [(["hid", own], person), (short, person), (short, ["person"] if len(person) > 1 else person)]
    if own == "unit" and not person and not places:  # the demo's: before the one word, both ids said in fewer words
        forms.insert(1, (["hid_unit"], []))
    out: list[str] = []
    for ids, who in forms:
        for where in (places, ["place"] if len(places) > 1 else places):
            hint = search_hint([*ids, *who, *where], pg.lang)
            if hint not in out:
                out.append(hint)
    if own == "hub":  # the points and the places, where even the ids in one word leave no room (English at 188 px)
        for point in ("hub", "point"):
            hint = search_hint([point, *(["place"] if len(places) > 1 else places)], pg.lang)
            if hint not in out:
                out.append(hint)
    return out


def _has_geometry(frame: gpd.GeoDataFrame) -> np.ndarray:
    """Which rows of ``frame`` have a geometry to draw (neither missing nor empty)."""
    g = frame.geometry.values
    return ~(shapely.is_missing(g) | shapely.is_empty(g))


def _drawn(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The rows of ``frame`` the page draws: those with a geometry (:func:`_has_geometry`)."""
    return frame[_has_geometry(frame)]


def _first_in_order(ids: Iterable[str]) -> str | None:
    """The first of ``ids`` in natural order (U2 before U10; :func:`yuanluo.gis.plan.unit_sort_key`), None of none.

    >>> _first_in_order(["U10", "U2"]), _first_in_order([])
    ('U2', None)
    """
    return min(ids, key=lambda x: (unit_sort_key(x), x), default=None)


def _first_unit(pg: _Page) -> str | None:
    """The first unit the page draws (natural order: U2 before U10), the search box finding its id; None without one."""
    u = pg.lyr.get("units")
    if not isinstance(u, gpd.GeoDataFrame) or "unit_id" not in u or not len(u):
        return None
    return _first_in_order({str(x).strip() for x in _drawn(u)["unit_id"].dropna()} - {""})


def search_example(unit: str | None, hid: str | None, lang: Lang) -> str:
    """What the field map's search box takes, with ids of the map, said under 未找到 (``search.js`` S.example; set as
    text, never markup): a household id and a unit id, either alone, or nothing without both.

    >>> search_example("U001", "AD0001", "zh"), search_example(None, "AD0001", "en")
    ('请输入户编号（如 AD0001）或院落编号（如 U001）', 'Type a household id (such as AD0001)')
    >>> search_example(None, None, "zh")
    ''
    """
    if not (unit or hid):
        return ""
    return _catalogue_text(f"map.search_example.{'both' if unit and hid else 'hid' if hid else 'unit'}", lang,
                           hid=hid, unit=unit)


def search_hint(items: Sequence[str], lang: Lang) -> str:
    """What a search box finds, its ``items`` (keys of ``map.search_what``) as ``lang`` lists them, the last after
    "or", English beginning with a capital.

    Examples
    --------
    >>> search_hint(["id", "name", "phone", "place"], "zh"), search_hint(["id", "name", "phone", "place"], "en")
    ('编号、姓名、电话或地名', 'Id, name, phone or place')
    >>> search_hint(["hid"], "en")
    'Household id'
    """
    words = [label(f"search_what.{k}", lang) for k in items]
    out = words[0] if len(words) == 1 else _catalogue_text(
        "map.search_what.or", lang, items=_catalogue_text("list.sep", lang).join(words[:-1]), last=words[-1])
    return out[:1].upper() + out[1:] if lang == "en" else out


def _area_fields(pg: _Page) -> list[str]:
    """The household columns the search box frames as places, as it frames a village: the group, the settlement
    and the town column (乡镇 …) where the households have one. Any other column the map carries (a name or phone
    only where allowed) finds the households holding the value typed.

    Examples
    --------
    >>> hh = pd.DataFrame({"乡镇": ["甲镇"], "group": ["1组"]})
    >>> _area_fields(_Page(None, {"households": hh}, "zh", None, 6, 0, [], {}))  # type: ignore[arg-type]
    ['group', 'settlement', '乡镇']
    """
    hh = pg.lyr.get("households")
    return ["group", "settlement", *(town_columns(hh.columns)[:1] if isinstance(hh, pd.DataFrame) else [])]


def gps_data(lang: Lang) -> dict[str, Any]:
    """The texts and constants of ``gps.js`` (shared with :mod:`yuanluo.maps.coverage`; :mod:`yuanluo.maps.editor`
    takes its sentences for ``editor_gps.js``)."""
    gps: dict[str, Any] = {k: label(f"gps.{k}", lang) for k in ("walk", "how")}
    gps.update({"inUnit": label("gps.in_unit", lang), "walkValue": label("gps.walk_value", lang),
                "outside": label("gps.outside", lang), "go": label("gps.go", lang), "km": label("gps.km", lang),
                "m": label("gps.m", lang), "accuracy": label("gps.accuracy", lang), "title": label("locate", lang),
                "dirs": [label(f"dir.{d}", lang) for d in ("n", "ne", "e", "se", "s", "sw", "w", "nw")],
                "speed": GPS_SPEED_M_PER_MIN, "nearM": GPS_NEAR_M})
    return gps


def _add_ui(pg: _Page) -> None:
    """After the layer control: the metric scale, the controls' titles in the page's language and the first
    view, fitted to what is drawn clear of the overlays (search box, stamp and title, legend; ``ui.js``, which
    then fits it instead of :func:`_finish_page`; shared with :mod:`yuanluo.maps.coverage`)."""
    lang = pg.lang
    fit = pg.fit = _drawn_box(pg)
    pg.add_js(pg.m, "ui.js", "T", {"zoomIn": label("zoom_in", lang), "zoomOut": label("zoom_out", lang),
                                   "layers": label("layers", lang), "locate": label("locate", lang),
                                   "fit": fit})


def _drawn_box(pg: _Page) -> list[list[float]] | None:
    """``[[south, west], [north, east]]`` of what is drawn (EPSG:4326), or None when nothing is."""
    if not pg.bounds:
        return None
    tb = np.vstack(pg.bounds)
    w, s, e, n = np.nanmin(tb[:, 0]), np.nanmin(tb[:, 1]), np.nanmax(tb[:, 2]), np.nanmax(tb[:, 3])
    if not np.all(np.isfinite([w, s, e, n])):
        return None
    return [[float(s), float(w)], [float(n), float(e)]]


def _add_tools(pg: _Page) -> None:
    """The full-screen and locate controls (vendored, offline; shared with :mod:`yuanluo.maps.coverage`)."""
    m, lang = pg.m, pg.lang
    fs = plugins.Fullscreen(title=label("fullscreen", lang), title_cancel=label("exit_fullscreen", lang))
    fs.default_js, fs.default_css = list(offline.FULLSCREEN_JS), list(offline.FULLSCREEN_CSS)
    fs.add_to(m)
    # no compass: its heading arrow is SVG markup with a style="transform: rotate(<heading>deg)" attribute
    # that no hash can allow; the GPS dot's fixed style is allowed by hash (offline.LOCATE_MARKER_STYLE)
    # the GPS mark is a small ring that takes no taps (the household under it stays tappable); no English
    # popup; errors go to the card (gps.js), never to an alert
    loc = plugins.LocateControl(**locate_options(lang))
    loc.default_js, loc.default_css = list(offline.LOCATE_JS), list(offline.LOCATE_CSS)
    loc.add_to(m)


def locate_options(lang: Lang) -> dict[str, Any]:
    """The options of the vendored locate control (◎), as the field map and the editor page give it: no compass
    (its heading arrow is SVG markup with a ``style="transform: rotate(<heading>deg)"`` attribute that no hash can
    allow; the GPS dot's fixed style is allowed by hash, :data:`yuanluo.maps.offline.LOCATE_MARKER_STYLE`); the
    GPS mark a small ring that takes no taps (the household under it stays tappable); no English popup.

    >>> o = locate_options("en"); o["strings"], o["showCompass"], o["markerStyle"]["radius"]
    ({'title': 'Where am I'}, False, 7)
    """
    return {"strings": {"title": label("locate", lang)}, "icon": "yl-locate", "iconLoading": "yl-locate",
            "flyTo": True, "keepCurrentZoomLevel": False, "showCompass": False, "showPopup": False,
            "markerStyle": {"color": "#2A93EE", "weight": 3, "fillColor": "#2A93EE", "fillOpacity": 0, "opacity": 1,
                            "radius": 7, "interactive": False},
            "circleStyle": {"interactive": False}, "locateOptions": {"maxZoom": 18}}


def _legend(lang: Lang, colours_used: Sequence[str], extras: Sequence[str], note: str, *,
            unassigned: bool = True) -> dict[str, Any]:
    """The legend as data for ``legend.js``: rows of a text, colour swatches or a styled mark; the grey dot of an
    unassigned household only where the map draws one (``unassigned``), as the print legend lists only what it shows.

    Examples
    --------
    >>> g = _legend("en", ["#4e79a7", "#4e79a7"], ["roads"], "")
    >>> g["title"], g["rows"][0]["swatches"], g["rows"][-1]["text"]
    ('Legend', ['#4e79a7'], 'Roads')
    >>> [r["text"] for r in _legend("zh", ["#4e79a7"], [], "", unassigned=False)["rows"]]
    ['院落（相邻院落颜色不同）', '例外与违规', '议事点']
    """
    uniq = list(dict.fromkeys(colours_used))
    rows: list[dict[str, Any]] = [
        {"swatches": uniq[:10], "text": label("unit_colour", lang)},
        {"mark": "dot", "style": {"background": "#fff", "border": f"2px solid {EXCEPTION_COLOUR}"},
         "text": label("exceptions", lang)},
        {"mark": "dot", "style": {"background": MEETING_COLOUR, "borderColor": "#fff"},
         "text": label("meeting_points", lang)},
    ]
    if unassigned:
        rows.insert(2, {"mark": "dot", "style": {"background": UNASSIGNED_COLOUR}, "text": label("unassigned", lang)})
    rows += context_legend_rows(lang, extras)
    if note:
        rows.append({"note": True, "text": note})
    # shown only while a search has found something (legend.js Y.legendFound)
    found = {"outline": label("legend_found", lang), "pulse": label("legend_pulse", lang)}
    # the line at the foot of its rows while they scroll (a low screen: legend.js fit), the maturity panel's words
    return {"title": label("legend", lang), "rows": rows, "found": found, "more": _catalogue_text("maturity.map.more", lang)}


def context_legend_rows(lang: Lang, extras: Sequence[str]) -> list[dict[str, Any]]:
    """The legend rows of the context layers a page draws (:func:`_add_context_layers`: boundary, water, rivers,
    roads, in ``extras``' order), in their colours and under their layer names; the field map's and the coverage
    map's legends alike.

    Examples
    --------
    >>> [(r["mark"], r["text"]) for r in context_legend_rows("zh", ["water", "rivers", "roads"])]
    [('area', '水面'), ('line', '河流'), ('line', '道路')]
    """
    styles = {"rivers": RIVER_COLOUR, "roads": ROAD_COLOUR, "boundary": BOUNDARY_COLOUR}
    # water (ponds, reservoirs, wide rivers) is drawn as areas: lines.js fills polygons at WATER_FILL_OPACITY
    water = {"background": f"{RIVER_COLOUR}{round(255 * WATER_FILL_OPACITY):02x}", "borderColor": RIVER_COLOUR}
    return [{"mark": "area", "style": water, "text": label(key, lang)} if key == "water" else
            {"mark": "line", "style": {"borderColor": styles[key]}, "text": label(key, lang)} for key in extras]


def _finish_page(pg: _Page, title: str | None) -> None:
    """Title, stylesheet, stamp and title overlay; the view fitted to what is drawn."""
    root = pg.m.get_root()
    assert isinstance(root, Figure)
    page_title = title or label("title", pg.lang)  # _esc takes out bidi overrides (page_text)
    root.header.add_child(Text(f"<title>{_esc(page_title)}</title>"), name="yl_title")
    root.header.add_child(Text("\n<style>\n" + offline.read_own_asset("yuanluo.css") + "</style>\n"),
                          name="yl_css")
    root.html.add_child(Text(f'<div class="yl-stamp">{_esc(label("stamp", pg.lang))}</div>'
                             f'<div class="yl-title">{_esc(page_title)}</div>'), name="yl_overlay")
    box = pg.fit if pg.fit is not None else _drawn_box(pg)
    if box is not None:
        (s, w), (n, e) = box
        pg.m.location = [(s + n) / 2, (w + e) / 2]
        if pg.fit is None:  # ui.js fits the first view clear of the overlays
            pg.m.fit_bounds(box)


def _esc(text: str) -> str:
    return (page_text(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;"))


_FOLIUM_ID = re.compile(r"\b([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*?)_([0-9a-f]{32})(?![0-9A-Za-z])")


def _stable_ids(html: str) -> str:
    """Replace folium's random element ids (``map_<uuid4 hex>``) by numbers in order of appearance, so the
    same map gives the same bytes.

    Examples
    --------
    >>> _stable_ids("var map_" + "ab" * 16 + " = 1; map_" + "ab" * 16 + ".x; layer_" + "cd" * 16 + "_styler")
    'var map_0001 = 1; map_0001.x; layer_0002_styler'
    """
    seen: dict[str, str] = {}

    def sub(mt: re.Match[str]) -> str:
        key = mt.group(2)
        if key not in seen:
            seen[key] = f"{len(seen) + 1:04d}"
        return f"{mt.group(1)}_{seen[key]}"

    return _FOLIUM_ID.sub(sub, html)


#: folium's viewport meta (``maximum-scale=1.0, user-scalable=no``: a phone cannot enlarge the page, its cards and
#: legend, however small their text reads to an elderly official)
_VIEWPORT = re.compile(r'<meta name="viewport" content="[^"]*"\s*/?>')
#: the viewport every map page has instead: the page may be enlarged (the map itself keeps its own pinch-zoom:
#: Leaflet's container takes touch-action none, so a pinch on the map zooms the map, elsewhere the page)
VIEWPORT_META = '<meta name="viewport" content="width=device-width, initial-scale=1">'


def render_html(m: folium.Map) -> str:
    """The complete, self-contained HTML of a map made by :func:`make_map`, with its Content-Security-Policy.

    The policy (:func:`yuanluo.maps.offline.add_csp`) allows the page's own inline scripts and styles by
    hash, images from ``data:`` and, only for an opt-in basemap, its tile host; no connection at all.

    The map is rendered from a copy (folium adds script lines to a map at each rendering), so the same map
    gives the same page every time: :func:`save_map` writes the same bytes on each save.

    Raises
    ------
    InvariantError
        If any network reference (external script, stylesheet, image) would remain.
    """
    with _not_compiled():  # a copy of a page rendered before keeps its texts uncompiled too
        root = copy.deepcopy(m).get_root()
        assert isinstance(root, Figure)
        html = _stable_ids(offline.inline_assets(inert_page(root).render()))
    html = _VIEWPORT.sub(VIEWPORT_META, html, count=1)
    info = getattr(m, "_yuanluo", {})
    html = html.replace("<html>", f'<html lang="{"en" if info.get("lang") == "en" else "zh-CN"}">', 1)
    ext = offline.external_references(html)
    if ext:
        raise InvariantError(problem("INVARIANT", what=f"map HTML still references {', '.join(ext[:5])}"))
    hosts = [h for b in info.get("basemaps", ()) for h in offline.BASEMAP_HOSTS.get(b, ())]
    return offline.add_csp(html, img_hosts=hosts, style_attributes=STYLE_ATTRIBUTES,
                           style_attribute_values=[offline.LOCATE_MARKER_STYLE])


class YuanluoMap(folium.Map):
    """The :class:`folium.Map` that :func:`make_map` returns (and :mod:`yuanluo.maps.coverage` builds on): a
    notebook cell ending with it shows the map inline (:func:`notebook_html`). folium's own display would load
    Leaflet from the private ``yuanluo-vendor:`` scheme that only :func:`render_html` replaces, and draw nothing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        inert_page(_InertFigure()).add_child(self)  # folium's own save() and render() compile no data either

    def save(self, outfile: Any, close_file: bool = True, *, overwrite: bool = False, **kwargs: Any) -> None:
        """folium's ``save()`` writing what :func:`save_map` writes: the offline page of :func:`render_html`
        (Leaflet inlined, with its Content-Security-Policy), never folium's own page, which loads Leaflet from
        the private ``yuanluo-vendor:`` scheme and shows no map. A path is checked as :func:`save_map` checks
        it (an existing file is :class:`~yuanluo.gis.errors.OutputError` ``OUT-EXISTS`` unless
        ``overwrite=True``) and written atomically; a file object gets the same bytes (closed unless
        ``close_file=False``). ``kwargs``, folium's render options, are not used.

        Examples
        --------
        >>> import io
        >>> from yuanluo.maps.sample import sample_layers
        >>> m = make_map(sample_layers(20, block=5, seed=1), lang="en")
        >>> buf = io.BytesIO()
        >>> m.save(buf, close_file=False)
        >>> buf.getvalue() == render_html(m).encode("utf-8")
        True
        """
        if isinstance(outfile, (str, bytes, os.PathLike)):
            save_map(self, os.fsdecode(outfile), overwrite=overwrite)
            return
        outfile.write(render_html(self).encode("utf-8"))
        if close_file:
            outfile.close()

    def _repr_html_(self, **kwargs: Any) -> str:
        """What Jupyter displays: :func:`notebook_html` (``kwargs``, folium's render options, are not used)."""
        return notebook_html(self)


def notebook_html(m: folium.Map) -> str:
    """The page :func:`render_html` gives (vendored Leaflet inlined, with its Content-Security-Policy), inside
    an ``<iframe srcdoc>`` sized as folium sizes its own notebook output (full width and 60 % as high, or the
    figure's width and height); behind it, the hint to trust the notebook, in the map's language. The map is
    not changed: what :func:`save_map` writes afterwards is what it would have written before.

    Examples
    --------
    >>> from yuanluo.maps.sample import sample_layers
    >>> out = make_map(sample_layers(20, block=5, seed=1), lang="en")._repr_html_()
    >>> out.count("<iframe srcdoc="), "yuanluo-vendor:" in out, "Content-Security-Policy" in out
    (1, False, True)
    """
    page = _esc(render_html(m))  # renders a copy: the map is not changed
    lang: Lang = "en" if getattr(m, "_yuanluo", {}).get("lang") == "en" else "zh"
    root = m.get_root()
    width = getattr(root, "width", "100%")
    height = getattr(root, "height", None)
    ratio = getattr(root, "ratio", "60%")
    frame = 'allowfullscreen webkitallowfullscreen mozallowfullscreen style="border:none !important;'
    if height is None:
        return (f'<div style="width:{width};"><div style="position:relative;width:100%;height:0;'
                f'padding-bottom:{ratio};"><span style="color:#565656">{_esc(label("notebook_trust", lang))}'
                f'</span><iframe srcdoc="{page}" {frame}position:absolute;width:100%;height:100%;left:0;top:0;">'
                "</iframe></div></div>")
    return f'<iframe srcdoc="{page}" width="{width}" height="{height}" {frame}"></iframe>'


def save_map(
    map_or_layers: folium.Map | Mapping[str, Any],
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    **kwargs: Any,
) -> Path:
    """Write a map as one offline HTML file, atomically (:func:`yuanluo.gis.output.write_bytes`).

    Parameters
    ----------
    map_or_layers : folium.Map or mapping of layers
        A map from :func:`make_map`, or the layers to pass to it (with ``**kwargs``).
    path : path-like
        The ``.html`` file to write.
    overwrite : bool
        Replace an existing file (otherwise :class:`~yuanluo.gis.errors.OutputError` ``OUT-EXISTS``).

    The path is checked before the map is built, as the command line checks its outputs
    (:func:`yuanluo.gis.output.require_free`): an existing file, an extension other than ``.html``, a folder
    that does not exist, a name Windows cannot hold.

    Returns
    -------
    Path
        The written file.
    """
    target = Path(path)
    require_free([target], overwrite=overwrite, allowed={target: HTML_SUFFIXES})
    m = map_or_layers if isinstance(map_or_layers, folium.Map) else make_map(map_or_layers, **kwargs)
    return write_bytes(target, render_html(m).encode("utf-8"), overwrite=overwrite)
