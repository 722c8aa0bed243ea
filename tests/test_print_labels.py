"""Print maps of a town: every unit is named on the sheet — by its id on the map, or, where its name finds no room, by a
framed number on the map that the numbered key in the right column turns into its id."""

from __future__ import annotations

import re

import numpy as np
import pytest
from matplotlib import rc_context

from yuanluo.gis.catalogue import text
from yuanluo.maps import static
from yuanluo.maps.interactive import _check_layers
from yuanluo.maps.sample import sample_layers

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@pytest.fixture(scope="module")
def crowded() -> dict:
    return sample_layers(900, block=3, seed=4)  # 100 small units: too many names for an A4 sheet


def _sheet(lyr: dict, lang: str = "zh", paper: str = "A4", dpi: int = 50):  # type: ignore[no-untyped-def]
    with rc_context(static.font_rc()):
        fig = static._draw(_check_layers(lyr), paper=paper, lang=lang, title=None, dpi=dpi, osm=False)
        fig.canvas.draw()
        return fig


def _units(lyr: dict) -> set[str]:
    return set(lyr["units"]["unit_id"].astype(str))


def _named_by_id(fig, units: set[str]) -> set[str]:  # type: ignore[no-untyped-def]
    """Units whose own label (id, or id and households) stands on the map."""
    texts = [t.get_text() for t in fig.axes[0].texts]
    return {u for u in units if any(s == u or s.startswith(u + "\n") for s in texts)}


def _gid(arts, tag: str) -> dict[str, list]:  # type: ignore[no-untyped-def]
    out: dict[str, list] = {}
    for t in arts:
        gid = t.get_gid() or ""
        if gid.startswith(tag + " "):
            out.setdefault(gid.split(" ", 1)[1], []).append(t)
    return out


