"""The delineation problem, built once per fit and read by every stage.

A :class:`DelineationProblem` holds what the stages share: the :class:`Settings` (size band, target,
weights, budgets), the contracted graph of location nodes (:class:`NodeGraph`: households at one location
are one node), the per-household mapping back to the input (:class:`HouseholdIndex`), the island joins, and
the one random generator of the fit. Stages take the problem and the current labels (one part id per node)
and return new labels or state; they never take long lists of arrays.

Room for the next rules: a per-node candidate-head flag (``NodeGraph.head``) and locked units
(``NodeGraph.locked``: a unit id per node, -1 where free) are fields of the graph, so a stage that needs
them reads them from there.

Examples
--------
A path of four single-household nodes with one settlement block {0, 1}:

>>> g = NodeGraph.build(np.ones(4, dtype=np.int64), np.array([0, 1, 2]), np.array([1, 2, 3]), np.ones(3),
...                     block=np.array([0, 0, 1, 2]))
>>> g.n, g.same_block.tolist(), g.bsize.tolist()
(4, [True, False, False], [2.0, 1.0, 1.0])
>>> sub = g.restrict(np.array([1, 2, 3]))
>>> sub.u.tolist(), sub.v.tolist(), sub.comp.tolist()
([0, 1], [1, 2], [0, 0, 0])
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from yuanluo.gis.errors import Problem
from yuanluo.gis.settlements import DEFAULT_SETTLEMENT_WALK_MIN

__all__ = ["Settings", "NodeGraph", "HouseholdIndex", "DelineationProblem", "components", "csr", "feasible",
           "EPS"]

EPS = 1e-9
ExactMode = Literal["auto"] | bool


def components(n: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Connected-component label of each of ``n`` nodes joined by the edges ``u``-``v``.

    >>> components(4, np.array([0]), np.array([2])).tolist()
    [0, 1, 0, 2]
    """
    a = sp.coo_matrix((np.ones(len(u)), (u, v)), shape=(n, n)).tocsr()
    return np.asarray(connected_components(a, directed=False)[1], dtype=np.int64)


