"""The per-unit A4 sheet (``map --per-unit``) lists every household of a unit where it can be read: the list
never runs into the OpenStreetMap credit at the foot of the sheet nor off the page, for a unit at the presets'
largest size (50 households) and for a larger exception unit (a locked or RULE-INFEASIBLE unit of 90); what does
not fit on the first sheet goes on to continuation pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from shared_fixtures import pdf_pages

from yuanluo.maps.sample import sample_layers
from yuanluo.maps.static_units import render_unit_sheets

A4_W, A4_H = 595.3, 841.9  # points


def _meets(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize(("n", "block", "status"), [(50, 8, "ok"), (90, 10, "exception")])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_household_is_listed_clear_of_the_footer(tmp_path: Path, n: int, block: int, status: str,
                                                       lang: str) -> None:
    lyr = sample_layers(n, block=block, exceptions=0)
    hh = lyr["households"].copy()
    hh["unit_status"] = status
    lyr["households"] = hh
    assert (hh["unit_id"] == "U001").sum() == n
    pages = pdf_pages(render_unit_sheets(lyr, lang=lang, dpi=50, osm_attribution=True), tmp_path)
    credit = "地图数据" if lang == "zh" else "Map"
    footer = [w for w in pages[0] if w[4] == credit and w[1] > A4_H / 2]
    assert len(footer) == 1, "the first sheet carries OpenStreetMap's credit at its foot"
    # the footer's whole line: from its first word to the page's right edge
    foot = (0.0, footer[0][1], A4_W, footer[0][3])
    # the list starts under its title (the facts above it name the meeting point's and the head's households)
    title = max(w[1] for w in pages[0] if w[4].startswith("农户名单") or w[4] == "Households")
    listed: list[str] = []
    for k, words in enumerate(pages):
        ids = [w for w in words if re.fullmatch(r"\d{6}", w[4]) and (k or w[1] > title)]
        listed += [w[4] for w in ids]
        for w in ids:
            assert not _meets(w, foot), f"household {w[4]} at y {w[1]:.1f}–{w[3]:.1f} runs into the footer"
            assert 0 <= w[0] and w[2] <= A4_W and 0 <= w[1] and w[3] <= A4_H, f"household {w[4]} is off the page"
            others = [v for v in words if v is not w and v[4] != w[4] and _meets(w, v)]
            assert not others, f"household {w[4]} is drawn over {[v[4] for v in others]}"
    assert sorted(listed) == sorted(hh.index.astype(str)), "each household listed once"
