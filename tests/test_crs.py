"""Working CRS choice, Gauss–Krüger zone arithmetic and declared-CRS parsing."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import CRS

from yuanluo.gis.crs import gk_cm_epsg, gk_info, is_legacy_chinese, parse_crs, to_working_crs, working_crs_for
from yuanluo.gis.errors import CRSError


@pytest.mark.parametrize(("lon", "lat", "epsg"), [
    (106.55, 29.56, 4545),  # Yuzhong, central Chongqing
    (106.40, 29.55, 4544),  # Shapingba, west of the 106.5E zone border
    (109.90, 31.10, 4546),  # Wushan, far-east Chongqing
    (104.07, 30.67, 4544),  # Chengdu
    (1.55, 42.55, 32631),  # Andorra: UTM 31N
    (-70.0, -33.0, 32719),  # southern hemisphere UTM
])
def test_working_crs_for(lon: float, lat: float, epsg: int) -> None:
    assert working_crs_for((lon, lat)).to_epsg() == epsg


@pytest.mark.filterwarnings("ignore:You will likely lose:UserWarning")
@settings(deadline=None, max_examples=40)
@given(lon=st.floats(73.5, 135.0))
def test_gk_zone_formula_matches_pyproj_central_meridian(lon: float) -> None:
    epsg = gk_cm_epsg(lon)
    params = CRS.from_epsg(epsg).to_dict()
    assert abs(params["lon_0"] - lon) <= 1.5 + 1e-9
    info = gk_info(epsg)
    assert info is not None and info["cm"] == params["lon_0"]


@pytest.mark.filterwarnings("ignore:You will likely lose:UserWarning")
def test_prefixed_and_cm_variants() -> None:
    for epsg in range(4513, 4534):
        pre, cm = gk_info(epsg), gk_info(epsg + 21)
        assert pre is not None and cm is not None
        assert pre["prefixed"] == 1 and cm["prefixed"] == 0 and pre["cm"] == cm["cm"]
        assert CRS.from_epsg(epsg).to_dict()["x_0"] == pre["zone"] * 1e6 + 500000
    assert gk_info("EPSG:32631") is None


def test_sample_values_from_the_notes() -> None:
    g = gpd.GeoDataFrame(geometry=gpd.points_from_xy([106.55], [29.56]), crs=4326)
    cm = to_working_crs(g)
    pre = g.to_crs(4524)
    assert np.allclose([cm.geometry.x.iloc[0], cm.geometry.y.iloc[0]], [359474.1, 3272217.3], atol=0.1)
    assert np.isclose(pre.geometry.x.iloc[0], 36359474.1, atol=0.1)
    assert g.geometry.x.iloc[0] == 106.55  # input untouched


def test_parse_crs_and_legacy() -> None:
    assert parse_crs("cgcs2000").crs.to_epsg() == 4490
    assert parse_crs("BD09").shift == "bd09" and parse_crs("wgs84").shift == ""
    assert parse_crs("4545").crs.to_epsg() == 4545
    with pytest.raises(CRSError):
        parse_crs("EPSG:999999")
    assert is_legacy_chinese("EPSG:2383") and is_legacy_chinese("EPSG:2436")
    assert not is_legacy_chinese("EPSG:4490") and not is_legacy_chinese("EPSG:32631")


def test_working_crs_refuses_geographic() -> None:
    g = gpd.GeoDataFrame(geometry=gpd.points_from_xy([106.55], [29.56]), crs=4326)
    with pytest.raises(CRSError):
        to_working_crs(g, "EPSG:4490")
