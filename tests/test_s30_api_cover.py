"""Audit Q §5 (session 30): the public functions of :mod:`yuanluo.gis.cover` check their arguments on entry and
answer a bad one with a coded error in the chosen language, naming the bad value and a fix (a non-integer ``p``, an
unknown fixed site, a negative or NaN walking limit, no graph), never a bare TypeError, ValueError or
AttributeError from numpy or scipy, nor an empty answer for a NaN limit."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from shared_fixtures import coded, line_network

from yuanluo.gis.cover import (
    cover_entries,
    coverage_table,
    hubs_by_group,
    max_cover,
    one_median,
    p_median,
    service_network,
    set_cover,
    subset,
    walk_to_nearest,
)
from yuanluo.gis.errors import InputError
from yuanluo.gis.graph import TerrainGraph


@pytest.fixture(scope="module")
def net() -> Any:
    return line_network()


@pytest.fixture(scope="module")
def entries(net: Any) -> Any:
    return cover_entries(net, 10.0)


def test_p_must_be_a_whole_number(entries: Any) -> None:
    coded(lambda: p_median(entries, 2.5), "COVER-P", "2.5")
    coded(lambda: max_cover(entries, 2.5), "COVER-P", "2.5")
    coded(lambda: p_median(entries, "2"), "COVER-P", "'2'")
    coded(lambda: p_median(entries, float("nan")), "COVER-P", "nan")
    # a whole number, however typed, is fine
    assert len(p_median(entries, np.int64(2)).chosen) == 2
    assert len(p_median(entries, 2.0).chosen) == 2


def test_fixed_sites_must_be_candidate_positions(entries: Any) -> None:
    coded(lambda: p_median(entries, 3, fixed=["NOPE"]), "COVER-SITE-INDEX", "'NOPE'", "fixed")
    coded(lambda: p_median(entries, 3, fixed=[0, 6]), "COVER-SITE-INDEX", "6", "fixed")
    coded(lambda: p_median(entries, 3, fixed=[-1]), "COVER-SITE-INDEX", "-1")
    coded(lambda: max_cover(entries, 3, fixed=[1.5]), "COVER-SITE-INDEX", "1.5")
    coded(lambda: set_cover(entries, fixed=["h0"]), "COVER-SITE-INDEX", "'h0'")
    coded(lambda: one_median(entries, candidates=[9]), "COVER-SITE-INDEX", "9", "candidates")
    assert p_median(entries, 2, fixed=[0]).chosen[0] == 0


def test_site_positions_of_the_network(net: Any) -> None:
    coded(lambda: walk_to_nearest(net, [0, 99]), "COVER-SITE-INDEX", "99", "open_sites")
    coded(lambda: cover_entries(net, 5.0, sites=["a"]), "COVER-SITE-INDEX", "'a'", "sites")


@pytest.mark.parametrize("limit", [-5, float("nan"), float("inf"), "15", None])
def test_walking_limit_must_be_a_finite_number(net: Any, limit: Any) -> None:
    coded(lambda: cover_entries(net, limit), "COVER-LIMIT", repr(limit), "limit_min")


def test_nan_limit_is_not_an_empty_answer(net: Any) -> None:
    with pytest.raises(InputError):
        cover_entries(net, float("nan"))
    assert len(cover_entries(net, 1.0).hh) == 16  # a number: each household, its neighbours 0.9 min away


def test_service_network_needs_the_graph() -> None:
    coded(lambda: service_network(None), "COVER-TYPE", "None", "TerrainGraph", "build_graph")
    g = TerrainGraph.from_edges(["a", "b"], [[0, 0], [60, 0]], [(0, 1)], crs="EPSG:4545")
    coded(lambda: service_network(g, max_snap_m=float("nan")), "COVER-LIMIT", "nan", "max_snap_m")
    coded(lambda: service_network(g, join_limit=-1), "COVER-LIMIT", "-1", "join_limit")


def test_network_and_entries_must_be_what_they_say(net: Any, entries: Any) -> None:
    coded(lambda: cover_entries(None, 5.0), "COVER-TYPE", "None", "ServiceNetwork")
    coded(lambda: walk_to_nearest(entries, [0]), "COVER-TYPE", "CoverEntries", "ServiceNetwork")
    coded(lambda: p_median(net, 2), "COVER-TYPE", "ServiceNetwork", "cover_entries")
    coded(lambda: one_median(None), "COVER-TYPE", "None", "CoverEntries")
    coded(lambda: set_cover([1, 2]), "COVER-TYPE", "list")
    coded(lambda: hubs_by_group(None, ["A"] * 6), "COVER-TYPE", "None")


def test_one_value_per_household(entries: Any) -> None:
    coded(lambda: hubs_by_group(entries, ["A", "A", "B"]), "COVER-LENGTH", "groups", "6", "3")
    coded(lambda: subset(entries, [0, 8]), "COVER-HH-INDEX", "households", "8")
    coded(lambda: subset(entries, [True, False]), "COVER-LENGTH", "households", "6", "2")
    coded(lambda: coverage_table([1.0, 2.0], ["A"]), "COVER-LENGTH", "groups", "2", "1")
    coded(lambda: hubs_by_group(entries, ["A"] * 6, 1.5), "COVER-P", "1.5")


def test_messages_follow_the_language(entries: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YUANLUO_LANG", "en")
    with pytest.raises(InputError) as err:
        p_median(entries, 3, fixed=["NOPE"])
    assert "fixed" in str(err.value) and "'NOPE'" in str(err.value) and "site_ids" in str(err.value)
    monkeypatch.setenv("YUANLUO_LANG", "zh")
    with pytest.raises(InputError) as err:
        p_median(entries, 3, fixed=["NOPE"])
    assert "候选点" in str(err.value)


def test_site_coordinates_must_be_finite_pairs() -> None:
    g = TerrainGraph.from_edges(["a", "b"], [[0, 0], [60, 0]], [(0, 1)], crs="EPSG:4545")
    coded(lambda: service_network(g, [[0, 0], [float("nan"), 5]]), "COVER-SITE-XY", "site_xy[1]", "nan")
    coded(lambda: service_network(g, [1, 2, 3]), "COVER-SITE-XY", "[1, 2, 3]")
    coded(lambda: service_network(g, [["a", "b"]]), "COVER-SITE-XY", "'a'")
    assert service_network(g, [[0, 0], [60, 1]]).reachable.tolist() == [True, True]
    assert service_network(g, np.zeros((0, 2))).k == 0
    assert service_network(g, [60, 1]).k == 1  # one site as a pair
