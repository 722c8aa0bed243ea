"""Re-delineation around locked units (gis.lock, ``delineate --plan --lock``): locked households kept exactly,
fresh ids that do not collide, deterministic, no worse under the check than a plain delineation."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

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


# ---------------------------------------------------------------------------------------------------------------
# the locked units as the planner gave them: yes-words, breaches said and declared, union, lists, valid, ids kept
TERRAIN_ARGS = ("--min", "15", "--max", "25")


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plain result of the synthetic village (15–25 households), its ``run`` and declared exceptions with it."""
    folder = tmp_path_factory.mktemp("lockfix")
    src = synth_result(folder)
    out = folder / "first.gpkg"
    res = runner.invoke(app, ["delineate", f"{src}::households", "--rivers", f"{src}::rivers", "--roads",
                              f"{src}::roads", *TERRAIN_ARGS, "-o", str(out)])
    assert res.exit_code == 0, res.output
    return out


def _units(path: Path) -> pd.DataFrame:
    u = gpd.read_file(path, layer="units")
    return pd.DataFrame(u.drop(columns="geometry")).set_index("unit_id")


def _plan_of(path: Path) -> pd.Series:
    hh = gpd.read_file(path, layer="households")
    return pd.Series(hh["unit_id"].astype(str).to_numpy(), index=hh["hid"].astype(str).to_numpy())


def _write_plan(path: Path, lab: pd.Series, marks: dict[str, str], encoding: str = "utf-8-sig") -> Path:
    pd.DataFrame({"户编号": lab.index, "院落编号": lab.to_numpy(),
                  "锁定": [marks.get(u, "") for u in lab]}).to_csv(path, index=False, encoding=encoding)
    return path


def _lock_run(first: Path, out: Path, *extra: str, lang: str = "zh") -> Any:
    return runner.invoke(app, ["delineate", str(first), *TERRAIN_ARGS, *extra, "-o", str(out), "--lang", lang])


def test_lock_column_takes_the_yes_words_of_yes_no_columns_and_names_the_others(tmp_path: Path) -> None:
    from yuanluo.gis.lock import read_lock_column

    lab = pd.Series([f"U{i}" for i in range(1, 10)], index=[str(i) for i in range(1, 10)])
    marks = {"U1": "√", "U2": "✓", "U3": "锁定", "U4": "Locked", "U5": "Y", "U6": "是", "U7": "也许", "U8": "否",
             "U9": "maybe"}
    units, probs = read_lock_column(_write_plan(tmp_path / "p.csv", lab, marks))
    assert units == ["U1", "U2", "U3", "U4", "U5", "U6"]
    assert [(q.code, q.severity, q.rows, q.file) for q in probs] == [("LOCK-VALUE", "warning", (8, 10), "p.csv")]
    assert "也许" in probs[0].message("zh") and "maybe" in probs[0].message("en") and "U9" in probs[0].message("en")


def test_a_ticked_lock_column_locks_and_an_unknown_value_is_said(first: Path, tmp_path: Path) -> None:
    plan = _plan_of(first)
    units = sorted(set(plan))
    path = _write_plan(tmp_path / "plan.csv", plan, {units[0]: "√", units[1]: "x?"})
    out = tmp_path / "out.gpkg"
    res = _lock_run(first, out, "--plan", str(path), lang="en")
    assert res.exit_code == 0, res.output
    hh = gpd.read_file(out, layer="households")
    assert set(hh.loc[hh["unit_status"] == "locked", "unit_id"]) == {units[0]}
    assert "LOCK-VALUE" in res.output and "x?" in res.output and f"{units[0]} (the plan's lock column)" in res.output


