"""Session 44, helper H: ``yuanluo edit`` starts from unit polygons (``--units``), as ``check`` and ``repair`` read them.

A district with only unit polygons (院落范围.shp) could not open its plan in the editor: ``edit --units`` did not
exist and ``edit --plan 院落范围.shp`` said PLAN-COLUMN "找不到户编号列（现有列：unit_id）", with a fix to rename the
columns of a table it does not have (session 43, helper H's finding 12). Now ``edit --units`` (with ``--unit-col``)
assigns the households by location as ``check --units`` does, and ``--plan`` given a layer of polygons is the coded
error EDIT-PLAN-UNITS naming ``--units`` (exit 2, nothing written).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box
from shared_fixtures import run_cli


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twelve households in two clusters of six (H00-H05, H06-H11), delineated 4-8: two units of six; and unit
    polygons (a Shapefile, and a GeoPackage layer) of another plan: H00-H03 in 甲, H04-H11 in 乙."""
    folder = tmp_path_factory.mktemp("edit_units")
    rows = ["户编号,经度,纬度"]
    rows += [f"H{i:02d},{106.55 + 0.0003 * i + (0.004 if i >= 6 else 0):.6f},29.560000" for i in range(12)]
    hh, rf = folder / "hh.csv", folder / "r.toml"
    hh.write_text("\n".join(rows) + "\n", encoding="utf-8")
    rf.write_text("[rules]\nmin_size = 4\nmax_size = 8\nnest_by = []\nkeep_settlements = false\n"
                  "require_head = false\n", encoding="utf-8")
    out = folder / "out.gpkg"
    run_cli(["delineate", str(hh), "--crs", "EPSG:4490", "--rules", str(rf), "-o", str(out), "-q"])
    cut = 106.55 + 0.0003 * 3.5
    polys = gpd.GeoDataFrame({"unit_id": ["甲", "乙"]}, crs="EPSG:4490",
                             geometry=[box(106.549, 29.559, cut, 29.561), box(cut, 29.559, 106.56, 29.561)])
    polys.to_file(folder / "院落范围.shp", encoding="utf-8")
    polys.rename(columns={"unit_id": "名称"}).to_file(folder / "范围.gpkg", layer="units")
    return out


def _data(page: Path) -> dict:
    data = re.search(r'id="yl-editor-data">(.*?)</script>', page.read_text(encoding="utf-8"), re.S)
    assert data is not None
    return dict(json.loads(data.group(1)))


def _units(page: Path) -> dict[str, str]:
    """Each household's unit at the page's start, from its data block."""
    hh = _data(page)["hh"]
    ids = hh["ids"] if isinstance(hh["ids"], list) else [  # Y.ids: a prefix and numbers zero-padded
        hh["ids"]["p"] + str(v).zfill(hh["ids"]["w"]) for v in _ints(hh["ids"]["n"])]
    return dict(zip(ids, (hh["units"][k] for k in _ints(hh["unit"])), strict=True))


def _ints(v: object) -> list:
    """Y.ints of the page (maps.interactive._compact_ints decoded)."""
    if isinstance(v, list):
        return v
    assert isinstance(v, dict)
    (kind, a), = v.items()
    if kind in ("r", "zr"):
        a = [x for val, n in zip(a[::2], a[1::2], strict=True) for x in [val] * n]
    if kind in ("z", "zr"):
        out, s = [], 0
        for d in a:
            s += d
            out.append(s)
        a = out
    return list(a)


WANT = {f"H{i:02d}": "甲" if i < 4 else "乙" for i in range(12)}


def test_edit_starts_from_unit_polygons(result: Path, tmp_path: Path) -> None:
    page = tmp_path / "e.html"
    said = run_cli(["edit", str(result), "--units", str(result.parent / "院落范围.shp"), "-o", str(page), "-q"])
    assert page.name in said
    assert _units(page) == WANT  # by location, not the result's own two units of six
    # the dashed outlines are the plan's as loaded, not the result's units U001, U002 (no such unit in the plan)
    assert sorted(_data(page)["territories"]["ids"]) == ["乙", "甲"]
    # a GeoPackage layer whose unit column is named by --unit-col, as check --units reads it
    page2 = tmp_path / "e2.html"
    run_cli(["edit", str(result), "--units", f"{result.parent / '范围.gpkg'}::units", "--unit-col", "名称",
             "-o", str(page2), "-q"])
    assert _units(page2) == WANT


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_polygons_given_as_a_plan_table_name_units(result: Path, tmp_path: Path, lang: str) -> None:
    page = tmp_path / "e.html"
    polys = str(result.parent / "院落范围.shp")
    said = run_cli(["edit", str(result), "--plan", polys, "-o", str(page)], lang, code=2)
    assert "EDIT-PLAN-UNITS" in said and f"--units {polys}" in said.replace("\n", ""), said
    assert not page.exists()
    if lang == "en":
        assert "is a layer of unit polygons, not a plan table" in said, said
    else:
        assert "是院落范围面图层，不是方案表" in said, said


def test_the_results_own_plan_keeps_its_meeting_points_and_outlines(result: Path, tmp_path: Path) -> None:
    # no plan given: the result's own units drawn and its meeting points walked to (as before --units)
    page = tmp_path / "own.html"
    run_cli(["edit", str(result), "-o", str(page), "-q"])
    data = _data(page)
    assert sorted(set(_units(page).values())) == sorted(data["territories"]["ids"]) and len(data["territories"]["ids"]) == 2
    assert data["meet"] and sorted(data["meet"]) == sorted(data["territories"]["ids"]), data["meet"]
