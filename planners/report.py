"""The site-inspection report of a plan check: self-contained HTML, JSON and CSV.

:func:`render_html` gives one HTML page with no external resource at all (inline CSS, no script, no
image, no external link; a Content-Security-Policy allows its one stylesheet by hash and nothing else, with
:mod:`yuanluo.maps.webfont`'s ``data:`` font in it: the bundled font's glyphs for every character the page shows,
drawn where the reader has no Chinese font of their own). In
reading order: a header (village if named, rule, date, input file), the verdict and counts, an overview (the findings by
code, errors first, each line a link to its group; links to the rules and the units), the findings grouped by
code (errors first; a fix shared by a whole group said once under it), the rules with what each could check
("未检查" when its data is absent) and what the walking graph was built from, and last the per-unit table. It
reads on a phone (viewport meta, the tables scroll sideways inside their box, a long list shows its first rows
and "…另有 N 条", a ``<details>`` that shows the rest by CSS ``:has``, no script; a units table wider than its box,
whatever the screen's width, says so in a line (report.swipe) and keeps its name column in place: CSS knows it by
the box's scroll timeline, active only while the table overflows, and where a browser has none, by a screen of
600 px or less) and prints on A4 every row
(``@page A4`` with the title, date and "page n of m" in the margin boxes, table headers repeated, rows never
split, no trailing page). Chinese by default, English with
``lang="en"``; stamped "内部工作资料" (internal working document). :class:`ReportInfo` carries what the check
itself does not know (village, file, DEM, columns); :func:`info_from_inputs` builds it for the CLI.

:func:`write_json` and :func:`write_csv` write the same content for machines and for Excel (UTF-8 with
a byte-order mark). All writes are atomic (:func:`yuanluo.gis.output.write_bytes`).
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from yuanluo.gis.catalogue import Lang, has, number, text
from yuanluo.gis.errors import MAX_EXAMPLES
from yuanluo.gis.output import HTML_SUFFIXES, joined, require_writer_free, write_bytes
from yuanluo.gis.rules import (  # the nesting columns Yuanluo knows: not a typo
    NESTING,
    Rules,
    listed,
    nesting_name,
    nesting_to_add,
    resolve_nest_by,
)
from yuanluo.gis.validate import page_text
from yuanluo.maps.offline import add_csp
from yuanluo.maps.webfont import FONT_CSS, embed

if TYPE_CHECKING:  # the check itself (and networkx under it) not loaded for the cover and maturity reports
    from yuanluo.gis.check import CheckResult

#: the interface texts of the report: catalogue entries ``report.<key>`` (gis/messages/report.toml)
_KEYS = ("title", "stamp", "passed", "failed", "result", "households", "assigned", "units", "units_ok",
         "units_exception", "exception", "errors",
         "warnings", "unchecked", "rules", "band", "size_by_households", "size_by_persons", "nest", "walk", "walk_none", "graph",
         "graph_terrain", "graph_straight", "unit_table", "unit", "n_households", "persons", "status", "ok",
         "violation", "codes", "walk_mean", "walk_max", "viol_list", "code", "severity", "error", "warning",
         "message", "none", "minutes", "yes", "no", "settle", "head", "counts", "summary", "village", "rule",
         "date", "input", "plan_file", "meeting_file", "graph_flat", "graph_nocut", "layer_rivers", "layer_water", "sep", "no_meeting",
         "no_settle_col", "no_head_col", "jump", "fewer", "more_findings", "more_units",
         "swipe")


def _texts(lang: Lang) -> dict[str, str]:
    """The report's interface texts in ``lang`` (from the catalogue), by short key.

    Examples
    --------
    >>> _texts("en")["passed"], _texts("zh")["passed"]
    ('PASSED', '通过')
    """
    return {k: text(f"report.{k}", lang) for k in _KEYS}


#: a screen a finger taps: narrow (a phone upright), low (a phone held sideways: 844 x 390, 740 x 360) or with a
#: coarse pointer (a tablet); there every link and folded list of the reports is a finger's height, 44 px (held
#: sideways a phone is wider than 700 px: its links were 19-30 px tall, the folded lists 24-38 px; s52 E)
TOUCH_SCREEN = "screen and (max-width:700px),screen and (max-height:500px),screen and (pointer:coarse)"

_CSS = """
*{box-sizing:border-box}
FONTS
body{margin:0 auto;max-width:1100px;padding:12px;color:#222;font-size:15px;line-height:1.45}
h1{font-size:1.35em;margin:.2em 0}h2{font-size:1.1em;margin:1.1em 0 .4em;border-bottom:2px solid #ccc}
.stamp{display:inline-block;border:2px solid #b00;color:#b00;padding:2px 8px;font-weight:bold;
 transform:rotate(-2deg);float:right;margin:4px}
.badge{display:inline-block;padding:3px 12px;border-radius:4px;font-weight:bold;color:#fff}
.pass{background:#2e7d32}.fail{background:#c62828}
dl.kv{display:grid;grid-template-columns:fit-content(55%) 1fr;gap:2px 14px;margin:.4em 0}
dl.kv dt{font-weight:bold}dl.kv dd{margin:0}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;max-width:100%;
 background:linear-gradient(to right,#fff 30%,rgba(255,255,255,0)) left/24px 100% no-repeat local,
 linear-gradient(to left,#fff 30%,rgba(255,255,255,0)) right/24px 100% no-repeat local,
 radial-gradient(farthest-side at 0 50%,rgba(0,0,0,.25),transparent) left/10px 100% no-repeat scroll,
 radial-gradient(farthest-side at 100% 50%,rgba(0,0,0,.25),transparent) right/10px 100% no-repeat scroll}
table{border-collapse:collapse;width:100%;font-size:.92em}
th,td{border:1px solid #bbb;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#eee;word-break:keep-all}td.num{text-align:right;white-space:nowrap}td.nw{white-space:nowrap}
td.code{word-break:keep-all;overflow-wrap:normal;font-size:.9em}
td.unit{min-width:4.5em;max-width:8em;overflow-wrap:anywhere}td.codes{min-width:13em}
tr.bad td{background:#fdecea}tr.warn td{background:#fff8e1}
p.swipe{display:none;margin:.2em 0;color:#555}div.wide{position:relative}
table.units td.long{white-space:normal;overflow-wrap:anywhere;min-width:7em}table.units td.heads{min-width:11em}@media screen{table.units td.long{max-width:40vw}}
@media screen{ table.units th:first-child,table.units td:first-child{background:#fff}table.units th:first-child{background:#eee}
 table.units tr.bad td:first-child{background:#fdecea}table.units tr.warn td:first-child{background:#fff8e1}}
@supports (animation-timeline:--a){@media screen{.rows{timeline-scope:--wide}div.wide .scroll{scroll-timeline:--wide x}
 p.swipe{display:block;visibility:hidden;max-height:0;margin:0;overflow:hidden;animation:wide-over linear both;animation-timeline:--wide;
 animation-range:0% 200%}
 table.units th:first-child,table.units td:first-child{animation:wide-name linear both;animation-timeline:--wide;animation-range:0% 200%}
 @keyframes wide-over{from,to{visibility:visible;max-height:6em;margin:.2em 0}}
 @keyframes wide-name{from,to{position:sticky;left:0;z-index:1;box-shadow:inset -1px 0 #bbb,inset 1px 0 #bbb,4px 0 5px -3px rgba(0,0,0,.35)}}}}
@supports not (animation-timeline:--a){@media screen and (max-width:600px){p.swipe{display:block}
 table.units th:first-child,table.units td:first-child{position:sticky;left:0;z-index:1;
 box-shadow:inset -1px 0 #bbb,inset 1px 0 #bbb,4px 0 5px -3px rgba(0,0,0,.35)}}}
@media screen and (max-width:600px){div.wide::after{content:"";position:absolute;top:0;right:0;bottom:0;width:18px;
 pointer-events:none;z-index:2;background:linear-gradient(to left,rgba(0,0,0,.22),rgba(0,0,0,0))}
 @supports (animation-timeline:--a){div.wide::after{opacity:0;animation:wide-end linear both;animation-timeline:--wide}
 @keyframes wide-end{0%,85%{opacity:1}100%{opacity:0}}}}
td.msg{white-space:pre-wrap;min-width:14em}
.small{font-size:.85em;color:#555}
@media (max-width:600px){body{font-size:14px;padding:6px}th,td{padding:2px 4px}.stamp{float:none}td.msg{min-width:9em}}
dl.head{margin:.2em 0 .6em;font-size:.95em}
h3{font-size:1em;margin:1em 0 .3em}h3 .small{font-weight:normal;white-space:nowrap}h3.bad{color:#b71c1c}h3.warn{color:#8a6100}
ul.toc{list-style:none;padding:0;margin:.3em 0}
ul.toc li{margin:3px 0;padding:5px 8px;border-left:5px solid #bbb;background:#f5f5f5;display:flex;gap:8px}
ul.toc li.bad{border-left-color:#c62828}ul.toc li.warn{border-left-color:#f9a825}
ul.toc .n{margin-left:auto;font-weight:bold}
span.cid,span.nb{white-space:nowrap}
p.jump{margin:.4em 0}p.jump a{margin-right:1em;white-space:nowrap}
p.fix{margin:.3em 0 .6em;white-space:pre-wrap}
details.more summary,details.ids summary{color:#0645ad;padding:8px 0;cursor:pointer}
details.ids summary{padding:4px 0;font-size:.92em}
details[open] .closed,details:not([open]) .opened{display:none}
div.allids{font-size:.92em;overflow-wrap:anywhere;white-space:normal}
@supports selector(:has(a)){@media screen{.rows:not(:has(details.more[open])) tr.extra{display:none}
 td:not(:has(details.ids[open])) div.allids{display:none}}}
@supports not selector(:has(a)){details.more,details.ids{display:none}}
@media TOUCH{a{display:inline-flex;align-items:center;min-height:44px;padding:10px 2px}
 ul.toc li{align-items:center;padding-top:0;padding-bottom:0}details.more summary,details.ids summary{min-height:44px;padding:10px 0}
 a{min-width:44px;justify-content:center}}
@media screen{.small{font-size:max(12px,.85em)}td.code{font-size:max(12px,.9em)}
 details.ids summary,div.allids{font-size:max(12px,.92em)}}
@media print{body{max-width:none;padding:0;font-size:10.5pt}.scroll{overflow:visible}
 details.more,details.ids,.screen{display:none}ul.toc a,p.jump a{color:inherit;text-decoration:none}
 ul.toc li{-webkit-print-color-adjust:exact;print-color-adjust:exact;padding:1px 8px;margin:1px 0}
 .badge{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 tr.bad td,tr.warn td,th{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
""".replace("@media TOUCH{", f"@media {TOUCH_SCREEN}{{").replace("FONTS", FONT_CSS)


def _e(x: Any) -> str:
    """``x`` escaped for HTML text and attributes, without bidi marks or overrides (:func:`page_text`: a file name
    in a finding's message); a missing value (None, NaN, NA: the unit of a violation of no unit) is blank, not "nan".

    >>> _e('"<b>'), _e(float("nan")), _e(None), _e(pd.NA)
    ('&quot;&lt;b&gt;', '', '', '')
    """
    missing = x is None or (pd.api.types.is_scalar(x) and bool(pd.isna(x)))
    return html.escape("" if missing else page_text(x), quote=True)  # no bidi override turning a name around


def _num(x: Any, decimals: int | None = None, lang: Lang = "zh") -> str:
    """A count as a whole number when it is one, else with one decimal; with ``decimals`` always so many (minutes
    in a column: 0.0 beside 1.3, not 0); in English the thousands grouped as the report's sentences write them
    (:func:`yuanluo.gis.catalogue.number`).

    >>> _num(3.0), _num(2.54), _num(0, 1), _num(float("nan")), _num(None)
    ('3', '2.5', '0.0', '–', '')
    >>> _num(10000, lang="en"), _num(10000), _num(1234.56, 1, "en"), _num(1234.56, lang="en")
    ('10,000', '10000', '1,234.6', '1,234.6')
    """
    try:
        f = float(x)
    except (TypeError, ValueError):
        return ""
    if math.isnan(f):
        return "–"
    if decimals is not None:
        return number(f, lang, decimals)
    return number(int(f), lang) if f.is_integer() else number(f, lang, 1)


def toc_head(head: str, lang: Lang) -> str:
    """The line above an overview's links: ``head``, the hint to tap one on screen only (it means nothing on
    paper), and the colon.

    >>> toc_head("概览", "zh")
    '概览<span class="screen">（点击跳到该节）</span>：'
    """
    return f'{_e(head)}<span class="screen">{_e(text("report.tap_hint", lang))}</span>{_e(text("report.colon", lang))}'


def code_words(code: str, lang: Lang) -> str:
    """A finding's code with its short name (``check.label.*``) before it, as a list of codes shows it.

    >>> code_words("SIZE-LOW", "zh"), code_words("PLAN-NO-HEAD", "en"), code_words("X-1", "en")
    ('户数过少（SIZE-LOW）', 'no head candidate (PLAN-NO-HEAD)', 'X-1')
    """
    key = f"check.label.{code}"
    return text("report.code_words", lang, label=text(key, lang), code=code) if has(key) else code


#: what a finding's message must not break inside on a phone: an option ("--rules" broke as "--" over "rules") with
#: the word after it when that is its value (:func:`_is_value`; "yuanluo repair -o" ended a line, "plan.xlsx" began
#: the next), and a range of numbers ("20–" over "50 户"); read in escaped text, so a word holds no "&"
_WHOLE = re.compile(r"(?<![\w-])(?P<option>--[A-Za-z][\w-]*|-[A-Za-z](?= ))"
                    r"(?: (?P<word>[.{\\/~]*\w(?:[\w.:\\/+~{}–-]*[\w\\/}])?))?"
                    r"|(?<![\w.])\d+(?:\.\d+)?–\d+(?:\.\d+)?")
#: the widest value kept on its option's line, in columns (a Han character two): a longer one (a file's whole path)
#: kept whole would be wider than a phone's screen
_VALUE_COLUMNS = 24


def _is_value(option: str, word: str) -> bool:
    """Whether ``word``, after ``option`` in a message, is the option's value and not a word of the sentence: a file's
    name or path, a number, a coordinate system (``plan.xlsx``, ``方案.xlsx``, ``1+N``, ``EPSG:4490``, ``gcj02``), a
    placeholder in capitals (``--unit-col NAME``) or a preset's name (``--preset banan``), at most
    :data:`_VALUE_COLUMNS` wide.

    >>> [_is_value(o, w) for o, w in [("-o", "plan.xlsx"), ("--preset", "banan"), ("--preset", "巴南"),
    ...  ("--crs", "gcj02"), ("--unit-col", "NAME"), ("--rules", "or"), ("--basemap", "out"), ("--fields", "中点名时")]]
    [True, True, True, True, True, False, False, False]
    """
    if sum(2 if "\u2e80" <= c <= "\u9fff" else 1 for c in word) > _VALUE_COLUMNS:
        return False
    if option == "--preset":
        from yuanluo.planners.presets import PRESET_NAMES, PRESETS

        return word in PRESETS or word in PRESET_NAMES
    return bool(re.search(r"[\d.:\\/+{]", word) or re.fullmatch(r"[A-Z][A-Z_]*", word))


def _whole(m: re.Match[str]) -> str:
    option, word = m["option"], m["word"]
    if option is None:  # a range of numbers
        return f'<span class="nb">{m[0]}</span>'
    if word is not None and _is_value(option, word):
        return f'<span class="nb">{option} {word}</span>'
    # a word of the sentence (never an option, a range or a value: it has no "-" before, no digit) stays as it was
    rest = "" if word is None else f" {word}"
    return (f'<span class="nb">{option}</span>' if option.startswith("--") else option) + rest


def message_html(msg: Any) -> str:
    """A finding's message or fix escaped for the page (:func:`_e`), each option (with its value, :func:`_is_value`)
    and range of numbers kept on one line (``span.nb``; s52 E, s58 P).

    >>> message_html('再用 “--rules” 给出；不在 20–50 户之内 <b>')
    '再用 “<span class="nb">--rules</span>” 给出；不在 <span class="nb">20–50</span> 户之内 &lt;b&gt;'
    >>> message_html("yuanluo repair -o plan.xlsx, -v; --rules or --preset banan")
    'yuanluo repair <span class="nb">-o plan.xlsx</span>, -v; <span class="nb">--rules</span> or <span class="nb">--preset banan</span>'
    """
    return _WHOLE.sub(_whole, _e(msg))


def code_words_html(code: str, lang: Lang) -> str:
    """:func:`code_words` escaped for the page, the code kept on one line (``span.cid``): on a phone
    "SIZE-EXCEPTION" broke at its hyphen, SIZE- ending one line and EXCEPTION starting the next (s52 E).

    >>> code_words_html("SIZE-LOW", "en"), code_words_html("<X-1>", "zh")
    ('<span>too few households (<span class="cid">SIZE-LOW</span>)</span>', '<span><span class="cid">&lt;X-1&gt;</span></span>')
    """
    words, code_e = _e(code_words(code, lang)), _e(code)
    head, sep, tail = words.rpartition(code_e)
    # one span around it all: inside a link shown as a flex box on a phone, the words and the code one flex item
    return f'<span>{head}<span class="cid">{code_e}</span>{tail}</span>' if sep else words


def _join(x: Any) -> str:
    if isinstance(x, (list, tuple)):
        return ", ".join(str(i) for i in x)
    return "" if x is None else str(x)


@dataclass(frozen=True)
class ReportInfo:
    """What the report says about the run besides the check itself: where the plan comes from and what the
    walking graph and each rule could read.

    Attributes
    ----------
    village : str
        The village (or villages) of the households; "" when the file names none.
    input_file : str
        The household file's name, as shown in the header.
    plan_file : str
        The name of the file the plan was read from (``--plan`` table, ``--units`` polygons; :func:`plan_file_name`),
        shown under the household file's, so that a report of an edited plan is told from one of the result's own;
        "" when the plan is a column of the household file.
    meeting_file : str
        The name of the ``--meeting-points`` file, whose points the walking limit was checked against, shown under
        the plan's; "" when none was given (the plan's own 议事点 column, the result's points, or the centres).
    date : str
        The date printed in the header (``YYYY-MM-DD``); :func:`report_date` by default.
    dem : str
        The elevation file's name when the walking graph used one (slope-dependent walking), else "".
    barriers : tuple of str
        Layers that cut the walking graph: ``"rivers"``, ``"water"``.
    columns : frozenset of str, optional
        The household columns the rules could read; None when unknown (rules are then shown as configured).
    meeting_points : bool
        Whether meeting points were given (the walking limit can only be checked with them).
    villages : tuple of str
        The village names, which the page shows joined as its language lists things (:meth:`village_in`)
        in place of ``village``; a last ``"…"`` stands for the names left out.
    """

    village: str = ""
    input_file: str = ""
    plan_file: str = ""
    meeting_file: str = ""
    date: str = ""
    dem: str = ""
    barriers: tuple[str, ...] = ()
    columns: frozenset[str] | None = None
    meeting_points: bool = False
    villages: tuple[str, ...] = ()

    def village_in(self, lang: Lang) -> str:
        """The village line in ``lang``: ``villages`` joined by the language's list separator (``list.sep``: 、 in
        Chinese, a comma in English), else ``village`` as given.

        >>> ReportInfo(villages=("V001", "V002", "…")).village_in("en")
        'V001, V002…'
        """
        if not self.villages:
            return self.village
        more = self.villages[-1] == "…"
        names = self.villages[:-1] if more else self.villages
        return text("list.sep", lang).join(names) + ("…" if more else "")


def report_date() -> str:
    """Today (UTC) as ``YYYY-MM-DD``, or the day of ``SOURCE_DATE_EPOCH`` when set (reproducible reports).

    Examples
    --------
    >>> import os
    >>> os.environ["SOURCE_DATE_EPOCH"] = "86400"
    >>> report_date()
    '1970-01-02'
    >>> del os.environ["SOURCE_DATE_EPOCH"]
    """
    from yuanluo.gis.output import data_date

    return data_date()  # no file: SOURCE_DATE_EPOCH's day, else today


def village_names(households: pd.DataFrame, *, at_most: int = 3) -> tuple[str, ...]:
    """The distinct villages of a ``village`` column (at most ``at_most``, then ``"…"``), told apart and named as
    the check names them (:func:`yuanluo.gis.keys.nest_labels`: 甲镇/新华村 and 乙镇/新华村), in the order of the
    planner's roster (:func:`yuanluo.gis.keys.roster_order`: the villages as the file first names them; with a town
    column one town's villages together, the towns as the file first names them), as every output lists them.

    >>> village_names(pd.DataFrame({"village": ["C", "A", "B", "D", None]}))
    ('C', 'A', 'B', '…')
    >>> village_names(pd.DataFrame({"乡镇": ["甲镇", "乙镇", "甲镇"], "village": ["新华村", "新华村", "光明村"]}))
    ('甲镇/新华村', '光明村', '乙镇/新华村')
    """
    from yuanluo.gis.keys import BLANK, nest_labels, roster_order

    if "village" not in households.columns:
        return ()
    labels = pd.Series(nest_labels(households, ["village"]), dtype=object).astype(str)
    order = pd.DataFrame({"rank": roster_order(households, ["village"]), "label": labels})
    order = order[~order["label"].isin(["", BLANK])].sort_values("rank", kind="stable")
    names = list(dict.fromkeys(order["label"]))
    return tuple(names[:at_most]) + (("…",) if len(names) > at_most else ())


def villages_of(households: pd.DataFrame, *, at_most: int = 3, lang: Lang = "zh") -> str:
    """The distinct names in a ``village`` column in the order of the roster (:func:`village_names`), joined as
    ``lang`` lists things ("、" in Chinese, ", " in English; at most ``at_most``, then "…").

    Examples
    --------
    >>> villages_of(pd.DataFrame({"village": ["乙村", "甲村", "乙村", None]}))
    '乙村、甲村'
    >>> villages_of(pd.DataFrame({"village": ["V002", "V001"]}), lang="en")
    'V002, V001'
    >>> villages_of(pd.DataFrame({"x": [1]}))
    ''
    """
    return ReportInfo(villages=village_names(households, at_most=at_most)).village_in(lang)


def plan_file_name(plan: str | Path | None, units: str | Path | None = None) -> str:
    """The name of the file a plan was read from, as a report names it: the ``--plan`` table's (with its sheet or
    layer, ``方案.xlsx::院落方案``), else the ``--units`` polygons'; "" when neither is given (the plan is a column
    of the household file). Only the name: a report travels without the folders of the machine that wrote it.

    >>> plan_file_name("/data/村/方案.xlsx::院落方案"), plan_file_name(None, "out/units.gpkg"), plan_file_name(None)
    ('方案.xlsx::院落方案', 'units.gpkg', '')
    """
    from yuanluo.gis.plan import split_plan_spec

    given = plan if plan is not None else units
    if given is None:
        return ""
    path, layer = split_plan_spec(given)
    return path.name + (f"::{layer}" if layer else "")


def info_from_inputs(inputs: Any, *, meeting_points: bool, plan_file: str = "",
                     meeting_file: str = "", data_files: Sequence[Any] = ()) -> ReportInfo:
    """The :class:`ReportInfo` of a check run from its :class:`yuanluo.planners.workflows.Inputs`; ``plan_file``:
    the name of the file its plan was read from (:func:`plan_file_name`); ``meeting_file``: that of its
    ``--meeting-points`` file (the same function), when given. Its date is the day of its data
    (:func:`yuanluo.gis.output.data_date` of the input files and ``data_files``, the plan's and the meeting
    points' paths), not the clock's: the same files give the same report on any day."""
    from yuanluo.gis.output import data_date

    paths = getattr(inputs, "paths", {}) or {}
    hh = inputs.households
    dem = paths.get("dem") if getattr(inputs, "terrain", None) is not None else None
    barriers = tuple(k for k in ("rivers", "water") if getattr(inputs, k, None) is not None)
    src = paths.get("households")
    return ReportInfo(village=villages_of(hh), villages=village_names(hh), input_file=Path(src).name if src else "",
                      plan_file=plan_file, meeting_file=meeting_file,
                      date=data_date(*paths.values(), *data_files), dem=Path(dem).name if dem else "", barriers=barriers,
                      columns=frozenset(map(str, hh.columns)), meeting_points=meeting_points)


def _css_string(s: str) -> str:
    """``s`` as a double-quoted CSS string: every character but letters, digits and spaces escaped as
    ``\\HEX `` (no quote, backslash, ``<`` or newline can end the string or the style element).

    Examples
    --------
    >>> print(_css_string('第 1 页</style>"'))
    "第 1 页\\3c \\2f style\\3e \\22 "
    """
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in s) + '"'


#: how every printed report prints (the check, cover and maturity reports; :func:`page_css`): the screen's foot
#: line left out (the margin boxes carry the stamp), a heading kept with what follows it, a table's header row
#: repeated on every page, and no table row, key list or ``.keep`` block (a maturity card) split over two pages
PRINT_CSS = ("@media print{.foot{display:none}h2,h3{page-break-after:avoid;break-after:avoid}"
             "thead{display:table-header-group}tr,dl.kv,.keep{page-break-inside:avoid;break-inside:avoid}"
             ".stamp{-webkit-print-color-adjust:exact;print-color-adjust:exact}}")


def page_css(lang: Lang, title: str, *, place: str = "", date: str = "", files: Sequence[str] = ()) -> str:
    """The print rules of a report (:data:`PRINT_CSS`) and its A4 margin boxes: ``title · place`` at the top
    left, ``date`` at the top right, the stamp 内部工作资料 and the ``files`` named at the bottom left, the page
    number ("第 2 页，共 3 页") at the bottom right; every text a CSS string (:func:`_css_string`: a name cannot end
    the style). The check, cover and maturity reports all print by it.

    Examples
    --------
    >>> css = page_css("en", "Report", place="V1", date="2026-01-02", files=("a.gpkg", ""))
    >>> css.startswith(PRINT_CSS), "thead{display:table-header-group}" in css
    (True, True)
    >>> print(re.search("@bottom-left{[^}]*}", css).group())
    @bottom-left{content:"Internal working document \\b7  a\\2e gpkg";font-size:8pt;color:#555}
    """
    head = " · ".join(x for x in (title, place) if x)
    page_tpl = text("report.page_of", lang, page="\x00", pages="\x01")
    bits = []
    for piece in re.split("([\x00\x01])", page_tpl):
        if piece == "\x00":
            bits.append("counter(page)")
        elif piece == "\x01":
            bits.append("counter(pages)")
        elif piece:
            bits.append(_css_string(piece))
    foot = " · ".join(x for x in (text("report.stamp", lang), *files) if x)
    box = "font-size:8pt;color:#555"
    return (PRINT_CSS + "@page{size:A4;margin:16mm 12mm 16mm;"
            f"@top-left{{content:{_css_string(head)};{box}}}"
            f"@top-right{{content:{_css_string(date)};{box}}}"
            f"@bottom-left{{content:{_css_string(foot)};{box}}}"
            f"@bottom-right{{content:{' '.join(bits)};{box}}}}}")


def info_page_css(lang: Lang, title: str, info: ReportInfo) -> str:
    """:func:`page_css` of a check or cover report: its village(s), date and the files :class:`ReportInfo` names
    (household file, plan, meeting points)."""
    return page_css(lang, title, place=info.village_in(lang), date=info.date,
                    files=(info.input_file, info.plan_file, info.meeting_file))


def render_html(result: CheckResult, *, lang: Lang = "zh", title: str | None = None,
                info: ReportInfo | None = None, include_personal: bool = False) -> str:
    """A self-contained HTML report of a :class:`yuanluo.gis.check.CheckResult`.

    The header names the village, the rule (preset and band), the date and the input file; then come the
    verdict and counts, the rules with what each could check ("未检查" when its data is absent) and what the
    walking graph was built from, the violations, and last the table of units. Printed, every A4 page
    carries the title, the date and "page n of m" in its margins.

    Examples
    --------
    >>> from yuanluo.gis.check import CheckResult
    >>> from yuanluo.gis.rules import Rules
    >>> units = pd.DataFrame({"unit_id": ["U1"], "n_households": [3], "persons": [7.0], "size": [3],
    ...                       "status": ["ok"], "codes": [[]], "mean_walk_min": [float("nan")],
    ...                       "max_walk_min": [float("nan")]})
    >>> viol = pd.DataFrame(columns=["code", "unit_id", "hids", "severity", "message_zh", "message_en"])
    >>> r = CheckResult(violations=viol, units=units, passed=True, graph_kind="straight", rules=Rules(2, 5))
    >>> page = render_html(r, lang="en")
    >>> "PASSED" in page and "U1" in page and "http:" not in page and "https:" not in page
    True

    The report names the households of each finding and the meeting points: when those ids are id-card or
    phone numbers it is written only with ``include_personal=True`` (ID-PERSONAL-PAGE otherwise), as
    ``yuanluo check --report`` needs ``--include-personal``.

    Its reader is a planner, who acts through the command line, a rule file or a page: every finding's fix is
    said as the command line says it (``yuanluo repair``), also of a check run from Python, whose own messages
    name the Python API (``repair_plan``: :meth:`yuanluo.gis.check.CheckResult.for_planner`).
    """
    from yuanluo.gis.personal import require_page_ids

    result = result.for_planner()
    require_page_ids(_shown_ids(result), include_personal=include_personal, page="check_report",
                     also=_shown_units(result))
    lang = "en" if lang == "en" else "zh"
    t = _texts(lang)
    info = info or ReportInfo(date=report_date())
    info = replace(info, input_file=page_text(info.input_file), plan_file=page_text(info.plan_file),
                   meeting_file=page_text(info.meeting_file), dem=page_text(info.dem))  # no bidi
    title = page_text(title or t["title"])
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"en" if lang == "en" else "zh-CN"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_CSS}{info_page_css(lang, title, info)}</style></head><body>",
        f'<div class="stamp">{_e(t["stamp"])}</div>',
        f"<h1>{_e(title)}</h1>",
        _header(result, t, lang, info),
        f'<h2 id="summary">{_e(t["summary"])}</h2>',
        _summary(result, t, lang),
        _overview(result, t, lang),
        f'<h2 id="findings">{_e(t["viol_list"])}</h2>',
        _violations_table(result, t, lang),
        f'<h2 id="rules">{_e(t["rules"])}</h2>',
        _rules_list(result, lang, t, info),
        f'<h2 id="units">{_e(t["unit_table"])}</h2>',
        _units_table(result, t, lang),
        f'<p class="small foot">{_e(t["stamp"])} · yuanluo</p></body></html>',
    ]
    return add_csp(embed("\n".join(parts)))


def _rule_text(r: Rules, t: dict[str, str], lang: Lang) -> str:
    """The rule in one line: the band with its unit, then the preset's name ("15–25 户（长寿区“寿和小院”）")."""
    size_by = t["size_by_persons"] if r.size_by == "persons" else t["size_by_households"]
    band = f"{r.min_size}–{r.max_size} {size_by}"
    preset = f"editor.preset.{r.name}"  # a preset's name in each language (Banan District “Bashi Courtyards”)
    named = r.name != "custom"  # rules given by bounds alone: the band says them
    name = ((r.label if lang == "zh" else "") or (text(preset, lang) if named and has(preset) else "")
            or (r.name if named else ""))
    return text("report.band_named", lang, band=band, name=name) if name else band


def _header(result: CheckResult, t: dict[str, str], lang: Lang, info: ReportInfo) -> str:
    # the village where the households name one: without a village column the line said 村 – and nothing else
    # (a column no row has is left out, as the tables leave it out)
    village = info.village_in(lang)
    rows = [*([(t["village"], village)] if village else []), (t["rule"], _rule_text(result.rules, t, lang)),
            (t["date"], info.date or "–"), (t["input"], info.input_file or "–")]
    if info.plan_file:  # an edited plan checked against the result: named, or its report reads as the result's
        rows.append((t["plan_file"], info.plan_file))
    if info.meeting_file:  # the walking findings are measured to its points: named as the plan's file is
        rows.append((t["meeting_file"], info.meeting_file))
    return '<dl class="kv head">' + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows) + "</dl>"


def _summary(result: CheckResult, t: dict[str, str], lang: Lang) -> str:
    s = result.summary()
    badge = (f'<span class="badge pass">{t["passed"]}</span>' if result.passed
             else f'<span class="badge fail">{t["failed"]}</span>')
    kv = [(t["result"], badge)] + [(t[k], number(s[f"n_{k}"], lang)) for k in
                                   ("households", "assigned", "units", "units_ok", "units_exception", "errors",
                                    "warnings")]
    if s["n_unchecked"]:  # the rules not checked, apart from the warnings, as the console and the JSON count them
        kv.append((t["unchecked"], str(s["n_unchecked"])))
    return '<dl class="kv">' + "".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in kv) + "</dl>"


def _overview(result: CheckResult, t: dict[str, str], lang: Lang) -> str:
    """The findings by code, errors first, each with its count and a link to its group below; then links to the
    rules and the units table (a phone sees what matters first and jumps to it)."""
    out = ""
    groups = _groups(result.violations)
    if groups:
        items = [f'<li class="{"bad" if sev == "error" else "warn"}"><a href="#f{i}">{code_words_html(code, lang)}</a>'
                 f'<span class="n">{len(rows)}</span></li>' for i, (code, sev, rows) in enumerate(groups, 1)]
        out += f'<p class="small">{toc_head(t["counts"], lang)}</p><ul class="toc">{"".join(items)}</ul>'
    links = [("findings", t["viol_list"]), ("rules", t["rules"]), ("units", t["unit_table"])]
    return out + f'<p class="jump">{_e(t["jump"])}' + "".join(
        f'<a href="#{a}">{_e(words)}</a>' for a, words in links) + "</p>"


def _groups(v: pd.DataFrame) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """The findings by code: (code, severity, rows), errors first, else in the order the check found them (its
    rules' order); the rows of a code in their order too."""
    order: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for rec in v.to_dict("records"):
        order.setdefault((str(rec["code"]), str(rec["severity"])), []).append(rec)
    keys = sorted(order, key=lambda k: k[1] != "error")  # stable: errors first, else as found
    return [(code, sev, order[(code, sev)]) for code, sev in keys]


#: rows of a list shown on a screen before "… and N more" (all of them are printed)
SHOW_FINDINGS = 3
SHOW_ROWS = 10
#: a unit name longer than this wraps in the units table (7 em to 40 % of the screen wide), so that kept in place on a
#: phone it leaves room for the columns scrolling past it; a shorter one stays on one line
LONG_NAME = 12


def more_toggle(n_more: int, lang: Lang, key: str) -> str:
    """The "…另有 N 条" line under a list shortened on screen: a ``<details>`` whose opening shows the list's
    hidden rows (CSS ``:has``, no script); never printed, the print shows every row. "" when nothing is hidden."""
    if n_more <= 0:
        return ""
    return (f'<details class="more"><summary><span class="closed">{_e(text(key, lang, count=n_more))}</span>'
            f'<span class="opened">{_e(text("report.fewer", lang))}</span></summary></details>')


def tr(cells: str, classes: tuple[str, ...] = (), *, extra: bool = False) -> str:
    """One table row; ``extra``: a row hidden on a screen until its list is opened (printed all the same)."""
    cls = " ".join((*classes, "extra") if extra else classes)
    return f'<tr class="{cls}">{cells}</tr>' if cls else f"<tr>{cells}</tr>"


def _all_ids(hids: Any, lang: Lang) -> str:
    """Every household id of a finding whose message names only the first few (:data:`MAX_EXAMPLES`, "等，共 N 个"):
    printed in full; on a screen behind "列出全部 N 个户编号" (CSS ``:has``, no script). "" for a short list.

    >>> _all_ids(["a", "b"], "en")
    ''
    >>> "a, b, c, d, e, f</div>" in _all_ids(list("abcdef"), "en")
    True
    """
    ids = [str(h) for h in hids] if isinstance(hids, (list, tuple)) else []
    if len(ids) <= MAX_EXAMPLES:
        return ""
    return (f'<details class="ids"><summary><span class="closed">{_e(text("report.show_ids", lang, count=len(ids)))}'
            f'</span><span class="opened">{_e(text("report.fewer", lang))}</span></summary></details>'
            f'<div class="allids">{_e(text("report.all_ids", lang, count=len(ids)))}'
            f'{_e(text("list.sep", lang).join(ids))}</div>')


def _split_fix(msg: str, lang: Lang) -> tuple[str, str]:
    """A finding's message without its fix line, and that line ("处理办法：…", "" when it has none).

    >>> _split_fix("院落 A 只有 3 户。\\n  处理办法：并入相邻院落。", "zh")
    ('院落 A 只有 3 户。', '处理办法：并入相邻院落。')
    """
    lead = text("problem.fix", lang, fix="\x00").split("\x00")[0]
    lines = msg.split("\n")
    if len(lines) > 1 and lines[-1].strip().startswith(lead):
        return "\n".join(lines[:-1]), lines[-1].strip()
    return msg, ""


def _checked(required: bool, has_data: bool | None, lang: Lang, t: dict[str, str], missing: str) -> str:
    """"是" when the rule is on and its data is there, "否" when it is off, "未检查（…）" when its data is absent
    (``has_data`` None: unknown, the rule is shown as configured)."""
    if not required:
        return t["no"]
    if has_data is False:
        return text("report.not_checked", lang, why=t[missing])
    return t["yes"]


def unapplied_rules(rules: Rules, columns: Any, lang: Lang, *, settlements: bool = True,
                    head: str = "cli.unapplied.head") -> list[str]:
    """The rules ``rules`` asks for that a household file with ``columns`` cannot serve, each with why: nesting
    by an absent column, whole settlements without a settlement column (``settlements``: whether the command
    needs one; a delineation finds the settlements itself), a candidate head in every unit without a
    candidate-head column (``head``: the message saying it, with what the caller's command can do about it; by
    default naming ``--head-col``, an option of ``check`` and ``delineate``). Empty when every rule can be applied.

    >>> unapplied_rules(Rules(20, 50), ["hid", "group", "head_candidate"], "en")
    ['units not straddling villages (the household file has no such column)', \
'natural settlements kept whole (the household file has no settlement column)']
    >>> unapplied_rules(Rules(20, 50, nest_by=(), keep_settlements=False, require_head=False), [], "zh")
    []
    """
    cols = {str(c) for c in columns}
    out = []
    absent = [c for c in resolve_nest_by(rules.nest_by, cols) if c not in cols]  # 村民小组: the file's group
    if absent:
        out.append(_nest_rule(absent, lang))
    if settlements and rules.keep_settlements and "settlement" not in cols:
        out.append(text("cli.unapplied.settle", lang))
    if rules.require_head and "head_candidate" not in cols:
        out.append(text(head, lang))
    return out


def unknown_nesting(rules: Rules, columns: Any, *, rules_file: str | Path | None = None,
                    households_file: str | None = None) -> None:
    """``RULE-NEST-UNKNOWN`` (raised, one per name) for each ``nest_by`` name of ``rules`` that is neither one of
    the household file's ``columns`` nor a nesting column Yuanluo knows (:func:`nesting_name`): a typo ("grop"),
    which would otherwise leave the nesting unapplied. The message names the rules' source (``rules_file``, its
    key ``nest_by``), the name, and the columns the household file (``households_file``) has.

    >>> unknown_nesting(Rules(20, 50, nest_by=("village", "村民小组", "乡镇")), ["乡镇"])
    >>> try:
    ...     unknown_nesting(Rules(20, 50, nest_by=("village", "grop")), ["group", "geometry"], rules_file="r.toml")
    ... except Exception as e:
    ...     print(e.problems[0].code, e.problems[0].params["name"], "r.toml" in e.problems[0].message("en"))
    RULE-NEST-UNKNOWN grop True
    """
    from yuanluo.gis.catalogue import both, joined
    from yuanluo.gis.errors import InputError, problem

    cols = [str(c) for c in columns if str(c) != "geometry"]
    bad = [n for n in rules.nest_by if n not in cols and nesting_name(n) is None]
    if not bad:
        return
    where = (both("cli.nest.where.file", file=str(rules_file)) if rules_file is not None
             else both("cli.nest.where.rules"))
    raise InputError([problem("RULE-NEST-UNKNOWN", name=n, where=where, households=households_file or "-",
                              known=joined(NESTING), columns=joined(cols) if cols else both("cli.nest.no_columns"))
                      for n in bad])


def unapplied_problems(rules: Rules, columns: Any, *, settlements: bool = True, head: str = "cli.unapplied.head",
                       done: str = "check", households_file: str | None = None, rules_file: str | Path | None = None,
                       result: str | None = None) -> list[Any]:
    """``RULE-UNAPPLIED`` warnings, one per rule ``rules`` asks for that a household file with ``columns`` cannot
    serve (the rules :func:`unapplied_rules` lists, each said in its sentence, with the column it lacks and the
    fix). ``done``: "check" (the rule was not checked) or "apply" (it was not applied); ``households_file``: the
    file named in the fix; ``rules_file``: the rule file the rules came from (its setting to change is named), else
    the fix says to write one (with the preset, or the bounds, and the setting) and give it with --rules;
    ``result``: the Yuanluo result the households were read from, whose columns come from the household file it
    was delineated from (``households_file``, None when unknown): the columns go there, then a new delineation.
    Each file is named by its name alone, as the reports name their input: these warnings reach the check
    report, its CSV and JSON and a result's ``run`` table, which travel without the folders of the machine that
    wrote them (a result's source was named as its ``run`` table records it, ../../work/…/hh.gpkg).

    >>> [p.message("en").splitlines()[0] for p in unapplied_problems(Rules(20, 50, keep_settlements=False),
    ...                                                               ["hid", "group", "head_candidate"])]
    ['Warning RULE-UNAPPLIED: rule not checked: units not straddling villages (the household file has no such \
column).']
    >>> p = unapplied_problems(Rules(20, 50, name="banan", keep_settlements=False, require_head=False), ["group"],
    ...                        households_file="hh.csv", result="r.gpkg")[0]
    >>> p.fix("en")
    'add this column to the household file hh.csv, then delineate again (the result r.gpkg was delineated from \
it); or write a rule file with preset = "banan", require_head = false, keep_settlements = false and nest_by = \
["group"] under [rules] and give it with --rules.'
    >>> p = unapplied_problems(Rules(20, 50, keep_settlements=False, require_head=False), ["group"],
    ...                        households_file="../../data/hh.gpkg", result="/tmp/x/r.gpkg", rules_file="/a/r.toml")
    >>> "/" in p[0].fix("en") + p[0].fix("zh")
    False
    """
    from yuanluo.gis.catalogue import LANGS, both
    from yuanluo.gis.errors import problem

    households_file, result = (None if f is None else Path(f).name for f in (households_file, result))
    rules_file = None if rules_file is None else Path(rules_file).name
    cols = {str(c) for c in columns}
    done_t = both(f"cli.unapplied.done.{done}")
    file = households_file or "-"
    out = []
    # a name the reader maps onto a column the file has (村民小组 → group) is that column: applied, not absent
    absent = [c for c in resolve_nest_by(rules.nest_by, cols) if c not in cols]
    sample = head == "cli.unapplied.head_sample"  # the demo: the sample file is not the user's to mend

    def fix(add: str, setting: str, **kw: Any) -> dict[Lang, str]:
        """The fix of one rule: its columns added where they belong (``add``), or ``setting`` written in the rules
        (in the rule file given, else in a new one)."""
        return {lg: text("cli.unapplied2.fix", lg, add=_add_columns(add, lg, households_file, result, **kw),
                         change=_rules_change(rules, setting, rules_file, lg)) for lg in LANGS}

    if absent:
        rule = {lg: _nest_rule(absent, lg) for lg in LANGS}
        many = "_many" if len(nesting_to_add(absent)) > 1 else ""  # one column or several, each said as it reads
        if sample:
            how = {lg: text(f"cli.unapplied.fix.nest_sample{many}", lg, households=file,
                            names=listed([f"“{c}”" for c in absent], lg, "and")) for lg in LANGS}
        else:  # the names as the rules write them
            kept = [c for c in rules.nest_by if resolve_nest_by([c], cols)[0] not in absent]
            how = fix(f"cli.unapplied2.add.nest{many}", f"nest_by = {json.dumps(kept, ensure_ascii=False)}")
        out.append(problem("RULE-UNAPPLIED", severity="warning", done=done_t, rule=rule, how=how, column=absent))
    if settlements and rules.keep_settlements and "settlement" not in cols:
        out.append(problem("RULE-UNAPPLIED", severity="warning", done=done_t, rule=both("cli.unapplied.settle"),
                           how=fix("cli.unapplied2.add.settle", "keep_settlements = false"), column=["settlement"]))
    if rules.require_head and "head_candidate" not in cols:
        head_how: dict[Any, str] = (
            both("cli.unapplied.fix.head_sample") if sample else
            fix("cli.unapplied2.add.head" if head == "cli.unapplied.head" else "cli.unapplied2.add.head_any",
                "require_head = false"))
        out.append(problem("RULE-UNAPPLIED", severity="warning", done=done_t, rule=both(head), how=head_how,
                           column=["head_candidate"]))
    return out


def _add_columns(key: str, lang: Lang, households: str | None, result: str | None) -> str:
    """Where a rule's missing columns go: the household file ``households``; for a ``result`` read, the household
    file it was delineated from (``households``, or unnamed when unknown), then a new delineation.

    >>> _add_columns("cli.unapplied2.add.nest_many", "zh", None, "r.gpkg")
    '在划分出结果 r.gpkg 的农户表中补上这些列，再重新划分'
    """
    if result is None or households is None:
        where = (text("cli.unapplied2.file", lang, file=households or "-") if result is None
                 else text("cli.unapplied2.source_unknown", lang, result=result))
        again = "" if result is None else text("cli.unapplied2.again", lang)
    else:
        where = text("cli.unapplied2.file", lang, file=households)
        again = text("cli.unapplied2.again_from", lang, result=result)
    return text(key, lang, households=where) + again


def _rules_change(rules: Rules, setting: str, rules_file: str | Path | None, lang: Lang) -> str:
    """How to write ``setting`` (``require_head = false``) in the rules: in the rule file they came from, else in a
    new rule file that starts from their preset (or bounds), given with --rules (--preset and --rules together
    are refused, so the file names the preset).

    >>> _rules_change(Rules(12, 30), "require_head = false", None, "en")
    'write a rule file with min_size = 12, max_size = 30 and require_head = false under [rules] and give it with \
--rules'
    >>> _rules_change(Rules(12, 30), "require_head = false", None, "zh")
    '写一个规则文件，在 “[rules]” 下写 “min_size = 12”、“max_size = 30”、“require_head = false”，再用 “--rules” 给出'
    >>> _rules_change(Rules(20, 50, name="banan"), 'nest_by = ["group"]', None, "zh")
    '写一个规则文件，在 “[rules]” 下写 preset = "banan"、nest_by = ["group"]，再用 “--rules” 给出'
    >>> _rules_change(Rules(18, 25, name="changshou"), "require_head = false", None, "en")  # --preset changshou --min 18
    'write a rule file with preset = "changshou", min_size = 18 and require_head = false under [rules] and give it \
with --rules'
    """
    if rules_file is not None:
        return text("cli.unapplied2.in_file", lang, file=str(rules_file), lines=_setting_lines([setting], lang))
    from yuanluo.planners.presets import PRESETS

    bounds = [f"{key} = {getattr(rules, key)}" for key in ("min_size", "max_size")  # a bound --min/--max changed
              if rules.name not in PRESETS or getattr(rules, key) != PRESETS[rules.name][key]]
    base = [f"preset = {json.dumps(rules.name, ensure_ascii=False)}"] if rules.name in PRESETS else []
    base += bounds
    return text("cli.unapplied2.new_file", lang,
                lines=_setting_lines([*base, *_own_settings(rules, setting), setting], lang))


def _own_settings(rules: Rules, setting: str) -> list[str]:
    """The lines a rule file needs beside its preset (or bounds) to say ``rules`` again: every setting whose value
    is not the one the preset (or bounds) alone gives, but the one ``setting`` (``keep_settlements = false``)
    changes. A result read records rules a rule file set (``max_walk_min = 15``): a fix writing the preset and the
    one setting alone would check the plan under other rules (no walking limit) without saying so.

    >>> _own_settings(Rules(15, 25, name="changshou", nest_by=("村", "组"), max_walk_min=15.0),
    ...               "keep_settlements = false")
    ['nest_by = ["村", "组"]', 'max_walk_min = 15']
    >>> _own_settings(Rules(15, 25, nest_by=("group",)), 'nest_by = ["group"]')
    []
    """
    from yuanluo.gis.rules import toml_value

    plain = Rules(rules.min_size, rules.max_size)
    changed = setting.partition("=")[0].strip()
    out = []
    for key in ("size_by", "nest_by", "require_head", "heads_for_size", "keep_settlements", "max_walk_min",
                "join_limit_min"):
        value = getattr(rules, key)
        if key == changed or value is None or value == getattr(plain, key):
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        out.append(f"{key} = {toml_value(list(value) if isinstance(value, tuple) else value)}")
    return out


def _setting_lines(lines: list[str], lang: Lang) -> str:
    """Lines of a rule file, listed as a sentence says them: quoted once. Chinese sets code apart in “” unless a
    line has quotes of its own (preset = "banan" is not quoted again); English writes code as it is.

    >>> _setting_lines(['preset = "banan"', "require_head = false"], "en")
    'preset = "banan" and require_head = false'
    >>> _setting_lines(["require_head = false"], "zh")
    '“require_head = false”'
    """
    from yuanluo.gis.rules import listed

    if lang == "zh" and not any('"' in x or "'" in x for x in lines):
        lines = [f"“{x}”" for x in lines]
    return listed(lines, lang, "and")


def _graph_text(result: CheckResult, lang: Lang, t: dict[str, str], info: ReportInfo) -> str:
    """What the walking graph was built from: a DEM (slope) or straight lines on flat ground, and the
    layers that cut it."""
    if info.columns is None and not info.dem and not info.barriers:
        return t["graph_terrain"] if result.graph_kind == "terrain" else t["graph_straight"]
    return walking_basis(info, lang)


def walking_basis(info: ReportInfo, lang: Lang) -> str:
    """What walking times were computed over, in words: the DEM's slopes or flat straight lines, and the layers
    that cut the walk (for the check and coverage reports).

    >>> walking_basis(ReportInfo(barriers=("rivers",)), "en")
    'straight lines walked as if flat (no elevation given, slopes not considered); rivers cut the walk'
    """
    base = text("report.graph_dem", lang, dem=info.dem) if info.dem else text("report.graph_flat", lang)
    if info.barriers:
        layers = text("report.sep", lang).join(text(f"report.layer_{b}", lang) for b in info.barriers)
        return base + text("report.graph_cut", lang, layers=layers)
    return base + text("report.graph_nocut", lang)


def _nest_rule(absent: list[str], lang: Lang) -> str:
    """The nesting rule the ``nest_by`` names ``absent`` leave unapplied, in the words of ``lang``, for one column
    and for several (村民小组 and group: the one column group).

    >>> _nest_rule(["village", "group"], "en"), _nest_rule(["村民小组"], "zh")
    ('units not straddling villages or villager groups (the household file has no such columns)', \
'院落不跨村民小组（农户表没有这一列）')
    """
    adds = nesting_to_add(absent)
    return text("cli.unapplied.nest_many" if len(adds) > 1 else "cli.unapplied.nest", lang,
                columns=listed([_col_word(c, lang) for c in adds], lang))


def _col_word(column: str, lang: Lang) -> str:
    """A nesting column in the words of ``lang`` (village → 村), or as it is named when the catalogue has none.

    >>> _col_word("village", "zh"), _col_word("group", "en"), _col_word("乡镇", "zh")
    ('村', 'villager groups', '乡镇')
    """
    return text(f"cli.unapplied.col.{column}", lang) if has(f"cli.unapplied.col.{column}") else column


def kept_levels(nest_by: Any, columns: Any, lang: Lang, word: Callable[[str], str] | None = None) -> list[str]:
    """What a unit is kept inside under ``nest_by``, in the words of ``lang``, for a household file with
    ``columns`` (None when unknown: the ``nest_by`` columns as given). With the columns known, these are the
    columns the nest key compares (:func:`yuanluo.gis.keys.key_columns`): each present ``nest_by`` column and the
    coarser administrative levels above it, the levels first, coarsest first. A town column (乡镇, 街道 …) is
    said as the towns; a village division-code column is no level of its own (it tells villages of one name
    apart) and is not said. ``nest_by`` names are read as the check reads them (:func:`resolve_nest_by`:
    村民小组 is the file's ``group``); ``word`` says any other column (by default as :func:`_col_word` does).

    >>> kept_levels(("village", "group"), {"乡镇", "village", "group", "hid"}, "zh")
    ['乡镇', '村', '村民小组']
    >>> kept_levels(("group",), {"镇", "村代码", "village", "group"}, "en")
    ['towns', 'villages', 'villager groups']
    >>> kept_levels(("settlement", "group"), {"group", "settlement"}, "zh"), kept_levels(("group",), None, "en")
    (['村民小组', '自然院落'], ['villager groups'])
    >>> kept_levels(("行政村", "村民小组"), {"乡镇", "village", "group"}, "zh")
    ['乡镇', '村', '村民小组']
    """
    from yuanluo.gis.columns import code_columns, town_columns
    from yuanluo.gis.keys import key_columns, levels

    say = word or (lambda c: _col_word(c, lang))
    if columns is None:
        return list(dict.fromkeys(say(str(c)) for c in nest_by))
    frame = pd.DataFrame(columns=sorted(map(str, columns)))  # a set of names: sorted, the same words every run
    key = key_columns(frame, resolve_nest_by(nest_by, frame.columns))
    lv = [c for c in levels(frame.columns) if c in key]
    towns, codes = set(town_columns(lv)), set(code_columns(lv))
    words = [text("report.nest_town", lang) if c in towns else say(c)
             for c in [*lv, *(c for c in key if c not in lv)] if c not in codes]
    return list(dict.fromkeys(words))


def _rules_list(result: CheckResult, lang: Lang, t: dict[str, str], info: ReportInfo) -> str:
    """The rules, each with whether it was checked, and what the walking graph was built from: the nesting as
    the levels a unit is kept inside (:func:`kept_levels`: with a town column, the towns first)."""
    r, cols = result.rules, info.columns
    sep = t["sep"]
    present = sep.join(kept_levels(r.nest_by, cols, lang))
    absent = [_col_word(c, lang) for c in (r.nest_by if cols is None else resolve_nest_by(r.nest_by, cols))
              if cols is not None and c not in cols]
    missing = text("report.not_checked_cols", lang, columns=sep.join(absent)) if absent else ""
    nest = t["sep"].join(x for x in (present, missing) if x) or "–"
    walk = t["walk_none"]  # no walking limit set: said in words, not a dash (a dash reads as "not known")
    if r.max_walk_min:
        walk = f'{_num(r.max_walk_min, lang=lang)} {t["minutes"]}'
        if result.centres:  # a unit without a meeting point: measured to its centre
            walk += " · " + text("report.centre", lang)
        elif cols is not None and not info.meeting_points:
            walk += " · " + _checked(True, False, lang, t, "no_meeting")
    head = _checked(r.require_head, None if cols is None else "head_candidate" in cols, lang, t, "no_head_col")
    if head == t["yes"] and r.heads_for_size is not None and r.heads_for_size < r.max_size:
        # the management group as the plan's rules sheet says it (PLAN-FEW-HEADS is checked): two above the size
        head = text("plan.rules.heads_for_size", lang, yes=head, size=r.heads_for_size,
                    unit=t["size_by_persons"] if r.size_by == "persons" else t["size_by_households"])
    kv = [
        (t["band"], _rule_text(r, t, lang)),
        (t["nest"], nest),
        (t["settle"], _checked(r.keep_settlements, None if cols is None else "settlement" in cols, lang, t,
                               "no_settle_col")),
        (t["head"], head),
        (t["walk"], walk),
        (t["graph"], _graph_text(result, lang, t, info)),
    ]
    return '<dl class="kv">' + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in kv) + "</dl>"


def _units_table(result: CheckResult, t: dict[str, str], lang: Lang) -> str:
    u = result.units
    has_walk = "mean_walk_min" in u.columns and u["mean_walk_min"].notna().any()
    has_persons = "persons" in u.columns and pd.to_numeric(u["persons"], errors="coerce").notna().any()
    heads = [t["unit"], t["n_households"]] + ([t["persons"]] if has_persons else []) + [t["status"], t["codes"]]
    if has_walk:
        heads += [t["walk_mean"], t["walk_max"]]
    # the candidate heads where the households have a candidate-head column (the check's units table has them then)
    has_heads = "n_heads" in u.columns
    if has_heads:
        heads += [text(f"field.{c}", lang) for c in ("n_heads", "head_hid", "head_candidates")]
    rows: list[str] = []
    for rec in u.to_dict("records"):
        bad = rec["status"] == "violation"
        cells = [
            f"<td class='{'long' if len(str(rec['unit_id'])) > LONG_NAME else 'nw'}'>{_e(rec['unit_id'])}</td>",
            f'<td class="num">{_num(rec["n_households"], lang=lang)}</td>',
            *([f'<td class="num">{_num(rec["persons"], lang=lang)}</td>'] if has_persons else []),
            f"<td class='nw'>{_e(t['violation'] if bad else t['exception'] if rec['status'] == 'exception' else t['ok'])}</td>",
            f"<td class='codes'>{_e(t['sep']).join(code_words_html(c.strip(), lang) for c in _join(rec.get('codes')).split(',') if c.strip())}</td>",
        ]
        if has_walk:
            cells += [f'<td class="num">{_num(rec["mean_walk_min"], 1, lang)}</td>',
                      f'<td class="num">{_num(rec["max_walk_min"], 1, lang)}</td>']
        if has_heads:
            cells += [f'<td class="num">{_num(rec["n_heads"], lang=lang)}</td>',
                      f"<td class='nw'>{_e(rec['head_hid'])}</td>",
                      f"<td class='heads'>{_id_list(rec.get('head_candidates'), t['sep'])}</td>"]
        rows.append(tr("".join(cells), ("bad",) if bad else (), extra=len(rows) >= SHOW_ROWS))
    # a unit whose heads were walked to its centre (no meeting point given for it): said once, above the table
    centre = has_heads and (result.meeting_points is None or result.centres)
    note = f'<p class="small">{_e(text("report.head_centre", lang))}</p>' if centre else ""
    return (note + '<div class="rows"><p class="swipe small">' + _e(t["swipe"]) + '</p><div class="wide"><div class="scroll">'
            '<table class="units"><thead><tr>' + "".join(f"<th>{_e(h)}</th>" for h in heads)
            + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></div></div>"
            + more_toggle(len(rows) - SHOW_ROWS, lang, "report.more_units") + "</div>")


def _id_list(ids: Any, sep: str) -> str:
    """Household ids (a list, or one text) as a cell of the units table: each kept on one line, the list wrapping
    between them, joined by ``sep`` (、 or ", ").

    >>> _id_list(["H1", "<H2>"], "、"), _id_list([], ", "), _id_list(None, ", ")
    ('<span class="nb">H1</span>、<span class="nb">&lt;H2&gt;</span>', '', '')
    """
    if isinstance(ids, str):
        ids = [ids] if ids.strip() else []
    if not isinstance(ids, list | tuple):
        return ""
    return _e(sep).join(f'<span class="nb">{_e(h)}</span>' for h in ids)


def _violations_table(result: CheckResult, t: dict[str, str], lang: Lang) -> str:
    """The findings grouped by code, errors first: a heading with the code's words, severity and count (the
    overview links to it), the fix once when every finding of the code has the same, then unit and message (a fix
    the same as one said above under a unit: "同院落 U002（见上）"); on a screen the first :data:`SHOW_FINDINGS`
    rows and "…另有 N 条", in print every row."""
    v = result.violations
    if not len(v):
        return f"<p>{_e(t['none'])}</p>"
    from yuanluo.gis.check import violation_message

    out = []
    for i, (code, sev, recs) in enumerate(_groups(v), 1):
        cls = "bad" if sev == "error" else "warn"
        msgs = [_split_fix(violation_message(pd.Series(rec), lang, body=True), lang) for rec in recs]
        fixes = {fix for _, fix in msgs}
        one_fix = fixes.pop() if len(fixes) == 1 else ""
        group = ("report.group_errors" if sev == "error" else  # a rule not checked: counted apart, as in the summary
                 "report.group_unchecked" if code == "RULE-UNAPPLIED" else "report.group_warnings")
        count = text(group, lang, count=len(recs))
        out.append(f'<h3 id="f{i}" class="{cls}">{code_words_html(code, lang)} <span class="small">{_e(count)}</span>'
                   "</h3>")
        has_unit = any(_e(rec["unit_id"]) for rec in recs)
        rows = []
        said: dict[str, str] = {}  # a fix said in full → the unit it was said under
        for k, (rec, (body, fix)) in enumerate(zip(recs, msgs, strict=True)):
            unit_id = str(rec["unit_id"]) if _e(rec["unit_id"]) else ""
            if fix and fix in said:  # the same fix as a unit's above (an area's, said of each of its units)
                fix = text("problem.fix", lang, fix=text("report.fix_as", lang, unit=said[fix]))
            elif fix and unit_id:
                said[fix] = unit_id
            msg = body if one_fix else "\n".join(x for x in (body, "  " + fix if fix else "") if x)
            unit = f'<td class="unit">{_e(rec["unit_id"])}</td>' if has_unit else ""
            rows.append(tr(f'{unit}<td class="msg">{message_html(msg)}{_all_ids(rec.get("hids"), lang)}</td>', (cls,),
                           extra=k >= SHOW_FINDINGS))
        heads = ([t["unit"]] if has_unit else []) + [t["message"]]
        out.append('<div class="rows"><div class="scroll"><table><thead><tr>'
                   + "".join(f"<th>{_e(h)}</th>" for h in heads) + "</tr></thead><tbody>" + "".join(rows)
                   + "</tbody></table></div>" + more_toggle(len(recs) - SHOW_FINDINGS, lang, "report.more_findings")
                   + "</div>" + (f'<p class="fix">{message_html(one_fix)}</p>' if one_fix else ""))
    return "".join(out)


# ---------------------------------------------------------------------------------------- files
def _shown_ids(result: CheckResult) -> list[object]:
    """The household ids a report of ``result`` shows: those of each finding, the meeting points and the units'
    candidate heads."""
    ids: list[object] = []
    if "hids" in result.violations.columns:
        for hs in result.violations["hids"]:
            if isinstance(hs, (list, tuple, set)):
                ids.extend(hs)
    if result.meeting_points is not None:
        ids.extend(x for x in result.meeting_points.tolist() if x is not None and x == x)
    for col in ("head_hid", "head_candidates"):  # the units' candidate heads (plan_heads), where known
        for x in result.units.get(col, ()):
            ids.extend(h for h in (x if isinstance(x, list | tuple) else [x]) if isinstance(h, str) and h.strip())
    return ids


def _shown_units(result: CheckResult) -> dict[str, list[object]]:
    """The unit ids a report of ``result`` shows (its units table, each finding's unit, the meeting points'
    units), as :func:`yuanluo.gis.personal.require_page_ids` takes them (``also``)."""
    units: list[object] = []
    if "unit_id" in result.units.columns:
        units.extend(result.units["unit_id"].tolist())
    if "unit" in result.violations.columns:
        units.extend(result.violations["unit"].tolist())
    if result.meeting_points is not None:
        units.extend(result.meeting_points.index.tolist())
    return {"unit": [u for u in units if u is not None and u == u]}


def write_html(result: CheckResult, path: str | Path, *, lang: Lang = "zh", title: str | None = None,
               info: ReportInfo | None = None, overwrite: bool = False, include_personal: bool = False) -> Path:
    """Write :func:`render_html` to ``path`` (UTF-8, atomic).

    Checked before any work, as the outputs of ``yuanluo check``: an existing file is ``OUT-EXISTS`` unless
    ``overwrite=True`` (never replaced without a word: the household table beside the report is a file too), a
    name not ending in ``.html`` or ``.htm`` is ``OUT-SUFFIX``. Inside a command's transaction its
    ``--overwrite`` decides (:func:`yuanluo.gis.output.require_writer_free`). Household ids that are id-card or
    phone numbers need ``include_personal=True`` (:func:`render_html`).
    """
    require_writer_free([(path, HTML_SUFFIXES)], overwrite=overwrite)
    page = render_html(result, lang=lang, title=title, info=info, include_personal=include_personal)
    return write_bytes(path, page.encode("utf-8"), overwrite=overwrite)


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for rec in df.to_dict("records"):
        clean: dict[str, Any] = {}
        for k, x in rec.items():
            if isinstance(x, float) and math.isnan(x):
                clean[str(k)] = None
            elif hasattr(x, "item") and not isinstance(x, (list, tuple)):
                clean[str(k)] = x.item()
            elif x is pd.NA:
                clean[str(k)] = None
            else:
                clean[str(k)] = x
        out.append(clean)
    return out


def write_json(result: CheckResult, path: str | Path, *, overwrite: bool = False,
               info: ReportInfo | None = None) -> Path:
    """Write the summary, units and violations as JSON (UTF-8, atomic, sorted keys); with ``info``, the summary's
    ``inputs`` name the household file, the plan's (``plan``: null for a column of the household file) and the
    ``--meeting-points`` file (``meeting_points``: null when none was given), as the HTML report's header does. An existing file is ``OUT-EXISTS`` unless ``overwrite=True``, a name not ending in
    ``.json`` ``OUT-SUFFIX``, before any work (see :func:`write_html`)."""
    require_writer_free([(path, (".json",))], overwrite=overwrite)
    summary = result.summary()
    if info is not None:
        summary["inputs"] = {"households": info.input_file or None, "plan": info.plan_file or None,
                             "meeting_points": info.meeting_file or None}
    doc = {"summary": summary, "units": _records(result.units),
           "violations": _records(result.violations)}
    doc_text = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True, default=str)
    return write_bytes(path, doc_text.encode("utf-8"), overwrite=overwrite)


def write_csv(result: CheckResult, path: str | Path, *, lang: Lang = "zh",
              overwrite: bool = False) -> tuple[Path, Path]:
    """Write the violations (one row each) to ``path`` and the units table to ``<stem>_units.csv`` beside it:
    the files ``yuanluo check --csv`` writes (:func:`yuanluo.planners.tables.check_csv_bytes`; headers in
    ``lang``, UTF-8 with a byte-order mark, no cell a spreadsheet would run as a formula). Returns the two paths.
    Both are written, or neither. Checked before any work: an existing file of the two is ``OUT-EXISTS`` unless
    ``overwrite=True``, a ``path`` not ending in ``.csv`` is ``OUT-SUFFIX`` (see :func:`write_html`). The findings
    are said as the command line says them, as the report says them (:func:`render_html`): the tables are for the
    planner.
    """
    from yuanluo.planners.tables import check_csv_bytes, check_csv_paths

    outputs: list[tuple[str | Path, tuple[str, ...]]] = [(path, (".csv",))]
    if Path(path).name:  # no name at all: OUT-NAME-EMPTY says so, and there is no units file to name
        outputs.append((check_csv_paths(path)[1], (".csv",)))
    require_writer_free(outputs, overwrite=overwrite)
    vpath, upath = check_csv_paths(path)
    vb, ub = check_csv_bytes(result.for_planner().violations, result.units, lang)
    with joined(overwrite):  # the findings and the units placed together, or neither
        return write_bytes(vpath, vb, overwrite=overwrite), write_bytes(upath, ub, overwrite=overwrite)
