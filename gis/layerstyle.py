"""Field aliases, layer titles and QGIS default styles for the GeoPackages Yuanluo writes.

The canonical (English) column names stay in every file, because scripts rely on them; beside them a planner
sees Chinese (or, with ``--lang en``, English) names:

* **field aliases** in the GeoPackage schema extension (``gpkg_data_columns``: ``name`` and ``title`` hold the
  alias, ``description`` the canonical name). GDAL ≥ 3.3 reads ``name`` as the field's alternative name and QGIS
  shows it as the field alias (attribute table headers, identify results, forms);
* **layer titles** in ``gpkg_contents`` (``identifier`` and ``description``);
* **a default QGIS style** per drawn layer in ``layer_styles`` (the table QGIS itself creates when a style is
  saved in a GeoPackage): units filled in colours that differ between neighbours, exception units hatched red
  and labelled with their id; households coloured by their unit's status (or, in a coverage file, by walking
  minutes); meeting points as stars and service points as labelled symbols. QGIS applies it when the layer is
  opened.

All texts come from the catalogue (``gis/messages/fields.toml``). Everything here is pure: the same layers and
language give the same strings (no clock, no random numbers).

Examples
--------
>>> field_alias("hid", "zh"), field_alias("hid", "en"), field_alias("户主姓名", "zh") is None
('户编号', 'Household ID', True)
>>> layer_title("units", "zh")
'院落范围'
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from yuanluo.gis.catalogue import Lang, has, text

#: The QGIS version the QML says it was written for (QGIS reads styles of older versions without complaint).
QGIS_VERSION = "3.28.0-Firenze"
#: Colours of units whose neighbours differ (Tableau 10, as the maps use), as ``r,g,b``.
UNIT_COLOURS: tuple[str, ...] = (
    "78,121,167", "242,142,43", "89,161,79", "176,122,161", "237,201,72",
    "118,183,178", "255,157,167", "156,117,95", "140,209,125", "160,203,232",
)
EXCEPTION_RGB = "214,39,40"
#: up to this many units, each unit is a category of its own (its colour differs from its neighbours'); above it
#: the categories are the colours, picked by an expression on ``unit_id`` (:func:`units_qml`)
UNIT_CATEGORY_LIMIT = 600
OK_RGB = "89,161,79"
UNASSIGNED_RGB = "127,127,127"
#: the outline of a unit (and its households) kept as planned (``delineate --plan … 锁定``)
LOCKED_RGB = "31,31,31"
MEETING_RGB = "17,17,17"
#: walking-minute bands of a coverage file's households (upper bounds) and their colours, near to far
WALK_BANDS: tuple[float, ...] = (5.0, 10.0, 15.0)
WALK_RGB: tuple[str, ...] = ("26,152,80", "145,207,96", "254,224,139", "215,48,39")
LEVEL_RGB: dict[str, str] = {"village": "214,39,40", "group": "31,120,180", "hub": "106,61,154",
                             "mobile": "255,127,0", "fixed": "51,51,51"}
LEVEL_SHAPE: dict[str, str] = {"village": "star", "group": "diamond", "hub": "square", "mobile": "triangle",
                               "fixed": "circle"}


# ------------------------------------------------------------------------------------------ names
def field_alias(column: str, lang: Lang = "zh", layer: str | None = None) -> str | None:
    """The alias of ``column`` (``field.<layer>.<column>``, else ``field.<column>``), or None when unknown.

    Maturity categories (``policy``, ``economy`` …) take their names from the maturity catalogue.

    Examples
    --------
    >>> field_alias("village", "zh"), field_alias("village", "zh", layer="hubs")
    ('行政村', '所服务的行政村')
    >>> field_alias("economy", "zh")
    '庭院经济'
    """
    for key in ([f"field.{layer}.{column}"] if layer else []) + [f"field.{column}", f"maturity.category.{column}"]:
        if has(key):
            return text(key, lang)
    return None


def layer_aliases(columns: Iterable[str], lang: Lang = "zh", layer: str | None = None) -> dict[str, str]:
    """``column → alias`` for the columns that have one; an alias already taken in the layer gets the column
    name in brackets, so that aliases stay unique (the GeoPackage requires it).

    The households layer keeps the file's own name of its township column (镇, 街道 …: it is read back by that name,
    :func:`yuanluo.gis.columns.town_columns`); it takes the alias the units and hierarchy layers give their
    ``town`` (乡镇 / Town), unless that is its name already.

    Examples
    --------
    >>> layer_aliases(["hid", "unit_id", "户主姓名"], "zh")
    {'hid': '户编号', 'unit_id': '院落编号'}
    >>> layer_aliases(["hid", "镇"], "en", "households"), layer_aliases(["乡镇"], "zh", "households")
    ({'hid': 'Household ID', '镇': 'Town'}, {})
    """
    from yuanluo.gis.columns import town_columns

    out: dict[str, str] = {}
    for col in columns:
        alias = field_alias(str(col), lang, layer)
        if alias is None and layer == "households" and town_columns([str(col)]):
            alias = field_alias("town", lang)
            if alias == str(col):
                continue
        if alias is None:
            continue
        if alias in out.values() or alias in columns:
            alias = f"{alias}（{col}）" if lang == "zh" else f"{alias} ({col})"
        out[str(col)] = alias
    return out


def layer_title(name: str, lang: Lang = "zh") -> str | None:
    """The display name of a layer (``layer.<name>``), or None for a layer Yuanluo does not name."""
    key = f"layer.{name}"
    return text(key, lang) if has(key) else None


def header_names(columns: Iterable[str], lang: Lang = "zh", layer: str | None = None) -> list[str]:
    """Column headers for a table a person reads (CSV, xlsx): the alias, else the column name as it is.

    Examples
    --------
    >>> header_names(["hid", "from_unit", "to_unit", "reason"], "zh")
    ['户编号', '原院落', '新院落', '原因']
    >>> header_names(["hid", "extra"], "en")
    ['Household ID', 'extra']
    """
    cols = [str(c) for c in columns]
    aliases = layer_aliases(cols, lang, layer)
    return [aliases.get(c, c) for c in cols]


# ------------------------------------------------------------------------------------------ QML
@dataclass(frozen=True)
class Symbol:
    """One QGIS symbol: a fill (``shape`` None), a simple marker (``circle``, ``star`` …) or a line
    (``shape="line"``: colour ``rgb``, width ``outline_width``, pen ``dash``)."""

    rgb: str
    alpha: int = 255
    shape: str | None = None
    size: float = 2.0
    outline: str = "35,35,35"
    outline_width: float = 0.26
    hatch: bool = False
    hollow: bool = False
    dash: str = "solid"


def _props(layer: ET.Element, props: Mapping[str, str]) -> None:
    """Symbol-layer properties written both ways QGIS reads them: an ``Option`` map (QGIS ≥ 3.20) and
    ``prop`` elements (older versions)."""
    opt = ET.SubElement(layer, "Option", type="Map")
    for k, v in props.items():
        ET.SubElement(opt, "Option", type="QString", name=k, value=v)
    for k, v in props.items():
        ET.SubElement(layer, "prop", k=k, v=v)


def _symbol(parent: ET.Element, name: str, sym: Symbol) -> None:
    kind = "fill" if sym.shape is None else "line" if sym.shape == "line" else "marker"
    el = ET.SubElement(parent, "symbol", type=kind, name=name, alpha="1", clip_to_extent="1", force_rhr="0")
    if sym.shape is None:
        layer = ET.SubElement(el, "layer", attrib={"class": "SimpleFill", "enabled": "1", "locked": "0", "pass": "0"})
        _props(layer, {"color": f"{sym.rgb},{sym.alpha}", "joinstyle": "bevel", "offset": "0,0",
                       "outline_color": f"{sym.outline},255", "outline_style": sym.dash,
                       "outline_width": f"{sym.outline_width:g}", "outline_width_unit": "MM",
                       "style": "no" if sym.hollow else "b_diagonal" if sym.hatch else "solid"})
        return
    if kind == "line":
        layer = ET.SubElement(el, "layer", attrib={"class": "SimpleLine", "enabled": "1", "locked": "0", "pass": "0"})
        _props(layer, {"capstyle": "round", "joinstyle": "round", "line_color": f"{sym.rgb},{sym.alpha}",
                       "line_style": sym.dash, "line_width": f"{sym.outline_width:g}", "line_width_unit": "MM",
                       "offset": "0"})
        return
    layer = ET.SubElement(el, "layer", attrib={"class": "SimpleMarker", "enabled": "1", "locked": "0", "pass": "0"})
    _props(layer, {"angle": "0", "color": f"{sym.rgb},{sym.alpha}", "joinstyle": "bevel", "name": sym.shape,
                   "offset": "0,0", "outline_color": f"{sym.outline},255", "outline_style": "solid",
                   "outline_width": f"{sym.outline_width:g}", "outline_width_unit": "MM", "scale_method": "diameter",
                   "size": f"{sym.size:g}", "size_unit": "MM", "vertical_anchor_point": "1",
                   "horizontal_anchor_point": "1"})


def _categorised(root: ET.Element, attr: str, cats: Sequence[tuple[str, str, Symbol]]) -> None:
    """A categorised renderer on ``attr``: (value, label, symbol) per category."""
    r = ET.SubElement(root, "renderer-v2", type="categorizedSymbol", attr=attr, forceraster="0", symbollevels="0",
                      enableorderby="0")
    el = ET.SubElement(r, "categories")
    for i, (value, label, _) in enumerate(cats):
        ET.SubElement(el, "category", symbol=str(i), value=value, label=label, render="true")
    syms = ET.SubElement(r, "symbols")
    for i, (_, _, sym) in enumerate(cats):
        _symbol(syms, str(i), sym)


def _rules(root: ET.Element, rules: Sequence[tuple[str, str, Symbol]]) -> None:
    """A rule-based renderer: (filter expression, label, symbol) per rule, ``ELSE`` allowed."""
    r = ET.SubElement(root, "renderer-v2", type="RuleRenderer", forceraster="0", symbollevels="0",
                      enableorderby="0")
    el = ET.SubElement(r, "rules", key="{00000000-0000-0000-0000-000000000000}")
    for i, (expr, label, _) in enumerate(rules):
        ET.SubElement(el, "rule", filter=expr, label=label, symbol=str(i),
                      key=f"{{00000000-0000-0000-0000-{i + 1:012d}}}")
    syms = ET.SubElement(r, "symbols")
    for i, (_, _, sym) in enumerate(rules):
        _symbol(syms, str(i), sym)


def _labels(root: ET.Element, field: str, *, polygon: bool, size: float = 9.0) -> None:
    """Simple labels from ``field``: bold, with a white halo; over the centroid of a polygon (inside it),
    around a point."""
    lab = ET.SubElement(root, "labeling", type="simple")
    s = ET.SubElement(lab, "settings", calloutType="simple")
    ts = ET.SubElement(s, "text-style", fieldName=field, isExpression="0", fontFamily="Arial", namedStyle="Bold",
                       fontWeight="75", fontItalic="0", fontSize=f"{size:g}", fontSizeUnit="Point",
                       textColor="20,20,20,255", textOpacity="1", multilineHeight="1", blendMode="0",
                       previewBkgrdColor="255,255,255,255")
    ET.SubElement(ts, "text-buffer", bufferDraw="1", bufferSize="0.8", bufferSizeUnits="MM",
                  bufferColor="255,255,255,255", bufferOpacity="1", bufferNoFill="1", bufferJoinStyle="128",
                  bufferBlendMode="0")
    ET.SubElement(s, "text-format", wrapChar="", multilineAlign="3", plussign="0", reverseDirectionSymbol="0",
                  placeDirectionSymbol="0", formatNumbers="0", decimals="3", addDirectionSymbol="0")
    ET.SubElement(s, "placement", placement="1" if polygon else "6", centroidInside="1", centroidWhole="0",
                  dist="1" if not polygon else "0", distUnits="MM", offsetType="0", priority="5",
                  fitInPolygonOnly="0", placementFlags="10", quadOffset="4", xOffset="0", yOffset="0",
                  overrunDistance="0", overrunDistanceUnit="MM", repeatDistance="0", repeatDistanceUnit="MM")
    ET.SubElement(s, "rendering", obstacle="1", obstacleType="1" if polygon else "0", obstacleFactor="1",
                  displayAll="0", upsidedownLabels="0", limitNumLabels="0", maxNumLabels="2000",
                  scaleVisibility="0", scaleMin="0", scaleMax="0", mergeLines="0", labelPerPart="0",
                  drawLabels="1", zIndex="0", minFeatureSize="0", fontLimitPixelSize="0",
                  fontMinPixelSize="3", fontMaxPixelSize="10000")


def _document(render: Callable[[ET.Element], None], geometry: int, label_field: str | None, *,
              polygon: bool) -> str:
    """A QML document: the renderer ``render`` adds, labels from ``label_field``, the geometry type (0 point,
    1 line, 2 polygon)."""
    root = ET.Element("qgis", version=QGIS_VERSION, styleCategories="Symbology|Labeling",
                      labelsEnabled="1" if label_field else "0")
    render(root)
    if label_field:
        _labels(root, label_field, polygon=polygon)
    ET.SubElement(root, "layerGeometryType").text = str(geometry)
    ET.indent(root, space=" ")
    body = ET.tostring(root, encoding="unicode")
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + body + "\n"


def _single(root: ET.Element, sym: Symbol) -> None:
    """A single-symbol renderer."""
    r = ET.SubElement(root, "renderer-v2", type="singleSymbol", forceraster="0", symbollevels="0", enableorderby="0")
    _symbol(ET.SubElement(r, "symbols"), "0", sym)


def _quoted(value: str) -> str:
    """A QGIS expression string literal."""
    return "'" + value.replace("'", "''") + "'"


def colour_index(units: Sequence[str], pairs: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Greedy colouring of the unit adjacency: neighbours never share an index (units by decreasing number of
    neighbours, ties by id; each takes the smallest free index).

    Examples
    --------
    >>> colour_index(["U1", "U2", "U3"], [("U1", "U2"), ("U2", "U3")])
    {'U1': 1, 'U2': 0, 'U3': 1}
    """
    ids = sorted({str(u) for u in units})
    nbrs: dict[str, set[str]] = {u: set() for u in ids}
    for a, b in ((str(x), str(y)) for x, y in pairs):
        if a in nbrs and b in nbrs and a != b:
            nbrs[a].add(b)
            nbrs[b].add(a)
    out: dict[str, int] = {}
    for u in sorted(ids, key=lambda u: (-len(nbrs[u]), u)):
        used = {out[n] for n in nbrs[u] if n in out}
        out[u] = next(i for i in range(len(ids) + 1) if i not in used)
    return {u: out[u] for u in ids}


