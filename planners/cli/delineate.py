"""``yuanluo delineate``: courtyard units written as a GeoPackage (and an HTML map, an organisation tree)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from yuanluo.gis.errors import InputError, OutputError, problem
from yuanluo.planners import console as C
from yuanluo.planners.cli.options import (
    SEED_MAX,
    Areas,
    Common,
    HouseholdFile,
    Output,
    PlanFields,
    RuleChoice,
    Terrain,
    expand,
)

SUMMARY_ITEMS = ("households", "units", "units_in_band", "units_ok", "exception_units", "households_in_exceptions", "size_min",
                 "size_median", "size_max", "mean_walk_min", "graph_components")


def print_summary(summary: dict[str, Any], rules: Any) -> None:
    """The delineation summary as a table (item, value) in the chosen language."""
    rows = [(C.msg(f"cli.sum.{key}"), _value(val)) for key in SUMMARY_ITEMS if (val := summary.get(key)) is not None]
    # the band in its own measure: a persons band (size_by = "persons") is not a number of households
    key = "cli.title.summary.persons" if getattr(rules, "size_by", "households") == "persons" else "cli.title.summary"
    title = C.msg(key, min=rules.min_size, max=rules.max_size)
    if C.quiet():  # -q: the outcome in one line, no table
        C.out.print(C.msg("cli.delineate.outcome", title=title, households=_value(summary.get("households")),
                          units=_value(summary.get("units")), exceptions=_value(summary.get("exception_units"))),
                    markup=False)
        return
    C.print_table(title, rows)


def _value(val: Any) -> str:
    """A value of the summary as the console writes it: a count as the language writes counts (:func:`console.num`:
    English '1,200'), a measure (a median, a walk) to 0.1.

    >>> _ = C.set_lang("en"); _value(1200), _value(36.0), _value(1234.56), _value(None)
    ('1,200', '36.0', '1,234.6', 'None')
    >>> _ = C.set_lang("zh"); _value(1200)
    '1200'
    """
    import numbers

    if isinstance(val, numbers.Integral) and not isinstance(val, bool):
        return C.num(int(val))
    if isinstance(val, numbers.Real) and not isinstance(val, bool):
        return C.num(float(val), 1)
    return str(val)


def print_unapplied(problems: list[Any], key: str) -> None:
    """The rules the household file could not serve, as one coded warning (RULE-UNAPPLIED): a line naming them all
    (``key``: ``cli.unapplied.check`` or ``cli.unapplied.delineate``), then the fix of each. ``-q`` prints none
    (errors and the outcome only); the warnings are in the run layer and check's report, CSV and JSON all the same."""
    if not problems or C.quiet():
        return
    from yuanluo.gis.catalogue import text

    lang = C.lang()
    items = text("list.clause_sep", lang).join(p.params["rule"][lang] for p in problems)
    head = text("problem.warning", lang)
    C.out.print(f"{head} RULE-UNAPPLIED{text('punct.colon', lang)}{C.msg(key, items=items)}", markup=False)
    for p in problems:
        C.out.print("  " + text("problem.fix", lang, fix=p.fix(lang)), markup=False)


def print_settlements_found(rules: Any, columns: Any, fixes: list[Any] | None = None) -> None:
    """Where the rules keep settlements whole and the household file has no settlement column: the delineation
    found the settlements itself (by walking distance) and applied the rule, which is why it is not among its
    RULE-UNAPPLIED; a check of the result has no such column and says the rule was not checked. Said here, with
    the fix that makes the two agree (``fixes``: the RULE-UNAPPLIED a check would give, :func:`settle_fixes`), so
    that check names no rule delineate said nothing of (a note: ``-q`` prints none)."""
    if C.quiet() or not getattr(rules, "keep_settlements", False) or "settlement" in {str(c) for c in columns}:
        return
    from yuanluo.gis.catalogue import text

    C.out.print(C.msg("cli.settle_found"), markup=False)
    for p in fixes or []:
        C.out.print("  " + text("problem.fix", C.lang(), fix=p.fix(C.lang())), markup=False)


def settle_fixes(inputs: Any, rules: Any, rules_file: Any) -> list[Any]:
    """The RULE-UNAPPLIED a check of the result would give for keeping settlements whole (its fix names the
    household file and the rules as given), for :func:`print_settlements_found`."""
    from yuanluo.planners import workflows as W

    return [p for p in W.rule_columns(inputs, rules, rules_file=rules_file) if p.params.get("column") == ["settlement"]]


