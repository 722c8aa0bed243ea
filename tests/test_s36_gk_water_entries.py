"""Rivers and water layers of the wrong kind of shape, everywhere they arrive (session 36, fixer GK).

f3370f6 made ``read_layer`` refuse a ``--water`` file with no polygon (LAYER-WATER-KIND) and name the lines among
its polygons (LAYER-WATER-LINES). Before this:

1. ``validate hh --rivers points.gpkg`` (a layer of points given as rivers, or as roads) exited 0 saying nothing,
   while ``delineate`` stopped on BARRIER-POINTS: now ``read_layer`` says BARRIER-POINTS, the same code and text,
   before any work (validate exits 2).
2. From Python, ``build_graph(water=<lines>)`` never went through ``read_layer``: it said only BARRIER-EMPTY ("otherwise
   ignore this"), lines among water polygons were dropped without a word, points were BARRIER-POINTS where the file
   is LAYER-WATER-KIND. ``prepare_barriers`` now checks a water layer given in memory as ``read_layer`` checks the
   file, worded for the Python API (water= / rivers=).
3. A result delineated (by older code) with lines given as ``--water`` holds them in its water layer; ``check``,
   ``repair`` and ``cover`` of it stopped on LAYER-WATER-KIND naming the result with the fix "give this file with
   --rivers". Its lines never cut a walk: they are now read as they were used, left out, with the warning
   LAYER-RESULT-WATER-LINES; a --water file the planner gives (even that same result's layer copied to another
   file) is still refused.
"""

from __future__ import annotations

import re
import shutil
import warnings
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box
from typer.testing import CliRunner

from yuanluo.gis.barriers import prepare_barriers
from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_layer
from yuanluo.gis.neighbours import build_graph
from yuanluo.gis.synth import make_village
from yuanluo.planners.cli import app

