"""Synthetic delineation layers for demonstrations, tests and benchmarks of the maps.

Households sit on a jittered grid; units are square blocks of the grid; territories are the Voronoi
cells of the households dissolved by unit. The result follows the output contract (``households``,
``units``, ``meeting_points``, ``unit_adjacency``, ``run``) so maps can be built before (and
independently of) the delineation engine.

Examples
--------
>>> layers = sample_layers(100, block=5, seed=1)
>>> len(layers["households"]), len(layers["units"]), layers["households"].index.name
(100, 4, 'hid')
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from yuanluo.gis.units import touching_pairs


def sample_layers(
    n_households: int,
    *,
    block: int = 5,
    spacing: float = 40.0,
    seed: int = 0,
    crs: str = "EPSG:32648",
    origin: tuple[float, float] = (600_000.0, 3_300_000.0),
    exceptions: int = 1,
    min_size: int = 20,
    max_size: int = 50,
) -> dict[str, Any]:
    """Layers of a plausible delineation of ``n_households`` households.

    Parameters
    ----------
    n_households : int
        Number of households (filled row by row on a near-square grid).
    block : int
        Units are ``block`` x ``block`` cells of the grid (about ``block**2`` households).
    spacing : float
        Grid spacing in metres; points are jittered by up to a third of it.
    seed : int
        Seed of the jitter (same seed, same layers).
    crs : str
        Projected CRS of the output (default UTM 48N, which covers Chongqing).
    origin : (float, float)
        Lower-left corner of the grid in ``crs``.
    exceptions : int
        How many units (the last ones by id) are marked ``status="exception"``, and how many
        households are left unassigned.
    """
    hh, grid = _grid_households(n_households, block, spacing, seed, crs, origin, exceptions)
    terr = _territories(grid["xy"], hh.geometry.values, spacing, grid["unit"], hh["unit_id"].notna().to_numpy())
    units, meeting = _units_and_meeting_points(hh, grid, terr, crs)
    pairs = sorted(touching_pairs(units))
    mxy = dict(zip(meeting["unit_id"], shapely.get_coordinates(meeting.geometry.values).tolist(), strict=True))
    adjacency = gpd.GeoDataFrame(
        {"unit_a": [a for a, _ in pairs], "unit_b": [b for _, b in pairs], "n_edges": 1},
        geometry=[shapely.linestrings([mxy[a], mxy[b]]) for a, b in pairs],
        crs=crs,
    )
    run = pd.DataFrame({"key": ["tool", "seed", "min_size", "max_size"],
                        "value": ["yuanluo.maps.sample", str(seed), str(min_size), str(max_size)]})
    return {"households": hh, "units": units, "meeting_points": meeting, "unit_adjacency": adjacency,
            "run": run}


def _grid_households(
    n: int, block: int, spacing: float, seed: int, crs: str, origin: tuple[float, float], exceptions: int,
) -> tuple[gpd.GeoDataFrame, dict[str, Any]]:
    """Households on a jittered grid, units of ``block`` x ``block`` cells, the last ``exceptions`` units
    marked ``exception`` and the last ``exceptions`` households unassigned; also the grid arrays (``xy``,
    ``unit`` per household, ``hid``, ``exc_units``)."""
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n)))
    k = np.arange(n)
    row, col = k // side, k % side
    xy = np.column_stack([origin[0] + col * spacing, origin[1] + row * spacing])
    xy = xy + rng.uniform(-spacing / 3, spacing / 3, size=xy.shape)
    nbx = -(-side // block)
    unit_no = (row // block) * nbx + (col // block)
    width = max(3, len(str(int(unit_no.max()) + 1)))
    unit = np.char.add("U", np.char.zfill((unit_no + 1).astype(str), width))
    hid = np.char.zfill((k + 1).astype(str), max(6, len(str(n))))
    status = np.full(n, "ok", dtype=object)
    uniq = np.unique(unit)
    exc_units = uniq[-exceptions:] if exceptions else uniq[:0]
    status[np.isin(unit, exc_units)] = "exception"
    unit_col = pd.array(unit.astype(str), dtype="string")
    if exceptions:
        unit_col[-exceptions:] = pd.NA
        status[-exceptions:] = "unassigned"
    households = gpd.GeoDataFrame(
        {
            "persons": pd.array(rng.integers(1, 6, n), dtype="Int64"),
            "group": pd.array(np.char.add("G", ((row // (block * 4)) + 1).astype(str)), dtype="string"),
            "head_candidate": (k % 17) == 0,
            "户主姓名": pd.array(np.char.add("张", (k % 97).astype(str)), dtype="string"),
            "unit_id": unit_col,
            "unit_status": pd.array(status.astype(str), dtype="string"),
        },
        geometry=shapely.points(xy),
        crs=crs,
        index=pd.Index(hid.astype(str), name="hid", dtype="string"),
    )
    return households, {"xy": xy, "unit": unit, "hid": hid, "exc_units": exc_units}


def _territories(xy: np.ndarray, pts: Any, spacing: float, unit: np.ndarray, assigned: np.ndarray) -> dict[str, Any]:
    """Voronoi cells of the households clipped to the padded hull, dissolved per unit (coverage union), with
    the assigned households sorted by unit (``sort``) and each unit's first position and size in that order."""
    env = shapely.box(*(xy.min(0) - spacing), *(xy.max(0) + spacing))
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=env))
    cell_of = shapely.STRtree(cells).query(pts, predicate="within")
    order = np.empty(len(xy), dtype=np.int64)
    order[cell_of[0]] = cell_of[1]
    cell_geom = shapely.intersection(cells[order], env)
    ua = unit[assigned]
    sort = np.argsort(ua, kind="stable")
    ua_sorted = ua[sort]
    starts = np.r_[0, np.flatnonzero(ua_sorted[1:] != ua_sorted[:-1]) + 1]
    groups = np.split(cell_geom[assigned][sort], starts[1:])
    return {"ids": ua_sorted[starts], "polys": [shapely.coverage_union_all(g) for g in groups], "sort": sort,
            "starts": starts, "n_in": np.diff(np.r_[starts, len(ua_sorted)]), "assigned": assigned}


