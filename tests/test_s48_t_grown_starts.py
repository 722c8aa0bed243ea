"""band_partition_milp's grown proof tries every candidate with a few steps before the three most crowded with
more: a 51-household component (3,000 households, changshou rules, seed 2) that HiGHS took 1.6 s to prove
without a split is now proven without HiGHS (from its second candidate, in 6,581 steps); and the proof is
still given exactly where no split exists."""

from __future__ import annotations

import numpy as np
import pytest

import yuanluo.gis.delineate.rescue as rescue
from tests.test_headproof import _random_case, _split_exists
from yuanluo.gis.delineate.headproof import no_head_split_grown
from yuanluo.gis.delineate.headsearch import head_split
from yuanluo.gis.delineate.problem import components
from yuanluo.gis.delineate.rescue import _grown_proof, band_partition_milp

# 51 households of weight 1, band 15-25, candidates at 5, 9, 33 and 39
_SU = [0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 6, 7, 7, 8, 8, 8, 9, 9, 9, 9, 9, 10, 10, 10, 10, 11, 11, 12, 12, 13,
       13, 13, 14, 14, 14, 14, 15, 15, 16, 16, 16, 17, 17, 17, 17, 18, 18, 19, 19, 19, 19, 20, 20, 21, 21, 21, 22, 22,
       22, 23, 23, 24, 24, 25, 25, 25, 26, 26, 27, 27, 28, 28, 29, 29, 30, 30, 31, 33, 33, 33, 33, 34, 34, 34, 34, 35,
       35, 35, 35, 35, 36, 36, 37, 37, 37, 38, 38, 38, 39, 39, 39, 40, 40, 40, 41, 41, 42, 42, 42, 43, 43, 43, 44, 44,
       45, 46, 46, 46, 47, 48, 49]
_SV = [1, 5, 2, 3, 5, 3, 6, 5, 6, 7, 6, 8, 7, 7, 8, 8, 33, 9, 33, 37, 10, 11, 13, 16, 37, 11, 13, 14, 15, 12, 14, 14,
       18, 15, 16, 17, 15, 18, 19, 20, 17, 19, 17, 22, 28, 19, 21, 22, 23, 20, 27, 20, 21, 24, 29, 24, 27, 23, 25, 29,
       23, 26, 28, 25, 26, 27, 29, 26, 29, 30, 28, 30, 29, 32, 30, 31, 30, 32, 31, 32, 32, 34, 35, 37, 45, 35, 36, 37,
       38, 36, 39, 40, 45, 48, 38, 39, 38, 42, 47, 39, 41, 42, 40, 41, 43, 43, 48, 49, 42, 43, 43, 46, 47, 44, 46, 49,
       46, 49, 48, 47, 49, 50, 50, 49, 50]


def _case51():
    heads = np.zeros(51, dtype=np.int64)
    heads[[5, 9, 33, 39]] = 1
    return np.ones(51, dtype=np.int64), np.array(_SU), np.array(_SV), 15, 25, heads


def test_the_51_household_component_is_proven_without_highs(monkeypatch: pytest.MonkeyPatch) -> None:
    case = _case51()
    assert head_split(*case)[0] == "budget"  # the usual search leaves it undecided
    assert not no_head_split_grown(*case)  # and so does the grown one from three candidates, 5,000 steps each

    def no_highs(*_a, **_k):
        raise AssertionError("HiGHS was asked")

    monkeypatch.setattr(rescue, "_interruptible", no_highs)
    assert band_partition_milp(*case[:5], heads=case[5]) == ("infeasible", None)


def test_a_proof_exactly_where_no_split_exists_on_small_graphs() -> None:
    rng = np.random.default_rng(48)
    proved = none = 0
    for _ in range(400):
        case = _random_case(rng)
        w, su, sv = case[:3]
        if len(np.unique(components(len(w), su, sv))) != 1 or not (case[5] > 0).any():
            continue
        exists = _split_exists(*case)
        status, _ = _grown_proof(*case)  # "infeasible" a proof, "found" a split (test_s48_t2_grown_split)
        proof = status == "infeasible"
        assert proof == (not exists), case
        none += not exists
        proved += proof
    assert none > 60 and proved == none
