"""``yuanluo cover``: where the 1+N service points go, and every household's walk to the nearest one."""

from __future__ import annotations

import numbers
from pathlib import Path
from typing import Annotated, Any

import typer

from yuanluo.planners import console as C
from yuanluo.planners.cli.options import Common, MapFields, Output, Terrain, expand

#: an optimality gap no larger than this is a proven optimum (as the cover report counts a problem solved exactly)
EXACT_GAP = 1e-9


@C.handle_errors
@expand
def cover(
    result: Annotated[Path, typer.Argument(help="cli.arg.result", metavar="cli.meta.result", show_default=False)],
    *,
    output: Annotated[Path, typer.Option("-o", "--output", help="cli.opt.output_cover")],
    terrain: Terrain,
    candidates: Annotated[str | None, typer.Option("--candidates", help="cli.opt.candidates")] = None,
    fixed: Annotated[str | None, typer.Option("--fixed", help="cli.opt.fixed")] = None,
    points_crs: Annotated[str | None, typer.Option("--crs", help="cli.opt.points_crs")] = None,
    fixed_crs: Annotated[str | None, typer.Option("--fixed-crs", help="cli.opt.fixed_crs")] = None,
    hubs: Annotated[str | None, typer.Option("--hubs", help="cli.opt.hubs", show_default=False)] = None,
    mobile_within: Annotated[float | None, typer.Option("--mobile-within", help="cli.opt.mobile_within",
                                                        min=0.5, max=600.0)] = None,
    limit: Annotated[float, typer.Option("--limit", help="cli.opt.cover_limit", min=0.5, max=600.0)] = 15.0,
    objective: Annotated[str, typer.Option("--objective", help="cli.opt.cover_objective")] = "walk",
    map_path: Annotated[Path | None, typer.Option("--map", help="cli.opt.cover_map")] = None,
    shown: MapFields,
    print_path: Annotated[Path | None, typer.Option("--png", help="cli.opt.cover_png")] = None,
    paper: Annotated[str, typer.Option("--paper", help="cli.opt.paper")] = "A4",
    report_path: Annotated[Path | None, typer.Option("--report", help="cli.opt.cover_report")] = None,
    out: Output,
    common: Common,
) -> None:
    """Site the service points and write the coverage layers."""
    C.setup(common.lang, common.verbose, common.quiet)
    from yuanluo.gis.errors import InputError, problem
    from yuanluo.gis.output import (
        HTML_SUFFIXES,
        LAYER_SUFFIXES,
        PRINT_SUFFIXES,
        transaction,
        write_bytes,
        write_layers,
    )
    from yuanluo.gis.rules import Rules
    from yuanluo.planners import cover as CV
    from yuanluo.planners import workflows as W

    tx = transaction([output, map_path, print_path, report_path], overwrite=out.overwrite,
                     inputs=W.spec_paths(result, candidates, fixed, *terrain.specs()),
                     allowed=[(output, LAYER_SUFFIXES), (map_path, HTML_SUFFIXES), (print_path, PRINT_SUFFIXES),
                              (report_path, HTML_SUFFIXES)],
                     layers=[(output, [*CV.OUTPUT_LAYERS, "run"])])
    unread: InputError | None = None  # a --hubs that cannot be read stops the command before the graph is built,
    try:  # said once the household columns are known: its fix offers only the levels they have
        per_level, n_hubs = CV.parse_hubs(hubs)
    except InputError as e:
        per_level, n_hubs, unread = {}, None, e
    if paper.upper() not in ("A4", "A3"):  # the sizes of ``map --paper``, and its error
        raise InputError(problem("MAP-PAPER", paper=paper))
    if objective not in ("walk", "coverage"):
        raise InputError(problem("COVER-OBJECTIVE", value=objective))
    W.require_households_layer(result)  # a household table: delineate it first (as map, edit and maturity say)
    try:
        inputs = W.load_inputs(f"{result}::households", **terrain.read_kwargs(), progress=C.step)
    except InputError as e:  # the inputs' problems and the --hubs one at once
        if unread is None:
            raise
        raise type(e)([*e.problems, *unread.problems]) from e
    if unread:
        CV.parse_hubs(hubs, inputs.households.columns)
    if hubs is None:  # one per village and per group the table has, else one for the area (said so)
        hubs = CV.default_hubs(inputs.households.columns)
        if hubs == "1":
            inputs.warnings.append(problem("COVER-HUBS-AREA", severity="warning"))
        per_level, n_hubs = CV.parse_hubs(hubs)
    lacking = CV.level_problem(per_level, inputs.households.columns, file=f"{result}::households")
    if lacking is not None:  # hubs per a level the table has no column for (1+N on one without 村/组): before the graph
        raise InputError(lacking)
    plan = CV.CoverPlan(per_level=per_level, n_hubs=n_hubs, mobile_within=mobile_within, limit_min=limit,
                        objective=objective)
    map_kw = shown.resolve(inputs.households, result, inputs.warnings, drawn=map_path is not None)
    inputs.credit = shown.data_credit(inputs.credit)  # --credit, else the one a result records: maps and run
    if map_path is not None or report_path is not None:  # pages: ids that are id-card or phone numbers if asked
        from yuanluo.gis.personal import require_page_ids, said_id_column

        require_page_ids(inputs.households.index, include_personal=shown.include_personal,
                         page="cover_map" if map_path is not None else "cover_report", file=f"{result}::households",
                         column=said_id_column(inputs.warnings))
    # the points' tables before the graph: a table without --crs, or with a bad row, stops the command at once
    cand = CV.read_points(candidates, inputs.households.crs, "candidates", points_crs)
    # the existing points' table may be in a system of its own (taken on AMap: gcj02; the candidates by GPS)
    keep = CV.read_points(fixed, inputs.households.crs, "fixed", fixed_crs or points_crs)
    C.step("step.graph")
    graph = W.build_graph(inputs, max_walk_min=terrain.max_edge_walk)
    C.print_problem_summary(inputs.warnings, title=C.msg("cli.title.input_warnings"))
    C.step("step.cover")
    # the hamlets a delineation joined over a long edge walk across it (the result's join limit, else the default)
    recorded = W.result_rules(result) or Rules(1, 1)
    # a given point joins the households on its own side of the rivers and water the graph was cut by
    res = CV.site(inputs.households, graph, plan, candidates=cand, fixed=keep, join_limit=recorded.join_limit_min,
                  barriers=CV.graph_barriers(inputs, graph) if cand is not None or keep is not None else None)
    if print_path is not None:  # a print map: the texts no font draws (PRINT-GLYPH), as ``map`` says them
        from yuanluo.maps.static_cover import cover_glyph_problems

        res.warnings += cover_glyph_problems(res.layers, credit=inputs.credit,  # the credit as the sheet draws it
                                             lang=C.lang())
    C.print_problem_summary(res.warnings, title=C.msg("cli.title.cover_notes"))
    run = W.run_record("cover", inputs, {"hubs": hubs, "mobile_within": mobile_within, "limit_min": limit,
                                         "max_edge_walk_min": terrain.max_edge_walk, **CV.quality(res)}, None, lang=C.lang())
    run["params"]["warnings"] = [*run["params"]["warnings"], *(p.message(C.lang()) for p in res.warnings)]
    layers = CV.output_layers(res, C.lang())
    pages = _render(CV.drawn_layers(res, layers, C.lang()), W.context_layers(inputs), map_path, print_path, limit, inputs.terrain, map_kw,
                    inputs.credit, paper=paper.upper())
    if report_path is not None:
        from yuanluo.planners.cover_report import render_cover_report
        from yuanluo.planners.report import info_from_inputs

        page = render_cover_report(res, lang=C.lang(), info=info_from_inputs(inputs, meeting_points=False,
                                                                              data_files=(candidates, fixed)),
                                   mobile_within=mobile_within, candidates_file=_file_name(candidates),
                                   fixed_file=_file_name(fixed), include_personal=shown.include_personal)
        pages.append((report_path, page.encode("utf-8")))
    C.step("step.write")
    with tx:  # the layers and the maps placed together, or none
        write_layers(output, layers, overwrite=out.overwrite, run=run, lang=C.lang())
        for path, data in pages:
            write_bytes(path, data, overwrite=out.overwrite)
    C.out.print(C.msg("cli.cover.done", **_summary_fields(res.summary)), markup=False)
    C.print_written(tx.written)


