"""Every option a message names exists on the commands that can raise it, and the shared options are declared once."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer.main

from yuanluo.gis.catalogue import fields_of
from yuanluo.gis.transaction import overwrite_named
from yuanluo.planners.cli import app

ROOT = Path(__file__).resolve().parents[1]
MESSAGES = sorted((ROOT / "gis" / "messages").glob("*.toml"))
OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*[a-z0-9])")
#: a quoted command of another program ("pip install --force-reinstall yuanluo"): its options are not ours
OTHER_PROGRAM = re.compile(r"[“\"'`](?:pip|python|sudo|apt-get|conda)\b[^”\"'`]*[”\"'`]")

#: commands that read a household file (and so can raise every load-stage problem)
READS_HOUSEHOLDS = ("validate", "graph", "delineate", "check", "repair")
#: commands that read a plan
READS_PLANS = ("check", "repair")
#: options of the household file: every command that reads households must have them all
HOUSEHOLD_OPTIONS = {"--layer", "--crs", "--encoding", "--centroids", "--id-col", "--x-col", "--y-col", "--head-col"}
PLAN_OPTIONS = {"--plan", "--units", "--unit-col", "--unit-field"}


def _options_of() -> dict[str, set[str]]:
    """command -> its options; the commands of a group of commands (``maturity load``) by their full name, beside
    the group's own options (``maturity``)."""
    out: dict[str, set[str]] = {}

    def walk(group: Any, prefix: str) -> None:  # Typer's own copy of Click's Group
        for name, cmd in group.commands.items():
            names: set[str] = set()
            for p in cmd.params:
                names.update(o for o in [*p.opts, *p.secondary_opts] if o.startswith("--"))
            out[prefix + name] = names
            if isinstance(getattr(cmd, "commands", None), dict):  # a group of commands
                walk(cmd, f"{prefix}{name} ")

    walk(typer.main.get_command(app), "")
    return out


def _in_a_command(fill: Callable[[], str]) -> str:
    """What ``fill`` gives while a command of the command line runs (a message made there)."""
    with typer.main.get_command(app).make_context("yuanluo", ["validate", "--help"], resilient_parsing=True):
        return fill()


#: fields a message fills with an option on the command line (``{overwrite}``: ``--overwrite``), as the code fills
#: them there; from Python the same field names a keyword argument (``overwrite=True``)
FIELD_OPTIONS = {"overwrite": _in_a_command(overwrite_named)}


def _named_options() -> dict[str, set[str]]:
    """option -> the catalogue keys whose texts (any field, any language) name it."""
    named: dict[str, set[str]] = {}
    for path in MESSAGES:
        for key, entry in tomllib.loads(path.read_text(encoding="utf-8")).items():
            for fields in entry.values():
                texts = [fields] if isinstance(fields, str) else list(fields.values())
                for t in texts:
                    filled = [FIELD_OPTIONS[f] for f in fields_of(t) if f in FIELD_OPTIONS]
                    for opt in [*OPTION.findall(OTHER_PROGRAM.sub(" ", t)), *filled]:
                        named.setdefault(opt, set()).add(f"{path.name}:{key}")
    return named


OPTIONS = _options_of()
NAMED = _named_options()


def test_the_catalogue_names_options_at_all() -> None:
    assert {"--id-col", "--x-col", "--y-col", "--unit-col", "--overwrite", "--crs", "--encoding"} <= set(NAMED)
    # --overwrite is named through the field {overwrite}, filled with the option on the command line only
    assert FIELD_OPTIONS == {"overwrite": "--overwrite"} and overwrite_named() == "overwrite=True"
    assert {"output.toml:OUT-EXISTS", "output.toml:OUT-INPUT", "output.toml:OUT-IS-DIR"} <= NAMED["--overwrite"]
    assert "--sheet" in OPTIONS["maturity load"]  # the commands of a group of commands are seen
    assert OPTION.findall(OTHER_PROGRAM.sub(" ", "运行 “pip install --force-reinstall yuanluo” 或 --overwrite")) == [
        "--overwrite"]


@pytest.mark.parametrize("option", sorted(NAMED))
def test_every_option_a_message_names_exists_on_some_command(option: str) -> None:
    having = [c for c, opts in OPTIONS.items() if option in opts]
    assert having, f"{option} is named by {sorted(NAMED[option])} but no command has it"


@pytest.mark.parametrize("command", READS_HOUSEHOLDS)
def test_every_command_reading_households_has_the_household_options(command: str) -> None:
    assert HOUSEHOLD_OPTIONS <= OPTIONS[command], HOUSEHOLD_OPTIONS - OPTIONS[command]


@pytest.mark.parametrize("command", READS_PLANS)
def test_every_command_reading_plans_has_the_plan_options(command: str) -> None:
    assert PLAN_OPTIONS <= OPTIONS[command], PLAN_OPTIONS - OPTIONS[command]


@pytest.mark.parametrize("option", sorted(NAMED))
def test_a_load_option_named_by_a_message_is_on_every_command_reading_households(option: str) -> None:
    """Load-stage messages can come from any command that reads households: the option must be on all of them."""
    # --plan: IO-PLAN-TABLE (s53) names it as check's, repair's, edit's and delineate's; to a command without it
    # (validate, graph) its fix_no_option says "yuanluo check 农户.csv --plan …", another command's
    if not any(k.startswith("load.toml:") for k in NAMED[option]) or option in ("--include-personal", "--fields", "--repair",
                                                                                  "--group-field", "--units-crs", "--plan"):
        pytest.skip("not a load-stage option of the household file")
    missing = [c for c in READS_HOUSEHOLDS if option not in OPTIONS[c]]
    assert not missing, f"{option} (named by {sorted(NAMED[option])}) is missing on {missing}"


def test_the_readme_tour_uses_only_existing_options() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for line in readme.splitlines():
        m = re.search(r"`yuanluo (\w+)((?: \w+)?)([^`]*)`", line)
        if not m or m.group(1) not in OPTIONS:
            continue
        command, rest = m.group(1), m.group(3)
        if f"{command}{m.group(2)}" in OPTIONS and m.group(2):  # a command of a group: maturity load
            command = f"{command}{m.group(2)}"
        else:
            rest = m.group(2) + rest
        unknown = {o for o in OPTION.findall(rest)} - OPTIONS[command]
        assert not unknown, f"README: yuanluo {command} has no {sorted(unknown)}"
