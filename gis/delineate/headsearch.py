"""An exact search, without a solver, for a split of a small graph into parts within the band each holding a
candidate head.

The same question as :func:`~yuanluo.gis.delineate.rescue.band_partition_milp` with ``heads`` asks HiGHS:
can a connected graph (at most a hundred nodes) be cut into connected parts of weight within ``[lo, hi]``, each
holding a node with a candidate? The search answers it by building one part at a time:

- the part holding the node of what is left farthest from a candidate is grown from that node, one neighbour
  at a time (toward the nearest candidate, then the nearest to the first node in steps, for round parts), each
  neighbour taken or left out for good (so every connected set holding the node is met once);
- what remains once the part is closed falls into connected pieces that are independent questions of the same
  kind, each answered once (memoised on its set of nodes);
- a part's growth stops early where it cannot end well: when what it can still reach weighs less than ``lo`` or
  holds no candidate; when it holds none yet and its lightest way to one is above ``hi``; when a piece of the
  rest is already cut off from it (every one of its nodes next to the part left out) and that piece has no
  split of its own; or when a piece of the rest, even less what the part may still take of it, fits no count
  of parts with a candidate each.

A piece has no split when its weight fits no count of parts (between ⌈W/hi⌉ and ⌊W/lo⌋), when it holds fewer
candidates than its fewest parts, when a node's lightest path to a candidate within it is above ``hi`` (the
reach of :mod:`~yuanluo.gis.delineate.headproof`), or when the search of it finds none. The search is exact: ``"infeasible"`` is
a proof (every connected part holding that node was met or ruled out by one of these reasons), and
``"found"`` gives a split. It is bounded by a count of steps (a part grown by one node, or a node left out),
never by a clock: ``"budget"`` when they run out first, and the same input always gives the same answer.

Examples
--------
Seven households in a row, band 3–5 (the example of :mod:`~yuanluo.gis.delineate.headproof`)::

    0* - 1* - 2 - 3 - 4 - 5 - 6

>>> path = (np.arange(6), np.arange(1, 7))
>>> head_split(np.ones(7), *path, 3, 5, np.array([1, 1, 0, 0, 0, 0, 0]))
('infeasible', None)
>>> status, part = head_split(np.ones(7), *path, 3, 5, np.array([1, 0, 0, 0, 1, 0, 0]))
>>> status, part.tolist()
('found', [0, 0, 0, 0, 4, 4, 4])
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterator

import numpy as np

from yuanluo.gis.delineate.problem import EPS

__all__ = ["head_split", "HEAD_SEARCH_STEPS"]

HEAD_SEARCH_STEPS = 5_000  # steps of one search (a node taken into or left out of a part; about 8 µs each)


def _bits(mask: int) -> Iterator[int]:
    """The nodes of ``mask``, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _byte_masks(per_node: list[int]) -> list[list[int]]:
    """For each byte of a mask of ``len(per_node)`` bits (nodes ``8c``–``8c + 7``), the union of ``per_node``
    over the nodes of each of its 256 values.

    >>> _byte_masks([1, 2, 4])[0][:8]
    [0, 1, 2, 3, 4, 5, 6, 7]
    """
    rows = []
    for c in range(0, len(per_node), 8):
        row = [0] * 256
        for j, x in enumerate(per_node[c: c + 8]):
            bit = 1 << j
            row[bit: 2 * bit] = [y | x for y in row[:bit]]
        rows.append(row)
    return rows


def _byte_sums(per_node: list[float]) -> list[list[float]]:
    """For each byte of a mask of ``len(per_node)`` bits, the sum of ``per_node`` over the nodes of each of
    its 256 values.

    >>> _byte_sums([1.0, 2.0, 4.0])[0][:8]
    [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
    """
    rows = []
    for c in range(0, len(per_node), 8):
        row = [0.0] * 256
        for j, x in enumerate(per_node[c: c + 8]):
            bit = 1 << j
            row[bit: 2 * bit] = [y + x for y in row[:bit]]
        rows.append(row)
    return rows


class _Budget(Exception):
    """The search ran out of steps."""


