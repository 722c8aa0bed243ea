"""Excel's lock file given as the plan (``~$方案.xlsx`` while 方案.xlsx is open) is IO-LOCKFILE naming the
workbook, as for a household file or a score sheet (it was PLAN-FILE "not a whole workbook", whose fix of other
formats cannot help)."""
from __future__ import annotations

from pathlib import Path

from badfiles import HEADER, good_rows, write_csv
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


def test_the_lock_file_of_an_open_plan_workbook_is_said_to_be_one(tmp_path: Path) -> None:
    hh = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(12)])
    lock = tmp_path / "~$方案.xlsx"
    lock.write_bytes(b"\x0bAdministrator" + b" " * 40 + b"\x0b\x00A\x00d\x00m\x00i\x00n" + b"\x00" * 100)
    for lang, says in (("zh", "是 Excel 或 WPS 打开 方案.xlsx 时生成的锁文件"), ("en", "the lock file Excel or WPS keeps")):
        res = runner.invoke(app, ["--lang", lang, "check", str(hh), "--crs", "EPSG:4490", "--plan", str(lock),
                                  "--min", "4", "--max", "8"], env={"COLUMNS": "400"})
        out = " ".join(res.output.split())
        assert res.exit_code == 2 and "IO-LOCKFILE" in out and says in out, out
