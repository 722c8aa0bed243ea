"""Two silent surprises of the Python API said as the command line says them (s49 N, third round).

1. gis.cover.service_network: a site given in longitude and latitude to a graph in metres ended unattached
   (thousands of kilometres off) without a word; the command line says COVER-SITE-FAR. Now the same code,
   catalogue entry and maker (gis.cover.far_sites), as a UserWarning; the command line prints what it printed.
2. gis.maturity.maturity_table added the units its scores rate that are missing from unit_ids as rows of their
   own; the command line stops on such a sheet (MAT-UNIT-UNKNOWN). Now MAT-TABLE-UNIT, an error.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from yuanluo.gis.cover import service_network
from yuanluo.gis.errors import InputError
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.maturity import CATEGORY_KEYS, INDICATOR_KEYS, maturity_table


def _graph() -> TerrainGraph:
    """Five households 60 m apart near Chengdu, in CGCS2000 3-degree zone 35 without the prefix (metres)."""
    xy = [[500_000.0 + 60 * i, 3_380_000.0] for i in range(5)]
    return TerrainGraph.from_edges([f"h{i}" for i in range(5)], xy, [(i, i + 1) for i in range(4)], crs="EPSG:4545")


def test_a_site_in_longitude_and_latitude_is_said_far(monkeypatch: pytest.MonkeyPatch) -> None:
    g = _graph()
    for lang, start, fix in (
        ("zh", "警告 COVER-SITE-FAR：以 “site_xy=” 给出的点中有 2 个离最近的农户也超过 300 米（最近的 341",
         "以带坐标系的 GeoDataFrame 或 GeoSeries 给出"),
        ("en", "Warning COVER-SITE-FAR: site_xy= holds 2 points more than 300 m from every household "
               "(the nearest 341",
         "give points in longitude and latitude as a GeoDataFrame or GeoSeries with its CRS"),
    ):
        monkeypatch.setenv("YUANLUO_LANG", lang)
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            net = service_network(g, [[500_100.0, 3_380_010.0], [104.06, 30.66], [104.07, 30.67]],
                                  site_ids=["hall", "村委会", "院坝"])
        said = [str(w.message) for w in seen]
        assert len(said) == 1, said
        assert said[0].startswith(start), said[0]
        assert fix in said[0] and ("村委会、院坝" if lang == "zh" else "村委会, 院坝") in said[0], said[0]
        assert net.reachable.tolist() == [True, False, False]
    # the same problem as the command line's maker gives, but for its option
    from yuanluo.gis.cover import far_sites

    p = far_sites(net, range(3), "--fixed", 300.0)[0]
    assert (p.code, p.params["names"], p.params["count"]) == ("COVER-SITE-FAR", ["村委会", "院坝"], 2)
    with warnings.catch_warnings():  # sites all attached: not a word
        warnings.simplefilter("error")
        service_network(g)  # the households themselves
        service_network(g, [[500_100.0, 3_380_010.0]])


def _scores(units: list[str]) -> pd.DataFrame:
    rows = [(u, "2026Q1", c, i, 6) for u in units for c in CATEGORY_KEYS for i in INDICATOR_KEYS]
    return pd.DataFrame(rows, columns=["unit_id", "period", "category", "indicator", "score"])


def test_maturity_table_says_scored_units_not_among_unit_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    scores = _scores(["U1", "U7", "U9"])
    for lang, start in (("zh", "错误 MAT-TABLE-UNIT：“maturity_table” 的评分表给 2 个不在 “unit_ids” 中的院落评了分：U7、U9。"),
                        ("en", "Error MAT-TABLE-UNIT: the scores given to maturity_table rate 2 units not among its "
                               "unit_ids: U7, U9.")):
        monkeypatch.setenv("YUANLUO_LANG", lang)
        with pytest.raises(InputError) as e:
            maturity_table(scores, ["U1", "U2"])
        assert str(e.value).startswith(start), str(e.value)
    # a units layer as unit_ids, the same; all of them known, or none given: the table as before
    with pytest.raises(InputError, match="MAT-TABLE-UNIT"):
        maturity_table(scores, pd.DataFrame({"unit_id": ["U1", "U2"]}))
    t = maturity_table(scores, ["U1", "U2", "U7", "U9"])
    assert t["unit_id"].tolist() == ["U1", "U2", "U7", "U9"] and t["n_rated"].tolist() == [6, 0, 6, 6]
    assert maturity_table(scores)["unit_id"].tolist() == ["U1", "U7", "U9"]
    assert np.allclose(maturity_table(scores)["mean"].to_numpy(dtype=float), 6.0)
