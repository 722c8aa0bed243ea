"""Audit B and C of the notebook API and of ``check``: a wrong argument or input file is a coded error (exit 2
on the command line) naming the file, the rows and what to give, never a raw Python error or a silent guess."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from badfiles import write_csv
from test_api_errors import _line  # four households in a row and their graph
from typer.testing import CliRunner

from yuanluo import build_graph, check_plan, make_map, preset, print_map, save_map
from yuanluo.gis.catalogue import catalogue
from yuanluo.gis.errors import InputError
from yuanluo.planners.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def result(small_result: Path) -> Path:
    return small_result


# ------------------------------------------------------------------ auditB 1: --plan of a missing file
@pytest.mark.parametrize("what", ["missing", "folder"])
@pytest.mark.parametrize("command", ["check", "repair", "edit", "delineate"])
def test_plan_of_a_missing_file_or_a_folder_is_a_coded_error(tmp_path: Path, result: Path, what: str,
                                                              command: str) -> None:
    """It was exit 3: KeyError "no message 'read.why.io' in the catalogue"."""
    plan = tmp_path / "nope.csv" if what == "missing" else tmp_path
    out = tmp_path / {"check": "c.csv", "repair": "f.csv", "edit": "e.html", "delineate": "d.gpkg"}[command]
    src = result.with_name("hh.csv") if command == "delineate" else result
    args = {"check": ["check", str(result), "--plan", str(plan), "--preset", "banan", "--csv", str(out)],
            "repair": ["repair", str(result), "--plan", str(plan), "--min", "4", "--max", "8", "-o", str(out)],
            "edit": ["edit", str(result), "--plan", str(plan), "--min", "4", "--max", "8", "-o", str(out)],
            "delineate": ["delineate", str(src), "--crs", "EPSG:4490", "--min", "4", "--max", "8",
                          "--plan", str(plan), "-o", str(out)]}[command]
    res = runner.invoke(app, [*args, "--lang", "en"])
    code = "IO-NOTFOUND" if what == "missing" else "IO-ISDIR"
    assert res.exit_code == 2, res.output
    assert code in res.output and str(plan) in res.output.replace("\n", ""), res.output
    assert not out.exists()


_KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
_CODE = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
_TAKES_KEY = {"text", "both", "joined", "template", "has", "problem"}


def _literals(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    return []


def test_every_literal_catalogue_key_in_the_code_is_in_the_catalogue() -> None:
    """Every key the code names literally (``text("map.legend")``, ``problem("IO-NOTFOUND")``, and the
    ``read.why.<why>`` that ``unreadable(exc, "<why>")`` looks up) is in the catalogue: a missing one is a
    KeyError, exit 3, at the moment a user meets that message (``read.why.io`` was missing)."""
    cat = catalogue()
    missing = []
    for path in sorted(p for d in ("gis", "maps", "planners") for p in (ROOT / d).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            at = 1 if name == "unreadable" else 0 if name in _TAKES_KEY else None
            if at is None or len(node.args) <= at:
                continue
            for lit in _literals(node.args[at]):
                key = f"read.why.{lit}" if name == "unreadable" else lit
                if (_KEY.match(key) or _CODE.match(key)) and key not in cat:
                    missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {key}")
    assert missing == []


# ------------------------------------------------------------------ auditB 5, 7, 10: wrong arguments in Python


@pytest.mark.parametrize("graph", [True, False])
def test_check_plan_of_duplicated_household_ids_is_a_coded_error(graph: bool) -> None:
    """It was pandas' InvalidIndexError: 'Reindexing only valid with uniquely valued Index objects'."""
    hh, g = _line()
    twice = pd.concat([hh, hh.iloc[:2]])
    with pytest.raises(InputError) as e:
        check_plan(twice, pd.Series(list("AABB"), index=list("abcd")), preset("banan"), graph=g if graph else None)
    assert e.value.codes == ["CLUSTER-DUP-IDS"] and "a, b" in e.value.render("en")


