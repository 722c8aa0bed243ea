"""``yuanluo cover --report``: the list of households not covered gives the town a column of its own, as the
report's other tables do (session 37, helper B).

Where the households have a town column the service-point and coverage tables (and the hubs and coverage layers)
have 乡镇 / Town before the village, the village being its own name (新华村 of 甲镇, 新华村 of 乙镇); the list of
households not covered still said the village as a path, 甲镇/新华村, with no town column. It now has the town
column beside the village's own name; without a town column it is as before. On a phone (390 px) a household's
group stays one line (二组, not 二 over 组) and its walk on the screen."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shared_fixtures import run_cli, two_town_result

from yuanluo.gis.graph import TerrainGraph
from yuanluo.planners.cover import CoverPlan, site
from yuanluo.planners.cover_report import render_cover_report

CRS = "EPSG:4545"
TOWN = {"zh": "乡镇", "en": "Town"}
HEADS = {"zh": ["户编号", "乡镇", "村", "组", "最近服务点"], "en": ["Household", "Town", "Village", "Group",
                                                                  "Nearest point"]}


def _coverage(cols: Mapping[str, Sequence[str | None]], per_level: dict[str, int]) -> object:
    """12 households in a row 400 m (6 minutes) apart with the given columns, sited per level within 5 minutes:
    most are not covered."""
    n = 12
    ids = [f"{i:03d}" for i in range(n)]
    xy = np.c_[np.arange(n) * 400.0, np.zeros(n)]
    hh = gpd.GeoDataFrame({k: pd.Series(v, index=ids, dtype=object) for k, v in cols.items()},
                          index=pd.Index(ids, name="hid"), geometry=gpd.points_from_xy(*xy.T), crs=CRS)
    graph = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(n - 1)], crs=CRS)
    return site(hh, graph, CoverPlan(per_level=per_level, limit_min=5))


def _uncovered(page: str) -> tuple[list[str], dict[str, list[str]]]:
    """The list of households not covered: its first table's headings, and each household id -> its cells after
    the id (over both tables)."""
    part = page[page.index('id="uncovered"'):page.index('id="quality"')]
    heads = re.findall(r"<th(?: [^>]*)?>(.*?)</th>", part)
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", part, flags=re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        if cells:
            rows[cells[0]] = cells[1:]
    return heads, rows


TWO_XINHUA = {"乡镇": ["甲镇"] * 6 + ["乙镇"] * 6, "village": ["新华村"] * 12,
              "group": ["一组"] * 3 + ["二组"] * 3 + ["一组"] * 3 + ["二组"] * 3}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_list_has_the_town_beside_the_villages_own_name(lang: str) -> None:
    heads, rows = _uncovered(render_cover_report(_coverage(TWO_XINHUA, {"village": 1}), lang=lang))
    assert heads[:5] == HEADS[lang], heads  # the old list: 户编号, 村, 组, … (no town)
    assert len(rows) == 10, rows
    assert rows["000"][:3] == ["甲镇", "新华村", "一组"] and rows["011"][:3] == ["乙镇", "新华村", "二组"]
    assert {tuple(r[:2]) for r in rows.values()} == {("甲镇", "新华村"), ("乙镇", "新华村")}  # was 甲镇/新华村


def test_the_list_names_the_town_as_the_coverage_tables_do() -> None:
    """Each household's (town, village, group) is a row of the report's coverage table of groups."""
    page = render_cover_report(_coverage(TWO_XINHUA, {"village": 1, "group": 1}))
    _, rows = _uncovered(page)
    areas = re.sub(r' data-h="[^"]*"', "", page[page.index('id="areas"'):])  # without each cell's heading (data-h, the phone's cards of session 39)
    for town, village, group in {tuple(r[:3]) for r in rows.values()}:
        assert f"<td>{town}</td><td>{village} {group}</td>" in areas, (town, village, group)


def test_groups_without_villages_beside_the_town_are_their_own_name() -> None:
    cols = {"乡镇": TWO_XINHUA["乡镇"], "group": ["一组"] * 6 + ["一组"] * 3 + ["三组"] * 3}
    heads, rows = _uncovered(render_cover_report(_coverage(cols, {"group": 1})))
    assert heads[:3] == ["户编号", "乡镇", "组"]
    assert rows["000"][:2] == ["甲镇", "一组"] and rows["006"][:2] == ["乙镇", "一组"] and rows["011"][:2] == [
        "乙镇", "三组"]  # was 甲镇/一组, 乙镇/一组


def test_a_blank_town_cell_is_blank_and_its_village_as_it_is() -> None:
    cols = {**TWO_XINHUA, "乡镇": ["甲镇"] * 6 + ["乙镇"] * 3 + [None] * 3}
    _, rows = _uncovered(render_cover_report(_coverage(cols, {"village": 1})))
    assert rows["000"][:2] == ["甲镇", "新华村"] and rows["011"][:2] == ["", "新华村"], rows


def test_without_a_town_column_the_list_is_as_it_was() -> None:
    cols = {"village": ["甲村"] * 6 + ["乙村"] * 6, "group": TWO_XINHUA["group"]}
    page = render_cover_report(_coverage(cols, {"village": 1}))
    heads, rows = _uncovered(page)
    assert heads[:3] == ["户编号", "村", "组"] and rows["000"][:2] == ["甲村", "一组"]
    assert "乡镇" not in page and 'class="name"' not in page


def test_cover_report_of_a_two_town_result(tmp_path: Path) -> None:
    out, report = tmp_path / "c.gpkg", tmp_path / "c.html"
    run_cli(["cover", str(two_town_result(tmp_path)), "-o", str(out), "--report", str(report), "--limit", "1"])
    heads, rows = _uncovered(report.read_text(encoding="utf-8"))
    assert heads[:4] == HEADS["zh"][:4] and rows, heads
    assert all(r[1] == "新华村" and r[0] in ("甲镇", "乙镇") for r in rows.values()), rows


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_on_a_phone_the_group_is_one_line_and_the_walk_on_the_screen(tmp_path: Path, lang: str) -> None:
    """Long town and village names (长江街道办事处, 黄桷坪社区居民委员会) break where they must; the group cell
    stays one line and the walk column within the 390 px screen."""
    from browser import open_in_chromium, require_browser

    require_browser()
    cols = {**TWO_XINHUA, "乡镇": ["甲镇"] * 6 + ["长江街道办事处"] * 6,
            "village": ["新华村"] * 6 + ["黄桷坪社区居民委员会"] * 6}
    page = tmp_path / "r.html"
    page.write_text(render_cover_report(_coverage(cols, {"village": 1}), lang=lang), encoding="utf-8")
    cell = "[...document.querySelectorAll('#nc-far + div table.list tbody tr')].find(tr => tr.cells[0].textContent"
    lines = (f"(() => {{ const r = document.createRange(); r.selectNodeContents(({cell} === '011')).cells[3]); "
             "return r.getClientRects().length; })()")
    right = f"Math.round(({cell} === '011')).cells[5].getBoundingClientRect().right)"
    shot = Path("test-artifacts") / f"s37_b_cover_uncovered_town_{lang}.png"
    rep = open_in_chromium(page, viewport=(390, 844), screenshot=shot, evaluate={
        "group_lines": lines, "walk_right": right, "width": "document.documentElement.clientWidth",
        "shown": "(document.getElementById('uncovered').scrollIntoView(), 1)"})  # the screenshot: the list
    assert not rep.csp_violations and not rep.console_errors
    assert rep.counts["group_lines"] == 1, rep.counts  # keep-all on every cell: the walk off the screen
    assert rep.counts["walk_right"] <= rep.counts["width"], rep.counts
