"""Plan inputs: turn a column, a table or unit polygons into plan labels.

A *plan* assigns households to courtyard units. Every reader here returns a :class:`PlanInput`:
``labels`` (a Series indexed by ``hid``, value = unit id as ``str``, missing = unassigned) and
``problems`` (the structural findings, as :class:`yuanluo.gis.errors.Problem`). Nothing is dropped
silently: a household id that is not in the household file, a household assigned twice, a blank or
duplicate unit id, a household outside every unit polygon or inside two, and a unit with nobody in it
each become a finding with a stable code. :func:`yuanluo.gis.check.check_plan` turns these findings into
violations next to its own rule checks (pass them as ``plan_problems``).

Codes: ``PLAN-UNKNOWN-ID``, ``PLAN-BLANK-ID`` (warning: a row with a unit and a blank household id, passed
over), ``PLAN-ID-ZEROS`` (warning: ids that are household ids once the leading zeros a
spreadsheet took off are put back, read as those), ``PLAN-HH-ZEROS`` (warning: ids that are household ids once
the leading zeros the household file lost are taken off, read as those), ``PLAN-HH-ZEROS-CLASH`` (such ids, not one
to one), ``PLAN-DUP-ASSIGN``, ``PLAN-DUP-ROW`` (warning), ``PLAN-UNASSIGNED``,
``PLAN-ID``, ``PLAN-OUTSIDE``, ``PLAN-OVERLAP``, ``PLAN-ON-BOUNDARY`` (warning), ``PLAN-EMPTY-UNIT``; unreadable
tables raise
:class:`yuanluo.gis.errors.InputError` with ``PLAN-FILE`` or ``PLAN-COLUMN``.
"""

from __future__ import annotations

import csv
import dataclasses
import re
import unicodedata
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from yuanluo.gis.catalogue import LANGS, both, joined, text
from yuanluo.gis.columns import INVISIBLE, dbf_aliases
from yuanluo.gis.errors import InputError, Problem, Severity, missing_file, more_after, problem, unreadable

#: Header aliases (NFKC, lower case) recognised by :func:`read_plan_table`, best first.
#: The headers Yuanluo writes in English (``Household ID``, ``Unit ID``) are among them.
ID_ALIASES: tuple[str, ...] = ("hid", "户编号", "户号", "农户编号", "household_id", "household id", "户id", "编号", "id")
UNIT_ALIASES: tuple[str, ...] = (
    "unit_id", "院落编号", "院落", "院落名称", "小院", "小院名称", "所属院落", "院落号", "unit id", "unit",
)


class PlanInput(NamedTuple):
    """A plan read from somewhere: labels on ``hid`` and the structural findings."""

    labels: pd.Series
    problems: list[Problem]


#: a text :func:`yuanluo.gis.output.neutralise_formulas` guarded: ``'``, any more ``'`` and a formula lead
_GUARDED = re.compile(r"'+[=+\-@\t\r]")


def unguard(s: str) -> str:
    """A CSV cell as it was before Yuanluo's formula guard (:func:`yuanluo.gis.output.neutralise_formulas`) put a
    ``'`` before it: one ``'`` taken off a text that is ``'``, any more ``'`` and a formula lead (``=``, ``+``,
    ``-``, ``@``, tab, carriage return); every other text as it is. The exact inverse of the guard.

    >>> unguard("'=A1"), unguard("''=A1"), unguard("'quoted"), unguard("=A1")
    ('=A1', "'=A1", "'quoted", '=A1')
    """
    return s[1:] if _GUARDED.match(s) else s


def _norm(s: Any, *, text_table: bool = False) -> str:
    """NFKC, stripped; with ``text_table`` (a cell of a CSV, where Yuanluo guards a formula-like cell, ``'=1``)
    :func:`unguard`-ed too. A GeoPackage's or an xlsx's cell is never guarded (an xlsx holds every text as a text
    cell, as it is), nor is a household file's id: those are read as they are.

    >>> _norm(" '=A1 ", text_table=True), _norm(" '=A1 "), _norm("'quoted", text_table=True), _norm("００７")
    ('=A1', "'=A1", "'quoted", '007')
    """
    out = INVISIBLE.sub("", unicodedata.normalize("NFKC", str(s))).strip()
    return unguard(out).strip() if text_table else out


def _whole(x: Any) -> Any:
    """A number a driver read as a float that is whole, as the integer it is: a .dbf integer field (院落编号, 户编号)
    with one blank cell comes back from GDAL as float64, and ``12.0`` is unit ``12`` as QGIS shows it; anything
    else as it is.

    >>> _whole(12.0), _whole(np.float64(1001)), _whole(2.5), _whole("12.0"), _whole(float("nan")) != _whole(1.0)
    (12, 1001, 2.5, '12.0', True)
    """
    if isinstance(x, float | np.floating) and np.isfinite(x) and float(x).is_integer():
        return int(x)
    return x


def _text_table(path: Path) -> bool:
    """Whether :func:`_read_raw` reads ``path`` as a text table (a CSV, where Yuanluo guards formula-like cells):
    neither a layer nor a workbook."""
    return path.suffix.lower() not in (*LAYER_PLAN_SUFFIXES, ".xlsx", ".xlsm")


def _as_household(cells: Sequence[Any], known: Collection[str], text_table: bool) -> list[str]:
    """Household id cells read as :func:`_norm` reads the file's cells; where that is no household id in ``known``
    but the cell read the other way is (a CSV saved by Excel from Yuanluo's xlsx plan, whose ``'=H1`` is no guard;
    a workbook saved from Yuanluo's CSV, whose ``'=H1`` is one), that. A CSV's ``'=H1`` with both ``=H1`` and
    ``'=H1`` households is ``=H1``, as Yuanluo wrote it.

    >>> _as_household(["'=H1", "'=H2", "x"], {"'=H1", "=H2"}, True), _as_household(["'=H1"], {"=H1"}, False)
    (["'=H1", '=H2', 'x'], ['=H1'])
    """
    out = []
    for c in cells:
        first, other = _norm(c, text_table=text_table), _norm(c, text_table=not text_table)
        out.append(other if first not in known and other in known else first)
    return out


def _blank(values: pd.Series) -> np.ndarray:
    s = values.astype("object")
    return np.asarray(s.isna() | s.map(lambda x: _norm(x) == "" if isinstance(x, str) else False), dtype=bool)


def _hid_index(households: pd.DataFrame) -> pd.Index:
    return pd.Index(households.index.astype(str), name="hid")


def _empty_labels(index: pd.Index) -> pd.Series:
    return pd.Series(pd.array([pd.NA] * len(index), dtype="string"), index=index, name="unit_id")


def _unassigned(labels: pd.Series, file: str | None, blank_rows: dict[str, int] | None = None, *,
                cells: str = "") -> list[Problem]:
    """PLAN-UNASSIGNED for the households ``labels`` leaves in no unit; ``blank_rows``: the row of the plan table
    ``file`` where each household's unit cell is blank, ``cells="households"``: a plan column of the household file
    (its blank cells are the household file's rows), for :func:`yuanluo.gis.check.check_plan` to name them."""
    miss = labels.index[labels.isna().to_numpy()]
    if not len(miss):
        return []
    where: dict[str, Any] = ({"blank_rows": {h: blank_rows[h] for h in miss if h in blank_rows}}
                             if blank_rows is not None else {})
    return [problem("PLAN-UNASSIGNED", file=file, ids=sorted(miss), cells=cells, **where)]


def plan_from_column(households: pd.DataFrame, column: str, *, file: str | None = None) -> PlanInput:
    """Labels from a column of the household table (blank = unassigned); a column it lacks is PLAN-COLUMN, naming
    ``file`` (by default the table's ``attrs["file"]``, where :func:`yuanluo.gis.io.read_households` puts it).

    Examples
    --------
    >>> import pandas as pd
    >>> hh = pd.DataFrame({"yard": ["A", "A", " ", "B"]}, index=pd.Index(["1", "2", "3", "4"], name="hid"))
    >>> labels, probs = plan_from_column(hh, "yard")
    >>> list(labels.fillna("-")), [p.code for p in probs]
    (['A', 'A', '-', 'B'], ['PLAN-UNASSIGNED'])
    >>> hh.attrs["file"] = "农户.xlsx"
    >>> try:
    ...     plan_from_column(hh, "院落")
    ... except InputError as exc:
    ...     print(exc.problems[0].message("zh"))
    错误 PLAN-COLUMN：方案文件 农户.xlsx 中找不到院落列“院落”（现有列：yard）。
      处理办法：把存放院落编号的列名（上面列出的列之一）作为第二个参数传给 “plan_from_column”。
    """
    if column not in households.columns:
        name = file or str(households.attrs.get("file") or "households")
        raise InputError(dataclasses.replace(
            problem("PLAN-COLUMN", file=name, what=both("plan.col.unit_named", name=column),
                    columns=[str(c) for c in households.columns]), variant="from_column"))
    index = _hid_index(households)
    raw = households[column]
    blank = _blank(raw)
    vals = np.array([_norm(_whole(x)) for x in raw.astype("object").to_numpy()], dtype=object)
    vals[blank] = None
    labels = pd.Series(pd.array(vals, dtype="string"), index=index, name="unit_id")
    return PlanInput(labels, _unassigned(labels, None, cells="households"))


# ---------------------------------------------------------------------------------------- tables
#: Files read as a layer's attribute table (a GeoPackage's ``households`` layer, else its first layer).
LAYER_PLAN_SUFFIXES: tuple[str, ...] = (".gpkg", ".shp", ".geojson", ".parquet", ".geoparquet")


def split_plan_spec(path: str | Path) -> tuple[Path, str | None]:
    """``file::layer`` → the file and the layer (None without ``::``).

    >>> split_plan_spec("结果.gpkg::households"), split_plan_spec("plan.csv")
    ((PosixPath('结果.gpkg'), 'households'), (PosixPath('plan.csv'), None))
    """
    spec = str(path)
    if "::" in spec:
        file, layer = spec.rsplit("::", 1)
        return Path(file), (layer or None)
    return Path(spec), None


