"""``band_edges(limit)`` (``gis.cover`` for the tables, ``maps.coverage`` for the maps: two functions, the maps' the
tables' edges up to the limit) took any limit: -5 gave a band "within -5 min", NaN a map with no band (then a
KeyError), a text a ValueError, True a band of 1 minute. A limit that is not a finite number of minutes, at least 0
(the rule of ``cover_entries``, which keeps a limit of 0), is now ``COVER-LIMIT`` naming the argument, in both and
in what draws with them (``band_colours``, ``band_codes``, ``band_labels``, ``make_cover_map(limit_min=)``)."""

from __future__ import annotations

import pytest

from yuanluo.gis import cover as GC
from yuanluo.gis.errors import InputError
from yuanluo.maps import coverage as MC

BAD = [-5, -0.01, float("nan"), float("inf"), "15", "abc", True, [15]]


def _coded(call, argument: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as ei:
        call()
    [p] = ei.value.problems
    assert p.code == "COVER-LIMIT"
    assert f"“{argument}”" in p.message("zh") and f"{argument} must be a finite number" in p.message("en")


@pytest.mark.parametrize("limit", BAD, ids=repr)
def test_a_bad_limit_is_cover_limit(limit: object) -> None:
    for f in (GC.band_edges, MC.band_edges, MC.band_colours, lambda v: MC.band_labels("zh", v),
              lambda v: MC.band_codes([1.0, 20.0], limit=v)):
        _coded(lambda f=f: f(limit), "limit")


def test_good_limits_keep_their_bands() -> None:
    assert GC.band_edges(0) == (0.0, 5.0, 10.0, 15.0)  # 0 keeps the households standing at a site
    assert MC.band_edges(0) == (0.0,)
    assert GC.band_edges(20) == (5.0, 10.0, 15.0, 20.0) and MC.band_edges(8) == (5.0, 8.0)
    import numpy as np

    assert GC.band_edges(np.float64(12.5)) == (5.0, 10.0, 12.5, 15.0) and MC.band_edges(np.int64(10)) == (5.0, 10.0)
    assert GC.band_edges(None) == GC.BANDS and MC.band_edges(None) == MC.BAND_EDGES


def test_make_cover_map_names_limit_min() -> None:
    import geopandas as gpd
    from shapely.geometry import Point

    hh = gpd.GeoDataFrame({"hid": ["H1"], "walk_min": [3.0], "hub_id": ["P001"]}, geometry=[Point(0, 0)],
                          crs="EPSG:32650")
    hubs = gpd.GeoDataFrame({"hub_id": ["P001"], "site": ["H1"], "level": ["hub"], "n_households": [1]},
                            geometry=[Point(0, 0)], crs="EPSG:32650")
    for bad in (float("nan"), -1, "15"):
        _coded(lambda bad=bad: MC.make_cover_map({"households": hh, "hubs": hubs}, limit_min=bad), "limit_min")
