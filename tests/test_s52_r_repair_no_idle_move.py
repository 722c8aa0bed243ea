"""Session 52 (helper R, third round): a repair keeps no move that mends nothing.

Helper P's row (tests/test_s52_p_repair_undo.py, its second case without the head rule): households ``a``–``i``
``50 m`` apart, one minute's walk between neighbours but ``b``–``c`` (twenty), walking limit ten, band 3–4; A = a b
(too small, and no unit of three holds a and b within the limit), B = c d e, C = f–i. The heuristic mends A through
B: f of C to B, then c of B to A; A then breaks the walking limit, a rule the plan kept, and c's move is undone
(:func:`yuanluo.gis.repair._drop_made`). f stayed in B (reason ``size-low``) though B, c back in it, was never too
small: as many errors, one household moved for nothing. :func:`yuanluo.gis.repair._drop_idle` undoes each move
whose undoing leaves no more errors: f goes back to C (fails on b00ad95: f moved from C to B).
"""

from __future__ import annotations

import pandas as pd
from built_fixtures import error_pairs, row_village

from yuanluo.gis.check import check_plan
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules

IDS = "abcdefghi"


def test_a_move_that_mends_nothing_is_undone() -> None:
    hh, g = row_village(IDS, [(i, i + 1) for i in range(len(IDS) - 1)])
    rules = Rules(3, 4, max_walk_min=10, require_head=False)
    plan = pd.Series(list("AABBBCCCC"), index=list(IDS))
    assert error_pairs(check_plan(hh, plan, rules, graph=g).violations) == [("SIZE-LOW", "A")]
    res = repair_plan(hh, plan, rules, g)
    assert error_pairs(res.check.violations) == [("SIZE-LOW", "A")]  # as many errors as the plan had: A cannot be mended
    assert res.moves.empty  # b00ad95: [['f', 'C', 'B']], reason size-low, B never too small
    assert res.labels.astype(str).tolist() == plan.tolist()
    for lang in ("en", "zh"):  # the error left has its reason; nothing is said of a plan kept as given
        lines = res.reason_lines(lang)
        assert len(lines) == 2 and lines[1].startswith("SIZE-LOW")

