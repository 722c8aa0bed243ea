"""Audit s28 E: print maps. Village names outside GB 2312 (李家塆村) came out as empty boxes with no word said; a
character no font has is now said (PRINT-GLYPH); a unit the map found no room for is still in the key; a long
title, a long unit id in the key and the wrapping of ranges and option names stay readable on the sheet."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
from fontTools.ttLib import TTFont
from matplotlib import font_manager
from matplotlib.figure import Figure
from typer.testing import CliRunner

from yuanluo.gis.catalogue import Lang, text
from yuanluo.maps import static
from yuanluo.planners.cli import app

runner = CliRunner()
#: real village-name characters outside GB 2312 but inside GBK
RARE = "塆磜堉峃垱塝氹坵湴"


def test_the_bundled_font_has_every_han_character_of_gbk() -> None:
    """The subset held GB 2312 only: 塆 (李家塆村) and the others were boxes without a system font."""
    cmap = TTFont(static.FONT_FILE, lazy=True).getBestCmap()
    assert all(ord(c) in cmap for c in RARE)
    gbk = {ord(bytes((a, b)).decode("gbk")) for a in range(0xB0, 0xF8) for b in range(0xA1, 0xFF)
           if a != 0xD7 or b < 0xFA}  # level 1 and 2 of GB 2312, as GBK encodes them
    assert gbk <= set(cmap)
    assert not static.undrawable("李家" + RARE + "村")


SYSTEM = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


@pytest.mark.skipif(not Path(SYSTEM).is_file(), reason="no Noto Sans CJK installed at Debian's place")
def test_the_system_fallback_does_not_depend_on_matplotlibs_font_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """A font cache built while the system fonts were hidden (it never rescans) left the fallback empty."""
    manager = font_manager.fontManager
    monkeypatch.setattr(manager, "ttflist", [f for f in manager.ttflist if not f.fname.startswith("/usr/share/fonts")])
    family = static.font_rc()["font.family"]
    assert "Noto Sans CJK SC" in family
    assert static.font_rc()["font.family"] == family  # the same list each time


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_map_says_which_names_have_characters_no_font_draws(tmp_path: Path, small_result: Path, lang: str) -> None:
    """A unit id or village name with an emoji was drawn as a box and nothing was said."""
    src = tmp_path / "r.gpkg"
    shutil.copy(small_result, src)
    hh = gpd.read_file(src, layer="households")
    hh["village"] = "李家塆村\U0001F3E0"
    hh.to_file(src, layer="households", driver="GPKG")
    out = tmp_path / "m.png"
    res = runner.invoke(app, ["--lang", lang, "map", str(src), "-o", str(out)])
    assert res.exit_code == 0, res.output
    flat = "".join(res.output.split())
    assert "PRINT-GLYPH" in flat and "“李家塆村\U0001F3E0”(\U0001F3E0)" in flat, res.output
    assert out.exists()


def _pages(lyr: dict[str, Any], lang: Lang, title: str | None = None) -> list[Figure]:
    from matplotlib import rc_context

    from yuanluo.maps.interactive import _check_layers

    with rc_context(static.font_rc()):
        figs = static._draw_pages(_check_layers(lyr), paper="A4", lang=lang, title=title, dpi=50, osm=False)
        for f in figs:
            f.canvas.draw()
        return figs


def _gids(fig: Figure, prefix: str) -> set[str]:
    arts = [*fig.texts, *(t for ax in fig.axes for t in ax.texts)]
    return {(t.get_gid() or "").split(" ", 1)[1] for t in arts if (t.get_gid() or "").startswith(prefix + " ")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_unit_left_off_the_map_is_still_named_in_the_key(monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    """On an A4 map of 759 units with longer ids, 5 units had neither a label nor a key entry; the margin only said
    how many. The same crowding here, with the labels allowed one ring of places around their unit."""
    from yuanluo.maps.sample import sample_layers

    monkeypatch.setattr(static, "LABEL_RINGS", 1)
    monkeypatch.setattr(static, "KEY_RINGS", 1)
    lyr = sample_layers(900, block=3, seed=4)
    figs = _pages(lyr, lang)
    units = set(lyr["units"]["unit_id"].astype(str))
    on_map = _gids(figs[0], "unit-label") | _gids(figs[0], "unit-key-number")
    off = units - on_map
    assert off  # the crowding happened
    listed = set().union(*(_gids(f, "unit-key-unplaced") for f in figs))
    assert listed == off
    assert not listed & set().union(*(_gids(f, "unit-key-entry") for f in figs))
    squares = {(t.get_gid() or "").split(" ", 1)[1]: t.get_text() for f in figs for t in f.texts
               if (t.get_gid() or "").startswith("unit-key-square ")}
    assert {u: squares[u] for u in off} == dict.fromkeys(off, text("print.key_off_map", lang))


LONG_TITLE = "重庆市巴南区某某镇某某村" + "很长的图名" * 12 + "院落划分图"  # the audit's longtitle.txt


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_long_title_stays_clear_of_the_stamp_and_on_the_sheet(lang: Lang) -> None:
    """A long --title (the audit's, 77 characters) ran on one line through the 内部工作用图 stamp and off the sheet."""
    from yuanluo.maps.sample import sample_layers

    for title in (LONG_TITLE, LONG_TITLE * 3, "Courtyard units of " + "a very long village name " * 6):
        fig = _pages(sample_layers(40, block=4), lang, title=title)[0]
        r = static._renderer(fig)
        head = next(t for t in fig.texts if t.get_position() == (0.03, 0.955))
        stamp = next(t for t in fig.texts if t.get_text() == text("print.stamp", lang))
        patch = stamp.get_bbox_patch()
        assert patch is not None
        box, sb = head.get_window_extent(r), patch.get_window_extent(r)
        assert box.x1 < sb.x0 and box.x0 >= 0 and box.y1 <= fig.bbox.height, (title, box, sb)
        shown = "".join(head.get_text().split())
        assert shown == "".join(title.split()) or shown.endswith("…")
        assert head.get_text().count("\n") <= 1


def test_a_long_unit_id_in_the_key_stays_on_the_sheet_with_its_grid_square() -> None:
    """A 59-character unit id in the margin key ran off the sheet and its grid square with it."""
    from matplotlib import rc_context

    long_id = "第" + "很长" * 28 + "院U"  # 59 characters
    assert len(long_id) == 59
    key = [(1, long_id, 12, "C4"), (2, "U002", 9, "D5"), (3, long_id[:-1] + "V", 3, "A1")]
    with rc_context(static.font_rc()):
        fig = Figure(figsize=(297 / 25.4, 210 / 25.4), dpi=60)
        n, drawn = static._draw_key(fig, key, "zh", 0.6, 0.1)
        r = static._renderer(fig)
        assert n == 3
        for t in drawn:
            assert t.get_window_extent(r).x1 <= 0.97 * fig.bbox.width + 1, t.get_text()
        squares = [t.get_text() for t in drawn if (t.get_gid() or "").startswith("unit-key-square")]
        assert squares == ["C4", "D5", "A1"]
        ids = [t.get_text() for t in drawn if (t.get_gid() or "").startswith("unit-key-entry")][1::2]
        assert ids[0] != ids[2] and ids[0].startswith("第很长") and ids[0].endswith("院U") and "…" in ids[0]


def test_lines_are_not_broken_inside_a_number_range_or_an_option_name() -> None:
    """'规则：20' / '–50 户' and '“--' / 'paper A3”' were broken across lines."""
    from matplotlib import rc_context

    s = "村：李家塆村  ·  规则：20–50 户（巴南区“巴适小院”）  ·  另有 5 处院落标注因图上过密未画出（改用 A3 纸“--paper A3”）"
    with rc_context(static.font_rc()):
        fig = Figure(figsize=(297 / 25.4, 210 / 25.4), dpi=60)
        for w in np.linspace(0.1, 0.6, 60):
            lines = static.wrap_to(fig, s, 9, float(w)).split("\n")
            joined = "|".join(lines)
            for whole in ("20–50", "--paper"):
                assert whole in joined, (w, lines)
