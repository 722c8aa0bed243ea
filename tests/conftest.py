"""Shared test settings (a reproducible Hypothesis profile for CI, a fast one for development) and fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

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
