"""``yuanluo cover``'s hubs and coverage layers (and the report's tables of them) had the village but no town:
where the households have a town column they now carry ``town`` (乡镇 / Town) before ``village``, as the units layer
does (session 36, fixer GD); without one, as they were."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import pytest
from shared_fixtures import chain, two_town_result
from shared_fixtures import gpkg_aliases as _aliases
from shared_fixtures import run_cli as _run

from yuanluo.planners.cover import CoverPlan, output_layers, site
from yuanluo.planners.cover_report import render_cover_report


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return two_town_result(tmp_path_factory.mktemp("gd_town"))


# ------------------------------------------------------------------------------- 3. cover: the town by the village
def _two_towns() -> tuple[gpd.GeoDataFrame, object]:
    return chain(乡镇=["甲镇"] * 6 + ["乙镇"] * 6, village=["新华村"] * 6 + ["胜利村"] * 6,
                 group=["一组"] * 3 + ["二组"] * 3 + ["一组"] * 3 + ["二组"] * 3)


@pytest.mark.parametrize("per_level", [{"village": 1, "group": 1}, {"village": 1}, {}])
def test_the_hubs_and_coverage_layers_carry_the_town_before_the_village(per_level: dict[str, int]) -> None:
    hh, g = _two_towns()
    res = site(hh, g, CoverPlan(per_level=per_level, n_hubs=None if per_level else 2))
    town_of = {"新华村": "甲镇", "胜利村": "乙镇"}
    for lang in ("zh", "en"):
        layers = output_layers(res, lang)
        hubs = layers["hubs"]
        cols = list(hubs.columns)
        assert cols.index("level") + 1 == cols.index("town") and cols.index("town") + 1 == cols.index("village")
        assert all(t == town_of[v] for t, v in zip(hubs["town"], hubs["village"], strict=True)), hubs
        # each point stands in the town it names (its site is one of that town's households)
        assert hubs["town"].tolist() == hh.loc[hubs["site"].astype(str), "乡镇"].tolist()
        cov = layers["coverage"]
        cols = list(cov.columns)
        assert cols.index("town") + 1 == cols.index("village")
        rows = cov[~cov["total"]]
        assert rows["town"].tolist() == [town_of[v] for v in rows["village"]]
        assert set(cov.loc[cov["total"], "town"]) == {""}


def test_a_point_serving_two_towns_names_both() -> None:
    from yuanluo.planners.cover import _serves

    hh, g = _two_towns()
    res = site(hh, g, CoverPlan(n_hubs=1))
    hubs = output_layers(res, "zh")["hubs"]
    assert hubs["town"].tolist() in (["甲镇"], ["乙镇"])  # sited for none: the town of most of its households
    area = res.sitings["area"]  # the one point, as if sited for a village of each town (a hub they share)
    served = _serves(res.layers["hubs"].drop(columns=["town", "village", "group"]), res.layers["households"],
                     area.chosen, {"village:新华村": area, "village:胜利村": area})
    # the towns in the roster's order (session 37: 甲镇 first, as the households name it; by name 乙镇 was)
    assert served["town"].tolist() == ["甲镇, 乙镇"] and served["village"].tolist() == ["新华村, 胜利村"]
    assert output_layers(replace(res, layers={**res.layers, "hubs": served}), "zh")["hubs"]["town"].tolist() == [
        "甲镇、乙镇"]


def test_without_a_town_column_the_cover_layers_are_as_they_were() -> None:
    hh, g = _two_towns()
    res = site(hh.drop(columns="乡镇"), g, CoverPlan(per_level={"village": 1, "group": 1}))
    layers = output_layers(res, "zh")
    assert "town" not in layers["hubs"].columns and "town" not in layers["coverage"].columns
    assert list(layers["coverage"].columns[:3]) == ["village", "group", "total"]
    page = render_cover_report(res, lang="zh")
    assert "<th>乡镇</th>" not in page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_cover_report_tables_have_the_town(lang: str) -> None:
    hh, g = _two_towns()
    page = render_cover_report(site(hh, g, CoverPlan(per_level={"village": 1, "group": 1})), lang=lang)
    page = re.sub(r' data-h="[^"]*"', "", page)  # without each cell's heading (data-h, the phone's cards of session 39)
    word = {"zh": "乡镇", "en": "Town"}[lang]
    points = page[page.index('id="points"'):page.index('id="areas"')]
    assert f"<th>{word}</th><th>{'村' if lang == 'zh' else 'Village'}</th>" in points
    assert "<td>甲镇</td><td>新华村</td>" in points and "<td>乙镇</td><td>胜利村</td>" in points
    areas = page[page.index('id="areas"'):]
    assert areas.count(f"<th>{word}</th>") == 2  # the village table and the group table
    assert "<td>甲镇</td><td>新华村</td>" in areas and "<td>乙镇</td><td>胜利村 二组</td>" in areas


def test_cover_writes_the_town_with_the_catalogues_name(result: Path, tmp_path: Path) -> None:
    out, report = tmp_path / "c.gpkg", tmp_path / "c.html"
    _run(["cover", str(result), "-o", str(out), "--report", str(report)])
    aliases = _aliases(out)
    assert aliases[("hubs", "town")] == "乡镇" and aliases[("coverage", "town")] == "乡镇"
    hubs = gpd.read_file(out, layer="hubs")
    assert set(hubs["town"]) == {"甲镇", "乙镇"}
    cols = list(hubs.columns)
    assert cols.index("town") + 1 == cols.index("village")
    cov = gpd.read_file(out, layer="coverage")
    assert set(cov.loc[~cov["total"].astype(bool), "town"]) == {"甲镇", "乙镇"}
    assert "<th>乡镇</th>" in report.read_text(encoding="utf-8")


@pytest.mark.browser
def test_on_a_phone_the_names_beside_the_town_break_at_their_spaces_only(tmp_path: Path) -> None:
    """The town column made the coverage tables' name column narrower still: 胜利村 stood one character a line.
    With the town column a name breaks at its spaces only (the table scrolls sideways instead)."""
    from browser import open_in_chromium, require_browser

    require_browser()
    hh, g = _two_towns()
    page = tmp_path / "r.html"
    page.write_text(render_cover_report(site(hh, g, CoverPlan(per_level={"village": 1, "group": 1})), lang="zh"),
                    encoding="utf-8")
    lines = ("(() => {{ const r = document.createRange(); r.selectNodeContents([...document.querySelectorAll("
             "'table.areas td')].find(td => td.textContent === '{}')); return r.getClientRects().length; }})()")
    rep = open_in_chromium(page, viewport=(390, 844), evaluate={
        "town": lines.format("乙镇"), "village": lines.format("胜利村"), "group": lines.format("胜利村 一组")})
    assert not rep.csp_violations and not rep.console_errors
    # without: 1, 3 and 3 lines; a name breaks at its spaces only (2 lines in a table; in the phone's cards of
    # session 39 the group has the room of one line)
    assert rep.counts["town"] == 1 and rep.counts["village"] == 1 and rep.counts["group"] in (1, 2), rep.counts
