"""`yuanluo validate` on a roster of people (one row per person, 与户主关系, the household id on every member's row)
said ID-DUP with the fix to change the repeated ids, which would make family members households: the check
(gis.validate.check_ids, helper G) knew ID-PERSONS, but the reader never passed it the relation column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from shared_fixtures import run_cli


def _roster(path: Path) -> Path:
    rows = []
    for k, (h, members) in enumerate((("000175", ["户主", "配偶", "子女"]), ("000176", ["户主"]),
                                      ("000177", ["户主", "父母"]))):
        rows += [{"户编号": h, "姓名": f"成员{h}{j}", "与户主关系": rel, "人口": len(members),
                  "经度": 106.5 + 0.001 * k, "纬度": 29.5 + 0.001 * k} for j, rel in enumerate(members)]
    pd.DataFrame(rows).to_excel(path, index=False)
    return path


@pytest.mark.parametrize(("lang", "said"), [("zh", "这是按人登记的花名册"), ("en", "this is a roster of people")])
def test_validate_says_a_roster_of_people(tmp_path: Path, lang: str, said: str) -> None:
    """Since session 45 (gis.roster) such a roster is combined into households, said as ID-PERSONS-COMBINED."""
    f = _roster(tmp_path / "按人花名册.xlsx")
    before = sorted(p.name for p in tmp_path.iterdir())
    out = run_cli(["validate", str(f), "--crs", "EPSG:4490"], lang)
    assert "ID-PERSONS-COMBINED" in out and said in out, out
    assert "ID-DUP" not in out, out
    assert sorted(p.name for p in tmp_path.iterdir()) == before
