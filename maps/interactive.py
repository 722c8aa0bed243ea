"""Interactive field maps: one self-contained, offline HTML file per delineation.

:func:`make_map` draws the layers of a delineation GeoPackage (``households``, ``units``,
``meeting_points``, ``unit_adjacency``; optional ``rivers``, ``roads``, ``boundary``,
``violations``) with folium/Leaflet; :func:`save_map` inlines the vendored Leaflet assets and writes
the file atomically. Layers may be in any projected CRS; they are reprojected to EPSG:4326 only here,
at drawing time, and never modified.

Large plans stay light: households travel as compact arrays (coordinates rounded to 5–6 decimals,
unit index, status code) drawn by one JavaScript loop as canvas CircleMarkers; unit territories are
simplified with coverage simplification, which keeps shared borders shared.

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

from gis.errors import (
    CRSError,
    InputError,
    InvariantError,
    OutputError,
    Problem,
    problem,
    register_messages,
    require_metric,
)
from gis.output import write_bytes
from maps import offline
from maps.hillshade import web_hillshade
from maps.style import (
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

register_messages(
    {
        "MAP-NO-LAYERS": {
            "zh": {
                "title": "没有可绘制的图层（需要 households 或 units），收到的图层：{names}。",
                "fix": "传入院落划分结果的图层，例如 gis.io 读出的 households、units。",
            },
            "en": {
                "title": "nothing to draw (need households or units); layers given: {names}.",
                "fix": "pass the layers of a delineation, e.g. households and units as read by gis.io.",
            },
        },
        "MAP-LAYER": {
            "zh": {
                "title": "图层 {layer} 无法绘制：{detail}",
                "fix": "图层须为带投影坐标系（米）的 GeoDataFrame，必要的列见数据约定。",
            },
            "en": {
                "title": "layer {layer} cannot be drawn: {detail}",
                "fix": "each layer must be a GeoDataFrame in a projected CRS (metres) with the contract's columns.",
            },
        },
        "MAP-BASEMAP": {
            "zh": {
                "title": "在线底图 {basemap} 不可用：{detail}",
                "fix": "可选 osm、tianditu（需 tianditu_key=天地图密钥）、amap；或不加底图（离线默认）。",
            },
            "en": {
                "title": "online basemap {basemap} is unavailable: {detail}",
                "fix": "choose osm, tianditu (needs tianditu_key=...) or amap, or no basemap (the offline default).",
            },
        },
    }
)


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
        from gis.chinacoords import wgs84_to_gcj02  # type: ignore[import-not-found,unused-ignore]
    except ImportError as err:
        raise InputError(
            problem("MAP-BASEMAP", basemap="amap", detail=f"gis.chinacoords.wgs84_to_gcj02 is missing ({err})")
        ) from err

    def shift(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x, y = wgs84_to_gcj02(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)

    return shift


def _round_geoms(geoms: Any, decimals: int) -> Any:
    return shapely.set_precision(geoms, 10.0**-decimals, mode="pointwise")


def _geojson(gdf: gpd.GeoDataFrame, columns: Sequence[str], decimals: int) -> dict[str, Any]:
    """A compact GeoJSON dict with only ``columns`` as properties."""
    geoms = _round_geoms(gdf.geometry.values, decimals)
    props = gdf[list(columns)].astype(object).where(gdf[list(columns)].notna(), None)
    feats = []
    records = props.to_dict("records")
    for geom, rec in zip(shapely.to_geojson(geoms).tolist() if len(geoms) else [], records, strict=True):
        feats.append({"type": "Feature", "properties": {k: _jsonable(v) for k, v in rec.items()},
                      "geometry": json.loads(geom)})
    return {"type": "FeatureCollection", "features": feats}


def _jsonable(v: Any) -> Any:
    if v is None or v is pd.NA:
        return None
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, float) and not np.isfinite(v):
        return None
    return v if isinstance(v, str | int | float | bool) else str(v)


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


_HOUSEHOLDS_JS = """
var D = %(data)s;
var n = D.hid.length, st = D.st, u = D.u, cols = D.colours, q = D.q;
// decode integer offsets (units of 10^-decimals degree) to lat/lon; Web Mercator metres for drawing
var lat = new Float64Array(n), lon = new Float64Array(n), mx = new Float64Array(n), my = new Float64Array(n);
var proj = L.Projection.SphericalMercator;
for (var i = 0; i < n; i++) {
  lat[i] = D.lat0 + D.dlat[i] * q; lon[i] = D.lon0 + D.dlon[i] * q;
  var p = proj.project(L.latLng(lat[i], lon[i])); mx[i] = p.x; my[i] = p.y;
}
D.xy = {lat: lat, lon: lon};
function fieldValue(k, i) { var f = D.extra[k], c = f.c[i]; return c < 0 ? null : f.v[c]; }
var Dots = L.Layer.extend({
  onAdd: function(m) {
    this._c = L.DomUtil.create('canvas', 'leaflet-zoom-hide yl-dots');
    this._c.style.pointerEvents = 'none';
    m.getPanes().overlayPane.appendChild(this._c);
    m.on('moveend zoomend resize viewreset', this._redraw, this);
    m.on('click', this._click, this);
    this._redraw();
  },
  onRemove: function(m) {
    L.DomUtil.remove(this._c);
    m.off('moveend zoomend resize viewreset', this._redraw, this);
    m.off('click', this._click, this);
    Y.householdsPainted = 0;
  },
  _redraw: function() {
    var m = this._map, size = m.getSize(), c = this._c;
    L.DomUtil.setPosition(c, m.containerPointToLayerPoint([0, 0]));
    c.width = size.x; c.height = size.y;
    var ctx = c.getContext('2d'), z = m.getZoom();
    var s = 256 * Math.pow(2, z) / (2 * Math.PI * 6378137);
    var ref = m.latLngToContainerPoint(m.getCenter()), pc = proj.project(m.getCenter());
    var r = z >= 17 ? 5 : z >= 15 ? 4 : z >= 13 ? 2.5 : 1.5, pad = r + 2;
    var sx = this._sx = new Float32Array(n), sy = this._sy = new Float32Array(n);
    var vis = [], k;
    for (k = 0; k < n; k++) {
      var x = ref.x + (mx[k] - pc.x) * s, y = ref.y - (my[k] - pc.y) * s;
      sx[k] = x; sy[k] = y;
      if (x > -pad && y > -pad && x < size.x + pad && y < size.y + pad) vis.push(k);
    }
    // one path per colour, then red rings for exceptions and unassigned households
    var byColour = {};
    for (k = 0; k < vis.length; k++) {
      var i = vis[k], col = u[i] >= 0 ? cols[u[i]] : '%(unassigned)s';
      (byColour[col] = byColour[col] || []).push(i);
    }
    ctx.lineWidth = 0.8; ctx.strokeStyle = '#222';
    Object.keys(byColour).sort().forEach(function(col) {
      var ids = byColour[col]; ctx.beginPath();
      for (var j = 0; j < ids.length; j++) { var t = ids[j]; ctx.moveTo(sx[t] + r, sy[t]); ctx.arc(sx[t], sy[t], r, 0, 6.2832); }
      ctx.fillStyle = col; ctx.fill(); if (r > 2) ctx.stroke();
    });
    ctx.beginPath();
    for (k = 0; k < vis.length; k++) { var e = vis[k]; if (st[e]) { ctx.moveTo(sx[e] + r + 1.5, sy[e]); ctx.arc(sx[e], sy[e], r + 1.5, 0, 6.2832); } }
    ctx.lineWidth = 2; ctx.strokeStyle = '%(exc)s'; ctx.stroke();
    Y.householdsPainted = vis.length;
  },
  _click: function(e) {
    if (!this._sx) return;
    var p = e.containerPoint, best = -1, bd = 64;
    for (var k = 0; k < n; k++) {
      var dx = this._sx[k] - p.x, dy = this._sy[k] - p.y, d = dx * dx + dy * dy;
      if (d < bd) { bd = d; best = k; }
    }
    if (best >= 0) L.popup().setLatLng([lat[best], lon[best]]).setContent(popup(best)).openOn(this._map);
  }
});
function popup(i) {
  var rows = [[D.lab.hid, D.hid[i]], [D.lab.unit_id, u[i] >= 0 ? D.units[u[i]] : '—'],
              [D.lab.status, D.stText[st[i]]]];
  for (var k = 0; k < D.fields.length; k++) {
    var v = fieldValue(k, i);
    if (v !== null && v !== '') rows.push([D.fieldLabels[k], v]);
  }
  var tr = rows.map(function(r) {
    var td = document.createElement('td'); td.textContent = String(r[1]);
    var th = document.createElement('th'); th.textContent = r[0];
    return '<tr>' + th.outerHTML + td.outerHTML + '</tr>';
  });
  return '<table class="yl-pop">' + tr.join('') + '</table>';
}
var Y = window.yuanluo = window.yuanluo || {};
var dots = new Dots();
parent.addLayer(dots);
Y.map = map; Y.households = D; Y.householdLayer = dots; Y.popup = popup;
Y.householdsDrawn = n;
"""

_SEARCH_JS = """
var Y = window.yuanluo = window.yuanluo || {};
var S = %(data)s;
Y.unitBounds = S.bounds; Y.nUnits = S.n_units;
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
  var b = S.bounds[q] || S.bounds[q.toUpperCase()];
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
    include_personal: bool, decimals: int,
) -> dict[str, Any]:
    pts = hh.geometry.values
    ok = ~(shapely.is_missing(pts) | shapely.is_empty(pts))
    hh = hh[ok]
    lon = shapely.get_x(hh.geometry.values)
    lat = shapely.get_y(hh.geometry.values)
    q = 10.0**-decimals
    lat0 = float(np.round(lat.min(), decimals)) if len(lat) else 0.0
    lon0 = float(np.round(lon.min(), decimals)) if len(lon) else 0.0
    dlat = np.rint((lat - lat0) / q).astype(np.int64)
    dlon = np.rint((lon - lon0) / q).astype(np.int64)
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
        extra.append({"v": values, "c": codes.tolist()})
    return {
        "lat0": lat0,
        "lon0": lon0,
        "q": q,
        "dlat": dlat.tolist(),
        "dlon": dlon.tolist(),
        "hid": [str(i) for i in hh.index],
        "u": u.tolist(),
        "st": st.tolist(),
        "units": list(unit_index),
        "colours": list(colours),
        "fields": fields,
        "fieldLabels": [label(c, lang) for c in fields],
        "extra": extra,
        "stText": [label("ok", lang), label("exception", lang), label("unassigned", lang)],
        "lab": {k: label(k, lang) for k in ("hid", "unit_id", "status")},
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
    """Coverage simplification in the working CRS: a few metres for big plans, shared borders kept."""
    tol = 2.0 if n_households <= RICH_POPUP_LIMIT else 5.0
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


def _lines_layer(gdf: gpd.GeoDataFrame, name: str, colour: str, weight: float, decimals: int,
                 fill: bool = False) -> folium.GeoJson:
    cols = [c for c in ("name",) if c in gdf.columns]
    data = _geojson(gdf, cols, decimals)
    style = {"color": colour, "weight": weight, "opacity": 0.8, "fillOpacity": 0.35 if fill else 0.0,
             "fillColor": colour}
    return folium.GeoJson(data, name=name, style_function=lambda _f, s=style: s, interactive=False,
                          smooth_factor=1.0)


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
    rules : gis.rules.Rules, optional
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
    bounds_4326: list[np.ndarray] = []

    if hillshade is not None:
        rgba, hb = web_hillshade(hillshade)
        if shift is not None:
            (x0, x1), (y0, y1) = shift(np.array([hb[0][1], hb[1][1]]), np.array([hb[0][0], hb[1][0]]))
            hb = [[float(y0), float(x0)], [float(y1), float(x1)]]
        folium.raster_layers.ImageOverlay(rgba, bounds=hb, name=label("hillshade", lang), opacity=0.6,
                                          mercator_project=False, interactive=False).add_to(m)

    extras: list[str] = []
    for key, colour, weight in (("boundary", BOUNDARY_COLOUR, 2.5), ("water", RIVER_COLOUR, 1.0),
                                ("rivers", RIVER_COLOUR, 2.0), ("roads", ROAD_COLOUR, 1.5)):
        if key in lyr and isinstance(lyr[key], gpd.GeoDataFrame):
            g = _to_display(lyr[key], shift)
            if key == "boundary":
                g = g.set_geometry(g.geometry.boundary.where(g.geom_type.str.contains("Polygon"), g.geometry))
            fill = key in ("rivers", "water") and bool(g.geom_type.str.contains("Polygon").any())
            _lines_layer(g, label("rivers" if key == "water" else key, lang), colour, weight, dec,
                         fill=fill).add_to(m)
            if key != "water":
                extras.append(key)

    violations = _violations_by_unit(lyr.get("violations"))
    search_bounds: dict[str, list[float]] = {}
    if "units" in lyr:
        ut = _units_frame(_simplify_units(lyr["units"], n_hh), band, lang, violations)
        ut = _to_display(ut, shift)
        b = ut.geometry.bounds.round(dec)
        for uid, row in zip(ut["unit_id"], b.itertuples(index=False), strict=True):
            if np.isfinite(row.minx):
                search_bounds[str(uid)] = [row.miny, row.minx, row.maxy, row.maxx]
        fields = ["unit_id", "n_households", "status", "reason", "meeting_hid", "mean_walk_min", "max_walk_min"]
        ut["_fill"] = ut["unit_id"].map(colour_of).fillna(UNASSIGNED_COLOUR)
        data = _geojson(ut[~ut.geometry.isna()], fields + ["_fill", "_bad"], dec)
        tip = folium.GeoJsonTooltip(fields=fields, aliases=[label(f, lang) for f in fields], sticky=True)
        folium.GeoJson(
            data, name=label("units", lang), tooltip=tip, smooth_factor=0.5,
            style_function=lambda f: {
                "fillColor": f["properties"]["_fill"], "fillOpacity": 0.25,
                "color": EXCEPTION_COLOUR if f["properties"]["_bad"] else "#444",
                "weight": 3 if f["properties"]["_bad"] else 1,
                "dashArray": "6 4" if f["properties"]["_bad"] else None,
            },
            highlight_function=lambda _f: {"weight": 3, "fillOpacity": 0.4},
        ).add_to(m)
        bad = ut[ut["_bad"].astype(bool)]
        if len(bad):
            exc = folium.FeatureGroup(name=label("exceptions", lang))
            folium.GeoJson(_geojson(bad, fields, dec), tooltip=folium.GeoJsonTooltip(
                fields=fields, aliases=[label(f, lang) for f in fields], sticky=True),
                style_function=lambda _f: {"color": EXCEPTION_COLOUR, "weight": 4, "fill": False}).add_to(exc)
            exc.add_to(m)
        bounds_4326.append(np.asarray(ut.total_bounds))

    if hh_src is not None:
        hh = _to_display(hh_src, shift)
        colours = [colour_of[u] for u in sorted_units]
        payload = _household_payload(hh, unit_index, colours, lang, include_personal, dec)
        fg = folium.FeatureGroup(name=label("households", lang))
        code = _HOUSEHOLDS_JS % {"data": json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
                                 "exc": EXCEPTION_COLOUR, "unassigned": UNASSIGNED_COLOUR}
        fg.add_child(_Js(code, map_name))
        fg.add_to(m)
        bounds_4326.append(np.asarray(hh.total_bounds))

    if "meeting_points" in lyr:
        mp = _to_display(lyr["meeting_points"], shift)
        cols = [c for c in ("unit_id", "hid") if c in mp.columns]
        folium.GeoJson(
            _geojson(mp, cols, dec), name=label("meeting_points", lang),
            marker=folium.CircleMarker(radius=7, weight=2, color="#ffffff", fill_color=MEETING_COLOUR,
                                       fill_opacity=1.0),
            tooltip=folium.GeoJsonTooltip(fields=cols, aliases=[label(c, lang) for c in cols]),
        ).add_to(m)

    # controls
    fs = plugins.Fullscreen(title=label("fullscreen", lang), title_cancel=label("exit_fullscreen", lang))
    fs.default_js, fs.default_css = list(offline.FULLSCREEN_JS), list(offline.FULLSCREEN_CSS)
    fs.add_to(m)
    loc = plugins.LocateControl(strings={"title": label("locate", lang)}, icon="yl-locate",
                                iconLoading="yl-locate", flyTo=True, keepCurrentZoomLevel=False)
    loc.default_js, loc.default_css = list(offline.LOCATE_JS), list(offline.LOCATE_CSS)
    loc.add_to(m)
    search = {"bounds": search_bounds, "n_units": len(sorted_units), "placeholder": label("search", lang),
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
        Replace an existing file (otherwise :class:`~gis.errors.OutputError` ``OUT-EXISTS``).

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
    """Write ``data`` to ``target`` atomically (see :func:`gis.output.write_bytes`)."""
    write_bytes(target, data, overwrite=True)
