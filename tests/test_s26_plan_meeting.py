"""Session 26: ``cover`` gives one mean walk everywhere (it rounded twice: 6.3354 became 6.335 then 6.33 on the
console, 6.34 in the report); ``check --plan`` on a plan table with a meeting-point column checks each unit against
the meeting point it gives (it checked every unit against its centre, saying none was given)."""

from __future__ import annotations

import dataclasses
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from yuanluo.gis.graph import TerrainGraph
from yuanluo.planners.cover import CoverPlan, site


@pytest.fixture(scope="module")
def village() -> tuple[gpd.GeoDataFrame, TerrainGraph]:
    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.synth import make_village

    v = make_village(300, seed=3)
    return v.households, build_graph(v.households, rivers=v.rivers, roads=v.roads)


def test_cover_console_and_report_give_the_mean_walk_rounded_once(
        village: tuple[gpd.GeoDataFrame, TerrainGraph]) -> None:
    """A mean walk of 6.3352 minutes is said once rounded, the same on the console and in the report (the console
    said 6.33: the summary rounded it to 6.335 first); to 0.1 minutes since session 41, as every table of walks."""
    from yuanluo.planners import console as C
    from yuanluo.planners.cli.cover import _summary_fields
    from yuanluo.planners.cover import _summary
    from yuanluo.planners.cover_report import render_cover_report

    hh, g = village
    plan = CoverPlan(per_level={"village": 1})
    res = site(hh, g, plan)
    layers = dict(res.layers)
    walked = layers["households"].copy()
    # 156 households at 6.34 and 144 at 6.33: mean 6.3352 exactly
    walked["walk_min"] = np.where(np.arange(len(walked)) < 156, 6.34, 6.33)
    walked["served"], walked["code"] = True, pd.array([None] * len(walked), dtype="string")
    layers["households"] = walked
    assert round(float(walked["walk_min"].mean()), 2) == 6.34
    summary = _summary(layers, res.sitings, plan, None)
    C.set_lang("zh")
    line = C.msg("cli.cover.done", **_summary_fields(summary))
    assert "平均步行 6.3 分钟" in line, line
    page = render_cover_report(dataclasses.replace(res, layers=layers, summary=summary), lang="zh")
    assert "（平均 6.3 分钟）" in page


def test_cover_hubs_layer_holds_each_points_mean_walk_unrounded(
        village: tuple[gpd.GeoDataFrame, TerrainGraph]) -> None:
    """The hubs layer's mean walk is the mean of its households' ``walk_min`` as it is, so the map and the report
    round it once (it was rounded to 0.01 first: a mean of 4.6488 was written 4.65, then shown as 4.7)."""
    from yuanluo.planners.cover_report import render_cover_report

    hh, g = village
    res = site(hh, g, CoverPlan(per_level={"village": 1}, mobile_within=3.0))
    walked, hubs = res.layers["households"], res.layers["hubs"]
    exact = walked.groupby("hub_id")["walk_min"].mean()
    got = hubs.set_index("hub_id")["mean_walk_min"]
    assert np.allclose(got.to_numpy(dtype=float), exact.reindex(got.index).to_numpy(dtype=float), rtol=0, atol=1e-9)
    page = render_cover_report(res, lang="zh", mobile_within=3.0)
    for hub, mean in exact.items():
        assert re.search(rf"<td[^>]*>{hub}</td>(?:(?!</tr>).)*<td[^>]* class=\"num\">{mean:.1f}</td>", page), hub


