"""Print maps that used to run off the sheet or into an unreadable mass: a unit label with no free place left
off the map (and counted in the notes), and the coverage map's key of long hub, village and group names kept
on the sheet."""

from __future__ import annotations

import re

import pytest
from matplotlib import rc_context

from yuanluo.gis.catalogue import text
from yuanluo.maps import static
from yuanluo.maps.interactive import _check_layers
from yuanluo.maps.sample import sample_layers


def _sheet(lyr: dict, lang: str):  # type: ignore[no-untyped-def]
    with rc_context(static.font_rc()):
        fig = static._draw(_check_layers(lyr), paper="A4", lang=lang, title=None, dpi=50, osm=False)
        fig.canvas.draw()
        return fig


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_labels_with_no_free_place_are_left_off_the_map_and_counted(monkeypatch, lang):  # type: ignore[no-untyped-def]
    """A sheet of 5,030 units drew 3,776 key numbers over the other labels (an unreadable mass). The same
    crowding here on 100 units, with the labels allowed only one ring of places around their unit."""
    monkeypatch.setattr(static, "LABEL_RINGS", 1)
    monkeypatch.setattr(static, "KEY_RINGS", 1)
    lyr = sample_layers(900, block=3, seed=4)
    fig = _sheet(lyr, lang)
    ax = fig.axes[0]
    r = static._renderer(fig)
    arts = [t for t in ax.texts if t.get_zorder() == 9]
    boxes = [(t.get_bbox_patch() or t).get_window_extent(r) for t in arts]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b), (arts[i].get_text(), b)
    units = set(lyr["units"]["unit_id"].astype(str))
    labelled = {(t.get_gid() or "").split(" ", 1)[1] for t in arts}
    left = units - labelled
    assert left  # the crowding happened
    notes = re.sub(r"\s", "", "".join(t.get_text() for t in fig.texts))
    assert re.sub(r"\s", "", text("print.labels_left_out", lang, n=len(left))) in notes
    key = {(t.get_gid() or "").split(" ", 1)[1] for t in fig.texts if (t.get_gid() or "").startswith("unit-key-entry")}
    numbered = {(t.get_gid() or "").split(" ", 1)[1] for t in arts if t.get_gid().startswith("unit-key-number")}
    assert key == numbered  # the key lists only the numbers the map shows


LONG = "<script>alert(1)</script>" * 4 + "很长的村名" * 4  # 120 characters


def _cover_layers() -> dict:
    import geopandas as gpd

    hh = gpd.GeoDataFrame({"hid": [f"H{i}" for i in range(6)], "hub_id": ["P001"] * 3 + ["P002"] * 2 + [None],
                           "walk_min": [2.0, 5.0, 9.0, 3.0, 30.0, float("nan")]},
                          geometry=gpd.points_from_xy([500000, 500100, 500300, 501000, 501500, 502000],
                                                      [3300000, 3300200, 3300100, 3300800, 3301000, 3300500]),
                          crs="EPSG:32648")
    hubs = gpd.GeoDataFrame({"hub_id": ["P001", "P002"], "level": ["village", LONG], "name": [LONG, "院坝"],
                             "village": [LONG, "甲村"], "group": [LONG + "组", LONG]},
                            geometry=gpd.points_from_xy([500000, 501000], [3300000, 3300800]), crs="EPSG:32648")
    return {"households": hh, "hubs": hubs}


@pytest.mark.parametrize("paper", sorted(static.PAPER_MM))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_cover_maps_key_keeps_a_120_character_name_on_the_sheet(paper, lang):  # type: ignore[no-untyped-def]
    """A hub, village or group name of 120 characters ran off the paper in the key under the legend."""
    from yuanluo.maps.coverage import check_cover_layers
    from yuanluo.maps.static_cover import _draw

    assert len(LONG) == 120
    with rc_context(static.font_rc()):
        fig = _draw(check_cover_layers(_cover_layers()), paper=paper, lang=lang, title=None, dpi=50, limit=15.0)
        fig.canvas.draw()
        r = static._renderer(fig)
        arts = [*fig.texts, *fig.axes[0].texts, *(t for leg in fig.legends for t in leg.get_texts())]
        assert any((t.get_gid() or "").startswith("hub-serves ") for t in arts)  # the key is drawn
        page = fig.bbox
        for t in arts:
            b = t.get_window_extent(r)
            assert page.x0 <= b.x0 and b.x1 <= page.x1 and page.y0 <= b.y0 and b.y1 <= page.y1, t.get_text()[:40]
        for leg in fig.legends:
            b = leg.get_window_extent(r)
            assert page.x0 <= b.x0 and b.x1 <= page.x1 and page.y0 <= b.y0 and b.y1 <= page.y1


def test_a_print_map_or_unit_sheets_that_exist_name_the_file_and_how_to_replace_them(tmp_path):  # type: ignore[no-untyped-def]
    """The two print writers raised OUT-EXISTS without the file in its sentence (a literal ``{targets}``)."""
    from yuanluo.gis.errors import OutputError
    from yuanluo.maps.static_units import write_unit_sheets

    lyr = sample_layers(60, block=3, seed=1)
    for path, write in ((tmp_path / "m.png", lambda p: static.print_map(lyr, p, dpi=30)),
                        (tmp_path / "u.pdf", lambda p: write_unit_sheets(lyr, p))):
        path.write_bytes(b"mine")
        with pytest.raises(OutputError) as ei:
            write(path)
        said = ei.value.render("en")
        assert str(path) in said and "overwrite=True" in said and "{" not in said
        assert path.read_bytes() == b"mine"
