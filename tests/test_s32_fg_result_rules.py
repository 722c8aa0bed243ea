"""``delineate`` of a Yuanluo result without rules takes the rules it records, as ``check``, ``repair`` and ``edit``
do (audit s32 ZC §2: ``yuanluo delineate r1.gpkg --lock U001`` stopped with RULE-NONE), and says so; a household
file that is not a result still needs rules. One bound given over a result's recorded rules is said as given
(§3: ``check r1.gpkg --min 25`` said "no rules given" while applying the 25)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.gis.catalogue import text
from yuanluo.gis.synth import make_village
from yuanluo.planners import workflows as W
from yuanluo.planners.cli import app

runner = CliRunner()
ENV = {"COLUMNS": "400"}
HAN = re.compile(r"[\u4e00-\u9fff]")


def _flat(s: str) -> str:
    return " ".join(s.split())


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("recorded")
    make_village(60, seed=3).write(d)
    (d / "persons.toml").write_text('[rules]\nmin_size = 30\nmax_size = 80\nsize_by = "persons"\n'
                                    'require_head = false\n', encoding="utf-8")
    here = Path.cwd()
    os.chdir(d)
    try:
        for args in (["--min", "12", "--max", "24", "-o", "result.gpkg"],
                     ["--rules", "persons.toml", "-o", "persons.gpkg"]):
            res = runner.invoke(app, ["delineate", "households.gpkg", *args, "-q"], env=ENV)
            assert res.exit_code == 0, res.output
    finally:
        os.chdir(here)
    return d


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("lock", [True, False])
def test_delineate_of_a_result_without_rules_takes_its_own(made: Path, tmp_path: Path, lang: str, lock: bool) -> None:
    result, out = made / "result.gpkg", tmp_path / "again.gpkg"
    res = runner.invoke(app, ["--lang", lang, "delineate", str(result), *(["--lock", "U001"] if lock else []),
                              "-o", str(out)], env=ENV)
    assert res.exit_code == 0, res.output  # was RULE-NONE
    said = text("cli.rules.recorded", lang, walk="", file=str(result), min=12, max=24,
                verb=text("cli.rules.verb.delineate", lang))
    assert _flat(said) in _flat(res.output), res.output
    if lang == "en":
        assert not HAN.search(said) and "delineated against the rules the result" in said
    else:
        assert "记录的规则（12–24 户）划分" in said
    kept = W.result_rules(out)  # the new result records the rules it was delineated by
    assert (kept.min_size, kept.max_size) == (12, 24)


def test_delineate_of_a_household_file_still_needs_rules(made: Path, tmp_path: Path) -> None:
    res = runner.invoke(app, ["delineate", str(made / "households.gpkg"), "-o", str(tmp_path / "x.gpkg")], env=ENV)
    assert res.exit_code == 2 and "RULE-NONE" in res.output, res.output
    assert not (tmp_path / "x.gpkg").exists()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_bound_given_over_the_recorded_rules_is_said_as_given(made: Path, lang: str) -> None:
    result = made / "result.gpkg"
    res = runner.invoke(app, ["--lang", lang, "check", str(result), "--min", "14"], env=ENV)
    assert res.exit_code in (0, 1), res.output
    out = _flat(res.output)
    none_given = text("cli.rules.recorded", lang, walk="", file=str(result), min=14, max=24,
                      verb=text("cli.rules.verb.check", lang))
    assert _flat(none_given)[:8] not in out  # was 未给规则 / No rules given, with --min 14 applied
    said = text("cli.rules.recorded_partial", lang, walk="", file=str(result), min=14, max=24, option="--min 14",
                verb=text("cli.rules.verb.check", lang))
    assert _flat(said) in out, res.output
    if lang == "en":
        assert said.startswith("Only --min 14 given: checked against the rules the result") and not HAN.search(said)
        assert "with --min 14 as given (14–24 households)" in said
    else:
        assert said.startswith("只给了 --min 14：按划分结果") and "--min 14 取所给的值（14–24 户）" in said
    both = runner.invoke(app, ["--lang", lang, "check", str(result), "--min", "14", "--max", "24"], env=ENV)
    assert _flat(said)[:10] not in _flat(both.output)  # whole rules given: nothing to say


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_persons_band_is_said_in_persons(made: Path, lang: str) -> None:
    result = made / "persons.gpkg"
    res = runner.invoke(app, ["--lang", lang, "check", str(result)], env=ENV)
    assert res.exit_code in (0, 1), res.output
    said = text("cli.rules.recorded.persons", lang, walk="", file=str(result), min=30, max=80,
                verb=text("cli.rules.verb.check", lang))
    assert _flat(said) in _flat(res.output), res.output  # was "(30–80 households)"
    assert ("（30–80 人）" if lang == "zh" else "(30–80 persons)") in said
    res = runner.invoke(app, ["--lang", lang, "check", str(result), "--max", "90"], env=ENV)
    said = text("cli.rules.recorded_partial.persons", lang, walk="", file=str(result), min=30, max=90, option="--max 90",
                verb=text("cli.rules.verb.check", lang))
    assert _flat(said) in _flat(res.output), res.output
