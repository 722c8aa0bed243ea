"""Session 31, task FD (audit Z5 §1): a given meeting point that is itself a household typed into its unit from
another villager group moves home like the others.

The repair held every given meeting point fixed in its unit, so when the meeting point given for a unit was one of
the households of another group typed into it, ``PLAN-CROSS-GROUP`` could not be mended and the reason said "the
exact model proves that no moves within the affected units … keep every rule" — untrue (without the meeting
points the same plan was repaired), and the meeting point, the real cause, was never named. Now such a meeting
point may move: the unit's meeting point is chosen again among its own group's households, and the notes say so
(``repair.note.meeting``).

Fixture: a 6 x 4 grid of households 50 m apart (EPSG:4545), columns 0–2 group G1 (unit A), columns 3–5 group G2
(unit B); two households of column 3 typed into A, one of them given as A's meeting point.
"""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app


def _village(tmp_path):
    rows = ["户编号,东坐标,北坐标,组"]
    plan = ["户编号,unit_id"]
    for i in range(6):
        for j in range(4):
            hid = f"H{i}{j}"
            rows.append(f"{hid},{474000 + 50 * i},{3297000 + 50 * j},{'G1' if i < 3 else 'G2'}")
            unit = "A" if i < 3 or hid in ("H31", "H32") else "B"
            plan.append(f"{hid},{unit}")
    hh, pl = tmp_path / "hh.csv", tmp_path / "plan.csv"
    hh.write_text("\n".join(rows) + "\n", encoding="utf-8")
    pl.write_text("\n".join(plan) + "\n", encoding="utf-8")
    rules = tmp_path / "r.toml"
    rules.write_text("[rules]\nmin_size = 10\nmax_size = 14\nrequire_head = false\nmax_walk_min = 30\n"
                     "nest_by = [\"group\"]\nkeep_settlements = false\n", encoding="utf-8")
    meet = tmp_path / "meet_in.csv"
    meet.write_text("院落编号,户编号\nA,H31\nB,H42\n", encoding="utf-8")
    return hh, pl, rules, meet


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_given_meeting_point_typed_in_from_another_group_moves_home(tmp_path, lang) -> None:
    """H31, A's given meeting point, is of group G2: the repair moves it (and H32) back to B, chooses A's meeting
    point again in A and says so; the plan and meeting points written pass ``check`` (the old code left
    PLAN-CROSS-GROUP with a false "the exact model proves…" reason, exit 1)."""
    hh, pl, rules, meet = _village(tmp_path)
    runner = CliRunner()
    out, mout = tmp_path / f"fixed_{lang}.csv", tmp_path / f"meet_{lang}.csv"
    res = runner.invoke(app, ["--lang", lang, "repair", str(hh), "--crs", "EPSG:4545", "--plan", str(pl),
                              "--rules", str(rules), "--meeting-points", str(meet), "-o", str(out),
                              "--meeting-out", str(mout)])
    assert res.exit_code == 0, res.output
    assert "精确模型证明" not in res.output and "exact model proves" not in res.output
    plan = pd.read_csv(out, dtype=str, encoding="utf-8-sig")
    lab = plan.set_index(plan.columns[0]).iloc[:, 0]
    assert lab["H31"] == "B" and lab["H32"] == "B", plan
    mp = pd.read_csv(mout, dtype=str, encoding="utf-8-sig")
    points = dict(zip(mp.iloc[:, 0], mp.iloc[:, 1], strict=True))
    new = points["A"]
    assert lab[new] == "A" and new[1] in "012" and points["B"] == "H42", points
    said = {"zh": f"院落 A 给定的议事点 H31 在修复中移到了 B，该院落的议事点改为 {new}",
            "en": f"unit A's given meeting point H31 was moved to B by the repair; the unit's meeting point is now {new}"}
    assert said[lang] in res.output, res.output
    chk = runner.invoke(app, ["--lang", lang, "check", str(hh), "--crs", "EPSG:4545", "--plan", str(out),
                              "--rules", str(rules), "--meeting-points", str(mout)])
    assert chk.exit_code == 0, chk.output
