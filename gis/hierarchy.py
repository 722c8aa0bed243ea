"""The organisation hierarchy of a delineation (Banan's six levels) as a directed tree.

::

    town (镇街党委)
     └ village (村党组织)                    column ``village``; missing -> one "（未分组）" node
        └ group (网格/村民小组党支部)         column ``group``;   missing -> one "（未分组）" node
           └ unit (院落)                      the plan's unit id; unassigned households -> "（未分配）"
              └ head (建议院落长)             the unit's suggested head, with its candidates (if any)
                 └ centre (党员中心户)        party-member households of the unit (if any)
                    └ household (农户)        every household exactly once, as a leaf

A unit's suggested head (建议院落长) and its candidates come from the unit table (``head_hid``,
``head_candidates``: the candidate nearest the meeting point by walking time, as the delineator chose it);
for a unit the table does not cover, its candidate heads (``head_col``) ordered by straight-line distance
to its meeting household (``meeting_hid``; else to the mean of its households), ties by hid. A unit
without a candidate has no head node, and what lies below it hangs directly under the unit.

A household is attached to the nearest party-member centre household of its unit (straight-line
distance; ties -> the smallest hid); a party member's own household hangs under its own centre; in a
unit without party members the households hang directly under the head (or the unit). The head's own
household is a leaf like every other.

Node ids are ``"town"``, ``"village:<v>"``, ``"group:<v>/<g>"``, ``"unit:<u>"``, ``"head:<u>"``,
``"centre:<hid>"`` and ``"household:<hid>"``; every node has ``level`` and ``name`` (a head's name is its
hid; ``candidates`` is the JSON list of the unit's candidates, the head first). Edges point from parent to
child. The placeholders (未分组, 未分配) are in the run's language (``lang``: "(not grouped)", "(unassigned)"),
from the catalogue.
No personal fields (names, phone numbers, persons) are copied into the graph.

A village is keyed as the nest key keys it (:func:`yuanluo.gis.keys.levels`): where the households have a town
column (乡镇, 街道 …) and a village division-code column, ``<v>`` is ``<town>/<code>/<village>`` (the parts
present), so 新华村 of 甲镇 and 新华村 of 乙镇 are two nodes, ``village:甲镇/新华村`` and ``village:乙镇/新华村``,
each with its ``town`` (and ``code``) attribute; the table's ``town`` column is the village's town. The root
is named by the town column's values (joined, where several) unless the caller names the town.

The order of places is the planner's roster (:func:`yuanluo.gis.keys.roster_order`, "The order of places" there):
the town's villages (and, with a town column, its towns) in the order the household file first names them, each
village's groups in the order it first names them within the village; a group's units by unit id (its unassigned
households last), a unit's households by hid. The nodes and edges of the graph, the files :func:`write_hierarchy`
writes, the rows of :func:`hierarchy_table` and the root's several towns all follow it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd

from yuanluo.gis.catalogue import Lang, text
from yuanluo.gis.columns import parse_bool
from yuanluo.gis.errors import InputError, OutputError, Problem, problem, require_metric
from yuanluo.gis.keys import BLANK, first_seen_order, levels, normalise
from yuanluo.gis.output import require_writer_free, write_bytes
from yuanluo.gis.units import _aligned_labels, _point_xy

__all__ = [
    "LEVELS",
    "UNASSIGNED",
    "UNGROUPED",
    "build_hierarchy",
    "hierarchy_table",
    "placeholders",
    "read_hierarchy",
    "run_language",
    "unit_heads",
    "write_hierarchy",
]

LEVELS = ("town", "village", "group", "unit", "head", "centre", "household")
#: the village or group of a household without one, and the unit of households in none (Chinese; see
#: :func:`placeholders` for the run's language)
UNGROUPED = text("hierarchy.ungrouped", "zh")
UNASSIGNED = text("hierarchy.unassigned", "zh")


def placeholders(lang: Lang = "zh") -> tuple[str, str]:
    """The names of a missing village or group and of the households in no unit, in ``lang``.

    >>> placeholders("en"), placeholders("zh") == (UNGROUPED, UNASSIGNED)
    (('(not grouped)', '(unassigned)'), True)
    """
    return text("hierarchy.ungrouped", lang), text("hierarchy.unassigned", lang)


def run_language(town: str) -> Lang:
    """The language a tree is built in when the caller does not say: Chinese when the town's name has a Chinese
    character (the default 镇), else English (the English run's default "Town").

    >>> run_language("镇"), run_language("Town"), run_language("鱼洞街道")
    ('zh', 'en', 'zh')
    """
    return "zh" if any("\u3400" <= ch <= "\u9fff" for ch in town) else "en"

#: node attributes that may be written to a file (nothing personal)
WRITE_ATTRS = (
    "level", "name", "hid", "unit_id", "filled", "mixed", "unassigned", "n_households", "n_units",
    "n_centres", "has_head", "n_heads", "status", "reason", "meeting_hid", "head_hid", "candidates",
    "n_candidates", "town", "code",
)


# ---------------------------------------------------------------------------------------------- helpers
def _flag(households: pd.DataFrame, col: str, problems: list[Problem]) -> np.ndarray | None:
    """Boolean column ``col`` (None when absent); values that are not yes/no are reported."""
    if col not in households.columns:
        return None
    s = households[col]
    if pd.api.types.is_bool_dtype(s.dtype):
        return s.fillna(False).to_numpy(dtype=bool)
    yes, bad_s = parse_bool(s)  # the yes/no words every reader of the household table takes
    bad = bad_s.to_numpy(dtype=bool)
    if bad.any():
        text = s.astype(object).where(s.notna(), "").astype(str).str.strip()
        values = sorted(set(text[bad].tolist()))[:5]
        problems.append(problem("HIER-BOOL", ids=households.index[bad].astype(str), column=col, values=values))
    return yes.to_numpy(dtype=bool)


def _names(households: pd.DataFrame, col: str, ungrouped: str) -> tuple[np.ndarray, bool]:
    """Values of an admin column as str, ``ungrouped`` where missing; and whether any was filled."""
    if col not in households.columns:
        return np.full(len(households), ungrouped, dtype=object), True
    s = households[col]
    text = s.astype(object).where(s.notna(), "").astype(str).str.strip()
    missing = (text == "").to_numpy()
    out = text.to_numpy(dtype=object)
    out[missing] = ungrouped
    return out, bool(missing.any())


def _id_part(name: str) -> str:
    return name.replace("/", "／")


#: between the parts of a composite village key (town, code, village) in the household frame
_PART = "\x1e"


def _above_village(households: pd.DataFrame, village_col: str) -> list[str]:
    """The town and village-code columns of ``households`` (:func:`yuanluo.gis.keys.levels`) that key a village
    with its name (only for the ``village`` column the nest key knows)."""
    lv = levels(households.columns)
    return lv[: lv.index(village_col)] if village_col == "village" and village_col in lv else []


def _village_keys(households: pd.DataFrame, village: np.ndarray, above: list[str], ungrouped: str) -> np.ndarray:
    """Each household's village as its composite key: the parts of ``above`` (normalised text, ``ungrouped``
    where blank) then the village's name, joined by :data:`_PART`."""
    if not above:
        return village
    parts = [normalise(households[c]).replace(BLANK, ungrouped).to_numpy(dtype=object) for c in above]
    return np.array([_PART.join(map(str, t)) for t in zip(*parts, village, strict=True)], dtype=object)


