"""Session 45, helper F (second task): what a search's marks mean, the pulse at every zoom, the maturity panel.

1. The legend said nothing of the outline round the households a search found nor of the ring pulsing about the
   place it went to (de2bb24): it now has a row for each, shown only while that mark is there.
2. The pulse ring was sized once, to the view the search framed: zoomed out during its 2.6 s it stood far round the
   place (a village ~100 px wide in a ring ~220 px round at zoom 14). It is measured again at every zoom.
3. The maturity panel (--map of 'maturity load') is capped at 60 % of the screen's height: at 360 × 640 its
   village lines ran on below with nothing saying so; a line at its foot now says there is more until the foot is
   reached. A unit rated on fewer than six categories read 饱满度 未评 / Fullness not rated, with no reason: now
   "未评（6 类都评了才计算）" / "not rated (computed when all six are rated)".

Fixtures: the sample layers (400 households, 16 units; units 1-8 in the village ``</script><b>x</b>村``); for the
maturity map, helper H's sheet (test_s45_h_maturity_unrated: U001-U004 rated in part) and 40 villages, so that the
panel runs over.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page
from built_fixtures import scored_maturity_maps

from yuanluo.maps.interactive import save_map
from yuanluo.maps.sample import sample_layers

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]
READY = "!!(window.yuanluo && window.yuanluo.find && window.yuanluo.showUnit)"
HOSTILE = "</script><b>x</b>村"
SEARCH = """(q) => {
  const box = document.querySelector('.yl-search');
  box.querySelector('input').value = q; box.querySelector('button.yl-search-go').click();
  return box.querySelector('.yl-search-msg').textContent;
}"""
# the legend's rows shown (text), unfolded
ROWS = """() => {
  const d = document.querySelector('.yl-legend'); d.classList.remove('yl-collapsed');
  return [...d.querySelectorAll('.yl-legend-body > div')].filter(e => e.offsetParent !== null).map(e => e.textContent);
}"""
FOUND = {"zh": ["黑框围住的点：查到的户", "闪动的圈：查到的地方"],
         "en": ["Dots in the dark outline: the households found", "Pulsing ring: the place found"]}


def _layers() -> dict:
    lay = sample_layers(400, block=5, seed=7)
    order = {u: j for j, u in enumerate(sorted(lay["units"]["unit_id"].astype(str)))}
    at = lay["households"]["unit_id"].map(lambda u: order.get(u, 0))
    lay["households"] = lay["households"].assign(village=at.map(lambda j: HOSTILE if j < 8 else "胜利村"))
    return lay


@pytest.mark.parametrize(("lang", "size"), [("zh", (390, 844)), ("en", (360, 640))])
def test_the_legend_says_what_the_marks_mean_while_they_are_there(tmp_path: Path, lang: str,
                                                                  size: tuple[int, int]) -> None:
    path = save_map(_layers(), tmp_path / f"l_{lang}.html", lang=lang)
    outline, ring = FOUND[lang]
    with live_page(path, viewport=size, ready=READY, touch=True) as (page, errors):
        before = page.evaluate(ROWS)
        assert page.evaluate(SEARCH, HOSTILE) == ""
        village = page.evaluate(ROWS)
        page.wait_for_timeout(2800)  # the pulse is over; the outline stays
        after = page.evaluate(ROWS)
        page.evaluate("() => window.yuanluo.markPlace(null)")  # as a tap on the map does
        cleared = page.evaluate(ROWS)
        assert page.evaluate(SEARCH, "U003") == ""
        unit = page.evaluate(ROWS)
        assert page.evaluate(SEARCH, "nothing-like-this") != ""
        missed = page.evaluate(ROWS)
        page.screenshot(path=str(tmp_path.parent / f"s45_f_legend_{lang}_{size[0]}.png"))
        assert not errors, errors
    assert outline not in before and ring not in before
    assert village[:2] == [outline, ring]  # old: neither
    assert outline in after and ring not in after
    assert outline not in cleared and ring not in cleared
    assert ring in unit and outline not in unit
    assert outline not in missed and ring not in missed


# the pulse ring's size and the found village's size on the screen, in px
SIZES = """(v) => {
  const Y = window.yuanluo, m = Y.map, D = Y.households, f = D.fields.indexOf('village'), ll = [];
  for (let i = 0; i < D.hid.length; i++) if (D.extra[f].v[D.extra[f].c[i]] === v) ll.push([D.xy.lat[i], D.xy.lon[i]]);
  const b = L.latLngBounds(ll), p0 = m.latLngToContainerPoint(b.getSouthWest()), p1 = m.latLngToContainerPoint(b.getNorthEast());
  const r = Y.pulsing.getBoundingClientRect(), c = m.latLngToContainerPoint(b.getCenter()), box = m.getContainer().getBoundingClientRect();
  return {z: m.getZoom(), ring: [Math.round(r.width), Math.round(r.height)], place: Math.max(Math.abs(p1.x - p0.x), Math.abs(p1.y - p0.y)),
          off: [r.left + r.width / 2 - c.x - box.left, r.top + r.height / 2 - c.y - box.top]};
}"""


@pytest.mark.parametrize("zoom", ["setZoom", "pinch"])
def test_the_pulse_fits_the_place_when_the_official_zooms_out(tmp_path: Path, zoom: str) -> None:
    path = save_map(_layers(), tmp_path / "z.html", lang="zh")
    with live_page(path, viewport=(390, 844), ready=READY, touch=True) as (page, errors):
        assert page.evaluate(SEARCH, HOSTILE) == ""
        framed = page.evaluate(SIZES, HOSTILE)
        if zoom == "setZoom":
            page.evaluate("() => window.yuanluo.map.setZoom(window.yuanluo.map.getZoom() - 2, {animate: false})")
        else:  # the zoom-out button, animated as a tap on it is
            page.evaluate("() => { const m = window.yuanluo.map; m.setZoom(m.getZoom() - 1); }")
            page.wait_for_timeout(400)
            page.evaluate("() => { const m = window.yuanluo.map; m.setZoom(m.getZoom() - 1); }")
            page.wait_for_timeout(400)
        out = page.evaluate(SIZES, HOSTILE)
        assert not errors, errors
    assert out["z"] == framed["z"] - 2
    for s in (framed, out):
        want = max(36, min(s["place"] + 28, 0.9 * 390))
        assert s["ring"][0] == s["ring"][1] and abs(s["ring"][0] - want) <= 1.5, s  # old, zoomed out: 2 to 4 x too big
        assert abs(s["off"][0]) <= 2 and abs(s["off"][1]) <= 2, s  # still centred on the place


@pytest.fixture(scope="module")
def maturity_maps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Helper H's sheet (U001 政策宣讲 2 of 3, U002 协商议事 1 of 3, U003 矛盾调处 blank, U004 only I5; the
    others whole), the 16 units spread over 40 villages so that the panel's village lines run over at 360 × 640."""
    d = tmp_path_factory.mktemp("panel")
    layers = {k: v for k, v in sample_layers(200, block=5).items() if k != "run"}
    layers["units"]["village"] = [f"第{i}村" for i in range(len(layers["units"]))]
    return scored_maturity_maps(d, layers, partial=True)


