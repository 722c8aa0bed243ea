"""Session 32 FA defect 1: files whose path holds ``;`` or ``!`` (which Yuanluo writes since session 31) are read
as the plain files they are.

pyogrio parses a path as a URI (``pyogrio.util.vsi_path``): ``a;b.gpkg`` was opened as ``a`` (``;`` starts URI
parameters), ``r!1.gpkg`` as ``1.gpkg`` in the working folder (``r`` taken for an archive), ``zip:h.geojson`` as a
zip archive. ``yuanluo check r!1.gpkg`` then found no rules in the result (RULE-NONE), ``yuanluo map`` said
IO-CORRUPT, and households in such a .gpkg/.shp/.geojson were IO-CORRUPT, or another file's households when a
``1.gpkg`` lay in the working folder. :func:`yuanluo.gis.io.gdal_path` gives GDAL such a path as
``/vsisubfile/0_0,PATH`` (the whole plain file).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import geopandas as gpd
import pytest
from typer.testing import CliRunner

from yuanluo.gis.io import gdal_path, read_households
from yuanluo.planners.cli import app

runner = CliRunner()
ENV = {"COLUMNS": "400"}
NAMES = ["a;b.gpkg", "r!1.gpkg", "方案;1.gpkg"]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One delineation written as ``r.gpkg`` and as each of :data:`NAMES` (the command line's writer)."""
    from badfiles import HEADER, good_rows, write_csv

    d = tmp_path_factory.mktemp("uri")
    hh = write_csv(d, "hh.csv", [HEADER, *good_rows(12)])
    for name in ["r.gpkg", *NAMES]:
        res = runner.invoke(app, ["delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8",
                                  "-o", str(d / name), "-q"], env=ENV)
        assert res.exit_code == 0, res.output
    return d


def _said(out: str, d: Path, name: str) -> str:
    # the path as typed, or the file's name alone where a finding names it so (RULE-UNAPPLIED since 28a532e)
    return out.replace(str(d / name), "RESULT").replace(name, "RESULT")


@pytest.mark.parametrize("name", NAMES)
def test_check_reads_a_result_named_with_uri_characters(results: Path, name: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """``yuanluo check 'r!1.gpkg'`` says what ``yuanluo check r.gpkg`` says (its rules read from its run table: no
    RULE-NONE), from its own folder (relative, as typed) and by its full path."""
    plain = runner.invoke(app, ["--lang", "en", "check", str(results / "r.gpkg")], env=ENV)
    assert "RULE-NONE" not in plain.output and "IO-CORRUPT" not in plain.output
    odd = runner.invoke(app, ["--lang", "en", "check", str(results / name)], env=ENV)
    assert odd.exit_code == plain.exit_code, odd.output
    assert _said(odd.output, results, name) == _said(plain.output, results, "r.gpkg")
    monkeypatch.chdir(results)
    rel = runner.invoke(app, ["--lang", "en", "check", name], env=ENV)
    assert rel.exit_code == plain.exit_code, rel.output
    assert "RULE-NONE" not in rel.output and "IO-CORRUPT" not in rel.output


@pytest.mark.parametrize("name", NAMES)
def test_map_reads_a_result_named_with_uri_characters(results: Path, name: str, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    res = runner.invoke(app, ["--lang", "en", "map", str(results / name), "-o", str(out)], env=ENV)
    assert res.exit_code == 0, res.output
    assert out.stat().st_size > 1000


def _households(results: Path) -> gpd.GeoDataFrame:
    return gpd.read_file(gdal_path(results / "r.gpkg"), layer="households")[["hid", "persons", "geometry"]]


def _write(g: gpd.GeoDataFrame, path: Path, scratch: Path) -> None:
    """Write ``g`` at ``path`` through a plain name in ``scratch`` (pyogrio would write ``a;b.gpkg`` as ``a``)."""
    tmp = scratch / f"plain{path.suffix}"
    g.to_file(tmp, encoding="utf-8")
    for ext in ([".shp", ".shx", ".dbf", ".prj", ".cpg"] if path.suffix == ".shp" else [path.suffix]):
        os.replace(tmp.with_suffix(ext), path.with_suffix(ext))


@pytest.mark.parametrize("name", ["h;1.shp", "h!1.geojson", "h!1.gpkg", "zip:h.geojson", "批!1/h.gpkg",
                                  "a;b/c!d;e.shp"])
def test_households_read_from_the_file_named(results: Path, tmp_path: Path, name: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The households of ``h!1.gpkg`` are its own, not those of a ``1.gpkg`` in the working folder (a decoy of 3
    households where GDAL was sent before), by a relative and a full path."""
    g = _households(results)
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    _write(g, path, tmp_path)
    decoy = g.iloc[:3]
    for ext in (".gpkg", ".geojson"):
        _write(decoy, tmp_path / f"1{ext}", tmp_path)
        _write(decoy, tmp_path / f"h{ext}", tmp_path)
    monkeypatch.chdir(tmp_path)
    for given in (name, str(path)):
        hh, _report = read_households(given)
        assert len(hh) == len(g) == 12, given
        assert sorted(hh.index.astype(str)) == sorted(g["hid"].astype(str))


def test_gdal_path_leaves_a_plain_path_alone(tmp_path: Path) -> None:
    """A path pyogrio reads as it is is given as it is (no wrapper, GDAL's messages name the file as given)."""
    for name in ["r.gpkg", "q?x.gpkg", "h#1.gpkg", "院落.gpkg", "a,b&c=d+e'f.gpkg"]:
        assert gdal_path(tmp_path / name) == str(tmp_path / name)
    assert gdal_path(tmp_path / "a;b.gpkg") == f"/vsisubfile/0_0,{tmp_path / 'a;b.gpkg'}"
    shutil.rmtree(tmp_path)
