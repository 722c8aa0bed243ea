"""Session 41, helper E2 (audit G §1): a given meeting point that breaks the walking limit is changed, not
"proven" impossible.

G typed U058's 议事点 as its farthest member (Andorra, max_walk_min 15): ``yuanluo repair`` held that point fixed,
said "精确模型证明：…无法同时满足全部规则" and exited 1 with the point kept in ``--meeting-out``, while the unit's
centre keeps everyone within the limit. Now a repair left failing PLAN-WALK-LIMIT in a unit whose given point it
held is made again with that point let go; it is taken when it passes (or leaves fewer errors), and a note names
the point given and the point now (``repair.note.meeting_walk``).

Fixture: a street of 12 households 90 m apart (EPSG:4545), one unit A (band 10–12, so no household can leave),
its meeting point given as the end household H00: H10 and H11 are over 10 minutes from it, none from H05.
"""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app


def _street(tmp_path):
    rows = ["户编号,东坐标,北坐标,村"] + [f"H{i:02d},{474000 + 90 * i},3297000,V1" for i in range(12)]
    plan = ["户编号,院落编号,议事点"] + [f"H{i:02d},A,{'H00' if i == 0 else ''}" for i in range(12)]
    hh, pl, rules = tmp_path / "hh.csv", tmp_path / "plan.csv", tmp_path / "r.toml"
    hh.write_text("\n".join(rows) + "\n", encoding="utf-8")
    pl.write_text("\n".join(plan) + "\n", encoding="utf-8")
    rules.write_text("[rules]\nmin_size = 10\nmax_size = 12\nrequire_head = false\nmax_walk_min = 10\n"
                     "nest_by = [\"village\"]\nkeep_settlements = false\n", encoding="utf-8")
    return hh, pl, rules


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_far_given_meeting_point_is_changed_not_proven_impossible(tmp_path, lang) -> None:
    """The plan as given fails PLAN-WALK-LIMIT (H00 is A's point); the repair passes with no household moved, A's
    meeting point now H05 in --meeting-out and in the plan's meeting-point column, the note naming both points;
    the files written pass ``check`` (the old code: exit 1, "the exact model proves …", H00 kept)."""
    hh, pl, rules = _street(tmp_path)
    runner = CliRunner()
    base = ["--lang", lang]
    chk = runner.invoke(app, [*base, "check", str(hh), "--crs", "EPSG:4545", "--plan", str(pl), "--rules", str(rules)],
                        env={"COLUMNS": "400"})
    assert chk.exit_code == 1 and "PLAN-WALK-LIMIT" in chk.output, chk.output
    out, mout, moves = tmp_path / f"fixed_{lang}.csv", tmp_path / f"meet_{lang}.csv", tmp_path / f"moves_{lang}.csv"
    res = runner.invoke(app, [*base, "repair", str(hh), "--crs", "EPSG:4545", "--plan", str(pl), "--rules", str(rules),
                              "-o", str(out), "--moves", str(moves), "--meeting-out", str(mout)],
                        env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    assert "精确模型证明" not in res.output and "exact model proves" not in res.output
    said = {"zh": "院落 A 保持给定的议事点 H00 时，修复无法让全部农户在步行 10 分钟内到达议事点；该院落的议事点改为 H05",
            "en": "with unit A's given meeting point H00 kept, the repair could not bring every household within 10 min"
                  " of it; the unit's meeting point is now H05"}
    assert said[lang] in res.output, res.output
    # the plan as given was wrong: not "nothing to repair"
    assert "无需修复" not in res.output and "already passes" not in res.output, res.output
    assert len(pd.read_csv(moves, dtype=str, encoding="utf-8-sig")) == 0
    mp = pd.read_csv(mout, dtype=str, encoding="utf-8-sig")
    assert dict(zip(mp.iloc[:, 0], mp.iloc[:, 1], strict=True)) == {"A": "H05"}
    plan = pd.read_csv(out, dtype=str, encoding="utf-8-sig")
    assert set(plan.iloc[:, 2]) == {"H05"}, plan
    again = runner.invoke(app, [*base, "check", str(hh), "--crs", "EPSG:4545", "--plan", str(out),
                                "--rules", str(rules)], env={"COLUMNS": "400"})
    assert again.exit_code == 0, again.output


def test_repair_plan_lets_the_far_given_point_go(tmp_path) -> None:
    """The API: repair_plan with the meeting point H00 given passes, hands on H05 and notes the change."""
    import geopandas as gpd
    from shapely import points

    from yuanluo.gis.graph import TerrainGraph
    from yuanluo.gis.repair import repair_plan
    from yuanluo.gis.rules import Rules

    ids = [f"H{i:02d}" for i in range(12)]
    xy = [[474000 + 90 * i, 3297000] for i in range(12)]
    hh = gpd.GeoDataFrame({"village": ["V1"] * 12}, geometry=points(xy), crs="EPSG:4545",
                          index=pd.Index(ids, name="hid"))
    g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(11)], crs="EPSG:4545")
    rules = Rules(10, 12, require_head=False, max_walk_min=10, keep_settlements=False)
    res = repair_plan(hh, pd.Series(["A"] * 12, index=ids), rules, g, meeting_points=pd.Series({"A": "H00"}))
    assert res.passed and len(res.moves) == 0, res
    assert res.meeting_points is not None and res.meeting_points.to_dict() == {"A": "H05"}
    assert [n[0] for n in res.notes] == ["repair.note.meeting_walk"], res.notes
    assert res.before is not None and not res.before.passed  # what was wrong: the plan with its given point
