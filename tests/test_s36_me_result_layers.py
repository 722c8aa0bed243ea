"""A layer a delineation result holds as its own output, given as a barrier: the units layer as --water made
validate say SPAT-WATER "every household lies inside water polygons … the coordinates are shifted, try --crs
gcj02", and unit_adjacency (the lines between units) as --rivers would have cut every walk between units. Now
LAYER-RESULT-OUTPUT, an error naming the layer, with the result's own layer of that kind (::rivers) where it
holds one, else the original file (session 36, audit AC)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_layer
from yuanluo.gis.synth import make_village
from yuanluo.planners.cli import app

runner = CliRunner()
ENV = {"COLUMNS": "400"}


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("res")
    v = make_village(60, seed=3)
    paths = v.write(folder)
    rivers = folder / "rivers.gpkg"
    v.rivers.to_file(rivers, layer="rivers")
    res = folder / "res.gpkg"
    out = runner.invoke(app, ["delineate", str(paths["households"]), "--rivers", str(rivers), "--preset", "banan",
                              "-o", str(res)], env=ENV)
    assert out.exit_code == 0, out.output
    return {"hh": paths["households"], "res": res, "crs": str(v.households.crs)}


def _validate(result: dict[str, Any], lang: str, *extra: str) -> Any:
    return runner.invoke(app, ["--lang", lang, "validate", str(result["hh"]), *extra], env=ENV)


@pytest.mark.parametrize("lang, words", [
    ("zh", ("（图层 units）是院落划分结果中本程序写出的图层，不是水面", "这个结果中没有水面图层")),
    ("en", ("(layer units) is a layer Yuanluo wrote into a delineation result, not water areas",
            "this result holds none"))])
def test_the_units_layer_as_water_is_named_for_what_it_is(result: dict[str, Any], lang: str,
                                                           words: tuple[str, str]) -> None:
    res = _validate(result, lang, "--water", f"{result['res']}::units")
    assert res.exit_code == 2 and "LAYER-RESULT-OUTPUT" in res.output and "SPAT-WATER" not in res.output, res.output
    flat = " ".join(res.output.split())
    assert all(w in flat for w in words), res.output


@pytest.mark.parametrize("lang, fix", [("zh", "在文件名后用 ::rivers 选这个结果中划分时给出的河流图层"),
                                       ("en", "with ::rivers after the file name")])
def test_the_lines_between_units_are_no_rivers(result: dict[str, Any], lang: str, fix: str) -> None:
    res = _validate(result, lang, "--rivers", f"{result['res']}::unit_adjacency")
    assert res.exit_code == 2 and "LAYER-RESULT-OUTPUT" in res.output and fix in " ".join(res.output.split()), \
        res.output
    ok = _validate(result, lang, "--rivers", f"{result['res']}::rivers")  # the result's own rivers: as given
    assert ok.exit_code == 0 and "LAYER-RESULT-OUTPUT" not in ok.output, ok.output


def test_from_python_the_fix_names_layer_eq(result: dict[str, Any]) -> None:
    with pytest.raises(InputError) as exc:
        read_layer(Path(result["res"]), kind="rivers", working_crs=result["crs"], layer="unit_adjacency")
    q = exc.value.problems[0]
    assert q.code == "LAYER-RESULT-OUTPUT" and "layer='rivers'" in q.fix("en") and "--rivers" not in q.title("en")