def _unit_symbol(uid: str, st: str, colour: int, broken: set[str], lang: Lang) -> tuple[str, str, Symbol]:
    """The category of one unit when each unit is a category of its own: (unit id, label, symbol)."""
    rgb = UNIT_COLOURS[colour % len(UNIT_COLOURS)]
    if st == "ok":
        return uid, text("style.unit", lang, unit=uid), Symbol(rgb, alpha=140, outline="60,60,60")
    if st == "locked" and uid not in broken:  # kept as planned and within its rules: a unit as any other
        return (uid, f"{text('style.unit', lang, unit=uid)} · {text('style.locked', lang)}",
                Symbol(rgb, alpha=140, outline=LOCKED_RGB, outline_width=0.6))
    hatched = Symbol(EXCEPTION_RGB, alpha=200, outline=EXCEPTION_RGB, outline_width=0.6, hatch=True)
    said = "style.locked_breach" if st == "locked" else "style.exception"
    return uid, f"{text('style.unit', lang, unit=uid)} · {text(said, lang)}", hatched


def _colour_key(st: str, colour: int, uid: str, broken: set[str]) -> str:
    """The category of a unit in a style by colour (:func:`units_qml` above :data:`UNIT_CATEGORY_LIMIT`): its
    colour (``"3"``), a locked unit within its rules its colour with ``L`` (``"L3"``: drawn with the locked
    outline), a unit breaking its rules ``x`` (an exception) or ``xl`` (locked, breaking a rule): hatched red."""
    if st == "ok":
        return str(colour % len(UNIT_COLOURS))
    if st == "locked":
        return "xl" if uid in broken else f"L{colour % len(UNIT_COLOURS)}"
    return "x"


