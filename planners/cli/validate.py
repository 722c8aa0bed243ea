"""``yuanluo validate``: read a household file (and its boundary / group layers) and report every problem."""

from __future__ import annotations

from yuanluo.planners import console as C
from yuanluo.planners.cli.options import Areas, Common, HouseholdFile, expand


@C.handle_errors
@expand
def validate(hh: HouseholdFile, areas: Areas, common: Common) -> None:
    """Validate the inputs; writes nothing. Exit 2 with every problem listed, else 0 with the warnings."""
    C.setup(common.lang, common.verbose, common.quiet)
    from yuanluo.planners.workflows import load_inputs

    inputs = load_inputs(hh.households, **hh.read_kwargs(), **areas.read_kwargs())
    C.out.print(C.msg("cli.validate.ok", file=hh.households, n=len(inputs.households),
                      crs=inputs.households.crs.to_string()), markup=False)
    if getattr(inputs.report, "format", None) == "xlsx":  # which sheet of the workbook held the households
        C.out.print(C.msg("cli.validate.sheet", sheet=inputs.report.layer), markup=False)
    if inputs.warnings and not C.quiet():  # -q: the outcome only (a file that reads has no errors)
        C.print_problems(inputs.warnings)  # each begins with 警告 / Warning
