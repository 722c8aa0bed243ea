"""maps.webfont.embed on a page without a style sheet (s56 E).

``embed`` put the font subset first in the page's one ``<style>`` and raised ValueError on a page without one
(every caller has one today: the check, cover and maturity reports). A page without a sheet now gets one, holding
the font and the rule that names it (:data:`~yuanluo.maps.webfont.FONT_CSS`), at the end of its head (else before
its body, else after its doctype); the Content-Security-Policy added afterwards allows that sheet by its hash.
"""

from __future__ import annotations

import base64
import io
import re

from fontTools.ttLib import TTFont

from yuanluo.maps.offline import add_csp
from yuanluo.maps.webfont import FAMILY, FONT_CSS, embed

FACE = re.compile(r"url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)")


def _cmap(sheet: str) -> set[str]:
    faces = FACE.findall(sheet)
    assert len(faces) == 1
    return {chr(u) for u in TTFont(io.BytesIO(base64.b64decode(faces[0]))).getBestCmap()}


def test_a_page_without_a_style_sheet_gets_one_with_its_font() -> None:
    pages = {
        "head": '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>院落</title></head>'
                "<body><p>李家塆村</p></body></html>",
        "body": "<!DOCTYPE html><html><body><p>李家塆村</p></body></html>",
        "bare": "<!DOCTYPE html><p>李家塆村</p>",
    }
    for name, page in pages.items():
        out = embed(page)
        sheets = re.findall(r"<style>(.*?)</style>", out, re.S)
        assert len(sheets) == 1, name
        assert sheets[0].startswith(f'@font-face{{font-family:"{FAMILY}"') and sheets[0].endswith(FONT_CSS), name
        assert set("李家塆村") <= _cmap(sheets[0]), name
        assert out.replace(f"<style>{sheets[0]}</style>", "") == page  # nothing else changed
        where = {"head": "</style></head>", "body": "</style><body>", "bare": "<!DOCTYPE html><style>"}[name]
        assert where in out, name
    # the policy added afterwards (to a page with a head) allows the sheet by its hash, as on every report
    csp = re.search(r'content="([^"]*)"', add_csp(embed(pages["head"]))).group(1)
    assert "style-src 'sha256-" in csp and "'unsafe-inline'" not in csp


def test_a_page_with_a_style_sheet_keeps_its_one_sheet() -> None:
    page = "<html><head><style>p{color:red}</style></head><body>院</body></html>"
    out = embed(page)
    assert out.count("<style>") == 1 and out.endswith("p{color:red}</style></head><body>院</body></html>")
    assert FONT_CSS not in out  # the caller's sheet names its fonts itself
