"""Reading household and auxiliary layers into the working CRS, with every input problem reported.

:func:`read_households` reads GeoPackage, GeoJSON, Shapefile, GeoParquet and CSV (lon/lat or x/y
columns plus a declared CRS), maps Chinese column names to the canonical ones (:mod:`yuanluo.gis.columns`),
checks the file (:mod:`yuanluo.gis.validate`) and returns households in the projected working CRS with a
:class:`LoadReport`. All problems found in a file are raised together as one :class:`~yuanluo.gis.errors.InputError`
(or :class:`~yuanluo.gis.errors.CRSError` when every error is about the coordinate system).

:func:`read_layer` reads rivers, water, roads and boundary layers with the same file-level checks.
"""

from __future__ import annotations

import csv
import difflib
import functools
import hashlib
import itertools
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar, cast

import charset_normalizer
import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from yuanluo.gis import chinacoords
from yuanluo.gis.catalogue import LANGS, both, has, joined, python_keyword, text
from yuanluo.gis.columns import (
    ALIASES,
    ATTRIBUTE_COLUMNS,
    COORD_COLUMNS,
    INVISIBLE,
    MAX_COUNT,
    NO_WORDS,
    NOTE_LINE,
    OTHER_STATUSES,
    OWN_CUTS,
    PARTY_STATUSES,
    SCI_ID,
    STATUS_VALUES_SHOWN,
    YES_WORDS,
    canonical_of,
    code_columns,
    head_columns,
    header_score,
    id_card_columns,
    is_flag_column,
    is_personal,
    is_serial_column,
    is_status_column,
    is_total_word,
    known_column,
    map_columns,
    normalize_name,
    normalize_text,
    note_word,
    pair_column,
    parse_bool,
    parse_coordinate,
    parse_int,
    parse_pair,
    parse_political_status,
    split_enumerated,
    split_names,
    split_renamed,
    to_id_strings,
    to_text,
    town_columns,
)
from yuanluo.gis.crs import (
    DeclaredCRS,
    crs_short,
    crs_unset,
    gk_info,
    is_legacy_chinese,
    parse_crs,
    require_working,
    span_problem,
    working_crs_for,
)
from yuanluo.gis.errors import (
    CRSError,
    InputError,
    Problem,
    YuanluoError,
    given_name,
    missing_file,
    more_after,
    on_command_line,
    problem,
    unreadable,
)
from yuanluo.gis.roster import combine_persons, when_stopped
from yuanluo.gis.validate import (
    assign_by_polygons,
    attr_problem,
    check_ambiguous,
    check_boundary,
    check_coordinates,
    check_division_codes,
    check_duplicates,
    check_empty_polygons,
    check_geometry_types,
    check_ids,
    check_personal,
    check_points_in_water,
    member_columns,
    relation_column,
)

__all__ = ["LoadReport", "read_households", "read_layer", "read_table", "table_column", "assign_by_polygons",
           "units_out_of_date", "gdal_path", "file_layers", "run_table", "read_once", "is_result",
           "SUPPORTED_FORMATS"]

log = logging.getLogger(__name__)

SUPPORTED_FORMATS = {
    ".gpkg": "gpkg",
    ".geojson": "geojson",
    ".json": "geojson",
    ".shp": "shapefile",
    ".parquet": "geoparquet",
    ".geoparquet": "geoparquet",
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}
SUPPORTED_TEXT = ("GeoPackage (.gpkg), GeoJSON (.geojson/.json), Shapefile (.shp), GeoParquet (.parquet), CSV (.csv), "
                  "Excel (.xlsx)")
#: What IO-LAYER / IO-NOLAYER call the parts of a file: a GeoPackage's layers, a workbook's sheets.
LAYER = {"zh": "图层", "en": "layer"}
SHEET = {"zh": "工作表", "en": "sheet"}
#: Household files that are tables of cells (coordinates in columns) rather than layers with geometries.
TABLE_FORMATS = ("csv", "xlsx")
CRS_CODES = {"CRS-MISSING", "CRS-UNITS", "CRS-GKPREFIX", "CRS-ZONE", "CRS-LEGACY", "CRS-INVALID", "COORD-GCJ-SUSPECT"}
_CHINESE_ENCODINGS = {"gb2312", "gbk", "gb18030", "hz", "cp936", "big5", "big5hkscs", "cp950"}
_HEADER_SCAN = 30


@dataclass
class LoadReport:
    """What was read and how.

    Attributes
    ----------
    file : str
        The path as given.
    layer : str or None
        Layer read (GeoPackage).
    format : str
        ``gpkg``, ``geojson``, ``shapefile``, ``geoparquet`` or ``csv``.
    sha256 : dict
        ``file name -> sha256`` of every file read (all parts of a Shapefile).
    n_rows : int
        Households loaded (= data rows in the file; nothing is dropped).
    declared_crs : str
        The CRS of the coordinates as declared (by the file or ``crs=``), e.g. ``"EPSG:4490"``.
    working_crs : str
        The projected CRS of the output.
    column_map : dict
        ``canonical -> original column``.
    warnings : list of Problem
        Non-fatal findings (COORD-DUP, GEOM-Z, ENC-GUESS, ...).
    encoding : str or None
        Text encoding used (CSV, Shapefile).
    rows : ndarray of int or None
        Each household's row as the file shows it, for messages: a CSV's row in a spreadsheet or text editor
        (the header and any title rows above it counted), a layer's feature number (1 = first). Not in
        :meth:`to_dict`.
    header_row : int or None
        The row of a CSV's or a sheet's header as the file shows it (``2`` below a title line; the upper row of a
        header of two rows, 坐标 over 经度 and 纬度); None for a layer, whose fields are named by the file.
    columns : list of str
        The file's columns as it names them, in its order (a layer's geometry left out), as COL-MISSING lists
        them. Not in :meth:`to_dict`.
    """

    file: str
    layer: str | None
    format: str
    sha256: dict[str, str]
    n_rows: int
    declared_crs: str
    working_crs: str
    column_map: dict[str, str]
    warnings: list[Problem] = field(default_factory=list)
    encoding: str | None = None
    rows: np.ndarray | None = field(default=None, repr=False, compare=False)
    header_row: int | None = None
    columns: list[str] = field(default_factory=list, repr=False, compare=False)

    def __repr__(self) -> str:
        """A short repr: file, layer, rows, the CRSs by code (not their WKT), the column map, the warnings' codes."""
        def crs(c: str) -> str:
            try:
                return crs_short(c) if c else repr(c)
            except Exception:  # noqa: BLE001 - a repr never fails on a CRS text pyproj cannot read
                return repr(c[:40])

        return (f"LoadReport(file={self.file!r}, layer={self.layer!r}, format={self.format!r}, n_rows={self.n_rows}, "
                f"declared_crs={crs(self.declared_crs)}, working_crs={crs(self.working_crs)}, "
                f"column_map={self.column_map}, warnings={[p.code for p in self.warnings]}, "
                f"encoding={self.encoding!r})")

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "layer": self.layer,
            "format": self.format,
            "sha256": dict(self.sha256),
            "n_rows": self.n_rows,
            "declared_crs": self.declared_crs,
            "working_crs": self.working_crs,
            "column_map": dict(self.column_map),
            "warnings": [p.to_dict() for p in self.warnings],
            "encoding": self.encoding,
            "header_row": self.header_row,
        }


def _raise(problems: list[Problem]) -> None:
    errs = [p for p in problems if p.severity == "error"]
    if not errs:
        return
    cls = CRSError if all(p.code in CRS_CODES for p in errs) else InputError
    raise cls(problems)


def _sha256(paths: list[Path]) -> dict[str, str]:
    out = {}
    for p in paths:
        h = hashlib.sha256()
        with open(p, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        out[p.name] = h.hexdigest()
    return out


def _crs_label(c: CRS | None) -> str:
    if c is None:
        return ""
    e = c.to_epsg()
    return f"EPSG:{e}" if e else c.to_string()


# ------------------------------------------------------------------------------ file level
#: the largest file taken for a lock file an office program keeps beside an open workbook (Excel's and WPS's are
#: 162 or 165 bytes, LibreOffice's a line of text)
LOCK_FILE_MAX = 4096
#: LibreOffice's lock file of ``方案.xlsx`` is ``.~lock.方案.xlsx#``
LIBREOFFICE_LOCK = (".~lock.", "#")


def lock_file(p: Path, fname: str | None = None) -> Problem | None:
    """``IO-LOCKFILE`` when ``p`` is the lock file an office program keeps while a workbook is open (a small file,
    not a workbook, holding who opened it), naming the workbook it stands for. Excel's or WPS's name begins with
    ``~$``: the workbook is the file of the folder whose name it ends with (``~$评分表.xlsx`` for ``评分表.xlsx``;
    Excel cuts a long name's first two characters), else its name without ``~$``. LibreOffice's is the
    workbook's whole name between ``.~lock.`` and ``#`` (``.~lock.评分表.xlsx#``). None for any other file.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> _ = open(os.path.join(d, "~$评分表.xlsx"), "wb").write(b"\\rAdministrator" + b" " * 40)
    >>> lock_file(Path(d, "~$评分表.xlsx")).params["name"], lock_file(Path(d, "评分表.xlsx"))
    ('评分表.xlsx', None)
    >>> _ = open(os.path.join(d, ".~lock.评分表.xlsx#"), "w").write(",User,host,03.12.2026 10:00,file:///home/u;")
    >>> lock_file(Path(d, ".~lock.评分表.xlsx#")).params["name"]
    '评分表.xlsx'
    """
    head, tail = LIBREOFFICE_LOCK
    libre = p.name.startswith(head) and p.name.endswith(tail) and len(p.name) > len(head) + len(tail)
    if not (libre or p.name.startswith("~$")) or not p.is_file() or p.stat().st_size > LOCK_FILE_MAX:
        return None
    with open(p, "rb") as f:
        if f.read(2) == b"PK":  # a real workbook that happens to be named so
            return None
    if libre:
        return problem("IO-LOCKFILE", file=fname or str(p), name=p.name[len(head):-len(tail)], prefix=head,
                       program=both("io.lock.libreoffice"))
    rest = p.name[2:]
    try:
        near = sorted(q.name for q in p.parent.iterdir()
                      if q.is_file() and not q.name.startswith("~$") and q.name.endswith(rest))
    except OSError:
        near = []
    name = rest if rest in near or not near else near[0]
    return problem("IO-LOCKFILE", file=fname or str(p), name=name, prefix="~$", program=both("io.lock.excel"))


def _file_checks(p: Path, fname: str) -> tuple[str, list[Path]]:
    """Existence, emptiness, format and Shapefile parts; raises on any problem. Returns (format, parts)."""
    gone = missing_file(p, fname) or lock_file(p, fname)
    if gone is not None:
        raise InputError(gone)
    if p.stat().st_size == 0:
        raise InputError(problem("IO-EMPTY", file=fname))
    with open(p, "rb") as f:
        head = f.read(4096)
    kind = _content_kind(head)
    fmt = SUPPORTED_FORMATS.get(p.suffix.lower())
    workbook = kind == "zip" and _is_workbook(p)
    if fmt != "xlsx" and workbook:  # an .xlsx renamed: the name is all that is wrong
        raise InputError(problem("IO-RENAMED", file=fname, suffix=p.suffix or "-", name=p.with_suffix(".xlsx").name))
    if fmt is None:
        raise InputError(problem("IO-FORMAT", file=fname, suffix=p.suffix or "-", kind=both(f"read.kind.{kind}"),
                                 supported=SUPPORTED_TEXT))
    if kind == "text" and fmt in ("csv", "geojson") and _binary_bytes(head):
        kind = "binary"
    if kind in ("png", "jpeg", "gif", "pdf", "binary") or (kind == "zip" and not workbook and fmt in ("csv", "geojson")):
        what = "archive" if kind == "zip" else kind
        raise InputError(problem("IO-BINARY", file=fname, kind=both(f"read.kind.{what}"),
                                 what=both("load.binary.what.data"), give=both("load.binary.give.data")))
    expected = {"gpkg": "sqlite", "geoparquet": "parquet", "xlsx": "zip"}.get(fmt)
    if expected and kind != expected:
        raise InputError(problem("IO-CORRUPT", file=fname, why=both("read.why.content", suffix=p.suffix,
                                                                      kind=both(f"read.kind.{kind}"))))
    if fmt in ("csv", "geojson") and kind != "text":
        raise InputError(problem("IO-FORMAT", file=fname, suffix=p.suffix, kind=both(f"read.kind.{kind}"),
                                 supported=SUPPORTED_TEXT))
    parts = [p]
    if fmt == "shapefile":
        missing = []
        for ext in (".shx", ".dbf"):
            q = _sibling(p, ext)
            if q is None:
                missing.append(p.stem + ext)
            else:
                parts.append(q)
        if missing:
            raise InputError(problem("SHP-PARTS", file=fname, missing=list(missing)))
        for ext in (".prj", ".cpg"):
            q = _sibling(p, ext)
            if q is not None:
                parts.append(q)
    return fmt, parts


#: the first bytes of files that are no table or layer of any name: images and PDF documents (IO-BINARY)
_BINARY_MAGIC = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF87a", "gif"), (b"GIF89a", "gif"),
                 (b"%PDF-", "pdf"))


def _content_kind(head: bytes) -> str:
    """What a file's first bytes say it is (a ``read.kind.*`` of the catalogue): ``sqlite``, ``zip``, ``parquet``,
    ``ole2``, an image or a PDF (:data:`_BINARY_MAGIC`), else ``text`` (which may still hold binary bytes:
    :func:`_binary_bytes`)."""
    return "sqlite" if head.startswith(b"SQLite format 3") else "zip" if head.startswith(b"PK") else \
        "parquet" if head.startswith(b"PAR1") else "ole2" if head.startswith(b"\xd0\xcf\x11\xe0") else \
        next((k for magic, k in _BINARY_MAGIC if head.startswith(magic)), "text")


def binary_kind(head: bytes) -> str | None:
    """What binary content a file is, from its first bytes (a ``read.kind.*`` of the catalogue, for IO-BINARY):
    a database, an archive or workbook, Parquet, an old Office file, an image, a PDF, or NUL bytes that are not
    UTF-16 text (``binary``); None for text, in whatever encoding. For a file that must be text, such as a rule
    file (:func:`yuanluo.gis.rules.rule_file_problem`).

    >>> binary_kind(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00"), binary_kind(b"PK\\x03\\x04")
    ('png', 'zip')
    >>> binary_kind(b"[rules]\\nmin_size = 10\\x00\\x00\\x00\\x01\\x02\\n")
    'binary'
    >>> binary_kind("[rules]\\nmin_size = 20\\n".encode("utf-16")), binary_kind("名称 = 1".encode("gbk"))
    (None, None)
    """
    kind = _content_kind(head)
    if kind == "text":
        return "binary" if _binary_bytes(head) else None
    return kind


