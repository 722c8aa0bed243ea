"""``yuanluo cover``'s hubs and coverage layers carry a town column before the village where the households have one
(2aa1e8d), but their ``village`` still held the path 甲镇/新华村 where two towns each have a 新华村, while the units
layer, the plan workbook, the maturity template and village_maturity keep the village's own name beside the town: a
QGIS filter village='新华村' or a join on (town, village) found nothing. Beside a town column the village is now its
own name; where there is no town column beside it (the maps' key and cards, the report's list of households not
covered) it keeps its path (session 36, fixer GI)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import pytest
from shared_fixtures import chain
from typer.testing import CliRunner

from yuanluo.maps.coverage import serves_text
from yuanluo.planners.cli import app
from yuanluo.planners.cover import CoverPlan, _serves, drawn_layers, output_layers, site

LON0, LAT0 = 106.55, 29.56


def _two_xinhua() -> tuple[gpd.GeoDataFrame, object]:
    """12 households in a row: 新华村 of 甲镇 (6), then 新华村 of 乙镇 (6), each with a 一组 and a 二组."""
    return chain(乡镇=["甲镇"] * 6 + ["乙镇"] * 6, village=["新华村"] * 12,
                 group=["一组"] * 3 + ["二组"] * 3 + ["一组"] * 3 + ["二组"] * 3)


@pytest.mark.parametrize("per_level", [{"village": 1, "group": 1}, {"village": 1}, {"group": 1}])
def test_beside_the_town_the_village_is_its_own_name(per_level: dict[str, int]) -> None:
    hh, g = _two_xinhua()
    layers = output_layers(site(hh, g, CoverPlan(per_level=per_level)), "zh")
    hubs = layers["hubs"]
    assert set(hubs["village"]) == {"新华村"}, hubs  # was 甲镇/新华村, 乙镇/新华村
    assert set(hubs["town"]) == {"甲镇", "乙镇"}
    cov = layers["coverage"]
    rows = cov[~cov["total"]]
    assert set(rows["village"]) == {"新华村"}, cov
    # a join on (town, village) as the units layer keys them: both towns, each village once per level
    for lvl, part in rows.groupby("level"):
        keys = list(zip(part["town"], part["village"], part["group"], strict=True))
        assert len(keys) == len(set(keys))
        assert {(t, v) for t, v, _ in keys} == {("甲镇", "新华村"), ("乙镇", "新华村")}, lvl


def test_the_maps_which_have_no_town_column_keep_the_path() -> None:
    hh, g = _two_xinhua()
    res = site(hh, g, CoverPlan(per_level={"village": 1, "group": 1}))
    layers = output_layers(res, "zh")
    drawn = drawn_layers(res, layers, "zh")
    said = serves_text(drawn["hubs"])
    assert {"甲镇/新华村", "乙镇/新华村", "甲镇/新华村 一组", "乙镇/新华村 二组"} <= set(said), said
    assert set(layers["hubs"]["village"]) == {"新华村"}  # the layers written are not changed by the drawing
    assert drawn["coverage"] is layers["coverage"] and drawn["households"] is layers["households"]


def test_a_point_serving_both_towns_keeps_the_paths() -> None:
    """With two towns in the town cell a plain 新华村 would not say which town's; each keeps its path."""
    hh, g = _two_xinhua()
    res = site(hh, g, CoverPlan(n_hubs=1))
    area = res.sitings["area"]
    served = _serves(res.layers["hubs"].drop(columns=["town", "village", "group"]), res.layers["households"],
                     area.chosen, {"village:甲镇/新华村": area, "village:乙镇/新华村": area})
    # in the roster's order (session 37: 甲镇 first, as the households name it; by name 乙镇 was)
    assert served["town"].tolist() == ["甲镇, 乙镇"]
    assert served["village"].tolist() == ["甲镇/新华村, 乙镇/新华村"]
    out = output_layers(replace(res, layers={**res.layers, "hubs": served}), "zh")["hubs"]
    assert out["village"].tolist() == ["甲镇/新华村、乙镇/新华村"]


def test_without_a_town_column_nothing_changes() -> None:
    hh, g = _two_xinhua()
    hh = hh.assign(village=["甲村"] * 6 + ["乙村"] * 6).drop(columns="乡镇")
    res = site(hh, g, CoverPlan(per_level={"village": 1, "group": 1}))
    layers = output_layers(res, "zh")
    assert res.map_names == {} and drawn_layers(res, layers, "zh") is layers
    assert sorted(set(layers["hubs"]["village"])) == ["乙村", "甲村"]


def _households(tmp: Path) -> Path:
    """24 households in a row, the first 12 of 新华村 of 甲镇, the others of 新华村 of 乙镇."""
    lines = ["户编号,经度,纬度,人口,乡镇,行政村,村民小组"]
    for i in range(24):
        lines.append(f"{i + 1:03d},{LON0 + 0.0004 * i:.6f},{LAT0 + 0.0003 * (i % 3):.6f},3,"
                     f"{'甲镇' if i < 12 else '乙镇'},新华村,{'一组' if i % 12 < 6 else '二组'}")
    p = tmp / "hh.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def _run(args: list[str], lang: str = "zh") -> str:
    r = CliRunner().invoke(app, args, env={"COLUMNS": "400", "YUANLUO_LANG": lang})
    assert r.exit_code == 0, r.output
    return r.output


def test_cover_cli_writes_the_own_name_and_draws_the_path(tmp_path: Path) -> None:
    units, out = tmp_path / "u.gpkg", tmp_path / "c.gpkg"
    _run(["delineate", str(_households(tmp_path)), "--crs", "EPSG:4490", "--min", "4", "--max", "8",
          "-o", str(units)])
    page, report = tmp_path / "c.html", tmp_path / "r.html"
    _run(["cover", str(units), "-o", str(out), "--map", str(page), "--report", str(report)])
    hubs = gpd.read_file(out, layer="hubs")
    assert (hubs["village"] == "新华村").sum() == len(hubs), hubs  # a QGIS filter village='新华村' finds them all
    cov = gpd.read_file(out, layer="coverage")
    assert set(cov.loc[~cov["total"].astype(bool), "village"]) == {"新华村"}
    assert "甲镇/新华村 一组" in page.read_text(encoding="utf-8")  # the map's card: no town column there
    rep = report.read_text(encoding="utf-8")
    tables = re.sub(r' data-h="[^"]*"', "", rep[rep.index('id="points"'):])  # without each cell's heading (data-h, the phone's cards of session 39)
    assert "/新华村" not in tables  # beside the 乡镇 column
    assert re.search(r"<td>甲镇</td><td>新华村</td>", tables) and re.search(r"<td>乙镇</td><td>新华村</td>", tables)
