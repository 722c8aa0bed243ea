"""``--head-col 可任院落长、返乡能人``: two candidate-head columns written as a Chinese list, with the enumeration comma
``、`` (as ``--lock`` takes unit ids), were one name, COL-MISSING "找不到“可任院落长、返乡能人”列", its fix to rename a
column to that (/tmp/s60/A/findings.md). Only ``,`` and ``，`` split the list. A name that is no column of the file but
whose parts split at ``、`` (or ``;`` / ``；``) all are is now read as those columns; a header that holds ``、`` itself
stays one column, and a list with a part that is no column is said missing as typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from badfiles import HEADER, good_rows, write_csv
from typer.testing import CliRunner

from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_households
from yuanluo.planners.cli import app

runner = CliRunner()


def _file(tmp: Path, a: str = "可任院落长", b: str = "返乡能人") -> Path:
    rows = [f"{r},{x},{y}" for r, x, y in zip(good_rows(6), ["是", "否", "否", "否", "否", "否"],
                                               ["否", "否", "是", "", "否", "否"], strict=True)]
    return write_csv(tmp, "农户.csv", [f"{HEADER},{a},{b}", *rows])


@pytest.mark.parametrize("sep", ["、", "；", ";"])
def test_a_list_with_the_enumeration_comma_names_both_columns(tmp_path: Path, sep: str) -> None:
    p = _file(tmp_path)
    h, rep = read_households(p, crs="EPSG:4490", columns={"head_candidate": f"可任院落长{sep}返乡能人"})
    assert h["head_candidate"].tolist() == [True, False, True, False, False, False]
    res = runner.invoke(app, ["validate", str(p), "--crs", "EPSG:4490", "--head-col", f"可任院落长{sep}返乡能人",
                              "--lang", "en"])
    assert res.exit_code == 0 and "COL-MISSING" not in res.output, res.output


def test_a_header_holding_the_comma_stays_one_column(tmp_path: Path) -> None:
    p = _file(tmp_path, a="党员、积极分子", b="备注")
    h, _ = read_households(p, crs="EPSG:4490", columns={"head_candidate": "党员、积极分子"})
    assert h["head_candidate"].tolist() == [True, False, False, False, False, False]


def test_a_list_with_a_part_that_is_no_column_is_said_as_typed(tmp_path: Path) -> None:
    with pytest.raises(InputError) as e:
        read_households(_file(tmp_path), crs="EPSG:4490", columns={"head_candidate": "可任院落长、返乡"})
    assert "COL-MISSING" in e.value.codes and "可任院落长、返乡" in e.value.render("zh")
