"""The coverage map (yuanluo.maps.coverage): bands, service points, the household card, hostile text, the CSP and
no network in headless Chromium; a phone screenshot goes to test-artifacts/cover_phone.png."""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from yuanluo.gis.errors import InputError, OutputError
from yuanluo.maps import offline
from yuanluo.maps.coverage import (
    BAND_COLOURS,
    band_codes,
    make_cover_map,
    render_cover_html,
    save_cover_map,
)

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
SCRIPT = "</script><script>alert(1)</script>"
ASSETS = ("cover_households.js", "cover_hubs.js", "cover.css")


@pytest.fixture(scope="module")
def layers() -> dict:
    """A 600-household village with one hub per village and group (planners.cover), rivers and roads, and one
    household made unreachable (as a river without a bridge would)."""
    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.synth import make_village
    from yuanluo.planners.cover import CoverPlan, output_layers, site

    v = make_village(600, seed=1)
    g = build_graph(v.households, rivers=v.rivers, roads=v.roads)
    out = output_layers(site(v.households, g, CoverPlan(per_level={"village": 1, "group": 1}, limit_min=15.0)), "zh")
    hh = out["households"].copy()
    k = hh.index[hh["hid"] == "H000599"][0]
    hh.loc[k, ["hub_id", "walk_min", "served", "code"]] = [None, np.nan, False, "COVER-UNREACHABLE"]
    return {**out, "households": hh, "rivers": v.rivers, "roads": v.roads}


def _hostile(layers: dict) -> dict:
    hh = layers["households"].copy()
    hh["hid"] = hh["hid"].where(hh["hid"] != "H000005", "H000005" + SCRIPT)
    hubs = layers["hubs"].copy()
    hubs["site"] = [SCRIPT + s for s in hubs["site"]]
    hubs.loc[hubs.index[0], "level"] = "<img src=x onerror=alert(2)>"
    return {**layers, "households": hh, "hubs": hubs}


def _payload(html: str, var: str) -> dict:
    return json.loads(re.search(rf"var {var} = (\{{.*?\}});\n", html).group(1))


# ---------------------------------------------------------------------------------------------- HTML
def test_bands_hubs_and_card_data(layers):
    html = render_cover_html(make_cover_map(layers))
    assert offline.external_references(html) == []
    assert 'http-equiv="Content-Security-Policy"' in html and "connect-src 'none'" in html
    d = _payload(html, "D")
    hh = layers["households"]
    assert d["hid"] == hh["hid"].tolist()
    b = np.asarray(d["b"])
    assert b.tolist() == band_codes(hh["walk_min"], hh["code"]).tolist()
    assert (b == 4).sum() == 1 and (b == 3).sum() == (hh["code"] == "COVER-FAR").sum()
    assert d["bandColours"] == list(BAND_COLOURS) and d["cv"]["card"] == "最近服务点 {hub}，步行 {minutes} 分钟"
    i = d["hid"].index("H000599")
    assert d["w"][i] == -1 and d["h"][i] == -1 and "走不到" in d["reasons"][d["r"][i]]
    j = int(np.flatnonzero(np.asarray(d["w"]) >= 0)[0])
    assert d["hubs"][d["h"][j]] == hh["hub_id"].iloc[j] and d["w"][j] == round(hh["walk_min"].iloc[j] * 10)
    h = _payload(html, "H")
    assert h["id"] == sorted(layers["hubs"]["hub_id"]) and len(h["lv"]) == len(layers["hubs"])
    assert "<title>服务点步行覆盖图</title>" in html and "内部工作用图" in html
    g = _payload(html, "G")
    assert g["rows"][0]["text"].startswith("5 分钟以内（") and "村级服务点" in [r["text"] for r in g["rows"]]
    # each band its own households, named so (it said "10 分钟以内" for 5–10, where the report's counts 0–10)
    assert g["rows"][1]["text"].startswith("5–10 分钟（") and g["rows"][2]["text"].startswith("10–15 分钟（")


