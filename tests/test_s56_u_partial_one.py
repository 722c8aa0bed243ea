"""MAT-PARTIAL in English for one category on one row (session 56, helper U, a planner's Monday): "has 1 category on
1 row scored on some of their indicators only" ("their" for one category); now "on only some of the indicators".
Fails on 27e9fda."""

from __future__ import annotations

from yuanluo.gis.errors import problem


def test_one_partial_category_reads_in_the_singular() -> None:
    p = problem("MAT-PARTIAL", severity="warning", file="评分表.xlsx", units=1, categories=1,
                where={"zh": "", "en": ""}, cells={"zh": "L5", "en": "L5"})
    said = p.title("en")
    assert "has 1 category on 1 row scored on only some of the indicators, the others blank: L5." in said, said
    assert "their" not in said
