"""``-q`` prints the outcome and the errors only (README): the notes of ``repair`` (whether its moves are the
fewest), ``maturity load`` (the periods read) are left out with it, and said without it."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_fixtures import two_group_row
from test_maturity import _fill
from test_maturity import result as result  # noqa: F401 - the module's fixture: a delineation result
from typer.testing import CliRunner

from yuanluo.gis.catalogue import text
from yuanluo.planners.cli import app

runner = CliRunner()


def _repair_case(tmp_path: Path) -> list[str]:
    hh = two_group_row(tmp_path)
    rules = tmp_path / "r.toml"
    rules.write_text("[rules]\nmin_size = 5\nmax_size = 7\nnest_by = [\"group\"]\n", encoding="utf-8")
    return ["repair", str(hh), "--crs", "EPSG:4490", "--unit-col", "方案", "--rules", str(rules)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_repair_says_how_it_solved_only_without_q(tmp_path: Path, lang: str) -> None:
    base = [*_repair_case(tmp_path), "--lang", lang]
    # the exact method's note: since a3e3bfe the model may open a unit, and the note says so when it could (since
    # session 35 up to 2, and "new units allowed" where the region holds no more units than that)
    notes = [text("cli.repair.method.exact", lang), text("repair.method.exact.new", lang, k=1),
             text("repair.method.exact.new", lang, k=2), text("repair.method.exact.all", lang),
             text("repair.method.fewest.error", lang, n=1)]  # its one move is the fewest (session 39)
    loud = runner.invoke(app, [*base, "-o", str(tmp_path / "a.csv")], env={"COLUMNS": "400"})
    assert loud.exit_code == 0 and any(n in loud.output for n in notes), loud.output
    quiet = runner.invoke(app, [*base, "-o", str(tmp_path / "b.csv"), "-q"], env={"COLUMNS": "400"})
    assert quiet.exit_code == 0 and not any(n in quiet.output for n in notes) and (tmp_path / "b.csv").exists(), \
        quiet.output
    assert text("cli.repair.passed", lang, n=1).split("1")[0] in quiet.output  # the outcome still said


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_maturity_load_says_the_periods_only_without_q(result: Path, tmp_path: Path, lang: str) -> None:  # noqa: F811
    sheet = tmp_path / "评分表.xlsx"
    assert runner.invoke(app, ["maturity", "template", str(result), "-o", str(sheet)]).exit_code == 0
    filled = tmp_path / "filled.xlsx"
    _fill(sheet, filled)
    word = text("maturity.periods_read", lang, periods="").strip()
    loud = runner.invoke(app, ["maturity", "load", str(result), str(filled), "-o", str(tmp_path / "a.gpkg"),
                               "--lang", lang], env={"COLUMNS": "400"})
    assert loud.exit_code == 0 and word in loud.output, loud.output
    quiet = runner.invoke(app, ["maturity", "load", str(result), str(filled), "-o", str(tmp_path / "b.gpkg"),
                                "--lang", lang, "-q"], env={"COLUMNS": "400"})
    assert quiet.exit_code == 0 and word not in quiet.output and (tmp_path / "b.gpkg").exists(), quiet.output
