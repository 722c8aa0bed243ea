"""Workflows: the stages of ``gis`` put together the way the command line and notebooks use them.

Every workflow validates all its inputs before computing anything, checks the solver's invariants
afterwards, and writes its outputs atomically (nothing is written when anything fails).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from yuanluo.gis.catalogue import LANGS, Lang, both, text
from yuanluo.gis.delineate.walk import household_walk_min
from yuanluo.gis.errors import MAX_EXAMPLES, InputError, Problem, missing_file, problem, unreadable
from yuanluo.gis.io import CheckedLayer, StoredLayer, file_layers, gdal_path, is_result, run_table
from yuanluo.gis.plan import STRICT_PLAN_CODES
from yuanluo.gis.rules import Rules

log = logging.getLogger("yuanluo")

# IO-NOTFOUND and the other file-level codes are registered by yuanluo.gis.validate.
import yuanluo.gis.validate  # noqa: E402,F401


def split_layer(spec: str | Path | None) -> tuple[Path | None, str | None]:
    """``"file.gpkg::layer"`` → (path, layer); a plain path → (path, None).

    Examples
    --------
    >>> split_layer("data/a.gpkg::rivers")
    (PosixPath('data/a.gpkg'), 'rivers')
    >>> split_layer("C:/data/b.shp")
    (PosixPath('C:/data/b.shp'), None)
    """
    if spec is None:
        return None, None
    s = str(spec)
    if "::" in s:
        path, layer = s.rsplit("::", 1)
        return Path(path), layer or None
    return Path(s), None


def spec_paths(*specs: str | Path | None) -> list[Path]:
    """The files named by input specs (``file::layer`` or a path), for the output checks.

    Examples
    --------
    >>> spec_paths("a.gpkg::households", None, "dem.tif")
    [PosixPath('a.gpkg'), PosixPath('dem.tif')]
    """
    return [p for p, _ in map(split_layer, specs) if p is not None]


def _require_exists(paths: list[tuple[Path | None, str]]) -> None:
    missing = [x for x in (missing_file(p) for p, _ in paths if p is not None) if x is not None]
    if missing:
        raise InputError(missing)


@dataclass
class Inputs:
    """Everything a workflow reads, validated and in one working CRS."""

    households: gpd.GeoDataFrame
    report: Any
    paths: dict[str, Path] = field(default_factory=dict)
    #: the layer read from each of ``paths`` where one was named (``file::layer``)
    layers: dict[str, str] = field(default_factory=dict)
    terrain: Any = None
    rivers: gpd.GeoDataFrame | None = None
    water: gpd.GeoDataFrame | None = None
    roads: gpd.GeoDataFrame | None = None
    boundary: gpd.GeoDataFrame | None = None
    groups: gpd.GeoDataFrame | None = None
    warnings: list[Problem] = field(default_factory=list)
    #: the households came from a result Yuanluo wrote (its ``households`` layer, found without ``--layer``)
    result: bool = False
    #: the data credit that result's run table records (``params.data_credit``: "© OpenStreetMap contributors
    #: (ODbL) …" for the bundled sample), carried into every map and run table made from it
    credit: str | None = None
    #: the household file's ``--crs`` and ``--encoding`` as typed (None when not given), for the ``run`` record
    given: dict[str, str | None] = field(default_factory=dict)
    #: the ``run`` table (key → value) of the result whose households were read, as read once by :func:`load_inputs`
    record: dict[str, str] | None = None

    @property
    def crs(self) -> Any:
        return self.households.crs


#: called with a catalogue key (``step.read``, ``step.graph`` …) as each stage of a workflow starts
Progress = Callable[[str], None]


def _step(progress: Progress | None, key: str) -> None:
    if progress is not None:
        progress(key)


def load_inputs(
    households: str | Path,
    *,
    layer: str | None = None,
    crs: str | None = None,
    encoding: str | None = None,
    centroids: bool = False,
    dem: str | Path | None = None,
    rivers: str | Path | None = None,
    water: str | Path | None = None,
    roads: str | Path | None = None,
    groups: str | Path | None = None,
    group_field: str | None = None,
    boundary: str | Path | None = None,
    columns: Mapping[str, str] | None = None,
    max_edge_walk: float | None = None,
    progress: Progress | None = None,
    plan_col: str | None = None,
) -> Inputs:
    """Read and validate the households and every auxiliary layer (all problems reported at once).

    ``max_edge_walk`` is given by a command that walks between households (this run's neighbour-walk limit).
    Such a command on a Yuanluo result's households walks over the result's own rivers, water and roads layers
    where those options are not given, and the warnings say what differs from the delineation
    (:func:`_result_terrain`).

    ``columns`` is the explicit column mapping of the household file (``hid``, ``x``, ``y`` …), passed to
    :func:`yuanluo.gis.io.read_households`, as is ``plan_col``, the household column ``--unit-col`` names (a
    roster of people: members in two of its units said). ``progress`` is called with a catalogue key
    (``step.read``) as each stage starts.
    """
    from yuanluo.gis import io

    hh_path, hh_layer = split_layer(households)
    assert hh_path is not None
    found = result_layers(hh_path)
    own = found if layer is None and hh_layer is None else None
    if own is not None and "households" in own:
        hh_layer = "households"  # Yuanluo's own result: its households, without --layer
    specs = {"rivers": split_layer(rivers), "water": split_layer(water), "roads": split_layer(roads),
             "boundary": split_layer(boundary), "groups": split_layer(groups)}
    reads_result = found is not None and "households" in found and (layer or hh_layer) == "households"
    from_result = max_edge_walk is not None and reads_result  # a command that walks, on a result's households
    taken = result_context(found, layer or hh_layer, {k: p for k, (p, _) in specs.items()}) if from_result else []
    for kind in taken:  # a result's households walk over the rivers, water and roads it was delineated on
        specs[kind] = (hh_path, kind)
    dem_path, _ = split_layer(dem)
    rec = _run_record(hh_path) if reads_result else None  # its DEM and its data credit
    recorded = _recorded_dem(hh_path, rec) if from_result and rec is not None and dem_path is None else None
    if recorded is not None and recorded[1] is not None and not recorded[2]:
        dem_path = recorded[1]  # the DEM the delineation walked over, found as it was: walked over again
    _require_exists([(hh_path, "households"), (dem_path, "dem"), *[(p, k) for k, (p, _) in specs.items()]])
    if reads_result and not (columns or {}).get("hid") and "hid" in _layer_fields(hh_path, "households"):
        # Yuanluo's own result: its hid column is the id (as read_result, the map, takes it), never COL-AMBIG
        # beside the 户编号 column a delineation --id-col X kept from its input
        columns = {**(columns or {}), "hid": "hid"}

    # the boundary and water go into the household checks too (far outside, on a border, in a river): each file
    # read once, for those checks (as stored) and as read_layer takes it below
    _step(progress, "step.read")
    stored = {kind: io.stored_layer(p, kind=kind, layer=lyr) for kind in ("boundary", "water", "rivers")
              for p, lyr in [specs[kind]] if p is not None}
    raw_bnd = stored["boundary"].as_stored() if "boundary" in stored else None
    blocking = _household_water(stored)
    gdf, report = io.read_households(hh_path, layer=layer or hh_layer, crs=crs, encoding=encoding,
                                     centroids=centroids, boundary=raw_bnd, water=_joined_water(blocking),
                                     columns=columns, plan_col=plan_col)
    working = gdf.crs
    # named by later problems about these households (CHECK-PERSONS, CHECK-PERSONS-NA); not their rows: an array
    # in attrs breaks pd.concat of the frame (pandas compares the attrs of the frames it joins)
    gdf.attrs["file"] = report.file
    inputs = Inputs(households=gdf, report=report, paths={"households": hh_path},
                    layers={"households": str(layer or hh_layer)} if (layer or hh_layer) else {},
                    result=own is not None and hh_layer == "households",
                    given={"crs": crs, "encoding": encoding}, record=rec)
    inputs.warnings.extend(getattr(report, "warnings", []))
    inputs.credit = (rec or {}).get("params.data_credit") or None
    problems: list[Problem] = []
    for kind, (path, lyr) in specs.items():
        if path is None:
            continue
        try:
            # the groups' id column as given (a groups layer may carry its village column too): checked as such
            named = group_field if kind == "groups" else None
            gdf_k = io.read_layer(path, kind=kind, working_crs=working, layer=lyr, id_col=named,
                                  stored=stored.get(kind))
            inputs.warnings.extend(gdf_k.attrs.get("warnings", []))
            setattr(inputs, kind, gdf_k)
            inputs.paths[kind] = path
            if lyr is not None:
                inputs.layers[kind] = lyr
        except InputError as exc:
            problems.extend(exc.problems)
    if dem_path is not None:
        from yuanluo.gis.terrain import read_dem

        try:
            with warnings.catch_warnings():  # the DEM's findings go to the warning table, in the run's language
                warnings.simplefilter("ignore")
                inputs.terrain = read_dem(dem_path, working_crs=working, households=gdf, rows=report.rows,
                                          households_file=report.file)  # DEM-COVER names the file and rows
            inputs.paths["dem"] = dem_path
            inputs.warnings.extend(getattr(inputs.terrain, "problems", []))
        except InputError as exc:
            problems.extend(exc.problems)
    if inputs.groups is not None:
        from yuanluo.gis.validate import assign_by_polygons

        field_name = group_field or _guess_id_field(inputs.groups)
        try:
            inputs.households, extra = assign_by_polygons(inputs.households, inputs.groups, field_name, "group",
                                                          option="--groups", rows=getattr(report, "rows", None))
            inputs.warnings.extend(p for p in extra if p.severity == "warning")
            problems.extend(p for p in extra if p.severity == "error")
        except InputError as exc:
            problems.extend(exc.problems)
    # first: an offset explains the households off the DEM, outside the groups … found above
    offset = _offset_against_context(inputs, {"roads": roads, "water": water, "rivers": rivers}, blocking)
    problems[:0] = [p for p in offset if p.severity == "error"]  # by the water
    inputs.warnings[:0] = [p for p in offset if p.severity != "error"]  # by the roads: a sparse layer can mislead
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InputError(errors)
    inputs.warnings.extend(p for p in problems if p.severity != "error")
    if from_result:
        inputs.warnings.extend(_result_terrain(hh_path, taken, rec, recorded, max_edge_walk))
    return inputs


def _offset_against_context(inputs: Inputs, given: Mapping[str, str | Path | None],
                            blocking: Mapping[str, gpd.GeoDataFrame] | None = None) -> list[Problem]:
    """The Chinese web-map offset (GCJ-02, BD-09) between the households and the roads, water and rivers read
    (:func:`yuanluo.gis.validate.check_offset_against_layers`): COORD-GCJ-CONTEXT when the households, declared
    in a geographic CRS without an offset, fit those layers much better with it undone; LAYER-GCJ-SUSPECT when they
    fit much better moved by it (the layer is offset, the households are right). ``given``: each layer as named;
    ``blocking``: the water that blocks walking of each layer as stored (:func:`_household_water`), taken into
    the layer's CRS rather than found again."""
    from yuanluo.gis.barriers import blocking_water
    from yuanluo.gis.crs import parse_crs, transform_xy
    from yuanluo.gis.validate import check_offset_against_layers

    try:
        declared = parse_crs(getattr(inputs.report, "declared_crs", None) or inputs.crs)
    except InputError:
        return []
    def named(kind: str) -> str:  # as given, else (a result's own layer) as read
        lyr = inputs.layers.get(kind)
        return str(given.get(kind) or (f"{inputs.paths[kind]}::{lyr}" if lyr else inputs.paths[kind]))

    layers: list[tuple[str, gpd.GeoDataFrame, str]] = []
    if inputs.roads is not None:
        layers.append(("roads", inputs.roads, named("roads")))
    for kind in ("water", "rivers"):
        layer = getattr(inputs, kind)
        if layer is None or not len(layer):
            continue
        found = (blocking or {}).get(kind)
        if found is not None:  # the same polygons, made valid once: in the layer's CRS (read_layer's)
            polys = gpd.GeoDataFrame(geometry=found.geometry.values, crs=found.crs)
            polys = polys if polys.crs == layer.crs else polys.to_crs(layer.crs)
        else:
            try:
                polys = gpd.GeoDataFrame(geometry=blocking_water(layer), crs=layer.crs)
            except InputError:  # reported when the layer itself is read
                continue
        layers.append((kind, polys, named(kind)))
    hh = inputs.households
    if not layers or hh.crs is None or not len(hh):
        return []
    lon, lat = transform_xy(hh.geometry.x.to_numpy(), hh.geometry.y.to_numpy(), hh.crs, 4326)
    return check_offset_against_layers(lon, lat, layers, file=str(inputs.paths.get("households")),
                                       households_shiftable=declared.crs.is_geographic and not declared.shift)


#: the context layers a result carries and a command on its households uses when not given
RESULT_CONTEXT = ("rivers", "water", "roads")


def result_context(found: set[str] | None, layer: str | None, given: Mapping[str, object]) -> list[str]:
    """The context layers a command that walks takes from a Yuanluo result whose households it reads: those of
    :data:`RESULT_CONTEXT` the result holds (``found``, :func:`result_layers`) and the command was not given
    (``given``: kind → the path given, or None). ``layer`` is the household layer read (None: the result's own).

    >>> result_context({"households", "rivers", "roads", "run"}, None, {"rivers": None, "roads": "r.shp"})
    ['rivers']
    >>> result_context({"households", "rivers"}, "other", {"rivers": None})
    []
    """
    if found is None or "households" not in found or (layer or "households") != "households":
        return []
    return [k for k in RESULT_CONTEXT if given.get(k) is None and k in found]


def _layer_names(path: Path) -> set[str]:
    """The names of the layers of the file ``path`` (listed once while it stays as it is:
    :func:`yuanluo.gis.io.file_layers`)."""
    return {name for name, _ in file_layers(path)}


def _run_record(path: Path) -> dict[str, str] | None:
    """A result's ``run`` table as key → value, or None (no readable run table)."""
    try:
        run = run_table(Path(path))
        return dict(zip(run["key"].astype(str), run["value"].astype(str), strict=True))
    except Exception:  # noqa: BLE001 - a result without a readable run table records nothing to compare
        return None


def _recorded_dem(path: Path, rec: dict[str, str]) -> tuple[str | None, Path | None, bool]:
    """The DEM a result's run table ``rec`` records (its path as recorded), where it is found now (as recorded,
    by its path from the result's folder when it was written, or the recorded path taken beside the result
    ``path``; None: not found), and whether its bytes differ from those
    recorded (a SHA-256; unknown counts as unchanged)."""
    used = rec.get("inputs.dem.path")
    if not used:
        return None, None, False
    from yuanluo.gis.output import file_sha256

    then = Path(used)
    beside = rec.get("inputs.dem.from_output")  # as seen from the result's folder when it was written
    tries = [then, *([path.parent / beside] if beside else []), path.parent / then]
    here = next((p for p in tries if p.is_file()), None)
    changed = here is not None and rec.get("inputs.dem.sha256") not in (None, file_sha256(here))
    return used, here, changed


def _result_terrain(path: Path, taken: list[str], rec: dict[str, str] | None,
                    recorded: tuple[str | None, Path | None, bool] | None, max_edge_walk: float | None
                    ) -> list[Problem]:
    """What a command on a result's households walks over, against what the result was delineated on (its
    ``run`` table ``rec``): RESULT-CONTEXT for the layers taken from the result; when no --dem was given
    (``recorded``: the DEM the run records, :func:`_recorded_dem`), RESULT-DEM-OWN when it was found unchanged
    and used, else RESULT-DEM (the fix names it where it is found now, with a note when its bytes are not those
    the run recorded; or says it is not found here); and RESULT-EDGE when the neighbour-walk limit differs."""
    out: list[Problem] = []
    if taken:
        words = {lang: text("list.sep", lang).join(text(f"result.{k}", lang) for k in taken) for lang in LANGS}
        out.append(problem("RESULT-CONTEXT", severity="warning", file=str(path),
                           options=[f"--{k}" for k in taken], layers=words))
    if rec is None:
        return out
    used, here, changed = recorded or (None, None, False)
    if used and here is not None and not changed:
        out.append(problem("RESULT-DEM-OWN", severity="warning", file=str(path), dem=str(here)))
    elif used:  # not found, or changed since
        where = {lang: (text("result.dem_elsewhere", lang, dem=used) if here is None
                        else text("result.dem_changed", lang, dem=str(here))) for lang in LANGS}
        out.append(problem("RESULT-DEM", severity="warning", file=str(path), dem=used, here=where))
    edge = rec.get("params.max_edge_walk_min")
    try:
        then_min = float(edge) if edge not in (None, "", "null") else None
    except ValueError:
        then_min = None
    if then_min is not None and max_edge_walk is not None and abs(then_min - max_edge_walk) > 1e-9:
        out.append(problem("RESULT-EDGE", severity="warning", file=str(path), then=f"{then_min:g}",
                           now=f"{max_edge_walk:g}"))
    return out


def result_dem(path: str | Path, dem: str | Path | None = None) -> tuple[Path | None, list[Problem]]:
    """The DEM a map of the result ``path`` draws its hillshade from, and what to say of it: ``dem`` when given;
    else the DEM its ``run`` table records when found unchanged (:func:`_recorded_dem`), with the warning
    MAP-RESULT-DEM-OWN; else none, with MAP-RESULT-DEM when one is recorded (not found here, or changed since: its
    fix names ``--dem`` and where the file is now), as the commands that walk over a result do
    (:func:`_result_terrain`). A file with no run table (not Yuanluo's) records nothing: none, silently.

    >>> result_dem("r.gpkg", "dem.tif")
    (PosixPath('dem.tif'), [])
    >>> result_dem("/no/such/result.gpkg")
    (None, [])
    """
    if dem is not None:
        return Path(dem), []
    p = Path(path)
    rec = _run_record(p) if p.is_file() else None
    if rec is None:
        return None, []
    used, here, changed = _recorded_dem(p, rec)
    if not used:
        return None, []
    if here is not None and not changed:
        return here, [problem("MAP-RESULT-DEM-OWN", severity="warning", file=str(p), dem=str(here))]
    where = {lang: (text("result.dem_elsewhere", lang, dem=used) if here is None
                    else text("result.dem_changed", lang, dem=str(here))) for lang in LANGS}
    return None, [problem("MAP-RESULT-DEM", severity="warning", file=str(p), dem=used, here=where)]


def read_seeds(spec: str | Path, *, id_col: str | None = None, households: pd.DataFrame | None = None,
               crs: Any = None) -> list[str]:
    """Seed households (traditional courtyard centres, existing meeting points) from a table or a layer with
    a household-id column (``id_col``, else ``hid``, 户编号, 户号 …); ids are read as text. Without an id column,
    with ``households``, a table or layer of points (a hall's 经度/纬度, X/Y or one 经纬度 column, in ``crs``, the
    household file's: :func:`points_households`) gives the household at each point.

    The file is read by :func:`yuanluo.gis.io.read_table`: its encoding is detected (UTF-8, GBK) and a bad
    file is a coded error, as for the household file. With ``households``, ids not among them are
    ``SEED-UNKNOWN`` naming this file and their rows (the delineator, given the ids alone, cannot name them).
    """
    from yuanluo.gis.columns import ALIASES
    from yuanluo.gis.io import read_table, table_column

    path, layer = split_layer(spec)
    assert path is not None
    try:
        table = read_table(path, layer=layer)
    except InputError as exc:
        raise _sheet_by_option(exc, "seeds") from None
    try:
        col = table_column(table, str(path), "hid", ALIASES["hid"], given=id_col, option="--id-col")
    except InputError as exc:
        if id_col is not None or households is None:
            raise
        missing = exc
        # no id column: the points' coordinates (经度/纬度, X/Y, 经纬度), each the household at it
        at = points_households(path, layer, "seeds", households, crs)
        if at is None:  # neither: the missing id column, its fix naming the coordinates too
            raise _ids_or_coordinates(missing) from None
        return list(dict.fromkeys(at[0]))
    cells = [str(x).strip() for x in table[col].tolist()]
    if households is not None:
        known = set(households.index.astype(str))
        bad = [k for k, c in enumerate(cells) if c and c not in known]
        if bad:
            rows = table.attrs.get("rows")
            raise InputError(problem("SEED-UNKNOWN", file=str(path), ids=sorted({cells[k] for k in bad}),
                                     rows=[rows[k] for k in bad] if rows else ()))
    return [c for c in cells if c]


def _household_water(stored: Mapping[str, StoredLayer]) -> dict[str, gpd.GeoDataFrame]:
    """The water that blocks walking of the ``--water`` and ``--rivers`` layers read (as stored, its own CRS), for
    the "household in water" check and the offset against the water: the blocking classes of a land-use layer
    (never its farmland or homesteads), and plain water polygons (:func:`yuanluo.gis.barriers.blocking_water`,
    with ``water_class``); a layer unusable or without any left out."""
    from yuanluo.gis.barriers import blocking_water

    found: dict[str, gpd.GeoDataFrame] = {}
    for kind in ("water", "rivers"):
        raw = stored[kind].as_stored() if kind in stored else None
        if raw is None or raw.crs is None or not len(raw):
            continue
        try:
            # the validity and classes found once for the layer read (and taken for its warnings as well)
            found[kind] = blocking_water(raw, with_class=True, valid=stored[kind].water_valid,
                                         classes=stored[kind].classes)
        except InputError:  # reported when the layer itself is read
            continue
    return found


def _joined_water(blocking: Mapping[str, gpd.GeoDataFrame]) -> CheckedLayer | None:
    """The water and rivers' blocking polygons (:func:`_household_water`) as one layer, in the first one's CRS,
    for :func:`yuanluo.gis.io.read_households` (``water=``: read and checked already)."""
    parts = list(blocking.values())  # in the CRS of the first layer found, though it holds none
    parts = [p for p in [*parts[:1], *(p.to_crs(parts[0].crs) for p in parts[1:])] if len(p)]
    if not parts:
        return None
    joined = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=parts[0].crs)
    geoms = gpd.GeoSeries(joined.geometry.to_numpy(), crs=joined.crs)
    geoms.attrs["water_class"] = joined["water_class"].fillna("").astype(str).tolist()
    return CheckedLayer(geoms)


