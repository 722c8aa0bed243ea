"""Session 55, second round (helper R): the part of a region that proved one model of it infeasible is asked first of
the next models holding it (``_State.proving``). On test_s28_editor's exported plan the same part of 54 households
proved 28 models of the 300-household region, each time after the lighter parts of 3 and 42 households, which have
a plan (21 s of the 30 s its parts took)."""

from __future__ import annotations

import pytest
from test_s46_c_repair_parts import _same, _two_groups

import yuanluo.gis.repair_exact as RE
from yuanluo import build_graph
from yuanluo.gis.repair import _State, _state_back, _state_copy, repair_plan


def _part_runs(monkeypatch: pytest.MonkeyPatch, groups: object) -> list[tuple[str, bool]]:
    """Every part HiGHS is asked from now on: the villager group its free households are of, and whether it had no
    plan."""
    runs: list[tuple[str, bool]] = []
    real, part = RE._highs_run, RE._part_infeasible
    inside = [False]

    def asked(st, model, arrays, work):  # type: ignore[no-untyped-def]
        x = real(st, model, arrays, work)
        if inside[0]:
            free = {groups.iloc[h] for (h, _u), i in model.col.items() if arrays[4][i] > 0}  # type: ignore[attr-defined]
            runs.append(("+".join(sorted(free)), x is None))
        return x

    def parts(*args, **kwargs):  # type: ignore[no-untyped-def]
        inside[0] = True
        try:
            return part(*args, **kwargs)
        finally:
            inside[0] = False

    monkeypatch.setattr(RE, "_highs_run", asked)
    monkeypatch.setattr(RE, "_part_infeasible", parts)
    return runs


def test_the_part_that_proved_is_asked_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two villager groups in one region (test_s46_c's street: G1's 6 households fit a unit of 5-7, G2's 8 none):
    G1's part, the lighter, has a plan and G2's proves every model of the region infeasible. G1 was asked before G2
    in every model (8 models proven by G2: 8 runs of G1); now only in the first, and the repair is the same as
    without parts."""
    hh, labels, rules = _two_groups()
    runs = _part_runs(monkeypatch, hh["group"].reset_index(drop=True))
    monkeypatch.setattr(RE, "PART_MIN_VARIABLES", 0)
    monkeypatch.setattr(RE, "PART_WORK", 10**6)
    monkeypatch.setattr(RE, "PARTS", 10**6)
    graph = build_graph(hh, max_walk_min=1.0)
    with_parts = repair_plan(hh, labels, rules, graph)
    proofs = [r for r in runs if r[1]]
    assert len(proofs) >= 2 and {g for g, _ in proofs} == {"G2"}, runs
    assert runs.count(("G1", False)) == 1, runs  # the first model only
    assert runs[0] == ("G1", False) and runs[1] == ("G2", True)
    monkeypatch.setattr(RE, "PART_MIN_VARIABLES", 10**9)
    _same(with_parts, repair_plan(hh, labels, rules, graph))


def test_the_parts_that_proved_outlive_a_trial() -> None:
    """``st.proving`` is the set every repair of one ``repair_plan`` shares: a trial's copy put back keeps it (as
    ``st.memo``), so a part proven after the copy is still asked first."""
    hh, labels, rules = _two_groups()
    st = _State(hh, labels, rules, build_graph(hh, max_walk_min=1.0), None)
    shared: set[bytes] = set()
    st.proving = shared
    saved = _state_copy(st)
    shared.add(b"part")
    _state_back(st, saved)
    assert st.proving is shared and b"part" in st.proving
