"""Fingerprints of the delineation labels on the benchmark villages (N = 300 … 100,000, both presets), and of the
print map's unit labels with its drawing times (``--print``).

A refactor of the delineator must leave the labels unchanged: run this before and after and compare the
``labels_sha256`` columns (``bench/results/labels_before.json`` holds the run before the round-2 pipeline).

    python bench/bench_labels.py bench/results/labels_after.json            # all sizes
    python bench/bench_labels.py /tmp/x.json 300 1000                        # some sizes
    python bench/bench_labels.py --compare bench/results/labels_before.json bench/results/labels_after.json
    python bench/bench_labels.py --heads off /tmp/x.json 300 1000 3000     # require_head=False (default: on)

Print-map labels (``--print``): the unit labels of ``yuanluo map --png/--pdf`` (``yuanluo.maps.static``) on a synthetic
town of 1,321 units (``make_village(25000, seed=0)`` delineated by ``yuanluo delineate`` over its rivers, roads and DEM
under changshou, seed 0) and a village of 100 units (3,000 households, seed 1, banan, no DEM), both made once in
the folder given (``--towns``, default ``/tmp/yuanluo-bench-print``). Each print map is drawn as the command draws
it (``read_result``, ``map_layers``, ``render_print_map``) and measured: CPU seconds of the whole drawing and of its
parts (label placing ``place_labels`` / ``place_clear`` / ``BoxGrid._free``, label measuring, label artists, canvas
drawing and saving), full garbage collections, and two fingerprints: the placed label centres (every call of
``place_labels`` and ``place_clear``, in order) and the file's bytes. The same code must give the same
fingerprints; ``--static`` draws with another ``maps/static.py`` (an older commit's) in place of the installed one::

    python bench/bench_labels.py --print /tmp/print_after.json
    git show 7f7e53d:maps/static.py > /tmp/old_static.py
    python bench/bench_labels.py --print /tmp/print_before.json --static /tmp/old_static.py
    python bench/bench_labels.py --compare-print /tmp/print_before.json /tmp/print_after.json

Per-unit sheets (``--sheets``): ``yuanluo map --per-unit`` (``render_unit_sheets``) on the village's 100 units (zh and
en) and on the town's first 100 units (zh), each timed in CPU seconds with the sha256 of its PDF. Before a change, run
it on an older tree: ``git archive <commit> gis planners maps yuanluo`` unpacked in a folder, a folder ``yuanluo``
holding that tree's ``yuanluo/*.py`` and links ``gis``, ``planners``, ``maps`` to it, given as ``PYTHONPATH`` (run
from outside the checkout, so that its ``yuanluo`` is not found first)::

    python bench/bench_labels.py --sheets /tmp/sheets_after.json
    (cd /tmp && PYTHONPATH=/tmp/old/shim python /work/main/bench/bench_labels.py --sheets /tmp/sheets_before.json)
"""

from __future__ import annotations

import functools
import gc
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.neighbours import build_graph
from yuanluo.gis.rules import Rules
from yuanluo.gis.synth import make_village

PRESETS = {"banan": Rules(20, 50, name="banan"), "changshou": Rules(15, 25, name="changshou")}
SIZES = [300, 1000, 3000, 10000, 100000]


def _sha(lines: Any) -> str:
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def fingerprints(sizes: list[int], require_head: bool = True) -> list[dict[str, Any]]:
    rows = []
    for n in sizes:
        for seed in [0, 1, 2] if n < 100_000 else [0]:
            v = make_village(n, seed=seed)
            g = build_graph(v.households, rivers=v.rivers, roads=v.roads)
            for name, rules in PRESETS.items():
                t = time.perf_counter()
                d = UnitDelineator.from_rules(rules, random_state=seed, require_head=require_head).fit(v.households, g)
                sec = time.perf_counter() - t
                lab = d.labels_.astype(str)
                row = {"n": n, "seed": seed, "rules": name, "seconds": round(sec, 3),
                       "labels_sha256": _sha(f"{i},{u}" for i, u in zip(lab.index, lab.values, strict=True)),
                       "status_sha256": _sha(d.status_.astype(str)), "units": int(len(d.units_))}
                rows.append(row)
                print(json.dumps(row), flush=True)
    return rows


def compare(before: Path, after: Path) -> int:
    """Print a before/after table; return the number of runs whose labels differ."""
    a = {(r["n"], r["seed"], r["rules"]): r for r in json.loads(before.read_text(encoding="utf-8"))}
    b = {(r["n"], r["seed"], r["rules"]): r for r in json.loads(after.read_text(encoding="utf-8"))}
    print("| N | seed | rules | units | labels | s before | s after |\n|---|---|---|---|---|---|---|")
    diff = 0
    for key in sorted(set(a) & set(b)):
        same = a[key]["labels_sha256"] == b[key]["labels_sha256"] and a[key]["status_sha256"] == b[key]["status_sha256"]
        diff += not same
        print(f"| {key[0]} | {key[1]} | {key[2]} | {b[key]['units']} | {'identical' if same else 'DIFFERENT'} | "
              f"{a[key]['seconds']:.2f} | {b[key]['seconds']:.2f} |")
    return diff


