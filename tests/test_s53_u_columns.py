"""A household table's 自然村落 column is its settlements (session 53, helper U: 自然村 was read as the settlement
column and 自然村落, the same word written out, was not: delineate said the table had no settlement column and found
the settlements itself, and check left the rule unchecked, RULE-UNAPPLIED)."""

from __future__ import annotations

from pathlib import Path

from badfiles import good_rows, write_csv

from yuanluo.gis.io import read_households


def test_the_settlement_column_written_out_is_read(tmp_path: Path) -> None:
    rows = [f"{r},{'张家湾' if i < 4 else '李家院子'}" for i, r in enumerate(good_rows(8))]
    hh = write_csv(tmp_path, "农户.csv", ["户编号,经度,纬度,人口,村民小组,自然村落", *rows], encoding="gbk")
    h, _ = read_households(hh, crs="EPSG:4490")
    assert list(h["settlement"]) == ["张家湾"] * 4 + ["李家院子"] * 4
