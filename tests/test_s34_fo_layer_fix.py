"""IO-NOLAYER of a file without the layer a command reads said "用 --layer 选其中之一，例如 --layer units" to
``yuanluo cover``, which has no --layer (CLI-USAGE if tried): the entry's fix_no_option now says what the
command reads and how to give it. And the example layer was the file's first (``units``, polygons) where the
layer wanted is the households: a point layer is now proposed where there is one."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Polygon
from typer.testing import CliRunner

from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_households
from yuanluo.planners.cli import app

runner = CliRunner()
LON0, LAT0 = 108.38, 29.77


def _result_without_households(p: Path) -> Path:
    sq = Polygon([(LON0, LAT0), (LON0 + 0.001, LAT0), (LON0 + 0.001, LAT0 + 0.001), (LON0, LAT0 + 0.001)])
    gpd.GeoDataFrame({"unit_id": [1]}, geometry=[sq], crs=4490).to_file(p, layer="units")
    pts = gpd.points_from_xy([LON0, LON0 + 0.0004], [LAT0, LAT0 + 0.0003])
    gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=pts, crs=4490).to_file(p, layer="meeting_points")
    return p


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cover_is_not_told_to_use_a_layer_option_it_lacks(tmp_path: Path, lang: str) -> None:
    p = _result_without_households(tmp_path / "res.gpkg")
    res = runner.invoke(app, ["cover", str(p), "-o", str(tmp_path / "c.gpkg"), "--lang", lang],
                        env={"COLUMNS": "400"})
    assert res.exit_code == 2 and "IO-NOLAYER" in res.output, res.output
    assert "--layer" not in res.output, res.output
    said = {"zh": "这个命令读取文件中名为 households 的图层：请给出含有该图层的文件（如 yuanluo delineate 写出的结果），"
                  "或先把图层改名为 households。",
            "en": "this command reads the layer named households: give a file that has it (such as a result "
                  "yuanluo delineate wrote), or rename the layer to households first."}[lang]
    assert said in res.output, res.output
    assert not (tmp_path / "c.gpkg").exists()
    # a command that has --layer still names it
    res = runner.invoke(app, ["validate", str(p), "--layer", "households", "--lang", lang], env={"COLUMNS": "400"})
    assert res.exit_code == 2 and "--layer " in res.output, res.output


def test_io_layer_names_no_layer_option_to_a_command_without_one() -> None:
    import dataclasses

    from yuanluo.gis.errors import problem
    from yuanluo.gis.io import LAYER

    q = problem("IO-LAYER", file="a.gpkg", layers=["点位", "道路"], first="点位", part=LAYER)
    q = dataclasses.replace(q, python=False, options=frozenset({"-o", "--lang"}))
    assert q.fix("zh") == "这个命令不能指定图层：把要用的图层（如 点位）单独存成一个文件后再给出。"
    assert q.fix("en") == ("this command cannot choose a layer: save the layer to use (e.g. 点位) as a file of its "
                           "own and give that.")
    assert "--layer 点位" in dataclasses.replace(q, options=frozenset({"--layer"})).fix("zh")


def test_the_layer_proposed_for_households_is_a_layer_of_points(tmp_path: Path) -> None:
    p = _result_without_households(tmp_path / "res.gpkg")
    for layer, code in ((None, "IO-LAYER"), ("households", "IO-NOLAYER")):
        with pytest.raises(InputError) as info:
            read_households(p, layer=layer)
        (q,) = info.value.problems
        assert q.code == code and q.params["first"] == "meeting_points", (code, q.params)
        assert "layer='meeting_points'" in q.fix("en") and " layer='meeting_points'。" in q.fix("zh")
    res = runner.invoke(app, ["validate", str(p), "--layer", "households", "--lang", "en"], env={"COLUMNS": "400"})
    assert res.exit_code == 2 and "e.g. --layer meeting_points." in res.output, res.output
    res = runner.invoke(app, ["validate", str(p), "--layer", "户", "--lang", "zh"], env={"COLUMNS": "400"})
    assert res.exit_code == 2 and "例如 --layer meeting_points。" in res.output, res.output
