"""One word for the household file (session 42, helper D): 9350bfc made the Python API's rule sentences say 农户表,
as the command line does, but 住户表 (and 住户文件) stayed in other texts: the nesting fix of an isolated household,
an empty or multi-level household table, the seeds, the --fields column notes, the file hints of read_households.
Every Chinese text now says 农户表 / 农户文件."""
from __future__ import annotations

import pandas as pd
import pytest
from shared_fixtures import chain

from yuanluo.gis.catalogue import catalogue
from yuanluo.gis.check import check_plan
from yuanluo.gis.errors import InputError
from yuanluo.gis.neighbours import require_id_index
from yuanluo.gis.rules import Rules


def test_no_chinese_text_says_zhuhu_biao() -> None:
    said = {f"{key}.{field}": t for key, entry in catalogue().items() for field, t in entry["zh"].items()
            if "住户表" in t or "住户文件" in t}
    assert not said, said


def test_the_python_api_says_nonghu_biao() -> None:
    hh, g = chain(persons=[2, 3, 2])
    with pytest.raises(InputError) as e:
        check_plan(hh.iloc[:0], pd.Series(dtype=object), Rules(3, 3, require_head=False, keep_settlements=False),
                   graph=g)
    assert e.value.problems[0].title("zh").startswith("农户表是空的"), e.value.problems[0].title("zh")
    with pytest.raises(InputError) as e:
        require_id_index(hh.assign(v="V1").set_index("v", append=True))
    assert e.value.problems[0].title("zh").startswith("农户表的索引有 2 层"), e.value.problems[0].title("zh")
