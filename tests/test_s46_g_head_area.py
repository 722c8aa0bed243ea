"""Session 46, helper G: PLAN-NO-HEAD in an area short of candidates says how many units lack one, how many may,
and what gives fewer.

The check excuses the units of an area without a candidate head (HEAD-EXCEPTION) only while they are no more than
the area must lack in any plan; one more, and every one of them is PLAN-NO-HEAD. Session 45 (heads.md, "does an
Andorra delineation pass its own check with heads?") found 二组 of the Andorra sample drawn as 10 units with 6
lacking where 5 are excused: 6 PLAN-NO-HEAD, each saying only "find a candidate head in the unit, or adjust the
boundary with a neighbouring unit that has one", the fix of a unit alone, true of none of them there: the area's 4
candidates each head a unit already, and one unit fewer (merged) is what the check asks. Now such a unit's fix (the
variant ``area``) says the area's size, how many of its units lack one, why and how many may, how many fewer, and the
ways that exist: new candidates always; a candidate moved out of a unit holding another where one is; units merged
while the area has more units than it needs.

Fixture: a chain of households 100 m apart (tests/shared_fixtures.chain), band 3-4, so 12 households need 3 units.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from shared_fixtures import chain
from typer.testing import CliRunner

from yuanluo.gis.catalogue import english_one
from yuanluo.gis.check import check_plan
from yuanluo.gis.rules import Rules
from yuanluo.planners.cli.app import app

RULES = Rules(3, 4, require_head=True, keep_settlements=False)


def _check(heads: list[int], units: str):  # type: ignore[no-untyped-def]
    """The check of the 12-household chain with candidates ``heads`` (positions) and the plan ``units`` (one
    letter a household)."""
    hh, g = chain(head_candidate=[i in heads for i in range(len(units))])
    return check_plan(hh, pd.Series(list(units), index=hh.index), RULES, graph=g, unapplied=False).violations


def _said(v: pd.DataFrame, code: str) -> dict[str, tuple[str, str]]:
    rows = v[v.code == code]
    return {u: (zh, en) for u, zh, en in zip(rows.unit_id, rows.message_zh, rows.message_en, strict=True)}


def test_one_unit_more_than_the_area_must_lack_says_merge() -> None:
    # one candidate (000, in A) for 12 households that need 3 units: 2 units may lack one; the plan has 4, 3 lacking
    said = _said(_check([0], "AAABBBCCCDDD"), "PLAN-NO-HEAD")
    assert sorted(said) == ["B", "C", "D"]
    zh, en = said["B"]
    assert zh == ("错误 PLAN-NO-HEAD：院落 B（3 户）没有院落长候选人；本院落外最近的院落长候选人是院落 A 的 000，步行 6.0 分钟到"
                  "本院落中心（住户 004），A 有院落长候选人 1 名，没有富余。\n  处理办法：所在连通片区共 12 户，有 3 个院落（B、C、D）没有"
                  "院落长候选人；院落长候选人（1 名）少于至少要划的院落数（3 个），少 2 名，至多可有 2 个院落缺院落长候选人（现有 3 个，须再减少 1 个）："
                  "在缺院落长候选人的院落物色新的院落长候选人（党员、返乡能人、致富带头人）；或把缺院落长候选人的院落并入相邻院落"
                  "（片区现有 4 个院落，至少要划 3 个）。")
    assert english_one(en) == (
        "Error PLAN-NO-HEAD: unit B (3 households) has no candidate head; the nearest head candidate outside the "
        "unit is 000 of unit A, 6.0 min walk to this unit's centre, household 004, and A has 1 head candidate, none "
        "to spare.\n  Fix: its connected area of 12 "
        "households has 3 units without a candidate head (B, C, D); its candidates (1) are fewer than the fewest units it needs "
        "(3), 2 short, so no more than 2 may lack one, 1 fewer than now: find new candidates in units without one "
        "(party members, returning capable people, prosperous households); or merge units without one into their "
        "neighbours (the area has 4 units and needs at least 3).")
    fixes = {u: tuple(m.split("\n", 1)[1] for m in ms) for u, ms in said.items()}
    assert fixes["B"] == fixes["C"] == fixes["D"]  # the area's fix, the same for each of its units


def test_a_unit_holding_two_candidates_says_move_one() -> None:
    # candidates 000 and 001, both in A: 3 units needed, 1 may lack one; the plan has 3, 2 lacking. No unit to
    # merge (3 is the fewest), but one candidate to move out of A
    zh, en = _said(_check([0, 1], "AAAABBBBCCCC"), "PLAN-NO-HEAD")["B"]
    assert zh.endswith("至多可有 1 个院落缺院落长候选人（现有 2 个，须再减少 1 个）：在缺院落长候选人的院落物色新的院落长候选人（党员、返乡能人、致富带头人）；"
                       "或调整边界，把与另一名院落长候选人同在一个院落的院落长候选人划入相邻的、缺院落长候选人的院落（片区内这样的院落长候选人有 1 名）。")
    assert en.endswith("so no more than 1 may lack one, 1 fewer than now: find new candidates in units without one "
                       "(party members, returning capable people, prosperous households); or move a boundary so that a "
                       "candidate household sharing its unit with another candidate joins a neighbouring unit without "
                       "one (candidate households sharing a unit with another here: 1).")
    assert "并入" not in zh and "merge" not in en


def test_no_more_than_the_area_must_lack_stays_excused_and_a_full_area_keeps_the_units_fix() -> None:
    v = _check([0], "AAAABBBBCCCC")  # 2 lacking, 2 may: excused as before
    assert sorted(v.loc[v.code == "HEAD-EXCEPTION", "unit_id"]) == ["B", "C"] and "PLAN-NO-HEAD" not in set(v.code)
    # candidates enough (000, 005, 011, one in each of 000-003, 004-007, 008-011): the area may lack none; C lacks
    # one, its own fix as before
    zh, en = _said(_check([0, 5, 11], "AAABBBCCCDDD"), "PLAN-NO-HEAD")["C"]
    assert zh.endswith("处理办法：在本院落中确定一名院落长候选人，或与有院落长候选人的相邻院落调整边界。")
    assert en.endswith("Fix: find a candidate head in the unit, or adjust the boundary with a neighbouring unit that has one.")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_yuanluo_check_says_it_on_the_console_in_the_csv_and_the_report(tmp_path: Path, lang: str) -> None:
    """``yuanluo check hh.csv --plan plan.csv --rules rules.toml --csv out.csv --report report.html`` of two groups
    of 12 households in a row, each with one candidate and four units: in each area three units lack one, two may.
    Each area's fix on the console once, in the CSV's message of each of its units, and in the report in full under
    its first unit (B, F), the others "as for unit B above" (C, D) and "as for unit F above" (G, H); in the language
    asked for and no other."""
    hh, _ = chain(x=range(24))
    geo = hh.geometry.to_crs(4326)
    pd.DataFrame({"户编号": hh.index, "经度": geo.x.round(8).to_numpy(), "纬度": geo.y.round(8).to_numpy(),
                  "村民小组": ["一组"] * 12 + ["二组"] * 12,
                  "院落长候选": ["是" if i in (0, 12) else "否" for i in range(24)]}).to_csv(
        tmp_path / "hh.csv", index=False, encoding="utf-8-sig")
    pd.DataFrame({"户编号": hh.index, "院落编号": list("AAABBBCCCDDDEEEFFFGGGHHH")}).to_csv(
        tmp_path / "plan.csv", index=False, encoding="utf-8-sig")
    (tmp_path / "rules.toml").write_text("[rules]\nmin_size = 3\nmax_size = 4\nrequire_head = true\n"
                                         "keep_settlements = false\nnest_by = [\"group\"]\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["--lang", lang, "check", str(tmp_path / "hh.csv"), "--crs", "EPSG:4326",
                                   "--id-col", "户编号", "--rules", str(tmp_path / "rules.toml"), "--max-edge-walk", "5",
                                   "--plan", str(tmp_path / "plan.csv"), "--csv", str(tmp_path / "out.csv"),
                                   "--report", str(tmp_path / "report.html")], env={"COLUMNS": "400"})
    assert out.exit_code == 1, out.output
    said = {"zh": ["有 3 个院落（B、C、D）没有院落长候选人", "有 3 个院落（F、G、H）没有院落长候选人"],
            "en": ["has 3 units without a candidate head (B, C, D)", "has 3 units without a candidate head (F, G, H)"]}[lang]
    merge = {"zh": "片区现有 4 个院落，至少要划 3 个", "en": "the area has 4 units and needs at least 3"}[lang]
    other = {"zh": "units without a candidate head", "en": "没有院落长候选人"}[lang]
    flat = re.sub(r"[\s│]+", "", out.output)  # the console's table wraps the message: read it without the breaks
    assert [flat.count(x.replace(" ", "")) for x in said] == [1, 1], out.output
    assert flat.count(merge.replace(" ", "")) == 2 and other not in out.output, out.output
    csv = pd.read_csv(tmp_path / "out.csv", dtype=str, encoding="utf-8-sig")
    msgs = dict(zip(*csv[csv.iloc[:, 0] == "PLAN-NO-HEAD"].iloc[:, [1, 4]].T.to_numpy(), strict=True))
    assert sorted(msgs) == list("BCDFGH")
    assert all(said[u > "E"] in m and merge in m for u, m in msgs.items()), msgs
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert [page.count(x) for x in said] == [1, 1] and page.count(merge) == 2 and other not in page
    as_for = {"zh": "处理办法：同院落 {}（见上）", "en": "Fix: as for unit {} above"}[lang]
    assert [page.count(as_for.format(u)) for u in "BF"] == [2, 2]
