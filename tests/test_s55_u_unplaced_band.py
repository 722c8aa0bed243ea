"""Session 55, helper U (round 2): HEAD-UNPLACED's line in the console said the size band twice, the second time
as an afterthought: "…但未找到让每个院落都有候选院落长的 15–25 连通划分），规模范围 15–25。" / "…no contiguous
split within 15–25 giving each unit one was found); band 15–25." Its reason already says the band; the line now
ends there, as HEAD-SHORT's does.
"""

from __future__ import annotations

from yuanluo.gis.catalogue import both
from yuanluo.gis.delineate.reasons import render_why
from yuanluo.gis.errors import problem


def test_head_unplaced_says_its_band_once() -> None:
    why = {"heads": 0, "hi": 25, "lo": 15, "need": 1, "size": 24, "total": 281, "what": "households",
           "why": "head_unplaced"}
    p = problem("HEAD-UNPLACED", severity="warning", ids=["H1"], unit="U001", size=24,
                what=both("delineate.what.households"), lo=15, hi=25,
                why={lang: render_why(why, lang) for lang in ("zh", "en")})
    zh, en = p.message("zh").splitlines()[0], p.message("en").splitlines()[0]
    assert zh.count("15–25") == 1 and zh.endswith("15–25 连通划分）。"), zh
    assert en.count("15–25") == 1 and en.endswith("giving each unit one was found)."), en
