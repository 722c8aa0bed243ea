"""SPAT-WATER's share when it rounds to 0.0 % (session 41, audit G's finding 12).

``yuanluo validate`` of Andorra's 7,383 buildings said "1 户落在水面范围内，占 7383 户的 0.0%": a share of households
that are there read as none. A share under 0.05 % is now "不到 7383 户的 0.1%" / "under 0.1% of the 7383";
others as before.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from yuanluo.gis.validate import check_in_water

CRS = "EPSG:32648"


def _water(n: int, wet: int) -> list:
    """``n`` households 20 m apart in a row, the first ``wet`` of them inside a pond."""
    hh = gpd.GeoDataFrame(geometry=[Point(20.0 * i, 0.0) for i in range(n)], crs=CRS,
                          index=pd.Index([f"h{i:05d}" for i in range(n)], name="hid"))
    pond = gpd.GeoDataFrame(geometry=[box(-5.0, -5.0, 20.0 * (wet - 1) + 5.0, 5.0)], crs=CRS)
    return [p for p in check_in_water(hh, pond, "hh.csv") if p.code == "SPAT-WATER"]


@pytest.mark.parametrize(("lang", "said"), [("zh", "1 户落在水面范围内，不到 7383 户的 0.1%（"),
                                            ("en", "1 household lies inside water polygons, under 0.1% of the 7383 (")])
def test_one_household_of_thousands_is_under_a_tenth_of_a_percent(lang: str, said: str) -> None:
    found = _water(7383, 1)
    assert len(found) == 1
    title = found[0].title(lang)
    assert said in title and "0.0%" not in title, title


@pytest.mark.parametrize(("lang", "said"), [("zh", "占 18 户的 5.6%"), ("en", "5.6% of the 18")])
def test_a_share_that_shows_is_as_before(lang: str, said: str) -> None:
    assert said in _water(18, 1)[0].title(lang)
    assert np.isclose(100 / 18, 5.5556, atol=1e-3)
