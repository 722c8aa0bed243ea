"""Session 47 (helper R): ``yuanluo repair`` gives the same plan and reasons on an idle or a busy machine.

The exact models stopped on wall-clock limits (60 s a model and its rounds, 20 s a proof with the centres free or a
model with new units, 1 s a part of a large region, 180 s all the models of a repair): under load a proof or a solve
gave up where it succeeded on an idle machine, and the repaired plan or its reasons changed (session 46: a 10.6 s
proof left unsolved at 20 s, load 4.7). Every limit is now a count (HiGHS's branch-and-bound nodes, parts, rounds);
the clock is a far safety net only (``CLOCK_SECONDS``), said when reached (``repair.note.clock``).

A busy machine is simulated: HiGHS does ``factor`` times less work within any time limit it is given (the limit
divided), and the clock the repair reads runs on ``factor`` times HiGHS's real time.
"""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import pytest
from test_s44_d_repair_brute import _case

# test_s44_d_repair_proof's street of 8 (band 2-5, walk 1.5 min): its optimum, 2 moves, is proven only by the model
# letting the centres free; test_s46_c_repair_parts's street of 14 (G1 6, G2 8, band 5-7): no plan
from test_s44_d_repair_proof import _street
from test_s46_c_repair_parts import _two_groups

import yuanluo.gis.repair as R
import yuanluo.gis.repair_exact as RE
from yuanluo import build_graph
from yuanluo.gis.catalogue import text
from yuanluo.gis.repair import repair_plan


def _brute(seed: int) -> Any:
    return lambda: _case(seed)


CASES: dict[str, Any] = {"street": _street, "two_groups": _two_groups, **{f"brute{s}": _brute(s) for s in (0, 3, 9)}}


def _busy(monkeypatch: pytest.MonkeyPatch, factor: float) -> None:
    """From now on the machine is ``factor`` times busier (see the module)."""
    real = RE.milp
    skew = [0.0]

    def milp(*args: Any, **kwargs: Any) -> Any:
        options = dict(kwargs.get("options") or {})
        if "time_limit" in options:
            options["time_limit"] = options["time_limit"] / factor
        start = time.monotonic()
        out = real(*args, **{**kwargs, "options": options})
        skew[0] += (factor - 1.0) * (time.monotonic() - start)
        return out

    clock = SimpleNamespace(monotonic=lambda: time.monotonic() + skew[0], perf_counter=time.perf_counter)
    monkeypatch.setattr(RE, "milp", milp)
    monkeypatch.setattr(RE, "time", clock)
    monkeypatch.setattr(R, "time", clock)


def _whys(res: Any) -> list[str]:
    """The catalogue keys of why each violation left was not fixed."""
    return [p["why"][0] for k, p in res.reasons if k == "repair.reason.violation" and "why" in p]


def _said(res: Any) -> tuple[Any, ...]:
    """Everything a repair writes or says: the plan, the moves, the reasons and notes in both languages."""
    return (res.passed, res.method, res.exact_status, res.lower_bound, res.exact_centres_held,
            res.labels.to_csv(), res.moves.to_csv(), tuple(res.reason_lines("zh")), tuple(res.reason_lines("en")),
            tuple(res.note_texts("zh")), tuple(res.note_texts("en")))


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_busy_machine_gives_the_same_repair(monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    """Each plan repaired on an idle machine, then on one a million times busier (the safety net set far beyond the
    simulated hours, as it is beyond any real run): the same plan, moves, reasons and notes, byte for byte. On the old
    code every model of the busy run ran out of its seconds: the street kept 3 moves (the proof with the centres free
    unsolved), the two groups' region was left unsolved instead of proven infeasible."""
    hh, labels, rules = CASES[case]()
    graph = build_graph(hh, max_walk_min=1.0)
    idle = _said(repair_plan(hh, labels, rules, graph))
    monkeypatch.setattr(RE, "CLOCK_SECONDS", 1e15, raising=False)
    _busy(monkeypatch, 1e6)
    busy = _said(repair_plan(hh, labels, rules, graph))
    assert busy == idle


def test_the_street_is_proven_with_the_centres_free_when_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The street's repair under load is the idle one: 2 moves (H02 to U3, H08 to U2), proven with the centres free."""
    monkeypatch.setattr(RE, "CLOCK_SECONDS", 1e15, raising=False)
    _busy(monkeypatch, 1e6)
    hh, labels, rules = _street()
    res = repair_plan(hh, labels, rules, build_graph(hh, max_walk_min=1.0))
    assert res.passed and sorted(res.moves["hid"]) == ["H02", "H08"] and not res.exact_centres_held


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_safety_net_reached_is_said(monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    """The clock's safety net reached (0 s: every HiGHS run stopped) decides what the repair writes, so the repair says
    so: ``repair.note.clock`` among its notes, and the reason of the region left unsolved names the net's seconds.
    Before, a model out of time was left silently."""
    monkeypatch.setattr(RE, "CLOCK_SECONDS", 0.0, raising=False)
    hh, labels, rules = _two_groups()
    res = repair_plan(hh, labels, rules, build_graph(hh, max_walk_min=1.0))
    assert ("repair.note.clock", {"seconds": "0"}) in [tuple(n) for n in res.notes]
    note = text("repair.note.clock", lang, seconds="0")
    assert note in res.note_texts(lang)
    assert ("安全时限" in note and "结果可能不同" in note) if lang == "zh" else \
        ("safety time limit of 0 s" in note and "may give another result" in note)
    assert not res.passed
    assert "repair.why.unsolved_time" in _whys(res)


def test_an_idle_repair_says_no_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Within the net (an ordinary repair) nothing about the clock is said."""
    hh, labels, rules = _two_groups()
    res = repair_plan(hh, labels, rules, build_graph(hh, max_walk_min=1.0))
    assert not any(n[0] == "repair.note.clock" for n in res.notes)
    assert _whys(res) and not {"repair.why.unsolved_time", "repair.why.unsolved_work"} & set(_whys(res))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_model_out_of_work_says_its_work(monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    """The two groups' region asked whole (no parts) within one unit of work (less than its root) is not proven: left
    unsolved, and the reason names the work limit (``repair.why.unsolved_work``), the same on every run."""
    monkeypatch.setattr(RE, "PART_MIN_VARIABLES", 10**9)
    monkeypatch.setattr(RE, "SOLVE_WORK", 1, raising=False)  # less than a root: not run
    hh, labels, rules = _two_groups()
    graph = build_graph(hh, max_walk_min=1.0)
    res = repair_plan(hh, labels, rules, graph)
    assert "repair.why.unsolved_work" in _whys(res), res.reasons
    line = res.reason_lines(lang)
    assert any(("用满了 1 个单位的计算量上限" in s) if lang == "zh" else ("after its work limit of 1 unit " in s) for s in line), line
    assert _said(repair_plan(hh, labels, rules, graph)) == _said(res)
