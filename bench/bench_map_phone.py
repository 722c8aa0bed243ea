"""Benchmark: the offline field map on a cheap phone — 360 × 640, touch, CPU 4× slower — in headless Chromium.

Opens one or more saved field maps (``yuanluo map`` / ``yuanluo demo`` / ``bench/bench_map.py --keep-html``) as a
phone would: Playwright driving ``/usr/bin/chromium`` (``$CHROMIUM``; never a downloaded browser), viewport
360 × 640 CSS px, touch, device scale 2, every non-local request aborted, and the CPU slowed by the DevTools
protocol (``Emulation.setCPUThrottlingRate``, set before navigation); the page's Content-Security-Policy is
bypassed (Playwright's polling waits evaluate strings; the map's own checks are the tests' business). Without Chromium or Playwright it says so
and writes nothing.

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

Each page is opened ``--runs`` times in a fresh browser profile; the table gives the range over the runs, the
JSON every run. The machine is shared: the load average is written beside the numbers (other jobs inflate
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
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM_FLAGS, _font_env, browser_unavailable_reason, chromium_path  # noqa: E402

OUT = ROOT / "bench" / "results" / "map_phone"
KEEP = "<!-- kept: a rerun of bench_map_phone.py rewrites what is above this line and keeps what is below -->"

# Before any script of the page: long tasks, the first map painted, and the input events' times.
_INIT = r"""(function () {
  window.__m = {}; window.__lt = [];
  try {
    new PerformanceObserver(function (l) { l.getEntries().forEach(function (e) {
      window.__lt.push([Math.round(e.startTime), Math.round(e.duration)]); }); })
      .observe({type: 'longtask', buffered: true});
  } catch (e) { /* no long-task timing in this browser */ }
  function poll() {
    var Y = window.yuanluo;
    if (Y && Y.map && Y.nUnits && !window.__m.ready) {
      window.__m.ready = performance.now();
      requestAnimationFrame(function () { requestAnimationFrame(function () {
        window.__m.painted = performance.now(); }); });
    }
    if (!window.__m.painted) requestAnimationFrame(poll);
  }
  requestAnimationFrame(poll);
  ['touchstart', 'touchend', 'click', 'keydown'].forEach(function (t) {
    document.addEventListener(t, function () { window.__m[t] = performance.now(); }, true); });
})();"""

# Resolves two animation frames later (the canvas and the vector layers painted), with the time then.
_FRAMES = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))"

_LOAD = """(() => {
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  return {fcp_ms: fcp ? Math.round(fcp.startTime) : null, map_ready_ms: Math.round(window.__m.ready),
          first_map_painted_ms: Math.round(window.__m.painted), zoom: window.yuanluo.map.getZoom(),
          households: window.yuanluo.householdsDrawn, units: window.yuanluo.nUnits,
          js_heap_mb: performance.memory ? Math.round(performance.memory.usedJSHeapSize / 1e6) : null}; })()"""

# The screen point of the unit nearest the map's centre whose bounding box centre lies inside it
# (else the map's centre), and that unit's id.
_TAP_POINT = """(() => {
  const Y = window.yuanluo, m = Y.map, c = m.getCenter(); let best = null, bd = Infinity;
  for (const id in Y.unitPolys) {
    const b = Y.unitBounds[id], lat = (b[0] + b[2]) / 2, lon = (b[1] + b[3]) / 2;
    if (!Y.unitPolys[id].some(q => Y.inside(q._ylGeo, lat, lon))) continue;
    const d = (lat - c.lat) ** 2 + (lon - c.lng) ** 2; if (d < bd) { bd = d; best = [lat, lon, id]; }
  }
  const r = m.getContainer().getBoundingClientRect();
  if (!best) return [r.left + r.width / 2, r.top + r.height / 2, null];
  const pt = m.latLngToContainerPoint([best[0], best[1]]);
  return [r.left + pt.x, r.top + pt.y, best[2]]; })()"""


def _longtasks_since(page: Any, t0: float) -> list[int]:
    """Durations (ms) of the long tasks that ended after ``t0``."""
    return [d for s, d in page.evaluate("window.__lt") if s + d >= t0]


def measure_page(html: Path, *, rate: float = 4.0, dpr: float = 2.0, viewport: tuple[int, int] = (360, 640),
                 shots: str | None = None, timeout_s: float = 300.0) -> dict[str, Any]:
    """Open ``html`` once as a throttled phone and time its load, a tap, a search, pinches and zoom steps.

    ``shots``: a path prefix for screenshots (``_start``, ``_card``, ``_search``, ``_pinch`` ``.png``), or None.
    Returns one run's numbers (ms; see the module docstring); a step the page cannot do is None.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    limit = int(timeout_s * 1000)
    res: dict[str, Any] = {}
    errors: list[str] = []
    external: list[str] = []
    profile = tempfile.mkdtemp(prefix="yl-phone-")
    try:
        with sync_playwright() as pw:
            ctx = pw.chromium.launch_persistent_context(
                profile, executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS,
                env=dict(_font_env(profile)), viewport={"width": viewport[0], "height": viewport[1]},
                has_touch=True, is_mobile=True, device_scale_factor=dpr, service_workers="block",
                # Playwright's polling waits evaluate strings, which the page's CSP (no 'unsafe-eval') refuses
                bypass_csp=True)

            def on_route(route: Any) -> None:
                if route.request.url.startswith(("file:", "data:", "blob:", "about:")):
                    route.continue_()
                else:
                    external.append(route.request.url)
                    route.abort()

            ctx.route("**/*", on_route)
            page = ctx.pages[0] if ctx.pages else ctx.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
            cdp = ctx.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
            page.add_init_script(_INIT)
            page.goto(html.resolve().as_uri(), wait_until="load", timeout=limit)
            page.wait_for_function("window.__m && window.__m.painted", timeout=limit)
            res.update(page.evaluate(_LOAD))
            res["longest_task_loading_ms"] = max((d for s, d in page.evaluate("window.__lt")
                                                  if s <= res["first_map_painted_ms"]), default=0)
            if shots:
                page.screenshot(path=f"{shots}_start.png")

            # tap the unit nearest the map's centre
            x, y, uid = page.evaluate(_TAP_POINT)
            t0 = page.evaluate("performance.now()")
            page.touchscreen.tap(x, y)
            try:
                page.wait_for_function("(() => { const c = document.querySelector('.yl-card');"
                                       " return c && !c.hidden; })()", timeout=60_000)
                t1 = page.evaluate(_FRAMES)
                res["tap"] = {"unit": uid, "touchstart_to_card_painted_ms": round(t1 - page.evaluate("window.__m")
                                                                                   ["touchstart"]),
                              "longest_task_ms": max(_longtasks_since(page, t0), default=0)}
            except PlaywrightTimeout:  # no card opened under the finger
                res["tap"] = None
            if shots:
                page.screenshot(path=f"{shots}_card.png")

            # search the last unit's id
            target = page.evaluate("(() => { const ids = Object.keys(window.yuanluo.unitPolys);"
                                   " return ids.length ? ids[ids.length - 1] : null; })()")
            box = page.locator(".yl-search input")
            if target is not None and box.count():
                page.evaluate("window.__moved = 0; window.yuanluo.map.once('moveend',"
                              " () => { window.__moved = performance.now(); }); 0")
                box.first.fill(target)
                box.first.press("Enter")
                try:
                    page.wait_for_function("window.__moved", timeout=60_000)
                    moved = True
                except PlaywrightTimeout:  # already in view: the map did not move
                    moved = False
                t1 = page.evaluate(_FRAMES)
                res["search"] = {"unit": target, "moved": moved,
                                 "keydown_to_painted_ms": round(t1 - page.evaluate("window.__m")["keydown"])}
            else:
                res["search"] = None
            if shots:
                page.screenshot(path=f"{shots}_search.png")

            # pinches at the map's centre, the card closed
            page.evaluate("window.yuanluo.closeCard && window.yuanluo.closeCard(), 0")
            pinches: list[int | None] = []
            for scale in (2.0, 0.5, 2.0):
                page.evaluate("window.__z = 0; window.yuanluo.map.once('zoomend',"
                              " () => { window.__z = performance.now(); }); 0")
                cdp.send("Input.synthesizePinchGesture", {
                    "x": viewport[0] // 2, "y": viewport[1] // 2, "scaleFactor": scale, "relativeSpeed": 800,
                    "gestureSourceType": "touch"})
                t_end = page.evaluate("performance.now()")
                try:
                    page.wait_for_function("window.__z", timeout=60_000)
                except PlaywrightTimeout:  # the zoom did not change (at the map's zoom limit)
                    pinches.append(None)
                    continue
                pinches.append(round(page.evaluate(_FRAMES) - t_end))
            res["pinch_end_to_painted_ms"] = pinches
            if shots:
                page.screenshot(path=f"{shots}_pinch.png")

            steps: list[int] = []
            for d in (1, -1, 1, -1):
                t0 = page.evaluate("performance.now()")
                t1 = page.evaluate(f"(() => {{ const m = window.yuanluo.map;"
                                   f" m.setZoom(m.getZoom() + ({d}), {{animate: false}}); return {_FRAMES}; }})()")
                steps.append(round(t1 - t0))
            res["zoom_step_painted_ms"] = steps
            ctx.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    res["console_errors"] = errors
    res["external_requests"] = external
    return res


