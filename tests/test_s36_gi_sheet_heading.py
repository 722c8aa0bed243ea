"""The maturity print sheet's village headings (光明村：2 个院落，…；最弱：政策宣讲、协商议事、…) ran past the right
margin, to x = 586.8 pt of the 595.3 pt A4 PDF page (margin 571.5 pt), and to the PNG's last pixel column: printers
clip there. The lines were broken by ``wrap_to`` measuring the text on the figure's 100 dpi Agg canvas, whose hinted
widths of Chinese characters are narrower than the PDF (the font's own widths) or a 150 dpi PNG draws them. Each
full-width line (headings, the axis note, the foot note) is now checked as drawn (session 36, fixer GI)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from yuanluo.gis.errors import OutputError
from yuanluo.gis.maturity import CATEGORY_KEYS, INDICATOR_KEYS, maturity_table, village_summary
from yuanluo.planners import maturity as M

A4_W_PT = 210 / 25.4 * 72


def _inputs() -> tuple[Any, Any, Any]:
    """Villages whose units score alike in every category: every category is weakest, the longest heading."""
    ids = [f"U{i:03d}" for i in range(1, 9)]
    villages = ["光明村", "光明村", "红星村", "红星村", "红星村", "甲镇/新华村", "乙镇/新华村", "长江村"]
    rows = [(u, "2026Q1", c, i, 3 + 3 * (k % 3)) for k, u in enumerate(ids) for c in CATEGORY_KEYS
            for i in INDICATOR_KEYS]
    sc = pd.DataFrame(rows, columns=["unit_id", "period", "category", "indicator", "score"])
    sc["score"] = sc["score"].astype("Int64")
    units = pd.DataFrame({"unit_id": ids, "name": [None] * len(ids), "village": villages})
    t = maturity_table(sc, ids)
    return t, village_summary(t, dict(zip(ids, villages, strict=True))), units


def _font() -> str:
    from yuanluo.maps.static import cjk_font

    try:
        return cjk_font()
    except OutputError:
        pytest.skip("no Chinese font installed (FONT-CJK-MISSING)")


@pytest.mark.parametrize("dpi", [150, 100, 200])
def test_the_png_sheet_has_no_ink_past_the_right_margin(tmp_path: Path, dpi: int) -> None:
    from PIL import Image

    pages = M.print_sheet(*_inputs(), tmp_path / "s.png", lang="zh", dpi=dpi, font=_font())
    for p in pages:
        a = np.asarray(Image.open(p).convert("L"))
        ink = np.where((a < 200).any(axis=0))[0]
        margin = a.shape[1] * (1 - M.MARGIN)
        assert ink.max() <= margin + 1, (p.name, int(ink.max()), margin)  # the old code: the last column, 1239


def test_the_pdf_sheet_has_no_word_past_the_right_margin(tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    (pdf,) = M.print_sheet(*_inputs(), tmp_path / "s.pdf", lang="zh", font=_font())
    words = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    right = [(float(x), w) for x, w in re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)</word>', words)]
    assert any("最弱" in w for _, w in right)
    margin = A4_W_PT * (1 - M.MARGIN)
    assert max(x for x, _ in right) <= margin + 0.05, sorted(right)[-3:]  # the old code: 586.8 pt


def test_a_heading_is_two_lines_at_most_each_fitting_as_drawn() -> None:
    from matplotlib import rc_context
    from matplotlib.backends.backend_pdf import PdfFile, RendererPdf
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    line = "甲镇/新华村：3 个院落，六类全评 3 个；各类均值 " + "、".join(f"类{k} 9.0" for k in range(40)) + "；最弱：政策宣讲"
    import io

    with rc_context({"font.family": "sans-serif", "font.sans-serif": [_font(), "DejaVu Sans"]}):
        fig = Figure(figsize=M.A4_IN)
        lines = M._fitted_lines(fig, line, 7.5, 1 - 2 * M.MARGIN, (M.PDF, 150), most=2)
        assert len(lines) == 2 and lines[1].endswith("…") and lines[0].startswith("甲镇/新华村")
        pdf = RendererPdf(PdfFile(io.BytesIO()), 72, 842, A4_W_PT)
        png = Figure(figsize=M.A4_IN, dpi=150)
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        r = FigureCanvasAgg(png).get_renderer()
        prop = FontProperties(size=7.5)
        for t in lines:
            assert pdf.get_text_width_height_descent(t, prop, ismath=False)[0] <= (1 - 2 * M.MARGIN) * A4_W_PT
            assert r.get_text_width_height_descent(t, prop, ismath=False)[0] <= (1 - 2 * M.MARGIN) * png.bbox.width
