"""Session 51 (helper R): a repair checks the plan as given once, not once for each time it is made again.

``repair_plan`` makes its repair up to eight times on the same plan (given meeting points of another group set
free, no new units, nothing taken out first, far given points let go), and each began by checking the plan as given
again: a third of the 9 s of the repair of Changshou's edited Andorra plan (session 50, helper P). A plan is now
checked once for the same meeting points in one ``repair_plan``; the repair is the same, byte for byte.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd
import pytest
from test_s47_r_repair_load import CASES, _said

import yuanluo.gis.repair as R
from yuanluo import build_graph
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules
from yuanluo.gis.synth_streets import street_households, street_plan


def _street_far_point() -> tuple[Any, pd.Series, Rules, pd.Series]:
    """test_s43_c_let_go's street of ten: U1 given its end H005, H004 typed into U2, limit 2.3 min (the repair is
    made again with H005 let go)."""
    hh = street_households(10, [])
    lab = pd.Series(street_plan([5, 5], [], [(3, "U2")]), index=hh.index, dtype=object)
    rules = Rules(4, 6, require_head=False, keep_settlements=False, nest_by=(), max_walk_min=2.3)
    return hh, lab, rules, pd.Series({"U1": "H005"})


PLANS = {**{k: (lambda f=f: (*f(), None)) for k, f in CASES.items()}, "far_point": _street_far_point}


def _repair(monkeypatch: pytest.MonkeyPatch, case: str, remember: bool) -> tuple[Any, list[tuple[str, str]]]:
    """The repair of ``case``, and each plan it checked (the plan and its meeting points, as CSV); without
    ``remember`` every check is made (the repair as before)."""
    hh, labels, rules, points = PLANS[case]()
    graph = build_graph(hh, max_walk_min=1.0)
    made: list[tuple[str, str]] = []
    real = R.check_plan

    def check_plan(households: Any, lab: pd.Series, *args: Any, **kwargs: Any) -> Any:
        mp = kwargs.get("meeting_points")
        made.append((lab.to_csv(), "" if mp is None else mp.to_csv()))
        return real(households, lab, *args, **kwargs)

    monkeypatch.setattr(R, "check_plan", check_plan)
    if not remember:
        checker = R._checker
        monkeypatch.setattr(R, "_checker", lambda *a, **k: checker(*a[:6]))
    res = repair_plan(hh, labels, rules, graph, meeting_points=points)
    monkeypatch.setattr(R, "check_plan", real)
    return res, made


@pytest.mark.parametrize("case", sorted(PLANS))
def test_each_plan_checked_once_the_repair_unchanged(monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    """No plan is checked twice against the same meeting points (the plan as given was checked by every repair made:
    2 to 3 times on these plans with the old code), and the repair is the one every check made gives: the same plan,
    moves, reasons and notes in zh and en."""
    res, made = _repair(monkeypatch, case, remember=True)
    counts = Counter(made)
    assert max(counts.values()) == 1, [n for n in counts.values() if n > 1]
    before, made_before = _repair(monkeypatch, case, remember=False)
    assert _said(res) == _said(before)
    assert len(made) <= len(made_before)


def test_the_plan_as_given_is_checked_once_where_the_repair_is_made_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """The far point's street is repaired twice at least (H005 held, then let go) and its plan as given, with H005
    its point, was checked by each repair holding H005; now once."""
    res, made = _repair(monkeypatch, "far_point", remember=True)
    first = made[0]
    assert made.count(first) == 1
    _, made_before = _repair(monkeypatch, "far_point", remember=False)
    assert made_before.count(first) >= 2  # what the old code did: the repair is indeed made again
    assert res.passed and res.moves["hid"].tolist() == ["H004"]
