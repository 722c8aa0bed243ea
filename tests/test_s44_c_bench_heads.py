"""bench/bench_heads.py (issue 13's benchmark, heads off against on): the engine it measures, what it counts.

- It measured whatever checkout the editable install points at: run from a worktree of another commit (as
  the sessions' benchmarks are, so that other helpers' edits do not leak in) it timed the main checkout's
  files. It now imports the ``yuanluo`` packages of the checkout holding the script and records its commit.
- A short area's shortfall is written on each of its units lacking a head; the table summed it per unit
  (1,000 households seed 2, changshou: 11 where the short areas lack 4 candidates).
- ``--rules`` runs one preset (100,000 households is one job per preset).

Each case runs the script in a fresh interpreter: importing it chooses the engine.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "bench_heads.py"

STUBS = {
    "yuanluo/__init__.py": "",
    "gis/__init__.py": "",
    "maps/__init__.py": "",
    "planners/__init__.py": "",
    "gis/cluster.py": "import sys\nprint('stub engine ' + __file__, file=sys.stderr)\nclass UnitDelineator: ...\n",
    "gis/neighbours.py": "def build_graph(*a, **k): ...\n",
    "gis/rules.py": "class Rules:\n    def __init__(self, *a, **k): ...\n",
    "gis/synth.py": "def make_village(*a, **k): ...\n",
}


def _python(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, check=False, cwd=cwd,
                          timeout=300)


def test_the_engine_is_the_checkout_holding_the_script(tmp_path: Path) -> None:
    """A copy of the script in a checkout whose engine is a stub imports the stub, not the installed one."""
    for rel, text in STUBS.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    (tmp_path / "bench").mkdir()
    shutil.copy(BENCH, tmp_path / "bench" / "bench_heads.py")
    out = _python(str(tmp_path / "bench" / "bench_heads.py"), "--help")
    assert out.returncode == 0, out.stderr
    assert f"stub engine {tmp_path / 'gis' / 'cluster.py'}" in out.stderr
    assert "--rules" in out.stdout


def test_shortfall_counts_once_per_area() -> None:
    """Two units of an area without a candidate that needs two: a shortfall of 2 (was 4); an area short of one
    candidate whose split left two units lacking: shortfall 1, one unit lacking beyond it."""
    code = f"""
import importlib.util, json, pandas as pd
spec = importlib.util.spec_from_file_location("bh", {str(BENCH)!r})
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
a = json.dumps({{"shortfall": 2, "area_lack": 2, "area_units": 2, "candidates": 0, "needed": 2}})
b = json.dumps({{"shortfall": 1, "area_lack": 2, "area_units": 2, "candidates": 6, "needed": 7}})
u = pd.DataFrame({{"status": ["exception"] * 5 + ["ok"], "has_head": [False] * 5 + [True],
                  "code": ["HEAD-SHORT"] * 5 + [""],
                  "reason_params": [a, a, b, b, json.dumps({{"proven": True}}), "{{}}"]}})
print(json.dumps(m.head_counts(u)))
"""
    out = _python("-c", code)
    assert out.returncode == 0, out.stderr
    c = json.loads(out.stdout)
    assert (c["head_short"], c["head_short_shortfall"], c["head_short_beyond"], c["head_short_proven"]) == (5, 3, 1, 1)
    assert (c["no_head"], c["ok_no_head"], c["units"]) == (5, 0, 6)


def test_one_preset_rows_name_the_engine(tmp_path: Path) -> None:
    """``--rules banan`` on a small village: two rows (heads off, on), banan only, each with its engine commit
    (this checkout's, ``+`` if its gis/ has changes), CPU seconds and the units tables written."""
    out = _python(str(BENCH), str(tmp_path / "h"), "300", "--rules", "banan", "--units", str(tmp_path / "u"))
    assert out.returncode == 0, out.stderr
    rows = json.loads((tmp_path / "h.json").read_text(encoding="utf-8"))
    assert [(r["rules"], r["require_head"]) for r in rows] == [("banan", False), ("banan", True)]
    head = subprocess.run(["git", "-C", str(BENCH.parents[1]), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True, check=False).stdout.strip()
    assert all(r["engine"].rstrip("+") == (head or "unknown") for r in rows)
    assert all(r["cpu_seconds"] > 0 for r in rows)
    assert sorted(p.name for p in (tmp_path / "u").iterdir()) == ["300_0_banan_off.csv", "300_0_banan_on.csv"]
    assert "| 300 | banan |" in (tmp_path / "h.md").read_text(encoding="utf-8")
