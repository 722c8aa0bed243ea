"""Shared test settings (a reproducible Hypothesis profile for CI, a fast one for development) and fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# The console's width as a test gives it (CliRunner(env={"COLUMNS": "400"}), 135 test files): rich fixes a console's
# width at its making where COLUMNS is set, and pytest-xdist's workers get COLUMNS=80 and LINES=24, so that under
# ``pytest -n 2`` yuanluo.planners.console's consoles stayed 80 wide and 46 tests failed (s60, the lead's run).
# Dropped here, before any test imports the console, the suite runs as in one process, whatever the shell exports.
for _name in ("COLUMNS", "LINES"):
    os.environ.pop(_name, None)

settings.register_profile(
    "ci", derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(scope="module")
def small_result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A result of 12 households (units of 4–8) delineated through the command line from a CSV roster."""
    from badfiles import HEADER, good_rows, write_csv
    from typer.testing import CliRunner

    from yuanluo.planners.cli import app

    d = tmp_path_factory.mktemp("res")
    hh = write_csv(d, "hh.csv", [HEADER, *good_rows(12)])
    out = d / "r.gpkg"
    res = CliRunner().invoke(app, ["delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8",
                                   "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    return out
