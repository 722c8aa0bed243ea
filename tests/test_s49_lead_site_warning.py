"""Session 49 (lead's review of helper N's 391a101): service_network says a site no one can walk to as a warning of
its own category, SiteLeftOutWarning (a UserWarning), so that the command line, which says the same sites by the
option that gave them, silences that category only and no other warning of the walking network."""

from __future__ import annotations

import warnings

import pytest

from yuanluo.gis.cover import SiteLeftOutWarning, service_network
from yuanluo.gis.graph import TerrainGraph


def test_a_far_site_is_a_site_left_out_warning() -> None:
    xy = [[500_000.0 + 60 * i, 3_380_000.0] for i in range(5)]
    g = TerrainGraph.from_edges([f"h{i}" for i in range(5)], xy, [(i, i + 1) for i in range(4)], crs="EPSG:4545")
    assert issubclass(SiteLeftOutWarning, UserWarning)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", SiteLeftOutWarning)  # what the command line silences, and only that
        net = service_network(g, [[500_100.0, 3_380_010.0], [104.06, 30.66]])
    assert net.reachable.tolist() == [True, False]
    with pytest.warns(SiteLeftOutWarning, match="COVER-SITE-FAR"):
        service_network(g, [[104.06, 30.66]])
