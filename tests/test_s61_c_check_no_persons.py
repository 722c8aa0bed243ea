"""Session 61, helper C (round 2): the check's units table has no persons column where the households have none.

``yuanluo check --csv`` wrote check_units.csv with a 人数 column of blanks (and 0 for a unit polygon holding no
household) when the household file had no persons column, as it leaves out the candidate-head columns without a
candidate column and the walks where none was measured. ``CheckResult.units`` now has ``persons`` only where the
households have that column; the CSV, the xlsx, the JSON and the report then leave it out (the report did already).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from shared_fixtures import chain
from typer.testing import CliRunner

from yuanluo.gis.check import check_plan
from yuanluo.gis.rules import Rules
from yuanluo.planners.cli import app
from yuanluo.planners.tables import check_csv_bytes, check_xlsx

HH = "户编号,经度,纬度,方案{extra}\n" + "".join(
    f"H{i:02d},{106.55 + 0.0004 * i:.6f},29.560000,{'A' if i < 4 else 'B'}{{p{i}}}\n" for i in range(8))


def _file(tmp_path: Path, persons: bool) -> Path:
    text = HH.replace("{extra}", ",人数" if persons else "")
    text = text.format(**{f"p{i}": f",{i % 3 + 1}" if persons else "" for i in range(8)})
    (tmp_path / "hh.csv").write_text(text, encoding="utf-8")
    return tmp_path / "hh.csv"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_csv_without_persons_has_no_persons_column(tmp_path: Path, lang: str) -> None:
    res = CliRunner().invoke(app, ["check", str(_file(tmp_path, False)), "--crs", "EPSG:4490", "--unit-col", "方案",
                                   "--min", "3", "--max", "8", "--csv", str(tmp_path / "c.csv"),
                                   "--json", str(tmp_path / "c.json"), "--lang", lang])
    assert res.exit_code == 0, res.output
    header = (tmp_path / "c_units.csv").read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    word = "人数" if lang == "zh" else "Persons"
    assert not any(word in h for h in header), header
    assert header[:2] == (["院落编号", "院落户数"] if lang == "zh" else ["Unit ID", "Households"]), header
    units = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["units"]
    assert [sorted(u) for u in units][0] == sorted(units[1]) and all("persons" not in u for u in units)


def test_check_csv_with_persons_keeps_it(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["check", str(_file(tmp_path, True)), "--crs", "EPSG:4490", "--unit-col", "方案",
                                   "--min", "3", "--max", "8", "--csv", str(tmp_path / "c.csv")])
    assert res.exit_code == 0, res.output
    u = pd.read_csv(tmp_path / "c_units.csv", encoding="utf-8-sig")
    assert u["人数"].tolist() == [1 + 2 + 3 + 1, 2 + 3 + 1 + 2]


def test_api_units_and_xlsx_without_persons() -> None:
    hh, g = chain(village=["一村"] * 8)  # eight households, no persons column
    assert "persons" not in hh.columns
    lab = pd.Series(["A"] * 4 + ["B"] * 4, index=hh.index)
    res = check_plan(hh, lab, Rules(2, 5, nest_by=(), keep_settlements=False), graph=g)
    assert "persons" not in res.units.columns and res.units["n_households"].tolist() == [4, 4]
    wb = openpyxl.load_workbook(io.BytesIO(check_xlsx(res.violations, res.units, "en")))
    assert "Persons" not in [c.value for c in wb.worksheets[1][1]]
    hh["persons"] = [2] * 8
    res = check_plan(hh, lab, Rules(2, 5, nest_by=(), keep_settlements=False), graph=g)
    assert res.units["persons"].tolist() == [8, 8]
    _, ub = check_csv_bytes(res.violations, res.units, "en")
    assert ub.decode("utf-8-sig").splitlines()[0].startswith("Unit ID,Households,Persons,")
