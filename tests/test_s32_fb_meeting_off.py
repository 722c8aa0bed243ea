"""Session 32, task FB (the same class nearby): a given meeting point that is none of its unit's households in the
plan as given — an id no household has, another unit's household, or a plan's meeting-point column naming none of
the unit's — was passed over by ``repair`` in silence: the unit walked to its centre and nothing said it, so the
plan checked with the points as given was PLAN-MEETING after "Repaired". Now a note says so (the unit's point under
a walking limit, or that it needs another), in zh and en; and a given point the repair moves into its unit (the
stray household of a split settlement, given as the point of the unit holding its settlement) is that unit's point
again, as given, where the walking limit holds against it (the old code wrote the unit's centre instead).

Fixture: the 6 x 4 grid of ``test_s32_fb_given_meet`` (columns 0–2 unit A, 3–5 unit B, a settlement per column,
H31 of S3 typed into A).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from yuanluo.planners.cli import app

sys.path.insert(0, str(Path(__file__).parent))
from test_s32_fb_given_meet import ENV, _settled, _table  # noqa: E402

OFF = {("walk", "zh"): "院落 A 给定的议事点 H99 在原方案中不是本院落的农户（没有这一户编号的农户），该院落的议事点为 H11，"
                       "步行上限据此检查",
       ("walk", "en"): "unit A's given meeting point H99 was none of its households in the plan as given (no household "
                       "has this id); the unit's meeting point is H11, and the walking limit is kept and checked "
                       "against it",
       ("nolimit", "zh"): "院落 B 给定的议事点 H21 在原方案中不是本院落的农户（该户在院落 A），须另给该院落一户本院落的"
                          "农户作议事点（例如其中心户 H42）：仍按原议事点检查时为 PLAN-MEETING",
       ("nolimit", "en"): "unit B's given meeting point H21 was none of its households in the plan as given (it was in "
                          "unit A); give the unit one of its own households as its meeting point instead (its centre "
                          "H42, for example): checked with the meeting points as given, it is PLAN-MEETING"}


def _repair(tmp_path: Path, lang: str, walk: bool, meet: str, *extra: str) -> tuple[Result, Path, Path, Path, Path]:
    hh, pl, rules, given = _settled(tmp_path, walk=walk)
    given.write_text("院落编号,户编号\n" + meet, encoding="utf-8")
    out = tmp_path / "fixed.csv"
    res = CliRunner().invoke(app, ["--lang", lang, "repair", str(hh), "--crs", "EPSG:4545", "--plan", str(pl),
                                   "--rules", str(rules), "--meeting-points", str(given), "-o", str(out), *extra],
                             env=ENV)
    return res, hh, rules, given, out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_unknown_given_meeting_point_is_said(tmp_path: Path, lang: str) -> None:
    """A's given point H99 is no household: under a walking limit the note names A's point now (H11, written to
    --meeting-out, which then passes check); the old code said nothing."""
    mout = tmp_path / "meet.csv"
    res, hh, rules, _, out = _repair(tmp_path, lang, True, "A,H99\nB,H42\n", "--meeting-out", str(mout))
    assert res.exit_code == 0, res.output
    assert OFF["walk", lang] in res.output, res.output
    assert _table(mout) == {"A": "H11", "B": "H42"}
    chk = CliRunner().invoke(app, ["--lang", lang, "check", str(hh), "--crs", "EPSG:4545", "--plan", str(out),
                                   "--rules", str(rules), "--meeting-points", str(mout)], env=ENV)
    assert chk.exit_code == 0, chk.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_another_units_household_given_without_a_walking_limit_is_said(tmp_path: Path, lang: str) -> None:
    """No walking limit; B's given point H21 is a household of A and stays there: the note says B needs another
    point, its centre H42 for example; checked with the points as given the plan is PLAN-MEETING, as it says."""
    res, hh, rules, given, out = _repair(tmp_path, lang, False, "A,H11\nB,H21\n")
    assert res.exit_code == 0, res.output
    assert OFF["nolimit", lang] in res.output, res.output
    assert _table(out)["H21"] == "A" and _table(out)["H42"] == "B"
    chk = CliRunner().invoke(app, ["--lang", lang, "check", str(hh), "--crs", "EPSG:4545", "--plan", str(out),
                                   "--rules", str(rules), "--meeting-points", str(given)], env=ENV)
    assert chk.exit_code == 1 and "PLAN-MEETING" in chk.output, chk.output


def test_a_given_point_the_repair_moves_into_its_unit_is_its_point(tmp_path: Path) -> None:
    """B's given point H31 lies in A (the stray of S3); the repair moves it home to B, where it is B's point again:
    --meeting-out writes B,H31 (the old code wrote B's centre H42) and no note is needed; the repaired plan passes
    check with the points as given."""
    mout = tmp_path / "meet.csv"
    res, hh, rules, given, out = _repair(tmp_path, "en", True, "A,H11\nB,H31\n", "--meeting-out", str(mout))
    assert res.exit_code == 0, res.output
    assert _table(out)["H31"] == "B"
    assert _table(mout) == {"A": "H11", "B": "H31"}
    assert "given meeting point" not in res.output, res.output  # no note (the exact method's note names meeting points)
    chk = CliRunner().invoke(app, ["--lang", "en", "check", str(hh), "--crs", "EPSG:4545", "--plan", str(out),
                                   "--rules", str(rules), "--meeting-points", str(given)], env=ENV)
    assert chk.exit_code == 0, chk.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_plan_column_naming_no_household_of_the_unit_is_said(tmp_path: Path, lang: str) -> None:
    """The plan's 议事点 column names H99 on A's rows: under a walking limit the note says the cells give A no
    point of its own, why, and A's point now; likewise for cells naming two of A's households (H11, H12)."""
    hh, pl, rules, _ = _settled(tmp_path, walk=True)
    rows = pl.read_text(encoding="utf-8").splitlines()
    pl.write_text("\n".join([rows[0] + ",议事点"] + [r + (",H99" if r.endswith(",A") else ",H42") for r in rows[1:]])
                  + "\n", encoding="utf-8")
    mout = tmp_path / "meet.csv"
    res = CliRunner().invoke(app, ["--lang", lang, "repair", str(hh), "--crs", "EPSG:4545", "--plan", str(pl),
                                   "--rules", str(rules), "-o", str(tmp_path / "fixed.csv"), "--meeting-out",
                                   str(mout)], env=ENV)
    assert res.exit_code == 0, res.output
    said = {"zh": "方案的议事点列没有给院落 A 写出一个本院落的议事点（“H99” 不是农户文件中的户编号），该院落的议事点为 H11，"
                  "步行上限据此检查",
            "en": "the plan's meeting-point cells of unit A give it no meeting point of its own (H99 is not a household "
                  "id); the unit's meeting point is H11, and the walking limit is kept and checked against it"}
    assert said[lang] in res.output, res.output
    assert _table(mout) == {"A": "H11", "B": "H42"}
    rows = pl.read_text(encoding="utf-8").splitlines()
    pl.write_text("\n".join([rows[0]] + [r.replace(",H99", ",H11" if r[1] in "01" else ",H12") for r in rows[1:]])
                  + "\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["--lang", lang, "repair", str(hh), "--crs", "EPSG:4545", "--plan", str(pl),
                                   "--rules", str(rules), "-o", str(tmp_path / "fixed.csv"), "--meeting-out",
                                   str(mout), "--overwrite"], env=ENV)
    assert res.exit_code == 0, res.output
    two = {"zh": "方案的议事点列没有给院落 A 写出一个本院落的议事点（这些格写了本院落的多户 “H11、H12”",
           "en": "the plan's meeting-point cells of unit A give it no meeting point of its own (its cells name more "
                 "than one of its households, H11, H12, and a unit has one meeting point)"}
    assert two[lang] in res.output, res.output
