"""Test data that several test files built alike, kept once here (session 53): the maturity map of a result of
sample households with a scored sheet (helper H's partial one too), the plan editor page of the bundled sample,
the street of 26 households typed into two units of 13, a row of households 50 m apart with given walks,
and the errors of a check's violations."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import points
from shared_fixtures import fill_maturity_sheet, run_cli

from yuanluo.gis.catalogue import Lang

#: helper H's sheet (session 45): U001 政策宣讲 2 of 3 (J2 blank), U002 协商议事 1 of 3 (M3, N3), U003 矛盾调处 blank
#: (O4-Q4), U004 only I5 scored (row 5's other scores blank)
PARTIAL_BLANKS = ("J2", "M3", "N3", "O4", "P4", "Q4")


def scored_maturity_maps(d: Path, layers: dict[str, Any], *, langs: Sequence[str] = ("zh", "en"),
                  partial: bool = False) -> Path:
    """``d`` with ``layers`` written as ``result.gpkg``, its ``maturity template`` (``t.xlsx``) scored in every row
    (评估期 2026Q1, each of the 18 scores ``3 + (7r + 3c) % 8``) as ``s.xlsx``, or with :data:`PARTIAL_BLANKS` and
    row 5 but I5 left blank as ``partial.xlsx``, and ``maturity load`` of it in each of ``langs``: ``m_{lang}.gpkg``
    and the map ``map_{lang}.html``."""
    import openpyxl

    from yuanluo.gis.output import write_layers

    write_layers(d / "result.gpkg", layers)
    run_cli(["maturity", "template", str(d / "result.gpkg"), "-o", str(d / "t.xlsx")])
    sheet = d / ("partial.xlsx" if partial else "s.xlsx")
    fill_maturity_sheet(d / "t.xlsx", sheet, lambda row, r, c: 3 + (r * 7 + c * 3) % 8)
    if partial:
        wb = openpyxl.load_workbook(sheet)
        ws = wb.worksheets[0]
        for cell in PARTIAL_BLANKS:
            ws[cell].value = None
        for c in range(10, 9 + 18):  # J5 on: I5 (政策宣讲-开展内容) alone scored
            ws.cell(5, c).value = None
        wb.save(sheet)
    for lang in langs:
        run_cli(["maturity", "load", str(d / "result.gpkg"), str(sheet), "-o", str(d / f"m_{lang}.gpkg"),
                 "--map", str(d / f"map_{lang}.html")], lang=lang)
    return d


def sample_editor_page(folder: Path, lang: Lang) -> Path:
    """The plan editor page of the bundled sample (editor_fixtures.sample_case) in ``lang``: ``editor-{lang}.html``."""
    from editor_fixtures import sample_case

    from yuanluo.maps.editor import editor_payload, render_editor

    case = sample_case()
    payload = editor_payload(case.layers, case.labels.copy(), case.rules, case.graph, graph_kind=case.kind,
                             lang=lang)
    page = folder / f"editor-{lang}.html"
    page.write_text(render_editor(payload), encoding="utf-8")
    return page


def street26() -> tuple[gpd.GeoDataFrame, pd.Series, Any]:
    """26 households 60 m apart (group G1) typed into two units of 13 under a band of 8-12: no plan of two units
    (24 at most); three units move 8 households at least (a new unit holds 8, each of them moved)."""
    from yuanluo.gis.rules import Rules

    n = 26
    hh = gpd.GeoDataFrame({"group": ["G1"] * n},
                          geometry=gpd.points_from_xy(500000 + 60.0 * np.arange(n), np.full(n, 3265000.0)),
                          index=pd.Index([f"H{i + 1:02d}" for i in range(n)], name="hid"), crs="EPSG:4545")
    labels = pd.Series(["A"] * 13 + ["B"] * 13, index=hh.index, dtype=object)
    return hh, labels, Rules(8, 12, require_head=False, keep_settlements=False, nest_by=("group",))


def row_village(ids: str, edges: list[tuple[int, int]]) -> tuple[gpd.GeoDataFrame, Any]:
    """Households ``ids`` on a row 50 m apart, the ``edges`` one minute's walk each but ``b``–``c`` (twenty)."""
    from yuanluo.gis.graph import TerrainGraph

    xy = [[50 * i, 0] for i in range(len(ids))]
    hh = gpd.GeoDataFrame(geometry=points(xy), crs="EPSG:32631", index=pd.Index(list(ids), name="hid"))
    walk = [20.0 if (ids[u], ids[v]) == ("b", "c") else 1.0 for u, v in edges]
    return hh, TerrainGraph.from_edges(list(ids), xy, edges, crs="EPSG:32631", walk_min=walk)


def error_pairs(v: pd.DataFrame) -> list[tuple[str, str]]:
    """The errors among a check's violations ``v``, as sorted (code, unit) pairs."""
    v = v[v["severity"] == "error"]
    return sorted(zip(v["code"].astype(str), v["unit_id"].astype(str), strict=True))
