"""Audit fixes: the political-status column 政治面貌 as a candidate-head column, out-of-range rule values,
``--max-walk`` against ``--max-edge-walk``, and ``--lang`` against ``YUANLUO_LANG``."""

from __future__ import annotations

from pathlib import Path

import pytest
from badfiles import HEADER, good_rows, write_csv
from typer.testing import CliRunner

from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_households
from yuanluo.planners.cli import app

runner = CliRunner()


def _village(tmp: Path, extra_header: str, values: list[str]) -> Path:
    rows = [f"{r},{v}" for r, v in zip(good_rows(len(values)), values, strict=True)]
    return write_csv(tmp, "农户.csv", [f"{HEADER},{extra_header}", *rows])


# ---------------------------------------------------------------------------------------- 政治面貌
STATUSES = ["中共党员", "共青团员", "群众", "中共预备党员", "", "民盟盟员", "九三学社社员", "无党派人士",
            "中国共产党党员", "预备党员", "民革党员", "党员"]
CANDIDATE = [True, False, False, True, False, False, False, False, True, True, False, True]


@pytest.mark.parametrize("named", [False, True])
def test_political_status_column_is_a_head_column(tmp_path: Path, named: bool) -> None:
    p = _village(tmp_path, "政治面貌", STATUSES)
    h, rep = read_households(p, crs="EPSG:4490", columns={"head_candidate": ["政治面貌"]} if named else None)
    assert h["head_candidate"].tolist() == CANDIDATE
    assert h["party_member"].tolist() == CANDIDATE
    assert rep.column_map["head_candidate"] == "政治面貌"


def test_political_status_on_the_cli_with_head_col(tmp_path: Path) -> None:
    p = _village(tmp_path, "政治面貌", STATUSES)
    res = runner.invoke(app, ["validate", str(p), "--crs", "EPSG:4490", "--head-col", "政治面貌", "--lang", "en"])
    assert res.exit_code == 0, res.output


def test_an_unknown_political_status_names_its_rows_and_values(tmp_path: Path) -> None:
    p = _village(tmp_path, "政治面貌", ["中共党员", "是", "群众", "团委书记", "", ""])
    with pytest.raises(InputError) as e:
        read_households(p, crs="EPSG:4490")
    assert "ATTR-TYPE" in e.value.codes
    msg = e.value.render("zh")
    assert "政治面貌" in msg and "第 3、5 行" in msg and "共青团员" in msg, msg
