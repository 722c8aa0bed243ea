"""Shared look of Yuanluo maps: labels (zh / en, from the catalogue's ``map.*`` entries), palette, unit
colouring, personal fields.

Examples
--------
>>> colour_units(["U1", "U2", "U3"], [("U1", "U2"), ("U2", "U3")])
{'U1': 1, 'U2': 0, 'U3': 1}
>>> label("households", "en")
'Households'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, overload

import numpy as np
import pandas as pd
import shapely

import yuanluo.gis.catalogue as _catalogue
import yuanluo.gis.columns as _gis_columns
from yuanluo.gis.catalogue import Lang as Lang  # re-exported: maps.static and maps.interactive use it
from yuanluo.gis.layerstyle import colour_index
from yuanluo.gis.lock import locked_breaking as locked_breaking  # re-exported: maps.interactive uses it
from yuanluo.gis.lock import units_breaking as units_breaking  # re-exported: maps.static uses it
from yuanluo.gis.units import neighbour_pairs

#: Ten qualitative colours (Tableau 10, colour-blind friendly order); adjacent units never share one.
PALETTE: tuple[str, ...] = (
    "#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#edc948",
    "#76b7b2", "#ff9da7", "#9c755f", "#8cd17d", "#a0cbe8",
)
UNASSIGNED_COLOUR = "#7f7f7f"
EXCEPTION_COLOUR = "#d62728"
RIVER_COLOUR = "#1f78b4"
ROAD_COLOUR = "#6b4f2a"
BOUNDARY_COLOUR = "#333333"
MEETING_COLOUR = "#111111"

#: The stamp every map carries (Chinese; the text lives in the catalogue as ``map.stamp``).
STAMP = _catalogue.text("map.stamp", "zh")

# One list of personal columns for the whole project: yuanluo.gis.columns (PIPL: kept out of maps unless asked).
PERSONAL_COLUMNS = _gis_columns.PERSONAL_COLUMNS
is_personal = _gis_columns.is_personal
personal_columns = _gis_columns.personal_columns


#: The bundled sample's data credit as ``yuanluo demo`` records it in the run table:
#: our own sentence, so a page says it in its language (:func:`credit_words`); a credit a user gives is shown as given.
SAMPLE_CREDIT = "© OpenStreetMap contributors (ODbL); SRTM (NASA/USGS)"


@overload
def credit_words(credit: str, lang: Lang = "zh") -> str: ...
@overload
def credit_words(credit: None, lang: Lang = "zh") -> None: ...
def credit_words(credit: str | None, lang: Lang = "zh") -> str | None:
    """The data credit as a page shows it: the bundled sample's (:data:`SAMPLE_CREDIT`, recorded once, in English) in
    the catalogue's words of ``lang`` (``map.sample_credit``: OpenStreetMap's name and the ODbL kept, as its licence
    asks); any other credit as given, so a text gives a text (never None, nor empty unless given empty) and None
    None.

    >>> credit_words(SAMPLE_CREDIT, "zh")
    '© OpenStreetMap 贡献者（ODbL）；高程数据 SRTM（NASA/USGS）'
    >>> credit_words(SAMPLE_CREDIT, "en") == SAMPLE_CREDIT, credit_words("某测绘院 2025", "en"), credit_words(None)
    (True, '某测绘院 2025', None)
    """
    if credit is not None and " ".join(credit.split()) == SAMPLE_CREDIT:
        return _catalogue.text("map.sample_credit", lang)
    return credit


def label(key: str, lang: Lang = "zh") -> str:
    """The display text of ``key`` in ``lang``: the catalogue entry ``map.<key>``, or ``key`` itself when there
    is none (a data column name shown as its own label).

    Examples
    --------
    >>> label("legend", "zh"), label("legend", "en"), label("户主电话", "en")
    ('图例', 'Legend', '户主电话')
    """
    name = f"map.{key}"
    return _catalogue.text(name, lang) if _catalogue.has(name) else key


def colour_units(units: Sequence[str], pairs: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Greedy colouring of the unit adjacency graph: neighbours never share a colour index.

    Units are visited by decreasing degree, ties by id (deterministic); each takes the smallest
    index not used by an already coloured neighbour. A planar map needs at most a handful of
    colours; more than ``len(PALETTE)`` can only happen for dense, non-planar adjacency.

    Parameters
    ----------
    units : sequence of str
        Every unit id to colour.
    pairs : iterable of (str, str)
        Adjacent unit pairs (either order; self-pairs and unknown ids are ignored).
    """
    return colour_index(units, pairs)  # the QGIS style colours the units as the maps do


