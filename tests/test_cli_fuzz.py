"""The command line never fails with an internal error (exit 3) on bad input, and its own usage errors speak
the user's language.

Property-based (hypothesis, derandomised so CI sees the same 210 examples every run, plus issue 10's cases): random option values on every
command, random rules files (random TOML keys, types and values), and random malformed household, seed, plan
and meeting-point files (truncated or garbled CSVs, other encodings, empty files, odd headers, huge numbers).
Bad input is exit 2 with a coded message; only a bug may be exit 3. Inputs are tiny so hundreds of examples
stay fast: most stop at the first check, as they should.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from unittest import mock

import pytest
import typer.main
import typer.testing
from badfiles import HEADER, LAT0, LON0, good_rows, write_csv
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from yuanluo.gis.catalogue import text
from yuanluo.planners.cli import app

runner = CliRunner()
COMMAND = typer.main.get_command(app)
EXIT_INTERNAL = 3
def fuzz(n: int) -> settings:
    """``n`` derandomised examples (the same every run), no deadline, no example database."""
    return settings(max_examples=n, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large])


def _invoke(args: list[str]) -> tuple[int, str]:
    """Run the command line in-process (the click command built once: a Typer app rebuilds it every call)."""
    with mock.patch.object(typer.testing, "_get_command", lambda _app: COMMAND):
        res = runner.invoke(app, args)
    return res.exit_code, res.output


def _no_internal_error(args: list[str]) -> str:
    code, out = _invoke(args)
    assert code != EXIT_INTERNAL, f"exit 3 for {args!r}:\n{out}"
    assert code in (0, 1, 2), f"exit {code} for {args!r}:\n{out}"
    return out


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Tiny inputs: a good 4-household CSV (lon/lat, persons, group), a plan, an empty file, a folder."""
    d = tmp_path_factory.mktemp("fuzz")
    good = write_csv(d, "good.csv", [HEADER + ",院落", *[r + f",U{i // 2}" for i, r in enumerate(good_rows(4))]])
    plan = write_csv(d, "plan.csv", ["户编号,院落编号", *[f"{i + 1:03d},U{i // 2}" for i in range(4)]])
    empty = d / "empty.csv"
    empty.write_bytes(b"")
    (d / "folder").mkdir()
    return {"dir": d, "good": good, "plan": plan, "empty": empty, "folder": d / "folder"}


# --------------------------------------------------------------------------------------------- usage errors
USAGE_CASES = [
    (["delineate", "--nope"], "cli.bad.no_such_option", {"name": "--nope"}),
    (["delineate"], "cli.bad.missing_argument", {}),
    (["delineate", "h.csv"], "cli.bad.missing_option", {}),
    (["delineate", "h.csv", "-o"], "cli.bad.needs_value", {"name": "-o"}),
    (["delineate", "h.csv", "-o", "x.gpkg", "--seed", "abc"], "cli.bad.int", {"value": "abc"}),
    (["delineate", "h.csv", "-o", "x.gpkg", "--seed", "-1"], "cli.bad.ge", {"value": "-1", "limit": "0"}),
    (["delineate", "h.csv", "-o", "x.gpkg", "--max", "99999999999999999999"], "cli.bad.le", {"limit": "1000000"}),
    (["delineate", "h.csv", "-o", "x.gpkg", "--target-size", "x"], "cli.bad.number", {"value": "x"}),
    (["cover", "r.gpkg", "-o", "x.gpkg", "--limit", "nan"], "cli.bad.number", {"value": "nan"}),
    (["delineate", "h.csv", "-o", "x.gpkg", "--overwrite=3"], "cli.bad.no_value", {"name": "--overwrite"}),
    (["map", "r.gpkg", "-o", "x.html", "extra", "more"], "cli.bad.extra", {"args": "extra more"}),
    (["delineat"], "cli.bad.no_such_command", {"name": "delineat"}),
]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("args", "key", "params"), USAGE_CASES, ids=[c[1] + str(i) for i, c in enumerate(USAGE_CASES)])
def test_usage_errors_in_the_language_of_the_command_line(args, key, params, lang) -> None:
    code, out = _invoke(["--lang", lang, *args])
    assert code == 2, out
    flat = re.sub(r"[\s│╭╮╰╯─]+", " ", out)
    # the catalogue's sentence, with the values the user typed
    first = re.split(r"\{", text(key, lang))[0].strip()
    assert first in flat, (first, flat)
    assert "CLI-USAGE" in flat, flat  # a code to quote, as every bad input has
    for value in params.values():
        assert value in flat
    usage, hint = text("cli.usage", lang).strip(), (text("cli.help.try", lang) or "").split("{")[0].strip()
    assert usage in flat and (not hint or hint in flat)
    if lang == "zh":
        english = {"Usage", "Try", "Error", "Missing", "Invalid", "No such", "Got unexpected", "requires", "Did you"}
        assert not [w for w in english if w in out], out
    else:
        assert not re.search(r"[\u3400-\u9fff]", re.sub(r"\{[^}]*\}|'[^']*'", "", flat.replace("{HOUSEHOLDS}", ""))), out