def _guess_id_field(gdf: gpd.GeoDataFrame) -> str:
    for name in ("group", "group_id", "村民小组", "组", "name", "id"):
        if name in gdf.columns:
            return name
    cols = [c for c in gdf.columns if c != gdf.geometry.name]
    return cols[0] if cols else "index"


def build_graph(inputs: Inputs, *, max_walk_min: float = 10.0) -> Any:
    """The terrain graph of the inputs (flat walking and straight lines when no DEM / rivers are given)."""
    from yuanluo.gis.neighbours import build_graph as _build

    with warnings.catch_warnings():  # the barrier findings go to the warning table, in the run's language
        warnings.simplefilter("ignore")
        g = _build(inputs.households, terrain=inputs.terrain, rivers=inputs.rivers, water=inputs.water,
                   roads=inputs.roads, max_walk_min=max_walk_min)
    known = {id(p) for p in inputs.warnings}
    inputs.warnings.extend(p for p in g.meta.get("problems", []) if id(p) not in known)
    return g


@dataclass
class Delineation:
    """The result of a delineation: the estimator, its graph, and the output layers."""

    model: Any
    graph: Any
    layers: dict[str, Any]
    rules: Rules
    summary: dict[str, Any]
    hierarchy: Any = None
    #: what to say about the units (``delineate --lock``: the new units' exceptions, the locked units' breaches)
    notes: list[Problem] = field(default_factory=list)


