"""Stage: rescue of parts the repair left below the floor (re-cut regions, then an exact MILP).

Around each failed part (in order of its first node) a region of whole parts grows ring by ring over part
adjacency (the part and its neighbours, then theirs, … up to the whole component, at most
``RESCUE_MAX_N`` nodes). Each region whose size fits the band is cut anew, feasibility first, stopping at
the first cut with every part within the band:

(a) the tree DP along spanning trees of the region — the walking-time tree, then ``RESCUE_TREES`` trees
    of jittered and then of random edge weights — settlements kept as subtrees;
(b) the same with settlements no longer kept together (a settlement is a preference, the band a hard
    rule; the settlements split this way are reported as ``SETTLEMENT-SPLIT``);
(c) for regions of at most ``RESCUE_MILP_N`` nodes, an exact feasibility MILP with contiguity
    (:func:`band_partition_milp`, node-limited; with the candidate-head rule first with a candidate head in
    every part, then for the band alone). When the region is the whole component and the MILP
    proves that no contiguous split exists, the part is *proven* unsplittable.

The exact search is bounded by work, never by time (the same input gives the same units): HiGHS's node
limit does not bound its root node, whose cutting rounds grow fast with the model — with a narrow band a
198-node region ran for more than 10 minutes before its first node, a 32-node one 20 s to prove that no
split exists. So regions of at most ``RESCUE_MILP_N`` nodes only, and at most ``RESCUE_MILP_WORK`` nodes
searched in one rescue (a region's nodes for each search of it); a part left without a search is an exception
unit not proven unsplittable (``RULE-NOSPLIT``).

The tree cuts are bounded by work too: at most ``RESCUE_CUT_WORK`` region nodes cut along spanning trees in
one rescue (a region's nodes for each tree), and at most ``RESCUE_PART_WORK`` of them for one failed part.
Without these a narrow band with many failed parts re-cut regions of up to ``RESCUE_MAX_N`` nodes
34 times each, ring after ring, part after part: a 600-household village (band 30–32 persons) spent
274 of its 303 s there, 3.1 million region nodes cut for 27 short parts, of which the two it rescued took 108
and 495 and each of the others 76,000 to 145,000 in vain. A region the budget no longer covers keeps its cut
and gets no new tree (its exact search, when it has one, still runs within its own budget); a part left so is
an exception unit not proven unsplittable (``RULE-NOSPLIT``, "not found within the search budget").

Examples
--------
A star (centre 0, leaves 1–3) cannot be cut into parts of 2, which the MILP proves; a path can::

      1            0 - 1 - 2 - 3
      |
  2 - 0 - 3

>>> from yuanluo.gis.delineate.problem import NodeGraph, Settings
>>> s = Settings(lo=2, hi=2, target=2.0)
>>> star = NodeGraph.build(np.ones(4), np.zeros(3), np.arange(1, 4), np.ones(3))
>>> out = rescue(star, s, np.array([0, 0, 2, 3]), [2], np.random.default_rng(0))
>>> out.failed, out.proven
([2], [2])
>>> path = NodeGraph.build(np.ones(4), np.arange(3), np.arange(1, 4), np.ones(3))
>>> out = rescue(path, s, np.array([0, 1, 1, 3]), [0], np.random.default_rng(0))
>>> np.unique(out.labels, return_counts=True)[1].tolist(), out.failed
([2, 2], [])
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd
import scipy.sparse as sp

from yuanluo.gis.delineate.construct import construct, heads_on
from yuanluo.gis.delineate.headproof import GROWN_STARTS, grown_split, no_head_split
from yuanluo.gis.delineate.headsearch import head_split
from yuanluo.gis.delineate.problem import EPS, NodeGraph, Settings, components, feasible
from yuanluo.gis.exact import highs_milp, quiet_native_stdout

__all__ = ["rescue", "Rescued", "band_partition_milp"]

RESCUE_TREES = 16  # spanning trees per region and settlement mode
RESCUE_MAX_N = 600  # regions grow up to this many nodes
RESCUE_MILP_N = 40  # exact feasibility MILP for regions of at most this many nodes
RESCUE_MILP_NODES = 2000  # its branch-and-bound node limit
RESCUE_MILP_WORK = 200  # at most this many nodes searched in one rescue (a region's for each search of it)
RESCUE_CUT_WORK = 300_000  # at most this many region nodes cut along trees in one rescue (a region's per tree)
RESCUE_PART_WORK = 10_000  # and at most this many for one failed part (the rescues seen took at most 1,430)
GROWN_FIRST = 1_000  # steps of the grown proof from each candidate first, before GROWN_STARTS of them get more
GROWN_MORE = 10_000  # the steps of those GROWN_STARTS then


_T = TypeVar("_T")


def _interruptible(solve: Callable[[], _T]) -> _T:
    """``solve()`` run in a worker thread while this one waits in short slices, so that Ctrl-C or SIGTERM
    stops the run at once: HiGHS holds the calling thread in native code for as long as it searches (a
    signal handler runs only between Python instructions; seen: 4 minutes after SIGTERM). On an interrupt
    the search is abandoned (a daemon thread: it keeps nobody from exiting) and the exception goes on.

    >>> _interruptible(lambda: 6 * 7)
    42
    >>> _interruptible(lambda: 1 // 0)
    Traceback (most recent call last):
    ...
    ZeroDivisionError: integer division or modulo by zero
    """
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["value"] = solve()
        except BaseException as exc:  # handed to the waiting thread
            box["error"] = exc

    worker = threading.Thread(target=work, name="yuanluo-milp", daemon=True)
    with quiet_native_stdout():  # held by this thread: on an interrupt, standard output is back at once
        worker.start()
        while worker.is_alive():
            worker.join(0.1)  # returns as soon as the search ends; a signal's handler runs in between
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


@dataclass
class Rescued:
    """What the rescue returns: new ``labels``, the parts still ``failed``, those of them ``proven``
    unsplittable, and the settlement blocks ``split_blocks`` it had to split."""

    labels: np.ndarray
    failed: list[int]
    proven: list[int]
    split_blocks: list[int]


@dataclass
class _Work:
    """What the searches of one rescue may still take: ``cut``, region nodes cut along spanning trees (a
    region's nodes for each tree), of them ``part`` for the failed part at hand; ``milp``, nodes searched
    exactly (a region's for each search of it)."""

    cut: int
    part: int
    milp: int

    def trees(self, n: int) -> bool:
        """Whether one more tree cut of a region of ``n`` nodes fits; if so it is taken from the budget."""
        if n > min(self.cut, self.part):
            return False
        self.cut -= n
        self.part -= n
        return True


def rescue(g: NodeGraph, s: Settings, lab: np.ndarray, failed: list[int], rng: np.random.Generator) -> Rescued:
    """Re-cut growing regions around each ``failed`` part (see the module docstring)."""
    out = Rescued(lab.copy(), [], [], [])
    if not failed:
        return out
    next_id = int(lab.max()) + 1 if len(lab) else 0
    relaxed: set[int] = set()
    work = _Work(RESCUE_CUT_WORK, RESCUE_PART_WORK, RESCUE_MILP_WORK)
    first = {p: int(np.flatnonzero(lab == p)[0]) for p in failed}
    for p in sorted(failed, key=lambda q: first[q]):
        if not (out.labels == p).any():
            continue  # absorbed by an earlier region
        work.part = RESCUE_PART_WORK
        done, proven, next_id = _rescue_part(g, s, out.labels, lab, p, first[p], next_id=next_id, rng=rng,
                                             relaxed=relaxed, work=work)
        if proven:
            out.proven.append(p)
        if not done:
            out.failed.append(p)
    out.split_blocks = sorted(relaxed)
    return out


def _rescue_part(g: NodeGraph, s: Settings, lab: np.ndarray, lab_before: np.ndarray, p: int, first: int, *,
                 next_id: int, rng: np.random.Generator, relaxed: set[int], work: _Work
                 ) -> tuple[bool, bool, int]:
    """Grow regions around part ``p`` and re-cut them; ``lab`` is changed in place. Returns whether it
    worked, whether the part was proven unsplittable, and the next free part id. ``work``: what the
    searches of this rescue may still take (decreased by those run)."""
    c = int(g.comp[first])
    cnodes = np.flatnonzero(g.comp == c)
    ce = np.flatnonzero(g.comp[g.u] == c)
    cu, cv = g.u[ce], g.v[ce]
    region = np.array([p])
    while True:
        nodes = cnodes[np.isin(lab[cnodes], region)]
        whole = len(nodes) == len(cnodes)
        a, b = lab[cu], lab[cv]
        ina = np.isin(a, region)
        touch = ina ^ np.isin(b, region)
        nxt = np.union1d(region, np.unique(np.where(ina, b, a)[touch]))
        nxt_n = int(np.isin(lab[cnodes], nxt).sum())
        if feasible(np.array([g.w[nodes].sum()]), s.lo, s.hi)[0]:
            # the exact search runs once: on the whole component, or on the last region it can take
            milp = len(nodes) <= RESCUE_MILP_N and (whole or nxt_n > RESCUE_MILP_N)
            new, split_blocks = _rescue_region(g.restrict(nodes, ce), s, rng, milp, lab_before[nodes], work)
            if isinstance(new, np.ndarray):
                ids = np.unique(new, return_inverse=True)[1]
                lab[nodes] = next_id + ids
                relaxed.update(split_blocks)
                return True, False, next_id + int(ids.max()) + 1
            if new == "infeasible" and whole:
                return False, True, next_id
        if whole or len(nodes) > RESCUE_MAX_N:
            return False, False, next_id
        region = nxt


def _rescue_region(r: NodeGraph, s: Settings, rng: np.random.Generator, milp: bool, before: np.ndarray,
                   work: _Work) -> tuple[np.ndarray | str, list[int]]:
    """One region: a new cut (local part ids) and the settlement blocks it splits although they fit in one
    unit, or the MILP's verdict (``"infeasible"``, ``"budget"``, ``"skipped"``). ``before`` holds the
    region's part ids before the rescue; ``work`` what the searches may still take (each tree cut and each
    exact search takes the region's nodes); a tree the budget does not cover is not drawn."""

    def ok(part: np.ndarray) -> bool:
        sz = np.bincount(part, weights=r.w)
        sz = sz[sz > 0]
        return bool(((sz >= s.lo) & (sz <= s.hi)).all())

    modes = [r, r.without_blocks()] if s.keep_settlements else [r.without_blocks()]
    for g in modes:
        for t in range(RESCUE_TREES + 1):
            if not work.trees(r.n):
                break  # the budget shrinks only: no later tree of this region fits either
            if t == 0:
                jit = None
            elif t <= RESCUE_TREES // 2:
                jit = rng.uniform(0.2, 1.8, size=len(r.u))
            else:  # random spanning trees: weights independent of walking time
                jit = rng.random(len(r.u)) / np.maximum(r.walk, EPS)
            part = np.asarray(construct(g, s, jitter=jit))
            if ok(part):
                return part, _split_blocks(r, s, part, before)
    if not milp or work.milp < r.n:
        return "skipped", []
    if heads_on(r, s):  # first with a candidate head in every part, then for the band alone
        work.milp -= r.n
        _, part2 = band_partition_milp(r.w, r.u, r.v, s.lo, s.hi, node_limit=RESCUE_MILP_NODES, heads=r.head)
        if part2 is not None:
            return part2, _split_blocks(r, s, part2, before)
        if work.milp < r.n:
            return "budget", []
    work.milp -= r.n
    status, part2 = band_partition_milp(r.w, r.u, r.v, s.lo, s.hi, node_limit=RESCUE_MILP_NODES)
    if part2 is None:
        return status, []
    return part2, _split_blocks(r, s, part2, before)


def _split_blocks(r: NodeGraph, s: Settings, part: np.ndarray, before: np.ndarray) -> list[int]:
    """Settlement blocks that fit in one unit, were whole in one part before and are split by ``part``."""
    sb = r.block
    df = pd.DataFrame({"b": sb, "p": part, "o": before})
    nun = df.groupby("b")[["p", "o"]].nunique()
    bb = nun.index.to_numpy()
    hit = (nun["p"].to_numpy() > 1) & (nun["o"].to_numpy() == 1) & (r.bsize[bb] <= s.hi) & (np.bincount(sb)[bb] > 1)
    return sorted(int(b) for b in bb[hit])


def _grown_proof(w: np.ndarray, su: np.ndarray, sv: np.ndarray, lo: int, hi: int, heads: np.ndarray
                 ) -> tuple[str, np.ndarray | None]:
    """The search grown from a candidate (:func:`~yuanluo.gis.delineate.headproof.grown_split`): first from
    every candidate with ``GROWN_FIRST`` steps each, then from the ``GROWN_STARTS`` most crowded with ``GROWN_MORE`` each (so it
    settles at least what those with ``HEAD_SEARCH_STEPS`` each settle). Either search ends at the first start
    that settles the question: a proof that no split with a candidate in every part exists
    (``"infeasible"``), or a split (``"found"``, taken as it is: HiGHS is not asked for another). The search
    is exact from any start, so which start settles it changes only the steps (and which split is found): of
    eight components that reached this step in fits of 3,000 and 10,000 households (changshou rules), one (30
    households) is proven from its fourth candidate in 6 steps, which the three most crowded left undecided
    after 5,000 steps each, and one (51 households), whose proof took HiGHS 1.6 s, from its second in 6,581
    steps; four were split within 100 steps, where HiGHS then took 0.01–0.70 s to find a split of its own.

    >>> path = (np.arange(6), np.arange(1, 7))
    >>> _grown_proof(np.ones(7), *path, 3, 5, np.array([1, 1, 0, 0, 0, 0, 0]))
    ('infeasible', None)
    >>> _grown_proof(np.ones(7), *path, 3, 5, np.array([1, 0, 0, 0, 1, 0, 0]))[0]
    'found'
    """
    every = int((np.asarray(heads) > 0).sum())
    status, found = grown_split(w, su, sv, lo, hi, heads, every, GROWN_FIRST)
    if status == "budget":
        status, found = grown_split(w, su, sv, lo, hi, heads, GROWN_STARTS, GROWN_MORE)
    return status, found


def band_partition_milp(
    w: np.ndarray, su: np.ndarray, sv: np.ndarray, lo: int, hi: int, node_limit: int = 2000,
    heads: np.ndarray | None = None,
) -> tuple[str, np.ndarray | None]:
    """Exact feasibility search: split a connected graph (``len(w)`` nodes, edges ``su``-``sv``) into
    contiguous parts whose sizes all lie in ``[lo, hi]``.

    Flow formulation (scipy.optimize.milp / HiGHS): every part is an arborescence with a root ``r_i`` that
    supplies ``s_i ∈ [lo, hi]`` (0 unless a root); every other node has exactly one incoming used arc ``z_a``;
    arc flow ``f_a ≤ hi·z_a`` carries the sizes of the nodes below it, each node consuming its size ``w_i``.
    A cycle without a root cannot be fed, so the used arcs form a spanning forest whose trees are the parts
    and whose roots' supplies are their sizes. The first feasible forest is taken.
    Deterministic (a branch-and-bound node limit, never a time limit).

    With ``heads`` (candidate heads per node) every part also holds one: only a node holding a candidate may
    be a root. That is exact, since a tree can be rooted at any of its nodes, and far smaller than carrying
    the candidates to the root as a second commodity. The plain reasons why no such split exists are tried
    first (:func:`~yuanluo.gis.delineate.headproof.no_head_split`): HiGHS can take seconds to prove them.
    Then the exact search of :mod:`~yuanluo.gis.delineate.headsearch` (one part at a time, at most
    ``HEAD_SEARCH_STEPS`` steps) answers most of what is left in milliseconds; where it runs out, the same search
    grown from the most crowded candidates (:func:`_grown_proof`) may still prove that there is none (a
    52-household component: 0.06 s, where HiGHS took 2.4 s) or find a split, which is then taken; HiGHS last.

    >>> band_partition_milp(np.ones(4, dtype=int), np.arange(3), np.arange(1, 4), 2, 2,
    ...                     heads=np.array([1, 0, 0, 1]))[1].tolist()
    [0, 0, 2, 2]
    >>> band_partition_milp(np.ones(4, dtype=int), np.arange(3), np.arange(1, 4), 2, 2,
    ...                     heads=np.array([1, 1, 0, 0]))[0]
    'infeasible'

    Returns ``("found", part)`` (part = root node of each node), ``("infeasible", None)`` when it is proven
    that no such split exists, or ``("budget", None)`` when the node limit ran out first.

    Examples
    --------
    A star with a centre and four leaves cannot be cut into parts of 2 (every part must hold the centre);
    the path 0-1-2-3 can.

    >>> band_partition_milp(np.ones(5, dtype=int), np.zeros(4, dtype=int), np.arange(1, 5), 2, 2)[0]
    'infeasible'
    >>> st, part = band_partition_milp(np.ones(4, dtype=int), np.arange(3), np.arange(1, 4), 2, 2)
    >>> st, np.unique(part, return_counts=True)[1].tolist()
    ('found', [2, 2])
    """
    from scipy.optimize import Bounds, LinearConstraint

    if heads is not None:
        if no_head_split(w, su, sv, lo, hi, heads):  # the plain reasons, without a solver
            return "infeasible", None
        status, found = head_split(w, su, sv, lo, hi, heads)  # the exact search, bounded by steps
        if status != "budget":
            return status, found
        status, found = _grown_proof(w, su, sv, lo, hi, heads)  # the same search grown from crowded candidates
        if status != "budget":
            return status, found
    n = len(w)
    wf = np.asarray(w, dtype=float)
    tail, head = np.r_[su, sv].astype(np.int64), np.r_[sv, su].astype(np.int64)
    na = len(tail)
    # variables: r (n), s (n), z (na), f (na)
    nv = 2 * n + 2 * na
    R, S, Z, F = 0, n, 2 * n, 2 * n + na
    ar, aa = np.arange(n), np.arange(na)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    lb: list[np.ndarray] = []
    ub: list[np.ndarray] = []
    row = 0

    def add(rr: np.ndarray, cc: np.ndarray, vv: np.ndarray | float, lo_: np.ndarray, hi_: np.ndarray, k: int) -> int:
        rows.append(rr + row)
        cols.append(cc)
        vals.append(np.broadcast_to(np.asarray(vv, dtype=float), rr.shape).copy())
        lb.append(lo_)
        ub.append(hi_)
        return row + k

    # r_i + Σ_in z = 1
    row = add(np.r_[ar, head], np.r_[R + ar, Z + aa], 1.0, np.ones(n), np.ones(n), n)
    # s_i + Σ_in f − Σ_out f = w_i
    row = add(np.r_[ar, head, tail], np.r_[S + ar, F + aa, F + aa], np.r_[np.ones(n), np.ones(na), -np.ones(na)],
              wf, wf, n)
    # lo·r_i ≤ s_i ≤ hi·r_i
    row = add(np.r_[ar, ar], np.r_[S + ar, R + ar], np.r_[np.ones(n), -hi * np.ones(n)], np.full(n, -np.inf),
              np.zeros(n), n)
    row = add(np.r_[ar, ar], np.r_[S + ar, R + ar], np.r_[np.ones(n), -lo * np.ones(n)], np.zeros(n),
              np.full(n, np.inf), n)
    # w_head·z_a ≤ f_a ≤ hi·z_a
    row = add(np.r_[aa, aa], np.r_[F + aa, Z + aa], np.r_[np.ones(na), -hi * np.ones(na)], np.full(na, -np.inf),
              np.zeros(na), na)
    row = add(np.r_[aa, aa], np.r_[F + aa, Z + aa], np.r_[np.ones(na), -wf[head]], np.zeros(na),
              np.full(na, np.inf), na)
    # as many roots as parts, each part between lo and hi: ⌈W/hi⌉ ≤ Σ r_i ≤ ⌊W/lo⌋ (implied by the rows
    # above, but HiGHS proves that a graph has no such split up to 15× sooner with it written out)
    tot = float(wf.sum())
    row = add(np.zeros(n, dtype=np.int64), R + ar, 1.0, np.array([np.ceil(tot / hi - EPS)]),
              np.array([np.floor(tot / lo + EPS) if lo > 0 else float(n)]), 1)
    integrality = np.r_[np.ones(n), np.zeros(n), np.ones(na), np.zeros(na)]
    upper = np.r_[np.ones(n), np.full(n, float(hi)), np.ones(na), np.full(na, float(hi))]
    if heads is not None:  # a part holds a candidate head iff it can be rooted at one
        upper[:n] = np.asarray(heads) > 0
    A = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(row, nv))
    # the total flow (households times their depth in the tree) as objective steers HiGHS's search to a
    # first forest about twice as fast as none; the first one is taken (any gap is accepted)
    cost = np.zeros(nv)
    cost[F: F + na] = 1.0
    res = _interruptible(lambda: highs_milp(cost, constraints=LinearConstraint(A, np.concatenate(lb), np.concatenate(ub)),
                                            integrality=integrality, bounds=Bounds(np.zeros(nv), upper),
                                            options={"node_limit": int(node_limit), "presolve": True, "mip_rel_gap": 1e6}))
    if res.status == 2:
        return "infeasible", None
    if res.x is None or res.status not in (0, 1):
        return "budget", None
    z = res.x[Z: Z + na] > 0.5
    lab = components(n, tail[z], head[z])
    size = np.bincount(lab, weights=wf)
    if not ((size >= lo) & (size <= hi)).all():  # a limit hit before integrality: not a solution
        return "budget", None
    first = np.full(int(lab.max()) + 1, n)
    np.minimum.at(first, lab, ar)
    return "found", first[lab]