def print_result(result: Any, rules: Any, written: list[Path], *, head: str = "cli.unapplied.head",
                 unapplied: list[Any] | None = None, settle: list[Any] | None = None,
                 basis: str = "terrain") -> None:
    """Exception units and why, the summary, the rules the household file could not serve (``unapplied``: their
    RULE-UNAPPLIED warnings; by default found from the result's households, ``head`` the sentence for a missing
    candidate-head column, with what the command can do about it), what the neighbours were judged on when it
    was not the terrain (``basis``, :func:`yuanluo.planners.workflows.graph_basis`: no DEM, no rivers or neither,
    a note naming the options that add them), and the files written."""
    from yuanluo.planners.report import unapplied_problems

    C.print_problem_summary(list(result.model.problems_), title=C.msg("cli.title.notes"))
    print_summary(result.summary, rules)
    if unapplied is None:
        unapplied = unapplied_problems(rules, result.layers["households"].columns, settlements=False, head=head,
                                       done="apply")
    print_unapplied(unapplied, "cli.unapplied.delineate")
    print_settlements_found(rules, result.layers["households"].columns, settle)
    if basis != "terrain":  # walked on flat ground or across rivers: said, as check says it (a note: not with -q)
        C.note(C.msg(f"cli.delineate.basis.{basis}"))
    C.print_written(written)


def _context_given(hh: HouseholdFile, terrain: Terrain, areas: Areas) -> list[str]:
    """The context layers a delineation may carry into its output (:func:`yuanluo.planners.workflows.context_layers`),
    as far as the command line tells before the work: those given (``--rivers``, ``--boundary`` …), and the rivers,
    water and roads of a Yuanluo result whose households are read, which it walks over again
    (:func:`yuanluo.planners.workflows.load_inputs`). One given may still hold nothing to write (no water rows).

    >>> _context_given(HouseholdFile("hh.csv"), Terrain(rivers="r.shp"), Areas(boundary="b.gpkg"))
    ['rivers', 'boundary']
    """
    from yuanluo.planners import workflows as W

    given = {"rivers": terrain.rivers, "water": terrain.water, "roads": terrain.roads, "boundary": areas.boundary,
             "groups": areas.groups}
    path, layer = W.split_layer(hh.households)
    taken = W.result_context(W.result_layers(path) if path is not None else None, hh.layer or layer, given)
    return [k for k in W.CONTEXT_LAYERS if given[k] is not None or k in taken]


def _not_unapplied(problems: list[Any]) -> list[Any]:
    """The input warnings but the RULE-UNAPPLIED ones (said with the result, by :func:`print_unapplied`)."""
    return [p for p in problems if p.code != "RULE-UNAPPLIED"]


