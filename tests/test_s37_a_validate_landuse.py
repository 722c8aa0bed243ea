"""``yuanluo validate`` says what ``delineate`` says of the rivers, water and roads as its graph takes them.

A land survey's layer (DLBM/DLMC) given as ``--water`` that holds no water class (旱地, 林地, 宅基地) cuts no walk:
delineate said so (BARRIER-LANDUSE: 0 water polygons block walking, 16 of other classes left out) while validate
of the same inputs said nothing at all. validate now runs the preparation delineate's graph runs
(gis.barriers.prepare_barriers) and says its findings, in zh and en.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely import box
from shared_fixtures import flat, run_cli

from yuanluo.gis.synth import make_village

CLASSES = [("0103", "旱地"), ("0301", "乔木林地"), ("0702", "农村宅基地")]


def _village(tmp_path: Path, water_class: tuple[str, str] | None = None) -> tuple[Path, Path]:
    """``households.gpkg`` of the synthetic village (60 households, seed 3) and ``landuse.gpkg``: a 4×4 grid of
    land-use polygons over it, of the classes ``CLASSES`` only, and a pond of ``water_class`` (20 m square, in its
    corner, away from the households) where given."""
    v = make_village(60, seed=3)
    v.write(tmp_path)
    x0, y0, x1, y1 = v.households.total_bounds
    w, h = (x1 - x0 + 200) / 4, (y1 - y0 + 200) / 4
    cells = [(i, j) for i in range(4) for j in range(4)]
    classes = [CLASSES[(i + j) % 3] for i, j in cells]
    shapes = [box(x0 - 100 + i * w, y0 - 100 + j * h, x0 - 100 + (i + 1) * w, y0 - 100 + (j + 1) * h)
              for i, j in cells]
    if water_class is not None:
        classes.append(water_class)
        shapes.append(box(x0 - 90, y0 - 90, x0 - 70, y0 - 70))
    lu = gpd.GeoDataFrame({"DLBM": [c[0] for c in classes], "DLMC": [c[1] for c in classes]}, geometry=shapes,
                          crs=v.crs)
    lu.to_file(tmp_path / "landuse.gpkg", layer="dltb", driver="GPKG")
    return tmp_path / "households.gpkg", tmp_path / "landuse.gpkg"


def _delineate_says(hh: Path, **layers: Path) -> list:
    """The findings of delineate's graph (planners.workflows.build_graph, as delineate builds it) on the inputs."""
    from yuanluo.planners.workflows import build_graph, load_inputs

    inputs = load_inputs(hh, **layers, max_edge_walk=10.0)
    before = len(inputs.warnings)
    build_graph(inputs)
    return inputs.warnings[before:]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_validate_says_landuse_without_water(tmp_path: Path, lang: str) -> None:
    hh, lu = _village(tmp_path)
    said = [p for p in _delineate_says(hh, water=lu) if p.code == "BARRIER-LANDUSE"]
    assert len(said) == 1 and said[0].params["used"] == 0 and said[0].params["other"] == 16
    out = run_cli(["validate", str(hh), "--water", str(lu)], lang)
    assert "BARRIER-LANDUSE" in out
    assert flat(said[0].message(lang)) in flat(out)  # the same words, fix and all
    assert ("0 个水面图斑阻隔步行" if lang == "zh" else "0 water polygons block walking") in out
    assert ("旱地 ×6" in out) and (("未使用" in out) if lang == "zh" else ("left out" in out))


def test_validate_says_landuse_with_water(tmp_path: Path) -> None:
    """A survey layer with a pond: the same report, of the one polygon that cuts."""
    hh, lu = _village(tmp_path, ("1104", "坑塘水面"))
    out = run_cli(["validate", str(hh), "--water", str(lu)], "en")
    assert "BARRIER-LANDUSE" in out and "1waterpolygonblockswalking(坑塘水面×1)" in flat(out), out


def test_validate_quiet_about_plain_rivers(tmp_path: Path) -> None:
    """A control: the village's own rivers (OSM waterway classes) draw no finding from delineate, nor from
    validate."""
    hh, _ = _village(tmp_path)
    assert _delineate_says(hh, rivers=tmp_path / "context.gpkg::rivers") == []
    out = run_cli(["validate", str(hh), "--rivers", f"{tmp_path / 'context.gpkg'}::rivers"], "en")
    assert "BARRIER" not in out and "Warning" not in out, out