def test_english_page_and_same_bytes(layers, tmp_path):
    a = save_cover_map(layers, tmp_path / "a.html", lang="en")
    b = save_cover_map(layers, tmp_path / "b.html", lang="en")
    assert a.read_bytes() == b.read_bytes()
    html = a.read_text(encoding="utf-8")
    d = _payload(html, "D")
    assert d["cv"]["card"] == "Nearest service point {hub}, {minutes} min walk"
    assert not re.search(r"[\u3400-\u9fff]", json.dumps(_payload(html, "G"), ensure_ascii=False))
    with pytest.raises(OutputError):
        save_cover_map(layers, a, lang="en")


def test_hostile_text_stays_data(layers):
    bad = _hostile(layers)
    html = render_cover_html(make_cover_map(bad, title=SCRIPT))
    plain = render_cover_html(make_cover_map(layers))
    for s in ("</script><script>alert", "<img src=x", "onerror=alert(2)>"):
        assert s not in html, s
    assert html.count("<script") == plain.count("<script")
    assert "H000005" + SCRIPT in _payload(html, "D")["hid"] and _payload(html, "H")["site"][0].startswith(SCRIPT)


def test_bad_layers_are_coded_errors(layers):
    with pytest.raises(InputError) as e:
        make_cover_map({"households": layers["households"].drop(columns=["walk_min"]), "hubs": layers["hubs"]})
    assert e.value.codes == ["MAP-COLUMN"]
    with pytest.raises(InputError) as e:
        make_cover_map({"hubs": layers["hubs"]})
    assert e.value.codes == ["MAP-NO-LAYERS"]


def test_assets_build_no_html_from_data():
    for name in ASSETS:
        code = offline.read_own_asset(name)
        assert "innerHTML" not in code and "outerHTML" not in code and "document.write" not in code, name
        assert "insertAdjacentHTML" not in code and "eval(" not in code, name


# ---------------------------------------------------------------------------------------------- browser
CARD_OF = """(hid => {
  const Y = window.yuanluo, D = Y.households, i = D.hid.indexOf(hid);
  Y.map.setView([D.xy.lat[i], D.xy.lon[i]], 18, {animate: false});
  Y.map.closePopup();
  const p = Y.map.latLngToContainerPoint([D.xy.lat[i], D.xy.lon[i]]);
  Y.map.fire('click', {containerPoint: p, latlng: Y.map.containerPointToLatLng(p)});
  const c = document.querySelector('[data-card="household"]');  // the field map's card, its first line
  return c && c.dataset.id === hid ? c.querySelector('table').textContent : null;
})"""
HUB_CARD = """(() => {
  const Y = window.yuanluo, H = Y.hubs;
  let y = 0, x = 0; y += H.d[0]; x += H.d[1];
  const ll = [H.lat0 + y * H.q, H.lon0 + x * H.q];
  Y.map.setView(ll, 17, {animate: false}); Y.map.closePopup();
  const p = Y.map.latLngToContainerPoint(ll);
  Y.map.fire('click', {containerPoint: p, latlng: ll});
  const c = document.querySelector('[data-card="hub"] table');
  return c ? c.textContent : null;
})()"""


