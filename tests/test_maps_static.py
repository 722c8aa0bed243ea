"""Print maps: the bundled CJK font, sheet size, identical bytes, PDF output, errors."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import matplotlib
import pandas as pd
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


def test_a_font_listed_but_gone_is_no_fallback(layers, monkeypatch):
    """A font list cached before a system CJK font was removed (the fonts-hidden CI beside one with them): the font
    was a fallback, matplotlib rebuilt its list on finding the file gone, the rebuilt list had lost the bundled
    font, and a unit sheet came out with missing glyphs (a UserWarning)."""
    manager = font_manager.fontManager
    gone = font_manager.FontEntry(fname="/nonexistent/NotoSansCJK-Regular.ttc", name=static.FALLBACK_FONTS[0])
    monkeypatch.setattr(manager, "ttflist", [*manager.ttflist, gone])
    manager._findfont_cached.cache_clear()
    try:
        assert static.FALLBACK_FONTS[0] not in static.font_rc()["font.family"] or any(
            f.name == static.FALLBACK_FONTS[0] and Path(f.fname).is_file() for f in manager.ttflist)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            render_print_map(layers, dpi=60, title="测试村")
    finally:
        manager._findfont_cached.cache_clear()


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


# ------------------------------------------------------------ water, labels, title, frame, north arrow
def _sheet(lyr, **kw):
    """The drawn figure of a print map (under the print map's font settings) and its renderer."""
    kw = {"paper": "A4", "lang": "zh", "title": None, "dpi": 60, "osm": False, **kw}
    with matplotlib.rc_context(static.font_rc()):
        fig = static._draw(static._check_layers(lyr), **kw)
        return fig, static._renderer(fig)


def _boxes(artists, renderer):
    return [a.get_window_extent(renderer) for a in artists]


def _with_context(layers, village="甲村"):
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import LineString, box

    lyr = dict(layers)
    hh = lyr["households"].copy()
    hh["village"] = village
    lyr["households"] = hh
    x0, y0, x1, y1 = hh.total_bounds
    lyr["water"] = gpd.GeoDataFrame(geometry=[box(x0 - 30, y0 - 60, x0 + 100, y0 - 20)], crs=hh.crs)
    lyr["rivers"] = gpd.GeoDataFrame(geometry=[LineString([(x0, y1 + 20), (x1, y1 + 20)])], crs=hh.crs)
    lyr["run"] = pd.DataFrame({"key": ["params.rules.min_size", "params.rules.max_size", "params.rules.size_by",
                                       "params.rules.name", "params.rules.label", "timestamp"],
                               "value": ["20", "50", "households", "banan", "巴南区“巴适小院”",
                                         "2025-11-30T08:00:00Z"]})
    return lyr


def test_water_is_drawn_and_in_the_legend_and_the_title_names_village_rule_date(layers):
    fig, _ = _sheet(_with_context(layers))
    ax = fig.axes[0]
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "水面" in legend and "河流" in legend
    water = matplotlib.colors.to_rgba(static.WATER_COLOUR)
    fills = [tuple(c) for coll in ax.collections for c in coll.get_facecolors()]
    assert water in fills
    texts = [t.get_text() for t in fig.texts]
    assert "村：甲村  ·  规则：20–50 户（巴南区“巴适小院”）  ·  数据日期：2025-11-30" in texts
    assert ax.get_xlabel() == ax.get_ylabel() == ""  # no English axis names on a Chinese sheet
    en, _ = _sheet(_with_context(layers, village="Jia"), lang="en")
    assert "Village: Jia  ·  Rule: 20–50 households (Banan District \"Bashi Courtyards\")  ·  Data as of 2025-11-30" in [t.get_text() for t in en.texts]
    assert "Water" in [t.get_text() for t in en.legends[0].get_texts()]


def test_unit_labels_never_overlap_and_stay_in_the_frame():
    dense = sample_layers(900, block=3, seed=4)  # 100 small units: labels must move aside or become key numbers
    fig, renderer = _sheet(dense, dpi=50)
    ax = fig.axes[0]
    labels = [t for t in ax.texts if t.get_zorder() == 9]
    boxes = _boxes(labels, renderer)
    frame = ax.get_window_extent(renderer)
    for i, a in enumerate(boxes):
        assert frame.x0 <= a.x0 and a.x1 <= frame.x1 and frame.y0 <= a.y0 and a.y1 <= frame.y1
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)
    n_units = len(dense["units"])
    named = {(t.get_gid() or "").split(" ")[-1] for t in labels}
    assert named == set(dense["units"]["unit_id"].astype(str))  # each unit named: by its id, or by a key number
    by_id = [t for t in labels if (t.get_gid() or "").startswith("unit-label")]
    assert len(by_id) > n_units // 3  # most by their id (moved aside with a leader where needed)
    notes = "".join(t.get_text() for t in fig.texts)
    assert "另有" not in notes  # none left out, none over another label
    leaders = [ln for ln in ax.lines if ln.get_zorder() == 8]
    assert leaders  # some labels were moved aside, each with its leader line


