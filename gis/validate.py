"""Checks of household and boundary inputs (bad-input catalogue §4.5, groups A–D).

Every check takes whole columns/arrays and returns a list of :class:`~yuanluo.gis.errors.Problem` (errors and
warnings); nothing here raises for bad data, so the loader can collect every problem in a file and raise
once. Row numbers are those the caller passes: the rows as the user finds them in the file (see
:class:`~yuanluo.gis.errors.Problem`).

The "China" checks use the coarse China bounding box of :mod:`yuanluo.gis.crs`; data elsewhere (e.g. Andorra,
in UTM) is checked against the area of use of its own CRS only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from yuanluo.gis import chinacoords
from yuanluo.gis.catalogue import LANGS, both, text
from yuanluo.gis.columns import INVISIBLE, SCI_ID, parse_division_code, personal_columns
from yuanluo.gis.crs import (
    CHINA_BBOX,
    area_of_use,
    gk_info,
    in_china,
    is_legacy_chinese,
    transform_xy,
    working_crs_for,
)
from yuanluo.gis.errors import Problem, problem
from yuanluo.gis.personal import content_kind, find_personal, name_key, personal_name, personal_problem


def _rows_ids(mask: np.ndarray, rows: np.ndarray, ids: np.ndarray | None) -> dict[str, Any]:
    idx = np.flatnonzero(mask)
    out: dict[str, Any] = {"rows": rows[idx].tolist()}
    if ids is not None:
        sel = ids[idx]
        out["ids"] = [str(i) for i in sel if isinstance(i, str) and i]
    return out


# ------------------------------------------------------------------------------ ids and attributes
#: the column of a roster of people (one row per person) saying how each is related to the head of the household
RELATION_COLUMNS = ("与户主关系", "与户主的关系", "家庭关系", "relationship", "relation")
#: what that column says of the head of the household
HEAD_WORDS = frozenset({"户主", "本人", "head", "self"})
#: GB/T 4761-2008 家庭关系代码, as clerks' exports write the relation: the head is 0 (本人或户主) among its
#: one-digit codes (0-8), 01 (本人) or 02 (户主) among its two-digit ones (10 配偶, 20 子, 30 女 … 99)
HEAD_CODES_1, HEAD_CODES_2 = frozenset({0}), frozenset({1, 2})


def head_rows(said: pd.Series) -> np.ndarray:
    """Which cells of a relation column (:data:`RELATION_COLUMNS`) name the head of the household: a word of
    :data:`HEAD_WORDS` (as a printed or typed roster writes it: 户 主, a full-width space, HEAD), or a code of
    GB/T 4761-2008, alone (``02``) or before or after its word (``02户主``, ``户主(02)``). A code alone is read in
    the column's scheme: two-digit when any code has two digits (``02``, ``10`` …; Excel drops the zero of
    ``02``: 2 is then the head), else one-digit (0 the head, 2 a son).

    >>> head_rows(pd.Series(["户 主", "HEAD", "02户主", "10配偶", "户主(02)", "子女"])).tolist()
    [True, True, True, False, True, False]
    >>> head_rows(pd.Series(["02", "10", "20", "01"])).tolist(), head_rows(pd.Series([2, 10, 20])).tolist()
    ([True, False, False, True], [True, False, False])
    >>> head_rows(pd.Series(["0", "1", "2", "3"])).tolist(), head_rows(pd.Series([0.0, 2.0, None])).tolist()
    ([True, False, False, False], [True, False, False])
    """
    s = said.astype("object").map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))
    s = s.str.normalize("NFKC").str.replace(r"\s+", "", regex=True).str.lower()
    words = s.str.replace(r"[\d\W_]+", "", regex=True)
    alone = s.str.fullmatch(r"\d{1,2}(\.0+)?") & (words == "")
    codes = s.str.extract(r"^(\d+)", expand=False)
    two = bool((s[alone].str.match(r"0\d|[1-9]\d")).any())
    num = pd.to_numeric(codes, errors="coerce")
    head = words.isin(HEAD_WORDS) | (alone & num.isin(HEAD_CODES_2 if two else HEAD_CODES_1))
    return head.to_numpy(dtype=bool)


def relation_column(columns: Sequence[object]) -> str | None:
    """The column of ``columns`` that says how a person is related to the head of the household
    (:data:`RELATION_COLUMNS`: a roster with one row per person), or None.

    >>> relation_column(["户编号", "姓名", "与户主关系"]), relation_column(["户编号", "人口"])
    ('与户主关系', None)
    """
    names = {str(c).strip().lower(): str(c) for c in columns}
    return next((names[n] for n in RELATION_COLUMNS if n in names), None)


#: columns naming the one person a row is about (compared by :func:`~yuanluo.gis.personal.name_key`): a name or
#: an id-card number, each person's own, in a roster of people
PERSON_COLUMNS = ("姓名", "名字", "成员姓名", "人员姓名", "家庭成员", "成员", "xm", "xingming", "name", "fullname",
                  "full_name", "person_name", "member", "member_name",
                  "公民身份号码", "身份证", "身份证号", "身份证号码", "身份证件号码", "证件号", "证件号码", "身份證",
                  "身份證號", "身份證號碼", "sfzh", "sfz", "gmsfhm", "zjhm", "id_card", "idcard", "id_number",
                  "citizen_id", "national_id")
#: columns naming the head of the household, the same on every member's row of a roster of people
HEAD_NAME_COLUMNS = ("户主", "户主名", "户主姓名", "户主名字", "户名", "户主身份证号", "hzxm", "hz", "hzmc", "hzsfzh",
                     "head_name", "householder", "householder_name", "hh_name")


def member_columns(columns: Sequence[object], skip: Sequence[object] = ()) -> tuple[str | None, list[str]]:
    """The column naming each row's person (:data:`PERSON_COLUMNS`, the first found; None without one) and
    the columns naming the head of the household (:data:`HEAD_NAME_COLUMNS`), among ``columns`` less ``skip``
    (the id column): what tells a roster of people without a relation column (:func:`check_ids`).

    >>> member_columns(["户编号", "户主姓名", "姓 名", "身份证号", "人口"])
    ('姓 名', ['户主姓名'])
    >>> member_columns(["户编号", "户主", "人口"])
    (None, ['户主'])
    """
    left = [str(c) for c in columns if c not in set(skip)]
    person_keys = {name_key(n) for n in PERSON_COLUMNS}
    head_keys = {name_key(n) for n in HEAD_NAME_COLUMNS}
    person = next((c for c in left if name_key(c) in person_keys), None)
    return person, [c for c in left if name_key(c) in head_keys]


def _members_of_households(ids: pd.Series, dup: np.ndarray, person: pd.Series | None,
                           household: pd.DataFrame | None) -> list[str] | None:
    """The columns of ``household`` on which the rows of every repeated id (``dup``) agree, when those rows
    name different people in ``person`` (each row its own value, none blank) and agree on at least one of
    them (their values not blank, the same); None otherwise (see :func:`check_ids`)."""
    if person is None or household is None or household.shape[1] == 0:
        return None
    key = ids[dup].astype(str).to_numpy()
    who = person.astype("object")[dup].map(lambda v: None if pd.isna(v) else str(v).strip() or None)
    if who.isna().any() or pd.Series(list(zip(key, who, strict=True))).duplicated().any():
        return None  # a row naming no one, or the same person twice: a copied row, not a member
    agree: list[str] = []
    for col in household.columns:
        vals = household[col].astype("object")[dup].map(lambda v: None if pd.isna(v) else str(v).strip() or None)
        per_id = pd.DataFrame({"id": key, "v": vals.to_numpy()}).groupby("id")["v"]
        if (per_id.nunique() > 1).any():
            return None  # the rows of an id disagree on their household: different households
        if (per_id.count() > 0).all():
            agree.append(str(col))
    return agree or None


def check_ids(ids: pd.Series, rows: np.ndarray, file: str | None, *,
              relation: pd.Series | None = None, person: pd.Series | None = None,
              household: pd.DataFrame | None = None) -> list[Problem]:
    """ID-BLANK, ID-DUP and ID-SCI for a column of ids (strings, NA for blank). With ``relation`` (the values of
    the :func:`relation_column`, aligned with ``ids``) whose repeated ids hold a head of household and someone
    else, the repeats are ID-PERSONS instead of ID-DUP: a roster of one row per person, whose fix is to keep the
    heads' rows, not to give family members ids of their own (households they are not).

    Without such a column, a roster of people is told by two signs together (ID-PERSONS-ROWS): the rows of
    each repeated id name different people in ``person`` (the :func:`member_columns` person column: a name or
    an id-card number, none blank, none twice within an id), and agree on their household in ``household``
    (the head's name, the household's persons: at least one of them given on those rows, none differing). Two
    households given one id by mistake differ in their head or persons; a row copied twice names one person
    twice: both stay ID-DUP, whose fix is to change the ids.

    Examples
    --------
    >>> ps = check_ids(pd.Series(["001", "002", "001", None, "5.00101E+17"]), np.arange(1, 6), "h.csv")
    >>> [(p.code, p.rows) for p in ps]
    [('ID-BLANK', (4,)), ('ID-DUP', (1, 3)), ('ID-SCI', (5,))]
    >>> rel = pd.Series(["户主", "子女", "户主"], name="与户主关系")
    >>> [(p.code, p.rows) for p in check_ids(pd.Series(["001", "001", "002"]), np.arange(2, 5), "h.xlsx",
    ...                                      relation=rel)]
    [('ID-PERSONS', (2, 3))]
    >>> ids = pd.Series(["001", "001", "002"], name="户编号")
    >>> who = pd.Series(["张大山", "李秀英", "王二"], name="姓名")
    >>> same = pd.DataFrame({"户主姓名": ["张大山", "张大山", "王二"], "人口": [2, 2, 1]})
    >>> [(p.code, p.params["same"]) for p in check_ids(ids, np.arange(2, 5), "h.xlsx", person=who, household=same)]
    [('ID-PERSONS-ROWS', ['户主姓名', '人口'])]
    >>> two = pd.DataFrame({"户主姓名": ["张大山", "李四", "王二"]})
    >>> [p.code for p in check_ids(ids, np.arange(2, 5), "h.xlsx", person=who, household=two)]
    ['ID-DUP']
    """
    out: list[Problem] = []
    s = ids.astype("object")
    blank = s.isna().to_numpy()
    if blank.any():
        out.append(problem("ID-BLANK", file=file, rows=rows[blank]))
    dup = (s.duplicated(keep=False) & ~s.isna()).to_numpy()
    if dup.any():
        order = np.lexsort((rows[dup], s[dup].astype(str).to_numpy()))
        said = None if relation is None else relation.astype("object").fillna("").astype(str).str.strip()
        heads = None if said is None else head_rows(said)
        where = {"file": file, "rows": rows[dup][order], "ids": s[dup].astype(str).to_numpy()[order]}
        same = None if relation is not None else _members_of_households(s, dup, person, household)
        if relation is not None and said is not None and heads is not None and heads[dup].any() and (~heads[dup]).any():
            out.append(problem("ID-PERSONS", column=str(relation.name), households=int(s[dup].nunique()),
                               head=str(said[heads].iloc[0]), **where))
        elif same is not None and person is not None:
            out.append(problem("ID-PERSONS-ROWS", column=str(person.name), same=same, id_column=str(ids.name),
                               households=int(s[dup].nunique()), **where))
        else:
            out.append(problem("ID-DUP", **where))
    sci = s.astype(str).str.fullmatch(SCI_ID).to_numpy() & ~blank
    if sci.any():
        out.append(problem("ID-SCI", file=file, rows=rows[sci], ids=s[sci].astype(str)))
    return out


def attr_problem(column: str, bad: pd.Series, values: pd.Series, rows: np.ndarray, ids: np.ndarray | None,
                 file: str | None, allowed: str) -> list[Problem]:
    """An ATTR-TYPE problem for the rows where ``bad`` is True (none if no row is bad); ``allowed`` shows the
    values the column may hold (language-neutral, e.g. ``"0, 1, 2 …"``)."""
    mask = bad.to_numpy(dtype=bool)
    if not mask.any():
        return []
    sample = str(values[mask].iloc[0])
    return [problem("ATTR-TYPE", file=file, column=column, allowed=allowed, sample=sample, **_rows_ids(mask, rows, ids))]


def check_division_codes(attrs: pd.DataFrame, columns: Sequence[str], rows: np.ndarray, ids: np.ndarray | None,
                         file: str | None) -> tuple[dict[str, pd.Series], list[Problem]]:
    """ATTR-CODE (error) for values of division-code columns that are not 12 digits.

    Returns the columns as normalised strings (``column -> str series``, NA for blank) and the problems.
    An error rather than a warning: a code is an identifier used to join the plan with official
    tables, and a code that lost digits joins the wrong village or none, silently. The fix is cheap.

    Examples
    --------
    >>> df = pd.DataFrame({"区划代码": ["500101001001", "50101001001", ""]})
    >>> out, ps = check_division_codes(df, ["区划代码"], np.arange(1, 4), np.array(["a", "b", "c"]), "h.csv")
    >>> out["区划代码"].tolist()[0], [(p.code, p.rows, p.params["sample"]) for p in ps]
    ('500101001001', [('ATTR-CODE', (2,), '50101001001')])
    """
    out: dict[str, pd.Series] = {}
    problems: list[Problem] = []
    for col in columns:
        vals = attrs[col].reset_index(drop=True)
        parsed, bad = parse_division_code(vals)
        out[col] = parsed
        mask = bad.to_numpy(dtype=bool)
        if mask.any():
            problems.append(problem("ATTR-CODE", file=file, column=col, sample=str(vals[mask].iloc[0]),
                                    **_rows_ids(mask, rows, ids)))
    return out, problems


def page_text(value: object) -> str:
    """A file name or title as a page (HTML) shows it: without C0 controls and the bidirectional marks,
    overrides and isolates (U+200E/F, U+202A–E, U+2066–9: :data:`yuanluo.gis.columns.INVISIBLE`), which would
    show ``rtl_\u202eexe.gpkg`` as ``rtl_gkpg.exe``. Every page's file names and titles go through it.

    Examples
    --------
    >>> page_text("rtl_\u202eexe.gpkg"), page_text("\u2067村\u2069 a\u200fb"), page_text(None)
    ('rtl_exe.gpkg', '村 ab', '')
    """
    return "" if value is None else INVISIBLE.sub("", str(value))


def check_personal(columns: Sequence[object] | pd.DataFrame, file: str | None, *,
                   ids: Sequence[object] | np.ndarray | None = None, id_column: str | None = None) -> list[Problem]:
    """ATTR-PERSONAL (warning) naming the personal-data columns: by name (names, id-card numbers, phones,
    addresses …) and, given a table, by content (id-card and mobile numbers; :mod:`yuanluo.gis.personal`).
    ID-PERSONAL (warning) when the household ids themselves are id-card or mobile numbers, or their column's
    name marks personal data (``户主姓名``): every map, print map and report shows the ids.

    Examples
    --------
    >>> [(p.code, p.severity, p.params["by_name"]) for p in check_personal(["户编号", "户主", "电话"], "h.csv")]
    [('ATTR-PERSONAL', 'warning', ['户主', '电话'])]
    >>> t = pd.DataFrame({"户主": ["张三"], "col7": ["11010519491231002X"]})
    >>> [(p.params["by_name"], p.params["by_id"], p.params["kept"]) for p in check_personal(t, "h.csv")]
    [(['户主'], ['col7'], ['户主', 'col7'])]
    >>> [p.code for p in check_personal([], "h.csv", ids=["11010519491231002X"], id_column="户编号")]
    ['ID-PERSONAL']
    >>> [(p.code, p.params["kind"]) for p in check_personal([], "h.csv", ids=["张三"], id_column="户主姓名")]
    [('ID-PERSONAL', 'name')]
    """
    if isinstance(columns, pd.DataFrame):
        found = find_personal(columns)
    else:
        found = {c: "name" for c in personal_columns(columns)}
    p = personal_problem(found, file)
    out = [] if p is None else [p]
    kind = content_kind(pd.Series(list(ids), dtype=object)) if ids is not None and len(ids) else None
    if kind is None and ids is not None and len(ids) and id_column is not None and personal_name(id_column):
        kind = "name"  # ids that are householder names (--id-col 户主姓名): their column is left out of `columns`
    if kind is not None:
        out.append(problem("ID-PERSONAL", severity="warning", file=file, column=id_column or "hid", kind=kind,
                           what=both(f"personal.kind.{kind}")))
    return out


# ------------------------------------------------------------------------------ geometry
def check_geometry_types(geoms: gpd.GeoSeries, rows: np.ndarray, ids: np.ndarray | None, file: str | None,
                         *, centroids: bool) -> list[Problem]:
    """GEOM-TYPE for features that are not points (polygons allowed only with ``centroids``)."""
    types = geoms.geom_type.fillna("None").to_numpy(dtype=object)
    ok = np.isin(types, ["Point", "None"])
    if centroids:
        ok |= np.isin(types, ["Polygon", "MultiPolygon"])
    if ok.all():
        return []
    bad_types = sorted({str(t) for t in types[~ok]})
    return [problem("GEOM-TYPE", file=file, types=list(bad_types), expected="Point",
                    **_rows_ids(~ok, rows, ids))]


# ------------------------------------------------------------------------------ coordinates
def _fmt(v: float) -> str:
    """A coordinate as people write it, never in scientific notation: metres whole, degrees to six digits.

    >>> _fmt(36357870.1), _fmt(3271830.29), _fmt(1.5335044), _fmt(106.5335044), _fmt(0.0), _fmt(-1e-9)
    ('36357870', '3271830', '1.5335', '106.534', '0', '-0.000000001')
    """
    v = float(v)
    if not np.isfinite(v):
        return str(v)
    if abs(v) >= 1e5:
        return f"{v:.0f}"
    return np.format_float_positional(v, precision=6, unique=False, fractional=False, trim="-")


class _Pair:
    """Says a coordinate pair as the file has it: its columns' order, named when the names are known.

    >>> _Pair(("Y", "X"), yx=True).say(3271830.0, 36357870.0), _Pair().say(1.5, 42.5)
    ('(X=36357870, Y=3271830)', '(1.5, 42.5)')
    """

    def __init__(self, names: tuple[str, str] | None = None, *, yx: bool = False) -> None:
        self.names = names
        self.yx = yx

    def say(self, x: float, y: float, *, brackets: bool = True) -> str:
        vals = [_fmt(x), _fmt(y)]
        if self.names:
            vals = [f"{n}={v}" for n, v in zip(self.names, vals, strict=True)]
        if self.yx:
            vals.reverse()
        out = ", ".join(vals)
        return f"({out})" if brackets else out


def _plausible_projected(x: np.ndarray, y: np.ndarray, crs: CRS, margin: float = 3.0) -> np.ndarray:
    lon, lat = transform_xy(x, y, crs, 4326)
    ok = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90)
    aou = area_of_use(crs)
    if aou is not None:
        w, s, e, n = aou
        with np.errstate(invalid="ignore"):
            ok &= (lon >= w - margin) & (lon <= e + margin) & (lat >= s - margin) & (lat <= n + margin)
    return ok


def check_coordinates(
    x: np.ndarray,
    y: np.ndarray,
    crs: Any,
    *,
    rows: np.ndarray,
    ids: np.ndarray | None = None,
    file: str | None = None,
    shift: str = "",
    boundary: gpd.GeoSeries | None = None,
    far_m: float = 5000.0,
    columns: tuple[str, str] | None = None,
    yx: bool = False,
    who: str = "households",
) -> list[Problem]:
    """Check coordinates against their declared CRS (and a boundary layer when given).

    Parameters
    ----------
    x, y : ndarray
        Coordinates in the declared CRS, east–west first (longitude / easting); NaN where missing.
    crs : CRS-like
        Declared CRS of ``x, y``.
    rows, ids : ndarray
        1-based data rows and household ids (for the messages).
    shift : {"", "gcj02", "bd09"}
        Declared Chinese web-map offset (the coordinates are then GCJ-02/BD-09 lon/lat).
    boundary : GeoSeries, optional
        Village/area polygons in any CRS: enables CRS-ZONE, far-outside (COORD-RANGE),
        COORD-GCJ-SUSPECT and SPAT-OUTSIDE (warning) checks.
    far_m : float
        Households farther than this from the boundary are errors (COORD-RANGE / CRS-ZONE).
    columns, yx : optional
        The names of the file's columns of ``x`` and ``y``, and whether the ``y`` column comes first in the
        file: the messages give a coordinate pair as the file has it.

    who : {"households", "points"}
        Whose coordinates these are, as the messages say it (``load.who.*``) and how they say to mark the
        columns (``load.xy.*``, ``load.swap.*``: a household file has --x-col / --y-col, a table of points its
        column names).

    Returns
    -------
    list of Problem
        COORD-NAN, CRS-LEGACY, CRS-UNITS, COORD-SWAP, CRS-GKPREFIX, COORD-XY-SWAP, CRS-ZONE, COORD-RANGE,
        COORD-GCJ-SUSPECT, SPAT-OUTSIDE, COORD-PRECISION.

    Examples
    --------
    >>> ps = check_coordinates(np.array([29.6, 29.7, 106.5]), np.array([106.6, 106.7, 29.5]), "EPSG:4490",
    ...                        rows=np.array([1, 2, 3]), ids=np.array(["a", "b", "c"]))
    >>> [(p.code, p.ids) for p in ps]
    [('COORD-SWAP', ('a', 'b'))]
    >>> ps = check_coordinates(np.array([1.52, 1.53, 1.54]), np.array([42.57, 95.56, 42.58]), "EPSG:4326",
    ...                        rows=np.array([1, 2, 3]), ids=np.array(["a", "b", "c"]))
    >>> [(p.code, p.ids) for p in ps]
    [('COORD-RANGE', ('b',))]
    """
    said = {"who": both(f"load.who.{who}"), "then": both(f"load.xy.{who}"), "swap": both(f"load.swap.{who}"),
            "check": both(f"load.range.fix.{who}")}
    found = _coordinates(x, y, crs, rows=rows, ids=ids, file=file, shift=shift, boundary=boundary, far_m=far_m,
                         columns=columns, yx=yx)
    return [replace(p, params={**said, **p.params}) if p.code in WHO_CODES else p for p in found]


#: the problems of :func:`check_coordinates` that say whose coordinates they are about
WHO_CODES = ("COORD-NAN", "COORD-SWAP", "COORD-RANGE", "COORD-XY-SWAP")


def _coordinates(x: np.ndarray, y: np.ndarray, crs: Any, *, rows: np.ndarray, ids: np.ndarray | None,
                 file: str | None, shift: str, boundary: gpd.GeoSeries | None, far_m: float,
                 columns: tuple[str, str] | None, yx: bool) -> list[Problem]:
    """:func:`check_coordinates` without the ``who`` of its messages."""
    c = CRS.from_user_input(crs)
    name = f"EPSG:{c.to_epsg()}" if c.to_epsg() else c.name
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    rows = np.asarray(rows)
    out: list[Problem] = []
    pair = _Pair(columns, yx=yx)
    nan = ~(np.isfinite(x) & np.isfinite(y))
    if nan.any():
        out.append(problem("COORD-NAN", file=file, **_rows_ids(nan, rows, ids)))
    if is_legacy_chinese(c):
        out.append(problem("CRS-LEGACY", file=file, crs=f"{name} ({c.name})"))
        return out
    valid = ~nan
    if not valid.any():
        return out
    flagged = nan.copy()
    if c.is_geographic:
        flagged |= _check_geographic(x, y, c, name, valid, rows=rows, ids=ids, file=file, out=out, pair=pair)
    else:
        flagged |= _check_projected(x, y, c, name, valid, rows=rows, ids=ids, file=file, out=out, pair=pair)
    if any(p.code in ("CRS-UNITS", "CRS-GKPREFIX") for p in out):
        return out
    ok = ~flagged
    if ok.any():
        lon, lat = transform_xy(x, y, c, 4326) if not c.is_geographic else (x.copy(), y.copy())
        if shift:
            lon[ok], lat[ok] = chinacoords.to_wgs84(lon[ok], lat[ok], shift)
        if boundary is not None and len(boundary):
            out.extend(_check_against_boundary(x, y, lon, lat, c, name, ok, rows=rows, ids=ids, file=file,
                                               boundary=boundary, far_m=far_m, shift=shift, pair=pair))
        out.extend(check_precision(x[ok], y[ok], c, file))
    return out


def _check_geographic(x: np.ndarray, y: np.ndarray, c: CRS, name: str, valid: np.ndarray, *, rows: np.ndarray,
                      ids: np.ndarray | None, file: str | None, out: list[Problem], pair: _Pair) -> np.ndarray:
    flagged = np.zeros(len(x), dtype=bool)
    ax, ay = np.abs(x), np.abs(y)
    with np.errstate(invalid="ignore"):
        metres = valid & ((ax > 1000) | (ay > 1000))
    if metres.sum() > 0.5 * valid.sum():
        out.append(problem("CRS-UNITS", file=file, crs=name,
                           sample=pair.say(x[metres][0], y[metres][0], brackets=False), unit="m",
                           **_rows_ids(metres, rows, ids)))
        flagged |= valid
        return flagged
    with np.errstate(invalid="ignore"):
        bad = valid & ((ax > 180) | (ay > 90))
        swap_range = bad & (ay <= 180) & (ax <= 90)
        china_as_is = in_china(x, y)
        china_swapped = in_china(y, x) & ~china_as_is
    chinese = (china_as_is | china_swapped)[valid].mean() > 0.5
    swap = swap_range | (china_swapped & valid & chinese)
    # the columns look exchanged only when most rows do: a few rows that read better the other way round among
    # right ones are typing slips of those rows (COORD-RANGE below), whose columns must not be exchanged
    if 2 * swap.sum() <= valid.sum():
        swap = np.zeros(len(x), dtype=bool)
    if swap.any():
        out.append(problem("COORD-SWAP", file=file, sample=_fmt(y[swap][0]), **_rows_ids(swap, rows, ids)))
    flagged |= swap
    rng = valid & ~swap & ((ax > 180) | (ay > 90))
    zero = valid & ~swap & (ax < 1e-9) & (ay < 1e-9)
    china_crs = c.to_epsg() == 4490
    outside = valid & ~swap & ~rng & ~zero & ~china_as_is & (chinese or china_crs)
    _range_problem(rng, x, y, rows, ids, file, out, limit=both("load.range.degrees"), pair=pair)
    if chinese or china_crs:  # what was tested: the box around China (and (0, 0), a missing value)
        w, s, e, n = (_fmt(v) for v in CHINA_BBOX)
        _range_problem(zero | outside, x, y, rows, ids, file, out, pair=pair,
                       limit=both("load.range.china", w=w, s=s, e=e, n=n))
    else:
        _range_problem(zero, x, y, rows, ids, file, out, limit=both("load.range.zero"), pair=pair)
    flagged |= rng | zero | outside
    return flagged


def _range_problem(mask: np.ndarray, x: np.ndarray, y: np.ndarray, rows: np.ndarray, ids: np.ndarray | None,
                   file: str | None, out: list[Problem], *, limit: dict[str, str], pair: _Pair) -> None:
    """COORD-RANGE for the rows of ``mask``; ``limit`` says the range tested, in each language."""
    if mask.any():
        i = np.flatnonzero(mask)[0]
        out.append(problem("COORD-RANGE", file=file, limit=limit, sample=pair.say(x[i], y[i]),
                           **_rows_ids(mask, rows, ids)))


def _check_projected(x: np.ndarray, y: np.ndarray, c: CRS, name: str, valid: np.ndarray, *, rows: np.ndarray,
                     ids: np.ndarray | None, file: str | None, out: list[Problem], pair: _Pair) -> np.ndarray:
    flagged = np.zeros(len(x), dtype=bool)
    ax, ay = np.abs(x), np.abs(y)
    with np.errstate(invalid="ignore"):
        degrees = valid & (ax <= 180) & (ay <= 90)
    if degrees.sum() > 0.5 * valid.sum():
        out.append(problem("CRS-UNITS", file=file, crs=name,
                           sample=pair.say(x[degrees][0], y[degrees][0], brackets=False), unit="°",
                           **_rows_ids(degrees, rows, ids)))
        return valid.copy()
    gk = gk_info(c)
    if gk is not None and _gk_zone(x, y, gk, name, valid, rows=rows, ids=ids, file=file, out=out):
        return valid.copy()
    p0 = _plausible_projected(x, y, c) & valid
    p1 = _plausible_projected(y, x, c) & valid
    if gk is not None:  # GK: northing of China 2.0e6..6.0e6, easting well below that (prefixed: > 2.5e7)
        p0 &= (y > 1.9e6) & (y < 6.1e6)
        p1 &= (x > 1.9e6) & (x < 6.1e6)
    swap = valid & p1 & ~p0
    # as with degrees: the columns look exchanged only when most rows do, else those rows are slips (COORD-RANGE)
    if swap.any() and 2 * swap.sum() > valid.sum():
        out.append(problem("COORD-XY-SWAP", file=file, crs=name, **_rows_ids(swap, rows, ids)))
        flagged |= swap
    rng = valid & ~p0 & ~flagged
    if gk is not None:
        lon, lat = transform_xy(x, y, c, 4326)
        rng |= valid & ~flagged & ~in_china(lon, lat)
    _range_problem(rng, x, y, rows, ids, file, out, limit=_projected_range(c, name, gk is not None), pair=pair)
    flagged |= rng
    return flagged


def _gk_zone(x: np.ndarray, y: np.ndarray, gk: dict[str, int], name: str, valid: np.ndarray, *, rows: np.ndarray,
             ids: np.ndarray | None, file: str | None, out: list[Problem]) -> bool:
    """The zone prefix of Gauss–Krüger eastings against the declared zone: CRS-GKPREFIX (prefix or none where the
    CRS says otherwise) or CRS-ZONE (the prefix of another zone); COORD-XY-SWAP first when the prefixed eastings
    stand where the northings should (the surveying convention puts the northing in X). True when found."""
    with np.errstate(invalid="ignore"):
        zone_of_y = np.floor(y / 1e6)
        swapped = valid & (y >= 1.0e7) & (zone_of_y >= 25) & (zone_of_y <= 45) & (x > 1.9e6) & (x < 6.1e6)
    swap = bool(swapped.sum() > 0.5 * valid.sum())
    if swap:
        out.append(problem("COORD-XY-SWAP", file=file, crs=name, **_rows_ids(swapped, rows, ids)))
    east = y if swap else x
    with np.errstate(invalid="ignore"):
        zone = np.floor(east / 1e6)
        prefixed = valid & (east >= 1.0e7) & (zone >= 25) & (zone <= 45)
        nopref = valid & (east > 0) & (east < 1.0e6)
        # rosters merged: some eastings carry this zone's prefix, the others none (each a plausible GK easting)
        own = prefixed & (zone == gk["zone"]) & (east - zone * 1e6 > 1e5) & (east - zone * 1e6 < 9e5)
        bare = nopref & (east > 1e5) & (east < 9e5)
    if own.any() and bare.any() and (own | bare).sum() > 0.5 * valid.sum():
        _mixed_prefix(own, bare, east, gk, name, rows=rows, ids=ids, file=file, out=out)
        return True
    if not gk["prefixed"] and prefixed.sum() > 0.5 * valid.sum():
        z = int(np.median(zone[prefixed]))
        out.append(problem("CRS-GKPREFIX", file=file, crs=name, suggest=f"EPSG:{4513 + z - 25}",
                           easting=_fmt(east[prefixed][0]), **_rows_ids(prefixed, rows, ids)))
        return True
    if gk["prefixed"] and nopref.sum() > 0.5 * valid.sum():
        out.append(problem("CRS-GKPREFIX", file=file, crs=name, suggest=f"EPSG:{gk['epsg'] + 21}",
                           easting=_fmt(east[nopref][0]), **_rows_ids(nopref, rows, ids)))
        return True
    other = prefixed & (zone != gk["zone"])
    if gk["prefixed"] and other.sum() > 0.5 * valid.sum():
        z = int(np.median(zone[other]))
        suggest = f"EPSG:{4513 + z - 25}"
        # nothing to measure a distance from here: the prefix itself says which zone
        found = both("load.zone.prefix", crs=name, suggest=suggest, easting=_fmt(east[other][0]), zone=z,
                      declared=gk["zone"])
        out.append(problem("CRS-ZONE", file=file, crs=name, suggest=suggest, found=found,
                           **_rows_ids(other, rows, ids)))
        return True
    return swap


def _mixed_prefix(own: np.ndarray, bare: np.ndarray, east: np.ndarray, gk: dict[str, int], name: str, *,
                  rows: np.ndarray, ids: np.ndarray | None, file: str | None, out: list[Problem]) -> None:
    """CRS-GKPREFIX-ROWS: some eastings carry the 3° zone prefix (``own``), the others not (``bare``). The fewer
    are named, with the fix that makes the column consistent: take the zone number off them (subtract
    zone × 1,000,000) and declare the CRS without the prefix, or put it on them and declare the one with it."""
    z = int(gk["zone"])
    plain = gk["epsg"] + 21 if gk["prefixed"] else gk["epsg"]  # 3° GK zones: EPSG:4513–4533 prefixed, 4534–4554 not
    remove = own.sum() <= bare.sum()
    named = own if remove else bare
    offset = str(z * 1_000_000)
    how = both("load.gkprefix.remove" if remove else "load.gkprefix.add", zone=z, offset=offset,
               suggest=f"EPSG:{plain if remove else plain - 21}")
    out.append(problem("CRS-GKPREFIX-ROWS", file=file, crs=name, zone=z, easting=_fmt(east[named][0]),
                       carry=both("load.gkprefix.with" if remove else "load.gkprefix.without", zone=z),
                       others=int((bare if remove else own).sum()), how=how, **_rows_ids(named, rows, ids)))


def _projected_range(c: CRS, name: str, china: bool, margin: float = 3.0) -> dict[str, str]:
    """What :func:`_check_projected` tests, said: the CRS's area of use widened by ``margin`` degrees (as
    :func:`_plausible_projected`), and for a Gauss–Krüger CRS within China too."""
    aou = area_of_use(c)
    if aou is None:
        return both("load.range.crs", crs=name)
    w, s, e, n = aou
    box = {"w": _fmt(w - margin), "s": _fmt(max(s - margin, -90.0)), "e": _fmt(e + margin),
           "n": _fmt(min(n + margin, 90.0))}
    return both("load.range.area_china" if china else "load.range.area", crs=name, **box)


def _share(inside: np.ndarray) -> str:
    return f"{100.0 * inside.mean():.0f}%"


def _check_against_boundary(x: np.ndarray, y: np.ndarray, lon: np.ndarray, lat: np.ndarray, c: CRS, name: str,
                            ok: np.ndarray, *, rows: np.ndarray, ids: np.ndarray | None, file: str | None,
                            boundary: gpd.GeoSeries, far_m: float, shift: str, pair: _Pair) -> list[Problem]:
    out: list[Problem] = []
    if boundary.crs is None:
        return out
    metric = working_crs_for(boundary)
    b = boundary.to_crs(metric)
    area = shapely.union_all(shapely.make_valid(b.geometry.to_numpy()))
    shapely.prepare(area)

    def dist(lo: np.ndarray, la: np.ndarray) -> np.ndarray:
        mx, my = transform_xy(lo, la, 4326, metric)
        d = np.full(len(lo), np.inf)
        fin = np.isfinite(mx) & np.isfinite(my)
        d[fin] = shapely.distance(area, shapely.points(mx[fin], my[fin]))
        return d

    d0 = np.full(len(x), np.nan)
    d0[ok] = dist(lon[ok], lat[ok])
    far = ok & (d0 > far_m)
    gk = gk_info(c)
    if gk is not None and far.sum() > 0.5 * ok.sum():
        for dz in (-1, 1, -2, 2):
            alt = gk["epsg"] + dz
            lo_ok = 4513 <= alt <= 4533 if gk["prefixed"] else 4534 <= alt <= 4554
            if not lo_ok:
                continue
            xx = x[ok] + (dz * 1e6 if gk["prefixed"] else 0.0)
            alo, ala = transform_xy(xx, y[ok], f"EPSG:{alt}", 4326)
            if (dist(alo, ala) <= far_m).mean() > 0.5:
                found = both("load.zone.boundary", crs=name, suggest=f"EPSG:{alt}",
                              dist_km=_fmt(round(float(np.nanmedian(d0[ok]) / 1000.0))))
                out.append(problem("CRS-ZONE", file=file, crs=name, suggest=f"EPSG:{alt}", found=found,
                                   **_rows_ids(far, rows, ids)))
                return out
    if far.any():
        i = np.flatnonzero(far)[0]
        out.append(problem("COORD-RANGE", file=file, limit=both("load.range.boundary", km=_fmt(far_m / 1000)),
                           sample=pair.say(x[i], y[i]),
                           **_rows_ids(far, rows, ids)))
    near = ok & ~far
    inside = near & (d0 <= 0)
    if c.is_geographic and not shift and near.sum() >= 3 and in_china(lon[near], lat[near]).mean() > 0.5:
        given = inside[near]
        for kind in ("gcj02", "bd09"):
            wl, wa = chinacoords.to_wgs84(lon[near], lat[near], kind)
            fixed = dist(wl, wa) <= 0
            if fixed.mean() >= given.mean() + 0.2 and fixed.mean() >= 0.5:
                out.append(problem("COORD-GCJ-SUSPECT", file=file, kind=kind.upper().replace("02", "-02")
                                   .replace("09", "-09"), share_given=_share(given), share_fixed=_share(fixed)))
                return out
    outside = near & ~inside
    if outside.any():
        out.append(problem("SPAT-OUTSIDE", severity="warning", file=file, option="--boundary",
                           **_rows_ids(outside, rows, ids)))
    return out


def check_precision(x: np.ndarray, y: np.ndarray, crs: CRS, file: str | None, *, min_rows: int = 5) -> list[Problem]:
    """COORD-PRECISION (warning) when most coordinates are rounded to ~100 m or coarser.

    Examples
    --------
    >>> x = np.array([106.512, 106.513, 106.514, 106.515, 106.516]); y = x * 0 + 29.5
    >>> [p.code for p in check_precision(x, y, CRS.from_epsg(4490), "h.csv")]
    ['COORD-PRECISION']
    """
    if len(x) < min_rows:
        return []
    step = 1e-3 if crs.is_geographic else 100.0

    def coarse(v: np.ndarray) -> np.ndarray:
        q = v / step
        return np.abs(q - np.round(q)) < 1e-6 * np.maximum(1.0, np.abs(q)) + 1e-9

    share = (coarse(x) & coarse(y)).mean()
    if share < 0.8:
        return []
    return [problem("COORD-PRECISION", severity="warning", file=file, share=f"{100 * share:.0f}%",
                    step="0.001°" if crs.is_geographic else "100 m")]


def check_duplicates(xy: np.ndarray, rows: np.ndarray, ids: np.ndarray, file: str | None,
                     tol: float = 0.01) -> list[Problem]:
    """COORD-DUP (warning): households sharing a location (to ``tol`` metres); all are kept.

    Examples
    --------
    >>> xy = np.array([[0.0, 0.0], [0.0, 0.0], [5.0, 0.0]])
    >>> p = check_duplicates(xy, np.array([1, 2, 3]), np.array(["a", "b", "c"]), "h.csv")[0]
    >>> p.code, p.severity, p.ids, p.params["n_locations"]
    ('COORD-DUP', 'warning', ('a', 'b'), 1)
    """
    if len(xy) < 2:
        return []
    key = np.round(np.asarray(xy, dtype=float) / tol).astype(np.int64)
    _, inv, counts = np.unique(key, axis=0, return_inverse=True, return_counts=True)
    inv = inv.ravel()
    dup = counts[inv] > 1
    if not dup.any():
        return []
    return [problem("COORD-DUP", severity="warning", file=file, n_locations=int((counts > 1).sum()),
                    **_rows_ids(dup, np.asarray(rows), np.asarray(ids, dtype=object)))]


# ------------------------------------------------------------------------------ spatial relations
def assign_by_polygons(
    households: gpd.GeoDataFrame,
    polygons: gpd.GeoDataFrame,
    field: str,
    out_col: str,
    *,
    option: str = "--boundary",
    file: str | None = None,
    rows: np.ndarray | None = None,
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Set ``out_col`` of each household from the polygon that contains it.

    Households outside every polygon get NA and an SPAT-OUTSIDE error; households in two or more
    polygons (overlap, or exactly on a shared border) get NA and an SPAT-AMBIG error. The input is not
    modified; polygons are reprojected to the households' CRS.

    Parameters
    ----------
    households : GeoDataFrame
        Household points (index ``hid``).
    polygons : GeoDataFrame
        Village / group polygons with the attribute ``field``.
    field, out_col : str
        Polygon attribute to copy and the household column to write (e.g. ``"name"`` → ``"village"``).
    option : str
        The command-line option that gave the polygons (``--boundary``, ``--groups``), named in the messages.
    file : str, optional
        The household file, named in the messages.
    rows : array of int, optional
        Each household's row as its file shows it (``LoadReport.rows``); default 1, 2 … in order.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> h = gpd.GeoDataFrame(index=pd.Index(["a", "b", "c"], name="hid"),
    ...                      geometry=gpd.points_from_xy([1, 3, 9], [1, 1, 9]), crs=4545)
    >>> v = gpd.GeoDataFrame({"name": ["东村", "西村"]}, geometry=[box(0, 0, 2, 2), box(2, 0, 4, 2)], crs=4545)
    >>> out, ps = assign_by_polygons(h, v, "name", "village")
    >>> out["village"].tolist(), [(p.code, p.ids) for p in ps]
    (['东村', '西村', nan], [('SPAT-OUTSIDE', ('c',))])
    """
    if polygons.crs is not None and households.crs is not None and polygons.crs != households.crs:
        polygons = polygons.to_crs(households.crs)
    n = len(households)
    hits, first = polygon_hits(households.geometry.to_numpy(), polygons.geometry.to_numpy())
    vals = polygons[field].astype("object").to_numpy()
    col = np.where(hits == 1, vals[np.maximum(first, 0)], None)
    result = households.copy()
    result[out_col] = pd.Series(col, index=households.index, dtype="object").map(
        lambda v: None if v is None else str(v), na_action="ignore").astype("str")
    ids = households.index.astype(str).to_numpy()
    rows = np.asarray(rows) if rows is not None and len(rows) == n else np.arange(1, n + 1)
    problems: list[Problem] = []
    if (hits == 0).any():
        problems.append(problem("SPAT-OUTSIDE", file=file, option=option,
                                **_rows_ids(hits == 0, rows, ids)))
    if (hits > 1).any():
        problems.append(problem("SPAT-AMBIG", file=file, option=option,
                                **_rows_ids(hits > 1, rows, ids)))
    return result, problems


