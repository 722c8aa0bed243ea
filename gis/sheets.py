"""Tables as planners keep them, for the load stage: every cell as the text Excel shows, row 1 first.

:func:`cell_text` turns a cell's value into that text (a whole number without ``.0``, a date as ISO, a number
too long for Excel's 15 digits in scientific notation, as Excel shows it, so that a household id it has
already rounded is caught); :func:`read_workbook` reads every sheet of a workbook that way, in read-only
mode (a sheet of 100,000 households in seconds), and :func:`xlsx_sheets` its visible ones; :func:`text_records`
reads a small text table (a plan, a score sheet) as records, in the encodings Excel and WPS save, and
:func:`split_records` splits any text table into records.

A sheet is read as far as its last row and column holding a value: a stray format in its last cell
(``XFD1048576``) or a declared dimension of the whole sheet costs nothing. A merged range's value belongs to
every cell of the range, as Excel shows it (a villager group merged down over its households): each cell of
the range gets it (:attr:`Sheet.merged` says which). A whole number shown with a zero-padding number format
(``0000``: Excel shows 0012) or one with text around the digits (``"U"000``: U012) reads as Excel shows it. In a text table, Excel's way of keeping leading zeros,
``="0012"``, reads as the text inside (:func:`excel_text`).

A formula holds the value Excel or WPS computed when they saved the file. A workbook written by a program that
does not compute (a script, some export tools) stores the formula alone: :func:`uncomputed_formulas` finds
those cells, and :func:`xlsx_sheets` gives them their formula (``=B2*2``) instead of a blank, so that a check
names the cell instead of calling it empty.
"""

from __future__ import annotations

import csv
import html
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yuanluo.gis.errors import InputError, problem, unreadable

__all__ = ["Sheet", "cell_text", "excel_text", "read_workbook", "split_records", "text_records",
           "uncomputed_formulas", "xlsx_sheets"]

#: Whole numbers from here on have lost digits in Excel (it keeps 15 significant digits).
EXCEL_EXACT = 10**15


def cell_text(value: Any, number_format: str = "General") -> str:
    """The text of a cell's value as Excel shows it in a General column, or with a zero-padding
    ``number_format`` (``0000``) for a whole number: 12 shown as 0012.

    Examples
    --------
    >>> import datetime
    >>> [cell_text(v) for v in (None, 7.0, 106.55, "001", True, datetime.date(2026, 3, 1), 500115196001010001)]
    ['', '7', '106.55', '001', 'TRUE', '2026-03-01', '5.00115E+17']
    >>> cell_text(12, "0000"), cell_text(12345, "0000"), cell_text(12, '"0"000'), cell_text(1.5, "0000")
    ('0012', '12345', '0012', '1.5')
    >>> cell_text(7, '"U"000'), cell_text(7, '\\\\U000'), cell_text(7, '"户"0"号"'), cell_text(7, '"U"0.0')
    ('U007', 'U007', '户7号', '7')
    """
    if value is None:
        return ""
    if isinstance(value, bool):  # Excel and WPS show TRUE/FALSE (Python's True would be quoted in messages)
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float) and float(value).is_integer():
        shown = _id_format(number_format)
        if shown is not None and 0 <= value < EXCEL_EXACT:
            before, width, after = shown
            return f"{before}{str(int(value)).zfill(width)}{after}"
        if abs(value) >= EXCEL_EXACT:  # Excel rounded it: show it as Excel does, not as made-up digits
            mantissa, exp = f"{float(value):.5E}".split("E")
            return f"{mantissa.rstrip('0').rstrip('.')}E{exp[0]}{exp[1:].lstrip('0') or '0'}"
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if getattr(value, "hour", 0) == 0 else value.isoformat()
    return str(value)


#: one part of a number format's first section: text in quotes, a character after a backslash, the digit
#: places (0 and #), or a character Excel shows as it is
_FORMAT_PART = re.compile(r'"(?P<quoted>[^"]*)"|\\(?P<escaped>.)|(?P<digits>[0#]+)|(?P<plain>[-+$/():!^&\'~{}<>= ])')


