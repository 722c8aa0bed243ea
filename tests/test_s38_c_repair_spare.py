"""Session 38 (helper C): a unit left holding only island households may take street households back.

Fixture (ASCII, 60 m between neighbours, band 4–6, no walking limit)::

    S01 S02 S03 S04 S05 S06 S07 S08            A01 A02   (20 km off: an island of two)
    U1  U2  U2  U2  U2  U2  U2  U2             U1  I1    (the plan)

U2 holds seven (over the ceiling), U1 is S01 and the island household A01 (two pieces of one household each: a
tie, which the smallest id, A01, wins), I1 the island's other household. The fewest moves (4): A01 joins I1, and
S02–S04 join S01 in U1 (the street cut 4|4, U1 and U2 keeping their names). Before, S01 was taken out of U1 as its
cut-off piece and U1, holding only A01, could be the island's unit or closed, nothing else: A01 went to I1, U1 was
closed and a new unit took S01–S04 (5 moves), said to be "the fewest households moved, new units allowed".
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from yuanluo import build_graph
from yuanluo.gis.check import check_plan
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules
from yuanluo.gis.synth_streets import fewest_moves, street_households, street_plan


def _street() -> tuple[gpd.GeoDataFrame, list[str | None]]:
    hh = street_households(8, [2], ids=[f"S{k + 1:02d}" for k in range(8)] + ["A01", "A02"])
    return hh, ["U1"] + ["U2"] * 7 + ["U1", "I1"]


def test_a_unit_holding_only_an_island_takes_its_street_household_back() -> None:
    hh, plan = _street()
    rules = Rules(4, 6, require_head=False, keep_settlements=False, nest_by=())
    g = build_graph(hh, max_walk_min=1.0)
    res = repair_plan(hh, pd.Series(plan, index=hh.index, dtype=object), rules, g)
    assert res.passed and check_plan(hh, res.labels, rules, graph=g).passed
    assert res.method == "exact" and fewest_moves(plan, 8, [2]) == 4
    assert res.moves[["hid", "from_unit", "to_unit"]].values.tolist() == [
        ["A01", "U1", "I1"], ["S02", "U2", "U1"], ["S03", "U2", "U1"], ["S04", "U2", "U1"]]
    assert res.moves.set_index("hid").loc["A01", "reason"] == "noncontig"  # back to its island's unit


def test_a_spare_unit_is_renamed_like_the_others() -> None:
    """6|5|4 with islands of 1, 3 and 1 (:func:`~yuanluo.gis.synth_streets.street_plan`), six slips: two of U1 typed
    U3, one of U3 typed I2, one typed I3, two island households typed into other islands' units. Both I2 and I3 held
    only island households once the street households were taken out, and may take them back; the model named U3's
    street households I3, and the renaming, which left both out, did not name them U3 again: 9 moves where 6 suffice."""
    sizes, isles = [6, 5, 4], [1, 3, 1]
    plan = street_plan(sizes, isles, [(4, "U3"), (10, "I2"), (3, "U3"), (13, "I3"), (18, "I3"), (15, "I2")])
    hh = street_households(sum(sizes), isles)
    rules = Rules(4, 6, require_head=False, keep_settlements=False, nest_by=())
    g = build_graph(hh, max_walk_min=1.0)
    res = repair_plan(hh, pd.Series(plan, index=hh.index, dtype=object), rules, g)
    assert res.passed and check_plan(hh, res.labels, rules, graph=g).passed
    assert fewest_moves(plan, sum(sizes), isles) == 6 and len(res.moves) == 6, res.moves.values.tolist()
