"""Audit E (session 25): outputs when the file system or the user gets in the way — odd characters in a
GeoPackage path, drives without hard links (FAT, exFAT: ``os.link`` failing with EINVAL on Windows), a disk
full during a backup copy, the demo's folder, names too long for the temporary, errors named by their code."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from badfiles import HEADER, good_rows, write_csv
from typer.testing import CliRunner

import yuanluo.gis.transaction as T
from yuanluo.gis.errors import OutputError
from yuanluo.gis.output import write_bytes, write_layers
from yuanluo.planners.cli import app

runner = CliRunner()


def _names(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir())


def _layers() -> dict[str, gpd.GeoDataFrame]:
    hh = gpd.GeoDataFrame({"persons": [3, 2]}, geometry=gpd.points_from_xy([0, 50], [0, 0]),
                          index=pd.Index(["007", "008"], name="hid"), crs="EPSG:4545")
    return {"households": hh}


# ------------------------------------------------------------------------------------------ 1. odd characters
ODD = ["run#1", "a%20b", "q?mode=rw", "村 民(1) #2 %20 -x", "第#2批%zz", "100%"]


@pytest.mark.parametrize("name", ODD)
def test_a_geopackage_path_with_uri_characters_is_written(tmp_path: Path, name: str) -> None:
    folder = tmp_path / name
    folder.mkdir()
    out = folder / f"{name} 院落 (方案)#1%.gpkg"
    assert write_layers(out, _layers(), run={"seed": 0}) == [out]
    assert [n for n, _ in pyogrio.list_layers(out)] == ["households", "run", "layer_styles"]
    assert _names(folder) == [out.name]  # no stray file named after the part before "#"
    assert _names(tmp_path) == [name]


def test_demo_like_relative_output_with_a_hash_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hh = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(12)])
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["--lang", "en", "graph", hh.name, "--crs", "EPSG:4490", "-o", "g#1 %20.gpkg", "-q"])
    assert res.exit_code == 0, res.output
    assert _names(tmp_path) == ["g#1 %20.gpkg", "hh.csv"]


# ------------------------------------------------------------------------------------------ 2. link → EINVAL
@pytest.mark.parametrize("code", [errno.EINVAL, errno.EACCES, errno.EIO])
@pytest.mark.parametrize("overwrite", [False, True])
def test_any_link_failure_falls_back_to_a_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int,
                                               overwrite: bool) -> None:
    def no_links(src: Any, dst: Any, *a: Any, **k: Any) -> None:
        raise OSError(code, "Incorrect function", os.fspath(src))

    monkeypatch.setattr(os, "link", no_links)
    if overwrite:
        (tmp_path / "m.html").write_bytes(b"old")
    write_bytes(tmp_path / "m.html", b"new", overwrite=overwrite)
    assert (tmp_path / "m.html").read_bytes() == b"new"
    assert _names(tmp_path) == ["m.html"]


# ------------------------------------------------------------------------------------------ 3. partial backup
def test_a_backup_copy_failing_partway_is_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(src: Any, dst: Any, *a: Any, **k: Any) -> None:
        raise OSError(errno.EPERM, "Operation not permitted", os.fspath(src))

    def full_disk(src: Any, dst: Any, *a: Any, **k: Any) -> None:
        Path(dst).write_bytes(b"half of the ")  # part of the copy, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device", os.fspath(dst))

    monkeypatch.setattr(os, "link", no_links)
    monkeypatch.setattr(shutil, "copy2", full_disk)
    (tmp_path / "m.html").write_bytes(b"old")
    with pytest.raises(T.TransactionError) as ei:
        write_bytes(tmp_path / "m.html", b"new", overwrite=True)
    assert ei.value.code == "OUT-WRITE" and ei.value.problems[0].params["reason"] == "ENOSPC"
    assert _names(tmp_path) == ["m.html"]  # no hidden .m.….bak.html left taking the space
    assert (tmp_path / "m.html").read_bytes() == b"old"
