"""Service-maturity workflows: the score template, loading filled sheets, the hexagon card, report and print sheet.

Every function takes paths and ``lang`` and returns what it wrote, so a command line or a map needs a few lines:

* :func:`write_template` — ``yuanluo maturity template RESULT.gpkg -o 成熟度评分表.xlsx``: one row per unit,
  评估期 / 评估人 / 评估日期 and the 18 ``类别-指标`` score columns with data validation (integers 1–10), and an
  instructions sheet (序号 and one instruction a row, so that QGIS reads its header), headers in the chosen
  language (a sheet in either language reads back), each column as wide as its header; the columns the
  program fills (院落编号、村、组、户数) grey, with a comment on their headers (the sheet is not protected, so
  rows can still be sorted, added and copied), the date column formatted as a
  date; it prints landscape on A4, one page wide, the header row on every page. Byte-identical for the same result (zip and ``docProps`` time stamps fixed).
* :func:`load_scores` — ``yuanluo maturity load RESULT.gpkg SCORES.xlsx|.csv -o maturity.gpkg``: reads and
  validates the sheets (:func:`yuanluo.gis.maturity.read_scores`), computes the maturities and writes the layers
  ``unit_maturity``, ``units_maturity`` (unit polygons with the latest period, for shading by weakest category or
  mean), ``village_maturity``, ``scores`` and ``run``; optionally an HTML report (:func:`report_html`: printed
  on A4 as the check and cover reports print, by :func:`yuanluo.planners.report.page_css`) and a print sheet.
* :func:`radar_svg` / :func:`unit_card_html` — the hexagon as a small inline SVG (no chart library, no network;
  ``data-radar`` carries the unit id; every string escaped) with the six numbers, mean and fullness.
* :func:`print_sheet` — small-multiple hexagons per village on A4 (PNG pages or one PDF), drawn from the same
  :func:`yuanluo.gis.maturity.hexagon_vertices` as the SVG.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import html
import io
import os
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from yuanluo.gis.catalogue import Lang, number, text
from yuanluo.gis.errors import InputError, OutputError, Problem, missing_file, problem, unreadable
from yuanluo.gis.io import gdal_path
from yuanluo.gis.maturity import (
    CATEGORIES,
    CATEGORY_KEYS,
    INDICATORS,
    SCORE_COLUMNS,
    SCORE_MAX,
    TEMPLATE_FIELDS,
    Rule,
    category_label,
    column_header,
    hexagon_vertices,
    maturity_table,
    period_order,
    read_scores,
    score_columns,
    village_summary,
)
from yuanluo.gis.output import (
    data_date,
    exists_problem,
    joined,
    layer_files,
    run_record,
    write_bytes,
    write_layers,
)
from yuanluo.gis.personal import find_personal
from yuanluo.maps.webfont import FONT_CSS, embed
from yuanluo.planners.report import TOUCH_SCREEN

#: the widest a score column grows (in characters); a longer header wraps onto a second line
MAX_SCORE_WIDTH = 20
#: rows below the units that still carry the 1–10 validation (for further periods copied below)
EXTRA_ROWS = 1000
#: the template columns the program fills in (the instructions say not to change them): grey, with a note; ``town``
#: only where the units have one (:func:`template_fields`)
PROGRAM_FIELDS: tuple[str, ...] = ("unit_id", "town", "village", "group", "n_households")
PROGRAM_HEAD_FILL, PROGRAM_CELL_FILL = "D9D9D9", "F2F2F2"
#: the number format of the template's date column
DATE_FORMAT = "yyyy-mm-dd"
#: the colour of the hexagon (print and HTML alike)
RADAR_COLOUR = "#2f7d5b"
GRID_COLOUR = "#c8c8c8"
#: a side not rated (未评): its wedge of the full hexagon hatched in this grey, its label in the darker one, so it
#: cannot be read as a score near 0 (the print sheet, the report's and the field map's hexagons alike)
UNRATED_HATCH, UNRATED_TEXT = "#8c8c8c", "#6b6b6b"
#: the colour of a category scored in part (MAT-PARTIAL), as the report's ``.partial``
PARTIAL_COLOUR = "#a15c00"


def unrated_wedge(k: int) -> np.ndarray:
    """The part of the full hexagon nearer axis ``k`` than any other (centre, the middle of the outer edge before
    the axis, its end, the middle of the edge after): what is hatched where category ``k`` is not rated.

    >>> unrated_wedge(0).round(3).tolist()
    [[0.0, 0.0], [-0.433, 0.75], [0.0, 1.0], [0.433, 0.75]]
    """
    ring = hexagon_vertices([SCORE_MAX] * 6)
    n = len(ring)
    return np.array([[0.0, 0.0], (ring[k - 1] + ring[k]) / 2, ring[k], (ring[k] + ring[(k + 1) % n]) / 2])


# ------------------------------------------------------------------------------------------ the result
def read_units(result: str | Path) -> pd.DataFrame:
    """The units of a result GeoPackage: ``unit_id``, ``name``, ``village``, ``group``, ``n_households``, and
    ``town`` before ``village`` where the households had a town column (乡镇, 街道 …: a result's ``units`` layer then
    has ``town``), so that 新华村 of 甲镇 and 新华村 of 乙镇 are told apart; no such column for a single town's
    households without one.

    Town, village and group come from the ``units`` layer, else the most frequent value among the unit's households
    (the town from their town column).

    Examples
    --------
    >>> import tempfile
    >>> from yuanluo.gis.output import write_layers
    >>> from yuanluo.maps.sample import sample_layers
    >>> res = Path(tempfile.mkdtemp()) / "result.gpkg"
    >>> _ = write_layers(res, {k: v for k, v in sample_layers(100, block=5).items() if k != "run"})
    >>> read_units(res).iloc[0].to_dict()
    {'unit_id': 'U001', 'name': None, 'village': 'V1', 'group': 'G1', 'n_households': 25}
    """
    import pyogrio

    p = Path(result)
    gone = missing_file(p)
    if gone is not None:
        raise InputError(gone)
    from yuanluo.planners.workflows import require_households_layer

    require_households_layer(p)  # a table (a plan, a score sheet) has no layers to list
    try:
        present = {str(n) for n, _ in pyogrio.list_layers(gdal_path(p))}
        if "units" not in present:  # households only, or another file: not a delineation result
            raise InputError(problem("RESULT-NOT-RESULT", file=str(p), layers=sorted(present - {"layer_styles"})))
        units = pyogrio.read_dataframe(gdal_path(p), layer="units", read_geometry=False)
        hh = pyogrio.read_dataframe(gdal_path(p), layer="households", read_geometry=False) \
            if "households" in present else None
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - any driver failure is a bad file
        raise InputError(problem("IO-CORRUPT", file=str(p), why=unreadable(exc, "layers"))) from exc
    units = units[units["unit_id"].notna()].copy()
    hh = _households_town(hh)
    out = pd.DataFrame({"unit_id": units["unit_id"].astype(str).to_numpy()})
    towns = "town" in units.columns or (hh is not None and "town" in hh.columns)
    for col in ("name", *(("town",) if towns else ()), "village", "group"):
        if col in units.columns and units[col].notna().any():
            out[col] = units[col].to_numpy()
        elif col != "name" and hh is not None and col in hh.columns and "unit_id" in hh.columns \
                and not find_personal(hh, [col]):
            # a unit's town, village and group from its households (never a household's name, nor a column
            # holding names, ids or phone numbers: a unit name is the units layer's own)
            known = hh.dropna(subset=["unit_id", col])
            mode = known.groupby(known["unit_id"].astype(str))[col].agg(
                lambda s: s.astype(str).value_counts().sort_index().idxmax())  # ties: the first name
            out[col] = out["unit_id"].map(mode)
        else:
            out[col] = None
        out[col] = [None if pd.isna(v) or str(v).strip() == "" else str(v) for v in out[col]]
    n = units["n_households"] if "n_households" in units.columns else pd.Series([None] * len(units))
    out["n_households"] = [None if pd.isna(v) else int(v) for v in n]
    out = out.drop_duplicates("unit_id").reset_index(drop=True)
    if hh is not None and "unit_id" in hh.columns:
        out = _counted_from_households(out, hh)
    out.attrs[ROSTER] = roster_villages(hh)
    return out


#: the key of :func:`read_units`' ``attrs`` holding :func:`roster_villages` of the result's households
ROSTER = "roster_villages"


def roster_villages(hh: pd.DataFrame | None) -> dict[tuple[str, str], int] | None:
    """(town, village) → the village's rank in the order of the planner's roster, the result's households in their
    rows' order (:func:`yuanluo.gis.keys.roster_order`: the towns as the roster first names them, each town's
    villages together as it first names them), names stripped, "" for no town; None without a village column.

    >>> hh = pd.DataFrame({"town": ["甲镇", "乙镇", "甲镇 "], "village": ["新华村", "新华村", "光明村"]})
    >>> roster_villages(hh)
    {('甲镇', '新华村'): 0, ('乙镇', '新华村'): 2, ('甲镇', '光明村'): 1}
    >>> roster_villages(pd.DataFrame({"village": ["B", "A"]})), roster_villages(None)
    ({('', 'B'): 0, ('', 'A'): 1}, None)
    """
    from yuanluo.gis.keys import first_ranks, roster_order

    if hh is None or "village" not in hh.columns:
        return None
    rank = roster_order(hh, ["village"])
    towns = hh["town"] if "town" in hh.columns else pd.Series([None] * len(hh), index=hh.index)
    return first_ranks([(_name(t), _name(v)) for t, v in zip(towns, hh["village"], strict=True)], rank)


def _name(value: Any) -> str:
    """A town or village cell as text with its surrounding spaces removed; "" for a blank one."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()


def _households_town(hh: pd.DataFrame | None) -> pd.DataFrame | None:
    """A result's households with their town column (乡镇, 街道 …, which keeps its own name there:
    :func:`yuanluo.gis.columns.town_columns`) named ``town``, as the units layer names it; as they are without one.

    >>> list(_households_town(pd.DataFrame({"unit_id": ["U1"], "街道": ["鱼洞街道"]})).columns)
    ['unit_id', 'town']
    """
    from yuanluo.gis.columns import town_columns

    found = town_columns(hh.columns)[:1] if hh is not None else []
    if hh is None or not found or found[0] == "town":
        return hh
    return hh.drop(columns="town", errors="ignore").rename(columns={found[0]: "town"})


def _counted_from_households(out: pd.DataFrame, hh: pd.DataFrame) -> pd.DataFrame:
    """The units' households counted from the households' ``unit_id`` as they are now (a result edited in QGIS
    after it was written: the units layer's ``n_households`` is the delineation's), and a unit id typed into the
    households that the units layer lacks added (its town, village and group the most frequent of its households').

    >>> u = pd.DataFrame({"unit_id": ["U1", "U2"], "name": [None, None], "village": ["V", "V"], "group": [None] * 2,
    ...                   "n_households": [2, 1]})
    >>> hh = pd.DataFrame({"unit_id": ["U1", "U2", "U2", "U9"], "village": ["V", "V", "V", "W"]})
    >>> _counted_from_households(u, hh)[["unit_id", "village", "n_households"]].values.tolist()
    [['U1', 'V', 1], ['U2', 'V', 2], ['U9', 'W', 1]]
    """
    raw = hh["unit_id"].astype("string").str.strip()
    of = raw[raw.notna() & (raw != "")].astype(str)
    counts = of.value_counts()
    out = out.assign(n_households=[int(counts.get(u, 0)) for u in out["unit_id"]])
    new = sorted(set(counts.index) - set(out["unit_id"]))
    if not new:
        return out
    rows = []
    for u in new:
        mine = hh.loc[of.index[of.to_numpy() == u]]
        row: dict[str, Any] = {"unit_id": u, "name": None, "n_households": int(counts[u])}
        for col in [c for c in ("town", "village", "group") if c in out.columns]:
            vals = mine[col].dropna().astype(str) if col in mine.columns and not find_personal(hh, [col]) else []
            row[col] = pd.Series(vals).value_counts().sort_index().idxmax() if len(vals) else None
        rows.append(row)
    return pd.concat([out, pd.DataFrame(rows, columns=out.columns)], ignore_index=True)


# ------------------------------------------------------------------------------------------ template
def _stamp() -> _dt.datetime:
    sde = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return _dt.datetime.fromtimestamp(int(sde) if sde else 0, tz=_dt.UTC)


