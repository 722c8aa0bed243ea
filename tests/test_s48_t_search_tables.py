"""The exact head search (:mod:`~yuanluo.gis.delineate.headsearch`) reads the neighbours and the weight of a
set of nodes a byte (8 nodes) at a time from tables built once per search, instead of node by node, and asks
whether a growing part may still close (what it can reach weighs ``lo`` and holds a candidate) layer by layer,
stopping at the first layer that does, instead of reaching everything first. The tables hold what the
node-by-node loops give, and a search with both takes the very same steps (the same memo, the same steps left,
the same split) as one with the loops and the full reach, on random graphs up to a hundred nodes; with weights
that are not whole numbers it adds them node by node as before."""

from __future__ import annotations

import numpy as np

from yuanluo.gis.delineate.headsearch import _Budget, _byte_masks, _byte_sums, _Search
from yuanluo.gis.delineate.problem import EPS


class _NodeByNode(_Search):
    """The search with the node-by-node loops it had before the tables (session 47)."""

    def weight(self, mask: int) -> float:
        total = 0.0
        while mask:
            low = mask & -mask
            total += self.w[low.bit_length() - 1]
            mask ^= low
        return total

    def around(self, mask: int) -> int:
        out = 0
        while mask:
            low = mask & -mask
            out |= self.adj[low.bit_length() - 1]
            mask ^= low
        return out

    def reach(self, start: int, within: int) -> int:
        seen = edge = start
        while edge:
            edge = self.around(edge) & within & ~seen
            seen |= edge
        return seen

    def may_close(self, start: int, within: int) -> bool:
        can = self.reach(start, within)
        return not (self.weight(can) < self.lo - EPS or not can & self.cand)


def _case(rng: np.random.Generator, n: int, whole: bool = True):
    edges = {(int(rng.integers(max(0, i - 5), i)), i) for i in range(1, n)}
    for _ in range(int(rng.integers(0, n // 2 + 1))):
        x, y = sorted(rng.choice(n, 2, replace=False).tolist())
        edges.add((x, y))
    su, sv = (np.array(x, dtype=np.int64) for x in zip(*sorted(edges), strict=True))
    w = rng.integers(1, 4, size=n).astype(float)
    if not whole:
        w = w + rng.choice([0.0, 0.25, 0.1], size=n)
    lo = int(rng.integers(2, 8))
    hi = lo + int(rng.integers(0, 8))
    heads = (rng.random(n) < rng.uniform(0.2, 0.7)).astype(np.int64)
    return w, su, sv, lo, hi, heads


def _run(cls: type[_Search], case, steps: int):
    w = case[0]
    s = cls(*case, steps)
    n = len(w)
    try:
        ok = all(s.solve(p) for p in s.pieces((1 << n) - 1))
        out = ("found", s.split(n).tolist()) if ok else ("infeasible", None)
    except (_Budget, RecursionError):
        out = ("budget", None)
    return out, s.steps, s.memo


def test_tables_hold_what_the_loops_give() -> None:
    rng = np.random.default_rng(48)
    for n in (1, 7, 8, 9, 16, 33, 70, 101):
        adj = [int(x) for x in rng.integers(0, 2 ** 62, size=n)]
        w = [float(x) for x in rng.integers(0, 40, size=n)]
        masks, sums = _byte_masks(adj), _byte_sums(w)
        assert len(masks) == len(sums) == (n + 7) // 8
        ref = _NodeByNode(np.asarray(w), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), 1, 2,
                          np.ones(n), 10)
        ref.adj = adj
        fast = _Search(np.asarray(w), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), 1, 2, np.ones(n), 10)
        fast.adj8 = masks
        for _ in range(200):
            mask = int(rng.integers(0, 2 ** min(n, 62))) | (int(rng.integers(0, 2)) << (n - 1))
            assert fast.around(mask) == ref.around(mask)
            assert fast.weight(mask) == ref.weight(mask)


def test_the_same_steps_as_node_by_node() -> None:
    """Random graphs of 10-100 nodes: the same answer, memo and steps left, within and beyond the budget."""
    rng = np.random.default_rng(4)
    seen = {"found": 0, "infeasible": 0, "budget": 0}
    for i in range(120):
        case = _case(rng, int(rng.integers(10, 101)), whole=i % 5 != 0)
        steps = int(rng.choice([60, 600, 5000]))
        fast, ref = _run(_Search, case, steps), _run(_NodeByNode, case, steps)
        assert fast == ref, case
        seen[fast[0][0]] += 1
    assert min(seen.values()) >= 5, seen


def test_weights_not_whole_are_added_node_by_node() -> None:
    w = np.array([0.1, 0.2, 0.3])
    s = _Search(w, np.array([0, 1]), np.array([1, 2]), 0.5, 1.0, np.ones(3), 10)
    assert s.w8 is None and s.weight(0b111) == (0.1 + 0.2) + 0.3
    assert _Search(np.array([1, 2, 3]), np.array([0, 1]), np.array([1, 2]), 1, 3, np.ones(3), 10).w8 is not None


def test_may_close_is_what_the_full_reach_says() -> None:
    rng = np.random.default_rng(9)
    for _ in range(40):
        case = _case(rng, int(rng.integers(5, 90)), whole=bool(rng.integers(0, 2)))
        n = len(case[0])
        fast, ref = _Search(*case, 10), _NodeByNode(*case, 10)
        for _ in range(30):
            within = int(rng.integers(0, 2 ** min(n, 62))) | (1 << int(rng.integers(0, n)))
            start = within & -within
            assert fast.may_close(start, within) == ref.may_close(start, within)
    # a negative weight (never seen: households and persons) and the part asks the full reach
    assert not _Search(np.array([3.0, -1.0]), np.array([0]), np.array([1]), 1, 3, np.ones(2), 10).nonneg
