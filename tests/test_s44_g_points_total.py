"""Session 44, helper G: a list of service points ending in a 合计 row, as a district office writes it, is read.

'yuanluo cover result.gpkg -o cv.gpkg --fixed fixed_gbk.csv --crs EPSG:4490' of a GBK CSV of 3 halls and a last row
'合计,,' stopped with POINTS-COORD (第 5 行) and exit 2; so did a workbook with a title row, a two-row merged header
(位置 over 经度/纬度), a hidden 备注 column and '合计 | | | 共 3 处' at the end. Such rows (no coordinates, a total
word first, as a roster's ROW-TOTAL) are now skipped with the warning POINTS-TOTAL; a row with coordinates is
always a point.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from shared_fixtures import run_cli

from yuanluo.gis.io import read_points
from yuanluo.gis.output import write_layers
from yuanluo.maps.sample import sample_layers


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    import geopandas as gpd

    d = tmp_path_factory.mktemp("points_total")
    write_layers(d / "result.gpkg", {k: v for k, v in sample_layers(200, block=5).items() if k != "run"})
    g = gpd.read_file(d / "result.gpkg", layer="households").to_crs(4490).geometry
    halls = [(f"服务站{i + 1}", round(g.iloc[k].x, 6), round(g.iloc[k].y, 6)) for i, k in enumerate((0, 50, 120))]
    (d / "fixed_gbk.csv").write_bytes(("名称,经度,纬度\n" + "".join(f"{n},{x},{y}\n" for n, x, y in halls)
                                       + "合计,,\n").encode("gbk"))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["现有服务点统计表"])
    ws.append(["名称", "位置", None, "备注"])
    ws.append([None, "经度", "纬度", None])
    for rng in ("A1:D1", "B2:C2", "A2:A3", "D2:D3"):
        ws.merge_cells(rng)
    for n, x, y in halls:
        ws.append([n, x, y, None])
    ws.append(["合计", None, None, "共 3 处"])
    ws.column_dimensions["D"].hidden = True
    wb.save(d / "fixed.xlsx")
    return d / "result.gpkg", d / "fixed_gbk.csv", d / "fixed.xlsx"


@pytest.mark.parametrize(("name", "row"), [("fixed_gbk.csv", 5), ("fixed.xlsx", 7)])
def test_the_total_row_is_skipped_and_said(made, name, row):
    d = made[0].parent
    pts = read_points(d / name, kind="fixed", crs="EPSG:4490", working_crs="EPSG:32648")
    assert pts["名称"].tolist() == ["服务站1", "服务站2", "服务站3"]
    assert [(w.code, w.rows) for w in pts.attrs["warnings"] if w.code.startswith("POINTS")] == [("POINTS-TOTAL", (row,))]


def test_the_words(made):
    w = read_points(made[1], kind="fixed", crs="EPSG:4490", working_crs="EPSG:32648").attrs["warnings"][0]
    assert w.title("zh").endswith("fixed_gbk.csv 中有 1 行是合计或小计行，不是服务点，已跳过（第 5 行，列“名称”为“合计”）。")
    # (its English said "… total or subtotal rows, not points, were skipped: 1 (row 5; …)" until session 56, U)
    assert w.title("en").startswith("skipped as totals or subtotals, not points: 1 row of ")
    assert w.title("en").endswith("fixed_gbk.csv, given to --fixed (row 5; column “名称” reads “合计”).")
    assert w.fix("zh").startswith("无需处理") and w.fix("en").startswith("nothing needs doing")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cover_runs(made, tmp_path, lang):
    result, csv, _ = made
    out = run_cli(["cover", str(result), "-o", str(tmp_path / "cv.gpkg"), "--fixed", str(csv), "--crs", "EPSG:4490"],
                  lang=lang)
    assert "POINTS-COORD" not in out and "POINTS-TOTAL" in out and (tmp_path / "cv.gpkg").exists()
