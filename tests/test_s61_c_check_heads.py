"""Session 61, helper C: the check's units table carries each unit's candidate heads (issue 13).

A delineation's units layer, its xlsx and its map cards give each unit its number of candidate heads (``n_heads``),
its suggested head (``head_hid``: the candidate nearest the meeting point by walking time, ties by hid) and every
candidate (``head_candidates``); ``yuanluo check`` said none of it, so a planner who edits a plan in Excel and checks
it could not see who may head each unit. Now ``CheckResult.units`` has them whenever the households have a
candidate-head column (none without one: a count of 0 would read as a finding), measured to the household the
check walks each unit to (the plan's meeting point, else the unit's centre), by the delineator's own
``suggested_heads``; check_units.csv, the JSON, the report's units table and the check map's unit card show them.

Checked: a plan of the walk-limit village checked as delineated gives the same heads as its units layer; a chain
checked with and without meeting points and a walking limit; no columns without a candidate column; the CSV's
headers in zh and en and a formula-like id neutralised; the report's cells escaped and its head ids held to the
personal-data rule; the check map's cards list the candidates.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from shared_fixtures import chain, walk_limit_village
from typer.testing import CliRunner

from yuanluo.gis.catalogue import text
from yuanluo.gis.check import check_plan
from yuanluo.gis.errors import InputError
from yuanluo.gis.rules import Rules
from yuanluo.planners.cli import app
from yuanluo.planners.report import render_html
from yuanluo.planners.tables import check_csv_bytes

HEAD_COLS = ["n_heads", "head_hid", "head_candidates"]


def _rules(**kw: object) -> Rules:
    return Rules(2, 5, nest_by=(), keep_settlements=False, **kw)  # type: ignore[arg-type]


def _chain_plan(heads: bool = True) -> tuple[object, object, pd.Series]:
    """Households 000-007 100 m apart in a row; A = 000-003 (candidates 000, 002, 003), B = 004-007 (006)."""
    cols: dict[str, list[object]] = {"persons": [3] * 8}
    if heads:
        cols["head_candidate"] = [True, False, True, True, False, False, True, False]
    hh, g = chain(**cols)
    return hh, g, pd.Series(["A"] * 4 + ["B"] * 4, index=hh.index)


def _row(ids: list[str], heads: list[bool]) -> tuple[object, object]:
    """Households ``ids`` 100 m apart in a row with their candidate flags, and their graph."""
    import geopandas as gpd

    from yuanluo.gis.graph import TerrainGraph

    xy = [[100.0 * i, 0.0] for i in range(len(ids))]
    hh = gpd.GeoDataFrame({"head_candidate": heads}, index=pd.Index(ids, name="hid"),
                          geometry=gpd.points_from_xy(*np.asarray(xy).T), crs="EPSG:4545")
    return hh, TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(len(ids) - 1)], crs="EPSG:4545")


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> Path:
    v = walk_limit_village(tmp_path_factory.mktemp("village"))
    for lang in ("zh", "en"):
        res = CliRunner().invoke(app, ["check", str(v / "r.gpkg"), "--csv", str(v / f"c_{lang}.csv"), "--json",
                                       str(v / f"c_{lang}.json"), "--map", str(v / f"cm_{lang}.html"), "--report",
                                       str(v / f"c_{lang}.html"), "--lang", lang, "-q"])
        assert res.exit_code in (0, 1) and (v / f"c_{lang}_units.csv").is_file(), res.output
    return v


def test_chain_heads_to_centre_and_meeting_point() -> None:
    """Walked to the centre (001: the farthest member walks least to it, then the least in all, then the first
    hid) where no meeting point is given, with or without a walking limit: 000 and 002 a step away, 000 first by
    hid; walked to the meeting point 003: 003 itself, then 002, then 000."""
    hh, g, plan = _chain_plan()
    for kw in ({}, {"max_walk_min": 10.0}):
        u = check_plan(hh, plan, _rules(**kw), graph=g).units
        assert u[["unit_id", *HEAD_COLS]].to_dict("records") == [
            {"unit_id": "A", "n_heads": 3, "head_hid": "000", "head_candidates": ["000", "002", "003"]},
            {"unit_id": "B", "n_heads": 1, "head_hid": "006", "head_candidates": ["006"]}], kw
    u = check_plan(hh, plan, _rules(), graph=g, meeting_points={"A": "003", "B": "004"}).units
    assert u["head_hid"].tolist() == ["003", "006"]
    assert u["head_candidates"].tolist() == [["003", "002", "000"], ["006"]]
    # whether or not the rules ask for a head: the column says who the candidates are
    u = check_plan(hh, plan, _rules(require_head=False), graph=g).units
    assert u["n_heads"].tolist() == [3, 1]


def test_no_candidate_column_no_head_columns() -> None:
    """Without a candidate-head column nothing about heads is said: not 0 candidates in every unit."""
    hh, g, plan = _chain_plan(heads=False)
    res = check_plan(hh, plan, _rules(), graph=g)
    assert not set(HEAD_COLS) & set(res.units.columns)
    _, ub = check_csv_bytes(res.violations, res.units, "zh")
    assert text("field.head_hid", "zh") not in ub.decode("utf-8-sig")
    assert text("field.head_hid", "en") not in render_html(res, lang="en")


def test_unit_lacking_a_candidate() -> None:
    """A unit without a candidate: 0, no suggested head, an empty list (blank cells in the CSV)."""
    hh, g, plan = _chain_plan()
    hh = hh.assign(head_candidate=[True, False, True, True, False, False, False, False])
    res = check_plan(hh, plan, _rules(), graph=g)
    b = res.units.set_index("unit_id").loc["B"]
    assert (b["n_heads"], b["head_hid"], b["head_candidates"]) == (0, "", [])
    _, ub = check_csv_bytes(res.violations, res.units, "en")
    rows = ub.decode("utf-8-sig").splitlines()
    assert rows[2].endswith(",0,,"), rows


def test_empty_unit_row() -> None:
    """A unit polygon holding no household (PLAN-EMPTY-UNIT) has its row with no candidate, as a unit lacking one."""
    from yuanluo.gis.errors import problem

    hh, g, plan = _chain_plan()
    res = check_plan(hh, plan, _rules(), graph=g, plan_problems=[problem("PLAN-EMPTY-UNIT", file="u.gpkg", ids=["C"])])
    c = res.units.set_index("unit_id").loc["C"]
    assert (c["n_households"], c["n_heads"], c["head_hid"], c["head_candidates"]) == (0, 0, "", [])
    assert res.units["n_heads"].tolist() == [3, 1, 0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_csv_headers_and_no_formula(lang: str) -> None:
    """check_units.csv: the catalogue's field names as headers; a candidate whose id begins a formula neutralised."""
    ids = ["=1+1", "h1", "@SUM(A1)", "h3"]
    hh, g = _row(ids, [True, False, True, False])
    res = check_plan(hh, pd.Series(["U1"] * 4, index=ids), Rules(2, 5, nest_by=(), keep_settlements=False), graph=g)
    _, ub = check_csv_bytes(res.violations, res.units, lang)  # type: ignore[arg-type]
    head, row = pd.read_csv(pd.io.common.BytesIO(ub), dtype=str, encoding="utf-8-sig", keep_default_na=False).pipe(
        lambda t: (list(t.columns), t.iloc[0].to_dict()))
    assert head[-3:] == [text(f"field.{c}", lang) for c in HEAD_COLS]  # type: ignore[arg-type]
    cells = [row[h] for h in head[-3:]]
    # walked to the centre @SUM(A1) (of h1 and it, the first hid), itself a candidate
    assert cells == ["2", "'@SUM(A1)", "'@SUM(A1);=1+1"], cells
    assert not any(c and c[0] in "=+-@" for c in row.values())


