"""bench/bench_head_steps.py (issue 13, session 46): the walk of every area after each step of the head stage.

Its hooks only read the units (the fits are the engine's own, label for label), every step's total is the sum of
its areas, and the steps of the head stage run only with the rule on.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import bench_head_steps as steps  # noqa: E402


@pytest.fixture(scope="module")
def village():
    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.synth import make_village

    v = make_village(1000, seed=0)
    return v.households, build_graph(v.households, rivers=v.rivers, roads=v.roads)


def test_hooks_leave_the_fit_as_it_is(village) -> None:
    hh, g = village
    est = steps.cluster.UnitDelineator.from_rules(steps.PRESETS["changshou"], random_state=0, require_head=True)
    plain = est.fit(hh, g).labels_.copy()
    snaps: list = []
    undo = steps.hooked(snaps)
    try:
        seen = steps.cluster.UnitDelineator.from_rules(steps.PRESETS["changshou"], random_state=0,
                                                       require_head=True).fit(hh, g).labels_
    finally:
        undo()
    assert seen.equals(plain)
    labels = [s[0] for s in snaps]
    assert labels.index("soft search") < labels.index("head_fix: pairs") < labels.index("head_fix") \
        < labels.index("chain_moves") < labels.index("spare_windows") < labels.index("settlements whole")
    assert steps.cluster.head_fix.__name__ == "head_fix"  # undone


def test_steps_add_up_and_run_only_with_the_rule() -> None:
    row = steps.run(1000, 0, "changshou")
    for side in ("off", "on"):
        r = row[side]
        final = sum(a[0] for a in r["areas"].values())
        assert r["steps"]["settlements whole"] == pytest.approx(final, abs=1e-2)
        # the units table walks household → meeting point over the graph: within a few tenths of the units' own
        assert r["walk"] == pytest.approx(final, rel=0.01)
        assert sum(a[3] for a in r["areas"].values()) == 1000
    assert "head_fix: pairs" not in row["off"]["steps"]  # no head stage without the rule
    assert row["off"]["steps"]["head_fix"] == row["off"]["steps"]["soft search"]
    assert set(row["on"]["areas"]) == set(row["off"]["areas"])  # the same areas both ways
    md = steps.table([row]).splitlines()
    assert md[2].startswith("| soft search |") and md[-1].startswith("| units table (final) |") and " %)" in md[-1]
