"""Rules a household file cannot serve (audit s29 K §1). A ``nest_by`` name that is neither a column of the
household file nor a nesting column Yuanluo knows ("grop" for "group") was dropped without a code: delineate
exited 0 with units straddling villager groups, and ``check`` passed, saying nothing under ``-q`` and recording
nothing in ``--json``. It is now RULE-NEST-UNKNOWN (exit 2, nothing written, the rule file, the name and the
file's columns named). A rule the file has no column for (a nesting column a preset names, ``require_head``
without candidates, settlements without a settlement column) is a RULE-UNAPPLIED warning: printed by delineate,
check and repair (one coded line naming them all, then the fix of each; ``-q`` prints errors and the outcome only),
recorded in the run layer's ``params.warnings`` and in check's JSON and CSV, ``-q`` or not."""

from __future__ import annotations

import json
from pathlib import Path

import pyogrio
import pytest
from badfiles import HEADER, good_rows, write_csv
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


def _village(tmp: Path, n: int = 12) -> Path:
    """``n`` households of one villager group (村民小组) in two settlements of six; no village column, no
    candidate heads."""
    rows = [f"{r},{'东院' if i < n // 2 else '西院'}" for i, r in enumerate(good_rows(n))]
    return write_csv(tmp, "hh.csv", [HEADER + ",院落", *rows])


def _rules(tmp: Path, nest: str, name: str = "rules.toml") -> Path:
    p = tmp / name
    p.write_text(f"[rules]\nmin_size = 4\nmax_size = 8\nnest_by = {nest}\nrequire_head = true\n", encoding="utf-8")
    return p


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_nest_by_typo_is_a_coded_error_naming_file_name_and_columns(tmp_path: Path, lang: str) -> None:
    hh = _village(tmp_path)
    rules = _rules(tmp_path, '["village", "grop"]')
    out = tmp_path / "d.gpkg"
    base = ["--crs", "EPSG:4490", "--rules", str(rules), "--lang", lang]
    for args in (["delineate", str(hh), *base, "-o", str(out)],
                 ["check", str(hh), *base, "--unit-col", "settlement", "--json", str(tmp_path / "c.json")],
                 ["repair", str(hh), *base, "--unit-col", "settlement", "-o", str(tmp_path / "p.csv")]):
        res = runner.invoke(app, args)
        assert res.exit_code == 2, res.output
        shown = " ".join(res.output.split())
        assert "RULE-NEST-UNKNOWN" in shown and "rules.toml" in shown and "“grop”" in shown, shown
        cols = "persons、group、settlement" if lang == "zh" else "persons, group, settlement"
        assert cols in shown, shown  # the columns the household file has
        assert "village" in shown  # a nesting name the preset may give is no typo: only grop is
        assert "“village”" not in shown
    assert not out.exists() and not (tmp_path / "c.json").exists() and not (tmp_path / "p.csv").exists()


def test_an_alias_of_a_nesting_column_is_no_typo(tmp_path: Path) -> None:
    hh = _village(tmp_path)
    rules = _rules(tmp_path, '["行政村", "村民小组"]')
    res = runner.invoke(app, ["check", str(hh), "--crs", "EPSG:4490", "--rules", str(rules), "--unit-col",
                              "settlement"])
    assert res.exit_code == 0, res.output
    shown = " ".join(res.output.split())
    assert "RULE-NEST-UNKNOWN" not in shown and shown.count("警告 RULE-UNAPPLIED") == 1, shown
    assert shown.count("处理办法") >= 2, shown  # one fix per rule: village, the heads
    assert "改写为" not in shown  # 村民小组 is the reader's group column: applied as it is (test_s31_nest_alias)
    assert '写 nest_by = ["村民小组"]' in shown, shown


def test_unapplied_rules_are_coded_printed_and_recorded(tmp_path: Path) -> None:
    hh = _village(tmp_path)
    rules = _rules(tmp_path, '["village", "group"]')  # no village column, no candidate heads
    out = tmp_path / "d.gpkg"
    res = runner.invoke(app, ["delineate", str(hh), "--crs", "EPSG:4490", "--rules", str(rules), "-o", str(out)])
    assert res.exit_code == 0, res.output
    shown = " ".join(res.output.split())
    assert shown.count("警告 RULE-UNAPPLIED") == 1, shown
    assert "院落不跨村（农户表没有这一列）" in shown and "“require_head = false”" in shown, shown
    quiet = runner.invoke(app, ["delineate", str(hh), "--crs", "EPSG:4490", "--rules", str(rules), "-o",
                                str(tmp_path / "q.gpkg"), "-q"])
    assert quiet.exit_code == 0 and "RULE-UNAPPLIED" not in quiet.output, quiet.output
    run = pyogrio.read_dataframe(out, layer="run")
    warnings = json.loads(run.set_index("key").loc["params.warnings", "value"])
    assert [w.split("：")[0] for w in warnings if "RULE-UNAPPLIED" in w] == ["警告 RULE-UNAPPLIED"] * 2, warnings

    # check of the result says it too: on the console, and (under -q as well) in the JSON and in the CSV
    res = runner.invoke(app, ["check", str(out), "--rules", str(rules), "--lang", "en"])
    shown = " ".join(res.output.split())
    assert shown.count("Warning RULE-UNAPPLIED: Not checked:") == 1, shown
    assert "units not straddling villages" in shown and "Fix: add this column to the household file" in shown
    js, cs = tmp_path / "c.json", tmp_path / "c.csv"
    res = runner.invoke(app, ["check", str(out), "--rules", str(rules), "-q", "--json", str(js), "--csv", str(cs),
                              "--lang", "en"])
    assert res.exit_code in (0, 1), res.output
    doc = json.loads(js.read_text(encoding="utf-8"))
    assert doc["summary"]["codes"].get("RULE-UNAPPLIED") == 2, doc["summary"]
    rows = [v for v in doc["violations"] if v["code"] == "RULE-UNAPPLIED"]
    assert {v["severity"] for v in rows} == {"warning"} and any("village" in v["message_en"] for v in rows)
    assert cs.read_text(encoding="utf-8-sig").count("RULE-UNAPPLIED") >= 2

    # repair says them with its outcome
    res = runner.invoke(app, ["repair", str(hh), "--crs", "EPSG:4490", "--rules", str(rules), "--unit-col",
                              "settlement", "-o", str(tmp_path / "p.csv")])
    assert res.exit_code in (0, 1), res.output
    assert " ".join(res.output.split()).count("警告 RULE-UNAPPLIED") == 1, res.output
