"""Session 52 (helper R, second round): a proof the move budget bounds says the budget.

With ``max_moves``, the model with new units is asked for no more of them than the moves can fill (first round): each
new unit moves at least a floor's households. Its proof of no plan then covered fewer new units than before, and was
said so ("without opening a new unit", "with at most 1 unit added"): true, but weaker than what is proven, that no plan
within the budget keeps every rule, new units allowed. The reason now says the budget and what a new unit moves
(``repair.why.infeasible.budget``, ``repair.why.infeasible.new.budget``).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from yuanluo import build_graph
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules


def _street(sizes: tuple[int, ...]) -> tuple[gpd.GeoDataFrame, pd.Series]:
    """A street of households 60 m apart, one group, typed into units A, B, … of these sizes."""
    n = sum(sizes)
    hh = gpd.GeoDataFrame({"group": ["G1"] * n},
                          geometry=gpd.points_from_xy(500000 + 60.0 * np.arange(n), np.full(n, 3265000.0)),
                          index=pd.Index([f"H{i + 1:02d}" for i in range(n)], name="hid"), crs="EPSG:4545")
    labels = pd.Series([chr(65 + i) for i, s in enumerate(sizes) for _ in range(s)], index=hh.index, dtype=object)
    return hh, labels


def test_a_proof_with_one_new_unit_within_the_budget() -> None:
    """39 households in three units of 13, band 5-6: seven units are needed, four new ones. Within 6 moves one new
    unit can open (5 households at least), two cannot: the model with one is infeasible, and the reason says that
    no plan within the 6 moves keeps every rule (the old reason: only "with at most 1 unit added")."""
    hh, labels = _street((13, 13, 13))
    rules = Rules(5, 6, require_head=False, keep_settlements=False, nest_by=("group",))
    graph = build_graph(hh, max_walk_min=1.0)
    res = repair_plan(hh, labels, rules, graph, max_moves=6)
    assert not res.passed and res.moves.empty
    assert res.reason_lines("en")[1] == (
        "SIZE-HIGH (unit A): the exact model proves that no moves within the affected units and their neighbours "
        "(3 units) keep every rule within the move budget (--max-moves 6): none does with at most 1 unit added, and "
        "each new unit moves at least 5 households, so more of them would go over the budget")
    assert res.reason_lines("zh")[1] == (
        "SIZE-HIGH（院落 A）：精确模型证明：在移动户数上限（--max-moves 6）以内，只在有问题的院落及其相邻院落（3 个）内调整"
        "农户，无法同时满足全部规则：最多新建 1 个院落时无解，而每个新建院落至少要移动 5 户，再多新建就会超过上限")


def test_a_proof_with_no_new_unit_within_the_budget() -> None:
    """36 households in two units of 18, band 8-9: four units are needed. Within 7 moves no new unit opens (8
    households at least): no plan within the budget, said so (the old reason: "without opening a new unit")."""
    hh, labels = _street((18, 18))
    rules = Rules(8, 9, require_head=False, keep_settlements=False, nest_by=("group",))
    res = repair_plan(hh, labels, rules, build_graph(hh, max_walk_min=1.0), max_moves=7)
    assert not res.passed and res.moves.empty
    assert res.reason_lines("en")[1:] == [
        f"SIZE-HIGH (unit {u}): the exact model proves that no moves within the affected units and their neighbours "
        "(3 units) keep every rule within the move budget (--max-moves 7): none does without opening a new unit, and "
        "a new unit moves at least 8 households" for u in "AB"]
    assert res.reason_lines("zh")[1] == (
        "SIZE-HIGH（院落 A）：精确模型证明：在移动户数上限（--max-moves 7）以内，只在有问题的院落及其相邻院落（3 个）内调整"
        "农户，无法同时满足全部规则：不新建院落时无解，而新建一个院落至少要移动 8 户")
