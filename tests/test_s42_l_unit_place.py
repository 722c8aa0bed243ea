"""Session 42, helper L: the field map's unit card said nothing of where the unit lies: a card of "U221" could not be
matched to a place. The card's first rows now say the unit's village, group and settlement, as its households have
them (each once, joined by the list separator).

Fixture: the sample layers (400 households) in 双河口村 / 胜利村, groups 1组 / 2组, settlements 老垭口1-3 and 大塆,
each unit's suggested head its meeting household; 390 × 844 and 360 × 640 on a touch screen, zh and en.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from browser import browser_unavailable_reason, live_page

from yuanluo.gis.catalogue import text
from yuanluo.maps.interactive import save_map
from yuanluo.maps.sample import sample_layers
from yuanluo.maps.style import label

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]
SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts"
READY = "!!(window.yuanluo && window.yuanluo.showUnit)"
CARD = """(uid) => {
  window.yuanluo.showUnit(uid, true);
  const rows = Array.from(document.querySelectorAll('.yl-card tr')).map(tr =>
    [tr.querySelector('th') ? tr.querySelector('th').textContent : '', tr.querySelector('td').textContent,
     tr.querySelectorAll('td button.yl-link').length]);
  return rows;
}"""


def _page(tmp_path: Path, lang: str, allowed: bool) -> tuple[Path, dict]:
    lay = sample_layers(400, block=5, seed=7)
    hh = lay["households"]
    x, y = hh.geometry.x.to_numpy(), hh.geometry.y.to_numpy()
    vil = np.where(x < np.median(x), "双河口村", "胜利村")
    hh = hh.assign(village=vil, group=np.where(y < np.median(y), "1组", "2组"),
                   settlement=[f"老垭口{i % 3 + 1}" if v == "双河口村" else "大塆" for i, v in enumerate(vil)],
                   户主姓名=[f"<b>张{i}</b>" for i in range(len(hh))])
    lay["households"] = hh
    lay["units"] = lay["units"].assign(head_hid=lay["units"]["meeting_hid"])
    extra = {"fields": ["户主姓名"], "include_personal": True} if allowed else {}
    u = lay["units"].set_index("unit_id")
    name = dict(zip(hh.index.astype(str), hh["户主姓名"], strict=True))
    facts = {uid: (str(u.at[uid, "head_hid"]), name[str(u.at[uid, "head_hid"])],
                   hh.loc[hh["unit_id"] == uid]) for uid in u.index}
    return save_map(lay, tmp_path / f"m_{lang}_{allowed}.html", lang=lang, **extra), facts


@pytest.mark.parametrize(("lang", "allowed", "size"), [("zh", True, (390, 844)), ("en", True, (360, 640)),
                                                        ("zh", False, (360, 640))])
def test_place_rows(tmp_path: Path, lang: str, allowed: bool, size: tuple[int, int]) -> None:
    path, facts = _page(tmp_path, lang, allowed)
    uid = "U005"
    members = facts[uid][2]
    with live_page(path, viewport=size, ready=READY, touch=True) as (page, errors):
        rows = page.evaluate(CARD, uid)
        page.screenshot(path=str(SHOTS / f"s42_l_unit_place_{lang}_{allowed}.png"))
        bold = page.evaluate("() => !!document.querySelector('.yl-card b')")
        assert not errors, errors
    by = {r[0]: r for r in rows}
    assert not bold
    sep = text("list.sep", lang)
    places = {c: list(dict.fromkeys(members[c].astype(str))) for c in ("village", "group", "settlement")}
    for c in ("village", "group", "settlement"):
        assert by[label(c, lang)][1] == sep.join(places[c]), (c, rows)
    assert [r[0] for r in rows[:3]] == [label(c, lang) for c in ("village", "group", "settlement")], rows
