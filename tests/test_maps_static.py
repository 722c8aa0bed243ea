"""Print maps: sheet size, CJK text without missing glyphs, PDF output, errors."""

from __future__ import annotations

import warnings

import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font
from PIL import Image
from yuanluo.gis.errors import OutputError
from yuanluo.maps import static
from yuanluo.maps.sample import sample_layers
from yuanluo.maps.static import cjk_font, print_map


@pytest.fixture(scope="module")
def layers() -> dict:
    return sample_layers(300, block=5, seed=2)


def _cjk_or_skip() -> str:
    try:
        return cjk_font()
    except OutputError as err:
        import os

        if os.environ.get("CI"):
            raise
        pytest.skip(f"no CJK font here (bash .ci/setup-browser.sh installs one): {err.code}")


@pytest.mark.parametrize(("paper", "size"), [("A4", (1169, 826)), ("A3", (1653, 1169))])
def test_png_has_the_sheet_size_and_no_missing_glyphs(layers, tmp_path, paper, size):
    _cjk_or_skip()
    out = tmp_path / f"plan_{paper}.png"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        print_map(layers, out, paper=paper, dpi=100, title="测试村院落划分", osm_attribution=True)
    glyph = [str(w.message) for w in caught if "glyph" in str(w.message).lower()]
    assert glyph == []
    with Image.open(out) as im:
        assert im.size == size  # int(mm / 25.4 * dpi), landscape
        # the sheet is not blank: many distinct colours were drawn
        assert len(im.convert("RGB").getcolors(maxcolors=1_000_000) or []) > 20


def test_chosen_font_has_chinese_glyphs():
    name = _cjk_or_skip()
    path = font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
    font = FT2Font(path)
    for ch in "院落内部工作用图户北":
        assert font.get_char_index(ord(ch)) != 0, ch


def test_pdf_output(layers, tmp_path):
    _cjk_or_skip()
    out = print_map(layers, tmp_path / "plan.pdf", paper="A4", lang="en")
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 10_000


def test_missing_font_is_a_clear_error(layers, tmp_path, monkeypatch):
    monkeypatch.setattr(static, "CJK_FONTS", ("No Such Font SC",))
    with pytest.raises(OutputError) as err:
        print_map(layers, tmp_path / "x.png")
    assert err.value.code == "FONT-CJK-MISSING"
    text = err.value.render("zh")
    assert "No Such Font SC" in text and "apt-get install fonts-wqy-microhei" in text
    assert not (tmp_path / "x.png").exists()


def test_output_rules(layers, tmp_path):
    _cjk_or_skip()
    out = tmp_path / "plan.png"
    out.write_bytes(b"old")
    with pytest.raises(OutputError) as err:
        print_map(layers, out)
    assert err.value.code == "OUT-EXISTS" and out.read_bytes() == b"old"
    with pytest.raises(OutputError) as err2:
        print_map(layers, tmp_path / "plan.svg")
    assert err2.value.code == "MAP-PRINT-FORMAT"
    with pytest.raises(OutputError):
        print_map(layers, tmp_path / "plan2.png", paper="A0")  # type: ignore[arg-type]


def test_nice_scale_lengths():
    assert [static._nice_length(s) for s in (1000, 2600, 12_000, 90)] == [200, 500, 2000, 10]
