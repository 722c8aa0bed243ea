"""Session 39, task H3: the cover report's notes speak to a town official.

``yuanluo cover … --report`` on the 10,000-household synthetic town began a note with the raw code
("COVER-HUB-SHARED：……"), told the official "用 --fixed 给出这个点" (a command-line option) as if it were theirs to
do, and on a 390 px phone said its fix lines, overview line and privacy line at 11.9 px. A note now leads with its
words, the code after ("……（COVER-HUB-SHARED）"), its fix is marked for the district planner, and on a phone the
small print is 13 px.
"""

from __future__ import annotations

import re

import geopandas as gpd
import pytest
from shared_fixtures import run_cli

from yuanluo.gis.output import write_layers
from yuanluo.gis.synth import make_village

# the code kept whole on a line with its closing bracket (session 41)
WORDS = {"zh": ("处理办法（请转给区里的规划人员）：", '（<span class="id">COVER-HUB-SHARED）</span></p>'),
         "en": ("What to do (pass this on to the district planner): ", ' (<span class="id">COVER-HUB-SHARED)</span></p>')}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_note_leads_with_words_and_its_fix_is_for_the_planner(tmp_path, lang):
    v = make_village(300, seed=2)   # halls only in the first group: the other groups share its hub
    hh = v.households
    write_layers(tmp_path / "result.gpkg", {"households": hh.reset_index(), "rivers": v.rivers, "roads": v.roads})
    first = hh[hh["group"] == sorted(hh["group"].unique())[0]]
    gpd.GeoDataFrame({"名称": ["甲", "乙", "丙"]}, crs=hh.crs,
                     geometry=list(first.geometry.iloc[[0, 5, 10]].buffer(5).centroid)).to_file(tmp_path / "h.gpkg")
    run_cli(["cover", str(tmp_path / "result.gpkg"), "--candidates", str(tmp_path / "h.gpkg"), "-o",
             str(tmp_path / "c.gpkg"), "--report", str(tmp_path / "r.html")], lang=lang)
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    fix, code = WORDS[lang]
    assert code in page and "<p>COVER-HUB-SHARED" not in page
    assert re.search(f'<p class="small">{re.escape(fix)}[^<]*--fixed', page)
    assert "@media screen and (max-width:600px){.small,table{font-size:13px}}" in page
