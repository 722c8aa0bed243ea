"""Interactive field maps: one self-contained, offline HTML file per delineation.

:func:`make_map` draws the layers of a delineation GeoPackage (``households``, ``units``,
``meeting_points``, ``unit_adjacency``; optional ``rivers``, ``roads``, ``boundary``,
``violations``) with folium/Leaflet; :func:`save_map` inlines the vendored Leaflet assets and writes
the file atomically. Layers may be in any projected CRS; they are reprojected to EPSG:4326 only here,
at drawing time, and never modified.

Large plans stay light: households and meeting points travel as compact integer arrays (coordinates in
units of 10^-5 or 10^-6 degree, unit index, status code; run-length or difference coded above
:data:`RICH_POPUP_LIMIT`) and are drawn on one canvas, culled through a Web-Mercator grid index and
hidden below the zoom where neighbours would be ~1.5 px apart when more than :data:`HOUSEHOLD_BUDGET`
are in view. Lines and polygons travel as delta-encoded integers (:func:`_pack`); unit territories
are coverage-simplified (shared borders stay shared), context lines simplified with the extent.

The page's JavaScript and CSS are files in ``maps/assets/`` (``yuanluo.js`` the shared library, one file per
layer or control), inlined when the HTML is built; each layer's data enters as one ``var X = <JSON>;`` of
script-safe JSON (:func:`yuanluo.maps.offline.script_json`), and the page inserts every text with
``textContent``. :func:`render_html` adds a Content-Security-Policy: the page's own inline scripts and
styles by hash, images from ``data:``, no connection (:func:`yuanluo.maps.offline.add_csp`).

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

import json
import os
import re
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, Figure, MacroElement
from folium import plugins
from folium.template import Template

from yuanluo.gis.errors import (
    CRSError,
    InputError,
    InvariantError,
    OutputError,
    Problem,
    problem,
    require_metric,
)
from yuanluo.gis.output import write_bytes
from yuanluo.gis.personal import map_fields
from yuanluo.maps import offline
from yuanluo.maps.hillshade import web_hillshade
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
    household_status,
    label,
    unit_colours,
)

Basemap = Literal["osm", "tianditu", "amap"]
KNOWN_LAYERS = ("households", "units", "meeting_points", "unit_adjacency", "rivers", "roads", "boundary",
                "violations", "run")
CANONICAL_FIELDS = ("persons", "village", "group", "settlement", "head_candidate")
#: above this many households, only canonical fields travel in the popups (keeps the file small)
RICH_POPUP_LIMIT = 20_000
#: below the zoom where households are ~1.5 px apart, they are drawn only if at most this many are in view
HOUSEHOLD_BUDGET = 20_000
#: Allow every ``style="..."`` attribute in the page's CSP (``style-src-attr 'unsafe-inline'``). Off: Leaflet
#: styles through the CSSOM, which the CSP does not restrict, and the one attribute the page needs (the
#: locate control's GPS dot) is allowed by hash. Tested in Chromium (tests/test_html_safety.py).
STYLE_ATTRIBUTES = False



# ---------------------------------------------------------------------------------------------- inputs
def _check_layers(layers: Mapping[str, Any]) -> dict[str, gpd.GeoDataFrame | pd.DataFrame]:
    """Validate the layers once; collect every problem and raise one error."""
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
        try:
            require_metric(layer.crs, f"layer {name}")
        except CRSError as err:
            crs_problems += err.problems
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


def _size_band(layers: Mapping[str, Any], rules: Any) -> tuple[int, int] | None:
    if rules is not None:
        return int(rules.min_size), int(rules.max_size)
    run = layers.get("run")
    if isinstance(run, pd.DataFrame) and {"key", "value"} <= set(run.columns):
        kv = dict(zip(run["key"].astype(str), run["value"], strict=True))
        for lo_key, hi_key in (("min_size", "max_size"), ("rules.min_size", "rules.max_size")):
            if lo_key in kv and hi_key in kv:
                try:
                    return int(float(kv[lo_key])), int(float(kv[hi_key]))
                except (TypeError, ValueError):
                    return None
    return None


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
    return v if isinstance(v, str | int | float | bool) else str(v)


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
        self.code = f"var {var} = {offline.script_json(data)};\n{offline.read_own_asset(asset)}"
        self._map_name = map_name


# ---------------------------------------------------------------------------------------------- layers
def _decimals(n: int) -> int:
    return 6 if n <= RICH_POPUP_LIMIT else 5


def _household_payload(
    hh: gpd.GeoDataFrame, unit_index: Mapping[str, int], colours: Sequence[str], lang: Lang,
    include_personal: bool, decimals: int, zmin: float = 0.0, fields: Sequence[str] = (),
) -> dict[str, Any]:
    """The households' page data: ids, integer coordinate offsets, unit index, status code and
    dictionary-encoded popup fields; above :data:`RICH_POPUP_LIMIT` households the integer arrays and ids
    are compacted (:func:`_compact_ints`, :func:`_compact_ids`) and only canonical fields travel."""
    pts = hh.geometry.values
    ok = ~(shapely.is_missing(pts) | shapely.is_empty(pts))
    hh = hh[ok]
    lon = shapely.get_x(hh.geometry.values)
    lat = shapely.get_y(hh.geometry.values)
    q = 10.0**-decimals
    lat0, lon0, dlat, dlon = _quantise(lat, lon, decimals)
    compact = len(hh) > RICH_POPUP_LIMIT
    unit = hh["unit_id"].astype("string") if "unit_id" in hh else pd.Series(pd.NA, index=hh.index, dtype="string")
    u = unit.map(lambda x: unit_index.get(str(x), -1) if x is not pd.NA else -1).to_numpy(dtype=np.int64)
    status = household_status(hh)
    st = status.map({"ok": 0, "exception": 1, "unassigned": 2}).to_numpy(dtype=np.int64)
    # allow-list: the canonical fields, then the columns the caller names (personal ones only on request)
    fields = map_fields(hh, fields, include_personal=include_personal, needed=CANONICAL_FIELDS,
                        skip={"unit_id", "unit_status", hh.geometry.name, "hid"})
    extra = []
    for c in fields:  # dictionary-encoded: sorted distinct values and one code per household (-1 = empty)
        col = hh[c].astype(object).where(hh[c].notna(), None)
        vals = [_jsonable(v) for v in col.tolist()]
        keyed = pd.Series([json.dumps(v, ensure_ascii=False) for v in vals], dtype=object)
        codes, uniques = pd.factorize(keyed, sort=True)
        values = [json.loads(x) for x in uniques]
        codes = np.where(np.array([v is None for v in vals], dtype=bool), -1, codes)
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
        "units": list(unit_index),
        "colours": list(colours),
        "fields": fields,
        "fieldLabels": [label(c, lang) for c in fields],
        "extra": extra,
        "stText": [label("ok", lang), label("exception", lang), label("unassigned", lang)],
        "lab": {k: label(k, lang) for k in ("hid", "unit_id", "status", "meeting_points")},
    }


def _units_frame(units: gpd.GeoDataFrame, band: tuple[int, int] | None, lang: Lang,
                 violations: Mapping[str, str]) -> gpd.GeoDataFrame:
    """Tooltip-ready unit table (strings), one row per unit."""
    u = units.copy()
    u["unit_id"] = u["unit_id"].astype(str)
    status = u["status"].astype("string").fillna("ok") if "status" in u else pd.Series("ok", index=u.index)
    rule = f"{band[0]}–{band[1]}" if band else ""
    n = u["n_households"] if "n_households" in u else pd.Series(pd.NA, index=u.index)
    n_txt = n.astype("string").fillna("?")
    status_txt = status.map(lambda s: label(str(s), lang))
    if rule:
        status_txt = status_txt + (f"（{label('rule', lang)} {rule}）" if lang == "zh" else f" (rule {rule})")
    reason = pd.Series(_text(u.get("reason"), len(u)), index=u.index, dtype=str)
    viol = u["unit_id"].map(lambda x: violations.get(x, "")).astype(str)
    reason = (reason + np.where((reason != "") & (viol != ""), "; ", "") + viol).astype(str)
    out = gpd.GeoDataFrame(
        {
            "unit_id": u["unit_id"].to_numpy(),
            "n_households": n_txt.to_numpy(),
            "status": status_txt.to_numpy(),
            "reason": reason.to_numpy(),
            "meeting_hid": _text(u.get("meeting_hid"), len(u)),
            "mean_walk_min": _fmt(u.get("mean_walk_min"), len(u)),
            "max_walk_min": _fmt(u.get("max_walk_min"), len(u)),
            "_bad": (status.astype(str).str.lower() != "ok").to_numpy() | (viol != "").to_numpy(),
        },
        geometry=u.geometry.values,
        crs=u.crs,
    )
    return out


def _text(col: Any, n: int) -> np.ndarray:
    if col is None:
        return np.full(n, "", dtype=object)
    return np.asarray(col.astype("string").fillna("").astype(str).to_numpy(), dtype=object)


def _fmt(col: Any, n: int) -> np.ndarray:
    if col is None:
        return np.full(n, "", dtype=object)
    num = pd.to_numeric(col, errors="coerce")
    return np.array(["" if pd.isna(v) else f"{float(v):.1f}" for v in num], dtype=object)


def _violations_by_unit(v: Any) -> dict[str, str]:
    if not isinstance(v, pd.DataFrame) or "unit_id" not in v.columns or len(v) == 0:
        return {}
    text_col = "message" if "message" in v.columns else ("code" if "code" in v.columns else None)
    out: dict[str, list[str]] = {}
    for uid, txt in zip(v["unit_id"].astype(str), v[text_col].astype(str) if text_col else [""] * len(v),
                        strict=True):
        out.setdefault(uid, []).append(txt)
    return {k: "; ".join(sorted(set(t))) for k, t in sorted(out.items())}


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
        Labels in Chinese (default) or English.
    hillshade : (ndarray, bounds, crs) or object with ``elevation``, ``bounds``, ``crs``, optional
        A DEM drawn as a shaded-relief image overlay.
    basemap : {"osm", "tianditu", "amap"} or a list of them, optional
        Opt-in online tiles (none by default: the map works offline). ``"amap"`` tiles are GCJ-02, so
        every drawn layer is shifted WGS-84 → GCJ-02 for display (the GPS dot is not).
    include_personal : bool
        Let the personal columns named in ``fields`` into the household popups (off by default, PIPL).
    fields : sequence of str
        The only household columns shown besides the canonical ones (persons, village, group, settlement,
        head candidate); a column recognised as personal by name or content
        (:func:`yuanluo.gis.personal.find_personal`) also needs ``include_personal``.
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
        Its assets point at the vendored copies; use :func:`save_map` (or :func:`render_html`) to get
        the self-contained HTML.
    """
    lyr = _check_layers(layers)
    names = [basemap] if isinstance(basemap, str) else list(basemap or [])
    pg = _start_page(lyr, lang, names, tianditu_key)
    if hillshade is not None:
        _add_hillshade(pg, hillshade)
    _add_context_layers(pg)
    if "units" in lyr:
        _add_units(pg, _size_band(lyr, rules))
    if "households" in lyr:
        _add_households(pg, include_personal, fields)
    if "meeting_points" in lyr:
        _add_meeting_points(pg)
    _add_controls(pg, credit)
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
    m = folium.Map(tiles=None, prefer_canvas=True, control_scale=True, max_zoom=19, zoom_start=14,
                   location=[0.0, 0.0])
    m.default_js = list(offline.LEAFLET_JS)
    m.default_css = list(offline.LEAFLET_CSS)
    _basemaps(m, basemaps, tianditu_key, lang)
    pg = _Page(m=m, lyr=lyr, lang=lang, shift=shift, dec=_decimals(n_hh), n_hh=n_hh, units=units,
               colour_of=unit_colours(units, adjacency_pairs(lyr)))
    pg.add_js(m, "yuanluo.js", "K", {"budget": int(HOUSEHOLD_BUDGET), "exc": EXCEPTION_COLOUR,
                                      "unassigned": UNASSIGNED_COLOUR, "meeting": MEETING_COLOUR})
    return pg


