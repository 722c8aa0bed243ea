"""A roster of people (one row per person) is fixed by keeping one row per household (ID-PERSONS: the 户主 rows;
ID-PERSONS-ROWS: each household's first row). A party member or other candidate head who is not on the kept row
would then be lost without a word, and with them the household's candidate: both fixes now say to mark the kept
row first (helper B's report, session 39). Read as validate prints them, in zh and en."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from shared_fixtures import run_cli

SAID = {"zh": "否则该户会失去院落长候选人", "en": "loses its candidate"}


def _roster(path: Path, relation: bool) -> Path:
    rows = [("000175", "张大山", "户主"), ("000175", "李秀英", "配偶"), ("000176", "王二", "户主")]
    df = pd.DataFrame([{"户编号": h, "姓名": n, **({"与户主关系": r} if relation else {"户主姓名": rows[0][1] if h ==
                       "000175" else n, "人口": 2 if h == "000175" else 1}), "党员": "是" if n == "李秀英" else "否",
                        "经度": 106.51234 + 0.001 * k, "纬度": 29.51234} for k, (h, n, r) in enumerate(rows)])
    df.to_excel(path, index=False)
    return path


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("relation", "code"), [(False, "ID-PERSONS-ROWS")])  # with 与户主关系: combined (s45)
def test_the_fix_says_to_keep_the_candidate_flag(tmp_path: Path, lang: str, relation: bool, code: str) -> None:
    out = run_cli(["--lang", lang, "validate", str(_roster(tmp_path / "花名册.xlsx", relation)), "--crs", "EPSG:4490"],
                  lang, code=2)
    assert f"{code}：" in out or f"{code}:" in out, out
    assert SAID[lang] in ("" if lang == "zh" else " ").join(out.split()), out  # the console may wrap a line


def test_one_repeated_id_is_said_in_the_singular(tmp_path: Path) -> None:
    out = run_cli(["--lang", "en", "validate", str(_roster(tmp_path / "r.xlsx", False)), "--crs", "EPSG:4490"],
                  "en", code=2)
    assert "1 household id appears on several rows" in " ".join(out.split()), out  # was "1 household id appear"
