"""Walking minutes of ``cover`` (session 32): one figure everywhere. ``planners.cover.site`` rounded every walk to
0.01 minute and decided ``served`` on that, while ``gis.cover.cover_entries`` (and the siting: ``max_cover``,
``set_cover``) counted the walk unrounded: a household 15.003 minutes away was served in the CLI's table and
beyond the limit in a notebook, and the two tables differed in the last digits. The walk is now kept unrounded
(the file holds it; only a display rounds it) and every count of every output is decided on it, as
``cover_entries`` decides."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from yuanluo.gis.cover import cover_entries, service_network, walk_to_nearest
from yuanluo.gis.graph import TerrainGraph
from yuanluo.planners.cover import CoverPlan, output_layers, site


def _star(walks: list[float]) -> tuple[gpd.GeoDataFrame, TerrainGraph]:
    """A household H0 with a candidate on it and one household per walk, joined to H0 by an edge of that walk."""
    ids = ["H0", *(f"H{i + 1}" for i in range(len(walks)))]
    xy = [[500000.0, 3300000.0], *([500000.0 + 60 * np.cos(a), 3300000.0 + 60 * np.sin(a)]
                                   for a in np.linspace(0, 6, len(walks)))]
    g = TerrainGraph.from_edges(ids, xy, [(0, i + 1) for i in range(len(walks))], crs="EPSG:4545", walk_min=walks)
    hh = gpd.GeoDataFrame({"village": ["甲村"] * len(ids)}, geometry=[Point(*p) for p in xy],
                          index=pd.Index(ids, name="hid"), crs="EPSG:4545")
    return hh, g


WALKS = [4.9991, 5.003, 14.996, 15.0, 15.003, 15.006, 9.87654321]


def test_served_agrees_with_cover_entries_at_the_limit() -> None:
    hh, g = _star(WALKS)
    cand = gpd.GeoDataFrame({"名称": ["村委会"]}, geometry=[hh.geometry.iloc[0]], crs="EPSG:4545")
    res = site(hh, g, CoverPlan(n_hubs=1, limit_min=15.0), candidates=cand)
    out = res.layers["households"]
    # the notebook's figure: the walks cover_entries gives from the same site, within the same limit
    net = service_network(g, site_xy=np.array([[500000.0, 3300000.0]]), site_ids=np.array(["村委会"]))
    entries = cover_entries(net, 15.0)
    within = dict(zip(entries.hh.tolist(), entries.minutes.tolist(), strict=True))
    order = g.index_of(out.index)
    assert out["served"].tolist() == [int(i) in within for i in order]
    assert out["served"].tolist() == [True, True, True, True, True, False, False, True]  # 15.0 within 15
    assert out["code"].fillna("").tolist() == [""] * 5 + ["COVER-FAR"] * 2 + [""]
    # the same minutes, to the last digit, as cover_entries and walk_to_nearest give them
    assert [within[int(i)] for i in order[:5]] == out["walk_min"].iloc[:5].tolist()
    assert out["walk_min"].tolist() == walk_to_nearest(net, [0])[0][order].tolist()
    # settled to 1e-6 minute (the site on H0 joins it by a 1e-9 edge: 15 is 15, within 15), never to 0.01
    assert out["walk_min"].tolist() == [0.0, 4.9991, 5.003, 14.996, 15.0, 15.003, 15.006, 9.876543]
    # every count the outputs give is that one: the coverage table, the summary
    total = res.layers["coverage"].query("total").iloc[0]
    assert res.summary["served"] == int(total["within_15"]) == int(out["served"].sum()) == 6
    assert int(total["within_5"]) == 2 and int(total["within_10"]) == 4  # 5.003: not within 5
    # the hubs layer's longest walk is the longest served walk's figure, unrounded (the report rounds it)
    assert res.layers["hubs"]["max_walk_min"].iloc[0] == 15.006
    # the layers as written are the same figures
    written = output_layers(res, "en")["households"].set_index("hid")
    assert written["walk_min"].tolist() == out["walk_min"].tolist()
    assert written["served"].tolist() == out["served"].tolist()


def test_the_mobile_points_short_count_agrees_with_their_set_cover() -> None:
    """COVER-MOBILE-SHORT counted the rounded walks beyond ``mobile_within`` while the set cover placing the mobile
    points counted them unrounded: one figure now."""
    hh, g = _star([3.0, 10.003, 10.0])
    cand = gpd.GeoDataFrame({"名称": ["村委会"]}, geometry=[hh.geometry.iloc[0]], crs="EPSG:4545")
    res = site(hh, g, CoverPlan(n_hubs=1, limit_min=15.0, mobile_within=10.0), candidates=cand)
    assert res.summary["mobile_short"] == 1  # 10.003 is beyond 10 (rounded, it was within)


@pytest.fixture(scope="module")
def village_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from yuanluo.gis.synth import make_village

    v = make_village(150, seed=5)
    path = tmp_path_factory.mktemp("s32fd") / "v.gpkg"
    v.households.to_file(path, layer="households")
    return path


def test_the_cli_writes_the_minutes_a_notebook_gets(village_file: Path) -> None:
    from typer.testing import CliRunner

    from yuanluo.gis.neighbours import build_graph
    from yuanluo.planners.cli import app

    out = village_file.parent / "c.gpkg"
    res = CliRunner().invoke(app, ["cover", str(village_file), "--hubs", "2", "-o", str(out), "-q"],
                             env={"COLUMNS": "400", "SOURCE_DATE_EPOCH": "1764460800"})
    assert res.exit_code == 0, res.output
    hh_cli = gpd.read_file(out, layer="households").set_index("hid")
    w = hh_cli["walk_min"].to_numpy(dtype=float)
    assert (np.abs(np.round(w, 2) - w) > 1e-9).any()  # not rounded to 0.01 on the way to the file
    assert hh_cli["served"].astype(bool).tolist() == (np.isfinite(w) & (w <= 15.0)).tolist()
    cov = gpd.read_file(out, layer="coverage")
    assert int(cov[cov["total"].astype(bool)].iloc[0]["within_15"]) == int(hh_cli["served"].astype(bool).sum())
    # a notebook's run on the same file: the same minutes, the same served
    hh = gpd.read_file(village_file, layer="households")
    hh = hh.set_index("hid")
    nb = site(hh, build_graph(hh), CoverPlan(n_hubs=2)).layers["households"]
    assert np.allclose(nb.loc[hh_cli.index, "walk_min"].to_numpy(dtype=float), w, rtol=0, atol=1e-9, equal_nan=True)
    assert nb.loc[hh_cli.index, "served"].tolist() == hh_cli["served"].astype(bool).tolist()