def polygon_hits(points: np.ndarray, polygons: np.ndarray, predicate: str = "intersects",
                 ) -> tuple[np.ndarray, np.ndarray]:
    """For each point: how many polygons it meets (``predicate``) and the first such polygon (-1: none).

    A point exactly on the border of two polygons ``intersects`` both. Missing / empty points meet none.

    Examples
    --------
    >>> from shapely.geometry import Point, box
    >>> hits, first = polygon_hits(np.array([Point(1, 1), Point(2, 1), Point(9, 9)]),
    ...                            np.array([box(0, 0, 2, 2), box(2, 0, 4, 2)]))
    >>> hits.tolist(), first.tolist()
    ([1, 2, 0], [0, 0, -1])
    """
    n = len(points)
    first = np.full(n, -1, dtype=np.int64)
    if n == 0 or len(polygons) == 0:
        return np.zeros(n, dtype=np.int64), first
    pi, gi = shapely.STRtree(polygons).query(points, predicate=predicate)
    hits = np.bincount(pi, minlength=n)
    order = np.lexsort((gi, pi))
    pi_s, gi_s = pi[order], gi[order]
    if len(pi_s):
        starts = np.r_[True, pi_s[1:] != pi_s[:-1]]
        first[pi_s[starts]] = gi_s[starts]
    return hits, first


