"""Print maps: the bundled CJK font, sheet size, identical bytes, PDF output, errors."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import matplotlib
import pytest
from fontTools.ttLib import TTFont
from matplotlib import font_manager
from PIL import Image

from yuanluo.gis.catalogue import catalogue, text
from yuanluo.gis.errors import OutputError
from yuanluo.maps import static
from yuanluo.maps.sample import sample_layers
from yuanluo.maps.static import cjk_font, print_map, render_print_map
from yuanluo.maps.style import label

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@pytest.fixture(scope="module")
def layers() -> dict:
    return sample_layers(300, block=5, seed=2)


@pytest.fixture(scope="module")
def cmap() -> dict[int, str]:
    with TTFont(static.FONT_FILE) as font:
        return dict(font.getBestCmap())


def _print_texts() -> list[str]:
    """Every fixed text a print map can draw, in both languages."""
    texts = [label(key, lang) for key in static.SHARED_LABELS for lang in ("zh", "en")]
    for key, entry in catalogue().items():
        if key.startswith("print."):
            texts += [tmpl for lang in ("zh", "en") for tmpl in entry[lang].values()]
    return texts


def test_the_bundled_font_is_truetype_and_covers_every_print_text(cmap):
    with TTFont(static.FONT_FILE) as font:
        assert "glyf" in font and "CFF " not in font  # TrueType outlines: PDF embedding as Type 42
        assert font["name"].getDebugName(1) == static.FONT_FAMILY == cjk_font()
    drawn = "".join(_print_texts())
    assert len(HAN.findall(drawn)) > 30  # the texts were found
    missing = sorted({ch for ch in drawn if ord(ch) >= 0x80 and ord(ch) not in cmap and ch != "\n"})
    assert missing == []
    assert (static.FONT_FILE.parent / "OFL.txt").read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE") == 1


def test_the_bundled_font_covers_gb2312_and_the_whole_catalogue(cmap):
    level1 = [bytes((row, cell)).decode("gb2312") for row in range(0xB0, 0xD8) for cell in range(0xA1, 0xFF)
              if (row, cell) < (0xD7, 0xFA)]
    level2 = [bytes((row, cell)).decode("gb2312") for row in range(0xD8, 0xF8) for cell in range(0xA1, 0xFF)]
    assert (len(level1), len(level2)) == (3755, 3008)
    assert [ch for ch in level1 + level2 if ord(ch) not in cmap] == []
    every = {ch for entry in catalogue().values() for lang in entry.values() for t in lang.values() for ch in t}
    missing = sorted(ch for ch in every if HAN.match(ch) and ord(ch) not in cmap)
    # a new catalogue text with a character outside GB 2312: rebuild the subset (maps/fonts/README.md)
    assert missing == []


@pytest.mark.parametrize(("paper", "size"), [("A4", (1169, 826)), ("A3", (1653, 1169))])
def test_png_has_the_sheet_size_and_no_missing_glyphs(layers, tmp_path, paper, size):
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


def test_system_fonts_do_not_matter(layers, monkeypatch):
    """With every system font hidden from matplotlib, the print map is drawn the same, byte for byte."""
    before = render_print_map(layers, dpi=60, title="测试村")
    manager = font_manager.fontManager
    own = Path(matplotlib.get_data_path()).resolve()
    shipped = [f for f in manager.ttflist if Path(f.fname).resolve().is_relative_to(own)]
    assert all(f.name != static.FONT_FAMILY for f in shipped) and shipped
    monkeypatch.setattr(manager, "ttflist", shipped)  # only matplotlib's own DejaVu fonts are left
    manager._findfont_cached.cache_clear()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a missing glyph would be a UserWarning
            hidden = render_print_map(layers, dpi=60, title="测试村")
        assert any(f.name == static.FONT_FAMILY for f in manager.ttflist)  # registered again on demand
    finally:
        manager._findfont_cached.cache_clear()
    assert hidden == before
    assert render_print_map(layers, dpi=60, title="测试村") == before  # and again with the system fonts back


def _fake_system_font(tmp_path: Path, family: str, ch: str) -> Path:
    """A one-glyph CJK font called ``family`` that draws ``ch`` (a character the bundled font lacks)."""
    from fontTools import subset

    with TTFont(static.FONT_FILE) as font:
        options = subset.Options()
        options.name_IDs = ["*"]
        sub = subset.Subsetter(options)
        sub.populate(text="院")
        sub.subset(font)
        glyph = font.getBestCmap()[ord("院")]
        for table in font["cmap"].tables:
            table.cmap = {ord(ch): glyph}
        for rec in font["name"].names:
            if rec.nameID in (1, 4):
                rec.string = family
            elif rec.nameID == 6:
                rec.string = family.replace(" ", "")
        path = tmp_path / "fake-system-cjk.ttf"
        font.save(path)
    return path


def test_a_system_cjk_font_only_fills_characters_the_bundled_font_lacks(layers, tmp_path, monkeypatch):
    rare = "\u365f"  # a CJK Extension A character, outside GB 2312 and the bundled subset
    before = render_print_map(layers, dpi=60, title="测试村")
    if not any(f.name in static.FALLBACK_FONTS for f in font_manager.fontManager.ttflist):
        with pytest.warns(UserWarning, match="missing from font"):  # no system CJK font: the glyph is missing
            render_print_map(layers, dpi=60, title="测试村" + rare)
    manager = font_manager.fontManager
    monkeypatch.setattr(manager, "ttflist", list(manager.ttflist))  # the added font goes away after the test
    manager.addfont(str(_fake_system_font(tmp_path, static.FALLBACK_FONTS[0], rare)))
    try:
        assert static.font_rc()["font.family"][0] == static.FONT_FAMILY
        assert static.FALLBACK_FONTS[0] in static.font_rc()["font.family"]
        assert render_print_map(layers, dpi=60, title="测试村") == before  # covered text: same bytes
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # the rare character is found: no missing-glyph warning
            with_rare = render_print_map(layers, dpi=60, title="测试村" + rare)
        assert with_rare != before
    finally:
        manager._findfont_cached.cache_clear()


def test_pdf_embeds_the_bundled_font_as_truetype(layers, tmp_path):
    out = print_map(layers, tmp_path / "plan.pdf", paper="A4", lang="zh")
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 10_000
    assert b"/CIDFontType2" in data and b"/FontFile2" in data  # Type 42: TrueType outlines, subset
    assert re.search(rb"/BaseFont */[A-Z]{6}\+YuanluoSansSC-Regular", data)


def test_english_sheet_has_no_chinese_text(layers):
    texts = [text(k, "en") for k in catalogue() if k.startswith("print.")]
    texts += [label(k, "en") for k in static.SHARED_LABELS]
    assert [t for t in texts if HAN.search(t)] == []


def test_missing_font_is_a_clear_error(layers, tmp_path, monkeypatch):
    monkeypatch.setattr(static, "FONT_FILE", tmp_path / "gone" / "YuanluoSansSC-Regular.ttf")
    with pytest.raises(OutputError) as err:
        print_map(layers, tmp_path / "x.png")
    assert err.value.code == "FONT-CJK-MISSING"
    zh = err.value.render("zh")
    assert "YuanluoSansSC-Regular.ttf" in zh and "pip install" in zh and "apt-get" not in zh
    assert not HAN.search(err.value.render("en").replace(str(tmp_path), ""))
    assert not (tmp_path / "x.png").exists()


def test_output_rules(layers, tmp_path):
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
