"""The hierarchy layer named the town level 镇 (``field.town``) while every other output (the units layer, the plan
workbook, the maturity template, village_maturity; session 35) said 乡镇: one name, 乡镇 / Town, wherever a layer
has a ``town`` column (session 36, fixer GD)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shared_fixtures import gpkg_aliases as _aliases
from shared_fixtures import two_town_result

from yuanluo.gis.layerstyle import field_alias


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return two_town_result(tmp_path_factory.mktemp("gd_town"))


# ------------------------------------------------------------------------------------- 1. one name for the level
def test_the_hierarchy_layer_names_the_town_as_the_units_layer_does(result: Path) -> None:
    aliases = _aliases(result)
    assert aliases[("units", "town")] == "乡镇"
    assert aliases[("hierarchy", "town")] == "乡镇"  # was 镇
    assert {a for (_, col), a in aliases.items() if col == "town"} == {"乡镇"}
    tree = gpd.read_file(result, layer="hierarchy")
    assert set(tree["town"]) == {"甲镇", "乙镇"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_layer_with_a_town_column_says_the_same_word(lang: str) -> None:
    word = {"zh": "乡镇", "en": "Town"}[lang]
    for layer in ("hierarchy", "units", "plan", "village_maturity", "hubs", "coverage", None):
        assert field_alias("town", lang, layer) == word, layer


