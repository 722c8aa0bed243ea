"""The bundled Chinese font embedded in a report page: only the characters the page shows, as a ``data:`` WOFF.

A report page (the check, cover and maturity reports) is read on whatever machine it is sent to. Where the reader
has no Chinese font (a Linux machine without one, some kiosks and e-readers) its Chinese would be boxes.
:func:`embed` puts in such a page's style sheet one ``@font-face`` of :data:`FAMILY`: a subset of the print maps' font
(``maps/fonts/YuanluoSansSC-Regular.ttf``, Noto Sans CJK SC) holding exactly the characters of the page
(:func:`page_chars`), WOFF-compressed by fontTools (a dependency of matplotlib), base64 in a ``data:`` URL, which
the page's Content-Security-Policy allows (``font-src data:``, :func:`yuanluo.maps.offline.csp_policy`). The
page's fonts (:data:`FONT_CSS`) put the reader's own Chinese fonts first: on Windows (Microsoft YaHei, hinted
for its screen), macOS and iOS (PingFang SC) and Linux with Noto CJK the page looks as every other Chinese
document there and the browser never decodes the embedded font; a phone that does not expose its fonts by name
(Android) draws the embedded one, which is the same design as its own (Noto Sans CJK); a character the reader's
font lacks is drawn from the embedded one. An English page puts the reader's sans-serif before the embedded font
(:data:`FONT_STACK_EN`) and its font holds only Chinese characters and full-width forms (:data:`CJK_RANGE`, also
its ``unicode-range``): a Chinese font's quotes, dashes and middle dot are full-width, wrong in an English sentence,
so Latin text and punctuation are the reader's even where the generic sans-serif names no font (Chromium with
fontconfig's DejaVu alone: the browser falls back to a font that has the character).

The same page gives the same bytes: the subset is built from the same characters in the same order, the font's
timestamps are not touched, and WOFF's zlib is deterministic. The font file is read once in a process
(:func:`_font_bytes`); each page's subset parses from it what it needs.
"""

from __future__ import annotations

import base64
import functools
import io
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

#: the bundled font (see maps/fonts/README.md) and the family name the pages give its subset
FONT_FILE = Path(__file__).resolve().parent / "fonts" / "YuanluoSansSC-Regular.ttf"
FAMILY = "Yuanluo Sans SC"

#: the reader's own Chinese fonts, by name (Linux, macOS and iOS, Windows)
READER_CJK = '"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei"'

#: a Chinese report's fonts: the reader's own Chinese fonts first, then the embedded subset (Chinese punctuation
#: full-width, as a Chinese font draws it), then the reader's sans-serif
FONT_STACK = f'{READER_CJK},"{FAMILY}",sans-serif'

#: an English report's fonts: the reader's sans-serif before the embedded subset, which draws only what it lacks
#: (the Han characters of names): a Chinese font's quotes and dashes are full-width, wrong in an English sentence
FONT_STACK_EN = f'{READER_CJK},sans-serif,"{FAMILY}"'

#: what an English page's embedded font holds and may draw (its ``@font-face`` ``unicode-range``): CJK radicals,
#: symbols and punctuation, kana, the unified ideographs and their extensions, compatibility ideographs, vertical
#: and compatibility forms, full-width forms; not Latin, not general punctuation (curly quotes, dashes, the middle
#: dot), which a Chinese font draws full-width
CJK_RANGE = ((0x2E80, 0x9FFF), (0xF900, 0xFAFF), (0xFE10, 0xFE1F), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),
             (0x20000, 0x3FFFF))


#: an ideographic space laid out in :data:`FAMILY` off the page, so that a font limited by ``unicode-range`` is
#: loaded with the page, not first by its printed margin boxes (:func:`font_face_css`)
PRELOAD = f'html::after{{content:"\\3000";font-family:"{FAMILY}";position:absolute;left:-100vw;top:0}}'


def is_cjk(c: str) -> bool:
    """``c`` is in :data:`CJK_RANGE`.

    Examples
    --------
    >>> [is_cjk(c) for c in "院（A“·　"]
    [True, True, False, False, False, True]
    """
    return any(lo <= ord(c) <= hi for lo, hi in CJK_RANGE)


#: the rule a report's style sheet sets its fonts with, by the page's ``lang``
FONT_CSS = f"html{{font-family:{FONT_STACK}}}html:lang(en){{font-family:{FONT_STACK_EN}}}"

