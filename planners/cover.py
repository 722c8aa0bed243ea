"""Service coverage workflow: where the 1+N service points go, and who is within how many minutes' walk.

Puts :mod:`yuanluo.gis.cover` together the way ``yuanluo cover`` uses it: candidate sites (a layer of halls and
village committees, or the households' own locations), existing points kept fixed, hubs per village and villager
group (``"village:1,group:1"``) or ``N`` hubs over the area, mobile points so that everyone is within ``M`` minutes,
then every household's walk to its nearest point, with the quality of every answer.
"""

from __future__ import annotations

import warnings as _warnings
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from yuanluo.gis.catalogue import LANGS, both, text
from yuanluo.gis.cover import (
    CoverEntries,
    ServiceNetwork,
    SiteLeftOutWarning,
    Siting,
    WalkSums,
    band_edges,
    cover_entries,
    coverage_table,
    far_sites,
    max_cover,
    median_by_group,
    p_median_walk,
    service_network,
    set_cover,
    walk_sums_levels,
    walk_to_nearest,
)
from yuanluo.gis.errors import InputError, more_after, problem
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.io import POINT_NAME_COLUMNS
from yuanluo.gis.personal import points_personal

LEVELS = ("village", "group")
#: columns that name a candidate or fixed point
NAME_COLUMNS = POINT_NAME_COLUMNS  # one list: the name read here is the one read_points warns on
#: joins a villager group's village and name in the group level's labels and sitings keys
#: (``"group:甲村\x1f1组"``): every village has a 1组, so a group is (village, group) when the households name villages
SEP = "\x1f"
#: joins the villages and the groups a point serves in the hubs layer of :class:`Coverage` (each output joins them by
#: the language's list separator, :func:`served_names`)
NAMES_SEP = ", "


def level_names(households: Any, level: str) -> np.ndarray:
    """Each household's village or group (``level``; blank for none), told apart as the nest key tells them
    (:func:`yuanluo.gis.keys.nest_key`: with the town and village-code columns above) and named as messages name
    them (:func:`yuanluo.gis.keys.nest_labels`): 新华村 of 甲镇 and of 乙镇 are 甲镇/新华村 and 乙镇/新华村; a group
    with its village (joined by :data:`SEP`) when the table has villages, so that 甲村's 1组 and 乙村's 1组 are two
    groups.

    >>> df = pd.DataFrame({"village": ["甲村", "乙村", "乙村"], "group": ["1组", "1组", None]})
    >>> [shown_name(n) for n in level_names(df, "group")], level_names(df[["group"]], "group").tolist()
    (['甲村 1组', '乙村 1组', ''], ['1组', '1组', ''])
    >>> df = pd.DataFrame({"乡镇": ["甲镇", "乙镇", "乙镇"], "village": ["新华村", "新华村", "胜利村"], "group": "1组"})
    >>> level_names(df, "village").tolist(), [shown_name(n) for n in level_names(df, "group")]
    (['甲镇/新华村', '乙镇/新华村', '胜利村'], ['甲镇/新华村 1组', '乙镇/新华村 1组', '胜利村 1组'])
    """
    from yuanluo.gis.keys import BLANK, nest_labels, normalise

    def named(cols: list[str]) -> np.ndarray:
        return np.array(["" if v == BLANK else str(v) for v in nest_labels(households, cols)], dtype=object)

    if level == "group" and "village" in households.columns:
        villages = named(["village"])
        groups = normalise(households["group"]).to_numpy(dtype=object)
        return np.array([f"{v}{SEP}{g}" if g != BLANK else "" for v, g in zip(villages, groups, strict=True)],
                        dtype=object)
    return named([level])


def town_names(households: Any) -> np.ndarray | None:
    """Each household's town (the value of the households' town column, 乡镇, 街道 …, found as
    :func:`yuanluo.gis.columns.town_columns` finds it; blank for none), or None when they have no town column: the
    hubs and coverage layers then carry no ``town``.

    >>> town_names(pd.DataFrame({"乡镇": [" 甲镇", None], "village": ["新华村", "新华村"]})).tolist()
    ['甲镇', '']
    >>> town_names(pd.DataFrame({"village": ["新华村"]})) is None
    True
    """
    from yuanluo.gis.columns import town_columns
    from yuanluo.gis.keys import BLANK, normalise

    found = town_columns(households.columns)[:1]
    if not found:
        return None
    return np.array(["" if v == BLANK else str(v) for v in normalise(households[found[0]])], dtype=object)


def roster_ranks(households: Any, levels: Any = ("town", *LEVELS)) -> dict[str, dict[str, int]]:
    r"""Per level (``town`` where the households have a town column, ``village``, ``group``), each name as the
    labels hold it (:func:`town_names`, :func:`level_names`) → its rank in the order of the planner's roster, the
    households' rows as they stand (:func:`yuanluo.gis.keys.roster_order`: the towns as the roster first names them,
    one town's villages together, then their groups): the order every output lists places in, never by name.
    ``levels``: the levels wanted.

    >>> hh = pd.DataFrame({"乡镇": ["甲镇", "乙镇", "甲镇"], "village": ["新华村", "新华村", "光明村"],
    ...                    "group": ["二组", "一组", "一组"]})
    >>> r = roster_ranks(hh)
    >>> r["town"], sorted(r["village"], key=r["village"].get), sorted(r["group"], key=r["group"].get)[:2]
    ({'甲镇': 0, '乙镇': 1}, ['甲镇/新华村', '光明村', '乙镇/新华村'], ['甲镇/新华村\x1f二组', '光明村\x1f一组'])
    """
    from yuanluo.gis.keys import first_ranks, roster_order

    out: dict[str, dict[str, int]] = {}
    towns = town_names(households) if "town" in levels else None
    if towns is not None:
        out["town"] = {t: k for k, t in enumerate(dict.fromkeys(t for t in towns if t))}
    for lvl in LEVELS:
        if lvl in levels and lvl in households.columns:
            rank = first_ranks(level_names(households, lvl), roster_order(households, [lvl]))
            out[lvl] = {n: r for n, r in rank.items() if n}
    return out


def in_roster(names: Any, rank: dict[str, int]) -> list[str]:
    """``names`` in the order of ``rank`` (:func:`roster_ranks` of one level), a name it lacks after, by name.

    >>> in_roster(["乙镇", "丙镇", "甲镇"], {"甲镇": 0, "乙镇": 1})
    ['甲镇', '乙镇', '丙镇']
    """
    return sorted(names, key=lambda n: (rank.get(n, len(rank)), n))


def own_name(name: str, town: str | None) -> str:
    r"""A level name (:func:`level_names`) as it stands beside a town column holding ``town``: the village's own
    name, without the town its path starts with (甲镇/新华村 → 新华村; a group's village likewise); unchanged where
    the path does not start with ``town`` (a blank town, a name that is no path).

    >>> own_name("甲镇/新华村", "甲镇"), own_name("甲镇/新华村\x1f一组", "甲镇"), own_name("胜利村", "乙镇")
    ('新华村', '新华村\x1f一组', '胜利村')
    >>> own_name("甲镇/01/新华村", "甲镇"), own_name("甲镇/新华村", "乙镇"), own_name("甲镇/新华村", "")
    ('01/新华村', '甲镇/新华村', '甲镇/新华村')
    """
    head = f"{town}/"
    return str(name)[len(head):] if town and str(name).startswith(head) else str(name)


def split_name(name: str) -> tuple[str | None, str]:
    r"""A level name's village (None when it names none) and its own name: ``"甲村\x1f1组"`` → ("甲村", "1组")."""
    village, sep, own = str(name).partition(SEP)
    return (village, own) if sep else (None, village)


