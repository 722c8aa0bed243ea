"""The English print map's subtitle named the rule (Banan District “Bashi Courtyards”) with curly quotes the bundled
CJK font draws full-width, as Chinese text sets them: a gap before and after each (session 42, helper D, looked at in
the PNG). An English print line now has straight quotes; the Chinese one keeps 巴南区“巴适小院”."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from shared_fixtures import lonlat_households_csv, run_cli


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("quotes")
    out = d / "u.gpkg"
    run_cli(["delineate", str(lonlat_households_csv(d, 106.55, 29.56, n=45)), "--crs", "EPSG:4490", "--preset",
             "banan", "-o", str(out), "-q"])
    return out


@pytest.mark.parametrize(("lang", "rule", "curly"), [("en", '(Banan District "Bashi Courtyards")', True),
                                                      ("zh", "巴南区“巴适小院”", False)])
def test_the_print_subtitle_quotes_in_the_latin_way_in_english(result: Path, tmp_path: Path, lang: str, rule: str,
                                                               curly: bool) -> None:
    pdf = tmp_path / "m.pdf"
    run_cli(["--lang", lang, "map", str(result), "-o", str(pdf), "--per-unit", str(tmp_path / "u.pdf"), "-q"], lang)
    for f in (pdf, tmp_path / "u.pdf"):
        words = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(f), "-"], capture_output=True, text=True,
                               check=True).stdout
        assert rule in words, words
        if curly:
            assert "“" not in words and "”" not in words, words
