"""The field map's card of an exception unit says what to do under its reason (s55 E).

The console and the check's report give each exception unit a fix (处理办法 / Fix: the delineation's problem for
the unit, ``{code}.fix`` with its ``then`` by the reason: for WALK-LIMIT by its proof); the unit card, the one place
a planner in the field reads it, gave the reason alone. The card now carries the same sentence, rendered in Python
from the unit's ``code`` and ``reason_params`` in the map's language and set by textContent.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from browser import open_in_chromium, require_browser  # tests/ is on sys.path under pytest

from yuanluo.gis.catalogue import both, planner_words, text
from yuanluo.gis.delineate.reasons import fix_then
from yuanluo.gis.errors import problem
from yuanluo.maps.interactive import make_map, render_html
from yuanluo.maps.sample import sample_layers

WALK_REMOTE = {"size": 15, "what": "households", "lo": 15, "hi": 25, "total": 15, "why": "walk_limit",
               "proof": "remote", "limit": 4.0, "beyond": 2, "max": 8.9, "meeting": "H1"}
WALK_UNPROVEN = dict(WALK_REMOTE, proof="unproven")
HEAD = {"size": 22, "heads": 0, "need": 1, "total": 38, "what": "households", "lo": 15, "hi": 25,
        "why": "head_unplaced"}


def _layers() -> tuple[dict, list[str]]:
    lyr = sample_layers(120, block=5, seed=1)
    units = lyr["units"].copy()
    units["status"], units["code"], units["reason_params"], units["reason"] = "ok", "", "", ""
    for k, (code, params) in enumerate((("WALK-LIMIT", WALK_REMOTE), ("WALK-LIMIT", WALK_UNPROVEN),
                                        ("HEAD-SHORT", HEAD), ("HEAD-SHORT", "{edited"))):
        units.loc[units.index[k], ["status", "code", "reason_params", "reason"]] = [
            "exception", code, params if isinstance(params, str) else json.dumps(params), "原因"]
    return {**lyr, "units": units}, [str(u) for u in units["unit_id"]]


def _card(html: str) -> dict:
    return json.loads(re.search(r"var R = (\{.*?\});\n", html).group(1))


def _col(card: dict, name: str) -> list:
    f = card["f"][name]
    if isinstance(f, list):
        return f
    c = f["c"]
    return [f["v"][i] for i in ([c] * len(card["units"]) if isinstance(c, int) else c)]


def test_an_exception_units_card_carries_the_fix_the_console_prints() -> None:
    lyr, ids = _layers()
    for lang in ("zh", "en"):
        card = _card(render_html(make_map(lyr, lang=lang)))
        fix = dict(zip(card["units"], _col(card, "fix"), strict=True))
        # the command line's sentence: the delineation's problem for the unit, its fix (gis.delineate.result), in
        # the planner's words though the map is made from Python (s57 E: not check_plan, max_walk_min=)
        with planner_words():
            said = [problem("WALK-LIMIT", severity="warning", then=fix_then(WALK_REMOTE)).fix(lang),
                    problem("WALK-LIMIT", severity="warning", then=fix_then(WALK_UNPROVEN)).fix(lang),
                    problem("HEAD-SHORT", severity="warning", then=both("delineate.then.none")).fix(lang)]
            assert said[0] == text("delineate.fix.walk_remote", lang) != said[1]
        assert [fix[u] for u in ids[:3]] == said
        assert "--roads" in said[0] and "random_state" not in said[1]
        assert said[2].startswith({"zh": "在这一片物色更多院落长候选人", "en": "find more head candidates"}[lang])
        assert fix[ids[3]] == ""  # parameters that do not read: no fix rather than a wrong one
        assert len(ids) > 4 and all(fix[u] == "" for u in ids[4:])  # units within the rules
        assert card["lab"]["card.fix"] == {"zh": "处理办法", "en": "Fix"}[lang]


def test_the_card_shows_the_fix_under_the_reason_as_text() -> None:
    require_browser()
    lyr, ids = _layers()
    units = lyr["units"]
    params = dict(WALK_UNPROVEN, limit=4.0)
    units.loc[units.index[1], "reason_params"] = json.dumps(params)
    html = render_html(make_map(lyr, lang="en"))
    show = ("(() => { const s = window.yuanluo.showUnit(%s, true); return [...s.querySelectorAll('tr')].map(tr =>"
            " [...tr.cells].map(c => c.textContent)); })()")
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "m.html"
        path.write_text(html, encoding="utf-8")
        rep = open_in_chromium(path, wait_for="window.yuanluo", viewport=(360, 640),
                               evaluate={"walk": show % json.dumps(ids[1]), "ok": show % json.dumps(ids[5])})
    rows = rep.counts["walk"]
    heads = [r[0] for r in rows]
    assert heads.index("Fix") == heads.index("Reason") + 1, heads
    with planner_words():
        assert rows[heads.index("Fix")][1] == problem("WALK-LIMIT", then=fix_then(params)).fix("en")
    assert "Fix" not in [r[0] for r in rep.counts["ok"]]
    assert not rep.console_errors and not rep.csp_violations