def _add_hillshade(pg: _Page, hillshade: Any) -> None:
    """A DEM as a shaded-relief image overlay (a ``data:`` PNG)."""
    rgba, hb = web_hillshade(hillshade)
    if pg.shift is not None:
        (x0, x1), (y0, y1) = pg.shift(np.array([hb[0][1], hb[1][1]]), np.array([hb[0][0], hb[1][0]]))
        hb = [[float(y0), float(x0)], [float(y1), float(x1)]]
    folium.raster_layers.ImageOverlay(rgba, bounds=hb, name=label("hillshade", pg.lang), opacity=0.6,
                                      mercator_project=False, interactive=False).add_to(pg.m)


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
        fg = folium.FeatureGroup(name=label("rivers" if key == "water" else key, pg.lang))
        pg.add_js(fg, "lines.js", "P", data)
        fg.add_to(pg.m)
        if key != "water":
            pg.extras.append(key)


def _add_units(pg: _Page, band: tuple[int, int] | None) -> None:
    """Unit territories (coverage-simplified), filled by colour, outlined in red when not ``ok``."""
    violations = _violations_by_unit(pg.lyr.get("violations"))
    ut = _units_frame(_simplify_units(pg.lyr["units"], pg.n_hh), band, pg.lang, violations)
    ut = _to_display(ut, pg.shift)
    ut = ut[~(shapely.is_missing(ut.geometry.values) | shapely.is_empty(ut.geometry.values))]
    fields = ["unit_id", "n_households", "status", "reason", "meeting_hid", "mean_walk_min", "max_walk_min"]
    fill = ut["unit_id"].map(pg.colour_of).fillna(UNASSIGNED_COLOUR)
    pal_codes, pal = pd.factorize(fill, sort=True)
    data = {"g": _pack(ut.geometry.values, pg.dec, 3), "fields": fields,
            "labels": [label(f, pg.lang) for f in fields], "f": _columns(ut, fields),
            "pal": [str(c) for c in pal], "ci": _compact_ints(pal_codes, True),
            "bad": _compact_ints(ut["_bad"].astype(bool).to_numpy().astype(np.int64), True)}
    fg = folium.FeatureGroup(name=label("units", pg.lang))
    pg.add_js(fg, "units.js", "U", data)
    fg.add_to(pg.m)
    if len(ut):
        pg.bounds.append(np.asarray(ut.total_bounds))


