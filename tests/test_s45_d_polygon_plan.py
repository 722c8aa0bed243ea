"""Session 45, helper D: unit polygons given to ``--plan`` of ``check``, ``repair`` and ``delineate``.

A planner with the courtyard units drawn in QGIS (院落范围.shp, a unit-name column) ran
``yuanluo check 结果.gpkg --plan 院落范围.shp`` and got PLAN-COLUMN "找不到户编号列（现有列：院落）" with the fix
"rename the two columns 户编号 and 院落编号, or pass --id-col / --unit-col": a fix that cannot work, the layer has
no household ids (the same for a result's own ``units`` layer). ``edit`` already says EDIT-PLAN-UNITS, naming
``--units``. Now ``planners.workflows.read_plan`` (check, repair, delineate --plan) says PLAN-UNITS-LAYER: the fix
names ``--units FILE`` where the command has it, and running it works; ``delineate`` (no ``--units``) is told to
open the polygons in the editor and give its exported plan to ``--plan``. Nothing written, exit 2. A polygon
layer that is a plan table (footprints with household-id and unit columns) is still read as one.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box
from typer.testing import CliRunner

from yuanluo.planners.cli import app

OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
HAN = re.compile(r"[\u4e00-\u9fff]")


def _run(args: list[str], lang: str) -> tuple[int, str]:
    res = CliRunner().invoke(app, ["--lang", lang, *args], env={"COLUMNS": "400"})
    return res.exit_code, " ".join(res.output.replace("│", " ").split())


def _fix(said: str, code: str, lang: str) -> str:
    head = {"zh": "处理办法：", "en": "Fix: "}[lang]
    start = said.index(head, said.index(code)) + len(head)
    ends = [i for i in (said.find(m, start) for m in ("（未写出", "(no output")) if i >= 0]
    return said[start:min(ends) if ends else len(said)]


def _options(command: str) -> set[str]:
    return set(OPTION.findall(CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "400"}).output))


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Twelve households in two clusters of six (H00-H05, H06-H11) delineated 4-8 (two units of six); unit
    polygons of another plan as drawn in QGIS, a unit column 院落: H00-H03 in 甲, H04-H11 in 乙."""
    d = tmp_path_factory.mktemp("polyplan")
    rows = ["户编号,经度,纬度"]
    rows += [f"H{i:02d},{106.55 + 0.0003 * i + (0.004 if i >= 6 else 0):.6f},29.560000" for i in range(12)]
    hh, rf = d / "hh.csv", d / "r.toml"
    hh.write_text("\n".join(rows) + "\n", encoding="utf-8")
    rf.write_text("[rules]\nmin_size = 4\nmax_size = 8\nnest_by = []\nkeep_settlements = false\n"
                  "require_head = false\n", encoding="utf-8")
    res = d / "res.gpkg"
    rc, said = _run(["delineate", str(hh), "--crs", "EPSG:4490", "--rules", str(rf), "-o", str(res), "-q"], "zh")
    assert rc == 0, said
    cut = 106.55 + 0.0003 * 3.5
    polys = gpd.GeoDataFrame({"院落": ["甲", "乙"]}, crs="EPSG:4490",
                             geometry=[box(106.549, 29.559, cut, 29.561), box(cut, 29.559, 106.56, 29.561)])
    polys.to_file(d / "院落范围.shp", encoding="utf-8")
    # footprints: a layer of polygons that is a plan table (household-id and unit columns)
    pts = gpd.read_file(res, layer="households")
    gpd.GeoDataFrame({"户编号": pts["hid"], "院落编号": ["甲" if h < "H04" else "乙" for h in pts["hid"]]},
                     geometry=pts.buffer(0.00001), crs=pts.crs).to_file(d / "footprints.gpkg", layer="f")
    return {"dir": d, "res": res, "hh": hh, "shp": d / "院落范围.shp", "fp": d / "footprints.gpkg"}