def check_ambiguous(points: np.ndarray, polygons: np.ndarray, rows: np.ndarray, ids: np.ndarray | None,
                    file: str | None, *, option: str = "--boundary") -> list[Problem]:
    """SPAT-AMBIG (error) for points in two or more polygons (an overlap, or exactly on a shared border).

    Examples
    --------
    >>> from shapely.geometry import Point, box
    >>> ps = check_ambiguous(np.array([Point(1, 1), Point(2, 1)]), np.array([box(0, 0, 2, 2), box(2, 0, 4, 2)]),
    ...                      np.array([1, 2]), np.array(["a", "b"]), "h.csv")
    >>> [(p.code, p.ids) for p in ps]
    [('SPAT-AMBIG', ('b',))]
    """
    hits, _ = polygon_hits(points, polygons)
    amb = hits > 1
    if not amb.any():
        return []
    return [problem("SPAT-AMBIG", file=file, option=option, **_rows_ids(amb, rows, ids))]


#: Households in water that point to coordinates shifted as a whole (AMap/WeChat GCJ-02 …) rather than a house
#: point drawn a little into the outline of the pond or river beside it: more than this share of them, and at
#: least :data:`WATER_MANY`. An offset moves every point, a stray point moves one.
WATER_SHARE = 0.05
WATER_MANY = 3


