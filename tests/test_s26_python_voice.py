"""A problem met in a call of the Python API says what to pass there (session 26, audit Q, defects 2 and 4).

The fix of an error raised by ``read_households(...)`` or ``preset(...)`` named command-line options (``--crs``,
``--id-col``, ``--x-col``, ``--min/--max``) that a notebook has no way to give; it now names the keyword arguments
(the catalogue's ``fix_py``), while the same error met by a command of the command line still names the options.
``YUANLUO_LANG=en`` had no effect in Python: ``str(error)`` was always Chinese.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from yuanluo import preset, read_households
from yuanluo.gis.catalogue import LANGS, catalogue, fields_of
from yuanluo.gis.errors import InputError, YuanluoError, on_command_line, problem
from yuanluo.planners.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
HAN = re.compile(r"[\u3400-\u9fff]")
FLAG = re.compile(r"--[a-z]")


@pytest.fixture(autouse=True)
def _no_lang_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("YUANLUO_LANG", raising=False)


def _csv(tmp_path: Path, name: str, body: str) -> Path:
    p = tmp_path / name
    p.write_text(body, encoding="utf-8")
    return p


# each case: a file, the extra arguments (Python keywords / command-line options), the code, what the Python fix
# names in English and in Chinese, and what the command line's fix names
CASES = [
    ("nocrs.csv", "户编号,经度,纬度\nA1,106.5,29.5\nA2,106.5001,29.5001\n", {}, [], "CRS-MISSING",
     "crs=", "“crs=”", "--crs"),
    ("noid.csv", "hh_no,x,y\n1,106.5,29.5\n2,106.5001,29.5001\n", {"crs": "EPSG:4490"}, ["--crs", "EPSG:4490"],
     "COL-MISSING", "id_col=", "id_col=", "--id-col"),
    ("nocoords.csv", "户编号,人数\n1,3\n2,4\n", {"crs": "EPSG:4490"}, ["--crs", "EPSG:4490"],
     "COL-MISSING", "x_col=/y_col=", "x_col=/y_col=", "--x-col/--y-col"),
    ("swapped.csv", "户编号,经度,纬度\nA1,29.5,106.5\nA2,29.5001,106.5001\n", {"crs": "EPSG:4490"},
     ["--crs", "EPSG:4490"], "COORD-SWAP", "x_col=", "“x_col=”", "--x-col"),
]


@pytest.mark.parametrize(("name", "body", "kwargs", "_opts", "code", "en_kw", "zh_kw", "_flag"), CASES)
def test_an_error_of_read_households_names_its_keyword_arguments(
        tmp_path: Path, name: str, body: str, kwargs: dict[str, str], _opts: list[str], code: str, en_kw: str,
        zh_kw: str, _flag: str) -> None:
    with pytest.raises(InputError) as info:
        read_households(_csv(tmp_path, name, body), **kwargs)
    e = info.value
    assert e.code == code
    en, zh = e.render("en"), e.render("zh")
    assert en_kw in en and not FLAG.search(en), en
    assert zh_kw in zh and not FLAG.search(zh), zh
    assert e.problems[0].python and en_kw in e.problems[0].fix("en")


@pytest.mark.parametrize(("name", "body", "_kwargs", "opts", "code", "en_kw", "_zh_kw", "flag"), CASES)
@pytest.mark.parametrize("lang", LANGS)
def test_the_same_error_on_the_command_line_names_the_option(
        tmp_path: Path, name: str, body: str, _kwargs: dict[str, str], opts: list[str], code: str, en_kw: str,
        _zh_kw: str, flag: str, lang: str) -> None:
    res = runner.invoke(app, ["--lang", lang, "validate", str(_csv(tmp_path, name, body)), *opts])
    assert res.exit_code == 2, res.output
    assert code in res.output and flag in res.output, res.output
    assert en_kw.rstrip("=") + "=" not in res.output, res.output


def test_an_unknown_preset_names_rules_in_python_and_the_options_on_the_command_line(tmp_path: Path) -> None:
    with pytest.raises(YuanluoError) as info:
        preset("banann")
    assert info.value.code == "RULE-PRESET"
    for lang in LANGS:
        said = info.value.render(lang)
        assert "Rules(min_size=20, max_size=50)" in said and "--min" not in said and "--rules" not in said, said
    for lang in LANGS:
        res = runner.invoke(app, ["--lang", lang, "demo", "-o", str(tmp_path / "out"), "--preset", "banann"])
        assert res.exit_code == 2 and "RULE-PRESET" in res.output and "--min" in res.output, res.output
        assert "min_size=" not in res.output
    assert not (tmp_path / "out").exists()


def test_the_voice_is_decided_when_the_problem_is_made() -> None:
    """A problem made inside a command keeps the options when shown after the command (outside its context)."""
    import typer.main

    command = typer.main.get_command(app)
    with command.make_context("yuanluo", ["validate", "--help"], resilient_parsing=True):
        assert on_command_line()
        made_in_command = problem("CRS-MISSING", file="a.csv")
    assert not on_command_line()
    assert "--crs" in made_in_command.fix("en") and "--crs" in InputError(made_in_command).render("zh")
    assert "crs=" in problem("CRS-MISSING", file="a.csv").fix("en")
    assert "--crs" not in problem("CRS-MISSING", file="a.csv").fix("zh")


def _entries(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _raised_in_gis(code: str) -> bool:
    """Whether ``code`` is written in a module of ``gis/`` (the Python API), not only in the command line's."""
    return any(f'"{code}"' in p.read_text(encoding="utf-8") for p in (ROOT / "gis").rglob("*.py"))