@pytest.mark.browser
def test_cover_map_in_chromium_on_a_phone(layers, tmp_path):
    from browser import open_in_chromium, require_browser

    require_browser()
    path = save_cover_map(layers, tmp_path / "cover.html", lang="zh")
    hh = layers["households"]
    near = hh[hh["code"].isna()].iloc[10]
    inside = ("(() => { const r = document.querySelector('.yl-legend').getBoundingClientRect();"
              " return r.left >= 0 && r.right <= window.innerWidth && r.bottom <= window.innerHeight; })()")
    rep = open_in_chromium(path, screenshot=ARTIFACTS / "cover_phone.png", viewport=(390, 844),
                           wait_for="window.yuanluo && window.yuanluo.householdsDrawn",
                           evaluate={"drawn": "window.yuanluo.householdsDrawn",
                                     "painted": "window.yuanluo.householdsPainted",
                                     "hubs": "window.yuanluo.hubsPainted",
                                     "stamp": "document.querySelector('.yl-stamp').textContent",
                                     "legend_inside": inside,
                                     "legend": "document.querySelector('.yl-legend').textContent"})
    assert rep.external_requests == [] and rep.console_errors == []
    assert rep.csp_violations == [] and rep.dialogs == []
    assert rep.counts["drawn"] == rep.counts["painted"] == len(hh)
    assert rep.counts["hubs"] == len(layers["hubs"])
    assert rep.counts["stamp"] == "内部工作用图" and rep.counts["legend_inside"] is True
    assert "走不到任何服务点（1 户）" in rep.counts["legend"]
    card = open_in_chromium(path, screenshot=ARTIFACTS / "cover_phone_card.png", viewport=(390, 844),
                            wait_for="window.yuanluo && window.yuanluo.householdsDrawn",
                            evaluate={"far": f"{CARD_OF}('H000599')", "hub": HUB_CARD,
                                      "find": "window.yuanluo.find('P002')",
                                      "card": f"{CARD_OF}({json.dumps(near['hid'])})"})
    assert card.console_errors == [] and card.csp_violations == [] and card.external_requests == []
    assert card.counts["card"].startswith(f"最近服务点 {near['hub_id']}，步行 {near['walk_min']:.1f} 分钟")
    assert card.counts["far"].startswith("走不到任何服务点（被无桥的河流隔开")
    assert card.counts["hub"].startswith("服务点编号P001所在位置") and card.counts["find"] == "unit"


def _left_out(layers: dict, name: str) -> dict:
    """The layers with one given point left out, 2 km east of the households (as planners.cover writes it)."""
    hh = layers["households"]
    x, y = hh.geometry.x.max() + 2000.0, hh.geometry.y.mean()
    far = gpd.GeoDataFrame({"site": [name], "given": ["candidate"], "nearest_m": [2000]},
                           geometry=gpd.points_from_xy([x], [y]), crs=hh.crs)
    return {**layers, "sites_left_out": far}


def test_a_given_point_left_out_is_drawn_where_it_was_given(layers):
    """A candidate no household can walk to is drawn (a grey cross, its own legend row) with a card that says
    why; it is no service point: no id, nothing to search for, not counted."""
    m = make_cover_map(_left_out(layers, "远处祠堂"))
    html = render_cover_html(m)
    h = _payload(html, "H")
    k = h["site"].index("远处祠堂")
    assert h["id"][k] == "" and h["levels"][h["lv"][k]]["symbol"] == "cross"
    assert h["note"][k] == "离最近的农户 2000 米，没有农户能走到，未采用。" and h["rows"][3][k] == "候选位置"
    assert sum(1 for i in h["id"] if i) == len(layers["hubs"]) == m._yuanluo["n_hubs"]
    assert "" not in _payload(html, "S")["bounds"]
    assert "未采用的给定点（没有农户能走到）" in json.dumps(_payload(html, "G"), ensure_ascii=False)
    plain = _payload(render_cover_html(make_cover_map(layers)), "H")
    assert "left_out" not in json.dumps(plain) and set(plain["note"]) == {""}


LEFT_OUT_CARD = """(() => {
  const Y = window.yuanluo, H = Y.hubs, k = H.id.indexOf('');
  let y = 0, x = 0;
  for (let i = 0; i <= k; i++) { y += H.d[2 * i]; x += H.d[2 * i + 1]; }
  const ll = [H.lat0 + y * H.q, H.lon0 + x * H.q];
  Y.map.setView(ll, 16, {animate: false});
  const p = Y.map.latLngToContainerPoint(ll);
  Y.map.fire('click', {containerPoint: p, latlng: ll});
  const c = document.querySelector('[data-card="hub"]');
  return c ? [c.querySelector('h2').textContent, c.querySelector('table').textContent, Y.hubsPainted] : null;
})()"""


@pytest.mark.browser
def test_a_given_point_left_out_on_a_phone(layers, tmp_path):
    from browser import open_in_chromium, require_browser

    require_browser()
    path = save_cover_map(_left_out(layers, SCRIPT + "祠堂"), tmp_path / "left_out.html")
    rep = open_in_chromium(path, screenshot=ARTIFACTS / "cover_phone_left_out.png", viewport=(390, 844),
                           wait_for="window.yuanluo && window.yuanluo.householdsDrawn",
                           evaluate={"card": LEFT_OUT_CARD,
                                     "imgs": "document.querySelectorAll('img[onerror]').length"})
    assert rep.dialogs == [] and rep.console_errors == [] and rep.csp_violations == []
    assert rep.external_requests == [] and rep.counts["imgs"] == 0
    title, table, painted = rep.counts["card"]
    assert title == SCRIPT + "祠堂" and painted >= 1
    assert table.startswith("离最近的农户 2000 米，没有农户能走到，未采用。层级未采用的给定点（没有农户能走到）给定为候选位置")


