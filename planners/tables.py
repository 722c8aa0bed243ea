"""Tables a person reads: the plan for Excel (``delineate --xlsx``), the check's findings and repair's plan and
moves as CSV or workbook.

Headers and words come from the catalogue (``gis/messages/fields.toml``): Chinese by default, English with
``--lang en``. The GeoPackage keeps the canonical column names; these tables are for reading, printing and
handing round. Every text cell of a CSV that a spreadsheet would run as a formula starts with ``'``
(:func:`yuanluo.gis.output.neutralise_formulas`); an xlsx holds every text as a text cell, as it is (a text cell
is never computed), so ids stay as they are there. Whole numbers are written without ``.0``. The same plan gives
the same bytes (fixed time stamps, ``SOURCE_DATE_EPOCH`` when set).
"""

from __future__ import annotations

import datetime as _dt
import io
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from yuanluo.gis.catalogue import Lang, default_lang, text
from yuanluo.gis.layerstyle import header_names
from yuanluo.gis.output import (
    EXCEL_CELL_CHARS,
    cut_at_item,
    joined,
    list_texts,
    measures_rounded,
    neutralise_formulas,
    require_writer_free,
    whole_numbers,
    write_bytes,
)
from yuanluo.gis.personal import listed_fields

#: unit columns of the units sheet, in order (the ones present)
UNIT_COLUMNS = ("unit_id", "n_households", "persons", "meeting_hid", "mean_walk_min", "max_walk_min", "n_heads",
                "head_hid", "head_candidates", "status", "reason", "town", "village", "group")


#: the columns of both sheets copied from the layers, which may hold what the user typed (checked for personal data);
#: ``town`` is the households' town column (乡镇, 街道 …: :func:`town_frame`), present only where they had one
COPIED_COLUMNS = ("town", "village", "group", "settlement")


