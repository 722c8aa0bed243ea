"""The ``yuanluo`` command line (Typer): one command per stage, thin over ``planners.workflows``.

Exit codes: 0 ok, 1 rule violations found, 2 bad input or usage, 3 internal error.
Logs and progress go to stderr; reports go to stdout.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from planners import console as C
from planners.console import handle_errors, t

app = typer.Typer(
    name="yuanluo",
    help="院落划分：把农户划分为规模适度、地域相连的院落（小院），检查方案并出图。 "
    "Courtyard-unit delineation, checking and mapping for rural China.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

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
    from planners.workflows import load_inputs

    return load_inputs(households, **kw)


def _rules(preset: str | None, min_size: int | None, max_size: int | None, rules_file: Path | None) -> Any:
    from planners.presets import resolve_rules

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
    lang: Lang = "zh",
    verbose: Verbose = 0,
    quiet: Quiet = False,
) -> None:
    """检查农户文件并报告全部问题（不写任何文件）/ validate a household file, report every problem."""
    C.setup(lang, verbose, quiet)
    from gis.io import read_households

    gdf, report = read_households(Path(households), layer=layer, crs=crs, encoding=encoding, centroids=centroids)
    warnings = list(getattr(report, "warnings", []))
    C.out.print(t(f"文件 {households}：{len(gdf)} 户，工作坐标系 {gdf.crs.to_string()}，未发现错误。",
                  f"file {households}: {len(gdf)} households, working CRS {gdf.crs.to_string()}, no errors."))
    if warnings:
        C.print_problems(warnings, title=t("警告", "warnings"))


# ----------------------------------------------------------------------------- delineate
def _write(path: Path, layers: dict[str, Any], run: dict[str, Any], overwrite: bool) -> list[Path]:
    from gis.output import write_layers

    return write_layers(path, layers, overwrite=overwrite, run=run)


def _check_outputs_free(paths: list[Path | None], overwrite: bool) -> None:
    """Refuse early (before any work) when an output exists and --overwrite was not given."""
    from gis.errors import OutputError, problem

    taken = [p for p in paths if p is not None and p.exists()]
    if taken and not overwrite:
        raise OutputError([problem("OUT-EXISTS", file=str(p)) for p in taken])


def _run_record(command: str, inputs: Any, params: dict[str, Any], seed: int | None) -> dict[str, Any]:
    from gis.output import run_record

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
    from planners import workflows as W

    _check_outputs_free([output, map_path], overwrite)
    rules = _rules(preset, min_size, max_size, rules_file)
    inputs = _inputs(households, layer=layer, crs=crs, encoding=encoding, centroids=centroids, dem=dem,
                     rivers=rivers, water=water, roads=roads, groups=groups, group_field=group_field)
    if inputs.warnings:
        C.print_problems(inputs.warnings, title=t("输入警告", "input warnings"), stream=C.err)
    result = W.delineate(inputs, rules, seed=seed, target_size=target_size, max_walk_min=max_walk)
    params = {"rules": rules.to_dict(), "target_size": target_size, "max_walk_min": max_walk}
    run = _run_record("delineate", inputs, params, seed)
    _write(output, {**result.layers, **W.context_layers(inputs)}, run, overwrite)
    if map_path is not None:
        from maps.interactive import save_map

        save_map({**result.layers, **W.context_layers(inputs)}, map_path, lang=lang,
                 terrain=inputs.terrain, overwrite=overwrite)
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
    from planners import workflows as W

    paths = W.sample_paths()
    output_dir.mkdir(parents=True, exist_ok=True)
    gpkg, html, png = output_dir / "demo.gpkg", output_dir / "demo.html", output_dir / "demo.png"
    _check_outputs_free([gpkg, html, png], overwrite)
    rules = _rules(preset, None, None, None)
    inputs = W.load_inputs(paths["households"], dem=paths["dem"], rivers=paths["rivers"], water=paths["water"],
                           roads=paths["roads"])
    C.err.print(t(f"样例：{len(inputs.households)} 户（© OpenStreetMap contributors, ODbL）",
                  f"sample: {len(inputs.households)} households (© OpenStreetMap contributors, ODbL)"))
    result = W.delineate(inputs, rules, seed=seed)
    run = _run_record("demo", inputs, {"rules": rules.to_dict()}, seed)
    layers = {**result.layers, **W.context_layers(inputs)}
    _write(gpkg, layers, run, overwrite)
    from maps.interactive import save_map

    save_map(layers, html, lang=lang, terrain=inputs.terrain, overwrite=overwrite)
    _print_summary(result.summary, rules)
    C.out.print(t(f"已写出 {gpkg} 和 {html}", f"written {gpkg} and {html}"))


def main() -> None:
    """Entry point of the ``yuanluo`` console script."""
    app()


if __name__ == "__main__":
    main()
