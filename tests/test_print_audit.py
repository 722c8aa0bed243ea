"""Print maps after the audit of a 600-household village: unit labels clear of small units and meeting points, every
part of a unit labelled, the CRS in the sheet's language, a legend of what is drawn, a readable north label; the
per-unit sheets: numbers that point at one household each, a table whose columns do not run into each other, and
the unit's own village and group in the header."""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from matplotlib import rc_context
from shapely.geometry import MultiPolygon, Point, box

from yuanluo.maps import static, static_units
from yuanluo.maps.interactive import _check_layers
from yuanluo.maps.sample import sample_layers


@pytest.fixture(scope="module")
def base() -> dict:
    return sample_layers(300, block=5, seed=2)


def _is(hh: pd.DataFrame, unit: str) -> np.ndarray:
    return (hh["unit_id"].astype("string") == unit).fillna(False).to_numpy(dtype=bool)


def _sheet(lyr: dict, lang: str = "zh", dpi: int = 80):  # type: ignore[no-untyped-def]
    with rc_context(static.font_rc()):
        fig = static._draw(_check_layers(lyr), paper="A4", lang=lang, title=None, dpi=dpi, osm=False)
        static._renderer(fig)  # an Agg canvas: draw once, so the label boxes have their place
        fig.canvas.draw()
        return fig


def _with_tiny_unit(base: dict) -> tuple[dict, str]:
    """A one-household exception unit carved out of a large unit, with its meeting point on it."""
    lyr = {k: (v.copy() if hasattr(v, "copy") else v) for k, v in base.items()}
    units, hh, mp = lyr["units"], lyr["households"], lyr["meeting_points"]
    parent = units.index[units["unit_id"] == "U006"][0]
    mine = hh[_is(hh, "U006")]
    hid = mine.index[len(mine) // 2]
    p = mine.geometry.loc[hid]
    tiny = p.buffer(12)
    units.loc[parent, "geometry"] = units.loc[parent, "geometry"].difference(tiny)
    row = units.loc[[parent]].copy()
    row["unit_id"], row["status"], row["n_households"] = "U099", "exception", 1
    row["geometry"] = [tiny]
    lyr["units"] = gpd.GeoDataFrame(pd.concat([units, row], ignore_index=True), crs=units.crs)
    hh.loc[hid, ["unit_id", "unit_status"]] = ["U099", "exception"]
    new_mp = gpd.GeoDataFrame({"unit_id": ["U099"], "hid": [hid]}, geometry=[p], crs=mp.crs)
    lyr["meeting_points"] = gpd.GeoDataFrame(pd.concat([mp, new_mp], ignore_index=True), crs=mp.crs)
    return lyr, "U099"


def _unit_label_boxes(fig) -> list[tuple[str, np.ndarray]]:  # type: ignore[no-untyped-def]
    ax = fig.axes[0]
    r = static._renderer(fig)
    out = []
    for t in ax.texts:
        if re.match(r"U\d{3}", t.get_text()):
            bb = t.get_bbox_patch().get_window_extent(r) if t.get_bbox_patch() else t.get_window_extent(r)
            out.append((t.get_text(), np.array([bb.x0, bb.y0, bb.x1, bb.y1])))
    return out


def test_unit_labels_cover_no_small_unit_and_no_meeting_point(base):
    lyr, tiny = _with_tiny_unit(base)
    fig = _sheet(lyr)
    ax = fig.axes[0]
    boxes = _unit_label_boxes(fig)
    assert any(s.startswith(tiny) for s, _ in boxes)  # the small unit is labelled (beside it)
    units = lyr["units"]
    g = units.loc[units["unit_id"] == tiny, "geometry"].iloc[0]
    lo, hi = ax.transData.transform([g.bounds[:2], g.bounds[2:]])
    mp = lyr["meeting_points"]
    pts = ax.transData.transform(np.c_[mp.geometry.x, mp.geometry.y])
    for s, b in boxes:
        assert not (b[0] < hi[0] and b[2] > lo[0] and b[1] < hi[1] and b[3] > lo[1]), s  # the small unit is seen
        inside = (pts[:, 0] > b[0]) & (pts[:, 0] < b[2]) & (pts[:, 1] > b[1]) & (pts[:, 1] < b[3])
        assert not inside.any(), (s, mp["unit_id"][inside].tolist())


def test_every_detached_part_of_a_unit_is_labelled(base):
    lyr = {k: (v.copy() if hasattr(v, "copy") else v) for k, v in base.items()}
    units, hh = lyr["units"], lyr["households"]
    i = units.index[units["unit_id"] == "U001"][0]
    x0, y0, x1, y1 = units.total_bounds
    far = box(x1 + 200, y0, x1 + 320, y0 + 120)
    units.loc[i, "geometry"] = MultiPolygon([units.loc[i, "geometry"], far])
    hid = hh.index[_is(hh, "U001")][0]
    hh.loc[hid, "geometry"] = Point(x1 + 260, y0 + 60)
    fig = _sheet(lyr)
    labels = [s for s, _ in _unit_label_boxes(fig)]
    assert "U001\n25户" in labels and "U001（分片）" in labels
    parts = static.unit_parts(units, hh)
    assert parts["main"].sum() == len(units) and (~parts["main"]).sum() == 1


def test_the_crs_is_named_in_the_sheets_language(base):
    lyr = {k: v.to_crs("EPSG:4545") if hasattr(v, "to_crs") else v for k, v in base.items()}
    notes = {lang: "".join(t.get_text() for t in _sheet(lyr, lang).texts) for lang in ("zh", "en")}
    assert "CGCS20003度带高斯-克吕格投影，中央经线108°E" in re.sub(r"\s", "", notes["zh"])
    assert "Gauss" not in notes["zh"] and "degree" not in notes["zh"]
    assert "Gauss-Kruger CM 108E" in notes["en"].replace("\n", " ")
    utm = "".join(t.get_text() for t in _sheet(base, "zh").texts)
    assert "EPSG:32648" in utm and "UTM" not in utm


def _legend(fig) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.get_text() for t in fig.legends[0].get_texts()]


