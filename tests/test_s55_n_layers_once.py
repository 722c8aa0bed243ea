"""``yuanluo check`` of a result lists its layers once and reads its run table once (session 55, helper N).

Session 54 kept a result's layer names and run table in ``planners.workflows`` while the file stays as it is, but
``gis.io`` listed the same GeoPackage again: reading the households (their layer, and the example layer its
errors would propose), the meeting points, the declared exceptions' units, the plan's table, and whether a
barrier given as a result's layer is one of the result's own outputs (``_is_result``, which read the run table's
tool row again). ``check`` of the demo result listed it 9 times. The file's stamp (path, device, inode, size,
times) and what was read under it now live in ``gis.io`` (``read_once``, ``file_layers``, ``run_table``), and
both ``gis.io`` and ``planners.workflows`` ask there: one listing, one run table read per file per command.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pyogrio
import pytest
from typer.testing import CliRunner

from yuanluo.gis import io
from yuanluo.planners.cli import app


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Counter[tuple[str, str]]:
    """Every listing of a file's layers and every read of a ``run`` table, by file name, whoever asks."""
    seen: Counter[tuple[str, str]] = Counter()
    real_list, real_read = pyogrio.list_layers, pyogrio.read_dataframe

    def listing(p: Any, *a: Any, **kw: Any) -> Any:
        seen["layers", Path(str(p)).name] += 1
        return real_list(p, *a, **kw)

    def reading(p: Any, *a: Any, **kw: Any) -> Any:
        if kw.get("layer") == "run":
            seen["run", Path(str(p)).name] += 1
        return real_read(p, *a, **kw)

    monkeypatch.setattr(pyogrio, "list_layers", listing)
    monkeypatch.setattr(pyogrio, "read_dataframe", reading)
    return seen


def test_check_of_a_result_lists_it_once(small_result: Path, tmp_path: Path,
                                         reads: Counter[tuple[str, str]]) -> None:
    res = tmp_path / "own.gpkg"
    shutil.copyfile(small_result, res)
    out = CliRunner().invoke(app, ["check", str(res), "--lang", "en"])
    assert out.exit_code in (0, 1), out.output
    assert reads["layers", "own.gpkg"] == 1  # was 4 here (9 on the demo result): gis.io listed it again
    assert reads["run", "own.gpkg"] == 1


def test_a_file_written_again_is_listed_again(tmp_path: Path, reads: Counter[tuple[str, str]]) -> None:
    import geopandas as gpd
    from shapely.geometry import Point

    f = tmp_path / "a.gpkg"
    gpd.GeoDataFrame({"a": [1]}, geometry=[Point(0, 0)], crs=4326).to_file(f, layer="pts")
    assert io.file_layers(f) == (("pts", "Point"),)
    assert io.file_layers(f) == (("pts", "Point"),)
    assert reads["layers", "a.gpkg"] == 1
    gpd.GeoDataFrame({"a": [1]}, geometry=[Point(0, 0).buffer(1)], crs=4326).to_file(f, layer="zone")
    assert io.file_layers(f) == (("pts", "Point"), ("zone", "Polygon"))
    assert reads["layers", "a.gpkg"] == 2
    bad = tmp_path / "b.gpkg"
    bad.write_bytes(b"not a GeoPackage")
    for _ in range(2):  # what the listing raised is raised again, not listed again
        with pytest.raises(Exception, match="b.gpkg"):
            io.file_layers(bad)
    assert reads["layers", "b.gpkg"] == 1
