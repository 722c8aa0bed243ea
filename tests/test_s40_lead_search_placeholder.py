"""Session 40 (the lead, looking at the README demo's map at 390 x 844): the field map's search box said
查找户编号、院落编号或 and cut off 村名, the part 5989fbe added; the box has no room for a leading 查找, which the
button beside it already says. The placeholder now fits the box, in zh and en, on the sample layers.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import open_in_chromium, require_browser

from yuanluo.maps.interactive import save_map
from yuanluo.maps.sample import sample_layers

FITS = """(() => {
  const i = document.querySelector('.yl-search input'), cs = getComputedStyle(i);
  const c = document.createElement('canvas').getContext('2d'); c.font = cs.font;
  const room = i.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
  return [c.measureText(i.placeholder).width, room, i.placeholder];
})()"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_search_placeholder_fits_its_box_on_a_phone(tmp_path: Path, lang: str) -> None:
    require_browser()
    path = save_map(sample_layers(120, block=5, seed=7), tmp_path / "m.html", lang=lang)
    rep = open_in_chromium(path, viewport=(390, 844), wait_for="!!(window.yuanluo && window.yuanluo.find)",
                           settle_ms=300, evaluate={"fit": FITS})
    assert not rep.console_errors and not rep.csp_violations and not rep.external_requests
    width, room, placeholder = rep.counts["fit"]
    assert placeholder and width <= room, rep.counts["fit"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_coverage_maps_placeholder_fits_its_box_on_a_phone(tmp_path: Path, lang: str) -> None:
    """The coverage map's box is the field map's (search.js): 查找户编号、服务点编号或村名 showed 查找户编号、服务点编."""
    require_browser()
    from shared_fixtures import run_cli

    from yuanluo.gis.synth import make_village

    make_village(60, seed=3).write(tmp_path / "v")
    run_cli(["delineate", str(tmp_path / "v" / "households.gpkg"), "--preset", "banan", "-o", str(tmp_path / "u.gpkg"),
             "-q"])
    page = tmp_path / "cover.html"
    run_cli(["--lang", lang, "cover", str(tmp_path / "u.gpkg"), "-o", str(tmp_path / "c.gpkg"), "--map", str(page),
             "-q"], lang)
    rep = open_in_chromium(page, viewport=(390, 844), wait_for="!!(window.yuanluo && window.yuanluo.find)",
                           settle_ms=300, evaluate={"fit": FITS})
    assert not rep.console_errors and not rep.csp_violations and not rep.external_requests
    width, room, placeholder = rep.counts["fit"]
    assert placeholder and width <= room, rep.counts["fit"]