def _root_name(households: pd.DataFrame, above: list[str], town: str, lang: Lang) -> str:
    """The root's name: ``town`` as the caller gave it, but the placeholder (镇 / Town) gives way to the values of
    the town column, where there is one (several joined)."""
    from yuanluo.gis.columns import town_columns

    tc = [c for c in above if c in town_columns([c])]
    if not tc or town not in (text("cli.town", "zh"), text("cli.town", "en")):
        return town
    names = list(dict.fromkeys(v for v in normalise(households[tc[0]]).tolist() if v != BLANK))  # as typed
    return text("list.sep", lang).join(names) if names else town


def _majority(keys: pd.Series, values: pd.Series) -> pd.Series:
    """Most frequent value per key (ties -> smallest value), indexed by key."""
    cnt = pd.DataFrame({"k": keys.to_numpy(), "v": values.to_numpy()}).value_counts().reset_index(name="n")
    cnt = cnt.sort_values(["k", "n", "v"], ascending=[True, False, True], kind="stable")
    best = cnt.drop_duplicates("k", keep="first")
    return pd.Series(best["v"].to_numpy(), index=best["k"].to_numpy())


def _nearest_centre(unit: np.ndarray, hids: np.ndarray, xy: np.ndarray, member: np.ndarray) -> np.ndarray:
    """hid of the nearest party member of the same unit for every household (None where none)."""
    out = np.full(len(hids), None, dtype=object)
    if not member.any():
        return out
    hh = pd.DataFrame({"unit": unit, "hid": hids, "x": xy[:, 0], "y": xy[:, 1]})
    hh = hh[pd.notna(hh["unit"])]
    cen = hh[member[hh.index.to_numpy()]].rename(columns={"hid": "c", "x": "cx", "y": "cy"})
    pairs = hh.reset_index().merge(cen, on="unit", how="inner")
    pairs["d2"] = (pairs["x"] - pairs["cx"]) ** 2 + (pairs["y"] - pairs["cy"]) ** 2
    pairs = pairs.sort_values(["index", "d2", "c"], kind="stable").drop_duplicates("index", keep="first")
    out[pairs["index"].to_numpy()] = pairs["c"].to_numpy()
    # a party member is its own centre (distance 0; ties with co-located members go to the smallest hid,
    # so set it explicitly)
    out[member] = hids[member]
    return out


