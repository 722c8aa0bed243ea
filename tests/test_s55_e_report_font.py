"""The check, cover and maturity reports carry the bundled font's glyphs for every character they show (s55 E).

A report is sent to whoever reads it; on a machine without a Chinese font its Chinese was boxes. Each report now
embeds, in its one style sheet, a WOFF subset of ``maps/fonts/YuanluoSansSC-Regular.ttf`` holding the characters
of the page (an English page: its Chinese characters and full-width forms alone) (:mod:`yuanluo.maps.webfont`) as
a ``data:`` font, which the page's Content-Security-Policy allowed already (``font-src data:``; nothing else is
allowed). These tests read the text of each rendered page their own way (text outside style and script, the
title, the strings of the style sheet's ``content:`` and of any script) and look every character up in the
embedded font's cmap; the subset is the same bytes in two processes; in Chromium with DejaVu as the only font,
every text of a Chinese report is drawn by the embedded font, an English report's Chinese by it and the rest by
DejaVu.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from fontTools.ttLib import TTFont
from test_s42_m_report_phone import _result

from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.maturity import CATEGORY_KEYS, maturity_table, village_summary
from yuanluo.maps.webfont import CJK_RANGE, FAMILY, is_cjk, subset_woff
from yuanluo.planners.maturity import report_html
from yuanluo.planners.report import ReportInfo, render_html

_FACE = re.compile(r'@font-face\{font-family:"' + FAMILY + r'";src:url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)')


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    """The three reports in Chinese and English, with Chinese names (villages 甲村, 塆村: a GBK-only character)."""
    from yuanluo.planners.cover import CoverPlan, site
    from yuanluo.planners.cover_report import render_cover_report

    g = TerrainGraph.from_edges(["a", "b", "c", "d"], [[0, 0], [60, 0], [120, 0], [900, 0]], [(0, 1), (1, 2)],
                                crs="EPSG:4545")
    hh = gpd.GeoDataFrame({"village": ["李家塆村"] * 4}, geometry=gpd.points_from_xy(g.xy[:, 0], g.xy[:, 1]),
                          crs=g.crs, index=g.ids.copy())
    cov = site(hh, g, CoverPlan(per_level={"village": 1}))
    uids = [f"U{i}" for i in range(1, 6)]
    vil = {u: ("甲村" if i < 3 else "李家塆村") for i, u in enumerate(uids)}
    sc = pd.DataFrame([(u, "2026Q1", c, ind, 3 + (i * 7 + j * 3) % 8) for i, u in enumerate(uids)
                       for j, c in enumerate(CATEGORY_KEYS) for ind in ("content", "effect", "satisfaction")],
                      columns=["unit_id", "period", "category", "indicator", "score"])
    t = maturity_table(sc, uids)
    units = pd.DataFrame({"unit_id": uids, "name": ["东院", None, None, None, "磜下"], "village": [vil[u] for u in uids]})
    info = ReportInfo(village="李家塆村", input_file="农户.gpkg", date="2026-12-07")
    out: dict[str, str] = {}
    for lang in ("zh", "en"):
        out[f"check-{lang}"] = render_html(_result(), lang=lang, info=info)
        out[f"cover-{lang}"] = render_cover_report(cov, lang=lang, info=info)
        out[f"maturity-{lang}"] = report_html(t, village_summary(t, vil), units, lang=lang)
    return out


_CSS_ESC = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.S)
_JS_ESC = re.compile(r"\\u([0-9a-fA-F]{4})|\\(.)", re.S)


class _Shown(HTMLParser):
    """What a page shows: its text nodes (the title's and SVG's included), the strings a style sheet's
    ``content:`` declarations generate, the attributes it shows by ``content:attr(x)`` and every string literal
    of its scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.inside = ""
        self.attrs: list[tuple[str, str]] = []
        self.shown: set[str] = set()  # attributes a style sheet shows, content:attr(x)

    def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
        self.inside = tag if tag in ("style", "script") else self.inside
        self.attrs += [(k, v) for k, v in attrs if v]

    def handle_endtag(self, tag: str) -> None:
        if tag == self.inside:
            self.inside = ""

    def handle_data(self, data: str) -> None:
        if self.inside == "style":
            css = re.sub(r"url\([^)]*\)", "", data)
            self.shown |= set(re.findall(r"content\s*:\s*attr\(([\w-]+)\)", css))
            for decl in re.finditer(r"content\s*:([^;{}]*(?:\"[^\"]*\"[^;{}]*)*)", css):
                for s in re.findall(r'"((?:[^"\\]|\\.)*)"', decl.group(1)):
                    self.text.append(_CSS_ESC.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1)
                                                  else m.group(2), s))
        elif self.inside == "script":
            for s in re.findall(r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'', data):
                self.text.append(_JS_ESC.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2),
                                             s[0] or s[1]))
        else:
            self.text.append(data)