def rule_columns(inputs: Inputs, rules: Rules, *, rules_file: str | Path | None = None, settlements: bool = True,
                 done: str = "check", head: str = "cli.unapplied.head") -> list[Problem]:
    """Where the rules meet the household columns: ``RULE-NEST-UNKNOWN`` (raised) for a ``nest_by`` name that is
    neither a column of the households nor a nesting column Yuanluo knows (a typo, named with ``rules_file``, the
    rules' source, and the columns the file has); else the ``RULE-UNAPPLIED`` warnings of the rules the file lacks
    a column for (:func:`yuanluo.planners.report.unapplied_problems`; ``settlements``: whether the command needs a
    settlement column, ``done``: "check" or "apply", ``head``: the sentence of a missing candidate-head column)."""
    from yuanluo.planners.report import unapplied_problems, unknown_nesting

    hh = inputs.households
    file = str(hh.attrs.get("file") or inputs.paths.get("households") or "") or None
    unknown_nesting(rules, hh.columns, rules_file=rules_file, households_file=file)
    result = file if inputs.result else None  # a result's columns come from the file it was delineated from
    source = result_source(inputs.paths["households"]) if result is not None else file
    # the demo's result: its households are the bundled sample, no file of the planner's to add columns to
    sample = result is not None and (inputs.record or {}).get("command") == "demo"
    if sample:
        head = "cli.unapplied.head_sample"
    out = unapplied_problems(rules, hh.columns, settlements=settlements, head=head, done=done,
                             households_file=source, rules_file=rules_file, result=result)
    if result is None or (inputs.record or {}).get("params.rules.keep_settlements") != "true":
        return out
    # the delineation of this result kept settlements whole from a household file without a settlement column, so
    # it found them itself (cli.settle_found) and kept them whole where it could: said so, not as if the rule had
    # been left out (session 40, audit F)
    return [_settle_found(p, done, sample) if p.params.get("column") == ["settlement"] else p for p in out]


def _settle_found(p: Problem, done: str, sample: bool = False) -> Problem:
    """The RULE-UNAPPLIED ``p`` of a settlement column a result lacks, said for a result whose delineation found the
    settlements itself: what the result does not hold (the settlements, so a check has nothing to check them
    against, a repair nothing to keep whole), and its fix (the column to add, or the setting) as what to do only
    when the settlements found will not do; ``sample``: the demo's result, whose sample has no such column to add
    (``cli.unapplied.fix.settle_sample``)."""
    rule = {lg: text(f"cli.unapplied.settle_found.{done}", lg) for lg in LANGS}
    how = {lg: text("cli.unapplied2.fix_found", lg, fix=text("cli.unapplied.fix.settle_sample", lg) if sample
                    else p.params["how"][lg]) for lg in LANGS}
    return problem(p.code, severity=p.severity, done=p.params["done"], rule=rule, how=how, column=["settlement"])


def result_source(path: str | Path) -> str | None:
    """The household file the result ``path`` was delineated from, as its ``run`` table records it (found now as
    recorded, or by its path from the result's folder; a result delineated from another result: that one's source
    in turn); None when the run records none. Where it is not found now, its path as recorded."""
    here: Path = Path(path)
    seen: set[Path] = set()
    named: str | None = None
    while here.resolve() not in seen:
        seen.add(here.resolve())
        rec = _run_record(here) if result_layers(here) else None
        used = (rec or {}).get("inputs.households.path")
        if not used:
            break
        beside = rec.get("inputs.households.from_output") if rec else None
        tries = [*([here.parent / beside] if beside else []), Path(used), here.parent / used]
        found = next((Path(os.path.normpath(p)) for p in tries if p.is_file()), None)
        named = str(found) if found is not None else used
        if found is None:
            break
        here = found
    return named


#: the delineator's ``head_exact_max_n`` with ``--thorough-heads`` (100 without; bench/results/heads.md, session 11)
THOROUGH_HEAD_N = 400


def _head_kw(head_exact_max_n: int | None) -> dict[str, Any]:
    """The delineator's head settings for ``head_exact_max_n`` as the command line passes it: none (its
    defaults), or with ``--thorough-heads`` (:data:`THOROUGH_HEAD_N`) the exact search over larger areas and the
    re-cut of chains of units (``head_chains``), both for fewer units without a candidate head at more time.

    >>> _head_kw(None), _head_kw(THOROUGH_HEAD_N)
    ({}, {'head_exact_max_n': 400, 'head_chains': True})
    """
    return {} if head_exact_max_n is None else {"head_exact_max_n": head_exact_max_n, "head_chains": True}


def delineate(
    inputs: Inputs,
    rules: Rules,
    *,
    seed: int = 0,
    graph: Any = None,
    target_size: float | None = None,
    max_walk_min: float = 10.0,
    join_limit_min: float | None = None,
    reach_m: float = 300.0,
    town: str | None = None,
    seeds: Any = None,
    head_exact_max_n: int | None = None,
    progress: Progress | None = None,
    lang: Lang = "zh",
) -> Delineation:
    """Delineate courtyard units and assemble the output layers (households with their unit, its status and
    their own walking minutes to its meeting point, ``meeting_walk_min``, and, with settlements kept whole,
    ``settlement_split``: their settlement is one the delineation declared split; units, meeting points, unit
    adjacency); ``progress`` hears ``step.graph``, ``step.fit`` and ``step.layers``. The units' ``reason``
    column is rendered in ``lang``. ``head_exact_max_n``: the delineator's parameter of that name (larger areas
    get the exact search for candidate heads; :data:`THOROUGH_HEAD_N` is the command line's
    ``--thorough-heads``); given, chains of units are re-cut for heads too (:func:`_head_kw`)."""
    from yuanluo.gis.cluster import UnitDelineator
    from yuanluo.gis.delineate.reasons import unit_reasons

    if graph is None:
        _step(progress, "step.graph")
    g = graph if graph is not None else build_graph(inputs, max_walk_min=max_walk_min)
    kw: dict[str, Any] = {"random_state": seed}
    if target_size is not None:
        kw["target_size"] = target_size
    if join_limit_min is not None:
        kw["join_limit_min"] = join_limit_min
    kw.update(_head_kw(head_exact_max_n))
    _step(progress, "step.fit")
    model = UnitDelineator.from_rules(rules, **kw).fit(inputs.households, g, seeds=seeds)
    _step(progress, "step.layers")

    units_tbl = model.units_.copy()
    units_tbl["reason"] = unit_reasons(units_tbl, lang)
    layers, hh, hierarchy = _plan_layers(inputs, g, model.labels_, model.status_, units_tbl, float(model.join_limit_min),
                                         _declared_splits(model, rules), reach_m=reach_m,
                                         town=text("cli.town", lang) if town is None else town, lang=lang)
    sizes = units_tbl.loc[units_tbl["status"] == "ok", "n_households"]
    n_exc = int((hh["unit_status"] != "ok").sum())
    # within the band by size alone (a unit may be an exception for its walk or heads and still be in it)
    in_band = units_tbl["size"].astype(float).between(rules.min_size - 1e-9, rules.max_size + 1e-9)
    summary = {
        "households": len(hh),
        "units": len(units_tbl),
        "units_in_band": int(in_band.sum()),
        "units_ok": int((units_tbl["status"] == "ok").sum()),
        "exception_units": int((units_tbl["status"] != "ok").sum()),
        "households_in_exceptions": n_exc,
        "share_in_bounds": float(units_tbl.loc[in_band, "n_households"].sum() / max(len(hh), 1)),
        "share_ok": float(1 - n_exc / max(len(hh), 1)),
        "size_min": int(sizes.min()) if len(sizes) else None,
        "size_median": float(sizes.median()) if len(sizes) else None,
        "size_max": int(sizes.max()) if len(sizes) else None,
        "mean_walk_min": float(np.average(units_tbl["mean_walk_min"], weights=units_tbl["n_households"]))
        if len(units_tbl) else None,
        "graph_edges": int(g.m),
        "graph_components": int(len(np.unique(g.components()))) if g.n else 0,
    }
    return Delineation(model=model, graph=g, layers=layers, rules=rules, summary=summary, hierarchy=hierarchy)


def _declared_splits(model: Any, rules: Rules) -> set[str] | None:
    """The households of the settlements a delineation declared split (SETTLEMENT-SPLIT), or None when
    settlements are not kept whole."""
    if not rules.keep_settlements:
        return None
    return {str(h) for p in model.problems_ if p.code == "SETTLEMENT-SPLIT" for h in p.ids}


def _stale_cuts(households: pd.DataFrame) -> list[str]:
    """The columns of ``households`` that are a Shapefile's cut of a result's own per-run columns
    (``meeting_wa`` of ``meeting_walk_min``, ``unit_statu`` of ``unit_status``): another run's values.

    >>> _stale_cuts(pd.DataFrame(columns=["hid", "meeting_wa", "unit_statu", "settlement", "unit_id"]))
    ['meeting_wa', 'unit_statu']
    """
    from yuanluo.gis.columns import OWN_CUTS, normalize_name

    return [str(c) for c in households.columns
            if OWN_CUTS.get(normalize_name(str(c))) in ("meeting_walk_min", "unit_status")]


