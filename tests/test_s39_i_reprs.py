"""Short reprs of the objects an analyst meets in a notebook (audit s39 F).

``repr(build_graph(...))`` was 60 KB (every array), a RepairResult 10 KB, a LoadReport 7.6 KB and a Terrain 1.4 KB
(the CRSs' WKT), a SynthVillage 5-7 KB; ``str(note)`` of a repair note printed a raw tuple. Now each says its counts,
EPSG code and outcome in a line, and a note's ``str`` is its sentence (the pair it was, still)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.cover import cover_entries, p_median, service_network
from yuanluo.gis.io import read_households
from yuanluo.gis.neighbours import build_graph
from yuanluo.gis.synth import make_village
from yuanluo.gis.terrain import terrain_from_array

SHORT = 400


@pytest.fixture(scope="module")
def objects() -> dict:
    v = make_village(200, seed=2)
    hh = v.households
    t = terrain_from_array(v.dem, x0=v.transform.c, y0=v.transform.f, res=v.transform.a, crs=v.crs)
    g = build_graph(hh, terrain=t, rivers=v.rivers, roads=v.roads)
    m = UnitDelineator(min_size=15, max_size=25, random_state=0).fit(hh, g)
    lab = m.labels_.copy()
    lab.iloc[:3] = "U099"
    siting = p_median(cover_entries(service_network(g), 10.0), 3)
    return {"village": v, "terrain": t, "graph": g, "check": m.check(hh, g), "repair": m.repair(hh, g, lab),
            "siting": siting}


@pytest.mark.parametrize(("name", "words"), [
    ("village", ["SynthVillage(households=200", "EPSG:4545"]),
    ("terrain", ["Terrain(", "cells", "EPSG:4545"]),
    ("graph", ["TerrainGraph(n=200", "edges=", "EPSG:4545"]),
    ("check", ["CheckResult(passed=True", "units=", "DECLARED-EXCEPTION"]),
    ("repair", ["RepairResult(passed=True", "moves=3", "repair.note.dissolved"]),
    ("siting", ["Siting(chosen=3", "gap=", "uncovered="]),
])
def test_reprs_are_a_line(objects: dict, name: str, words: list[str]) -> None:
    text = repr(objects[name])
    assert len(text) < SHORT and "\n" not in text, text
    assert "PROJCRS" not in text and "array(" not in text, text
    for w in words:
        assert w in text, (w, text)


def test_a_load_report_names_its_crs_by_code(objects: dict, tmp_path: Path) -> None:
    objects["village"].households.to_file(tmp_path / "hh.gpkg", layer="households")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, rep = read_households(tmp_path / "hh.gpkg")
    text = repr(rep)
    assert len(text) < 600 and "PROJCRS" not in text and "working_crs=EPSG:4545" in text, text
    assert "n_rows=200" in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_repair_note_reads_as_its_sentence(objects: dict, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YUANLUO_LANG", lang)
    res = objects["repair"]
    assert [str(n) for n in res.notes] == res.note_texts(lang)
    assert "U099" in str(res.notes[0]) and "repair.note" not in str(res.notes[0])
    key, params = res.notes[0]  # still the (key, params) pair
    assert key == "repair.note.dissolved" and params["unit"] == "U099"
