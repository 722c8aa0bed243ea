"""Household ids that begin with ``'`` and then ``=``, ``+``, ``-`` or ``@`` survive Yuanluo's own files (audit s29
O §1, task G20). The plan readers took a leading ``'`` off such a cell of every plan, meeting-point and workbook
cell (the un-guard of the CSV formula guard), while the household file's ids were read as they are, and the guard
did not prefix a cell already starting with ``'``: a delineation failed its own ``check`` (PLAN-MEETING: the
meeting_points layer's ``'=H004`` read as ``=H004``), and its ``--xlsx`` plan, ``repair -o`` and the editor's export
read back with PLAN-UNKNOWN-ID. Now the guard prefixes ``'`` also before ``'`` + a formula lead (``''=H000``, read
back ``'=H000``), and only a CSV's cells are un-guarded, not a GeoPackage's or a workbook's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo.gis.output import neutralise_formulas
from yuanluo.gis.plan import read_plan_table
from yuanluo.planners.cli import app

LEADS = ("'=", "'+", "'-", "'@", "''=", "'")


def _ids(n: int) -> list[str]:
    return [f"{LEADS[i % len(LEADS)]}H{i:03d}" for i in range(n)]


@pytest.fixture(scope="module")
def delineated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A 160-household village whose ids begin with ``'=``, ``'+``, ``'-``, ``'@``, ``''=`` or ``'``, delineated
    with ``--xlsx``."""
    from yuanluo.gis.synth import make_village

    tmp = tmp_path_factory.mktemp("apos")
    h = make_village(160, seed=3).households.copy()
    h.index = pd.Index(_ids(len(h)), name="hid")
    h["x"], h["y"] = h.geometry.x.round(2), h.geometry.y.round(2)
    src = tmp / "apos.csv"
    pd.DataFrame(h.drop(columns="geometry")).reset_index().to_csv(src, index=False, encoding="utf-8")
    out = {"src": src, "gpkg": tmp / "apos.gpkg", "xlsx": tmp / "apos.xlsx", "tmp": tmp}
    res = CliRunner().invoke(app, ["delineate", str(src), "--crs", "EPSG:4545", "--x-col", "x", "--y-col", "y",
                                   "--preset", "banan", "-o", str(out["gpkg"]), "--xlsx", str(out["xlsx"])])
    assert res.exit_code == 0, res.output
    return out


def _check(d: dict[str, Path], *extra: str) -> list[dict[str, Any]]:
    """The errors ``check`` of the delineation finds (with ``extra``, e.g. ``--plan``)."""
    js = d["tmp"] / f"check{len(list(d['tmp'].glob('check*.json')))}.json"
    res = CliRunner().invoke(app, ["check", str(d["gpkg"]), "--preset", "banan", *extra, "--json", str(js)])
    assert res.exit_code in (0, 1), res.output
    got = [v for v in json.loads(js.read_text(encoding="utf-8"))["violations"] if v["severity"] == "error"]
    assert (res.exit_code == 0) == (got == []), res.output
    return got


def test_guard_and_unguard_are_exact_inverses() -> None:
    from yuanluo.gis.plan import unguard

    cells = ["=H0", "'=H0", "''=H0", "'''+1", "'H0", "H'=0", "-", "'", "''", "@x", "'\t=1", "x"]
    guarded = neutralise_formulas(pd.DataFrame({"hid": cells}))["hid"].tolist()
    assert guarded[:5] == ["'=H0", "''=H0", "'''=H0", "''''+1", "'H0"]
    assert [unguard(g) for g in guarded] == cells


def test_delineation_passes_its_own_check(delineated: dict[str, Path]) -> None:
    """The meeting_points layer holds ``'=H…``; check read it as ``=H…`` (PLAN-MEETING)."""
    import geopandas as gpd

    meet = gpd.read_file(delineated["gpkg"], layer="meeting_points")
    assert meet["hid"].astype(str).str.match(r"'+[=+\-@]").any()
    assert _check(delineated) == []


