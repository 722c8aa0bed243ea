"""Session 39 (helper A): the exact note where households were taken out of their unit or placed first.

Before the exact step, ``repair`` takes out of its unit a cut-off piece that no bridge of as few households joins to
the rest of it (``_detach_strays``), and places households in no unit by models of their own. The exact step's
optimum is then the fewest given that first step; the note said "Solved exactly: the fewest households moved …" all
the same. Street 5|6|6 with islands 2, 1 (:mod:`yuanluo.gis.synth_streets`, band 4–6), seven slips: U2's H008–H010
typed U3, U3's H012–H014 typed U1, H016 typed I1. U2's H011 was taken out (its bridge, H008–H010, is three
households), and so were U1's three and the rest: 9 moves, where 7 suffice (H008–H010 back to U2 join H011 to it).
Session 40 makes such a repair again with nothing taken out (7 moves there: tests/test_s40_c_detach_again.py); the
note is kept where the first step stays: street 4|4|6 with islands 1, 1, nine slips (H005–H011 but H007 typed I2,
H004–H006 typed U3): U3's H012–H014 and I2's H016 taken out, 7 moves, 6 the fewest, and 7 with nothing taken out.
Session 44 (helper D): an anchored optimum is asked again with the centres free (repair_exact._unanchored), and
this street now moves 6, the fewest, with I2's H016 alone taken out first; the note keeps that step.
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
from yuanluo.gis.synth_streets import fewest_moves, street_households, street_plan
from yuanluo.planners.cli.repair import method_note

SIZES, ISLES = [4, 4, 6], [1, 1]
SLIPS = [(4, "I2"), (5, "I2"), (7, "I2"), (8, "I2"), (9, "I2"), (10, "I2"), (3, "U3"), (4, "U3"), (5, "U3")]
TAKEN = ["H016"]

#: the opening of the note now, and its close, in each language
SAID = {
    "en": ("(Solved exactly after a first step that took 1 household out of their unit or placed them on their own "
           "among the units next to them (H016: cut off from the rest of their unit, or in "
           "no unit); given that step, the fewest households moved with at most 2 units added,",
           "; a plan that keeps them in their unit or places them otherwise may move fewer.)"),
    "zh": ("（精确求解前先处理了 1 户（H016，与本院落其余部分不相连，或未分到院落）：移出原院落"
           "，或先在相邻院落中单独安置；在此前提下，最多新建 2 个院落、",
           "；把上述农户留在原院落或另行安置的方案可能调整得更少。）"),
}


def _repair() -> tuple[RepairResult, list[str | None]]:
    plan = street_plan(SIZES, ISLES, SLIPS)
    hh = street_households(sum(SIZES), ISLES)
    rules = Rules(4, 6, require_head=False, keep_settlements=False, nest_by=())
    g = build_graph(hh, max_walk_min=1.0)
    res = repair_plan(hh, pd.Series(plan, index=hh.index, dtype=object), rules, g)
    assert res.passed and check_plan(hh, res.labels, rules, graph=g).passed
    return res, plan


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_note_says_the_first_step(lang: str) -> None:
    res, plan = _repair()
    assert fewest_moves(plan, sum(SIZES), ISLES) == 6 and len(res.moves) == 6 and res.method == "exact"
    assert res.exact_placed_first == TAKEN
    note = method_note(res, lang)
    assert note is not None and note.startswith(SAID[lang][0]) and note.endswith(SAID[lang][1]), note
    # the claim is the exact note's, after the first step
    assert text("repair.method.exact.new.proven", lang, k=2)[len(text("repair.method.solved.open", lang)):-3] in note


def test_the_cli_says_it_in_both_languages(tmp_path: Path) -> None:
    hh = street_households(sum(SIZES), ISLES).to_crs("EPSG:4326")
    roster = tmp_path / "hh.csv"
    roster.write_text("户编号,经度,纬度\n" + "".join(f"{h},{p.x:.7f},{p.y:.7f}\n" for h, p in
                                                    zip(hh.index, hh.geometry, strict=True)), encoding="utf-8")
    plan = tmp_path / "plan.csv"
    plan.write_text("户编号,院落编号\n" + "".join(f"{h},{u}\n" for h, u in
                                                zip(hh.index, street_plan(SIZES, ISLES, SLIPS), strict=True)),
                    encoding="utf-8")
    rules = tmp_path / "rules.toml"
    rules.write_text("[rules]\nmin_size = 4\nmax_size = 6\nrequire_head = false\nkeep_settlements = false\n",
                     encoding="utf-8")
    for lang in ("zh", "en"):
        out = run_cli(["repair", str(roster), "--crs", "EPSG:4326", "--plan", str(plan), "--rules", str(rules),
                       "--max-edge-walk", "1", "-o", str(tmp_path / f"fixed_{lang}.csv")], lang)
        flat = " ".join(out.split()) if lang == "en" else "".join(out.split())
        opening, close = SAID[lang]
        assert (" ".join(opening.split()) if lang == "en" else "".join(opening.split())) in flat, out
        assert (" ".join(close.split()) if lang == "en" else "".join(close.split())) in flat, out
        assert text("repair.method.solved.open", lang) + text("repair.method.exact.new.proven", lang, k=2)[
            len(text("repair.method.solved.open", lang)):][:20] not in flat  # the old claim, without the first step


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("key", "params"), [
    ("cli.repair.method.exact", {}), ("repair.method.exact.new", {"k": 2}), ("repair.method.exact.all", {}),
    ("repair.method.exact.free", {}), ("repair.method.exact.new.free", {"k": 1}), ("repair.method.exact.all.free", {}),
    ("repair.method.exact.proven", {}), ("repair.method.exact.new.proven", {"k": 1}), ("repair.method.exact.all.proven", {}),
])
def test_every_exact_note_has_the_opening_and_close_the_first_step_takes_off(lang: str, key: str,
                                                                            params: dict[str, int]) -> None:
    opening, close = text("repair.method.solved.open", lang), text("repair.method.solved.close", lang)
    note = text(key, lang, **params)
    assert opening and close and note.startswith(opening) and note.endswith(close), note
