"""The fixes the command line gives for the village boundary it reads with ``--boundary`` (session 38, helper A).

A boundary with a village in two pieces (BND-ID) or without a name column (BND-ID-NONE) was told to name the
column with ``--group-field``, an option of ``--groups`` that ``--boundary`` does not read. Each fix is now one
``--boundary`` can follow, and is followed below: the same command then passes. ``--groups`` keeps its own.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box
from shared_fixtures import lonlat_households_csv, run_cli

LON0, LAT0 = 106.55, 29.56
#: 新华村 and 长江村 side by side, each in two pieces, holding every household
PIECES = [box(x0, y0, x1, y1) for x0, x1 in ((106.54, 106.57), (106.57, 106.60))
          for y0, y1 in ((29.55, 29.565), (29.565, 29.57))]
VILLAGES = ["新华村", "新华村", "长江村", "长江村"]


def _households(tmp: Path) -> Path:
    return lonlat_households_csv(tmp, LON0, LAT0)


def _fix(said: str, code: str) -> str:
    block = said.split(code, 1)[1]
    return block.split("处理办法：" if "处理办法：" in block else "Fix: ", 1)[1].splitlines()[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_village_in_pieces_is_told_to_dissolve_them(tmp_path: Path, lang: str) -> None:
    hh = _households(tmp_path)
    bnd = tmp_path / "bnd.gpkg"
    layer = gpd.GeoDataFrame({"village": VILLAGES}, geometry=PIECES, crs="EPSG:4490")
    layer.to_file(bnd, layer="villages")
    said = run_cli(["validate", str(hh), "--crs", "EPSG:4490", "--boundary", str(bnd)], lang, code=2)
    fix = _fix(said, "BND-ID")
    assert "--group-field" not in fix, fix  # was: name the column with --group-field (which --boundary ignores)
    assert ("融合" if lang == "zh" else "Dissolve") in fix and "village" in fix
    layer.dissolve(by="village", as_index=False).to_file(bnd, layer="villages", mode="w")  # the fix, in a GIS
    run_cli(["validate", str(hh), "--crs", "EPSG:4490", "--boundary", str(bnd)], lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_boundary_without_names_is_told_to_name_a_column(tmp_path: Path, lang: str) -> None:
    hh = _households(tmp_path)
    bnd = tmp_path / "bnd.gpkg"
    layer = gpd.GeoDataFrame({"OBJECTID": [1, 2, 3, 4]}, geometry=PIECES, crs="EPSG:4490")
    layer.to_file(bnd, layer="villages")
    said = run_cli(["validate", str(hh), "--crs", "EPSG:4490", "--boundary", str(bnd)], lang, code=2)
    fix = _fix(said, "BND-ID-NONE")
    assert "--group-field" not in fix, fix
    name = "名称" if lang == "zh" else "name"
    assert f"“{name}”" in fix if lang == "zh" else f" to {name}," in fix
    layer.rename(columns={"OBJECTID": name}).to_file(bnd, layer="villages", mode="w")  # the fix as written
    run_cli(["validate", str(hh), "--crs", "EPSG:4490", "--boundary", str(bnd)], lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_groups_keep_group_field(tmp_path: Path, lang: str) -> None:
    """Control: --groups takes --group-field, and its fix still says so."""
    hh = _households(tmp_path)
    grp = tmp_path / "groups.gpkg"
    gpd.GeoDataFrame({"OBJECTID": [1, 2, 3, 4]}, geometry=PIECES, crs="EPSG:4490").to_file(grp, layer="groups")
    said = run_cli(["validate", str(hh), "--crs", "EPSG:4490", "--groups", str(grp)], lang, code=2)
    assert "--group-field" in _fix(said, "BND-ID-NONE")
