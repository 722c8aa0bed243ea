"""Session 30 G3: the village print map and the coverage print map after the audit of a 12,000-household town.
PRINT-GLYPH named a village the map does not print (the title line names three villages, then "…"), and that line
did not say how many villages the "…" stood for; the coverage key cut the villager group off a long village name
(seven lines read the same) at ~4.5 pt; the legend showed households as hollow rings while the map draws small
filled dots, and the grey discs at the ends of leader lines were nowhere in the legend."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from typer.testing import CliRunner

from yuanluo.maps import static
from yuanluo.planners.cli import app

runner = CliRunner()


def _villages(tmp_path: Path, small_result: Path, names: list[str], name: str = "v") -> Path:
    """A copy of the small result whose households lie in the villages ``names``, in turn."""
    src = tmp_path / f"{name}.gpkg"
    shutil.copy(small_result, src)
    hh = gpd.read_file(src, layer="households")
    hh["village"] = [names[i % len(names)] for i in range(len(hh))]
    hh.to_file(src, layer="households", driver="GPKG")
    return src


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_print_glyph_only_for_a_village_the_map_prints(tmp_path: Path, small_result: Path, lang: str) -> None:
    """Five villages, the last “V005🏠” (an emoji no font draws): the title line names V001–V003 only, so the map
    prints no box and says nothing; named first, it is printed, and said."""
    late = _villages(tmp_path, small_result, ["V001", "V002", "V003", "V004", "V005\U0001F3E0"])
    res = runner.invoke(app, ["--lang", lang, "map", str(late), "-o", str(tmp_path / "a.png")])
    assert res.exit_code == 0, res.output
    assert "PRINT-GLYPH" not in res.output, res.output
    early = _villages(tmp_path, small_result, ["A\U0001F3E0", "V002", "V003", "V004", "V005"], "w")
    res = runner.invoke(app, ["--lang", lang, "map", str(early), "-o", str(tmp_path / "b.png")])
    assert res.exit_code == 0, res.output
    assert "PRINT-GLYPH" in res.output, res.output


def test_the_unit_sheets_still_say_every_village() -> None:
    """The unit sheets print each unit's own village: a village past the third is said for them."""
    import pandas as pd

    hh = pd.DataFrame({"village": ["V1", "V2", "V3", "V4\U0001F3E0"]})
    assert static.glyph_problems({"households": hh}, sheets=False) == []
    assert [p.code for p in static.glyph_problems({"households": hh})] == ["PRINT-GLYPH"]


@pytest.mark.parametrize(("lang", "expected"), [("zh", "村：V006、V007、V008 等 15 个村"),
                                                ("en", "Village: V006, V007, V008 and others (15 villages)")])
def test_the_title_line_says_how_many_villages(lang: str, expected: str) -> None:
    import pandas as pd

    hh = pd.DataFrame({"village": [f"V{i:03d}" for i in range(6, 21)]})
    assert static.sheet_subtitle({"households": hh}, lang).split("  ·  ")[0] == expected


VILLAGE_40 = "重庆市巴南区某某镇某某村某某社区某某组某某院落某某湾某某坝某某坡某某沟某某梁某某"


def _cover_layers(n: int = 7) -> dict:
    """``n`` group hubs of one village named with 40 characters (groups V001-G1 …), a household each."""
    import geopandas as gpd

    xs = [500000 + 300 * i for i in range(n)]
    hh = gpd.GeoDataFrame({"hid": [f"H{i}" for i in range(n)], "hub_id": [f"P{i + 1:03d}" for i in range(n)],
                           "walk_min": [3.0] * n}, geometry=gpd.points_from_xy(xs, [3300000] * n), crs="EPSG:32648")
    hubs = gpd.GeoDataFrame({"hub_id": [f"P{i + 1:03d}" for i in range(n)], "level": ["group"] * n,
                             "village": [VILLAGE_40] * n, "group": [f"V001-G{i + 1}" for i in range(n)]},
                            geometry=gpd.points_from_xy(xs, [3300050] * n), crs="EPSG:32648")
    return {"households": hh, "hubs": hubs}


