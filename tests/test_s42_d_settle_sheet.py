"""The plan workbook's 规则 / Rules sheet (``delineate --xlsx``) said 保持自然院落完整 未检查（农户表没有自然院落列）
/ "not checked" for a household file without a settlement column (session 42, helper D): the check's word, while
the delineation that wrote the sheet had found the settlements itself, by walking distance, and kept them whole
(it says so on the console). The sheet now says what was done, and that ``check`` will call the rule not checked."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from shared_fixtures import lonlat_households_csv, run_cli

from yuanluo.gis.catalogue import text

FOUND = {"zh": ("是（", "划分时按步行距离自行识别自然院落，并尽量保持完整", "未检查"),
         "en": ("yes (", "the delineation found the settlements itself, by walking distance, and kept them whole",
                "not checked")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_rules_sheet_says_the_delineation_found_the_settlements_and_kept_them(tmp_path: Path, lang: str) -> None:
    xlsx = tmp_path / "p.xlsx"
    run_cli(["--lang", lang, "delineate", str(lonlat_households_csv(tmp_path, 106.55, 29.56)), "--crs", "EPSG:4490",
             "--min", "4", "--max", "8", "-o", str(tmp_path / "u.gpkg"), "--xlsx", str(xlsx), "-q"], lang)
    ws = openpyxl.load_workbook(xlsx)[text("plan.rules_sheet", lang)]
    rows = {str(r[1]): str(r[2]) for r in ws.iter_rows(min_row=2, values_only=True)}
    said = rows[text("plan.rules.keep_settlements", lang)]
    first, done, check = FOUND[lang]
    assert said.startswith(first) and done in said, said  # the old sheet: 未检查（农户表没有自然院落列）
    assert "yuanluo check" in said and check in said  # and what the check of it will say
