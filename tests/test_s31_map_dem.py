"""``yuanluo map`` of a result delineated over a DEM draws the hillshade from that DEM when no ``--dem`` is given
and it is found unchanged (MAP-RESULT-DEM-OWN), as ``check``, ``repair``, ``cover`` and ``edit`` walk over it;
with the DEM not found, the map has none and says which ``--dem`` to add (MAP-RESULT-DEM)."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_fixtures import delineate_village
from shared_fixtures import flat as _flat
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()
RULE = ["--min", "15", "--max", "30"]


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A result delineated over the DEM beside it (its path recorded relative to the result's folder)."""
    d = tmp_path_factory.mktemp("mapdem")
    delineate_village(d, ["--dem", "dem.tif", *RULE, "-o", "result.gpkg", "-q"])
    return d / "result.gpkg"


def _overlays(page: Path) -> int:
    return page.read_text(encoding="utf-8").count("L.imageOverlay(")


def test_map_of_a_result_draws_the_hillshade_of_its_own_dem(result: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # elsewhere: the DEM is found beside the result
    page = tmp_path / "map.html"
    res = runner.invoke(app, ["map", str(result), "-o", str(page)])
    flat = _flat(res.output)
    assert res.exit_code == 0, res.output
    assert _overlays(page) == 1
    assert "MAP-RESULT-DEM-OWN" in flat and _flat(str(result.parent / "dem.tif")) in flat, res.output
    given = tmp_path / "given.html"  # --dem given: used, nothing said
    res = runner.invoke(app, ["map", str(result), "-o", str(given), "--dem", str(result.parent / "dem.tif")])
    assert res.exit_code == 0 and "MAP-RESULT-DEM" not in res.output and _overlays(given) == 1, res.output
    res = runner.invoke(app, ["map", str(result), "-o", str(tmp_path / "en.html"), "--lang", "en"])
    assert res.exit_code == 0 and "hillshadeisdrawnfromtheelevation" in _flat(res.output)


def test_map_of_a_result_away_from_its_dem_says_to_add_it(result: Path, tmp_path: Path) -> None:
    moved = tmp_path / "moved.gpkg"
    moved.write_bytes(result.read_bytes())
    page = tmp_path / "map.html"
    res = runner.invoke(app, ["map", str(moved), "-o", str(page), "--lang", "en"])
    flat = _flat(res.output)
    assert res.exit_code == 0, res.output
    assert _overlays(page) == 0
    assert "MAP-RESULT-DEM" in flat and "MAP-RESULT-DEM-OWN" not in flat, res.output
    assert "themaphasnohillshade" in flat and "add--demfollowedbywhere" in flat, res.output
    (tmp_path / "dem.tif").write_bytes((result.parent / "dem.tif").read_bytes() + b"\0")  # beside it, changed
    res = runner.invoke(app, ["map", str(moved), "-o", str(tmp_path / "changed.html")])
    flat = _flat(res.output)
    assert res.exit_code == 0 and "MAP-RESULT-DEM" in flat and "MAP-RESULT-DEM-OWN" not in flat, res.output
    assert "改动过" in flat and _overlays(tmp_path / "changed.html") == 0


def test_a_print_map_of_a_result_reads_no_dem(result: Path, tmp_path: Path) -> None:
    """Print maps and the per-unit sheets draw no hillshade: the recorded DEM is not looked for, nor said."""
    res = runner.invoke(app, ["map", str(result), "-o", str(tmp_path / "map.png")])
    assert res.exit_code == 0 and "MAP-RESULT-DEM" not in res.output, res.output