# ---------------------------------------------------------------------------------------------- build
def build_hierarchy(
    households: gpd.GeoDataFrame,
    labels: pd.Series,
    *,
    units: pd.DataFrame | None = None,
    town: str = "镇",
    village_col: str = "village",
    group_col: str = "group",
    party_col: str = "party_member",
    head_col: str = "head_candidate",
    lang: Lang | None = None,
) -> nx.DiGraph:
    """The organisation tree: town → village → group → unit → head (建议院落长) → centre → household.

    Parameters
    ----------
    households : GeoDataFrame
        Household points in a projected CRS (metres), index ``hid``.
    labels : Series
        Unit id per ``hid``; unassigned households go to a "（未分配）" unit of their group.
    units : DataFrame, optional
        Unit table (``unit_id`` column or index); ``status``, ``reason`` and ``meeting_hid`` are
        copied onto the unit nodes; ``head_hid`` and ``head_candidates`` (JSON list), where present, give
        the units' heads.
    town : str
        Name of the root node.
    village_col, group_col : str
        Admin columns; where absent or empty a single "（未分组）" node is used (``filled=True``), named in
        ``lang``.
    party_col : str
        Yes/no column of party members; these become the centre households.
    head_col : str
        Yes/no column of candidate heads; counted per unit (``has_head``, ``n_heads``), and the heads of
        the units the unit table does not give.
    lang : {"zh", "en"}, optional
        The run's language, of the placeholder names (:func:`placeholders`); by default the language of
        ``town`` (:func:`run_language`).

    Returns
    -------
    networkx.DiGraph
        Edges parent → child; node attributes ``level`` (one of :data:`LEVELS`) and ``name``, plus
        counts (``n_households``) and flags (``filled``, ``mixed`` for a unit whose households span
        several villages/groups: it hangs under the majority one).

    Raises
    ------
    CRSError, InputError
        Households not in a metric CRS; labels of unknown households (``UNIT-LABEL-UNKNOWN``);
        yes/no columns with other values (``HIER-BOOL``). All problems are reported at once.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> hh = gpd.GeoDataFrame({"party_member": [True, False, False]},
    ...     geometry=gpd.points_from_xy([0, 10, 100], [0, 0, 0]),
    ...     index=pd.Index(["a", "b", "c"], name="hid"), crs="EPSG:4545")
    >>> g = build_hierarchy(hh, pd.Series({"a": "U1", "b": "U1", "c": "U2"}))
    >>> sorted(g.successors("unit:U1")), sorted(g.successors("centre:a")), list(g.successors("unit:U2"))
    (['centre:a'], ['household:a', 'household:b'], ['household:c'])
    >>> hh["head_candidate"] = [False, True, True]
    >>> g = build_hierarchy(hh, pd.Series({"a": "U1", "b": "U1", "c": "U2"}))
    >>> list(g.successors("unit:U1")), list(g.successors("head:U1")), g.nodes["head:U2"]["candidates"]
    (['head:U1'], ['centre:a'], '["c"]')
    """
    if not isinstance(households, gpd.GeoDataFrame):
        raise InputError(problem("UNIT-NOT-POINTS", kind=type(households).__name__))
    require_metric(households, "households", "hh")
    problems: list[Problem] = []
    xy = _point_xy(households, problems)
    unit = _aligned_labels(households, labels, problems)
    party = _flag(households, party_col, problems)
    head = _flag(households, head_col, problems)
    if problems:
        raise InputError(problems)

    hids = households.index.astype(str).to_numpy(dtype=object)
    run_lang: Lang = lang if lang is not None else run_language(town)
    words = placeholders(run_lang)
    village, v_filled = _names(households, village_col, words[0])
    above = _above_village(households, village_col)
    village = _village_keys(households, village, above, words[0])
    town = _root_name(households, above, town, run_lang)
    town_of = [c for c in above if c not in _code_cols(above)][:1]
    group, g_filled = _names(households, group_col, words[0])
    member = party if party is not None else np.zeros(len(hids), dtype=bool)
    member = member & np.array([u is not None for u in unit], dtype=bool)
    centre = _nearest_centre(unit, hids, xy, member)
    df = pd.DataFrame({"hid": hids, "unit": unit, "village": village, "group": group, "centre": centre})
    df["head"] = head if head is not None else False
    mixed = _place_units(df, words[1])
    rank = _roster_rank(df)
    heads = unit_heads(df, xy, units, head)
    top = df["unit_node"].map({"unit:" + u: "head:" + u for u in heads}).astype(object)
    df["top"] = np.where(top.notna(), top, df["unit_node"].astype(object))

    g = nx.DiGraph(town=town, levels=list(LEVELS))
    g.add_node("town", level="town", name=town, n_households=len(df))
    extra_units = _extra_units(units, set(df["unit"].dropna().tolist()), words[0])
    _add_villages_and_groups(g, set(df["parent_vg"].tolist()) | {vg for _, vg in extra_units}, rank,
                             v_filled=v_filled, g_filled=g_filled, ungrouped=words[0],
                             kinds=["town" if c in town_of else "code" for c in above])
    unit_rows = _unit_attrs(units)
    _add_units(g, df, mixed, unit_rows, rank, with_heads=head is not None, unassigned=words[1])
    _add_heads(g, heads)
    for uid, vg in extra_units:
        v, gr = vg.split("\x1f")
        g.add_node("unit:" + uid, level="unit", name=uid, unit_id=uid, unassigned=False, mixed=False,
                   n_households=0, n_centres=0, **unit_rows.get(uid, {}))
        g.add_edge("group:" + _vid(v) + "/" + _id_part(gr), "unit:" + uid)
    _add_leaves(g, df)
    _count_up(g)
    return g


