"""``UnitDelineator.repair``: repairing a hand edit of a model's own plan (audit s39 F).

``repair_plan(hh, edited, model.rules(), g)`` on ``model.labels_`` with a few households moved treated the
exceptions the delineation had declared (units it could not bring into the band, units short of a head) as
errors to mend: on the audit's village of 400 it took 79 s and failed (heuristic; the exact model infeasible).
Nothing handed the model's declarations and meeting points to ``repair_plan``; ``UnitDelineator.check`` built
them for itself. ``UnitDelineator.repair`` now hands them on, built as ``check`` builds them."""

from __future__ import annotations

import pandas as pd
import pytest

from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.errors import InputError
from yuanluo.gis.neighbours import build_graph
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.synth import make_village


@pytest.fixture(scope="module")
def fitted() -> tuple:
    hh = make_village(80, seed=1).households
    g = build_graph(hh)
    m = UnitDelineator(min_size=15, max_size=25, max_walk_min=4, random_state=0).fit(hh, g)
    assert (m.units_["status"] != "ok").sum() >= 2  # the case needs declared exceptions
    return hh, g, m


def _edited(m: UnitDelineator) -> tuple[pd.Series, list[str]]:
    """Three households of the first ``ok`` unit typed into a new unit U099."""
    lab = m.labels_.copy()
    unit = m.units_.loc[m.units_["status"] == "ok", "unit_id"].iloc[0]
    moved = list(lab[lab == unit].index[:3])
    lab[moved] = "U099"
    return lab, moved


def test_repair_of_an_edited_model_plan_puts_the_households_back(fitted: tuple) -> None:
    hh, g, m = fitted
    lab, moved = _edited(m)
    res = m.repair(hh, g, lab)
    assert res.passed
    assert sorted(res.moves["hid"]) == sorted(moved)  # only the edited households move
    assert res.labels.reindex(m.labels_.index).astype(str).tolist() == m.labels_.astype(str).tolist()
    codes = set(res.check.violations["code"])
    assert "DECLARED-EXCEPTION" in codes  # the model's exceptions are warnings, as in m.check
    assert lab.equals(_edited(m)[0])  # the edited labels are not modified


def test_without_the_declarations_the_same_edit_fails(fitted: tuple) -> None:
    """The control: what the audit did, repair_plan of the plan alone, moves more and does not pass."""
    hh, g, m = fitted
    lab, moved = _edited(m)
    plain = repair_plan(hh, lab, m.rules(), g)
    assert not plain.passed


def test_repair_hands_on_what_check_uses_and_takes_repair_options(fitted: tuple) -> None:
    hh, g, m = fitted
    lab, _ = _edited(m)
    assert m.repair(hh, g, lab, max_moves=0).moves.empty
    res = m.repair(hh, g, m.labels_)
    assert res.passed and res.moves.empty
    assert res.check.violations.equals(m.check(hh, g).violations)


def test_an_unfitted_model_says_fit_first(fitted: tuple) -> None:
    hh, g, _ = fitted
    with pytest.raises(InputError) as err:
        UnitDelineator(min_size=15, max_size=25).repair(hh, g, pd.Series(dtype=object))
    assert err.value.codes == ["API-NOT-FITTED"]
    assert "UnitDelineator.repair" in str(err.value)
