"""Offline HTML: vendored Leaflet assets, inlined into every saved map.

folium links its scripts and stylesheets from CDNs that are unreliable in mainland China and absent in
the field. Yuanluo points every folium element it uses at a pinned copy in ``maps/vendor/`` (the
pseudo-URL scheme ``yuanluo-vendor:``), and :func:`inline_assets` replaces each such ``<script src>`` /
``<link href>`` with the file's content; images that stylesheets reference become ``data:`` URIs.
:func:`external_references` finds anything that would still reach the network. Yuanluo's own scripts and
styles live in ``maps/assets/`` (:func:`read_own_asset`); data goes into a page only through
:func:`script_json`. :func:`add_csp` gives every page a Content-Security-Policy that allows exactly its
own inline scripts and styles (by SHA-256 hash), images from ``data:`` (and the tile hosts of an opt-in
basemap) and no connection at all: offline by construction, and a second wall if an escape is missed.

Examples
--------
>>> html = '<script src="yuanluo-vendor:leaflet-1.9.4/leaflet.js"></script>'
>>> out = inline_assets(html)
>>> out.startswith("<script>") and "yuanluo-vendor:" not in out
True
>>> external_references('<img src="https://a.example/x.png">')
['https://a.example/x.png']
>>> print(script_json({"id": "</script><script>alert(1)</script>"}))
{"id":"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"}
>>> page = add_csp('<html><head><meta charset="utf-8"><script>var a = 1;</script></head></html>')
>>> "script-src 'sha256-" in page and "connect-src 'none'" in page
True
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.resources
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

VENDOR_DIR = Path(__file__).with_name("vendor")
SCHEME = "yuanluo-vendor:"

LEAFLET_VERSION = "1.9.4"
LOCATE_VERSION = "0.66.2"
FULLSCREEN_VERSION = "3.0.0"

LEAFLET_JS = [("leaflet", f"{SCHEME}leaflet-{LEAFLET_VERSION}/leaflet.js")]
LEAFLET_CSS = [("leaflet_css", f"{SCHEME}leaflet-{LEAFLET_VERSION}/leaflet.css")]
LOCATE_JS = [("Control_locate_min_js", f"{SCHEME}leaflet.locatecontrol-{LOCATE_VERSION}/L.Control.Locate.min.js")]
LOCATE_CSS = [
    ("Control_locate_min_css", f"{SCHEME}leaflet.locatecontrol-{LOCATE_VERSION}/L.Control.Locate.min.css")
]
FULLSCREEN_JS = [("Control.Fullscreen.js", f"{SCHEME}leaflet.fullscreen-{FULLSCREEN_VERSION}/Control.FullScreen.js")]
FULLSCREEN_CSS = [
    ("Control.FullScreen.css", f"{SCHEME}leaflet.fullscreen-{FULLSCREEN_VERSION}/Control.FullScreen.css")
]

_MIME = {".png": "image/png", ".svg": "image/svg+xml", ".gif": "image/gif", ".jpg": "image/jpeg"}
_SCRIPT_RE = re.compile(r'<script src="' + re.escape(SCHEME) + r'([^"]+)"></script>')
_LINK_RE = re.compile(r'<link rel="stylesheet" href="' + re.escape(SCHEME) + r'([^"]+)"\s*/?>')
_CSS_URL_RE = re.compile(r"url\((['\"]?)(?!data:|#|https?:)([^)'\"]+)\1\)")
_EXTERNAL_RE = re.compile(
    r"<(?:script|link|img|iframe|source|embed)\b[^>]*?\b(?:src|href)\s*=\s*[\"']?((?:https?:)?//[^\"'\s>]+)",
    re.IGNORECASE,
)
_CSS_EXTERNAL_RE = re.compile(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", re.IGNORECASE)
_IMPORT_RE = re.compile(r"@import\s+(?:url\()?\s*['\"]?((?:https?:)?//[^)'\";]+)", re.IGNORECASE)


def _vendor_path(rel: str) -> Path:
    path = (VENDOR_DIR / rel).resolve()
    if VENDOR_DIR.resolve() not in path.parents or not path.is_file():
        raise FileNotFoundError(f"vendored asset {rel!r} is missing from {VENDOR_DIR}")
    return path


def data_uri(path: Path) -> str:
    """A ``data:`` URI with the base64 content of a small file (image)."""
    mime = _MIME.get(path.suffix.lower(), "application/octet-stream")
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


@functools.lru_cache(maxsize=32)
def read_asset(rel: str) -> str:
    """The text of a vendored asset; CSS ``url(...)`` references become data URIs.

    Parameters
    ----------
    rel : str
        Path relative to ``maps/vendor``, e.g. ``"leaflet-1.9.4/leaflet.css"``.
    """
    path = _vendor_path(rel)
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".css":
        base = path.parent

        def repl(m: re.Match[str]) -> str:
            target = (base / m.group(2)).resolve()
            if not target.is_file():
                return m.group(0)
            return f'url("{data_uri(target)}")'

        text = _CSS_URL_RE.sub(repl, text)
    if path.suffix == ".js":
        text = text.replace("</script", "<\\/script")
    return text


def inline_assets(html: str) -> str:
    """Replace every ``yuanluo-vendor:`` script and stylesheet link by the inlined file."""
    html = _SCRIPT_RE.sub(lambda m: "<script>" + read_asset(m.group(1)) + "</script>", html)
    html = _LINK_RE.sub(lambda m: "<style>" + read_asset(m.group(1)) + "</style>", html)
    return html


def external_references(html: str) -> list[str]:
    """Network references left in an HTML page: ``src``/``href`` of script, link, img, iframe
    elements, CSS ``url()`` and ``@import`` pointing at http(s) or protocol-relative URLs.

    Plain ``<a href>`` links (attribution text) and tile URL templates inside scripts are not
    counted: they load nothing by themselves.
    """
    found = [m.group(1) for m in _EXTERNAL_RE.finditer(html)]
    found += [m.group(1) for m in _CSS_EXTERNAL_RE.finditer(html)]
    found += [m.group(1) for m in _IMPORT_RE.finditer(html)]
    found += [m.group(0) for m in re.finditer(re.escape(SCHEME) + r"[^\"'\s)]+", html)]
    return sorted(set(found))


# ---------------------------------------------------------------------------------------------- own assets
#: Characters that must not appear literally in JSON inside ``<script>``: ``<`` (``</script>``, ``<!--``),
#: ``>`` and ``&`` (HTML parsing), U+2028/U+2029 (line terminators in older JavaScript).
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SCRIPT_UNSAFE_RE = re.compile("[<>&\u2028\u2029]")


def script_json(obj: Any) -> str:
    """``obj`` as compact JSON that is safe inside an HTML ``<script>`` element.

    Non-ASCII text stays readable (UTF-8); ``<``, ``>``, ``&``, U+2028 and U+2029 become ``\\uXXXX``
    escapes, which every JSON and JavaScript parser reads back as the same characters. They can occur only
    inside JSON strings, so the escapes never change the value.

    Parameters
    ----------
    obj : JSON-serialisable value

    Returns
    -------
    str
        A JavaScript expression (a JSON text) with no ``</script``, ``<!--`` or raw line separator.
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return _SCRIPT_UNSAFE_RE.sub(lambda m: _SCRIPT_UNSAFE[m.group(0)], text)


