"""The Python API's UserWarnings follow the chosen language (s33 FP): ``read_dem``'s DEMWarning (DEM-HOLES,
DEM-RANGE, DEM-RES) and ``build_graph``'s barrier warnings (BARRIER-EMPTY …) were said with ``message("en")``, in
English also under ``YUANLUO_LANG=zh`` and by default (Chinese). One helper says them all now
(:func:`yuanluo.gis.errors.warn_problems`, as ``warn_print_ids`` of print maps does): the whole message in the
language of ``YUANLUO_LANG``, Chinese without it, with the fix for Python.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import rasterio
from rasterio.transform import from_origin

UTM = "EPSG:32631"
ENGLISH = re.compile(r"[A-Za-z]{3,} [A-Za-z]{3,} [A-Za-z]{3,}")  # three English words in a row: a sentence
HAN = re.compile(r"[\u4e00-\u9fff]")


def _holes(tmp_path: Path) -> Callable[[], object]:
    """A DEM with a hole of nine cells among its data (DEM-HOLES) read from Python."""
    from yuanluo.gis.terrain import read_dem

    z = np.fromfunction(lambda i, j: 100.0 + 0.1 * j, (30, 30))
    z[10:13, 10:13] = -9999
    p = tmp_path / "hole.tif"
    with rasterio.open(p, "w", driver="GTiff", height=30, width=30, count=1, dtype="float64", crs=UTM,
                       transform=from_origin(0.0, 300.0, 10.0, 10.0), nodata=-9999) as dst:
        dst.write(z, 1)
    return lambda: read_dem(p, working_crs=UTM)


def _empty_rivers(tmp_path: Path) -> Callable[[], object]:
    """A graph built from Python with a rivers layer that has no features (BARRIER-EMPTY)."""
    import geopandas as gpd
    from shapely.geometry import LineString, Point

    from yuanluo.gis.neighbours import build_graph

    hh = gpd.GeoDataFrame({"persons": [3] * 4}, geometry=[Point(50.0 * i, 0.0) for i in range(4)], crs=UTM,
                          index=pd.Index([f"H{i}" for i in range(4)], name="hid"))
    rivers = gpd.GeoDataFrame(geometry=[LineString([(75, -100), (75, 100)])], crs=UTM).iloc[0:0]
    return lambda: build_graph(hh, rivers=rivers)


def _said(run: Callable[[], object], code: str) -> list[str]:
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        run()
    return [str(w.message) for w in seen if issubclass(w.category, UserWarning) and code in str(w.message)]


@pytest.mark.parametrize(("case", "code"), [(_holes, "DEM-HOLES"), (_empty_rivers, "BARRIER-EMPTY")])
@pytest.mark.parametrize("lang", ["zh", "en", None])
def test_python_warnings_are_said_in_the_chosen_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         case: Callable[[Path], Callable[[], object]], code: str,
                                                         lang: str | None) -> None:
    if lang is None:
        monkeypatch.delenv("YUANLUO_LANG", raising=False)  # Chinese first
    else:
        monkeypatch.setenv("YUANLUO_LANG", lang)
    said = _said(case(tmp_path), code)
    assert len(said) == 1, said
    text = said[0].replace(code, "").replace("hole.tif", "")
    if lang == "en":
        assert said[0].startswith(f"Warning {code}") and not HAN.search(text), said
    else:
        assert said[0].startswith(f"警告 {code}") and HAN.search(text), said
        assert not ENGLISH.search(text), said


def test_the_dem_warning_keeps_its_class_and_points_at_the_caller(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Still a DEMWarning, blamed on the line that called ``read_dem`` (this file), not on Yuanluo's own."""
    from yuanluo.gis.terrain import DEMWarning

    monkeypatch.setenv("YUANLUO_LANG", "zh")
    run = _holes(tmp_path)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        run()
    [w] = [w for w in seen if issubclass(w.category, DEMWarning)]
    assert Path(w.filename).name == Path(__file__).name, w.filename
