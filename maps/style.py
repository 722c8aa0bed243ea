"""Shared look of Yuanluo maps: labels (zh / en), palette, unit colouring, personal fields.

Examples
--------
>>> colour_units(["U1", "U2", "U3"], [("U1", "U2"), ("U2", "U3")])
{'U1': 1, 'U2': 0, 'U3': 1}
>>> label("households", "en")
'Households'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
import yuanluo.gis.columns as _gis_columns

Lang = Literal["zh", "en"]

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

STAMP = "内部工作用图"

LABELS: dict[str, dict[str, str]] = {
    "households": {"zh": "农户", "en": "Households"},
    "units": {"zh": "院落范围", "en": "Unit territories"},
    "meeting_points": {"zh": "议事点", "en": "Meeting points"},
    "exceptions": {"zh": "例外与违规", "en": "Exceptions and violations"},
    "rivers": {"zh": "河流", "en": "Rivers"},
    "roads": {"zh": "道路", "en": "Roads"},
    "boundary": {"zh": "边界", "en": "Boundary"},
    "hillshade": {"zh": "地形晕渲", "en": "Hillshade"},
    "unit_id": {"zh": "院落编号", "en": "Unit"},
    "hid": {"zh": "户编号", "en": "Household"},
    "n_households": {"zh": "户数", "en": "Households"},
    "persons": {"zh": "人数", "en": "Persons"},
    "status": {"zh": "状态", "en": "Status"},
    "reason": {"zh": "原因", "en": "Reason"},
    "meeting_hid": {"zh": "议事点（户）", "en": "Meeting point (household)"},
    "mean_walk_min": {"zh": "平均步行（分钟）", "en": "Mean walk (min)"},
    "max_walk_min": {"zh": "最远步行（分钟）", "en": "Longest walk (min)"},
    "village": {"zh": "行政村", "en": "Village"},
    "group": {"zh": "村民小组", "en": "Villager group"},
    "settlement": {"zh": "自然院落", "en": "Settlement"},
    "head_candidate": {"zh": "院落长候选", "en": "Head candidate"},
    "rule": {"zh": "规则", "en": "Rule"},
    "ok": {"zh": "符合规模", "en": "within the size band"},
    "exception": {"zh": "例外（未能满足规模）", "en": "exception (outside the size band)"},
    "unassigned": {"zh": "未分配", "en": "unassigned"},
    "violation": {"zh": "违规", "en": "violation"},
    "search": {"zh": "查找户编号或院落编号", "en": "Find household or unit id"},
    "not_found": {"zh": "未找到", "en": "not found"},
    "locate": {"zh": "我的位置", "en": "Where am I"},
    "fullscreen": {"zh": "全屏", "en": "Full screen"},
    "exit_fullscreen": {"zh": "退出全屏", "en": "Exit full screen"},
    "legend": {"zh": "图例", "en": "Legend"},
    "unit_colour": {"zh": "院落（相邻院落颜色不同）", "en": "Unit (neighbours differ in colour)"},
    "title": {"zh": "院落划分图", "en": "Courtyard units"},
    "n_units": {"zh": "院落数", "en": "Units"},
    "stamp": {"zh": STAMP, "en": STAMP + " (internal working map)"},
    "north": {"zh": "北", "en": "N"},
    "scale": {"zh": "比例尺", "en": "Scale"},
    "osm_attribution": {"zh": "底图数据 © OpenStreetMap 贡献者", "en": "Map data © OpenStreetMap contributors"},
    "gps_gcj_warning": {
        "zh": "高德底图：图上数据已偏移至 GCJ-02 显示，GPS 定位点未偏移，会相差数百米。",
        "en": "AMap basemap: data shifted to GCJ-02 for display; the GPS dot is not and sits a few hundred m off.",
    },
}

# One list of personal columns for the whole project: yuanluo.gis.columns (PIPL: kept out of maps unless asked).
PERSONAL_COLUMNS = _gis_columns.PERSONAL_COLUMNS
is_personal = _gis_columns.is_personal
personal_columns = _gis_columns.personal_columns


def label(key: str, lang: Lang = "zh") -> str:
    """The display text of ``key`` in ``lang`` (falls back to the key itself)."""
    entry = LABELS.get(key)
    return entry.get(lang, entry["zh"]) if entry else key


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
    ids = sorted({str(u) for u in units})
    pos = {u: i for i, u in enumerate(ids)}
    nbrs: list[set[int]] = [set() for _ in ids]
    for a, b in pairs:
        ia, ib = pos.get(str(a)), pos.get(str(b))
        if ia is None or ib is None or ia == ib:
            continue
        nbrs[ia].add(ib)
        nbrs[ib].add(ia)
    order = sorted(range(len(ids)), key=lambda i: (-len(nbrs[i]), ids[i]))
    colour = np.full(len(ids), -1, dtype=np.int64)
    for i in order:
        used = {int(colour[j]) for j in nbrs[i] if colour[j] >= 0}
        c = 0
        while c in used:
            c += 1
        colour[i] = c
    return {u: int(colour[i]) for i, u in enumerate(ids)}


def unit_colours(units: Sequence[str], pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Hex colour per unit id from :func:`colour_units` (palette cycles past its length)."""
    return {u: PALETTE[c % len(PALETTE)] for u, c in colour_units(units, pairs).items()}


def touching_pairs(territories: Any) -> list[tuple[str, str]]:
    """Pairs of unit ids whose territories touch or overlap (a GeoDataFrame with ``unit_id``)."""
    if territories is None or len(territories) == 0:
        return []
    geoms = territories.geometry.values
    ids = territories["unit_id"].astype(str).to_numpy()
    left, right = territories.sindex.query(geoms, predicate="intersects")
    keep = left < right
    return [(str(ids[a]), str(ids[b])) for a, b in zip(left[keep], right[keep], strict=True)]


def adjacency_pairs(layers: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Unit adjacency from the ``unit_adjacency`` layer plus territories that touch."""
    pairs: list[tuple[str, str]] = []
    adj = layers.get("unit_adjacency")
    if adj is not None and len(adj) and {"unit_a", "unit_b"} <= set(adj.columns):
        a = adj["unit_a"].astype(str).to_numpy()
        b = adj["unit_b"].astype(str).to_numpy()
        pairs += list(zip(a.tolist(), b.tolist(), strict=True))
    units = layers.get("units")
    if units is not None and "unit_id" in getattr(units, "columns", ()) and hasattr(units, "sindex"):
        pairs += touching_pairs(units[units.geometry.notna() & ~units.geometry.is_empty])
    return pairs


def household_status(households: pd.DataFrame) -> pd.Series:
    """``"ok"``, ``"exception"`` or ``"unassigned"`` for each household (index kept)."""
    unit = households["unit_id"] if "unit_id" in households else pd.Series(pd.NA, index=households.index)
    if "unit_status" in households:
        status = households["unit_status"].astype("string").fillna("ok").str.strip().str.lower()
        status = status.where(status.isin(["ok", "exception", "unassigned"]), "exception")
    else:
        status = pd.Series("ok", index=households.index, dtype="string")
    missing = unit.isna() | (unit.astype("string").str.strip() == "")
    return status.mask(missing, "unassigned").astype(str)
