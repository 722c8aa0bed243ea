"""MAT-UNIT-MISMATCH said the score sheet "was made for another delineation" (是为另一个划分结果生成的) for any cell
the program fills that differs from the result, also for one town or village cell typed over by hand, which the
message cannot tell apart. It now says the sheet does not match the result and gives both causes (session 36,
audit AC)."""

from __future__ import annotations

from yuanluo.gis.errors import problem


def test_the_mismatch_names_both_causes_and_claims_neither() -> None:
    q = problem("MAT-UNIT-MISMATCH", file="分数.xlsx", n=1, result="r.gpkg",
                columns={"zh": "乡镇", "en": "Town"}, cells={"zh": "C2 乡镇=乙镇（结果为 甲镇）",
                                                            "en": "C2 Town=乙镇 (the result has 甲镇)"},
                cleared={"zh": "乡镇、村、组、户数 四列", "en": "Town, Village, Group and Households cells"}, rows=[2])
    zh, en = q.title("zh"), q.title("en")
    assert "与这个划分结果对不上" in zh and "或这些格被改过" in zh and "是为另一个划分结果生成的：" not in zh, zh
    assert "does not match this delineation" in en and "or those cells were edited" in en, en
    assert "was made for another delineation:" not in en, en