def shown_name(name: str) -> str:
    r"""A level name as people read it: a group with its village before it (unless the group's name starts with
    it, as 甲村一组 does), a village or a group of no village as it is.

    >>> shown_name("甲村\x1f1组"), shown_name("甲村\x1f甲村一组"), shown_name("\x1f1组"), shown_name("1组")
    ('甲村 1组', '甲村一组', '1组', '1组')
    """
    village, own = split_name(name)
    return own if not village or own.startswith(village) else f"{village} {own}"


@dataclass
class CoverPlan:
    """What to site: hubs per level (``{"village": 1, "group": 1}``) or ``n_hubs`` over the area, mobile points
    within ``mobile_within`` minutes, and the walking ``limit_min`` that counts as served."""

    per_level: dict[str, int] = field(default_factory=dict)
    n_hubs: int | None = None
    mobile_within: float | None = None
    limit_min: float = 15.0
    #: what ``n_hubs`` optimise: total walking minutes (p-median) or households within ``limit_min`` (maximal
    #: coverage)
    objective: str = "walk"


def default_hubs(columns: Any) -> str:
    """The hubs when ``--hubs`` is not given: one per village and one per villager group the household table
    has (``columns``); one for the whole area when it has neither.

    >>> default_hubs(["village", "group", "x"]), default_hubs(["group"]), default_hubs(["x"])
    ('village:1,group:1', 'group:1', '1')
    """
    return ",".join(f"{level}:1" for level in LEVELS if level in columns) or "1"


def parse_hubs(spec: str | None, columns: Any = None) -> tuple[dict[str, int], int | None]:
    """``"village:1,group:1"`` → ({"village": 1, "group": 1}, None); ``"12"`` → ({}, 12); None → ({}, None).

    A spec that cannot be read is ``COVER-HUBS``; its fix offers the levels of the household table's
    ``columns`` (where known) and only ``--hubs N`` when it has neither a village nor a group column, since a
    level without its column stops the run (``COVER-LEVEL``).

    Examples
    --------
    >>> parse_hubs("village:1,group:2")
    ({'village': 1, 'group': 2}, None)
    >>> parse_hubs("12")
    ({}, 12)

    A level is also named as the household file's columns name it (村, 行政村, 组, 村民小组 …), and written as a
    planner types it: a full-width colon or ``=``, levels apart by 、, ；, a full-width comma or spaces:

    >>> parse_hubs("村：1，村民小组：2"), parse_hubs("Village=1 group=1")
    (({'village': 1, 'group': 2}, None), ({'village': 1, 'group': 1}, None))

    The domain's "1+N" (Qingshen: one village-level position and N villager-group micro-positions, one per group)
    is one per village and one per group; "1+3", N written as a number, is COVER-HUBS saying what 1+N means:

    >>> parse_hubs("1+N"), parse_hubs("1＋n")
    (({'village': 1, 'group': 1}, None), ({'village': 1, 'group': 1}, None))
    """
    import re
    import unicodedata

    from yuanluo.gis.columns import canonical_of

    if spec is None or not str(spec).strip():
        return {}, None
    s = unicodedata.normalize("NFKC", str(spec)).strip()
    if s.isdigit():
        return {}, int(s)
    one_plus = re.fullmatch(r"1\s*\+\s*(N|n|\d+)", s)
    if one_plus and not one_plus[1].isdigit():
        return dict.fromkeys(LEVELS, 1), None
    if one_plus and (columns is None or all(level in columns for level in LEVELS)):
        raise InputError(problem("COVER-HUBS", value=s, way=both("cover.hubs_way.one_plus")))
    out: dict[str, int] = {}
    for part in (p for p in re.split(r"[,、;\s]+", re.sub(r"\s*[:=]\s*", ":", s)) if p):
        name, _, count = part.partition(":")
        level = name if name in LEVELS else canonical_of(name)
        if level not in LEVELS or not count.strip().isdigit() or int(count) < 1:
            raise InputError(problem("COVER-HUBS", value=part.strip(), way=_hubs_way(columns)))
        out[str(level)] = int(count)
    return out, None


def level_problem(per_level: dict[str, int], columns: Any, file: str | None = None) -> Any:
    """``COVER-LEVEL`` where hubs are asked per a level (village, group; ``--hubs 1+N`` asks both) the household
    table (``columns``, of ``file``) has no column for, else None. It names every level missing, and its fix what
    works with the columns there are: add the columns, or site per the level the table has, or ``--hubs 1``.

    >>> level_problem({"village": 1, "group": 1}, ["village", "group"]) is None
    True
    >>> p = level_problem({"village": 1, "group": 1}, ["x"])
    >>> p.title("en")
    'hubs per village and villager group were requested, but the household table has no village or villager group column.'
    >>> p.fix("zh")[:28]
    '在农户表中加上村、组列（如 村、组，或 行政村、村民小组'
    >>> print(level_problem({"village": 1, "group": 1}, ["group"]).fix("en"))
    add a village column to the household table (such as 村 or 行政村; one village: the same name in every row) and delineate again; or site per the level the table has, --hubs "group:1"; or write --hubs 1 for one hub over the whole area (--hubs N for N).
    """
    asked = [lv for lv in LEVELS if lv in per_level]
    missing = [lv for lv in asked if lv not in columns]
    if not missing:
        return None
    have = [lv for lv in LEVELS if lv in columns]

    def said(levels: list[str], how: str) -> dict[str, str]:
        return both(f"cover.levels.{how}") if len(levels) > 1 else both(f"cover.level.{levels[0]}")

    named = {lang: ",".join(f"{text(f'cover.hubs_level.{lv}', lang)}:1" for lv in have) for lang in LANGS}
    way = both(f"cover.level_way.{'both' if len(missing) > 1 else missing[0]}") if not have else \
        both(f"cover.level_way.{missing[0]}_have", example=named)
    return problem("COVER-LEVEL", file=file, levels=said(asked, "and"), missing=said(missing, "or"), way=way)


def _hubs_way(columns: Any) -> dict[str, str]:
    """The fix of ``COVER-HUBS``: the levels the household table has columns for (all of them where the columns
    are not known), else one whole number N.

    >>> _hubs_way(["group", "x"])["en"]
    'write --hubs "group:1" (levels group, at least 1 each), or one whole number N for N hubs over the area.'
    >>> _hubs_way(None)["zh"]
    '写成 --hubs "村:1,组:1"（层级可用 村、组，每级至少 1 个），或写一个整数 N 表示全域 N 个服务点。'
    >>> _hubs_way(["x"])["en"]
    'write one whole number N for N hubs over the area, such as --hubs 1: the household table has no village or group column, so hubs cannot be placed per village or group.'
    """
    levels = list(LEVELS) if columns is None else [lv for lv in LEVELS if lv in columns]
    if not levels:
        return both("cover.hubs_way.area")
    named = {lang: [text(f"cover.hubs_level.{lv}", lang) for lv in levels] for lang in LANGS}
    return both("cover.hubs_way.levels", example={k: ",".join(f"{n}:1" for n in v) for k, v in named.items()},
                levels={"zh": "、".join(named["zh"]), "en": ", ".join(named["en"])})


@dataclass
class Coverage:
    """The answer: output layers, every siting with its quality, and a summary for the console and the run table."""

    layers: dict[str, Any]
    sitings: dict[str, Siting]
    summary: dict[str, Any]
    #: COVER-SITE-FAR: given points (fixed or candidates) too far from every household to be walked to
    warnings: list[Any] = field(default_factory=list)
    #: the hubs' ``village`` and ``group`` cells as the maps name them (no town column beside them there: 甲镇/新华村
    #: keeps its path), where they differ from the layer's (households with a town column); :func:`drawn_layers`
    map_names: dict[str, list[str | None]] = field(default_factory=dict)


