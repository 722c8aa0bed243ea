"""Session 42, helper M: the coverage map's legend read 11 px on a phone (auditor F).

cover.css set the legend to 11 px below 480 px of width, where the field map's legend reads 12 px; on a 360 × 640
phone the walking bands and the service-point levels were the smallest text of the page. It is 12 px now.

Fixture: 61 households (60 within 5 minutes of P001, one 30 minutes from P002) and the sample field map, at 360 × 640
with a phone's touch screen, the legend unfolded; zh and en.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from browser import live_page, require_browser
from shapely.geometry import Point

from yuanluo.maps.coverage import make_cover_map, render_cover_html
from yuanluo.maps.interactive import make_map, render_html
from yuanluo.maps.sample import sample_layers

SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts"
#: the font size of every piece of text in the unfolded legend
SIZES = """() => {
  document.querySelector('.yl-legend-toggle').click();
  const out = [], walk = document.createTreeWalker(document.querySelector('.yl-legend'), NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const t = walk.currentNode;
    if (t.textContent.trim()) out.push([parseFloat(getComputedStyle(t.parentElement).fontSize), t.textContent.trim()]);
  }
  return out;
}"""


def cover_layers() -> dict[str, gpd.GeoDataFrame]:
    pts = [Point(500000 + 40 * (k % 10), 3300000 + 40 * (k // 10)) for k in range(60)] + [Point(503000, 3300000)]
    hh = gpd.GeoDataFrame({"hub_id": ["P001"] * 60 + ["P002"], "walk_min": [3.0] * 60 + [30.5], "code": [None] * 61},
                          geometry=pts, crs="EPSG:32648", index=pd.Index([f"H{k:03d}" for k in range(61)], name="hid"))
    hubs = gpd.GeoDataFrame({"hub_id": ["P001", "P002"], "site": ["H005", "H060"], "level": ["village", "group"]},
                            geometry=[pts[5], pts[60]], crs="EPSG:32648")
    return {"households": hh, "hubs": hubs}


def _sizes(path: Path, shot: str | None = None) -> list[list[object]]:
    with live_page(path, viewport=(360, 640), ready="!!(window.yuanluo && window.yuanluo.find)", touch=True,
                   scale=2) as (page, errors):
        sizes = page.evaluate(SIZES)
        if shot:
            SHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SHOTS / shot))
        assert not errors, errors
    return sizes


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_coverage_legend_reads_at_least_12_px_on_a_phone(tmp_path: Path, lang: str) -> None:
    require_browser()
    cover, field = tmp_path / "cover.html", tmp_path / "field.html"
    cover.write_text(render_cover_html(make_cover_map(cover_layers(), lang=lang)), encoding="utf-8")
    field.write_text(render_html(make_map(sample_layers(40, block=3, seed=1), lang=lang)), encoding="utf-8")
    sizes = _sizes(cover, f"s42_m_cover_legend_{lang}.png")
    assert len(sizes) >= 7, sizes  # the title, 4 bands, 2 levels, the summary
    assert min(s for s, _ in sizes) >= 12, sizes  # was 11 px
    assert min(s for s, _ in sizes) >= min(s for s, _ in _sizes(field)), sizes  # not smaller than the field map's
