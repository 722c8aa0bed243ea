"""BARRIER-GKPREFIX and BARRIER-CRS-FAR name the layer as the caller gave it: a call of the Python API
(``build_graph(..., rivers=...)``) its keyword (``rivers=``), in the title and the fix and in both languages; a
command of the command line its option (``--rivers``). They named ``--rivers`` to a notebook."""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import pytest
from shapely import Point, box
from typer.testing import CliRunner

from yuanluo.gis.barriers import prepare_barriers
from yuanluo.gis.errors import InputError
from yuanluo.gis.neighbours import build_graph
from yuanluo.planners.cli import app

E0, N0 = 388000.0, 3296000.0  # CGCS2000 3° GK CM 105E (EPSG:4544)
NEAR = [[E0, N0], [E0 + 50, N0], [E0 + 100, N0]]


def _pond(dx: float = 0.0, crs: str = "EPSG:4544") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"name": ["pond"]}, geometry=[box(E0 + 60 + dx, N0 - 30, E0 + 80 + dx, N0 + 30)], crs=crs)


# (what, layer, code): a layer whose eastings carry the zone prefix 35 its CRS lacks, one 1,500 km away
CASES = [("rivers", _pond(35_000_000), "BARRIER-GKPREFIX"), ("water", _pond(35_000_000), "BARRIER-GKPREFIX"),
         ("roads", _pond(1_500_000), "BARRIER-CRS-FAR"), ("rivers", _pond(1_500_000), "BARRIER-CRS-FAR")]


@pytest.mark.parametrize(("what", "layer", "code"), CASES)
def test_a_python_call_is_told_the_keyword_argument_not_the_option(what: str, layer: gpd.GeoDataFrame,
                                                                   code: str) -> None:
    with pytest.raises(InputError) as ei:
        prepare_barriers("EPSG:4544", **{what: layer}, near=NEAR)
    [p] = ei.value.problems
    assert p.code == code and p.python
    for lang, keyword in (("zh", f"“{what}=”"), ("en", f"{what}=")):
        assert keyword in p.title(lang) and keyword in p.fix(lang), p.message(lang)
        assert f"--{what}" not in p.message(lang), p.message(lang)
        assert "read_layer" in p.fix(lang)
    # the same through build_graph, the call a notebook makes
    hh = gpd.GeoDataFrame({"hid": ["a", "b", "c"]}, geometry=[Point(*xy) for xy in NEAR], crs="EPSG:4544")
    with pytest.raises(InputError) as ei:
        build_graph(hh.set_index("hid"), **{what: layer})
    [q] = ei.value.problems
    assert q.code == code and f"{what}=" in q.message("en") and f"--{what}" not in q.message("en")


def test_the_chinese_python_texts_have_no_english_sentence_and_the_english_no_chinese() -> None:
    import re

    for what, layer, _ in CASES:
        with pytest.raises(InputError) as ei:
            prepare_barriers("EPSG:4544", **{what: layer}, near=NEAR)
        [p] = ei.value.problems
        assert not re.search(r"[\u4e00-\u9fff]", p.message("en").replace("带号", "")), p.message("en")
        zh = re.sub(r"BARRIER-[A-Z-]+| ?\.prj|“[^”]*”|EPSG:\d+|ogr2ogr[^，；）]*|Shapefile|GIS|\.prj|[-\d. ]+", "",
                    p.message("zh"))
        assert not re.search(r"[A-Za-z]{3,}", zh), zh


@pytest.mark.parametrize(("what", "dx", "code"), [("rivers", 35_000_000, "BARRIER-GKPREFIX"),
                                                  ("roads", 1_500_000, "BARRIER-CRS-FAR")])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_command_line_is_told_the_option(tmp_path: Path, what: str, dx: float, code: str, lang: str) -> None:
    hh = tmp_path / "hh.csv"
    hh.write_text("hid,x,y\n" + "".join(f"H{i},{x},{y}\n" for i, (x, y) in enumerate(NEAR)), encoding="utf-8")
    layer = tmp_path / f"{what}.gpkg"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _pond(dx).to_file(layer)
    out = tmp_path / "g.gpkg"
    res = CliRunner().invoke(app, ["--lang", lang, "graph", str(hh), "--crs", "EPSG:4544", "--x-col", "x", "--y-col", "y", f"--{what}", str(layer),
                                   "-o", str(out)], env={"COLUMNS": "400"})
    text = " ".join(res.output.split())
    assert res.exit_code == 2 and code in text and not out.exists(), text
    fix_word = "处理办法" if lang == "zh" else "Fix:"
    title, fix = text.split(code, 1)[1].split(fix_word, 1)
    assert f"--{what}" in title and f"--{what}" in fix.split("BARRIER-", 1)[0], text
    assert f"{what}=" not in text and "read_layer" not in text, text
