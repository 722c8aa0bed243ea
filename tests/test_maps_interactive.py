"""Interactive offline maps: content of the saved HTML, colouring, privacy, errors (no browser)."""

from __future__ import annotations

import json
import re
import sys
import types

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import example, given, settings
from hypothesis import strategies as st

from yuanluo.gis.errors import CRSError, InputError, OutputError
from yuanluo.maps import offline
from yuanluo.maps.hillshade import DemImage, hillshade, web_hillshade
from yuanluo.maps.interactive import CANONICAL_FIELDS, _simplify_units, make_map, render_html, save_map
from yuanluo.maps.sample import sample_layers
from yuanluo.maps.style import colour_units, is_personal


@pytest.fixture(scope="module")
def layers() -> dict:
    return sample_layers(400, block=5, seed=3)


def _has(html: str, text: str) -> bool:
    """Text in the page, literally or JSON-escaped (folium escapes non-ASCII in its scripts)."""
    return text in html or json.dumps(text)[1:-1] in html


def _payload(html: str) -> dict:
    """The households data object embedded in the page."""
    m = re.search(r"var D = (\{.*?\});\n", html)
    assert m, "households payload not found"
    return json.loads(m.group(1))


def test_saved_html_is_self_contained(layers, tmp_path):
    path = save_map(layers, tmp_path / "map.html")
    html = path.read_text(encoding="utf-8")
    assert offline.external_references(html) == []
    assert "<script src=" not in html and "<link rel=\"stylesheet\" href=" not in html
    for cdn in ("cdn.jsdelivr", "cdnjs", "code.jquery", "bootstrapcdn", "font-awesome", "d3.min.js"):
        assert cdn not in html
    assert 'L.version="1.9.4"' in html.replace("t.version", "L.version")  # Leaflet inlined
    assert "url(images/" not in html  # CSS images became data URIs
    assert "内部工作用图" in html and "院落划分图" in html


def test_external_references_detects_leftovers():
    html = ('<script src="https://cdn.example/a.js"></script><link rel="stylesheet" href="//x.org/b.css">'
            '<style>.a{background:url(http://x.org/i.png)}</style><a href="https://osm.org">OSM</a>')
    assert offline.external_references(html) == ["//x.org/b.css", "http://x.org/i.png", "https://cdn.example/a.js"]


def test_households_payload(layers, tmp_path):
    html = render_html(make_map(layers, fields=["persons"]))
    d = _payload(html)
    hh = layers["households"]
    assert d["hid"] == list(hh.index)  # ids kept as strings, leading zeros included
    assert d["hid"][0] == "000001"
    assert len(d["dlat"]) == len(d["dlon"]) == len(hh)
    assert d["q"] == pytest.approx(1e-6)  # 6 decimals for a small plan (about 0.1 m)
    assert all(isinstance(v, int) for v in d["dlat"][:50])
    # unassigned and exception households carry their status code
    st = np.asarray(d["st"])
    assert (st == 2).sum() == hh["unit_id"].isna().sum()
    assert (st == 1).sum() == (hh["unit_status"] == "exception").sum()
    # coordinates are WGS 84 lat/lon of the projected input
    lonlat = hh.to_crs(4326).geometry
    lat = d["lat0"] + np.asarray(d["dlat"]) * d["q"]
    lon = d["lon0"] + np.asarray(d["dlon"]) * d["q"]
    assert np.allclose(lat, lonlat.y.to_numpy(), atol=1e-6)
    assert np.allclose(lon, lonlat.x.to_numpy(), atol=1e-6)
    # fields are dictionary-encoded: sorted distinct values, one code per household
    k = d["fields"].index("persons")
    decoded = [d["extra"][k]["v"][c] for c in d["extra"][k]["c"]]
    assert decoded == hh["persons"].tolist()


def test_large_plan_uses_five_decimals():
    from yuanluo.maps.interactive import _decimals

    assert _decimals(1_000) == 6 and _decimals(100_000) == 5


