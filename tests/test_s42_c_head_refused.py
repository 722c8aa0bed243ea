"""A size violation left because the one household that could move is its unit's only head candidate says so
(session 42, helper C, item 3: the "refused" half of f489a92's ``head-only``).

Streets of households 60 m apart (``yuanluo.gis.synth_streets``), band 4–6, every unit needing a head candidate,
settlements kept whole. SIZE-HIGH: U3 = H001–H004 (candidate H001), U1 = H005–H011 (7), U2 = H012–H015 (candidate
H015); U1's only candidate is H011, on its boundary with U2 and the only household U1 can give without cutting itself
apart or splitting its settlement H005–H007. SIZE-LOW: U1 = H001–H003 (candidate H001), U2 = H004–H009, U3 =
H010–H015 (candidates H010, H015, settlement H010–H012); the only household that could join U1 is H004, U2's only
candidate. Both are left (the exact model proves it), and the reason said only the proof — not that the household
that could move is its unit's only candidate.

Re-planted in session 45 (helper C): the streets of session 42 (two units, U1 = H001–H007 with its only candidate
H007 and U2 = H008–H011 with H011; U1 = H001–H003 and U2 = H004–H009) have no split of the street giving both units a
candidate, so the check excuses one unit without one (HEAD-EXCEPTION), and repair, which now holds that rule as the
check does, mends each with one move (tests/test_s45_c_repair_head_short.py). Here a split with a candidate in every
unit exists when settlements are not kept (so the check excuses none), and the settlement rules it out.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo import build_graph, repair_plan
from yuanluo.gis.rules import Rules
from yuanluo.gis.synth_streets import street_households
from yuanluo.planners.cli.app import app

RULES = Rules(4, 6, require_head=True, keep_settlements=True)
HIGH = {"zh": "院落 U1 中能移到相邻院落而不使本院落断开的农户只有 H011，而它是院落 U1 唯一的院落长候选人",
        "en": "the only household of unit U1 that could join a neighbouring unit without cutting its unit apart is "
              "H011, the only head candidate unit U1 has"}
LOW = {"zh": "能从相邻院落移入院落 U1 而不使原院落断开的农户只有 H004，而它是院落 U2 唯一的院落长候选人",
       "en": "the only household of a neighbouring unit that could join unit U1 without cutting its own unit apart is "
             "H004, the only head candidate unit U2 has"}
PROOF = {"zh": "精确模型证明", "en": "the exact model proves"}


#: (households, candidates, units in a row, the one settlement of more than one household)
HIGH_CASE = (15, (0, 10, 14), ("U3", 4, "U1", 7, "U2", 4), (4, 5, 6))
LOW_CASE = (15, (0, 3, 9, 14), ("U1", 3, "U2", 6, "U3", 6), (9, 10, 11))


def _street(n: int, heads: tuple[int, ...], units: tuple, settle: tuple[int, ...]):  # type: ignore[no-untyped-def]
    hh = street_households(n, [])
    hh["head_candidate"] = [k in heads for k in range(n)]
    hh["settlement"] = ["S" if k in settle else f"s{k + 1}" for k in range(n)]
    lab = [u for u, m in zip(units[::2], units[1::2], strict=True) for _ in range(m)]
    return hh, pd.Series(lab, index=hh.index, dtype=object)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_size_high_left_names_the_only_candidate_that_could_move(lang: str) -> None:
    hh, plan = _street(*HIGH_CASE)
    res = repair_plan(hh, plan, RULES, build_graph(hh, max_walk_min=1.0))
    assert not res.passed and res.moves.empty
    line = next(x for x in res.reason_lines(lang) if x.startswith("SIZE-HIGH"))
    assert HIGH[lang] in line and PROOF[lang] in line  # the proof is still said, after it


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_size_low_left_names_the_neighbours_only_candidate(lang: str) -> None:
    hh, plan = _street(*LOW_CASE)
    res = repair_plan(hh, plan, RULES, build_graph(hh, max_walk_min=1.0))
    assert not res.passed and res.moves.empty
    line = next(x for x in res.reason_lines(lang) if x.startswith("SIZE-LOW"))
    assert LOW[lang] in line and PROOF[lang] in line


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_yuanluo_repair_says_it_on_the_console(tmp_path: Path, lang: str) -> None:
    """As a planner meets it: ``yuanluo repair hh.csv --plan plan.csv --rules rules.toml -o fixed.csv``."""
    hh, plan = _street(*HIGH_CASE)
    geo = hh.geometry.to_crs(4326)
    pd.DataFrame({"户编号": hh.index, "经度": geo.x.round(8).to_numpy(), "纬度": geo.y.round(8).to_numpy(),
                  "院落长候选": ["是" if x else "否" for x in hh["head_candidate"]],
                  "自然村": hh["settlement"].to_numpy()}).to_csv(
        tmp_path / "hh.csv", index=False, encoding="utf-8-sig")
    pd.DataFrame({"户编号": plan.index, "院落编号": plan.to_numpy()}).to_csv(tmp_path / "plan.csv", index=False,
                                                                       encoding="utf-8-sig")
    (tmp_path / "rules.toml").write_text("[rules]\nmin_size = 4\nmax_size = 6\nrequire_head = true\n"
                                         "keep_settlements = true\nnest_by = []\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["--lang", lang, "repair", str(tmp_path / "hh.csv"), "--crs", "EPSG:4326",
                                   "--plan", str(tmp_path / "plan.csv"), "--rules", str(tmp_path / "rules.toml"),
                                   "--max-edge-walk", "1", "-o", str(tmp_path / "fixed.csv")], env={"COLUMNS": "400"})
    assert out.exit_code == 1, out.output
    assert HIGH[lang] in " ".join(out.output.split())
