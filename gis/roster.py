"""A roster of people (户籍花名册: one row per person) combined into one row per household.

Chinese village rosters often list people: the household id (户编号) repeats on each member's row, and a relation
column (与户主关系: 户主, 配偶, 子女 …, or their codes of GB/T 4761: 02, 10, 20 …, :data:`~yuanluo.gis.validate.RELATION_COLUMNS`,
:func:`~yuanluo.gis.validate.head_rows`) says who the head is. Such a
roster is combined automatically, since its relation column says in the file itself that its rows are people
(a roster without one stays ID-PERSONS-ROWS, and repeated ids without a head and other members stay ID-DUP):

* one household per id, its row the head's row (the file's row number, its order and its other cells);
* ``persons``: the number of its rows, unless the persons column gives a number: then the column's number is kept,
  and a number differing from the rows is said (ID-PERSONS-COUNT);
* a candidate head when any member is one (any candidate-head column: 政治面貌 = 中共党员, 党员 = 是 …): the
  head's row takes the first member's cell that says yes;
* coordinates from the head's row, or the members' common point when the head's row has none; members more
  than :data:`APART_M` metres apart are ID-PERSONS-APART (an error naming their rows);
* an id whose rows name no head, or several, is ID-PERSONS-HEAD (an error naming its rows);
* members differing in village, group or settlement (ID-PERSONS-PLACE) or in a plan's unit column (院落编号,
  unit_id …: ID-PERSONS-PLAN) are said, the head's row kept;
* said as ID-PERSONS-COMBINED: how many people were combined into how many households (counts only: no name,
  id-card number or phone reaches a message).
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from yuanluo.gis.columns import (
    BOOL_VALUES_SHOWN,
    STATUS_VALUES_SHOWN,
    is_status_column,
    parse_bool,
    parse_coordinate,
    parse_int,
    parse_political_status,
    to_id_strings,
)
from yuanluo.gis.errors import Problem, problem
from yuanluo.gis.plan import UNIT_ALIASES
from yuanluo.gis.validate import attr_problem, head_rows, relation_column

#: the names of a plan's unit column in a household file (:data:`yuanluo.gis.plan.UNIT_ALIASES`, as
#: ``check --unit-col`` reads it): members of one household in two units are ID-PERSONS-PLAN
PLAN_NAMES = frozenset(a.lower() for a in UNIT_ALIASES)
#: members of one household farther apart than this (metres) are no household's common point: ID-PERSONS-APART
APART_M = 50.0
#: metres in a degree of latitude (and of longitude at the equator), for the members' distances in degrees
_M_PER_DEG = 111_320.0


def _points(attrs: pd.DataFrame, geoms: gpd.GeoSeries | None,
            xy_cols: Sequence[str | None]) -> tuple[np.ndarray, np.ndarray]:
    """Each row's (x, y) as read (NaN where it has none or it does not parse: those are said later, on the rows
    kept)."""
    if geoms is not None:
        arr = geoms.to_numpy()
        pts = np.array([g is not None and not shapely.is_empty(g) and g.geom_type == "Point" for g in arr])
        x = np.full(len(arr), np.nan)
        y = np.full(len(arr), np.nan)
        if pts.any():
            x[pts] = shapely.get_x(arr[pts])
            y[pts] = shapely.get_y(arr[pts])
        return x, y
    xc, yc = xy_cols[0], xy_cols[1]
    if not xc or not yc or xc not in attrs.columns or yc not in attrs.columns:
        n = len(attrs)
        return np.full(n, np.nan), np.full(n, np.nan)
    return (parse_coordinate(attrs[xc].reset_index(drop=True))[0].to_numpy(dtype=float),
            parse_coordinate(attrs[yc].reset_index(drop=True))[0].to_numpy(dtype=float))


def _apart_m(x: np.ndarray, y: np.ndarray, at: int, geographic: bool) -> float:
    """The largest distance (metres) of the points ``x, y`` from point ``at``; degrees when ``geographic``."""
    dx, dy = x - x[at], y - y[at]
    if geographic:
        dx = dx * _M_PER_DEG * np.cos(np.radians(y[at]))
        dy = dy * _M_PER_DEG
    return float(np.max(np.hypot(dx, dy)))


class _Combined:
    """The rows of a roster of people as they are combined, household by household (:func:`combine_persons`)."""

    def __init__(self, frame: pd.DataFrame, geoms: gpd.GeoSeries | None, xy_cols: Sequence[str | None],
                 persons_col: str | None, head_cols: Sequence[str], geographic: bool | None,
                 place_cols: Sequence[str] = ()) -> None:
        self.frame, self.geographic = frame, geographic
        self.places = {c: frame[c].astype("object").map(lambda v: None if pd.isna(v) else str(v).strip() or None)
                       for c in place_cols if c in frame.columns}
        self.place_rows: list[int] = []
        self.place_columns: list[str] = []
        # a plan in the file (院落编号, unit_id …: what check --unit-col reads): members in two units said too
        plan_cols = [c for c in frame.columns if str(c).strip().lower() in PLAN_NAMES and c not in self.places]
        self.plans = {c: frame[c].astype("object").map(lambda v: None if pd.isna(v) else str(v).strip() or None)
                      for c in plan_cols}
        self.plan_rows: list[int] = []
        self.plan_columns: list[str] = []
        self.out = frame.copy()
        self.geoms = None if geoms is None else geoms.reset_index(drop=True).copy()
        self.xy_cols = [c for c in xy_cols if c]
        self.x, self.y = _points(frame, geoms, xy_cols)
        self.has_xy = np.isfinite(self.x) & np.isfinite(self.y)
        self.flags = {c: (parse_political_status if is_status_column(c) else parse_bool)(frame[c]) for c in head_cols
                      if c in frame.columns}
        self.persons_col = persons_col
        self.given = parse_int(frame[persons_col])[0] if persons_col and persons_col in frame.columns else None
        self.persons = np.ones(len(frame), dtype=np.int64)
        self.member_bad = np.zeros(len(frame), dtype=bool)
        self.apart: list[int] = []
        self.apart_ids: list[str] = []
        self.farthest = 0.0
        self.differ: list[int] = []
        self.example: tuple[str, int, int] | None = None
        self.from_member = 0

    def point(self, hid: str, at: np.ndarray, k: int) -> None:
        """The household's point: the head's (row ``k``), else the members' common point; members apart said."""
        pts = at[self.has_xy[at]]
        if not len(pts):
            return
        base = k if self.has_xy[k] else int(pts[0])
        far = 0.0 if self.geographic is None else _apart_m(self.x[pts], self.y[pts],
                                                           int(np.flatnonzero(pts == base)[0]), self.geographic)
        if far > APART_M:
            self.apart.extend(at.tolist())
            self.apart_ids.append(hid)
            self.farthest = max(self.farthest, far)
        elif base != k and self.geoms is not None:  # the head's row has no point: the members' common point
            self.geoms.iloc[k] = self.geoms.iloc[base]
        elif base != k:
            for c in self.xy_cols:
                self.out.loc[k, c] = self.frame.loc[base, c]

    def candidate(self, at: np.ndarray, k: int) -> None:
        """Each candidate-head column of row ``k``: the first member's cell saying yes, when the head's does not."""
        others = at[at != k]
        by_member = False
        for c, (yes, bad) in self.flags.items():
            self.member_bad[others] |= bad.to_numpy()[others]
            said = at[yes.to_numpy()[at]]
            if len(said) and not yes.iloc[k]:
                self.out.loc[k, c] = self.frame.loc[int(said[0]), c]
                self.member_bad[k] |= bool(bad.iloc[k])  # the head's own cell, no longer on the row kept
                by_member = True
        self.from_member += by_member and not any(yes.iloc[k] for yes, _bad in self.flags.values())

    def place(self, at: np.ndarray, k: int) -> None:
        """The household's village, group and settlement: the head's; members' that differ said (not blank)."""
        differ = [c for c, v in self.places.items() if v.iloc[at].dropna().nunique() > 1]
        if differ:
            self.place_rows.extend(at.tolist())
            self.place_columns.extend(c for c in differ if c not in self.place_columns)
        differ = [c for c, v in self.plans.items() if v.iloc[at].dropna().nunique() > 1]
        if differ:
            self.plan_rows.extend(at.tolist())
            self.plan_columns.extend(c for c in differ if c not in self.plan_columns)

    def count(self, hid: str, at: np.ndarray, k: int) -> None:
        """The household's persons: its rows, unless the persons column gives a number (a differing one said)."""
        self.persons[k] = len(at)
        if self.given is None or self.persons_col is None:
            return
        nums = self.given.iloc[at].dropna()
        if len(nums) and (nums.nunique() > 1 or int(nums.iloc[0]) != len(at)):
            self.differ.append(k)
            shown = int(self.given.iloc[k]) if pd.notna(self.given.iloc[k]) else int(nums.iloc[0])
            self.example = self.example or (hid, shown, len(at))
        if pd.isna(self.given.iloc[k]):
            self.out.loc[k, self.persons_col] = self.frame.loc[int(nums.index[0]), self.persons_col] if len(nums) \
                else str(len(at))