def test_adjacent_units_never_share_a_colour(layers):
    d = _payload(render_html(make_map(layers)))
    colour = dict(zip(d["units"], d["colours"], strict=True))
    adj = layers["unit_adjacency"]
    assert len(adj) > 0
    for a, b in zip(adj["unit_a"], adj["unit_b"], strict=True):
        assert colour[a] != colour[b], (a, b)


@settings(deadline=None, max_examples=40)
@given(st.lists(st.tuples(st.integers(0, 25), st.integers(0, 25)), max_size=80))
def test_colour_units_is_proper_and_deterministic(edges):
    units = [f"U{i:02d}" for i in range(26)]
    pairs = [(f"U{a:02d}", f"U{b:02d}") for a, b in edges]
    col = colour_units(units, pairs)
    assert set(col) == set(units)
    for a, b in pairs:
        if a != b:
            assert col[a] != col[b]
    assert colour_units(list(reversed(units)), list(reversed(pairs))) == col


def test_personal_fields_excluded_by_default(layers):
    assert is_personal("户主姓名")
    html = render_html(make_map(layers))
    assert not _has(html, "户主姓名") and not _has(html, "张1")
    # include_personal alone asks for no column; it only lets personal columns among `fields` through
    assert not _has(render_html(make_map(layers, include_personal=True)), "张1")
    assert not _has(render_html(make_map(layers, fields=["户主姓名"])), "张1")
    html_p = render_html(make_map(layers, include_personal=True, fields=["户主姓名"]))
    assert _has(html_p, "户主姓名") and _has(html_p, "张1")
    assert "户主姓名" in _payload(html_p)["fields"]


def test_only_requested_columns_reach_the_page(layers):
    """A household column nobody asked for never reaches the HTML, whatever the plan's size."""
    hh = layers["households"].copy()
    hh["屋顶"] = [f"秘密备注{i:04d}" for i in range(len(hh))]  # not personal: only the allow-list keeps it out
    lyr = {**layers, "households": hh}
    html = render_html(make_map(lyr))
    assert not _has(html, "秘密备注0007") and not _has(html, "屋顶")
    canonical = _payload(html)["fields"]
    assert set(canonical) <= set(CANONICAL_FIELDS)  # the card's own, never personal
    html_f = render_html(make_map(lyr, fields=["屋顶"]))
    assert _has(html_f, "秘密备注0007") and _payload(html_f)["fields"] == [*canonical, "屋顶"]


def test_inputs_not_modified(layers):
    before = {k: v.copy() for k, v in layers.items()}
    make_map(layers, hillshade=None)
    for k, v in layers.items():
        pd.testing.assert_frame_equal(pd.DataFrame(v), pd.DataFrame(before[k]))
        if isinstance(v, gpd.GeoDataFrame):
            assert v.crs == before[k].crs


def test_english_labels(layers):
    html = render_html(make_map(layers, lang="en", title="Test village"))
    assert "Unit territories" in html and "Household id" in html and "Test village" in html
    assert not _has(html, "院落范围")


def _card(html: str) -> dict:
    m = re.search(r"var R = (\{.*?\});\n", html)
    assert m, "card data not found"
    return json.loads(m.group(1))


def test_cards_carry_the_rule_band_and_unit_details(layers):
    html = render_html(make_map(layers))
    card = _card(html)
    assert card["band"] == [20, 50] and card["by"] == "households"  # read from the run table
    assert card["sizeText"]["ok"] == "{n} 户 / 规定 {lo}–{hi} 户\u00a0✓"
    assert card["lab"]["card.walk_here"] == "本户步行到议事点"
    units = layers["units"].set_index("unit_id")
    k = card["units"].index("U001")
    meet = card["f"]["meet"]
    assert (meet[k] if isinstance(meet, list) else meet["v"][_ints(meet["c"])[k]]) == units.loc["U001", "meeting_hid"]
    bad = {card["units"][i] for i in card["bad"]}  # a declared exception breaks no rule: listed apart, with its code
    assert bad == set(units.index[~units["status"].isin(["ok", "exception"])])
    assert {card["units"][i] for i, _ in card["exc"]} == set(units.index[units["status"] == "exception"])
    assert 'lang="zh-CN"' in html and 'lang="en"' in render_html(make_map(layers, lang="en"))


