"""Session 52 (helper R): with ``max_moves``, the model with new units is not asked for more of them than the moves can
fill.

Each new unit holds at least a floor's households, every one of them moved (``_worth_opening``). Session 51's hunt
(helper P) asked the model with new units all the same: band 30-31 with ``max_moves`` 1, a 15,435-variable model
286 s in its root before it gave up (case k12); band 8-8 with ``max_moves`` 5, 154 s to prove a new-unit model
infeasible (k54). Now the repair asks for no more new units than ``max_moves`` can fill, none where it fills none.
"""

from __future__ import annotations

from typing import Any

import pytest
from built_fixtures import street26

import yuanluo.gis.repair_exact as RE
from yuanluo import build_graph
from yuanluo.gis.repair import repair_plan


def _asked(monkeypatch: pytest.MonkeyPatch, max_moves: int | None) -> tuple[Any, list[int]]:
    """The street repaired within ``max_moves``: the result, and the new units each exact model was asked for."""
    hh, labels, rules = street26()
    asked: list[int] = []
    real = RE._relabelled

    def relabelled(*args: Any, **kwargs: Any) -> Any:
        asked.append(int(kwargs.get("k", 0)))
        return real(*args, **kwargs)

    monkeypatch.setattr(RE, "_relabelled", relabelled)
    return repair_plan(hh, labels, rules, build_graph(hh, max_walk_min=1.0), max_moves=max_moves), asked


@pytest.mark.parametrize("max_moves", [1, 7])
def test_moves_that_fill_no_new_unit_ask_for_none(monkeypatch: pytest.MonkeyPatch, max_moves: int) -> None:
    """Within 1 or 7 moves no new unit can be filled: no model is asked for one (the old code asked for two, a model
    of 408 variables to the first one's 150), and the repair says what it said: the mend needs 8 moves."""
    res, asked = _asked(monkeypatch, max_moves)
    assert asked and set(asked) == {0}
    assert not res.passed and len(res.moves) == 0
    assert res.reason_lines("en")[1] == (
        "SIZE-HIGH (unit A): the exact model's mend would bring the households moved to 8, over the move budget "
        f"(--max-moves {max_moves}), so it was not taken")


def test_moves_that_fill_one_new_unit_ask_for_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Within 8 moves one new unit can be filled (not two: 16 moves): the model is asked for one and finds the
    repair, 8 moves; without a budget it is asked for two, as before."""
    res, asked = _asked(monkeypatch, 8)
    assert max(asked) == 1 and res.passed and len(res.moves) == 8
    res, asked = _asked(monkeypatch, None)
    assert max(asked) == 2 and res.passed and len(res.moves) == 8