def _read_layer_table(path: Path, layer: str | None) -> pd.DataFrame:
    """A layer's attributes as a raw table: the column names as its first row, every cell as text."""
    try:
        if path.suffix.lower() in (".parquet", ".geoparquet"):
            frame = pd.read_parquet(path)
            frame = frame.drop(columns=[c for c in ("geometry", "geom") if c in frame.columns])
        else:
            import pyogrio

            from yuanluo.gis.io import gdal_path

            names = [str(n) for n, _ in pyogrio.list_layers(gdal_path(path))]
            chosen = layer if layer is not None else ("households" if "households" in names else names[0])
            frame = pd.DataFrame(pyogrio.read_dataframe(gdal_path(path), layer=chosen, read_geometry=False))
    except Exception as exc:  # noqa: BLE001 - any driver failure is an unreadable plan
        raise InputError(problem("PLAN-FILE", file=str(path), detail=unreadable(exc, "layers"))) from exc
    cells = frame.astype(object).where(frame.notna(), "").map(_whole).astype(str)  # a .dbf's 12.0: 12
    return pd.DataFrame([list(map(str, frame.columns)), *cells.to_numpy().tolist()])


def _plan_header(records: Sequence[Sequence[str]], id_col: str | None, unit_col: str | None
                 ) -> tuple[int, int, int] | None:
    """The header of a plan table: the first of its first ten rows naming a household id column and another
    unit column, as (row, id column, unit column); None when none does."""
    for r, rec in enumerate(records[:10]):
        row = [str(x) for x in rec]
        i, u = _find_col(row, id_col, ID_ALIASES), _find_col(row, unit_col, UNIT_ALIASES)
        if i is not None and u is not None and i != u:
            return r, i, u
    return None


def _read_raw(path: Path, layer: str | None = None, *, id_col: str | None = None,
              unit_col: str | None = None) -> pd.DataFrame:
    """A plan file as a raw table of text, row ``r`` the spreadsheet's row ``r + 1``: a layer's attributes (its
    column names as row 0), a workbook's sheet (:func:`~yuanluo.gis.sheets.read_workbook`: the one ``layer``
    names, hidden or not, else the first visible sheet with a plan header, else the first visible sheet), or a text table
    (:func:`~yuanluo.gis.sheets.text_records`); PLAN-FILE when it is none of them, or has no sheet ``layer``."""
    from yuanluo.gis.io import lock_file
    from yuanluo.gis.sheets import read_workbook, text_records

    gone = missing_file(path) or lock_file(path)
    if gone is not None:  # not there, a folder, Excel's lock file: IO-NOTFOUND / IO-ISDIR / IO-LOCKFILE, as for any input
        raise InputError(gone)
    suffix = path.suffix.lower()
    if suffix in LAYER_PLAN_SUFFIXES:
        return _read_layer_table(path, layer)
    plan_sheets: list[str] = []
    try:
        if suffix in (".xlsx", ".xlsm"):
            book = read_workbook(path, str(path))
            # a sheet named is read hidden or not; else the visible ones only, as a planner sees the workbook
            sheets = [(b.name, b.rows) for b in book if b.name == layer or not b.hidden]
            headed_names = [name for name, rows in sheets if _plan_header(rows, id_col, unit_col) is not None]
            if layer is not None and layer not in [name for name, _ in sheets]:
                # the fix names the sheets there are (a plan's first), not the file formats the plan may be in
                choice = (headed_names or [name for name, _ in sheets] or [""])[0]
                bad = problem("PLAN-FILE", file=str(path), detail={
                    lang: text("plan.file.no_sheet", lang, sheet=layer,
                               sheets=text("list.sep", lang).join(name for name, _ in sheets)) for lang in LANGS},
                    spec=f"{path.name}::{choice}")
                raise InputError(dataclasses.replace(bad, variant="no_sheet") if choice else bad)
            named = [rows for name, rows in sheets if name == layer]
            headed = [rows for name, rows in sheets if name in headed_names]
            records = (named or headed or [rows for _, rows in sheets] or [[]])[0]
            if named:  # the sheets holding a plan, should the one named hold none (the 院落汇总 of our own --xlsx)
                plan_sheets = [name for name in headed_names if name != layer]
        else:
            data = path.read_bytes()
            if not data.strip():
                raise InputError(problem("PLAN-FILE", file=str(path), detail=both("plan.file.empty")))
            records = text_records(data)
    except InputError as exc:
        if exc.code == "PLAN-FILE":
            raise
        raise InputError(problem("PLAN-FILE", file=str(path), detail=exc.problems[0].params["why"])) from exc
    except ValueError as exc:  # no text: binary bytes
        raise InputError(problem("PLAN-FILE", file=str(path), detail=both("plan.file.binary"))) from exc
    except (OSError, csv.Error) as exc:
        raise InputError(problem("PLAN-FILE", file=str(path),
                                 detail=unreadable(exc, "csv" if isinstance(exc, csv.Error) else "io"))) from exc
    width = max(map(len, records), default=0)
    out = pd.DataFrame([rec + [""] * (width - len(rec)) for rec in records], dtype=object)
    out.attrs["plan_sheets"] = plan_sheets
    return out


#: Column names of a unit's status in a plan table (the ``--xlsx`` plan and ``check --csv`` write 状态 / Status).
STATUS_ALIASES: tuple[str, ...] = ("status", "unit_status", "状态", "院落状态")
#: the statuses a delineation's ``--xlsx`` plan writes (in either language): an exception, and any
EXCEPTION_MARKS = frozenset({"例外", "exception"})
STATUS_MARKS = EXCEPTION_MARKS | {"符合规定", "ok"}
#: the key of a plan's :attr:`pandas.Series.attrs` (its labels, :func:`read_plan_table`) holding the units the plan
#: itself records as kept locked (:func:`plan_kept`)
KEPT_ATTR = "kept"


def _kept_rows(head: Sequence[str], body: pd.DataFrame, tt: bool, taken: Collection[int]) -> np.ndarray:
    """The rows of a plan table's ``body`` (``head``: its header) that record their unit as kept locked: its status
    column (:data:`STATUS_ALIASES`: 状态, Status, unit_status …) says locked in any language the catalogue writes
    it (``value.status.locked``: 锁定, locked: the ``--xlsx`` plan, a result's ``households`` layer), or its lock
    column (:data:`yuanluo.gis.lock.LOCK_ALIASES`: 锁定, Locked, as the editor exports it) says yes (a yes-word of
    :func:`yuanluo.gis.columns.parse_bool` or :data:`yuanluo.gis.lock.LOCK_WORDS`). ``taken``: the id and unit
    columns, never read as either."""
    from yuanluo.gis.columns import parse_bool
    from yuanluo.gis.lock import LOCK_ALIASES, LOCK_WORDS

    def cells(pos: int) -> pd.Series:
        return body.iloc[:, pos].map(lambda x: _norm(x, text_table=tt).lower() if isinstance(x, str) else "")

    marked = np.zeros(len(body), dtype=bool)
    st = _find_col(head, None, STATUS_ALIASES)
    if st is not None and st not in taken:
        words = {_norm(text("value.status.locked", lang)).lower() for lang in LANGS}
        marked |= cells(st).isin(sorted(words)).to_numpy(dtype=bool)
    lk = _find_col(head, None, LOCK_ALIASES)
    if lk is not None and lk not in taken:
        said = cells(lk).astype(str)
        yes, _ = parse_bool(said)
        marked |= yes.to_numpy(dtype=bool) | said.isin(sorted(LOCK_WORDS)).to_numpy(dtype=bool)
    return marked


def plan_kept(labels: Any) -> pd.Series:
    """The units a plan records as kept locked, ``hid`` → unit id of each of their households as the plan's rows
    mark them (:func:`read_plan_table` keeps them, a dict, in its labels' ``attrs``, :data:`KEPT_ATTR`: the rows whose
    status says locked, or whose lock column says yes); empty for labels read from anything else. A plan is its own
    record: such a unit counts as kept (:func:`yuanluo.gis.check.plan_zones`) while the plan gives it exactly
    those households (a household moved into it or out of it in the spreadsheet, and it is the planner's own).

    >>> import tempfile, os
    >>> hh = pd.DataFrame(index=pd.Index(["1", "2", "3"], name="hid"))
    >>> p = os.path.join(tempfile.mkdtemp(), "plan.csv")
    >>> _ = open(p, "w", encoding="utf-8").write("户编号,院落编号,状态\\n1,U1,锁定\\n2,U1,锁定\\n3,U2,符合规定\\n")
    >>> plan_kept(read_plan_table(p, hh).labels).to_dict()
    {'1': 'U1', '2': 'U1'}
    >>> _ = open(p, "w", encoding="utf-8").write("Household ID,Unit ID,Locked\\n1,U1,\\n2,U1,\\n3,U2,yes\\n")
    >>> plan_kept(read_plan_table(p, hh).labels).to_dict(), len(plan_kept(pd.Series(["U1"], index=["1"])))
    ({'3': 'U2'}, 0)
    """
    kept = labels.attrs.get(KEPT_ATTR) if isinstance(labels, pd.Series) else None
    if not isinstance(kept, dict) or not kept:
        return pd.Series([], dtype=object)
    return pd.Series([str(u) for u in kept.values()], index=pd.Index([str(h) for h in kept], name="hid"), dtype=object)


def marked_cells(path: str | Path, aliases: Sequence[str], *, unit_col: str | None = None) -> pd.DataFrame | None:
    """The cells of the column named by one of ``aliases`` in a plan table, one row per body row: ``row`` (as a
    spreadsheet shows it: the header and any title rows above it counted), ``unit`` (NFKC, stripped) and
    ``value`` (NFKC, stripped, lower case; ``""`` for a blank cell). None when the table has no such column. The
    header is the first of the first ten rows naming the unit column and that one.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "plan.csv")
    >>> _ = open(p, "w", encoding="utf-8").write("标题\\n户编号,院落编号,锁定\\n1,U2,√\\n2,U1,\\n")
    >>> marked_cells(p, ("锁定",)).to_dict("records")
    [{'row': 3, 'unit': 'U2', 'value': '√'}, {'row': 4, 'unit': 'U1', 'value': ''}]
    >>> marked_cells(p, ("状态",)) is None
    True
    """
    path, layer = split_plan_spec(path)
    raw = _read_raw(path, layer, unit_col=unit_col)
    first = 1 if path.suffix.lower() in LAYER_PLAN_SUFFIXES else 2  # a layer's rows: by feature
    tt = _text_table(path)
    for r in range(min(10, len(raw))):
        row = [str(x) for x in raw.iloc[r].tolist()]
        u, k = _find_col(row, unit_col, UNIT_ALIASES), _find_col(row, None, aliases)
        if u is not None and k is not None and u != k:
            body = raw.iloc[r + 1:]
            said = body.iloc[:, k].map(lambda x: _norm(x, text_table=tt).lower() if isinstance(x, str) else "")
            unit = body.iloc[:, u].map(lambda x: _norm(x, text_table=tt) if isinstance(x, str) else "")
            return pd.DataFrame({"row": np.arange(r + first, r + first + len(body), dtype=np.int64),
                                 "unit": unit.to_numpy(dtype=object), "value": said.to_numpy(dtype=object)})
    return None


