"""Audit s29 I §1: households whose lon/lat came from a phone map app (GCJ-02, ~500 m off; or Baidu's BD-09)
declared as CGCS2000 / WGS-84 were caught (COORD-GCJ-SUSPECT) only against a --boundary: with the usual --rivers
and --roads, delineate drew a plan half a kilometre off its rivers without a word. Now the households are tested
against the roads and water given (COORD-GCJ-CONTEXT), and the other way round a context layer in GCJ-02 with
the households right is told apart (LAYER-GCJ-SUSPECT). Correct villages, the sample and real data raise neither."""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from paths import ANDORRA_GPKG
from typer.testing import CliRunner

from yuanluo.gis import chinacoords as cc
from yuanluo.gis.errors import InputError
from yuanluo.gis.synth import make_village
from yuanluo.gis.validate import check_offset_against_layers
from yuanluo.planners import workflows as W
from yuanluo.planners.cli import app

runner = CliRunner()
ANDORRA = ANDORRA_GPKG


def _flat(s: str) -> str:
    return " ".join(s.split())


def _csv(path: Path, ids: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> Path:
    pd.DataFrame({"户编号": ids, "经度": np.round(lon, 7), "纬度": np.round(lat, 7), "人口": 3}).to_csv(
        path, index=False, encoding="utf-8")
    return path


def _shifted_layers(src: Path, dst: Path, layers: tuple[str, ...], move: object) -> None:
    for i, name in enumerate(layers):
        g = gpd.read_file(src, layer=name).to_crs(4490)
        g["geometry"] = shapely.transform(g.geometry.to_numpy(),
                                          lambda a: np.column_stack(move(a[:, 0], a[:, 1])))  # type: ignore[operator]
        g.to_file(dst, layer=name, mode="w" if i == 0 else "a")


def _village(root: Path, seed: int, n: int = 200) -> dict[str, Path]:
    """A synthetic village (EPSG:4545) and its households as CGCS2000 lon/lat: as they are, as picked on AMap
    (GCJ-02) and on Baidu maps (BD-09); and its rivers and roads shifted to GCJ-02 (``ctx_gcj.gpkg``)."""
    d = root / f"v{seed}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        make_village(n, seed=seed).write(d)
        h = gpd.read_file(d / "households.gpkg").to_crs(4490)
    ids = h["hid"].astype(str).to_numpy()
    lon, lat = h.geometry.x.to_numpy(), h.geometry.y.to_numpy()
    _shifted_layers(d / "context.gpkg", d / "ctx_gcj.gpkg", ("rivers", "roads"), cc.wgs84_to_gcj02)
    return {"dir": d, "gpkg": d / "households.gpkg", "ok": _csv(d / "ok.csv", ids, lon, lat),
            "gcj": _csv(d / "gcj.csv", ids, *cc.wgs84_to_gcj02(lon, lat)),
            "bd": _csv(d / "bd.csv", ids, *cc.wgs84_to_bd09(lon, lat))}


@pytest.fixture(scope="module")
def villages(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Path]]:
    root = tmp_path_factory.mktemp("gcj")
    return [_village(root, s) for s in (0, 1, 2, 3)]


GCJ = ("COORD-GCJ-CONTEXT", "LAYER-GCJ-SUSPECT")
#: a console wide enough that the warnings' table does not break a path or a phrase
WIDE = {"COLUMNS": "400"}