def _shown(page: str) -> set[str]:
    p = _Shown()
    p.feed(page)
    p.close()
    return {c for c in "".join(p.text + [v for k, v in p.attrs if k in p.shown])
            if unicodedata.category(c) == "Zs" or not c.isspace()}  # spaces drawn, line breaks not


def _font(page: str) -> TTFont:
    faces = _FACE.findall(page)
    assert len(faces) == 1, f"{len(faces)} embedded fonts"
    return TTFont(io.BytesIO(base64.b64decode(faces[0])))


@pytest.mark.parametrize("name", ["check-zh", "check-en", "cover-zh", "cover-en", "maturity-zh", "maturity-en"])
def test_every_character_a_report_shows_is_in_its_embedded_font(pages: dict[str, str], name: str) -> None:
    page = pages[name]
    shown = _shown(page)
    assert {"塆", "村"} <= shown and ("磜" in shown or not name.startswith("maturity"))  # the names reach the page
    if name.endswith("zh"):
        assert sum("\u4e00" <= c <= "\u9fff" for c in shown) > 40  # the interface is Chinese
    font = _font(page)
    cmap, glyphs = font.getBestCmap(), font["glyf"]
    assert " " in shown and "\n" not in shown
    if name.endswith("en"):
        # an English page's font holds its Chinese characters and full-width forms alone, and says so
        # (unicode-range): its Latin, curly quotes and middle dot are the reader's sans-serif's, not full-width
        ranges = ",".join(f"U+{lo:X}-{hi:X}" for lo, hi in CJK_RANGE)
        assert f";unicode-range:{ranges}}}" in page
        assert {chr(u) for u in cmap} == {c for c in shown if is_cjk(c)}, name
        assert "e" in shown and ord("e") not in cmap and ord(" ") not in cmap
    else:
        missing = sorted(c for c in shown if ord(c) not in cmap)
        assert not missing, f"{name}: {missing}"
        assert "unicode-range" not in page
        for c in shown | set("0123456789"):  # page numbers of a printed page (counter(page)) are digits
            assert ord(c) in cmap
        assert len(cmap) < len(shown) + 60  # a subset: the page's characters, not the font's 21,829
    assert glyphs[cmap[ord("塆")]].numberOfContours > 0  # a real glyph, not an empty one
    # the whole page, html included, is set in the reader's fonts, then the embedded one (in English after the
    # reader's sans-serif: its own quotes and dashes, not a Chinese font's full-width ones)
    zh = re.search(r"html\{font-family:([^}]*)\}", page)
    en = re.search(r"html:lang\(en\)\{font-family:([^}]*)\}", page)
    assert zh is not None and zh.group(1).endswith(f'"Microsoft YaHei","{FAMILY}",sans-serif'), zh
    assert en is not None and en.group(1).endswith(f'"Microsoft YaHei",sans-serif,"{FAMILY}"'), en
    assert f'<html lang="{"en" if name.endswith("en") else "zh-CN"}"' in page
    # the policy as it was: fonts from data: only, no script, styles by hash
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert csp is not None
    policy = re.sub(r"'sha256-[A-Za-z0-9+/=]+'", "H", csp.group(1))
    assert policy == ("default-src 'none'; script-src 'none'; style-src H; img-src data:; font-src data:; "
                      "connect-src 'none'; base-uri 'none'; form-action 'none'"), policy
    assert page.count("<style>") == 1


_SUBSET = """
import hashlib, sys
from yuanluo.maps.webfont import subset_woff
sys.stdout.write(hashlib.sha256(subset_woff(sys.argv[1])).hexdigest())
"""


def test_the_subset_is_the_same_bytes_in_every_process(pages: dict[str, str]) -> None:
    chars = "".join(sorted(_shown(pages["check-zh"])))
    here = hashlib.sha256(subset_woff(chars)).hexdigest()
    runs = [subprocess.run([sys.executable, "-c", _SUBSET, chars[::-1] if k else chars], capture_output=True,
                           text=True, check=True, env=dict(os.environ, PYTHONHASHSEED=str(k + 1))).stdout
            for k in range(2)]
    assert runs == [here, here]