def _fixed_zip(data: bytes, when: _dt.datetime) -> bytes:
    """Re-pack an xlsx with fixed zip entry times and fixed ``created`` / ``modified`` in ``docProps/core.xml``."""
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    zip_time = max(when, _dt.datetime(1980, 1, 1, tzinfo=_dt.UTC)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                              lambda m: m.group(1) + iso + m.group(3), body)
            zi = zipfile.ZipInfo(info.filename, date_time=zip_time)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            dst.writestr(zi, body)
    return out.getvalue()


def _help_lines(lang: Lang, town: bool = False) -> list[str]:
    """The template's instructions in ``lang``, one a row of its instructions sheet (numbered there, 序号); with
    ``town``, the first names the town column among those the program fills."""
    cats = "、".join(CATEGORIES) if lang == "zh" else ", ".join(category_label(k, lang) for k in CATEGORY_KEYS)
    inds = "、".join(INDICATORS) if lang == "zh" else ", ".join(
        text(f"maturity.indicator.{k}", lang) for k in ("content", "effect", "satisfaction"))
    params = {"example": "2026Q1", "categories": cats, "indicators": inds}
    return [text(f"maturity.help.{i}{'.town' if town and i == 1 else ''}", lang, **params) for i in range(1, 8)]


def _help_sheet(wb: Any, lang: Lang, town: bool = False) -> None:
    """The instructions sheet: a header row (序号, the title 院落服务成熟度评分表 填写说明; bold, shaded, frozen,
    printed on every page) over the instructions numbered 1 … 7, so that QGIS (GDAL's XLSX driver, which takes
    the first row for the field names when the row under it holds a number) opens it with these two fields and
    one feature an instruction; a sheet of text alone opened there as ``Field1`` with the title a feature.
    Printed as the score sheet is (:func:`~yuanluo.planners.tables.print_setup`), the long lines wrapped."""
    from openpyxl.styles import Alignment, Font, PatternFill

    from yuanluo.planners.tables import print_setup  # here: tables imports this module

    ws = wb.create_sheet(text("maturity.template.help_sheet", lang))
    ws.append([text("print.col_no", lang), text("maturity.help.title", lang)])
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, line in enumerate(_help_lines(lang, town), start=1):
        ws.append([i, line])
        ws.cell(row=i + 1, column=1).alignment = Alignment(vertical="top")
        ws.cell(row=i + 1, column=2).alignment = wrap
    for cell in ws[1]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(vertical="center")
    ws.column_dimensions["A"].width = column_width(text("print.col_no", lang), least=8)
    ws.column_dimensions["B"].width = 110
    ws.freeze_panes = "A2"
    print_setup(ws, title_rows="1:1")


def template_fields(units: pd.DataFrame | None = None) -> tuple[str, ...]:
    """The template's columns before the scores for ``units`` (:func:`read_units`): :data:`TEMPLATE_FIELDS`, with
    ``town`` before ``village`` where the units have a town.

    >>> template_fields()[:4], template_fields(pd.DataFrame(columns=["unit_id", "town"]))[:4]
    (('unit_id', 'name', 'village', 'group'), ('unit_id', 'name', 'town', 'village'))
    """
    if units is None or "town" not in units.columns:
        return TEMPLATE_FIELDS
    at = TEMPLATE_FIELDS.index("village")
    return (*TEMPLATE_FIELDS[:at], "town", *TEMPLATE_FIELDS[at:])


def template_headers(lang: Lang = "zh", units: pd.DataFrame | None = None) -> tuple[str, ...]:
    """The template's column headers in ``lang`` (for ``units``: :func:`template_fields`).

    >>> template_headers("en")[:2], template_headers("en")[8]
    (('Unit ID', 'Unit name'), 'Policy publicity-Content')
    >>> template_headers("zh", pd.DataFrame(columns=["town"]))[:5]
    ('院落编号', '院落名称', '乡镇', '村', '组')
    """
    return (*(column_header(f, lang) for f in template_fields(units)), *score_columns(lang))


def display_width(s: str) -> int:
    """How many character widths ``s`` takes in a spreadsheet: a CJK (wide) character counts two.

    >>> display_width("政策宣讲-开展内容"), display_width("Unit ID")
    (17, 7)
    """
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in s)


def column_width(header: str, *, least: int = 6, most: int = MAX_SCORE_WIDTH) -> int:
    """The width of a column for its header: the whole header on one line when it fits within ``most``, else
    wide enough for its longest word, the header wrapping onto further lines (never cut within a word).

    >>> column_width("政策宣讲-开展内容"), column_width("Courtyard economy-Satisfaction"), column_width("组")
    (19, 20, 6)
    """
    whole = display_width(header) + 2
    longest = max((display_width(w) for w in re.split(r"(?<=[\s-])", header)), default=0) + 2
    return max(least, min(whole, max(most, longest)))


def template_bytes(units: pd.DataFrame, *, lang: Lang = "zh", period: str = "") -> bytes:
    """The xlsx template for ``units`` (see :func:`read_units`) as bytes, deterministic; headers in ``lang``.

    >>> import openpyxl
    >>> u = pd.DataFrame({"unit_id": ["U1", "U2"], "name": [None, "东院"], "village": ["东村"] * 2,
    ...                   "group": [None] * 2, "n_households": [30, 25]})
    >>> wb = openpyxl.load_workbook(io.BytesIO(template_bytes(u)))
    >>> wb.sheetnames, [c.value for c in wb.worksheets[0][3]][:5], wb.worksheets[0]["I1"].value
    (['评分表', '填写说明'], ['U2', '东院', '东村', None, 25], '政策宣讲-开展内容')
    >>> [c.value for c in wb.worksheets[1][1]], [c.value for c in wb.worksheets[1][2]][0], wb.worksheets[1].max_row
    (['序号', '院落服务成熟度评分表 填写说明'], 1, 8)
    """
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = text("maturity.template.sheet", lang)
    fields = template_fields(units)
    headers = template_headers(lang, units)
    ws.append(list(headers))
    filled = {"period": period or None, "assessor": None, "date": None}
    for r in units.to_dict("records"):
        ws.append([filled[f] if f in filled else r[f] for f in fields] + [None] * len(SCORE_COLUMNS))
        for cell in ws[ws.max_row]:  # a name such as "=1+1" is text: openpyxl would store it as a formula
            if isinstance(cell.value, str):
                cell.data_type = "s"
    first, last = len(headers) - len(SCORE_COLUMNS) + 1, len(headers)
    dv = DataValidation(type="whole", operator="between", formula1=str(1), formula2=str(SCORE_MAX),
                        allow_blank=True, showErrorMessage=True, errorStyle="stop",
                        errorTitle=text("maturity.template.error_title", lang),
                        error=text("maturity.template.error", lang))
    end_row = len(units) + 1 + EXTRA_ROWS
    dv.add(f"{_col(first)}2:{_col(last)}{end_row}")
    ws.add_data_validation(dv)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    given = [fields.index(f) + 1 for f in PROGRAM_FIELDS if f in fields]  # filled by the program: never changed
    for j, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=j)
        cell.font, cell.fill = Font(bold=True), head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        # sized to the header (CJK counts double), which wraps when longer than a score column grows
        ws.column_dimensions[_col(j)].width = column_width(header, least=12 if j < first else 6)
    _mark_program_columns(ws, given, len(units) + 1, lang)
    _date_column(ws, fields.index("date") + 1, len(units) + 1)
    ws.row_dimensions[1].height = 45
    ws.freeze_panes = "C2"
    from yuanluo.planners.tables import print_setup  # here: tables imports this module

    print_setup(ws, title_rows="1:1")  # landscape A4, one page wide, the header row on every page
    _help_sheet(wb, lang, town="town" in fields)
    when = _stamp().replace(tzinfo=None)
    wb.properties.created = wb.properties.modified = when
    wb.properties.creator = "yuanluo"
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_zip(buf.getvalue(), _stamp())


def _mark_program_columns(ws: Any, columns: Sequence[int], last_row: int, lang: Lang) -> None:
    """Set the columns the program fills (:data:`PROGRAM_FIELDS`) apart from those to fill in: a grey header
    and grey cells, and a comment on the header saying they are filled by the program.

    A comment, not an input message: the sheet keeps one data validation, the scores'. The sheet is not
    protected: protection would stop the planner sorting the rows, adding rows and copying the unit rows below
    for a further period (the instructions ask for that), which all need those cells."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    head, body = PatternFill("solid", fgColor=PROGRAM_HEAD_FILL), PatternFill("solid", fgColor=PROGRAM_CELL_FILL)
    note = f'{text("maturity.template.given_title", lang)}\n{text("maturity.template.given", lang)}'
    for j in columns:
        cell = ws.cell(row=1, column=j)
        cell.fill = head
        cell.comment = Comment(note, "yuanluo", height=110, width=260)
        for r in range(2, last_row + 1):
            ws.cell(row=r, column=j).fill = body


def _date_column(ws: Any, column: int, last_row: int) -> None:
    """The 评估日期 column as dates: a date number format on the column and its cells, so that a typed
    ``2026/3/16`` becomes a date (read back as ``2026-03-16``). No date validation: the sheet keeps one data
    validation, the scores'."""
    ws.column_dimensions[_col(column)].number_format = DATE_FORMAT
    for r in range(2, last_row + 1):
        ws.cell(row=r, column=column).number_format = DATE_FORMAT


def _col(j: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(j))


def write_template(result: str | Path, out: str | Path, *, lang: Lang = "zh", period: str = "",
                   overwrite: bool = False) -> Path:
    """Write the score template for the units of a result GeoPackage; returns the path written.

    Parameters
    ----------
    result : path
        A delineation result (layer ``units``; ``households`` for villages when the units carry none).
    out : path
        The ``.xlsx`` to write (atomic; an existing file needs ``overwrite=True``).
    lang : {"zh", "en"}
        Language of the column headers, the instructions sheet and the validation messages (a sheet in either
        language reads back).
    period : str
        A period to pre-fill in every row (e.g. ``"2026Q1"``); blank by default.
    """
    units = read_units(result)
    return write_bytes(out, template_bytes(units, lang=lang, period=period), overwrite=overwrite)


# ------------------------------------------------------------------------------------------ map shading
#: one colour per category (Okabe–Ito, distinguishable with colour-blindness), for shading by the weakest
CATEGORY_COLOURS: dict[str, str] = dict(zip(CATEGORY_KEYS, ("#0072B2", "#E69F00", "#CC79A7", "#009E73",
                                                            "#56B4E9", "#D55E00"), strict=True))
UNRATED_COLOUR = "#bdbdbd"
_MEAN_RAMP = ("#f7fcb9", "#addd8e", "#41ab5d", "#006837")   # low → high mean


def weakest_names(value: Any, lang: Lang = "zh") -> str | None:
    """The weakest category key(s) (``civility,economy``) as names in ``lang``; None when not rated.

    >>> weakest_names("civility,economy"), weakest_names("policy", "en"), weakest_names(None)
    ('文明乡风、庭院经济', 'Policy publicity', None)
    """
    if value is None or pd.isna(value) or not str(value).strip():
        return None
    return str(text("list.sep", lang).join(category_label(k, lang) for k in str(value).split(",")))


def with_weakest_names(df: pd.DataFrame, lang: Lang = "zh") -> pd.DataFrame:
    """A copy of a layer with ``weakest_name`` (the weakest in words, in ``lang``) right after ``weakest``, which
    keeps its keys for the styles and programs that read them."""
    if "weakest" not in df.columns:
        return df
    out = df.copy()
    names = pd.array([weakest_names(v, lang) for v in out["weakest"]], dtype="string")
    out.insert(list(out.columns).index("weakest") + 1, "weakest_name", names)
    return out


def shade_colour(row: Mapping[str, Any] | None, by: str = "weakest") -> str:
    """Fill colour of a unit on the map: by its weakest category, or by its mean on a 1–10 ramp; grey = 未评.

    Ties of the weakest take the first in axis order.

    >>> shade_colour({"weakest": "mediation,economy"}), shade_colour({"mean": 10.0}, by="mean"), shade_colour(None)
    ('#CC79A7', '#006837', '#bdbdbd')
    """
    if by not in ("weakest", "mean"):
        raise ValueError(f"by must be 'weakest' or 'mean', not {by!r}")
    value = None if row is None else row.get(by)
    if value is None or pd.isna(value):
        return UNRATED_COLOUR
    if by == "weakest":
        return CATEGORY_COLOURS[str(value).split(",")[0]]
    from matplotlib.colors import LinearSegmentedColormap, to_hex

    ramp = LinearSegmentedColormap.from_list("yl-maturity", list(_MEAN_RAMP))
    return str(to_hex(ramp((float(value) - 1) / (SCORE_MAX - 1)))).lower()


