"""Session 38 (helper C): which cut-off pieces the repair takes out of a unit before the exact step.

``_detach_strays`` takes out of its unit a cut-off piece that no bridge of at most as many households joins to the
unit's main piece. Households in no unit were not crossed (and one it had just taken out was in none), and a tie
between two pieces went to the smallest id. Street plans (:mod:`yuanluo.gis.synth_streets`: households 60 m apart in
a row, islands 20 km off, band 4–6) against the brute force of the fewest moves; the ids are given in each case, so
that ties fall as they did in the scan that found it.
"""

from __future__ import annotations

import pandas as pd
import pytest

from yuanluo import build_graph
from yuanluo.gis.check import check_plan
from yuanluo.gis.repair import RepairResult, repair_plan
from yuanluo.gis.rules import Rules
from yuanluo.gis.synth_streets import fewest_moves, street_households


def _repair(sizes: list[int], isles: list[int], plan: list[str | None], order: list[int]) -> RepairResult:
    hh = street_households(sum(sizes), isles, ids=[f"H{k + 1:03d}" for k in order])
    rules = Rules(4, 6, require_head=False, keep_settlements=False, nest_by=())
    g = build_graph(hh, max_walk_min=1.0)
    res = repair_plan(hh, pd.Series(plan, index=hh.index, dtype=object), rules, g)
    assert res.passed and check_plan(hh, res.labels, rules, graph=g).passed, res.reason_lines("en")
    return res


@pytest.mark.parametrize(("sizes", "isles", "plan", "order", "fewest"), [
    # 4|5|6: U2's first household, then one in no unit, then U2's three, U3's first typed U2 … The one of U2 before
    # the household in no unit was taken out (no bridge: it crossed none), and placed in U1 next to it: 4 moves, said
    # to be the fewest; 3 suffice (the one in no unit joins U2, two of U2 go to U3)
    ([4, 5, 6], [1], ["U1"] * 4 + ["U2", None, "U2", "U2", "U2", "U3", "U2", "U2", "U3", "U3", "U3", "I1"],
     [0, 4, 6, 10, 1, 9, 5, 12, 14, 7, 11, 15, 2, 8, 3, 13], 3),
    # 6|5|6 with an island of three: three of U1 typed into the island's unit I1, as many as the island. The tie went
    # to the street's three (smallest id), the island was taken out, and the model on I1 and U1 (U1 full) had no plan:
    # the heuristic moved 6; with the island's piece kept, 4 (the three back to U1, one of U1 on to U2)
    ([6, 5, 6], [3], ["I1"] * 3 + ["U1"] * 4 + ["U2"] * 4 + ["U3"] * 6 + ["I1"] * 3, list(range(20)), 4),
])
def test_the_fewest_moves_after_taking_out_the_cut_off_pieces(sizes: list[int], isles: list[int],
                                                             plan: list[str | None], order: list[int],
                                                             fewest: int) -> None:
    res = _repair(sizes, isles, plan, order)
    assert fewest_moves(plan, sum(sizes), isles) == fewest and len(res.moves) == fewest, res.moves.values.tolist()


def test_a_piece_joined_through_a_household_taken_out_stays() -> None:
    """6|5|4: U1's last three and U2's first typed U3 (a piece of four as heavy as U3's own four, and first by id),
    then one of U2 typed into island I1's unit. That one was taken out first (cut off from the island); then U3's own
    four, whose bridge to the piece ran through it, had no bridge and went to a new unit, U1 was left with three and
    the repair failed, saying the exact model proves that no moves keep every rule (5 suffice). Now it passes."""
    plan = ["U1"] * 3 + ["U3"] * 4 + ["I1"] + ["U2"] * 3 + ["U3"] * 4 + ["I1"] * 2 + ["I2"] * 3
    res = _repair([6, 5, 4], [2, 3], plan, [9, 1, 14, 3, 15, 0, 13, 2, 5, 6, 4, 19, 12, 16, 17, 10, 11, 18, 8, 7])
    assert fewest_moves(plan, 15, [2, 3]) == 5 and len(res.moves) <= 7