def _units_and_meeting_points(
    hh: gpd.GeoDataFrame, grid: dict[str, Any], terr: dict[str, Any], crs: str,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The units table (sizes, status, walking times to the meeting point) and the meeting points: in each
    unit, the household closest to the territory's centroid."""
    ids, polys, sort, starts, n_in, assigned = (terr[k] for k in ("ids", "polys", "sort", "starts", "n_in",
                                                                  "assigned"))
    persons = hh["persons"].to_numpy()[assigned][sort]
    p_sum = np.add.reduceat(persons.astype(np.int64), starts)
    hx, hy = grid["xy"][assigned][sort].T
    cen = shapely.centroid(np.asarray(polys, dtype=object))
    d = (hx - np.repeat(shapely.get_x(cen), n_in)) ** 2 + (hy - np.repeat(shapely.get_y(cen), n_in)) ** 2
    best = np.array([starts[i] + int(np.argmin(d[starts[i]: starts[i] + n_in[i]])) for i in range(len(ids))])
    meet_hid = grid["hid"][assigned][sort][best]
    walk = np.sqrt(d) / (4000.0 / 60.0)
    u_status = np.where(np.isin(ids, grid["exc_units"]), "exception", "ok")
    units = gpd.GeoDataFrame(
        {
            "unit_id": ids.astype(str),
            "n_households": n_in,
            "persons": p_sum,
            "status": u_status,
            "reason": np.where(u_status == "exception", "below the size band, no reachable neighbour", ""),
            "village": "V1",
            "group": "G1",
            "meeting_hid": meet_hid.astype(str),
            "mean_walk_min": np.add.reduceat(walk, starts) / n_in,
            "max_walk_min": np.maximum.reduceat(walk, starts),
            "has_head": True,
        },
        geometry=polys,
        crs=crs,
    )
    meeting = gpd.GeoDataFrame(
        {"unit_id": ids.astype(str), "hid": meet_hid.astype(str)},
        geometry=shapely.points(np.column_stack([hx[best], hy[best]])),
        crs=crs,
    )
    return units, meeting
