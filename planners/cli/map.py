"""``yuanluo map``: redraw a result as an offline HTML map or a print map (PNG, PDF)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from yuanluo.planners import console as C
from yuanluo.planners.cli.options import Common, Output, SheetFields, expand


@C.handle_errors
@expand
def map_cmd(
    result: Annotated[Path, typer.Argument(help="cli.arg.result", metavar="cli.meta.result",
                                                  show_default=False)],
    *,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="cli.opt.output_map")] = None,
    dem: Annotated[Path | None, typer.Option("--dem", help="cli.opt.dem")] = None,
    paper: Annotated[str, typer.Option("--paper", help="cli.opt.paper")] = "A4",
    title: Annotated[str | None, typer.Option("--title", help="cli.opt.title")] = None,
    per_unit: Annotated[Path | None, typer.Option("--per-unit", help="cli.opt.per_unit")] = None,
    basemap: Annotated[str | None, typer.Option("--basemap", help="cli.opt.basemap")] = None,
    tianditu_key: Annotated[str | None, typer.Option("--tianditu-key", help="cli.opt.tianditu_key")] = None,
    shown: SheetFields,
    out: Output,
    common: Common,
) -> None:
    """Draw the map; the format follows the suffix of ``--output``. ``--per-unit`` adds one A4 sheet per unit."""
    C.setup(common.lang, common.verbose, common.quiet)
    from yuanluo.gis.errors import InputError, OutputError, problem
    from yuanluo.gis.output import HTML_SUFFIXES, PRINT_SUFFIXES, transaction, write_bytes
    from yuanluo.gis.personal import require_page_ids
    from yuanluo.gis.validate import check_personal
    from yuanluo.planners import workflows as W

    if output is None and per_unit is None:
        raise InputError(problem("MAP-NO-OUTPUT"))
    sheet: Literal["A4", "A3"] = "A3" if paper.upper() == "A3" else "A4"
    if paper.upper() != sheet:
        raise InputError(problem("MAP-PAPER", paper=paper))
    if basemap is not None and basemap not in ("osm", "tianditu", "amap"):  # named by the options, not Python's
        raise InputError(problem("BASEMAP-NAME", basemap=basemap))
    if basemap == "tianditu" and not tianditu_key and output is not None \
            and output.suffix.lower() not in PRINT_SUFFIXES:
        raise InputError(problem("BASEMAP-TIANDITU-KEY"))
    if per_unit is not None and per_unit.suffix and per_unit.suffix.lower() != ".pdf":  # no name, no extension:
        raise OutputError(problem("MAP-PRINT-FORMAT-PER-UNIT", file=str(per_unit)))  # OUT-NAME-EMPTY, -SUFFIX-NONE
    allowed = [(output, HTML_SUFFIXES + PRINT_SUFFIXES), (per_unit, (".pdf",))]  # pairs: the two may be one path
    html = output is not None and output.suffix.lower() not in PRINT_SUFFIXES
    # the HTML map's hillshade (print maps and sheets draw none): without --dem, the DEM the result records
    shade, dem_notes = W.result_dem(result, dem) if html else (dem, [])
    tx = transaction([output, per_unit], overwrite=out.overwrite, inputs=W.spec_paths(result, shade),
                     allowed=[(p, s) for p, s in allowed if p is not None])
    layers, terrain = W.read_result(result, dem=shade, command="map")
    layers = W.map_layers(layers)
    if html:  # household ids that are id-card or phone numbers go into the page only with --include-personal
        require_page_ids(layers["households"].index, include_personal=shown.include_personal, page="map",
                         file=f"{result}::households")
    hh = layers["households"]  # ids that are id-card or phone numbers: ID-PERSONAL, as the print maps keep them
    notes = dem_notes + check_personal(hh, str(result), ids=hh.index.to_numpy(), id_column=hh.index.name or "hid")
    # households moved after the result was written (in QGIS): their units counted again, in every output, and said
    from yuanluo.maps.interactive import units_as_the_households_have_them

    layers, stale = units_as_the_households_have_them(layers, C.lang())
    notes += [stale] if stale is not None else []
    map_kw = shown.resolve(layers["households"], result, notes, drawn=html or per_unit is not None)
    credit = shown.data_credit(W.recorded_credit(layers))  # --credit, else the one the result records
    osm = shown.credit is None and W.has_osm_credit(layers)  # a --credit naming OSM says so itself (sheet_credit)
    if per_unit is not None or (output is not None and not html):  # a print map: characters no font draws
        from yuanluo.maps.static import glyph_problems

        notes += glyph_problems(layers, title=title, sheets=per_unit is not None,  # the sheets draw households
                                credit=credit, osm_attribution=osm, lang=C.lang())  # and the credit at their foot
    C.print_problem_summary(notes, title=C.msg("cli.title.input_warnings"))
    C.step("step.maps")
    # the print maps carry the day of their data (the result file's), not the clock's: the same result, the same bytes
    from yuanluo.gis.output import with_data_date

    printed = with_data_date(layers, result)
    with tx:  # every output placed together, or none
        if per_unit is not None:
            from yuanluo.maps.static_units import render_unit_sheets

            sheets = render_unit_sheets(printed, lang=C.lang(), osm_attribution=osm, credit=credit,
                                        progress=lambda n, total: C.tally("step.sheets", n, total), **map_kw)
            write_bytes(per_unit, sheets, overwrite=out.overwrite)
        if output is not None and output.suffix.lower() in PRINT_SUFFIXES:
            from yuanluo.maps.static import print_map

            print_map(printed, output, paper=sheet, lang=C.lang(), title=title,
                      osm_attribution=osm, credit=credit, overwrite=out.overwrite)
        elif output is not None:
            from yuanluo.maps.interactive import save_map

            save_map(layers, output, lang=C.lang(), hillshade=terrain, basemap=basemap, tianditu_key=tianditu_key,
                     title=title, credit=credit or "", overwrite=out.overwrite, **map_kw)
    C.print_written(tx.written)