def _summary_fields(summary: dict[str, Any]) -> dict[str, Any]:
    """The summary line's fields: what the optimality gap is of (the total walk, or the households within the
    limit) and the levels it is about (as placed: village, group or area hubs), then the mobile points' gap of
    their own, said only of the households they can bring within the limit; a mean walk nobody has is a dash."""
    sep = C.msg("list.sep")
    levels = sep.join(C.msg(f"cover.summary.level.{lvl}") for lvl in summary.get("levels", []))
    said = C.msg("cover.summary.levels", levels=levels) if levels else ""
    gap = summary.get("mobile_gap")  # the mobile points' set cover has a gap of its own
    kind = "exact" if gap is not None and gap <= EXACT_GAP else "gap"  # proven: said so, not "at most 0.00%"
    if gap is not None and summary.get("mobile_short"):
        said += C.msg(f"cover.summary.mobile_{kind}_short", gap=gap, within=f"{summary['mobile_within']:g}",
                      short=C.num(summary["mobile_short"]))
    elif gap is not None:
        said += C.msg(f"cover.summary.mobile_{kind}", gap=gap)
    if gap is not None and summary.get("unreachable"):  # those who cannot reach any point are not in the count
        said += C.msg("cover.summary.mobile_cut", cut=C.num(summary["unreachable"]))
    mean = summary.get("mean_walk_min")  # to 0.1 minutes, as the report and every table of walks (28.9, never 28.88)
    counts = {k: C.num(summary[k]) for k in ("households", "points", "mobile_points", "served", "unreachable")
              if isinstance(summary.get(k), numbers.Integral)}  # as the language writes counts (English 1,200)
    # how many of the points are mobile: said where mobile points were asked for (--mobile-within), not "0 of them"
    asked = summary.get("mobile_within") is not None or bool(summary.get("mobile_points"))
    mobile_part = C.msg("cover.summary.mobile_points", n=counts.get("mobile_points", 0)) if asked else ""
    return {**summary, **counts, "mobile": said, "mobile_part": mobile_part, "limit_min": f"{summary['limit_min']:g}",
            "quality": _quality(summary),
            "mean_walk_min": C.msg("cover.summary.no_walk") if mean is None else C.num(float(mean), 1)}


