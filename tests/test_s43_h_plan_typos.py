"""Session 43, helper H: household ids a clerk mistyped in a plan (H0O0006 for H000006, H00010 for H000010).

PLAN-UNKNOWN-ID named the rows and ids and said "check the ids for typos"; the household meant, one edit away
and missing from the plan, was left for the clerk to find among 600. It is now named beside each id where exactly
one such household exists (never a guess: two near households, or two ids near one, say nothing)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from yuanluo.gis.check import check_plan
from yuanluo.gis.plan import read_plan_table
from yuanluo.gis.rules import Rules


def test_mistyped_ids_name_the_household_meant(tmp_path: Path) -> None:
    hh = pd.DataFrame(index=pd.Index([f"H{i:06d}" for i in range(1, 13)] + ["A1", "A2"], name="hid"))
    ids = [f"H{i:06d}" for i in range(1, 13)] + ["A1", "A2"]
    ids[5], ids[9], ids[11] = "H0O0006", "H00010", "H999999"  # a letter O; a digit left out; nothing near
    ids[12], ids[13] = "A3", "B7"  # A3 is near both A1 and A2, both missing from the plan: no guess
    p = tmp_path / "花名册.csv"
    p.write_text("户编号,院落\n" + "".join(f"{h},U{i // 7}\n" for i, h in enumerate(ids)), encoding="utf-8")
    got = read_plan_table(p, hh)
    q = {x.code: x for x in got.problems}["PLAN-UNKNOWN-ID"]
    assert q.ids == ("H0O0006", "H00010", "H999999", "A3", "B7")
    assert q.message("zh").splitlines()[0] == (
        "错误 PLAN-UNKNOWN-ID：文件 花名册.csv：方案中有 5 个户编号不在农户文件里（第 7、11、13、14、15 行；编号 "
        "H0O0006、H00010、H999999、A3、B7）。其中像是抄错的（右边是方案中没有的户）：H0O0006 → H000006、H00010 → H000010。")
    assert q.message("en").splitlines()[0] == (
        "Error PLAN-UNKNOWN-ID: file 花名册.csv: the plan names 5 household ids not in the household file (rows 7, 11, "
        "13, 14, 15; ids H0O0006, H00010, H999999, A3, B7). Some look like typos of households the plan lacks: "
        "H0O0006 → H000006, H00010 → H000010.")


def test_unknown_ids_from_python_still_said() -> None:
    # check_plan given labels naming an id the households lack (the Python API's own PLAN-UNKNOWN-ID)
    from shared_fixtures import chain

    hh, g = chain(group=["一组"] * 4)
    labels = pd.Series(["A"] * 5, index=["000", "001", "002", "003", "0O3"])
    res = check_plan(hh, labels, Rules(1, 9), graph=g, unapplied=False)
    v = res.violations.set_index("code").loc["PLAN-UNKNOWN-ID"]
    assert v["message_en"].startswith("Error PLAN-UNKNOWN-ID: the plan names 1 household id not in the household "
                                      "file (id 0O3)."), v["message_en"]
