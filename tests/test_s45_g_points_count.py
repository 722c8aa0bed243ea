"""Session 45, helper G: a 合计 row of a points table with its count in a coordinate cell is a total, not a point.

A district's list of service halls ending '合计 | 3 处 |' (the count typed in the 经度 column) stopped
'yuanluo cover … --fixed' with POINTS-COORD (第 5 行), exit 2: a filled coordinate cell kept the row as a point.
A total row is known by its words (合计 in its first filled cell, no id), and a coordinate cell counts only when it
reads as a number: text such as '3 处' or '共 3 处' is a count. Not changed: a named row whose coordinate is text
(待测) is an error, and so is a 合计 row with a number in a coordinate cell (it may be a point missing the other).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from shared_fixtures import run_cli

from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_households, read_points
from yuanluo.gis.output import write_layers
from yuanluo.maps.sample import sample_layers

HALLS = "名称,经度,纬度\n村委会,106.55,29.56\n院坝,106.552,29.561\n祠堂,106.553,29.562\n"


def _points(path: Path, last: str) -> Path:
    path.write_text(HALLS + last, encoding="utf-8")
    return path


def _read(path: Path):
    return read_points(path, kind="fixed", crs="EPSG:4490", working_crs="EPSG:4545")


@pytest.mark.parametrize("last", ["合计,3 处,\n", "合计,共 3 处,共 3 处\n", "合 计：,,共3处\n", "合计,=COUNTA(A2:A4),\n"])
def test_a_count_in_a_coordinate_cell_is_a_total(tmp_path, last):
    pts = _read(_points(tmp_path / "halls.csv", last))
    assert pts["名称"].tolist() == ["村委会", "院坝", "祠堂"]
    assert [(w.code, w.rows) for w in pts.attrs["warnings"]] == [("POINTS-TOTAL", (5,))]


def test_the_workbook_as_a_clerk_writes_it(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["现有服务点一览表"])
    ws.merge_cells("A1:C1")
    ws.append(["名称", "经度", "纬度"])
    for n, x, y in [("村委会", 106.55, 29.56), ("院坝", 106.552, 29.561), ("祠堂", 106.553, 29.562)]:
        ws.append([n, x, y])
    ws.append(["合计", "共 3 处", None])
    wb.save(tmp_path / "halls.xlsx")
    pts = _read(tmp_path / "halls.xlsx")
    assert len(pts) == 3 and [(w.code, w.rows) for w in pts.attrs["warnings"]] == [("POINTS-TOTAL", (6,))]


@pytest.mark.parametrize(("last", "rows"), [
    ("新华村便民点,待测,\n合计,3 处,\n", (5,)),  # a name: a point whose coordinates are not yet known
    ("合计,3,\n", (5,)),  # a number: a coordinate, the other one missing
])
def test_a_point_stays_an_error(tmp_path, last, rows):
    with pytest.raises(InputError) as exc:
        _read(_points(tmp_path / "halls.csv", last))
    assert [(q.code, q.rows) for q in exc.value.problems if q.code == "POINTS-COORD"] == [("POINTS-COORD", rows)]


def test_a_roster_total_with_a_count_in_a_coordinate_cell(tmp_path):
    p = tmp_path / "hh.csv"
    p.write_text("户编号,人口,经度,纬度\n" + "".join(f"H{i},3,106.5{i}1,29.5{i}1\n" for i in range(4))
                 + "合计,12,共 4 户,\n", encoding="utf-8")
    h, rep = read_households(p, crs="EPSG:4490")
    assert h.index.tolist() == ["H0", "H1", "H2", "H3"]
    assert [(w.code, w.rows) for w in rep.warnings if w.code.startswith("ROW")] == [("ROW-TOTAL", (6,))]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cover_runs(tmp_path, lang):
    import geopandas as gpd

    write_layers(tmp_path / "result.gpkg",
                 {k: v for k, v in sample_layers(200, block=5).items() if k != "run"})
    g = gpd.read_file(tmp_path / "result.gpkg", layer="households").to_crs(4490).geometry
    rows = "".join(f"服务站{i},{g.iloc[k].x:.6f},{g.iloc[k].y:.6f}\n" for i, k in enumerate((0, 50, 120)))
    (tmp_path / "fixed.csv").write_text("名称,经度,纬度\n" + rows + "合计,3 处,\n", encoding="utf-8")
    out = run_cli(["cover", str(tmp_path / "result.gpkg"), "-o", str(tmp_path / "cv.gpkg"),
                   "--fixed", str(tmp_path / "fixed.csv"), "--crs", "EPSG:4490"], lang=lang)
    assert "POINTS-COORD" not in out and "POINTS-TOTAL" in out and (tmp_path / "cv.gpkg").exists()
