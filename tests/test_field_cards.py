"""The field map's cards on a phone: a household's card answers "is its unit within the rule, where is the
meeting point, how far is the walk"; the unit card; the GPS card; the maturity hexagon. Browser tests run on a
390 x 844 viewport with the network blocked; screenshots go to test-artifacts/."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from browser import open_in_chromium, require_browser  # tests/ is on sys.path under pytest

from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.maturity import CATEGORY_KEYS, hexagon_vertices
from yuanluo.maps.interactive import make_map, render_html, save_map
from yuanluo.maps.sample import sample_layers
from yuanluo.planners.maturity import map_data
from yuanluo.planners.workflows import household_walk_min

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
PHONE = (390, 844)


def test_household_walk_is_the_walk_to_its_own_meeting_point():
    """a(0,0) — b(100,0) — c(200,0) | d(300,0): units A = {a, b}, B = {c, d}, meeting points a and d.
    b walks 100 m to a; c walks to d, never to a (the a–b–c path leaves unit B); an island join e–d counts."""
    g = TerrainGraph.from_edges(["a", "b", "c", "d", "e"], [(0, 0), (100, 0), (200, 0), (300, 0), (900, 0)],
                                [(0, 1), (1, 2), (2, 3)], crs="EPSG:32648", walk_min=[1.5, 2.0, 3.0])
    labels = pd.Series({"a": "A", "b": "A", "c": "B", "d": "B", "e": "B"})
    meet = pd.Series({"A": "a", "B": "d"})
    w = household_walk_min(g, labels, meet)
    assert w.loc[["a", "b", "c", "d"]].tolist() == [0.0, 1.5, 3.0, 0.0]
    assert np.isnan(w["e"])  # no path inside its unit
    # an edge pruned for its length within the join limit (an island join) is walked across, both ways
    g.cut = pd.DataFrame({"u": [3], "v": [4], "length_m": [600.0], "walk_min": [7.0], "reason": ["length"]})
    assert household_walk_min(g, labels, meet, 20.0)["e"] == 7.0
    assert np.isnan(household_walk_min(g, labels, meet, 5.0)["e"])  # beyond the join limit: no path


def _layers(n: int = 120) -> dict:
    """Sample layers whose households carry their walking minutes to their unit's meeting household (straight
    line at 75 m a minute: a map test only needs a known value per household)."""
    lyr = sample_layers(n, block=5, seed=7)
    hh = lyr["households"].copy()
    meet = lyr["units"].set_index("unit_id")["meeting_hid"]
    pos = hh.geometry
    mh = hh["unit_id"].map(meet)
    target = pos.reindex(mh.fillna(hh.index.to_series()).to_numpy()).to_numpy()
    hh["meeting_walk_min"] = np.where(mh.notna(), shapely.distance(pos.to_numpy(), target) / 75.0, np.nan)
    return {**lyr, "households": hh}


def _card_data(html: str) -> dict:
    return json.loads(re.search(r"var R = (\{.*?\});\n", html).group(1))


def test_household_card_data_without_walk_column_shows_a_dash():
    lyr = sample_layers(60, block=5, seed=1)
    html = render_html(make_map(lyr))
    d = json.loads(re.search(r"var D = (\{.*?\});\n", html).group(1))
    assert d["w"] is None  # the card shows "—"
    assert _card_data(html)["lab"]["card.no_value"] == "—"


CARD = """(() => { const c = document.querySelector('[data-card]');
  if (!c || c.hidden) return null;
  const r = c.getBoundingClientRect();
  return {kind: c.dataset.card, id: c.dataset.id, text: c.textContent, left: r.left, right: r.right,
          scroll: document.documentElement.scrollWidth, popups: document.querySelectorAll('.leaflet-popup, .leaflet-tooltip').length}; })()"""


def _then_card(action: str) -> str:
    return f"(() => {{ {action}; return {CARD}; }})()"


TAP_UNIT = """(() => { const Y = window.yuanluo; Y.closeCard(); const id = Object.keys(Y.unitPolys).sort()[1];
  const p = Y.unitPolys[id][0]; Y.map.fitBounds(p.getBounds(), {animate: false});
  const ll = L.latLng(p._ylGeo[0][0][0]);
  // a point inside the territory and away from every household: the territory's own vertex nudged inward
  const c = p.getBounds().getCenter(), pt = L.latLng(ll.lat + (c.lat - ll.lat) * 0.05, ll.lng + (c.lng - ll.lng) * 0.05);
  p.fire('click', {latlng: pt, containerPoint: Y.map.latLngToContainerPoint(pt)}, true);
  return [id, CARD]; })()""".replace("CARD", CARD)

GPS = """new Promise(res => { window.yuanluo.closeCard(); document.querySelector('.leaflet-control-locate a').click();
  const t0 = Date.now(), poll = () => { const c = document.querySelector('[data-card="gps"]');
    if (c && !c.hidden) res(CARD); else if (Date.now() - t0 > 8000) res(null); else setTimeout(poll, 100); }; poll(); })""".replace("CARD", CARD)

TARGETS = """(() => Array.from(document.querySelectorAll('.leaflet-control a, .leaflet-control button, .leaflet-control input'))
  .filter(e => e.offsetParent !== null).map(e => { const r = e.getBoundingClientRect(); return [e.className || e.tagName, Math.round(r.width), Math.round(r.height)]; }))()"""


SHOW_UNIT = ("(() => {{ const Y = window.yuanluo; Y.showUnit({u}, true); const s = document.querySelector('[data-radar=' + "
             "JSON.stringify({u}) + ']'); if (s) s.scrollIntoView(); return s ? [s.tagName.toLowerCase(), s.textContent, "
             "s.querySelectorAll('polygon').length, document.querySelector('[data-card]').textContent] : null; }})()")


def test_field_map_cards_on_a_phone(tmp_path):
    """One page load: search a household (any width or case) → its card; tap a unit → the unit card; a GPS fix
    at a household → the card of the unit you stand in; controls ≥ 44 px, Chinese titles, metric scale; the
    maturity hexagon in scored units' cards, 未评 in the others, the shading switch and the village panel."""
    require_browser()
    lyr = _layers()
    hh = lyr["households"]
    units = lyr["units"].set_index("unit_id")
    ok_units = units.index[units["status"] == "ok"]
    meet = set(units["meeting_hid"])
    hid = next(h for h in hh.index if hh.loc[h, "unit_id"] in ok_units and h not in meet)
    uid = hh.loc[hid, "unit_id"]
    wide = hid.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})  # full-width digits, as a phone may type
    ll = hh.to_crs(4326).geometry
    gps_hid = next(h for h in hh.index if hh.loc[h, "unit_id"] in ok_units)
    ids = sorted(lyr["units"]["unit_id"].astype(str))
    t, v = _maturity_table(ids)
    path = save_map(lyr, tmp_path / "cards.html", maturity=map_data(t, v),
                    credit="© OpenStreetMap contributors (ODbL); SRTM (NASA/USGS)")  # wraps on a phone
    rep = open_in_chromium(
        path, screenshot=ARTIFACTS / "field_card_maturity_phone.png", wait_for="window.yuanluo", viewport=PHONE,
        geolocation=(float(ll[gps_hid].y), float(ll[gps_hid].x)),
        evaluate={"lang": "document.documentElement.lang",
                  "titles": "[...document.querySelectorAll('.leaflet-control-zoom a, .leaflet-control-layers-toggle')].map(a => a.title)",
                  "scale": "document.querySelector('.leaflet-control-scale').textContent",
                  "scale_clear": "(() => { const s = document.querySelector('.leaflet-control-scale')"
                                 ".getBoundingClientRect(), a = document.querySelector('.leaflet-control-attribution')"
                                 ".getBoundingClientRect(); return [a.height > 20, s.bottom <= a.top]; })()",
                  "targets": TARGETS,
                  "legend_inside": "(() => { const r = document.querySelector('.yl-legend').getBoundingClientRect();"
                                   " return r.left >= 0 && r.right <= window.innerWidth && r.bottom <= window.innerHeight; })()",
                  "household": _then_card(f"window.yuanluo.find({json.dumps(wide)})"),
                  "unit_search": _then_card("window.yuanluo.find('u002')"),
                  "unit_tap": TAP_UNIT, "gps": GPS,
                  "denied": "window.yuanluo.gpsError({code: 1}).textContent",
                  "unscored": SHOW_UNIT.format(u=json.dumps(ids[1])),
                  "mode": "window.yuanluo.maturityMode('mean')",
                  "panel": "document.querySelector('.yl-maturity-panel').textContent",
                  "scored": SHOW_UNIT.format(u=json.dumps(ids[0]))})
    assert rep.external_requests == [] and rep.console_errors == []
    assert rep.csp_violations == [] and rep.dialogs == []
    c = rep.counts
    assert c["lang"] == "zh-CN"
    assert c["titles"] == ["放大", "缩小", "全屏", "图层"]
    assert "mi" not in c["scale"] and "ft" not in c["scale"]
    assert c["scale_clear"] == [True, True]  # the attribution wraps to two lines; the scale bar stays above it
    assert all(w >= 44 and h >= 44 for _, w, h in c["targets"]), c["targets"]
    assert c["legend_inside"] is True
    card = c["household"]
    n = int(units.loc[uid, "n_households"])
    minutes = f"{np.round(hh.loc[hid, 'meeting_walk_min'] * 10) / 10:.1f}"
    assert card["kind"] == "household" and card["id"] == hid and card["popups"] == 0
    for text in (hid, uid, f"{n} 户 / 规定 20–50 户\u00a0✓", "议事点", units.loc[uid, "meeting_hid"], "本户步行到议事点",
                 f"{minutes} 分钟"):
        assert text in card["text"], text
    assert card["left"] >= 0 and card["right"] <= PHONE[0] and card["scroll"] <= PHONE[0]
    assert c["unit_search"]["kind"] == "unit" and c["unit_search"]["id"] == "U002"
    assert "不符合规定的院落" in c["unit_search"]["text"] and "平均 / 最远步行" in c["unit_search"]["text"]
    tapped, card = c["unit_tap"]
    assert card["kind"] == "unit" and card["id"] == tapped and card["popups"] == 0
    gps = c["gps"]
    assert gps is not None and gps["kind"] == "gps" and gps["id"] == hh.loc[gps_hid, "unit_id"]
    assert f"你在院落 {gps['id']} 内" in gps["text"] and "步行到议事点" in gps["text"] and "分钟" in gps["text"]
    assert c["denied"].startswith("定位失败") and "未允许本页面使用位置信息" in c["denied"]
    _, text, _, _ = c["unscored"]
    assert text == "未评"
    tag, text, polygons, card = c["scored"]
    assert tag == "svg" and polygons == 6 and "政策" in text  # five grid rings and the scores' hexagon
    assert c["mode"] == "mean" and "甲村" in c["panel"]
    for word in ("均值", "饱满度", "随轴的顺序而变"):
        assert word in card
    assert rep.screenshot is not None and rep.screenshot.stat().st_size > 10_000