def _place_units(df: pd.DataFrame, unassigned: str) -> pd.Series:
    """Add ``unit_node`` and ``parent_vg`` (village\x1fgroup) to the household frame; the mixed units.

    A unit hangs under the village and group of the majority of its households; unassigned
    households go to one "（未分配）" unit per group (``unassigned``: its name in the run's language).
    """
    assigned = df["unit"].notna()
    if assigned.any():
        key = df.loc[assigned, "unit"]
        vg = df.loc[assigned, "village"] + "\x1f" + df.loc[assigned, "group"]
        unit_vg = _majority(key, vg)
        mixed = vg.groupby(key.to_numpy()).nunique() > 1
    else:
        unit_vg, mixed = pd.Series(dtype=object), pd.Series(dtype=bool)
    vg_all = df["village"] + "\x1f" + df["group"]
    df["unit_node"] = np.where(
        assigned,
        "unit:" + df["unit"].fillna(""),
        "unit:" + unassigned + "@" + df["village"].map(_vid) + "/" + df["group"].map(_id_part),
    )
    df["parent_vg"] = np.where(assigned, df["unit"].map(unit_vg).astype(object).fillna(""), vg_all)
    return mixed


def _roster_rank(df: pd.DataFrame) -> dict[str, int]:
    """Each village\\x1fgroup of the households (``df``'s ``village``, its composite key, and ``group``) -> its rank
    in the roster's order: :func:`yuanluo.gis.keys.first_seen_order` over the village key's parts (town, code,
    village) and the group, the order :func:`yuanluo.gis.keys.roster_order` gives the same columns.

    >>> villages = [_PART.join(p) for p in [("乙镇", "新华村"), ("甲镇", "新华村"), ("乙镇", "长江村"), ("乙镇", "新华村")]]
    >>> df = pd.DataFrame({"village": villages, "group": ["二组", "一组", "一组", "一组"]})
    >>> rank = _roster_rank(df)
    >>> [rank[v + chr(0x1f) + g] for v, g in zip(df["village"], df["group"])]
    [0, 3, 2, 1]
    """
    if not len(df):
        return {}
    village = df["village"].astype(str)
    parts = village.str.split(_PART, regex=False, expand=True)
    rank = first_seen_order(*(parts[c].to_numpy(dtype=object) for c in parts.columns), df["group"].to_numpy())
    vg = (village + "\x1f" + df["group"].astype(str)).to_numpy(dtype=object)
    return {str(k): int(r) for k, r in pd.Series(rank).groupby(vg, sort=True).min().items()}


