"""Session 41 (helper E2's leftover): ``yuanluo repair -q`` of a plan whose given meeting point broke the walking
limit printed only "修复后通过：调整 0 户" / "Repaired: 0 households moved." — the meeting point the repair changed
(7363c5d, ``repair.note.meeting_walk``) is a change to the plan written, and -q left its note out with the other
notes. It is now said under -q too; the other notes stay left out."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_quiet_repair_still_says_the_meeting_point_it_changed(tmp_path, lang) -> None:
    rows = ["户编号,东坐标,北坐标,村"] + [f"H{i:02d},{474000 + 90 * i},3297000,V1" for i in range(12)]
    plan = ["户编号,院落编号,议事点"] + [f"H{i:02d},A,{'H00' if i == 0 else ''}" for i in range(12)]
    hh, pl, rules = tmp_path / "hh.csv", tmp_path / "plan.csv", tmp_path / "r.toml"
    hh.write_text("\n".join(rows) + "\n", encoding="utf-8")
    pl.write_text("\n".join(plan) + "\n", encoding="utf-8")
    rules.write_text("[rules]\nmin_size = 10\nmax_size = 12\nrequire_head = false\nmax_walk_min = 10\n"
                     "nest_by = [\"village\"]\nkeep_settlements = false\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["--lang", lang, "repair", str(hh), "--crs", "EPSG:4545", "--plan", str(pl),
                                   "--rules", str(rules), "-o", str(tmp_path / "fixed.csv"), "-q"],
                             env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    said = {"zh": "该院落的议事点改为 H05", "en": "the unit's meeting point is now H05"}
    assert said[lang] in res.output, res.output
