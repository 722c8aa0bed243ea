"""A row that reads like a total (合计) but holds coordinates (session 54, helper U): with 经度/纬度 columns it was read
as a household 合计 without a word, with one 经纬度 column skipped as a total (ROW-TOTAL: its pair was not seen as a
coordinate). A total has no coordinates and a household is seldom called 合计: the row is read, as a row with
coordinates always is, in both forms, and said (ROW-TOTAL-COORDS, naming the row), for points too. Both fail on
82ce692; a total row without coordinates is still skipped (ROW-TOTAL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from yuanluo.gis.io import read_households, read_points

HEADS = {"pair": "户编号,人口,经纬度", "columns": "户编号,人口,经度,纬度"}
CELLS = {"pair": ['"106.5500,29.5600"', '"106.5504，29.5603"', '"106.5502,29.5601"'],
         "columns": ["106.5500,29.5600", "106.5504,29.5603", "106.5502,29.5601"]}


def _table(tmp: Path, form: str, total: str) -> Path:
    p = tmp / "花名册.csv"
    cells = CELLS[form]
    p.write_text(f"{HEADS[form]}\nH1,3,{cells[0]}\nH2,2,{cells[1]}\n合计,5,{total}\n", encoding="utf-8")
    return p


@pytest.mark.parametrize("form", ["pair", "columns"])
def test_a_total_with_coordinates_is_read_and_said(tmp_path: Path, form: str) -> None:
    hh, rep = read_households(_table(tmp_path, form, CELLS[form][2]), crs="EPSG:4490")
    assert hh.index.tolist() == ["H1", "H2", "合计"]
    said = [w for w in rep.warnings if w.code == "ROW-TOTAL-COORDS"]
    assert [w.rows for w in said] == [(4,)], rep.warnings
    assert "ROW-TOTAL" not in [w.code for w in rep.warnings]
    assert said[0].title("zh") == "1 行像合计行，却有坐标，已当作农户读入（第 4 行，列“户编号”为“合计”）。"
    assert said[0].title("en") == ("1 row was read, not skipped as totals: each reads like a total but holds "
                                   "coordinates, which a total does not (row 4; column “户编号” reads “合计”).")
    (tmp_path / "blank").mkdir()  # without coordinates, a total row, skipped as before
    hh, rep = read_households(_table(tmp_path / "blank", form, '""' if form == "pair" else ","), crs="EPSG:4490")
    assert hh.index.tolist() == ["H1", "H2"]
    assert [w.code for w in rep.warnings if w.code.startswith("ROW-TOTAL")] == ["ROW-TOTAL"]


def test_a_points_total_with_coordinates(tmp_path: Path) -> None:
    p = tmp_path / "服务点.csv"
    p.write_text('名称,经纬度\n村委会,"106.55,29.56"\n合计,"106.551,29.561"\n', encoding="utf-8")
    pts = read_points(p, kind="candidates", working_crs="EPSG:4545", crs="EPSG:4490")
    assert pts["名称"].tolist() == ["村委会", "合计"]
    said = [w for w in pts.attrs["warnings"] if w.code == "ROW-TOTAL-COORDS"]
    assert len(said) == 1 and said[0].rows == (3,) and "已当作点读入" in said[0].title("zh"), pts.attrs["warnings"]
    assert "if it really is a point, nothing needs doing" in said[0].fix("en")