class _Search:
    """One search: the graph as bit masks (bit ``i`` is node ``i``), the band, the step budget and the pieces
    answered so far (``memo``: piece → the part holding its first node in a split of it, 0 for none)."""

    def __init__(self, w: np.ndarray, su: np.ndarray, sv: np.ndarray, lo: float, hi: float, heads: np.ndarray,
                 steps: int, walk: np.ndarray | None = None) -> None:
        n = len(w)
        self.w = [float(x) for x in np.asarray(w, dtype=float)]
        self.adj = [0] * n
        self.minutes: list[dict[int, float]] | None = None if walk is None else [{} for _ in range(n)]
        for e, (a, b) in enumerate(zip(np.asarray(su).tolist(), np.asarray(sv).tolist(), strict=True)):
            if a != b:
                self.adj[a] |= 1 << b
                self.adj[b] |= 1 << a
                if self.minutes is not None and walk is not None:
                    m = float(walk[e])
                    self.minutes[a][b] = min(self.minutes[a].get(b, m), m)
                    self.minutes[b][a] = min(self.minutes[b].get(a, m), m)
        self.cand = sum(1 << i for i in range(n) if heads[i] > 0)
        self.lo, self.hi = float(lo), float(hi)
        self.steps = steps
        self.memo: dict[int, int] = {}
        # per byte of a mask (8 nodes), for each of its 256 values: the nodes next to them, and their weight
        # where every weight is a whole number (a sum of whole numbers is exact in any order: the same floats
        # as adding node by node); otherwise weights are added node by node
        self.adj8 = _byte_masks(self.adj)
        whole = all(abs(x) < 2.0 ** 40 and x == int(x) for x in self.w)
        self.w8 = _byte_sums(self.w) if whole else None
        self.nonneg = all(x >= 0 for x in self.w)  # a set weighs at least what any of its subsets weighs

    def weight(self, mask: int) -> float:
        """The weight of the nodes of ``mask``."""
        if self.w8 is not None:
            total = 0.0
            for row in self.w8:
                if not mask:
                    break
                total += row[mask & 255]
                mask >>= 8
            return total
        total = 0.0
        while mask:
            low = mask & -mask
            total += self.w[low.bit_length() - 1]
            mask ^= low
        return total

    def around(self, mask: int) -> int:
        """The nodes next to ``mask`` (some of them may be in it)."""
        out = 0
        for row in self.adj8:
            if not mask:
                break
            out |= row[mask & 255]
            mask >>= 8
        return out

    def reach(self, start: int, within: int) -> int:
        """The nodes of ``within`` connected to ``start`` (a subset of ``within``) inside ``within``."""
        seen = start
        edge = start
        rows = self.adj8
        while edge:
            nxt = 0  # self.around(edge), written out: most of the search's time is spent here
            for row in rows:
                if not edge:
                    break
                nxt |= row[edge & 255]
                edge >>= 8
            edge = nxt & within & ~seen
            seen |= edge
        return seen

    def may_close(self, start: int, within: int) -> bool:
        """Whether the nodes of ``within`` connected to ``start`` inside it weigh ``lo`` or more and hold a
        candidate: :meth:`reach` layer by layer, stopped at the first layer where what it has met does (weights
        are not negative, so what it meets later only adds)."""
        seen = edge = start
        rows = self.adj8
        lo = self.lo - EPS
        while True:
            if seen & self.cand and self.weight(seen) >= lo:
                return True
            if not edge:
                return False
            nxt = 0
            for row in rows:
                if not edge:
                    break
                nxt |= row[edge & 255]
                edge >>= 8
            edge = nxt & within & ~seen
            seen |= edge

    def pieces(self, mask: int) -> list[int]:
        """The connected pieces of ``mask``, in the order of their first nodes."""
        out = []
        while mask:
            piece = self.reach(mask & -mask, mask)
            out.append(piece)
            mask &= ~piece
        return out

    def lightest(self, piece: int) -> dict[int, float]:
        """Per node of ``piece``, the weight of the lightest path within it to a candidate (both ends
        counted; no entry where there is none)."""
        best: dict[int, float] = {}
        heap = [(self.w[i], i) for i in _bits(piece & self.cand)]
        heapq.heapify(heap)
        while heap:
            d, i = heapq.heappop(heap)
            if i in best:
                continue
            best[i] = d
            for j in _bits(self.adj[i] & piece):
                if j not in best:
                    heapq.heappush(heap, (d + self.w[j], j))
        return best

    def may_remain(self, r: int, room: float) -> bool:
        """Whether what remains of the piece ``r`` of the rest, once the part takes at most ``room`` of it
        (those it takes hold its candidates at most), may still fit a count of parts with a candidate each."""
        total = self.weight(r)
        least = max(total - room, 0.0)
        kmin = math.ceil(least / self.hi - EPS)
        kmax = math.floor(total / self.lo + EPS) if self.lo > 0 else r.bit_count()
        if kmin > kmax:
            return False
        return (r & self.cand).bit_count() >= kmin

    def steps_from(self, v: int, piece: int) -> dict[int, float]:
        """Per node of ``piece``, its count of steps (edges) from node ``v`` within it; its walking minutes
        from ``v`` within it where the search was given them."""
        if self.minutes is not None:
            best: dict[int, float] = {}
            heap = [(0.0, v)]
            while heap:
                d, i = heapq.heappop(heap)
                if i in best:
                    continue
                best[i] = d
                for j, m in self.minutes[i].items():
                    if piece >> j & 1 and j not in best:
                        heapq.heappush(heap, (d + m, j))
            return best
        hops: dict[int, float] = {v: 0}
        layer = seen = 1 << v
        d = 0
        while layer:
            d += 1
            layer = self.around(layer) & piece & ~seen
            seen |= layer
            hops.update((j, d) for j in _bits(layer))
        return hops

    def tick(self) -> None:
        self.steps -= 1
        if self.steps < 0:
            raise _Budget

    def solve(self, piece: int) -> bool:
        """Whether the connected ``piece`` has a split (memoised)."""
        known = self.memo.get(piece)
        if known is not None:
            return known != 0
        total = self.weight(piece)
        kmin = math.ceil(total / self.hi - EPS)
        kmax = math.floor(total / self.lo + EPS) if self.lo > 0 else piece.bit_count()
        part = 0
        if kmin <= kmax and (piece & self.cand).bit_count() >= max(kmin, 1):
            if self.lo - EPS <= total <= self.hi + EPS:  # one part: the piece itself
                part = piece
            else:
                dist = self.lightest(piece)
                if len(dist) == piece.bit_count() and max(dist.values()) <= self.hi + EPS:
                    v = max(dist, key=lambda i: (dist[i], -i))  # the node farthest from a candidate
                    part = self.grow(piece, 1 << v, 0, self.w[v], dist, self.steps_from(v, piece))
        self.memo[piece] = part
        return part != 0

    def grow(self, piece: int, part: int, out: int, load: float, dist: dict[int, float], hops: dict[int, float]
             ) -> int:
        """A part of a split of ``piece`` holding ``part`` (connected, weight ``load``) and none of ``out``
        (0 when there is none). ``dist``: each node's lightest path to a candidate within the piece; ``hops``:
        its steps (or walking minutes) from the part's first node."""
        rest = self.pieces(piece & ~part)
        near = self.around(part) & piece & ~part
        while True:
            self.tick()
            open_ = near & ~out
            if not open_:  # closed: the part is what it holds
                if load >= self.lo - EPS and part & self.cand and all(self.solve(r) for r in rest):
                    return part
                return 0
            if self.nonneg:
                if not self.may_close(part, piece & ~out):
                    return 0
            else:
                can = self.reach(part, piece & ~out)
                if self.weight(can) < self.lo - EPS or not can & self.cand:
                    return 0
            room = self.hi - load  # what the part may still take
            for r in rest:
                if not r & near & ~out:
                    if not self.solve(r):
                        return 0  # a piece cut off from the part by the nodes left out has no split
                elif not self.may_remain(r, room):
                    return 0
            if part & self.cand:  # the node nearest the first one in steps (round parts), then the lowest
                x = 1 << min(_bits(open_), key=lambda j: (hops[j], j))
            else:  # toward the nearest candidate first
                near_d, i = min((dist[i], i) for i in _bits(open_))
                if load + near_d > self.hi + EPS:
                    return 0
                x = 1 << i
            wx = self.w[x.bit_length() - 1]
            if load + wx <= self.hi + EPS:
                found = self.grow(piece, part | x, out, load + wx, dist, hops)
                if found:
                    return found
            out |= x

    def split(self, n: int) -> np.ndarray:
        """The split found, as the first node of each node's part."""
        lab = np.full(n, -1, dtype=np.int64)
        todo = self.pieces((1 << n) - 1)
        while todo:
            piece = todo.pop()
            part = self.memo[piece]
            nodes = [i for i in range(n) if part >> i & 1]
            lab[nodes] = nodes[0]
            todo += self.pieces(piece & ~part)
        return lab