@pytest.mark.browser
def test_zoomed_out_only_the_uncovered_stand_out(layers, tmp_path, monkeypatch):
    """Past the household budget (zoomed far out) the near households are left out, the far and unreachable
    ones are still drawn."""
    from browser import open_in_chromium, require_browser

    import yuanluo.maps.interactive as mi

    require_browser()
    monkeypatch.setattr(mi, "HOUSEHOLD_BUDGET", 100)
    path = save_cover_map(layers, tmp_path / "gate.html")
    zoom = ("(z => { const m = window.yuanluo.map; m.setZoom(z, {animate: false});"
            " return [m.getZoom(), window.yuanluo.householdsPainted]; })")
    rep = open_in_chromium(path, wait_for="window.yuanluo && window.yuanluo.householdsDrawn",
                           evaluate={"out": f"{zoom}(11)", "mid": f"{zoom}(16)"})
    assert rep.console_errors == []
    uncovered = int(layers["households"]["code"].notna().sum())
    assert rep.counts["out"] == [11, uncovered]
    assert rep.counts["mid"][1] > uncovered


@pytest.mark.browser
def test_hostile_cover_map_runs_no_script(layers, tmp_path):
    from browser import open_in_chromium, require_browser

    require_browser()
    bad = _hostile(layers)
    path = save_cover_map(bad, tmp_path / "hostile.html", lang="en", title=SCRIPT)
    rep = open_in_chromium(path, wait_for="window.yuanluo && window.yuanluo.householdsDrawn",
                           evaluate={"card": f"{CARD_OF}({json.dumps('H000005' + SCRIPT)})",
                                     "head": "document.querySelector('[data-card] h2').textContent", "hub": HUB_CARD,
                                     "find": f"window.yuanluo.find({json.dumps('H000005' + SCRIPT)})",
                                     "title": "document.title",
                                     "imgs": "document.querySelectorAll('img[onerror], .leaflet-popup img').length"})
    assert rep.dialogs == [] and rep.console_errors == [] and rep.csp_violations == []
    assert rep.external_requests == []
    assert SCRIPT in rep.counts["head"] and rep.counts["card"].startswith("Nearest service point P")
    assert SCRIPT in rep.counts["hub"] and "<img src=x onerror=alert(2)>" in rep.counts["hub"]
    assert rep.counts["find"] == "household" and rep.counts["title"] == SCRIPT and rep.counts["imgs"] == 0


def test_layers_fixture_is_a_coverage_result(layers):
    assert isinstance(layers["households"], gpd.GeoDataFrame) and "hid" in layers["households"]
    assert isinstance(layers["coverage"], pd.DataFrame)


def test_no_long_functions_and_no_script_in_python():
    import ast

    from test_map_shape import MAX_LINES, _body_lines

    for rel in ("maps/coverage.py", "maps/static_cover.py"):
        if not (ROOT / rel).exists():
            continue
        tree = ast.parse((ROOT / rel).read_text(encoding="utf-8"))
        long = [n.name for n in ast.walk(tree)
                if isinstance(n, ast.FunctionDef) and _body_lines(n) > MAX_LINES]
        assert long == [], rel
        code = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                and re.search(r"function\s*\(|L\.(Control|Layer|DomUtil)\b", n.value)]
        assert code == [], rel


