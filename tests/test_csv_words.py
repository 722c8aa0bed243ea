"""A layer's CSV for people (``gis.output.csv_in_words``): coded values in words, lists as a language lists them,
never a cell longer than Excel keeps."""

from __future__ import annotations

import pandas as pd

from yuanluo.gis.output import EXCEL_CELL_CHARS, csv_in_words


def test_graph_codes_are_words_in_the_run_language() -> None:
    edges = pd.DataFrame({"u": ["a", "b"], "v": ["b", "c"], "length_m": [3475.99340954077, 12.0],
                          "status": ["cut", "kept"], "reason": ["river", ""]})
    zh = csv_in_words(edges, "edges", "zh")
    en = csv_in_words(edges, "edges", "en")
    assert zh.iloc[:, 3].tolist() == ["断开", "保留"] and zh.iloc[:, 4].tolist() == ["跨河", ""]
    assert en.iloc[:, 3].tolist() == ["cut", "kept"] and en.iloc[:, 4].tolist() == ["crosses a river", ""]
    assert zh.iloc[0, 2] == 3476.0  # metres to one decimal, not fifteen
    comps = pd.DataFrame({"component": [1], "join_reason": ["length"]})
    assert csv_in_words(comps, "components", "zh").iloc[0, 1] == "步行过远"


def test_a_unit_reason_sentence_is_left_as_it_is() -> None:
    units = pd.DataFrame({"unit_id": ["U1"], "reason": ["规模无法达标（RULE-INFEASIBLE）：9 户，孤立片区共 9 户"]})
    assert csv_in_words(units, "units", "zh").iloc[0, 1] == units.iloc[0, 1]


def test_maturity_categories_and_indicators_in_words() -> None:
    scores = pd.DataFrame({"unit_id": ["U1"], "category": ["policy"], "indicator": ["content"], "score": [2.0]})
    assert csv_in_words(scores, "scores", "zh").iloc[0, 1:3].tolist() == ["政策宣讲", "开展内容"]
    assert csv_in_words(scores, "scores", "en").iloc[0, 1:3].tolist() == ["Policy publicity", "Content"]


def test_a_list_is_joined_and_a_huge_one_is_cut_at_a_whole_id_and_says_how_many() -> None:
    small = pd.DataFrame({"component": [0], "hids": [["AD0001", "AD0002"]]})
    assert csv_in_words(small, "components", "zh").iloc[0, 1] == "AD0001、AD0002"
    assert csv_in_words(small, "components", "en").iloc[0, 1] == "AD0001, AD0002"
    ids = [f"H{i:06d}" for i in range(5000)]  # 40,000 characters joined: Excel would cut it without a word
    cell = csv_in_words(pd.DataFrame({"component": [0], "hids": [ids]}), "components", "zh").iloc[0, 1]
    assert len(cell) <= EXCEL_CELL_CHARS and "共 5000 个" in cell
    listed = cell.split("……")[0].split("、")
    assert listed == ids[:len(listed)] and len(listed) > 3000


def test_the_check_units_csv_gives_walking_minutes_to_one_decimal() -> None:
    """``check --csv`` wrote 0.7136366763532295 in its units file where every other table says 0.7."""
    from yuanluo.planners.tables import check_csv_bytes

    units = pd.DataFrame({"unit_id": ["U1"], "n_households": [26], "status": ["violation"],
                          "mean_walk_min": [0.7136366763532295], "max_walk_min": [1.425709753487205]})
    _, ub = check_csv_bytes(pd.DataFrame(columns=["code", "unit_id", "hids", "severity"]), units, "zh")
    assert ub.decode("utf-8-sig").splitlines()[1].endswith(",0.7,1.4"), ub.decode("utf-8-sig")
