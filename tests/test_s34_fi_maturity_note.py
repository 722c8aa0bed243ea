"""The maturity sheet's texts stay within the A4 page's margins, in the PDF and in the PNG (session 34, audit #1).

The axis note (饱满度 = 六边形面积 ÷ … 请同时看六个分数和均值。) was drawn with matplotlib's ``wrap=True``, which
breaks only at spaces: the Chinese note ran off the right of the A4 PDF (pdftotext: x 23.8 -> 591.8 pt of 595.3)
and broke after "÷" in the PNG. It is now broken by the map sheets' ``wrap_to``: every line within the margins,
every line but the last filled (Chinese is broken between characters, not before "600，…").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from yuanluo.gis.errors import OutputError
from yuanluo.gis.maturity import CATEGORY_KEYS, INDICATOR_KEYS, maturity_table, village_summary
from yuanluo.planners import maturity as M


def _inputs(lang: str) -> tuple[Any, Any, Any]:
    import numpy as np
    import pandas as pd

    ids = [f"U{i:03d}" for i in range(1, 8)]
    rng = np.random.default_rng(3)
    rows = [(u, "P1", c, i, int(rng.integers(1, 11))) for u in ids for c in CATEGORY_KEYS for i in INDICATOR_KEYS]
    sc = pd.DataFrame(rows, columns=["unit_id", "period", "category", "indicator", "score"])
    sc["score"] = sc["score"].astype("Int64")
    village = "天坪村三组黄桷树湾上院子很长很长的村名" * 3 if lang == "zh" else "Tianping village group three " * 4
    units = pd.DataFrame({"unit_id": ids, "name": [None] * len(ids), "village": [village] * len(ids)})
    t = maturity_table(sc, ids)
    return t, village_summary(t, dict(zip(units["unit_id"], units["village"], strict=True))), units


def _font(lang: str) -> str:
    if lang == "en":
        return "DejaVu Sans"
    from yuanluo.maps.static import cjk_font

    try:
        return cjk_font()
    except OutputError:
        pytest.skip("no Chinese font installed (FONT-CJK-MISSING)")


@pytest.mark.parametrize("fmt", ["pdf", "png"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_sheet_text_is_within_the_margins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lang: str,
                                                fmt: str) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    seen: list[Any] = []
    savefig = Figure.savefig

    def keep(self: Any, *a: Any, **k: Any) -> Any:
        out = savefig(self, *a, **k)
        r = FigureCanvasAgg(self).get_renderer()
        seen.append((self.bbox.width, [(t.get_text(), t.get_window_extent(r)) for t in self.texts
                                       if t.get_text().strip()]))
        return out

    monkeypatch.setattr(Figure, "savefig", keep)
    M.print_sheet(*_inputs(lang), tmp_path / f"s.{fmt}", lang=lang, dpi=72, font=_font(lang))
    assert seen
    note = M.text("maturity.axis_note", lang, order="x")[:6]
    found = False
    for width, boxes in seen:
        for s, b in boxes:  # every text of the sheet between the left and the right margin
            assert b.x0 >= M.MARGIN * width - 0.5 and b.x1 <= (1 - M.MARGIN) * width + 0.5, (s, b.x0, b.x1, width)
            if s.startswith(note):
                found = True
                assert "\n" in s
    assert found


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_note_fills_its_lines(lang: str) -> None:
    """Each line of the note but the last is nearly as wide as the room: no line ends early (after "÷ ")."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    from yuanluo.maps.static import _fig_text_width, _renderer, wrap_to

    order = M.text("list.sep", lang).join(M.category_label(k, lang) for k in CATEGORY_KEYS)
    s = M.text("maturity.axis_note", lang, order=order)
    with rc_context({"font.family": "sans-serif", "font.sans-serif": [_font(lang), "DejaVu Sans"]}):
        fig = Figure(figsize=M.A4_IN)
        room = (1 - 2 * M.MARGIN) * fig.bbox.width
        lines = wrap_to(fig, s, 6.5, 1 - 2 * M.MARGIN).split("\n")
        widths = [_fig_text_width(fig, _renderer(fig), line, 6.5) for line in lines]
    assert len(lines) >= 2 and all(w <= room + 0.5 for w in widths)
    assert all(w >= 0.85 * room for w in widths[:-1]), (lines, widths, room)
