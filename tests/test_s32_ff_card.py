"""Session 32, fixer FF: the map's unit card lists the exceptions the delineation declared apart from the units that
break the rule (each exception with its code; check counts none of them a violation), and says "no candidate"
(无院落长候选人) of a unit without a suggested head, where the plan knows candidates."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browser import open_in_chromium, require_browser  # tests/ is on sys.path under pytest

from yuanluo.gis.catalogue import text
from yuanluo.maps.interactive import make_map, render_html, save_map
from yuanluo.maps.sample import sample_layers

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def _layers() -> dict:
    """Sample layers (band 20–50) whose units carry heads as a delineation writes them: U002 a declared exception
    (HEAD-SHORT, no candidate), U008 one out of the band (RULE-INFEASIBLE), U003 out of the band and no
    exception (it breaks the rule)."""
    lyr = sample_layers(120, block=5, seed=7)
    u = lyr["units"].copy()
    u["code"] = ""
    u["head_hid"] = u["meeting_hid"]
    u["n_heads"] = 1
    u["head_candidates"] = [json.dumps([h]) for h in u["meeting_hid"]]
    ix = u.set_index("unit_id").index
    for uid, code in (("U002", "HEAD-SHORT"), ("U008", "RULE-INFEASIBLE")):
        u.loc[ix == uid, ["status", "code"]] = ["exception", code]
    u.loc[ix == "U002", ["head_hid", "n_heads", "head_candidates"]] = [None, 0, "[]"]
    return {**lyr, "units": u}


def _card(html: str) -> dict:
    m = re.search(r"var R = (\{.*?\});\n", html)
    assert m, "no card data in the page"
    return json.loads(m.group(1))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_declared_exceptions_are_listed_apart_from_the_units_that_break_the_rule(lang: str) -> None:
    card = _card(render_html(make_map(_layers(), lang=lang)))
    bad = {card["units"][k] for k in card["bad"]}
    exc = {card["units"][k]: code for k, code in card["exc"]}
    assert exc == {"U002": "HEAD-SHORT", "U008": "RULE-INFEASIBLE"}  # 4 households (band 20–50): declared
    assert "U003" in bad and not bad & set(exc)  # 5 households, status ok: broken
    assert card["heads"] is True
    assert card["lab"]["card.no_candidate"] == text("map.card.no_candidate", lang)


def test_a_plan_without_candidates_has_no_head_row_to_fill() -> None:
    lyr = sample_layers(120, block=5, seed=7)  # no head_hid, no n_heads: the plan knows no candidates
    assert _card(render_html(make_map(lyr)))["heads"] is False
    # delineated without a candidate-head column (the demo): every unit counts 0 and names no head
    u = lyr["units"].assign(n_heads=0, has_head=False, head_hid="", head_candidates="[]")
    assert _card(render_html(make_map({**lyr, "units": u})))["heads"] is False


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_unit_card_on_a_phone_says_exceptions_and_no_candidate(tmp_path: Path, lang: str) -> None:
    require_browser()
    path = save_map(_layers(), tmp_path / "m.html", lang=lang)
    show = ("(() => {{ const s = window.yuanluo.showUnit({u}, true); s.querySelectorAll('details')"
            ".forEach(d => d.open = true); s.scrollTop = s.scrollHeight; return [...s.querySelectorAll('tr')]"
            ".map(r => [...r.cells].map(c => c.innerText).join('\\t')).concat([...s.querySelectorAll('details')].map(d => d.innerText)); }})()")
    rep = open_in_chromium(path, viewport=(390, 844), wait_for="window.yuanluo", settle_ms=300,
                           screenshot=ARTIFACTS / f"s32_ff_exceptions_{lang}.png",
                           evaluate={"u2": show.format(u='"U002"'), "u1": show.format(u='"U001"')})
    assert not rep.console_errors and not rep.csp_violations and not rep.external_requests
    u2, u1 = rep.counts["u2"], rep.counts["u1"]
    head = text("map.card.head", lang)
    assert f"{head}\t{text('map.card.no_candidate', lang)}" in u2, u2
    assert any(r.startswith(f"{head}\t") and r != f"{head}\t{text('map.card.no_candidate', lang)}" for r in u1), u1
    exc_list = next(t for t in u2 if t.startswith(text("map.card.exceptions", lang, n=2)))
    item = text("map.card.exception_item", lang, unit="U002", reason=text("delineate.label.HEAD-SHORT", lang))
    assert item in exc_list and text("map.card.exception_item", lang, unit="U008",
                                     reason=text("delineate.label.RULE-INFEASIBLE", lang)) in exc_list
    broken = next(t for t in u2 if t.startswith(text("map.card.broken", lang, n=1).split("1")[0]))
    assert "U003" in broken and "U002" not in broken and "U008" not in broken, broken
