"""Session 41 (helper J2): the maturity print sheet (``maturity load --png/--pdf``) read a ``$`` in a village's name
or a unit's id as mathtext, as the other print maps did before (helper J's font_rc, text.parse_math off): a village
named ``A$1$B村`` was printed "A1B村" with the 1 in italics, and an id like ``U$\\x$`` stopped the command with a
matplotlib parse error (exit 3). The sheet now draws every text as given."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from yuanluo.gis.maturity import CATEGORY_KEYS, INDICATOR_KEYS, maturity_table, village_summary
from yuanluo.planners import maturity as M

IDS = ["U001", "U$\\x$", "U$1$2"]


@pytest.mark.parametrize(("lang", "suffix"), [("zh", ".png"), ("en", ".pdf")])
def test_a_dollar_in_a_name_is_printed_as_given(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lang: Any,
                                                 suffix: str) -> None:
    from matplotlib.figure import Figure

    rows = [(u, "P1", c, i, 5) for u in IDS for c in CATEGORY_KEYS for i in INDICATOR_KEYS]
    sc = pd.DataFrame(rows, columns=["unit_id", "period", "category", "indicator", "score"])
    sc["score"] = sc["score"].astype("Int64")
    units = pd.DataFrame({"unit_id": IDS, "name": [None] * 3, "village": ["A$1$B村"] * 3})
    t = maturity_table(sc, IDS)
    drawn: list[tuple[str, bool]] = []
    savefig = Figure.savefig

    def keep(self: Any, *a: Any, **k: Any) -> Any:
        drawn.extend((x.get_text(), x.get_parse_math()) for x in self.findobj(lambda o: hasattr(o, "get_parse_math")))
        return savefig(self, *a, **k)

    monkeypatch.setattr(Figure, "savefig", keep)
    written = M.print_sheet(t, village_summary(t, dict.fromkeys(IDS, "A$1$B村")), units, tmp_path / f"m{suffix}",
                            lang=lang, dpi=50)
    assert written and all(p.stat().st_size > 0 for p in written)
    dollars = [(s, math) for s, math in drawn if "$" in s]
    assert any("A$1$B村" in s for s, _ in dollars), drawn
    assert dollars and not any(math for _, math in dollars), dollars
