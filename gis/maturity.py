"""Six-sided service maturity (六边形服务): score sheets in; per unit and period the six maturities out.

Changshou rates six kinds of service in every courtyard (:data:`CATEGORIES`, in the seed's fixed axis order)
on three indicators each (:data:`INDICATORS`), every score an integer from 1 to 10. This module is the numeric
core, free of any drawing:

* :func:`read_scores` reads filled sheets (xlsx as Excel shows it, as rosters are read: a unit or period merged
  down over rows is each row's, ``0001`` shown by a number format is 0001; or CSV in UTF-8 / GBK) into a tidy
  table, one row per unit, period, category and indicator; a blank cell is *未评* (``<NA>``), never 0. Every
  problem is collected and raised once as :class:`~yuanluo.gis.errors.InputError` naming the cells (``E7``) and
  columns: ``MAT-SCORE`` (outside 1–10 or not a number), ``MAT-UNIT-UNKNOWN``, ``MAT-UNIT-BLANK``,
  ``MAT-PERIOD``, ``MAT-DUP`` (a unit twice in a period), ``MAT-PERIOD-KIND`` (a period cell not of the kind the
  other rows have: a date among quarters), ``MAT-SAME-FILE`` (a sheet given twice), ``MAT-MERGED`` /
  ``MAT-SHIFT`` / ``MAT-HEADER`` (merged header or score cells, shifted cells, the header not where expected),
  ``MAT-COLUMN``, ``MAT-COLUMN-MISSING`` (a template with an indicator column deleted), ``MAT-FILE``,
  ``MAT-FORMULA`` (a formula never computed: a file no spreadsheet program saved), ``MAT-HIDDEN`` (the only
  score sheets are hidden: a hidden sheet is read only when named). Assessment dates are written as ISO dates
  (:func:`normalise_date`: an Excel date, ``2026/3/16``, ``2026年3月16日``); one that cannot be read (``3月17日``
  has no year, which is never guessed) is kept as written and said by the warning ``MAT-DATE-UNREAD``. Every
  visible sheet with a score header is read (a
  town may keep each period on its own sheet), or only those named (``sheet_names``; ``MAT-SHEET-UNKNOWN`` for
  a name not there, listing the sheets there are); where there are several, cells are named with their sheet
  (``四季度!I5``).
* :func:`maturity_table` turns them into one row per unit and period: each category's maturity (the mean of its
  indicators by default; ``rule`` and ``min_indicators`` configurable), how many categories are rated, the mean,
  the weakest category, the fullness and the change since the previous period.
* :func:`fullness` is the hexagon's area over the full hexagon, Σ rᵢ·rᵢ₊₁ / 600. It grows with the square of
  the scores and depends on the axis order (10,1,10,1,10,1 gives 10 %, 10,10,10,1,1,1 gives 37 %, same
  mean), so it is only computed when all six are rated and is always shown beside the six numbers.
* :func:`hexagon_vertices` gives the vertices once, for the HTML card and the print sheet alike.
* :func:`village_summary` aggregates per village and period.

Examples
--------
>>> round(fullness([10, 1, 10, 1, 10, 1]), 2), round(fullness([10, 10, 10, 1, 1, 1]), 2)
(0.1, 0.37)
>>> SCORE_COLUMNS[:2]
('政策宣讲-开展内容', '政策宣讲-实际效果')
"""

from __future__ import annotations

import csv
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from yuanluo.gis.catalogue import LANGS, Lang, both, on_command_line, text
from yuanluo.gis.columns import TOTAL_WORDS  # a unit cell reading one of them is a total row (MAT-TOTAL-ROW)
from yuanluo.gis.errors import InputError, Problem, missing_file, problem, unreadable

#: the six services, in the seed's axis order (clockwise from the top); fixed, because fullness depends on it
CATEGORIES: tuple[str, ...] = ("政策宣讲", "协商议事", "矛盾调处", "环境整治", "文明乡风", "庭院经济")
CATEGORY_KEYS: tuple[str, ...] = ("policy", "consultation", "mediation", "environment", "civility", "economy")
INDICATORS: tuple[str, ...] = ("开展内容", "实际效果", "群众满意度")
INDICATOR_KEYS: tuple[str, ...] = ("content", "effect", "satisfaction")
#: indicator key -> names accepted in a column header (after NFKC, lower case)
INDICATOR_ALIASES: dict[str, tuple[str, ...]] = {
    "content": ("开展内容", "内容", "content"),
    "effect": ("实际效果", "效果", "effect"),
    "satisfaction": ("群众满意度", "满意度", "satisfaction"),
}
#: the 18 score columns of the template, ``类别-指标``
SCORE_COLUMNS: tuple[str, ...] = tuple(f"{c}-{i}" for c in CATEGORIES for i in INDICATORS)
#: field -> header names accepted for it (the first is the template's)
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "unit_id": ("院落编号", "unit_id", "院落号", "小院编号"),
    "period": ("评估期", "评估期次", "期次", "period"),
    "assessor": ("评估人", "评分人", "assessor"),
    "date": ("评估日期", "日期", "date"),
}
#: the template's columns before the scores, as fields (their headers: :func:`column_header`)
TEMPLATE_FIELDS: tuple[str, ...] = ("unit_id", "name", "village", "group", "n_households", "period", "assessor",
                                    "date")
SCORE_MIN, SCORE_MAX = 1, 10
FULL_AREA = 6 * SCORE_MAX * SCORE_MAX
MAX_HEADER_ROW = 10
MAX_CELLS = 12
#: the template's columns the program fills from the result besides the unit id, compared when the sheet is read
#: back (MAT-UNIT-MISMATCH): a sheet made for another delineation would put its scores on other households. The
#: town (乡镇, in the template where the result's units have a town) is compared as the village is: a unit id is
#: the plan's, one unit in one town, so another town in its row is a sheet for another plan, or a slip
CHECKED_FIELDS: tuple[str, ...] = ("town", "village", "group", "n_households")
#: the columns of the tidy score table :func:`read_scores` returns
SCORE_TABLE_COLUMNS = ("unit_id", "period", "category", "indicator", "score", "assessor", "date", "file", "row")

_SEP = re.compile(r"[\s\-‐‑‒–—―_·・/\\|:：]+")


def _norm(value: Any) -> str:
    return unicodedata.normalize("NFKC", "" if value is None else str(value)).strip()


def _shown(value: Any) -> str:
    """A cell as a message quotes it: as the sheet shows it, so that Excel's or WPS's search finds it (not the
    NFKC form the reading compares: a full-width ``：`` stays full-width; a yes/no cell is read as ``TRUE``/``FALSE``
    by :func:`yuanluo.gis.sheets.cell_text`, as Excel and WPS show it).

    >>> _shown(" 备注：本表由村委会填写 "), _shown("３分")
    ('备注：本表由村委会填写', '３分')
    """
    return "" if value is None else str(value).strip()


def category_label(key: str, lang: Lang = "zh") -> str:
    """The name of a category in ``lang`` (a key not of :data:`CATEGORY_KEYS`: ``MAT-CATEGORY``).

    >>> category_label("economy"), category_label("economy", "en")
    ('庭院经济', 'Courtyard economy')
    >>> try:
    ...     category_label("庭院经济")
    ... except InputError as e:
    ...     print(e.problems[0].message("en"))
    Error MAT-CATEGORY: there is no category '庭院经济'.
      Fix: use one of the category keys: policy, consultation, mediation, environment, civility, economy.
    """
    if key not in CATEGORY_KEYS:
        raise InputError(problem("MAT-CATEGORY", given=repr(key)[:60], keys=", ".join(CATEGORY_KEYS)))
    return text(f"maturity.category.{key}", lang)


def column_header(name: str, lang: Lang = "zh") -> str:
    """The template's header of a field (:data:`TEMPLATE_FIELDS`) in ``lang``.

    >>> column_header("unit_id"), column_header("unit_id", "en")
    ('院落编号', 'Unit ID')
    """
    return text(f"maturity.column.{name}", lang)


def score_header(category: str, indicator: str, lang: Lang = "zh") -> str:
    """The template's header of a score column, ``类别-指标`` in ``lang``.

    >>> score_header("policy", "content"), score_header("economy", "satisfaction", "en")
    ('政策宣讲-开展内容', 'Courtyard economy-Satisfaction')
    """
    return f"{category_label(category, lang)}-{text(f'maturity.indicator.{indicator}', lang)}"


def score_columns(lang: Lang = "zh") -> tuple[str, ...]:
    """The 18 score headers of the template in ``lang`` (:data:`SCORE_COLUMNS` in Chinese)."""
    return tuple(score_header(c, i, lang) for c in CATEGORY_KEYS for i in INDICATOR_KEYS)


def _field_aliases() -> dict[str, tuple[str, ...]]:
    """:data:`FIELD_ALIASES` and the template's headers in every language (normalised, lower case)."""
    return {f: tuple(dict.fromkeys([*aliases, *(_norm(column_header(f, lg)).lower() for lg in LANGS)]))
            for f, aliases in FIELD_ALIASES.items()}


def _info_headers() -> set[str]:
    """The descriptive headers the template writes, in every language (normalised, lower case)."""
    return {_norm(column_header(f, lg)).lower() for f in ("name", "village", "group", "n_households") for lg in LANGS}


@cache
def _category_prefixes(ckey: str, cname: str) -> tuple[str, ...]:
    """The names a score header may begin with for a category, longest first: Chinese, the English label, key."""
    names = {cname, ckey, *(_norm(category_label(ckey, lg)).lower() for lg in LANGS)}
    return tuple(sorted(names, key=len, reverse=True))


def parse_score_header(header: Any) -> tuple[str, str] | None:
    """``(category key, indicator key)`` of a score column header, or None.

    ``类别-指标`` with any dash, space, underscore or dot between them, or none; categories by their Chinese name,
    English name or key; indicators by their aliases, so a sheet written in either language reads back.

    >>> parse_score_header("政策宣讲-开展内容"), parse_score_header("庭院经济 满意度"), parse_score_header("村")
    (('policy', 'content'), ('economy', 'satisfaction'), None)
    >>> parse_score_header("Policy publicity-Content"), parse_score_header("Courtyard economy - Effect")
    (('policy', 'content'), ('economy', 'effect'))
    """
    h = _norm(header).lower()
    for ckey, cname in zip(CATEGORY_KEYS, CATEGORIES, strict=True):
        for prefix in _category_prefixes(ckey, cname):
            if h.startswith(prefix):
                rest = _SEP.sub("", h[len(prefix):])
                for ikey, aliases in INDICATOR_ALIASES.items():
                    if rest in aliases:
                        return ckey, ikey
    return None


@cache
def _english_categories() -> tuple[str, ...]:
    """The categories' English labels (normalised, lower case)."""
    return tuple(_norm(category_label(k, "en")).lower() for k in CATEGORY_KEYS)


def _looks_like_score(header: str) -> bool:
    h = _norm(header)
    english = _english_categories()
    return (any(c in h for c in CATEGORIES) or any(a in h for v in INDICATOR_ALIASES.values() for a in v[:2])
            or any(c in h.lower() for c in english))


