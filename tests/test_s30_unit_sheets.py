"""Audit s30 U, the per-unit A4 sheets (``map --per-unit``): the line under the title (village · group · rule · date)
stays on the page for a 40-character village name, shortened with "…" and still giving the rule and the date (§2);
one 40-character household id is wrapped in its column, in full, and leaves the other ids at the list's size (§8)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from shared_fixtures import Word, pdf_pages

from yuanluo.maps.sample import sample_layers
from yuanluo.maps.static_units import render_unit_sheets

A4_W, A4_H = 595.28, 841.89  # points
MARGIN = 0.06 * A4_W  # the sheet's left and right margin
VILLAGE = "重庆市巴南区某某镇某某村某某社区某某组某某院落某某湾某某坝某某坡某某沟某某梁某某"  # 40 characters
LONG_ID = "户" + "长" * 39  # 40 characters
RULE = {"zh": "巴南区“巴适小院”", "en": 'BananDistrict"BashiCourtyards"'}  # the preset's full name (28699ea), spaces taken out; straight quotes in English print (s42)

def _layers(village: str = VILLAGE, long_id: str | None = None) -> dict:
    """A small result whose unit U001 lies in ``village`` (and holds a household ``long_id``), run under a named
    rule on a known date."""
    lyr = sample_layers(60, block=6, seed=0)  # U001 of 36 households: two blocks side by side
    hh = lyr["households"].copy()
    hh["village"], hh["group"], hh["settlement"] = village, "V001-G1", "S0016"  # the list as narrow as the audit's
    if long_id is not None:
        first = hh.index[hh["unit_id"] == "U001"][0]
        hh = hh.rename(index={first: long_id})
    lyr["households"] = hh
    lyr["run"] = pd.DataFrame({"key": ["params.rules.min_size", "params.rules.max_size", "params.rules.name",
                                       "params.rules.label", "timestamp"],
                               "value": ["20", "50", "banan", RULE["zh"], "2026-12-03T08:00:00Z"]})
    return lyr


def _line(words: list[Word], y: float) -> list[Word]:
    """The words whose middle lies within 2 points of ``y``, left to right."""
    return sorted((w for w in words if abs((w[1] + w[3]) / 2 - y) < 2), key=lambda w: w[0])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_long_village_name_is_shortened_and_the_rule_and_date_stay_on_the_sheet(tmp_path: Path, lang: str) -> None:
    pages = pdf_pages(render_unit_sheets(_layers(), lang=lang, dpi=50, units=["U001"]), tmp_path)
    date = "2026-12-03"
    for words in pages:
        dated = [w for w in words if w[4].endswith(date)]
        assert dated, "the sheet gives the date"
        line = _line(words, (dated[0][1] + dated[0][3]) / 2)
        said = " ".join(w[4] for w in line)
        assert RULE[lang] in said.replace(" ", ""), said  # the rule, whole
        assert "…" in said and VILLAGE[:6] in said and VILLAGE not in said.replace(" ", ""), said
        assert min(w[0] for w in line) >= MARGIN - 1 and max(w[2] for w in line) <= A4_W - MARGIN + 1, said


def test_a_short_village_name_is_given_whole() -> None:
    from matplotlib import rc_context

    from yuanluo.maps import static_units
    from yuanluo.maps.interactive import _check_layers

    with rc_context(static_units.font_rc()):
        fig = static_units._pages(_check_layers(_layers("V001")), "U001", "zh", 50)[0]
    assert any(t.get_text().startswith("村：V001  ·  村民小组：") and t.get_text().endswith("数据日期：2026-12-03")
               and "…" not in t.get_text() for t in fig.texts)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_long_household_id_is_wrapped_whole_and_the_others_keep_their_size(tmp_path: Path, lang: str) -> None:
    plain = pdf_pages(render_unit_sheets(_layers("V001"), lang=lang, dpi=50, units=["U001"]), tmp_path)
    pages = pdf_pages(render_unit_sheets(_layers("V001", LONG_ID), lang=lang, dpi=50, units=["U001"]), tmp_path)

    def listed(words: list[Word]) -> list[Word]:  # the words under the list's column heads
        heads = [w[3] for w in words if w[4] in ("户编号", "Household")]
        return [w for w in words if heads and w[1] > min(heads)]

    def ids(words: list[Word]) -> list[Word]:
        return [w for w in listed(words) if re.fullmatch(r"\d{6}", w[4])]

    normal = {round(w[3] - w[1], 1) for p in plain for w in ids(p)}
    assert len(normal) == 1
    heights = {round(w[3] - w[1], 1) for p in pages for w in ids(p)}
    assert heights == normal, "the other ids are drawn at the list's size"
    parts = [w for p in pages for w in listed(p) if set(w[4]) <= set(LONG_ID)]
    assert "".join(w[4] for w in sorted(parts, key=lambda w: w[1])) == LONG_ID, "the long id, whole"
    assert len({w[1] for w in parts}) >= 2, "over two lines"
    assert all(round(w[3] - w[1], 1) >= min(normal) - 0.2 for w in parts), "at the list's size"
    groups = [w[0] for p in pages for w in p if w[4] in ("村民小组", "Group")]  # the next column, of each block
    assert all(MARGIN - 1 <= w[0] and w[2] < min(x for x in groups if x > w[0]) for w in parts), "in its column"
    for p in pages:  # no row drawn over another
        words = listed(p)
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5), (a, b)