def _id_format(number_format: str) -> tuple[str, int, str] | None:
    """A whole-number format as (text before, least digits, text after): ``0000`` (0012), ``"U"000`` or
    ``\\U000`` (U012), ``"0"000`` (0012), ``"户"0"号"`` (户7号); None for General and any format with more in it
    (decimals, thousands separators, percent, dates, colours …), whose numbers are read as General shows them.
    Text after the digits alone is a unit (``0"人"``, ``0"分"``: 3人, 3分), not part of an id: left off, so that
    counts and scores stay numbers.

    >>> _id_format("0000"), _id_format('"U"000;@'), _id_format("General"), _id_format("0"), _id_format("#,##0")
    (('', 4, ''), ('U', 3, ''), None, None, None)
    >>> _id_format('0"人"'), _id_format('000"号"')
    (None, ('', 3, ''))
    """
    fmt = number_format.split(";", 1)[0]
    if "0" not in fmt and "#" not in fmt:
        return None
    texts, width, pos, digits = ["", ""], 0, 0, 0
    for m in _FORMAT_PART.finditer(fmt):
        if m.start() != pos:
            return None
        pos = m.end()
        if m["digits"] is not None:
            digits += 1
            width = m["digits"].count("0")
        else:
            texts[min(digits, 1)] += m["quoted"] if m["quoted"] is not None else m["escaped"] or m["plain"] or ""
    if not texts[0]:  # a unit after a count or a score (0"人", 0"分") is not part of a number: left off
        texts[1] = ""
    if pos != len(fmt) or digits != 1 or (width < 2 and not texts[0]):
        return None
    return texts[0], width, texts[1]


_EXCEL_TEXT = re.compile(r'\s*="((?:[^"]|"")*)"\s*')


def excel_text(cell: str) -> str:
    """The text of a cell written as ``="0012"``, Excel's way to keep leading zeros in a CSV: ``0012``; any
    other cell as it is.

    >>> excel_text('="0012"'), excel_text('=" 12 "'), excel_text("0012"), excel_text('=A1&"x"')
    ('0012', ' 12 ', '0012', '=A1&"x"')
    """
    if not cell.lstrip().startswith("="):
        return cell
    m = _EXCEL_TEXT.fullmatch(cell)
    return m.group(1).replace('""', '"') if m else cell


def split_records(text: str, delimiter: str = ",") -> list[list[str]]:
    """Every record of a text table split at ``delimiter``, blank lines kept (record ``i`` is the
    spreadsheet's row ``i + 1``), each cell ``="…"`` read as its text (:func:`excel_text`). Raises
    :class:`csv.Error` for a broken quote.

    >>> split_records('户编号,院落\\n="0012",东院\\n')
    [['户编号', '院落'], ['0012', '东院']]
    """
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if "=" in text:
        records = [[excel_text(c) for c in rec] for rec in records]
    return records


