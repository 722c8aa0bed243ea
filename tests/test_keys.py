"""The one rule for nest keys and locations (yuanluo.gis.keys), and that the delineator, the check, the repair
and the invariants all follow it: values compared as stripped text, a blank cell a value of its own."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from shared_fixtures import chain

from yuanluo.gis.check import check_plan
from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.errors import InvariantError
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.invariants import verify_delineation
from yuanluo.gis.keys import BLANK, location_key, nest_key, normalise
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules


def test_blank_cells_share_one_key_of_their_own():
    hh = pd.DataFrame({"group": ["1", " 1", "1 ", None, "", "   ", np.nan, "2"]})
    key = nest_key(hh, ["group"])
    assert len(set(key[:3])) == 1  # surrounding whitespace does not matter
    assert len(set(key[3:7])) == 1  # missing, empty and whitespace-only are one value: blank
    assert len({key[0], key[3], key[7]}) == 3  # blank is neither "1" nor "2"
    assert normalise(hh["group"]).tolist() == ["1", "1", "1", BLANK, BLANK, BLANK, BLANK, "2"]


def test_nest_columns_nest_in_order_and_absent_ones_are_skipped():
    hh = pd.DataFrame({"village": ["A", "A", "B", None], "group": ["1", "1", "1", "1"]})
    key = nest_key(hh, ["village", "group", "no_such_column"])
    assert key[0] == key[1] and key[1] != key[2] and key[3] not in (key[0], key[2])
    assert nest_key(hh, ["no_such_column"]).tolist() == [0, 0, 0, 0]
    assert nest_key(hh.iloc[:0], ["group"]).tolist() == []


def test_numbers_and_text_compare_as_text():
    hh = pd.DataFrame({"group": pd.Series([1, "1", 2.5, "2.5"], dtype=object)})
    key = nest_key(hh, ["group"])
    assert key[0] == key[1] and key[2] == key[3] and key[0] != key[2]


def test_location_key_follows_zero_length_edges_transitively():
    # 0 =0= 2 =0= 3, 1 at 5 m from 2: one location {0, 2, 3} and one {1}
    loc = location_key(4, np.array([0, 1, 2]), np.array([2, 2, 3]), np.array([0.0, 5.0, 0.0]))
    assert loc.tolist() == [0, 1, 0, 0]
    assert location_key(3, np.array([], dtype=int), np.array([], dtype=int), np.array([])).tolist() == [0, 1, 2]


# ---------------------------------------------------------------------------- the same rule everywhere
def test_delineator_keeps_blank_apart_and_ignores_whitespace():
    """Six households of group "1" (two written " 1 "), then four with a blank group: band 4–6 gives two
    units, the blank ones on their own, the whitespace variants together with "1"."""
    hh, g = chain(group=["1", " 1 ", "1", "1 ", "1", "1", None, "", " ", np.nan])
    d = UnitDelineator(4, 6, exact=False).fit(hh, g)
    lab = d.labels_
    assert lab.iloc[:6].nunique() == 1 and lab.iloc[6:].nunique() == 1 and lab.iloc[0] != lab.iloc[6]
    assert (d.status_ == "ok").all()


def test_check_and_invariants_see_blank_as_a_group_of_its_own():
    hh, g = chain(group=["1", "1", " 1", None, None, ""])
    mixed = pd.Series(["A", "A", "A", "A", "B", "B"], index=hh.index)  # A holds "1" and a blank
    res = check_plan(hh, mixed, Rules(2, 4), graph=g)
    assert "PLAN-CROSS-GROUP" in res.codes
    msg_en = res.violations.loc[res.violations["code"] == "PLAN-CROSS-GROUP", "message_en"].iloc[0]
    msg_zh = res.violations.loc[res.violations["code"] == "PLAN-CROSS-GROUP", "message_zh"].iloc[0]
    assert "(blank)" in msg_en and "（空白）" in msg_zh and "blank" not in msg_zh
    with pytest.raises(InvariantError):
        verify_delineation(hh, g, mixed, pd.Series("ok", index=hh.index), (2, 4), ("group",))
    clean = pd.Series(["A", "A", "A", "B", "B", "B"], index=hh.index)  # " 1" is "1"
    assert "PLAN-CROSS-GROUP" not in check_plan(hh, clean, Rules(2, 4), graph=g).codes
    verify_delineation(hh, g, clean, pd.Series("ok", index=hh.index), (2, 4), ("group",))


def test_repair_never_moves_a_household_into_another_key():
    """Unit A is short (2 of group "1"); its only neighbour unit B holds blank-group households. A blank is a
    group of its own, so nothing may fill A from B: A is an island of its group (an exception, not a
    violation) and the repair moves nobody. (When a blank matched any group, B's households were moved.)"""
    hh, g = chain(group=["1", "1", None, None, None, None])
    plan = pd.Series(["A", "A", "B", "B", "B", "B"], index=hh.index)
    res = repair_plan(hh, plan, Rules(3, 4), g)
    assert len(res.moves) == 0 and res.labels.tolist() == plan.tolist()
    assert "SIZE-EXCEPTION" in res.check.codes and "PLAN-CROSS-GROUP" not in res.check.codes


def test_an_island_of_its_group_is_told_so_with_the_fix_for_groups():
    """Unit A (2 households of group "1") touches only group "2": the check called it an island "cut off by a
    river, ridge or distance" and asked for a bridge in the roads layer. It now says its neighbours are of
    another group and asks to check the households' group; a unit cut off by the terrain keeps the old words."""
    hh, g = chain(group=["1", "1", "2", "2", "2", "2"])
    res = check_plan(hh, pd.Series(["A", "A", "B", "B", "B", "B"], index=hh.index), Rules(3, 4), graph=g)
    row = res.violations[res.violations["code"] == "SIZE-EXCEPTION"].iloc[0]
    assert "别的行政村或村民小组" in row["message_zh"] and "河流" not in row["message_zh"]
    assert "another village or villager group" in row["message_en"] and "bridge" not in row["message_en"]
    far = TerrainGraph.from_edges(list(hh.index), g.xy, [(0, 1), (2, 3), (3, 4), (4, 5)], crs=g.crs)
    res = check_plan(hh, pd.Series(["A", "A", "B", "B", "B", "B"], index=hh.index), Rules(3, 4), graph=far)
    row = res.violations[res.violations["code"] == "SIZE-EXCEPTION"].iloc[0]
    assert "河流" in row["message_zh"] and "bridge" in row["message_en"]
