"""Session 55 (helper R): a trial kept the models solved after it from the repairs made after it.

``repair_plan`` makes the repair up to eight times (free points, nothing taken out first, given points let go) and
hands every one the same memo of the models solved (``_State.memo``, :func:`yuanluo.gis.repair_exact._solve`), so
that each model reaches HiGHS once. Session 54's trial (:func:`yuanluo.gis.repair._trial`: the heuristic first,
the state put back where its plan proves nothing) copied every dict of the state and put the copies back, the memo
too: from then on each repair solved into a copy of its own, and the repairs after it solved those models again
(test_s28_editor's exported plan: 59 models and 24 parts of models given to HiGHS a second time, of 198 runs). The
memo is now the repair's own dict after a trial, as before it.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from test_s44_d_repair_brute import _case
from test_s46_c_repair_parts import _models  # every model HiGHS is given, as a digest of its arrays

import yuanluo.gis.repair as R
import yuanluo.gis.repair_exact as RE
from yuanluo import build_graph
from yuanluo.gis.repair import _State, _state_back, _state_copy, repair_plan
from yuanluo.gis.rules import Rules
from yuanluo.gis.synth_streets import street_households


def test_a_state_put_back_keeps_the_repairs_memo() -> None:
    """``_state_copy`` then ``_state_back`` (a trial that proved nothing) leave ``st.memo`` the dict the repairs
    share, with what was solved meanwhile; the other dicts are put back as they were."""
    hh = street_households(6, [])
    st = _State(hh, pd.Series(["A"] * 3 + ["B"] * 3, index=hh.index, dtype=object), Rules(3, 3),
                build_graph(hh, max_walk_min=1.0))
    memo: RE.Memo = {b"before": (None, 1.0)}
    st.memo = memo
    saved = _state_copy(st)
    st.reasons[0] = "moved in the trial"
    memo[b"meanwhile"] = (None, 2.0)
    _state_back(st, saved)
    assert st.memo is memo and set(memo) == {b"before", b"meanwhile"}
    assert st.reasons == {}


@pytest.mark.parametrize("seed", [0, 33])
def test_no_model_is_solved_again_after_a_trial(monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    """test_s44_d_repair_brute's streets 0 and 33, a trial before every exact round (``TRIAL_SIZE`` 0), none of
    them proving: every model HiGHS is given is a different one (seed 0: 6 runs of 4 models before; 33: 8 of 5), and
    the repair is the one made without trials. The count proof (``_fills_band``) is put aside, as in
    test_s46_c_repair_parts, so that HiGHS is asked the models it would prove by counts."""
    monkeypatch.setattr(RE, "_fills_band", lambda *args: True)
    hh, labels, rules = _case(seed)
    graph = build_graph(hh, max_walk_min=1.0)
    without = repair_plan(hh, labels, rules, graph)
    trials = [0]
    real = R._trial

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        trials[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(R, "_trial", counted)
    monkeypatch.setattr(RE, "TRIAL_SIZE", 0)
    seen = _models(monkeypatch)
    res = repair_plan(hh, labels, rules, graph)
    assert trials[0] >= 2 and len(seen) >= 4
    assert len(seen) == len(set(seen)), seen
    for name in ("passed", "method", "exact_status", "lower_bound"):
        assert getattr(res, name) == getattr(without, name), name
    assert res.labels.equals(without.labels) and res.moves.equals(without.moves)
    assert res.reason_lines("en") == without.reason_lines("en")


def _stub_solve(monkeypatch: pytest.MonkeyPatch, answer: object, charge: float, parts: float) -> list[float]:
    """``_solve`` on a stand-in model, HiGHS (``_highs``) replaced by a run that answers ``answer``, adds ``charge``
    to the model's work and ``parts`` of the repair's, and tries the parts; the works it was asked within."""
    asked: list[float] = []
    arrays = (np.ones(2), RE.sp.csr_matrix(np.ones((1, 2))), np.ones(1), np.ones(1), np.ones(2), np.ones(2))

    def run(st, model, arr, work):  # type: ignore[no-untyped-def]
        asked.append(work)
        model.used += charge
        st.work_left -= parts
        model.parts_tried = True
        return answer

    monkeypatch.setattr(RE, "too_few_heads", lambda st, model: False)
    monkeypatch.setattr(RE, "_matrices", lambda st, model: arrays)
    monkeypatch.setattr(RE, "_highs", run)
    return asked


def _stubs() -> tuple[SimpleNamespace, SimpleNamespace]:
    st = SimpleNamespace(memo={}, proving=set(), work_left=100.0, lab=np.zeros(2, dtype=np.int64))
    return st, SimpleNamespace(used=0.0, clocked=False, parts_tried=False, last_x=None, col={})


def test_a_memo_answer_adds_what_the_run_added(monkeypatch: pytest.MonkeyPatch) -> None:
    """A model given up on (here one too large to run within its work: nothing added to its work, 5 of the repair's
    taken by its parts) asked again within the same work: the memo answers, and the model and the repair are left as
    the run left them. The memo added the work asked (50) to the model's and nothing to the repair's."""
    asked = _stub_solve(monkeypatch, RE.GAVE_UP, 0.0, 5.0)
    st, first = _stubs()
    assert RE._solve(st, first, 50.0) is RE.GAVE_UP  # type: ignore[arg-type]
    _, again = _stubs()
    assert RE._solve(st, again, 50.0) is RE.GAVE_UP  # type: ignore[arg-type]
    assert asked == [50.0]
    assert (again.used, again.parts_tried, st.work_left) == (first.used, True, 90.0)


def test_a_memo_answer_is_not_taken_within_other_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """A model solved within 50 (taking 10) and then asked within 30, 50 and 80, its parts not tried before each:
    solved again within 30 and 80 (a run's answer is the answer within its work), answered by the memo within 50."""
    x = np.zeros(2)
    asked = _stub_solve(monkeypatch, x, 10.0, 0.0)
    st, _ = _stubs()
    for work in (50.0, 30.0, 50.0, 80.0):
        RE._solve(st, _stubs()[1], work)  # type: ignore[arg-type]
    assert asked == [50.0, 30.0, 80.0]
