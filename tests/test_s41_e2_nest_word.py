"""Session 41, helper E2 (audit G §9): a repair move's nesting reason names the level that applies.

G's moves table said "与所在院落不属同一行政村或村民小组，改入本组相邻院落" / "moved to a neighbouring unit of its own
group" where the rules nest by village only and the roster has no group column. Now the reason names the level
the household crossed (``move.reason.nesting-village``, ``-group``).

Fixture: a street of 12 households 90 m apart (EPSG:4545), H00–H05 of village V1 (unit A), H06–H11 of V2 (unit
B), no group column; H06 typed into A.
"""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_move_across_villages_says_village(tmp_path, lang) -> None:
    rows = ["户编号,东坐标,北坐标,村"] + [f"H{i:02d},{474000 + 90 * i},3297000,{'V1' if i < 6 else 'V2'}"
                                          for i in range(12)]
    plan = ["户编号,院落编号"] + [f"H{i:02d},{'A' if i < 7 else 'B'}" for i in range(12)]
    hh, pl, rules = tmp_path / "hh.csv", tmp_path / "plan.csv", tmp_path / "r.toml"
    hh.write_text("\n".join(rows) + "\n", encoding="utf-8")
    pl.write_text("\n".join(plan) + "\n", encoding="utf-8")
    rules.write_text("[rules]\nmin_size = 5\nmax_size = 7\nrequire_head = false\nnest_by = [\"village\"]\n"
                     "keep_settlements = false\n", encoding="utf-8")
    moves = tmp_path / "moves.csv"
    res = CliRunner().invoke(app, ["--lang", lang, "repair", str(hh), "--crs", "EPSG:4545", "--plan", str(pl),
                                   "--rules", str(rules), "-o", str(tmp_path / "fixed.csv"), "--moves", str(moves)],
                             env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    mv = pd.read_csv(moves, dtype=str, encoding="utf-8-sig")
    assert mv.iloc[:, 0].tolist() == ["H06"], mv
    said = {"zh": "与所在院落不属同一行政村，改入本村相邻院落",
            "en": "not of its unit's village; moved to a neighbouring unit of its own village"}
    assert mv.iloc[0, 3] == said[lang], mv
    assert "组" not in mv.iloc[0, 3] and "group" not in mv.iloc[0, 3]