def _binary_bytes(head: bytes) -> bool:
    """Whether the first bytes of a file named as text hold NUL bytes as no text does: UTF-16 text has NULs
    (in ASCII letters, in some hanzi), but it starts with its BOM, or read as UTF-16 it has no control characters;
    other NULs are binary data.

    >>> _binary_bytes("户编号,x\\n".encode("utf-16")), _binary_bytes("一丁,x\\n1,2\\n".encode("utf-16-le"))
    (False, False)
    >>> _binary_bytes(b"hid,x\\n1,2\\n"), _binary_bytes(b"\\x00\\x00\\x00\\rIHDR\\x00\\x00\\x01")
    (False, True)
    """
    if b"\x00" not in head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    for enc in ("utf-16-le", "utf-16-be"):  # without its BOM: read as UTF-16, it has no control characters
        text = head[:len(head) // 2 * 2].decode(enc, errors="replace")[:-1]  # the last may be half a pair
        if not any(ord(c) < 32 and c not in "\t\r\n" or c == "\ufffd" for c in text):
            return False
    return True


def _is_workbook(p: Path) -> bool:
    """Whether the ZIP file ``p`` is an Excel workbook (it holds ``xl/workbook.xml``)."""
    import zipfile

    try:
        with zipfile.ZipFile(p) as z:
            return "xl/workbook.xml" in z.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


def _sibling(p: Path, ext: str) -> Path | None:
    for e in (ext, ext.upper()):
        q = p.with_suffix(e)
        if q.exists():
            return q
    return None


# ------------------------------------------------------------------------------ encodings
def _decode(data: bytes, encoding: str | None, fname: str, *, household: bool = True) -> tuple[str, str, list[Problem]]:
    """Decode text: the given encoding, else UTF-16 when it starts with its byte-order mark (Excel's "Unicode
    文本" export, tab-separated), else UTF-8 (with or without BOM), else GBK/GB18030 when detected.

    When none fits: ENC-GUESS for the household file (``household``), whose encoding ``--encoding`` gives; for
    any other table (seeds, candidate sites, meeting points …), which that option does not reach,
    ENC-GUESS-TABLE, whose fix is to save it again in UTF-8 or GBK, or as .xlsx.

    A UTF-8 byte-order mark in front of text in another encoding (an editor's doing) is dropped first.

    Examples
    --------
    >>> _decode(b"\\xef\\xbb\\xbf" + "户号".encode("gbk"), None, "a.csv")[:2]
    ('户号', 'gb18030')
    >>> _decode(b"\\xef\\xbb\\xbf" + "户号".encode("gbk"), "gbk", "a.csv")[:2]
    ('户号', 'gbk')
    >>> _decode("户号\\t经度".encode("utf-16"), None, "a.txt")[:2]
    ('户号\\t经度', 'utf-16')
    """
    if not encoding and data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode 文本": UTF-16 with its mark
        try:
            return data.decode("utf-16"), "utf-16", []
        except UnicodeDecodeError:
            pass
    bom = data.startswith(b"\xef\xbb\xbf")
    wide = (encoding or "").lower().replace("_", "-").startswith(("utf-16", "utf-32"))
    # UTF-16/32 text holds zero bytes (its ASCII); UTF-16 given of a file without them is checked for a mix too
    mixed = None if wide and b"\x00" in data else _mixed_encodings(data[3:] if bom else data, fname)
    if mixed is not None:
        raise InputError(mixed)
    if encoding:
        enc = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
        enc = "gb18030" if _codec(enc) == "gb18030" else enc  # GB2312 or GBK given: their superset (塆, 塝)
        try:
            return (data[3:] if bom else data).decode(enc), encoding, []
        except LookupError:
            raise InputError(problem("ENC-UNKNOWN", file=fname, encoding=encoding,
                                     accepted=["utf-8", "gbk", "gb18030", "utf-16"])) from None
        except UnicodeDecodeError:
            raise InputError(problem("ENC-WRONG", file=fname, tried=encoding,
                                     guess=_guess_encoding(data[3:] if bom else data, encoding))) from None
    try:
        return data.decode("utf-8-sig"), "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8", []
    except UnicodeDecodeError:
        pass
    if bom:
        data = data[3:]
    sample = data[:65536]
    best = charset_normalizer.from_bytes(sample).best()
    guess = best.encoding if best is not None else None
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        name = encoding_option(guess or "utf-16")
        raise InputError(problem("ENC-GUESS" if household else "ENC-GUESS-TABLE", file=fname, tried=["UTF-8", "GBK"],
                                 guess=name, first=name)) from None
    if _common_hanzi_share(text[:65536]) >= 0.8 or guess is None or guess.lower() in _CHINESE_ENCODINGS:
        return text, "gb18030", []
    name = encoding_option(guess)
    raise InputError(problem("ENC-GUESS" if household else "ENC-GUESS-TABLE", file=fname, tried="UTF-8",
                             guess=f"GBK | {name}", first=name))


def encoding_option(codec: str) -> str:
    """The name to give ``--encoding`` / ``encoding=`` for a codec a detector names (``utf_16_le`` is ``utf-16``,
    which reads UTF-16 without its byte-order mark as little-endian, as Windows writes it).

    >>> encoding_option("utf_16_le"), encoding_option("utf_16_be"), encoding_option("cp1252")
    ('utf-16', 'utf-16-be', 'cp1252')
    """
    name = codec.lower().replace("_", "-")
    return {"utf-16-le": "utf-16", "utf-32-le": "utf-32", "utf-8-sig": "utf-8"}.get(name, name)


def _mixed_encodings(data: bytes, fname: str) -> Problem | None:
    """``ENC-MIXED`` when some lines of ``data`` are Chinese in UTF-8 and others in GBK (a GBK export appended
    to a UTF-8 file, or the other way round), naming the lines not in the encoding of the first Chinese line
    (the header, or a title above it); else None.

    A line counts as UTF-8 only when it reads as UTF-8 into common hanzi and as GBK into rare ones, so GBK
    text that happens to be valid UTF-8 does not count.

    >>> head, body = "户号,经度\\n".encode("utf-8"), "0001,张三\\n0002,李四\\n".encode("gbk")
    >>> p = _mixed_encodings(head + body, "a.csv")
    >>> p.code, p.rows, p.params["first"], p.params["other"]
    ('ENC-MIXED', (2, 3), 'UTF-8', 'GBK')
    >>> _mixed_encodings(head + head, "a.csv") is None, _mixed_encodings(body, "a.csv") is None
    (True, True)
    """
    try:
        data.decode("utf-8")
        return None  # all of it UTF-8
    except UnicodeDecodeError:
        pass
    kinds: list[tuple[int, str]] = []
    cells: list[tuple[int, str]] = []  # UTF-8 lines holding a piece in GBK (a cell pasted from elsewhere)
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            as_utf8 = line.decode("utf-8")
        except UnicodeDecodeError:
            pasted = _pasted_pieces(line)
            if pasted is not None:
                cells.append((number, pasted))
                continue
            try:
                line.decode("gb18030")
            except UnicodeDecodeError:
                continue
            kinds.append((number, "GBK"))
            continue
        if _common_hanzi_share(as_utf8) >= 0.8 > _common_hanzi_share(line.decode("gb18030", errors="replace")):
            kinds.append((number, "UTF-8"))
    first = kinds[0][1] if kinds else "UTF-8"
    other = [n for n, kind in kinds if kind != first]
    if cells and first == "UTF-8" and not other:
        return problem("ENC-MIXED-CELL", file=fname, rows=[n for n, _ in cells], count=len(cells),
                       as_gbk=cells[0][1])
    other = sorted(other + ([n for n, _ in cells] if first == "UTF-8" else []))
    if not other:
        return None
    return problem("ENC-MIXED", file=fname, rows=other, count=len(other), first=first,
                   other="GBK" if first == "UTF-8" else "UTF-8", excel=both(f"load.enc.excel.{first}"))


def _pasted_pieces(line: bytes) -> str | None:
    """The text in GBK inside a line otherwise in UTF-8 (its Chinese UTF-8 text common hanzi, its bytes that are
    not UTF-8 readable as GBK), joined by " / "; else None (a line not in UTF-8 at all, or not such a mix).

    >>> _pasted_pieces("0016,新华村,".encode() + "中文".encode("gbk") + ",一组".encode())
    '中文'
    >>> _pasted_pieces("0016,中文,一组".encode("gbk")) is None
    True
    """
    text = line.decode("utf-8", errors="surrogateescape")
    good = re.sub(r"[\udc80-\udcff]+", "", text)
    if sum(ord(ch) > 127 for ch in good) < 2 or _common_hanzi_share(good) < 0.8:
        return None
    pieces = []
    for run in re.finditer(r"[\udc80-\udcff]+", text):
        raw = run.group().encode("utf-8", errors="surrogateescape")
        after = text[run.end():run.end() + 1]
        if len(raw) % 2 and after and "\x40" <= after <= "\x7e":  # a GBK trail byte that is ASCII
            raw += after.encode("ascii")
        try:
            pieces.append(raw.decode("gb18030"))
        except UnicodeDecodeError:
            return None
    said = [p.strip() for p in pieces if p.strip()]
    if not said or _common_hanzi_share("".join(said)) < 0.8:
        return None
    return " / ".join(dict.fromkeys(said))


def _guess_encoding(data: bytes, tried: str = "") -> list[str]:
    """The encodings that decode ``data`` (the wrong one given, ``tried``, is refused by ENC-WRONG): UTF-8, else
    GB18030 when it decodes, else what charset-normalizer says, else the names Yuanluo accepts but ``tried``."""
    for enc in ("utf-8", "gb18030"):
        try:
            data.decode(enc)
        except UnicodeDecodeError:
            continue
        return [enc]
    best = charset_normalizer.from_bytes(data[:65536]).best()
    given = tried.lower().replace("_", "-")
    return [best.encoding] if best is not None else [e for e in ("utf-8", "gbk", "gb18030", "utf-16") if e != given]


def _common_hanzi_share(text: str) -> float:
    """Share of the non-ASCII characters that are GB2312 level-1 hanzi or GB2312 punctuation.

    Real Chinese text is mostly level-1 hanzi (the 3,755 most common characters); bytes of another
    encoding decoded as GBK spread over all 21,886 GBK codes and score far lower.
    """
    from collections import Counter

    counts = Counter(ch for ch in text if ord(ch) > 127)
    total = sum(counts.values())
    if not total:
        return 1.0
    common = 0
    for ch, k in counts.items():
        try:
            bts = ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        if len(bts) == 2 and (0xB0 <= bts[0] <= 0xD7 or 0xA1 <= bts[0] <= 0xA9):
            common += k
    return common / total


# ------------------------------------------------------------------------------ CSV
def _delimiter(sample: str) -> str:
    """The most frequent of ``, \\t ; |`` in the sample (comma when none occurs)."""
    counts = {d: sample.count(d) for d in (",", "\t", ";", "|")}
    return max(counts, key=lambda d: counts[d]) if max(counts.values()) > 0 else ","


def _header_at(rows: list[list[str]], wanted: list[str]) -> int | None:
    """Which of the first rows is the header: the first naming two known columns (户编号, 经度 …), or every
    column the caller named; None when none does."""
    want = {w for w in wanted if w}
    for i, row in enumerate(rows[:_HEADER_SCAN]):
        cells = [c.strip() for c in row]
        if header_score(cells) + sum(c in want for c in cells) >= 2 or (want and want <= set(cells)):
            return i
    return None


def _plan_header(rows: Sequence[Sequence[Any]], fname: str) -> Problem | None:
    """IO-PLAN-TABLE when the household file is a plan table: a row of its first ones names a household id
    column and a unit column (:data:`~yuanluo.gis.plan.ID_ALIASES`, :data:`~yuanluo.gis.plan.UNIT_ALIASES`: 户编号
    and 院落编号, as check, repair and ``delineate --xlsx`` write a plan) and no coordinate (经度, X …, or a
    column of both, :func:`~yuanluo.gis.columns.pair_column`); None otherwise. Such a file goes to ``--plan``.

    >>> _plan_header([["方案"], ["户编号", "院落编号"], ["H1", "U1"]], "p.csv").params["columns"]
    ['户编号', '院落编号']
    >>> _plan_header([["户编号", "院落", "经度", "纬度"]], "h.csv"), _plan_header([["户编号", "户主姓名"]], "h.csv")
    (None, None)
    """
    from yuanluo.gis.plan import ID_ALIASES, UNIT_ALIASES

    def at(cells: list[str], aliases: Sequence[str]) -> int | None:
        names = {normalize_name(a) for a in aliases}
        return next((j for j, c in enumerate(cells) if c and normalize_name(c) in names), None)

    for row in rows[:_HEADER_SCAN]:
        cells = [str(c).strip() for c in row]
        i, u = at(cells, ID_ALIASES), at(cells, UNIT_ALIASES)
        if i is None or u is None or i == u:
            continue
        if any(canonical_of(c) in COORD_COLUMNS for c in cells) or pair_column(cells) is not None:
            return None
        return problem("IO-PLAN-TABLE", file=fname, columns=[cells[i], cells[u]])
    return None


def plan_table_columns(path: str | Path) -> list[str] | None:
    """The household id and unit columns of a plan table (a CSV or workbook whose header names both and no
    coordinates, as :func:`_plan_header` finds it: 户编号 and 院落编号, as check, repair and ``delineate --xlsx``
    write a plan), None for any other file or one that cannot be read as a table (its reader says why).

    >>> import tempfile, os
    >>> f = os.path.join(tempfile.mkdtemp(), "方案.csv")
    >>> _ = open(f, "w", encoding="utf-8").write("户编号,院落编号\\nH1,U1\\n")
    >>> plan_table_columns(f)
    ['户编号', '院落编号']
    """
    try:
        table = read_table(path)
    except (InputError, OSError, ValueError):
        return None
    found = _plan_header([[str(c) for c in table.columns]], str(path))
    return list(found.params["columns"]) if found is not None else None


def _household_header(rows: list[list[str]], wanted: list[str]) -> bool:
    """Whether the header of a sheet's rows (:func:`_header_at`, and the row below it in a header of two rows)
    names what a household table needs: an id or coordinate column, or a column the caller named. A summary's
    header (村, 组, 户数, 人口) does not.

    >>> _household_header([["汇总"], ["村", "组", "户数", "人口"], ["石龙村", "1组", "43", "150"]], [])
    False
    >>> _household_header([["户编号", "坐标", ""], ["", "经度", "纬度"]], []), _household_header([["村", "组", "门牌"]], ["门牌"])
    (True, True)
    """
    at = _header_at(rows, wanted)
    if at is None:
        return False
    want = {w for w in wanted if w}
    needed = {"hid", *COORD_COLUMNS}
    two = at + 1 < len(rows) and _names_columns(rows[at + 1], rows[at], rows[at + 2:at + 2 + _HEADER_SCAN])
    heads = rows[at:at + 2] if two else rows[at:at + 1]
    return any(c.strip() in want or canonical_of(c) in needed for row in heads for c in row)


def _read_xlsx(p: Path, fname: str, sheet: str | None, wanted: list[str],
               problems: list[Problem] | None = None,
               body: Callable[[pd.DataFrame, np.ndarray], tuple[pd.DataFrame, np.ndarray]] | None = None,
               *, household: bool = False) -> tuple[pd.DataFrame, str, np.ndarray]:
    """The household rows of a workbook: the sheet named ``sheet`` (a hidden one too), else the one visible
    sheet whose first rows hold a household header (an id or coordinates, :func:`_household_header`; IO-LAYER
    when several do; XLSX-HIDDEN when only a hidden one does); the cells below its header as text (:func:`~yuanluo.gis.sheets.cell_text`, merged cells filled,
    said by XLSX-MERGED in ``problems``), blank rows left out; the sheet's name; each row's number in Excel.
    ``household``: whether it is the household file (a plan table is then IO-PLAN-TABLE, :func:`_plan_header`).
    ``body``: what leaves rows out of the table (:func:`_total_rows`), before the merged and hidden rows read are
    said, so that a note merged across the sheet under the table is not said as merged cells of households."""
    from yuanluo.gis.sheets import read_workbook

    book = read_workbook(p, fname)
    if not book:
        raise InputError(problem("IO-NOROWS", file=fname))
    visible = [s for s in book if not s.hidden] or book
    headed = [s for s in book if _header_at(s.rows, wanted) is not None]
    # a summary sheet (汇总: 村, 组, 户数) has a header too, but no household table: the sheets whose header has
    # an id or coordinates are chosen among, the others only when no sheet has
    headed = [s for s in headed if _household_header(s.rows, wanted)] or headed
    if sheet is not None:
        chosen = [s for s in book if s.name == sheet]
        if not chosen:
            names = [s.name for s in book]
            example = next((s.name for s in headed), next((s.name for s in visible if s.rows), names[0]))
            raise InputError(problem("IO-NOLAYER", file=fname, layer=sheet, layers=names, first=example,
                                     part=SHEET))
    else:
        chosen = [s for s in visible if s in headed]
        if len(chosen) > 1:
            raise InputError(problem("IO-LAYER", file=fname, layers=[s.name for s in chosen],
                                     first=chosen[0].name, part=SHEET))
        hidden = [s.name for s in headed if s.hidden]
        if hidden and not chosen:
            raise InputError(problem("XLSX-HIDDEN", file=fname, sheets=hidden, first=hidden[0]))
        if hidden and problems is not None:
            problems.append(problem("XLSX-HIDDEN-ALSO", severity="warning", file=fname, sheets=hidden,
                                    first=hidden[0], sheet=chosen[0].name))
    filled = [s for s in visible if any(any(c.strip() for c in row) for row in s.rows)]
    book_sheet = chosen[0] if chosen else (filled or visible)[0]  # no header anywhere: said of the first filled
    name, rows = book_sheet.name, book_sheet.rows
    header_at = _header_at(rows, wanted)
    if header_at is None:
        if not any(any(c.strip() for c in r) for r in rows):
            raise InputError(problem("IO-NOROWS", file=fname))
        plan = _plan_header(rows, fname) if household else None
        if plan is not None:
            raise InputError(plan)
        first = next(r for r in rows if any(c.strip() for c in r))
        raise InputError(problem("CSV-HEADER", file=fname, scanned=min(len(rows), _HEADER_SCAN),
                                 first=",".join(first).rstrip(",")[:80]))
    df, numbers = _cells_frame(rows, header_at)
    first_body = int(numbers[0]) - 1 if len(numbers) else len(rows)
    if body is not None:
        df, numbers = body(df, numbers)
    if problems is not None and book_sheet.merged:
        merged = _merged_in_body(book_sheet.merged, rows, header_at, first_body, {int(n) for n in numbers})
        if merged is not None:
            problems.append(problem("XLSX-MERGED", severity="warning", file=fname, sheet=name,
                                    columns=merged[0], n_columns=len(merged[0]), rows=merged[1]))
    read = {int(n) - 1 for n in numbers}
    df.attrs["text_numbers"] = [str(df.columns[k]) for k, j in enumerate(df.attrs["cells_at"])
                                if read & book_sheet.text_numbers.get(j, set())]
    hidden_read = sorted(set(book_sheet.hidden_rows) & {int(n) for n in numbers})  # hidden or filtered out, read
    if problems is not None and hidden_read:
        problems.append(problem("XLSX-HIDDEN-ROWS", severity="warning", file=fname, sheet=name, rows=hidden_read))
    return df, name, numbers


def _merged_in_body(merged: list[tuple[int, int, int, int]], rows: list[list[str]], header_at: int,
                    first_body: int, read: set[int] | None = None) -> tuple[list[str], list[int]] | None:
    """The header names (row ``header_at``, or the row below it in a header of two rows) of the columns and
    the rows (as Excel numbers them) of the body cells that a merged range gave its value to (its first cell
    excepted); None when no merged range reaches the body. The columns in the sheet's order, left to right,
    whatever order the workbook lists its merged ranges in. ``read``: the rows read (Excel's numbers), when some
    were left out (a total, a note): a range over none of them is not said.

    >>> rows = [["户编号", "户主姓名", "组"], ["1", "张三", "一组"], ["", "", ""], ["注：…", "注：…", "注：…"]]
    >>> _merged_in_body([(1, 2, 2, 2), (1, 0, 2, 0)], rows, 0, 1)
    (['户编号', '组'], [3])
    >>> _merged_in_body([(1, 2, 2, 2), (3, 0, 3, 2)], rows, 0, 1, {2, 3}), _merged_in_body([(3, 0, 3, 2)], rows, 0, 1, {2})
    ((['组'], [3]), None)
    """
    heads = rows[header_at:first_body][:2]
    columns: set[int] = set()
    hit: set[int] = set()
    for r1, c1, r2, c2 in merged:
        if r2 < first_body:
            continue
        cells = [r + 1 for r in range(max(r1, first_body), r2 + 1) if r != r1 or c2 > c1]
        if read is not None:
            cells = [r for r in cells if r in read]
            if not any(r + 1 in read for r in range(max(r1, first_body), r2 + 1)):
                continue
        hit.update(cells)
        columns.update(range(c1, c2 + 1))
    if not hit:
        return None
    names = [next((h[c].strip() for h in reversed(heads) if c < len(h) and h[c].strip()), "") or _column_letter(c)
             for c in sorted(columns)]
    return names, sorted(hit)


def _column_letter(c: int) -> str:
    """Excel's letter of column ``c`` (from 0): 0 → A."""
    from openpyxl.utils.cell import get_column_letter

    return get_column_letter(c + 1)


def _cells_frame(rows: list[list[str]], header_at: int) -> tuple[pd.DataFrame, np.ndarray]:
    """The rows of cell text below row ``header_at`` as a frame named by it (blank rows left out; a column
    with neither a name nor a value dropped; ``Unnamed: j`` for a blank name and ``经度.1`` for a repeated one,
    as pandas names a CSV's columns), and each row's number (row ``i`` of ``rows`` is number ``i + 1``)."""
    top = header_at
    header = [c.strip() for c in rows[header_at]]
    upper = list(header)
    below = rows[header_at + 1] if header_at + 1 < len(rows) else []
    # a name merged down over both header rows (filled into each of its cells) is no lower name
    below = [c if j >= len(header) or c.strip() != header[j] else "" for j, c in enumerate(below)]
    if _names_columns(below, header, rows[header_at + 2:header_at + 2 + _HEADER_SCAN]):  # a header of two rows (坐标 over 经度 and 纬度): the lower names win where given
        low = [c.strip() for c in below] + [""] * (len(header) - len(below))
        header = [n or h for h, n in zip([*header, *[""] * (len(low) - len(header))], low, strict=True)]
        header_at += 1
    body = [(i + 1, r) for i, r in enumerate(rows) if i > header_at and any(c.strip() for c in r)]
    keep = [j for j, h in enumerate(header) if h or any(j < len(r) and r[j].strip() for _, r in body)]
    seen: dict[str, int] = {}
    columns = []
    for j in keep:
        base = header[j] or f"Unnamed: {j}"
        k = seen.get(base, 0)
        seen[base] = k + 1
        columns.append(base if k == 0 else f"{base}.{k}")
    df = pd.DataFrame([[r[j] if j < len(r) else "" for j in keep] for _, r in body], columns=columns, dtype=str)
    df.attrs["header"] = [header[j] for j in keep]
    # each column's names in the header's rows (坐标 over 经度): a row repeating them is the header of a printed page
    df.attrs["header_names"] = [sorted({header[j], upper[j] if j < len(upper) else ""} - {""}) for j in keep]
    df.attrs["header_row"] = top + 1  # the header's (upper) row as the file shows it
    df.attrs["cells_at"] = keep  # each column's place among the rows' cells (from 0)
    return df, np.asarray([i for i, _ in body], dtype=np.int64)


def _names_columns(row: list[str], header: Sequence[str] = (), below: Sequence[list[str]] = ()) -> bool:
    """Whether ``row``, below the ``header`` row, is a second header row. Either every cell in it that is filled
    is a column name the reader knows (:func:`~yuanluo.gis.columns.known_column`: 经度, 纬度 under a 坐标 merged
    over both; 镇, 村, 组 under 行政区划; 户主姓名, 身份证号, 联系电话 under 户主信息; the other names merged down
    beside them in Excel), or (:func:`_lower_names`) it names some columns the reader does not know beside one it
    does (门牌号, 常住人口 and 经度(°) under 户主信息, 人口 and 坐标), holds no value and the rows below are data.

    >>> _names_columns(["", "经度", "纬度", ""]), _names_columns(["001", "106.5", "29.5"]), _names_columns([])
    (True, False, False)
    >>> _names_columns(["", "户主姓名", "身份证号", "联系电话", "镇", "村", "组"])
    True
    >>> _names_columns(["1", "000001", "杨秀德", "长寿镇", "新华村", "1组"])
    False
    >>> up, low = ["户编号", "户主信息", "", "坐标", ""], ["", "户主姓名", "门牌号", "经度(°)", "纬度(°)"]
    >>> _names_columns(low, up, [["H1", "张三", "3号", "107.7", "29.8"]]), _names_columns(low)
    (True, False)
    """
    filled = [c.strip() for c in row if c.strip()]
    if not filled:
        return False
    return all(known_column(c) for c in filled) or (bool(header) and _lower_names(row, header, below))


#: the columns a household row is found by: a data row has a value there, a header row a name or nothing
_FOUND_BY = frozenset({"hid", *COORD_COLUMNS})
#: a date as a cell shows it (2026-03-01, 2026/3/1, 2026.3.1)
_DATE_CELL = re.compile(r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:[ T].*)?")


def _value_cell(cell: str) -> bool:
    """Whether a cell holds a value rather than a name: a number (``3``, ``1,234``, ``5.00115E+17``), a date, a
    coordinate (``106.5``, ``107°43′50″E``), or a yes/no or political-status word a household's cell holds (是, 否,
    党员, 群众: 党员 names a column too, but a row holding it may be a household's).

    >>> [_value_cell(c) for c in ["3", "1,234", "5.00115E+17", "2026-03-01", "107°43′50″E", "党员", "中共党员"]]
    [True, True, True, True, True, True, True]
    >>> [_value_cell(c) for c in ["经度(°)", "门牌号", "1组", "是否党员", "N"]]
    [False, False, False, False, False]
    """
    text = normalize_text(cell)
    words = text.lower() in YES_WORDS or text.lower() in NO_WORDS or text in PARTY_STATUSES or text in OTHER_STATUSES
    if words and canonical_of(text) is None:  # N, E: a northing's, an easting's name
        return True
    if re.fullmatch(r"[-+]?\d[\d,]*(?:\.\d*)?(?:[eE][-+]?\d+)?|[-+]?\.\d+", text) or _DATE_CELL.fullmatch(text):
        return True
    value, bad = parse_coordinate(pd.Series([text], dtype=object))
    return not bool(bad.iloc[0]) and not bool(np.isnan(value.iloc[0]))


def _lower_names(row: Sequence[str], header: Sequence[str], below: Sequence[list[str]]) -> bool:
    """Whether ``row`` is the lower row of a two-row header whose names the reader need not all know (门牌号,
    常住人口, 经度(°) under 户主信息, 人口 and 坐标 merged over them): every filled cell is text, no value
    (:func:`_value_cell`), and one at least is a column the reader knows; where the upper row names an id or a
    coordinate column it is blank (the name merged down, or nothing: a household row has its id and coordinates
    there); the header joined (the lower names where given) names an id or a coordinate column, and the next
    filled row below has a value in one of those (it is a household's row, not a third row of names). A first
    household row is never taken for names: it has its id, or its coordinates, where the header names them.

    >>> up = ["户编号", "户主信息", "", "人口", "坐标", ""]
    >>> _lower_names(["", "户主姓名", "门牌号", "", "经度(°)", "纬度(°)"], up, [["H1", "张三", "3号", "4", "107.7", "29.8"]])
    True
    >>> _lower_names(["H1", "张三", "3号", "", "107°43′E", "29°47′N"], up, [["H2", "李四", "4号", "", "", ""]])
    False
    >>> _lower_names(["", "户主姓名", "门牌号", "", "经度(°)", "纬度(°)"], up, [])
    False
    """
    width = max(len(row), len(header))
    up = [str(c).strip() for c in header] + [""] * (width - len(header))
    low = [str(c).strip() for c in row] + [""] * (width - len(row))
    low = ["" if c == u else c for u, c in zip(up, low, strict=True)]  # a name merged down over both rows
    filled = [c for c in low if c]
    if not filled or any(_value_cell(c) for c in filled) or not any(known_column(c) for c in filled):
        return False
    if any(low[j] for j, u in enumerate(up) if canonical_of(u) in _FOUND_BY):
        return False
    joined = [c or u for u, c in zip(up, low, strict=True)]
    found_by = [j for j, c in enumerate(joined) if canonical_of(c) in _FOUND_BY]
    data = next((r for r in below if any(c.strip() for c in r)), None)
    return bool(found_by) and data is not None and any(j < len(data) and data[j].strip() for j in found_by)


def _table_header(rows: list[list[str]]) -> int:
    """The header of a plain table (seeds, meeting points): the first of its first ten rows naming a known
    column (户编号, 院落 …), so that a title row above it is skipped; else its first row that is not blank."""
    for i, r in enumerate(rows[:10]):
        if header_score(r) >= 1:
            return i
    return next((i for i, r in enumerate(rows) if any(c.strip() for c in r)), 0)


def _read_csv(p: Path, fname: str, encoding: str | None, wanted: list[str], *, household: bool = True
              ) -> tuple[pd.DataFrame, str, np.ndarray]:
    """The data rows of a CSV below its header (found among the first lines), its encoding and each row's
    number as a spreadsheet shows it: the CSV is read once, as records (:func:`_csv_records`), and made a frame
    as a sheet's cells are (:func:`_cells_frame`). ``household``: whether it is the household file (:func:`_decode`)."""
    text, enc, _ = _decode(p.read_bytes(), encoding, fname, household=household)
    lines = text.splitlines()[:_HEADER_SCAN]
    delim = _delimiter("\n".join(lines))
    records = _csv_records(text, fname, delim)
    header_at = _header_at(records, wanted)
    if header_at is None:
        if not lines:
            raise InputError(problem("IO-NOROWS", file=fname))
        plan = _plan_header(records, fname) if household else None
        if plan is not None:
            raise InputError(plan)
        raise InputError(problem("CSV-HEADER", file=fname, scanned=min(len(lines), _HEADER_SCAN),
                                 first=lines[0][:80]))
    _no_cells_past_header(records, header_at, fname, delim)
    df, rows = _cells_frame(records, header_at)
    return df, enc, rows


def _csv_records(text: str, fname: str, delim: str) -> list[list[str]]:
    """Every record of a CSV, blank lines too (so that record ``i`` is the spreadsheet's row ``i + 1``), a cell
    ``="0012"`` as its text (:func:`~yuanluo.gis.sheets.split_records`)."""
    from yuanluo.gis.sheets import split_records

    try:
        return split_records(text, delim)
    except csv.Error as exc:
        raise InputError(problem("IO-CORRUPT", file=fname, why=unreadable(exc, "csv"))) from exc


def _no_cells_past_header(records: list[list[str]], header_at: int, fname: str, delim: str) -> None:
    """CSV-FIELDS when a record below the header has a filled cell past the header's last column (a delimiter
    inside an unquoted cell). Blank ones (trailing delimiters, as some exports write) are left to be dropped."""
    width = len(records[header_at])
    extra = [i + 1 for i, rec in enumerate(records) if i > header_at and any(c.strip() for c in rec[width:])]
    if extra:
        raise InputError(problem("CSV-FIELDS", file=fname, rows=extra, columns=width,
                                 delim={"zh": _DELIM_NAMES[delim][0], "en": _DELIM_NAMES[delim][1]}))


#: How a CSV's delimiter is named in messages (zh, en).
_DELIM_NAMES = {",": ("逗号“,”", "comma"), "\t": ("制表符（Tab）", "tab"), ";": ("分号“;”", "semicolon"),
                "|": ("竖线“|”", "vertical bar “|”")}


def _coordinate_columns(mapping: dict[str, str], crs: CRS | None, x_col: str | None,
                        y_col: str | None) -> tuple[str | None, str | None, str]:
    """(east/lon column, north/lat column, how) following the surveying convention for GK CRSs."""
    if x_col or y_col:
        return x_col, y_col, "explicit"
    if "lon" in mapping or "lat" in mapping:
        return mapping.get("lon"), mapping.get("lat"), "lonlat"
    if "easting" in mapping or "northing" in mapping:
        return mapping.get("easting"), mapping.get("northing"), "en"
    if "x" in mapping or "y" in mapping:
        if crs is not None and gk_info(crs) is not None:
            return mapping.get("y"), mapping.get("x"), "gk"  # X = northing, Y = easting
        return mapping.get("x"), mapping.get("y"), "xy"
    return None, None, ""


# ------------------------------------------------------------------------------ vector
#: tables a GeoPackage may hold besides its data: QGIS's styles (which Yuanluo writes too) and projects
NOT_DATA_LAYERS = ("layer_styles", "qgis_projects")


def gdal_path(path: str | os.PathLike[str]) -> str:
    """The path to give pyogrio for the plain file ``path``, which it reads as it is.

    pyogrio parses a path as a URI (``pyogrio.util.vsi_path``): ``a;b.gpkg`` became ``a`` (``;`` starts URI
    parameters), ``r!1.gpkg`` became ``1.gpkg`` in the working folder (what comes before a ``!`` is taken for an
    archive), ``zip:x.gpkg`` an archive. Such a path is given as GDAL's ``/vsisubfile/0_0,PATH`` (the whole
    file, from byte 0), which pyogrio passes on untouched and GDAL opens as the plain file; a Shapefile's
    .dbf, .shx, .prj and .cpg are found beside it the same way. Any other path is given as it is.

    >>> gdal_path("/data/户.gpkg"), gdal_path("/data/q?x#1.gpkg")
    ('/data/户.gpkg', '/data/q?x#1.gpkg')
    >>> gdal_path("/data/a;b.gpkg"), gdal_path(Path("/data/第1批!/r!1.shp"))
    ('/vsisubfile/0_0,/data/a;b.gpkg', '/vsisubfile/0_0,/data/第1批!/r!1.shp')
    >>> gdal_path("zip:x.gpkg").startswith("/vsisubfile/0_0,/"), gdal_path("/vsimem/x.gpkg")
    (True, '/vsisubfile/0_0,/vsimem/x.gpkg')
    """
    from pyogrio.util import vsi_path

    s = os.fspath(path)
    if vsi_path(s) == s and not s.startswith("/vsi"):
        return s
    return "/vsisubfile/0_0," + os.path.abspath(s)


#: what :func:`read_once` read of a file, per file as it stands (its path, device, inode, size and times); a few
#: files, the oldest let go first
_READ: dict[tuple[object, ...], dict[str, tuple[bool, Any]]] = {}


def read_once(path: Path, what: str, read: Callable[[], Any]) -> Any:
    """``read()`` (``what`` of the file ``path``: its layers, its ``run`` table), read once while the file stays as
    it is: a command asks a result's layers at each stage (the households and the layer they are in, the declared
    exceptions, the meeting points, the rules, the barriers given as its layers), and a file written again since
    is read again (another inode, size or time). What ``read`` raised is raised again; a file that cannot be
    stat'ed is read each time. The value is shared: callers copy what they change.

    >>> import tempfile; d = Path(tempfile.mkdtemp()); f = d / "a.txt"; _ = f.write_text("1")
    >>> reads = []
    >>> def size() -> int:
    ...     reads.append(1)
    ...     return len(f.read_text())
    >>> read_once(f, "size", size), read_once(f, "size", size), len(reads)
    (1, 1, 1)
    >>> _ = f.write_text("22"); read_once(f, "size", size), len(reads)
    (2, 2)
    """
    try:
        st = path.stat()
    except OSError:
        return read()
    stamp = (str(path.resolve()), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    seen = _READ.get(stamp)
    if seen is None:
        while len(_READ) >= 8:
            del _READ[next(iter(_READ))]
        seen = _READ[stamp] = {}
    if what not in seen:
        try:
            seen[what] = (True, read())
        except Exception as exc:  # noqa: BLE001 - raised again to each caller, who says what it means
            seen[what] = (False, exc)
    ok, value = seen[what]
    if not ok:
        raise value
    return value


def file_layers(path: str | os.PathLike[str]) -> tuple[tuple[str, str | None], ...]:
    """Every layer of the vector file ``path`` with its geometry type as pyogrio lists it (None: a table), listed
    once while the file stays as it is (:func:`read_once`); pyogrio's error where it cannot be listed."""
    p = Path(path)
    return cast(tuple[tuple[str, "str | None"], ...], read_once(p, "layers", lambda: tuple(
        (str(name), None if kind is None else str(kind)) for name, kind in pyogrio.list_layers(gdal_path(p)))))


def run_table(path: str | os.PathLike[str]) -> pd.DataFrame:
    """The ``run`` table of the GeoPackage ``path``, whole, read once while the file stays as it is
    (:func:`read_once`); a copy, the caller's to change. pyogrio's error where there is none to read."""
    p = Path(path)
    return pd.DataFrame(read_once(p, "run", lambda: pd.DataFrame(
        pyogrio.read_dataframe(gdal_path(p), layer="run", read_geometry=False)))).copy()


def _list_layers(p: Path, fname: str) -> list[str]:
    """The data layers of a vector file (not QGIS's style and project tables)."""
    try:
        return [name for name, _ in file_layers(p) if name not in NOT_DATA_LAYERS]
    except Exception as exc:  # noqa: BLE001 - pyogrio raises several kinds
        raise InputError(problem("IO-CORRUPT", file=fname, why=unreadable(exc, "layers"))) from exc


def _example_layer(p: Path, layers: list[str], points: bool) -> str:
    """The layer IO-LAYER / IO-NOLAYER propose: where ``points`` (households or points are read), the first
    layer of points, else (or where there is none) the first layer.

    >>> import tempfile; d = Path(tempfile.mkdtemp()); f = d / "r.gpkg"
    >>> from shapely.geometry import Point, box
    >>> gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1)], crs=4490).to_file(f, layer="units")
    >>> gpd.GeoDataFrame(geometry=[Point(0, 0)], crs=4490).to_file(f, layer="pts")
    >>> _example_layer(f, ["units", "pts"], True), _example_layer(f, ["units", "pts"], False)
    ('pts', 'units')
    """
    if not layers:
        return ""
    if points:
        try:
            kinds = {name: str(kind) for name, kind in file_layers(p)}
        except Exception:  # noqa: BLE001 - listed once already (_list_layers); the first layer then
            kinds = {}
        found = [name for name in layers if "point" in kinds.get(name, "").lower()]
        if found:
            return found[0]
    return layers[0]


def _read_vector(p: Path, fname: str, fmt: str, layer: str | None, encoding: str | None, *, points: bool = False,
                 ) -> tuple[gpd.GeoDataFrame, str | None, str | None, list[Problem]]:
    """Read a vector file: (frame, layer used, encoding used, warnings); ``points``: households or points are
    read (the example layer of IO-LAYER / IO-NOLAYER a layer of points, as also where ``layer`` is households)."""
    warns: list[Problem] = []
    if encoding is not None and fmt in ("gpkg", "geoparquet"):  # UTF-8 by the format: decoding as another fails
        warns.append(problem("ENC-IGNORED", severity="warning", file=fname, encoding=encoding,
                             kind="GeoPackage" if fmt == "gpkg" else "GeoParquet"))
        encoding = None
    if fmt == "geoparquet":
        try:
            import pyarrow.parquet as pq

            plain = b"geo" not in (pq.read_schema(p).metadata or {})  # no GeoParquet: a table, read as a CSV is
            return pd.read_parquet(p) if plain else gpd.read_parquet(p), None, None, warns
        except Exception as exc:  # noqa: BLE001
            raise InputError(problem("IO-CORRUPT", file=fname, why=unreadable(exc, "parquet"))) from exc
    if fmt == "gpkg" or layer is not None:
        layers = _list_layers(p, fname)
        example = _example_layer(p, layers, points or layer == "households")
        if layer is None and len(layers) > 1:
            raise InputError(problem("IO-LAYER", file=fname, layers=list(layers), first=example, part=LAYER))
        if layer is not None and layer not in layers:
            raise InputError(problem("IO-NOLAYER", file=fname, layer=layer, layers=[str(x) for x in layers],
                                     part=LAYER, first=example))
        if layers and layer is None:
            layer = layers[0]
    cpg = _sibling(p, ".cpg") if fmt == "shapefile" and encoding is None else None
    real = _cpg_mismatch(p, cpg) if cpg is not None else None  # a .cpg decoding the text into wrong characters
    said = _codec(cpg.read_bytes().decode("ascii", errors="ignore")) if cpg is not None else None
    # the .cpg's encoding as Python reads it, given to GDAL: GDAL's strict GB2312 turned 塆 into G, and it read
    # ArcGIS's "ANSI 936" as ISO-8859-1 (GB18030 is the superset of GB2312 and GBK, see _codec)
    used_enc = encoding or real or _gdal_encoding(said)
    unknown = cpg is not None and said is None  # a .cpg naming an encoding no one knows: read as without one
    if fmt == "shapefile":
        cut = _cut_field_names(p, used_enc)
        if cut:
            raise InputError(problem("SHP-FIELDNAME", file=fname, fields=list(cut)))
        given = _given_encoding_problem(p, fname, layer, encoding) if encoding is not None else None
        if given is not None:
            raise InputError(given)
    try:
        gdf, garbled = _read_heard(p, fname, layer, used_enc, shapefile=fmt == "shapefile")
    except Exception as exc:  # noqa: BLE001
        gdf, used_enc, wrong = _read_failed(exc, p, fname, fmt, layer, encoding, None if real else cpg)
        warns.append(wrong)
        return whole_fields(gdf, p, layer), layer, used_enc, warns
    if cpg is not None and real is not None:
        warns.append(_cpg_wrong(fname, cpg, real))
    warns.extend(garbled)  # ENC-UNDECODED: bytes not in the encoding, dropped (GDAL said so in English only)
    if fmt == "shapefile" and encoding is None and (cpg is None or unknown):
        guessed = _read_by_content(gdf, p, fname, layer, cpg)
        if guessed is not None:
            gdf, used_enc, warn = guessed
            warns.append(warn)
    return whole_fields(gdf, p, layer), layer, used_enc, warns


def _read_heard(p: Path, fname: str, layer: str | None, encoding: str | None, *, shapefile: bool
                 ) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """The layer read (:func:`pyogrio.read_dataframe`) in ``encoding`` (as :func:`_gdal_encoding` gives it to
    GDAL), and ENC-UNDECODED (:func:`_undecoded`) of a Shapefile when GDAL said some of its text did not convert
    (its English RuntimeWarning, kept from the run); any other warning is passed on as it came."""
    import warnings

    with warnings.catch_warnings(record=True) as heard:
        warnings.simplefilter("always")
        gdf = pyogrio.read_dataframe(gdal_path(p), layer=layer, encoding=_gdal_encoding(encoding))
    garbled = False
    for w in heard:
        if issubclass(w.category, RuntimeWarning) and "couldn't be converted correctly" in str(w.message):
            garbled = True
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return gdf, _undecoded(p, fname, layer, encoding) if garbled and shapefile else []


def _undecoded(p: Path, fname: str, layer: str | None, enc: str | None) -> list[Problem]:
    """ENC-UNDECODED: the rows of a Shapefile whose text holds bytes not in ``enc``, the encoding it was read in
    (the characters GDAL dropped); none when no row is found."""
    rows = _undecodable_rows(p, layer, _codec(enc)) if enc else []
    return [problem("ENC-UNDECODED", severity="warning", file=fname, encoding=enc, rows=rows)] if rows else []


def whole_fields(frame: pd.DataFrame, path: str | os.PathLike[str], layer: str | int | None = None) -> pd.DataFrame:
    """``frame``, read from a layer of ``path``, with the layer's integer fields as whole numbers: GDAL gives a
    field of whole numbers with a NULL as float (``1.0``, NaN); such a column becomes pandas ``Int64`` (NULL
    missing), so that a 序号 or 常住人口 written as an INTEGER field reads back as the user typed it (``1``).
    A column the reading already made other than float, and any field the layer does not give as an integer,
    is left as it is.

    >>> import geopandas as gpd, tempfile
    >>> from shapely.geometry import Point
    >>> d = tempfile.mkdtemp()
    >>> g = gpd.GeoDataFrame({"序号": pd.array([1, None, 3], dtype="Int64"), "x": [0.5, 1.0, 2.0]},
    ...                      geometry=[Point(0, 0)] * 3, crs="EPSG:4545")
    >>> g.to_file(f"{d}/a.gpkg", layer="hh")
    >>> raw = gpd.read_file(f"{d}/a.gpkg", layer="hh")
    >>> str(raw["序号"].dtype), str(whole_fields(raw, f"{d}/a.gpkg", "hh")["序号"].dtype)
    ('float64', 'Int64')
    >>> whole_fields(raw, f"{d}/a.gpkg", "hh")["序号"].tolist(), whole_fields(raw, f"{d}/a.gpkg", "hh")["x"].tolist()
    ([1, <NA>, 3], [0.5, 1.0, 2.0])
    """
    try:
        info = pyogrio.read_info(gdal_path(Path(path)), layer=layer)
    except Exception:  # noqa: BLE001 - the layer was read: without its field types it stays as read
        return frame
    ints = [str(f) for f, t in zip(info["fields"], info["dtypes"], strict=True) if str(t).startswith(("int", "uint"))]
    fix = [c for c in ints if c in frame.columns and pd.api.types.is_float_dtype(frame[c].dtype)
           and bool((frame[c].dropna() % 1 == 0).all())]
    if not fix:
        return frame
    out = frame.copy()
    for c in fix:
        out[c] = frame[c].astype("Int64")
    return out


def _read_by_content(gdf: gpd.GeoDataFrame, p: Path, fname: str, layer: str | None, cpg: Path | None,
                     ) -> tuple[gpd.GeoDataFrame, str | None, Problem] | None:
    """A Shapefile without a .cpg, or whose .cpg (``cpg``) names no known encoding, that GDAL read (``gdf``) as
    ISO-8859-1: read again in the encoding its text shows (UTF-8 or GB18030), with SHP-NO-CPG or
    SHP-CPG-UNKNOWN; None when the first reading is right.

    A .cpg naming no known encoding is said whatever the text (SHP-CPG-UNKNOWN): someone wrote it for a reason,
    and it is set aside. Beside text all ASCII, which reads the same in every encoding, the reading is kept
    (said as ASCII, the fix naming UTF-8); without a .cpg such text is read without a word, as nothing is set
    aside and no guess changes it."""
    enc = _shapefile_encoding(gdf, fname)
    if enc is None:
        if cpg is None or not _frame_text(gdf).isascii():
            return None
        said = cpg.read_bytes().decode("ascii", errors="replace").strip()
        return gdf, None, problem("SHP-CPG-UNKNOWN", severity="warning", file=fname, guess="ASCII",
                                  cpg=cpg.name, said=said, name="UTF-8")
    gdf = pyogrio.read_dataframe(gdal_path(p), layer=layer, encoding=enc)
    name = "GBK" if enc == "GB18030" else enc
    if cpg is None:
        return gdf, enc, problem("SHP-NO-CPG", severity="warning", file=fname, guess=enc,
                                 cpg=_sibling_name(p, ".cpg"), name=name)
    said = cpg.read_bytes().decode("ascii", errors="replace").strip()
    return gdf, enc, problem("SHP-CPG-UNKNOWN", severity="warning", file=fname, guess=enc, cpg=cpg.name,
                             said=said, name=name)


def _given_encoding_problem(p: Path, fname: str, layer: str | None, encoding: str) -> Problem | None:
    """The encoding given for a Shapefile (``--encoding`` / ``encoding=``) checked against its .dbf's bytes, which
    GDAL does not do (it drops a character that does not convert, with a warning only): ENC-WRONG naming the
    features whose text does not decode in it; for a Chinese encoding that decodes all of it, ENC-WRONG-TEXT
    when the text it gives is not Chinese but accented Latin read two bytes at a time (``Lòria`` read as GBK is
    ``L騬ia``: rare hanzi inside Latin words, :func:`_hanzi_apart_from_latin`) and another encoding reads it
    (:func:`_shapefile_guess`); else None. An encoding Python does not know is left to the reading.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> g = gpd.GeoDataFrame({"n": ["Encamp", "Sant Julià", "Lòria"]}, geometry=gpd.points_from_xy([0, 1, 2], [0, 0, 0]),
    ...                      crs=4326)
    >>> g.to_file(d / "a.shp", encoding="cp1252")
    >>> q = _given_encoding_problem(d / "a.shp", "a.shp", None, "gbk")
    >>> q.code, q.rows, q.params["guess"]
    ('ENC-WRONG', (2, 3), ['cp1252'])
    >>> g.iloc[[0, 2]].to_file(d / "b.shp", encoding="cp1252")
    >>> q = _given_encoding_problem(d / "b.shp", "b.shp", None, "gbk")
    >>> q.code, q.rows, q.params["as_tried"], q.params["as_guess"]
    ('ENC-WRONG-TEXT', (2,), 'L騬ia', 'Lòria')
    >>> _given_encoding_problem(d / "b.shp", "b.shp", None, "cp1252") is None
    True
    """
    codec = _codec(encoding)
    read = _latin1_frame(p, layer)
    if codec is None or read is None:
        return None
    names = [n.encode("latin-1", errors="replace") for n in read[0]]
    rows = _row_bytes(read)
    cpg = _sibling(p, ".cpg")
    cpg_codec = _codec(cpg.read_bytes().decode("ascii", errors="ignore")) if cpg is not None else None
    data = b"\n".join([*names, *rows])

    def decodes(raw: bytes, c: str) -> bool:
        try:
            raw.decode(c)
        except UnicodeDecodeError:
            return False
        return True

    chinese = codec in _CHINESE_ENCODINGS
    guess = _shapefile_guess(data, codec, cpg_codec)
    odd = [i for i, raw in enumerate(rows, start=1)
           if not decodes(raw, codec) or (chinese and _latin_as_hanzi(raw.decode(codec)))]
    if not all(decodes(raw, codec) for raw in [*names, *rows]):
        return problem("ENC-WRONG", file=fname, rows=odd, tried=encoding, guess=[guess])
    if not chinese or not odd or guess == encoding_option(codec) or not decodes(data, guess) \
            or not _latin_as_hanzi(data.decode(codec)):
        return None
    example = next(w for w in rows[odd[0] - 1].split() if not w.isascii())
    return problem("ENC-WRONG-TEXT", file=fname, rows=odd, tried=encoding, guess=guess,
                   as_tried=example.decode(codec), as_guess=example.decode(guess), cpg=_sibling_name(p, ".cpg"))


def _latin_as_hanzi(text: str) -> bool:
    """Whether ``text`` (bytes decoded in a Chinese encoding) is accented Latin read two bytes at a time: it has
    hanzi, fewer than 80 % of them common (:func:`_common_hanzi_share`) and they sit inside Latin words
    (:func:`_hanzi_apart_from_latin`).

    >>> _latin_as_hanzi("L騬ia"), _latin_as_hanzi("A区1号"), _latin_as_hanzi("张三"), _latin_as_hanzi("Encamp")
    (True, False, False, False)
    """
    return any("\u3400" <= ch <= "\u9fff" for ch in text) and _common_hanzi_share(text) < 0.8 \
        and not _hanzi_apart_from_latin(text)


def _shapefile_guess(data: bytes, given: str, cpg: str | None) -> str:
    """The encoding a Shapefile's text ``data`` (as its .dbf holds it) is in when not ``given`` (Python codec
    names; ``cpg`` its .cpg's, None without one), as ``--encoding`` takes it: UTF-8 when it decodes; GB18030
    when it decodes into Chinese text (common hanzi standing apart from Latin letters); the .cpg's encoding;
    cp1252, which Western Shapefiles have by default; what charset-normalizer says; else GB18030.

    >>> _shapefile_guess("Lòria".encode("cp1252"), "utf-8", None), _shapefile_guess("户主".encode("gbk"), "utf-8", "cp1252")
    ('cp1252', 'gb18030')
    >>> _shapefile_guess("Łódź".encode("cp1250"), "gbk", "cp1250")
    'cp1250'
    """
    def decoded(c: str) -> str | None:
        try:
            return data.decode(c)
        except (UnicodeDecodeError, LookupError):
            return None

    chinese = decoded("gb18030")
    tries = [("utf-8", decoded("utf-8") is not None),
             ("gb18030", chinese is not None and _common_hanzi_share(chinese) >= 0.8
              and _hanzi_apart_from_latin(chinese)),
             *([(cpg, decoded(cpg) is not None)] if cpg else []),
             ("cp1252", decoded("cp1252") is not None)]
    for c, fits in tries:
        if fits and c != given:
            return encoding_option(c)
    best = charset_normalizer.from_bytes(data[:65536]).best()
    return encoding_option(best.encoding) if best is not None else "gb18030"


def _read_failed(exc: Exception, p: Path, fname: str, fmt: str, layer: str | None, encoding: str | None,
                 cpg: Path | None) -> tuple[gpd.GeoDataFrame, str, Problem]:
    """After reading failed with ``exc``: a Shapefile whose text did not decode in the encoding given is ENC-WRONG;
    in the one its .cpg names (``cpg``), it is read as :func:`_read_past_cpg` reads it; else IO-CORRUPT."""
    if fmt == "shapefile" and encoding is not None and _decode_failed(exc):
        raise InputError(problem("ENC-WRONG", file=fname, tried=encoding,
                                 guess=_guess_encoding(_latin1_text(p, layer) or b""))) from exc
    if cpg is None or not _decode_failed(exc):
        raise InputError(problem("IO-CORRUPT", file=fname, why=unreadable(exc, "layers"))) from exc
    return _read_past_cpg(p, fname, layer, cpg)  # a .cpg copied from another layer


def _decode_failed(exc: BaseException) -> bool:
    """Whether reading failed because text did not decode (``UnicodeDecodeError``, raised or as the cause)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, UnicodeDecodeError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _read_past_cpg(p: Path, fname: str, layer: str | None, cpg: Path,
                   ) -> tuple[gpd.GeoDataFrame, str, Problem]:
    """A Shapefile whose .cpg names an encoding its text is not in (a .cpg copied from another layer): its text
    read in the encoding its contents show (UTF-8, else GBK/GB18030, as for a missing .cpg), with the warning
    SHP-CPG-WRONG; SHP-CPG-NOFIT when none fits. Returns (frame, encoding used, warning)."""
    said = cpg.read_bytes().decode("ascii", errors="replace").strip() or "-"
    data = _latin1_text(p, layer)
    if data is None:
        raise InputError(problem("IO-CORRUPT", file=fname, why=unreadable(RuntimeError("not readable as ISO-8859-1"),
                                                                            "layers")))
    said_codec = _codec(said)
    others = ("load.cpg.nofit.gbk" if said_codec == "utf-8" else
              "load.cpg.nofit.utf8" if said_codec in _CHINESE_ENCODINGS else "load.cpg.nofit.both")
    nofit = problem("SHP-CPG-NOFIT", file=fname, cpg=cpg.name, said=said, others=both(others),
                    rows=_undecodable_rows(p, layer, said_codec))
    try:
        _, codec, _ = _decode(data, None, fname)
    except InputError:
        raise InputError(nofit) from None
    enc = "UTF-8" if codec.startswith("utf-8") else "GB18030"
    if _codec(enc) == _codec(said):
        raise InputError(nofit)
    cut = _cut_field_names(p, enc)
    if cut:
        raise InputError(problem("SHP-FIELDNAME", file=fname, fields=list(cut)))
    try:
        gdf = pyogrio.read_dataframe(gdal_path(p), layer=layer, encoding=enc)
    except Exception as exc:  # noqa: BLE001
        raise InputError(nofit) from exc
    return gdf, enc, _cpg_wrong(fname, cpg, enc)


def _latin1_frame(p: Path, layer: str | None) -> tuple[list[str], pd.DataFrame] | None:
    """A Shapefile's field names and text columns, every byte its .dbf holds as one character (read as
    ISO-8859-1); None if unreadable."""
    try:
        raw = pyogrio.read_dataframe(gdal_path(p), layer=layer, encoding="ISO-8859-1", read_geometry=False)
    except Exception:  # noqa: BLE001
        return None
    texts = [c for c in raw.columns if raw[c].dtype == object or pd.api.types.is_string_dtype(raw[c].dtype)]
    return [str(c) for c in raw.columns], raw[texts]


def _latin1_text(p: Path, layer: str | None) -> bytes | None:
    """The text of a Shapefile (field names and text values) as the bytes its .dbf holds; None if unreadable."""
    read = _latin1_frame(p, layer)
    if read is None:
        return None
    names, frame = read
    texts = list(names)
    for c in frame.columns:
        texts.extend(frame[c].dropna().astype(str).tolist())
    return "\n".join(texts).encode("latin-1")


def _row_bytes(read: tuple[list[str], pd.DataFrame] | None) -> list[bytes]:
    """Each feature's text values in a Shapefile read by :func:`_latin1_frame` (as the bytes its .dbf holds),
    joined; [] if it was unreadable."""
    if read is None:
        return []
    frame = read[1]
    return ["\n".join(str(v) for v in row if isinstance(v, str)).encode("latin-1")
            for row in frame.itertuples(index=False)]


def _undecodable_rows(p: Path, layer: str | None, codec: str | None) -> list[int]:
    """The features (1 = the first) whose text does not decode in ``codec`` (a Python codec name; when it is
    None, or every feature decodes in it, those that decode neither as UTF-8 nor as GB18030).

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> g = gpd.GeoDataFrame({"n": ["Encamp", "Sant Julià", "Lòria"]}, geometry=gpd.points_from_xy([0, 1, 2], [0, 0, 0]),
    ...                      crs=4326)
    >>> g.to_file(d / "a.shp", encoding="cp1252")
    >>> _undecodable_rows(d / "a.shp", None, "utf-8"), _undecodable_rows(d / "a.shp", None, None)
    ([2, 3], [2])
    """
    rows = _row_bytes(_latin1_frame(p, layer))

    def fails(raw: bytes, codecs: tuple[str, ...]) -> bool:
        for c in codecs:
            try:
                raw.decode(c)
                return False
            except (UnicodeDecodeError, LookupError):
                continue
        return True

    found = [i for i, raw in enumerate(rows, start=1) if codec is not None and fails(raw, (codec,))]
    return found or [i for i, raw in enumerate(rows, start=1) if fails(raw, ("utf-8", "gb18030"))]


def _cpg_wrong(fname: str, cpg: Path, enc: str) -> Problem:
    """SHP-CPG-WRONG: the .cpg beside ``fname`` names another encoding than ``enc``, in which its text was read."""
    said = cpg.read_bytes().decode("ascii", errors="replace").strip() or "-"
    return problem("SHP-CPG-WRONG", severity="warning", file=fname, cpg=cpg.name, said=said, used=enc,
                   name="GBK" if enc == "GB18030" else enc)


def _cpg_mismatch(shp: Path, cpg: Path) -> str | None:
    """The encoding of a Shapefile's text when its .cpg names another one that decodes it without error, into
    the wrong characters (a .cpg saying GBK beside a UTF-8 .dbf, or a Western code page beside UTF-8 text):
    ``"UTF-8"`` or ``"GB18030"``, judged from the .dbf's bytes as :func:`_mixed_encodings` judges a line; None
    when the .cpg fits the text, or names UTF-8 (a wrong one fails to decode: :func:`_read_past_cpg`).

    A .cpg naming a single-byte Western code page (1252, latin-1, ISO-8859-x, cp125x) is overridden with
    GB18030 only when the hanzi that reading gives stand apart from Latin letters (:func:`_hanzi_apart_from_latin`):
    upper-case accented words read as common hanzi in GB18030 (cp1252 ``ÇÃ`` is 敲, ``ÇÕ`` is 钦), so
    ``CONCEIÇÃO`` would become ``CONCEI敲O``; GBK text under a .cpg copied from a Western layer (``户主`` read as
    ``»§Ö÷``) is whole words of them. Valid UTF-8 with non-ASCII text overrides it too.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> g = gpd.GeoDataFrame({"DLMC": ["河流水面", "坑塘水面"]}, geometry=gpd.points_from_xy([0, 1], [0, 1]), crs=4326)
    >>> g.to_file(d / "a.shp", encoding="utf-8")
    >>> _ = (d / "a.cpg").write_text("GBK")
    >>> _cpg_mismatch(d / "a.shp", d / "a.cpg")
    'UTF-8'
    >>> _ = (d / "a.cpg").write_text("UTF-8")
    >>> _cpg_mismatch(d / "a.shp", d / "a.cpg") is None
    True
    >>> g = gpd.GeoDataFrame({"NAME": ["CONCEIÇÃO", "AÇÕES"]}, geometry=gpd.points_from_xy([0, 1], [0, 1]), crs=4326)
    >>> g.to_file(d / "b.shp", encoding="cp1252")
    >>> _ = (d / "b.cpg").write_text("1252")
    >>> _cpg_mismatch(d / "b.shp", d / "b.cpg") is None
    True
    >>> g = gpd.GeoDataFrame({"户主": ["张三", "李四"]}, geometry=gpd.points_from_xy([0, 1], [0, 1]), crs=4326)
    >>> g.to_file(d / "c.shp", encoding="gbk")
    >>> _ = (d / "c.cpg").write_text("1252")
    >>> _cpg_mismatch(d / "c.shp", d / "c.cpg")
    'GB18030'
    """
    import codecs

    said = _codec(cpg.read_bytes().decode("ascii", errors="ignore"))
    dbf = _sibling(shp, ".dbf")
    if said is None or said == "utf-8" or dbf is None:
        return None
    sample = _dbf_text(dbf)
    if sample is None or sample.isascii():
        return None
    as_said = _common_hanzi_share(sample.decode(said, errors="replace"))
    western = _single_byte_western(said)
    for enc, codec in (("UTF-8", "utf-8"), ("GB18030", "gb18030")):
        if codec == said or (codec == "gb18030" and said in _CHINESE_ENCODINGS):
            continue
        try:
            text = codecs.getincrementaldecoder(codec)().decode(sample, final=False)  # the sample may cut a character
        except UnicodeDecodeError:
            continue
        if _common_hanzi_share(text) >= 0.8 > as_said and (codec != "gb18030" or not western
                                                           or _hanzi_apart_from_latin(text)):
            return enc
    return None


def _hanzi_apart_from_latin(text: str) -> bool:
    """Whether the hanzi of ``text`` (bytes decoded as GBK) stand apart from Latin letters, as in Chinese text:
    at most one in five has a Latin letter right before or after it. Accented Latin words read as GBK have
    each "hanzi" inside a word (``CONCEIÇÃO`` is ``CONCEI敲O``, ``AÇÕES`` ``A钦ES``); Chinese text written as GBK
    and read in a Western code page (``户主`` is ``»§Ö÷`` in cp1252) has whole runs of them.

    >>> _hanzi_apart_from_latin("户主 张三 A栋"), _hanzi_apart_from_latin("CONCEI敲O A钦ES")
    (True, False)
    >>> _hanzi_apart_from_latin("abc")
    False
    """
    hanzi = [i for i, ch in enumerate(text) if "\u3400" <= ch <= "\u9fff"]
    if not hanzi:
        return False
    latin = {i for i, ch in enumerate(text) if ch.isascii() and ch.isalpha()}
    touching = sum(1 for i in hanzi if i - 1 in latin or i + 1 in latin)
    return touching * 5 <= len(hanzi)


def _single_byte_western(codec: str) -> bool:
    """Whether ``codec`` (a Python codec name, as :func:`_codec` gives it) is a single-byte Western code page:
    Windows cp1250–cp1258 or ISO-8859-x (latin-1 is ``iso8859-1``).

    >>> [_single_byte_western(c) for c in ("cp1252", "iso8859-1", "iso8859-15", "cp1250", "gbk", "utf-8")]
    [True, True, True, True, False, False]
    """
    return re.fullmatch(r"cp125\d|iso8859-\d+", codec) is not None


def _dbf_text(dbf: Path, limit: int = 1 << 20) -> bytes | None:
    """The text bytes of a dBASE file: its field names and its first ``limit`` bytes of records, whose fields are
    all text (types C, N, F, D, L, as GDAL writes them); None when a field of another type may hold binary."""
    with open(dbf, "rb") as f:
        head = f.read(32)
        if len(head) < 32:
            return None
        header_len = int.from_bytes(head[8:10], "little")
        desc = f.read(max(0, header_len - 32))
        records = f.read(limit)
    for i in range(0, len(desc) - 31, 32):
        if desc[i] == 0x0D:
            break
        if chr(desc[i + 11]) not in "CNFDL":
            return None
    return b"\n".join([*_dbf_field_names(dbf), records.rstrip(b"\x1a")])


def _sibling_name(p: Path, suffix: str) -> str:
    """The name of the file beside ``p`` with ``suffix`` instead of its own (``DLTB.shp`` → ``DLTB.cpg``).

    >>> _sibling_name(Path("/data/DLTB.shp"), ".cpg")
    'DLTB.cpg'
    """
    return p.with_suffix(suffix).name


def _dbf_field_names(dbf: Path) -> list[bytes]:
    """The raw field names in the header of a dBASE file (each at most 10 bytes)."""
    with open(dbf, "rb") as f:
        head = f.read(32)
        if len(head) < 32:
            return []
        header_len = int.from_bytes(head[8:10], "little")
        desc = f.read(max(0, header_len - 32))
    names = []
    for i in range(0, len(desc) - 31, 32):
        if desc[i] == 0x0D:
            break
        names.append(desc[i:i + 11].split(b"\0", 1)[0])
    return names


def _codec(name: str) -> str | None:
    """Python codec of an encoding name as written in a .cpg file or given by the user; None if unknown.

    GB2312 and GBK (936) are read as GB18030, the standard that contains both: a text valid in either reads the
    same, and the characters GBK writers put beyond GB2312 (塆, 塝 of Chongqing place names) read right instead
    of breaking (GDAL's GB2312 made 李家塆 into 李家G).

    >>> [_codec(n) for n in ("GB2312", "gbk", "936", "CP936", "GB18030", "utf_8", "1252", "nope")]
    ['gb18030', 'gb18030', 'gb18030', 'gb18030', 'gb18030', 'utf-8', 'cp1252', None]
    >>> [_codec(n) for n in ("ANSI 936", "ANSI 1252", "ansi_1251", "ANSI_X3.4-1968", "ANSI 99999")]
    ['gb18030', 'cp1252', 'cp1251', 'ascii', None]
    """
    import codecs

    n = re.sub(r"^ansi[\s-]*(?=\d+$)", "", name.strip().lower().replace("_", "-"))  # ArcGIS writes "ANSI 936"
    n = {"65001": "utf-8", "936": "gbk", "54936": "gb18030", "950": "big5"}.get(n, n)
    if n.isdigit():
        n = "cp" + n
    try:
        codec = codecs.lookup(n).name
    except LookupError:
        return None
    return "gb18030" if codec in ("gb2312", "gbk") else codec


def _gdal_encoding(name: str | None) -> str | None:
    """The spelling of the encoding ``name`` (as given to ``--encoding`` / ``encoding=``) that GDAL's Shapefile
    driver reads: it takes ``ISO-8859-1`` and ``cp1252`` but not ``latin-1``, ``iso-8859-1`` or ``1252``, which
    Python and a .cpg spell them; a name Python does not know is left as given.

    >>> [_gdal_encoding(n) for n in ("latin-1", "iso-8859-1", "1252", "cp1252", "gbk", "utf_8", "nope", None)]
    ['ISO-8859-1', 'ISO-8859-1', 'CP1252', 'CP1252', 'GB18030', 'UTF-8', 'nope', None]
    """
    if name is None:
        return None
    codec = _codec(name)
    if codec is None:
        return name
    if codec.startswith("iso8859-"):
        return "ISO-8859-" + codec.removeprefix("iso8859-")
    return codec.upper()


def _cut_mid_char(raw: bytes, codec: str) -> bool:
    """Whether ``raw`` decodes in ``codec`` except for an incomplete character at its very end."""
    try:
        raw.decode(codec)
        return False
    except UnicodeDecodeError as exc:
        if exc.start < len(raw) - 3 or exc.end < len(raw):
            return False  # broken inside the name: not a truncation
        try:
            raw[:exc.start].decode(codec)
        except UnicodeDecodeError:
            return False
        return True


def _cut_field_names(shp: Path, encoding: str | None) -> list[str]:
    """Field names of a Shapefile's .dbf cut in the middle of a multi-byte character (catalogue #36).

    dBASE field names hold 10 bytes; GDAL and other writers cut longer names at byte 10, which splits
    a Chinese character (3 bytes in UTF-8, 2 in GBK). The encoding is ``encoding``, else the .cpg file,
    else UTF-8 or GB18030, whichever the name is a clean prefix of. Returns the cut names, readable part
    followed by ``…``.

    Examples
    --------
    >>> "户主身份证号码".encode("utf-8")[:10].decode("utf-8", errors="replace")
    '户主身\ufffd'
    >>> _cut_mid_char("户主身份证号码".encode("utf-8")[:10], "utf-8"), _cut_mid_char("户编号".encode(), "utf-8")
    (True, False)
    """
    dbf = _sibling(shp, ".dbf")
    if dbf is None:
        return []
    codec = _codec(encoding) if encoding else None
    cpg = _sibling(shp, ".cpg")
    if codec is None and cpg is not None:
        codec = _codec(cpg.read_bytes().decode("ascii", errors="ignore"))
    out = []
    for raw in _dbf_field_names(dbf):
        if len(raw) < 9 or raw.isascii():
            continue
        codecs_to_try = [codec] if codec else ["utf-8", "gb18030"]
        for c in codecs_to_try:
            if _cut_mid_char(raw, c):
                text = raw.decode(c, errors="ignore")
                out.append(f"{text}…")
                break
            if codec is None and c == "utf-8":
                try:
                    raw.decode("utf-8")
                    break  # a whole UTF-8 name
                except UnicodeDecodeError:
                    continue
    return out


def _frame_text(gdf: gpd.GeoDataFrame) -> str:
    """All the text of a layer as read: its column names and text cells, one a line."""
    texts = [str(c) for c in gdf.columns]
    for c in gdf.columns:
        if c != gdf.geometry.name and (gdf[c].dtype == object or pd.api.types.is_string_dtype(gdf[c].dtype)):
            texts.extend(gdf[c].dropna().astype(str).tolist())
    return "\n".join(texts)


def _shapefile_encoding(gdf: gpd.GeoDataFrame, fname: str) -> str | None:
    """Detect a UTF-8 or GBK .dbf that GDAL read as Latin-1 (no .cpg); None when the read is right.

    Text that is neither (accented Latin, ``Lòria``) is in the encoding :func:`_shapefile_guess` names: cp1252,
    the Western default, where it decodes. It is not ENC-GUESS, whose ``--encoding`` does not reach a layer given
    to ``--roads`` or ``--water``, and whose .cpg of GBK would be wrong: the reading is said as a Chinese one is.
    """
    joined = _frame_text(gdf)
    try:
        raw = joined.encode("latin-1")
    except UnicodeEncodeError:
        return None  # GDAL already decoded non-Latin text (LDID byte or driver default)
    if raw.isascii():
        return None
    try:
        _, enc, _ = _decode(raw, None, fname)
    except InputError as exc:
        if exc.code != "ENC-GUESS":
            raise
        return _gdal_encoding(_shapefile_guess(raw, "utf-8", None))
    return "UTF-8" if enc.startswith("utf-8") else "GB18030"


# ------------------------------------------------------------------------------ households
@dataclass
class _Source:
    """A household file as read, before any checking: attributes, geometries and what is known of them."""

    fname: str
    fmt: str
    parts: list[Path]
    attrs: pd.DataFrame
    geoms: gpd.GeoSeries | None
    file_crs: CRS | None
    layer: str | None
    encoding: str | None
    #: each row's number as the file shows it (a CSV's row in a spreadsheet; a layer's feature number)
    rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    #: the header's row as the file shows it (a CSV or a sheet: :func:`_cells_frame`); None for a layer
    header_row: int | None = None
    #: a workbook's columns none of whose cells is text reading as a number: the numbers there were numbers in the
    #: file (:attr:`~yuanluo.gis.sheets.Sheet.text_numbers`); empty for any other file, whose cells say nothing of it
    numbers: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if len(self.rows) != len(self.attrs):
            self.rows = np.arange(1, len(self.attrs) + 1)

    @property
    def column_list(self) -> list[str]:
        return [str(c) for c in self.attrs.columns]


@dataclass
class _Columns:
    """Which file column holds what: canonical mapping, coordinate columns, the ids read."""

    mapping: dict[str, str]
    coords: tuple[str | None, str | None, str]
    hid_col: str | None
    ids: np.ndarray
    #: the yes/no columns marking candidate heads, and those marking party members (:func:`head_columns`)
    heads: tuple[list[str], list[str]] = ([], [])
    #: file column -> the name it is kept under (a yes/no column named ``settlement``: :func:`_flag_settlement`)
    renamed: dict[str, str] = field(default_factory=dict)
    #: the fid columns left out of the households (:func:`_fid_dropped`)
    fids: list[str] = field(default_factory=list)


def _open_households(p: Path, fname: str, layer: str | None, encoding: str | None,
                     wanted: list[str], problems: list[Problem], *, household: bool = True,
                     keys: Mapping[str, str] | None = None, option: str | None = None) -> _Source:
    """Read the file (CSV as text with its encoding detected; Excel by its cells; vector files through pyogrio);
    ``household``: whether it is the household file, not a table of points read the same way (:func:`_decode`).
    The household table's rows that are totals (:func:`_total_rows`; ``keys``: the id and coordinate columns given
    by option) are left out with ROW-TOTAL at its end and ROW-SUBTOTAL within it (said of households); those of a
    table of points given to ``option`` with POINTS-TOTAL."""
    fmt, parts = _file_checks(p, fname)
    if fmt == "csv":
        df, csv_enc, rows = _read_csv(p, fname, encoding, wanted, household=household)
        if household or option is not None:
            df, rows = _total_rows(df, rows, keys or {}, fname, problems, None if household else option)
        src = _Source(fname, fmt, parts, df, None, None, None, csv_enc, rows, df.attrs.get("header_row"))
    elif fmt == "xlsx":
        def skip(d: pd.DataFrame, r: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
            return _total_rows(d, r, keys or {}, fname, problems, None if household else option)

        df, sheet, rows = _read_xlsx(p, fname, layer, wanted, problems,
                                     skip if household or option is not None else None, household=household)
        typed = frozenset(str(c) for c in df.columns) - set(df.attrs.get("text_numbers", ()))
        src = _Source(fname, fmt, parts, df, None, None, sheet, None, rows, df.attrs.get("header_row"), typed)
    else:
        gdf, used_layer, enc, w = _read_vector(p, fname, fmt, layer, encoding, points=True)
        problems.extend(w)
        if not isinstance(gdf, gpd.GeoDataFrame):  # a layer without geometry: a table, its x/y columns read as a CSV's
            src = _Source(fname, fmt, parts, pd.DataFrame(gdf), None, None, used_layer, enc)
        else:
            # GDAL's "Undefined geographic SRS" of a GeoPackage declaring none: none (CRS-MISSING, --crs)
            file_crs = CRS.from_user_input(gdf.crs) if not crs_unset(gdf.crs) else None
            src = _Source(fname, fmt, parts, pd.DataFrame(gdf.drop(columns=gdf.geometry.name)), gdf.geometry,
                          file_crs, used_layer, enc)
    if len(src.attrs) == 0:
        raise InputError(problem("IO-NOROWS", file=fname))
    src.attrs, found = strip_control_characters(src.attrs, fname, src.rows)
    problems.extend(found)
    return src


def _total_rows(df: pd.DataFrame, rows: np.ndarray, keys: Mapping[str, str], fname: str, problems: list[Problem],
                option: str | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """A table without its rows that are totals (a roster's 合计 row: sums, no household; a 小计 row after each
    group) and without the notes under them, said by warnings in ``problems`` naming the rows, the column and the
    word: ROW-TOTAL for the last rows, ROW-SUBTOTAL for those within the table, ROW-NOTE for the notes; in a table
    of points given to ``option`` (--fixed, --candidates) POINTS-TOTAL and POINTS-NOTE (a district's list of its
    service halls ends in 合计 N 处).

    A total row is one whose first filled cell, the village, group, settlement and town cells left aside (a merge
    may fill them), reads as a total (:func:`_total_cell`: 合计, 小计, Total …, or 1组小计 after a place of the
    table), and that holds no key (:func:`_keyless`): no id (an id cell blank or reading the same) and no
    coordinate (a coordinate cell reading as a number; text such as 共 3 处 is a count, not a coordinate). A row
    with an id or a coordinate is a household or a point, whatever it says.

    A note is a row holding no key whose first filled cell begins with a note word
    (:func:`~yuanluo.gis.columns.note_word`: 其中, 注, 备注, 填表人, 审核人, 制表日期 …), under a total row, under
    another note or among the table's last rows; under a total or a note, a numbered line (2. …); under a note, any
    line of text. A household a clerk appended under the 合计 row (an id or coordinates) is read, and the 合计 above
    it is then said as a row within the table. Before them, the rows printed pages repeat (:func:`_page_rows`,
    ROW-PAGE) and the headings of the table's parts (一、新华村 alone on its row: :meth:`_Rows.headings`,
    ROW-SECTION) are left out. ``keys``: the columns given by option, each to its canonical name (``hid``, ``x`` …).

    >>> df = pd.DataFrame({"序号": ["1", "2", "合计"], "户编号": ["001", "002", ""], "人口": ["3", "4", "=SUM(C2:C3)"],
    ...                    "经度": ["106.5", "106.6", ""]})
    >>> ps: list[Problem] = []
    >>> out, rows = _total_rows(df, np.array([2, 3, 4]), {}, "h.xlsx", ps)
    >>> out["户编号"].tolist(), rows.tolist(), [(p.code, p.rows, p.params["column"], p.params["word"]) for p in ps]
    (['001', '002'], [2, 3], [('ROW-TOTAL', (4,), '序号', '合计')])
    >>> _total_rows(df.assign(经度=["106.5", "106.6", "106.7"]), np.array([2, 3, 4]), {}, "h.xlsx", [])[1].tolist()
    [2, 3, 4]
    >>> _total_rows(df.assign(经度=["106.5", "106.6", "共 2 户"]), np.array([2, 3, 4]), {}, "h.xlsx", [])[1].tolist()
    [2, 3]
    >>> sub = pd.DataFrame({"户主": ["张三", "1组小计", "张小计", "小计"], "户编号": ["1", "", "3", ""],
    ...                     "组": ["1组", "1组", "2组", "2组"], "经度": ["106.5", "", "106.6", ""]})
    >>> ps = []
    >>> _total_rows(sub, np.arange(2, 6), {}, "h.xlsx", ps)[1].tolist(), [(p.code, p.rows, p.params["word"]) for p in ps]
    ([2, 4], [('ROW-SUBTOTAL', (3,), '1组小计'), ('ROW-TOTAL', (5,), '小计')])
    >>> notes = pd.concat([df, pd.DataFrame({"序号": ["其中：党员户 1 户", "填表人：张三 13812345678"]})]).fillna("")
    >>> ps = []
    >>> _total_rows(notes, np.arange(2, 7), {}, "h.xlsx", ps)[1].tolist(), [(p.code, p.rows) for p in ps]
    ([2, 3], [('ROW-TOTAL', (4,)), ('ROW-NOTE', (5, 6))])
    >>> ps[1].params["words"]["zh"]
    '“其中”、“填表人”'
    """
    if df.empty:
        return df, rows
    df, rows = _page_rows(df, rows, fname, problems)
    names = [str(c) for c in df.columns]
    id_cols = [j for j, c in enumerate(names) if canonical_of(c) == "hid" or keys.get(c) == "hid"]
    added = _added_levels(names, keys)
    if added:  # a column for each level the table lacks, blank: kept where headings fill it (ROW-SECTION-COLUMN)
        df = _with_blank(df, added.values())
    while True:
        names = [str(c) for c in df.columns]
        xy_cols = [j for j, c in enumerate(names)  # a column of pairs (经纬度) too: its cells are coordinates
                   if j not in id_cols and (canonical_of(c) in COORD_COLUMNS or c in keys or pair_column([c]))]
        levels = {lv: next(j for j, c in enumerate(names) if keys.get(c, canonical_of(c)) == lv) for lv in _LEVELS
                  if any(keys.get(c, canonical_of(c)) == lv for c in names)}  # each level's first column
        place_cols = [j for j, c in enumerate(names) if canonical_of(c) in _LEVELS or keys.get(c) in _LEVELS
                      or c in town_columns([c])]
        xy_cols = [j for j in xy_cols if j not in place_cols]
        cells = df.astype(object).where(df.notna(), "").astype(str)
        table = _Rows(cells.to_numpy(dtype=object), place_cols, id_cols, xy_cols)
        sections = _Sections(cells, names, levels, frozenset(added))
        headings = table.headings(_places(cells, [names[j] for j in place_cols]) if place_cols else frozenset(),
                                  cells, sections)
        keyed = table.keyed() if headings else None
        unused = [lv for lv in added if keyed is None or not sections.filled(df, headings, keyed)[lv]]
        if not unused:
            break
        # an added column no heading fills over a household: left out, and the table read as without it
        df = df.drop(columns=[added.pop(lv) for lv in unused])
        df.attrs = dict(df.attrs)
    if headings:
        problems.append(problem("ROW-SECTION", severity="warning", file=fname, rows=rows[sorted(headings)],
                                words=_note_words([headings[i] for i in sorted(headings)])))
        df = sections.fill(df, rows, headings, fname, problems, table.keyed() if keyed is None else keyed)
        keep = np.ones(len(df), dtype=bool)
        keep[list(headings)] = False
        df, rows = df.iloc[np.flatnonzero(keep)], rows[keep]
        cells = df.astype(object).where(df.notna(), "").astype(str)
        table = _Rows(cells.to_numpy(dtype=object), place_cols, id_cols, xy_cols)
    found: dict[int, tuple[str, str]] = {}  # position → (column, word)
    kept: dict[int, tuple[str, str]] = {}  # a total's word with coordinates: read as a household, said
    # rows with a cell holding 计, total or sum somewhere (the rest are read without a look)
    hint = np.zeros(len(df), dtype=bool)
    for j in range(len(names)):
        if j not in place_cols:
            hint |= cells.iloc[:, j].str.contains(r"计|計|total|sum", case=False, regex=True).to_numpy(dtype=bool)
    if hint.any():
        places = _places(cells, [names[j] for j in place_cols])
        for i in np.flatnonzero(hint).tolist():
            first, row = table.first(i)
            if first is not None and _total_cell(row[first], places) and table.keyless(row, first):
                found[i] = (names[first], row[first])
            elif first is not None and _total_cell(row[first], places) and table.keyless(row, first, coords=False):
                kept[i] = (names[first], row[first])
    if kept:  # 合计 with coordinates: a household (a total has none), but which one a planner must see
        at = sorted(kept)
        said = problem("ROW-TOTAL-COORDS", severity="warning", file=fname, rows=rows[at],
                       which=_total_words([(int(rows[i]), *kept[i]) for i in at]))
        problems.append(replace(said, variant="points") if option is not None else said)
    notes = table.notes(found)
    if not found and not notes:
        return df, rows
    _say_skipped(found, notes, rows, fname, problems, option)
    keep = np.ones(len(df), dtype=bool)
    keep[list(found)] = False
    keep[list(notes)] = False
    out = df.iloc[np.flatnonzero(keep)].copy()
    out.attrs = dict(df.attrs)
    return out, rows[keep]


#: a page number a printed table carries at its foot (第 1 页，共 2 页; 共 3 页 第 2 页; Page 1 of 2; - 2 -), read with
#: spaces removed (NFKC, lower case)
PAGE_LINE = re.compile(r"第\d+页(?:[,、/]?共\d+页)?|共\d+页[,、]?第\d+页|page\d+(?:of\d+)?|-\d+-")


def _page_rows(df: pd.DataFrame, rows: np.ndarray, fname: str, problems: list[Problem]
               ) -> tuple[pd.DataFrame, np.ndarray]:
    """A table without the rows its printed pages repeat, said by the warning ROW-PAGE naming them: the header
    repeated at the top of a page (every filled cell, two at least, the name of its column in the header's rows or
    a column name the reader knows, one at least its own column's), the title line right above such a header (one
    text filled in, merged or not, neither a total nor a note), and a page number line (第 1 页，共 2 页, Page 1 of 2)
    alone on its row. A clerk's roster pasted together from its printed pages has them; none is a household or a
    point. ``df.attrs["header_names"]``: each column's names (:func:`_cells_frame`), else the column names.

    >>> df = pd.DataFrame({"户编号": ["H1", "户编号", "H2", "第 1 页，共 1 页"], "经度": ["106.5", "经度", "106.6", ""]})
    >>> ps: list[Problem] = []
    >>> out, kept = _page_rows(df, np.arange(2, 6), "h.csv", ps)
    >>> out["户编号"].tolist(), [(p.code, p.rows) for p in ps]
    (['H1', 'H2'], [('ROW-PAGE', (3, 5))])
    """
    heads = df.attrs.get("header_names") or [[str(c)] for c in df.columns]
    if len(heads) != len(df.columns):
        return df, rows
    cells = df.astype(object).where(df.notna(), "").astype(str).apply(lambda c: c.str.strip())
    own = np.zeros(len(df), dtype=np.int64)
    for j, c in enumerate(df.columns):
        own += cells[c].isin(heads[j]).to_numpy(dtype=np.int64)
    filled = (cells != "").sum(axis=1).to_numpy()
    arr = cells.to_numpy(dtype=object)
    page = set()
    for i in np.flatnonzero((own >= 1) & (filled >= 2)).tolist():
        if all(not v or v in heads[j] or known_column(v) for j, v in enumerate(arr[i])):
            page.add(i)
            above = {v for v in arr[i - 1] if v} if i > 0 else set()
            if len(above) == 1:
                title = next(iter(above))
                if not (is_total_word(title) or note_word(title) or _reads_number(title) or i - 1 in page):
                    page.add(i - 1)
    spaced = cells.apply(lambda c: c.str.contains("页|page", case=False, regex=True)).to_numpy().any(axis=1)
    for i in np.flatnonzero(spaced).tolist():
        said = {v for v in arr[i] if v}
        if len(said) == 1 and PAGE_LINE.fullmatch(re.sub(r"\s+", "", normalize_text(next(iter(said)))).lower()
                                                  .replace("，", ",")):
            page.add(i)
    if not page:
        return df, rows
    at = sorted(page)
    problems.append(problem("ROW-PAGE", severity="warning", file=fname, rows=rows[at]))
    keep = np.ones(len(df), dtype=bool)
    keep[at] = False
    out = df.iloc[np.flatnonzero(keep)].copy()
    out.attrs = dict(df.attrs)
    return out, rows[keep]


def _say_skipped(found: Mapping[int, tuple[str, str]], notes: Mapping[int, str | None], rows: np.ndarray, fname: str,
                 problems: list[Problem], option: str | None) -> None:
    """The warnings of :func:`_total_rows` for the totals ``found`` (position → column, word) and the ``notes``
    (position → word) at positions of ``rows``."""
    n = len(rows)
    while n - 1 in found or n - 1 in notes:
        n -= 1
    end = [i for i in sorted(found) if i >= n]
    within = sorted(i for i in found if i < n)
    said = _note_words([w for _, w in sorted(notes.items()) if w is not None])
    if option is not None:  # a table of points: never a household
        at = sorted(found)
        if at:
            problems.append(problem("POINTS-TOTAL", severity="warning", file=fname, option=option, rows=rows[at],
                                    which=_total_words([(int(rows[i]), *found[i]) for i in at])))
        if notes:
            problems.append(problem("POINTS-NOTE", severity="warning", file=fname, option=option,
                                    rows=rows[sorted(notes)], words=said))
        return
    if within:
        problems.append(problem("ROW-SUBTOTAL", severity="warning", file=fname, rows=rows[within],
                                column=found[within[0]][0], word=found[within[0]][1]))
    if end:
        problems.append(problem("ROW-TOTAL", severity="warning", file=fname, rows=rows[end], column=found[end[0]][0],
                                word=found[end[0]][1], which=_total_words([(int(rows[i]), *found[i]) for i in end])))
    if notes:
        problems.append(problem("ROW-NOTE", severity="warning", file=fname, rows=rows[sorted(notes)], words=said))


@dataclass
class _Rows:
    """A table's cells as text (``cells``, rows by columns) and which columns hold places, ids and coordinates,
    for :func:`_total_rows`."""

    cells: np.ndarray
    place_cols: Sequence[int]
    id_cols: Sequence[int]
    xy_cols: Sequence[int]

    def first(self, i: int, note: bool = False) -> tuple[int | None, list[str]]:
        """Row ``i``'s cells stripped and its first filled cell but the places' (a merge may fill them); for a
        note, else the first place's (审核人 typed under 组)."""
        row = [v.strip() for v in self.cells[i]]
        first = next((j for j, v in enumerate(row) if v and j not in self.place_cols), None)
        if first is None and note:
            first = next((j for j, v in enumerate(row) if v), None)
        return first, row

    def keyless(self, row: Sequence[str], first: int, coords: bool = True) -> bool:
        """Whether a row (``first``, its first filled cell) holds no key of a household or a point: its id cells
        blank, a total word or reading as its first cell, and (``coords``) no coordinate cell reading as a number
        or, in a column of pairs (经纬度), as a pair."""
        if any(row[j] and row[j] != row[first] and not is_total_word(row[j]) for j in self.id_cols):
            return False
        return not coords or not any(_reads_number(row[j]) or _reads_pair(row[j]) for j in self.xy_cols)

    def note_at(self, i: int, above: str | None, found: Mapping[int, object]) -> tuple[bool, str | None]:
        """Whether row ``i`` is a note under a row that is ``above`` ("total", "note" or None), and its word."""
        first, row = self.first(i, note=True)
        if first is None or i in found or not self.keyless(row, first):
            return False, None
        word = note_word(row[first])
        if word is not None:
            return True, word
        line = NOTE_LINE.match(row[first])
        if line is not None and above is not None:  # 2. …: said by its number only right under a total
            return True, line.group(0).strip() if above == "total" else None
        return above == "note" and not _reads_number(row[first]), None

    def notes(self, found: Mapping[int, object]) -> dict[int, str | None]:
        """The notes (position → the word said; None for a line going on from a note) under the rows ``found``
        (totals), under one another and among the table's last :data:`MAX_NOTE_ROWS` rows."""
        notes: dict[int, str | None] = {i: w for i, w in self.lone_notes(pd.DataFrame(self.cells).astype(str)).items()
                                        if i not in found}
        n = len(self.cells)
        above: str | None
        for t in sorted(found):
            i, above = t + 1, "total"
            while i < n and i not in found and i not in notes:
                ok, word = self.note_at(i, above, found)
                if not ok:
                    break
                notes[i], above, i = word, "note", i + 1
        # notes ending the table with no total above them: from the first of its last rows that are all keyless text
        start = n
        while start > max(0, n - MAX_NOTE_ROWS) and (start - 1 in found or start - 1 in notes
                                                      or self._keyless_text(start - 1)):
            start -= 1
        above = "total" if start - 1 in found else None
        for i in range(start, n):
            if i in found or i in notes:
                above = "total" if i in found else "note"
                continue
            ok, word = self.note_at(i, above, found)
            if not ok:
                break
            notes[i], above = word, "note"
        return notes

    def headings(self, places: frozenset[str], cells: pd.DataFrame, sections: _Sections | None = None
                 ) -> dict[int, str]:
        """The rows heading a part of the table (position → the heading): one text alone on its row, merged or not
        (``cells``: the table's cells as text), no key, naming a village, group or settlement of the table
        (``places``, :func:`_places`) after a numbering (一、新华村, （二）红旗村, 3组：), compared as
        :func:`variant_form` compares them (一组, 1组); or, where the table has a village or group column
        (``sections``), naming one by its ending (一、新华村 over rows whose 村 is blank: :meth:`_Sections.named`)."""
        if (not places and (sections is None or not sections.levels)) or cells.empty:
            return {}
        forms = {variant_form(p) for p in places}
        out: dict[int, str] = {}
        for i, cell, row in _alone(cells):
            if not self.keyless(row, row.index(cell)) or _reads_number(cell) or is_total_word(cell) or note_word(cell):
                continue
            name = re.sub(r"\s+", "", normalize_text(cell))
            line = NOTE_LINE.match(name)
            name = name[line.end():] if line else name
            name = name.rstrip(":")
            if name and (name in places or variant_form(name) in forms or (sections is not None
                                                                           and sections.named(name))):
                out[i] = cell
        return out

    def keyed(self) -> np.ndarray:
        """Which rows hold a key of a household or a point (an id, or a coordinate reading as a number)."""
        out = np.zeros(len(self.cells), dtype=bool)
        for i in range(len(self.cells)):
            first, row = self.first(i, note=True)
            out[i] = first is not None and (not self.keyless(row, first) or any(
                row[j] and not is_total_word(row[j]) and not note_word(row[j]) for j in self.id_cols))
        return out

    def lone_notes(self, cells: pd.DataFrame) -> dict[int, str | None]:
        """The notes standing alone within the table (position → the word said; None for a numbered line going
        on from one): one text alone on its row, merged or not (``cells``: the table's cells as text), no key,
        beginning with a note word (注：…, 备注：…, 说明：) or, right under such a note, a numbered line (1. …).
        No total need be above them: a clerk's remark between households is no household.

        >>> c = pd.DataFrame({"户编号": ["H1", "注：以下为新迁入户", "H2", "说明：", "1. 坐标为 CGCS2000", "H3"],
        ...                   "经度": ["106.5", "", "106.6", "", "", "106.7"]})
        >>> _Rows(c.to_numpy(dtype=object), [], [0], [1]).lone_notes(c)
        {1: '注', 3: '说明', 4: None}
        """
        out: dict[int, str | None] = {}
        for i, cell, row in _alone(cells):
            if not self.keyless(row, row.index(cell)):
                continue
            word = note_word(cell)
            if word is not None:
                out[i] = word
            elif i - 1 in out and NOTE_LINE.match(cell) and not _reads_number(cell):
                out[i] = None
        return out

    def _keyless_text(self, i: int) -> bool:
        first, row = self.first(i, note=True)
        return first is not None and self.keyless(row, first) and not _reads_number(row[first])


