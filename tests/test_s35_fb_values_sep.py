"""English PLAN-CROSS-* messages listed the nest groups a unit straddles with " / " (check.values.sep), while a
group's path is itself joined by "/" (gis.keys.nest_labels: 甲镇/新华村): "(乙镇/新华村 / 甲镇/新华村)" read as
one path. The English list separator is now "; ", which no path holds; Chinese keeps 、 (session 35, fixer FB,
defect 3). Its users: the check's messages (gis/check.py) and the editor's live check (maps/assets/editor.js,
through the page's catalogue)."""

from __future__ import annotations

import pandas as pd
from shared_fixtures import chain

from yuanluo.gis.catalogue import text
from yuanluo.gis.check import check_plan
from yuanluo.gis.rules import Rules


def _messages(hh: pd.DataFrame, g: object, plan: pd.Series, rules: Rules, code: str) -> tuple[list[str], list[str]]:
    res = check_plan(hh, plan, rules, graph=g)
    rows = res.violations[res.violations["code"] == code]
    return rows["message_zh"].tolist(), rows["message_en"].tolist()


def test_two_paths_are_two_items_in_english() -> None:
    hh, g = chain(乡镇=["甲镇"] * 3 + ["乙镇"] * 5, village=["新华村"] * 8, group=["一组"] * 8)
    zh, en = _messages(hh, g, pd.Series("A", index=hh.index), Rules(2, 10, require_head=False,
                                                                      keep_settlements=False), "PLAN-CROSS-VILLAGE")
    assert len(en) == 1
    assert "straddles villages (乙镇/新华村; 甲镇/新华村); minority households:" in en[0], en[0]
    assert "跨越了行政村（乙镇/新华村、甲镇/新华村）" in zh[0], zh[0]


def test_groups_named_by_village_are_listed_apart() -> None:
    hh, g = chain(village=["新华村"] * 4 + ["胜利村"] * 4, group=["一组"] * 3 + ["二组"] + ["一组"] * 4)
    plan = pd.Series(["A"] * 2 + ["B"] * 6, index=hh.index)
    _, en = _messages(hh, g, plan, Rules(1, 10, nest_by=("group",), require_head=False, keep_settlements=False),
                      "PLAN-CROSS-GROUP")
    assert "straddles villager groups (新华村/一组; 二组; 胜利村/一组)" in en[0], en[0]


def test_the_separator_holds_no_path_separator_and_the_editor_gets_it() -> None:
    from yuanluo.maps.editor import _SENTENCE_PARTS

    assert "/" not in text("check.values.sep", "en") and "/" not in text("check.values.sep", "zh")
    assert text("check.values.sep", "zh") == "、"
    assert "check.values.sep" in _SENTENCE_PARTS  # the editor's live check joins its values with the same text
