"""``repair_plan`` given a plan that names ids the households do not have, or gives a household two units
(audit Q, defect 3): the plan's rows were dropped without a word (``before``, ``check`` and ``notes`` silent)
where ``check_plan`` reports them and ``yuanluo repair`` stops on them. Now the coded InputError, as the
command line's, before any work.

Fixture: test_repair's grid of households 50 m apart, 4-neighbour edges; valid plan U0 = columns 0-3,
U1 = columns 4-7 (20 households each), band 20-20.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from test_repair import valid

import yuanluo
from yuanluo.gis.catalogue import LANGS
from yuanluo.gis.errors import InputError
from yuanluo.gis.rules import Rules


def _raised(plan: pd.Series) -> InputError:
    hh, g, *_ = valid()
    kept = plan.copy()
    with pytest.raises(InputError) as e:
        yuanluo.repair_plan(hh, plan, Rules(20, 20), g)
    assert plan.equals(kept)  # the plan is not modified
    return e.value


def _no_cli_flag(err: InputError) -> None:
    for lang in LANGS:
        said = err.render(lang)
        assert not re.search(r"(?<![\w-])--[a-z]", said), said


def test_an_id_not_among_the_households_stops_repair_plan() -> None:
    """A typed id (h0302 mistyped as h302) beside a plan whose h0302 is in the wrong unit: the repair moved h0302
    back and passed, the typed row dropped in silence."""
    hh, g, lab, _, _ = valid()
    plan = lab.copy()
    plan["h0302"] = "U1"
    plan = pd.concat([plan, pd.Series({"h302": "U0", "zz99": "U1"})])
    assert "PLAN-UNKNOWN-ID" in yuanluo.check_plan(hh, plan, Rules(20, 20), graph=g).codes
    err = _raised(plan)
    assert err.codes == ["PLAN-UNKNOWN-ID"]
    assert err.problems[0].ids == ("h302", "zz99")
    en, zh = err.render("en"), err.render("zh")
    assert "h302" in en and "zz99" in en and "h302" in zh
    assert "typos" in en and "household" in en
    _no_cli_flag(err)


def test_a_household_given_two_units_stops_repair_plan() -> None:
    """A Series may repeat an index: h0302 listed under U0 and again under U1. The first was used and the second
    dropped in silence; ``check_plan`` says PLAN-DUP-ASSIGN. Now the error, which does not say the first unit
    is used for now (nothing is), and says how to keep one entry per household in Python."""
    hh, g, lab, _, _ = valid()
    plan = pd.concat([lab, pd.Series({"h0302": "U1"})])
    assert "PLAN-DUP-ASSIGN" in yuanluo.check_plan(hh, plan, Rules(20, 20), graph=g).codes
    err = _raised(plan)
    assert err.codes == ["PLAN-DUP-ASSIGN"]
    assert err.problems[0].ids == ("h0302",)
    en, zh = err.render("en"), err.render("zh")
    assert "U0" in en and "U1" in en
    assert "used for now" not in en and "暂按" not in zh
    assert "duplicated()" in en and "duplicated()" in zh
    _no_cli_flag(err)


def test_both_findings_at_once() -> None:
    hh, g, lab, _, _ = valid()
    plan = pd.concat([lab, pd.Series({"h0302": "U1", "zz99": "U0"})])
    assert sorted(_raised(plan).codes) == ["PLAN-DUP-ASSIGN", "PLAN-UNKNOWN-ID"]


def test_a_household_listed_twice_in_the_same_unit_is_repaired() -> None:
    """The same unit twice (the command line's PLAN-DUP-ROW, a warning) changes nothing: repaired as the plan
    (a guard: this passed before too)."""
    hh, g, lab, _, _ = valid()
    bad = lab.copy()
    bad["h0302"] = "U1"
    twice = pd.concat([bad, bad.iloc[:3]])
    res = yuanluo.repair_plan(hh, twice, Rules(20, 20), g)
    assert res.passed
    once = yuanluo.repair_plan(hh, bad, Rules(20, 20), g)
    assert len(res.moves) == 1 and res.moves.equals(once.moves) and res.labels.equals(once.labels)


def test_a_plan_as_pairs_or_a_mapping_with_a_typed_id() -> None:
    """The other forms repair_plan takes (a dict, a list of pairs) name the typed id the same way."""
    hh, g, lab, _, _ = valid()
    pairs = [*lab.items(), ("zz99", "U0")]
    assert _raised(pd.Series(dict(pairs))).codes == ["PLAN-UNKNOWN-ID"]
    with pytest.raises(InputError) as e:
        yuanluo.repair_plan(hh, pairs, Rules(20, 20), g)
    assert e.value.codes == ["PLAN-UNKNOWN-ID"]
    with pytest.raises(InputError) as e:
        yuanluo.repair_plan(hh, dict(pairs), Rules(20, 20), g)
    assert e.value.codes == ["PLAN-UNKNOWN-ID"]


def test_repair_plan_stops_on_what_the_command_stops_on() -> None:
    """The plan findings ``yuanluo repair`` refuses (``read_plan(strict=True)``) are those repair_plan refuses."""
    from yuanluo.gis.repair import STRICT_CODES
    from yuanluo.planners.workflows import STRICT_PLAN_CODES

    assert set(STRICT_CODES) == set(STRICT_PLAN_CODES)


def test_a_plan_as_pairs_that_gives_a_household_two_units_is_said() -> None:
    """A list of (hid, unit) pairs went through ``dict``, so a household given twice kept the last unit without a
    word, in ``check_plan`` and ``repair_plan`` alike; now the pairs are all kept and said."""
    hh, g, lab, _, _ = valid()
    pairs = [*lab.items(), ("h0302", "U1")]
    assert "PLAN-DUP-ASSIGN" in yuanluo.check_plan(hh, pairs, Rules(20, 20), graph=g).codes
    with pytest.raises(InputError) as e:
        yuanluo.repair_plan(hh, pairs, Rules(20, 20), g)
    assert e.value.codes == ["PLAN-DUP-ASSIGN"]


def test_an_unknown_unit_to_lock_is_told_in_python_terms() -> None:
    """LOCK-UNKNOWN from ``repair_plan(..., locked=[...])`` told a notebook to use ``--lock`` or ``--lock valid``;
    ``locked=["valid"]`` is refused the same way, so the fix could not be followed. It names ``locked=`` now."""
    hh, g, lab, _, _ = valid()
    with pytest.raises(InputError) as e:
        yuanluo.repair_plan(hh, lab, Rules(20, 20), g, locked=["NOPE"])
    assert e.value.codes == ["LOCK-UNKNOWN"]
    for lang in LANGS:
        assert "locked=" in e.value.render(lang)
    _no_cli_flag(e.value)
