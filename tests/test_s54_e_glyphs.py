"""Every symbol the pages and reports draw as text is in the bundled font (session 54, helper E): with the system
fonts hidden (a fresh machine, CI) the legend's fold mark ▾ / ▴, the maturity report's ▸ / ▾, the card's ✔ and ✘, the
go links' ➜, the maturity panel's ▾ and the editor's 🔒 were drawn as a box: the bundled font
(maps/fonts/YuanluoSansSC-Regular.ttf, every Han character of GBK) has none of them. The marks are now drawn by CSS
borders, the words say ✓, ×, →, ↓ and (已锁定) / (locked)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib.resources import files
from pathlib import Path

import pytest

from yuanluo.gis.catalogue import catalogue

ROOT = Path(__file__).resolve().parents[1]


@cache
def cmap() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(str(files("yuanluo.maps") / "fonts" / "YuanluoSansSC-Regular.ttf")).getBestCmap())


def lacking(s: str) -> list[str]:
    """The characters of ``s`` (whitespace, controls and format characters such as a BOM aside) the bundled font
    has no glyph for."""
    return sorted({c for c in s if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf")
                   and ord(c) not in cmap()})


def css_contents(css: str) -> str:
    """What the ``content:`` of a style sheet draws, its escapes (\\25BE) read."""
    out = []
    for m in re.finditer(r"content\s*:\s*(['\"])(.*?)\1", css):
        out.append(re.sub(r"\\+([0-9a-fA-F]{1,6}) ?", lambda e: chr(int(e[1], 16)), m[2]))
    return "".join(out)


def js_strings(js: str) -> str:
    """The string literals of a script (its comments left out), escapes read."""
    js = re.sub(r"(?m)^\s*//.*$|(?<=[;,{}()\s])//[^'\"\n]*$", "", js)
    out = []
    for m in re.finditer(r"'((?:[^'\\\n]|\\.)*)'|\"((?:[^\"\\\n]|\\.)*)\"", js):
        s = m[1] if m[1] is not None else m[2]
        out.append(re.sub(r"\\u([0-9a-fA-F]{4})", lambda e: chr(int(e[1], 16)), s))
    return "".join(out)


def test_the_bundled_font_is_read() -> None:
    assert {ord(c) for c in "院落✓×→↓▲·–—“”"} <= cmap() and ord("✔") not in cmap()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_catalogue_text_is_in_the_bundled_font(lang: str) -> None:
    missing = {key: lacking(" ".join(v for v in entry.get(lang, {}).values() if isinstance(v, str)))
               for key, entry in catalogue().items()}
    assert {k: v for k, v in missing.items() if v} == {}


def test_the_pages_scripts_and_style_sheets_draw_what_the_font_has() -> None:
    assets = ROOT / "maps" / "assets"
    drawn = {p.name: lacking(js_strings(p.read_text(encoding="utf-8"))) for p in sorted(assets.glob("*.js"))}
    drawn |= {p.name: lacking(css_contents(p.read_text(encoding="utf-8"))) for p in sorted(assets.glob("*.css"))}
    # the style sheets the reports and pages write from Python (the maturity report's folded lists …)
    for folder in ("maps", "planners"):
        for p in sorted((ROOT / folder).glob("*.py")):
            drawn[p.name] = lacking(css_contents(p.read_text(encoding="utf-8")))
    assert {k: v for k, v in drawn.items() if v} == {}
    assert css_contents(r".a::after{content:' \25B8'}") == " ▸" and js_strings("x = '\\u279c'; // ✔") == "➜"
