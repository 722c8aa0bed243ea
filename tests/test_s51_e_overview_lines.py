"""The line above a report's overview reads as a person writes it (session 51, helper E).

The check report said "By code (violations and warnings) (tap one to go to it):" (zh 按代码统计（违规与提示）（点击跳到
该节）：), two brackets in a row; it says "Violations and warnings by code (tap one to go to it):". The maturity
report said "Overview (tap one to go to it):" with no list after the colon, a heading next; it says in a sentence
what its lists hold ("Overview: the units needing attention, then the units by village. Tap one to go to it.").
"""

from __future__ import annotations

import re

import pytest
from test_report_phone import many_findings
from test_s39_h_maturity_overview import _page

from yuanluo.planners.report import render_html


def _lines(page: str) -> list[str]:
    """The text of each paragraph of ``page``, its markup taken out (a screen-only hint kept)."""
    return [re.sub(r"<[^>]+>", "", p) for p in re.findall(r"<p[^>]*>(.*?)</p>", page, re.S)]


def _colon_without_list(page: str) -> list[str]:
    """Paragraphs ending in a colon that no list follows."""
    return [m.group(1) for m in re.finditer(r"<p[^>]*>((?:(?!</p>).)*?[:：])</p>\s*(?!<ul|<ol|<table)", page, re.S)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_check_reports_overview_line_has_one_bracket(lang: str) -> None:
    page = render_html(many_findings(), lang=lang)
    head = next(x for x in _lines(page) if ("tap one" in x or "点击跳到" in x))
    assert not re.search(r"[)）]\s*[(（]", head), head  # old: "(violations and warnings) (tap one to go to it)"
    assert head == ("按代码统计的违规与提示（点击跳到该节）：" if lang == "zh"
                    else "Violations and warnings by code (tap one to go to it):"), head
    assert _colon_without_list(page) == [], _colon_without_list(page)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_maturity_overview_says_what_its_lists_hold_not_a_colon_before_a_heading(lang: str) -> None:
    page = _page(lang)
    assert _colon_without_list(page) == [], _colon_without_list(page)  # old: "Overview (tap one to go to it):"
    first = next(x for x in _lines(page) if x.startswith(("概览", "Overview")))
    assert first == ("概览：最需关注的院落，再按村列出各院落。点一项即跳到该处。" if lang == "zh"
                     else "Overview: the units needing attention, then the units by village. Tap one to go to it."), first
    assert not re.search(r"[)）]\s*[(（]", first), first
