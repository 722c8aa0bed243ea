"""More than five rows, said in Chinese: 第 289、443、760、1262、3142 行等，共 12 个, not 行 等 with a space between two
Chinese characters (session 53, helper U: validate --boundary of the Andorran sample, SPAT-OUTSIDE); after ids the
space stays (编号 H1、…、H5 等), English unchanged."""

from __future__ import annotations

from yuanluo.gis.errors import problem


def test_more_rows_than_shown_join_the_last_row_word_without_a_space() -> None:
    p = problem("SPAT-OUTSIDE", severity="warning", file="a.csv", rows=[289, 443, 760, 1262, 3142, 4000, 4001])
    assert p.examples("zh") == "第 289、443、760、1262、3142 行等，共 7 行"
    assert p.examples("en") == "rows 289, 443, 760, 1262, 3142 and more, 7 in all"
    assert "行等，共 7 行" in p.message("zh") and "行 等" not in p.message("zh")
    ids = problem("PLAN-UNKNOWN-ID", ids=[f"H{i}" for i in range(1, 8)])
    assert ids.examples("zh") == "编号 H1、H2、H3、H4、H5 等，共 7 个"
