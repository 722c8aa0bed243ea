"""The quickstart notebook says the household table as the command line does (session 41, audit G's finding 12).

The notebook's check printed RULE-UNAPPLIED as 院落不跨村（住户表没有这一列） where ``yuanluo check`` says 农户表 of the
same rule; the Python API's sentences of a rule not applied now say 农户表 too (English unchanged).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import nbformat
import pandas as pd
from shapely.geometry import Point

from yuanluo.gis.check import check_plan
from yuanluo.gis.rules import Rules

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "quickstart.ipynb"


def test_the_python_api_and_the_saved_notebook_say_nonghubiao() -> None:
    hh = gpd.GeoDataFrame(geometry=[Point(0, 0), Point(30, 0)], index=pd.Index(["a", "b"], name="hid"),
                          crs="EPSG:32648")
    res = check_plan(hh, pd.Series("U1", index=hh.index), Rules(1, 5, nest_by=("village",)))
    said = res.violations.loc[res.violations["code"] == "RULE-UNAPPLIED", "message_zh"].tolist()
    assert said and all("农户表" in s and "住户表" not in s for s in said), said
    nb = nbformat.read(NOTEBOOK, as_version=4)
    stream = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "院落不跨村（农户表没有这一列）" in stream and "住户表" not in stream
