"""Files a planner opens as-is: the Excel plan of ``delineate --xlsx``, Chinese headers of the repair and check
tables, and every command reading Yuanluo's own result without ``--layer``."""

from __future__ import annotations

import csv
import hashlib
import io
import os
from pathlib import Path
from typing import Any

import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio
import pytest
from typer.testing import CliRunner

from yuanluo.gis.synth import make_village
from yuanluo.planners.cli import app
from yuanluo.planners.tables import check_tables, moves_table, plan_xlsx

runner = CliRunner()
RULE = ["--min", "15", "--max", "30"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small delineation result written by the command line (with its Excel plan)."""
    d = tmp_path_factory.mktemp("result")
    make_village(40, seed=3).households.to_file(d / "village.gpkg", layer="households")
    res = runner.invoke(app, ["delineate", str(d / "village.gpkg"), *RULE, "-o", str(d / "result.gpkg"),
                              "--xlsx", str(d / "plan.xlsx"), "-q"], env={"SOURCE_DATE_EPOCH": "1767225600"})
    assert res.exit_code == 0, res.output
    return d


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def test_xlsx_plan_has_chinese_headers_and_one_row_per_household(demo: Path) -> None:
    wb = openpyxl.load_workbook(demo / "plan.xlsx")
    assert wb.sheetnames == ["院落方案", "院落汇总", "说明", "规则"]  # 说明: the note on the declared exceptions
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0][:7]) == ["户编号", "院落编号", "院落户数", "议事点", "步行分钟（到议事点）", "状态", "原因"]
    hh = gpd.read_file(demo / "result.gpkg", layer="households")
    assert sorted(r[0] for r in rows[1:]) == sorted(hh["hid"])
    units = gpd.read_file(demo / "result.gpkg", layer="units").set_index("unit_id")
    for _hid, uid, n, meet, walk, status, _ in (r[:7] for r in rows[1:]):
        assert n == units.loc[uid, "n_households"] and meet == units.loc[uid, "meeting_hid"]
        assert status == {"ok": "符合规定", "exception": "例外"}[units.loc[uid, "status"]]
        assert walk is None or 0 <= walk <= units.loc[uid, "max_walk_min"] + 0.05
    assert [r[0] for r in wb.worksheets[1].iter_rows(values_only=True)][1:] == sorted(units.index)


def test_household_walks_agree_with_the_unit_means(demo: Path) -> None:
    hh = gpd.read_file(demo / "result.gpkg", layer="households")
    units = gpd.read_file(demo / "result.gpkg", layer="units").set_index("unit_id")
    mean = hh.groupby("unit_id")["meeting_walk_min"].mean()
    assert (mean - units["mean_walk_min"].reindex(mean.index)).abs().max() < 0.01
    meet = hh[hh["hid"].isin(units["meeting_hid"])]
    assert (meet["meeting_walk_min"] == 0).all()


def test_xlsx_same_bytes_english_and_no_formula(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    layers = {name: gpd.read_file(demo / "result.gpkg", layer=name) for name in ("households", "units", "run")}
    data = plan_xlsx(layers)  # the rules sheet from the result's run table, as delineate gave them
    assert hashlib.sha256(data).digest() == hashlib.sha256((demo / "plan.xlsx").read_bytes()).digest()
    layers["households"].loc[0, "hid"] = "=HYPERLINK(1)"
    wb = openpyxl.load_workbook(io.BytesIO(plan_xlsx(layers, "en")))
    cells = {c.value: c for c in wb.worksheets[0]["A"]}
    assert next(iter(cells)) == "Household ID"  # a text cell as it is: never computed, no ' shown before it
    assert "=HYPERLINK(1)" in cells and cells["=HYPERLINK(1)"].data_type == "s"
    assert wb.worksheets[0]["F1"].value == "Status" and wb.sheetnames == ["Plan", "Units", "Notes", "Rules"]


def test_moves_reasons_in_words() -> None:
    m = pd.DataFrame({"hid": ["H1", "H2"], "from_unit": ["U1", None], "to_unit": ["U2", "U3"],
                      "reason": ["split", "unassigned"]})
    zh = moves_table(m)
    assert list(zh.columns) == ["户编号", "原院落", "新院落", "原因"]
    assert zh["原因"].tolist() == ["院落过大，拆分为两个院落", "原未分配院落，归入相邻院落"]


def test_repair_and_check_read_the_result_without_layer_and_write_chinese_tables(demo: Path) -> None:
    # without the settlement rule: the one move that fills U002 would split the settlement S0001, and a repair
    # that only trades one error for another keeps the plan as given
    rules = demo / "band20-25.toml"
    rules.write_text("[rules]\nmin_size = 20\nmax_size = 25\nkeep_settlements = false\n", encoding="utf-8")
    res = runner.invoke(app, ["repair", str(demo / "result.gpkg"), "--rules", str(rules),
                              "-o", str(demo / "repaired.csv"), "--moves", str(demo / "moves.csv"), "-q"])
    assert res.exit_code in (0, 1), res.output
    assert _rows(demo / "repaired.csv")[0] == ["户编号", "院落编号", "议事点"]  # the result's own meeting points
    moves = _rows(demo / "moves.csv")
    assert moves[0] == ["户编号", "原院落", "新院落", "原因"]
    assert len(moves) > 1 and all(r[3] == "补足户数不足的院落（沿相邻院落依次调整）" for r in moves[1:])
    res = runner.invoke(app, ["check", str(demo / "result.gpkg"), "--min", "20", "--max", "25",
                              "--csv", str(demo / "check.csv"), "-q"])
    assert res.exit_code == 1, res.output                       # the other band has violations
    v = _rows(demo / "check.csv")
    assert v[0][:4] == ["代码", "院落编号", "涉及户编号", "级别"] and {r[3] for r in v[1:]} <= {"错误", "警告"}
    assert _rows(demo / "check_units.csv")[0][:2] == ["院落编号", "院落户数"]


def test_check_tables_in_english() -> None:
    v = pd.DataFrame({"code": ["SIZE-LOW"], "unit_id": ["U1"], "severity": ["warning"], "message_zh": ["太小"],
                      "message_en": ["too small"]})
    ve, ue = check_tables(v, pd.DataFrame({"unit_id": ["U1"], "status": ["violation"]}), "en")
    assert ve.to_dict("records") == [{"Code": "SIZE-LOW", "Unit ID": "U1", "Severity": "warning",
                                      "Message": "too small"}]
    assert ue.to_dict("records") == [{"Unit ID": "U1", "Status": "violation"}]


@pytest.mark.parametrize("args", [
    ["validate", "{r}"],
    ["map", "{r}", "-o", "{d}/m.html"],
    ["cover", "{r}", "--hubs", "1", "-o", "{d}/cover.gpkg"],
    ["maturity", "template", "{r}", "-o", "{d}/t.xlsx"],
])
def test_commands_find_the_result_layers_without_layer(demo: Path, args: list[str]) -> None:
    argv = [a.format(r=demo / "result.gpkg", d=demo) for a in args]
    res = runner.invoke(app, [*argv, "-q", "--overwrite"] if args[0] != "validate" else [*argv, "-q"])
    assert res.exit_code == 0, res.output


def test_a_plain_multi_layer_file_still_needs_layer(demo: Path) -> None:
    other = demo / "other.gpkg"
    for name in ("households", "units"):
        pyogrio.write_dataframe(gpd.read_file(demo / "result.gpkg", layer=name), other, layer=name)
    res = runner.invoke(app, ["validate", str(other), "-q"])
    assert res.exit_code == 2 and "IO-LAYER" in res.output


def test_a_result_brings_its_households_plan_and_meeting_points(demo: Path) -> None:
    from yuanluo.planners import workflows as W

    inputs = W.load_inputs(demo / "result.gpkg")
    assert inputs.result and len(inputs.households) == 40
    units = gpd.read_file(demo / "result.gpkg", layer="units")
    assert W.result_meeting_points(inputs).to_dict() == dict(zip(units["unit_id"], units["meeting_hid"], strict=True))
    labels, _ = W.read_plan(inputs)
    assert labels.sort_index().tolist() == inputs.households["unit_id"].sort_index().tolist()
    by_polygons, _ = W.read_plan(inputs, units=str(demo / "result.gpkg"))      # its units layer, without ::units
    assert set(by_polygons.dropna().unique()) <= set(units["unit_id"])


def test_xlsx_must_be_an_xlsx(demo: Path) -> None:
    res = runner.invoke(app, ["delineate", str(demo / "village.gpkg"), *RULE, "-o", str(demo / "again.gpkg"),
                              "--xlsx", str(demo / "plan.csv"), "-q"])
    assert res.exit_code == 2 and "OUT-SUFFIX" in res.output
    assert not (demo / "again.gpkg").exists() and not (demo / "plan.csv").exists()


@pytest.fixture(scope="module")
def terrain_result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A result delineated over a DEM, rivers and roads, from its folder with relative paths, with a neighbour
    walk limit other than the default."""
    d = tmp_path_factory.mktemp("terrain")
    make_village(150, seed=3).write(d)
    here = Path.cwd()
    os.chdir(d)
    try:
        res = runner.invoke(app, ["delineate", "households.gpkg", "--dem", "dem.tif", "--rivers",
                                  "context.gpkg::rivers", "--roads", "context.gpkg::roads", *RULE,
                                  "--max-edge-walk", "12", "-o", "result.gpkg", "-q"])
    finally:
        os.chdir(here)
    assert res.exit_code == 0, res.output
    return d


def _edges(g: Any) -> set[tuple[str, ...]]:
    """The neighbour pairs of a terrain graph, by household id, with their walking minutes."""
    return {(*sorted((str(g.ids[a]), str(g.ids[b]))), f"{w:.6f}") for a, b, w in zip(g.u, g.v, g.walk_min,
                                                                                    strict=True)}


def test_a_result_walks_over_its_own_rivers_and_roads(terrain_result: Path) -> None:
    """A command on a result's households, without --rivers, --roads or --dem, walks over the layers the result
    carries and the DEM it was delineated over (found beside it, unchanged): the neighbours are those of its
    delineation's terrain, rivers and roads, not straight lines."""
    from yuanluo.planners import workflows as W

    d = terrain_result
    own = W.load_inputs(d / "result.gpkg", max_edge_walk=12)
    assert own.rivers is not None and own.roads is not None and own.water is None
    given = W.load_inputs(d / "households.gpkg", rivers=f"{d / 'context.gpkg'}::rivers",
                          roads=f"{d / 'context.gpkg'}::roads", dem=d / "dem.tif", max_edge_walk=12)
    plain = W.load_inputs(d / "households.gpkg", max_edge_walk=12)
    g_own, g_given = (W.build_graph(i, max_walk_min=12) for i in (own, given))
    assert _edges(g_own) == _edges(g_given)
    assert _edges(g_own) != _edges(W.build_graph(plain, max_walk_min=12))   # the rivers cut some neighbours
    (ctx,) = [p for p in own.warnings if p.code == "RESULT-CONTEXT"]
    assert ctx.message("zh").count("--rivers、--roads") == 2 and "河流、道路图层" in ctx.message("zh")
    assert "its own rivers, roads layers" in ctx.message("en")
    validated = W.load_inputs(d / "result.gpkg")             # validate walks nowhere: households only
    assert validated.rivers is None and not [p for p in validated.warnings if p.code.startswith("RESULT-")]


def test_a_result_checked_without_its_dem_or_edge_limit_says_which_to_add(terrain_result: Path,
                                                                            tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from yuanluo.planners import workflows as W

    d = terrain_result
    run = pyogrio.read_dataframe(d / "result.gpkg", layer="run", read_geometry=False)
    rec = dict(zip(run["key"], run["value"], strict=True))
    assert rec["inputs.dem.path"] == "dem.tif" and rec["inputs.rivers.layer"] == "rivers"
    monkeypatch.chdir(tmp_path)                     # elsewhere: the DEM is found beside the result, unchanged
    own = W.load_inputs(d / "result.gpkg", max_edge_walk=10)
    warned = {p.code: p for p in own.warnings}
    assert own.terrain is not None and own.paths["dem"] == d / "dem.tif" and "RESULT-DEM" not in warned
    assert warned["RESULT-DEM-OWN"].message("zh").startswith(
        f"警告 RESULT-DEM-OWN：文件 {d / 'result.gpkg'} 是院落划分结果；本次没有给出 --dem，用的是划分时所用的高程 "
        f"{d / 'dem.tif'}（文件与划分时相同）")
    assert warned["RESULT-EDGE"].fix("en") == "to run with the delineation's limit, add --max-edge-walk 12."
    res = runner.invoke(app, ["check", str(d / "result.gpkg"), *RULE])
    flat = "".join(res.output.split())
    assert res.exit_code == 0 and "RESULT-DEM-OWN" in flat and "RESULT-EDGE" in flat, res.output
    assert "邻接依据：地形（高程与河流、水面）" in flat
    res = runner.invoke(app, ["check", str(d / "result.gpkg"), *RULE, "--dem", str(d / "dem.tif"),
                              "--max-edge-walk", "12"])
    flat = "".join(res.output.split())
    assert res.exit_code == 0 and "RESULT-DEM" not in flat and "RESULT-EDGE" not in flat, res.output
    assert "邻接依据：地形（高程与河流、水面）" in flat
    (tmp_path / "moved.gpkg").write_bytes((d / "result.gpkg").read_bytes())
    res = runner.invoke(app, ["check", str(tmp_path / "moved.gpkg"), *RULE])    # its DEM not found: flat ground
    flat = "".join(res.output.split())
    assert res.exit_code == 0 and "RESULT-DEM" in flat and "RESULT-DEM-OWN" not in flat, res.output
    assert "邻接依据：河流、水面阻隔，平地步行（未给高程）" in flat
    (w,) = [p for p in W.load_inputs(tmp_path / "moved.gpkg", max_edge_walk=12).warnings if p.code == "RESULT-DEM"]
    assert w.fix("en") == ("to run over the delineation's terrain, add --dem followed by where the delineation's "
                           "elevation file is now (its recorded path dem.tif is not found here).")
    assert w.fix("zh") == "按划分时的地形运行：加上 --dem 和划分时所用高程文件现在的位置（记录的路径 dem.tif 在这里找不到）。"
    (tmp_path / "dem.tif").write_bytes((d / "dem.tif").read_bytes() + b"\0")       # beside it, but not the same
    changed = W.load_inputs(tmp_path / "moved.gpkg", max_edge_walk=12)
    (w,) = [p for p in changed.warnings if p.code == "RESULT-DEM"]
    assert w.fix("zh") == "按划分时的地形运行：加上 --dem dem.tif（注意：这个文件在划分之后改动过，结果可能与划分时不同）。"
    assert changed.terrain is None                                                  # a changed DEM is not taken


def test_the_editor_says_what_it_judges_neighbours_on(terrain_result: Path, tmp_path: Path) -> None:
    """The editor of a result walks over its rivers and roads and says so: without --dem, on flat ground with
    the rivers cutting the walk; with it, over the terrain. The console shows the input warnings."""
    d = terrain_result
    moved = tmp_path / "moved.gpkg"  # away from its DEM
    moved.write_bytes((d / "result.gpkg").read_bytes())
    for result, extra, kind in ((moved, [], "rivers_only"), (d / "result.gpkg", ["--max-edge-walk", "12"], "terrain")):
        page = tmp_path / f"{kind}.html"
        res = runner.invoke(app, ["edit", str(result), *RULE, *extra, "-o", str(page)])
        assert res.exit_code == 0, res.output
        assert f'"graph_kind":"{kind}"' in page.read_text(encoding="utf-8").replace(": ", ":")
        flat = "".join(res.output.split())
        assert ("RESULT-DEM" in flat and "RESULT-DEM-OWN" not in flat) == (kind == "rivers_only"), res.output


def test_a_delineation_plan_splitting_settlements_points_to_its_result(tmp_path: Path) -> None:
    """The --xlsx plan of a delineation that had to split settlements, checked against the household file,
    fails on those splits (only the result declares them) and says to check against the result, which passes
    with as many exception units as the delineation counted (a declared split makes no unit an exception)."""
    make_village(400, seed=4).write(tmp_path)
    hh, dem = str(tmp_path / "households.gpkg"), ["--dem", str(tmp_path / "dem.tif")]
    res = runner.invoke(app, ["delineate", hh, *dem, "--preset", "changshou", "-o", str(tmp_path / "r.gpkg"),
                              "--xlsx", str(tmp_path / "r.xlsx"), "-q"])
    assert res.exit_code == 0, res.output
    run = pyogrio.read_dataframe(tmp_path / "r.gpkg", layer="run", read_geometry=False)
    rec = dict(zip(run["key"], run["value"], strict=True))
    res = runner.invoke(app, ["check", hh, "--plan", str(tmp_path / "r.xlsx"), *dem, "--preset", "changshou"])
    flat = "".join(res.output.split())
    assert res.exit_code == 1 and "PLAN-SETTLEMENT-SPLIT" in flat, res.output
    assert "若这是划分时就无法保持完整、由划分结果列明的（SETTLEMENT-SPLIT），那只记在划分结果文件里" in flat
    assert f"yuanluocheck划分结果.gpkg--plan{tmp_path / 'r.xlsx'}" in flat
    res = runner.invoke(app, ["check", str(tmp_path / "r.gpkg"), *dem, "--preset", "changshou"])
    flat = "".join(res.output.split())
    assert res.exit_code == 0 and f"（其中{rec['params.counts.exception_units']}个为例外）" in flat, res.output
    assert "DECLARED-EXCEPTION" in flat   # the splits, declared


def test_a_settlement_it_found_itself_and_split_is_recorded_in_the_result(tmp_path: Path) -> None:
    """No settlement column: the delineator finds settlements itself (households a short walk apart). Twenty in
    a row and ten further on, 15–25 a unit: the twenty cannot stay whole. SETTLEMENT-SPLIT named "S0001" and
    its households, but the result recorded nothing (``settlement_split`` only with a settlement column), so
    the households could not be found in it; they are flagged now, and the result passes its own check."""
    rows = ["户编号,经度,纬度"] + [f"A{i:02d},{106.5 + 0.0001 * i:.6f},29.5" for i in range(20)]
    rows += [f"B{i:02d},{106.5054 + 0.0001 * i:.6f},29.5" for i in range(10)]
    csv_path, out = tmp_path / "v.csv", tmp_path / "v.gpkg"
    csv_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    res = runner.invoke(app, ["delineate", str(csv_path), "--crs", "EPSG:4490", "--min", "15", "--max", "25",
                              "-o", str(out)])
    assert res.exit_code == 0 and "SETTLEMENT-SPLIT" in res.output, res.output
    hh = gpd.read_file(out, layer="households").set_index("hid")
    flagged = set(hh.index[hh["settlement_split"].astype(bool)])
    assert flagged == {f"A{i:02d}" for i in range(20)}
    assert runner.invoke(app, ["check", str(out), "--min", "15", "--max", "25"]).exit_code == 0


def test_a_building_of_settlements_is_parted_along_them_or_passes_its_own_check(tmp_path: Path) -> None:
    """Households at one point (a resettlement building) from several settlements, 15–25 a unit: the location is
    parted (COLOC-SPLIT) between settlements where each part can be a unit (15 + 15: none split; it was cut in
    hid order, splitting both); where not (10 + 20: the 10 would be below the floor; three of 13 in two parts),
    the settlement cut is reported (SETTLEMENT-SPLIT) and the delineation passes its own check, as it must."""
    cases = {"even": {i: "甲" if i <= 15 else "乙" for i in range(1, 31)},
             "uneven": {i: "甲" if i % 3 == 0 else "乙" for i in range(1, 31)},       # 10 + 20, interleaved by id
             "three": {i: "甲乙丙"[i % 3] for i in range(1, 40)}}                       # 13 + 13 + 13
    for case, names in cases.items():
        rows = ["户编号,经度,纬度,自然院落"] + [f"H{i:02d},106.5,29.5,{n}" for i, n in names.items()]
        csv_path, out = tmp_path / f"{case}.csv", tmp_path / f"{case}.gpkg"
        csv_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        res = runner.invoke(app, ["delineate", str(csv_path), "--crs", "EPSG:4490", "--preset", "changshou",
                                  "-o", str(out)])
        assert res.exit_code == 0 and "COLOC-SPLIT" in res.output, res.output
        hh = gpd.read_file(out, layer="households").set_index("hid")
        split = hh.groupby("settlement")["unit_id"].nunique()
        cut = {"even": 0, "uneven": 20, "three": 13}[case]       # households of the settlement cut
        assert (split > 1).sum() == (1 if cut else 0), (case, split.to_dict())
        assert ("SETTLEMENT-SPLIT" in res.output) == bool(cut), res.output
        assert hh["settlement_split"].astype(bool).sum() == cut
        res = runner.invoke(app, ["check", str(out), "--preset", "changshou"])
        assert res.exit_code == 0 and ("DECLARED-EXCEPTION" in res.output) == bool(cut), res.output


def test_a_management_group_from_a_rule_file_is_kept_and_checked(tmp_path: Path) -> None:
    """``heads_for_size`` in a rule file: every ok unit above it has two candidate heads, and the result passes
    check with the same rules."""
    make_village(300, seed=2).write(tmp_path)
    rules = tmp_path / "rules.toml"
    rules.write_text('preset = "changshou"\nheads_for_size = 20\n', encoding="utf-8")
    out = tmp_path / "r.gpkg"
    res = runner.invoke(app, ["delineate", str(tmp_path / "households.gpkg"), "--rules", str(rules), "-o", str(out),
                              "-q"])
    assert res.exit_code == 0, res.output
    units = gpd.read_file(out, layer="units")
    big = units[(units["status"] == "ok") & (units["n_households"] > 20)]
    assert len(big) and (big["n_heads"] >= 2).all()
    res = runner.invoke(app, ["check", str(out), "--rules", str(rules)])
    assert res.exit_code == 0, res.output
