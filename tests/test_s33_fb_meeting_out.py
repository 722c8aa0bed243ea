"""Session 33, task FB: ``yuanluo repair --meeting-out`` without a walking limit.

The repair keeps the planner's given meeting points (``--meeting-points``, or a plan's 议事点 column) and, since
sessions 31/32, says where it moved one; but with ``--meeting-out`` and no ``max_walk_min`` it refused with
REPAIR-MEETING-OUT, "the repair … writes no table of them", untrue when points were given. Now it writes the
repaired plan's meeting-point table (each unit's given point still in it, else its centre: a unit whose point
moved out, one given none, one made), the same writer and columns as under a walking limit, formula cells
guarded, checked before the work and written with the plan or not at all; the notes name the point the file gives
a unit whose given point it has not. REPAIR-MEETING-OUT stays for no limit and no meeting points at all, saying so.

Fixture (s32 FB): a 6 x 4 grid of households 50 m apart; columns 0–2 unit A, 3–5 unit B, each column its own
settlement; H31 (settlement S3) typed into A and given as A's meeting point, B's H42.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner, Result

from yuanluo.planners.cli import app

sys.path.insert(0, str(Path(__file__).parent))
from test_s32_fb_given_meet import _settled, _table  # noqa: E402

ENV = {"COLUMNS": "400"}
CRS = ["--crs", "EPSG:4545"]


def _repair(hh: Path, pl: Path, rules: Path, *extra: str, lang: str) -> Result:
    return CliRunner().invoke(app, ["--lang", lang, "repair", str(hh), *CRS, "--plan", str(pl), "--rules", str(rules),
                                    *extra], env=ENV)


def _check(hh: Path, plan: Path, rules: Path, meet: Path, lang: str) -> Result:
    return CliRunner().invoke(app, ["--lang", lang, "check", str(hh), *CRS, "--plan", str(plan), "--rules", str(rules),
                                    "--meeting-points", str(meet)], env=ENV)


MOVED = {"zh": "院落 A 给定的议事点 H31 在修复中移到了 B，{file} 中该院落的议事点改为其中心户 H11（仍按原议事点检查时，"
               "H31 不在院落 A 内，为 PLAN-MEETING）",
         "en": "unit A's given meeting point H31 was moved to B by the repair; the unit's meeting point in {file} is now "
               "its centre H11 (checked with the meeting points as given, H31 is outside unit A: PLAN-MEETING)"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_a_walking_limit_meeting_out_writes_the_repaired_plans_points(tmp_path: Path, lang: str) -> None:
    """No max_walk_min, --meeting-points given: the table is written (the old code: exit 2, REPAIR-MEETING-OUT,
    nothing written), A at its centre H11 (its given H31 went to B with its settlement), B its kept H42; the note
    names the file and the point it gives A; the repaired plan with the table passes check. The table has the
    header and format of the one written under a walking limit (the same writer)."""
    hh, pl, rules, meet = _settled(tmp_path, walk=False)
    out, mout = tmp_path / "fixed.csv", tmp_path / "meet_out.csv"
    res = _repair(hh, pl, rules, "--meeting-points", str(meet), "-o", str(out), "--meeting-out", str(mout), lang=lang)
    assert res.exit_code == 0, res.output
    assert "REPAIR-MEETING-OUT" not in res.output
    assert _table(out)["H31"] == "B" and _table(mout) == {"A": "H11", "B": "H42"}
    assert MOVED[lang].format(file=mout) in res.output, res.output
    assert "须另给" not in res.output and "give the unit one of its own" not in res.output  # the file gives it one
    chk = _check(hh, out, rules, mout, lang)
    assert chk.exit_code == 0, chk.output
    # the same writer as under a walking limit: same header line and encoding, byte for byte
    walk = tmp_path / "walk"
    walk.mkdir()
    whh, wpl, wrules, wmeet = _settled(walk, walk=True)
    wout = walk / "meet_out.csv"
    res = _repair(whh, wpl, wrules, "--meeting-points", str(wmeet), "-o", str(walk / "f.csv"), "--meeting-out",
                  str(wout), lang=lang)
    assert res.exit_code == 0, res.output
    assert mout.read_bytes().splitlines()[0] == wout.read_bytes().splitlines()[0]
    assert mout.read_bytes().startswith(b"\xef\xbb\xbf") == wout.read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_same_input_writes_the_same_bytes(tmp_path: Path) -> None:
    """Twice the same repair without a walking limit: the same meeting-point table, byte for byte."""
    hh, pl, rules, meet = _settled(tmp_path, walk=False)
    got = []
    for i in range(2):
        mout = tmp_path / f"m{i}.csv"
        res = _repair(hh, pl, rules, "--meeting-points", str(meet), "-o", str(tmp_path / f"f{i}.csv"), "--meeting-out",
                      str(mout), lang="en")
        assert res.exit_code == 0, res.output
        got.append(mout.read_bytes())
    assert got[0] == got[1]


def _line(tmp_path: Path, n: int, band: tuple[int, int]) -> tuple[Path, Path, Path, Path]:
    """n households in a row 50 m apart, all in unit A (over the band: the repair makes a unit), A's point L02."""
    hh, pl, rules, meet = (tmp_path / x for x in ("hh.csv", "plan.csv", "r.toml", "meet_in.csv"))
    hh.write_text("户编号,东坐标,北坐标\n" + "".join(f"L{i:02d},{474000 + 50 * i},3297000\n" for i in range(n)),
                  encoding="utf-8")
    pl.write_text("户编号,unit_id\n" + "".join(f"L{i:02d},A\n" for i in range(n)), encoding="utf-8")
    rules.write_text(f"[rules]\nmin_size = {band[0]}\nmax_size = {band[1]}\nrequire_head = false\nnest_by = []\n"
                     "keep_settlements = false\n", encoding="utf-8")
    meet.write_text("院落编号,户编号\nA,L02\n", encoding="utf-8")
    return hh, pl, rules, meet


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_unit_the_repair_makes_gets_its_centre(tmp_path: Path, lang: str) -> None:
    """12 households in one unit, band 5–7: the repair splits A, keeping L02 (its given point) in A; the unit it
    makes is named in the notes (as under a walking limit) and has its centre in the table; check passes."""
    hh, pl, rules, meet = _line(tmp_path, 12, (5, 7))
    out, mout = tmp_path / "fixed.csv", tmp_path / "meet_out.csv"
    res = _repair(hh, pl, rules, "--meeting-points", str(meet), "-o", str(out), "--meeting-out", str(mout), lang=lang)
    assert res.exit_code == 0, res.output
    lab, points = _table(out), _table(mout)
    units = sorted(set(lab.values()))
    assert len(units) == 2 and lab["L02"] == "A" and points["A"] == "L02", (lab, points)
    made = next(u for u in units if u != "A")
    members = sorted(h for h, u in lab.items() if u == made)
    assert points[made] in members, (points, members)
    assert sorted(points) == units
    assert {"zh": f"新建院落 {made}", "en": f"new unit {made}"}[lang] in res.output, res.output
    chk = _check(hh, out, rules, mout, lang)
    assert chk.exit_code == 0, chk.output