def test_xlsx_plan_reads_back(delineated: dict[str, Path]) -> None:
    """``repair --plan`` of the delineation's own ``--xlsx`` plan (PLAN-UNKNOWN-ID for every ``'=`` id)."""
    d, tmp = delineated, delineated["tmp"]
    fixed = tmp / "fixed_x.csv"
    res = CliRunner().invoke(app, ["repair", str(d["src"]), "--crs", "EPSG:4545", "--x-col", "x", "--y-col", "y",
                                   "--preset", "banan", "--plan", str(d["xlsx"]), "-o", str(fixed),
                                   "--moves", str(tmp / "moves_x.csv")])
    assert res.exit_code == 0, res.output
    assert _check(d, "--plan", str(fixed)) == []


def test_repair_csv_reads_back(delineated: dict[str, Path]) -> None:
    """``repair -o`` wrote ``'=H000`` unguarded (it starts with ``'``), read back as ``=H000``: PLAN-UNKNOWN-ID."""
    d, tmp = delineated, delineated["tmp"]
    fixed = tmp / "fixed.csv"
    res = CliRunner().invoke(app, ["repair", str(d["gpkg"]), "--preset", "banan", "-o", str(fixed),
                                   "--moves", str(tmp / "moves.csv")])
    assert res.exit_code == 0, res.output
    body = fixed.read_text(encoding="utf-8-sig").splitlines()
    assert body[1].startswith("''=H000,"), body[:3]
    assert _check(d, "--plan", str(fixed)) == []


def test_excel_saved_csv_of_the_xlsx_plan(delineated: dict[str, Path]) -> None:
    """A CSV Excel saved from the xlsx plan has the ids as the workbook shows them (``'=H000``, no guard): they are
    household ids only as they are, and are read so."""
    d, tmp = delineated, delineated["tmp"]
    from yuanluo.gis.io import read_table

    plan = read_table(d["xlsx"])
    saved = tmp / "excel_saved.csv"
    plan.to_csv(saved, index=False, encoding="utf-8-sig")
    hh = pd.DataFrame(index=pd.Index(_ids(160), name="hid"))
    labels, probs = read_plan_table(saved, hh)
    assert [p.code for p in probs if p.severity == "error"] == [], probs
    assert labels.notna().all()


def test_editor_export_and_load_read_back(delineated: dict[str, Path]) -> None:
    """The editor's export guards ``'=H000`` as ``''=H000``; check --plan and the page's 载入方案 read it back;
    a workbook's ``'=H000`` and ``''=H004`` are read as they are."""
    from browser import browser_unavailable_reason, open_in_chromium

    if browser_unavailable_reason() is not None:
        pytest.skip(str(browser_unavailable_reason()))
    d, tmp = delineated, delineated["tmp"]
    page = tmp / "edit.html"
    res = CliRunner().invoke(app, ["edit", str(d["gpkg"]), "--preset", "banan", "-o", str(page)])
    assert res.exit_code == 0, res.output
    js = r"""
(() => {
  var E = window.yuanluo.editor, csv = E.exportCsv(), u = E.unitOf("'=H000");
  return {csv: csv, u: u, loaded: E.loadCsv(csv, false),
          sheet: E.loadRows([['户编号', '院落编号'], ["'=H000", u], ["''=H004", E.unitOf("''=H004")]],
                            false, 'x.xlsx', false)};
})()
"""
    rep = open_in_chromium(page, wait_for="window.yuanluo && window.yuanluo.editor", evaluate={"x": js},
                           settle_ms=50)
    assert rep.console_errors == [], rep.console_errors
    x = rep.counts["x"]
    assert "\n''=H000," in x["csv"] and "\n'''=H004," in x["csv"], x["csv"][:200]
    assert x["loaded"]["ok"] and x["loaded"]["unknown"] == 0, x["loaded"]
    assert x["sheet"]["ok"] and x["sheet"]["unknown"] == 0, x["sheet"]
    exported = tmp / "export.csv"
    exported.write_bytes(("\ufeff" + x["csv"]).encode("utf-8"))
    assert _check(d, "--plan", str(exported)) == []
