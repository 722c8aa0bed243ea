"""A single 经纬度 / 坐标 column is read as longitude,latitude (session 53, helper U: a household table whose
coordinates came from a web map's coordinate picker, ``106.5,29.5`` in one cell, was COL-MISSING, "no longitude and
latitude columns"). A comma, a full-width comma, a semicolon or spaces between the two; every cell that is not a
pair named (COORD-PAIR); cells written latitude first are COORD-SWAP saying to write them the other way round; a
projected CRS is COORD-PAIR-CRS (a pair is read as longitude,latitude only)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_households
from yuanluo.planners.cli import app

runner = CliRunner()
PAIRS = ["106.5000,29.5000", "106.5004，29.5003", "106.5008 29.5000", "106.5012, 29.5003", "106.5016；29.5000"]


def _book(tmp: Path, cells: list[str], name: str = "经纬度") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["农户花名册"])
    ws.append(["户编号", "人口", "村民小组", name])
    for i, c in enumerate(cells):
        ws.append([f"H{i + 1:03d}", 3, "1组", c])
    p = tmp / "农户 坐标.xlsx"
    wb.save(p)
    return p


@pytest.mark.parametrize("name", ["经纬度", "坐标", "坐标（经度，纬度）", "lnglat"])
def test_a_pair_column_is_read_as_longitude_latitude(tmp_path: Path, name: str) -> None:
    h, rep = read_households(_book(tmp_path, PAIRS, name), crs="EPSG:4490")
    lonlat = h.to_crs(4326)
    assert [round(v, 4) for v in lonlat.geometry.x] == [106.5, 106.5004, 106.5008, 106.5012, 106.5016]
    assert [round(v, 4) for v in lonlat.geometry.y] == [29.5, 29.5003, 29.5, 29.5003, 29.5]
    assert rep.column_map["lon"] == rep.column_map["lat"] == name
    assert h[name].tolist() == PAIRS  # kept as written


def test_every_cell_that_is_no_pair_is_named(tmp_path: Path) -> None:
    cells = [*PAIRS, "106.52", "106.5,29.5,300", "东院,29.5", ""]
    with pytest.raises(InputError) as info:
        read_households(_book(tmp_path, cells), crs="EPSG:4490")
    pair = [q for q in info.value.problems if q.code == "COORD-PAIR"]
    assert len(pair) == 1 and pair[0].rows == (8, 9, 10) and pair[0].ids == ("H006", "H007", "H008"), pair
    assert "COL-MISSING" not in info.value.codes
    assert pair[0].message("zh").startswith("错误 COORD-PAIR：文件 ") and "列“经纬度”中有 3 格不是一对坐标（第 8、9、10 行" in \
        pair[0].message("zh")


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "列“经纬度”各格的第二个数是 106.5 这样的值，不是纬度。 处理办法：把这些格的两个数对调：经度在前，纬度在后"),
    ("en", "the second number in the cells of '经纬度' is a value like 106.5, not a latitude. Fix: write the two "
           "numbers of these cells the other way round: longitude first, then latitude")])
def test_latitude_first_is_said_of_the_cells(tmp_path: Path, lang: str, said: str) -> None:
    swapped = [",".join(reversed(c.replace("，", ",").replace("；", ",").replace(" ", ",").replace(",,", ",")
                                 .split(","))) for c in PAIRS]
    res = runner.invoke(app, ["--lang", lang, "validate", str(_book(tmp_path, swapped)), "--crs", "gcj02"])
    out = " ".join(res.output.split())
    assert res.exit_code == 2 and "COORD-SWAP" in out and said in out, out
    assert "--x-col" not in out, out


def test_a_pair_under_a_projected_crs_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_households(_book(tmp_path, PAIRS), crs="EPSG:4545")
    assert [q.code for q in info.value.problems] == ["COORD-PAIR-CRS"], info.value.problems
    assert "crs=\"EPSG:4490\"" in info.value.problems[0].fix("en")
    # coordinate columns win over a column named 坐标, which is then kept as it is
    p = tmp_path / "农户.csv"
    p.write_text("户编号,经度,纬度,坐标\nH1,106.5,29.5,备注\nH2,106.5004,29.5003,\n", encoding="utf-8")
    h, rep = read_households(p, crs="EPSG:4490")
    assert rep.column_map["lon"] == "经度" and h["坐标"].tolist()[0] == "备注"

