"""Benchmark: every offline page of a result on a cheap phone — 360 × 640, touch, CPU 4× and 6× slower.

The pages a town official opens: the field map (``delineate --map`` / ``yuanluo demo``), the check report
(``check --report``), the plan editor (``edit``), the coverage map and report (``cover --map --report``) and the
maturity map and report (``maturity load --map --report``). Each is opened as a phone would open it, in
``bench/phone_browser.py``'s phone (shared with ``bench_map_phone.py``): headless Chromium, viewport 360 × 640
CSS px, touch, device scale 2, every non-local request aborted, the CPU slowed by CDP, a fresh profile. Without
Chromium it says so and writes nothing. Run by hand, never by the tests: the numbers are the machine's.

What each number covers (milliseconds of the page's own, throttled, clock — ``performance.now()``):

- **first contentful paint**: the browser's ``first-contentful-paint`` entry;
- **first map painted** (map pages): two animation frames after the ``load`` event, the page's Leaflet map
  created (caught by ``L.Map.addInitHook`` before any script of the page) and loaded; for a report, two frames
  after ``load``;
- **longest task while loading**: the longest ``PerformanceObserver`` 'longtask' until then;
- **tap → card painted**: as soon as the map is painted, a touchscreen tap on a unit (field and maturity maps: the
  unit nearest the map's centre, ``window.yuanluo.unitPolys``) or on the household nearest the centre (coverage
  map, editor), from ``touchstart`` to two frames after the card is shown (``.yl-card`` not hidden; the editor's
  ``.yl-ed-card`` changed); **navigation → card painted** the same end from navigation start: the time to the
  first answer a user gets;
- **pan** and **pinch** (map pages): a one-finger drag of 150 × 100 px (``Input.dispatchTouchEvent``: start,
  12 moves, end) and a pinch × 2 (``Input.synthesizePinchGesture``) at the map's centre; the frames of the gesture and until two frames
  after the map's ``moveend`` / ``zoomend`` are timed by ``requestAnimationFrame``: the worst frame and the
  90th percentile, and the gesture's end → painted;
- **scroll** (reports): a touch scroll of 1,500 px down the page; its worst and 90th-percentile frame;
- **JS heap** and **DOM nodes**: CDP ``Performance.getMetrics`` ``JSHeapUsedSize`` and ``Nodes`` after the
  interactions (MB, count).

Pages are given as ``LABEL=KIND:PATH`` (KIND one of field, report, edit, cover, maturity); their file size and
gzip size are written beside. Writes ``bench/results/pages.json`` and ``bench/results/pages.md``; a rerun keeps
everything of the ``.md`` below the line ``<!-- kept: ... -->`` (findings written by hand).

Run (from the repository root; the pages made by ``check``, ``edit``, ``cover`` and ``maturity`` of a result)::

    flock /tmp/yuanluo-heavy.lock .venv/bin/python bench/bench_pages.py --rates 4,6 \\
        demo-field=field:demo/field.html demo-edit=edit:demo/edit.html …
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import phone_browser as pb  # noqa: E402

OUT = pb.ROOT / "bench" / "results" / "pages"
KEEP = "<!-- kept: a rerun of bench_pages.py rewrites what is above this line and keeps what is below -->"
KINDS = ("field", "report", "edit", "cover", "maturity")

# The page painted: after ``load``, once its Leaflet map (if any) is loaded, two animation frames.
_READY = r"""window.addEventListener('load', function () {
  window.__m.load = performance.now();
  (function wait() {
    var m = window.__maps[0];
    if (document.querySelector('.leaflet-container') && !(m && m._loaded)) { requestAnimationFrame(wait); return; }
    window.__ready();
  })();
});"""


def _drag(cdp: Any, x: float, y: float, dx: float, dy: float, steps: int = 12) -> None:
    """A one-finger drag by (dx, dy) CSS px from (x, y): touch start, ``steps`` moves, end (CDP touch events)."""
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for k in range(1, steps + 1):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove",
                                              "touchPoints": [{"x": x + dx * k / steps, "y": y + dy * k / steps}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def measure_page(html: Path, kind: str, *, rate: float, dpr: float = 2.0, viewport: tuple[int, int] = (360, 640),
                 shots: str | None = None, timeout_s: float = 300.0) -> dict[str, Any]:
    """Open ``html`` (a page of ``kind``) once as a throttled phone; one run's numbers (see the docstring)."""
    with pb.open_phone(html, ready_js=_READY, rate=rate, dpr=dpr, viewport=viewport, timeout_s=timeout_s) as ph:
        page, cdp = ph.page, ph.cdp
        res: dict[str, Any] = page.evaluate("""(() => { const f = performance.getEntriesByName('first-contentful-paint')[0];
          return {fcp_ms: f ? Math.round(f.startTime) : null, load_ms: Math.round(window.__m.load),
                  first_painted_ms: Math.round(window.__m.painted), maps: window.__maps.length}; })()""")
        res["longest_task_loading_ms"] = ph.longest_task(until=res["first_painted_ms"])
        if shots:
            page.screenshot(path=f"{shots}_start.png")
        if res["maps"] > 0 and kind != "report":
            res["tap"] = ph.tap(kind)
            if shots:
                page.screenshot(path=f"{shots}_card.png")
            page.evaluate("window.yuanluo && window.yuanluo.closeCard && window.yuanluo.closeCard(), 0")
            cx, cy = viewport[0] // 2, viewport[1] // 3
            res["pan"] = ph.gesture(lambda: _drag(cdp, cx, cy, -150, -100), "moveend")
            res["pinch"] = ph.pinch(cx, cy, 2.0)
            if shots:
                page.screenshot(path=f"{shots}_pinch.png")
        else:
            page.evaluate("window.__frames(); 0")
            t0 = page.evaluate("performance.now()")
            cdp.send("Input.synthesizeScrollGesture", {"x": viewport[0] // 2, "y": viewport[1] // 2,
                                                       "yDistance": -1500, "speed": 1500,
                                                       "gestureSourceType": "touch", "preventFling": True})
            page.evaluate(pb.FRAMES)
            res["scroll"] = ph.frames(t0)
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        res["js_heap_mb"] = round(metrics.get("JSHeapUsedSize", 0) / 1e6, 1)
        res["dom_nodes"] = int(metrics.get("Nodes", 0))
        res["dom_elements"] = page.evaluate("document.getElementsByTagName('*').length")
    res["console_errors"] = ph.errors
    res["external_requests"] = ph.external
    return res


