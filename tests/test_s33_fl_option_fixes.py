"""A fix names only options the running command has (session 33 leftovers of f0716ee, bb6bb79, 28fdd71).

``yuanluo map``, ``edit`` and ``cover`` read a result and have no ``--id-col``, ``--x-col``, ``--unit-col`` …; the
fixes of ID-PERSONAL, COL-AMBIG and COL-MISSING named them for every command. The catalogue now gives such a
command the version of a fix naming no option (``fix_no_option`` / ``key.no_option``), chosen from the running
command's own Click options (:func:`yuanluo.gis.catalogue.command_options`).
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import geopandas as gpd
import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

sys.path.insert(0, str(Path(__file__).parent))
from badfiles import LAT0, LON0  # noqa: E402

runner = CliRunner()
ENV = {"COLUMNS": "400"}
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")


def _id_card(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]


def _run(args: list[str], lang: str) -> tuple[int, str]:
    res = runner.invoke(app, [*args, "--lang", lang], env=ENV)
    return res.exit_code, " ".join(res.output.replace("│", " ").split())


def _options(command: list[str]) -> set[str]:
    """The options ``yuanluo <command> --help`` lists."""
    res = runner.invoke(app, [*command, "--help"], env=ENV)
    return set(OPTION.findall(res.output))


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("fl")
    out = {}
    for name, ids in (("idcard", [_id_card(f"11010519491231{i:03d}") for i in range(12)]),
                      ("plain", [f"H{i:03d}" for i in range(12)])):
        csv = d / f"{name}.csv"
        csv.write_text("户编号,经度,纬度,人口,村民小组\n" + "".join(
            f"{h},{LON0 + 0.0004 * i:.6f},{LAT0 + 0.0003 * (i % 3):.6f},{2 + i % 4},一组\n" for i, h in enumerate(ids)),
            encoding="utf-8")
        out[name] = d / f"{name}.gpkg"
        rc, said = _run(["delineate", str(csv), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "-o",
                         str(out[name]), "-q"], "zh")
        assert rc == 0, said
    amb = d / "amb.gpkg"  # a result whose households have a second persons column (人口 beside persons)
    shutil.copy(out["plain"], amb)
    hh = gpd.read_file(amb, layer="households")
    hh["人口"] = hh["persons"]
    hh.to_file(amb, layer="households", driver="GPKG")  # the layer replaced, the others kept
    out["amb"] = amb
    meet = d / "meet.csv"  # a meeting-point table without a unit column
    meet.write_text("编号,户编号\nU1,H001\n", encoding="utf-8")
    out["meet"] = meet
    return out


def _fix_of(said: str, code: str) -> str:
    """The fix said of ``code`` (the console's table or an error's message)."""
    tail = said[said.index(code):]
    m = re.search(r"(?:处理办法：|Fix: )(.*?)(?:（未写出|\(no output|输入提示|Input warnings|已写出|Written|$)", tail)
    assert m, tail
    return m[1]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_map_id_personal_fix_names_no_option_map_lacks(results: dict[str, Path], tmp_path: Path, lang: str) -> None:
    """bb6bb79: map -o x.png of id-card ids says ID-PERSONAL, whose fix told the map's user to use --id-col."""
    rc, said = _run(["map", str(results["idcard"]), "-o", str(tmp_path / "x.png")], lang)
    assert rc == 0 and "ID-PERSONAL" in said, said
    fix = _fix_of(said, "ID-PERSONAL")
    # the only option named is delineate's, said with its command; nothing map lacks is offered as map's
    named = set(OPTION.findall(fix)) - _options(["map"])
    assert named == {"--id-col"} and "yuanluo delineate" in fix, fix
    assert ("重新划分" if lang == "zh" else "delineate again") in fix, fix


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("command", ["edit", "map", "cover"])
def test_col_ambig_fix_names_only_options_the_command_has(results: dict[str, Path], tmp_path: Path, lang: str,
                                                          command: str) -> None:
    rc, said = _run([command, str(results["amb"]), "-o", str(tmp_path / ("x.png" if command == "map" else "x.gpkg"
                                                                         if command == "cover" else "x.html"))], lang)
    if command == "map":  # map reads the result's households as they are (no column mapping): no COL-AMBIG
        assert "COL-AMBIG" not in said, said
        return
    assert rc == 2 and "COL-AMBIG" in said, said
    fix = _fix_of(said, "COL-AMBIG")
    assert set(OPTION.findall(fix)) <= _options([command]), fix
    assert ("改名" if lang == "zh" else "rename") in fix, fix


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_keeps_naming_its_options(results: dict[str, Path], lang: str) -> None:
    rc, said = _run(["check", str(results["amb"])], lang)
    assert rc == 2 and "COL-AMBIG" in said
    assert {"--id-col", "--head-col"} <= set(OPTION.findall(_fix_of(said, "COL-AMBIG"))) <= _options(["check"])
    rc, said = _run(["check", str(results["plain"]), "--meeting-points", str(results["meet"])], lang)
    assert rc == 2 and "--unit-col" in _fix_of(said, "COL-MISSING"), said


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_edit_col_missing_fix_names_no_unit_col(results: dict[str, Path], tmp_path: Path, lang: str) -> None:
    """A meeting-point table without a unit column: edit's fix names only what edit has. Since 32733ad edit has
    --unit-col, and it names the meeting-point table's unit column too (as check's and repair's does), so the fix
    names it, and giving it writes the page."""
    rc, said = _run(["edit", str(results["plain"]), "--meeting-points", str(results["meet"]), "-o",
                     str(tmp_path / "e.html")], lang)
    assert rc == 2 and "COL-MISSING" in said, said
    fix = _fix_of(said, "COL-MISSING")
    assert set(OPTION.findall(fix)) == {"--unit-col"}, fix
    assert ("院落编号" if lang == "zh" else "unit_id") in fix and ("改名" if lang == "zh" else "rename") in fix, fix
    assert not (tmp_path / "e.html").exists()
    # a plan table whose unit column is 编号, as the meeting-point table's: --unit-col names both
    import geopandas as gpd

    hh = gpd.read_file(results["plain"], layer="households")
    plan = tmp_path / "plan.csv"
    plan.write_text("户编号,编号\n" + "".join(f"{h},{u}\n" for h, u in zip(hh["hid"], hh["unit_id"], strict=True)),
                    encoding="utf-8")
    rc, said = _run(["edit", str(results["plain"]), "--plan", str(plan), "--meeting-points", str(results["meet"]),
                     "--unit-col", "编号", "-o", str(tmp_path / "e.html")], lang)
    assert rc == 0 and "COL-MISSING" not in said, said
    assert (tmp_path / "e.html").exists()


def test_the_options_come_from_the_running_command() -> None:
    from yuanluo.gis.catalogue import command_options, lacks_options, names_options

    assert command_options() is None  # no command: Python's own wording decides (fix_py)
    assert names_options("use {option} or --crs", {"option": "--x-col/--y-col"}) == {"--x-col", "--y-col", "--crs"}
    assert lacks_options("use --id-col", {}, frozenset({"-o", "--output"}))
    assert not lacks_options("use --id-col", {}, frozenset({"--id-col"}))
