"""heads_for_size at or above the band's ceiling has no effect, and says so (RULE-HEADS-UNUSED, variant band).

A planner who writes ``heads_for_size = 30`` under Changshou's rule (15–25 households) asks for a management group
of two candidate heads in units that cannot exist: no unit is larger than 25. Before session 60 this was silent
(only ``require_head = false`` made the setting's lack of effect said); ``validate``, ``delineate``, ``check`` and
``repair`` now say it, with the number the setting must stay below."""

from __future__ import annotations

from pathlib import Path

import pytest
from badfiles import HEADER, good_rows, write_csv
from typer.testing import CliRunner

from yuanluo.gis.rules import Rules
from yuanluo.planners.cli import app

runner = CliRunner()


def _validate(tmp: Path, rules: str, *extra: str, lang: str = "zh") -> str:
    rows = [f"{r},{v}" for r, v in zip(good_rows(6), ["是", "否", "否", "是", "否", "否"], strict=True)]
    p = write_csv(tmp, "农户.csv", [f"{HEADER},党员", *rows])
    r = tmp / "规则.toml"
    r.write_text(f'[rules]\npreset = "长寿"\n{rules}\n', encoding="utf-8")
    res = runner.invoke(app, ["validate", str(p), "--crs", "EPSG:4490", "--rules", str(r), *extra, "--lang", lang])
    assert res.exit_code == 0, res.output
    return res.output


def test_heads_for_size_above_the_ceiling_is_said_to_have_no_effect(tmp_path: Path) -> None:
    out = _validate(tmp_path, "heads_for_size = 30")
    assert "RULE-HEADS-UNUSED" in out and "院落规模上限为 25 户，没有院落会超过 30" in out, out
    assert "改为小于 25 的数" in out and "require_head = false" not in out, out
    out = _validate(tmp_path, "heads_for_size = 25\nrequire_head = true", lang="en")
    assert "RULE-HEADS-UNUSED" in out and "ceiling of 25 households" in out and "below 25" in out, out
    said = [line.replace("规则.toml", "") for line in out.splitlines() if "RULE-HEADS" in line or "Fix: for" in line]
    assert len(said) == 2 and not any("\u4e00" <= c <= "\u9fff" for line in said for c in line), said


@pytest.mark.parametrize(("rules", "extra"), [("heads_for_size = 24", ()),
                                               ("heads_for_size = 30", ("--max", "40"))])
def test_heads_for_size_below_the_ceiling_is_not_said(tmp_path: Path, rules: str, extra: tuple[str, ...]) -> None:
    out = _validate(tmp_path, rules, *extra)
    assert "RULE-HEADS-UNUSED" not in out, out


def test_the_note_counts_persons_where_sizes_count_persons() -> None:
    (p,) = Rules(40, 60, size_by="persons", heads_for_size=60).notes("r.toml")
    assert p.code == "RULE-HEADS-UNUSED" and p.severity == "warning"
    assert "上限为 60 人" in p.message("zh") and "60 persons" in p.message("en"), p.message("en")
    assert Rules(40, 60, size_by="persons", heads_for_size=59).notes() == []