def check_points_in_water(points: np.ndarray, water: np.ndarray, rows: np.ndarray, ids: np.ndarray | None,
                          file: str | None, *, classes: Sequence[Any] | None = None) -> list[Problem]:
    """SPAT-WATER (warning) for points inside water polygons (lines and points of ``water`` are ignored).

    ``classes`` (one per ``water`` geometry: the land-use class, 坑塘水面 …, "" where unknown) names the water the
    households stand in. The fix suggests ``--crs gcj02`` only when many of the points are in water (more than
    :data:`WATER_SHARE` of them, at least :data:`WATER_MANY`), else to check those households' points.

    Examples
    --------
    >>> from shapely.geometry import LineString, Point, box
    >>> ps = check_points_in_water(np.array([Point(1, 1), Point(5, 5)]),
    ...                            np.array([box(0, 0, 2, 2), LineString([(4, 4), (6, 6)])]),
    ...                            np.array([1, 2]), np.array(["a", "b"]), "h.csv", classes=["坑塘水面", ""])
    >>> [(p.code, p.ids, p.severity) for p in ps]
    [('SPAT-WATER', ('a',), 'warning')]
    >>> print(ps[0].message("en"))  # doctest: +ELLIPSIS
    Warning SPAT-WATER: file h.csv: 1 household lies inside water polygons (1 in 坑塘水面), 50.0% of the 2 (row 1; id a).
      Fix: check these households' points: ...
    """
    water = np.asarray(water, dtype=object)
    is_poly = np.isin(shapely.get_type_id(water), [3, 6])  # Polygon, MultiPolygon
    polys = water[is_poly]
    hits, first = polygon_hits(points, polys, predicate="within")
    mask = hits > 0
    if not mask.any():
        return []
    count, total = int(mask.sum()), len(points)
    where = both("load.water.any")
    if classes is not None:
        labels = np.asarray(list(classes), dtype=object)[is_poly][first[mask]]
        known = np.array([isinstance(x, str) and x.strip() not in ("", "?") for x in labels], dtype=bool)
        if known.any():
            v, c = np.unique(labels[known].astype(str), return_counts=True)
            order = np.lexsort((v, -c))
            where = {lang: text("load.water.classes", lang, classes=text("list.sep", lang).join(
                text("load.water.class", lang, name=v[i], count=int(c[i])) for i in order)) for lang in LANGS}
    many = count >= WATER_MANY and count > WATER_SHARE * total
    return [problem("SPAT-WATER", severity="warning", file=file, water=where, total=total,
                    share=_water_share(count, total), then=both(f"load.water.{'many' if many else 'few'}"),
                    **_rows_ids(mask, rows, ids))]


