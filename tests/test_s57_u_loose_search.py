"""Session 57, helper U (audit of the demo's map on a phone): the search box found an id only as written (width and
case aside): a town official told "院落 7" typed u7, or 7-less "U07", and read 未找到 with no hint, the unit being
U007; "AD26" did not find AD0026. What is found nowhere as written (no household, unit, village or other value) is
now the one unit id, else the one household id, it reads as without spaces, dashes and leading zeros (Y.looseId).
Two ids reading alike, or nothing typed with a number: not found, as before.

Fixture: the sample layers (400 households, ids 000001 …, units U001 …) at 360 x 640, zh.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_unavailable_reason, live_page

from yuanluo.maps.interactive import save_map
from yuanluo.maps.sample import sample_layers

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))]
READY = "!!(window.yuanluo && window.yuanluo.find && window.yuanluo.showUnit)"
FIND = """(q) => { const Y = window.yuanluo; Y.closeCard(); const r = Y.find(q);
  const c = [...document.querySelectorAll('[data-card]')].find(e => !e.hidden);
  return [r, c ? c.getAttribute('data-card') + ' ' + c.querySelector('.yl-card-head').textContent : null]; }"""


def test_an_id_typed_without_its_zeros_is_found(tmp_path: Path) -> None:
    lyr = sample_layers(400, block=5, seed=7)
    units = sorted(lyr["units"]["unit_id"].astype(str))
    hid = str(lyr["households"].index[242])
    assert units[8] == "U009" and hid.startswith("000")
    path = save_map(lyr, tmp_path / "m.html", lang="zh")
    with live_page(path, viewport=(360, 640), ready=READY, touch=True) as (page, errors):
        got = {q: page.evaluate(FIND, q) for q in ("u9", "U 09", "ｕ－９", hid.lstrip("0"), "U009", "u99", "zz")}
        assert not errors, errors
    assert got["u9"][0] == got["U 09"][0] == got["ｕ－９"][0] == "unit" and "U009" in got["u9"][1], got
    assert got["U009"] == got["u9"]  # as written: the same card
    assert got[hid.lstrip("0")][0] == "household" and hid in got[hid.lstrip("0")][1], got
    assert got["u99"][0] is False and got["zz"][0] is False, got