def test_did_you_mean_names_the_close_options() -> None:
    _, out = _invoke(["delineate", "--outpt", "x", "--lang", "zh"])
    assert "--output" in out and text("cli.bad.did_you_mean", "zh", names="").strip("：。 ") in out


# --------------------------------------------------------------------------------------------- strategies
NASTY = ["", " ", "-1", "0", "1", "nan", "inf", "-inf", "1e400", "99999999999999999999", "-99999999999999999999",
         "0.0001", "１０", "abc", "a,b", "，", "--", "-o", "village:1", "village:x,group:-2", "1:2:3", "::", "0x10",
         "EPSG:0", "EPSG:4490", "gbk", "utf-16", "nope-enc", "户主名", "</script>", "\u2028", "A3", "A5", "osm",
         "coverage", "walk", "banan", "none"]
VALUE = st.one_of(st.sampled_from(NASTY), st.integers(-(2**70), 2**70).map(str),
                  st.floats(allow_nan=True, allow_infinity=True).map(repr),
                  st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
                          max_size=8))

#: command -> (positional input kind, options that take a value, flags)
COMMANDS: dict[str, tuple[str, list[str], list[str]]] = {
    "validate": ("households", ["--layer", "--crs", "--encoding", "--id-col", "--x-col", "--y-col"], ["--centroids"]),
    "graph": ("households", ["--crs", "--max-walk", "--encoding", "--id-col"], []),
    "delineate": ("households", ["--crs", "--min", "--max", "--preset", "--target-size", "--seed", "--max-walk",
                                 "--town", "--fields", "--id-col", "--encoding"], ["--include-personal"]),
    "check": ("households", ["--crs", "--min", "--max", "--preset", "--unit-col", "--max-walk", "--fields"], []),
    "repair": ("households", ["--crs", "--min", "--max", "--preset", "--unit-col", "--max-walk"], []),
    "map": ("result", ["--paper", "--title", "--basemap", "--fields"], ["--include-personal"]),
    "cover": ("result", ["--hubs", "--limit", "--mobile-within", "--objective", "--max-walk"], []),
}
OUTPUT = {"graph": "g.gpkg", "delineate": "d.gpkg", "repair": "r.gpkg", "map": "m.html", "cover": "c.gpkg"}


@st.composite
def command_lines(draw: st.DrawFn, files: dict[str, Path]) -> list[str]:
    name = draw(st.sampled_from(sorted(COMMANDS)))
    kind, valued, flags = COMMANDS[name]
    source = draw(st.sampled_from(["good", "empty", "folder", "missing"]))
    path = files["dir"] / "missing.csv" if source == "missing" else files[source]
    args = [name, str(path)]
    if kind == "households" and source == "good":
        args += ["--crs", "EPSG:4490"]
    if name in OUTPUT:
        args += ["-o", str(files["dir"] / "out" / OUTPUT[name])]
    for opt in draw(st.lists(st.sampled_from(valued), max_size=3, unique=True)):
        args += [opt, draw(VALUE)]
    args += draw(st.lists(st.sampled_from(flags), max_size=1, unique=True)) if flags else []
    return args