def graph_barriers(inputs: Any, graph: TerrainGraph) -> Any:
    """The rivers and water of ``inputs`` (:class:`yuanluo.planners.workflows.Inputs`) as ``graph`` was cut by them
    (its passable waterways and widths), for :func:`site` to join each given point on its own bank; None when the
    inputs have none."""
    if inputs.rivers is None and inputs.water is None:
        return None
    import warnings

    from yuanluo.gis.barriers import DEFAULT_PASSABLE, prepare_barriers

    meta = graph.meta
    passable = tuple(meta["passable_waterways"]) if "passable_waterways" in meta else DEFAULT_PASSABLE
    with warnings.catch_warnings():  # the graph's build said what the layers hold already
        warnings.simplefilter("ignore")
        return prepare_barriers(graph.crs, rivers=inputs.rivers, water=inputs.water, roads=inputs.roads,
                                passable_waterways=passable,
                                max_passable_width_m=float(meta.get("max_passable_width_m", 3.0)))


def _site_pool(graph: TerrainGraph, candidates: gpd.GeoDataFrame | None,
               fixed: gpd.GeoDataFrame | None) -> tuple[np.ndarray, np.ndarray, int, np.ndarray]:
    """Site coordinates and names: the fixed points first, then the candidates (or the household locations, named
    by household id). A layer's name column (名称, name …) names its points; otherwise F1, F2 … / C1, C2 …; the
    last array holds each site's given name (None where the name is made up or a household id)."""
    xy_parts, id_parts, given_parts = [], [], []
    n_fixed = 0
    for layer, prefix in ((fixed, "F"), (candidates, "C")):
        if layer is None:
            continue
        pts = layer.to_crs(graph.crs).geometry.representative_point()
        xy_parts.append(np.c_[pts.x.to_numpy(), pts.y.to_numpy()])
        names, given = _names(layer, prefix)
        id_parts.append(names)
        given_parts.append(names.astype(object) if given else np.full(len(layer), None, dtype=object))
        n_fixed += len(layer) if prefix == "F" else 0
    if candidates is None:
        xy_parts.append(graph.xy)
        id_parts.append(graph.ids.astype(str))
        given_parts.append(np.full(len(graph.ids), None, dtype=object))
    return np.vstack(xy_parts), np.concatenate(id_parts), n_fixed, np.concatenate(given_parts)


def _names(layer: gpd.GeoDataFrame, prefix: str) -> tuple[np.ndarray, bool]:
    """The points' names from the layer's name column, and True; else F1, F2 … / C1, C2 … and False."""
    for col in NAME_COLUMNS:
        if col in layer.columns and layer[col].notna().all():
            return layer[col].astype(str).to_numpy(), True
    return np.array([f"{prefix}{i + 1}" for i in range(len(layer))]), False


def site(households: gpd.GeoDataFrame, graph: TerrainGraph, plan: CoverPlan, *,
         candidates: gpd.GeoDataFrame | None = None, fixed: gpd.GeoDataFrame | None = None,
         max_snap_m: float = 300.0, join_limit: float | None = None, barriers: Any = None) -> Coverage:
    """Site the service points and measure every household's walk to the nearest one (across the edges pruned
    only for length within ``join_limit`` minutes too, as the delineation joins a hamlet over one). With the
    ``barriers`` the graph was cut by (:func:`graph_barriers`), a given point joins the nearest household on its
    own side of a river or water body, and one with every household near it across is left out
    (COVER-SITE-ACROSS)."""
    xy, ids, n_fixed, given_names = _site_pool(graph, candidates, fixed)
    with _warnings.catch_warnings():  # the points left out are said below, named by the option that gave them
        _warnings.simplefilter("ignore", SiteLeftOutWarning)
        net = service_network(graph, site_xy=xy, site_ids=ids, max_snap_m=max_snap_m, join_limit=join_limit,
                              barriers=barriers,
                              bridge_tolerance_m=float(graph.meta.get("bridge_tolerance_m", 25.0)))
    left_out = _left_out(net, n_fixed, candidates is not None, graph)
    usable = int(net.reachable[n_fixed:].sum())
    if candidates is not None and usable == 0:  # every hub would stand where no one walks to: nothing to site
        raise InputError(_none_usable(candidates, net, n_fixed, max_snap_m))
    # what reading the points files found (COL-FID, POINTS-NAME-DUP …) first, then what siting them finds
    warnings = [*_read_warnings(candidates), *_read_warnings(fixed)] + _named_in_both(xy, given_names, n_fixed) + \
        _far_sites(net, n_fixed, candidates is not None, max_snap_m) + _not_points(candidates, "--candidates") + \
        _not_points(fixed, "--fixed")
    entries = cover_entries(net, plan.limit_min)
    # a fixed point no one can walk to is left out (COVER-SITE-FAR, ``sites_left_out``): never a hub serving none
    opened: dict[int, str] = {int(j): "fixed" for j in np.flatnonzero(net.reachable[:n_fixed])}
    if plan.n_hubs is not None and plan.n_hubs > usable:  # the others no one walks to: they would serve nobody
        total = int(len(net.site_ids)) - n_fixed
        if usable == total:  # every candidate can be walked to: simply more hubs than candidates
            raise InputError(problem("COVER-P", p=plan.n_hubs, k=total, fixed=0, least=1))
        raise InputError(problem("COVER-P-USABLE", p=plan.n_hubs, usable=usable, total=total,
                                 metres=f"{max_snap_m:g}"))
    sitings, penalty = _site_hubs(households, graph, entries, plan, opened, n_fixed, net)
    warnings += _no_hub(households, sitings, plan) + _shared_hubs(households, graph, net, sitings, plan)
    if plan.mobile_within is not None:
        mob = set_cover(cover_entries(net, plan.mobile_within), fixed=sorted(opened))
        sitings["mobile"] = mob
        opened.update({int(j): "mobile" for j in mob.chosen if int(j) not in opened})
    if not opened:
        raise InputError(problem("COVER-NONE"))
    layers = _layers(households, graph, net, opened, plan, given_names, sitings)
    map_names = layers["hubs"].attrs.pop("map_names", {})  # for the maps only (:func:`drawn_layers`)
    if left_out is not None:
        layers["sites_left_out"] = left_out
    short = None  # the households the mobile points leave beyond their limit, when they are placed
    if plan.mobile_within is not None:
        short = _beyond_within(layers["households"], plan.mobile_within)
        warnings += _mobile_short(layers["households"], plan.mobile_within, short)
    summary = _summary(layers, sitings, plan, short)
    # the minutes a household cut off from its hubs counted at in the walk objective (None: no walk objective)
    summary["penalty_min"] = penalty
    # the sites the hubs were chosen from: a layer's (with how many anyone can walk to), or the households'
    summary["candidates"] = None if candidates is None else int(len(candidates))
    summary["candidates_usable"] = usable
    return Coverage(layers=layers, sitings=sitings, summary=summary, warnings=warnings, map_names=map_names)


def _named_in_both(xy: np.ndarray, given_names: np.ndarray, n_fixed: int, same_m: float = 1.0) -> list[Any]:
    """COVER-NAME-BOTH (warning): a name given to an existing point (``--fixed``) and to a candidate standing
    elsewhere (more than ``same_m`` apart): the hubs table, the maps and the report know a point by its name, so
    the two cannot be told apart there (POINTS-NAME-DUP says it within one file). The same hall listed in both
    files at one place is not said: it is one point, kept as the existing one.

    >>> xy = np.array([[0.0, 0.0], [0.0, 0.0], [500.0, 0.0], [9.0, 9.0]])
    >>> [q.params["names"] for q in _named_in_both(xy, np.array(["村委会", "村委会", "村委会 ", "院坝"], dtype=object), 1)]
    [['村委会']]
    >>> _named_in_both(xy[:2], np.array(["村委会", "村委会"], dtype=object), 1)
    []
    """
    fixed: dict[str, list[np.ndarray]] = {}
    for j in range(n_fixed):
        if given_names[j] is not None:
            fixed.setdefault(str(given_names[j]).strip(), []).append(xy[j])
    both_names = []
    for j in range(n_fixed, len(given_names)):
        name = None if given_names[j] is None else str(given_names[j]).strip()
        if name in fixed and name not in both_names and \
                min(float(np.hypot(*(xy[j] - p))) for p in fixed[name]) > same_m:
            both_names.append(name)
    if not both_names:
        return []
    return [problem("COVER-NAME-BOTH", severity="warning", count=len(both_names), names=both_names[:8])]