# ------------------------------------------------------------------------------------------- periods
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER = re.compile(r"^(\d{4})(?:q([1-4])|年?第?([一二三四1-4])季度?|年?([一二三四1-4])季)$")
_QUARTER_LAST = re.compile(r"^q([1-4])(\d{4})$")
_YEAR = re.compile(r"^(\d{4})年?(?:度)?$")
_MONTH = re.compile(r"^(\d{4})(?:[-/年])(\d{1,2})月?$")  # never 2026.1: a number, not October
_DATE = re.compile(r"^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?(?:t[\d:.]+)?$")


def normalise_period(value: Any) -> str:
    """One spelling per period: a quarter as ``2026Q4`` (any case, spaces, ``2026年第四季度``, ``2026年4季度``,
    ``Q4 2026``), a year as ``2026`` (``2026年``, ``2026年度``), a month as ``2026-10``, a date as ``2026-10-01``
    (``2026/10/1``, ``2026年10月1日``), anything else as written (NFKC, stripped).

    >>> [normalise_period(v) for v in ("2026q4", "2026 Q4", "2026年第四季度", "2026年4季度", "Q4-2026", "一季度")]
    ['2026Q4', '2026Q4', '2026Q4', '2026Q4', '2026Q4', '一季度']
    >>> [normalise_period(v) for v in ("2026年度", "2026年10月", "2026/10/1", "2026年10月1日", "2026.1")]
    ['2026', '2026-10', '2026-10-01', '2026-10-01', '2026.1']
    """
    s = _norm(value)
    t = _SEP.sub("", s).lower()
    if (m := _QUARTER.match(t)) is not None:
        return f"{m[1]}Q{_CN_DIGITS[next(g for g in m.groups()[1:] if g)]}"
    if (m := _QUARTER_LAST.match(t)) is not None:
        return f"{m[2]}Q{m[1]}"
    kind, key = _period_parse(s)
    if key is not None:
        y, mo, d = key
        return {"year": f"{y}", "month": f"{y}-{mo:02d}", "date": f"{y}-{mo:02d}-{d:02d}"}.get(kind, s)
    return s


def period_kind(value: str) -> str:
    """What a (normalised) period is: ``quarter``, ``year``, ``month``, ``date`` or ``other`` (not read).

    >>> [period_kind(v) for v in ("2026Q4", "2026", "2026-10", "2026-10-01", "一季度")]
    ['quarter', 'year', 'month', 'date', 'other']
    """
    return _period_parse(value)[0]


def _period_parse(value: str) -> tuple[str, tuple[int, int, int] | None]:
    s = _norm(value)
    t = s.lower().replace(" ", "")
    if (m := re.fullmatch(r"(\d{4})q([1-4])", t)) is not None:
        return "quarter", (int(m[1]), 3 * int(m[2]) - 2, 1)
    if (m := _YEAR.match(t)) is not None:
        return "year", (int(m[1]), 1, 1)
    if (m := _DATE.match(t)) is not None and 1 <= int(m[2]) <= 12 and 1 <= int(m[3]) <= 31:
        return "date", (int(m[1]), int(m[2]), int(m[3]))
    if (m := _MONTH.match(t)) is not None and 1 <= int(m[2]) <= 12:
        return "month", (int(m[1]), int(m[2]), 1)
    return "other", None


def period_order(periods: Iterable[Any]) -> list[str]:
    """Periods oldest first: by their value (quarters, years, months, dates), those that cannot be read as a
    time after them in the order they first appear.

    >>> period_order(["2027Q1", "2026Q3", "2026Q4", "2026Q3"])
    ['2026Q3', '2026Q4', '2027Q1']
    >>> period_order(["二季度", "2026", "一季度", "2025"])
    ['2025', '2026', '二季度', '一季度']
    """
    seen = list(dict.fromkeys(str(p) for p in periods))
    keys = {p: _period_parse(p)[1] for p in seen}
    timed = sorted((p for p in seen if keys[p] is not None), key=lambda p: (keys[p], p))
    return timed + [p for p in seen if keys[p] is None]


#: an assessment date: year, month and day with ``-``, ``/``, ``.`` or 年月日 between them, maybe a time after
_ASSESSED = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?"
                       r"(?:(?:t|\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def normalise_date(value: Any) -> str | None:
    """An assessment date as ISO ``YYYY-MM-DD``: an Excel date cell (read as ``2026-03-16``), ``2026/3/16``,
    ``2026-3-16``, ``2026.3.16``, ``2026年3月16日``, a time after it dropped; ``""`` for a blank cell; None when
    it cannot be read as a date (no year, as ``3月17日``, or no such day): the year is never guessed.

    >>> [normalise_date(v) for v in ("2026-03-16", "2026/3/16", "2026.3.16", "2026年3月16日", "2026-03-16T09:30:00")]
    ['2026-03-16', '2026-03-16', '2026-03-16', '2026-03-16', '2026-03-16']
    >>> [normalise_date(v) for v in ("", "3月17日", "2026/2/30", "46097", "下周")]
    ['', None, None, None, None]
    """
    import datetime as dt

    s = _norm(value)
    if not s:
        return ""
    m = _ASSESSED.match(s.lower())
    if m is None:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:  # 2026/2/30: no such day
        return None


# ------------------------------------------------------------------------------------------- geometry
def _six(values: Any, function: str) -> np.ndarray:
    """The six category values of one unit and period as floats (``<NA>`` as NaN); anything but six is
    ``MAT-SIX`` naming ``function``.

    >>> try:
    ...     _six([1, 2, 3, 4, 5], "fullness")
    ... except InputError as e:
    ...     print(e.problems[0].title("en"))
    fullness takes six values, one per category (in the order policy, consultation, mediation, environment, civility, economy); it was given 5.
    """
    if isinstance(values, np.ndarray) and values.dtype == float and values.shape == (6,):
        return values  # a row of the maturity table's own array
    try:
        r = np.asarray(pd.array(values, dtype="Float64").to_numpy(dtype=float, na_value=np.nan), dtype=float)
    except (TypeError, ValueError):  # one value (a number, a name), or text among them
        r = None
        if np.ndim(values) == 1 and len(values) == 6:
            raise InputError(problem("MAT-SIX-NUMBERS", function=function,
                                     given=repr([_shown(v) for v in values])[:80])) from None
    if r is None or r.shape != (6,):
        given = r.size if r is not None else len(values) if np.ndim(values) == 1 else 1
        order = {"zh": "、".join(text(f"maturity.category.{k}", "zh") for k in CATEGORY_KEYS),
                 "en": ", ".join(CATEGORY_KEYS)}
        raise InputError(problem("MAT-SIX", function=function, order=order, given=given))
    return r


def fullness(values: Sequence[float] | np.ndarray) -> float:
    """Hexagon area over the full hexagon: Σ rᵢ·rᵢ₊₁ / 600 (cyclic, axis order as given); NaN if any is missing.
    Anything but six values is ``MAT-SIX``.

    >>> fullness([10] * 6), round(fullness([5] * 6), 2), fullness([10, 10, 10, 10, 10, float("nan")])
    (1.0, 0.25, nan)
    """
    r = _six(values, "fullness")
    if np.isnan(r).any():
        return float("nan")
    return float(np.sum(r * np.roll(r, -1)) / FULL_AREA)


def axis_directions() -> np.ndarray:
    """Unit vectors of the six axes, the first pointing up, then clockwise (y up), shape (6, 2).

    >>> np.round(axis_directions()[:2], 3).tolist()
    [[0.0, 1.0], [0.866, 0.5]]
    """
    angles = np.pi / 2 - 2 * np.pi * np.arange(6) / 6
    return np.column_stack([np.cos(angles), np.sin(angles)])


def hexagon_vertices(values: Sequence[float] | np.ndarray, radius: float = 1.0) -> np.ndarray:
    """Vertices of the radar hexagon for six scores (y up; a score of 10 reaches ``radius``; NaN row = 未评).

    The HTML card and the print sheet both draw these points, so they cannot disagree.

    >>> np.round(hexagon_vertices([10, 5, 10, 5, 10, float("nan")]), 3)[[0, 1, 5]].tolist()
    [[0.0, 1.0], [0.433, 0.25], [nan, nan]]
    """
    r = _six(values, "hexagon_vertices") / SCORE_MAX * radius
    return axis_directions() * r[:, None]


# ------------------------------------------------------------------------------------------- reading
@dataclass
class RawSheet:
    """A sheet as text cells (``""`` = blank), with the merged ranges (1-based, inclusive) of an xlsx."""

    file: str
    cells: list[list[str]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    name: str | None = None
    #: hidden in Excel: read only when named (``MAT-HIDDEN``)
    hidden: bool = False
    #: what its cell names begin with: ``三季度!`` when its workbook has several score sheets, else nothing
    ref: str = ""
    #: the columns (from 0) Excel hides: their scores are read all the same (``MAT-HIDDEN-COLUMNS``)
    hidden_cols: set[int] = field(default_factory=set)


def cell_name(row: int, col: int) -> str:
    """Spreadsheet name of a 1-based cell.

    >>> cell_name(7, 5), cell_name(2, 28)
    ('E7', 'AB2')
    """
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


def _read_xlsx(path: Path) -> list[RawSheet]:
    """Every sheet of a workbook as Excel shows it (:func:`~yuanluo.gis.sheets.read_workbook`, as rosters are
    read): each cell of a merged range with the range's value (the ranges kept, for ``MAT-MERGED``), a unit id
    shown as ``0012`` by its number format as 0012, as far as the last cell holding a value whatever the sheet
    declares (a stray format in ``XFD1048576`` costs nothing)."""
    from yuanluo.gis.sheets import hidden_columns, read_workbook, uncomputed_formulas

    try:
        book = read_workbook(path, path.name)
    except InputError as exc:  # IO-CORRUPT: said as a score sheet that cannot be read
        raise InputError(problem("MAT-FILE", file=path.name, why=unreadable(exc.__cause__ or exc, "xlsx"))) from exc
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, TypeError, SyntaxError) as exc:  # a broken sheet part
        raise InputError(problem("MAT-FILE", file=path.name, why=unreadable(exc, "xlsx"))) from exc
    cols = hidden_columns(path)
    sheets = [RawSheet(path.name, s.rows, sorted((a + 1, b + 1, c + 1, d + 1) for a, b, c, d in s.merged), s.name,
                       s.hidden, hidden_cols=cols.get(s.name, set())) for s in book]
    shown = {s.name for s in book if not s.hidden}  # a hidden sheet is never read, so its formulas do not matter
    heads = {s.name: _locate_header(s) for s in sheets if s.name in shown}
    headed = any(h is not None for h in heads.values())  # else every formula: one may be why no header is found
    formulas = sorted((title, r, c, f) for title, cells in uncomputed_formulas(path).items() if title in shown
                      for (r, c), f in cells.items()
                      if not headed or _cell_read(sheets, title, heads.get(title), r, c))
    if formulas:  # read as blank, they would be cells silently left empty
        first = next(s.name for s in book if not s.hidden)
        named = {t for t, _, _, _ in formulas} != {first}  # on another sheet than the first: said with its name
        raise InputError(problem("MAT-FORMULA", file=path.name, count=len(formulas),
                                 rows=sorted({r + 1 for _, r, _, _ in formulas}),
                                 cells=_cells([f"{t + '!' if named else ''}{cell_name(r + 1, c + 1)} {f}"
                                               for t, r, c, f in formulas])))
    return sheets


