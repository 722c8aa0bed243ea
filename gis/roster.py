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
  unit_id, 所属小院, 片区 …, or the column ``check --unit-col`` names: ID-PERSONS-PLAN) are said, the head's row kept;
* said as ID-PERSONS-COMBINED: how many people were combined into how many households (counts only: no name,
  id-card number or phone reaches a message).
"""

from __future__ import annotations

import re
import unicodedata
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
#: other names of a plan's unit column a clerk writes (所属院落名称, 小院编号, 院落（小院）, 片区 of the patch rule,
#: yard_no, courtyard): a 院落, 小院 or 片区 (a unit's, not its head's: 院落长, 院落长电话 are no unit), or the words
#: unit, yard, courtyard, patch; compared with spaces removed (NFKC, lower case)
PLAN_WORDS = re.compile(r"(?:院落|小院|片区)(?!.*(?:长|人|电话|手机|姓名))|(?:^|[^a-z])(?:unit|yard|courtyard|patch)"
                        r"(?:$|[^a-z])")
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
        pts = (shapely.get_type_id(arr) == 0) & ~shapely.is_empty(arr)  # points (None: type -1)
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



def _first(codes: np.ndarray, n_groups: int, mask: np.ndarray) -> np.ndarray:
    """Each group's first row (by position) where ``mask`` holds; -1 where none does."""
    first = np.full(n_groups, len(codes), dtype=np.int64)
    at = np.flatnonzero(mask)
    np.minimum.at(first, codes[at], at)
    return np.where(first == len(codes), -1, first)


def _cells(frame: pd.DataFrame, cols: Sequence[str]) -> dict[str, pd.Series]:
    """The columns ``cols`` of ``frame`` as trimmed text, None where blank."""
    return {c: frame[c].astype("object").map(lambda v: None if pd.isna(v) else str(v).strip() or None) for c in cols}