#: characters every report may show that its text does not spell out: a printed page's number
#: (``counter(page)`` in the margin boxes of planners.report.page_css)
ALWAYS = "0123456789"

#: the name records kept in a subset: copyright, family, style, unique id, full name, version, PostScript name,
#: licence and its URL (the SIL Open Font License asks that the copyright and the licence go with the font)
NAME_IDS = (0, 1, 2, 3, 4, 5, 6, 13, 14)

_CSS_STRING = re.compile(r'content\s*:\s*((?:"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|[^;}])*)', re.S)
_CSS_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'', re.S)
_CSS_ATTR = re.compile(r"attr\(\s*([A-Za-z_][\w-]*)")
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n]?|(.))", re.S)


def _css_unescape(s: str) -> str:
    r"""A CSS string's text: ``\b7 `` is ``·``, ``\"`` is ``"``.

    Examples
    --------
    >>> _css_unescape(r"a\2e gpkg \b7  \"x\"")
    'a.gpkg · "x"'
    """
    return _CSS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2), s)


class _Text(HTMLParser):
    """The text of a page a reader sees: text outside ``<script>`` and ``<style>`` (the ``<title>`` included),
    and what the style sheets' ``content:`` declarations generate: their strings (printed margin boxes) and the
    values of the attributes they show by ``attr()`` (the cover report's cards: ``td::before{content:attr(data-h)}``).
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.shown_attrs: set[str] = set()
        self.attrs: dict[str, list[str]] = {}
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._in = tag
        for name, value in attrs:
            if value:
                self.attrs.setdefault(name, []).append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "style":
            for value in _CSS_STRING.findall(data):
                for m in _CSS_QUOTED.finditer(value):
                    self.parts.append(_css_unescape(m.group(1) if m.group(1) is not None else m.group(2)))
                self.shown_attrs.update(a.lower() for a in _CSS_ATTR.findall(_CSS_QUOTED.sub("", value)))
        elif self._in is None:
            self.parts.append(data)

    def text(self) -> str:
        """Everything collected: the text and the values of the attributes ``attr()`` shows."""
        return "".join(self.parts + [v for a in sorted(self.shown_attrs) for v in self.attrs.get(a, [])])


def _drawn(c: str) -> bool:
    """A character a page draws with a font: printable, or a space (U+0020, no-break, ideographic: their widths are
    the font's), not a line break or a control character."""
    return unicodedata.category(c) == "Zs" or (c.isprintable() and not c.isspace())


def page_chars(page: str) -> str:
    r"""Every character ``page`` shows (its text, its title and what its style sheets' ``content`` generates)
    and :data:`ALWAYS`, its spaces but no line break or control character, sorted: the characters of its font
    subset.

    Examples
    --------
    >>> page_chars('<html><head><title>报告</title><style>@page{@top-left{content:"\\b7  a"}}'
    ...            'td::before{content:attr(data-h)}</style><script>var s = "脚本";</script></head>'
    ...            '<body><p>院落 &amp; A</p><svg><text>5</text></svg><td data-h="户数" title="提">1</td></body></html>')
    ' &0123456789Aa·告户报数落院'
    """
    p = _Text()
    p.feed(page)
    p.close()
    return "".join(sorted({c for c in p.text() + ALWAYS if _drawn(c)}))


@functools.lru_cache(maxsize=1)
def _font_bytes() -> bytes:
    """The bundled font file (7 MB), read once in a process; each subset parses from it only the tables and
    glyphs it needs (fontTools reads lazily: 0.3 s for a report, where parsing every glyph first costs 2.8 s)."""
    return FONT_FILE.read_bytes()


def _font() -> TTFont:
    """A fresh :class:`fontTools.ttLib.TTFont` of the bundled font (the subsetter changes the font it is given),
    its timestamps kept as they are."""
    from fontTools.ttLib import TTFont

    return TTFont(io.BytesIO(_font_bytes()), recalcTimestamp=False)


def subset_woff(chars: str) -> bytes:
    """A WOFF of the bundled font holding ``chars`` (those it has), its layout, no hinting; the same ``chars``
    give the same bytes.

    Examples
    --------
    >>> woff = subset_woff("院落 ABC")
    >>> woff[:4], subset_woff("院落 ABC") == woff, len(woff) < 6000
    (b'wOFF', True, True)
    """
    from fontTools import subset

    opts = subset.Options()
    opts.flavor = "woff"
    opts.hinting = False
    opts.name_IDs = list(NAME_IDS)
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.recalc_timestamp = False
    font = _font()
    sub = subset.Subsetter(opts)
    sub.populate(text="".join(sorted(set(chars))))
    sub.subset(font)
    out = io.BytesIO()
    font.flavor = "woff"
    font.save(out, reorderTables=True)
    return out.getvalue()


def font_face_css(chars: str, cjk_only: bool = False) -> str:
    """The ``@font-face`` rule of :data:`FAMILY` holding ``chars``, the font a ``data:`` URL; with ``cjk_only``
    (an English page) only those of ``chars`` in :data:`CJK_RANGE`, which is then its ``unicode-range``.

    A font limited by ``unicode-range`` is loaded only when a character of its range is laid out in it: where
    the page's Chinese is only in its printed margin boxes (the maturity report's score sheet 评分.xlsx, named at
    the page's foot), Chromium began loading it while printing, and printed every margin box (page numbers
    too) empty while it loaded (``font-display:block``). So the page lays out an ideographic space in it,
    :data:`PRELOAD`, off the page: the font is loaded with the page.

    Examples
    --------
    >>> css = font_face_css("院 A", cjk_only=True)
    >>> css.split("}")[0].endswith(";unicode-range:U+2E80-9FFF,U+F900-FAFF,U+FE10-FE1F,U+FE30-FE4F,U+FF00-FFEF,"
    ...                            "U+20000-3FFFF"), css.endswith(PRELOAD)
    (True, True)
    """
    if cjk_only:
        chars = "".join(c for c in chars + "\u3000" if is_cjk(c))
    data = base64.b64encode(subset_woff(chars)).decode("ascii")
    ranges = ",".join(f"U+{lo:X}-{hi:X}" for lo, hi in CJK_RANGE)
    return (f'@font-face{{font-family:"{FAMILY}";src:url(data:font/woff;base64,{data}) format("woff");'
            "font-weight:normal;font-style:normal;font-display:block" + (f";unicode-range:{ranges}" if cjk_only else "")
            + "}" + (PRELOAD if cjk_only else ""))


def embed(page: str) -> str:
    """``page`` with its font subset (:func:`font_face_css` of :func:`page_chars`; of their Chinese characters and
    full-width forms alone where the page's ``<html lang>`` is English) first in its style sheet, the page's one
    ``<style>`` (call it before :func:`yuanluo.maps.offline.add_csp`, which hashes the style). A page without one
    gets one, holding the font and :data:`FONT_CSS` (a sheet of its own names no font): at the end of its
    ``<head>``, else before its ``<body>``, else after its ``<!DOCTYPE>`` or at its start.

    Examples
    --------
    >>> p = embed('<html lang="en"><head><title>院</title></head><body>x</body></html>')
    >>> p.startswith('<html lang="en"><head><title>院</title><style>@font-face{'), p.endswith(
    ...     FONT_CSS + "</style></head><body>x</body></html>")
    (True, True)
    >>> embed("<!DOCTYPE html><p>院").split("<p>")[0].endswith(FONT_CSS + "</style>")
    True
    """
    at = page.find("<style>")
    lang = re.search(r'<html[^>]*\slang="([^"]*)"', page)
    face = font_face_css(page_chars(page), cjk_only=lang is not None and lang.group(1).lower().split("-")[0] == "en")
    if at >= 0:
        at += len("<style>")
        return page[:at] + face + page[at:]
    sheet = f"<style>{face}{FONT_CSS}</style>"
    low = page.lower()
    at = next((i for i in (low.find("</head>"), low.find("<body")) if i >= 0), -1)
    if at < 0:  # after the doctype, else at the start
        doctype = re.match(r"\s*<!doctype[^>]*>", page, re.I)
        at = doctype.end() if doctype else 0
    return page[:at] + sheet + page[at:]


__all__ = ["ALWAYS", "CJK_RANGE", "FAMILY", "FONT_CSS", "FONT_FILE", "FONT_STACK", "FONT_STACK_EN", "PRELOAD", "embed", "font_face_css", "is_cjk", "page_chars",
           "subset_woff"]
