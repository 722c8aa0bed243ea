"""The site-inspection report of a plan check: self-contained HTML, JSON and CSV.

:func:`render_html` gives one HTML page with no external resource at all (inline CSS, no script, no
image, no link; a Content-Security-Policy allows its one stylesheet by hash and nothing else): a summary (passed / failed, counts, rules, graph kind), a per-unit table and the list
of violations. It reads on a phone (viewport meta, the tables scroll sideways inside their box) and
prints on A4 (``@page A4``, table headers repeated, rows never split). Chinese by default, English
with ``lang="en"``; stamped "内部工作用图" (internal working map).

:func:`write_json` and :func:`write_csv` write the same content for machines and for Excel (UTF-8 with
a byte-order mark). All writes are atomic (:func:`yuanluo.gis.output.write_bytes`).
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from yuanluo.gis.catalogue import Lang, text
from yuanluo.gis.check import CheckResult
from yuanluo.gis.output import write_bytes
from yuanluo.maps.offline import add_csp

#: the interface texts of the report: catalogue entries ``report.<key>`` (gis/messages/report.toml)
_KEYS = ("title", "stamp", "passed", "failed", "result", "households", "assigned", "units", "units_ok", "errors",
         "warnings", "rules", "band", "size_by_households", "size_by_persons", "nest", "walk", "graph",
         "graph_terrain", "graph_straight", "unit_table", "unit", "n_households", "persons", "status", "ok",
         "violation", "codes", "walk_mean", "walk_max", "viol_list", "code", "severity", "error", "warning",
         "message", "none", "minutes", "yes", "no", "settle", "head", "counts")


def _texts(lang: Lang) -> dict[str, str]:
    """The report's interface texts in ``lang`` (from the catalogue), by short key.

    Examples
    --------
    >>> _texts("en")["passed"], _texts("zh")["passed"]
    ('PASSED', '通过')
    """
    return {k: text(f"report.{k}", lang) for k in _KEYS}


_CSS = """
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
 margin:0 auto;max-width:1100px;padding:12px;color:#222;font-size:15px;line-height:1.45}
