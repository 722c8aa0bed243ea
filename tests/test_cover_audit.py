"""Defects of ``yuanluo cover`` found by an audit: a hub no one can reach, X/Y swapped in a candidate table, a
mobile-point limit said to be met when it is not, the summary's levels, and the print map's legend and labels."""

from __future__ import annotations

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from yuanluo.gis.errors import InputError
from yuanluo.gis.graph import TerrainGraph
from yuanluo.planners.cover import CoverPlan, output_layers, site


@pytest.fixture(scope="module")
def village() -> tuple[gpd.GeoDataFrame, TerrainGraph]:
    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.synth import make_village

    v = make_village(300, seed=3)
    return v.households, build_graph(v.households, rivers=v.rivers, roads=v.roads)


def _halls(hh: gpd.GeoDataFrame, picks: list[int], names: list[str], dx: float = 0.0) -> gpd.GeoDataFrame:
    pts = hh.geometry.iloc[picks].translate(xoff=dx)
    return gpd.GeoDataFrame({"名称": names}, geometry=pts.to_numpy(), crs=hh.crs)


def test_no_usable_candidate_stops_with_the_file_and_rows(village: tuple[gpd.GeoDataFrame, TerrainGraph]) -> None:
    """Every candidate far from the households: a coded error naming the file and rows, never a hub no one walks
    to (it was P001, also listed among the points left out, and every household "cut off by a river")."""
    hh, g = village
    far = _halls(hh, [0, 50, 100], ["甲", "乙", "丙"], dx=40_000.0)
    far.attrs.update(file="halls.csv", rows=[2, 3, 4])
    with pytest.raises(InputError) as exc:
        site(hh, g, CoverPlan(per_level={"village": 1, "group": 1}), candidates=far)
    p = exc.value.problems[0]
    assert p.code == "COVER-SITE-NONE" and p.file == "halls.csv" and p.rows == (2, 3, 4)
    assert "halls.csv" in p.message("zh") and "None" not in p.message("en")