@C.handle_errors
@expand
def delineate(
    hh: HouseholdFile,
    *,
    output: Annotated[Path, typer.Option("-o", "--output", help="cli.opt.output_gpkg")],
    terrain: Terrain,
    areas: Areas,
    rules: RuleChoice,
    target_size: Annotated[float | None, typer.Option("--target-size", help="cli.opt.target_size",
                                                                 min=1.0, max=1_000_000.0)] = None,
    seed: Annotated[int, typer.Option("--seed", help="cli.opt.seed", min=0, max=SEED_MAX)] = 0,
    thorough_heads: Annotated[bool, typer.Option("--thorough-heads", help="cli.opt.thorough_heads")] = False,
    map_path: Annotated[Path | None, typer.Option("--map", help="cli.opt.map")] = None,
    shown: PlanFields,
    hierarchy_path: Annotated[Path | None, typer.Option("--hierarchy", help="cli.opt.hierarchy")] = None,
    xlsx_path: Annotated[Path | None, typer.Option("--xlsx", help="cli.opt.xlsx")] = None,
    town: Annotated[str | None, typer.Option("--town", help="cli.opt.town")] = None,
    seeds: Annotated[str | None, typer.Option("--seeds", help="cli.opt.seeds")] = None,
    plan: Annotated[Path | None, typer.Option("--plan", help="cli.opt.lock_plan")] = None,
    lock: Annotated[str | None, typer.Option("--lock", help="cli.opt.lock_units")] = None,
    out: Output,
    common: Common,
) -> None:
    """Delineate units; nothing is written unless every output can be produced."""
    C.setup(common.lang, common.verbose, common.quiet)
    from yuanluo.gis.output import (
        HTML_SUFFIXES,
        LAYER_SUFFIXES,
        layer_files,
        transaction,
        write_bytes,
        write_layers,
    )
    from yuanluo.planners import workflows as W
    from yuanluo.planners.tables import plan_xlsx

    locking = ["lock_changes"] if plan is not None or lock is not None else []
    tx = transaction([output, map_path, hierarchy_path, xlsx_path], overwrite=out.overwrite,
                     inputs=W.spec_paths(*hh.specs(), *terrain.specs(), *areas.specs(), *rules.specs(), seeds, plan),
                     allowed=[(output, LAYER_SUFFIXES), (map_path, HTML_SUFFIXES), (xlsx_path, (".xlsx",))],
                     layers=[(output, [*W.DELINEATE_LAYERS, *locking, *W.CONTEXT_LAYERS, "run"])])
    # a failure before the writer names the layers this run writes (the context layers it was given), not all
    tx.expect(output, layer_files(output, [*W.DELINEATE_LAYERS, *locking, *_context_given(hh, terrain, areas), "run"]))
    if hierarchy_path is not None and hierarchy_path.suffix.lower() not in (".graphml", ".json"):
        raise OutputError(problem("HIER-FORMAT", file=str(hierarchy_path), suffix=hierarchy_path.suffix or "-"))
    chosen = rules.resolve_for(hh.households, "delineate",  # a result's own rules when none are given
                               read=lambda: W.load_inputs(hh.households, **hh.read_kwargs()))
    inputs = W.load_inputs(hh.households, **hh.read_kwargs(), **terrain.read_kwargs(), **areas.read_kwargs(),
                           progress=C.step)
    C.keep_names(inputs.households)  # a name with a space kept on one line, one with a line break shown
    # a nest_by typo stops here; a rule the file has no column for is a warning, recorded in the run layer
    unapplied = W.rule_columns(inputs, chosen, rules_file=rules.rules_file, settlements=False, done="apply")
    inputs.warnings.extend(unapplied)
    map_kw = shown.resolve(inputs.households, hh.households, inputs.warnings,
                           drawn=map_path is not None or xlsx_path is not None)
    inputs.credit = shown.data_credit(inputs.credit)  # --credit, else the one a result records: maps and run
    if map_path is not None:  # a page: ids that are id-card or phone numbers only when asked for, before the work
        from yuanluo.gis.personal import require_page_ids, said_id_column

        require_page_ids(inputs.households.index, include_personal=shown.include_personal, id_col=True, page="map",
                         file=str(hh.households), column=said_id_column(inputs.warnings))
    head_n = W.THOROUGH_HEAD_N if thorough_heads else None
    if plan is not None or lock is not None:
        with tx:  # every output placed together, or none
            _delineate_locked(inputs, chosen, plan, lock, id_col=hh.id_col, seed=seed, max_walk=terrain.max_edge_walk,
                              output=output, overwrite=out.overwrite, map_path=map_path, xlsx_path=xlsx_path,
                              hierarchy_path=hierarchy_path, town=town or C.msg("cli.town"), map_kw=map_kw,
                              head_exact_max_n=head_n, unapplied=unapplied,
                              settle=settle_fixes(inputs, chosen, rules.rules_file))
        return
    seed_ids = W.read_seeds(seeds, id_col=hh.id_col, households=inputs.households,
                            crs=W.household_crs(inputs)) if seeds else None
    result = W.delineate(inputs, chosen, seed=seed, target_size=target_size, max_walk_min=terrain.max_edge_walk,
                         town=town or C.msg("cli.town"), seeds=seed_ids, head_exact_max_n=head_n,
                         progress=C.step, lang=C.lang())
    C.print_problem_summary(_not_unapplied(inputs.warnings), title=C.msg("cli.title.input_warnings"))
    params = {"rules": chosen.to_dict(), "target_size": target_size, "max_edge_walk_min": terrain.max_edge_walk,
              "seeds": len(seed_ids or []), "thorough_heads": thorough_heads, "counts": result.summary}
    layers = {**result.layers, **W.context_layers(inputs)}
    if map_path is not None:
        C.step("step.maps")
    html, _ = W.render_maps(layers, html=map_path is not None, png_or_pdf=None, lang=C.lang(),
                            terrain=inputs.terrain, rules=chosen, credit=inputs.credit, **map_kw)
    xlsx = plan_xlsx(layers, C.lang(), rules=chosen, **map_kw) if xlsx_path is not None else None
    C.step("step.write")
    with tx:  # every output placed together, or none
        write_layers(output, layers, overwrite=out.overwrite,
                     run=W.run_record("delineate", inputs, params, seed, lang=C.lang()), lang=C.lang())
        if hierarchy_path is not None:
            from yuanluo.gis.hierarchy import write_hierarchy

            write_hierarchy(result.hierarchy, hierarchy_path)
        if map_path is not None and html is not None:
            write_bytes(map_path, html, overwrite=out.overwrite)
        if xlsx_path is not None and xlsx is not None:
            write_bytes(xlsx_path, xlsx, overwrite=out.overwrite)
    print_result(result, chosen, tx.written, unapplied=unapplied, settle=settle_fixes(inputs, chosen, rules.rules_file),
                 basis=W.graph_basis(inputs))


LOCK_ITEMS = ("households", "units", "locked_units", "locked_households", "households_changed", "units_passing",
              "locked_breaking", "exception_units")