def _quality(summary: dict[str, Any]) -> str:
    """What the summary line says of the hubs' quality: with --objective coverage the optimality gap of the
    households within the limit; else how much more than the least the real total walk may be, measured on the
    least, (objective - bound) / bound (the gap is measured on the answer: 17.18 % of 37972.0 minutes is 20.74 %
    of the bound 31449.1), from the totals, or from the largest gap g as g / (1 - g) where they are not given.

    Examples
    --------
    >>> _ = C.set_lang("en")
    >>> _quality({"objective": 37972.0, "bound": 31449.1, "gap": 0.1718, "levels": ["hub"]})
    'total walk at most 20.74% more than the least'
    >>> _quality({"gap": 0.0, "levels": ["village"]}), _quality({"gap": 0.0, "levels": []})
    ('solved exactly: total walk proven the least', 'solved exactly: proven optimal')
    >>> _quality({"gap": 0.0004, "levels": []})
    'optimality gap 0.04%'
    >>> _ = C.set_lang("zh")
    """
    gap = float(summary.get("gap") or 0.0)
    exact = gap <= EXACT_GAP  # proven optimal: said so, not as "at most 0.00%"
    if not summary.get("levels"):
        return C.msg("cover.summary.quality.none_exact" if exact else "cover.summary.quality.none", gap=gap)
    if summary.get("covered_bound") is not None:
        return C.msg("cover.summary.quality.coverage_exact" if exact else "cover.summary.quality.coverage", gap=gap)
    value, bound = summary.get("objective"), summary.get("bound")
    if value is not None and bound is not None:
        excess = 0.0 if value <= bound else (value - bound) / bound if bound > 0 else None
    else:
        excess = 0.0 if gap <= 0 else gap / (1.0 - gap) if gap < 1 else None
    if excess is None:
        return C.msg("cover.summary.quality.walk_no_bound")
    if excess <= EXACT_GAP:
        return C.msg("cover.summary.quality.walk_exact")
    return C.msg("cover.summary.quality.walk", excess=excess)


def _file_name(spec: str | None) -> str | None:
    """The name of the file of ``spec`` (``file`` or ``file::layer``), as a report names it."""
    from yuanluo.planners.workflows import split_layer

    path = split_layer(spec)[0] if spec is not None else None
    return None if path is None else Path(path).name


def _render(layers: dict[str, Any], context: dict[str, Any], map_path: Path | None, print_path: Path | None,
            limit: float, terrain: Any, map_kw: dict[str, Any], credit: str | None, *,
            paper: str = "A4") -> list[tuple[Path, bytes]]:
    """The coverage map (HTML) and print map (PNG/PDF, on ``paper``: A4 or A3), drawn in memory before anything is
    written; both carry the data credit of the result (OpenStreetMap's for the bundled sample)."""
    pages: list[tuple[Path, bytes]] = []
    drawn = {**layers, **context}
    if map_path is not None:
        from yuanluo.maps.coverage import make_cover_map, render_cover_html

        C.step("step.maps")
        m = make_cover_map(drawn, lang=C.lang(), hillshade=terrain, limit_min=limit, credit=credit, **map_kw)
        pages.append((map_path, render_cover_html(m).encode("utf-8")))
    if print_path is not None:
        from yuanluo.maps.static_cover import render_print_cover_map

        fmt = "pdf" if print_path.suffix.lower() == ".pdf" else "png"
        pages.append((print_path, render_print_cover_map(drawn, fmt=fmt, paper=paper, lang=C.lang(), limit_min=limit,
                                                         credit=credit)))
    return pages
