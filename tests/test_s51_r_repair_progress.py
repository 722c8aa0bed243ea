"""Session 51 (helper R): while ``yuanluo repair`` runs, its progress line says what it is doing.

The line "寻找修复方案……" / "Looking for a repair…" kept its spinner for the three minutes of the repair of
Banan's edited Andorra plan (session 50, helper P) and named no step. ``repair_plan`` now tells a ``progress``
callable each pass of the repair, each plan it checks and each exact model it hands to HiGHS (its number and its
variables), from the catalogue (``repair.step.*``); the command line shows it as the part of its stage: the
spinner's line on a terminal, plain lines with ``-v`` (at most one every 5 seconds). It decides nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from test_s47_r_repair_load import CASES, _said
from typer.testing import CliRunner

from yuanluo import build_graph
from yuanluo.gis.repair import repair_plan
from yuanluo.planners import console as C
from yuanluo.planners.cli.app import app

HAN = re.compile(r"[\u4e00-\u9fff]")


def test_repair_plan_says_its_passes_checks_and_models() -> None:
    """The two groups' street (its models asked part by part, then whole): the first pass, its check of the plan as
    given, then its exact models numbered 1, 2, … with their variables; the repair the same as without a listener."""
    hh, labels, rules = CASES["two_groups"]()
    graph = build_graph(hh, max_walk_min=1.0)
    heard: list[tuple[str, dict[str, Any]]] = []
    res = repair_plan(hh, labels, rules, graph, progress=lambda key, params: heard.append((key, params)))
    assert heard[:2] == [("repair.step.pass", {"n": 1}), ("repair.step.check", {})]
    models = [p for k, p in heard if k == "repair.step.exact"]
    assert [p["n"] for p in models] == list(range(1, len(models) + 1)) and models
    assert all(isinstance(p["size"], int) and p["size"] > 0 for p in models)
    assert {k for k, _ in heard} <= {"repair.step.pass", "repair.step.check", "repair.step.exact",
                                    "repair.step.heuristic"}
    assert _said(res) == _said(repair_plan(hh, labels, rules, graph))


def _street(tmp_path: Path) -> list[str]:
    """test_s43_c_let_go's street of 21 (A = H00–H11 given its end H00, B = H12–H20, band 8–12, 10 minutes)."""
    rows = ["户编号,东坐标,北坐标,村"] + [f"H{i:02d},{474000 + 90 * i},3297000,V1" for i in range(21)]
    plan = ["户编号,院落编号,议事点"] + [f"H{i:02d},{'A' if i <= 11 else 'B'},{'H00' if i == 0 else ''}"
                                          for i in range(21)]
    (tmp_path / "hh.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "plan.csv").write_text("\n".join(plan) + "\n", encoding="utf-8")
    (tmp_path / "r.toml").write_text("[rules]\nmin_size = 8\nmax_size = 12\nrequire_head = false\nmax_walk_min = 10\n"
                                     "nest_by = [\"village\"]\nkeep_settlements = false\n", encoding="utf-8")
    return ["repair", str(tmp_path / "hh.csv"), "--crs", "EPSG:4545", "--plan", str(tmp_path / "plan.csv"),
            "--rules", str(tmp_path / "r.toml"), "--overwrite", "-o", str(tmp_path / "f.csv")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_console_names_the_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    """Every part the display is given while the repair runs, in the run's language only: the passes, the checks and
    the exact models with their variables (thousands grouped in English); with ``-v`` off a terminal, the first
    part as a plain line."""
    shown: list[str] = []
    part = C.stages.part

    def recorded(text: str, **kwargs: Any) -> None:
        shown.append(text)
        part(text, **kwargs)

    monkeypatch.setattr(C.stages, "part", recorded)
    monkeypatch.setattr(C.stages, "t_line", 0.0)  # no line of an earlier run within its 5 seconds
    res = CliRunner().invoke(app, [*_street(tmp_path), "--lang", lang, "-v"])
    assert res.exit_code == 0, res.output
    stage = "寻找修复方案" if lang == "zh" else "Looking for a repair"
    first = "第 1 遍修复" if lang == "zh" else "repair pass 1"
    assert shown[:2] == [first, "检查方案" if lang == "zh" else "checking a plan"]
    model = re.compile(r"精确求解第 \d+ 个模型（\d+ 个变量）" if lang == "zh" else r"exact model \d+ \([\d,]+ variables?\)")
    assert any(model.fullmatch(s) for s in shown), shown
    assert all(bool(HAN.search(s)) == (lang == "zh") for s in shown)
    sub = f"{stage}：{first}……" if lang == "zh" else f"{stage}: {first}…"
    assert any(line.endswith(f"] {sub}") for line in res.stderr.splitlines()), res.stderr
    assert sub not in res.stdout
