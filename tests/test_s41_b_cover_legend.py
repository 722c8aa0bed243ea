"""Session 41, helper B: the coverage map drew rivers, water and roads but its legend did not say what they were.

``yuanluo cover … --rivers … --roads … --water … --map`` draws the context layers (the field map's
``_add_context_layers``: the switcher names them 水面, 河流, 道路), while the legend listed the walking bands and the
service points only. Its legend now has their rows as the field map's legend has them: the same marks, colours and
words.

Fixture: a 200-household synthetic village (its rivers and roads) with a pond, through the CLI; the sample layers with
the same kinds of layer as a field map; at 390 × 844, zh and en, the legend unfolded.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from browser import live_page, require_browser

from yuanluo.gis.catalogue import text
from yuanluo.maps.interactive import save_map
from yuanluo.maps.sample import sample_layers

SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts"
ROWS = """() => {
  document.querySelector('.yl-legend-toggle').click();
  return Array.from(document.querySelectorAll('.yl-legend-body i')).map(i => {
    const s = getComputedStyle(i);
    return [i.className, s.backgroundColor, s.borderTopColor, s.borderTopWidth, i.nextSibling.textContent];
  });
}"""


def _legend(page_path: Path, shot: str | None = None) -> list[list[str]]:
    with live_page(page_path, viewport=(390, 844), ready="!!(window.yuanluo && window.yuanluo.find)",
                   touch=True) as (page, errors):
        rows = page.evaluate(ROWS)
        if shot:
            SHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SHOTS / shot))
        assert not errors, errors
    return rows


def _field_map(tmp: Path, lang: str) -> Path:
    lyr = dict(sample_layers(60, block=3, seed=1))
    x0, y0, x1, y1 = lyr["households"].total_bounds
    crs = lyr["households"].crs
    lyr["water"] = gpd.GeoDataFrame({"DLMC": ["坑塘水面"]}, geometry=[shapely.Point(x0, y0).buffer(40)], crs=crs)
    lyr["rivers"] = gpd.GeoDataFrame(geometry=[shapely.LineString([(x0, y0), (x1, y1)])], crs=crs)
    lyr["roads"] = gpd.GeoDataFrame(geometry=[shapely.LineString([(x0, y1), (x1, y0)])], crs=crs)
    return save_map(lyr, tmp / f"field-{lang}.html", lang=lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_coverage_legend_names_rivers_water_and_roads_as_the_field_map(tmp_path: Path, lang: str) -> None:
    require_browser()
    from shared_fixtures import run_cli

    from yuanluo.gis.synth import make_village

    make_village(200, seed=3).write(tmp_path / "v")
    hh = gpd.read_file(tmp_path / "v" / "households.gpkg", layer="households")
    x0, y0, _, _ = hh.total_bounds
    gpd.GeoDataFrame(geometry=[shapely.box(x0 - 150, y0 - 150, x0 - 50, y0 - 50)], crs=hh.crs).to_file(
        tmp_path / "pond.gpkg", layer="water")
    ctx, page = tmp_path / "v" / "context.gpkg", tmp_path / f"cover-{lang}.html"
    run_cli(["--lang", lang, "cover", str(tmp_path / "v" / "households.gpkg"), "--dem", str(tmp_path / "v" / "dem.tif"),
             "--rivers", f"{ctx}::rivers", "--roads", f"{ctx}::roads", "--water", str(tmp_path / "pond.gpkg"),
             "-o", str(tmp_path / "c.gpkg"), "--map", str(page), "-q"], lang)
    cover = _legend(page, f"s41_b_cover_legend_{lang}.png")
    field = _legend(_field_map(tmp_path, lang))
    words = [text(f"map.{k}", lang) for k in ("water", "rivers", "roads")]
    # the old legend: the bands and the service points, nothing of the three
    assert [r[4] for r in cover if r[4] in words] == words, cover
    for w in words:
        assert [r for r in cover if r[4] == w] == [r for r in field if r[4] == w], w  # same mark, colours, word
    assert cover[-1][0] == "line" and "rgba(31, 120, 180, 0.35)" in [r[1] for r in cover], cover
