"""``yuanluo cover`` (audit C, items 1 and 2): a villager group is (village, group), as every village has its own
1组 and 2组 (hubs, their village, the coverage rows, the report and the map); and a household's ``served`` and
``code`` are decided on the minutes as written (``walk_min``, unrounded since session 32), as every count is."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

SDE = {"SOURCE_DATE_EPOCH": "1764460800"}


@pytest.fixture(scope="module")
def two_villages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic village of 300 households cut into two villages (甲村 west, 乙村 east), each with a 1组 (south)
    and a 2组 (north): four groups, two of each name."""
    from yuanluo.gis.synth import make_village

    v = make_village(300, seed=3)
    hh = v.households.copy()
    x, y = hh.geometry.x, hh.geometry.y
    hh["village"] = np.where(x < x.median(), "甲村", "乙村")
    for name in ("甲村", "乙村"):
        inside = hh["village"] == name
        hh.loc[inside, "group"] = np.where(y[inside] < y[inside].median(), "1组", "2组")
    path = tmp_path_factory.mktemp("s28c") / "two.gpkg"
    hh.to_file(path, layer="households")
    v.rivers.to_file(path, layer="rivers")
    v.roads.to_file(path, layer="roads")
    return path


def _cover(args: list[str]) -> object:
    from typer.testing import CliRunner

    from yuanluo.planners.cli.app import app

    return CliRunner().invoke(app, ["cover", *args], env=SDE)


def test_same_named_groups_of_two_villages_stay_apart(two_villages: Path) -> None:
    """Four groups (甲村 1组, 甲村 2组, 乙村 1组, 乙村 2组) get four group hubs, each standing in its own group and
    labelled with its own village; the coverage layer has a row per village and group with its village (alias
    行政村); the report's table and the map's point cards say the village with the group. Keyed by the group's
    name alone, the two 1组 were one group with one hub, labelled with one village, and counted together."""
    d = two_villages.parent
    out, report, html = d / "c.gpkg", d / "r.html", d / "m.html"
    r = _cover([str(two_villages), "-o", str(out), "--report", str(report), "--map", str(html), "-q"])
    assert r.exit_code == 0, r.output  # type: ignore[attr-defined]
    hh = gpd.read_file(out, layer="households").set_index("hid")
    hubs = gpd.read_file(out, layer="hubs")
    pairs = sorted(set(zip(hh["village"], hh["group"], strict=True)))
    assert len(pairs) == 4
    ghubs = hubs[hubs["level"] == "group"]
    assert sorted(zip(ghubs["village"], ghubs["group"], strict=True)) == pairs
    for _, h in ghubs.iterrows():  # the site (a household's location) is in the group it serves
        assert (hh.loc[h["site"], "village"], hh.loc[h["site"], "group"]) == (h["village"], h["group"])
    cov = gpd.read_file(out, layer="coverage")
    assert "village" in cov.columns
    rows = cov[(cov["level"] == "group") & ~cov["total"].astype(bool)]
    assert sorted(zip(rows["village"], rows["group"], strict=True)) == pairs
    size = hh.groupby(["village", "group"]).size()
    for _, row in rows.iterrows():
        assert row["households"] == size[(row["village"], row["group"])]
    from yuanluo.gis.layerstyle import field_alias

    assert field_alias("village", "zh", "coverage") == "行政村"
    page = report.read_text(encoding="utf-8")
    areas = page.split('id="areas"', 1)[1]
    for v, g in pairs:
        assert f"{v} {g}" in areas
    data = html.read_text(encoding="utf-8")  # the points' cards: what each serves
    for v, g in pairs:  # a point of two villages: a line each with its households ("甲村 1组：74 户", session 39)
        assert f'"{v} {g}' in data


def test_served_is_decided_on_the_written_minutes() -> None:
    """A household 15.004 minutes away is beyond 15 everywhere: written 15.004 (session 32: unrounded, as
    cover_entries counts it; rounded to 15.0 it was served in the table and beyond the limit in a notebook), with
    COVER-FAR, so the console's count (summary) and the table's agree."""
    from yuanluo.gis.graph import TerrainGraph
    from yuanluo.planners.cover import CoverPlan, output_layers, site

    ids = ["H1", "H2", "H3"]
    xy = [[500000.0, 3300000.0], [500060.0, 3300000.0], [500000.0, 3300060.0]]
    g = TerrainGraph.from_edges(ids, xy, [(0, 1), (0, 2)], crs="EPSG:4545", walk_min=[15.004, 15.006])
    hh = gpd.GeoDataFrame({"village": ["甲村"] * 3, "group": ["1组"] * 3}, geometry=[Point(*p) for p in xy],
                          index=pd.Index(ids, name="hid"), crs="EPSG:4545")
    cand = gpd.GeoDataFrame({"名称": ["村委会"]}, geometry=[Point(*xy[0])], crs="EPSG:4545")
    res = site(hh, g, CoverPlan(n_hubs=1), candidates=cand)
    out = output_layers(res, "zh")["households"].set_index("hid")
    assert out["walk_min"].tolist() == [0.0, 15.004, 15.006]
    assert out["served"].tolist() == [True, False, False]
    assert out["code"].fillna("").tolist() == ["", "COVER-FAR", "COVER-FAR"]
    assert out["reason"].isna().tolist() == [True, False, False]
    total = res.layers["coverage"][res.layers["coverage"]["total"]].iloc[0]
    assert res.summary["served"] == int(total["within_15"]) == int(out["served"].sum()) == 1


def test_what_reading_the_candidates_found_is_said_by_cover(two_villages: Path) -> None:
    """A candidates table QGIS saved (its ``fid`` column) naming two points alike: ``cover`` says COL-FID and
    POINTS-NAME-DUP with the rows on the console (read_points found them, but cover never said them)."""
    d = two_villages.parent
    hh = gpd.read_file(two_villages, layer="households")
    pts = hh.geometry.iloc[[3, 150, 290]]
    cand = d / "cand.csv"
    cand.write_text("fid,名称,东坐标,北坐标\n" + "".join(f"{i + 1},{n},{p.x:.2f},{p.y:.2f}\n" for i, (n, p) in
                                                enumerate(zip(["文化室", "院坝", "文化室"], pts, strict=True))),
                    encoding="utf-8")
    r = _cover([str(two_villages), "--candidates", str(cand), "--crs", str(hh.crs.to_epsg()), "--hubs", "2",
                "-o", str(d / "cand.gpkg")])
    out = r.output  # type: ignore[attr-defined]
    assert r.exit_code == 0, out  # type: ignore[attr-defined]
    assert "COL-FID" in out and "POINTS-NAME-DUP" in out, out
    # the console table wraps its cells at a width that follows the longest cell (the temporary path's length)
    flat = re.sub(r"[\s│┃]+", "", out)
    assert "文化室（第2、4行）" in flat, out
