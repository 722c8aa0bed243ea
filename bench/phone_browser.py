"""What bench_map_phone.py and bench_pages.py share: a saved page opened as a cheap phone in headless Chromium,
the page scripts that time it, the tap and gesture steps, and the results written with their findings kept.

A phone here: Playwright driving ``/usr/bin/chromium`` (``$CHROMIUM``; never a downloaded browser), touch, the
given viewport and device scale, every non-local request aborted, the CPU slowed by the DevTools protocol
(``Emulation.setCPUThrottlingRate``, set before navigation), a fresh profile. The page's Content-Security-Policy
is bypassed (Playwright's polling waits evaluate strings; the pages' own checks are the tests' business).
Times are ``performance.now()`` of the page, so the throttled page's own clock.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM_FLAGS, _font_env, browser_unavailable_reason, chromium_path  # noqa: E402

# Before any script of the page: long tasks, the Leaflet maps made (``L.Map.addInitHook``), input times and a
# frame recorder (``window.__frames()`` starts it; ``window.__fr`` collects the rAF times while on). Each bench adds
# the script that sets ``window.__m.ready`` and, two animation frames later, ``window.__m.painted``.
INIT = r"""(function () {
  window.__m = {}; window.__lt = []; window.__maps = []; window.__fr = null;
  try {
    new PerformanceObserver(function (l) { l.getEntries().forEach(function (e) {
      window.__lt.push([Math.round(e.startTime), Math.round(e.duration)]); }); })
      .observe({type: 'longtask', buffered: true});
  } catch (e) { /* no long-task timing */ }
  var L_;
  Object.defineProperty(window, 'L', {configurable: true, get: function () { return L_; }, set: function (v) {
    L_ = v; if (v && v.Map && v.Map.addInitHook) v.Map.addInitHook(function () { window.__maps.push(this); }); }});
  window.__ready = function () {
    window.__m.ready = performance.now();
    requestAnimationFrame(function () { requestAnimationFrame(function () {
      window.__m.painted = performance.now(); }); });
  };
  ['touchstart', 'touchend', 'keydown'].forEach(function (t) {
    document.addEventListener(t, function () { window.__m[t] = performance.now(); }, true); });
  window.__frames = function () { window.__fr = []; (function f(t) { if (window.__fr) { window.__fr.push(t);
    requestAnimationFrame(f); } })(performance.now()); };
})();"""

# Resolves two animation frames later (the canvas and the vector layers painted), with the time then.
FRAMES = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))"

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


@dataclass
class Phone:
    """An open page: Playwright's ``page``, its CDP session, and what it logged (console errors, blocked URLs)."""

    page: Any
    cdp: Any
    errors: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)

    def longest_task(self, since: float = 0.0, until: float = float("inf")) -> int:
        """The longest long task (ms) that ended after ``since`` and started by ``until``; 0 when none."""
        return max((d for s, d in self.page.evaluate("window.__lt") if s + d >= since and s <= until), default=0)

    def tap(self, kind: str) -> dict[str, Any]:
        """Tap what ``kind``'s map has nearest its centre; touchstart (and navigation) → the card painted (ms)."""
        page = self.page
        page.evaluate("window.__card = (document.querySelector('.yl-ed-card') || {}).textContent; 0")
        x, y, what = page.evaluate(_TAP, kind)
        t0 = page.evaluate("performance.now()")
        page.touchscreen.tap(x, y)
        try:
            page.wait_for_function(_CARD.get(kind, _CARD_DEFAULT), timeout=60_000)
        except Exception:  # noqa: BLE001 - no card under the finger
            return {"on": what, "touch_to_card_ms": None, "nav_to_card_ms": None, "longest_task_ms": None}
        t1 = page.evaluate(FRAMES)
        return {"on": what, "touch_to_card_ms": round(t1 - page.evaluate("window.__m")["touchstart"]),
                "nav_to_card_ms": round(t1), "longest_task_ms": self.longest_task(since=t0)}

    def gesture(self, send: Callable[[], Any], event: str) -> dict[str, Any]:
        """``send()`` a gesture, the frames recorded from its start until two frames after the map's ``event``:
        the worst and 90th-percentile frame, and the gesture's end → painted (None when ``event`` never came)."""
        page = self.page
        page.evaluate(f"window.__ev = 0; window.__maps[0].once('{event}', () => {{ window.__ev = performance.now(); }});"
                      " window.__frames(); 0")
        t0 = page.evaluate("performance.now()")
        send()
        t_end = page.evaluate("performance.now()")
        try:
            page.wait_for_function("window.__ev", timeout=15_000)
            came = True
        except Exception:  # noqa: BLE001 - the map did not move (at its limit)
            came = False
        t1 = page.evaluate(FRAMES)
        res = self.frames(t0)
        res["end_to_painted_ms"] = round(t1 - t_end) if came else None
        return res

    def frames(self, t_from: float) -> dict[str, Any]:
        """Stop the frame recorder; the worst and 90th-percentile frame (ms) after ``t_from``."""
        fr = self.page.evaluate("(() => { const f = window.__fr; window.__fr = null; return f; })()") or []
        d = sorted(b - a for a, b in zip(fr, fr[1:], strict=False) if b >= t_from)
        if not d:
            return {"frames": 0, "worst_ms": None, "p90_ms": None}
        return {"frames": len(d), "worst_ms": round(d[-1]), "p90_ms": round(d[min(len(d) - 1, int(0.9 * len(d)))])}

    def pinch(self, x: int, y: int, scale: float) -> dict[str, Any]:
        """A pinch by ``scale`` at (x, y) (``Input.synthesizePinchGesture``), timed by :meth:`gesture`."""
        return self.gesture(lambda: self.cdp.send("Input.synthesizePinchGesture", {
            "x": x, "y": y, "scaleFactor": scale, "relativeSpeed": 800, "gestureSourceType": "touch"}), "zoomend")


