"""``yuanluo cover`` (audit D, item 9 and the run table): the hubs say which village and group they serve (layer,
report, print map), ``--paper`` as ``map`` has it, hub labels on the print map never overlap, and the run table
names the solver's penalised values as such beside the real total walk."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

SDE = {"SOURCE_DATE_EPOCH": "1764460800"}


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic village of 300 households in 7 villager groups, as a GeoPackage ``cover`` reads."""
    from yuanluo.gis.synth import make_village

    v = make_village(300, seed=3)
    path = tmp_path_factory.mktemp("s25") / "v300.gpkg"
    v.households.to_file(path, layer="households")
    v.rivers.to_file(path, layer="rivers")
    v.roads.to_file(path, layer="roads")
    return path


def _cover(args: list[str]) -> object:
    from typer.testing import CliRunner

    from yuanluo.planners.cli.app import app

    return CliRunner().invoke(app, ["cover", *args], env=SDE)


@pytest.fixture(scope="module")
def run(village: Path) -> tuple[Path, Path, Path]:
    """The default 1+N run (a hub per village and per group) with its report and print map (PDF)."""
    d = village.parent
    out, report, pdf = d / "c.gpkg", d / "r.html", d / "c.pdf"
    r = _cover([str(village), "-o", str(out), "--report", str(report), "--png", str(pdf), "-q"])
    assert r.exit_code == 0, r.output  # type: ignore[attr-defined]
    return out, report, pdf


def _pdf_words(pdf: Path) -> list[tuple[str, float, float, float, float]]:
    """Every word of the PDF with its box (x0, y0, x1, y1, points), from ``pdftotext -bbox``."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pat = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [(m.group(5), float(m.group(1)), float(m.group(2)), float(m.group(3)), float(m.group(4)))
            for m in re.finditer(pat, html)]


def test_hubs_name_the_village_and_group_they_serve(run: tuple[Path, Path, Path]) -> None:
    """Every group hub names its group (and the village of it), every village hub its village: in the hubs layer
    (with aliases), in the report's tables of service points and on the print map; with 7 group hubs one could not
    tell which was V001-G3's."""
    from yuanluo.gis.layerstyle import field_alias

    out, report, pdf = run
    hh = gpd.read_file(out, layer="households")
    hubs = gpd.read_file(out, layer="hubs")
    assert {"village", "group"} <= set(hubs.columns)
    groups = sorted(hh["group"].dropna().unique())
    served = {g for v in hubs["group"].dropna() for g in str(v).split(", ")}
    assert served == set(groups)
    for _, h in hubs[hubs["level"] == "group"].iterrows():  # the group's own village
        assert set(hh.loc[hh["group"] == h["group"], "village"]) == {h["village"]}
    for _, h in hubs[hubs["level"] == "village"].iterrows():
        assert h["village"] in set(hh["village"])
    assert "服务" in str(field_alias("group", "zh", "hubs")) and "served" in str(field_alias("group", "en", "hubs"))
    page = report.read_text(encoding="utf-8")
    table = page.split('id="points"', 1)[1].split('id="areas"', 1)[0]
    for g in groups:
        assert re.search(f"<td[^>]*>{re.escape(g)}</td>", table)  # data-h: its heading (session 39)
    words = {w for w, *_ in _pdf_words(pdf)}
    assert set(groups) <= words


def test_cover_takes_paper_as_map_does(village: Path, tmp_path: Path) -> None:
    """``--paper A3`` prints the coverage map on A3 (it was A4 whatever one asked); an unknown size is MAP-PAPER,
    exit 2, nothing written; the help says what ``map --paper`` says."""
    pdf = tmp_path / "a3.pdf"
    r = _cover([str(village), "-o", str(tmp_path / "a3.gpkg"), "--png", str(pdf), "--paper", "A3", "-q"])
    assert r.exit_code == 0, r.output  # type: ignore[attr-defined]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())  # type: ignore[union-attr]
    assert round(w) == 1191 and round(h) == 842
    bad = tmp_path / "b5.gpkg"
    r = _cover([str(village), "-o", str(bad), "--png", str(tmp_path / "b5.pdf"), "--paper", "B5"])
    assert r.exit_code == 2 and "MAP-PAPER" in r.output and not bad.exists()  # type: ignore[attr-defined]
    from yuanluo.gis.catalogue import text

    r = _cover(["--help"])
    said = re.sub(r"[\s│|]+", "", r.output)  # type: ignore[attr-defined]
    assert "--paper" in said and re.sub(r"\s+", "", text("cli.opt.paper", "zh"))[:12] in said


def test_hub_labels_on_the_print_map_never_overlap(village: Path, tmp_path: Path) -> None:
    """80 points among 300 households on A4 (as dense as the audit's 88 among 10,000): every point is named on
    the map, and no two of its labels overlap (26 pairs did)."""
    pdf = tmp_path / "dense.pdf"
    r = _cover([str(village), "-o", str(tmp_path / "dense.gpkg"), "--hubs", "80", "--png", str(pdf), "-q"])
    assert r.exit_code == 0, r.output  # type: ignore[attr-defined]
    right = 0.75 * 842  # the map frame ends at 75 % of the sheet's width; the key is right of it
    labels = [b for b in _pdf_words(pdf) if re.fullmatch(r"P\d{3}", b[0]) and b[3] < right]
    assert {w for w, *_ in labels} == {f"P{i:03d}" for i in range(1, 81)}
    pairs = [(a[0], b[0]) for i, a in enumerate(labels) for b in labels[i + 1:]
             if a[1] < b[3] - 0.2 and b[1] < a[3] - 0.2 and a[2] < b[4] - 0.2 and b[2] < a[4] - 0.2]
    assert not pairs, pairs


def test_the_run_table_says_the_solver_values_are_the_solvers(run: tuple[Path, Path, Path]) -> None:
    """``objective``/``lower_bound`` held the solver's penalised sums under names a reader takes for the total
    walk: they are ``solver_objective``/``solver_bound`` now, beside ``total_walk_min``, the real sum of
    ``walk_min``."""
    out, _, _ = run
    rec = dict(pd.DataFrame(gpd.read_file(out, layer="run"))[["key", "value"]].itertuples(index=False))
    assert "params.objective" not in rec and "params.lower_bound" not in rec
    assert {"params.solver_objective", "params.solver_bound", "params.total_walk_min"} <= set(rec)
    walk = gpd.read_file(out, layer="households")["walk_min"].to_numpy(dtype=float)
    assert float(rec["params.total_walk_min"]) == pytest.approx(float(np.nansum(walk)), abs=0.01)
