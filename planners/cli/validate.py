"""``yuanluo validate``: read a household file (and its boundary / group layers, the DEM, rivers, water and roads
it will be delineated with) and report every problem."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from yuanluo.planners import console as C
from yuanluo.planners.cli.options import Areas, Common, HouseholdFile, expand

if TYPE_CHECKING:
    from yuanluo.gis.errors import Problem
    from yuanluo.planners.workflows import Inputs


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
    from yuanluo.gis.errors import YuanluoError
    from yuanluo.planners.workflows import load_inputs

    try:
        inputs = load_inputs(hh.households, **hh.read_kwargs(), **areas.read_kwargs(), dem=dem, rivers=rivers,
                             water=water, roads=roads)
        inputs.warnings.extend(_barrier_findings(inputs))  # its errors raised: exit 2, as delineate stops
    except YuanluoError as exc:  # validate writes nothing: its errors do not say that nothing was written
        raise exc.from_reader() from exc.__cause__
    C.out.print(C.msg("cli.validate.ok", file=hh.households, n=C.num(len(inputs.households)),
                      crs=inputs.households.crs.to_string()), markup=False)
    if getattr(inputs.report, "format", None) == "xlsx":  # which sheet of the workbook held the households
        C.note(C.msg("cli.validate.sheet", sheet=inputs.report.layer))  # a note: not with -q
    if inputs.warnings and not C.quiet():  # -q: the outcome only (a file that reads has no errors)
        C.print_problems(inputs.warnings)  # each begins with 警告 / Warning


def _barrier_findings(inputs: Inputs) -> list[Problem]:
    """What ``delineate`` says of the rivers, water and roads as its graph takes them: the call of
    :func:`yuanluo.gis.neighbours.build_graph` (:func:`yuanluo.gis.barriers.prepare_barriers`, its defaults,
    the households as the places the layers must be near), so the same findings from the same code
    (``BARRIER-LANDUSE`` of a land survey's layer, ``BARRIER-FAR``, ``BARRIER-EMPTY`` …); its errors
    (``BARRIER-CRS-FAR`` …) are raised. Those already said as the layers were read are not said again."""
    import warnings

    import numpy as np

    from yuanluo.gis.barriers import prepare_barriers

    if inputs.rivers is None and inputs.water is None and inputs.roads is None:
        return []
    hh = inputs.households
    xy = np.column_stack([hh.geometry.x.to_numpy(), hh.geometry.y.to_numpy()])
    with warnings.catch_warnings():  # the barrier findings go to the warning table, in the run's language
        warnings.simplefilter("ignore")
        found = prepare_barriers(hh.crs, rivers=inputs.rivers, water=inputs.water, roads=inputs.roads,
                                 near=xy).problems
    said = {(p.code, p.message("en")) for p in inputs.warnings}
    return [p for p in found if (p.code, p.message("en")) not in said]
