"""A plan cell ``u1`` where the other rows say ``U1`` silently became a unit of its own (SIZE-LOW) (audit I). The
ids are still read as written (two units), but a coded warning names them and the rows."""
from __future__ import annotations

from pathlib import Path

import pytest
from shared_fixtures import lonlat_households_csv, run_cli

SAID = {
    "zh": ("文件 plan.csv：方案中的院落编号“u1”、“U1”只有大小写不同（第 6 行；编号 005），按不同的院落处理，没有合并。",
           "处理办法：若是同一个院落，把这些行的院落编号改成一样（如都写成“U1”）后重新运行；若确是不同的院落，无需处理。"),
    "en": ("File plan.csv: the plan's unit ids “u1”, “U1” differ only in case (row 6; id 005); they are taken for "
           "different units, not merged.",
           "Fix: if they are one unit, write its id the same way in these rows (e.g. all “U1”) and run again; if they "
           "really are different units, nothing to do."),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_unit_ids_differing_only_in_case_are_said(tmp_path: Path, lang: str) -> None:
    hh = lonlat_households_csv(tmp_path, 106.55, 29.56, 24)
    cells = [f"U{i // 8 + 1}" for i in range(24)]
    cells[4] = "u1"  # row 6 of the file (the header is row 1)
    cells[5] = "Ｕ１"  # full width: the same id once NFKC-normalised, as before
    plan = tmp_path / "plan.csv"
    plan.write_text("hid,unit\n" + "".join(f"{i + 1:03d},{u}\n" for i, u in enumerate(cells)), encoding="utf-8")
    out = run_cli(["check", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "--plan", str(plan),
                   "--unit-col", "unit", "--json", str(tmp_path / "j.json")], lang, code=1)
    text = " ".join(out.split())
    for sentence in SAID[lang]:
        assert " ".join(sentence.split()) in text, out
    assert "PLAN-UNIT-CASE" in text and "Ｕ１" not in text


def test_one_spelling_says_nothing(tmp_path: Path) -> None:
    hh = lonlat_households_csv(tmp_path, 106.55, 29.56, 24)
    plan = tmp_path / "plan.csv"
    plan.write_text("hid,unit\n" + "".join(f"{i + 1:03d},U{i // 8 + 1}\n" for i in range(24)), encoding="utf-8")
    out = run_cli(["check", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "--plan", str(plan),
                   "--unit-col", "unit"], "en", code=0)
    assert "PLAN-UNIT-CASE" not in out