def marked_units(path: str | Path, aliases: Sequence[str], marks: Collection[str], *,
                 unit_col: str | None = None) -> list[str]:
    """The units of a plan table whose rows say one of ``marks`` (compared NFKC, lower case) in the column named
    by one of ``aliases``, sorted; ``[]`` when the table has no such column (:func:`marked_cells`).

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "plan.csv")
    >>> _ = open(p, "w", encoding="gbk").write("户编号,院落编号,状态\\n1,U2,例外\\n2,U1,合规\\n3,U2,例外\\n")
    >>> marked_units(p, STATUS_ALIASES, {"例外", "exception"}), marked_units(p, ("锁定",), {"是"})
    (['U2'], [])
    """
    cells = marked_cells(path, aliases, unit_col=unit_col)
    if cells is None:
        return []
    return sorted({x for x in cells.loc[cells["value"].isin(list(marks)), "unit"] if x}, key=unit_sort_key)


def plan_table_exceptions(path: str | Path, *, unit_col: str | None = None, marks: Collection[str] = EXCEPTION_MARKS
                          ) -> list[str]:
    """The units a plan table marks as exceptions in a status column (状态 = 例外, as the ``--xlsx`` plan of a
    delineation writes it; :func:`marked_units`; ``marks``: the statuses looked for); ``[]`` when it has none or
    cannot be read. Only a result file declares an exception (with the rules it kept and the reason): this is
    for telling the planner so. With ``marks`` :data:`STATUS_MARKS`, the units of a table that has the status
    column of a delineation's plan."""
    try:
        return marked_units(path, STATUS_ALIASES, marks, unit_col=unit_col)
    except InputError:
        return []


def _find_col(header: Sequence[str], given: str | None, aliases: Sequence[str]) -> int | None:
    norm = [_norm(h, text_table=True).lower() for h in header]
    wanted = ([_norm(given, text_table=True).lower()] if given is not None else []) + list(dbf_aliases(aliases))  # a .dbf's cuts too
    for a in wanted:
        if a in norm:
            return norm.index(a)
    return None


def read_plan_table(
    path: str | Path,
    households: pd.DataFrame,
    *,
    id_col: str | None = None,
    unit_col: str | None = None,
) -> PlanInput:
    """Read a household → unit table (CSV in UTF-8, UTF-8 with BOM or GBK; Excel ``.xlsx``; or the attributes
    of a layer: GeoPackage, Shapefile, GeoJSON or GeoParquet, ``file::layer``, a GeoPackage's ``households``
    layer by default, so another result's plan is read as it is).

    Ids are read as strings (leading zeros kept) and NFKC-normalised. The header row is found among
    the first ten rows (an Excel title row above it is skipped) by the aliases in
    :data:`ID_ALIASES` / :data:`UNIT_ALIASES` (户编号, 户号 …; 院落, 院落编号, 院落名称, 小院 …) unless
    ``id_col`` / ``unit_col`` name the columns (tried first; the aliases still apply, so one ``--id-col``
    can name the household file's id column while the plan table says 户编号). Rows are reported as a spreadsheet
    shows them (the header and any title rows above it counted; a layer's rows by feature, 1 = first).

    Examples
    --------
    >>> import pandas as pd, tempfile, os
    >>> hh = pd.DataFrame(index=pd.Index(["001", "002", "003"], name="hid"))
    >>> p = os.path.join(tempfile.mkdtemp(), "plan.csv")
    >>> _ = open(p, "w", encoding="gbk").write("户编号,院落名称\\n001,东院\\n002,东院\\n009,西院\\n")
    >>> labels, probs = read_plan_table(p, hh)
    >>> list(labels.fillna("-")), sorted(q.code for q in probs)
    (['东院', '东院', '-'], ['PLAN-UNASSIGNED', 'PLAN-UNKNOWN-ID'])
    """
    path, layer = split_plan_spec(path)
    fname = path.name
    raw = _read_raw(path, layer, id_col=id_col, unit_col=unit_col)
    header = _plan_header(raw.to_numpy().tolist(), id_col, unit_col)
    if header is None:
        first = [str(x) for x in raw.iloc[0].tolist()] if len(raw) else []
        i, u = _find_col(first, id_col, ID_ALIASES), _find_col(first, unit_col, UNIT_ALIASES)
        what = {}
        for lang in LANGS:
            parts = []
            if i is None:
                parts.append(f" {id_col} " if id_col else text("plan.col.id", lang))  # a name given: as given
            if u is None:
                parts.append(f" {unit_col} " if unit_col else text("plan.col.unit", lang))
            what[lang] = text("plan.col.and", lang).join(parts) or text("plan.col.distinct", lang)
        bad = problem("PLAN-COLUMN", file=fname, what=what, columns=[str(c) for c in first])
        others = raw.attrs.get("plan_sheets") or []
        if layer is not None and others:  # a sheet named that holds no plan, another that does: point there
            bad = dataclasses.replace(bad, variant="other_sheet",
                                      params={**bad.params, "sheet": layer, "spec": f"{fname}::{others[0]}"})
        raise InputError(bad)
    head_row, id_pos, unit_pos = header
    body = raw.iloc[head_row + 1:]
    ids = body.iloc[:, id_pos].astype("object")
    units = body.iloc[:, unit_pos].astype("object")
    # the row a spreadsheet shows (CSV, Excel: the header and any title rows counted); a layer's feature number
    row0 = head_row + (1 if path.suffix.lower() in LAYER_PLAN_SUFFIXES else 2)
    rows = np.arange(row0, row0 + len(body))
    id_blank, unit_blank = _blank(ids), _blank(units)
    if bool((id_blank & unit_blank).all()):  # a header only (or blank rows): no plan, not a plan of no households
        raise InputError(problem("IO-NOROWS", file=fname))
    # a CSV's cells are read back from Yuanluo's formula guard, a layer's and a workbook's as they are; an id
    # that is a household id only when read the other way is read so (_as_household)
    tt = _text_table(path)
    read = _as_household(ids.to_numpy(), set(_hid_index(households)), tt)
    ids_n = np.array([x if not b else "" for x, b in zip(read, id_blank, strict=True)], dtype=object)
    units_n = np.array([_norm(x, text_table=tt) if not b else "" for x, b in zip(units, unit_blank, strict=True)],
                       dtype=object)
    out, ids_n = _labels_from_pairs(households, ids_n, units_n, rows, id_blank, unit_blank, fname)
    # the units the plan records as kept locked (plan_kept): its own record, as a result's status is the result's
    marked = _kept_rows([str(x) for x in raw.iloc[head_row].tolist()], body, tt, (id_pos, unit_pos))
    marked &= (ids_n != "") & (units_n != "")
    kept = pd.Series(units_n[marked], index=pd.Index(ids_n[marked].astype(str), name="hid"), dtype=object)
    # a dict, not a Series: pandas compares attrs when it joins two Series (concat), and a Series has no truth value
    out.labels.attrs[KEPT_ATTR] = kept[~kept.index.duplicated(keep="first")].to_dict()
    return out


def _digits(s: str) -> bool:
    return s.isascii() and s.isdigit()


def _zeros_restored(index: pd.Index, ids: np.ndarray, unknown: np.ndarray, named: np.ndarray) -> dict[str, str]:
    """The plan's unknown ids that are household ids with their leading zeros lost (a CSV opened and saved in
    Excel or WPS turns ``000005`` into ``5``): plan id → household id, for the plan ids of digits without a
    leading zero that a household id of digits equals once its leading zeros are taken off. Only when the match
    is one to one: none when any of them matches two household ids, or one the plan names as it is
    (``named``); an id that matches none stays unknown. Never a guess.

    >>> idx = pd.Index(["000005", "000010", "5x", "000008"])
    >>> ids = np.array(["5", "10", "12", "000008", "5x"], dtype=object)
    >>> _zeros_restored(idx, ids, np.array([True, True, True, False, False]), np.array(["000008", "5x"]))
    {'10': '000010', '5': '000005'}
    >>> _zeros_restored(idx.append(pd.Index(["05"])), ids, np.array([True, True, True, False, False]), ids[3:])
    {}
    """
    plan_ids = {str(i) for i in ids[unknown] if _digits(str(i)) and (str(i) == "0" or not str(i).startswith("0"))}
    if not plan_ids:
        return {}
    by_value: dict[str, list[str]] = {}
    for h in index[index.str.startswith("0")]:  # a leading zero first (vectorised), then digits
        if _digits(h):
            by_value.setdefault(h.lstrip("0") or "0", []).append(h)
    taken = {str(i) for i in named}
    out = {}
    for i in sorted(plan_ids):
        cand = by_value.get(i, [])
        if len(cand) > 1 or (cand and cand[0] in taken):
            return {}  # not one to one: the plan is read as it is
        if cand:
            out[i] = cand[0]
    return out


def _roster_zeros(index: pd.Index, ids: np.ndarray, unknown: np.ndarray, named: np.ndarray
                  ) -> tuple[dict[str, str], dict[str, str]]:
    """The plan's unknown ids that are household ids of the household file once their leading zeros are taken off:
    the household file lost them (a roster whose id column Excel or WPS holds as numbers: ``000001`` is ``1``
    there). The plan ids of digits with a leading zero whose value, leading zeros taken off, is a household id of
    digits without one. ``(matched, clashing)``, each plan id → household id: all of them in ``matched`` when the
    match is one to one, else all of them in ``clashing`` (two plan ids for one household, ``0001`` and ``000001``,
    or a household the plan also names as it is, ``named``), never a guess. The other direction:
    :func:`_zeros_restored`.

    >>> idx = pd.Index(["1", "10", "7", "0"])
    >>> ids = np.array(["000001", "000010", "0005", "7", "000"], dtype=object)
    >>> _roster_zeros(idx, ids, np.array([True, True, True, False, True]), np.array(["7"]))
    ({'000': '0', '000001': '1', '000010': '10'}, {})
    >>> _roster_zeros(idx, np.array(["000001", "0001", "007"], dtype=object), np.array([True, True, True]),
    ...               np.array(["7"]))
    ({}, {'000001': '1', '0001': '1', '007': '7'})
    >>> list(_roster_zeros(idx, np.array(["000001", "0007", "007"], dtype=object), np.array([True, True, True]),
    ...                    np.array([]))[1])
    ['0007', '007', '000001']
    """
    plan_ids = {str(i) for i in ids[unknown] if _digits(str(i)) and len(str(i)) > 1 and str(i).startswith("0")}
    if not plan_ids:
        return {}, {}
    roster = {h for h in index if _digits(h) and (h == "0" or not h.startswith("0"))}
    found = {i: i.lstrip("0") or "0" for i in sorted(plan_ids)}
    found = {i: h for i, h in found.items() if h in roster}
    taken = {str(i) for i in named}
    hits = list(found.values())
    twice = {h for h in hits if h in taken or hits.count(h) > 1}
    if twice:  # the ones that clash first (a message shows the first few), each by its household
        return {}, dict(sorted(found.items(), key=lambda kv: (kv[1] not in twice, kv[1], kv[0])))
    return found, {}