def _maturity_table(unit_ids: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    from yuanluo.gis.maturity import village_summary

    rows = []
    for k, u in enumerate(unit_ids):
        scored = k % 2 == 0
        vals = [float((k + 3 * j) % 10 + 1) if scored else np.nan for j in range(6)]
        rows.append({"unit_id": u, "period": "2026Q1", "period_no": 0, **dict(zip(CATEGORY_KEYS, vals, strict=True)),
                     "n_rated": 6 if scored else 0, "mean": float(np.mean(vals)) if scored else np.nan,
                     "weakest": CATEGORY_KEYS[int(np.argmin(vals))] if scored else None,
                     "fullness": float(np.sum(np.array(vals) * np.roll(vals, -1)) / 600) if scored else np.nan})
    t = pd.DataFrame(rows)
    return t, village_summary(t, dict.fromkeys(unit_ids, "甲村"))


def test_maturity_data_uses_the_print_vertices():
    t, v = _maturity_table(["U001", "U002"])
    d = map_data(t, v)
    row = t.iloc[0]
    expect = hexagon_vertices([row[k] for k in CATEGORY_KEYS])
    assert np.allclose(np.array(d["units"]["U001"]["verts"], dtype=float), expect, atol=1e-4)
    assert "U002" not in d["units"] and d["shade"]["weakest"]["U002"] == "#bdbdbd"
    assert d["villages"] and d["villages"][0].startswith("甲村")


def test_check_map_draws_the_plan_and_names_violations():
    """``check --map``: the checked plan's units drawn with the check's status, violating households marked as
    violations (not as delineation exceptions) with the check's own wording, and a check title."""
    import geopandas as gpd
    from shapely.geometry import Point

    from yuanluo.gis.check import check_plan
    from yuanluo.gis.rules import Rules
    from yuanluo.planners.workflows import Inputs, check_map_layers

    xs = [0, 50, 100, 150, 400]
    hh = gpd.GeoDataFrame({"meeting_walk_min": [9.0] * 5}, geometry=[Point(500_000 + x, 3_300_000) for x in xs],
                          crs="EPSG:32648", index=pd.Index(list("abcde"), name="hid"))
    g = TerrainGraph.from_edges(list("abcde"), [[x, 0] for x in xs], [(0, 1), (1, 2), (2, 3), (3, 4)],
                                crs="EPSG:32648")
    labels = pd.Series(["A", "A", "B", "B", "B"], index=list("abcde"))
    res = check_plan(hh, labels, Rules(3, 4), graph=g)
    meet = pd.Series(["b", "d", "a"], index=["A", "B", "Z"])  # Z: no such unit in the plan
    lyr = check_map_layers(Inputs(households=hh, report=None), labels, res, meeting_points=meet, lang="zh")
    assert set(lyr["units"]["unit_id"]) == {"A", "B"} and lyr["units"].geometry.notna().all()
    mp = lyr["meeting_points"]
    assert mp[["unit_id", "hid"]].values.tolist() == [["A", "b"], ["B", "d"]]
    assert mp.geometry.x.tolist() == [500_050, 500_150] and mp.crs == hh.crs
    assert lyr["households"].loc["a", "unit_status"] == "violation" and "meeting_walk_min" not in lyr["households"]
    html = render_html(make_map(lyr, title="院落划分检查图"))
    card = _card_data(html)
    assert [card["units"][k] for k in card["bad"]] == ["A"] and card["band"] == [3, 4]
    status = card["f"]["status"]
    # (the status word, then the rule its errors break, as the editor's card says it: s61 U)
    assert "违规：规模不足" in (status if isinstance(status, list) else status["v"])
    viol = card["f"]["viol"]
    assert any("SIZE-LOW" in str(v) and "院落 A" in str(v) for v in (viol if isinstance(viol, list) else viol["v"]))
    d = json.loads(re.search(r"var D = (\{.*?\});\n", html).group(1))
    assert d["st"][:2] == [3, 3] and d["stText"][3] == "违规" and d["w"] is None
    assert "<title>院落划分检查图</title>" in html
    m = json.loads(re.search(r"var M = (\{.*?\});\n", html).group(1))  # the meeting points drawn
    assert m["units"] == ["A", "B"] and m["hid"] == ["b", "d"]
    # with the graph the check walked on, each household's own minutes to its unit's point (the card showed "—")
    walked = check_map_layers(Inputs(households=hh, report=None), labels, res, meeting_points=meet, graph=g)
    w = walked["households"]["meeting_walk_min"]
    assert w.loc["b"] == 0 and w.loc["d"] == 0 and 0 < w.loc["a"] < w.loc["e"] and w.notna().all()


# a real DOM click at a screen point (what a tap sends), then which card is open ("kind:id", or None)
TAP = """((x, y) => { const el = document.elementFromPoint(x, y);
  el.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, clientX: x, clientY: y, view: window}));
  const c = document.querySelector('.yl-card'); return c.hidden ? null : c.dataset.card + ':' + c.dataset.id; })"""
EMPTY_TAPS = """(() => {
  const Y = window.yuanluo, D = Y.households, out = [];
  const at = ll => { Y.map.setView(ll, 18, {animate: false}); Y.map.panBy([0, 250], {animate: false});
                     const p = Y.map.latLngToContainerPoint(ll); return TAP(p.x, p.y); };
  out.push(at([D.xy.lat[0], D.xy.lon[0]]));                                   // a household: its card
  const z = document.querySelector('.leaflet-control-zoom-in').getBoundingClientRect();
  out.push(TAP(z.left + z.width / 2, z.top + z.height / 2));                  // a control: the card stays
  let top = -90; for (let k = 0; k < D.hid.length; k++) top = Math.max(top, D.xy.lat[k]);
  Y.map.setView([top + 0.02, D.xy.lon[0]], 17, {animate: false});
  out.push(TAP(195, 200));                                                    // empty map: closed
  const id = Object.keys(Y.unitPolys).sort()[1], p = Y.unitPolys[id][0], v = L.latLng(p._ylGeo[0][0][0]);
  const c = p.getBounds().getCenter(), pt = L.latLng(v.lat + (c.lat - v.lat) * 0.05, v.lng + (c.lng - v.lng) * 0.05);
  out.push(at(pt));                                                           // a unit, off its households: its card
  Y.map.setView([top + 0.02, D.xy.lon[0]], 17, {animate: false});
  out.push(TAP(195, 120));                                                    // empty map again: closed
  return [out, D.hid[0], id]; })()"""


def test_a_tap_on_empty_map_closes_the_card(tmp_path):
    """A tap on empty map closes the open card; a tap on a household, a unit or a control does not."""
    require_browser()
    path = save_map(_layers(60), tmp_path / "taps.html")
    rep = open_in_chromium(path, wait_for="window.yuanluo && window.yuanluo.householdsDrawn", viewport=PHONE,
                           evaluate={"taps": EMPTY_TAPS.replace("TAP(", f"({TAP})(")})
    assert rep.external_requests == [] and rep.console_errors == [] and rep.csp_violations == []
    out, hid, uid = rep.counts["taps"]
    assert out == [f"household:{hid}", f"household:{hid}", None, f"unit:{uid}", None]


def _col(card: dict, name: str) -> list:
    f = card["f"][name]
    return f if isinstance(f, list) else [f["v"][i] for i in _decode(f["c"], len(card["units"]))]


def _decode(c, n: int) -> list[int]:
    return [c] * n if isinstance(c, int) else list(c)


def test_unit_card_gives_the_reason_in_the_map_language_and_the_status_without_a_cause() -> None:
    """A result delineated in Chinese (its ``reason`` column in Chinese) drawn as an English map: the card
    renders the reason from ``code`` and ``reason_params`` in English; a unit whose parameters cannot be read,
    or lack a value its sentence names (hand-edited), keeps the file's text. The status says "exception", not
    why (a unit without a head fits its size)."""
    from yuanluo.gis.delineate.reasons import render_reason

    lyr = sample_layers(60, block=5, seed=1)
    units = lyr["units"].copy()
    params = json.dumps({"size": 22, "heads": 0, "need": 1, "total": 132, "what": "households", "lo": 15,
                         "hi": 25, "proven": True, "why": "head_proven"})
    units["status"], units["code"], units["reason_params"], units["reason"] = "ok", "", "", ""
    units.loc[units.index[0], ["status", "code", "reason_params"]] = ["exception", "HEAD-SHORT", params]
    units.loc[units.index[0], "reason"] = render_reason("HEAD-SHORT", params, "zh")
    units.loc[units.index[1], ["status", "code", "reason_params", "reason"]] = [
        "exception", "HEAD-SHORT", "{edited", "院落长待定"]
    lacking = json.dumps({k: v for k, v in json.loads(params).items() if k != "total"})
    units.loc[units.index[2], ["status", "code", "reason_params", "reason"]] = [
        "exception", "HEAD-SHORT", lacking, "片区待核"]
    for lang, other in (("en", "院落"), ("zh", "households")):
        card = _card_data(render_html(make_map({**lyr, "units": units}, lang=lang)))
        reason = dict(zip(card["units"], _col(card, "reason"), strict=True))
        first, second = (str(u) for u in units["unit_id"].iloc[:2])
        assert reason[first] == render_reason("HEAD-SHORT", params, lang) and other not in reason[first]
        assert reason[second] == "院落长待定"
        assert reason[str(units["unit_id"].iloc[2])] == "片区待核"  # not "…area of {total} households…"
        status = dict(zip(card["units"], _col(card, "status"), strict=True))[first]
        assert status == {"en": "Exception", "zh": "例外"}[lang]
