"""Stage support: the candidate-head rule (能力匹配) — the pre-check per component, the exceptions, the
suggested head of each unit.

With ``require_head`` and a ``head_candidate`` column every ``ok`` unit holds a candidate head (two above
``heads_for_size``). The construction DP, the repairs, the local search and the merge–resplit keep the rule
(:mod:`~yuanluo.gis.delineate.construct`, :mod:`~yuanluo.gis.delineate.improve`); this module checks each
connected component first — the candidates at distinct locations must cover the fewest units its size
needs (a location is one node and can head one unit) — and turns a unit still without enough candidates
into an exception: ``HEAD-SHORT`` when its component is short (with the shortfall), ``HEAD-UNPLACED``
when the component has enough candidates but no split within the band found for all of them.

Examples
--------
Fifty households in one component, units of at most 25, candidates at one location: one short.

>>> from yuanluo.gis.delineate.problem import NodeGraph, Settings
>>> g = NodeGraph.build(np.ones(50), np.arange(49), np.arange(1, 50), np.ones(49))
>>> g.head = np.r_[2, np.zeros(49, dtype=int)]
>>> head_precheck(g, Settings(lo=15, hi=25, target=20.0))
{0: {'candidates': 1, 'needed': 2, 'shortfall': 1}}
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from yuanluo.gis.delineate.construct import construct, heads_on
from yuanluo.gis.delineate.improve import Units, head_lack
from yuanluo.gis.delineate.problem import NodeGraph, Settings

__all__ = ["head_precheck", "min_heads", "head_exceptions", "head_rescue", "suggested_heads"]

HEAD_RINGS = 2  # rings of neighbouring units a region around a unit without a head grows by
HEAD_TREES = 2  # spanning trees (the walking-time tree, then jittered ones) tried per region
HEAD_MAX_N = 250  # regions of at most this many nodes


def min_heads(total: float, s: Settings) -> int:
    """The fewest candidate heads a connected area of size ``total`` needs: one per unit of the fewest units
    (⌈total / max⌉), plus one for every unit that must be above ``heads_for_size``.

    >>> min_heads(100, Settings(lo=20, hi=50, target=35.0)), min_heads(100, Settings(20, 50, 35.0, heads_for_size=30))
    (2, 4)
    """
    t = int(round(total))
    if t <= 0:
        return 0
    k_lo = -(-t // s.hi)
    big = s.heads_for_size
    if big is None or big >= s.hi:
        return k_lo
    best = None
    for k in range(k_lo, max(k_lo, t // max(s.lo, 1)) + 1):
        over = max(0, -(-(t - k * big) // (s.hi - big)))
        best = k + over if best is None else min(best, k + over)
    return int(best if best is not None else k_lo)


def head_precheck(g: NodeGraph, s: Settings) -> dict[int, dict[str, int]]:
    """The components (after island joins; never across a nest group) whose candidates cannot cover the
    fewest units they need: ``{component: {"candidates", "needed", "shortfall"}}``. Candidates count per
    location (node), up to two where two units' management groups could use them."""
    if g.head is None or not g.n:
        return {}
    total = np.bincount(g.comp, weights=g.w)
    cap = 1 if s.heads_for_size is None else 2
    cand = np.bincount(g.comp, weights=np.minimum(g.head, cap), minlength=len(total))
    out: dict[int, dict[str, int]] = {}
    for c in np.flatnonzero(cand < -(-total // s.hi)).tolist() + (
            list(range(len(total))) if s.heads_for_size is not None else []):
        if c in out:
            continue
        need = min_heads(float(total[c]), s)
        if cand[c] < need:
            out[int(c)] = {"candidates": int(cand[c]), "needed": need, "shortfall": int(need - cand[c])}
    return dict(sorted(out.items()))


def head_exceptions(g: NodeGraph, s: Settings, units: Units, part_ok: np.ndarray
                    ) -> dict[int, tuple[str, dict[str, Any]]]:
    """The ``ok`` units still lacking candidate heads, made exceptions (``part_ok`` is cleared for their
    nodes): unit → (code, reason parameters)."""
    if g.head is None or not s.require_head:
        return {}
    short = head_precheck(g, s)
    out: dict[int, tuple[str, dict[str, Any]]] = {}
    for k in sorted(units.nodes):
        nodes = units.nodes[k]
        if not part_ok[nodes].all():
            continue
        heads, size = float(g.head[nodes].sum()), float(g.w[nodes].sum())
        lack = float(head_lack(heads, size, s.heads_for_size))
        if lack <= 0:
            continue
        c = int(g.comp[nodes[0]])
        params: dict[str, Any] = {"heads": int(heads), "need": int(heads + lack)}
        if c in short:
            out[k] = ("HEAD-SHORT", params | short[c] | {"why": "head_short"})
        else:
            out[k] = ("HEAD-UNPLACED", params | {"why": "head_unplaced"})
        part_ok[nodes] = False
    return out


def head_rescue(g: NodeGraph, s: Settings, lab: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """New labels where units within the band but lacking a candidate head were re-cut with their
    neighbours: around each such unit (in order of its first node) a region of whole in-band units grows
    ring by ring (at most ``HEAD_RINGS`` rings, ``HEAD_MAX_N`` nodes) and is cut anew by the head-aware tree
    DP along ``HEAD_TREES`` spanning trees; the first cut with every part within the band and fewer heads
    lacking in all is taken. Settlements stay whole (blocks are subtrees)."""
    if not heads_on(g, s) or not g.n:
        return lab
    assert g.head is not None
    lab = lab.copy()
    size = np.bincount(lab, weights=g.w)
    heads = np.bincount(lab, weights=g.head, minlength=len(size))
    lack = head_lack(heads, size, s.heads_for_size)
    inband = (size >= s.lo) & (size <= s.hi)
    todo = np.flatnonzero(inband & (lack > 0))
    if not len(todo):
        return lab
    first = np.full(len(size), g.n)
    np.minimum.at(first, lab, np.arange(g.n))
    nc = int(g.comp.max()) + 1
    eorder = np.argsort(g.comp[g.u], kind="stable")
    estart = np.r_[0, np.cumsum(np.bincount(g.comp[g.u], minlength=nc))]
    norder = np.argsort(g.comp, kind="stable")
    nstart = np.r_[0, np.cumsum(np.bincount(g.comp, minlength=nc))]
    next_id = len(size)
    for p in sorted(todo.tolist(), key=lambda q: first[q]):
        c = int(g.comp[first[p]])
        cnodes = norder[nstart[c]: nstart[c + 1]]
        if not (lab[cnodes] == p).any():
            continue  # re-cut with an earlier region
        next_id = _head_region(g, s, lab, p, cnodes, eorder[estart[c]: estart[c + 1]], next_id, rng)
    return lab


def _head_region(g: NodeGraph, s: Settings, lab: np.ndarray, p: int, cnodes: np.ndarray, ce: np.ndarray,
                 next_id: int, rng: np.random.Generator) -> int:
    """Grow regions around unit ``p`` (nodes ``cnodes`` and edges ``ce`` of its component) and re-cut the
    first that gives
    fewer units without a head; ``lab`` changes in place. Returns the next free part id."""
    assert g.head is not None
    cu, cv = g.u[ce], g.v[ce]
    region = np.array([p])
    for _ring in range(HEAD_RINGS):
        a, b = lab[cu], lab[cv]
        ina = np.isin(a, region)
        touch = ina ^ np.isin(b, region)
        nbrs = np.unique(np.where(ina, b, a)[touch])
        if not len(nbrs):
            return next_id
        region = np.union1d(region, nbrs)
        nodes = cnodes[np.isin(lab[cnodes], region)]
        if len(nodes) > HEAD_MAX_N:
            return next_id
        before = _lack_of(g, s, lab[nodes], nodes)
        if np.isfinite(before) and (g.head[nodes] > 0).sum() <= len(region) - before:
            continue  # no spare candidate in the region: no cut can give one more unit a head
        part = _recut(g.restrict(nodes, ce), s, rng, before)
        if part is not None:
            ids = np.unique(part, return_inverse=True)[1]
            lab[nodes] = next_id + ids
            return next_id + int(ids.max()) + 1
    return next_id


def _lack_of(g: NodeGraph, s: Settings, part: np.ndarray, nodes: np.ndarray) -> float:
    """Heads lacking in all over the parts ``part`` of ``nodes``; inf when a part is outside the band."""
    assert g.head is not None
    ids = np.unique(part, return_inverse=True)[1]
    sz = np.bincount(ids, weights=g.w[nodes])
    if ((sz < s.lo) | (sz > s.hi)).any():
        return np.inf
    return float(head_lack(np.bincount(ids, weights=g.head[nodes]), sz, s.heads_for_size).sum())


def _recut(r: NodeGraph, s: Settings, rng: np.random.Generator, before: float) -> np.ndarray | None:
    """The first cut of region ``r`` along spanning trees with every part in the band and fewer heads
    lacking than ``before``; None when none is found."""
    for t in range(HEAD_TREES + 1):
        jit = None if t == 0 else rng.uniform(0.2, 1.8, size=len(r.u))
        part = np.asarray(construct(r, s, jitter=jit))
        if _lack_of(r, s, part, np.arange(r.n)) < before - 1e-9:
            return part
    return None


def suggested_heads(frame: pd.DataFrame, ids: np.ndarray, positions: np.ndarray, dm: np.ndarray
                    ) -> tuple[str, str]:
    """The suggested head of a unit (its candidate nearest the meeting point by walking time, ties by hid)
    and the JSON list of all its candidates in that order; ``("", "[]")`` without candidates."""
    if "head_candidate" not in frame.columns:
        return "", "[]"
    cand = frame["head_candidate"].fillna(False).astype(bool).to_numpy()[positions]
    pos = positions[cand]
    if not len(pos):
        return "", "[]"
    order = np.lexsort((ids[pos].astype(str), dm[pos]))
    hids = [str(x) for x in ids[pos][order]]
    return hids[0], json.dumps(hids, ensure_ascii=False)
