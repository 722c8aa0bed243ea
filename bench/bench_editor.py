"""Benchmark: the plan editor (``yuanluo edit``) at 2,000 and 20,000 households in headless Chromium.

Inputs: ``yuanluo.gis.synth.make_village(N, seed=0)`` → ``yuanluo.gis.neighbours.build_graph`` with its rivers and
roads → a starting plan of about 20 households per unit cut along x inside each villager group (so the page starts
with violations to list) → ``yuanluo.maps.editor.editor_payload`` + ``render_editor`` under Rules(15, 25) with the
synthetic persons, villages, groups, settlements and candidate heads (every rule of the page active).

Measured per edit, over ``--edits`` random edits (seeded: a household and its graph neighbours to a neighbour's
unit, to a new unit, to none, a merge of two units; undo and redo):

- ``rules``: the page's own re-check of the touched units (``yuanluo.editor.lastEditMs()``);
- ``api``: the call plus ``violations()`` (what a script sees);
- ``ui``: one full refresh of the page after the edit (violations panel, unit card, target list, canvas redraw).

Also: HTML size (MB, gzip MB), page load seconds (navigation to drawn), external requests and console errors.
Writes ``bench/results/editor.json`` and ``bench/results/editor.md``. Run under the heavy lock::

    flock /tmp/yuanluo-heavy.lock .venv/bin/python bench/bench_editor.py
    .venv/bin/python bench/bench_editor.py --sizes 2000 --edits 100
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

DRIVER = r"""
(function(seed, nEdits) {
  var E = window.yuanluo.editor, UI = window.yuanluo.editorUi, s = seed >>> 0;
  function rnd() { s = (s + 0x6D2B79F5) >>> 0; var t = s; t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; }
  function pick(a) { return a[Math.floor(rnd() * a.length)]; }
  var hs = E.households(), rules = [], api = [], ui = [], kinds = {};
  for (var k = 0; k < nEdits; k++) {
    var r = rnd(), h = pick(hs), us = E.units(), kind, t0 = performance.now(), done;
    if (r < 0.5) { var nb = E.neighbours(h); kind = 'move'; done = E.assign([h].concat(nb.slice(0, 2)), nb.length ? E.unitOf(pick(nb)) : pick(us)); }
    else if (r < 0.6) { kind = 'new'; done = E.assign(E.neighbours(h).concat([h]), E.newUnitId()); }
    else if (r < 0.7) { kind = 'none'; done = E.assign([h], null); }
    else if (r < 0.8) { kind = 'merge'; var a = E.unitOf(h), nb2 = E.neighbours(h).map(E.unitOf).filter(function(u) { return u !== null && u !== a; });
                        done = a !== null && nb2.length ? E.merge(a, nb2[0]) : false; }
    else if (r < 0.9) { kind = 'undo'; done = E.undo(); }
    else { kind = 'redo'; done = E.redo(); }
    var v = E.violations(), t1 = performance.now();
    if (!done) continue;
    UI.refresh();
    var t2 = performance.now();
    rules.push(E.lastEditMs()); api.push(t1 - t0); ui.push(t2 - t1);
    kinds[kind] = (kinds[kind] || 0) + 1;
  }
  return {rules: rules, api: api, ui: ui, kinds: kinds, violations: E.violations().length, units: E.units().length};
})
"""


def _stats(xs: list[float]) -> dict[str, float]:
    import numpy as np

    a = np.asarray(xs, dtype=float)
    return {"median_ms": round(float(np.median(a)), 3), "p95_ms": round(float(np.percentile(a, 95)), 3),
            "worst_ms": round(float(a.max()), 3), "n": len(a)}


def run_one(n: int, edits: int, seed: int, keep: Path | None) -> dict[str, Any]:
    from browser import open_in_chromium
    from editor_fixtures import chunk_plan

    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.rules import Rules
    from yuanluo.gis.synth import make_village
    from yuanluo.maps.editor import editor_payload, render_editor

    t0 = time.perf_counter()
    v = make_village(n, seed=seed)
    g = build_graph(v.households, rivers=v.rivers, roads=v.roads)
    t1 = time.perf_counter()
    labels = chunk_plan(v.households, 20, by="group")
    rules = Rules(15, 25, heads_for_size=20)
    layers = {"households": v.households, "rivers": v.rivers, "roads": v.roads}
    html = render_editor(editor_payload(layers, labels, rules, g))
    t2 = time.perf_counter()
    data = html.encode("utf-8")
    with tempfile.TemporaryDirectory() as d:
        page = keep or Path(d) / "editor.html"
        page.write_bytes(data)
        rep = open_in_chromium(page, wait_for="window.yuanluo && window.yuanluo.editorUi", timeout_s=300,
                               settle_ms=100, evaluate={"run": f"{DRIVER}({seed + 1}, {edits})"})
    run = rep.counts["run"]
    return {
        "households": n, "edges": int(g.m), "units_start": int(labels.dropna().nunique()),
        "html_mb": round(len(data) / 1e6, 3), "html_gzip_mb": round(len(gzip.compress(data, 6)) / 1e6, 3),
        "graph_s": round(t1 - t0, 2), "page_build_s": round(t2 - t1, 2), "load_s": round(rep.load_seconds, 2),
        "rules": _stats(run["rules"]), "api": _stats(run["api"]), "ui": _stats(run["ui"]), "kinds": run["kinds"],
        "violations_end": run["violations"], "units_end": run["units"],
        "external_requests": rep.external_requests, "console_errors": rep.console_errors,
        "csp_violations": rep.csp_violations,
    }


def _markdown(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    lines = [
        "# Plan editor: per-edit latency and file size",
        "",
        f"`bench/bench_editor.py`, {meta['edits']} random edits per size (seeded), headless Chromium, network blocked; "
        f"machine load average {meta['load']} (2 shared cores; other jobs inflate every time).",
        "",
        "| households | edges | HTML MB (gzip) | load s | rules median / worst ms | api median / worst ms "
        "| full UI refresh median / worst ms | edits | requests | console errors |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['households']:,} | {r['edges']:,} | {r['html_mb']} ({r['html_gzip_mb']}) | {r['load_s']} "
            f"| {r['rules']['median_ms']} / {r['rules']['worst_ms']} | {r['api']['median_ms']} / {r['api']['worst_ms']} "
            f"| {r['ui']['median_ms']} / {r['ui']['worst_ms']} | {r['rules']['n']} | {len(r['external_requests'])} "
            f"| {len(r['console_errors'])} |")
    lines += [
        "",
        "*rules*: the page's re-check of the touched units (size, contiguity with the river and long-join "
        "variants, nesting, settlements, heads); *api*: the edit call plus `violations()`; *full UI refresh*: "
        "violations panel (every error, then up to 200 warnings), unit card, target list and the household canvas, done once per "
        "animation frame in the page.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    ap.add_argument("--edits", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep-html", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    a = ap.parse_args()
    rows = []
    for n in a.sizes:
        r = run_one(n, a.edits, a.seed, a.keep_html)
        print(json.dumps(r, ensure_ascii=False))
        rows.append(r)
    meta = {"edits": a.edits, "load": " / ".join(f"{x:.1f}" for x in os.getloadavg())}
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "editor.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    (a.out / "editor.md").write_text(_markdown(rows, meta), encoding="utf-8")


if __name__ == "__main__":
    main()
