"""A --water layer of the wrong kind of shape (session 36, fixer GE).

``--water`` takes water areas as polygons (ponds, reservoirs, a land survey's 地类图斑). Before:

* a line layer given as --water (rivers given to the wrong option: the Andorra ``waterways``, the synthetic
  village's rivers) was read without a word: ``validate`` exited 0 saying nothing, ``delineate`` exited 0 and wrote
  its result with only BARRIER-EMPTY ("otherwise ignore this"), the rivers cutting nothing;
* a point layer: ``validate`` exited 0 saying nothing (``delineate`` said BARRIER-POINTS);
* polygons and lines in one --water layer: the lines were dropped without a word;
* a land survey's layer whose water features (坑塘水面, 河流水面 …) all lacked a shape, the others having one, got
  only the per-row warning LAYER-NOSHAPE-ROWS although no water was left.

Now: no polygon at all is LAYER-WATER-KIND, an error naming the file, the option, what it holds (163 lines, 36
points) and the fix by that (lines: give the file with --rivers, which takes lines as rivers and polygons as water;
points: give the water areas' polygons), before anything is written; lines among polygons are left out with the
warning LAYER-WATER-LINES naming their feature numbers (of a land survey's layer only those of a water class);
water features of a land survey's layer that all lack a shape are LAYER-NOSHAPE-WATER, an error as loud as
LAYER-NOSHAPE. --rivers given polygons was already right: they are water areas there, exactly as under --water
(checked here, not changed).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import LineString, Point, box
from typer.testing import CliRunner

from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_layer
from yuanluo.gis.synth import make_village
from yuanluo.planners.cli import app

runner = CliRunner()
ENV = {"COLUMNS": "400"}
_HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The synthetic village of 60 households, its 3 river lines written as a layer (rivers.gpkg, layer rivers)."""
    folder = tmp_path_factory.mktemp("village")
    v = make_village(60, seed=3)
    paths = v.write(folder)
    rivers = folder / "rivers.gpkg"
    v.rivers.to_file(rivers, layer="rivers")
    return {"folder": folder, "hh": paths["households"], "dem": paths["dem"], "rivers": v.rivers,
            "rivers_path": rivers, "hh_frame": v.households}


def _run(lang: str, command: str, village: dict[str, Any], *extra: str) -> Any:
    return runner.invoke(app, ["--lang", lang, command, str(village["hh"]), *extra], env=ENV)


def _flat(text: str) -> str:
    return "".join(c for c in text if not c.isspace() and c not in "│┃")


def _error_lines(output: str, code: str) -> str:
    """The message of ``code`` in a console output: its line and the indented lines below it."""
    lines = output.splitlines()
    start = next(i for i, s in enumerate(lines) if code in s)
    end = next((j for j in range(start + 1, len(lines)) if not lines[j].startswith("  ")), len(lines))
    return "\n".join(lines[start:end])


