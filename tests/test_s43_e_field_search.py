"""Session 43, helper E: the field map's search box and unit card on a phone, what session 42 left.

1. A village, group or settlement found by the search was framed with a fixed margin (``paddingTopLeft [20, 60]``)
   while the box stands 220-265 px down: its households lay under the box. It is now framed as a unit is
   (card.js ``Y.frame``: clear of the controls as they stand on the page).
2. The placeholder said 户编号、院落编号或村名 / 'Id or village name' on every page, one without villages too, and
   never a name, phone, group or settlement. It now says what this page lets one search (a name or phone only where
   the page carries one), in shorter words where the box has no room (360 px).
3. A prefix search listed every match (16 settlements, a town's 67): at most 8 buttons now, then a row, no button,
   还有 N 个，请输入更多字 / 'N more — type more'. The households of one name are all listed (typing more finds no
   fewer).
4. The unit card's 院落长候选 / head candidates were plain ids: each is now a link showing its household, as the
   suggested head's, its name beside it only where the page carries names.
5. A list of choices opened with a card open stood under the card (360 × 640): the card now closes; a tap on the map
   or a card opening hides the list.

Fixture: the sample layers (400 households, 16 units), each unit one settlement (石板湾1 … 石板湾16) in one of two
villages (胜利村 and the hostile ``</script><b>x</b>村``) and one of their groups (1组, 2组); ten households named 张伟;
each unit's candidate heads three of its households and an id of none. 360 × 640 (zh) and 390 × 844 (en), touch.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page

from yuanluo.gis.catalogue import text
from yuanluo.maps.interactive import save_map, search_hint
from yuanluo.maps.sample import sample_layers

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]
SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts"
READY = "!!(window.yuanluo && window.yuanluo.find && window.yuanluo.showUnit)"
HOSTILE = "</script><b>x</b>村"
SIZES = [("zh", (360, 640)), ("en", (390, 844))]
# the placeholder's whole words (its accessible name): a page with names and phones, one without, one without places
FULL = {"zh": ["户编号、院落编号、姓名、电话、村名、组名或自然院落", "户编号、院落编号、村名、组名或自然院落", "户编号或院落编号"],
        "en": ["Household id, unit id, name, phone, village, group or settlement",
               "Household id, unit id, village, group or settlement", "Household id or unit id"]}
SEARCH = """(q) => {
  const box = document.querySelector('.yl-search');
  box.querySelector('input').value = q; box.querySelector('button.yl-search-go').click();
  const c = box.querySelector('.yl-choices');
  return {msg: box.querySelector('.yl-search-msg').textContent, listed: !c.hidden,
          buttons: Array.from(c.querySelectorAll('button')).map(b => b.textContent),
          head: c.hidden ? '' : c.querySelector('.yl-choices-head').textContent,
          more: Array.from(c.querySelectorAll('.yl-choices-more')).map(m => [m.textContent, m.tagName,
                m.closest('button') === null])};
}"""
# the households of a village ('': any) and a group or settlement ('': any), in px of the map: how many lie under a
# control, the stamp, the title or the card, or off the map; and how many there are
HIDDEN = """([village, place]) => {
  const Y = window.yuanluo, D = Y.households, size = Y.map.getSize(), covers = Y.controlRects(Y.map, true);
  const val = (name, i) => { const f = D.fields.indexOf(name), c = D.extra[f].c[i]; return c < 0 ? null : D.extra[f].v[c]; };
  let hidden = 0, n = 0;
  for (let i = 0; i < D.hid.length; i++) {
    if (village && val('village', i) !== village) continue;
    if (place && val('group', i) !== place && val('settlement', i) !== place) continue;
    n++;
    const p = Y.map.latLngToContainerPoint([D.xy.lat[i], D.xy.lon[i]]);
    if (p.x < 0 || p.y < 0 || p.x > size.x || p.y > size.y
        || covers.some(c => p.x >= c[0] && p.x <= c[2] && p.y >= c[1] && p.y <= c[3])) hidden++;
  }
  return [hidden, n];
}"""
PLACEHOLDER = """() => {
  const i = document.querySelector('.yl-search input'), cs = getComputedStyle(i);
  const c = document.createElement('canvas').getContext('2d'); c.font = cs.font;
  const room = i.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
  return {shown: i.placeholder, label: i.getAttribute('aria-label'), width: c.measureText(i.placeholder).width,
          room: room};
}"""
CARD = """(uid) => {
  window.yuanluo.showUnit(uid, true);
  return Array.from(document.querySelectorAll('.yl-card tr')).map(tr =>
    [tr.querySelector('th') ? tr.querySelector('th').textContent : '', tr.querySelector('td').textContent,
     Array.from(tr.querySelectorAll('td button.yl-link')).map(b => b.textContent)]);
}"""


def _layers() -> dict:
    lay = sample_layers(400, block=5, seed=7)
    hh, units = lay["households"], lay["units"]
    ids = sorted(units["unit_id"].astype(str))
    x, y = hh.geometry.x, hh.geometry.y
    mx, my = x.groupby(hh["unit_id"]).mean(), y.groupby(hh["unit_id"]).mean()
    village = {u: "胜利村" if mx[u] > mx.median() else HOSTILE for u in ids}
    group = {u: "1组" if my[u] > my[[v for v in ids if village[v] == village[u]]].median() else "2组" for u in ids}
    unit = hh["unit_id"].astype(str)
    names = [f"王{i}" for i in range(len(hh))]
    for k in range(10):
        names[k * 37] = "张伟"
    names[5] = "<b>李四</b>"
    hh = hh.assign(village=unit.map(village), group=unit.map(group),
                   settlement=unit.map({u: f"石板湾{k + 1}" for k, u in enumerate(ids)}),
                   户主姓名=names, 联系电话=[f"1370634{i:04d}" for i in range(len(hh))])
    members = hh.groupby(unit).apply(lambda g: [str(h) for h in g.index[:3]])
    lay["households"] = hh
    lay["units"] = units.assign(head_hid=units["meeting_hid"],
                                head_candidates=[[*members[u], "X999"] for u in units["unit_id"].astype(str)])
    return lay


def _page(tmp_path: Path, lang: str, allowed: bool, lay: dict | None = None) -> Path:
    extra = {"fields": ["户主姓名", "联系电话"], "include_personal": True} if allowed else {}
    return save_map(lay or _layers(), tmp_path / f"m_{lang}_{allowed}.html", lang=lang, **extra)


@pytest.mark.parametrize(("lang", "size"), SIZES)
def test_villages_groups_and_settlements_are_framed_clear_of_the_box(tmp_path: Path, lang: str,
                                                                    size: tuple[int, int]) -> None:
    path = _page(tmp_path, lang, False)
    places = [(HOSTILE, ""), ("胜利村", ""), *[(v, g) for v in ("胜利村", HOSTILE) for g in ("1组", "2组")],
              *[("", f"石板湾{k}") for k in range(1, 17)]]
    out = {}
    with live_page(path, viewport=size, ready=READY, touch=True) as (page, errors):
        for village, place in places:
            page.evaluate("() => window.yuanluo.showUnit('U005', true)")  # a card open: closed by the search
            found = page.evaluate(SEARCH, village + place)  # 1组 is named in both villages: 胜利村1组
            out[village + place] = (found["msg"], found["listed"], page.evaluate(HIDDEN, [village, place]))
            if place == "石板湾3":
                page.screenshot(path=str(SHOTS / f"s43_e_frame_{lang}_{size[0]}.png"))
        bold = page.evaluate("() => document.querySelectorAll('.yl-search b, .yl-card b').length")
        assert not errors, errors
    assert bold == 0
    assert all(msg == "" and not listed for msg, listed, _ in out.values()), out
    assert all(n > 0 for _, _, (_, n) in out.values()), out
    # the old framing: households of every village and of most settlements under the search box
    assert {q: h for q, (_, _, (h, n)) in out.items() if h} == {}, out


@pytest.mark.parametrize(("lang", "size"), SIZES)
def test_the_placeholder_says_what_this_page_finds(tmp_path: Path, lang: str, size: tuple[int, int]) -> None:
    plain = sample_layers(120, block=5, seed=7)
    plain["households"] = plain["households"].drop(columns=["group", "户主姓名"])
    pages = {"personal": _page(tmp_path, lang, True), "places": _page(tmp_path, lang, False),
             "ids": save_map(plain, tmp_path / "plain.html", lang=lang)}
    seen = {}
    for kind, path in pages.items():
        with live_page(path, viewport=size, ready=READY, touch=True) as (page, errors):
            seen[kind] = page.evaluate(PLACEHOLDER)
            if kind == "personal":
                page.screenshot(path=str(SHOTS / f"s43_e_placeholder_{lang}_{size[0]}.png"))
            assert not errors, errors
    for kind, r in seen.items():
        assert r["shown"] and r["width"] <= r["room"], (kind, r)  # fits the box
    word = {k: text(f"map.search_what.{k}", lang) for k in ("name", "phone")}
    assert seen["personal"]["label"] == FULL[lang][0], seen  # the whole list its accessible name
    shown = seen["personal"]["shown"]  # a name and a phone said, each or in one word (English at 188 px: person)
    assert (word["name"] in shown and word["phone"] in shown) or text("map.search_what.person", lang) in shown, seen
    for kind in ("places", "ids"):  # no name or phone on the page: none said
        assert word["name"] not in seen[kind]["label"] and word["phone"] not in seen[kind]["label"], seen
    assert seen["places"]["label"] == FULL[lang][1], seen
    # a page without villages, groups or settlements (the demo's) says the ids only: the old 村名 / village name
    # (in fewer words where the box draws the whole words cut, 'Household id or unit id' in English: s44 helper F)
    assert seen["ids"]["label"] == FULL[lang][2], seen
    assert seen["ids"]["shown"] in (FULL[lang][2], search_hint(["hid_unit"], lang)), seen


@pytest.mark.parametrize(("lang", "size"), SIZES)
def test_a_long_list_of_matches_is_cut_after_eight(tmp_path: Path, lang: str, size: tuple[int, int]) -> None:
    path = _page(tmp_path, lang, True)
    with live_page(path, viewport=size, ready=READY, touch=True) as (page, errors):
        page.evaluate("() => window.yuanluo.showUnit('U005', true)")
        settled = page.evaluate(SEARCH, "石板湾")
        card = page.evaluate("() => !document.querySelector('.yl-card').hidden")
        # every button of the list a tap away (not under the card or the controls lifted above it)
        reach = page.evaluate("""() => Array.from(document.querySelectorAll('.yl-choices-list button')).slice(0, 3)
          .map(b => { b.scrollIntoView({block: 'nearest'}); const r = b.getBoundingClientRect();
                      return b.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)); })""")
        page.screenshot(path=str(SHOTS / f"s43_e_more_{lang}_{size[0]}.png"))
        page.mouse.click(size[0] - 60, size[1] // 2 + 40)  # a tap on the map: the list goes
        gone = page.evaluate("() => document.querySelector('.yl-choices').hidden")
        named = page.evaluate(SEARCH, "张伟")
        assert not errors, errors
    assert settled["listed"] and len(settled["buttons"]) == 8, settled
    assert settled["head"] == text("map.search_values", lang).replace("{n}", "16").replace("{q}", "石板湾"), settled
    assert settled["more"] == [[text("map.search_more", lang).replace("{n}", "8"), "DIV", True]], settled
    assert not card and reach == [True, True, True] and gone, (card, reach, gone)
    # the households of one name: all ten, no row of more
    assert len(named["buttons"]) == 10 and named["more"] == [], named


@pytest.mark.parametrize(("lang", "size", "allowed"), [("zh", (360, 640), True), ("en", (390, 844), True),
                                                       ("zh", (390, 844), False)])
def test_head_candidates_are_links(tmp_path: Path, lang: str, size: tuple[int, int], allowed: bool) -> None:
    lay = _layers()
    path = _page(tmp_path, lang, allowed, lay)
    hh, units = lay["households"], lay["units"].set_index("unit_id")
    uid = "U005"
    cands = units.at[uid, "head_candidates"]
    go = text("map.card.go_household", lang)
    with live_page(path, viewport=size, ready=READY, touch=True) as (page, errors):
        rows = page.evaluate(CARD, uid)
        page.evaluate("() => { const c = document.querySelector('.yl-card'); c.scrollTop = c.scrollHeight; }")
        page.screenshot(path=str(SHOTS / f"s43_e_heads_{lang}_{allowed}.png"))
        row = page.locator(".yl-card tr", has_text=text("map.card.heads", lang))
        row.locator("button.yl-link").nth(1).click()
        shown = page.evaluate("() => [document.querySelector('.yl-card').getAttribute('data-card'),"
                              " document.querySelector('.yl-card').getAttribute('data-id')]")
        assert not errors, errors
    heads = {r[0]: r for r in rows}[text("map.card.heads", lang)]
    assert heads[2] == [go.replace("{hid}", h) for h in cands[:3]], heads  # the old card: plain text, no link
    expect = "".join((str(hh.at[h, "户主姓名"]) if allowed else "") + go.replace("{hid}", h) for h in cands[:3])
    assert heads[1] == expect + "X999", heads  # an id of no household stays text
    assert all((str(hh.at[h, "户主姓名"]) in heads[1]) == allowed for h in cands[:3]), heads
    assert shown == ["household", cands[1]], shown
    if not allowed:  # no name reaches the page at all
        assert "王1" not in path.read_text(encoding="utf-8")


HIT = """(sel) => { const e = document.querySelector(sel), r = e.getBoundingClientRect();
  return r.height > 0 && e.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)); }"""
# the controls at the map's foot (legend, scale, credit) that overlap the search box (its row and not-found row)
OVER = """() => { const s = document.querySelector('.yl-search').getBoundingClientRect();
  return Array.from(document.querySelectorAll('.leaflet-bottom .leaflet-control')).filter(e => {
    const r = e.getBoundingClientRect();
    return r.height > 0 && r.left < s.right && r.right > s.left && r.top < s.bottom && r.bottom > s.top;
  }).map(e => e.className); }"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_controls_above_a_card_leave_the_search_box_free(tmp_path: Path, lang: str) -> None:
    """The demo's page at 360 × 640 with a card open: the legend button lifted above the card stood over the English
    Find button, the scale and the two-line credit over the not-found row; the card is now lower by as much."""
    path = save_map(_layers(), tmp_path / f"c_{lang}.html", lang=lang,
                    credit="© OpenStreetMap contributors (ODbL); SRTM (NASA/USGS)")
    with live_page(path, viewport=(360, 640), ready=READY, touch=True) as (page, errors):
        page.evaluate("() => window.yuanluo.showUnit('U005', true)")
        page.wait_for_timeout(100)  # the card's ResizeObserver
        free = {sel: page.evaluate(HIT, sel) for sel in (".yl-search-go", ".yl-search input", ".yl-legend-toggle")}
        over = page.evaluate(OVER)
        page.evaluate(SEARCH, "nothing-here")
        page.wait_for_timeout(100)
        free[".yl-search-msg"] = page.evaluate(HIT, ".yl-search-msg")
        over_msg = page.evaluate(OVER)
        page.screenshot(path=str(SHOTS / f"s43_e_card_stack_{lang}.png"))
        card = page.evaluate("() => [!document.querySelector('.yl-card').hidden,"
                             " document.querySelector('.yl-card').getBoundingClientRect().height]")
        page.evaluate("() => window.yuanluo.closeCard()")
        page.evaluate("() => window.yuanluo.showUnit('U006', true)")
        page.wait_for_timeout(100)
        again = page.evaluate(HIT, ".yl-search-go")
        assert not errors, errors
    assert free == dict.fromkeys(free, True), free
    assert over == [] and over_msg == [], (over, over_msg)  # the old card: the legend over Find, the scale over 未找到
    assert not card[0], card  # a search finding nothing closes the card (s57 U; it was read as the answer)
    assert again
