"""``check --csv``'s second file and the report module's CSV writer (session 26)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from test_s26_workbooks import IDS, _households, _plan
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


def test_check_refuses_before_the_work_when_the_units_csv_beside_the_findings_exists(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--csv f.csv`` writes ``f_units.csv`` too; an existing one was found only after the check had run
    (OUT-EXISTS at the end). It is now one of the outputs checked first: the same refusal, before any step."""
    hh, plan = _households(tmp_path), _plan(tmp_path, ["U1"] * 6)
    (tmp_path / "f_units.csv").write_text("mine\n", encoding="utf-8")
    import yuanluo.gis.check as GC

    checked: list[int] = []
    real = GC.check_plan
    monkeypatch.setattr(GC, "check_plan", lambda *a, **k: checked.append(1) or real(*a, **k))
    res = runner.invoke(app, ["--lang", "en", "check", str(hh), "--crs", "EPSG:4326", "--plan", str(plan),
                              "--min", "2", "--max", "10", "--csv", str(tmp_path / "f.csv")])
    assert res.exit_code == 2, res.output
    assert "OUT-EXISTS" in res.output and "f_units.csv" in res.output
    assert checked == []  # refused before the check ran
    assert (tmp_path / "f_units.csv").read_text(encoding="utf-8") == "mine\n"
    assert not (tmp_path / "f.csv").exists()


def test_check_refuses_a_units_csv_that_is_an_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The plan named ``f_units.csv`` and ``--csv f.csv``: the units table would have replaced the plan."""
    hh = _households(tmp_path)
    plan = _plan(tmp_path, ["U1"] * 6).rename(tmp_path / "f_units.csv")
    before = plan.read_bytes()
    import yuanluo.gis.check as GC

    checked: list[int] = []
    real = GC.check_plan
    monkeypatch.setattr(GC, "check_plan", lambda *a, **k: checked.append(1) or real(*a, **k))
    res = runner.invoke(app, ["--lang", "en", "check", str(hh), "--crs", "EPSG:4326", "--plan", str(plan),
                              "--min", "2", "--max", "10", "--csv", str(tmp_path / "f.csv"), "--overwrite"])
    assert res.exit_code == 2, res.output
    assert "OUT-INPUT" in res.output and checked == []
    assert plan.read_bytes() == before


def test_the_report_modules_csv_writer_never_writes_a_cell_a_spreadsheet_would_run(tmp_path: Path) -> None:
    """``planners.report.write_csv`` (public, in the module's docstring) wrote its own CSV: raw cells, so a
    household id ``=1+1`` reached Excel as a formula, and English column codes. It now writes the check's CSV
    pair (:func:`yuanluo.planners.tables.write_check_csv`)."""
    from yuanluo.gis.check import check_plan
    from yuanluo.gis.io import read_households
    from yuanluo.gis.rules import Rules
    from yuanluo.planners.report import write_csv

    hh, _ = read_households(_households(tmp_path), crs="EPSG:4326")
    labels = pd.Series(["U1"] * len(IDS), index=hh.index)
    result = check_plan(hh, labels, Rules(min_size=2, max_size=10, require_head=False))
    result.violations.loc[len(result.violations)] = {c: None for c in result.violations.columns} | {
        "code": "X", "unit_id": "=1+1", "hids": ["=2+2"], "severity": "error"}
    a, b = write_csv(result, tmp_path / "f.csv")
    for p in (a, b):
        cells = pd.read_csv(p, dtype=str, encoding="utf-8-sig", keep_default_na=False).to_numpy().ravel()
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")], p
    assert b.name == "f_units.csv"
    assert pd.read_csv(b, dtype=str, encoding="utf-8-sig").columns[0] == "院落编号"
