"""A count of one in the singular for the English texts that counted nouns gis.catalogue.english_one did not know
(session 53, helper U: maturity load --lang en said "1 categories on 1 row" and "1 categories of 1 unit was
scored"; the print sheet "1 candidate households in the list"; "1 blank cells", "1 boundary features are" …), and
a count of categories that agrees with its own verb ("2 categories of 1 unit was scored" now reads "In 1 unit,
2 categories were scored")."""

from __future__ import annotations

import pytest

from yuanluo.gis.catalogue import english_one, text

EN_WHERE = {"zh": "", "en": ""}


@pytest.mark.parametrize(("key", "field", "params", "one"), [
    ("MAT-PARTIAL", "title", {"file": "s.xlsx", "where": EN_WHERE, "cells": {"zh": "K5", "en": "K5"}, "categories": 1,
                              "units": 1}, "has 1 category on 1 row scored"),
    ("maturity.partial_note", "text", {"categories": 1, "units": 1}, "In 1 unit, 1 category was scored"),
    ("maturity.partial_note", "text", {"categories": 2, "units": 1}, "In 1 unit, 2 categories were scored"),
    ("maturity.partial_note", "text", {"categories": 1, "units": 3}, "In 3 units, 1 category was scored"),
    ("maturity.change_over", "text", {"n": 1}, "over the 1 category rated"),
    ("print.head_unset", "text", {"n": 1}, "(1 candidate household in the list)"),
    ("ROW-SECTION-FILLED", "title", {"count": 1, "column": "组", "examples": "第 3 行", "which": {"zh": "一组",
                                                                                              "en": "一组"}},
     "1 blank cell of column"),
    ("UNIT-BOUNDARY", "title", {"count": 1, "detail": {"zh": "自相交", "en": "self-crossing"}, "examples": "#1"},
     "1 boundary feature is invalid as polygon geometry"),
    ("MAT-HIDDEN-COLUMNS", "title", {"file": "s.xlsx", "where": EN_WHERE, "n": 1, "columns": {"zh": "I", "en": "I"}},
     "has 1 hidden score column, whose"),
    ("load.waterkind.collections", "text", {"n": 1}, "1 geometry collection$"),
    ("repair.failed.made", "text", {"n": 3, "mended": 2, "before": 3, "made": 1, "left": 2}, "1 new one made"),
    ("editor.msg.more_units", "text", {"n": 1}, "and 1 more unit$"),
    ("map.search_values", "text", {"n": 1, "q": "S"}, "1 entry matches"),
])
def test_a_count_of_one_reads_in_the_singular(key: str, field: str, params: dict[str, object], one: str) -> None:
    said = text(key, "en", field, **params)
    assert said.endswith(one[:-1]) if one.endswith("$") else one in said, said


def test_a_plural_count_and_the_chinese_stay_as_written() -> None:
    assert "has 2 categories on 3 rows scored" in text(
        "MAT-PARTIAL", "en", "title", file="s.xlsx", where=EN_WHERE, cells={"zh": "K5", "en": "K5"}, categories=2,
        units=3)
    assert english_one("11 categories; 21 entries match; V001-1 groups") == "11 categories; 21 entries match; V001-1 groups"
    assert "1 个院落共 2 个类别" in text("maturity.partial_note", "zh", categories=2, units=1)

