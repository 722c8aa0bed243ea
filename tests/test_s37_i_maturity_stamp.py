"""``yuanluo maturity load --report`` wrote an HTML report with no 内部工作资料 (internal working document) stamp,
which the check and cover reports and the maturity PDF carry; it now has it at the top and the foot, as they do."""
from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from shared_fixtures import run_cli

from yuanluo.gis.catalogue import text
from yuanluo.gis.output import write_layers
from yuanluo.maps.sample import sample_layers

FIRST_SCORE_COL = 9  # column I of the template


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A delineation result (sample_layers) and its maturity template with every score 7 in period 2026Q1."""
    d = tmp_path_factory.mktemp("mat_stamp")
    write_layers(d / "result.gpkg", {k: v for k, v in sample_layers(200, block=5).items() if k != "run"})
    run_cli(["maturity", "template", str(d / "result.gpkg"), "-o", str(d / "t.xlsx")])
    wb = openpyxl.load_workbook(d / "t.xlsx")
    ws = wb.worksheets[0]
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 6, "2026Q1")
        for c in range(FIRST_SCORE_COL, FIRST_SCORE_COL + 18):
            ws.cell(r, c, 7)
    wb.save(d / "f.xlsx")
    return d / "result.gpkg", d / "f.xlsx"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_maturity_report_is_stamped(filled: tuple[Path, Path], tmp_path: Path, lang: str) -> None:
    result, scores = filled
    page = tmp_path / "r.html"
    run_cli(["maturity", "load", str(result), str(scores), "-o", str(tmp_path / "m.gpkg"), "--report", str(page)],
            lang)
    html = page.read_text(encoding="utf-8")
    stamp = text("report.stamp", lang)
    assert stamp == ("内部工作资料" if lang == "zh" else "Internal working document")
    body = html.split("<body>", 1)[1]
    assert body.startswith(f'<div class="stamp">{stamp}</div>'), body[:200]  # before the title, as in the check's
    assert re.search(rf'<p class="foot">{stamp} · yuanluo</p>\s*</body>', html), html[-300:]
    assert ".stamp{" in html  # drawn as the check report draws it