# ------------------------------------------------------------------------------------------ HTML
def _num(v: Any, digits: int = 1) -> str | None:
    """A number for display, or None for 未评."""
    if v is None or pd.isna(v):
        return None
    return f"{float(v):.{digits}f}"


def _pct(v: Any) -> str | None:
    return None if v is None or pd.isna(v) else f"{100 * float(v):.0f}%"


def _values(row: Mapping[str, Any]) -> np.ndarray:
    return np.array([np.nan if row.get(k) is None or pd.isna(row.get(k)) else float(row[k])
                     for k in CATEGORY_KEYS])


def _radar_frame(size: int) -> tuple[int, float, float, float]:
    """A hexagon's SVG width, centre (x, y) and radius at ``size``: wider than tall, the side axes' names and scores
    ("经济 10.0") stand beside the hexagon, not cut at the edge."""
    return round(size * 1.35), round(size * 1.35) / 2, size / 2, size * 0.30


def _radar_grid(size: int) -> str:
    """The grid rings at 2, 4 … 10 and the six spokes of a hexagon at ``size``."""
    _, cx, c, rad = _radar_frame(size)
    rings = [f'<polygon points="{" ".join(f"{cx + x * rad:.2f},{c - y * rad:.2f}" for x, y in hexagon_vertices([level] * 6))}" '
             f'fill="none" stroke="{GRID_COLOUR}" stroke-width="0.6"/>' for level in range(2, SCORE_MAX + 1, 2)]
    spokes = [f'<line x1="{cx:.2f}" y1="{c:.2f}" x2="{cx + x * rad:.2f}" y2="{c - y * rad:.2f}" '
              f'stroke="{GRID_COLOUR}" stroke-width="0.6"/>' for x, y in hexagon_vertices([SCORE_MAX] * 6)]
    return "".join(rings + spokes)


def radar_grid_symbol(grid: str, size: int = 150) -> str:
    """The grid of every hexagon at ``size`` once, as ``<symbol id="grid">`` in a hidden SVG, for a page of many
    hexagons drawn with ``radar_svg(..., grid=grid)``: each then draws its grid as ``<use>`` of it (the same look).

    >>> sym = radar_grid_symbol("yl-radar-grid")
    >>> sym.count("<polygon"), sym.count("<line"), 'id="yl-radar-grid"' in sym
    (5, 6, True)
    """
    width = _radar_frame(size)[0]
    return (f'<svg class="yl-defs" xmlns="http://www.w3.org/2000/svg" width="0" height="0" aria-hidden="true">'
            f'<symbol id="{html.escape(grid, quote=True)}" viewBox="0 0 {width} {size}">{_radar_grid(size)}'
            "</symbol></svg>")