def test_the_legend_lists_only_what_the_map_shows(base):
    lyr = {k: (v.copy() if hasattr(v, "copy") else v) for k, v in base.items()}
    hh = lyr["households"]
    hh["unit_id"] = hh["unit_id"].fillna("U001")
    hh["unit_status"] = "ok"
    lyr["units"]["status"] = "ok"
    legend = _legend(_sheet(lyr))
    assert "未分配" not in legend and "例外" not in legend and "农户" in legend
    hh.loc[hh.index[0], "unit_id"] = None
    assert "未分配" in _legend(_sheet(lyr))
    assert "例外" in _legend(_sheet(base))


def test_the_north_label_has_a_background(base):
    ax = _sheet(base).axes[0]
    north = [t for t in ax.texts if t.get_text() == "北"][0]
    assert north.get_bbox_patch() is not None and north.get_bbox_patch().get_facecolor()[:3] == (1.0, 1.0, 1.0)


# ------------------------------------------------------------------------------------------- per-unit sheets


def _dense_unit(base: dict) -> dict:
    """U001's households squeezed into a 30 m square: too dense for a number beside each dot."""
    lyr = {k: (v.copy() if hasattr(v, "copy") else v) for k, v in base.items()}
    hh = lyr["households"]
    m = _is(hh, "U001")
    c = hh.geometry[m].union_all().centroid
    rng = np.random.default_rng(0)
    xy = np.c_[c.x + rng.uniform(-15, 15, m.sum()), c.y + rng.uniform(-15, 15, m.sum())]
    hh.loc[m, "geometry"] = gpd.points_from_xy(xy[:, 0], xy[:, 1], crs=hh.crs)
    return lyr


def _unit_pages(lyr: dict, unit: str, lang: str = "zh"):  # type: ignore[no-untyped-def]
    with rc_context(static.font_rc()):
        return static_units._pages(_check_layers(lyr), unit, lang, 80)


def test_household_numbers_never_cover_a_dot_and_the_left_out_are_named(base):
    lyr = _dense_unit(base)
    fig = _unit_pages(lyr, "U001")[0]
    ax = fig.axes[0]
    r = static._renderer(fig)
    hh = lyr["households"]
    dots = ax.transData.transform(np.c_[hh.geometry.x, hh.geometry.y])
    nums = [t for t in ax.texts if t.get_text().isdigit()]
    boxes = [t.get_window_extent(r) for t in nums]
    for t, b in zip(nums, boxes, strict=True):
        inside = (dots[:, 0] > b.x0) & (dots[:, 0] < b.x1) & (dots[:, 1] > b.y0) & (dots[:, 1] < b.y1)
        assert not inside.any(), t.get_text()
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)
    shown = {int(t.get_text()) for t in nums}
    assert len(shown) < 25  # too dense for all
    note = [t.get_text() for t in fig.texts if "图上未标序号" in t.get_text()]
    assert note and str(min(set(range(1, 26)) - shown)) in note[0]


def test_a_long_household_id_stays_in_its_column(base):
    lyr = {k: (v.copy() if hasattr(v, "copy") else v) for k, v in base.items()}
    hh = lyr["households"]
    long_id = '=HYPERLINK("http://example.org/a/long/path","y")'
    lyr["households"] = hh.rename(index={hh.index[_is(hh, "U001")][0]: long_id})
    for unit, rows in (("U001", 25), ("U001", 60)):
        if rows == 60:  # two blocks side by side: less room
            extra = lyr["households"][_is(lyr["households"], "U002")].copy()
            extra.index = [f"x{i}" for i in range(len(extra))]
            extra["unit_id"] = "U001"
            lyr["households"] = pd.concat([lyr["households"], extra, extra.rename(index=lambda s: "y" + s)])
        fig = _unit_pages(lyr, unit)[0]
        r = static._renderer(fig)
        heads = {t.get_text(): t for t in fig.texts}
        cols = [t for t in fig.texts if t.get_text() in ("户编号", "村民小组")]
        assert len(cols) >= 2
        ids = [t for t in fig.texts if "HYPERLINK" in t.get_text() and "\n" in t.get_text()]
        assert ids, unit
        group_x = min(t.get_window_extent(r).x0 for t in fig.texts if t.get_text() == "村民小组")
        assert ids[0].get_window_extent(r).x1 < group_x
        assert heads  # the page was drawn


def test_each_unit_sheet_names_its_own_village_and_group(base):
    lyr = {k: (v.copy() if hasattr(v, "copy") else v) for k, v in base.items()}
    hh = lyr["households"]
    hh["village"] = np.where(_is(hh, "U001"), "V001", "V002")
    for unit, village in (("U001", "V001"), ("U002", "V002")):
        group = str(hh.loc[_is(hh, unit), "group"].iloc[0])
        sub = [t.get_text() for p in _unit_pages(lyr, unit) for t in p.texts if t.get_text().startswith("村：")]
        assert sub and all(s.startswith(f"村：{village}  ·  村民小组：{group}") for s in sub), sub


def test_same_sheets_same_bytes(base):
    lyr, _ = _with_tiny_unit(base)
    a = static.render_print_map(lyr, fmt="png", dpi=60)
    assert a == static.render_print_map(lyr, fmt="png", dpi=60)
    assert shapely.is_valid(lyr["units"].geometry).all()
