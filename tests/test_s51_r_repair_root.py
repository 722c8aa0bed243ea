"""Session 51 (helper R): the root of a large exact model counts as more work than 20 nodes.

``yuanluo repair`` of Banan's edited Andorra plan (951 households, session 50) spent 122 s of its 193 s in one
HiGHS root: a 37,812-variable model with new units, given NEW_WORK (800: 21 nodes of its size, of which the root
counted as 20), which then gave up. Traced over 400 HiGHS runs (the benches, the editor test's plan, both edited
Andorra plans), a root's seconds grow as about the cube of the model's size above some 8,000 variables, while the
work counted a root as 20 nodes of its size at any size. A root now counts as ``ROOT_NODES * (size / ROOT_SIZE)**2``
nodes above ``ROOT_SIZE`` (24,000) variables, and a run whose work leaves no node after it is not run (``GAVE_UP``,
as a run whose work is below its root was before). Counts only: the same on a busy machine.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp

import yuanluo.gis.repair_exact as RE


def _arrays(size: int) -> tuple[Any, ...]:
    """A model of ``size`` binary variables, one row: the first is 1 (solved at once: only the counts matter)."""
    a_mat = sp.csr_array((np.ones(1), (np.zeros(1, dtype=int), np.zeros(1, dtype=int))), shape=(1, size))
    return (np.ones(size), a_mat, np.array([1.0]), np.array([np.inf]), np.ones(size), np.ones(size))


def _run(monkeypatch: pytest.MonkeyPatch, size: int, work: float) -> tuple[Any, list[int], float]:
    """``_highs_run`` on that model within ``work``: what it returns, the node limits HiGHS was given, the work
    counted."""
    limits: list[int] = []
    real = RE.milp

    def milp(*args: Any, **kwargs: Any) -> Any:
        limits.append(int(kwargs["options"]["node_limit"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(RE, "milp", milp)
    model = SimpleNamespace(used=0.0, clocked=False)
    x = RE._highs_run(SimpleNamespace(net=None), model, _arrays(size), work)  # type: ignore[arg-type]
    return x, limits, model.used


def test_a_large_models_root_alone_past_its_work_is_not_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """The size of Banan's model at NEW_WORK: 21 nodes of its size, its root counted as 20 left one node, and HiGHS
    ran (122 s on that model). Its root now counts as more than 21 nodes: not run, given up, no work counted."""
    x, limits, used = _run(monkeypatch, 37812, RE.NEW_WORK)
    assert x is RE.GAVE_UP and limits == [] and used == 0.0
    # with work enough for its root and a node it runs, with the nodes the work leaves after a root of 20 (the work
    # HiGHS took is counted as before)
    x, limits, used = _run(monkeypatch, 37812, 2 * RE.SOLVE_WORK)
    assert x is not None and x is not RE.GAVE_UP and limits == [int(2 * RE.SOLVE_WORK * 1000 / 37812) - RE.ROOT_NODES]


@pytest.mark.parametrize("size", [1925, 15943, 17495, RE.ROOT_SIZE])
def test_models_up_to_root_size_run_as_before(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    """Every model of the benches and of the editor test's plan is at most 17,495 variables: run with the same node
    limit as before, down to the one node a root of 20 leaves."""
    work = 21 * size / 1000 + 1e-6
    x, limits, _ = _run(monkeypatch, size, work)
    assert limits == [1] and x is not RE.GAVE_UP
    assert _run(monkeypatch, size, 20.5 * size / 1000)[1] == []  # less than a node after the root: not run, as before


def test_the_root_grows_as_the_square_of_the_size_above_root_size() -> None:
    assert RE._root_nodes(RE.ROOT_SIZE) == RE.ROOT_NODES
    assert RE._root_nodes(2 * RE.ROOT_SIZE) == 4 * RE.ROOT_NODES
    assert RE._root_nodes(37812) > 800 * 1000 / 37812 - 1  # Banan's model with new units: its root past NEW_WORK
    assert RE._root_nodes(1) == RE.ROOT_NODES