def radar_svg(unit_id: Any, values: Sequence[float] | np.ndarray, *, lang: Lang = "zh", size: int = 150,
              grid: str | None = None) -> str:
    """The hexagon of one unit as a small inline SVG (no script, no chart library, no network).

    Grid rings at 2, 4 … 10, six spokes in the fixed axis order, the hexagon when all six are rated (else a dot
    per rated axis), the short category names with their scores; a category not rated has its wedge
    (:func:`unrated_wedge`) hatched and ``未评`` (``n/r``) at its axis in grey, as the print sheet draws it, never
    a bare ``–`` beside a point near the centre. The ``data-radar`` attribute carries the unit id; every string is
    escaped. ``grid``: the id of a :func:`radar_grid_symbol` of the same ``size`` on the page, drawn by ``<use>``
    instead of the rings and spokes (a report of hundreds of hexagons carries their grid once).

    Examples
    --------
    >>> s = radar_svg("U<1>", [8, 6, 7, 5, 9, 4])
    >>> s.startswith('<svg class="yl-radar" data-radar="U&lt;1&gt;"'), s.count("<polygon"), "政策 8.0" in s
    (True, 6, True)
    >>> s = radar_svg("U2", [8, 6, float("nan"), 5, 9, 4])
    >>> s.count("<circle"), s.count('data-unrated="2"'), "调处 未评" in s
    (5, 1, True)
    >>> s = radar_svg("U3", [8, 6, 7, 5, 9, 4], grid="g")
    >>> s.count("<polygon"), s.count("<line"), '<use href="#g" width="202" height="150"/>' in s
    (1, 0, True)
    """
    v = np.asarray(values, dtype=float)
    width, cx, c, rad = _radar_frame(size)

    def pts(xy: np.ndarray) -> str:
        return " ".join(f"{cx + x * rad:.2f},{c - y * rad:.2f}" for x, y in xy)

    parts = [f'<svg class="yl-radar" data-radar="{html.escape(str(unit_id), quote=True)}" '
             f'xmlns="http://www.w3.org/2000/svg" width="{width}" height="{size}" viewBox="0 0 {width} {size}" '
             f'role="img" aria-label="{html.escape(_radar_label(unit_id, v, lang), quote=True)}">']
    parts.append(_radar_grid(size) if grid is None
                 else f'<use href="#{html.escape(grid, quote=True)}" width="{width}" height="{size}"/>')
    if np.isnan(v).any():  # the sides not rated hatched, under the grid (a path: the polygons are grid and scores)
        hid = "yl-hatch-" + hashlib.sha1(str(unit_id).encode("utf-8")).hexdigest()[:12]  # the same id, the same bytes
        parts.insert(1, f'<defs><pattern id="{hid}" patternUnits="userSpaceOnUse" width="4" height="4" '
                        f'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="4" stroke="{UNRATED_HATCH}" '
                        f'stroke-width="1.2"/></pattern></defs>')
        parts[2:2] = [f'<path d="M{pts(unrated_wedge(k)).replace(" ", " L")} Z" fill="url(#{hid})" '
                      f'data-unrated="{k}"/>' for k in range(len(v)) if np.isnan(v[k])]
    verts = hexagon_vertices(v)
    if not np.isnan(v).any():
        parts.append(f'<polygon points="{pts(verts)}" fill="{RADAR_COLOUR}" fill-opacity="0.35" '
                     f'stroke="{RADAR_COLOUR}" stroke-width="1.5"/>')
    else:
        parts += [f'<circle cx="{cx + x * rad:.2f}" cy="{c - y * rad:.2f}" r="2.2" fill="{RADAR_COLOUR}"/>'
                  for x, y in verts if not np.isnan(x)]
    for k, (x, y) in enumerate(hexagon_vertices([SCORE_MAX * 1.28] * 6)):
        label = f"{text(f'maturity.short.{CATEGORY_KEYS[k]}', lang)} {_num(v[k]) or text('maturity.unrated_axis', lang)}"
        anchor = "middle" if abs(x) < 0.1 else ("start" if x > 0 else "end")
        grey = f' fill="{UNRATED_TEXT}"' if np.isnan(v[k]) else ""
        parts.append(f'<text x="{cx + x * rad:.2f}" y="{c - y * rad + 3:.2f}" font-size="{size * 0.062:.1f}" '
                     f'text-anchor="{anchor}"{grey}>{html.escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _radar_label(unit_id: Any, v: np.ndarray, lang: Lang) -> str:
    sep = text("list.sep", lang)
    vals = sep.join(f"{category_label(k, lang)} {_num(x) or text('maturity.unrated', lang)}"
                    for k, x in zip(CATEGORY_KEYS, v, strict=True))
    return text("maturity.radar_label", lang, unit=unit_id, values=vals)


def unit_card_html(unit_id: Any, row: Mapping[str, Any] | None, *, lang: Lang = "zh", size: int = 150,
                   partial: Mapping[str, int] | None = None, grid: str | None = None) -> str:
    """The maturity part of a unit's card: hexagon, the six numbers, mean, fullness, change and the axis note.

    ``row`` is the unit's row of :func:`yuanluo.gis.maturity.maturity_table` (one period); None or a row with
    nothing rated gives ``未评``. ``partial`` (:func:`partly_scored`): category → how many of its indicators were
    scored, for the categories not rated for want of the others (MAT-PARTIAL): their cell says ``未评（评了 1/3
    项）``, not a bare 未评 as if nobody had assessed them (a card with nothing rated says them under its 未评).
    ``grid``: as :func:`radar_svg`'s.

    Examples
    --------
    >>> unit_card_html("U9", None)
    '<div class="yl-maturity" data-radar="U9"><b>未评</b></div>'
    >>> row = dict(zip(CATEGORY_KEYS, [8, 6, 7, 5, 9, 4]), n_rated=6, mean=6.5, fullness=0.42, period="2026Q1")
    >>> card = unit_card_html("U1", row, lang="en")
    >>> "Fullness 42%" in card, "Dispute mediation</td><td>7.0" in card
    (True, True)
    """
    uid = html.escape(str(unit_id), quote=True)
    partial = partial or {}
    if row is None or not row.get("n_rated"):
        some = (f'<br><span class="partial">{html.escape(_partial_line(partial, lang))}</span>' if partial else "")
        return (f'<div class="yl-maturity" data-radar="{uid}"><b>{html.escape(text("maturity.unrated", lang))}</b>'
                f"{some}</div>")
    v = _values(row)
    unrated = text("maturity.unrated", lang)

    def shown(k: str, x: float) -> str:
        if _num(x) is not None:
            return _num(x) or ""
        if k in partial:  # scored in part: said where the category is shown (MAT-PARTIAL)
            return (f'<span class="partial">{html.escape(text("maturity.partial_cell", lang, n=partial[k], of=len(INDICATORS)))}'
                    "</span>")
        return html.escape(unrated)

    cells = "".join(f"<tr><td>{html.escape(category_label(k, lang))}</td><td>{shown(k, x)}"
                    f"</td></tr>" for k, x in zip(CATEGORY_KEYS, v, strict=True))
    lines = [f'{html.escape(text("maturity.period", lang))} {html.escape(str(row.get("period", "")))}',
             f'{html.escape(text("maturity.mean", lang))} {_num(row.get("mean")) or unrated}',
             f'{html.escape(text("maturity.fullness", lang))} {_pct(row.get("fullness")) or unrated}',
             html.escape(text("maturity.rated_of", lang, n=int(row["n_rated"])))]
    if row.get("weakest") is not None and not pd.isna(row.get("weakest")):
        names = weakest_names(row["weakest"], lang) or ""
        lines.append(f'{html.escape(text("maturity.weakest", lang))} {html.escape(names)}')
    change = _num(row.get("change_mean"))
    if change is not None:
        sign = "+" if float(row["change_mean"]) > 0 else ""
        lines.append(f'{html.escape(text("maturity.change", lang, period=row.get("prev_period")))} '
                     f'{html.escape(text("maturity.mean", lang))} {sign}{change}{html.escape(_compared(row, lang))}')
    order = text("list.sep", lang).join(category_label(k, lang) for k in CATEGORY_KEYS)
    key = (f'<div class="unrated-key">{html.escape(text("maturity.sheet_unrated_key", lang))}</div>'
           if np.isnan(v).any() else "")  # what the hatching is, printed too (the axis note is not)
    return (f'<div class="yl-maturity">{radar_svg(unit_id, v, lang=lang, size=size, grid=grid)}{key}'
            f'<table class="yl-maturity-numbers">{cells}</table>'
            f'<div>{"<br>".join(lines)}</div>'
            f'<small>{html.escape(text("maturity.axis_note", lang, order=order))}</small></div>')


def partly_scored(scores: pd.DataFrame, table: pd.DataFrame) -> dict[tuple[str, str], dict[str, int]]:
    """(unit, period) → {category: how many of its indicators were scored} for each category the scores
    (:func:`~yuanluo.gis.maturity.read_scores`) give some indicators of while ``table``
    (:func:`~yuanluo.gis.maturity.maturity_table`) has no maturity for it: not rated for want of the others, which
    read_scores says by MAT-PARTIAL and the report says where the category is shown.

    >>> sc = pd.DataFrame([("U1", "Q1", "policy", i, s) for i, s in (("content", 7), ("effect", None),
    ...                    ("satisfaction", 6))] + [("U1", "Q1", "economy", "content", 8)],
    ...                   columns=["unit_id", "period", "category", "indicator", "score"])
    >>> t = pd.DataFrame({"unit_id": ["U1"], "period": ["Q1"], "policy": [None], "economy": [8.0]})
    >>> partly_scored(sc, t)
    {('U1', 'Q1'): {'policy': 2}}
    """
    if not len(scores) or not len(table):
        return {}
    scored = scores[scores["score"].notna()]
    counts = scored.groupby([scored["unit_id"].astype(str), scored["period"].astype(str), "category"]).size()
    rows = {(str(r["unit_id"]), str(r["period"])): r for r in table.to_dict("records")}
    out: dict[tuple[str, str], dict[str, int]] = {}
    for (u, p, c), n in counts.items():
        r = rows.get((str(u), str(p)))
        if r is not None and c in r and (r[c] is None or pd.isna(r[c])):
            out.setdefault((str(u), str(p)), {})[str(c)] = int(n)
    return out


def _of_period(partial: Mapping[tuple[str, str], Mapping[str, int]] | None, period: Any
               ) -> dict[str, Mapping[str, int]]:
    """:func:`partly_scored`'s categories of the units in ``period``, by unit.

    >>> _of_period({("U1", "Q1"): {"policy": 2}, ("U1", "Q2"): {"economy": 1}}, "Q1"), _of_period(None, "Q1")
    ({'U1': {'policy': 2}}, {})
    """
    return {u: c for (u, p), c in (partial or {}).items() if p == str(period)}


def _partial_items(partial: Mapping[str, int], lang: Lang) -> str:
    """The categories scored in part, in axis order, with how many of their indicators were ('' for none).

    >>> _partial_items({"economy": 1, "policy": 2}, "zh"), _partial_items({}, "en")
    ('政策宣讲 2/3 项、庭院经济 1/3 项', '')
    """
    return text("list.sep", lang).join(text("maturity.partial_item", lang, category=category_label(k, lang),
                                            n=partial[k], of=len(INDICATORS)) for k in CATEGORY_KEYS if k in partial)


def _partial_line(partial: Mapping[str, int], lang: Lang) -> str:
    """The categories of a card scored in part, in axis order, with how many of their indicators were."""
    return text("maturity.partial_line", lang, items=_partial_items(partial, lang))


def _named(village: Any) -> bool:
    return village is not None and not pd.isna(village) and bool(str(village))


def unit_names(units: pd.DataFrame) -> dict[str, str]:
    """Each unit's name where it has one, by unit id: a blank or missing name (NaN, as a GeoPackage's empty cell
    reads) is no name, so a unit is headed "U4", never "U4 nan".

    >>> unit_names(pd.DataFrame({"unit_id": ["U1", "U2", "U3"], "name": [None, float("nan"), "东院"]}))
    {'U3': '东院'}
    """
    if "name" not in units:
        return {}
    return {str(u): str(n) for u, n in zip(units["unit_id"], units["name"], strict=True) if _named(n) and str(n).strip()}


def any_village(villages: pd.DataFrame) -> bool:
    """Whether a unit of ``villages`` (:func:`yuanluo.gis.maturity.village_summary`) has a village. Without one (the
    households had no village column) the report, the print sheet and the map say 全部院落 / All units where a village
    heading goes, not 未注明村 / No village given in every row, as the check and cover reports leave their 村 line out.

    >>> any_village(pd.DataFrame({"village": ["", None]})), any_village(pd.DataFrame({"village": ["", "甲村"]}))
    (False, True)
    """
    return "village" in villages and any(_named(v) for v in villages["village"])


def _village_name(village: Any, lang: Lang, alone: bool = False) -> str:
    """A village's heading; ``alone``: no unit has a village (:func:`any_village`), its one heading 全部院落."""
    return str(village) if _named(village) else text("maturity.all_units" if alone else "maturity.no_village", lang)


def _village_line(s: Mapping[str, Any], lang: Lang, alone: bool = False) -> str:
    sep = text("list.sep", lang)
    unrated = text("maturity.unrated", lang)
    means = sep.join(f"{category_label(k, lang)} {_num(s[k]) or unrated}" for k in CATEGORY_KEYS)
    weak = sep.join(category_label(k, lang) for k in str(s["weakest"]).split(",")) \
        if s["weakest"] is not None and not pd.isna(s["weakest"]) else unrated
    return text("maturity.all_line" if alone and not _named(s["village"]) else "maturity.village_line", lang,
                village=_village_name(s["village"], lang), n_units=number(int(s["n_units"]), lang),
                n_full=number(int(s["n_full"]), lang), means=means, weakest=weak)


def _period_rows(table: pd.DataFrame, period: str | None) -> tuple[str, pd.DataFrame]:
    if not len(table):
        return "", table
    if period is None:
        period = str(table.loc[table["period_no"].idxmax(), "period"])
    return period, table[table["period"].astype(str) == str(period)]


_GRID = "yl-radar-grid"  # the report's one hexagon grid (radar_grid_symbol), every card's <use>d
_CSS = (".yl-defs{position:absolute}" + FONT_CSS + "body{margin:1em;color:#222}.yl-grid{display:flex;flex-wrap:wrap;gap:12px}"
        ".yl-unit{border:1px solid #ccc;border-radius:6px;padding:6px;width:260px}.yl-unit h3{margin:0;font-size:1em}"
        ".yl-maturity table{font-size:.85em;border-collapse:collapse}.yl-maturity td{padding:0 .5em 0 0}"
        ".yl-maturity small{color:#666;display:block;margin-top:4px}.partial{color:#a15c00}"
        ".unrated-key{font-size:.8em;color:#555;margin:0 0 2px}"
        # the stamp as the check and cover reports show it (planners.report): at the top, and again at the foot
        ".stamp{display:inline-block;border:2px solid #b00;color:#b00;padding:2px 8px;font-weight:bold;"
        "transform:rotate(-2deg);float:right;margin:4px}.foot{color:#666;font-size:.85em;margin-top:2em}"
        "@media (max-width:600px){.stamp{float:none}}"
        # the axis note said once under the title, not in every card: printed, a card 138 mm tall with it (one line
        # of cards a page); on a phone ten lines more in each of 33 cards (4,300 px of scrolling, s52 E)
        ".yl-unit .yl-maturity small{display:none}"
        # printed (A4, planners.report.page_css): three cards a line, none split over two pages (.keep)
        "@media print{body{margin:0;font-size:10pt}.yl-grid{gap:8px}.yl-unit{box-sizing:border-box;width:226px}}"
        # on a phone each card takes the column's width and its hexagon grows with it (labels 9.3 px → ≥ 12 px);
        # printed (A4) and on a wide screen the cards stay 260 px wide in rows
        "@media screen and (max-width:600px){.yl-unit{box-sizing:border-box;width:100%}"
        ".yl-unit svg.yl-radar{display:block;width:100%;max-width:420px;height:auto;margin:0 auto}}"
        # a phone held sideways (844 x 390, 640 x 360): the card the screen's width, its hexagon 300 px wide (labels
        # 13.8 px, were 9.3) with the numbers beside it, not above them: a card no taller than the screen
        "@media screen and (max-height:500px) and (orientation:landscape){.yl-unit{box-sizing:border-box;width:100%}"
        ".yl-maturity{display:grid;grid-template-columns:auto 1fr;column-gap:16px;align-items:start}"
        ".yl-maturity svg.yl-radar{grid-row:1/span 9;width:300px;height:auto}.yl-maturity>:not(svg){grid-column:2;justify-self:start}}"
        # the overview (_overview): the units needing attention, the villages with a link to each unit; a unit a
        # link jumps to is not hidden under the top of the screen; on a phone every link a finger's height
        ".small{font-size:.85em;color:#555}ul.toc{list-style:none;padding:0;margin:.3em 0}"
        "ul.toc li{margin:3px 0;padding:5px 8px;border-left:5px solid #bbb;background:#f5f5f5;display:flex;"
        "flex-wrap:wrap;gap:0 8px;align-items:center}ul.toc li.bad{border-left-color:#c62828}"
        "ul.toc .n{margin-left:auto}p.jump{margin:.2em 0;width:100%}p.jump a{margin-right:.9em;white-space:nowrap}"
        # a village's line the summary of its folded unit links: the count (.n) says it opens (▸, open ▾: drawn,
        # not glyphs, which the bundled font lacks)
        "ul.toc details{width:100%}ul.toc summary{display:flex;flex-wrap:wrap;gap:0 8px;align-items:center;"
        "list-style:none;cursor:pointer}ul.toc summary::-webkit-details-marker{display:none}"
        "ul.toc summary .n::after{content:'';display:inline-block;margin-left:.35em;border-top:.3em solid transparent;"
        "border-bottom:.3em solid transparent;border-left:.42em solid}"
        "ul.toc details[open] summary .n::after{border:.3em solid transparent;border-bottom:0;border-top:.42em solid;"
        "vertical-align:.12em}"
        f"@media {TOUCH_SCREEN}{{ul.toc summary{{min-height:44px}}}}"
        ".yl-unit:has(h3:target){outline:3px solid #0645ad}"
        f"@media {TOUCH_SCREEN}{{ul.toc a,p.jump a{{display:inline-flex;align-items:center;"
        "min-height:44px;padding:0 4px}}"
        "@media print{.screen{display:none}ul.toc a{color:inherit;text-decoration:none}"
        "ul.toc summary .n::after{content:none}"
        "ul.toc li{-webkit-print-color-adjust:exact;print-color-adjust:exact;padding:1px 8px;margin:1px 0}}")


#: how many of the units with the lowest mean the overview of a report lists first
WEAKEST_SHOWN = 10


def _overview(by_village: Sequence[tuple[str, Any, pd.DataFrame]], anchors: Mapping[str, str],
              names: Mapping[str, Any], lang: Lang, alone: bool = False) -> str:
    """The top of a report: the units with the lowest mean first (at most :data:`WEAKEST_SHOWN`, lowest first,
    then by the page's order; each with its mean and weakest categories), then per village a link to it and a link
    to each of its units, so that an official finds U153 by tapping, not by scrolling. Printed, the unit links
    (they mean nothing on paper) are left out; the weakest units and the villages stay. ``alone``: no unit has a
    village (:func:`any_village`): the lists say no village, the one line of links 全部院落."""
    def link(uid: str) -> str:
        label = uid + (f" {names[uid]}" if names.get(uid) else "")
        return f'<a href="#{anchors[uid]}">{html.escape(label)}</a>'

    rated = [(float(r["mean"]), anchors[str(r["unit_id"])], str(r["unit_id"]), r["weakest"], village)
             for village, _, vr in by_village for _, r in vr.iterrows()
             if r.get("mean") is not None and not pd.isna(r.get("mean"))]
    rated.sort(key=lambda x: (x[0], int(x[1][1:])))
    # a sentence saying what the lists below hold, not a label with a colon and no list after it (its headings follow)
    lead = text(("maturity.overview" if rated else "maturity.overview.villages") + (".all" if alone else ""), lang)
    hint = html.escape(text("maturity.tap_hint", lang))
    out = [f'<p class="small">{html.escape(lead)}<span class="screen">{hint}</span></p>']
    if rated:
        shown = rated[:WEAKEST_SHOWN]
        out.append(f'<h2 id="attention">{html.escape(text("maturity.attention", lang, count=len(shown)))}</h2>'
                   '<ul class="toc">')
        for mean, _, uid, weakest, village in shown:
            weak = weakest_names(weakest, lang)
            words = " · ".join([*([] if alone else [_village_name(village, lang)]),
                                f'{text("maturity.mean", lang)} {_num(mean)}',
                                *([f'{text("maturity.weakest", lang)} {weak}'] if weak else [])])
            out.append(f'<li class="bad">{link(uid)}<span class="n">{html.escape(words)}</span></li>')
        out.append("</ul>")
    heading = text("maturity.all_units.index" if alone else "maturity.by_village", lang)  # not the section's words
    out.append(f'<h2 id="villages">{html.escape(heading)}</h2><ul class="toc villages">')
    for i, (village, s, vr) in enumerate(by_village, 1):
        units = " ".join(link(u) for u in vr["unit_id"].astype(str))
        count = html.escape(text("maturity.n_units_of", lang, n=int(s["n_units"])))
        # no village: under the heading 全部院落 the count is the link (the heading's words not said twice)
        line = (f'<a href="#v{i}">{count}</a><span class="n"></span>' if alone and not _named(village) else
                f'<a href="#v{i}">{html.escape(_village_name(village, lang))}</a><span class="n">{count}</span>')
        # a village's unit links folded under its line (a tap on the count opens them): 327 units of a town were
        # 4,649 px of links on a phone before the first card; works without script, printed the line alone
        out.append(f'<li><details><summary>{line}</summary><p class="jump screen">{units}</p></details></li>'
                   if units else f"<li>{line}</li>")
    out.append("</ul>")
    return "".join(out)


def report_html(table: pd.DataFrame, villages: pd.DataFrame, units: pd.DataFrame, *, lang: Lang = "zh",
                period: str | None = None, files: Sequence[str] = (), date: str | None = None,
                partial: Mapping[tuple[str, str], Mapping[str, int]] | None = None) -> str:
    """A self-contained HTML page of one period (the latest by default): per village its aggregate line and
    every unit's card (:func:`unit_card_html`); no script, no external resource; set in the reader's Chinese fonts,
    else the bundled font's glyphs for the page's characters, embedded (:mod:`yuanluo.maps.webfont`). ``partial``
    (:func:`partly_scored`): the categories scored in part, said under the title (how many, on how many units)
    and in each card where the category is shown. Stamped 内部工作资料 (internal
    working document) at the top and the foot, as the check and cover reports are, and printed as they print
    (:func:`yuanluo.planners.report.page_css`): A4 margin boxes with the title and the villages, the date (``date``,
    the day of its data: the command gives :func:`yuanluo.gis.output.data_date` of its files; else of
    ``SOURCE_DATE_EPOCH`` when set, else today), the stamp and ``files`` (the names of the result and the score sheets), and
    "第 n 页，共 m 页"; no card split over two pages, a village's heading kept with its cards.

    >>> from yuanluo.gis.maturity import maturity_table, village_summary
    >>> u = pd.DataFrame({"unit_id": ["U1", "U2"], "name": [None, None], "village": ["V", "V"]})
    >>> sc = pd.DataFrame([("U1", "P1", c, i, 7) for c in CATEGORY_KEYS for i in ("content", "effect", "satisfaction")],
    ...                   columns=["unit_id", "period", "category", "indicator", "score"])
    >>> t = maturity_table(sc, ["U1", "U2"])
    >>> page = report_html(t, village_summary(t, {"U1": "V", "U2": "V"}), u, lang="en")
    >>> page.count('data-radar="U1"'), page.count('data-radar="U2"'), "://" in page.replace("http://www.w3.org", "")
    (1, 1, False)
    >>> "Content-Security-Policy" in page, page.count(">Internal working document<"), "Internal working document ·" in page
    (True, 1, True)
    >>> printed = report_html(t, village_summary(t, {"U1": "V", "U2": "V"}), u, files=["r.gpkg"])
    >>> "counter(pages)" in printed, '@top-left{content:"院落服务成熟度' in printed, "r\\\\2e gpkg" in printed
    (True, True, True)
    """
    from yuanluo.gis.validate import page_text
    from yuanluo.planners.report import ReportInfo, page_css, report_date

    period, rows = _period_rows(table, period)
    vmap = dict(zip(units["unit_id"].astype(str), units["village"], strict=True))
    names = unit_names(units)
    title = text("maturity.report_title", lang, period=period)
    order = text("list.sep", lang).join(category_label(k, lang) for k in CATEGORY_KEYS)
    stamp = html.escape(text("report.stamp", lang))
    vrows = villages[villages["period"].astype(str) == str(period)]
    named = [page_text(str(v)) for v in vrows["village"] if _named(v)]
    alone = not named
    place = ReportInfo(villages=(*named[:3], *(["…"] if len(named) > 3 else []))).village_in(lang)
    css = _CSS + page_css(lang, page_text(title), place=place, date=date or report_date(),
                          files=[page_text(str(f)) for f in files])
    body = [f'<div class="stamp">{stamp}</div>', radar_grid_symbol(_GRID),
            f"<h1 id=\"top\">{html.escape(title)}</h1>"
            f"<p>{html.escape(text('maturity.axis_note', lang, order=order))}</p>"]
    shown_partial = _of_period(partial, period)
    if shown_partial:  # MAT-PARTIAL, which the console says, on the page too: 未评 is not "nobody assessed it"
        body.append(f'<p class="partial">{html.escape(text("maturity.partial_note", lang, units=len(shown_partial), categories=sum(len(c) for c in shown_partial.values())))}</p>')
    # each village's rows in the roster order of the villages, each unit an anchor of its own (u1, u2, … in page
    # order: a unit id is any text, the anchor never is)
    by_village = [(str(s["village"]), s, rows[[(vmap.get(str(u)) or "") == str(s["village"]) for u in rows["unit_id"]]])
                  for _, s in vrows.iterrows()]
    anchors: dict[str, str] = {}
    for _, _, vr in by_village:
        for u in vr["unit_id"].astype(str):
            anchors.setdefault(u, f"u{len(anchors) + 1}")
    body.append(_overview(by_village, anchors, names, lang, alone))
    back = f'<p class="jump screen"><a href="#top">{html.escape(text("maturity.to_top", lang))}</a></p>'
    for i, (village, s, vr) in enumerate(by_village, 1):
        body.append(f'<section id="v{i}"><h2>{html.escape(_village_name(village, lang, alone))}</h2>'
                    f"<p>{html.escape(_village_line(s, lang, alone))}</p>{back}"
                    '<div class="yl-grid">')
        for _, r in vr.iterrows():
            uid = str(r["unit_id"])
            head = uid + (f" {names[uid]}" if names.get(uid) else "")
            body.append(f'<div class="yl-unit keep"><h3 id="{anchors[uid]}">{html.escape(head)}</h3>'
                        f"{unit_card_html(uid, r.to_dict(), lang=lang, partial=shown_partial.get(uid), grid=_GRID)}</div>")
        body.append("</div></section>")
    body.append(f'<p class="foot">{stamp} · yuanluo</p>')
    from yuanluo.maps.offline import add_csp

    return add_csp(embed(f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
                   f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{html.escape(title)}'
                   f"</title><style>{css}</style></head><body>{''.join(body)}</body></html>\n"))


# ------------------------------------------------------------------------------------------ print sheet
A4_IN = (210 / 25.4, 297 / 25.4)
COLS = 6
CELL_H, VILLAGE_H, TOP_H, MARGIN = 0.125, 0.028, 0.20, 0.04   # figure fractions of the A4 height / width
#: font sizes (points) a unit's title in its cell may take, largest first; at the last it wraps over two lines
CELL_TITLE_FONTS = (7.0, 6.5, 6.0, 5.5)
TITLE_H = 0.024  # figure fraction of the A4 height above a cell's hexagon: its title, two lines at the last size


def _draw_grid(ax: Any) -> None:
    for level in range(2, SCORE_MAX + 1, 2):
        ring = hexagon_vertices([level] * 6)
        ax.plot(*np.vstack([ring, ring[:1]]).T, color=GRID_COLOUR, lw=0.4)
    for x, y in hexagon_vertices([SCORE_MAX] * 6):
        ax.plot([0, x], [0, y], color=GRID_COLOUR, lw=0.4)
    ax.set_xlim(-1.5, 1.5)
    ax.set_ylim(-1.4, 1.4)
    ax.set_aspect("equal")
    ax.axis("off")


def _draw_hexagon(ax: Any, values: np.ndarray, lang: Lang = "zh", part: Mapping[str, int] | None = None) -> None:
    """One small multiple: grid, the hexagon (or the rated points) and the six numbers at the axis ends; a category
    not rated has its wedge hatched (:func:`unrated_wedge`) and ``未评`` at its axis (``未评 1/3`` where ``part``,
    :func:`partly_scored`'s, says it was scored in part), never a bare dash beside a point near the centre."""
    from matplotlib.patches import Polygon

    part = part or {}
    for side in range(len(values)):  # the sides not rated under the grid, in the grey the HTML hexagons hatch with
        if not np.isnan(values[side]):
            continue
        ax.add_patch(Polygon(unrated_wedge(side), closed=True, fill=False, hatch="/////", lw=0,
                             edgecolor=UNRATED_HATCH))
    _draw_grid(ax)
    verts = hexagon_vertices(values)
    if not np.isnan(values).any():
        ax.fill(*verts.T, color=RADAR_COLOUR, alpha=0.35, lw=0)
        ax.plot(*np.vstack([verts, verts[:1]]).T, color=RADAR_COLOUR, lw=1.0)
    else:
        ok = ~np.isnan(values)
        ax.scatter(verts[ok, 0], verts[ok, 1], s=4, color=RADAR_COLOUR)
    for k, ((x, y), v) in enumerate(zip(hexagon_vertices([SCORE_MAX * 1.22] * 6), values, strict=True)):
        key = CATEGORY_KEYS[k]
        if _num(v) is not None:
            ax.text(x, y, _num(v), fontsize=5.5, ha="center", va="center")
            continue
        label = (text("maturity.unrated_axis_part", lang, n=part[key], of=len(INDICATORS)) if key in part
                 else text("maturity.unrated_axis", lang))
        ax.text(x, y, label, fontsize=5.5, ha="center", va="center", color=UNRATED_TEXT)


def _layout(rows: pd.DataFrame, vmap: Mapping[str, Any], villages: pd.DataFrame) -> list[list[tuple[str, Any]]]:
    """Pages of lines: ``("village", summary row)`` headings, ``("continued", summary row)`` where a village goes
    on over a page break (its name again, 甲村（续）), and ``("units", [table rows])`` of up to COLS. A heading
    never ends a page without a row of its units under it.

    >>> v = pd.DataFrame({"village": ["甲村"], "n_units": [40]})
    >>> t = pd.DataFrame({"unit_id": [f"U{i}" for i in range(40)]})
    >>> [[k for k, _ in p] for p in _layout(t, {f"U{i}": "甲村" for i in range(40)}, v)][1][:2]
    ['continued', 'units']
    """
    lines: list[tuple[str, Any, Any]] = []
    for _, s in villages.iterrows():
        mine = [r for _, r in rows.iterrows() if (vmap.get(str(r["unit_id"])) or "") == str(s["village"])]
        lines.append(("village", s, s))
        lines += [("units", mine[i:i + COLS], s) for i in range(0, len(mine), COLS)]
    pages: list[list[tuple[str, Any]]] = [[]]
    room = 1 - TOP_H - MARGIN
    for n, (kind, item, s) in enumerate(lines):
        need = VILLAGE_H if kind == "village" else CELL_H
        keep = CELL_H if kind == "village" and n + 1 < len(lines) and lines[n + 1][0] == "units" else 0.0
        if need + keep > room and pages[-1]:
            pages.append([])
            room = 1 - TOP_H - MARGIN
            if kind == "units":  # the village goes on: its name heads the new page
                pages[-1].append(("continued", s))
                room -= VILLAGE_H
        pages[-1].append((kind, item))
        room -= need
    return pages


#: the "resolution" a PDF sheet is drawn at, for :func:`_fitted_lines`: its text measured as the PDF backend sets it
#: (the font's own advance widths), which the Agg renderer's hinted widths do not give (at the figure's 100 dpi a
#: line of Chinese measured 544 pt that the PDF set 563 pt wide; at 150 dpi, a PNG's, 575 pt)
PDF = 0


def _fitted_lines(fig: Any, s: str, size: float, width: float, dpis: Sequence[int], most: int = 0,
                  joiner: str = "") -> list[str]:
    """``s`` broken into lines (:func:`yuanluo.maps.static.wrap_to`) each no wider than ``width`` (figure fraction)
    at ``size`` as drawn at every resolution in ``dpis`` (a PNG's dpi; :data:`PDF` for a PDF) and on the figure's
    own canvas: that 100 dpi canvas alone hints each Chinese character narrower than it is drawn, and a heading
    broken by it ran past the right margin to 586.8 pt of a 595.3 pt A4 page. With ``most``, the lines from the ``most``-th on are joined (by
    ``joiner``: none in Chinese, a space in English) and cut with "…" to one line."""
    from matplotlib.backends.backend_pdf import PdfFile, RendererPdf
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    from yuanluo.maps.static import cut_fitting, wrap_to

    prop = FontProperties(size=size)
    w_in, h_in = fig.get_size_inches()
    # as drawn, and on the figure's own canvas (what its texts' extents say); a PDF broken as at 1200 dpi, then checked
    figs = [Figure(figsize=(w_in, h_in), dpi=d or 1200) for d in dict.fromkeys([*dpis, fig.dpi])]
    pdf = RendererPdf(PdfFile(io.BytesIO()), 72, h_in * 72, w_in * 72) if PDF in dpis else None

    def wide(f: Any, t: str) -> float:  # figure fraction
        return float(_renderer(f).get_text_width_height_descent(t, prop, ismath=False)[0] / f.bbox.width)

    def fits(t: str) -> bool:
        return all(wide(f, t) <= width for f in figs) and (
            pdf is None or pdf.get_text_width_height_descent(t, prop, ismath=False)[0] <= width * w_in * 72)

    by = max(figs, key=lambda f: wide(f, s))  # the widest measure breaks it; each line is then checked as drawn
    room = width
    while True:
        lines = wrap_to(by, s, size, room).split("\n")
        if most and len(lines) > most:
            lines = [*lines[:most - 1], cut_fitting(joiner.join(lines[most - 1:]), fits)]
        if all(fits(t) for t in lines) or room < width / 2:
            return lines
        room *= 0.99


def _page_figure(page: list[tuple[str, Any]], *, period: str, number: int, pages: int, lang: Lang,
                 names: Mapping[str, Any], dpis: Sequence[int] = (PDF,),
                 partial: Mapping[str, Mapping[str, int]] | None = None, alone: bool = False) -> Any:
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    partial = partial or {}

    fig = Figure(figsize=A4_IN)
    fig.text(0.5, 0.975, text("maturity.sheet_title", lang, period=period, page=number, pages=pages),
             ha="center", va="top", fontsize=13)  # one regular face is bundled: no bold
    order = text("list.sep", lang).join(category_label(k, lang) for k in CATEGORY_KEYS)
    # broken by the map sheets' wrap_to (Chinese between any two characters, measured in the sheet's font), not by
    # matplotlib's wrap=True: that breaks only at spaces, so the Chinese note ran off the A4 page's right edge
    fig.text(MARGIN, 0.945, "\n".join(_fitted_lines(fig, text("maturity.axis_note", lang, order=order), 6.5,
                                                    1 - 2 * MARGIN, dpis)), fontsize=6.5, va="top")
    key = fig.add_axes((0.38, 0.80, 0.24, 0.115))
    _draw_grid(key)
    for k, (x, y) in enumerate(hexagon_vertices([SCORE_MAX * 1.2] * 6)):
        key.text(x, y, category_label(CATEGORY_KEYS[k], lang), fontsize=6, ha="center", va="center")
    shown = [r for kind, item in page if kind == "units" for r in item]
    if any(np.isnan(_values(r.to_dict())).any() for r in shown):
        # a side not rated on this page: the key says what its hatching is (not a score of 0) and, where a
        # category was scored in part on it, what 未评 1/3 means; each sentence from a line of its own
        x0, top = 0.635, 0.875
        fig.patches.append(Rectangle((x0, top - 0.011), 0.028, 0.011, transform=fig.transFigure, fill=False,
                                     hatch="/////", edgecolor=UNRATED_HATCH, lw=0.6))
        said = [text("maturity.sheet_unrated_key", lang)]
        if any(partial.get(str(r["unit_id"])) for r in shown):
            said.append(text("maturity.sheet_unrated_part", lang, of=len(INDICATORS)))
        lines = [t for s in said for t in _fitted_lines(fig, s, 6.0, 1 - MARGIN - x0 - 0.035, dpis)]
        fig.text(x0 + 0.035, top, "\n".join(lines), fontsize=6.0, va="top", linespacing=1.1)
    y = 1 - TOP_H
    w = (1 - 2 * MARGIN) / COLS
    cut: list[str] = []  # "[1] full id" of each title cut short on this page
    for kind, item in page:
        if kind in ("village", "continued"):
            line = _village_line(item, lang, alone) if kind == "village" else \
                text("maturity.village_continued", lang, village=_village_name(item["village"], lang, alone))
            # two lines fill the heading's height: the rest cut with "…"; within the margins as printed
            lines = _fitted_lines(fig, line, 7.5, 1 - 2 * MARGIN, dpis, most=2, joiner="" if lang == "zh" else " ")
            fig.text(MARGIN, y - 0.006, "\n".join(lines), fontsize=7.5, va="top", linespacing=1.05)
            y -= VILLAGE_H
            continue
        for j, r in enumerate(item):
            x0 = MARGIN + j * w
            ax = fig.add_axes((x0 + 0.01, y - CELL_H + 0.03, w - 0.02, CELL_H - 0.03 - TITLE_H))
            _draw_hexagon(ax, _values(r.to_dict()), lang, partial.get(str(r["unit_id"])))
            uid = str(r["unit_id"])
            mark = text("maturity.sheet_cut_mark", lang, n=len(cut) + 1)
            full = uid + (f" {names[uid]}" if names.get(uid) else "")
            title, size, shortened = cell_title(fig, full, w - 0.015, mark)
            if shortened:
                cut.append(f"{mark} {full}")
            fig.text(x0 + w / 2, y - 0.003, title, ha="center", va="top", fontsize=size, linespacing=1.05)
            if not r["n_rated"]:
                summary = text("maturity.unrated", lang)
            elif int(r["n_rated"]) < len(CATEGORY_KEYS):  # no fullness but for all six: how many are rated
                summary = text("maturity.summary_part", lang, mean=_num(r["mean"]) or "–", n=int(r["n_rated"]))
            else:
                summary = text("maturity.summary", lang, mean=_num(r["mean"]) or "–",
                               fullness=_pct(r["fullness"]) or "–")
            fig.text(x0 + w / 2, y - CELL_H + 0.022, summary, ha="center", va="top", fontsize=6)
        y -= CELL_H
    stamp = fig.text(1 - MARGIN, 0.012, text("maturity.stamp", lang), ha="right", fontsize=6, color="#888888")
    if cut:
        room = stamp.get_window_extent(_renderer(fig)).x0 / fig.bbox.width - MARGIN - 0.02
        note = text("maturity.sheet_cut_note", lang, ids=text("list.sep", lang).join(cut))
        fig.text(MARGIN, MARGIN - 0.004, "\n".join(_fitted_lines(fig, note, 5.5, room, dpis)), fontsize=5.5, va="top",
                 linespacing=1.05)
    return fig


def _renderer(fig: Any) -> Any:
    from yuanluo.maps.static import _renderer as renderer

    return renderer(fig)


def cell_title(fig: Any, s: str, width: float, mark: str) -> tuple[str, float, bool]:
    """A unit's title, its font size and whether it was cut short, keeping it within its cell, ``width`` (figure
    fraction) wide: the largest of :data:`CELL_TITLE_FONTS` that holds it on one line, else the smallest, wrapped
    over two lines; longer still, the second line is cut in its middle with "…" (its start and its end stay: ids of
    one village differ there) and ends in ``mark``, which numbers the full id in the note at the foot of the page.
    Never wider than ``width``, so the titles of cells side by side neither run into each other nor off the sheet."""
    from matplotlib.font_manager import FontProperties

    from yuanluo.maps.static import cut_fitting, wrap_to

    for size in CELL_TITLE_FONTS:
        if "\n" not in wrap_to(fig, s, size, width):
            return s, size, False
    size = CELL_TITLE_FONTS[-1]
    lines = wrap_to(fig, s, size, width).split("\n")
    if len(lines) <= 2:
        return "\n".join(lines), size, False
    renderer, prop, pixels = _renderer(fig), FontProperties(size=size), width * fig.bbox.width
    tail = f" {mark}"

    def fits(t: str) -> bool:
        return bool(renderer.get_text_width_height_descent(t + tail, prop, ismath=False)[0] <= pixels)

    rest = s[len(lines[0]):].strip() if s.startswith(lines[0]) else "".join(lines[1:])
    return f"{lines[0]}\n{cut_fitting(rest, fits, middle=True)}{tail}", size, True


def _page_paths(out: Path, n: int) -> list[Path]:
    if out.suffix.lower() == ".pdf":
        return [out]
    return [out] + [out.with_name(f"{out.stem}-{k}{out.suffix}") for k in range(2, n + 1)]


def print_sheet(table: pd.DataFrame, villages: pd.DataFrame, units: pd.DataFrame, out: str | Path, *,
                period: str | None = None, lang: Lang = "zh", dpi: int = 150, font: str | None = None,
                overwrite: bool = False, partial: Mapping[tuple[str, str], Mapping[str, int]] | None = None
                ) -> list[Path]:
    """Small-multiple hexagons per village on A4 portrait: PNG pages (``out``, ``out-2.png`` …) or one PDF.

    Each unit shows its hexagon (the vertices of :func:`yuanluo.gis.maturity.hexagon_vertices`, as in the HTML
    card), its six numbers at the axis ends, mean and fullness, or 未评; a key hexagon names the axes and the note
    says that fullness depends on their fixed order. A category not rated is hatched and marked 未评 at its axis
    (``未评 1/3`` where ``partial``, :func:`partly_scored`'s, says one of its three indicators was scored), the key
    saying so on each page that has one; a unit rated on fewer than six says how many under its hexagon. A unit's title stays within its cell (:func:`cell_title`):
    shrunk, wrapped over two lines, or, longer still, cut in its middle and given in full at the foot of the page.
    Same input, same bytes.

    Parameters
    ----------
    table, villages, units : DataFrame
        :func:`yuanluo.gis.maturity.maturity_table`, :func:`yuanluo.gis.maturity.village_summary`,
        :func:`read_units`.
    out : path
        ``.png`` or ``.pdf``.
    period : str, optional
        The period to draw (default the latest).
    font : str, optional
        Font family; by default :func:`yuanluo.maps.static.cjk_font` (``FONT-CJK-MISSING`` when none is installed).

    Returns
    -------
    list of Path
        The files written.
    """
    from matplotlib import rc_context
    from matplotlib.backends.backend_pdf import PdfPages

    out = Path(out)
    if out.suffix.lower() not in (".png", ".pdf"):
        raise OutputError(problem("MAP-PRINT-FORMAT", file=str(out), detail=out.suffix or str(out)))
    if font is None:
        from yuanluo.maps.static import cjk_font

        font = cjk_font()
    period, rows = _period_rows(table, period)
    vmap = dict(zip(units["unit_id"].astype(str), units["village"], strict=True))
    names = unit_names(units)
    vrows = villages[villages["period"].astype(str) == str(period)]
    pages = _layout(rows, vmap, vrows)
    targets = _page_paths(out, len(pages))
    existing = [str(p) for p in targets if p.exists()]
    if existing and not overwrite:
        raise OutputError(exists_problem(existing))
    # a $ in a village's name or a unit's id is drawn as given, not read as mathtext (as the other print maps)
    with rc_context({"font.family": "sans-serif", "font.sans-serif": [font, "DejaVu Sans"], "svg.hashsalt": "yl",
                     "text.parse_math": False}):
        # the text measured at the resolution it is drawn at: the PNG's dpi, or the PDF's font widths
        dpis = (PDF,) if out.suffix.lower() == ".pdf" else (dpi,)
        part = _of_period(partial, period)
        figs = [_page_figure(p, period=period, number=k + 1, pages=len(pages), lang=lang, names=names, dpis=dpis,
                             partial=part, alone=not any_village(vrows)) for k, p in enumerate(pages)]
        blobs: list[bytes] = []
        if out.suffix.lower() == ".pdf":
            buf = io.BytesIO()
            meta = {"Creator": "yuanluo", "Producer": None, "CreationDate": None, "ModDate": None}
            with PdfPages(buf, metadata=meta) as pdf:
                for fig in figs:
                    pdf.savefig(fig)
            blobs.append(buf.getvalue())
        else:
            for fig in figs:
                buf = io.BytesIO()
                fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
                blobs.append(buf.getvalue())
    with joined(overwrite):  # every page, or none
        return [write_bytes(p, b, overwrite=overwrite) for p, b in zip(targets, blobs, strict=True)]


# ------------------------------------------------------------------------------------------ loading
class MaturityLoad(NamedTuple):
    """What :func:`load_scores` read, computed and wrote."""

    written: list[Path]
    scores: pd.DataFrame     # tidy: unit, period, category, indicator, score (<NA> = 未评)
    table: pd.DataFrame      # one row per unit and period (maturity_table)
    villages: pd.DataFrame   # one row per village and period (village_summary)
    warnings: list[Problem] = []  # noqa: RUF012 - never mutated; MAT-PERIOD-FEW


def _units_layer(result: Path, table: pd.DataFrame) -> Any:
    import geopandas as gpd

    polys = gpd.read_file(gdal_path(result), layer="units")[["unit_id", "geometry"]]
    polys["unit_id"] = polys["unit_id"].astype(str)
    _, latest = _period_rows(table, None)
    return polys.merge(latest, on="unit_id", how="left")


def map_data(table: pd.DataFrame, villages: pd.DataFrame, *, lang: Lang = "zh", period: str | None = None,
             partial: Mapping[tuple[str, str], Mapping[str, int]] | None = None) -> dict[str, Any]:
    """What the field map (:func:`yuanluo.maps.interactive.make_map` ``maturity=``) needs of one period (default the
    latest): per unit the six maturities, the hexagon's vertices from :func:`yuanluo.gis.maturity.hexagon_vertices`
    (the print sheet draws the same points), mean, fullness, weakest and change, a shading colour by weakest and
    by mean (:func:`shade_colour`); the village lines; every text in ``lang``. Plain JSON-ready data: the map
    package does not import this one.

    A category not rated is drawn as such in the card's hexagon: its wedge of the full hexagon (``wedges``,
    :func:`unrated_wedge`, as the print sheet hatches it) hatched and ``未评`` at its axis, with the key
    ``lab.unratedKey``, never a point near the centre that reads as a low score. ``partial`` (:func:`partly_scored`)
    gives the cells of the categories scored in part (``part``: ``未评（评了 1/3 项）``, as the report says them) and,
    for a unit with nothing rated, the line under its 未评 (``unratedPart``).

    Examples
    --------
    >>> t = pd.DataFrame({"unit_id": ["U1", "U2"], "period": ["Q1", "Q1"], "period_no": [0, 0],
    ...                   **{k: [8.0, np.nan] for k in CATEGORY_KEYS}, "n_rated": [6, 0], "mean": [8.0, np.nan],
    ...                   "weakest": ["policy", None], "fullness": [0.64, np.nan]})
    >>> d = map_data(t, village_summary(t, {"U1": "甲村", "U2": "甲村"}))
    >>> d["units"]["U1"]["verts"][0], "U2" in d["units"], d["shade"]["weakest"]["U2"]
    ([0.0, 0.8], False, '#bdbdbd')
    >>> t.loc[0, "policy"] = np.nan
    >>> d = map_data(t, village_summary(t, {"U1": "甲村", "U2": "甲村"}), lang="en",
    ...              partial={("U1", "Q1"): {"policy": 2}, ("U2", "Q1"): {"economy": 1}})
    >>> d["units"]["U1"]["part"][:2], d["unratedPart"]
    (['not rated (2 of 3 scored)', None], {'U2': 'scored on some indicators only, so not rated: Courtyard economy 1 of 3'})
    """
    period, rows = _period_rows(table, period)
    units: dict[str, Any] = {}
    unrated_part: dict[str, str] = {}
    shown_partial = _of_period(partial, period)
    shade: dict[str, dict[str, str]] = {"weakest": {}, "mean": {}}
    unrated = text("maturity.unrated", lang)
    for r in rows.to_dict("records"):
        uid = str(r["unit_id"])
        shade["weakest"][uid] = shade_colour(r, "weakest")
        shade["mean"][uid] = shade_colour(r, "mean")
        part = shown_partial.get(uid) or {}
        if not r.get("n_rated"):
            if part:  # nothing rated, some categories scored in part: said under its 未评, as the report does
                unrated_part[uid] = _partial_line(part, lang)
            continue
        v = _values(r)
        weak = r.get("weakest")
        units[uid] = {
            "v": [None if np.isnan(x) else round(float(x), 2) for x in v],
            "part": [text("maturity.partial_cell", lang, n=part[k], of=len(INDICATORS))
                     if k in part and np.isnan(x) else None for k, x in zip(CATEGORY_KEYS, v, strict=True)],
            "verts": [[None if np.isnan(c) else round(float(c), 4) for c in xy] for xy in hexagon_vertices(v)],
            "mean": _num(r.get("mean")) or unrated, "fullness": _pct(r.get("fullness")) or (
                unrated if int(r["n_rated"]) >= len(CATEGORY_KEYS) else text("maturity.fullness_needs_all", lang)),
            "rated": text("maturity.rated_of", lang, n=int(r["n_rated"])),
            "weakest": weakest_names(weak, lang) or "",
            "change": _change_text(r, lang),
        }
    vrows = villages[villages["period"].astype(str) == str(period)] if len(villages) else villages
    order = text("list.sep", lang).join(category_label(k, lang) for k in CATEGORY_KEYS)
    return {
        "period": period, "units": units, "shade": shade, "unratedPart": unrated_part,
        "villages": [_village_line(s, lang, not any_village(vrows)) for s in vrows.to_dict("records")],
        "categories": [category_label(k, lang) for k in CATEGORY_KEYS],
        "short": [text(f"maturity.short.{k}", lang) for k in CATEGORY_KEYS],
        "colours": [CATEGORY_COLOURS[k] for k in CATEGORY_KEYS], "ramp": list(_MEAN_RAMP),
        "unratedColour": UNRATED_COLOUR,
        "axes": [[round(float(x), 4), round(float(y), 4)] for x, y in hexagon_vertices([SCORE_MAX] * 6)],
        "wedges": [[[round(float(x), 4), round(float(y), 4)] for x, y in unrated_wedge(k)]
                   for k in range(len(CATEGORY_KEYS))],
        "unratedHatch": UNRATED_HATCH, "unratedText": UNRATED_TEXT, "partialColour": PARTIAL_COLOUR,
        "lab": {"title": text("maturity.map.title", lang), "unrated": unrated,
                "mean": text("maturity.mean", lang), "fullness": text("maturity.fullness", lang),
                "weakest": text("maturity.weakest", lang), "period": text("maturity.period", lang),
                "axis": text("maturity.axis_note", lang, order=order),
                "byWeakest": text("maturity.map.by_weakest", lang), "byMean": text("maturity.map.by_mean", lang),
                "villages": text("maturity.map.villages" if any_village(vrows) else "maturity.all_units", lang),
                "layer": text("maturity.map.layer", lang),
                "radar": text("maturity.radar_label", lang, unit="{unit}", values="{values}"),
                "sep": text("list.sep", lang), "low": text("maturity.map.low", lang),
                "high": text("maturity.map.high", lang), "unratedKey": text("maturity.unrated_key", lang),
                "more": text("maturity.map.more", lang)},
    }


def _change_text(r: Mapping[str, Any], lang: Lang) -> str:
    change = _num(r.get("change_mean"))
    if change is None:
        return ""
    sign = "+" if float(r["change_mean"]) > 0 else ""
    return (f'{text("maturity.change", lang, period=r.get("prev_period"))} {text("maturity.mean", lang)} {sign}{change}'
            f'{_compared(r, lang)}')


def _compared(r: Mapping[str, Any], lang: Lang) -> str:
    """How many categories the change of the mean is over, where not all six (rated in both periods).

    >>> _compared({"n_compared": 5}, "en"), _compared({"n_compared": 6}, "en"), _compared({}, "en")
    (' (over the 5 categories rated in both periods)', '', '')
    """
    n = r.get("n_compared")
    if n is None or pd.isna(n) or int(n) >= len(CATEGORY_KEYS):
        return ""
    return text("maturity.change_over", lang, n=int(n))


def map_html(result: str | Path, table: pd.DataFrame, villages: pd.DataFrame, *, lang: Lang = "zh",
             period: str | None = None, dem: str | Path | None = None, include_personal: bool = False,
             partial: Mapping[tuple[str, str], Mapping[str, int]] | None = None) -> bytes:
    """The field map of a result with the maturity of ``table`` in every unit card, a shading layer and the
    village panel (offline HTML, :func:`yuanluo.maps.interactive.make_map`), over the hillshade of ``dem`` when
    given (:func:`yuanluo.planners.workflows.result_dem` finds the result's own). Household ids that are id-card
    or phone numbers are ID-PERSONAL-PAGE unless ``include_personal``. ``partial``: :func:`map_data`'s."""
    from yuanluo.gis.personal import require_page_ids
    from yuanluo.maps.interactive import make_map, render_html
    from yuanluo.planners.workflows import map_layers, read_result

    layers, terrain = read_result(result, dem=dem)
    require_page_ids(layers["households"].index, include_personal=include_personal, page="maturity_map",
                     file=f"{result}::households")
    shown = _period_rows(table, period)[0]  # the map's title names the period shown, as the report's does
    m = make_map(map_layers(layers), lang=lang, hillshade=terrain, include_personal=include_personal,
                 title=text("maturity.report_title", lang, period=shown),
                 maturity=map_data(table, villages, lang=lang, period=period, partial=partial))
    return render_html(m).encode("utf-8")


#: the layers :func:`load_scores` writes (with its run record, ``run``)
LOAD_LAYERS = ("unit_maturity", "units_maturity", "village_maturity", "scores")


def load_scores(
    result: str | Path,
    scores: str | Path | Sequence[str | Path],
    out: str | Path,
    *,
    lang: Lang = "zh",
    rule: Rule = "mean",
    min_indicators: int = 3,
    period: str | None = None,
    period_order: Sequence[str] | None = None,
    report: str | Path | None = None,
    png: str | Path | None = None,
    map: str | Path | None = None,  # noqa: A002 - the command's option name
    dem: str | Path | None = None,
    overwrite: bool = False,
    sheets: Sequence[str] | None = None,
    include_personal: bool = False,
) -> MaturityLoad:
    """Read filled score sheets for a result, compute the maturities and write ``maturity.gpkg`` (and more).

    Parameters
    ----------
    result : path
        The delineation result GeoPackage the template was written for.
    scores : path or sequence of paths
        Filled sheets (``.xlsx`` or CSV in UTF-8 / GBK); one or several periods, one or several files.
    out : path
        The GeoPackage to write, with the layers ``unit_maturity`` (every unit × period), ``units_maturity``
        (unit polygons with the latest period: shade by ``weakest`` or ``mean``), ``village_maturity``,
        ``scores`` (tidy) and ``run``; ``weakest`` holds category keys (``civility,economy``), ``weakest_name``
        the same in words in ``lang``; ``partly_scored`` the categories left blank (not rated) for want of some of
        their indicators, with how many were scored (``政策宣讲 2/3 项``; MAT-PARTIAL).
    lang : {"zh", "en"}
        Language of the report, the print sheet and the ``weakest_name`` column.
    rule, min_indicators
        How indicators combine into a category (:func:`yuanluo.gis.maturity.category_maturity`).
    period : str, optional
        Period of the rows whose period cell is blank.
    period_order : sequence of str, optional
        Periods oldest first (default: order of first appearance).
    report : path, optional
        Write the HTML report (:func:`report_html`) of the latest period there.
    png : path, optional
        Write the print sheet (:func:`print_sheet`) there (``.png`` or ``.pdf``).
    map : path, optional
        Write the field map (:func:`map_html`: hexagon in every unit card, shading, village panel) there.
    dem : path, optional
        The DEM the map's hillshade is drawn from; by default the one the result records, when found unchanged
        (MAP-RESULT-DEM-OWN in the warnings; MAP-RESULT-DEM, whose fix is ``--dem``, when it is not).
    overwrite : bool
        Replace existing outputs; otherwise any existing output is ``OUT-EXISTS`` before anything is written.
    sheets : sequence of str, optional
        Read only the worksheets of these names, hidden ones too (``MAT-SHEET-UNKNOWN`` for a name not there,
        and for a CSV, which has no worksheets); default every visible score sheet.
    include_personal : bool
        Write the ``map`` even when the household ids are id-card or phone numbers (ID-PERSONAL-PAGE otherwise).

    Raises
    ------
    InputError
        Every problem of the sheets at once (exit 2), naming cells and columns.

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> from yuanluo.gis.output import write_layers
    >>> from yuanluo.maps.sample import sample_layers
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = write_layers(d / "result.gpkg", {k: v for k, v in sample_layers(100, block=5).items() if k != "run"})
    >>> wb = openpyxl.load_workbook(write_template(d / "result.gpkg", d / "t.xlsx"))
    >>> ws = wb.worksheets[0]
    >>> ws["F2"], ws["I2"], ws["J2"], ws["K2"] = "2026Q1", 8, 7, 9     # U001: 政策宣讲 only
    >>> wb.save(d / "filled.xlsx")
    >>> res = load_scores(d / "result.gpkg", d / "filled.xlsx", d / "maturity.gpkg", report=d / "r.html")
    >>> [p.name for p in res.written], len(res.scores), int(res.scores["score"].notna().sum())
    (['maturity.gpkg', 'r.html'], 18, 3)
    >>> res.table[["unit_id", "policy", "n_rated", "mean", "fullness"]].head(2).to_string(index=False)
    'unit_id  policy  n_rated  mean  fullness\\n   U001     8.0        1   8.0      <NA>\\n   U002    <NA>        0  <NA>      <NA>'
    """
    result = Path(result)
    files = [Path(scores)] if isinstance(scores, str | Path) else [Path(s) for s in scores]
    units = read_units(result)
    tidy = read_scores(files, units, period=period, sheet_names=sheets, result=result)
    if not tidy["score"].notna().any():  # a template read back as written: nothing to compute
        raise InputError(problem("MAT-EMPTY", file=text("list.sep", lang).join(str(f) for f in files)))
    table = maturity_table(tidy, units["unit_id"], rule=rule, min_indicators=min_indicators,
                           period_order=period_order)
    labels = village_labels(units)  # 新华村 of 甲镇 and of 乙镇: two villages, 甲镇/新华村 and 乙镇/新华村
    villages = in_roster_order(village_summary(table, labels), units, labels)
    shown = units.assign(village=[labels[u] for u in units["unit_id"]])  # as the report and print sheet name them
    warnings = [*tidy.attrs.pop("warnings", []), *few_units_warnings(tidy, len(units))]
    outs = [Path(out), *layer_files(out, [*LOAD_LAYERS, "run"]), *(Path(p) for p in (report, png, map) if p is not None)]
    existing = [str(p) for p in dict.fromkeys(outs) if p.exists()]
    if existing and not overwrite:
        raise OutputError(exists_problem(existing))
    run = run_record(command="maturity load", inputs={"result": result, **{f"scores_{k + 1}": f
                                                                           for k, f in enumerate(files)}},
                     params={"rule": rule if isinstance(rule, str) else dict(rule), "min_indicators": min_indicators,
                             "period": period, "period_order": list(period_order or []),
                             **({"sheets": list(sheets)} if sheets else {})}, seed=None)
    partial = partly_scored(tidy, table)  # MAT-PARTIAL: said where the categories are shown (report, sheet, map)
    # and in the layers: a category scored in part is blank (not rated), the column beside it says how many were
    noted = table.assign(partly_scored=[_partial_items(partial.get((str(u), str(p))) or {}, lang) or None
                                        for u, p in zip(table["unit_id"], table["period"], strict=True)])
    made = {"unit_maturity": with_weakest_names(noted, lang),
            "units_maturity": with_weakest_names(_units_layer(result, noted), lang),
            "village_maturity": with_weakest_names(village_towns(villages, units, labels), lang), "scores": tidy}
    layers = {n: made[n] for n in LOAD_LAYERS}
    page_map = None
    if map is not None:  # over the hillshade of the DEM the result records, found unchanged, as `yuanluo map` draws it
        from yuanluo.planners.workflows import result_dem

        shade, said = result_dem(result, dem)
        warnings += said
        page_map = map_html(result, table, villages, lang=lang, period=period, dem=shade,
                            include_personal=include_personal, partial=partial)
    with joined(overwrite):  # the layers, the report, the print sheet and the map: all written, or none
        written = write_layers(out, layers, overwrite=overwrite, run=run, lang=lang)
        if report is not None:
            page = report_html(table, villages, shown, lang=lang, files=[result.name, *(f.name for f in files)],
                               date=data_date(result, *files), partial=partial)  # the day of its data: the same files, the same page
            written.append(write_bytes(report, page.encode("utf-8"), overwrite=overwrite))
        if png is not None:
            written += print_sheet(table, villages, shown, png, lang=lang, overwrite=overwrite, partial=partial)
        if map is not None and page_map is not None:
            written.append(write_bytes(map, page_map, overwrite=overwrite))
    return MaturityLoad(written, tidy, table, village_towns(villages, units, labels), warnings)


def village_labels(units: pd.DataFrame) -> dict[str, Any]:
    """Unit id → the name of its village as the village aggregates key and name it: the village alone, or, where
    the units have a ``town`` (:func:`read_units`), ``town/village`` for every village of a town, so that 新华村 of
    甲镇 and 新华村 of 乙镇 are two villages and every heading of the report, the print sheet and the map's village
    panel says its town (a village of a blank town: its name alone).

    >>> u = pd.DataFrame({"unit_id": ["U1", "U2", "U3", "U4"], "town": ["甲镇", "乙镇", "乙镇", None],
    ...                   "village": ["新华村", "新华村", "胜利村", "红星村"]})
    >>> village_labels(u)
    {'U1': '甲镇/新华村', 'U2': '乙镇/新华村', 'U3': '乙镇/胜利村', 'U4': '红星村'}
    >>> village_labels(u.drop(columns="town"))
    {'U1': '新华村', 'U2': '新华村', 'U3': '胜利村', 'U4': '红星村'}
    """
    ids = units["unit_id"].astype(str).tolist()
    villages = units["village"].tolist() if "village" in units.columns else [None] * len(ids)
    if "town" not in units.columns:
        return dict(zip(ids, villages, strict=True))
    towns = [None if t is None or pd.isna(t) else str(t) for t in units["town"]]
    named = [v is not None and not pd.isna(v) and str(v) != "" for v in villages]
    return {u: f"{t}/{v}" if ok and t else v for u, t, v, ok in zip(ids, towns, villages, named, strict=True)}


def in_roster_order(villages: pd.DataFrame, units: pd.DataFrame, labels: Mapping[str, Any]) -> pd.DataFrame:
    """The village aggregates (:func:`~yuanluo.gis.maturity.village_summary`, by period and then by name) by period,
    then in the order of the planner's roster, as every output lists villages (:func:`yuanluo.gis.keys.roster_order`:
    the towns as the result's households first name them, one town's villages together as they first name them;
    :func:`read_units` keeps it in its ``attrs``): by name, 乙镇/新华村, 光明村, 甲镇/新华村 … interleaved the towns,
    and by code point 乙镇 (U+4E59) came before 甲镇 (U+7532). Without the households' order (units not read by
    :func:`read_units`), in the order of the units layer: town, then village, by the first unit of each.

    >>> u = pd.DataFrame({"unit_id": ["U1", "U2", "U3"], "town": ["甲镇", "甲镇", "乙镇"],
    ...                   "village": ["新华村", "光明村", "新华村"]})
    >>> v = pd.DataFrame({"village": ["乙镇/新华村", "甲镇/光明村", "甲镇/新华村"], "period_no": [0, 0, 0]})
    >>> in_roster_order(v, u, village_labels(u))["village"].tolist()
    ['甲镇/新华村', '甲镇/光明村', '乙镇/新华村']
    >>> u.attrs[ROSTER] = {("乙镇", "新华村"): 0, ("甲镇", "光明村"): 1, ("甲镇", "新华村"): 2}
    >>> in_roster_order(v, u, village_labels(u))["village"].tolist()
    ['乙镇/新华村', '甲镇/光明村', '甲镇/新华村']
    """
    if not len(villages):
        return villages
    roster = units.attrs.get(ROSTER) or {}
    towns = units["town"] if "town" in units.columns else pd.Series([None] * len(units), index=units.index)
    places = units["village"] if "village" in units.columns else pd.Series([None] * len(units), index=units.index)
    town_at: dict[str, int] = {}
    label_at: dict[str, tuple[int, int, int]] = {}
    for k, (u, t, v) in enumerate(zip(units["unit_id"].astype(str), towns, places, strict=True)):
        town_at.setdefault(_name(t), k)
        label = labels.get(u)
        rank = roster.get((_name(t), _name(v)))
        at = (0, rank, 0) if rank is not None else (1, town_at[_name(t)], k)  # the roster's, else the units'
        key = "" if label is None or pd.isna(label) else str(label)
        label_at[key] = min(label_at.get(key, at), at)
    last = (2, len(units), len(units))
    keys = [label_at.get("" if pd.isna(x) else str(x), last) for x in villages["village"]]
    order = sorted(range(len(villages)), key=lambda i: (int(villages["period_no"].iloc[i]), keys[i]))
    return villages.iloc[order].reset_index(drop=True)


def village_towns(villages: pd.DataFrame, units: pd.DataFrame, labels: Mapping[str, Any]) -> pd.DataFrame:
    """The village aggregates (:func:`~yuanluo.gis.maturity.village_summary` over :func:`village_labels`) as a
    table: where the units have a ``town``, a ``town`` column before ``village`` and the village by its own name;
    as they are otherwise.

    >>> u = pd.DataFrame({"unit_id": ["U1", "U2"], "town": ["甲镇", "乙镇"], "village": ["新华村", "新华村"]})
    >>> v = pd.DataFrame({"village": ["乙镇/新华村", "甲镇/新华村"], "n_units": [1, 1]})
    >>> village_towns(v, u, village_labels(u)).values.tolist()
    [['乙镇', '新华村', 1], ['甲镇', '新华村', 1]]
    """
    if "town" not in units.columns or "village" not in villages.columns:
        return villages
    of: dict[str, tuple[Any, Any]] = {}
    for u, t, v in zip(units["unit_id"].astype(str), units["town"], units["village"], strict=True):
        of.setdefault("" if labels.get(u) is None or pd.isna(labels.get(u)) else str(labels.get(u)), (t, v))
    keys = ["" if pd.isna(x) else str(x) for x in villages["village"]]
    out = villages.copy()
    out["village"] = pd.array([of.get(k, (None, k))[1] if k else x for k, x in zip(keys, villages["village"],
                                                                               strict=True)], dtype="string")
    town = [of.get(k, (None, None))[0] for k in keys]
    out.insert(list(out.columns).index("village"), "town",
               pd.array([None if t is None or pd.isna(t) else str(t) for t in town], dtype="string"))
    return out


#: a period with a row for fewer than this share of the units is worth a word (``MAT-PERIOD-FEW``)
FEW_UNITS_SHARE = 0.25


def few_units_warnings(scores: pd.DataFrame, n_units: int) -> list[Problem]:
    """``MAT-PERIOD-FEW`` for each period (oldest first) with a row for fewer than :data:`FEW_UNITS_SHARE` of
    the ``n_units`` units: usually a period written another way in a few rows.

    >>> sc = pd.DataFrame({"unit_id": ["U1", "U2", "U3", "U4", "U5", "U1"], "period": ["Q1"] * 5 + ["q1"]})
    >>> [(w.code, w.params["period"], w.params["n"]) for w in few_units_warnings(sc, 5)]
    [('MAT-PERIOD-FEW', 'q1', 1)]
    """
    if not len(scores) or n_units <= 0:
        return []
    rows = scores.drop_duplicates(["unit_id", "period"])
    per = rows.groupby(rows["period"].astype(str), sort=False).size()
    return [problem("MAT-PERIOD-FEW", severity="warning", period=p, n=int(per[p]), total=n_units)
            for p in period_order(per.index) if per[p] < FEW_UNITS_SHARE * n_units]


def read_maturity(path: str | Path, *, period: str | None = None) -> dict[str, dict[str, Any]]:
    """The ``unit_maturity`` rows of one period (default the latest) of a ``maturity.gpkg``, by unit id.

    For the unit cards of a map: ``unit_card_html(uid, rows.get(uid), lang=lang)``.
    """
    import pyogrio

    table = pd.DataFrame(pyogrio.read_dataframe(gdal_path(path), layer="unit_maturity", read_geometry=False))
    _, rows = _period_rows(table, period)
    return {str(r["unit_id"]): r.to_dict() for _, r in rows.iterrows()}