#: the places a heading of a part of the table may name, from the largest: village, group, settlement
_LEVELS = ("village", "group", "settlement")
#: the endings naming a village (村, 社区, 居委会) and a group (组, 村民小组, 社, 队) in a heading whose name the
#: table's cells do not hold (the column blank under it)
_ENDINGS = {"village": re.compile(r".+(?:村|社区|居委会|村委会)"), "group": re.compile(r".+(?:组|社|队)")}
#: headings ending as a group or village does that name an organisation, not a place (三、专业合作社, 二、工作组)
_NOT_PLACE = re.compile(r".*(?:合作社|联社|信用社|供销社|工作组|领导小组|工作队|服务队|突击队|志愿队)")
#: a heading naming a village and its group at once (新华村1组, 红旗村第二组)
_VILLAGE_GROUP = re.compile(r"(.+?(?:村|社区))(.+?(?:组|社|队))")


class _Sections:
    """What the headings of a table's parts (一、新华村, （二）三组) name, and the blank village, group and
    settlement cells under them filled from them (:meth:`fill`). ``cells``: the table's cells as text;
    ``levels``: each level of :data:`_LEVELS` the table has a column for → that column's position; ``added``: the
    levels whose column the file lacks, added blank (:func:`_added_levels`), filled from the headings alone and
    said by ROW-SECTION-COLUMN."""

    def __init__(self, cells: pd.DataFrame, names: Sequence[str], levels: Mapping[str, int],
                 added: frozenset[str] = frozenset()) -> None:
        self.names, self.levels, self.added = list(names), dict(levels), added
        self.spellings: dict[str, dict[tuple[str, str], str]] = {}  # level → (form, kind) → the table's spelling
        for lv, j in self.levels.items():
            said = cells.iloc[:, j].str.replace(r"\s+", "", regex=True).str.normalize("NFKC")
            counts = said[said != ""].value_counts(sort=False)
            best: dict[tuple[str, str], tuple[int, str]] = {}
            for v, k in counts.items():
                key = (variant_form(str(v)), variant_kind(str(v)))
                if key not in best or k > best[key][0]:
                    best[key] = (int(k), str(v))
            self.spellings[lv] = {key: v for key, (_k, v) in best.items()}

    def _spelt(self, lv: str, name: str) -> str | None:
        """The table's spelling of ``name`` in the column of level ``lv`` (the same name by :func:`variant_form`,
        of one :func:`variant_kind` or bare; the most written where several), or None."""
        table = self.spellings.get(lv, {})
        form, kind = variant_form(name), variant_kind(name)
        for k in ([kind] if kind else []) + [""] + sorted({k for f, k in table if f == form} - {"", kind}):
            if (form, k) in table and (not kind or not k or k == kind):
                return table[(form, k)]
        return None

    def named(self, name: str) -> dict[str, str]:
        """The places (level → the name as the table spells it, else as the heading does) a heading's name (its
        numbering and colon taken off, spaces removed) names: a place of a column, a village and its group
        (新华村1组), else a village or group by its ending where the table has that column.

        >>> s = _Sections(pd.DataFrame({"村": ["新华村", ""], "组": ["1组", ""]}), ["村", "组"],
        ...               {"village": 0, "group": 1})
        >>> [s.named(n) for n in ["新华村", "一组", "红旗村", "红旗村二组", "张三", "新华村合计"]]
        [{'village': '新华村'}, {'group': '1组'}, {'village': '红旗村'}, {'village': '红旗村', 'group': '二组'}, {}, {}]

        An organisation is no place, though it ends as a group does: a named group is.

        >>> [s.named(n) for n in ["专业合作社", "驻村工作组", "大湾社", "石板组"]]
        [{}, {}, {'group': '大湾社'}, {'group': '石板组'}]
        """
        if is_total_word(name) or note_word(name):
            return {}
        for lv in self.levels:
            got = self._spelt(lv, name)
            if got is not None:
                return {lv: got}
        both_ = None if _NOT_PLACE.fullmatch(name) else _VILLAGE_GROUP.fullmatch(name)
        if both_ and "village" in self.levels and "group" in self.levels:
            v, g = both_.group(1), both_.group(2)
            if not any(w in name for w in _TOTAL_ENDINGS):
                return {"village": self._spelt("village", v) or v, "group": self._spelt("group", g) or g}
        for lv in ("village", "group"):
            if lv in self.levels and _ENDINGS[lv].fullmatch(name) and not _NOT_PLACE.fullmatch(name) \
                    and not any(name.endswith(w) for w in _TOTAL_ENDINGS):
                return {lv: name}
        return {}

    def fill(self, df: pd.DataFrame, rows: np.ndarray, headings: Mapping[int, str], fname: str,
             problems: list[Problem], keyed: np.ndarray) -> pd.DataFrame:
        """``df`` with each blank village, group and settlement cell under a heading naming one filled with the
        heading's (a village's heading starts its groups and settlements afresh), said by the warning
        ROW-SECTION-FILLED per column; a filled cell naming another place than its heading is kept, said by
        ROW-SECTION-DIFFERS. ``headings``: position → the heading as written (:meth:`_Rows.headings`); ``keyed``:
        which rows hold a household's id or coordinates (:meth:`_Rows.keyed`), the only ones filled: a total, a
        note or a blank row is no household."""
        if not self.levels:
            return df
        filled, differ = self._under(df, headings, keyed)
        if not any(filled.values()) and not any(differ.values()):
            return df
        out = df.copy()
        out.attrs = dict(df.attrs)
        for lv, j in self.levels.items():
            col = self.names[j]
            if filled[lv]:
                pos = sorted(filled[lv])
                raw = out.iloc[:, j]
                # the cell as the table holds that name (a number 1 where the column's groups are numbers)
                held = dict(zip(raw.astype(object).where(raw.notna(), "").astype(str).str.strip(), raw, strict=True))
                column = raw.astype(object).to_numpy(copy=True)
                for i in pos:
                    column[i] = held.get(filled[lv][i][1], filled[lv][i][1])
                out.isetitem(j, pd.Series(column, index=out.index, dtype=object))
                which = _section_pairs([filled[lv][i] for i in pos])
                if lv in self.added:
                    problems.append(problem("ROW-SECTION-COLUMN", severity="warning", file=fname, rows=rows[pos],
                                            column=col, which=which,
                                            level={lg: text(f"load.section_level.{lv}", lg) for lg in LANGS}))
                else:
                    problems.append(problem("ROW-SECTION-FILLED", severity="warning", file=fname, rows=rows[pos],
                                            column=col, which=which))
            if differ[lv]:
                pos = sorted(differ[lv])
                problems.append(problem("ROW-SECTION-DIFFERS", severity="warning", file=fname, rows=rows[pos],
                                        column=col, which=_section_pairs([differ[lv][i] for i in pos],
                                                             "load.section_differs.one")))
        return out

    def filled(self, df: pd.DataFrame, headings: Mapping[int, str], keyed: np.ndarray) -> dict[str, bool]:
        """Per level, whether a heading's name fills a blank cell of a household under it (:meth:`fill`)."""
        return {lv: bool(rows) for lv, rows in self._under(df, headings, keyed)[0].items()}

    def _under(self, df: pd.DataFrame, headings: Mapping[int, str], keyed: np.ndarray
               ) -> tuple[dict[str, dict[int, tuple[str, str]]], dict[str, dict[int, tuple[str, str]]]]:
        """Per level, the rows (position → the heading, the name) whose blank cell takes a heading's name, and
        those (position → the heading, the cell) whose cell names another place, for :meth:`fill`."""
        order = list(_LEVELS)
        filled: dict[str, dict[int, tuple[str, str]]] = {lv: {} for lv in self.levels}
        differ: dict[str, dict[int, tuple[str, str]]] = {lv: {} for lv in self.levels}
        now: dict[str, tuple[str, str]] = {}  # level → (the heading over the rows now, its name)
        arr = df.astype(object).where(df.notna(), "").astype(str).to_numpy(dtype=object)
        for i in np.flatnonzero(keyed | np.isin(np.arange(len(df)), list(headings))).tolist():
            if i in headings:
                name = re.sub(r"\s+", "", normalize_text(headings[i]))
                line = NOTE_LINE.match(name)
                for lv, v in self.named((name[line.end():] if line else name).rstrip(":")).items():
                    now = {k: w for k, w in now.items() if order.index(k) < order.index(lv)} | {lv: (headings[i], v)}
                continue
            for lv, (head, v) in now.items():
                cell = str(arr[i, self.levels[lv]]).strip()
                if not cell:
                    filled[lv][i] = (head, v)
                elif not _same_place(cell, v):
                    differ[lv][i] = (head, cell)
        return filled, differ


