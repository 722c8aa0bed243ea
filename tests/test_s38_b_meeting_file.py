"""Session 38, task B1: the check report and its JSON name the ``--meeting-points`` file.

``check result.gpkg --plan P --meeting-points M --report r.html --json r.json`` named the plan's file (方案文件 /
Plan file, ``inputs.plan``; ce4d919) but not the meeting points' the walking findings are measured to. The header
now has a row 议事点文件 / Meeting-points file under the plan's (also in the printed pages' footer) and the JSON
summary's ``inputs`` a ``meeting_points`` name (null when none was given); the name is data (escaped, its bidi
controls dropped on the page).

Fixture: 10 households in a row 50 m apart (EPSG:4545), two units of 5, each unit's meeting point its first
household, the points in a file whose name holds markup and a right-to-left override.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

NAME = "议事点<b>\u202e&.csv"


def _case(tmp_path):
    rows, plan = ["户编号,东坐标,北坐标,院落"], ["户编号,院落编号"]
    for i in range(10):
        rows.append(f"H{i},{474000 + 50 * i},3297000,{'A' if i < 5 else 'B'}")
        plan.append(f"H{i},{'A' if i < 5 else 'B'}")
    hh, pl, mp = tmp_path / "hh.csv", tmp_path / "plan.csv", tmp_path / NAME
    hh.write_text("\n".join(rows) + "\n", encoding="utf-8")
    pl.write_text("\n".join(plan) + "\n", encoding="utf-8")
    mp.write_text("院落编号,户编号\nA,H0\nB,H5\n", encoding="utf-8")
    return hh, pl, mp


def _run(tmp_path, lang, *args):
    rep, js = tmp_path / f"r_{lang}.html", tmp_path / f"r_{lang}.json"
    r = CliRunner().invoke(app, ["--lang", lang, "check", *map(str, args), "--crs", "EPSG:4545", "--min", "3",
                                 "--max", "8", "--report", str(rep), "--json", str(js), "--overwrite"],
                           env={"COLUMNS": "400"})
    assert r.exit_code == 0, r.output
    return rep.read_text(encoding="utf-8"), json.loads(js.read_text(encoding="utf-8"))["summary"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_and_the_json_name_the_meeting_points_file(tmp_path, lang) -> None:
    """The header: 方案文件 plan.csv, then 议事点文件 <the name, escaped, without U+202E>; the printed footer names
    it too; the JSON's inputs give it as it is (the old code: neither)."""
    hh, pl, mp = _case(tmp_path)
    page, summary = _run(tmp_path, lang, hh, "--plan", pl, "--meeting-points", mp)
    label = {"zh": ("方案文件", "议事点文件"), "en": ("Plan file", "Meeting-points file")}[lang]
    shown = html.escape(NAME.replace("\u202e", ""), quote=True)
    head = re.search(r'<dl class="kv head">(.*?)</dl>', page).group(1)
    assert f"<dt>{label[0]}</dt><dd>plan.csv</dd><dt>{label[1]}</dt><dd>{shown}</dd>" in head, head
    assert "<b>" not in page and "\u202e" not in page
    assert "议事点\\3c b\\3e" in re.search(r"@bottom-left\{[^}]*\}", page).group(0)
    assert summary["inputs"] == {"households": "hh.csv", "plan": "plan.csv", "meeting_points": NAME}


def test_without_a_meeting_points_file_none_is_named(tmp_path) -> None:
    """No --meeting-points: no 议事点文件 row, ``meeting_points`` null (the key is there, as ``plan`` is)."""
    hh, pl, _ = _case(tmp_path)
    page, summary = _run(tmp_path, "zh", hh, "--plan", pl)
    assert "议事点文件" not in page
    assert summary["inputs"] == {"households": "hh.csv", "plan": "plan.csv", "meeting_points": None}
