"""``repair`` keeps the planner's meeting point (议事点) of a unit when the repair brings that household back into
the unit.

A plan table (delineate's ``--xlsx`` plan saved as CSV) whose meeting-point household of a unit was typed into
another unit names, on the unit's other rows, a household that is not the unit's in the plan as given: the
plan's column names none of its own (``PLAN-MEET-COLUMN``), and the repair walked the unit to its centre. When the
repair then moved the household back, the repaired plan still wrote the centre as the unit's 议事点, the hall the
planner chose silently replaced (the Andorra sample: AD0940, U049's point, typed into a new unit with two others;
repaired back into U049 with 议事点 AD0942; session 60, helper A, finding J). The repair now makes the household
the plan's column named the unit's point again where it is back in the unit (with the walking limit checked
against it), and says nothing of a replaced point; it chooses another only where the named one stays out.

Fixture: test_repair's grid of households 50 m apart, U0 = columns 0-3 and U1 = columns 4-7 (20 each, band
20-20); U0's meeting point h0002 (a corner, not its centre) typed into U1, which it is cut off from: the one
repair is to move it back."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from test_repair import grid
from typer.testing import CliRunner

from yuanluo.planners.cli.app import app

CRS = "EPSG:32631"


def _repair(tmp: Path, walk: bool, lang: str, typed: dict[str, str]) -> tuple[str, pd.DataFrame, pd.DataFrame]:
    hh, _, ii, _ = grid(8, 5)
    plan = pd.Series([f"U{c}" for c in ii // 4], index=hh.index)
    meet = plan.map({"U0": "h0002", "U1": "h0502"})  # each row names its unit's point, as the xlsx plan writes
    for h, u in typed.items():  # a household retyped in the spreadsheet keeps its old 议事点 cell
        plan[h] = u
    geo = gpd.GeoSeries(hh.geometry, crs=CRS).to_crs(4326)
    src, plan_csv, rules = tmp / "hh.csv", tmp / "plan.csv", tmp / "r.toml"
    pd.DataFrame({"户编号": hh.index, "经度": geo.x.round(7).to_numpy(), "纬度": geo.y.round(7).to_numpy()}).to_csv(
        src, index=False)
    pd.DataFrame({"户编号": plan.index, "院落编号": plan.to_numpy(), "议事点": meet.to_numpy()}).to_csv(
        plan_csv, index=False, encoding="utf-8-sig")
    rules.write_text("[rules]\nmin_size = 20\nmax_size = 20\n" + ("max_walk_min = 15\n" if walk else ""),
                     encoding="utf-8")
    out_csv, meet_csv = tmp / f"fixed_{lang}_{walk}.csv", tmp / f"meet_{lang}_{walk}.csv"
    res = CliRunner().invoke(app, ["repair", str(src), "--crs", "EPSG:4326", "--plan", str(plan_csv), "--rules",
                                   str(rules), "--max-edge-walk", "1", "-o", str(out_csv), "--meeting-out",
                                   str(meet_csv), "--overwrite", "--lang", lang])
    assert res.exit_code == 0, res.output
    return (" ".join(res.output.split()), pd.read_csv(out_csv, dtype=str, encoding="utf-8-sig"),
            pd.read_csv(meet_csv, dtype=str, encoding="utf-8-sig"))


@pytest.mark.parametrize(("walk", "lang"), [(True, "zh"), (True, "en"), (False, "en")])
def test_the_plans_meeting_point_moved_back_is_the_units_point(tmp_path: Path, walk: bool, lang: str) -> None:
    said, fixed, meet = _repair(tmp_path, walk, lang, {"h0002": "U1"})
    u0 = fixed[fixed.iloc[:, 1] == "U0"]
    assert len(u0) == 20 and "h0002" in set(u0.iloc[:, 0]), fixed
    assert set(u0["议事点" if lang == "zh" else "Meeting point"]) == {"h0002"}, u0
    assert dict(zip(meet.iloc[:, 0], meet.iloc[:, 1], strict=True)) == {"U0": "h0002", "U1": "h0502"}, meet
    assert not any(w in said for w in ("该院落的议事点为", "its meeting point is", "needs another of its own")), said