# ---------------------------------------------------------------------------------------------- print map
def test_print_map_with_chinese_is_byte_identical(layers, tmp_path):
    from PIL import Image

    from yuanluo.maps.static_cover import print_cover_map, render_print_cover_map

    a = print_cover_map(layers, ARTIFACTS / "cover_print_a4.png", overwrite=True, limit_min=15.0)
    b = print_cover_map(layers, tmp_path / "b.png", limit_min=15.0)
    assert a.read_bytes() == b.read_bytes()
    assert Image.open(a).size == (int(297 / 25.4 * 150), int(210 / 25.4 * 150))
    en = render_print_cover_map(layers, lang="en", dpi=60)
    assert en[:8] == b"\x89PNG\r\n\x1a\n" and en != a.read_bytes()
    pdf = render_print_cover_map(layers, fmt="pdf", dpi=60)
    assert pdf.startswith(b"%PDF") and pdf == render_print_cover_map(layers, fmt="pdf", dpi=60)
    with pytest.raises(OutputError):
        print_cover_map(layers, tmp_path / "b.png")
    with pytest.raises(OutputError):
        print_cover_map(layers, tmp_path / "x.svg")


def test_print_map_draws_its_texts_in_the_bundled_font(layers, monkeypatch):
    """Every text of the sheet is drawn (legend with counts, stamp, summary) with the bundled CJK font."""
    import matplotlib

    from yuanluo.maps import static_cover
    from yuanluo.maps.static import FONT_FAMILY, font_rc

    lyr = static_cover.check_cover_layers(layers)
    with matplotlib.rc_context(font_rc()):
        fig = static_cover._draw(lyr, paper="A4", lang="zh", title=None, dpi=50, limit=15.0)
        texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
        families = {t.get_fontfamily()[0] for t in fig.findobj(matplotlib.text.Text) if t.get_text()}
    assert "服务点步行覆盖图" in texts and "内部工作用图" in texts
    assert "走不到任何服务点（1 户）" in texts and "村级服务点" in texts and "P001" in texts
    assert any(t.startswith("15 分钟内可到服务点：") for t in texts)
    assert families == {FONT_FAMILY}


def test_only_requested_household_columns_reach_the_coverage_page(layers):
    hh = layers["households"].copy()
    hh["屋顶"] = [f"秘密备注{i:04d}" for i in range(len(hh))]  # a column that is not personal
    lyr = {**layers, "households": hh}
    html = render_cover_html(make_cover_map(lyr))
    assert "秘密备注0007" not in html and json.dumps("秘密备注0007")[1:-1] not in html
    html_f = render_cover_html(make_cover_map(lyr, fields=["屋顶"]))
    assert "秘密备注0007" in html_f or json.dumps("秘密备注0007")[1:-1] in html_f


# a real DOM click at a screen point (what a tap sends): the element there gets it, as in the browser
TAP = """((x, y) => { const el = document.elementFromPoint(x, y);
  el.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, clientX: x, clientY: y, view: window}));
  const c = document.querySelector('.yl-card'); return c.hidden ? null : c.dataset.card + ':' + c.dataset.id; })"""
TAPS = """(() => {
  const Y = window.yuanluo, D = Y.households, H = Y.hubs, out = [];
  const at = ll => { Y.map.setView(ll, 18, {animate: false}); Y.map.panBy([0, 250], {animate: false});
                     const p = Y.map.latLngToContainerPoint(ll); return TAP(p.x, p.y); };
  const i = D.hid.indexOf(HID);
  out.push(at([D.xy.lat[i], D.xy.lon[i]]));                                   // a household: its card
  const z = document.querySelector('.leaflet-control-zoom-in').getBoundingClientRect();
  out.push(TAP(z.left + z.width / 2, z.top + z.height / 2));                  // a control: the card stays
  let top = -90; for (let k = 0; k < D.hid.length; k++) top = Math.max(top, D.xy.lat[k]);
  Y.map.setView([top + 0.02, D.xy.lon[i]], 17, {animate: false});
  out.push(TAP(195, 200));                                                    // empty map: closed
  out.push(at([H.lat0 + H.d[0] * H.q, H.lon0 + H.d[1] * H.q]));               // a service point: its card
  out.push(TAP(195, 120));                                                    // empty map near it: closed
  return out; })()"""
GPS = """new Promise(res => { window.yuanluo.closeCard(); document.querySelector('.leaflet-control-locate a').click();
  const t0 = Date.now(), poll = () => { const c = document.querySelector('[data-card="gps"]');
    if (c && !c.hidden) res([c.dataset.id, c.textContent, c.getBoundingClientRect().right]);
    else if (Date.now() - t0 > 8000) res(null); else setTimeout(poll, 100); }; poll(); })"""


