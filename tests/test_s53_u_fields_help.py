"""Each command's --fields / --include-personal help says where that command puts the columns (session 53, helper
U): check, cover and map said "the map and the Excel plan (yuanluo delineate --xlsx)", though only delineate writes
that plan; check's --csv .xlsx and cover's --png take no --fields, and map puts them on its --per-unit sheets too."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


def _help(lang: str, *command: str) -> str:
    res = runner.invoke(app, ["--lang", lang, *command, "--help"], env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    return res.output


def _option(said: str, option: str) -> str:
    """The help of ``option``: its row of the table (one line at 400 columns), without the option's name."""
    rows = [ln for ln in said.splitlines() if re.match(rf"[│\s*]*{option}\s", ln)]
    assert len(rows) == 1, (option, said)
    return rows[0].split(option, 1)[1]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_fields_help_names_what_each_command_writes(lang: str) -> None:
    for command, xlsx, sheets in (("delineate", True, False), ("check", False, False), ("cover", False, False),
                                  ("map", False, True)):
        said = _help(lang, command)
        for option in ("--fields", "--include-personal"):
            h = _option(said, option)
            assert ("xlsx" in h) == xlsx, (command, option, h)
            assert ("per-unit" in h) == sheets, (command, option, h)
            assert ("地图" if lang == "zh" else "map") in h, (command, option, h)