def _matched_ids(index: pd.Index, ids: np.ndarray, has_id: np.ndarray
                 ) -> tuple[np.ndarray, list[tuple[str, np.ndarray, dict[str, str]]], np.ndarray]:
    """A plan's household ids (``has_id``: the cells that are not blank) read as the household file's ``index``:
    the ids that lost their leading zeros in the plan put back (:func:`_zeros_restored`, ``PLAN-ID-ZEROS``), then
    the ids whose zeros the household file lost taken off (:func:`_roster_zeros`, ``PLAN-HH-ZEROS``), each only
    when one to one. ``(ids, said, unknown)``: the ids read so (a copy when any changed), what to say as
    ``(code, rows, plan id → household id)`` (``PLAN-HH-ZEROS-CLASH`` for a match not one to one, those ids left
    as they are) and the rows whose id is no household's (the clashing ones not among them: said once).

    >>> ids, said, unknown = _matched_ids(pd.Index(["1", "2", "3"]), np.array(["01", "002", "9", ""], dtype=object),
    ...                                   np.array([True, True, True, False]))
    >>> ids.tolist(), [(c, r.tolist(), g) for c, r, g in said], unknown.tolist()
    (['1', '2', '9', ''], [('PLAN-HH-ZEROS', [True, True, False, False], {'002': '2', '01': '1'})], [False, False, True, False])
    """
    said: list[tuple[str, np.ndarray, dict[str, str]]] = []
    known = index.get_indexer(ids) >= 0
    clash = np.zeros(len(ids), dtype=bool)
    for code, match in (("PLAN-ID-ZEROS", _zeros_restored), ("PLAN-HH-ZEROS", _roster_zeros)):
        got = match(index, ids, has_id & ~known, ids[has_id & known])
        restored, clashing = got if isinstance(got, tuple) else (got, {})
        if clashing:
            back = has_id & ~known
            back[back] = [i in clashing for i in ids[back]]
            clash |= back
            said.append(("PLAN-HH-ZEROS-CLASH", back, clashing))
        if restored:
            back = has_id & ~known
            back[back] = [i in restored for i in ids[back]]  # only the unknown ids are looked up
            ids = ids.astype(object)  # a copy: the caller's ids stay as they are
            ids[back] = [restored[i] for i in ids[back]]
            said.append((code, back, restored))
            known = index.get_indexer(ids) >= 0
    return ids, said, has_id & ~known & ~clash