def _meet(card: dict) -> list[str]:
    meet = card["f"]["meet"]
    return meet if isinstance(meet, list) else [meet["v"][c] for c in _ints(meet["c"])]


def test_cards_name_the_meeting_point_drawn_when_units_have_no_meeting_hid(layers):
    """A check's map hands the page units without ``meeting_hid`` but draws the meeting points walked to: the
    household and unit cards name each unit's drawn point (not "—" beside a drawn dot); a unit's own
    ``meeting_hid`` still wins, and a unit without a point stays empty."""
    lyr = dict(layers)
    lyr["units"] = layers["units"].drop(columns="meeting_hid")
    mp = layers["meeting_points"]
    card = _card(render_html(make_map(lyr)))
    meet = dict(zip(card["units"], _meet(card), strict=True))
    want = dict(zip(mp["unit_id"].astype(str), mp["hid"].astype(str), strict=True))
    assert want and {u: meet[u] for u in want} == want
    assert all(meet[u] == "" for u in set(meet) - set(want))
    lyr["meeting_points"] = mp[mp["unit_id"] != "U001"]
    card = _card(render_html(make_map(lyr)))
    assert dict(zip(card["units"], _meet(card), strict=True))["U001"] == ""
    lyr = dict(layers)  # the units' own meeting_hid is read first
    lyr["meeting_points"] = mp.assign(hid="X")
    card = _card(render_html(make_map(lyr)))
    units = layers["units"].set_index("unit_id")
    assert dict(zip(card["units"], _meet(card), strict=True))["U001"] == units.loc["U001", "meeting_hid"]


def test_a_notice_does_not_list_its_unit_among_those_that_break_the_rule(layers):
    """A check's warning that is only a notice (PLAN-LONG-JOIN: a join within its limit) shows on its unit's card
    but does not put the unit among "the units that break the rule"; an error does; an exception (SIZE-EXCEPTION)
    is listed among the exceptions, with its code, not among the units that break the rule."""
    units = layers["units"]
    ok = units.loc[units["status"] == "ok", "unit_id"].astype(str).tolist()[:3]
    lyr = dict(layers)
    lyr["violations"] = pd.DataFrame({
        "code": ["PLAN-LONG-JOIN", "SIZE-LOW", "SIZE-EXCEPTION"], "unit_id": ok,
        "severity": ["warning", "error", "warning"], "message": ["走得较远", "户数不足", "孤岛"]})
    card = _card(render_html(make_map(lyr)))
    bad = {card["units"][i] for i in card["bad"]}
    assert ok[0] not in bad and ok[1] in bad and ok[2] not in bad
    assert bad == set(units.loc[~units["status"].isin(["ok", "exception"]), "unit_id"].astype(str)) | {ok[1]}
    assert {card["units"][i]: c for i, c in card["exc"]}[ok[2]] == "SIZE-EXCEPTION"


def test_save_refuses_to_overwrite(layers, tmp_path):
    target = tmp_path / "m.html"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(OutputError) as err:
        save_map(layers, target)
    assert err.value.code == "OUT-EXISTS" and "overwrite" in err.value.render("en")
    assert target.read_text(encoding="utf-8") == "old"
    save_map(layers, target, overwrite=True)
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.html"]  # no temporary file left


def test_geographic_crs_is_refused(layers):
    bad = dict(layers)
    bad["households"] = layers["households"].to_crs(4326)
    with pytest.raises(CRSError) as err:
        make_map(bad)
    assert err.value.code == "CRS-PROJECTED"


def test_nothing_to_draw_and_wrong_types():
    with pytest.raises(InputError) as err:
        make_map({})
    assert err.value.code == "MAP-NO-LAYERS"
    with pytest.raises(InputError) as err2:
        make_map({"households": pd.DataFrame({"a": [1]})})
    assert err2.value.code == "MAP-LAYER"


