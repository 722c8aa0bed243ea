"""Audit s31 GA: output names from Python, COM0/LPT0, and names with bytes that are not text in every message.

§1 the command line refused output names Windows cannot hold (OUT-NAME-WINDOWS-*, OUT-NAME-BYTES, OUT-SAME-CASE),
but the Python writers (:func:`write_layers`, :func:`write_bytes`) wrote them: ``结果:2024.gpkg`` reached a Windows
colleague who could not open it. Now they run the same check before writing, and write nothing. §2 ``COM0`` and
``LPT0`` are device names on Windows too (Microsoft's list of reserved names has them). §3 every error other than
OUT-NAME-BYTES showed such a name's bytes as Python's surrogate (``\\udcff``); now as ``\\xff``, as OUT-NAME-BYTES
shows them.
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


def _flat(s: str) -> str:
    return " ".join(s.split())


def _files(d: Path) -> list[str]:
    return sorted(os.fsencode(p.relative_to(d)).decode("utf-8", "backslashreplace") for p in d.rglob("*"))


def _hh() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"persons": [3, 2]}, geometry=gpd.points_from_xy([0, 50], [0, 0]),
                            index=pd.Index(["007", "008"], name="hid"), crs="EPSG:4545")


# ------------------------------------------------------------------------------------------- §2: COM0 and LPT0
@pytest.mark.parametrize("name", ["COM0.html", "com0.html", "LPT0.html", "Lpt0.tar.html", "COM0 .html"])
def test_com0_and_lpt0_are_refused_on_the_command_line(small_result: Path, tmp_path: Path, name: str) -> None:
    r = runner.invoke(app, ["--lang", "en", "map", str(small_result), "-o", str(tmp_path / name)])
    assert r.exit_code == 2, r.output
    said = _flat(r.output)
    assert "OUT-NAME-WINDOWS-RESERVED" in said, said
    assert _files(tmp_path) == []
