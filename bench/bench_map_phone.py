"""Benchmark: the offline field map on a cheap phone — 360 × 640, touch, CPU 4× slower — in headless Chromium.

Opens one or more saved field maps (``yuanluo map`` / ``yuanluo demo`` / ``bench/bench_map.py --keep-html``) as a
cheap phone would, in ``bench/phone_browser.py``'s phone (shared with ``bench_pages.py``): headless Chromium,
viewport 360 × 640 CSS px, touch, device scale 2, every non-local request aborted, the CPU slowed by CDP. Without
Chromium or Playwright it says so and writes nothing.

What each time covers (milliseconds; ``performance.now()`` of the page, so the throttled page's own clock):

- **first contentful paint**: the browser's ``first-contentful-paint`` entry (title and controls painted);
- **first map painted**: from navigation start to two animation frames after ``window.yuanluo.map`` and its
  units exist (the map's layers drawn);
- **longest task while loading**: the longest ``PerformanceObserver`` 'longtask' up to then — the time the page
  does not answer while the main script builds the layers;
- **tap → card painted**: a touchscreen tap on the unit nearest the map's centre (a household's card when one
  lies under the finger), from ``touchstart`` to two frames after the ``.yl-card`` is shown; the longest task
  within it beside it;
- **search → painted**: a unit id (the last unit) typed into the search box, from the Enter ``keydown`` to two
  frames after the map's ``moveend``;
- **pinch end → painted**: ``Input.synthesizePinchGesture`` × 2, × ½, × 2 at the map's centre, from the gesture's
  end to two frames after ``zoomend`` (Leaflet's 0.25 s zoom animation included); the worst of the three;
- **zoom step → painted**: ``setZoom(±1, {animate: false})`` four times, from the call to two frames later;
  the worst of the four;
- **JS heap**: ``performance.memory.usedJSHeapSize`` after loading (MB).

Each page is opened ``--runs`` times in a fresh browser profile; the table gives the median over the runs (the range in
brackets), the JSON every run. The machine is shared: the load average is written beside the numbers (other jobs inflate
every time). Writes ``bench/results/map_phone.json`` and ``bench/results/map_phone.md``; a rerun keeps
everything of the ``.md`` below the line ``<!-- kept: ... -->`` (findings written by hand).

Run (from the repository root; each page ≈ 10 s a run)::

    .venv/bin/python bench/bench_map_phone.py                         # the demo (yuanluo demo, 951 households)
    .venv/bin/python bench/bench_map.py --n 10000 --keep-html /tmp/map10k.html --out /tmp/map10k
    .venv/bin/python bench/bench_map_phone.py --demo /tmp/map10k.html --runs 3 --shots /tmp/phone
    .venv/bin/python bench/bench_map_phone.py my-map.html --rate 6 --viewport 390x844 --out /tmp/phone
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import phone_browser as pb  # noqa: E402

OUT = pb.ROOT / "bench" / "results" / "map_phone"
KEEP = "<!-- kept: a rerun of bench_map_phone.py rewrites what is above this line and keeps what is below -->"

# The map painted: two animation frames after ``window.yuanluo.map`` and its units exist, polled from the start.
_READY = r"""(function () {
  function poll() {
    var Y = window.yuanluo;
    if (Y && Y.map && Y.nUnits) { window.__ready(); return; }
    requestAnimationFrame(poll);
  }
  requestAnimationFrame(poll);
})();"""

_LOAD = """(() => {
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  return {fcp_ms: fcp ? Math.round(fcp.startTime) : null, map_ready_ms: Math.round(window.__m.ready),
          first_map_painted_ms: Math.round(window.__m.painted), zoom: window.yuanluo.map.getZoom(),
          households: window.yuanluo.householdsDrawn, units: window.yuanluo.nUnits,
          js_heap_mb: performance.memory ? Math.round(performance.memory.usedJSHeapSize / 1e6) : null}; })()"""


def measure_page(html: Path, *, rate: float = 4.0, dpr: float = 2.0, viewport: tuple[int, int] = (360, 640),
                 shots: str | None = None, timeout_s: float = 300.0) -> dict[str, Any]:
    """Open ``html`` once as a throttled phone and time its load, a tap, a search, pinches and zoom steps.

    ``shots``: a path prefix for screenshots (``_start``, ``_card``, ``_search``, ``_pinch`` ``.png``), or None.
    Returns one run's numbers (ms; see the module docstring); a step the page cannot do is None.
    """
    with pb.open_phone(html, ready_js=_READY, rate=rate, dpr=dpr, viewport=viewport, timeout_s=timeout_s) as ph:
        page = ph.page
        res: dict[str, Any] = page.evaluate(_LOAD)
        res["longest_task_loading_ms"] = ph.longest_task(until=res["first_map_painted_ms"])
        if shots:
            page.screenshot(path=f"{shots}_start.png")
        res["tap"] = ph.tap("field")
        if shots:
            page.screenshot(path=f"{shots}_card.png")

        # search the last unit's id
        target = page.evaluate("(() => { const ids = Object.keys(window.yuanluo.unitPolys);"
                               " return ids.length ? ids[ids.length - 1] : null; })()")
        box = page.locator(".yl-search input")
        res["search"] = None
        if target is not None and box.count():
            page.evaluate("window.__moved = 0; window.yuanluo.map.once('moveend',"
                          " () => { window.__moved = performance.now(); }); 0")
            box.first.fill(target)
            box.first.press("Enter")
            try:
                page.wait_for_function("window.__moved", timeout=60_000)
                moved = True
            except Exception:  # noqa: BLE001 - already in view: the map did not move
                moved = False
            t1 = page.evaluate(pb.FRAMES)
            res["search"] = {"unit": target, "moved": moved,
                             "keydown_to_painted_ms": round(t1 - page.evaluate("window.__m")["keydown"])}
        if shots:
            page.screenshot(path=f"{shots}_search.png")

        # pinches at the map's centre, the card closed
        page.evaluate("window.yuanluo.closeCard && window.yuanluo.closeCard(), 0")
        res["pinch_end_to_painted_ms"] = [ph.pinch(viewport[0] // 2, viewport[1] // 2, scale)["end_to_painted_ms"]
                                          for scale in (2.0, 0.5, 2.0)]
        if shots:
            page.screenshot(path=f"{shots}_pinch.png")
        steps: list[int] = []
        for d in (1, -1, 1, -1):
            t0 = page.evaluate("performance.now()")
            t1 = page.evaluate(f"(() => {{ const m = window.yuanluo.map;"
                               f" m.setZoom(m.getZoom() + ({d}), {{animate: false}}); return {pb.FRAMES}; }})()")
            steps.append(round(t1 - t0))
        res["zoom_step_painted_ms"] = steps
    res["console_errors"] = ph.errors
    res["external_requests"] = ph.external
    return res


def _worst(values: list[Any] | None) -> Any:
    vals = [v for v in values or [] if v is not None]
    return max(vals) if vals else None


#: the table's rows: label, and the value of one run
ROWS: list[tuple[str, Any]] = [
    ("first contentful paint", lambda r: r["fcp_ms"]),
    ("first map painted", lambda r: r["first_map_painted_ms"]),
    ("longest task while loading", lambda r: r["longest_task_loading_ms"]),
    ("tap → card painted", lambda r: pb.get(r, "tap", "touch_to_card_ms")),
    ("longest task in the tap", lambda r: pb.get(r, "tap", "longest_task_ms")),
    ("search a unit id → painted", lambda r: pb.get(r, "search", "keydown_to_painted_ms")),
    ("pinch end → painted, worst of 3 (incl. 250 ms animation)", lambda r: _worst(r["pinch_end_to_painted_ms"])),
    ("zoom step ±1 → painted, worst of 4", lambda r: _worst(r["zoom_step_painted_ms"])),
    ("JS heap (MB)", lambda r: r["js_heap_mb"]),
    ("console errors / external requests", pb.errors_cell),
]


def markdown(result: dict[str, Any]) -> str:
    """The results as Markdown: settings, one column per page."""
    pages = result["pages"]
    head = ["measure (ms)"] + [f"{p['label']} ({p['households']} households, {p['mb']} MB)" for p in pages]
    lines = ["# Field map on a cheap phone (bench/bench_map_phone.py)", "",
             pb.setting_line(result, f"CPU {result['settings']['rate']:g}× slower"), "",
             "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for label, get in ROWS:
        lines.append("| " + " | ".join([label] + [pb.cell([get(r) for r in p["runs"]]) for p in pages]) + " |")
    return "\n".join(lines) + "\n"


def make_demo(folder: Path) -> Path:
    """``yuanluo demo`` into ``folder``; the path of its field map."""
    subprocess.run([sys.executable, "-c", "from yuanluo.planners.launch import main; main()",
                    "demo", "--output-dir", str(folder), "--quiet"], check=True)
    return folder / "demo.html"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("pages", nargs="*", help="saved field maps (HTML); none: --demo")
    ap.add_argument("--demo", action="store_true", help="also (first) the demo's map, made by `yuanluo demo`")
    ap.add_argument("--rate", type=float, default=4.0, help="CPU slow-down factor (default 4)")
    pb.add_arguments(ap, OUT)
    a = ap.parse_args(argv)
    if pb.unavailable("bench_map_phone"):
        return 0
    width, height = pb.viewport(a.viewport)
    load_start = pb.loadavg()
    pages: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        paths = [Path(p) for p in a.pages]
        if a.demo or not paths:
            paths.insert(0, make_demo(Path(tmp) / "demo"))
        for path in paths:
            label = path.stem
            data = path.read_bytes()
            runs = []
            for k in range(a.runs):
                shots = f"{a.shots}_{label}_{k + 1}" if a.shots else None
                if shots:
                    Path(shots).parent.mkdir(parents=True, exist_ok=True)
                runs.append(measure_page(path, rate=a.rate, dpr=a.dpr, viewport=(width, height), shots=shots,
                                         timeout_s=a.timeout))
                print(f"{label} run {k + 1}: {json.dumps(runs[-1], ensure_ascii=False)}", flush=True)
            pages.append({"label": label, "path": "yuanluo demo" if path.parent == Path(tmp) / "demo" else str(path),
                          "households": runs[0]["households"],
                          "units": runs[0]["units"], "mb": round(len(data) / 1e6, 2),
                          "gzip_mb": round(len(gzip.compress(data)) / 1e6, 2), "runs": runs})
    result: dict[str, Any] = {
        "settings": {"viewport": f"{width} × {height}", "dpr": a.dpr, "rate": a.rate, "runs": a.runs},
        "pages": pages, **pb.machine(load_start)}
    pb.write_results(Path(a.out), result, markdown, KEEP)
    return 0


if __name__ == "__main__":
    sys.exit(main())