def units_qml(units: pd.DataFrame, lang: Lang = "zh", adjacency: pd.DataFrame | None = None) -> str:
    """The default style of a ``units`` layer: neighbours in different colours, exception units (and locked ones
    breaking a rule) hatched red, locked ones outlined; labels from ``unit_id``.

    Up to :data:`UNIT_CATEGORY_LIMIT` units each unit is a category of its own (the legend lists the units).
    Above it (a town or a district) the categories are the colours (:data:`UNIT_COLOURS`), exceptions and locked
    units, and the renderer's value is an expression mapping ``unit_id`` to its category
    (``coalesce(map_get(map('U0002', '1', …), "unit_id"), '0')``; units of the first colour are left out of
    the map), so that neighbours still differ and the style stays small (about 15 bytes a unit). The units
    layer gets no column for it.

    Examples
    --------
    >>> many = pd.DataFrame({"unit_id": [f"U{i}" for i in range(UNIT_CATEGORY_LIMIT + 1)], "status": "ok"})
    >>> r = ET.fromstring(units_qml(many, "en").split("\\n", 1)[1]).find("renderer-v2")
    >>> r.get("attr").startswith("coalesce(map_get(map("), [c.get("label") for c in r.iter("category")]
    (True, ['units, colour 1 (neighbours differ)'])
    """
    status = units["status"].astype(str) if "status" in units.columns else pd.Series("ok", index=units.index)
    ids = units["unit_id"].astype(str)
    from yuanluo.gis.lock import locked_breaking

    broken = locked_breaking(units)
    from yuanluo.gis.units import neighbour_pairs

    colours = colour_index(list(ids), neighbour_pairs(adjacency, units))
    if len(ids) <= UNIT_CATEGORY_LIMIT:
        cats = [_unit_symbol(uid, st, colours[uid], broken, lang) for uid, st in sorted(zip(ids, status, strict=True))]
        return _document(lambda root: _categorised(root, "unit_id", cats), 2, "unit_id", polygon=True)
    keys = {uid: _colour_key(st, colours[uid], uid, broken) for uid, st in zip(ids, status, strict=True)}
    present = set(keys.values())
    by_colour: list[tuple[str, str, Symbol]] = []
    for i, rgb in enumerate(UNIT_COLOURS):
        label = text("style.unit_colour", lang, n=i + 1)
        if str(i) in present or i == 0:  # the first colour too for a unit not in the map (added in QGIS, say)
            by_colour.append((str(i), label, Symbol(rgb, alpha=140, outline="60,60,60")))
        if f"L{i}" in present:
            by_colour.append((f"L{i}", f"{label} · {text('style.locked', lang)}",
                              Symbol(rgb, alpha=140, outline=LOCKED_RGB, outline_width=0.6)))
    hatched = Symbol(EXCEPTION_RGB, alpha=200, outline=EXCEPTION_RGB, outline_width=0.6, hatch=True)
    by_colour += [(k, text(key, lang), hatched) for k, key in (("x", "style.exception"), ("xl", "style.locked_breach"))
                  if k in present]
    pairs = ", ".join(f"{_quoted(uid)}, {_quoted(k)}" for uid, k in sorted(keys.items()) if k != "0")
    expr = f'coalesce(map_get(map({pairs}), "unit_id"), \'0\')'
    return _document(lambda root: _categorised(root, expr, by_colour), 2, "unit_id", polygon=True)


