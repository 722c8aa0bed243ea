"""A unit whose name is empty in the GeoPackage (read as NaN) is headed by its id alone in the maturity report,
never "U2 nan" (seen by helper E in session 55 in the report of tests/test_s55_e_report_font.py's fixture)."""

from __future__ import annotations

import math

import pandas as pd

from yuanluo.gis.maturity import CATEGORY_KEYS, maturity_table, village_summary
from yuanluo.planners.maturity import report_html


def _page(lang: str) -> str:
    u = pd.DataFrame({"unit_id": ["U1", "U2"], "name": ["东院", math.nan], "village": ["V", "V"]})
    sc = pd.DataFrame([(uid, "P1", c, i, 7) for uid in ("U1", "U2") for c in CATEGORY_KEYS
                       for i in ("content", "effect", "satisfaction")],
                      columns=["unit_id", "period", "category", "indicator", "score"])
    t = maturity_table(sc, ["U1", "U2"])
    return report_html(t, village_summary(t, {"U1": "V", "U2": "V"}), u, lang=lang)  # type: ignore[arg-type]


def test_a_missing_name_is_no_name_in_the_report() -> None:
    for lang in ("zh", "en"):
        page = _page(lang)
        assert "U1 东院" in page and "U2" in page
        assert "U2 nan" not in page and "U2 NaN" not in page


def test_unit_names_leaves_out_blank_and_missing() -> None:
    from yuanluo.planners.maturity import unit_names

    u = pd.DataFrame({"unit_id": ["U1", "U2", "U3", "U4"], "name": [None, math.nan, " ", "西院"]})
    assert unit_names(u) == {"U4": "西院"}
    assert unit_names(pd.DataFrame({"unit_id": ["U1"]})) == {}
