"""``yuanluo repair -o plan.xlsx|plan.csv --fields 户主姓名 --include-personal`` puts the named household columns
right after 户编号, as ``delineate --xlsx`` does (6316fee): a personal one only with --include-personal; a cell that
would be a formula stays text; the plan reads back in ``check --plan``."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from shared_fixtures import run_cli


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("repair_fields")
    rows = [["户号", "户主姓名", "房屋类型", "人口", "经度", "纬度"]]
    for i in range(24):
        name = '=HYPERLINK("http://x","点")' if i == 0 else f"王{i}"
        rows.append([f"{i + 1:06d}", name, "砖混" if i % 2 else "木", "3",
                     f"{106.55 + 0.0004 * i:.6f}", f"{29.56 + 0.0003 * (i % 3):.6f}"])
    hh = d / "花名册.csv"
    pd.DataFrame(rows[1:], columns=rows[0]).to_csv(hh, index=False, encoding="utf-8")
    out = d / "r.gpkg"
    run_cli(["delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "-o", str(out)])
    return out


def _sheet(path: Path) -> list[list[object]]:
    return [[c.value for c in r] for r in openpyxl.load_workbook(path).worksheets[0].iter_rows()]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_xlsx_named_personal_with_include_personal(result: Path, tmp_path: Path, lang: str) -> None:
    plan = tmp_path / "plan.xlsx"
    run_cli(["repair", str(result), "-o", str(plan), "--fields", "户主姓名,房屋类型", "--include-personal"], lang=lang)
    rows = _sheet(plan)
    head = rows[0]
    ident = "户编号" if lang == "zh" else "Household ID"
    k = head.index(ident)
    assert head[k + 1:k + 3] == ["户主姓名", "房屋类型"]
    names = {r[k]: r[k + 1] for r in rows[1:]}
    assert names["000002"] == "王1" and names["000001"] == '=HYPERLINK("http://x","点")'
    cell = next(c for c in openpyxl.load_workbook(plan).worksheets[0].iter_rows(min_row=2) if c[k].value == "000001")
    assert cell[k + 1].data_type == "s"  # text, never a formula
    assert "通过" in run_cli(["check", str(result), "--plan", str(plan)])  # the plan reads back


def test_csv_personal_left_out_without_include_personal(result: Path, tmp_path: Path) -> None:
    plan = tmp_path / "plan.csv"
    said = run_cli(["repair", str(result), "-o", str(plan), "--fields", "户主姓名,房屋类型"])
    table = pd.read_csv(plan, dtype=str, encoding="utf-8-sig")
    assert list(table.columns[:2]) == ["户编号", "房屋类型"] and "户主姓名" not in table.columns
    assert "ATTR-PERSONAL" in said and "--include-personal" in said  # what it left out, and how to show it
    shown = tmp_path / "shown.csv"
    run_cli(["repair", str(result), "-o", str(shown), "--fields", "户主姓名", "--include-personal"])
    named = pd.read_csv(shown, dtype=str, encoding="utf-8-sig").set_index("户编号")["户主姓名"]
    assert named["000001"].startswith("'=HYPERLINK")  # a CSV cell never starts a formula
    check = run_cli(["check", str(result), "--plan", str(shown)])  # the plan reads back, its extra columns aside
    assert "通过" in check


def test_unknown_field_is_an_input_error(result: Path, tmp_path: Path) -> None:
    plan = tmp_path / "plan.csv"
    said = run_cli(["repair", str(result), "-o", str(plan), "--fields", "门牌号"], code=2)
    assert "FIELDS-UNKNOWN" in said and not plan.exists()