def _none_usable(candidates: gpd.GeoDataFrame, net: ServiceNetwork, n_fixed: int, max_snap_m: float) -> Any:
    """COVER-SITE-NONE: not one candidate lies within ``max_snap_m`` of a household (most often X and Y taken the
    wrong way round, or another coordinate system): no hub can be sited from them, so the command stops; the
    file and the rows of the candidates, and the nearest of them, are said. COVER-SITE-NONE-ACROSS where some of
    them have households that near, but all across a river or water body without a bridge."""
    far = net.snap_m[n_fixed:]
    nearest = float(np.min(far)) if len(far) and np.isfinite(far).any() else float("nan")
    rows = candidates.attrs.get("rows") or list(range(1, len(candidates) + 1))
    across = int((net.across[n_fixed:] != "").sum()) if net.across is not None else 0
    if across:  # households near some of them, but across a river or water without a bridge: said so
        return problem("COVER-SITE-NONE-ACROSS", file=candidates.attrs.get("file") or "--candidates", rows=rows,
                       ids=[str(n) for n in net.site_ids[n_fixed:]], option="--candidates", total=len(far),
                       across=across, metres=f"{max_snap_m:g}",
                       rest=both("cover.site_none_rest", count=len(far) - across, metres=f"{max_snap_m:g}")
                       if len(far) > across else {"zh": "", "en": ""})
    return problem("COVER-SITE-NONE", file=candidates.attrs.get("file") or "--candidates", rows=rows,
                   ids=[str(n) for n in net.site_ids[n_fixed:]], option="--candidates", total=len(far),
                   metres=f"{max_snap_m:g}", nearest=f"{nearest:.0f}" if np.isfinite(nearest) else "—")


def _read_warnings(layer: gpd.GeoDataFrame | None) -> list[Any]:
    """The warnings :func:`yuanluo.gis.io.read_points` left with a points layer (``attrs["warnings"]``)."""
    return [] if layer is None else [*layer.attrs.get("warnings", []), *points_personal(layer)]  # ATTR-PERSONAL


def _not_points(layer: gpd.GeoDataFrame | None, option: str) -> list[Any]:
    """COVER-SITE-AREA when a layer given as points (``--candidates``, ``--fixed``) holds lines or polygons (most
    often the wrong layer of a GeoPackage, a village boundary): each becomes one point inside it, so it is said,
    with the file and its features."""
    if layer is None or not len(layer):
        return []
    kind = layer.geometry.geom_type.fillna("")
    bad = ~kind.isin(["Point", "MultiPoint", ""])
    if not bad.any():
        return []
    rows = layer.attrs.get("rows") or list(range(1, len(layer) + 1))
    return [problem("COVER-SITE-AREA", severity="warning", option=option,
                    file=str(layer.attrs.get("file") or option),
                    rows=[r for r, b in zip(rows, bad.to_numpy(), strict=False) if b])]


def _beyond_within(hh: gpd.GeoDataFrame, within: float) -> np.ndarray:
    """Which households walk more than ``within`` minutes to the nearest point (and can reach one at all)."""
    w = hh["walk_min"].to_numpy(dtype=float)
    return np.isfinite(w) & (w > within)


def _mobile_short(hh: gpd.GeoDataFrame, within: float, over: np.ndarray) -> list[Any]:
    """COVER-MOBILE-SHORT: households still walking more than ``within`` minutes to the nearest point once the
    mobile points are placed (``over``, from :func:`_beyond_within`), because no given site lies within
    ``within`` minutes of them; how many, the worst walk and the households (those who cannot reach any point
    are COVER-UNREACHABLE already)."""
    w = hh["walk_min"].to_numpy(dtype=float)
    if not over.any():
        return []
    order = np.argsort(-w[over], kind="stable")
    ids = hh.index.to_numpy(dtype=object)[over][order]
    return [problem("COVER-MOBILE-SHORT", severity="warning", ids=[str(i) for i in ids], within=f"{within:g}",
                    worst=f"{round(float(w[over].max()), 2):g}")]


def _far_sites(net: ServiceNetwork, n_fixed: int, given: bool, max_snap_m: float) -> list[Any]:
    """COVER-SITE-FAR (and COVER-SITE-ACROSS) for the fixed points, and the candidates of a ``--candidates``
    layer (``given``), that no one can walk to, left out (:func:`yuanluo.gis.cover.far_sites`, the one maker,
    which :func:`yuanluo.gis.cover.service_network` says them by from Python)."""
    return far_sites(net, range(n_fixed), "--fixed", max_snap_m) + \
        (far_sites(net, range(n_fixed, net.k), "--candidates", max_snap_m) if given else [])


def no_hub(sitings: dict[str, Siting], level: str, households: Any = None) -> list[str]:
    """The villages or groups (``level``) that got no hub: not one candidate within their walking reach (a group
    with its village before it, :func:`shown_name`); in the order of the ``households``' roster
    (:func:`roster_ranks`), else by name."""
    return [shown_name(k) for k in _no_hub_keys(sitings, level, households)]


def _no_hub_keys(sitings: dict[str, Siting], level: str, households: Any = None) -> list[str]:
    """The names of the villages or groups that got no hub, as the labels hold them (:func:`level_names`), in the
    order of the ``households``' roster (else by name)."""
    names = [k.removeprefix(f"{level}:") for k, s in sitings.items() if k.startswith(f"{level}:") and not len(s.chosen)]
    many = households is not None and len(names) > 1
    return in_roster(names, roster_ranks(households, (level,)).get(level, {}) if many else {})


def _no_hub(households: gpd.GeoDataFrame, sitings: dict[str, Siting], plan: CoverPlan) -> list[Any]:
    """COVER-HUB-NONE for each level of ``--hubs village:1,group:1`` with villages or groups that got no hub, no
    candidate being within their walking reach (none at all, or across a river without a bridge): which ones, with
    their households (the first eight), and the fix: a candidate inside each."""
    out = []
    for level in plan.per_level:
        names = _no_hub_keys(sitings, level, households)
        if not names:
            continue
        size = pd.Series(level_names(households, level)).value_counts()
        items = {lang: text("list.sep", lang).join(
            text("cover.hub_none.item", lang, name=shown_name(n), count=int(size.get(n, 0))) for n in names[:8])
            for lang in ("zh", "en")}
        out.append(problem("COVER-HUB-NONE", severity="warning", count=len(names), names=items,
                           level={lang: text(f"field.{level}", lang).lower() for lang in ("zh", "en")}))
    return out


#: COVER-HUB-SHARED names this many groups (villages), then says how many there are in all
SHARED_SHOWN = 8


