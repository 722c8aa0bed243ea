"""Session 41 (helper J, audit G's 7 and 12): the print map said other words than the HTML map and the other
language. A result recording the credit "© OpenStreetMap 贡献者（ODbL）" printed "底图数据 © OpenStreetMap 贡献者"
(licence dropped, and no basemap is drawn); the footer named the CRS "坐标系 EPSG:32631" in Chinese but
"WGS 84 / UTM zone 31N" in English; the English subtitle named the rule "(banan)" where the Chinese one and the
English editor give its full name. Now the credit is printed as given, the CRS by name (in Chinese words on a Chinese sheet) and code in both languages,
the rule by its full name."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_fixtures import lonlat_households_csv, pdf_pages, run_cli

CREDIT = "© OpenStreetMap 贡献者（ODbL）"


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("v")
    hh = lonlat_households_csv(d, 1.52, 42.55, n=45)  # in Andorra: worked in WGS 84 / UTM zone 31N
    out = d / "u.gpkg"
    run_cli(["delineate", str(hh), "--crs", "wgs84", "--preset", "banan", "-o", str(out), "--credit", CREDIT,
             "-q"])
    return out


def _words(pdf: Path, tmp_path: Path) -> tuple[str, str]:
    """A page's words on one line, and its lowest line (the credit's)."""
    page = pdf_pages(pdf.read_bytes(), tmp_path)[0]
    low = max(w[3] for w in page)
    foot = " ".join(w[4] for w in sorted(page, key=lambda w: w[0]) if w[3] > low - 3)
    return " ".join(w[4] for w in page), foot


@pytest.mark.parametrize(("lang", "crs", "rule"), [
    ("zh", "WGS 84 通用横轴墨卡托投影 31N 带（EPSG:32631）", "巴南区“巴适小院”"),
    ("en", "WGS 84 / UTM zone 31N (EPSG:32631)", '(Banan District "Bashi Courtyards")')])
def test_print_map_says_what_the_html_and_the_other_language_say(result: Path, tmp_path: Path, lang: str, crs: str,
                                                                  rule: str) -> None:
    run_cli(["--lang", lang, "map", str(result), "-o", str(tmp_path / "m.pdf"), "--per-unit", str(tmp_path / "u.pdf"),
             "-q"], lang)
    words, foot = _words(tmp_path / "m.pdf", tmp_path)
    assert foot == CREDIT and "底图" not in words
    flat = words.replace(" ", "")  # a PDF's words: Chinese ones may come in pieces
    assert crs.replace(" ", "") in flat and rule in words
    assert _words(tmp_path / "u.pdf", tmp_path)[1] == CREDIT
    run_cli(["--lang", lang, "cover", str(result), "-o", str(tmp_path / "c.gpkg"), "--png", str(tmp_path / "c.pdf"),
             "-q"], lang)
    words, foot = _words(tmp_path / "c.pdf", tmp_path)
    assert foot == CREDIT and crs.replace(" ", "") in words.replace(" ", "")
