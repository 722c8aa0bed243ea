"""``UnitDelineator(nest_by="group")`` takes the bare string as one column, as ``Rules(nest_by="group")`` does
(audit s32 ZC §4: it was CLUSTER-PARAM 'should be a list of column names'; one behaviour for one argument)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from yuanluo import UnitDelineator, build_graph
from yuanluo.gis.delineate.params import check_params
from yuanluo.gis.errors import InputError
from yuanluo.gis.rules import Rules
from yuanluo.gis.synth import make_village

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def village():
    hh = make_village(80, seed=2).households
    return hh, build_graph(hh)


def test_a_bare_string_is_one_nesting_column(village) -> None:
    hh, g = village
    kw = {"min_size": 8, "max_size": 20, "require_head": False, "random_state": 0}
    one = UnitDelineator(nest_by="group", **kw).fit(hh, g)  # was CLUSTER-PARAM
    listed = UnitDelineator(nest_by=["group"], **kw).fit(hh, g)
    assert list(one.labels_) == list(listed.labels_)
    units = pd.DataFrame({"u": one.labels_, "g": hh["group"].to_numpy()})
    assert units.groupby("u")["g"].nunique().max() == 1  # the nesting is applied
    assert one.rules().nest_by == ("group",) == Rules(8, 20, nest_by="group").nest_by
    assert one.get_params()["nest_by"] == "group"  # the parameter as given (scikit-learn's convention)
    assert check_params({"nest_by": "group"}) == []


def test_a_misspelt_string_and_a_number_are_still_refused(village) -> None:
    hh, g = village
    with pytest.raises(InputError) as err:
        UnitDelineator(min_size=8, max_size=20, nest_by="grop").fit(hh, g)
    assert err.value.codes == ["RULE-NEST-UNKNOWN"] and "grop" in err.value.render("en")
    with pytest.raises(InputError) as err:
        UnitDelineator(min_size=8, max_size=20, nest_by=5).fit(hh, g)
    assert err.value.codes == ["CLUSTER-PARAM"]
    zh, en = err.value.render("zh"), err.value.render("en")
    assert "一个列名或列名的列表" in zh and "a column name or a list of column names" in en and not HAN.search(en)
