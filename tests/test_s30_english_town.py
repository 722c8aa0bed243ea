"""An English run names the organisation tree's root "Town" when no town is given (the demo and the Python
workflow wrote the Chinese default 镇 into the hierarchy layer of an English result)."""
from __future__ import annotations

from pathlib import Path

from badfiles import HEADER, good_rows, write_csv

from yuanluo.gis.rules import Rules
from yuanluo.planners import workflows as W


def test_the_default_town_is_in_the_run_language(tmp_path: Path) -> None:
    hh = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(12)])
    inputs = W.load_inputs(hh, crs="EPSG:4490")
    rules = Rules(min_size=4, max_size=8)
    for lang, town in (("en", "Town"), ("zh", "镇")):
        result = W.delineate(inputs, rules, lang=lang)
        assert set(result.layers["hierarchy"]["town"]) == {town}, result.layers["hierarchy"]["town"]
    named = W.delineate(inputs, rules, lang="en", town="Yudong")
    assert set(named.layers["hierarchy"]["town"]) == {"Yudong"}
