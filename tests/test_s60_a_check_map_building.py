"""``check --map`` of a plan that puts the households of one building into two units drew them as "units layer out
of date" (RESULT-UNITS-STALE: status 院落图层未更新, the rules "not checked again", "run yuanluo check") on the map
``yuanluo check`` itself had just made. The Andorra sample's plan with AD0007 typed from U003 into U004 (AD0006 and
AD0007 share one building's point): the cards of U003, U004 and U017 said so (/tmp/s60/A/findings.md). The map's
units are drawn from the plan (``unit_territories``), and no two polygons can both hold one point, so
:func:`yuanluo.gis.io.units_out_of_date` took the household in the other unit's polygon as moved. A household is
no longer taken as moved where a household of the unit whose polygon holds it shares its point; the count test
still finds a result edited in QGIS."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from badfiles import HEADER, good_rows, write_csv
from shapely.geometry import Point
from typer.testing import CliRunner

from yuanluo.gis.io import units_out_of_date
from yuanluo.gis.units import unit_territories
from yuanluo.maps.interactive import units_as_the_households_have_them
from yuanluo.planners.cli import app

runner = CliRunner()


def _village() -> gpd.GeoDataFrame:
    pts = [Point(0, 0), Point(30, 0), Point(60, 0), Point(60, 0), Point(90, 0), Point(120, 0)]  # 3 and 4: one building
    return gpd.GeoDataFrame({"unit_id": ["A", "A", "A", "B", "B", "B"], "persons": [2] * 6}, geometry=pts,
                            index=pd.Index([f"h{i}" for i in range(1, 7)], name="hid"), crs="EPSG:32648")


def test_one_building_in_two_units_is_not_out_of_date() -> None:
    hh = _village()
    terr = unit_territories(hh, hh["unit_id"])
    units = terr.assign(n_households=terr["unit_id"].map(hh["unit_id"].value_counts()))
    assert units_out_of_date(hh, units)[0] == []
    layers, said = units_as_the_households_have_them({"households": hh, "units": units})
    assert said is None and "stale" not in set(layers["units"].get("status", pd.Series(dtype=str)))
    # a household of another building typed into B is still found moved, and its count too
    moved = hh.assign(unit_id=["A", "B", "A", "B", "B", "B"])
    stale, flags = units_out_of_date(moved, units)
    assert stale == ["A", "B"] and flags.tolist() == [False, True, False, False, False, False]


def test_the_check_map_of_such_a_plan_says_the_rules(tmp_path) -> None:
    rows = good_rows(8)
    rows[3] = ",".join([rows[3].split(",")[0], *rows[2].split(",")[1:3], *rows[3].split(",")[3:]])  # 004 at 003's point
    hh = write_csv(tmp_path, "农户.csv", [HEADER, *rows])
    plan = write_csv(tmp_path, "方案.csv", ["户编号,院落编号", *(f"{i:03d},{'A' if i <= 3 else 'B'}" for i in range(1, 9))])
    page = tmp_path / "检查.html"
    res = runner.invoke(app, ["check", str(hh), "--crs", "EPSG:4490", "--plan", str(plan), "--min", "3", "--max", "5",
                              "--map", str(page), "--lang", "en"])
    assert res.exit_code in (0, 1), res.output
    html = page.read_text(encoding="utf-8")
    assert "RESULT-UNITS-STALE" not in html and "Units layer out of date" not in html
