"""cover --hubs village:1,group:1 told villages and groups apart by their names alone: 新华村 of 甲镇 and 新华村 of
乙镇 got one hub between them (audit BC: P004 in 乙镇 served 甲镇's households up to 23.7 minutes away) and the
report said 新华村 once. Villages and groups are now told apart as the nest key tells them (the town and code
columns above) and named as the check names them: 甲镇/新华村, 乙镇/新华村, a group 甲镇/新华村 一组."""

from __future__ import annotations

from shared_fixtures import chain

from yuanluo.planners.cover import CoverPlan, site


def _two_towns():
    return chain(乡镇=["甲镇"] * 6 + ["乙镇"] * 6, village=["新华村"] * 12,
                 group=["一组"] * 3 + ["二组"] * 3 + ["一组"] * 3 + ["二组"] * 3)


def test_one_village_name_in_two_towns_gets_a_hub_in_each_town():
    hh, g = _two_towns()
    c = site(hh, g, CoverPlan(per_level={"village": 1}))
    assert sorted(k for k in c.sitings if k.startswith("village:")) == ["village:乙镇/新华村", "village:甲镇/新华村"]
    hubs = c.layers["hubs"].sort_values("hub_id")
    # beside the town column the village is its own name (session 36 GI), the town telling the two apart
    assert len(hubs) == 2 and sorted(zip(hubs["town"], hubs["village"], strict=True)) == [("乙镇", "新华村"), ("甲镇", "新华村")]
    # each hub stands in the town it serves (one hub between the two stood in one town)
    assert sorted(hh.loc[hubs["site"].astype(str), "乡镇"]) == ["乙镇", "甲镇"]
    cov = c.layers["coverage"]
    rows = cov[(cov["level"] == "village") & ~cov["total"]]
    assert sorted(zip(rows["town"], rows["village"], strict=True)) == [("乙镇", "新华村"), ("甲镇", "新华村")]
    assert rows["households"].tolist() == [6, 6]


def test_groups_of_one_village_name_in_two_towns_are_four_groups_named_by_town():
    from yuanluo.planners.cover import shown_name

    hh, g = _two_towns()
    c = site(hh, g, CoverPlan(per_level={"village": 1, "group": 1}))
    groups = sorted(shown_name(k.removeprefix("group:")) for k in c.sitings if k.startswith("group:"))
    assert groups == ["乙镇/新华村 一组", "乙镇/新华村 二组", "甲镇/新华村 一组", "甲镇/新华村 二组"]
    cov = c.layers["coverage"]
    rows = cov[(cov["level"] == "group") & ~cov["total"]]
    assert len(rows) == 4 and rows["households"].tolist() == [3, 3, 3, 3]
