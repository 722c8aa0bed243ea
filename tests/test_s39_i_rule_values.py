"""``Rules(...)`` given a value of the wrong kind (audit s39 F, an analyst in Jupyter).

``Rules(10, 20, max_walk_min='8')`` and ``join_limit_min=None`` raised raw TypeErrors ('>' not supported …);
``nest_by=5`` was accepted; ``Rules(np.int64(10), 20)`` was refused while ``UnitDelineator(min_size=np.int64(15))``
took it; and RULE-CONFIG's fix spoke of the size bounds whatever the setting. Now every setting is checked
(whole numbers: any ``numbers.Integral`` but a bool, kept as ``int``; minutes: any real number, not text, bool or
NaN), each wrong one is its own RULE-CONFIG with its own fix, in Chinese and English."""

from __future__ import annotations

import numpy as np
import pytest

from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.errors import RuleConfigError
from yuanluo.gis.rules import Rules

# setting, wrong value, what its fix says in zh and in en (and not the size bounds' sentence)
CASES = [
    ("max_walk_min", "8", "max_walk_min=8", "max_walk_min=None"),
    ("max_walk_min", True, "max_walk_min=8", "max_walk_min=None"),
    ("max_walk_min", float("nan"), "max_walk_min=8", "max_walk_min=None"),
    ("join_limit_min", None, "join_limit_min=20", "join_limit_min=0"),
    ("join_limit_min", "20", "join_limit_min=20", "join_limit_min=0"),
    ("nest_by", 5, 'nest_by=("village", "group")', "nest_by=()"),
    ("nest_by", [5], 'nest_by=("village", "group")', "nest_by=()"),
    ("size_by", "rows", 'size_by="persons"', "households"),
    ("heads_for_size", 2.5, "heads_for_size=30", "heads_for_size=None"),
    ("heads_for_size", "30", "heads_for_size=30", "heads_for_size=None"),
]


@pytest.mark.parametrize(("setting", "value", "example", "other"), CASES)
def test_a_wrong_setting_is_a_coded_error_with_its_own_fix(setting: str, value: object, example: str,
                                                           other: str) -> None:
    with pytest.raises(RuleConfigError) as err:
        Rules(10, 20, **{setting: value})  # type: ignore[arg-type]
    assert err.value.codes == ["RULE-CONFIG"]
    zh, en = err.value.problems[0].fix("zh"), err.value.problems[0].fix("en")
    for fix in (zh, en):
        assert example in fix and other in fix and setting in fix, fix
    assert "户数下限" not in zh and "size bounds" not in en
    assert "须为" in zh and "must be" in en
    assert not any("\u4e00" <= c <= "\u9fff" for c in en)
    shown = f"{setting}={value!r}" if setting != "nest_by" else f"{setting}="
    assert shown in err.value.render("en") and shown in err.value.render("zh")


def test_each_wrong_setting_is_said_once_with_the_size_bounds_their_own() -> None:
    with pytest.raises(RuleConfigError) as err:
        Rules(0, 20, max_walk_min="8", nest_by=5)  # type: ignore[arg-type]
    details = [p.params["detail"] for p in err.value.problems]
    assert details == ["min_size=0", "max_walk_min='8'", "nest_by=5"]
    assert "min_size <= max_size" in err.value.problems[0].fix("en")


def test_numpy_numbers_are_taken_as_the_delineator_takes_them() -> None:
    r = Rules(np.int64(10), np.int32(20), heads_for_size=np.int64(15), max_walk_min=np.float32(7.5),
              join_limit_min=np.int64(5))
    assert (r.min_size, r.max_size, r.heads_for_size, r.max_walk_min, r.join_limit_min) == (10, 20, 15, 7.5, 5.0)
    assert [type(v) for v in (r.min_size, r.max_size, r.heads_for_size, r.max_walk_min, r.join_limit_min)] == \
        [int, int, int, float, float]
    assert r == Rules(10, 20, heads_for_size=15, max_walk_min=7.5, join_limit_min=5)
    assert UnitDelineator.from_rules(r).min_size == UnitDelineator(min_size=np.int64(10)).min_size
    with pytest.raises(RuleConfigError):
        Rules(True, 20)  # type: ignore[arg-type]
    assert Rules(10, 20, max_walk_min=8).max_walk_min == 8  # plain numbers as given
