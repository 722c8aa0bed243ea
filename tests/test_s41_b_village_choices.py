"""Session 41, helper B: a village search whose text begins two or more village names found nothing.

Typing 石 on a map of 石桥村 and 石门村 said 未找到 / not found (``Y.villagesNamed`` gives the one village that begins
with what was typed, else nothing), on the field map and on the coverage map alike. Now the search box lists them:
以“石”开头的村有 2 个，点选一个： / '2 villages begin with “石”; tap one:', a button per name (names are data: text,
never markup); a tap on one frames that village as typing its name does, and the list closes.

Fixtures: the sample layers (400 households) split west to east into 石桥村, a hostile name beginning with 石, 石门村
and 新华村 (field map); a 200-household synthetic village in three villages run through ``yuanluo cover --map``
(coverage map); at 390 × 844 on a touch screen, zh and en.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from browser import live_page, require_browser

from yuanluo.gis.catalogue import template, text
from yuanluo.maps.interactive import save_map
from yuanluo.maps.sample import sample_layers

HOSTILE = '石"><img src=x onerror=alert(1)>门'
VILLAGES = ("石桥村", HOSTILE, "石门村", "新华村")
SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts"
READY = "!!(window.yuanluo && window.yuanluo.find)"

SEARCH = """(q) => {
  const box = document.querySelector('.yl-search'), input = box.querySelector('input');
  input.value = q; box.querySelector('button.yl-search-go').click();
  const c = box.querySelector('.yl-choices'), head = c && c.querySelector('.yl-choices-head');
  return {msg: box.querySelector('.yl-search-msg').textContent, shown: !!c && !c.hidden,
          head: head ? head.textContent : null,
          names: c ? Array.from(c.querySelectorAll('button')).map(b => b.textContent) : [],
          tall: c ? Array.from(c.querySelectorAll('button')).every(b => b.getBoundingClientRect().height >= 44) : false,
          right: c ? Math.max(0, ...Array.from(c.querySelectorAll('button')).map(b => b.getBoundingClientRect().right)) : 0,
          img: !!box.querySelector('img')};
}"""
FRAMED = """(name) => {
  const Y = window.yuanluo, D = Y.households, f = D.fields.indexOf('village'), b = Y.map.getBounds();
  let inside = 0, total = 0, others = 0;
  for (let k = 0; k < D.hid.length; k++) {
    const v = D.extra[f].v[D.extra[f].c[k]], there = b.contains([D.xy.lat[k], D.xy.lon[k]]);
    if (v === name) { total++; if (there) inside++; } else if (there) others++;
  }
  const c = document.querySelector('.yl-choices');
  return {inside, total, others, all: D.hid.length, hidden: c.hidden, value: document.querySelector('.yl-search input').value,
          msg: document.querySelector('.yl-search-msg').textContent};
}"""


def _said(lang: str, n: int, q: str) -> str:
    t = template("map.search_villages", lang)
    assert t is not None
    return t.replace("{n}", str(n)).replace("{q}", q)


def _split(hh: gpd.GeoDataFrame, names: tuple[str, ...]) -> list[str]:
    x = hh.geometry.x.to_numpy()
    cut = np.quantile(x, [k / len(names) for k in range(1, len(names))])
    return [names[int(np.searchsorted(cut, v))] for v in x]


def _choose(page_path: Path, lang: str, shot: str, pick: str) -> tuple[dict, dict, dict, dict]:
    with live_page(page_path, viewport=(390, 844), ready=READY, touch=True) as (page, errors):
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        listed = page.evaluate(SEARCH, "石")
        page.screenshot(path=str(SHOTS / f"{shot}_{lang}.png"))
        page.locator(".yl-choices button", has_text=pick).first.click()
        framed = page.evaluate(FRAMED, pick)
        one = page.evaluate(SEARCH, "新华")  # one village begins so: found straight away, as before
        none = page.evaluate(SEARCH, "东")  # none does
        assert not errors and not dialogs, (errors, dialogs)
    return listed, framed, one, none


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_field_map_lists_the_villages_a_prefix_begins(tmp_path: Path, lang: str) -> None:
    require_browser()
    SHOTS.mkdir(exist_ok=True)
    layers = sample_layers(400, block=5, seed=7)
    layers["households"] = layers["households"].assign(village=_split(layers["households"], VILLAGES))
    path = save_map(layers, tmp_path / "m.html", lang=lang)
    assert "<img src=x" not in path.read_text(encoding="utf-8")
    listed, framed, one, none = _choose(path, lang, "s41_b_map_village_choices", "石门村")
    # the old page: 未找到 / not found, nothing listed
    assert listed["msg"] == "" and listed["shown"], listed
    assert listed["head"] == _said(lang, 3, "石"), listed
    assert sorted(listed["names"]) == sorted(["石桥村", HOSTILE, "石门村"]), listed
    assert listed["tall"] and listed["right"] <= 390 and not listed["img"], listed
    assert framed["inside"] == framed["total"] > 0 and framed["hidden"] and framed["value"] == "石门村", framed
    assert framed["others"] < framed["all"] - framed["total"], framed  # on 石门村, not on the whole area
    assert one["msg"] == "" and not one["shown"], one
    assert none["msg"] == text("map.not_found", lang) and not none["shown"], none


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_coverage_map_lists_them_too(tmp_path: Path, lang: str) -> None:
    require_browser()
    from shared_fixtures import run_cli

    from yuanluo.gis.synth import make_village

    SHOTS.mkdir(exist_ok=True)
    make_village(200, seed=3).write(tmp_path / "v")
    hh = gpd.read_file(tmp_path / "v" / "households.gpkg", layer="households")
    hh["village"] = _split(hh, ("石桥村", HOSTILE, "新华村"))
    hh.to_file(tmp_path / "hh.gpkg", layer="households")
    page = tmp_path / "cover.html"
    run_cli(["--lang", lang, "cover", str(tmp_path / "hh.gpkg"), "--dem", str(tmp_path / "v" / "dem.tif"),
             "-o", str(tmp_path / "c.gpkg"), "--map", str(page), "-q"], lang)
    assert "<img src=x" not in page.read_text(encoding="utf-8")
    listed, framed, one, none = _choose(page, lang, "s41_b_cover_village_choices", HOSTILE)
    assert listed["msg"] == "" and listed["shown"] and listed["head"] == _said(lang, 2, "石"), listed
    assert sorted(listed["names"]) == sorted(["石桥村", HOSTILE]) and not listed["img"], listed
    assert framed["inside"] == framed["total"] > 0 and framed["hidden"] and framed["value"] == HOSTILE, framed
    assert one["msg"] == "" and none["msg"] == text("map.not_found", lang), (one, none)
