"""Session 36 (helper GJ): repair proved impossible a fix that puts an island household in a unit of its own.

Audit s36: 乙镇/新华村 of a two-town Andorra roster, the delineation's own plan with household 000193 (its
1-household island unit U013, cut off by a river) typed into U011. ``yuanluo repair`` moved nothing and said "the
exact model proves that no moves … keep every rule, new units allowed", while moving 000193 back into a unit of
its own passes the check (SIZE-EXCEPTION). Two things made that "proof":

* the exact model held the unit holding most of an island (U011) to the island alone: its other households had
  to leave it, and the island could not be a new unit of its own (new units were held to the band);
* the first contiguity rows (every household of a unit has a neighbour in it) were written for the island's
  unit too: an island of one household has none, so even that plan was infeasible.

Now the island's unit has no such row, and a unit holding an island with other households is solved both ways
(the unit kept to the island, or the island a new unit of its own, excused as the check excuses it); the fewer
moves are taken, and no plan is a proof only when neither way has one.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from paths import ANDORRA_DIR
from typer.testing import CliRunner

from yuanluo import build_graph
from yuanluo.gis.check import check_plan
from yuanluo.gis.repair import RepairResult, repair_plan
from yuanluo.gis.rules import Rules
from yuanluo.planners.cli import app
from yuanluo.planners.tables import moves_table

ENV = {"COLUMNS": "400"}
ANDORRA = ANDORRA_DIR


def _street(labels: list[str], far: list[str]) -> tuple[gpd.GeoDataFrame, pd.Series]:
    """Households 60 m apart along a street (``labels``), then ``far`` ones 20 km away (an island: no link reaches
    them), each with the unit the plan types it into."""
    xs = [500000 + 60 * (k + 1) for k in range(len(labels))] + [520000 + 60 * k for k in range(len(far))]
    ys = [3265000 + (15 if (k + 1) % 2 else 0) for k in range(len(labels))] + [3265000] * len(far)
    hid = [f"H{k + 1:03d}" for k in range(len(xs))]
    hh = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, ys), index=pd.Index(hid, name="hid"), crs="EPSG:4545")
    return hh, pd.Series(labels + far, index=hh.index)


def _repair(labels: list[str], far: list[str], walk: float | None = None) -> tuple[RepairResult, gpd.GeoDataFrame,
                                                                                   Rules]:
    hh, plan = _street(labels, far)
    rules = Rules(4, 6, require_head=False, keep_settlements=False, nest_by=(), max_walk_min=walk)
    g = build_graph(hh, max_walk_min=1.0)
    assert not check_plan(hh, plan, rules, graph=g).passed
    return repair_plan(hh, plan, rules, g), hh, rules


@pytest.mark.parametrize("walk", [None, 3.0])
def test_an_island_typed_into_a_unit_becomes_a_unit_of_its_own(walk: float | None) -> None:
    """5|5 in 4–6 and a far household typed into U1: one move (it alone into U1-2, excused by the check), solved
    exactly; the old model said no plan kept the rules (with new units) and moved nothing."""
    res, hh, rules = _repair(["U1"] * 5 + ["U2"] * 5, ["U1"], walk)
    assert res.passed and res.method == "exact" and res.exact_status == "optimal"
    assert res.moves.values.tolist() == [["H011", "U1", "U1-2", "island"]]
    after = check_plan(hh, res.labels, rules, graph=build_graph(hh, max_walk_min=1.0))
    assert after.passed
    assert after.violations[["code", "unit_id"]].values.tolist() == [["SIZE-EXCEPTION", "U1-2"]]
    assert res.note_texts("en") == ["new unit U1-2 (1 household): 1 household from U1"]
    assert res.note_texts("zh") == ["新建院落 U1-2（1 户）：原 U1 的 1 户"]
    en = moves_table(res.moves, "en")["Reason"].tolist()
    zh = moves_table(res.moves, "zh")["原因"].tolist()
    assert en == ["cut off from its unit (by a river, a ridge or distance) with no unit it can join: a unit of its own, "
                  "an exception"]
    assert zh == ["与本院落不相连（被河流、山脊或距离隔开），附近没有可并入的院落，单独成为一个例外院落"]


def test_an_island_of_two_leaves_a_unit_too_large() -> None:
    """5|7 in 4–6 with an island of two typed into U2 (U2 also above the ceiling as typed): the island alone is
    one unit (2 moves) and U2 is within the band again."""
    res, _, _ = _repair(["U1"] * 5 + ["U2"] * 5, ["U2", "U2"])
    assert res.passed and res.method == "exact"
    assert res.moves[["hid", "to_unit", "reason"]].values.tolist() == [["H011", "U2-2", "island"],
                                                                      ["H012", "U2-2", "island"]]


def test_a_unit_left_short_takes_one_more() -> None:
    """3|5 in 4–6 with an island of two typed into U1 (5 as typed, 3 without the island): the island alone (2) and
    one household of U2 into U1 (1), 3 moves; keeping the island in U1 would move U1's 3 others and one more."""
    res, _, _ = _repair(["U1"] * 3 + ["U2"] * 5, ["U1", "U1"])
    assert res.passed and res.method == "exact" and len(res.moves) == 3
    assert sorted(res.moves[res.moves["reason"] == "island"]["hid"]) == ["H009", "H010"]