def test_report_cells_escaped_and_personal_ids() -> None:
    """The report's units table: the three columns, the ids escaped, each on one line; a suggested head that is a
    mobile number is shown only with include_personal (no finding names that household)."""
    ids = ["<b>h0", "h1", "h2", "h3"]
    hh, g = _row(ids, [True, False, True, False])
    res = check_plan(hh, pd.Series(["U1"] * 4, index=ids), Rules(2, 5, nest_by=(), keep_settlements=False), graph=g)
    for lang in ("zh", "en"):
        page = render_html(res, lang=lang)  # type: ignore[arg-type]
        table = page[page.index('<table class="units">'):]
        heads = re.findall(r"<th>([^<]*)</th>", table[:table.index("</thead>")])
        assert heads[-3:] == [text(f"field.{c}", lang) for c in HEAD_COLS]  # type: ignore[arg-type]
        assert "<b>h0" not in page and '<span class="nb">&lt;b&gt;h0</span>' in table
        sep = text("report.sep", lang)  # type: ignore[arg-type]
        assert f'<td class=\'heads\'><span class="nb">&lt;b&gt;h0</span>{sep}<span class="nb">h2</span></td>' in table
    phones = ["13912345678", "13912345679", "13912345680", "13912345681"]
    hh, g = _row(phones, [True, False, True, False])
    res = check_plan(hh, pd.Series(["U1"] * 4, index=phones), Rules(2, 5, nest_by=(), keep_settlements=False),
                     graph=g)
    assert res.passed and not len(res.violations)
    with pytest.raises(InputError) as err:
        render_html(res)
    assert err.value.codes == ["ID-PERSONAL-PAGE"]
    assert "13912345678" in render_html(res, include_personal=True)