def test_cells_that_would_be_formulas_are_guarded(tmp_path: Path) -> None:
    """Household ids a spreadsheet would run (=H11, +H42): the table's cells start with ', and check reads the
    table back to the same points (it passes)."""
    hh, pl, rules, meet = _settled(tmp_path, walk=False)
    for f in (hh, pl, meet):
        f.write_text(f.read_text(encoding="utf-8").replace("H11,", "=H11,").replace("H42", "+H42"), encoding="utf-8")
    out, mout = tmp_path / "fixed.csv", tmp_path / "meet_out.csv"
    res = _repair(hh, pl, rules, "--meeting-points", str(meet), "-o", str(out), "--meeting-out", str(mout), lang="en")
    assert res.exit_code == 0, res.output
    text = mout.read_text(encoding="utf-8-sig")
    assert "A,'=H11" in text and "B,'+H42" in text, text
    assert not any(cell[:1] in "=+-@" for line in text.splitlines() for cell in line.split(","))
    chk = _check(hh, out, rules, mout, "en")
    assert chk.exit_code == 0, chk.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_plans_meeting_column_naming_none_is_said_with_the_files_point(tmp_path: Path, lang: str) -> None:
    """No --meeting-points, no walking limit, the plan's 议事点 column names H99 (no household) on A's rows and H42
    on B's: the column gives meeting points, so the table is written (A its centre, B H42) and the note says what
    the file gives A."""
    hh, pl, rules, _ = _settled(tmp_path, walk=False)
    rows = pl.read_text(encoding="utf-8").splitlines()
    pl.write_text("\n".join([rows[0] + ",议事点"] + [r + (",H99" if r.endswith(",A") else ",H42") for r in rows[1:]])
                  + "\n", encoding="utf-8")
    out, mout = tmp_path / "fixed.csv", tmp_path / "meet_out.csv"
    res = _repair(hh, pl, rules, "-o", str(out), "--meeting-out", str(mout), lang=lang)
    assert res.exit_code == 0, res.output
    points = _table(mout)
    assert points["B"] == "H42" and _table(out)[points["A"]] == "A", points
    new = points["A"]
    said = {"zh": f"方案的议事点列没有给院落 A 写出一个本院落的议事点（“H99” 不是农户文件中的户编号），{mout} 中该院落的议事点为其中心户 {new}",
            "en": f"the plan's meeting-point cells of unit A give it no meeting point of its own (H99 is not a household "
                  f"id); the unit's meeting point in {mout} is its centre {new}"}
    assert said[lang] in res.output, res.output
    assert _check(hh, out, rules, mout, lang).exit_code == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_meeting_out_the_notes_still_say_a_point_to_give(tmp_path: Path, lang: str) -> None:
    """Without --meeting-out nothing names a file: the note of s32 (give the unit one of its own households) stays;
    the plan's column naming none is said too (it was silent without a walking limit)."""
    hh, pl, rules, _ = _settled(tmp_path, walk=False)
    rows = pl.read_text(encoding="utf-8").splitlines()
    pl.write_text("\n".join([rows[0] + ",议事点"] + [r + (",H99" if r.endswith(",A") else ",H42") for r in rows[1:]])
                  + "\n", encoding="utf-8")
    res = _repair(hh, pl, rules, "-o", str(tmp_path / "fixed.csv"), lang=lang)
    assert res.exit_code == 0, res.output
    said = {"zh": "方案的议事点列没有给院落 A 写出一个本院落的议事点（“H99” 不是农户文件中的户编号），须另给该院落一户本院落的农户作议事点（例如其中心户 H",
            "en": "the plan's meeting-point cells of unit A give it no meeting point of its own (H99 is not a household id); "
                  "give the unit one of its own households as its meeting point (its centre H"}
    assert said[lang] in res.output, res.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_walking_limit_and_no_meeting_points_is_still_refused(tmp_path: Path, lang: str) -> None:
    """Nothing to write: REPAIR-MEETING-OUT, now saying that no meeting points were given either and naming
    --meeting-points among the fixes; nothing written."""
    hh, pl, rules, _ = _settled(tmp_path, walk=False)
    out, mout = tmp_path / "fixed.csv", tmp_path / "meet_out.csv"
    res = _repair(hh, pl, rules, "-o", str(out), "--meeting-out", str(mout), lang=lang)
    assert res.exit_code == 2 and "REPAIR-MEETING-OUT" in res.output, res.output
    said = {"zh": ("也没有给定议事点（--meeting-points，或方案的议事点列）", "用 --meeting-points 给出各院落的议事点"),
            "en": ("and no meeting points are given (--meeting-points, or a meeting-point column of the plan)",
                   "give the units' meeting points (--meeting-points)")}
    for part in said[lang]:
        assert part in res.output, res.output
    assert not out.exists() and not mout.exists()