def households_qml(households: pd.DataFrame, lang: Lang = "zh") -> str | None:
    """The default style of a ``households`` layer: by walking minutes when it has ``walk_min`` (a coverage
    file), else by its unit's status (``unit_status``); None when it has neither."""
    if "walk_min" in households.columns:
        rules: list[tuple[str, str, Symbol]] = []
        lo = 0.0
        for hi, rgb in zip(WALK_BANDS, WALK_RGB, strict=False):
            rules.append((f'"walk_min" <= {hi:g}' + (f' AND "walk_min" > {lo:g}' if lo else ""),
                          text("style.walk_band", lang, lo=f"{lo:g}", hi=f"{hi:g}"), Symbol(rgb, shape="circle")))
            lo = hi
        rules.append((f'"walk_min" > {lo:g}', text("style.walk_over", lang, lo=f"{lo:g}"),
                      Symbol(WALK_RGB[-1], shape="circle", size=2.6)))
        rules.append(('"walk_min" IS NULL', text("style.unreachable", lang),
                      Symbol("0,0,0", shape="cross2", size=3.0, outline="0,0,0", outline_width=0.6)))
        return _document(lambda root: _rules(root, rules), 0, None, polygon=False)
    if "unit_status" not in households.columns:
        return None
    cats = [("ok", text("style.ok", lang), Symbol(OK_RGB, shape="circle")),
            ("exception", text("style.exception", lang), Symbol(EXCEPTION_RGB, shape="circle", size=2.4)),
            ("violation", text("style.violation", lang), Symbol(EXCEPTION_RGB, shape="circle", size=2.4)),
            ("locked", text("style.locked", lang), Symbol(OK_RGB, shape="circle", outline=LOCKED_RGB,
                                                          outline_width=0.5)),
            ("", text("style.unassigned", lang), Symbol(UNASSIGNED_RGB, shape="circle"))]
    present = set(households["unit_status"].astype(str))
    keep = [c for c in cats if c[0] in present or c[0] in ("ok", "exception")]
    return _document(lambda root: _categorised(root, "unit_status", keep), 0, None, polygon=False)