def _shared_hubs(households: gpd.GeoDataFrame, graph: TerrainGraph, net: ServiceNetwork,
                 sitings: dict[str, Siting], plan: CoverPlan) -> list[Any]:
    """COVER-HUB-SHARED for each level of ``--hubs village:1,group:1`` whose groups got a hub standing in another
    group (the household nearest the site is another group's): no candidate of their own, or none better; the
    1+N model expects one in each, so it is said, with the groups (the first :data:`SHARED_SHOWN`, then how many
    in all)."""
    near = _nearest_household(graph, net)  # each site's household (on its side of the rivers)
    out = []
    for level in plan.per_level:
        labels = _level_labels(households, graph, level)
        away = []
        for key, s in sitings.items():
            name = key.removeprefix(f"{level}:")
            if name != key and len(s.chosen) and not any(labels[int(near[int(j)])] == name for j in s.chosen):
                away.append(name)
        rank = roster_ranks(households, (level,)).get(level, {}) if len(away) > 1 else {}
        away = [shown_name(n) for n in in_roster(away, rank)]
        if away:
            shown_away = away[:SHARED_SHOWN]  # no space after a Chinese name (二组等，共 9 个)
            more = {lang: more_after(shown_away[-1], len(away) if len(away) > SHARED_SHOWN else 0, lang)
                    for lang in ("zh", "en")}
            out.append(problem("COVER-HUB-SHARED", severity="warning", count=len(away), names=shown_away,
                               more=more,  # past the first eight: how many in all
                               level={lang: text(f"field.{level}", lang).lower() for lang in ("zh", "en")}))
    return out


def _left_out(net: ServiceNetwork, n_fixed: int, given: bool, graph: TerrainGraph) -> Any:
    """The layer of the given points left out (those of COVER-SITE-FAR): ``site`` (name), ``given`` (``fixed`` or
    ``candidate``) and ``nearest_m`` (straight metres to the nearest household), where the planner gave them, so
    a map and QGIS show where each landed; None when every given point was used."""
    k = n_fixed + (len(net.site_ids) - n_fixed if given else 0)
    far = np.flatnonzero(~net.reachable[:k])
    if not len(far):
        return None
    df = pd.DataFrame({"site": net.site_ids[far].astype(str),
                       "given": np.where(far < n_fixed, "fixed", "candidate"),
                       "nearest_m": np.round(net.snap_m[far]).astype(np.int64)})
    if net.across is not None and (net.across[far] != "").any():  # near households, all across a river or water
        df["across"] = net.across[far].astype(str)
    xy = net.site_xy[far]
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=graph.crs)


def _site_hubs(households: gpd.GeoDataFrame, graph: TerrainGraph, entries: CoverEntries, plan: CoverPlan,
               opened: dict[int, str], n_fixed: int, net: ServiceNetwork) -> tuple[dict[str, Siting], float | None]:
    """The hubs of each level and over the area, and the penalty of the walk objective (None when no hub was
    sited for it). The walk objective is the real walk, every walk as long as it is
    (:func:`yuanluo.gis.cover.median_by_group`, :func:`yuanluo.gis.cover.p_median_walk`), a household that cannot
    walk to its village's (group's, the area's) hubs at all counted at the longest walk any household has to any
    site it can walk to (the penalty); the coverage objective counts the households within the limit
    (:func:`yuanluo.gis.cover.max_cover`)."""
    sitings: dict[str, Siting] = {}
    # the existing points (--fixed) stay candidates: a group without a point of its own may share one (said by
    # COVER-HUB-SHARED) rather than get a new hub beside it; ties go to the existing point (it comes first)
    cache: dict[float, CoverEntries] = {float(plan.limit_min): entries}  # the pairs within each radius, once
    kept = np.array(sorted(j for j, lvl in opened.items() if lvl == "fixed"), dtype=np.int64)
    near = _nearest_household(graph, net) if len(kept) else np.zeros(net.k, dtype=np.int64)
    lacking = level_problem(plan.per_level, households.columns)
    if lacking is not None:
        raise InputError(lacking)
    labelled = [_level_labels(households, graph, level) for level in plan.per_level]
    area_walk = plan.n_hubs is not None and plan.objective != "coverage"
    # one pass over the graph from every site for all of them: every village's and group's real walk to every
    # site, the area's (its one group "all": the 1-median of --hubs 1), and the longest walk of any household to
    # any site it can walk to (the penalty); none when no walk objective is sited
    every = walk_sums_levels(net, labelled + ([np.full(net.n, "all", dtype=object)] if area_walk else [])) \
        if labelled or area_walk else []
    penalty = every[0].longest if every else None
    for (level, count), labels, sums in zip(plan.per_level.items(), labelled, every[:len(labelled)], strict=True):
        at = labels[near[kept]]
        own_of = {str(name): kept[at == name] for name in sorted(set(at.tolist())) if str(name).strip()}
        best = median_by_group(sums)
        for g, name in enumerate(sums.names):
            members = np.flatnonzero(labels == name)
            if not (np.isfinite(sums.total[g]) & (sums.cut[g] < sums.weight[g])).any():
                s = best[name]  # none of its households can walk to any site: no hub (COVER-HUB-NONE)
            elif name in own_of:  # an existing point (--fixed) in a group is its hub, no second one beside it
                s = _fixed_hubs(net, sums, g, own_of[name], members, count, plan, cache)
            elif min(count, net.k) == 1:  # one hub: p_median_walk's 1-median, from the pass above
                s = best[name]
            else:
                s = p_median_walk(net, min(count, net.k), households=members, start_min=plan.limit_min,
                                  penalty=sums.longest, cache=cache, walks=sums)
            sitings[f"{level}:{name}"] = _beyond(s, members, entries)
            opened.update({int(j): level for j in s.chosen if int(j) not in opened})
    if plan.n_hubs is not None:
        kept = np.array(sorted(j for j, lvl in opened.items() if lvl == "fixed"), dtype=np.int64)
        if plan.objective == "coverage":
            s = max_cover(entries, plan.n_hubs + len(kept), fixed=kept)
        else:
            area = every[-1]  # (the pass above took the area's walk)
            if plan.n_hubs == 1 and not len(kept) and area.names:  # p_median_walk's 1-median, from the pass above
                s = median_by_group(area, penalty=penalty)["all"]
            else:
                s = p_median_walk(net, plan.n_hubs + len(kept), fixed=kept, start_min=plan.limit_min,
                                  penalty=penalty, cache=cache, walks=area)
            s = _beyond(s, np.arange(net.n), entries)
        sitings["area"] = s
        opened.update({int(j): "hub" for j in s.chosen if int(j) not in opened})
    return sitings, penalty


def _beyond(s: Siting, members: np.ndarray, entries: CoverEntries) -> Siting:
    """The siting with ``uncovered`` the ``members`` no chosen site is within the walking limit of."""
    near = np.zeros(entries.n, dtype=bool)
    near[entries.hh[np.isin(entries.site, s.chosen)]] = True
    return Siting(chosen=s.chosen, objective=s.objective, bound=s.bound, gap=s.gap, method=s.method,
                  uncovered=members[~near[members]])


def _nearest_household(graph: TerrainGraph, net: ServiceNetwork) -> np.ndarray:
    """Each site's household node: the one it joins the graph at (the nearest on its side of the rivers), else
    the nearest by straight distance: the village and group a site stands in."""
    if net.node is not None:
        return np.asarray(net.node, dtype=np.int64)
    from scipy.spatial import cKDTree

    return np.asarray(cKDTree(np.asarray(graph.xy, dtype=float)).query(net.site_xy)[1], dtype=np.int64)


def _fixed_hubs(net: ServiceNetwork, sums: WalkSums, g: int, own: np.ndarray, members: np.ndarray, count: int,
                plan: CoverPlan, cache: dict[float, CoverEntries]) -> Siting:
    """The hubs of a group (or village) with existing points of its own (``own``, given with ``--fixed``): those
    points are its hubs, and only the hubs still missing from ``count`` are sited; the quality is that of the
    group's households' real walk to them."""
    if len(own) == 1 and count == 1:
        return median_by_group(WalkSums(names=[sums.names[g]], total=sums.total[g:g + 1], cut=sums.cut[g:g + 1],
                                        weight=sums.weight[g:g + 1], longest=sums.longest, farthest=sums.farthest),
                               candidates=own)[sums.names[g]]
    return p_median_walk(net, min(max(count, len(own)), net.k), households=members, fixed=own,
                         start_min=plan.limit_min, penalty=sums.longest, cache=cache, walks=sums)


