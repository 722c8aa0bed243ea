"""An output folder that takes no file is found before the work, not after it: the pre-check makes (and removes)
a file there instead of trusting the permission bits, which root always passes."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point
from typer.testing import CliRunner

from yuanluo.gis.errors import OutputError
from yuanluo.gis.output import require_free
from yuanluo.planners import workflows as W
from yuanluo.planners.cli import app

ENV = {"COLUMNS": "400"}


def _households(path: Path) -> Path:
    gdf = gpd.GeoDataFrame({"hid": [f"H{i}" for i in range(40)]},
                           geometry=[Point(500000 + 30 * i, 3300000 + 7 * i) for i in range(40)], crs="EPSG:32648")
    gdf.to_file(path, layer="households", driver="GPKG")
    return path


def _no_work(*args: object, **kwargs: object) -> None:
    raise AssertionError("the work started before the output folder was found unwritable")


@pytest.mark.skipif(not os.path.isdir("/proc") or os.access("/proc", os.W_OK) is False,
                    reason="needs a /proc the permission bits say is writable (root on Linux)")
def test_proc_folder_refused_before_delineating(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hh = _households(tmp_path / "hh.gpkg")
    monkeypatch.setattr(W, "delineate", _no_work)
    monkeypatch.setattr(W, "load_inputs", _no_work)
    res = CliRunner().invoke(app, ["delineate", str(hh), "--preset", "changshou", "-o", "/proc/x.gpkg",
                                   "--lang", "en"], env=ENV)
    assert res.exit_code == 2, res.output
    assert "OUT-WRITE" in res.output and "/proc/x.gpkg" in res.output, res.output
    assert "AssertionError" not in res.output


def test_folder_refusing_a_file_is_out_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder the permission bits allow but that refuses a file (EIO: a network drive gone) is OUT-WRITE
    with that code, and the folder holds nothing afterwards."""
    real = tempfile.mkstemp

    def refuse(*args: object, dir: object = None, **kwargs: object) -> tuple[int, str]:  # noqa: A002
        if dir is not None and Path(str(dir)) == tmp_path:
            raise OSError(errno.EIO, "Input/output error")
        return real(*args, dir=dir, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(OutputError) as caught:
        require_free([tmp_path / "a.gpkg"], overwrite=False)
    p = caught.value.problems[0]
    assert (p.code, p.params["reason"]) == ("OUT-WRITE", "EIO")
    assert "a.gpkg" in p.title("en") and "a.gpkg" in p.title("zh")


def test_writable_folder_passes_and_keeps_nothing(tmp_path: Path) -> None:
    require_free([tmp_path / "a.gpkg", tmp_path / "b.html"], overwrite=False)
    assert list(tmp_path.iterdir()) == []
