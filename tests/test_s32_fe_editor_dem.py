"""``yuanluo edit`` draws the hillshade of the DEM the plan is judged over, as ``yuanluo map`` draws it: the DEM a
result records, found unchanged (RESULT-DEM-OWN), or ``--dem``; a result away from its DEM gets a page without one,
said once (RESULT-DEM, naming the ``--dem`` to add). The image is the field map's own (the same ``data:`` PNG), under
the households, allowed by the page's Content-Security-Policy (``img-src data:``) and taking no tap."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from shared_fixtures import delineate_village
from shared_fixtures import flat as _flat
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()
ENV = {"COLUMNS": "400"}
RULE = ["--min", "15", "--max", "30"]
_DATA = re.compile(r'<script type="application/json" id="yl-editor-data">(.*?)</script>', re.S)
_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A result delineated over the DEM beside it (its path recorded relative to the result's folder)."""
    d = tmp_path_factory.mktemp("editdem")
    delineate_village(d, ["--dem", "dem.tif", *RULE, "-o", "result.gpkg", "-q"], env=ENV)
    return d / "result.gpkg"


def _payload(page: Path) -> dict[str, Any]:
    m = _DATA.search(page.read_text(encoding="utf-8"))
    assert m is not None
    data: dict[str, Any] = json.loads(m.group(1))
    return data


def _codes(output: str, code: str) -> int:
    """How many times the warning ``code`` (exactly, not a longer code it begins) is said."""
    return len(re.findall(rf"(?<![A-Z-]){re.escape(code)}(?![A-Z-])", output))


def _edit(result: Path, page: Path, *extra: str) -> Any:
    return runner.invoke(app, ["edit", str(result), "-o", str(page), *extra], env=ENV)