def _water_share(count: int, total: int) -> dict[str, str]:
    """SPAT-WATER's share of the ``total`` households, to 0.1 %; one that rounds to 0.0 % is under 0.1 % (there
    are some).

    >>> _water_share(1, 18)["zh"], _water_share(1, 7383)["zh"], _water_share(1, 7383)["en"]
    ('占 18 户的 5.6%', '不到 7383 户的 0.1%', 'under 0.1% of the 7383')
    """
    share = f"{100.0 * count / total:.1f}%"
    if count and share == "0.0%":
        return both("load.water.share_under", total=total, share="0.1%")
    return both("load.water.share", total=total, share=share)


def check_in_water(households: gpd.GeoDataFrame, water: gpd.GeoDataFrame, file: str | None = None) -> list[Problem]:
    """SPAT-WATER (warning) for households inside water polygons (lines and points are ignored), the water named
    by its land-use class where ``water`` has one (a ``water_class`` column, or DLBM/DLMC, natural/landuse)."""
    from yuanluo.gis.barriers import landuse_classes

    if water.crs is not None and households.crs is not None and water.crs != households.crs:
        water = water.to_crs(households.crs)
    n = len(households)
    if "water_class" in water.columns:
        classes: Sequence[Any] | None = water["water_class"].tolist()
    else:
        cls = landuse_classes(water)
        classes = None if cls is None else cls["label"].tolist()
    return check_points_in_water(households.geometry.to_numpy(), water.geometry.to_numpy(), np.arange(1, n + 1),
                                 households.index.astype(str).to_numpy(), file, classes=classes)