def test_an_island_unit_of_one_keeps_its_household() -> None:
    """The island's own unit U3 (one household) given a household of U1: the unit kept to the island and that
    household back beside U1, 1 move. The old model's neighbour row left an island of one no plan in its unit."""
    res, hh, rules = _repair(["U1"] * 4 + ["U3"] + ["U2"] * 5, ["U3"])
    assert res.passed and res.exact_status == "optimal" and len(res.moves) == 1
    assert res.moves["hid"].tolist() == ["H005"] and "U3" in set(res.labels)
    assert res.labels["H011"] == "U3"


# 乙镇/新华村 of the audit's roster: id (after 000), longitude, latitude, villager group (一组 or 二组)
XH = """169 1.495884 42.5627066 一 170 1.4959028 42.5621112 一 171 1.4968784 42.561906 二 172 1.4966098 42.5618192 二
173 1.4961886 42.5620139 一 174 1.4964936 42.5619641 二 175 1.4966914 42.5616998 二 176 1.4993176 42.5618317 二
177 1.4965426 42.5624303 二 178 1.4962709 42.5621247 一 179 1.4965847 42.5610109 二 180 1.4969841 42.5621404 二
181 1.497172 42.5617776 二 182 1.4977872 42.5616012 二 183 1.4988695 42.5614348 二 184 1.4963925 42.562015 一
185 1.499341 42.5617765 二 186 1.4964515 42.5618516 一 187 1.4957089 42.5623648 一 188 1.5000217 42.5619779 二
189 1.4971808 42.562137 二 190 1.500641 42.5622605 二 191 1.4976169 42.5618017 二 192 1.5008588 42.5622994 二
193 1.4957118 42.5617479 一 194 1.4947373 42.5640596 一 195 1.4956893 42.5637278 一 196 1.494455 42.5641546 一
197 1.4950863 42.5639241 一 198 1.4932935 42.5642339 一 199 1.4955578 42.5637516 一 200 1.4931635 42.5642821 一
201 1.4931536 42.5645277 一 202 1.4990014 42.5610797 二 203 1.4932688 42.5644134 一"""


@pytest.mark.skipif(not (ANDORRA / "andorra.gpkg").exists(), reason="the Andorra data is not on this machine")
def test_the_audited_andorra_slip(tmp_path: Path) -> None:
    """The audit's command: 000193 (across the river from the rest of 一组) typed into U011 (the 16 others of 一组;
    U012 the 18 of 二组). Repaired with 1 move, 000193 into U011-2, and the check of the output passes with U011-2
    excused (SIZE-EXCEPTION); it exited 1 with 0 moves and "精确模型证明…即使新建院落…也无法同时满足全部规则"."""
    cells = XH.split()
    rows = [cells[i:i + 4] for i in range(0, len(cells), 4)]
    hh = tmp_path / "xh.csv"
    hh.write_text("户编号,经度,纬度,人口,乡镇,行政村,村民小组\n" + "".join(
        f"000{h},{x},{y},3,乙镇,新华村,{g}组\n" for h, x, y, g in rows), encoding="utf-8")
    plan = tmp_path / "plan.csv"
    plan.write_text("户编号,院落编号\n" + "".join(f"000{h},{'U011' if g == '一' else 'U012'}\n" for h, _, _, g in rows),
                    encoding="utf-8")
    layers = ["--crs", "EPSG:4326", "--preset", "changshou", "--dem", str(ANDORRA / "dem_30m_utm31n.tif"),
              "--rivers", f"{ANDORRA / 'andorra.gpkg'}::waterways", "--roads", f"{ANDORRA / 'andorra.gpkg'}::roads"]
    runner = CliRunner()
    fixed, moves = tmp_path / "fixed.csv", tmp_path / "moves.csv"
    res = runner.invoke(app, ["repair", str(hh), "--plan", str(plan), *layers, "-o", str(fixed), "--moves",
                              str(moves)], env=ENV)
    assert res.exit_code == 0, res.output
    assert "修复后通过：调整 1 户" in res.output and "证明" not in res.output
    m = pd.read_csv(moves, dtype=str, encoding="utf-8-sig")
    assert m.values.tolist() == [["000193", "U011", "U011-2",
                                  "与本院落不相连（被河流、山脊或距离隔开），附近没有可并入的院落，单独成为一个例外院落"]]
    chk = runner.invoke(app, ["--lang", "en", "check", str(hh), "--plan", str(fixed), *layers], env=ENV)
    assert chk.exit_code == 0, chk.output
    assert "SIZE-EXCEPTION" in chk.output and "PASSED" in chk.output