def _add_households(pg: _Page, include_personal: bool, fields: Sequence[str] = ()) -> None:
    """Households on one canvas (see :func:`_household_payload`)."""
    src = pg.lyr["households"]
    hh = _to_display(src, pg.shift)
    unit_index = {u: i for i, u in enumerate(pg.units)}
    colours = [pg.colour_of[u] for u in pg.units]
    payload = _household_payload(hh, unit_index, colours, pg.lang, include_personal, pg.dec, _nn_zoom(src),
                                 fields)
    fg = folium.FeatureGroup(name=label("households", pg.lang))
    pg.add_js(fg, "households.js", "D", payload)
    fg.add_to(pg.m)
    pg.bounds.append(np.asarray(hh.total_bounds))


def _add_meeting_points(pg: _Page) -> None:
    """Meeting points on a canvas; the household popups name the unit a household meets for."""
    mp = _to_display(pg.lyr["meeting_points"], pg.shift)
    mp = mp[~(shapely.is_missing(mp.geometry.values) | shapely.is_empty(mp.geometry.values))]
    lat0, lon0, iy, ix = _quantise(shapely.get_y(mp.geometry.values), shapely.get_x(mp.geometry.values), pg.dec)
    mu_codes, mu_uniq = pd.factorize(mp["unit_id"].astype("string").fillna(""), sort=True)
    data = {"lat0": lat0, "lon0": lon0, "q": 10.0**-pg.dec,
            "d": np.column_stack([np.diff(iy, prepend=0), np.diff(ix, prepend=0)]).ravel().tolist(),
            "units": [str(x) for x in mu_uniq], "u": _compact_ints(mu_codes, True),
            "hid": _text(mp["hid"], len(mp)).tolist() if "hid" in mp.columns else [None] * len(mp)}
    fg = folium.FeatureGroup(name=label("meeting_points", pg.lang))
    pg.add_js(fg, "meeting_points.js", "M", data)
    fg.add_to(pg.m)