def csr(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> sp.csr_matrix:
    """Symmetric sparse matrix of walking times (a zero weight stored as a tiny positive one)."""
    w = np.maximum(np.asarray(w, dtype=float), EPS)
    return sp.coo_matrix((np.r_[w, w], (np.r_[u, v], np.r_[v, u])), shape=(n, n)).tocsr()


def feasible(total: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Whether a connected area of each ``total`` size can be cut into parts within ``[lo, hi]``
    (∃k: k·lo ≤ total ≤ k·hi; vectorised :meth:`yuanluo.gis.rules.Rules.feasible_size`).

    >>> feasible(np.array([0, 19, 20, 31, 40]), 20, 30).tolist()
    [False, False, True, False, True]
    """
    t = np.asarray(total, dtype=np.int64)
    k = -(-t // hi)
    return (t > 0) & (k * lo <= t)


@dataclass(frozen=True)
class Settings:
    """The estimator's parameters as the stages read them (validated, band as ``lo``/``hi`` integers)."""

    lo: int
    hi: int
    target: float
    size_weight: float = 0.3
    size_by: str = "households"
    nest_by: tuple[str, ...] = ("village", "group")
    settlement_col: str = "settlement"
    settlement_walk_min: float = DEFAULT_SETTLEMENT_WALK_MIN
    keep_settlements: bool = True
    keep_colocated: bool = True
    join_limit_min: float = 20.0
    require_head: bool = True
    heads_for_size: int | None = None
    max_walk_min: float | None = None
    exact: ExactMode = "auto"
    exact_max_n: int = 60
    exact_time_limit: float | None = None
    exact_node_limit: int = 200
    head_exact_max_n: int = 100
    max_iter: int = 20
    recombine_passes: int = 4

    @property
    def what(self) -> str:
        """``"households"`` or ``"persons"``: what a unit's size counts."""
        return "persons" if self.size_by == "persons" else "households"


@dataclass
class NodeGraph:
    """The contracted graph the stages cut: one node per location, edges ``u < v`` with walking minutes.

    ``w`` is the size of each node (households, or persons), ``block`` its settlement block, ``comp`` its
    connected component (after island joins), ``seed`` whether it holds a seed point. ``head`` (holds a
    candidate head) and ``locked`` (locked unit id, -1 when free) are optional per-node fields for rules
    that need them. ``same_block`` and ``bsize`` are derived.
    """

    w: np.ndarray
    u: np.ndarray
    v: np.ndarray
    walk: np.ndarray
    block: np.ndarray
    comp: np.ndarray
    seed: np.ndarray
    head: np.ndarray | None = None
    locked: np.ndarray | None = None
    same_block: np.ndarray = field(init=False, repr=False)
    bsize: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.same_block = self.block[self.u] == self.block[self.v]
        self.bsize = np.bincount(self.block, weights=self.w)

    @classmethod
    def build(cls, w: np.ndarray, u: np.ndarray, v: np.ndarray, walk: np.ndarray, *,
              block: np.ndarray | None = None, comp: np.ndarray | None = None,
              seed: np.ndarray | None = None) -> NodeGraph:
        """A graph from plain arrays: blocks default to one per node, components are computed, no seeds."""
        n = len(w)
        u, v = np.asarray(u, dtype=np.int64), np.asarray(v, dtype=np.int64)
        return cls(
            w=np.asarray(w, dtype=np.int64), u=u, v=v, walk=np.asarray(walk, dtype=float),
            block=np.arange(n, dtype=np.int64) if block is None else np.asarray(block, dtype=np.int64),
            comp=components(n, u, v) if comp is None else np.asarray(comp, dtype=np.int64),
            seed=np.zeros(n, dtype=bool) if seed is None else np.asarray(seed, dtype=bool),
        )

    @property
    def n(self) -> int:
        return len(self.w)

    def csr(self) -> sp.csr_matrix:
        """Walking-time matrix (:func:`csr`)."""
        return csr(self.n, self.u, self.v, self.walk)

    def restrict(self, nodes: np.ndarray, edges: np.ndarray | None = None) -> NodeGraph:
        """The subgraph induced by ``nodes`` (renumbered 0..k-1 in the given order), one component.

        ``edges`` optionally limits the edges looked at (indices into ``u``/``v``; must hold every edge
        between ``nodes``), which keeps repeated restrictions to one component cheap.
        """
        loc = np.full(self.n, -1, dtype=np.int64)
        loc[nodes] = np.arange(len(nodes))
        eu, ev, ew = (self.u, self.v, self.walk) if edges is None else (
            self.u[edges], self.v[edges], self.walk[edges])
        k = (loc[eu] >= 0) & (loc[ev] >= 0)
        return NodeGraph(w=self.w[nodes], u=loc[eu[k]], v=loc[ev[k]], walk=ew[k], block=self.block[nodes],
                         comp=np.zeros(len(nodes), dtype=np.int64), seed=self.seed[nodes],
                         head=None if self.head is None else self.head[nodes],
                         locked=None if self.locked is None else self.locked[nodes])

    def without_blocks(self) -> NodeGraph:
        """The same graph with settlements no longer kept together (every edge crosses a block)."""
        g = replace(self)
        g.same_block = np.zeros_like(self.same_block)
        return g


@dataclass
class HouseholdIndex:
    """Households in hid order and their mapping to location nodes.

    ``frame`` is the household table in hid order, ``ids`` the hids, ``srt`` the input row of each,
    ``w`` sizes, ``grp`` nest key codes, ``heavy`` whether a household alone exceeds the ceiling,
    ``seed`` whether it is a seed point, ``node_of`` its location node, ``meet_rep`` the household that
    stands for each node as meeting point (first seed point, else first household), ``g2l`` the position
    of every graph node among the households (-1 when not a household).
    """

    frame: pd.DataFrame
    ids: np.ndarray
    srt: np.ndarray
    w: np.ndarray
    grp: np.ndarray
    heavy: np.ndarray
    seed: np.ndarray
    node_of: np.ndarray
    meet_rep: np.ndarray
    g2l: np.ndarray

    @property
    def n(self) -> int:
        return len(self.ids)


@dataclass
class DelineationProblem:
    """Everything the stages share, built once by :func:`yuanluo.gis.delineate.prepare.prepare`.

    ``graph`` is the contracted node graph (islands joined), ``households`` the mapping back to the input,
    ``heavy``/``mult`` per node (alone above the ceiling; households it holds), ``settle`` the settlement
    name per node, ``joins`` the island joins (rows: household positions a, b and walking minutes),
    ``colocated`` the ``colocated_`` table, ``notes`` the problems found while preparing, ``rng`` the
    fit's only random generator (draw order is part of the result).
    """

    settings: Settings
    graph: NodeGraph
    households: HouseholdIndex
    heavy: np.ndarray
    mult: np.ndarray
    settle: np.ndarray
    joins: np.ndarray
    colocated: pd.DataFrame
    notes: list[Problem]
    rng: np.random.Generator