h1{font-size:1.35em;margin:.2em 0}h2{font-size:1.1em;margin:1.1em 0 .4em;border-bottom:2px solid #ccc}
.stamp{display:inline-block;border:2px solid #b00;color:#b00;padding:2px 8px;font-weight:bold;
 transform:rotate(-2deg);float:right;margin:4px}
.badge{display:inline-block;padding:3px 12px;border-radius:4px;font-weight:bold;color:#fff}
.pass{background:#2e7d32}.fail{background:#c62828}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:.4em 0}
dl.kv dt{font-weight:bold}dl.kv dd{margin:0}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;max-width:100%}
table{border-collapse:collapse;width:100%;font-size:.92em}
th,td{border:1px solid #bbb;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#eee}td.num{text-align:right;white-space:nowrap}
tr.bad td{background:#fdecea}tr.warn td{background:#fff8e1}
td.msg{white-space:pre-wrap;min-width:16em}
.small{font-size:.85em;color:#555}
@media (max-width:600px){body{font-size:14px;padding:6px}th,td{padding:2px 4px}.stamp{float:none}}
@page{size:A4;margin:14mm 12mm}
@media print{body{max-width:none;padding:0;font-size:10.5pt}.scroll{overflow:visible}
 h2{page-break-after:avoid;break-after:avoid}thead{display:table-header-group}
 tr,dl.kv{page-break-inside:avoid;break-inside:avoid}
 .badge{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 tr.bad td,tr.warn td,th{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""


def _e(x: Any) -> str:
    return html.escape("" if x is None else str(x), quote=True)


def _num(x: Any) -> str:
    try:
        f = float(x)
    except (TypeError, ValueError):
        return ""
    if math.isnan(f):
        return "–"
    return str(int(f)) if f.is_integer() else f"{f:.1f}"


def _join(x: Any) -> str:
    if isinstance(x, (list, tuple)):
        return ", ".join(str(i) for i in x)
    return "" if x is None else str(x)


def render_html(result: CheckResult, *, lang: Lang = "zh", title: str | None = None) -> str:
    """A self-contained HTML report of a :class:`yuanluo.gis.check.CheckResult`.

    Examples
    --------
    >>> from yuanluo.gis.rules import Rules
    >>> units = pd.DataFrame({"unit_id": ["U1"], "n_households": [3], "persons": [7.0], "size": [3],
    ...                       "status": ["ok"], "codes": [[]], "mean_walk_min": [float("nan")],
    ...                       "max_walk_min": [float("nan")]})
    >>> viol = pd.DataFrame(columns=["code", "unit_id", "hids", "severity", "message_zh", "message_en"])
    >>> r = CheckResult(violations=viol, units=units, passed=True, graph_kind="straight", rules=Rules(2, 5))
    >>> page = render_html(r, lang="en")
    >>> "PASSED" in page and "U1" in page and "http:" not in page and "https:" not in page
    True
    """
    t = _texts("en" if lang == "en" else "zh")
    s = result.summary()
    r = result.rules
    title = title or t["title"]
    size_by = t["size_by_persons"] if r.size_by == "persons" else t["size_by_households"]
    badge = (f'<span class="badge pass">{t["passed"]}</span>' if result.passed
             else f'<span class="badge fail">{t["failed"]}</span>')
    rules_bits = [f"{r.min_size}–{r.max_size} {size_by}"]
    if r.label or r.name:
        rules_bits.append(f"({_e(r.label or r.name)})")
    kv = [
        (t["result"], badge),
        (t["households"], f'{s["n_households"]}'),
        (t["assigned"], f'{s["n_assigned"]}'),
        (t["units"], f'{s["n_units"]}'),
        (t["units_ok"], f'{s["n_units_ok"]}'),
        (t["errors"], f'{s["n_errors"]}'),
        (t["warnings"], f'{s["n_warnings"]}'),
        (t["band"], _e(" ".join(rules_bits))),
        (t["nest"], _e(", ".join(r.nest_by) or "–")),
        (t["settle"], t["yes"] if r.keep_settlements else t["no"]),
        (t["head"], t["yes"] if r.require_head else t["no"]),
        (t["walk"], f'{_num(r.max_walk_min)} {t["minutes"]}' if r.max_walk_min else "–"),
        (t["graph"], t["graph_terrain"] if result.graph_kind == "terrain" else t["graph_straight"]),
    ]
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"en" if lang == "en" else "zh-CN"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f'<div class="stamp">{_e(t["stamp"])}</div>',
        f"<h1>{_e(title)}</h1>",
        '<dl class="kv">' + "".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in kv) + "</dl>",
    ]
    if s["codes"]:
        parts.append(f'<p class="small">{_e(t["counts"])}: '
                     + _e(", ".join(f"{c} × {n}" for c, n in s["codes"].items())) + "</p>")
    parts.append(f"<h2>{_e(t['unit_table'])}</h2>")
    parts.append(_units_table(result, t))
    parts.append(f"<h2>{_e(t['viol_list'])}</h2>")
    parts.append(_violations_table(result, t, lang))
    parts.append(f'<p class="small">{_e(t["stamp"])} · yuanluo</p></body></html>')
    return add_csp("\n".join(parts))


def _units_table(result: CheckResult, t: dict[str, str]) -> str:
    u = result.units
    has_walk = "mean_walk_min" in u.columns and u["mean_walk_min"].notna().any()
    heads = [t["unit"], t["n_households"], t["persons"], t["status"], t["codes"]]
    if has_walk:
        heads += [t["walk_mean"], t["walk_max"]]
    rows = []
    for rec in u.to_dict("records"):
        bad = rec["status"] != "ok"
        cells = [
            f"<td>{_e(rec['unit_id'])}</td>",
            f'<td class="num">{_num(rec["n_households"])}</td>',
            f'<td class="num">{_num(rec["persons"])}</td>',
            f"<td>{_e(t['violation'] if bad else t['ok'])}</td>",
            f"<td>{_e(_join(rec.get('codes')))}</td>",
        ]
        if has_walk:
            cells += [f'<td class="num">{_num(rec["mean_walk_min"])}</td>',
                      f'<td class="num">{_num(rec["max_walk_min"])}</td>']
        rows.append(("<tr class='bad'>" if bad else "<tr>") + "".join(cells) + "</tr>")
    return ('<div class="scroll"><table><thead><tr>' + "".join(f"<th>{_e(h)}</th>" for h in heads)
            + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>")


def _violations_table(result: CheckResult, t: dict[str, str], lang: Lang) -> str:
    v = result.violations
    if not len(v):
        return f"<p>{_e(t['none'])}</p>"
    col = "message_en" if lang == "en" else "message_zh"
    rows = []
    for rec in v.to_dict("records"):
        cls = "bad" if rec["severity"] == "error" else "warn"
        rows.append(
            f'<tr class="{cls}"><td>{_e(rec["code"])}</td><td>{_e(rec["unit_id"])}</td>'
            f"<td>{_e(t.get(str(rec['severity']), rec['severity']))}</td>"
            f'<td class="msg">{_e(rec[col])}</td></tr>'
        )
    heads = [t["code"], t["unit"], t["severity"], t["message"]]
    return ('<div class="scroll"><table><thead><tr>' + "".join(f"<th>{_e(h)}</th>" for h in heads)
            + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>")


# ---------------------------------------------------------------------------------------- files
def write_html(result: CheckResult, path: str | Path, *, lang: Lang = "zh", title: str | None = None) -> Path:
    """Write :func:`render_html` to ``path`` (UTF-8, atomic)."""
    return write_bytes(path, render_html(result, lang=lang, title=title).encode("utf-8"), overwrite=True)


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


def write_json(result: CheckResult, path: str | Path) -> Path:
    """Write the summary, units and violations as JSON (UTF-8, atomic, sorted keys)."""
    doc = {"summary": result.summary(), "units": _records(result.units),
           "violations": _records(result.violations)}
    doc_text = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True, default=str)
    return write_bytes(path, doc_text.encode("utf-8"), overwrite=True)


def _csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in out.columns:
        if out[c].map(lambda x: isinstance(x, (list, tuple))).any():
            out[c] = out[c].map(lambda x: ";".join("|".join(map(str, i)) if isinstance(i, (list, tuple))
                                                    else str(i) for i in x) if isinstance(x, (list, tuple)) else x)
    return out


def write_csv(result: CheckResult, path: str | Path) -> tuple[Path, Path]:
    """Write the violations (one row each) to ``path`` and the units table next to it.

    The units go to ``<stem>_units.csv``. Both are UTF-8 with a byte-order mark (Excel shows Chinese
    correctly); lists (``hids``, ``codes``) are joined with ``;`` (pieces: households ``|``-joined).
    Returns the two paths.
    """
    path = Path(path)
    upath = path.with_name(f"{path.stem}_units.csv")
    for df, p in ((result.violations, path), (result.units, upath)):
        write_bytes(p, _csv_frame(df).to_csv(index=False, lineterminator="\n").encode("utf-8-sig"), overwrite=True)
    return path, upath
