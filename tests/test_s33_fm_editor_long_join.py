"""Audit s33 AD D1 (2026-12-03): the plan editor counted a unit joined over ANY edge pruned for length within the
join limit as whole (PLAN-LONG-JOIN), where ``check`` since 4bc7b38 counts only the long joins of
:func:`yuanluo.gis.islands.island_links` (an island: two pieces of the short edges of one nest group and one zone,
heavy households and units kept locked zones of their own). Two units interleaved along a street showed two
PLAN-LONG-JOIN warnings in the page while ``check --plan`` of its export failed PLAN-NONCONTIG U1, U2. The page now
finds the check's long joins (``D.il``, :func:`yuanluo.maps.editor._islands`), also as a kept unit is broken and
mended by the edits.

Fixtures: the s32 street (households 60 m apart, graph edges within one minute), the auditor's comb plan on it, an
island joined over a long edge, a stretch joined past a heavy household and a hamlet joined past a locked unit.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from browser import browser_unavailable_reason, open_in_chromium
from test_s32_fh_long_join import _street
from test_s33_fi_islands import _lock_frame
from test_s33_fi_islands import _street as _persons_street

from yuanluo import UnitDelineator, build_graph
from yuanluo.gis.check import Declared, check_plan, violation_message
from yuanluo.gis.delineate.reasons import reasons_in
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.rules import Rules
from yuanluo.maps.editor import editor_payload, render_editor
from yuanluo.planners.workflows import Inputs, delineate_locked

pytestmark = pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))

BARE = {"require_head": False, "keep_settlements": False, "nest_by": ()}
Finding = tuple[str | None, str, str, str]

#: the page's findings at the start, after each move (household, unit) and after undoing them all
MOVES = """(function(moves) {
  var E = window.yuanluo.editor;
  function v() { return E.violations().map(function(x) { return [x.unit, x.code, x.severity, x.text]; }); }
  var out = [v()];
  moves.forEach(function(m) { E.assign([m[0]], m[1]); out.push(v()); });
  while (E.undo()) {}
  out.push(v());
  return JSON.stringify(out);
})"""


def _check(hh: gpd.GeoDataFrame, labels: pd.Series, rules: Rules, g: TerrainGraph,
           declared: Declared | None = None) -> set[Finding]:
    """The check's findings: unit, code, severity and its sentence."""
    v = check_plan(hh, labels, rules, graph=g, declared=declared, unapplied=False).violations
    return {(None if u is None or u != u else str(u), str(c), str(s), violation_message(row, "en", body=True)
             .split("\n")[0]) for u, c, s, (_, row) in zip(v["unit_id"], v["code"], v["severity"], v.iterrows(),
                                                          strict=True)}


def _page(tmp: Path, hh: gpd.GeoDataFrame, labels: pd.Series, rules: Rules, g: TerrainGraph,
          declared: Declared | None = None, moves: tuple[tuple[str, str], ...] = ()) -> list[set[Finding]]:
    """The page's findings at the start and after each move (household, unit), then after undoing them all."""
    page = tmp / "e.html"
    page.write_text(render_editor(editor_payload({"households": hh}, labels, rules, g, declared=declared, lang="en")),
                    encoding="utf-8")
    js = f"{MOVES}({json.dumps([list(m) for m in moves])})"
    rep = open_in_chromium(page, wait_for="window.yuanluo && window.yuanluo.editorUi", settle_ms=50,
                           evaluate={"run": js})
    assert rep.console_errors == [] and rep.csp_violations == [], (rep.console_errors, rep.csp_violations)
    return [{(u, c, s, t) for u, c, s, t in step} for step in json.loads(rep.counts["run"])]


def _steps(labels: pd.Series, moves: tuple[tuple[str, str], ...]) -> list[pd.Series]:
    """The plan at the start, after each move, and back at the start."""
    out = [labels.copy()]
    for h, u in moves:
        lab = out[-1].copy()
        lab[h] = u
        out.append(lab)
    return [*out, labels.copy()]


def _agree(tmp: Path, hh: gpd.GeoDataFrame, labels: pd.Series, rules: Rules, g: TerrainGraph,
           declared: Declared | None = None, moves: tuple[tuple[str, str], ...] = ()) -> list[set[Finding]]:
    found = _page(tmp, hh, labels, rules, g, declared, moves)
    want = [_check(hh, lab, rules, g, declared) for lab in _steps(labels, moves)]
    for i, (js, py) in enumerate(zip(found, want, strict=True)):
        assert js == py, (i, sorted(js ^ py, key=str))
    return want


