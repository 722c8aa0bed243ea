"""``yuanluo validate``: read a household file (and its boundary / group layers, the DEM, rivers, water and roads
it will be delineated with) and report every problem."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from yuanluo.planners import console as C
from yuanluo.planners.cli.options import Areas, Common, HouseholdFile, expand


@C.handle_errors
@expand
def validate(
    hh: HouseholdFile,
    areas: Areas,
    common: Common,
    *,
    dem: Annotated[Path | None, typer.Option("--dem", help="cli.opt.dem")] = None,
    rivers: Annotated[str | None, typer.Option("--rivers", help="cli.opt.rivers")] = None,
    water: Annotated[str | None, typer.Option("--water", help="cli.opt.water")] = None,
    roads: Annotated[str | None, typer.Option("--roads", help="cli.opt.roads")] = None,
) -> None:
    """Validate the inputs; writes nothing. Exit 2 with every problem listed, else 0 with the warnings. With the
    DEM, rivers, water and roads the households are checked against them as ``delineate`` checks them (DEM-COVER,
    households in water, coordinates offset by a phone map's GCJ-02 against the roads: COORD-GCJ-CONTEXT)."""
    C.setup(common.lang, common.verbose, common.quiet)
    from yuanluo.planners.workflows import load_inputs

    inputs = load_inputs(hh.households, **hh.read_kwargs(), **areas.read_kwargs(), dem=dem, rivers=rivers,
                         water=water, roads=roads)
    C.out.print(C.msg("cli.validate.ok", file=hh.households, n=len(inputs.households),
                      crs=inputs.households.crs.to_string()), markup=False)
    if getattr(inputs.report, "format", None) == "xlsx":  # which sheet of the workbook held the households
        C.note(C.msg("cli.validate.sheet", sheet=inputs.report.layer))  # a note: not with -q
    if inputs.warnings and not C.quiet():  # -q: the outcome only (a file that reads has no errors)
        C.print_problems(inputs.warnings)  # each begins with 警告 / Warning