@contextmanager
def open_phone(html: Path, *, ready_js: str, rate: float, dpr: float, viewport: tuple[int, int],
               timeout_s: float) -> Iterator[Phone]:
    """``html`` opened as a throttled phone, waited for until ``window.__m.painted`` (set by ``ready_js``, a page
    script run after :data:`INIT`, through ``window.__ready()``); the browser closed and its profile removed after."""
    from playwright.sync_api import sync_playwright

    limit = int(timeout_s * 1000)
    profile = tempfile.mkdtemp(prefix="yl-phone-")
    try:
        with sync_playwright() as pw:
            ctx = pw.chromium.launch_persistent_context(
                profile, executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS,
                env=dict(_font_env(profile)), viewport={"width": viewport[0], "height": viewport[1]},
                has_touch=True, is_mobile=True, device_scale_factor=dpr, service_workers="block", bypass_csp=True)
            page = ctx.pages[0] if ctx.pages else ctx.new_page()
            phone = Phone(page, ctx.new_cdp_session(page))

            def on_route(route: Any) -> None:
                if route.request.url.startswith(("file:", "data:", "blob:", "about:")):
                    route.continue_()
                else:
                    phone.external.append(route.request.url)
                    route.abort()

            ctx.route("**/*", on_route)
            page.on("console", lambda m: phone.errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: phone.errors.append(f"pageerror: {e}"))
            phone.cdp.send("Performance.enable")
            phone.cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
            page.add_init_script(INIT + "\n" + ready_js)
            page.goto(html.resolve().as_uri(), wait_until="load", timeout=limit)
            page.wait_for_function("window.__m && window.__m.painted", timeout=limit)
            yield phone
            ctx.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def get(r: Any, *keys: str) -> Any:
    """``r[k1][k2]…``, None where a level is missing or None."""
    for k in keys:
        if not isinstance(r, dict) or r.get(k) is None:
            return None
        r = r[k]
    return r


def cell(values: list[Any]) -> str:
    """A table cell over the runs' values: one value, or the median (the range in brackets); '—' when none."""
    vals = [v for v in values if v is not None]
    if not vals:
        return "—"
    if all(isinstance(v, (int, float)) for v in vals):
        return str(vals[0]) if len(vals) == 1 else f"{statistics.median(vals):g} ({min(vals)}–{max(vals)})"
    return " · ".join(dict.fromkeys(str(v) for v in vals))


def errors_cell(r: dict[str, Any]) -> str:
    return f"{len(r['console_errors'])} / {len(r['external_requests'])}"


def add_arguments(ap: argparse.ArgumentParser, out: Path) -> None:
    """The options both benches take."""
    ap.add_argument("--runs", type=int, default=1, help="runs of each page (default 1)")
    ap.add_argument("--dpr", type=float, default=2.0, help="device scale factor (default 2)")
    ap.add_argument("--viewport", default="360x640", help="WIDTHxHEIGHT in CSS px (default 360x640)")
    ap.add_argument("--shots", default=None, help="screenshots to this path prefix")
    ap.add_argument("--out", default=str(out), help="results path without suffix (.json and .md)")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds for a page to load")


def unavailable(name: str) -> bool:
    """True (and a line on stderr) when there is no browser to run in."""
    reason = browser_unavailable_reason()
    if reason is not None:
        print(f"{name}: skipped, {reason}", file=sys.stderr)
    return reason is not None


def viewport(text: str) -> tuple[int, int]:
    width, height = (int(v) for v in text.lower().split("x"))
    return width, height


def machine(load_start: list[float]) -> dict[str, Any]:
    """The load average at start and now, CPUs, machine and date: written beside the numbers."""
    return {"loadavg_start": load_start, "loadavg_end": [round(x, 2) for x in os.getloadavg()],
            "cpus": os.cpu_count(), "machine": f"{platform.machine()} {platform.python_version()}",
            "date": time.strftime("%Y-%m-%d")}


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def setting_line(result: dict[str, Any], cpu: str) -> str:
    """The paragraph under a results file's title: the phone, ``cpu``, the runs and the machine's load."""
    s = result["settings"]
    return (f"Headless Chromium (Playwright, /usr/bin/chromium), viewport {s['viewport']}, touch, device scale "
            f"{s['dpr']:g}, network blocked, {cpu} (CDP `Emulation.setCPUThrottlingRate`); {s['runs']} run(s) of "
            f"each page, the median over the runs (the range in brackets). Times in ms of the page's own clock; "
            f"what each covers: the script's docstring. Load average at start / end: {result['loadavg_start']} / "
            f"{result['loadavg_end']} ({result['cpus']} CPUs, {result['machine']}); {result['date']}.")


def write_results(out: Path, result: dict[str, Any], markdown: Callable[[dict[str, Any]], str], keep: str) -> None:
    """``out``.json and ``out``.md; the .md keeps what its old form held below the line ``keep``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    md = out.with_suffix(".md")
    old = md.read_text(encoding="utf-8") if md.exists() else ""
    kept = old.split(keep, 1)[1].lstrip("\n") if keep in old else ""
    out.with_suffix(".json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    text = markdown(result)
    md.write_text(text + ("\n" + keep + "\n" + kept if kept else ""), encoding="utf-8")
    print(text)
