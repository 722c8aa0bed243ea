"""nest_by written as the household file's own header (行政村, 村民小组) or an alias (Village) is the column the reader
made of it (village, group): applied by delineate and fit, checked by check and check_plan, never said to be missing
(audit s31 Z4 §2); PLAN-MEETING for a unit the --meeting-points file does not list names that file (Z5 §5)."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo import build_graph
from yuanluo.gis.check import check_plan
from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.io import read_households
from yuanluo.gis.rules import Rules
from yuanluo.gis.synth import make_village
from yuanluo.planners.cli import app

LANGS = ("zh", "en")
runner = CliRunner()


def village(tmp_path: Path) -> Path:
    """60 households in two villager groups, the columns under their Chinese headers, groups interleaved so that
    units of consecutive rows straddle them."""
    hh = make_village(60, seed=10).households.sort_values("group", kind="stable")  # 30 and 30 (seed 4 before s41)
    order = [*range(0, 60, 2), *range(1, 60, 2)]  # rows alternate between the groups' halves
    hh = hh.iloc[order]
    df = pd.DataFrame({"户编号": hh.index.astype(str), "东坐标": hh.geometry.x.round(2), "北坐标": hh.geometry.y.round(2),
                       "人口": hh["persons"], "行政村": hh["village"], "村民小组": hh["group"]})
    p = tmp_path / "农户.csv"
    df.to_csv(p, index=False, encoding="utf-8")
    return p


def rules_file(tmp_path: Path, nest: list[str]) -> Path:
    p = tmp_path / "rules.toml"
    p.write_text('[rules]\nmin_size = 10\nmax_size = 40\nrequire_head = false\nkeep_settlements = false\n'
                 f"nest_by = {json.dumps(nest, ensure_ascii=False)}\n", encoding="utf-8")
    return p


def row_plan(tmp_path: Path, hh_csv: Path) -> Path:
    """Units of 20 rows in file order: each straddles both groups."""
    ids = pd.read_csv(hh_csv, dtype=str)["户编号"]
    p = tmp_path / "plan.csv"
    pd.DataFrame({"户编号": ids, "院落编号": [f"U{i // 20 + 1}" for i in range(len(ids))]}).to_csv(p, index=False)
    return p


@pytest.mark.parametrize("nest", [["行政村", "村民小组"], ["Village", "group"], ["village", "group"]])
@pytest.mark.parametrize("lang", LANGS)
def test_check_applies_nest_by_under_the_files_headers(tmp_path, lang, nest):
    hh = village(tmp_path)
    js = tmp_path / "c.json"
    res = runner.invoke(app, ["--lang", lang, "check", str(hh), "--crs", "EPSG:4545", "--plan",
                              str(row_plan(tmp_path, hh)), "--rules", str(rules_file(tmp_path, nest)),
                              "--json", str(js)])
    assert res.exit_code == 1, res.output
    got = [v["code"] for v in json.loads(js.read_text(encoding="utf-8"))["violations"]]
    assert got.count("PLAN-CROSS-GROUP") == 3, got  # every unit straddles the two groups
    assert "RULE-UNAPPLIED" not in got and "RULE-UNAPPLIED" not in res.output, res.output


@pytest.mark.parametrize("lang", LANGS)
def test_delineate_keeps_units_inside_groups_named_in_chinese(tmp_path, lang):
    hh = village(tmp_path)
    out = tmp_path / "r.gpkg"
    res = runner.invoke(app, ["--lang", lang, "delineate", str(hh), "--crs", "EPSG:4545",
                              "--rules", str(rules_file(tmp_path, ["行政村", "村民小组"])), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "RULE-UNAPPLIED" not in res.output, res.output
    got = gpd.read_file(out, layer="households")
    got = got[got["unit_id"].astype(str) != ""]
    assert (got.groupby("unit_id")["group"].nunique() == 1).all()


@pytest.mark.parametrize("nest", [("村民小组",), ("Village", "村民小组"), ("group",)])
def test_fit_and_check_plan_resolve_aliases_on_read_households(tmp_path, nest):
    hh, _ = read_households(village(tmp_path), crs="EPSG:4545")
    assert {"village", "group"} <= set(hh.columns)
    g = build_graph(hh)
    rules = Rules(10, 40, nest_by=nest, require_head=False, keep_settlements=False)
    model = UnitDelineator.from_rules(rules).fit(hh, g)
    assert (hh.groupby(model.labels_)["group"].nunique() == 1).all()
    straddling = pd.Series([f"U{i // 20}" for i in range(len(hh))], index=hh.index)
    res = check_plan(hh, straddling, rules, graph=g, unapplied=True)
    codes = list(res.violations["code"])
    assert "PLAN-CROSS-GROUP" in codes and "RULE-UNAPPLIED" not in codes, codes


@pytest.mark.parametrize("lang", LANGS)
def test_meeting_missing_from_file_names_the_file(tmp_path, lang):
    hh = village(tmp_path)
    plan = row_plan(tmp_path, hh)
    first = pd.read_csv(plan, dtype=str).groupby("院落编号")["户编号"].first()
    mp = tmp_path / "mp_missing.csv"
    pd.DataFrame({"院落编号": ["U1", "U3"], "户编号": [first["U1"], first["U3"]]}).to_csv(mp, index=False)
    js = tmp_path / "c.json"
    res = runner.invoke(app, ["--lang", lang, "check", str(hh), "--crs", "EPSG:4545", "--plan", str(plan),
                              "--rules", str(rules_file(tmp_path, [])), "--meeting-points", str(mp),
                              "--json", str(js)])
    assert res.exit_code in (0, 1), res.output
    msgs = [v[f"message_{lang}"] for v in json.loads(js.read_text(encoding="utf-8"))["violations"]
            if v["code"] == "PLAN-MEETING" and v["unit_id"] == "U2"]
    assert len(msgs) == 1, res.output
    assert "mp_missing.csv" in msgs[0], msgs[0]
