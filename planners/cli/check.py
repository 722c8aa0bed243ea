"""``yuanluo check``: audit a plan against the rules (exit 1 on violations), with reports and a map."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from yuanluo.planners import console as C
from yuanluo.planners.cli.options import (
    Areas,
    Common,
    HouseholdFile,
    MapFields,
    Output,
    PlanSource,
    RuleChoice,
    Terrain,
    expand,
)


def print_check(result: Any, columns: Any, basis: str) -> None:
    """The verdict in one line (``basis``: what neighbours were judged on, in words), the rules the
    household file's ``columns`` could not serve, then the violations (code, unit, message) in the chosen
    language."""
    from yuanluo.gis.catalogue import text
    from yuanluo.gis.check import violation_message
    from yuanluo.planners.report import unapplied_rules

    s = result.summary()
    verdict = C.msg("cli.check.passed" if result.passed else "cli.check.failed")
    exc = C.msg("cli.check.exceptions", n=s["n_units_exception"]) if s["n_units_exception"] else ""
    C.out.print(C.msg("cli.check.summary", verdict=verdict, n_households=s["n_households"], n_units=s["n_units"],
                      exceptions=exc, n_errors=s["n_errors"], n_warnings=s["n_warnings"], kind=basis), markup=False)
    missing = [] if C.quiet() else unapplied_rules(result.rules, columns, C.lang())
    if missing:  # a pass says nothing of a rule the file gives no data for
        C.out.print(C.msg("cli.unapplied.check", items=text("list.clause_sep", C.lang()).join(missing)), markup=False)
    shown = result.violations
    if C.quiet():  # -q: the errors only
        shown = shown[shown["severity"] == "error"]
    if len(shown):
        from rich.table import Table

        table = Table()
        for key in ("cli.col.code", "cli.col.unit", "cli.col.severity", "cli.col.message"):
            table.add_column(C.msg(key), overflow="fold")  # a run of Chinese has no space to wrap at: never cut
        for _, row in shown.iterrows():
            unit = row.get("unit_id")  # a row of no unit (an unknown id, a second row of a household) is blank
            table.add_row(str(row["code"]), "" if unit is None or pd.isna(unit) else str(unit),
                          C.msg(f"value.severity.{row['severity']}"),
                          violation_message(row, C.lang(), body=True))
        C.out.print(table)


def print_table_exceptions(result: Any, plan: str, unit_col: str | None, cmd: str = "check") -> None:
    """Say so when units that break a rule are marked 例外 in the plan table (a delineation's ``--xlsx`` plan,
    edited and checked or repaired against the household file): only the result file declares an exception."""
    from yuanluo.gis.check import DECLARABLE
    from yuanluo.gis.plan import STATUS_MARKS, plan_table_exceptions

    v = result.violations
    if not len(v):
        return
    error = v["severity"] == "error"
    broken = set(v.loc[error & v["code"].isin(DECLARABLE), "unit_id"].dropna().astype(str))
    marked = [u for u in plan_table_exceptions(plan, unit_col=unit_col) if u in broken]
    if marked:
        C.out.print(C.msg("cli.check.table_exceptions", units=C.msg("list.sep").join(marked), plan=plan, cmd=cmd),
                    markup=False)
    # a delineation's own plan (its status column) splitting settlements: the splits it reported are declared
    # in the result file only
    split = set(v.loc[error & (v["code"] == "PLAN-SETTLEMENT-SPLIT"), "unit_id"].dropna().astype(str))
    listed = [u for u in plan_table_exceptions(plan, unit_col=unit_col, marks=STATUS_MARKS) if u in split]
    if listed:
        C.out.print(C.msg("cli.check.table_splits", units=C.msg("list.sep").join(listed), plan=plan, cmd=cmd),
                    markup=False)


@C.handle_errors
@expand
def check(
    hh: HouseholdFile,
    *,
    source: PlanSource,
    meeting_points: Annotated[str | None, typer.Option("--meeting-points", help="cli.opt.meeting_points")] = None,
    rules: RuleChoice,
    terrain: Terrain,
    areas: Areas,
    report: Annotated[Path | None, typer.Option("--report", help="cli.opt.report")] = None,
    json_path: Annotated[Path | None, typer.Option("--json", help="cli.opt.json")] = None,
    csv_path: Annotated[Path | None, typer.Option("--csv", help="cli.opt.csv")] = None,
    map_path: Annotated[Path | None, typer.Option("--map", help="cli.opt.map")] = None,
    shown: MapFields,
    out: Output,
    common: Common,
) -> None:
    """Check the plan; exit 0 when it passes, 1 when it has violations."""
    C.setup(common.lang, common.verbose, common.quiet)
    from yuanluo.gis.check import check_plan
    from yuanluo.gis.output import HTML_SUFFIXES, transaction
    from yuanluo.planners import report as R
    from yuanluo.planners import workflows as W

    tx = transaction([report, json_path, csv_path, map_path], overwrite=out.overwrite,
                     inputs=W.spec_paths(*hh.specs(), *terrain.specs(), *areas.specs(), *rules.specs(),
                                         *source.specs(), meeting_points),
                     allowed=[(report, HTML_SUFFIXES), (json_path, (".json",)), (csv_path, (".csv",)),
                              (map_path, HTML_SUFFIXES)])
    chosen = rules.resolve()
    inputs = W.load_inputs(hh.households, **hh.read_kwargs(), **terrain.read_kwargs(), **areas.read_kwargs(),
                           progress=C.step)
    map_kw = shown.resolve(inputs.households, hh.households, inputs.warnings, drawn=map_path is not None)
    labels, plan_problems = W.read_plan(inputs, plan=source.plan, units=source.units, unit_col=source.unit_col,
                                        id_col=hh.id_col)
    meet = source.meeting_points(inputs, meeting_points, hh.id_col)
    C.step("step.graph")
    g, kind = W.plan_graph(inputs, max_walk_min=terrain.max_edge_walk)
    C.print_problem_summary(inputs.warnings, title=C.msg("cli.title.input_warnings"))
    C.step("step.check")
    declared = W.result_declared(inputs)
    result = check_plan(inputs.households, labels, chosen, graph=g, graph_kind=kind, meeting_points=meet,
                        plan_problems=plan_problems, declared=declared)
    if any(p is not None for p in (report, json_path, csv_path, map_path)):
        C.step("step.write")
    with tx:  # every report placed together, or none
        if report is not None:
            R.write_html(result, report, lang=C.lang(), info=R.info_from_inputs(inputs, meeting_points=meet is not None))
        if json_path is not None:
            R.write_json(result, json_path)
        if csv_path is not None:
            from yuanluo.planners.tables import write_check_csv

            write_check_csv(result.violations, result.units, csv_path, lang=C.lang())
        if map_path is not None:
            from yuanluo.maps.interactive import save_map

            layers = W.check_map_layers(inputs, labels, result, lang=C.lang(), graph=g,  # the points walked to
                                        meeting_points=meet if meet is not None else result.meeting_points)
            save_map(layers, map_path, lang=C.lang(), hillshade=inputs.terrain, title=C.msg("map.check_title"),
                     credit=inputs.credit, overwrite=out.overwrite, **map_kw)
    print_check(result, inputs.households.columns, C.msg(f"cli.check.{W.graph_basis(inputs)}"))
    if declared is None and source.plan is not None:
        print_table_exceptions(result, source.plan, source.unit_col)
    raise typer.Exit(C.EXIT_OK if result.passed else C.EXIT_VIOLATIONS)