def _by_roster(vgs: set[str], rank: dict[str, int]) -> list[str]:
    """``vgs`` (village\\x1fgroup) in the roster's order; one no household has (a unit table's own) after, sorted."""
    return sorted(vgs, key=lambda vg: (rank.get(vg, len(rank)), vg))


def _code_cols(columns: list[str]) -> list[str]:
    from yuanluo.gis.columns import code_columns

    return code_columns(columns)


def _vid(v: str) -> str:
    """The id part of a (composite) village key: its parts joined by ``/``."""
    return "/".join(_id_part(p) for p in v.split(_PART))


def _add_villages_and_groups(g: nx.DiGraph, vgs: set[str], rank: dict[str, int], *, v_filled: bool,
                             g_filled: bool, ungrouped: str, kinds: list[str] | None = None) -> None:
    """Village nodes under the town and group nodes under their village, in the roster's order (``rank``:
    :func:`_roster_rank`); a composite village key's first parts (``kinds``: "town", "code") become the village
    node's attributes of those names."""
    for vg in _by_roster(vgs, rank):
        v, gr = vg.split("\x1f")
        parts = v.split(_PART)
        name = parts[-1]
        vid, gid = "village:" + _vid(v), "group:" + _vid(v) + "/" + _id_part(gr)
        if vid not in g:
            extra = dict(zip(kinds or [], parts[:-1], strict=False)) if len(parts) > 1 else {}
            g.add_node(vid, level="village", name=name, filled=name == ungrouped and v_filled, **extra)
            g.add_edge("town", vid)
        g.add_node(gid, level="group", name=gr, filled=gr == ungrouped and g_filled)
        g.add_edge(vid, gid)


def _add_units(g: nx.DiGraph, df: pd.DataFrame, mixed: pd.Series, unit_rows: dict[str, dict[str, Any]],
               rank: dict[str, int], *, with_heads: bool, unassigned: str) -> None:
    """One node per unit with households (and per group's unassigned households), under its group: the groups in
    the roster's order (``rank``), a group's units by unit id, its unassigned households last."""
    groups = dict(tuple(df.groupby("unit_node", sort=True)))
    place = {str(node): (rank.get(str(grp["parent_vg"].iloc[0]), len(rank)), str(grp["parent_vg"].iloc[0]),
                         bool(grp["unit"].isna().iloc[0]), str(node)) for node, grp in groups.items()}
    for node in sorted(groups, key=lambda n: place[str(n)]):
        grp = groups[node]
        first = grp["unit"].iloc[0]
        uid = None if pd.isna(first) else str(first)
        v, gr = str(grp["parent_vg"].iloc[0]).split("\x1f")
        attrs: dict[str, Any] = {
            "level": "unit",
            "name": uid if uid is not None else unassigned,
            "unit_id": uid if uid is not None else "",
            "unassigned": uid is None,
            "mixed": bool(mixed.get(uid, False)) if uid is not None else False,
            "n_households": len(grp),
            "n_centres": int(grp["centre"].dropna().nunique()),
        }
        if with_heads:
            attrs["n_heads"] = int(grp["head"].sum())
            attrs["has_head"] = bool(attrs["n_heads"] > 0)
        if uid is not None:
            attrs.update(unit_rows.get(uid, {}))
        g.add_node(str(node), **attrs)
        g.add_edge("group:" + _vid(v) + "/" + _id_part(gr), str(node))