#: The layers of a result as :func:`_plan_layers` makes them (a delineation; ``--lock`` adds ``lock_changes``), and
#: the context layers :func:`context_layers` may carry: a command checks the files named after a CSV or GeoParquet
#: output (``OUT.units.csv``: :func:`yuanluo.gis.output.layer_files`) before its work.
DELINEATE_LAYERS = ("households", "units", "meeting_points", "unit_adjacency", "hierarchy")
CONTEXT_LAYERS = ("rivers", "water", "roads", "boundary", "groups")
#: the layers of ``yuanluo graph`` (:func:`graph_layers`)
GRAPH_LAYERS = ("edges", "components", "households")


def _plan_layers(inputs: Inputs, g: Any, labels: pd.Series, status: pd.Series, units_tbl: pd.DataFrame,
                 join_limit: float, split: set[str] | None, *, reach_m: float, town: str, lang: Lang = "zh"
                 ) -> tuple[dict[str, Any], pd.DataFrame, Any]:
    """The layers of a result (households with ``unit_id``, ``unit_status``, ``meeting_walk_min`` and
    ``settlement_split`` when ``split`` is given; units with territories; meeting points; unit adjacency;
    hierarchy), the households frame and the hierarchy graph, from the labels and a units table with
    ``meeting_hid``."""
    from yuanluo.gis.hierarchy import build_hierarchy, hierarchy_table
    from yuanluo.gis.units import meeting_points, unit_adjacency, unit_territories

    # columns another run wrote describe that run's units
    # (and their Shapefile cuts: meeting_wa, unit_statu; "settlement" is a settlement column or was renamed)
    hh = inputs.households.drop(columns=["settlement_split", "meeting_walk_min", *_stale_cuts(inputs.households)],
                                errors="ignore")
    hh["unit_id"] = labels.reindex(hh.index).astype(str)
    hh["unit_status"] = status.reindex(hh.index).astype(str)
    meet_hid = units_tbl.set_index("unit_id")["meeting_hid"]
    hh["meeting_walk_min"] = household_walk_min(g, labels, meet_hid, join_limit).reindex(hh.index).round(2).to_numpy()
    # the settlements it had to split, declared; also those it found itself (no settlement column), so that
    # the households a SETTLEMENT-SPLIT warning names can be found in the result
    if split is not None and ("settlement" in hh.columns or split):
        hh["settlement_split"] = hh.index.astype(str).isin(sorted(split))
    meet = meeting_points(inputs.households, labels, meet_hid)
    # territories reach at most `reach_m` beyond the households, and never outside the boundary
    terr = unit_territories(inputs.households, labels, max_reach_m=reach_m)
    clip = inputs.boundary if inputs.boundary is not None else inputs.groups
    if clip is not None and len(clip):
        area = clip.to_crs(terr.crs).union_all()
        terr = terr.set_geometry(terr.geometry.intersection(area))
    units = gpd.GeoDataFrame(
        units_tbl.merge(terr[["unit_id", terr.geometry.name]], on="unit_id", how="left"),
        geometry=terr.geometry.name, crs=hh.crs,
    )
    hierarchy = build_hierarchy(inputs.households, labels, units=units_tbl, town=town, lang=lang)
    layers: dict[str, Any] = {
        "households": hh.reset_index(),
        "units": units,
        "meeting_points": meet,
        "unit_adjacency": unit_adjacency(inputs.households, labels, g, meet),
        "hierarchy": hierarchy_table(hierarchy).reset_index(),
    }
    return layers, hh, hierarchy


def context_layers(inputs: Inputs) -> dict[str, Any]:
    """The auxiliary layers worth carrying into the output file and the map; of a land-use layer given as
    ``--water`` or ``--rivers`` (国土调查 DLTB/XZDW, with a DLBM or DLMC column), its water classes only
    (:func:`water_rows`), never the farmland and homesteads that cover the rest of the village."""
    out: dict[str, Any] = {}
    for name in CONTEXT_LAYERS:
        gdf = getattr(inputs, name)
        if gdf is not None and len(gdf) and name in ("rivers", "water"):
            gdf = water_rows(gdf)
        if gdf is not None and len(gdf):
            out[name] = gdf
    return out


