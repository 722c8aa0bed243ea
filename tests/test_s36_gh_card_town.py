"""The web map's cards carry the town where the data has one (session 36, fixer GH).

With a town column, 新华村 of 甲镇 and 新华村 of 乙镇 are two villages, but the HTML map carried no town at all
(maps.interactive.CANONICAL_FIELDS had none): the household cards and the unit cards of the two 新华村 read alike.
A household's card now has the households' town column (乡镇, 街道 …) before its village, labelled 乡镇 / Town from
the catalogue; a unit's card its town and village first (the units layer's ``town``, card_town.js). Escaped (every
text by textContent). A page of data without a town is byte for byte as without this change: no town line, no
card_town.js."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import open_in_chromium, require_browser  # tests/ is on sys.path under pytest
from typer.testing import CliRunner

from yuanluo.gis.catalogue import text
from yuanluo.maps.interactive import make_map, render_html, save_map
from yuanluo.planners.cli import app
from yuanluo.planners.workflows import read_result

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
LON0, LAT0 = 106.55, 29.56
#: a hostile town name: markup and a formula, to be shown as it is
EVIL = '<img src=x onerror="alert(1)">乙镇'


def _households(tmp: Path, town: bool) -> Path:
    """24 households in a row, 12 of 新华村 of 甲镇 then 12 of 新华村 of 乙镇 (with ``town``; else no town column)."""
    lines = ["户编号,经度,纬度,人口," + ("乡镇," if town else "") + "行政村,村民小组"]
    for i in range(24):
        t = "甲镇" if i < 12 else "乙镇"
        lines.append(f"{i + 1:03d},{LON0 + 0.0004 * i:.6f},{LAT0 + 0.0003 * (i % 3):.6f},3,"
                     + (f"{t}," if town else "") + "新华村,一组")
    p = tmp / f"hh_{town}.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, Path]:
    d = tmp_path_factory.mktemp("gh_card_town")
    out = {}
    for town in (True, False):
        out[town] = d / f"u_{town}.gpkg"
        r = CliRunner().invoke(app, ["delineate", str(_households(d, town)), "--crs", "EPSG:4490", "--min", "4",
                                     "--max", "8", "-o", str(out[town])],
                               env={"COLUMNS": "400", "YUANLUO_LANG": "zh"})
        assert r.exit_code == 0, r.output
    return out


def _evil(gpkg: Path) -> dict:
    """The result's layers with 乙镇 renamed to :data:`EVIL` in the households and the units."""
    lyr, _ = read_result(gpkg)
    hh, units = lyr["households"].copy(), lyr["units"].copy()
    hh["乡镇"] = hh["乡镇"].replace({"乙镇": EVIL})
    units["town"] = units["town"].replace({"乙镇": EVIL})
    return {**lyr, "households": hh, "units": units}


#: each row as label TAB value (the card's rows are grids since s57: a row's innerText no longer holds the tab)
_ROWS = "[...s.querySelectorAll('tr')].map(r => [...r.cells].map(c => c.innerText).join('\\t'))"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_household_and_unit_cards_name_the_town_on_a_phone(results: dict[bool, Path], tmp_path: Path,
                                                            lang: str) -> None:
    require_browser()
    lyr = _evil(results[True])
    units = lyr["units"].set_index("unit_id")
    hh = lyr["households"]
    first, last = str(hh.index[0]), str(hh.index[-1])  # 甲镇's first, 乙镇's last
    u_a, u_b = str(hh.loc[first, "unit_id"]), str(hh.loc[last, "unit_id"])
    assert units.loc[u_a, "town"] == "甲镇" and units.loc[u_b, "town"] == EVIL
    path = save_map(lyr, tmp_path / "m.html", lang=lang)
    show_h = "(() => {{ const Y = window.yuanluo, s = Y.showHousehold(Y.householdIndex({h})); return " + _ROWS + "; }})()"
    show_u = "(() => {{ const s = window.yuanluo.showUnit({u}, true); return " + _ROWS + "; }})()"
    rep = open_in_chromium(path, viewport=(390, 844), wait_for="window.yuanluo",
                           settle_ms=300, screenshot=ARTIFACTS / f"s36_gh_card_town_{lang}.png",
                           evaluate={"ha": show_h.format(h=f'"{first}"'), "ua": show_u.format(u=f'"{u_a}"'),
                                     "hb": show_h.format(h=f'"{last}"'),
                                     "ub": show_u.format(u=f'"{u_b}"'),
                                     "imgs": "document.querySelectorAll('.yl-card img').length"})
    assert not rep.console_errors and not rep.csp_violations and not rep.external_requests and not rep.dialogs
    town, village = text("map.town", lang), text("map.village", lang)
    ha, hb, ua, ub = (rep.counts[k] for k in ("ha", "hb", "ua", "ub"))
    # the household card: the town before the village (the old card: 行政村 新华村 alone, the same for both)
    assert f"{town}\t甲镇" in ha and f"{town}\t{EVIL}" in hb, (ha, hb)
    assert ha.index(f"{town}\t甲镇") + 1 == ha.index(f"{village}\t新华村")
    # the unit card: town and village first (the old card had neither)
    assert ua[:2] == [f"{town}\t甲镇", f"{village}\t新华村"], ua
    assert ub[:2] == [f"{town}\t{EVIL}", f"{village}\t新华村"], ub
    assert rep.counts["imgs"] == 0  # the markup shown as text, never made an element


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_a_town_the_page_has_no_town_line(results: dict[bool, Path], lang: str) -> None:
    lyr, _ = read_result(results[False])
    page = render_html(make_map(lyr, lang=lang))
    assert "var W = " not in page and "card_town" not in page
    fields = re.search(r'"fields":(\[[^]]*\])', page)
    assert fields and fields.group(1) == '["persons","village","group"]'
    assert page == render_html(make_map(lyr, lang=lang))  # same bytes each time


def test_a_blank_town_column_adds_no_town_line(results: dict[bool, Path]) -> None:
    lyr, _ = read_result(results[True])
    units = lyr["units"].assign(town=None)
    page = render_html(make_map({**lyr, "units": units}))
    assert "var W = " not in page
