"""A data value holding a line break is printed on one line of the console, the break shown as ⏎.

A unit named "“引号”院\\n落" (an Excel cell with Alt+Enter, saved as CSV) broke repair's reason of it in two, the
second line starting "落, +1院落 …" as if it were another finding; a villager group "“引号”组\\n换行" broke
validate's list of groups (the hostile village of session 56; session 60, helper A, finding D). The console now
shows such values with the break as ⏎ (other control characters as U+XXXX) wherever it prints them; the files
written keep them as they are."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from badfiles import HEADER, good_rows, write_csv
from test_repair_reasons import _cli_repair, _grid, _left
from typer.testing import CliRunner

from yuanluo.planners.cli import app


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_validate_group_list_keeps_a_group_with_a_break_on_its_line(tmp_path: Path, lang: str) -> None:
    rows = [r.replace(",一组", ',"二\n组"') if i >= 6 else r for i, r in enumerate(good_rows(12))]
    p = write_csv(tmp_path, "农户.csv", [f"{HEADER},党员", *(f"{r},否" for r in rows)])
    r = tmp_path / "规则.toml"
    r.write_text("[rules]\nmin_size = 2\nmax_size = 3\nnest_by = [\"村民小组\"]\nrequire_head = true\n",
                 encoding="utf-8")
    res = CliRunner().invoke(app, ["validate", str(p), "--crs", "EPSG:4490", "--rules", str(r), "--lang", lang])
    assert res.exit_code == 0, res.output
    line = [x for x in res.output.splitlines() if "RULE-HEAD-GROUPS" in x]
    assert len(line) == 1 and "二⏎组" in line[0] and "一组" in line[0], res.output
    assert not any(x.startswith("组") for x in res.output.splitlines()), res.output


@pytest.mark.parametrize(("lang", "says"), [("zh", "只有改动已锁定的院落 U0 才能修复"),
                                            ("en", "changing the locked unit U0")])
def test_repair_reason_of_a_unit_named_with_a_break_is_one_line(tmp_path: Path, lang: str, says: str) -> None:
    hh, _, lab = _grid()
    bad = lab.replace({"U1": "院\n落1"})
    bad["h0302"] = "院\n落1"
    out = _cli_repair(tmp_path, hh, bad, "--lock", "U0", lang=lang)
    assert out.exit_code == 1, out.output
    line = _left(out.output, "SIZE-HIGH")
    assert len(line) == 1 and "院⏎落1" in line[0] and says in line[0], out.output
    assert not any(x.startswith("落1") for x in out.output.splitlines()), out.output
    fixed = pd.read_csv(tmp_path / f"fixed_{lang}.csv", dtype=str, encoding="utf-8-sig")
    assert "院\n落1" in set(fixed.iloc[:, 1]), fixed.head()  # the file keeps the name as it is