@pytest.mark.browser
def test_cover_map_gps_card_and_empty_taps_on_a_phone(layers, tmp_path):
    """A GPS fix at a household: the card names the nearest service point and the estimated walk (that
    household's walk plus the straight line from you); outside the area, how far and which way the nearest
    household is; a tap on empty map closes the card, a tap on a household, service point or control does not."""
    from browser import open_in_chromium, require_browser

    require_browser()
    path = save_cover_map(layers, tmp_path / "cover.html", lang="zh")
    hh = layers["households"].set_index("hid")
    near = hh[hh["code"].isna()].index[10]
    ll = hh.to_crs(4326).geometry
    lat, lon = float(ll[near].y), float(ll[near].x)
    far = f"window.yuanluo.showGps([{lat - 0.05!r}, {lon!r}]).textContent"  # about 5.5 km south
    rep = open_in_chromium(path, screenshot=ARTIFACTS / "cover_phone_gps.png", viewport=(390, 844),
                           settle_ms=1000, geolocation=(lat, lon), wait_for="window.yuanluo && window.yuanluo.householdsDrawn",
                           evaluate={"taps": TAPS.replace("TAP(", f"({TAP})(").replace("HID", json.dumps(near)),
                                     "outside": far, "gps": GPS})
    assert rep.external_requests == [] and rep.console_errors == []
    assert rep.csp_violations == [] and rep.dialogs == []
    hub0 = sorted(layers["hubs"]["hub_id"])[0]
    assert rep.counts["taps"] == [f"household:{near}", f"household:{near}", None, f"hub:{hub0}", None]
    assert "你不在农户覆盖范围内" in rep.counts["outside"] and "北方向" in rep.counts["outside"]  # you are south of it
    assert "公里" in rep.counts["outside"] and "前往" in rep.counts["outside"]
    hub, text, right = rep.counts["gps"]
    used = re.search(r"离你最近的农户 (\S+) 到服务点", text).group(1)  # the household the estimate starts from
    assert used in hh.index and hh.loc[used, "hub_id"] == hub and right <= 390
    assert f"离你最近的服务点 {hub}" in text and "步行到服务点（估算）" in text and "定位精度约 30 米" in text
    minutes = float(re.search(r"约 ([0-9.]+) 分钟", text).group(1))
    assert abs(minutes - hh.loc[used, "walk_min"]) <= 0.2  # at the household: its own walk, give or take rounding


def test_print_map_draws_a_point_left_out_inside_its_frame_only(layers):
    """A given point left out that lies inside the frame (a hall on the hillside over 300 m from every house) is
    drawn as a grey cross with a legend row; one 2 km outside is not (it would shrink the village to a dot)."""
    from matplotlib import rc_context

    from yuanluo.maps.coverage import check_cover_layers
    from yuanluo.maps.static import font_rc
    from yuanluo.maps.static_cover import _draw

    hh = layers["households"]
    x0, y0, x1, y1 = hh.total_bounds
    inside = gpd.GeoDataFrame({"site": ["山上新址"], "given": ["candidate"], "nearest_m": [420]},
                              geometry=gpd.points_from_xy([(x0 + x1) / 2], [(y0 + y1) / 2]), crs=hh.crs)
    row = "未采用的给定点（没有农户能走到）"

    def drawn(extra: dict) -> tuple[list[str], list[str]]:
        with rc_context(font_rc()):
            fig = _draw(check_cover_layers({**layers, **extra}), paper="A4", lang="zh", title=None, dpi=40, limit=15.0)
        legend = [t.get_text() for leg in fig.legends for t in leg.get_texts()]
        notes = [t.get_text() for ax in fig.axes for t in ax.texts]
        return legend, notes

    legend, notes = drawn({"sites_left_out": inside})
    assert row in legend and "山上新址" in notes
    legend, notes = drawn(_left_out(layers, "远处")["sites_left_out"].pipe(lambda f: {"sites_left_out": f}))
    assert row not in legend and "远处" not in notes
