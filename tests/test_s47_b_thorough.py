"""Issue 13 under ``--thorough-heads``: units left HEAD-UNPLACED in components above ``head_exact_max_n`` nodes.

The head stage moves a candidate head along at most three units and splits a component exactly only up to
``head_exact_max_n`` nodes; ``head_chains`` (the delineator's opt-in, which the command line's
``--thorough-heads`` turns on with the larger exact search) re-cuts a chain of units from the unit lacking to
units with a candidate to spare, the cut walking least. Off by default: every default fit is as before.

Found: 1,000 synthetic households, seed 2, changshou (15–25): a unit of 25 households without a candidate in a
component of 162 nodes stays HEAD-UNPLACED, though the chain of it and two neighbours (58 nodes, 4 candidates)
has a split with a head in every unit."""

from __future__ import annotations

import pytest

import yuanluo.gis.cluster as cluster
from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.delineate.headchains import head_chains
from yuanluo.gis.errors import InputError
from yuanluo.gis.neighbours import build_graph
from yuanluo.gis.rules import Rules
from yuanluo.gis.synth import make_village
from yuanluo.planners import workflows as W

CHANGSHOU = Rules(15, 25, name="changshou")


@pytest.fixture(scope="module")
def village() -> tuple:
    v = make_village(1000, seed=2)
    return v.households, build_graph(v.households, rivers=v.rivers, roads=v.roads)


def _fit(village: tuple, **kw: object) -> UnitDelineator:
    hh, g = village
    return UnitDelineator.from_rules(CHANGSHOU, random_state=2, require_head=True, **kw).fit(hh, g)


def test_opt_in_gives_the_unplaced_unit_its_head(village: tuple) -> None:
    """1,000 households, seed 2, changshou: without chains one unit is HEAD-UNPLACED; with ``head_chains`` it
    gets a head, HEAD-SHORT is not raised, no ``ok`` unit lacks one, and the fit passes its own check (``fit``
    runs ``verify_delineation``)."""
    plain = _fit(village).units_
    assert int((plain["code"] == "HEAD-UNPLACED").sum()) == 1
    chained = _fit(village, head_chains=True)
    u = chained.units_
    assert int((u["code"] == "HEAD-UNPLACED").sum()) == 0
    assert int((u["code"] == "HEAD-SHORT").sum()) == int((plain["code"] == "HEAD-SHORT").sum())
    assert not ((u["status"] == "ok") & ~u["has_head"].astype(bool)).any()


def test_default_never_runs_the_stage(village: tuple, monkeypatch: pytest.MonkeyPatch) -> None:
    """The default leaves the output as before: the stage is not called at all (it is off unless asked for)."""
    assert UnitDelineator().get_params()["head_chains"] is False
    calls: list[int] = []

    def stage(*a: object) -> int:
        calls.append(1)
        return head_chains(*a)  # type: ignore[arg-type]

    monkeypatch.setattr(cluster, "head_chains", stage)
    _fit(village)
    assert calls == []
    _fit(village, head_chains=True)
    assert calls == [1]


def test_param_is_checked(village: tuple) -> None:
    """A ``head_chains`` that is no boolean is a coded CLUSTER-PARAM error naming it, in zh and en."""
    with pytest.raises(InputError) as err:
        _fit(village, head_chains="yes")
    probs = [p for p in err.value.problems if p.code == "CLUSTER-PARAM"]
    assert [p.params["param"] for p in probs] == ["head_chains"]
    assert "head_chains" in probs[0].message("zh") and "head_chains" in probs[0].message("en")


def test_thorough_heads_turns_it_on() -> None:
    """``--thorough-heads`` (the workflows' ``head_exact_max_n``) asks for the chains with the larger search."""
    assert W._head_kw(None) == {}
    assert W._head_kw(W.THOROUGH_HEAD_N) == {"head_exact_max_n": W.THOROUGH_HEAD_N, "head_chains": True}
