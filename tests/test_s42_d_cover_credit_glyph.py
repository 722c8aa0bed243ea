"""``yuanluo cover r.gpkg -o c.gpkg --png c.pdf --credit "县测绘院 🏠 2025"``: the coverage print map's foot draws the
credit, but its glyph check (maps.static_cover.cover_glyph_problems) did not look at it, while ``map``'s does since
9f59c85 (session 42, helper D): a character no font draws in the credit now gets the same PRINT-GLYPH, zh and en."""
from __future__ import annotations

from pathlib import Path

import pytest
from shared_fixtures import flat, run_cli, two_town_result


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return two_town_result(tmp_path_factory.mktemp("cover_credit"))


@pytest.mark.parametrize(("lang", "words"), [("zh", "选项给出的标题、数据来源署名"),
                                             ("en", "inthetitleordatacreditgivenasoptions")])
def test_cover_print_credit_glyph_said(result: Path, tmp_path: Path, lang: str, words: str) -> None:
    out = flat(run_cli(["--lang", lang, "cover", str(result), "-o", str(tmp_path / "c.gpkg"), "--png",
                        str(tmp_path / "c.pdf"), "--credit", "县测绘院 \U0001F3E0 2025"], lang))
    assert "PRINT-GLYPH" in out and "“县测绘院\U0001F3E02025”(\U0001F3E0)" in out, out
    assert words in out, out  # the same message as map's
    assert (tmp_path / "c.pdf").exists()  # a warning: the map is drawn


def test_a_plain_credit_says_nothing(result: Path, tmp_path: Path) -> None:
    out = run_cli(["cover", str(result), "-o", str(tmp_path / "c.gpkg"), "--png", str(tmp_path / "c.pdf"),
                   "--credit", "县测绘院 2025"])
    assert "PRINT-GLYPH" not in out, out
