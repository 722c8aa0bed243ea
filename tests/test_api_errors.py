"""The Python API as an analyst calls it in a notebook: a preset's name given for its rules, a dict for a plan."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from yuanluo import UnitDelineator, check_plan, preset
from yuanluo.gis.errors import RuleConfigError
from yuanluo.gis.graph import TerrainGraph


def _line() -> tuple[gpd.GeoDataFrame, TerrainGraph]:
    hh = gpd.GeoDataFrame(geometry=[Point(x, 0) for x in (0, 50, 100, 150)], crs="EPSG:32631",
                          index=pd.Index(list("abcd"), name="hid"))
    g = TerrainGraph.from_edges(list("abcd"), [[0, 0], [50, 0], [100, 0], [150, 0]], [(0, 1), (1, 2), (2, 3)],
                                crs="EPSG:32631")
    return hh, g


@pytest.mark.parametrize("call", ["check", "from_rules"])
def test_a_preset_name_for_rules_says_how_to_get_them(call: str) -> None:
    """It was AttributeError: 'str' object has no attribute 'size_by'."""
    hh, g = _line()
    with pytest.raises(RuleConfigError) as e:
        if call == "check":
            check_plan(hh, pd.Series(list("AABB"), index=list("abcd")), "banan", graph=g)  # type: ignore[arg-type]
        else:
            UnitDelineator.from_rules("banan")  # type: ignore[arg-type]
    assert e.value.codes == ["RULES-TYPE"]
    assert 'yuanluo.preset("banan")' in e.value.render("en") and 'yuanluo.preset("banan")' in e.value.render("zh")


def test_a_plan_given_as_a_dict_is_checked_as_a_series() -> None:
    """It was AttributeError: 'dict' object has no attribute 'index'."""
    hh, g = _line()
    as_dict = check_plan(hh, {"a": "A", "b": "A", "c": "B", "d": "B"}, preset("banan"), graph=g)  # type: ignore[arg-type]
    as_series = check_plan(hh, pd.Series(list("AABB"), index=list("abcd")), preset("banan"), graph=g)
    assert sorted(as_dict.violations["code"]) == sorted(as_series.violations["code"]) != []


def test_repair_plan_names_a_locked_unit_the_plan_lacks() -> None:
    """repair_plan(…, locked=["U999"]) dropped the lock in silence where the command line says LOCK-UNKNOWN."""
    from yuanluo import repair_plan
    from yuanluo.gis.errors import InputError

    hh, g = _line()
    with pytest.raises(InputError) as e:
        repair_plan(hh, pd.Series(list("AABB"), index=list("abcd")), preset("banan"), g, locked=["A", "U999"])
    assert e.value.codes == ["LOCK-UNKNOWN"] and "U999" in e.value.render("en")
