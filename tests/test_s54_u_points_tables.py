"""Every table of points the command line reads takes a hall's coordinates as household tables and ``cover`` lists
do (session 54, helper U, after 2fc35eb and bdc3abc): ``delineate --seeds`` and ``check --meeting-points`` of 名称,
经纬度 (halls read off a web map) were COL-MISSING, "no household id column". Each point is the household at it
(within POINT_HOUSEHOLD_M; farther, POINTS-HOUSEHOLD-FAR naming its rows), read in the household file's coordinate
system; a 经纬度 column under a projected one is COORD-PAIR-CRS whose fix names no option the table lacks (ids
instead). COORD-PAIR-CRS, POINTS-CRS, POINTS-COORD and CRS-GKPREFIX of a ``cover --fixed`` table name --fixed-crs,
the option that declares it (they said --crs, which declares the candidates'). All fail on 82ce692."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_points
from yuanluo.gis.synth import make_village
from yuanluo.planners import workflows as W
from yuanluo.planners.cli import app

runner = CliRunner()


def _households(tmp: Path) -> tuple[Path, pd.DataFrame]:
    """A household CSV in longitude and latitude (EPSG:4490) and the households as read, in the working CRS."""
    v = make_village(60, seed=1).households
    ll = v.to_crs(4490)
    table = pd.DataFrame({"户编号": v.index, "人口": v["persons"], "组": v["group"],
                          "经度": ll.geometry.x.round(7), "纬度": ll.geometry.y.round(7)})
    p = tmp / "农户 表.csv"
    table.to_csv(p, index=False, encoding="utf-8-sig")
    return p, table


def _pairs(table: pd.DataFrame, at: list[int], dlon: float = 0.0) -> list[str]:
    return [f"{table['经度'].iloc[i] + dlon:.7f}，{table['纬度'].iloc[i]:.7f}" for i in at]  # a full-width comma


def test_seeds_by_a_pair_column_are_the_households_at_them(tmp_path: Path) -> None:
    hh_file, table = _households(tmp_path)
    hh = W.load_inputs(hh_file, crs="EPSG:4490").households
    seeds = tmp_path / "祠堂 院坝.csv"
    pd.DataFrame({"名称": ["老祠堂", "院坝"], "经纬度": _pairs(table, [4, 30], dlon=0.00001)}).to_csv(
        seeds, index=False, encoding="gbk")
    assert W.read_seeds(seeds, households=hh, crs="EPSG:4490") == [table["户编号"].iloc[4], table["户编号"].iloc[30]]


def test_meeting_points_by_coordinates_are_the_households_at_them(tmp_path: Path) -> None:
    hh_file, table = _households(tmp_path)
    hh = W.load_inputs(hh_file, crs="EPSG:4490").households
    meet = tmp_path / "议事点.csv"
    pd.DataFrame({"院落": ["U1", "U2"], "经度": table["经度"].iloc[[3, 9]], "纬度": table["纬度"].iloc[[3, 9]]}).to_csv(
        meet, index=False, encoding="utf-8-sig")
    got = W.read_meeting_points(meet, households=hh, crs="EPSG:4490")
    assert got.to_dict() == {"U1": table["户编号"].iloc[3], "U2": table["户编号"].iloc[9]}
    assert got.attrs["rows"] == [2, 3] and got.attrs["file"] == str(meet)


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "远处.csv 有 1 个点离最近的农户也超过 100 米（第 3 行；最近的"),
    ("en", "远处.csv, given to --seeds, 1 point is more than 100 m from every household (row 3; the nearest")])
def test_a_seed_far_from_every_household_stops_delineate(tmp_path: Path, lang: str, said: str) -> None:
    hh_file, table = _households(tmp_path)
    seeds = tmp_path / "远处.csv"
    pd.DataFrame({"名称": ["祠堂", "远处"], "经纬度": [*_pairs(table, [0]), *_pairs(table, [0], dlon=0.05)]}).to_csv(
        seeds, index=False, encoding="utf-8-sig")
    out = tmp_path / "r.gpkg"
    res = runner.invoke(app, ["--lang", lang, "delineate", str(hh_file), "--crs", "EPSG:4490", "--seeds", str(seeds),
                              "--preset", "banan", "-o", str(out)])
    text = " ".join(res.output.split())
    assert res.exit_code == 2 and "POINTS-HOUSEHOLD-FAR" in text and said in text, text
    assert not out.exists()


@pytest.mark.parametrize(("lang", "said", "unsaid"), [
    ("zh", "--seeds 表中的坐标按农户文件的坐标系 EPSG:4545 读", "改用 --crs EPSG:4490"),
    ("en", "the coordinates of a --seeds table are read in the household file's coordinate system, EPSG:4545",
     "declare --crs EPSG:4490")])
def test_a_pair_column_of_seeds_beside_projected_households(tmp_path: Path, lang: str, said: str,
                                                           unsaid: str) -> None:
    v = make_village(60, seed=1).households
    hh_file = tmp_path / "农户 平面.csv"
    pd.DataFrame({"户编号": v.index, "人口": v["persons"], "东坐标": v.geometry.x.round(2),
                  "北坐标": v.geometry.y.round(2)}).to_csv(hh_file, index=False, encoding="utf-8-sig")
    seeds = tmp_path / "种子.csv"
    seeds.write_text("名称,经纬度\n祠堂,\"106.5,29.5\"\n", encoding="utf-8")
    res = runner.invoke(app, ["--lang", lang, "delineate", str(hh_file), "--crs", "EPSG:4545", "--seeds", str(seeds),
                              "--preset", "banan", "-o", str(tmp_path / "r.gpkg")])
    text = " ".join(res.output.split())
    assert res.exit_code == 2 and "COORD-PAIR-CRS" in text and said in text and unsaid not in text, text


def _fixed(tmp: Path, header: str, row: str) -> Path:
    p = tmp / "已有 服务点.csv"
    p.write_text(f"名称,{header}\n村委会,{row}\n", encoding="utf-8")
    return p


@pytest.mark.parametrize(("header", "row", "crs", "code"), [
    ("经纬度", '"106.55,29.56"', "EPSG:4545", "COORD-PAIR-CRS"),
    ("东坐标,北坐标", "36359474,3271000", "EPSG:4545", "CRS-GKPREFIX"),
    ("经度,纬度", "106.55,", "EPSG:4490", "POINTS-COORD"),
    ("经度,纬度", "106.55,29.56", None, "POINTS-CRS")])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_fixed_table_is_told_to_use_fixed_crs(tmp_path: Path, header: str, row: str, crs: str | None, code: str,
                                                lang: str) -> None:
    with pytest.raises(InputError) as info:
        read_points(_fixed(tmp_path, header, row), kind="fixed", working_crs="EPSG:4545", crs=crs)
    q = info.value.problems[0]
    assert q.code == code, info.value.problems
    q = replace(q, python=False)  # as the command line says it
    assert "--fixed-crs" in q.fix(lang) and "--crs " not in q.fix(lang).replace("--fixed-crs ", ""), q.fix(lang)
    with pytest.raises(InputError) as info:  # the candidates' table is declared by --crs: its fix says so
        read_points(_fixed(tmp_path, header, row), kind="candidates", working_crs="EPSG:4545", crs=crs)
    q = replace(info.value.problems[0], python=False)
    assert q.code == code and "--crs" in q.fix(lang) and "--fixed-crs" not in q.fix(lang), q.fix(lang)


def test_check_walks_to_meeting_points_given_by_coordinates(tmp_path: Path) -> None:
    """check of a result (its households in the working CRS) reads the hall's 经纬度 in the household file's system
    as its run records it: the same findings and walks as the households' ids give."""
    hh_file, table = _households(tmp_path)
    result = tmp_path / "结果.gpkg"
    res = runner.invoke(app, ["delineate", str(hh_file), "--crs", "EPSG:4490", "--preset", "banan", "-o", str(result)])
    assert res.exit_code == 0, res.output
    import geopandas as gpd

    units = gpd.read_file(result, layer="households")[["hid", "unit_id"]].drop_duplicates("unit_id")
    at = [list(table["户编号"]).index(h) for h in units["hid"]]
    by_id, by_xy = tmp_path / "议事点 户编号.csv", tmp_path / "议事点 经纬度.csv"
    pd.DataFrame({"院落": units["unit_id"], "户编号": units["hid"]}).to_csv(by_id, index=False, encoding="utf-8-sig")
    pd.DataFrame({"院落": units["unit_id"], "经纬度": _pairs(table, at)}).to_csv(by_xy, index=False, encoding="gbk")
    said = []
    for meet in (by_id, by_xy):
        out = tmp_path / f"检查 {meet.stem}.csv"
        res = runner.invoke(app, ["--lang", "en", "check", str(result), "--preset", "banan", "--meeting-points",
                                  str(meet), "--csv", str(out)])
        assert res.exit_code == 0, res.output
        said.append((out.read_bytes(), Path(str(out).replace(".csv", "_units.csv")).read_bytes()))
    assert said[0] == said[1]