#: the names of a column added for a level the table has no column for (:func:`_added_levels`), the first the
#: table does not hold: the reader's own names for a village's and a group's column
_ADDED_NAMES = {"village": ("村", "行政村", "村名"), "group": ("组", "村民小组", "小组")}


def _added_levels(names: Sequence[str], keys: Mapping[str, str]) -> dict[str, str]:
    """Per level (village, group) the table has no column for, by name or by option (``keys``: column → level), the
    name of a blank column to add for it (:data:`_ADDED_NAMES`), which the headings over the households may fill
    (:class:`_Sections`): a clerk's table written in parts under 一、新华村 with no 村 column. None for a level
    given by option (--village-col names a column the file lacks: said as such).

    >>> _added_levels(["户编号", "组", "经度"], {}), _added_levels(["户编号", "村"], {"村": "group"})
    ({'village': '村'}, {'village': '行政村'})
    """
    have = {keys.get(c, canonical_of(c)) for c in names} | set(keys.values())
    taken = {normalize_name(c) for c in names}
    out: dict[str, str] = {}
    for lv, options in _ADDED_NAMES.items():
        name = next((n for n in options if normalize_name(n) not in taken), None)
        if lv not in have and name is not None:
            out[lv] = name
    return out


def _with_blank(df: pd.DataFrame, names: Iterable[str]) -> pd.DataFrame:
    """``df`` with a blank text column of each of ``names`` at its end (its other columns where they were, as its
    attributes, e.g. ``cells_at``, number them)."""
    out = df.assign(**{n: pd.Series("", index=df.index, dtype=object) for n in names})
    out.attrs = dict(df.attrs)
    return out


def _same_place(a: str, b: str) -> bool:
    """Whether two spellings name one place (:func:`variant_form`; of one :func:`variant_kind`, or one bare).

    >>> [_same_place(*p) for p in [("1组", "一组"), ("新华", "新华村"), ("新华村", "新华社区"), ("新华村", "红旗村")]]
    [True, True, False, False]
    """
    a, b = re.sub(r"\s+", "", normalize_text(a)), re.sub(r"\s+", "", normalize_text(b))
    ka, kb = variant_kind(a), variant_kind(b)
    return variant_form(a) == variant_form(b) and (not ka or not kb or ka == kb)


def _section_pairs(pairs: Sequence[tuple[str, str]], key: str = "load.section_fill.one") -> dict[str, str]:
    """Per language, (heading, name) pairs said by the catalogue's ``key`` — the names filled from the headings
    (``load.section_fill.one``, ROW-SECTION-FILLED) or the cells naming another place than their heading
    (``load.section_differs.one``, ROW-SECTION-DIFFERS) — each once, at most :data:`MAX_TOTAL_WORDS`.

    >>> _section_pairs([("一、新华村", "新华村"), ("一、新华村", "新华村"), ("二、红旗村", "红旗村")])["zh"]
    '“一、新华村”下填“新华村”，“二、红旗村”下填“红旗村”'
    >>> _section_pairs([("一、新华村", "红旗村"), ("一、新华村", "红旗村")], "load.section_differs.one")["zh"]
    '“一、新华村”下填的是“红旗村”'
    """
    said = list(dict.fromkeys(pairs))
    more = len(said) > MAX_TOTAL_WORDS
    return {lg: text("load.section_fill.sep", lg).join(text(key, lg, heading=h, name=v, cell=v)
                                                       for h, v in said[:MAX_TOTAL_WORDS])
            + (text("load.note_words.more", lg) if more else "") for lg in LANGS}


def _alone(cells: pd.DataFrame) -> Iterator[tuple[int, str, list[str]]]:
    """The rows of ``cells`` (a table's cells as text) holding one text alone, merged over several cells or not:
    each row's position, that text and the row's cells, stripped."""
    arr = cells.apply(lambda c: c.str.strip()).to_numpy(dtype=object)
    if arr.size == 0:
        return
    blank = arr == ""
    first = arr[np.arange(len(arr)), np.argmax(~blank, axis=1)]  # each row's first filled cell
    alone = ((arr == first[:, None]) | blank).all(axis=1) & ~blank.all(axis=1)
    for i in np.flatnonzero(alone).tolist():
        yield i, str(first[i]), [str(v) for v in arr[i]]


def _reads_pair(cell: str) -> bool:
    """Whether a cell reads as a coordinate pair (106.5,29.5; :func:`~yuanluo.gis.columns.parse_pair`).

    >>> [_reads_pair(c) for c in ["106.5,29.5", "106.5，29.5", "106.5", "合计", ""]]
    [True, True, False, False, False]
    """
    if not any(ch.isdigit() for ch in cell):
        return False
    x, _, bad = parse_pair(pd.Series([cell]))
    return not bool(bad.iloc[0]) and bool(x.notna().iloc[0])


def _reads_number(cell: str) -> bool:
    """Whether a cell reads as a number, a coordinate's (106.5, 106°30′, 3; not 共 3 处, =COUNTA(B3:B5)).

    >>> [_reads_number(c) for c in ["106.5", "106°30′", "3", "共 3 处", "3 处", "=COUNTA(B3:B5)", "合计", ""]]
    [True, True, True, False, False, False, False, False]
    """
    text = normalize_text(cell)
    if not any(ch.isdigit() for ch in text):
        return False
    if _DECIMAL_CELL.fullmatch(text):
        return True
    return bool(parse_coordinate(pd.Series([cell]))[0].notna().iloc[0])


_DECIMAL_CELL = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)")


def _note_words(words: Sequence[str]) -> dict[str, str]:
    """Per language, the words the notes begin with (ROW-NOTE), or the headings (ROW-SECTION), each once, at most
    :data:`MAX_TOTAL_WORDS`.

    >>> _note_words(["其中", "注", "其中"])["en"]
    '“其中”, “注”'
    """
    said = list(dict.fromkeys(words))
    more = len(said) > MAX_TOTAL_WORDS
    return {lg: text("load.note_words.sep", lg).join(f"“{w}”" for w in said[:MAX_TOTAL_WORDS])
            + (text("load.note_words.more", lg) if more else "") for lg in LANGS}


#: how many of a table's last rows are looked at for notes ending it with no total above (填表人, 审核人, 日期 …)
MAX_NOTE_ROWS = 50

#: how many of the total rows' words ROW-TOTAL names, one each (a table ends in a few: 合计, 其中…, 总计)
MAX_TOTAL_WORDS = 5


def _total_words(found: Sequence[tuple[int, str, str]]) -> dict[str, str]:
    """Per language, what the total rows at a table's end read (row, column, word): the column and word alone where
    every row reads the same, else each row's (at most :data:`MAX_TOTAL_WORDS`), so that a second row (总计 under
    合计, in another column) is named as well as the first.

    >>> _total_words([(6, "序号", "合计"), (7, "序号", "合计")])["zh"]
    '列“序号”为“合计”'
    >>> w = _total_words([(6, "序号", "合计"), (7, "户主姓名", "总计")])
    >>> w["zh"]
    '其中第 6 行的“序号”为“合计”，第 7 行的“户主姓名”为“总计”'
    >>> w["en"]
    'row 6 reads “合计” in column “序号”, row 7 reads “总计” in column “户主姓名”'
    """
    said = {(c, w) for _, c, w in found}
    if len(said) == 1:
        return both("load.total_which.one", column=found[0][1], word=found[0][2])
    items = {lg: [text("load.total_which.row", lg, row=r, column=c, word=w) for r, c, w in found[:MAX_TOTAL_WORDS]]
             for lg in LANGS}
    more = len(found) - MAX_TOTAL_WORDS
    return {lg: text("load.total_which.some", lg, items=text("load.total_which.sep", lg).join(items[lg]))
            + (text("load.total_which.more", lg, n=more) if more > 0 else "") for lg in LANGS}


#: the words a total row's cell may end in after a place of the table (1组小计, 新华村合计)
_TOTAL_ENDINGS = ("小计", "合计", "总计", "共计", "小計", "合計", "總計")


def _places(cells: pd.DataFrame, columns: Sequence[str]) -> frozenset[str]:
    """The places a roster's cells name in ``columns`` (village, group, settlement, town), spaces left out, and
    each village's name followed by its groups' (新华村1组), for :func:`_total_cell`."""
    out: set[str] = set()
    norm = [cells[c].str.replace(r"\s+", "", regex=True).str.normalize("NFKC") for c in dict.fromkeys(columns)]
    for s in norm:
        out.update(s.unique().tolist())
    for a, b in itertools.combinations(norm, 2):
        out.update((a + b).unique().tolist())
    out.discard("")
    return frozenset(out)


def _total_cell(cell: str, places: frozenset[str]) -> bool:
    """Whether a cell reads as a total: a total word (:func:`~yuanluo.gis.columns.is_total_word`: 合计, 小计,
    Total …), or one of them after a place of the table (``places``: 1组小计, 新华村 合计：); 张小计 does not.

    >>> [_total_cell(c, frozenset({"1组", "新华村"})) for c in ["小计", "1组 小计：", "新华村合计", "张小计", "3组小计"]]
    [True, True, True, False, False]
    """
    if is_total_word(cell):
        return True
    text = re.sub(r"\s+", "", normalize_text(cell)).rstrip(":")
    return any(text.endswith(w) and text[:-len(w)] in places for w in _TOTAL_ENDINGS)


_CONTROL = INVISIBLE.pattern  # C0 controls and bidirectional marks (yuanluo.gis.columns.INVISIBLE)


def strip_control_characters(df: pd.DataFrame, file: str | None, rows: np.ndarray | None = None
                             ) -> tuple[pd.DataFrame, list[Problem]]:
    """Text cells without invisible control characters (they break GraphML and XML), with an ATTR-CONTROL
    warning naming the columns and rows that had them (``rows``: each row's number in the file, default 1, 2 …).

    Examples
    --------
    >>> out, ws = strip_control_characters(pd.DataFrame({"name": ["东\\x07院", "西院"], "n": [1, 2]}), "a.csv")
    >>> out["name"].tolist(), [(w.code, w.rows) for w in ws]
    (['东院', '西院'], [('ATTR-CONTROL', (1,))])
    >>> strip_control_characters(pd.DataFrame({"hid": ["H\\u202e100", "H2"]}), "a.csv")[0]["hid"].tolist()
    ['H100', 'H2']
    """
    out = df
    hit = np.zeros(len(df), dtype=bool)
    cols = []
    for col in df.columns:
        s = df[col]
        if not (s.dtype == object or isinstance(s.dtype, pd.StringDtype)):
            continue
        bad = s.map(lambda v: isinstance(v, str)).astype(bool) & s.astype("object").astype(str).str.contains(
            _CONTROL, regex=True)
        if bool(bad.any()):
            if out is df:
                out = df.copy()
            out[col] = s.where(~bad, s.astype("object").astype(str).str.replace(_CONTROL, "", regex=True))
            hit |= bad.to_numpy()
            cols.append(str(col))
    if not cols:
        return df, []
    rows = (np.arange(1, len(df) + 1) if rows is None else np.asarray(rows))[hit]
    return out, [problem("ATTR-CONTROL", severity="warning", file=file, columns=[str(c) for c in cols], rows=rows)]


def _declared(src: _Source, declared: DeclaredCRS | None, problems: list[Problem]) -> DeclaredCRS | None:
    """The CRS the coordinates are in: as given (CRS-OVERRIDE when it differs from the file's), or the file's."""
    if declared is None and src.file_crs is not None:
        return DeclaredCRS(src.file_crs, "", _crs_label(src.file_crs))
    if declared is not None and src.file_crs is not None and not declared.shift and declared.crs != src.file_crs:
        problems.append(problem("CRS-OVERRIDE", severity="warning", file=src.fname,
                                file_crs=_crs_label(src.file_crs), crs=_crs_label(declared.crs)))
    if declared is None:
        problems.append(problem("CRS-MISSING", file=src.fname))
    return declared


def _as_table(src: _Source) -> bool:
    """Whether the household file is read as a table, its coordinates from x/y columns: a CSV or workbook, or a
    layer without geometry (an attribute table saved as GeoPackage)."""
    return src.fmt in TABLE_FORMATS or src.geoms is None


_COLUMN_OPTIONS = {"hid": "--id-col", "x": "--x-col", "y": "--y-col", "head_candidate": "--head-col"}


def _fid_columns(columns: Iterable[object]) -> list[str]:
    """The columns named fid (any case): the name of a GeoPackage's own feature-id column, which QGIS's Save As
    keeps as an ordinary column of the Shapefile or CSV it writes from a GeoPackage layer."""
    return [c for c in map(str, columns) if c.strip().casefold() == "fid"]


def _column_name_problems(src: _Source) -> list[Problem]:
    """COL-DUP for header names that repeat (ignoring case: GeoPackage cannot hold both). A column named fid
    (GeoPackage's own id column) is left out instead, with a COL-FID warning (:func:`_fid_dropped`)."""
    header = [str(c) for c in src.attrs.attrs.get("header", src.attrs.columns)]
    seen: dict[str, list[str]] = {}
    for name in header:
        seen.setdefault(name.strip().casefold(), []).append(name)
    return [problem("COL-DUP", file=src.fname, columns=[str(c) for c in names]) for names in seen.values()
            if len(names) > 1]


def _fid_dropped(src: _Source, used: Iterable[str | None]) -> list[str]:
    """The household file's fid columns that are not named as a column to read (``used``): left out of the
    households, so that no result carries them (a GeoPackage numbers its features itself and cannot hold a
    column of that name; QGIS's Save As keeps a GeoPackage layer's feature id as such a column)."""
    named = {str(u) for u in used if u}
    return [c for c in _fid_columns(src.attrs.columns) if c not in named]


def _household_columns(src: _Source, columns: Mapping[str, str], declared: DeclaredCRS | None,
                       problems: list[Problem], named_heads: list[str]) -> _Columns:
    """Map the file's columns (explicit ``columns`` first, then aliases), report missing and ambiguous ones."""
    attrs, fname = src.attrs, src.fname
    problems.extend(_column_name_problems(src))
    for canon, given in [*columns.items(), *(("head_candidate", h) for h in named_heads)]:
        if given not in attrs.columns:
            problems.append(missing_column(fname, given, src.column_list, _COLUMN_OPTIONS.get(canon, "--id-col"),
                                           given=True))
    overrides: dict[str, str | None] = {k: v for k, v in columns.items() if k not in ("x", "y")}
    mapping, ambiguous = map_columns(attrs.columns, overrides)
    coord_cols: tuple[str | None, str | None, str] = (None, None, "")
    if _as_table(src):
        coord_cols = _coordinate_columns(mapping, declared.crs if declared else None, columns.get("x"),
                                         columns.get("y"))
        pair = pair_column(attrs.columns)
        if coord_cols[:2] == (None, None) and pair is not None and not any(c in ambiguous for c in COORD_COLUMNS):
            coord_cols = (pair, pair, "pair")  # 经纬度: both in one cell, longitude first (_csv_points)
    used_coords = {c for c in coord_cols[:2] if c}
    for canon, cols in sorted(ambiguous.items()):
        if canon in COORD_COLUMNS and (not _as_table(src) or not (set(cols) & used_coords) and coord_cols[0]):
            continue
        problems.append(problem("COL-AMBIG", file=fname, canonical=canon, columns=list(cols)))
    hid_col = mapping.get("hid")
    if hid_col is None or hid_col not in attrs.columns:
        if "hid" not in ambiguous and "hid" not in columns:
            problems.append(missing_column(fname, "hid", src.column_list, "--id-col", aliases=ALIASES["hid"]))
        ids = pd.Series([None] * len(attrs), dtype="object")
        hid_col = None
    else:
        ids = to_id_strings(attrs[hid_col])
        rel = relation_column(list(attrs.columns))  # one row per person: the repeats are ID-PERSONS, not ID-DUP
        person, head_names = member_columns(list(attrs.columns), skip=[hid_col])
        same = [*head_names, *([mapping["persons"]] if mapping.get("persons") in attrs.columns else [])]
        problems.extend(check_ids(ids, src.rows, fname, relation=attrs[rel] if rel else None,
                                  person=attrs[person] if person else None, household=attrs[same]))
        problems.extend(_ids_normalised(attrs[hid_col], ids, src.rows, fname))
    heads = head_columns(attrs.columns, [h for h in named_heads if h in attrs.columns])
    fids = _fid_dropped(src, [hid_col, *columns.values(), *named_heads, *mapping.values(), *coord_cols[:2]])
    if fids:
        problems.append(problem("COL-FID", severity="warning", file=fname, columns=fids,
                                then=both("load.fid.households")))
    renamed = _flag_settlement(src, mapping, columns, problems)
    renamed.update(split_renamed(src.attrs, renamed.values()))  # settleme_1: a result's settlement_split, as Shapefile
    return _Columns(mapping, coord_cols, hid_col, ids.astype("object").to_numpy(), heads, renamed, fids)


def _ids_normalised(raw: pd.Series, ids: pd.Series, rows: np.ndarray | None, fname: str) -> list[Problem]:
    """ID-NFKC, a note, when ids cells hold full-width or compatibility characters (``０００１７５``) that
    :func:`~yuanluo.gis.columns.to_id_strings` reads in their standard form (``000175``): the messages and
    results then quote the id as read, not as the file shows it, and say so; [] otherwise.

    >>> q, = _ids_normalised(pd.Series(["０００１７５", "7"]), pd.Series(["000175", "7"]), None, "a.csv")
    >>> q.code, q.rows, q.params["raw"], q.params["read"]
    ('ID-NFKC', (1,), '０００１７５', '000175')
    >>> _ids_normalised(pd.Series([" 7 ", 8.0]), pd.Series(["7", "8.0"]), None, "a.csv")
    []
    """
    if pd.api.types.is_float_dtype(raw.dtype):
        return []
    text = raw.astype("string").str.strip()
    nfkc = text.str.normalize("NFKC").str.strip()
    changed = (text.notna() & ids.notna() & (text != nfkc)).fillna(False).to_numpy(dtype=bool)
    if not changed.any():
        return []
    at = np.nonzero(changed)[0]
    numbers = (np.asarray(rows)[at] if rows is not None else at + 1).tolist()
    first = int(at[0])
    return [problem("ID-NFKC", severity="warning", file=fname, rows=numbers, raw=str(text.iloc[first]),
                    read=str(ids.iloc[first]))]