def test_nothing_leaves_the_sheet_even_with_a_long_crs_and_title(layers):
    lyr = {k: v.to_crs("EPSG:4545") if hasattr(v, "to_crs") else v for k, v in layers.items()}
    fig, renderer = _sheet(lyr, title="某某县某某镇某某村院落划分图（第二轮征求意见稿）", paper="A4")
    sheet = fig.bbox
    arts = list(fig.texts) + list(fig.legends) + [t for ax in fig.axes for t in ax.texts]
    for box in _boxes(arts, renderer):
        assert sheet.x0 <= box.x0 and box.x1 <= sheet.x1 + 0.5 and sheet.y0 <= box.y0 and box.y1 <= sheet.y1 + 0.5
    notes = [t.get_text() for t in fig.texts if "CGCS2000" in t.get_text()]
    assert notes and "\n" in notes[0]  # the CRS note is wrapped inside the page


def test_north_arrow_takes_the_emptiest_corner(layers):
    """Data stretched to the frame's shape fill all four corners; with the lower-left quarter's units cut away,
    the arrow goes there (not to the top right, where it used to sit on a unit) and covers no unit."""
    from shapely import affinity
    from shapely.geometry import box

    x0, y0, x1, y1 = layers["units"].total_bounds
    frame_ratio = (static.FRAME[2] * 297) / (static.FRAME[3] * 210)
    fx = frame_ratio / ((x1 - x0) / (y1 - y0))
    lyr = {}
    for k in ("units", "households"):
        g = layers[k].copy()
        g.geometry = g.geometry.map(lambda geom: affinity.scale(geom, xfact=fx, yfact=1.0, origin=(x0, y0)))
        lyr[k] = g
    units = lyr["units"]
    x0, y0, x1, y1 = units.total_bounds
    keep = ~units.geometry.intersects(box(x0, y0, (x0 + x1) / 2, (y0 + y1) / 2))
    lyr["units"] = units[keep]
    lyr["households"] = lyr["households"][lyr["households"]["unit_id"].isin(set(units.loc[keep, "unit_id"]))]
    fig, _ = _sheet(lyr)
    ax = fig.axes[0]
    crs = lyr["units"].crs
    loads = {c: static._corner_load(ax, lyr, crs, static.corner_box(c, static.ARROW_BOX)) for c in static.CORNERS}
    assert loads["top-right"][0] > 0 and loads["bottom-left"] == (0.0, 0)
    arrow, scale = static.choose_corners(ax, lyr, crs)
    assert (arrow, scale) == ("bottom-left", "bottom-right")
    north = [t for t in ax.texts if t.get_text() == "北"][0]
    assert north.xyann[0] < 0.5 and north.xyann[1] < 0.5  # drawn in that corner (axes fractions)


# ------------------------------------------------------------------------------ one A4 sheet per unit
def test_unit_sheets_pdf_one_unit_with_a_continuation_page(tmp_path):
    import shutil
    import subprocess

    from yuanluo.maps.static_units import ROWS_FIRST, render_unit_sheets, unit_list, write_unit_sheets

    lyr = sample_layers(130, block=8, seed=1)  # U001 has 64 households: more than the first page holds
    units = lyr["units"].copy()
    units["head_hid"] = ["000041", "", "", ""]
    lyr["units"] = units
    lyr["run"] = _with_context(lyr)["run"]
    hh = lyr["households"]
    assert "户主姓名" in hh.columns  # a personal column the sheets must leave out
    rows = unit_list(hh, "U001")
    assert list(rows.columns) == ["no", "hid", "group", "persons", "head_candidate"] and len(rows) == 64
    assert len(rows) > 2 * ROWS_FIRST
    pdf = render_unit_sheets(lyr, units=["U001"], dpi=50)
    assert pdf == render_unit_sheets(lyr, units=["U001"], dpi=50)  # same input, same bytes
    assert b"/CreationDate" not in pdf and b"/CIDFontType2" in pdf
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 2
    out = tmp_path / "sheets.pdf"
    out.write_bytes(pdf)
    with pytest.raises(OutputError) as err:
        write_unit_sheets(lyr, out)
    assert err.value.code == "OUT-EXISTS" and out.read_bytes() == pdf
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    words = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert "院落 U001 工作单（院落长用）" in words and "院落 U001 农户名单（续）" in words
    assert "建议院落长：户 000041" in words and "议事点：户 000040" in words and "规则：20–50 户" in words
    assert all(h in words for h in rows["hid"])
    assert not any(name in words for name in hh["户主姓名"])  # no names on paper
    assert "Easting" not in words and "Northing" not in words


