"""Session 36, fixer GF: the units layer's reason says when a lock is why a unit has no head.

Since d00c012 a HEAD-SHORT of a delineation around locked units says on the console (its Problem) when the lock is
its cause. The unit's row did not: its ``reason`` (the GeoPackage's units layer, the CSV, the plan workbook, the
map's unit card, all rendered from ``code`` and ``reason_params``) gave the plain HEAD-SHORT reason, so a planner
reading the files was not told. Now the row's ``reason_params`` records the ``lock`` (the locked units in the area,
the candidates they hold, the area's count without the lock) and its reason says it in the words of the finding,
in either language; rows whose HEAD-SHORT the lock does not cause are as before.

Fixture as tests/test_s36_gb_no_head.py: 40 households in a row, band 15–25 (changshou), candidates at the 6th and
the 19th, both in the plan's U1 (the first 20), locked.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
from browser import open_in_chromium, require_browser  # tests/ is on sys.path under pytest
from typer.testing import CliRunner

from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.delineate.reasons import complete, reasons_in, render_reason
from yuanluo.gis.lock import delineate_around
from yuanluo.planners.cli import app

HAN = re.compile(r"[\u3400-\u9fff]")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
LOCK_ZH = "原因在于锁定：不锁定院落 U1（其中有院落长候选人 2 名）时，所在连通片区共 40 户，需要 2 名院落长候选人，有 2 名，足够"
LOCK_EN = ("the lock is why: without the lock on U1 (head candidates held: 2), its connected area would hold 40 "
           "households, needing 2 head candidates and having 2, enough")


def _files(tmp_path: Path, n: int) -> tuple[Path, Path]:
    """The household CSV and the plan (U1 the first 20, locked) of ``n`` households in a row, 20 m apart."""
    hh, plan = tmp_path / "hh.csv", tmp_path / "plan.csv"
    pd.DataFrame({"hid": [f"H{i:03d}" for i in range(n)], "x": [3300000.0] * n,
                  "y": [500000.0 + 20.0 * i for i in range(n)],
                  "head_candidate": ["是" if i in (5, 18) else "否" for i in range(n)]}).to_csv(hh, index=False)
    pd.DataFrame({"户编号": [f"H{i:03d}" for i in range(n)], "院落编号": ["U1" if i < 20 else "U2" for i in range(n)],
                  "锁定": ["是" if i < 20 else "" for i in range(n)]}).to_csv(plan, index=False)
    return hh, plan


def _delineate(tmp_path: Path, n: int, lang: str) -> tuple[gpd.GeoDataFrame, str]:
    hh, plan = _files(tmp_path, n)
    out = tmp_path / f"out_{n}_{lang}.gpkg"
    res = CliRunner().invoke(app, ["delineate", str(hh), "--crs", "EPSG:4545", "--preset", "changshou", "--plan",
                                   str(plan), "-o", str(out), "--lang", lang], env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    return gpd.read_file(out, layer="units").set_index("unit_id"), res.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_units_layer_says_the_lock_is_why(tmp_path: Path, lang: str) -> None:
    """``delineate --plan`` with U1 locked: U2's row in the units layer says, in the run's language, that the lock
    is why, in the words of the console's finding; its reason_params record the lock, so that a reader in the other
    language (reasons_in: the map, check of the result) says it too."""
    units, console = _delineate(tmp_path, 40, lang)
    row = units.loc["U2"]
    assert row["code"] == "HEAD-SHORT" and units.loc["U1", "status"] == "locked"
    reason = str(row["reason"])
    assert reason.endswith("；" + LOCK_ZH if lang == "zh" else "; " + LOCK_EN), reason
    if lang == "zh":
        assert not re.search(r"[A-Za-z]{3,}", reason.replace("HEAD-SHORT", ""))
    else:
        assert HAN.search(reason) is None
    # the words of the finding on the console (rich wraps it: compared without the spaces and frames)
    flat = re.sub(r"[│┃\s]+", "", console)
    assert re.sub(r"\s+", "", LOCK_ZH if lang == "zh" else LOCK_EN) in flat
    params = json.loads(row["reason_params"])
    assert params["lock"] == {"units": ["U1"], "held": 2, "total": 40, "needed": 2, "candidates": 2}
    other = "en" if lang == "zh" else "zh"
    again = reasons_in(units.reset_index(), other)[list(units.index).index("U2")]
    assert again.endswith(LOCK_EN if other == "en" else LOCK_ZH), again
    assert reasons_in(units.reset_index(), lang)[list(units.index).index("U2")] == reason


def test_the_row_and_the_finding_say_the_same_words() -> None:
    """From Python (delineate_around): the unit's row and its HEAD-SHORT give the same reason, in both
    languages, and the model's exceptions table as its units table."""
    from test_s36_gb_no_head import _locked_case  # the fixture of the finding's own test

    hh, g, plan = _locked_case(40)
    res = delineate_around(hh, g, plan, ["U1"], lambda: UnitDelineator(15, 25, random_state=0))
    (q,) = [p for p in res.model.problems_ if p.code == "HEAD-SHORT"]
    units = res.model.units_.set_index("unit_id")
    row = units.loc[q.params["unit"]]
    for lang in ("zh", "en"):
        assert render_reason("HEAD-SHORT", row["reason_params"], lang).endswith(q.params["why"][lang])
        assert q.params["why"][lang].endswith(LOCK_ZH if lang == "zh" else LOCK_EN)
    exc = res.model.exceptions_.set_index("unit_id")
    assert exc.loc[q.params["unit"], "reason_params"] == row["reason_params"]
    assert exc.loc[q.params["unit"], "reason"] == row["reason"]


