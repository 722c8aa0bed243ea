"""Session 61, helper C (round 2): candidate heads whose walks differ by float noise alone are a tie, by hid.

A unit's suggested head (建议院落长) is its candidate nearest the meeting point (or centre) by walking time, ties by
household id. Households given in degrees are projected before walking, and the projection's scale changes across a
village: two candidates one 40 m step either side of the centre, on one latitude, walked 0.46188264888750835 and
0.46188258685988776 minutes, and H03 came before H01 in ``yuanluo check``'s units table and in a delineation's. Walks
within 1e-6 minutes (relative above a minute) are now one walk (``gis.delineate.heads.tied_walks``), so the order is
by hid, in the check and the delineation alike; a real difference still orders them.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from typer.testing import CliRunner

from yuanluo.gis.delineate.heads import suggested_heads, tied_walks
from yuanluo.planners.cli import app

#: twelve households 0.0004 degrees (about 39 m) apart on one latitude; candidates H01, H03 (plan A) and H09 (B)
LINE = "户编号,经度,纬度,村民小组,能手,方案\n" + "".join(
    f"H{i:02d},{106.55 + 0.0004 * i:.6f},29.560000,一组,{'是' if i in (1, 3, 9) else '否'},{'A' if i < 6 else 'B'}\n"
    for i in range(12))


def test_noise_is_a_tie_by_hid() -> None:
    frame = pd.DataFrame({"head_candidate": [False, True, False, True]}, index=["H00", "H01", "H02", "H03"])
    ids = frame.index.to_numpy(dtype=object)
    dm = np.array([0.9, 0.46188264888750835, 0.0, 0.46188258685988776])  # the walks of the line below
    assert suggested_heads(frame, ids, np.arange(4), dm) == ("H01", '["H01", "H03"]')
    dm[1] += 1e-4  # a real difference (0.006 s) still orders them by walk
    assert suggested_heads(frame, ids, np.arange(4), dm) == ("H03", '["H03", "H01"]')


def test_tied_walks_relative_and_unreached() -> None:
    w = tied_walks(np.array([20.000005, 20.0, np.inf, 19.99999, 20.1]))  # within 2e-5 of 19.99999
    assert w.tolist() == [19.99999, 19.99999, np.inf, 19.99999, 20.1]
    assert tied_walks(np.array([0.5, 0.5000011])).tolist() == [0.5, 0.5000011]  # 1.1e-6 minutes apart: two walks
    assert tied_walks(np.array([])).tolist() == []


def test_check_and_delineation_order_by_hid(tmp_path: Path) -> None:
    (tmp_path / "hh.csv").write_text(LINE, encoding="utf-8")
    common = ["--crs", "EPSG:4490", "--head-col", "能手", "--min", "3", "--max", "8"]
    res = CliRunner().invoke(app, ["check", str(tmp_path / "hh.csv"), "--unit-col", "方案", *common,
                                   "--csv", str(tmp_path / "c.csv"), "--lang", "en"])
    assert res.exit_code == 0, res.output
    units = pd.read_csv(tmp_path / "c_units.csv", encoding="utf-8-sig", dtype=str)
    a = units.iloc[0]
    assert a.iloc[0] == "A" and a["Suggested head (household)"] == "H01", units.to_dict("records")
    assert a.iloc[-1] == "H01;H03"
    res = CliRunner().invoke(app, ["delineate", str(tmp_path / "hh.csv"), *common, "-o", str(tmp_path / "d.gpkg"),
                                   "--lang", "en"])
    assert res.exit_code == 0, res.output
    u = gpd.read_file(tmp_path / "d.gpkg", layer="units")
    row = u[u["head_candidates"].map(lambda s: "H01" in json.loads(s))].iloc[0]
    assert (row["head_hid"], json.loads(row["head_candidates"])) == ("H01", ["H01", "H03"])
