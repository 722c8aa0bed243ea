"""Session 32, fixer FF: the suggested head is called so (建议院落长 / Suggested head) in every table, as on the map:
the QGIS aliases, the Excel units sheet (院落汇总) and the hierarchy table said 院落长 / Head, an appointed head."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

from yuanluo.gis.hierarchy import build_hierarchy, hierarchy_table
from yuanluo.gis.layerstyle import header_names, layer_aliases


@pytest.mark.parametrize(("lang", "want"), [("zh", "建议院落长（户编号）"), ("en", "Suggested head (household)")])
def test_the_suggested_head_is_called_so_in_every_table(lang: str, want: str) -> None:
    assert layer_aliases(["head_hid"], lang, "units") == {"head_hid": want}  # QGIS aliases
    assert header_names(["unit_id", "head_hid"], lang, "units")[1] == want  # the Excel/CSV units sheet
    hh = gpd.GeoDataFrame({"village": ["V", "V"], "head_candidate": [True, False]},
                          geometry=gpd.points_from_xy([0, 10], [0, 0]), index=pd.Index(["a", "b"], name="hid"),
                          crs="EPSG:4545")
    table = hierarchy_table(build_hierarchy(hh, pd.Series({"a": "U1", "b": "U1"})))
    assert table["head_hid"].tolist() == ["a", "a"] and want in header_names(table.columns, lang)
