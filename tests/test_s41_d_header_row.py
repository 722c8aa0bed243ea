"""The run record says which row held the household table's header (a 花名册 with a title line above it, a blank
row below it, a header of two rows): ``inputs.households.header_row``, beside ``first_row``."""
from __future__ import annotations

from pathlib import Path

import pyogrio
import pytest
from shared_fixtures import run_cli

from yuanluo.gis.io import read_households


def _households(n: int = 16) -> list[list[str]]:
    return [[f"{i + 1:06d}", "3", f"{106.55 + 0.0004 * i:.6f}", f"{29.56 + 0.0003 * (i % 3):.6f}"] for i in range(n)]


def _run(gpkg: Path) -> dict[str, str]:
    df = pyogrio.read_dataframe(gpkg, layer="run")
    return dict(zip(df["key"], df["value"], strict=True))


def test_csv_title_and_blank_row(tmp_path: Path) -> None:
    """Title on row 1, header on row 2, a blank row 3, households from row 4: header_row 2, first_row 4."""
    rows = [["汉阳镇 农户花名册（2026年）"], ["户号", "人口", "经度", "纬度"], [], *_households()]
    hh = tmp_path / "花名册.csv"
    hh.write_bytes("\n".join(",".join(r) for r in rows).encode("gbk") + b"\n")
    out = tmp_path / "r.gpkg"
    run_cli(["delineate", str(hh), "--crs", "gcj02", "--min", "4", "--max", "8", "-o", str(out)])
    run = _run(out)
    assert run["inputs.households.header_row"] == "2"
    assert run["inputs.households.first_row"] == "4"


@pytest.mark.parametrize(("head", "expected"), [
    ([["村民花名册"], [], ["户号", "人口", "经度", "纬度"]], 3),  # title, blank row, header
    ([["户号", "人口", "坐标", ""], ["", "", "经度", "纬度"]], 1),  # a header of two rows: its upper row
])
def test_xlsx_header_row(tmp_path: Path, head: list[list[str]], expected: int) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for r in [*head, *_households()]:
        ws.append(r or [None])
    hh = tmp_path / "花名册.xlsx"
    wb.save(hh)
    _, report = read_households(hh, crs="EPSG:4490")
    assert report.header_row == expected
    assert report.to_dict()["header_row"] == expected
    out = tmp_path / "r.gpkg"
    run_cli(["delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "-o", str(out)], lang="en")
    assert _run(out)["inputs.households.header_row"] == str(expected)
    assert _run(out)["inputs.households.first_row"] == str(len(head) + 1)


def test_layer_has_no_header_row(tmp_path: Path) -> None:
    import geopandas as gpd
    from shapely.geometry import Point

    g = gpd.GeoDataFrame({"户编号": [f"{i:03d}" for i in range(4)]},
                         geometry=[Point(106.55 + 0.0004 * i, 29.56) for i in range(4)], crs=4490)
    g.to_file(tmp_path / "h.gpkg", layer="households")
    _, report = read_households(tmp_path / "h.gpkg")
    assert report.header_row is None
