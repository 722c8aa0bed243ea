"""``yuanluo validate``: read a household file (and its boundary / group layers, the DEM, rivers, water and roads
it will be delineated with) and report every problem."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from yuanluo.planners import console as C
from yuanluo.planners.cli.options import Areas, Common, HouseholdFile, RuleChoice, expand

if TYPE_CHECKING:
    from yuanluo.gis.errors import Problem
    from yuanluo.planners.workflows import Inputs


@dataclasses.dataclass
class ValidateRules(RuleChoice):
    """``delineate``'s rule options (``--preset``, ``--min``, ``--max``, ``--rules``), merged as it merges them
    (:meth:`RuleChoice.resolve_for`); ``--rules`` helped as what validate does with the file."""

    rules_file: Annotated[Path | None, typer.Option("--rules", help="cli.opt.validate_rules")] = None

    def given(self) -> bool:
        """Whether any rule option is given (none: the household file alone is validated, no rules).

        >>> ValidateRules().given(), ValidateRules(min_size=18).given()
        (False, True)
        """
        return any(v is not None for v in (self.preset, self.min_size, self.max_size, self.rules_file))

    def options(self) -> str:
        """The rule options given but the rule file, as typed (for a message naming the rules' source).

        >>> ValidateRules(preset="changshou", min_size=18).options()
        '--preset changshou --min 18'
        """
        return " ".join(f"{opt} {v}" for opt, v in (("--preset", self.preset), ("--min", self.min_size),
                                                    ("--max", self.max_size)) if v is not None)

    def whole(self) -> bool:
        """Whether the options give whole rules (a preset, a rule file, or both bounds), as
        :meth:`RuleChoice.resolve_for` judges them; else a result's recorded rules are taken, the bound given over
        them."""
        return self.preset is not None or self.rules_file is not None or None not in (self.min_size, self.max_size)


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
    rules: ValidateRules,
) -> None:
    """Validate the inputs; writes nothing. Exit 2 with every problem listed, else 0 with the warnings. With the
    DEM, rivers, water and roads the households are checked against them as ``delineate`` checks them (DEM-COVER,
    households in water, coordinates offset by a phone map's GCJ-02 against the roads: COORD-GCJ-CONTEXT). With
    ``--rules``, ``--preset``, ``--min`` or ``--max`` the rules are chosen as ``delineate`` chooses them from the same
    options (a rule file read as it reads it, bounds given overriding the file's or the preset's, a result's recorded
    rules under one bound alone), then held against the households' columns as ``delineate`` holds them before its
    work (:func:`_rule_findings`), in the same coded messages."""
    C.setup(common.lang, common.verbose, common.quiet)
    from yuanluo.gis.errors import YuanluoError
    from yuanluo.planners.cli.delineate import print_unapplied
    from yuanluo.planners.workflows import load_inputs

    unapplied: list[Problem] = []
    try:  # the rules first, as delineate chooses them first (its notes on stderr: RULE-FILE-GBK …)
        chosen = (rules.resolve_for(hh.households, "validate", read=lambda: load_inputs(hh.households,
                                                                                       **hh.read_kwargs()))
                  if rules.given() else None)
        inputs = load_inputs(hh.households, **hh.read_kwargs(), **areas.read_kwargs(), dem=dem, rivers=rivers,
                             water=water, roads=roads)
        C.keep_names(inputs.households)  # a name with a space kept on one line, one with a line break shown
        inputs.warnings.extend(_barrier_findings(inputs))  # its errors raised: exit 2, as delineate stops
        if chosen is not None:
            recorded = None if rules.whole() else str(hh.households)  # a result's rules, one bound given over them
            unapplied = _rule_findings(inputs, chosen, rules.rules_file, rules.options(), recorded)
    except YuanluoError as exc:  # validate writes nothing: its errors do not say that nothing was written
        raise exc.from_reader() from exc.__cause__
    C.out.print(C.msg("cli.validate.ok", file=hh.households, n=C.num(len(inputs.households)),
                      crs=inputs.households.crs.to_string()), markup=False)
    if getattr(inputs.report, "format", None) == "xlsx":  # which sheet of the workbook held the households
        C.note(C.msg("cli.validate.sheet", sheet=inputs.report.layer))  # a note: not with -q
    if inputs.warnings and not C.quiet():  # -q: the outcome only (a file that reads has no errors)
        C.print_problems(inputs.warnings)  # each begins with 警告 / Warning
    print_unapplied(unapplied, "cli.unapplied.delineate")  # as delineate says them (not with -q)


def _rule_findings(inputs: Inputs, rules: Any, rules_file: Path | None, options: str = "",
                   recorded: str | None = None) -> list[Problem]:
    """The rules held against the households as ``delineate`` holds them before its work: a ``nest_by`` name that
    is no column (``RULE-NEST-UNKNOWN``) and, where sizes count persons, no persons column or a household without
    a whole count (``CHECK-PERSONS``, ``CLUSTER-PERSONS``) raised; the ``RULE-UNAPPLIED`` warnings of the rules
    the file has no column for (a nesting level, the candidate heads under ``require_head``) returned; ``options``:
    the other rule options given, as typed (``--preset changshou --min 18``); ``recorded``: the result whose recorded
    rules they were taken from."""
    from yuanluo.gis.cluster import persons_problems
    from yuanluo.gis.errors import InputError
    from yuanluo.planners.workflows import rule_columns

    unapplied = rule_columns(inputs, rules, rules_file=rules_file, settlements=False, done="apply")
    if rules.size_by == "persons":
        stop = persons_problems(inputs.households)
        if stop:
            raise InputError(stop)
    inputs.warnings.extend(group_sizes(inputs.households, rules, rules_file, options, recorded))
    inputs.warnings.extend(group_heads(inputs.households, rules, rules_file, options, recorded))
    return unapplied


#: the groups RULE-SIZE-GROUPS names before it counts the rest
GROUPS_SHOWN = 10


def group_sizes(households: Any, rules: Any, rules_file: Path | None, options: str = "",
                recorded: str | None = None) -> list[Problem]:
    """``RULE-SIZE-GROUPS`` (a warning) for the groups of the households by the rules' nesting columns there are
    (village and group: each village's groups) whose size (households, or persons) no split into units within the
    band fits (:meth:`yuanluo.gis.rules.Rules.feasible_size`: 9 below 15–25, 27 above one unit and below two):
    nesting being kept, delineate leaves an exception unit in each (``RULE-INFEASIBLE``). Households with a
    blank nesting cell are left out (the reader says them: ``NEST-BLANK``); no nesting column, nothing said. The
    rules are named by where they came from: the rule file alone (``rules_file``), else every source given (the
    file, the result whose ``recorded`` rules were taken, the ``options`` as typed: ``--preset changshou --min 18``),
    with the fix changing the band by ``--min`` and ``--max``.

    >>> import pandas as pd
    >>> from yuanluo.gis.rules import Rules
    >>> hh = pd.DataFrame({"village": ["新华村"] * 14 + ["红岩村"] * 5, "group": ["一组"] * 11 + ["二组"] * 3 + ["一组"] * 5})
    >>> [p.params["groups"]["en"] for p in group_sizes(hh, Rules(4, 5, nest_by=("村", "组")), None)]
    ['新华村 一组 (11 households), 新华村 二组 (3 households)']
    >>> group_sizes(hh, Rules(4, 5, nest_by=("村", "组")), None, "--min 4 --max 5")[0].message("en").splitlines()[0]
    'Warning RULE-SIZE-GROUPS: the rules given (--min 4 --max 5) set units of 4–5 households, and 2 of the groups \
they nest by cannot be split into units within that: 新华村 一组 (11 households), 新华村 二组 (3 households); \
delineate leaves an exception unit in each (RULE-INFEASIBLE).'
    """
    import pandas as pd

    from yuanluo.gis.catalogue import LANGS, text
    from yuanluo.gis.errors import problem
    from yuanluo.gis.rules import resolve_nest_by

    cols = [c for c in resolve_nest_by(rules.nest_by, households.columns) if c in households.columns]
    if not cols:
        return []
    keys = households[cols].astype("string").apply(lambda s: s.str.strip())
    known = keys.notna().all(axis=1) & (keys != "").all(axis=1)
    what = "persons" if rules.size_by == "persons" else "households"
    size = (pd.to_numeric(households["persons"], errors="coerce").fillna(0) if what == "persons"
            else pd.Series(1, index=households.index))
    sizes = size[known.to_numpy()].groupby([keys.loc[known, c] for c in cols], sort=False).sum()
    bad = [(" ".join(k if isinstance(k, tuple) else (k,)), int(n)) for k, n in sizes.items()
           if not rules.feasible_size(int(n))]
    if not bad:
        return []
    groups = {}
    for lang in LANGS:
        shown = [text("validate.group_size", lang, group=g, n=n, what=text(f"delineate.what.{what}", lang))
                 for g, n in bad[:GROUPS_SHOWN]]
        more = len(bad) - GROUPS_SHOWN
        groups[lang] = text("list.sep", lang).join(shown) + (text("validate.groups_more", lang, n=more)
                                                              if more > 0 else "")
    given = {lang: text("list.sep", lang).join(
        [*([text("validate.source.file", lang, file=str(rules_file))] if rules_file is not None else []),
         *([text("validate.source.recorded", lang, file=recorded)] if recorded is not None else []),
         *([options] if options else [])]) for lang in LANGS}
    found = problem("RULE-SIZE-GROUPS", severity="warning", file=str(rules_file or ""), lo=rules.min_size,
                    hi=rules.max_size, what={lang: text(f"delineate.what.{what}", lang) for lang in LANGS},
                    count=len(bad), groups=groups, given=given)
    alone = rules_file is not None and not options and recorded is None  # the file's band: its own words
    return [found if alone else dataclasses.replace(found, variant="options")]


def group_heads(households: Any, rules: Any, rules_file: Path | None, options: str = "",
                recorded: str | None = None) -> list[Problem]:
    """``RULE-HEAD-GROUPS`` (a warning) under ``require_head`` for the groups of the households by the rules'
    nesting columns (all the households where there is none) whose candidate heads are fewer than the fewest units
    the group needs (its size over the band's ceiling, rounded up): however delineate divides the group, some of
    its units lack a candidate, each an exception (``HEAD-SHORT``). A candidate column left blank, or saying no
    throughout, is said so before the work instead of as every unit short after it. Nothing without the rule or
    without a candidate-head column (that is ``RULE-UNAPPLIED``). The rules are named by their source as in
    :func:`group_sizes`.

    >>> import pandas as pd
    >>> from yuanluo.gis.rules import Rules
    >>> hh = pd.DataFrame({"village": ["新华村"] * 30 + ["红岩村"] * 20, "group": ["一组"] * 30 + ["二组"] * 20,
    ...                    "head_candidate": [True] + [False] * 29 + [True] * 2 + [False] * 18})
    >>> print(group_heads(hh, Rules(10, 20), None, "--preset changshou")[0].message("en").splitlines()[0])
    Warning RULE-HEAD-GROUPS: the rules given (--preset changshou) ask for a candidate head in every unit of at \
most 20 households, and in 1 of the groups they nest by the candidates are fewer than the fewest units needed: \
新华村 一组 (30 households, at least 2 units, 1 candidate); however delineate divides them, some of their units \
lack one, each an exception (HEAD-SHORT).
    >>> group_heads(hh.assign(head_candidate=True), Rules(10, 20), None), group_heads(hh, Rules(10, 20,
    ...     require_head=False), None)
    ([], [])
    """
    import numpy as np
    import pandas as pd

    from yuanluo.gis.catalogue import LANGS, text
    from yuanluo.gis.check import _as_bool
    from yuanluo.gis.errors import problem
    from yuanluo.gis.rules import resolve_nest_by

    if not rules.require_head or "head_candidate" not in households.columns or len(households) == 0:
        return []
    cols = [c for c in resolve_nest_by(rules.nest_by, households.columns) if c in households.columns]
    what = "persons" if rules.size_by == "persons" else "households"
    size = (pd.to_numeric(households["persons"], errors="coerce").fillna(0) if what == "persons"
            else pd.Series(1, index=households.index)).to_numpy()
    head = _as_bool(households["head_candidate"]).astype(int)
    if cols:
        keys = households[cols].astype("string").apply(lambda s: s.str.strip())
        known = (keys.notna().all(axis=1) & (keys != "").all(axis=1)).to_numpy()
        by = [keys.loc[known, c] for c in cols]
        frame = pd.DataFrame({"size": size[known], "head": head[known]}, index=keys.index[known])
        sums = frame.groupby(by, sort=False).sum()
        found = [(" ".join(k if isinstance(k, tuple) else (k,)), float(r["size"]), int(r["head"]))
                 for k, r in sums.iterrows()]
    else:
        found = [("", float(size.sum()), int(head.sum()))]
    bad = [(g, n, int(np.ceil(n / rules.max_size)), h) for g, n, h in found if h < np.ceil(n / rules.max_size)]
    if not bad:
        return []
    groups = {}
    for lang in LANGS:
        shown = [text("validate.group_heads", lang, group=g or text("validate.group_all", lang), n=f"{n:g}",
                      what=text(f"delineate.what.{what}", lang), units=u, heads=h) for g, n, u, h in bad[:GROUPS_SHOWN]]
        more = len(bad) - GROUPS_SHOWN
        groups[lang] = text("list.sep", lang).join(shown) + (text("validate.groups_more", lang, n=more)
                                                              if more > 0 else "")
    given = {lang: text("list.sep", lang).join(
        [*([text("validate.source.file", lang, file=str(rules_file))] if rules_file is not None else []),
         *([text("validate.source.recorded", lang, file=recorded)] if recorded is not None else []),
         *([options] if options else [])]) for lang in LANGS}
    whole: dict[str, Any] = {}
    if not cols:  # no nesting: the file's households are the one group, said so plainly (variant whole)
        _, n, u, h = bad[0]
        whole = {"n": f"{n:g}", "units": u, "heads": h}
    said = problem("RULE-HEAD-GROUPS", severity="warning", file=str(rules_file or ""), hi=rules.max_size,
                   what={lang: text(f"delineate.what.{what}", lang) for lang in LANGS}, count=len(bad),
                   groups=groups, given=given, **whole)
    alone = rules_file is not None and not options and recorded is None  # the file's rules: its own words
    variant = "_".join(v for v in ("" if alone else "options", "whole" if whole else "") if v)
    return [dataclasses.replace(said, variant=variant) if variant else said]


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
