"""Every output lists towns, villages and groups in the order of the planner's own roster (session 37, helper B).

The reports' village line (check --report, cover --report) and the coverage layer and tables listed them by name,
so by code point: 乙镇 (U+4E59) before 甲镇 (U+7532), 三组 before 二组, 光明村 before 新华村 before 红星村; the
maturity outputs listed them in the units layer's order. They now all follow the roster
(yuanluo.gis.keys.roster_order): the towns as the household file first names them, each town's villages together
as it first names them, then their groups; the same file, the same order. The roster below types 乙镇 first but
gives 甲镇's households the smaller ids, so the units layer (numbered by the smallest id) starts with 甲镇: every
output follows the roster, not the ids."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyogrio
import pytest
from shared_fixtures import fill_maturity_sheet, run_cli

from yuanluo.gis.keys import first_seen_order, nest_key, roster_order

LON0, LAT0 = 106.55, 29.56
#: (town, village, first id) of each run, in the roster's order: 乙镇 typed first, with the larger ids
RUNS = [("乙镇", "新华村", 101), ("乙镇", "长江村", 111), ("甲镇", "新华村", 1), ("甲镇", "光明村", 11),
        ("甲镇", "红星村", 21)]
GROUPS = ["二组", "一组"]  # typed 二组 first in every village
ORDER = [f"{t}/{v}" for t, v, _ in RUNS]


# ------------------------------------------------------------------------------------------- the shared order
def test_roster_order_ranks_places_as_the_file_first_names_them() -> None:
    hh = pd.DataFrame({"乡镇": ["乙镇", "甲镇", "乙镇", "甲镇", " 乙镇", None],
                       "village": ["新华村", "新华村", "长江村", "光明村", "新华村", "红星村"]})
    rank = roster_order(hh, ["village"])
    assert rank.tolist() == [0, 2, 1, 3, 0, 4]  # 乙镇's two villages, then 甲镇's, then the blank town's
    # the same groups as the nest key, only numbered otherwise
    key = nest_key(hh, ["village"])
    assert len(set(zip(rank, key, strict=True))) == len(set(rank)) == len(set(key))
    assert roster_order(hh.iloc[::-1], ["village"]).tolist() == [0, 1, 3, 2, 4, 1]  # the rows' order decides
    assert roster_order(hh, ["group"]).tolist() == [0] * 6  # no such column


def test_first_seen_order_keeps_each_place_together_under_the_one_above() -> None:
    towns = ["甲镇", "乙镇", "甲镇", "乙镇", "甲镇"]
    groups = ["二组", "一组", "一组", "二组", "二组"]
    assert first_seen_order(towns, groups).tolist() == [0, 2, 1, 3, 0]
    assert first_seen_order(np.array([], dtype=object)).tolist() == []


# ------------------------------------------------------------------------------------------- every output
def _households(tmp: Path, town: bool) -> Path:
    lines = ["户编号,经度,纬度,人口," + ("乡镇," if town else "") + "行政村,村民小组"]
    for r, (t, v, first) in enumerate(RUNS):
        if not town and t == "乙镇":
            v = {"新华村": "新民村"}.get(v, v)  # without towns the two 新华村 would be one village
        for g, group in enumerate(GROUPS):
            for k in range(5):
                lon = LON0 + r * 0.008 + g * 0.0025 + (k % 3) * 0.0004
                lines.append(f"{first + g * 5 + k:03d},{lon:.6f},{LAT0 + (k // 3) * 0.0004:.6f},3,"
                             + (f"{t}," if town else "") + f"{v},{group}")
    p = tmp / "hh.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def _maturity(tmp: Path, gpkg: Path) -> tuple[Path, Path]:
    sheet = tmp / "t.xlsx"
    run_cli(["maturity", "template", str(gpkg), "-o", str(sheet)])
    fill_maturity_sheet(sheet, tmp / "filled.xlsx")
    out, report = tmp / "m.gpkg", tmp / "m.html"
    run_cli(["maturity", "load", str(gpkg), str(tmp / "filled.xlsx"), "-o", str(out), "--report", str(report)])
    return out, report


def _village_line(page: Path) -> list[str]:
    """The village line of a report's header (村 …), its names."""
    m = re.search(r"<dt>村</dt><dd>(.*?)</dd>", page.read_text(encoding="utf-8"))
    assert m, page
    return html.unescape(m.group(1)).rstrip("…").split("、")