def test_check_plan_of_a_plain_list_of_units_says_how_to_name_the_households() -> None:
    """It was ValueError: 'dictionary update sequence element #0 has length 1; 2 is required'."""
    hh, g = _line()
    with pytest.raises(InputError) as e:
        check_plan(hh, ["A", "A", "B", "B"], preset("banan"), graph=g)  # type: ignore[arg-type]
    assert e.value.codes == ["LABELS-TYPE"] and "pandas.Series(" in e.value.render("en")
    pairs = check_plan(hh, [("a", "A"), ("b", "A"), ("c", "B"), ("d", "B")], preset("banan"), graph=g)  # type: ignore[arg-type]
    assert sorted(pairs.violations["code"]) != []


@pytest.mark.parametrize("call", ["build_graph", "check_plan"])
def test_households_without_geometry_are_a_coded_error(call: str) -> None:
    """build_graph raised AttributeError: 'DataFrame' object has no attribute 'crs'; check_plan said CRS-PROJECTED
    with the coordinate system None."""
    hh, g = _line()
    plain = pd.DataFrame({"persons": [3, 3, 3, 3]}, index=hh.index)
    with pytest.raises(InputError) as e:
        if call == "build_graph":
            build_graph(plain)
        else:
            check_plan(plain, pd.Series(list("AABB"), index=list("abcd")), preset("banan"), graph=g)
    assert e.value.codes == ["HOUSEHOLDS-TYPE"] and "read_households" in e.value.render("en")
    assert "DataFrame" in e.value.render("zh")


def _layers() -> dict:
    from yuanluo.maps.sample import sample_layers

    return {k: v for k, v in sample_layers(20, block=5).items() if k in ("households", "units")}


def test_save_map_of_a_file_name_says_to_read_the_layers(tmp_path: Path) -> None:
    """It was TypeError: string indices must be integers, not 'str'."""
    with pytest.raises(InputError) as e:
        save_map("units.gpkg", tmp_path / "x.html")  # type: ignore[arg-type]
    assert e.value.codes == ["MAP-LAYERS-TYPE"] and "yuanluo map" in e.value.render("en")
    assert not (tmp_path / "x.html").exists()


@pytest.mark.parametrize("dpi", [0, -5, 10_000])
def test_print_map_with_a_bad_dpi_is_a_coded_error(tmp_path: Path, dpi: int) -> None:
    """dpi=0 was matplotlib's ValueError: 'dpi must be positive'."""
    with pytest.raises(InputError) as e:
        print_map(_layers(), tmp_path / "x.png", dpi=dpi)
    assert e.value.codes == ["MAP-DPI"] and not (tmp_path / "x.png").exists()


@pytest.mark.parametrize("call", ["make_map", "save_map"])
def test_make_map_names_an_unknown_field(tmp_path: Path, call: str) -> None:
    """make_map(fields=["nope"]) drew the map without it in silence where the command line says FIELDS-UNKNOWN."""
    with pytest.raises(InputError) as e:
        if call == "make_map":
            make_map(_layers(), fields=["nope"])
        else:
            save_map(_layers(), tmp_path / "x.html", fields=["nope"])
    assert e.value.codes == ["MAP-FIELDS-UNKNOWN"] and "nope" in e.value.render("en")
    assert "unit_id" in e.value.render("en")
    make_map(_layers(), fields=["unit_id"])  # a column that is there is still fine


# ------------------------------------------------------------------ auditB 8: no persons column at all
def test_a_persons_rule_without_a_persons_column_says_the_column_is_missing_and_how_to_give_it() -> None:
    """It said only "add the persons column" (delineate: "0 households lack one or have a bad value ()")."""
    from yuanluo import Rules

    hh, g = _line()
    with pytest.raises(InputError) as e:
        check_plan(hh, pd.Series(list("AABB"), index=list("abcd")), Rules(2, 9, size_by="persons"), graph=g)
    assert e.value.codes == ["CHECK-PERSONS"]
    for lang in ("zh", "en"):
        said = e.value.render(lang)
        assert "人口" in said and "read_households" in said and 'columns={"persons"' in said


# ------------------------------------------------------------------ auditB 11, auditC 8: check --units
def test_check_units_of_a_line_layer_is_geom_type(tmp_path: Path, result: Path) -> None:
    """A rivers layer given to --units was read as unit polygons: PLAN-EMPTY-UNIT and PLAN-OUTSIDE, exit 1."""
    from shapely.geometry import LineString

    lines = tmp_path / "ctx.gpkg"
    gpd.GeoDataFrame({"name": ["R1", "R2"]}, geometry=[LineString([(106.55, 29.56), (106.56, 29.57)])] * 2,
                     crs="EPSG:4490").to_file(lines, layer="rivers")
    res = runner.invoke(app, ["check", str(result), "--units", f"{lines}::rivers", "--min", "4", "--max", "8",
                              "--lang", "en"])
    assert res.exit_code == 2, res.output
    assert "GEOM-TYPE" in res.output and "LineString" in res.output and "PLAN-OUTSIDE" not in res.output