def test_every_fix_naming_an_option_has_a_python_version_where_python_can_meet_it() -> None:
    missing = []
    for name in ("load.toml", "rules.toml"):
        for code, entry in _entries(ROOT / "gis" / "messages" / name).items():
            fixes = [entry[lang].get("fix", "") for lang in LANGS if isinstance(entry[lang], dict)]
            if any(FLAG.search(str(f)) for f in fixes) and _raised_in_gis(code):
                if not all("fix_py" in entry[lang] for lang in LANGS):
                    missing.append(code)
    assert not missing, missing
    assert _raised_in_gis("CRS-MISSING") and not _raised_in_gis("NO-SUCH-CODE")


def test_python_versions_name_no_option_and_use_only_the_fields_of_their_entry() -> None:
    cat = catalogue()
    seen = 0
    for key, entry in cat.items():
        for lang in LANGS:
            if "fix_py" in entry[lang]:
                seen += 1
                have = {f for fld in ("title", "fix", "title_py") for f in fields_of(entry[lang].get(fld) or "")}
                extra = {"file", "count", "examples"}  # Problem fills these itself
                assert fields_of(entry[lang]["fix_py"]) <= have | extra, (key, lang)
                assert not FLAG.search(entry[lang]["fix_py"]), (key, lang)
        if key.endswith(".py"):
            seen += 1
            base = cat[key[:-3]]
            for lang in LANGS:
                keyword = {"keyword"} if "option" in fields_of(base[lang]["text"]) else set()
                assert fields_of(entry[lang]["text"]) <= fields_of(base[lang]["text"]) | keyword, key
                assert not FLAG.search(entry[lang]["text"]), key
    assert seen > 40


def test_a_column_named_but_missing_names_the_keyword_that_named_it(tmp_path: Path) -> None:
    p = _csv(tmp_path, "hh.csv", "户编号,经度,纬度\n1,106.5,29.5\n")
    with pytest.raises(InputError) as info:
        read_households(p, crs="EPSG:4490", columns={"head_candidate": "没有这列"})
    fix = info.value.problems[0].fix("en")
    assert info.value.code == "COL-MISSING" and 'columns={"head_candidate": ...}' in fix and "--" not in fix, fix


def test_size_exception_of_a_python_check_names_no_option() -> None:
    from yuanluo.gis.catalogue import both

    assert "--groups" not in both("check.isolated.nesting.fix")["en"]
    assert "group polygons" in both("check.isolated.nesting.fix")["en"]


# ---------------------------------------------------------------------------------------------- YUANLUO_LANG


def test_str_of_an_error_follows_yuanluo_lang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = _csv(tmp_path, "nocrs.csv", "户编号,经度,纬度\nA1,106.5,29.5\n")
    with pytest.raises(InputError) as zh:
        read_households(p)
    assert HAN.search(str(zh.value)) and zh.value.lang == "zh"
    monkeypatch.setenv("YUANLUO_LANG", "en")
    with pytest.raises(InputError) as en:
        read_households(p)
    assert en.value.lang == "en"
    assert "declares no coordinate system" in str(en.value) and not HAN.search(str(en.value)), str(en.value)
    assert not HAN.search(en.value.problems[0].message()) and HAN.search(en.value.render("zh"))
    assert HAN.search(str(InputError(problem("IO-NOTFOUND", file="a.csv"), lang="zh")))  # an explicit language wins
    monkeypatch.setenv("YUANLUO_LANG", "fr")
    assert InputError(problem("IO-NOTFOUND", file="a.csv")).lang == "zh"


def test_the_way_to_english_is_documented() -> None:
    import yuanluo.gis.errors as errors

    assert errors.__doc__ is not None and "YUANLUO_LANG" in errors.__doc__
    assert errors.YuanluoError.render.__doc__ is not None and "YUANLUO_LANG" in errors.YuanluoError.render.__doc__
