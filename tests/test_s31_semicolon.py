"""Audit s31 z4 defect 4: a ``;`` in a GeoPackage output's name was an internal error that left a stray file.

pyogrio reads a path as a URI (``pyogrio.util.vsi_path``): ``.g;1.….tmp.gpkg``, the hidden temporary of
``g;1.gpkg``, became ``.g`` (``;`` starts URI parameters), GDAL wrote the GeoPackage there and the next step
(SQLite on the real temporary) failed: exit 3 and a 360 KB ``.g`` left behind. A ``!`` (the end of an archive's
path to pyogrio) sent it to another name in the working folder. The temporary's name now has ``_`` for both; the
output keeps its own name. ``,`` ``&`` ``=`` ``+`` ``'`` were never special; they are checked here too.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo.gis.errors import OutputError
from yuanluo.gis.output import write_layers
from yuanluo.planners.cli import app

runner = CliRunner()

NAMES = ["g;1.gpkg", "c;d;.gpkg", "a!b.gpkg", "a,b&c=d+e'f.gpkg", "院落;第一版.gpkg"]


def _hh() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"persons": [3, 2]}, geometry=gpd.points_from_xy([0, 50], [0, 0]),
                            index=pd.Index(["007", "008"], name="hid"), crs="EPSG:4545")


def _tables(gpkg: Path) -> list[str]:
    con = sqlite3.connect(f"{gpkg.as_uri()}?mode=ro", uri=True)
    try:
        return sorted(str(t) for (t,) in con.execute("SELECT table_name FROM gpkg_contents"))
    finally:
        con.close()


@pytest.mark.parametrize("name", NAMES)
def test_write_layers_writes_a_gpkg_name_with_uri_characters(tmp_path: Path, name: str,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """``write_layers('c;d.gpkg', …)`` writes that file and nothing else (in its folder or the working one)."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    out = tmp_path / "w" / name
    out.parent.mkdir()
    assert write_layers(out, {"households": _hh()}) == [out]
    assert sorted(os.listdir(out.parent)) == [name]
    assert os.listdir(cwd) == []
    assert "households" in _tables(out)


def test_write_layers_relative_name_with_a_semicolon(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert write_layers("c;d.gpkg", {"households": _hh()}) == [Path("c;d.gpkg")]
    assert sorted(os.listdir(tmp_path)) == ["c;d.gpkg"]


@pytest.mark.parametrize("name", ["g;1.gpkg", "a!b.gpkg"])
def test_graph_writes_an_output_name_with_a_semicolon(tmp_path: Path, name: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """``yuanluo graph … -o 'g;1.gpkg'`` (relative, as typed in the audit): exit 0, the graph in that file, no
    stray ``.g``."""
    from badfiles import HEADER, good_rows, write_csv

    monkeypatch.chdir(tmp_path)
    write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(12)])
    res = runner.invoke(app, ["graph", "hh.csv", "--crs", "EPSG:4490", "-o", name, "-q"])
    assert res.exit_code == 0, res.output
    assert sorted(os.listdir(tmp_path)) == sorted(["hh.csv", name])
    assert {"households", "edges"} <= set(_tables(tmp_path / name))


# ------------------------------------------------------------------ a "!" in a folder: refused before the work
@pytest.fixture
def bang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder ``第1批!`` with a roster in it, the working folder elsewhere (``e`` there, where pyogrio sent the
    GeoPackage of ``d!e/g.gpkg``)."""
    from badfiles import HEADER, good_rows, write_csv

    folder = tmp_path / "第1批!"
    folder.mkdir()
    write_csv(folder, "hh.csv", [HEADER, *good_rows(12)])
    cwd = tmp_path / "cwd"
    (cwd / "e").mkdir(parents=True)
    monkeypatch.chdir(cwd)
    return folder


def _all(d: Path) -> list[str]:
    return sorted(p.relative_to(d).as_posix() for p in d.rglob("*"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_graph_refuses_a_gpkg_in_a_folder_with_a_bang(bang: Path, tmp_path: Path, lang: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """``yuanluo graph … -o '第1批!/g.gpkg'``: OUT-DIR-BANG (exit 2) naming the folder and a name without ``!``,
    before the roster is read; nothing written anywhere (it was exit 3, or a GeoPackage in the working folder)."""
    import yuanluo.gis.io as io

    before = _all(tmp_path)
    monkeypatch.setattr(io, "read_households", lambda *a, **k: pytest.fail("the work started"))
    res = runner.invoke(app, ["--lang", lang, "graph", str(bang / "hh.csv"), "--crs", "EPSG:4490",
                              "-o", str(bang / "g.gpkg")])
    assert res.exit_code == 2, res.output
    flat = " ".join(res.output.split())
    assert "OUT-DIR-BANG" in flat and "第1批_" in flat, flat
    assert _all(tmp_path) == before


def test_graph_writes_a_csv_in_a_folder_with_a_bang_all_the_same(bang: Path) -> None:
    res = runner.invoke(app, ["graph", str(bang / "hh.csv"), "--crs", "EPSG:4490", "-o", str(bang / "g.csv"), "-q"])
    assert res.exit_code == 0, res.output


def test_write_layers_refuses_a_gpkg_in_a_folder_with_a_bang(bang: Path, tmp_path: Path) -> None:
    before = _all(tmp_path)
    with pytest.raises(OutputError) as ei:
        write_layers(bang / "g.gpkg", {"households": _hh()})
    assert ei.value.codes == ["OUT-DIR-BANG"]
    assert ei.value.problems[0].params["example"] == str(bang.with_name("第1批_"))
    assert _all(tmp_path) == before
    assert write_layers(bang / "g.csv", {"households": _hh()}) == [bang / "g.csv"]