class _Combined:
    """The rows of a roster of people combined household by household (:func:`combine_persons`), all households
    at once: ``codes`` each row's household (-1: no id, the row kept as it is), ``k`` each household's row kept
    (its head's, else its first)."""

    def __init__(self, frame: pd.DataFrame, codes: np.ndarray, k: np.ndarray, geoms: gpd.GeoSeries | None,
                 xy_cols: Sequence[str | None], geographic: bool | None) -> None:
        self.frame, self.codes, self.k, self.geographic = frame, codes, k, geographic
        self.named = codes >= 0
        self.size = np.bincount(codes[self.named], minlength=len(k))
        self.out = frame.copy()
        self.geoms = None if geoms is None else geoms.reset_index(drop=True).copy()
        self.xy_cols = [c for c in xy_cols if c]
        self.x, self.y = _points(frame, geoms, xy_cols)
        self.has_xy = np.isfinite(self.x) & np.isfinite(self.y)
        self.persons = np.ones(len(frame), dtype=np.int64)
        self.member_bad = np.zeros(len(frame), dtype=bool)
        self.flags: dict[str, tuple[pd.Series, pd.Series]] = {}
        self.apart: np.ndarray = np.zeros(0, dtype=np.int64)  # rows of households whose members lie apart
        self.n_apart = 0
        self.farthest = 0.0
        self.place_rows: np.ndarray = np.zeros(0, dtype=np.int64)
        self.place_columns: list[str] = []
        self.plan_rows: np.ndarray = np.zeros(0, dtype=np.int64)
        self.plan_columns: list[str] = []
        self.persons_col: str | None = None
        self.differ: np.ndarray = np.zeros(0, dtype=np.int64)
        self.example: tuple[str, int, int] | None = None
        self.from_member = 0

    def _rows_of(self, groups: np.ndarray) -> np.ndarray:
        """The rows of the households ``groups`` (a mask over households)."""
        return np.flatnonzero(self.named & groups[np.maximum(self.codes, 0)])

    def points(self) -> None:
        """Each household's point: the head's, else the members' common point; members apart said."""
        codes, k, n = self.codes, self.k, len(self.k)
        first = _first(codes, n, self.named & self.has_xy)
        some = first >= 0
        base = np.where(self.has_xy[k], k, first)
        if self.geographic is not None:
            at = np.flatnonzero(self.named & self.has_xy)
            b = base[codes[at]]
            dx, dy = self.x[at] - self.x[b], self.y[at] - self.y[b]
            if self.geographic:
                dx = dx * _M_PER_DEG * np.cos(np.radians(self.y[b]))
                dy = dy * _M_PER_DEG
            far = np.zeros(n)
            np.maximum.at(far, codes[at], np.hypot(dx, dy))
        else:
            far = np.zeros(n)
        apart = some & (far > APART_M)
        self.apart = self._rows_of(apart)
        self.n_apart = int(apart.sum())
        self.farthest = float(far[apart].max()) if apart.any() else 0.0
        moved = np.flatnonzero(some & ~apart & (base != k))  # the head's row has no point: the members' common one
        if not len(moved):
            return
        if self.geoms is not None:
            self.geoms.iloc[k[moved]] = self.geoms.iloc[base[moved]].to_numpy()
        else:
            for c in self.xy_cols:
                self.out.loc[k[moved], c] = self.frame[c].to_numpy()[base[moved]]

    def candidates(self, head_cols: Sequence[str]) -> None:
        """Each candidate-head column of the rows kept: the first member's cell saying yes, when the head's does
        not."""
        codes, k, n = self.codes, self.k, len(self.k)
        self.flags = {c: (parse_political_status if is_status_column(c) else parse_bool)(self.frame[c])
                      for c in head_cols if c in self.frame.columns}
        others = self.named.copy()
        others[k] = False
        by_member = np.zeros(n, dtype=bool)
        head_yes = np.zeros(n, dtype=bool)
        for c, (yes, bad) in self.flags.items():
            y, b = yes.to_numpy(dtype=bool), bad.to_numpy(dtype=bool)
            self.member_bad |= others & b
            said = _first(codes, n, self.named & y)
            take = np.flatnonzero((said >= 0) & ~y[k])
            if len(take):
                self.out.loc[k[take], c] = self.frame[c].to_numpy()[said[take]]
                self.member_bad[k[take]] |= b[k[take]]  # the head's own cell, no longer on the row kept
                by_member[take] = True
            head_yes |= y[k]
        self.from_member = int((by_member & ~head_yes).sum())

    def _differ(self, cells: dict[str, pd.Series]) -> tuple[np.ndarray, list[str]]:
        """The rows of the households whose members differ in any of ``cells`` (blank cells aside), and those
        columns in the order the households first show them."""
        at = np.flatnonzero(self.named)
        differs = {}
        for c, v in cells.items():
            nu = pd.Series(v.to_numpy()[at]).groupby(self.codes[at]).nunique()
            d = np.zeros(len(self.k), dtype=bool)
            d[nu.index.to_numpy()] = nu.to_numpy() > 1
            differs[c] = d
        if not differs:
            return np.zeros(0, dtype=np.int64), []
        anyd = np.logical_or.reduce(list(differs.values()))
        order = sorted((int(np.argmax(d)), i, c) for i, (c, d) in enumerate(differs.items()) if d.any())
        return self._rows_of(anyd), [c for _g, _i, c in order]

    def places(self, place_cols: Sequence[str], plan_cols: Sequence[str] = ()) -> None:
        """Village, group and settlement, and a plan in the file (院落编号, unit_id, 所属小院 …: what check --unit-col
        reads, :func:`plan_column`; ``plan_cols``: the column ``--unit-col`` names): the head's kept; members that
        differ said."""
        places = _cells(self.frame, [c for c in place_cols if c in self.frame.columns])
        plans = _cells(self.frame, [c for c in self.frame.columns if (plan_column(c) or str(c) in plan_cols)
                                    and c not in places])
        self.place_rows, self.place_columns = self._differ(places)
        self.plan_rows, self.plan_columns = self._differ(plans)

    def counts(self, ids: pd.Series, persons_col: str | None) -> None:
        """Each household's persons: its rows, unless the persons column gives a number (a differing one said)."""
        k = self.k
        self.persons[k] = self.size
        self.persons_col = persons_col
        if not persons_col or persons_col not in self.frame.columns:
            return
        given = parse_int(self.frame[persons_col])[0]
        at = np.flatnonzero(self.named & given.notna().to_numpy())
        g = given.iloc[at].reset_index(drop=True).groupby(self.codes[at])
        nu, first = g.nunique(), g.first()
        have = np.zeros(len(k), dtype=bool)
        have[nu.index.to_numpy()] = True
        many = np.zeros(len(k), dtype=bool)
        many[nu.index.to_numpy()] = nu.to_numpy() > 1
        one = np.zeros(len(k), dtype=np.int64)
        one[first.index.to_numpy()] = first.to_numpy(dtype=np.int64)
        bad = have & (many | (one != self.size))
        self.differ = k[bad]
        if bad.any():
            h = int(np.argmax(bad))
            gk = given.iloc[k[h]]
            self.example = (str(ids.iloc[k[h]]), int(gk) if pd.notna(gk) else int(one[h]), int(self.size[h]))
        blank = np.flatnonzero(given.isna().to_numpy()[k])
        if len(blank):
            firstrow = _first(self.codes, len(k), self.named & given.notna().to_numpy())
            col = self.frame[persons_col].to_numpy()
            self.out.loc[k[blank], persons_col] = [col[firstrow[h]] if have[h] else str(self.size[h]) for h in blank]


def plan_column(name: object) -> bool:
    """Whether a column's name says it holds a plan's units (:data:`PLAN_NAMES`, :data:`PLAN_WORDS`).

    >>> [plan_column(c) for c in ["院落编号", "所属院落名称", "小院 编号", "片区", "Yard No", "unit_name", "院落长",
    ...                           "院落长电话", "community", "村民小组", "units"]]
    [True, True, True, True, True, True, False, False, False, False, False]
    """
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(name))).lower()
    spaced = unicodedata.normalize("NFKC", str(name)).strip().lower()
    return spaced in PLAN_NAMES or key in PLAN_NAMES or bool(PLAN_WORDS.search(key) or PLAN_WORDS.search(spaced))


