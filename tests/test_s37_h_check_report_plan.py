"""Session 37, task H (audit §2): the check report and its JSON name the plan's file.

``check result.gpkg --plan edited.csv --report r.html --json r.json`` showed only "输入文件 result.gpkg" and a JSON
summary without the plan: a report of an edited plan read as one of the result's own. The header now has a row
方案文件 / Plan file (also in the printed pages' footer) and the JSON summary ``inputs`` the two names; a file name
is data like any other (escaped, its bidi controls dropped on the page).

Fixture: 10 households in a row 50 m apart (EPSG:4545), two units of 5, the plan in a file whose name holds
markup, quotes, an ampersand and a right-to-left override.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

NAME = '<img src=x onerror=alert(1)>\u202e编辑后"方案&.csv'


def _case(tmp_path):
    rows, plan = ["户编号,东坐标,北坐标,院落"], ["户编号,院落编号"]
    for i in range(10):
        rows.append(f"H{i},{474000 + 50 * i},3297000,{'A' if i < 5 else 'B'}")
        plan.append(f"H{i},{'A' if i < 5 else 'B'}")
    hh, pl = tmp_path / "hh.csv", tmp_path / NAME
    hh.write_text("\n".join(rows) + "\n", encoding="utf-8")
    pl.write_text("\n".join(plan) + "\n", encoding="utf-8")
    return hh, pl


def _run(tmp_path, lang, *args):
    rep, js = tmp_path / f"r_{lang}.html", tmp_path / f"r_{lang}.json"
    r = CliRunner().invoke(app, ["--lang", lang, "check", str(args[0]), "--crs", "EPSG:4545", *args[1:],
                                 "--min", "3", "--max", "8", "--report", str(rep), "--json", str(js),
                                 "--overwrite"], env={"COLUMNS": "400"})
    assert r.exit_code == 0, r.output
    return rep.read_text(encoding="utf-8"), json.loads(js.read_text(encoding="utf-8"))["summary"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_and_the_json_name_the_plan_file(tmp_path, lang) -> None:
    """The header: 输入文件 hh.csv, then 方案文件 <the name, escaped, without U+202E>; the footer of printed pages
    names it too; the JSON summary's inputs give both names as they are (the old code: neither)."""
    hh, pl = _case(tmp_path)
    page, summary = _run(tmp_path, lang, hh, "--plan", str(pl))
    label = {"zh": ("输入文件", "方案文件"), "en": ("Input file", "Plan file")}[lang]
    shown = html.escape(NAME.replace("\u202e", ""), quote=True)
    head = re.search(r'<dl class="kv head">(.*?)</dl>', page).group(1)
    assert f"<dt>{label[0]}</dt><dd>hh.csv</dd><dt>{label[1]}</dt><dd>{shown}</dd>" in head, head
    assert "<img" not in page and "\u202e" not in page
    assert "\\3c img src\\3d x" in re.search(r"@bottom-left\{[^}]*\}", page).group(0)
    assert summary["inputs"] == {"households": "hh.csv", "plan": NAME, "meeting_points": None}


def test_a_plan_of_the_household_files_own_column_names_no_plan_file(tmp_path) -> None:
    """With --unit-col the plan is the household file's own column: no 方案文件 row, ``plan`` null."""
    hh, _ = _case(tmp_path)
    page, summary = _run(tmp_path, "zh", hh, "--unit-col", "院落")
    assert "方案文件" not in page
    assert summary["inputs"] == {"households": "hh.csv", "plan": None, "meeting_points": None}
