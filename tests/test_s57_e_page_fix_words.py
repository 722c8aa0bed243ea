"""The fix a page's unit card shows is the planner's, said as the command line says it, whoever built the page (s57 E).

The map's and the editor's unit cards give an exception unit's fix (处理办法 / Fix), rendered in Python from the
unit's ``code`` and ``reason_params`` when the page is built. The catalogue words a fix for a caller of the Python
API where one is running (``fix_py``, ``key.py``), so a page built from Python (a notebook's ``make_map``, the
editor's builder) told its reader of a WALK-LIMIT unit proven remote to add the path "to the roads= of
build_graph" and raise "max_walk_min=", that "check_plan" proves it too; of a HEAD-UNPLACED unit to run
"UnitDelineator(head_exact_max_n=400, head_chains=True)"; of a LOCK-BREACH unit to take it out of "locked" and use
"delineate_around": words a planner reading a page cannot act on. The cards now say the command line's fix (its
options, the rule file's keys, its commands: ``--roads``, “max_walk_min”, ``--thorough-heads``, ``--lock``), as
``yuanluo map`` and ``yuanluo edit`` always gave them (gis.catalogue.planner_words,
gis.delineate.reasons.planner_fixes).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from shared_fixtures import walk_limit_village

from yuanluo.gis.check import Declared
from yuanluo.maps.editor import _declared_words
from yuanluo.maps.interactive import make_map, render_html
from yuanluo.maps.sample import sample_layers
from yuanluo.planners.cli.edit import build_editor
from yuanluo.planners.cli.options import Terrain
from yuanluo.planners.presets import load_rules_file
from yuanluo.planners.workflows import map_layers, read_result

#: the Python API's words the catalogue's Python fixes of the delineation's codes use
API = re.compile(r"check_plan|build_graph|roads=|max_walk_min=|random_state=|UnitDelineator|head_exact_max_n"
                 r"|delineate_around|repair_plan|“locked”|out of locked")

BASE = {"size": 9, "what": "households", "lo": 10, "hi": 25, "total": 9}
WALK = {**BASE, "why": "walk_limit", "limit": 4.0, "beyond": 1, "meeting": "H1", "worst": "6", "hids": ["H2"]}
#: every code an exception unit (or a locked one) may carry, its parameters, and what its planner's fix names
CASES: list[tuple[str, dict[str, Any], dict[str, str]]] = [
    ("RULE-INFEASIBLE", {**BASE, "why": "isolated", "cuts": [{"by": "river"}]},
     {"zh": "经镇街同意作为例外院落", "en": "approve it as an exception unit"}),
    ("RULE-NOSPLIT", {**BASE, "why": "nosplit"}, {"zh": "随机种子", "en": "another random seed"}),
    ("HEAD-SHORT", {**BASE, "why": "head_short", "heads": 0, "need": 1}, {"zh": "物色", "en": "find more head"}),
    ("HEAD-UNPLACED", {**BASE, "why": "head_unplaced", "heads": 0, "need": 1},
     {"zh": "--thorough-heads", "en": "--thorough-heads"}),
    ("WALK-LIMIT", {**WALK, "proof": "remote"}, {"zh": "道路图层（--roads）", "en": "roads layer (--roads)"}),
    ("WALK-LIMIT", {**WALK, "proof": "unproven"}, {"zh": "（--seed）", "en": "(--seed)"}),
    ("LOCK-BREACH", {**BASE, "breaches": []}, {"zh": "从 --lock 中去掉", "en": "out of --lock"}),
]


def _planners(fixes: list[str], lang: str) -> None:
    assert len(fixes) == len(CASES)
    for fix, (code, params, names) in zip(fixes, CASES, strict=True):
        assert fix and names[lang] in fix, (code, params.get("proof"), lang, fix)
        assert not API.search(fix), (code, lang, fix)
    remote = fixes[4]
    assert {"zh": "规则文件的步行上限 “max_walk_min”", "en": "(“max_walk_min” in the rules file)"}[lang] in remote
    assert "yuanluo check" in remote


def test_the_maps_card_gives_every_codes_planners_fix_when_made_from_python() -> None:
    lyr = sample_layers(120, block=5, seed=1)
    units = lyr["units"].copy()
    units["status"], units["code"], units["reason_params"], units["reason"] = "ok", "", "", ""
    for k, (code, params, _) in enumerate(CASES):
        units.loc[units.index[k], ["status", "code", "reason_params", "reason"]] = [
            "exception", code, json.dumps(params), "原因"]
    ids = [str(u) for u in units["unit_id"]]
    for lang in ("zh", "en"):
        html = render_html(make_map({**lyr, "units": units}, lang=lang))
        card = _card(html)
        f = card["f"]["fix"]
        col = f if isinstance(f, list) else [f["v"][i] for i in
                                            ([f["c"]] * len(card["units"]) if isinstance(f["c"], int) else f["c"])]
        fix = dict(zip(card["units"], col, strict=True))
        _planners([fix[u] for u in ids[:len(CASES)]], lang)
        assert not API.search(html)


def _card(html: str) -> dict[str, Any]:
    """The unit cards' data of a map page (card.js's ``R``, as tests/test_s55_e_card_fix.py reads it)."""
    found = re.search(r"var R = (\{.*?\});\n", html)
    assert found is not None
    return dict(json.loads(found.group(1)))


def test_the_editors_card_gives_every_codes_planners_fix_when_made_from_python() -> None:
    ids = [f"U{k}" for k in range(len(CASES))]
    table = pd.DataFrame({"unit_id": ids, "status": "exception", "reason": "原因",
                          "code": [c for c, _, _ in CASES], "reason_params": [json.dumps(p) for _, p, _ in CASES]})
    declared = Declared.of(table, pd.Series(ids, index=[f"H{k}" for k in range(len(CASES))]))
    for lang in ("zh", "en"):
        _planners(_declared_words(declared, ids, lang)["fixes"], lang)


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return walk_limit_village(tmp_path_factory.mktemp("village"))


def test_pages_built_from_python_name_no_api_word(village: Path) -> None:
    """The village at a walking limit of 1.5 minutes has a WALK-LIMIT unit proven remote: both pages, built in
    Python as a notebook builds them, give its fix with the roads layer's option and the rule file's key."""
    layers, _ = read_result(village / "r.gpkg")
    rules = load_rules_file(village / "rules.toml")
    for lang in ("zh", "en"):
        shown = render_html(make_map(map_layers(layers), lang=lang))
        edited, _ = build_editor(village / "r.gpkg", rules, terrain=Terrain(), lang=lang)
        for html in (shown, edited):
            assert not API.search(html), API.findall(html)
            assert {"zh": "道路图层（--roads）", "en": "roads layer (--roads)"}[lang] in html
