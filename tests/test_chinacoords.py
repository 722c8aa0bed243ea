"""WGS-84 / GCJ-02 / BD-09 against reference values and round-trip properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yuanluo.gis import chinacoords as cc

# reference values computed with prcoords 1.0.2 (public-domain reference implementation)
REF = [
    # lon, lat, gcj lon, gcj lat, bd lon, bd lat
    (106.55, 29.56, 106.55372033746897, 29.557153428541934, 106.5601543518712, 29.563460940653155),
    (104.07, 30.67, 104.07251550116789, 30.66758960552962, 104.07902015932807, 30.67354641388105),
    (108.40, 30.81, 108.40459122199688, 30.807740003298026, 108.41113605752827, 30.813509587574618),
    (116.39, 39.91, 116.39624077676238, 39.911400727444104, 116.4026127195303, 39.9177395269732),
]


def _metres(lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray) -> np.ndarray:
    k = np.pi / 180 * 6371000.0
    return np.hypot((lon1 - lon2) * k * np.cos(np.radians(lat1)), (lat1 - lat2) * k)


@pytest.mark.parametrize("row", REF)
def test_forward_matches_reference(row: tuple[float, ...]) -> None:
    lon, lat, glon, glat, blon, blat = row
    g = cc.wgs84_to_gcj02(lon, lat)
    b = cc.wgs84_to_bd09(lon, lat)
    assert abs(float(g[0]) - glon) < 1e-12 and abs(float(g[1]) - glat) < 1e-12
    assert abs(float(b[0]) - blon) < 1e-12 and abs(float(b[1]) - blat) < 1e-12


def test_offsets_in_chongqing_are_the_known_size() -> None:
    lon, lat = np.array([106.55]), np.array([29.56])
    g = cc.wgs84_to_gcj02(lon, lat)
    b = cc.wgs84_to_bd09(lon, lat)
    assert 470 < _metres(lon, lat, *g)[0] < 490  # 479 m in the notes
    assert 1040 < _metres(lon, lat, *b)[0] < 1070  # 1 056 m


china = st.tuples(st.floats(73.6, 134.9), st.floats(18.2, 53.5))


@settings(deadline=None, max_examples=60)
@given(pts=st.lists(china, min_size=1, max_size=20))
def test_inverse_round_trip_within_1mm(pts: list[tuple[float, float]]) -> None:
    lon = np.array([p[0] for p in pts])
    lat = np.array([p[1] for p in pts])
    w = cc.gcj02_to_wgs84(*cc.wgs84_to_gcj02(lon, lat))
    assert _metres(lon, lat, *w).max() < 1e-3
    w2 = cc.bd09_to_wgs84(*cc.wgs84_to_bd09(lon, lat))
    assert _metres(lon, lat, *w2).max() < 1e-3


def test_identity_outside_china_and_shapes() -> None:
    lon, lat = np.array([[1.5, 2.0]]), np.array([[42.5, 41.0]])
    g = cc.wgs84_to_gcj02(lon, lat)
    assert g[0].shape == (1, 2) and np.array_equal(g[0], lon) and np.array_equal(g[1], lat)
    w = cc.gcj02_to_wgs84(lon, lat)
    assert np.array_equal(w[0], lon)
    assert cc.to_wgs84(lon, lat, "wgs84")[0] is not lon  # a copy, never the input
