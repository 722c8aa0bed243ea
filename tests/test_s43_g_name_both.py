"""Session 43, helper G: one name given to an existing point and to a candidate elsewhere is said.

POINTS-NAME-DUP says points of one name within one file. An existing 村委会 in ``--fixed`` and a candidate site
also called 村委会 elsewhere in ``--candidates`` passed in silence: the audit's town gave three hubs named
V006村委会 (one existing point, two group hubs) that the hubs table, the map and the report cannot tell apart. Now
COVER-NAME-BOTH names them; the same hall listed in both files at one place is one point, and is not said.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
from shared_fixtures import run_cli

from yuanluo.gis.output import write_layers
from yuanluo.gis.synth import make_village


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory):
    d = tmp_path_factory.mktemp("name_both")
    v = make_village(300, seed=2)
    hh = v.households
    write_layers(d / "result.gpkg", {"households": hh.reset_index(), "rivers": v.rivers, "roads": v.roads})
    at = hh.geometry
    gpd.GeoDataFrame({"名称": ["村委会"]}, geometry=[at.iloc[0]], crs=hh.crs).to_file(d / "fixed.gpkg")
    gpd.GeoDataFrame({"名称": ["村委会", "院坝"]}, geometry=[at.iloc[200], at.iloc[100]],
                     crs=hh.crs).to_file(d / "elsewhere.gpkg")
    gpd.GeoDataFrame({"名称": ["村委会", "院坝"]}, geometry=[at.iloc[0], at.iloc[100]],
                     crs=hh.crs).to_file(d / "same.gpkg")
    return d


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_name_on_two_places_is_said(village, tmp_path, lang):
    said = run_cli(["cover", str(village / "result.gpkg"), "--fixed", str(village / "fixed.gpkg"), "--candidates",
                    str(village / "elsewhere.gpkg"), "--hubs", "2", "-o", str(tmp_path / "c.gpkg")], lang=lang)
    words = {"zh": "--fixed 和 --candidates 中有 1 个名称各给了不在一处的点（村委会）。服务点表、地图和报告只写点的"
                   "名称，同名的点分不清哪个是哪个。",
             "en": "1 name given both to a point in --fixed and to a candidate elsewhere in --candidates (村委会). "
                   "The table of service points, the maps and the report give a point's name only, so they cannot "
                   "be told apart."}[lang]
    assert "COVER-NAME-BOTH" in said and words in said


def test_the_same_hall_in_both_files_is_not_said(village, tmp_path):
    said = run_cli(["cover", str(village / "result.gpkg"), "--fixed", str(village / "fixed.gpkg"), "--candidates",
                    str(village / "same.gpkg"), "--hubs", "2", "-o", str(tmp_path / "c.gpkg")])
    assert "COVER-NAME-BOTH" not in said
