"""The Python writers refuse what the command line refuses (audit Z3, defects 1 and 4, and write_layers' list from 7).

``planners.report.write_html`` / ``write_json`` / ``write_csv`` and ``gis.graph.write_graphml`` replaced any file
at their path without a word (given the notebook's own household CSV, they replaced the household table) and
wrote under any suffix; ``gis.output.write_layers`` wrote a GeoPackage named ``方案.xlsx`` and, given a list of
frames, failed with a bare AttributeError. Each now refuses, with a coded error in both languages, before anything
is written; the commands that call them (``check --report/--json``, ``graph --graphml``) still replace their
outputs with ``--overwrite``.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely import points
from typer.testing import CliRunner

from yuanluo.gis.check import check_plan
from yuanluo.gis.errors import InputError, OutputError, YuanluoError
from yuanluo.gis.graph import TerrainGraph, write_graphml
from yuanluo.gis.output import write_layers
from yuanluo.gis.rules import Rules
from yuanluo.planners.cli import app
from yuanluo.planners.report import write_csv, write_html, write_json

CRS = "EPSG:32631"
HOUSEHOLDS = "户编号,经度,纬度\r\n001,1.5,42.5\r\n".encode("gbk")  # the notebook's household CSV, in short


def _households() -> gpd.GeoDataFrame:
    ids = list("abcdef")
    return gpd.GeoDataFrame({"persons": [2, 3, 1, 4, 2, 2]}, geometry=points([[50 * i, 0] for i in range(6)]),
                            crs=CRS, index=pd.Index(ids, name="hid"))


def _graph() -> TerrainGraph:
    ids = list("abcdef")
    return TerrainGraph.from_edges(ids, [[50 * i, 0] for i in range(6)], [(i, i + 1) for i in range(5)], crs=CRS)


def _result():
    return check_plan(_households(), pd.Series(list("AAABBB"), index=list("abcdef")), Rules(3, 3, name="t"),
                      graph=_graph(), graph_kind="straight")


def _both(err: YuanluoError) -> tuple[str, str]:
    return " ".join(err.render("zh").split()), " ".join(err.render("en").split())


# ------------------------------------------------------------------ 1. the report writers and write_graphml
WRITERS = {
    "write_html": (lambda path, **kw: write_html(_result(), path, **kw), "r.html", ".html .htm"),
    "write_json": (lambda path, **kw: write_json(_result(), path, **kw), "r.json", ".json"),
    "write_csv": (lambda path, **kw: write_csv(_result(), path, **kw), "r.csv", ".csv"),
    "write_graphml": (lambda path, **kw: write_graphml(_graph(), path, **kw), "g.graphml", ".graphml"),
}


@pytest.mark.parametrize("name", list(WRITERS))
def test_a_writer_given_the_household_table_replaces_nothing(tmp_path: Path, name: str) -> None:
    """The notebook's ``农户表.csv`` given by mistake: refused (OUT-EXISTS, and OUT-SUFFIX where a CSV is not what
    the writer writes), the table left as it was, nothing else written."""
    write, _, allowed = WRITERS[name]
    table = tmp_path / "农户表.csv"
    table.write_bytes(HOUSEHOLDS)
    with pytest.raises(OutputError) as ei:
        write(table)
    codes = ei.value.codes
    assert "OUT-EXISTS" in codes, codes
    assert ("OUT-SUFFIX" in codes) == (name != "write_csv"), codes
    zh, en = _both(ei.value)
    assert str(table) in zh and str(table) in en
    assert "overwrite=True" in zh and "overwrite=True" in en and "--overwrite" not in en
    if name != "write_csv":
        assert f"使用以下扩展名之一：{allowed}" in zh.replace("请用", "使用"), zh
        assert f"use one of these extensions: {allowed}" in en, en
    assert table.read_bytes() == HOUSEHOLDS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["农户表.csv"]


@pytest.mark.parametrize("name", list(WRITERS))
def test_a_writer_replaces_its_own_output_only_with_overwrite(tmp_path: Path, name: str) -> None:
    write, out, _ = WRITERS[name]
    target = tmp_path / out
    write(target)
    first = sorted(p.name for p in tmp_path.iterdir())
    target.write_bytes(b"previous run")
    with pytest.raises(OutputError) as ei:
        write(target)
    assert ei.value.codes == ["OUT-EXISTS"]
    assert target.read_bytes() == b"previous run"
    write(target, overwrite=True)
    assert target.read_bytes() != b"previous run"
    assert sorted(p.name for p in tmp_path.iterdir()) == first


def test_write_csv_refuses_an_existing_units_file_and_writes_neither(tmp_path: Path) -> None:
    units = tmp_path / "r_units.csv"
    units.write_bytes(b"kept")
    with pytest.raises(OutputError) as ei:
        write_csv(_result(), tmp_path / "r.csv")
    assert ei.value.codes == ["OUT-EXISTS"] and str(units) in ei.value.render("en")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r_units.csv"] and units.read_bytes() == b"kept"


def test_the_commands_still_replace_their_reports_with_overwrite(small_result: Path, tmp_path: Path) -> None:
    """``check --report/--json`` and ``graph --graphml`` check their outputs first and write them inside their
    transaction: with ``--overwrite`` they replace them, without it they refuse (exit 2)."""
    runner = CliRunner()
    report, js, gml, layers = (tmp_path / n for n in ("r.html", "r.json", "g.graphml", "g.gpkg"))
    for p in (report, js, gml, layers):
        p.write_bytes(b"old")
    check = ["check", str(small_result), "--min", "4", "--max", "8", "--report", str(report), "--json", str(js),
             "-q", "--lang", "en"]
    refused = runner.invoke(app, check)
    assert refused.exit_code == 2 and "OUT-EXISTS" in refused.output, refused.output
    assert report.read_bytes() == b"old" and js.read_bytes() == b"old"
    done = runner.invoke(app, [*check, "--overwrite"])
    assert done.exit_code in (0, 1), done.output
    assert report.read_bytes().startswith(b"<!DOCTYPE html>") and js.read_bytes().startswith(b"{")
    graph = ["graph", f"{small_result}::households", "-o", str(layers), "--graphml", str(gml), "-q", "--lang", "en"]
    refused = runner.invoke(app, graph)
    assert refused.exit_code == 2 and "OUT-EXISTS" in refused.output, refused.output
    done = runner.invoke(app, [*graph, "--overwrite"])
    assert done.exit_code == 0, done.output
    assert gml.read_bytes().startswith(b"<?xml")


# ------------------------------------------------------------------ 2. write_layers
@pytest.mark.parametrize("name", ["方案.xlsx", "plan.shp", "plan.geojson", "plan.html"])
def test_write_layers_refuses_a_suffix_it_does_not_write(tmp_path: Path, name: str) -> None:
    with pytest.raises(OutputError) as ei:
        write_layers(tmp_path / name, {"households": _households()})
    assert ei.value.codes == ["OUT-SUFFIX"]
    zh, en = _both(ei.value)
    assert str(tmp_path / name) in zh and str(tmp_path / name) in en
    assert "请用以下扩展名之一：.gpkg .parquet .geoparquet .csv" in zh, zh
    assert "use one of these extensions: .gpkg .parquet .geoparquet .csv" in en, en
    assert list(tmp_path.iterdir()) == []


def test_write_layers_with_a_format_takes_only_its_suffixes(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as ei:
        write_layers(tmp_path / "plan.gpkg", {"plan": pd.DataFrame({"hid": ["001"]})}, fmt="csv")
    assert ei.value.codes == ["OUT-SUFFIX"] and "use one of these extensions: .csv" in _both(ei.value)[1]
    assert list(tmp_path.iterdir()) == []
    assert [p.name for p in write_layers(tmp_path / "plan.csv", {"plan": pd.DataFrame({"hid": ["001"]})},
                                         fmt="csv")] == ["plan.csv"]


@pytest.mark.parametrize("given", ["list", "GeoDataFrame"])
def test_write_layers_given_frames_not_a_mapping_says_how_to_name_them(tmp_path: Path, given: str) -> None:
    hh = _households()
    with pytest.raises(InputError) as ei:
        write_layers(tmp_path / "plan.gpkg", [hh] if given == "list" else hh)
    assert ei.value.codes == ["OUT-LAYERS-TYPE"]
    zh, en = _both(ei.value)
    assert f"“{given}”" in zh and '例如 write_layers(路径, {"households": gdf})。' in zh, zh
    assert f"a {given} was given" in en and 'write_layers(path, {"households": gdf})' in en, en
    assert list(tmp_path.iterdir()) == []