def _cell_read(sheets: Sequence[RawSheet], title: str, head: _Header | None, r: int, c: int) -> bool:
    """Whether :func:`read_scores` reads the cell ``(r, c)`` (from 0) of the sheet ``title`` whose header is
    ``head``: a cell of its header row or below it in a column it reads (unit, period, assessor, date, the scores
    and the program's columns it compares, :func:`_info_columns`), not on a total row. An uncomputed formula
    anywhere else (院落名称, a note column, a title above the header, a 合计 row's sums) is never read, so nothing
    depends on its value: it is not said at all (a warning would send the clerk to save the file again for
    nothing). A sheet without a score header is not read either.

    >>> s = RawSheet("s.xlsx", [["院落编号", "院落名称", "政策宣讲-内容"], ["U1", "=B9", "=C9"], ["合计", "", "=SUM(C2)"]],
    ...              name="评分表")
    >>> h = _locate_header(s)
    >>> [_cell_read([s], "评分表", h, r, c) for r, c in ((1, 1), (1, 2), (2, 2), (1, 0))]
    [False, True, False, True]
    """
    if head is None or r < head.row:
        return False
    if c not in {*head.fields.values(), *head.scores, *_info_columns(head).values()}:
        return False
    sheet = next(s for s in sheets if s.name == title)
    row = sheet.cells[r] if r < len(sheet.cells) else []
    j = head.fields["unit_id"]
    unit = row[j] if j < len(row) else ""
    return r == head.row or re.sub(r"\s+", "", _norm(unit)).lower() not in TOTAL_WORDS


def _read_csv(path: Path) -> RawSheet:
    """A CSV as text cells (:func:`~yuanluo.gis.sheets.text_records`, as plan tables are read), split with
    :mod:`csv`, which keeps ragged rows: a title row above the header and a row with one value too many
    (shifted cells) must reach the checks instead of failing the parser."""
    from yuanluo.gis.sheets import text_records

    try:
        rows = text_records(path.read_bytes())
    except (OSError, ValueError, csv.Error) as exc:
        raise InputError(problem("MAT-FILE", file=path.name,
                                 why=unreadable(exc, "io" if type(exc) is OSError else "csv"))) from exc
    return RawSheet(path.name, rows)


def read_sheets(path: str | Path) -> list[RawSheet]:
    """The sheets of a score file as text cells: every worksheet of an ``.xlsx``, the one table of a CSV.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "s.csv")
    >>> _ = open(p, "w", encoding="gbk").write("院落编号,政策宣讲-内容\\nU1,7\\n")
    >>> read_sheets(p)[0].cells
    [['院落编号', '政策宣讲-内容'], ['U1', '7']]
    """
    from yuanluo.gis.io import lock_file

    p = Path(path)
    gone = missing_file(p) or lock_file(p, p.name)
    if gone is not None:  # a folder is IO-ISDIR, Excel's lock file IO-LOCKFILE, as validate says them
        raise InputError(gone)
    xlsx = p.suffix.lower() in (".xlsx", ".xlsm")
    other = _binary_content(p, xlsx=xlsx)
    if other is not None:
        raise InputError(other)
    if xlsx:
        return _read_xlsx(p)
    return [_read_csv(p)]


def _binary_content(path: Path, *, xlsx: bool) -> Problem | None:
    """``MAT-FILE`` for a score file whose first bytes say it is neither a workbook of its ``.xlsx`` name nor text:
    an old Office file (a WPS ``.et``, an ``.xls``, a workbook under a password: variant ``old``, save it as .xlsx),
    a ZIP archive not named .xlsx (an .xlsx renamed, or an archive: variant ``zip``), an image, a PDF, a database
    (:func:`yuanluo.gis.io.binary_kind`); None for text, or a ZIP named .xlsx (read as a workbook). It was read as
    a CSV it cannot be ("an unclosed quote").

    >>> import tempfile, os
    >>> p = Path(tempfile.mkdtemp()) / "评分.et"
    >>> _ = p.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(64))
    >>> q = _binary_content(p, xlsx=False); q.variant, q.title("en")
    ('old', 'cannot read the score sheet 评分.et: its content is an old Office file (such as an .xls) or a password-protected workbook, not an xlsx workbook or a CSV table.')
    """
    from yuanluo.gis.io import binary_kind

    try:
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError:
        return None  # said by the reader, in its words
    kind = binary_kind(head)
    if kind is None or (kind == "zip" and xlsx):
        return None
    why = {lang: text("maturity.file.zip", lang) if kind == "zip"
           else text("maturity.file.kind", lang, kind=text(f"read.kind.{kind}", lang)) for lang in LANGS}
    variant = {"ole2": "old", "zip": "zip"}.get(kind, "")
    return replace(problem("MAT-FILE", file=path.name, why=why), variant=variant)


@dataclass
class _Header:
    row: int                                   # 0-based index of the header row
    names: list[str]
    fields: dict[str, int]                     # field -> 0-based column
    scores: dict[int, tuple[str, str]]         # 0-based column -> (category key, indicator key)


def _locate_header(sheet: RawSheet) -> _Header | None:
    field_aliases = _field_aliases()
    for r, row in enumerate(sheet.cells[:MAX_HEADER_ROW]):
        norm = [_norm(c).lower() for c in row]
        fields = {f: norm.index(a) for f, aliases in field_aliases.items()
                  for a in reversed(aliases) if a in norm}  # reversed: the first alias wins
        scores = {j: k for j, c in enumerate(row) if (k := parse_score_header(c)) is not None}
        if "unit_id" in fields and scores:
            return _Header(r, list(row), fields, scores)
    return None


def _cells(items: Sequence[str]) -> dict[str, str]:
    """The cells a message names, per language: at most :data:`MAX_CELLS`, then how many more.

    >>> _cells(["A1", "A2"])["zh"], _cells([f"A{i}" for i in range(14)])["en"][-15:]
    ('A1、A2', 'A11 … (+2 more)')
    """
    more = len(items) - MAX_CELLS
    return {lg: text("list.sep", lg).join(items[:MAX_CELLS])
            + (text("maturity.cells_more", lg, n=more) if more > 0 else "") for lg in LANGS}


def _layout_problems(sheet: RawSheet, head: _Header) -> list[Problem]:
    """Merged cells in the header or data, values under no header or above it, unrecognised score columns."""
    probs: list[Problem] = []
    hr = head.row + 1
    # a unit, period, assessor or date merged down over rows below the header is each row's, as Excel shows it
    # (:func:`_read_xlsx` gave every row the value); a score belongs to one unit and one indicator, a header to
    # one column
    merged = [m for m in sheet.merged if m[2] >= hr
              and not (m[0] > hr and m[1] == m[3] and m[1] - 1 not in head.scores)]
    if merged:
        probs.append(problem("MAT-MERGED", file=sheet.file, rows=sorted({m[0] for m in merged}),
                             cells=_cells([f"{sheet.ref}{cell_name(a, b)}:{cell_name(c, d)}" for a, b, c, d in merged])))
    stray: list[tuple[int, str]] = []
    for r in range(head.row):  # a title row (one filled cell, or one merged range: a form's title) is fine
        filled = [j for j, v in enumerate(sheet.cells[r]) if _norm(v)]
        spans = {j: (b - 1, a) for a, b, c, d in sheet.merged if a <= r + 1 <= c for j in range(b - 1, d)}
        if len({spans.get(j, (j, 0)) for j in filled}) > 1:
            stray += [(r + 1, f"{sheet.ref}{cell_name(r + 1, j + 1)}={_shown(sheet.cells[r][j])}") for j in filled]
    named = {j for j, h in enumerate(head.names) if _norm(h)}
    for r in range(head.row, len(sheet.cells)):
        stray += [(r + 1, f"{sheet.ref}{cell_name(r + 1, j + 1)}={_shown(v)}")
                  for j, v in enumerate(sheet.cells[r]) if j not in named and _norm(v)]
    if stray:
        probs.append(problem("MAT-SHIFT", file=sheet.file, rows=sorted({r for r, _ in stray}),
                             cells=_cells([c for _, c in stray]), header_row=hr))
    used = set(head.fields.values())
    info = _info_headers()
    bad = [_shown(h) for j, h in enumerate(head.names)
           if j not in head.scores and j not in used and _norm(h).lower() not in info and _looks_like_score(h)]
    seen: dict[tuple[str, str], int] = {}
    for j, key in sorted(head.scores.items()):
        if key in seen:
            bad.append(_shown(head.names[j]))
        seen.setdefault(key, j)
    if bad:
        probs.append(problem("MAT-COLUMN", file=sheet.file, columns=list(bad), categories={
            lg: text("list.sep", lg).join(category_label(k, lg) for k in CATEGORY_KEYS) for lg in LANGS}))
    return probs


_BAD = -1


def _parse_score(value: str) -> int | None:
    """The score of a cell: None when blank, :data:`_BAD` when not an integer from 1 to 10."""
    s = _norm(value)
    if not s:
        return None
    try:
        x = float(s)
    except ValueError:
        return _BAD
    return int(x) if x.is_integer() and SCORE_MIN <= x <= SCORE_MAX else _BAD


@dataclass
class _Findings:
    bad: dict[int, list[tuple[int, str]]] = field(default_factory=dict)   # column -> (row, raw)
    blank_unit: list[int] = field(default_factory=list)
    unknown: list[tuple[int, str]] = field(default_factory=list)
    no_period: list[int] = field(default_factory=list)
    total: list[str] = field(default_factory=list)  # the unit cells of total rows
    scored: int = 0  # the score cells filled, good or not
    good: int = 0  # the score cells read as scores from 1 to 10
    top: int = 0  # the highest of those


def _row_scores(row: list[str], rown: int, head: _Header, found: _Findings) -> tuple[dict[tuple[str, str], int], bool]:
    values: dict[tuple[str, str], int] = {}
    filled = False
    for j, key in head.scores.items():
        raw = row[j] if j < len(row) else ""
        v = _parse_score(raw)
        if v == _BAD:
            found.bad.setdefault(j, []).append((rown, _shown(raw)))
        if v is not None:
            filled = True
            found.scored += 1
        if v is not None and v != _BAD:
            values[key] = v
            found.good += 1
            found.top = max(found.top, v)
    return values, filled