@functools.lru_cache(maxsize=32)
def read_own_asset(name: str) -> str:
    """The text of one of Yuanluo's own page assets (``maps/assets/<name>``, a ``.js`` or ``.css`` file).

    Found through :mod:`importlib.resources`, so it works from a wheel as from the checkout.

    Raises
    ------
    ValueError
        If the file could end its ``<script>``/``<style>`` element early (``</script``, ``</style``, ``<!--``).
    """
    text = importlib.resources.files("yuanluo.maps").joinpath("assets", name).read_text(encoding="utf-8")
    low = text.lower()
    if "</script" in low or "</style" in low or "<!--" in low:
        raise ValueError(f"maps/assets/{name} contains </script, </style or <!--")
    return text


# ---------------------------------------------------------------------------------------------- CSP
#: Tile hosts of the opt-in online basemaps (``img-src`` of the policy only when chosen).
BASEMAP_HOSTS: dict[str, tuple[str, ...]] = {
    "osm": ("https://tile.openstreetmap.org",),
    "tianditu": ("https://*.tianditu.gov.cn",),
    "amap": ("https://*.is.autonavi.com",),
}
#: The one ``style="..."`` attribute the page needs: the GPS dot of the vendored locate control (its
#: ``markerStyle`` defaults, written as SVG markup). Allowed by hash (``'unsafe-hashes'``), nothing else is.
#: the GPS mark: a small blue ring (no fill), so the household under it stays visible; it takes no taps
LOCATE_MARKER_STYLE = "stroke:#2A93EE;stroke-width:3;fill:#2A93EE;fill-opacity:0;opacity:1;"
_INLINE_RE = re.compile(r"<(script|style)(\s[^>]*)?>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_HEAD_RE = re.compile(r"<head(\s[^>]*)?>", re.IGNORECASE)
_CHARSET_RE = re.compile(r"<meta\b[^>]*charset[^>]*>", re.IGNORECASE)


def _sha256(source: str) -> str:
    # the HTML parser turns CR LF and lone CR into LF before the browser hashes an element's text
    norm = source.replace("\r\n", "\n").replace("\r", "\n")
    return "'sha256-" + base64.b64encode(hashlib.sha256(norm.encode("utf-8")).digest()).decode("ascii") + "'"


def inline_hashes(html: str) -> tuple[list[str], list[str]]:
    """CSP hash sources of the inline scripts and of the ``<style>`` elements of ``html``, in order of first
    appearance. Data blocks (``<script type="application/json">``) are not run and need none.

    Raises
    ------
    ValueError
        If a script element has a ``src`` (every script must be inline and hashed).
    """
    scripts: dict[str, None] = {}
    styles: dict[str, None] = {}
    for m in _INLINE_RE.finditer(html):
        tag, attrs, body = m.group(1).lower(), (m.group(2) or "").lower(), m.group(3)
        if tag == "script":
            if re.search(r"\bsrc\s*=", attrs):
                raise ValueError("a page script with src= cannot be allowed by hash")
            if re.search(r"\btype\s*=\s*[\"']?application/json", attrs):
                continue
            scripts[_sha256(body)] = None
        else:
            styles[_sha256(body)] = None
    return list(scripts), list(styles)


def csp_policy(
    html: str,
    *,
    img_hosts: Iterable[str] = (),
    style_attributes: bool = False,
    style_attribute_values: Iterable[str] = (),
) -> str:
    """The Content-Security-Policy of a finished page: its own inline scripts and styles by hash, images
    from ``data:`` (plus ``img_hosts``), no connection, no frame, no form, no base URL.

    Parameters
    ----------
    html : str
        The complete page (hashes are of its final bytes).
    img_hosts : iterable of str
        Tile hosts of an opt-in online basemap (:data:`BASEMAP_HOSTS`).
    style_attributes : bool
        Allow any ``style="..."`` attribute (``style-src-attr 'unsafe-inline'``); scripts stay hash-only.
    style_attribute_values : iterable of str
        Allow exactly these ``style="..."`` attribute values (``style-src-attr 'unsafe-hashes'`` and their
        hashes), e.g. :data:`LOCATE_MARKER_STYLE`. Styles set from JavaScript through the CSSOM
        (``element.style.x = ...``, what Leaflet does) need no permission.
    """
    scripts, styles = inline_hashes(html)
    attr_hashes = list(dict.fromkeys(_sha256(v) for v in style_attribute_values))
    hosts = list(dict.fromkeys(img_hosts))
    parts = [
        "default-src 'none'",
        "script-src " + (" ".join(scripts) or "'none'"),
        "style-src " + (" ".join(styles) or "'none'"),
    ]
    if style_attributes:
        parts.append("style-src-attr 'unsafe-inline'")
    elif attr_hashes:
        parts.append("style-src-attr 'unsafe-hashes' " + " ".join(attr_hashes))
    parts += [
        "img-src " + " ".join(["data:", *hosts]),
        "font-src data:",
        "connect-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ]
    return "; ".join(parts)


def add_csp(
    html: str,
    *,
    img_hosts: Iterable[str] = (),
    style_attributes: bool = False,
    style_attribute_values: Iterable[str] = (),
) -> str:
    """``html`` with a ``<meta http-equiv="Content-Security-Policy">`` (see :func:`csp_policy`) placed
    right after the charset declaration, before any script or style of the page.

    Raises
    ------
    ValueError
        If the page has no ``<head>``.
    """
    meta = ('<meta http-equiv="Content-Security-Policy" content="'
            + csp_policy(html, img_hosts=img_hosts, style_attributes=style_attributes,
                         style_attribute_values=style_attribute_values) + '">')
    head = _HEAD_RE.search(html)
    if head is None:
        raise ValueError("the page has no <head> for its Content-Security-Policy")
    charset = _CHARSET_RE.search(html, head.end())
    at = charset.end() if charset is not None and not _INLINE_RE.search(html, head.end(), charset.start()) \
        else head.end()
    return html[:at] + meta + html[at:]
