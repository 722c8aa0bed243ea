"""Session 44, helper E: 'yuanluo check' lists units in the order a planner reads them.

Found (a clerk's list of 15 households, units numbered within each 村民小组): the console, the findings CSV/xlsx, the
units CSV, the JSON and the report listed 一组二院落, 一组十一院落, 一组十院落 (code-point order: 十 U+5341 after
二 U+4E8C, 十一 before 十院) and U1, U10, U2. Now a natural sort of the name (numbers compared as
numbers, Chinese numerals and digits alike): 一组二院落, 一组十院落, 一组十一院落, 二组二院落; U1, U2, U10.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from shared_fixtures import run_cli

CN = ["一组二院落", "一组十院落", "一组十一院落", "二组二院落", "二组十院落"]  # the order a planner reads
U = ["U1", "U2", "U10", "U11", "U20"]


def _files(tmp: Path, names: list[str], plan_order: list[int]) -> tuple[Path, Path]:
    """15 households in a row, three to a unit, the first nine of 一组; the plan's rows in ``plan_order`` of units."""
    rows = ["户编号,经度,纬度,村民小组"]
    rows += [f"H{i:02d},{106.55 + 0.0004 * i:.6f},29.560000,{'一组' if i < 9 else '二组'}" for i in range(15)]
    (tmp / "hh.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    body = "".join(f"H{3 * j + k:02d},{names[j]}\n" for j in plan_order for k in range(3))
    (tmp / "plan.csv").write_text("户编号,所属院落\n" + body, encoding="gbk")
    return tmp / "hh.csv", tmp / "plan.csv"


def _console_units(out: str) -> list[str]:
    return re.findall(r"│ SIZE-LOW +│ (\S+) +│", out)


@pytest.mark.parametrize(("names", "lang"), [(CN, "zh"), (CN, "en"), (U, "zh")])
def test_units_in_the_planners_order_everywhere(tmp_path: Path, names: list[str], lang: str) -> None:
    hh, plan = _files(tmp_path, names, [4, 2, 0, 3, 1])  # the plan's own row order is no order either
    k, ku, js, rep, xl = (tmp_path / n for n in ("k.csv", "k_units.csv", "r.json", "r.html", "k2.xlsx"))
    out = run_cli(["--lang", lang, "check", str(hh), "--crs", "EPSG:4490", "--plan", str(plan), "--min", "4",
                   "--max", "8", "--csv", str(k), "--json", str(js), "--report", str(rep)], lang, code=1)
    assert _console_units(out) == names, out  # each unit of 3 is SIZE-LOW
    found = [r[1] for r in csv.reader(io.StringIO(k.read_text(encoding="utf-8-sig"))) if r[0] == "SIZE-LOW"]
    assert found == names
    assert [r[0] for r in list(csv.reader(io.StringIO(ku.read_text(encoding="utf-8-sig"))))[1:]] == names
    assert [u["unit_id"] for u in json.loads(js.read_text(encoding="utf-8"))["units"]] == names
    html = rep.read_text(encoding="utf-8")
    table = html[html.index("<td class='nw'>" + names[0]):]  # the units table: a row per unit, in its order
    assert [m for m in re.findall(r"<td class='nw'>([^<]+)</td>", table) if m in names] == names
    run_cli(["--lang", lang, "check", str(hh), "--crs", "EPSG:4490", "--plan", str(plan), "--min", "4",
             "--max", "8", "--csv", str(xl)], lang, code=1)
    wb = openpyxl.load_workbook(xl)
    assert [str(r[2]) for r in wb.worksheets[0].iter_rows(min_row=2, values_only=True) if r[1] == "SIZE-LOW"] \
        == names
    assert [str(r[0]) for r in wb.worksheets[1].iter_rows(min_row=2, values_only=True)] == names


def test_a_results_own_units_keep_their_numbers(tmp_path: Path) -> None:
    # names that say nothing of a group are listed by name, not by the roster's groups: a delineation numbers its
    # units U001, U002 … by their first household, and its check lists them so
    names = ["U003", "U010", "U001", "U002", "U100"]  # U003, U010, U001 in 一组 (first in the file), the rest in 二组
    hh, plan = _files(tmp_path, names, [0, 1, 2, 3, 4])
    out = run_cli(["check", str(hh), "--crs", "EPSG:4490", "--plan", str(plan), "--min", "4", "--max", "8"],
                  "zh", code=1)
    assert _console_units(out) == ["U001", "U002", "U003", "U010", "U100"], out