# --------------------------------------------------------------------------------------------- properties
@fuzz(70)
@given(data=st.data())
def test_random_option_values_never_crash(files, data) -> None:
    (files["dir"] / "out").mkdir(exist_ok=True)
    _no_internal_error(data.draw(command_lines(files)))


def _toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f'"{k}" = {_toml_value(x)}' for k, x in v.items()) + "}"
    s = str(v).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in s) + '"'


RULE_KEYS = ["min_size", "max_size", "size_by", "nest_by", "require_head", "heads_for_size", "keep_settlements",
             "max_walk_min", "join_limit_min", "name", "label", "preset", "min", "Max_Size", "院落规模"]
SCALAR = st.one_of(st.integers(-(2**64), 2**64), st.integers(0, 60), st.floats(allow_nan=True, allow_infinity=True),
                   st.booleans(), st.sampled_from(["15", "group", "village", "persons", "households", "false", "no",
                                                   "banan", "", "nope", "1e3"]), st.text(max_size=6))
RULE_VALUE = st.one_of(SCALAR, st.lists(SCALAR, max_size=3), st.dictionaries(st.sampled_from(["a", "min_size"]),
                                                                             SCALAR, max_size=2))


@st.composite
def rules_files(draw: st.DrawFn) -> bytes:
    table = draw(st.dictionaries(st.sampled_from(RULE_KEYS), RULE_VALUE, max_size=6))
    if draw(st.booleans()):  # mostly a usable band, so the other keys are reached
        table.setdefault("min_size", draw(st.integers(1, 3)))
        table.setdefault("max_size", draw(st.integers(2, 6)))
    body = "\n".join(f'"{k}" = {_toml_value(v)}' for k, v in table.items())
    head = draw(st.sampled_from(["[rules]\n", "", "rules = 5\n", "[rules.extra]\n"]))
    raw = (head + body + "\n").encode("utf-8")
    mangle = draw(st.sampled_from(["none", "none", "truncate", "gbk", "bom", "garbage"]))
    if mangle == "truncate":
        raw = raw[: draw(st.integers(0, max(len(raw) - 1, 0)))]
    elif mangle == "gbk":
        raw = (head + body + "\n# 院落规则\n").encode("gbk", errors="replace")
    elif mangle == "bom":
        raw = b"\xef\xbb\xbf" + raw
    elif mangle == "garbage":
        raw = draw(st.binary(max_size=40))
    return raw


@fuzz(60)
@given(raw=rules_files(), command=st.sampled_from(["check", "delineate", "delineate", "delineate"]))
@example(raw=b'[rules]\nmin_size = 1\nmax_size = 4\nmax_walk_min = "15"\n', command="check")  # issue 10: exit 3
@example(raw=b"[rules]\nmin_size = 1\nmax_size = 4\nnest_by = 5\n", command="check")
@example(raw=b'[rules]\nmin_size = 1\nmax_size = 4\nkeep_settlements = "false"\nnest_by = "group"\n', command="check")
@example(raw=b'[rules]\nmin_size = 1\nmax_size = 99999999999999999999\nsize_by = "persons"\n', command="check")
def test_random_rules_files_never_crash(files, raw, command) -> None:
    path = files["dir"] / "rules.toml"
    path.write_bytes(raw)
    # check on the tiny register runs the rules through a whole check; delineate reads them, then the empty file
    src = files["good"] if command == "check" else files["empty"]
    args = [command, str(src), "--crs", "EPSG:4490", "--rules", str(path)]
    args += ["--unit-col", "院落"] if command == "check" else ["-o", str(files["dir"] / "rules_out.gpkg")]
    _no_internal_error(args)