def _span(values: list[Any]) -> str:
    """'a–b' (or 'a') over the runs' values, '—' when none."""
    vals = [v for v in values if v is not None]
    if not vals:
        return "—"
    lo, hi = min(vals), max(vals)
    return f"{lo}" if lo == hi else f"{lo}–{hi}"


def _worst(values: list[Any] | None) -> Any:
    vals = [v for v in values or [] if v is not None]
    return max(vals) if vals else None


#: the table's rows: label, and the value of one run
ROWS: list[tuple[str, Any]] = [
    ("first contentful paint", lambda r: r["fcp_ms"]),
    ("first map painted", lambda r: r["first_map_painted_ms"]),
    ("longest task while loading", lambda r: r["longest_task_loading_ms"]),
    ("tap → card painted", lambda r: r["tap"] and r["tap"]["touchstart_to_card_painted_ms"]),
    ("longest task in the tap", lambda r: r["tap"] and r["tap"]["longest_task_ms"]),
    ("search a unit id → painted", lambda r: r["search"] and r["search"]["keydown_to_painted_ms"]),
    ("pinch end → painted, worst of 3 (incl. 250 ms animation)", lambda r: _worst(r["pinch_end_to_painted_ms"])),
    ("zoom step ±1 → painted, worst of 4", lambda r: _worst(r["zoom_step_painted_ms"])),
    ("JS heap (MB)", lambda r: r["js_heap_mb"]),
    ("console errors / external requests", lambda r: f"{len(r['console_errors'])} / {len(r['external_requests'])}"),
]


