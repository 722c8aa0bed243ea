"""Stage support: the walking limit (``max_walk_min``) from a household to its unit's meeting point.

Walking time is measured as :func:`yuanluo.gis.check.check_plan` measures it: the shortest directed walk
(``walk_uv`` / ``walk_vu`` of the household graph) from the household to its unit's meeting household along
edges inside the unit, an edge pruned only for length within the join limit (an island join) counting both ways
(:func:`yuanluo.gis.graph.unit_toward`); a household with no such path is beyond any limit. An
``ok`` unit with a household beyond the limit becomes an exception, ``WALK-LIMIT``, with the number of
households beyond it and the farthest walk, so that no household of an ``ok`` unit is ever beyond it.

The search chooses a unit's meeting point by its own symmetric minutes on the node graph; a unit with a
household beyond the limit from it first takes another of its households as meeting point where one keeps every
member within the limit, measured as above (:func:`reseat_meetings`), so that a unit is an exception only when
no household of it would do.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse.csgraph import dijkstra

from yuanluo.gis.delineate.improve import Units
from yuanluo.gis.delineate.problem import DelineationProblem
from yuanluo.gis.graph import TerrainGraph, unit_toward
from yuanluo.gis.keys import nest_columns

__all__ = ["beyond_minutes", "household_walk", "household_walk_min", "reseat_meetings", "walk_exceptions"]


def beyond_minutes(worst: float, limit: float) -> str:
    """The farthest walk beyond ``limit``, as said: one decimal, or as many more (up to six) as it takes to read
    as beyond the limit (2.0004 under 2 reads "2.0004", not "2.0"); rounded as JavaScript's ``toFixed`` rounds
    (half up on the exact value), so that the editor says the same; "∞" for no path.

    >>> beyond_minutes(16.25, 15), beyond_minutes(2.0004, 2), beyond_minutes(2.0000000004, 2), beyond_minutes(np.inf, 2)
    ('16.3', '2.0004', '2.000001', '∞')
    """
    import math
    from decimal import ROUND_HALF_UP, Decimal

    if not math.isfinite(worst):
        return "∞"
    exact = Decimal(float(worst))
    for d in range(1, 7):
        s = str(exact.quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP))
        if float(s) > limit:
            return s
    return f"{math.ceil(worst * 1e6) / 1e6:.6f}"


def _toward(p: DelineationProblem, graph: TerrainGraph, units: Units) -> tuple[np.ndarray, Any]:
    """Each household's node of the household graph (hid order) and the walks inside units read toward a node."""
    hix = p.households
    gpos = np.empty(hix.n, dtype=np.int64)
    have = hix.g2l >= 0
    gpos[hix.g2l[have]] = np.flatnonzero(have)
    node_unit = np.full(graph.n, -1, dtype=np.int64)
    node_unit[gpos] = units.lab[hix.node_of]
    return gpos, unit_toward(graph, node_unit, p.settings.join_limit_min)


def household_walk(p: DelineationProblem, graph: TerrainGraph, units: Units) -> np.ndarray:
    """Walking minutes of every household (hid order) to its unit's meeting household inside the unit."""
    hix = p.households
    gpos, a_t = _toward(p, graph, units)
    src = [int(gpos[hix.meet_rep[units.meet[k]]]) for k in sorted(units.meet)]
    if not src:
        return np.zeros(hix.n)
    dist = dijkstra(a_t, directed=True, indices=np.asarray(src), min_only=True)
    return np.asarray(dist)[gpos]