CELL = st.one_of(st.sampled_from(["", " ", "001", "1e400", "inf", "-0", "99999999999999999999", "9" * 40, "１０６．５",
                                  "106°30′", "=1+1", "\"", "'", ",", "\n", "\t", "户主", "经度", "NaN", "None", "\ufeff"]),
                 st.floats(allow_nan=True, allow_infinity=True).map(repr), st.integers(-(2**80), 2**80).map(str),
                 st.text(max_size=6))
HEADERS = ["户编号", "经度", "纬度", "人口", "村民小组", "hid", "lon", "lat", "x", "y", "院落", "unit_id", "persons",
           "fid", "FID", "经度", "", " ", "身份证号", "col7"]


@st.composite
def table_files(draw: st.DrawFn) -> bytes:
    """A small table: a random header (duplicates, blanks, odd names) and random cells, then mangled."""
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=0, max_size=6))
    if draw(st.booleans()):
        header = ["户编号", "经度", "纬度", *header]
    rows = []
    for i in range(draw(st.integers(0, 5))):
        good = [f"{i + 1:03d}", f"{LON0 + 0.0004 * i:.6f}", f"{LAT0:.6f}"]
        cells = [draw(CELL) if draw(st.booleans()) else (good[j] if j < 3 else "3") for j in range(len(header))]
        rows.append(",".join(cells))
    raw_text = "\n".join([",".join(header), *rows]) + "\n"
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "gbk", "utf-16", "utf-8-sig", "latin-1"]))
    raw = raw_text.encode(encoding, errors="replace")
    mangle = draw(st.sampled_from(["none", "none", "truncate", "garbage", "bom-gbk", "nul"]))
    if mangle == "truncate":
        raw = raw[: draw(st.integers(0, len(raw)))]
    elif mangle == "garbage":
        raw = draw(st.binary(max_size=60))
    elif mangle == "bom-gbk":
        raw = b"\xef\xbb\xbf" + raw_text.encode("gbk", errors="replace")
    elif mangle == "nul":
        raw = raw.replace(b",", b"\x00", 1)
    return raw


@fuzz(80)
@example(raw="户编号,备注\n001,院落中心\n".encode("gbk"), slot="seeds", encoding=None)  # issue 10: exit 3
@example(raw=b"\xff\xfe\x00garbage\x00", slot="seeds", encoding=None)
@example(raw="户编号,院落编号\n001,U0\n003,U1\n".encode(), slot="meeting-points", encoding=None)
@example(raw=b"\xef\xbb\xbf" + HEADER.encode("gbk") + b"\n001,106.55,29.56,3,x\n", slot="households", encoding="gbk")
@given(raw=table_files(), slot=st.sampled_from(["households"] * 8 + ["plan", "meeting-points"] * 2 + ["seeds"]),
       encoding=st.sampled_from([None, None, "gbk", "utf-8", "nope"]))
def test_random_malformed_files_never_crash(files, raw, slot, encoding) -> None:
    path = files["dir"] / f"bad_{slot}.csv"
    path.write_bytes(raw)
    if slot == "households":
        args = ["validate", str(path), "--crs", "EPSG:4490"] + (["--encoding", encoding] if encoding else [])
    elif slot == "seeds":  # read right after the households: a bad one stops before the delineation
        args = ["delineate", str(files["good"]), "--crs", "EPSG:4490", "--min", "2", "--max", "3", "--seeds", str(path),
                "-o", str(files["dir"] / "seeds_out.gpkg")]
    else:
        args = ["check", str(files["good"]), "--crs", "EPSG:4490", "--min", "1", "--max", "4",
                *(["--plan", str(path)] if slot == "plan" else ["--unit-col", "院落", "--meeting-points", str(path)])]
    _no_internal_error(args)
