"""Two spellings of one village or group name within one parent (新华 / 新华村; 1组 / 第一组 / 01组 / 一组) were
silently two villages or groups: NEST-VARIANT now says so, naming the spellings and their rows, zh and en. A
warning only: they stay apart."""

from __future__ import annotations

from shared_fixtures import read_towns

from yuanluo.gis.io import variant_form
from yuanluo.gis.keys import nest_key


def test_variant_form_is_conservative():
    assert {variant_form(v) for v in ["1组", "第一组", "01组", "一组", "1"]} == {"1"}
    assert variant_form("新华") == variant_form("新华村") != variant_form("新民村")
    assert variant_form("十一组") != variant_form("1组") and variant_form("2组") != variant_form("1组")


def test_spellings_of_one_group_are_told_and_kept_apart(tmp_path):
    rows = [("甲镇", "新华村", "一组")] * 3 + [("甲镇", "新华村", "1组"), ("甲镇", "新华村", "第一组"),
                                           ("甲镇", "新华村", "二组")]
    hh, rep = read_towns(tmp_path, rows)
    found = [p for p in rep.warnings if p.code == "NEST-VARIANT"]
    assert len(found) == 1 and found[0].severity == "warning" and found[0].rows == (5, 6)
    zh, en = found[0].message("zh"), found[0].message("en")
    assert "“一组”（3 户，如第 2 行）" in zh and "“1组”" in zh and "“第一组”" in zh and "村民小组" in zh
    assert "“一组” (3 households, e.g. row 2)" in en and "villager groups" in en
    assert "“一组”" in found[0].fix("zh") and "same in the file" in found[0].fix("en")
    assert len(set(nest_key(hh, ["village", "group"])[:5])) == 3  # a warning: not merged


def test_spellings_in_two_parents_are_no_variants(tmp_path):
    """新华 of 甲镇 and 新华村 of 乙镇 are two towns' villages; 一组 and 1组 of two villages two groups."""
    rows = [("甲镇", "新华", "一组"), ("乙镇", "新华村", "1组"), ("甲镇", "新华", "二组"), ("乙镇", "新华村", "二组")]
    _, rep = read_towns(tmp_path, rows)
    assert "NEST-VARIANT" not in [p.code for p in rep.warnings]
    _, rep = read_towns(tmp_path, [("甲镇", "新华", "一组"), ("甲镇", "新华村", "二组")])
    assert [p.params["common"] for p in rep.warnings if p.code == "NEST-VARIANT"] == ["新华"]
