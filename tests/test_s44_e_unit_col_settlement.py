"""Session 44, helper E: 'check --unit-col 院落' took the plan's own column for the settlements too.

Found (a clerk's household list whose unit column is headed 院落, checked with --unit-col 院落): the reader reads a
column 院落 as the natural settlements (自然院落), so the settlement rule was checked against the plan itself, where a
unit can never split one: the check said nothing of it, neither a split nor that it could not be checked. Now the
column is the plan only, and the settlement rule is said not checked (RULE-UNAPPLIED), as for a file without one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_fixtures import run_cli


@pytest.mark.parametrize(("lang", "said"), [("zh", "保持自然院落完整（农户表没有自然院落列）"),
                                            ("en", "Warning RULE-UNAPPLIED")])
def test_the_plan_column_is_no_settlement_column(tmp_path: Path, lang: str, said: str) -> None:
    rows = ["户编号,经度,纬度,院落"] + [f"H{i:02d},{106.55 + 0.0004 * i:.6f},29.560000,U{i // 5 + 1}" for i in range(10)]
    hh = tmp_path / "hh.csv"
    hh.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = run_cli(["check", str(hh), "--crs", "EPSG:4490", "--unit-col", "院落", "--min", "3", "--max", "5"], lang)
    assert said in out, out
    assert ("10 户，2 个院落" if lang == "zh" else "10 households, 2 units") in out, out
    if lang == "en":
        assert "settlement" in out.split("RULE-UNAPPLIED", 1)[1].splitlines()[0], out