ROOT = Path(__file__).resolve().parents[1]
#: the print-map cases: name -> (town, format, paper, language)
PRINT_CASES = {
    "town A4 zh png": ("town", "png", "A4", "zh"),
    "town A3 en png": ("town", "png", "A3", "en"),
    "town A4 zh pdf": ("town", "pdf", "A4", "zh"),
    "village A4 zh png": ("village", "png", "A4", "zh"),
    "village A4 en pdf": ("village", "pdf", "A4", "en"),
}
#: the towns: name -> (households, seed, preset, over the DEM)
TOWNS = {"town": (25000, 0, "changshou", True), "village": (3000, 1, "banan", False)}


def _result(folder: Path, town: str) -> Path:
    """The delineation result of ``town`` (:data:`TOWNS`) in ``folder``, made by the command line the first time."""
    n, seed, preset, dem = TOWNS[town]
    d = folder / town
    out = d / "result.gpkg"
    if out.exists():
        return out
    d.mkdir(parents=True, exist_ok=True)
    if not (d / "households.gpkg").exists():
        make_village(n, seed=seed).write(d)
    ctx = d / "context.gpkg"
    cmd = [str(Path(sys.executable).with_name("yuanluo")), "--lang", "en", "delineate", str(d / "households.gpkg"),
           "--rivers", f"{ctx}::rivers", "--roads", f"{ctx}::roads", "--preset", preset, "--seed", str(seed),
           "-o", str(out), "-q"] + (["--dem", str(d / "dem.tif")] if dem else [])
    subprocess.run(cmd, check=True)
    return out