#: Gaps between neighbouring boundary polygons narrower than this (metres) are reported (BND-COVERAGE);
#: wider empty space between villages is taken as intended.
COVERAGE_GAP_M = 20.0


def check_empty_polygons(geoms: gpd.GeoSeries, rows: np.ndarray, file: str | None) -> tuple[list[Problem], np.ndarray]:
    """GEOM-EMPTY for the features of a polygon layer (units, boundary, groups) that have no shape: a NULL
    geometry (QGIS clears it when a feature's shape is deleted) or an empty one; and the mask of those features,
    which no other geometry check is about. ``rows``: each feature's number in the layer.

    >>> from shapely.geometry import Polygon
    >>> g = gpd.GeoSeries([Polygon([(0, 0), (1, 0), (1, 1)]), None, Polygon()])
    >>> probs, empty = check_empty_polygons(g, np.arange(1, 4), "u.gpkg")
    >>> [(q.code, q.rows) for q in probs], empty.tolist()
    ([('GEOM-EMPTY', (2, 3))], [False, True, True])
    """
    arr = np.asarray(geoms.to_numpy(), dtype=object)
    empty = np.asarray(shapely.is_missing(arr) | shapely.is_empty(arr), dtype=bool)
    if not empty.any():
        return [], empty
    return [problem("GEOM-EMPTY", file=file, rows=np.asarray(rows)[empty])], empty