def test_basemaps_are_opt_in(layers):
    assert "tile.openstreetmap.org" not in render_html(make_map(layers))
    html = render_html(make_map(layers, basemap="osm"))
    assert "tile.openstreetmap.org" in html and "OpenStreetMap" in html
    with pytest.raises(InputError) as err:
        make_map(layers, basemap="tianditu")
    assert err.value.code == "MAP-BASEMAP-KEY"
    assert "tk=KEY123" in render_html(make_map(layers, basemap="tianditu", tianditu_key="KEY123"))
    with pytest.raises(InputError):
        make_map(layers, basemap="google")


def test_amap_shifts_drawn_data_only(layers, monkeypatch):
    fake = types.ModuleType("yuanluo.gis.chinacoords")
    fake.wgs84_to_gcj02 = lambda lon, lat: (np.asarray(lon) + 0.005, np.asarray(lat) - 0.002)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "yuanluo.gis.chinacoords", fake)
    plain = _payload(render_html(make_map(layers)))
    shifted = _payload(render_html(make_map(layers, basemap="amap")))

    def first(d: dict) -> tuple[float, float]:
        return d["lat0"] + d["dlat"][0] * d["q"], d["lon0"] + d["dlon"][0] * d["q"]

    assert first(shifted)[0] == pytest.approx(first(plain)[0] - 0.002, abs=2e-6)
    assert first(shifted)[1] == pytest.approx(first(plain)[1] + 0.005, abs=2e-6)
    assert layers["households"].crs.to_epsg() == 32648  # input untouched


def test_hillshade_values():
    # plane rising to the east: slopes face west; light from the north-west shades them brighter
    x = np.tile(np.arange(6.0), (6, 1))
    west_facing = hillshade(x * 10, cellsize=10)
    east_facing = hillshade(-x * 10, cellsize=10)
    flat = hillshade(np.zeros((4, 4)))
    assert np.allclose(flat, np.cos(np.radians(45)))
    assert west_facing.mean() > flat.mean() > east_facing.mean()
    # 45 deg slope facing exactly away from the sun (south-east) at 45 deg altitude: no light
    xx, yy = np.meshgrid(np.arange(5.0), np.arange(5.0))
    se = (-xx - yy) / np.sqrt(2)  # falls to the east and to the south (rows grow southwards)
    assert hillshade(se, cellsize=1.0)[2, 2] == pytest.approx(0.0, abs=1e-9)


def test_hillshade_overlay(layers):
    b = layers["households"].total_bounds
    yy, xx = np.mgrid[0:60, 0:80]
    dem = np.sin(xx / 8.0) * 30 + yy
    dem[0, 0] = np.nan
    rgba, bounds = web_hillshade((dem, (b[0], b[1], b[2], b[3]), "EPSG:32648"), max_pixels=100)
    assert rgba.dtype == np.uint8 and rgba.shape[2] == 4 and max(rgba.shape[:2]) <= 100
    assert bounds[0][0] < bounds[1][0] and bounds[0][1] < bounds[1][1]
    html = render_html(make_map(layers, hillshade=DemImage.coerce((dem, tuple(b), "EPSG:32648"))))
    assert "data:image/png;base64," in html and _has(html, "地形晕渲")
    # smoothed, not drawn as hard squares of DEM cells when zoomed in (folium's default made it blocky at zoom 18)
    assert "pixelated" not in html and "crisp-edges" not in html
    with pytest.raises(InputError):
        DemImage.coerce((np.full((3, 3), np.nan), tuple(b), "EPSG:32648"))


def test_coverage_simplification_keeps_shared_borders():
    big = sample_layers(900, block=6, seed=5)["units"]
    simp = _simplify_units(big, 50_000)  # the large-plan tolerance
    assert bool(shapely.coverage_is_valid(simp.geometry.values))
    assert shapely.get_num_coordinates(simp.geometry.values).sum() < shapely.get_num_coordinates(
        big.geometry.values).sum()
    assert abs(simp.area.sum() - big.area.sum()) / big.area.sum() < 0.01


def test_same_input_same_html(layers):
    a = render_html(make_map(layers))
    b = render_html(make_map(layers))
    strip = re.compile(r"_[0-9a-f]{32}")
    assert strip.sub("_", a) == strip.sub("_", b)


