"""A village-code column named 行政村代码 / 村编码 / 行政村编码 is a division-code column (ATTR-CODE when Excel
turned it into 5.00113E+11; it was read as the float 500113000000.0, equal across towns), and a nesting column
(village, group, settlement, town) in scientific notation is an error, ATTR-SCI."""

from __future__ import annotations

import pytest

from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_households

HEAD = "户编号,乡镇,行政村,村民小组,{code},经度,纬度,人口\n"


def _csv(tmp_path, code_name, rows):
    p = tmp_path / "hh.csv"
    body = "".join(f"{i:06d},{t},{v},{g},{c},{108.38 + i * 1e-4:.6f},29.77,2\n"
                   for i, (t, v, g, c) in enumerate(rows, start=1))
    p.write_text(HEAD.format(code=code_name) + body, encoding="utf-8")
    return p


@pytest.mark.parametrize("name", ["行政村代码", "村编码", "行政村编码"])
def test_a_village_code_in_scientific_notation_is_an_error(tmp_path, name):
    p = _csv(tmp_path, name, [("甲镇", "新华村", "一组", "5.00113E+11"), ("乙镇", "新华村", "一组", "5.00113E+11")])
    with pytest.raises(InputError) as info:
        read_households(p, crs="EPSG:4490")
    assert info.value.codes == ["ATTR-CODE"]
    assert name in info.value.render("zh") and name in info.value.render("en")


def test_the_code_is_kept_as_twelve_digits(tmp_path):
    p = _csv(tmp_path, "行政村代码", [("甲镇", "新华村", "一组", "500113101001"), ("乙镇", "新华村", "一组", "500113102001")])
    hh, _ = read_households(p, crs="EPSG:4490")
    assert hh["行政村代码"].tolist() == ["500113101001", "500113102001"]


@pytest.mark.parametrize("col", [1, 2, 3])
def test_a_nesting_column_in_scientific_notation_is_an_error(tmp_path, col):
    rows = [["甲镇", "新华村", "一组", "500113101001"], ["乙镇", "胜利村", "二组", "500113102001"]]
    rows[0][col - 1] = "5.00113E+11"
    rows[1][col - 1] = "5.00113E+11"
    with pytest.raises(InputError) as info:
        read_households(_csv(tmp_path, "行政区划代码", [tuple(r) for r in rows]), crs="EPSG:4490")
    assert info.value.codes == ["ATTR-SCI"]
    column = ["乡镇", "行政村", "村民小组"][col - 1]
    zh, en = info.value.render("zh"), info.value.render("en")
    assert f"列“{column}”" in zh and "5.00113E+11" in zh and "科学计数法" in zh
    assert f"column '{column}'" in en and "scientific notation" in en
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in en.replace(column, "").replace("hh.csv", ""))
