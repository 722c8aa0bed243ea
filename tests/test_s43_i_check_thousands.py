"""check's findings in English group the thousands, as the editor and the console do (session 43, helper I).

`yuanluo check` wrote 'Unit U000 has 1187 households, above the maximum of 50.' in English, while the editor's
own sentence of the same finding (1ec062f, tests/test_s43_f_editor_check_thousands.py) and the console write
'1,187'. The sizes a finding gives (and the band it names) now go through gis.catalogue.Count: English '1,187',
'1,234.5', pieces '1,180+7'; Chinese the digits as they are.

Fixture: the editor test's village (gis.synth.make_village(1200, seed=5), all but every 97th household in one
unit U000, rules 20-50)."""

from __future__ import annotations

import pandas as pd

from yuanluo.gis.catalogue import text
from yuanluo.gis.check import check_plan, violation_message
from yuanluo.gis.neighbours import build_graph
from yuanluo.gis.rules import Rules
from yuanluo.gis.synth import make_village


def test_checks_size_finding_groups_thousands_in_english_only() -> None:
    v = make_village(1200, seed=5)
    hh = v.households
    g = build_graph(hh, roads=v.roads)
    labels = pd.Series("U000", index=hh.index.astype(str), dtype="string")
    labels.iloc[::97] = pd.NA
    res = check_plan(hh, labels, Rules(20, 50, nest_by=()), graph=g, graph_kind="straight")
    row = next(r for _, r in res.violations.iterrows() if r["code"] == "SIZE-HIGH")
    en = violation_message(row, "en", body=True)
    zh = violation_message(row, "zh", body=True)
    # the editor's sentence of the same finding, word for word (test_s43_f_editor_check_thousands)
    assert en.startswith("Unit U000 has 1,187 households, above the maximum of 50"), en
    assert zh.startswith("院落 U000 有 1187 户，超过上限 50"), zh


W = {"zh": "户", "en": "households"}


def test_sizes_and_pieces_in_both_languages() -> None:
    from yuanluo.gis.catalogue import Count  # (new in session 43)

    assert text("SIZE-LOW", "en", "title", unit="A", size=Count.of(1234.5), min=Count.of(2000), max=Count.of(3000),
                what=W).startswith("unit A has 1,234.5 households")
    assert "1234.5" in text("SIZE-LOW", "zh", "title", unit="A", size=Count.of(1234.5), min=Count.of(2000),
                            max=Count.of(3000), what=W)
    sizes = Count.of([1180, 7])
    assert (str(sizes), sizes.en) == ("1180+7", "1,180+7")
    one = Count.of(1)  # a count of one still reads in the singular
    assert text("SIZE-LOW", "en", "title", unit="A", size=one, min=Count.of(2), max=Count.of(9),
                what=W).startswith("unit A has 1 household,")
