"""bench/bench_map_phone.py (the field map on a throttled phone) on a tiny map: the results' shape, and a rerun
keeping the hand-written findings below its line. No time is asserted, only that each was measured."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from browser import require_browser  # tests/ is on sys.path under pytest

from yuanluo.maps.interactive import save_map
from yuanluo.maps.sample import sample_layers

pytestmark = pytest.mark.browser
SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "bench_map_phone.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_map_phone", SCRIPT)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_phone_bench_on_a_tiny_map_writes_every_measure_and_keeps_the_findings(tmp_path):
    require_browser()
    bench = _bench()
    layers = sample_layers(60, block=5, seed=7)
    page = save_map(layers, tmp_path / "tiny.html", lang="en")
    out = tmp_path / "phone"
    out.with_suffix(".md").write_text(f"old table\n\n{bench.KEEP}\n## Findings by hand\n\nkeep me\n", encoding="utf-8")

    assert bench.main([str(page), "--out", str(out), "--rate", "1", "--dpr", "1", "--shots", str(tmp_path / "s")]) == 0

    result = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert result["settings"] == {"viewport": "360 × 640", "dpr": 1.0, "rate": 1.0, "runs": 1}
    [p] = result["pages"]
    assert p["label"] == "tiny" and p["households"] == 60 and p["units"] >= 1 and p["mb"] > 0
    [run] = p["runs"]
    for key in ("fcp_ms", "first_map_painted_ms", "longest_task_loading_ms", "js_heap_mb"):
        assert isinstance(run[key], int), key
    assert run["first_map_painted_ms"] >= run["map_ready_ms"] > 0
    assert run["tap"] is not None and isinstance(run["tap"]["touch_to_card_ms"], int)
    assert run["search"] is not None and isinstance(run["search"]["keydown_to_painted_ms"], int)
    assert len(run["pinch_end_to_painted_ms"]) == 3 and len(run["zoom_step_painted_ms"]) == 4
    assert all(isinstance(ms, int) for ms in run["pinch_end_to_painted_ms"] + run["zoom_step_painted_ms"])
    assert run["console_errors"] == [] and run["external_requests"] == []
    for shot in ("start", "card", "search", "pinch"):
        assert (tmp_path / f"s_tiny_1_{shot}.png").stat().st_size > 1000

    md = out.with_suffix(".md").read_text(encoding="utf-8")
    assert md.startswith("# Field map on a cheap phone") and "old table" not in md
    assert "| first map painted | " in md and "tiny (60 households" in md
    assert md.endswith(f"{bench.KEEP}\n## Findings by hand\n\nkeep me\n")
