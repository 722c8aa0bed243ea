"""The shared keys of households: the nest key (one key per villager group within its village) and the
location key (households at one location), computed the same way by the delineator, the check, the
repair and the invariants.

The rule for values
-------------------
A nest column's values are compared as text with the surrounding whitespace removed (``" 1 "`` is
``"1"``; the number ``1`` is ``"1"``). A *blank* cell — missing (``NaN``/``None``), empty or only
whitespace — is a value of its own, :data:`BLANK`: households with a blank group share a key with each
other (within the same village), never with a named group. So a unit never mixes a blank and a named
group, and the check reports a unit that does, like any other straddle.

Columns nest in the order given: group ``"1"`` of village ``A`` and group ``"1"`` of village ``B`` are two
keys. Columns absent from the table are skipped; without any, every household has key 0.

The levels above
----------------
A villager group belongs to its village and a village to its town, whatever ``nest_by`` names. The table's
administrative levels, coarsest first, are its town column (乡镇, 街道 …:
:func:`yuanluo.gis.columns.town_columns`), its village division-code column (行政区划代码, 行政村代码 …:
:func:`yuanluo.gis.columns.code_columns`), ``village`` and ``group``. The key of a ``nest_by`` column that is
one of these levels always takes in every coarser level present in the table (:func:`key_columns`): with a
town column, 新华村 of 甲镇 and 新华村 of 乙镇 are two villages under ``nest_by = ("village", "group")``; under
``nest_by = ("group",)`` 一组 of 新华村 and 一组 of 胜利村 are two groups; two villages of one name whose
codes differ are two villages. A column that is no level (a settlement, any other) is keyed as given.

The order of places
-------------------
The key numbers the groups in sorted order of their values: a number for telling groups apart, the same whatever
the order of the rows. It is no order to list places in: sorted by code point, 乙镇 (U+4E59) comes before 甲镇
(U+7532) and 三组 before 二组, which is alphabetical to no one (nor is pinyin order the planner's: a town lists its
villages in its own order). Every output that lists towns, villages or groups (the reports' village line, the
coverage tables, the maturity headings, the print sheets) lists them in the order of the planner's own roster,
:func:`roster_order`: the towns in the order the household file first names them, each town's villages together
in the order the file first names them within it, and so on down; the same file gives the same order.

Examples
--------
>>> import pandas as pd
>>> hh = pd.DataFrame({"village": ["A", "A ", "B", "A", None], "group": ["1", "1", "1", " ", "2"]})
>>> nest_key(hh, ["village", "group"]).tolist()
[2, 2, 3, 1, 0]
>>> normalise(hh["group"]).tolist() == ["1", "1", "1", BLANK, "2"]
True
>>> hh = pd.DataFrame({"乡镇": ["甲镇", "甲镇", "乙镇", "乙镇"], "village": ["新华村", "胜利村", "新华村", "新华村"],
...                    "group": ["一组", "一组", "一组", "二组"]})
>>> nest_key(hh, ["village"]).tolist(), nest_key(hh, ["group"]).tolist()
([1, 2, 0, 0], [2, 3, 0, 1])
>>> key_columns(hh, ["group"])
['乡镇', 'village', 'group']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

__all__ = ["BLANK", "is_blank", "normalise", "nest_columns", "levels", "key_columns", "nest_key", "nest_labels",
           "roster_order", "first_seen_order", "location_key"]

#: The value standing for a blank cell (sorts before every printable value).
BLANK = "\x00"
_SEP = "\x1f"


def normalise(values: pd.Series) -> pd.Series:
    """Values as text with surrounding whitespace removed, :data:`BLANK` for a blank cell (object dtype).

    >>> normalise(pd.Series([" a", None, "", 3, 2.5])).tolist() == ["a", BLANK, BLANK, "3", "2.5"]
    True
    """
    txt = values.astype(object).where(values.notna(), "").astype(str).str.strip()
    return txt.where(txt != "", BLANK).astype(object)


def is_blank(values: pd.Series) -> np.ndarray:
    """Whether each value is blank (:data:`BLANK` once normalised).

    >>> is_blank(pd.Series(["a", " ", None, 0])).tolist()
    [False, True, True, False]
    """
    return (normalise(values) == BLANK).to_numpy(dtype=bool)


def nest_columns(frame: pd.DataFrame, nest_by: Sequence[str] | str) -> list[str]:
    """The ``nest_by`` columns present in ``frame``, in the given order; a bare string is one column (as
    ``Rules(nest_by=...)`` and ``UnitDelineator(nest_by=...)`` take it), never its letters.

    >>> nest_columns(pd.DataFrame(columns=["group", "x"]), ("village", "group"))
    ['group']
    >>> nest_columns(pd.DataFrame(columns=["group", "g"]), "group")
    ['group']
    """
    names = (nest_by,) if isinstance(nest_by, str) else nest_by
    return [c for c in names if c in frame.columns]


def levels(columns: Sequence[object] | pd.Index) -> list[str]:
    """The administrative levels among ``columns``, coarsest first: the first town column, the first village
    division-code column, ``village``, ``group`` (each where present).

    >>> levels(["group", "行政区划代码", "hid", "乡镇", "village", "镇"])
    ['乡镇', '行政区划代码', 'village', 'group']
    """
    from yuanluo.gis.columns import code_columns, town_columns

    cols = [str(c) for c in columns]
    town, code = town_columns(cols)[:1], code_columns(cols)[:1]
    return [*town, *code, *(c for c in ("village", "group") if c in cols)]


def key_columns(frame: pd.DataFrame, nest_by: Sequence[str] | str) -> list[str]:
    """The columns the nest key of ``nest_by`` compares: each present ``nest_by`` column, after the coarser
    :func:`levels` of the table where it is one of them, each once.

    >>> key_columns(pd.DataFrame(columns=["村编码", "village", "group", "settlement"]), ["group", "settlement"])
    ['村编码', 'village', 'group', 'settlement']
    >>> key_columns(pd.DataFrame(columns=["village", "group"]), ["village", "group"])
    ['village', 'group']
    """
    cols = nest_columns(frame, nest_by)
    lv = levels(frame.columns)
    out: list[str] = []
    for c in cols:
        if c in lv:
            out.extend(lv[: lv.index(c)])
        out.append(c)
    return list(dict.fromkeys(out))


def nest_key(frame: pd.DataFrame, nest_by: Sequence[str] | str) -> np.ndarray:
    """One integer key per row: rows with the same normalised values in every present ``nest_by`` column,
    and in the coarser levels of the table above each (:func:`key_columns`), share a key. Keys are numbered in
    sorted order of the values (blank first); 0 for all rows when no column is present."""
    cols = key_columns(frame, nest_by)
    if not cols:
        return np.zeros(len(frame), dtype=np.int64)
    key = pd.Series([""] * len(frame), index=frame.index, dtype=object)
    for c in cols:
        key = key + _SEP + normalise(frame[c])
    return pd.factorize(key.to_numpy(dtype=object), sort=True)[0].astype(np.int64)


def nest_labels(frame: pd.DataFrame, nest_by: Sequence[str] | str, *, key: np.ndarray | None = None) -> np.ndarray:
    """Per row, the name of its nest group at the last present ``nest_by`` column, as a message names it: the
    value alone where that value names one group, else its path through the coarser key columns joined by
    ``/`` (甲镇/新华村 and 乙镇/新华村, where the two towns each have a 新华村); :data:`BLANK` stays blank.
    ``key``: the rows' :func:`nest_key` of ``nest_by``, when the caller has it already.

    >>> hh = pd.DataFrame({"乡镇": ["甲镇", "乙镇", "乙镇"], "village": ["新华村", "新华村", "胜利村"]})
    >>> nest_labels(hh, ["village"]).tolist()
    ['甲镇/新华村', '乙镇/新华村', '胜利村']

    A division-code column is in the path only where the names alone do not tell the groups apart:

    >>> hh = hh.assign(村代码=["01", "02", "03"]); nest_labels(hh, ["village"]).tolist()
    ['甲镇/新华村', '乙镇/新华村', '胜利村']
    >>> nest_labels(hh.assign(乡镇="甲镇"), ["village"]).tolist()
    ['甲镇/01/新华村', '甲镇/02/新华村', '胜利村']
    """
    cols = key_columns(frame, nest_by)
    if not cols:
        return np.full(len(frame), "", dtype=object)
    parts = [normalise(frame[c]).to_numpy(dtype=object) for c in cols]
    last = parts[-1]
    key = nest_key(frame, nest_by) if key is None else key
    groups = pd.Series(key).groupby(pd.Series(last)).transform("nunique").to_numpy()
    path = np.array(["/".join(v for v in vs if v != BLANK) for vs in zip(*parts, strict=True)], dtype=object)
    from yuanluo.gis.columns import code_columns

    code = set(code_columns(cols))
    if code and cols[-1] not in code:  # the division code only where the names alone do not tell two groups apart (one town, two codes)
        named = [p for c, p in zip(cols, parts, strict=True) if c not in code]
        short = np.array(["/".join(v for v in vs if v != BLANK) for vs in zip(*named, strict=True)], dtype=object)
        one = pd.Series(key).groupby(pd.Series(short)).transform("nunique").to_numpy() == 1
        path = np.where(one, short, path).astype(object)
    blank = pd.Series(last, dtype=object).eq(BLANK).to_numpy(dtype=bool)  # numpy's `!= "\x00"` drops the NUL
    return np.where((groups > 1) & ~blank, path, last).astype(object)


def first_seen_order(*parts: Sequence[object] | np.ndarray | pd.Series) -> np.ndarray:
    """Per row, the rank of its place in roster order: ``parts`` are the levels of each row's place, coarsest first
    (town, village, group …: equal values are one place within the place above); the places of the first level are
    ranked in the order of their first row, the places within each in the order of their first row among its rows,
    and so on down. Ranks are 0, 1, … (one per distinct place); no part: every row 0.

    >>> first_seen_order(["乙镇", "甲镇", "乙镇", "甲镇"], ["新华村", "新华村", "长江村", "光明村"]).tolist()
    [0, 2, 1, 3]
    >>> first_seen_order(["二组", "一组", "三组", "一组"]).tolist()
    [0, 1, 2, 1]
    """
    if not parts:
        return np.zeros(0, dtype=np.int64)
    n = len(parts[0])
    key = pd.Series([""] * n, dtype=object)
    seen = []
    for p in parts:  # each level's place (with the places above it), numbered by its first row
        key = key + _SEP + pd.Series(np.asarray(p, dtype=object)).astype(str).to_numpy(dtype=object)
        seen.append(pd.factorize(key.to_numpy(dtype=object), sort=False)[0].astype(np.int64))
    if not n:
        return np.zeros(0, dtype=np.int64)
    _, rank = np.unique(np.column_stack(seen), axis=0, return_inverse=True)
    return np.asarray(rank, dtype=np.int64).reshape(-1)


def roster_order(frame: pd.DataFrame, nest_by: Sequence[str] | str) -> np.ndarray:
    """Per row, the rank of its nest group (:func:`nest_key`: the same groups) in the order of the planner's roster,
    ``frame``'s rows as they stand (:func:`first_seen_order` over :func:`key_columns`, values as :func:`normalise`
    has them): with a town column the towns in the order the file first names them, each town's villages together
    in the order it first names them within the town, and so on; 0 for all rows when no column is present. The
    order to list places in (see "The order of places" above); the same rows give the same order.

    >>> hh = pd.DataFrame({"乡镇": ["甲镇", "甲镇", "乙镇", "甲镇", "乙镇"],
    ...                    "village": ["新华村", "红星村", "新华村", "光明村", "长江村"]})
    >>> roster_order(hh, ["village"]).tolist(), nest_key(hh, ["village"]).tolist()
    ([0, 1, 3, 2, 4], [3, 4, 0, 2, 1])
    >>> roster_order(pd.DataFrame({"group": ["一组", "二组", "三组", " 一组"]}), ["group"]).tolist()
    [0, 1, 2, 0]
    """
    cols = key_columns(frame, nest_by)
    if not cols:
        return np.zeros(len(frame), dtype=np.int64)
    return first_seen_order(*(normalise(frame[c]).to_numpy(dtype=object) for c in cols))


def first_ranks(names: Sequence[Any] | np.ndarray, rank: Sequence[int] | np.ndarray) -> dict[Any, int]:
    """Each distinct name (any hashable: a label, a (town, village) pair) → the smallest rank of its rows
    (:func:`roster_order`), in the order of first appearance: where a list of places takes its order from the roster.

    >>> first_ranks(["光明村", "新华村", "光明村"], [2, 0, 1])
    {'光明村': 1, '新华村': 0}
    >>> first_ranks([("甲镇", "新华村"), ("乙镇", "新华村")], [0, 1])
    {('甲镇', '新华村'): 0, ('乙镇', '新华村'): 1}
    """
    codes, uniq = pd.factorize(np.asarray(list(names) + [None], dtype=object)[:-1], sort=False)
    best = pd.Series(np.asarray(rank, dtype=np.int64)).groupby(codes, sort=True).min()
    return {uniq[c]: int(r) for c, r in best.items()}


def location_key(n: int, u: np.ndarray, v: np.ndarray, length_m: np.ndarray) -> np.ndarray:
    """Location of each of ``n`` households: households joined by a zero-length edge (one building),
    directly or through others, share a location. Locations are numbered 0.. by their first household.

    >>> location_key(4, np.array([0, 1, 2]), np.array([2, 3, 3]), np.array([0.0, 5.0, 0.0])).tolist()
    [0, 1, 0, 0]
    """
    zero = np.asarray(length_m) == 0
    a = sp.coo_matrix((np.ones(int(zero.sum())), (np.asarray(u)[zero], np.asarray(v)[zero])), shape=(n, n))
    return np.asarray(connected_components(a.tocsr(), directed=False)[1], dtype=np.int64)
