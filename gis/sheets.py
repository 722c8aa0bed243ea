"""Tables as planners keep them, for the load stage: every cell as the text Excel shows, row 1 first.

:func:`cell_text` turns a cell's value into that text (a whole number without ``.0``, a date as ISO, a number
too long for Excel's 15 digits in scientific notation, as Excel shows it, so that a household id it has
already rounded is caught); :func:`xlsx_sheets` reads every visible sheet of a workbook that way, in read-only
mode (a sheet of 100,000 households in seconds); :func:`text_records` reads a small text table (a plan, a
score sheet) as records, in the encodings Excel and WPS save.

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
from pathlib import Path
from typing import Any

from yuanluo.gis.errors import InputError, problem, unreadable

__all__ = ["cell_text", "text_records", "uncomputed_formulas", "xlsx_sheets"]

#: Whole numbers from here on have lost digits in Excel (it keeps 15 significant digits).
EXCEL_EXACT = 10**15


def cell_text(value: Any) -> str:
    """The text of a cell's value as Excel shows it in a General column.

    Examples
    --------
    >>> import datetime
    >>> [cell_text(v) for v in (None, 7.0, 106.55, "001", True, datetime.date(2026, 3, 1), 500115196001010001)]
    ['', '7', '106.55', '001', 'True', '2026-03-01', '5.00115E+17']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float) and float(value).is_integer():
        if abs(value) >= EXCEL_EXACT:  # Excel rounded it: show it as Excel does, not as made-up digits
            mantissa, exp = f"{float(value):.5E}".split("E")
            return f"{mantissa.rstrip('0').rstrip('.')}E{exp[0]}{exp[1:].lstrip('0') or '0'}"
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if getattr(value, "hour", 0) == 0 else value.isoformat()
    return str(value)


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
    found: dict[str, dict[tuple[int, int], str]] = {}
    try:
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    data = z.read(name)
                    if b"<f" in data or b":f>" in data or b":f " in data:
                        hits = _formula_cells(data)
                        if hits:
                            found[name] = hits
            titles = _sheet_titles(z) if found else {}
    except (OSError, zipfile.BadZipFile, KeyError, ET.ParseError):
        return {}
    return {titles[name]: hits for name, hits in found.items() if name in titles}


def xlsx_sheets(path: Path, fname: str) -> list[tuple[str, list[list[str]]]]:
    """Each visible sheet of the workbook at ``path``: its name and its rows of :func:`cell_text`, row 1 first
    (blank rows kept, so that row ``r`` of the list is the sheet's row ``r + 1``); trailing blank rows dropped;
    a formula never computed (:func:`uncomputed_formulas`) as its text, ``=B2*2``.
    An unreadable workbook is IO-CORRUPT."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise InputError(problem("IO-CORRUPT", file=fname, why=unreadable(exc, "xlsx"))) from exc
    formulas = uncomputed_formulas(path)
    try:
        out = []
        for ws in wb.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue
            rows = [[cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
            _put_formulas(rows, formulas.get(str(ws.title), {}))
            while rows and not any(c.strip() for c in rows[-1]):
                rows.pop()
            out.append((str(ws.title), rows))
        return out
    finally:
        wb.close()


def _put_formulas(rows: list[list[str]], cells: dict[tuple[int, int], str]) -> None:
    """Give each blank cell that holds an uncomputed formula its formula text (rows grown where needed)."""
    for (r, c), formula in sorted(cells.items()):
        while len(rows) <= r:
            rows.append([])
        row = rows[r]
        row.extend([""] * (c + 1 - len(row)))
        if not row[c].strip():
            row[c] = formula


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
    return list(csv.reader(io.StringIO(text, newline=""), delimiter="\t" if "\t" in first and "," not in first else ","))
