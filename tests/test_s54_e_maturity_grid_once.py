"""The maturity report draws the hexagons' grid once (session 54, helper E, third round): every card of the
report carried its own five grid rings and six spokes, the same 1.3 KB in each (430 KB of the 1.04 MB report of a
town's 344 units). The report now holds the grid once, a ``<symbol>`` each card's hexagon ``<use>``s; a hexagon
drawn alone (radar_svg without ``grid``, the map's cards) still draws its own. Fails on c091694."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yuanluo.gis.maturity import maturity_table, village_summary
from yuanluo.planners import maturity as M


def _report(n: int, lang: str) -> str:
    ids = [f"U{i:03d}" for i in range(1, n + 1)]
    rng = np.random.default_rng(5)
    sc = pd.DataFrame([(u, "P1", c, i, int(rng.integers(1, 11))) for u in ids for c in M.CATEGORY_KEYS
                       for i in ("content", "effect", "satisfaction") if not (u == "U002" and c == "mediation")],
                      columns=["unit_id", "period", "category", "indicator", "score"])
    t = maturity_table(sc, ids)
    units = pd.DataFrame({"unit_id": ids, "name": [None] * n, "village": ["V"] * n})
    return M.report_html(t, village_summary(t, dict.fromkeys(ids, "V")), units, lang=lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_carries_the_grid_once(lang: str) -> None:
    page = _report(40, lang)
    # 5 rings in the one symbol, 39 units' hexagons (U002 has mediation not rated: dots, no hexagon)
    assert page.count("<polygon") == 5 + 39
    assert page.count('<symbol id="yl-radar-grid"') == 1 and page.count('<use href="#yl-radar-grid"') == 40
    assert page.count('stroke="#') - page.count("<polygon") - page.count("<line") <= 40  # no stray grid strokes
    # the hatched wedge of U002 still under the grid (drawn before the <use>)
    card = page[page.index('data-radar="U002"'):]
    assert card.index('data-unrated="2"') < card.index('<use href="#yl-radar-grid"')
    # bytes: a card costs what its own hexagon needs, not the grid again (this town: 1.8 KB a card, 3.1 KB before)
    per_card = (len(page.encode()) - len(_report(20, lang).encode())) / 20
    assert per_card < 2400, per_card


def test_a_hexagon_alone_draws_its_own_grid() -> None:
    alone = M.radar_svg("U1", [8, 6, 7, 5, 9, 4])
    assert alone.count("<polygon") == 6 and alone.count("<line") == 6 and "<use" not in alone
    used = M.radar_svg("U1", [8, 6, 7, 5, 9, 4], grid="yl-radar-grid")
    # the same drawing but for the grid: the symbol's content where the <use> stands
    symbol = M.radar_grid_symbol("yl-radar-grid")
    grid = symbol[symbol.index("<polygon"):symbol.index("</symbol>")]
    assert used.replace('<use href="#yl-radar-grid" width="202" height="150"/>', grid) == alone