def _delineate_locked(inputs: Any, rules: Any, plan: Path | None, lock: str | None, *, id_col: str | None,
                      seed: int, max_walk: float, output: Path, overwrite: bool, map_path: Path | None,
                      xlsx_path: Path | None, hierarchy_path: Path | None, town: str,
                      map_kw: dict[str, Any] | None = None, head_exact_max_n: int | None = None,
                      unapplied: list[Any] | None = None, settle: list[Any] | None = None) -> None:
    """``--plan`` / ``--lock``: keep the locked units of the plan and delineate the rest around them. Households
    read from a Yuanluo result carry their plan: without ``--plan`` it is their ``unit_id``."""
    import pandas as pd

    from yuanluo.gis.output import write_bytes, write_layers
    from yuanluo.gis.plan import plan_meeting_points
    from yuanluo.planners import workflows as W

    if plan is None and not (inputs.result and "unit_id" in inputs.households.columns):
        raise InputError(problem("LOCK-NO-PLAN"))
    labels, _ = W.read_plan(inputs, plan=plan, id_col=id_col, strict=True)
    C.step("step.graph")
    g, kind = W.plan_graph(inputs, max_walk_min=max_walk)

    # the meeting points check, repair and the editor take (the plan's 议事点 column, else the result's own): the
    # units --lock valid keeps pass the check with them, and the locked units keep them (audit G §2, session 41)
    own = W.result_meeting_points(inputs)
    meet = plan_meeting_points(plan, inputs.households, id_col=id_col) if plan is not None else own
    why = W.plan_lock_sources(lock, plan, inputs, labels, rules, g, kind, meeting_points=meet)
    locked = list(why)
    kept = meet if own is None or meet is None or meet is own else pd.concat([own[~own.index.isin(meet.index)], meet])
    result = W.delineate_locked(inputs, rules, labels, locked, seed=seed, graph=g, town=town,
                                meeting=kept, head_exact_max_n=head_exact_max_n, progress=C.step, lang=C.lang())
    C.print_problem_summary(_not_unapplied(inputs.warnings), title=C.msg("cli.title.input_warnings"))
    params = {"rules": rules.to_dict(), "max_edge_walk_min": max_walk, "plan": str(plan or inputs.paths["households"]),
              "locked": locked, "thorough_heads": head_exact_max_n is not None,
              "counts": result.summary}
    layers = {**result.layers, **W.context_layers(inputs)}
    html = None
    if map_path is not None:
        C.step("step.maps")
        html, _ = W.render_maps(layers, html=True, png_or_pdf=None, lang=C.lang(), terrain=inputs.terrain,
                                rules=rules, credit=inputs.credit, **(map_kw or {}))
    C.step("step.write")
    write_layers(output, layers, overwrite=overwrite,
                 run=W.run_record("delineate", inputs, params, seed, lang=C.lang()), lang=C.lang())
    if hierarchy_path is not None:
        from yuanluo.gis.hierarchy import write_hierarchy

        write_hierarchy(result.hierarchy, hierarchy_path)
    if map_path is not None and html is not None:
        write_bytes(map_path, html, overwrite=overwrite)
    if xlsx_path is not None:
        from yuanluo.planners.tables import plan_xlsx

        write_bytes(xlsx_path, plan_xlsx(layers, C.lang(), rules=rules, **(map_kw or {})), overwrite=overwrite)
    # the new units' exceptions and the rules each locked unit breaks, as a plain delineate says its exceptions
    C.print_problem_summary(result.notes, title=C.msg("cli.title.notes"), per_code=max(3, len(locked)))
    if locked and not C.quiet():  # the units locked, grouped by why (a note: -q prints none): the plan's lock
        # column, --lock, or --lock valid
        groups: dict[tuple[str, ...], list[str]] = {}
        for u in locked:
            groups.setdefault(tuple(why[u]), []).append(u)
        C.out.print(C.msg("cli.lock.which", units=C.msg("lock.group_sep").join(
            C.msg("lock.unit_why", unit=C.msg("list.sep").join(units),
                  why=C.msg("list.sep").join(C.msg(f"lock.why.{w}") for w in ws)) for ws, units in groups.items())),
            markup=False)
    title = C.msg("cli.lock.title", min=rules.min_size, max=rules.max_size)
    if C.quiet():  # -q: the outcome in one line, no table
        C.out.print(C.msg("cli.delineate.outcome.lock", title=title, households=_value(result.summary["households"]),
                          units=_value(result.summary["units"]), locked=_value(result.summary["locked_units"]),
                          exceptions=_value(result.summary["exception_units"])), markup=False)
    else:
        C.print_table(title, [(C.msg(f"cli.lock.{k}"), _value(result.summary[k])) for k in LOCK_ITEMS])
    print_unapplied(unapplied or [], "cli.unapplied.delineate")
    print_settlements_found(rules, inputs.households.columns, settle)
    C.print_written((output, map_path, hierarchy_path, xlsx_path))