def test_a_candidate_table_with_x_and_y_swapped_is_found(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Under a Gauss–Krüger CRS plain X is the northing: an easting in X is COORD-XY-SWAP, naming the file and rows,
    as for a household table (it was read as is, the points landed ~4,000 km away)."""
    from yuanluo.gis.io import read_points

    e = [474435.8, 474986.4, 474151.3, 475088.5]
    n = [3297837.8, 3297574.6, 3298654.3, 3298861.1]
    bad = tmp_path / "cands.csv"
    bad.write_text("名称,X,Y\n" + "".join(f"P{i},{x},{y}\n" for i, (x, y) in enumerate(zip(e, n, strict=True))),
                   encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_points(bad, kind="candidates", working_crs="EPSG:4545", crs="EPSG:4545")
    p = exc.value.problems[0]
    assert p.code == "COORD-XY-SWAP" and p.file == str(bad) and p.rows == (2, 3, 4, 5)
    # said of points, with a fix a table of points has (cover takes no --x-col): it said "4 户", "--x-col"
    assert "4 个点的 X/Y" in p.message("zh") and "--x-col" not in p.message("zh") and "列名对调" in p.message("zh")
    assert "4 points" in p.message("en") and "households" not in p.message("en")
    good = tmp_path / "ok.csv"
    good.write_text("名称,X,Y\n" + "".join(f"P{i},{y},{x}\n" for i, (x, y) in enumerate(zip(e, n, strict=True))),
                    encoding="utf-8")
    t = read_points(good, kind="candidates", working_crs="EPSG:4545", crs="EPSG:4545")
    assert round(t.geometry.x.iloc[0]) == 474436 and t.attrs["rows"] == [2, 3, 4, 5]


def test_a_mobile_limit_the_candidates_cannot_meet_is_warned(village: tuple[gpd.GeoDataFrame, TerrainGraph]) -> None:
    """Households no candidate brings within --mobile-within: a warning with how many and the worst walk, and the
    summary's gap only about the others (it said the limit was met, "at most 0.00% from the optimum")."""
    from yuanluo.planners import console as C
    from yuanluo.planners.cli.cover import _summary_fields

    hh, g = village
    cands = _halls(hh, [0, 1, 2], ["村委会", "院坝", "祠堂"])
    c = site(hh, g, CoverPlan(per_level={"village": 1}, mobile_within=3.0), candidates=cands)
    w = c.layers["households"]["walk_min"].to_numpy(dtype=float)
    over = int((np.isfinite(w) & (w > 3.0)).sum())
    assert over > 0
    short = [p for p in c.warnings if p.code == "COVER-MOBILE-SHORT"]
    assert len(short) == 1 and short[0].count == over and short[0].params["worst"] == f"{round(np.nanmax(w), 2):g}"
    assert c.summary["mobile_short"] == over
    from yuanluo.planners.cover_report import render_cover_report

    page = render_cover_report(c, lang="zh", mobile_within=3.0)
    assert f"不含离任何候选点都超过 3 分钟的 {over} 户" in page and "COVER-MOBILE-SHORT" in page
    C.set_lang("zh")
    try:
        line = C.msg("cli.cover.done", **_summary_fields(c.summary))
        assert f"另有 {over} 户不能" in line and "（每村服务点）" in line and "片区" not in line
    finally:
        C.set_lang("zh")


def test_the_summary_names_the_levels_placed_and_never_prints_none() -> None:
    from yuanluo.planners import console as C
    from yuanluo.planners.cli.cover import _summary_fields

    base = {"households": 3, "points": 2, "mobile_points": 0, "served": 0, "unreachable": 3, "limit_min": 15.0,
            "mean_walk_min": None, "gap": 0.0, "mobile_gap": None, "levels": ["village", "group"]}
    C.set_lang("en")
    try:
        line = C.msg("cli.cover.done", **_summary_fields(base))
        assert "(village hubs, group hubs)" in line and "area" not in line and "None" not in line
        line = C.msg("cli.cover.done", **_summary_fields({**base, "levels": ["hub"], "mean_walk_min": 2.5}))
        assert "(area hubs)" in line and "mean walk 2.5 minutes" in line
    finally:
        C.set_lang("zh")


def test_the_print_map_labels_given_names_and_keeps_its_legend_on_the_sheet(
        village: tuple[gpd.GeoDataFrame, TerrainGraph]) -> None:
    """The English legend (its longest label "cannot reach any service point (0 households)") ran off the sheet;
    points were labelled P001 … although the candidates named them."""
    from yuanluo.maps.coverage import check_cover_layers
    from yuanluo.maps.static import font_rc
    from yuanluo.maps.static_cover import _draw

    hh, g = village
    cands = _halls(hh, [0, 150], ["党群服务中心", "院坝"])
    c = site(hh, g, CoverPlan(n_hubs=2), candidates=cands)
    assert c.layers["hubs"]["name"].tolist() == c.layers["hubs"]["site"].tolist()
    lyr = check_cover_layers(output_layers(c, "en"))
    with matplotlib.rc_context(font_rc()):
        fig = _draw(lyr, paper="A4", lang="en", title=None, dpi=60, limit=15.0)
        FigureCanvasAgg(fig)
        fig.canvas.draw()
        leg = fig.legends[0]
        assert leg.get_window_extent().x1 <= fig.bbox.width
        drawn = {t.get_text() for t in fig.axes[0].texts}
    assert {"党群服务中心", "院坝"} <= drawn and not any(t.startswith("P00") for t in drawn)
    plain = site(hh, g, CoverPlan(n_hubs=2))  # the households' own locations: no given name, the ids stay
    assert plain.layers["hubs"]["name"].isna().all()


def test_a_group_with_no_candidate_within_the_limit_gets_no_hub_no_one_reaches(
        village: tuple[gpd.GeoDataFrame, TerrainGraph]) -> None:
    """A group no candidate is within the limit of cost the same at every site, and took the first one listed:
    a point 40 km away no one walks to (a hub serving 0 households). Now the one it walks least to."""
    hh, g = village
    far = _halls(hh, [0], ["远处"], dx=40_000.0)
    near = _halls(hh, [0, 150], ["甲", "乙"], dx=3.0)
    cands = gpd.GeoDataFrame(pd.concat([far, near], ignore_index=True), crs=hh.crs)
    c = site(hh, g, CoverPlan(per_level={"group": 1}, limit_min=0.5), candidates=cands)
    hubs = c.layers["hubs"]
    assert "远处" not in set(hubs["site"]) and (hubs["n_households"] > 0).all()
    assert "远处" in set(c.layers["sites_left_out"]["site"])


@pytest.mark.parametrize("hubs", [None, 2])
def test_a_fixed_point_no_one_walks_to_is_left_out_never_a_hub(village: tuple[gpd.GeoDataFrame, TerrainGraph],
                                                               hubs: int | None) -> None:
    """A fixed point 40 km off is named (COVER-SITE-FAR, ``sites_left_out``) and is not among the hubs: it was
    listed as P002 serving 0 households and counted among the service points; with ``--hubs N`` it took a place."""
    hh, g = village
    fixed = pd.concat([_halls(hh, [0], ["村委会"]), _halls(hh, [50], ["旧点"], dx=40_000.0)], ignore_index=True)
    plan = CoverPlan(per_level={}, n_hubs=hubs) if hubs else CoverPlan(per_level={"village": 1})
    res = site(hh, g, plan, fixed=gpd.GeoDataFrame(fixed, crs=hh.crs))
    hub_names = res.layers["hubs"]["name"].fillna("").tolist()
    assert "旧点" not in hub_names and "村委会" in hub_names
    assert res.layers["sites_left_out"]["site"].tolist() == ["旧点"]
    assert (res.layers["hubs"]["n_households"] > 0).all() and res.summary["points"] == len(res.layers["hubs"])
    assert [w.code for w in res.warnings].count("COVER-SITE-FAR") == 1
    if hubs:
        assert (res.layers["hubs"]["level"] == "hub").sum() == hubs