def _add_controls(pg: _Page, credit: str | None) -> None:
    """Full screen, locate, search, legend, data credit and the layer control."""
    m, lang = pg.m, pg.lang
    _add_tools(pg)
    pg.add_js(m, "search.js", "S", {"bounds": {}, "n_units": len(pg.units), "placeholder": label("search", lang),
                                    "notFound": label("not_found", lang)})
    note = label("gps_gcj_warning", lang) if pg.shift is not None else ""
    pg.add_js(m, "legend.js", "G", _legend(lang, [pg.colour_of[u] for u in pg.units] or list(PALETTE[:4]),
                                           pg.extras, note))
    run = pg.lyr.get("run")
    if credit is None and isinstance(run, pd.DataFrame) and {"key", "value"} <= set(run.columns):
        hit = run.loc[run["key"].astype(str).str.endswith("data_credit"), "value"]
        credit = str(hit.iloc[0]) if len(hit) else None
    if credit:
        pg.add_js(m, "credit.js", "C", {"html": _esc(credit)})
    folium.LayerControl(collapsed=True).add_to(m)


def _add_tools(pg: _Page) -> None:
    """The full-screen and locate controls (vendored, offline; shared with :mod:`yuanluo.maps.coverage`)."""
    m, lang = pg.m, pg.lang
    fs = plugins.Fullscreen(title=label("fullscreen", lang), title_cancel=label("exit_fullscreen", lang))
    fs.default_js, fs.default_css = list(offline.FULLSCREEN_JS), list(offline.FULLSCREEN_CSS)
    fs.add_to(m)
    # no compass: its heading arrow is SVG markup with a style="transform: rotate(<heading>deg)" attribute
    # that no hash can allow; the GPS dot's fixed style is allowed by hash (offline.LOCATE_MARKER_STYLE)
    loc = plugins.LocateControl(strings={"title": label("locate", lang)}, icon="yl-locate",
                                iconLoading="yl-locate", flyTo=True, keepCurrentZoomLevel=False,
                                showCompass=False)
    loc.default_js, loc.default_css = list(offline.LOCATE_JS), list(offline.LOCATE_CSS)
    loc.add_to(m)