def _sheet_records(sheet: RawSheet, head: _Header, known: set[str] | None,
                   period: str | None) -> tuple[list[dict[str, Any]], list[Problem]]:
    found = _Findings()
    records: list[dict[str, Any]] = []

    def get(row: list[str], key: str) -> str:
        j = head.fields.get(key)
        return _norm(row[j]) if j is not None and j < len(row) else ""

    def shown(row: list[str], key: str) -> str:  # the cell as a message quotes it (:func:`_shown`)
        j = head.fields.get(key)
        return _shown(row[j]) if j is not None and j < len(row) else ""

    info = _info_columns(head)
    ucol = head.fields["unit_id"] + 1
    for r in range(head.row + 1, len(sheet.cells)):
        row, rown = sheet.cells[r], r + 1
        unit, per = get(row, "unit_id"), normalise_period(get(row, "period") or (period or ""))
        if re.sub(r"\s+", "", unit).lower() in TOTAL_WORDS:  # a 合计 row: sums, not a unit's scores
            found.total.append(f"{sheet.ref}{cell_name(rown, ucol)}={shown(row, 'unit_id')}")
            continue
        values, filled = _row_scores(row, rown, head, found)
        if not unit:
            if filled or get(row, "period"):
                found.blank_unit.append(rown)
        elif known is not None and unit not in known:
            found.unknown.append((rown, shown(row, "unit_id")))
        elif not per:
            if filled:
                found.no_period.append(rown)
        else:
            pcol, dcol = head.fields.get("period"), head.fields.get("date")
            raw_date = get(row, "date")
            date = normalise_date(raw_date)
            records.append({"unit_id": unit, "period": per, "assessor": get(row, "assessor"),
                            "date": raw_date if date is None else date, "file": sheet.file, "row": rown,
                            "values": values, "bad_date": None if date is not None or dcol is None
                            else f"{sheet.ref}{cell_name(rown, dcol + 1)}={shown(row, 'date')}",
                            "sheet": sheet.name or "", "raw_period": shown(row, "period"),
                            "pcell": sheet.ref + cell_name(rown, pcol + 1) if pcol is not None and get(row, "period")
                            else None, "ucell": sheet.ref + cell_name(rown, ucol),
                            "given": {f: (sheet.ref + cell_name(rown, j + 1), _shown(row[j]), _shown(head.names[j]))
                                      for f, j in info.items() if j < len(row) and _norm(row[j])},
                            # the blank indicator cells of categories scored in part (MAT-PARTIAL)
                            "partial": _partial_blanks(values, head, sheet.ref, rown)})
    return records, _row_problems(sheet, head, found)


def _partial_blanks(values: Mapping[tuple[str, str], int], head: _Header, ref: str,
                    rown: int) -> dict[str, list[str]]:
    """Per category with some of its indicators scored and not all, its blank cells (``ref`` + ``I5``): such a
    category counts as not rated (``min_indicators`` 3, the default), which :func:`_partial_warnings` says."""
    some = {c for c, _ in values}
    out: dict[str, list[str]] = {}
    for j, (c, i) in sorted(head.scores.items()):
        if c in some and (c, i) not in values:
            out.setdefault(c, []).append(ref + cell_name(rown, j + 1))
    return out


def _partial_warnings(records: list[dict[str, Any]]) -> list[Problem]:
    """``MAT-PARTIAL``: categories scored on some of their indicators, not all (a blank among filled ones), which
    count as not rated: one warning per file and sheet, with how many categories of how many rows and the blank
    cells, so that 未评 on the report is not taken for a category nobody assessed.

    >>> recs = [{"file": "a.xlsx", "sheet": "", "row": 2, "partial": {"policy": ["J2"], "mediation": ["P2", "Q2"]}},
    ...         {"file": "a.xlsx", "sheet": "", "row": 3, "partial": {}}]
    >>> w = _partial_warnings(recs)[0]
    >>> w.code, w.params["categories"], w.rows, w.params["cells"]["zh"]
    ('MAT-PARTIAL', 2, (2,), 'J2、P2、Q2')
    """
    odd: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in records:
        if r.get("partial"):
            odd.setdefault((r["file"], r["sheet"]), []).append(r)
    out = []
    for (f, sh), rs in odd.items():
        cells = [c for r in rs for blank in r["partial"].values() for c in blank]
        out.append(problem("MAT-PARTIAL", severity="warning", file=f, rows=sorted({r["row"] for r in rs}),
                           where=both("maturity.in_sheet", sheet=sh) if sh else {lg: "" for lg in LANGS},
                           categories=sum(len(r["partial"]) for r in rs), units=len(rs), cells=_cells(cells)))
    return out


def _info_columns(head: _Header) -> dict[str, int]:
    """The columns of :data:`CHECKED_FIELDS` in a sheet's header (the template's headers in any language)."""
    out: dict[str, int] = {}
    for f in CHECKED_FIELDS:
        names = {_norm(column_header(f, lg)).lower() for lg in LANGS}
        cols = [j for j, h in enumerate(head.names) if _norm(h).lower() in names]
        if len(cols) == 1:
            out[f] = cols[0]
    return out


def _same_value(field_: str, given: str, known: Any) -> bool:
    """Whether a sheet's cell ``given`` says what the result says (``known``; None when it has nothing)."""
    if known is None or (not isinstance(known, str) and pd.isna(known)):
        return False
    if field_ == "n_households":
        try:
            return float(_norm(given)) == float(known)
        except (TypeError, ValueError):
            return False
    return _norm(given) == _norm(known)


def _mismatch_problems(records: list[dict[str, Any]], units: pd.DataFrame, result: str) -> list[Problem]:
    """``MAT-UNIT-MISMATCH``: rows whose program-filled cells (town, village, group, households) differ from the
    unit of that id in ``units``, one problem per file; a blank cell (a sheet made by hand) is not compared. The
    town is compared, and named among the columns, only where ``units`` has a town (a result whose households had
    a town column).

    >>> units = pd.DataFrame({"unit_id": ["U1"], "town": ["甲镇"], "village": ["新华村"], "group": ["一组"],
    ...                       "n_households": [5]})
    >>> rec = {"unit_id": "U1", "file": "s.xlsx", "row": 2, "given": {"town": ("C2", "乙镇", "乡镇"),
    ...        "village": ("D2", "新华村", "村")}}
    >>> p = _mismatch_problems([rec], units, "r.gpkg")[0]
    >>> p.code, p.params["cells"]["zh"], p.params["columns"]["en"]
    ('MAT-UNIT-MISMATCH', 'C2 乡镇=乙镇（结果为 甲镇）', 'Town, Village, Group, Households')
    >>> _mismatch_problems([rec], units.drop(columns="town"), "r.gpkg")
    []
    """
    cols = [f for f in CHECKED_FIELDS if f in units.columns]
    if not cols:
        return []
    by_id = {_norm(u): row for u, row in zip(units["unit_id"], units[cols].to_dict("records"), strict=True)}
    odd: dict[str, list[tuple[int, list[tuple[str, str, str, Any]]]]] = {}
    for rec in records:
        known = by_id.get(rec["unit_id"])
        if known is None:
            continue
        diff = [(cell, f, shown, known[f]) for f, (cell, shown, _) in rec.get("given", {}).items()
                if f in known and not _same_value(f, shown, known[f])]
        if diff:
            odd.setdefault(rec["file"], []).append((rec["row"], diff))
    probs = []
    for file, rows in odd.items():
        items = {lg: [text("maturity.mismatch_cell", lg, cell=c, column=column_header(f, lg), given=g,
                           result=text("maturity.blank_cell", lg) if k is None or (not isinstance(k, str) and pd.isna(k))
                           else str(int(k)) if isinstance(k, float) and k.is_integer() else str(k))
                      for _, diff in rows for c, f, g, k in diff] for lg in LANGS}
        named = [f for f in CHECKED_FIELDS if f != "town" or f in cols]  # the town where the units have one
        names = {lg: text("list.sep", lg).join(column_header(f, lg) for f in named) for lg in LANGS}
        cleared = "maturity.mismatch_clear_town" if "town" in cols else "maturity.mismatch_clear"
        probs.append(problem("MAT-UNIT-MISMATCH", file=file, rows=sorted({r for r, _ in rows}), n=len(rows),
                             columns=names, result=result, cleared=both(cleared),
                             cells={lg: _cells(items[lg])[lg] for lg in LANGS}))
    return probs


def _record_problems(records: list[dict[str, Any]], unit_ids: Any, result: str | Path | None) -> list[Problem]:
    """The problems across the rows read: period kinds, a unit twice in a period, a sheet for other units."""
    probs = _period_kind_problems(records) + _duplicate_problems(records)
    if isinstance(unit_ids, pd.DataFrame):
        probs += _mismatch_problems(records, unit_ids, str(result) if result is not None else "result.gpkg")
    return probs


#: a score cell written as stars: ★★★★ (☆ for the stars not given), 4星, 四星级, ★4
_STARS = re.compile(r"[★☆✩✪⭐]+|[★⭐]?\s*[1-5一二三四五]\s*(?:颗)?星(?:级)?|[★⭐]\s*[1-5]")
#: a sheet with at least this many scores, all from 1 to 5 (two units' full rows of 6 categories × 3), looks scored
#: out of 5: MAT-SCALE-FIVE, a warning (low scores out of 10 are possible)
SCALE_FIVE_MIN = 36


def _scale_of(raw: str) -> str | None:
    """The wrong scale a score cell that is no score from 1 to 10 reads as: ``"100"`` (above 10 and at most 100, or
    a percentage, ``74%``), ``"fraction"`` (above 0 and below 1: ``0.74``, a cell formatted as a percentage),
    ``"stars"`` (:data:`_STARS`), else None.

    >>> [_scale_of(x) for x in ("74", "95.5", "100", "74%", "0.74", "★★★★", "☆", "4星", "四星级", "10", "5%", "0", "优")]
    ['100', '100', '100', '100', 'fraction', 'stars', 'stars', 'stars', 'stars', None, None, None, None]
    """
    s = _norm(raw)
    if _STARS.fullmatch(s):
        return "stars"
    percent = s.endswith("%")
    try:
        x = float(s[:-1] if percent else s)
    except ValueError:
        return None
    if percent:
        return "100" if SCORE_MAX < x <= 100 else None
    if SCORE_MAX < x <= 100:
        return "100"
    return "fraction" if 0 < x < 1 else None


def _scale_problem(sheet: RawSheet, found: _Findings) -> tuple[Problem | None, set[tuple[int, int]]]:
    """``MAT-SCALE`` for a sheet scored on another scale: at least half of its filled score cells (two or more) out
    of 100 (variant ``""``), fractions of 1 (``fraction``) or stars (``stars``), :func:`_scale_of`: one problem
    naming those cells, which ``MAT-SCORE`` then leaves out (18 columns said one by one before); and the (row,
    column) of those cells. Else ``MAT-SCALE-FIVE``, a warning, for a sheet of :data:`SCALE_FIVE_MIN` scores or
    more, every one from 1 to 5 (out of 5, or stars written as numbers), and no cells; else None and no cells."""
    kinds: dict[str, list[tuple[int, int, str]]] = {}
    for j, items in found.bad.items():
        for r, v in items:
            kind = _scale_of(v)
            if kind is not None:
                kinds.setdefault(kind, []).append((r, j, v))
    kind, over = max(kinds.items(), key=lambda kv: len(kv[1]), default=("", []))
    if len(over) < 2 or 2 * len(over) < found.scored:
        if found.good >= SCALE_FIVE_MIN and found.top <= 5 and found.good == found.scored:
            return problem("MAT-SCALE-FIVE", severity="warning", file=sheet.file, scored=found.good), set()
        return None, set()
    over.sort()
    q = problem("MAT-SCALE", file=sheet.file, rows=sorted({r for r, _, _ in over}), n=len(over), scored=found.scored,
                cells=_cells([f"{sheet.ref}{cell_name(r, j + 1)}={v}" for r, j, v in over]))
    return replace(q, variant="" if kind == "100" else kind), {(r, j) for r, j, _ in over}


