"""Session 31, task GD: the repair heuristic keeps each unit's given meeting point in its unit, or says so.

Under a walking limit a unit's meeting point is what the limit is measured against. The heuristic's split cut off
the part of a unit holding it (a unit too large, split in two: the meeting household went to the new unit), and its
contiguity step moved a cut-off piece holding it to the unit next to it; either way the unit then silently took its
centre as its meeting point. Now a split cuts off the part away from the meeting point, and a cut-off piece holding
it (the one repair of the unit's contiguity) takes it along only with the unit's meeting point chosen again and a
note (``repair.note.meeting``) saying so.

Fixtures: a row of households 50 m apart; the 6 x 4 grid of ``tests/test_repair.py`` (50 m, 4-neighbour), three
units of two columns each.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely import points
from test_repair import grid
from typer.testing import CliRunner

from yuanluo.gis.check import check_plan
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules

CRS = "EPSG:32631"


def _row(n: int) -> tuple[gpd.GeoDataFrame, TerrainGraph, list[str]]:
    ids = [f"a{i}" for i in range(n)]
    xy = [[50 * i, 0] for i in range(n)]
    hh = gpd.GeoDataFrame(geometry=points(xy), crs=CRS, index=pd.Index(ids, name="hid"))
    return hh, TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(n - 1)], crs=CRS), ids


def test_a_split_leaves_the_meeting_point_in_its_unit() -> None:
    """One unit of 8 in a row, band 3–5: no moves keep the band without a new unit, so the heuristic splits it
    (since session 34 the exact model opens the new unit). Its meeting point a7 is at the end the split cut off
    (the old code moved a5–a7 to A-2 and A walked to a2 instead)."""
    hh, g, ids = _row(8)
    rules = Rules(3, 5, require_head=False, max_walk_min=10.0)
    res = repair_plan(hh, pd.Series(["A"] * 8, index=ids), rules, g, meeting_points=pd.Series({"A": "a7"}))
    assert res.passed and res.method in ("heuristic", "exact") and len(res.moves) == 3
    assert res.labels["a7"] == "A" and res.meeting_points is not None and res.meeting_points["A"] == "a7"
    assert set(res.labels.unique()) == {"A", "A-2"}
    assert not [k for k, _ in res.notes if k == "repair.note.meeting"]


def test_splits_on_a_grid_keep_every_given_meeting_point() -> None:
    """The grid's three units of 8 under band 3–5, each meeting point on the unit's far side from the first
    household (the old code's split took U0's h0103 and U1's h0203 into the new units)."""
    hh, g, ii, _ = grid(6, 4)
    lab = pd.Series([f"U{c}" for c in ii // 2], index=hh.index, dtype=object)
    meet = pd.Series({"U0": "h0103", "U1": "h0203", "U2": "h0503"})
    rules = Rules(3, 5, require_head=False, nest_by=(), keep_settlements=False, max_walk_min=3.0)
    res = repair_plan(hh, lab, rules, g, meeting_points=meet)
    assert res.passed, res.reasons
    assert res.meeting_points is not None
    for unit, hid in meet.items():
        assert res.labels[hid] == unit and res.meeting_points[unit] == hid, (unit, res.labels[hid])
    assert check_plan(hh, res.labels, rules, graph=g, meeting_points=res.meeting_points).passed


def test_a_cut_off_meeting_point_moved_with_its_piece_is_said_and_chosen_again() -> None:
    """U0 (columns 0–1) holds h0501 and h0502, typed in from U2 far away, and h0501 is the meeting point given for U0.
    The only repair of U0's contiguity moves the two home to U2: U0's meeting point is then chosen again (its centre,
    in U0), the walking limit is kept against it, and a note says so in both languages (the old code said nothing)."""
    hh, g, ii, _ = grid(6, 4)
    lab = pd.Series([f"U{c}" for c in ii // 2], index=hh.index, dtype=object)
    lab[["h0200", "h0501", "h0502"]] = "U0"
    meet = pd.Series({"U0": "h0501", "U1": "h0302", "U2": "h0503"})
    rules = Rules(7, 9, require_head=False, nest_by=(), keep_settlements=False, max_walk_min=3.0)
    res = repair_plan(hh, lab, rules, g, meeting_points=meet)
    assert res.passed and res.labels["h0501"] == "U2"
    assert res.meeting_points is not None
    new = res.meeting_points["U0"]
    assert res.labels[new] == "U0" and res.meeting_points["U1"] == "h0302" and res.meeting_points["U2"] == "h0503"
    said = [p for k, p in res.notes if k == "repair.note.meeting"]
    assert said == [{"unit": "U0", "hid": "h0501", "to": "U2", "new": new}]
    assert f"unit U0's given meeting point h0501 was moved to U2 by the repair; the unit's meeting point is now {new}" \
        in res.note_texts("en")[-1]
    assert f"院落 U0 给定的议事点 h0501 在修复中移到了 U2，该院落的议事点改为 {new}" in res.note_texts("zh")[-1]
    assert check_plan(hh, res.labels, rules, graph=g, meeting_points=res.meeting_points).passed


def test_cli_repair_writes_the_given_meeting_point_after_a_split(tmp_path) -> None:
    """``yuanluo repair`` on one unit of 8 in a row (about 39 m apart, every other one 5 m off the line: a straight
    row's neighbour graph joins its ends), band 3–5, meeting point H06 near one end: the plan and the meeting points
    written keep H06 in A, and ``check`` agrees (the old code split it off into A-2 and wrote H03 for A)."""
    from yuanluo.planners.cli import app

    rows = ["户编号,经度,纬度,方案"] + [f"H{i:02d},{106.55 + 0.0004 * i:.6f},{29.56 + 0.00005 * (i % 2):.6f},A"
                                      for i in range(8)]
    hh = tmp_path / "hh.csv"
    hh.write_text("\n".join(rows) + "\n", encoding="utf-8")
    rules = tmp_path / "r.toml"
    rules.write_text("[rules]\nmin_size = 3\nmax_size = 5\nrequire_head = false\nmax_walk_min = 10\nnest_by = []\n"
                     "keep_settlements = false\n", encoding="utf-8")
    meet = tmp_path / "meet_in.csv"
    meet.write_text("unit_id,hid\nA,H06\n", encoding="utf-8")
    base = [str(hh), "--crs", "EPSG:4490", "--rules", str(rules), "--lang", "en"]
    runner = CliRunner()
    res = runner.invoke(app, ["repair", *base, "--unit-col", "方案", "--meeting-points", str(meet),
                              "-o", str(tmp_path / "fixed.csv"), "--meeting-out", str(tmp_path / "meet.csv")])
    assert res.exit_code == 0, res.output
    plan = pd.read_csv(tmp_path / "fixed.csv", dtype=str, encoding="utf-8-sig")
    out = pd.read_csv(tmp_path / "meet.csv", dtype=str, encoding="utf-8-sig")
    assert plan.set_index(plan.columns[0]).iloc[:, 0]["H06"] == "A", plan
    assert dict(zip(out.iloc[:, 0], out.iloc[:, 1], strict=True))["A"] == "H06", out
    chk = runner.invoke(app, ["check", str(hh), "--crs", "EPSG:4490", "--plan", str(tmp_path / "fixed.csv"),
                              "--rules", str(rules), "--meeting-points", str(tmp_path / "meet.csv"), "--lang", "en"])
    assert chk.exit_code == 0, chk.output


def test_an_english_reason_of_a_one_unit_region_says_one_unit() -> None:
    """Task GD §2 (a guard: this already held where it was checked): a one-unit region proven infeasible is counted
    in the singular in English, as the command line does. Its old fixture, a row of 4 in one unit whose given
    meeting point a0 is beyond the walking limit of a3, is now mended by changing that meeting point (session 41
    E2, audit G §1: the repair passes, A walking to a1 or a2, and says so), so the reason is rendered from the
    exact stage's outcome of a one-unit region directly."""
    from yuanluo.gis.repair import _render, _why
    from yuanluo.gis.repair_exact import ExactOutcome

    hh, g, ids = _row(4)
    rules = Rules(4, 4, require_head=False, max_walk_min=2.5 * float(g.walk_min.max()))
    res = repair_plan(hh, pd.Series(["A"] * 4, index=ids), rules, g, meeting_points=pd.Series({"A": "a0"}))
    assert res.passed and res.moves.empty and res.meeting_points is not None
    assert res.meeting_points["A"] in ("a1", "a2") and [n[0] for n in res.notes] == ["repair.note.meeting_walk"]
    for o in (ExactOutcome("infeasible", units=[0]), ExactOutcome("infeasible", units=[0], new_units=2)):
        key, params = _why(o)
        text_ = _render(key, params, "en")
        assert "(1 unit)" in text_ and "1 units" not in text_, text_
