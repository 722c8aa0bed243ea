"""A reusable headless-Chromium harness for tests and benchmarks (Playwright driving Debian's Chromium).

No browser is ever downloaded: Playwright starts ``/usr/bin/chromium`` (or ``$CHROMIUM``) with a fresh
profile and the flags this machine needs (no background networking, no component updates). With
``block_network=True`` every request to a non-``file:``/``data:``/``blob:`` URL is recorded and aborted.

Usage::

    from tests.browser import open_in_chromium
    rep = open_in_chromium("map.html", screenshot="test-artifacts/map.png",
                           evaluate={"households": "window.yuanluo.householdsDrawn"})
    assert not rep.external_requests and not rep.console_errors
    assert not rep.csp_violations and not rep.dialogs
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--metrics-recording-only",
]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
#: runs before any script of the page: records every Content-Security-Policy violation
_RECORD_CSP = """
window.__yuanluoCsp = [];
document.addEventListener('securitypolicyviolation', function(e) {
  window.__yuanluoCsp.push(e.effectiveDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || ''));
});
"""


def _font_env(folder: str) -> dict[str, str]:
    """The environment for Chromium with Yuanluo's bundled CJK font added to fontconfig, so screenshots show
    Chinese as a phone would even on a machine without a system CJK font."""
    from importlib.resources import files

    fonts = Path(str(files("yuanluo.maps") / "fonts"))
    conf = Path(folder) / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{fonts}</dir>\n  <cachedir>{Path(folder) / 'fontcache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8")
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def chromium_path() -> str | None:
    """The Chromium executable to use (``$CHROMIUM`` or ``/usr/bin/chromium``), or None."""
    for cand in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if cand and Path(cand).exists():
            return cand
    return None


def browser_unavailable_reason() -> str | None:
    """Why browser tests cannot run here (None if they can)."""
    if chromium_path() is None:
        return "Chromium is not installed (run: bash .ci/setup-browser.sh)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (pip install playwright; no browser download)"
    return None


def require_browser() -> None:
    """Skip the calling test when Chromium or Playwright is missing, except on CI (env CI set),
    where a missing browser is a failure."""
    import pytest

    reason = browser_unavailable_reason()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"browser tests must run on CI: {reason}")
    pytest.skip(reason)


@dataclass
class PageReport:
    """What happened when a page was opened.

    Attributes
    ----------
    url : str
    external_requests : list of str
        Requests the page attempted to non-file URLs (blocked when ``block_network``).
    console_errors : list of str
        Console messages of type error, and uncaught page errors.
    csp_violations : list of str
        Content-Security-Policy violations the page reported (``securitypolicyviolation`` events:
        directive, blocked URI, sample), from the first byte on.
    dialogs : list of str
        Messages of ``alert``/``confirm``/``prompt`` dialogs the page opened (each dismissed).
    counts : dict
        Results of the JavaScript expressions passed as ``evaluate``.
    screenshot : Path or None
    load_seconds : float
        From navigation start until ``wait_for`` held (or the load event).
    """

    url: str
    external_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    counts: dict[str, Any] = field(default_factory=dict)
    screenshot: Path | None = None
    load_seconds: float = 0.0


def open_in_chromium(
    html_path: str | os.PathLike[str],
    *,
    screenshot: str | os.PathLike[str] | None = None,
    block_network: bool = True,
    evaluate: dict[str, str] | None = None,
    wait_for: str | None = None,
    timeout_s: float = 60.0,
    viewport: tuple[int, int] = (1200, 800),
    settle_ms: int = 300,
    geolocation: tuple[float, float] | None = None,
) -> PageReport:
    """Open a local HTML file in headless Chromium and report on it.

    Parameters
    ----------
    html_path : path-like
        The page (opened as a ``file://`` URL).
    screenshot : path-like, optional
        Where to save a PNG of the viewport (parent folders are created).
    block_network : bool
        Abort every request to a non-local URL (it is still recorded in ``external_requests``).
    evaluate : dict of name -> JavaScript expression, optional
        Evaluated after loading; the values land in ``PageReport.counts``.
    wait_for : str, optional
        A JavaScript expression to wait for (truthy) before evaluating, e.g. ``"window.yuanluo"``.
    timeout_s : float
        Limit for loading and ``wait_for``.
    viewport : (int, int)
        Width and height of the page in CSS pixels (390 x 844 for a phone).
    settle_ms : int
        Wait this long after loading before evaluating.
    geolocation : (latitude, longitude), optional
        Grant the geolocation permission and report this position (accuracy 30 m).
    """
    from playwright.sync_api import sync_playwright

    exe = chromium_path()
    if exe is None:
        raise FileNotFoundError("Chromium not found: install it (bash .ci/setup-browser.sh) or set $CHROMIUM")
    url = Path(html_path).resolve().as_uri()
    report = PageReport(url=url)
    profile = tempfile.mkdtemp(prefix="yl-chromium-")
    try:
        with sync_playwright() as pw:
            ctx = pw.chromium.launch_persistent_context(
                profile, executable_path=exe, headless=True, args=CHROMIUM_FLAGS, env=_font_env(profile),
                viewport={"width": viewport[0], "height": viewport[1]}, service_workers="block",
                # an accuracy of 0 m (Playwright's default) gives the locate control an empty circle to fly to
                **({"geolocation": {"latitude": geolocation[0], "longitude": geolocation[1], "accuracy": 30.0},
                    "permissions": ["geolocation"]} if geolocation else {}),
            )
            ctx.add_init_script(_RECORD_CSP)
            try:
                def on_route(route: Any) -> None:
                    req_url = route.request.url
                    if req_url.startswith(LOCAL_SCHEMES):
                        route.continue_()
                    else:
                        report.external_requests.append(req_url)
                        route.abort() if block_network else route.continue_()

                ctx.route("**/*", on_route)
                page = ctx.pages[0] if ctx.pages else ctx.new_page()
                page.on("request", lambda r: None if r.url.startswith(LOCAL_SCHEMES)
                        or r.url in report.external_requests else report.external_requests.append(r.url))
                page.on("console", lambda msg: report.console_errors.append(msg.text)
                        if msg.type == "error" else None)
                page.on("pageerror", lambda exc: report.console_errors.append(f"pageerror: {exc}"))

                def on_dialog(dialog: Any) -> None:
                    report.dialogs.append(dialog.message)
                    dialog.dismiss()

                page.on("dialog", on_dialog)
                t0 = time.perf_counter()
                page.goto(url, wait_until="load", timeout=timeout_s * 1000)
                if wait_for:
                    page.wait_for_function(wait_for, timeout=timeout_s * 1000)
                # two animation frames: the canvas has been painted
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                report.load_seconds = time.perf_counter() - t0
                if settle_ms:
                    page.wait_for_timeout(settle_ms)
                for name, expr in (evaluate or {}).items():
                    report.counts[name] = page.evaluate(f"() => ({expr})")
                if settle_ms:
                    page.wait_for_timeout(settle_ms)  # violations are reported asynchronously
                report.csp_violations = list(page.evaluate("() => window.__yuanluoCsp || []"))
                if screenshot is not None:
                    shot = Path(screenshot)
                    shot.parent.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(shot))
                    report.screenshot = shot
            finally:
                ctx.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    report.external_requests = sorted(set(report.external_requests))
    return report


@contextmanager
def live_page(html_path: str | os.PathLike[str], *, viewport: tuple[int, int], ready: str, touch: bool = False,
              scale: float = 1.0) -> Iterator[tuple[Any, list[str]]]:
    """The page open in headless Chromium at ``viewport`` (with ``touch``: a phone's touch screen at device scale
    ``scale``), every request to the network aborted, once the JavaScript expression ``ready`` is truthy; yields
    the Playwright page and the list its console errors and page errors go to. The profile lives through reloads
    and is removed afterwards."""
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="yl-chromium-")
    errors: list[str] = []
    try:
        with sync_playwright() as pw:
            ctx = pw.chromium.launch_persistent_context(
                profile, executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS, env=_font_env(profile),
                viewport={"width": viewport[0], "height": viewport[1]}, has_touch=touch, is_mobile=touch,
                device_scale_factor=scale, service_workers="block")
            try:
                ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:", "blob:"))
                          else r.abort())
                page = ctx.pages[0] if ctx.pages else ctx.new_page()
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
                page.goto(Path(html_path).resolve().as_uri(), wait_until="load")
                page.wait_for_function(ready)
                yield page, errors
            finally:
                ctx.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
