"""``-q`` prints the outcome and the errors only: no warnings, no notes (README), on a failing run as on one that
succeeds, in Chinese and in English (task GG, audit Z2 defect 4).

A failed run printed the warnings met before its error (``警告 ATTR-PERSONAL`` under ``错误 CRS-GKPREFIX``);
``validate`` of a workbook printed which sheet it read; the old spelling ``--max-walk`` printed CLI-DEPRECATED.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()
XY = ["--crs", "EPSG:4544", "--x-col", "X坐标", "--y-col", "Y坐标"]
WARNING = {"zh": "警告", "en": "Warning"}
ERROR = {"zh": "错误", "en": "Error"}


def _rows(n: int = 12) -> pd.DataFrame:
    """Households in EPSG:4544 (CGCS2000 3° GK, CM 105°E) with a personal column (ATTR-PERSONAL, a warning)."""
    return pd.DataFrame({"户编号": [f"{i + 1:03d}" for i in range(n)],
                         "X坐标": [388843 + 40 * i for i in range(n)],
                         "Y坐标": [3296434 + 30 * (i % 3) for i in range(n)],
                         "户主姓名": [f"张{i}" for i in range(n)]})


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("quiet")
    csv, xlsx = d / "hh.csv", d / "hh.xlsx"
    _rows().to_csv(csv, index=False)
    with pd.ExcelWriter(xlsx) as w:
        _rows().to_excel(w, sheet_name="农户", index=False)
    return {"csv": csv, "xlsx": xlsx}


def _run(args: list[str], lang: str) -> tuple[int, str]:
    res = runner.invoke(app, [*args, "--lang", lang])
    return res.exit_code, res.output


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("cmd", ["validate", "graph", "delineate"])
def test_failing_run_with_q_prints_its_errors_not_its_warnings(files: dict[str, Path], tmp_path: Path, cmd: str,
                                                               lang: str) -> None:
    # X and Y not named: the columns are read the surveyors' way round, COORD-XY-SWAP, after ATTR-PERSONAL
    args = [cmd, str(files["csv"]), "--crs", "EPSG:4544"]
    args += [] if cmd == "validate" else ["-o", str(tmp_path / "r.gpkg")]
    args += ["--min", "4", "--max", "8"] if cmd == "delineate" else []
    code, loud = _run(args, lang)
    assert code == 2 and "COORD-XY-SWAP" in loud and f"{WARNING[lang]} ATTR-PERSONAL" in loud, loud
    code, quiet = _run([*args, "-q"], lang)
    assert code == 2, quiet
    assert f"{ERROR[lang]} COORD-XY-SWAP" in quiet, quiet
    assert "ATTR-PERSONAL" not in quiet and WARNING[lang] not in quiet, quiet
    nothing = {"zh": "（未写出任何结果文件）", "en": "(no output file was written)"}[lang]
    assert quiet.rstrip().endswith(nothing) == (cmd != "validate"), quiet  # validate writes nothing (s38 H)
    assert not (tmp_path / "r.gpkg").exists()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_validate_q_of_a_workbook_prints_the_outcome_not_the_sheet_note(files: dict[str, Path], lang: str) -> None:
    args = ["validate", str(files["xlsx"]), *XY]
    code, loud = _run(args, lang)
    sheet = {"zh": "工作表“农户”", "en": "sheet"}[lang]
    assert code == 0 and sheet in loud and "ATTR-PERSONAL" in loud, loud
    code, quiet = _run([*args, "-q"], lang)
    assert code == 0, quiet
    assert [line for line in quiet.splitlines() if line.strip()] == [loud.splitlines()[0]], quiet


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_old_option_name_warning_not_with_q(files: dict[str, Path], tmp_path: Path, lang: str) -> None:
    args = ["graph", str(files["csv"]), *XY, "--max-walk", "10", "--overwrite", "-o", str(tmp_path / "g.gpkg")]
    code, loud = _run(args, lang)
    assert code == 0 and "CLI-DEPRECATED" in loud, loud
    code, quiet = _run([*args, "-q"], lang)
    assert code == 0 and "CLI-DEPRECATED" not in quiet and WARNING[lang] not in quiet, quiet
    assert (tmp_path / "g.gpkg").exists()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_q_keeps_the_warnings_in_the_result(files: dict[str, Path], tmp_path: Path, lang: str) -> None:
    """-q changes what is printed, not what is written: the run record keeps the input warnings."""
    out = tmp_path / "r.gpkg"
    code, quiet = _run(["delineate", str(files["csv"]), *XY, "--min", "4", "--max", "8", "-o", str(out), "-q"],
                       lang)
    assert code == 0 and "ATTR-PERSONAL" not in quiet and WARNING[lang] not in quiet, quiet
    import sqlite3

    with sqlite3.connect(out) as db:
        tables = [r[0] for r in db.execute("select table_name from gpkg_contents")]
        dump = "\n".join(str(row) for t in tables for row in db.execute(f'select * from "{t}"'))
    assert "ATTR-PERSONAL" in dump, tables
