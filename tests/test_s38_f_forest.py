"""The spanning forests the tree DPs cut are drawn from one sparse layout per graph (``_EdgeIndex``, shared by
the forests of one region) and a breadth-first pass written out; they must be exactly scipy's: the same tree
edges (Kruskal's ties go by the matrix's entry order), the same order, parents and tree edges, the same
no-predecessor mark for a node the pass does not reach. The reference below is the code the stages used before
(scipy's matrix, minimum spanning tree and ``breadth_first_order`` from a super root)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order, minimum_spanning_tree

from yuanluo.gis.delineate.construct import _EdgeIndex, spanning_forest
from yuanluo.gis.delineate.problem import components, csr


def _scipy_forest(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, same_block: np.ndarray, comp: np.ndarray,
                  extra: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    tw = np.where(same_block, w * 1e-3, w) + 1e-6
    if extra is not None:
        tw = tw + extra
    mst = minimum_spanning_tree(csr(n, u, v, tw)).tocoo()
    r, c = np.minimum(mst.row, mst.col), np.maximum(mst.row, mst.col)
    roots = np.unique(comp, return_index=True)[1]
    aug = sp.coo_matrix((np.ones(len(r) + len(roots)), (np.r_[r, np.full(len(roots), n)], np.r_[c, roots])),
                        shape=(n + 1, n + 1)).tocsr()
    order, pred = breadth_first_order(aug, n, directed=False, return_predecessors=True)
    parent = np.asarray(pred[:n], dtype=np.int64)
    parent[parent == n] = -1
    key = np.minimum(u, v) * (n + 1) + np.maximum(u, v)
    sorter = np.argsort(key, kind="stable")
    has = parent >= 0
    pk = np.minimum(np.arange(n), parent) * (n + 1) + np.maximum(np.arange(n), parent)
    eidx = np.full(n, -1, dtype=np.int64)
    eidx[has] = sorter[np.searchsorted(key, pk[has], sorter=sorter)]
    return np.asarray(order[1:], dtype=np.int64), parent, eidx


def _graph(rng: np.random.Generator, it: int) -> tuple[int, np.ndarray, np.ndarray]:
    n = int(rng.integers(1, 60))
    u, v = rng.integers(0, n, 2 * n), rng.integers(0, n, 2 * n)
    if it % 4 == 3:  # edges repeated, loops, either direction: scipy adds the entries up
        return n, u.astype(np.int64), v.astype(np.int64)
    k = u != v
    e = np.unique(np.c_[np.minimum(u, v), np.maximum(u, v)][k], axis=0).reshape(-1, 2)
    e = e[rng.permutation(len(e))] if it % 4 == 1 else e
    e = e[:, ::-1] if it % 4 == 2 else e
    return n, e[:, 0].astype(np.int64), e[:, 1].astype(np.int64)


@pytest.mark.parametrize("seed", [0, 1])
def test_forests_from_the_shared_layout_are_scipys(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for it in range(400):
        n, u, v = _graph(rng, it)
        w = rng.integers(1, 4, len(u)).astype(float) if it % 2 else rng.uniform(0.1, 3.0, len(u))  # ties, or none
        same = rng.random(len(u)) < 0.3
        # a component label per node: the graph's (relabelled), or labels that are not its components at all
        comp = components(n, u, v)
        comp = rng.integers(0, 3, n) if it % 3 == 0 else comp.max() - comp if it % 3 == 1 else comp
        extra = np.where(rng.random(len(u)) < 0.2, 1e4, 0.0) if it % 7 == 0 else None
        want = _scipy_forest(n, u, v, w, same, comp, extra)
        for got in (spanning_forest(n, u, v, w, same, comp, extra),
                    spanning_forest(n, u, v, w, same, comp, extra, edges=_EdgeIndex.build(n, u, v))):
            for a, b in zip(want, got, strict=True):
                assert np.array_equal(a, b), (seed, it)


def test_the_layout_leaves_repeated_edges_and_loops_to_scipy() -> None:
    """scipy's matrix adds repeated entries up (a loop, or an edge given twice, weighs double): no layout."""
    assert _EdgeIndex.build(3, np.array([0, 1]), np.array([1, 1])) is None
    assert _EdgeIndex.build(3, np.array([0, 1]), np.array([1, 0])) is None
    assert _EdgeIndex.build(3, np.array([0, 1]), np.array([1, 2])) is not None
