"""The ``yuanluo`` command line (Typer): one command per stage, thin over ``yuanluo.planners.workflows``.

Exit codes: 0 ok, 1 rule violations found, 2 bad input or usage, 3 internal error.
Logs and progress go to stderr; reports go to stdout.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from yuanluo.gis.errors import OutputError
from yuanluo.planners import console as C
from yuanluo.planners.console import handle_errors, t

app = typer.Typer(
    name="yuanluo",
    help="院落划分：把农户划分为规模适度、地域相连的院落（小院），检查方案并出图。 "
    "Courtyard-unit delineation, checking and mapping for rural China.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

SAMPLE_CREDIT = "© OpenStreetMap contributors (ODbL); SRTM (NASA/USGS)"


# ----------------------------------------------------------------------------- shared options
Lang = Annotated[str, typer.Option("--lang", help="消息语言 zh（默认）或 en / message language")]
Verbose = Annotated[int, typer.Option("-v", "--verbose", count=True, help="更多日志 / more logging")]
Quiet = Annotated[bool, typer.Option("-q", "--quiet", help="只显示错误 / errors only")]
Layer = Annotated[str | None, typer.Option("--layer", help="图层名（多图层 GeoPackage 必填）/ layer name")]
Crs = Annotated[str | None, typer.Option("--crs", help="声明坐标系，如 EPSG:4490、EPSG:4545 / declared CRS")]
Encoding = Annotated[str | None, typer.Option("--encoding", help="文本编码，如 gbk / text encoding")]
Centroids = Annotated[bool, typer.Option("--centroids", help="把房屋面转为中心点 / use polygon centroids")]
Dem = Annotated[Path | None, typer.Option("--dem", help="高程 GeoTIFF / DEM GeoTIFF")]
Rivers = Annotated[str | None, typer.Option("--rivers", help="河流线图层（file 或 file::layer）/ rivers")]
Water = Annotated[str | None, typer.Option("--water", help="水面图层 / water polygons")]
Roads = Annotated[str | None, typer.Option("--roads", help="道路图层（过河处视为桥）/ roads (bridges)")]
Groups = Annotated[str | None, typer.Option("--groups", help="村民小组/网格边界面 / villager-group polygons")]
GroupField = Annotated[str | None, typer.Option("--group-field", help="边界图层的小组编号字段 / group id field")]
Preset = Annotated[str | None, typer.Option("--preset", help="规则预设 banan | changshou | qingshen")]
MinSize = Annotated[int | None, typer.Option("--min", help="每个院落最少户数 / minimum households per unit")]
MaxSize = Annotated[int | None, typer.Option("--max", help="每个院落最多户数 / maximum households per unit")]
RulesFile = Annotated[Path | None, typer.Option("--rules", help="规则文件 TOML / rule file")]
Overwrite = Annotated[bool, typer.Option("--overwrite", help="覆盖已有输出 / replace existing outputs")]
MaxWalk = Annotated[float, typer.Option("--max-walk", help="邻接的最长步行分钟 / max walking minutes of a graph edge")]


def _inputs(households: str, **kw: Any) -> Any:
    from yuanluo.planners.workflows import load_inputs

    return load_inputs(households, **kw)


def _rules(preset: str | None, min_size: int | None, max_size: int | None, rules_file: Path | None) -> Any:
    from yuanluo.planners.presets import resolve_rules

    return resolve_rules(preset_name=preset, min_size=min_size, max_size=max_size, rules_file=rules_file)


# ----------------------------------------------------------------------------- validate
@app.command()
@handle_errors
def validate(
    households: Annotated[str, typer.Argument(help="农户文件（GeoPackage/GeoJSON/Shapefile/GeoParquet/CSV）")],
    layer: Layer = None,
    crs: Crs = None,
    encoding: Encoding = None,
    centroids: Centroids = False,
    boundary: Annotated[str | None, typer.Option("--boundary", help="村/组边界面，用于检查范围和坐标系 / boundary polygons")] = None,
    id_col: Annotated[str | None, typer.Option("--id-col", help="户编号字段 / household id column")] = None,
    lang: Lang = "zh",
    verbose: Verbose = 0,
    quiet: Quiet = False,
) -> None:
    """检查农户文件并报告全部问题（不写任何文件）/ validate a household file, report every problem."""
    C.setup(lang, verbose, quiet)
    from yuanluo.gis.io import read_households
    from yuanluo.planners.workflows import split_layer

    path, lyr = split_layer(households)
    assert path is not None
    gdf, report = read_households(path, layer=layer or lyr, crs=crs, encoding=encoding, centroids=centroids,
                                  boundary=boundary, id_col=id_col)
    warnings = list(getattr(report, "warnings", []))
    C.out.print(t(f"文件 {households}：{len(gdf)} 户，工作坐标系 {gdf.crs.to_string()}，未发现错误。",
                  f"file {households}: {len(gdf)} households, working CRS {gdf.crs.to_string()}, no errors."))
    if warnings:
        C.print_problems(warnings, title=t("警告", "warnings"))


# ----------------------------------------------------------------------------- delineate
def _write(path: Path, layers: dict[str, Any], run: dict[str, Any], overwrite: bool) -> list[Path]:
    from yuanluo.gis.output import write_layers

    return write_layers(path, layers, overwrite=overwrite, run=run)


def _check_outputs_free(paths: list[Path | None], overwrite: bool) -> None:
    """Refuse early (before any work) when an output exists and --overwrite was not given."""
    from yuanluo.gis.errors import problem

    taken = [p for p in paths if p is not None and p.exists()]
    if taken and not overwrite:
        raise OutputError([problem("OUT-EXISTS", file=str(p)) for p in taken])


def _run_record(command: str, inputs: Any, params: dict[str, Any], seed: int | None) -> dict[str, Any]:
    from yuanluo.gis.output import run_record

    return run_record(command=command, inputs=dict(inputs.paths), params=params, seed=seed)


@app.command()
@handle_errors
def delineate(
    households: Annotated[str, typer.Argument(help="农户文件 / household file")],
    output: Annotated[Path, typer.Option("-o", "--output", help="输出 GeoPackage / output GeoPackage")],
    dem: Dem = None,
    rivers: Rivers = None,
    water: Water = None,
    roads: Roads = None,
    groups: Groups = None,
    group_field: GroupField = None,
    preset: Preset = None,
    min_size: MinSize = None,
    max_size: MaxSize = None,
    rules_file: RulesFile = None,
    target_size: Annotated[float | None, typer.Option("--target-size", help="期望的院落户数（决定院落个数）/ preferred unit size")] = None,
    seed: Annotated[int, typer.Option("--seed", help="随机种子 / random seed")] = 0,
    max_walk: MaxWalk = 10.0,
    map_path: Annotated[Path | None, typer.Option("--map", help="同时输出离线 HTML 地图 / also write an offline HTML map")] = None,
    hierarchy_path: Annotated[Path | None, typer.Option("--hierarchy", help="组织层级图 GraphML/JSON（镇→村→组→院落→党员中心户→农户）")] = None,
    town: Annotated[str, typer.Option("--town", help="镇/街道名称（层级图顶层）/ town name")] = "镇",
    seeds: Annotated[str | None, typer.Option("--seeds", help="中心户/传统院落中心（含户编号的表或点图层），作为院落议事点")] = None,
    layer: Layer = None,
    crs: Crs = None,
    encoding: Encoding = None,
    centroids: Centroids = False,
    overwrite: Overwrite = False,
    lang: Lang = "zh",
    verbose: Verbose = 0,
    quiet: Quiet = False,
) -> None:
    """划分院落并写出 GeoPackage / delineate courtyard units and write a GeoPackage."""
    C.setup(lang, verbose, quiet)
    from yuanluo.planners import workflows as W

    _check_outputs_free([output, map_path, hierarchy_path], overwrite)
    rules = _rules(preset, min_size, max_size, rules_file)
    inputs = _inputs(households, layer=layer, crs=crs, encoding=encoding, centroids=centroids, dem=dem,
                     rivers=rivers, water=water, roads=roads, groups=groups, group_field=group_field)
    C.print_problem_summary(inputs.warnings, title=t("输入提示", "input warnings"))
    seed_ids = W.read_seeds(seeds) if seeds else None
    result = W.delineate(inputs, rules, seed=seed, target_size=target_size, max_walk_min=max_walk, town=town,
                         seeds=seed_ids)
    params = {"rules": rules.to_dict(), "target_size": target_size, "max_walk_min": max_walk,
              "seeds": len(seed_ids or []), "counts": result.summary}
    run = _run_record("delineate", inputs, params, seed)
    layers = {**result.layers, **W.context_layers(inputs)}
    html, _ = W.render_maps(layers, html=map_path is not None, png_or_pdf=None, lang=C.lang(),
                            terrain=inputs.terrain)
    _write(output, layers, run, overwrite)
    if hierarchy_path is not None:
        from yuanluo.gis.hierarchy import write_hierarchy

        write_hierarchy(result.hierarchy, hierarchy_path)
    if map_path is not None and html is not None:
        from yuanluo.gis.output import write_bytes

        write_bytes(map_path, html, overwrite=overwrite)
    C.print_problem_summary(list(result.model.problems_), title=t("划分提示（例外院落及原因）",
                                                                   "delineation notes (exception units and why)"))
    _print_summary(result.summary, rules)
    C.out.print(t(f"已写出 {output}", f"written {output}") + (f", {map_path}" if map_path else ""))


def _print_summary(summary: dict[str, Any], rules: Any) -> None:
    from rich.table import Table

    table = Table(title=t(f"院落划分结果（{rules.min_size}–{rules.max_size} 户）",
                          f"delineation ({rules.min_size}–{rules.max_size} households)"))
    table.add_column(t("项目", "item"))
    table.add_column(t("数值", "value"), justify="right")
    names = {
        "households": ("农户", "households"),
        "units": ("院落", "units"),
        "units_ok": ("规模合规院落", "units within the band"),
        "exception_units": ("例外院落", "exception units"),
        "households_in_exceptions": ("例外院落中的农户", "households in exception units"),
        "size_min": ("最小户数", "smallest unit"),
        "size_median": ("户数中位数", "median unit"),
        "size_max": ("最大户数", "largest unit"),
        "mean_walk_min": ("到议事点平均步行分钟", "mean walk to meeting point (min)"),
        "graph_components": ("连通片数", "graph components"),
    }
    for key, (zh, en) in names.items():
        val = summary.get(key)
        if val is None:
            continue
        table.add_row(t(zh, en), f"{val:.1f}" if isinstance(val, float) else str(val))
    C.out.print(table)


@app.command()
@handle_errors
def demo(
    output_dir: Annotated[Path, typer.Option("-o", "--output-dir", help="输出目录 / output folder")] = Path("yuanluo-demo"),
    preset: Preset = "banan",
    seed: Annotated[int, typer.Option("--seed")] = 0,
    overwrite: Annotated[bool, typer.Option("--overwrite/--keep", help="覆盖上次的演示结果（默认覆盖）")] = True,
    lang: Lang = "zh",
    verbose: Verbose = 0,
    quiet: Quiet = False,
) -> None:
    """用仓库自带的真实样例（安道尔一个教区）跑一遍完整流程 / run the whole job on the bundled real sample."""
    C.setup(lang, verbose, quiet)
    from yuanluo.planners import workflows as W

    paths = W.sample_paths()
    output_dir.mkdir(parents=True, exist_ok=True)
    gpkg, html, png = output_dir / "demo.gpkg", output_dir / "demo.html", output_dir / "demo.png"
    _check_outputs_free([gpkg, html, png], overwrite)
    rules = _rules(preset, None, None, None)
    inputs = W.load_inputs(paths["households"], dem=paths["dem"], rivers=paths["rivers"], water=paths["water"],
                           roads=paths["roads"], boundary=paths["boundary"])
    C.err.print(t(f"样例：{len(inputs.households)} 户（© OpenStreetMap contributors, ODbL）",
                  f"sample: {len(inputs.households)} households (© OpenStreetMap contributors, ODbL)"))
    result = W.delineate(inputs, rules, seed=seed)
    run = _run_record("demo", inputs, {"rules": rules.to_dict(), "data_credit": SAMPLE_CREDIT,
                                       "counts": result.summary}, seed)
    layers = {**result.layers, **W.context_layers(inputs)}
    from yuanluo.maps.static import cjk_font

    try:  # the print map needs a Chinese font; without one the demo still writes the GeoPackage and HTML map
        cjk_font()
        want_png: str | None = "png"
    except OutputError as exc:
        C.err.print(exc.problems[0].message(C.lang()), markup=False)
        C.err.print(t("（本次不出打印图 demo.png；GeoPackage 和 HTML 地图照常写出）",
                      "(no print map demo.png this time; the GeoPackage and the HTML map are written)"))
        want_png = None
    html_bytes, png_bytes = W.render_maps(
        layers, html=True, png_or_pdf=want_png, lang=C.lang(), terrain=inputs.terrain, credit=SAMPLE_CREDIT,
        osm=True, title=t("院落划分图（样例：安道尔奥尔迪诺教区）", "Courtyard units (sample: Ordino, Andorra)"))
    from yuanluo.gis.output import write_bytes

    _write(gpkg, layers, run, overwrite)
    assert html_bytes is not None
    write_bytes(html, html_bytes, overwrite=overwrite)
    if png_bytes is not None:
        write_bytes(png, png_bytes, overwrite=overwrite)
    C.print_problem_summary(list(result.model.problems_), title=t("划分提示（例外院落及原因）",
                                                                   "delineation notes (exception units and why)"))
    _print_summary(result.summary, rules)
    written = [gpkg, html] + ([png] if png_bytes is not None else [])
    C.out.print(t("已写出 ", "written ") + ", ".join(str(p) for p in written))


# ----------------------------------------------------------------------------- graph
@app.command()
@handle_errors
def graph(
    households: Annotated[str, typer.Argument(help="农户文件 / household file")],
    output: Annotated[Path, typer.Option("-o", "--output", help="输出 GeoPackage（边、被切断的边、连通片）")],
    dem: Dem = None,
    rivers: Rivers = None,
    water: Water = None,
    roads: Roads = None,
    max_walk: MaxWalk = 10.0,
    graphml: Annotated[Path | None, typer.Option("--graphml", help="另存 GraphML / also write GraphML")] = None,
    layer: Layer = None,
    crs: Crs = None,
    encoding: Encoding = None,
    centroids: Centroids = False,
    overwrite: Overwrite = False,
    lang: Lang = "zh",
    verbose: Verbose = 0,
    quiet: Quiet = False,
) -> None:
    """构建按地形和河流的邻接图并导出 / build the terrain-aware neighbour graph and export it."""
    C.setup(lang, verbose, quiet)
    from yuanluo.gis.graph import components_report, graph_edges_gdf, write_graphml
    from yuanluo.planners import workflows as W

    _check_outputs_free([output, graphml], overwrite)
    inputs = _inputs(households, layer=layer, crs=crs, encoding=encoding, centroids=centroids, dem=dem,
                     rivers=rivers, water=water, roads=roads)
    g = W.build_graph(inputs, max_walk_min=max_walk)
    comps = components_report(g)
    edges = graph_edges_gdf(g, include_cut=True)
    run = _run_record("graph", inputs, {"max_walk_min": max_walk}, None)
    _write(output, {"edges": edges, "components": comps, "households": inputs.households.reset_index()}, run,
           overwrite)
    if graphml is not None:
        write_graphml(g, graphml)
    cut = g.meta.get("cut_counts", {})
    C.out.print(t(f"{g.n} 户，{g.m} 条边，{len(comps)} 个连通片；被切断的候选边：{cut}。已写出 {output}",
                  f"{g.n} households, {g.m} edges, {len(comps)} components; cut candidate edges: {cut}. "
                  f"Written {output}"))


# ----------------------------------------------------------------------------- check / repair
PlanFile = Annotated[str | None, typer.Option("--plan", help="方案表（户编号→院落编号，CSV/Excel）/ plan table")]
UnitField = Annotated[str | None, typer.Option("--unit-field", help="农户文件中的院落字段 / unit column")]
UnitsPolys = Annotated[str | None, typer.Option("--units", help="院落范围面（按位置归户）/ unit polygons")]
UnitIdField = Annotated[str | None, typer.Option("--unit-id-field", help="院落面的编号字段 / unit id field")]
MeetingPts = Annotated[str | None, typer.Option("--meeting-points", help="议事点（含 unit_id 和 hid 的表或点图层）")]


def _plan(inputs: Any, plan: str | None, unit_field: str | None, units: str | None, unit_id_field: str | None) -> Any:
    from yuanluo.gis.errors import InputError, problem
    from yuanluo.gis.plan import assign_by_unit_polygons, plan_from_column, read_plan_table
    from yuanluo.planners.workflows import split_layer

    given = [x for x in (plan, unit_field, units) if x]
    if len(given) != 1:
        raise InputError(problem("CLI-PLAN"))
    if unit_field:
        return plan_from_column(inputs.households, unit_field)
    if plan:
        return read_plan_table(Path(plan), inputs.households)
    from yuanluo.gis.io import read_layer

    path, lyr = split_layer(units)
    assert path is not None
    polys = read_layer(path, kind="units", working_crs=inputs.households.crs, layer=lyr)
    field = unit_id_field or next((c for c in ("unit_id", "院落编号", "院落", "name", "id") if c in polys.columns),
                                  polys.columns[0])
    return assign_by_unit_polygons(inputs.households, polys, field)


def _plan_graph(inputs: Any, max_walk: float) -> tuple[Any, str]:
    """The graph a plan is judged on: on the ground when a DEM or rivers/water are given, else straight lines."""
    from yuanluo.planners import workflows as W

    on_ground = inputs.terrain is not None or inputs.rivers is not None or inputs.water is not None
    return W.build_graph(inputs, max_walk_min=max_walk), "terrain" if on_ground else "straight"


def _meeting(path: str | None) -> Any:
    if not path:
        return None
    import geopandas as gpd
    import pandas as pd
    from yuanluo.planners.workflows import split_layer

    p, lyr = split_layer(path)
    df = pd.read_csv(p, dtype=str, encoding="utf-8-sig") if str(p).lower().endswith(".csv") else \
        gpd.read_file(p, layer=lyr)
    return pd.Series(df["hid"].astype(str).to_numpy(), index=df["unit_id"].astype(str).to_numpy())


@app.command()
@handle_errors
def check(
    households: Annotated[str, typer.Argument(help="农户文件 / household file")],
    plan: PlanFile = None,
    unit_field: UnitField = None,
    units: UnitsPolys = None,
    unit_id_field: UnitIdField = None,
    meeting_points: MeetingPts = None,
    preset: Preset = None,
    min_size: MinSize = None,
    max_size: MaxSize = None,
    rules_file: RulesFile = None,
    dem: Dem = None,
    rivers: Rivers = None,
    water: Water = None,
    roads: Roads = None,
    groups: Groups = None,
    group_field: GroupField = None,
    max_walk: MaxWalk = 10.0,
    report: Annotated[Path | None, typer.Option("--report", help="HTML 报告 / HTML report")] = None,
    json_path: Annotated[Path | None, typer.Option("--json", help="JSON 结果 / JSON result")] = None,
    csv_path: Annotated[Path | None, typer.Option("--csv", help="CSV 问题清单（Excel 可打开）/ CSV")] = None,
    map_path: Annotated[Path | None, typer.Option("--map", help="离线 HTML 地图 / offline HTML map")] = None,
    layer: Layer = None,
    crs: Crs = None,
    encoding: Encoding = None,
    centroids: Centroids = False,
    overwrite: Overwrite = False,
    lang: Lang = "zh",
    verbose: Verbose = 0,
    quiet: Quiet = False,
) -> None:
    """按规则检查院落方案（退出码 1 表示有违规）/ audit a plan against a rule preset (exit 1 on violations)."""
    C.setup(lang, verbose, quiet)
    from yuanluo.gis.check import check_plan
    from yuanluo.planners import report as R
    from yuanluo.planners import workflows as W

    _check_outputs_free([report, json_path, csv_path, map_path], overwrite)
    rules = _rules(preset, min_size, max_size, rules_file)
    inputs = _inputs(households, layer=layer, crs=crs, encoding=encoding, centroids=centroids, dem=dem,
                     rivers=rivers, water=water, roads=roads, groups=groups, group_field=group_field)
    labels, plan_problems = _plan(inputs, plan, unit_field, units, unit_id_field)
    g, kind = _plan_graph(inputs, max_walk)
    result = check_plan(inputs.households, labels, rules, graph=g, graph_kind=kind,
                        meeting_points=_meeting(meeting_points), plan_problems=plan_problems)
    if report is not None:
        R.write_html(result, report, lang=C.lang())
    if json_path is not None:
        R.write_json(result, json_path)
    if csv_path is not None:
        R.write_csv(result, csv_path)
    if map_path is not None:
        from yuanluo.maps.interactive import save_map

        hh = inputs.households.copy()
        hh["unit_id"] = labels.reindex(hh.index).astype("string").fillna("").astype(str)
        bad = set(result.units.loc[result.units["status"] != "ok", "unit_id"].astype(str))
        hh["unit_status"] = hh["unit_id"].isin(sorted(bad)).map({True: "violation", False: "ok"})
        save_map({"households": hh, "violations": result.violations, **W.context_layers(inputs)}, map_path,
                 lang=C.lang(), hillshade=inputs.terrain, overwrite=overwrite)
    _print_check(result)
    raise typer.Exit(C.EXIT_OK if result.passed else C.EXIT_VIOLATIONS)


def _print_check(result: Any) -> None:
    from rich.table import Table
    from yuanluo.gis.check import violation_message

    s = result.summary()
    head = t("通过" if result.passed else "未通过", "PASSED" if result.passed else "FAILED")
    kind = t("地形（高程与河流）" if result.graph_kind == "terrain" else "直线距离（未给高程和河流）",
             "terrain (DEM and rivers)" if result.graph_kind == "terrain" else "straight lines (no DEM or rivers given)")
    C.out.print(t(f"方案检查：{head}。{s['n_households']} 户，{s['n_units']} 个院落，{s['n_errors']} 处违规，"
                  f"{s['n_warnings']} 处提示；邻接依据：{kind}。",
                  f"plan check: {head}. {s['n_households']} households, {s['n_units']} units, {s['n_errors']} "
                  f"violations, {s['n_warnings']} warnings; neighbours: {kind}."))
    if len(result.violations):
        table = Table()
        table.add_column(t("代码", "code"))
        table.add_column(t("院落", "unit"))
        table.add_column(t("说明", "message"))
        for _, row in result.violations.iterrows():
            table.add_row(str(row["code"]), str(row.get("unit_id") or ""), violation_message(row, C.lang()))
        C.out.print(table)


@app.command()
@handle_errors
def repair(
    households: Annotated[str, typer.Argument(help="农户文件 / household file")],
    output: Annotated[Path, typer.Option("-o", "--output", help="修复后的方案 CSV（户编号,院落编号）/ repaired plan")],
    moves_path: Annotated[Path | None, typer.Option("--moves", help="调整清单 CSV / list of moves")] = None,
    plan: PlanFile = None,
    unit_field: UnitField = None,
    units: UnitsPolys = None,
    unit_id_field: UnitIdField = None,
    preset: Preset = None,
    min_size: MinSize = None,
    max_size: MaxSize = None,
    rules_file: RulesFile = None,
    dem: Dem = None,
    rivers: Rivers = None,
    water: Water = None,
    roads: Roads = None,
    groups: Groups = None,
    group_field: GroupField = None,
    max_walk: MaxWalk = 10.0,
    max_moves: Annotated[int | None, typer.Option("--max-moves", help="最多调整户数 / move budget")] = None,
    layer: Layer = None,
    crs: Crs = None,
    encoding: Encoding = None,
    centroids: Centroids = False,
    overwrite: Overwrite = False,
    lang: Lang = "zh",
    verbose: Verbose = 0,
    quiet: Quiet = False,
) -> None:
    """提出最少调整户数的修复方案 / propose the smallest change that makes a plan pass."""
    C.setup(lang, verbose, quiet)
    import pandas as pd
    from yuanluo.gis.output import write_layers
    from yuanluo.gis.repair import repair_plan

    _check_outputs_free([output, moves_path], overwrite)
    rules = _rules(preset, min_size, max_size, rules_file)
    inputs = _inputs(households, layer=layer, crs=crs, encoding=encoding, centroids=centroids, dem=dem,
                     rivers=rivers, water=water, roads=roads, groups=groups, group_field=group_field)
    labels, _ = _plan(inputs, plan, unit_field, units, unit_id_field)
    g, kind = _plan_graph(inputs, max_walk)
    res = repair_plan(inputs.households, labels, rules, g, max_moves=max_moves, graph_kind=kind)
    table = pd.DataFrame({"hid": res.labels.index.astype(str), "unit_id": res.labels.astype("string").to_numpy()})
    write_layers(output, {"plan": table}, overwrite=overwrite, fmt="csv")
    if moves_path is not None:
        write_layers(moves_path, {"moves": res.moves}, overwrite=overwrite, fmt="csv")
    n = len(res.moves)
    if res.passed:
        C.out.print(t(f"修复后通过：调整 {n} 户。已写出 {output}", f"repaired: {n} households moved. Written {output}"))
        raise typer.Exit(C.EXIT_OK)
    why = res.reason_zh if C.lang() == "zh" else res.reason_if_not
    C.out.print(t(f"无法在规则内修复（已尝试调整 {n} 户）：{why}", f"cannot be repaired within the rules ({n} moves tried): {why}"))
    raise typer.Exit(C.EXIT_VIOLATIONS)


# ----------------------------------------------------------------------------- map
@app.command("map")
@handle_errors
def map_cmd(
    result: Annotated[Path, typer.Argument(help="划分结果 GeoPackage / delineation result")],
    output: Annotated[Path, typer.Option("-o", "--output", help="*.html 交互地图；*.png / *.pdf 打印图")],
    dem: Dem = None,
    paper: Annotated[str, typer.Option("--paper", help="打印纸张 A4 | A3")] = "A4",
    title: Annotated[str | None, typer.Option("--title", help="图名 / title")] = None,
    basemap: Annotated[str | None, typer.Option("--basemap", help="在线底图（需联网）：osm | tianditu | amap")] = None,
    tianditu_key: Annotated[str | None, typer.Option("--tianditu-key", help="天地图密钥 / Tianditu key")] = None,
    include_personal: Annotated[bool, typer.Option("--include-personal", help="地图中保留姓名、电话等个人信息")] = False,
    overwrite: Overwrite = False,
    lang: Lang = "zh",
    verbose: Verbose = 0,
    quiet: Quiet = False,
) -> None:
    """把划分结果画成离线 HTML 地图或打印图 / draw a result as an offline HTML map or a print map."""
    C.setup(lang, verbose, quiet)
    from yuanluo.planners.workflows import read_result

    _check_outputs_free([output], overwrite)
    layers, terrain = read_result(result, dem=dem)
    from yuanluo.planners.workflows import map_layers

    layers = map_layers(layers)
    suffix = output.suffix.lower()
    if suffix in (".png", ".pdf"):
        from yuanluo.maps.static import print_map

        run = layers.get("run")
        osm = run is not None and "value" in run and run["value"].astype(str).str.contains("OpenStreetMap").any()
        print_map(layers, output, paper="A3" if paper.upper() == "A3" else "A4", lang=C.lang(), title=title,
                  osm_attribution=bool(osm), overwrite=overwrite)
    else:
        from yuanluo.maps.interactive import save_map

        save_map(layers, output, lang=C.lang(), hillshade=terrain, basemap=basemap, tianditu_key=tianditu_key,
                 include_personal=include_personal, title=title, overwrite=overwrite)
    C.out.print(t(f"已写出 {output}", f"written {output}"))


def main() -> None:
    """Entry point of the ``yuanluo`` console script."""
    app()


if __name__ == "__main__":
    main()