def _level_labels(households: gpd.GeoDataFrame, graph: TerrainGraph, level: str) -> np.ndarray:
    """Each graph node's village or group name (``level``, :func:`level_names`: a group with its village; blank for
    none, and for a node with no household)."""
    labels = np.full(graph.n, "", dtype=object)
    labels[graph.index_of(households.index)] = level_names(households, level)
    return labels


def _layers(households: gpd.GeoDataFrame, graph: TerrainGraph, net: ServiceNetwork, opened: dict[int, str],
            plan: CoverPlan, given_names: np.ndarray, sitings: dict[str, Siting]) -> dict[str, Any]:
    open_idx = np.array(sorted(opened), dtype=np.int64)
    minutes, nearest = walk_to_nearest(net, open_idx)
    order = graph.index_of(households.index)
    m, near = minutes[order], nearest[order]
    hh = households.copy()
    hub_of_site = np.full(net.k, -1, dtype=np.int64)
    hub_of_site[open_idx] = np.arange(len(open_idx))
    hub = np.where(near >= 0, hub_of_site[np.maximum(near, 0)], -1)
    hh["hub_id"] = pd.array([f"P{h + 1:03d}" if h >= 0 else None for h in hub], dtype="string")
    # walk_min as walk_to_nearest gives it, the figure cover_entries gives and the siting counted (settled to 1e-6
    # minute, gis.cover.MINUTE_DECIMALS: no display precision): served, COVER-FAR and every count of every output
    # (the coverage layer, the report, the maps) are decided on it, and only a display rounds it. Rounded here to 0.01 first, a walk of
    # 15.004 minutes was served while cover_entries (and so max_cover, set_cover) had it beyond 15.
    hh["walk_min"] = np.where(np.isfinite(m), m, np.nan)
    hh["served"] = np.isfinite(m) & (m <= plan.limit_min)
    code = np.full(len(m), None, dtype=object)
    code[np.isfinite(m) & (m > plan.limit_min)] = "COVER-FAR"
    code[~np.isfinite(m)] = "COVER-UNREACHABLE"
    hh["code"] = pd.array(code, dtype="string")
    hubs = _hub_layer(hh, net, opened, graph, given_names)
    hubs = _serves(hubs, hh, np.array(sorted(opened), dtype=np.int64), sitings)
    # the minutes unrounded (walk_min), in the bands of the limit: the counts every output gives
    walked, bands = hh["walk_min"].to_numpy(dtype=float), band_edges(plan.limit_min)
    # per village and per (village, group) when the households name villages, each row with its village; told
    # apart and named as the sitings are (:func:`level_names`: 甲镇/新华村 and 乙镇/新华村 are two villages)
    villages = level_names(hh, "village") if "village" in hh.columns else None
    towns = town_names(hh)  # the town before the village, where the households have a town column
    if villages is not None and towns is not None:  # beside its town a village is its own name (新华村, not 甲镇/新华村)
        villages = np.array([own_name(v, t) for v, t in zip(villages, towns, strict=True)], dtype=object)
    tables = {lvl: coverage_table(walked, np.array([split_name(n)[1] for n in level_names(hh, lvl)], dtype=object),
                                  bands, villages=villages, towns=towns)
              for lvl in LEVELS if lvl in hh.columns}
    if not tables:  # no villages or groups: the total row alone (its one group, "", would repeat it)
        whole = coverage_table(walked, np.full(len(hh), "", dtype=object), bands)
        tables["all"] = whole[whole["total"]].reset_index(drop=True)
    if "village" in tables:  # a village's row names it in ``village``; its ``group`` is blank (it is no group)
        tables["village"]["group"] = ""
    cov = pd.concat([t.assign(level=lvl) for lvl, t in tables.items()], ignore_index=True)
    return {"households": hh, "hubs": hubs, "coverage": cov}


def _hub_layer(hh: gpd.GeoDataFrame, net: ServiceNetwork, opened: dict[int, str], graph: TerrainGraph,
               given_names: np.ndarray) -> Any:
    """One row per service point: ``hub_id``, ``site``, ``name`` (the name the candidates or fixed points gave
    it, blank for a household's location or a point without a name), ``level``, households served and walks."""
    sites = np.array(sorted(opened), dtype=np.int64)
    hub_ids = [f"P{i + 1:03d}" for i in range(len(sites))]
    stats = hh.groupby("hub_id", dropna=True)["walk_min"].agg(["size", "mean", "max"])
    names = given_names[sites]
    df = pd.DataFrame({"hub_id": hub_ids, "site": net.site_ids[sites], "name": pd.array(names, dtype="string"),
                       "level": [opened[j] for j in sites]})
    df["n_households"] = stats["size"].reindex(hub_ids).fillna(0).astype(int).to_numpy()
    # the mean and the longest walk unrounded: each output rounds them once (the map and report to 0.1; rounded
    # here to 0.01 first, a mean of 4.6488 was written 4.65 and shown 4.7)
    df["mean_walk_min"] = stats["mean"].reindex(hub_ids).to_numpy()
    df["max_walk_min"] = stats["max"].reindex(hub_ids).to_numpy()
    xy = net.site_xy[sites]
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=graph.crs)


def _serves(hubs: gpd.GeoDataFrame, hh: gpd.GeoDataFrame, sites: np.ndarray,
            sitings: dict[str, Siting]) -> gpd.GeoDataFrame:
    """The hubs layer with the village and the villager group each point serves, after ``level`` (when the
    households have those columns): those it was sited for (``--hubs village:1,group:1``; a point chosen by
    several, as when a group shares another's hub, names each, joined by :data:`NAMES_SEP`), a group's hub also the
    village of that group; a point sited for none (over the area, mobile, an existing one standing for no group)
    names the village and group most of the households walking to it belong to; a village's hub that is no group's
    names no group. When a point serves more than one village, each group is named with its village (甲村 1组,
    乙村 1组: "甲村, 乙村" / "1组" read as every 1组 of both). Blank when it serves no one. Where the households
    have a town column, ``town`` comes before ``village``: the towns of the villages and groups it serves (joined
    as they are)."""
    levels = [lvl for lvl in LEVELS if lvl in hh.columns]
    if not levels:
        return hubs
    towns = town_names(hh)
    town_of = _towns_of(hh, levels, towns)
    ranks = roster_ranks(hh)  # several towns, villages or groups in one cell: in the roster's order
    row_of = {int(j): i for i, j in enumerate(sites)}
    # the names each point was sited for, as the labels hold them (a group with its village, :func:`level_names`)
    named: dict[str, list[set[str]]] = {lvl: [set() for _ in sites] for lvl in levels}
    for key, s in sitings.items():
        lvl, _, name = key.partition(":")
        if lvl in named:
            for j in s.chosen:
                if int(j) in row_of:
                    named[lvl][row_of[int(j)]].add(name)
    if len(levels) == 2:  # a group's hub serves the village of its group too (甲村's hub and 乙村 1组's: both)
        for i in range(len(sites)):
            named["village"][i] |= {v for v, _ in map(split_name, named["group"][i]) if v}
    sited = [any(named[lvl][i] for lvl in levels) for i in range(len(sites))]
    out = hubs.copy()
    at = out.columns.get_loc("level") + 1
    # a point sited for none: the village, and the (village, group), most of its households belong to
    most = {lvl: pd.DataFrame({"hub": hh["hub_id"], "v": level_names(hh, lvl)}).dropna(subset=["hub"])
            for lvl in levels}
    most = {lvl: d[d["v"] != ""].groupby("hub")["v"].agg(_most) for lvl, d in most.items()}
    values: dict[str, list[str | None]] = {lvl: [] for lvl in ("town", *levels)}
    paths: dict[str, list[str | None]] = {lvl: [] for lvl in levels}  # the cells with the paths, for the maps
    for i, (done, h) in enumerate(zip(sited, out["hub_id"], strict=True)):
        names = {lvl: named[lvl][i] if done else {str(most[lvl][h])} if h in most[lvl] else set()
                 for lvl in levels}
        served = in_roster({t for lvl in town_of for n in names[lvl] for t in town_of[lvl].get(n, ())},
                           ranks.get("town", {}))
        values["town"].append(NAMES_SEP.join(served) if served else None)
        for lvl, value in _served_values(names, levels, ranks).items():
            paths[lvl].append(value)
        shown = ranks
        if len(served) == 1:  # beside its one town a village is its own name; of several towns each keeps its path
            own = {lvl: {own_name(n, served[0]): n for n in ns} for lvl, ns in names.items()}
            names = {lvl: set(o) for lvl, o in own.items()}
            shown = {lvl: {k: ranks.get(lvl, {}).get(n, len(ranks.get(lvl, {}))) for k, n in o.items()}
                     for lvl, o in own.items()}  # each own name ranked as its path
        for lvl, value in _served_values(names, levels, shown).items():
            values[lvl].append(value)
    for k, lvl in enumerate(["town", *levels] if towns is not None else levels):
        out.insert(int(at) + k, lvl, pd.array(values[lvl], dtype="string"))
    if towns is not None and any(paths[lvl] != values[lvl] for lvl in levels):
        # the maps name what a point serves with no town column beside it: there 甲镇/新华村 keeps its path
        out.attrs["map_names"] = {lvl: paths[lvl] for lvl in levels}
    return out


