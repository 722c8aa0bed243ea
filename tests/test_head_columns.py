"""Candidate heads (院落长候选) found by column name, or named with ``--head-col``; a household is a candidate when
any of its candidate-head columns says yes."""

from __future__ import annotations

from pathlib import Path

import pytest
from badfiles import HEADER, good_rows, write_csv
from typer.testing import CliRunner

from yuanluo.gis.columns import head_columns
from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_households
from yuanluo.planners.cli import app

runner = CliRunner()


def _village(tmp: Path, extra_header: str, values: list[str], encoding: str = "utf-8") -> Path:
    rows = [f"{r},{v}" for r, v in zip(good_rows(len(values)), values, strict=True)]
    return write_csv(tmp, "农户.csv", [f"{HEADER},{extra_header}", *rows], encoding=encoding)


def test_a_chinese_csv_whose_head_column_is_zhifu_daitouren(tmp_path: Path) -> None:
    p = _village(tmp_path, "致富带头人,户主", ["是,张三", "否,李四", ",王五", "√,赵六", "Y,钱七", "0,孙八"],
                 encoding="gbk")
    h, rep = read_households(p, crs="EPSG:4490")
    assert h["head_candidate"].tolist() == [True, False, False, True, True, False]
    assert "致富带头人" not in h.columns and "party_member" not in h.columns
    assert rep.column_map["head_candidate"] == "致富带头人"


def test_every_candidate_column_counts_and_party_members_are_kept_apart(tmp_path: Path) -> None:
    p = _village(tmp_path, "返乡能人,中共党员,乡贤", ["1,N,", "0,Y,", "0,n,是", "true,no,否", ",,", "false,否,×"])
    h, rep = read_households(p, crs="EPSG:4490")
    assert h["head_candidate"].tolist() == [True, True, True, True, False, False]
    assert h["party_member"].tolist() == [False, True, False, False, False, False]
    assert rep.column_map["head_candidate"] == "返乡能人、中共党员、乡贤"


def test_head_col_names_a_column_the_aliases_do_not_know(tmp_path: Path) -> None:
    p = _village(tmp_path, "可任院落长,备注", ["是,", "否,", "是,", "否,", "否,", "否,"])
    h, _ = read_households(p, crs="EPSG:4490")
    assert "head_candidate" not in h.columns
    h, _ = read_households(p, crs="EPSG:4490", columns={"head_candidate": ["可任院落长"]})
    assert h["head_candidate"].tolist() == [True, False, True, False, False, False]
    with pytest.raises(InputError) as e:
        read_households(p, crs="EPSG:4490", columns={"head_candidate": "没有这列"})
    assert "COL-MISSING" in e.value.codes
    # from Python the fix names the keyword argument that named the column (--head-col on the command line:
    # test_head_col_on_every_command_reading_households)
    keyword = 'columns={"head_candidate": ...}'
    for lang in ("en", "zh"):
        said = e.value.render(lang)
        assert keyword in said and "没有这列" in said and "--head-col" not in said, said


def test_a_bad_yes_no_value_names_its_column(tmp_path: Path) -> None:
    p = _village(tmp_path, "致富带头人", ["是", "也许", "否", "否", "否", "否"])
    with pytest.raises(InputError) as e:
        read_households(p, crs="EPSG:4490")
    assert "ATTR-TYPE" in e.value.codes and "致富带头人" in e.value.render("zh")


def test_head_columns_in_order_named_first() -> None:
    assert head_columns(["户号", "Party_Member", "退役军人", "村"], named=["村"]) == (
        ["村", "Party_Member", "退役军人"], ["Party_Member"])


@pytest.mark.parametrize("command", ["validate", "delineate", "check", "repair"])
def test_head_col_on_every_command_reading_households(command: str, tmp_path: Path) -> None:
    p = _village(tmp_path, "可任院落长", ["是", "否", "否", "否", "否", "否"])
    args = {"validate": [], "delineate": ["--min", "2", "--max", "6", "-o", str(tmp_path / "o.gpkg")],
            "check": ["--unit-col", "村民小组", "--min", "2", "--max", "6"],
            "repair": ["--unit-col", "村民小组", "--min", "2", "--max", "6", "-o", str(tmp_path / "o.csv")]}[command]
    res = runner.invoke(app, [command, str(p), "--crs", "EPSG:4490", "--head-col", "没有这列,可任院落长",
                              "--lang", "en", *args])
    assert res.exit_code == 2 and "COL-MISSING" in res.output and "--head-col" in res.output, res.output


def test_check_sees_the_candidate_named_by_head_col(tmp_path: Path) -> None:
    p = _village(tmp_path, "可任院落长", ["否", "否", "否", "否", "是", "否"])
    rules = tmp_path / "r.toml"
    rules.write_text("[rules]\nmin_size = 2\nmax_size = 6\nrequire_head = true\n", encoding="utf-8")
    base = ["check", str(p), "--crs", "EPSG:4490", "--unit-col", "村民小组", "--rules", str(rules), "--lang", "en"]
    assert runner.invoke(app, base).exit_code == 0  # without the column nothing is known about heads
    res = runner.invoke(app, [*base, "--head-col", "可任院落长"])
    assert res.exit_code == 0, res.output
    p.write_text(p.read_text(encoding="utf-8").replace(",是", ",否"), encoding="utf-8")
    assert "HEAD-EXCEPTION" not in runner.invoke(app, base).output
    res = runner.invoke(app, [*base, "--head-col", "可任院落长"])
    # no candidate at all: the unit lacks one whatever the plan, an exception (a warning), not a violation
    assert res.exit_code == 0 and "HEAD-EXCEPTION" in res.output and "PLAN-NO-HEAD" not in res.output, res.output
