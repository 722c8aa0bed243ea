"""Session 47 (helper R's leftover): the repair's exact models stop on counted work; the clock is only a far safety
net, and when it is reached the plan written may differ from an idle machine's, said by ``repair.note.clock``.
``yuanluo repair -q`` printed only the notes that change the plan written (``repair.note.meeting_walk``), so under -q
a repair cut short by the clock looked like any other. The note is now said under -q too."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

import yuanluo.gis.repair_exact as RE
from yuanluo.gis.catalogue import text
from yuanluo.planners.cli import app


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("quiet", [True, False])
def test_the_clock_reached_is_said_under_quiet_too(tmp_path, monkeypatch, lang, quiet) -> None:
    # test_s47_r_repair_load's two groups: 14 households in a row, G1 6 and G2 8, band 5-7: the exact model runs
    rows = ["户编号,东坐标,北坐标,组"] + [f"H{i + 1:02d},{500000 + 60 * i},3265000,{'G1' if i < 6 else 'G2'}"
                                       for i in range(14)]
    plan = ["户编号,院落编号"] + [f"H{i + 1:02d},{['U1', 'U2', 'U3', 'U4'][min(i // 3, 1) if i < 6 else 2 + (i - 6) // 4]}"
                               for i in range(14)]
    hh, pl, rules = tmp_path / "hh.csv", tmp_path / "plan.csv", tmp_path / "r.toml"
    hh.write_text("\n".join(rows) + "\n", encoding="utf-8")
    pl.write_text("\n".join(plan) + "\n", encoding="utf-8")
    rules.write_text("[rules]\nmin_size = 5\nmax_size = 7\nrequire_head = false\nnest_by = [\"group\"]\n"
                     "keep_settlements = false\n", encoding="utf-8")
    monkeypatch.setattr(RE, "CLOCK_SECONDS", 0.0)
    res = CliRunner().invoke(app, ["--lang", lang, "repair", str(hh), "--crs", "EPSG:4545", "--plan", str(pl),
                                   "--rules", str(rules), "-o", str(tmp_path / "fixed.csv"), *(["-q"] if quiet else [])],
                             env={"COLUMNS": "1000"})
    assert res.exit_code in (0, 1), res.output
    assert text("repair.note.clock", lang, seconds="0") in res.output, res.output
