"""A delineation whose rules file names the nesting columns as the household table does (``nest_by = ["村", "组"]``)
records them so in its ``run`` table, while check, repair and ``delineate --lock`` hold them resolved (village,
group). Its declared exceptions must hold all the same (session 40, audit F: the check failed with PLAN-NO-HEAD,
repair "fixed" the declared units, a locked unit recorded PLAN-NO-HEAD as its breach).

Eight households in a row, one candidate head, 4–8 households and a second head above 6: the delineation declares
the unit without a candidate HEAD-SHORT, which the check cannot prove from the plan alone."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from typer.testing import CliRunner

from yuanluo.gis.check import Declared
from yuanluo.gis.rules import Rules
from yuanluo.planners.cli import app

runner = CliRunner()


def _cli(args: list[str], lang: str = "zh", code: int = 0) -> str:
    res = runner.invoke(app, ["--lang", lang, *args], env={"COLUMNS": "400"})
    assert res.exit_code == code, res.output
    return res.output


def _village(folder: Path, n: int, cells: dict[int, str], rules: str) -> tuple[Path, Path]:
    """``hh.csv`` of ``n`` households H00… about 40 m apart in a row, columns 村, 组 and 自然院落 (``cells``:
    row → settlement, else 乙), H00 the one candidate head; ``r.toml`` with ``rules`` and nest_by = ["村", "组"]."""
    rows = ["户编号,经度,纬度,村,组,自然院落,院落长候选"]
    rows += [f"H{i:02d},{106.55 + 0.0004 * i:.6f},29.560000,新华村,一组,{cells.get(i, '乙')},{'是' if i == 0 else '否'}"
             for i in range(n)]
    hh, rf = folder / "hh.csv", folder / "r.toml"
    hh.write_text("\n".join(rows) + "\n", encoding="utf-8")
    rf.write_text(f'[rules]\n{rules}\nnest_by = ["村", "组"]\n', encoding="utf-8")
    return hh, rf


@pytest.fixture(scope="module")
def head_result(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("nest_zh")
    hh, rf = _village(folder, 8, {}, "min_size = 4\nmax_size = 8\nrequire_head = true\nheads_for_size = 6\n"
                                     "keep_settlements = false")
    out = folder / "out.gpkg"
    _cli(["delineate", str(hh), "--crs", "EPSG:4490", "--rules", str(rf), "-o", str(out)])
    run = pyogrio.read_dataframe(out, layer="run", read_geometry=False)
    assert json.loads(run.set_index("key").loc["params.rules.nest_by", "value"]) == ["村", "组"]  # as given
    units = pyogrio.read_dataframe(out, layer="units", read_geometry=False).set_index("unit_id")
    assert units.loc["U002", "status"] == "exception" and "HEAD-SHORT" in units.loc["U002", "reason"]
    return out, rf


def test_a_declaration_under_nest_by_as_given_applies_to_the_resolved_names() -> None:
    d = Declared(pd.Series([], dtype=object), {}, rules=Rules(4, 8, nest_by=("村", "组")).to_dict())
    assert d.applies(Rules(4, 8, nest_by=("village", "group")))
    assert d.applies(Rules(4, 8, nest_by=("行政村", "村民小组")))
    assert not d.applies(Rules(4, 8, nest_by=("village",)))
    assert not d.applies(Rules(4, 8, nest_by=("group", "village")))


@pytest.mark.parametrize(("lang", "summary"), [("zh", "（其中 1 个为例外）"), ("en", "(exceptions: 1)")])
def test_the_result_passes_its_own_check(head_result, tmp_path: Path, lang: str, summary: str) -> None:
    out, rf = head_result
    js = tmp_path / "c.json"
    text = _cli(["check", str(out), "--rules", str(rf), "--json", str(js)], lang)
    assert summary in text
    rep = json.loads(js.read_text(encoding="utf-8"))
    assert rep["summary"]["n_errors"] == 0
    assert [(v["code"], v["unit_id"]) for v in rep["violations"] if v["severity"] != "info"
            and v["code"].startswith(("DECLARED", "PLAN"))] == [("DECLARED-EXCEPTION", "U002")]


def test_repair_of_its_own_plan_has_nothing_to_do(head_result, tmp_path: Path) -> None:
    out, _ = head_result
    plan = tmp_path / "plan.csv"
    own = pyogrio.read_dataframe(out, layer="households", read_geometry=False)[["hid", "unit_id"]]
    own.to_csv(plan, index=False)
    text = _cli(["repair", str(out), "--plan", str(plan), "-o", str(tmp_path / "fixed.csv")], "en")
    assert "nothing to repair, no household moved" in " ".join(text.split())


def test_a_locked_declared_unit_keeps_its_declaration(head_result, tmp_path: Path) -> None:
    out, rf = head_result
    locked = tmp_path / "locked.gpkg"
    _cli(["delineate", str(out), "--rules", str(rf), "--lock", "U001,U002", "-o", str(locked)])
    units = pyogrio.read_dataframe(locked, layer="units", read_geometry=False).set_index("unit_id")
    assert json.loads(units.loc["U002", "reason_params"])["codes"] == ["DECLARED-EXCEPTION"]
    _cli(["check", str(locked), "--rules", str(rf)])


def test_repair_keeps_a_declared_settlement_split(tmp_path: Path) -> None:
    """Ten households, 4–6 each, settlement 甲 of H03–H07 (five): no division keeps it whole; the delineation
    splits and declares it, and repair of its own plan moves no one."""
    hh, rf = _village(tmp_path, 10, {3: "甲", 4: "甲", 5: "甲", 6: "甲", 7: "甲", 8: "丙", 9: "丙"},
                      "min_size = 4\nmax_size = 6")
    out = tmp_path / "out.gpkg"
    _cli(["delineate", str(hh), "--crs", "EPSG:4490", "--rules", str(rf), "-o", str(out)])
    own = pyogrio.read_dataframe(out, layer="households", read_geometry=False)
    assert own["settlement_split"].astype(bool).sum() == 5
    own[["hid", "unit_id"]].to_csv(tmp_path / "plan.csv", index=False)
    text = _cli(["repair", str(out), "--plan", str(tmp_path / "plan.csv"), "-o", str(tmp_path / "fixed.csv")], "en")
    assert "nothing to repair, no household moved" in " ".join(text.split())


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", ("改用 --max-edge-walk", "议事点", "“max_walk_min = 15”", "--rules")),
    ("en", ("use --max-edge-walk instead", "meeting point", "max_walk_min = 15", "--rules"))])
def test_the_old_max_walk_option_points_to_the_walking_limit_of_a_rule_file(tmp_path: Path, lang: str,
                                                                            words: tuple[str, ...]) -> None:
    """``--max-walk`` is the old name of ``--max-edge-walk`` (one edge of the neighbour graph); a planner giving it
    may have meant the walk to the meeting point, ``max_walk_min`` of a rule file: the warning says where that is."""
    hh, _ = _village(tmp_path, 8, {}, "")
    text = " ".join(_cli(["delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "--max-walk", "5",
                          "-o", str(tmp_path / "o.gpkg")], lang).split())
    fix = text[text.index("CLI-DEPRECATED"):]
    assert all(w in fix for w in words), fix
