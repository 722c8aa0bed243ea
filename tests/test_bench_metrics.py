"""Hand-checkable tests of the benchmark metrics (bench/metrics.py).

Sketches use ``-`` for a graph edge (with its walking minutes where it matters), ``~`` for a
candidate edge the graph cut for a river, ``=`` for one cut for length.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yuanluo.gis.errors import InputError
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.rules import Rules

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import metrics as bm  # noqa: E402

CRS = "EPSG:32631"


def line_graph(ids: str, edges: list[tuple[int, int]], walk: list[float] | None = None) -> TerrainGraph:
    xy = [[100.0 * i, 0.0] for i in range(len(ids))]
    return TerrainGraph.from_edges(list(ids), xy, edges, crs=CRS, walk_min=walk)


def with_cut(g: TerrainGraph, rows: list[tuple[int, int, str]]) -> TerrainGraph:
    g.cut = pd.DataFrame(
        {
            "u": [r[0] for r in rows],
            "v": [r[1] for r in rows],
            "length_m": [100.0] * len(rows),
            "walk_min": [1.2] * len(rows),
            "reason": [r[2] for r in rows],
        }
    )
    return g


def labels(ids: str, units: str) -> pd.Series:
    """labels("abcd", "1212") -> a:U1, b:U2, c:U1, d:U2; '.' = unassigned."""
    return pd.Series([None if c == "." else f"U{c}" for c in units], index=pd.Index(list(ids), name="hid"))


# ----------------------------------------------------------------------------- broken units
def test_interleaved_units_on_a_path_are_both_broken() -> None:
    # a - b - c - d ; units {a, c} and {b, d}
    g = line_graph("abcd", [(0, 1), (1, 2), (2, 3)])
    m = bm.evaluate(labels("abcd", "1212"), g, Rules(1, 5))
    assert m["n_broken"] == 2
    assert m["n_units"] == 2


def test_contiguous_units_are_not_broken() -> None:
    # a - b - c - d ; units {a, b} and {c, d}
    g = line_graph("abcd", [(0, 1), (1, 2), (2, 3)])
    assert bm.evaluate(labels("abcd", "1122"), g, Rules(1, 5))["n_broken"] == 0


def test_unit_connected_only_through_another_unit_is_broken() -> None:
    #     b
    #    / \
    #   a   c     unit 1 = {a, c}: joined only through b (unit 2)
    g = line_graph("abc", [(0, 1), (1, 2)])
    pieces = bm.unit_pieces(bm.unit_codes(labels("abc", "121"), g)[0], g)
    assert pieces.tolist() == [2, 1]


# ----------------------------------------------------------------------------- river crossings
def test_unit_joined_only_across_a_river_is_counted() -> None:
    # a - b ~ c - d ; one unit of all four -> broken and one river join
    g = with_cut(line_graph("abcd", [(0, 1), (2, 3)]), [(1, 2, "river")])
    m = bm.evaluate(labels("abcd", "1111"), g, Rules(1, 5))
    assert m["n_broken"] == 1
    assert m["n_river_units"] == 1
    assert m["n_river_joins"] == 1


def test_unit_with_a_bridge_does_not_count_as_crossing() -> None:
    # a - b ~ c - d  plus a bridge a - d: the unit is walkable without crossing where there is no bridge
    g = with_cut(line_graph("abcd", [(0, 1), (2, 3), (0, 3)]), [(1, 2, "river")])
    m = bm.evaluate(labels("abcd", "1111"), g, Rules(1, 5))
    assert (m["n_broken"], m["n_river_units"]) == (0, 0)


def test_length_cut_is_broken_but_not_a_river_crossing() -> None:
    # a - b = c - d ; the gap is only long, not a river
    g = with_cut(line_graph("abcd", [(0, 1), (2, 3)]), [(1, 2, "length")])
    m = bm.evaluate(labels("abcd", "1111"), g, Rules(1, 5))
    assert (m["n_broken"], m["n_river_units"]) == (1, 0)


def test_river_between_two_units_is_not_a_crossing() -> None:
    # a - b ~ c - d ; units {a, b} and {c, d} respect the river
    g = with_cut(line_graph("abcd", [(0, 1), (2, 3)]), [(1, 2, "river"), (0, 3, "water")])
    m = bm.evaluate(labels("abcd", "1122"), g, Rules(1, 5))
    assert (m["n_broken"], m["n_river_units"], m["n_river_joins"]) == (0, 0, 0)


def test_long_join_and_scattered_units_are_told_apart() -> None:
    # a - b = c - d     e - f     g ; unit 1 = {a, b, c, d} is joined by a length cut (a long walk)
    g = with_cut(line_graph("abcdefg", [(0, 1), (2, 3), (4, 5)]), [(1, 2, "length")])
    m = bm.evaluate(labels("abcdefg", "1111223"), g, Rules(1, 5))
    # unit 1: broken, long-joined, not scattered; unit 2 {e, f}: fine; unit 3 {g}: fine
    assert (m["n_broken"], m["n_long_units"], m["n_scattered"], m["n_river_units"]) == (1, 1, 0, 0)
    m = bm.evaluate(labels("abcdefg", "1111232"), g, Rules(1, 5))
    # unit 2 = {e, g}: no edge of any kind between them -> scattered
    assert (m["n_broken"], m["n_long_units"], m["n_scattered"]) == (2, 1, 1)


def test_broken_unit_walks_over_a_long_link_but_not_across_a_river() -> None:
    # a -1- b =5= c (length cut, 5 min)     b ~ c would be a river in the second case
    g = with_cut(line_graph("abc", [(0, 1)], walk=[1.0]), [(1, 2, "length")])
    g.cut["walk_min"] = [5.0]
    walk, med = bm.walk_to_medoid(np.zeros(3, dtype=int), g)
    assert med.tolist() == [1] and walk.tolist() == [1.0, 0.0, 5.0]
    g.cut["reason"] = ["river"]
    m = bm.evaluate(labels("abc", "111"), g, Rules(1, 5))
    assert (m["n_unreachable"], m["mean_walk_min"], m["n_river_units"]) == (1, 0.5, 1)


def test_three_pieces_across_river_and_water_count_two_joins() -> None:
    # a ~ b ≈ c (river, then water), one unit: two joins
    g = with_cut(line_graph("abc", []), [(0, 1, "river"), (1, 2, "water")])
    assert bm.barrier_joins(np.zeros(3, dtype=int), g).tolist() == [2]
    assert bm.barrier_joins(np.zeros(3, dtype=int), g, reasons=("river",)).tolist() == [1]


# ----------------------------------------------------------------------------- walking to the medoid
def test_walk_to_medoid_on_a_three_node_path() -> None:
    # a -1- b -2- c : sums a=4, b=3, c=5 -> medoid b; walks 1, 0, 2
    g = line_graph("abc", [(0, 1), (1, 2)], walk=[1.0, 2.0])
    walk, med = bm.walk_to_medoid(np.zeros(3, dtype=int), g)
    assert med.tolist() == [1]
    assert walk.tolist() == [1.0, 0.0, 2.0]
    m = bm.evaluate(labels("abc", "111"), g, Rules(1, 5))
    assert (m["mean_walk_min"], m["max_walk_min"], m["n_unreachable"]) == (1.0, 2.0, 0)


def test_walk_stays_inside_a_contiguous_unit() -> None:
    # a -1- b -1- c and a shortcut a -0.5- d -0.5- c through another unit:
    # unit {a, b, c} must walk a-b-c (2 min to c from a), not via d.
    g = line_graph("abcd", [(0, 1), (1, 2), (0, 3), (2, 3)], walk=[1.0, 1.0, 0.5, 0.5])
    walk, med = bm.walk_to_medoid(bm.unit_codes(labels("abcd", "1112"), g)[0], g)
    assert med.tolist() == [1, 3]
    assert walk.tolist() == [1.0, 0.0, 1.0, 0.0]


def test_broken_unit_walks_over_the_whole_graph() -> None:
    # a -1- b -2- c ; unit {a, c} is broken: a to c is 3 minutes through b. Tie 3 = 3 -> lowest node a.
    g = line_graph("abc", [(0, 1), (1, 2)], walk=[1.0, 2.0])
    walk, med = bm.walk_to_medoid(bm.unit_codes(labels("abc", "121"), g)[0], g)
    assert med.tolist() == [0, 1]
    assert walk.tolist() == [0.0, 0.0, 3.0]


def test_unreachable_households_are_reported_separately() -> None:
    # a -1- b    c (no edge): unit {a, b, c}; c cannot reach the medoid
    g = line_graph("abc", [(0, 1)], walk=[1.0])
    m = bm.evaluate(labels("abc", "111"), g, Rules(1, 5))
    assert m["n_unreachable"] == 1
    assert m["mean_walk_min"] == 0.5
    assert m["n_broken"] == 1


# ----------------------------------------------------------------------------- sizes and ids
def test_in_bounds_share_counts_unassigned_households_as_out() -> None:
    # sizes: U1 = 3 (ok in 2-3), U2 = 1 (under), e unassigned -> 3 of 5 in bounds
    g = line_graph("abcde", [(0, 1), (1, 2), (2, 3), (3, 4)])
    m = bm.evaluate(labels("abcde", "1112."), g, Rules(2, 3))
    assert m["pct_in_bounds"] == 60.0
    assert (m["n_under"], m["n_over"], m["n_unassigned"]) == (1, 0, 1)


def test_size_by_persons_sums_the_persons_column() -> None:
    g = line_graph("abc", [(0, 1), (1, 2)])
    hh = pd.DataFrame({"persons": pd.array([4, 5, 1], dtype="Int64")}, index=pd.Index(list("abc"), name="hid"))
    m = bm.evaluate(labels("abc", "112"), g, Rules(5, 10, size_by="persons"), households=hh)
    assert (m["size_min"], m["size_max"], m["pct_in_bounds"]) == (1.0, 9.0, round(200 / 3, 2))


def test_labels_with_unknown_or_duplicated_ids_are_refused() -> None:
    g = line_graph("ab", [(0, 1)])
    with pytest.raises(InputError) as e:
        bm.evaluate(pd.Series(["U1", "U1", "U2"], index=["a", "a", "zz"]), g, Rules(1, 2))
    assert e.value.codes == ["BENCH-LABELS", "BENCH-LABELS"]
    assert "zz" in e.value.render("en")


# ----------------------------------------------------------------------------- invariants
@settings(deadline=None, max_examples=30)
@given(
    n=st.integers(2, 25),
    data=st.data(),
)
def test_metrics_do_not_depend_on_unit_names(n: int, data: st.DataObject) -> None:
    rng = np.random.default_rng(data.draw(st.integers(0, 10_000)))
    xy = rng.random((n, 2)) * 500
    e = np.array([(i, j) for i in range(n) for j in range(i + 1, n) if rng.random() < 0.25]).reshape(-1, 2)
    g = TerrainGraph.from_edges([f"h{i:02d}" for i in range(n)], xy, e, crs=CRS)
    k = data.draw(st.integers(1, n))
    lab = pd.Series([f"U{x}" for x in rng.integers(0, k, n)], index=g.ids)
    renamed = lab.map({f"U{i}": f"Z{k - i:03d}" for i in range(k)})
    shuffled = renamed.iloc[rng.permutation(n)]
    a = bm.evaluate(lab, g, Rules(2, 6))
    b = bm.evaluate(shuffled, g, Rules(2, 6))
    assert a == b
    # every assigned household is in exactly one unit; a unit has at least one piece
    codes, _ = bm.unit_codes(lab, g)
    assert (bm.unit_pieces(codes, g) >= 1).all()
    # a plan whose units are the graph's components is never broken
    comp = pd.Series([f"C{c}" for c in g.components()], index=g.ids)
    assert bm.evaluate(comp, g, Rules(1, n))["n_broken"] == 0