@pytest.mark.parametrize("paper", ["A4", "A3"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_cover_key_keeps_the_group_of_a_long_village_at_a_readable_size(paper: str, lang: str) -> None:
    """Seven group hubs of a village of 40 characters: the key cut each line's end, the group with it, so the seven
    lines read the same, at ~4.5 pt, lines touching. Now each line ends in its own group, the village shortened with
    "…", at 6 pt or more, lines as far apart as they are tall."""
    from matplotlib import rc_context

    from yuanluo.maps.coverage import check_cover_layers
    from yuanluo.maps.static_cover import _draw

    with rc_context(static.font_rc()):
        fig = _draw(check_cover_layers(_cover_layers()), paper=paper, lang=lang, title=None, dpi=100, limit=15.0)
        fig.canvas.draw()
        r = static._renderer(fig)
        key = [t for t in fig.texts if (t.get_gid() or "").startswith("hub-serves P")]
        assert len(key) == 7
        lines = [t.get_text() for t in key]
        assert len(set(lines)) == 7, lines
        for i, s in enumerate(lines):
            assert s.startswith(f"P{i + 1:03d}  重庆市") and s.endswith(f"… V001-G{i + 1}"), s
        assert min(t.get_fontsize() for t in key) >= 6.0
        boxes = sorted((t.get_window_extent(r) for t in key), key=lambda b: -b.y0)
        for a, b in zip(boxes, boxes[1:], strict=False):
            assert b.y1 <= a.y0 or b.x0 >= a.x1, (a, b)  # lines of a column do not touch
        page = fig.bbox
        for b in boxes:
            assert page.x0 <= b.x0 and b.x1 <= page.x1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_legend_draws_households_and_leader_lines_as_the_map_does(lang: str) -> None:
    """The legend showed households as a hollow ring, the map draws small filled dots in their unit's colour; each
    label moved aside ended its leader line in a grey disc (read as a household) that the legend did not show. Now
    the legend's household is a small filled dot, the leader ends in a tick across it, and the legend shows that
    line and tick."""
    import matplotlib.colors as mcolors
    from matplotlib import rc_context

    from yuanluo.gis.catalogue import text
    from yuanluo.maps.interactive import _check_layers
    from yuanluo.maps.sample import sample_layers

    with rc_context(static.font_rc()):
        fig = static._draw(_check_layers(sample_layers(1500, block=5, seed=2)), paper="A4", lang=lang, title=None,
                           dpi=60, osm=False)
        ax, [leg] = fig.axes[0], fig.legends
        ends = [a for a in ax.lines if (a.get_gid() or "").startswith("unit-leader-end ")]
        assert ends, "no label was moved aside: the test needs one"
        assert all(a.get_marker() not in ("o", ".") for a in ends)
        assert not [c for c in ax.collections if hasattr(c, "get_sizes") and c.get_sizes().tolist() == [3.0]]
        labels = [t.get_text() for t in leg.get_texts()]
        assert text("print.leader", lang) in labels
        [hh] = [h for h, s in zip(leg.legend_handles, labels, strict=True) if s == static.label("households", lang)]
        assert mcolors.to_hex(hh.get_markerfacecolor()) != "#ffffff" and hh.get_markersize() <= 5


def test_no_leader_line_no_leader_in_the_legend() -> None:
    from matplotlib import rc_context

    from yuanluo.gis.catalogue import text
    from yuanluo.maps.interactive import _check_layers
    from yuanluo.maps.sample import sample_layers

    with rc_context(static.font_rc()):
        fig = static._draw(_check_layers(sample_layers(60, block=4)), paper="A3", lang="zh", title=None, dpi=60,
                           osm=False)
        if not [a for a in fig.axes[0].lines if (a.get_gid() or "").startswith("unit-leader-end ")]:
            assert text("print.leader", "zh") not in [t.get_text() for t in fig.legends[0].get_texts()]


def _leaders_and_boxes(fig: Any) -> tuple[list[Any], list[Any], list[Any]]:
    """Each leader line of a unit label as it shows (from its anchor to the edge of its label's box) and every unit
    label's box (display pixels), as shapely geometries; the anchors of the labels with a leader."""
    import numpy as np
    import shapely

    ax = fig.axes[0]
    r = static._renderer(fig)
    labels = [t for t in ax.texts if (t.get_gid() or "").startswith(("unit-label ", "unit-key-number "))]
    boxes = {}
    for t in labels:
        b = t.get_bbox_patch().get_window_extent(r)
        boxes[tuple(np.round(ax.transData.transform(t.get_position()), 3))] = shapely.box(b.x0, b.y0, b.x1, b.y1)
    lines, anchors = [], []
    for ln in ax.lines:  # a leader: a grey line of two points from an anchor to its label's centre
        if len(ln.get_xdata()) != 2 or ln.get_color() != "#444444" or ln.get_linestyle() == "None":
            continue
        a, c = ax.transData.transform(np.c_[ln.get_xdata(), ln.get_ydata()])
        own = boxes[tuple(np.round(c, 3))]
        lines.append((shapely.LineString([a, c]).difference(own), own))
        anchors.append(shapely.Point(a))
    return lines, list(boxes.values()), anchors


@pytest.mark.parametrize(("paper", "n", "block"), [("A4", 1500, 5), ("A3", 2000, 2)])
def test_no_leader_line_crosses_another_or_runs_under_a_label(paper: str, n: int, block: int) -> None:
    """Labels moved aside far into a dense part of the map had leader lines crossing each other and running under other
    labels (and a label sat over another unit's anchor, where that unit's line ends): which line ends in which unit
    could not be told. Now such a label is a framed number of the key, as a label with no room is."""
    import numpy as np
    import shapely
    from matplotlib import rc_context

    from yuanluo.maps.interactive import _check_layers
    from yuanluo.maps.sample import sample_layers

    with rc_context(static.font_rc()):
        fig = static._draw(_check_layers(sample_layers(n, block=block, seed=2)), paper=paper, lang="zh", title=None,
                           dpi=60, osm=False)
        fig.canvas.draw()
        lines, boxes, anchors = _leaders_and_boxes(fig)
        assert lines
        # each label's box shrunk by a pixel, once (it was buffered again for every line and every box: 25 of the
        # A3 case's 38 s); the same predicates on the same geometries, the whole row of boxes at a time
        inner = np.array([box.buffer(-1.0) for box in boxes], dtype=object)
        under = 0
        for i, (line, own) in enumerate(lines):
            for other, _ in lines[i + 1:]:
                assert not line.intersects(other), (line, other)
            mine = np.array([box is not own for box in boxes])
            under += int(np.count_nonzero(shapely.intersects(line, inner) & mine))
        # a number with no place whose line runs clear of every label may run under one, never across a line
        assert under <= len(lines) // 50, under
        over = shapely.contains(inner[:, None], np.array(anchors, dtype=object)[None, :])
        for box, row in zip(boxes, over, strict=True):  # no label over the anchor of another's leader
            assert int(np.count_nonzero(row)) == 0, box