def _served_values(names: dict[str, set[str]], levels: list[str], ranks: dict[str, dict[str, int]] | None = None
                   ) -> dict[str, str | None]:
    """One point's ``village`` and ``group`` cells from the names it serves (by level, as the labels hold them):
    each name once, joined by :data:`NAMES_SEP`, in the order of ``ranks`` (:func:`roster_ranks`; else by name);
    each group with its village when it serves several villages."""
    villages = names.get("village", set())
    out: dict[str, str | None] = {}
    for lvl in levels:
        pairs = [split_name(n) for n in in_roster(names[lvl], (ranks or {}).get(lvl, {}))]
        if lvl == "group" and len({*villages, *(v for v, _ in pairs if v)}) > 1:  # each group with its village
            items = [shown_name(f"{v}{SEP}{g}") if v else g for v, g in pairs]
        else:
            items = [g for _, g in pairs]
        out[lvl] = NAMES_SEP.join(dict.fromkeys(items)) if items else None
    return out


def _towns_of(hh: pd.DataFrame, levels: list[str], towns: np.ndarray | None) -> dict[str, dict[str, set[str]]]:
    """Each village's and group's towns (``towns``: each household's, :func:`town_names`), by level and name as the
    labels hold them (:func:`level_names`): one town each, the town being in the nest key that tells them apart.

    >>> hh = pd.DataFrame({"乡镇": ["甲镇", "乙镇"], "village": ["新华村", "新华村"]})
    >>> _towns_of(hh, ["village"], town_names(hh))
    {'village': {'甲镇/新华村': {'甲镇'}, '乙镇/新华村': {'乙镇'}}}
    """
    out: dict[str, dict[str, set[str]]] = {}
    if towns is None:
        return out
    for lvl in levels:
        for v, t in zip(level_names(hh, lvl), towns, strict=True):
            if v and t:
                out.setdefault(lvl, {}).setdefault(str(v), set()).add(str(t))
    return out


def drawn_layers(res: Coverage, layers: dict[str, Any], lang: Any = "zh") -> dict[str, Any]:
    """The layers as the maps draw them (``layers``, :func:`output_layers` of ``res``): the same, but where the
    hubs layer names a village beside its town (新华村 of 甲镇, where 乙镇 has a 新华村 too) the maps, which have no
    town column, name it by its path (甲镇/新华村). Without a town column: ``layers`` itself."""
    if not res.map_names or "hubs" not in layers:
        return layers
    hubs = layers["hubs"].copy()
    for lvl, cells in res.map_names.items():
        hubs[lvl] = pd.array([served_names(v, lang) for v in cells], dtype="string")
    return {**layers, "hubs": hubs}


def served_names(value: Any, lang: Any) -> Any:
    """A hubs layer's ``village`` or ``group`` value (names joined by :data:`NAMES_SEP`) joined by the language's
    list separator (``list.sep``: 、 in Chinese); a blank one as it is.

    >>> served_names("甲村 1组, 乙村 1组", "zh"), served_names("甲村 1组, 乙村 1组", "en"), served_names(None, "zh")
    ('甲村 1组、乙村 1组', '甲村 1组, 乙村 1组', None)
    """
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return value
    return text("list.sep", lang).join(str(value).split(NAMES_SEP))


def served_in(hubs: Any, lang: Any) -> Any:
    """The hubs layer with its ``town``, ``village`` and ``group`` (what each point serves) in ``lang``
    (:func:`served_names`)."""
    out = hubs.copy()
    for lvl in ("town", *LEVELS):
        if lvl in out.columns:
            out[lvl] = pd.array([served_names(v, lang) for v in out[lvl]], dtype="string")
    return out


def villages_by_hub(households: Any) -> tuple[Any, dict[str, dict[str, np.ndarray]]]:
    """The households walking to a point (``hub_id`` set), and for each point whose households belong to more than
    one village, each village (as :func:`level_names` names it) → the positions of its households among them, the
    villages in the roster's order: what the report (:func:`served_rows`) and the maps list under each village.

    >>> hh = pd.DataFrame({"village": ["乙村", "甲村", "乙村", "甲村"], "hub_id": ["P1", "P1", "P1", "P2"]})
    >>> villages_by_hub(hh)[1]
    {'P1': {'乙村': array([0, 2]), '甲村': array([1])}}
    """
    hh = households.loc[households["hub_id"].notna()]
    key = pd.DataFrame({"h": hh["hub_id"].astype(str).to_numpy(),
                        "v": pd.Series(level_names(hh, "village"), dtype=object).to_numpy()})
    key = key[key["v"].map(bool)]
    by_hub: dict[str, dict[str, np.ndarray]] = {}
    for (h, v), at in key.groupby(["h", "v"], sort=False).groups.items():  # positions in hh, in its order
        by_hub.setdefault(str(h), {})[str(v)] = np.asarray(at, dtype=np.int64)
    rank = roster_ranks(households, ("village",)).get("village", {})
    return hh, {h: {v: parts[v] for v in in_roster(parts, rank)} for h, parts in by_hub.items() if len(parts) > 1}


