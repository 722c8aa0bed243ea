"""English templates give the plural, never 'point(s)' (session 43, helper I).

Nine English templates wrote 'point(s)', 'name(s)', '{level[en]}(s)', 'file(s)', 'text(s)', 'household(s)',
'settlement(s)', 'column(s)'. The catalogue's rule: a template gives the plural and gis.catalogue.english_one
writes a count of one in the singular with its verb; where the count is not a field, words that read right
either way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import yuanluo.gis as G
from yuanluo.gis.catalogue import text

VILLAGE = {"zh": "行政村", "en": "village"}
GROUP = {"zh": "村民小组", "en": "villager group"}
NAMES = {"zh": "东村", "en": "East"}


def test_no_english_template_writes_a_plural_in_brackets() -> None:
    bad = [f"{p.name}: {line.strip()}" for p in sorted((Path(G.__file__).parent / "messages").glob("*.toml"))
           for line in p.read_text(encoding="utf-8").splitlines() if re.search(r"[a-z\]}]\(s\)", line)]
    assert not bad, bad


@pytest.mark.parametrize(("key", "field", "params", "one", "two"), [
    ("COVER-SITE-FAR", "title", {"option": "--candidates", "metres": 300, "nearest": 500, "names": "A"},
     "1 point more than 300 m", "2 points more than 300 m"),
    ("COVER-NAME-BOTH", "title", {"names": "A"}, "1 name given both", "2 names given both"),
    ("COVER-SITE-ACROSS", "title", {"option": "--candidates", "metres": 300, "names": "A"},
     "1 point with every household", "2 points with every household"),
    # the Python versions (service_network's site_xy=, session 49): the count right before its noun, so one reads
    # in the singular, and the keyword first, not trailing after the household ("among those given as site_xy=")
    ("COVER-SITE-FAR", "title_py", {"keyword": "site_xy=", "metres": 300, "nearest": 500, "names": "A"},
     "site_xy= holds 1 point more than 300 m from every household (the nearest 500 m), which no one",
     "site_xy= holds 2 points more than 300 m"),
    ("COVER-SITE-ACROSS", "title_py", {"keyword": "site_xy=", "metres": 300, "names": "A"},
     "site_xy= holds 1 point with every household within 300 m across", "site_xy= holds 2 points with every"),
    ("COVER-HUB-NONE", "title", {"level": VILLAGE, "names": NAMES},
     "1 village has no candidate site", "2 villages have no candidate site"),
    ("COVER-HUB-NONE", "title", {"level": GROUP, "names": NAMES},
     "1 villager group has no candidate site", "2 villager groups have no candidate site"),
    ("coverreport.no_hub", "text", {"level": "villager group", "names": "A"},
     "1 other villager group has no candidate", "2 other villager groups have no candidate"),
    ("coverreport.no_hub", "text", {"level": "village", "names": "A"},
     "1 other village has no candidate", "2 other villages have no candidate"),
    ("plan.reason.unit_split_unnamed", "text", {}, "holds 1 household of a settlement",
     "holds 2 households of a settlement"),
])
def test_a_count_of_one_reads_in_the_singular(key: str, field: str, params: dict[str, object], one: str,
                                              two: str) -> None:
    assert one in text(key, "en", field, count=1, **params)
    assert two in text(key, "en", field, count=2, **params)


def test_texts_without_a_count_read_either_way() -> None:
    assert "in 1 text of the print map" in text("PRINT-GLYPH", "en", "title", n=1, texts="'A'")
    assert "in 3 texts of the print map" in text("PRINT-GLYPH", "en", "title", n=3, texts="'A'")
    assert text("SHP-PARTS", "en", "fix", missing=".shx").startswith("put each missing file (.shx), with the same")
    assert text("FIELDS-FOLDED", "en", "title", columns="户主候选", column="head").startswith(
        "--fields names 户主候选, among the candidate-head columns:")
    assert "holds households of settlements split across units (东村)" in text(
        "plan.reason.unit_split", "en", settlements="东村")
