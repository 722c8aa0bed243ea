"""A locked unit's heads are read from a text ``head_candidate`` column (是/否) as the delineator and the check
read it: 否 is no candidate (it counted as one, so a locked unit without a candidate showed a head)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.lock import locked_units


def _graph() -> TerrainGraph:
    return TerrainGraph(crs="EPSG:4545", ids=np.array(["a", "b", "c"], dtype=object), xy=np.zeros((3, 2)),
                        u=np.array([0, 1]), v=np.array([1, 2]), length_m=np.ones(2), walk_min=np.ones(2),
                        walk_uv=np.ones(2), walk_vu=np.ones(2))


def test_a_locked_unit_of_text_no_has_no_head() -> None:
    idx = pd.Index(["a", "b", "c"], name="hid")
    lab = pd.Series(["U1"] * 3, index=idx)
    as_text = locked_units(pd.DataFrame({"head_candidate": ["否", "否", "否"]}, index=idx), _graph(), lab, ["U1"])
    as_bool = locked_units(pd.DataFrame({"head_candidate": [False] * 3}, index=idx), _graph(), lab, ["U1"])
    cols = [c for c in as_bool.columns if c in ("n_heads", "has_head", "head_hid")]
    assert cols, as_bool.columns
    pd.testing.assert_frame_equal(as_text[cols], as_bool[cols])
    yes = locked_units(pd.DataFrame({"head_candidate": ["否", "是", "否"]}, index=idx), _graph(), lab, ["U1"])
    assert yes["head_hid"].tolist() == ["b"]