#: GEOS's reasons a polygon is invalid (:func:`shapely.is_valid_reason`, English), as the catalogue says them
INVALID_REASONS = {"Self-intersection": "self", "Ring Self-intersection": "ring_self", "Too few points": "few",
                   "Hole lies outside shell": "hole_out", "Holes are nested": "holes_nested",
                   "Interior is disconnected": "disconnected", "Nested shells": "shells_nested",
                   "Duplicate Rings": "duplicate", "Invalid Coordinate": "coordinate", "Ring is not closed": "open",
                   "Repeated Point": "repeated"}


def invalid_reason(reason: str) -> dict[str, str]:
    """GEOS's reason a polygon is invalid (``Self-intersection[379710.09 4712597.29]``) in the catalogue's words, in
    each language, with where (GEOM-INVALID's ``{reason[zh]}``): GEOS's English was said in a Chinese message.

    >>> invalid_reason("Self-intersection[379710.095243219 4712597.29389719]")["zh"]
    '多边形边界自相交，位置 x 379710.095243、y 4712597.293897'
    >>> invalid_reason("Something new")["en"]
    'the polygon is not valid'
    """
    import re

    found = re.fullmatch(r"\s*(.*?)\s*\[\s*(\S+)\s+(\S+)\s*\]\s*", reason)
    what, at = (found.group(1), found.group(2, 3)) if found else (reason.strip(), None)
    key = next((v for k, v in INVALID_REASONS.items() if what.lower().startswith(k.lower())), "other")
    said = both(f"load.geom_invalid.{key}")
    if at is None:
        return said
    try:
        x, y = (f"{float(v):.6f}".rstrip("0").rstrip(".") for v in at)
    except ValueError:
        return said
    return {lang: text("load.geom_invalid.at", lang, what=said[lang], x=x, y=y) for lang in LANGS}


def check_boundary(gdf: gpd.GeoDataFrame, file: str | None, *, id_col: str | None = None,
                   require_id: bool = True) -> list[Problem]:
    """Checks of a boundary (village / group) layer: GEOM-EMPTY (:func:`check_empty_polygons`), GEOM-TYPE,
    GEOM-INVALID, BND-ID, BND-COVERAGE (warning).

    ``id_col`` defaults to the first column mapped to ``village``/``group`` or named name/id/名称/编号.
    Gaps narrower than :data:`COVERAGE_GAP_M` between polygons count as coverage problems.
    With ``require_id=False`` (an area outline given as bare geometries) a missing id column is not a
    problem; blank or duplicate values of an id column that exists still are.
    """
    n = len(gdf)
    rows = np.arange(1, n + 1)
    out, empty = check_empty_polygons(gdf.geometry, rows, file)
    types = gdf.geometry.geom_type.fillna("None").to_numpy(dtype=object)
    poly = np.isin(types, ["Polygon", "MultiPolygon"]) & ~empty
    if (~poly & ~empty).any():
        bad = sorted({str(t) for t in types[~poly & ~empty]})
        out.append(problem("GEOM-TYPE", file=file, types=list(bad), expected="Polygon", rows=rows[~poly & ~empty]))
    geoms = gdf.geometry.to_numpy()
    invalid = poly & ~shapely.is_valid(geoms)
    if invalid.any():
        reason = invalid_reason(str(shapely.is_valid_reason(geoms[invalid][0])))
        out.append(problem("GEOM-INVALID", file=file, reason=reason, rows=rows[invalid]))
    col = id_col or _boundary_id_col(gdf)
    if col is None or col not in gdf.columns:
        columns = [str(c) for c in gdf.columns if c != gdf.geometry.name]
        if id_col is not None:  # named (--group-field) but not there
            out.append(problem("BND-ID-COLUMN", file=file, column=id_col, columns=columns or ["-"]))
        elif require_id:
            out.append(problem("BND-ID-NONE", file=file, columns=columns or ["-"]))
    else:
        vals = gdf[col].astype("object")
        blank = (vals.isna() | (vals.astype(str).str.strip() == "")).to_numpy()
        if blank.any():
            out.append(problem("BND-ID", file=file, column=col, rows=rows[blank]))
        dup = (vals.duplicated(keep=False) & ~vals.isna()).to_numpy()
        if dup.any():
            out.append(problem("BND-ID", file=file, column=col, rows=rows[dup],
                               ids=vals[dup].astype(str)))
    if poly.all() and not invalid.any() and n > 1:
        try:
            good = gpd.GeoSeries(geoms, crs=gdf.crs)
            gap = COVERAGE_GAP_M / 111_000.0 if gdf.crs is not None and CRS(gdf.crs).is_geographic else COVERAGE_GAP_M
            if not bool(good.is_valid_coverage(gap_width=gap)):
                edges = good.invalid_coverage_edges(gap_width=gap)
                edges = edges[~edges.is_empty]
                c = shapely.union_all(edges.to_numpy()).centroid if len(edges) else None
                where = f"({c.x:.1f}, {c.y:.1f})" if c is not None and not c.is_empty else "?"
                out.append(problem("BND-COVERAGE", severity="warning", file=file, n_edges=len(edges), where=where))
        except Exception:  # noqa: BLE001 - a coverage check must never block loading
            pass
    return out


def _boundary_id_col(gdf: gpd.GeoDataFrame) -> str | None:
    """The name/id column of a boundary layer: of the columns named as a village, group or settlement, the first
    whose values tell the polygons apart (a groups layer carries its village too), else the first of them; else a
    column named name, id, 名称 …"""
    from yuanluo.gis.columns import canonical_of, normalize_name

    cols = [c for c in gdf.columns if c != gdf.geometry.name]
    named = [c for c in cols if canonical_of(c) in ("village", "group", "settlement")]
    unique = [c for c in named if gdf[c].notna().all() and gdf[c].astype(str).str.strip().ne("").all()
              and not gdf[c].astype(str).duplicated().any()]
    if unique or named:
        return str((unique or named)[0])
    for c in cols:
        if normalize_name(c) in ("name", "id", "名称", "编号", "代码", "code", "村名", "名字"):
            return str(c)
    return None


def errors(problems: Sequence[Problem]) -> list[Problem]:
    """The problems of severity "error"."""
    return [p for p in problems if p.severity == "error"]


#: After the offset is undone the households sit by the roads: the median distance to the nearest road at most
#: this many metres, and at most 1 / :data:`ROAD_GAIN` of that as given (:func:`check_offset_against_layers`).
#: Measured on 146 real Andorra villages moved into China (buildings within 600 m of an OSM place): against their
#: trunk and primary roads only, 60 m and a gain of 2 took 10 of the 146 correct villages for offset ones, 40 m and
#: 2.5 two (35 m: none), and found 40 of 73 villages offset by GCJ-02 against all their roads (60 m and 2: 54); on
#: synthetic villages the corrected median is 14–38 m. A finding by the roads is a warning for that reason.
NEAR_ROAD_M = 40.0
ROAD_GAIN = 2.5
#: A water layer: at least :data:`WATER_MANY` and more than :data:`WATER_GIVEN` of the households stand in water as
#: given (twice the share at which SPAT-WATER suggests an offset: a few house points drawn into a pond are not
#: one), and at most :data:`WATER_KEEP` of that many after the offset is undone.
WATER_GIVEN = 0.1
WATER_KEEP = 0.25
#: A roads layer and a water layer, each short of finding the offset alone, find it together when the same undoing
#: of the offset fits both: the roads at most :data:`NEAR_ROAD_M` away and nearer by :data:`JOINT_ROAD_GAIN`, and of
#: at least :data:`WATER_MANY` households standing in water, and :data:`JOINT_WATER_SHARE` of them all, at most
#: :data:`JOINT_WATER_KEEP` of that many after. Measured (session 40) on 40 synthetic villages (120-300 households,
#: their rivers as water 12-30 m wide, 6 ponds) and 70 Andorra villages moved into China (buildings within 600 m of
#: a place, all OSM roads and water): correct households never fit the roads after an undoing by more than 0.6
#: (synthetic, first 12) and 2.4 (Andorra, three villages), and none of those had three households in water: no
#: correct village is found together; of the same villages with GCJ-02 coordinates 2 synthetic and 3 of Andorra are
#: found only together (e.g. roads 66 → 30 m and in water 11 → 5), and the audit's 300 households (roads 60 → 29 m,
#: a gain of 2.05; in water 15 → 4).
JOINT_ROAD_GAIN = 1.6
JOINT_WATER_SHARE = 0.02
JOINT_WATER_KEEP = 0.5


