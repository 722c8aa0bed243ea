"""Session 38 (helper C): what the repair's note claims where the exact model held each unit's centre.

The exact model holds a unit given no meeting point at a centre chosen before solving (its centre among the
households it holds then): with a walking limit, measured from it. A plan whose unit walks to another household may
move fewer, and the note said only "each unit keeping its meeting point (or, where none is given, its centre)".
Street 6|6|4 with islands 2, 3, 1 (:mod:`yuanluo.gis.synth_streets`, band 4–6, walking limit 3 min), six slips:
8 moves, exact; the fewest of any plan is 6 (each household back): U1's centre, chosen among the two households left
in it, is its first, and the unit's sixth is more than 3 minutes from it.

Session 44 (helper D): the anchored optimum is now asked again with the centres free (repair_exact._unanchored): the
street moves 6, the fewest, and the note says the units given none walk to their centre after the moves. The note
of a repair that could not prove it so (no work for that model, PROOF_WORK 0) still says the centre held: 8 moves.
"""

from __future__ import annotations

import pandas as pd
import pytest

from yuanluo import build_graph
from yuanluo.gis.check import check_plan
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules
from yuanluo.gis.synth_streets import fewest_moves, street_households, street_plan
from yuanluo.planners.cli.repair import method_note


@pytest.mark.parametrize(("lang", "said"), [
    ("en", ["(or, where none is given, the centre chosen before solving)",
            "and so may a plan in which a unit given no meeting point has another household as its centre"]),
    ("zh", ["（未给出时为求解前选定的中心户）", "未给出议事点的院落以其他户为中心户的方案也可能调整得更少"]),
])
def test_the_note_says_the_centre_held(lang: str, said: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import yuanluo.gis.repair_exact as RE

    monkeypatch.setattr(RE, "PROOF_WORK", 0)  # the centres held: the model letting them free not solved
    sizes, isles = [6, 6, 4], [2, 3, 1]
    plan = street_plan(sizes, isles, [(2, "I2"), (15, "I1"), (17, "U3"), (12, "I3"), (3, "I1"), (9, "I2")])
    hh = street_households(sum(sizes), isles)
    rules = Rules(4, 6, require_head=False, keep_settlements=False, nest_by=(), max_walk_min=3.0)
    g = build_graph(hh, max_walk_min=1.0)
    res = repair_plan(hh, pd.Series(plan, index=hh.index, dtype=object), rules, g)
    assert res.passed and check_plan(hh, res.labels, rules, graph=g).passed and res.method == "exact"
    assert fewest_moves(plan, sum(sizes), isles) == 6 and len(res.moves) == 8
    note = method_note(res, lang)
    assert note is not None and all(x in note for x in said), note


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "each unit of the plan keeping the meeting point given for it (a unit given none walked to its centre after "
           "the moves)"),
    ("zh", "原有院落各自留住给定的议事点（未给出议事点的院落按调整后的中心户计）"),
])
def test_the_centres_free_reach_the_fewest_and_the_note_says_so(lang: str, said: str) -> None:
    sizes, isles = [6, 6, 4], [2, 3, 1]
    plan = street_plan(sizes, isles, [(2, "I2"), (15, "I1"), (17, "U3"), (12, "I3"), (3, "I1"), (9, "I2")])
    hh = street_households(sum(sizes), isles)
    rules = Rules(4, 6, require_head=False, keep_settlements=False, nest_by=(), max_walk_min=3.0)
    g = build_graph(hh, max_walk_min=1.0)
    res = repair_plan(hh, pd.Series(plan, index=hh.index, dtype=object), rules, g)
    assert res.passed and check_plan(hh, res.labels, rules, graph=g).passed and res.method == "exact"
    assert fewest_moves(plan, sum(sizes), isles) == 6 and len(res.moves) == 6 and not res.exact_centres_held
    note = method_note(res, lang)
    assert note is not None and said in note and "求解前选定的中心户" not in note and "chosen before solving" not in note
