"""``yuanluo repair``: the fewest household moves that make a plan pass, or why it cannot."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from yuanluo.gis.catalogue import Lang
from yuanluo.planners import console as C
from yuanluo.planners.cli.options import (
    Areas,
    Common,
    HouseholdFile,
    Output,
    PlanSource,
    RuleChoice,
    Terrain,
    expand,
)

#: what the repaired plan and the moves can be written as: a CSV, or a workbook whose ids are text cells
TABLE_SUFFIXES = (".csv", ".xlsx")


def _write_table(path: Path, name: str, table: pd.DataFrame, title: str, overwrite: bool) -> None:
    """A table for people, its headers already in words: an xlsx of one sheet ``title`` for a ``.xlsx`` path,
    else a CSV."""
    from yuanluo.gis.output import write_bytes, write_layers

    if path.suffix.lower() == ".xlsx":
        from yuanluo.planners.tables import tables_xlsx

        write_bytes(path, tables_xlsx({title: table}, C.lang()), overwrite=overwrite)
    else:
        write_layers(path, {name: table}, overwrite=overwrite, fmt="csv")


def _progress(key: str, params: dict[str, Any]) -> None:
    """What the repair is doing (``repair.step.*``: each pass, plan checked, exact model), as the part of its stage
    on the progress display: on a terminal the spinner's line; as plain lines (``-v``) at most one every 5 seconds.
    A Ctrl-C Python dropped where it landed stops the run here, as at any stage."""
    from yuanluo.gis import transaction

    transaction.raise_if_stopped()
    C.stages.part(C.msg(key, **{k: C.num(v) if isinstance(v, int) else v for k, v in params.items()}), every=5.0,
                  last=False)


@C.handle_errors
@expand
def repair(
    hh: HouseholdFile,
    *,
    output: Annotated[Path, typer.Option("-o", "--output", help="cli.opt.output_plan")],
    moves_path: Annotated[Path | None, typer.Option("--moves", help="cli.opt.moves")] = None,
    meeting_points: Annotated[str | None, typer.Option("--meeting-points", help="cli.opt.meeting_points")] = None,
    meeting_out: Annotated[Path | None, typer.Option("--meeting-out", help="repair.opt.meeting_out")] = None,
    source: PlanSource,
    rules: RuleChoice,
    terrain: Terrain,
    areas: Areas,
    max_moves: Annotated[int | None, typer.Option("--max-moves", help="cli.opt.max_moves", min=0)] = None,
    lock: Annotated[str | None, typer.Option("--lock", help="cli.opt.lock_units")] = None,
    fields: Annotated[str | None, typer.Option("--fields", help="personal.opt.plan_fields")] = None,
    include_personal: Annotated[bool, typer.Option("--include-personal",
                                                   help="personal.opt.plan_include_personal")] = False,
    out: Output,
    common: Common,
) -> None:
    """Repair the plan; exit 0 with the repaired plan written, 1 when it cannot be repaired."""
    C.setup(common.lang, common.verbose, common.quiet)
    from yuanluo.gis.output import transaction, write_layers
    from yuanluo.gis.plan import plan_kept
    from yuanluo.gis.repair import repair_plan
    from yuanluo.planners import tables as T
    from yuanluo.planners import workflows as W
    from yuanluo.planners.cli.delineate import print_unapplied

    tx = transaction([output, moves_path, meeting_out], overwrite=out.overwrite,
                     inputs=W.spec_paths(*hh.specs(), *terrain.specs(), *areas.specs(), *rules.specs(),
                                         *source.specs(), meeting_points),
                     allowed={output: TABLE_SUFFIXES, moves_path: TABLE_SUFFIXES, meeting_out: (".csv",)})
    chosen = rules.resolve_for(hh.households, "repair",  # a result's own rules when none are given
                               read=lambda: W.load_inputs(hh.households, **hh.read_kwargs()))
    inputs = W.load_inputs(hh.households, **hh.read_kwargs(), **terrain.read_kwargs(), **areas.read_kwargs(),
                           progress=C.step, plan_col=source.household_unit_col)
    W.plan_column_apart(inputs, source.unit_col, plan=source.plan, units=source.units)  # --unit-col 院落, as check
    # a nest_by typo stops here; a rule the file has no column for is a warning, said with the outcome (-q too)
    unapplied = W.rule_columns(inputs, chosen, rules_file=rules.rules_file, done="apply")
    labels, _ = W.read_plan(inputs, plan=source.plan, units=source.units, unit_col=source.unit_col, id_col=hh.id_col,
                             units_crs=source.units_crs, strict=True)
    C.keep_names(inputs.households, labels)  # a unit name with a line break shown on its reason's one line
    _one_name_each(inputs.warnings)
    shown = _plan_fields(inputs, hh.households, fields, include_personal, output)
    meet = source.meeting_points(inputs, meeting_points, hh.id_col, labels)
    if meeting_out is not None and chosen.max_walk_min is None and meet is None:  # no meeting points: none to write
        from yuanluo.gis.errors import InputError, problem

        raise InputError(problem("REPAIR-MEETING-OUT", file=str(meeting_out)))
    C.step("step.graph")
    g, kind = W.plan_graph(inputs, max_walk_min=terrain.max_edge_walk)
    C.print_problem_summary(inputs.warnings, title=C.msg("cli.title.input_warnings"))
    declared = W.result_declared(inputs)
    sources = W.plan_lock_sources(lock, source.plan, inputs, labels, chosen, g, kind, meeting_points=meet,
                                  declared=declared)
    locked = list(sources)
    C.step("step.repair")
    res = repair_plan(inputs.households, labels, chosen, g, max_moves=max_moves, graph_kind=kind,
                      meeting_points=meet, declared=declared, locked=locked, progress=_progress)
    # the plan's own 锁定 marks go on into the repaired plan, or reading it back would unlock those units; so do
    # the units its status or lock column recorded as kept that the repair left as they were (res.labels'
    # record, plan_kept), one 锁定 column for both, or checking the repaired plan would find islands through them
    marked = sorted({u for u, why in sources.items() if "column" in why} | set(plan_kept(res.labels).astype(str)))
    # the plan's own meeting points (its 议事点 column, a result's own) go on in its 议事点 column; a --meeting-points
    # table, which wins over the column where given again, has --meeting-out for the points the repair hands on
    carried = _carried_points(res.meeting_points, meet if meeting_points is None else None,
                              chosen.max_walk_min is None)
    C.step("step.write")
    with tx:  # the plan, the moves and the meeting points placed together, or none
        plan = T.plan_csv_table(T.with_fields(plan_rows(W.plan_table(res.labels, locked=marked), carried),
                                              inputs.households, shown, include_personal=include_personal), C.lang())
        _write_table(output, "plan", plan, C.msg("plan.sheet"), out.overwrite)
        if moves_path is not None:
            _write_table(moves_path, "moves", T.moves_table(res.moves, C.lang()), C.msg("repair.moves_sheet"),
                         out.overwrite)
        if meeting_out is not None:
            mp = res.meeting_points if res.meeting_points is not None else pd.Series(dtype=object)
            meet_table = T.plan_csv_table(pd.DataFrame({"unit_id": mp.index.astype(str),
                                                        "hid": mp.astype(str).to_numpy()}), C.lang())
            write_layers(meeting_out, {"meeting_points": meet_table}, overwrite=out.overwrite, fmt="csv")
    n = len(res.moves)
    # units locked, made or dissolved: the ids a planner looks for; notes, which -q leaves out, but for a meeting
    # point the repair changed (the plan written differs there, as "0 households moved" does not say) and the
    # clock's safety net reached (another run may write another plan): QUIET_NOTES
    told = res if not C.quiet() else dataclasses.replace(res, notes=[n for n in res.notes if n[0] in QUIET_NOTES])
    for note in _notes(told, meeting_out, chosen.max_walk_min is None):
        C.out.print(note, markup=False)
    print_unapplied(unapplied, "cli.unapplied.delineate")
    if res.passed and not n and res.before is not None and res.before.passed:  # nothing was wrong, nothing moved
        C.out.print(C.msg("cli.repair.already"), markup=False)
    elif res.passed:
        C.out.print(C.msg("cli.repair.passed", n=C.num(n)), markup=False)
    else:  # what it mended and what is left; the plan and the moves are written all the same
        before, left = _errors(res.before), _errors(res.check)
        mended, made = _mended_and_made(res.before, res.check)
        key = "repair.failed" if not made else "repair.failed.made" if left <= before else "repair.failed.more"
        C.out.print(C.msg(key, n=C.num(n), before=C.num(before), mended=C.num(mended), made=C.num(made),
                          left=C.num(left)), markup=False)
        for line in res.reason_lines(C.lang()):  # one reason a line: a failed repair can list dozens
            C.out.print(f"  - {line}", markup=False, soft_wrap=True)
    said = method_note(res, C.lang())
    if said:  # whether the moves made are the fewest: a note, -q prints the outcome and the errors only
        C.note(said)
    if not res.passed and declared is None and source.plan is not None and res.check is not None:
        from yuanluo.planners.cli.check import print_table_exceptions

        print_table_exceptions(res.check, source.plan, source.unit_col, "repair")
    C.print_written(tx.written)
    raise typer.Exit(C.EXIT_OK if res.passed else C.EXIT_VIOLATIONS)


#: the repair's notes printed under -q too: a change to the plan written beside the households moved (a meeting
#: point let go and chosen anew), and the exact models stopped by the clock's safety net (the plan written is not
#: the one an idle machine writes)
QUIET_NOTES = ("repair.note.meeting_walk", "repair.note.clock")


def _one_name_each(warnings: list[Any]) -> None:
    """Stop (REPAIR-UNIT-VARIANT, exit 2, nothing written) where the plan writes one unit name several ways
    (``PLAN-UNIT-VARIANT``: 1院落 / 第一院落 / 一院落, ``PLAN-UNIT-CASE``: U020 / u020, as a clerk types them). The
    check keeps such names apart as written and only warns; repaired so, each spelling is a unit of a few households
    to fill or merge away (351 moves on a clerk's list of 19 units), a plan no planner wants, and merging them here
    would be a guess the check does not make. Written one way, both take them for one unit."""
    from yuanluo.gis.errors import InputError, problem

    found = [q for q in warnings if q.code in ("PLAN-UNIT-VARIANT", "PLAN-UNIT-CASE")]
    if found:
        raise InputError([problem("REPAIR-UNIT-VARIANT", file=q.file, rows=q.rows, ids=q.ids, **q.params)
                          for q in found])


def _plan_fields(inputs: Any, file: Any, fields: str | None, include_personal: bool, output: Path) -> list[str]:
    """The household columns ``--fields`` names for the repaired plan, as the delineation's Excel plan takes
    them (:meth:`yuanluo.planners.cli.options.MapFields.resolve`: FIELDS-UNKNOWN for a name that is no column, a
    folded candidate-head column as its column; a name of the household id adds nothing, the plan has the id);
    the ATTR-PERSONAL of ``inputs.warnings`` restated in place for what the plan carries and leaves out.
    ``--include-personal`` without ``--fields`` adds no column to the plan (``output``): the warning
    REPAIR-FIELDS-NONE says so, its fix naming the personal columns the households have (else two such names)."""
    from yuanluo.gis.catalogue import both
    from yuanluo.gis.errors import problem
    from yuanluo.gis.personal import find_personal, resolve_fields, with_shown
    from yuanluo.planners.cli.options import MapFields

    folded: list[Any] = []
    names, _ = MapFields(fields=fields)._without_id(inputs.households)
    cols = resolve_fields(inputs.households, names, str(file), folded)
    inputs.warnings.extend(folded)
    inputs.warnings[:] = with_shown(inputs.warnings, cols, include_personal)
    if include_personal and not MapFields(fields=fields).names():  # the option alone writes nothing more: said
        own = list(find_personal(inputs.households))[:3]
        example = ({"zh": ",".join(own), "en": ",".join(own)} if own
                   else both("repair.fields.example"))
        inputs.warnings.append(problem("REPAIR-FIELDS-NONE", severity="warning", file=output.name, example=example))
    return cols


def _carried_points(handed: pd.Series | None, given: pd.Series | None, nolimit: bool) -> pd.Series | None:
    """The meeting points the repaired plan's 议事点 column gives (None, no column, when none were given): of each
    unit a point was given for (``given``), its point as the repair handed it on (``handed``,
    ``RepairResult.meeting_points``): under a walking limit the one the limit was kept and checked against (the
    given one, or the one chosen where it went or was none of the unit's, as the notes say); without a limit
    (``nolimit``) only a given point still in its unit, or the one household a unit's cells named that the repair
    brought back into it (``attrs["lacking"]``'s ``named``; the notes ask the others for one of theirs:
    ``repair.note.*_nolimit``). Blank for the rest (a unit given none, one the repair made), which ``check`` walks
    to its centre, as the repair did, and warns of (``PLAN-MEETING``), as of the plan as given.

    >>> given = pd.Series({"A": "9", "B": "7"})
    >>> given.attrs["lacking"] = {"C": {"why": {"zh": "两户", "en": "two"}}, "D": {"blank": True},
    ...                           "E": {"why": {"zh": "…", "en": "…"}, "named": "6"}}
    >>> handed = pd.Series({"A": "1", "B": "7", "C": "3", "D": "4", "A-2": "5", "E": "6"})
    >>> _carried_points(handed, given, False).to_dict(), _carried_points(handed, given, True).to_dict()
    ({'A': '1', 'B': '7', 'C': '3', 'E': '6'}, {'B': '7', 'E': '6'})
    """
    from yuanluo.gis.check import blank_meeting_cells

    if handed is None or given is None:
        return None
    points = {str(u): str(h) for u, h in given.dropna().items()}
    if nolimit:  # and the one household a unit's cells named, not its own as given, that the repair brought back
        named = {u for u, h in points.items() if str(handed.get(u, "")) == h} | {
            str(u) for u, why in (given.attrs.get("lacking") or {}).items()
            if why.get("named") is not None and str(handed.get(str(u), "")) == str(why["named"])}
    else:
        named = set(points) | {str(u) for u, why in (given.attrs.get("lacking") or {}).items()
                               if not blank_meeting_cells(why)}
    return handed[handed.index.astype(str).isin(sorted(named))]


def plan_rows(plan: pd.DataFrame, meeting_points: pd.Series | None) -> pd.DataFrame:
    """The repaired plan's table (``hid, unit_id[, locked]``, :func:`yuanluo.planners.workflows.plan_table`) with,
    given ``meeting_points`` (unit id → household id, :func:`_carried_points`), a ``meeting_point`` column holding
    each row's unit's meeting point as the repair checked it (blank for a unit given none, walked to its centre,
    and for a household in no unit): the editor's export's 议事点 column, which ``check --plan``, ``edit --plan``
    and the editor's 载入方案 read back (:func:`yuanluo.gis.plan.plan_meeting_points`), so that they walk to the
    points the repair walked to, not to each unit's centre.

    >>> plan = pd.DataFrame({"hid": ["1", "2", "3"], "unit_id": ["A", "A", None]})
    >>> plan_rows(plan, pd.Series({"A": "2"}))["meeting_point"].tolist()
    ['2', '2', '']
    >>> list(plan_rows(plan, None).columns)
    ['hid', 'unit_id']
    """
    if meeting_points is None:
        return plan
    points = {str(u): str(h) for u, h in meeting_points.dropna().items()}
    return plan.assign(meeting_point=[points.get(str(u), "") if isinstance(u, str) else ""
                                      for u in plan["unit_id"].tolist()])


def _notes(res: Any, meeting_out: Path | None, nolimit: bool) -> list[str]:
    """The repair's notes in the console's language; without a walking limit, where ``--meeting-out`` writes the
    meeting points the repair hands on, a unit whose given point it has not is said with the point that file gives
    it (``repair.note.*_nolimit.out``), not as a point still to give."""
    import dataclasses

    if meeting_out is not None and nolimit:
        said = {f"repair.note.{k}_nolimit" for k in ("meeting", "meeting_off", "meeting_column")}
        res = dataclasses.replace(res, notes=[(f"{k}.out", {**p, "file": str(meeting_out)}) if k in said else (k, p)
                                              for k, p in res.notes])
    return list(res.note_texts(C.lang()))


def method_note(res: Any, lang: Lang) -> str | None:
    """What is proven of the number of households the repair moved (None when it moved none): the fewest of
    all, when the lower bound from the sizes (``res.lower_bound``) is as many; else what the method proves (the
    exact model: the fewest with at most its new units, within its region, keeping each unit's anchor), with the
    bound where it is counted; for a repair that only put declared exception units back, that this is not
    proven the fewest."""
    from yuanluo.gis.catalogue import text

    n, bound = len(res.moves), res.lower_bound
    if not n:
        return None
    # what the bound is counted from (RepairResult.lower_bound_from): the sizes' note, or the one of its own
    part = {"unassigned": ".unassigned", "both": ".both", "error": ".error",
            "heads": ".heads"}.get(getattr(res, "lower_bound_from", ""), "")
    if res.passed and bound is not None and bound >= n:
        return text(f"repair.method.fewest{part}", lang, n=n)
    if part == ".error":  # a bound of 1 says nothing of a repair moving more
        bound = None
    if res.method == "exact":
        return _waived(res, _placed_first(res, _let_go(res, _exact_note(res, lang), lang), lang), lang)
    if res.method in ("exact+heuristic", "heuristic"):
        if bound:
            return _waived(res, text(f"repair.method.{res.method}.bound{part}", lang, n=n, bound=bound,
                                     gap=n - bound), lang)
        return _waived(res, text(f"cli.repair.method.{res.method}", lang), lang)
    return text("repair.method.restored", lang)


def _waived(res: Any, note: str, lang: Lang) -> str:
    """The method ``note``, followed, where an exact optimum taken kept households beyond the walking limit that no
    move could bring within it (``res.exact_waived``), by that: its fewest moves mend the others, their limit left
    aside."""
    from yuanluo.gis.catalogue import text

    ids = list(getattr(res, "exact_waived", []) or [])
    if not ids:
        return note
    more = text("repair.block.more", lang) if len(ids) > 5 else ""
    return note + text("repair.method.waived", lang, ids=text("list.sep", lang).join(ids[:5]), more=more)


def _exact_note(res: Any, lang: Lang) -> str:
    """What the exact model's proof covers: every number of new units, at most k, or none; the centres of the units
    given no meeting point free (every optimum proven so: ``exact_centres_held`` false), or held before solving where
    some plan keeps them and following the moves where none does."""
    from yuanluo.gis.catalogue import text

    if not getattr(res, "exact_centres_held", True):  # proven with the centres free: no "centre chosen before"
        if res.exact_every_new:
            return text("repair.method.exact.all.proven", lang)
        if res.exact_new_units:
            return text("repair.method.exact.new.proven", lang, k=res.exact_new_units)
        return text("repair.method.exact.proven", lang)
    free = ".free" if res.exact_centres_moved else ""  # some units' centres followed the moves: said so
    if res.exact_every_new:
        return text(f"repair.method.exact.all{free}", lang)
    k = res.exact_new_units
    if k:
        return text(f"repair.method.exact.new{free}", lang, k=k)
    return text("repair.method.exact.free" if free else "cli.repair.method.exact", lang)


def _let_go(res: Any, note: str, lang: Lang) -> str:
    """The exact ``note`` as is, or, where the repair let given meeting points go (its notes
    ``repair.note.meeting_walk``: kept, the walking limit could not be met, or the repair moved more households),
    with those units named before its close, each with the point given for it and why: it did not keep it, as the
    note says each unit does, and counted as given none.

    >>> from types import SimpleNamespace as NS
    >>> note = "(Solved exactly: the fewest households moved, each unit keeping its meeting point.)"
    >>> _let_go(NS(notes=[]), note, "en") == note
    True
    >>> _let_go(NS(notes=[("repair.note.meeting_walk", {"unit": "A", "hid": "H00"})]), note, "en")[81:]
    "; unit A's given meeting point H00 was not kept: kept, not every household could reach it within the walking \
limit (see above), so it was let go and the unit counted as given none.)"
    >>> why = ("repair.note.meeting_walk_costly", {})
    >>> _let_go(NS(notes=[("repair.note.meeting_walk", {"unit": "A", "hid": "H00", "why": why})]), note, "en")[81:]
    "; unit A's given meeting point H00 was not kept: kept, the repair had to move more households (see above), so \
it was let go and the unit counted as given none.)"
    """
    from yuanluo.gis.catalogue import text

    # kept, the limit unmet (why: repair.note.meeting_walk_unmet), or met moving more households (_costly…)
    gone = [(str(p["unit"]), str(p["hid"]), "repair.method.let_go_costly" if str(p.get("why", ("",))[0]).startswith(
        "repair.note.meeting_walk_costly") else "repair.method.let_go") for k, p in res.notes
            if k == "repair.note.meeting_walk"]
    if not gone:
        return note
    close = text("repair.method.solved.close", lang)
    assert note.endswith(close), note  # every exact note (tests/test_s39_a_*)
    return note[:-len(close)] + "".join(text(key, lang, unit=u, hid=h) for u, h, key in gone) + close


def _placed_first(res: Any, note: str, lang: Lang) -> str:
    """The exact ``note`` as is, or, where households were taken out of their unit or placed before the exact step
    (``res.exact_placed_first``), said as the fewest given that first step, the households named (five, then "…").

    >>> from types import SimpleNamespace as NS
    >>> note = "(Solved exactly: the fewest households moved.)"
    >>> _placed_first(NS(exact_placed_first=[]), note, "en") == note
    True
    >>> _placed_first(NS(exact_placed_first=["H011", "H012"]), note, "en")[:80]
    '(Solved exactly after a first step that took 2 households out of their unit or p'
    """
    from yuanluo.gis.catalogue import text

    ids = list(res.exact_placed_first)
    if not ids:
        return note
    opening, close = text("repair.method.solved.open", lang), text("repair.method.solved.close", lang)
    assert note.startswith(opening) and note.endswith(close), note  # every exact note (tests/test_s39_a_*)
    more = text("repair.block.more", lang) if len(ids) > 5 else ""
    return text("repair.method.placed", lang, count=len(ids), ids=text("list.sep", lang).join(ids[:5]), more=more,
                claim=note[len(opening):-len(close)])


def _errors(check: Any) -> int:
    """The errors of a check (its warnings are not left to fix); 0 without one."""
    return 0 if check is None else int((check.violations["severity"] == "error").sum())


def _mended_and_made(before: Any, after: Any) -> tuple[int, int]:
    """How many errors of the plan as given are gone after the repair, and how many of its errors are new, each
    error known by its code and unit (so one mended and one made is not "0 mended").

    >>> from types import SimpleNamespace as NS
    >>> v = lambda *cu: NS(violations=pd.DataFrame({"code": [c for c, _ in cu], "unit_id": [u for _, u in cu],
    ...                                             "severity": "error"}))
    >>> _mended_and_made(v(("SIZE-LOW", "U1"), ("PLAN-SETTLEMENT-SPLIT", "U1")),
    ...                  v(("SIZE-LOW", "U1"), ("PLAN-SETTLEMENT-SPLIT", "U8")))
    (1, 1)
    """
    def keys(check: Any) -> Counter[tuple[str, str]]:
        if check is None:
            return Counter()
        v = check.violations[check.violations["severity"] == "error"]
        return Counter(zip(v["code"].astype(str), v["unit_id"].astype(str), strict=True))

    b, a = keys(before), keys(after)
    return sum((b - a).values()), sum((a - b).values())
