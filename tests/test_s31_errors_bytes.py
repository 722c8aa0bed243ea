"""A file name whose bytes are not text is shown with ``\\xff`` in every message, as OUT-NAME-BYTES shows it, never
as Python's ``\\udcff`` (which cannot be typed back, and cannot be printed to a console that is not UTF-8)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.gis.errors import Problem
from yuanluo.planners.cli import app

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="names of bytes that are not text: POSIX only")


def test_a_problem_shows_a_file_name_that_is_not_text_as_bytes() -> None:
    name = os.fsdecode(b"/data/bad\xffhh.csv")
    p = Problem("IO-NOTFOUND", file=name)
    for lang in ("zh", "en"):
        assert "bad\\xffhh.csv" in p.message(lang) and "\udcff" not in p.message(lang)


def test_validate_of_such_a_file_names_it_with_bytes(tmp_path: Path) -> None:
    bad = os.path.join(os.fsencode(tmp_path), b"bad\xffhh.csv")
    with open(bad, "wb") as f:
        f.write("户编号,经度,纬度\n1,1,2\n".encode())
    for lang in ("zh", "en"):
        res = CliRunner().invoke(app, ["--lang", lang, "validate", os.fsdecode(bad), "--crs", "EPSG:4490"],
                                 env={"COLUMNS": "400"})
        assert res.exit_code == 2, res.output
        assert "COORD-RANGE" in res.output and "bad\\xffhh.csv" in res.output and "\udcff" not in res.output