def served_rows(hubs: Any, households: Any) -> Any:
    """The hubs layer as the coverage report lists it: a point whose households (``hub_id`` of the households
    layer) belong to several villages is one row per village, in the roster's order, each with that village's
    town (where the households have a town column), the village, the groups of its households walking there, and
    its own household count and mean and longest walk; a point of one village (or of none) is its row as it
    stands. The layer itself keeps one row per point (a point is one feature), named after the village most of
    its households belong to when it was sited for none (:func:`_serves`). ``hub_id`` stays the point's: a
    level's distinct points are ``hub_id.nunique()``.

    >>> hh = pd.DataFrame({"village": ["甲村", "乙村", "乙村"], "group": ["1组", "1组", "2组"],
    ...                    "hub_id": ["P001"] * 3, "walk_min": [1.0, 2.0, 4.0]}, index=["a", "b", "c"])
    >>> hubs = pd.DataFrame({"hub_id": ["P001"], "level": ["mobile"], "village": ["乙村"], "group": ["1组"],
    ...                      "n_households": [3], "mean_walk_min": [7 / 3], "max_walk_min": [4.0]})
    >>> served_rows(hubs, hh)[["village", "group", "n_households", "mean_walk_min", "max_walk_min"]].values.tolist()
    [['甲村', '1组', 1, 1.0, 1.0], ['乙村', '1组, 2组', 2, 3.0, 4.0]]
    """
    if "village" not in households.columns or "village" not in hubs.columns:
        return hubs
    hh, by_hub = villages_by_hub(households)
    towns = town_names(hh)
    ranks = roster_ranks(households)
    groups = level_names(hh, "group") if "group" in hh.columns else np.full(len(hh), "", dtype=object)
    walk = pd.to_numeric(hh["walk_min"], errors="coerce").to_numpy(dtype=float)
    rows = []
    for rec in hubs.to_dict("records"):
        parts = by_hub.get(str(rec["hub_id"]), {})
        if not parts:
            rows.append(rec)
            continue
        for v, at in parts.items():
            town = str(towns[at[0]]) if towns is not None else None
            gs = in_roster({str(g) for g in groups[at] if g}, ranks.get("group", {}))
            one = dict(rec, village=own_name(v, town) if town else v,
                       n_households=len(at), mean_walk_min=float(np.nanmean(walk[at])) if np.isfinite(walk[at]).any()
                       else np.nan, max_walk_min=float(np.nanmax(walk[at])) if np.isfinite(walk[at]).any() else np.nan)
            if "group" in hubs.columns:
                one["group"] = NAMES_SEP.join(dict.fromkeys(split_name(g)[1] for g in gs)) or None
            if "town" in hubs.columns:
                one["town"] = town or None
            rows.append(one)
    return pd.DataFrame(rows, columns=list(hubs.columns))


def _most(values: pd.Series) -> str:
    """The value most of ``values`` have (the first by name of those tied)."""
    return str(values.value_counts().sort_index().idxmax())


def _summary(layers: dict[str, Any], sitings: dict[str, Siting], plan: CoverPlan,
             short: np.ndarray | None) -> dict[str, Any]:
    """Counts for the console and the run table; the quality of the hub siting (total walking minutes and its
    bound) and of the mobile points (their number and its bound) are kept apart."""
    hh = layers["households"]
    hubs = [s for k, s in sitings.items() if k not in ("mobile", "area") or (k == "area" and plan.objective == "walk")]
    area = sitings.get("area")
    mobile = sitings.get("mobile")
    return {
        "households": int(len(hh)),
        "points": int(len(layers["hubs"])),
        "served": int(hh["served"].sum()),
        "unreachable": int((hh["code"] == "COVER-UNREACHABLE").sum()),
        "limit_min": plan.limit_min,
        # unrounded, the console rounding it once as the report does (rounded here to 0.001 first, 6.3354 became
        # 6.335, then 6.33 on the console against 6.34 in the report)
        "mean_walk_min": float(hh["walk_min"].mean()) if hh["walk_min"].notna().any() else None,
        "objective": float(sum(s.objective for s in hubs)),
        "bound": float(sum(s.bound for s in hubs)),
        "gap": max((s.gap for s in [*hubs, *([area] if area is not None else [])]), default=0.0),
        "covered_bound": None if area is None or plan.objective != "coverage" else float(area.bound),
        "mobile_points": int((layers["hubs"]["level"] == "mobile").sum()),
        # the fewest points in all (hubs and fixed ones included) that could put everyone within the limit
        "points_bound": None if mobile is None else float(mobile.bound),
        "mobile_gap": None if mobile is None else float(mobile.gap),
        # the mobile points' limit, and the households no given site brings within it (COVER-MOBILE-SHORT)
        "mobile_within": plan.mobile_within,
        "mobile_short": None if short is None else int(short.sum()),
        # the levels of the hubs sited, whose gap the summary gives: village, group, hub (over the area)
        "levels": [lvl for lvl in (*LEVELS, "hub") if any(
            k == "area" if lvl == "hub" else k.startswith(f"{lvl}:") for k in sitings)],
    }


def read_points(spec: str | None, working_crs: Any, kind: str, crs: Any = None) -> gpd.GeoDataFrame | None:
    """A layer or a CSV/Excel table of candidate or existing service points (``file`` or ``file::layer``, a
    workbook's sheet as its layer), read through :func:`yuanluo.gis.io.read_points` (same file checks and coded
    errors as every input; ``crs`` declares a table's coordinates), in the working CRS."""
    if spec is None:
        return None
    from yuanluo.gis.io import read_points as read
    from yuanluo.planners.workflows import split_layer

    path, layer = split_layer(spec)
    assert path is not None
    out = read(path, kind=kind, working_crs=working_crs, layer=layer, crs=crs)
    if not out.attrs.get("file"):  # a layer of a GeoPackage: named as given, for a later message about it
        out.attrs["file"] = str(spec)
    return out


def quality(res: Coverage) -> dict[str, Any]:
    """The quality of the siting for the ``run`` table: the real total walk (``total_walk_min``, the sum of every
    household's ``walk_min`` to its nearest point, those who cannot reach a point left out), then what the solver
    optimised for the hubs (``solver_objective``, ``solver_bound``: with ``--objective coverage`` the households
    within the limit; otherwise the real walking minutes of each level's households to that level's hubs, every
    walk however long, a household that cannot walk to them at all counted at ``penalty_min``, the longest walk
    any household has to any site it can walk to) and the gap, and the quality of the mobile points (their
    number)."""
    s = res.summary
    walk = pd.to_numeric(res.layers["households"]["walk_min"], errors="coerce")
    return {"total_walk_min": round(float(walk.sum()), 2), "solver_objective": round(s["objective"], 4),
            "solver_bound": round(s["bound"], 4), "gap": round(s["gap"], 6),
            "penalty_min": None if s.get("penalty_min") is None else round(float(s["penalty_min"]), 4),
            "mobile_points": s["mobile_points"], "points_lower_bound": s["points_bound"],
            "mobile_gap": s["mobile_gap"],
            # the villages and groups that got no hub, no candidate being within their reach (COVER-HUB-NONE)
            "no_hub": ", ".join(f"{lvl}:{n}" for lvl in LEVELS
                                for n in no_hub(res.sitings, lvl, res.layers["households"]))}


#: the layers :func:`output_layers` may give (``sites_left_out`` only when a given point was left out)
OUTPUT_LAYERS = ("households", "hubs", "coverage", "sites_left_out")


def output_layers(res: Coverage, lang: Any = "zh") -> dict[str, Any]:
    """The layers as written: households (``hub_id``, ``walk_min``, ``served``, ``code``, ``reason`` in ``lang``),
    hubs, the coverage table and, when some given point was left out, ``sites_left_out``."""
    hh = res.layers["households"].copy()
    reason = {code: text(f"cover.reason.{code}", lang, limit=f"{res.summary['limit_min']:g}")
              for code in ("COVER-UNREACHABLE", "COVER-FAR")}
    hh["reason"] = hh["code"].map(reason).astype("string")
    if hh.index.name and hh.index.name not in hh.columns:
        hh = hh.reset_index()
    out = {"households": hh, "hubs": served_in(res.layers["hubs"], lang), "coverage": res.layers["coverage"]}
    if "sites_left_out" in res.layers:
        out["sites_left_out"] = res.layers["sites_left_out"]
    return out
