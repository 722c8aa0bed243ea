"""``maturity load --map`` draws its field map over the hillshade of the DEM the result records (found unchanged,
MAP-RESULT-DEM-OWN), as ``yuanluo map`` does, or of ``--dem``; away from it, the map has none and MAP-RESULT-DEM
says to add ``--dem``, which the command now takes."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_maturity import _fill
from test_s31_map_dem import _flat, _overlays
from test_s31_map_dem import result as result  # noqa: F401 - the module's fixture: a result over dem.tif beside it
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def filled(result: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: F811
    d = tmp_path_factory.mktemp("matdem")
    sheet = d / "评分表.xlsx"
    res = runner.invoke(app, ["maturity", "template", str(result), "-o", str(sheet)])
    assert res.exit_code == 0, res.output
    _fill(sheet, d / "filled.xlsx")
    return d / "filled.xlsx"


def _load(result: Path, filled: Path, tmp_path: Path, *extra: str) -> tuple[str, Path]:  # noqa: F811
    page = tmp_path / "m.html"
    res = runner.invoke(app, ["maturity", "load", str(result), str(filled), "-o", str(tmp_path / "m.gpkg"),
                              "--map", str(page), *extra], env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    return _flat(res.output), page


def test_the_maturity_map_has_the_results_own_hillshade(result: Path, filled: Path, tmp_path: Path) -> None:  # noqa: F811
    said, page = _load(result, filled, tmp_path)
    assert _overlays(page) == 1 and "MAP-RESULT-DEM-OWN" in said


def test_the_maturity_map_away_from_its_dem_says_to_add_it(result: Path, filled: Path, tmp_path: Path) -> None:  # noqa: F811
    moved = tmp_path / "moved.gpkg"
    moved.write_bytes(result.read_bytes())
    said, page = _load(moved, filled, tmp_path, "--lang", "en")
    assert _overlays(page) == 0 and "MAP-RESULT-DEM" in said and "add--dem" in said
    (tmp_path / "m.html").unlink()
    (tmp_path / "m.gpkg").unlink()
    said, page = _load(moved, filled, tmp_path, "--dem", str(result.parent / "dem.tif"))
    assert _overlays(page) == 1 and "MAP-RESULT-DEM" not in said