_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_VALUE = re.compile(rb"<(?:\w+:)?v\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?v>)", re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')
_TEXT_TYPE = re.compile(rb'\bt="(?:str|s|inlineStr)"')


def _formula_cells(xml: bytes) -> dict[tuple[int, int], str]:
    """(row, column) from 0 → ``=formula`` of the cells of one sheet's XML that hold a formula and no computed
    value (none, or an empty one in a cell not typed as text: Excel stores a formula giving "" as an empty
    text value)."""
    from openpyxl.utils.cell import column_index_from_string

    out: dict[tuple[int, int], str] = {}
    for m in _CELL.finditer(xml):
        inner = m.group(2)
        if not inner:
            continue
        f = _FORMULA.search(inner)
        if f is None:
            continue
        v = _VALUE.search(inner)
        if v is not None and (v.group(1) or _TEXT_TYPE.search(m.group(1))):
            continue
        ref = _REF.search(m.group(1))
        if ref is None:
            continue
        col = column_index_from_string(ref.group(1).decode())
        out[(int(ref.group(2)) - 1, col - 1)] = "=" + html.unescape((f.group(1) or b"").decode("utf-8", "replace"))
    return out


def _sheet_titles(z: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet's part in the package (``xl/worksheets/sheet1.xml``) → its title (``评分表``)."""
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    targets = {r.get("Id"): str(r.get("Target", "")) for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
    out = {}
    for sheet in ET.fromstring(z.read("xl/workbook.xml")).iter():
        if sheet.tag.endswith("}sheet") and sheet.get(rel) in targets:
            target = targets[sheet.get(rel)]
            out[target.lstrip("/") if target.startswith("/") else f"xl/{target}"] = str(sheet.get("name"))
    return out


def uncomputed_formulas(path: str | Path) -> dict[str, dict[tuple[int, int], str]]:
    """Per sheet title, the cells that hold a formula and no computed value: (row, column) from 0 →
    ``=formula``. Empty for a workbook saved by Excel or WPS (they store every value), and for a file that is no
    workbook (its reader says so).

    >>> import openpyxl, tempfile, os
    >>> wb = openpyxl.Workbook(); wb.active.title = "分数"; wb.active.append([7, "=A1+1"])
    >>> p = os.path.join(tempfile.mkdtemp(), "f.xlsx"); wb.save(p)
    >>> uncomputed_formulas(p)
    {'分数': {(0, 1): '=A1+1'}}
    """
    return {title: parts[0] for title, parts in _sheet_parts(path).items() if parts[0]}


_HIDDEN_COL = re.compile(rb'<(?:\w+:)?col\b[^>]*>')


def hidden_columns(path: str | Path) -> dict[str, set[int]]:
    """Per sheet title, the columns (from 0) Excel hides (``<col min="2" max="3" hidden="1"/>``); sheets with none
    left out, and everything for a file that is no workbook.

    >>> import openpyxl, tempfile, os
    >>> wb = openpyxl.Workbook(); wb.active.title = "分数"; wb.active.append([1, 2, 3])
    >>> wb.active.column_dimensions["B"].hidden = True
    >>> p = os.path.join(tempfile.mkdtemp(), "f.xlsx"); wb.save(p)
    >>> hidden_columns(p)
    {'分数': {1}}
    """
    found: dict[str, set[int]] = {}
    try:
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    data = z.read(name)
                    cols: set[int] = set()
                    for m in _HIDDEN_COL.finditer(data) if b"hidden" in data else ():
                        tag = m.group(0)
                        lo, hi = re.search(rb'\bmin="(\d+)"', tag), re.search(rb'\bmax="(\d+)"', tag)
                        if re.search(rb'\bhidden="(?:1|true)"', tag) and lo and hi:
                            cols.update(range(int(lo.group(1)) - 1, min(int(hi.group(1)), 16384)))
                    if cols:
                        found[name] = cols
            titles = _sheet_titles(z) if found else {}
    except (OSError, zipfile.BadZipFile, KeyError, ET.ParseError):
        return {}
    return {titles[name]: cols for name, cols in found.items() if name in titles}


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3}[0-9]+)(?::([A-Z]{1,3}[0-9]+))?"')
#: A merged range: first row, first column, last row, last column, from 0.
Range = tuple[int, int, int, int]


def _merged_ranges(xml: bytes) -> list[Range]:
    """The merged ranges of one sheet's XML (``<mergeCell ref="F3:F40"/>``)."""
    from openpyxl.utils.cell import coordinate_to_tuple

    out = []
    for m in _MERGE.finditer(xml):
        r1, c1 = coordinate_to_tuple(m.group(1).decode())
        r2, c2 = coordinate_to_tuple((m.group(2) or m.group(1)).decode())
        out.append((min(r1, r2) - 1, min(c1, c2) - 1, max(r1, r2) - 1, max(c1, c2) - 1))
    return out


_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\bhidden="(?:1|true)"[^>]*>')
_ROW_NUMBER = re.compile(rb'\br="([0-9]+)"')


def _hidden_rows(xml: bytes) -> list[int]:
    """The rows of one sheet's XML hidden in Excel, by hand or by a filter (``<row r="20" hidden="1">``), as Excel
    numbers them.

    >>> _hidden_rows(b'<row r="2"><c/></row><row r="20" hidden="1"/><x:row hidden="true" r="21">')
    [20, 21]
    """
    out = []
    for m in _HIDDEN_ROW.finditer(xml):
        r = _ROW_NUMBER.search(m.group(0))
        if r is not None:
            out.append(int(r.group(1)))
    return out


#: per sheet: its uncomputed formulas, its merged ranges, its hidden rows (Excel numbers)
_Parts = tuple[dict[tuple[int, int], str], list[Range], list[int]]


def _sheet_parts(path: str | Path) -> dict[str, _Parts]:
    """Per sheet title, what a read-only reading of its cells misses: the uncomputed formulas
    (:func:`uncomputed_formulas`), the merged ranges and the hidden rows. Empty for a file that is no workbook."""
    found: dict[str, _Parts] = {}
    try:
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    data = z.read(name)
                    formulas = _formula_cells(data) if b"<f" in data or b":f>" in data or b":f " in data else {}
                    merged = _merged_ranges(data) if b"mergeCell" in data else []
                    hidden = _hidden_rows(data) if b"hidden" in data else []
                    if formulas or merged or hidden:
                        found[name] = (formulas, merged, hidden)
            titles = _sheet_titles(z) if found else {}
    except (OSError, zipfile.BadZipFile, KeyError, ET.ParseError):
        return {}
    return {titles[name]: parts for name, parts in found.items() if name in titles}


@dataclass
class Sheet:
    """One sheet of a workbook as :func:`read_workbook` reads it."""

    name: str
    #: rows of cell text, row ``r`` of the list the sheet's row ``r + 1``, as far as the last row and column
    #: holding a value (every row as wide)
    rows: list[list[str]]
    #: hidden in Excel (hidden or "very hidden")
    hidden: bool = False
    #: the merged ranges whose value was given to their other cells, clipped to the rows (from 0, inclusive)
    merged: list[Range] = field(default_factory=list)
    #: the rows hidden in Excel, by hand or by a filter, that hold a value, as Excel numbers them (they are read
    #: like the others: a sheet filtered to one village and saved still holds every village)
    hidden_rows: list[int] = field(default_factory=list)
    #: per column (from 0), the rows (from 0) whose cell is text that reads as a plain number (``3`` typed as
    #: text, or given by a merged range whose first cell is): every other cell reading so was a number in the file
    text_numbers: dict[int, set[int]] = field(default_factory=dict)


def read_workbook(path: Path, fname: str) -> list[Sheet]:
    """Every sheet of the workbook at ``path``, hidden ones too (:attr:`Sheet.hidden`), in the workbook's order:
    its rows of :func:`cell_text` (blank rows kept, so that row ``r`` of the list is the sheet's row ``r + 1``),
    as far as the last row and column holding a value, whatever dimension the sheet declares; a formula never
    computed (:func:`uncomputed_formulas`) as its text, ``=B2*2`` (``="0012"`` as ``0012``); each cell of a
    merged range with the range's value; a whole number with a zero-padding number format as Excel shows it;
    the rows holding a value that Excel hides (by hand or by a filter) read too, and named in
    :attr:`Sheet.hidden_rows`. An unreadable workbook is IO-CORRUPT.

    >>> import openpyxl, tempfile, os
    >>> wb = openpyxl.Workbook(); ws = wb.active; ws.title = "农户"
    >>> for row in (["户号", "村民小组"], [1, "一组"], [2, None], [3, None]): ws.append(row)
    >>> ws.merge_cells("B2:B4"); ws["A2"].number_format = "0000"; ws.cell(1048576, 16384).number_format = "0"
    >>> p = os.path.join(tempfile.mkdtemp(), "f.xlsx"); wb.save(p)
    >>> [(s.name, s.rows, s.merged) for s in read_workbook(p, "f.xlsx")]
    [('农户', [['户号', '村民小组'], ['0001', '一组'], ['2', '一组'], ['3', '一组']], [(1, 1, 3, 1)])]
    """
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise InputError(problem("IO-CORRUPT", file=fname, why=unreadable(exc, "xlsx"))) from exc
    parts = _sheet_parts(path)
    try:
        out = []
        for ws in wb.worksheets:
            formulas, merged, hidden = parts.get(str(ws.title), ({}, [], []))
            texts: dict[int, set[int]] = {}
            rows = _cell_rows(ws, texts)
            _put_formulas(rows, formulas)
            rows = _used(rows)
            filled = _fill_merged(rows, merged)
            for r1, c1, r2, c2 in filled:  # a merged range gives its first cell's kind to its other cells
                if r1 in texts.get(c1, ()):
                    for c in range(c1, c2 + 1):
                        texts.setdefault(c, set()).update(range(r1, r2 + 1))
            held = [r for r in hidden if r <= len(rows) and any(c.strip() for c in rows[r - 1])]
            out.append(Sheet(str(ws.title), rows, getattr(ws, "sheet_state", "visible") != "visible", filled,
                             held, texts))
        return out
    finally:
        wb.close()


def xlsx_sheets(path: Path, fname: str) -> list[tuple[str, list[list[str]]]]:
    """Each visible sheet of the workbook at ``path`` (:func:`read_workbook`): its name and its rows of cell
    text, row 1 first. An unreadable workbook is IO-CORRUPT."""
    return [(s.name, s.rows) for s in read_workbook(path, fname) if not s.hidden]


#: a cell's text that reads as a plain number (no leading zero: ``007`` is an id)
_PLAIN_NUMBER = re.compile(r"\s*[-+]?(?:0|[1-9]\d*)(?:\.\d*)?(?:[eE][-+]?\d+)?\s*|\s*[-+]?\.\d+\s*")


def _cell_rows(ws: Any, texts_of: dict[int, set[int]] | None = None) -> list[list[str]]:
    """The rows of a read-only sheet as text, each as far as its last cell holding a value: the sheet's declared
    dimension is not trusted (a stray format in ``XFD1048576`` would make it a billion cells). ``texts_of`` gets,
    per column, the rows whose cell is text reading as a plain number (:attr:`Sheet.text_numbers`)."""
    ws.reset_dimensions()
    formats: dict[int, str] = {}  # style id → its number format when it shows ids (0012, U012), else General
    rows: list[list[str]] = []
    blank = 0  # rows without a value not yet added (added only when a row with a value follows)
    for row in ws.iter_rows():
        texts: list[str] = []
        for cell in row:
            value = getattr(cell, "value", None)
            if value is None:
                texts.append("")
                continue
            if texts_of is not None and isinstance(value, str) and _PLAIN_NUMBER.fullmatch(value):
                texts_of.setdefault(len(texts), set()).add(len(rows) + blank)
            fmt = "General"
            if isinstance(value, int | float) and not isinstance(value, bool):
                sid = getattr(cell, "_style_id", 0)
                if sid not in formats:
                    given = str(getattr(cell, "number_format", "General") or "General")
                    formats[sid] = given if _id_format(given) is not None else "General"
                fmt = formats[sid]
            texts.append(cell_text(value, fmt))
        while texts and not texts[-1].strip():
            texts.pop()
        if not texts:
            blank += 1
            continue
        rows.extend([] for _ in range(blank))
        blank = 0
        rows.append(texts)
    return rows


def _used(rows: list[list[str]]) -> list[list[str]]:
    """``rows`` without trailing blank rows, every row as wide as the widest holding a value."""
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    width = max((max((j + 1 for j, c in enumerate(r) if c.strip()), default=0) for r in rows), default=0)
    return [r[:width] + [""] * (width - len(r)) for r in rows]


def _fill_merged(rows: list[list[str]], merged: list[Range]) -> list[Range]:
    """Give every cell of each merged range its first cell's value, within ``rows`` (as Excel shows it); the
    ranges filled, clipped to ``rows``."""
    done = []
    width = len(rows[0]) if rows else 0
    for r1, c1, r2, c2 in merged:
        if r1 >= len(rows) or c1 >= width:
            continue
        r2, c2 = min(r2, len(rows) - 1), min(c2, width - 1)
        value = rows[r1][c1]
        if not value.strip() or (r1, c1) == (r2, c2):
            continue
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                rows[r][c] = value
        done.append((r1, c1, r2, c2))
    return done


def _put_formulas(rows: list[list[str]], cells: dict[tuple[int, int], str]) -> None:
    """Give each blank cell that holds an uncomputed formula its formula text (rows grown where needed); a
    formula that is a text constant, ``="0012"``, its text."""
    for (r, c), formula in sorted(cells.items()):
        while len(rows) <= r:
            rows.append([])
        row = rows[r]
        row.extend([""] * (c + 1 - len(row)))
        if not row[c].strip():
            row[c] = excel_text(formula)


def text_records(data: bytes) -> list[list[str]]:
    """The records of a text table, blank lines kept (record ``i`` is the spreadsheet's row ``i + 1``): decoded
    as UTF-16 when it starts with its byte-order mark (Excel's "Unicode 文本" export), else UTF-8 (with or without
    BOM), else GB18030 (which covers GBK); split at commas, or at tabs when the first line has tabs and no comma.
    Raises :class:`ValueError` ("binary") for bytes that are no text, :class:`csv.Error` for a broken quote.

    >>> text_records("户编号,院落\\n\\n001,东院\\n".encode("gbk")), text_records("a\\tb".encode("utf-16"))
    ([['户编号', '院落'], [], ['001', '东院']], [['a', 'b']])
    """
    utf16 = ("utf-16",) if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ()
    text = None
    for enc in (*utf16, "utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    if text is None or "\x00" in text:  # gb18030 decodes nearly any bytes: a NUL says they are no text
        raise ValueError("binary")
    first = text.split("\n", 1)[0]
    return split_records(text, "\t" if "\t" in first and "," not in first else ",")
