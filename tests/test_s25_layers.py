"""Audits N and J (session 25): the fields of the GeoPackage layers as QGIS shows them — numbers of a CSV
household file stored as numbers, the placeholder of a missing village or group in the run's language, and an
alias that says what the column holds on every field of every layer (delineate with --groups, a --lock run,
cover)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import geopandas as gpd
import networkx as nx
import pyogrio
import pytest
import test_cli_followups
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()
village = test_cli_followups.village  # the fixture: a synthetic village of 200 households (seed 2)




def _ok(args: list[str]) -> None:
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output


def _sql(gpkg: Path, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(gpkg) as con:
        return con.execute(query).fetchall()


# ------------------------------------------------------------------------------ N2: numbers of a CSV
def test_numbers_of_a_csv_household_file_are_stored_as_numbers(village: Path, tmp_path: Path) -> None:
    """Audit N2: elevation, x and y of a CSV came out as TEXT fields (QGIS: String; sorted '1000' < '300')."""
    hh = gpd.read_file(village / "households.gpkg", layer="households")
    table = hh.drop(columns="geometry").assign(hid=[f"{i:06d}" for i in range(1, len(hh) + 1)],
                                               x=hh.geometry.x, y=hh.geometry.y, tag=range(1, len(hh) + 1))
    csv = tmp_path / "plain.csv"
    table.to_csv(csv, index=False)
    out = tmp_path / "plain.gpkg"
    _ok(["delineate", str(csv), "--crs", "EPSG:4545", "--x-col", "x", "--y-col", "y", "--id-col", "hid",
         "--preset", "banan", "-o", str(out), "-q"])
    info = pyogrio.read_info(out, layer="households")
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert types["elevation"] == types["x"] == types["y"] == "float64", types
    assert _sql(out, "select typeof(elevation), typeof(x) from households limit 1") == [("real", "real")]
    assert _sql(out, "select count(*) from households where elevation > 1000 and typeof(elevation) = 'real'") == \
        [(int((table["elevation"] > 1000).sum()),)]
    # ids stay text with their leading zeros, and a column of whole numbers (maybe ids) is not changed; a serial
    # column (序号, "no") is a row number and becomes a number (9b9fb8b, tests/test_s43_d_serial_numbers.py)
    assert _sql(out, "select hid, typeof(tag) from households order by hid limit 1") == [("000001", "text")]


# ----------------------------------------------------------------------- aliases on every field of every layer
@pytest.fixture(scope="module")
def results(village: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """A delineation with --groups, --roads and --rivers, a --lock run of it, and a cover of it, in zh and en."""
    d = tmp_path_factory.mktemp("s25results")
    ctx = village / "context.gpkg"
    out: dict[str, list[Path]] = {}
    for lang in ("zh", "en"):
        units, relock, cover = d / f"units_{lang}.gpkg", d / f"relock_{lang}.gpkg", d / f"cover_{lang}.gpkg"
        _ok(["--lang", lang, "delineate", str(village / "households.gpkg"), "--layer", "households", "--dem",
             str(village / "dem.tif"), "--rivers", f"{ctx}::rivers", "--roads", f"{ctx}::roads", "--groups",
             f"{ctx}::groups", "--preset", "banan", "-o", str(units), "-q"])
        _ok(["--lang", lang, "delineate", str(units), "--preset", "banan", "-o", str(relock), "--lock", "U001,U002",
             "-q"])
        _ok(["--lang", lang, "cover", str(units), "-o", str(cover), "-q"])
        out[lang] = [units, relock, cover]
    return out


def _aliases(gpkg: Path) -> dict[tuple[str, str], str]:
    rows = _sql(gpkg, "select table_name, column_name, name from gpkg_data_columns")
    return {(str(t), str(c)): str(a) for t, c, a in rows}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_field_of_every_layer_has_an_alias(results: dict[str, list[Path]], lang: str) -> None:
    """Audit J4: units.locked, lock_changes.before/after had no alias (QGIS showed the bare English names in a
    Chinese file); roads.bridge neither (audit N9)."""
    missing = []
    for gpkg in results[lang]:
        aliases = _aliases(gpkg)
        for layer, _ in pyogrio.list_layers(gpkg):
            if layer == "layer_styles":
                continue
            for col in pyogrio.read_info(gpkg, layer=layer)["fields"]:
                if (layer, col) not in aliases:
                    missing.append(f"{gpkg.name}:{layer}.{col}")
    assert not missing, missing


WORDS = {"zh": {("groups", "n_households"): "村民小组户数", ("coverage", "total"): "合计行（全部农户）",
                ("units", "locked"): "锁定", ("roads", "bridge"): "桥梁"},
         "en": {("groups", "n_households"): "Households in the group", ("coverage", "total"): "Total row (all households)",
                ("units", "locked"): "Locked", ("roads", "bridge"): "Bridge"}}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_aliases_say_what_the_column_holds(results: dict[str, list[Path]], lang: str) -> None:
    """Audit J2/N4: coverage.total, a true/false flag of the summary row, was labelled 总户数 / Total households
    beside the real count (households); audit J3/N9: groups.n_households (a villager group's households) was
    labelled 院落户数, the households of a unit."""
    aliases: dict[tuple[str, str], str] = {}
    for gpkg in results[lang]:
        aliases.update(_aliases(gpkg))
    assert {k: aliases.get(k) for k in WORDS[lang]} == WORDS[lang]
    assert aliases[("units", "n_households")] == ("院落户数" if lang == "zh" else "Households")
    style = str(_sql(results[lang][0], "select styleQML from layer_styles where f_table_name = 'groups'")[0][0])
    assert f'<alias field="n_households" name="{WORDS[lang][("groups", "n_households")]}"' in style
    flags = _sql(results[lang][2], "select total, households from coverage order by total desc limit 1")
    assert flags[0][0] == 1 and flags[0][1] == 200


# ------------------------------------------------------------- N3: the placeholder in the run's language
@pytest.mark.parametrize(("lang", "word"), [("en", "(not grouped)"), ("zh", "（未分组）")])
def test_the_placeholder_of_a_missing_village_and_group_is_in_the_runs_language(
        village: Path, tmp_path: Path, lang: str, word: str) -> None:
    """Audit N3: an English run of households without village and group columns wrote the Chinese "(未分组)"
    into the hierarchy JSON, GraphML and layer (the zh run with ASCII brackets, unlike all else in zh)."""
    hh = gpd.read_file(village / "households.gpkg", layer="households").drop(columns=["village", "group"])
    src = tmp_path / "flat.gpkg"
    hh.to_file(src, layer="households")
    out, org, graphml = tmp_path / "r.gpkg", tmp_path / "org.json", tmp_path / "org.graphml"
    _ok(["--lang", lang, "delineate", str(src), "--preset", "banan", "-o", str(out), "--hierarchy", str(org), "-q"])
    _ok(["--lang", lang, "delineate", str(src), "--preset", "banan", "-o", str(tmp_path / "r2.gpkg"),
         "--hierarchy", str(graphml), "-q"])
    nodes = {n["id"]: n for n in json.loads(org.read_text(encoding="utf-8"))["nodes"]}
    assert nodes[f"village:{word}"]["name"] == word and f"group:{word}/{word}" in nodes
    assert {v for (v,) in _sql(out, "select distinct village from hierarchy")} == {word}
    assert {g for (g,) in _sql(out, "select distinct \"group\" from hierarchy")} == {word}
    names = {d.get("name") for _, d in nx.read_graphml(graphml).nodes(data=True)}
    assert word in names
    if lang == "en":
        assert not any("未分" in str(n) for n in names) and "未分" not in org.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_field_of_the_demo_has_an_alias(tmp_path: Path, lang: str) -> None:
    """The bundled sample's OpenStreetMap fields (osm_id, building, area_m2, households_in_building …) came out
    of ``demo`` under their bare English names in a Chinese file."""
    _ok(["--lang", lang, "demo", "-o", str(tmp_path / "d"), "-q"])
    gpkg = tmp_path / "d" / "demo.gpkg"
    aliases = _aliases(gpkg)
    missing = [f"{layer}.{col}" for layer, _ in pyogrio.list_layers(gpkg) if layer != "layer_styles"
               for col in pyogrio.read_info(gpkg, layer=layer)["fields"] if (layer, col) not in aliases]
    assert not missing, missing


def test_an_english_run_for_a_chinese_town_keeps_english_placeholders(village: Path, tmp_path: Path) -> None:
    """The placeholder's language was guessed from the town's name: ``--lang en --town 鱼洞镇`` wrote （未分组）."""
    hh = gpd.read_file(village / "households.gpkg", layer="households").drop(columns=["village", "group"])
    src = tmp_path / "flat.gpkg"
    hh.to_file(src, layer="households")
    out = tmp_path / "r.gpkg"
    _ok(["--lang", "en", "delineate", str(src), "--preset", "banan", "--town", "鱼洞镇", "-o", str(out), "-q"])
    assert {v for (v,) in _sql(out, "select distinct village from hierarchy")} == {"(not grouped)"}