# --------------------------------------------------------------------------- check --plan: the plan's 议事点 column
@pytest.fixture(scope="module")
def small_result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A small synthetic village delineated under a walking limit, with its plan for Excel (``--xlsx``)."""
    from typer.testing import CliRunner

    from yuanluo.gis.synth import make_village
    from yuanluo.planners.cli import app

    d = tmp_path_factory.mktemp("s26plan")
    v = make_village(240, seed=5)
    src = d / "village.gpkg"
    v.households.reset_index().to_file(src, layer="households", driver="GPKG")
    for name in ("rivers", "roads"):
        getattr(v, name).to_file(src, layer=name, driver="GPKG")
    terrain = ["--rivers", f"{src}::rivers", "--roads", f"{src}::roads"]
    rules = d / "rules.toml"
    rules.write_text("[rules]\nmin_size = 15\nmax_size = 30\nmax_walk_min = 3\n", encoding="utf-8")
    out, xlsx = d / "out.gpkg", d / "方案.xlsx"
    r = CliRunner().invoke(app, ["delineate", f"{src}::households", *terrain, "--rules", str(rules), "-o", str(out),
                                 "--xlsx", str(xlsx), "-q"])
    assert r.exit_code == 0, r.output
    return {"dir": d, "terrain": terrain, "rules": rules, "out": out, "xlsx": xlsx}


def _check_json(res: dict, *extra: str, name: str) -> tuple[int, dict]:
    import json

    from typer.testing import CliRunner

    from yuanluo.planners.cli import app

    js = res["dir"] / f"{name}.json"
    r = CliRunner().invoke(app, ["check", str(res["out"]), *res["terrain"], "--rules", str(res["rules"]),
                                 *extra, "--json", str(js), "-q"])
    assert r.exit_code in (0, 1), r.output
    return r.exit_code, json.loads(js.read_text(encoding="utf-8"))


def _walks(rep: dict) -> dict[str, tuple]:
    return {u["unit_id"]: (u["status"], round(u["mean_walk_min"], 6), round(u["max_walk_min"], 6), tuple(u["codes"]))
            for u in rep["units"]}


def test_check_of_the_exported_plan_unchanged_measures_to_its_meeting_points(small_result: dict) -> None:
    """``check --plan 方案.xlsx`` on the plan ``delineate --xlsx`` wrote, unchanged, gives the same exceptions and
    walks as checking the result itself (it measured every unit to its centre, saying no meeting point was given,
    while the plan's 议事点 column gave one: 17 exceptions against 20 on real data)."""
    units = gpd.read_file(small_result["out"], layer="units")
    assert (units["status"] == "exception").any() and units["meeting_hid"].notna().all()
    code0, own = _check_json(small_result, name="own")
    code1, plan = _check_json(small_result, "--plan", str(small_result["xlsx"]), name="plan")
    assert code1 == code0
    assert _walks(plan) == _walks(own)
    assert plan["summary"]["n_units_exception"] == own["summary"]["n_units_exception"]
    assert sorted((v["code"], v["unit_id"]) for v in plan["violations"]) == \
        sorted((v["code"], v["unit_id"]) for v in own["violations"])
    said = " ".join(v["message_zh"] for v in plan["violations"])
    assert "未给本院落议事点" not in said and "PLAN-MEETING" not in said


def test_meeting_points_given_win_over_the_plans_column(small_result: dict) -> None:
    """``--meeting-points`` with ``--plan``: the file given is measured to, not the plan's column (a unit's point
    moved to its farthest household makes its walks longer)."""
    hh = gpd.read_file(small_result["out"], layer="households")
    units = gpd.read_file(small_result["out"], layer="units").sort_values("unit_id")
    unit = str(units["unit_id"].iloc[0])
    far = str(hh.loc[hh["unit_id"] == unit].sort_values(["meeting_walk_min", "hid"])["hid"].iloc[-1])
    meet = units[["unit_id", "meeting_hid"]].rename(columns={"unit_id": "院落编号", "meeting_hid": "户编号"})
    meet.loc[meet["院落编号"] == unit, "户编号"] = far
    path = small_result["dir"] / "meet.csv"
    meet.to_csv(path, index=False)
    _, plan = _check_json(small_result, "--plan", str(small_result["xlsx"]), name="plan2")
    _, given = _check_json(small_result, "--plan", str(small_result["xlsx"]), "--meeting-points", str(path),
                           name="given")
    a, b = _walks(plan), _walks(given)
    assert b[unit][2] > a[unit][2]
    assert {u: w for u, w in a.items() if u != unit} == {u: w for u, w in b.items() if u != unit}


def test_repair_of_the_exported_plan_keeps_its_meeting_points(small_result: dict) -> None:
    """``repair --plan 方案.xlsx`` shares the reading: the unchanged plan's units keep the meeting points its 议事点
    column gives (``--meeting-out``)."""
    from typer.testing import CliRunner

    from yuanluo.planners.cli import app

    d = small_result["dir"]
    fixed, meet = d / "fixed.csv", d / "meet_out.csv"
    r = CliRunner().invoke(app, ["repair", str(small_result["out"]), *small_result["terrain"], "--rules",
                                 str(small_result["rules"]), "--plan", str(small_result["xlsx"]), "-o", str(fixed),
                                 "--meeting-out", str(meet), "-q"])
    assert r.exit_code == 0, r.output
    units = gpd.read_file(small_result["out"], layer="units")
    wrote = pd.read_csv(meet, dtype=str)
    assert dict(zip(wrote.iloc[:, 0], wrote.iloc[:, 1], strict=True)) == \
        dict(zip(units["unit_id"], units["meeting_hid"], strict=True))
