"""verify_delineation(nest_by="group") checks the group column: a bare string was read as its letters
('g', 'r', ...), none a column, so a unit straddling two groups passed in silence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.invariants import InvariantError, verify_delineation
from yuanluo.gis.keys import nest_key


def _line(n: int) -> tuple[pd.DataFrame, TerrainGraph]:
    hh = pd.DataFrame({"group": ["1组"] * (n // 2) + ["2组"] * (n - n // 2)},
                      index=pd.Index([f"H{i}" for i in range(n)], name="hid"))
    g = TerrainGraph(u=np.arange(n - 1), v=np.arange(1, n), walk_min=np.ones(n - 1),
                     length_m=np.full(n - 1, 50.0), ids=hh.index.to_numpy(), crs="EPSG:4545",
                     xy=np.c_[np.arange(n) * 50.0, np.zeros(n)])
    return hh, g


def test_a_bare_string_is_one_nesting_column() -> None:
    hh, g = _line(6)
    labels = pd.Series(["U1"] * 6, index=hh.index)
    status = pd.Series(["ok"] * 6, index=hh.index)
    with pytest.raises(InvariantError):
        verify_delineation(hh, g, labels, status, (1, 10), nest_by="group")
    verify_delineation(hh, g, labels, status, (1, 10), nest_by="village")  # absent column: nothing to keep
    assert nest_key(hh, "group").tolist() == nest_key(hh, ["group"]).tolist() == [0, 0, 0, 1, 1, 1]