def test_checked_as_delineated_same_heads(village: Path) -> None:
    """The delineation's units layer and the check of its own plan agree on every unit's heads, in the CSV (zh and
    en headers) and the JSON; the units lacking a candidate (the village's HEAD-SHORT ones) have 0 and blanks."""
    import geopandas as gpd

    layer = gpd.read_file(village / "r.gpkg", layer="units").set_index("unit_id")
    want = {u: (int(r["n_heads"]), str(r["head_hid"] or ""), json.loads(r["head_candidates"]))
            for u, r in layer.iterrows()}
    assert any(n == 0 for n, _, _ in want.values()) and any(n > 0 for n, _, _ in want.values())
    for lang in ("zh", "en"):
        t = pd.read_csv(village / f"c_{lang}_units.csv", dtype=str, encoding="utf-8-sig", keep_default_na=False)
        names = [text(f"field.{c}", lang) for c in ("unit_id", *HEAD_COLS)]  # type: ignore[arg-type]
        got = {r[names[0]]: (int(r[names[1]]), r[names[2]], [x for x in r[names[3]].split(";") if x])
               for r in t.to_dict("records")}
        assert got == want, lang
        doc = json.loads((village / f"c_{lang}.json").read_text(encoding="utf-8"))
        assert {u["unit_id"]: (u["n_heads"], u["head_hid"], u["head_candidates"]) for u in doc["units"]} == want


def _card_data(page: str) -> tuple[list[str], list[list[str] | None], bool]:
    """The unit ids, candidate lists and 'heads known' flag the check map's unit cards read."""
    dec = json.JSONDecoder()
    at = page.index('"headIds":')
    heads_ids = dec.raw_decode(page, at + len('"headIds":'))[0]
    units = dec.raw_decode(page, page.rindex('{"units":', 0, at) + len('{"units":'))[0]
    known = dec.raw_decode(page, page.rindex('"heads":', 0, at) + len('"heads":'))[0]
    return units, heads_ids, known


def test_check_map_card_lists_candidates(village: Path) -> None:
    """The check map's unit card has each unit's candidates (the suggested head first), as the delineation's map."""
    import geopandas as gpd

    layer = gpd.read_file(village / "r.gpkg", layer="units").set_index("unit_id")
    for lang in ("zh", "en"):
        units, lists, known = _card_data((village / f"cm_{lang}.html").read_text(encoding="utf-8"))
        assert known is True
        want = [json.loads(layer.loc[u, "head_candidates"]) or None for u in units]
        assert lists == want and any(lists) and None in lists, lang
    assert np.isin(list(layer.index), units).all()