def head_split(w: np.ndarray, su: np.ndarray, sv: np.ndarray, lo: float, hi: float, heads: np.ndarray,
               steps: int = HEAD_SEARCH_STEPS, walk: np.ndarray | None = None) -> tuple[str, np.ndarray | None]:
    """Split the graph (``len(w)`` nodes of weight ``w``, edges ``su``-``sv``) into connected parts of weight
    within ``[lo, hi]``, each holding a node with ``heads > 0``, by the exact search of this module.

    Returns ``("found", part)`` (``part``: the first node of each node's part), ``("infeasible", None)`` when
    it is proven that no such split exists, or ``("budget", None)`` when ``steps`` ran out first.

    >>> head_split(np.ones(4), np.arange(3), np.arange(1, 4), 2, 2, np.array([1, 0, 0, 1]))[1].tolist()
    [0, 0, 2, 2]
    >>> head_split(np.ones(4), np.arange(3), np.arange(1, 4), 2, 2, np.array([1, 1, 0, 0]))
    ('infeasible', None)
    >>> head_split(np.ones(30), np.arange(29), np.arange(1, 30), 2, 2, np.ones(30), steps=5)
    ('budget', None)
    """
    n = len(w)
    if n == 0:
        return "found", np.zeros(0, dtype=np.int64)
    search = _Search(w, su, sv, lo, hi, heads, steps, walk)
    try:
        ok = all(search.solve(p) for p in search.pieces((1 << n) - 1))
    except (_Budget, RecursionError):
        return "budget", None
    return ("found", search.split(n)) if ok else ("infeasible", None)
