"""Fixes that named options the running command lacks (s33, after 318b113's ``fix_no_option``): PLAN-COLUMN told
``edit --plan`` and ``delineate --plan`` users ``--id-col / --unit-col`` (edit has neither, delineate no
``--unit-col``), CSV-HEADER told ``cover`` users ``--id-col/--x-col/--y-col``, and ATTR-PERSONAL told ``edit``,
``repair``, ``graph`` and ``validate`` users to name a column in ``--fields``, which they lack. Each now has a
version naming no option of the running command; commands that have the options keep the fix naming them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()
ENV = {"COLUMNS": "400"}
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
HAN = re.compile(r"[\u4e00-\u9fff]")


def _run(args: list[str], lang: str) -> tuple[int, str]:
    res = runner.invoke(app, ["--lang", lang, *args], env=ENV)
    return res.exit_code, " ".join(res.output.replace("│", " ").split())


def _options(command: str) -> set[str]:
    """The options ``yuanluo <command> --help`` lists."""
    return set(OPTION.findall(runner.invoke(app, [command, "--help"], env=ENV).output))


def _fix(said: str, code: str, lang: str) -> str:
    """The fix said after ``code`` (up to the next finding or the end)."""
    head = {"zh": "处理办法：", "en": "Fix: "}[lang]
    at = said.index(code)
    start = said.index(head, at) + len(head)
    ends = [i for i in (said.find(m, start) for m in ("（未写出", "(no output", "└", "┃", "已写出", "Wrote ", "Written: ",
                                                          "警告 ", "Warning ")) if i >= 0]
    return said[start:min(ends) if ends else len(said)]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("fp")
    hh = d / "ph.csv"
    hh.write_text("户编号,东坐标,北坐标,院落编号,联系电话\n" + "".join(
        f"H{k:02d},{500000 + (k // 3) * 60},{3265000 + (k % 3) * 60},U{k // 3 + 1},1381234{k:04d}\n"
        for k in range(12)), encoding="utf-8")
    res = d / "res.gpkg"
    rc, said = _run(["delineate", str(hh), "--crs", "EPSG:4545", "--min", "2", "--max", "4", "-o", str(res), "-q"],
                    "zh")
    assert rc == 0, said
    bad = d / "badplan.csv"
    bad.write_text("code,yard\n" + "".join(f"H{k:02d},U1\n" for k in range(12)), encoding="utf-8")
    nohead = d / "nohead.csv"
    nohead.write_text("foo,bar,baz\n1,2,3\n4,5,6\n", encoding="utf-8")
    return {"hh": hh, "res": res, "bad": bad, "nohead": nohead, "dir": d}


def _lacking(fix: str, command: str, lang: str) -> None:
    assert fix, fix
    assert not (OPTION.findall(fix) and set(OPTION.findall(fix)) - _options(command)
                and "yuanluo " not in fix), (command, fix)  # another command's options only with its name
    if lang == "en":
        assert not HAN.search(fix.replace("户编号", "").replace("院落编号", "").replace("经度", "").replace(
            "纬度", "").replace("联系电话", "")), fix
    else:
        assert not re.search(r"[A-Za-z]{3,} [A-Za-z]{3,} [A-Za-z]{3,}", fix), fix  # no English sentence


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plan_column_of_edit_and_delineate_names_no_unit_col(files: dict[str, Path], lang: str) -> None:
    # edit has --unit-col since 32733ad (the unit column of a plan table or of unit polygons), not --id-col: a plan
    # lacking both columns is told to rename them, as delineate's is
    assert "--unit-col" not in _options("delineate") and "--id-col" not in _options("edit")
    d = files["dir"]
    for args in (["edit", str(files["res"]), "--min", "2", "--max", "4", "--plan", str(files["bad"]), "-o",
                  str(d / f"ed_{lang}.html")],
                 ["delineate", str(files["hh"]), "--crs", "EPSG:4545", "--min", "2", "--max", "4", "--plan",
                  str(files["bad"]), "--lock", "U1", "-o", str(d / f"re_{lang}.gpkg")]):
        rc, said = _run(args, lang)
        assert rc == 2 and "PLAN-COLUMN" in said, said
        fix = _fix(said, "PLAN-COLUMN", lang)
        assert "--unit-col" not in fix and "--id-col" not in fix, fix
        assert {"zh": "“户编号”和“院落编号”", "en": "hid / unit_id"}[lang] in fix, fix
        _lacking(fix, args[0], lang)
    # check has both options: its fix names them still
    rc, said = _run(["check", str(files["hh"]), "--crs", "EPSG:4545", "--min", "2", "--max", "4", "--plan",
                     str(files["bad"])], lang)
    assert {"zh": "--id-col、--unit-col", "en": "--id-col / --unit-col"}[lang] in _fix(said, "PLAN-COLUMN", lang), said


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_csv_header_of_cover_names_no_column_options(files: dict[str, Path], lang: str) -> None:
    """cover takes a result GeoPackage: a household table given to it is told to be delineated first (session 38:
    it was read, and its findings' fixes named options cover lacks: --id-col here, --crs for CRS-MISSING)."""
    assert not {"--id-col", "--x-col", "--y-col"} & _options("cover")
    rc, said = _run(["cover", str(files["nohead"]), "-o", str(files["dir"] / f"cv_{lang}.gpkg")], lang)
    assert rc == 2 and "RESULT-NOT-RESULT" in said and "CSV-HEADER" not in said, said
    fix = _fix(said, "RESULT-NOT-RESULT", lang)
    assert "--id-col" not in fix and "yuanluo delineate" in fix, fix
    _lacking(fix, "cover", lang)
    rc, said = _run(["validate", str(files["nohead"])], lang)  # validate has them
    assert "--id-col/--x-col/--y-col" in _fix(said, "CSV-HEADER", lang), said


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_attr_personal_of_edit_and_repair_names_no_fields(files: dict[str, Path], lang: str) -> None:
    assert "--fields" not in _options("edit")
    d = files["dir"]
    for args in (["edit", str(files["res"]), "--min", "2", "--max", "4", "-o", str(d / f"ap_{lang}.html")],):
        rc, said = _run(args, lang)
        assert rc == 0 and "ATTR-PERSONAL" in said, said
        fix = _fix(said, "ATTR-PERSONAL", lang)
        assert "yuanluo map" in fix and "--fields 联系电话 --include-personal" in fix, fix
        assert {"zh": "把它写进 --fields", "en": "name it in --fields"}[lang] not in fix, fix
        _lacking(fix, args[0], lang)
    # map has --fields, and repair since session 41 (its plan's columns): their fix names it as before
    assert "--fields" in _options("repair")
    for args in (["map", str(files["res"]), "-o", str(d / f"m_{lang}.html")],
                 ["repair", str(files["hh"]), "--crs", "EPSG:4545", "--min", "2", "--max", "4", "--unit-col",
                  "院落编号", "-o", str(d / f"rp_{lang}.csv")]):
        rc, said = _run(args, lang)
        assert rc == 0 and {"zh": "把它写进 --fields", "en": "name it in --fields"}[lang] in _fix(
            said, "ATTR-PERSONAL", lang), said
