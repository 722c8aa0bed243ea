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


# ---------------------------------------------------------------------------------------- rule values out of range
def _check(tmp: Path, rules: str, lang: str = "zh") -> tuple[int, str]:
    p = _village(tmp, "可任院落长", ["是", "否", "否", "否", "否", "否"])
    r = tmp / "bad.toml"
    r.write_text(f'[rules]\npreset = "changshou"\n{rules}\n', encoding="utf-8")
    res = runner.invoke(app, ["check", str(p), "--crs", "EPSG:4490", "--unit-col", "村民小组", "--rules", str(r),
                              "--head-col", "可任院落长", "--lang", lang])
    return res.exit_code, res.output


@pytest.mark.parametrize(("setting", "zh_range", "en_range"), [
    ("heads_for_size = 0", "不小于 1 的整数", "a whole number of at least 1"),
    ("max_walk_min = 0", "大于 0、小于 10000 的分钟数", "minutes above 0 and below 10000"),
    ("max_walk_min = -1", "大于 0、小于 10000 的分钟数", "minutes above 0 and below 10000"),
    ("min_size = 0", "不小于 1 的整数", "a whole number of at least 1"),
    ("join_limit_min = 20000.0", "大于 0、小于 10000 的分钟数", "minutes above 0 and below 10000"),
])
def test_an_out_of_range_rule_value_says_its_range(tmp_path: Path, setting: str, zh_range: str,
                                                    en_range: str) -> None:
    code, out = _check(tmp_path, setting)
    assert code == 2 and "RULE-RANGE" in out and zh_range in out and "写法不对" not in out, out
    code, out = _check(tmp_path, setting, "en")
    assert code == 2 and "out of range" in out and en_range in out, out


def test_a_rule_value_of_the_wrong_kind_is_still_a_format_mistake(tmp_path: Path) -> None:
    code, out = _check(tmp_path, 'heads_for_size = "30"')
    assert code == 2 and "RULE-TYPE" in out and "写法不对" in out, out


def test_heads_for_size_without_require_head_is_said_to_have_no_effect(tmp_path: Path) -> None:
    code, out = _check(tmp_path, "heads_for_size = 5\nrequire_head = false", "en")
    assert code in (0, 1) and "RULE-HEADS-UNUSED" in out and "no effect" in out, out
    code, out = _check(tmp_path, "heads_for_size = 5\nrequire_head = true", "en")
    assert "RULE-HEADS-UNUSED" not in out, out


# ---------------------------------------------------------------------------------------- --max-walk and --max-edge-walk
@pytest.mark.parametrize("order", [["--max-walk", "8", "--max-edge-walk", "12"],
                                   ["--max-edge-walk", "12", "--max-walk", "8"],
                                   ["--max-walk", "8", "--max-edge-walk", "10"]])
def test_max_walk_and_max_edge_walk_with_different_values_is_a_usage_error(tmp_path: Path, order: list[str]) -> None:
    p = _village(tmp_path, "备注", [""] * 6)
    out = tmp_path / "g.gpkg"
    res = runner.invoke(app, ["graph", str(p), "--crs", "EPSG:4490", *order, "-o", str(out), "--lang", "en"])
    assert res.exit_code == 2 and "CLI-WALK-BOTH" in res.output and not out.exists(), res.output
    new = order[order.index("--max-edge-walk") + 1]
    assert "--max-walk 8" in res.output and f"--max-edge-walk {new}" in res.output, res.output


def test_max_walk_and_max_edge_walk_with_the_same_value_only_warn(tmp_path: Path) -> None:
    p = _village(tmp_path, "备注", [""] * 6)
    res = runner.invoke(app, ["graph", str(p), "--crs", "EPSG:4490", "--max-walk", "8", "--max-edge-walk", "8",
                              "-o", str(tmp_path / "g.gpkg"), "--lang", "en"])
    assert res.exit_code == 0 and "CLI-DEPRECATED" in res.output and "CLI-WALK-BOTH" not in res.output, res.output


# ---------------------------------------------------------------------------------------- --lang and YUANLUO_LANG
@pytest.mark.parametrize(("env", "lang", "said"), [("en", "zh", "不存在"), ("zh", "en", "does not exist")])
@pytest.mark.parametrize("before", [True, False])
def test_an_explicit_lang_wins_over_the_environment_wherever_placed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                    env: str, lang: str, said: str,
                                                                    before: bool) -> None:
    monkeypatch.setenv("YUANLUO_LANG", env)
    missing = str(tmp_path / "nope.csv")
    args = ["--lang", lang, "validate", missing] if before else ["validate", missing, "--lang", lang]
    res = runner.invoke(app, args)
    assert res.exit_code == 2 and "IO-NOTFOUND" in res.output and said in res.output, res.output


@pytest.mark.parametrize("before", [True, False])
def test_an_unknown_lang_is_a_usage_error_in_both_languages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            before: bool) -> None:
    monkeypatch.delenv("YUANLUO_LANG", raising=False)
    monkeypatch.setenv("COLUMNS", "1000")
    missing = str(tmp_path / "nope.csv")
    args = ["--lang", "fr", "validate", missing] if before else ["validate", missing, "--lang", "fr"]
    res = runner.invoke(app, args)
    assert res.exit_code == 2 and "CLI-USAGE" in res.output and "IO-NOTFOUND" not in res.output, res.output
    assert "“fr” 不是可用的语言" in res.output and "'fr' of --lang is not a language" in res.output, res.output
