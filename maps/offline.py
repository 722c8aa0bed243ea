"""Offline HTML: vendored Leaflet assets, inlined into every saved map.

folium links its scripts and stylesheets from CDNs that are unreliable in mainland China and absent in
the field. Yuanluo points every folium element it uses at a pinned copy in ``maps/vendor/`` (the
pseudo-URL scheme ``yuanluo-vendor:``), and :func:`inline_assets` replaces each such ``<script src>`` /
``<link href>`` with the file's content; images that stylesheets reference become ``data:`` URIs.
:func:`external_references` finds anything that would still reach the network.

Examples
--------
>>> html = '<script src="yuanluo-vendor:leaflet-1.9.4/leaflet.js"></script>'
>>> out = inline_assets(html)
>>> out.startswith("<script>") and "yuanluo-vendor:" not in out
True
>>> external_references('<img src="https://a.example/x.png">')
['https://a.example/x.png']
"""

from __future__ import annotations

import base64
import functools
import re
from pathlib import Path

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
