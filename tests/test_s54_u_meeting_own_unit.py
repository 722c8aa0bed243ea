"""A meeting-point table by coordinates with a unit column (院落, 东坐标/北坐标 or 经纬度) is read against the plan
(session 54, helper U, second round): each point is the nearest household of the unit its row names, not the
nearest overall; where every household of that unit is farther than POINT_HOUSEHOLD_M and another unit's is not,
POINTS-UNIT-OTHER names the row, its unit, the other unit and the household (it was PLAN-MEETING later: "the
meeting point B1 is not of the unit"). A seeds or meeting-points table with neither ids nor coordinates: its
COL-MISSING fix names both ways. All fail on 1173cd6."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()

#: two units on a line, 30 m apart within, 90 m between 甲's last (A3) and 乙's first (B1)
HOUSEHOLDS = ("户编号,东坐标,北坐标,院落,人口\n"
              "A1,500000,3300000,甲,3\nA2,500030,3300000,甲,3\nA3,500060,3300000,甲,3\n"
              "B1,500150,3300000,乙,3\nB2,500180,3300000,乙,3\nB3,500210,3300000,乙,3\n")


def _check(tmp: Path, meeting: str, lang: str, *extra: str) -> tuple[int, str]:
    hh, meet = tmp / "农户.csv", tmp / "议事点.csv"
    hh.write_text(HOUSEHOLDS, encoding="utf-8")
    meet.write_text(meeting, encoding="utf-8")
    res = runner.invoke(app, ["--lang", lang, "check", str(hh), "--crs", "EPSG:4545", "--unit-col", "院落",
                              "--min", "2", "--max", "5", "--meeting-points", str(meet), *extra])
    return res.exit_code, " ".join(res.output.split())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_point_nearer_another_units_household_is_its_own_units(tmp_path: Path, lang: str) -> None:
    # 甲's point stands 40 m from B1 (乙) and 50 m from A3 (甲): 甲 meets at A3; it was B1, PLAN-MEETING
    code, text = _check(tmp_path, "院落,东坐标,北坐标\n甲,500110,3300000\n乙,500200,3300005\n", lang,
                        "--json", str(tmp_path / "c.json"))
    assert code == 0 and "PLAN-MEETING" not in text, text
    import json

    found = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert "PLAN-MEETING" not in json.dumps(found, ensure_ascii=False)


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "议事点.csv 有 1 个点落在别的院落的农户旁，离本行所写院落的每一户都超过 100 米："
           "第 2 行写院落 甲，点却在院落 乙 的 B2 旁（离 甲 最近的一户 120 米）。"),
    ("en", "议事点.csv, given to --meeting-points, 1 point lies at another unit's household, more than 100 m from "
           "every household of the unit named on the row: row 2 names unit 甲 but stands at B2 of unit 乙 (120 m "
           "from the nearest of 甲).")])
def test_a_point_at_another_units_household_far_from_its_own_is_said(tmp_path: Path, lang: str, said: str) -> None:
    code, text = _check(tmp_path, "院落,东坐标,北坐标\n甲,500180,3300000\n乙,500200,3300005\n", lang)
    assert code == 2 and "POINTS-UNIT-OTHER" in text and said in text, text
    assert "PLAN-MEETING" not in text


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "也可不写户编号，改写各点的坐标：一列“经纬度”"),
    ("en", "Or, instead of ids, give each point's coordinates: one column “经纬度”")])
def test_meeting_points_without_ids_or_coordinates_name_both_ways(tmp_path: Path, lang: str, said: str) -> None:
    code, text = _check(tmp_path, "院落,名称\n甲,老祠堂\n乙,院坝\n", lang)
    assert code == 2 and "COL-MISSING" in text and said in text, text


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "也可不写户编号，改写各点的坐标：一列“经纬度”（如 106.55,29.56），或“经度”“纬度”两列，或“X”“Y”两列"),
    ("en", "two columns “经度” and “纬度”, or “X” and “Y”, read in the household file's coordinate system")])
def test_seeds_without_ids_or_coordinates_name_both_ways(tmp_path: Path, lang: str, said: str) -> None:
    hh, seeds = tmp_path / "农户.csv", tmp_path / "中心户.csv"
    hh.write_text(HOUSEHOLDS, encoding="utf-8")
    seeds.write_text("名称,备注\n老祠堂,a\n", encoding="utf-8")
    out = tmp_path / "r.gpkg"
    res = runner.invoke(app, ["--lang", lang, "delineate", str(hh), "--crs", "EPSG:4545", "--min", "2", "--max", "5",
                              "--seeds", str(seeds), "-o", str(out)])
    text = " ".join(res.output.split())
    assert res.exit_code == 2 and "COL-MISSING" in text and said in text, text
    assert not out.exists()


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "或院落编号和议事点的坐标，如一列经纬度，按农户文件的坐标系读，取该院落中离它最近的一户"),
    ("en", "in the household file's coordinate system: the nearest household of that unit")])
@pytest.mark.parametrize("command", ["check", "repair", "edit"])
def test_the_help_says_the_nearest_household_of_the_unit(command: str, lang: str, said: str) -> None:
    res = runner.invoke(app, ["--lang", lang, command, "--help"], env={"COLUMNS": "2000"})
    flat = "".join(res.output.split()) if lang == "zh" else " ".join(res.output.split())
    assert res.exit_code == 0 and (said.replace(" ", "") if lang == "zh" else said) in flat, res.output
