"""Session 57 (helper R): a model HiGHS does not close at its root is asked again knowing what its root's plan keeps.

The exact repair's optimum (:func:`yuanluo.gis.repair_exact._highs_run`) is asked first within its root alone
(``STAGE_NODES``). Most models close there, and their answer is the one a single run gives. One that does not is
asked again with one row more: at least as many households stay in their unit as in the root's plan (its objective
counts a stay as -1 and a tie-break of less than one move in all, so the optimum keeps as many or more). Changshou's
edited Andorra plan (``bench_repair.py --slow changshou``): its 149-household region's optimum, 30 nodes and 15.9 s
in one run, took 3 s at its root and 6 s with the row, the same plan (bench/results/repair.md, session 57).

Checked here with a root that stops short on purpose (its plan the one moving the most): the second run has the row,
its bound that plan's stays, and the repair still moves the brute force's fewest; a model closed at its root is asked
once. A model under a walking limit is asked once, as before session 57 (the walking bench paid its roots twice and
gained nothing from them).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

import yuanluo.gis.repair_exact as RE
from yuanluo import build_graph
from yuanluo.gis.check import check_plan
from yuanluo.gis.repair import repair_plan


def _asked(monkeypatch: pytest.MonkeyPatch, *, short: bool) -> list[tuple[int, int, float, float]]:
    """Each HiGHS run: its node limit, its rows, its last row's lower bound and, for a root stopped short, the stays
    of its plan (else -1; appended to the list returned). With ``short``, a run within STAGE_NODES of a model with a
    plan stops as if at its root with the plan moving the most."""
    runs: list[tuple[int, int, float, float]] = []
    real = RE.milp

    def milp(c: np.ndarray, **k: Any) -> Any:
        (con,) = k["constraints"]
        nodes = int(k["options"]["node_limit"])
        rows, low = int(con.A.shape[0]), float(np.asarray(con.lb)[-1])
        if short and nodes == RE.STAGE_NODES:
            worst = real(-np.where(c == -1.0, -1.0, 0.0), **k)  # the plan keeping the fewest in place
            if worst.x is not None:
                runs.append((nodes, rows, low, float(np.sum(worst.x[c == -1.0]))))
                return SimpleNamespace(status=1, x=worst.x, fun=float(c @ worst.x), mip_node_count=1)
        runs.append((nodes, rows, low, -1.0))
        return real(c, **k)

    monkeypatch.setattr(RE, "milp", milp)
    return runs


SEEDS = [0, 7, 8, 16, 22, 30]  # test_s44_d_repair_brute's streets without a walking limit
WALK_SEEDS = [2, 9, 17, 26, 29]  # and with one (1.5, 1.5, 1.5, 1.5, 4 minutes)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_model_stopped_at_its_root_is_asked_again_with_its_stays(seed: int,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """test_s44_d_repair_brute's streets: every run stopped at its root is followed by one with a row more, bounded
    below by the stays of the root's plan, within the nodes left; the repair moves the brute force's fewest, as many
    as when each model closes at its root (asked once)."""
    from test_s44_d_repair_brute import _case, brute_fewest

    hh, labels, rules = _case(seed)
    graph = build_graph(hh, max_walk_min=1.0)
    runs = _asked(monkeypatch, short=True)
    res = repair_plan(hh, labels, rules, graph)
    staged = [i for i, r in enumerate(runs) if r[3] >= 0]
    assert staged, runs
    for i in staged:  # the next run: the same model, the row, its bound the stays of the root's plan
        nodes, rows, low, _ = runs[i + 1]
        assert rows == runs[i][1] + 1 and low == round(runs[i][3]) and nodes > 0
    assert res.passed and len(res.moves) == brute_fewest(hh, labels, rules, graph)
    assert check_plan(hh, res.labels, rules, graph=graph).passed
    runs = _asked(monkeypatch, short=False)
    plain = repair_plan(hh, labels, rules, graph)
    assert len(plain.moves) == len(res.moves)


@pytest.mark.parametrize("seed", WALK_SEEDS)
def test_a_model_under_a_walking_limit_is_asked_once(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under a walking limit no model is run within its root first (the walking bench's seed 5: its first root
    without a plan, then the model run as before; seed 9: a root whose row did not help, paid twice): every run has
    its model's nodes, and the repair moves the brute force's fewest."""
    from test_s44_d_repair_brute import _case, brute_fewest

    hh, labels, rules = _case(seed)
    assert rules.max_walk_min is not None
    graph = build_graph(hh, max_walk_min=1.0)
    runs = _asked(monkeypatch, short=True)
    res = repair_plan(hh, labels, rules, graph)
    assert runs and all(r[0] != RE.STAGE_NODES for r in runs), runs
    assert res.passed and len(res.moves) == brute_fewest(hh, labels, rules, graph)


def test_only_a_models_first_round_is_run_within_its_root_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """A model is run within its root first in its first round only (the walking bench's seed 5: five rounds, each
    root 3-4 s without a plan, each then run again as before): its next round runs once, with all its nodes."""
    import scipy.sparse as sp

    asked: list[int] = []

    def milp(c: np.ndarray, **k: Any) -> Any:
        asked.append(int(k["options"]["node_limit"]))
        if asked[-1] == RE.STAGE_NODES:
            return SimpleNamespace(status=1, x=None, fun=None, mip_node_count=1)
        return SimpleNamespace(status=0, x=np.ones(len(c)), fun=float(np.sum(c)), mip_node_count=3)

    monkeypatch.setattr(RE, "milp", milp)
    n = 10
    arrays = (-np.ones(n), sp.csr_matrix(np.ones((1, n))), np.zeros(1), np.full(1, float(n)), np.ones(n), np.ones(n))
    model = SimpleNamespace(used=0.0, clocked=False, stay_row=None, staged=False)
    st = SimpleNamespace(net=None, rules=SimpleNamespace(max_walk_min=None))
    work = 1000.0
    full = int(work * 1000 / n) - RE.ROOT_NODES
    RE._highs_run(st, model, arrays, work)  # type: ignore[arg-type]
    assert asked == [RE.STAGE_NODES, full - RE.STAGE_NODES - RE.ROOT_NODES] and model.staged
    asked.clear()
    RE._highs_run(st, model, arrays, work)  # type: ignore[arg-type]
    assert asked == [full]
