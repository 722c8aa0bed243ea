"""Benchmark: the 100,000-household field map of a real synthetic delineation, in headless Chromium.

Default (``--layers synth``): ``yuanluo.gis.synth.make_village(N, seed)`` (EPSG:4545) → terrain from the
generator's DEM (``yuanluo.gis.terrain.terrain_from_array``) → ``yuanluo.gis.neighbours.build_graph`` with rivers and
roads → ``yuanluo.planners.workflows.delineate`` under a preset (banan 20–50) → ``yuanluo.maps.interactive.make_map``
(hillshade from the terrain, rivers, roads, group boundaries) + ``render_html`` → one HTML file, opened
in headless Chromium with the network blocked (``tests.browser.open_in_chromium``).

``--layers sample`` keeps the earlier mode: ``yuanluo.maps.sample.sample_layers`` (synthetic layers without a
graph or delineation; quick).

Measured: HTML size (MB, and gzip MB), seconds of every Python stage, Chromium navigation-to-drawn
seconds, pan / zoom times (JavaScript time of the call and time until two animation frames later, i.e.
painted), households painted, JS heap, external requests and console errors, and the machine load average
(other jobs inflate every time). Writes ``bench/results/map.json`` and ``bench/results/map.md``.

Run::

    /work/venv/bin/python bench/bench_map.py                       # 100k synthetic delineation, banan
    /work/venv/bin/python bench/bench_map.py --n 10000 --keep-html /tmp/map10k.html
    /work/venv/bin/python bench/bench_map.py --layers sample        # the earlier yuanluo.maps.sample mode
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import open_in_chromium  # noqa: E402

OUT = ROOT / "bench" / "results"
TARGET_MB = 10.0

# Two animation frames after the call: the canvas and the vector layers have been painted.
_FRAMES = "await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));"


def _timed(action: str, repeats: int) -> str:
    """JavaScript measuring ``action`` ``repeats`` times: median/max of the call's own JS time and of the
    time until painted (ms)."""
    return (
        "(async () => { const m = window.yuanluo.map; const js = [], painted = [];"
        f" for (let k = 0; k < {repeats}; k++) {{ const t = performance.now(); {action};"
        f" js.push(performance.now() - t); {_FRAMES} painted.push(performance.now() - t); }}"
        " const med = a => { const s = [...a].sort((x, y) => x - y); return Math.round(s[s.length >> 1]); };"
        " return {js_median: med(js), js_max: Math.round(Math.max(...js)),"
        " painted_median: med(painted), painted_max: Math.round(Math.max(...painted))}; })()"
    )


EVALUATE = {
    "households": "window.yuanluo.householdsDrawn",
    "painted_at_start": "window.yuanluo.householdsPainted",
    "units": "window.yuanluo.nUnits",
    "meeting_painted_at_start": "window.yuanluo.meetingPainted",
    "household_zoom": "window.yuanluo.households && window.yuanluo.households.zmin",
    "start_zoom": "(window._ylStart = [window.yuanluo.map.getCenter(), window.yuanluo.map.getZoom()])[1]",
    # alternate directions so the view stays over the village
    "pan": _timed("m.panBy([(k % 2 ? -1 : 1) * 300, (k % 2 ? -1 : 1) * 150], {animate: false})", 6),
    "zoom_in": _timed("m.setZoom(m.getZoom() + 2, {animate: false})", 1),
    "pan_zoomed_in": _timed("m.panBy([(k % 2 ? -1 : 1) * 300, 0], {animate: false})", 4),
    "zoom_out": _timed("m.setZoom(m.getZoom() - 2, {animate: false})", 1),
    "zoom_in_out": _timed("m.setZoom(m.getZoom() + (k % 2 ? -1 : 1), {animate: false})", 6),
    "search_unit_found": "window.yuanluo.find(Object.keys(window.yuanluo.unitBounds).sort()[0])",
    "search_unit": _timed("window.yuanluo.find(Object.keys(window.yuanluo.unitBounds).sort()[1])", 1),
    "js_heap_mb": "performance.memory ? Math.round(performance.memory.usedJSHeapSize / 1e6) : null",
    # back to the start view for the screenshot
    # (after the search's zoom animation has ended)
    "reset_view": "(async () => { const m = window.yuanluo.map; await new Promise(r => setTimeout(r, 800));"
                  " m.setView(window._ylStart[0], window._ylStart[1], {animate: false});"
                  " await new Promise(r => setTimeout(r, 800)); return true; })()",
}


_LAYER_KEYS = ("hillshade", "boundary", "rivers", "roads", "units", "exceptions", "households", "meeting_points")


def html_breakdown(html: str) -> dict[str, float]:
    """MB of the HTML by map layer (from the layer control's names), vendored JS/CSS and the rest.

    A line belongs to the folium variable it adds data to (``geo_json_0003_add(...)``, an image overlay's
    data URL, the households' ``var D``); variables are named through the layer control (also when nested
    in a feature group). Approximate by construction: it relies on folium's rendering, one item per line.

    Examples
    --------
    >>> page = '"院落范围" : geo_json_0002\\ngeo_json_0002_add(' + "1," * 999 + '1);\\nvar x = 1;'
    >>> html_breakdown(page)
    {'units': 0.002, 'other': 0.0}
    """
    import json as _json

    from yuanluo.maps.style import label

    english = {label(k, "zh"): k for k in _LAYER_KEYS} | {label(k, "en"): k for k in _LAYER_KEYS}
    names: dict[str, str] = {}
    for mt in re.finditer(r'^\s*("(?:[^"\\]|\\.)*") : ([a-z_]+_\d{4})', html, re.M):
        shown = _json.loads(mt.group(1))
        names[mt.group(2)] = english.get(shown, shown)
    for mt in re.finditer(r"([a-z_]+_\d{4})\.addTo\(([a-z_]+_\d{4})\)", html):
        if mt.group(1) not in names and mt.group(2) in names:
            names[mt.group(1)] = names[mt.group(2)]
    out: dict[str, float] = {}
    current = "other"
    for line in html.split("\n"):
        size = len(line.encode("utf-8"))
        decl = re.match(r"\s*var ([a-z_]+_\d{4}) = ", line)
        if decl:
            current = decl.group(1)
        add = re.match(r"\s*([a-z_]+_\d{4})_add\(", line)
        tagged = re.match(r"\s*var [A-Z] = /\*([a-z_]+)\*/", line)
        if tagged:
            key = tagged.group(1)
        elif line.lstrip().startswith("var D = "):
            key = "households"
        elif line.lstrip().startswith("var S = "):
            key = "search index"
        elif add:
            key = names.get(add.group(1), add.group(1))
        elif "data:image/png;base64," in line:
            key = names.get(current, "image")
        elif size > 5000 and line.lstrip().startswith(("!function", "/*", "(function", ".leaflet")):
            key = "vendored JS/CSS"
        else:
            key = "other"
        out[key] = out.get(key, 0.0) + size + 1
    return {k: round(v / 1e6, 3) for k, v in sorted(out.items(), key=lambda kv: -kv[1])}


def synth_layers(n: int, seed: int, preset_name: str) -> tuple[dict[str, Any], Any, Any, dict[str, Any]]:
    """Generate, build the graph and delineate; return (map layers, terrain, rules, info)."""
    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.synth import make_village
    from yuanluo.gis.terrain import terrain_from_array
    from yuanluo.planners.presets import preset
    from yuanluo.planners.workflows import Inputs, context_layers, delineate, map_layers

    info: dict[str, Any] = {}
    t = time.perf_counter()
    v = make_village(n, seed=seed)
    info["python_make_village_s"] = round(time.perf_counter() - t, 2)
    tr = v.transform
    terrain = terrain_from_array(v.dem, x0=tr.c, y0=tr.f, res=tr.a, crs=v.crs, source="yuanluo.gis.synth")
    inputs = Inputs(households=v.households, report=None, terrain=terrain, rivers=v.rivers, roads=v.roads,
                    boundary=v.groups)
    t = time.perf_counter()
    g = build_graph(inputs.households, terrain=terrain, rivers=v.rivers, roads=v.roads)
    info["python_graph_s"] = round(time.perf_counter() - t, 2)
    rules = preset(preset_name)
    t = time.perf_counter()
    d = delineate(inputs, rules, seed=seed, graph=g)
    info["python_delineate_s"] = round(time.perf_counter() - t, 2)
    info.update({
        "crs": v.crs.to_string(),
        "dem_shape": list(v.dem.shape),
        "graph_edges": d.summary["graph_edges"],
        "units": d.summary["units"],
        "units_ok": d.summary["units_ok"],
        "exception_units": d.summary["exception_units"],
        "households_in_exceptions": d.summary["households_in_exceptions"],
        "rivers": len(v.rivers),
        "roads": len(v.roads),
        "groups": len(v.groups),
    })
    layers = map_layers({**d.layers, **context_layers(inputs)})
    # d.layers["households"] carries `hid` as a column (as written to the GeoPackage) while make_map takes the
    # ids from the index; index it by `hid` as yuanluo.planners.workflows.read_result does, so the map shows real ids
    hh = layers["households"]
    if "hid" in hh.columns:
        layers["households"] = hh.set_index(hh["hid"].astype(str)).rename_axis("hid").drop(columns="hid")
    return layers, terrain, rules, info


def sample_layers_mode(n: int) -> tuple[dict[str, Any], Any, Any, dict[str, Any]]:
    """The earlier mode: yuanluo.maps.sample synthetic layers (no graph, no delineation)."""
    from yuanluo.maps.sample import sample_layers

    t = time.perf_counter()
    layers = sample_layers(n, block=6, seed=0)
    return layers, None, None, {"python_layers_s": round(time.perf_counter() - t, 2),
                                "units": len(layers["units"])}


def measure_map(layers: dict[str, Any], terrain: Any, rules: Any, html_path: Path, screenshot: Path | None,
                timeout_s: float) -> dict[str, Any]:
    """Build, render and write the HTML; open it in Chromium; return the numbers."""
    from yuanluo.maps.interactive import make_map, render_html

    res: dict[str, Any] = {}
    t = time.perf_counter()
    m = make_map(layers, hillshade=terrain, rules=rules)
    res["python_make_map_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    html = render_html(m)
    res["python_render_html_s"] = round(time.perf_counter() - t, 2)
    res["html_mb_by_part"] = html_breakdown(html)
    data = html.encode("utf-8")
    del html
    html_path.write_bytes(data)
    res["html_bytes"] = len(data)
    res["html_mb"] = round(len(data) / 1e6, 2)
    res["html_gzip_mb"] = round(len(gzip.compress(data, 6)) / 1e6, 2)
    res["under_target"] = len(data) / 1e6 < TARGET_MB
    del data, m
    res["loadavg_before_browser"] = [round(x, 2) for x in os.getloadavg()]
    t = time.perf_counter()
    rep = open_in_chromium(html_path, wait_for="window.yuanluo && window.yuanluo.householdsDrawn && window.yuanluo.nUnits",
                           screenshot=screenshot, timeout_s=timeout_s, evaluate=EVALUATE)
    res["chromium_total_incl_start_s"] = round(time.perf_counter() - t, 2)
    res["chromium_load_to_drawn_s"] = round(rep.load_seconds, 2)
    c = rep.counts
    res.update({
        "households_drawn": c.get("households"),
        "households_painted_at_start": c.get("painted_at_start"),
        "meeting_points_painted_at_start": c.get("meeting_painted_at_start"),
        "household_zoom": c.get("household_zoom"),
        "units_in_page": c.get("units"),
        "start_zoom": c.get("start_zoom"),
        "pan_ms": c.get("pan"),
        "zoom_in_ms": c.get("zoom_in"),
        "pan_zoomed_in_ms": c.get("pan_zoomed_in"),
        "zoom_out_ms": c.get("zoom_out"),
        "zoom_step_ms": c.get("zoom_in_out"),
        "search_unit_found": c.get("search_unit_found"),
        "search_unit_ms": c.get("search_unit"),
        "js_heap_mb": c.get("js_heap_mb"),
        "external_requests": len(rep.external_requests),
        "external_request_urls": rep.external_requests[:10],
        "console_errors": rep.console_errors,
    })
    return res


def _markdown(r: dict[str, Any]) -> str:
    def ms(key: str) -> str:
        v = r.get(key) or {}
        return (f"{v.get('js_median')} / {v.get('painted_median')} (max {v.get('painted_max')})"
                if v else "n/a")

    py = [k for k in r if k.startswith("python_")]
    rows = [
        ("mode", f"{r['layers']} (N = {r['n_households']:,}, seed {r['seed']}"
                 + (f", preset {r['preset']})" if r["layers"] == "synth" else ")")),
        ("units (ok / exceptions)", f"{r.get('units')} ({r.get('units_ok', '—')} / {r.get('exception_units', '—')})"),
        ("HTML size", f"{r['html_mb']} MB (gzip {r['html_gzip_mb']} MB); target < {TARGET_MB:g} MB: "
                      f"{'met' if r['under_target'] else 'NOT met'}"),
        *[(k.removeprefix("python_").removesuffix("_s").replace("_", " ") + " (s)", str(r[k])) for k in py],
        ("Chromium navigation → households drawn (s)", str(r["chromium_load_to_drawn_s"])),
        ("Chromium session (start, load, interactions, screenshot) (s)", str(r["chromium_total_incl_start_s"])),
        ("households in page / painted at start", f"{r['households_drawn']} / {r['households_painted_at_start']}"),
        ("meeting points painted at start", str(r.get("meeting_points_painted_at_start"))),
        ("households drawn from zoom (≈1.5 px apart; or ≤ 20,000 in view)", str(r.get("household_zoom"))),
        ("pan at start zoom, ms: JS / painted", ms("pan_ms")),
        ("zoom in +2, ms: JS / painted", ms("zoom_in_ms")),
        ("pan zoomed in, ms: JS / painted", ms("pan_zoomed_in_ms")),
        ("zoom out −2, ms: JS / painted", ms("zoom_out_ms")),
        ("zoom ±1, ms: JS / painted", ms("zoom_step_ms")),
        ("search a unit id, ms: JS / painted", ms("search_unit_ms")),
        ("JS heap (MB)", str(r["js_heap_mb"])),
        ("HTML MB by part", ", ".join(f"{k} {v}" for k, v in r["html_mb_by_part"].items())),
        ("external requests / console errors", f"{r['external_requests']} / {len(r['console_errors'])}"),
        ("load average at start / before browser / end", f"{r['loadavg_start']} / {r['loadavg_before_browser']}"
                                                         f" / {r['loadavg_end']}"),
        ("machine", r["machine"]),
    ]
    body = "\n".join(f"| {a} | {b} |" for a, b in rows)
    return ("# Field map benchmark (bench/bench_map.py)\n\n"
            "One self-contained HTML file (Leaflet and plugins inlined, no network), opened in headless Chromium "
            "(/usr/bin/chromium, --disable-gpu, 1200×800) with every non-local request blocked. Times on a shared "
            "2-core machine; the load average shows how busy it was.\n\n"
            "Drawing rule (yuanluo.maps.interactive): households are bucketed once by Web-Mercator cell (128 × 128 grid) "
            "and each redraw visits only the cells in view; they (and the meeting points) are drawn from the zoom "
            "at which the median nearest neighbours are about 1.5 px apart, or below it when at most 20,000 are "
            "in view; otherwise the unit fills alone show the plan (so 0 painted at the whole-district view). "
            "Geometry travels as delta-encoded integers (coverage-simplified units, context lines simplified by "
            "max(5 m, extent / 4000), group borders drawn once); exception units are a style flag.\n\n"
            "| measure | value |\n|---|---|\n" + body + "\n\n"
            "On a cheap phone (360 × 640, CPU 4× slower): `bench/bench_map_phone.py`, results in `map_phone.md`.\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--layers", choices=("synth", "sample"), default="synth",
                    help="synth: make_village + graph + delineate (default); sample: yuanluo.maps.sample layers")
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--preset", default="banan")
    ap.add_argument("--out", default=str(OUT / "map"), help="results path without suffix (.json and .md)")
    ap.add_argument("--keep-html", default=None, help="also keep the HTML at this path")
    ap.add_argument("--screenshot", default=str(OUT / "map_100k.png"))
    ap.add_argument("--timeout", type=float, default=300.0)
    a = ap.parse_args()

    load_start = [round(x, 2) for x in os.getloadavg()]
    t_all = time.perf_counter()
    if a.layers == "synth":
        layers, terrain, rules, info = synth_layers(a.n, a.seed, a.preset)
    else:
        layers, terrain, rules, info = sample_layers_mode(a.n)
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(a.keep_html) if a.keep_html else Path(tmp) / "map.html"
        html.parent.mkdir(parents=True, exist_ok=True)
        res = measure_map(layers, terrain, rules, html, Path(a.screenshot) if a.screenshot else None, a.timeout)
    result: dict[str, Any] = {
        "layers": a.layers, "n_households": a.n, "seed": a.seed,
        "preset": a.preset if a.layers == "synth" else None,
        **info, **res,
        "total_s": round(time.perf_counter() - t_all, 1),
        "loadavg_start": load_start,
        "loadavg_end": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "machine": f"{platform.machine()} {platform.python_version()}",
    }
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    out.with_suffix(".md").write_text(_markdown(result), encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
