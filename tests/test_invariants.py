"""Tests of yuanluo.gis.invariants.verify_delineation: each broken rule is caught."""

from __future__ import annotations

import pandas as pd
import pytest

from yuanluo.gis.errors import InvariantError
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.invariants import verify_delineation
from yuanluo.gis.rules import Rules

# a - b - c - d - e - f   (chain)
IDS = ["a", "b", "c", "d", "e", "f"]
G = TerrainGraph.from_edges(IDS, [[i * 50.0, 0] for i in range(6)], [(i, i + 1) for i in range(5)], crs="EPSG:4545")
HH = pd.DataFrame({"group": ["g1"] * 3 + ["g2"] * 3, "persons": [1, 2, 3, 1, 1, 1]}, index=pd.Index(IDS, name="hid"))
OK = pd.Series("ok", index=HH.index)


def lab(s: str) -> pd.Series:
    return pd.Series(list(s), index=HH.index)


def test_valid_plan_passes():
    verify_delineation(HH, G, lab("AAABBB"), OK, Rules(3, 3), ("group",))
    verify_delineation(HH, G, lab("AAABBB"), OK, (3, 6, "persons"), ("group",))


@pytest.mark.parametrize(
    ("labels", "bounds", "what"),
    [
        ("AABBBB", (3, 3), "outside the size band"),
        ("ABAABB", (1, 6), "not connected"),
        ("AAAABB", (2, 4), "straddling column 'group'"),
    ],
)
def test_violations_caught(labels, bounds, what):
    with pytest.raises(InvariantError) as e:
        verify_delineation(HH, G, lab(labels), OK, bounds, ("group",))
    assert what in str(e.value)
    assert e.value.code == "INVARIANT" and e.value.exit_code == 3


def test_persons_band():
    with pytest.raises(InvariantError, match="size band"):
        verify_delineation(HH, G, lab("AAABBB"), OK, (4, 6, "persons"), ("group",))


def test_missing_and_extra_households():
    with pytest.raises(InvariantError, match="no label"):
        verify_delineation(HH, G, lab("AAABBB").iloc[:5], OK, (1, 6))
    bad = lab("AAABBB")
    bad.iloc[2] = None
    with pytest.raises(InvariantError, match="without a unit id"):
        verify_delineation(HH, G, bad, OK, (1, 6))


def test_exception_units_may_be_out_of_band_but_not_mixed():
    st = pd.Series(["exception"] * 2 + ["ok"] * 4, index=HH.index)
    verify_delineation(HH, G, lab("AABBBB"), st, (4, 4), ())
    with pytest.raises(InvariantError, match="mixing"):
        verify_delineation(HH, G, lab("AAABBB"), st, (1, 6), ())


def test_extra_edges_count_for_contiguity():
    g = TerrainGraph.from_edges(IDS, G.xy, [(0, 1), (1, 2), (3, 4), (4, 5)], crs="EPSG:4545")
    with pytest.raises(InvariantError, match="not connected"):
        verify_delineation(HH, g, lab("AAAAAA"), OK, (1, 6), ())
    verify_delineation(HH, g, lab("AAAAAA"), OK, (1, 6), (), extra_edges=[("c", "d")])
