"""Small plans for the editor tests: the bundled real sample and one synthetic village, each with a starting plan
cut into chunks (so that every rule has something to find) and the graph ``yuanluo check`` judges it on."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from yuanluo.gis.rules import Rules


@dataclass
class EditorCase:
    name: str
    households: Any
    labels: pd.Series
    graph: Any
    kind: str
    rules: Rules
    layers: dict[str, Any]
    meet: pd.Series | None = None


def chunk_plan(hh: Any, size: int, by: str | None = None) -> pd.Series:
    """Households cut into units of ``size`` along x within each value of ``by`` (one unassigned per 97)."""
    x = hh.geometry.x.to_numpy()
    grp = hh[by].astype(str).to_numpy() if by else np.zeros(len(hh), dtype=object)
    order = np.lexsort((x, grp))
    lab = np.empty(len(hh), dtype=object)
    lab[order] = [f"U{i // size:03d}" for i in range(len(hh))]
    s = pd.Series(lab, index=hh.index.astype(str), dtype="string")
    s.iloc[::97] = pd.NA
    return s


@functools.lru_cache(maxsize=1)
def sample_case() -> EditorCase:
    from yuanluo.planners import workflows as W

    p = W.sample_paths()
    inputs = W.load_inputs(p["households"], rivers=p["rivers"], water=p["water"], roads=p["roads"])
    g, kind = W.plan_graph(inputs)
    layers = {"households": inputs.households, **W.context_layers(inputs)}
    return EditorCase("sample", inputs.households, chunk_plan(inputs.households, 30), g, kind,
                      Rules(20, 50, nest_by=("village", "group")), layers)


@functools.lru_cache(maxsize=1)
def synth_case() -> EditorCase:
    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.synth import make_village

    v = make_village(300, seed=3)
    hh = v.households
    g = build_graph(hh, rivers=v.rivers, roads=v.roads)
    rules = Rules(15, 25, size_by="persons", heads_for_size=40, nest_by=("village", "group"), max_walk_min=2.0)
    labels = chunk_plan(hh, 8, by="group")
    # meeting points: the first household of each starting unit (a few units get none)
    lab = labels.dropna()
    first = lab[~lab.duplicated(keep="first")]
    meet = pd.Series(first.index.to_numpy(), index=first.to_numpy()).iloc[2:]
    return EditorCase("synth", hh, labels, g, "terrain", rules,
                      {"households": hh, "rivers": v.rivers, "roads": v.roads}, meet)


def sample_walk_case() -> EditorCase:
    """The real sample under an 8-minute walking limit (to each unit's centre): its isolated hamlets are joined to
    their units over long edges, and their households walk across them, in the page as in the check."""
    case = sample_case()
    return dataclasses.replace(case, name="sample-walk", rules=dataclasses.replace(case.rules, max_walk_min=8.0))


def sample_walk_page(folder: Path, lang: str, credit: str) -> Path:
    """The editor's page of :func:`sample_walk_case` in ``lang``, with the data credit ``credit``, written in
    ``folder``."""
    from yuanluo.maps.editor import editor_payload, render_editor

    case = sample_walk_case()
    page = folder / f"editor-{lang}.html"
    page.write_text(render_editor(editor_payload(case.layers, case.labels, case.rules, case.graph, graph_kind=case.kind,
                                                 meeting_points=case.meet, lang=lang, credit=credit)),
                    encoding="utf-8")
    return page


def synth_centre_case() -> EditorCase:
    """The synthetic case without meeting points: the walking limit is measured to each unit's centre."""
    return dataclasses.replace(synth_case(), name="synth-centres", meet=None)


def synth_result(folder: Any) -> Any:
    """The synthetic case written as a result GeoPackage (households with ``hid``/``unit_id``, unit territories
    as ``delineate`` draws them, rivers, roads)."""
    from pathlib import Path

    from yuanluo.gis.output import write_layers
    from yuanluo.gis.units import unit_territories

    case = synth_case()
    path = Path(folder) / "result.gpkg"
    hh = case.households.copy()
    hh["unit_id"] = case.labels.reindex(hh.index.astype(str)).fillna("").astype(str).to_numpy()
    units = unit_territories(case.households, case.labels.reindex(case.households.index.astype(str)))
    write_layers(path, {"households": hh.reset_index(), "units": units, "rivers": case.layers["rivers"],
                        "roads": case.layers["roads"]})
    return path


def first_household_meeting_points(result: Any, path: Any) -> Any:
    """``path``: a ``--meeting-points`` table (院落编号,户编号) of the result GeoPackage ``result``, each unit meeting at
    its first household by id."""
    import geopandas as gpd

    hh = gpd.read_file(result, layer="households")
    hh = hh[hh["unit_id"].astype(str) != ""].sort_values("hid")
    path.write_text("院落编号,户编号\n" + "".join(f"{u},{h}\n" for u, h in hh.groupby("unit_id")["hid"].first().items()),
                    encoding="utf-8")
    return path


def plan_load_note(folder: Path, case: EditorCase, plan: Path, lang: str) -> str:
    """The note the editor page of ``case`` (in ``lang``) shows after the plan file ``plan`` is picked in its plan
    loader, in headless Chromium; the page with no console error, no CSP violation, no request out."""
    import base64
    import json

    from browser import open_in_chromium
    from shared_fixtures import LOAD_PLAN_FILE

    from yuanluo.maps.editor import editor_payload, render_editor

    page = folder / "edit.html"
    page.write_text(render_editor(editor_payload(case.layers, case.labels, case.rules, case.graph,
                                                 graph_kind=case.kind, meeting_points=case.meet, lang=lang)),
                    encoding="utf-8")
    spec = {"name": plan.name, "b64": base64.b64encode(plan.read_bytes()).decode()}
    rep = open_in_chromium(page, wait_for="window.yuanluo && window.yuanluo.editorUi", settle_ms=50,
                           evaluate={"r": f"({LOAD_PLAN_FILE})({json.dumps(spec)})"})
    assert rep.console_errors == [] and rep.csp_violations == [] and rep.external_requests == []
    return str(rep.counts["r"]["note"])