def _codes(found: set[Finding]) -> set[tuple[str | None, str, str]]:
    return {(u, c, s) for u, c, s, _ in found}


def test_the_comb_fails_in_the_page_as_in_the_check(tmp_path: Path) -> None:
    """The auditor's comb (the s32 fixture): U1 U1 U2 U1 U2 U1 U2 U1 U2 U2, 4–6, edges within one minute."""
    hh = _street(10)
    g = build_graph(hh, max_walk_min=1.0)
    plan = pd.Series(["U1", "U1", "U2", "U1", "U2", "U1", "U2", "U1", "U2", "U2"], index=hh.index)
    rules = Rules(4, 6, **BARE)
    # moving H003 into U1 and H004 into U2 makes two runs (H001–H003, H004–...): contiguous, no long join at all
    want = _agree(tmp_path, hh, plan, rules, g, moves=(("H003", "U1"), ("H004", "U2")))
    assert {("U1", "PLAN-NONCONTIG", "error"), ("U2", "PLAN-NONCONTIG", "error")} <= _codes(want[0])
    assert not any(c == "PLAN-LONG-JOIN" for _, c, _ in _codes(want[0]))


def test_the_s32_repair_street_and_a_genuine_island(tmp_path: Path) -> None:
    rules = Rules(4, 6, **BARE)
    hh = _street(24)  # the exact repair's 1|8|6|9: a unit of one beside one of eight
    g = build_graph(hh, max_walk_min=1.0)
    plan = pd.Series([f"U{i + 1}" for i, s in enumerate([1, 8, 6, 9]) for _ in range(s)], index=hh.index)
    (tmp_path / "a").mkdir()
    # H002, then H004 into U1: H001, H002 and H004, which only the long edge H002–H004 (the next but one, inside the
    # street's one piece) joins: PLAN-NONCONTIG; H010 into U4
    _agree(tmp_path / "a", hh, plan, rules, g, moves=(("H002", "U1"), ("H004", "U1"), ("H010", "U4")))
    island = _street(9, gap_after=7)  # H008, H009 150 m further on: joined to H007 only over a long edge
    g2 = build_graph(island, max_walk_min=1.0)
    plan2 = pd.Series(["U1"] * 4 + ["U2"] * 5, index=island.index)
    (tmp_path / "b").mkdir()
    want = _agree(tmp_path / "b", island, plan2, rules, g2, moves=(("H007", "U1"),))
    assert ("U2", "PLAN-LONG-JOIN", "warning") in _codes(want[0])
    assert not any(s == "error" for _, _, s in _codes(want[0]))
    # H007 into U1, beyond U2's H005, H006: U1 is not whole; U2 still joins its island, from H006
    assert {("U1", "PLAN-NONCONTIG", "error"), ("U2", "PLAN-LONG-JOIN", "warning")} <= _codes(want[1])


def test_joined_past_a_heavy_household_and_past_a_kept_unit(tmp_path: Path) -> None:
    """A household heavier than the ceiling is no way through; a unit a delineation kept locked is none while the
    plan holds it as kept: broken by a move, the hamlet's unit (not touched by it) is PLAN-NONCONTIG, and whole
    again when the move is undone."""
    hh = _persons_street([3, 3, 20] + [3] * 6)
    g = build_graph(hh, max_walk_min=1.0)
    rules = Rules(8, 15, size_by="persons", **BARE)
    lab = UnitDelineator.from_rules(rules).fit(hh, g).labels_.astype(str)
    (tmp_path / "h").mkdir()
    want = _agree(tmp_path / "h", hh, lab, rules, g)
    assert (lab["H001"], "PLAN-LONG-JOIN", "warning") in _codes(want[0])

    hh2, plan = _lock_frame()
    g2 = build_graph(hh2, max_walk_min=1.0)
    rules2 = Rules(4, 6, **BARE)
    d = delineate_locked(Inputs(households=hh2, report=None, paths={"households": Path("lock_hh.csv")}), rules2,
                         plan, ["U2"], graph=g2)
    h = d.layers["households"]
    labels = pd.Series(h["unit_id"].astype(str).to_numpy(), index=h["hid"].astype(str).to_numpy())
    dec = Declared.of(pd.DataFrame(d.layers["units"]), labels, reasons=reasons_in, rules=rules2.to_dict())
    hamlet = labels["A1"]
    (tmp_path / "k").mkdir()
    want = _agree(tmp_path / "k", hh2, labels, rules2, g2, dec, moves=(("L4", "X9"),))
    assert (hamlet, "PLAN-LONG-JOIN", "warning") in _codes(want[0])
    assert (hamlet, "PLAN-NONCONTIG", "error") in _codes(want[1])
