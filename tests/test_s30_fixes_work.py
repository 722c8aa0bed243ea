"""Audit V: fixes that did not work or read wrong.

* MAT-SHEET-UNKNOWN told to add another --sheet to a misspelt one; the run then failed the same way. It now says
  to replace the wrong --sheet by one of the file's worksheets, and doing so works.
* POINTS-COORD read "1 point of cand_bad.csv … have coordinates" in English.
* COVER-HUBS offered --hubs "village:1,group:1" on a table without those columns, which then stopped with
  COVER-LEVEL. It now offers only the levels whose columns the table has, else --hubs N.

Each fix is followed as printed (its option pasted into the next run), which must then succeed.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import test_maturity_sheets as sheets
from typer.testing import CliRunner

from yuanluo.planners import maturity as M

result = sheets.result  # the fixture: a delineation result of four units, U001 … U004


def _run(*args: str) -> tuple[int, str]:
    from yuanluo.planners.cli.app import app

    r = CliRunner().invoke(app, list(args))
    return r.exit_code, " ".join(r.output.split())


def _fix(out: str, lang: str) -> str:
    return out[out.index("处理办法" if lang == "zh" else "Fix:"):]


def _replacement(fix: str, lang: str) -> tuple[list[str], list[str]]:
    """The options the fix says to replace, and those to put instead."""
    pattern = r"把 “(--sheet [^”]+)” 改为 “(--sheet [^”]+)”" if lang == "zh" else r"replace (--sheet \S+) with (--sheet \S+)"
    m = re.search(pattern, fix)
    assert m, fix
    return shlex.split(m[1]), shlex.split(m[2])


def _filled(result: Path, tmp: Path, name: str, title: str, period: str) -> Path:
    M.write_template(result, tmp / f"{name}.tpl.xlsx")
    wb = openpyxl.load_workbook(tmp / f"{name}.tpl.xlsx")
    ws = wb.worksheets[0]
    ws.title = title
    for r in range(2, 6):
        ws.cell(r, 6, period)
        for c in range(sheets.FIRST_SCORE_COL, sheets.FIRST_SCORE_COL + 18):
            ws.cell(r, c, 6)
    wb.save(tmp / f"{name}.xlsx")
    return tmp / f"{name}.xlsx"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_misspelt_sheet_is_told_to_be_replaced_and_that_works(result: Path, tmp_path: Path, lang: str) -> None:
    book = _filled(result, tmp_path, "filled", "Scores", "2026Q4")
    args = ["--lang", lang, "maturity", "load", str(result), str(book), "-o", str(tmp_path / "m.gpkg"),
            "--sheet", "Nope"]
    code, out = _run(*args)
    assert code == 2 and "MAT-SHEET-UNKNOWN" in out and not (tmp_path / "m.gpkg").exists(), out
    wrong, right = _replacement(_fix(out, lang), lang)
    assert wrong == ["--sheet", "Nope"] and right == ["--sheet", "Scores"]
    code, out = _run(*args[:-2], *right)
    assert code == 0 and "2026Q4" in out, out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_misspelt_sheet_among_two_workbooks_is_told_to_be_replaced(result: Path, tmp_path: Path,
                                                                    lang: str) -> None:
    """one.xlsx has 一季度 (named), two.xlsx 二季度 (misspelt 二期): two.xlsx is told to replace 二期 by 二季度."""
    one = _filled(result, tmp_path, "one", "一季度", "2026Q1")
    two = _filled(result, tmp_path, "two", "二季度", "2026Q2")
    args = ["--lang", lang, "maturity", "load", str(result), str(one), str(two), "-o", str(tmp_path / "m.gpkg"),
            "--sheet", "一季度", "--sheet", "二期"]
    code, out = _run(*args)
    assert code == 2 and not (tmp_path / "m.gpkg").exists(), out
    told = out[out.index("two.xlsx"):]
    wrong, right = _replacement(_fix(told, lang), lang)
    assert wrong == ["--sheet", "二期"] and right == ["--sheet", "二季度"], told
    code, out = _run(*args[:-2], *right)
    assert code == 0 and "2026Q1" in out and "2026Q2" in out, out


def test_points_coord_reads_right_for_one_point_and_for_two(tmp_path: Path) -> None:
    from yuanluo.gis.output import write_layers
    from yuanluo.gis.synth import make_village

    v = make_village(60, seed=4)
    res = tmp_path / "result.gpkg"
    write_layers(res, {"households": v.households.reset_index()})
    xy = v.households.geometry
    crs = v.households.crs.to_string()
    said = {}
    for n in (1, 2):
        rows = pd.DataFrame({"name": ["a", "b", "c"], "X": [f"{x:.1f}" for x in xy.x.to_numpy()[:3]],
                             "Y": [f"{y:.1f}" for y in xy.y.to_numpy()[:3]]})
        rows.loc[rows.index < n, "X"] = "abc"
        rows.to_csv(tmp_path / f"bad{n}.csv", index=False)
        code, out = _run("--lang", "en", "cover", str(res), "--hubs", "1", "-o", str(tmp_path / "c.gpkg"),
                         "--candidates", str(tmp_path / f"bad{n}.csv"), "--crs", crs)
        assert code == 2 and "POINTS-COORD" in out and not (tmp_path / "c.gpkg").exists(), out
        said[n] = out
    assert "1 point has coordinates" in said[1] and "have" not in said[1].split("coordinates")[0], said[1]
    assert "2 points have coordinates" in said[2], said[2]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("drop", [["village", "group"], ["village"]])
def test_the_hubs_fix_offers_only_what_the_table_can_do(tmp_path: Path, lang: str, drop: list[str]) -> None:
    from yuanluo.gis.output import write_layers
    from yuanluo.gis.synth import make_village

    v = make_village(60, seed=4)
    res = tmp_path / "result.gpkg"
    write_layers(res, {"households": v.households.drop(columns=drop).reset_index()})
    args = ["--lang", lang, "cover", str(res), "-o", str(tmp_path / "c.gpkg")]
    code, out = _run(*args, "--hubs", "village:x")
    assert code == 2 and "COVER-HUBS" in out and not (tmp_path / "c.gpkg").exists(), out
    fix = _fix(out, lang)
    m = re.search(r'--hubs ("[^"]*"|\S+?)(?=[\s（(，,:：]|$)', fix)
    assert m, fix
    offered = shlex.split(m[1])[0]
    group = "组:1" if lang == "zh" else "group:1"  # the Chinese fix names the levels in Chinese (s55 U)
    assert offered == ("1" if drop == ["village", "group"] else group), fix
    assert "village:1" not in fix and "村:1" not in fix
    code, out = _run(*args, "--hubs", offered)
    assert code == 0, out
