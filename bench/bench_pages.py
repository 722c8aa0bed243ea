"""Benchmark: every offline page of a result on a cheap phone — 360 × 640, touch, CPU 4× and 6× slower.

The pages a town official opens: the field map (``delineate --map`` / ``yuanluo demo``), the check report
(``check --report``), the plan editor (``edit``), the coverage map and report (``cover --map --report``) and the
maturity map and report (``maturity load --map --report``). Each is opened as a phone would open it: Playwright
driving ``/usr/bin/chromium`` (``$CHROMIUM``; never a downloaded browser), viewport 360 × 640 CSS px, touch,
device scale 2, every non-local request aborted, the CPU slowed by the DevTools protocol
(``Emulation.setCPUThrottlingRate``, set before navigation), in a fresh profile. The page's
Content-Security-Policy is bypassed (Playwright's waits evaluate strings). Without Chromium it says so and writes
nothing. Run by hand, never by the tests: the numbers are the machine's.

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
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM_FLAGS, _font_env, browser_unavailable_reason, chromium_path  # noqa: E402

OUT = ROOT / "bench" / "results" / "pages"
KEEP = "<!-- kept: a rerun of bench_pages.py rewrites what is above this line and keeps what is below -->"
KINDS = ("field", "report", "edit", "cover", "maturity")

# Before any script of the page: long tasks, the Leaflet maps made, the first paint after load, input times.
_INIT = r"""(function () {
  window.__m = {}; window.__lt = []; window.__maps = []; window.__fr = null;
  try {
    new PerformanceObserver(function (l) { l.getEntries().forEach(function (e) {
      window.__lt.push([Math.round(e.startTime), Math.round(e.duration)]); }); })
      .observe({type: 'longtask', buffered: true});
  } catch (e) { /* no long-task timing */ }
  var L_;
  Object.defineProperty(window, 'L', {configurable: true, get: function () { return L_; }, set: function (v) {
    L_ = v; if (v && v.Map && v.Map.addInitHook) v.Map.addInitHook(function () { window.__maps.push(this); }); }});
  window.addEventListener('load', function () {
    window.__m.load = performance.now();
    function wait() {
      var m = window.__maps[0];
      if (document.querySelector('.leaflet-container') && !(m && m._loaded)) { requestAnimationFrame(wait); return; }
      window.__m.ready = performance.now();
      requestAnimationFrame(function () { requestAnimationFrame(function () {
        window.__m.painted = performance.now(); }); });
    }
    wait();
  });
  ['touchstart', 'touchend', 'keydown'].forEach(function (t) {
    document.addEventListener(t, function () { window.__m[t] = performance.now(); }, true); });
  // frame recorder: window.__fr collects rAF times while on
  window.__frames = function () { window.__fr = []; (function f(t) { if (window.__fr) { window.__fr.push(t);
    requestAnimationFrame(f); } })(performance.now()); };
})();"""

_FRAMES = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))"

# A screen point to tap and what it is: a unit (nearest the map's centre, its bounding box centre inside it) on the
# field and maturity maps; the household nearest the map's centre on the coverage map and in the editor.
_TAP = """(kind) => {
  const Y = window.yuanluo, m = window.__maps[0], c = m.getCenter(), r = m.getContainer().getBoundingClientRect();
  let best = null, bd = Infinity;
  if (kind === 'field' || kind === 'maturity') {
    for (const id in Y.unitPolys) {
      const b = Y.unitBounds[id], lat = (b[0] + b[2]) / 2, lon = (b[1] + b[3]) / 2;
      if (!Y.unitPolys[id].some(q => Y.inside(q._ylGeo, lat, lon))) continue;
      const d = (lat - c.lat) ** 2 + (lon - c.lng) ** 2; if (d < bd) { bd = d; best = [lat, lon, 'unit ' + id]; }
    }
  } else {
    const xy = kind === 'edit' ? Y.editorPage : Y.households.xy;
    for (let i = 0; i < xy.lat.length; i++) {
      const d = (xy.lat[i] - c.lat) ** 2 + (xy.lon[i] - c.lng) ** 2;
      if (d < bd) { bd = d; best = [xy.lat[i], xy.lon[i], 'household ' + i]; }
    }
  }
  if (!best) return [r.left + r.width / 2, r.top + r.height / 2, null];
  const pt = m.latLngToContainerPoint([best[0], best[1]]);
  return [r.left + pt.x, r.top + pt.y, best[2]]; }"""

_CARD = {"edit": "(() => { const c = document.querySelector('.yl-ed-card'); return c && c.textContent !== window.__card; })()"}
_CARD_DEFAULT = "(() => { const c = document.querySelector('.yl-card'); return c && !c.hidden; })()"


def _frames(page: Any, t_from: float) -> dict[str, Any]:
    """Stop the frame recorder; the worst and 90th-percentile frame (ms) after ``t_from``."""
    fr = page.evaluate("(() => { const f = window.__fr; window.__fr = null; return f; })()") or []
    d = [b - a for a, b in zip(fr, fr[1:], strict=False) if b >= t_from]
    if not d:
        return {"frames": 0, "worst_ms": None, "p90_ms": None}
    d.sort()
    return {"frames": len(d), "worst_ms": round(d[-1]), "p90_ms": round(d[min(len(d) - 1, int(0.9 * len(d)))])}


def _drag(cdp: Any, x: float, y: float, dx: float, dy: float, steps: int = 12) -> None:
    """A one-finger drag by (dx, dy) CSS px from (x, y): touch start, ``steps`` moves, end (CDP touch events)."""
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for k in range(1, steps + 1):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove",
                                              "touchPoints": [{"x": x + dx * k / steps, "y": y + dy * k / steps}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def _gesture(page: Any, cdp: Any, method: str, params: dict[str, Any], event: str) -> dict[str, Any]:
    """One gesture with the frames recorded from its start until two frames after the map's ``event``."""
    page.evaluate(f"window.__ev = 0; window.__maps[0].once('{event}', () => {{ window.__ev = performance.now(); }});"
                  " window.__frames(); 0")
    t0 = page.evaluate("performance.now()")
    if method == "drag":
        _drag(cdp, **params)
    else:
        cdp.send(method, params)
    t_end = page.evaluate("performance.now()")
    try:
        page.wait_for_function("window.__ev", timeout=15_000)
    except Exception:  # noqa: BLE001 - the map did not move (at its limit)
        pass
    t1 = page.evaluate(_FRAMES)
    res = _frames(page, t0)
    res["end_to_painted_ms"] = round(t1 - t_end)
    return res


