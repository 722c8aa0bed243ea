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
from collections.abc import Mapping, Sequence
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
from yuanluo.maps import offline
from yuanluo.maps.hillshade import web_hillshade
from yuanluo.maps.style import (
    BOUNDARY_COLOUR,
    EXCEPTION_COLOUR,
    MEETING_COLOUR,
    PALETTE,
    RIVER_COLOUR,
    ROAD_COLOUR,
    STAMP,
    UNASSIGNED_COLOUR,
    Lang,
    adjacency_pairs,
    household_status,
    is_personal,
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
            problems.append(problem("MAP-LAYER", layer=name, detail=f"not a GeoDataFrame ({type(layer).__name__})"))
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
            problems.append(problem("MAP-LAYER", layer=name, detail=f"no column {col}"))
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
    try:
        from yuanluo.gis.chinacoords import wgs84_to_gcj02  # type: ignore[import-not-found,unused-ignore]
    except ImportError as err:
        raise InputError(
            problem("MAP-BASEMAP", basemap="amap", detail=f"yuanluo.gis.chinacoords.wgs84_to_gcj02 is missing ({err})")
        ) from err

    def shift(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x, y = wgs84_to_gcj02(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)

    return shift


def _round_geoms(geoms: Any, decimals: int) -> Any:
    return shapely.set_precision(geoms, 10.0**-decimals, mode="pointwise")


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


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
    """A script in the map's script section, with a reference to the parent's JS variable."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(parent, map) {
        {{ this.code }}
        })({{ this._parent.get_name() }}, {{ this._map_name }});
        {% endmacro %}
        """
    )

    def __init__(self, code: str, map_name: str) -> None:
        super().__init__()
        self._name = "YuanluoJs"
        self.code = code
        self._map_name = map_name


_LIB_JS = """
var Y = window.yuanluo = window.yuanluo || {};
// integer arrays: plain, run-length {r}, differences {z} or run-length differences {zr}
Y.ints = function(x) {
  if (Array.isArray(x)) return x;
  var src = x.r || x.zr, out = [], k, j;
  if (src) { for (k = 0; k < src.length; k += 2) for (j = 0; j < src[k + 1]; j++) out.push(src[k]); }
  else out = x.z.slice();
  if (x.z || x.zr) for (k = 1; k < out.length; k++) out[k] += out[k - 1];
  return out;
};
// a column: plain list or dictionary-encoded {v: values, c: codes (-1 = empty)}
Y.col = function(f) {
  if (Array.isArray(f)) return f;
  var c = Y.ints(f.c); return c.map(function(i) { return i < 0 ? null : f.v[i]; });
};
Y.ids = function(h) {
  if (Array.isArray(h)) return h;
  return Y.ints(h.n).map(function(v) { var s = String(v); while (s.length < h.w) s = '0' + s; return h.p + s; });
};
// packed lines / polygons (see yuanluo.maps.interactive._pack) -> nested [lat, lon] arrays
Y.unpack = function(P) {
  var d = P.d, items = [], y = 0, x = 0, k = 0, i, j, lev;
  var n0 = Y.ints(P.n[0]);
  for (i = 0; i < n0.length; i++) {
    var pts = new Array(n0[i]);
    for (j = 0; j < n0[i]; j++, k += 2) { y += d[k]; x += d[k + 1]; pts[j] = [P.lat0 + y * P.q, P.lon0 + x * P.q]; }
    items.push(pts);
  }
  for (lev = 1; lev < P.n.length; lev++) {
    var cnt = Y.ints(P.n[lev]), out = [], s = 0;
    for (i = 0; i < cnt.length; i++) { out.push(items.slice(s, s + cnt[i])); s += cnt[i]; }
    items = out;
  }
  return items;
};
Y.table = function(rows) {
  return '<table class="yl-pop">' + rows.map(function(r) {
    var td = document.createElement('td'); td.textContent = String(r[1]);
    var th = document.createElement('th'); th.textContent = r[0];
    return '<tr>' + th.outerHTML + td.outerHTML + '</tr>';
  }).join('') + '</table>';
};
// points bucketed once by Web-Mercator cell; a view visits only the cells it intersects
Y.Grid = function(mx, my) {
  var n = mx.length, i, x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (i = 0; i < n; i++) { x0 = Math.min(x0, mx[i]); x1 = Math.max(x1, mx[i]); y0 = Math.min(y0, my[i]); y1 = Math.max(y1, my[i]); }
  if (!n) { x0 = y0 = 0; x1 = y1 = 1; }
  var cell = Math.max(x1 - x0, y1 - y0, 1) / 128;
  this.x0 = x0; this.y0 = y0; this.cell = cell;
  this.nx = Math.floor((x1 - x0) / cell) + 1; this.ny = Math.floor((y1 - y0) / cell) + 1;
  var cellOf = new Int32Array(n), start = new Int32Array(this.nx * this.ny + 1);
  for (i = 0; i < n; i++) {
    cellOf[i] = Math.floor((my[i] - y0) / cell) * this.nx + Math.floor((mx[i] - x0) / cell);
    start[cellOf[i] + 1]++;
  }
  for (i = 0; i < this.nx * this.ny; i++) start[i + 1] += start[i];
  var fill = start.slice(0, this.nx * this.ny), order = new Int32Array(n);
  for (i = 0; i < n; i++) order[fill[cellOf[i]]++] = i;
  this.start = start; this.order = order;
};
Y.Grid.prototype._range = function(x0, y0, x1, y1) {
  var c = this.cell, cl = function(v, hi) { return Math.max(0, Math.min(hi, v)); };
  return [cl(Math.floor((x0 - this.x0) / c), this.nx - 1), cl(Math.floor((x1 - this.x0) / c), this.nx - 1),
          cl(Math.floor((y0 - this.y0) / c), this.ny - 1), cl(Math.floor((y1 - this.y0) / c), this.ny - 1),
          x1 >= this.x0 && y1 >= this.y0 && x0 <= this.x0 + this.nx * c && y0 <= this.y0 + this.ny * c];
};
// number of points in the cells a view intersects (an upper bound of those inside it)
Y.Grid.prototype.count = function(x0, y0, x1, y1) {
  var r = this._range(x0, y0, x1, y1), t = 0;
  if (!r[4]) return 0;
  for (var j = r[2]; j <= r[3]; j++) t += this.start[j * this.nx + r[1] + 1] - this.start[j * this.nx + r[0]];
  return t;
};
Y.Grid.prototype.visit = function(x0, y0, x1, y1, fn) {
  var r = this._range(x0, y0, x1, y1);
  if (!r[4]) return;
  for (var j = r[2]; j <= r[3]; j++)
    for (var k = this.start[j * this.nx + r[0]], e = this.start[j * this.nx + r[1] + 1]; k < e; k++) fn(this.order[k]);
};
// the Web-Mercator view of a map: scale (px per m), reference points, bounds in metres with a margin
Y.view = function(m, pad) {
  var size = m.getSize(), z = m.getZoom(), s = 256 * Math.pow(2, z) / (2 * Math.PI * 6378137);
  var ref = m.latLngToContainerPoint(m.getCenter()), pc = L.Projection.SphericalMercator.project(m.getCenter());
  return {size: size, z: z, s: s, rx: ref.x, ry: ref.y, px: pc.x, py: pc.y,
          x0: pc.x + (-pad - ref.x) / s, x1: pc.x + (size.x + pad - ref.x) / s,
          y0: pc.y - (size.y + pad - ref.y) / s, y1: pc.y + (ref.y + pad) / s};
};
Y.canvas = function(layer, m) {
  var c = layer._c, size = m.getSize();
  L.DomUtil.setPosition(c, m.containerPointToLayerPoint([0, 0]));
  c.width = size.x; c.height = size.y;
  return c.getContext('2d');
};
Y.CanvasLayer = L.Layer.extend({
  onAdd: function(m) {
    this._c = L.DomUtil.create('canvas', 'leaflet-zoom-hide yl-dots');
    this._c.style.pointerEvents = 'none';
    m.getPanes().overlayPane.appendChild(this._c);
    m.on('moveend zoomend resize viewreset', this._redraw, this);
    if (this._click) m.on('click', this._click, this);
    this._redraw();
  },
  onRemove: function(m) {
    L.DomUtil.remove(this._c);
    m.off('moveend zoomend resize viewreset', this._redraw, this);
    if (this._click) m.off('click', this._click, this);
    this._removed();
  },
  _removed: function() {}
});
"""

_HOUSEHOLDS_JS = """
var D = %(data)s;
var Y = window.yuanluo;
D.hid = Y.ids(D.hid); D.dlat = Y.ints(D.dlat); D.dlon = Y.ints(D.dlon);
var n = D.hid.length, st = Y.ints(D.st), u = Y.ints(D.u), cols = D.colours, q = D.q, BUDGET = %(budget)d;
for (var f = 0; f < D.extra.length; f++) D.extra[f].c = Y.ints(D.extra[f].c);
// decode integer offsets (units of 10^-decimals degree) to lat/lon; Web Mercator metres for drawing
var lat = new Float64Array(n), lon = new Float64Array(n), mx = new Float64Array(n), my = new Float64Array(n);
var proj = L.Projection.SphericalMercator;
for (var i = 0; i < n; i++) {
  lat[i] = D.lat0 + D.dlat[i] * q; lon[i] = D.lon0 + D.dlon[i] * q;
  var p = proj.project(L.latLng(lat[i], lon[i])); mx[i] = p.x; my[i] = p.y;
}
D.xy = {lat: lat, lon: lon};
var grid = new Y.Grid(mx, my);
function fieldValue(k, i) { var f = D.extra[k], c = f.c[i]; return c < 0 ? null : f.v[c]; }
// households are drawn from zoom D.zmin on (about 1.5 px between neighbours), or below it when at
// most BUDGET of them are in view; otherwise the unit fills alone show the plan
Y.detail = function(m) {
  var v = Y.view(m, 0);
  return v.z >= D.zmin || grid.count(v.x0, v.y0, v.x1, v.y1) <= BUDGET;
};
var Dots = Y.CanvasLayer.extend({
  _removed: function() { Y.householdsPainted = 0; this._vis = null; },
  _redraw: function() {
    var m = this._map, ctx = Y.canvas(this, m);
    var z = m.getZoom(), r = z >= 17 ? 5 : z >= 15 ? 4 : z >= 13 ? 2.5 : 1.5, v = Y.view(m, r + 2);
    this._vis = null; Y.householdsPainted = 0;
    if (!Y.detail(m)) return;
    var vis = [], sx = [], sy = [];
    grid.visit(v.x0, v.y0, v.x1, v.y1, function(k) {
      var x = v.rx + (mx[k] - v.px) * v.s, y = v.ry - (my[k] - v.py) * v.s;
      if (x > -r - 2 && y > -r - 2 && x < v.size.x + r + 2 && y < v.size.y + r + 2) { vis.push(k); sx.push(x); sy.push(y); }
    });
    // one path per colour, then red rings for exceptions and unassigned households
    var byColour = {}, k;
    for (k = 0; k < vis.length; k++) {
      var col = u[vis[k]] >= 0 ? cols[u[vis[k]]] : '%(unassigned)s';
      (byColour[col] = byColour[col] || []).push(k);
    }
    ctx.lineWidth = 0.8; ctx.strokeStyle = '#222';
    Object.keys(byColour).sort().forEach(function(col) {
      var ks = byColour[col]; ctx.beginPath();
      for (var j = 0; j < ks.length; j++) { var t = ks[j]; ctx.moveTo(sx[t] + r, sy[t]); ctx.arc(sx[t], sy[t], r, 0, 6.2832); }
      ctx.fillStyle = col; ctx.fill(); if (r > 2) ctx.stroke();
    });
    ctx.beginPath();
    for (k = 0; k < vis.length; k++) { if (st[vis[k]]) { ctx.moveTo(sx[k] + r + 1.5, sy[k]); ctx.arc(sx[k], sy[k], r + 1.5, 0, 6.2832); } }
    ctx.lineWidth = 2; ctx.strokeStyle = '%(exc)s'; ctx.stroke();
    this._vis = vis; this._sx = sx; this._sy = sy;
    Y.householdsPainted = vis.length;
  },
  _click: function(e) {
    if (!this._vis) return;
    var p = e.containerPoint, best = -1, bd = 64;
    for (var k = 0; k < this._vis.length; k++) {
      var dx = this._sx[k] - p.x, dy = this._sy[k] - p.y, d = dx * dx + dy * dy;
      if (d < bd) { bd = d; best = this._vis[k]; }
    }
    if (best >= 0) L.popup().setLatLng([lat[best], lon[best]]).setContent(popup(best)).openOn(this._map);
  }
});
function popup(i) {
  var rows = [[D.lab.hid, D.hid[i]], [D.lab.unit_id, u[i] >= 0 ? D.units[u[i]] : '—'],
              [D.lab.status, D.stText[st[i]]]];
  var mu = Y.meetingOf && Y.meetingOf.get(D.hid[i]);
  if (mu) rows.push([D.lab.meeting_points, mu]);
  for (var k = 0; k < D.fields.length; k++) {
    var val = fieldValue(k, i);
    if (val !== null && val !== '') rows.push([D.fieldLabels[k], val]);
  }
  return Y.table(rows);
}
var dots = new Dots();
parent.addLayer(dots);
Y.map = map; Y.households = D; Y.householdLayer = dots; Y.popup = popup;
Y.householdsDrawn = n;
"""

_MEETING_JS = """
var M = /*meeting_points*/ %(data)s;
var Y = window.yuanluo, mu = Y.ints(M.u), mh = Y.col(M.hid), mn = mu.length;
var mlat = new Float64Array(mn), mlon = new Float64Array(mn), y = 0, x = 0;
for (var i = 0; i < mn; i++) { y += M.d[2 * i]; x += M.d[2 * i + 1]; mlat[i] = M.lat0 + y * M.q; mlon[i] = M.lon0 + x * M.q; }
Y.meetingOf = new Map();
for (i = 0; i < mn; i++) if (mh[i] !== null) Y.meetingOf.set(String(mh[i]), M.units[mu[i]]);
var Meet = Y.CanvasLayer.extend({
  _redraw: function() {
    var m = this._map, ctx = Y.canvas(this, m);
    Y.meetingPainted = 0;
    if (Y.detail && !Y.detail(m)) return;
    var size = m.getSize(), r = m.getZoom() >= 15 ? 7 : 5, t = 0;
    ctx.beginPath();
    for (var k = 0; k < mn; k++) {
      var p = m.latLngToContainerPoint([mlat[k], mlon[k]]);
      if (p.x < -r || p.y < -r || p.x > size.x + r || p.y > size.y + r) continue;
      ctx.moveTo(p.x + r, p.y); ctx.arc(p.x, p.y, r, 0, 6.2832); t++;
    }
    ctx.fillStyle = '%(fill)s'; ctx.fill(); ctx.lineWidth = 2; ctx.strokeStyle = '#ffffff'; ctx.stroke();
    Y.meetingPainted = t;
  }
});
parent.addLayer(new Meet());
"""

_UNITS_JS = """
var U = /*units*/ %(data)s;
var Y = window.yuanluo, geo = Y.unpack(U.g), ci = Y.ints(U.ci), bad = Y.ints(U.bad), F = {};
U.fields.forEach(function(k) { F[k] = Y.col(U.f[k]); });
Y.unitBounds = Y.unitBounds || {};
for (var i = 0; i < geo.length; i++) {
  var b = bad[i], base = {fillColor: U.pal[ci[i]], fillOpacity: 0.25, color: b ? '%(exc)s' : '#444',
                          weight: b ? 3 : 1, dashArray: b ? '6 4' : null, smoothFactor: 0.5};
  var poly = L.polygon(geo[i], base);
  poly._yl = i; poly._ylBase = base;
  parent.addLayer(poly);
  var bb = poly.getBounds();
  Y.unitBounds[F.unit_id[i]] = [bb.getSouth(), bb.getWest(), bb.getNorth(), bb.getEast()];
}
parent.bindTooltip(function(l) {
  return Y.table(U.fields.map(function(k, j) { var v = F[k][l._yl]; return [U.labels[j], v === null ? '' : v]; }));
}, {sticky: true});
Y.unitLayer = parent;
parent.on('mouseover', function(e) { e.layer.setStyle({weight: 3, fillOpacity: 0.4}); });
parent.on('mouseout', function(e) { e.layer.setStyle(e.layer._ylBase); });
"""

_LINES_JS = """
var P = /*%(key)s*/ %(data)s;
var Y = window.yuanluo, style = %(style)s;
if (P.lines.d.length) parent.addLayer(L.polyline(Y.unpack(P.lines), style));
if (P.polygons.d.length) parent.addLayer(L.polygon(Y.unpack(P.polygons), L.extend({}, style, {fillOpacity: 0.35})));
"""

_SEARCH_JS = """
var Y = window.yuanluo = window.yuanluo || {};
var S = %(data)s;
Y.unitBounds = Object.assign({}, S.bounds, Y.unitBounds || {}); Y.nUnits = S.n_units;
var Search = L.Control.extend({
  options: {position: 'topleft'},
  onAdd: function() {
    var div = L.DomUtil.create('div', 'leaflet-bar yl-search');
    var input = L.DomUtil.create('input', '', div);
    input.type = 'search'; input.placeholder = S.placeholder; input.setAttribute('aria-label', S.placeholder);
    var msg = L.DomUtil.create('span', 'yl-search-msg', div);
    L.DomEvent.disableClickPropagation(div); L.DomEvent.disableScrollPropagation(div);
    L.DomEvent.on(input, 'keydown', function(e) {
      if (e.key !== 'Enter') return;
      msg.textContent = Y.find(input.value) ? '' : S.notFound;
    });
    return div;
  }
});
Y.find = function(q) {
  q = String(q || '').trim();
  if (!q) return false;
  var D = Y.households;
  if (D) {
    if (!Y._hidIndex) { Y._hidIndex = new Map(); for (var i = 0; i < D.hid.length; i++) Y._hidIndex.set(D.hid[i], i); }
    var k = Y._hidIndex.get(q);
    if (k !== undefined) {
      var ll = [D.xy.lat[k], D.xy.lon[k]];
      map.setView(ll, Math.max(map.getZoom(), 17));
      L.popup().setLatLng(ll).setContent(Y.popup(k)).openOn(map);
      return 'household';
    }
  }
  var b = Y.unitBounds[q] || Y.unitBounds[q.toUpperCase()];
  if (b) { map.fitBounds([[b[0], b[1]], [b[2], b[3]]], {maxZoom: 18}); return 'unit'; }
  return false;
};
new Search().addTo(map);
"""

_CSS = """
<style>
.leaflet-container { background: #f5f3ee; }
.yl-stamp { position: absolute; top: 8px; left: 50%; transform: translateX(-50%); z-index: 1000;
  background: rgba(255,255,255,0.85); color: #b00; border: 1px solid #b00; padding: 2px 10px;
  font: bold 14px sans-serif; letter-spacing: 2px; pointer-events: none; }
.yl-title { position: absolute; top: 40px; left: 50%; transform: translateX(-50%); z-index: 1000;
  background: rgba(255,255,255,0.85); padding: 2px 10px; font: bold 16px sans-serif; pointer-events: none; }
.yl-legend { background: rgba(255,255,255,0.92); padding: 6px 8px; font: 12px/1.5 sans-serif; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); max-width: 240px; }
.yl-legend i { display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: -2px;
  border: 1px solid #555; }
.yl-legend i.dot { border-radius: 6px; }
.yl-legend i.line { height: 0; border-width: 2px 0 0 0; width: 16px; vertical-align: 3px; }
.yl-legend .sw { display: inline-block; width: 10px; height: 10px; margin-right: 1px; }
.yl-search input { width: 190px; padding: 5px 6px; border: 0; font-size: 14px; }
.yl-search-msg { color: #b00; padding: 0 6px; font-size: 12px; }
.yl-pop th { text-align: left; padding-right: 8px; font-weight: normal; color: #555; }
.yl-locate::before { content: "\\25CE"; font-size: 18px; line-height: 30px; }
.leaflet-control-locate a { text-align: center; }
</style>
"""


def _legend_html(lang: Lang, colours_used: Sequence[str], extras: Sequence[str], note: str) -> str:
    uniq = list(dict.fromkeys(colours_used))
    swatches = "".join(f'<span class="sw" style="background:{c}"></span>' for c in uniq[:10])
    rows = [
        f"<b>{label('legend', lang)}</b>",
        f"{swatches} {label('unit_colour', lang)}",
        f'<i class="dot" style="background:#fff;border:2px solid {EXCEPTION_COLOUR}"></i>'
        f"{label('exceptions', lang)}",
        f'<i class="dot" style="background:{UNASSIGNED_COLOUR}"></i>{label("unassigned", lang)}',
        f'<i class="dot" style="background:{MEETING_COLOUR};border-color:#fff"></i>{label("meeting_points", lang)}',
    ]
    styles = {"rivers": RIVER_COLOUR, "roads": ROAD_COLOUR, "boundary": BOUNDARY_COLOUR}
    for key in extras:
        rows.append(f'<i class="line" style="border-color:{styles[key]}"></i>{label(key, lang)}')
    if note:
        rows.append(f'<span style="color:#b00">{note}</span>')
    return '<div class="yl-legend">' + "<br>".join(rows) + "</div>"


_LEGEND_JS = """
var Legend = L.Control.extend({options: {position: 'bottomright'}, onAdd: function() {
  var d = L.DomUtil.create('div'); d.innerHTML = %(html)s; return d.firstChild; }});
new Legend().addTo(map);
"""


# ---------------------------------------------------------------------------------------------- layers
def _decimals(n: int) -> int:
    return 6 if n <= RICH_POPUP_LIMIT else 5


def _household_payload(
    hh: gpd.GeoDataFrame, unit_index: Mapping[str, int], colours: Sequence[str], lang: Lang,
    include_personal: bool, decimals: int, zmin: float = 0.0,
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
    skip = {"unit_id", "unit_status", hh.geometry.name, "hid"}
    if len(hh) <= RICH_POPUP_LIMIT:
        fields = [str(c) for c in hh.columns if str(c) not in skip]
    else:
        fields = [c for c in CANONICAL_FIELDS if c in hh.columns]
    fields = [c for c in fields if include_personal or not is_personal(c)]
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


def _basemaps(m: folium.Map, basemap: str | Sequence[str] | None, tianditu_key: str | None, lang: Lang) -> bool:
    """Add opt-in online tile layers; returns whether OSM is drawn (attribution)."""
    if basemap is None:
        return False
    names = [basemap] if isinstance(basemap, str) else list(basemap)
    osm = False
    for b in names:
        if b == "osm":
            folium.TileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", name="OpenStreetMap",
                             attr='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
                             + ("贡献者" if lang == "zh" else "contributors"),
                             max_zoom=19).add_to(m)
            osm = True
        elif b == "tianditu":
            if not tianditu_key:
                raise InputError(problem("MAP-BASEMAP", basemap="tianditu", detail="no tianditu_key given"))
            for lyr, nm in (("vec", "天地图" if lang == "zh" else "Tianditu"), ("cva", None)):
                url = (f"https://t{{s}}.tianditu.gov.cn/{lyr}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
                       f"&LAYER={lyr}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}"
                       f"&TILECOL={{x}}&tk={tianditu_key}")
                folium.TileLayer(url, name=nm or ("天地图注记" if lang == "zh" else "Tianditu labels"),
                                 attr="&copy; 天地图 Tianditu", subdomains="01234567", max_zoom=18,
                                 overlay=nm is None).add_to(m)
        elif b == "amap":
            folium.TileLayer("https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
                             "&x={x}&y={y}&z={z}", name="高德地图" if lang == "zh" else "AMap",
                             attr="&copy; 高德地图 AutoNavi (GCJ-02)", subdomains="1234", max_zoom=18).add_to(m)
        else:
            raise InputError(problem("MAP-BASEMAP", basemap=str(b), detail="unknown name"))
    return osm


# ---------------------------------------------------------------------------------------------- public
def make_map(
    layers: Mapping[str, Any],
    *,
    lang: Lang = "zh",
    hillshade: Any = None,
    basemap: str | Sequence[str] | None = None,
    include_personal: bool = False,
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
        Keep name, phone and id-card columns in household popups (off by default, PIPL).
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
    shift = _gcj_shift() if "amap" in names else None
    hh_src = lyr.get("households")
    n_hh = 0 if hh_src is None else len(hh_src)
    dec = _decimals(n_hh)
    band = _size_band(lyr, rules)

    # unit ids and colours: from units, households and adjacency; colouring on sorted ids
    unit_ids: set[str] = set()
    if "units" in lyr:
        unit_ids |= set(lyr["units"]["unit_id"].dropna().astype(str))
    if hh_src is not None and "unit_id" in hh_src:
        unit_ids |= set(hh_src["unit_id"].dropna().astype(str))
    unit_ids.discard("")
    sorted_units = sorted(unit_ids)
    colour_of = unit_colours(sorted_units, adjacency_pairs(lyr))
    unit_index = {u: i for i, u in enumerate(sorted_units)}

    m = folium.Map(tiles=None, prefer_canvas=True, control_scale=True, max_zoom=19, zoom_start=14,
                   location=[0.0, 0.0])
    m.default_js = list(offline.LEAFLET_JS)
    m.default_css = list(offline.LEAFLET_CSS)
    osm = _basemaps(m, basemap, tianditu_key, lang)
    map_name = m.get_name()
    m.add_child(_Js(_LIB_JS, map_name))
    bounds_4326: list[np.ndarray] = []

    if hillshade is not None:
        rgba, hb = web_hillshade(hillshade)
        if shift is not None:
            (x0, x1), (y0, y1) = shift(np.array([hb[0][1], hb[1][1]]), np.array([hb[0][0], hb[1][0]]))
            hb = [[float(y0), float(x0)], [float(y1), float(x1)]]
        folium.raster_layers.ImageOverlay(rgba, bounds=hb, name=label("hillshade", lang), opacity=0.6,
                                          mercator_project=False, interactive=False).add_to(m)

    main_layer = lyr["households"] if "households" in lyr else lyr["units"]
    ctx_tol = _context_tolerance(np.asarray(main_layer.total_bounds))
    extras: list[str] = []
    for key, colour, weight in (("boundary", BOUNDARY_COLOUR, 2.5), ("water", RIVER_COLOUR, 1.0),
                                ("rivers", RIVER_COLOUR, 2.0), ("roads", ROAD_COLOUR, 1.5)):
        if key in lyr and isinstance(lyr[key], gpd.GeoDataFrame):
            data = _context_data(lyr[key], key, ctx_tol, dec, shift)
            style = {"color": colour, "weight": weight, "opacity": 0.8, "fillOpacity": 0.0, "fillColor": colour,
                     "interactive": False, "smoothFactor": 1.0}
            fg = folium.FeatureGroup(name=label("rivers" if key == "water" else key, lang))
            fg.add_child(_Js(_LINES_JS % {"key": key, "data": _dumps(data), "style": _dumps(style)}, map_name))
            fg.add_to(m)
            if key != "water":
                extras.append(key)

    violations = _violations_by_unit(lyr.get("violations"))
    if "units" in lyr:
        ut = _units_frame(_simplify_units(lyr["units"], n_hh), band, lang, violations)
        ut = _to_display(ut, shift)
        ut = ut[~(shapely.is_missing(ut.geometry.values) | shapely.is_empty(ut.geometry.values))]
        fields = ["unit_id", "n_households", "status", "reason", "meeting_hid", "mean_walk_min", "max_walk_min"]
        fill = ut["unit_id"].map(colour_of).fillna(UNASSIGNED_COLOUR)
        pal_codes, pal = pd.factorize(fill, sort=True)
        data_u = {"g": _pack(ut.geometry.values, dec, 3), "fields": fields,
                  "labels": [label(f, lang) for f in fields], "f": _columns(ut, fields),
                  "pal": [str(c) for c in pal], "ci": _compact_ints(pal_codes, True),
                  "bad": _compact_ints(ut["_bad"].astype(bool).to_numpy().astype(np.int64), True)}
        fg = folium.FeatureGroup(name=label("units", lang))
        fg.add_child(_Js(_UNITS_JS % {"data": _dumps(data_u), "exc": EXCEPTION_COLOUR}, map_name))
        fg.add_to(m)
        if len(ut):
            bounds_4326.append(np.asarray(ut.total_bounds))

    if hh_src is not None:
        hh = _to_display(hh_src, shift)
        colours = [colour_of[u] for u in sorted_units]
        payload = _household_payload(hh, unit_index, colours, lang, include_personal, dec, _nn_zoom(hh_src))
        fg = folium.FeatureGroup(name=label("households", lang))
        code = _HOUSEHOLDS_JS % {"data": _dumps(payload), "exc": EXCEPTION_COLOUR, "unassigned": UNASSIGNED_COLOUR,
                                 "budget": HOUSEHOLD_BUDGET}
        fg.add_child(_Js(code, map_name))
        fg.add_to(m)
        bounds_4326.append(np.asarray(hh.total_bounds))

    if "meeting_points" in lyr:
        mp = _to_display(lyr["meeting_points"], shift)
        mp = mp[~(shapely.is_missing(mp.geometry.values) | shapely.is_empty(mp.geometry.values))]
        lat0, lon0, iy, ix = _quantise(shapely.get_y(mp.geometry.values), shapely.get_x(mp.geometry.values), dec)
        mp_units = mp["unit_id"].astype("string").fillna("")
        mu_codes, mu_uniq = pd.factorize(mp_units, sort=True)
        data_m = {"lat0": lat0, "lon0": lon0, "q": 10.0**-dec,
                  "d": np.column_stack([np.diff(iy, prepend=0), np.diff(ix, prepend=0)]).ravel().tolist(),
                  "units": [str(x) for x in mu_uniq], "u": _compact_ints(mu_codes, True),
                  "hid": _text(mp["hid"], len(mp)).tolist() if "hid" in mp.columns else [None] * len(mp)}
        fg = folium.FeatureGroup(name=label("meeting_points", lang))
        fg.add_child(_Js(_MEETING_JS % {"data": _dumps(data_m), "fill": MEETING_COLOUR}, map_name))
        fg.add_to(m)

    # controls
    fs = plugins.Fullscreen(title=label("fullscreen", lang), title_cancel=label("exit_fullscreen", lang))
    fs.default_js, fs.default_css = list(offline.FULLSCREEN_JS), list(offline.FULLSCREEN_CSS)
    fs.add_to(m)
    loc = plugins.LocateControl(strings={"title": label("locate", lang)}, icon="yl-locate",
                                iconLoading="yl-locate", flyTo=True, keepCurrentZoomLevel=False)
    loc.default_js, loc.default_css = list(offline.LOCATE_JS), list(offline.LOCATE_CSS)
    loc.add_to(m)
    search = {"bounds": {}, "n_units": len(sorted_units), "placeholder": label("search", lang),
              "notFound": label("not_found", lang)}
    m.add_child(_Js(_SEARCH_JS % {"data": json.dumps(search, ensure_ascii=False, separators=(",", ":"))},
                    map_name))
    note = label("gps_gcj_warning", lang) if shift is not None else ""
    legend = _legend_html(lang, [colour_of[u] for u in sorted_units] or list(PALETTE[:4]), extras, note)
    m.add_child(_Js(_LEGEND_JS % {"html": json.dumps(legend, ensure_ascii=False)}, map_name))
    if credit is None and isinstance(lyr.get("run"), pd.DataFrame) and {"key", "value"} <= set(lyr["run"].columns):
        run = lyr["run"]
        hit = run.loc[run["key"].astype(str).str.endswith("data_credit"), "value"]
        credit = str(hit.iloc[0]) if len(hit) else None
    if credit:
        m.add_child(_Js(f"map.attributionControl.addAttribution({json.dumps(_esc(credit), ensure_ascii=False)});",
                        map_name))
    folium.LayerControl(collapsed=True).add_to(m)

    root = m.get_root()
    assert isinstance(root, Figure)
    page_title = title or label("title", lang)
    root.header.add_child(Element(f"<title>{_esc(page_title)}</title>"), name="yl_title")
    root.header.add_child(Element(_CSS), name="yl_css")
    root.html.add_child(Element(f'<div class="yl-stamp">{STAMP}</div>'
                                f'<div class="yl-title">{_esc(page_title)}</div>'), name="yl_overlay")
    if bounds_4326:
        tb = np.vstack(bounds_4326)
        w, s, e, n = np.nanmin(tb[:, 0]), np.nanmin(tb[:, 1]), np.nanmax(tb[:, 2]), np.nanmax(tb[:, 3])
        if np.all(np.isfinite([w, s, e, n])):
            m.location = [float((s + n) / 2), float((w + e) / 2)]
            m.fit_bounds([[float(s), float(w)], [float(n), float(e)]])
    m._yuanluo = {"n_households": n_hh, "n_units": len(sorted_units), "osm": osm,  # type: ignore[attr-defined]
                  "lang": lang}
    return m


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
    """The complete, self-contained HTML of a map made by :func:`make_map`.

    Raises
    ------
    InvariantError
        If any network reference (external script, stylesheet, image) would remain.
    """
    html = _stable_ids(offline.inline_assets(m.get_root().render()))
    ext = offline.external_references(html)
    if ext:
        raise InvariantError(problem("INVARIANT", what=f"map HTML still references {', '.join(ext[:5])}"))
    return html


def save_map(
    map_or_layers: folium.Map | Mapping[str, Any],
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    **kwargs: Any,
) -> Path:
    """Write a map as one offline HTML file, atomically.

    Parameters
    ----------
    map_or_layers : folium.Map or mapping of layers
        A map from :func:`make_map`, or the layers to pass to it (with ``**kwargs``).
    path : path-like
        The ``.html`` file to write.
    overwrite : bool
        Replace an existing file (otherwise :class:`~yuanluo.gis.errors.OutputError` ``OUT-EXISTS``).

    Returns
    -------
    Path
        The written file.
    """
    target = Path(path)
    if target.exists() and not overwrite:
        raise OutputError(problem("OUT-EXISTS", file=str(target), ids=[str(target)]))
    m = map_or_layers if isinstance(map_or_layers, folium.Map) else make_map(map_or_layers, **kwargs)
    html = render_html(m)
    write_atomic(target, html.encode("utf-8"))
    return target


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically (see :func:`yuanluo.gis.output.write_bytes`)."""
    write_bytes(target, data, overwrite=True)
