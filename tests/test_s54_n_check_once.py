"""One check of a plan builds each nest key of its households once; a result's layers and run table are read once
per command (session 54, helper N).

``check_plan`` built the nest key of the same households once per rule that read it: the size rule's islands
(``_isolated_units``) and the column cutting each off, the contiguity rule's long joins, the nesting rule (and
the labels it names the groups by), the settlement pieces, the head rule's areas; and the size rule's islands
twice where the contiguity rule asked for them again. ``yuanluo check`` of 3,000 households in 4 villages and 26
villager groups, a plan with 200 findings: 10 nest keys built (7 of village and group, 3 of the village), now 2.
The plan context (``PlanContext.nest_key``) builds each set of key columns once, the islands and long joins are
found once; the findings, reports and map are the same byte for byte.

``yuanluo check`` of a result listed its layers five times and read its ``run`` table nine times
(``planners.workflows``: the households, their source, the meeting points, the declared exceptions, the rules; each
asked ``result_layers``, which read the run table's tool row, and three read the whole table again). Now each is
read once while the file stays as it is (its path, inode, size and times): a result written again is read again.
"""

from __future__ import annotations

import os
import shutil
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from badfiles import HEADER, good_rows, write_csv
from typer.testing import CliRunner

import yuanluo.gis.check as check
import yuanluo.gis.keys as keys
from yuanluo.gis.check import check_plan
from yuanluo.gis.neighbours import build_graph
from yuanluo.gis.rules import Rules
from yuanluo.gis.synth import make_village
from yuanluo.planners import workflows
from yuanluo.planners.cli import app


@pytest.fixture(scope="module")
def village() -> Any:
    return make_village(400, seed=3)


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> Counter[tuple[str, ...]]:
    """The nest keys built, by their key columns (``keys.nest_key`` wherever it is called from)."""
    seen: Counter[tuple[str, ...]] = Counter()
    real = keys.nest_key

    def counting(frame: pd.DataFrame, nest_by: Any) -> np.ndarray:
        seen[tuple(keys.key_columns(frame, nest_by))] += 1
        return real(frame, nest_by)

    monkeypatch.setattr(keys, "nest_key", counting)
    monkeypatch.setattr(check, "nest_key", counting)
    return seen


def _plan(hh: pd.DataFrame) -> pd.Series:
    """Units of 25 households along x within each group, then a few households moved to another unit and two units
    of different groups merged: findings of nesting, contiguity, size, settlements and heads."""
    x = hh.geometry.x.to_numpy()
    order = np.lexsort((x, hh["group"].to_numpy()))
    lab = np.empty(len(hh), dtype=object)
    for rank, i in enumerate(order):
        lab[i] = f"{hh['group'].iloc[i]}-{rank // 25:02d}"
    units = sorted(set(lab))
    rng = np.random.default_rng(1)
    for i in rng.choice(len(hh), 12, replace=False):
        lab[i] = units[int(rng.integers(len(units)))]
    lab[lab == units[0]] = units[-1]
    return pd.Series(lab, index=hh.index)


def test_each_nest_key_built_once(village: Any, built: Counter[tuple[str, ...]]) -> None:
    hh = village.households
    g = build_graph(hh, rivers=village.rivers, roads=village.roads)
    built.clear()
    res = check_plan(hh, _plan(hh), Rules(20, 30, require_head=True), graph=g)
    codes = set(res.violations["code"])
    assert {"PLAN-CROSS-GROUP", "PLAN-NONCONTIG", "PLAN-SETTLEMENT-SPLIT", "SIZE-HIGH"} <= codes, codes
    assert dict(built) == {("village",): 1, ("village", "group"): 1}  # was 3 and 7


def test_islands_and_long_joins_found_once(village: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The size rule's islands, which the contiguity rule reads again where a unit is joined over a long edge, and
    the long joins both read: once each."""
    hh = village.households
    g = build_graph(hh, rivers=village.rivers, roads=village.roads, max_walk_min=1.0)
    assert (g.cut["reason"] == "length").any()
    calls: Counter[str] = Counter()
    real = check.island_links

    def counting(*a: Any, **kw: Any) -> Any:
        calls["island_links", kw.get("apart", False)] += 1
        return real(*a, **kw)

    monkeypatch.setattr(check, "island_links", counting)
    res = check_plan(hh, _plan(hh), Rules(20, 30, join_limit_min=30.0), graph=g)
    assert "PLAN-LONG-JOIN" in set(res.violations["code"])
    assert calls[("island_links", True)] == 1  # was 3: the islands twice, the contiguity rule's long joins


def test_nest_labels_take_the_key(village: Any) -> None:
    hh = village.households
    for cols in (["village"], ["village", "group"]):
        key = keys.nest_key(hh, cols)
        assert keys.nest_labels(hh, cols, key=key).tolist() == keys.nest_labels(hh, cols).tolist()


def _reads(monkeypatch: pytest.MonkeyPatch, path: Path) -> Counter[str]:
    """The layer listings and ``run`` table reads of ``path`` that ``planners/workflows.py`` asks for."""
    import pyogrio

    seen: Counter[str] = Counter()
    own = str(Path(workflows.__file__))
    package = tuple(str(Path(workflows.__file__).parents[1] / d) + os.sep for d in ("gis", "planners", "maps"))

    def asked() -> bool:  # workflows.py asked (itself, or through gis.io's reader)
        ours = [f.filename for f in traceback.extract_stack()[:-2] if f.filename.startswith(package)]
        return own in ours

    real_list, real_read = pyogrio.list_layers, pyogrio.read_dataframe

    def listing(p: Any, *a: Any, **kw: Any) -> Any:
        if asked() and Path(str(p)) == path:
            seen["list_layers"] += 1
        return real_list(p, *a, **kw)

    def reading(p: Any, *a: Any, **kw: Any) -> Any:
        if asked() and Path(str(p)) == path and kw.get("layer") == "run":
            seen["run"] += 1
        return real_read(p, *a, **kw)

    monkeypatch.setattr(pyogrio, "list_layers", listing)
    monkeypatch.setattr(pyogrio, "read_dataframe", reading)
    return seen


def test_check_of_a_result_reads_its_layers_and_run_once(small_result: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """``check`` of a result asked its layers five times (the households, their source, the meeting points, the
    declared exceptions, the rules) and read its run table nine times: once each now. A result written again at
    the same path is read again (its rules as written now)."""
    res = tmp_path / "r.gpkg"
    shutil.copyfile(small_result, res)
    seen = _reads(monkeypatch, res)
    out = CliRunner().invoke(app, ["check", str(res)])
    assert out.exit_code in (0, 1), out.output
    assert dict(seen) == {"list_layers": 1, "run": 1}  # was 5 and 9
    rules = workflows.result_rules(res)
    assert (rules.min_size, rules.max_size) == (4, 8)
    other = tmp_path / "o"
    other.mkdir()
    hh = write_csv(other, "hh.csv", [HEADER, *good_rows(12)])
    made = CliRunner().invoke(app, ["delineate", str(hh), "--crs", "EPSG:4490", "--min", "3", "--max", "9",
                                    "-o", str(other / "r.gpkg"), "-q"])
    assert made.exit_code == 0, made.output
    shutil.copyfile(other / "r.gpkg", res)  # the same file, written over
    rules = workflows.result_rules(res)
    assert (rules.min_size, rules.max_size) == (3, 9)
    shutil.copyfile(small_result, tmp_path / "s.gpkg")
    os.replace(tmp_path / "s.gpkg", res)  # another file put in its place
    rules = workflows.result_rules(res)
    assert (rules.min_size, rules.max_size) == (4, 8)
