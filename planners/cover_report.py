"""The coverage report of ``yuanluo cover --report``: one self-contained HTML page for a phone and for A4 print.

In reading order: the header (village(s) if named, date, input file, the walking limit), the answer first (how many
households are within 5/10/15 minutes of a service point, how many are farther or cannot reach one), an overview
whose lines link to the sections below, the households not covered by why (cannot reach any point: id, town where
the households have a town column, village, group; farther than the limit: also the nearest point and minutes, the
farthest first), the quality of the siting in plain words (solved exactly, or a heuristic with its proven bound and
gap), the service points by level with the village and group each serves (a point serving several villages
under each, with that village's households), the households they serve and their mean
and longest walk, and the coverage of every village and group. On a phone each long list shows its first rows and
"…另有 N 户" (the check report's ``more_toggle``); printed, every row.

The page reuses the check report's conventions (:mod:`yuanluo.planners.report`): inline CSS only, no script, no
image, no link; a Content-Security-Policy allowing the one stylesheet by hash (the page's font subset in it,
:mod:`yuanluo.maps.webfont`); every text escaped; ``@page A4``
margin boxes with title, date and "page n of m"; table headers repeated and rows never split in print. It names
households by id, town, village and group only: no other household column reaches the page.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from yuanluo.gis.catalogue import Lang, has, number, planner_words, text
from yuanluo.gis.cover import band_edges
from yuanluo.gis.validate import page_text
from yuanluo.maps.offline import add_csp
from yuanluo.maps.webfont import embed
from yuanluo.planners.cover import (
    SEP,
    Coverage,
    level_names,
    no_hub,
    own_name,
    served_in,
    served_rows,
    shown_name,
    split_name,
    town_names,
)
from yuanluo.planners.report import (
    _CSS,
    SHOW_ROWS,
    ReportInfo,
    _e,
    _num,
    info_page_css,
    more_toggle,
    report_date,
    toc_head,
    tr,
    walking_basis,
)

#: the order the levels of service points are listed in
LEVEL_ORDER = ("village", "group", "hub", "mobile", "fixed")
#: the walking bands of the coverage table when the limit is 15 (another limit is one of the bands:
#: :func:`yuanluo.gis.cover.band_edges`)
BANDS = (5, 10, 15)

_EXTRA_CSS = """
.answer{font-size:1.05em;font-weight:bold;margin:.3em 0}
table.bands{width:auto;min-width:60%}
tr.total td{font-weight:bold;background:#f3f3f3}
.scroll+.scroll{margin-top:.8em}
table.hubs td:nth-child(2){white-space:nowrap}
p>span.id{display:inline-block}
p.idlist{line-height:1.7;overflow-wrap:anywhere}
@supports selector(:has(a)){@media screen{.rows:not(:has(details.more[open])) p.idlist span.extra{display:none}}}
@media screen and (max-width:600px){.small,table{font-size:13px}}
@media print{tr.total td{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 table.list td{padding:1px 6px;font-size:9pt;line-height:1.25}}
"""

#: on a phone (under 600 px) a table of service points, of coverage or of households not covered is a card per
#: row: each cell a line, its column's heading first (``data-h``), an id or name never broken inside; on a wide
#: screen and printed, the table
_CARD_CSS = """
@media screen and (max-width:600px){table.cards thead{display:none}
 table.cards,table.cards tbody,table.cards tr{display:block;width:100%}
 table.cards tr{border:1px solid #bbb;border-radius:4px;margin:0 0 6px;overflow:hidden}
 table.cards td{display:flex;gap:10px;border:0;border-bottom:1px solid #e6e6e6;padding:3px 8px;
  text-align:left;white-space:normal;word-break:keep-all;overflow-wrap:anywhere}
 table.cards td:last-child{border-bottom:0}
 table.cards td::before{content:attr(data-h);flex:0 0 42%;color:#555;word-break:normal}
 table.cards span.id{display:inline-block}
 table.hubs.cards td:nth-child(2){white-space:normal}
 table.cards tr.total td{background:#f3f3f3}
 .scroll:has(table.cards){overflow:visible;background:none}}
"""

#: with a town column before the village (the households had one), a name is broken at its spaces only, not
#: between any two characters: on a phone 胜利村 一组 stays two lines, not five (the table scrolls sideways
#: instead). In the list of households not covered a household's id, group (二组, not 二 over 组) and nearest point
#: are kept whole, its town and village (``td.name``) break where they must, so that the walk stays on the screen
_TOWN_CSS = ("table.hubs td:not(.num),table.areas td:not(.num),table.list td:not(.num){word-break:keep-all}\n"
             "table.list td.name{word-break:normal}\n")


def _t(key: str, lang: Lang, **params: Any) -> str:
    return text(f"coverreport.{key}", lang, **params)


def _pct(part: float, whole: float) -> str:
    """A share in per cent with one decimal ("–" of nothing).

    Examples
    --------
    >>> _pct(1, 3), _pct(0, 0)
    ('33.3', '–')
    """
    return f"{100.0 * part / whole:.1f}" if whole else "–"


#: an id joined by hyphens or slashes (V001-G5, 3/12) in a cell's escaped text (a line may break after its "-"),
#: with the list's comma after it (else a line may start with 、)
_JOINED = re.compile(r"[^\s<>&;,、，；]+(?:[-/][^\s<>&;,、，；]+)+[,、，；]?")
#: a cell's text that may wrap between its words or list items (a space, 、, ，, a comma)
_SEVERAL = re.compile(r"[\s、，,]")


def _whole_ids(cell: str) -> str:
    """A cell's escaped text with each hyphen-joined id of a list kept whole (``span.id``, :data:`_CARD_CSS`),
    where the text may wrap: a phone's card breaks a list of groups between the ids, never as "V001-" over "G5";
    a single id or name is left as it is (it wraps only where it is longer than the line).

    >>> _whole_ids("V001-G4、V001-G5")
    '<span class="ids"><span class="id">V001-G4、</span><span class="id">V001-G5</span></span>'
    >>> _whole_ids("V001-G5"), _whole_ids("胜利村 一组")
    ('V001-G5', '胜利村 一组')
    >>> _whole_ids("A-1, &quot;B-2&quot;")
    '<span class="ids"><span class="id">A-1,</span> &quot;<span class="id">B-2</span>&quot;</span>'
    """
    plain = html.unescape(cell)
    if not _SEVERAL.search(plain.strip()) or not _JOINED.search(cell):
        return cell
    # one element for the flex line of a card (its items are the heading and this), the ids inside it
    return '<span class="ids">' + _JOINED.sub(lambda m: f'<span class="id">{m[0]}</span>', cell) + "</span>"


def _labelled(row: str, heads: list[str]) -> str:
    """A row's cells each with its column's heading (``data-h``), which a phone shows before the value, and the
    ids of a list in a cell kept whole (:func:`_whole_ids`).

    >>> _labelled('<tr><td>V1</td><td class="num">3</td></tr>', ["村", '"户"'])
    '<tr><td data-h="村">V1</td><td data-h="&quot;户&quot;" class="num">3</td></tr>'
    """
    cells = iter(heads)
    # a cell's text is escaped (_fmt, _e): every "<td" of a row is one of its cells, every ">…<" a text
    row = re.sub(r"(<td[^>]*>)([^<]*)(</td>)", lambda m: m[1] + _whole_ids(m[2]) + m[3], row)
    return re.sub("<td", lambda _: f'<td data-h="{_e(next(cells, ""))}"', row)


def _table(heads: list[str], rows: list[str], numeric: set[int] | None = None, cls: str = "",
           more: str = "", *, cards: bool = False) -> str:
    """A table in its sideways-scrolling box; ``more``: the "…另有 N 户" line of a list shortened on a screen
    (:func:`yuanluo.planners.report.more_toggle`), the table and it in one ``.rows`` block; ``cards``: on a narrow
    screen each row a card of "heading value" lines (:data:`_CARD_CSS`), not a table wider than the phone whose
    answer columns are off the screen."""
    numeric = numeric or set()
    if cards:  # each cell says its column's heading, for the stacked rows of a phone (:data:`_CARD_CSS`)
        rows = [_labelled(r, heads) for r in rows]
        cls = f"{cls} cards".strip()
    table = f'<table class="{cls}">' if cls else "<table>"
    th = "".join(f'<th class="num">{_e(h)}</th>' if i in numeric else f"<th>{_e(h)}</th>"
                 for i, h in enumerate(heads))
    box = f'<div class="scroll">{table}<thead><tr>{th}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
    return f'<div class="rows">{box}{more}</div>' if more else box


def _fmt(x: Any, lang: Lang = "zh") -> str:
    """A count as a whole number, minutes with one decimal, a missing value as "–"; in English the thousands
    grouped as the report's sentences write them (:func:`yuanluo.gis.catalogue.number`).

    Examples
    --------
    >>> _fmt(3), _fmt(np.int64(4)), _fmt(9.0), _fmt(float("nan")), _fmt("12.5")
    ('3', '4', '9.0', '–', '12.5')
    >>> _fmt(10000, "en"), _fmt(np.int64(10000)), _fmt(1234.5, "en"), _fmt(float("nan"), "en")
    ('10,000', '10000', '1,234.5', '–')
    """
    if isinstance(x, str):
        return _e(x)
    if isinstance(x, (int, np.integer)):
        return number(int(x), lang)
    f = float(x)
    return "–" if np.isnan(f) else number(f, lang, 1)


def _row(cells: list[Any], numeric: set[int], cls: str = "", *, extra: bool = False,
         names: frozenset[int] = frozenset(), lang: Lang = "zh") -> str:
    """One row; ``extra``: hidden on a screen until its list is opened, printed all the same; ``names``: the
    cells of place names that may break between any two characters on a narrow screen (``td.name``, beside the
    cells kept whole by :data:`_TOWN_CSS`)."""
    tds = "".join(f'<td class="num">{_fmt(c, lang)}</td>' if i in numeric
                  else f'<td class="name">{_e(c)}</td>' if i in names
                  else f"<td>{_e(c)}</td>" for i, c in enumerate(cells))
    return tr(tds, (cls,) if cls else (), extra=extra)


def _text_or_blank(x: Any) -> str:
    return "" if x is None or x is pd.NA or (isinstance(x, float) and np.isnan(x)) else str(x)


def render_cover_report(res: Coverage, *, lang: Lang = "zh", info: ReportInfo | None = None,
                        mobile_within: float | None = None, candidates_file: str | None = None,
                        include_personal: bool = False, fixed_file: str | None = None) -> str:
    """The coverage report of a :class:`yuanluo.planners.cover.Coverage` as one HTML page (CSP by hash);
    ``candidates_file`` names the file the candidate sites came from (``--candidates``), ``fixed_file`` the file of
    the existing points kept (``--fixed``), each said in the header with how many of its points households can
    walk to. Household ids that are
    id-card or phone numbers (the report names households and sites by them) are ID-PERSONAL-PAGE unless
    ``include_personal``."""
    from yuanluo.gis.personal import page_ids, require_page_ids

    ids = res.layers["households"]
    require_page_ids(ids["hid"] if "hid" in ids.columns else ids.index, include_personal=include_personal,
                     page="cover_report", also=page_ids(res.layers))
    lang = "en" if lang == "en" else "zh"
    info = info or ReportInfo(date=report_date())
    # no bidi override turning a name around (page_text), also in the printed margin boxes (CSS, not _e)
    info = replace(info, input_file=page_text(info.input_file), dem=page_text(info.dem))
    title = page_text(_t("title", lang))
    candidates_file = page_text(candidates_file) if candidates_file is not None else None
    fixed_file = page_text(fixed_file) if fixed_file is not None else None
    limit = f"{res.summary['limit_min']:g}"
    hh = res.layers["households"]
    stamp = text("report.stamp", lang)
    towns = ("town" in res.layers["hubs"].columns or "town" in res.layers["coverage"].columns
             or town_names(hh) is not None)  # a town column in the tables, or in the list of households not covered
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"en" if lang == "en" else "zh-CN"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_CSS}{_EXTRA_CSS}{_TOWN_CSS if towns else ''}{_CARD_CSS}"
        f"{info_page_css(lang, title, info)}</style>"
        "</head><body>",
        f'<div class="stamp">{_e(stamp)}</div>',
        f"<h1>{_e(title)}</h1>",
        _header(info, lang, limit, _candidates(res, lang, candidates_file), _fixed(res, lang, fixed_file)),
        f"<h2>{_e(_t('answer', lang))}</h2>",
        _answer(res, lang, limit),
        _overview(res, lang, limit),
        _not_covered(hh, lang, limit),
        f'<h2 id="quality">{_e(_t("quality", lang))}</h2>',
        _quality(res, lang, mobile_within),
        _site_notes(res, lang),
        f'<h2 id="points">{_e(_t("points", lang, count=len(res.layers["hubs"])))}</h2>',
        _hubs(served_in(served_rows(res.layers["hubs"], hh), lang), lang),
        f'<h2 id="areas">{_e(_t("per_area", lang))}</h2>',
        _per_area(res.layers["coverage"], lang),
        f'<p class="small">{_e(_t("no_personal", lang))}</p>',
        f'<p class="small foot">{_e(stamp)} · yuanluo</p></body></html>',
    ]
    return add_csp(embed("\n".join(parts)))


def _candidates(res: Coverage, lang: Lang, file: str | None) -> str:
    """Where the hubs were chosen from: the candidates given (how many, how many anyone can walk to), or the
    households' own locations."""
    s = res.summary
    if s.get("candidates") is None:
        return _t("candidates_homes", lang, count=s.get("candidates_usable", 0))
    return _t("candidates_given", lang, file=file or "–", count=s["candidates"], usable=s["candidates_usable"])


def _fixed(res: Coverage, lang: Lang, file: str | None) -> str | None:
    """The existing points given (``--fixed``): the file, how many, how many households can walk to (kept as
    hubs; the others are in ``sites_left_out``); None when none were given."""
    kept = int((res.layers["hubs"]["level"] == "fixed").sum()) if "level" in res.layers["hubs"].columns else 0
    out = res.layers.get("sites_left_out")
    left = int((out["given"] == "fixed").sum()) if out is not None and "given" in out.columns else 0
    if file is None and not kept + left:
        return None
    return _t("fixed_given", lang, file=file or "–", count=kept + left, usable=kept)


def _header(info: ReportInfo, lang: Lang, limit: str, candidates: str, fixed: str | None = None) -> str:
    village = info.village_in(lang)  # left out where the households name none, as the check report's (report._header)
    rows = [*([(text("report.village", lang), village)] if village else []), (text("report.date", lang), info.date or "–"),
            (text("report.input", lang), info.input_file or "–"),
            (_t("limit", lang), _t("minutes", lang, minutes=limit)), (_t("candidates", lang), candidates),
            *([(_t("fixed", lang), fixed)] if fixed is not None else []),
            *([(text("report.graph", lang), walking_basis(info, lang))] if info.columns is not None else [])]
    return '<dl class="kv head">' + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows) + "</dl>"


def _answer(res: Coverage, lang: Lang, limit: str) -> str:
    """One sentence (served within the limit, farther, unreachable), then the households per walking band."""
    hh = res.layers["households"]
    m = pd.to_numeric(hh["walk_min"], errors="coerce").to_numpy(dtype=float)
    total = len(hh)
    served = int(hh["served"].sum())
    unreachable = int((hh["code"] == "COVER-UNREACHABLE").sum())
    line = _t("answer_line", lang, total=number(total, lang), served=number(served, lang), limit=limit,
              share=_pct(served, total), far=number(total - served - unreachable, lang),
              unreachable=number(unreachable, lang))
    reach = np.isfinite(m)
    edges = band_edges(res.summary["limit_min"])
    bands = [(_t("within", lang, minutes=f"{b:g}"), int((reach & (m <= b)).sum())) for b in edges]
    bands.append((_t("over", lang, minutes=f"{edges[-1]:g}"), int((reach & (m > edges[-1])).sum())))
    bands.append((_t("unreachable", lang), int((~reach).sum())))
    rows = [_row([label, n, _pct(n, total)], {1, 2}, lang=lang) for label, n in bands]
    heads = [_t("band", lang), _t("count", lang), _t("share", lang) + " %"]
    walked = ""  # the real total walk (walk_min, to the nearest point), of those who can reach one
    if reach.any():
        walked = _t("total_walk_cut" if (~reach).any() else "total_walk", lang, reach=number(reach.sum(), lang),
                    total=number(m[reach].sum(), lang, 1), mean=number(m[reach].mean(), lang, 1),
                    cut=number((~reach).sum(), lang))
        walked = f"<p>{_e(walked)}</p>"
    return f'<p class="answer">{_e(line)}</p>' + walked + _table(heads, rows, {1, 2}, "bands")


def _uncovered_groups(hh: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The households not served by why: those that cannot reach any point, then those farther than the limit
    (the farthest first, then by id); empty groups left out."""
    out = hh.loc[~hh["served"].astype(bool)]
    walk = pd.to_numeric(out["walk_min"], errors="coerce")
    out = out.iloc[np.lexsort((out.index.astype(str).to_numpy(), -walk.fillna(np.inf).to_numpy()))]
    unreachable = (out["code"] == "COVER-UNREACHABLE").to_numpy(dtype=bool)
    groups = [("unreachable", out.loc[unreachable]), ("far", out.loc[~unreachable])]
    return [(why, part) for why, part in groups if len(part)]


def _overview(res: Coverage, lang: Lang, limit: str) -> str:
    """What the page holds, each line a link to its section: the households not covered by why, the points by
    level, the quality of the siting and the coverage per village and group."""
    items: list[tuple[str, str, str, int | None]] = [
        ("bad" if why == "unreachable" else "warn", f"nc-{why}", _t(f"nc_{why}", lang, limit=limit), len(part))
        for why, part in _uncovered_groups(res.layers["households"])]
    levels = res.layers["hubs"]["level"].astype(str)
    items += [("", f"lv{i}", _level_label(lvl, lang), int((levels == lvl).sum()))
              for i, lvl in enumerate(_levels(levels), 1)]
    items += [("", "quality", _t("quality", lang), None), ("", "areas", _t("per_area", lang), None)]
    lis = "".join((f'<li class="{cls}">' if cls else "<li>") + f'<a href="#{a}">{_e(words)}</a>'
                  + (f'<span class="n">{n}</span>' if n is not None else "") + "</li>" for cls, a, words, n in items)
    return f'<p class="small">{toc_head(_t("overview", lang), lang)}</p><ul class="toc">{lis}</ul>'


def _not_covered(hh: pd.DataFrame, lang: Lang, limit: str) -> str:
    """The households not served, by why (cannot reach any point, then farther than the limit, the farthest
    first): id, village, group, nearest point and minutes (or the reason); on a screen the first
    :data:`yuanluo.planners.report.SHOW_ROWS` of each and "…另有 N 户", in print all. Where the households have a
    town column (:func:`yuanluo.planners.cover.town_names`) its town comes before the village, which is then its
    own name (新华村 beside 甲镇 and beside 乙镇), as in the service-point and coverage tables; without one a
    village two towns share is said with its town, 甲镇/新华村."""
    n_out = int((~hh["served"].astype(bool)).sum())
    if not n_out:
        return f"<p>{_e(_t('all_covered', lang, limit=limit))}</p>"
    has_v, has_g = "village" in hh.columns, "group" in hh.columns
    towns = town_names(hh)  # where the households have a town column: the town first, as the other tables
    where = [_t("hid", lang)] + ([_head("town", lang)] if towns is not None else [])
    where += ([_t("village", lang)] if has_v else []) + ([_t("group", lang)] if has_g else [])
    # the village and group named as the coverage tables name them (level_names, over every household): beside the
    # town column the village's own name (新华村 in 甲镇's row and in 乙镇's), without one 甲镇/新华村 and 乙镇/新华村
    # where two towns each have a 新华村; the group by its own name beside its village
    town_of = [None] * len(hh) if towns is None else towns
    names = frozenset(range(1, 2 + has_v) if towns is not None else ())  # the town and village cells
    shown = hh.assign(**{f"{SEP}{c}": [split_name(own_name(n, t))[1] for n, t in
                                       zip(level_names(hh, c), town_of, strict=True)]
                         for c in ("village", "group") if c in hh.columns},
                      **({f"{SEP}town": towns} if towns is not None else {}))
    html_out = [f"<h2 id=\"uncovered\">{_e(_t('not_covered', lang, count=number(n_out, lang)))}</h2>"]
    for why, part in _uncovered_groups(shown):
        far = why == "far"  # the unreachable have no nearest point and one reason, said once under the heading
        heads = where + ([_t("nearest", lang), _t("walk", lang)] if far else [])
        numeric = {len(heads) - 1} if far else set()
        rows = []
        for k, (hid, rec) in enumerate(part.iterrows()):
            cells: list[Any] = [str(hid)] + ([rec[f"{SEP}town"]] if towns is not None else [])
            cells += [rec[f"{SEP}village"]] if has_v else []
            cells += [rec[f"{SEP}group"]] if has_g else []
            cells += [_text_or_blank(rec["hub_id"]), float(rec["walk_min"])] if far else []
            rows.append(_row(cells, numeric, "warn" if far else "bad", extra=k >= SHOW_ROWS, names=names,
                             lang=lang))
        why_words = text("cover.reason.COVER-UNREACHABLE", lang, limit=limit)
        reason = "" if far else f'<p class="fix">{_e(why_words[:1].upper() + why_words[1:])}</p>'
        html_out.append(f'<h3 id="nc-{why}" class="{"warn" if far else "bad"}">'
                        f'{_e(_t(f"nc_{why}", lang, limit=limit))} '
                        f'<span class="small">{_e(_t("n_households", lang, count=number(len(part), lang)))}</span></h3>{reason}')
        more = more_toggle(len(part) - SHOW_ROWS, lang, "coverreport.more_households")
        if len(heads) == 1:  # ids alone (no town, village or group): one list, not a one-line card each
            html_out.append(_id_list([str(h) for h in part.index], lang, more))
            continue
        html_out.append(_table(heads, rows, numeric, "list", more, cards=True))
    return "".join(html_out)


def _id_list(ids: list[str], lang: Lang, more: str = "") -> str:
    """Household ids as one list in a paragraph (each kept whole, ``span.id``), the first
    :data:`~yuanluo.planners.report.SHOW_ROWS` on a screen and the rest behind ``more`` (the "…另有 N 户" line:
    :func:`~yuanluo.planners.report.more_toggle`), printed all. A phone showed each unreachable household of a
    table without village or group as a card of its own, "户编号 AD0005", 25 cards for 25 ids.

    The list's comma stays inside the id before it, so that no line starts with 、 (a break falls between two ids, or
    after the comma and its space); the last id on a screen takes its comma only when the rest is shown.

    >>> _id_list(["a-1", "b"], "en")
    '<p class="idlist"><span class="id">a-1,</span> <span class="id">b</span></p>'
    >>> _id_list([f"H{i}" for i in range(12)], "zh", "…").split("H9")[1][:54]
    '<span class="extra">、</span></span><span class="extra"'
    """
    sep = text("list.sep", lang)
    comma, gap = sep.rstrip(), sep[len(sep.rstrip()):]
    last, cut = len(ids) - 1, min(SHOW_ROWS, len(ids)) - 1

    def one(k: int, h: str) -> str:
        after = "" if k == last else _e(comma) if k != cut else f'<span class="extra">{_e(comma)}</span>'
        return f'<span class="id">{_e(h)}{after}</span>'

    spans = [one(k, h) for k, h in enumerate(ids)]
    shown, rest = spans[:SHOW_ROWS], spans[SHOW_ROWS:]
    tail = f'<span class="extra">{gap}{gap.join(rest)}</span>' if rest else ""
    para = f'<p class="idlist">{gap.join(shown)}{tail}</p>'
    return f'<div class="rows">{para}{more}</div>' if rest and more else para


def _families(res: Coverage) -> dict[str, list[Any]]:
    """The sitings by family: ``village``, ``group`` (one per village or group), ``area`` and ``mobile``."""
    fam: dict[str, list[Any]] = {}
    for key, s in res.sitings.items():
        fam.setdefault(key.partition(":")[0], []).append(s)
    return fam


def _quality(res: Coverage, lang: Lang, mobile_within: float | None) -> str:
    """Every siting in plain words: proven optimal, or a heuristic with its proven bound and the gap."""
    kv = []
    n_fixed = int((res.layers["hubs"]["level"] == "fixed").sum())
    if n_fixed:
        kv.append((_t("kind.fixed", lang), _t("fixed_kept", lang, count=n_fixed)))
    limit = f"{res.summary['limit_min']:g}"
    coverage = res.summary.get("covered_bound") is not None
    for fam, all_sitings in _families(res).items():
        # a village or group with no candidate within its reach got no hub: no problem was solved for it
        sitings = [s for s in all_sitings if fam not in ("village", "group") or len(s.chosen)]
        missing = no_hub(res.sitings, fam, res.layers["households"]) if fam in ("village", "group") else []
        word = _t(f"kind.{fam}", lang) if fam in ("village", "group", "area", "mobile") else fam
        none_line = _t("no_hub", lang, count=len(missing), level=text(f"field.{fam}", lang).lower(),
                       names=text("list.sep", lang).join(missing[:8]) + ("…" if len(missing) > 8 else "")
                       ) if missing else ""
        if not sitings:
            kv.append((word, none_line))
            continue
        exact = sum(s.gap <= 1e-9 for s in sitings)
        value = sum(float(s.objective) for s in sitings)
        bound = sum(float(s.bound) for s in sitings)
        gap = f"{100.0 * max(float(s.gap) for s in sitings):.2f}"
        ok = exact == len(sitings)
        if fam == "mobile":
            within = f"{mobile_within:g}" if mobile_within is not None else limit
            cut = int(res.summary.get("unreachable") or 0)  # no point reaches them: "every household" is not
            who = _t("who_reach", lang, count=cut) if cut else _t("who_all", lang)
            line = _t("mobile_exact" if ok else "mobile_heuristic", lang, value=_num(value),
                      bound=_num(np.ceil(bound - 1e-9)), gap=gap, within=within, who=who)
            if res.summary.get("mobile_short"):  # "every household" is those a candidate can bring within it
                line += ("" if lang == "zh" else " ") + _t("mobile_short", lang, count=res.summary["mobile_short"],
                                                           within=within)
        elif fam == "area" and coverage:
            line = _t("cover_exact" if ok else "cover_heuristic", lang, value=_num(value),
                      bound=_num(np.floor(bound + 1e-9)), gap=gap, limit=limit)
        else:
            one = len(sitings) == 1
            if ok:
                line = _t("walk_exact_one" if one else "walk_exact", lang, count=len(sitings), value=number(value, lang, 1))
            else:  # how much more than the least total walk: (objective - bound) / bound, never / objective
                quality = _t("walk_excess", lang, value=number(value, lang, 1), bound=number(bound, lang, 1),
                             excess=f"{100.0 * (value - bound) / bound:.2f}") if bound > 0 else _t(
                    "walk_no_bound", lang, value=number(value, lang, 1))
                line = _t("walk_heuristic_one" if one else "walk_heuristic", lang, count=len(sitings), exact=exact,
                          quality=quality)
        methods = sorted({str(s.method) for s in sitings})
        line += ("" if lang == "zh" else " ") + _t("method", lang, method=text("list.sep", lang).join(
            _t(f"method.{m}", lang) if has(f"coverreport.method.{m}") else m for m in methods))
        if missing:
            line += ("" if lang == "zh" else " ") + none_line
        if fam != "mobile" and not (fam == "area" and coverage):  # each level's walk to its hubs: not the answer's
            pen = res.summary.get("penalty_min")
            line += ("" if lang == "zh" else " ") + _t("objective_note", lang,
                                                       penalty="–" if pen is None else f"{pen:.1f}")
        kv.append((word, line))
    return '<dl class="kv">' + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in kv) + "</dl>"


#: where a name of a note's list stands while its sentence is rendered and escaped (:func:`_note`)
_NAME_AT = re.compile("\ue000([0-9]+)\ue001")


def _note(p: Any, lang: Lang) -> str:
    """A note's sentence as page text, its code after it, each name of its ``{names}`` list (the groups sharing a
    hub, the points left out) kept whole on a line with its list comma (``span.id``: a phone broke V001-G5 after
    its hyphen, and a line may not start with 、).

    >>> from yuanluo.gis.errors import problem
    >>> _note(problem("COVER-HUB-SHARED", severity="warning", count=2, names=["V1-G2", "<b>"],
    ...               level={"zh": "村民小组", "en": "villager group"}, more={"zh": "", "en": ""}), "zh")
    ... # doctest: +ELLIPSIS
    '2 个村民小组...：<span class="id">V1-G2、</span><span class="id">&lt;b&gt;</span>。（<span class="id">COVER-HUB-SHARED）</span>'
    """
    names = p.params.get("names")
    shown = [str(x[lang] if isinstance(x, dict) else x) for x in names] if isinstance(names, list) else []
    marked = replace(p, params={**p.params, "names": [f"\ue000{k}\ue001" for k in range(len(shown))]}) \
        if shown else p
    page = _e(_t("note_code", lang, title=marked.title(lang), code="\ue002"))
    sep = _e(text("list.sep", lang).rstrip())
    page = re.sub(_NAME_AT.pattern + f"(?:{re.escape(sep)})?",
                  lambda m: f'<span class="id">{_e(shown[int(m[1])])}{m[0][len(m[1]) + 2:]}</span>', page)
    # the code too (COVER-HUB-SHARED, not COVER-HUB- over SHARED), with the bracket closing it
    return re.sub("\ue002([）)]?)", lambda m: f'<span class="id">{_e(p.code)}{m[1]}</span>', page)


def _site_notes(res: Coverage, lang: Lang) -> str:
    """The given points left out (COVER-SITE-FAR), each with its fix, under the quality of the siting. Said as the
    command line says them (``--fixed``, not ``fixed=``, and no ``max_snap_m=``), whoever sited the points: the
    report's reader is a planner (:meth:`yuanluo.gis.errors.Problem.planner_message`)."""
    out = []
    with planner_words():
        for p in res.warnings:
            p = replace(p, python=False)  # (a problem met from Python says its fix_py)
            fix = p.fix(lang)
            # words first, the code after (as the check report lists codes); the fix names command options: for
            # the planner, whom a town official passes it on to
            out.append(f"<p>{_note(p, lang)}</p>"
                       + (f'<p class="small">{_e(_t("fix_planner", lang, fix=fix))}</p>' if fix else ""))
    return "".join(out)


def _level_label(level: str, lang: Lang) -> str:
    return text(f"covermap.level.{level}", lang) if level in LEVEL_ORDER else level


def _levels(levels: pd.Series) -> list[str]:
    """The levels present, in :data:`LEVEL_ORDER`, then any other by name."""
    rank = {lvl: i for i, lvl in enumerate(LEVEL_ORDER)}
    return sorted(set(levels), key=lambda lvl: (rank.get(lvl, len(rank)), lvl))


def _hubs(hubs: pd.DataFrame, lang: Lang) -> str:
    """The service points by level (village, group, area, mobile, fixed), a heading and a table each (the overview
    links to it), then by id: id, site, the village and group it serves, households, mean and longest walk (a point
    serving several villages: a row under each, :func:`yuanluo.planners.cover.served_rows`; the heading counts
    points); on a screen the first :data:`yuanluo.planners.report.SHOW_ROWS` points of each."""
    df = pd.DataFrame(hubs.drop(columns="geometry", errors="ignore"))
    df = df.assign(level=df["level"].astype(str)).sort_values("hub_id", kind="stable")
    # the town, village and group each point serves (the hubs layer's; blank where the households name neither;
    # the town where they have a town column)
    where = [c for c in ("town", "village", "group") if c in df.columns]
    heads = [_head(k, lang) for k in ("hub_id", "site", *where, "served", "mean_walk", "max_walk")]
    numeric = {len(where) + 2, len(where) + 3, len(where) + 4}
    out = []
    for i, lvl in enumerate(_levels(df["level"]), 1):
        part = df.loc[df["level"] == lvl].to_dict("records")
        # a point serving several villages has a row under each (served_rows): counted once, its rows shown or
        # hidden together
        rank = {h: k for k, h in enumerate(dict.fromkeys(r["hub_id"] for r in part))}
        rows = [_row([r["hub_id"], r["site"], *(_text_or_blank(r[c]) for c in where), r["n_households"],
                      r["mean_walk_min"], r["max_walk_min"]], numeric, extra=rank[r["hub_id"]] >= SHOW_ROWS,
                     lang=lang)
                for r in part]
        out.append(f'<h3 id="lv{i}">{_e(_level_label(lvl, lang))} '
                   f'<span class="small">{_e(_t("n_points", lang, count=number(len(rank), lang)))}</span></h3>'
                   + _table(heads, rows, numeric, "hubs", more_toggle(len(rank) - SHOW_ROWS, lang,
                                                                      "coverreport.more_points"), cards=True))
    return "".join(out)


def _head(key: str, lang: Lang) -> str:
    """A column heading: the town as every output names it (``field.town``, 乡镇 / Town), else the report's own.

    >>> _head("town", "zh"), _head("town", "en"), _head("village", "zh")
    ('乡镇', 'Town', '村')
    """
    return text("field.town", lang) if key == "town" else _t(key, lang)


def _per_area(cov: pd.DataFrame, lang: Lang) -> str:
    """One table per level (village, group; "all" when the households name neither): households within each
    walking band, unreachable, share within the last band; the total row last. Where the coverage layer has a
    ``town`` (the households had a town column) a village's or group's town comes first."""
    out = []
    # the bands the table has (its within_* columns: those of the limit, :func:`yuanluo.gis.cover.band_edges`)
    edges = [c.removeprefix("within_") for c in cov.columns if str(c).startswith("within_")] or \
        [f"{b:g}" for b in BANDS]
    last = f"share_{edges[-1]}"
    for level, part in cov.groupby("level", sort=False):
        name = _t(str(level), lang) if level in ("village", "group") else _t("all", lang)
        town = "town" in part.columns and level in ("village", "group")
        heads = [*([_head("town", lang)] if town else []), name, _t("count", lang)]
        heads += [_t("within", lang, minutes=b) for b in edges]
        heads += [_t("unreachable", lang), _t("within", lang, minutes=edges[-1]) + " %"]
        numeric = set(range(2 if town else 1, len(heads)))
        rows = []
        recs = part.sort_values("total", kind="stable").to_dict("records")
        # rows hidden on a screen: none when it would be one (shown, not hidden behind a line saying so)
        hide = sum(1 for k, r in enumerate(recs) if k >= SHOW_ROWS and not r["total"]) > 1
        for k, r in enumerate(recs):
            # a group with its village (every village has its own 1组), as the hubs' key on the print map says it
            village = _text_or_blank(r.get("village")) if level == "group" else ""
            label = _t("total", lang) if r["total"] else (shown_name(f"{village}{SEP}{r['group']}") if village
                                                           else r["group"] or r.get("village") or "–")
            cells = [*([_text_or_blank(r.get("town"))] if town else []), label, r["households"],
                     *(r[f"within_{b}"] for b in edges), r["unreachable"],
                     f"{100.0 * float(r[last]):.1f}"]  # the total row is never hidden
            rows.append(_row(cells, numeric, "total" if r["total"] else "",
                             extra=hide and k >= SHOW_ROWS and not r["total"], lang=lang))
        n_more = sum(1 for k, r in enumerate(recs) if k >= SHOW_ROWS and not r["total"]) if hide else 0
        out.append(_table(heads, rows, numeric, "areas" if town else "",
                          more=more_toggle(n_more, lang, "coverreport.more_rows"), cards=True))
    return "".join(out)


