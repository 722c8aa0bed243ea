"""One walking figure per household and unit, wherever a result shows it.

Walking uphill and downhill take different times over a DEM. The units table took its mean and farthest walk
(and the suggested head) from the search's own minutes, run from the meeting point out, while the households
layer, the walking-limit exceptions and ``check`` measure household → meeting point: an ``ok`` unit showed 3.07
minutes under a 3-minute limit, a WALK-LIMIT unit's reason said 3.4 minutes where its row said 2.90, and the
suggested head was not always the candidate walking least.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pyogrio
import pytest
from typer.testing import CliRunner

from yuanluo.gis.synth import make_village
from yuanluo.planners.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def uphill(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A hilly village delineated under a 3-minute walking limit from the folder above it (relative paths), the
    result written into another folder."""
    top = tmp_path_factory.mktemp("uphill")
    make_village(800, seed=7).write(top / "village")
    (top / "rules.toml").write_text('[rules]\npreset = "changshou"\nheads_for_size = 20\nmax_walk_min = 3\n', encoding="utf-8")
    (top / "out").mkdir()
    here = Path.cwd()
    os.chdir(top)
    try:
        res = runner.invoke(app, ["delineate", "village/households.gpkg", "--dem", "village/dem.tif",
                                  "--rivers", "village/context.gpkg::rivers", "--roads", "village/context.gpkg::roads",
                                  "--rules", "rules.toml", "-o", "out/result.gpkg", "-q"])
    finally:
        os.chdir(here)
    assert res.exit_code == 0, res.output
    return top


def test_the_units_table_walks_as_the_households_layer_and_the_limit_do(uphill: Path) -> None:
    r = uphill / "out" / "result.gpkg"
    units = pyogrio.read_dataframe(r, layer="units", read_geometry=False).set_index("unit_id")
    hh = pyogrio.read_dataframe(r, layer="households", read_geometry=False)
    walked = hh.groupby("unit_id")["meeting_walk_min"]
    far, mean = walked.max(), walked.mean()
    assert np.allclose(units["max_walk_min"], far.reindex(units.index), atol=0.006)
    assert np.allclose(units["mean_walk_min"], mean.reindex(units.index), atol=0.006)
    ok = units[units["status"] == "ok"]
    assert (ok["max_walk_min"] <= 3 + 1e-6).all(), ok["max_walk_min"].max()
    # a WALK-LIMIT unit's reason names its farthest walk as its row does
    limited = units[units["code"] == "WALK-LIMIT"]
    for u, row in limited.iterrows():
        assert json.loads(row["reason_params"])["worst"] == f"{row['max_walk_min']:.1f}", u
    # the suggested head is the candidate walking least to the meeting point (ties by hid)
    cand = hh[hh["head_candidate"].astype(bool)]
    for u, group in cand.groupby("unit_id"):
        best = group.sort_values(["meeting_walk_min", "hid"]).iloc[0]
        assert units.loc[u, "head_hid"] == best["hid"], (u, units.loc[u, "head_hid"], best["hid"])


def test_a_result_read_from_another_folder_walks_over_its_dem(uphill: Path) -> None:
    """The result recorded its DEM as ``village/dem.tif`` (relative to the folder delineate ran in): checked from
    another folder, it fell back to flat ground with a RESULT-DEM notice. It also records the DEM's path from
    its own folder now, and finds it there."""
    here = Path.cwd()
    os.chdir(uphill / "out")
    try:
        res = runner.invoke(app, ["--lang", "en", "check", "result.gpkg", "--rules", "../rules.toml"])
    finally:
        os.chdir(here)
    assert res.exit_code in (0, 1), res.output
    flat = " ".join(res.output.split())
    assert "RESULT-DEM-OWN" in flat and "RESULT-DEM:" not in flat, res.output


def test_an_exception_unit_beyond_the_limit_says_so() -> None:
    """A unit made an exception for another reason (HEAD-UNPLACED in the audit's village, a household 12.8
    minutes away under a 12-minute limit) said only that reason, and check then excused the walk under it. Its
    reason now says the walk too, in both languages. Here: an isolated row of 9 households (below the floor of 15,
    RULE-INFEASIBLE), 60 m apart, its ends 4 × 0.9 minutes from the middle, under a 3-minute limit."""
    import geopandas as gpd
    import pandas as pd

    from yuanluo.gis.cluster import UnitDelineator
    from yuanluo.gis.delineate.reasons import render_reason
    from yuanluo.gis.graph import TerrainGraph
    from yuanluo.gis.rules import Rules

    ids = [f"H{i}" for i in range(9)]
    xy = [[60.0 * i, 0.0] for i in range(9)]
    hh = gpd.GeoDataFrame(index=pd.Index(ids, name="hid"), geometry=gpd.points_from_xy(*zip(*xy, strict=True)),
                          crs="EPSG:4545")
    g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(8)], crs="EPSG:4545")
    d = UnitDelineator.from_rules(Rules(15, 25, max_walk_min=3.0), random_state=0).fit(hh, g)
    (row,) = d.units_.to_dict("records")
    params = json.loads(row["reason_params"])
    assert row["code"] == "RULE-INFEASIBLE" and params["walk_beyond"] == 2 and params["walk_worst"] == "3.6", row
    zh, en = (render_reason(row["code"], params, lang) for lang in ("zh", "en"))
    assert "另外，2 户到议事点 H4 的步行时间超过 3 分钟（最远 3.6 分钟）" in zh, zh
    assert "also, 2 households walk more than 3 min to the meeting point H4 (farthest 3.6 min)" in en, en
    assert row["reason"] == zh