@pytest.fixture(scope="module", params=[True, False], ids=["towns", "no_town"])
def outputs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    town = bool(request.param)
    tmp = tmp_path_factory.mktemp("s37_b_order")
    gpkg = tmp / "u.gpkg"
    run_cli(["delineate", str(_households(tmp, town)), "--crs", "EPSG:4490", "--min", "4", "--max", "8",
             "-o", str(gpkg)])
    check, cover, covered = tmp / "r.html", tmp / "c.html", tmp / "c.gpkg"
    run_cli(["check", str(gpkg), "--report", str(check)])
    run_cli(["cover", str(gpkg), "-o", str(covered), "--report", str(cover)])
    maturity, mreport = _maturity(tmp, gpkg)
    order = ORDER if town else [v if t == "甲镇" else {"新华村": "新民村"}.get(v, v) for t, v, _ in RUNS]
    return {"town": town, "order": order, "gpkg": gpkg, "check": check, "cover": cover, "covered": covered,
            "maturity": maturity, "mreport": mreport}


def _shown(order: list[str], town: bool) -> list[str]:
    """The village line's names: a village by its town only where two towns each have one of its name (新华村)."""
    return [v if not town or v.endswith("/新华村") else v.split("/")[1] for v in order]


def _rows(table: str) -> list[list[str]]:
    """The cells of each row of an HTML table."""
    return [re.findall(r"<td[^>]*>(.*?)</td>", tr, flags=re.S) for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", table,
                                                                                    flags=re.S)]


def test_the_units_layer_is_numbered_otherwise(outputs: dict[str, Any]) -> None:
    units = pyogrio.read_dataframe(outputs["gpkg"], layer="units", read_geometry=False)
    assert units["village"].iloc[0] == "新华村" and units.loc[0, "unit_id"] == "U001"
    if outputs["town"]:
        assert units["town"].iloc[0] == "甲镇"  # the smallest ids: a control that ids and roster differ


def test_the_reports_village_line_follows_the_roster(outputs: dict[str, Any]) -> None:
    want = _shown(outputs["order"], outputs["town"])[:3]
    assert _village_line(outputs["check"]) == want  # was 乙镇/新华村、长江村、甲镇/新华村 … by name
    assert _village_line(outputs["cover"]) == want


def test_the_coverage_layer_and_tables_follow_the_roster(outputs: dict[str, Any]) -> None:
    cov = pyogrio.read_dataframe(outputs["covered"], layer="coverage", read_geometry=False)
    cov = cov[~cov["total"].astype(bool)]
    town = bool(outputs["town"])
    villages = cov[cov["level"] == "village"]
    named = [f"{t}/{v}" for t, v in zip(villages["town"], villages["village"], strict=True)] if town \
        else list(villages["village"])
    assert named == outputs["order"]  # by name: 乙镇 before 甲镇, 光明村 before 新华村
    groups = cov[cov["level"] == "group"]
    assert list(groups["group"]) == GROUPS * len(RUNS)  # 二组 typed first: by name 一组 came first
    page = outputs["cover"].read_text(encoding="utf-8")
    tables = re.findall(r"<table.*?</table>", page[page.index('id="areas"'):], flags=re.S)
    rows = [r for r in _rows(tables[0]) if r][:len(RUNS)]  # the villages' table, before its total row
    assert [f"{r[0]}/{r[1]}" if town else r[0] for r in rows] == outputs["order"]
    groups_shown = [r[1 if town else 0] for r in _rows(tables[1]) if r][:2]
    assert [g.split(" ")[-1] for g in groups_shown] == GROUPS


def test_the_maturity_outputs_follow_the_roster(outputs: dict[str, Any]) -> None:
    v = pyogrio.read_dataframe(outputs["maturity"], layer="village_maturity", read_geometry=False)
    named = [f"{t}/{x}" for t, x in zip(v["town"], v["village"], strict=True)] if outputs["town"] \
        else list(v["village"])
    assert named == outputs["order"]  # was the units layer's order: 甲镇 first (without a town: by name)
    heads = re.findall(r"<h2>(.*?)</h2>", outputs["mreport"].read_text(encoding="utf-8"))
    assert heads == outputs["order"]


def test_a_point_serving_several_places_names_them_in_the_rosters_order() -> None:
    from yuanluo.planners.cover import in_roster, roster_ranks

    hh = pd.DataFrame({"乡镇": ["乙镇", "甲镇", "乙镇"], "village": ["新华村", "新华村", "长江村"],
                       "group": ["三组", "二组", "一组"]})
    ranks = roster_ranks(hh)
    assert in_roster(["甲镇", "乙镇"], ranks["town"]) == ["乙镇", "甲镇"]
    assert in_roster(["长江村", "甲镇/新华村", "乙镇/新华村"], ranks["village"]) == [
        "乙镇/新华村", "长江村", "甲镇/新华村"]
