"""Sites given to ``service_network`` as a layer are named by the layer's own ids (session 50, helper N): a layer of
halls with a 名称 or id column was numbered S1, S2 … as a bare array is, and what a p-median or the far-site warning
said could not be found in the layer."""

from __future__ import annotations

import warnings

import geopandas as gpd
import pytest

from yuanluo.gis.cover import service_network
from yuanluo.gis.graph import TerrainGraph


def _graph() -> TerrainGraph:
    return TerrainGraph.from_edges(["a", "b"], [[500_000, 3_380_000], [500_060, 3_380_000]], [(0, 1)],
                                   crs="EPSG:4545")


def _halls(**cols: list[object]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(cols, geometry=gpd.points_from_xy([500_010, 500_050, 510_000], [3_380_000] * 3),
                            crs="EPSG:4545")


def _ids(layer: gpd.GeoDataFrame, *given: list[str]) -> list[str]:
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        net = service_network(_graph(), layer, *given)
    ids = [str(s) for s in net.site_ids]
    assert f"（{ids[2]}）" in str(seen[0].message)  # the site no household reaches, by the id it is known by
    return ids


@pytest.mark.parametrize(("cols", "ids"), [
    ({"名称": ["村委会", "院坝", "远处"]}, ["村委会", "院坝", "远处"]),
    ({"name": ["x", "y", "z"], "id": [3.0, 1.0, 2.0]}, ["3", "1", "2"]),  # an id column before a name column
    ({"编号": ["H1", "H2", "H3"]}, ["H1", "H2", "H3"])])
def test_a_layer_of_sites_is_named_by_its_ids(cols: dict[str, list[object]], ids: list[str]) -> None:
    assert _ids(_halls(**cols)) == ids


@pytest.mark.parametrize("cols", [{"名称": ["院坝", "院坝", "远处"]}, {"名称": ["院坝", None, "远处"]},
                                  {"note": ["a", "b", "c"]}])
def test_a_column_that_cannot_be_ids_is_passed_over(cols: dict[str, list[object]]) -> None:
    """Two alike or one blank: not ids, the next column (an id column added) names them, else S1, S2 …"""
    assert _ids(_halls(**cols)) == ["S1", "S2", "S3"]
    assert _ids(_halls(**cols, site_id=["k", "l", "m"])) == ["k", "l", "m"]
    assert _ids(_halls(**cols, site_id=["k", "l", "m"]), ["p", "q", "r"]) == ["p", "q", "r"]  # ids given: taken