def measure_page(html: Path, kind: str, *, rate: float, dpr: float = 2.0, viewport: tuple[int, int] = (360, 640),
                 shots: str | None = None, timeout_s: float = 300.0) -> dict[str, Any]:
    """Open ``html`` (a page of ``kind``) once as a throttled phone; one run's numbers (see the docstring)."""
    from playwright.sync_api import sync_playwright

    limit = int(timeout_s * 1000)
    res: dict[str, Any] = {}
    errors: list[str] = []
    external: list[str] = []
    profile = tempfile.mkdtemp(prefix="yl-pages-")
    try:
        with sync_playwright() as pw:
            ctx = pw.chromium.launch_persistent_context(
                profile, executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS,
                env=dict(_font_env(profile)), viewport={"width": viewport[0], "height": viewport[1]},
                has_touch=True, is_mobile=True, device_scale_factor=dpr, service_workers="block", bypass_csp=True)

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
            cdp.send("Performance.enable")
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
            page.add_init_script(_INIT)
            page.goto(html.resolve().as_uri(), wait_until="load", timeout=limit)
            page.wait_for_function("window.__m && window.__m.painted", timeout=limit)
            res.update(page.evaluate("""(() => { const f = performance.getEntriesByName('first-contentful-paint')[0];
              return {fcp_ms: f ? Math.round(f.startTime) : null, load_ms: Math.round(window.__m.load),
                      first_painted_ms: Math.round(window.__m.painted), maps: window.__maps.length}; })()"""))
            res["longest_task_loading_ms"] = max((d for s, d in page.evaluate("window.__lt")
                                                  if s <= res["first_painted_ms"]), default=0)
            if shots:
                page.screenshot(path=f"{shots}_start.png")
            has_map = res["maps"] > 0 and kind != "report"
            if has_map:
                page.evaluate("window.__card = (document.querySelector('.yl-ed-card') || {}).textContent; 0")
                x, y, what = page.evaluate(_TAP, kind)
                t0 = page.evaluate("performance.now()")
                page.touchscreen.tap(x, y)
                try:
                    page.wait_for_function(_CARD.get(kind, _CARD_DEFAULT), timeout=60_000)
                    t1 = page.evaluate(_FRAMES)
                    ts = page.evaluate("window.__m")["touchstart"]
                    res["tap"] = {"on": what, "touch_to_card_ms": round(t1 - ts), "nav_to_card_ms": round(t1),
                                  "longest_task_ms": max((d for s, d in page.evaluate("window.__lt")
                                                          if s + d >= t0), default=0)}
                except Exception:  # noqa: BLE001 - no card under the finger
                    res["tap"] = {"on": what, "touch_to_card_ms": None, "nav_to_card_ms": None, "longest_task_ms": None}
                if shots:
                    page.screenshot(path=f"{shots}_card.png")
                page.evaluate("window.yuanluo && window.yuanluo.closeCard && window.yuanluo.closeCard(), 0")
                cx, cy = viewport[0] // 2, viewport[1] // 3
                res["pan"] = _gesture(page, cdp, "drag", {"x": cx, "y": cy, "dx": -150, "dy": -100}, "moveend")
                res["pinch"] = _gesture(page, cdp, "Input.synthesizePinchGesture",
                                        {"x": cx, "y": cy, "scaleFactor": 2.0, "relativeSpeed": 800,
                                         "gestureSourceType": "touch"}, "zoomend")
                if shots:
                    page.screenshot(path=f"{shots}_pinch.png")
            else:
                page.evaluate("window.__frames(); 0")
                t0 = page.evaluate("performance.now()")
                cdp.send("Input.synthesizeScrollGesture", {"x": viewport[0] // 2, "y": viewport[1] // 2,
                                                           "yDistance": -1500, "speed": 1500,
                                                           "gestureSourceType": "touch", "preventFling": True})
                page.evaluate(_FRAMES)
                res["scroll"] = _frames(page, t0)
            metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
            res["js_heap_mb"] = round(metrics.get("JSHeapUsedSize", 0) / 1e6, 1)
            res["dom_nodes"] = int(metrics.get("Nodes", 0))
            res["dom_elements"] = page.evaluate("document.getElementsByTagName('*').length")
            ctx.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    res["console_errors"] = errors
    res["external_requests"] = external
    return res