def combine_persons(attrs: pd.DataFrame, rows: np.ndarray, geoms: gpd.GeoSeries | None, *, hid_col: str | None,
                    xy_cols: Sequence[str | None] = (None, None), persons_col: str | None = None,
                    head_cols: Sequence[str] = (), geographic: bool | None = True, file: str | None = None,
                    place_cols: Sequence[str] = ()) -> tuple[pd.DataFrame, np.ndarray, gpd.GeoSeries | None, list[Problem]] | None:
    """A roster of people ``attrs`` (its file row numbers ``rows``, its points ``geoms`` or coordinate columns
    ``xy_cols``) combined into one row per household, as the module says; None when it is none (no relation
    column, no id column, or no repeated id holding a head and someone else): then it is read as it is.
    ``place_cols``: the village, group and settlement columns, the head's kept (members differing: ID-PERSONS-PLACE);
    a plan's unit column (:data:`PLAN_NAMES`) likewise (ID-PERSONS-PLAN).
    ``geographic``: whether the points are in degrees (else metres); None when their CRS is not known (CRS-MISSING
    then stops the reading): the members' distances are not measured.

    Returns (attrs, rows, geoms, problems): the rows kept in the file's order (index 0 … n-1), their row numbers,
    their points, and the notice ID-PERSONS-COMBINED with any ID-PERSONS-HEAD, ID-PERSONS-APART, ID-PERSONS-COUNT
    and ATTR-TYPE (a candidate-head cell of a member's row that is no yes or no).

    Examples
    --------
    >>> df = pd.DataFrame({"户编号": ["1", "1", "1", "2"], "与户主关系": ["户主", "配偶", "子女", "户主"],
    ...                    "政治面貌": ["群众", "中共党员", "群众", "群众"],
    ...                    "经度": ["106.55", "", "", "106.56"], "纬度": ["29.56", "", "", "29.57"]})
    >>> out, rows, _, ps = combine_persons(df, np.arange(2, 6), None, hid_col="户编号", xy_cols=("经度", "纬度"),
    ...                                    head_cols=["政治面貌"], file="r.xlsx")
    >>> out[["户编号", "persons", "政治面貌", "经度"]].values.tolist(), rows.tolist()
    ([['1', 3, '中共党员', '106.55'], ['2', 1, '群众', '106.56']], [2, 5])
    >>> [(p.code, p.params["people"], p.params["households"], p.params["candidates"]) for p in ps]
    [('ID-PERSONS-COMBINED', 4, 2, 1)]
    >>> combine_persons(df.drop(columns="与户主关系"), np.arange(2, 6), None, hid_col="户编号") is None
    True
    """
    rel = relation_column(list(attrs.columns))
    if rel is None or hid_col is None or hid_col not in attrs.columns:
        return None
    frame = attrs.reset_index(drop=True)
    rows = np.asarray(rows)
    ids = to_id_strings(frame[hid_col]).astype("object")
    said = frame[rel].astype("object").fillna("").astype(str).str.strip()
    head = head_rows(said)  # 户主, 户 主, HEAD, or its code of GB/T 4761 (02, 02户主 …)
    dup = (ids.duplicated(keep=False) & ids.notna()).to_numpy()
    if not (head[dup].any() and (~head[dup]).any()):
        return None
    head_word = str(said[head].iloc[0])
    done = _Combined(frame, geoms, xy_cols, persons_col, head_cols, geographic, place_cols)
    keep: list[int] = []
    no_head: list[int] = []
    for hid, members in pd.Series(np.arange(len(frame))).groupby(ids.fillna("").to_numpy(), sort=False):
        at = members.to_numpy()
        if hid == "":  # rows without an id: kept as they are (ID-BLANK)
            keep.extend(at.tolist())
            continue
        heads = at[head[at]]
        if len(at) > 1 and len(heads) != 1:
            no_head.extend(at.tolist())
        k = int(heads[0]) if len(heads) else int(at[0])
        keep.append(k)
        done.point(str(hid), at, k)
        done.candidate(at, k)
        done.count(str(hid), at, k)
        done.place(at, k)
    kept = np.sort(np.asarray(keep, dtype=np.int64))
    found = [problem("ID-PERSONS-COMBINED", severity="warning", file=file, column=rel, head=head_word,
                     id_column=str(hid_col), people=int(len(frame)), households=int(len(kept)),
                     combined=int((done.persons[kept] > 1).sum()), candidates=done.from_member)]
    found.extend(_problems(done, rows, ids, no_head, rel, head_word, file))
    result = done.out.iloc[kept].reset_index(drop=True)
    if persons_col is None:
        result["persons"] = done.persons[kept]
    result.attrs = dict(attrs.attrs)
    return result, rows[kept], None if done.geoms is None else done.geoms.iloc[kept].reset_index(drop=True), found


