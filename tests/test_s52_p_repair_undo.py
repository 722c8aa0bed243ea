"""Session 52 (helper P): a repair undoes the moves that broke a rule the plan as given kept.

The step-by-step heuristic mends a size by a move that checks no walking limit: a unit too small, whose only
neighbour lies beyond the limit of its meeting point, is given that neighbour, and the unit then breaks the walking
limit, a rule the plan kept (the exact model proves the size cannot be mended within the rules, so the heuristic
runs). :func:`yuanluo.gis.repair._final` undoes it: the moves into and out of a unit with an error the plan as given
had not are undone where that leaves fewer errors (``_drop_made``: the first test fails without it), and moves
still leaving no fewer errors than the plan had, some of them new, are not kept at all (the plan as given is
returned: the second fails without it). Found by hand: the property test's 98 repairs
(tests/test_s52_p_repair_property.py) never reached either.

Each village is a row of households ``50 m`` apart, one minute's walk between neighbours except ``b``–``c``,
twenty minutes, under a limit of ten: ``a`` and ``b`` (unit A) can be in no unit of three within the limit.
"""

from __future__ import annotations

import pandas as pd
from built_fixtures import error_pairs, row_village

from yuanluo.gis.check import check_plan
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules

RULES = Rules(3, 4, max_walk_min=10, require_head=False)


def test_the_unit_a_move_broke_is_undone_the_other_mends_kept() -> None:
    """Two villages: a–f (A = a b, too small; B = c–f) and g–m (C = g–k, too large; D = l m, too small). The
    heuristic gives A the household c of B, twenty minutes from A's meeting point: A breaks the walking limit, which
    the plan kept. That move is undone (A too small again, as given), and the mend of C and D (k to D) is kept:
    one error left of the three, none of them new, a reason for it."""
    hh, g = row_village("abcdefghijklm", [(i, i + 1) for i in range(5)] + [(i, i + 1) for i in range(6, 12)])
    plan = pd.Series(list("AABBBBCCCCCDD"), index=list("abcdefghijklm"))
    given = check_plan(hh, plan, RULES, graph=g)
    assert error_pairs(given.violations) == [("SIZE-HIGH", "C"), ("SIZE-LOW", "A"), ("SIZE-LOW", "D")]
    res = repair_plan(hh, plan, RULES, g)
    assert error_pairs(res.check.violations) == [("SIZE-LOW", "A")]  # without the undo: PLAN-WALK-LIMIT of A, c moved
    assert res.moves[["hid", "from_unit", "to_unit"]].values.tolist() == [["k", "C", "D"]]
    assert res.labels.astype(str).tolist() == list("AABBBBCCCCDDD")
    assert any(line.startswith("SIZE-LOW (unit A)") for line in res.reason_lines("en"))  # the error left, why


def test_the_plan_as_given_when_the_undo_breaks_another_rule() -> None:
    """One village a–i: A = a b (too small), B = c d e, C = f–i; a unit above three households needs two candidate
    heads (a, d, g and h are candidates). The heuristic mends A through B (f of C to B, c of B to A): A breaks the
    walking limit. Undoing c alone leaves B four households with one head (an error the plan had not either), so
    the moves leave no fewer errors than the plan had, one of them new: none is kept, the plan as given is
    returned, and the reasons say so."""
    hh, g = row_village("abcdefghi", [(i, i + 1) for i in range(8)])
    hh["head_candidate"] = [h in "adgh" for h in hh.index]
    rules = Rules(3, 4, max_walk_min=10, heads_for_size=3)
    plan = pd.Series(list("AABBBCCCC"), index=list("abcdefghi"))
    given = check_plan(hh, plan, rules, graph=g)
    assert error_pairs(given.violations) == [("SIZE-LOW", "A")]
    res = repair_plan(hh, plan, rules, g)
    assert error_pairs(res.check.violations) == [("SIZE-LOW", "A")]  # without the undo: PLAN-WALK-LIMIT of A
    assert res.moves.empty and res.labels.astype(str).tolist() == plan.tolist()
    lines = res.reason_lines("en")
    assert lines[0].startswith("the moves found left no fewer violations than the plan had (1), some of them new")
    assert any(line.startswith("SIZE-LOW (unit A)") for line in lines)
