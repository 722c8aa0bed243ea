"""Candidate heads in every unit (issue 13): the same synthetic villages delineated with ``require_head`` off
and on (both presets), units without a candidate, HEAD-SHORT / HEAD-UNPLACED exceptions, mean walk, time.

    python bench/bench_heads.py bench/results/heads 1000 3000 10000 100000   # writes heads.md and heads.json
    python bench/bench_heads.py /tmp/h 1000 --merge bench/results/heads.json # add rows to earlier runs
    python bench/bench_heads.py /tmp/m 3000 --seeds 6                        # villages of seeds 0-5
    python bench/bench_heads.py /tmp/b 100000 --rules banan --units /tmp/u   # one preset; keep the units tables

With ``--seeds K`` each size is run on the villages of seeds 0 … K-1 (the delineator's ``random_state`` is the
seed too), and the table ends with the totals per preset: mean Δ walk, units still without a head, Δ time.
"""

from __future__ import annotations

import argparse
import importlib.abc
import importlib.machinery
import importlib.util
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: the packages of the ``yuanluo`` namespace and their folders in a checkout (as pyproject.toml maps them)
PACKAGES = {"yuanluo": "yuanluo", "yuanluo.gis": "gis", "yuanluo.maps": "maps", "yuanluo.planners": "planners"}


