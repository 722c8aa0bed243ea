"""COVER-HUB-SHARED's "and more" after Chinese names (session 53): …、九组 等，共 11 个 had a space between two Chinese
characters, as 第 3、5 行 等 had (59e7141); gis.errors.more_after says it without: …、九组等，共 11 个。"""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
from shared_fixtures import run_cli

from yuanluo.gis.output import write_layers
from yuanluo.gis.synth import make_village

NAMES = ["一组", "二组", "三组", "四组", "五组", "六组", "七组", "八组", "九组", "十组", "十一组", "十二组"]


def test_no_space_before_more_after_a_chinese_name(tmp_path: Path) -> None:
    hh = make_village(240, seed=2).households.copy()
    band = np.argsort(np.argsort(hh.geometry.x.to_numpy())) * 12 // len(hh)  # twelve groups west to east
    hh["group"] = [NAMES[k] for k in band]
    write_layers(tmp_path / "result.gpkg", {"households": hh.reset_index()})
    first = hh[hh["group"] == NAMES[0]]
    gpd.GeoDataFrame({"名称": ["甲", "乙"]}, crs=hh.crs,
                     geometry=list(first.geometry.iloc[[0, 5]].buffer(5).centroid)).to_file(tmp_path / "h.gpkg")
    said = run_cli(["cover", str(tmp_path / "result.gpkg"), "--candidates", str(tmp_path / "h.gpkg"),
                    "--hubs", "group:1", "-o", str(tmp_path / "c.gpkg")], "zh")
    flat = " ".join(said.split())
    assert "COVER-HUB-SHARED" in flat
    assert "组等，共 11 个。" in flat and "组 等" not in flat, flat
