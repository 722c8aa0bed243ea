"""Session 44, helper G: ROW-TOTAL names what each of a table's last total rows reads, not the first's alone.

A roster ending in two total rows, 合计 in 序号 and 总计 in 户主姓名 under it: 'yuanluo validate tot.csv' said
'表末 2 行是合计行 … （第 6、7 行，列“序号”为“合计”）', as if row 7 read 合计 in 序号 too. Now each row is named
with its column and word where they differ; where every row reads the same, the message is as before.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_fixtures import run_cli

from yuanluo.gis.io import read_households

HEAD = "序号,户编号,户主姓名,村,组,人口,经度,纬度"
ROWS = [f"{i},H00{i},张{i},新华村,1组,3,106.50{i},29.50{i}" for i in range(1, 5)]


def _csv(path: Path, *last: str) -> Path:
    path.write_text("\n".join([HEAD, *ROWS, *last]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", "表末 2 行是合计行，不是农户，已跳过（第 6、7 行，其中第 6 行的“序号”为“合计”，第 7 行的“户主姓名”为“总计”）。"),
    ("en", "2 rows at the end of the table (rows 6, 7; row 6 reads “合计” in column “序号”, "
           "row 7 reads “总计” in column “户主姓名”)."),
])
def test_two_different_total_rows_are_both_named(tmp_path, lang, words):
    p = _csv(tmp_path / "tot.csv", "合计,,,,,12,,", ",,总计,,,12,,")
    said = run_cli(["validate", str(p), "--crs", "EPSG:4490"], lang=lang)
    assert words in " ".join(said.split("\n"))


def test_rows_reading_the_same_are_said_as_before(tmp_path):
    p = _csv(tmp_path / "tot.csv", "合计,,,,,12,,", "合计,,,,,12,,")
    _, rep = read_households(p, crs="EPSG:4490")
    w = next(w for w in rep.warnings if w.code == "ROW-TOTAL")
    assert w.title("zh") == "表末 2 行是合计行，不是农户，已跳过（第 6、7 行，列“序号”为“合计”）。"
    assert w.title("en").endswith("(rows 6, 7; column “序号” reads “合计”).")


def test_many_total_rows_are_named_up_to_five(tmp_path):
    last = [f"{w},,,,,12,," for w in ("合计", "总计", "共计", "小计", "合計", "總計", "Total")]
    _, rep = read_households(_csv(tmp_path / "tot.csv", *last), crs="EPSG:4490")
    w = next(w for w in rep.warnings if w.code == "ROW-TOTAL")
    assert w.rows == tuple(range(6, 13))
    zh, en = w.title("zh"), w.title("en")
    assert "第 10 行的“序号”为“合計”等，另 2 行" in zh and "總計" not in zh
    assert "row 10 reads “合計” in column “序号” and 2 more rows" in en
