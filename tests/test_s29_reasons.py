"""Audit s29 K §5 and §10: an exception's reason names the nesting column that really cuts it off, with a fix that
fits; CHECK-PERSONS-NA names the household file and its rows."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo.gis.check import check_plan
from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.delineate.reasons import unit_reasons
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.rules import Rules

CRS = "EPSG:4545"
NEST = ("village", "group", "settlement")


def _fit(group: list[str], settlement: list[str], nest_by: tuple[str, ...] = NEST) -> UnitDelineator:
    """A chain of 41 households 100 m apart, band 20–25."""
    n = len(group)
    xy = np.c_[np.arange(n) * 100.0, np.zeros(n)]
    ids = [f"{i:03d}" for i in range(n)]
    hh = gpd.GeoDataFrame({"village": ["A"] * n, "group": group, "settlement": settlement},
                          index=pd.Index(ids, name="hid"), geometry=gpd.points_from_xy(*xy.T), crs=CRS)
    g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(n - 1)], crs=CRS)
    return UnitDelineator(20, 25, nest_by=nest_by).fit(hh, g)


def test_an_island_cut_off_by_the_settlement_nesting_says_so_and_asks_to_drop_it():
    """Household 020 is settlement S2 between households of S1, all of one village and group: with settlement in
    nest_by it is an island of one. Its reason blamed "another village or villager group" and asked to check
    them; it now names the settlement, and the fix says to drop settlement from nest_by (keep_settlements)."""
    settlement = ["S1"] * 41
    settlement[20] = "S2"
    d = _fit(["1"] * 41, settlement)
    exc = d.exceptions_
    assert exc["n_households"].tolist() == [1]
    assert json.loads(exc["reason_params"].iloc[0])["cuts"] == [{"by": "nest", "col": "settlement"}]
    assert unit_reasons(exc, "zh").iloc[0].endswith("相邻住户属于别的自然院落")
    assert unit_reasons(exc, "en").iloc[0].endswith("its neighbours are in another settlement")
    assert exc["reason"].iloc[0].endswith("相邻住户属于别的自然院落")
    (p,) = [q for q in d.problems_ if q.code == "RULE-INFEASIBLE"]
    assert "“nest_by”" in p.fix("zh") and "“keep_settlements = true”" in p.fix("zh") and "行政村" not in p.fix("zh")
    assert "drop “settlement” from “nest_by”" in p.fix("en") and "village" not in p.fix("en")


def test_the_nearest_kin_names_the_column():
    """Household 020 (group 1, settlement S2) has a neighbour of its group in S1 on one side and one of group 2 on
    the other: the settlement keeps it from the nearer kin, so the settlement is named, not the group. Where
    every neighbour is of another group, the group is named (and the fix asks about the group only)."""
    settlement = ["S1"] * 41
    settlement[20] = "S2"
    d = _fit(["1"] * 21 + ["2"] * 20, settlement)
    (row,) = [json.loads(r) for r in d.exceptions_["reason_params"]]
    assert row["cuts"] == [{"by": "nest", "col": "settlement"}]
    group = ["1"] * 41
    group[20] = "2"
    d = _fit(group, ["S1"] * 41)
    assert json.loads(d.exceptions_["reason_params"].iloc[0])["cuts"] == [{"by": "nest", "col": "group"}]
    assert unit_reasons(d.exceptions_, "zh").iloc[0].endswith("相邻住户属于别的村民小组")
    (p,) = [q for q in d.problems_ if q.code == "RULE-INFEASIBLE"]
    assert "这些户的村民小组是否填错" in p.fix("zh") and "行政村" not in p.fix("zh")
    assert "households' villager group is entered wrongly" in p.fix("en")


def test_an_old_file_without_the_column_keeps_its_words():
    """reason_params written before the column was recorded render as before."""
    units = pd.DataFrame({"code": ["RULE-INFEASIBLE"], "reason_params": [json.dumps(
        {"size": 9, "what": "households", "lo": 20, "hi": 50, "total": 9, "why": "isolated",
         "cuts": [{"by": "nest"}]})]})
    assert unit_reasons(units, "en").iloc[0].endswith("its neighbours are in another village or villager group")


def _persons_na(lang: str, hh: gpd.GeoDataFrame) -> tuple[object, str]:
    ids = list(hh.index)
    g = TerrainGraph.from_edges(ids, np.c_[hh.geometry.x, hh.geometry.y], [(i, i + 1) for i in range(len(ids) - 1)],
                                crs=CRS)
    res = check_plan(hh, pd.Series(["A"] * len(ids), index=hh.index), Rules(2, 90, size_by="persons"), graph=g)
    (row,) = [r for _, r in res.violations.iterrows() if r["code"] == "CHECK-PERSONS-NA"]
    return row, " ".join(str(row["message_zh" if lang == "zh" else "message_en"]).split())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_persons_na_names_the_household_file_and_rows(lang: str) -> None:
    """Two households of four have no persons: CHECK-PERSONS-NA named their ids only. It now names the household
    file and their rows as the reader recorded them (``attrs["file"]``, ``attrs["rows"]``: Excel's numbers)."""
    xy = np.c_[np.arange(4) * 50.0, np.zeros(4)]
    hh = gpd.GeoDataFrame({"persons": [3, None, 4, None]}, index=pd.Index(["a", "b", "c", "d"], name="hid"),
                          geometry=gpd.points_from_xy(*xy.T), crs=CRS)
    hh.attrs.update(file="农户.csv", rows=[2, 3, 5, 9])
    _, said = _persons_na(lang, hh)
    if lang == "zh":
        assert said.startswith("警告 CHECK-PERSONS-NA：文件 农户.csv：有 2 户的人口为空") and "第 3、9 行" in said
    else:
        assert "file 农户.csv: " in said and "rows 3, 9" in said
    hh.attrs["rows"] = [2, 3]  # not one per household: no rows, the file still named
    _, said = _persons_na(lang, hh)
    assert "农户.csv" in said and ("第 " not in said if lang == "zh" else "rows" not in said)


def test_persons_na_on_the_command_line_names_the_file(tmp_path) -> None:
    """``yuanluo check`` of a CSV with a blank persons cell names the file (its rows too once the command's
    reader records them in the households' ``attrs["rows"]``)."""
    from yuanluo.planners.cli.app import app

    n = 6
    csv = tmp_path / "农户人口.csv"
    pd.DataFrame({"hid": [f"H{i}" for i in range(n)], "x": 500000.0 + np.arange(n) * 30.0,
                  "y": [3300000.0] * n, "persons": [3, "", 4, 2, 5, 3], "unit": ["A"] * 3 + ["B"] * 3}
                 ).to_csv(csv, index=False)
    rules = tmp_path / "r.toml"
    rules.write_text('[rules]\nmin_size = 2\nmax_size = 20\nsize_by = "persons"\nrequire_head = false\n',
                     encoding="utf-8")
    r = CliRunner().invoke(app, ["--lang", "en", "check", str(csv), "--crs", "EPSG:4545", "--x-col", "x",
                                 "--y-col", "y", "--id-col", "hid", "--unit-col", "unit", "--rules", str(rules)],
                        env={"COLUMNS": "400"})  # the path whole on one line, however long the temporary folder's
    said = " ".join(r.output.split())
    assert "CHECK-PERSONS-NA" in said, said
    assert "农户人口.csv" in said[said.index("CHECK-PERSONS-NA"):], said


def test_check_names_the_settlement_nesting_of_an_island():
    """``check`` of the same island (household 020, settlement S2 among S1, one village and group) said its
    neighbours "all belong to another village or villager group" and asked to check them: SIZE-EXCEPTION now names
    the settlement nesting and asks to drop settlement from nest_by. An island of another group keeps its words."""
    n = 41
    xy = np.c_[np.arange(n) * 100.0, np.zeros(n)]
    ids = [f"{i:03d}" for i in range(n)]
    settlement = ["S1"] * n
    settlement[20] = "S2"
    hh = gpd.GeoDataFrame({"village": ["A"] * n, "group": ["1"] * n, "settlement": settlement},
                          index=pd.Index(ids, name="hid"), geometry=gpd.points_from_xy(*xy.T), crs=CRS)
    g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(n - 1)], crs=CRS)
    plan = pd.Series(["A"] * 20 + ["B"] + ["C"] * 20, index=hh.index)
    res = check_plan(hh, plan, Rules(20, 25, nest_by=NEST), graph=g)
    (row,) = [r for _, r in res.violations.iterrows() if r["code"] == "SIZE-EXCEPTION"]
    assert "相邻的住户属于别的自然院落" in row["message_zh"] and "行政村" not in row["message_zh"]
    assert "“nest_by”" in row["message_zh"] and "“keep_settlements = true”" in row["message_zh"]
    assert "another settlement" in row["message_en"] and "drop “settlement” from “nest_by”" in row["message_en"]
    hh["group"] = ["1"] * 20 + ["2"] + ["1"] * 20
    hh["settlement"] = "S1"
    res = check_plan(hh, plan, Rules(20, 25, nest_by=NEST), graph=g)
    (row,) = [r for _, r in res.violations.iterrows() if r["code"] == "SIZE-EXCEPTION"]
    assert "another village or villager group" in row["message_en"]