WHY = {"zh": "未评（6 类都评了才计算）", "en": "not rated (computed when all six are rated)"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_card_says_why_the_fullness_is_not_computed(maturity_maps: Path, lang: str) -> None:
    page = (maturity_maps / f"map_{lang}.html").read_text(encoding="utf-8")
    m = re.search(r"var H = (\{.*?\});\n", page)
    assert m
    units = json.loads(m.group(1))["units"]
    # U001-U003 rated on 5 of 6 (old: a bare 未评 / not rated); U004 nothing rated: no hexagon, no fullness row
    assert [units[u]["fullness"] for u in ("U001", "U002", "U003")] == [WHY[lang]] * 3
    assert "U004" not in units
    whole = [u for u in units.values() if all(v is not None for v in u["v"])]
    assert whole and all(u["fullness"].endswith("%") for u in whole), whole[:1]


# the panel unfolded: how much lies below what it shows, the hint's box and text, and the hint after scrolling to the foot
PANEL = """async () => {
  const d = document.querySelector('.yl-maturity-panel');
  if (d.classList.contains('yl-collapsed')) d.querySelector('.yl-legend-toggle').click();
  await new Promise(r => setTimeout(r, 50));
  const more = d.querySelector('.yl-more'), shown = e => !!e && e.offsetParent !== null;
  const box = d.getBoundingClientRect(), hint = shown(more) ? more.getBoundingClientRect() : null;
  const out = {below: d.scrollHeight - d.clientHeight - d.scrollTop, height: box.height, screen: innerHeight,
               hint: hint && [hint.top - box.top, box.bottom - hint.bottom, hint.height], text: shown(more) ? more.textContent : null};
  if (shown(more)) more.click();
  await new Promise(r => setTimeout(r, 50));
  out.scrolled = d.scrollTop;
  d.scrollTop = d.scrollHeight;
  d.dispatchEvent(new Event('scroll'));
  await new Promise(r => setTimeout(r, 50));
  out.atFoot = shown(more);
  d.querySelector('.yl-legend-toggle').click();  // folded: no hint
  await new Promise(r => setTimeout(r, 50));
  out.folded = shown(more);
  return out;
}"""
MORE = {"zh": "下面还有，上滑查看 ↓", "en": "More below: scroll ↓"}


@pytest.mark.parametrize(("lang", "size"), [("zh", (360, 640)), ("en", (360, 640)), ("zh", (390, 844))])
def test_the_maturity_panel_says_there_is_more_below(maturity_maps: Path, lang: str, size: tuple[int, int]) -> None:
    with live_page(maturity_maps / f"map_{lang}.html", viewport=size, ready="!!(window.yuanluo && window.yuanluo.find)",
                   touch=True) as (page, errors):
        got = page.evaluate(PANEL)
        cards = {}
        for u in ("U001", "U006"):
            page.evaluate("(u) => window.yuanluo.showUnit(u, true)", u)
            cards[u] = page.evaluate("() => [...document.querySelectorAll('.yl-card table.yl-pop tr')]"
                                     ".map(tr => tr.textContent)")
        page.evaluate("(u) => window.yuanluo.showUnit(u, true)", "U001")
        page.screenshot(path=str(maturity_maps.parent / f"s45_f_panel_{lang}_{size[0]}.png"))
        assert not errors, errors
    assert got["below"] > 40, got  # the fixture runs over
    assert got["text"] == MORE[lang], got  # old: nothing
    top, gap, h = got["hint"]
    assert abs(gap) <= 1 and h >= 30 and top > 0, got  # at the panel's visible foot
    assert got["scrolled"] > 0 and got["atFoot"] is False and got["folded"] is False, got
    fullness = {"zh": "饱满度", "en": "Fullness"}[lang]
    assert f"{fullness}{WHY[lang]}" in cards["U001"], cards["U001"]
    assert not any(WHY[lang] in r for r in cards["U006"]), cards["U006"]
