"""Session 32, task FB: a given meeting point does not pin a household against a rule, and where the repair moves
one the planner is told, with or without a walking limit.

1. A given meeting point that is the stray household of a split settlement (the one household of settlement S3
   typed into the unit next to it) was held fixed: ``PLAN-SETTLEMENT-SPLIT`` was left, its reason claiming "the
   exact model proves that no moves … keep every rule". It now moves with its settlement, the unit's meeting
   point chosen again (``repair.note.meeting``), as a given point of another villager group does (s31).
2. Without a walking limit the repair moved a given meeting point to another unit and said nothing; checked with
   the meeting points as given the repaired plan is then ``PLAN-MEETING``. A note says so now
   (``repair.note.meeting_nolimit``), in both languages, on the console and in ``RepairResult.notes``.

Fixture: a 6 x 4 grid of households 50 m apart (EPSG:4545); columns 0–2 unit A, 3–5 unit B; each column its own
settlement, and H31 (settlement S3 of column 3) typed into A and given as A's meeting point.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules
from yuanluo.planners.cli import app

sys.path.insert(0, str(Path(__file__).parent))
from test_s31_repair_given_meet import _village  # noqa: E402

ENV = {"COLUMNS": "400"}


def _settled(tmp_path: Path, walk: bool) -> tuple[Path, Path, Path, Path]:
    rows = ["户编号,东坐标,北坐标,自然村"]
    plan = ["户编号,unit_id"]
    for i in range(6):
        for j in range(4):
            hid = f"H{i}{j}"
            rows.append(f"{hid},{474000 + 50 * i},{3297000 + 50 * j},S{i}")
            plan.append(f"{hid},{'A' if i < 3 or hid == 'H31' else 'B'}")
    hh, pl, rules, meet = (tmp_path / n for n in ("hh.csv", "plan.csv", "r.toml", "meet_in.csv"))
    hh.write_text("\n".join(rows) + "\n", encoding="utf-8")
    pl.write_text("\n".join(plan) + "\n", encoding="utf-8")
    rules.write_text("[rules]\nmin_size = 10\nmax_size = 14\nrequire_head = false\n"
                     + ("max_walk_min = 30\n" if walk else "") + "nest_by = []\nkeep_settlements = true\n",
                     encoding="utf-8")
    meet.write_text("院落编号,户编号\nA,H31\nB,H42\n", encoding="utf-8")
    return hh, pl, rules, meet


def _table(path: Path) -> dict[str, str]:
    t = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    return dict(zip(t.iloc[:, 0], t.iloc[:, 1], strict=True))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_given_meeting_point_that_splits_its_settlement_moves_with_it(tmp_path: Path, lang: str) -> None:
    """Under a walking limit H31, A's given meeting point and the one household of S3 in A, joins S3 in B; A's
    meeting point is chosen again in A and the note says so; the plan and the meeting points written pass
    ``check`` (the old code left PLAN-SETTLEMENT-SPLIT, exit 1, with "the exact model proves…")."""
    hh, pl, rules, meet = _settled(tmp_path, walk=True)
    out, mout = tmp_path / "fixed.csv", tmp_path / "meet.csv"
    runner = CliRunner()
    res = runner.invoke(app, ["--lang", lang, "repair", str(hh), "--crs", "EPSG:4545", "--plan", str(pl),
                              "--rules", str(rules), "--meeting-points", str(meet), "-o", str(out),
                              "--meeting-out", str(mout)], env=ENV)
    assert res.exit_code == 0, res.output
    assert "精确模型证明" not in res.output and "exact model proves" not in res.output
    lab, points = _table(out), _table(mout)
    assert lab["H31"] == "B" and sum(u == "A" for u in lab.values()) == 12, lab
    new = points["A"]
    assert lab[new] == "A" and points["B"] == "H42", points
    said = {"zh": f"院落 A 给定的议事点 H31 在修复中移到了 B，该院落的议事点改为 {new}",
            "en": f"unit A's given meeting point H31 was moved to B by the repair; the unit's meeting point is now {new}"}
    assert said[lang] in res.output, res.output
    chk = runner.invoke(app, ["--lang", lang, "check", str(hh), "--crs", "EPSG:4545", "--plan", str(out),
                              "--rules", str(rules), "--meeting-points", str(mout)], env=ENV)
    assert chk.exit_code == 0, chk.output


NOLIMIT = {"zh": "院落 A 给定的议事点 H31 在修复中移到了 B，须另给该院落一户本院落的农户作议事点（例如其中心户 {new}）："
                 "仍按原议事点检查时，H31 不在院落 A 内（PLAN-MEETING）",
           "en": "unit A's given meeting point H31 was moved to B by the repair; give the unit one of its own "
                 "households as its meeting point instead (its centre {new}, for example): checked with the meeting "
                 "points as given, H31 is outside unit A (PLAN-MEETING)"}


@pytest.mark.parametrize("case", ["settlement", "group"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_a_walking_limit_a_given_meeting_point_moved_is_said(tmp_path: Path, lang: str, case: str) -> None:
    """No max_walk_min: the repair moves A's given meeting point H31 to B (its settlement's unit, or its villager
    group's) and now says so, naming A's centre as a point to give instead; checked with the meeting points as
    given, the repaired plan is PLAN-MEETING for A, as the note says (the old code said nothing)."""
    if case == "settlement":
        hh, pl, rules, meet = _settled(tmp_path, walk=False)
    else:
        hh, pl, rules, meet = _village(tmp_path)
        rules.write_text(rules.read_text(encoding="utf-8").replace("max_walk_min = 30\n", ""), encoding="utf-8")
    out = tmp_path / "fixed.csv"
    runner = CliRunner()
    res = runner.invoke(app, ["--lang", lang, "repair", str(hh), "--crs", "EPSG:4545", "--plan", str(pl),
                              "--rules", str(rules), "--meeting-points", str(meet), "-o", str(out)], env=ENV)
    assert res.exit_code == 0, res.output
    lab = _table(out)
    assert lab["H31"] == "B", lab
    new = "H11"  # the centre of A's 12 households (columns 0–2)
    assert lab[new] == "A"
    assert NOLIMIT[lang].format(new=new) in res.output, res.output
    chk = runner.invoke(app, ["--lang", lang, "check", str(hh), "--crs", "EPSG:4545", "--plan", str(out),
                              "--rules", str(rules), "--meeting-points", str(meet)], env=ENV)
    assert chk.exit_code == 1 and "PLAN-MEETING" in chk.output, chk.output
    fixed = tmp_path / "meet_fixed.csv"
    fixed.write_text(f"院落编号,户编号\nA,{new}\nB,H42\n", encoding="utf-8")
    chk = runner.invoke(app, ["--lang", lang, "check", str(hh), "--crs", "EPSG:4545", "--plan", str(out),
                              "--rules", str(rules), "--meeting-points", str(fixed)], env=ENV)
    assert chk.exit_code == 0, chk.output


def test_the_python_api_notes_it_in_both_languages() -> None:
    """``repair_plan`` without a walking limit: ``notes`` holds ``repair.note.meeting_nolimit`` with the unit, the
    point, where it went and the unit's centre, rendered in zh and en."""
    from test_repair import grid

    hh, g, ii, _ = grid(6, 4)
    lab = pd.Series([f"U{c}" for c in ii // 2], index=hh.index, dtype=object)
    lab[["h0200", "h0501", "h0502"]] = "U0"  # typed in from U2, far away: the only mend of U0 sends them home
    meet = pd.Series({"U0": "h0501", "U1": "h0302", "U2": "h0503"})
    rules = Rules(7, 9, require_head=False, nest_by=(), keep_settlements=False)
    res = repair_plan(hh, lab, rules, g, meeting_points=meet)
    assert res.passed and res.labels["h0501"] == "U2"
    said = [p for k, p in res.notes if k == "repair.note.meeting_nolimit"]
    assert len(said) == 1 and {k: said[0][k] for k in ("unit", "hid", "to")} == {"unit": "U0", "hid": "h0501",
                                                                                  "to": "U2"}
    new = said[0]["new"]
    assert res.labels[new] == "U0"
    assert res.meeting_points.to_dict() == {"U0": new, "U1": "h0302", "U2": "h0503"}  # handed on since s33 FB
    assert f"unit U0's given meeting point h0501 was moved to U2 by the repair; give the unit one of its own " \
           f"households as its meeting point instead (its centre {new}, for example)" in res.note_texts("en")[-1]
    assert f"院落 U0 给定的议事点 h0501 在修复中移到了 U2，须另给该院落一户本院落的农户作议事点（例如其中心户 {new}）" \
        in res.note_texts("zh")[-1]
