"""Command-line ends of the API audit's fixes: the seed file named, a unit layer without a unit-id column, a
persons rule over households without a persons column."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.gis.synth import make_village
from yuanluo.planners.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("followups")
    make_village(200, seed=2).write(d)
    return d


def _flat(out: str) -> str:
    return " ".join(out.split())


def test_an_unknown_seed_names_the_seed_file(village: Path, tmp_path: Path) -> None:
    """SEED-UNKNOWN named neither the seeds file nor anything to find it by."""
    seeds = tmp_path / "种子点.csv"
    seeds.write_text("户编号\nH000003\nH999999\n", encoding="utf-8")
    res = runner.invoke(app, ["--lang", "en", "delineate", str(village / "households.gpkg"), "--seeds", str(seeds),
                              "--min", "15", "--max", "25", "-o", str(tmp_path / "r.gpkg")])
    flat = _flat(res.output)
    assert res.exit_code == 2 and "SEED-UNKNOWN" in flat and "种子点.csv" in flat and "H999999" in flat, res.output
    assert "row 3" in flat, res.output  # the header is row 1
    assert not (tmp_path / "r.gpkg").exists()


def test_check_units_without_a_unit_id_column_says_so(village: Path) -> None:
    """``check --units`` of the villages layer (a ``village`` column, no unit id) took the village names as
    unit ids and reported a unit V001 that does not exist, exit 1."""
    res = runner.invoke(app, ["--lang", "en", "check", str(village / "households.gpkg"), "--units",
                              f"{village / 'context.gpkg'}::villages", "--min", "15", "--max", "25"])
    flat = _flat(res.output)
    assert res.exit_code == 2 and "UNITS-COLUMN" in flat and "--unit-col" in flat, res.output
    assert "context.gpkg" in flat


def test_a_persons_rule_without_a_persons_column_says_the_column_is_missing(village: Path, tmp_path: Path) -> None:
    import geopandas as gpd

    hh = gpd.read_file(village / "households.gpkg").drop(columns=["persons"])
    src = tmp_path / "no_persons.gpkg"
    hh.to_file(src)
    rules = tmp_path / "persons.toml"
    rules.write_text('[rules]\nmin_size = 40\nmax_size = 80\nsize_by = "persons"\n', encoding="utf-8")
    res = runner.invoke(app, ["--lang", "en", "delineate", str(src), "--rules", str(rules), "-o",
                              str(tmp_path / "r.gpkg")])
    flat = _flat(res.output)
    assert res.exit_code == 2 and "no persons column at all" in flat and "0 households" not in flat, res.output