class _Checkout(importlib.abc.MetaPathFinder):
    """Finds the ``yuanluo`` packages in the folders of one checkout (their modules then follow ``__path__``)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def find_spec(self, name: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if name not in PACKAGES:
            return None
        folder = self.root / PACKAGES[name]
        return importlib.util.spec_from_file_location(name, folder / "__init__.py",
                                                      submodule_search_locations=[str(folder)])


def use_checkout(root: Path) -> str:
    """Import ``yuanluo`` from ``root`` (before any of it is imported) and return its engine's commit, with ``+``
    when ``gis/`` holds changes not committed there; a ``yuanluo`` module imported from elsewhere already is an
    error."""
    stray = [m for m, mod in sys.modules.items() if m.split(".")[0] == "yuanluo"
             and not str(getattr(mod, "__file__", None) or root).startswith(str(root))]
    if stray:
        raise RuntimeError(f"yuanluo already imported from elsewhere: {stray[0]} ({sys.modules[stray[0]].__file__})")
    if not any(isinstance(f, _Checkout) for f in sys.meta_path):
        sys.meta_path.insert(0, _Checkout(root))

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + ("+" if git("status", "--porcelain", "--", "gis") else "")


ENGINE = use_checkout(ROOT)

import pandas as pd  # noqa: E402

from yuanluo.gis.cluster import UnitDelineator  # noqa: E402  (after use_checkout: the engine of this checkout)
from yuanluo.gis.neighbours import build_graph  # noqa: E402
from yuanluo.gis.rules import Rules  # noqa: E402
from yuanluo.gis.synth import make_village  # noqa: E402

PRESETS = {"banan": Rules(20, 50, name="banan"), "changshou": Rules(15, 25, name="changshou")}


def head_counts(u: pd.DataFrame) -> dict[str, int]:
    """The units of a fit (``units_``) counted for the table: all, ``ok``, without a head (all, ``ok``),
    ``HEAD-SHORT`` (its units; ``proven`` ones; the candidates the short areas lack by count,
    ``head_short_shortfall``, and the units lacking a head in them beyond that count, ``head_short_beyond``),
    ``HEAD-UNPLACED``.

    A short area's shortfall and lack are written on each of its ``area_units`` units lacking, so they count
    once per area (shares of 1 / ``area_units``): two units of an area with no candidate, needing two, are a
    shortfall of 2, not 4.

    >>> p = ['{"shortfall": 2, "area_lack": 2, "area_units": 2}'] * 2 + ['{"shortfall": 1, "area_lack": 2, '
    ...      '"area_units": 2}'] * 2 + ['{"proven": true}', '{}']
    >>> u = pd.DataFrame({"status": ["exception"] * 6 + ["ok"], "has_head": [False] * 6 + [True],
    ...                   "code": ["HEAD-SHORT"] * 5 + ["HEAD-UNPLACED", ""], "reason_params": p + ["{}"]})
    >>> c = head_counts(u)
    >>> c["head_short"], c["head_short_shortfall"], c["head_short_beyond"], c["head_short_proven"], c["no_head"]
    (5, 3, 1, 1, 6)
    """
    short = u[u["code"] == "HEAD-SHORT"]
    params = [json.loads(p) for p in short["reason_params"]]
    # proven ones carry no count; a row written before area_units was recorded counts its unit alone
    shortfall = sum(p.get("shortfall", 0) / p.get("area_units", 1) for p in params)
    beyond = sum(max(0, p["area_lack"] - p["shortfall"]) / p.get("area_units", 1) for p in params
                 if "area_lack" in p and "shortfall" in p)
    has = u["has_head"].astype(bool)
    return {"units": int(len(u)), "ok_units": int((u["status"] == "ok").sum()), "no_head": int((~has).sum()),
            "ok_no_head": int(((u["status"] == "ok") & ~has).sum()), "head_short": int(len(short)),
            "head_short_shortfall": int(round(shortfall)), "head_short_beyond": int(round(beyond)),
            "head_short_proven": int(sum(bool(p.get("proven")) for p in params)),
            "head_unplaced": int((u["code"] == "HEAD-UNPLACED").sum())}


def run(n: int, seed: int = 0, rules_names: Sequence[str] = tuple(PRESETS),
        units_dir: Path | None = None) -> list[dict[str, Any]]:
    """Rows of the village of ``n`` households and ``seed``, each preset of ``rules_names`` heads off then on;
    with ``units_dir``, each fit's units table is written there as ``{n}_{seed}_{rules}_{off|on}.csv``."""
    v = make_village(n, seed=seed)
    g = build_graph(v.households, rivers=v.rivers, roads=v.roads)
    cand = float(v.households["head_candidate"].mean())
    rows = []
    for name in rules_names:
        rules = PRESETS[name]
        for heads in (False, True):
            t, c = time.perf_counter(), time.process_time()
            d = UnitDelineator.from_rules(rules, random_state=seed, require_head=heads).fit(v.households, g)
            sec, cpu = time.perf_counter() - t, time.process_time() - c
            u = d.units_
            if units_dir is not None:
                units_dir.mkdir(parents=True, exist_ok=True)
                u.to_csv(units_dir / f"{n}_{seed}_{name}_{'on' if heads else 'off'}.csv", index=False)
            row = {"n": n, "seed": seed, "rules": name, "require_head": heads, "candidates_share": round(cand, 4),
                   **head_counts(u), "mean_walk_min": round(d.objective_ / n, 4), "seconds": round(sec, 2),
                   "cpu_seconds": round(cpu, 2), "engine": ENGINE}
            rows.append(row)
            print(json.dumps(row), flush=True)
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    """Markdown: one line per village and preset, heads off → on."""
    key = {(r["n"], r["seed"], r["rules"], r["require_head"]): r for r in rows}
    out = ["| N | rules | cand. | units off → on | ok units without a head off → on | all units without a head "
           "off → on | HEAD-SHORT (shortfall; proven) | HEAD-UNPLACED | mean walk min off → on | Δ walk | s off → on | Δ time |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    seeds = len({r["seed"] for r in rows}) > 1
    tot: dict[str, list[float]] = {}
    for (n, seed, rules, heads), on in sorted(key.items()):
        if not heads or (n, seed, rules, False) not in key:
            continue
        off = key[(n, seed, rules, False)]
        dw = 100 * (on["mean_walk_min"] / off["mean_walk_min"] - 1)
        dt = 100 * (on["seconds"] / off["seconds"] - 1)
        t = tot.setdefault(rules, [0, 0.0, 0, 0, 0.0, 0.0])
        t[0] += 1
        t[1] += dw
        t[2] += on["head_unplaced"]
        t[3] += on["head_short"]
        t[4] += off["seconds"]
        t[5] += on["seconds"]
        out.append(f"| {n:,}{f' (seed {seed})' if seeds else ''} | {rules} | {100 * on['candidates_share']:.1f} % | {off['units']} → {on['units']} | "
                   f"{off['ok_no_head']} → {on['ok_no_head']} | {off['no_head']} → {on['no_head']} | "
                   f"{on['head_short']} ({on['head_short_shortfall']}; {on.get('head_short_proven', 0)}) | "
                   f"{on['head_unplaced']} | "
                   f"{off['mean_walk_min']:.3f} → {on['mean_walk_min']:.3f} | {dw:+.1f} % | "
                   f"{off['seconds']:.1f} → {on['seconds']:.1f} | {dt:+.0f} % |")
    if seeds:
        out += ["", "| rules | runs | mean Δ walk | HEAD-SHORT | HEAD-UNPLACED | s off → on (all runs) | Δ time |",
                "|---|---|---|---|---|---|---|"]
        for rules, (k, dw, unp, short, s0, s1) in sorted(tot.items()):
            out.append(f"| {rules} | {k} | {dw / k:+.2f} % | {short} | {unp} | {s0:.1f} → {s1:.1f} | "
                       f"{100 * (s1 / s0 - 1):+.0f} % |")
    return "\n".join(out)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("base", type=Path, help="where to write BASE.md and BASE.json")
    ap.add_argument("sizes", type=int, nargs="*",
                    help="households per village; none: only redraw the table of the merged rows")
    ap.add_argument("--merge", type=Path, help="a heads.json of earlier runs to add the new rows to")
    ap.add_argument("--seeds", type=int, default=1, help="run the villages of seeds 0 … K-1 (default 1)")
    ap.add_argument("--rules", choices=sorted(PRESETS), action="append",
                    help="run this preset only (again for more; default: all)")
    ap.add_argument("--units", type=Path, help="a folder to write each fit's units table to (CSV)")
    opt = ap.parse_args()
    names = [r for r in PRESETS if r in (opt.rules or PRESETS)]
    print(f"engine {ENGINE} at {ROOT}", file=sys.stderr, flush=True)
    rows = json.loads(opt.merge.read_text(encoding="utf-8")) if opt.merge else []
    for n in opt.sizes:
        rows = [r for r in rows if not (r["n"] == n and r["rules"] in names)]
        for seed in range(opt.seeds):
            rows += run(n, seed, names, opt.units)
    opt.base.with_suffix(".json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    opt.base.with_suffix(".md").write_text(table(rows) + "\n", encoding="utf-8")
    print(table(rows))