def _flag_settlement(src: _Source, mapping: dict[str, str], columns: Mapping[str, str],
                     problems: list[Problem]) -> dict[str, str]:
    """A settlement column found by its name that holds yes/no flags only (0/1, true/false: a result's
    ``settlement_split`` that a Shapefile cut to ``settlement``) is no settlement names: taken out of
    ``mapping``, with a COL-SETTLEMENT-FLAG warning. Returns ``{column: name kept under}``: a column named
    like the canonical ``settlement`` is kept under the name it was cut from (``settlement_split``), or where the
    file has that column too, ``settlement_flag``, then ``<column>_flag``, ``<column>_flag2`` …: the first name
    the file has no column of (in any case: GeoPackage cannot hold both), so that nothing reads it as one."""
    col = mapping.get("settlement")
    if col is None or "settlement" in columns or col not in src.attrs.columns or not is_flag_column(src.attrs[col]):
        return {}
    del mapping["settlement"]
    kept = col
    if normalize_name(col) == "settlement":  # the first of these names the file has no column of (any case)
        taken = {str(c).casefold() for c in src.attrs.columns}
        names = itertools.chain((OWN_CUTS.get("settlement", col), "settlement_flag", f"{col}_flag"),
                              (f"{col}_flag{i}" for i in itertools.count(2)))
        kept = next(n for n in names if n.casefold() not in taken)
    problems.append(problem("COL-SETTLEMENT-FLAG", severity="warning", file=src.fname, column=col, kept=kept))
    return {col: kept} if kept != col else {}


def _pair_points(src: _Source, cols: _Columns, problems: list[Problem]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, y, skip) from a table's one column of coordinate pairs (经纬度: ``106.52,29.56``, longitude first:
    :func:`~yuanluo.gis.columns.parse_pair`); a cell that is not two coordinates is COORD-PAIR, every such row
    named."""
    col = str(cols.coords[0])
    vals = src.attrs[col]
    x_s, y_s, bad = parse_pair(vals)
    m = bad.to_numpy(dtype=bool)
    if m.any():
        problems.append(problem("COORD-PAIR", file=src.fname, column=col, sample=str(vals[m].iloc[0]),
                                rows=src.rows[m], ids=[i for i in cols.ids[m] if isinstance(i, str)]))
    x, y = x_s.to_numpy(dtype=float), y_s.to_numpy(dtype=float)
    return x, y, m


def _csv_points(src: _Source, cols: _Columns, problems: list[Problem]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, y, skip) from the coordinate columns of a CSV; unparseable cells are COORD-PARSE."""
    attrs, fname, rows, id_arr, n = src.attrs, src.fname, src.rows, cols.ids, len(src.attrs)
    xc, yc, how = cols.coords
    if how == "pair" and xc in attrs.columns:
        return _pair_points(src, cols, problems)
    if not xc or not yc or xc not in attrs.columns or yc not in attrs.columns:
        coord_ambig = any(q.code == "COL-AMBIG" and q.params.get("canonical") in COORD_COLUMNS for q in problems)
        named = any(q.code == "COL-MISSING" and q.params.get("option") in ("--x-col", "--y-col") for q in problems)
        found = [c for c in (xc, yc) if c and c in attrs.columns]
        half = _half_pair(fname, src.column_list, found[0]) if len(found) == 1 else None
        if not coord_ambig and not named and half is not None:  # one of the pair: name the one missing beside it
            problems.append(half)
        elif not coord_ambig and not named:
            problems.append(missing_column(fname, "coords", src.column_list, "--x-col/--y-col",
                                           aliases=[*ALIASES["lon"], *ALIASES["lat"], *ALIASES["x"], *ALIASES["y"]],
                                           usual={"zh": ["经度", "纬度"], "en": ["lon", "lat"]}))
        return np.full(n, np.nan), np.full(n, np.nan), np.ones(n, dtype=bool)
    x_s, bad_x = parse_coordinate(attrs[xc])
    y_s, bad_y = parse_coordinate(attrs[yc])
    book = str(fname).lower().endswith((".xlsx", ".xlsm"))
    for col, bad, vals in ((xc, bad_x, attrs[xc]), (yc, bad_y, attrs[yc])):
        # in a workbook, a formula no program computed reads as its text (yuanluo.gis.sheets): said apart
        formula = bad.to_numpy() & vals.astype("string").str.startswith("=").fillna(False).to_numpy(dtype=bool) \
            if book else np.zeros(len(vals), dtype=bool)
        for code, m in (("COORD-PARSE", bad.to_numpy() & ~formula), ("COORD-FORMULA", formula)):
            if m.any():
                problems.append(problem(code, file=fname, column=col, sample=str(vals[m].iloc[0]),
                                        rows=rows[m], ids=[i for i in id_arr[m] if isinstance(i, str)]))
    parse_bad = (bad_x | bad_y).to_numpy()
    x = np.where(parse_bad, np.nan, x_s.to_numpy())
    y = np.where(parse_bad, np.nan, y_s.to_numpy())
    return x, y, parse_bad  # rows already reported as COORD-PARSE are skipped later