runner = CliRunner()
ENV = {"COLUMNS": "400"}
_HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The synthetic village (60 households, 3 river lines), a layer of 3 points, a pond, and a result delineated
    with the pond whose water layer is then replaced by the river lines (as older code wrote a result given lines as
    --water), and one whose water layer holds the pond and the lines."""
    folder = tmp_path_factory.mktemp("gk")
    v = make_village(60, seed=3)
    paths = v.write(folder)
    h = v.households
    b = h.total_bounds
    points = folder / "points.gpkg"
    gpd.GeoDataFrame({"name": ["a", "b", "c"]}, crs=h.crs,
                     geometry=[Point(b[0] + 10, b[1] + 10), Point(b[2] - 10, b[3] - 10), Point(b[0] + 50, b[3] - 50)],
                     ).to_file(points, layer="places")
    rivers = folder / "rivers.gpkg"
    v.rivers.to_file(rivers, layer="rivers")
    pond = gpd.GeoDataFrame({"name": ["pond"]}, geometry=[box(b[0] + 5, b[1] + 5, b[0] + 25, b[1] + 25)], crs=h.crs)
    pond_path = folder / "pond.gpkg"
    pond.to_file(pond_path, layer="water")
    res = folder / "res_pond.gpkg"
    out = runner.invoke(app, ["delineate", str(paths["households"]), "--water", str(pond_path), "--preset", "banan",
                              "-o", str(res)], env=ENV)
    assert out.exit_code == 0, out.output
    lines_res = folder / "res_lines.gpkg"
    shutil.copy(res, lines_res)
    v.rivers.to_file(lines_res, layer="water", driver="GPKG")  # the result's water layer: lines only
    mixed_res = folder / "res_mixed.gpkg"
    shutil.copy(res, mixed_res)
    mixed = pd.concat([pond, v.rivers[["name", "geometry"]]], ignore_index=True)
    gpd.GeoDataFrame(mixed, geometry="geometry", crs=h.crs).to_file(mixed_res, layer="water", driver="GPKG")
    return {"folder": folder, "hh": paths["households"], "points": points, "rivers": rivers, "pond": pond,
            "rivers_frame": v.rivers, "h": h, "res": res, "lines_res": lines_res, "mixed_res": mixed_res}


def _flat(text: str) -> str:
    return " ".join(text.split())


def _block(output: str, code: str) -> str:
    """The message of ``code`` in a console output: its line and the indented lines below it."""
    lines = output.splitlines()
    start = next(i for i, s in enumerate(lines) if code in s)
    end = next((j for j in range(start + 1, len(lines)) if not lines[j].startswith("  ")), len(lines))
    return "\n".join(lines[start:end])


def _one_language(text: str, lang: str) -> None:
    text = re.sub(r"/\S*?\.gpkg|file::layer", "", text)  # the files' paths (pytest-of-root …), the syntax
    if lang == "en":
        assert not _HAN.search(text.replace("“线状地物”", "").replace("“地类图斑”", "")), text
    else:
        assert not re.search(r"\b(the|is|are|of|given|layer)\b", text), text


# ----------------------------------------------------------------------------- 1. validate says BARRIER-POINTS
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("option", ["--rivers", "--roads"])
def test_validate_says_barrier_points_as_delineate_does(village: dict[str, Any], lang: str, option: str) -> None:
    given = str(village["points"]) + ("::places" if option == "--roads" else "")  # named as delineate names it
    val = runner.invoke(app, ["--lang", lang, "validate", str(village["hh"]), option, given], env=ENV)
    assert val.exit_code == 2, val.output  # before: 0, nothing said
    out = village["folder"] / f"never_{lang}{option}.gpkg"
    dl = runner.invoke(app, ["--lang", lang, "delineate", str(village["hh"]), option, given, "--preset", "banan",
                             "-o", str(out)], env=ENV)
    assert dl.exit_code == 2 and not out.exists(), dl.output
    said, will = _block(val.output, "BARRIER-POINTS"), _block(dl.output, "BARRIER-POINTS")
    assert said == will, (said, will)  # the same code and text
    assert given in said and "3" in said and option in said, said
    kind = {"--rivers": ("河流图层", "rivers layer"), "--roads": ("道路图层", "roads layer")}[option]
    assert (kind[0] if lang == "zh" else kind[1]) in said, said
    _one_language(said, lang)


def test_validate_of_river_lines_as_rivers_still_passes(village: dict[str, Any]) -> None:
    res = runner.invoke(app, ["--lang", "en", "validate", str(village["hh"]), "--rivers", str(village["rivers"])],
                        env=ENV)
    assert res.exit_code == 0 and "BARRIER" not in res.output, res.output


def test_read_layer_of_points_as_rivers_is_barrier_points_from_python(village: dict[str, Any]) -> None:
    with pytest.raises(InputError) as ei:
        read_layer(village["points"], kind="rivers", working_crs=village["h"].crs)
    assert ei.value.codes == ["BARRIER-POINTS"]
    q = ei.value.problems[0]
    assert q.file == str(village["points"]) and "“rivers=”" in q.fix("zh") and "--" not in q.fix("en")


# ------------------------------------------------------------------ 2. a water layer given in memory, from Python
def _raised(**kw: Any) -> InputError:
    with pytest.raises(InputError) as ei, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        build_graph(kw.pop("h"), **kw)
    return ei.value


def _built(**kw: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return build_graph(kw.pop("h"), **kw)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_lines_given_as_water_in_memory_are_layer_water_kind(village: dict[str, Any], lang: str) -> None:
    err = _raised(h=village["h"], water=village["rivers_frame"])  # before: built, only BARRIER-EMPTY
    assert err.codes == ["LAYER-WATER-KIND"]
    msg = err.problems[0].message(lang)
    flat = _flat(msg)
    if lang == "zh":
        assert "“water=”" in flat and "只有 3 条线" in flat and "改作 “rivers=” 传入" in flat, msg
    else:
        assert "given as water= holds no polygons, only 3 lines" in flat and "pass this layer as rivers=" in flat, msg
    assert "--water" not in msg and "--rivers" not in msg, msg  # worded for the Python API
    _one_language(msg, lang)


def test_points_given_as_water_in_memory_are_layer_water_kind_as_the_file(village: dict[str, Any]) -> None:
    pts = gpd.read_file(village["points"])
    err = _raised(h=village["h"], water=pts)
    assert err.codes == ["LAYER-WATER-KIND"]  # before: BARRIER-POINTS; the file: LAYER-WATER-KIND
    assert "only 3 points" in err.problems[0].message("en") and "pass no water=" in err.problems[0].fix("en")
    with pytest.raises(InputError) as ei:  # the file, read by read_layer: the same code
        read_layer(village["points"], kind="water", working_crs=village["h"].crs)
    assert ei.value.codes == err.codes


def test_rivers_of_points_in_memory_stay_barrier_points(village: dict[str, Any]) -> None:
    err = _raised(h=village["h"], rivers=gpd.read_file(village["points"]))
    assert err.codes == ["BARRIER-POINTS"] and "“rivers=”" in err.problems[0].fix("zh")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_lines_among_water_polygons_in_memory_are_named_and_left_out(village: dict[str, Any], lang: str) -> None:
    h, pond = village["h"], village["pond"]
    mixed = gpd.GeoDataFrame(pd.concat([pond, village["rivers_frame"][["name", "geometry"]]], ignore_index=True),
                             geometry="geometry", crs=h.crs)
    g = _built(h=h, water=mixed)
    said = [q for q in g.meta["problems"] if q.code == "LAYER-WATER-LINES"]
    assert len(said) == 1 and said[0].severity == "warning" and said[0].rows == (2, 3, 4)  # before: nothing
    msg = said[0].message(lang)
    assert ("3 条线" in msg) if lang == "zh" else ("3 lines among its 4 features" in _flat(msg)), msg
    assert "--" not in msg, msg
    _one_language(msg, lang)
    alone = _built(h=h, water=pond)  # the polygons cut as they cut alone
    assert g.cut.reason.tolist() == alone.cut.reason.tolist()
    assert np.array_equal(g.cut.u, alone.cut.u) and np.array_equal(g.cut.v, alone.cut.v)


def test_bare_geometries_and_a_frame_read_as_rivers_are_checked_as_water(village: dict[str, Any]) -> None:
    h = village["h"]
    line = LineString([(0, 0), (9, 9)])
    with pytest.raises(InputError) as ei:
        prepare_barriers(h.crs, water=[line, line])
    assert ei.value.codes == ["LAYER-WATER-KIND"]
    b = prepare_barriers(h.crs, water=[box(0, 0, 1, 1), line])
    assert b.counts["water_polygons"] == 1 and [q.code for q in b.problems] == ["LAYER-WATER-LINES"]
    read = read_layer(village["rivers"], kind="rivers", working_crs=h.crs, layer="rivers")
    with pytest.raises(InputError) as ei:
        prepare_barriers(h.crs, water=read)
    q = ei.value.problems[0]
    assert q.code == "LAYER-WATER-KIND" and q.file == str(village["rivers"])
    assert "(layer rivers)" in q.message("en"), q.message("en")


def test_water_polygons_in_memory_say_nothing_new(village: dict[str, Any]) -> None:
    g = _built(h=village["h"], water=village["pond"])
    assert not [q.code for q in g.meta["problems"] if q.code.startswith("LAYER-")]


# ------------------------------------------------------------------- 3. a result whose water layer holds lines
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_of_a_result_with_water_lines_warns_as_they_were_used(village: dict[str, Any], lang: str) -> None:
    res = runner.invoke(app, ["--lang", lang, "check", str(village["lines_res"])], env=ENV)
    assert res.exit_code == 0, res.output  # before: 2, LAYER-WATER-KIND with the fix "use --rivers"
    assert "LAYER-WATER-KIND" not in res.output
    assert "BARRIER-EMPTY" not in res.output  # said once, by the result's warning, not also 'otherwise ignore this'
    flat = _flat(res.output.replace("│", " "))
    assert "LAYER-RESULT-WATER-LINES" in flat, res.output
    if lang == "zh":
        assert "的水面图层 3 个要素中有 3 条线" in flat and "从未切断步行" in flat and "用 --rivers 给出原来的那个文件重新划分" in flat
    else:
        assert "holds 3 lines among its 3 features" in flat and "so they never cut a walk" in flat, flat
        assert "delineate again giving the original file with --rivers" in flat, flat


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_result_warning_reads_in_one_language(village: dict[str, Any], lang: str) -> None:
    got = read_layer(village["lines_res"], kind="water", working_crs=village["h"].crs, layer="water")
    assert len(got) == 0  # as they were used: no water
    [q] = [w for w in got.attrs["warnings"] if w.code == "LAYER-RESULT-WATER-LINES"]
    assert q.rows == (1, 2, 3) and q.file == str(village["lines_res"])
    msg = q.message(lang)
    assert ("“rivers=”" in msg) if lang == "zh" else ("passing the original layer as rivers=" in msg), msg  # Python
    _one_language(msg, lang)
    mixed = read_layer(village["mixed_res"], kind="water", working_crs=village["h"].crs, layer="water")
    [m] = [w for w in mixed.attrs["warnings"] if w.code == "LAYER-RESULT-WATER-LINES"]
    assert len(mixed) == 1 and mixed.attrs["rows"] == [1] and m.rows == (2, 3, 4)
    text = _flat(m.message(lang))
    assert ("其中 1 个面照常作为水面" in text) if lang == "zh" else ("its 1 polygon is water as before" in text), text


def test_a_result_with_water_lines_cuts_as_the_delineation_did(village: dict[str, Any]) -> None:
    """cover and repair go on; the graph of the mixed result is the pond's (the lines never cut)."""
    out = village["folder"] / "cover.gpkg"
    res = runner.invoke(app, ["--lang", "en", "cover", str(village["lines_res"]), "-o", str(out)], env=ENV)
    assert res.exit_code == 0 and out.exists() and "LAYER-RESULT-WATER-LINES" in res.output, res.output
    rep = village["folder"] / "repair.csv"
    res = runner.invoke(app, ["--lang", "en", "repair", str(village["lines_res"]), "-o", str(rep)], env=ENV)
    assert res.exit_code == 0 and "LAYER-RESULT-WATER-LINES" in res.output, res.output
    h = village["h"]
    mixed = read_layer(village["mixed_res"], kind="water", working_crs=h.crs, layer="water")
    g, alone = _built(h=h, water=mixed), _built(h=h, water=village["pond"])
    assert g.cut.reason.tolist() == alone.cut.reason.tolist()


