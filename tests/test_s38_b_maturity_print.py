"""Session 38, task B2: the maturity report prints as the check and cover reports print.

``yuanluo maturity load … --report r.html`` carried the 内部工作资料 stamp but printed with the browser's own
margins: no title, date or "第 n 页，共 m 页" on the pages, and a unit's card cut in two at a page's foot (on the
Ordino demo, 33 units: 11 A4 pages, U003's numbers on page 1 and its hexagon's note on page 2). The check, cover
and maturity reports now print by one helper, :func:`yuanluo.planners.report.page_css` (margin boxes and
:data:`~yuanluo.planners.report.PRINT_CSS`: headers repeated, rows and cards never split).

Fixture: the 16 units of the maps' sample result (300 households), every score filled (2026Q1).
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from shared_fixtures import fill_maturity_sheet, run_cli

from yuanluo.gis.output import write_layers
from yuanluo.maps.sample import sample_layers
from yuanluo.planners.report import PRINT_CSS

SCORES = "评分<b>\u202e.xlsx"


@pytest.fixture
def report(tmp_path, monkeypatch, request):
    """``maturity load result.gpkg 评分<b>….xlsx --report r.html`` in the language of ``request.param``."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764460800")  # 2025-11-30
    lang = getattr(request, "param", "zh")
    write_layers(tmp_path / "result.gpkg", {k: v for k, v in sample_layers(300, block=5).items() if k != "run"})
    run_cli(["maturity", "template", str(tmp_path / "result.gpkg"), "-o", str(tmp_path / "t.xlsx")])
    fill_maturity_sheet(tmp_path / "t.xlsx", tmp_path / SCORES)
    run_cli(["maturity", "load", str(tmp_path / "result.gpkg"), str(tmp_path / SCORES), "-o",
             str(tmp_path / "m.gpkg"), "--report", str(tmp_path / "r.html")], lang=lang)
    return tmp_path / "r.html", lang


@pytest.mark.parametrize("report", ["zh", "en"], indirect=True)
def test_the_maturity_report_has_the_printed_margin_boxes_of_the_other_reports(report) -> None:
    """The page's style holds the shared print rules and the A4 margin boxes: title at the top, the date of
    SOURCE_DATE_EPOCH, the stamp with the result's and the score sheet's names (escaped, no bidi override), the
    page number; every card is a block no page splits (the old page: none of it)."""
    path, lang = report
    page = path.read_text(encoding="utf-8")
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    assert PRINT_CSS in style
    title = {"zh": "院落服务成熟度", "en": "Courtyard service maturity"}[lang]
    assert re.search(r'@top-left\{content:"' + re.escape(title), style), style[-600:]
    assert '@top-right{content:"2025\\2d 11\\2d 30"' in style
    bottom = re.search(r"@bottom-left\{content:([^;]*);", style).group(1)
    stamp = {"zh": "内部工作资料", "en": "Internal working document"}[lang]
    assert bottom == f'"{stamp} \\b7  result\\2e gpkg \\b7  评分\\3c b\\3e \\2e xlsx"', bottom
    assert "counter(page)" in style and "counter(pages)" in style
    assert page.count('<div class="yl-unit keep">') == 16
    assert "<b>" not in page.replace("<b>未评</b>", "") and "\u202e" not in page


def test_the_three_reports_print_by_one_helper(tmp_path) -> None:
    """The check and cover reports' pages hold the same print rules (one copy of them in the code)."""
    from yuanluo.gis.check import check_plan
    from yuanluo.gis.rules import Rules
    from yuanluo.planners.report import render_html

    lyr = sample_layers(100, block=5)
    hh = lyr["households"].set_index(lyr["households"].index.astype(str))
    res = check_plan(hh, hh["unit_id"], Rules(5, 50))
    assert PRINT_CSS in render_html(res)
    import yuanluo.planners.cover_report as cr
    import yuanluo.planners.maturity as mat
    import yuanluo.planners.report as rep

    for mod in (cr, mat, rep):  # no module of its own copy of the margin boxes
        assert mod.__file__ is not None
        src = open(mod.__file__, encoding="utf-8").read()
        assert src.count("@bottom-right") == (1 if mod is rep else 0), mod.__name__


@pytest.mark.browser
@pytest.mark.parametrize("report", ["en"], indirect=True)
def test_printed_every_page_is_numbered_and_no_card_is_split(report, tmp_path) -> None:
    """Printed to PDF in headless Chromium: every page says "Page i of n" and the stamp; each unit's card is
    whole on one page: its id, its "Period" line and its "Weakest" line on the same page (the old page split
    cards at the page's foot)."""
    from browser import require_browser

    require_browser()
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    from test_report import _print_pdf

    path, _ = report
    pdf = _print_pdf(path, tmp_path / "r.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) >= 2
    seen: list[str] = []
    for i, p in enumerate(pages, 1):
        assert f"Page {i} of {len(pages)}" in p and "Internal working document" in p, p
        if i == 1:  # the overview (session 39: the units needing attention, the villages) before the cards
            assert "Needing attention:" in p and "Units by village" in p
            p = p[p.index("V1: 16 units"):]
        units = re.findall(r"\bU\d{3}\b", p)
        seen += units
        assert len(re.findall(r"\bPeriod 2026Q1", p)) == len(units) == len(re.findall(r"\bWeakest\b", p)), p
    assert sorted(seen) == sorted(set(seen)) and len(seen) == 16