def _row_problems(sheet: RawSheet, head: _Header, found: _Findings) -> list[Problem]:
    probs: list[Problem] = []
    file, ref = sheet.file, sheet.ref
    scale, said = _scale_problem(sheet, found)
    if scale is not None:
        probs.append(scale)
    for j, all_items in sorted(found.bad.items()):
        items = [(r, v) for r, v in all_items if (r, j) not in said]
        if not items:
            continue
        probs.append(problem("MAT-SCORE", file=file, rows=[r for r, _ in items], column=_shown(head.names[j]),
                             cells=_cells([f"{ref}{cell_name(r, j + 1)}={v}" for r, v in items])))
    ucol = head.fields["unit_id"] + 1
    if found.unknown:
        probs.append(problem("MAT-UNIT-UNKNOWN", file=file, rows=[r for r, _ in found.unknown],
                             ids=[u for _, u in found.unknown],
                             cells=_cells([f"{ref}{cell_name(r, ucol)}={u}" for r, u in found.unknown])))
    if found.blank_unit:
        probs.append(problem("MAT-UNIT-BLANK", file=file, rows=found.blank_unit,
                             cells=_cells([ref + cell_name(r, ucol) for r in found.blank_unit])))
    if found.no_period:
        pcol = head.fields.get("period")
        names = [ref + cell_name(r, pcol + 1) if pcol is not None else str(r) for r in found.no_period]
        probs.append(problem("MAT-PERIOD", file=file, rows=found.no_period, cells=_cells(names)))
    if found.total:
        probs.append(problem("MAT-TOTAL-ROW", severity="warning", file=file, cells=_cells(found.total)))
    return probs


def _duplicate_problems(records: list[dict[str, Any]]) -> list[Problem]:
    """``MAT-DUP``: units with more than one row for a period, naming the cells. The units repeated in the same
    files for one period (a score sheet loaded twice: the workbook and the CSV saved from it) are one problem
    naming them all and their cells (its ``units`` variant); a unit alone so, as before, with its rows where they
    are all in one file (each cell names its file where there are several: no bare row numbers).

    >>> recs = [{"unit_id": u, "period": "Q1", "file": f, "ucell": c, "row": r} for f in ("a.csv", "b.csv")
    ...         for u, c, r in (("U1", "A2", 2), ("U2", "A3", 3))]
    >>> (p,) = _duplicate_problems(recs)
    >>> p.ids, p.rows, p.variant, p.message("en").splitlines()[0]
    (('U1', 'U2'), (), 'units', 'Error MAT-DUP: 2 units appear more than once in period Q1 (ids U1, U2): a.csv A2, b.csv A2, a.csv A3, b.csv A3.')
    """
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for rec in records:
        groups.setdefault((rec["unit_id"], rec["period"]), []).append(rec)
    # the units repeated for a period in the same files, in the order the rows are read
    alike: dict[tuple[str, tuple[str, ...]], list[tuple[str, list[dict[str, Any]]]]] = {}
    for (unit, per), recs in groups.items():
        if len(recs) > 1:
            alike.setdefault((per, tuple(dict.fromkeys(r["file"] for r in recs))), []).append((unit, recs))
    probs = []
    for (per, files), units in alike.items():
        one = len(files) == 1
        # rows of several files: each cell names its file, as the language lists them (no "a.csv, b.xlsx"
        # before a Chinese sentence), and no row number without its file
        where = [(f"{r['file']} " if not one else "") + r["ucell"] for _, recs in units for r in recs]
        if len(units) > 1:
            probs.append(replace(problem("MAT-DUP", file=files[0] if one else None, ids=[u for u, _ in units],
                                         unit=units[0][0], period=per, cells=_cells(where)), variant="units"))
            continue
        unit, recs = units[0]
        probs.append(problem("MAT-DUP", file=files[0] if one else None,
                             rows=sorted({r["row"] for r in recs}) if one else (), ids=[unit],
                             unit=unit, period=per, cells=_cells(where)))
    return probs


def _period_kind_problems(records: list[dict[str, Any]]) -> list[Problem]:
    """``MAT-PERIOD-KIND``: period cells not of the kind most rows have (a date or a word among quarters), one
    problem per file and sheet, naming the cells; such a cell would make a period of its own."""
    kinds = [period_kind(r["period"]) for r in records]
    if len(set(kinds)) < 2:
        return []
    count = Counter(kinds)
    main = max(count, key=lambda k: (count[k], -kinds.index(k)))
    example = next(r["period"] for r, k in zip(records, kinds, strict=True) if k == main)
    odd: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r, k in zip(records, kinds, strict=True):
        if k != main:
            odd.setdefault((r["file"], r["sheet"]), []).append(r)
    return [problem("MAT-PERIOD-KIND", file=f, sheet=sh or "—", rows=sorted({r["row"] for r in rs}),
                    cells=_cells([f"{r['pcell'] or r['row']}={r['raw_period'] or r['period']}" for r in rs]),
                    kind=both(f"maturity.period_kind.{main}"), example=example)
            for (f, sh), rs in odd.items()]


def _unknown_sheets(file: str, names: Sequence[str], present: Sequence[str], nowhere: Sequence[str],
                    offered: Sequence[str]) -> Problem:
    """``MAT-SHEET-UNKNOWN``: worksheets asked for by name that ``file`` does not have, with those it has and the
    way out. Names no file has (``nowhere``: misspelt) are to be replaced, by a score sheet of this file not asked
    for yet (``offered``) where there is one, else left out; where the names are all other files' worksheets,
    this file needs one more ``--sheet`` of its own; a CSV (no worksheets) a run of its own.

    >>> p = _unknown_sheets("a.xlsx", ["Nope"], ["Scores", "Instructions"], ["Nope"], ["Scores"])
    >>> p.params["way"]["en"]  # from Python; on the command line: replace --sheet Nope with --sheet Scores …
    "replace 'Nope' in sheet_names= of read_scores with 'Scores' (a worksheet of this file, as its tab spells it), or call read_scores without sheet_names= to read every visible score sheet."
    """
    if not present:  # a CSV: no worksheet name can pick it, so the way out is a run of its own
        return problem("MAT-SHEET-UNKNOWN", file=file, names=_quoted(names), sheets=both("maturity.no_sheets"),
                       way=both("maturity.sheet_way.csv"))
    if nowhere:
        wrong = _sheet_options(nowhere)
        if offered:
            way = both("maturity.sheet_way.replace", wrong=wrong, right=_sheet_options(offered[:1]))
        else:
            way = both("maturity.sheet_way.drop", wrong=wrong)
    else:
        way = both("maturity.sheet_way.book", right=_sheet_options(offered[:1] or present[:1]))
    return problem("MAT-SHEET-UNKNOWN", file=file, names=_quoted(names), sheets=_quoted(present), way=way)


def _sheet_options(names: Sequence[str]) -> str:
    """Worksheet names as the command line takes them (``--sheet Scores``), or as ``sheet_names=`` does from
    Python (``'Scores'``); a name with a space or a quote is quoted for the shell.

    >>> _sheet_options(["Q1", "第 2 季"])  # from Python
    "'Q1', '第 2 季'"
    """
    if not on_command_line():
        return ", ".join(repr(n) for n in names)
    return " ".join("--sheet " + (n if re.fullmatch(r"[^\s\"'`$\\;&|<>()*?]+", n) else '"' + n + '"')
                    for n in names)


def _offered(book: Sequence[RawSheet]) -> list[str]:
    """The worksheets of a workbook to name instead: its visible score sheets, else its hidden ones, else any."""
    headed = [s for s in book if s.name is not None and _locate_header(s) is not None]
    visible = [s.name or "" for s in headed if not s.hidden]
    return visible or [s.name or "" for s in headed] or [s.name for s in book if s.name is not None]


def _no_header(file: str, sheets: list[RawSheet], book: list[RawSheet], named: bool) -> list[Problem]:
    """Why no sheet of ``file`` was read: ``MAT-HEADER`` (with the sheet whose row 1 is quoted, where the workbook
    has several; every sheet looked at, where that was several: a household roster's 汇总 and 花名册), or ``MAT-HEADER-SHEET`` where the sheets named are not score sheets and others of the workbook
    are (naming those); ``MAT-MERGED`` beside ``MAT-HEADER`` for merged cells in the header rows."""
    first = " | ".join(c for c in (sheets[0].cells[0] if sheets and sheets[0].cells else []) if _norm(c))
    scored = [s.name or "" for s in book if _locate_header(s) is not None]
    if named and scored:  # the sheets named are not score sheets, others are: name one of those
        return [problem("MAT-HEADER-SHEET", file=file, sheet=sheets[0].name or "", first=first[:200] or "—",
                        sheets=_quoted(scored))]
    where = (both("maturity.in_sheet", sheet=sheets[0].name) if sheets and sheets[0].name and len(book) > 1
             else {lg: "" for lg in LANGS})  # which sheet row 1 is of, where the workbook has several
    probs = [problem("MAT-HEADER", file=file, where=where, first=first[:200] or "—")]
    looked = [s.name for s in sheets if s.name]
    if len(looked) > 1:  # several sheets looked at, none a score sheet: each named, row 1 of the first quoted
        probs = [replace(problem("MAT-HEADER", file=file, where=where, first=first[:200] or "—",
                                 count=len(looked), sheets=_quoted(looked), sheet=looked[0]), variant="sheets")]
    merged = [m for m in (sheets[0].merged if sheets else []) if m[0] <= MAX_HEADER_ROW]
    if merged:  # a two-row header with merged category cells is the usual cause
        probs.append(problem("MAT-MERGED", file=file, rows=sorted({m[0] for m in merged}),
                             cells=_cells([f"{cell_name(a, b)}:{cell_name(c, d)}" for a, b, c, d in merged])))
    return probs


def _quoted(items: Sequence[str]) -> dict[str, str]:
    """Sheet names, quoted and listed per language."""
    return {"zh": text("list.sep", "zh").join(f"“{n}”" for n in items),
            "en": text("list.sep", "en").join(f"'{n}'" for n in items)}


def _date_warnings(records: list[dict[str, Any]]) -> list[Problem]:
    """``MAT-DATE-UNREAD``: assessment dates that cannot be read as a date (kept as written), one warning per file
    and sheet, naming the cells."""
    odd: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in records:
        if r.get("bad_date"):
            odd.setdefault((r["file"], r["sheet"]), []).append(r)
    return [problem("MAT-DATE-UNREAD", severity="warning", file=f, rows=sorted({r["row"] for r in rs}),
                    where=both("maturity.in_sheet", sheet=sh) if sh else {lg: "" for lg in LANGS},
                    cells=_cells([r["bad_date"] for r in rs]))
            for (f, sh), rs in odd.items()]


def _records_table(records: list[dict[str, Any]]) -> pd.DataFrame:
    keys = [(c, i) for c in CATEGORY_KEYS for i in INDICATOR_KEYS]
    rows = [(rec["unit_id"], rec["period"], c, i, rec["values"].get((c, i)), rec["assessor"], rec["date"],
             rec["file"], rec["row"]) for rec in records for c, i in keys]
    df = pd.DataFrame(rows, columns=list(SCORE_TABLE_COLUMNS))
    for col in ("unit_id", "period", "category", "indicator", "assessor", "date", "file"):
        df[col] = df[col].astype("string")
    df["score"] = pd.array(df["score"].tolist(), dtype="Int64")
    df["row"] = df["row"].astype("int64")
    return df


