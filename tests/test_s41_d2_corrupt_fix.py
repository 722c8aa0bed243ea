"""Session 41 (audit H item 7): IO-CORRUPT of a .gpkg or .xlsx advised only re-exporting and checking a
GeoJSON; its fix now names where to make the file again (QGIS, Excel, WPS) for any kind of file."""

from __future__ import annotations

from pathlib import Path

import pytest
from paths import ANDORRA_GPKG
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", ["cut.gpkg", "bad.xlsx"])
def test_corrupt_file_fix_fits_its_kind(tmp_path: Path, lang: str, name: str) -> None:
    f = tmp_path / name
    f.write_bytes(Path(ANDORRA_GPKG).read_bytes()[:3000] if name.endswith(".gpkg") else b"PK\x03\x04garbage")
    res = runner.invoke(app, ["--lang", lang, "validate", str(f), "--crs", "EPSG:4326"], env={"COLUMNS": "400"})
    assert res.exit_code == 2 and "IO-CORRUPT" in res.output, res.output
    assert "QGIS" in res.output and ("Excel" in res.output), res.output
