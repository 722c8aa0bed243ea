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


def main() -> None:
    """Entry point of the ``yuanluo`` console script."""
    app()


if __name__ == "__main__":
    main()
