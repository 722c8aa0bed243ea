"""A number and its measure word are one piece when a print map wraps a Chinese line.

The cover print map's summary line broke the working coordinate system's name as "CGCS2000 3" / "度带高斯-克吕格投影"
(helper D's look at the town's cover map, session 38): a Chinese line could break between a number and the
character after it, with or without a space between them.
"""

from __future__ import annotations

import numpy as np
from matplotlib import rc_context
from matplotlib.figure import Figure

from yuanluo.maps import static

TEXTS = (
    "坐标系：CGCS2000 3 度带高斯-克吕格投影，中央经线 108°E  ·  比例尺 1:5000",
    "规则：20–50 户（巴南区“巴适小院”），步行不超过 15 分钟",
    "共 33 个院落、951 户；另有 5 处院落标注因图上过密未画出",
)
WHOLE = ("3 度", "20–50 户", "15 分", "33 个", "951 户", "5 处")


def test_a_number_keeps_its_measure_word_on_its_line() -> None:
    with rc_context(static.font_rc()):
        fig = Figure(figsize=(297 / 25.4, 210 / 25.4), dpi=60)
        for s in TEXTS:
            for w in np.linspace(0.06, 0.6, 80):
                lines = static.wrap_to(fig, s, 9, float(w)).split("\n")
                assert "".join(lines).replace(" ", "") == s.replace(" ", ""), lines  # nothing lost or repeated
                joined = "|".join(lines)
                for whole in WHOLE:
                    if whole in s:
                        assert whole in joined, (w, lines)


def test_english_and_ranges_unchanged() -> None:
    """No measure is joined where none follows: a Latin word after a number, a range, an option."""
    with rc_context(static.font_rc()):
        fig = Figure(figsize=(297 / 25.4, 210 / 25.4), dpi=60)
        s = "Rule: 20–50 households per unit; use --paper A3 for 5 more labels"
        wide = static.wrap_to(fig, s, 9, 0.9)
        assert wide == s
        for w in np.linspace(0.15, 0.6, 40):  # every word fits a line
            lines = static.wrap_to(fig, s, 9, float(w)).split("\n")
            assert " ".join(lines) == s, lines
