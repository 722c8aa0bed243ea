"""A long map title stays clear of the map's controls (session 34, FC).

The title box of every interactive page (``make_map``, and so ``yuanluo map``, ``check --map``,
``delineate --map``, ``cover --map``, ``maturity load --map``) stood centred under the stamp, as wide as its text:
a title with a long word (a village name in pinyin, a file name a run put in it) ran under the zoom buttons and
the layer switcher on a phone, and was cut by them. It now stands between the controls at the left and the
right, at most two lines; one cut short ends in an ellipsis and a tap shows it whole (still clear of them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import open_in_chromium, require_browser  # tests/ is on sys.path under pytest

from yuanluo.maps.interactive import save_map
from yuanluo.maps.sample import sample_layers

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

TITLES = {
    "zh": "兴福村（XingfucunDisancunminxiaozuSanjuyuanluo）第三村民小组及周边散居院落划分结果",
    "en": "XinfushequXingfucunDisancunminxiaozu Scattered Courtyards Delineation Result, Anren Town, Dayi County",
}

#: the title and every Leaflet control as boxes, folded and then (after a tap) shown whole, and what is at the
#: centre of the zoom-in button in both states
MEASURE = """(() => {
  const T = document.querySelector('.yl-title'), zi = document.querySelector('.leaflet-control-zoom-in');
  const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  function state() {
    const r = zi.getBoundingClientRect();
    const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
    return {title: box(T), zoom: box(document.querySelector('.leaflet-control-zoom')),
            controls: Array.from(document.querySelectorAll('.leaflet-control'))
              .filter(c => c.getBoundingClientRect().width > 0).map(c => [c.className, box(c)]),
            zoomHit: !!hit && zi.contains(hit), cls: T.className, expanded: T.getAttribute('aria-expanded'),
            role: T.getAttribute('role'), shown: T.clientHeight, whole: T.scrollHeight};
  }
  const folded = state();
  T.click();
  const open = state();
  T.click();
  return {folded: folded, open: open, again: state(), text: T.textContent, tip: T.title};
})()"""


def _meets(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.fixture(scope="module")
def layers() -> dict:
    return sample_layers(120, block=5, seed=3)


@pytest.mark.parametrize("viewport", [(390, 844), (1366, 768)], ids=["phone", "laptop"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_long_title_never_covers_a_control(layers, tmp_path, lang, viewport):
    require_browser()
    title = TITLES[lang]
    path = save_map(layers, tmp_path / "map.html", lang=lang, title=title)
    rep = open_in_chromium(path, viewport=viewport, wait_for="window.yuanluo", settle_ms=300,
                           screenshot=ARTIFACTS / f"s34_fc_title_{lang}_{viewport[0]}.png",
                           evaluate={"m": MEASURE})
    assert rep.console_errors == [] and rep.csp_violations == []
    m = rep.counts["m"]
    for state in ("folded", "open", "again"):
        s = m[state]
        assert not _meets(s["title"], s["zoom"]), (state, s["title"], s["zoom"])
        assert [c for c, b in s["controls"] if _meets(s["title"], b)] == [], (state, s["title"])
        assert s["zoomHit"], state  # a tap at the zoom-in button's centre reaches it
    assert m["text"] == title and m["tip"] == title  # the whole title is in the page
    f, o, a = m["folded"], m["open"], m["again"]
    if viewport[0] == 390 and f["shown"] == f["whole"]:  # whole in four lines (s53 E; fonts hidden, the browser's
        assert f["role"] is None and f["shown"] <= 4 * 22 + 4 + 1  # own draws it narrower): no button needed
    elif viewport[0] == 390:  # cut short on a phone: a button that shows it whole, and folds it again
        assert f["role"] == "button" and f["expanded"] == "false" and "yl-title-more" in f["cls"]
        # four lines of 22 px and padding at most: two, and two more where there is room below (s53 E)
        assert f["shown"] < f["whole"] and f["shown"] <= 4 * 22 + 4 + 1
        assert o["expanded"] == "true" and o["shown"] == o["whole"] > f["shown"]
        assert a["expanded"] == "false" and a["shown"] == f["shown"]
    else:  # one line on a wide screen: no button
        assert m["folded"]["role"] is None and "yl-title-more" not in m["folded"]["cls"]


def test_a_short_title_is_as_it_was(layers, tmp_path):
    """The default title is one centred line, no button, clear of the stamp above it."""
    require_browser()
    path = save_map(layers, tmp_path / "map.html")
    rep = open_in_chromium(path, viewport=(390, 844), wait_for="window.yuanluo", settle_ms=300,
                           evaluate={"t": "(() => { const r = document.querySelector('.yl-title')"
                                          ".getBoundingClientRect(), s = document.querySelector('.yl-stamp')"
                                          ".getBoundingClientRect(); return [r.left, r.right, r.height, "
                                          "s.bottom <= r.top, document.querySelector('.yl-title').getAttribute("
                                          "'role')]; })()"})
    assert rep.console_errors == [] and rep.csp_violations == []
    left, right, height, below_stamp, role = rep.counts["t"]
    assert abs((left + right) / 2 - 195) < 1 and height < 30 and below_stamp and role is None