def meeting_points_qml() -> str:
    """The default style of a ``meeting_points`` layer: a black star, unlabelled (the unit under it carries the
    id; labelling both printed every id twice in QGIS)."""
    sym = Symbol(MEETING_RGB, shape="star", size=4.2, outline="255,255,255", outline_width=0.4)
    return _document(lambda root: _single(root, sym), 0, None, polygon=False)


def hubs_qml(hubs: pd.DataFrame, lang: Lang = "zh") -> str:
    """The default style of a coverage file's ``hubs`` layer: symbols by level, labelled with ``hub_id``."""
    present = set(hubs["level"].astype(str)) if "level" in hubs.columns else set()
    cats = [(lvl, text(f"style.level.{lvl}", lang), Symbol(LEVEL_RGB[lvl], shape=LEVEL_SHAPE[lvl], size=4.0,
                                                           outline="255,255,255", outline_width=0.4))
            for lvl in LEVEL_RGB if lvl in present]
    return _document(lambda root: _categorised(root, "level", cats), 0, "hub_id", polygon=False)


def left_out_qml() -> str:
    """The default style of a coverage file's ``sites_left_out`` layer: a grey cross, labelled with the site."""
    sym = Symbol("120,120,120", shape="cross2", size=4.0, outline="120,120,120", outline_width=0.6)
    return _document(lambda root: _single(root, sym), 0, "site", polygon=False)