def _given_before(path: Path, given: dict[Any, str]) -> Problem | None:
    """``MAT-SAME-FILE`` when ``path`` is a file already given (the same file, or the same bytes), else None;
    records it in ``given`` (key → the name first given)."""
    import hashlib

    if not path.is_file():
        return None
    keys = [("path", str(path.resolve()))]
    try:
        keys.append(("bytes", hashlib.sha256(path.read_bytes()).hexdigest()))
    except OSError:
        pass
    for k in keys:
        if k in given:
            same = both("maturity.same_path") if given[k] == str(path) else both("maturity.same_as", first=given[k])
            return problem("MAT-SAME-FILE", file=str(path), same=same)
    for k in keys:
        given[k] = str(path)
    return None


def unit_id_list(unit_ids: Any, call: str = "maturity_table") -> list[Any] | None:
    """The unit ids ``unit_ids`` gives: ``None``; the ``unit_id`` column of a table (the units layer of a result,
    a GeoDataFrame, is the plausible thing to pass: iterating it would give its column names); else its items.
    A table without a ``unit_id`` column, or a single string (taken letter by letter), is ``MAT-UNITS-TYPE``.

    >>> unit_id_list(pd.DataFrame({"unit_id": ["U1", "U2"], "village": ["V", "V"]}))
    ['U1', 'U2']
    >>> try:
    ...     unit_id_list("U1", "read_scores")
    ... except InputError as e:
    ...     print(e.codes)
    ['MAT-UNITS-TYPE']
    """
    if unit_ids is None:
        return None
    if isinstance(unit_ids, pd.DataFrame):
        if "unit_id" in unit_ids.columns:
            return unit_ids["unit_id"].tolist()
        raise InputError(problem("MAT-UNITS-TYPE", call=call, given=type(unit_ids).__name__,
                                 why=both("maturity.units_type.no_column")))
    if isinstance(unit_ids, str | bytes):
        raise InputError(problem("MAT-UNITS-TYPE", call=call, given=repr(unit_ids)[:40],
                                 why=both("maturity.units_type.text")))
    return list(unit_ids)


def _read_args(paths: Any, sheet_names: Any) -> tuple[list[Any], list[str] | None]:
    """The files and sheet names given to :func:`read_scores`: a bare string is one name (never its letters); the
    sheet already read with pandas is ``MAT-PATHS-TYPE`` (its column names are no paths)."""
    if isinstance(paths, pd.DataFrame | pd.Series):
        raise InputError(problem("MAT-PATHS-TYPE", given=type(paths).__name__))
    files = [paths] if isinstance(paths, str | Path) else list(paths)
    names = [sheet_names] if isinstance(sheet_names, str) else None if sheet_names is None else list(sheet_names)
    return files, names


def read_scores(
    paths: str | Path | Sequence[str | Path],
    unit_ids: Iterable[Any] | None = None,
    *,
    period: str | None = None,
    sheet_names: Sequence[str] | None = None,
    result: str | Path | None = None,
) -> pd.DataFrame:
    """Read filled score sheets into a tidy table, one row per unit, period, category and indicator.

    Parameters
    ----------
    paths : path or sequence of paths
        ``.xlsx`` (every visible worksheet with a header is read, each may hold its own period, so the
        instructions sheet of the template is skipped; a hidden one only when named: ``MAT-HIDDEN`` when only
        hidden sheets have a header, a warning ``MAT-HIDDEN-ALSO`` beside visible ones) or CSV in UTF-8 / UTF-8 with BOM / GBK. Several files are read as one table.
        A table (the sheet already read with ``pd.read_excel``) is ``MAT-PATHS-TYPE``.
    unit_ids : iterable or DataFrame, optional
        The units of the delineation; any other id is ``MAT-UNIT-UNKNOWN``. A table (the units layer of a result)
        gives its ``unit_id`` column (:func:`unit_id_list`; one without it is ``MAT-UNITS-TYPE``); where it has
        ``town`` / ``village`` / ``group`` / ``n_households``, a row whose cell there (the template's 乡镇 / 村 / 组
        / 户数, filled by the program) is not blank and differs is ``MAT-UNIT-MISMATCH``: the sheet was made for
        another delineation, whose unit ids are reused. A row whose unit cell is a total (合计, 小计, Total…,
        :data:`TOTAL_WORDS`) is skipped with the warning ``MAT-TOTAL-ROW``.
    period : str, optional
        The period of rows whose period cell is blank (for a one-period sheet without that column).
    sheet_names : sequence of str, optional
        Read only the worksheets of these names (exactly as their tabs read), hidden ones too (asked for by
        name). Every file must have at least one of them and every name must be in at least one file (a CSV has
        no worksheets), else ``MAT-SHEET-UNKNOWN`` listing the worksheets there are. A bare string is one name.
        A named sheet without a score header where the workbook has others is ``MAT-HEADER-SHEET``, naming them.
    result : path, optional
        The delineation result ``unit_ids`` came from, named in the fix of ``MAT-UNIT-MISMATCH``.

    Returns
    -------
    DataFrame
        Columns :data:`SCORE_TABLE_COLUMNS`; ``category`` / ``indicator`` are keys (:data:`CATEGORY_KEYS`,
        :data:`INDICATOR_KEYS`); ``score`` is ``Int64`` with ``<NA>`` for 未评 (a blank cell); ``row`` is the
        sheet row (1 = the first row of the sheet). A row with a unit but neither period nor scores (an
        untouched template row) is left out.

    Raises
    ------
    InputError
        All problems of all files at once, naming cells such as ``E7`` (see the module docstring).

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "s.csv")
    >>> _ = open(p, "w", encoding="utf-8").write("院落编号,评估期,政策宣讲-内容,政策宣讲-效果,政策宣讲-满意度\\nU1,2026Q1,7,,\\n")
    >>> t = read_scores(p, ["U1", "U2"])
    >>> t[t.category == "policy"][["unit_id", "period", "indicator", "score"]].to_string(index=False)
    'unit_id period    indicator  score\\n     U1 2026Q1      content      7\\n     U1 2026Q1       effect   <NA>\\n     U1 2026Q1 satisfaction   <NA>'
    >>> _ = open(p, "w", encoding="utf-8").write("院落编号,评估期,政策宣讲-内容,政策宣讲-效果,政策宣讲-满意度\\nU1,1,11\\nU9,1,好\\nU1,1,3\\n")
    >>> try:
    ...     read_scores(p, ["U1"])
    ... except InputError as e:
    ...     print(e.codes)
    ['MAT-SCORE', 'MAT-UNIT-UNKNOWN', 'MAT-DUP']
    """
    files, sheet_names = _read_args(paths, sheet_names)
    ids = unit_id_list(unit_ids, "read_scores")
    known = None if ids is None else {_norm(u) for u in ids}
    probs: list[Problem] = []
    warnings: list[Problem] = []
    records: list[dict[str, Any]] = []
    given: dict[Any, str] = {}
    wanted = dict.fromkeys(_norm(n) for n in sheet_names or () if _norm(n))
    books: list[tuple[str, list[str]]] = []  # each file's worksheets, where only named ones are read
    unread: list[tuple[str, list[str], list[str]]] = []  # files none of whose worksheets is named: their sheets
    matched: set[str] = set()
    told: set[str] = set()
    for f in files:
        twice = _given_before(Path(f), given)
        if twice is not None:  # read once; saying it per unit would be one MAT-DUP for every row
            probs.append(twice)
            continue
        sheets = read_sheets(f)
        book = sheets
        named = bool(wanted)
        if named:
            present = [s.name for s in sheets if s.name is not None]
            books.append((Path(f).name, present))
            matched |= wanted.keys() & set(present)
            sheets = [s for s in sheets if s.name in wanted]
            if not sheets:  # a file given but nothing of it read: never in silence (said once every file is read)
                unread.append((Path(f).name, present, _offered(book)))
                told.add(Path(f).name)
                continue
        headed = [(s, h) for s in sheets if (h := _locate_header(s)) is not None]
        # every visible score sheet: each may be a period; a hidden one only when named (asked for by name)
        found = [(s, h) for s, h in headed if named or not s.hidden]
        hidden = [s.name or "" for s, _ in headed if s.hidden and not named]
        if hidden and not found:  # the user sees none of them in Excel: never read in silence
            probs.append(problem("MAT-HIDDEN", file=Path(f).name, sheets=hidden))
            continue
        if hidden:
            warnings.append(problem("MAT-HIDDEN-ALSO", severity="warning", file=Path(f).name, sheets=hidden,
                                    read=[s.name or "" for s, _ in found]))
        if not named:
            sheets = [s for s in sheets if not s.hidden] or sheets
        for s, _ in found if len(found) > 1 else []:  # which sheet a cell is on, where it is not the only one
            s.ref = f"{s.name}!"
        if not found:
            probs += _no_header(Path(f).name, sheets, book, named)
            continue
        for sheet, head in found:
            layout = _layout_problems(sheet, head)
            probs += layout
            missing, absent = _missing_columns(head)
            where = both("maturity.in_sheet", sheet=sheet.name) if sheet.name else {lg: "" for lg in LANGS}
            if missing and not absent and not any(p.code == "MAT-COLUMN" for p in layout):
                # a template with a column deleted: that category could never be rated (a misspelt one is said
                # by MAT-COLUMN first)
                probs.append(problem("MAT-COLUMN-MISSING", file=sheet.file, where=where,
                                     columns={lg: text("list.sep", lg).join(missing[lg]) for lg in LANGS}))
            elif missing or absent:  # a sheet made for fewer categories: said, not refused
                warnings.append(problem("MAT-COLUMN-FEW", severity="warning", file=sheet.file, where=where,
                                        columns={lg: text("list.sep", lg).join(missing.get(lg, []) + absent.get(lg, []))
                                                 for lg in LANGS}))
            warnings += _hidden_score_columns(sheet, head, where)
            recs, row_probs = _sheet_records(sheet, head, known, period)
            probs += [p for p in row_probs if p.severity == "error"]
            warnings += [p for p in row_probs if p.severity != "error"]
            records += recs
    nowhere = [n for n in wanted if n not in matched]  # names in none of the files: misspelt, to be corrected
    probs += [_unknown_sheets(name, list(wanted), present, nowhere, offered) for name, present, offered in unread]
    if nowhere:
        probs += [_unknown_sheets(name, nowhere, present, nowhere, []) for name, present in books if name not in told]
    probs += _record_problems(records, unit_ids, result)
    warnings += _date_warnings(records) + _partial_warnings(records)
    if probs:
        raise InputError(probs)
    out = _records_table(records)
    out.attrs["warnings"] = warnings
    return out


