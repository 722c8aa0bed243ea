"""Session 39 (helper A): the note says the fewest where the households in no unit, or an error, bound the moves.

A household in no unit (a blank unit cell) gets a unit in any plan that passes, so it is a move whatever the repair
does; the lower bound counted only the units over and under the band, and a repair placing one household in no unit
(street 5|5, :mod:`yuanluo.gis.synth_streets`, band 4–6) said "Solved exactly … a plan in which a unit given no meeting
point has another household as its centre may move fewer", where 1 is plainly the fewest. A plan that fails with an
error of its labels alone (a unit cut in two) is mended by 1 move at least, too.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from shared_fixtures import run_cli

from yuanluo import build_graph
from yuanluo.gis.catalogue import text
from yuanluo.gis.check import check_plan
from yuanluo.gis.repair import RepairResult, repair_plan
from yuanluo.gis.rules import Rules
from yuanluo.gis.synth_streets import Slip, fewest_moves, street_households, street_plan
from yuanluo.planners.cli.repair import method_note


def _repair(sizes: list[int], isles: list[int], slips: list[Slip], walk: float | None = None,
            ) -> tuple[RepairResult, int]:
    plan = street_plan(sizes, isles, slips)
    hh = street_households(sum(sizes), isles)
    rules = Rules(4, 6, require_head=False, keep_settlements=False, nest_by=(), max_walk_min=walk)
    g = build_graph(hh, max_walk_min=1.0)
    res = repair_plan(hh, pd.Series(plan, index=hh.index, dtype=object), rules, g)
    assert res.passed and check_plan(hh, res.labels, rules, graph=g).passed
    return res, fewest_moves(plan, sum(sizes), isles)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("sizes", "isles", "slips", "walk"), [
    ([5, 5], [], [(2, None)], None), ([5, 5], [], [(2, None)], 3.0), ([6, 6], [], [(2, None)], None),
    ([5, 5], [1], [(10, None)], None),  # the island's one household: a unit of its own
])
def test_one_household_in_no_unit_placed_is_the_fewest(lang: str, sizes: list[int], isles: list[int],
                                                       slips: list[Slip], walk: float | None) -> None:
    res, fewest = _repair(sizes, isles, slips, walk)
    assert len(res.moves) == fewest == res.lower_bound == 1 and res.lower_bound_from == "unassigned"
    assert method_note(res, lang) == text("repair.method.fewest.unassigned", lang, n=1)


def test_the_note_of_one_household_in_no_unit_as_printed() -> None:
    assert text("repair.method.fewest.unassigned", "en", n=1) == (
        "(The fewest households moved: 1 household was in no unit in the plan as given, and a plan that passes has "
        "every household in a unit.)")
    assert text("repair.method.fewest.unassigned", "zh", n=1) == (
        "（调整 1 户已是最少：原方案中有 1 户未分到院落，任何能通过检查的方案都要给每一户分配院落。）")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_one_move_mending_a_unit_cut_in_two_is_the_fewest(lang: str) -> None:
    """U2's H008 typed U1 (cut off from it): one move back, and a plan that fails moves one at least."""
    res, fewest = _repair([5, 5], [], [(7, "U1")])
    assert len(res.moves) == fewest == res.lower_bound == 1 and res.lower_bound_from == "error"
    assert method_note(res, lang) == text("repair.method.fewest.error", lang, n=1)


def test_households_in_no_unit_and_sizes_count_together() -> None:
    """5|5 with U1's first three in no unit: U1 holds two (SIZE-LOW), a bound of 1 from the sizes alone; the three
    in no unit are 3 moves, the fewest."""
    res, fewest = _repair([5, 5], [], [(0, None), (1, None), (2, None)])
    assert res.lower_bound == 3 and res.lower_bound_from == "unassigned" and len(res.moves) == fewest == 3


def test_the_cli_says_it_in_both_languages(tmp_path: Path) -> None:
    hh = street_households(10, []).to_crs("EPSG:4326")
    roster = tmp_path / "hh.csv"
    roster.write_text("户编号,经度,纬度\n" + "".join(f"{h},{p.x:.7f},{p.y:.7f}\n" for h, p in
                                                    zip(hh.index, hh.geometry, strict=True)), encoding="utf-8")
    plan = tmp_path / "plan.csv"
    plan.write_text("户编号,院落编号\n" + "".join(f"{h},{u or ''}\n" for h, u in
                                                zip(hh.index, street_plan([5, 5], [], [(2, None)]), strict=True)),
                    encoding="utf-8")
    rules = tmp_path / "rules.toml"
    rules.write_text("[rules]\nmin_size = 4\nmax_size = 6\nrequire_head = false\nkeep_settlements = false\n"
                     "nest_by = []\n", encoding="utf-8")
    for lang in ("zh", "en"):
        out = run_cli(["repair", str(roster), "--crs", "EPSG:4326", "--plan", str(plan), "--rules", str(rules),
                       "--max-edge-walk", "1", "-o", str(tmp_path / f"fixed_{lang}.csv")], lang)
        flat = " ".join(out.split())
        assert " ".join(text("repair.method.fewest.unassigned", lang, n=1).split()) in flat, out