def _said_units_layer(rc: int, said: str, plan: str, lang: str) -> str:
    assert rc == 2 and "PLAN-UNITS-LAYER" in said and "PLAN-COLUMN" not in said, said
    assert {"zh": "户编号", "en": "household-id"}[lang] in said
    fix = _fix(said, "PLAN-UNITS-LAYER", lang)
    assert plan in fix, fix
    if lang == "en":
        assert not HAN.search(fix.replace(plan, "").replace("院落编号", "").replace("院落", "")), fix
    else:
        assert not re.search(r"[A-Za-z]{3,} [A-Za-z]{3,} [A-Za-z]{3,}", fix), fix
    return fix


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_of_unit_polygons_given_as_plan_names_units_and_that_works(files: dict[str, Path], lang: str) -> None:
    shp = str(files["shp"])
    rc, said = _run(["check", str(files["res"]), "--plan", shp], lang)
    fix = _said_units_layer(rc, said, shp, lang)
    assert f"--units {shp}" in fix and "--id-col" not in fix, fix
    assert set(OPTION.findall(fix)) <= _options("check"), fix
    # the fix, followed: the households assigned by location (4 and 8: the 4-8 band holds both)
    csv = files["dir"] / f"c_{lang}.csv"
    rc, said = _run(["check", str(files["res"]), "--units", shp, "--csv", str(csv)], lang)
    assert rc == 0, said
    units = (files["dir"] / f"c_{lang}_units.csv").read_text(encoding="utf-8-sig")
    assert "甲" in units and "乙" in units, units
    # a result's own units layer given to --plan: the same, the fix naming the layer as given
    spec = f"{files['res']}::units"
    rc, said = _run(["check", str(files["res"]), "--plan", spec], lang)
    assert f"--units {spec}" in _said_units_layer(rc, said, spec, lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_repair_of_unit_polygons_given_as_plan(files: dict[str, Path], lang: str) -> None:
    shp, d = str(files["shp"]), files["dir"]
    out, moves = d / f"fixed_{lang}.csv", d / f"moves_{lang}.csv"
    rc, said = _run(["repair", str(files["res"]), "--plan", shp, "-o", str(out), "--moves", str(moves)], lang)
    fix = _said_units_layer(rc, said, shp, lang)
    assert f"--units {shp}" in fix and set(OPTION.findall(fix)) <= _options("repair"), fix
    assert not out.exists() and not moves.exists()
    rc, said = _run(["repair", str(files["res"]), "--units", shp, "-o", str(out), "--moves", str(moves)], lang)
    assert rc == 0 and out.exists(), said
    body = out.read_text(encoding="utf-8-sig")
    assert "H00,甲" in body and "H11,乙" in body, body


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_delineate_plan_of_unit_polygons_names_the_editor(files: dict[str, Path], lang: str) -> None:
    shp = str(files["shp"])
    out = files["dir"] / f"lock_{lang}.gpkg"
    rc, said = _run(["delineate", str(files["hh"]), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "--plan", shp,
                     "--lock", "甲", "-o", str(out)], lang)
    fix = _said_units_layer(rc, said, shp, lang)
    assert "--units" not in _options("delineate")
    assert "yuanluo edit" in fix and f"--units {shp}" in fix and "--plan" in fix, fix
    assert not out.exists()


def test_a_polygon_layer_with_household_ids_is_still_a_plan_table(files: dict[str, Path]) -> None:
    rc, said = _run(["check", str(files["res"]), "--plan", f"{files['fp']}::f"], "en")
    assert rc == 0 and "PLAN-UNITS-LAYER" not in said, said
    assert "12 households, 2 units" in said, said


def test_python_fix_names_the_keyword(files: dict[str, Path]) -> None:
    from yuanluo.gis.errors import InputError
    from yuanluo.planners import workflows as W

    inputs = W.load_inputs(f"{files['res']}::households")
    with pytest.raises(InputError) as e:
        W.read_plan(inputs, plan=files["shp"])
    (p,) = e.value.problems
    assert p.code == "PLAN-UNITS-LAYER" and "units=" in p.fix("en") and "--" not in p.fix("en"), p.fix("en")
    labels, _ = W.read_plan(inputs, units=files["shp"])
    assert labels.value_counts().to_dict() == {"乙": 8, "甲": 4}
