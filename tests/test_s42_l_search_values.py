"""Session 42, helper L: the field map's search found household ids, unit ids and villages only.

An official typing a person's name, a settlement (自然院落 老垭口1) or a group (双河口村2组, or 2组 named so in two
villages) got 未找到 / not found. The search now looks through what the page carries and may show: a group or a
settlement is framed as a village; a value of another column (a name, a phone) opens the card of the household holding
it, two households of one name are listed to choose from (a button each, 44 px, its id, name and group as text). A
name or phone is searched only where --fields / --include-personal let that column onto the map: the page without
them still says 未找到 for a name.

Fixture: the sample layers (400 households, 户主姓名 in the data) in 双河口村 (west) and 胜利村 (east), groups 1组 / 2组
(south / north) in each, settlements 老垭口1-3 in 双河口村, two households named 王秀英 and one with a hostile name; at
390 × 844 and 360 × 640 on a touch screen, zh and en.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from browser import browser_unavailable_reason, live_page

from yuanluo.gis.catalogue import template, text
from yuanluo.maps.interactive import save_map
from yuanluo.maps.sample import sample_layers

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]
SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts"
READY = "!!(window.yuanluo && window.yuanluo.find)"
HOSTILE = '<img src=x onerror="window.__hit=1">'
SEARCH = """(q) => {
  const box = document.querySelector('.yl-search'), input = box.querySelector('input');
  input.value = q; box.querySelector('button.yl-search-go').click();
  const c = box.querySelector('.yl-choices'), card = document.querySelector('.yl-card'), Y = window.yuanluo;
  const D = Y.households, top = box.getBoundingClientRect().bottom, h = Y.map.getSize().y - Y.sheetCover();
  const vil = D.fields.indexOf('village'), grp = D.fields.indexOf('group'), w = Y.map.getSize().x;
  const inside = [], count = {};  // the villages and groups of the households in view below the search box
  for (let k = 0; k < D.hid.length; k++) {
    const p = Y.map.latLngToContainerPoint([D.xy.lat[k], D.xy.lon[k]]);
    if (p.x >= 0 && p.x <= w && p.y >= top && p.y <= h)
    { const g = D.extra[vil].v[D.extra[vil].c[k]] + D.extra[grp].v[D.extra[grp].c[k]];
      inside.push(g); count[g] = (count[g] || 0) + 1; }
  }
  return {msg: box.querySelector('.yl-search-msg').textContent,
          head: c.hidden ? null : c.querySelector('.yl-choices-head').textContent,
          names: c.hidden ? [] : Array.from(c.querySelectorAll('button')).map(x => x.textContent),
          tall: Array.from(c.querySelectorAll('button')).every(x => x.getBoundingClientRect().height >= 44),
          card: card.hidden ? null : card.getAttribute('data-id'), inside: Array.from(new Set(inside)).sort(), count: count,
          img: !!document.querySelector('.yl-search img, .yl-card img'), hit: !!window.__hit};
}"""


def _page(tmp_path: Path, lang: str, allowed: bool) -> Path:
    lay = sample_layers(400, block=5, seed=7)
    hh = lay["households"]
    x, y = hh.geometry.x.to_numpy(), hh.geometry.y.to_numpy()
    vil = np.where(x < np.median(x), "双河口村", "胜利村")
    names = [f"张{i}" for i in range(len(hh))]
    names[5] = names[300] = "王秀英"
    names[7] = HOSTILE
    hh = hh.assign(village=vil, group=np.where(y < np.median(y), "1组", "2组"),
                   settlement=[f"老垭口{i % 3 + 1}" if v == "双河口村" else "大塆" for i, v in enumerate(vil)],
                   户主姓名=names, 联系电话=[f"1370634{i:04d}" for i in range(len(hh))])
    lay["households"] = hh
    extra = {"fields": ["户主姓名", "联系电话"], "include_personal": True} if allowed else {}
    return save_map(lay, tmp_path / f"m_{lang}_{allowed}.html", lang=lang, **extra)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_names_groups_settlements_are_found(tmp_path: Path, lang: str) -> None:
    path = _page(tmp_path, lang, True)
    hids = None
    with live_page(path, viewport=(390, 844), ready=READY, touch=True) as (page, errors):
        hids = page.evaluate("() => window.yuanluo.households.hid")
        two = page.evaluate(SEARCH, "王秀英")
        page.screenshot(path=str(SHOTS / f"s42_l_search_name_{lang}.png"))
        page.locator(".yl-choices button").nth(1).click()
        chosen = page.evaluate("() => document.querySelector('.yl-card').getAttribute('data-id')")
        phone = page.evaluate(SEARCH, "137 0634-0009")
        settle = page.evaluate(SEARCH, "老垭口1")
        group = page.evaluate(SEARCH, "双河口村2组")
        bare = page.evaluate(SEARCH, "2组")
        page.locator(".yl-choices button", has_text="胜利村2组").click()
        after = page.evaluate(SEARCH.replace("input.value = q; box.querySelector('button.yl-search-go').click();", ""),
                              "")
        hostile = page.evaluate(SEARCH, "<img src")
        none = page.evaluate(SEARCH, "李四")
        assert not errors, errors
    assert two["msg"] == "" and two["head"] == template("map.search_households", lang).replace(
        "{q}", "王秀英").replace("{n}", "2"), two
    place = template("map.search_place", lang)
    assert two["names"] == [f"{hids[5]} 王秀英" + place.replace("{place}", "1组"),
                            f"{hids[300]} 王秀英" + place.replace("{place}", "2组")], two
    assert two["tall"], two
    assert chosen in (hids[5], hids[300]) and chosen == two["names"][1].split(" ")[0], chosen
    assert phone["card"] == hids[9] and phone["msg"] == "", phone
    assert settle["msg"] == "" and settle["card"] is None, settle
    assert {"双河口村1组", "双河口村2组"} <= set(settle["inside"]), settle  # the west half, where 老垭口1 lies
    assert group["msg"] == "" and group["card"] is None and "双河口村2组" in group["inside"], group
    assert group["count"]["双河口村2组"] == 100, group  # the group whole, clear of the search box
    assert bare["head"] == template("map.search_values", lang).replace("{q}", "2组").replace("{n}", "2"), bare
    assert bare["names"] == ["双河口村2组", "胜利村2组"], bare
    assert after["count"]["胜利村2组"] == 100 and after["head"] is None, after
    assert hostile["card"] == hids[7] and not hostile["img"] and not hostile["hit"], hostile
    assert none["msg"] == text("map.not_found", lang), none


@pytest.mark.parametrize("size", [(360, 640)])
def test_a_name_is_searched_only_where_the_map_may_show_it(tmp_path: Path, size: tuple[int, int]) -> None:
    path = _page(tmp_path, "zh", False)
    html = path.read_text(encoding="utf-8")
    assert "王秀英" not in html and "13706340009" not in html
    with live_page(path, viewport=size, ready=READY, touch=True) as (page, errors):
        name = page.evaluate(SEARCH, "王秀英")
        phone = page.evaluate(SEARCH, "13706340009")
        settle = page.evaluate(SEARCH, "老垭口1")  # the settlement column is on every map
        page.screenshot(path=str(SHOTS / "s42_l_search_settlement_360.png"))
        assert not errors, errors
    assert name["msg"] == text("map.not_found", "zh") and name["head"] is None and name["card"] is None, name
    assert phone["msg"] == text("map.not_found", "zh") and phone["card"] is None, phone
    assert settle["msg"] == "" and {"双河口村1组", "双河口村2组"} <= set(settle["inside"]), settle
