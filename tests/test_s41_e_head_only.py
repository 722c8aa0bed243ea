"""A repair move that gives a unit back its only candidate head says so (session 41, helper E, issue 13).

A street of 11 households 60 m apart (``yuanluo.gis.synth_streets``), U1 = H001–H005, U2 = H006–H011, band 4–6,
every unit needing a head candidate; U1's only candidate H005 typed into U2: U1 has 4 households and no candidate
(PLAN-NO-HEAD), U2 has 7 (SIZE-HIGH). The repair moves H005 back, the fewest moves (1), and listed it as
"moved to relieve a unit with too many households" only: the planner was not told that H005 is the only candidate
U1 has, so that moving the size elsewhere would leave U1 without one.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo import build_graph, repair_plan
from yuanluo.gis.rules import Rules
from yuanluo.gis.synth_streets import street_households, street_plan
from yuanluo.planners.cli.app import app
from yuanluo.planners.tables import moves_table


def _street() -> tuple[gpd.GeoDataFrame, pd.Series]:
    hh = street_households(11, [])
    hh["head_candidate"] = [k in (4, 5) for k in range(11)]  # H005 (U1's only one) and H006 (U2's)
    return hh, pd.Series(street_plan([5, 6], [], [(4, "U2")]), index=hh.index, dtype=object)


def test_the_move_giving_back_a_units_only_candidate_says_so() -> None:
    hh, plan = _street()
    res = repair_plan(hh, plan, Rules(4, 6, require_head=True, keep_settlements=False), build_graph(hh, max_walk_min=1.0))
    assert res.passed and res.method == "exact"
    assert res.moves[["hid", "from_unit", "to_unit", "reason"]].values.tolist() == [["H005", "U2", "U1", "head-only"]]


def test_a_size_move_of_a_household_that_is_not_the_only_candidate_keeps_its_size_reason() -> None:
    """The same slip with H004 a candidate of U1 too: H005 is not U1's only candidate, so its size reason stands."""
    hh, plan = _street()
    hh["head_candidate"] = [k in (3, 4, 5) for k in range(11)]
    res = repair_plan(hh, plan, Rules(4, 6, require_head=True, keep_settlements=False), build_graph(hh, max_walk_min=1.0))
    assert res.passed and res.moves["reason"].tolist() == ["size-high"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_yuanluo_repair_lists_the_only_candidate_in_the_moves_table(tmp_path, lang: str) -> None:
    """As a planner meets it: ``yuanluo repair hh.csv --plan plan.csv --rules rules.toml --moves moves.csv``."""
    hh, plan = _street()
    geo = hh.geometry.to_crs(4326)
    pd.DataFrame({"户编号": hh.index, "经度": geo.x.round(8).to_numpy(), "纬度": geo.y.round(8).to_numpy(),
                  "院落长候选": ["是" if x else "否" for x in hh["head_candidate"]]}).to_csv(
        tmp_path / "hh.csv", index=False, encoding="utf-8-sig")
    pd.DataFrame({"户编号": plan.index, "院落编号": plan.to_numpy()}).to_csv(tmp_path / "plan.csv", index=False,
                                                                       encoding="utf-8-sig")
    (tmp_path / "rules.toml").write_text("[rules]\nmin_size = 4\nmax_size = 6\nrequire_head = true\n"
                                         "keep_settlements = false\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["--lang", lang, "repair", str(tmp_path / "hh.csv"), "--crs", "EPSG:4326",
                                   "--plan", str(tmp_path / "plan.csv"), "--rules", str(tmp_path / "rules.toml"),
                                   "--max-edge-walk", "1", "-o", str(tmp_path / "fixed.csv"),
                                   "--moves", str(tmp_path / "moves.csv")], env={"COLUMNS": "400"})
    assert out.exit_code == 0, out.output
    moves = pd.read_csv(tmp_path / "moves.csv", dtype=str, encoding="utf-8-sig")
    assert len(moves) == 1 and moves.iloc[0, 0] == "H005"
    said = moves.iloc[0, -1]
    assert said == moves_table(pd.DataFrame({"hid": ["H005"], "from_unit": ["U2"], "to_unit": ["U1"],
                                             "reason": ["head-only"]}), lang).iloc[0, -1]
    assert ("唯一的院落长候选人" in said) if lang == "zh" else ("only head candidate" in said)
