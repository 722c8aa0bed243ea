"""Audit Q §1 and §7 (a notebook user of the Python API).

§1: ``UnitDelineator.fit`` read a text ``head_candidate`` column with ``.astype(bool)``, so "否" / "no" / "0" made a
household a candidate head, while ``check`` read 否 as no: the delineation failed its own check (PLAN-NO-HEAD) and
suggested heads that were not candidates. Every reader now takes the words ``read_households`` takes
(:func:`yuanluo.gis.columns.flag_values`), and a value that is neither yes nor no is ATTR-TYPE.

§7: English said "1 household id occur more than once" and "1 seed point is not household ids".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yuanluo import UnitDelineator, check_plan, make_village, preset
from yuanluo.gis.errors import InputError, problem
from yuanluo.gis.neighbours import build_graph

_YES = ["是", "yes", "1", "√", "Y", "党员"]
_NO = ["否", "no", "0", "×", "", "群众"]


@pytest.fixture(scope="module")
def village() -> tuple[pd.DataFrame, object]:
    v = make_village(200, seed=3)
    hh = v.households
    return hh, build_graph(hh, rivers=v.rivers)


@pytest.fixture(scope="module")
def fitted_bool(village: tuple[pd.DataFrame, object]) -> UnitDelineator:
    hh, g = village
    return UnitDelineator.from_rules(preset("changshou"), random_state=0).fit(hh, g)


def _as_text(flags: pd.Series, words: tuple[list[str], list[str]]) -> pd.Series:
    """The bool column as a spreadsheet writes it, yes and no words taken in turn."""
    yes, no = words
    out = [yes[i % len(yes)] if f else no[i % len(no)] for i, f in enumerate(flags.tolist())]
    return pd.Series(out, index=flags.index, dtype=object)


@pytest.mark.parametrize("words", [(["是"], ["否"]), (_YES, _NO)], ids=["是否", "mixed"])
def test_a_text_head_column_delineates_as_the_bool_column_and_passes_its_own_check(
        village: tuple[pd.DataFrame, object], fitted_bool: UnitDelineator, words: tuple[list[str], list[str]]) -> None:
    """It made every household a candidate: n_heads == n_households, heads that were 否, check failed."""
    hh, g = village
    text = hh.assign(head_candidate=_as_text(hh["head_candidate"], words))
    m = UnitDelineator.from_rules(preset("changshou"), random_state=0).fit(text, g)
    pd.testing.assert_series_equal(m.labels_, fitted_bool.labels_)
    cols = ["unit_id", "n_households", "status", "n_heads", "head_hid", "head_candidates"]
    pd.testing.assert_frame_equal(m.units_[cols], fitted_bool.units_[cols])
    cand = set(hh.index[hh["head_candidate"].to_numpy(dtype=bool)].astype(str))
    assert set(m.units_["head_hid"]) - {""} <= cand
    assert m.check(text, g).passed
    # the check of a plan reads the text column as the bool one as well
    a = check_plan(hh, m.labels_, m.rules(), graph=g)
    b = check_plan(text, m.labels_, m.rules(), graph=g)
    assert a.passed == b.passed
    pd.testing.assert_frame_equal(a.violations[["code", "unit_id"]], b.violations[["code", "unit_id"]])


def test_a_head_value_neither_yes_nor_no_is_a_coded_error_naming_the_column(
        village: tuple[pd.DataFrame, object], fitted_bool: UnitDelineator) -> None:
    """"maybe" was a silent yes in fit (and a silent no in check)."""
    hh, g = village
    text = hh.assign(head_candidate=_as_text(hh["head_candidate"], (["是"], ["否"])))
    odd = text.index[3]
    text.loc[odd, "head_candidate"] = "maybe"
    for call in (lambda: UnitDelineator.from_rules(preset("changshou"), random_state=0).fit(text, g),
                 lambda: check_plan(text, fitted_bool.labels_, fitted_bool.rules(), graph=g)):
        with pytest.raises(InputError) as e:
            call()
        assert e.value.codes == ["ATTR-TYPE"]
        for lang in ("zh", "en"):
            said = e.value.render(lang)
            assert "head_candidate" in said and "maybe" in said and str(odd) in said and "是/否" in said


@pytest.mark.parametrize(("code", "params", "one", "many"), [
    ("CLUSTER-DUP-IDS", {}, "1 household id is repeated", "2 household ids are repeated"),
    ("SEED-UNKNOWN", {}, "1 seed point is not among the household ids", "2 seed points are not among"),
    ("CLUSTER-PERSONS", {}, "bad for 1 household (", "bad for 2 households ("),
    ("COLOC-SPLIT", {"hi": 50, "what": {"zh": "户", "en": "households"}}, "at 1 location, the households",
     "at 2 locations, the households"),
    ("COLOC-NEST", {}, "1 household was kept apart", "2 households were kept apart"),
    ("LOCK-VALUE", {"values": ["maybe"], "units": ["U001"]}, "in 1 row, the plan's lock column says",
     "in 2 rows, the plan's lock column says"),
])
def test_english_counts_of_one_and_of_many_both_read_right(code: str, params: dict[str, object], one: str,
                                                           many: str) -> None:
    assert one in problem(code, ids=["H1"], **params).message("en")
    assert many in problem(code, ids=["H1", "H2"], **params).message("en")


def test_the_audit_cases_of_one_id_in_english(village: tuple[pd.DataFrame, object],
                                              fitted_bool: UnitDelineator) -> None:
    hh, g = village
    twice = hh.set_axis(pd.Index([hh.index[0], *hh.index[1:-1], hh.index[0]], name="hid"))
    with pytest.raises(InputError) as e:
        check_plan(twice, fitted_bool.labels_, preset("changshou"))
    assert "1 household id is repeated" in e.value.render("en")
    with pytest.raises(InputError) as e:
        UnitDelineator.from_rules(preset("changshou")).fit(hh, g, seeds=["NOPE"])
    assert "1 seed point is not among the household ids" in e.value.render("en")
    assert np.all(hh.index == village[0].index)
