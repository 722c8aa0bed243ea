"""``check --plan 方案.xlsx`` without rules, of a plan whose 规则 sheet says them (session 41, audit G's finding 13).

``yuanluo check 农户.xlsx --crs wgs84 --plan v方案.xlsx`` stopped with RULE-NONE and the fix "用 --preset 选一个
预设…", although the plan, written by ``delineate --xlsx``, has a sheet 规则 with the rules it was made under. That
sheet is text for people (localised, the town level shown beside the rules' own nesting), not enough to rebuild
the rules, so check does not read it; its RULE-NONE fix now says what the sheet holds and the real way: check the
delineation result itself (its run table records the rules), or give the same rules. A plan without the sheet (a
CSV) keeps the old fix.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from shared_fixtures import lonlat_households_csv, run_cli

from yuanluo.gis.catalogue import text
from yuanluo.gis.rules import Rules
from yuanluo.planners.tables import numbered, rules_table, tables_xlsx


def _plan(tmp_path: Path, lang: str, rules_sheet: bool) -> tuple[Path, Path]:
    hh = lonlat_households_csv(tmp_path, 108.38, 29.77, 24)
    plan = pd.DataFrame({"户编号": [f"{i:03d}" for i in range(1, 25)], "院落编号": ["U1"] * 12 + ["U2"] * 12})
    sheets = {"院落方案": plan}
    if rules_sheet:
        said = rules_table(Rules(10, 14, name="banan", label="巴南区“巴适小院”"), lang, columns=["hid"])
        sheets[text("plan.rules_sheet", lang)] = numbered(said, lang)
    p = tmp_path / "方案.xlsx"
    p.write_bytes(tables_xlsx(sheets, lang))
    return hh, p


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_fix_names_the_plans_rules_and_the_way_to_check_under_them(tmp_path: Path, lang: str) -> None:
    hh, plan = _plan(tmp_path, lang, rules_sheet=True)
    out = " ".join(run_cli(["check", str(hh), "--crs", "4490", "--plan", str(plan)], lang, code=2).split())
    assert "RULE-NONE" in out, out
    if lang == "zh":
        assert "方案表 方案.xlsx 的“规则”工作表记有划分时的规则（规则名称：banan（巴南区“巴适小院”）；规模：10–14 户；" in out, out
        assert "检查划分结果本身（yuanluo check 结果.gpkg --plan 方案.xlsx），结果中记有规则，不必再给" in out, out
    else:
        assert "the sheet “Rules” of the plan 方案.xlsx says the rules it was made under (Rule name: banan (Banan" \
            in out, out
        assert "Size band: 10–14 households;" in out, out
        assert "check the delineation result itself (yuanluo check result.gpkg --plan 方案.xlsx)" in out, out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_plan_without_a_rules_sheet_keeps_the_old_fix(tmp_path: Path, lang: str) -> None:
    hh, plan = _plan(tmp_path, lang, rules_sheet=False)
    out = " ".join(run_cli(["check", str(hh), "--crs", "4490", "--plan", str(plan)], lang, code=2).split())
    old = {"zh": "用 --preset 选一个预设（banan、changshou、qingshen），或用 --min 和 --max",
           "en": "choose a preset with --preset (banan, changshou, qingshen), or give --min and --max"}
    assert "RULE-NONE" in out and old[lang] in out and "结果.gpkg" not in out and "result.gpkg" not in out, out
