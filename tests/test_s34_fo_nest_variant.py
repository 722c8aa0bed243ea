"""NEST-VARIANT named the parent of the spellings as 甲镇 / 新华村 (ASCII " / " between Chinese names) where
the rest of the tool names a village's or group's path as gis.keys.nest_labels does (甲镇/新华村); and it took
新华村 and 新华社区 of one town for spellings of one name, though a 村 (村委会) and a 社区 (居委会) are
different kinds: only a bare stem and a suffixed form are now taken for spellings (新华 / 新华村, 新华 /
新华社区)."""

from __future__ import annotations

from shared_fixtures import read_towns


def _variants(rep):
    return [p for p in rep.warnings if p.code == "NEST-VARIANT"]


def test_parent_is_named_as_nest_labels_names_it(tmp_path):
    rows = [("甲镇", "新华村", "一组")] * 2 + [("甲镇", "新华村", "1组")]
    _, rep = read_towns(tmp_path, rows)
    (found,) = _variants(rep)
    zh, en = found.message("zh"), found.message("en")
    assert "列“村民小组”中（甲镇/新华村）“一组”" in zh and " / " not in zh
    assert "(within 甲镇/新华村)" in en and " / " not in en


def test_a_village_and_a_community_are_not_spellings(tmp_path):
    _, rep = read_towns(tmp_path, [("甲镇", "新华村", "一组"), ("甲镇", "新华社区", "一组")])
    assert _variants(rep) == []
    # a bare stem still matches each suffixed form, said once per kind
    _, rep = read_towns(tmp_path, [("甲镇", "新华村", "一组")] * 3 + [("甲镇", "新华社区", "一组")] * 2
                        + [("甲镇", "新华", "一组")])
    found = _variants(rep)
    assert sorted(p.params["common"] for p in found) == ["新华村", "新华社区"]
    for p in found:
        zh = p.message("zh")
        assert "“新华”（1 户，如第 7 行）" in zh and p.rows == (7,)
        assert ("新华社区" in zh) != ("新华村" in zh)
    # groups: 组 / 村民小组 / 社 are one kind, as before
    _, rep = read_towns(tmp_path, [("甲镇", "新华村", "一组")] * 2 + [("甲镇", "新华村", "一社"), ("甲镇", "新华村", "1村民小组")])
    assert len(_variants(rep)) == 1 and _variants(rep)[0].rows == (4, 5)