def test_an_unwritable_meeting_out_stops_before_the_work_and_nothing_is_written(tmp_path: Path) -> None:
    """--meeting-out naming a file that exists (no --overwrite), or one that is not a CSV: refused before the
    repair, and neither the plan nor the table written."""
    hh, pl, rules, meet = _settled(tmp_path, walk=False)
    out, mout = tmp_path / "fixed.csv", tmp_path / "meet_out.csv"
    mout.write_text("keep me\n", encoding="utf-8")
    res = _repair(hh, pl, rules, "--meeting-points", str(meet), "-o", str(out), "--meeting-out", str(mout), lang="en")
    assert res.exit_code == 2, res.output
    assert not out.exists() and mout.read_text(encoding="utf-8") == "keep me\n"
    res = _repair(hh, pl, rules, "--meeting-points", str(meet), "-o", str(out), "--meeting-out",
                  str(tmp_path / "m.xlsx"), lang="en")
    assert res.exit_code == 2, res.output
    assert not out.exists() and not (tmp_path / "m.xlsx").exists()


def test_the_python_api_hands_on_the_points_only_when_given() -> None:
    """repair_plan without a walking limit: meeting_points is the repaired plan's table when points were given
    (every unit), None when none were."""
    from test_repair import grid

    from yuanluo.gis.repair import repair_plan
    from yuanluo.gis.rules import Rules

    hh, g, ii, _ = grid(6, 4)
    lab = pd.Series([f"U{c}" for c in ii // 2], index=hh.index, dtype=object)
    rules = Rules(7, 9, require_head=False, nest_by=(), keep_settlements=False)
    assert repair_plan(hh, lab, rules, g).meeting_points is None
    res = repair_plan(hh, lab, rules, g, meeting_points=pd.Series({"U1": "h0302"}))
    mp = res.meeting_points
    assert mp is not None and mp["U1"] == "h0302" and sorted(mp.index) == sorted(set(res.labels.dropna()))
    assert all(res.labels[h] == u for u, h in mp.items())