def test_locked_units_breaking_rules_are_said_and_the_result_passes_its_check(first: Path, tmp_path: Path) -> None:
    plan = _plan_of(first)
    units0 = _units(first)
    ok = units0.index[units0["status"] == "ok"].tolist()
    big, small = ok[0], ok[2]
    lab = plan.copy()
    lab[lab == ok[1]] = big  # two units as one: above the band
    half = lab.index[lab == small][: int((lab == small).sum()) // 2]
    lab[half] = ok[3]  # half a unit: below it
    path = _write_plan(tmp_path / "plan.csv", lab, {})
    out, xlsx = tmp_path / "out.gpkg", tmp_path / "out.xlsx"
    res = _lock_run(first, out, "--plan", str(path), "--lock", f"{big}，{small}", "--xlsx", str(xlsx))
    assert res.exit_code == 0, res.output
    units = _units(out)
    for u, code in ((big, "SIZE-HIGH"), (small, "SIZE-LOW")):
        assert units.loc[u, "status"] == "locked" and units.loc[u, "code"] == "LOCK-BREACH"
        assert f"({code})" in units.loc[u, "reason"] or f"（{code}）" in units.loc[u, "reason"]
        assert f"锁定的院落 {u}" in res.output
    assert "LOCK-BREACH" in res.output and "划分提示" in res.output
    assert "违反规则的锁定院落（按要求保留）" in res.output
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx)["院落汇总"]
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True)}
    head = rows["院落编号"]
    assert "LOCK-BREACH" in str(rows[big][head.index("原因")])
    # the result passes its own check: the locked units' breaches are declared
    chk = runner.invoke(app, ["check", str(out), *TERRAIN_ARGS, "--lang", "en"])
    assert chk.exit_code == 0, chk.output
    assert "DECLARED-EXCEPTION" in chk.output and "this locked unit" in chk.output
    # locked again from that result: the same breaches, said once, and that result passes its check too
    again = tmp_path / "again.gpkg"
    res = _lock_run(out, again, "--lock", f"{big},{small}")
    assert res.exit_code == 0, res.output
    assert _units(again).loc[[big, small], "reason"].tolist() == units.loc[[big, small], "reason"].tolist()
    assert runner.invoke(app, ["check", str(again), *TERRAIN_ARGS]).exit_code == 0
    # changed by hand after, a locked unit is the planner's again and keeps every rule
    hh = gpd.read_file(out, layer="households")
    moved = hh.index[hh["unit_id"] == small][0]
    hh.loc[moved, "unit_id"] = ok[3]
    edited = tmp_path / "edited.csv"
    pd.DataFrame({"户编号": hh["hid"], "院落编号": hh["unit_id"]}).to_csv(edited, index=False, encoding="utf-8-sig")
    chk = runner.invoke(app, ["check", str(out), *TERRAIN_ARGS, "--plan", str(edited)])
    assert chk.exit_code == 1 and "SIZE-LOW" in chk.output


def test_lock_option_and_lock_column_together(first: Path, tmp_path: Path) -> None:
    plan = _plan_of(first)
    units = sorted(set(plan))
    path = _write_plan(tmp_path / "plan.csv", plan, {units[0]: "是"})
    out = tmp_path / "out.gpkg"
    res = _lock_run(first, out, "--plan", str(path), "--lock", f"{units[1]}、{units[2]} ；{units[0]}")
    assert res.exit_code == 0, res.output
    assert sorted(_units(out).query("locked").index) == units[:3]
    assert f"锁定的院落：{units[0]}（方案表锁定列、--lock 指定）；{units[1]}、{units[2]}（--lock 指定）" in res.output


def test_lock_valid_leaves_exceptions_and_a_locked_exception_keeps_its_reason(first: Path, tmp_path: Path) -> None:
    units0 = _units(first)
    exc = units0.index[units0["status"] == "exception"].tolist()
    assert exc
    out = tmp_path / "valid.gpkg"
    res = _lock_run(first, out, "--lock", "valid")
    assert res.exit_code == 0, res.output
    units = _units(out)
    locked = set(units.index[units["locked"]])
    assert not locked & set(exc) and locked <= set(units0.index[units0["status"] == "ok"])
    out2 = tmp_path / "one.gpkg"
    res = _lock_run(first, out2, "--lock", exc[0], lang="en")
    assert res.exit_code == 0, res.output
    row = _units(out2).loc[exc[0]]
    assert row["code"] == "LOCK-BREACH" and units0.loc[exc[0], "code"] in row["reason"]
    assert "locked units breaking the rules (kept as asked)" in res.output and "Delineation notes" in res.output


def test_units_the_redelineation_leaves_as_they_were_keep_their_plan_ids() -> None:
    c = synth_case()
    ids = sorted(set(_plain()))
    plain = _plain().map(dict(zip(ids, ids[::-1], strict=True)))  # the plan's ids are not the delineator's order
    lock = ids[:1]
    res = delineate_around(c.households, c.graph, plain, lock,
                           functools.partial(UnitDelineator.from_rules, RULES, random_state=0))
    same = [u for u, g in plain.groupby(plain) if u not in lock and (res.labels[g.index] == u).all()
            and int((res.labels == u).sum()) == len(g)]
    assert len(same) >= len(set(plain)) // 2
    assert len(res.changes) < int((~plain.isin(lock)).sum()) // 2
    assert res.labels.nunique() == len(set(res.labels))  # ids unique
