"""A fitted delineation checks itself as ``yuanluo check`` checks its result (``UnitDelineator.check``).

An analyst calling ``check_plan(households, model.labels_, rules, graph=graph)`` on a fresh delineation of 1,500
households got 12 errors (settlements the delineation had to split, an isolated area below the floor, a unit
without a candidate): the declarations the command line reads from a result were out of reach in Python
(``Declared`` is not exported). ``model.check(households, graph)`` passes them.
"""

from __future__ import annotations

import pytest

from yuanluo import UnitDelineator, build_graph, check_plan, make_village, preset
from yuanluo.gis.errors import InputError


def test_a_delineation_passes_its_own_check_from_python() -> None:
    v = make_village(1500, seed=0)
    g = build_graph(v.households, rivers=v.rivers, roads=v.roads)
    rules = preset("changshou")
    model = UnitDelineator.from_rules(rules, random_state=0).fit(v.households, g)
    kept = {k: v for k, v in model.rules().to_dict().items() if k not in ("name", "label")}
    assert kept == {k: v for k, v in rules.to_dict().items() if k not in ("name", "label")}
    own = model.check(v.households, g)
    assert own.passed, own.violations.loc[own.violations["severity"] == "error", "message_en"].tolist()[:3]
    alone = check_plan(v.households, model.labels_, rules, graph=g)
    assert not alone.passed  # the plan alone: its exception units are errors
    assert (own.violations["code"] == "DECLARED-EXCEPTION").any()
    en = " ".join(own.violations["message_en"])
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in en)  # the reasons quoted in English too


def test_check_before_fit_is_a_coded_error() -> None:
    with pytest.raises(InputError) as e:
        UnitDelineator(15, 25).check(make_village(50, seed=1).households, None)  # type: ignore[arg-type]
    assert e.value.codes == ["API-NOT-FITTED"]
    assert "UnitDelineator.fit" in e.value.render("en") and "还没有划分过" in e.value.render("zh")


@pytest.mark.parametrize("case", ["no graph", "swapped", "empty", "not a table"])
def test_fit_given_the_wrong_arguments_says_which(case: str) -> None:
    """fit(hh, None) and fit(g, hh) gave an AttributeError from deep inside; an empty table numpy's zero-size
    ValueError."""
    v = make_village(60, seed=1)
    g = build_graph(v.households)
    args = {"no graph": (v.households, None), "swapped": (g, v.households), "empty": (v.households.iloc[:0], g),
            "not a table": ("households.csv", g)}[case]
    with pytest.raises(InputError) as e:
        UnitDelineator(15, 25).fit(*args)  # type: ignore[arg-type]
    code = {"no graph": "CLUSTER-GRAPH-TYPE", "swapped": "HOUSEHOLDS-TYPE", "empty": "CLUSTER-EMPTY",
            "not a table": "HOUSEHOLDS-TYPE"}[case]
    assert e.value.codes == [code], e.value.render("en")
