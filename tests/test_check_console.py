"""``yuanluo check`` on the console at scale: errors before warnings, many warnings counted by code, the verdict
repeated at the end (an old Windows console keeps its last 300 lines); and ``yuanluo map --per-unit`` telling
its sheets as it draws them."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app
from yuanluo.planners.cli import check as check_cli

runner = CliRunner()
ROW = re.compile(r"^│ ([A-Z][A-Z0-9-]+) +│ (\S*) +│ (\S+) +│")
SEVERITY = {"zh": {"错误": "error", "警告": "warning"}, "en": {"error": "error", "warning": "warning"}}


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A delineated synthetic village (its warnings: exception units) and a plan of it with planted errors."""
    import geopandas as gpd

    from yuanluo.gis.synth import make_village

    d = tmp_path_factory.mktemp("village")
    paths = make_village(600, seed=1).write(d / "v")
    result = d / "result.gpkg"
    res = runner.invoke(app, ["delineate", str(paths["households"]), "--dem", str(paths["dem"]), "--preset", "banan",
                              "-o", str(result), "-q"])
    assert res.exit_code == 0, res.output
    hh = gpd.read_file(result, layer="households").sort_values("hid").reset_index(drop=True)
    units = sorted(hh["unit_id"].unique())
    for i in np.random.default_rng(0).choice(len(hh), 30, replace=False):  # 30 households moved far away
        hh.loc[i, "unit_id"] = units[(units.index(hh.loc[i, "unit_id"]) + 7) % len(units)]
    plan = d / "plan.csv"
    pd.DataFrame(hh[["hid", "unit_id"]]).to_csv(plan, index=False)
    return {"result": result, "plan": plan}


def _findings(out: str, lang: str) -> list[tuple[str, str, str]]:
    """(code, unit, severity) of each row of the findings tables, in the order printed."""
    rows = []
    for line in out.splitlines():
        m = ROW.match(line)
        if m and m.group(3) in SEVERITY[lang]:
            rows.append((m.group(1), m.group(2), SEVERITY[lang][m.group(3)]))
    return rows


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_errors_come_first_and_the_verdict_closes_the_console(village: dict[str, Path], lang: str) -> None:
    res = runner.invoke(app, ["check", str(village["result"]), "--preset", "banan", "--plan", str(village["plan"]),
                              "--unit-col", "unit_id", "--lang", lang])
    assert res.exit_code == 1, res.output
    rows = _findings(res.stdout, lang)
    assert rows and rows[0][2] == "error"
    levels = [r[2] for r in rows]
    assert levels == sorted(levels)  # every error listed before any warning
    errors = [(u, c) for c, u, s in rows if s == "error"]
    assert errors == sorted(errors)  # by unit, then code
    lines = [ln for ln in res.stdout.splitlines() if ln.strip()]
    verdict = next(ln for ln in lines if ln.startswith(("方案检查", "Plan check")))
    assert lines[-1] == verdict and lines.count(verdict) == 2  # the verdict again, last
    if lang == "zh":
        assert not re.search(r"\b(the|and|of|with)\b", res.stdout)


def test_many_findings_list_the_first_errors_and_count_the_warnings(village: dict[str, Path],
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check_cli, "MAX_ROWS", 4, raising=False)
    res = runner.invoke(app, ["check", str(village["result"]), "--preset", "banan", "--plan", str(village["plan"]),
                              "--unit-col", "unit_id", "--lang", "en"])
    assert res.exit_code == 1, res.output
    rows = _findings(res.stdout, "en")
    assert len(rows) == 4 and all(r[2] == "error" for r in rows)  # the first errors only
    assert re.search(r"… and \d+ more violations not listed here\.", res.stdout)
    assert "--report" in res.stdout and "--csv" in res.stdout and "--json" in res.stdout


def test_a_pass_with_many_warnings_counts_them_by_code(village: dict[str, Path], tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check_cli, "MAX_ROWS", 3, raising=False)
    import json

    js = tmp_path / "all.json"
    res = runner.invoke(app, ["check", str(village["result"]), "--preset", "banan", "--json", str(js)])
    assert res.exit_code == 0, res.output
    listed = pd.DataFrame(json.loads(js.read_text(encoding="utf-8"))["violations"])
    warnings = listed[listed["severity"] == "warning"]
    codes = sorted(set(warnings["code"]))
    assert len(warnings) > 3  # more than the console lists one by one; the JSON keeps every one
    assert _findings(res.stdout, "zh") == []  # no row per warning
    table = [ln for ln in res.stdout.splitlines() if re.match(r"^│ [A-Z][A-Z0-9-]+ +│ +\d+ │", ln)]
    assert [ln.split("│")[1].strip() for ln in table] == codes  # one row a code, with its count
    assert sum(int(ln.split("│")[2]) for ln in table) == len(warnings)
    assert f"全部违规和提示见：{js}" in res.stdout
    assert res.stdout.splitlines()[-1].startswith("方案检查：通过")


def test_quiet_lists_errors_only(village: dict[str, Path]) -> None:
    res = runner.invoke(app, ["check", str(village["result"]), "--preset", "banan", "--plan", str(village["plan"]),
                              "--unit-col", "unit_id", "-q"])
    assert res.exit_code == 1
    assert {r[2] for r in _findings(res.stdout, "zh")} == {"error"}
    assert "提示（按代码计数" not in res.stdout


def test_unit_sheets_tell_their_progress(village: dict[str, Path], tmp_path: Path) -> None:
    from yuanluo.maps.static_units import render_unit_sheets
    from yuanluo.planners import workflows as W

    layers, _ = W.read_result(village["result"])
    layers = W.map_layers(layers)
    heard: list[tuple[int, int]] = []
    ids = sorted(set(layers["households"]["unit_id"].dropna().astype(str)))[:3]
    pdf = render_unit_sheets(layers, units=ids, progress=lambda n, total: heard.append((n, total)))
    assert pdf.startswith(b"%PDF")
    assert heard == [(1, 3), (2, 3), (3, 3)]


def test_map_per_unit_shows_sheet_counts_unless_quiet(village: dict[str, Path], tmp_path: Path) -> None:
    n_units = len(pd.Series(__import__("geopandas").read_file(village["result"], layer="households")["unit_id"])
                  .dropna().unique())
    res = runner.invoke(app, ["map", str(village["result"]), "--per-unit", str(tmp_path / "a.pdf"), "-v",
                              "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert f"Drawing the maps: unit sheet {n_units} of {n_units}…" in res.stderr
    assert "unit sheet 1 of" in res.stderr
    res = runner.invoke(app, ["map", str(village["result"]), "--per-unit", str(tmp_path / "b.pdf"), "-q", "-v"])
    assert res.exit_code == 0 and res.stderr == ""
