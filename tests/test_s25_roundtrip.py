"""Round trips (audit H): plans and results that went through Excel or QGIS and came back into Yuanluo."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo.gis.plan import read_plan_table
from yuanluo.planners.cli import app

sys.path.insert(0, str(Path(__file__).parent))
from badfiles import HEADER, good_gdf, good_rows, write_csv  # noqa: E402

runner = CliRunner()


# ------------------------------------------------------------------ 1: a blank unit cell after Excel
def test_a_blank_unit_row_gets_its_leading_zeros_back_like_the_others(tmp_path: Path) -> None:
    """The editor's export with one household in no unit, saved by Excel (zeros lost): 43 was PLAN-UNKNOWN-ID
    (and check reported the household twice), so repair, edit --plan and delineate --plan stopped."""
    hh = pd.DataFrame(index=pd.Index(["000005", "000006", "000010"], name="hid"))
    plan = tmp_path / "plan.csv"
    plan.write_text("户编号,院落编号\n5,U1\n6,\n10,U2\n", encoding="gbk")
    labels, probs = read_plan_table(plan, hh)
    assert labels.fillna("-").to_dict() == {"000005": "U1", "000006": "-", "000010": "U2"}
    by = {p.code: p for p in probs}
    assert set(by) == {"PLAN-ID-ZEROS", "PLAN-UNASSIGNED"}, sorted(by)
    assert by["PLAN-ID-ZEROS"].rows == (2, 3, 4) and by["PLAN-UNASSIGNED"].ids == ("000006",)


def test_repair_reads_an_excel_plan_with_a_blank_unit(tmp_path: Path) -> None:
    hh = write_csv(tmp_path, "h.csv", [HEADER, *good_rows(6)])
    plan = tmp_path / "plan.csv"
    plan.write_text("户编号,院落编号\n" + "".join(f"{i},{'' if i == 4 else 'U1'}\n" for i in range(1, 7)),
                    encoding="gbk")
    res = runner.invoke(app, ["repair", str(hh), "--crs", "EPSG:4490", "--plan", str(plan), "--min", "3",
                              "--max", "8", "-o", str(tmp_path / "fixed.csv")])
    assert res.exit_code == 0, res.output
    assert "PLAN-UNKNOWN-ID" not in res.output and "PLAN-ID-ZEROS" in res.output
    fixed = pd.read_csv(tmp_path / "fixed.csv", dtype=str)
    assert "004" in set(fixed.iloc[:, 0])


# ------------------------------------------------------------------ 8: a Shapefile cuts field names to 10 bytes
def _every_alias() -> list[tuple[str, str]]:
    from yuanluo.gis import columns as C

    out = [(canon, a) for canon, al in C.ALIASES.items() for a in al]
    out += [("status", a) for a in C.STATUS_ALIASES]
    out += [("party", a) for a in C.PARTY_ALIASES if a not in C.STATUS_ALIASES]
    out += [("head", a) for a in C.HEAD_ALIASES if a not in C.PARTY_ALIASES]
    out += [("code", a) for a in C.CODE_ALIASES]
    return out


def _kind(name: str) -> str | None:
    from yuanluo.gis import columns as C

    canon = C.canonical_of(name)
    if canon is not None:
        return canon
    if C.is_status_column(name):
        return "status"
    heads, party = C.head_columns([name])
    if party:
        return "party"
    if heads:
        return "head"
    return "code" if C.code_columns([name]) else None


def test_every_alias_longer_than_a_dbf_name_is_read_in_its_cut_form() -> None:
    """QGIS saved head_candidate as head_candi and party_member as party_memb: the head rule went unchecked.
    Every alias the tool knows, cut as a Shapefile cuts it (10 bytes, UTF-8 or GBK), reads as the alias."""
    long = [(k, a) for k, a in _every_alias() if len(a.encode("utf-8")) > 10 or len(a.encode("gbk")) > 10]
    assert ("head", "head_candidate") in long and ("party", "party_member") in long
    for kind, alias in _every_alias():
        assert _kind(alias) == kind, alias
    checked = 0
    for kind, alias in long:
        for enc in ("utf-8", "gbk"):
            cut = alias.encode(enc)[:10].decode(enc, errors="ignore")
            if cut == alias or len(cut) < 4:
                continue  # fits, or three Chinese characters of UTF-8: too short to say what the column is
            checked += 1
            assert _kind(cut) == kind, (alias, enc, cut)
            assert _kind(cut.upper()) == kind, (alias, enc, cut)
    assert checked >= 10
    for alias in (a for _, a in _every_alias() if len(a) > 10):
        assert _kind(alias[:10]) is not None, alias


def test_a_households_shapefile_keeps_its_candidate_head_columns(tmp_path: Path) -> None:
    g = good_gdf(6, crs=4545)
    g["unit_id"] = ["U1"] * 3 + ["U2"] * 3
    g["head_candidate"] = ["是", "否", "否", "否", "否", "否"]
    g["party_member"] = ["否"] * 6
    shp = tmp_path / "h.shp"
    with warnings.catch_warnings():  # "names longer than 10 characters will be truncated": that is the point
        warnings.simplefilter("ignore")
        g.to_file(shp, encoding="utf-8")
    import geopandas as gpd

    assert {"head_candi", "party_memb"} <= set(gpd.read_file(shp).columns)  # as a Shapefile writes them
    res = runner.invoke(app, ["check", str(shp), "--unit-col", "unit_id", "--min", "2", "--max", "5"])
    assert res.exit_code in (0, 1), res.output
    assert "--head-col" not in res.output, res.output
    assert "HEAD-" in res.output, res.output  # U2 has no candidate: the rule is checked


def test_a_plan_read_from_a_shapefile_table_finds_its_cut_id_column(tmp_path: Path) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_text("household_,unit_id\n000005,U1\n000006,U1\n", encoding="utf-8")
    labels, probs = read_plan_table(plan, pd.DataFrame(index=pd.Index(["000005", "000006"], name="hid")))
    assert labels.to_dict() == {"000005": "U1", "000006": "U1"} and not probs


# ------------------------------------------------------------------ 7: a unit split into single parts in QGIS
def test_polygons_sharing_an_id_and_their_attributes_are_one_unit() -> None:
    """QGIS "Multipart to singleparts" left U1 as two features with the same attributes: PLAN-ID with the advice
    to give each polygon its own id, which would break the unit. Two different things given one id stay PLAN-ID."""
    import geopandas as gpd
    from shapely.geometry import Point, box

    from yuanluo.gis.plan import assign_by_unit_polygons

    hh = gpd.GeoDataFrame(geometry=[Point(1, 1), Point(11, 1), Point(21, 1)], crs="EPSG:32631",
                          index=pd.Index(["a", "b", "c"], name="hid"))
    parts = gpd.GeoDataFrame({"unit_id": ["U1", "U1", "U2"], "n_households": [2, 2, 1], "village": ["V", "V", "V"]},
                             geometry=[box(0, 0, 5, 5), box(10, 0, 15, 5), box(20, 0, 25, 5)], crs="EPSG:32631")
    labels, probs = assign_by_unit_polygons(hh, parts)
    assert labels.to_dict() == {"a": "U1", "b": "U1", "c": "U2"} and probs == []
    two = parts.assign(village=["V", "W", "V"])
    _, probs = assign_by_unit_polygons(hh, two)
    assert [(p.code, p.ids) for p in probs] == [("PLAN-ID", ("U1",))]


def test_check_reads_a_units_layer_exploded_in_qgis(tmp_path: Path) -> None:
    import geopandas as gpd
    from shapely.geometry import MultiPolygon

    hh = good_gdf(6, crs=4545)
    hh.to_file(tmp_path / "h.gpkg")
    pts = hh.geometry.to_numpy()
    u1 = MultiPolygon([pts[i].buffer(5) for i in (0, 1, 2)])
    units = gpd.GeoDataFrame({"unit_id": ["U1", "U2"]}, geometry=[u1, MultiPolygon([p.buffer(5) for p in pts[3:]])],
                             crs=hh.crs).explode(index_parts=False)
    assert len(units) == 6
    units.to_file(tmp_path / "u.gpkg")
    res = runner.invoke(app, ["check", str(tmp_path / "h.gpkg"), "--units", str(tmp_path / "u.gpkg"),
                              "--min", "2", "--max", "5"])
    assert res.exit_code == 0, res.output
    assert "PLAN-ID" not in res.output


# ------------------------------------------------------------------ 6: a settlement split only a lock holds back
def test_a_settlement_split_only_a_locked_unit_can_mend_names_the_locked_unit() -> None:
    """Two households of U0's settlement S typed into U1, U1 locked: the split of S can only be mended by moving
    them out of the locked U1. repair said the exact model "was not solved within its rounds or its time"."""
    from test_repair import grid

    from yuanluo import repair_plan
    from yuanluo.gis.rules import Rules

    hh, g, ii, _ = grid(8, 5)
    hh["settlement"] = pd.Series(["S" if i == 2 else None for i in ii], index=hh.index, dtype=object)
    plan = pd.Series([f"U{c}" for c in ii // 4], index=hh.index)
    plan[["h0200", "h0201"]] = "U1"
    res = repair_plan(hh, plan, Rules(15, 25), g, locked=["U1"])
    assert not res.passed and res.moves.empty
    split = {lang: [x for x in res.reason_lines(lang) if x.startswith("PLAN-SETTLEMENT-SPLIT")] for lang in ("en", "zh")}
    assert len(split["en"]) == 1 and "only by changing the locked unit U1:" in split["en"][0], res.reason_lines("en")
    assert "h0200 from U1 to U0" in split["en"][0] and "rounds or its time" not in split["en"][0]
    assert "只有改动已锁定的院落 U1 才能修复" in split["zh"][0], split["zh"]


# ------------------------------------------------------------------ 2: a result whose households were moved in QGIS
def _edited_result(tmp_path: Path) -> Path:
    """A result written by Yuanluo whose households 000001–000003 were moved from U001 to U002 in QGIS (the
    households layer edited in place, the units layer left as written: U001 25 → 22, U002 25 → 28)."""
    import geopandas as gpd

    from yuanluo.gis.output import write_layers
    from yuanluo.maps.sample import sample_layers

    lyr = sample_layers(100, block=5)
    res = tmp_path / "result.gpkg"
    write_layers(res, {k: v for k, v in lyr.items() if k != "run"})
    hh = gpd.read_file(res, layer="households")
    hh.loc[hh["hid"].isin(["000001", "000002", "000003"]), "unit_id"] = "U002"
    hh.to_file(res, layer="households", driver="GPKG")
    return res


def _col(card: dict, name: str) -> list:
    f = card["f"][name]
    return [f["v"][c] for c in f["c"]] if isinstance(f, dict) else f


def test_map_of_a_result_edited_in_qgis_counts_its_units_again_and_says_so(tmp_path: Path) -> None:
    """The map showed U002 "25 户 ✔ 符合规模" (now 符合规定, value.status.ok) from the units table where 28 households now carry U002."""
    import json
    import re

    res = _edited_result(tmp_path)
    out = runner.invoke(app, ["map", str(res), "-o", str(tmp_path / "m.html")])
    assert out.exit_code == 0, out.output
    assert "RESULT-UNITS-STALE" in out.output and "U001" in out.output and "U002" in out.output, out.output
    assert "WARNING" not in out.output  # said with the other notes, in the chosen language, not logged
    html = (tmp_path / "m.html").read_text(encoding="utf-8")
    card = json.loads(re.search(r"var R = (\{.*?\});\n", html).group(1))
    n = dict(zip(card["units"], _col(card, "n"), strict=True))
    status = dict(zip(card["units"], _col(card, "status"), strict=True))
    assert (n["U001"], n["U002"], n["U003"]) == ("22", "28", "25"), n
    assert status["U002"] == "院落图层未更新" and status["U003"] == "符合规定", status
    assert {"U001", "U002"} <= {card["units"][k] for k in card["bad"]}
    assert any("院落图层没有随之更新" in str(v) for v in _col(card, "viol"))
    assert "院落图层与农户图层不一致" in html  # the legend's note
    import geopandas as gpd

    from yuanluo.gis.io import units_out_of_date

    hh = gpd.read_file(res, layer="households")
    stale, moved = units_out_of_date(hh, gpd.read_file(res, layer="units"))
    assert stale == ["U001", "U002"] and sorted(hh.loc[moved, "hid"]) == ["000001", "000002", "000003"]
    back, still = units_out_of_date(hh.assign(unit_id=hh["unit_id"].where(~moved, "U001")),
                                    gpd.read_file(res, layer="units"))
    assert back == [] and not still.any()  # moved back: the layers agree again


def test_maturity_template_of_a_result_edited_in_qgis_counts_the_households_as_they_are(tmp_path: Path) -> None:
    import openpyxl

    res = _edited_result(tmp_path)
    out = runner.invoke(app, ["maturity", "template", str(res), "-o", str(tmp_path / "t.xlsx")])
    assert out.exit_code == 0, out.output
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx").worksheets[0]
    n = {r[0].value: r[4].value for r in ws.iter_rows(min_row=2) if r[0].value}
    assert (n["U001"], n["U002"], n["U003"]) == (22, 28, 25), n


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_print_map_and_sheets_of_a_result_edited_in_qgis_count_its_units_again(lang: str, tmp_path: Path) -> None:
    """The print map and the per-unit sheets took the units table's figures too (U002: 25 where 28 households
    carry it now), and the console said the warning as an English log line."""
    import re
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    res = _edited_result(tmp_path)
    out = runner.invoke(app, ["--lang", lang, "map", str(res), "-o", str(tmp_path / "m.pdf"),
                              "--per-unit", str(tmp_path / "u.pdf")])
    assert out.exit_code == 0, out.output
    assert "RESULT-UNITS-STALE" in out.output and "WARNING" not in out.output, out.output
    sheets = subprocess.run(["pdftotext", "-layout", str(tmp_path / "u.pdf"), "-"], capture_output=True,
                            text=True, check=True).stdout
    page_u002 = next(p for p in sheets.split("\f") if "U002" in p[:200])
    size_line = next(ln for ln in page_u002.splitlines() if re.match(r"\s*(户数|Size)\s*[:：]", ln))
    assert re.search(r"[:：]\s*28\b", size_line), size_line