def _key(fig) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The numbered key in the margin: unit id → its number."""
    entries = _gid(fig.texts, "unit-key-entry")
    out = {}
    for unit, arts in entries.items():
        nums = [t.get_text() for t in arts if t.get_text().isdigit()]
        assert [t.get_text() for t in arts if not t.get_text().isdigit()] == [unit]
        out[unit] = nums[0]
    return out


def test_every_unit_is_named_on_the_map_or_by_a_number_in_the_key(crowded):
    fig = _sheet(crowded)
    units = _units(crowded)
    by_id = _named_by_id(fig, units)
    assert len(by_id) < len(units)  # not every name fits: some units go into the key
    numbers = {u: [t.get_text() for t in ts] for u, ts in _gid(fig.axes[0].texts, "unit-key-number").items()}
    key = _key(fig)
    assert set(key) == set(numbers)
    for u, nums in numbers.items():
        assert set(nums) == {key[u]}, u  # the number on the map is the one the key gives the unit
    assert by_id | set(key) == units
    # numbered 1, 2, … in unit-id order, so the key reads both ways
    assert [key[u] for u in sorted(key)] == [str(i) for i in range(1, len(key) + 1)]
    notes = "".join(t.get_text() for t in fig.texts).replace("\n", "")
    assert text("print.key_title", "zh") in notes
    assert text("print.key_note", "zh", n=len(key)) in notes
    assert "未标注" not in notes  # nothing left out


def test_labels_and_numbers_never_overlap_and_stay_in_the_frame(crowded):
    fig = _sheet(crowded)
    ax = fig.axes[0]
    r = static._renderer(fig)
    arts = [t for t in ax.texts if t.get_zorder() == 9]
    boxes = [(t.get_bbox_patch() or t).get_window_extent(r) for t in arts]
    frame = ax.get_window_extent(r)
    assert any(t.get_gid().startswith("unit-key-number") for t in arts)
    for i, a in enumerate(boxes):
        assert frame.x0 - 1 <= a.x0 and a.x1 <= frame.x1 + 1 and frame.y0 - 1 <= a.y0 and a.y1 <= frame.y1 + 1
        for b in boxes[i + 1:]:
            assert not a.overlaps(b), (arts[i].get_text(), b)


def test_the_key_stays_in_the_right_column_clear_of_the_legend_and_the_notes(crowded):
    fig = _sheet(crowded)
    r = static._renderer(fig)
    entries = [t for ts in _gid(fig.texts, "unit-key-entry").values() for t in ts]
    title = [t for t in fig.texts if t.get_text() == text("print.key_title", "zh")]
    assert entries and title
    legend = fig.legends[0].get_window_extent(r)
    notes = [t for t in fig.texts if t.get_text().startswith("院落数")][0].get_window_extent(r)
    right = fig.axes[0].get_window_extent(r).x1
    for t in [*entries, *title]:
        b = (t.get_bbox_patch() or t).get_window_extent(r)
        assert b.x0 > right and b.x1 <= fig.bbox.x1
        assert not b.overlaps(legend) and not b.overlaps(notes), t.get_text()


def test_the_english_key_says_it_in_english(crowded):
    fig = _sheet(crowded, lang="en")
    notes = "\n".join(t.get_text() for t in fig.texts)
    assert "Key to numbered units" in notes and "framed number" in notes.replace("\n", " ")
    assert not HAN.search(notes + "".join(t.get_text() for t in fig.axes[0].texts))


def test_a_village_sheet_needs_no_key():
    lyr = sample_layers(300, block=5, seed=2)
    fig = _sheet(lyr)
    assert _named_by_id(fig, _units(lyr)) == _units(lyr)
    assert not _gid(fig.axes[0].texts, "unit-key-number") and not _gid(fig.texts, "unit-key-entry")
    assert text("print.key_title", "zh") not in [t.get_text() for t in fig.texts]


def test_a3_names_more_units_by_id_than_a4(crowded):
    a4, a3 = (_named_by_id(_sheet(crowded, paper=p), _units(crowded)) for p in ("A4", "A3"))
    assert len(a3) >= len(a4)
    assert _units(crowded) <= a3 | set(_key(_sheet(crowded, paper="A3")))


def test_same_crowded_sheet_same_bytes(crowded):
    a = static.render_print_map(crowded, fmt="png", dpi=50)
    assert a == static.render_print_map(crowded, fmt="png", dpi=50)


def test_chinese_notes_break_between_characters_not_before_a_phrase():
    lyr = sample_layers(60, block=4)
    with rc_context(static.font_rc()):
        fig = _sheet(lyr)
        s = static.wrap_to(fig, "237 个院落因图上空间不足，以带框序号代替院落编号标注，序号与院落编号对应如下：", 7, 0.2)
    first = s.split("\n")[0]
    assert first.startswith("237 个院落") and len(s.split("\n")) >= 2
    en = "Units 533  ·  Households 10000  ·  CGCS2000 / 3-degree Gauss-Kruger CM 108E"
    wrapped = static.wrap_to(fig, en, 7, 0.08)
    assert "\n" in wrapped and wrapped.split() == en.split()  # English breaks at spaces only


def test_place_labels_helpers_are_unchanged_for_free_room():
    c = static.place_labels(np.array([[10.0, 4.0]]), np.array([[50.0, 50.0]]), (0, 0, 100, 100), np.empty((0, 4)))
    assert c.tolist() == [[50.0, 50.0]]


def _pages(lyr: dict, lang: str = "zh", paper: str = "A4", dpi: int = 50, fmt: str = "pdf"):  # type: ignore[no-untyped-def]
    with rc_context(static.font_rc()):
        figs = static._draw_pages(_check_layers(lyr), paper=paper, lang=lang, title=None, dpi=dpi, osm=False, fmt=fmt)
        for fig in figs:
            fig.canvas.draw()
        return figs


def _entries(figs) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    """The key's entries on the sheet and the pages after it, in the order drawn: (number, unit id)."""
    out = []
    for fig in figs:
        for unit, arts in _gid(fig.texts, "unit-key-entry").items():
            out += [(int(t.get_text()), unit) for t in arts if t.get_text().isdigit()]
    return out


