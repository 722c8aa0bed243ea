"""Synthetic street plans with islands, and the fewest moves that repair them, found by brute force.

The smallest plans on which :func:`yuanluo.gis.repair.repair_plan` can be compared with the true fewest moves:
households 60 m apart along a street (units ``U1``, ``U2`` … of the given sizes, in order), then each island's
households 20 km further on each (no walk reaches them: the check excuses each island, below the floor, as one
exception unit), in EPSG:4545; a plan types some households into other units, or into none. Every plan that passes
(band ``lo``–``hi``, no other rule) cuts the street into runs within the band and holds each island whole in one
unit, so the fewest moves is the least, over those cuts, of the households left out when the plan's names are
matched to the runs and islands to keep the most in place (:func:`fewest_moves`).

Shared by the tests of repair and by ``bench/bench_repair.py --streets`` (which measures against the same plans).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

#: a slip: the household's position (street first, then the islands) and the unit typed for it (None: no unit)
Slip = tuple[int, str | None]


def street_households(n_street: int, isles: Sequence[int], ids: Sequence[str] | None = None) -> gpd.GeoDataFrame:
    """``n_street`` households 60 m apart in a row (every other one 15 m off the line), then each island's
    households 20 km further on each, 60 m apart; index ``hid``: ``ids`` in that order, else ``H001``, ``H002`` …

    >>> street_households(3, [1]).index.tolist()
    ['H001', 'H002', 'H003', 'H004']
    """
    xs = [500000 + 60 * (k + 1) for k in range(n_street)]
    for i, m in enumerate(isles):
        xs += [500000 + 20000 * (i + 1) + 60 * k for k in range(m)]
    ys = [3265000 + (15 if (k + 1) % 2 else 0) for k in range(len(xs))]
    hid = list(ids) if ids is not None else [f"H{k + 1:03d}" for k in range(len(xs))]
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, ys), index=pd.Index(hid, name="hid"), crs="EPSG:4545")


def street_plan(sizes: Sequence[int], isles: Sequence[int], slips: Sequence[Slip]) -> list[str | None]:
    """Street units ``U1``, ``U2`` … of ``sizes``, island units ``I1``, ``I2`` … of ``isles``; each slip (position,
    unit or None for no unit) typed over.

    >>> street_plan([2, 2], [1], [(1, "U2"), (4, None)])
    ['U1', 'U2', 'U2', 'U2', None]
    """
    lab: list[str | None] = [f"U{i + 1}" for i, s in enumerate(sizes) for _ in range(s)]
    lab += [f"I{i + 1}" for i, m in enumerate(isles) for _ in range(m)]
    for p, u in slips:
        lab[p] = u
    return lab


def street_plans(seed: int, count: int, most: int) -> list[tuple[list[int], list[int], list[Slip]]]:
    """``count`` random plans: 2–3 street units of 4–6 households, 2–3 islands of 1–3, and 1 to ``most`` slips of
    different households, each into a unit at random or (15 %) into none; as (unit sizes, island sizes, slips)."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        sizes = [int(x) for x in rng.integers(4, 7, rng.integers(2, 4))]
        isles = [int(x) for x in rng.integers(1, 4, rng.integers(2, 4))]
        names = [f"U{i + 1}" for i in range(len(sizes))] + [f"I{i + 1}" for i in range(len(isles))]
        pos = rng.choice(sum(sizes) + sum(isles), int(rng.integers(1, most + 1)), replace=False)
        out.append((sizes, isles, [(int(p), None if rng.random() < 0.15 else str(rng.choice(names))) for p in pos]))
    return out


def _runs(rem: int, lo: int, hi: int) -> Iterator[list[int]]:
    """Every cut of ``rem`` households in a row into runs of ``lo``–``hi``."""
    if rem == 0:
        yield []
        return
    for s in range(lo, min(hi, rem) + 1):
        for rest in _runs(rem - s, lo, hi):
            yield [s, *rest]


def fewest_moves(labels: Sequence[str | None], n_street: int, isles: Sequence[int], lo: int = 4, hi: int = 6) -> int:
    """The fewest households whose unit changes in any plan that passes: the street (the first ``n_street`` of
    ``labels``) cut into runs of ``lo``–``hi`` (one run when it is shorter than ``lo``), each island whole, the names
    of ``labels`` matched to runs and islands to keep the most in place (a household in no unit always moves).

    >>> fewest_moves(["U1", "U1", "U1", "U1", "U2", "U1", "U2", "U2", "U2"], 9, [], 4, 5)
    1
    >>> fewest_moves(street_plan([4, 4], [2], [(8, "U1")]), 8, [2])  # the island household back to I1
    1
    """
    names = sorted({x for x in labels if x is not None})
    ends = np.cumsum([n_street, *isles])
    whole = [(int(a), int(b)) for a, b in zip(ends[:-1], ends[1:], strict=True)]
    best = len(labels)
    for cut in _runs(n_street, lo, hi) if n_street >= lo else iter([[n_street]]):
        at = np.cumsum([0, *cut])
        groups = [(int(a), int(b)) for a, b in zip(at[:-1], at[1:], strict=True)] + whole
        w = np.array([[sum(x == nm for x in labels[a:b]) for nm in names] + [0] * len(groups) for a, b in groups])
        r, c = linear_sum_assignment(-w)
        best = min(best, len(labels) - int(w[r, c].sum()))
    return best
