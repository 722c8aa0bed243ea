"""The whole job as a user runs it from the README: demo, check of its own result, a broken plan, repair."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from typer.testing import CliRunner

from yuanluo.maps.offline import external_references
from yuanluo.planners.cli import app
from yuanluo.planners.workflows import sample_paths

runner = CliRunner()


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("demo")
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        for sub in ("a", "b"):
            res = runner.invoke(app, ["demo", "-o", str(d / sub), "-q"])
            assert res.exit_code == 0, res.output
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    return d


def _terrain_args() -> list[str]:
    p = sample_paths()
    return ["--dem", p["dem"], "--rivers", p["rivers"], "--water", p["water"], "--roads", p["roads"]]


def test_demo_writes_a_readable_geopackage_map_and_print_map(demo_dir: Path) -> None:
    gpkg = demo_dir / "a" / "demo.gpkg"
    layers = {name for name, _ in pyogrio.list_layers(gpkg)}
    assert {"households", "units", "meeting_points", "unit_adjacency", "run"} <= layers
    hh = gpd.read_file(gpkg, layer="households")
    assert len(hh) == 951 and hh["hid"].is_unique
    assert hh["unit_id"].notna().all() and (hh["unit_id"] != "").all()
    units = gpd.read_file(gpkg, layer="units")
    assert units["n_households"].sum() == 951
    ok = units[units["status"] == "ok"]
    assert ok["n_households"].between(20, 50).all()
    assert (units.loc[units["status"] != "ok", "reason"].str.len() > 0).all()
    html = (demo_dir / "a" / "demo.html").read_text(encoding="utf-8")
    assert external_references(html) == []
    assert '"AD0001"' in html  # households are searchable by their own ids
    assert (demo_dir / "a" / "demo.png").stat().st_size > 50_000


def test_demo_is_byte_identical_for_the_same_input_and_seed(demo_dir: Path) -> None:
    for name in ("demo.gpkg", "demo.html", "demo.png"):
        assert (demo_dir / "a" / name).read_bytes() == (demo_dir / "b" / name).read_bytes(), name


def test_delineation_passes_its_own_check(demo_dir: Path, tmp_path: Path) -> None:
    report = tmp_path / "check.html"
    res = runner.invoke(app, ["check", f"{demo_dir / 'a' / 'demo.gpkg'}::households", "--unit-field", "unit_id",
                              "--preset", "banan", *_terrain_args(), "--report", str(report), "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "PASSED" in res.output and "terrain" in res.output
    assert report.exists()


def test_moved_households_fail_the_check_and_repair_needs_no_more_moves(demo_dir: Path, tmp_path: Path) -> None:
    hh = gpd.read_file(demo_dir / "a" / "demo.gpkg", layer="households")
    units = gpd.read_file(demo_dir / "a" / "demo.gpkg", layer="units")
    ok = units[units["status"] == "ok"].sort_values("unit_id")
    donor, far = ok["unit_id"].iloc[0], ok["unit_id"].iloc[-1]
    moved = hh.loc[hh["unit_id"] == donor, "hid"].sort_values().head(3)
    plan = pd.DataFrame({"户编号": hh["hid"], "院落编号": hh["unit_id"]})
    plan.loc[plan["户编号"].isin(moved), "院落编号"] = far
    plan_csv = tmp_path / "plan.csv"
    plan.to_csv(plan_csv, index=False, encoding="utf-8-sig")
    hh_arg = f"{demo_dir / 'a' / 'demo.gpkg'}::households"

    res = runner.invoke(app, ["check", hh_arg, "--plan", str(plan_csv), "--preset", "banan", *_terrain_args()])
    assert res.exit_code == 1, res.output
    assert "PLAN-NONCONTIG" in res.output or "PLAN-CROSS-RIVER" in res.output

    fixed, moves = tmp_path / "fixed.csv", tmp_path / "moves.csv"
    res = runner.invoke(app, ["repair", hh_arg, "--plan", str(plan_csv), "--preset", "banan", *_terrain_args(),
                              "-o", str(fixed), "--moves", str(moves)])
    assert res.exit_code == 0, res.output
    assert len(pd.read_csv(moves, encoding="utf-8-sig")) <= 3

    res = runner.invoke(app, ["check", hh_arg, "--plan", str(fixed), "--preset", "banan", *_terrain_args()])
    assert res.exit_code == 0, res.output


def test_map_command_redraws_a_result(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    res = runner.invoke(app, ["map", str(demo_dir / "a" / "demo.gpkg"), "-o", str(out), "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert external_references(out.read_text(encoding="utf-8")) == []
    res = runner.invoke(app, ["map", str(demo_dir / "a" / "demo.gpkg"), "-o", str(out)])
    assert res.exit_code == 2 and "OUT-EXISTS" in res.output


def test_delineate_with_seeds_and_hierarchy(tmp_path: Path) -> None:
    p = sample_paths()
    seeds = tmp_path / "seeds.csv"
    seeds.write_text("户编号\nAD0001\nAD0500\n", encoding="utf-8-sig")
    out, org = tmp_path / "units.gpkg", tmp_path / "org.graphml"
    res = runner.invoke(app, ["delineate", p["households"], *_terrain_args(), "--preset", "changshou",
                              "--seeds", str(seeds), "-o", str(out), "--hierarchy", str(org), "--lang", "en"])
    assert res.exit_code == 0, res.output
    units = gpd.read_file(out, layer="units")
    seeded = units[units["seed"] != ""]
    assert sorted(seeded["seed"]) == ["AD0001", "AD0500"]
    assert (seeded["meeting_hid"] == seeded["seed"]).all()
    assert units.loc[units["status"] == "ok", "n_households"].between(15, 25).all()
    assert org.stat().st_size > 0 and "household:AD0001" in org.read_text(encoding="utf-8")


def test_graph_command_exports_edges_components_and_graphml(tmp_path: Path) -> None:
    p = sample_paths()
    out, gml = tmp_path / "graph.gpkg", tmp_path / "graph.graphml"
    res = runner.invoke(app, ["graph", p["households"], *_terrain_args(), "-o", str(out), "--graphml", str(gml),
                              "--lang", "en"])
    assert res.exit_code == 0, res.output
    edges = gpd.read_file(out, layer="edges")
    assert "river" in set(edges["reason"].dropna().astype(str))  # cut edges kept, with the reason
    comps = pd.DataFrame(pyogrio.read_dataframe(out, layer="components", read_geometry=False))
    assert comps["size"].sum() == 951
    assert "<graphml" in gml.read_text(encoding="utf-8")[:500]


def test_plan_given_as_unit_polygons_is_checked_by_location(demo_dir: Path) -> None:
    """A town's plan drawn as unit outlines: households are assigned by location; the demo's own territories
    (one building never split between units) give back a passing plan."""
    gpkg = demo_dir / "a" / "demo.gpkg"
    res = runner.invoke(app, ["check", f"{gpkg}::households", "--units", f"{gpkg}::units", "--preset", "banan",
                              *_terrain_args(), "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "PASSED" in res.output


def test_demo_without_a_chinese_font_still_writes_the_geopackage_and_html(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import yuanluo.maps.static
    from yuanluo.gis.errors import OutputError, problem

    def no_font() -> str:
        raise OutputError(problem("FONT-CJK-MISSING", fonts="Noto Sans CJK SC"))

    monkeypatch.setattr(yuanluo.maps.static, "cjk_font", no_font)
    res = runner.invoke(app, ["demo", "-o", str(tmp_path / "d"), "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "FONT-CJK-MISSING" in res.output
    assert (tmp_path / "d" / "demo.gpkg").exists() and (tmp_path / "d" / "demo.html").exists()
    assert not (tmp_path / "d" / "demo.png").exists()


def test_maps_made_from_the_demo_result_keep_its_data_credit(demo_dir: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo's households, rivers and roads are OpenStreetMap's: every map made from its result credits them
    (the ODbL asks it), and a result made from it records the credit for the maps made from that in turn. Only
    the demo's own map did; check, cover, edit and delineate maps of its result showed "Leaflet" alone."""
    gpkg = str(demo_dir / "a" / "demo.gpkg")
    credit = "© OpenStreetMap contributors (ODbL); SRTM (NASA/USGS)"
    t = tmp_path
    for args in (["check", gpkg, "--preset", "banan", "--map", str(t / "check.html")],
                 ["cover", gpkg, "--hubs", "2", "-o", str(t / "cover.gpkg"), "--map", str(t / "cover.html")],
                 ["edit", gpkg, "--preset", "banan", "-o", str(t / "edit.html")],
                 ["delineate", gpkg, "--preset", "banan", "-o", str(t / "again.gpkg"), "--map", str(t / "again.html")]):
        res = runner.invoke(app, [*args, "-q"])
        assert res.exit_code in (0, 1), res.output
    from yuanluo.maps.style import credit_words

    for page in ("check", "cover", "edit", "again"):  # said in the page's language (zh: 贡献者, the ODbL kept)
        assert credit_words(credit, "zh") in (t / f"{page}.html").read_text(encoding="utf-8"), page
    for out in ("cover", "again"):
        run = pyogrio.read_dataframe(t / f"{out}.gpkg", layer="run", read_geometry=False)
        assert dict(zip(run["key"], run["value"], strict=True))["params.data_credit"] == credit, out
    import yuanluo.maps.static_units as SU

    asked = []
    real = SU.render_unit_sheets
    monkeypatch.setattr(SU, "render_unit_sheets", lambda *a, **kw: asked.append(kw) or real(*a, **kw))
    res = runner.invoke(app, ["map", str(t / "again.gpkg"), "--per-unit", str(t / "sheets.pdf"), "-q"])
    assert res.exit_code == 0 and asked[0]["osm_attribution"] is True, res.output  # the sheets credit OSM too


def test_demo_never_replaces_an_earlier_runs_files_or_the_users(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """``yuanluo demo -o .`` replaced a demo.html of the user's without --overwrite (it overwrote by default)."""
    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "demo.html"
    mine.write_text("my precious notes", encoding="utf-8")
    res = runner.invoke(app, ["demo", "-o", ".", "-q"])
    assert res.exit_code == 2 and "OUT-EXISTS" in res.output, res.output
    assert mine.read_text(encoding="utf-8") == "my precious notes" and not (tmp_path / "demo.gpkg").exists()
    # without -o: yuanluo-demo, then yuanluo-demo-2 beside it, the first run's files as they were
    assert runner.invoke(app, ["demo", "-q"]).exit_code == 0
    first = (tmp_path / "yuanluo-demo" / "demo.html").read_bytes()
    res = runner.invoke(app, ["demo"])
    assert res.exit_code == 0 and "yuanluo-demo-2" in res.output, res.output
    assert (tmp_path / "yuanluo-demo" / "demo.html").read_bytes() == first
    assert (tmp_path / "yuanluo-demo-2" / "demo.html").read_bytes() == first