def _get(r: dict[str, Any], *keys: str) -> Any:
    for k in keys:
        if not isinstance(r, dict) or r.get(k) is None:
            return None
        r = r[k]
    return r


#: the table's rows: label, and the value of one run
ROWS: list[tuple[str, Any]] = [
    ("file MB (gzip)", None),
    ("first contentful paint", lambda r: r["fcp_ms"]),
    ("first map (or page) painted", lambda r: r["first_painted_ms"]),
    ("longest task while loading", lambda r: r["longest_task_loading_ms"]),
    ("tap → card painted", lambda r: _get(r, "tap", "touch_to_card_ms")),
    ("navigation → first card painted", lambda r: _get(r, "tap", "nav_to_card_ms")),
    ("pan: worst / p90 frame", lambda r: _pair(r, "pan")),
    ("pan end → painted", lambda r: _get(r, "pan", "end_to_painted_ms")),
    ("pinch ×2: worst / p90 frame", lambda r: _pair(r, "pinch")),
    ("pinch end → painted (incl. 250 ms animation)", lambda r: _get(r, "pinch", "end_to_painted_ms")),
    ("scroll (reports): worst / p90 frame", lambda r: _pair(r, "scroll")),
    ("JS heap MB", lambda r: r["js_heap_mb"]),
    ("DOM elements", lambda r: r["dom_elements"]),
    ("console errors / external requests", lambda r: f"{len(r['console_errors'])} / {len(r['external_requests'])}"),
]


