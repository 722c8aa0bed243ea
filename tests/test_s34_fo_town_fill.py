"""A town column (乡镇) or a village division-code column filled only on its first row, as Excel saves a
merged cell to CSV, quietly split the village: the nest key compares those columns too (gis.keys.levels), so
row 1 was a village of its own, with no warning, and a delineation made it a 1-household exception "whose
neighbours belong to another village". They now get the village column's treatment: filled down (NEST-FILLED)
when the blanks are plainly merged cells, else NEST-BLANK."""

from __future__ import annotations

import numpy as np
from shared_fixtures import TOWN_HEAD, roster_csv

from yuanluo.gis.io import read_households
from yuanluo.gis.keys import nest_key


def test_merged_town_is_filled_down(tmp_path):
    rows = [f"{'甲镇' if i == 0 else ''},新华村,一组" for i in range(40)]
    hh, rep = read_households(roster_csv(tmp_path, TOWN_HEAD, rows), crs="EPSG:4490")
    found = [w for w in rep.warnings if w.code == "NEST-FILLED"]
    assert len(found) == 1 and found[0].params["column"] == "乡镇" and len(found[0].rows) == 39
    assert "列“乡镇”有 39 户为空" in found[0].message("zh") and "the column “乡镇”" in found[0].message("en")
    assert hh["乡镇"].tolist() == ["甲镇"] * 40
    assert len(set(nest_key(hh, ["village", "group"]).tolist())) == 1


def test_merged_code_is_filled_down_and_a_scattered_blank_town_is_said(tmp_path):
    rows = [f"{'500101001001' if i == 0 else ''},新华村,一组" for i in range(10)]
    hh, rep = read_households(roster_csv(tmp_path, "户编号,行政区划代码,行政村,村民小组,经度,纬度\n", rows),
                              crs="EPSG:4490")
    assert [w.params["column"] for w in rep.warnings if w.code == "NEST-FILLED"] == ["行政区划代码"]
    assert hh["行政区划代码"].tolist() == ["500101001001"] * 10
    assert len(set(nest_key(hh, ["village"]).tolist())) == 1
    # blanks not below a filled cell (the first row blank): not filled, said as NEST-BLANK
    rows = ["" if i in (0, 5) else "甲镇" for i in range(10)]
    hh, rep = read_households(roster_csv(tmp_path, TOWN_HEAD, [f"{t},新华村,一组" for t in rows]),
                              crs="EPSG:4490")
    blank = [w for w in rep.warnings if w.code == "NEST-BLANK"]
    assert len(blank) == 1 and blank[0].params["column"] == "乡镇" and blank[0].rows == (2, 7)
    assert "列“乡镇”有 2 户为空" in blank[0].message("zh") and "“乡镇” is blank" in blank[0].message("en")
    assert np.unique(nest_key(hh, ["village"])).size == 2