#: a machine whose only fonts are Latin ones: matplotlib's DejaVu (with no font at all Chromium loads no web font)
_LATIN_ONLY = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{fonts}</dir><cachedir>{cache}</cachedir></fontconfig>
"""


@pytest.mark.browser
def test_with_no_chinese_font_every_text_is_drawn_by_the_embedded_font(pages: dict[str, str],
                                                                         tmp_path: Path) -> None:
    """Chromium on a machine whose only fonts are matplotlib's DejaVu (no Chinese font; the old pages drew their
    Chinese as boxes, DejaVu's empty glyph): CDP's
    ``CSS.getPlatformFontsForNode`` names, for every element with text, the fonts its text was drawn with: a
    Chinese page's text all in the embedded font, an English page's Chinese characters in it and the rest (Latin,
    curly quotes, middle dot: a Chinese font draws them full-width) in DejaVu."""
    from browser import CHROMIUM_FLAGS, browser_unavailable_reason, chromium_path

    reason = browser_unavailable_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    conf = tmp_path / "fonts.conf"
    import matplotlib

    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    conf.write_text(_LATIN_ONLY.format(fonts=fonts, cache=tmp_path / "cache"), encoding="utf-8")
    profile = tempfile.mkdtemp(prefix="yl-chromium-")
    env = dict(os.environ, FONTCONFIG_FILE=str(conf))
    try:
        with sync_playwright() as pw:
            ctx = pw.chromium.launch_persistent_context(profile, executable_path=chromium_path(), headless=True,
                                                        args=CHROMIUM_FLAGS, env=env,
                                                        viewport={"width": 360, "height": 640})
            try:
                page = ctx.pages[0] if ctx.pages else ctx.new_page()
                cdp = ctx.new_cdp_session(page)
                cdp.send("DOM.enable")
                cdp.send("CSS.enable")
                for name, html in pages.items():
                    path = tmp_path / f"{name}.html"
                    path.write_text(html, encoding="utf-8")
                    page.goto(path.as_uri(), wait_until="load")
                    page.evaluate("document.fonts.ready.then(() => 1)")
                    root = cdp.send("DOM.getDocument", {"depth": -1, "pierce": False})["root"]
                    used: dict[str, int] = {}
                    texts = 0

                    def walk(node: dict, used: dict[str, int] = used, name: str = name) -> int:  # type: ignore[type-arg]
                        n = 0
                        kids = node.get("children", [])
                        if node.get("nodeName") in ("STYLE", "SCRIPT", "HEAD"):
                            return 0
                        if any(k.get("nodeType") == 3 and k.get("nodeValue", "").strip() for k in kids):
                            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
                            for f in fonts:
                                used[f["familyName"]] = used.get(f["familyName"], 0) + f["glyphCount"]
                            # in English the embedded font draws a drawn node's Chinese characters, nothing else
                            cjk = sum(is_cjk(c) for k in kids if k.get("nodeType") == 3 for c in k["nodeValue"])
                            assert name.endswith("zh") or not fonts or sum(
                                f["glyphCount"] for f in fonts if f["familyName"] == FAMILY) == cjk, (name, node)
                            n += 1
                        return n + sum(walk(k) for k in kids)

                    texts = walk(root)
                    assert texts > 20, name
                    if name.endswith("zh"):
                        assert set(used) == {FAMILY}, f"{name}: {used}"
                    else:  # the Chinese of names in the embedded font, the rest (quotes too) in DejaVu
                        assert set(used) == {FAMILY, "DejaVu Sans"}, f"{name}: {used}"
            finally:
                ctx.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def test_text_shown_by_css_only_is_in_the_subset() -> None:
    """A card's heading shown by ``td::before{content:attr(data-h)}`` (the cover report's cards on a phone) and a
    printed margin box's string: characters found nowhere else in the page."""
    from yuanluo.maps.webfont import embed

    page = embed('<html lang="zh-CN"><head><style>td::before{content:attr(data-h)}'
                 '@page{@top-left{content:"\\5858  村"}}</style></head><body><table><tr><td data-h="磜下">1</td>'
                 '</tr></table></body></html>')
    cmap = _font(page).getBestCmap()
    assert all(ord(c) in cmap for c in "磜下塘村1") and ord("\u5858") in cmap
