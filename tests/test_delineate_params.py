"""UnitDelineator as a scikit-learn estimator: parameters stored, cloned, set; every bad one a coded error."""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.delineate.params import PARAMETER_CONSTRAINTS
from yuanluo.gis.errors import InputError
from yuanluo.gis.graph import TerrainGraph

CRS = "EPSG:4545"
HAN = re.compile(r"[\u4e00-\u9fff]")


def _chain(n=12):
    ids = [f"{i:03d}" for i in range(n)]
    xy = np.c_[np.arange(n) * 100.0, np.zeros(n)]
    hh = gpd.GeoDataFrame(index=pd.Index(ids, name="hid"), geometry=gpd.points_from_xy(*xy.T), crs=CRS)
    return hh, TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(n - 1)], crs=CRS)


def test_clone_get_and_set_params():
    d = UnitDelineator(min_size=20, max_size=50, nest_by=("group",), random_state=3)
    c = clone(d)
    assert c is not d and c.get_params() == d.get_params()
    assert set(d.get_params()) == set(PARAMETER_CONSTRAINTS)
    assert d.set_params(max_size=40, size_weight=1.0) is d and d.max_size == 40 and d.size_weight == 1.0
    assert UnitDelineator._parameter_constraints is PARAMETER_CONSTRAINTS
    assert "max_size=40" in repr(d)


def test_init_only_stores_even_bad_values():
    d = UnitDelineator(size_weight=-5, max_iter="x")  # no check before fit, as scikit-learn asks
    assert d.size_weight == -5 and d.max_iter == "x"


BAD = [
    ({"size_weight": -5}, "size_weight"),
    ({"recombine_passes": -1}, "recombine_passes"),
    ({"max_iter": "x"}, "max_iter"),
    ({"max_iter": 2.5}, "max_iter"),
    ({"min_size": 0}, "min_size"),
    ({"min_size": True}, "min_size"),
    ({"min_size": 8, "max_size": 4}, "max_size"),
    ({"target_size": 99}, "target_size"),
    ({"target_size": float("nan")}, "target_size"),
    ({"size_by": "people"}, "size_by"),
    ({"exact": "yes"}, "exact"),
    ({"keep_settlements": "no"}, "keep_settlements"),
    ({"nest_by": 5}, "nest_by"),  # a bare string is one column (as Rules takes it): no longer refused
    ({"nest_by": ["group", 3]}, "nest_by"),
    ({"join_limit_min": -1.0}, "join_limit_min"),
    ({"exact_node_limit": 0}, "exact_node_limit"),
    ({"exact_time_limit": 0}, "exact_time_limit"),
    ({"random_state": -1}, "random_state"),
    ({"settlement_col": None}, "settlement_col"),
]


@pytest.mark.parametrize(("params", "name"), BAD)
def test_every_bad_parameter_is_a_coded_input_error(params, name):
    hh, g = _chain()
    kw = {"min_size": 4, "max_size": 6} | params
    with pytest.raises(InputError) as e:
        UnitDelineator(**kw).fit(hh, g)
    assert e.value.codes == ["CLUSTER-PARAM"] and e.value.exit_code == 2
    p = e.value.problems[0]
    assert p.params["param"] == name
    zh, en = p.message("zh"), p.message("en")
    assert name in zh and name in en and repr(kw[name])[:10] in en
    assert "expected" in en and not HAN.search(en)
    assert "应为" in zh and not re.search(r"\b(expected|an integer|a number|at least|one of)\b", zh)


def test_bad_parameters_are_reported_together_with_bad_input():
    hh, g = _chain()
    with pytest.raises(InputError) as e:
        UnitDelineator(4, 6, size_weight=-1, max_iter="x").fit(hh.iloc[:0].pipe(lambda x: pd.concat([x, hh])), g,
                                                               seeds="001")
    assert e.value.codes == ["CLUSTER-PARAM"] * 3
    assert [p.params["param"] for p in e.value.problems] == ["size_weight", "max_iter", "seeds"]


def test_good_parameters_fit_and_fit_predict_returns_labels():
    hh, g = _chain()
    d = UnitDelineator(4, 6, target_size=5.5, exact=False, random_state=0)
    lab = d.fit_predict(hh, g)
    assert lab.equals(d.labels_) and lab.nunique() == 2
    assert UnitDelineator(4, 6, exact=True, exact_time_limit=5.0).fit(hh, g).n_units_ == 2