def _hidden_score_columns(sheet: RawSheet, head: _Header, where: Mapping[Any, str]) -> list[Problem]:
    """``MAT-HIDDEN-COLUMNS``: score columns Excel hides that hold scores, which are read all the same (a clerk
    hides a category's columns for a period it was not assessed in, and last period's scores stay in them).

    >>> s = RawSheet("s.xlsx", [["院落编号", "政策宣讲-内容", "政策宣讲-效果"], ["U1", "7", "8"]], hidden_cols={2})
    >>> p = _hidden_score_columns(s, _locate_header(s), {"zh": "", "en": ""})[0]
    >>> p.code, p.params["columns"]["zh"]
    ('MAT-HIDDEN-COLUMNS', 'C 政策宣讲-效果')
    """
    body = sheet.cells[head.row + 1:]
    shown = [j for j in sorted(sheet.hidden_cols) if j in head.scores and any(j < len(r) and _norm(r[j]) for r in body)]
    if not shown:
        return []
    names = [f"{sheet.ref}{re.sub(r'[0-9]', '', cell_name(1, j + 1))} {_shown(head.names[j])}" for j in shown]
    return [problem("MAT-HIDDEN-COLUMNS", severity="warning", file=sheet.file, where=where, n=len(shown),
                    columns=_cells(names))]