def test_edit_draws_the_hillshade_of_the_results_own_dem(result: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # elsewhere: the DEM is found beside the result
    page = tmp_path / "edit.html"
    res = _edit(result, page)
    assert res.exit_code == 0, res.output
    shade = _payload(page)["shade"]
    assert shade is not None and shade["url"].startswith("data:image/png;base64,") and shade["opacity"] == 0.6
    (s, w), (n, e) = shade["b"]
    assert s < n and w < e
    flat = _flat(res.output)
    assert _codes(res.output, "RESULT-DEM-OWN") == 1 and _codes(res.output, "RESULT-DEM") == 0, res.output
    assert "MAP-RESULT-DEM" not in flat
    # the field map's own image of the same DEM, byte for byte
    field = tmp_path / "map.html"
    res = runner.invoke(app, ["map", str(result), "-o", str(field)], env=ENV)
    assert res.exit_code == 0, res.output
    assert shade["url"] in field.read_text(encoding="utf-8")
    # the same bytes for the same input
    again = tmp_path / "again.html"
    assert _edit(result, again, "-q").exit_code == 0
    assert again.read_bytes() == page.read_bytes()
    # images from data: only, nothing fetched
    csp = _CSP.search(page.read_text(encoding="utf-8"))
    assert csp is not None and "img-src data:;" in csp.group(1) and "connect-src 'none'" in csp.group(1)


def test_edit_with_dem_given_draws_it_and_says_nothing(result: Path, tmp_path: Path) -> None:
    moved = tmp_path / "moved.gpkg"  # away from its DEM: --dem given finds it
    moved.write_bytes(result.read_bytes())
    page = tmp_path / "edit.html"
    res = _edit(moved, page, "--dem", str(result.parent / "dem.tif"))
    assert res.exit_code == 0, res.output
    assert "RESULT-DEM" not in res.output
    assert _payload(page)["shade"] is not None


def test_edit_away_from_the_dem_has_no_hillshade_said_once(result: Path, tmp_path: Path) -> None:
    moved = tmp_path / "moved.gpkg"
    moved.write_bytes(result.read_bytes())
    page = tmp_path / "edit.html"
    res = _edit(moved, page, "--lang", "en")
    assert res.exit_code == 0, res.output
    assert _payload(page)["shade"] is None
    assert "data:image/png;base64,iVBOR" not in page.read_text(encoding="utf-8").split("yl-editor-data", 1)[1]
    assert _codes(res.output, "RESULT-DEM") == 1 and "MAP-RESULT-DEM" not in res.output, res.output
    assert "add--dem" in _flat(res.output)


@pytest.mark.parametrize("name, body, code", [("nope.tif", None, "IO-NOTFOUND"), ("bad.tif", b"junk\n", "DEM-FORMAT")])
def test_edit_dem_errors_are_maps(result: Path, tmp_path: Path, name: str, body: bytes | None, code: str) -> None:
    """A --dem not found or not a raster: the coded error ``map --dem`` gives, exit 2, nothing written."""
    dem = tmp_path / name
    if body is not None:
        dem.write_bytes(body)
    for cmd in ("map", "edit"):
        page = tmp_path / f"{cmd}.html"
        res = runner.invoke(app, [cmd, str(result), "--dem", str(dem), "-o", str(page)], env=ENV)
        assert res.exit_code == 2 and code in res.output, (cmd, res.output)
        assert not page.exists()


def test_edit_does_not_write_over_the_dem_it_reads(result: Path, tmp_path: Path) -> None:
    """The recorded DEM is an input of the page (walked over and drawn): ``-o`` naming it is OUT-INPUT."""
    d = tmp_path / "copy"
    d.mkdir()
    for f in ("result.gpkg", "dem.tif"):
        (d / f).write_bytes((result.parent / f).read_bytes())
    before = (d / "dem.tif").read_bytes()
    res = _edit(d / "result.gpkg", d / "dem.tif", "--overwrite")
    assert res.exit_code == 2 and "OUT-INPUT" in res.output, res.output
    assert (d / "dem.tif").read_bytes() == before


PROBE = r"""
(() => {
  var U = window.yuanluo.editorUi, E = window.yuanluo.editor, P = window.yuanluo.editorPage, map = U.map;
  var pane = map.getPane('yl-shade'), img = pane ? pane.querySelector('img') : null;
  var size = map.getSize(), h = -1, c = null;
  for (var k = 0; k < P.n && h < 0; k++) {
    var q = map.latLngToContainerPoint([P.lat[k], P.lon[k]]);
    if (q.x > 20 && q.y > 20 && q.x < size.x - 20 && q.y < size.y - 20) { h = k; c = q; }
  }
  var r = map.getContainer().getBoundingClientRect(), x = r.left + c.x, y = r.top + c.y;
  var hit = document.elementFromPoint(x, y);
  hit.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, clientX: x, clientY: y}));
  var sel = Array.from(P.selected), before = E.exportCsv();
  var u0 = E.unitOf(P.ids[h]), nb = E.neighbours(P.ids[h]).map(E.unitOf).filter(function(u) { return u && u !== u0; });
  E.assign([P.ids[h]], nb[0]);
  var overlay = map.getPane('overlayPane');
  return {img: !!img, width: img ? img.naturalWidth : 0, src: img ? img.src.slice(0, 22) : '',
          under: img ? (+getComputedStyle(pane).zIndex < +getComputedStyle(overlay).zIndex) : null,
          hitShade: img ? img.contains(hit) || hit === img : false, picked: sel.indexOf(h) >= 0,
          moved: E.unitOf(P.ids[h]) === nb[0] && E.exportCsv() !== before};
})()
"""


@pytest.mark.parametrize("viewport", [(390, 844), (1280, 800)])
def test_edit_page_shows_the_hillshade_under_editable_households(result: Path, tmp_path: Path,
                                                                 viewport: tuple[int, int]) -> None:
    from browser import open_in_chromium, require_browser

    require_browser()
    page = tmp_path / "edit.html"
    assert _edit(result, page, "-q").exit_code == 0
    rep = open_in_chromium(page, viewport=viewport, screenshot=tmp_path / "edit.png",
                           wait_for="window.yuanluo && window.yuanluo.editorUi", evaluate={"p": PROBE}, settle_ms=100)
    assert rep.console_errors == [] and rep.csp_violations == [] and rep.external_requests == []
    p = rep.counts["p"]
    assert p["img"] and p["width"] > 0 and p["src"] == "data:image/png;base64,", p
    assert p["under"] and not p["hitShade"] and p["picked"] and p["moved"], p