def water_rows(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The rows of a land-use layer (a DLBM/地类编码 or DLMC/地类名称 column) whose class is water, ditches
    included (:func:`yuanluo.gis.barriers.landuse_classes`), numbered afresh (the writer would keep the numbers
    left by the filter as a field ``index``); any other layer as it is.

    >>> from shapely import box
    >>> lu = gpd.GeoDataFrame({"DLBM": ["1101", "0702", "0103"], "DLMC": ["河流水面", "农村宅基地", "旱地"]},
    ...                       geometry=[box(0, 0, 1, 1)] * 3, crs="EPSG:4545")
    >>> water_rows(lu)["DLMC"].tolist()
    ['河流水面']
    >>> water_rows(lu.iloc[::-1]).index.tolist()
    [0]
    """
    from yuanluo.gis.barriers import is_landuse_survey, landuse_classes

    if not is_landuse_survey(gdf):
        return gdf
    cls = landuse_classes(gdf)
    if cls is None:
        return gdf
    return gdf[(cls["code"] != "").to_numpy()].reset_index(drop=True)


def map_layers(layers: dict[str, Any]) -> dict[str, Any]:
    """The layers a map draws: every GeoDataFrame, plus the ``run`` and ``violations`` tables; households
    indexed by their ``hid`` (the output layer carries it as a column)."""
    out = {k: v for k, v in layers.items() if isinstance(v, gpd.GeoDataFrame) or k in ("run", "violations")}
    hh = out.get("households")
    if isinstance(hh, gpd.GeoDataFrame) and "hid" in hh.columns:
        out["households"] = hh.set_index(hh["hid"].astype(str).rename("hid")).drop(columns="hid")
    return out


def render_maps(layers: dict[str, Any], *, html: bool, png_or_pdf: str | None, lang: str, terrain: Any = None,
                credit: str | None = None, title: str | None = None, osm: bool = False, rules: Any = None,
                data_files: Sequence[str | Path | None] = (), **map_kw: Any) -> tuple[bytes | None, bytes | None]:
    """Render the HTML map and/or the print map in memory, so that nothing is written unless both work.
    ``rules`` gives the cards and the print title their size band (the run table is not written yet);
    ``data_files``, the input files whose day the print map carries (:func:`yuanluo.gis.output.data_date`)."""
    lyr = map_layers(layers)
    html_bytes = None
    if html:
        from yuanluo.maps.interactive import make_map, render_html

        m = make_map(lyr, lang="en" if lang == "en" else "zh", hillshade=terrain, credit=credit, title=title,
                     rules=rules, **map_kw)
        html_bytes = render_html(m).encode("utf-8")
    print_bytes = None
    if png_or_pdf:
        from yuanluo.gis.output import with_data_date
        from yuanluo.maps.static import render_print_map

        print_bytes = render_print_map(with_data_date(lyr, *data_files), fmt=png_or_pdf,
                                       lang="en" if lang == "en" else "zh", title=title, osm_attribution=osm,
                                       rules=rules)
    return html_bytes, print_bytes


def _layer_fields(path: str | Path, layer: str) -> list[str]:
    """The attribute columns of ``layer`` of a GeoPackage (none when it cannot be read: its reader says why)."""
    import pyogrio

    try:
        return [str(f) for f in pyogrio.read_info(gdal_path(Path(path)), layer=layer)["fields"]]
    except Exception:  # noqa: BLE001 - the household reader reports an unreadable layer
        return []


def result_layers(path: str | Path) -> set[str] | None:
    """The layers of a GeoPackage that Yuanluo wrote (recognised by its ``run`` table naming the tool), or None
    for any other file (or one that cannot be read: its reader then reports why).

    Examples
    --------
    >>> import tempfile
    >>> from yuanluo.gis.output import write_layers
    >>> from yuanluo.maps.sample import sample_layers
    >>> d = Path(tempfile.mkdtemp())
    >>> lyr = {k: v for k, v in sample_layers(20, block=5).items() if k in ("households", "units")}
    >>> _ = write_layers(d / "r.gpkg", lyr, run={"tool": "yuanluo"})
    >>> sorted(result_layers(d / "r.gpkg"))
    ['households', 'layer_styles', 'run', 'units']
    >>> _ = write_layers(d / "other.gpkg", lyr)
    >>> result_layers(d / "other.gpkg") is None
    True
    """
    p = Path(path)
    if p.suffix.lower() != ".gpkg" or not p.is_file():
        return None
    if not is_result(p):  # not ours, or unreadable: the reader says which
        return None
    try:
        return _layer_names(p)
    except Exception:  # noqa: BLE001 - listed a moment ago (is_result, the same listing)
        return None


def own_layer(spec: str | Path | None, name: str) -> str | Path | None:
    """``spec`` as ``file::name`` when it names a Yuanluo result without a layer and the result has ``name``;
    otherwise ``spec`` as given.

    Examples
    --------
    >>> own_layer(None, "units") is None, own_layer("plan.csv", "units")
    (True, 'plan.csv')
    """
    if spec is None:
        return None
    path, layer = split_layer(spec)
    if path is None or layer is not None:
        return spec
    found = result_layers(path)
    return f"{path}::{name}" if found is not None and name in found else spec


def result_meeting_points(inputs: Inputs) -> pd.Series | None:
    """The meeting points of the result the households came from (its ``meeting_points`` layer), or None; for
    checking the result's own plan (another plan's units are not the result's)."""
    if not inputs.result:
        return None
    path = inputs.paths["households"]
    spec = own_layer(path, "meeting_points")
    return None if spec == path else read_meeting_points(str(spec))


def result_declared(inputs: Inputs, units: pd.DataFrame | None = None) -> Any:
    """The exception units declared by the result the households came from (its ``units`` layer, or ``units``
    when given: ``status`` exception, with the reason), as a :class:`yuanluo.gis.check.Declared` for
    :func:`~yuanluo.gis.check.check_plan` and the editor; None for households from any other file, or a result
    without a readable units layer (then no error is excused)."""
    import pyogrio

    from yuanluo.gis.check import Declared
    from yuanluo.gis.delineate.reasons import reasons_in

    path = inputs.paths["households"]
    found = result_layers(path) or set()  # a result Yuanluo wrote (with or without naming the layer)
    if "unit_id" not in inputs.households.columns or "run" not in found:
        return None
    labels = inputs.households["unit_id"]
    try:
        run = run_table(Path(path))
        if units is None and "units" in found:
            units = pd.DataFrame(pyogrio.read_dataframe(gdal_path(path), layer="units", read_geometry=False))
        if "hierarchy" in found:  # the units as delineated (a planner edits the households' unit_id, not this)
            tree = pd.DataFrame(pyogrio.read_dataframe(gdal_path(path), layer="hierarchy", read_geometry=False))
            if {"hid", "unit_id"} <= set(tree.columns):
                tree = tree.drop_duplicates("hid", keep=False)
                labels = pd.Series(tree["unit_id"].to_numpy(), index=pd.Index(tree["hid"].astype(str)))
    except Exception:  # noqa: BLE001 - an unreadable layer declares nothing
        return None
    from yuanluo.planners.tables import run_rules

    rules = run_rules(run)
    if units is None or rules is None or not {"unit_id", "status"} <= set(units.columns):
        return None  # without the rules it kept, a declaration cannot be judged
    split = inputs.households["settlement_split"] if "settlement_split" in inputs.households.columns else None
    return Declared.of(pd.DataFrame(units), labels, reasons=reasons_in, split=split, rules=rules)


def result_rules(path: str | Path) -> Any:
    """The rules a result records in its ``run`` table (``params.rules.*``, as ``delineate`` and ``demo`` write
    them) as :class:`~yuanluo.gis.rules.Rules`; None for a file without them."""
    from yuanluo.gis.rules import Rules
    from yuanluo.planners.tables import run_rules

    if "run" not in (result_layers(path) or set()):
        return None
    try:
        rec = run_rules(run_table(Path(path)))
    except Exception:  # noqa: BLE001 - an unreadable run table records no rules
        return None
    if not rec or "min_size" not in rec or "max_size" not in rec:
        return None
    known = {f.name for f in dataclasses.fields(Rules)} - {"extra"}
    params = {k: v for k, v in rec.items() if k in known}
    if "nest_by" in params:
        params["nest_by"] = tuple(params["nest_by"] or ())
    return Rules(**params)


def require_households_layer(path: str | Path, command: str | None = None) -> None:
    """RESULT-NOT-RESULT for a household table (CSV, Excel: cells, not layers) given to a command that takes a
    result GeoPackage (``cover``), said to be a table (its ``table`` title: no layers listed): its fix is to
    delineate first, where the table's own findings (CRS-MISSING's
    "declare it with --crs", which such a command's --crs does not do) could not be followed. A file of layers
    without a ``households`` layer is left to its reader (IO-NOLAYER, whose fix names the layer to give).

    Examples
    --------
    >>> import tempfile
    >>> t = Path(tempfile.mkdtemp()) / "hh.csv"
    >>> _ = t.write_text("hid,x,y\\nH1,1,2\\n", encoding="utf-8")
    >>> try:
    ...     require_households_layer(t)
    ... except InputError as e:
    ...     print(e.problems[0].code)
    RESULT-NOT-RESULT
    """
    from yuanluo.gis.io import SUPPORTED_FORMATS, TABLE_FORMATS, plan_table_columns

    p = Path(path)
    if p.is_file() and SUPPORTED_FORMATS.get(p.suffix.lower()) in TABLE_FORMATS:
        plan = plan_table_columns(p)
        if plan is not None:  # a plan table (户编号, 院落编号): the way this command takes a plan, or its fix
            how = both(f"result.plan_fix.{command if command in ('edit', 'map') else 'other'}", file=str(p))
            raise InputError(replace(problem("RESULT-NOT-RESULT", file=str(p), layers=[p.stem], columns=plan,
                                             how=how), variant="plan"))
        # a table has no layers to list: its title says it is a table (variant table)
        raise InputError(replace(problem("RESULT-NOT-RESULT", file=str(p), layers=[p.stem]), variant="table"))


RESULT_LAYERS = ("households", "units", "meeting_points", "unit_adjacency", "rivers", "water", "roads", "boundary",
                 "groups", "violations", "run")


def read_result(path: str | Path, *, dem: str | Path | None = None,
                command: str | None = None) -> tuple[dict[str, Any], Any]:
    """Read the layers of a result GeoPackage written by ``delineate``/``demo`` (and a DEM for the hillshade); a
    table given instead is RESULT-NOT-RESULT with the fix for ``command`` (:func:`require_households_layer`)."""
    from yuanluo.gis.io import whole_fields

    p = Path(path)
    _require_exists([(p, "result"), (Path(dem) if dem else None, "dem")])
    require_households_layer(p, command)  # a table (a plan, a household file) has no layers to list
    try:
        present = _layer_names(p)
    except Exception as exc:  # noqa: BLE001 - any driver failure is a bad file
        raise InputError(problem("IO-CORRUPT", file=str(p), why=unreadable(exc, "layers"))) from exc
    if not {"households", "units"} <= present:  # a households file, a maturity table …: not a result
        raise InputError(problem("RESULT-NOT-RESULT", file=str(p), layers=sorted(present - {"layer_styles"})))
    layers: dict[str, Any] = {}
    for name in RESULT_LAYERS:
        if name in present:
            layers[name] = run_table(p) if name == "run" else \
                whole_fields(gpd.read_file(gdal_path(p), layer=name), p, name)
    hh = layers["households"]
    if "unit_id" not in hh.columns:
        raise InputError(problem("RESULT-NOT-RESULT", file=str(p), layers=sorted(present - {"layer_styles"})))
    _same_ids_as_check(layers, str(p))
    hh = layers["households"]
    if "hid" in hh.columns:
        layers["households"] = hh.set_index(hh["hid"].astype(str)).rename_axis("hid").drop(columns="hid")
    _require_metric_layers(layers, str(p))
    terrain = None
    if dem is not None:
        from yuanluo.gis.terrain import read_dem

        terrain = read_dem(dem, working_crs=layers["households"].crs, households=layers["households"])
    return layers, terrain


def _require_metric_layers(layers: dict[str, Any], file: str) -> None:
    """CRS-UNSET or CRS-PROJECTED for each layer of a result that is not in metres (one edited in a GIS and saved
    without its CRS: GDAL's "Undefined geographic SRS"), before its DEM is read in the households' CRS (where it
    said CRS-WORKING, whose fix names read_dem's working_crs=, or failed inside pyproj)."""
    from yuanluo.gis.errors import CRSError, layer_crs_problems

    found = [replace(q, file=file) for name, lyr in layers.items() if isinstance(lyr, gpd.GeoDataFrame) and len(lyr)
             for q in layer_crs_problems(name, lyr)]
    if found:
        raise CRSError(found)


def _same_ids_as_check(layers: dict[str, Any], file: str) -> None:
    """The ids of a result read as ``yuanluo check`` reads them, so that a map shows what the check judges: the
    household ids as the household reader takes them (a household added in QGIS with no id is ``ID-BLANK``, a
    duplicate ``ID-DUP``, naming the layer's feature numbers; raised, nothing drawn), and the unit ids of the
    households and of the units layer as the plan reader takes them (NFKC, stripped: ``"U026 "`` and
    ``"Ｕ０２６"`` are U026; blank is no unit), in place.

    >>> hh = pd.DataFrame({"hid": ["1", "2", "3"], "unit_id": ["U1", "Ｕ１ ", None]})
    >>> lyr = {"households": hh, "units": pd.DataFrame({"unit_id": [" U1"]})}
    >>> _same_ids_as_check(lyr, "r.gpkg")
    >>> lyr["households"]["unit_id"].tolist(), lyr["units"]["unit_id"].tolist()
    (['U1', 'U1', None], ['U1'])
    >>> _same_ids_as_check({"households": hh.assign(hid=["1", None, "1"])}, "r.gpkg")
    Traceback (most recent call last):
    ...
    yuanluo.gis.errors.InputError: ...
    """
    from yuanluo.gis.columns import to_id_strings
    from yuanluo.gis.plan import plan_from_column
    from yuanluo.gis.validate import check_ids

    hh = layers["households"]
    if "hid" in hh.columns:
        ids = to_id_strings(hh["hid"])
        bad = [q for q in check_ids(ids, np.arange(1, len(hh) + 1), file) if q.severity == "error"]
        if bad:
            raise InputError(bad)
    for name in ("households", "units"):
        lyr = layers.get(name)
        if isinstance(lyr, pd.DataFrame) and "unit_id" in lyr.columns:
            labels = plan_from_column(lyr, "unit_id").labels  # the check's reading of a unit column
            lyr = lyr.copy()
            lyr["unit_id"] = pd.Series(labels.to_numpy(dtype=object, na_value=None), index=lyr.index, dtype=object)
            layers[name] = lyr


def sample_dir() -> Path:
    """Folder of the bundled real sample (an Andorran parish; © OpenStreetMap contributors, ODbL)."""
    return Path(str(resources.files("yuanluo.planners") / "sample"))


def sample_paths() -> dict[str, str]:
    """Paths (``file::layer``) of the bundled sample's households, DEM, rivers, water, roads and boundary."""
    d = sample_dir()
    gpkgs = sorted(d.glob("*.gpkg"))
    if not gpkgs:
        raise InputError(problem("IO-NOTFOUND", file=str(d / "*.gpkg")))
    g = str(gpkgs[0])
    return {
        "households": f"{g}::households",
        "dem": str(d / "dem.tif"),
        "rivers": f"{g}::rivers",
        "water": f"{g}::water",
        "roads": f"{g}::roads",
        "boundary": f"{g}::boundary",
    }


# ------------------------------------------------------------------------------------------ plans
def read_plan(
    inputs: Inputs,
    *,
    plan: str | Path | None = None,
    units: str | Path | None = None,
    unit_col: str | None = None,
    id_col: str | None = None,
    strict: bool = False,
    units_crs: str | None = None,
) -> Any:
    """A plan to check or repair, from exactly one source: a table (``plan``), unit polygons (``units``), or
    a column of the household file (``unit_col`` alone). ``unit_col`` names the unit column of whichever
    source is used; ``id_col`` the household-id column of a plan table; ``units_crs`` the coordinate system of
    unit polygons that declare none (``--units-crs``: a Shapefile without its .prj; without it such a layer is
    CRS-MISSING, its fix naming the option and the system its coordinates point to). Returns a
    :class:`yuanluo.gis.plan.PlanInput`.

    ``strict``: a plan a command changes or builds on (repair, edit, delineate): ids that are not among the
    households and households given two units (:data:`STRICT_PLAN_CODES`) are input errors, raised together,
    before anything is done: the plan would lose them without a word; its warnings join ``inputs.warnings``.
    The check reports them as findings.

    Households read from a Yuanluo result carry their plan: with no source given, it is their ``unit_id``.
    Unit polygons from a Yuanluo result are its ``units`` layer, without ``::units``.
    """
    from yuanluo.gis.io import read_layer
    from yuanluo.gis.plan import assign_by_unit_polygons, plan_from_column, read_plan_table, units_crs_missing

    if plan is None and units is None and not unit_col and inputs.result and "unit_id" in inputs.households.columns:
        unit_col = "unit_id"  # Yuanluo's own result: the plan it holds
    if (plan is not None and units is not None) or (plan is None and units is None and not unit_col):
        raise InputError(problem("CLI-PLAN"))
    if plan is not None:
        try:
            out = read_plan_table(Path(plan), inputs.households, id_col=id_col, unit_col=unit_col)
        except InputError as exc:  # unit polygons (drawn in QGIS, a result's units layer) have no household ids:
            if "PLAN-COLUMN" in exc.codes and polygon_plan(plan):  # not columns to rename, but what --units reads
                raise InputError(problem("PLAN-UNITS-LAYER", plan=str(plan))) from None
            raise
        if strict:  # its lock column (repair, edit, delineate): a cell neither yes nor no is said, not ignored
            from yuanluo.gis.lock import read_lock_column

            inputs.warnings.extend(read_lock_column(plan)[1])
    elif units is None:
        assert unit_col is not None
        if _loaded_name(inputs, unit_col) not in inputs.households.columns:
            raise InputError(_unit_col_missing(inputs, unit_col))
        out = plan_from_column(inputs.households, _loaded_name(inputs, unit_col))
    else:
        path, lyr = split_layer(own_layer(units, "units"))
        assert path is not None
        try:  # a layer declaring no CRS takes --units-crs; a layer that declares one keeps it
            polys = read_layer(path, kind="units", working_crs=inputs.households.crs, layer=lyr)
        except InputError as exc:
            if units_crs is None or "CRS-MISSING" not in exc.codes:
                raise units_crs_missing(exc, path, lyr, inputs.households) from None
            polys = read_layer(path, kind="units", working_crs=inputs.households.crs, layer=lyr, crs=units_crs)
        inputs.warnings.extend(polys.attrs.get("warnings", []))  # reprojected (LAYER-REPROJECTED): said, as for the others
        out = assign_by_unit_polygons(inputs.households, polys, unit_col, file=str(path))
    if strict:
        bad = [q for q in out.problems if q.code in STRICT_PLAN_CODES and q.severity == "error"]
        if bad:  # nothing is used "for now": the command stops
            raise InputError([replace(q, params={**q.params, "then": dict.fromkeys(LANGS, "")}) for q in bad])
        # what was read, and how (ids whose leading zeros were put back …): with the input warnings
        inputs.warnings.extend(q for q in out.problems if q.severity == "warning")
    return out


def polygon_plan(plan: Path | str) -> bool:
    """Whether a ``--plan`` file (``file::layer``) is a layer of polygons: unit polygons, which ``--units`` reads
    (households assigned by location), not a plan table; False for a table, a layer of points, or a file not read.

    >>> import tempfile; import geopandas as gpd; from shapely.geometry import Point, box
    >>> d = Path(tempfile.mkdtemp())
    >>> gpd.GeoDataFrame({"unit_id": ["U1"]}, geometry=[box(0, 0, 1, 1)], crs=4490).to_file(d / "u.gpkg", layer="u")
    >>> gpd.GeoDataFrame({"hid": ["1"]}, geometry=[Point(0, 0)], crs=4490).to_file(d / "u.gpkg", layer="h")
    >>> _ = (d / "p.csv").write_text("hid,unit_id\\n1,U1\\n", encoding="utf-8")
    >>> [polygon_plan(x) for x in (f"{d}/u.gpkg::u", f"{d}/u.gpkg::h", d / "p.csv", d / "none.shp")]
    [True, False, False, False]
    """
    import pyogrio

    from yuanluo.gis.plan import split_plan_spec

    path, layer = split_plan_spec(plan)
    if path.suffix.lower() in (".csv", ".txt", ".tsv", ".xlsx", ".xls", ".dbf") or not path.exists():
        return False
    try:
        kind = str(pyogrio.read_info(gdal_path(path), layer=layer)["geometry_type"] or "")
    except Exception:  # noqa: BLE001 - not read here: reading it as a plan says why
        return False
    return "polygon" in kind.lower()


def _unit_col_missing(inputs: Inputs, unit_col: str) -> Problem:
    """PLAN-UNIT-COL: ``--unit-col`` names no column of the household file that is the plan: the file by its path
    (not "households") and its columns as the file names them (村, not ``village``), in the file's order as
    COL-MISSING lists them (:attr:`~yuanluo.gis.io.LoadReport.columns`), the geometry left out."""
    in_file = [str(c) for c in getattr(inputs.report, "columns", None) or []]
    if in_file:
        return problem("PLAN-UNIT-COL", file=str(inputs.paths.get("households", "")), column=unit_col,
                       columns=in_file)
    shown = dict(getattr(inputs.report, "column_map", {}))
    geom = inputs.households.geometry.name if isinstance(inputs.households, gpd.GeoDataFrame) else None
    columns: list[str] = []
    for c in inputs.households.columns:  # one file column read for two (党员: head_candidate, party_member) once
        for name in str(shown.get(c, c)).split("、") if c != geom else ():
            if name not in columns:
                columns.append(name)
    return problem("PLAN-UNIT-COL", file=str(inputs.paths.get("households", "")), column=unit_col,
                   columns=columns or ["-"])


def _loaded_name(inputs: Inputs, column: str) -> str:
    """The name a household-file column has after loading: a column the file calls 院落 is ``settlement``."""
    if column in inputs.households.columns:
        return column
    renamed = {orig: canon for canon, orig in getattr(inputs.report, "column_map", {}).items()}
    return renamed.get(column, column)


def plan_column_apart(inputs: Inputs, unit_col: str | None, *, plan: object = None, units: object = None) -> None:
    """``--unit-col 院落`` of a household file that is its own plan: the reader took the column for the natural
    settlements (院落 names both), so a plan could never split one. The column keeps its own name for the plan, and
    the settlement rule is said as not checked (RULE-UNAPPLIED), as for a file without a settlement column (``check``
    and ``repair`` alike; ``inputs`` changed in place)."""
    if unit_col and plan is None and units is None and unit_col not in inputs.households.columns \
            and _loaded_name(inputs, unit_col) == "settlement":
        inputs.households = inputs.households.rename(columns={"settlement": unit_col})


def graph_basis(inputs: Inputs) -> str:
    """What a graph of ``inputs`` judges neighbours on: ``terrain`` (a DEM and rivers or water), ``dem_only``,
    ``rivers_only`` or ``straight`` (the suffix of the catalogue texts that say so)."""
    dem = inputs.terrain is not None
    cut = inputs.rivers is not None or inputs.water is not None
    return "terrain" if dem and cut else "dem_only" if dem else "rivers_only" if cut else "straight"


def plan_graph(inputs: Inputs, *, max_walk_min: float = 10.0) -> tuple[Any, str]:
    """The graph a plan is judged on, and its kind: ``terrain`` when a DEM or rivers/water are given,
    else ``straight`` (flat walking along straight lines)."""
    straight = graph_basis(inputs) == "straight"
    return build_graph(inputs, max_walk_min=max_walk_min), "straight" if straight else "terrain"


def plan_lock_sources(option: str | None, plan: str | Path | None, inputs: Inputs, labels: pd.Series, rules: Rules,
                      graph: Any, kind: str, **check_kw: Any) -> dict[str, list[str]]:
    """The units a command keeps as they are (``delineate --lock``, ``repair``), each with why
    (:func:`yuanluo.gis.lock.lock_sources`: ``column``, ``option``, ``valid``): those of the plan table's 锁定
    column and those ``option`` names (ids, or ``valid``: the units of ``labels`` that pass the check with no
    exception, :func:`yuanluo.gis.check.check_plan` with ``check_kw``), together."""
    from yuanluo.gis.check import check_plan
    from yuanluo.gis.lock import lock_sources, read_locks

    def passing() -> list[str]:
        units = check_plan(inputs.households, labels, rules, graph=graph, graph_kind=kind, **check_kw).units
        return units.loc[units["status"] == "ok", "unit_id"].astype(str).tolist()

    return lock_sources(option, labels, read_locks(plan) if plan is not None else [], passing)



def check_map_layers(inputs: Inputs, labels: pd.Series, result: Any, *, meeting_points: pd.Series | None = None,
                     lang: Lang = "zh", graph: Any = None) -> dict[str, Any]:
    """The layers of a check's map: the checked plan's units (territories drawn from the plan, with the check's
    ``status`` ok/violation, size and walks), households with their unit and ``violation`` where their unit or
    they themselves are named by a violation, the violations with their wording in ``lang`` (``message``, as the
    command line says it, whoever ran the check: :meth:`yuanluo.gis.check.CheckResult.for_planner`), the run's
    size band, the meeting points the check measured walks to (``unit_id -> hid``; those at a household of their
    own unit), and the context layers. With the ``graph`` the check walked on, each household's own
    ``meeting_walk_min`` to its unit's point (the household card shows it). Where the households have a
    candidate-head column, each unit's ``n_heads``, suggested head ``head_hid`` and ``head_candidates`` as the check
    found them (:func:`yuanluo.gis.check.plan_heads`), which the unit card shows."""
    from yuanluo.gis.units import meeting_points as meeting_layer
    from yuanluo.gis.units import unit_territories

    # a meeting_walk_min column read with the households belongs to another plan's meeting points
    hh = inputs.households.drop(columns=["meeting_walk_min"], errors="ignore")
    hh["unit_id"] = labels.reindex(hh.index).astype("string").fillna("").astype(str)
    viol = result.for_planner().violations.copy()  # said as the command line says them, whoever ran the check
    named: set[str] = set()
    if len(viol):
        col = f"message_{lang}" if f"message_{lang}" in viol.columns else "message_zh"
        viol["message"] = viol[col].astype(str)
        if "hids" in viol.columns:
            named = {str(h) for hs in viol.loc[viol["severity"] == "error", "hids"] for h in (hs or [])}
    status = result.units["status"].astype(str)
    bad = set(result.units.loc[status == "violation", "unit_id"].astype(str))
    excused = set(result.units.loc[status == "exception", "unit_id"].astype(str))
    is_bad = hh["unit_id"].isin(sorted(bad)) | hh.index.astype(str).isin(sorted(named))
    hh["unit_status"] = np.where(is_bad, "violation", np.where(hh["unit_id"].isin(sorted(excused)), "exception", "ok"))
    assigned = hh["unit_id"] != ""
    out: dict[str, Any] = {"households": hh, "violations": viol, **context_layers(inputs)}
    if assigned.any():
        terr = unit_territories(inputs.households[assigned.to_numpy()], hh.loc[assigned, "unit_id"])
        cols = [c for c in ("unit_id", "n_households", "persons", "size", "status", "mean_walk_min", "max_walk_min",
                            "n_heads", "head_hid", "head_candidates") if c in result.units.columns]
        tbl = result.units[cols].assign(unit_id=result.units["unit_id"].astype(str))
        if "head_candidates" in tbl.columns:  # as a result's units layer keeps them: JSON text (the card's list)
            tbl["head_candidates"] = [json.dumps(list(x), ensure_ascii=False) if isinstance(x, list | tuple) else x
                                      for x in tbl["head_candidates"]]
        out["units"] = gpd.GeoDataFrame(terr[["unit_id", terr.geometry.name]].merge(tbl, on="unit_id", how="left"),
                                        geometry=terr.geometry.name, crs=terr.crs)
    if meeting_points is not None and len(meeting_points):
        # the points the check walked to: each at a household of its own unit (others are PLAN-MEETING)
        unit_of = pd.Series(hh["unit_id"].to_numpy(), index=hh.index.astype(str))
        meet = pd.Series(meeting_points.astype(str).to_numpy(), index=meeting_points.index.astype(str))
        own = meet[unit_of.reindex(meet.to_numpy()).to_numpy() == meet.index.to_numpy()]
        if len(own):
            out["meeting_points"] = meeting_layer(inputs.households, unit_of, own)
            if graph is not None:
                walk = household_walk_min(graph, labels.astype("string").dropna().astype(str), own,
                                          result.rules.join_limit_min)
                hh["meeting_walk_min"] = walk.reindex(hh.index.astype(str)).round(2).to_numpy()
    rules = result.rules
    out["run"] = pd.DataFrame({"key": ["rules.min_size", "rules.max_size", "rules.size_by"],
                               "value": [str(rules.min_size), str(rules.max_size), str(rules.size_by)]})
    return out


def plan_table(labels: pd.Series, *, locked: Sequence[str] = ()) -> pd.DataFrame:
    """A plan as the table ``hid, unit_id`` that ``--plan`` reads back; with ``locked`` units, a third column
    ``locked`` (``True`` on every row of a locked unit, as the editor's export marks them, which
    :func:`yuanluo.gis.lock.read_locks` reads back).

    >>> plan_table(pd.Series(["A", "B"], index=["1", "2"]), locked=["B"])["locked"].tolist()
    [False, True]
    """
    out = pd.DataFrame({"hid": labels.index.astype(str), "unit_id": labels.astype("string").to_numpy()})
    if locked:
        out["locked"] = out["unit_id"].isin(sorted(map(str, locked))).fillna(False).astype(bool).to_numpy()
    return out


def graph_layers(inputs: Inputs, *, max_walk_min: float = 10.0) -> tuple[Any, dict[str, Any]]:
    """The neighbour graph and its output layers: edges (with the cut candidate edges), components and the
    households."""
    from yuanluo.gis.graph import components_report, graph_edges_gdf

    g = build_graph(inputs, max_walk_min=max_walk_min)
    layers = {"edges": graph_edges_gdf(g, include_cut=True), "components": components_report(g),
              "households": inputs.households.reset_index()}
    return g, {n: layers[n] for n in GRAPH_LAYERS}


def recorded_credit(layers: dict[str, Any]) -> str | None:
    """The data credit a result's ``run`` table records (``params.data_credit``), or None.

    >>> recorded_credit({"run": pd.DataFrame({"key": ["seed", "params.data_credit"], "value": ["0", "© A"]})})
    '© A'
    >>> recorded_credit({})
    """
    run = layers.get("run")
    if not isinstance(run, pd.DataFrame) or not {"key", "value"} <= set(run.columns):
        return None
    hit = run.loc[run["key"].astype(str).str.endswith("data_credit"), "value"]
    return str(hit.iloc[0]) if len(hit) and str(hit.iloc[0]).strip() else None


def has_osm_credit(layers: dict[str, Any]) -> bool:
    """Whether a result's ``run`` record credits OpenStreetMap (the print map then carries the attribution)."""
    run = layers.get("run")
    return bool(run is not None and "value" in run and run["value"].astype(str).str.contains("OpenStreetMap").any())


def run_record(command: str, inputs: Inputs, params: dict[str, Any], seed: int | None,
               lang: Lang = "zh") -> dict[str, Any]:
    """The ``run`` record of a command (what was read, with which parameters and seed, and every warning about
    the inputs in ``lang``)."""
    from yuanluo.gis.output import run_record as _record

    notes = [p.message(lang) for p in inputs.warnings]
    credit = {"data_credit": inputs.credit} if inputs.credit and "data_credit" not in params else {}
    rec = _record(command=command, inputs=dict(inputs.paths), params={**params, **credit, "warnings": notes},
                  seed=seed)
    for kind, layer in inputs.layers.items():  # which layer of a GeoPackage was read
        rec["inputs"][kind]["layer"] = layer
    if "households" in rec["inputs"]:
        rec["inputs"]["households"].update(household_reading(inputs.report, inputs.given))
    return rec


def household_reading(report: Any, given: Mapping[str, str | None]) -> dict[str, Any]:
    """How the household file was read, for its entry in the ``run`` record: its format, ``--crs`` as typed
    (``crs_given``, None when not given) and the CRS it resolved to (``crs``, e.g. ``gcj02`` or ``EPSG:4490``),
    the working CRS, ``--encoding`` as typed and the encoding read (a text file's), the sheet of a workbook, the
    row of the header (``header_row``: 2 below a title line; the upper row of a header of two rows) and of the
    first household (``first_row``) as the file shows them, and the
    column mapping (``columns``: canonical name → the file's column, JSON in the file's order). With these and the
    file (its sha256) the run reads the same households again. Nothing for a report without them.

    >>> from types import SimpleNamespace as NS
    >>> import numpy as np
    >>> r = NS(format="xlsx", declared_crs="gcj02", working_crs="EPSG:4544", encoding=None, layer="花名册",
    ...        rows=np.array([3, 4]), header_row=2, column_map={"hid": "户号", "lon": "经度", "lat": "纬度"})
    >>> d = household_reading(r, {"crs": "GCJ02", "encoding": None})
    >>> d["crs_given"], d["crs"], d["sheet"], d["header_row"], d["first_row"], d["encoding"]
    ('GCJ02', 'gcj02', '花名册', 2, 3, None)
    >>> d["columns"]
    '{"hid": "户号", "lon": "经度", "lat": "纬度"}'
    """
    if report is None or not hasattr(report, "column_map"):
        return {}
    out: dict[str, Any] = {
        "format": report.format,
        "crs_given": given.get("crs"),
        "crs": report.declared_crs,
        "working_crs": report.working_crs,
        "encoding_given": given.get("encoding"),
        "encoding": report.encoding,
    }
    if report.format == "xlsx" and report.layer:
        out["sheet"] = report.layer
    rows = getattr(report, "rows", None)
    if getattr(report, "header_row", None) is not None:
        out["header_row"] = int(report.header_row)
    if report.format in ("csv", "xlsx") and rows is not None and len(rows):
        out["first_row"] = int(min(rows))
    out["columns"] = json.dumps(dict(report.column_map), ensure_ascii=False)
    return out


def read_meeting_points(spec: str | Path, *, id_col: str | None = None, unit_col: str | None = None,
                        households: pd.DataFrame | None = None, crs: Any = None,
                        labels: pd.Series | None = None) -> pd.Series:
    """Meeting points (``unit_id -> hid``) from a table or a layer (``file::layer``), read by
    :func:`yuanluo.gis.plan.read_meeting_points` (encoding detected, Chinese headers, coded errors). Without a
    household-id column, with ``households``, a unit column and the points' coordinates (经度/纬度, X/Y or one
    经纬度 column, in ``crs``, the household file's): each unit meets at the household at its point
    (:func:`points_households`; with ``labels``, the plan's unit of each household, the nearest household of the
    unit its row names: POINTS-UNIT-OTHER where that is far but another unit's is near); MEET-BLANK and MEET-DUP
    as for ids. Neither ids nor coordinates: COL-MISSING, its fix naming both ways."""
    from yuanluo.gis.io import table_column
    from yuanluo.gis.plan import ID_ALIASES, UNIT_ALIASES, _meeting_twice
    from yuanluo.gis.plan import read_meeting_points as _read

    path, layer = split_layer(spec)
    assert path is not None
    try:
        return _read(path, layer=layer, id_col=id_col, unit_col=unit_col)
    except InputError as exc:
        if exc.codes == ["IO-NOLAYER"]:
            raise _sheet_by_option(exc, "meeting_points") from None
        if id_col is not None or households is None or exc.codes != ["COL-MISSING"] \
                or list(exc.problems[0].params.get("aliases") or ()) != list(ID_ALIASES):
            raise
        read = _points_read(path, layer, "meeting_points", households, crs)
        if read is None:  # neither: the missing id column, its fix naming the coordinates too
            raise _ids_or_coordinates(exc) from None
    pts, rows = read
    unit = table_column(pts, str(path), "unit_id", UNIT_ALIASES, given=unit_col, option="--unit-col")
    units = np.array([_unit_text(u) for u in pts[unit].tolist()], dtype=object)
    if (units == "").any():
        raise InputError(problem("MEET-BLANK", file=str(path), rows=rows[units == ""]))
    ids = _nearest_households(path, "meeting_points", pts, rows, households, crs, units=units, labels=labels)
    twice = _meeting_twice(units, ids)
    if twice.any():  # two points of one unit at two households: which one is the planner's to say
        raise InputError(problem("MEET-DUP", file=str(path), rows=rows[twice], units=list(dict.fromkeys(units[twice]))))
    keep = ~pd.Index(units).duplicated(keep="first")
    out = pd.Series(ids[keep], index=pd.Index(units[keep], name="unit_id"), name="hid")
    out.attrs["file"] = str(path)
    out.attrs["rows"] = [int(r) for r in rows[keep]]
    return out


def _unit_text(cell: Any) -> str:
    """A unit cell as text (a whole number written 3.0 by Excel as 3), blank for an empty cell."""
    if cell is None or (isinstance(cell, float) and not np.isfinite(cell)):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def household_crs(inputs: Inputs) -> Any:
    """The coordinate system the household file declared (``--crs``, as it resolved: ``gcj02``, ``EPSG:4490`` …; a
    result's as its ``run`` records it), in which a table of points read beside it (``--seeds``,
    ``--meeting-points`` by coordinates) is read."""
    rec = inputs.record or {}
    return rec.get("inputs.households.crs") or getattr(inputs.report, "declared_crs", None) or inputs.crs


#: the farthest a point of a ``--seeds`` or ``--meeting-points`` table given by its coordinates may lie from the
#: household taken for it (a hall's point off a web map beside its yard; farther: another place or system)
POINT_HOUSEHOLD_M = 100.0


def points_households(path: str | Path, layer: str | None, kind: str, households: pd.DataFrame,
                      crs: Any) -> tuple[np.ndarray, np.ndarray, gpd.GeoDataFrame] | None:
    """The household at each point of a table or layer without household ids (``--seeds``, ``--meeting-points``;
    ``kind`` as :func:`yuanluo.gis.io.read_points` takes it): read by ``read_points`` in ``crs`` (the household
    file's; its coordinate columns as a household file's, or one 经纬度 column, with the same COORD-PAIR,
    COORD-SWAP and COORD-PAIR-CRS problems), each point's nearest household; a point farther than
    :data:`POINT_HOUSEHOLD_M` from every household is POINTS-HOUSEHOLD-FAR naming its rows. Returns the ids, the
    rows (a table's as a spreadsheet numbers them, a layer's features from 1) and the points; None for a file
    with no coordinates either (its missing id column is then the error to say).
    """
    read = _points_read(path, layer, kind, households, crs)
    if read is None:
        return None
    pts, rows = read
    return _nearest_households(path, kind, pts, rows, households, crs), rows, pts


def _points_read(path: str | Path, layer: str | None, kind: str, households: pd.DataFrame,
                 crs: Any) -> tuple[gpd.GeoDataFrame, np.ndarray] | None:
    """The points of :func:`points_households` and their rows; None for a file with no coordinate columns."""
    from yuanluo.gis.io import read_points

    try:
        pts = read_points(path, kind=kind, working_crs=households.crs, crs=crs, layer=layer)
    except InputError as exc:
        if exc.codes == ["POINTS-COLUMNS"]:
            return None
        raise
    return pts, np.asarray(pts.attrs.get("rows") or range(1, len(pts) + 1), dtype=np.int64)


def _nearest_households(path: str | Path, kind: str, pts: gpd.GeoDataFrame, rows: np.ndarray,
                        households: pd.DataFrame, crs: Any, *, units: np.ndarray | None = None,
                        labels: pd.Series | None = None) -> np.ndarray:
    """The id of the household nearest each point of ``pts`` (in the households' CRS); a point farther than
    :data:`POINT_HOUSEHOLD_M` from every household is POINTS-HOUSEHOLD-FAR. With ``units`` (each point's unit,
    as its row names it) and ``labels`` (the plan: each household's unit), a point of a unit the plan has is the
    nearest household of that unit: where that is farther than :data:`POINT_HOUSEHOLD_M` and a household of
    another unit (or of none) is not, POINTS-UNIT-OTHER names the rows, their units and the other units."""
    from scipy.spatial import cKDTree

    from yuanluo.gis.io import LAYER_KINDS

    hxy = np.column_stack([households.geometry.x.to_numpy(), households.geometry.y.to_numpy()])
    pxy = np.column_stack([pts.geometry.x.to_numpy(), pts.geometry.y.to_numpy()])
    hids = households.index.astype(str).to_numpy(dtype=object)
    dist, near = cKDTree(hxy).query(pxy)
    other = np.zeros(len(pxy), dtype=bool)  # points whose unit is far, another unit's household near
    own_dist = dist.copy()
    hunit = np.full(len(hids), "", dtype=object)
    if units is not None and labels is not None:
        lab = labels.dropna()
        lab = pd.Series(lab.astype(str).to_numpy(), index=lab.index.astype(str))
        lab = lab[~lab.index.duplicated(keep="first")]
        hunit = lab.reindex(hids).fillna("").to_numpy(dtype=object)
        for u in dict.fromkeys(units.tolist()):
            inside = np.flatnonzero(hunit == u)
            if not len(inside) or not u:
                continue  # a unit the plan lacks (PLAN-MEETING-UNKNOWN, later): the nearest household overall
            at = np.flatnonzero(units == u)
            d_u, n_u = cKDTree(hxy[inside]).query(pxy[at])
            own_dist[at] = d_u
            close = d_u <= POINT_HOUSEHOLD_M
            near[at[close]], dist[at[close]] = inside[n_u[close]], d_u[close]
            other[at[~close]] = dist[at[~close]] <= POINT_HOUSEHOLD_M
    if other.any():
        assert units is not None
        said = np.flatnonzero(other)
        words = {lang: text("list.clause_sep", lang).join(
            text("load.points_unit." + ("other" if hunit[near[k]] else "none"), lang, row=int(rows[k]),
                 unit=units[k], other=hunit[near[k]], hid=hids[near[k]], own=f"{own_dist[k]:.0f}")
            for k in said[:MAX_EXAMPLES]) for lang in LANGS}
        raise InputError(problem("POINTS-UNIT-OTHER", file=str(path), option=LAYER_KINDS[kind], rows=rows[other],
                                 metres=f"{POINT_HOUSEHOLD_M:g}", points=words))
    far = dist > POINT_HOUSEHOLD_M
    if far.any():
        raise InputError(problem("POINTS-HOUSEHOLD-FAR", file=str(path), option=LAYER_KINDS[kind], rows=rows[far],
                                 metres=f"{POINT_HOUSEHOLD_M:g}", nearest=f"{dist[far].min():.0f}",
                                 crs=str(crs)))
    return hids[near]


def _sheet_by_option(exc: InputError, kind: str) -> InputError:
    """``exc`` with its IO-NOLAYER (a sheet or layer not in the file) said as the ``--seeds`` / ``--meeting-points``
    file's (``kind``): its fix names that option and the sheet read without a name, not the households' --layer
    (:func:`yuanluo.gis.io._layer_by_option`); other problems as they are."""
    from yuanluo.gis.io import LAYER_KINDS, _layer_by_option

    return InputError([_layer_by_option(q, LAYER_KINDS[kind], kind) for q in exc.problems])


def _ids_or_coordinates(exc: InputError) -> InputError:
    """``exc``, COL-MISSING of the household-id column of a ``--seeds`` / ``--meeting-points`` table that has no
    coordinates either, its fix naming both ways: an id column, or the points' coordinates (one 经纬度 column,
    经度 and 纬度, X and Y), each the nearest household."""
    q = exc.problems[0]
    how = {lang: text("load.col.fix_points", lang, fix=q.params["how"][lang]) for lang in LANGS}
    return InputError(replace(q, params={**q.params, "how": how}))


# ------------------------------------------------------------------------------------------ locked units
def delineate_locked(inputs: Inputs, rules: Rules, plan: pd.Series, locked: list[str], *, seed: int = 0,
                     graph: Any = None, max_walk_min: float = 10.0, reach_m: float = 300.0, town: str | None = None,
                     meeting: pd.Series | None = None, head_exact_max_n: int | None = None,
                     progress: Progress | None = None, lang: Lang = "zh") -> Delineation:
    """Keep the ``locked`` units of ``plan`` exactly and delineate the other households under ``rules``
    (:func:`yuanluo.gis.lock.delineate_around`). The layers are those of :func:`delineate` — households
    (``unit_status`` ``locked`` / ``ok`` / ``exception``), units (with ``locked``; a locked unit's heads, walk and
    meeting point computed as the delineator's: :func:`yuanluo.gis.lock.locked_units`; the new units' ``code``
    and ``reason`` in ``lang``), meeting points (a locked unit keeps ``meeting[unit]`` when it is one of its
    households), unit adjacency and hierarchy — plus ``lock_changes`` (``hid, before, after`` of every household
    not locked whose unit changed).

    A locked unit that breaks a rule (:func:`yuanluo.gis.lock.lock_breaches`) is kept, with the code
    ``LOCK-BREACH`` and its breaches as its reason, and the settlements it splits marked ``settlement_split``: the
    result's check takes them as declared. ``notes``: the new units' exceptions and a ``LOCK-BREACH`` warning per
    such locked unit."""
    from yuanluo.gis.cluster import UnitDelineator
    from yuanluo.gis.delineate.reasons import unit_reasons
    from yuanluo.gis.lock import delineate_around, lock_breaches, locked_units

    if graph is None:
        _step(progress, "step.graph")
    g = graph if graph is not None else build_graph(inputs, max_walk_min=max_walk_min)
    _step(progress, "step.fit")
    kw = _head_kw(head_exact_max_n)
    res = delineate_around(inputs.households, g, plan, locked,
                           lambda: UnitDelineator.from_rules(rules, random_state=seed, **kw))
    _step(progress, "step.layers")
    hh = inputs.households
    given = {str(k): str(v) for k, v in meeting.dropna().items()} if meeting is not None else None
    parts = [locked_units(hh, g, res.labels, res.locked, size_by=rules.size_by, meeting=given)]
    status = pd.Series("locked", index=hh.index, dtype=object)
    split, notes = None, []
    if res.model is not None:
        status.loc[res.model.status_.index] = res.model.status_.astype(str)
        new = res.model.units_.copy()
        new["unit_id"] = new["unit_id"].astype(str).map(res.renamed)
        parts.append(new)
        split = _declared_splits(res.model, rules)
        notes = [_renamed(q, res.renamed) for q in res.model.problems_]
    units_tbl = pd.concat([p for p in parts if len(p)], ignore_index=True)
    units_tbl["locked"] = units_tbl["unit_id"].isin(res.locked)
    units_tbl = units_tbl.sort_values("unit_id", kind="stable").reset_index(drop=True)
    units_tbl["persons"] = units_tbl["persons"].astype("Int64")
    # what the locked units break, as the result's own check finds it: said, and declared in the result
    kind = "straight" if graph_basis(inputs) == "straight" else "terrain"
    meet = pd.Series(units_tbl["meeting_hid"].astype(str).to_numpy(), index=units_tbl["unit_id"].astype(str))
    breach = lock_breaches(hh, g, res.labels, res.locked, rules, meeting_points=meet[units_tbl["meeting_hid"].notna()
                                                                                     .to_numpy()],
                           declared=result_declared(inputs), graph_kind=kind)
    for u, params in breach.params.items():
        at = units_tbl["unit_id"] == u
        units_tbl.loc[at, "code"] = "LOCK-BREACH"
        units_tbl.loc[at, "reason_params"] = json.dumps(params, ensure_ascii=False, sort_keys=True)
    units_tbl["reason"] = unit_reasons(units_tbl, lang)
    if breach.split:
        split = (split or set()) | breach.split
    notes += breach.problems
    layers, hh_out, hierarchy = _plan_layers(inputs, g, res.labels, status, units_tbl, rules.join_limit_min, split,
                                             reach_m=reach_m, town=text("cli.town", lang) if town is None else town,
                                             lang=lang)
    layers["lock_changes"] = res.changes
    n_breaking = len(breach.params)
    summary = {"households": len(hh_out), "units": int(len(units_tbl)), "locked_units": len(res.locked),
               "locked_households": int((status == "locked").sum()), "households_changed": int(len(res.changes)),
               "units_passing": int((units_tbl["status"] == "ok").sum()) + len(res.locked) - n_breaking,
               "locked_breaking": n_breaking,
               "exception_units": int((units_tbl["status"] == "exception").sum())}
    return Delineation(model=res.model, graph=g, layers=layers, rules=rules, summary=summary, hierarchy=hierarchy,
                       notes=notes)


def _renamed(q: Problem, renamed: Mapping[str, str]) -> Problem:
    """The finding ``q`` of a sub-problem with its unit ids (``unit``, ``units``; the ids of UNIT-NO-HEAD) as the
    result names them."""
    params = dict(q.params)
    if q.code == "UNIT-NO-HEAD":
        q = replace(q, ids=tuple(sorted(renamed.get(str(u), str(u)) for u in q.ids)))
    if isinstance(params.get("unit"), str):
        params["unit"] = renamed.get(params["unit"], params["unit"])
    if isinstance(params.get("units"), (list, tuple)):
        params["units"] = sorted(renamed.get(str(u), str(u)) for u in params["units"])
    return replace(q, params=params)