#: the context layers (as the maps draw them): name → (colour, line width in mm, pen, polygon filled)
CONTEXT: dict[str, tuple[str, float, str, bool]] = {
    "rivers": ("31,120,180", 0.6, "solid", True),
    "water": ("31,120,180", 0.4, "solid", True),
    "roads": ("107,79,42", 0.45, "solid", False),
    "boundary": ("51,51,51", 0.8, "dash", False),
    "groups": ("120,120,120", 0.4, "dot", False),
}
WATER_FILL = "166,206,227"


def context_qml(name: str, frame: pd.DataFrame) -> str | None:
    """The default style of a context layer (rivers, water, roads, village boundary, villager groups): lines for
    line geometries, outlines (water filled) for polygons; None for another layer or geometry.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> roads = gpd.GeoDataFrame(geometry=[shapely.LineString([(0, 0), (1, 1)])])
    >>> ET.fromstring(context_qml("roads", roads).split("\\n", 1)[1]).find(".//symbol").get("type")
    'line'
    """
    geom: Any = getattr(frame, "geometry", None)
    if name not in CONTEXT or not hasattr(geom, "geom_type") or not len(frame):
        return None
    kinds = set(geom.geom_type.dropna().astype(str))
    rgb, width, dash, filled = CONTEXT[name]
    if kinds and kinds <= {"LineString", "MultiLineString"}:
        sym, gtype = Symbol(rgb, shape="line", outline_width=width, dash=dash), 1
    elif kinds and kinds <= {"Polygon", "MultiPolygon"}:
        sym = Symbol(WATER_FILL if filled else rgb, alpha=200 if filled else 255, outline=rgb,
                     outline_width=width, hollow=not filled, dash=dash)
        gtype = 2
    else:
        return None
    return _document(lambda root: _single(root, sym), gtype, None, polygon=gtype == 2)


#: a graph's edges (as the graph file holds them): reason → colour, line width in mm, pen; "" is a kept edge
EDGE_STYLE: dict[str, tuple[str, float, str]] = {
    "": ("150,150,150", 0.2, "solid"),
    "river": ("31,120,180", 0.5, "dash"),
    "water": ("110,170,210", 0.5, "dash"),
    "length": ("230,120,20", 0.25, "dot"),
}


def edges_qml(lang: Lang = "zh") -> str:
    """The default style of a graph file's ``edges`` layer: kept edges thin and grey, the cut ones by reason.

    >>> root = ET.fromstring(edges_qml("en").split("\\n", 1)[1])
    >>> [c.get("label") for c in root.iter("category")]
    ['kept edge', 'cut: crosses a river', 'cut: crosses water', 'cut: too long a walk']
    """
    cats = [(reason, text(f"style.edge.{reason or 'kept'}", lang),
             Symbol(rgb, shape="line", outline_width=width, dash=dash))
            for reason, (rgb, width, dash) in EDGE_STYLE.items()]
    return _document(lambda root: _categorised(root, "reason", cats), 1, None, polygon=False)


