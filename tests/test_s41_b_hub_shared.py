"""Session 41, helper B: COVER-HUB-SHARED's list of groups broke its ids and read poorly.

``yuanluo cover … --report`` on a village whose halls all stand in its first group: the report's note said
6 个村民小组的服务点不在本村民小组内，是与别的村民小组共用或借用的（V001-G2、…、V001-G7）。 and on a 390 px phone
broke V001-G5 after its hyphen (V001- at a line's end, G5 on the next; session 40 kept the cards' ids whole,
9387573, not this sentence); in English '6 villager group(s) have no hub of their own: the one chosen for them stands
in another (V001-G2, …)'. Now the list ends the sentence after a colon, each name (with its list comma) and the code
kept whole on a line: 6 个村民小组没有设在本村民小组内的服务点，与别的村民小组共用或借用：V001-G2、… /
'6 villager groups have no hub inside, sharing or borrowing one that stands in another villager group: V001-G2, …';
one group in the singular ('1 villager group has'). The console says the same sentence.

Fixture: a 300-household synthetic village, three halls in its first group (as test_s39_h_cover_notes), zh and en.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from browser import live_page, require_browser
from shared_fixtures import run_cli

from yuanluo.gis.catalogue import text
from yuanluo.gis.errors import problem
from yuanluo.gis.output import write_layers
from yuanluo.gis.synth import make_village

SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts"
#: every id of the note (V001-G2 …) and the code: those drawn on more than one line, and those not in a span.id
BROKEN = """() => {
  const p = Array.from(document.querySelectorAll('p')).find(x => x.textContent.includes('COVER-HUB-SHARED'));
  const out = {broken: [], loose: [], text: p.textContent};
  const w = document.createTreeWalker(p, NodeFilter.SHOW_TEXT); let n;
  while ((n = w.nextNode())) {
    const re = /V\\d+-G\\d+|COVER-HUB-SHARED/g; let m;
    while ((m = re.exec(n.data))) {
      const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
      if (new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top))).size > 1) out.broken.push(m[0]);
      if (!(n.parentElement.matches('span.id'))) out.loose.push(m[0]);
    }
  }
  p.scrollIntoView();
  return out;
}"""


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    d = tmp_path_factory.mktemp("v")
    v = make_village(300, seed=2)
    hh = v.households
    write_layers(d / "result.gpkg", {"households": hh.reset_index(), "rivers": v.rivers, "roads": v.roads})
    first = hh[hh["group"] == sorted(hh["group"].unique())[0]]
    gpd.GeoDataFrame({"名称": ["甲", "乙", "丙"]}, crs=hh.crs,
                     geometry=list(first.geometry.iloc[[0, 5, 10]].buffer(5).centroid)).to_file(d / "h.gpkg")
    return d, sorted(set(hh["group"]) - set(first["group"]))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_shared_hubs_note_keeps_its_ids_whole_and_reads_well(village: tuple[Path, list[str]], tmp_path: Path,
                                                                 lang: str) -> None:
    require_browser()
    d, others = village
    page = tmp_path / "r.html"
    said = run_cli(["--lang", lang, "cover", str(d / "result.gpkg"), "--candidates", str(d / "h.gpkg"), "-o",
                    str(tmp_path / "c.gpkg"), "--report", str(page)], lang)
    with live_page(page, viewport=(390, 844), ready="true", touch=True) as (p, errors):
        got = p.evaluate(BROKEN)
        SHOTS.mkdir(exist_ok=True)
        p.screenshot(path=str(SHOTS / f"s41_b_hub_shared_{lang}.png"))
        assert not errors, errors
    # the old page: V001-G5 (zh) / V001-G3 (en) broken after its hyphen, no id in a span
    assert not got["broken"] and not got["loose"], got
    level = {x: text("field.group", x).lower() for x in ("zh", "en")}
    none = {"zh": "", "en": ""}  # fewer than nine: no "and more" (test_s41_b2_hub_shared_more)
    sentence = problem("COVER-HUB-SHARED", severity="warning", count=len(others), names=others, level=level,
                       more=none).title(lang)
    assert got["text"].startswith(sentence), (got["text"], sentence)
    head = {"zh": f"{len(others)} 个村民小组没有设在本村民小组内的服务点，与别的村民小组共用或借用：",
            "en": f"{len(others)} villager groups have no hub inside, sharing or borrowing one that stands in another "
                  "villager group: "}[lang]
    assert sentence.startswith(head) and sentence.endswith(text("list.sep", lang).join(others) + {"zh": "。",
                                                                                                "en": "."}[lang])
    assert "(s)" not in said and all(g in said for g in others), said
    one = problem("COVER-HUB-SHARED", severity="warning", count=1, names=others[:1], level=level,
                  more=none).title("en")
    assert one.startswith("1 villager group has no hub inside"), one
