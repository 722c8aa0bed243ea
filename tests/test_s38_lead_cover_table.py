"""`yuanluo cover hh.csv --crs EPSG:4490 -o c.gpkg` stopped with CRS-MISSING, whose fix, "declare the household
file's coordinate system with --crs", could not be followed: cover's --crs is for the --candidates and --fixed
tables, and cover takes a result GeoPackage (README), as map, edit and maturity do. It now says RESULT-NOT-RESULT,
whose fix is to delineate first, as `map` says of the same file (found by helper I)."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_fixtures import run_cli


@pytest.mark.parametrize(("lang", "fix"), [("zh", "yuanluo delineate"), ("en", "yuanluo delineate")])
def test_cover_of_a_household_table_says_to_delineate_first(tmp_path: Path, lang: str, fix: str) -> None:
    hh = tmp_path / "hh.csv"
    hh.write_text("户编号,经度,纬度,村\nH1,106.5,29.5,甲村\nH2,106.501,29.5,甲村\n", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    out = run_cli(["cover", str(hh), "--crs", "EPSG:4490", "-o", str(tmp_path / "c.gpkg")], lang, code=2)
    assert "RESULT-NOT-RESULT" in out and fix in out, out
    assert "CRS-MISSING" not in out, out
    assert sorted(p.name for p in tmp_path.iterdir()) == before
