"""Locked units on the maps (``delineate --plan … 锁定 --map``, ``map``): a unit kept as planned shows its status in
the page's language from the catalogue, and it is listed and ringed as breaking the rule only when it does (its
``LOCK-BREACH``, which the result's check takes as declared), as ``check`` says of it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
from browser import open_in_chromium, require_browser  # tests/ is on sys.path under pytest
from editor_fixtures import synth_result
from typer.testing import CliRunner

from yuanluo.gis.catalogue import text
from yuanluo.planners.cli import app

runner = CliRunner()
BAND = ("--min", "15", "--max", "25")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
PHONE = (390, 844)


def _payload(html: str, var: str) -> dict[str, Any]:
    found = re.search(rf"var {var} = (\{{.*?\}});\n", html)
    assert found is not None, var
    return json.loads(found.group(1))


@pytest.fixture(scope="module")
def locked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A result delineated around two locked units: ``keeps`` within the band as it was, ``breaks`` two units
    merged (above the band, kept as asked: LOCK-BREACH); its maps in zh (``delineate --map``) and en (``map``)."""
    folder = tmp_path_factory.mktemp("s29locked")
    src = synth_result(folder)
    first = folder / "first.gpkg"
    res = runner.invoke(app, ["delineate", f"{src}::households", "--rivers", f"{src}::rivers", "--roads",
                              f"{src}::roads", *BAND, "-o", str(first)])
    assert res.exit_code == 0, res.output
    hh = gpd.read_file(first, layer="households")
    units = gpd.read_file(first, layer="units")
    ok = units.loc[units["status"] == "ok", "unit_id"].astype(str).tolist()
    keeps, breaks, gone = ok[0], ok[1], ok[2]
    lab = hh["unit_id"].astype(str).replace({gone: breaks})
    plan = folder / "plan.csv"
    pd.DataFrame({"户编号": hh["hid"].astype(str), "院落编号": lab,
                  "锁定": ["是" if u in (keeps, breaks) else "" for u in lab]}).to_csv(plan, index=False,
                                                                                   encoding="utf-8-sig")
    out, zh = folder / "out.gpkg", folder / "out.html"
    res = runner.invoke(app, ["delineate", str(first), *BAND, "--plan", str(plan), "-o", str(out), "--map", str(zh)])
    assert res.exit_code == 0, res.output
    en = folder / "en.html"
    res = runner.invoke(app, ["map", str(out), "-o", str(en), "--lang", "en"])
    assert res.exit_code == 0, res.output
    chk = runner.invoke(app, ["check", str(out), *BAND])
    assert chk.exit_code == 0, chk.output
    return {"keeps": keeps, "breaks": breaks, "out": out, "zh": zh, "en": en}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_locked_unit_is_said_in_words_and_broken_only_where_it_breaks_a_rule(locked: dict[str, Any],
                                                                               lang: str) -> None:
    units = gpd.read_file(locked["out"], layer="units").set_index("unit_id")
    keeps, breaks = locked["keeps"], locked["breaks"]
    assert units.loc[[keeps, breaks], "status"].tolist() == ["locked", "locked"]
    assert units.loc[breaks, "code"] == "LOCK-BREACH" and units.loc[keeps, "code"] in ("", None)
    html = Path(locked[lang]).read_text(encoding="utf-8")
    r, d = _payload(html, "R"), _payload(html, "D")
    status = r["f"]["status"]
    shown = {u: status["v"][c] for u, c in zip(r["units"], _codes(status["c"], len(r["units"])), strict=True)}
    word = text("map.locked", lang)
    assert shown[keeps] == word and shown[breaks] == word and "locked" not in status["v"]
    bad = {r["units"][k] for k in r["bad"]}
    assert breaks in bad and keeps not in bad
    exceptions = set(units.index[units["status"] == "exception"])  # listed apart, breaking no rule
    assert bad == {breaks} and {r["units"][k] for k, _ in r["exc"]} == exceptions
    # the households: those of the unit kept within the rule are not ringed, those of the one breaking it are
    st = dict(zip(_ids(d["hid"]), _codes(d["st"], len(_ids(d["hid"]))), strict=True))
    hh = gpd.read_file(locked["out"], layer="households").set_index("hid")
    assert {st[h] for h in hh.index[hh["unit_id"] == keeps]} == {0}
    assert {st[h] for h in hh.index[hh["unit_id"] == breaks]} == {1}


def _codes(c: Any, n: int) -> list[int]:
    """A payload's integer codes, plain or run-length coded (``{"r": [value, count, …]}``)."""
    if isinstance(c, list):
        return c
    assert set(c) == {"r"}, c
    out: list[int] = []
    for v, k in zip(c["r"][::2], c["r"][1::2], strict=True):
        out += [v] * k
    assert len(out) == n
    return out


