"""A --seeds / --meeting-points workbook whose first sheet is a note (session 54, helper U, second round): read
without a sheet name it was IO-NOROWS ("no data rows": the note sheet 说明 was read); with a sheet name not in it,
IO-NOLAYER "用 --layer 选其中之一，例如 --layer 说明" (the household file's option, and the note sheet). Now the sheet
with a table (a header naming a known column and a row below it) is read, and a wrong name is IO-NOLAYER-OPTION
naming the option and that sheet. All fail on 9fbe7f1."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()
HOUSEHOLDS = ("户编号,东坐标,北坐标,院落,人口\n"
              "A1,500000,3300000,甲,3\nA2,500030,3300000,甲,3\nA3,500060,3300000,甲,3\n"
              "B1,500150,3300000,乙,3\nB2,500180,3300000,乙,3\nB3,500210,3300000,乙,3\n")


def _book(path: Path, header: list[str], *rows: list[str]) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active["A1"] = "名单见第二张表"
    ws = wb.create_sheet("名单")
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_seeds_are_read_from_the_sheet_with_the_table(tmp_path: Path) -> None:
    (tmp_path / "农户.csv").write_text(HOUSEHOLDS, encoding="utf-8")
    seeds = _book(tmp_path / "中心户.xlsx", ["户编号", "备注"], ["A2", "祠堂"], ["B2", "院坝"])
    res = runner.invoke(app, ["delineate", str(tmp_path / "农户.csv"), "--crs", "EPSG:4545", "--min", "2", "--max", "5",
                              "--seeds", str(seeds), "-o", str(tmp_path / "r.gpkg")])
    assert res.exit_code == 0 and (tmp_path / "r.gpkg").exists(), res.output


@pytest.mark.parametrize(("option", "lang", "said"), [
    ("--seeds", "zh", "例如 --seeds {book}::名单。"), ("--meeting-points", "en", "e.g. --meeting-points {book}::名单.")])
def test_a_sheet_not_there_names_the_option_and_the_table(tmp_path: Path, option: str, lang: str, said: str) -> None:
    (tmp_path / "农户.csv").write_text(HOUSEHOLDS, encoding="utf-8")
    book = _book(tmp_path / "点.xlsx", ["院落", "户编号"], ["甲", "A2"], ["乙", "B2"])
    command = ["delineate", "-o", str(tmp_path / "r.gpkg")] if option == "--seeds" else ["check", "--unit-col", "院落"]
    res = runner.invoke(app, ["--lang", lang, command[0], str(tmp_path / "农户.csv"), *command[1:], "--crs", "EPSG:4545",
                              "--min", "2", "--max", "5", option, f"{book}::Sheet1"])
    text = " ".join(res.output.split())
    assert res.exit_code == 2 and "IO-NOLAYER-OPTION" in text and said.format(book=book) in text, text
    assert "--layer" not in text
