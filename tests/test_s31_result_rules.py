"""``check`` and ``repair`` of a Yuanluo result without rules take the rules it records (as ``edit`` does), and say
so; the note the ``--xlsx`` plan carries (``yuanluo check 划分结果.gpkg --plan 本表.xlsx``) then runs as written. A
household file that is not a result still needs rules (RULE-NONE)."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_fixtures import delineate_village
from typer.testing import CliRunner

from yuanluo.gis.catalogue import text
from yuanluo.planners.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("recorded")
    delineate_village(d, ["--min", "12", "--max", "24", "-o", "result.gpkg", "--xlsx", "plan.xlsx", "-q"])
    return d


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_of_a_result_without_rules_takes_its_own(made: Path, lang: str) -> None:
    res = runner.invoke(app, ["--lang", lang, "check", str(made / "result.gpkg")], env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    said = text("cli.rules.recorded", lang, walk="", file=str(made / "result.gpkg"), min=12, max=24,
                verb=text("cli.rules.verb.check", lang))
    assert said in res.output, res.output
    head = said[:6]  # 未给规则： / No rules
    quiet = runner.invoke(app, ["--lang", lang, "check", str(made / "result.gpkg"), "-q"], env={"COLUMNS": "400"})
    assert quiet.exit_code == 0 and head not in quiet.output, quiet.output
    given = runner.invoke(app, ["--lang", lang, "check", str(made / "result.gpkg"), "--min", "12", "--max", "24"],
                          env={"COLUMNS": "400"})
    assert given.exit_code == 0 and head not in given.output, given.output  # rules given: nothing to say


def test_the_xlsx_plans_own_check_command_runs_as_written(made: Path) -> None:
    res = runner.invoke(app, ["check", str(made / "result.gpkg"), "--plan", str(made / "plan.xlsx")],
                        env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output


def test_repair_of_a_result_without_rules_takes_its_own(made: Path, tmp_path: Path) -> None:
    out = tmp_path / "fixed.csv"
    res = runner.invoke(app, ["--lang", "en", "repair", str(made / "result.gpkg"), "--plan", str(made / "plan.xlsx"),
                              "-o", str(out)], env={"COLUMNS": "400"})
    assert res.exit_code == 0 and out.exists(), res.output
    assert "repaired against the rules the result" in " ".join(res.output.split())


def test_a_household_file_that_is_not_a_result_still_needs_rules(made: Path) -> None:
    res = runner.invoke(app, ["check", str(made / "households.gpkg"), "--unit-col", "settlement"],
                        env={"COLUMNS": "400"})
    assert res.exit_code == 2 and "RULE-NONE" in res.output, res.output