#: the maturity categories in axis order and their colours (Okabe–Ito, as the maturity maps shade the weakest)
MATURITY_RGB: dict[str, str] = {"policy": "0,114,178", "consultation": "230,159,0", "mediation": "204,121,167",
                                "environment": "0,158,115", "civility": "86,180,233", "economy": "213,94,0"}
UNRATED_RGB = "189,189,189"


def maturity_qml(lang: Lang = "zh") -> str:
    """The default style of a ``units_maturity`` layer: each unit shaded by its weakest category (the first one
    when several tie), grey when not rated; labels from ``unit_id``."""
    rules = [(f'"weakest" LIKE {_quoted(key + "%")}',
              text("style.weakest", lang, category=text(f"maturity.category.{key}", lang)),
              Symbol(rgb, alpha=170, outline="60,60,60")) for key, rgb in MATURITY_RGB.items()]
    rules.append(("ELSE", text("style.unrated", lang), Symbol(UNRATED_RGB, alpha=150, outline="60,60,60")))
    return _document(lambda root: _rules(root, rules), 2, "unit_id", polygon=True)


def fields_qml(geometry: int) -> str:
    """A QML of no symbology, for :func:`with_fields` to give a layer drawn as QGIS draws it (or a table,
    ``geometry`` 4) its aliases and coded values: QGIS before 3.30 shows a GeoPackage's own aliases only
    through a style."""
    root = ET.Element("qgis", version=QGIS_VERSION, styleCategories="")
    ET.SubElement(root, "layerGeometryType").text = str(geometry)
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(root, encoding="unicode") + "\n"


def _geometry_type(df: pd.DataFrame) -> int:
    """QGIS's geometry type of a layer: 0 points, 1 lines, 2 polygons, 4 a table (or geometry of mixed kinds:
    no symbology is written, so the number only has to be one QGIS reads)."""
    if not getattr(df, "_geometry_column_name", None):
        return 4
    kinds = set(df.geometry.geom_type.dropna().astype(str).str.replace("Multi", ""))
    return {"Point": 0, "LineString": 1, "Polygon": 2}.get(kinds.pop(), 0) if len(kinds) == 1 else 0


def layer_qml(name: str, layers: Mapping[str, pd.DataFrame], lang: Lang = "zh") -> str | None:
    """The default QGIS style (QML) of layer ``name`` among ``layers``: a drawn layer's symbology, and for every
    layer its field aliases and coded values in words; None for a layer with none of these.

    Examples
    --------
    >>> u = pd.DataFrame({"unit_id": ["U1", "U2"], "status": ["ok", "exception"]})
    >>> qml = layer_qml("units", {"units": u})
    >>> ET.fromstring(qml.split("\\n", 1)[1]).find("renderer-v2").get("attr")
    'unit_id'
    >>> run = layer_qml("run", {"run": pd.DataFrame({"key": [], "value": []})})
    >>> root = ET.fromstring(run.split("\\n", 1)[1])
    >>> root.get("styleCategories"), root.find("renderer-v2"), [a.get("name") for a in root.iter("alias")]
    ('Fields|Forms', None, ['项目', '数值'])
    >>> layer_qml("notes", {"notes": pd.DataFrame({"x1": []})}) is None
    True
    """
    df = layers[name]
    cols = set(df.columns)
    qml: str | None = None
    if name == "units" and "unit_id" in cols:
        qml = units_qml(df, lang, layers.get("unit_adjacency"))
    elif name == "households":
        qml = households_qml(df, lang)
    elif name == "meeting_points" and "unit_id" in cols:
        qml = meeting_points_qml()
    elif name == "hubs" and {"hub_id", "level"} <= cols:
        qml = hubs_qml(df, lang)
    elif name == "sites_left_out" and "site" in cols:
        qml = left_out_qml()
    elif name in CONTEXT:
        qml = context_qml(name, df)
    elif name == "edges" and {"status", "reason"} <= cols:
        qml = edges_qml(lang)
    elif name == "units_maturity" and {"unit_id", "weakest"} <= cols:
        qml = maturity_qml(lang)
    geom = getattr(df, "_geometry_column_name", None)
    columns = [str(c) for c in df.columns if c != geom]
    if qml is None:
        if not layer_aliases(columns, lang, name) and not any(c in _value_maps(name) for c in columns):
            return None
        qml = fields_qml(_geometry_type(df))
    return with_fields(qml, columns, lang, name)