def check_offset_against_layers(lon: np.ndarray, lat: np.ndarray,
                                layers: Sequence[tuple[str, gpd.GeoDataFrame, str]], *,
                                households_shiftable: bool = True, file: str | None = None,
                                min_households: int = 10) -> list[Problem]:
    """The Chinese web-map offset (GCJ-02, BD-09) between households and the context layers given.

    ``lon, lat`` are the households' WGS 84 positions as declared; ``layers`` are (kind, layer, name as given) with
    kind ``roads`` (lines: the households' median distance to the nearest road), ``water`` or ``rivers`` (their
    polygons: the share of households standing in water). When most households are in China and, for some layer, they fit it
    much better after the offset is undone on them (:data:`NEAR_ROAD_M`, :data:`WATER_KEEP`), that is
    COORD-GCJ-CONTEXT (the households were picked on a phone map; tested only with ``households_shiftable``: a
    geographic CRS declared without an offset); when they fit it much better moved by the offset, the layer is in
    GCJ-02 / BD-09 and the households are right: LAYER-GCJ-SUSPECT. Found by the water, an error (houses do not
    stand in water); by the roads, a warning (a sparse road layer may pass a village at the offset's distance by
    chance, and the fix would move the plan); the one of the largest gain is returned.

    Examples
    --------
    >>> from shapely.geometry import LineString
    >>> lon = 106.55 + 0.001 * np.arange(20); lat = np.full(20, 29.56)
    >>> road = gpd.GeoDataFrame(geometry=[LineString(zip(lon[[0, -1]], lat[[0, -1]]))], crs=4326).to_crs(4545)
    >>> glon, glat = chinacoords.wgs84_to_gcj02(lon, lat)
    >>> [p.code for p in check_offset_against_layers(glon, glat, [("roads", road, "r.gpkg")])]
    ['COORD-GCJ-CONTEXT']
    >>> check_offset_against_layers(lon, lat, [("roads", road, "r.gpkg")])
    []
    >>> gx, gy = chinacoords.wgs84_to_gcj02(lon[[0, -1]], lat[[0, -1]])
    >>> shifted = gpd.GeoDataFrame(geometry=[LineString(zip(gx, gy))], crs=4326)
    >>> [p.code for p in check_offset_against_layers(lon, lat, [("roads", shifted, "r.gpkg")])]
    ['LAYER-GCJ-SUSPECT']
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    ok = np.isfinite(lon) & np.isfinite(lat)
    lon, lat = lon[ok], lat[ok]
    if len(lon) < min_households or in_china(lon, lat).mean() <= 0.5:
        return []
    moves: list[tuple[str, str, Any]] = []  # (code, kind, the households' position in the layer's datum)
    if households_shiftable:
        moves += [("COORD-GCJ-CONTEXT", k, lambda a, b, k=k: chinacoords.to_wgs84(a, b, k)) for k in ("gcj02", "bd09")]
    moves += [("LAYER-GCJ-SUSPECT", "gcj02", chinacoords.wgs84_to_gcj02),
              ("LAYER-GCJ-SUSPECT", "bd09", chinacoords.wgs84_to_bd09)]
    best: tuple[float, Problem] | None = None
    fits: dict[str, list[tuple[str, str, float, dict[str, float]]]] = {"roads": [], "water": []}  # for the joint test
    for kind, layer, name in layers:
        if layer is None or layer.crs is None or not len(layer):
            continue
        geoms = np.asarray(layer.geometry.to_numpy(), dtype=object)
        geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
        measure = "roads" if kind == "roads" else "water"  # rivers: their water polygons
        if measure == "water":
            geoms = geoms[np.isin(shapely.get_type_id(geoms), [3, 6])]  # Polygon, MultiPolygon
        if not len(geoms):
            continue
        tree = shapely.STRtree(geoms)
        metric = CRS.from_user_input(layer.crs)
        given = _fit(measure, tree, metric, lon, lat)
        undone: dict[str, float] = {}
        fits[measure].append((kind, name, given, undone))
        for code, shift, move in moves:
            fixed = _fit(measure, tree, metric, *move(lon, lat))
            if code == "COORD-GCJ-CONTEXT":
                undone[shift] = fixed
            gain = given - fixed  # the median distance to a road, the share in water: lower fits better
            if measure == "water":
                found = given * len(lon) >= WATER_MANY and given > WATER_GIVEN and fixed <= WATER_KEEP * given
                gain *= 1000.0  # a water layer's finding before a road layer's
                said = {"given": f"{100.0 * given:.0f}", "fixed": f"{100.0 * fixed:.0f}"}
            else:
                found = fixed <= NEAR_ROAD_M and ROAD_GAIN * fixed <= given
                said = {"given": f"{given:.0f}", "fixed": f"{fixed:.0f}"}
            if not found or (best is not None and gain <= best[0]):
                continue
            label = shift.upper().replace("02", "-02").replace("09", "-09")
            best = (gain, problem(code, file=file if code == "COORD-GCJ-CONTEXT" else None, kind=label, layer=name,
                                  what=both(f"gcj.layer.{kind}"), given=both(f"gcj.given.{measure}", **said),
                                  fixed=both(f"gcj.fixed.{measure}", **said), unless=both(f"gcj.unless.{measure}"),
                                  severity="error" if measure == "water" else "warning"))
    if best is None:
        joint = _joint_offset(fits, len(lon), file)
        return [] if joint is None else [joint]
    return [best[1]]


def _joint_offset(fits: dict[str, list[tuple[str, str, float, dict[str, float]]]], n: int,
                  file: str | None) -> Problem | None:
    """COORD-GCJ-CONTEXT (a warning) found by a roads layer and a water layer together (:data:`JOINT_ROAD_GAIN`):
    ``fits`` holds per layer measured (kind, name, fit as given, fit after undoing each offset); the pair and
    offset of the largest road gain, else None.

    >>> fits = {"roads": [("roads", "r.shp", 60.0, {"gcj02": 29.0, "bd09": 400.0})],
    ...         "water": [("water", "w.shp", 0.05, {"gcj02": 0.013, "bd09": 0.0})]}
    >>> p = _joint_offset(fits, 300, "h.csv")
    >>> p.code, p.severity, p.params["kind"]
    ('COORD-GCJ-CONTEXT', 'warning', 'GCJ-02')
    >>> fits["roads"][0][3]["gcj02"] = 45.0  # the roads farther than NEAR_ROAD_M after: not found
    >>> _joint_offset(fits, 300, "h.csv") is None
    True
    """
    best: tuple[float, Problem] | None = None
    for _, road_name, road, road_fixed in fits["roads"]:
        for kind, water_name, water, water_fixed in fits["water"]:
            for shift, fixed in road_fixed.items():
                wet = water_fixed.get(shift)
                if wet is None or not (fixed <= NEAR_ROAD_M and JOINT_ROAD_GAIN * fixed <= road):
                    continue
                if not (water * n >= WATER_MANY and water >= JOINT_WATER_SHARE and wet <= JOINT_WATER_KEEP * water):
                    continue
                gain = road / max(fixed, 1e-9)
                if best is not None and gain <= best[0]:
                    continue
                said = {"road": f"{road:.0f}", "water": f"{100.0 * water:.0f}"}
                after = {"road": f"{fixed:.0f}", "water": f"{100.0 * wet:.0f}"}
                label = shift.upper().replace("02", "-02").replace("09", "-09")
                best = (gain, problem("COORD-GCJ-CONTEXT", file=file, kind=label, layer=water_name,
                                      what=both(f"gcj.layer.joint.{kind}", roads=road_name),
                                      given=both("gcj.given.joint", **said), fixed=both("gcj.fixed.joint", **after),
                                      unless=both("gcj.unless.joint"), severity="warning"))
    return None if best is None else best[1]


def _fit(kind: str, tree: shapely.STRtree, metric: CRS, lon: np.ndarray, lat: np.ndarray) -> float:
    """How the households at ``lon, lat`` (WGS 84) fit a layer (``tree`` of its geometries, in ``metric``): the
    median distance in metres to the nearest road (``roads``), the share standing in water (``water``)."""
    mx, my = transform_xy(lon, lat, 4326, metric)
    pts = shapely.points(mx, my)
    if kind == "water":
        hit, _ = tree.query(pts, predicate="within")
        return float(len(np.unique(hit))) / len(lon)
    (i, _), d = tree.query_nearest(pts, return_distance=True, all_matches=False)
    dist = np.full(len(lon), np.inf)
    dist[i] = d * (111_000.0 if metric.is_geographic else 1.0)  # metres (near enough for a median)
    return float(np.median(dist))