def test_map_command_needs_an_output_and_a_pdf_for_the_sheets(tmp_path):
    from typer.testing import CliRunner

    from yuanluo.planners.cli.app import app

    res = tmp_path / "r.gpkg"
    res.write_bytes(b"")
    runner = CliRunner()
    none = runner.invoke(app, ["map", str(res)])
    assert none.exit_code == 2 and "MAP-NO-OUTPUT" in none.output and "--per-unit" in none.output
    bad = runner.invoke(app, ["map", str(res), "--per-unit", str(tmp_path / "s.png")])
    assert bad.exit_code == 2 and "MAP-PRINT-FORMAT" in bad.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.gpkg"]


def test_rules_name_the_rule_when_there_is_no_run_table(layers, monkeypatch):
    from yuanluo.gis.rules import Rules

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764460800")
    lyr = {k: v for k, v in layers.items() if k != "run"}
    fig, _ = _sheet(lyr, rules=Rules(15, 25, name="changshou", label="长寿区“寿和小院”"))
    assert "村：V1  ·  规则：15–25 户（长寿区“寿和小院”）  ·  数据日期：2025-11-30" in [t.get_text() for t in fig.texts]


def test_unit_sheet_says_a_unit_without_a_head_fits_its_size_and_gives_the_reason_in_its_language() -> None:
    """A HEAD-SHORT unit of 22 households under the rule 15–25 is an exception, but not for its size: the
    sheet's size line says it fits, and the reason line is rendered in the sheet's language from the
    unit's code and parameters (the file's ``reason`` is in the language the delineation ran in)."""
    from yuanluo.gis.catalogue import text
    from yuanluo.gis.delineate.reasons import render_reason
    from yuanluo.maps.static_units import _facts, _unit_record

    params = json.dumps({"size": 22, "heads": 0, "need": 1, "total": 132, "what": "households", "lo": 15,
                         "hi": 25, "proven": True, "why": "head_proven"})
    units = pd.DataFrame({"unit_id": ["U078", "U079"], "n_households": [22, 27], "size": [22, 27],
                          "status": ["exception", "exception"], "code": ["HEAD-SHORT", "RULE-INFEASIBLE"],
                          "reason_params": [params, ""], "reason": [render_reason("HEAD-SHORT", params, "zh"), "x"],
                          "meeting_hid": ["H1", "H2"]})
    rule = {"min": 15, "max": 25}
    for lang in ("zh", "en"):
        lines = _facts(_unit_record(units, "U078"), rule, lang)
        assert lines[0].endswith(text("print.size_ok", lang))
        assert lines[-1] == text("print.reason", lang, reason=render_reason("HEAD-SHORT", params, lang))
        assert _facts(_unit_record(units, "U079"), rule, lang)[0].endswith(text("print.size_bad", lang))


def test_unit_sheet_credits_openstreetmap_under_its_map_when_asked():
    """A sheet drawn from OpenStreetMap data (the bundled sample) names it under the map, as the print map does."""
    from matplotlib import rc_context

    from yuanluo.maps.static_units import _check_layers, _pages, font_rc

    lyr = _check_layers(sample_layers(60, block=4))
    credit = "地图数据 © OpenStreetMap 贡献者"
    with rc_context(font_rc()):  # the bundled font, as the sheets are drawn
        with_osm = [t.get_text() for t in _pages(lyr, "U001", "zh", 50, osm=True)[0].texts]
        without = [t.get_text() for t in _pages(lyr, "U001", "zh", 50)[0].texts]
    assert credit in with_osm and credit not in without
