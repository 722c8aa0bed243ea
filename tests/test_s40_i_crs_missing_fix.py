"""Audit s40 G §1: CRS-MISSING's fix for a roster with 经度/纬度 suggested only EPSG:4490 or EPSG:4545 (the 108°E
zone, wrong for Sichuan) and never --crs gcj02, the CRS of points picked on a web map. Now it names gcj02 and the
CGCS2000 3-degree zones by their central meridian, and no zone's code of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_fixtures import flat
from typer.testing import CliRunner

from yuanluo.gis.errors import Problem
from yuanluo.planners.cli import app


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_validate_without_crs_names_gcj02_and_no_wrong_zone(tmp_path: Path, lang: str) -> None:
    csv = tmp_path / "花名册.csv"
    csv.write_text("户号,经度,纬度,人口\n001,103.85,29.81,3\n002,103.851,29.811,2\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["--lang", lang, "validate", str(csv)], env={"COLUMNS": "400"})
    said = flat(r.output)
    assert r.exit_code == 2 and "CRS-MISSING" in said and "--crsgcj02" in said, said
    assert "EPSG:4545" not in said and "EPSG:4534" in said, said


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_python_fix_names_gcj02(lang: str) -> None:
    fix = Problem("CRS-MISSING", file="a.csv", python=True).fix(lang)
    assert "crs='gcj02'" in fix and "EPSG:4545" not in fix, fix
