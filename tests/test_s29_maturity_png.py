"""The maturity print sheet (``maturity load --png``) with long unit ids: every unit's title stays readable.

Audit H §2: two adjacent units with 14-character Chinese ids (天坪村三组黄桷树湾上院子院落 / …下院子院落) had their
titles drawn over each other, and longer ids ran off the right edge of the A4 sheet. The texts drawn on each page
are measured with matplotlib's renderer (``Text.get_window_extent``): no two overlap, none leaves the page, the
titles of the units stay distinct, and an id cut short is given in full in the note at the foot of the page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from yuanluo.gis.errors import OutputError
from yuanluo.gis.maturity import CATEGORY_KEYS, INDICATOR_KEYS, maturity_table, village_summary
from yuanluo.planners import maturity as M

ZH_IDS = ["U001", "天坪村三组黄桷树湾上院子院落", "天坪村三组黄桷树湾下院子院落", "石岗村五组大院子院落",
          "天坪村三组黄桷树湾上院子院落东头第一排靠山那边的老房子一号", "天坪村三组黄桷树湾上院子院落东头第一排靠山那边的老房子二号",
          "U007"]
EN_IDS = ["U001", "Tianping-3-Huangjueshu-Upper-Yard", "Tianping-3-Huangjueshu-Lower-Yard", "Shigang-5-Big-Yard",
          "Tianping village group 3 Huangjueshu bay upper courtyard east end first row by the hill house one",
          "Tianping village group 3 Huangjueshu bay upper courtyard east end first row by the hill house two",
          "=HYPERLINK(\"http://evil.example/u\",\"U\")"]


def _inputs(ids: list[str], village: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(5)
    rows = [(u, "P1", c, i, int(rng.integers(1, 11))) for u in ids for c in CATEGORY_KEYS for i in INDICATOR_KEYS]
    sc = pd.DataFrame(rows, columns=["unit_id", "period", "category", "indicator", "score"])
    sc["score"] = sc["score"].astype("Int64")
    units = pd.DataFrame({"unit_id": ids, "name": [None] * len(ids), "village": [village] * len(ids)})
    t = maturity_table(sc, ids)
    return t, village_summary(t, dict(zip(units["unit_id"], units["village"], strict=True))), units


def _drawn_pages(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, ids: list[str], lang: Any, font: str | None
                 ) -> list[Any]:
    """What print_sheet draws on each page: the text and its extent (display pixels) of every text, measured as the
    page is saved (in print_sheet's fonts), with the page's extent."""
    from matplotlib.figure import Figure

    saved: list[Any] = []
    savefig = Figure.savefig

    def keep(self: Any, *a: Any, **k: Any) -> Any:
        saved.append((self.bbox, _boxes(self)))
        return savefig(self, *a, **k)

    monkeypatch.setattr(Figure, "savefig", keep)
    M.print_sheet(*_inputs(ids, "天坪村" if lang == "zh" else "Tianping"), tmp_path / f"{lang}.png", lang=lang, dpi=72, font=font)
    return saved


def _boxes(fig: Any) -> list[tuple[str, Any]]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer() if not isinstance(fig.canvas, FigureCanvasAgg) \
        else fig.canvas.get_renderer()
    texts = list(fig.texts) + [t for ax in fig.axes for t in ax.texts]
    return [(t.get_text(), t.get_window_extent(renderer)) for t in texts if t.get_text().strip()]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_long_unit_ids_neither_overlap_nor_leave_the_sheet(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                          lang: str) -> None:
    font = None
    if lang == "zh":
        from yuanluo.maps.static import cjk_font

        try:
            font = cjk_font()
        except OutputError:
            pytest.skip("no Chinese font installed (FONT-CJK-MISSING)")
    else:
        font = "DejaVu Sans"
    ids = ZH_IDS if lang == "zh" else EN_IDS
    figs = _drawn_pages(monkeypatch, tmp_path, ids, lang, font)
    assert figs
    shown: list[str] = []  # the units' titles, as read on the sheet
    drawn: list[str] = []  # every text, its lines joined both ways (Chinese breaks anywhere, Latin at a space)
    for page, boxes in figs:
        for s, b in boxes:  # inside the sheet
            assert b.x0 >= page.x0 - 0.5 and b.x1 <= page.x1 + 0.5 and b.y0 >= page.y0 - 0.5 \
                and b.y1 <= page.y1 + 0.5, f"{s!r} leaves the sheet: {b} not in {page}"
        for i, (s, b) in enumerate(boxes):  # no two texts over each other
            for s2, b2 in boxes[i + 1:]:
                assert not b.overlaps(b2), f"{s!r} {b} is drawn over {s2!r} {b2}"
        for s, _ in boxes:
            ways = {s.replace("\n", ""), s.replace("\n", " ")}
            drawn += ways
            shown += [s] if ways & set(ids) or ("…" in s and len(s) < 80) else []
    # every unit has a title of its own: the two yards and the two houses stay distinguishable
    assert len(shown) == len(ids) and len(set(shown)) == len(ids), shown
    for u in ids:  # each id is on the sheet in full: in its cell, or in the note at the foot of the page
        assert any(u in d for d in drawn), u
