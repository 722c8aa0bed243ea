"""One status, one word (session 41, audit G item 4): a unit whose status is ``ok`` read 符合规模 / "Within the size
band" on the field map's card and legend and in the QGIS legend of the households layer, while the Excel plan, the
check CSV and QGIS' value map said 符合规定 / "ok" (value.status.ok), and "within the size band" was wrong where the
walking, head or nesting rules apply too. The map, its legend and the layer style now say the tables' word."""
from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from shared_fixtures import run_cli, two_town_result

from yuanluo.gis.catalogue import text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ok_reads_the_same_on_the_map_the_legend_and_the_check_csv(tmp_path: Path, lang: str) -> None:
    res = two_town_result(tmp_path)
    word = text("value.status.ok", lang)
    run_cli(["map", str(res), "-o", str(tmp_path / "m.html")], lang)
    html = (tmp_path / "m.html").read_text(encoding="utf-8")
    card = json.loads(re.search(r"var R = (\{.*?\});\n", html).group(1))
    f = card["f"]["status"]
    shown = {f["v"][c] for c in f["c"]} if isinstance(f, dict) else set(f)
    assert shown and {s.casefold() for s in shown} == {word.casefold()}, (shown, word)  # every unit is ok here
    assert "符合规模" not in html and "size band" not in html
    # the check's CSV of the same result says the same word for the same units
    run_cli(["check", str(res), "--min", "4", "--max", "8", "--csv", str(tmp_path / "k.csv")], lang)
    units_csv = (tmp_path / "k_units.csv").read_text(encoding="utf-8-sig")
    assert word in units_csv
    # QGIS' legend of the households layer (the default style's categories; the result was written in zh)
    with sqlite3.connect(res) as c:
        qml = "".join(q for (q,) in c.execute("select styleQML from layer_styles"))
    labels = set(re.findall(r'<category[^>]*value="ok"[^>]*label="([^"]*)"', qml)
                 + re.findall(r'<category[^>]*label="([^"]*)"[^>]*value="ok"', qml))
    assert labels == {text("value.status.ok", "zh")}, labels