def _legend(lang: Lang, colours_used: Sequence[str], extras: Sequence[str], note: str) -> dict[str, Any]:
    """The legend as data for ``legend.js``: rows of a text, colour swatches or a styled mark.

    Examples
    --------
    >>> g = _legend("en", ["#4e79a7", "#4e79a7"], ["roads"], "")
    >>> g["title"], g["rows"][0]["swatches"], g["rows"][-1]["text"]
    ('Legend', ['#4e79a7'], 'Roads')
    """
    uniq = list(dict.fromkeys(colours_used))
    rows: list[dict[str, Any]] = [
        {"swatches": uniq[:10], "text": label("unit_colour", lang)},
        {"mark": "dot", "style": {"background": "#fff", "border": f"2px solid {EXCEPTION_COLOUR}"},
         "text": label("exceptions", lang)},
        {"mark": "dot", "style": {"background": UNASSIGNED_COLOUR}, "text": label("unassigned", lang)},
        {"mark": "dot", "style": {"background": MEETING_COLOUR, "borderColor": "#fff"},
         "text": label("meeting_points", lang)},
    ]
    styles = {"rivers": RIVER_COLOUR, "roads": ROAD_COLOUR, "boundary": BOUNDARY_COLOUR}
    rows += [{"mark": "line", "style": {"borderColor": styles[key]}, "text": label(key, lang)} for key in extras]
    if note:
        rows.append({"note": True, "text": note})
    return {"title": label("legend", lang), "rows": rows}