def _given_heads(units: pd.DataFrame | None) -> dict[str, list[str]]:
    """unit_id -> its candidates, the suggested head first, from the unit table (``[]``: none)."""
    if units is None or not len(units) or "head_hid" not in (units.reset_index().columns):
        return {}
    tab = units.reset_index() if "unit_id" not in units.columns else units
    out: dict[str, list[str]] = {}
    for uid, hid, listed in zip(tab["unit_id"].astype(str), tab["head_hid"],
                                tab["head_candidates"] if "head_candidates" in tab else [None] * len(tab),
                                strict=True):
        head = "" if pd.isna(hid) else str(hid)
        try:
            cands = [str(c) for c in json.loads(listed)] if isinstance(listed, str) else []
        except (ValueError, TypeError):
            cands = []
        out[uid] = [head, *[c for c in cands if c != head]] if head else []
    return out


def unit_heads(df: pd.DataFrame, xy: np.ndarray, units: pd.DataFrame | None,
               head: np.ndarray | None) -> dict[str, list[str]]:
    """unit_id -> its candidate heads, the suggested head (建议院落长) first; units without one are left out.

    The unit table's ``head_hid``/``head_candidates`` where it has them; otherwise the unit's candidates
    (``head``) by straight-line distance to its meeting household (else to the mean of its households),
    ties by hid. ``df`` has ``hid`` and ``unit`` per household, aligned with ``xy``.
    """
    given = _given_heads(units)
    out = {u: c for u, c in given.items() if c}
    if head is None:
        return out
    pos = pd.DataFrame({"unit": df["unit"].to_numpy(), "hid": df["hid"].to_numpy(), "x": xy[:, 0], "y": xy[:, 1]})
    pos = pos[pos["unit"].notna() & ~pos["unit"].astype(str).isin(given)]
    ref = pos.groupby("unit")[["x", "y"]].mean()
    meet = _unit_attrs(units)
    at = pos.set_index("hid")[["x", "y"]]
    for uid in ref.index:
        m = meet.get(str(uid), {}).get("meeting_hid")
        if m is not None and m in at.index:
            ref.loc[uid] = at.loc[m].to_numpy()
    cand = pos[head[pos.index.to_numpy()]].join(ref.rename(columns={"x": "x_ref", "y": "y_ref"}), on="unit")
    cand["d2"] = (cand["x"] - cand["x_ref"]) ** 2 + (cand["y"] - cand["y_ref"]) ** 2
    for uid, grp in cand.sort_values(["unit", "d2", "hid"], kind="stable").groupby("unit", sort=True):
        out[str(uid)] = grp["hid"].astype(str).tolist()
    return dict(sorted(out.items()))


def _add_heads(g: nx.DiGraph, heads: dict[str, list[str]]) -> None:
    """A head node under every unit that has a suggested head, in the units' order."""
    for node in [n for n, lv in g.nodes(data="level") if lv == "unit"]:
        uid = str(g.nodes[node]["unit_id"])
        cands = heads.get(uid)
        if g.nodes[node]["unassigned"] or not cands:
            continue
        g.add_node("head:" + uid, level="head", name=cands[0], hid=cands[0], unit_id=uid,
                   candidates=json.dumps(cands, ensure_ascii=False), n_candidates=len(cands))
        g.add_edge("unit:" + uid, "head:" + uid)
        g.nodes["unit:" + uid]["head_hid"] = cands[0]


def _add_leaves(g: nx.DiGraph, df: pd.DataFrame) -> None:
    """Centre households under their unit's head (or unit), then every household under its centre (or its
    unit's head, or its unit): unit by unit in the units' order, a unit's households by hid."""
    unit_at = {n: i for i, (n, lv) in enumerate(g.nodes(data="level")) if lv == "unit"}
    order = df.assign(_at=df["unit_node"].map(unit_at)).sort_values(["_at", "hid"], kind="stable")
    cen = order[order["centre"].notna() & (order["centre"] == order["hid"])]
    g.add_nodes_from(("centre:" + h, {"level": "centre", "name": h, "hid": h}) for h in cen["hid"])
    g.add_edges_from(zip(cen["top"], "centre:" + cen["hid"], strict=True))
    g.add_nodes_from(("household:" + h, {"level": "household", "name": h, "hid": h}) for h in order["hid"])
    parent = np.where(order["centre"].notna(), "centre:" + order["centre"].fillna(""), order["top"])
    g.add_edges_from(zip(parent, "household:" + order["hid"], strict=True))


