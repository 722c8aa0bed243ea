"""A household file whose ids lost their leading zeros (a roster kept in Excel with its id column as numbers:
000001 is 1 there) against a plan that kept them (session 34, fixer FH, defect A).

Before: every plan id was PLAN-UNKNOWN-ID and every household PLAN-UNASSIGNED, and the fix sent the user to the
plan's ids. Now the plan's ids are read with the one-to-one match (PLAN-HH-ZEROS, a warning naming the household
file), as the other direction is (PLAN-ID-ZEROS); a match not one to one is an error (PLAN-HH-ZEROS-CLASH) whose
fix names the household file, and that stops repair, edit --plan and delineate --plan as PLAN-UNKNOWN-ID does.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo.gis.plan import STRICT_PLAN_CODES, plan_kept, plan_meeting_points, read_plan_table
from yuanluo.planners.cli import app

sys.path.insert(0, str(Path(__file__).parent))
from badfiles import LAT0, LON0  # noqa: E402

runner = CliRunner()
ENV = {"COLUMNS": "400"}


def _hh(ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame(index=pd.Index(ids, name="hid"))


def test_a_plan_with_the_zeros_the_household_file_lost_is_read_one_to_one(tmp_path: Path) -> None:
    hh = _hh(["1", "2", "10", "7"])
    plan = tmp_path / "plan.csv"
    plan.write_text("户编号,院落编号,状态\n000001,U1,锁定\n000002,U1,锁定\n000010,U2,\n7,U2,\n", encoding="utf-8")
    labels, probs = read_plan_table(plan, hh)
    assert labels.to_dict() == {"1": "U1", "2": "U1", "10": "U2", "7": "U2"}
    by = {p.code: p for p in probs}
    assert set(by) == {"PLAN-HH-ZEROS"}, sorted(by)
    z = by["PLAN-HH-ZEROS"]
    assert z.severity == "warning" and z.rows == (2, 3, 4) and z.ids == ("1", "2", "10")
    assert z.params["pairs"] == ["000001 → 1", "000010 → 10", "000002 → 2"]
    zh, en = z.message("zh"), z.message("en")
    assert "农户文件中的户编号丢了前导零" in zh and "000001 → 1" in zh and "设为文本" in zh, zh
    assert "the household file's ids lost" in en and "Text" in en, en
    # the units the plan records as kept are the household file's households, not the plan's spelling
    assert plan_kept(labels).to_dict() == {"1": "U1", "2": "U1"}


def test_the_plans_own_lost_zeros_keep_their_kept_units_too(tmp_path: Path) -> None:
    hh = _hh(["000001", "000002", "000003"])
    plan = tmp_path / "plan.csv"
    plan.write_text("户编号,院落编号,状态\n1,U1,锁定\n2,U1,锁定\n3,U2,\n", encoding="utf-8")
    labels, probs = read_plan_table(plan, hh)
    assert [p.code for p in probs] == ["PLAN-ID-ZEROS"]
    assert plan_kept(labels).to_dict() == {"000001": "U1", "000002": "U1"}


@pytest.mark.parametrize("body", [
    "000001,U1\n0001,U1\n000002,U2\n",  # two plan ids for household 1
    "000001,U1\n1,U1\n000002,U2\n",  # household 1 named as it is too
])
def test_a_match_not_one_to_one_is_an_error_naming_the_household_file(tmp_path: Path, body: str) -> None:
    hh = _hh(["1", "2"])
    plan = tmp_path / "plan.csv"
    plan.write_text("户编号,院落编号\n" + body, encoding="utf-8")
    labels, probs = read_plan_table(plan, hh)
    by = {p.code: p for p in probs}
    assert "PLAN-HH-ZEROS" not in by and "PLAN-UNKNOWN-ID" not in by, sorted(by)  # said once, as the clash
    c = by["PLAN-HH-ZEROS-CLASH"]
    assert c.severity == "error" and "PLAN-HH-ZEROS-CLASH" in STRICT_PLAN_CODES
    assert set(c.ids) >= {"000001", "000002"}
    assert "农户文件的户编号丢了前导零" in c.fix("zh") and "household file" in c.fix("en")
    assert "方案" not in c.fix("zh").split("：")[0]


def test_a_clash_shows_the_ids_that_clash_first(tmp_path: Path) -> None:
    """The first three pairs of a clash were the first three households (000001 → 1, 000010 → 10 …), not the ones
    two plan ids name."""
    hh = _hh([str(i) for i in range(1, 30)])
    plan = tmp_path / "plan.csv"
    plan.write_text("户编号,院落编号\n" + "".join(f"{i:06d},U1\n" for i in range(1, 30)) + "0025,U1\n",
                    encoding="utf-8")
    c = {p.code: p for p in read_plan_table(plan, hh).problems}["PLAN-HH-ZEROS-CLASH"]
    assert c.params["pairs"] == ["000025 → 25", "0025 → 25", "000001 → 1"], c.params["pairs"]
    assert c.rows == tuple(range(2, 32))


def test_meeting_points_of_a_plan_read_with_the_same_match(tmp_path: Path) -> None:
    hh = _hh(["1", "2", "3"])
    plan = tmp_path / "plan.csv"
    plan.write_text("户编号,院落编号,议事点\n000001,A,000002\n000002,A,000002\n000003,B,000003\n",
                    encoding="utf-8")
    mp = plan_meeting_points(plan, hh)
    assert mp is not None and mp.to_dict() == {"A": "2", "B": "3"} and not mp.attrs["lacking"]


def _roster(tmp_path: Path, n: int = 8) -> Path:
    """A household workbook whose id column Excel holds as numbers: 1 … n."""
    df = pd.DataFrame({"户编号": list(range(1, n + 1)),
                       "经度": [LON0 + 0.0004 * i for i in range(n)],
                       "纬度": [LAT0 + 0.0003 * (i % 3) for i in range(n)],
                       "人口": [3] * n})
    p = tmp_path / "hh.xlsx"
    df.to_excel(p, index=False)
    return p


def _plan(tmp_path: Path, n: int = 8, extra: str = "") -> Path:
    p = tmp_path / "plan.csv"
    p.write_text("户编号,院落编号\n" + "".join(f"{i:06d},{'U1' if i <= n // 2 else 'U2'}\n"
                                             for i in range(1, n + 1)) + extra, encoding="utf-8")
    return p


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_reads_the_plan_against_a_roster_that_lost_its_zeros(tmp_path: Path, lang: str) -> None:
    res = runner.invoke(app, ["check", str(_roster(tmp_path)), "--crs", "EPSG:4490", "--plan", str(_plan(tmp_path)),
                              "--min", "2", "--max", "8"], env={**ENV, "YUANLUO_LANG": lang})
    assert "PLAN-HH-ZEROS" in res.output, res.output
    assert "PLAN-UNKNOWN-ID" not in res.output and "PLAN-UNASSIGNED" not in res.output, res.output


def test_repair_and_delineate_read_it_and_stop_on_a_clash(tmp_path: Path) -> None:
    hh, plan = _roster(tmp_path), _plan(tmp_path)
    res = runner.invoke(app, ["repair", str(hh), "--crs", "EPSG:4490", "--plan", str(plan), "--min", "2",
                              "--max", "8", "-o", str(tmp_path / "fixed.csv")], env=ENV)
    assert res.exit_code == 0 and "PLAN-HH-ZEROS" in res.output, res.output
    assert "PLAN-UNKNOWN-ID" not in res.output
    fixed = pd.read_csv(tmp_path / "fixed.csv", dtype=str)
    assert sorted(fixed.iloc[:, 0], key=int) == [str(i) for i in range(1, 9)]  # the household file's ids
    res = runner.invoke(app, ["delineate", str(hh), "--crs", "EPSG:4490", "--plan", str(plan), "--lock", "U1",
                              "--min", "2", "--max", "8", "-o", str(tmp_path / "re.gpkg")], env=ENV)
    assert res.exit_code == 0 and "PLAN-HH-ZEROS" in res.output, res.output
    clash = _plan(tmp_path, extra="0001,U2\n")
    for args in (["repair", str(hh), "--crs", "EPSG:4490", "--plan", str(clash), "--min", "2", "--max", "8",
                  "-o", str(tmp_path / "fixed2.csv")],
                 ["delineate", str(hh), "--crs", "EPSG:4490", "--plan", str(clash), "--lock", "U1", "--min", "2",
                  "--max", "8", "-o", str(tmp_path / "re2.gpkg")]):
        res = runner.invoke(app, args, env=ENV)
        assert res.exit_code == 2 and "PLAN-HH-ZEROS-CLASH" in res.output, res.output
    assert not (tmp_path / "fixed2.csv").exists() and not (tmp_path / "re2.gpkg").exists()