def _vector_points(src: _Source, ids: np.ndarray, centroids: bool,
                   problems: list[Problem]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, y, skip) of point features (or polygon centroids); other geometry types are GEOM-TYPE."""
    assert src.geoms is not None
    geoms = src.geoms.reset_index(drop=True)
    problems.extend(_households_geom_type(q) for q in check_geometry_types(geoms, src.rows, ids, src.fname,
                                                                          centroids=centroids))
    if bool(shapely.has_z(geoms.to_numpy()).any()):
        problems.append(problem("GEOM-Z", severity="warning", file=src.fname))
        geoms = gpd.GeoSeries(shapely.force_2d(geoms.to_numpy()), crs=geoms.crs)
    types = geoms.geom_type.to_numpy(dtype=object)
    arr = geoms.to_numpy()
    ref: np.ndarray = arr.copy()
    ref[~np.asarray(types == "Point")] = None
    if centroids:
        poly = np.isin(types, ["Polygon", "MultiPolygon"])
        ref[poly] = shapely.centroid(arr[poly])
    ref[np.asarray(shapely.is_empty(ref) | shapely.is_missing(ref))] = None
    x = np.asarray(shapely.get_x(ref), dtype=float)
    y = np.asarray(shapely.get_y(ref), dtype=float)
    # features already reported as GEOM-TYPE are not checked again as coordinates
    skip = np.isin(types, ["MultiPoint", "LineString", "MultiLineString", "GeometryCollection"]) | (
        np.isin(types, ["Polygon", "MultiPolygon"]) & (not centroids))
    return x, y, skip


#: the clause of a household GEOM-TYPE's fix (``load.geomtype.<clause>``) for each shape found, in this order
_GEOM_CLAUSES = {"Polygon": "polygon", "MultiPolygon": "polygon", "MultiPoint": "multipoint",
                 "LineString": "line", "MultiLineString": "line", "LinearRing": "line"}


def _households_geom_type(q: Problem) -> Problem:
    """GEOM-TYPE of the household file, whose fix (the entry's ``fix_households``) says what to do with the shapes
    found, and those only: polygons (building footprints) are points by ``--centroids`` where each is one
    household's house (a command without that option: delineate with it, or take the centroids in a GIS), multipoints
    split, lines and other shapes no households. Each clause is an interface text with a Python version.

    >>> q = _households_geom_type(problem("GEOM-TYPE", file="b.gpkg", types=["LineString", "MultiPolygon"],
    ...                                   expected="Point", rows=[1, 2]))
    >>> print(q.fix("en"))  # doctest: +ELLIPSIS
    the households are points, one per household: if each polygon is one household's house ...; lines cannot be ...
    """
    found = [str(t) for t in q.params.get("types", [])]
    clauses = list(dict.fromkeys(_GEOM_CLAUSES.get(t, "other") for t in found))
    clauses.sort(key=["polygon", "multipoint", "line", "other"].index)
    others = [t for t in found if t not in _GEOM_CLAUSES]
    how = {lang: text("list.clause_sep", lang).join(
        text(f"load.geomtype.{c}", lang, types=text("list.sep", lang).join(others)) for c in clauses)
        for lang in LANGS}
    return replace(q, variant="households", params={**q.params, "how": how})


def _y_first(columns: Any, xc: Any, yc: Any) -> bool:
    """Whether a table's y (north) column ``yc`` comes before its x (east) column ``xc``."""
    cols = list(columns)
    return cols.index(yc) < cols.index(xc)


def _check_locations(src: _Source, ids: np.ndarray, xy: tuple[np.ndarray, np.ndarray, np.ndarray],
                     declared: DeclaredCRS | None, aux: tuple[Any, Any], problems: list[Problem], *,
                     coords: tuple[str | None, str | None] = (None, None)) -> None:
    """Coordinate checks (range, zone, swap, offset …) and the relations to the boundary and water layers;
    ``coords`` the table's (east, north) columns, so that a message gives a pair as the file has it."""
    x, y, skip = xy
    bnd = _usable_aux(aux[0], "boundary", problems)
    wat = _usable_aux(aux[1], "water", problems)
    rows, fname = src.rows, src.fname
    if declared is not None:
        k = ~skip
        xc, yc = coords
        names = (str(xc), str(yc)) if xc and yc and xc != yc and xc in src.attrs.columns \
            and yc in src.attrs.columns else None  # a pair column (经纬度): its cell as written, (106.5, 29.5)
        yx = names is not None and _y_first(src.attrs.columns, xc, yc)
        found = check_coordinates(x[k], y[k], declared.crs, rows=rows[k], ids=ids[k], file=fname,
                                  shift=declared.shift, boundary=bnd, columns=names, yx=yx)
        if xc and xc == yc:  # latitude first in the pair cells: the cells to write the other way round
            found = [replace(q, variant="pair", params={**q.params, "column": xc}) if q.code == "COORD-SWAP" else q
                     for q in found]
        problems.extend(found)
        problems.extend(_spatial_relations(x, y, k, declared, bnd=bnd, wat=wat, rows=rows, ids=ids, fname=fname))
        return
    nan = ~(np.isfinite(x) & np.isfinite(y)) & ~skip
    if nan.any():
        problems.append(problem("COORD-NAN", file=fname, rows=rows[nan], who=both("load.who.households"),
                                ids=[i for i in ids[nan] if isinstance(i, str)]))


def _parse_attributes(src: _Source, cols: _Columns,
                      problems: list[Problem]) -> tuple[dict[str, pd.Series], dict[str, pd.Series]]:
    """Canonical attributes parsed (persons, head_candidate …), division codes, the personal-data warning."""
    attrs, rows, ids, fname = src.attrs, src.rows, cols.ids, src.fname
    out_attrs: dict[str, pd.Series] = {}
    for canon in ATTRIBUTE_COLUMNS:
        col = cols.mapping.get(canon)
        if col is None or col not in attrs.columns:
            continue
        vals = attrs[col].reset_index(drop=True)
        if canon == "persons":
            parsed, bad = parse_int(vals)
            problems.extend(attr_problem(col, bad, vals, rows, ids, fname, f"0 … {MAX_COUNT}"))
        else:
            parsed = to_text(vals)
        out_attrs[canon] = parsed
    problems.extend(_sci_nests(attrs, [*(cols.mapping.get(c) for c in ("village", "group", "settlement")),
                                       *town_columns(attrs.columns)], rows, ids, fname))
    problems.extend(_sci_id_cards(attrs, [c for c in id_card_columns(attrs.columns) if c != cols.hid_col], rows,
                                  ids, fname))
    problems.extend(_blank_nests(out_attrs, cols, rows, fname, ordered=src.fmt == "csv", raw=attrs))
    problems.extend(_nest_variants(out_attrs, attrs, cols, rows, fname))
    out_attrs.update(_parse_heads(src, cols, problems))
    used_cols = {c for c in cols.mapping.values() if c in attrs.columns} | set(cols.heads[0])
    codes, code_problems = check_division_codes(
        attrs, [c for c in code_columns(attrs.columns) if c not in used_cols], rows, ids, fname)
    problems.extend(code_problems)
    problems.extend(check_personal(attrs.loc[:, attrs.columns != cols.hid_col], fname, ids=cols.ids,
                                   id_column=cols.hid_col))
    return out_attrs, codes


def _sci_nests(attrs: pd.DataFrame, columns: Sequence[str | None], rows: np.ndarray, ids: np.ndarray | None,
               fname: str) -> list[Problem]:
    """ATTR-SCI (error) for each nesting column (village, group, settlement, town) with values in scientific
    notation (``5.00113E+11``): Excel saved the column as numbers and dropped digits, so different villages may
    have become one value, which a nest key would then take for one village. Said as ATTR-CODE says a division
    code that lost its digits (a division-code column is checked by ATTR-CODE itself).

    >>> df = pd.DataFrame({"行政村": ["5.00113E+11", "新华村", "1.2e3"], "组": ["1", "2", "3"]})
    >>> [(p.code, p.rows, p.params["sample"]) for p in _sci_nests(df, ["行政村", "组", None], np.arange(2, 5),
    ...                                                            None, "h.csv")]
    [('ATTR-SCI', (2, 4), '5.00113E+11')]
    """
    return [problem("ATTR-SCI", file=fname, column=col, sample=first, rows=rows[idx], ids=found)
            for col, first, idx, found in _number_cells(attrs, columns, SCI_ID, ids)]


def _number_cells(attrs: pd.DataFrame, columns: Sequence[str | None], pattern: str, ids: np.ndarray | None
                  ) -> Iterator[tuple[str, str, np.ndarray, list[str]]]:
    """For each of ``columns`` (once each) whose cells, stripped, match ``pattern`` in full (a number as Excel
    saved it): the column, its first such cell, their positions and the household ids there."""
    for col in dict.fromkeys(c for c in columns if c is not None and c in attrs.columns):
        vals = attrs[col].reset_index(drop=True)
        txt = vals.astype(object).where(vals.notna(), "").astype(str).str.strip()
        hit = txt.str.fullmatch(pattern).to_numpy(dtype=bool)
        if hit.any():
            idx = np.flatnonzero(hit)
            found = [str(i) for i in ids[idx] if isinstance(i, str) and i] if ids is not None else []
            yield col, str(txt[hit].iloc[0]), idx, found


#: a number as a program writes a float: scientific notation (``5.00115E+17``) or the float's digits
#: (``500115195001010048.0``)
_FLOAT_TEXT = rf"{SCI_ID}|\d{{16,}}\.\d+"


def _sci_id_cards(attrs: pd.DataFrame, columns: Sequence[str], rows: np.ndarray, ids: np.ndarray | None,
                  fname: str) -> list[Problem]:
    """ATTR-SCI-ID (warning) for each id-card column (:func:`~yuanluo.gis.columns.id_card_columns`) with values
    Excel saved as numbers (``5.00115E+17``, or the float's digits): an 18-digit number does not fit a float, its
    last digits are lost. The column and the rows are named, never a value (personal data).

    >>> df = pd.DataFrame({"身份证号": ["5.00115E+17", "50011519500101000X", "500115195001010048.0", ""]})
    >>> [(p.code, p.rows, p.params["column"], "sample" in p.params)
    ...  for p in _sci_id_cards(df, ["身份证号"], np.arange(2, 6), None, "h.xlsx")]
    [('ATTR-SCI-ID', (2, 4), '身份证号', False)]
    """
    out = [problem("ATTR-SCI-ID", severity="warning", file=fname, column=col, rows=rows[idx], ids=found)
           for col, _, idx, found in _number_cells(attrs, columns, _FLOAT_TEXT, ids)]
    return out + _rounded_id_cards(attrs, columns, rows, ids, fname)


#: the weights of the 17 digits of a citizen's id-card number (GB 11643-1999) and the check character each sum
#: (mod 11) gives
_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
_ID_CHECK = "10X98765432"


#: a column whose 18-digit numbers end in 000 this often (and at least twice) holds numbers Excel rounded: a real
#: number ends so about once in 1,100 (its sequence's last two digits 00, its check character 0)
ROUNDED_SHARE = 0.1


def _rounded_id_cards(attrs: pd.DataFrame, columns: Sequence[str], rows: np.ndarray, ids: np.ndarray | None,
                      fname: str) -> list[Problem]:
    """ATTR-ROUNDED-ID (warning) for each id-card column with 18-digit values Excel rounded: a number kept to 15
    significant digits, shown in full by a number format (``0``) and saved so into a CSV, whose last digits are
    lost. Two signs, either enough: the value ends in ``000`` and fails its check character (GB 11643-1999), which
    a real number never does; or the column's 18-digit values end in ``000`` at least twice and in at least
    :data:`ROUNDED_SHARE` of them, which real numbers do about once in 1,100: then every value of the column ending
    in ``000`` is said, also one whose check character happens to match (a rounded number does, about one in 11).
    A real number ending in 000 among real ones is not said; among rounded ones (2 of 3 values) it cannot be told
    from a rounded one whose check character matches, which is ten times likelier there, and is said with them.
    Named by column and rows, never a value.

    >>> df = pd.DataFrame({"身份证号": ["500115195001011000", *["11010519491231002X"] * 19, "110105194912301000"]})
    >>> [(p.code, p.rows) for p in _rounded_id_cards(df, ["身份证号"], np.arange(2, 23), None, "h.csv")]
    [('ATTR-ROUNDED-ID', (2,))]
    >>> [p.rows for p in _rounded_id_cards(df.iloc[[0, 1, 20]], ["身份证号"], np.arange(2, 5), None, "h.csv")]
    [(2, 4)]
    >>> whole = pd.DataFrame({"身份证号": ["500115195000003000", "500115195000011000", "500115195000038000"]})
    >>> p = _rounded_id_cards(whole, ["身份证号"], np.arange(2, 5), None, "h.csv")[0]
    >>> p.rows, p.params["why"]["zh"]
    ((2, 3, 4), '；这一列的 18 位号码全都如此，而真实的号码约一千一百个才有一个末三位是 000')
    """
    out: list[Problem] = []
    for col, _, idx, _ids in _number_cells(attrs, columns, r"\d{15}000", ids):
        txt_all = attrs[col].reset_index(drop=True).astype(object).where(attrs[col].reset_index(drop=True).notna(), "")
        txt_all = txt_all.astype(str).str.strip()
        n18 = int(txt_all.str.fullmatch(r"\d{17}[\dXx]").sum())  # the column's 18-digit values
        txt = txt_all.to_numpy()[idx]
        digits = np.array([[int(ch) for ch in t[:17]] for t in txt])
        check = np.array([_ID_CHECK[k] for k in (digits @ _ID_WEIGHTS) % 11])
        bad = check != np.array([t[17] for t in txt])
        whole = len(idx) >= 2 and len(idx) >= ROUNDED_SHARE * n18  # a column of rounded numbers
        said = np.ones(len(idx), dtype=bool) if whole else bad
        if not said.any():
            continue
        if not whole or bad.all():  # the check character alone tells them (as before)
            why = both("load.rounded_id.check")
        else:  # the column tells them: how many fail the check, then how many of the column end so
            share = both("load.rounded_id.all") if len(idx) == n18 else both("load.rounded_id.share", k=len(idx),
                                                                               n=n18)
            why = {lg: (text("load.rounded_id.bad", lg, bad=int(bad.sum())) if bad.any() else "") + share[lg]
                   for lg in LANGS}
        keep = set(idx[said].tolist())
        named = [str(i) for j, i in zip(idx, ids[idx], strict=True) if j in keep and isinstance(i, str) and i
                 ] if ids is not None else []
        out.append(problem("ATTR-ROUNDED-ID", severity="warning", file=fname, column=col, rows=rows[idx[said]],
                           ids=named, why=why))
    return out


_CN_DIGITS = {"一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9",
              "十": "10"}


def variant_form(name: str) -> str:
    """The form two spellings of one village or group name share, by a conservative rule: a leading 第 and a
    trailing 村, 社区, 村民小组, 组 or 社 taken off, a Chinese numeral 一 … 十 as digits, leading zeros dropped
    (a name that would become empty stays as it was).

    >>> [variant_form(v) for v in ["新华", "新华村", "1组", "第一组", "01组", "一组", "十组", "社区", "红星社区"]]
    ['新华', '新华', '1', '1', '1', '1', '10', '社区', '红星']
    """
    t = re.sub(r"^第", "", name.strip())
    t = re.sub(r"(村民小组|社区|村|组|社)$", "", t)
    t = _CN_DIGITS.get(t, t)
    if t.isdigit() and t.isascii():
        t = t.lstrip("0") or "0"
    return t or name.strip()


def variant_kind(name: str) -> str:
    """The kind of division a village name's suffix says: 村 (a 村委会) or 社区 (a 居委会), else "" (a bare
    stem, or a group's 组 / 村民小组 / 社, all one kind). Two spellings of one :func:`variant_form` are one name
    only where their kinds are the same or one is bare: 新华 / 新华村 and 新华 / 新华社区, not 新华村 / 新华社区.

    >>> [variant_kind(v) for v in ["新华", "新华村", "新华社区", "一组", "社区", "村"]]
    ['', '村', '社区', '', '', '']
    """
    t = name.strip()
    m = re.search(r"(社区|村)$", t)
    return m.group(1) if m and variant_form(t) != t else ""


def _nest_variants(parsed: dict[str, pd.Series], attrs: pd.DataFrame, cols: _Columns, rows: np.ndarray,
                   fname: str) -> list[Problem]:
    """NEST-VARIANT (warning): two spellings within one parent (a village's town and code, a group's town, code
    and village) of one village or group name by :func:`variant_form` (新华 / 新华村; 1组 / 第一组 / 01组 / 一组),
    of one :func:`variant_kind` or bare (新华村 / 新华社区 are a village and a community: not said together).
    They stay two villages or groups (the nest key compares the text): said, with their rows, not merged."""
    from yuanluo.gis.keys import BLANK, levels, normalise

    lv = levels([*attrs.columns, *parsed])
    out: list[Problem] = []
    for canon in ("village", "group"):
        if canon not in parsed or canon not in lv:
            continue
        values = normalise(parsed[canon].reset_index(drop=True)).to_numpy(dtype=object)
        above = [c for c in lv[: lv.index(canon)]]
        parents = [normalise((parsed[c] if c in parsed else attrs[c]).reset_index(drop=True)).to_numpy(dtype=object)
                   for c in above]
        frame = pd.DataFrame({"v": values, "f": [variant_form(v) if v != BLANK else BLANK for v in values],
                              **{f"p{i}": p for i, p in enumerate(parents)}})
        frame = frame[frame["v"] != BLANK]
        frame["k"] = [variant_kind(v) for v in frame["v"]]
        pcols = [f"p{i}" for i in range(len(parents))]
        for _, same in frame.groupby([*pcols, "f"], sort=True):
            kinds = sorted(set(same["k"]) - {""})  # a 村 and a 社区 are two kinds: each with the bare stem
            for grp in [same[same["k"].isin(["", k])] for k in kinds] if len(kinds) > 1 else [same]:
                out.extend(_nest_variant(grp, pcols, canon, cols, rows, fname))
    return out


def _nest_variant(grp: pd.DataFrame, pcols: list[str], canon: str, cols: _Columns, rows: np.ndarray,
                  fname: str) -> list[Problem]:
    """NEST-VARIANT of the spellings ``grp["v"]`` of one name within one parent (``pcols``), if several."""
    from yuanluo.gis.keys import BLANK

    counts = grp["v"].value_counts()
    if len(counts) < 2:
        return []
    order = sorted(counts.index, key=lambda v: (-counts[v], v))
    first = {v: int(rows[grp.index[grp["v"] == v][0]]) for v in order}
    variants = {lang: text("list.sep", lang).join(
        text("load.nest_variant.one", lang, value=v, count=int(counts[v]), row=first[v]) for v in order)
        for lang in LANGS}
    parent = "/".join(str(grp[c].iloc[0]) for c in pcols if grp[c].iloc[0] != BLANK)  # as nest_labels
    within = both("load.nest_variant.within", parent=parent) if parent else {lang: "" for lang in LANGS}
    fix = grp.index[grp["v"] != order[0]].to_numpy()
    ids = [str(i) for i in cols.ids[fix] if isinstance(i, str) and i]
    return [problem("NEST-VARIANT", severity="warning", file=fname, column=cols.mapping[canon],
                    variants=variants, within=within, level=both(f"cli.unapplied.col.{canon}"),
                    common=order[0], rows=rows[fix], ids=ids)]


def _raw_levels(raw: pd.DataFrame | None, cols: _Columns) -> list[str]:
    """The file's columns that are nest-key levels above the village (:func:`yuanluo.gis.keys.levels`): its
    first town column and its first village division-code column not read as a canonical attribute."""
    if raw is None:
        return []
    used = {c for c in cols.mapping.values() if c is not None}
    free = [str(c) for c in raw.columns if c not in used and c != cols.hid_col]
    return [*town_columns(free)[:1], *code_columns(free)[:1]]


def _blank_nests(attrs: dict[str, pd.Series], cols: _Columns, rows: np.ndarray, fname: str, *,
                 ordered: bool = True, raw: pd.DataFrame | None = None) -> list[Problem]:
    """NEST-BLANK (warning): a town, village division-code, village, group or settlement column blank for some
    households but not all (the town and code columns of ``raw``, the file's columns, :func:`_raw_levels`;
    the others canonical, in ``attrs``). A
    delineation keeps those households in a group of their own (:mod:`yuanluo.gis.keys`), so each blank one far
    from the others becomes a unit of its own: said before the work, with the rows to fill. A column whose
    blanks are plainly merged cells saved to a CSV (:func:`_merged_fill`; only in a CSV, ``ordered``, whose
    rows keep the sheet's order: a workbook's merged cells are read filled, XLSX-MERGED) is filled down in
    ``attrs`` instead, said by NEST-FILLED. The columns nest in
    that order: a group filled down stays within its village's block."""
    from yuanluo.gis.keys import is_blank

    out: list[Problem] = []
    parents: list[pd.Series] = []
    above = _raw_levels(raw, cols)
    for canon in [*above, "village", "group", "settlement"]:
        in_raw = canon in above
        if not in_raw and canon not in attrs:
            continue
        assert raw is not None or not in_raw
        values = raw[canon].reset_index(drop=True) if raw is not None and in_raw else attrs[canon]
        column = canon if in_raw else cols.mapping[canon]
        blank = is_blank(values)
        if 0 < blank.sum() < len(blank):
            ids = [str(i) for i in cols.ids[blank] if isinstance(i, str) and i]
            filled = _merged_fill(values, parents) if ordered else None
            if filled is not None:
                values = filled
                if raw is not None and in_raw:
                    raw[canon] = filled.to_numpy()
                else:
                    attrs[canon] = filled
                out.append(problem("NEST-FILLED", severity="warning", file=fname, column=column,
                                   rows=rows[blank], ids=ids, blocks=int((~blank).sum())))
            elif canon != "settlement":  # a settlement named for some households only is no nesting gap
                out.append(problem("NEST-BLANK", severity="warning", file=fname, column=column,
                                   rows=rows[blank], ids=ids))
        parents.append(values)
    return out


def _merged_fill(values: pd.Series, parents: Sequence[pd.Series]) -> pd.Series | None:
    """``values`` filled down, when its blanks are plainly those of merged cells saved as CSV (Excel writes a
    merged range's value into its first cell only): the first row filled, most rows blank, and each filled value
    starting a block of its own (no value starting two blocks within the same ``parents`` values, no block
    crossing a change of the ``parents``, the columns it nests in); else None.

    >>> v = pd.Series(["1组", "", "", "2组", "", ""])
    >>> _merged_fill(v, []).tolist()
    ['1组', '1组', '1组', '2组', '2组', '2组']
    >>> _merged_fill(pd.Series(["1组", "", "", "2组", "", "1组", ""]), []) is None  # 1组 twice
    True
    >>> _merged_fill(v, [pd.Series(["A", "A", "B", "B", "B", "B"])]) is None  # 1组 spans villages A and B
    True
    >>> _merged_fill(pd.Series(["", "1组", "", ""]), []) is None  # a blank above the first value
    True
    """
    from yuanluo.gis.keys import is_blank, normalise

    blank = is_blank(values)
    n = len(blank)
    if n == 0 or blank[0] or 2 * int(blank.sum()) <= n:
        return None
    block = np.cumsum(~blank) - 1  # the block each row is in, numbered from 0
    keys = [normalise(p.reset_index(drop=True)).to_numpy() for p in parents]
    for key in keys:  # a block within one value of each parent
        starts = key[~blank][block]
        if (key != starts).any():
            return None
    firsts = list(zip(*(k[~blank] for k in keys), normalise(values.reset_index(drop=True)).to_numpy()[~blank],
                      strict=True))
    if len(set(firsts)) < len(firsts):  # a value starting two blocks in the same village
        return None
    text = values.reset_index(drop=True)
    return text.where(~blank).ffill().set_axis(values.index)


def _parse_heads(src: _Source, cols: _Columns, problems: list[Problem]) -> dict[str, pd.Series]:
    """``head_candidate``: yes in any candidate-head column; ``party_member``: yes in any party-member column
    (a political-status column such as 政治面貌 says yes for a party member or probationary member)."""
    heads, party = cols.heads
    flags: dict[str, pd.Series] = {}
    for col in heads:
        vals = src.attrs[col].reset_index(drop=True)
        status = is_status_column(col)
        flags[col], bad = parse_political_status(vals) if status else parse_bool(vals)
        problems.extend(attr_problem(col, bad, vals, src.rows, cols.ids, src.fname,
                                     STATUS_VALUES_SHOWN if status else "1/0, 是/否, Y/N, √"))
    out: dict[str, pd.Series] = {}
    for canon, group in (("head_candidate", heads), ("party_member", party)):
        if group:
            out[canon] = pd.concat([flags[c] for c in group], axis=1).any(axis=1)
    return out


def _to_working(x: np.ndarray, y: np.ndarray, declared: DeclaredCRS, working_crs: Any,
                call: str = "read_households") -> gpd.GeoSeries:
    """Points in the declared CRS → (WGS 84 when GCJ-02/BD-09 shifted) → the projected working CRS (``working_crs``
    as given to ``call``, else the one :func:`yuanluo.gis.crs.working_crs_for` picks)."""
    pts = shapely.points(x, y)
    src = declared.crs
    if declared.shift:
        lon, lat = chinacoords.to_wgs84(x, y, declared.shift)
        pts = shapely.points(lon, lat)
        src = CRS.from_epsg(4326)
    g = gpd.GeoSeries(pts, crs=src)
    target = _working_target(working_crs, call) if working_crs is not None else working_crs_for(g)
    return g.to_crs(target)


def _plain(x: Any) -> str:
    """A value given where a CRS was expected, as a message quotes it: a string or number as written (cut at 60
    characters), anything else by its type's name.

    >>> _plain("junk"), _plain(4545), _plain({"a": 1})
    ('junk', '4545', 'dict')
    """
    return str(x)[:60] if isinstance(x, str | int | float) else type(x).__name__


def _working_target(working_crs: Any, call: str, kind: str | None = None) -> CRS:
    """The working CRS given to ``call`` as ``working_crs=``: a CRS pyproj or :func:`parse_crs` reads (else
    ``CRS-WORKING-UNKNOWN`` naming the keyword, with a projected example and, for :func:`read_households`, leaving
    it out; for :func:`read_layer`, whose ``working_crs`` is the households' CRS and has no default,
    ``LAYER-WORKING-CRS`` naming ``hh.crs``, None too), projected in metres (else ``CRS-WORKING`` naming the
    keyword: a lon/lat name such as ``gcj02`` too).

    >>> for given in ("gcj02", "junk"):
    ...     try:
    ...         _working_target(given, "read_households")
    ...     except CRSError as e:
    ...         print(e.problems[0].code, "EPSG:4545" in e.problems[0].fix("en"))
    CRS-WORKING True
    CRS-WORKING-UNKNOWN True
    """
    try:
        if working_crs is None:
            raise ValueError("no working CRS")
        target = CRS.from_user_input(working_crs)
    except Exception as exc:  # pyproj.exceptions.CRSError and friends
        if kind is not None:
            raise CRSError(problem("LAYER-WORKING-CRS", call=call, kind=kind, given=given_name(working_crs))) from exc
        try:  # a name Yuanluo knows for a declared CRS: gcj02, bd09, wgs84, cgcs2000, a bare EPSG number
            declared = parse_crs(working_crs)
        except CRSError:
            then = both("load.workingcrs.leave" if call == "read_households" else "load.workingcrs.hh",
                        keyword="working_crs")
            raise CRSError(problem("CRS-WORKING-UNKNOWN", call=call, keyword="working_crs",
                                   given=_plain(working_crs), then=then)) from exc
        if declared.shift:  # GCJ-02 / BD-09: lon/lat, never a working CRS
            raise CRSError(problem("CRS-WORKING", crs=declared.label, call=call, keyword="working_crs")) from exc
        target = declared.crs
    require_working(target, call, "working_crs")
    return target


def _assemble(src: _Source, cols: _Columns, parsed: tuple[dict[str, pd.Series], dict[str, pd.Series]],
              g: gpd.GeoSeries) -> gpd.GeoDataFrame:
    """The household table: other columns under their names, canonical attributes, index ``hid``."""
    out_attrs, codes = parsed
    attrs = src.attrs
    consumed = {cols.mapping.get(k) for k in out_attrs} | set(cols.heads[0])
    keep = [c for c in attrs.columns if c != cols.hid_col and c not in consumed and c not in cols.fids]
    frame = attrs[keep].reset_index(drop=True).copy().rename(columns=cols.renamed)
    if _as_table(src):
        typed = {cols.renamed.get(c, c) for c in src.numbers}  # numbers in the workbook
        frame = _numbers_as_numbers(frame, {c for c in cols.coords[:2] if c and cols.coords[2] != "pair"}
                                    | {"elevation"},
                                    {c for c in frame.columns if is_serial_column(c) or c in typed})
    for canon, series in out_attrs.items():
        frame[canon] = series.to_numpy() if canon != "persons" else series.array
    for col, series in codes.items():
        frame[col] = series.array
    frame.index = pd.Index(cols.ids.astype(str), name="hid", dtype="str")
    result = gpd.GeoDataFrame(frame, geometry=pd.Series(g.to_numpy(), index=frame.index).to_numpy(), crs=g.crs)
    result.index.name = "hid"
    result.attrs[FOLDED_ATTR] = folded_heads(cols.heads)
    return result


#: the key of a household table's ``attrs`` that holds the candidate-head columns the reader folded
#: (:func:`folded_heads`; read by :func:`yuanluo.gis.personal.resolve_fields`)
FOLDED_ATTR = "folded"


def folded_heads(heads: tuple[list[str], list[str]]) -> dict[str, str]:
    """``{file column: the column it was folded into}`` for the candidate-head columns ``heads`` (as
    :func:`yuanluo.gis.columns.head_columns` gives them): a party-member column is shown as ``party_member``, any
    other as ``head_candidate`` (both are yes in ``head_candidate``). Not the file's columns themselves: they are
    not kept apart.

    >>> folded_heads((["党员", "返乡能人"], ["党员"]))
    {'党员': 'party_member', '返乡能人': 'head_candidate'}
    """
    heads_, party = heads
    return {c: "party_member" if c in party else "head_candidate" for c in heads_}


#: a cell a CSV or a sheet holds as a plain decimal number (no leading zero: ``007`` is an id, ``0.7`` a number)
_PLAIN_NUMBER = r"[-+]?(?:0|[1-9]\d*)(?:\.\d*)?(?:[eE][-+]?\d+)?|[-+]?\.\d+"


def _numbers_as_numbers(frame: pd.DataFrame, known: set[str], whole: Iterable[str] = ()) -> pd.DataFrame:
    """A table's (CSV, xlsx) other columns that hold numbers, as float: every non-blank cell a plain decimal
    number, and the column either one of ``known`` (the coordinate columns, ``elevation``) or with a fraction or
    an exponent in some cell. Whole-number columns stay text, and so does any column with a leading zero or a
    word in it: they may be ids (a unit number, a phone number) whose text must not change; personal columns
    are never touched. A column of ``whole`` whose cells are all whole numbers is made whole numbers (pandas
    ``Int64``, a blank missing): a 序号 (it numbers the rows), and a workbook's column whose numbers were numbers
    in the file (常住人口 typed as numbers, as the file had it: a GeoPackage's INTEGER field that QGIS sorts 1, 2 …
    10, number cells in Excel, never text that looks like a number).

    >>> f = pd.DataFrame({"x": ["473309.8", "5"], "elevation": ["300", ""], "no": ["1", "2"], "code": ["0.5", "07"],
    ...                   "area": ["1.5", "2"], "序号": ["9", "10"]})
    >>> out = _numbers_as_numbers(f, {"x", "elevation"}, {"序号"})
    >>> [c for c in out if out[c].dtype == float], out["elevation"].tolist()[0], out["no"].tolist()
    (['x', 'elevation', 'area'], 300.0, ['1', '2'])
    >>> str(out["序号"].dtype), out["序号"].tolist()
    ('Int64', [9, 10])
    >>> _numbers_as_numbers(pd.DataFrame({"序号": ["1", "01", ""]}), set(), {"序号"})["序号"].tolist()
    ['1', '01', '']
    """
    out = frame.copy()
    whole = set(whole)
    for col in frame.columns:
        s = frame[col]
        if not (s.dtype == object or pd.api.types.is_string_dtype(s.dtype)) or is_personal(str(col)):
            continue
        cells = s.astype("object").where(s.notna(), "").astype("str").str.strip()
        filled = cells[cells != ""]
        if filled.empty or not filled.str.fullmatch(_PLAIN_NUMBER).all():
            continue
        if col in whole and filled.str.fullmatch(r"0|[1-9]\d{0,14}").all():
            out[col] = pd.array([int(c) if c else pd.NA for c in cells], dtype="Int64")
        elif col in known or filled.str.contains(r"[.eE]", regex=True).any():
            out[col] = pd.to_numeric(cells.where(cells != "", None), errors="coerce").astype(float).to_numpy()
    return out


def _persons_combined(src: _Source, given: Mapping[str, str], named_heads: list[str], declared: DeclaredCRS | None,
                      problems: list[Problem], plan_col: str | None = None) -> _Source:
    """A roster of people (one row per person, a relation column) combined into one row per household
    (:func:`yuanluo.gis.roster.combine_persons`; ``plan_col``: a plan's unit column named by option); any other
    file as it is."""
    mapping, _ambiguous = map_columns(src.attrs.columns, {k: v for k, v in given.items() if k not in ("x", "y")})
    xy = _coordinate_columns(mapping, declared.crs if declared else None, given.get("x"), given.get("y"))[:2]
    heads = head_columns(src.attrs.columns, [h for h in named_heads if h in src.attrs.columns])[0]
    done = combine_persons(src.attrs, src.rows, src.geoms, hid_col=mapping.get("hid"), xy_cols=xy,
                           persons_col=mapping.get("persons"), head_cols=heads,
                           geographic=None if declared is None else declared.crs.is_geographic, file=src.fname,
                           place_cols=[mapping[c] for c in ("village", "group", "settlement") if c in mapping],
                           plan_cols=[plan_col] if plan_col else [])
    if done is None:
        return src
    problems.extend(done[3])
    return replace(src, attrs=done[0], rows=done[1], geoms=done[2])


def _column_map(src: _Source, cols: _Columns) -> dict[str, str]:
    """canonical -> the file's column (candidate heads and party members: every column, joined by 、)."""
    out = {k: v for k, v in cols.mapping.items() if v in src.attrs.columns}
    if cols.coords[2] == "pair":  # 经纬度: longitude and latitude in one column
        out["lon"] = out["lat"] = str(cols.coords[0])
    for canon, group in zip(("head_candidate", "party_member"), cols.heads, strict=True):
        if group:
            out[canon] = "、".join(group)
    return out


def _ids_in_index(frame: pd.DataFrame) -> bool:
    """Whether the household ids of ``frame`` are only in its index, which a saved table then keeps (a plain
    ``to_csv``, as for the ``hid`` index :func:`read_households` and ``make_village`` give): not pandas' default
    row numbering (an unnamed RangeIndex), nor an index whose values a column holds too; for those ``index=False``.

    >>> ids = pd.Index(["H1", "H2"], name="hid")
    >>> _ids_in_index(pd.DataFrame({"x": [1, 2]}, index=ids)), _ids_in_index(pd.DataFrame({"x": [1, 2]}))
    (True, False)
    >>> _ids_in_index(pd.DataFrame({"户编号": ["H1", "H2"]}, index=ids))
    False
    """
    index = frame.index
    if isinstance(index, pd.RangeIndex) and index.name is None:
        return False
    return not any(pd.Index(frame.iloc[:, i]).equals(index) for i in range(frame.shape[1]))


def _require_path(path: Any) -> None:
    """``READ-FRAME`` unless ``path`` names a file (a str or a path): a frame already in memory, or anything else,
    says what to do with it instead.

    >>> import pandas as pd
    >>> try:
    ...     _require_path(pd.DataFrame({"x": [1]}))
    ... except InputError as e:
    ...     print(e.problems[0].code, e.problems[0].params["given"])
    READ-FRAME DataFrame
    """
    if isinstance(path, str | os.PathLike):
        return
    how = "read.frame.geo" if isinstance(path, gpd.GeoDataFrame | gpd.GeoSeries) else \
        ("read.frame.indexed" if _ids_in_index(path) else "read.frame.table") \
        if isinstance(path, pd.DataFrame) else "read.frame.other"
    raise InputError(problem("READ-FRAME", given=given_name(path), how=both(how)))


#: the keys ``read_households(columns=...)`` takes: the canonical names of the alias table and the candidate heads
COLUMN_KEYS: tuple[str, ...] = (*ALIASES, "head_candidate")


def _require_column_keys(columns: Mapping[str, Any] | None) -> None:
    """``COL-KEY`` when a key of ``columns`` is not one :func:`read_households` takes (:data:`COLUMN_KEYS`):
    naming it, the keys taken, and the mapping with each unknown key replaced by the canonical name it stands
    for where one is clear (``lng`` → ``lon``: an alias of it; ``people: 人口`` → ``persons``: its column is
    one; ``person`` → ``persons``: a near spelling).

    >>> _require_column_keys({"hid": "编号", "lon": "东经"})
    >>> try:
    ...     _require_column_keys({"hid": "编号", "lng": "东经", "people": "人口"})
    ... except InputError as e:
    ...     print(e.problems[0].params["keys"]["en"], e.problems[0].params["fixed"]["en"])
    'lng', 'people' ; e.g. columns={'hid': '编号', 'lon': '东经', 'persons': '人口'}
    """
    if not columns or not isinstance(columns, Mapping):
        return
    unknown = [k for k in columns if k not in COLUMN_KEYS]
    if not unknown:
        return
    fixed: dict[Any, Any] = {}
    for k, v in columns.items():
        if k in COLUMN_KEYS:
            fixed[k] = v
            continue
        near = difflib.get_close_matches(str(k).strip().lower(), COLUMN_KEYS, n=1, cutoff=0.75)
        guess = canonical_of(str(k)) or (canonical_of(v) if isinstance(v, str) else None) or (near[0] if near else None)
        if guess is None or guess in columns or guess in fixed:
            fixed = {}
            break
        fixed[guess] = v
    example = both("load.columns.key.fixed", fixed=repr(fixed)) if fixed else {lang: "" for lang in LANGS}
    raise InputError(problem("COL-KEY", keys=_quoted([str(k) for k in unknown]), accepted=_quoted(COLUMN_KEYS),
                             fixed=example))


def _quoted(items: Iterable[str]) -> dict[str, str]:
    """``items`` quoted as each language quotes a value (“hid”、“lon” / 'hid', 'lon'), for ``{param[zh]}``.

    >>> _quoted(["hid", "lon"])
    {'zh': '“hid”、“lon”', 'en': "'hid', 'lon'"}
    """
    items = list(items)
    return {"zh": "、".join(f"“{i}”" for i in items), "en": ", ".join(f"'{i}'" for i in items)}


_Reader = TypeVar("_Reader", bound=Callable[..., Any])


def _reads_only(func: _Reader) -> _Reader:
    """``func``, a reader of the Python API, which writes nothing: an error it raises in a call from Python does not
    end by saying that no output file was written (:meth:`yuanluo.gis.errors.YuanluoError.from_reader`). On the
    command line that sentence is about the command's outputs, and stays."""

    @functools.wraps(func)
    def reader(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except YuanluoError as exc:
            if not on_command_line():
                exc.from_reader()
            raise

    return cast(_Reader, reader)


@_reads_only
def read_households(
    path: str | Path,
    *,
    layer: str | None = None,
    crs: Any = None,
    encoding: str | None = None,
    x_col: str | None = None,
    y_col: str | None = None,
    id_col: str | None = None,
    columns: Mapping[str, str] | None = None,
    centroids: bool = False,
    boundary: Any = None,
    water: Any = None,
    working_crs: Any = None,
    plan_col: str | None = None,
) -> tuple[gpd.GeoDataFrame, LoadReport]:
    """Read households into the working CRS, checking everything the bad-input catalogue lists.

    Parameters
    ----------
    path : str or Path
        GeoPackage, GeoJSON, Shapefile, GeoParquet or CSV file.
    layer : str, optional
        Layer of a multi-layer GeoPackage (required when there are several).
    crs : CRS-like, optional
        CRS of the coordinates: required for CSV and for files without one; overrides a file's CRS
        (with a CRS-OVERRIDE warning). Also ``"gcj02"`` / ``"bd09"`` for AMap/Baidu coordinates, which
        are converted to WGS 84.
    encoding : str, optional
        Text encoding of a CSV or Shapefile (detected when not given: UTF-8, UTF-8-BOM, GBK/GB18030).
    x_col, y_col : str, optional
        CSV columns holding the east–west (longitude / easting) and north–south (latitude / northing)
        coordinate. Without them the alias table decides; plain X/Y columns follow the surveying
        convention (X = northing) when ``crs`` is a Chinese Gauss–Krüger CRS.
    id_col : str, optional
        Household id column (default: an alias such as 户编号 / 户号 / id).
    columns : mapping, optional
        The explicit column mapping, ``canonical name -> column of the file``: ``hid``, ``x`` (east–west
        coordinate), ``y`` (north–south), ``persons``, ``village``, ``group``, ``settlement``,
        ``head_candidate`` (one column or a list: yes/no columns marking candidate heads, ``--head-col``).
        ``id_col``, ``x_col`` and ``y_col`` are shorthands for its first three keys (and win over them).
        Columns not named here are found by their aliases; candidate heads by
        :func:`yuanluo.gis.columns.head_columns` as well (党员, 致富带头人, 返乡能人 …: a household is a
        candidate when any of them says yes). A named column that is not in the file is a COL-MISSING error
        naming the option. The coordinates may also be named by ``lon``/``lat`` or ``easting``/``northing``
        (:data:`COLUMN_KEYS`); any other key (``lng``, ``people``) is a COL-KEY error naming the key it stands for.
    centroids : bool
        Turn polygons (building footprints) into their centroids; otherwise polygons are GEOM-TYPE.
    boundary : GeoDataFrame, GeoSeries or path, optional
        Village / area polygons used to cross-check the coordinates (wrong zone, far outside,
        GCJ-02 offset, outside the boundary: SPAT-OUTSIDE warning). The boundary itself is checked
        like :func:`read_layer` checks it (CRS-MISSING, GEOM-TYPE, GEOM-INVALID, BND-ID errors; a bare
        GeoSeries needs no id column), and a household in two or more of its polygons (an overlap,
        or exactly on a shared border) is a SPAT-AMBIG error.
    water : GeoDataFrame, GeoSeries or path, optional
        Water polygons (rivers, reservoirs): households inside them are a SPAT-WATER warning (often a
        coordinate offset). Lines are ignored.
    working_crs : CRS-like, optional
        Output CRS (projected, metres); default :func:`yuanluo.gis.crs.working_crs_for` of the data.
    plan_col : str, optional
        The column holding a plan's units (``check --unit-col``): in a roster of people, members of one household
        in two of its units are ID-PERSONS-PLAN, as for a column named as a plan's is
        (:func:`yuanluo.gis.roster.plan_column`).

    Returns
    -------
    households : GeoDataFrame
        Points in the working CRS, index ``hid`` (str), canonical columns ``persons`` (Int64),
        ``village``, ``group``, ``settlement`` (str), ``head_candidate`` and ``party_member`` (bool) where present, and every
        other input column under its original name. Division-code columns (统计用区划代码 …, see
        :func:`yuanluo.gis.columns.code_columns`) are 12-digit strings (ATTR-CODE error otherwise). Personal
        columns (姓名, 身份证号, 电话 …) are kept, with an ATTR-PERSONAL warning. A column named ``fid`` (a
        GeoPackage's feature id, which QGIS's Save As keeps in a Shapefile or CSV) is left out, with a COL-FID
        warning, unless it is named as a column to read. A settlement column found by its name that holds 0/1
        flags only is not read as settlements (COL-SETTLEMENT-FLAG warning); named ``settlement`` (a Shapefile's
        cut of a result's ``settlement_split``), it is kept as ``settlement_split``. Row order is the file's.
    report : LoadReport

    Raises
    ------
    InputError
        With every problem found in the file (CRSError when all are about the CRS).

    Examples
    --------
    >>> import tempfile, os
    >>> d = tempfile.mkdtemp(); f = os.path.join(d, "h.csv")
    >>> _ = open(f, "w", encoding="utf-8").write("户编号,经度,纬度,人口\\n001,106.55,29.56,3\\n002,106.551,29.561,2\\n")
    >>> h, rep = read_households(f, crs="EPSG:4490")
    >>> h.index.tolist(), h["persons"].tolist(), rep.working_crs
    (['001', '002'], [3, 2], 'EPSG:4545')
    >>> g = os.path.join(d, "g.csv")
    >>> _ = open(g, "w", encoding="utf-8").write("hh_id,E,N\\n7,106.55,29.56\\n8,106.551,29.561\\n")
    >>> read_households(g, crs="EPSG:4490", columns={"hid": "hh_id", "x": "E", "y": "N"})[0].index.tolist()
    ['7', '8']
    """
    _require_path(path)
    _require_column_keys(columns)
    shorthand = {"hid": id_col, "x": x_col, "y": y_col}
    given = {**(columns or {}), **{k: v for k, v in shorthand.items() if v is not None}}
    named = given.pop("head_candidate", None)
    named_heads = split_names([named] if isinstance(named, str) else named)
    problems: list[Problem] = []
    src = _open_households(Path(path), str(path), layer, encoding, [*given.values(), *named_heads], problems,
                           keys={given[k]: k for k in ("hid", "x", "y", *COORD_COLUMNS, *_LEVELS) if k in given})
    named_heads = split_enumerated(named_heads, src.attrs.columns)  # 可任院落长、返乡能人: two columns
    if _as_table(src) and "x" not in given and "y" not in given:  # a plan (户编号, 院落编号; no coordinates)
        plan = _plan_header([[str(c) for c in src.attrs.columns]], src.fname)
        if plan is not None:
            raise InputError(plan)
    declared = _declared(src, parse_crs(crs) if crs is not None else None, problems)
    src = _persons_combined(src, given, named_heads, declared, problems, plan_col)
    cols = _household_columns(src, given, declared, problems, named_heads)
    if _as_table(src) and cols.coords[2] == "pair" and declared is not None and not declared.shift \
            and not declared.crs.is_geographic:  # a pair is read as longitude, latitude only
        problems.append(problem("COORD-PAIR-CRS", file=src.fname, column=cols.coords[0],
                                crs=_crs_label(declared.crs), crs_option="--crs", option="--crs"))
        n = len(src.attrs)
        xy = (np.full(n, np.nan), np.full(n, np.nan), np.ones(n, dtype=bool))
    elif _as_table(src):
        xy = _csv_points(src, cols, problems)
    else:
        xy = _vector_points(src, cols.ids, centroids, problems)
    coords = cols.coords[:2] if _as_table(src) else (None, None)
    _check_locations(src, cols.ids, xy, declared, (boundary, water), problems, coords=coords)
    parsed = _parse_attributes(src, cols, problems)
    _raise(when_stopped(problems))  # a roster of people: its combining not said beside an error that stops
    assert declared is not None
    g = _to_working(xy[0], xy[1], declared, working_crs)
    warnings = [q for q in problems if q.severity == "warning"]
    lonlat = g.to_crs(4326)
    warnings.extend(span_problem(lonlat.x.to_numpy(), lonlat.y.to_numpy(), g.crs, src.fname))
    warnings.extend(check_duplicates(np.column_stack([g.x.to_numpy(), g.y.to_numpy()]), src.rows,
                                     cols.ids.astype(str), src.fname))
    result = _assemble(src, cols, parsed, g)
    report = LoadReport(
        file=src.fname, layer=src.layer, format=src.fmt, sha256=_sha256(src.parts), n_rows=len(src.attrs),
        declared_crs=(declared.label if declared.shift else _crs_label(declared.crs)),
        working_crs=_crs_label(g.crs), column_map=_column_map(src, cols),
        warnings=warnings, encoding=src.encoding, rows=src.rows, header_row=src.header_row,
        columns=src.column_list,
    )
    for wp in warnings:
        log.debug(wp.message("en"))
    result.attrs["file"] = src.fname  # named by later problems about these households (PLAN-COLUMN, CHECK-PERSONS)
    return result, report


@dataclass(frozen=True)
class CheckedLayer:
    """The geometries of a layer read and checked already, given to :func:`read_households` as ``water=`` (the
    water that blocks walking of the ``--water`` file :func:`yuanluo.planners.workflows.load_inputs` read once):
    taken as they are (in their CRS; ``attrs["water_class"]`` each polygon's land-use class), not checked again."""

    geoms: gpd.GeoSeries


def _usable_aux(source: Any, kind: str, problems: list[Problem]) -> gpd.GeoSeries | None:
    """Read and check a boundary / water layer given to :func:`read_households`.

    Its problems are added to ``problems``; returns its geometries (in their own CRS) when the layer
    has no error, else None (a broken layer is not used to judge the households).
    """
    if source is None:
        return None
    if isinstance(source, CheckedLayer):  # read and checked already, from a file (load_inputs)
        return source.geoms
    gdf, src, found = _read_aux(source, kind)
    if kind == "boundary":  # its fixes for this keyword, which takes the layer alone (no id_col=, no centroids=)
        found = [keyword_layer(q) for q in found]
    # a file of several layers: this keyword takes no layer name (read_households' layer= is the households'),
    # so the layer is read with read_layer and passed; never met on the command line, which passes a layer read
    problems.extend(_layer_keyword(q, kind) if q.code == "IO-LAYER-OPTION" else q for q in found)
    if gdf is None or src is None or any(q.severity == "error" for q in found):
        return None
    out = gpd.GeoSeries(gdf.geometry.to_numpy(), crs=src)
    if "water_class" in gdf.columns:  # the land-use class of each water polygon (坑塘水面 …), for SPAT-WATER
        out.attrs["water_class"] = gdf["water_class"].fillna("").astype(str).tolist()
    return out


def _layer_keyword(q: Problem, kind: str) -> Problem:
    """IO-LAYER-KEYWORD: IO-LAYER-OPTION of a file of several layers passed as ``water=`` (``boundary=``) to
    :func:`read_households`, which takes no layer name: read the layer it proposes with read_layer, or, where no
    layer has the shapes the keyword takes, say so."""
    from yuanluo.gis.transaction import shown

    keyword = python_keyword(LAYER_KINDS[kind])
    said = {"file": shown(q.file or ""), "first": q.params["first"], "kind": kind, "keyword": keyword}
    kinds, shape = q.params.get("kinds") or {}, q.params.get("shape") or {}
    if said["first"]:
        how = {lang: text("load.layerkw.some", lang, **said) for lang in LANGS}
    elif kinds:  # layers of the shapes, none named for the kind (unnamed); or none of the shapes
        key = "load.layerkw.unnamed" if q.params.get("shaped") else "load.layerkw.none"
        how = {lang: text(key, lang, shape=shape[lang], kinds=kinds[lang],
                          what=text(f"load.layeropt.kind.{kind}", lang), **said) for lang in LANGS}
    else:  # a result Yuanluo wrote that holds no layer of this kind (load.resultout.fix.none)
        how = q.params["how"]
    return problem("IO-LAYER-KEYWORD", file=q.file, layers=q.params["layers"], first=said["first"], kind=kind,
                   keyword=keyword, how=how)


def _spatial_relations(x: np.ndarray, y: np.ndarray, k: np.ndarray, declared: DeclaredCRS, *,
                       bnd: gpd.GeoSeries | None, wat: gpd.GeoSeries | None, rows: np.ndarray,
                       ids: np.ndarray, fname: str) -> list[Problem]:
    """SPAT-AMBIG (household in 2+ boundary polygons) and SPAT-WATER, in the CRS of the coordinates."""
    multi = bnd is not None and len(bnd) > 1
    if not multi and wat is None:
        return []
    ok = k & np.isfinite(x) & np.isfinite(y)
    src = declared.crs
    xs, ys = x[ok], y[ok]
    if declared.shift:
        xs, ys = chinacoords.to_wgs84(xs, ys, declared.shift)
        src = CRS.from_epsg(4326)
    pts = shapely.points(xs, ys)
    out: list[Problem] = []
    if multi:
        assert bnd is not None
        out.extend(check_ambiguous(pts, bnd.to_crs(src).to_numpy(), rows[ok], ids[ok], fname))
    if wat is not None:
        out.extend(check_points_in_water(pts, wat.to_crs(src).to_numpy(), rows[ok], ids[ok], fname,
                                         classes=wat.attrs.get("water_class")))
    return out


# ------------------------------------------------------------------------------ auxiliary layers
#: kind of auxiliary layer -> the command-line option that gives it (named in the messages)
LAYER_KINDS = {"rivers": "--rivers", "water": "--water", "roads": "--roads", "boundary": "--boundary",
               "groups": "--groups", "units": "--units", "candidates": "--candidates", "fixed": "--fixed",
               "seeds": "--seeds", "meeting_points": "--meeting-points"}
#: kind of points table -> the option declaring its coordinate system (named by POINTS-CRS and COORD-PAIR-CRS):
#: ``cover --fixed`` takes ``--fixed-crs`` (else ``--crs``); seeds and meeting points by their coordinates are
#: read in the household file's (no option of their own: the fix is their households' ids)
CRS_OPTIONS = {"candidates": "--crs", "fixed": "--fixed-crs", "seeds": "", "meeting_points": ""}


def _require_kind(kind: Any, call: str) -> None:
    """``LAYER-KIND`` unless ``kind`` is one of :data:`LAYER_KINDS`: the kinds ``call`` takes, and the nearest
    one when the given one is close to it (``river`` → ``rivers``)."""
    if isinstance(kind, str) and kind in LAYER_KINDS:
        return
    near = difflib.get_close_matches(kind.strip().lower(), list(LAYER_KINDS), n=1, cutoff=0.6) \
        if isinstance(kind, str) else []
    nearest = both("load.kind.nearest", call=call, nearest=near[0]) if near else {lang: "" for lang in LANGS}
    raise InputError(problem("LAYER-KIND", call=call, given=given_name(kind), kinds=_quoted(LAYER_KINDS),
                             nearest=nearest))


def _layer_by_option(q: Problem, option: str, kind: str) -> Problem:
    """IO-LAYER / IO-NOLAYER of a file given to ``option`` (``--rivers`` …) say to name the layer with that
    option (``--rivers file::rivers``), not with the households' ``--layer``; other problems pass unchanged. The
    layer the fix proposes is one whose shapes ``option`` takes (:func:`_proposed_layer`), or, where none has, the
    fix says so and lists the layers with their shapes."""
    if q.code not in ("IO-LAYER", "IO-NOLAYER"):
        return q
    from yuanluo.gis.transaction import shown

    layers = [str(x) for x in q.params.get("layers", [])]
    part = q.params.get("part", LAYER)
    shaped = False
    if part == LAYER:
        first, shape, kinds, shaped = _proposed_layer(Path(q.file or ""), layers, kind)
    else:  # a workbook's sheets: no shapes to go by; the one whose header the reader found (coordinates, ids)
        found = str(q.params.get("first") or "")
        first = kind if kind in layers else found if found in layers else (layers[0] if layers else "")
        shape, kinds = {}, {}
    said = {"option": option, "file": shown(q.file or ""), "first": first}
    if first:
        key = "load.layeropt.one" if q.code == "IO-NOLAYER" else "load.layeropt.some"
        how = {lang: text(key, lang, part=part[lang], **said) for lang in LANGS}
    elif kinds:  # layers of the shapes, none named for the kind (unnamed); or none of the shapes
        key = "load.layeropt.unnamed" if shaped else "load.layeropt.none"
        how = {lang: text(key, lang, part=part[lang], shape=shape[lang], kinds=kinds[lang],
                          what=text(f"load.layeropt.kind.{kind}", lang), **said) for lang in LANGS}
    else:  # a result Yuanluo wrote that holds no layer of this kind: its own layers are none of it
        given = _recorded_input(Path(q.file or ""), kind)  # the file its delineation was given, if any
        key = "load.layeropt.result" if given else "load.resultout.fix.none"
        how = {lang: text(key, lang, what=text(f"load.resultout.{kind}", lang), path=shown(given or ""))
               for lang in LANGS}
    return problem(f"{q.code}-OPTION", file=q.file, layer=q.params.get("layer", ""), layers=layers, first=first,
                   option=option, part=part, how=how, shape=shape, kinds=kinds, shaped=shaped)


#: the shapes of the layers proposed for each kind of layer (lines for rivers and roads, polygons for water …) and
#: the words for what it takes (load.layeropt.takes.*)
_KIND_SHAPES = {"rivers": ("line",), "roads": ("line",), "water": ("polygon",), "boundary": ("polygon",),
                "groups": ("polygon",), "units": ("polygon",), "candidates": ("point",), "fixed": ("point",)}
_KIND_TAKES = {"rivers": "rivers", "roads": "roads", "candidates": "point", "fixed": "point"}
#: the kinds whose names make a layer of polygons one to propose too: --rivers takes water areas as polygons, --roads
#: road polygons
_NAMED_POLYGONS = {"rivers": ("rivers", "water"), "roads": ("roads",)}
#: words of a layer's name that say it holds the kind (its name, in lower case, holds one): a layer is proposed for
#: a kind only so named, or with the kind's columns (:data:`_KIND_COLUMNS`); where none is, the layers are listed
_KIND_WORDS = {"rivers": ("river", "waterway", "stream", "canal", "ditch", "hyd", "河", "溪", "渠", "水系"),
               "water": ("water", "lake", "pond", "reservoir", "hyd", "dltb", "landuse", "land_use", "lulc",
                         "水", "湖", "塘", "库", "地类", "土地利用"),
               "roads": ("road", "street", "highway", "path", "track", "lrdl", "路", "街"),
               "boundary": ("boundar", "village", "admin", "parish", "xzq", "村", "行政", "区划"),
               "groups": ("group", "grid", "组", "网格"),
               "units": ("unit", "courtyard", "院落", "小院"),
               "candidates": ("candidate", "site", "候选", "选址"),
               "fixed": ("fixed", "existing", "service", "已有", "服务", "议事")}
#: columns that say a layer holds the kind: a land survey's class name and code (地类名称 DLMC, 地类编码 DLBM) hold
#: its water, OpenStreetMap's highway its roads; a village (group) name column a boundary (groups) layer
_KIND_COLUMNS = {"rivers": ("dlmc", "dlbm"), "water": ("dlmc", "dlbm"), "roads": ("highway",)}
_KIND_CANONICAL = {"boundary": "village", "groups": "group"}


def _recorded_input(p: Path, kind: str) -> str | None:
    """The path of the ``kind`` layer (rivers …) the delineation that wrote the result ``p`` was given, as its
    ``run`` table records it; None where it records none or cannot be read."""
    try:
        run = pyogrio.read_dataframe(gdal_path(p), layer="run", read_geometry=False,
                                     where=f"key = 'inputs.{kind}.path'")
    except Exception:  # noqa: BLE001 - no readable run table: nothing recorded
        return None
    values = [str(v) for v in run.get("value", []) if str(v)]
    return values[0] if values else None


def _shape_of(geometry_type: Any) -> str:
    """``point``, ``line``, ``polygon``, ``none`` (a table) or ``unknown`` (of any shape) of a layer by its geometry
    type as pyogrio lists it (``MultiLineString``, ``Polygon Z``, ``Unknown``, None)."""
    t = str(geometry_type or "").lower()
    for shape in ("point", "line", "polygon"):
        if shape in t:
            return shape
    return "unknown" if t else "none"


def _proposed_layer(p: Path, layers: list[str], kind: str) -> tuple[str, dict[str, str], dict[str, str], bool]:
    """The layer of the GeoPackage ``p`` that IO-LAYER-OPTION proposes for ``kind`` ("" where none fits), what
    ``kind`` takes in every language (``{"zh": "线（或水面的面）", "en": "lines (or water polygons)"}``), each
    layer with its shapes (``roads（线）、places（点）``; {} for a result Yuanluo wrote, whose own layers are none of
    it), and whether some layer has the shapes ``kind`` takes.

    The layer named ``kind``; else, of the layers that say they hold ``kind`` by their name (``waterways``,
    ``河流``, :data:`_KIND_WORDS`) or their columns (a land survey's DLMC for water, :data:`_KIND_COLUMNS`), one of
    the shapes ``kind`` takes (:data:`_KIND_SHAPES`: lines for rivers and roads, polygons for water …; then polygons
    named for water or rivers for ``--rivers``, for roads for ``--roads``; then layers of shapes of any kind), one
    named for this kind alone before one named for another too. A layer that says nothing of ``kind`` is never
    proposed, whatever its shapes: the villages are no water. Of a result Yuanluo wrote only its layers of that kind
    (:data:`RESULT_BARRIERS`): its units are no water, its unit_adjacency no rivers.

    >>> import tempfile; d = Path(tempfile.mkdtemp()); f = d / "a.gpkg"
    >>> from shapely.geometry import LineString, Point, box
    >>> for name, g in (("households", Point(0, 0)), ("roads", LineString([(0, 0), (1, 1)])),
    ...                 ("waterways", LineString([(0, 1), (1, 0)])), ("parishes", box(0, 0, 1, 1))):
    ...     gpd.GeoDataFrame(geometry=[g], crs=4490).to_file(f, layer=name)
    >>> names = ["households", "roads", "waterways", "parishes"]
    >>> [_proposed_layer(f, names, k)[0] for k in ("rivers", "roads", "water", "boundary", "candidates")]
    ['waterways', 'roads', '', 'parishes', '']
    >>> first, takes, kinds, shaped = _proposed_layer(f, ["households", "parishes"], "rivers")
    >>> first, takes["en"], kinds["en"], shaped
    ('', 'lines (or water polygons)', 'households (points), parishes (polygons)', False)
    >>> _proposed_layer(f, ["households", "parishes"], "water")[3]  # polygons, but none named for water
    True
    """
    try:
        types = {name: _shape_of(kind) for name, kind in file_layers(p)}
    except Exception:  # noqa: BLE001 - listed a moment ago (_list_layers); then by name alone
        types = {}
    takes = both(f"load.layeropt.takes.{_KIND_TAKES.get(kind, 'polygon')}")
    kinds: dict[str, str] = {lang: text("list.sep", lang).join(
        text("load.layeropt.layer", lang, name=n, shape=text(f"load.layeropt.shape.{types.get(n, 'unknown')}", lang))
        for n in layers) for lang in LANGS}
    shapes = _KIND_SHAPES.get(kind, ())
    shaped = any(types.get(n) in shapes for n in layers)
    if kind in layers:
        return kind, takes, kinds, shaped
    if kind in RESULT_BARRIERS and p.suffix.lower() == ".gpkg" and is_result(p):
        fits = [n for n in RESULT_BARRIERS[kind] if n in layers]
        return (fits[0] if fits else ""), takes, {}, shaped

    def columns(name: str) -> set[str]:
        try:
            return {str(c) for c in pyogrio.read_info(gdal_path(p), layer=name)["fields"]}
        except Exception:  # noqa: BLE001 - unreadable fields: by its name alone
            return set()

    def named(name: str, k: str) -> bool:
        if any(w in name.lower() for w in _KIND_WORDS.get(k, ())):
            return True
        if k not in _KIND_COLUMNS and k not in _KIND_CANONICAL:
            return False
        cols = columns(name)
        canonical = _KIND_CANONICAL.get(k)
        return bool({c.lower() for c in cols} & set(_KIND_COLUMNS.get(k, ()))) or \
            (canonical is not None and any(canonical_of(c) == canonical for c in cols))

    ranked = []
    for i, name in enumerate(layers):
        t = types.get(name, "unknown")
        own = named(name, kind)
        if t in shapes:
            rank = 0
        elif t == "polygon" and any(named(name, k) for k in _NAMED_POLYGONS.get(kind, ())):
            rank, own = 1, True  # water polygons for --rivers, road polygons for --roads
        elif t == "unknown":
            rank = 2
        else:
            continue
        if not own:  # says nothing of the kind: not proposed
            continue
        other = any(named(name, k) for k in _KIND_WORDS if k != kind and k not in _NAMED_POLYGONS.get(kind, ()))
        ranked.append((other, rank, i, name))
    return (min(ranked)[3] if ranked else ""), takes, kinds, shaped


def _no_geometry(fname: str, option: str, fmt: str, layer: str | None, shaped: list[str] | None = None) -> Problem:
    """LAYER-NOGEOM of a file given to ``option`` that holds no shapes, worded by the file's kind: a GeoPackage's
    layer (or a layer chosen by name) is named as the layer it is; a file without layers (a plain Parquet, which
    pandas writes without geometry) is named as the file, with a fix that names no layer.

    >>> print(_no_geometry("roster.parquet", "--rivers", "geoparquet", None).title("zh"))
    文件 roster.parquet 没有几何，只是一张普通的 Parquet 表（不是 GeoParquet，没有几何列），读不出其中的形状。
    >>> print(_no_geometry("a.gpkg", "--rivers", "gpkg", "hh").title("en"))
    the file a.gpkg (layer hh) has no geometry: it is an attribute table, with no shapes to read.
    >>> print(_no_geometry("a.gpkg", "--rivers", "gpkg", "hh").title("zh"))
    文件 a.gpkg（图层 hh）没有几何，只是一张属性表，读不出其中的形状。
    """
    layered = fmt == "gpkg" or layer is not None
    where = both("load.nogeom.where", layer=layer or "") if layered else both("load.nogeom.where.none")
    what = both("load.nogeom.what.parquet" if fmt == "geoparquet" and not layered else "load.nogeom.what.table")
    how = both("load.nogeom.fix.file")
    if layered:  # "another layer of the file" only where the file has one with shapes, and then by its name
        if shaped is None:
            how = both("load.nogeom.fix.layer")
        elif shaped:
            names = joined(shaped)
            how = {lang: text("load.nogeom.fix.layer.named", lang, example=shaped[0], layers=names[lang])
                   for lang in LANGS}
        else:
            how = both("load.nogeom.fix.layer.only")
    return problem("LAYER-NOGEOM", file=fname, option=option, layer=layer or "", where=where, what=what, how=how)


def _shaped_layers(p: Path, layer: str | None, *, polygons: bool = False) -> list[str] | None:
    """The data layers of the file ``p`` other than ``layer`` that hold shapes (``polygons``: polygons), None where
    they cannot be listed.

    >>> import tempfile; d = Path(tempfile.mkdtemp()); f = d / "a.gpkg"
    >>> import pyogrio; from shapely.geometry import Point
    >>> pyogrio.write_dataframe(pd.DataFrame({"a": [1]}), f, layer="table")
    >>> _shaped_layers(f, "table")
    []
    >>> gpd.GeoDataFrame(geometry=[Point(0, 0)], crs=4326).to_file(f, layer="pts")
    >>> _shaped_layers(f, "table"), _shaped_layers(f, "table", polygons=True)
    (['pts'], [])
    """
    try:
        listed = file_layers(p)
    except Exception:  # noqa: BLE001 - the file was read a moment ago; say what was said before
        return None
    return [n for n, kind in listed
            if n != layer and n not in NOT_DATA_LAYERS and kind is not None
            and (not polygons or "polygon" in str(kind).lower())]


#: the kinds of layer read without their features that have no shape (a null or empty geometry: LAYER-NOSHAPE-ROWS,
#: every feature LAYER-NOSHAPE); each polygon of a boundary, groups or units layer is needed (GEOM-EMPTY)
SHAPELESS_LEFT_OUT = ("rivers", "water", "roads", "candidates", "fixed")


def _shapeless(gdf: gpd.GeoDataFrame, fname: str, option: str, fmt: str | None, layer: str | None,
               ) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """The features of a layer given to ``option`` that have a shape, and what was said of those without one (a
    null or empty geometry: a GeoJSON made from a table with ``"geometry": null``, shapes lost on a conversion):
    every feature without one is LAYER-NOSHAPE, an error (the layer, read as it is, would be as if not given: a
    planner would take the units for river-safe); some are LAYER-NOSHAPE-ROWS, a warning naming them (features
    numbered from 1), and they are left out; ``attrs["rows"]`` then holds the feature number of each one kept.

    Said here as to a caller of the Python API (the titles that name no option):

    >>> from shapely.geometry import LineString
    >>> g = gpd.GeoDataFrame({"name": ["a", "b", "c"]}, crs=4326,
    ...                      geometry=[LineString([(0, 0), (1, 1)]), None, shapely.from_wkt("LINESTRING EMPTY")])
    >>> kept, found = _shapeless(g, "r.geojson", "--rivers", "geojson", None)
    >>> kept["name"].tolist(), kept.attrs["rows"], [(q.code, q.severity, q.rows) for q in found]
    (['a'], [1], [('LAYER-NOSHAPE-ROWS', 'warning', (2, 3))])
    >>> print(found[0].title("en"))
    the file r.geojson is used with 1 of its 3 features; left out: 2 features without a shape (a null or empty geometry: rows 2, 3).
    >>> _, found = _shapeless(g.iloc[1:], "r.gpkg", "--rivers", "gpkg", "rivers")
    >>> print(found[0].title("zh"))
    文件 r.gpkg（图层 rivers）有 2 个要素，却没有一个带形状（几何全部为空），其中没有可用的内容。
    """
    geoms = gdf.geometry
    none = (geoms.isna() | geoms.is_empty).to_numpy(dtype=bool)
    if not none.any():
        return gdf, []
    layered = fmt == "gpkg" or layer is not None
    where = both("load.nogeom.where", layer=layer or "") if layered else both("load.nogeom.where.none")
    if none.all():
        return gdf, [problem("LAYER-NOSHAPE", file=fname, option=option, where=where, features=len(gdf))]
    rows = np.arange(1, len(gdf) + 1)
    kept = gdf.loc[~none].reset_index(drop=True)  # numbered from 0 as a layer read from a file is
    kept.attrs["rows"] = [int(r) for r in rows[~none]]
    return kept, [problem("LAYER-NOSHAPE-ROWS", severity="warning", file=fname, option=option, where=where,
                          rows=rows[none], total=len(gdf), kept=int((~none).sum()))]



#: shapely type ids of a layer's features: polygons (the water areas --water takes), lines, points
_POLYGON_TYPES, _LINE_TYPES, _POINT_TYPES = (3, 6), (1, 2, 5), (0, 4)


def _kinds_found(counts: Sequence[tuple[str, int]]) -> dict[str, str]:
    """``{"zh": "3 条线、1 个点", "en": "3 lines, 1 point"}``: the kinds of shape a layer holds instead of polygons
    (``counts``: (``lines``, ``points`` or ``collections``, how many) in that order), in every language."""
    out: dict[str, str] = {}
    for lang in LANGS:
        parts = [text(f"load.waterkind.{k}{'.one' if n == 1 else ''}", lang, n=n) for k, n in counts if n]
        out[lang] = text("list.sep", lang).join(parts)
    return out


def _water_kind(gdf: gpd.GeoDataFrame, fname: str, option: str, fmt: str | None, layer: str | None, *,
                result: bool = False) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """A ``--water`` layer's features that can be water areas (polygons, and the points
    :func:`yuanluo.gis.barriers.prepare_barriers` says of: BARRIER-POINTS-SOME), and what was said of the rest.

    ``--water`` takes polygons only (lines are rivers: ``--rivers`` takes them, and polygons as water areas too).
    A layer without one polygon is LAYER-WATER-KIND, an error naming the kinds it holds, its fix by them (lines:
    give the file with ``--rivers``; points only: give the water areas' polygons): read as it is it would cut
    nothing. Lines (and geometry collections) among polygons are left out with the warning LAYER-WATER-LINES
    naming their feature numbers (of a land survey's layer, DLBM/DLMC, only those of a water class: the others
    would block nothing as rivers either); ``attrs["rows"]`` then holds the feature number of each one kept.
    Features without a shape (null, empty) are neither: :func:`_shapeless` says of them (a layer given in memory,
    :func:`yuanluo.gis.barriers.prepare_barriers`, may hold them).

    ``result``: the layer is the water layer of a result Yuanluo wrote (:func:`is_result`), holding what its
    delineation was given as ``--water``. Lines there (given as water to older versions, which took none) never
    cut a walk: they are left out, as they were used, with the warning LAYER-RESULT-WATER-LINES (not the
    ``--rivers`` fix of a file the planner gives).

    Said here as to a caller of the Python API:

    >>> from shapely.geometry import LineString, Point, box
    >>> rivers = gpd.GeoDataFrame(geometry=[LineString([(0, 0), (1, 1)])] * 3 + [Point(0, 0)], crs=4326)
    >>> _, found = _water_kind(rivers, "rivers.geojson", "--water", "geojson", None)
    >>> [(q.code, q.severity) for q in found]
    [('LAYER-WATER-KIND', 'error')]
    >>> print(found[0].title("en"))
    the file rivers.geojson given as water= holds no polygons, only 3 lines, 1 point: water= takes water areas as polygons (ponds, reservoirs, lakes, a land survey's water polygons); nothing in it is one.
    >>> mixed = gpd.GeoDataFrame({"name": ["pond", "river", "lake"]}, crs=4326,
    ...                          geometry=[box(0, 0, 1, 1), LineString([(0, 0), (1, 1)]), box(2, 2, 3, 3)])
    >>> kept, found = _water_kind(mixed, "w.gpkg", "--water", "gpkg", "water")
    >>> kept["name"].tolist(), kept.attrs["rows"], [(q.code, q.severity, q.rows) for q in found]
    (['pond', 'lake'], [1, 3], [('LAYER-WATER-LINES', 'warning', (2,))])
    """
    if not len(gdf):
        return gdf, []
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    t = shapely.get_type_id(geoms)
    shaped = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))  # a shapeless feature is no kind of shape
    poly, line, point = (np.isin(t, kinds) & shaped for kinds in (_POLYGON_TYPES, _LINE_TYPES, _POINT_TYPES))
    other = shaped & ~(poly | line | point)  # geometry collections: no polygon of a water layer either
    rows = np.asarray(gdf.attrs.get("rows") or range(1, len(gdf) + 1), dtype=int)
    layered = fmt == "gpkg" or layer is not None
    where = both("load.nogeom.where", layer=layer or "") if layered else both("load.nogeom.where.none")
    if result and (line | other).any():  # never barriers: left out, as its delineation used them
        drop = line | other
        kept = gdf.loc[~drop].reset_index(drop=True)
        kept.attrs["rows"] = [int(r) for r in rows[~drop]]
        found = _kinds_found([("lines", int(line.sum())), ("collections", int(other.sum()))])
        n_poly = int(poly.sum())
        then = (both("load.resultwater.kept" + (".one" if n_poly == 1 else ""), kept=n_poly) if n_poly
                else both("load.resultwater.none"))
        return kept, [problem("LAYER-RESULT-WATER-LINES", severity="warning", file=fname, rows=rows[drop],
                              found=found, total=len(gdf), then=then)]
    if not (poly.any() or line.any() or point.any() or other.any()):
        return gdf, []  # no shape at all: LAYER-NOSHAPE's, or an empty layer's
    if not poly.any():
        found = _kinds_found([("lines", int(line.sum())), ("points", int(point.sum())),
                              ("collections", int(other.sum()))])
        other_polys = (_shaped_layers(Path(fname), layer, polygons=True) if layered and Path(fname).is_file()
                       else None)
        how = both("load.waterkind.fix." + ("lines" if line.any() else "points.layer" if other_polys
                                            else "points"))
        return gdf, [problem("LAYER-WATER-KIND", file=fname, option=option, where=where, found=found, how=how,
                             features=len(gdf))]
    drop = line | other
    if not drop.any():
        return gdf, []
    said = drop.copy()
    from yuanluo.gis.barriers import is_landuse_survey, landuse_classes

    if is_landuse_survey(gdf):  # a land survey's line of a class that is not water blocks nothing as a river
        cls = landuse_classes(gdf)
        if cls is not None:
            said &= cls["code"].to_numpy(dtype=object) != ""
    kept = gdf.loc[~drop].reset_index(drop=True)
    kept.attrs["rows"] = [int(r) for r in rows[~drop]]
    if not said.any():
        return kept, []
    found = _kinds_found([("lines", int((said & line).sum())), ("collections", int((said & other).sum()))])
    return kept, [problem("LAYER-WATER-LINES", severity="warning", file=fname, option=option, where=where,
                          rows=rows[said], found=found, total=len(gdf))]


