"""Session 40 (helper E): the print maps drew a data credit only when it named OpenStreetMap (OSM's wording from the
catalogue); a planner's own credit (``--credit 某测绘院 2025``, or the one its result records) was left off the
sheet. ``map -o .pdf``, ``map --per-unit`` and ``cover --png`` now print the credit's own text, on one line cut
to the sheet, not read as math; a credit naming OpenStreetMap as given too (session 41)."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_fixtures import pdf_pages, run_cli

from yuanluo.gis.synth import make_village

OWN = "某测绘院 2025 $x$ <b>"
LONG = "Survey Institute of Somewhere, aerial imagery 2025, field survey by the township office; " * 5


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("v")
    make_village(60, seed=3).write(d)
    out = d / "u.gpkg"
    run_cli(["delineate", str(d / "households.gpkg"), "--preset", "banan", "-o", str(out), "-q"])
    return out


def _sheets(result: Path, tmp_path: Path, lang: str, *credit: str) -> dict[str, list[list[tuple]]]:
    """The words of map -o .pdf, map --per-unit and cover --png .pdf, each given ``credit`` (a new folder)."""
    tmp_path = tmp_path / f"s{len(list(tmp_path.iterdir()))}"
    tmp_path.mkdir()
    run_cli(["--lang", lang, "map", str(result), "-o", str(tmp_path / "m.pdf"), "--per-unit", str(tmp_path / "u.pdf"),
             *credit, "-q"], lang)
    run_cli(["--lang", lang, "cover", str(result), "-o", str(tmp_path / "c.gpkg"), "--png", str(tmp_path / "c.pdf"),
             *credit, "-q"], lang)
    return {name: pdf_pages((tmp_path / name).read_bytes(), tmp_path) for name in ("m.pdf", "u.pdf", "c.pdf")}


def _foot(page: list[tuple]) -> str:
    """The words of a page's lowest line (the credit's line, under the map)."""
    low = max(w[3] for w in page)
    return " ".join(w[4] for w in sorted(page, key=lambda w: w[0]) if w[3] > low - 3)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_print_maps_carry_the_given_credit_as_it_is(result: Path, tmp_path: Path, lang: str) -> None:
    for name, pages in _sheets(result, tmp_path, lang, "--credit", OWN).items():
        assert len(pages) >= 1
        for page in pages:
            assert _foot(page) == OWN, name


def test_a_long_credit_stays_on_one_line_on_the_sheet(result: Path, tmp_path: Path) -> None:
    for name, pages in _sheets(result, tmp_path, "en", "--credit", LONG).items():
        page = pages[0]
        foot = _foot(page)
        assert foot.startswith("Survey Institute of Somewhere, aerial imagery 2025") and foot.endswith("…"), name
        width = 842 if name != "u.pdf" else 595  # A4 landscape map sheets, portrait unit sheets (points)
        assert max(w[2] for w in page if w[4] in foot.split()) < width, name
        assert sum("Survey" in w[4] for w in page) == foot.count("Survey"), name  # no second line


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_credit_naming_openstreetmap_is_printed_as_given(result: Path, tmp_path: Path, lang: str) -> None:
    # as the HTML maps show it, its licence kept (session 41, audit G's 7: it was the catalogue's 底图数据 line)
    for name, pages in _sheets(result, tmp_path, lang, "--credit", "© OpenStreetMap contributors, ODbL").items():
        assert _foot(pages[0]) == "© OpenStreetMap contributors, ODbL", name


def test_the_recorded_credit_is_printed_and_an_empty_one_drops_it(tmp_path: Path) -> None:
    d = tmp_path / "v"
    make_village(60, seed=3).write(d)
    out = tmp_path / "u.gpkg"
    run_cli(["delineate", str(d / "households.gpkg"), "--preset", "banan", "-o", str(out), "--credit", "某测绘院 2025",
             "-q"])
    for name, pages in _sheets(out, tmp_path, "zh").items():
        assert _foot(pages[0]) == "某测绘院 2025", name
    for name, pages in _sheets(out, tmp_path, "zh", "--credit", "").items():
        assert "某测绘院" not in " ".join(w[4] for w in pages[0]), name