def test_a_head_short_the_lock_does_not_cause_keeps_its_row(tmp_path: Path) -> None:
    """Sixty households: short with or without the lock. The rows are those of a plain delineation: no lock in
    their parameters or reasons, the reason rendered from them as before."""
    units, _ = _delineate(tmp_path, 60, "en")
    short = units[units["code"] == "HEAD-SHORT"]
    assert len(short)
    for u, row in short.iterrows():
        params = json.loads(row["reason_params"])
        assert "lock" not in params, u
        assert "lock" not in str(row["reason"]) and row["reason"] == render_reason("HEAD-SHORT", params, "en")


def test_a_lock_record_missing_a_value_falls_back_to_the_files_reason() -> None:
    """A hand-edited cell whose lock lacks a value is not rendered (it would show a bare field): the file's own
    reason is kept."""
    params: dict[str, Any] = {"size": 20, "what": "households", "heads": 0, "need": 1, "total": 20, "needed": 1,
                              "candidates": 0, "shortfall": 1, "why": "head_short", "lo": 15, "hi": 25,
                              "lock": {"units": ["U1"], "held": 2, "total": 40, "needed": 2, "candidates": 2}}
    assert complete(params, "zh") and complete(params, "en")
    edited = {**params, "lock": {k: v for k, v in params["lock"].items() if k != "held"}}
    assert not complete(edited, "en")
    t = pd.DataFrame({"code": ["HEAD-SHORT"], "reason": ["own"], "reason_params": [json.dumps(edited)]})
    assert reasons_in(t, "en").tolist() == ["own"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_maps_unit_card_says_the_lock_is_why(tmp_path: Path, lang: str) -> None:
    """The offline map of the result (390 × 844): U2's card gives the reason with the lock as its cause."""
    require_browser()
    _delineate(tmp_path, 40, "zh")  # written in Chinese, read in either language
    path = tmp_path / "m.html"
    res = CliRunner().invoke(app, ["map", str(tmp_path / "out_40_zh.gpkg"), "-o", str(path), "--lang", lang],
                             env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    show = ("(() => { const s = window.yuanluo.showUnit('U2', true); "
            "return [...s.querySelectorAll('tr')].map(r => r.innerText); })()")
    rep = open_in_chromium(path, viewport=(390, 844), wait_for="window.yuanluo", settle_ms=300,
                           screenshot=ARTIFACTS / f"s36_gf_lock_card_{lang}.png", evaluate={"card": show})
    assert not rep.console_errors and not rep.csp_violations and not rep.external_requests
    flat = " ".join(str(r) for r in rep.counts["card"])
    assert (LOCK_ZH if lang == "zh" else LOCK_EN) in re.sub(r"\s+", " ", flat), flat