#: coded values a QGIS attribute table shows in words (edit widget ``ValueMap``): column → (kind, codes)
VALUE_MAPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "status": ("status", ("ok", "exception", "violation", "locked")),
    "unit_status": ("status", ("ok", "exception", "violation", "locked")),
    "level": ("level", ("village", "group", "hub", "mobile", "fixed")),
    "given": ("given", ("fixed", "candidate")),
}
#: the same for the columns of one layer whose codes differ from those above: layer → column → (kind, codes)
LAYER_VALUE_MAPS: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "edges": {"status": ("edge", ("kept", "cut")), "reason": ("cut", ("river", "water", "length"))},
    "components": {"join_reason": ("cut", ("river", "water", "length"))},
    "sites_left_out": {"across": ("across", ("river", "water"))},  # what a site left out stands across (75f157b)
}


def _value_maps(layer: str | None) -> dict[str, tuple[str, tuple[str, ...]]]:
    """The coded columns of ``layer``: :data:`VALUE_MAPS`, with the layer's own (:data:`LAYER_VALUE_MAPS`)."""
    return {**VALUE_MAPS, **LAYER_VALUE_MAPS.get(layer or "", {})}


def with_fields(qml: str, columns: Sequence[str], lang: Lang = "zh", layer: str | None = None) -> str:
    """The QML with the layer's field aliases (``aliases``, for QGIS versions that do not read the GeoPackage's
    own) and coded values shown in words (``fieldConfiguration``: a ``ValueMap`` widget for ``status``,
    ``unit_status`` and ``level``; the stored values stay as they are; other fields keep QGIS's own widgets).

    Examples
    --------
    >>> q = with_fields(meeting_points_qml(), ["unit_id", "hid"])
    >>> root = ET.fromstring(q.split("\\n", 1)[1])
    >>> [(a.get("field"), a.get("name")) for a in root.iter("alias")]
    [('unit_id', '院落编号'), ('hid', '户编号')]
    """
    head, body = qml.split("\n", 1)
    root = ET.fromstring(body)
    drawn = root.find("renderer-v2") is not None  # else QGIS keeps drawing the layer its own way
    root.set("styleCategories", "Symbology|Labeling|Fields|Forms" if drawn else "Fields|Forms")
    config = ET.Element("fieldConfiguration")
    maps = _value_maps(layer)
    for col in (c for c in columns if c in maps):
        field = ET.SubElement(config, "field", name=col, configurationFlags="None")
        widget = ET.SubElement(field, "editWidget", type="ValueMap")
        opts = ET.SubElement(ET.SubElement(widget, "config"), "Option", type="Map")
        kind, codes = maps[col]
        values = ET.SubElement(opts, "Option", type="List", name="map")
        for code in codes:
            key = f"value.status.{code}" if kind == "status" else f"style.{kind}.{code}"
            ET.SubElement(ET.SubElement(values, "Option", type="Map"), "Option", type="QString",
                          name=text(key, lang), value=code)
    aliases = ET.Element("aliases")
    for col, alias in layer_aliases(columns, lang, layer).items():
        ET.SubElement(aliases, "alias", field=col, name=alias)
    at = list(root).index(root.find("layerGeometryType"))  # type: ignore[arg-type]
    root.insert(at, aliases)
    root.insert(at, config)
    ET.indent(root, space=" ")
    return head + "\n" + ET.tostring(root, encoding="unicode") + "\n"


def qml_fields(qml: str) -> set[str]:
    """The field names a QML refers to (renderer attribute, label field, fields quoted in rule filters, field
    widgets and aliases), for checking that a style only names existing fields.

    Examples
    --------
    >>> sorted(qml_fields(hubs_qml(pd.DataFrame({"hub_id": ["P1"], "level": ["mobile"]}))))
    ['hub_id', 'level']
    >>> sorted(qml_fields(with_fields(meeting_points_qml(), ["unit_id", "hid"])))
    ['hid', 'unit_id']
    """
    import re

    root = ET.fromstring(qml.split("\n", 1)[1])
    out: set[str] = set()
    for r in root.iter("renderer-v2"):
        attr = str(r.get("attr") or "")
        out.update(re.findall(r'"([^"]+)"', attr) if '"' in attr else [attr] if attr else [])
    for t in root.iter("text-style"):
        if t.get("fieldName"):
            out.add(str(t.get("fieldName")))
    for rule in root.iter("rule"):
        out.update(re.findall(r'"([^"]+)"', rule.get("filter") or ""))
    out.update(str(f.get("name")) for f in root.iterfind("fieldConfiguration/field"))
    out.update(str(a.get("field")) for a in root.iterfind("aliases/alias"))
    return out