def markdown(result: dict[str, Any], kept: str = "") -> str:
    """The results as Markdown: settings, one column per page (range over the runs), then ``kept``."""
    s = result["settings"]
    pages = result["pages"]
    head = ["measure (ms)"] + [f"{p['label']} ({p['households']} households, {p['mb']} MB)" for p in pages]
    lines = [
        "# Field map on a cheap phone (bench/bench_map_phone.py)", "",
        f"Headless Chromium (Playwright, /usr/bin/chromium), viewport {s['viewport']}, touch, device scale "
        f"{s['dpr']:g}, network blocked, CPU {s['rate']:g}× slower (CDP `Emulation.setCPUThrottlingRate`); "
        f"{s['runs']} run(s) of each page, the range over the runs. What each time covers: the script's docstring. "
        f"Load average at start / end: {result['loadavg_start']} / {result['loadavg_end']} "
        f"({result['cpus']} CPUs, {result['machine']}); {result['date']}.", "",
        "| " + " | ".join(head) + " |", "|" + "---|" * len(head),
    ]
    for label, get in ROWS:
        lines.append("| " + " | ".join([label] + [_span([get(r) for r in p["runs"]]) for p in pages]) + " |")
    text = "\n".join(lines) + "\n"
    return text + ("\n" + KEEP + "\n" + kept if kept else "")


def _kept(md: Path) -> str:
    """What the old results file holds below the KEEP line ('' when none)."""
    if not md.exists():
        return ""
    old = md.read_text(encoding="utf-8")
    return old.split(KEEP, 1)[1].lstrip("\n") if KEEP in old else ""


def make_demo(folder: Path) -> Path:
    """``yuanluo demo`` into ``folder``; the path of its field map."""
    subprocess.run([sys.executable, "-c", "from yuanluo.planners.launch import main; main()",
                    "demo", "--output-dir", str(folder), "--quiet"], check=True)
    return folder / "demo.html"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("pages", nargs="*", help="saved field maps (HTML); none: --demo")
    ap.add_argument("--demo", action="store_true", help="also (first) the demo's map, made by `yuanluo demo`")
    ap.add_argument("--runs", type=int, default=1, help="runs of each page (default 1)")
    ap.add_argument("--rate", type=float, default=4.0, help="CPU slow-down factor (default 4)")
    ap.add_argument("--dpr", type=float, default=2.0, help="device scale factor (default 2)")
    ap.add_argument("--viewport", default="360x640", help="WIDTHxHEIGHT in CSS px (default 360x640)")
    ap.add_argument("--shots", default=None, help="screenshots to this path prefix (…_<page>_<run>_start.png …)")
    ap.add_argument("--out", default=str(OUT), help="results path without suffix (.json and .md)")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds for a page to load")
    a = ap.parse_args(argv)

    reason = browser_unavailable_reason()
    if reason is not None:
        print(f"bench_map_phone: skipped, {reason}", file=sys.stderr)
        return 0
    width, height = (int(v) for v in a.viewport.lower().split("x"))
    load_start = [round(x, 2) for x in os.getloadavg()]
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
        "pages": pages,
        "loadavg_start": load_start,
        "loadavg_end": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "machine": f"{platform.machine()} {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
    }
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    md = out.with_suffix(".md")
    kept = _kept(md)
    out.with_suffix(".json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md.write_text(markdown(result, kept), encoding="utf-8")
    print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
