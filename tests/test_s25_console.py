"""Console output and texts (audit s25, J and N): what a planner reads on the console and in the files."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from test_repair import CRS, valid
from typer.testing import CliRunner

from yuanluo.planners.cli.app import app


def _grid_csv(tmp_path, nx: int = 12, ny: int = 5):
    """The repair tests' grid written as a lon/lat household CSV: path, plan labels."""
    hh, _, lab, _, _ = valid(nx, ny)
    geo = gpd.GeoSeries(hh.geometry, crs=CRS).to_crs(4326)
    src = tmp_path / "hh.csv"
    pd.DataFrame({"户编号": hh.index, "经度": geo.x.round(7).to_numpy(), "纬度": geo.y.round(7).to_numpy()}).to_csv(
        src, index=False)
    return src, lab


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_repair_keeps_the_plans_lock_column(tmp_path, suffix):
    """N1: the plan's 锁定 marks go on into the repaired plan (csv and xlsx), so reading it back keeps them locked."""
    from yuanluo.gis.lock import read_locks

    src, lab = _grid_csv(tmp_path)
    bad = lab.copy()
    bad["h0702"] = "U2"  # U1 19, U2 21: mended between U1 and U2; U0 locked
    plan = tmp_path / "plan.csv"
    pd.DataFrame({"户编号": bad.index, "院落编号": bad.to_numpy(),
                  "锁定": np.where(bad.to_numpy() == "U0", "是", "")}).to_csv(plan, index=False, encoding="utf-8-sig")
    out = tmp_path / f"fixed{suffix}"
    res = CliRunner().invoke(app, ["repair", str(src), "--crs", "EPSG:4326", "--plan", str(plan), "--min", "20",
                                   "--max", "20", "--max-edge-walk", "1", "-o", str(out)])
    assert res.exit_code == 0, res.output
    fixed = pd.read_excel(out, dtype=str) if suffix == ".xlsx" else pd.read_csv(out, dtype=str)
    assert list(fixed.columns) == ["户编号", "院落编号", "锁定"]
    assert set(fixed.loc[fixed["院落编号"] == "U0", "锁定"]) == {"是"}
    assert fixed.loc[fixed["院落编号"] != "U0", "锁定"].isna().all()
    assert read_locks(out) == ["U0"]


@pytest.mark.parametrize(("lang", "unit"), [("zh", "20–40 人"), ("en", "20–40 persons")])
def test_a_persons_band_is_titled_in_persons(monkeypatch, lang, unit):
    """J1: with size_by = "persons" the delineate summary's title gives the band in persons, not households."""
    from yuanluo.gis.rules import Rules
    from yuanluo.planners import console as C
    from yuanluo.planners.cli.delineate import print_summary

    C.setup(lang)
    shown: list[str] = []
    monkeypatch.setattr(C, "print_table", lambda title, rows: shown.append(title))
    print_summary({"households": 800, "units": 40}, Rules(20, 40, size_by="persons"))
    print_summary({"households": 800, "units": 40}, Rules(20, 40))
    assert unit in shown[0] and ("户" if lang == "zh" else "households") not in shown[0]
    assert ("20–40 户" if lang == "zh" else "20–40 households") in shown[1]
