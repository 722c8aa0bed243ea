"""``yuanluo cover`` (session 29): a point serving same-named groups of two villages (甲村 1组 and 乙村 1组) names each
group with its village, in the hubs layer, the report, the map's cards and the print map's key; the print map says
PRINT-GLYPH for a name no font draws, as ``map`` does."""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest

SDE = {"SOURCE_DATE_EPOCH": "1764460800"}


@pytest.fixture(scope="module")
def two_villages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 synthetic households cut into two villages (甲村 west, 乙村 east), each with a 1组 (south) and a 2组
    (north), and one candidate site (a household's location in 甲村 1组): every group's hub is that one point."""
    from yuanluo.gis.synth import make_village

    v = make_village(300, seed=3)
    hh = v.households.copy()
    x, y = hh.geometry.x, hh.geometry.y
    hh["village"] = np.where(x < x.median(), "甲村", "乙村")
    for name in ("甲村", "乙村"):
        inside = hh["village"] == name
        hh.loc[inside, "group"] = np.where(y[inside] < y[inside].median(), "1组", "2组")
    d = tmp_path_factory.mktemp("s29c")
    path = d / "two.gpkg"
    hh.to_file(path, layer="households")
    first = hh[(hh["village"] == "甲村") & (hh["group"] == "1组")].iloc[[0]]
    gpd.GeoDataFrame({"名称": ["村委会"]}, geometry=list(first.geometry), crs=hh.crs).to_file(d / "cand.gpkg")
    return path


def _cover(args: list[str]) -> object:
    from typer.testing import CliRunner

    from yuanluo.planners.cli.app import app

    return CliRunner().invoke(app, ["cover", *args], env=SDE)


@pytest.mark.parametrize(("lang", "sep"), [("zh", "、"), ("en", ", ")])
def test_a_hub_of_same_named_groups_names_each_with_its_village(two_villages: Path, lang: str, sep: str) -> None:
    """One candidate, ``--hubs group:1``: the one point is the hub of 甲村 1组, 甲村 2组, 乙村 1组 and 乙村 2组, and
    says so pair by pair (joined by the language's list separator) in the hubs layer, the report's table of points,
    the map's point card and the print map's key. It was labelled "乙村, 甲村" / "1组, 2组", which reads as every
    group of both villages and never says which village's 1组."""
    from yuanluo.gis.catalogue import text
    from yuanluo.maps.coverage import serves_text

    d = two_villages.parent
    out, report, html = d / f"c_{lang}.gpkg", d / f"r_{lang}.html", d / f"m_{lang}.html"
    r = _cover([str(two_villages), "--candidates", str(d / "cand.gpkg"), "--hubs", "group:1", "-o", str(out),
                "--report", str(report), "--map", str(html), "--lang", lang, "-q"])
    assert r.exit_code == 0, r.output  # type: ignore[attr-defined]
    hubs = gpd.read_file(out, layer="hubs")
    assert len(hubs) == 1
    # in the roster's order (session 37: the households name 甲村 first; by name 乙村 came first)
    pairs = sep.join(["甲村 1组", "甲村 2组", "乙村 1组", "乙村 2组"])
    assert hubs["group"].tolist() == [pairs]
    assert hubs["village"].tolist() == [sep.join(["甲村", "乙村"])]
    assert serves_text(hubs) == [pairs]  # the print map's key and the map's card
    table = report.read_text(encoding="utf-8").split('id="points"', 1)[1].split('id="areas"', 1)[0]
    table = re.sub(r' data-h="[^"]*"', "", table)  # without each cell's heading (data-h, the phone's cards of session 39)
    # the report lists the point under each village it serves, with that village's groups (session 38, 4e30cc6)
    groups = sep.join(["1组", "2组"])
    for village in ("甲村", "乙村"):
        assert f"<td>{village}</td><td>{groups}</td>" in table, table
    assert table.index("<td>甲村</td>") < table.index("<td>乙村</td>")
    # the map's card: a line per village with its households, as the report's rows (session 39, helper C; it said
    # the pairs, as the hubs layer does)
    n = gpd.read_file(out, layer="households").groupby("village").size()
    lines = [text("covermap.serves_village", lang, serves=f"{v} {groups}", count=int(n[v])) for v in ("甲村", "乙村")]
    assert f'{json.dumps(lines, ensure_ascii=False, separators=(",", ":"))}' in html.read_text(encoding="utf-8")


def test_a_hub_of_one_village_names_its_groups_alone() -> None:
    """A point serving groups of one village keeps them short ("1组, 2组" with the village 甲村 beside them); one that
    is 甲村's village hub and 乙村 1组's group hub names 乙村 1组 with its village, and the key says 甲村 after it."""
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    from yuanluo.gis.cover import Siting
    from yuanluo.maps.coverage import serves_text
    from yuanluo.planners.cover import SEP, _serves, served_in

    def siting(j: int) -> Siting:
        return Siting(chosen=np.array([j]), objective=0.0, bound=0.0, gap=0.0, method="test",
                      uncovered=np.zeros(0, dtype=np.int64))

    hubs = gpd.GeoDataFrame({"hub_id": ["P001", "P002"], "level": ["group", "village"]},
                            geometry=[Point(0, 0), Point(1, 1)])
    hh = pd.DataFrame({"village": ["甲村", "甲村", "乙村"], "group": ["1组", "2组", "1组"],
                       "hub_id": ["P001", "P001", "P002"]})
    sitings = {f"group:甲村{SEP}1组": siting(0), f"group:甲村{SEP}2组": siting(0), "village:甲村": siting(1),
               f"group:乙村{SEP}1组": siting(1)}
    out = _serves(hubs, hh, np.array([0, 1]), sitings)
    assert out["village"].tolist() == ["甲村", "甲村, 乙村"]  # the roster's order (by name until session 37)
    assert out["group"].tolist() == ["1组, 2组", "乙村 1组"]
    assert serves_text(served_in(out, "zh")) == ["甲村 1组、2组", "乙村 1组、甲村"]


def test_the_print_map_says_a_name_no_font_draws(two_villages: Path) -> None:
    """A village named 𠀀家村 (U+20000, in no font) and a point named with an emoji: the coverage print map draws
    both as empty boxes (the key, the point's label), and :func:`cover_glyph_problems` says PRINT-GLYPH with each
    text, in Chinese and English, as ``map`` does for its print map; nothing for names every font draws. ``cover
    --png`` said nothing."""
    from yuanluo.maps.static_cover import cover_glyph_problems

    d = two_villages.parent
    hh = gpd.read_file(two_villages, layer="households")
    hh["village"] = hh["village"].replace({"甲村": "\U00020000家村"})
    src = d / "glyph.gpkg"
    hh.to_file(src, layer="households")
    cand = gpd.GeoDataFrame({"名称": ["院坝\U0001F3E0", "村委会"]}, geometry=list(hh.geometry.iloc[[0, 299]]),
                            crs=hh.crs)
    cand.to_file(d / "cand2.gpkg")
    out = d / "glyph_c.gpkg"
    r = _cover([str(src), "--candidates", str(d / "cand2.gpkg"), "--hubs", "2", "-o", str(out), "-q"])
    assert r.exit_code == 0, r.output  # type: ignore[attr-defined]
    layers = {k: gpd.read_file(out, layer=k) for k in ("households", "hubs")}
    found = cover_glyph_problems(layers)
    assert [p.code for p in found] == ["PRINT-GLYPH"]
    assert found[0].params["n"] == 2
    zh, en = found[0].message("zh"), found[0].message("en")
    assert "“\U00020000家村” (\U00020000)" in zh and "“院坝\U0001F3E0” (\U0001F3E0)" in zh and "空白方框" in zh
    assert "“\U00020000家村” (\U00020000)" in en and "empty boxes" in en
    assert cover_glyph_problems(layers, title="\U0001F3E0")[0].params["n"] == 3
    plain = gpd.read_file(two_villages, layer="households")
    assert cover_glyph_problems({"households": plain, "hubs": layers["hubs"].iloc[[1]]}) == []


@pytest.mark.parametrize(("lang", "said"), [("zh", "空白方框"), ("en", "empty boxes")])
def test_cover_png_says_print_glyph_on_the_console(two_villages: Path, lang: str, said: str) -> None:
    """``cover --png`` of a village named 𠀀家村 (U+20000, in no font) says PRINT-GLYPH on the console, as ``map``
    says it for its print map; it drew an empty box in the key and said nothing. Without --png: no such warning."""
    d = two_villages.parent
    hh = gpd.read_file(two_villages, layer="households")
    hh["village"] = hh["village"].replace({"甲村": "\U00020000家村"})
    src = d / f"glyph_cli_{lang}.gpkg"
    hh.to_file(src, layer="households")
    png, out = d / f"glyph_cli_{lang}.png", d / f"glyph_cli_{lang}_c.gpkg"
    r = _cover([str(src), "--candidates", str(d / "cand.gpkg"), "-o", str(out), "--png", str(png), "--lang", lang])
    assert r.exit_code == 0, r.output  # type: ignore[attr-defined]
    text = r.output  # type: ignore[attr-defined]
    assert "PRINT-GLYPH" in text and "\U00020000家村" in text and png.exists()
    flat = "".join(line.strip("│ ") for line in text.splitlines())  # the console's table wraps the sentence
    assert said.replace(" ", "") in flat.replace(" ", "") and "--map" in flat and "-omap" not in flat.replace(" ", "")
    r = _cover([str(src), "--candidates", str(d / "cand.gpkg"), "-o", str(d / f"glyph_cli_{lang}_2.gpkg"),
                "--lang", lang])
    assert r.exit_code == 0 and "PRINT-GLYPH" not in r.output  # type: ignore[attr-defined]
