"""A list of service points read off a web map, its coordinates in one 经纬度 column, is read as the household
table's is (session 53, helper U: ``cover --candidates 候选.csv`` of 名称, 经纬度 was POINTS-COLUMNS, "no coordinate
columns"): longitude first, a cell that is not a pair named (COORD-PAIR), latitude-first cells COORD-SWAP saying to
write them the other way round, a projected CRS COORD-PAIR-CRS."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_points


def _list(tmp: Path, cells: list[str]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["候选服务点（高德坐标拾取）"])
    ws.append(["名称", "经纬度"])
    for i, c in enumerate(cells):
        ws.append([f"点{i + 1}", c])
    p = tmp / "候选 服务点.xlsx"
    wb.save(p)
    return p


def test_a_list_of_pairs_is_read_longitude_first(tmp_path: Path) -> None:
    pts = read_points(_list(tmp_path, ["106.5500,29.5600", "106.5520，29.5610"]), kind="candidates",
                      working_crs="EPSG:4545", crs="EPSG:4490")
    lonlat = pts.to_crs(4326)
    assert pts["名称"].tolist() == ["点1", "点2"] and pts.attrs["rows"] == [3, 4]
    assert [round(v, 4) for v in lonlat.geometry.x] == [106.55, 106.552]
    assert [round(v, 4) for v in lonlat.geometry.y] == [29.56, 29.561]


@pytest.mark.parametrize(("cells", "crs", "code", "said"), [
    (["106.5500,29.5600", "106.5520", "东院"], "EPSG:4490", "COORD-PAIR",
     "in column '经纬度', 2 cells are not a coordinate pair (rows 4, 5), e.g. '106.5520'."),
    (["29.5600,106.5500", "29.5610 106.5520"], "gcj02", "COORD-SWAP",
     "the second number in the cells of '经纬度' is a value like 106.55, not a latitude."),
    (["106.5500,29.5600"], "EPSG:4545", "COORD-PAIR-CRS",
     "is read as longitude,latitude only, but the declared coordinate system EPSG:4545 is projected.")])
def test_what_is_no_pair_is_said(tmp_path: Path, cells: list[str], crs: str, code: str, said: str) -> None:
    with pytest.raises(InputError) as info:
        read_points(_list(tmp_path, cells), kind="candidates", working_crs="EPSG:4545", crs=crs)
    assert [q.code for q in info.value.problems] == [code], info.value.problems
    assert said in info.value.render("en"), info.value.render("en")
