"""``yuanluo check``: audit a plan against the rules (exit 1 on violations), with reports and a map."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

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

if TYPE_CHECKING:
    from yuanluo.gis.errors import InputError

#: at most this many findings are listed one by one; past it the console lists the first errors and counts the
#: warnings by code (an old Windows console keeps its last 300 lines; the report, CSV and JSON keep every one)
MAX_ROWS = 30

#: what the findings can be written as (``--csv``): two CSVs (the units beside, ``<stem>_units.csv``), or one
#: workbook of the same two tables whose ids are text cells (Excel keeps their leading zeros), the format chosen by
#: the extension as repair's ``-o`` and ``--moves`` choose theirs
FINDINGS_SUFFIXES = (".csv", ".xlsx")


def _cut_ids(row: Any, body: str) -> tuple[str, str]:
    """The unit cell of a finding and its message ``body`` with each over-long id (the unit's, its households',
    the units it names; past ``console.LONG_ID`` characters) shown by its first ``console.KEPT`` characters and
    its length (``cli.value_cut``), as the console's other lines show them (b3c53a6): a 20,000-character unit id
    flooded the table. The files (CSV, JSON, report) keep them whole.

    >>> _ = C.set_lang("en")
    >>> unit, body = _cut_ids({"unit_id": "U" + "x" * 99, "hids": ["H1"]}, "Unit U" + "x" * 99 + " has 3 households.")
    >>> unit
    'Uxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… (100 characters, shortened here)'
    >>> body == f"Unit {unit} has 3 households."
    True
    >>> _ = C.set_lang("zh")
    """
    unit = row.get("unit_id")
    unit = "" if unit is None or (not isinstance(unit, (list, tuple)) and pd.isna(unit)) else str(unit)
    named = [unit]
    for col in ("hids", "units"):
        v = row.get(col)
        if v is not None and not isinstance(v, str) and hasattr(v, "__iter__"):  # a list, a tuple or an array
            named += [str(x) for x in v]
    for long in sorted({n for n in named if len(n) > C.LONG_ID}, key=len, reverse=True):
        short = long[:C.KEPT] + C.msg("cli.value_cut", n=C.num(len(long)))
        body = body.replace(long, short)
        unit = short if unit == long else unit
    return unit, body


def _print_findings(rows: pd.DataFrame) -> None:
    """The findings (code, unit, level, message; a table, or on a narrow screen a block each:
    :func:`console.print_rows`); a fix the same as one given above it for the same code is not repeated; over-long
    ids shortened (:func:`_cut_ids`)."""
    from yuanluo.gis.check import violation_message

    shown: list[tuple[str, str, str, str]] = []
    fixes: set[tuple[str, str]] = set()
    for _, row in rows.iterrows():
        body = violation_message(row, C.lang(), body=True)  # a row of no unit (an unknown id …): its unit blank
        head, sep, fix = body.partition("\n")
        if sep and (str(row["code"]), fix) in fixes:
            body = head
        fixes.add((str(row["code"]), fix))
        unit, body = _cut_ids(row, body)
        shown.append((str(row["code"]), unit, C.msg(f"value.severity.{row['severity']}"), body))
    # a run of Chinese has no space to wrap at: never cut
    C.print_rows([(C.msg(key), {"overflow": "fold"}) for key in ("cli.col.code", "cli.col.unit", "cli.col.severity",
                                                                 "cli.col.message")], shown)


def _print_warnings_by_code(rows: pd.DataFrame) -> None:
    """One row per warning code: how many, and the message of the first (with its fix)."""
    from yuanluo.gis.check import violation_message

    shown = [(str(code), C.num(len(group)),
              _cut_ids(group.iloc[0], violation_message(group.iloc[0], C.lang(), body=True))[1])
             for code, group in rows.groupby("code", sort=True)]
    C.print_rows([(C.msg("cli.col.code"), {"overflow": "fold"}), (C.msg("cli.col.count"), {"justify": "right"}),
                  (C.msg("cli.col.examples"), {"overflow": "fold"})], shown, title=C.msg("cli.check.warnings_by_code"))


def print_check(result: Any, columns: Any, basis: str, full: Sequence[Path | None] = (), *,
                unapplied: Sequence[Any] | None = None, written: Sequence[Path] = ()) -> None:
    """The verdict in one line (``basis``: what neighbours were judged on, in words), the rules the
    household file could not serve (``unapplied``: their RULE-UNAPPLIED warnings, also among the findings; by
    default those of the household file's ``columns``), then the violations (code, unit, message) in the chosen
    language: errors first, then warnings. Past :data:`MAX_ROWS` findings, the first errors and the count of the
    rest, the warnings counted by code, and where the full list is (``full``: the report, CSV and JSON written,
    if any); the files ``written`` (every output, the units CSV beside ``--csv`` too; those just named as holding the
    full list not again), as every command names them, before the verdict said again at the end when anything was
    listed under it."""
    from yuanluo.planners.cli.delineate import print_unapplied
    from yuanluo.planners.report import unapplied_problems

    s = result.summary()
    verdict = C.msg("cli.check.passed" if result.passed else "cli.check.failed")
    exc = C.msg("cli.check.exceptions", n=C.num(s["n_units_exception"])) if s["n_units_exception"] else ""
    # the rules not checked (RULE-UNAPPLIED) are counted apart from the warnings (as the report and the JSON do),
    # which then add up as the table of warnings by code and the editor's count do
    n_unapplied = s.get("n_unchecked", 0)
    summary = C.msg("cli.check.summary", verdict=verdict, n_households=C.num(s["n_households"]),
                    n_units=C.num(s["n_units"]), exceptions=exc, n_errors=C.num(s["n_errors"]),
                    n_warnings=C.num(s["n_warnings"]),
                    unapplied=C.msg("cli.check.unapplied_count", n=C.num(n_unapplied)) if n_unapplied else "",
                    kind=basis)
    C.out.print(summary, markup=False)
    # a pass says nothing of a rule the file gives no data for: named under the verdict, -q too
    if unapplied is None:
        unapplied = unapplied_problems(result.rules, columns)
    print_unapplied(list(unapplied), "cli.unapplied.check")
    shown = result.violations
    shown = shown[shown["code"] != "RULE-UNAPPLIED"]  # said above
    if C.quiet():  # -q: the errors only
        shown = shown[shown["severity"] == "error"]
    if not len(shown):
        if written:
            C.print_written(written)
        return
    from yuanluo.planners.tables import ordered_findings

    units = getattr(result, "units", None)  # the check's order of its units (the CSV's and xlsx's too)
    shown = ordered_findings(shown, units=units["unit_id"].astype(str).tolist() if units is not None else None)
    if len(shown) <= MAX_ROWS:
        _print_findings(shown)
    else:
        is_error = (shown["severity"] == "error").to_numpy()
        errors, warnings = shown[is_error], shown[~is_error]
        if len(errors):
            _print_findings(errors.iloc[:MAX_ROWS])
        if len(errors) > MAX_ROWS:
            C.out.print(C.msg("cli.check.more_errors", count=C.num(len(errors) - MAX_ROWS)), markup=False)
        if len(warnings):
            _print_warnings_by_code(warnings)
        full_files = [str(p) for p in full if p is not None]
        C.out.print(C.msg("cli.check.full_in", files=C.msg("list.sep").join(full_files)) if full_files
                    else C.msg("cli.check.full_how", n=C.num(s["n_errors"] + s["n_warnings"] + n_unapplied)),
                    markup=False)
        written = [p for p in written if str(p) not in full_files]  # the files just named: not said twice
    if written:
        C.print_written(written)
    C.out.print(summary, markup=False)  # the verdict once more, where the console ends


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


def plan_rules_sheet(plan: str | None) -> tuple[str, list[str]] | None:
    """The sheet of rules of an Excel plan (``delineate --xlsx`` writes it: 规则 / Rules, two columns 项目, 规定
    after a first of numbers) and its rows as "item: rule", None for another plan or a workbook without one."""
    if plan is None or Path(plan).suffix.lower() != ".xlsx" or not Path(plan).is_file():
        return None
    from yuanluo.gis.catalogue import text

    try:
        import openpyxl

        wb = openpyxl.load_workbook(plan, read_only=True, data_only=True)
    except Exception:  # not a workbook it can read: the plan's own error comes when it is read
        return None
    try:
        for name in dict.fromkeys(text("plan.rules_sheet", lang) for lang in ("zh", "en")):
            if name in wb.sheetnames:
                rows = [[("" if c is None else str(c).strip()) for c in r[1:3]]
                        for r in wb[name].iter_rows(min_row=2, values_only=True) if len(r) >= 3]
                said = [f"{a}{C.msg('cli.rules.sheet_sep')}{b}" for a, b in rows if a and b]
                return (name, said) if said else None
    finally:
        wb.close()
    return None


def _with_plan_rules(exc: InputError, plan: str | None) -> InputError:
    """``exc`` with its RULE-NONE's fix naming the rules an Excel ``plan`` says it was made under (its sheet of
    rules), and that a check of the delineation result takes them; ``exc`` as it is otherwise."""
    found = plan_rules_sheet(plan) if any(p.code == "RULE-NONE" for p in exc.problems) else None
    if found is None:
        return exc
    sheet, said = found
    sep = C.msg("list.clause_sep")
    return type(exc)([dataclasses.replace(p, variant="plan_sheet", params={
        **p.params, "plan": Path(str(plan)).name, "sheet": sheet, "said": sep.join(said)})
        if p.code == "RULE-NONE" else p for p in exc.problems])


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
    csv_path: Annotated[Path | None, typer.Option("--csv", help="check.opt.findings")] = None,
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
    from yuanluo.planners.tables import check_csv_paths

    # the units table beside the findings CSV is an output too, checked with the others before the work
    units_csv = check_csv_paths(csv_path)[1] if csv_path is not None and csv_path.suffix.lower() == ".csv" else None
    tx = transaction([report, json_path, csv_path, units_csv, map_path], overwrite=out.overwrite,
                     inputs=W.spec_paths(*hh.specs(), *terrain.specs(), *areas.specs(), *rules.specs(),
                                         *source.specs(), meeting_points),
                     allowed=[(report, HTML_SUFFIXES), (json_path, (".json",)), (csv_path, FINDINGS_SUFFIXES),
                              (units_csv, (".csv",)), (map_path, HTML_SUFFIXES)])
    from yuanluo.gis.errors import InputError

    try:
        chosen = rules.resolve_for(hh.households, "check",  # a result's own rules when none are given
                                   read=lambda: W.load_inputs(hh.households, **hh.read_kwargs()))
    except InputError as exc:  # no rules: an Excel plan's sheet of rules said, and the way to them
        raise _with_plan_rules(exc, source.plan) from None
    inputs = W.load_inputs(hh.households, **hh.read_kwargs(), **terrain.read_kwargs(), **areas.read_kwargs(),
                           progress=C.step, plan_col=source.household_unit_col)
    W.plan_column_apart(inputs, source.unit_col, plan=source.plan, units=source.units)  # --unit-col 院落
    rows = getattr(inputs.report, "rows", None)
    if rows is not None and len(rows) == len(inputs.households):  # the findings name households by their rows too
        inputs.households.attrs["rows"] = [int(r) for r in rows]  # (a list: pandas compares attrs it joins)
    # a nest_by typo stops here; a rule the file has no column for is a finding (a warning) of the check
    unapplied = W.rule_columns(inputs, chosen, rules_file=rules.rules_file)
    map_kw = shown.resolve(inputs.households, hh.households, inputs.warnings, drawn=map_path is not None)
    inputs.credit = shown.data_credit(inputs.credit)  # --credit, else the one a result records: maps and run
    if map_path is not None or report is not None:  # pages: ids that are id-card or phone numbers only when asked
        from yuanluo.gis.personal import require_page_ids, said_id_column

        require_page_ids(inputs.households.index, include_personal=shown.include_personal, id_col=True,
                         page="map" if map_path is not None else "check_report", file=str(hh.households),
                         column=said_id_column(inputs.warnings))
    labels, plan_problems = W.read_plan(inputs, plan=source.plan, units=source.units, unit_col=source.unit_col,
                                        id_col=hh.id_col, units_crs=source.units_crs)
    C.keep_names(inputs.households, labels)  # a name with a space kept on one line of the findings' table
    meet = source.meeting_points(inputs, meeting_points, hh.id_col, labels)
    C.step("step.graph")
    g, kind = W.plan_graph(inputs, max_walk_min=terrain.max_edge_walk)
    C.print_problem_summary(inputs.warnings, title=C.msg("cli.title.input_warnings"))
    C.step("step.check")
    declared = W.result_declared(inputs)
    result = check_plan(inputs.households, labels, chosen, graph=g, graph_kind=kind, meeting_points=meet,
                        plan_problems=[*plan_problems, *unapplied], declared=declared)
    if any(p is not None for p in (report, json_path, csv_path, map_path)):
        C.step("step.write")
    # the report and the JSON name the plan's file (a report of an edited plan is not one of the result's own)
    # and the meeting points' (the walking findings are measured to them)
    info = R.info_from_inputs(inputs, meeting_points=meet is not None,
                              plan_file=R.plan_file_name(source.plan, source.units),
                              meeting_file=R.plan_file_name(meeting_points),
                              data_files=(source.plan, source.units, meeting_points)) if report or json_path else None
    with tx:  # every report placed together, or none
        if report is not None:
            R.write_html(result, report, lang=C.lang(), info=info, include_personal=shown.include_personal)
        if json_path is not None:
            R.write_json(result, json_path, info=info)
        if csv_path is not None and csv_path.suffix.lower() == ".xlsx":
            from yuanluo.planners.tables import write_check_xlsx

            write_check_xlsx(result.violations, result.units, csv_path, lang=C.lang())
        elif csv_path is not None:
            from yuanluo.planners.tables import write_check_csv

            write_check_csv(result.violations, result.units, csv_path, lang=C.lang())
        if map_path is not None:
            from yuanluo.maps.interactive import save_map

            layers = W.check_map_layers(inputs, labels, result, lang=C.lang(), graph=g,  # the points walked to
                                        meeting_points=meet if meet is not None else result.meeting_points)
            save_map(layers, map_path, lang=C.lang(), hillshade=inputs.terrain, title=C.msg("map.check_title"),
                     credit=inputs.credit, overwrite=out.overwrite, **map_kw)
    print_check(result, inputs.households.columns, C.msg(f"cli.check.{W.graph_basis(inputs)}"),
                full=[report, csv_path, json_path], unapplied=unapplied, written=tx.written)
    if declared is None and source.plan is not None:
        print_table_exceptions(result, source.plan, source.unit_col)
    raise typer.Exit(C.EXIT_OK if result.passed else C.EXIT_VIOLATIONS)