def _pair(r: dict[str, Any], key: str) -> str | None:
    w, p = pb.get(r, key, "worst_ms"), pb.get(r, key, "p90_ms")
    return None if w is None else f"{w} / {p}"


#: the table's rows: label, and the value of one run
ROWS: list[tuple[str, Any]] = [
    ("file MB (gzip)", None),
    ("first contentful paint", lambda r: r["fcp_ms"]),
    ("first map (or page) painted", lambda r: r["first_painted_ms"]),
    ("longest task while loading", lambda r: r["longest_task_loading_ms"]),
    ("tap → card painted", lambda r: pb.get(r, "tap", "touch_to_card_ms")),
    ("navigation → first card painted", lambda r: pb.get(r, "tap", "nav_to_card_ms")),
    ("pan: worst / p90 frame", lambda r: _pair(r, "pan")),
    ("pan end → painted", lambda r: pb.get(r, "pan", "end_to_painted_ms")),
    ("pinch ×2: worst / p90 frame", lambda r: _pair(r, "pinch")),
    ("pinch end → painted (incl. 250 ms animation)", lambda r: pb.get(r, "pinch", "end_to_painted_ms")),
    ("scroll (reports): worst / p90 frame", lambda r: _pair(r, "scroll")),
    ("JS heap MB", lambda r: r["js_heap_mb"]),
    ("DOM elements", lambda r: r["dom_elements"]),
    ("console errors / external requests", pb.errors_cell),
]


def markdown(result: dict[str, Any]) -> str:
    """One table per CPU rate: a column per page."""
    s = result["settings"]
    lines = ["# Pages on a cheap phone (bench/bench_pages.py)", "",
             pb.setting_line(result, "CPU " + " and ".join(f"{r:g}×" for r in s["rates"]) + " slower"), ""]
    for rate in s["rates"]:
        pages = result["pages"]
        head = [f"CPU {rate:g}× slower"] + [p["label"] for p in pages]
        lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for label, get in ROWS:
            if get is None:
                cells = [f"{p['mb']} ({p['gzip_mb']})" for p in pages]
            else:
                cells = [pb.cell([get(r) for r in p["runs"][str(rate)]]) for p in pages]
            lines.append("| " + " | ".join([label] + cells) + " |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("pages", nargs="+", help="LABEL=KIND:PATH (KIND: " + ", ".join(KINDS) + ")")
    ap.add_argument("--rates", default="4,6", help="CPU slow-down factors, comma-separated (default 4,6)")
    pb.add_arguments(ap, OUT)
    a = ap.parse_args(argv)
    if pb.unavailable("bench_pages"):
        return 0
    width, height = pb.viewport(a.viewport)
    rates = [float(r) for r in a.rates.split(",")]
    load_start = pb.loadavg()
    pages: list[dict[str, Any]] = []
    for spec in a.pages:
        label, rest = spec.split("=", 1)
        kind, path_s = rest.split(":", 1)
        if kind not in KINDS:
            ap.error(f"{spec}: KIND is one of {', '.join(KINDS)}")
        path = Path(path_s)
        data = path.read_bytes()
        runs: dict[str, list[dict[str, Any]]] = {}
        for rate in rates:
            runs[str(rate)] = []
            for k in range(a.runs):
                shots = f"{a.shots}_{label}_{rate:g}x_{k + 1}" if a.shots else None
                runs[str(rate)].append(measure_page(path, kind, rate=rate, dpr=a.dpr, viewport=(width, height),
                                                    shots=shots, timeout_s=a.timeout))
                print(f"{label} {rate:g}x run {k + 1}: {json.dumps(runs[str(rate)][-1], ensure_ascii=False)}",
                      flush=True)
        pages.append({"label": label, "kind": kind, "path": str(path), "bytes": len(data),
                      "mb": round(len(data) / 1e6, 2), "gzip_mb": round(len(gzip.compress(data)) / 1e6, 2),
                      "runs": runs})
    result: dict[str, Any] = {
        "settings": {"viewport": f"{width} × {height}", "dpr": a.dpr, "rates": rates, "runs": a.runs},
        "pages": pages, **pb.machine(load_start)}
    pb.write_results(Path(a.out), result, markdown, KEEP)
    return 0


if __name__ == "__main__":
    sys.exit(main())
