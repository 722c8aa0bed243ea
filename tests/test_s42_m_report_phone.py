"""Session 42, helper M: the check report's small print read 11.9 px on a phone and its jump links were narrow
(auditor F).

At 360 × 640 the report's body is 14 px, so ``.small`` (.85em) was 11.9 px: "按代码统计（违规与提示）（点击跳到该节）",
each group's "警告，共 56 条", the footer; "列出全部 N 个户编号" and the full list of ids (.92em of the table's .92em) were
11.85 px. The jump links at the top ("规则", "Rules", "Units") were 32, 42 and 40 px wide for a 44 px touch target.
On screens every text now reads at least 12 px and, on a phone, every link is at least 44 × 44 px; print keeps its
sizes.

Fixture: 60 households in a row, 12 a unit with every seventh given to another unit, rules 8–10 households and a
5-minute walk: errors with lists of more than five ids; zh and en.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from browser import live_page, require_browser
from shapely import points

from yuanluo.gis.check import check_plan
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.rules import Rules
from yuanluo.planners.report import write_html

SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts"
SMALL = """(() => {
  const out = [], walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const t = walk.currentNode, s = parseFloat(getComputedStyle(t.parentElement).fontSize);
    if (t.textContent.trim() && s < 12) out.push([s, t.textContent.trim().slice(0, 30)]);
  }
  return out;
})()"""
NARROW = """Array.from(document.querySelectorAll('a')).map(a => {
  const r = a.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height), a.textContent]; })
  .filter(x => x[0] < 44 || x[1] < 44)"""


def _result():  # type: ignore[no-untyped-def]
    n, crs = 60, "EPSG:32631"
    ids, xy = [f"H{i:03d}" for i in range(n)], [[50 * i, 0] for i in range(n)]
    hh = gpd.GeoDataFrame({"persons": pd.array([3] * n, dtype="Int64")}, geometry=points(xy), crs=crs,
                          index=pd.Index(ids, name="hid"))
    g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(n - 1)], crs=crs)
    lab = pd.Series([f"U{i // 12:02d}" if i % 7 else f"U{(i // 12 + 2) % 5:02d}" for i in range(n)], index=ids)
    return check_plan(hh, lab, Rules(8, 10, name="test", max_walk_min=5.0), graph=g, graph_kind="straight",
                      unapplied=False)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_check_report_reads_12_px_and_its_links_are_44_px_on_a_phone(tmp_path: Path, lang: str) -> None:
    require_browser()
    res = _result()
    assert (res.violations["hids"].map(len) > 5).any()  # some finding lists its ids in full
    path = write_html(res, tmp_path / f"check-{lang}.html", lang=lang)
    with live_page(path, viewport=(360, 640), ready="true", touch=True, scale=2) as (page, errors):
        assert page.evaluate("document.querySelectorAll('p.jump a, h3 .small, details.ids').length") >= 5
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"s42_m_check_report_{lang}.png"))
        assert page.evaluate(SMALL) == []  # was 11.9 px: the counts' head, each group's count, the id lists
        assert page.evaluate(NARROW) == []  # was 32 × 44 (规则), 42 × 44 (Rules), 40 × 44 (Units)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert not errors, errors