def _problems(done: _Combined, rows: np.ndarray, ids: pd.Series, no_head: list[int], rel: str, head_word: str,
              file: str | None) -> list[Problem]:
    """ID-PERSONS-HEAD, ID-PERSONS-APART, ATTR-TYPE of the members' rows and ID-PERSONS-COUNT, as found."""
    found: list[Problem] = []
    if no_head:
        at = np.sort(np.asarray(no_head))
        found.append(problem("ID-PERSONS-HEAD", file=file, column=rel, head=head_word,
                             households=int(ids.iloc[at].nunique()), rows=rows[at], ids=ids.iloc[at].astype(str)))
    if done.apart:
        at = np.sort(np.asarray(done.apart))
        found.append(problem("ID-PERSONS-APART", file=file, households=len(done.apart_ids),
                             metres=round(done.farthest), limit=round(APART_M), rows=rows[at],
                             ids=ids.iloc[at].astype(str)))
    for c, (_yes, bad) in done.flags.items():
        found.extend(attr_problem(c, pd.Series(done.member_bad & bad.to_numpy()), done.frame[c], rows,
                                  ids.to_numpy(), file, STATUS_VALUES_SHOWN if is_status_column(c) else BOOL_VALUES_SHOWN))
    if done.place_rows:
        at = np.sort(np.asarray(done.place_rows))
        found.append(problem("ID-PERSONS-PLACE", severity="warning", file=file, columns=done.place_columns,
                             households=int(ids.iloc[at].nunique()), rows=rows[at], ids=ids.iloc[at].astype(str)))
    if done.plan_rows:
        at = np.sort(np.asarray(done.plan_rows))
        found.append(problem("ID-PERSONS-PLAN", severity="warning", file=file, columns=done.plan_columns,
                             households=int(ids.iloc[at].nunique()), rows=rows[at], ids=ids.iloc[at].astype(str)))
    if done.differ and done.persons_col and done.example:
        at = np.sort(np.asarray(done.differ))
        found.append(problem("ID-PERSONS-COUNT", severity="warning", file=file, column=done.persons_col,
                             households=len(done.differ), id=done.example[0], given=done.example[1],
                             people=done.example[2], rows=rows[at], ids=ids.iloc[at].astype(str)))
    return found


def when_stopped(problems: list[Problem]) -> list[Problem]:
    """``problems`` as said when the reading stops on an error: without ID-PERSONS-COMBINED, which tells how the
    people were combined into the households read (its fix: nothing to do) while none are, and nothing is
    written; the errors (those of the combining say "in this roster of people") and the other warnings kept.

    >>> ps = [problem("ID-PERSONS-COMBINED", severity="warning", column="与户主关系", head="户主", id_column="户编号",
    ...               people=3, households=2, combined=1, candidates=0), problem("ID-BLANK", rows=[4])]
    >>> [p.code for p in when_stopped(ps)], [p.code for p in when_stopped(ps[:1])]
    (['ID-BLANK'], ['ID-PERSONS-COMBINED'])
    """
    if not any(p.severity == "error" for p in problems):
        return problems
    return [p for p in problems if p.code != "ID-PERSONS-COMBINED"]
