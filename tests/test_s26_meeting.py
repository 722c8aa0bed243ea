"""The delineation's meeting point under a walking limit (session 26).

The search picks a unit's meeting point by its own symmetric minutes; the limit is kept on each household's walk
to it, uphill and downhill apart, as ``check`` measures it. On the real Andorra run of the audit (La Massana and
Ordino, 20–40 households, 15 minutes) three units were WALK-LIMIT exceptions although another of their households
kept every member within 15 minutes (9.6, 13.6, 10.4): now such a unit takes that household.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

from yuanluo import UnitDelineator, check_plan
from yuanluo.gis.graph import TerrainGraph

IDS = ["a", "b", "c"]


def _slope() -> tuple[gpd.GeoDataFrame, TerrainGraph]:
    """a above b above c on a slope: 1 minute down each step, 6 up; the search's symmetric minutes 3.5."""
    xy = np.array([[500000.0, 3300000.0], [500080.0, 3300000.0], [500160.0, 3300000.0]])
    hh = gpd.GeoDataFrame({"hid": IDS}, geometry=[Point(*p) for p in xy], crs="EPSG:4545").set_index("hid")
    g = TerrainGraph("EPSG:4545", np.array(IDS), xy, np.array([0, 1]), np.array([1, 2]), np.array([80.0, 80.0]),
                     np.array([3.5, 3.5]), walk_uv=np.array([1.0, 1.0]), walk_vu=np.array([6.0, 6.0]))
    return hh, g


def test_a_unit_meets_where_every_household_is_within_the_limit_when_one_of_them_allows_it() -> None:
    hh, g = _slope()
    m = UnitDelineator(min_size=2, max_size=5, require_head=False, keep_settlements=False,
                       max_walk_min=5).fit(hh, g)
    u = m.units_.iloc[0]
    # the search's centre b is 6 minutes uphill from c; from the foot, c, a walks 2 and b 1
    assert (u["status"], u["meeting_hid"], u["max_walk_min"], u["code"]) == ("ok", "c", 2.0, "")
    assert check_plan(hh, m.labels_, m.rules(), graph=g).passed


def test_a_seed_point_stays_the_meeting_point_and_the_unit_stays_an_exception() -> None:
    hh, g = _slope()
    m = UnitDelineator(min_size=2, max_size=5, require_head=False, keep_settlements=False,
                       max_walk_min=5).fit(hh, g, seeds=["b"])
    u = m.units_.iloc[0]
    assert (u["status"], u["meeting_hid"], u["code"]) == ("exception", "b", "WALK-LIMIT")
    assert check_plan(hh, m.labels_, m.rules(), graph=g).passed


def test_the_units_reasons_follow_yuanluo_lang_in_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """A notebook's ``units_['reason']`` was Chinese whatever ``YUANLUO_LANG`` said (errors followed it)."""
    hh, g = _slope()
    said: dict[str, str] = {}
    for lang in ("en", "zh"):
        monkeypatch.setenv("YUANLUO_LANG", lang)
        m = UnitDelineator(min_size=2, max_size=5, require_head=False, keep_settlements=False,
                           max_walk_min=5).fit(hh, g, seeds=["b"])
        said[lang] = m.units_["reason"].iloc[0]
    assert said["en"].startswith("beyond the walking limit") or "walking limit" in said["en"], said
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in said["en"]) and "步行" in said["zh"]
