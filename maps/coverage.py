"""The coverage map: who is within how many minutes' walk of a service point, as one offline HTML file.

:func:`make_cover_map` draws the layers of a coverage run (:func:`yuanluo.planners.cover.output_layers`:
``households`` with ``hub_id``, ``walk_min`` and ``code``; ``hubs`` with ``hub_id``, ``site``, ``level``,
``n_households``, ``mean_walk_min``, ``max_walk_min``; optional ``rivers``, ``roads``, ``water``, ``boundary``):
households coloured by walking-minute band (:data:`BAND_EDGES`; those over the last edge and those that reach no
service point drawn larger, ringed and on top), service points by level with a symbol each (:data:`HUB_SYMBOLS`),
the given points left out (``sites_left_out``: no household walks to them) as grey crosses with a card, a legend
with the count per band, the stamp, a search by household or service-point id, and a household card
"最近服务点 P003，步行 7.5 分钟" (or the reason when no point is in reach), and a GPS card (the field map's
``gps.js``, answered by ``Y.gpsAnswer`` in ``cover_households.js``): the nearest service point and the estimated walk
to it (the nearest household's walk plus the straight line to it), or how far and which way the nearest household is.

It is built from the field map's blocks (:mod:`yuanluo.maps.interactive`): the same page start, vendored and
inlined Leaflet, compact household arrays, the shared page library ``yuanluo.js``, the search box and legend
assets, the stamp, script-safe JSON data and the hash-based Content-Security-Policy. Its own scripts and styles are
``maps/assets/cover_households.js``, ``cover_hubs.js`` and ``cover.css``; its texts are the catalogue's
``covermap.*`` entries.

Examples
--------
>>> import geopandas as gpd
>>> from shapely.geometry import Point
>>> hh = gpd.GeoDataFrame({"hub_id": ["P001", "P001", None], "walk_min": [0.0, 7.46, float("nan")],
...     "code": [None, None, "COVER-UNREACHABLE"]}, geometry=[Point(500000, 3300000), Point(500300, 3300000),
...     Point(509000, 3300000)], crs="EPSG:32648", index=pd.Index(["H1", "H2", "H3"], name="hid"))
>>> hubs = gpd.GeoDataFrame({"hub_id": ["P001"], "site": ["H1"], "level": ["village"]},
...     geometry=[Point(500000, 3300000)], crs="EPSG:32648")
>>> html = render_cover_html(make_cover_map({"households": hh, "hubs": hubs}, lang="en"))
>>> "Walking coverage of service points" in html and "cdn.jsdelivr" not in html
True
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Figure

from yuanluo.gis.catalogue import template, text
from yuanluo.gis.cover import band_edges as _all_edges
from yuanluo.gis.cover import walking_limit
from yuanluo.gis.errors import InputError, OutputError, problem
from yuanluo.gis.output import exists_problem, write_bytes
from yuanluo.gis.personal import page_ids, require_page_ids
from yuanluo.maps import offline
from yuanluo.maps.interactive import (
    COMPACT_LIMIT,
    Text,
    _add_context_layers,
    _add_hillshade,
    _add_tools,
    _add_ui,
    _area_fields,
    _card_data,
    _check_layers,
    _compact_ints,
    _esc,
    _finish_page,
    _household_payload,
    _nn_zoom,
    _Page,
    _quantise,
    _search_hints,
    _start_page,
    _to_display,
    context_legend_rows,
    gps_data,
    render_html,
)
from yuanluo.maps.style import Lang, credit_words, label

#: Upper edges (minutes) of the walking bands; a household beyond the last is "far", one without a time unreachable.
BAND_EDGES: tuple[float, ...] = (5.0, 10.0, 15.0)
#: Colours of the bands ≤5, ≤10, ≤15, >15 min and unreachable (green to red; unreachable purple).
BAND_COLOURS: tuple[str, ...] = ("#1a9641", "#a6d96a", "#fdae61", "#d7191c", "#6a3d9a")
def band_edges(limit: float | None = None) -> tuple[float, ...]:
    """The upper edges of the maps' bands for a walking ``limit``: those of the tables
    (:func:`yuanluo.gis.cover.band_edges`) up to the limit, the last the limit itself, so every household beyond
    it is far (red); :data:`BAND_EDGES` without a limit. A limit that is not a finite number of minutes, at
    least 0, is ``COVER-LIMIT`` (:func:`yuanluo.gis.cover.walking_limit`).

    >>> band_edges(15.0), band_edges(20.0), band_edges(8.0), band_edges(3.0)
    ((5.0, 10.0, 15.0), (5.0, 10.0, 15.0, 20.0), (5.0, 8.0), (3.0,))
    """
    if limit is None:
        return BAND_EDGES
    limit = walking_limit(limit, "limit")
    return tuple(e for e in _all_edges(limit) if e <= limit)


#: Colours of the bands within the limit, by how many there are (:func:`band_edges`: 1 to 4), green to orange.
_WITHIN_COLOURS: dict[int, tuple[str, ...]] = {1: ("#1a9641",), 2: ("#1a9641", "#a6d96a"),
                                                3: BAND_COLOURS[:3], 4: ("#1a9641", "#a6d96a", "#fee08b", "#fdae61")}


def band_colours(limit: float | None = None) -> tuple[str, ...]:
    """The colours of the bands of ``limit`` (:func:`band_edges`), then far (red) and unreachable (purple).

    >>> band_colours(15.0) == BAND_COLOURS, len(band_colours(20.0)), band_colours(3.0)
    (True, 6, ('#1a9641', '#d7191c', '#6a3d9a'))
    """
    return (*_WITHIN_COLOURS[len(band_edges(limit))], *BAND_COLOURS[-2:])


#: Service-point levels in legend order, each with its symbol and colour (HTML canvas, legend and print map).
#: (``left_out``: a given point no household can walk to, drawn where the planner gave it, from ``sites_left_out``)
HUB_LEVELS: tuple[str, ...] = ("village", "group", "hub", "mobile", "fixed", "left_out")
HUB_SYMBOLS: dict[str, str] = {"village": "star", "group": "diamond", "hub": "square", "mobile": "triangle",
                               "fixed": "pentagon", "left_out": "cross"}
HUB_COLOURS: dict[str, str] = {"village": "#08306b", "group": "#2171b5", "hub": "#54278f", "mobile": "#e6550d",
                               "fixed": "#252525", "left_out": "#808080"}
#: Columns of the coverage result that the card shows in its own rows (not again as plain fields).
COVER_COLUMNS = ("hub_id", "walk_min", "served", "code", "reason")
CONTEXT_LAYERS = ("rivers", "roads", "water", "boundary")


def cover_text(key: str, lang: Lang = "zh", **params: Any) -> str:
    """The catalogue text ``covermap.<key>`` in ``lang``.

    Examples
    --------
    >>> cover_text("card", "zh", hub="P003", minutes="7.5")
    '最近服务点 P003，步行 7.5 分钟'
    """
    return text(f"covermap.{key}", lang, **params)


def band_codes(walk_min: Any, code: Any = None, limit: float | None = None) -> np.ndarray:
    """The walking band of each household: 0, 1, 2 within the edges of :data:`BAND_EDGES` (of ``limit``, its
    last edge the limit: :func:`band_edges`), then one beyond the last edge, then unreachable (no time, or the
    code ``COVER-UNREACHABLE``).

    Examples
    --------
    >>> band_codes([0.0, 5.0, 5.01, 14.9, 15.2, float("nan")]).tolist()
    [0, 0, 1, 2, 3, 4]
    >>> band_codes([3.0, 3.0], ["COVER-UNREACHABLE", None]).tolist()
    [4, 0]
    """
    edges = band_edges(limit)
    w = pd.to_numeric(pd.Series(np.asarray(walk_min, dtype=object)), errors="coerce").to_numpy(dtype=float)
    out = np.searchsorted(np.asarray(edges), w, side="left").astype(np.int64)
    out[~np.isfinite(w)] = len(edges) + 1
    if code is not None:
        c = pd.Series(np.asarray(code, dtype=object)).astype("string").fillna("").to_numpy(dtype=object)
        out[c == "COVER-UNREACHABLE"] = len(edges) + 1
    return out


def band_labels(lang: Lang, limit: float | None = None) -> list[str]:
    """The five band names, in the order of :func:`band_codes`: each band its own minutes (a household is counted
    in one), not "within 10 min" for 5–10 (a report's cumulative "within 10 min" counts the first two).

    Examples
    --------
    >>> band_labels("en")
    ['within 5 min', '5–10 min', '10–15 min', 'over 15 min', 'cannot reach any service point']
    """
    edges = band_edges(limit)
    first = [cover_text("band.within", lang, minutes=f"{edges[0]:g}")]
    between = [cover_text("band.between", lang, lo=f"{a:g}", hi=f"{b:g}")
               for a, b in zip(edges[:-1], edges[1:], strict=True)]
    return first + between + [cover_text("band.over", lang, minutes=f"{edges[-1]:g}"),
                              cover_text("band.unreachable", lang)]


def level_label(level: str, lang: Lang) -> str:
    """The display name of a service-point level (an unknown level is shown as it is).

    Examples
    --------
    >>> level_label("group", "zh"), level_label("县级", "en")
    ('组级服务点', '县级')
    """
    key = f"covermap.level.{level}"
    from yuanluo.gis.catalogue import has

    return text(key, lang) if has(key) else level


# ---------------------------------------------------------------------------------------------- inputs
def check_cover_layers(layers: Mapping[str, Any]) -> dict[str, Any]:
    """The drawable layers of a coverage result, checked once (every problem in one error): households indexed
    by ``hid`` (a ``hid`` column becomes the index) with ``walk_min``; hubs with ``hub_id``; context layers.

    Raises
    ------
    InputError
        ``MAP-LAYER`` / ``MAP-COLUMN`` / ``MAP-NO-LAYERS``, or ``CRS-*`` for a layer without a metric CRS.
    """
    geo = {k: layers[k] for k in ("households", "hubs", "sites_left_out", *CONTEXT_LAYERS)
           if layers.get(k) is not None}
    run = layers.get("run")
    lyr = _check_layers({**geo, **({"run": run} if run is not None else {})})
    if "households" not in lyr:
        raise InputError(problem("MAP-NO-LAYERS", names=", ".join(sorted(layers)) or "-"))
    hh = lyr["households"]
    if "hid" in hh.columns:
        hh = hh.set_index("hid")
    missing = [("households", c) for c in ("walk_min",) if c not in hh.columns]
    if "hubs" in lyr:
        missing += [("hubs", c) for c in ("hub_id",) if c not in lyr["hubs"].columns]
    if "sites_left_out" in lyr:
        missing += [("sites_left_out", c) for c in ("site",) if c not in lyr["sites_left_out"].columns]
    if missing:
        raise InputError([problem("MAP-COLUMN", layer=name, column=col) for name, col in missing])
    pts = hh.geometry.values
    lyr["households"] = hh[~(shapely.is_missing(pts) | shapely.is_empty(pts))]
    return lyr


def _limit(lyr: Mapping[str, Any], limit_min: float | None) -> float:
    """The walking limit that counts as served: given, else the ``run`` table's ``limit_min``, else the last band."""
    if limit_min is not None:
        return walking_limit(limit_min, "limit_min")
    run = lyr.get("run")
    if isinstance(run, pd.DataFrame) and {"key", "value"} <= set(run.columns):
        hit = run.loc[run["key"].astype(str).str.endswith("limit_min"), "value"]
        try:
            found = float(hit.iloc[0]) if len(hit) else BAND_EDGES[-1]
        except (TypeError, ValueError):
            return BAND_EDGES[-1]
        # a file's value that is no walking limit (NaN, negative: not one Yuanluo wrote) is as unreadable
        return found if math.isfinite(found) and found >= 0 else BAND_EDGES[-1]
    return BAND_EDGES[-1]


def _reasons(hh: gpd.GeoDataFrame, band: np.ndarray, lang: Lang, limit: float) -> tuple[np.ndarray, list[str]]:
    """Per household an index into the returned texts (0: no reason): the code rendered in ``lang``
    (``cover.reason.<code>``), else the file's ``reason`` text, else the unreachable reason for band 4."""
    code = hh["code"].astype("string").fillna("") if "code" in hh else pd.Series("", index=hh.index, dtype="string")
    given = hh["reason"].astype("string").fillna("") if "reason" in hh else pd.Series("", index=hh.index,
                                                                                       dtype="string")
    code = code.where((code != "") | (band != len(band_edges(limit)) + 1), "COVER-UNREACHABLE")
    rendered = {c: text(f"cover.reason.{c}", lang, limit=f"{limit:g}") for c in sorted(set(code)) if c}
    from yuanluo.gis.catalogue import has

    msg = [rendered[c] if has(f"cover.reason.{c}") else (g or c) for c, g in zip(code, given, strict=True)]
    codes, uniq = pd.factorize(pd.Series(["", *msg], dtype=object), sort=True)
    return codes[1:].astype(np.int64), [str(u) for u in uniq]


# ---------------------------------------------------------------------------------------------- page data
def _hub_ids(lyr: Mapping[str, Any]) -> list[str]:
    """Every service-point id of the hubs layer and of the households, sorted."""
    ids: set[str] = set()
    if "hubs" in lyr:
        ids |= set(lyr["hubs"]["hub_id"].dropna().astype(str))
    hh = lyr["households"]
    if "hub_id" in hh:
        ids |= set(hh["hub_id"].dropna().astype(str))
    return sorted(ids)


def _cover_payload(pg: _Page, hubs: Sequence[str], include_personal: bool, limit: float,
                   fields: Sequence[str] = ()) -> dict[str, Any]:
    """The households' page data: the field map's payload (coordinates, ids, plain fields; see
    :func:`yuanluo.maps.interactive._household_payload`) plus per household its service point (index into
    ``hubs``, -1 none), walking time in tenths of a minute (-1 none), band and reason, and the card's texts."""
    src = pg.lyr["households"]
    hh = _to_display(src, pg.shift)
    base = hh.drop(columns=[c for c in COVER_COLUMNS if c in hh.columns])
    unit_index = {u: i for i, u in enumerate(pg.units)}
    colours = [pg.colour_of[u] for u in pg.units]
    data = _household_payload(base, unit_index, colours, pg.lang, include_personal, pg.dec, _nn_zoom(src),
                              [f for f in fields if f not in COVER_COLUMNS], units=pg.lyr.get("units"))
    compact = len(hh) > COMPACT_LIMIT
    hub_of = {h: i for i, h in enumerate(hubs)}
    hub = hh["hub_id"].astype("string") if "hub_id" in hh else pd.Series(pd.NA, index=hh.index, dtype="string")
    h = np.array([hub_of.get(str(x), -1) if x is not pd.NA else -1 for x in hub], dtype=np.int64)
    w = pd.to_numeric(hh["walk_min"], errors="coerce").to_numpy(dtype=float)
    band = band_codes(w, hh["code"] if "code" in hh else None, limit)
    tenths = np.where(np.isfinite(w) & (band < len(band_edges(limit)) + 1), np.rint(np.nan_to_num(w) * 10), -1)
    r, reasons = _reasons(hh, band, pg.lang, limit)
    lang = pg.lang
    data.update({
        "hubs": list(hubs), "h": _compact_ints(h, compact), "w": _compact_ints(tenths.astype(np.int64), compact),
        "b": _compact_ints(band, compact), "r": _compact_ints(r, compact), "reasons": reasons,
        "bandColours": list(band_colours(limit)), "bandText": band_labels(lang, limit),
        "cv": {"card": template("covermap.card", lang) or "", "hid": label("hid", lang),
               "hub_id": cover_text("hub_id", lang), "walk_min": cover_text("walk_min", lang),
               "band": cover_text("band", lang), "reason": label("reason", lang),
               "gpsHub": cover_text("gps.hub", lang), "gpsWalk": cover_text("gps.walk", lang),
               "gpsHow": cover_text("gps.how", lang), "gpsOutside": cover_text("gps.outside", lang),
               "gpsGo": cover_text("gps.go", lang), "goHub": template("covermap.go_hub", lang) or ""},
    })
    return data


def _points_drawn(pg: _Page) -> gpd.GeoDataFrame:
    """The service points, then the given points left out (level ``left_out``, no ``hub_id``), in display
    coordinates; a point without a place on the globe (a given point in a wrong coordinate system) is not drawn."""
    parts = []
    if "hubs" in pg.lyr:
        parts.append(_to_display(pg.lyr["hubs"], pg.shift).sort_values("hub_id", kind="stable"))
    if "sites_left_out" in pg.lyr:
        out = _to_display(pg.lyr["sites_left_out"], pg.shift)
        given = out["given"].astype("string").fillna("") if "given" in out else pd.Series("", index=out.index)
        parts.append(out.assign(hub_id="", level="left_out",
                                given=[text(f"style.given.{g}", pg.lang) if g in ("fixed", "candidate") else g
                                       for g in given]))
    pts = pd.concat(parts, ignore_index=True)
    g = pts.geometry.values
    x, y = shapely.get_x(g), shapely.get_y(g)
    ok = ~(shapely.is_missing(g) | shapely.is_empty(g)) & np.isfinite(x) & np.isfinite(y) & (np.abs(y) <= 90) \
        & (np.abs(x) <= 180)
    return gpd.GeoDataFrame(pts[ok], geometry=pts.geometry.name, crs=4326)


def serves_text(hubs: Any) -> list[str]:
    """What each point serves, as the key of the print map says it: its villager group (with the village before
    it when the group's name does not start with it), else its village; blank when the hubs name neither
    (columns ``village``, ``group`` of :func:`yuanluo.planners.cover.output_layers`).

    A point serving more than one village (its names joined by the language's list separator) has each group
    with its village already (:func:`yuanluo.planners.cover._serves`): its groups, then the villages it serves
    with no group of theirs.

    Examples
    --------
    >>> serves_text(pd.DataFrame({"village": ["V1", "V1", "甲村", None], "group": ["V1-G2", None, "一组", None]}))
    ['V1-G2', 'V1', '甲村 一组', '']
    >>> serves_text(pd.DataFrame({"village": ["甲村、乙村", "A, B, C"], "group": ["甲村 1组、乙村 1组", "B 1"]}))
    ['甲村 1组、乙村 1组', 'B 1, A, C']
    """
    def col(name: str) -> list[str]:
        if name not in hubs:
            return [""] * len(hubs)
        return [str(v).strip() for v in hubs[name].astype("string").fillna("")]

    out = []
    for v, g in zip(col("village"), col("group"), strict=True):
        sep = next((s for s in ("、", ", ") if s in v), None)
        if g and sep is not None:  # several villages: the groups name theirs, then the villages of no group
            groups = g.split(sep)
            out.append(sep.join([*groups, *(w for w in v.split(sep) if not any(x.startswith(w) for x in groups))]))
        else:
            out.append(g if g and (not v or g.startswith(v)) else f"{v} {g}" if g else v)
    return out


def served_villages(households: Any, lang: Lang = "zh") -> dict[str, list[tuple[str, str, int]]]:
    """Each service point whose households (``hub_id`` of the households layer) belong to more than one village, by
    id: each village it serves, in the roster's order, as the coverage report lists it, a row under each
    (:func:`yuanluo.planners.cover.served_rows`): the village (by its path, 甲镇/新华村, where two towns have one,
    the maps having no town column), what the point serves there (the village, then the groups of its households
    walking there, as :func:`serves_text` writes a village and its groups) and how many of its households live
    there. A point of one village is not in it: the hubs layer names what it serves, as the report does.

    Examples
    --------
    >>> hh = pd.DataFrame({"village": ["甲村", "乙村", "乙村", "甲村"], "group": ["1组", "2组", "1组", "1组"],
    ...                    "hub_id": ["P001", "P001", "P001", "P002"]})
    >>> served_villages(hh, "zh")
    {'P001': [('甲村', '甲村 1组', 1), ('乙村', '乙村 2组、1组', 2)]}
    >>> served_villages(hh.drop(columns="group"), "en"), served_villages(hh.iloc[1:3], "en")
    ({'P001': [('甲村', '甲村', 1), ('乙村', '乙村', 2)]}, {})
    """
    if households is None or not {"village", "hub_id"} <= set(households.columns):
        return {}
    from yuanluo.planners.cover import in_roster, level_names, roster_ranks, split_name, villages_by_hub

    hh, by_hub = villages_by_hub(households)
    if not by_hub:
        return {}
    groups = level_names(hh, "group") if "group" in hh.columns else np.full(len(hh), "", dtype=object)
    rank = roster_ranks(households, ("group",)).get("group", {})
    sep = text("list.sep", lang)
    out: dict[str, list[tuple[str, str, int]]] = {}
    for h in sorted(by_hub):
        rows = []
        for v, at in by_hub[h].items():
            gs = in_roster({str(g) for g in groups[at] if g}, rank)
            g = sep.join(dict.fromkeys(split_name(g)[1] for g in gs))
            rows.append((v, g if g and g.startswith(v) else f"{v} {g}" if g else v, len(at)))
        out[h] = rows
    return out


def _serves_cells(hubs: Any, households: Any, lang: Lang) -> list[Any]:
    """The point card's row of what each point serves: :func:`serves_text`, or, for a point whose households belong
    to several villages, a line per village with its households (:func:`served_villages`), as the report's rows."""
    said: list[Any] = list(serves_text(hubs))
    split = served_villages(households, lang)
    for k, h in enumerate(hubs["hub_id"].astype("string").fillna("") if "hub_id" in hubs else []):
        if h in split:
            said[k] = [cover_text("serves_village", lang, serves=s, count=n) for _, s, n in split[h]]
    return said


def _hub_payload(pg: _Page) -> dict[str, Any]:
    """The service points' page data: integer coordinate steps, ids, sites, level index and the card's rows (a
    given point left out: its site, how it was given and its distance to the nearest household)."""
    hubs = _points_drawn(pg)
    lat0, lon0, iy, ix = _quantise(shapely.get_y(hubs.geometry.values), shapely.get_x(hubs.geometry.values), pg.dec)
    level = hubs["level"].astype("string").fillna("") if "level" in hubs else pd.Series("", index=hubs.index)
    levels = [*HUB_LEVELS, *sorted(set(level) - set(HUB_LEVELS))]
    lang = pg.lang

    def col(name: str, fmt: str) -> list[str]:
        if name not in hubs:
            return [""] * len(hubs)
        if fmt == "s":
            return [str(v) for v in hubs[name].astype("string").fillna("")]
        num = pd.to_numeric(hubs[name], errors="coerce")
        return ["" if pd.isna(v) else format(float(v), fmt) for v in num]

    return {"lat0": lat0, "lon0": lon0, "q": 10.0**-pg.dec,
            "d": np.column_stack([np.diff(iy, prepend=0), np.diff(ix, prepend=0)]).ravel().tolist(),
            "id": col("hub_id", "s"), "site": col("site", "s"),
            "lv": [levels.index(v) for v in level],
            "levels": [{"text": level_label(v, lang), "symbol": HUB_SYMBOLS.get(v, "circle"),
                        "colour": HUB_COLOURS.get(v, "#000000")} for v in levels],
            # last, the village and group the point serves (a group with its village: every village has a 1组);
            # a point of several villages: a line per village with its households, as the report's rows
            "rows": [col("n_households", "g"), col("mean_walk_min", ".1f"), col("max_walk_min", ".1f"),
                     col("given", "s"), col("nearest_m", ".0f"), _serves_cells(hubs, pg.lyr["households"], lang)],
            "lab": [cover_text("hub_id", lang), cover_text("site", lang), cover_text("level", lang),
                    cover_text("n_households", lang), label("mean_walk_min", lang), label("max_walk_min", lang),
                    text("field.given", lang), text("field.nearest_m", lang),
                    cover_text("serves", lang)],
            # a point left out with households near it, all across a river or water (``across``): said so
            "note": [cover_text("left_out.card_across" if a else "left_out.card", lang, metres=m)
                     if v == "left_out" else ""
                     for v, m, a in zip(level, col("nearest_m", ".0f"), col("across", "s"), strict=True)]}


def _hub_bounds(data: Mapping[str, Any]) -> dict[str, list[float]]:
    """A small box (about 20 m) around each service point, by id, and by its site's name (村委会, the name a
    planner knows it by; also a given point left out, which has no id), what the search box zooms to; an id comes
    first, then the first point of a name.

    Examples
    --------
    >>> b = _hub_bounds({"lat0": 30.0, "lon0": 106.0, "q": 1e-6, "d": [0, 0, 10, 20, 10, 0], "id": ["P1", "P2", ""],
    ...                  "site": ["H0001", "村委会", "远处"]})
    >>> b["P2"], b["村委会"], sorted(b)
    ([30.0, 106.00001, 30.00002, 106.00003], [30.0, 106.00001, 30.00002, 106.00003], ['H0001', 'P1', 'P2', '村委会', '远处'])
    """
    lat = data["lat0"] + np.cumsum(np.asarray(data["d"][0::2], dtype=float)) * data["q"]
    lon = data["lon0"] + np.cumsum(np.asarray(data["d"][1::2], dtype=float)) * data["q"]
    e = 1e-5
    box = [[round(float(y - e), 7), round(float(x - e), 7), round(float(y + e), 7), round(float(x + e), 7)]
           for y, x in zip(lat, lon, strict=True)]
    out = {str(i): b for i, b in zip(data["id"], box, strict=True) if i}
    for name, b in zip(data.get("site", [""] * len(box)), box, strict=True):
        if str(name).strip() and str(name) not in out:
            out[str(name)] = b
    return out


def _cover_legend(lyr: Mapping[str, Any], lang: Lang, limit: float, extras: Sequence[str] = ()) -> dict[str, Any]:
    """The legend as data for ``legend.js``: the bands with their counts, the service-point levels drawn, the
    context layers drawn (``extras``: water, rivers, roads, boundary, as the field map's legend shows them) and the
    share of households within ``limit`` minutes; ``found``: the rows of a search's marks (the outline round the
    households found, the pulsing ring), in the field map's words, shown while each mark is there.

    Examples
    --------
    >>> import geopandas as gpd
    >>> hh = gpd.GeoDataFrame({"walk_min": [1.0, 12.0, 20.0]}, geometry=gpd.points_from_xy([0, 1, 2], [0, 0, 0]))
    >>> g = _cover_legend({"households": hh}, "en", 15.0)
    >>> [r["text"] for r in g["rows"]][1:3], g["rows"][-1]["text"]
    (['5–10 min (0 households)', '10–15 min (1 household)'], 'Within 15 min of a service point: 2 of 3 \
households (66.7%)')
    >>> g["found"]["outline"], g["found"]["pulse"]
    ('Dots in the dark outline: the households found', 'Pulsing ring: the place found')
    """
    hh = lyr["households"]
    band = band_codes(hh["walk_min"], hh["code"] if "code" in hh else None, limit)
    colours, edges = band_colours(limit), band_edges(limit)
    counts = np.bincount(band, minlength=len(colours))
    rows: list[dict[str, Any]] = []
    for k, (name, colour) in enumerate(zip(band_labels(lang, limit), colours, strict=True)):
        far = k > len(edges) - 1
        style = {"background": colour, "borderColor": "#000" if far else "#555", "borderWidth": "2px" if far else "1px"}
        rows.append({"mark": "dot", "style": style, "text": cover_text("count", lang, label=name, count=int(counts[k]))})
    drawn = set(lyr["hubs"]["level"].astype("string").fillna("")) if "hubs" in lyr and "level" in lyr["hubs"] \
        else set()
    drawn |= {"left_out"} if "sites_left_out" in lyr and len(lyr["sites_left_out"]) else set()
    if drawn:
        rows += [{"mark": f"cv-{HUB_SYMBOLS[v]}", "style": {"background": HUB_COLOURS[v]},
                  "text": level_label(v, lang)} for v in HUB_LEVELS if v in drawn]
    rows += context_legend_rows(lang, extras)
    w = pd.to_numeric(hh["walk_min"], errors="coerce").to_numpy(dtype=float)
    served = int(np.sum(np.isfinite(w) & (w <= limit) & (band < len(edges) + 1)))
    share = f"{100.0 * served / len(hh):.1f}" if len(hh) else "0"
    rows.append({"text": cover_text("summary", lang, limit=f"{limit:g}", served=served, total=len(hh), share=share)})
    # what a search's marks mean (the outline round the households found, the ring pulsing about the place), in the
    # field map's words, shown only while the mark is there (legend.js Y.legendFound): the cover map's search draws
    # both, its legend said nothing of them
    found = {"outline": label("legend_found", lang), "pulse": label("legend_pulse", lang)}
    # the line at the foot of its rows while they scroll (a low screen: legend.js fit), as the field map's legend
    return {"title": label("legend", lang), "rows": rows, "found": found, "more": text("maturity.map.more", lang)}


# ---------------------------------------------------------------------------------------------- public
def make_cover_map(
    layers: Mapping[str, Any],
    *,
    lang: Lang = "zh",
    title: str | None = None,
    hillshade: Any = None,
    include_personal: bool = False,
    limit_min: float | None = None,
    fields: Sequence[str] = (),
    credit: str | None = None,
) -> folium.Map:
    """Build the interactive coverage map of a service-point run.

    Parameters
    ----------
    layers : mapping of str to GeoDataFrame
        ``households`` (points; index or column ``hid``; ``walk_min``, and as written by
        :func:`yuanluo.planners.cover.output_layers` ``hub_id``, ``code``, ``reason``), ``hubs`` (points;
        ``hub_id``, ``site``, ``level``, ``n_households``, ``mean_walk_min``, ``max_walk_min``); optional
        ``sites_left_out`` (points; ``site``, ``given``, ``nearest_m``: drawn as grey crosses with a card),
        ``rivers``, ``roads``, ``water``, ``boundary`` and ``run`` (its ``limit_min``). Other layers (the
        ``coverage`` table) are ignored. Any projected CRS; nothing is modified.
    lang : {"zh", "en"}
        Every text of the page in Chinese (default) or English.
    title : str, optional
        Title shown on the map and as the page title (default "服务点步行覆盖图").
    hillshade : (ndarray, bounds, crs) or object with ``elevation``, ``bounds``, ``crs``, optional
        A DEM drawn as a shaded-relief image overlay.
    include_personal : bool
        Let the personal columns named in ``fields`` into the household cards (off by default, PIPL), and draw
        households whose ids are id-card or phone numbers (ID-PERSONAL-PAGE otherwise).
    fields : sequence of str
        The only household columns shown besides the canonical ones; a column recognised as personal by name
        or content (:func:`yuanluo.gis.personal.find_personal`) also needs ``include_personal``.
    limit_min : float, optional
        The walking limit named in the "too far" reason and the legend's share (default: the ``run`` layer's
        ``limit_min``, else 15).
    credit : str, optional
        Data credit shown in the attribution line (as :func:`yuanluo.maps.interactive.make_map`).
    fields : sequence of str
        Household columns shown on the household card besides the coverage's own; no other column's values
        reach the HTML.

    Returns
    -------
    folium.Map
        Use :func:`save_cover_map` (or :func:`render_cover_html`) for the self-contained HTML.

    Raises
    ------
    InputError
        A layer that is not a GeoDataFrame, lacks a needed column or has no metric CRS.
    """
    lyr = check_cover_layers(layers)
    require_page_ids(lyr["households"].index, include_personal=include_personal, page="cover_map",
                     also=page_ids(lyr))
    limit = _limit(lyr, limit_min)
    pg = _start_page(lyr, lang, [], None)
    if hillshade is not None:
        _add_hillshade(pg, hillshade)
    _add_context_layers(pg)
    hubs = _hub_ids(lyr)
    fg = folium.FeatureGroup(name=cover_text("households", lang))
    pg.add_js(pg.m, "card.js", "R", _card_data(pg, None, "households"))
    payload = _cover_payload(pg, hubs, include_personal, limit, fields)
    pg.carried = list(payload["fields"])  # what the search box finds besides ids (its placeholder says so)
    pg.add_js(fg, "cover_households.js", "D", payload)
    fg.add_to(pg.m)
    pg.bounds.append(np.asarray(_to_display(lyr["households"], pg.shift).total_bounds))
    bounds: dict[str, list[float]] = {}
    if "hubs" in lyr or "sites_left_out" in lyr:
        data = _hub_payload(pg)
        bounds = _hub_bounds(data)
        fg = folium.FeatureGroup(name=cover_text("hubs", lang))
        pg.add_js(fg, "cover_hubs.js", "H", data)
        fg.add_to(pg.m)
    _add_tools(pg)
    credit = credit_words(credit, lang)  # the bundled sample's in the page's language
    if credit:
        pg.add_js(pg.m, "credit.js", "C", {"html": _esc(credit)})
    pg.add_js(pg.m, "gps.js", "P", gps_data(lang))  # the field map's GPS card; the answer: Y.gpsAnswer
    # the field map's search: household ids, the points by id or name, villages, groups, settlements (framed and
    # marked) and any other column carried, with the field map's words for the lists of choices
    pg.add_js(pg.m, "search.js", "S", {"bounds": bounds, "n_units": 0, "placeholder": _search_hints(pg, "hub"),
                                       "notFound": label("not_found", lang), "find": label("find", lang),
                                       "villages": template("map.search_villages", lang),
                                       "values": template("map.search_values", lang),
                                       "households": template("map.search_households", lang),
                                       "place": template("map.search_place", lang), "areas": _area_fields(pg)})
    pg.add_js(pg.m, "legend.js", "G", _cover_legend(lyr, lang, limit, pg.extras))
    folium.LayerControl(collapsed=True).add_to(pg.m)
    _add_ui(pg)
    _finish_page(pg, title or cover_text("title", lang))
    root = pg.m.get_root()
    assert isinstance(root, Figure)
    root.header.add_child(Text("\n<style>\n" + offline.read_own_asset("cover.css") + "</style>\n"),
                          name="yl_cover_css")
    pg.m._yuanluo = {"n_households": pg.n_hh, "n_hubs": len(hubs), "basemaps": [],  # type: ignore[attr-defined]
                     "lang": lang}
    return pg.m


def render_cover_html(m: folium.Map) -> str:
    """The complete, self-contained HTML of a map made by :func:`make_cover_map`, with its
    Content-Security-Policy (:func:`yuanluo.maps.interactive.render_html`: no network, scripts and styles by
    hash)."""
    return render_html(m)


def save_cover_map(
    map_or_layers: folium.Map | Mapping[str, Any],
    path: str | os.PathLike[str],
    *,
    lang: Lang = "zh",
    overwrite: bool = False,
    **kwargs: Any,
) -> Path:
    """Write the coverage map as one offline HTML file, atomically (:func:`yuanluo.gis.output.write_bytes`).

    Parameters
    ----------
    map_or_layers : folium.Map or mapping of layers
        A map from :func:`make_cover_map`, or the layers to pass to it (with ``lang`` and ``**kwargs``:
        ``title``, ``hillshade``, ``include_personal``, ``limit_min``).
    path : path-like
        The ``.html`` file to write.
    lang : {"zh", "en"}
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
        raise OutputError(exists_problem([target]))
    m = map_or_layers if isinstance(map_or_layers, folium.Map) else make_cover_map(map_or_layers, lang=lang,
                                                                                    **kwargs)
    return write_bytes(target, render_cover_html(m).encode("utf-8"), overwrite=overwrite)
