"""Session 49 (helper N's analyst day, mended by the lead): a delineator built from a named preset hands the
preset's name and label on to its own check (``UnitDelineator.rules``), so the check's summary and report say
长寿区“寿和小院”, not "custom"; changed parameters are other rules, and say so."""

from __future__ import annotations

import pytest

from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.neighbours import build_graph
from yuanluo.gis.synth import make_village
from yuanluo.planners.presets import preset


@pytest.fixture(scope="module")
def village():  # type: ignore[no-untyped-def]
    v = make_village(120, seed=3)
    return v.households, build_graph(v.households, rivers=v.rivers, roads=v.roads)


def test_the_check_of_a_preset_fit_names_the_preset(village) -> None:  # type: ignore[no-untyped-def]
    hh, g = village
    d = UnitDelineator.from_rules(preset("changshou"), random_state=0).fit(hh, g)
    rules = d.check(hh, g).summary()["rules"]
    assert rules["name"] == "changshou"
    assert "寿和小院" in rules["label"]


def test_changed_parameters_are_custom_rules(village) -> None:  # type: ignore[no-untyped-def]
    d = UnitDelineator.from_rules(preset("changshou"), random_state=0)
    d.set_params(max_size=30)
    assert (d.rules().name, d.rules().label, d.rules().max_size) == ("custom", "", 30)