def _missing_columns(head: _Header) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The score columns a sheet lacks, per language: those of a category it has some columns of (it could never
    be rated: an error), and the categories it has no column of (a sheet may rate fewer: a warning).

    >>> h = _Header(0, [], {"unit_id": 0}, {1: ("policy", "content"), 2: ("policy", "satisfaction")})
    >>> missing, absent = _missing_columns(h)
    >>> missing["zh"], len(absent["zh"])
    (['政策宣讲-实际效果'], 5)
    """
    have = set(head.scores.values())
    cats = {c for c, _ in have}
    missing: dict[str, list[str]] = {lg: [score_header(c, i, lg) for c in CATEGORY_KEYS if c in cats
                                          for i in INDICATOR_KEYS if (c, i) not in have] for lg in LANGS}
    absent: dict[str, list[str]] = {lg: [category_label(c, lg) for c in CATEGORY_KEYS if c not in cats] for lg in LANGS}
    return (missing if missing["zh"] else {}), (absent if absent["zh"] else {})


# ------------------------------------------------------------------------------------------- computing
Rule = str | Mapping[str, float]
#: the columns of :func:`maturity_table`
TABLE_COLUMNS = ("unit_id", "period", "period_no", *CATEGORY_KEYS, "n_rated", "mean", "weakest", "fullness",
                 "prev_period", "change_mean", "n_compared", "change_fullness", "assessor", "date")


def _aggregator(rule: Rule) -> Callable[[np.ndarray], np.ndarray]:
    """A function of ``(..., 3)`` indicator scores (NaN = 未评) to one value per category (NaN where none)."""
    if isinstance(rule, Mapping):
        bad = sorted(set(map(str, rule)) - set(INDICATOR_KEYS))
        w = np.array([float(rule.get(k, 0.0)) for k in INDICATOR_KEYS])
        if bad or (w < 0).any() or w.sum() <= 0 or not np.isfinite(w).all():
            raise InputError(problem("MAT-RULE", detail=f"weights {dict(rule)!r}"))

        def weighted(a: np.ndarray) -> np.ndarray:
            ok = ~np.isnan(a)
            ws = (ok * w).sum(-1)
            return np.where(ws > 0, np.where(ok, a, 0.0) @ w / np.where(ws > 0, ws, 1.0), np.nan)
        return weighted
    if rule not in ("mean", "min", "median"):
        raise InputError(problem("MAT-RULE", detail=repr(rule)))

    def simple(a: np.ndarray) -> np.ndarray:
        none = np.isnan(a).all(-1)
        filled = np.where(none[..., None], 0.0, a)
        if rule == "mean":
            out = np.nanmean(filled, axis=-1)
        else:
            out = np.nanmin(filled, axis=-1) if rule == "min" else np.nanmedian(filled, axis=-1)
        return np.where(none, np.nan, out)
    return simple


def category_maturity(indicator_scores: np.ndarray, *, rule: Rule = "mean", min_indicators: int = 3) -> np.ndarray:
    """Each category's maturity from its indicators, shape ``(..., 6, 3)`` → ``(..., 6)``; NaN = 未评.

    A category is rated when at least ``min_indicators`` of its three indicators are scored; ``rule`` is
    ``"mean"`` (default), ``"min"``, ``"median"`` or weights per indicator key (re-normalised over the scored
    ones).

    >>> a = np.full((6, 3), 8.0); a[0] = [6, 9, np.nan]; a[1] = [4, 6, 8]
    >>> category_maturity(a)[:2].tolist(), category_maturity(a, min_indicators=2)[:2].tolist()
    ([nan, 6.0], [7.5, 6.0])
    >>> category_maturity(a, rule={"content": 1, "effect": 1, "satisfaction": 2})[1].item()
    6.5
    """
    if not isinstance(min_indicators, int | np.integer) or not 1 <= min_indicators <= len(INDICATOR_KEYS):
        raise InputError(problem("MAT-RULE", detail=f"min_indicators={min_indicators!r}"))
    a = np.asarray(indicator_scores, dtype=float)
    count = (~np.isnan(a)).sum(-1)
    with np.errstate(invalid="ignore"):
        value = _aggregator(rule)(a)
    return np.where(count >= min_indicators, value, np.nan)


def weakest(values: Sequence[float] | np.ndarray) -> str | None:
    """Key(s) of the lowest rated category (ties joined by ``,`` in axis order); None when none is rated.

    >>> weakest([7, 5, 9, 5, float("nan"), 8]), weakest([float("nan")] * 6)
    ('consultation,environment', None)
    """
    v = _six(values, "weakest")
    if np.isnan(v).all():
        return None
    low = np.nanmin(v)
    return ",".join(k for k, x in zip(CATEGORY_KEYS, v, strict=True) if x == low)


def _why(key: str, **params: Any) -> dict[str, str]:
    """The catalogue text ``key`` in every language, its list parameters joined as each language lists things
    (``key.one`` for ``columns`` of one: "the column score", not "the columns score").

    >>> _why("maturity.table_type.columns", columns=["period", "n_rated"])["zh"]
    '缺少 period、n_rated 列'
    >>> _why("maturity.table_type.columns", columns=["period"])["en"]
    'lacks the column period'
    """
    one = isinstance(params.get("columns"), list) and len(params["columns"]) == 1
    return {lg: text(f"{key}.one" if one else key, lg,
                     **{k: text("list.sep", lg).join(map(str, v)) if isinstance(v, list) else v
                        for k, v in params.items()}) for lg in LANGS}


def _score_table(scores: Any) -> pd.DataFrame:
    """``scores`` when it is the tidy table of :func:`read_scores` (its columns, category and indicator keys,
    scores that are numbers), else ``MAT-SCORES-TYPE`` saying why: the sheet read with ``pd.read_excel``, the units
    layer or a file name is the plausible mistake, and would be a bare ``KeyError`` (or a category read as
    another one) further on.

    >>> _ = _score_table(pd.DataFrame(columns=["unit_id", "period", "category", "indicator", "score"]))
    >>> for bad in ("scores.xlsx", pd.DataFrame({"院落编号": ["U1"]}),
    ...             pd.DataFrame({"unit_id": ["U1"], "period": ["1"], "category": ["政策宣讲"],
    ...                           "indicator": ["content"], "score": [5]})):
    ...     try:
    ...         _score_table(bad)
    ...     except InputError as e:
    ...         print(e.problems[0].params["why"]["en"])
    is a file name, which must be read first
    lacks the columns unit_id, period, category, indicator, score
    has '政策宣讲' in its category column, not the keys read_scores gives (policy, consultation, mediation, environment, civility, economy)
    """
    def refuse(given: str, key: str, **params: Any) -> InputError:
        return InputError(problem("MAT-SCORES-TYPE", given=given, why=_why(f"maturity.scores_type.{key}", **params)))

    if isinstance(scores, str | Path):
        raise refuse(repr(str(scores))[:60], "path")
    if not isinstance(scores, pd.DataFrame):
        raise refuse(type(scores).__name__, "not_table")
    given = type(scores).__name__
    need = ("unit_id", "period", "category", "indicator", "score")
    missing = [c for c in need if c not in scores.columns]
    if missing:
        raise refuse(given, "columns", columns=missing)
    for col, keys in (("category", CATEGORY_KEYS), ("indicator", INDICATOR_KEYS)):
        odd = list(dict.fromkeys(v for v in scores[col].astype(str) if v not in keys))
        if odd:
            raise refuse(given, "values", column=col, values=[repr(v) for v in odd[:4]], keys=list(keys))
    try:
        scores["score"].astype("Float64")
    except (TypeError, ValueError):
        bad = list(dict.fromkeys(v for v in scores["score"] if pd.notna(v) and not isinstance(v, int | float | np.number)))
        raise refuse(given, "score", values=[repr(v) for v in bad[:4]]) from None
    return scores


def _pairs(scores: pd.DataFrame, unit_ids: Iterable[Any] | None,
           order: Sequence[str] | None) -> tuple[list[str], list[str]]:
    seen = period_order(scores["period"].astype(str))
    periods = list(dict.fromkeys([*map(str, order or []), *seen]))
    given = [] if unit_ids is None else [_norm(u) for u in unit_ids]
    units = list(dict.fromkeys([*given, *scores["unit_id"].astype(str)]))
    return periods, units


def _indicator_array(scores: pd.DataFrame, periods: list[str], units: list[str]) -> np.ndarray:
    arr = np.full((len(periods) * len(units), 6, 3), np.nan)
    if len(scores):
        p = pd.Index(periods).get_indexer(scores["period"].astype(str))
        u = pd.Index(units).get_indexer(scores["unit_id"].astype(str))
        c = pd.Index(CATEGORY_KEYS).get_indexer(scores["category"].astype(str))
        i = pd.Index(INDICATOR_KEYS).get_indexer(scores["indicator"].astype(str))
        v = scores["score"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        arr[p * len(units) + u, c, i] = v
    return arr


def _require_units(scores: pd.DataFrame, unit_ids: list[Any]) -> None:
    """``MAT-TABLE-UNIT`` when the ``scores`` rate units not among ``unit_ids`` (the first eight named, in the
    order of the scores), as reading a sheet against the result says ``MAT-UNIT-UNKNOWN``.

    >>> sc = pd.DataFrame({"unit_id": ["U1", "U9"], "period": "1", "category": "policy", "indicator": "content",
    ...                    "score": [5, 6]})
    >>> try:
    ...     _require_units(sc, ["U1", "U2"])
    ... except InputError as e:
    ...     print(e.problems[0].title("zh")); print(e.problems[0].title("en"))
    “maturity_table” 的评分表给 1 个不在 “unit_ids” 中的院落评了分：U9。
    the scores given to maturity_table rate 1 unit not among its unit_ids: U9.
    >>> _require_units(sc, ["U1", "U9"])
    """
    known = {_norm(u) for u in unit_ids}
    scored = list(dict.fromkeys(scores["unit_id"].astype(str)))
    unknown = [u for u in scored if u not in known]
    if unknown:
        raise InputError(problem("MAT-TABLE-UNIT", count=len(unknown),
                                 names=[*unknown[:8], *(["…"] if len(unknown) > 8 else [])]))


def maturity_table(
    scores: pd.DataFrame,
    unit_ids: Iterable[Any] | None = None,
    *,
    rule: Rule = "mean",
    min_indicators: int = 3,
    period_order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per period and unit: the six maturities, the mean, the weakest, the fullness and the change.

    Parameters
    ----------
    scores : DataFrame
        The tidy table of :func:`read_scores`; anything else (the sheet read with ``pd.read_excel``, the units
        layer, a file name, a table with category names where the keys belong) is ``MAT-SCORES-TYPE``.
    unit_ids : iterable or DataFrame, optional
        Every unit of the delineation: a unit with no scores in a period gets a row with ``n_rated = 0``
        (未评), so every unit is accounted for in every period. A table (the units layer of a result) gives its
        ``unit_id`` column (:func:`unit_id_list`; one without it is ``MAT-UNITS-TYPE``). A unit the scores rate
        that is not among them is ``MAT-TABLE-UNIT`` (an error, as the command line's ``MAT-UNIT-UNKNOWN``: scores
        of another delineation, or a mistyped id, would be a row of a unit the result does not have).
    rule, min_indicators
        How indicators combine into a category (see :func:`category_maturity`).
    period_order : sequence of str, optional
        Periods oldest first; by default by their value (:func:`period_order`: ``2026Q3`` before ``2027Q1``),
        periods that are not a time after them in the order they first appear. A bare string is one period.

    Returns
    -------
    DataFrame
        Columns :data:`TABLE_COLUMNS`: the six categories (``Float64``, ``<NA>`` = 未评), ``n_rated``,
        ``mean`` (over the rated categories), ``weakest`` (key(s) of the lowest), ``fullness`` (only when all six
        are rated), ``prev_period`` and ``change_mean`` / ``change_fullness`` against the period before (where
        both are known; the mean's change over the ``n_compared`` categories rated in both periods, so that a
        category left blank this time does not move it), ``assessor``, ``date``.

    Examples
    --------
    >>> rows = [("U1", p, c, i, s) for p, s in (("一季度", 5), ("二季度", 7))
    ...         for c in CATEGORY_KEYS for i in INDICATOR_KEYS]
    >>> sc = pd.DataFrame(rows, columns=["unit_id", "period", "category", "indicator", "score"])
    >>> t = maturity_table(sc, ["U1", "U2"])
    >>> t[["unit_id", "period", "n_rated", "mean", "fullness", "change_mean"]].to_string(index=False)
    'unit_id period  n_rated  mean  fullness  change_mean\\n     U1    一季度        6   5.0      0.25         <NA>\\n     U2    一季度        0  <NA>      <NA>         <NA>\\n     U1    二季度        6   7.0      0.49          2.0\\n     U2    二季度        0  <NA>      <NA>         <NA>'
    """
    scores = _score_table(scores)
    if isinstance(period_order, str):  # one period, as a bare string: never taken letter by letter
        period_order = [period_order]
    ids = unit_id_list(unit_ids)
    if ids is not None:
        _require_units(scores, ids)
    periods, units = _pairs(scores, ids, period_order)
    cats = category_maturity(_indicator_array(scores, periods, units), rule=rule, min_indicators=min_indicators)
    n_rated = (~np.isnan(cats)).sum(1)
    with np.errstate(invalid="ignore"):
        mean = np.where(n_rated > 0, np.nansum(cats, 1) / np.maximum(n_rated, 1), np.nan)
    full = np.array([fullness(c) for c in cats]) if len(cats) else np.zeros(0)
    prev = np.r_[np.full(len(units), -1), np.arange(len(cats) - len(units))] if len(cats) else np.zeros(0, int)
    has_prev = prev >= 0
    prev_safe = np.where(has_prev, prev, 0)
    out = pd.DataFrame({
        "unit_id": pd.array(units * len(periods), dtype="string"),
        "period": pd.array(np.repeat(periods, len(units)).tolist(), dtype="string"),
        "period_no": np.repeat(np.arange(1, len(periods) + 1), len(units)).astype("int64"),
    })
    for k, key in enumerate(CATEGORY_KEYS):
        out[key] = _nullable(cats[:, k])
    out["n_rated"] = n_rated.astype("int64")
    out["mean"] = _nullable(mean)
    out["weakest"] = pd.array([weakest(c) for c in cats], dtype="string")
    out["fullness"] = _nullable(full)
    out["prev_period"] = pd.array([periods[p // len(units)] if p >= 0 else None for p in prev], dtype="string")
    # the change of the mean over the categories rated in both periods: leaving the weakest blank is no rise
    both_rated = ~np.isnan(cats) & ~np.isnan(cats[prev_safe]) & has_prev[:, None] if len(cats) else cats > 0
    n_both = both_rated.sum(1)
    with np.errstate(invalid="ignore"):
        now = np.where(both_rated, cats, 0.0).sum(1) / np.maximum(n_both, 1)
        before = np.where(both_rated, cats[prev_safe], 0.0).sum(1) / np.maximum(n_both, 1) if len(cats) else now
    out["change_mean"] = _nullable(np.where(n_both > 0, now - before, np.nan))
    out["n_compared"] = n_both.astype("int64")
    out["change_fullness"] = _nullable(np.where(has_prev, full - full[prev_safe], np.nan) if len(prev) else full)
    meta = _first_meta(scores)
    pairs = list(zip(out["unit_id"].astype(str), out["period"].astype(str), strict=True))
    for col in ("assessor", "date"):
        out[col] = pd.array([meta.get(k, {}).get(col) or None for k in pairs], dtype="string")
    return out


def _nullable(values: np.ndarray) -> pd.arrays.FloatingArray:
    v = np.asarray(values, dtype=float)
    return pd.array(np.round(v, 10), dtype="Float64").fillna(pd.NA) if len(v) else pd.array([], dtype="Float64")


def _first_meta(scores: pd.DataFrame) -> dict[tuple[str, str], dict[str, Any]]:
    cols = [c for c in ("assessor", "date") if c in scores.columns]
    if not cols or not len(scores):
        return {}
    first = scores.drop_duplicates(["unit_id", "period"])
    return {(str(r["unit_id"]), str(r["period"])): {c: (None if pd.isna(r[c]) else str(r[c])) for c in cols}
            for _, r in first.iterrows()}


def village_summary(table: pd.DataFrame, villages: Mapping[str, Any] | pd.Series | None = None) -> pd.DataFrame:
    """Aggregates per village and period: counts, each category's mean over the units rating it, the weakest.

    Parameters
    ----------
    table : DataFrame
        The output of :func:`maturity_table`; another table (that of :func:`read_scores`, the units layer) is
        ``MAT-TABLE-TYPE``.
    villages : mapping, Series or DataFrame, optional
        Unit id → village; units without one (or all, when None) are grouped under ``""``. A table (the units
        layer of a result) gives its ``unit_id`` → ``village`` columns; one without them, a list, or a mapping
        none of whose keys is a unit id of ``table`` (the village column alone, indexed by row number) is
        ``MAT-VILLAGES-TYPE``.

    Returns
    -------
    DataFrame
        ``village``, ``period``, ``period_no``, ``n_units``, ``n_full`` (all six rated), ``n_unrated`` (none
        rated), the six category means, ``mean`` (of the category means), ``fullness`` (mean over the fully
        rated units) and ``weakest`` (lowest category mean).

    Examples
    --------
    >>> t = pd.DataFrame({"unit_id": ["U1", "U2", "U3"], "period": ["1"] * 3, "period_no": [1] * 3,
    ...                   **{k: [8.0, 6.0, None] for k in CATEGORY_KEYS}, "n_rated": [6, 6, 0],
    ...                   "fullness": [0.64, 0.36, None]})
    >>> t["economy"] = [4.0, 6.0, None]
    >>> s = village_summary(t, {"U1": "东村", "U2": "东村", "U3": "西村"})
    >>> s[["village", "n_units", "n_full", "n_unrated", "policy", "economy", "weakest"]].to_string(index=False)
    'village  n_units  n_full  n_unrated  policy  economy weakest\\n     东村        2       2          0     7.0      5.0 economy\\n     西村        1       0          1    <NA>     <NA>    <NA>'
    """
    need = ("unit_id", "period", "period_no", *CATEGORY_KEYS, "n_rated", "fullness")
    if not isinstance(table, pd.DataFrame):
        raise InputError(problem("MAT-TABLE-TYPE", given=type(table).__name__,
                                 why=both("maturity.table_type.not_table")))
    if missing := [c for c in need if c not in table.columns]:  # read_scores' table, the units layer, a sheet
        raise InputError(problem("MAT-TABLE-TYPE", given=type(table).__name__,
                                 why=_why("maturity.table_type.columns", columns=missing)))
    if isinstance(villages, pd.DataFrame):
        missing = [c for c in ("unit_id", "village") if c not in villages.columns]
        if missing:
            raise InputError(problem("MAT-VILLAGES-TYPE", given=type(villages).__name__,
                                     why=_why("maturity.villages_type.columns", columns=missing)))
        villages = pd.Series(villages["village"].tolist(), index=villages["unit_id"].astype(str).tolist())
    if villages is not None and not isinstance(villages, Mapping | pd.Series):  # a list: no unit ids at all
        raise InputError(problem("MAT-VILLAGES-TYPE", given=type(villages).__name__,
                                 why=both("maturity.villages_type.no_ids")))
    v = pd.Series(villages if villages is not None else {}, dtype="object")
    ids = set(table["unit_id"].astype(str))
    if len(v) and ids and not ids & set(map(str, v.index)):  # the village column alone: indexed by row number
        raise InputError(problem("MAT-VILLAGES-TYPE", given=type(villages).__name__,
                                 why=_why("maturity.villages_type.keys", keys=[repr(k) for k in v.index[:3]],
                                          units=sorted(ids)[:3])))
    t = table.copy()
    t["village"] = [("" if pd.isna(x := v.get(u)) else str(x)) if u in v.index else "" for u in t["unit_id"]]
    rows = []
    for (village, period_no), g in t.groupby(["village", "period_no"], sort=True):
        cats = g[list(CATEGORY_KEYS)].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            rated = ~np.isnan(cats)
            means = np.where(rated.any(0), np.nansum(cats, 0) / np.maximum(rated.sum(0), 1), np.nan)
        fulls = g["fullness"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        rows.append({
            "village": village, "period": str(g["period"].iloc[0]), "period_no": int(period_no),
            "n_units": len(g), "n_full": int((g["n_rated"] == 6).sum()), "n_unrated": int((g["n_rated"] == 0).sum()),
            **dict(zip(CATEGORY_KEYS, means, strict=True)),
            "mean": np.nanmean(means) if rated.any() else np.nan,
            "fullness": np.nanmean(fulls) if (~np.isnan(fulls)).any() else np.nan,
            "weakest": weakest(means),
        })
    out = pd.DataFrame(rows, columns=["village", "period", "period_no", "n_units", "n_full", "n_unrated",
                                      *CATEGORY_KEYS, "mean", "fullness", "weakest"])
    for col in (*CATEGORY_KEYS, "mean", "fullness"):
        out[col] = _nullable(out[col].to_numpy(dtype=float))
    for col in ("village", "period", "weakest"):
        out[col] = out[col].astype("string")
    return out.sort_values(["period_no", "village"], kind="stable").reset_index(drop=True)
