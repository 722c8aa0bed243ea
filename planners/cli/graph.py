"""``yuanluo graph``: the neighbour graph on the ground, exported as a GeoPackage (and GraphML)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from yuanluo.planners import console as C
from yuanluo.planners.cli.options import Common, HouseholdFile, Output, Terrain, expand


@C.handle_errors
@expand
def graph(
    hh: HouseholdFile,
    *,
    output: Annotated[Path, typer.Option("-o", "--output", help="cli.opt.output_graph")],
    terrain: Terrain,
    graphml: Annotated[Path | None, typer.Option("--graphml", help="cli.opt.graphml")] = None,
    out: Output,
    common: Common,
) -> None:
    """Build the graph and write its edges, cut edges and components."""
    C.setup(common.lang, common.verbose, common.quiet)
    from yuanluo.gis.graph import cut_summary, write_graphml
    from yuanluo.gis.output import LAYER_SUFFIXES, transaction, write_layers
    from yuanluo.planners import workflows as W

    tx = transaction([output, graphml], overwrite=out.overwrite, inputs=W.spec_paths(*hh.specs(), *terrain.specs()),
                     allowed=[(output, LAYER_SUFFIXES), (graphml, (".graphml",))],
                     layers=[(output, [*W.GRAPH_LAYERS, "run"])])
    inputs = W.load_inputs(hh.households, **hh.read_kwargs(), **terrain.read_kwargs(), progress=C.step)
    C.step("step.graph")
    g, layers = W.graph_layers(inputs, max_walk_min=terrain.max_edge_walk)
    C.print_problem_summary(inputs.warnings, title=C.msg("cli.title.input_warnings"))
    run = W.run_record("graph", inputs, {"max_edge_walk_min": terrain.max_edge_walk}, None, lang=C.lang())
    C.step("step.write")
    with tx:  # the layers and the GraphML placed together, or neither
        write_layers(output, layers, overwrite=out.overwrite, run=run, lang=C.lang())
        if graphml is not None:
            write_graphml(g, graphml)
    cut = cut_summary(g, C.lang())  # the cut candidate edges by reason, in words
    C.out.print(C.msg("cli.graph.done", n=C.num(g.n), m=C.num(g.m), components=C.num(len(layers["components"])),
                      cut=cut), markup=False)
    C.print_written(tx.written)