def _pair(r: dict[str, Any], key: str) -> str | None:
    w, p = _get(r, key, "worst_ms"), _get(r, key, "p90_ms")
    return None if w is None else f"{w} / {p}"


def _cell(values: list[Any]) -> str:
    vals = [v for v in values if v is not None]
    if not vals:
        return "—"
    if all(isinstance(v, (int, float)) for v in vals):
        return str(vals[0]) if len(vals) == 1 else f"{statistics.median(vals):g} ({min(vals)}–{max(vals)})"
    return " · ".join(dict.fromkeys(str(v) for v in vals))


def markdown(result: dict[str, Any], kept: str = "") -> str:
    """One table per CPU rate: a column per page (the median over runs, the range in brackets), then ``kept``."""
    s = result["settings"]
    lines = ["# Pages on a cheap phone (bench/bench_pages.py)", "",
             f"Headless Chromium (Playwright, /usr/bin/chromium), viewport {s['viewport']}, touch, device scale "
             f"{s['dpr']:g}, network blocked, CPU slowed by CDP `Emulation.setCPUThrottlingRate`; {s['runs']} run(s) "
             f"of each page at each rate. Times in ms of the page's own clock; what each covers: the script's "
             f"docstring. Load average at start / end: {result['loadavg_start']} / {result['loadavg_end']} "
             f"({result['cpus']} CPUs, {result['machine']}); {result['date']}.", ""]
    for rate in s["rates"]:
        pages = result["pages"]
        head = [f"CPU {rate:g}× slower"] + [p["label"] for p in pages]
        lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for label, get in ROWS:
            if get is None:
                cells = [f"{p['mb']} ({p['gzip_mb']})" for p in pages]
            else:
                cells = [_cell([get(r) for r in p["runs"][str(rate)]]) for p in pages]
            lines.append("| " + " | ".join([label] + cells) + " |")
        lines.append("")
    text = "\n".join(lines)
    return text + ("\n" + KEEP + "\n" + kept if kept else "")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("pages", nargs="+", help="LABEL=KIND:PATH (KIND: " + ", ".join(KINDS) + ")")
    ap.add_argument("--runs", type=int, default=1, help="runs of each page at each rate (default 1)")
    ap.add_argument("--rates", default="4,6", help="CPU slow-down factors, comma-separated (default 4,6)")
    ap.add_argument("--dpr", type=float, default=2.0)
    ap.add_argument("--viewport", default="360x640", help="WIDTHxHEIGHT in CSS px (default 360x640)")
    ap.add_argument("--shots", default=None, help="screenshots to this path prefix")
    ap.add_argument("--out", default=str(OUT), help="results path without suffix (.json and .md)")
    a = ap.parse_args(argv)

    reason = browser_unavailable_reason()
    if reason is not None:
        print(f"bench_pages: skipped, {reason}", file=sys.stderr)
        return 0
    width, height = (int(v) for v in a.viewport.lower().split("x"))
    rates = [float(r) for r in a.rates.split(",")]
    load_start = [round(x, 2) for x in os.getloadavg()]
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
                                                    shots=shots))
                print(f"{label} {rate:g}x run {k + 1}: {json.dumps(runs[str(rate)][-1], ensure_ascii=False)}",
                      flush=True)
        pages.append({"label": label, "kind": kind, "path": str(path), "bytes": len(data),
                      "mb": round(len(data) / 1e6, 2), "gzip_mb": round(len(gzip.compress(data)) / 1e6, 2),
                      "runs": runs})
    result: dict[str, Any] = {
        "settings": {"viewport": f"{width} × {height}", "dpr": a.dpr, "rates": rates, "runs": a.runs},
        "pages": pages, "loadavg_start": load_start, "loadavg_end": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(), "machine": f"{platform.machine()} {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
    }
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    md = out.with_suffix(".md")
    old = md.read_text(encoding="utf-8") if md.exists() else ""
    kept = old.split(KEEP, 1)[1].lstrip("\n") if KEEP in old else ""
    out.with_suffix(".json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md.write_text(markdown(result, kept), encoding="utf-8")
    print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
