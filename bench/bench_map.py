"""Benchmark: a 100,000-household plan as one offline HTML map, rendered in headless Chromium.

Prints and writes bench/results/map.json: HTML size, time to build and save the map in Python, and
time from navigation to the households drawn in headless Chromium (network blocked), plus the counts
seen in the page. Uses gis.synth.make_village when it exists, otherwise maps.sample.sample_layers.

Run:  /work/venv/bin/python bench/bench_map.py [--n 100000]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from maps.interactive import make_map, save_map  # noqa: E402
from maps.sample import sample_layers  # noqa: E402
from tests.browser import open_in_chromium  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "map.json"))
    args = ap.parse_args()

    t0 = time.perf_counter()
    layers = sample_layers(args.n, block=6, seed=0)  # gis.synth.make_village does not exist yet
    t_layers = time.perf_counter() - t0
    t0 = time.perf_counter()
    m = make_map(layers)
    t_make = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "map.html"
        t0 = time.perf_counter()
        save_map(m, path)
        t_save = time.perf_counter() - t0
        size = path.stat().st_size
        t0 = time.perf_counter()
        rep = open_in_chromium(path, wait_for="window.yuanluo && window.yuanluo.householdsDrawn",
                               screenshot=ROOT / "bench" / "results" / "map_100k.png", timeout_s=180,
                               evaluate={"households": "window.yuanluo.householdsDrawn",
                                         "units": "window.yuanluo.nUnits",
                                         "pan_ms": "(() => { const t = performance.now(); "
                                                   "window.yuanluo.map.panBy([200, 100], {animate: false}); "
                                                   "window.yuanluo.map.fire('moveend'); "
                                                   "return Math.round(performance.now() - t); })()",
                                         "zoom_in_ms": "(() => { const t = performance.now(); "
                                                       "const m = window.yuanluo.map; "
                                                       "m.setZoom(m.getZoom() + 2, {animate: false}); "
                                                       "return Math.round(performance.now() - t); })()"})
        t_browser_total = time.perf_counter() - t0
    result = {
        "n_households": args.n,
        "n_units": len(layers["units"]),
        "html_bytes": size,
        "html_mb": round(size / 1e6, 2),
        "python_layers_s": round(t_layers, 2),
        "python_make_map_s": round(t_make, 2),
        "python_save_s": round(t_save, 2),
        "chromium_load_to_drawn_s": round(rep.load_seconds, 2),
        "chromium_total_incl_start_s": round(t_browser_total, 2),
        "chromium_pan_ms": rep.counts.get("pan_ms"),
        "chromium_zoom_in_ms": rep.counts.get("zoom_in_ms"),
        "households_drawn": rep.counts.get("households"),
        "units_in_page": rep.counts.get("units"),
        "external_requests": len(rep.external_requests),
        "console_errors": rep.console_errors,
        "machine": f"{platform.machine()} {platform.python_version()}",
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
