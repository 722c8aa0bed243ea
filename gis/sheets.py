"""Tables as planners keep them, for the load stage: every cell as the text Excel shows, row 1 first.

:func:`cell_text` turns a cell's value into that text (a whole number without ``.0``, a date as ISO, a number
too long for Excel's 15 digits in scientific notation, as Excel shows it, so that a household id it has
already rounded is caught); :func:`xlsx_sheets` reads every visible sheet of a workbook that way, in read-only
mode (a sheet of 100,000 households in seconds); :func:`text_records` reads a small text table (a plan, a
score sheet) as records, in the encodings Excel and WPS save.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

from yuanluo.gis.errors import InputError, problem

__all__ = ["cell_text", "text_records", "xlsx_sheets"]

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


def xlsx_sheets(path: Path, fname: str) -> list[tuple[str, list[list[str]]]]:
    """Each visible sheet of the workbook at ``path``: its name and its rows of :func:`cell_text`, row 1 first
    (blank rows kept, so that row ``r`` of the list is the sheet's row ``r + 1``); trailing blank rows dropped.
    An unreadable workbook is IO-CORRUPT."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise InputError(problem("IO-CORRUPT", file=fname, detail=str(exc)[:200] or type(exc).__name__)) from exc
    try:
        out = []
        for ws in wb.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue
            rows = [[cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
            while rows and not any(c.strip() for c in rows[-1]):
                rows.pop()
            out.append((str(ws.title), rows))
        return out
    finally:
        wb.close()


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
