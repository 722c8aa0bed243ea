"""Session 49 (helper N's analyst day, mended by the lead): a delineator built from a named preset hands the
preset's name and label on to its own check (``UnitDelineator.rules``), so the check's summary and report say
长寿区“寿和小院”, not "custom"; changed parameters are other rules, and say so. A map layer without a CRS is said so (CRS-UNSET)."""

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


def test_a_map_layer_without_a_crs_is_said_unset() -> None:
    """make_map of a layer with no CRS: CRS-UNSET with a fix that declares it (was CRS-PROJECTED "the CRS None is
    not a projected CRS", whose fix, to_working_crs, cannot work on a frame without a CRS)."""
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    from yuanluo.gis.errors import CRSError
    from yuanluo.maps.interactive import make_map

    hh = gpd.GeoDataFrame({"unit_id": ["U1"], "unit_status": ["ok"]}, geometry=[Point(1, 2)],
                          index=pd.Index(["001"], name="hid"))
    with pytest.raises(CRSError) as e:
        make_map({"households": hh}, lang="en")
    assert [p.code for p in e.value.problems] == ["CRS-UNSET"]
    assert "set_crs" in e.value.problems[0].fix("en")