def _extra_units(units: pd.DataFrame | None, present: set[str], ungrouped: str) -> list[tuple[str, str]]:
    """Units of the unit table without any household: (unit_id, village\\x1fgroup)."""
    if units is None or not len(units):
        return []
    tab = units.reset_index() if "unit_id" not in units.columns else units
    out = []
    for _, row in tab.sort_values("unit_id").iterrows():
        uid = str(row["unit_id"])
        if uid in present:
            continue
        v = str(row["village"]) if "village" in tab and pd.notna(row["village"]) and str(row["village"]) else ungrouped
        gr = str(row["group"]) if "group" in tab and pd.notna(row["group"]) and str(row["group"]) else ungrouped
        out.append((uid, v + "\x1f" + gr))
    return out


def _unit_attrs(units: pd.DataFrame | None) -> dict[str, dict[str, Any]]:
    if units is None or not len(units):
        return {}
    tab = units.reset_index() if "unit_id" not in units.columns else units
    cols = [c for c in ("status", "reason", "meeting_hid") if c in tab.columns]
    out: dict[str, dict[str, Any]] = {}
    for rec in tab[["unit_id", *cols]].to_dict("records"):
        out[str(rec["unit_id"])] = {c: str(rec[c]) for c in cols if pd.notna(rec[c])}
    return out


def _count_up(g: nx.DiGraph) -> None:
    """n_households on village and group nodes, n_units on town/village/group nodes."""
    for level in ("group", "village", "town"):
        for node in sorted(n for n, d in g.nodes(data=True) if d["level"] == level):
            kids = sorted(g.successors(node))
            g.nodes[node]["n_households"] = int(sum(g.nodes[k].get("n_households", 0) for k in kids))
            if level == "group":
                g.nodes[node]["n_units"] = sum(1 for k in kids if not g.nodes[k].get("unassigned", False))
            else:
                g.nodes[node]["n_units"] = int(sum(g.nodes[k].get("n_units", 0) for k in kids))


# ---------------------------------------------------------------------------------------------- table
def hierarchy_table(graph: nx.DiGraph) -> pd.DataFrame:
    """One row per household with its path up the tree.

    Returns
    -------
    DataFrame
        Index ``hid``, in the tree's order (its towns, villages and groups in the roster's order, a group's units
        by unit id, a unit's households by hid); columns ``town``, ``village``, ``group``, ``unit_id`` (empty for
        unassigned households), ``head_hid`` (the unit's suggested head, 建议院落长; missing when the unit has
        no candidate), ``centre_hid`` (missing when the unit has no party member).

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> hh = gpd.GeoDataFrame({"village": ["V", "V"], "party_member": [False, True]},
    ...     geometry=gpd.points_from_xy([0, 10], [0, 0]),
    ...     index=pd.Index(["a", "b"], name="hid"), crs="EPSG:4545")
    >>> hierarchy_table(build_hierarchy(hh, pd.Series({"a": "U1", "b": "U1"}))).values.tolist()
    [['镇', 'V', '（未分组）', 'U1', None, 'b'], ['镇', 'V', '（未分组）', 'U1', None, 'b']]
    """
    parent = pd.Series({v: u for u, v in graph.edges}, dtype=object)
    level = pd.Series(dict(graph.nodes(data="level")), dtype=object)
    leaves = sorted(n for n, lv in level.items() if lv == "household")
    cols: dict[str, list[Any]] = {}
    cur = pd.Series(leaves, index=leaves, dtype=object)
    found: dict[str, pd.Series] = {}
    for _ in range(len(LEVELS)):
        cur = cur.map(parent)
        if cur.isna().all():
            break
        lv = cur.map(level)
        for name in ("centre", "head", "unit", "group", "village", "town"):
            hit = lv == name
            if hit.any():
                found[name] = pd.concat([found.get(name, pd.Series(dtype=object)), cur[hit]])
    attrs = dict(graph.nodes(data=True))

    def col(name: str, attr: str) -> list[Any]:
        s = found.get(name, pd.Series(dtype=object)).reindex(leaves)
        return [attrs[n].get(attr) if isinstance(n, str) else None for n in s]

    town_of_village = col("village", "town")
    cols["town"] = [t if t is not None else r for t, r in zip(town_of_village, col("town", "name"), strict=True)]
    cols["village"] = col("village", "name")
    cols["group"] = col("group", "name")
    cols["unit_id"] = col("unit", "unit_id")
    cols["head_hid"] = col("head", "hid")
    cols["centre_hid"] = col("centre", "hid")
    hid = [attrs[n]["hid"] for n in leaves]
    out = pd.DataFrame(cols, index=pd.Index(hid, name="hid"), dtype=object)
    # the rows as the tree lists them: by the place of each household's unit among the tree's nodes, then by hid
    place = {n: i for i, n in enumerate(nx.dfs_preorder_nodes(graph, _root(graph)))}
    units = found.get("unit", pd.Series(dtype=object)).reindex(leaves)
    at = [place.get(u, len(place)) if isinstance(u, str) else len(place) for u in units]
    return out.iloc[np.lexsort((np.asarray(hid, dtype=object).astype(str), np.asarray(at)))]