LINES_WORDS = {"zh": ("没有一个面", "只有 3 条线", "改用 --rivers 给出"),
               "en": ("holds no polygons, only 3 lines", "give this file with --rivers instead")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rivers_given_as_water_is_a_coded_error_in_validate(village: dict[str, Any], lang: str) -> None:
    res = _run(lang, "validate", village, "--water", str(village["rivers_path"]))
    assert res.exit_code == 2, res.output  # before: 0, nothing said
    msg = _error_lines(res.output, "LAYER-WATER-KIND")
    assert "rivers.gpkg" in msg and "--water" in msg and all(_flat(w) in _flat(msg) for w in LINES_WORDS[lang]), msg
    if lang == "en":  # no Chinese but the quoted layer name of a land survey
        assert _HAN.findall(msg.replace("“线状地物”", "")) == [], msg
    else:
        assert not re.search(r"\b(the|and|lines|layer|polygons)\b", msg.replace("（图层 rivers）", "")), msg


def test_delineate_over_rivers_given_as_water_writes_nothing(village: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "units.gpkg"
    res = _run("en", "delineate", village, "--dem", str(village["dem"]), "--water", str(village["rivers_path"]),
               "--preset", "banan", "-o", str(out))
    assert res.exit_code == 2, res.output  # before: 0, the result written with only BARRIER-EMPTY
    assert "LAYER-WATER-KIND" in res.output and "BARRIER-EMPTY" not in res.output
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_the_fix_it_names_makes_the_rivers_cut(village: dict[str, Any], tmp_path: Path) -> None:
    """Given with --rivers (the fix LAYER-WATER-KIND names), the same file cuts the neighbour edges across it."""
    out = tmp_path / "graph.gpkg"
    res = _run("en", "graph", village, "--rivers", str(village["rivers_path"]), "-o", str(out))
    assert res.exit_code == 0, res.output
    edges = gpd.read_file(out, layer="edges")
    assert (edges["reason"] == "river").sum() > 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_points_given_as_water_are_a_coded_error(village: dict[str, Any], tmp_path: Path, lang: str) -> None:
    wells = tmp_path / "wells.gpkg"
    village["hh_frame"].iloc[:4][["geometry"]].to_file(wells, layer="wells")
    res = _run(lang, "validate", village, "--water", str(wells))
    assert res.exit_code == 2, res.output  # before: 0, nothing said
    msg = _error_lines(res.output, "LAYER-WATER-KIND")
    words = {"zh": ("只有 4 个点", "点不能当作水面"),
             "en": ("only 4 points", "points cannot be water areas")}[lang]
    assert "::" not in msg  # a file of one layer: no other layer to name (test_s36_me_nogeom_only)
    assert "wells.gpkg" in msg and "--water" in msg and all(_flat(w) in _flat(msg) for w in words), msg
    assert "--rivers" not in msg  # points are no rivers either
    out = tmp_path / "units.gpkg"
    res = _run(lang, "delineate", village, "--water", str(wells), "--preset", "banan", "-o", str(out))
    assert res.exit_code == 2 and "LAYER-WATER-KIND" in res.output and not out.exists(), res.output


def test_from_python_the_error_names_keywords(village: dict[str, Any]) -> None:
    with pytest.raises(InputError) as ei:
        read_layer(village["rivers_path"], kind="water", working_crs="EPSG:4545")
    [q] = ei.value.problems
    assert q.code == "LAYER-WATER-KIND" and q.file == str(village["rivers_path"])
    for lang in ("zh", "en"):
        text = q.message(lang)
        assert "water=" in text and "rivers=" in text and "--" not in text, text


def _pond_and_rivers(village: dict[str, Any], folder: Path, columns: dict[str, list[str]] | None = None) -> Path:
    """A water layer of 4 features: a pond (polygon, feature 1) and the village's 3 river lines (features 2-4)."""
    hh = village["hh_frame"]
    x, y = hh.geometry.x.min(), hh.geometry.y.min()
    geoms = [box(x - 60, y - 60, x - 20, y - 20), *village["rivers"].geometry]
    f = folder / "water_mixed.gpkg"
    gpd.GeoDataFrame(columns or {"name": ["塘", "河1", "河2", "河3"]}, geometry=geoms, crs=village["rivers"].crs
                     ).to_file(f, layer="water")
    return f


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_lines_among_water_polygons_are_named_and_left_out(village: dict[str, Any], tmp_path: Path,
                                                           lang: str) -> None:
    f = _pond_and_rivers(village, tmp_path)
    res = _run(lang, "validate", village, "--water", str(f))
    assert res.exit_code == 0, res.output
    msg = _error_lines(res.output, "LAYER-WATER-LINES")
    words = {"zh": ("4 个要素中，有 3 条线不是面", "第 2、3、4 行", "改用 --rivers 给出"),
             "en": ("holds 3 lines among its 4 features", "rows 2, 3, 4", "give this file with --rivers instead")}
    assert "water_mixed.gpkg" in msg and all(_flat(w) in _flat(msg) for w in words[lang]), msg
    w = read_layer(f, kind="water", working_crs="EPSG:4545")
    assert w["name"].tolist() == ["塘"] and w.attrs["rows"] == [1]
    [q] = [q for q in w.attrs["warnings"] if q.code == "LAYER-WATER-LINES"]
    assert q.severity == "warning" and q.rows == (2, 3, 4)


def test_a_land_survey_layer_names_only_its_water_lines(village: dict[str, Any], tmp_path: Path) -> None:
    """Lines of a class that is not water (农村道路) would block nothing as rivers: left out without a word."""
    f = _pond_and_rivers(village, tmp_path, {"DLBM": ["1104", "1006", "1101", "1006"],
                                             "DLMC": ["坑塘水面", "农村道路", "河流水面", "农村道路"]})
    w = read_layer(f, kind="water", working_crs="EPSG:4545")
    assert w["DLMC"].tolist() == ["坑塘水面"]
    [q] = [q for q in w.attrs["warnings"] if q.code == "LAYER-WATER-LINES"]
    assert q.rows == (3,)
    roads_only = _pond_and_rivers(village, tmp_path, {"DLBM": ["1104", "1006", "1006", "1006"],
                                                      "DLMC": ["坑塘水面", "农村道路", "农村道路", "农村道路"]})
    w = read_layer(roads_only, kind="water", working_crs="EPSG:4545")
    assert len(w) == 1 and not [q for q in w.attrs["warnings"] if q.code == "LAYER-WATER-LINES"]


def test_polygons_given_as_rivers_cut_as_water_does(village: dict[str, Any], tmp_path: Path) -> None:
    """--rivers given water polygons (a land-use layer to the wrong option) needs nothing: the same edges are cut as
    under --water, for the same reason ("water")."""
    polys = tmp_path / "river_areas.gpkg"
    gpd.GeoDataFrame({"name": ["河1", "河2", "河3"]}, geometry=village["rivers"].buffer(12.0).to_numpy(),
                     crs=village["rivers"].crs).to_file(polys, layer="water")
    cut = {}
    for option in ("--rivers", "--water"):
        out = tmp_path / f"graph{option}.gpkg"
        res = _run("en", "graph", village, option, str(polys), "-o", str(out))
        assert res.exit_code == 0, res.output
        assert "LAYER-WATER" not in res.output and "BARRIER-EMPTY" not in res.output
        e = gpd.read_file(out, layer="edges")
        cut[option] = e.loc[e["reason"] != "", ["u", "v", "reason"]].sort_values(["u", "v"]).to_numpy().tolist()
    assert cut["--rivers"] == cut["--water"] and len(cut["--water"]) > 0
    assert {r for _, _, r in cut["--rivers"]} == {"water"}


def _survey(village: dict[str, Any], folder: Path, pond_shape: bool) -> Path:
    """A land survey's layer (DLBM/DLMC): 旱地 with a shape; 坑塘水面 (features 2) with or without; 河流水面 none."""
    hh = village["hh_frame"]
    x, y = hh.geometry.x.min(), hh.geometry.y.min()
    geoms = [box(x, y, x + 100, y + 100), box(x - 60, y - 60, x - 20, y - 20) if pond_shape else None, None]
    f = folder / ("DLTB_pond.gpkg" if pond_shape else "DLTB.gpkg")
    gpd.GeoDataFrame({"DLBM": ["0103", "1104", "1101"], "DLMC": ["旱地", "坑塘水面", "河流水面"]}, geometry=geoms,
                     crs=village["rivers"].crs).to_file(f, layer="DLTB")
    return f


@pytest.mark.parametrize("option", ["--water", "--rivers"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_land_survey_layer_whose_water_has_no_shape_is_an_error(village: dict[str, Any], tmp_path: Path,
                                                                 option: str, lang: str) -> None:
    f = _survey(village, tmp_path, pond_shape=False)
    res = _run(lang, "validate", village, option, str(f))
    assert res.exit_code == 2, res.output  # before: 0, only LAYER-NOSHAPE-ROWS
    msg = _error_lines(res.output, "LAYER-NOSHAPE-WATER")
    words = {"zh": ("水域要素（坑塘水面 ×1、河流水面 ×1）全都没有形状", "第 2、3 行", "重新导出该图层"),
             "en": ("water features (坑塘水面 ×1, 河流水面 ×1) all lack a shape", "rows 2, 3",
                    "export the layer again")}
    assert "DLTB.gpkg" in msg and option in msg and all(_flat(w) in _flat(msg) for w in words[lang]), msg
    assert "LAYER-NOSHAPE-ROWS" not in res.output  # the error, not the warning as well


def test_delineate_over_a_land_survey_of_shapeless_water_writes_nothing(village: dict[str, Any],
                                                                        tmp_path: Path) -> None:
    f = _survey(village, tmp_path, pond_shape=False)
    out = tmp_path / "units.gpkg"
    res = _run("zh", "delineate", village, "--water", str(f), "--preset", "banan", "-o", str(out))
    assert res.exit_code == 2 and "LAYER-NOSHAPE-WATER" in res.output, res.output
    assert list(tmp_path.iterdir()) == [f]


def test_a_land_survey_with_some_water_shaped_keeps_the_row_warning(village: dict[str, Any], tmp_path: Path) -> None:
    f = _survey(village, tmp_path, pond_shape=True)
    w = read_layer(f, kind="water", working_crs="EPSG:4545")
    assert w["DLMC"].tolist() == ["旱地", "坑塘水面"] and w.attrs["rows"] == [1, 2]
    assert [q.code for q in w.attrs["warnings"] if q.code.startswith("LAYER-NOSHAPE")] == ["LAYER-NOSHAPE-ROWS"]


def test_mixed_kinds_are_counted_in_the_error(tmp_path: Path) -> None:
    """A --water layer of lines, points and a collection, but no polygon: each kind counted, the lines' fix."""
    f = tmp_path / "odd.geojson"
    gpd.GeoDataFrame(geometry=[LineString([(0, 0), (1, 1)]), Point(0, 0), Point(1, 1),
                               shapely.geometrycollections([Point(2, 2), LineString([(2, 2), (3, 3)])])],
                     crs=4326).to_file(f)
    with pytest.raises(InputError) as ei:
        read_layer(f, kind="water", working_crs="EPSG:4545")
    [q] = ei.value.problems
    assert "only 1 line, 2 points, 1 geometry collection" in q.title("en")
    assert "只有 1 条线、2 个点、1 个几何集合" in q.title("zh")
    assert "rivers=" in q.fix("en")


def test_a_layer_as_stored_keeps_its_lines(village: dict[str, Any]) -> None:
    """``layer_as_stored`` (how gis.barriers reads any layer's coordinates as stored, for BARRIER-GKPREFIX) is not
    refused a rivers layer: a water layer's shapes are judged by read_layer only."""
    from yuanluo.gis.io import layer_as_stored

    stored = layer_as_stored(village["rivers_path"], kind="water")
    assert stored is not None and stored.geom_type.tolist() == ["LineString"] * 3
