"""Re-delineation around locked units (gis.lock, ``delineate --plan --lock``): locked households kept exactly,
fresh ids that do not collide, deterministic, no worse under the check than a plain delineation."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from editor_fixtures import synth_case, synth_result
from typer.testing import CliRunner

from yuanluo.gis.check import check_plan
from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.errors import InputError
from yuanluo.gis.lock import delineate_around, resolve_locks
from yuanluo.gis.rules import Rules
from yuanluo.planners.cli import app

RULES = Rules(15, 25)
runner = CliRunner()


@functools.lru_cache(maxsize=1)
def _plain() -> pd.Series:
    c = synth_case()
    return UnitDelineator.from_rules(RULES, random_state=0).fit(c.households, c.graph).labels_.astype(str)


def _scrambled(plain: pd.Series, keep: list[str]) -> pd.Series:
    """The plan with the households of every other unit dealt out round-robin (a broken plan)."""
    lab = plain.copy()
    free = np.flatnonzero(~lab.isin(keep).to_numpy())
    others = sorted(set(lab.iloc[free]))
    lab.iloc[free] = [others[i % len(others)] for i in range(len(free))]
    return lab


def test_locked_units_are_kept_and_the_rest_is_redelineated() -> None:
    c = synth_case()
    plain = _plain()
    before = check_plan(c.households, plain, RULES, graph=c.graph)
    ok = before.units.loc[before.units["status"] == "ok", "unit_id"].tolist()
    lock = ok[:3]
    plan = _scrambled(plain, lock)
    make = functools.partial(UnitDelineator.from_rules, RULES, random_state=0)
    res = delineate_around(c.households, c.graph, plan, lock, make)
    again = delineate_around(c.households, c.graph, plan, lock, make)
    assert res.labels.equals(again.labels)  # deterministic
    is_locked = plan.isin(lock).to_numpy()
    assert (res.labels[is_locked] == plan[is_locked]).all()  # locked households exactly as they were
    assert not res.labels[~is_locked].isin(lock).any()  # fresh ids never collide with a locked unit
    assert len(res.changes) > 0 and set(res.changes["hid"]) <= set(plan.index[~is_locked])
    after = check_plan(c.households, res.labels, RULES, graph=c.graph)
    assert not after.units.loc[after.units["unit_id"].isin(lock), "codes"].map(len).any()
    # the broken plan is repaired to what a plain delineation reaches
    assert not check_plan(c.households, plan, RULES, graph=c.graph).passed
    assert set(after.codes) <= set(before.codes)
    assert int((after.violations["severity"] == "error").sum()) <= int((before.violations["severity"] == "error").sum())


def test_resolve_locks_refuses_unknown_units() -> None:
    lab = pd.Series(["A", "B"], index=["1", "2"])
    with pytest.raises(InputError) as exc:
        resolve_locks("A,Z", lab, [], lambda: [])
    assert exc.value.problems[0].code == "LOCK-UNKNOWN"


def test_delineate_with_plan_and_lock_cli(tmp_path: Path) -> None:
    result = synth_result(tmp_path)
    c = synth_case()
    plain = _plain()
    lock = sorted(set(plain))[:2]
    plan = tmp_path / "plan.csv"
    lab = _scrambled(plain, lock)
    flag = ["是" if u == lock[0] else "" for u in lab]
    pd.DataFrame({"户编号": lab.index, "院落编号": lab.to_numpy(), "锁定": flag}).to_csv(plan, index=False,
                                                                                   encoding="utf-8-sig")
    base = ["delineate", f"{result}::households", "--rivers", f"{result}::rivers", "--roads", f"{result}::roads",
            "--min", "15", "--max", "25", "--plan", str(plan)]
    out = tmp_path / "locked.gpkg"
    res = runner.invoke(app, [*base, "--lock", ",".join(lock), "-o", str(out), "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "households whose unit changed" in res.output
    hh = gpd.read_file(out, layer="households").set_index("hid")
    hh.index = hh.index.astype(str)
    kept = lab[lab.isin(lock)]
    assert (hh.loc[kept.index, "unit_id"] == kept).all() and (hh.loc[kept.index, "unit_status"] == "locked").all()
    assert len(gpd.read_file(out, layer="lock_changes")) > 0
    # every new exception unit states why, in the run's language; locked and ok units have no reason
    units = gpd.read_file(out, layer="units")
    exc = units[units["status"] == "exception"]
    assert len(exc) and (exc["code"] != "").all() and all(f"({c}): " in r for c, r in zip(exc["code"], exc["reason"], strict=True))
    assert (units.loc[units["status"] != "exception", "reason"] == "").all()
    # the lock column of the plan: only lock[0]
    out2 = tmp_path / "recorded.gpkg"
    assert runner.invoke(app, [*base, "-o", str(out2)]).exit_code == 0
    hh2 = gpd.read_file(out2, layer="households")
    assert set(hh2.loc[hh2["unit_status"] == "locked", "unit_id"]) == {lock[0]}
    assert len(hh2) == len(c.households)
    bad = tmp_path / "bad.gpkg"
    res = runner.invoke(app, [*base, "--lock", "NOPE", "-o", str(bad)])
    assert res.exit_code == 2 and "LOCK-UNKNOWN" in res.output and not bad.exists()


def test_lock_on_a_result_is_a_whole_result(tmp_path: Path) -> None:
    """``delineate result.gpkg --lock …`` without ``--plan`` locks units of the result's own plan, and writes the
    layers of a plain result: fresh walking minutes (not the input's), heads and walk of the locked units as
    the result had them, unit adjacency and the hierarchy (layer and ``--hierarchy`` file)."""
    src = synth_result(tmp_path)
    terrain = ["--rivers", f"{src}::rivers", "--roads", f"{src}::roads", "--min", "15", "--max", "25"]
    first = tmp_path / "first.gpkg"
    assert runner.invoke(app, ["delineate", f"{src}::households", *terrain, "-o", str(first)]).exit_code == 0
    units0 = gpd.read_file(first, layer="units").set_index("unit_id")
    lock = units0.index[units0["status"] == "ok"][:2].tolist()
    out, tree = tmp_path / "locked.gpkg", tmp_path / "tree.json"
    res = runner.invoke(app, ["delineate", str(first), *terrain, "--lock", ",".join(lock), "-o", str(out),
                              "--hierarchy", str(tree), "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert tree.exists() and {"hierarchy", "unit_adjacency", "lock_changes"} <= {
        str(n) for n in gpd.list_layers(out)["name"]}
    units = gpd.read_file(out, layer="units").set_index("unit_id")
    assert set(units0.columns) <= set(units.columns) and sorted(units.index[units["locked"]]) == sorted(lock)
    cols = ["n_households", "meeting_hid", "n_heads", "head_hid", "head_candidates"]
    assert units.loc[lock, cols].equals(units0.loc[lock, cols])
    assert np.allclose(units.loc[lock, "mean_walk_min"], units0.loc[lock, "mean_walk_min"])
    hh = gpd.read_file(out, layer="households").set_index("hid")
    walk = hh.groupby("unit_id")["meeting_walk_min"].mean()
    assert np.allclose(walk.reindex(units.index), units["mean_walk_min"], atol=0.01, equal_nan=True)
    hier = gpd.read_file(out, layer="hierarchy").set_index("hid")
    assert hier["unit_id"].reindex(hh.index).equals(hh["unit_id"])
    # the editor of the lock result starts with the units it kept locked
    from yuanluo.planners.cli.edit import build_editor

    html, _ = build_editor(out, RULES)
    assert '"locks":' + json.dumps(sorted(lock)).replace(" ", "") in html
    # households that are not a result have no plan of their own
    bad = tmp_path / "bad.gpkg"
    res = runner.invoke(app, ["delineate", f"{src}::households", *terrain, "--lock", lock[0], "-o", str(bad)])
    assert res.exit_code == 2 and "LOCK-NO-PLAN" in res.output and not bad.exists()