def _water_shapeless(gdf: gpd.GeoDataFrame, fname: str, option: str, fmt: str | None, layer: str | None,
                     ) -> Problem | None:
    """LAYER-NOSHAPE-WATER, an error, when every water feature of a land survey's layer (DLBM/DLMC, a water class:
    河流水面, 坑塘水面 …) given to ``--rivers`` or ``--water`` lacks a shape (a null or empty geometry) while others
    have one: read as it is no water would cut a walk (LAYER-NOSHAPE-ROWS would only name the rows). None when
    some water feature has a shape, none lacks one, every feature lacks one (LAYER-NOSHAPE) or the layer is no
    land survey's.

    >>> from shapely.geometry import box
    >>> lu = gpd.GeoDataFrame({"DLMC": ["坑塘水面", "旱地", "河流水面"]}, geometry=[None, box(0, 0, 1, 1), None], crs=4545)
    >>> q = _water_shapeless(lu, "DLTB.shp", "--water", "shapefile", None)
    >>> q.code, q.rows, q.params["classes"]
    ('LAYER-NOSHAPE-WATER', (1, 3), ['坑塘水面 ×1', '河流水面 ×1'])
    >>> _water_shapeless(lu.set_geometry([None, box(0, 0, 1, 1), box(1, 0, 2, 1)]), "DLTB.shp", "--water",
    ...                  "shapefile", None) is None
    True
    """
    from yuanluo.gis.barriers import is_landuse_survey, landuse_classes

    if not len(gdf) or not is_landuse_survey(gdf):
        return None
    cls = landuse_classes(gdf)
    geoms = gdf.geometry
    none = (geoms.isna() | geoms.is_empty).to_numpy(dtype=bool)
    if cls is None or none.all() or not none.any():
        return None
    water = cls["code"].to_numpy(dtype=object) != ""
    if not water.any() or (water & ~none).any():
        return None
    labels = cls["label"].to_numpy(dtype=object)[water].astype(str)
    v, c = np.unique(labels, return_counts=True)
    classes = [f"{v[i]} ×{c[i]}" for i in np.lexsort((v, -c))]  # by count, then name, as BARRIER-LANDUSE lists
    layered = fmt == "gpkg" or layer is not None
    where = both("load.nogeom.where", layer=layer or "") if layered else both("load.nogeom.where.none")
    return problem("LAYER-NOSHAPE-WATER", file=fname, option=option, where=where,
                   rows=np.arange(1, len(gdf) + 1)[water], classes=classes, kept=int((~none).sum()))

def _water_validity(gdf: gpd.GeoDataFrame, classes: pd.DataFrame | None = None) -> np.ndarray:
    """Per row of ``gdf`` (a layer given to ``--water`` or ``--rivers``): False where it is a water polygon whose
    geometry is not valid, as :func:`_water_invalid` says them (its polygons; of a land survey, DLBM/DLMC, those of
    a water class only: its farmland and homesteads are no barrier), True elsewhere (not tested). The polygons
    :func:`yuanluo.gis.barriers.blocking_water` repairs are among those tested, so it takes this (``valid=``)
    rather than testing them again (:attr:`StoredLayer.water_valid`: once per layer read). ``classes``: the
    :func:`yuanluo.gis.barriers.landuse_classes` of ``gdf``, where found already (:attr:`StoredLayer.classes`).

    >>> from shapely.geometry import LineString, Polygon
    >>> bow = Polygon([(0, 0), (9, 0), (0, 9), (9, 9)])
    >>> lu = gpd.GeoDataFrame({"DLBM": ["1101", "0103", "1104"], "DLMC": ["河流水面", "旱地", "坑塘水面"]},
    ...                       geometry=[bow, bow, LineString([(0, 0), (9, 9)])], crs=4545)
    >>> _water_validity(lu).tolist()
    [False, True, True]
    """
    from yuanluo.gis.barriers import is_landuse_survey, landuse_classes

    geoms = np.asarray(gdf.geometry.values, dtype=object)
    poly = np.isin(shapely.get_type_id(geoms), _POLYGON_TYPES) & ~shapely.is_empty(geoms)
    cls = (landuse_classes(gdf) if classes is None else classes) if is_landuse_survey(gdf) else None
    if cls is not None:  # a land survey's farmland and homesteads are no barrier: not said
        poly &= cls["code"].to_numpy(dtype=object) != ""
    valid = np.ones(len(geoms), dtype=bool)
    with np.errstate(invalid="ignore"):
        valid[poly] = shapely.is_valid(geoms[poly])  # the water polygons only: the rest of a survey is no barrier
    return valid


def _water_invalid(gdf: gpd.GeoDataFrame, fname: str, option: str, fmt: str | None, layer: str | None,
                   crs: CRS | None, valid: np.ndarray | None = None, classes: pd.DataFrame | None = None
                   ) -> Problem | None:
    """LAYER-WATER-INVALID, a warning, for the water polygons of a layer given to ``--water`` or ``--rivers`` whose
    geometry is not valid (a bow tie, an outline drawn back over itself, a polygon of no area): named by their
    feature numbers (``attrs["rows"]``, else from 1) and their land-use class (a land survey's DLMC and DLBM; its
    other classes block nothing and are not said), with GEOS's reason for the first in the catalogue's words
    (:func:`yuanluo.gis.validate.invalid_reason`, where in the layer's own CRS ``crs``) and what was done: each is
    repaired as :func:`yuanluo.gis.barriers.blocking_water` repairs it (``shapely.make_valid``) and used as water,
    or, left with no area, dropped; the water there may be missing or misshapen. None when all are valid.
    ``valid``: :func:`_water_validity` of ``gdf`` where known already (not tested again); ``classes``: its
    :func:`yuanluo.gis.barriers.landuse_classes`, where found already.

    >>> from shapely.geometry import Polygon, box
    >>> bow = Polygon([(0, 0), (9, 0), (0, 9), (9, 9)])
    >>> flat = Polygon([(0, 0), (5, 0), (9, 0), (0, 0)])
    >>> lu = gpd.GeoDataFrame({"DLBM": ["1101", "1104", "0103"], "DLMC": ["河流水面", "坑塘水面", "旱地"]},
    ...                       geometry=[bow, flat, bow], crs=4545)
    >>> q = _water_invalid(lu, "DLTB.shp", "--water", "shapefile", None, CRS.from_epsg(4545))
    >>> q.code, q.rows, q.params["classes"]["zh"]
    ('LAYER-WATER-INVALID', (1, 2), '；坑塘水面 1104 ×1、河流水面 1101 ×1')
    >>> print(q.params["done"]["en"])
    1 polygon was dropped (row 2), with no area left once repaired; the other 1 polygon was repaired for use as water, perhaps not in the shape drawn.
    >>> _water_invalid(lu.iloc[2:], "DLTB.shp", "--water", "shapefile", None, None) is None
    True
    """
    from yuanluo.gis.barriers import _water_areas, is_landuse_survey, landuse_classes
    from yuanluo.gis.validate import invalid_reason

    if not len(gdf):
        return None
    bad = ~(_water_validity(gdf, classes) if valid is None else np.asarray(valid, dtype=bool))
    if not bad.any():
        return None
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    cls = (landuse_classes(gdf) if classes is None else classes) if is_landuse_survey(gdf) else None
    rows = _feature_rows(gdf)
    # as the graph judges them: no area left once repaired (known invalid: not tested again)
    dropped = ~_water_areas(geoms[bad], valid=np.zeros(int(bad.sum()), dtype=bool))[1]
    n, n_dropped = int(bad.sum()), int(dropped.sum())
    if n_dropped == 0:
        done = both("load.waterinvalid.repaired" + (".one" if n == 1 else ""))
    elif n_dropped == n:
        done = both("load.waterinvalid.dropped" + (".one" if n == 1 else ""))
    else:
        shown_rows = [str(r) for r in rows[bad][dropped]]
        said = {lang: text("problem.row" if n_dropped == 1 else "problem.rows", lang,
                           rows=text("list.sep", lang).join(shown_rows[:5])) for lang in LANGS}
        done = {lang: text("load.waterinvalid.some", lang, dropped=n_dropped, kept=n - n_dropped,
                           rows=said[lang] + more_after(said[lang], n_dropped if n_dropped > 5 else 0, lang,
                                                        rows=True))
                for lang in LANGS}
    if cls is not None:
        lab = cls["label"].to_numpy(dtype=object)[bad].astype(str)
        code = cls["code"].to_numpy(dtype=object)[bad].astype(str)
        named = np.array([f"{a} {c}" if c and c != a and not c.startswith("osm-") else a
                          for a, c in zip(lab, code, strict=True)])
        v, c = np.unique(named, return_counts=True)
        listed = [f"{v[i]} ×{c[i]}" for i in np.lexsort((v, -c))]  # by count, then name
        classes = {lang: text("load.waterinvalid.classes", lang, classes=text("list.sep", lang).join(listed))
                   for lang in LANGS}
    else:
        classes = {lang: "" for lang in LANGS}
    layered = fmt == "gpkg" or layer is not None
    where = both("load.nogeom.where", layer=layer or "") if layered else both("load.nogeom.where.none")
    with np.errstate(invalid="ignore"):
        reason = invalid_reason(str(shapely.is_valid_reason(geoms[bad][0])))
    return problem("LAYER-WATER-INVALID", severity="warning", file=fname, option=option, where=where,
                   rows=rows[bad], classes=classes, reason=reason, done=done,
                   crs=_crs_label(crs) if crs is not None else "")


def passed_layer(q: Problem, keyword: str) -> Problem:
    """``q``, a finding about a layer passed in memory from Python as ``keyword`` (``water=``, ``boundary=`` …),
    which is no file: named as that layer, "the layer given as water=" (:attr:`Problem.passed`: the entry's
    ``title_mem`` and ``fix_mem``); one already so named is returned as it is.

    >>> q = passed_layer(problem("LAYER-EMPTY", severity="warning", file="<water>", option="--water"), "water=")
    >>> print(q.message("en"))
    Warning LAYER-EMPTY: the layer given as water= has no features, so it has no effect.
      Fix: check that this is the layer meant (a filter or a selection may have left out every feature).
    >>> print(passed_layer(problem("CRS-LEGACY", file="<water>", crs="EPSG:2383"), "water=").headline("zh")[:41])
    作为 “water=” 传入的图层：声明的坐标系 EPSG:2383 基于西安80
    """
    return q if q.passed else replace(q, file=None, passed=keyword)


def keyword_layer(q: Problem) -> Problem:
    """``q``, a finding about the layer given to :func:`read_households` as ``boundary=`` (a file, or a frame in
    memory, still named as passed), with that keyword's fix (:attr:`Problem.for_keyword`: the entry's ``fix_kw``
    in a call from Python). That keyword takes the layer alone, so a fix naming what :func:`read_layer` takes for
    it (``id_col=``) or what the households take (``centroids=``) cannot be followed there.

    >>> q = keyword_layer(problem("BND-ID", file="b.gpkg", column="村名", rows=[2]))
    >>> print(q.fix("en").split(", e.g. ")[1].split(";")[0], "boundary=layer.geometry" in q.fix("en"))
    layer = layer.dissolve(by='村名', as_index=False) True
    >>> print(q.message("zh").splitlines()[0])
    错误 BND-ID：边界图层 b.gpkg 的名称/编号列 村名 不能用：缺失、有空值或有重复值（第 2 行）。
    """
    return replace(q, for_keyword=True)


def _read_aux(source: Any, kind: str, *, layer: str | None = None, crs: Any = None, id_col: str | None = None,
              water_shapes: bool = True, first: StoredLayer | None = None,
              ) -> tuple[gpd.GeoDataFrame | None, CRS | None, list[Problem]]:
    """Read and check an auxiliary layer without reprojecting it: (frame, its CRS, problems).

    ``source`` is a path, a GeoDataFrame or a GeoSeries (an in-memory frame, no file, is named in the messages as
    it was passed: "the layer given as water=", :func:`passed_layer`). Nothing is raised for bad data; the frame
    is None when the file could not be read at all. ``water_shapes``: a water layer's features must be polygons
    (:func:`_water_kind`); without it any layer is read with every shape it holds (:func:`layer_as_stored`: a
    rivers layer's coordinates as stored). ``first``: the layer as :func:`stored_layer` read it from ``source``
    with these ``kind``, ``layer``, ``crs`` and ``id_col``, not read again.
    """
    if first is None:
        first = _aux_first(source, kind, layer=layer, crs=crs, id_col=id_col)
    gdf, src, problems = _aux_rest(first, water_shapes=water_shapes)
    if isinstance(source, gpd.GeoDataFrame | gpd.GeoSeries):  # no file: named as passed (water=)
        keyword = python_keyword(LAYER_KINDS[kind])
        problems = [passed_layer(q, keyword) if q.file == f"<{kind}>" else q for q in problems]
    return gdf, src, problems


@dataclass(frozen=True)
class StoredLayer:
    """An auxiliary layer read once, with the checks that do not depend on what it is then used for
    (:func:`stored_layer`): the frame in its own CRS (None when it could not be read, or is no layer of shapes),
    that CRS, the problems found so far, and how the later checks name it."""

    frame: gpd.GeoDataFrame | None
    crs: CRS | None
    problems: tuple[Problem, ...]
    kind: str
    source: Any = None
    fname: str = ""
    fmt: str | None = None
    layer: str | None = None  #: the layer read (a GeoPackage's only layer when none was named)
    given_layer: str | None = None  #: the layer named by the caller
    left_out: bool = False  #: a rivers, water or roads layer (candidates, fixed) of features: shapes to judge
    shaped: bool = False  #: its features without a shape were said, none an error: the shapes can be judged

    @functools.cached_property
    def classes(self) -> pd.DataFrame | None:
        """:func:`yuanluo.gis.barriers.landuse_classes` of the frame, found once (None without class columns, or
        without a frame): for LAYER-WATER-INVALID and the blocking water of the household checks."""
        from yuanluo.gis.barriers import landuse_classes

        return landuse_classes(self.frame) if self.frame is not None else None

    @functools.cached_property
    def water_valid(self) -> np.ndarray:
        """:func:`_water_validity` of the frame, tested once: for LAYER-WATER-INVALID as :func:`read_layer` goes on
        from here, and for the blocking water of the household checks (an empty array without a frame)."""
        return _water_validity(self.frame, self.classes) if self.frame is not None else np.ones(0, dtype=bool)

    def as_stored(self) -> gpd.GeoDataFrame | None:
        """The frame in its own CRS, every shape it holds, for cross-checks of the households, as
        :func:`layer_as_stored` gives it (its invalid polygons not yet said: a warning; a layer of points only,
        said by :func:`read_layer`, holds no water): None when it is unusable (no CRS, empty, unreadable, an
        error)."""
        if self.frame is None or self.crs is None or not len(self.frame) \
                or any(p.severity == "error" for p in self.problems):
            return None
        return self.frame.set_crs(self.crs, allow_override=True)


def stored_layer(path: str | Path, *, kind: str, layer: str | None = None, crs: Any = None,
                 id_col: str | None = None) -> StoredLayer:
    """An auxiliary layer read from ``path`` once, for both :func:`read_layer` (``stored=``) and the household
    cross-checks (:meth:`StoredLayer.as_stored`, as :func:`layer_as_stored` reads it): a command reading the
    households against the water it then walks over reads and checks that file once."""
    return _aux_first(path, kind, layer=layer, crs=crs, id_col=id_col)


def _aux_first(source: Any, kind: str, *, layer: str | None, crs: Any, id_col: str | None) -> StoredLayer:
    """:func:`_read_aux`'s reading and the checks that do not depend on ``water_shapes`` (a frame in memory is
    named ``<kind>`` here); :func:`_aux_rest` the others."""
    option = LAYER_KINDS[kind]
    problems: list[Problem] = []
    bare = False
    fmt: str | None = None
    used_layer = layer
    if isinstance(source, gpd.GeoDataFrame | gpd.GeoSeries):
        fname = f"<{kind}>"
        bare = isinstance(source, gpd.GeoSeries)
        gdf = gpd.GeoDataFrame(geometry=source) if bare else source
    else:
        fname = str(source)
        p = Path(source)
        try:
            fmt, _parts = _file_checks(p, fname)
            if fmt in TABLE_FORMATS:
                raise InputError(problem("IO-FORMAT", file=fname, suffix=p.suffix,  # a table: text or a workbook
                                         kind=both(f"read.kind.{'text' if fmt == 'csv' else 'zip'}"),
                                         supported=SUPPORTED_TEXT.replace(", CSV (.csv), Excel (.xlsx)", "")))
            gdf, used_layer, _enc, warns = _read_vector(p, fname, fmt, layer, None)
        except InputError as exc:
            return StoredLayer(None, None, tuple(_layer_by_option(q, option, kind) for q in exc.problems), kind)
        problems.extend(warns)
        # an attribute table (a layer without geometry) has no shapes; a result's own output is no barrier
        wrong = (_result_output(p, fname, option, kind, fmt, used_layer) if isinstance(gdf, gpd.GeoDataFrame)
                 else _no_geometry(fname, option, fmt, used_layer,
                                   _shaped_layers(p, used_layer) if fmt == "gpkg" or used_layer is not None else None))
        if wrong is not None:
            return StoredLayer(None, None, (*problems, wrong), kind)
    declared = parse_crs(crs) if crs is not None else None
    file_crs = CRS.from_user_input(gdf.crs) if not crs_unset(gdf.crs) else None  # GDAL's "Undefined …": none
    src = declared.crs if declared is not None else file_crs
    if src is None:
        problems.append(problem("CRS-MISSING", file=fname))
    elif file_crs is not None and declared is not None and file_crs != declared.crs:
        problems.append(problem("CRS-OVERRIDE", severity="warning", file=fname, file_crs=_crs_label(file_crs),
                                crs=_crs_label(declared.crs)))
    if src is not None and is_legacy_chinese(src):
        problems.append(problem("CRS-LEGACY", file=fname, crs=_crs_label(src)))
    if len(gdf) == 0:
        if kind in ("boundary", "groups", "units"):
            problems.append(problem("IO-NOROWS", file=fname))
        else:
            problems.append(problem("LAYER-EMPTY", severity="warning", file=fname, option=option))
    elif kind in ("boundary", "groups"):  # villager groups are polygons with ids, as the villages are
        found = check_boundary(gdf, fname, id_col=id_col, require_id=not bare)
        # each option's own fixes on the command line: --boundary takes no name column (--group-field is --groups'),
        # and --groups' fix names --group-field as given, or as the way to another column when not
        variant = "group_field" if kind == "groups" and id_col is not None else kind
        problems.extend(replace(q, variant=variant) for q in found)
    elif kind == "units":  # a unit whose shape was deleted in QGIS: said as such, not as a geometry type "None"
        problems.extend(check_empty_polygons(gdf.geometry, np.arange(1, len(gdf) + 1), fname)[0])
    elif kind in SHAPELESS_LEFT_OUT:  # features without a shape: left out, said; all of them an error
        lost = _water_shapeless(gdf, fname, option, fmt, used_layer) if kind in ("rivers", "water") else None
        gdf, found = _shapeless(gdf, fname, option, fmt, used_layer)
        problems.extend([lost] if lost is not None else found)  # no water left: the error, not the rows
        return StoredLayer(gdf, src, tuple(problems), kind, source, fname, fmt, used_layer, layer,
                           left_out=True, shaped=lost is None and not any(q.severity == "error" for q in found))
    return StoredLayer(gdf, src, tuple(problems), kind, source, fname, fmt, used_layer, layer)


def _aux_rest(first: StoredLayer, *, water_shapes: bool) -> tuple[gpd.GeoDataFrame | None, CRS | None, list[Problem]]:
    """:func:`_read_aux`'s checks after :func:`_aux_first` (of a rivers, water or roads layer holding features):
    a water layer's shapes (with ``water_shapes``), its invalid polygons, a layer of points only."""
    gdf, src, problems, kind = first.frame, first.crs, list(first.problems), first.kind
    if gdf is None or not first.left_out:
        return gdf, src, problems
    fname, fmt, used_layer, source, option = first.fname, first.fmt, first.layer, first.source, LAYER_KINDS[kind]
    if kind == "water" and water_shapes and first.shaped:
        # polygons only: lines are rivers (a result's water layer: its lines were never barriers)
        result = fmt == "gpkg" and used_layer == "water" and is_result(Path(source))
        gdf, found = _water_kind(gdf, fname, option, fmt, used_layer, result=result)
        problems.extend(found)
    # its invalid water polygons: repaired, or dropped with no area left, as the graph takes them (said), their
    # validity as tested once for the layer read (of the features kept, when lines were left out of a water layer)
    if kind in ("rivers", "water") and not any(q.severity == "error" for q in problems):
        valid, classes, stored = first.water_valid, first.classes, first.frame
        assert stored is not None  # (gdf came from it)
        if gdf is not stored:  # _water_kind's features kept, by their feature numbers
            at = np.searchsorted(_feature_rows(stored), _feature_rows(gdf))
            valid = valid[at]
            classes = None if classes is None else classes.iloc[at].reset_index(drop=True)
        bad = _water_invalid(gdf, fname, option, fmt, used_layer, src, valid=valid, classes=classes)
        problems.extend([bad] if bad is not None else [])
    if kind in ("rivers", "roads"):  # points only: said as delineate says it, before any work (validate)
        from yuanluo.gis.barriers import points_only

        # the file as prepare_barriers names it (read_layer's source: path::layer where a layer was named)
        layer = first.given_layer
        named = f"{fname}::{layer}" if layer and not isinstance(source, gpd.GeoDataFrame | gpd.GeoSeries) else fname
        only = points_only(gdf.geometry.values, kind, named)
        problems.extend([only] if only is not None else [])
    return gdf, src, problems


