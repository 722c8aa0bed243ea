"""No script from the data, and a Content-Security-Policy on every page Yuanluo writes.

Hostile text in every field that reaches a page (household id, village, group, settlement, attribute value,
column name, unit id, reason, meeting household, violation message, title, credit) must stay text: in the
HTML it is escaped for its context, in the browser it is shown and never run. The CSP allows exactly the
page's own inline scripts and styles (by hash) and no network: a second wall if an escape is ever missed.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.resources
import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from yuanluo.maps import offline
from yuanluo.maps.interactive import make_map, render_html, save_map
from yuanluo.maps.sample import sample_layers

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"

#: ends the script element; comment-opens it (the page goes blank); an HTML element with a handler;
#: JavaScript line terminators; an entity; quotes and a template literal
HOSTILE = [
    "</script><script>alert(1)</script>",
    "<!--<script>",
    "<img src=x onerror=alert(2)>",
    "a\u2028b\u2029c",
    "&lt;b&gt;&amp;",
    "'\"`${alert(3)}`",
]
SCRIPT = HOSTILE[0]
ASSETS = ("yuanluo.js", "households.js", "units.js", "meeting_points.js", "lines.js", "search.js", "legend.js",
          "credit.js", "yuanluo.css")


def hostile_layers(n: int = 60) -> dict:
    """Sample layers with a hostile string in every text field that reaches the map."""
    layers = sample_layers(n, block=4, seed=11)
    hh = layers["households"].copy()
    k = len(HOSTILE)
    ids = list(hh.index)
    bad_ids = {ids[i]: f"{ids[i]}{HOSTILE[i % k]}" for i in range(0, len(ids), 3)}
    bad_units = {u: f"{u}{HOSTILE[j % k]}" for j, u in enumerate(sorted(layers["units"]["unit_id"]))}
    hh.index = pd.Index([bad_ids.get(i, i) for i in ids], name="hid", dtype="string")
    hh["unit_id"] = hh["unit_id"].map(lambda u: bad_units.get(u, u), na_action="ignore")
    hh["village"] = [HOSTILE[i % k] for i in range(len(hh))]
    hh["group"] = [HOSTILE[(i + 1) % k] for i in range(len(hh))]
    hh["settlement"] = [HOSTILE[(i + 2) % k] for i in range(len(hh))]
    hh["备注"] = [HOSTILE[(i + 3) % k] for i in range(len(hh))]  # an attribute value
    hh[SCRIPT] = 1  # a column name
    units = layers["units"].copy()
    units["unit_id"] = units["unit_id"].map(bad_units)
    units["reason"] = HOSTILE[1]
    units["meeting_hid"] = units["meeting_hid"].map(lambda h: bad_ids.get(h, h))
    mp = layers["meeting_points"].copy()
    mp["unit_id"] = mp["unit_id"].map(bad_units)
    mp["hid"] = mp["hid"].map(lambda h: bad_ids.get(h, h))
    adj = layers["unit_adjacency"].copy()
    adj["unit_a"] = adj["unit_a"].map(bad_units)
    adj["unit_b"] = adj["unit_b"].map(bad_units)
    viol = pd.DataFrame({"unit_id": list(bad_units.values())[:3], "message": HOSTILE[:3]})
    run = pd.concat([layers["run"], pd.DataFrame({"key": ["params.data_credit"], "value": [HOSTILE[2]]})])
    return {"households": hh, "units": units, "meeting_points": mp, "unit_adjacency": adj, "violations": viol,
            "run": run}


@pytest.fixture(scope="module")
def hostile() -> dict:
    return hostile_layers()


def _scripts(html: str) -> list[tuple[str, str]]:
    """(attributes, text) of every script element, as an HTML parser splits them."""
    return [(m.group(1) or "", m.group(2)) for m in re.finditer(r"<script(\s[^>]*)?>(.*?)</script>", html, re.S)]


def _csp(html: str) -> dict[str, list[str]]:
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    assert m, "no Content-Security-Policy"
    return {d.split()[0]: d.split()[1:] for d in m.group(1).split("; ")}


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


# ---------------------------------------------------------------------------------------------- escaping
def test_script_json_escapes_what_ends_or_breaks_a_script():
    for s in HOSTILE:
        out = offline.script_json({"v": s})
        assert "<" not in out and ">" not in out and "&" not in out
        assert "\u2028" not in out and "\u2029" not in out
        assert json.loads(out) == {"v": s}  # the same value after parsing


def test_hostile_text_stays_data_in_the_map(hostile):
    html = render_html(make_map(hostile, include_personal=True, fields=["备注", SCRIPT], title=HOSTILE[0]))
    plain = render_html(make_map(sample_layers(60, block=4, seed=11)))
    for s in ("</script><script>alert", "<!--<script>", "<img src=x", "onerror=alert(2)>", "\u2028", "\u2029"):
        assert s not in html, s
    assert len(_scripts(html)) == len(_scripts(plain))  # no element added by the data
    assert "<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>" in html
    # the data is all there, escaped: the households payload decodes to the hostile values
    d = json.loads(re.search(r"var D = (\{.*?\});\n", html).group(1))
    assert d["hid"] == list(hostile["households"].index)
    assert SCRIPT in d["fields"] and SCRIPT in d["fieldLabels"]
    k = d["fields"].index("备注")
    assert [d["extra"][k]["v"][c] for c in d["extra"][k]["c"]] == hostile["households"]["备注"].tolist()
    u = json.loads(re.search(r"var U = (\{.*?\});\n", html).group(1))
    assert sorted(u["f"]["unit_id"]) == sorted(hostile["units"]["unit_id"])
    # the credit goes to Leaflet's attribution (HTML) escaped, and into the script as escaped JSON
    c = json.loads(re.search(r"var C = (\{.*?\});\n", html).group(1))
    assert c["html"] == "&lt;img src=x onerror=alert(2)&gt;"


def test_no_data_into_innerhtml():
    """The page's own code builds popups, tooltips and the legend as DOM nodes; the one HTML sink (Leaflet's
    attribution) takes the credit HTML-escaped in Python."""
    for name in ASSETS:
        code = offline.read_own_asset(name)
        assert "innerHTML" not in code and "outerHTML" not in code and "document.write" not in code, name
        assert "insertAdjacentHTML" not in code and "eval(" not in code, name


def test_hostile_text_in_the_report():
    from test_report import small_result

    res = small_result()
    res.units["unit_id"] = [HOSTILE[0], HOSTILE[1]]
    res.violations["unit_id"] = HOSTILE[0]
    res.violations["message_zh"] = HOSTILE[2]
    res.violations["code"] = HOSTILE[1]
    page = __import__("yuanluo.planners.report", fromlist=["render_html"]).render_html(res, title=HOSTILE[0])
    for s in ("<script", "<!--<", "<img"):
        assert s not in page.lower(), s
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    pol = _csp(page)
    assert pol["script-src"] == ["'none'"] and pol["connect-src"] == ["'none'"]
    styles = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert len(styles) == 1 and pol["style-src"] == [_sha(styles[0])]


# ---------------------------------------------------------------------------------------------- CSP
def test_csp_allows_exactly_the_pages_own_scripts_and_styles(hostile):
    html = render_html(make_map(hostile))
    pol = _csp(html)
    scripts = [body for attrs, body in _scripts(html) if "application/json" not in attrs]
    assert scripts and all(_sha(b) in pol["script-src"] for b in scripts)
    assert len(pol["script-src"]) == len(set(scripts))  # nothing else, no 'unsafe-inline'
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert styles and sorted(pol["style-src"]) == sorted({_sha(s) for s in styles})
    assert pol["style-src-attr"] == ["'unsafe-hashes'", _sha(offline.LOCATE_MARKER_STYLE)]
    assert pol["default-src"] == ["'none'"] and pol["connect-src"] == ["'none'"]
    assert pol["img-src"] == ["data:"] and pol["base-uri"] == ["'none'"] and pol["form-action"] == ["'none'"]
    meta = html.index("Content-Security-Policy")
    assert meta < html.index("<script") and meta < html.index("<style")


def test_csp_names_tile_hosts_only_for_a_chosen_basemap():
    layers = sample_layers(60, block=4, seed=11)
    assert _csp(render_html(make_map(layers, basemap="osm")))["img-src"] == ["data:", "https://tile.openstreetmap.org"]
    both = _csp(render_html(make_map(layers, basemap=["osm", "tianditu"], tianditu_key="k")))
    assert both["img-src"] == ["data:", "https://tile.openstreetmap.org", "https://*.tianditu.gov.cn"]
    assert both["connect-src"] == ["'none'"]


def test_same_input_same_bytes(hostile, tmp_path):
    a = save_map(hostile, tmp_path / "a.html").read_bytes()
    b = save_map(hostile, tmp_path / "b.html").read_bytes()
    assert a == b


# ---------------------------------------------------------------------------------------------- assets
def test_assets_found_as_package_resources():
    root = importlib.resources.files("yuanluo.maps").joinpath("assets")
    for name in ASSETS:
        assert root.joinpath(name).is_file(), name
        assert offline.read_own_asset(name) == root.joinpath(name).read_text(encoding="utf-8")
    with pytest.raises(FileNotFoundError):
        offline.read_own_asset("missing.js")


@pytest.mark.slow
def test_assets_in_the_built_wheel(tmp_path):
    """The wheel carries maps/assets (package data), so an installed map works without the checkout."""
    import shutil
    import subprocess
    import sys

    src = tmp_path / "src"  # a copy: building leaves build/ and *.egg-info behind
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".*", "build", "*.egg-info", "test-artifacts",
                                                             "__pycache__", "bench", "notebooks", "tests"))
    out = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"),
                          str(src)], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    (wheel,) = (tmp_path / "dist").glob("yuanluo-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ASSETS:
        assert f"yuanluo/maps/assets/{name}" in names, name


# ---------------------------------------------------------------------------------------------- browser
POPUP_OF = """(hid => {
  const Y = window.yuanluo, D = Y.households, i = D.hid.indexOf(hid);
  const p = Y.map.latLngToContainerPoint([D.xy.lat[i], D.xy.lon[i]]);
  Y.map.fire('click', {containerPoint: p, latlng: Y.map.containerPointToLatLng(p)});
  const el = document.querySelector('.leaflet-popup-content');
  return el ? el.textContent : null;
})"""


@pytest.mark.browser
def test_hostile_map_in_chromium_runs_no_script(hostile, tmp_path):
    from browser import open_in_chromium, require_browser

    require_browser()
    path = save_map(hostile, tmp_path / "hostile.html", include_personal=True, fields=["备注", SCRIPT],
                    title=HOSTILE[0])
    hid = next(h for h in hostile["households"].index if h.endswith(SCRIPT))
    rep = open_in_chromium(path, wait_for="window.yuanluo && window.yuanluo.householdsDrawn",
                           viewport=(390, 844), screenshot=ARTIFACTS / "map_hostile_phone.png",
                           evaluate={"drawn": "window.yuanluo.householdsDrawn",
                                     "popup": f"{POPUP_OF}({json.dumps(hid)})",
                                     "found": f"window.yuanluo.find({json.dumps(hid)})",
                                     "title": "document.title",
                                     "imgs": "document.querySelectorAll('img[onerror], .leaflet-popup img').length",
                                     "legend": "document.querySelector('.yl-legend').textContent"})
    assert rep.dialogs == []  # no alert() ran
    assert rep.console_errors == [] and rep.csp_violations == [] and rep.external_requests == []
    assert rep.counts["drawn"] == len(hostile["households"])  # the map still draws
    assert SCRIPT in rep.counts["popup"] and "<!--<script>" in rep.counts["popup"]  # shown as text
    assert rep.counts["found"] == "household" and rep.counts["title"] == HOSTILE[0]
    assert rep.counts["imgs"] == 0 and rep.counts["legend"].startswith("图例")


@pytest.mark.browser
def test_csp_is_a_second_wall(tmp_path):
    """A script that slipped into the page (a missed escape) is refused by the CSP and reported."""
    from browser import open_in_chromium, require_browser

    require_browser()
    html = render_html(make_map(sample_layers(60, block=4, seed=11)))
    path = tmp_path / "injected.html"
    path.write_text(html.replace("</body>", "<script>alert('x')</script><div style=\"color:red\">x</div>"
                                 "<img src=\"https://example.org/p.png\"></body>"), encoding="utf-8")
    rep = open_in_chromium(path, wait_for="window.yuanluo", evaluate={"drawn": "window.yuanluo.householdsDrawn"})
    assert rep.dialogs == []
    assert rep.counts["drawn"] == 60
    kinds = {v.split()[0] for v in rep.csp_violations}
    assert {"script-src-elem", "style-src-attr", "img-src"} <= kinds, rep.csp_violations


@pytest.mark.browser
def test_no_csp_violation_with_the_gps_dot(tmp_path):
    """Leaflet, the controls and the locate control's GPS dot all work under the policy."""
    from browser import open_in_chromium, require_browser

    require_browser()
    layers = sample_layers(200, block=5, seed=4)
    path = save_map(layers, tmp_path / "gps.html", lang="en")
    lat, lon = [float(v) for v in layers["households"].to_crs(4326).geometry.iloc[0].coords[0]][::-1]
    rep = open_in_chromium(path, wait_for="window.yuanluo", viewport=(390, 844), geolocation=(lat, lon),
                           settle_ms=800, screenshot=ARTIFACTS / "map_gps_phone.png",
                           evaluate={"click": "(document.querySelector('.leaflet-control-locate a').click(), 1)",
                                     "dot": "new Promise(r => setTimeout(() => r(document.querySelectorAll("
                                            "'.leaflet-control-locate-location circle').length), 1500))",
                                     "fill": "(() => { const c = document.querySelector("
                                             "'.leaflet-control-locate-location circle');"
                                             " return c ? getComputedStyle(c).fill : null; })()"})
    assert rep.csp_violations == []
    assert rep.counts["dot"] >= 1 and rep.counts["fill"] == "rgb(42, 147, 238)"  # #2A93EE, styled
    assert rep.console_errors == []