def test_hillshade_accepts_terrain_like_objects():
    from types import SimpleNamespace

    from rasterio.transform import from_origin

    t = SimpleNamespace(elevation=np.arange(20.0).reshape(4, 5), transform=from_origin(600_000, 3_300_400, 30, 30),
                        crs="EPSG:32648")
    d = DemImage.coerce(t)
    assert d.bounds == (600_000.0, 3_300_280.0, 600_150.0, 3_300_400.0)


# ---------------------------------------------------------------------------------------------- compact data
def _ints(x):
    """Python mirror of the page's Y.ints decoder."""
    if isinstance(x, list):
        return x
    src = x.get("r") or x.get("zr")
    out = [v for k in range(0, len(src), 2) for v in [src[k]] * src[k + 1]] if src is not None else list(x["z"])
    return np.cumsum(out).tolist() if ("z" in x or "zr" in x) else out


@settings(deadline=None, max_examples=60)
@given(st.lists(st.integers(-50_000, 50_000), max_size=60), st.booleans())
@example([0, 10000, 10000, 0, -1000, -1000, -100, -100], False)
def test_compact_ints_round_trip(values, runs):
    from yuanluo.maps.interactive import _compact_ints

    a = sorted(values) if runs else values
    enc = _compact_ints(a, True)
    assert _ints(enc) == list(a)
    # measured as the page writes its data (maps.offline: no spaces after separators)
    assert len(json.dumps(enc, separators=(",", ":"))) <= len(json.dumps(list(a), separators=(",", ":")))


def test_compact_ids_keep_leading_zeros():
    from yuanluo.maps.interactive import _compact_ids

    ids = [f"HH{i:06d}" for i in range(1, 500)] + ["HH000007"]
    enc = _compact_ids(ids, True)
    assert enc["p"] == "HH" and enc["w"] == 6
    assert [enc["p"] + str(v).zfill(enc["w"]) for v in _ints(enc["n"])] == ids
    assert _compact_ids(["a1", "a01"], True) == ["a1", "a01"]  # widths differ: plain list
    assert _compact_ids(ids, False) == ids


def _unpack(p):
    """Python mirror of the page's Y.unpack: nested lists of (lat, lon)."""
    d = np.asarray(p["d"], dtype=np.int64).reshape(-1, 2).cumsum(axis=0)
    pts = [(p["lat0"] + y * p["q"], p["lon0"] + x * p["q"]) for y, x in d.tolist()]
    items, k = [], 0
    for n in _ints(p["n"][0]):
        items.append(pts[k:k + n])
        k += n
    for level in p["n"][1:]:
        out, s = [], 0
        for n in _ints(level):
            out.append(items[s:s + n])
            s += n
        items = out
    return items


def test_pack_keeps_rings_parts_and_shared_vertices():
    """Two squares sharing an edge, one with a hole, one a multipolygon:

        +---+---+
        | o |   |  +-+
        +---+---+  +-+
    """
    from shapely.geometry import MultiPolygon, Polygon, box

    from yuanluo.maps.interactive import _pack

    a = Polygon([(0, 0), (1, 0), (1, 1), (0, 1)], [[(0.4, 0.4), (0.6, 0.4), (0.6, 0.6), (0.4, 0.6)]])
    b = MultiPolygon([box(1, 0, 2, 1), box(3, 0, 3.5, 0.5)])
    geoms = gpd.GeoSeries([a, b]).scale(0.001, 0.001, origin=(0, 0)).translate(106.0, 29.0)
    p = _pack(geoms.values, 6, 3)
    got = _unpack(p)
    assert [len(g) for g in got] == [1, 2]  # parts per geometry
    assert [len(part) for part in got[0]] == [2]  # outer ring and hole
    for geom, parts in zip(geoms.values, got, strict=True):
        polys = [geom] if geom.geom_type == "Polygon" else list(geom.geoms)
        for poly, rings in zip(polys, parts, strict=True):
            for ring, dec in zip([poly.exterior, *poly.interiors], rings, strict=True):
                xy = np.asarray(ring.coords)
                assert np.allclose(np.asarray(dec)[:, ::-1], xy, atol=1e-6)
    shared_a = {v for v in got[0][0][0]}
    shared_b = {v for v in got[1][0][0]}
    assert len(shared_a & shared_b) == 2  # the shared edge's end points decode to identical numbers


