"""The --xlsx workbook's rules sheet said 不得跨越：村、村民小组 for households with a town column (乡镇), though the
nest key keeps a unit inside its town as well (gis.keys.key_columns). The row now begins with the levels the key
keeps above the rules' own columns, the town first (planners.tables.rules_table with the households' columns,
planners.report.kept_levels): 乡镇、村、村民小组 / towns, villages, villager groups (session 35, fixer FB, defect 1)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from badfiles import good_rows, write_csv
from typer.testing import CliRunner

from yuanluo.gis.rules import Rules
from yuanluo.planners.cli import app
from yuanluo.planners.tables import rules_table


@pytest.mark.parametrize(("lang", "key", "want"), [("zh", "不得跨越", "乡镇、村、村民小组"),
                                                   ("en", "Must not straddle", "towns, villages, villager groups")])
def test_the_rules_sheet_of_two_towns_names_the_town(tmp_path: Path, lang: str, key: str, want: str) -> None:
    rows = [f"{r.removesuffix(',一组')},{'甲镇' if i < 6 else '乙镇'},新华村,一组" for i, r in enumerate(good_rows(12))]
    hh = write_csv(tmp_path, "hh.csv", ["户编号,经度,纬度,人口,乡镇,村,村民小组", *rows])
    rules = tmp_path / "rules.toml"
    rules.write_text('[rules]\nmin_size = 3\nmax_size = 8\nnest_by = ["village", "group"]\nrequire_head = false\n'
                     "keep_settlements = false\n", encoding="utf-8")
    xlsx = tmp_path / "plan.xlsx"
    res = CliRunner().invoke(app, ["--lang", lang, "delineate", str(hh), "--crs", "EPSG:4490", "--rules", str(rules),
                                   "-o", str(tmp_path / "d.gpkg"), "--xlsx", str(xlsx), "-q"], env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(xlsx)
    kv = dict(r[1:] for r in wb["规则" if lang == "zh" else "Rules"].iter_rows(min_row=2, values_only=True))
    assert kv[key] == want, kv


def test_the_rules_words_keep_their_order_and_absent_columns() -> None:
    cols = ["hid", "乡镇", "village", "group", "settlement"]
    said = rules_table(Rules(20, 50, nest_by=("settlement", "村民小组")), "zh", columns=cols).iloc[2].tolist()
    assert said == ["不得跨越", "乡镇、村、自然院落、村民小组"]  # the key's levels above, then the rules' own, resolved
    said = rules_table(Rules(20, 50, nest_by=("village", "group", "片区")), "en", columns=["group", "片区"])
    assert said.iloc[2].tolist() == ["Must not straddle", "villager groups, “片区”; villages not checked (the household "
                                     "file has no such columns)"]  # no town; the column absent not claimed (s41 audit G)
    assert rules_table(Rules(20, 50), "zh").iloc[2].tolist() == ["不得跨越", "村、村民小组"]  # columns unknown