def reseat_meetings(p: DelineationProblem, graph: TerrainGraph, units: Units, limit: float) -> list[int]:
    """Units with a household beyond ``limit`` minutes from their meeting point take, where one exists, another
    household of theirs from which every member is within it (the one walking least in all; among the unit's
    seed points when it holds any); returns the units whose meeting point moved.

    The search chooses meeting points by its own minutes (symmetric, on the node graph); the limit is kept on
    each household's walk to the meeting point as ``check`` measures it (uphill and downhill apart, island joins).
    """
    hix = p.households
    walk = household_walk(p, graph, units)
    lab_h = units.lab[hix.node_of]
    far = ~(walk <= limit + 1e-9)
    todo = np.unique(lab_h[far]).tolist()
    if not todo:
        return []
    gpos, a_t = _toward(p, graph, units)
    moved = []
    for k in todo:
        members = np.flatnonzero(lab_h == k)
        seeded = members[hix.seed[members]]
        cand = seeded if len(seeded) else members
        cand = cand[hix.meet_rep[hix.node_of[cand]] == cand]  # a location's household stands for it
        to = np.asarray(dijkstra(a_t, directed=True, indices=gpos[cand]))[:, gpos[members]]  # member → candidate
        fits = np.flatnonzero((to <= limit + 1e-9).all(axis=1))
        if not len(fits):
            continue
        best = int(cand[fits[np.argmin(to[fits].sum(axis=1))]])
        node = int(hix.node_of[best])
        if node != units.meet[k]:
            units.seat(k, node)
            moved.append(int(k))
    return moved


def _remote(p: DelineationProblem, graph: TerrainGraph, which: np.ndarray, limit: float) -> np.ndarray:
    """Whether each household ``which`` (positions in hid order) is proven remote as ``check`` proves it
    (:func:`yuanluo.gis.check.walk_unavoidable`, under the delineation's rules): no unit of the band holding it can
    keep every member within ``limit`` minutes of its meeting point."""
    from yuanluo.gis.check import walk_unavoidable  # (check imports this module)
    from yuanluo.gis.rules import Rules

    s, hix = p.settings, p.households
    if not len(which):
        return np.zeros(0, dtype=bool)
    gpos = np.empty(hix.n, dtype=np.int64)
    have = hix.g2l >= 0
    gpos[hix.g2l[have]] = np.flatnonzero(have)
    frame = hix.frame
    persons = (pd.to_numeric(frame["persons"], errors="coerce").fillna(0).to_numpy(dtype=float)
               if "persons" in frame.columns else np.full(hix.n, np.nan))
    rules = Rules(int(s.lo), int(s.hi), size_by="persons" if s.size_by == "persons" else "households",
                  nest_by=tuple(s.nest_by), max_walk_min=float(limit),
                  join_limit_min=float(s.join_limit_min))
    return walk_unavoidable(frame, rules, graph, gpos, persons, np.asarray(which, dtype=np.int64))


def _beyond_ids(ids: np.ndarray, sel: np.ndarray) -> list[str]:
    """The ids of the households ``sel`` (a mask in hid order), sorted as ``check`` lists them: the households a
    reason says lie beyond the walking limit (its first few named, as check's WALK-EXCEPTION names them)."""
    return sorted(str(h) for h in np.asarray(ids)[sel])