def combine_persons(attrs: pd.DataFrame, rows: np.ndarray, geoms: gpd.GeoSeries | None, *, hid_col: str | None,
                    xy_cols: Sequence[str | None] = (None, None), persons_col: str | None = None,
                    head_cols: Sequence[str] = (), geographic: bool | None = True, file: str | None = None,
                    place_cols: Sequence[str] = (), plan_cols: Sequence[str] = ()
                    ) -> tuple[pd.DataFrame, np.ndarray, gpd.GeoSeries | None, list[Problem]] | None:
    """A roster of people ``attrs`` (its file row numbers ``rows``, its points ``geoms`` or coordinate columns
    ``xy_cols``) combined into one row per household, as the module says; None when it is none (no relation
    column, no id column, or no repeated id holding a head and someone else): then it is read as it is.
    ``place_cols``: the village, group and settlement columns, the head's kept (members differing: ID-PERSONS-PLACE);
    a plan's unit column (:func:`plan_column`, and ``plan_cols``: the column ``check --unit-col`` names) likewise
    (ID-PERSONS-PLAN).
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
    text = ids.fillna("").to_numpy()
    named = text != ""  # rows without an id: kept as they are (ID-BLANK)
    codes = np.full(len(frame), -1, dtype=np.int64)
    codes[named] = pd.factorize(text[named], sort=False)[0]  # households in the order they first come
    n = int(codes.max()) + 1 if named.any() else 0
    head = np.asarray(head, dtype=bool)
    first, first_head = _first(codes, n, named), _first(codes, n, named & head)
    k = np.where(first_head >= 0, first_head, first)
    size = np.bincount(codes[named], minlength=n)
    n_heads = np.bincount(codes[named & head], minlength=n)
    done = _Combined(frame, codes, k, geoms, xy_cols, geographic)
    done.points()
    done.candidates(head_cols)
    done.counts(ids, persons_col)
    done.places(place_cols, plan_cols)
    no_head = done._rows_of((size > 1) & (n_heads != 1))
    kept = np.sort(np.r_[k, np.flatnonzero(~named)].astype(np.int64))
    found = [problem("ID-PERSONS-COMBINED", severity="warning", file=file, column=rel, head=head_word,
                     id_column=str(hid_col), people=int(len(frame)), households=int(len(kept)),
                     combined=int((done.persons[kept] > 1).sum()), candidates=done.from_member)]
    found.extend(_problems(done, rows, ids, no_head, rel, head_word, file))
    result = done.out.iloc[kept].reset_index(drop=True)
    if persons_col is None:
        result["persons"] = done.persons[kept]
    result.attrs = dict(attrs.attrs)
    return result, rows[kept], None if done.geoms is None else done.geoms.iloc[kept].reset_index(drop=True), found


def _problems(done: _Combined, rows: np.ndarray, ids: pd.Series, no_head: np.ndarray, rel: str, head_word: str,
              file: str | None) -> list[Problem]:
    """ID-PERSONS-HEAD, ID-PERSONS-APART, ATTR-TYPE of the members' rows and ID-PERSONS-COUNT, as found."""
    found: list[Problem] = []
    if len(no_head):
        at = np.sort(np.asarray(no_head))
        found.append(problem("ID-PERSONS-HEAD", file=file, column=rel, head=head_word,
                             households=int(ids.iloc[at].nunique()), rows=rows[at], ids=ids.iloc[at].astype(str)))
    if len(done.apart):
        at = np.sort(np.asarray(done.apart))
        found.append(problem("ID-PERSONS-APART", file=file, households=done.n_apart,
                             metres=round(done.farthest), limit=round(APART_M), rows=rows[at],
                             ids=ids.iloc[at].astype(str)))
    for c, (_yes, bad) in done.flags.items():
        found.extend(attr_problem(c, pd.Series(done.member_bad & bad.to_numpy()), done.frame[c], rows,
                                  ids.to_numpy(), file, STATUS_VALUES_SHOWN if is_status_column(c) else BOOL_VALUES_SHOWN))
    if len(done.place_rows):
        at = np.sort(np.asarray(done.place_rows))
        found.append(problem("ID-PERSONS-PLACE", severity="warning", file=file, columns=done.place_columns,
                             households=int(ids.iloc[at].nunique()), rows=rows[at], ids=ids.iloc[at].astype(str)))
    if len(done.plan_rows):
        at = np.sort(np.asarray(done.plan_rows))
        found.append(problem("ID-PERSONS-PLAN", severity="warning", file=file, columns=done.plan_columns,
                             households=int(ids.iloc[at].nunique()), rows=rows[at], ids=ids.iloc[at].astype(str)))
    if len(done.differ) and done.persons_col and done.example:
        at = np.sort(np.asarray(done.differ))
        found.append(problem("ID-PERSONS-COUNT", severity="warning", file=file, column=done.persons_col,
                             households=int(len(done.differ)), id=done.example[0], given=done.example[1],
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
