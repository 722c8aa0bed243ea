"""Session 39 (helper B): ``yuanluo validate hh.csv --groups g.gpkg --group-field 组名`` with a group named twice
said BND-ID with 'name the column with --group-field (group polygons)', though that option was given, naming
that very column. The fix now fits what was given: with --group-field, the column's cells (fill in, dissolve the
pieces of one group, names of their own for groups of different villages); without it, the same and the option
as the way to another column. (--boundary's own fix: 6975b7b.)"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box
from shared_fixtures import lonlat_households_csv, run_cli

LON0, LAT0 = 106.5, 29.5


def _groups(folder: Path) -> Path:
    g = gpd.GeoDataFrame({"组名": ["一组", "二组", "一组"], "name": ["A", "B", "A"]},
                         geometry=[box(LON0 - 0.01, LAT0 - 0.01, LON0 + 0.001, LAT0 + 0.01),
                                   box(LON0 + 0.001, LAT0 - 0.01, LON0 + 0.01, LAT0 + 0.01),
                                   box(LON0 + 0.01, LAT0 - 0.01, LON0 + 0.02, LAT0 + 0.01)], crs="EPSG:4490")
    g.to_file(folder / "g.gpkg")
    return folder / "g.gpkg"


def _fix(out: str, lang: str) -> str:
    lines = out.splitlines()
    i = next(k for k, line in enumerate(lines) if "BND-ID" in line)
    fix = lines[i + 1]
    assert fix.lstrip().startswith("处理办法" if lang == "zh" else "Fix")
    return fix


@pytest.mark.parametrize(("lang", "dissolve"), [("zh", "融合"), ("en", "Dissolve")])
def test_group_field_given_is_not_asked_for(tmp_path: Path, lang: str, dissolve: str) -> None:
    hh = lonlat_households_csv(tmp_path, LON0 - 0.005, LAT0)
    out = run_cli(["--lang", lang, "validate", str(hh), "--crs", "EPSG:4490", "--groups", str(_groups(tmp_path)),
                   "--group-field", "组名"], lang, code=2)
    fix = _fix(out, lang)
    assert "组名" in fix and dissolve in fix, fix
    assert "--group-field" in fix and ("所指" in fix if lang == "zh" else "given with --group-field" in fix), fix
    assert ("指明该列" not in fix) if lang == "zh" else ("name it with --group-field" not in fix
                                                       and "name the column with" not in fix), fix


@pytest.mark.parametrize(("lang", "way"), [("zh", "用 --group-field 指明该列"), ("en", "name it with --group-field")])
def test_group_column_found_by_name_names_the_option(tmp_path: Path, lang: str, way: str) -> None:
    hh = lonlat_households_csv(tmp_path, LON0 - 0.005, LAT0)
    out = run_cli(["--lang", lang, "validate", str(hh), "--crs", "EPSG:4490", "--groups", str(_groups(tmp_path))],
                  lang, code=2)
    fix = _fix(out, lang)
    assert way in fix and "name" in fix, fix