@pytest.fixture()
def long_key(monkeypatch):  # type: ignore[no-untyped-def]
    """Letters too large for the column and for a page: the key of the crowded village goes on over pages."""
    monkeypatch.setattr(static, "KEY_FONTS", (30.0,))
    monkeypatch.setattr(static, "KEY_PAGE_FONT", 40.0)


@pytest.fixture(scope="module")
def long_key_sheets(crowded):
    """The crowded village's sheet and key pages (zh, A4, pdf) under long_key's letters: the same drawing read by
    three tests, drawn once (the figures are only measured, never changed)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(static, "KEY_FONTS", (30.0,))
        mp.setattr(static, "KEY_PAGE_FONT", 40.0)
        return _pages(crowded)


def test_a_key_too_long_for_the_column_goes_on_over_pages_and_leaves_no_unit_out(crowded, long_key, long_key_sheets):
    figs = long_key_sheets
    assert len(figs) >= 3  # the sheet and at least two pages of the key
    numbers = {u: ts[0].get_text() for u, ts in _gid(figs[0].axes[0].texts, "unit-key-number").items()}
    entries = _entries(figs)
    assert sorted(entries) == entries  # in number order, across the pages
    assert {u: str(k) for k, u in entries} == numbers  # every number on the map, once, with its own unit
    assert len(entries) == len(numbers)
    assert _named_by_id(figs[0], _units(crowded)) | set(numbers) == _units(crowded)
    on_sheet = len(_entries(figs[:1]))
    rest = entries[on_sheet:]
    said = re.sub(r"\s", "", "".join(t.get_text() for t in figs[0].texts))
    assert re.sub(r"\s", "", text("print.key_continued", "zh", n=len(rest), numbers=f"{rest[0][0]}–{rest[-1][0]}")) in said
    seen = on_sheet
    for k, fig in enumerate(figs[1:], 2):
        texts = [t.get_text() for t in fig.texts]
        mine = _entries([fig])
        assert text("print.key_more_title", "zh") in texts and text("print.stamp", "zh") in texts
        assert text("print.key_page", "zh", page=k, pages=len(figs), numbers=f"{mine[0][0]}–{mine[-1][0]}") in texts
        assert mine == entries[seen:seen + len(mine)]
        seen += len(mine)
        r = static._renderer(fig)
        boxes = [(t.get_bbox_patch() or t).get_window_extent(r) for ts in _gid(fig.texts, "unit-key-entry").values()
                 for t in ts]
        assert all(fig.bbox.x0 <= b.x0 and b.x1 <= fig.bbox.x1 and fig.bbox.y0 <= b.y0 and b.y1 <= fig.bbox.y1
                   for b in boxes)  # on the page
        assert all(not a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert seen == len(entries)


def test_a_full_key_stays_clear_of_the_notes(long_key_sheets):
    fig = long_key_sheets[0]
    r = static._renderer(fig)
    notes = [t for t in fig.texts if t.get_text().startswith("院落数")][0]
    for t in [t for ts in _gid(fig.texts, "unit-key-entry").values() for t in ts]:
        assert not (t.get_bbox_patch() or t).get_window_extent(r).overlaps(notes.get_window_extent(r))


def test_the_pages_of_the_key_in_english(crowded, long_key):
    figs = _pages(crowded, lang="en", fmt="png")
    said = " ".join(t.get_text() for fig in figs for t in fig.texts).replace("\n", " ")
    assert "pages below this sheet" in said and "Key to numbered units (continued)" in said and "Page 2 of" in said
    assert not HAN.search(said)


def test_a_pdf_key_goes_on_over_pages_and_a_png_below_the_sheet_same_bytes_each_time(crowded, long_key,
                                                                                     long_key_sheets):
    pdf = static.render_print_map(crowded, fmt="pdf", dpi=50)
    assert pdf == static.render_print_map(crowded, fmt="pdf", dpi=50)
    n = len(long_key_sheets)
    assert len(re.findall(rb"/Type /Page\b", pdf)) == n
    assert b"CreationDate" not in pdf
    png = static.render_print_map(crowded, fmt="png", dpi=50)
    assert png == static.render_print_map(crowded, fmt="png", dpi=50)
    w, h = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (w, h) == (int(297 / 25.4 * 50), n * int(210 / 25.4 * 50))  # the pages one under the other


def test_a_town_of_more_than_1200_units_is_labelled_and_every_unit_found_on_the_sheet_its_key_or_the_count():
    """Every unit is named on the sheet or by a number in the key; a label with no free place at all is left
    off (it was drawn over the others) and counted in the notes, the count equal to the units not named."""
    town = sample_layers(11_000, block=3, seed=5)  # 1,225 units of 9 households
    units = _units(town)
    assert len(units) > 1200
    figs = _pages(town)
    numbers = {u: ts[0].get_text() for u, ts in _gid(figs[0].axes[0].texts, "unit-key-number").items()}
    entries = _entries(figs)
    assert {u: str(k) for k, u in entries} == numbers and len(entries) == len(numbers)
    named = _named_by_id(figs[0], units) | set(numbers)
    assert named <= units and len(named) >= 0.95 * len(units)
    assert len(figs) >= 2  # the key goes on after the sheet
    said = "".join(t.get_text() for t in figs[0].texts)
    left = re.search(r"另有 (\d+) 处院落标注因图上过密未画出", said)
    assert (int(left.group(1)) if left else 0) == len(units - named)
    assert "未列出" not in said  # the key lists every number on the map


def test_the_grid_finds_the_same_free_places_as_every_box_tried():
    rng = np.random.default_rng(3)
    wh = rng.uniform(5, 30, size=(400, 2))
    anchors = rng.uniform(0, 300, size=(400, 2))
    avoid = np.c_[rng.uniform(0, 300, size=(30, 2)), np.zeros((30, 2))]
    avoid[:, 2:] = avoid[:, :2] + rng.uniform(1, 80, size=(30, 2))
    frame = (0.0, 0.0, 300.0, 300.0)
    want = np.full((400, 2), np.nan)  # the greedy placing, every candidate against every box
    placed = avoid.copy()
    for i, ((w, h), a) in enumerate(zip(wh, anchors, strict=True)):
        c = static._candidates(w, h, 4) + a
        bx = np.c_[c[:, 0] - w / 2, c[:, 1] - h / 2, c[:, 0] + w / 2, c[:, 1] + h / 2]
        ok = np.flatnonzero(static.free_boxes(bx, frame, placed))
        if len(ok):
            want[i] = c[ok[0]]
            placed = np.vstack([placed, bx[ok[0]]])
    got = static.place_labels(wh, anchors, frame, avoid, rings=4)
    assert np.isnan(want[:, 0]).any() and (~np.isnan(want[:, 0])).any()
    np.testing.assert_array_equal(got, want)


def test_the_key_gives_the_grid_square_each_number_stands_in(crowded):
    fig = _sheet(crowded)
    ax = fig.axes[0]
    r = static._renderer(fig)
    cols, rows = static.grid_dims(ax)
    assert (cols, rows) == (8, 7)  # squares near 27 mm on A4
    edges = {t.get_gid().split(" ", 1)[1] for t in fig.texts if (t.get_gid() or "").startswith("map-grid ")}
    assert edges == {chr(ord("A") + c) for c in range(cols)} | {str(k) for k in range(1, rows + 1)}
    squares = {u: ts[0].get_text() for u, ts in _gid(fig.texts, "unit-key-square").items()}
    numbers = _gid(ax.texts, "unit-key-number")
    assert set(squares) == set(numbers)
    for unit, arts in numbers.items():
        for t in arts:
            b = t.get_window_extent(r)
            fx, fy = ax.transAxes.inverted().transform(((b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2))
            want = f"{chr(ord('A') + int(fx * cols))}{int((1 - fy) * rows) + 1}"
            assert want in squares[unit].split("、"), (unit, want, squares[unit])


def test_a_sheet_without_a_key_has_no_grid():
    fig = _sheet(sample_layers(300, block=5, seed=2))
    assert not [t for t in fig.texts if (t.get_gid() or "").startswith("map-grid ")]