def unit_colours(units: Sequence[str], pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Hex colour per unit id from :func:`colour_units` (palette cycles past its length)."""
    return {u: PALETTE[c % len(PALETTE)] for u, c in colour_units(units, pairs).items()}


def adjacency_pairs(layers: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Unit adjacency from the ``unit_adjacency`` layer plus territories that touch
    (:func:`yuanluo.gis.units.neighbour_pairs`)."""
    return neighbour_pairs(layers.get("unit_adjacency"), layers.get("units"))


def breaks_rule(status: Any, code: Any = None) -> bool:
    """Whether one unit of ``status`` and ``code`` (a units layer's row) is drawn as breaking the rule
    (:func:`yuanluo.gis.lock.units_breaking`).

    >>> breaks_rule("locked", ""), breaks_rule("locked", "LOCK-BREACH"), breaks_rule("exception")
    (False, True, True)
    """
    return bool(units_breaking(pd.DataFrame({"status": [status], "code": [code]}, dtype=object))[0])


def household_status(households: pd.DataFrame, units: Any = None) -> pd.Series:
    """``"ok"``, ``"exception"`` or ``"unassigned"`` for each household (index kept).

    A household of a locked unit (``unit_status`` ``locked``) is ``ok`` when the ``units`` table is given and
    its unit breaks no rule (:func:`locked_breaking`), ``exception`` otherwise (without the table a map cannot
    tell, and rings it as before); any other status not known is ``exception``.

    Examples
    --------
    >>> hh = pd.DataFrame({"unit_id": ["A", "B", "C", None], "unit_status": ["locked", "locked", "exception", "ok"]})
    >>> u = pd.DataFrame({"unit_id": ["A", "B"], "status": ["locked", "locked"], "code": ["LOCK-BREACH", None]})
    >>> household_status(hh, u).tolist(), household_status(hh).tolist()
    (['exception', 'ok', 'exception', 'unassigned'], ['exception', 'exception', 'exception', 'unassigned'])
    """
    unit = households["unit_id"] if "unit_id" in households else pd.Series(pd.NA, index=households.index)
    if "unit_status" in households:
        status = households["unit_status"].astype("string").fillna("ok").str.strip().str.lower()
        if isinstance(units, pd.DataFrame):
            breaking = unit.astype("string").str.strip().isin(sorted(locked_breaking(units))).fillna(False)
            status = status.mask(status.eq("locked") & ~breaking, "ok")
        status = status.where(status.isin(["ok", "exception", "unassigned"]), "exception")
    else:
        status = pd.Series("ok", index=households.index, dtype="string")
    missing = unit.isna() | (unit.astype("string").str.strip() == "")
    return status.mask(missing, "unassigned").astype(str)


def label_points(polygons: Any, dots: Any = (), *, grid: int = 8, k: int = 1) -> np.ndarray:
    """A point inside each polygon for its label, clear of its edge and of the dots drawn on it (households,
    meeting points): of the polygon's representative point and a ``grid`` × ``grid`` lattice over its
    bounds, the point inside whose distance to the nearer of the edge and any dot is largest (the
    representative point on a tie). None for a missing or empty polygon. Polygons and dots in one
    projected CRS. With ``k`` > 1, an (n, k) array: then the next best points at least a third of the
    polygon's bounds diagonal from those before (None where there is none), for a label whose place is
    covered on screen.

    Examples
    --------
    A 100 m square with a household at its centre: the label moves off the dot.

    >>> from shapely.geometry import Point, box
    >>> p = label_points([box(0, 0, 100, 100)], [Point(50, 50)])[0]
    >>> round(p.x), round(p.y), p.distance(Point(50, 50)) > 20
    (31, 31, True)
    >>> [(round(q.x), round(q.y)) for q in label_points([box(0, 0, 100, 100)], [Point(50, 50)], k=2)[0]]
    [(31, 31), (69, 69)]
    """
    geoms = np.asarray(polygons, dtype=object)
    out = np.full(len(geoms), None, dtype=object)
    ok = np.flatnonzero(~(shapely.is_missing(geoms) | shapely.is_empty(geoms)))
    if not len(ok):
        return out
    g = geoms[ok]
    rep = shapely.point_on_surface(g)
    b = shapely.bounds(g)
    t = (np.arange(grid) + 0.5) / grid
    gx = b[:, [0]] + (b[:, [2]] - b[:, [0]]) * t
    gy = b[:, [1]] + (b[:, [3]] - b[:, [1]]) * t
    xs = np.c_[shapely.get_x(rep), np.repeat(gx, grid, axis=1)]
    ys = np.c_[shapely.get_y(rep), np.tile(gy, (1, grid))]
    m = xs.shape[1]
    idx = np.repeat(np.arange(len(g)), m)
    pts = shapely.points(xs.ravel(), ys.ravel())
    shapely.prepare(g)
    inside = shapely.contains_xy(g[idx], xs.ravel(), ys.ravel())
    inside[::m] = True  # the representative point lies on the surface, maybe on its edge
    score = shapely.distance(shapely.boundary(g)[idx], pts)
    d = np.asarray(dots, dtype=object)
    d = d[~(shapely.is_missing(d) | shapely.is_empty(d))]
    if len(d):
        near, dist = shapely.STRtree(d).query_nearest(pts, return_distance=True, all_matches=False)
        dd = np.full(len(pts), np.inf)
        dd[near[0]] = dist
        score = np.minimum(score, dd)
    score = np.where(inside, score, -np.inf).reshape(len(g), m)
    pts = pts.reshape(len(g), m)
    best = np.argmax(score, axis=1)
    rows = np.arange(len(g))
    out[ok] = pts[rows, best]
    if k == 1:
        return out
    many = np.full((len(geoms), k), None, dtype=object)
    many[ok, 0] = pts[rows, best]
    far = np.hypot(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]) / 3
    xs, ys = xs.reshape(len(g), m), ys.reshape(len(g), m)
    for j in range(1, k):
        bx, by = xs[rows, best], ys[rows, best]
        score = np.where(np.hypot(xs - bx[:, None], ys - by[:, None]) < far[:, None], -np.inf, score)
        best = np.argmax(score, axis=1)
        found = np.isfinite(score[rows, best])
        many[ok[found], j] = pts[rows[found], best[found]]
    return many


def dots_of(layers: Mapping[str, Any], crs: Any) -> np.ndarray:
    """The household and meeting-point geometries of ``layers`` in ``crs`` (as they are when either CRS is
    unknown): what a unit label should keep clear of (:func:`label_points`)."""
    out = [np.empty(0, dtype=object)]
    for key in ("households", "meeting_points"):
        layer = layers.get(key)
        if layer is not None and hasattr(layer, "geometry"):
            same = layer.crs is None or crs is None
            out.append(np.asarray((layer if same else layer.to_crs(crs)).geometry.values, dtype=object))
    return np.concatenate(out)