def _ids(h: Any) -> list[str]:
    assert isinstance(h, list), "a small page keeps its ids plain"
    return [str(x) for x in h]


def test_the_unit_card_of_a_locked_unit_on_a_phone(locked: dict[str, Any]) -> None:
    """The zh page written by ``delineate --map`` at 390×844: the card of the locked unit within the rule says
    锁定（按方案保留）, no English word, and its list of units breaking the rule leaves it out."""
    require_browser()
    keeps = locked["keeps"]
    card = f"""(() => {{ const c = window.yuanluo.showUnit({json.dumps(keeps)}, true);
      const d = document.querySelector('[data-card]'); d.querySelector('details.yl-bad').open = true;
      const r = d.getBoundingClientRect();
      return {{text: d.textContent, list: Array.from(d.querySelectorAll('.yl-bad button')).map(a => a.textContent),
              summary: d.querySelector('.yl-bad summary').textContent, left: r.left, right: r.right}}; }})()"""
    rep = open_in_chromium(locked["zh"], screenshot=ARTIFACTS / "s29_locked_card_phone.png", wait_for="window.yuanluo",
                           viewport=PHONE, evaluate={"card": card})
    assert not rep.console_errors, rep.console_errors
    c = rep.counts["card"]
    assert "锁定（按方案保留）" in c["text"] and "locked" not in c["text"], c["text"]
    assert keeps not in c["list"] and locked["breaks"] in c["list"]
    assert f"（{len(c['list'])} 个）" in c["summary"]
    assert c["left"] >= 0 and c["right"] <= PHONE[0]


def test_qgis_styles_draw_locked_units_and_their_households(locked: dict[str, Any]) -> None:
    """The GeoPackage's QGIS styles: a locked unit within its rules is a unit as any other, labelled 锁定（按方案保留）
    (it was hatched red as an 例外院落), one breaking a rule hatched and labelled so; the households of locked units
    have a category (QGIS drew none of them: their unit_status "locked" had no category), and the attribute table
    shows "locked" in words."""
    import sqlite3
    import xml.etree.ElementTree as ET

    con = sqlite3.connect(locked["out"])
    try:
        qml = dict(con.execute("SELECT f_table_name, styleQML FROM layer_styles"))
    finally:
        con.close()
    cats = {name: {c.get("value"): c.get("label") for c in ET.fromstring(qml[name].split("\n", 1)[1]).iter("category")}
            for name in ("units", "households")}
    keeps, breaks = locked["keeps"], locked["breaks"]
    exc = text("style.exception", "zh")
    assert text("style.locked", "zh") in cats["units"][keeps] and exc not in cats["units"][keeps]
    assert text("style.locked_breach", "zh") in cats["units"][breaks]
    assert cats["households"].get("locked") == text("style.locked", "zh")
    assert "locked" in qml["households"].split("fieldConfiguration", 1)[1]  # the ValueMap of unit_status


def test_print_map_rings_only_the_locked_unit_that_breaks_a_rule(locked: dict[str, Any]) -> None:
    """The print map outlined every locked unit in red dashes as an exception and ringed its households; now only
    the exceptions and the locked unit that breaks a rule (LOCK-BREACH); the unit sheets' facts say the same."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgba

    from yuanluo.maps import static, static_units
    from yuanluo.maps.style import EXCEPTION_COLOUR

    lyr = {k: gpd.read_file(locked["out"], layer=k) for k in ("units", "households")}
    units = lyr["units"]
    crs = units.crs
    fig, ax = plt.subplots()
    try:
        static._draw_units(ax, lyr, crs, {}, "zh")
        red = [c for c in ax.collections if len(c.get_edgecolor()) and tuple(c.get_edgecolor()[0]) == to_rgba(EXCEPTION_COLOUR)]
        assert len(red) == 1
        want = set(units.loc[units["status"] == "exception", "unit_id"]) | {locked["breaks"]}
        drawn = sum(len(p) for p in red[0].get_paths())
        assert drawn >= len(want) and len(red[0].get_paths()) == sum(
            len(getattr(g, "geoms", [g])) for g in units.loc[units["unit_id"].isin(want)].boundary)
    finally:
        plt.close(fig)
    rec = units.set_index("unit_id")
    keeps = static_units._facts(rec.loc[locked["keeps"]].to_dict(), {"min": 15, "max": 25}, "zh")
    assert text("print.size_ok", "zh") in "".join(keeps)
