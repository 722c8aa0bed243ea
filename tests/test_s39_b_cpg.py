"""Session 39 (helper B): a Shapefile's .cpg naming an encoding Yuanluo does not know.

Beside Chinese text it was said (SHP-CPG-UNKNOWN, the text read as its contents show); beside text all ASCII it
was set aside without a word, though the planner (or the program that wrote the layer) put it there for a reason.
It is now said whatever the text; a Shapefile without a .cpg whose text is ASCII is still read without a word
(nothing set aside, no guess that changes the reading).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point
from shared_fixtures import run_cli

E0, N0 = 388000.0, 3296000.0  # CGCS2000 3° GK CM 105E (EPSG:4544)


def _shapefile(g: gpd.GeoDataFrame, path: Path, cpg: str | None) -> Path:
    """``g`` written as a cp1252 Shapefile at ``path``, with ``cpg`` as its .cpg (none when None)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g.to_file(path, encoding="cp1252")
    path.with_suffix(".cpg").unlink(missing_ok=True)
    if cpg is not None:
        path.with_suffix(".cpg").write_text(cpg)
    return path


def _ascii_households(folder: Path, cpg: str | None) -> Path:
    g = gpd.GeoDataFrame({"hid": [f"H{i:02d}" for i in range(6)], "grp": ["North", "South"] * 3},
                         geometry=[Point(E0 + 40 * i, N0) for i in range(6)], crs="EPSG:4544")
    return _shapefile(g, folder / "hh.shp", cpg)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_unknown_cpg_beside_ascii_text_is_said(tmp_path: Path, lang: str) -> None:
    out = run_cli(["--lang", lang, "validate", str(_ascii_households(tmp_path, "Western-X"))])
    assert "SHP-CPG-UNKNOWN" in out and "Western-X" in out and "hh.cpg" in out and "ASCII" in out
    assert "UTF-8" in out  # the name the fix says to write
    if lang == "zh":
        assert "这不是可识别的编码名" in out and "not a known" not in out
    else:
        assert "not a known encoding name" in out and "编码" not in out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_cpg_beside_ascii_text_is_read_without_a_word(tmp_path: Path, lang: str) -> None:
    out = run_cli(["--lang", lang, "validate", str(_ascii_households(tmp_path, None))])
    assert "SHP-" not in out and "ENC-" not in out


def test_known_cpg_beside_ascii_text_is_read_without_a_word(tmp_path: Path) -> None:
    out = run_cli(["--lang", "en", "validate", str(_ascii_households(tmp_path, "1252"))])
    assert "SHP-" not in out and "ENC-" not in out


# ------------------------------------------------------------- accented Latin text, no .cpg or an unknown one
PLACES = ["Sant Julià de Lòria", "Escaldes-Engordany", "Casa Cerdà", "Borda Sinyó", "Cal Peró", "Encamp"]


def _latin(folder: Path, name: str, cpg: str | None, *, roads: bool = False) -> Path:
    from shapely.geometry import LineString

    geoms = ([LineString([(E0 + 40 * i, N0 - 200), (E0 + 40 * i, N0 + 200)]) for i in range(6)] if roads
             else [Point(E0 + 40 * i, N0) for i in range(6)])
    g = gpd.GeoDataFrame({"hid": [f"H{i:02d}" for i in range(6)], "place": PLACES}, geometry=geoms,
                         crs="EPSG:4544")
    return _shapefile(g, folder / f"{name}.shp", cpg)


@pytest.mark.parametrize(("cpg", "code"), [(None, "SHP-NO-CPG"), ("Western-X", "SHP-CPG-UNKNOWN")])
def test_latin_households_are_read_as_cp1252_and_said(tmp_path: Path, cpg: str | None, code: str) -> None:
    from yuanluo.gis.io import read_households

    h, rep = read_households(_latin(tmp_path, "hh", cpg))
    assert h["place"].tolist() == PLACES
    assert [w.code for w in rep.warnings if w.code.startswith(("SHP", "ENC"))] == [code]


@pytest.mark.parametrize(("lang", "cpg", "code"), [("zh", None, "SHP-NO-CPG"), ("en", "Western-X", "SHP-CPG-UNKNOWN")])
def test_latin_roads_layer_is_no_encoding_error(tmp_path: Path, lang: str, cpg: str | None, code: str) -> None:
    """ENC-GUESS stopped the run with 'give it with --encoding', an option that does not reach --roads."""
    hh = _ascii_households(tmp_path, None)
    out = run_cli(["--lang", lang, "validate", str(hh), "--roads", str(_latin(tmp_path, "roads", cpg, roads=True))],
                  lang)
    assert code in out and "CP1252" in out and "ENC-GUESS" not in out, out