def _feature_rows(gdf: gpd.GeoDataFrame) -> np.ndarray:
    """The feature number of each row of a layer read (``attrs["rows"]`` where some were left out, else from 1)."""
    return np.asarray(gdf.attrs.get("rows") or range(1, len(gdf) + 1), dtype=int)


#: per barrier kind, the layers of a result Yuanluo wrote that hold it (as given to its delineation); its other
#: layers are the result's own outputs: units, unit_adjacency (lines between units), meeting points, households
RESULT_BARRIERS = {"rivers": ("rivers", "water"), "water": ("water",), "roads": ("roads",)}


def _result_output(path: Path, fname: str, option: str, kind: str, fmt: str, layer: str | None) -> Problem | None:
    """LAYER-RESULT-OUTPUT where ``layer`` of the GeoPackage ``path``, given to ``option``, is one of the own
    outputs of a result Yuanluo wrote, not the rivers, water or roads its delineation was given (None otherwise);
    the fix names the result's layer of that kind where it holds one (``::rivers``), else the original file."""
    if fmt != "gpkg" or kind not in RESULT_BARRIERS or layer in RESULT_BARRIERS[kind] or not is_result(path):
        return None
    try:
        held = {n for n, _ in file_layers(path)}
    except Exception:  # noqa: BLE001 - listed a moment ago (is_result); then no layer is named
        held = set()
    right = [n for n in RESULT_BARRIERS[kind] if n in held]
    what = both(f"load.resultout.{kind}")
    how = {lang: text("load.resultout.fix.layer" if right else "load.resultout.fix.none", lang, what=what[lang],
                      right=right[0] if right else "") for lang in LANGS}
    return problem("LAYER-RESULT-OUTPUT", file=fname, option=option, layer=layer or "", what=what, how=how)


def is_result(path: Path) -> bool:
    """Whether ``path`` is a GeoPackage Yuanluo wrote (its ``run`` table names the tool), as
    :func:`yuanluo.planners.workflows.result_layers` recognises one."""
    try:
        if "run" not in {name for name, _ in file_layers(path)}:
            return False
        run = run_table(path)
        run = run[run["key"].astype(str) == "tool"]  # its rows key = 'tool'
    except Exception:  # noqa: BLE001 - not ours, or unreadable: read as any other file
        return False
    return "value" in run.columns and "yuanluo" in set(run["value"].astype(str))


@_reads_only
def read_layer(
    path: str | Path,
    *,
    kind: str,
    working_crs: Any,
    layer: str | None = None,
    crs: Any = None,
    id_col: str | None = None,
    stored: StoredLayer | None = None,
) -> gpd.GeoDataFrame:
    """Read an auxiliary layer (``kind`` in rivers, water, roads, boundary, groups, units …) into the working CRS.

    The same file checks as for households apply (IO-*, SHP-PARTS, SHP-FIELDNAME, CRS-LEGACY). A layer
    without a CRS is a CRS-MISSING error unless ``crs`` declares it. A layer in another CRS than the
    working CRS is reprojected, with a LAYER-REPROJECTED warning naming both (catalogue #26, #48). A
    boundary layer must be valid polygons with a unique name/id (GEOM-EMPTY, GEOM-TYPE, GEOM-INVALID, BND-ID are
    errors; overlaps and gaps are a BND-COVERAGE warning); a unit feature without a shape is GEOM-EMPTY. An empty rivers/water/roads layer is a
    LAYER-EMPTY warning. A rivers/water/roads (candidates, fixed) layer whose features all lack a shape (a null or
    empty geometry) is LAYER-NOSHAPE, an error; those of its features that lack one are left out with the warning
    LAYER-NOSHAPE-ROWS naming them, ``attrs["rows"]`` then giving the feature number (from 1) of each one kept.
    A land survey's rivers/water layer whose water features all lack a shape is LAYER-NOSHAPE-WATER, an error. A
    water layer takes polygons: one without any is LAYER-WATER-KIND, an error (lines are rivers), lines among its
    polygons are left out with the warning LAYER-WATER-LINES (:func:`_water_kind`); the lines of a result's water
    layer (a delineation by older code given them as water) with LAYER-RESULT-WATER-LINES, a warning. A rivers or
    roads layer of points only is BARRIER-POINTS, as :func:`yuanluo.gis.barriers.prepare_barriers` says it.
    Warnings are returned in ``result.attrs["warnings"]`` (list of Problem). ``stored``: the layer as
    :func:`stored_layer` read it with the same arguments (``path``, ``kind``, ``layer``, ``crs``, ``id_col``),
    checked on from there rather than read again.

    Examples
    --------
    >>> import tempfile, os
    >>> from shapely.geometry import LineString
    >>> f = os.path.join(tempfile.mkdtemp(), "r.gpkg")
    >>> gpd.GeoDataFrame(geometry=[LineString([(106.5, 29.5), (106.6, 29.6)])], crs=4326).to_file(f)
    >>> r = read_layer(f, kind="rivers", working_crs="EPSG:4545")
    >>> r.crs.to_epsg(), len(r), [(w.code, w.params["src"], w.params["target"]) for w in r.attrs["warnings"]]
    (4545, 1, [('LAYER-REPROJECTED', 'EPSG:4326', 'EPSG:4545')])
    """
    _require_kind(kind, "read_layer")
    option = LAYER_KINDS[kind]
    target = _working_target(working_crs, "read_layer", kind)
    gdf, src, problems = _read_aux(path, kind, layer=layer, crs=crs, id_col=id_col, first=stored)
    _raise(problems)
    assert gdf is not None and src is not None
    source = f"{path}::{layer}" if layer else str(path)  # the layer as given: a GeoPackage holds several
    if src != target:
        problems.append(problem("LAYER-REPROJECTED", severity="warning", file=source, option=option,
                                src=_crs_label(src), target=_crs_label(target)))
    out = gdf.set_crs(src, allow_override=True).to_crs(target)
    out.attrs["warnings"] = [q for q in problems if q.severity == "warning"]
    out.attrs["source"] = source  # named in later messages (BARRIER-*)
    for wp in out.attrs["warnings"]:
        log.debug(wp.message("en"))
    return out


@_reads_only
def read_points(path: str | Path, *, kind: str, working_crs: Any, crs: Any = None, layer: str | None = None,
                encoding: str | None = None) -> gpd.GeoDataFrame:
    """Points from a layer (:func:`read_layer`: GeoPackage, Shapefile …) or listed in a CSV or Excel table (service
    halls, candidate sites …; ``kind`` as in :func:`read_layer`) with their coordinate columns, found as
    :func:`read_households` finds them (经度/纬度, X/Y, 东坐标/北坐标 …;
    plain X/Y as surveyors write them under a Gauss–Krüger CRS; else one column of pairs, 经纬度 ``106.55,29.56``,
    longitude first as a web map's coordinate picker gives them, a cell not a pair COORD-PAIR, under a projected
    ``crs`` COORD-PAIR-CRS), in the working CRS, every column kept but a
    table's fid (GeoPackage's feature id, which QGIS's Save As keeps as a column: left out with a COL-FID warning).

    A table declares no coordinate system: ``crs`` does (also ``"gcj02"`` / ``"bd09"`` for points taken from
    AMap or Baidu), else POINTS-CRS; a layer keeps the CRS it declares (``crs`` declares only a layer's that has
    none). No coordinate columns: POINTS-COLUMNS. Rows whose coordinates are blank,
    unreadable or outside the declared CRS: POINTS-COORD, naming the rows. The coordinates get the household
    table's checks (:func:`yuanluo.gis.validate.check_coordinates`: COORD-XY-SWAP, CRS-ZONE, CRS-GKPREFIX,
    CRS-UNITS, COORD-SWAP, COORD-RANGE …, naming the file and rows; its warnings are left to the households). The
    same file checks as every input (IO-*, CSV-*, a workbook's sheet by ``layer``). Points of the same name are a
    POINTS-NAME-DUP warning (:func:`_same_names`). A layer's features without a shape are left out as
    :func:`read_layer` leaves them (LAYER-NOSHAPE-ROWS; all of them LAYER-NOSHAPE). Warnings are in
    ``attrs["warnings"]``; ``attrs["file"]`` and ``attrs["rows"]`` (a table's, or a layer's that left features out)
    name the file and each point's row.

    Examples
    --------
    >>> import tempfile, os
    >>> f = os.path.join(tempfile.mkdtemp(), "halls.csv")
    >>> _ = open(f, "w", encoding="utf-8").write("名称,经度,纬度\\n村委会,106.55,29.56\\n院坝,106.552,29.561\\n")
    >>> t = read_points(f, kind="candidates", working_crs="EPSG:4545", crs="EPSG:4490")
    >>> t["名称"].tolist(), t.crs.to_epsg(), round(t.geometry.x.iloc[0])
    (['村委会', '院坝'], 4545, 359474)
    >>> try:
    ...     read_points(f, kind="candidates", working_crs="EPSG:4545")
    ... except InputError as exc:
    ...     print(exc.problems[0].code)
    POINTS-CRS
    """
    _require_kind(kind, "read_points")
    fname, option = str(path), LAYER_KINDS[kind]
    if _file_checks(Path(path), fname)[0] not in TABLE_FORMATS:
        pts: gpd.GeoDataFrame | None
        try:  # ``crs`` is a table's: a layer keeps the CRS it declares, and takes ``crs`` only when it has none
            pts = read_layer(path, kind=kind, working_crs=working_crs, layer=layer)
        except InputError as exc:
            if "LAYER-NOGEOM" in exc.codes:  # an attribute table saved as a layer: read as a table, as a CSV is
                pts = None
            elif crs is None or "CRS-MISSING" not in exc.codes:
                raise
            else:
                pts = read_layer(path, kind=kind, working_crs=working_crs, layer=layer, crs=crs)
        if pts is not None:
            pts.attrs["warnings"] = [*pts.attrs.get("warnings", []), *_same_names(pts, fname)]
            return pts
    problems: list[Problem] = []
    try:
        # a name (名称 …) beside a pair column (经纬度) is a header too: the list of halls read off a web map
        src = _open_households(Path(path), fname, layer, encoding, list(POINT_NAME_COLUMNS), problems,
                               household=False, option=option)
    except InputError as exc:  # no header: not two known columns (经度, 纬度 …) in its first rows
        head = exc.problems[0]
        if head.code in ("IO-LAYER", "IO-NOLAYER"):  # a workbook's sheet, named after the file as for a layer
            raise InputError(_layer_by_option(head, option, kind)) from None
        if head.code != "CSV-HEADER":
            raise
        raise InputError(problem("POINTS-COLUMNS", file=fname, option=option,
                                 columns=[c for c in str(head.params["first"]).split(",") if c])) from None
    if crs is None:
        raise InputError(problem("POINTS-CRS", file=fname, option=option, crs_option=CRS_OPTIONS.get(kind) or "--crs"))
    declared = parse_crs(crs)
    problems.extend(_column_name_problems(src))
    mapping, _ambiguous = map_columns(src.attrs.columns, {})  # two columns like 经度: neither is taken
    xc, yc, _how = _coordinate_columns(mapping, declared.crs, None, None)
    pair = pair_column(src.attrs.columns) if (xc, yc) == (None, None) and not any(
        c in _ambiguous for c in COORD_COLUMNS) else None  # 经纬度: both in one cell, longitude first
    if (not xc or not yc) and pair is None:
        raise InputError(problem("POINTS-COLUMNS", file=fname, option=option, columns=src.column_list))
    if pair is not None and not declared.shift and not declared.crs.is_geographic:
        said_by = CRS_OPTIONS.get(kind, "--crs")  # the option declaring this file's system, none for seeds …
        pair_crs = problem("COORD-PAIR-CRS", file=fname, column=pair, crs=_crs_label(declared.crs),
                           crs_option=said_by or "--crs", option=option)
        raise InputError(pair_crs if said_by else replace(pair_crs, variant="by_households"))
    # QGIS's Save As keeps a GeoPackage layer's feature id as a column: the points' other columns go into no
    # result (a point is used by its name and place), so it is left out, as a household file's is
    fids = _fid_dropped(src, [xc, yc, pair])
    if fids:
        problems.append(problem("COL-FID", severity="warning", file=fname, columns=fids,
                                then=both("load.fid.points")))
    found: list[Problem] = []
    x, y, said = _point_coordinates(src, (xc, yc, pair), declared, found)
    problems.extend(_crs_fix_for(q, kind, option) for q in found)
    ok = np.isfinite(x) & np.isfinite(y)
    g = _to_working(np.where(ok, x, 0.0), np.where(ok, y, 0.0), declared, working_crs, "read_points")
    ok &= np.isfinite(g.x.to_numpy()) & np.isfinite(g.y.to_numpy())
    unsaid = ~ok & ~np.isin(src.rows, list(said))
    if unsaid.any():
        bad = problem("POINTS-COORD", file=fname, option=option, rows=src.rows[unsaid],
                      crs_option=CRS_OPTIONS.get(kind) or "--crs")
        if declared.crs is not None and not declared.crs.is_geographic:  # metres: the fix asks for metres
            bad = replace(bad, variant="projected")
        problems.append(bad)
    _raise(problems)
    out = gpd.GeoDataFrame(src.attrs.drop(columns=fids).reset_index(drop=True), geometry=g.to_numpy(), crs=g.crs)
    out.attrs["rows"] = [int(r) for r in src.rows]
    problems.extend(_same_names(out, fname))
    out.attrs["warnings"] = [q for q in problems if q.severity == "warning"]
    out.attrs["file"] = fname  # for a later message about these points (planners.cover: none usable)
    return out


#: the household table's findings whose fix is to declare another ``--crs``: a points table's is declared otherwise
CRS_FIX_CODES = ("CRS-ZONE", "CRS-UNITS", "CRS-GKPREFIX")


def _crs_fix_for(q: Problem, kind: str, option: str) -> Problem:
    """A finding of a points table (:func:`read_points`) whose fix declares the coordinate system
    (:data:`CRS_FIX_CODES`), said for the option that declares this table's: ``--fixed-crs`` for ``--fixed``
    (variant ``fixed``); for a ``--seeds`` or ``--meeting-points`` table, read in the household file's, the fix
    is to write its points in that system or by their households' ids (variant ``by_households``)."""
    if q.code not in CRS_FIX_CODES or kind not in ("fixed", "seeds", "meeting_points"):
        return q
    return replace(q, variant="fixed" if kind == "fixed" else "by_households",
                   params={**q.params, "option": option, "crs_option": CRS_OPTIONS[kind] or "--crs"})


def _point_coordinates(src: _Source, columns: tuple[str | None, str | None, str | None], declared: DeclaredCRS,
                       problems: list[Problem]) -> tuple[np.ndarray, np.ndarray, set[int]]:
    """The x and y of a table of points (:func:`read_points`) from its coordinate columns, or from its one column of
    pairs (``columns``' third, 经纬度: longitude first, :func:`~yuanluo.gis.columns.parse_pair`, COORD-PAIR for a
    cell that is not two coordinates), with the household table's checks' errors added to ``problems``; and the rows
    an error names (not said as POINTS-COORD as well)."""
    xc, yc, pair = columns
    fname = src.fname
    said: set[int] = set()
    if pair is not None:
        x_p, y_p, bad_p = parse_pair(src.attrs[pair])
        x, y = x_p.to_numpy(dtype=float), y_p.to_numpy(dtype=float)
        if bad_p.any():
            problems.append(problem("COORD-PAIR", file=fname, column=pair, rows=src.rows[bad_p.to_numpy()],
                                    sample=str(src.attrs[pair][bad_p].iloc[0])))
            said = {int(r) for r in src.rows[bad_p.to_numpy()]}
    else:
        x_s, bad_x = parse_coordinate(src.attrs[xc])
        y_s, bad_y = parse_coordinate(src.attrs[yc])
        x = np.where(bad_x.to_numpy(), np.nan, x_s.to_numpy(dtype=float))
        y = np.where(bad_y.to_numpy(), np.nan, y_s.to_numpy(dtype=float))
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.any():  # the household table's checks: X/Y swapped, another zone, out of range, degrees as metres …
        found = check_coordinates(x[ok], y[ok], declared.crs, rows=src.rows[ok], file=fname, shift=declared.shift,
                                  columns=(str(xc), str(yc)) if pair is None else None,
                                  yx=pair is None and _y_first(src.attrs.columns, xc, yc), who="points")
        if pair is not None:  # latitude first in the pair cells: the cells to write the other way round
            found = [replace(q, variant="pair", params={**q.params, "column": pair}) if q.code == "COORD-SWAP"
                     else q for q in found]
        problems.extend(q for q in found if q.severity == "error")
        said |= {r for q in found if q.severity == "error" for r in q.rows}
    return x, y, said


#: the columns that name a point, the first one filled in every row naming them (as ``planners.cover`` reads them)
POINT_NAME_COLUMNS = ("名称", "name", "NAME", "站点名称", "地点")


def _same_names(points: pd.DataFrame, fname: str) -> list[Problem]:
    """POINTS-NAME-DUP (warning): points of one file with the same name, which a result, its map and report then
    cannot tell apart (each point is known by its name there); each name with its rows (``attrs["rows"]``, else
    the features numbered from 1). The name column is the first of :data:`POINT_NAME_COLUMNS` filled in every row.

    >>> t = pd.DataFrame({"名称": ["文化室", "村委会", "文化室 "]})
    >>> t.attrs["rows"] = [2, 3, 4]  # a table's rows as a spreadsheet numbers them
    >>> [q.params["names"] for q in _same_names(t, "c.csv")][0]
    {'zh': '文化室（第 2、4 行）', 'en': '文化室 (rows 2, 4)'}
    """
    col = next((c for c in POINT_NAME_COLUMNS if c in points.columns and points[c].notna().all()), None)
    if col is None or not len(points):
        return []
    rows = np.asarray(points.attrs.get("rows") or range(1, len(points) + 1))
    names = points[col].astype(str).str.strip()
    dup = names.duplicated(keep=False).to_numpy()
    if not dup.any():
        return []
    said = {lang: text("list.clause_sep", lang).join(
        text("load.name_rows", lang, name=name, rows=text("problem.rows", lang, rows=text("list.sep", lang).join(
            str(r) for r in rows[(names == name).to_numpy()])))
        for name in dict.fromkeys(names[dup])) for lang in LANGS}
    return [problem("POINTS-NAME-DUP", severity="warning", file=fname, column=col, names=said,
                    rows=rows[dup])]


# ------------------------------------------------------------------------------ plain tables
@_reads_only
def read_table(path: str | Path, *, layer: str | None = None, encoding: str | None = None) -> pd.DataFrame:
    """The attribute table of a CSV, Excel or vector file, every cell as text (seeds, meeting points …): a
    blank cell is ``""``, a whole number stored as a float (a GeoPackage integer column with a blank) has no
    ``.0``, as :func:`~yuanluo.gis.columns.to_id_strings` reads household ids.

    The same file checks as for households apply (IO-NOTFOUND, IO-EMPTY, IO-FORMAT, IO-CORRUPT,
    SHP-PARTS), and a CSV's text encoding is detected the same way (UTF-8, UTF-8 with BOM, GBK/GB18030;
    ENC-GUESS when it cannot be). The header is the first of the first ten rows naming a known column (户编号,
    院落 …), so a title row above it is skipped (:func:`_table_header`); column names are stripped. A workbook's
    first visible sheet with such a header and a row below it is read (else its first visible sheet), or the sheet
    ``layer`` names (IO-NOLAYER, proposing the sheet read without it). ``attrs["rows"]``: each row's number as the
    spreadsheet shows it (a layer's, by feature from 1).

    Examples
    --------
    >>> import tempfile, os
    >>> f = os.path.join(tempfile.mkdtemp(), "seeds.csv")
    >>> _ = open(f, "wb").write("户编号,备注\\n007,老院子\\n".encode("gbk"))
    >>> t = read_table(f)
    >>> t.to_dict("list"), t.attrs["rows"]
    ({'户编号': ['007'], '备注': ['老院子']}, [2])
    """
    p, fname = Path(path), str(path)
    fmt, _parts = _file_checks(p, fname)
    if fmt == "xlsx":
        from yuanluo.gis.sheets import read_workbook

        book = read_workbook(p, fname)
        names = [b.name for b in book]
        shown = [b for b in book if not b.hidden]
        # the first visible sheet with a table (a header naming a known column, 户编号, 院落 …, and a row below it),
        # not a note sheet before it (说明); else the first visible sheet
        tabled = next((b for b in shown if any(header_score(r) >= 1 for r in b.rows[:10])
                       and sum(any(c.strip() for c in r) for r in b.rows) >= 2), shown[0] if shown else None)
        if layer is not None and layer not in names:
            raise InputError(problem("IO-NOLAYER", file=fname, layer=layer, layers=names,
                                     first=tabled.name if tabled is not None else names[0], part=SHEET))
        rows: list[list[str]] = next((b.rows for b in book if b.name == layer), []) if layer is not None \
            else (tabled.rows if tabled is not None else [])
        if not any(any(c.strip() for c in r) for r in rows):
            raise InputError(problem("IO-NOROWS", file=fname))
        df, numbers = _cells_frame(rows, _table_header(rows))
    else:
        if fmt == "csv":
            text, _used, _ = _decode(p.read_bytes(), encoding, fname, household=False)
            delim = _delimiter("\n".join(text.splitlines()[:_HEADER_SCAN]))
            records = _csv_records(text, fname, delim)
            if not records:
                raise InputError(problem("IO-NOROWS", file=fname))
            at = _table_header(records)
            _no_cells_past_header(records, at, fname, delim)
            df, numbers = _cells_frame(records, at)
        else:
            gdf, _layer, _vec_enc, _w = _read_vector(p, fname, fmt, layer, encoding)
            attrs = pd.DataFrame(gdf.drop(columns=gdf.geometry.name) if isinstance(gdf, gpd.GeoDataFrame) else gdf)
            df = pd.DataFrame({i: to_id_strings(attrs.iloc[:, i]).fillna("").astype(str)
                               for i in range(attrs.shape[1])})
            df.columns = attrs.columns
            numbers = np.arange(1, len(df) + 1)  # a layer's rows by feature
    df.columns = [str(c).strip() for c in df.columns]
    if len(df) == 0:
        raise InputError(problem("IO-NOROWS", file=fname))
    df.attrs["rows"] = [int(r) for r in numbers]  # each row as the spreadsheet numbers it, for the messages
    return df


def column_words(name: str, *, given: bool = False) -> dict[str, str]:
    """What a missing column holds, per language, for COL-MISSING's ``{what[zh]}`` / ``{what[en]}``: a name the
    user gave as it is, a canonical one (``hid``, ``unit_id``, ``coords``) in words of the catalogue.

    >>> column_words("hid"), column_words("户号", given=True)
    ({'zh': '户编号', 'en': 'household id'}, {'zh': '“户号”', 'en': '户号'})
    """
    key = f"load.column.{name}"
    return {"zh": f"“{name}”", "en": name} if given or not has(key) else both(key)


def table_column(table: pd.DataFrame, file: str, canonical: str, aliases: tuple[str, ...], *,
                 given: str | None = None, option: str = "--id-col") -> str:
    """The column of ``table`` holding ``canonical``: ``given`` when it is there, else the first alias found.

    Names are compared after NFKC and case folding. A missing column is a COL-MISSING error naming ``option``.

    Examples
    --------
    >>> t = pd.DataFrame({"户号": ["1"], "院落": ["A"]})
    >>> table_column(t, "t.csv", "hid", ("hid", "户编号", "户号"))
    '户号'
    """
    from yuanluo.gis.columns import normalize_name

    by_norm = {normalize_name(str(c)): str(c) for c in table.columns}
    for name in ([given] if given else []) + list(aliases):
        hit = by_norm.get(normalize_name(name))
        if hit is not None:
            return hit
    raise InputError(missing_column(file, given or canonical, [str(c) for c in table.columns], option,
                                    given=bool(given), aliases=aliases))


def missing_column(file: str, name: str, columns: list[str], option: str, *, given: bool = False,
                   aliases: Sequence[str] = (), usual: Mapping[str, Sequence[str]] | None = None) -> Problem:
    """COL-MISSING for a column not in ``file``: one the user named with ``option`` (``given``: then the fix
    is to name one of the file's ``columns``, or to rename one to ``name``), or the one holding ``name``
    (``hid``, ``coords``), any of ``aliases`` accepted (the fix: name it with ``option``, or rename it to one of
    ``usual[lang]``, by default the first Chinese ones of ``aliases`` in Chinese, the first English ones in English).

    From Python the fix names the argument (on the command line, the ``option``):

    >>> q = missing_column("hh.csv", "nope", ["户号", "经度"], "--head-col", given=True)
    >>> print(q.title("en")); print(q.fix("en")[:59])
    no nope column in hh.csv. Columns: 户号, 经度.
    the column nope named by columns={"head_candidate": ...} is
    >>> print(missing_column("hh.csv", "hid", ["名字"], "--id-col", aliases=["hid", "户编号", "户号"]).fix("zh"))
    用 “id_col=” 指明存放它的列（现有列见上），或把该列改名为 户编号、户号。
    >>> print(missing_column("hh.csv", "hid", ["名字"], "--id-col", aliases=["hid", "户编号", "户号"]).fix("en"))
    name the column holding it (columns listed above) with id_col=, or rename that column to hid.
    """
    if given:
        accepted = dict.fromkeys(LANGS, "")  # only the name given: the fix says which option named it
        how = both("load.col.fix_named", option=option, name=name)
    else:
        han = [a for a in aliases if any("\u3400" <= ch <= "\u9fff" for ch in a)][:2]
        latin = [a for a in aliases if a.isascii()][:2]
        names = {"zh": han or list(aliases)[:2], "en": latin or list(aliases)[:2], **(usual or {})}
        accepted = {lang: text("load.col.accepted", lang, aliases=text("list.sep", lang).join(aliases))
                    for lang in LANGS}
        how = {lang: text("load.col.fix_usual", lang, option=option, usual=text("list.sep", lang).join(names[lang]))
               for lang in LANGS}
    return problem("COL-MISSING", file=file, what=column_words(name, given=given), accepted=accepted,
                   columns=columns, option=option, how=how, aliases=list(aliases) or [name])


def _half_pair(fname: str, columns: list[str], found: str) -> Problem | None:
    """COL-MISSING for the one coordinate column of a pair a table lacks, the other (``found``, named as a
    longitude, latitude, X or Y) being there: it names the one missing and the one found, and only the option and
    names of the one missing; None for a column of another name.

    >>> q = _half_pair("hh.csv", ["户号", "纬度"], "纬度")
    >>> print(q.title("zh")); print(q.fix("zh"))
    文件 hh.csv 中找不到经度列与纬度列“纬度”配对（可用的列名：lon、lng、long、longitude、经度、东经）。现有列：户号、纬度。
    用 “x_col=” 指明存放它的列（现有列见上），或把该列改名为 经度。
    >>> print(_half_pair("hh.csv", ["户号", "X"], "X").title("en"))
    no Y column to pair with the X column X (y, y坐标 are accepted) in hh.csv. Columns: 户号, X.
    """
    other = next((a for a in ("lat", "lon", "x", "y")
                  if normalize_name(found) in {normalize_name(n) for n in ALIASES[a]}), None)
    if other is None:
        return None
    axis = {"lat": "lon", "lon": "lat", "x": "y", "y": "x"}[other]
    east = axis in ("lon", "x")
    usual = {"lon": {"zh": ["经度"], "en": ["lon"]}, "lat": {"zh": ["纬度"], "en": ["lat"]},
             "x": {"zh": ["x"], "en": ["x"]}, "y": {"zh": ["y"], "en": ["y"]}}[axis]
    q = missing_column(fname, axis, columns, "--x-col" if east else "--y-col", aliases=ALIASES[axis], usual=usual)
    pair = {lang: text("load.column.pair", lang, other=text(f"load.axis.{other}", lang), found=found,
                       accepted=q.params["accepted"][lang]) for lang in LANGS}
    return replace(q, params={**q.params, "what": both(f"load.axis.{axis}"), "accepted": pair})


def layer_as_stored(path: str | Path, *, kind: str, layer: str | None = None) -> gpd.GeoDataFrame | None:
    """An auxiliary layer as stored (its own CRS, not reprojected), for cross-checks of the households.

    Read with the same checks as :func:`read_layer`, but a water layer keeps the shapes that are no polygons
    (``yuanluo.gis.barriers`` reads any layer's coordinates as stored so); None when the file cannot be used (no
    CRS, empty, unreadable, any error): :func:`read_layer` then reports why.
    """
    gdf, src, problems = _read_aux(path, kind, layer=layer, water_shapes=False)  # every shape, lines too
    if gdf is None or src is None or not len(gdf) or any(p.severity == "error" for p in problems):
        return None
    return gdf.set_crs(src, allow_override=True)


# ---------------------------------------------------------------------------------------- a result edited by hand
def units_out_of_date(households: Any, units: Any) -> tuple[list[str], np.ndarray]:
    """The units of a result whose ``units`` layer no longer matches its ``households`` (their ``unit_id`` edited
    in QGIS or a spreadsheet after the delineation), and the households that moved.

    A unit is out of date when the households carrying its id are not as many as its ``n_households`` says (a
    unit on the households and not in the layer too, and one of the layer that no household carries any more),
    or when a household of it lies in another unit's polygon and in none of its own (moved: the second result,
    one flag per household row; never for a household in no polygon, nor for units without polygons, nor for one
    whose point a household of the unit holding it shares: the households of one building in two units, which
    no two polygons can both hold, as a plan checked by ``check --map`` may have them).

    >>> import geopandas as gpd
    >>> from shapely.geometry import Point, box
    >>> u = gpd.GeoDataFrame({"unit_id": ["U1", "U2"], "n_households": [2, 1]},
    ...                      geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)], crs="EPSG:32648")
    >>> hh = gpd.GeoDataFrame({"unit_id": ["U1", "U1", "U2"]}, geometry=[Point(1, 1), Point(2, 2), Point(15, 5)],
    ...                       crs="EPSG:32648")
    >>> units_out_of_date(hh, u)[0], units_out_of_date(hh.assign(unit_id=["U1", "U2", "U2"]), u)
    ([], (['U1', 'U2'], array([False,  True, False])))
    >>> two = gpd.GeoDataFrame({"unit_id": ["U1", "U2", "U2"]}, geometry=[Point(1, 1), Point(1, 1), Point(15, 5)],
    ...                        crs="EPSG:32648")  # one building, two units: U2's polygon cannot hold it
    >>> units_out_of_date(two, u.assign(n_households=[1, 2]))[0]
    []
    """
    n = len(households)
    moved = np.zeros(n, dtype=bool)
    if units is None or "unit_id" not in getattr(units, "columns", ()) or "unit_id" not in households.columns:
        return [], moved
    raw = households["unit_id"]
    blank = raw.isna().to_numpy() | raw.astype(str).str.strip().isin(["", "nan", "None", "<NA>"]).to_numpy()
    hh_unit = np.where(blank, "", raw.astype(str).str.strip().to_numpy())
    uid = units["unit_id"].astype("string").str.strip()
    stale: set[str] = set()
    if "n_households" in units.columns:
        given = pd.to_numeric(units["n_households"], errors="coerce").groupby(uid.to_numpy()).sum(min_count=1)
        counts = pd.Series(hh_unit[~blank]).value_counts()
        ids = given.index.union(counts.index)
        g, c = given.reindex(ids), counts.reindex(ids).fillna(0)
        stale |= {str(i) for i in ids[(g.isna() & (c > 0)) | (g.notna() & (g != c))] if str(i)}
    if isinstance(units, gpd.GeoDataFrame) and isinstance(households, gpd.GeoDataFrame) and n and len(units) \
            and units.crs is not None and households.crs is not None:
        poly = units[[units.geometry.name]].assign(_u=uid.fillna("").to_numpy())
        poly = poly[~(poly.geometry.isna() | poly.geometry.is_empty).to_numpy() & (poly["_u"] != "").to_numpy()]
        if poly.crs != households.crs:
            poly = poly.to_crs(households.crs)
        pts = gpd.GeoDataFrame({"_pos": np.arange(n), "_h": hh_unit}, geometry=households.geometry.to_numpy(),
                               crs=households.crs).iloc[np.flatnonzero(~blank)]
        j = gpd.sjoin(pts, poly, how="inner", predicate="intersects")
        # the units with a household at each point: a polygon holding a point of its own unit's households is right
        # for them, and a household of another unit there cannot be in its own polygon too (one building, two units)
        xy = list(zip(households.geometry.x.to_numpy().round(6).tolist(),
                      households.geometry.y.to_numpy().round(6).tolist(), strict=True))
        at = {(xy[i], hh_unit[i]) for i in np.flatnonzero(~blank).tolist()}
        shared = np.array([(xy[i], u) in at for i, u in zip(j["_pos"].tolist(), j["_u"].astype(str).tolist(),
                                                                strict=True)], dtype=bool)
        own = pd.Series((j["_u"] == j["_h"]).to_numpy() | shared).groupby(j["_pos"].to_numpy()).any()
        away = own.index[~own.to_numpy()].to_numpy()
        moved[away] = True
        stale |= set(hh_unit[away]) | set(j.loc[j["_pos"].isin(away), "_u"].astype(str))
    return sorted(stale), moved