def _root(graph: nx.DiGraph) -> str | None:
    """The tree's root: the town node (a graph without one: its first node without a parent; None if empty)."""
    if "town" in graph:
        return "town"
    return next((n for n, d in graph.in_degree() if d == 0), None)


# ---------------------------------------------------------------------------------------------- files
def _clean_copy(graph: nx.DiGraph) -> nx.DiGraph:
    g = nx.DiGraph()
    g.graph.update({"town": str(graph.graph.get("town", "")), "levels": ",".join(LEVELS)})
    for n, d in graph.nodes(data=True):
        g.add_node(n, **{k: d[k] for k in WRITE_ATTRS if k in d and d[k] is not None})
    g.add_edges_from(graph.edges)
    return g


def write_hierarchy(graph: nx.DiGraph, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write the tree as GraphML (``.graphml``) or node-link JSON (``.json``), atomically.

    Only structural attributes (:data:`WRITE_ATTRS`) are written. The file appears complete or not at
    all (:func:`yuanluo.gis.output.write_bytes`). Checked before any work, as every library writer checks it
    (:func:`yuanluo.gis.output.require_writer_free`): an existing file is kept, ``OUT-EXISTS``, unless
    ``overwrite=True``; inside a command (``yuanluo delineate --hierarchy``, which checked its outputs first) the
    command's ``--overwrite`` decides.

    Raises
    ------
    OutputError
        ``HIER-FORMAT`` for another suffix, ``OUT-EXISTS`` for an existing file without ``overwrite=True``,
        ``OUT-WRITE`` (with the cause) when the file cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "org.json"
    >>> write_hierarchy(nx.DiGraph([("V001", "U001")]), out).name
    'org.json'
    >>> try:
    ...     write_hierarchy(nx.DiGraph([("V001", "U002")]), out)
    ... except OutputError as e:
    ...     print(e.codes)
    ['OUT-EXISTS']
    >>> list(read_hierarchy(write_hierarchy(nx.DiGraph([("V001", "U002")]), out, overwrite=True)).edges)
    [('V001', 'U002')]
    """
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix not in (".graphml", ".json"):
        raise OutputError(problem("HIER-FORMAT", file=str(out), suffix=suffix or "(none)"))
    require_writer_free([(out, (".graphml", ".json"))], overwrite=overwrite)
    g = _clean_copy(graph)
    if suffix == ".graphml":
        data = "\n".join(nx.generate_graphml(g, encoding="utf-8", prettyprint=True)) + "\n"
    else:
        data = json.dumps(nx.node_link_data(g, edges="edges"), ensure_ascii=False, indent=1, sort_keys=True)
    write_bytes(out, data.encode("utf-8"), overwrite=overwrite)
    return out


def read_hierarchy(path: str | os.PathLike[str]) -> nx.DiGraph:
    """Read a tree written by :func:`write_hierarchy`."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".graphml":
        g = nx.read_graphml(p)
    elif suffix == ".json":
        g = nx.node_link_graph(json.loads(p.read_text(encoding="utf-8")), edges="edges")
    else:
        raise OutputError(problem("HIER-FORMAT", file=str(p), suffix=suffix or "(none)"))
    return nx.DiGraph(g)
