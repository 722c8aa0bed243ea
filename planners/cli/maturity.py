"""``yuanluo maturity template|load``: the six-sided service scores (六边形服务) of the courtyard units."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from yuanluo.planners import console as C
from yuanluo.planners.cli.options import Common, Output, expand


@C.handle_errors
@expand
def template(
    result: Annotated[Path, typer.Argument(help="cli.arg.result", metavar="cli.meta.result", show_default=False)],
    *,
    output: Annotated[Path, typer.Option("-o", "--output", help="cli.opt.output_template")],
    period: Annotated[str, typer.Option("--period", help="cli.opt.period")] = "",
    out: Output,
    common: Common,
) -> None:
    """Write the score sheet (xlsx) with one row per unit."""
    C.setup(common.lang, common.verbose, common.quiet)
    from yuanluo.gis.output import transaction
    from yuanluo.planners.maturity import write_template

    with transaction([output], overwrite=out.overwrite, inputs=[result], allowed={output: (".xlsx",)}) as tx:
        write_template(result, output, lang=C.lang(), period=period, overwrite=out.overwrite)
    C.print_written(tx.written)


@C.handle_errors
@expand
def load(
    result: Annotated[Path, typer.Argument(help="cli.arg.result", metavar="cli.meta.result", show_default=False)],
    scores: Annotated[list[Path], typer.Argument(help="cli.arg.scores", metavar="cli.meta.scores",
                                                 show_default=False)],
    *,
    output: Annotated[Path, typer.Option("-o", "--output", help="cli.opt.output_maturity")],
    report: Annotated[Path | None, typer.Option("--report", help="cli.opt.maturity_report")] = None,
    png: Annotated[Path | None, typer.Option("--png", help="cli.opt.maturity_png")] = None,
    map_path: Annotated[Path | None, typer.Option("--map", help="cli.opt.maturity_map")] = None,
    period: Annotated[str | None, typer.Option("--period", help="cli.opt.period")] = None,
    sheet: Annotated[list[str] | None, typer.Option("--sheet", help="maturity.opt.sheet",
                                                    metavar="cli.meta.sheet")] = None,
    dem: Annotated[Path | None, typer.Option("--dem", help="cli.opt.dem")] = None,
    include_personal: Annotated[bool, typer.Option("--include-personal", help="cli.opt.include_personal_ids")] = False,
    out: Output,
    common: Common,
) -> None:
    """Read filled score sheets, compute each unit's maturity and write the layers (and report, print sheet)."""
    C.setup(common.lang, common.verbose, common.quiet)
    from yuanluo.gis.output import HTML_SUFFIXES, LAYER_SUFFIXES, PRINT_SUFFIXES, transaction
    from yuanluo.planners.maturity import LOAD_LAYERS, load_scores

    with transaction([output, report, png, map_path], overwrite=out.overwrite, inputs=[result, *scores, *([dem] if dem else [])],
                     allowed=[(output, LAYER_SUFFIXES), (report, HTML_SUFFIXES), (png, PRINT_SUFFIXES),
                              (map_path, HTML_SUFFIXES)], layers=[(output, [*LOAD_LAYERS, "run"])]) as tx:
        res = load_scores(result, scores, output, lang=C.lang(), period=period, report=report, png=png,
                          map=map_path, overwrite=out.overwrite, sheets=sheet, dem=dem,
                          include_personal=include_personal)
    units = res.table.drop_duplicates("unit_id") if "unit_id" in res.table.columns else res.table
    filled = int(res.scores["score"].notna().sum()) if "score" in res.scores.columns else 0  # not the blank cells
    scored = res.scores.loc[res.scores["score"].notna(), "unit_id"].nunique() if filled else 0
    C.out.print(C.msg("maturity.done", scored=C.num(scored), units=C.num(len(units)), scores=C.num(filled)), markup=False)
    periods = list(dict.fromkeys(res.table["period"].astype(str))) if "period" in res.table.columns else []
    if periods:  # oldest first, as the change since the previous period is computed
        C.note(C.msg("maturity.periods_read", periods=C.msg("list.sep").join(periods)))  # not with -q
    C.print_problem_summary(res.warnings, title=C.msg("cli.title.input_warnings"))
    C.print_written(tx.written)