def plan_frames(layers: dict[str, Any], lang: Lang = "zh", fields: Sequence[str] = (), *,
                include_personal: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The household sheet and the unit sheet of a delineation's layers, canonical column names, values in
    words (status, yes/no) in ``lang``. Town (where the households have a town column, :func:`town_frame`), village,
    group and settlement come as the maps' allow-list has them
    (:func:`yuanluo.gis.personal.listed_fields`): one recognised as personal by its name or content (a settlement
    column of mobile numbers) is left out unless ``fields`` names it with ``include_personal``. The other household
    columns ``fields`` names follow the household id, by the same rule (户主姓名 only with ``include_personal``).
    The household ids stay: they are the plan's key (ID-PERSONAL warns when they are id-card or mobile numbers)."""
    hh, fields = town_frame(pd.DataFrame(layers["households"]).drop(columns="geometry", errors="ignore"), fields)
    units = pd.DataFrame(layers["units"]).drop(columns="geometry", errors="ignore")
    units["unit_id"] = units["unit_id"].astype(str)
    by_unit = units.set_index("unit_id")
    table = pd.DataFrame({"hid": hh["hid"].astype(str).to_numpy(), "unit_id": hh["unit_id"].astype(str).to_numpy()})
    table["n_households"] = table["unit_id"].map(by_unit["n_households"]).astype("Int64")
    table["meeting_point"] = table["unit_id"].map(by_unit["meeting_hid"])
    if "meeting_walk_min" in hh.columns:
        table["meeting_walk_min"] = pd.to_numeric(hh["meeting_walk_min"], errors="coerce").round(1).to_numpy()
    table["status"] = words(table["unit_id"].map(by_unit["status"]), "status", lang)
    table["reason"] = table["unit_id"].map(by_unit["reason"]).fillna("")
    shown = listed_fields(hh, COPIED_COLUMNS, fields, include_personal=include_personal)[0]
    for col in shown:
        table[col] = hh[col].to_numpy()
    # the other household columns named by --fields (户主姓名 for a planner going door to door), beside the id: by
    # the same allow-list, so a personal one only with include_personal
    asked = [f for f in dict.fromkeys(str(f) for f in fields) if f in hh.columns and f not in table.columns]
    for j, col in enumerate(listed_fields(hh, asked, fields, include_personal=include_personal)[0], start=1):
        table.insert(j, col, hh[col].to_numpy())
    split = split_flags(hh)
    unit_split: dict[str, str] = {}
    if split.any():  # the settlements the delineation declared split: said on their rows and their units' rows
        named = "settlement" in shown  # a settlement column left out as personal is not named in a reason either
        said, unit_split = split_reasons(table["unit_id"], hh["settlement"].to_numpy() if named else None, split,
                                         lang)
        table["reason"] = [join_reasons(a, b, lang) for a, b in zip(table["reason"], said, strict=True)]
        table["settlement_split"] = np.where(split, text("report.yes", lang), "")
    table = table.sort_values(["unit_id", "hid"], kind="stable").reset_index(drop=True)
    left = listed_fields(units, COPIED_COLUMNS, fields, include_personal=include_personal)[1]
    ucols = [c for c in UNIT_COLUMNS if c in units.columns and c not in left]
    utab = units[ucols].sort_values("unit_id", kind="stable").reset_index(drop=True)
    if "head_candidates" in utab.columns:  # every candidate, as the units layer lists them (the suggested head first)
        utab["head_candidates"] = list_texts(utab["head_candidates"], lang)
    # a column with nothing in it (no persons, head, village or group in the household file) is left out, as
    # the household sheet leaves them out; and a count of candidate heads only where the households had a
    # candidate column: without it the rule was not applied, and "0" would read as a finding
    empty = [c for c in ("persons", "head_hid", "head_candidates", "town", "village", "group") if c in utab.columns
             and (utab[c].isna() | (utab[c].astype(str).str.strip() == "")).all()]
    if "head_candidate" not in hh.columns:
        empty.append("n_heads")
    utab = utab.drop(columns=[c for c in empty if c in utab.columns])
    if unit_split:
        if "reason" not in utab.columns:
            utab["reason"] = ""
        utab["reason"] = [join_reasons(r if isinstance(r, str) else "", unit_split.get(str(u), ""), lang)
                          for u, r in zip(utab["unit_id"], utab["reason"], strict=True)]
    utab["status"] = words(utab["status"], "status", lang)
    for col in ("mean_walk_min", "max_walk_min"):
        if col in utab.columns:
            utab[col] = pd.to_numeric(utab[col], errors="coerce").round(1)
    return table, utab


def town_frame(households: pd.DataFrame, fields: Sequence[str] = ()) -> tuple[pd.DataFrame, list[str]]:
    """The households with their town column (乡镇, 街道 …: :func:`yuanluo.gis.columns.town_columns`, the first, which
    keeps its own name in the households layer) named ``town``, as the units layer names it, and ``fields`` with
    that column's own name read as ``town``; unchanged without a town column.

    >>> hh, f = town_frame(pd.DataFrame({"hid": ["1"], "街道": ["鱼洞街道"], "village": ["新华村"]}), ["街道"])
    >>> list(hh.columns), f
    (['hid', 'town', 'village'], ['town'])
    >>> list(town_frame(pd.DataFrame({"hid": ["1"], "village": ["新华村"]}))[0].columns)
    ['hid', 'village']
    """
    from yuanluo.gis.columns import town_columns

    found = town_columns(households.columns)[:1]
    if not found or found[0] == "town":
        return households, list(fields)
    col = found[0]
    out = households.drop(columns="town", errors="ignore").rename(columns={col: "town"})
    return out, ["town" if str(f) == col else str(f) for f in fields]


def split_flags(households: pd.DataFrame) -> np.ndarray:
    """Whether each household's settlement is one the delineation declared split (its ``settlement_split``:
    true, 1, yes or 是); all false without that column.

    >>> split_flags(pd.DataFrame({"settlement_split": [True, False, None]})).tolist()
    [True, False, False]
    >>> split_flags(pd.DataFrame({"settlement_split": ["1", "0", "是"]})).tolist(), split_flags(pd.DataFrame({"a": [1]}))
    ([True, False, True], array([False]))
    """
    if "settlement_split" not in households.columns:
        return np.zeros(len(households), dtype=bool)
    s = households["settlement_split"]
    if pd.api.types.is_bool_dtype(s.dtype):
        return s.fillna(False).to_numpy(dtype=bool)
    txt = s.astype("string").str.strip().str.lower()
    return txt.isin(["1", "1.0", "true", "t", "yes", "y", "是"]).fillna(False).to_numpy(dtype=bool)


def split_reasons(units: pd.Series, settlements: Any, split: np.ndarray, lang: Lang = "zh"
                  ) -> tuple[list[str], dict[str, str]]:
    """What a plan table says of the settlements a delineation declared split: per household (in the order of
    ``units``, each household's unit id), its settlement and the units it is split across (``""`` for a household
    of no such settlement); per unit holding any, the settlements split in it. ``settlements``: each household's
    settlement (None: not to be named, as when the column is left out as personal).

    >>> hh, un = split_reasons(pd.Series(["U1", "U2", "U2"]), ["S1", "S1", "S2"], np.array([True, True, False]))
    >>> hh[0][:22], hh[2], un["U2"][:13]
    ('所在自然院落 S1 被分到院落 U1、U2：', '', '含被拆分的自然院落 S1：')
    >>> split_reasons(pd.Series(["U1"]), None, np.array([True]), "en")[1]["U1"][:60]
    'holds 1 household of a settlement split across units: the de'
    """
    sep = text("list.sep", lang)
    uid = units.astype(str).to_numpy()
    per_hh = [""] * len(uid)
    per_unit: dict[str, str] = {}
    if settlements is None:
        for i in np.flatnonzero(split):
            per_hh[i] = text("plan.reason.split_unnamed", lang)
        counts = pd.Series(uid[split]).value_counts()
        per_unit = {str(u): text("plan.reason.unit_split_unnamed", lang, count=int(n)) for u, n in counts.items()}
        return per_hh, per_unit
    name = pd.Series(settlements, dtype=object).astype(str).to_numpy()
    split_units = {k: sorted(set(uid[split & (name == k)])) for k in dict.fromkeys(name[split])}
    for i in np.flatnonzero(split):
        per_hh[i] = text("plan.reason.split", lang, settlement=name[i], units=sep.join(split_units[name[i]]))
    in_unit: dict[str, list[str]] = {}
    for k, us in split_units.items():
        for u in us:
            in_unit.setdefault(u, []).append(k)
    per_unit = {u: text("plan.reason.unit_split", lang, settlements=sep.join(ks)) for u, ks in in_unit.items()}
    return per_hh, per_unit


def join_reasons(first: str, second: str, lang: Lang = "zh") -> str:
    """Two reasons of one row as one text (either may be blank).

    >>> join_reasons("甲", "乙"), join_reasons("", "b", "en"), join_reasons("a", "", "en")
    ('甲；乙', 'b', 'a')
    """
    return text("plan.reason.sep", lang).join(x for x in (first, second) if x)


def words(values: pd.Series, kind: str, lang: Lang = "zh") -> pd.Series:
    """Coded values (``ok``, ``exception``, ``error`` …) in words (``value.<kind>.<code>``); others unchanged.

    Examples
    --------
    >>> words(pd.Series(["ok", "exception", "other"]), "status").tolist()
    ['符合规定', '例外', 'other']
    """
    from yuanluo.gis.catalogue import has

    return values.map(lambda v: text(f"value.{kind}.{v}", lang) if isinstance(v, str) and has(f"value.{kind}.{v}")
                      else v)


def _stamp() -> _dt.datetime:
    sde = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return _dt.datetime.fromtimestamp(int(sde) if sde else 0, tz=_dt.UTC)


#: the widest column of a sheet, in Excel's units (about one Latin character; a Chinese character is two)
MAX_WIDTH = 50


def _width(value: Any) -> int:
    """The width a cell's text needs in Excel's units: two for a wide (Chinese) character, one for others.

    >>> _width("院落"), _width("U001"), _width(None)
    (4, 4, 0)
    """
    from yuanluo.planners.maturity import display_width  # (not loaded for a command writing no workbook)

    return 0 if value is None else display_width(str(value))


def _cell(v: Any) -> Any:
    return None if (not isinstance(v, str) and pd.isna(v)) else (v.item() if hasattr(v, "item") else v)


#: what separates the items of a list written into one cell: the check's ``;`` (a list inside a list with ``|``,
#: :func:`_flat`) and the language's own (``、``, ``, ``)
_ITEM_SEPS = (";", "|")


def fit_cell(value: str, lang: Lang = "zh") -> str:
    """A text as one Excel cell keeps it: one longer than :data:`~yuanluo.gis.output.EXCEL_CELL_CHARS` (Excel cuts
    it there without a word, often in the middle of an id) is cut after its last whole item that fits and ends
    in ``…`` and how many items there are in all (``problem.more``), by the layers' CSV's own rule
    (:func:`yuanluo.gis.output.cut_at_item`); a text with no list in it ends in ``…``. A shorter text is unchanged.

    >>> cell = fit_cell("|".join(f"H{i:05d}" for i in range(6000)))
    >>> len(cell) <= EXCEL_CELL_CHARS, cell[-18:]
    (True, 'H04678… 等，共 6000 个')
    >>> fit_cell("H1;H2", "en")
    'H1;H2'
    """
    if len(value) <= EXCEL_CELL_CHARS:
        return value
    seps = (*_ITEM_SEPS, text("list.sep", lang))
    count = len(re.split("|".join(re.escape(x) for x in seps), value))
    more = "…" + (text("problem.more", lang, count=count) if count > 1 else "")
    return cut_at_item(value, seps if count > 1 else (), more)


def _has_number(frame: pd.DataFrame) -> bool:
    """Whether the first row of ``frame`` holds a cell written as a number (or a truth value), not text or empty:
    the cell by which GDAL (QGIS) tells the header row above it from the rows (:func:`tables_xlsx`).

    >>> _has_number(pd.DataFrame({"a": ["x"], "b": [None]})), _has_number(pd.DataFrame({"a": ["x"], "b": [3]}))
    (False, True)
    >>> _has_number(pd.DataFrame({"a": [float("nan"), 1.5]})), _has_number(pd.DataFrame({"a": []}))
    (False, False)
    """
    if frame.empty:
        return False
    return any(c is not None and not isinstance(c, str) for c in map(_cell, frame.iloc[0]))


def _none_row(frame: pd.DataFrame, lang: Lang = "zh") -> pd.DataFrame:
    """The one row of a table without rows (numbered, :func:`numbered`): its first cell blank, the next saying the
    table has none (（无：本表没有记录）), the others blank. :func:`tables_xlsx` writes the blank first cell as a
    number cell without a value (a number format set on it; Excel shows it empty), the cell that is not text by
    which GDAL (QGIS, ``OGR_XLSX_HEADERS=AUTO``) tells the header row above it: a sheet of its header alone
    opened in QGIS as ``Field1``, ``Field2`` … with the header as a feature. QGIS shows the row as one feature
    saying the table is empty.

    >>> _none_row(pd.DataFrame(columns=["No.", "Household ID", "Reason"]), "en").values.tolist()
    [[None, '(none: this table has no rows)', None]]
    """
    cells = [None, text("plan.empty_table", lang), *[None] * len(frame.columns)][:len(frame.columns)]
    return pd.DataFrame([cells], columns=frame.columns, dtype=object)


#: Columns of ids (households', units'): their cells are formatted as text ('@'), so that an id retyped in Excel
#: keeps its leading zeros (000005 stays 000005, not 5); their headers in every language (:func:`_sheet`)
ID_COLUMNS = ("hid", "unit_id", "meeting_point", "meeting_hid", "head_hid", "head_candidates", "from_unit", "to_unit")


def _id_headers() -> set[str]:
    """The headers of :data:`ID_COLUMNS` in every language."""
    from yuanluo.gis.catalogue import LANGS

    return {h for lang in LANGS for h in header_names(ID_COLUMNS, lang)}


def _sheet(wb: Any, title: str, frame: pd.DataFrame, *, first: bool, lang: Lang = "zh", keep: int = 1) -> None:
    """One sheet: the header row (bold, shaded, frozen, with a filter), then the rows; the first ``keep`` columns
    frozen too (the id; 序号 and the id of a numbered table). A text cell stays text
    as it is, even one starting with ``=``, ``+``, ``-`` or ``@`` (a string cell is never computed, so no ``'``
    is put before it); each column as wide as its widest cell, at most :data:`MAX_WIDTH`, its longer texts
    wrapped; a text longer than Excel keeps cut at a whole item with a count (:func:`fit_cell`); printed
    landscape, one page wide, the header on every page (:func:`print_setup`). Nothing beside or below the
    table: GDAL (QGIS) takes the first row for the field names only when it is all text, with no empty cell. The
    cells of an id column (:data:`ID_COLUMNS`) are formatted as text ('@'): an id typed over keeps its zeros."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    headers = [str(c) for c in frame.columns]
    ws.append(headers)
    widths = [_width(h) for h in headers]
    wrap = Alignment(wrap_text=True, vertical="top")
    ids = _id_headers()
    id_cols = [j for j, h in enumerate(headers, start=1) if h in ids]
    for r, row in enumerate(frame.itertuples(index=False), start=2):  # not ws.max_row: it scans every row
        row = tuple(fit_cell(v, lang) if isinstance(v, str) else v for v in row)
        cells = [_cell(v) for v in row]
        ws.append(cells)
        for j, (v, c) in enumerate(zip(row, cells, strict=True)):
            if isinstance(v, str):
                cell = ws.cell(row=r, column=j + 1)
                cell.data_type = "s"  # text, never a formula
                w = _width(v)
                widths[j] = max(widths[j], w)
                if w > MAX_WIDTH:
                    cell.alignment = wrap
            elif c is not None:
                widths[j] = max(widths[j], len(f"{v:g}") if isinstance(v, float) else _width(v))
        for j in id_cols:
            ws.cell(row=r, column=j).number_format = "@"  # text: an id retyped keeps its leading zeros
    fill = PatternFill("solid", fgColor="DDEBF7")
    for j, _h in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=j)
        cell.data_type = "s"
        cell.font, cell.fill = Font(bold=True), fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(j)].width = max(8, min(MAX_WIDTH, widths[j - 1] + 2))
    # never every column frozen: the last one scrolls (a two-column note sheet, 序号 and 说明, on a narrow window)
    ws.freeze_panes = f"{get_column_letter(min(keep, max(len(headers) - 1, 0)) + 1)}2"
    ws.auto_filter.ref = ws.dimensions
    print_setup(ws)


#: Excel's number of the A4 paper (the paper Chinese offices print on)
PAPER_A4 = 9


def print_setup(ws: Any, *, title_rows: str = "1:1") -> None:
    """Set a sheet up for printing: landscape A4, scaled to one page wide (as many pages tall as it takes), the
    rows ``title_rows`` (the header row) repeated at the top of every page. Without it Excel printed a wide plan
    portrait across many pages, its header on the first page only.

    >>> import openpyxl
    >>> ws = openpyxl.Workbook().active
    >>> print_setup(ws)
    >>> ws.page_setup.orientation, ws.page_setup.fitToWidth, ws.page_setup.fitToHeight, ws.print_title_rows
    ('landscape', 1, 0, '$1:$1')
    >>> ws.sheet_properties.pageSetUpPr.fitToPage, ws.page_setup.paperSize
    (True, 9)
    """
    from openpyxl.worksheet.properties import PageSetupProperties

    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    else:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = PAPER_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = title_rows


def plan_xlsx(layers: dict[str, Any], lang: Lang = "zh", fields: Sequence[str] = (), *,
              include_personal: bool = False, rules: Any = None) -> bytes:
    """The plan for Excel as deterministic xlsx bytes: one row per household (户编号, 院落编号, 院落户数, 议事点,
    步行分钟 when the households carry it, 状态, 原因, village, group and settlement when present and not personal,
    :func:`plan_frames`), then one row per unit, then the rules it was made under (:func:`rules_table`; from
    ``rules``, a :class:`~yuanluo.gis.rules.Rules` or its ``to_dict()``, else from a ``run`` table among the
    layers, as a result file records them; no sheet without either).

    The statuses and reasons are the delineation's, with the settlements it declared split (``settlement_split``)
    said on their households' and units' rows. When it declared any exception a sheet 说明 after the units sheet
    says that only the result file declares them: ``check`` of that file takes them, ``check --plan`` of this
    table judges every unit afresh (:data:`NOTE_KEY`).

    Every sheet opens in QGIS with its headers as field names: GDAL's XLSX driver takes the first row for them
    only when it is all text and the second is not (its ``OGR_XLSX_HEADERS=AUTO``), so the note is a sheet of
    its own, not cells beside the units table, and the note and rules sheets, all text, number their rows
    (序号, :func:`numbered`, as :func:`tables_xlsx` numbers every table of texts alone).

    Examples
    --------
    >>> import openpyxl
    >>> from yuanluo.maps.sample import sample_layers
    >>> lyr = sample_layers(40, block=5)
    >>> lyr["households"] = lyr["households"].reset_index()
    >>> wb = openpyxl.load_workbook(io.BytesIO(plan_xlsx(lyr)))
    >>> wb.sheetnames, [c.value for c in wb.worksheets[0][1]][:4]
    (['院落方案', '院落汇总', '说明'], ['户编号', '院落编号', '院落户数', '议事点'])
    """
    table, units = plan_frames(layers, lang, fields, include_personal=include_personal)
    declared = "settlement_split" in table.columns or bool(declared_units(pd.DataFrame(layers["units"])).any())
    table.columns = header_names(table.columns, lang, "plan")
    units.columns = header_names(units.columns, lang, "units")
    sheets = {text("plan.sheet", lang): table, text("plan.units_sheet", lang): units}
    if declared:
        note = pd.DataFrame({text("plan.notes_col", lang): text(NOTE_KEY, lang).split("\n")})
        sheets[text("plan.notes_sheet", lang)] = note  # all text: numbered by tables_xlsx
    said = rules_table(rules if rules is not None else run_rules(layers.get("run")), lang,
                       columns=getattr(layers.get("households"), "columns", None))
    if said is not None:
        sheets[text("plan.rules_sheet", lang)] = said  # likewise
    return tables_xlsx(sheets, lang)


def numbered(frame: pd.DataFrame, lang: Lang = "zh") -> pd.DataFrame:
    """A table with its rows numbered from 1 in a first column 序号 / No.: a table of texts alone (the rules,
    the note) then has a number on its first row, so that GDAL (QGIS) takes its header row for its field names.

    >>> numbered(pd.DataFrame({"项目": ["规模", "步行上限"]})).values.tolist()
    [[1, '规模'], [2, '步行上限']]
    >>> list(numbered(pd.DataFrame({"Item": ["Size band"]}), "en").columns)
    ['No.', 'Item']
    """
    out = frame.reset_index(drop=True)
    out.insert(0, text("print.col_no", lang), range(1, len(out) + 1))
    return out


#: the note of a plan with declared exceptions (a sheet of its own after the units sheet, one line a row)
NOTE_KEY = "plan.note.declared"


def declared_units(units: pd.DataFrame) -> pd.Series:
    """Which units a result declares exceptions: ``status`` exception, or locked with a reason (the rules a
    locked unit breaks; one within its rules is no exception), as :class:`yuanluo.gis.check.Declared` reads them.

    >>> declared_units(pd.DataFrame({"status": ["ok", "exception", "locked", "locked"],
    ...                              "reason": ["", "far", "", "LOCK-BREACH: big"]})).tolist()
    [False, True, False, True]
    """
    status = units["status"].astype("string").fillna("").str.strip()
    reason = (units["reason"].astype("string").fillna("").str.strip() if "reason" in units.columns
              else pd.Series("", index=units.index, dtype="string"))
    return ((status == "exception") | ((status == "locked") & (reason != ""))).astype(bool)

#: the rules a plan workbook states, in order (``Rules.to_dict()`` keys)
RULE_ITEMS = ("name", "label", "band", "nest_by", "keep_settlements", "require_head", "max_walk_min",
              "join_limit_min")


def run_rules(run: Any) -> dict[str, Any] | None:
    """The rules a result's ``run`` table records (``params.rules.<key>``, values as JSON text), as
    ``Rules.to_dict()`` has them; None without a run table or rules in it.

    >>> run_rules(pd.DataFrame({"key": ["params.rules.min_size", "params.rules.nest_by", "params.rules.label"],
    ...                         "value": ["50", '["village"]', "江津"]}))
    {'min_size': 50, 'nest_by': ['village'], 'label': '江津'}
    >>> run_rules(None), run_rules(pd.DataFrame({"key": ["seed"], "value": ["0"]}))
    (None, None)
    """
    import json

    if not isinstance(run, pd.DataFrame) or not {"key", "value"} <= set(run.columns):
        return None
    out: dict[str, Any] = {}
    for k, v in zip(run["key"].astype(str), run["value"], strict=True):
        if k.startswith("params.rules."):
            try:
                out[k.removeprefix("params.rules.")] = json.loads(v) if isinstance(v, str) else v
            except ValueError:
                out[k.removeprefix("params.rules.")] = v
    return out or None


def rules_table(rules: Any, lang: Lang = "zh", columns: Any = None) -> pd.DataFrame | None:
    """The rules a delineation's plan was made under as a table of two columns (项目, 规定 / Item, Rule) in ``lang``: the rule's
    name and label, the size band with what it counts, the columns a unit must not straddle, whether
    settlements are kept whole, whether a candidate head is required (two above ``heads_for_size``), the walking
    and join limits. ``rules``: a :class:`~yuanluo.gis.rules.Rules` or its ``to_dict()``; None gives None. With the
    household ``columns``, the columns not to straddle begin with the levels the nest key keeps above the rules'
    (:func:`yuanluo.planners.report.kept_levels`: a town column first).

    >>> from yuanluo.gis.rules import Rules
    >>> r = Rules(50, 110, size_by="persons", heads_for_size=90, max_walk_min=15, join_limit_min=10,
    ...           name="jiangjin", label="江津区“和美院落”")
    >>> rules_table(r).to_dict("split")["data"]  # doctest: +NORMALIZE_WHITESPACE
    [['规则名称', 'jiangjin'], ['规则说明', '江津区“和美院落”'], ['规模', '50–110 人'], ['不得跨越', '村、村民小组'],
     ['保持自然院落完整', '是'], ['需有院落长候选人', '是（超过 90 人的院落需 2 名）'], ['步行上限', '15 分钟'],
     ['连接上限', '10 分钟']]
    >>> rules_table({"nest_by": ["village", "settlement", "片区"]}).iloc[2].tolist()
    ['不得跨越', '村、自然院落、“片区”']
    >>> rules_table(Rules(15, 25, nest_by=(), max_walk_min=None), "en").iloc[[0, 1, 2, 5]].values.tolist()
    [['Rule name', 'custom'], ['Size band', '15–25 households'], ['Must not straddle', '–'], ['Walking limit', '–']]
    >>> rules_table(Rules(20, 50, name="banan", label="巴南区“巴适小院”"), "en").iloc[:2].values.tolist()
    [['Rule name', 'banan (Banan District “Bashi Courtyards”)'], ['Size band', '20–50 households']]
    >>> rules_table(Rules(20, 50), columns=["hid", "乡镇", "village", "group"]).iloc[2].tolist()
    ['不得跨越', '乡镇、村、村民小组']

    A column to nest in that the households lack was not applied (RULE-UNAPPLIED): said so, not claimed.

    >>> rules_table(Rules(20, 50), columns=["hid", "乡镇", "village"]).iloc[2].tolist()
    ['不得跨越', '乡镇、村；村民小组未检查（农户表没有这些列）']
    >>> rules_table(Rules(20, 50), "en", columns=["hid", "name"]).iloc[2].tolist()
    ['Must not straddle', 'villages, villager groups not checked (the household file has no such columns)']

    Without a candidate-head column among the household ``columns`` the rule was not applied: the sheet says what
    the check's report says.

    >>> rules_table(Rules(20, 50), columns=["hid", "village", "settlement"]).iloc[4].tolist()
    ['需有院落长候选人', '未检查（农户表没有院落长候选人列）']
    >>> rules_table(Rules(20, 50), "en", columns=["hid", "head_candidate", "settlement"]).iloc[4].tolist()
    ['Candidate head required', 'yes']

    Without a settlement column the delineation found the settlements itself, by walking distance, and kept them
    whole: the sheet says so, and that the check, which cannot know them, will call the rule not checked; a rule
    that is off stays 否 / no.

    >>> rules_table(Rules(20, 50), columns=["hid", "village", "head_candidate"]).iloc[3, 1][:30]
    '是（农户表没有自然院落列：划分时按步行距离自行识别自然院落，'
    >>> rules_table(Rules(20, 50, keep_settlements=False), "en", columns=["hid"]).iloc[3].tolist()
    ['Keep natural settlements whole', 'no']
    """
    from yuanluo.gis.catalogue import has

    if rules is None:
        return None
    d = rules.to_dict() if hasattr(rules, "to_dict") else dict(rules)
    unit = text("report.size_by_persons" if d.get("size_by") == "persons" else "report.size_by_households", lang)

    def on(v: Any) -> bool:
        return v is True or str(v).lower() in ("true", "1")

    def yes(v: Any) -> str:
        return text("report.yes" if on(v) else "report.no", lang)

    def minutes(v: Any) -> str:
        return "–" if v is None or v == "" else f"{float(v):g} {text('report.minutes', lang)}"

    name = str(d.get("name") or "custom")
    preset = f"editor.preset.{name}"
    head = yes(d.get("require_head"))
    if d.get("require_head") is True and d.get("heads_for_size") not in (None, ""):
        head = text("plan.rules.heads_for_size", lang, yes=head, size=d["heads_for_size"], unit=unit)
    settle = yes(d.get("keep_settlements"))
    if columns is not None:  # a rule whose column the households lack: what the check's report says of it
        have = {str(c) for c in columns}
        if on(d.get("require_head")) and "head_candidate" not in have:
            # no candidate column: the delineation did not apply the rule (RULE-UNAPPLIED), the check does not check it
            head = text("report.not_checked", lang, why=text("report.no_head_col", lang))
        if on(d.get("keep_settlements")) and "settlement" not in have:
            # no settlement column: the delineation found the settlements itself and kept them whole, which is what
            # it did; no file records them, so the check of its result or of this table will say it did not check
            settle = text("plan.rules.settle_found", lang)
    nest = [str(c) for c in (d.get("nest_by") or [])]

    def nest_word(c: str) -> str:  # a nesting column Yuanluo knows in words (settlement → 自然院落), else quoted
        key = f"cli.unapplied.col.{c}"
        return text(key, lang) if has(key) else text("delineate.nest_col.other", lang, col=c)

    words = [nest_word(c) for c in nest]
    nest_said = ""
    if columns is not None:  # the levels the nest key keeps besides the rules' (the town), then the rules' columns
        from yuanluo.gis.rules import resolve_nest_by
        from yuanluo.planners.report import kept_levels

        cols = {str(c) for c in columns}
        resolved = resolve_nest_by(nest, cols)
        words = [nest_word(c) for c in resolved if c in cols]  # a column the households lack was not applied
        missing = [nest_word(c) for c in resolved if c not in cols]
        words = list(dict.fromkeys([*(w for w in kept_levels(nest, cols, lang, word=nest_word) if w not in words),
                                    *words]))
        if missing:  # what the console's RULE-UNAPPLIED says: said, after the levels applied
            words = [text("list.sep", lang).join(words)] if words else []
            words.append(text("plan.rules.nest_missing", lang, cols=text("list.sep", lang).join(missing)))
            sep = "；" if lang == "zh" else "; "
            nest_said = sep.join(words)
    values = {
        "name": name if not has(preset) or name == "custom" else f"{name}（{text(preset, lang)}）" if lang == "zh"
        else f"{name} ({text(preset, lang)})",
        # a preset's own label is the name row's words (in ``lang``): not again, in Chinese, in an English sheet
        "label": "" if has(preset) and str(d.get("label") or "") == text(preset, "zh") else str(d.get("label") or ""),
        "band": f"{d.get('min_size')}–{d.get('max_size')} {unit}",
        "nest_by": nest_said if nest_said else text("list.sep", lang).join(words) or "–",
        "keep_settlements": settle,
        "require_head": head,
        "max_walk_min": minutes(d.get("max_walk_min")),
        "join_limit_min": minutes(d.get("join_limit_min")),
    }
    rows = [(text(f"plan.rules.{k}", lang), values[k]) for k in RULE_ITEMS if k != "label" or values[k]]
    return pd.DataFrame(rows, columns=[text("plan.rules.item", lang), text("plan.rules.value", lang)])


# ------------------------------------------------------------------------------------------ CSV headers
def moves_table(moves: pd.DataFrame, lang: Lang = "zh") -> pd.DataFrame:
    """Repair's moves with headers (户编号, 原院落, 新院落, 原因) and reasons in words, in ``lang``.

    Examples
    --------
    >>> m = pd.DataFrame({"hid": ["H1"], "from_unit": ["U1"], "to_unit": ["U2"], "reason": ["size-low"]})
    >>> moves_table(m).to_dict("records")
    [{'户编号': 'H1', '原院落': 'U1', '新院落': 'U2', '原因': '补足户数不足的院落（沿相邻院落依次调整）'}]
    >>> list(moves_table(m, "en").columns)
    ['Household ID', 'From unit', 'To unit', 'Reason']
    """
    from yuanluo.gis.catalogue import has

    out = moves.copy()
    if "reason" in out.columns:
        out["reason"] = [text(f"move.reason.{r}", lang) if has(f"move.reason.{r}") else r for r in out["reason"]]
    out.columns = header_names(out.columns, lang)
    return out


def with_fields(plan: pd.DataFrame, households: pd.DataFrame, fields: Sequence[str] = (), *,
                include_personal: bool = False) -> pd.DataFrame:
    """A plan table (``hid, unit_id`` …) with the household columns ``fields`` names right after the household id,
    as the Excel plan of a delineation has them (:func:`plan_frames`): by the maps' allow-list
    (:func:`yuanluo.gis.personal.listed_fields`), so one recognised as personal by its name or content (户主姓名)
    only with ``include_personal``. ``households`` is indexed by household id; a name that is no column of it,
    or is one of the plan's own columns, adds nothing. For ``repair -o plan.csv|plan.xlsx --fields``.

    Examples
    --------
    >>> plan = pd.DataFrame({"hid": ["2", "1"], "unit_id": ["A", "A"]})
    >>> hh = pd.DataFrame({"户主姓名": ["张三", "李四"], "房屋": ["砖", "木"]}, index=pd.Index(["1", "2"], name="hid"))
    >>> with_fields(plan, hh, ["户主姓名", "房屋"]).to_dict("records")
    [{'hid': '2', '房屋': '木', 'unit_id': 'A'}, {'hid': '1', '房屋': '砖', 'unit_id': 'A'}]
    >>> list(with_fields(plan, hh, ["户主姓名", "房屋"], include_personal=True).columns)
    ['hid', '户主姓名', '房屋', 'unit_id']
    """
    hh = pd.DataFrame(households).drop(columns="geometry", errors="ignore")
    hh.index = hh.index.astype(str)
    asked = [f for f in dict.fromkeys(str(f) for f in fields) if f in hh.columns and f not in plan.columns]
    out = plan.copy()
    ids = out["hid"].astype(str)
    for j, col in enumerate(listed_fields(hh, asked, fields, include_personal=include_personal)[0], start=1):
        out.insert(j, col, ids.map(hh[col]).to_numpy())
    return out


def plan_csv_table(plan: pd.DataFrame, lang: Lang = "zh") -> pd.DataFrame:
    """A plan table (``hid, unit_id``) with the headers ``--plan`` reads back (:data:`yuanluo.gis.plan.ID_ALIASES`,
    :data:`~yuanluo.gis.plan.UNIT_ALIASES`), in ``lang`` as the moves table has them: 户编号, 院落编号; Household ID,
    Unit ID.

    Examples
    --------
    >>> list(plan_csv_table(pd.DataFrame({"hid": ["H1"], "unit_id": ["U1"]})).columns)
    ['户编号', '院落编号']
    >>> list(plan_csv_table(pd.DataFrame({"hid": ["H1"], "unit_id": ["U1"]}), "en").columns)
    ['Household ID', 'Unit ID']

    A ``locked`` column becomes the editor's 锁定 column (是 on a locked unit's rows, else blank), which
    ``--plan`` reads back as the units to keep:

    >>> plan_csv_table(pd.DataFrame({"hid": ["H1", "H2"], "unit_id": ["U1", "U2"], "locked": [True, False]}),
    ...                "en").to_dict("records")[0]
    {'Household ID': 'H1', 'Unit ID': 'U1', 'Locked': 'yes'}
    """
    out = plan.copy()
    if "locked" in out.columns:
        out["locked"] = np.where(out["locked"].fillna(False).astype(bool), text("editor.csv.yes", lang), "")
    out.columns = [text("editor.col.locked", lang) if c == "locked" else h
                   for c, h in zip(out.columns, header_names(out.columns, lang), strict=True)]
    return out


def tables_xlsx(sheets: dict[str, pd.DataFrame], lang: Lang | None = None) -> bytes:
    """Tables with their headers (sheet title → table) as deterministic xlsx bytes: every text a text cell as it
    is (an id such as ``000005`` or ``-2`` stays so), columns sized to their cells (:func:`_sheet`), a text too
    long for one cell cut at a whole item with a count in ``lang`` (:func:`fit_cell`; by default
    :func:`~yuanluo.gis.catalogue.default_lang`); for ``repair -o plan.xlsx`` and ``--moves moves.xlsx``, which
    Excel opens without losing leading zeros.

    Every sheet opens in QGIS with its headers as field names: GDAL's XLSX driver (QGIS, ``pyogrio``) takes the
    first row for them only when the row under it holds a cell that is not text (``OGR_XLSX_HEADERS=AUTO``; an
    empty cell does not count), so a table whose first row has no number is written with its rows numbered in a
    first column 序号 / No. (:func:`numbered`; the repaired plan, the moves, the check's findings), the number
    and the table's first column frozen. Yuanluo's plan reader finds its columns by name, so it reads such a
    sheet as before (``check --plan 方案.xlsx``). A table without rows (the moves when nothing moves, the
    findings of a plan that passes) has one row saying so (:func:`_none_row`), else GDAL could not tell its
    header from a row (QGIS read the header as a feature, ``Field1``, ``Field2`` …).

    Examples
    --------
    >>> import openpyxl
    >>> t = plan_csv_table(pd.DataFrame({"hid": ["000005", "=1+1"], "unit_id": ["U1", "U2"]}))
    >>> ws = openpyxl.load_workbook(io.BytesIO(tables_xlsx({"院落方案": t}))).active
    >>> [[c.value for c in r] for r in ws.iter_rows()], ws.freeze_panes
    ([['序号', '户编号', '院落编号'], [1, '000005', 'U1'], [2, '=1+1', 'U2']], 'C2')
    >>> t["院落户数"] = [1, 1]  # a number in its first row: GDAL tells the header by it, no 序号 added
    >>> ws = openpyxl.load_workbook(io.BytesIO(tables_xlsx({"院落方案": t}))).active
    >>> [c.value for c in ws[1]], ws.freeze_panes
    (['户编号', '院落编号', '院落户数'], 'B2')
    >>> ws = openpyxl.load_workbook(io.BytesIO(tables_xlsx({"调整清单": t.iloc[:0]}))).active
    >>> [[c.value for c in r] for r in ws.iter_rows()]
    [['序号', '户编号', '院落编号', '院落户数'], [None, '（无：本表没有记录）', None, None]]
    >>> ws = openpyxl.load_workbook(io.BytesIO(tables_xlsx({"说明": pd.DataFrame({"说明": ["注：…"]})}))).active
    >>> [c.value for c in ws[1]], ws.freeze_panes  # numbered, two columns: the text column is not frozen
    (['序号', '说明'], 'B2')
    """
    import openpyxl

    lang = default_lang() if lang is None else lang
    wb = openpyxl.Workbook()
    for k, (title, frame) in enumerate(sheets.items()):
        typed = frame if _has_number(frame) else numbered(frame, lang)
        keep = 1 + (typed is not frame)
        if typed.empty:
            typed = _none_row(typed, lang)
        _sheet(wb, title, typed, first=k == 0, lang=lang, keep=keep)
        if frame.empty:
            wb.worksheets[k].cell(row=2, column=1).number_format = "0"  # written: a blank number cell (_none_row)
    when = _stamp()
    wb.properties.created = wb.properties.modified = when.replace(tzinfo=None)
    wb.properties.creator = "yuanluo"
    buf = io.BytesIO()
    wb.save(buf)
    from yuanluo.planners.maturity import _fixed_zip

    return _fixed_zip(buf.getvalue(), when)


#: findings about the plan file itself (an id the households do not have, a household given two units): listed
#: first, since the file needs mending before its units mean anything (``repair``, ``edit`` and ``delineate --plan``
#: stop on them), and never left among the findings past the console's ``MAX_ROWS``
FILE_CODES = frozenset({"PLAN-UNKNOWN-ID", "PLAN-BLANK-ID", "PLAN-DUP-ASSIGN", "PLAN-DUP-ROW", "PLAN-MEETING-UNKNOWN"})


def ordered_findings(violations: pd.DataFrame, units: Sequence[Any] | None = None) -> pd.DataFrame:
    """The violations in the order the check lists them, on the console and in its CSV and xlsx: errors first,
    then warnings, each with the plan file's own findings (:data:`FILE_CODES`) first, then ordered by unit (rows of
    no unit last) and then code; the table's own order within (a stable sort: the same findings, the same order).
    The units in the order of ``units`` (the check's units table: the order a planner reads), any other in a
    natural sort (:func:`yuanluo.gis.plan.unit_sort_key`: U2 before U10, 二组二院落
    before 二组十院落), never in code-point order.

    >>> v = pd.DataFrame({"code": ["SIZE-LOW", "PLAN-UNKNOWN-ID", "SIZE-LOW", "SIZE-LOW", "SIZE-LOW"],
    ...                   "unit_id": ["U10", "", "U2", "二组十院落", "二组二院落"], "severity": ["error"] * 5})
    >>> ordered_findings(v)["unit_id"].tolist()
    ['', '二组二院落', '二组十院落', 'U2', 'U10']
    >>> ordered_findings(v, units=["U10", "二组十院落", "U2"])["unit_id"].tolist()
    ['', 'U10', '二组十院落', 'U2', '二组二院落']
    """
    from yuanluo.gis.plan import unit_sort_key

    if not len(violations):
        return violations
    blank = pd.Series([None] * len(violations), index=violations.index, dtype=object)
    unit = violations["unit_id"] if "unit_id" in violations.columns else blank
    code = (violations["code"] if "code" in violations.columns else blank).astype(str)
    severity = violations["severity"] if "severity" in violations.columns else blank
    names = unit.astype(str).to_numpy()
    given = {str(u): i for i, u in enumerate(units if units is not None else ())}
    rank = {u: i for i, u in enumerate(sorted(set(names), key=lambda u: (given.get(u, len(given)),
                                                                          unit_sort_key(u))))}
    key = pd.DataFrame({"sev": (severity != "error").to_numpy(),
                        "file": ~code.isin(sorted(FILE_CODES)).to_numpy(),
                        "nounit": unit.isna().to_numpy() | (unit.astype(str) == "").to_numpy(),
                        "unit": [rank[u] for u in names], "code": code.to_numpy()})
    order = key.sort_values(["sev", "file", "nounit", "unit", "code"], kind="stable").index
    return violations.iloc[list(order)]


def check_tables(violations: pd.DataFrame, units: pd.DataFrame, lang: Lang = "zh") -> tuple[pd.DataFrame,
                                                                                           pd.DataFrame]:
    """Check's violations and unit tables with headers in ``lang``; the message in the other language is left
    out (the run's language is the one asked for). The findings in the console's order (:func:`ordered_findings`):
    errors first, then warnings, each by unit and code.

    >>> v = pd.DataFrame({"code": ["DETOUR", "SIZE-LOW", "SIZE-HIGH"], "unit_id": ["U1", "U2", "U1"],
    ...                   "severity": ["warning", "error", "error"]})
    >>> check_tables(v, pd.DataFrame(), "en")[0].iloc[:, 0].tolist()
    ['SIZE-HIGH', 'SIZE-LOW', 'DETOUR']

    The walk columns of the units are left out where no unit's walk was measured (a plan checked without meeting
    points or a walking limit), as the plan's own table leaves out a column with nothing in it:

    >>> u = pd.DataFrame({"unit_id": ["U1", "U2"], "status": ["ok", "ok"], "mean_walk_min": [None, None],
    ...                   "max_walk_min": [float("nan"), None]})
    >>> list(check_tables(v, u)[1].columns), list(check_tables(v, u.fillna(1.5))[1].columns)[2:]
    (['院落编号', '状态'], ['平均步行分钟', '最远步行分钟'])
    """
    drop = "message_en" if lang == "zh" else "message_zh"
    v = ordered_findings(violations.drop(columns=[drop], errors="ignore"),
                         units=units["unit_id"].astype(str).tolist() if "unit_id" in units.columns else None
                         ).reset_index(drop=True)
    if "severity" in v.columns:
        if "code" in v.columns:  # a rule not checked is no warning about the plan: its own word, as it is counted
            v["severity"] = v["severity"].where(v["code"] != "RULE-UNAPPLIED", "unchecked")
        v["severity"] = words(v["severity"], "severity", lang)
    v.columns = header_names(v.columns, lang)
    u = units.drop(columns=[c for c in ("mean_walk_min", "max_walk_min") if c in units.columns
                            and pd.to_numeric(units[c], errors="coerce").isna().all()])
    if "status" in u.columns:
        u["status"] = words(u["status"], "status", lang)
    u.columns = header_names(u.columns, lang)
    return v, u


def _flat(df: pd.DataFrame) -> pd.DataFrame:
    """Lists joined with ``;`` (a list inside a list, such as the households of one piece, with ``|``)."""
    out = df.copy()
    for c in out.columns:
        if out[c].map(lambda x: isinstance(x, list | tuple)).any():
            out[c] = out[c].map(lambda x: ";".join("|".join(map(str, i)) if isinstance(i, list | tuple) else str(i)
                                                   for i in x) if isinstance(x, list | tuple) else x)
    return out


def check_csv_bytes(violations: pd.DataFrame, units: pd.DataFrame, lang: Lang = "zh") -> tuple[bytes, bytes]:
    """The check's two CSV files (violations, units) as UTF-8 with a byte-order mark (Excel shows Chinese
    correctly), headers in ``lang``, lists joined with ``;``, whole numbers without ``.0``, no cell that a
    spreadsheet would run as a formula.

    Examples
    --------
    >>> v = pd.DataFrame({"code": ["SIZE-LOW"], "unit_id": ["U1"], "hids": [["=H1", "H2"]], "severity": ["error"],
    ...                   "message_zh": ["太小"], "message_en": ["too small"]})
    >>> a, _ = check_csv_bytes(v, pd.DataFrame({"unit_id": ["U1"], "status": ["violation"]}))
    >>> a.decode("utf-8-sig").splitlines()
    ['代码,院落编号,涉及户编号,级别,说明', "SIZE-LOW,U1,'=H1;H2,错误,太小"]
    """
    v, u = check_tables(_flat(violations), measures_rounded(_flat(units)), lang)
    vb, ub = (neutralise_formulas(whole_numbers(t)).to_csv(index=False, lineterminator="\n").encode("utf-8-sig") for t in (v, u))
    return vb, ub


def check_xlsx(violations: pd.DataFrame, units: pd.DataFrame, lang: Lang = "zh") -> bytes:
    """The check's findings as one deterministic workbook of the CSV pair's two tables (:func:`check_csv_bytes`):
    the sheet of violations, then the sheet of units, the same headers and columns, lists joined with ``;``, whole
    numbers without ``.0``; every text a text cell as it is (:func:`tables_xlsx`), so a household id ``000051``
    keeps its leading zeros in Excel, where the CSV's lost them.

    Examples
    --------
    >>> import openpyxl
    >>> v = pd.DataFrame({"code": ["PLAN-UNKNOWN-ID"], "unit_id": [None], "hids": [["000051"]],
    ...                   "severity": ["error"], "message_zh": ["未知"], "message_en": ["unknown"]})
    >>> u = pd.DataFrame({"unit_id": ["007"], "n_households": [30], "status": ["ok"]})
    >>> wb = openpyxl.load_workbook(io.BytesIO(check_xlsx(v, u)))
    >>> wb.sheetnames, [c.value for c in wb.worksheets[0][2]], [c.value for c in wb.worksheets[1][2]]
    (['问题清单', '院落汇总'], [1, 'PLAN-UNKNOWN-ID', None, '000051', '错误', '未知'], ['007', 30, '符合规定'])

    The findings are all text: numbered (序号), so that QGIS reads their header (:func:`tables_xlsx`).
    """
    v, u = check_tables(_flat(violations), measures_rounded(_flat(units)), lang)
    return tables_xlsx({text("check.sheet.findings", lang): whole_numbers(v),
                        text("plan.units_sheet", lang): whole_numbers(u)}, lang)


def write_check_xlsx(violations: pd.DataFrame, units: pd.DataFrame, path: str | Path, *,
                     lang: Lang = "zh", overwrite: bool = False) -> Path:
    """Write :func:`check_xlsx` to ``path`` (atomic). Checked before any work: an existing file is ``OUT-EXISTS``
    unless ``overwrite=True``, a name not ending in ``.xlsx`` ``OUT-SUFFIX``; inside a command's transaction (``yuanluo
    check --csv 检查.xlsx``, which checked its outputs first) its ``--overwrite`` decides
    (:func:`yuanluo.gis.output.require_writer_free`)."""
    require_writer_free([(path, (".xlsx",))], overwrite=overwrite)
    return write_bytes(path, check_xlsx(violations, units, lang), overwrite=overwrite)


def check_csv_paths(path: str | Path) -> tuple[Path, Path]:
    """The two files ``--csv path`` writes: the violations at ``path``, the units beside it.

    >>> [p.name for p in check_csv_paths("out/检查.csv")]
    ['检查.csv', '检查_units.csv']
    """
    path = Path(path)
    return path, path.with_name(f"{path.stem}_units.csv")


def write_check_csv(violations: pd.DataFrame, units: pd.DataFrame, path: str | Path, *,
                    lang: Lang = "zh", overwrite: bool = False) -> tuple[Path, Path]:
    """Write the violations to ``path`` and the units to ``<stem>_units.csv`` beside it (see
    :func:`check_csv_bytes`, :func:`check_csv_paths`); returns the two paths. Both are written, or neither.
    Checked before any work: an existing file of the two is ``OUT-EXISTS`` unless ``overwrite=True``, a ``path``
    not ending in ``.csv`` ``OUT-SUFFIX``; inside a command's transaction (``yuanluo check --csv``, which checked
    its outputs first) its ``--overwrite`` decides (:func:`yuanluo.gis.output.require_writer_free`).

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> v, u = pd.DataFrame({"code": [], "unit_id": []}), pd.DataFrame({"unit_id": ["U1"], "status": ["ok"]})
    >>> [p.name for p in write_check_csv(v, u, d / "检查.csv")]
    ['检查.csv', '检查_units.csv']
    >>> write_check_csv(v, u, d / "检查.csv")
    Traceback (most recent call last):
    ...
    yuanluo.gis.errors.OutputError: ...
    >>> [p.name for p in write_check_csv(v, u, d / "检查.csv", overwrite=True)]
    ['检查.csv', '检查_units.csv']
    """
    outputs: list[tuple[str | Path, tuple[str, ...]]] = [(path, (".csv",))]
    if Path(path).name:  # no name at all: OUT-NAME-EMPTY says so, and there is no units file to name
        outputs.append((check_csv_paths(path)[1], (".csv",)))
    require_writer_free(outputs, overwrite=overwrite)
    vpath, upath = check_csv_paths(path)
    vb, ub = check_csv_bytes(violations, units, lang)
    with joined(overwrite):  # the findings and the units placed together, or neither
        return write_bytes(vpath, vb, overwrite=overwrite), write_bytes(upath, ub, overwrite=overwrite)
