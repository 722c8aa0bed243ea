"""Session 57, helper E: the plan editor says what ``yuanluo check --plan`` says, word for word.

1. A unit without a candidate head names the nearest candidate outside it (gis.delineate.heads.nearest_candidates,
   gis.delineate.reasons.near_clause: walked to its meeting point, else its centre; 30-minute cutoff; same nest
   group; ties by id; its unit's candidates and how many it has to spare). The page said the sentence without it.
2. Loading a plan table whose unit names are one name written two ways (u8 beside U008: PLAN-UNIT-VARIANT) or
   differ only in case (PLAN-UNIT-CASE) says so in the check's sentence; the page said nothing of it.

Fixture of 1: nine households in a row 100 m apart (tests/shared_fixtures.chain), units A (000-002), B (003-005),
C (006-008); candidates 001 and 002 (A: one to spare) and 006 (C: none to spare); B has none. Walked to B's centre
004, 002 and 006 are as near: 002 by id. Walked to 005, set as B's meeting point in the page, 006 is nearer."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from browser import browser_unavailable_reason, live_page
from editor_fixtures import plan_load_note, synth_case
from shared_fixtures import chain

from yuanluo.gis.catalogue import Lang
from yuanluo.gis.check import check_plan, violation_message
from yuanluo.gis.plan import read_plan_table
from yuanluo.gis.rules import Rules
from yuanluo.maps.editor import editor_payload, render_editor

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]

READY = "!!(window.yuanluo && window.yuanluo.editorUi)"
RULES = Rules(3, 3, require_head=True, keep_settlements=False)
SAID = "() => window.yuanluo.editor.violations().filter(v => /HEAD/.test(v.code)).map(v => [v.unit, v.code, v.text])"


def _check(hh, g, meet: dict[str, str], lang: Lang) -> list[list[str]]:  # type: ignore[no-untyped-def]
    labels = pd.Series(list("AAABBBCCC"), index=hh.index.astype(str), dtype="string")
    res = check_plan(hh, labels, RULES, graph=g, meeting_points=pd.Series(meet), unapplied=False)
    v = res.violations[res.violations["code"].str.contains("HEAD")]
    return [[str(r["unit_id"]), str(r["code"]), violation_message(r, lang, body=True).split("\n")[0]]
            for _, r in v.iterrows()]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_editor_names_the_nearest_candidate_as_the_check_does(lang: Lang, tmp_path: Path) -> None:
    hh, g = chain(head_candidate=[i in (1, 2, 6) for i in range(9)])
    labels = pd.Series(list("AAABBBCCC"), index=hh.index.astype(str), dtype="string")
    meet = {"A": "001", "C": "007"}  # B has none: walked to its centre, 004
    page = tmp_path / f"near-{lang}.html"
    page.write_text(render_editor(editor_payload({"households": hh}, labels, RULES, g, graph_kind="straight",
                                                 meeting_points=pd.Series(meet), lang=lang)), encoding="utf-8")
    with live_page(page, viewport=(390, 844), ready=READY, touch=True) as (p, errors):
        said = p.evaluate(SAID)
        want = _check(hh, g, meet, lang)
        assert said == want
        near = {"zh": "本院落外最近的院落长候选人是院落 A 的 002，步行 ", "en": "the nearest head candidate outside the unit is 002 of unit A"}
        spare = {"zh": "中心（住户 004），A 有院落长候选人 2 名，可抽调 1 名。", "en": "centre, household 004, and A has 2 head candidates, 1 to spare."}
        assert near[lang] in said[0][2] and said[0][2].endswith(spare[lang]), said
        # B's meeting point set to 005: 006 of C is nearer, and C has none to spare
        assert p.evaluate("() => window.yuanluo.editor.setMeeting('005')")
        said = p.evaluate(SAID)
        assert said == _check(hh, g, {**meet, "B": "005"}, lang)
        one = {"zh": "006，步行 ", "en": "is 006 of unit C"}
        none = {"zh": "议事点 005，C 有院落长候选人 1 名，没有富余。",
                "en": "meeting point 005, and C has 1 head candidate, none to spare."}
        assert one[lang] in said[0][2] and said[0][2].endswith(none[lang]), said
        # 001 moved into B: B has its candidate, A one left, none said
        assert p.evaluate("() => window.yuanluo.editor.assign(['001'], 'B')")
        assert p.evaluate(SAID) == []
        assert errors == []




@pytest.mark.parametrize("lang", ["zh", "en"])
def test_loading_a_plan_says_unit_names_written_two_ways(lang: Lang, tmp_path: Path) -> None:
    case = synth_case()
    lab = case.labels.dropna().astype(str)
    eight = lab.index[lab == "U008"][:2]
    three = lab.index[lab == "U003"][:1]
    lab[eight] = "u8"  # PLAN-UNIT-VARIANT: u8 and U008 are one name written two ways
    lab[three] = "u003"  # PLAN-UNIT-CASE
    plan = tmp_path / "plan.csv"
    plan.write_text("户编号,院落编号\r\n" + "".join(f"{h},{u}\r\n" for h, u in lab.items()), encoding="utf-8-sig")
    _, probs = read_plan_table(plan, case.households)
    titles = {q.code: q.title(lang) for q in probs}
    assert {"PLAN-UNIT-VARIANT", "PLAN-UNIT-CASE"} <= set(titles), titles
    note = plan_load_note(tmp_path, case, plan, lang)
    for code in ("PLAN-UNIT-CASE", "PLAN-UNIT-VARIANT"):
        t = titles[code]
        assert t[0].upper() + t[1:] in note, (code, note, t)


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from shared_fixtures import walk_limit_village

    return walk_limit_village(tmp_path_factory.mktemp("village"))


#: a unit's card as the page has it (status), after its meeting point is set to another of its households
MOVE_MEETING = """([u, m]) => { const E = window.yuanluo.editor, s0 = E.status(u);
  const h = E.households().find(x => E.unitOf(x) === u && x !== s0.meeting && x !== m);
  E.setMeeting(h); const s = E.status(u);
  return {h: h, before: [s0.reason, s0.fix], after: [s.reason, s.fix, s.why], meeting: s.meeting,
          said: s.said.map(x => x.text)}; }"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_declared_units_card_says_the_live_reason_once_its_meeting_point_moved(village: Path, tmp_path: Path,
                                                                                lang: Lang) -> None:
    """The delineation's reason of a HEAD-SHORT unit names the minutes from its nearest candidate to its meeting
    point: the meeting point moved, the card said that stale reason and fix (the unit held its households); it now
    gives the live check's sentence, naming the nearest candidate to the new meeting point, and no fix. Undone: the
    delineation's reason and fix again. A WALK-LIMIT unit's reason (its walks to the meeting point) the same."""
    import geopandas as gpd

    from yuanluo.planners.cli.edit import build_editor
    from yuanluo.planners.cli.options import Terrain
    from yuanluo.planners.presets import load_rules_file

    units = gpd.read_file(village / "r.gpkg", layer="units")
    units = units[units["status"] == "exception"]
    html, _ = build_editor(village / "r.gpkg", load_rules_file(village / "rules.toml"), terrain=Terrain(), lang=lang)
    page = tmp_path / "e.html"
    page.write_text(html, encoding="utf-8")
    seen = set()
    with live_page(page, viewport=(360, 640), ready=READY) as (p, errors):
        for u, code, params in zip(units["unit_id"], units["code"], units["reason_params"], strict=True):
            params = json.loads(params)
            meet = params.get("near_meet") or params.get("meeting")
            assert meet, params
            got = p.evaluate(MOVE_MEETING, [str(u), ""])
            reason, fix = got["before"]
            assert reason and fix and meet in reason  # as delineated: its reason and fix
            after, fix2, why = got["after"]
            assert got["meeting"] == got["h"] != meet and fix2 is None and why is None, got
            if after is None:  # the new meeting point mends it: no rule broken, no reason
                assert not any(("DECLARED-EXCEPTION" in s) for s in got["said"]), got
            else:  # the live check's sentence of the rule it was declared for: the one inside its finding
                assert after != reason and any(after in s for s in got["said"]), got
                assert got["h"] in after, got
            seen.add((code, after is None))
            p.evaluate("() => window.yuanluo.editor.undo()")
            assert p.evaluate("(u) => { const s = window.yuanluo.editor.status(u); return [s.reason, s.fix]; }",
                              str(u)) == [reason, fix]
        assert errors == []
    assert ("HEAD-SHORT", False) in seen, seen