def _finish_page(pg: _Page, title: str | None) -> None:
    """Title, stylesheet, stamp and title overlay; the view fitted to what is drawn."""
    root = pg.m.get_root()
    assert isinstance(root, Figure)
    page_title = title or label("title", pg.lang)
    root.header.add_child(Element(f"<title>{_esc(page_title)}</title>"), name="yl_title")
    root.header.add_child(Element("\n<style>\n" + offline.read_own_asset("yuanluo.css") + "</style>\n"),
                          name="yl_css")
    root.html.add_child(Element(f'<div class="yl-stamp">{_esc(label("stamp", pg.lang))}</div>'
                                f'<div class="yl-title">{_esc(page_title)}</div>'), name="yl_overlay")
    if pg.bounds:
        tb = np.vstack(pg.bounds)
        w, s, e, n = np.nanmin(tb[:, 0]), np.nanmin(tb[:, 1]), np.nanmax(tb[:, 2]), np.nanmax(tb[:, 3])
        if np.all(np.isfinite([w, s, e, n])):
            pg.m.location = [float((s + n) / 2), float((w + e) / 2)]
            pg.m.fit_bounds([[float(s), float(w)], [float(n), float(e)]])


def _esc(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;"))


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


def render_html(m: folium.Map) -> str:
    """The complete, self-contained HTML of a map made by :func:`make_map`, with its Content-Security-Policy.

    The policy (:func:`yuanluo.maps.offline.add_csp`) allows the page's own inline scripts and styles by
    hash, images from ``data:`` and, only for an opt-in basemap, its tile host; no connection at all.

    Raises
    ------
    InvariantError
        If any network reference (external script, stylesheet, image) would remain.
    """
    html = _stable_ids(offline.inline_assets(m.get_root().render()))
    ext = offline.external_references(html)
    if ext:
        raise InvariantError(problem("INVARIANT", what=f"map HTML still references {', '.join(ext[:5])}"))
    info = getattr(m, "_yuanluo", {})
    hosts = [h for b in info.get("basemaps", ()) for h in offline.BASEMAP_HOSTS.get(b, ())]
    return offline.add_csp(html, img_hosts=hosts, style_attributes=STYLE_ATTRIBUTES,
                           style_attribute_values=[offline.LOCATE_MARKER_STYLE])


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
        Replace an existing file (otherwise :class:`~yuanluo.gis.errors.OutputError` ``OUT-EXISTS``, raised
        before the map is built).

    Returns
    -------
    Path
        The written file.
    """
    target = Path(path)
    if target.exists() and not overwrite:
        raise OutputError(problem("OUT-EXISTS", file=str(target), ids=[str(target)]))
    m = map_or_layers if isinstance(map_or_layers, folium.Map) else make_map(map_or_layers, **kwargs)
    return write_bytes(target, render_html(m).encode("utf-8"), overwrite=overwrite)


def write_atomic(target: Path, data: bytes) -> None:
    """Replace ``target`` by ``data`` atomically: :func:`yuanluo.gis.output.write_bytes` with
    ``overwrite=True``. Kept for :mod:`yuanluo.maps.static`; new code calls ``write_bytes`` directly."""
    write_bytes(target, data, overwrite=True)
