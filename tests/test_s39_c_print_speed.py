"""Print maps drawn with less work and the same bytes (session 39, helper C): widths measured once
(:func:`yuanluo.maps.static.text_width`). The bytes of whole sheets are compared by
``bench/bench_labels.py --print/--sheets`` (bench/results/labels.md); here the parts, on small cases."""

from __future__ import annotations

import pytest
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from yuanluo.maps import static


def test_a_remembered_width_is_the_renderers_and_follows_the_font() -> None:
    """The width remembered is the renderer's own, by text, size, resolution and font: another font family (the
    rc of another sheet) or another resolution is measured anew, not given the width remembered."""
    texts = ["院落 20–50 户", "P003  光明村 二组 及另外 1 个村", "Walking coverage", "1", "11"]
    with rc_context(static.font_rc()):
        r = static._renderer(Figure(dpi=100))
        for s in texts:
            for size in (6.0, 8.0):
                prop = FontProperties(size=size)
                want = r.get_text_width_height_descent(s, prop, ismath=False)[0]
                assert static.text_width(r, s, prop) == want
                assert static.text_width(r, s, FontProperties(size=size)) == want  # remembered: the same number
        cjk = static.text_width(r, texts[0], FontProperties(size=8.0))
        hi = static._renderer(Figure(dpi=200))
        assert static.text_width(hi, texts[0], FontProperties(size=8.0)) == pytest.approx(2 * cjk, rel=0.02)
    with rc_context({"font.family": ["DejaVu Sans"]}):
        prop = FontProperties(size=8.0)
        other = r.get_text_width_height_descent(texts[0], prop, ismath=False)[0]
        assert other != cjk  # DejaVu has no Han: another width
        assert static.text_width(r, texts[0], prop) == other
