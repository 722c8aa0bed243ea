"""Where does the walk that candidate heads cost come from (issue 13)? Synthetic villages delineated with
``require_head`` off and on; after each stage of the head stage (the soft search, ``head_fix`` and its steps,
``chain_moves``, ``pool_heads``, ``spare_windows``, the settlements made whole) every area's walk (the units'
exact walks, household → meeting point, as :class:`~yuanluo.gis.delineate.improve.Units` keeps them), its
unit count and the candidate heads its ``ok`` units lack.

    python bench/bench_head_steps.py /tmp/b/steps 3000 --seeds 16 --rules changshou   # steps.json, steps.md

An area is a connected component of the engine's location graph (one nest group, islands joined); both fits
have the same areas. The hooks only read the units: the fits are those of the engine unchanged. The last row is
the units table's walk (household → meeting point over the graph), a few tenths below the units' own sum.

Session 46 (changshou, 3,000 households, seeds 0–15, engine e83abf6): off 40,654.9 → on 42,753.9 minutes
(+5.16 %); the soft search +106, ``head_fix`` +2,473 (its closing local search included), then the chains −635,
the pool +5, the spare windows −352, the settlements +80 (``bench/results/heads.md``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_heads import ENGINE, PRESETS  # noqa: E402  (imports the engine of this checkout)

import yuanluo.gis.cluster as cluster  # noqa: E402
import yuanluo.gis.delineate.heads as heads  # noqa: E402
from yuanluo.gis.neighbours import build_graph  # noqa: E402
from yuanluo.gis.synth import make_village  # noqa: E402

STEPS = ("_remnant_fix", "_triple_fix", "_exact_pairs", "_recut_components", "_exact_components")  # of head_fix
ORDER = ("soft search", "head_fix: pairs", "head_fix: triples", "head_fix: exact pairs", "head_fix: component re-cut",
         "head_fix: exact placement", "head_fix", "chain_moves", "pool_heads", "spare_windows", "settlements whole")
NAMES = {"_remnant_fix": "head_fix: pairs", "_triple_fix": "head_fix: triples", "_exact_pairs": "head_fix: exact pairs",
         "_recut_components": "head_fix: component re-cut", "_exact_components": "head_fix: exact placement"}


def areas(g: Any, units: Any, part_ok: np.ndarray) -> dict[int, list[float]]:
    """Per area: [walk, units, heads lacking in its ``ok`` units, households]."""
    out: dict[int, list[float]] = {}
    for k, nodes in units.nodes.items():
        r = out.setdefault(int(g.comp[nodes[0]]), [0.0, 0, 0.0, 0.0])
        r[0] += units.cost[k]
        r[1] += 1
        if units.heads is not None and part_ok[nodes].all():
            r[2] += units.lack(k)
    for c, r in out.items():
        r[3] = float(units.mult[g.comp == c].sum())
    return out


def hooked(snaps: list[tuple[str, dict[int, list[float]]]]) -> Callable[[], None]:
    """Wrap the stages and steps so that each records the areas after it; returns the undo."""
    saved: list[tuple[Any, str, Any]] = []

    def wrap(mod: Any, name: str, label: Callable[[dict[str, Any]], str], first: str | None = None) -> None:
        f = getattr(mod, name)

        def w(g: Any, s: Any, units: Any, part_ok: np.ndarray, *a: Any, **k: Any) -> Any:
            if first is not None:
                snaps.append((first, areas(g, units, part_ok)))
            r = f(g, s, units, part_ok, *a, **k)
            snaps.append((label(k), areas(g, units, part_ok)))
            return r
        saved.append((mod, name, f))
        setattr(mod, name, w)

    def named(label: str) -> Callable[[dict[str, Any]], str]:
        return lambda k: label

    wrap(cluster, "head_fix", named("head_fix"), first="soft search")
    for name in ("chain_moves", "pool_heads", "spare_windows"):
        wrap(cluster, name, named(name))
    wrap(cluster, "settle_whole", lambda k: "settlements whole" if k.get("recut") is False else "settle (first)")
    for name in STEPS:
        wrap(heads, name, named(NAMES[name]))

    def undo() -> None:
        for mod, name, f in reversed(saved):
            setattr(mod, name, f)
    return undo


def run(n: int, seed: int, rules: str) -> dict[str, Any]:
    """One village, one preset, heads off and on: the walk summed over areas after each step (the last value
    of a step that ran more than once), and the areas' final rows."""
    v = make_village(n, seed=seed)
    g = build_graph(v.households, rivers=v.rivers, roads=v.roads)
    row: dict[str, Any] = {"n": n, "seed": seed, "rules": rules, "engine": ENGINE}
    for on in (False, True):
        snaps: list[tuple[str, dict[int, list[float]]]] = []
        undo = hooked(snaps)
        try:
            d = cluster.UnitDelineator.from_rules(PRESETS[rules], random_state=seed, require_head=on).fit(
                v.households, g)
        finally:
            undo()
        steps = {label: round(sum(r[0] for r in a.values()), 3) for label, a in snaps}
        last = snaps[-1][1]
        u = d.units_
        row["on" if on else "off"] = {
            "steps": steps, "units": int(len(u)), "walk": round(float((u["mean_walk_min"] * u["n_households"]).sum()), 3),
            "areas": {str(c): [round(r[0], 3), int(r[1]), r[2], r[3]] for c, r in sorted(last.items())}}
    return row


def table(rows: list[dict[str, Any]]) -> str:
    """The walk summed over the runs after each step, heads off and on."""
    out = ["| after | heads off | heads on | on − off |", "|---|---|---|---|"]
    for label in ORDER:
        off = [r["off"]["steps"].get(label) for r in rows]
        on = [r["on"]["steps"].get(label) for r in rows]
        if any(x is None for x in on):
            continue
        a = sum(x for x in off if x is not None) if all(x is not None for x in off) else None
        b = sum(on)
        out.append(f"| {label} | {'' if a is None else f'{a:,.1f}'} | {b:,.1f} | "
                   f"{'' if a is None else f'{b - a:+,.1f}'} |")
    off = sum(r["off"]["walk"] for r in rows)
    on = sum(r["on"]["walk"] for r in rows)
    out.append(f"| units table (final) | {off:,.1f} | {on:,.1f} | {on - off:+,.1f} ({100 * (on / off - 1):+.2f} %) |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="output path without suffix (.json and .md are written)")
    ap.add_argument("sizes", type=int, nargs="+", help="households per village")
    ap.add_argument("--seeds", type=int, default=1, help="villages per size (seeds 0 … k-1)")
    ap.add_argument("--rules", default=",".join(PRESETS), help="presets, comma-separated")
    a = ap.parse_args(argv)
    rows = [run(n, seed, rules) for n in a.sizes for seed in range(a.seeds) for rules in a.rules.split(",")]
    a.out.with_suffix(".json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    md = table(rows)
    a.out.with_suffix(".md").write_text(md, encoding="utf-8")
    print(md, end="")


if __name__ == "__main__":
    main()
