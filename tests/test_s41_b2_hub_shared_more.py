"""COVER-HUB-SHARED named the first eight groups only and did not say there were more (session 41, helper B's
leftover): on a village of twelve groups whose halls all stand in its first, 'yuanluo cover … --hubs group:1' said
11 个村民小组…共用或借用：V001-G02、…、V001-G09。, eight names, as if that were all. It now says how many in all after
them: …、V001-G09 等，共 11 个。 / '…, V001-G09 and more, 11 in all.'"""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from shared_fixtures import run_cli

from yuanluo.gis.catalogue import text
from yuanluo.gis.output import write_layers
from yuanluo.gis.synth import make_village


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("v")
    hh = make_village(240, seed=2).households.copy()
    band = np.argsort(np.argsort(hh.geometry.x.to_numpy())) * 12 // len(hh)  # twelve groups west to east
    hh["group"] = [f"V001-G{k + 1:02d}" for k in band]
    write_layers(d / "result.gpkg", {"households": hh.reset_index()})
    first = hh[hh["group"] == "V001-G01"]
    gpd.GeoDataFrame({"名称": ["甲", "乙"]}, crs=hh.crs,
                     geometry=list(first.geometry.iloc[[0, 5]].buffer(5).centroid)).to_file(d / "h.gpkg")
    return d


@pytest.mark.parametrize(("lang", "tail"), [("zh", "V001-G09 等，共 11 个。"), ("en", "V001-G09 and more, 11 in all.")])
def test_the_shared_hubs_note_says_how_many_past_the_eighth(village: Path, tmp_path: Path, lang: str,
                                                          tail: str) -> None:
    said = run_cli(["--lang", lang, "cover", str(village / "result.gpkg"), "--candidates", str(village / "h.gpkg"),
                    "--hubs", "group:1", "-o", str(tmp_path / "c.gpkg"), "--report", str(tmp_path / "r.html")], lang)
    flat = " ".join(said.split())
    assert "COVER-HUB-SHARED" in flat
    assert tail in flat, flat
    assert "V001-G10" not in flat  # the first eight only, by name
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert tail.split(" ", 1)[1].rstrip("。.") in page  # the report says it too
    assert text("problem.more", lang, count=11).strip() in page