def _one_edit(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with one character changed, added, left out, or two neighbours swapped.

    >>> [_one_edit("H000123", x) for x in ("H0O0123", "H00123", "H0000123", "H001023", "H000123", "H000321")]
    [True, True, True, True, False, False]
    """
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def typo_matches(unknown: Sequence[str], missing: Collection[str], limit: int = 2000) -> dict[str, str]:
    """The household each of a plan's ``unknown`` ids most likely mistypes: the one id of ``missing`` (household ids
    the plan does not name) one edit away (:func:`_one_edit`: a clerk's typo, an O for a 0, a digit left out or
    swapped), in the order of ``unknown``; an id with two such households, or one another unknown id also matches,
    has none (never a guess). Looked up by the ids with one character left out, so a large roster costs little;
    nothing past ``limit`` unknown ids.

    >>> typo_matches(["H0O0123", "H00124", "H000999", "X1"], {"H000123", "H000124", "H000125", "X2", "X3"})
    {'H0O0123': 'H000123', 'H00124': 'H000124'}
    """
    if not unknown or not missing or len(unknown) > limit:
        return {}
    keys: dict[str, set[str]] = {}
    for m in missing:
        for k in {m, *(m[:i] + m[i + 1:] for i in range(len(m)))}:
            keys.setdefault(k, set()).add(m)
    found: dict[str, str] = {}
    for u in dict.fromkeys(unknown):
        cand = {m for k in {u, *(u[:i] + u[i + 1:] for i in range(len(u)))} for m in keys.get(k, ()) if _one_edit(u, m)}
        if len(cand) == 1:
            found[u] = cand.pop()
    hits = list(found.values())
    return {u: m for u, m in found.items() if hits.count(m) == 1}


def unit_case_variants(units: np.ndarray, rows: np.ndarray, ids: np.ndarray, unit_blank: np.ndarray,
                       fname: str | None) -> list[Problem]:
    """``PLAN-UNIT-CASE`` (a warning), one per set of unit ids that differ only in case (``u001`` where the other
    rows say ``U001``): they stay different units, as written (an id is never changed behind the planner's back),
    and the rows of the less written spellings are named, with the most written one as the fix's example.

    >>> u = np.array(["U001", "U001", "u001", "U002", ""], dtype=object)
    >>> p = unit_case_variants(u, np.arange(2, 7), np.array(list("abcde"), dtype=object), u == "", "plan.csv")
    >>> [(q.code, q.rows, q.ids, q.params["common"]) for q in p]
    [('PLAN-UNIT-CASE', (4,), ('c',), 'U001')]
    >>> print(p[0].message("en").splitlines()[0])
    Warning PLAN-UNIT-CASE: file plan.csv: the plan's unit ids “u001”, “U001” differ only in case (row 4; id c); \
they are taken for different units, not merged.
    """
    return _spellings("PLAN-UNIT-CASE", str.casefold, str, units, rows, ids, ~unit_blank, fname)


#: Chinese numerals as a plan's unit names write them (一院落, 第十二院落, 二〇五): the digits, and 十 / 百
_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_RUN = re.compile("[〇零一二两三四五六七八九十百]+")


def _cn_number(run: str) -> int:
    """A run of Chinese numerals as the number it writes: 十一 11, 二十 20, 一百零五 105; digits alone are read one
    by one, as a number is spelt (二〇五 205).

    >>> [_cn_number(x) for x in ("一", "十", "十一", "二十", "二十三", "一百零五", "二〇五", "两")]
    [1, 10, 11, 20, 23, 105, 205, 2]
    """
    if "十" not in run and "百" not in run:
        return int("".join(str(_CN_DIGITS[c]) for c in run))
    total, cur = 0, 0
    for c in run:
        if c == "百":
            total, cur = total + (cur or 1) * 100, 0
        elif c == "十":
            total, cur = total + (cur or 1) * 10, 0
        else:
            cur = _CN_DIGITS[c]
    return total + cur


#: a number in a unit name: digits, or a run of Chinese numerals (:func:`_cn_number`)
_NUMBER_RUN = re.compile("([0-9]+|[〇零一二两三四五六七八九十百]+)")


def unit_sort_key(name: Any) -> tuple[tuple[str | int, ...], str]:
    """A unit name's place in a list a planner reads (a natural sort): each number in it, Chinese numerals and
    digits alike, compared as a number, the text between as text, the name as written last (one order whatever
    the rows' order): 二组二院落 before 二组十院落, U2 before U10, 一组十二院落 before 二组一院落. Code-point order put
    二组十院落 before 二组二院落 (十 U+5341 < 二 U+4E8C) and U10 before U2.

    >>> sorted(["二组十院落", "U10", "二组二院落", "一组十二院落", "U2", "二组一院落", "东院"], key=unit_sort_key)
    ['一组十二院落', '二组一院落', '二组二院落', '二组十院落', 'U2', 'U10', '东院']
    """
    s = str(name)
    parts = _NUMBER_RUN.split(s)  # text, number, text, …: a number always at an odd place
    key = tuple((int(x) if x.isascii() else _cn_number(x)) if i % 2 else x for i, x in enumerate(parts))
    return key, s


def unit_spelling(name: str) -> str:
    """A unit name as it is numbered, for telling two spellings of one name apart from two names: case, spaces, a
    第 before a number, Chinese or Arabic numerals and leading zeros left out of the comparison (一院落, 1院落, 第一院落,
    第1院落, 01院落 all ``1院落``; 一组十一院落 ``1组11院落``). Only compared, never written.

    >>> [unit_spelling(x) for x in ("一院落", "第1院落", " 01 院落", "三组十一院落", "U001", "u1", "东院")]
    ['1院落', '1院落', '1院落', '3组11院落', 'u1', 'u1', '东院']
    """
    t = re.sub(r"\s+", "", _norm(name).casefold())
    t = _CN_RUN.sub(lambda m: str(_cn_number(m.group())), t)
    t = re.sub(r"第(?=\d)", "", t)
    return re.sub(r"\d+", lambda m: str(int(m.group())), t)


def unit_spelling_variants(units: np.ndarray, rows: np.ndarray, ids: np.ndarray, unit_blank: np.ndarray,
                           fname: str | None) -> list[Problem]:
    """``PLAN-UNIT-VARIANT`` (a warning), one per set of unit names that are one name spelt differently by
    :func:`unit_spelling` (1院落, 第一院落 where the other rows say 一院落, as clerks type them), beyond case alone
    (:func:`unit_case_variants` says those): they stay different units, as written, and the rows of the less written
    spellings are named, with the most written one as the fix's example.

    >>> u = np.array(["一院落", "一院落", "1院落", "第一院落", "二院落", "U1", "u1", ""], dtype=object)
    >>> p = unit_spelling_variants(u, np.arange(2, 10), np.array(list("abcdefgh"), dtype=object), u == "", "p.csv")
    >>> [(q.code, q.rows, q.ids, q.params["common"]) for q in p]
    [('PLAN-UNIT-VARIANT', (4, 5), ('c', 'd'), '一院落')]
    >>> print(p[0].message("en").splitlines()[0])
    Warning PLAN-UNIT-VARIANT: file p.csv: the plan's unit names “1院落”, “第一院落”, “一院落” are one name written \
different ways (rows 4, 5; ids c, d); they are taken for different units, not merged.
    """
    return _spellings("PLAN-UNIT-VARIANT", unit_spelling, str.casefold, units, rows, ids, ~unit_blank, fname)


def _spellings(code: str, same: Callable[[str], str], apart: Callable[[str], str], units: np.ndarray,
               rows: np.ndarray, ids: np.ndarray, filled: np.ndarray, fname: str | None) -> list[Problem]:
    """The warning ``code``, one per set of unit names ``same`` maps to one key and ``apart`` to two or more
    (PLAN-UNIT-VARIANT: beyond case alone, which PLAN-UNIT-CASE says), naming the rows of the less written
    spellings, with the most written one as the fix's example."""
    written = pd.Series(units[filled].astype(str))
    if written.empty:
        return []
    out: list[Problem] = []
    for _, group in written.groupby(written.map(same).to_numpy(), sort=True):
        counts = group.value_counts()
        if group.map(apart).nunique() < 2:
            continue
        common = sorted(counts.index, key=lambda x: (-counts[x], x))[0]
        spellings = sorted(counts.index, key=lambda x: (x == common, x))  # the odd ones first, the common last
        odd = filled & np.isin(units.astype(str), [x for x in spellings if x != common])
        variants = {lang: text("list.sep", lang).join(f"“{x}”" for x in spellings) for lang in LANGS}
        out.append(problem(code, severity="warning", file=fname, rows=rows[odd], ids=ids[odd],
                           variants=variants, common=common))
    return out


def _labels_from_pairs(
    households: pd.DataFrame,
    ids: np.ndarray,
    units: np.ndarray,
    rows: np.ndarray,
    id_blank: np.ndarray,
    unit_blank: np.ndarray,
    fname: str | None,
) -> tuple[PlanInput, np.ndarray]:
    """The plan's labels and findings, and its ids as read (:func:`_matched_ids`)."""
    index = _hid_index(households)
    probs: list[Problem] = []
    both_blank = id_blank & unit_blank
    if (id_blank & ~both_blank).any():  # a unit with no household: the row names nobody, and is passed over (said)
        probs.append(problem("PLAN-BLANK-ID", severity="warning", file=fname, rows=rows[id_blank & ~both_blank]))
    probs += unit_case_variants(units, rows, ids, unit_blank, fname)
    probs += unit_spelling_variants(units, rows, ids, unit_blank, fname)
    # a household with a blank unit cell is in no unit (PLAN-UNASSIGNED, as the editor writes one taken out of
    # every unit); only an id the households do not have is a finding of its own row
    ok = ~id_blank & ~unit_blank
    has_id = ~id_blank
    # every row with an id takes part in the one-to-one zero match, a blank unit cell too (the editor's export of
    # a household in no unit, after a pass through Excel): its id gets its zeros back like the others
    ids, said, unknown = _matched_ids(index, ids, has_id)
    for code, back, got in said:
        clash = code == "PLAN-HH-ZEROS-CLASH"  # in its own order: the ids that clash first
        shown = list(got.items()) if clash else sorted(got.items(), key=lambda kv: (kv[1], kv[0]))
        pairs = [f"{k} → {v}" for k, v in shown[:3]]
        severity: Severity = "error" if clash else "warning"
        probs.append(problem(code, severity=severity, file=fname, rows=rows[back], ids=ids[back], pairs=pairs))
    if unknown.any():  # each with the household it most likely mistypes, where one alone is near and not named
        near = typo_matches([str(x) for x in ids[unknown]], set(index) - set(ids[has_id & ~unknown].astype(str)))
        meant = [f"{k} → {v}" for k, v in list(near.items())[:MAX_PAIRS]]
        probs.append(problem("PLAN-UNKNOWN-ID", file=fname, rows=rows[unknown], ids=ids[unknown],
                             near={lang: text("plan.unknown.near", lang, pairs=text("list.sep", lang).join(meant))
                                   if meant else "" for lang in LANGS}))
    known = index.get_indexer(ids) >= 0
    keep = ok & known
    pairs = pd.DataFrame({"hid": ids[keep], "unit": units[keep], "row": rows[keep]})
    dup_rows = pairs.duplicated(["hid", "unit"], keep="first")
    if dup_rows.any():
        probs.append(problem("PLAN-DUP-ROW", severity="warning", file=fname,
                             rows=pairs.loc[dup_rows, "row"], ids=pairs.loc[dup_rows, "hid"]))
    pairs = pairs.loc[~dup_rows]
    n_units = pairs.groupby("hid", sort=True)["unit"].nunique()
    multi = n_units.index[n_units.to_numpy() > 1]
    if len(multi):
        sub = pairs[pairs["hid"].isin(multi)]
        units_s = sorted(set(sub["unit"]), key=unit_sort_key)
        probs.append(problem("PLAN-DUP-ASSIGN", file=fname, rows=sorted(sub["row"]), ids=sorted(multi),
                             units=joined(units_s[:10]),
                             count=len(multi), then=both("plan.dup.first")))
    first = pairs.drop_duplicates("hid", keep="first")
    labels = _empty_labels(index)
    labels.loc[first["hid"].to_numpy()] = first["unit"].to_numpy()
    blank_at: dict[str, int] = {}  # a household's row whose unit cell is blank (the first)
    for h, r in zip(ids[has_id & unit_blank], rows[has_id & unit_blank], strict=True):
        blank_at.setdefault(str(h), int(r))
    probs.extend(_unassigned(labels, fname, blank_at))
    return PlanInput(labels, probs), ids


# ---------------------------------------------------------------------------------------- polygons
#: columns of unit polygons taken as the unit id when none is named, best first (the plan tables' unit names, then
#: the name or id a GIS gives a drawn polygon); any other column (a village, a group) is never guessed
UNIT_POLYGON_ID_NAMES: tuple[str, ...] = (*UNIT_ALIASES, "name", "id", "名称")


def unit_id_column(units_gdf: Any, id_col: str | None = None, file: str | None = None) -> str:
    """The column of unit polygons that holds the unit ids: ``id_col`` when given, else the first column named as
    in :data:`UNIT_POLYGON_ID_NAMES` (compared NFKC, lower case); ``UNITS-COLUMN`` naming the file, its columns
    and ``--unit-col`` when there is none (a layer of villager groups is not read as units by its first column).

    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> unit_id_column(gpd.GeoDataFrame({"村": ["V1"], "院落编号": ["U1"]}, geometry=[box(0, 0, 1, 1)]))
    '院落编号'
    >>> try:
    ...     unit_id_column(gpd.GeoDataFrame({"village": ["V1"]}, geometry=[box(0, 0, 1, 1)]), file="groups.gpkg")
    ... except InputError as e:
    ...     print(e.problems[0].code, e.problems[0].file)
    UNITS-COLUMN groups.gpkg
    """
    columns = [str(c) for c in units_gdf.columns if c != units_gdf.geometry.name]
    name = file or str(units_gdf.attrs.get("source", "units"))
    if id_col is not None:
        if id_col in columns:
            return id_col
        what: dict[str, str] = both("plan.col.unit_id_named", name=id_col)
    else:
        norm = {_norm(c).lower(): c for c in reversed(columns)}
        found = next((norm[a] for a in UNIT_POLYGON_ID_NAMES if a in norm), None)
        if found is not None:
            return found
        what = both("plan.col.unit_id")
    raise InputError(problem("UNITS-COLUMN", file=name, what=what, columns=columns or ["-"],
                             example=(columns or ["unit_id"])[0]))


def _not_polygons(units_gdf: Any, file: str) -> Problem | None:
    """GEOM-TYPE for unit "polygons" that are lines or points (a rivers layer given to ``--units``), as a
    villager-group or boundary layer says it; GEOM-EMPTY first for features with no shape (a NULL geometry, as
    QGIS leaves a feature whose shape was deleted), which have no type to name.

    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> g = gpd.GeoDataFrame({"uid": ["U1", "U2"]}, geometry=[box(0, 0, 1, 1), None])
    >>> q = _not_polygons(g, "units"); q.code, q.rows
    ('GEOM-EMPTY', (2,))
    """
    from yuanluo.gis.validate import check_empty_polygons

    rows = np.arange(1, len(units_gdf) + 1)
    empty_probs, _ = check_empty_polygons(units_gdf.geometry, rows, file)
    if empty_probs:
        return empty_probs[0]
    types = units_gdf.geometry.geom_type.fillna("None").to_numpy(dtype=object)
    poly = np.isin(types, ["Polygon", "MultiPolygon"])
    if poly.all():
        return None
    return problem("GEOM-TYPE", file=file, types=sorted({str(t) for t in types[~poly]}), expected="Polygon",
                   rows=np.arange(1, len(types) + 1)[~poly])


def _conflicting_ids(units_gdf: Any, id_col: str, uid: np.ndarray, uid_blank: np.ndarray) -> np.ndarray:
    """The rows of polygons sharing an id whose other attributes differ (two different things given one id:
    ``PLAN-ID``). Polygons sharing an id and all their attributes are the parts of one unit, as QGIS's
    "Multipart to singleparts" or split tool leaves them, and are read as one (multi)polygon unit.

    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> g = gpd.GeoDataFrame({"uid": ["U1", "U1", "U2", "U2"], "村": ["V1", "V1", "V1", "V2"]},
    ...                      geometry=[box(i, 0, i + 1, 1) for i in range(4)])
    >>> _conflicting_ids(g, "uid", g["uid"].to_numpy(), np.zeros(4, bool)).tolist()
    [False, False, True, True]
    """
    shared = pd.Series(uid).duplicated(keep=False).to_numpy() & ~uid_blank
    if not shared.any():
        return shared
    others = [c for c in units_gdf.columns if c not in (id_col, units_gdf.geometry.name)]
    attrs = units_gdf[others].iloc[shared].astype(str).assign(_uid=uid[shared])
    kinds = attrs.drop_duplicates().groupby("_uid").size()
    differ = set(kinds.index[kinds.to_numpy() > 1])
    return shared & np.isin(uid, list(differ))


def assign_by_unit_polygons(households: Any, units_gdf: Any, id_col: str | None = None, *,
                            file: str | None = None) -> PlanInput:
    """Assign households to the unit polygon they lie in (boundary counts as inside).

    ``id_col``: the unit id column (found by :func:`unit_id_column` when None); ``file``: the name the messages
    give the layer (its ``attrs["source"]``, as :func:`yuanluo.gis.io.read_layer` records it, by default).
    Features that are not polygons are ``GEOM-TYPE`` (an :class:`~yuanluo.gis.errors.InputError`).

    The unit layer is reprojected (as a copy) to the households' CRS when they differ. A household
    in no polygon is ``PLAN-OUTSIDE`` (and unassigned); one inside two or more distinct units is
    ``PLAN-OVERLAP``, one on the line between units and inside none ``PLAN-ON-BOUNDARY`` (a warning), each
    counted in a unit by :func:`_polygon_units` (its nearest neighbour's), the messages saying which; blank unit
    ids are ``PLAN-ID``, as are polygons sharing an id
    whose other attributes differ; polygons sharing an id and their attributes (one unit split into single
    parts in QGIS) are one unit (:func:`_conflicting_ids`); a polygon with nobody in it is
    ``PLAN-EMPTY-UNIT``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point, box
    >>> hh = gpd.GeoDataFrame(geometry=[Point(1, 1), Point(5, 5), Point(9, 9)], crs="EPSG:32631",
    ...                       index=pd.Index(["a", "b", "c"], name="hid"))
    >>> units = gpd.GeoDataFrame({"uid": ["U1", "U2"]}, geometry=[box(0, 0, 6, 6), box(20, 20, 30, 30)],
    ...                          crs="EPSG:32631")
    >>> labels, probs = assign_by_unit_polygons(hh, units, "uid")
    >>> list(labels.fillna("-")), sorted(p.code for p in probs)
    (['U1', 'U1', '-'], ['PLAN-EMPTY-UNIT', 'PLAN-OUTSIDE', 'PLAN-UNASSIGNED'])
    """
    import geopandas as gpd
    import shapely

    file = file or str(units_gdf.attrs.get("source", "units"))
    wrong = _not_polygons(units_gdf, file)
    if wrong is not None:
        raise InputError(wrong)
    id_col = unit_id_column(units_gdf, id_col, file)
    from yuanluo.gis.crs import require_crs  # crs → plan's own imports; needed only here

    require_crs(households, "households")
    require_crs(units_gdf, "units", "units")
    units = units_gdf[[id_col, units_gdf.geometry.name]].copy()
    if units.crs != households.crs:
        units = units.to_crs(households.crs)
    probs: list[Problem] = []
    uid_blank = _blank(units[id_col])
    uid = np.array([_norm(_whole(x)) if not b else "" for x, b in zip(units[id_col], uid_blank, strict=True)],
                   dtype=object)
    rows = np.arange(1, len(units) + 1)
    blank_polys = units[uid_blank]
    dup = _conflicting_ids(units_gdf, id_col, uid, uid_blank)
    if dup.any():
        probs.append(problem("PLAN-ID", file=file, rows=rows[dup], ids=sorted(set(uid[dup]), key=unit_sort_key),
                             detail=both("check.id.shared")))
    units = units.assign(_uid=uid)[~uid_blank]
    index = _hid_index(households)
    pts = gpd.GeoDataFrame({"_pos": np.arange(len(households))}, geometry=households.geometry.to_numpy(),
                           crs=households.crs)
    shapes = units.geometry.to_numpy()
    j = gpd.sjoin(pts, units[["_uid", units.geometry.name]].assign(_poly=np.arange(len(units))), how="inner",
                  predicate="intersects")
    # inside: in the polygon's interior, not only on its edge (a household on the line between two units)
    inside = shapely.within(pts.geometry.to_numpy()[j["_pos"].to_numpy()], shapes[j["_poly"].to_numpy()])
    hits = pd.DataFrame({"pos": j["_pos"].to_numpy(), "unit": j["_uid"].astype(str).to_numpy(), "inside": inside})
    hits = (hits.groupby(["pos", "unit"], sort=True, as_index=False)["inside"].any()
            .sort_values(["pos", "unit"], kind="stable"))
    chosen, line, over = _polygon_units(hits, pts.geometry)
    said: tuple[tuple[str, np.ndarray, Severity], ...] = (("PLAN-ON-BOUNDARY", line, "warning"),
                                                           ("PLAN-OVERLAP", over, "error"))
    for code, pos, severity in said:
        if len(pos):
            us = sorted(set(hits.loc[hits["pos"].isin(pos), "unit"]), key=unit_sort_key)
            order = np.argsort(index[pos].to_numpy(dtype=str), kind="stable")
            pairs = [f"{index[k]} → {chosen[k]}" for k in pos[order][:MAX_PAIRS]]
            more = {lang: more_after(pairs[-1], len(pos) if len(pos) > MAX_PAIRS else 0, lang) for lang in LANGS}
            probs.append(problem(code, severity=severity, ids=sorted(index[pos]), units=list(us[:10]),
                                 pairs=pairs, more=more))
    if not chosen:  # no household in any unit: a layer far from them is in a wrong CRS, not a plan of nobody
        _units_far(units_gdf, units, pts, file)
    labels = _empty_labels(index)
    if chosen:
        labels.iloc[np.fromiter(chosen, dtype=np.int64)] = list(chosen.values())
    in_blank = _in_blank_polygons(pts, blank_polys, rows[uid_blank], chosen, index, file)
    probs[:0] = in_blank  # first, as the check lists them: what the polygons' ids say before where households lie
    held = {h for q in in_blank if q.params.get("inside") for h in q.ids}
    outside = labels.index[labels.isna().to_numpy() & ~labels.index.isin(sorted(held))]
    if len(outside):  # in no polygon at all: one without an id holding a household said so above
        probs.append(problem("PLAN-OUTSIDE", ids=sorted(outside)))
    probs.extend(_unassigned(labels, None))
    empty = sorted(set(units["_uid"]) - set(chosen.values()), key=unit_sort_key)
    if empty:
        probs.append(problem("PLAN-EMPTY-UNIT", file=file, ids=empty))
    return PlanInput(labels, probs)


def units_crs_missing(exc: InputError, path: str | Path, layer: str | None, households: Any) -> InputError:
    """``exc`` (reading the unit polygons ``path``) with its CRS-MISSING told for the ``--units`` layer: its fix
    names ``--units-crs`` (variant ``units``), with the coordinate system the layer's coordinates and the
    households' place point to where one does (:func:`units_crs_hint`); ``exc`` as it is without CRS-MISSING."""
    if "CRS-MISSING" not in exc.codes:
        return exc
    hint = units_crs_hint(path, layer, households)
    return InputError([dataclasses.replace(q, variant="units", params={**q.params, "hint": hint})
                       if q.code == "CRS-MISSING" else q for q in exc.problems])


def units_crs_hint(path: str | Path, layer: str | None, households: Any) -> dict[str, str]:
    """For a unit layer declaring no coordinate system, the one its coordinates most likely are in, as a fix
    says it (``check.units_crs.likely``): lon/lat (CGCS2000, EPSG:4490) where they are degrees; the CGCS2000
    3-degree zone with the zone number before the easting (EPSG:4513–4533) where the easting has eight digits; else
    the zone of the households' longitude (EPSG:4534–4554). Told only where the households, put in that system,
    lie within the layer's extent (with a margin): never a guess the data do not bear out; else the examples
    (``check.units_crs.eg``).

    >>> import geopandas as gpd
    >>> from shapely.geometry import Point, box
    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> hh = gpd.GeoDataFrame(geometry=[Point(106.55, 29.56)], crs=4490).to_crs(4545)
    >>> u = gpd.GeoDataFrame({"院落": ["U1"]}, geometry=[box(*hh.buffer(500).total_bounds)])
    >>> import warnings
    >>> with warnings.catch_warnings():  # a layer without a CRS, as a Shapefile without its .prj
    ...     warnings.simplefilter("ignore")
    ...     u.to_file(os.path.join(d, "u.shp"))
    >>> print(units_crs_hint(os.path.join(d, "u.shp"), None, hh)["zh"])
    ：看图层的坐标和农户所在的位置，多半是 --units-crs EPSG:4545（CGCS2000 3 度带，中央经线 108°）
    >>> far = gpd.GeoDataFrame(geometry=[Point(116.4, 39.9)], crs=4490)  # households nowhere near: the examples
    >>> print(units_crs_hint(os.path.join(d, "u.shp"), None, far)["zh"][:30])
    ，例如 --units-crs EPSG:4490（经纬度）
    """
    from yuanluo.gis.crs import gk_cm_epsg, lonlat_center, transform_xy

    eg: dict[str, str] = {lang: text("check.units_crs.eg", lang) for lang in LANGS}
    try:
        import pyogrio

        x0, y0, x1, y1 = (float(v) for v in pyogrio.read_info(str(path), layer=layer)["total_bounds"])
        lon, lat = lonlat_center(households)
    except Exception:  # noqa: BLE001 - no extent, no households' place: the examples
        return eg
    if not all(np.isfinite([x0, y0, x1, y1, lon, lat])):
        return eg
    if -180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90:
        epsg, what, margin = 4490, both("check.units_crs.lonlat"), 0.05
    elif 25e6 <= x0 and x1 < 46e6:
        zone = int(x0 // 1e6)
        epsg, what, margin = 4513 + zone - 25, both("check.units_crs.zone_prefixed", zone=zone), 5000.0
    else:
        epsg = gk_cm_epsg(lon)
        epsg, what, margin = epsg, both("check.units_crs.zone", cm=75 + 3 * (epsg - 4534)), 5000.0
    hx, hy = transform_xy([lon], [lat], 4326, epsg)
    pad = max(margin, 0.5 * max(x1 - x0, y1 - y0))
    if not (x0 - pad <= hx[0] <= x1 + pad and y0 - pad <= hy[0] <= y1 + pad):
        return eg
    likely: dict[str, str] = {lang: text("check.units_crs.likely", lang, crs=f"EPSG:{epsg}", what=what[lang])
                              for lang in LANGS}
    return likely


def _units_far(given: Any, units: Any, pts: Any, file: str) -> None:
    """``UNITS-FAR`` (an :class:`~yuanluo.gis.errors.InputError`) when the unit polygons (``units``, in the
    households' CRS; ``given``: as read) lie more than :data:`yuanluo.gis.barriers.FAR_M` from every household
    (``pts``): only a wrong CRS explains it (a .prj without the 3° zone prefix its eastings carry, said with the
    CRS to give), and every household "outside every unit" would hide it.

    >>> import geopandas as gpd
    >>> from shapely.geometry import Point, box
    >>> pts = gpd.GeoDataFrame(geometry=[Point(537000, 3295000)], crs="EPSG:4545")
    >>> far = gpd.GeoDataFrame({"uid": ["U1"]}, geometry=[box(36537000, 3295000, 36537100, 3295100)], crs="EPSG:4545")
    >>> try:
    ...     _units_far(far, far, pts, "院落范围.shp")
    ... except InputError as e:
    ...     print(e.problems[0].message("en").splitlines()[0])
    Error UNITS-FAR: the unit polygons 院落范围.shp lie 36000.0 km from the households at their nearest point, and \
no household is in any of them: their CRS is wrong (theirs EPSG:4545, the households' EPSG:4545). Their eastings \
(e.g. 36537100.0) carry a 3° zone prefix: their CRS is EPSG:4524.
    """
    import shapely

    from yuanluo.gis.barriers import FAR_M, _own_crs, _present, _raw_geoms, _zone_prefix
    from yuanluo.gis.crs import crs_short

    geoms = np.asarray(units.geometry.to_numpy(), dtype=object)
    geoms = geoms[_present(geoms)]
    xy = np.c_[shapely.get_x(pts.geometry.to_numpy()), shapely.get_y(pts.geometry.to_numpy())]
    if not len(geoms) or not len(xy):
        return
    finite = np.isfinite(shapely.bounds(geoms)).all(axis=1)
    hull = shapely.convex_hull(shapely.multipoints(xy))
    d = float(np.min(shapely.distance(geoms[finite], hull))) if finite.any() else np.inf
    if d <= FAR_M:
        return
    working = pts.crs
    own = _own_crs(given, working)
    hint = _zone_prefix(*_raw_geoms(given, geoms, working), own)
    far = (both("plan.far.km", distance_km=f"{d / 1000:.1f}") if np.isfinite(d) else both("plan.far.nowhere"))
    said = (both("plan.far.prefix", easting=hint["easting"], suggest=hint["suggest"]) if hint is not None
            else {lang: "" for lang in LANGS})
    raise InputError(problem("UNITS-FAR", file=file, far=far, prefix=said, crs=crs_short(own),
                             working=crs_short(working), suggest=hint["suggest"] if hint is not None else "EPSG:…"))


def _in_blank_polygons(pts: Any, blank: Any, rows: np.ndarray, chosen: dict[int, str], index: pd.Index,
                       file: str) -> list[Problem]:
    """``PLAN-ID`` for unit polygons with a blank id (``blank``, at ``rows`` of the layer): an error naming the
    households that lie in them and in no polygon with an id (``inside``: they are in no unit, said here, not as
    outside every polygon), and a warning for those holding no household of their own (a sliver a drawing left
    behind: to delete, no unit lost).

    >>> import geopandas as gpd
    >>> from shapely.geometry import Point, box
    >>> pts = gpd.GeoDataFrame({"_pos": [0, 1]}, geometry=[Point(1, 1), Point(5, 5)], crs="EPSG:32631")
    >>> blank = gpd.GeoDataFrame(geometry=[box(4, 4, 6, 6), box(8, 8, 9, 9)], crs="EPSG:32631")
    >>> [(q.code, q.severity, q.rows, q.ids) for q in _in_blank_polygons(pts, blank, np.array([2, 3]), {0: "U1"},
    ...                                                                  pd.Index(["a", "b"]), "u.shp")]
    [('PLAN-ID', 'error', (2,), ('b',)), ('PLAN-ID', 'warning', (3,), ())]
    """
    import geopandas as gpd

    if not len(blank):
        return []
    j = gpd.sjoin(pts, gpd.GeoDataFrame({"_row": rows}, geometry=blank.geometry.to_numpy(), crs=blank.crs),
                  how="inner", predicate="intersects")
    j = j[~j["_pos"].isin(list(chosen))]  # a household also in a polygon with an id is that unit's
    held = np.isin(rows, j["_row"].to_numpy())
    out = []
    if held.any():
        out.append(dataclasses.replace(problem("PLAN-ID", file=file, rows=rows[held],
                                               ids=sorted(index[np.unique(j["_pos"])]),
                                               detail=both("check.id.blank_held"), inside=True), variant="held"))
    if (~held).any():
        out.append(dataclasses.replace(problem("PLAN-ID", severity="warning", file=file, rows=rows[~held],
                                               detail=both("check.id.blank_empty")), variant="sliver"))
    return out


#: how many households PLAN-OVERLAP and PLAN-ON-BOUNDARY show with the unit each is counted in
MAX_PAIRS = 5


def _polygon_units(hits: pd.DataFrame, points: Any) -> tuple[dict[int, str], np.ndarray, np.ndarray]:
    """The unit each household is counted in, from ``hits`` (``pos``, ``unit``, ``inside``: one row per household
    and unit polygon it touches, ``inside`` where it lies in the polygon's interior, not only on its edge) and the
    households' ``points``: ``(pos -> unit, on the line, in overlapping polygons)``.

    A household touching one unit is that unit's. One touching two or more is inside one of them and only on the
    edge of the others (``PLAN-OVERLAP``: the polygons overlap there; it is the one it is inside), inside several
    (``PLAN-OVERLAP``; the unit whose id sorts first: which one it is in is the planner's to say, and its neighbours
    are as likely inside the overlap too), or on the line between them and inside none (``PLAN-ON-BOUNDARY``; the
    unit of its nearest neighbour touching one of them only: a line drawn through a house, the houses around it
    say which side it is on; a tie, or no such neighbour: the unit whose id sorts first).

    >>> from shapely.geometry import Point
    >>> hits = pd.DataFrame({"pos": [0, 1, 1, 2, 3, 4, 4, 5, 5], "unit": ["B", "A", "B", "A", "A", "A", "B", "A", "B"],
    ...                      "inside": [True, False, False, True, True, True, True, False, True]})
    >>> pts = [Point(0, 0), Point(5, 0), Point(0, 1), Point(20, 0), Point(1, 0), Point(9, 9)]
    >>> chosen, line, over = _polygon_units(hits, pts)  # 1 on the A|B line, nearer B's 0; 4 in both; 5 in B
    >>> dict(sorted(chosen.items())), line.tolist(), over.tolist()
    ({0: 'B', 1: 'B', 2: 'A', 3: 'A', 4: 'A', 5: 'B'}, [1], [4, 5])
    """
    import shapely
    from scipy.spatial import cKDTree

    n_units = hits.groupby("pos")["unit"].transform("size").to_numpy()
    one = hits[n_units == 1]
    chosen = dict(zip(one["pos"].astype(int), one["unit"].astype(str), strict=True))
    many = hits[n_units > 1]
    if many.empty:
        return chosen, np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    inside_any = many.groupby("pos")["inside"].transform("any").to_numpy(dtype=bool)
    cand = many[many["inside"].to_numpy(dtype=bool) | ~inside_any]  # the units it is inside, else those it touches
    line = np.unique(many.loc[~inside_any, "pos"].to_numpy(dtype=np.int64))
    over = np.unique(many.loc[inside_any, "pos"].to_numpy(dtype=np.int64))
    on_line = set(line.tolist())
    geoms = np.asarray(points, dtype=object)
    xy = np.c_[shapely.get_x(geoms), shapely.get_y(geoms)] if on_line else np.zeros((0, 2))
    members = {str(u): g["pos"].to_numpy(dtype=np.int64) for u, g in one.groupby("unit", sort=True)} if on_line else {}
    trees: dict[str, Any] = {}  # a unit's households touching it alone, built when a household on a line asks
    for p, grp in cand.groupby("pos", sort=True):
        units = sorted(grp["unit"].astype(str), key=unit_sort_key)
        best, best_d = units[0], np.inf
        for u in units if int(p) in on_line else ():  # a tie: the id sorting first
            if u in members:
                if u not in trees:
                    trees[u] = cKDTree(xy[members[u]])
                d, _ = trees[u].query(xy[int(p)])
                if d < best_d:
                    best, best_d = u, float(d)
        chosen[int(p)] = best
    return chosen, line, over


#: plan findings that stop a command or call that changes or builds on the plan (``repair``, ``repair_plan``,
#: ``read_plan(strict=True)``): a row that cannot be applied (an id that is no household; a household given two
#: units, of which one would be kept) is never dropped in silence
STRICT_PLAN_CODES = ("PLAN-UNKNOWN-ID", "PLAN-HH-ZEROS-CLASH", "PLAN-DUP-ASSIGN")


# ---------------------------------------------------------------------------------------- meeting points
#: Column names of a unit's meeting point in a plan table (the ``--xlsx`` plan of a delineation writes 议事点 /
#: Meeting point, :func:`yuanluo.planners.tables.plan_xlsx`).
MEETING_ALIASES: tuple[str, ...] = ("meeting_point", "议事点", "meeting point")


def plan_meeting_points(path: str | Path, households: pd.DataFrame, *, id_col: str | None = None,
                        unit_col: str | None = None) -> pd.Series | None:
    """The meeting points a plan table gives in its meeting-point column (:data:`MEETING_ALIASES`: 议事点, as a
    delineation's ``--xlsx`` plan writes it on every household's row), as ``unit_id -> hid``; None when the
    table has no such column or cannot be read (:func:`read_plan_table` says why).

    A unit's meeting point is the one household of its own (in the table, known in ``households``) its rows name
    (a household's cell naming itself is passed over where the unit's other rows name another: a meeting-point
    household moved in the spreadsheet keeps its old cell). A cell naming a household of another unit (a household
    moved in the spreadsheet keeps its old unit's point), nobody, or nothing is passed over; a unit whose rows name
    none of its households, or two or more of them (two units merged in a spreadsheet by retyping one's unit id:
    which one it meets at is the planner's to say, not the first row's), is left out, so it is measured to its
    centre, and ``attrs["lacking"]`` says why, with its rows (:func:`_lacking_points`; for two, the first row
    naming each; ``check`` warns ``PLAN-MEET-COLUMN``, or, for a unit whose cells are all blank (``"blank": True``),
    no point given, ``PLAN-MEETING``; unlike ``MEET-DUP`` of a meeting-point file, no error).
    ``attrs`` also hold the file, the column's header and each unit's first row naming its point, as a
    spreadsheet numbers it.

    Examples
    --------
    >>> import tempfile, os
    >>> hh = pd.DataFrame(index=pd.Index(["1", "2", "3", "4", "5"], name="hid"))
    >>> p = os.path.join(tempfile.mkdtemp(), "plan.csv")
    >>> rows = "户编号,院落编号,议事点\\n1,A,2\\n2,A,2\\n3,B,2\\n4,B,\\n5,C,1\\n"
    >>> _ = open(p, "w", encoding="utf-8").write(rows)
    >>> mp = plan_meeting_points(p, hh)
    >>> mp.to_dict(), mp.attrs["rows"]
    ({'A': '2'}, [2])
    >>> mp.attrs["lacking"]["C"]["rows"], mp.attrs["lacking"]["C"]["why"]["en"]
    ([6], '1 is a household of unit A')
    >>> _ = open(p, "w", encoding="utf-8").write("户编号,院落编号,议事点\\n1,A,1\\n2,A,1\\n3,A,3\\n4,A,3\\n")
    >>> mp = plan_meeting_points(p, hh)
    >>> mp.to_dict(), mp.attrs["lacking"]["A"]["rows"], mp.attrs["lacking"]["A"]["why"]["en"]
    ({}, [3, 5], 'its cells name more than one of its households, 1, 3, and a unit has one meeting point')
    >>> _ = open(p, "w", encoding="utf-8").write("户编号,院落编号\\n1,A\\n")
    >>> plan_meeting_points(p, hh) is None
    True
    """
    path, layer = split_plan_spec(path)
    try:
        raw = _read_raw(path, layer, id_col=id_col, unit_col=unit_col)
    except InputError:  # the plan itself is read by read_plan_table, which says what is wrong with it
        return None
    header = _plan_header(raw.to_numpy().tolist(), id_col, unit_col)
    if header is None:
        return None
    head_row, id_pos, unit_pos = header
    meet_pos = _find_col([str(x) for x in raw.iloc[head_row].tolist()], None, MEETING_ALIASES)
    if meet_pos is None or meet_pos in (id_pos, unit_pos):
        return None
    body = raw.iloc[head_row + 1:]
    row0 = head_row + (1 if path.suffix.lower() in LAYER_PLAN_SUFFIXES else 2)

    tt, known = _text_table(path), set(_hid_index(households))

    def cells(pos: int, hids: bool = False) -> list[str]:  # as read_plan_table reads them
        got = [x if isinstance(x, str) else "" for x in body.iloc[:, pos].tolist()]
        return _as_household(got, known, tt) if hids else [_norm(x, text_table=tt) for x in got]

    ids, units, meets = cells(id_pos, True), cells(unit_pos), cells(meet_pos, True)
    # ids whose leading zeros one file lost are read as read_plan_table reads them, in both columns (_matched_ids)
    read, said, _ = _matched_ids(_hid_index(households), np.array(ids, dtype=object), np.array(ids, dtype=bool))
    back = {k: v for code, _, got in said if code != "PLAN-HH-ZEROS-CLASH" for k, v in got.items()}
    ids = [str(x) for x in read]
    meets = [m if m in known else back.get(m, m) for m in meets]
    column = str(raw.iloc[head_row, meet_pos]).strip()
    unit_of: dict[str, str] = {}
    for h, u in zip(ids, units, strict=True):
        if h and u:
            unit_of.setdefault(h, u)
    own = [r for r, (u, m) in enumerate(zip(units, meets, strict=True))
           if u and m and m in known and unit_of.get(m) == u]  # rows naming one of their unit's households
    # a meeting-point household moved to another unit in the spreadsheet keeps its own cell (itself): where
    # other rows of its new unit name another household, that row is passed over, not a second point
    named_by_others = {units[r] for r in own if meets[r] != ids[r]}
    own = [r for r in own if meets[r] != ids[r] or units[r] not in named_by_others
           or all(meets[q] == meets[r] for q in own if units[q] == units[r])]
    own_units = np.array([units[r] for r in own], dtype=object)
    own_ids = np.array([meets[r] for r in own], dtype=object)
    twice = _meeting_twice(own_units, own_ids)
    # which of a unit's households it meets at is the planner's to say, not the first row's: a unit whose cells
    # name two of its own (two units merged by retyping one's unit id) gets none, walked to its centre, said
    two: dict[str, dict[str, int]] = {}  # unit -> each of its households named, at the first row naming it
    for r in np.asarray(own, dtype=np.int64)[twice]:
        two.setdefault(units[r], {}).setdefault(meets[r], row0 + int(r))
    chosen: dict[str, str] = {}
    first: dict[str, int] = {}
    for r in own:
        if units[r] in two:
            continue
        chosen.setdefault(units[r], meets[r])
        first.setdefault(units[r], row0 + r)
    out = pd.Series(list(chosen.values()), index=pd.Index(list(chosen), name="unit_id"), name="hid", dtype=object)
    out.attrs["file"] = path.name
    out.attrs["rows"] = [first[u] for u in chosen]
    out.attrs["column"] = column
    out.attrs["lacking"] = _lacking_points(units, meets, chosen, known, unit_of, row0)
    for u, at in two.items():  # its households joined as each language lists them
        out.attrs["lacking"][u] = {"rows": sorted(at.values()), "why": {
            lang: text("check.meeting.col.two", lang, households=text("list.sep", lang).join(at)) for lang in LANGS}}
    return out


def _lacking_points(units: list[str], meets: list[str], chosen: dict[str, str], known: set[str],
                    unit_of: dict[str, str], row0: int) -> dict[str, dict[str, Any]]:
    """Per unit of a plan table whose meeting-point cells name none of its households: the rows at fault (as a
    spreadsheet numbers them) and why, in both languages (``{"rows": [...], "why": {"zh": …, "en": …}}``): every
    cell blank (then also ``"blank": True``), or the households named are another unit's, in no unit, or not households at all. A blank cell
    beside others naming the unit's point is no fault. Where the cells name one household of the file, it is
    ``"named"`` (a meeting-point household moved to another unit in the spreadsheet: the point the planner chose)."""
    bad: dict[str, list[int]] = {}
    named: dict[str, dict[str, None]] = {}
    for r, (u, m) in enumerate(zip(units, meets, strict=True)):
        if not u or u in chosen:
            continue
        bad.setdefault(u, [])
        named.setdefault(u, {})
        if m:
            bad[u].append(row0 + r)
            named[u][m] = None
    out: dict[str, dict[str, Any]] = {}
    for u, rows in bad.items():
        if not rows:  # every cell of the unit blank
            out[u] = {"rows": [row0 + r for r, x in enumerate(units) if x == u],
                      "why": both("check.meeting.col.blank"), "blank": True}
            continue
        whys = []
        for m in list(named[u])[:3]:
            if m not in known:
                whys.append(both("check.meeting.col.unknown", meeting=m))
            elif m in unit_of:
                whys.append(both("check.meeting.col.foreign", meeting=m, other=unit_of[m]))
            else:
                whys.append(both("check.meeting.col.unassigned", meeting=m))
        out[u] = {"rows": rows, "why": {lang: text("list.clause_sep", lang).join(w[lang] for w in whys)
                                        for lang in LANGS}}
        if len(named[u]) == 1 and next(iter(named[u])) in known:  # one household named: the planner's choice
            out[u]["named"] = next(iter(named[u]))  # (repair makes it the unit's point where it comes back)
    return out


def _meeting_twice(units: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """The rows of units given more than one meeting household (all of their rows; a row repeated with the
    same household does not count).

    >>> _meeting_twice(np.array(["A", "B", "A", "C", "C"]), np.array(["1", "2", "3", "4", "4"])).tolist()
    [True, False, True, False, False]
    """
    pairs = pd.DataFrame({"u": units, "h": ids})
    n = pairs.drop_duplicates().groupby("u")["h"].nunique()
    return pairs["u"].isin(n.index[n > 1]).to_numpy()


def read_meeting_points(path: str | Path, *, layer: str | None = None, encoding: str | None = None,
                        id_col: str | None = None, unit_col: str | None = None) -> pd.Series:
    """Meeting points of a plan from a table or layer: one household id per unit, as ``unit_id -> hid``.

    The file is read by :func:`yuanluo.gis.io.read_table` (encoding detected, coded errors); the columns are
    found by ``unit_col`` / ``id_col`` or the aliases of :data:`UNIT_ALIASES` / :data:`ID_ALIASES`.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "meet.csv")
    >>> _ = open(p, "wb").write("院落,户号\\nA,001\\nB,007\\n".encode("gbk"))
    >>> read_meeting_points(p).to_dict()
    {'A': '001', 'B': '007'}
    """
    from yuanluo.gis.io import read_table, table_column

    table = read_table(path, layer=layer, encoding=encoding)
    unit = table_column(table, str(path), "unit_id", UNIT_ALIASES, given=unit_col, option="--unit-col")
    hid = table_column(table, str(path), "hid", ID_ALIASES, given=id_col, option="--id-col")
    from yuanluo.gis.io import SUPPORTED_FORMATS

    tt = SUPPORTED_FORMATS.get(Path(path).suffix.lower()) == "csv"  # a CSV's cells from Yuanluo's formula guard
    ids = table[hid].map(lambda x: _norm(x, text_table=tt)).to_numpy(dtype=object)
    units = table[unit].map(lambda x: _norm(x, text_table=tt)).to_numpy(dtype=object)
    rows = np.asarray(table.attrs["rows"], dtype=np.int64) if "rows" in table.attrs else None
    blank = (ids == "") | (units == "")
    if blank.any():  # a unit without its household, or a household without its unit: nothing to measure to
        raise InputError(problem("MEET-BLANK", file=str(path), rows=rows[blank] if rows is not None else (),
                                 ids=[u for u in units[blank] if u]))
    twice = _meeting_twice(units, ids)
    if twice.any():  # which of a unit's households it meets at is the planner's to say, not the first row's
        raise InputError(problem("MEET-DUP", file=str(path), rows=rows[twice] if rows is not None else (),
                                 units=list(dict.fromkeys(units[twice]))))
    keep = ~pd.Index(units).duplicated(keep="first")  # a unit's row repeated word for word: one is enough
    ids, units = ids[keep], units[keep]
    rows = rows[keep] if rows is not None else None
    out = pd.Series(ids, index=pd.Index(units, name="unit_id"), name="hid")
    out.attrs["file"] = str(path)  # named, with each unit's row, by check_plan's PLAN-MEETING findings
    if rows is not None:
        out.attrs["rows"] = [int(r) for r in rows]
    return out

