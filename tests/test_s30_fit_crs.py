"""fit refuses households without a CRS as check_plan and build_graph do (CRS-UNSET): it fitted them, and the
model's own check then refused them (audit s30 Y §4). A plain DataFrame without geometry still takes the graph's."""
from __future__ import annotations

import pandas as pd
import pytest

from yuanluo import UnitDelineator, make_village
from yuanluo.gis.errors import CRSError
from yuanluo.gis.neighbours import build_graph


def test_fit_of_households_without_a_crs_is_crs_unset() -> None:
    v = make_village(60, seed=1)
    hh = v.households
    g = build_graph(hh, rivers=v.rivers)
    with pytest.raises(CRSError) as e:
        UnitDelineator(min_size=5, max_size=15).fit(hh.set_crs(None, allow_override=True), g)
    assert e.value.codes == ["CRS-UNSET"]
    plain = pd.DataFrame(hh.drop(columns=hh.geometry.name))
    m = UnitDelineator(min_size=5, max_size=15).fit(plain, g)
    assert len(m.labels_) == len(hh)
