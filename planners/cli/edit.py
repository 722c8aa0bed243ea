"""``yuanluo edit``: write the offline plan editor of a result (:mod:`yuanluo.maps.editor`).

The page judges plans on the graph ``yuanluo check`` builds from the same files: the result's households and its
rivers, water and roads layers (or the ``--rivers/--water/--roads`` given), over ``--dem`` when given, else over
the DEM the result records when it is found unchanged (RESULT-DEM-OWN; not found, RESULT-DEM names the ``--dem`` to
add). The page draws that DEM's hillshade under the households, as ``yuanluo map`` draws it; without a DEM, none. So
the exported plan gives the same violations with::

    yuanluo check RESULT.gpkg::households --plan 院落方案.csv --preset … \\
        --rivers RESULT.gpkg::rivers --water RESULT.gpkg::water --roads RESULT.gpkg::roads [--dem dem.tif] \\
        [--meeting-points FILE]  # the same file given to edit, for PLAN-MEETING / PLAN-WALK-LIMIT

With meeting points (the result's own, or ``--meeting-points``) the page's export has a 议事点 column giving each
row's unit's meeting point, which ``check --plan`` and ``edit --plan`` read (without ``--meeting-points``), so the
plan is walked to the same points; a unit whose point moved out or a unit made in the page has its cells blank,
which ``check --plan`` calls PLAN-MEETING as the page does (no meeting point given, walked to its centre);
PLAN-MEET-COLUMN is a column whose cells name no household of the unit (another unit's, an unknown id, one in no
unit) or two of them. The page's 设为议事点 gives a unit a meeting point (the selected household); in a page made
without meeting points but with a walking limit, the first one gives the export its 议事点 column, blank for the
units without one.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated, Any

import typer

from yuanluo.planners import console as C
from yuanluo.planners.cli.options import Common, MapFields, Output, RuleChoice, Terrain, expand


def editor_inputs(result: Path, terrain: Terrain | None = None) -> tuple[Any, dict[str, Any]]:
    """The result read as check reads households (validated, working CRS) and its layers (territories, context).

    The context layers not given as options are taken from the file: by
    :func:`~yuanluo.planners.workflows.load_inputs` for a result Yuanluo wrote (which also says what the
    delineation used and this run lacks), else wherever the file has a layer of that name."""
    import pyogrio

    from yuanluo.gis.io import gdal_path
    from yuanluo.planners import workflows as W

    layers, _ = W.read_result(result, command="edit")
    kw = (terrain or Terrain()).read_kwargs()
    if W.result_layers(result) is None:
        present = {str(name) for name, _ in pyogrio.list_layers(gdal_path(result))}
        for name in W.RESULT_CONTEXT:
            if kw[name] is None and name in present:
                kw[name] = f"{result}::{name}"
    inputs = W.load_inputs(f"{result}::households", **kw, progress=C.step)
    return inputs, layers


def build_editor(result: Path, rules: Any, *, plan: Path | None = None, terrain: Terrain | None = None,
                 meeting_points: str | None = None, lang: Any = "zh",
                 rules_file: Path | None = None, include_personal: bool = False,
                 credit: str | None = None, units: str | None = None,
                 unit_col: str | None = None, units_crs: str | None = None) -> tuple[str, dict[str, Any]]:
    """The editor page of ``result`` (starting from ``plan`` when given, or from unit polygons ``units``, the
    households assigned by location as ``check --units`` assigns them, or from a column ``unit_col`` of its
    households; ``units_crs``: the polygons' coordinate system where the layer declares none) and a summary
    (households ``n``, units ``k``, the input ``warnings``, the RULE-UNAPPLIED warnings of the rules the page cannot check, ``unapplied``,
    which it names); RULE-NEST-UNKNOWN for a ``nest_by`` typo of the rules (``rules_file``: their
    file, named). The units locked at the start are those the plan marks (锁定), or, for the
    result's own plan, those a ``delineate --lock`` result kept. Household ids that are id-card or phone numbers
    stop it before the graph is built (ID-PERSONAL-PAGE) unless ``include_personal``. ``credit``: ``--credit`` as
    given (the page's data credit, as map, cover and delineate take it: :meth:`~yuanluo.planners.cli.options.
    MapFields.data_credit`), else the credit the result records; ``""`` drops it."""
    from yuanluo.gis.lock import read_locks
    from yuanluo.gis.personal import require_page_ids
    from yuanluo.gis.plan import plan_meeting_points
    from yuanluo.maps.editor import editor_payload, render_editor
    from yuanluo.planners import workflows as W

    inputs, layers = editor_inputs(result, terrain)
    # ids that are id-card or phone numbers go into the page only when asked for: said before any work on them
    require_page_ids(inputs.households.index, include_personal=include_personal, page="editor",
                     file=f"{result}::households")
    # a nest_by typo stops here; the page says the rules it cannot check in check's words (RULE-UNAPPLIED: for a
    # result whose delineation found the settlements itself, what the result lacks), naming what the page can do
    # (its households read as a result's, as check reads them: editor_inputs names the layer for any GeoPackage)
    own = W.result_layers(result)
    unapplied = W.rule_columns(dataclasses.replace(inputs, result=own is not None and "households" in own), rules,
                               rules_file=rules_file, head="editor.unapplied.head")
    if plan is not None and W.polygon_plan(plan):  # unit polygons given as a table: --units reads them
        from yuanluo.gis.errors import InputError, problem

        raise InputError(problem("EDIT-PLAN-UNITS", plan=str(plan)))
    given = plan is not None or units is not None or bool(unit_col)  # another plan than the result's own
    drawn: dict[str, Any] = {}
    if given:
        labels, _ = W.read_plan(inputs, plan=plan, units=units, unit_col=unit_col, units_crs=units_crs, strict=True)
        locks = read_locks(plan) if plan is not None else []
        # the dashed outlines are the plan as loaded: its own territories, as check --map draws a plan's (the
        # result's units layer is another plan's: outlines of units the plan lacks, or of other households)
        from yuanluo.gis.units import unit_territories

        lab = labels.dropna().astype(str)
        on = inputs.households.index.astype(str).isin(lab.index.astype(str))
        drawn["units"] = unit_territories(inputs.households[on], lab.set_axis(lab.index.astype(str))) if on.any() else None
    else:
        labels, _ = W.read_plan(inputs, unit_col="unit_id")
        own = layers.get("units")  # a result of delineate --lock: the units it kept stay locked in the page
        locks = (own.loc[own["locked"].fillna(False).astype(bool), "unit_id"].astype(str).tolist()
                 if own is not None and {"unit_id", "locked"} <= set(own.columns) else [])
    t = terrain or Terrain()
    C.step("step.graph")
    g, _ = W.plan_graph(inputs, max_walk_min=t.max_edge_walk)
    lyr = {**layers, **drawn, "households": inputs.households}
    # --unit-col names the unit column of the meeting-point table too, as check and repair read it
    meet = W.read_meeting_points(meeting_points, unit_col=unit_col, households=inputs.households,
                                 crs=W.household_crs(inputs), labels=labels) if meeting_points else None
    warnings = list(inputs.warnings)
    if meet is None and plan is not None:  # the plan's 议事点 column (as the page exports it), as check --plan reads it
        meet = plan_meeting_points(plan, inputs.households, unit_col=unit_col)
        if meet is not None:
            warnings += meeting_column_warnings(meet, labels)
    if meet is None and not given and "meeting_points" in layers:  # the result's own plan: its meeting points
        meet = W.read_meeting_points(f"{result}::meeting_points")
    declared = W.result_declared(inputs, layers.get("units"))
    # the hillshade of the DEM walked over (--dem, else the result's own found unchanged, RESULT-DEM-OWN; none
    # found, RESULT-DEM says which --dem to add: one warning, the page then has no hillshade)
    payload = editor_payload(lyr, labels, rules, g, graph_kind=W.graph_basis(inputs), locks=locks,
                             meeting_points=meet, lang=lang, declared=declared,
                             credit=MapFields(credit=credit).data_credit(inputs.credit),
                             hillshade=inputs.terrain, include_personal=include_personal, unapplied=unapplied)
    n_units = int(labels.dropna().nunique())
    return render_editor(payload), {"n": len(inputs.households), "k": n_units, "warnings": warnings,
                                    "unapplied": unapplied}


def meeting_column_warnings(meet: Any, labels: Any) -> list[Any]:
    """The PLAN-MEET-COLUMN warnings ``check --plan`` gives of a plan's 议事点 column (``meet``, as
    :func:`~yuanluo.gis.plan.plan_meeting_points` reads it): one per unit of the plan (``labels``) whose rows name
    none of its households (another unit's, an unknown id, one in no unit) or two of them, with the rows and why;
    it is walked to its centre, in the page as in the check. A unit whose cells are all blank is not one: it has
    no meeting point given, which the page says itself as ``check --plan`` does (PLAN-MEETING)."""
    from yuanluo.gis.check import blank_meeting_cells
    from yuanluo.gis.errors import problem
    from yuanluo.gis.plan import unit_sort_key

    lacking = meet.attrs.get("lacking") or {}
    units = set(labels.dropna().astype(str))
    return [problem("PLAN-MEET-COLUMN", severity="warning", file=meet.attrs.get("file"), rows=lacking[u]["rows"],
                    unit=u, column=meet.attrs.get("column", ""), why=lacking[u]["why"])
            for u in sorted(lacking, key=unit_sort_key) if u in units and not blank_meeting_cells(lacking[u])]


@C.handle_errors
@expand
def edit(
    result: Annotated[Path, typer.Argument(help="cli.arg.result", metavar="cli.meta.result", show_default=False)],
    *,
    output: Annotated[Path, typer.Option("-o", "--output", help="cli.opt.edit_output")],
    plan: Annotated[Path | None, typer.Option("--plan", help="cli.opt.edit_plan")] = None,
    units: Annotated[str | None, typer.Option("--units", help="cli.opt.units")] = None,
    unit_col: Annotated[str | None, typer.Option("--unit-col", "--unit-field", "--unit-id-field",
                                                 help="cli.opt.unit_col")] = None,
    units_crs: Annotated[str | None, typer.Option("--units-crs", help="cli.opt.units_crs")] = None,
    meeting_points: Annotated[str | None, typer.Option("--meeting-points", help="cli.opt.meeting_points")] = None,
    include_personal: Annotated[bool, typer.Option("--include-personal", help="cli.opt.include_personal_ids")] = False,
    credit: Annotated[str | None, typer.Option("--credit", help="cli.opt.edit_credit")] = None,
    rules: RuleChoice,
    terrain: Terrain,
    out: Output,
    common: Common,
) -> None:
    """Write the editor page of a result."""
    C.setup(common.lang, common.verbose, common.quiet)
    from yuanluo.gis.output import require_free, write_bytes
    from yuanluo.planners import workflows as W

    recorded, _ = W.result_dem(result, terrain.dem)  # the result's own DEM, walked over and drawn: not replaced
    require_free([output], overwrite=out.overwrite,
                 inputs=W.spec_paths(result, plan, units, meeting_points, recorded, *terrain.specs(), *rules.specs()))
    chosen = rules.resolve(recorded=W.result_rules(result),  # a result's own rules when none are given
                           read=lambda: W.read_result(result, command="edit"))
    html, summary = build_editor(result, chosen, plan=plan, terrain=terrain, meeting_points=meeting_points,
                                 lang=C.lang(), rules_file=rules.rules_file, include_personal=include_personal,
                                 credit=credit, units=units, unit_col=unit_col, units_crs=units_crs)
    C.print_problem_summary(summary["warnings"], title=C.msg("cli.title.input_warnings"))
    from yuanluo.planners.cli.delineate import print_unapplied

    # the rules the page says it cannot check, said here too in the page's words, as check says them (-q: none)
    print_unapplied(summary["unapplied"], "cli.unapplied.check")
    data = html.encode("utf-8")
    C.step("step.write")
    write_bytes(output, data, overwrite=out.overwrite)
    C.out.print(C.msg("cli.edit.written", file=str(output), n=C.num(summary["n"]), k=C.num(summary["k"]),
                      size=f"{len(data) / 1e6:.1f} MB"), markup=False)