def test_boundary_outlines_draw_shared_borders_once():
    """Two groups side by side: 3 vertical edges + 4 horizontal halves = 7 km of outline, not 8."""
    from shapely.geometry import box

    from yuanluo.maps.interactive import _context_data

    groups = gpd.GeoDataFrame(geometry=[box(500_000, 3_300_000, 501_000, 3_301_000),
                                        box(501_000, 3_300_000, 502_000, 3_301_000)], crs="EPSG:32648")
    data = _context_data(groups, "boundary", 5.0, 6, None)
    assert data["polygons"]["d"] == []
    lines = [shapely.LineString([(lon, lat) for lat, lon in line]) for line in _unpack(data["lines"])]
    metric = gpd.GeoSeries(lines, crs=4326).to_crs(32648)
    assert metric.length.sum() == pytest.approx(7000, rel=1e-3)


def test_context_lines_simplified_with_extent():
    from shapely.geometry import LineString

    from yuanluo.maps.interactive import _context_data, _context_tolerance

    xs = np.linspace(500_000, 540_000, 4001)
    wiggly = LineString(np.column_stack([xs, 3_300_000 + np.where(np.arange(4001) % 2, 2.0, -2.0)]))
    roads = gpd.GeoDataFrame(geometry=[wiggly], crs="EPSG:32648")
    tol = _context_tolerance(np.array([500_000, 3_290_000, 540_000, 3_310_000]))
    assert tol == pytest.approx(10.0)
    packed = _context_data(roads, "roads", tol, 5, None)["lines"]
    assert sum(packed["n"][0]) < 20  # 4 m wiggles vanish at 10 m tolerance; ends kept
    assert len(packed["d"]) == 2 * sum(packed["n"][0])


def test_exceptions_flagged_in_units_not_copied(layers):
    html = render_html(make_map(layers))
    unit_data = json.loads(re.search(r"var U = (\{.*?\});\n", html).group(1))
    bad = _ints(unit_data["bad"])
    units = layers["units"]
    status = dict(zip(units["unit_id"].astype(str), units["status"].astype(str), strict=True))
    ids = unit_data["ids"]
    assert [bool(b) for b in bad] == [status[u] != "ok" for u in ids]
    assert any(bad)
    # no second layer of exception outlines in the layer control (the legend still explains the style)
    assert not re.search(r'"(例外与违规|\\u4f8b\\u5916\\u4e0e\\u8fdd\\u89c4)" : ', html)


def test_large_plan_payload_is_compact(monkeypatch):
    import yuanluo.maps.interactive as mi

    big = sample_layers(900, block=6, seed=5)
    monkeypatch.setattr(mi, "COMPACT_LIMIT", 100)
    d = _payload(render_html(make_map(big)))
    hh = big["households"]
    assert isinstance(d["hid"], dict)  # prefix + numbers
    assert [d["hid"]["p"] + str(v).zfill(d["hid"]["w"]) for v in _ints(d["hid"]["n"])] == list(hh.index)
    lat = d["lat0"] + np.asarray(_ints(d["dlat"])) * d["q"]
    assert np.allclose(lat, hh.to_crs(4326).geometry.y.to_numpy(), atol=1e-5)
    assert set(d["fields"]) <= set(CANONICAL_FIELDS)
    assert 8 < d["zmin"] < 19  # zoom where neighbours are ~1.5 px apart


def test_overwrite_refusals_name_the_file_in_both_languages(layers, tmp_path):
    """A map's own OUT-EXISTS names the file it refuses (its message had shown a bare {targets})."""
    from yuanluo.maps.coverage import save_cover_map

    target = tmp_path / "m.html"
    target.write_text("old", encoding="utf-8")
    for save in (save_map, save_cover_map):
        with pytest.raises(OutputError) as err:
            save(layers, target)
        for lang in ("zh", "en"):
            text = err.value.render(lang)
            assert str(target) in text and "{" not in text
