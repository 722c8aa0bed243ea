"""How much walk must candidate heads cost (issue 13)? Small synthetic villages delineated with ``require_head``
off and on, and the best contiguous units both ways from an exact model (HiGHS via scipy): how much of the
engine's Δ walk the rule forces, how much is the engine's.

    python bench/bench_heads_bound.py /tmp/b/bound 60 120 --seeds 8               # writes bound.md, bound.json
    python bench/bench_heads_bound.py /tmp/b/bound 150 --seeds 4 --rules changshou --node-limit 20000

The model, per area (a connected component of the engine's location graph: one nest group, islands joined):
a p-median over the location nodes, x[i, j] = node i meets at node j, y[j] = j is a meeting point; every unit's
size in the band; settlements free (the engine keeps them whole where it can, a rule the model leaves out, so
that its optimum stays a bound on the engine's walk; ``--whole-settlements`` keeps those that fit the band whole,
falling back to free ones where the area cannot be cut so); with heads, at least one
candidate head in every unit (two above ``heads_for_size``); p, the number of units, the engine's count in that
area without heads (and, where the engine used another count with heads, that count too). The cost of x[i, j]
is the households at i times the shortest walk from i to j in the area; a unit in pieces gets separator cuts
(x[i, j] ≤ Σ x[k, j] over the piece's border), solved again until every unit is connected. The engine measures
a walk inside the unit, never shorter: so the model's optimum is a lower bound on every delineation's walk
with p units, and when the walk of its own units measured inside them equals it, the optimum itself (proven).
Only proven optima enter the totals; an area not proven (node limit, cut rounds) is counted as such.

Deterministic: HiGHS with a node limit (``--node-limit``), never a time limit unless ``--time-limit`` is given.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint
from scipy.sparse.csgraph import connected_components, dijkstra

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_heads import ENGINE, PRESETS  # noqa: E402  (imports the engine of this checkout)

from yuanluo.gis.cluster import UnitDelineator  # noqa: E402
from yuanluo.gis.delineate.prepare import prepare  # noqa: E402
from yuanluo.gis.exact import highs_milp  # noqa: E402
from yuanluo.gis.neighbours import build_graph  # noqa: E402
from yuanluo.gis.rules import resolve_nest_by  # noqa: E402
from yuanluo.gis.synth import make_village  # noqa: E402


def solve_area(dist: np.ndarray, mult: np.ndarray, w: np.ndarray, adj: sp.csr_matrix, lo: int, hi: int, p: int,
               *, heads: np.ndarray | None = None, heads_for: int | None = None,
               blocks: list[np.ndarray] | None = None, node_limit: int | None = 20000,
               time_limit: float | None = None, rounds: int = 60) -> dict[str, Any]:
    """Best ``p`` connected units of one area (see the module's text).

    ``dist`` shortest walks between the area's nodes, ``mult`` households per node (the walk's weight), ``w``
    size per node, ``adj`` the area's adjacency, ``heads`` candidate heads per node (None: no head rule),
    ``blocks`` node sets to keep in one unit. Returns ``status`` (``optimal``, ``infeasible``, ``limit``),
    ``bound`` (the model's optimum: a lower bound on any delineation's walk with ``p`` units, or HiGHS's dual
    bound when stopped), ``walk`` (its units' walk measured inside each unit, as the engine measures),
    ``proven`` (optimal and ``walk`` equals ``bound``), ``labels`` (meeting node per node), ``rounds``.

    Two pairs of houses 10 minutes apart on a line, units of two, one candidate head at each end: with heads
    the units must be {0, 1} and {2, 3} anyway.

    >>> x = np.array([0.0, 1.0, 10.0, 11.0])
    >>> adj = sp.csr_matrix(np.diag(np.ones(3), 1) + np.diag(np.ones(3), -1))
    >>> d = np.abs(x[:, None] - x[None, :])
    >>> r = solve_area(d, np.ones(4), np.ones(4), adj, 2, 2, 2, heads=np.array([1, 0, 0, 1]))
    >>> r["status"], r["bound"], r["walk"], r["proven"]
    ('optimal', 2.0, 2.0, True)
    >>> solve_area(d, np.ones(4), np.ones(4), adj, 2, 2, 2, heads=np.array([1, 1, 0, 0]))["status"]
    'infeasible'
    """
    n = len(w)
    nx = n * n
    nv = nx + n + (n if heads is not None and heads_for is not None else 0)
    ii, jj = np.divmod(np.arange(nx), n)
    c = np.r_[(mult[:, None] * dist).ravel(), np.zeros(nv - nx)]
    eq_rows: list[sp.csr_matrix] = []
    eq_rhs: list[np.ndarray] = []
    le_rows: list[sp.csr_matrix] = []  # A x <= 0
    # each node meets once
    eq_rows.append(sp.csr_matrix((np.ones(nx), (ii, np.arange(nx))), shape=(n, nv)))
    eq_rhs.append(np.ones(n))
    # x[i, j] <= y[j]
    ar = np.arange(nx)
    le_rows.append(sp.csr_matrix((np.r_[np.ones(nx), -np.ones(nx)], (np.r_[ar, ar], np.r_[ar, nx + jj])),
                                 shape=(nx, nv)))
    # x[j, j] = y[j]
    diag = np.arange(n) * n + np.arange(n)
    eq_rows.append(sp.csr_matrix((np.r_[np.ones(n), -np.ones(n)], (np.r_[np.arange(n), np.arange(n)],
                                                                    np.r_[diag, nx + np.arange(n)])), shape=(n, nv)))
    eq_rhs.append(np.zeros(n))
    # band: lo y[j] <= Σ w[i] x[i, j] <= hi y[j]
    size = sp.csr_matrix((w[ii].astype(float), (jj, np.arange(nx))), shape=(n, nv))
    yj = sp.csr_matrix((np.ones(n), (np.arange(n), nx + np.arange(n))), shape=(n, nv))
    le_rows.append(size - hi * yj)
    le_rows.append(lo * yj - size)
    # p units
    eq_rows.append(sp.csr_matrix((np.ones(n), (np.zeros(n, dtype=int), nx + np.arange(n))), shape=(1, nv)))
    eq_rhs.append(np.array([float(p)]))
    if heads is not None:
        # y[j] (+ z[j] above heads_for) <= Σ heads[i] x[i, j]; z[j] = 1 where the unit is above heads_for
        hrow = sp.csr_matrix((heads[ii].astype(float), (jj, np.arange(nx))), shape=(n, nv))
        if heads_for is None:
            le_rows.append(yj - hrow)
        else:
            zj = sp.csr_matrix((np.ones(n), (np.arange(n), nx + n + np.arange(n))), shape=(n, nv))
            le_rows.append(yj + zj - hrow)
            le_rows.append(size - heads_for * yj - (hi - heads_for) * zj)
    for b in blocks or []:
        # every node of a block meets where the block's first node meets
        for k in b[1:].tolist():
            r = np.arange(n)
            eq_rows.append(sp.csr_matrix((np.r_[np.ones(n), -np.ones(n)], (np.r_[r, r], np.r_[k * n + r, b[0] * n + r])),
                                         shape=(n, nv)))
            eq_rhs.append(np.zeros(n))
    integrality = np.ones(nv)  # x binary too: with the band a fractional x would split a node
    options: dict[str, Any] = {"disp": False, "mip_rel_gap": 1e-7}
    if node_limit is not None:
        options["node_limit"] = int(node_limit)
    cuts: list[sp.csr_matrix] = []
    adj = adj.tocsr()
    out: dict[str, Any] = {"status": "limit", "bound": float("nan"), "walk": float("nan"), "proven": False,
                           "labels": None, "rounds": 0}
    start = time.perf_counter()
    for rnd in range(1, rounds + 1):
        out["rounds"] = rnd
        if time_limit is not None:  # the seconds are the whole solve's, all its cut rounds
            left = time_limit - (time.perf_counter() - start)
            if left <= 0:
                return out
            options["time_limit"] = left
        a_eq = sp.vstack(eq_rows).tocsr()
        a_le = sp.vstack(le_rows + cuts).tocsr()
        res = highs_milp(c, constraints=[LinearConstraint(a_eq, np.concatenate(eq_rhs), np.concatenate(eq_rhs)),
                                         LinearConstraint(a_le, -np.inf, 0.0)],
                         integrality=integrality, bounds=Bounds(0, 1), options=options)
        if res.status == 2 or (res.x is None and "nfeasible" in str(res.message)):
            out["status"] = "infeasible"
            return out
        if res.status != 0 or res.x is None:
            lb = getattr(res, "mip_dual_bound", None)  # a bound still: this round's model is a relaxation
            if lb is not None and np.isfinite(lb):
                out["bound"] = max(float(lb), out["bound"]) if np.isfinite(out["bound"]) else float(lb)
            return out
        out["bound"] = float(res.fun)  # the cuts so far only cut off units in pieces: a bound every round
        y = res.x[nx:nx + n] > 0.5
        x = res.x[:nx].reshape(n, n)
        med = np.argmax(np.where(y[None, :], x, -1.0), axis=1)
        new: list[tuple[np.ndarray, int]] = []
        for j in np.flatnonzero(y).tolist():
            members = np.flatnonzero(med == j)
            k, part = connected_components(adj[members][:, members], directed=False)
            for q in range(k):
                piece = members[part == q]
                if j in piece:
                    continue
                border = np.setdiff1d(np.unique(adj[piece].indices), piece)
                new.append((piece, j))
                for i in piece.tolist():  # x[i, j] - Σ_{k in border} x[k, j] <= 0
                    cols = np.r_[i * n + j, border * n + j]
                    cuts.append(sp.csr_matrix((np.r_[1.0, -np.ones(len(border))], (np.zeros(len(cols), dtype=int), cols)),
                                              shape=(1, nv)))
        if not new:
            out["status"] = "optimal"
            out["labels"] = med
            out["walk"] = float(sum(inside_walk(adj, mult, np.flatnonzero(med == j)) for j in np.unique(med)))
            out["proven"] = bool(abs(out["walk"] - out["bound"]) <= 1e-6 * max(1.0, out["bound"]))
            return out
    return out


def inside_walk(adj: sp.csr_matrix, mult: np.ndarray, members: np.ndarray) -> float:
    """A unit's walk as the engine measures it: households × shortest walk inside the unit to the node where
    that sum is least."""
    d = dijkstra(adj[members][:, members], directed=False)
    return float((d @ mult[members]).min())


def engine_walk(adj: sp.csr_matrix, mult: np.ndarray, lab: np.ndarray) -> float:
    """Walk of the units ``lab`` (one label per node of an area), each measured inside the unit."""
    return float(sum(inside_walk(adj, mult, np.flatnonzero(lab == k)) for k in np.unique(lab)))


def run(n: int, seed: int, name: str, *, node_limit: int | None, time_limit: float | None,
        max_nodes: int, whole_settlements: bool = False) -> list[dict[str, Any]]:
    """One row per area of the village of ``n`` households and ``seed`` under preset ``name``."""
    v = make_village(n, seed=seed)
    hh = v.households
    graph = build_graph(hh, rivers=v.rivers, roads=v.roads)
    rules = PRESETS[name]
    fits = {}
    for heads in (False, True):
        t = time.process_time()
        d = UnitDelineator.from_rules(rules, random_state=seed, require_head=heads).fit(hh, graph)
        fits[heads] = (d, time.process_time() - t)
    d0 = fits[True][0]
    s = replace(d0._settings(), nest_by=resolve_nest_by(d0._nest_names(), hh.columns))
    prob = prepare(hh, graph, np.array([], dtype=str), s, np.random.default_rng(seed))
    g, hix = prob.graph, prob.households
    # each node's unit and status in both fits (a node's households share a unit)
    unit, ok = {}, {}
    for heads, (d, _) in fits.items():
        lab = d.labels_.astype(str).reindex(hix.ids).to_numpy()
        st = d.status_.astype(str).reindex(hix.ids).to_numpy()
        codes = np.unique(lab, return_inverse=True)[1]
        unit[heads] = np.zeros(g.n, dtype=np.int64)
        unit[heads][hix.node_of] = codes
        ok[heads] = np.ones(g.n, dtype=bool)
        np.logical_and.at(ok[heads], hix.node_of, st == "ok")
    a = g.csr()
    rows = []
    for comp in np.unique(g.comp).tolist():
        nodes = np.flatnonzero(g.comp == comp)
        hh_n = int(prob.mult[nodes].sum())
        row: dict[str, Any] = {"n": n, "seed": seed, "rules": name, "area": comp, "households": hh_n,
                               "nodes": len(nodes), "candidates": int(g.head[nodes].sum()) if g.head is not None else 0,
                               "engine": ENGINE}
        p_off = len(np.unique(unit[False][nodes]))
        p_on = len(np.unique(unit[True][nodes]))
        row.update(p_off=p_off, p_on=p_on, ok_off=bool(ok[False][nodes].all()), ok_on=bool(ok[True][nodes].all()))
        adj = a[nodes][:, nodes]
        mult = prob.mult[nodes].astype(float)
        row["engine_off"] = engine_walk(adj, mult, unit[False][nodes])
        row["engine_on"] = engine_walk(adj, mult, unit[True][nodes])
        if row["ok_off"] and not row["ok_on"] and len(nodes) <= max_nodes:
            # an area the rule cannot be kept in (exception units with heads): the best units without heads at
            # the engine's two counts, to tell the walk of its count from the walk of its cut
            dist = dijkstra(adj, directed=False)
            for key, p in (("off", p_off), ("short_p_on", p_on)):
                r = solve_area(dist, mult, g.w[nodes], adj, s.lo, s.hi, p, node_limit=node_limit,
                               time_limit=time_limit)
                row[key] = {k: r[k] for k in ("status", "bound", "walk", "proven", "rounds")}
        if not (row["ok_off"] and row["ok_on"]) or len(nodes) > max_nodes:
            row["skipped"] = "exception units" if len(nodes) <= max_nodes else "too large"
            rows.append(row)
            print(json.dumps(row), flush=True)
            continue
        dist = dijkstra(adj, directed=False)
        blocks = []
        if whole_settlements and s.keep_settlements:
            for b in np.unique(g.block[nodes]).tolist():
                bn = np.flatnonzero(g.block[nodes] == b)
                if len(bn) > 1 and g.bsize[b] <= s.hi:
                    blocks.append(bn)
        w = g.w[nodes]
        hd = None if g.head is None else g.head[nodes]
        for key, heads, p in (("off", None, p_off), ("on", hd, p_off), ("on_p_on", hd, p_on)):
            if key == "on_p_on" and p_on == p_off:
                row[key] = row["on"]
                continue
            t = time.perf_counter()
            r = solve_area(dist, mult, w, adj, s.lo, s.hi, p, heads=heads, heads_for=s.heads_for_size,
                           blocks=blocks, node_limit=node_limit, time_limit=time_limit)
            whole = True
            if r["status"] == "infeasible" and blocks:  # the band or the heads split a settlement: as the engine may
                whole = False
                r = solve_area(dist, mult, w, adj, s.lo, s.hi, p, heads=heads, heads_for=s.heads_for_size,
                               node_limit=node_limit, time_limit=time_limit)
            row[key] = {k: r[k] for k in ("status", "bound", "walk", "proven", "rounds")}
            row[key]["settlements_whole"] = whole
            row[key]["seconds"] = round(time.perf_counter() - t, 2)
        rows.append(row)
        print(json.dumps(row), flush=True)
    return rows


def _best_on(r: dict[str, Any]) -> dict[str, Any] | None:
    """The proven optimum with heads at the better of the two unit counts (or None)."""
    got = [x for x in (r.get("on"), r.get("on_p_on")) if isinstance(x, dict) and x["proven"]]
    return min(got, key=lambda x: x["walk"]) if got else None


def pct(a: float, b: float) -> str:
    """``a`` against ``b`` in per cent, signed."""
    return f"{100 * (a / b - 1):+.2f} %" if b > 0 else "–"


def table(rows: list[dict[str, Any]]) -> str:
    """Markdown: per preset and size, the areas proven both ways and their walks (engine and optimum)."""
    out = ["| rules | N | villages | areas proven / all (skipped: exceptions, size; with heads infeasible) | "
           "households in proven areas | engine off → on | optimum off → on (same p) | optimum on (best p) | "
           "Δ engine | Δ forced (same p) | Δ forced (best p) | engine above optimum off / on |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    keys = sorted({(r["rules"], r["n"]) for r in rows})
    for name, n in keys:
        rs = [r for r in rows if r["rules"] == name and r["n"] == n]
        skipped_exc = sum(r.get("skipped") == "exception units" for r in rs)
        skipped_big = sum(r.get("skipped") == "too large" for r in rs)
        infeasible = sum(isinstance(r.get("on"), dict) and r["on"]["status"] == "infeasible" for r in rs)
        # proven without heads, and with heads at the engine's count without them, or infeasible there (fewer
        # candidates than units: then the best of the count with heads is what the rule forces)
        good = [r for r in rs if isinstance(r.get("on"), dict) and r["off"]["proven"]
                and (r["on"]["proven"] or r["on"]["status"] == "infeasible") and _best_on(r) is not None]
        e0 = sum(r["engine_off"] for r in good)
        e1 = sum(r["engine_on"] for r in good)
        o0 = sum(r["off"]["walk"] for r in good)
        o1 = sum((r["on"] if r["on"]["proven"] else _best_on(r))["walk"] for r in good)  # type: ignore[index]
        ob = sum(_best_on(r)["walk"] for r in good)  # type: ignore[index]
        hh = sum(r["households"] for r in good)
        out.append(f"| {name} | {n:,} | {len({r['seed'] for r in rs})} | {len(good)} / {len(rs)} "
                   f"({skipped_exc}, {skipped_big}; {infeasible}) | {hh:,} | {e0:,.1f} → {e1:,.1f} | "
                   f"{o0:,.1f} → {o1:,.1f} | {ob:,.1f} | {pct(e1, e0)} | {pct(o1, o0)} | {pct(ob, o0)} | "
                   f"{pct(e0, o0)} / {pct(e1, ob)} |")
    out += ["", "Every area bounded both ways (proven or not; the bound with heads the lower of the engine's two unit "
            "counts where feasible; the best walk without heads the engine's or the model's units, the shorter): the walk heads "
            "force at least, the walk the engine's units with heads lie above the bound at most.", "",
            "| rules | N | areas bounded | households | engine off → on | Δ engine | bound off → on | best off | "
            "Δ forced ≥ | engine on above bound ≤ | Δ engine − Δ forced ≤ |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, n in keys:
        rs = [r for r in rows if r["rules"] == name and r["n"] == n and _bounds(r) is not None]
        if not rs:
            continue
        e0 = sum(r["engine_off"] for r in rs)
        e1 = sum(r["engine_on"] for r in rs)
        lb0 = sum(_bounds(r)[0] for r in rs)  # type: ignore[index]
        lb1 = sum(_bounds(r)[1] for r in rs)  # type: ignore[index]
        ub0 = sum(_bounds(r)[2] for r in rs)  # type: ignore[index]
        forced = lb1 / ub0 - 1
        left = (e1 / e0 - 1) - max(0.0, forced)
        out.append(f"| {name} | {n:,} | {len(rs)} | {sum(r['households'] for r in rs):,} | {e0:,.1f} → {e1:,.1f} | "
                   f"{pct(e1, e0)} | {lb0:,.1f} → {lb1:,.1f} | {ub0:,.1f} | {100 * forced:+.2f} % | {pct(e1, lb1)} | "
                   f"{100 * left:+.2f} points |")
    out += ["", "Areas with exception units with heads (the rule cannot be kept there), proven without heads at both "
            "of the engine's unit counts:", "", "| rules | N | areas | households | units off → on | engine off → on | "
            "optimum off | optimum without heads, the count with heads | Δ engine | Δ of the count alone |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for name, n in keys:
        rs = [r for r in rows if r["rules"] == name and r["n"] == n and isinstance(r.get("short_p_on"), dict)
              and r["off"]["proven"] and r["short_p_on"]["proven"]]
        if not rs:
            continue
        e0, e1 = sum(r["engine_off"] for r in rs), sum(r["engine_on"] for r in rs)
        o0, o1 = sum(r["off"]["walk"] for r in rs), sum(r["short_p_on"]["walk"] for r in rs)
        out.append(f"| {name} | {n:,} | {len(rs)} | {sum(r['households'] for r in rs):,} | "
                   f"{sum(r['p_off'] for r in rs)} → {sum(r['p_on'] for r in rs)} | {e0:,.1f} → {e1:,.1f} | {o0:,.1f} | "
                   f"{o1:,.1f} | {pct(e1, e0)} | {pct(o1, o0)} |")
    return "\n".join(out)


def _bounds(r: dict[str, Any]) -> tuple[float, float, float] | None:
    """An area's bound without heads, its bound with heads (the lower of the two unit counts) and its best walk
    without heads (the engine's or the model's units); None where a bound is missing."""
    if not isinstance(r.get("off"), dict) or not isinstance(r.get("on"), dict):
        return None
    ons = [x for x in (r["on"], r["on_p_on"]) if isinstance(x, dict) and x["status"] != "infeasible"]
    b1 = [x["bound"] for x in ons]
    if r["off"]["status"] == "infeasible" or not np.isfinite(r["off"]["bound"]) or not b1 \
            or not all(np.isfinite(b1)):
        return None
    best0 = min(r["engine_off"], r["off"]["walk"]) if np.isfinite(r["off"]["walk"]) else r["engine_off"]
    return float(r["off"]["bound"]), float(min(b1)), float(best0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("base", type=Path, help="where to write BASE.md and BASE.json")
    ap.add_argument("sizes", type=int, nargs="*", help="households per village; none: redraw the table of --merge")
    ap.add_argument("--seeds", type=int, default=1, help="villages of seeds 0 … K-1 (default 1)")
    ap.add_argument("--first-seed", type=int, default=0, help="start the seeds here (default 0)")
    ap.add_argument("--rules", choices=sorted(PRESETS), action="append", help="this preset only (again for more)")
    ap.add_argument("--node-limit", type=int, default=20000, help="HiGHS branch-and-bound nodes a solve (default 20000)")
    ap.add_argument("--time-limit", type=float, help="seconds a solve, all its cut rounds (which areas are proven then depends on the machine)")
    ap.add_argument("--max-nodes", type=int, default=160, help="areas of more location nodes are skipped (default 160)")
    ap.add_argument("--whole-settlements", action="store_true",
                    help="keep the settlements that fit the band whole where the area can be cut so (no bound then)")
    ap.add_argument("--merge", type=Path, help="a BASE.json of earlier runs to add the new rows to")
    opt = ap.parse_args(argv)
    names = [r for r in PRESETS if r in (opt.rules or PRESETS)]
    rows = json.loads(opt.merge.read_text(encoding="utf-8")) if opt.merge else []
    for n in opt.sizes:
        for seed in range(opt.first_seed, opt.first_seed + opt.seeds):
            for name in names:
                rows = [r for r in rows if (r["n"], r["seed"], r["rules"]) != (n, seed, name)]
                rows += run(n, seed, name, node_limit=opt.node_limit, time_limit=opt.time_limit,
                            max_nodes=opt.max_nodes, whole_settlements=opt.whole_settlements)
    opt.base.parent.mkdir(parents=True, exist_ok=True)
    opt.base.with_suffix(".json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    opt.base.with_suffix(".md").write_text(table(rows) + "\n", encoding="utf-8")
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