def test_unit_polygons_without_a_unit_id_column_name_the_file_and_unit_col(tmp_path: Path) -> None:
    """A villager-groups layer (village, group, n_households) had its first column, village, read as the unit
    id: a unit V001 that does not exist; its messages named "File units", not the file."""
    from shapely.geometry import box

    from yuanluo.gis.plan import assign_by_unit_polygons

    hh, _ = _line()
    groups = gpd.GeoDataFrame({"village": ["V001", "V001"], "group": ["G1", "G2"], "n_households": [2, 2]},
                              geometry=[box(-10, -10, 60, 10), box(90, -10, 160, 10)], crs="EPSG:32631")
    groups.attrs["source"] = "d/groups.gpkg"
    with pytest.raises(InputError) as e:
        assign_by_unit_polygons(hh, groups)
    assert e.value.codes == ["UNITS-COLUMN"]
    for lang in ("zh", "en"):
        said = e.value.render(lang)
        assert "d/groups.gpkg" in said and "id_col='village'" in said and "n_households" in said  # from Python
    labels, probs = assign_by_unit_polygons(hh, groups, "group")  # named: used as named
    assert list(labels) == ["G1", "G1", "G2", "G2"] and probs == []
    labels, probs = assign_by_unit_polygons(hh, groups.rename(columns={"group": "院落编号"}))
    assert list(labels) == ["G1", "G1", "G2", "G2"]
    dup = groups.assign(院落编号=["U1", "U1"])
    _, probs = assign_by_unit_polygons(hh, dup)
    assert [q.file for q in probs if q.code == "PLAN-ID"] == ["d/groups.gpkg"]


# ------------------------------------------------------------------ auditC 9: --meeting-points
def _units_of(result: Path) -> dict[str, list[str]]:
    hh = gpd.read_file(result, layer="households")
    return {str(u): sorted(hh.loc[hh["unit_id"] == u, "hid"].astype(str)) for u in sorted(hh["unit_id"].unique())}


def test_meeting_points_with_a_blank_cell_name_the_file_and_row(tmp_path: Path, result: Path) -> None:
    """A blank household id printed as nothing ("The meeting point  of unit U003"), with no file or row."""
    units = _units_of(result)
    first, second = list(units)[:2]
    mp = write_csv(tmp_path, "mp.csv", ["院落编号,户编号", f"{first},{units[first][0]}", f"{second},"])
    res = runner.invoke(app, ["check", str(result), "--min", "4", "--max", "8", "--meeting-points", str(mp),
                              "--lang", "en"])
    flat = res.output.replace("\n", " ")
    assert res.exit_code == 2, res.output
    assert "MEET-BLANK" in flat and str(mp) in res.output.replace("\n", "")
    assert "row 3" in flat and second in flat


def test_meeting_points_of_unknown_units_and_foreign_households_name_the_file_rows_and_ids(
        tmp_path: Path, result: Path) -> None:
    """A unit the plan lacks (U099) was ignored in silence; a foreign meeting point named no file or row."""
    units = _units_of(result)
    first, second = list(units)[:2]
    mp = write_csv(tmp_path, "mp.csv", ["院落编号,户编号", f"{first},{units[first][0]}", f"{second},{units[first][1]}",
                                        f"U099,{units[first][0]}"])
    res = runner.invoke(app, ["check", str(result), "--min", "4", "--max", "8", "--meeting-points", str(mp),
                              "--json", str(tmp_path / "c.json"), "--lang", "en"])
    assert res.exit_code in (0, 1), res.output
    import json

    found = {v["code"]: v for v in json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["violations"]}
    unknown = found["PLAN-MEETING-UNKNOWN"]["message_en"]
    assert str(mp) in unknown and "row 4" in unknown and "U099" in unknown
    foreign = found["PLAN-MEETING"]["message_en"]
    assert str(mp) in foreign and "row 3" in foreign and units[first][1] in foreign