def _static(path: str | None) -> Any:
    """``yuanluo.maps.static``, or the module of the ``maps/static.py`` at ``path`` put in its place (beside the
    installed fonts), before anything imports it."""
    if path is None:
        from yuanluo.maps import static

        return static
    d = Path(tempfile.mkdtemp(prefix="bench-static-"))
    shutil.copy(path, d / "static.py")
    (d / "fonts").symlink_to(ROOT / "maps" / "fonts")
    spec = importlib.util.spec_from_file_location("yuanluo.maps.static", d / "static.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["yuanluo.maps.static"] = mod
    spec.loader.exec_module(mod)
    import yuanluo.maps

    yuanluo.maps.static = mod
    return mod


#: the parts of the drawing timed: (owner, attribute) -> name in the table
PARTS = {("static", "place_labels"): "place_labels", ("static", "place_clear"): "place_clear",
         ("BoxGrid", "_free"): "BoxGrid._free", ("static", "_text_wh"): "label measuring",
         ("static", "_texts_wh"): "label measuring", ("static", "_draw_label"): "label artists",
         ("static", "_key_pages"): "key pages", ("FigureCanvasAgg", "draw"): "canvas drawing (PNG)",
         ("Figure", "savefig"): "saving", ("PdfPages", "savefig"): "saving"}


def print_rows(folder: Path, static_path: str | None = None) -> list[dict[str, Any]]:
    """Draw every :data:`PRINT_CASES` map once, timed part by part (CPU seconds of this thread)."""
    static = _static(static_path)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    from yuanluo.maps.interactive import units_as_the_households_have_them
    from yuanluo.planners import workflows as W

    owners = {"static": static, "BoxGrid": static.BoxGrid, "FigureCanvasAgg": FigureCanvasAgg, "Figure": Figure,
              "PdfPages": PdfPages}
    spent: dict[str, float] = {}
    placed: list[bytes] = []
    busy: set[str] = set()  # a part inside itself (savefig calls savefig) counts once

    def timed(f: Any, name: str) -> Any:
        @functools.wraps(f)
        def g(*a: Any, **k: Any) -> Any:
            if name in busy:
                return f(*a, **k)
            busy.add(name)
            t = time.thread_time()
            try:
                out = f(*a, **k)
            finally:
                spent[name] = spent.get(name, 0.0) + time.thread_time() - t
                busy.discard(name)
            if f.__name__ in ("place_labels", "place_clear"):
                placed.append(out.tobytes())
            return out
        return g

    for (owner, attr), name in PARTS.items():
        if hasattr(owners[owner], attr):
            setattr(owners[owner], attr, timed(getattr(owners[owner], attr), name))
    rows = []
    for case, (town, fmt, paper, lang) in PRINT_CASES.items():
        res = _result(folder, town)
        layers, _ = W.read_result(res, dem=None)
        layers, _ = units_as_the_households_have_them(W.map_layers(layers), lang)
        spent.clear()
        placed.clear()
        gc.collect()
        full = gc.get_stats()[2]["collections"]
        t, cpu = time.perf_counter(), time.thread_time()
        b = static.render_print_map(layers, fmt=fmt, paper=paper, lang=lang,
                                    osm_attribution=W.has_osm_credit(layers))
        cpu, wall = time.thread_time() - cpu, time.perf_counter() - t
        row = {"case": case, "units": int(len(layers["units"])), "cpu_s": round(cpu, 2), "wall_s": round(wall, 2),
               "full_gc": gc.get_stats()[2]["collections"] - full,
               "parts_cpu_s": {k: round(v, 2) for k, v in sorted(spent.items(), key=lambda kv: -kv[1])},
               "labels_sha256": hashlib.sha256(b"".join(placed)).hexdigest()[:16],
               "bytes_sha256": hashlib.sha256(b).hexdigest()[:16], "load": [round(x, 2) for x in os.getloadavg()]}
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    return rows


#: the per-unit sheets timed: name -> (town, language, how many of its units, in id order; None: all)
SHEET_CASES = {"village 100 sheets zh": ("village", "zh", None), "village 100 sheets en": ("village", "en", None),
               "town first 100 sheets zh": ("town", "zh", 100)}


def sheet_rows(folder: Path) -> list[dict[str, Any]]:
    """Draw every :data:`SHEET_CASES` PDF once as ``yuanluo map --per-unit`` does; CPU seconds and bytes."""
    from yuanluo.maps.interactive import units_as_the_households_have_them
    from yuanluo.maps.static_units import render_unit_sheets
    from yuanluo.planners import workflows as W

    rows = []
    for case, (town, lang, first) in SHEET_CASES.items():
        layers, _ = W.read_result(_result(folder, town), dem=None)
        layers, _ = units_as_the_households_have_them(W.map_layers(layers), lang)
        ids = sorted(set(layers["households"]["unit_id"].dropna().astype(str)))
        gc.collect()
        cpu = time.thread_time()
        b = render_unit_sheets(layers, lang=lang, osm_attribution=W.has_osm_credit(layers),
                               units=ids[:first] if first else None)
        row = {"case": case, "sheets": len(ids[:first] if first else ids), "cpu_s": round(time.thread_time() - cpu, 2),
               "bytes_sha256": hashlib.sha256(b).hexdigest()[:16], "load": [round(x, 2) for x in os.getloadavg()]}
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    return rows


def compare_print(before: Path, after: Path) -> int:
    """Print a before/after table of two ``--print`` runs; return the number of maps whose labels or bytes differ."""
    a = {r["case"]: r for r in json.loads(before.read_text(encoding="utf-8"))}
    b = {r["case"]: r for r in json.loads(after.read_text(encoding="utf-8"))}
    print("| map | units | labels | bytes | CPU s before | CPU s after | after/before |\n|---|---|---|---|---|---|---|")
    diff = 0
    for case in [c for c in a if c in b]:
        x, y = a[case], b[case]
        same = [x[k] == y[k] for k in ("labels_sha256", "bytes_sha256")]
        diff += not all(same)
        print(f"| {case} | {y['units']} | {'identical' if same[0] else 'DIFFERENT'} | "
              f"{'identical' if same[1] else 'DIFFERENT'} | {x['cpu_s']:.2f} | {y['cpu_s']:.2f} | "
              f"{y['cpu_s'] / x['cpu_s']:.2f} |")
    for case in [c for c in a if c in b]:
        x, y = a[case]["parts_cpu_s"], b[case]["parts_cpu_s"]
        print(f"\n{case} (CPU s, before -> after; full garbage collections {a[case]['full_gc']} -> "
              f"{b[case]['full_gc']}):")
        for part in dict.fromkeys([*x, *y]):
            print(f"- {part}: {x.get(part, 0.0):.2f} -> {y.get(part, 0.0):.2f}")
    return diff


if __name__ == "__main__":
    if sys.argv[1] == "--compare":
        sys.exit(1 if compare(Path(sys.argv[2]), Path(sys.argv[3])) else 0)
    if sys.argv[1] == "--compare-print":
        sys.exit(1 if compare_print(Path(sys.argv[2]), Path(sys.argv[3])) else 0)
    if sys.argv[1] == "--print":
        opts = dict(zip(sys.argv[3::2], sys.argv[4::2], strict=True))
        rows = print_rows(Path(opts.get("--towns", "/tmp/yuanluo-bench-print")), opts.get("--static"))
        Path(sys.argv[2]).write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
        sys.exit(0)
    if sys.argv[1] == "--sheets":
        opts = dict(zip(sys.argv[3::2], sys.argv[4::2], strict=True))
        rows = sheet_rows(Path(opts.get("--towns", "/tmp/yuanluo-bench-print")))
        Path(sys.argv[2]).write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
        sys.exit(0)
    args = sys.argv[1:]
    heads = True
    if args[0] == "--heads":
        heads = {"on": True, "off": False}[args[1]]
        args = args[2:]
    out = Path(args[0])
    rows = fingerprints([int(s) for s in args[1:]] or SIZES, require_head=heads)
    out.write_text(json.dumps(rows, indent=1), encoding="utf-8")
