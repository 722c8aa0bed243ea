"""Session 41 (audit G item 3): 'check --csv' (and its .xlsx 问题清单) listed the errors among the warnings, as
the check found them (5 errors at rows 27, 36, 37, 58, 64 of 66), while the console and the HTML report list
errors first: the tables now do too, each severity in the check's order."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from yuanluo.planners.tables import check_csv_bytes, check_xlsx


def violations() -> pd.DataFrame:
    sev = ["warning", "warning", "error", "warning", "error", "warning"]
    return pd.DataFrame({"code": [f"C{i}" for i in range(6)], "unit_id": [f"U{i}" for i in range(6)],
                         "hids": [[f"H{i}"] for i in range(6)], "severity": sev,
                         "message_zh": ["说明"] * 6, "message_en": ["says"] * 6})


def test_csv_lists_errors_first() -> None:
    units = pd.DataFrame({"unit_id": ["U0"], "status": ["ok"]})
    for lang, err in (("zh", "错误"), ("en", "error")):
        v, _ = check_csv_bytes(violations(), units, lang)  # type: ignore[arg-type]
        rows = [line.split(",") for line in v.decode("utf-8-sig").splitlines()[1:]]
        assert [r[0] for r in rows] == ["C2", "C4", "C0", "C1", "C3", "C5"], rows
        assert [r[3] == err for r in rows] == [True, True, False, False, False, False], rows


def test_xlsx_lists_errors_first_numbered_in_that_order() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(check_xlsx(violations(), pd.DataFrame({"unit_id": ["U0"]}))))
    cells = [[c.value for c in row] for row in wb.worksheets[0].iter_rows(min_row=2)]
    assert [r[0] for r in cells] == [1, 2, 3, 4, 5, 6]
    assert [r[1] for r in cells] == ["C2", "C4", "C0", "C1", "C3", "C5"], cells