def _codes(households: Path | str, **kw: object) -> list[str]:
    """The errors reading the inputs, else the offset warnings (found by the roads: a warning since session 29's
    audit M, as a sparse road layer can mislead)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            inputs = W.load_inputs(households, **kw)
    except InputError as exc:
        return [f"{p.code}/{p.params.get('kind', '')}" for p in exc.problems]
    return [f"{p.code}/{p.params.get('kind', '')}" for p in inputs.warnings if p.code in GCJ]


def _context(v: dict[str, Path], name: str = "context.gpkg") -> dict[str, str]:
    return {"rivers": f"{v['dir'] / name}::rivers", "roads": f"{v['dir'] / name}::roads"}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("crs", ["EPSG:4490", "wgs84"])
def test_gcj02_households_against_rivers_and_roads_are_said_by_delineate(villages: list[dict[str, Path]],
                                                                        tmp_path: Path, crs: str, lang: str) -> None:
    """The audit's run: no boundary, --rivers and --roads given; it exited 0 with a plan cut in the wrong places and
    no word. Found by the roads it is a warning (a layer of a few main roads can pass a village at the offset's
    distance by chance: audit M), which names the layer and the --crs to use."""
    v = villages[0]
    ctx = _context(v)
    out = tmp_path / "x.gpkg"
    r = runner.invoke(app, ["--lang", lang, "delineate", str(v["gcj"]), "--crs", crs, "--rivers", ctx["rivers"],
                            "--roads", ctx["roads"], "--preset", "banan", "-o", str(out)], env=WIDE)
    said = _flat(r.output)
    assert r.exit_code == 0, r.output
    assert "COORD-GCJ-CONTEXT" in said and "GCJ-02" in said and ctx["roads"] in said, said
    assert ("--crs gcj02" in said) and (("道路图层" in said) if lang == "zh" else ("the roads layer" in said)), said
    assert out.exists()


def test_gcj02_and_bd09_households_are_told_apart_and_the_right_crs_passes(villages: list[dict[str, Path]]) -> None:
    for v in villages:
        ctx = _context(v)
        assert _codes(v["gcj"], crs="EPSG:4490", **ctx) == ["COORD-GCJ-CONTEXT/GCJ-02"]
        assert _codes(v["bd"], crs="wgs84", **ctx) == ["COORD-GCJ-CONTEXT/BD-09"]
        assert _codes(v["gcj"], crs="gcj02", **ctx) == []
        assert _codes(v["bd"], crs="bd09", **ctx) == []


def test_correct_households_raise_no_alarm(villages: list[dict[str, Path]]) -> None:
    """Declared lon/lat and the projected layer as written: neither is taken for an offset."""
    for v in villages:
        ctx = _context(v)
        assert _codes(v["ok"], crs="EPSG:4490", **ctx) == []
        assert _codes(v["ok"], crs="wgs84", roads=ctx["roads"]) == []
        assert _codes(v["gpkg"], **ctx) == []


def test_context_layers_in_gcj02_are_named_and_the_households_said_right(villages: list[dict[str, Path]],
                                                                         tmp_path: Path) -> None:
    """The reverse: the households are right, the rivers and roads were downloaded from a Chinese web map."""
    for v in villages[:3]:
        ctx = _context(v, "ctx_gcj.gpkg")
        assert _codes(v["ok"], crs="EPSG:4490", **ctx) == ["LAYER-GCJ-SUSPECT/GCJ-02"]
        assert _codes(v["gpkg"], **ctx) == ["LAYER-GCJ-SUSPECT/GCJ-02"]  # projected households: the same
    v = villages[0]
    ctx = _context(v, "ctx_gcj.gpkg")
    r = runner.invoke(app, ["--lang", "en", "delineate", str(v["ok"]), "--crs", "EPSG:4490", "--rivers",
                            ctx["rivers"], "--roads", ctx["roads"], "--preset", "banan", "-o", str(tmp_path / "y.gpkg")],
                      env=WIDE)
    said = _flat(r.output)
    assert r.exit_code == 0 and "LAYER-GCJ-SUSPECT" in said, said  # by the roads: a warning
    assert "COORD-GCJ-CONTEXT" not in said and "household coordinates look right" in said, said
    assert f"roads layer {ctx['roads']} looks like GCJ-02" in said and "convert that layer" in said, said


def test_households_in_water_only_after_the_offset() -> None:
    """A water layer alone: the GCJ-02 points stand in ponds, the corrected ones do not."""
    rng = np.random.default_rng(5)
    lon = 106.55 + rng.uniform(0, 0.01, 60)
    lat = 29.56 + rng.uniform(0, 0.01, 60)
    glon, glat = cc.wgs84_to_gcj02(lon, lat)
    # ponds of 10 m around a third of the shifted points, none of them near a true point
    g = gpd.GeoSeries(gpd.points_from_xy(glon[::3], glat[::3]), crs=4326).to_crs(4545)
    true = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs=4326).to_crs(4545)
    ponds = g.buffer(10.0)
    ponds = ponds[[not bool(true.intersects(p).any()) for p in ponds]]
    water = gpd.GeoDataFrame(geometry=ponds.to_numpy(), crs=4545)
    found = check_offset_against_layers(glon, glat, [("water", water, "w.gpkg")], file="h.csv")
    assert [(p.code, p.params["kind"]) for p in found] == [("COORD-GCJ-CONTEXT", "GCJ-02")]
    assert "stand in water" in found[0].message("en") and "水面内" in found[0].message("zh")
    assert check_offset_against_layers(lon, lat, [("water", water, "w.gpkg")]) == []


def test_the_sample_raises_no_alarm() -> None:
    p = W.sample_paths()
    assert _codes(p["households"], rivers=p["rivers"], water=p["water"], roads=p["roads"]) == []


@pytest.mark.skipif(not ANDORRA.is_file(), reason="the Andorra data is not on this machine")
def test_real_data_raise_no_alarm_in_place_and_moved_into_china(tmp_path: Path) -> None:
    """Andorra's buildings, roads and water: outside China nothing is tested; moved as a whole into Chongqing
    (real households, roads and water in China) they fit as they are, and a GCJ-02 copy of the buildings is caught."""
    b = gpd.read_file(ANDORRA, layer="building_points").to_crs(4326)
    b = b.iloc[np.random.default_rng(1).choice(len(b), 300, replace=False)]
    lon, lat = b.geometry.x.to_numpy(), b.geometry.y.to_numpy()
    ids = np.array([f"{i:04d}" for i in range(len(b))])
    layers = {"roads": "roads", "water": "water", "rivers": "waterways"}
    here = {k: f"{ANDORRA}::{v}" for k, v in layers.items()}
    assert _codes(_csv(tmp_path / "a.csv", ids, lon, lat), crs="EPSG:4326", **here) == []
    dx, dy = 106.55 - 1.55, 29.56 - 42.5
    moved = tmp_path / "moved.gpkg"
    _shifted_layers(ANDORRA, moved, tuple(layers.values()), lambda x, y: (x + dx, y + dy))
    there = {k: f"{moved}::{v}" for k, v in layers.items()}
    assert _codes(_csv(tmp_path / "c.csv", ids, lon + dx, lat + dy), crs="EPSG:4490", **there) == []
    # 300 buildings scattered over the whole country, GCJ-02: their corrected median distance to a road is above
    # NEAR_ROAD_M, so they are not taken for an offset (the thresholds: 146 villages, gis.validate.NEAR_ROAD_M)
    g = _csv(tmp_path / "g.csv", ids, *cc.wgs84_to_gcj02(lon + dx, lat + dy))
    assert _codes(g, crs="EPSG:4490", **there) in ([], ["COORD-GCJ-CONTEXT/GCJ-02"])


def test_validate_checks_against_the_layers_it_is_given(villages: list[dict[str, Path]]) -> None:
    """``yuanluo validate`` takes --dem, --rivers, --water and --roads, as delineate does, and says
    COORD-GCJ-CONTEXT of phone-map coordinates (it had no such options, so it said "no errors" of them); the same
    households declared as they are pass."""
    v = villages[0]
    ctx = _context(v)
    r = runner.invoke(app, ["validate", str(v["gcj"]), "--crs", "EPSG:4490", "--rivers", ctx["rivers"],
                            "--roads", ctx["roads"]])
    assert r.exit_code == 0 and "COORD-GCJ-CONTEXT" in _flat(r.output), r.output  # by the roads: a warning
    r = runner.invoke(app, ["validate", str(v["gcj"]), "--crs", "gcj02", "--rivers", ctx["rivers"],
                            "--roads", ctx["roads"], "--dem", str(v["dir"] / "dem.tif")])
    assert r.exit_code == 0 and "COORD-GCJ" not in r.output, r.output
