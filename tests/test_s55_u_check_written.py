"""check names the files it wrote (session 55, helper U): every other command ends with 已写出 … / Written: …, but
check --map 检查 地图.html --csv c.csv said nothing of them (the map, and the units table written beside the CSV,
c_units.csv, whose name the planner never typed), unless its findings were too many to list. Now the written line
comes before the verdict, which still closes the console when findings are listed. Fails on 1c576a0."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app


@pytest.mark.parametrize(("lang", "said"), [("zh", "已写出 "), ("en", "Written: ")])
def test_check_names_what_it_wrote(small_result: Path, tmp_path: Path, lang: str, said: str) -> None:
    m, c = tmp_path / "检查 地图.html", tmp_path / "检查 结果.csv"
    res = CliRunner().invoke(app, ["--lang", lang, "check", str(small_result), "--map", str(m), "--csv", str(c)])
    assert res.exit_code in (0, 1), res.output
    sep = "、" if lang == "zh" else ", "
    line = next(ln for ln in res.stdout.splitlines() if ln.startswith(said))
    assert line == said + sep.join(str(p) for p in (c, tmp_path / "检查 结果_units.csv", m)), line
    assert all(p.exists() for p in (m, c, tmp_path / "检查 结果_units.csv"))


def test_without_an_output_nothing_is_said_written(small_result: Path) -> None:
    res = CliRunner().invoke(app, ["--lang", "en", "check", str(small_result)])
    assert res.exit_code in (0, 1) and "Written" not in res.stdout, res.output


def test_past_the_listed_findings_a_file_named_for_the_full_list_is_not_said_twice(
        small_result: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from yuanluo.planners.cli import check as check_cli

    monkeypatch.setattr(check_cli, "MAX_ROWS", 0)
    js, m = tmp_path / "全部.json", tmp_path / "地图.html"
    res = CliRunner().invoke(app, ["--lang", "en", "check", str(small_result), "--json", str(js), "--map", str(m),
                                   "--min", "7", "--max", "7"])  # units of 4–8: violations
    assert res.exit_code in (0, 1), res.output
    lines = res.stdout.splitlines()
    assert f"Every violation and warning: {js}" in lines and f"Written: {m}" in lines, res.stdout
    assert lines[-1].startswith("Plan check:"), res.stdout