def walk_exceptions(p: DelineationProblem, graph: TerrainGraph, units: Units, part_ok: np.ndarray,
                    limit: float | None, also: dict[int, dict[str, Any]] | None = None
                    ) -> dict[int, tuple[str, dict[str, Any]]]:
    """The ``ok`` units with a household beyond ``limit`` minutes (after :func:`reseat_meetings`), made
    exceptions (``part_ok`` cleared for their nodes): unit → (``"WALK-LIMIT"``, reason parameters). Units already exceptions for another reason
    with a household beyond the limit go into ``also`` (unit → ``walk_*`` parameters, said after their own
    reason). Each says whether it is proven that no unit of the band keeps those households within the limit, as
    ``check`` proves it (:func:`_remote`): ``proof`` of a WALK-LIMIT unit, ``walk_proof`` of another exception,
    ``remote`` or ``unproven`` (a remote proof where households nest in groups, walked within one group: also
    ``by_group`` / ``walk_by_group`` True); and which households they are, ``hids`` / ``walk_hids`` (sorted ids)."""
    also = {} if also is None else also
    if limit is None or not len(units.nodes):
        return {}
    reseat_meetings(p, graph, units, limit)
    hix = p.households
    walk = household_walk(p, graph, units)
    lab_h = units.lab[hix.node_of]
    ok_h = part_ok[hix.node_of]
    out: dict[int, tuple[str, dict[str, Any]]] = {}
    far = ~(walk <= limit + 1e-9)
    # whether it is proven that no unit keeps them within the limit, as check proves it (WALK-EXCEPTION): said
    # of a WALK-LIMIT unit and of an exception for another reason beyond the limit too, from the same proof
    remote = np.zeros(hix.n, dtype=bool)
    remote[far] = _remote(p, graph, np.flatnonzero(far), float(limit))
    # the proof walked within each nest group: its sentence says "of its group" (…_remote_group)
    grouped = bool(nest_columns(hix.frame, tuple(p.settings.nest_by)))
    for k in np.unique(lab_h[far & ~ok_h]).tolist():  # exceptions already: the walk said beside their reason
        sel = far & ~ok_h & (lab_h == k)
        worst = float(walk[sel].max())
        also[int(k)] = {"walk_beyond": int(sel.sum()), "walk_limit": float(limit),
                        "walk_worst": beyond_minutes(worst, float(limit)),
                        "walk_meeting": str(hix.ids[hix.meet_rep[units.meet[int(k)]]]),
                        "walk_proof": "remote" if bool(remote[sel].all()) else "unproven",
                        "walk_hids": _beyond_ids(hix.ids, sel)}
        if grouped and bool(remote[sel].all()):
            also[int(k)]["walk_by_group"] = True
    beyond = ok_h & far
    for k in np.unique(lab_h[beyond]).tolist():
        sel = beyond & (lab_h == k)
        worst = float(walk[sel].max())
        out[int(k)] = ("WALK-LIMIT", {
            "why": "walk_limit", "limit": float(limit), "beyond": int(sel.sum()),
            "worst": beyond_minutes(worst, float(limit)),
            "meeting": str(hix.ids[hix.meet_rep[units.meet[int(k)]]]),
            "proof": "remote" if bool(remote[sel].all()) else "unproven",
            "hids": _beyond_ids(hix.ids, sel),
            **({"by_group": True} if grouped and bool(remote[sel].all()) else {}),
        })
        part_ok[units.nodes[int(k)]] = False
    return out


def household_walk_min(graph: TerrainGraph, labels: pd.Series, meeting_hid: pd.Series,
                       join_limit: float | None = None) -> pd.Series:
    """Each household's walking minutes to its unit's meeting household (index ``hid``; NaN when it has no
    unit, no meeting point or no path): the shortest directed walk household → meeting point along graph
    edges inside the unit, with the edges pruned only for length within ``join_limit`` (island joins), as
    :func:`household_walk` and :func:`yuanluo.gis.check.check_plan` measure it. One Dijkstra from all meeting
    points on the reversed graph. The households layer and the units table of a delineation (mean and
    farthest walk, the suggested head) both take their minutes from here."""
    ids = pd.Index(graph.ids)
    lab = labels.astype("string").reindex(ids).to_numpy(dtype=object, na_value=None)
    unit_code, _ = pd.factorize(pd.Series(lab, dtype=object), sort=True)
    a_t = unit_toward(graph, np.asarray(unit_code, dtype=np.int64), join_limit)
    src = ids.get_indexer(meeting_hid.astype(str).to_numpy())
    src = src[src >= 0]
    out = np.full(len(ids), np.nan)
    if len(src):
        dist = np.asarray(dijkstra(a_t, directed=True, indices=np.unique(src), min_only=True))
        out = np.where(np.isfinite(dist) & (unit_code >= 0), dist, np.nan)
    return pd.Series(out, index=ids.rename("hid"), name="meeting_walk_min")
