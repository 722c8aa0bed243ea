"""Session 31, task GB: the last arguments of :mod:`yuanluo.gis.cover` that met a bare Python error or a wrong
answer — ``cover_entries``'s ``chunk`` (0 raised ValueError from ``range``, a negative one found no household at
all, a float or None raised TypeError) and ``coverage_table``'s ``bands`` (none raised IndexError, a negative or NaN
band made a ``within_nan`` column, unsorted bands gave the share of the last one given, not the widest) — and
``cover_entries`` with a limit of 0, which found no household, not even one standing at a site (it walks 0
minutes, within a limit of 0, as ``yuanluo cover`` counts a household served at a walk up to its limit)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from shared_fixtures import coded, line_network

from yuanluo.gis.cover import cover_entries, coverage_table, service_network, set_cover, walk_to_nearest
from yuanluo.gis.graph import TerrainGraph


@pytest.fixture(scope="module")
def net() -> Any:
    return line_network()


@pytest.mark.parametrize(("chunk", "shown"), [(0, "0"), (-1, "-1"), (2.5, "2.5"), (None, "None"), ("8", "'8'"),
                                              (float("nan"), "nan"), (True, "True")])
def test_chunk_must_be_a_whole_number_of_at_least_one(net: Any, chunk: Any, shown: str) -> None:
    coded(lambda: cover_entries(net, 5.0, chunk=chunk), "COVER-CHUNK", "chunk", shown, "64")


def test_any_whole_chunk_gives_the_same_entries(net: Any) -> None:
    """A whole number, however typed, is a chunk; the entries do not depend on it."""
    base = cover_entries(net, 2.0)
    for chunk in (1, 2.0, np.int64(5), 1000):
        e = cover_entries(net, 2.0, chunk=chunk)
        assert e.hh.tolist() == base.hh.tolist() and e.site.tolist() == base.site.tolist()
        assert np.allclose(e.minutes, base.minutes)


@pytest.mark.parametrize(("bands", "shown"), [((), "()"), ([], "[]"), ((-1.0, 5.0), "-1.0"),
                                              ((5.0, float("nan")), "nan"), ((5.0, float("inf")), "inf"),
                                              (("5",), "'5'"), ("5,10", "'5,10'"), (None, "None")])
def test_bands_must_be_minutes(bands: Any, shown: str) -> None:
    coded(lambda: coverage_table([1.0, 7.0], ["A", "A"], bands=bands), "COVER-BANDS", "bands", shown,
           "band_edges")


def test_unsorted_bands_are_sorted_and_the_share_is_the_widest() -> None:
    t = coverage_table([1.0, 7.0, 20.0], ["A", "A", "A"], bands=(10.0, 5.0, 10))
    assert t.columns.tolist() == ["group", "total", "households", "within_5", "within_10", "unreachable",
                                  "share_10"]
    assert t.iloc[-1][["within_5", "within_10", "share_10"]].tolist() == [1, 2, round(2 / 3, 4)]
    one = coverage_table([1.0, 7.0], ["A", "A"], bands=np.float64(5))  # one number, one band
    assert one.iloc[-1]["share_5"] == 0.5


def test_a_limit_of_zero_keeps_the_households_at_a_site(net: Any) -> None:
    """Every household is a candidate: at limit 0 each is within 0 minutes of its own site, and of no other (0.9
    minutes away); the same households ``walk_to_nearest`` gives 0 minutes. Set cover at 0 opens every site."""
    e = cover_entries(net, 0)
    assert list(zip(e.hh.tolist(), e.site.tolist(), strict=True)) == [(i, i) for i in range(6)]
    assert e.minutes.tolist() == [0.0] * 6 and e.limit_min == 0.0
    minutes, site = walk_to_nearest(net, [2])
    assert minutes[2] == 0.0 and site[2] == 2
    assert cover_entries(net, 0.0, sites=[2]).hh.tolist() == [2]
    assert set_cover(e).chosen.tolist() == list(range(6))


def test_a_site_off_the_houses_covers_no_one_at_limit_zero() -> None:
    """A site 30 m from the nearest household walks 0.45 minutes to it: not within 0, within 0.45 or more."""
    g = TerrainGraph.from_edges(["a", "b"], [[0, 0], [60, 0]], [(0, 1)], crs="EPSG:4545")
    net = service_network(g, site_xy=[[30.0, 0.0], [0.0, 0.0]])
    e = cover_entries(net, 0.0)
    assert list(zip(e.hh.tolist(), e.site.tolist(), strict=True)) == [(0, 1)]
    assert (0, 0) in set(zip(cover_entries(net, 0.5).hh.tolist(), cover_entries(net, 0.5).site.tolist(),
                             strict=True))


def test_a_positive_limit_keeps_the_walks_up_to_it(net: Any) -> None:
    """No entry beyond the limit, every one within it (the walk past the limit to catch 0-minute walks is cut)."""
    minutes, _ = walk_to_nearest(net, [0])
    for limit in (0.5, 1.0, 2.0, 4.0):
        e = cover_entries(net, limit, sites=[0])
        assert (e.minutes <= limit).all()
        assert sorted(e.hh.tolist()) == np.flatnonzero(minutes <= limit).tolist()