def test_lines_given_as_water_by_the_planner_are_still_refused(village: dict[str, Any]) -> None:
    """Not weakened: --water naming a file of lines (beside a result), or a GeoPackage whose layer named water holds
    lines but that Yuanluo did not write, is LAYER-WATER-KIND."""
    res = runner.invoke(app, ["--lang", "en", "check", str(village["res"]), "--water", str(village["rivers"])],
                        env=ENV)
    assert res.exit_code == 2 and "LAYER-WATER-KIND" in res.output, res.output
    other = village["folder"] / "not_a_result.gpkg"
    village["rivers_frame"].to_file(other, layer="water")
    with pytest.raises(InputError) as ei:
        read_layer(other, kind="water", working_crs=village["h"].crs, layer="water")
    assert ei.value.codes == ["LAYER-WATER-KIND"]


def test_a_results_water_layer_given_with_water_on_its_own_is_the_result_warning(village: dict[str, Any]) -> None:
    """--water res.gpkg::water (the result's own layer named by the planner) is that result's layer: the warning."""
    res = runner.invoke(app, ["--lang", "en", "validate", str(village["hh"]), "--water",
                              f"{village['lines_res']}::water"], env=ENV)
    assert res.exit_code == 0 and "LAYER-RESULT-WATER-LINES" in res.output, res.output
