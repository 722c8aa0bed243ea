"""What a newcomer reads first on the command line (session 48, helper N): a misspelt command or option names the
close ones closest first, listed as the language lists them (、 in Chinese, no English quotes); a run that fails or
is interrupted does not print the stage line 完成 / Done before its error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from badfiles import HEADER, good_rows, write_csv
from typer.testing import CliRunner

from yuanluo.planners import workflows as W
from yuanluo.planners.cli import app

runner = CliRunner()


def _usage(args: list[str]) -> tuple[int, str]:
    res = runner.invoke(app, args)
    return res.exit_code, re.sub(r"\s+", " ", re.sub(r"[│╭╮╰╯─]", " ", res.output))


def test_misspelt_option_names_the_closest_first_in_chinese_order() -> None:
    code, out = _usage(["delineate", "hh.csv", "--ouput", "x.gpkg"])
    assert code == 2
    assert "您要找的可能是：--output、--groups。" in out, out  # difflib's closest first, joined by 、
    code, out = _usage(["--lang", "en", "delineate", "hh.csv", "--ouput", "x.gpkg"])
    assert code == 2 and "Did you mean --output, --groups?" in out, out


def test_misspelt_command_names_the_close_ones_without_english_quotes() -> None:
    code, out = _usage(["delinate", "hh.csv"])
    assert code == 2
    assert "没有命令 delinate。您要找的可能是：delineate、validate。" in out, out
    code, out = _usage(["--lang", "en", "delinate", "hh.csv"])
    assert code == 2 and "Did you mean delineate, validate?" in out, out


def _stage_lines(err: str) -> list[str]:
    return [ln.split("] ", 1)[1] for ln in err.splitlines() if re.match(r"\[\d+\.\d (秒|s)\] ", ln)]


@pytest.mark.parametrize("lang, done", [("zh", "完成"), ("en", "Done")])
def test_a_failed_run_does_not_say_done(tmp_path: Path, lang: str, done: str) -> None:
    hh = write_csv(tmp_path, "hh.csv", [HEADER.replace("经度", "东西"), *good_rows(12)])  # no longitude column
    res = runner.invoke(app, ["--lang", lang, "delineate", str(hh), "--crs", "EPSG:4490", "--min", "3", "--max",
                              "6", "-o", str(tmp_path / "a.gpkg"), "-v"])
    assert res.exit_code == 2 and "COL-MISSING" in res.stderr, res.stderr
    stages = _stage_lines(res.stderr)
    assert stages and done not in stages, res.stderr
    assert not (tmp_path / "a.gpkg").exists()


@pytest.mark.parametrize("lang, done, stopped", [("zh", "完成", "已中断"), ("en", "Done", "Interrupted")])
def test_an_interrupted_run_does_not_say_done(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str,
                                              done: str, stopped: str) -> None:
    def ctrl_c(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(W, "build_graph", ctrl_c)
    hh = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(12)])
    res = runner.invoke(app, ["--lang", lang, "delineate", str(hh), "--crs", "EPSG:4490", "--min", "3", "--max",
                              "6", "-o", str(tmp_path / "a.gpkg"), "-v"])
    assert res.exit_code == 130 and stopped in res.stderr, res.stderr
    stages = _stage_lines(res.stderr)
    assert stages and done not in stages, res.stderr
    assert not (tmp_path / "a.gpkg").exists()


@pytest.mark.parametrize("lang, done", [("zh", "完成"), ("en", "Done")])
def test_a_run_that_is_done_still_says_so(tmp_path: Path, lang: str, done: str) -> None:
    hh = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(12)])
    res = runner.invoke(app, ["--lang", lang, "delineate", str(hh), "--crs", "EPSG:4490", "--min", "3", "--max",
                              "6", "-o", str(tmp_path / "a.gpkg"), "-v"])
    assert res.exit_code == 0, res.stderr
    assert _stage_lines(res.stderr)[-1] == done


@pytest.mark.parametrize("lang, said", [
    ("zh", "错误 PLAN-UNIT-COL：农户文件 {file} 中没有 --unit-col 给出的院落列“院落编号”（现有列：户编号、经度、纬度、人口、村民小组）。"),
    ("en", "Error PLAN-UNIT-COL: the household file {file} has no column '院落编号', which --unit-col names as its "
           "unit column (columns: 户编号, 经度, 纬度, 人口, 村民小组).")])
def test_unit_col_naming_no_column_names_the_household_file(tmp_path: Path, lang: str, said: str) -> None:
    """``check hh.csv --unit-col 院落编号`` of a file without it said 'the plan file households has no column for
    院落编号 (columns: persons, group, geometry)' and told to rename two columns: the file is named by its path, its
    columns as it names them, and the fix names --unit-col, --plan and --units."""
    hh = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(12)])
    for cmd in (["check"], ["repair", "-o", str(tmp_path / "fixed.csv")]):
        res = runner.invoke(app, ["--lang", lang, *cmd, str(hh), "--crs", "EPSG:4490", "--min", "3", "--max", "6",
                                  "--unit-col", "院落编号", "--csv" if cmd == ["check"] else "--moves",
                                  str(tmp_path / "out.csv")])
        assert res.exit_code == 2, res.stderr
        assert said.format(file=hh) in res.stderr, res.stderr
        assert "--plan" in res.stderr and "--units" in res.stderr and "PLAN-COLUMN" not in res.stderr
        assert not list(tmp_path.glob("*.csv*"))[1:], list(tmp_path.iterdir())  # hh.csv alone


def _river(tmp_path: Path) -> Path:
    from badfiles import LAT0, LON0

    p = tmp_path / "rivers.geojson"
    p.write_text('{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:4490"}}, '
                 '"features": [{"type": "Feature", "properties": {"name": "溪"}, "geometry": {"type": "LineString", '
                 f'"coordinates": [[{LON0 + 0.0022}, {LAT0 - 0.01}], [{LON0 + 0.0022}, {LAT0 + 0.01}]]}}}}]}}',
                 encoding="utf-8")
    return p


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_delineate_says_when_it_walked_without_the_terrain(tmp_path: Path, lang: str) -> None:
    """delineate without --dem and --rivers walked straight lines on flat ground and said nothing of it (check of
    its result says 直线距离（未给高程和河流）): a newcomer who left the layers out got units across rivers without
    a word. It now says so in a note naming the options; with the rivers alone, that the DEM is missing."""
    hh = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(12)])
    base = ["--lang", lang, "delineate", str(hh), "--crs", "EPSG:4490", "--min", "3", "--max", "6"]
    res = runner.invoke(app, [*base, "-o", str(tmp_path / "a.gpkg")])
    assert res.exit_code == 0, res.stderr
    flat = " ".join(res.stdout.split())
    said = {"zh": "提示：没有给出高程（--dem）和河流、水面（--rivers、--water），邻接关系和步行分钟按平地上的直线距离计算",
            "en": "Note: no DEM (--dem) and no rivers or water (--rivers, --water) were given, so neighbours and "
                  "walking minutes are straight lines on flat ground"}[lang]
    assert said in flat, res.stdout
    res = runner.invoke(app, [*base, "-o", str(tmp_path / "b.gpkg"), "--rivers", str(_river(tmp_path))])
    assert res.exit_code == 0, res.stderr
    flat = " ".join(res.stdout.split())
    no_dem = {"zh": "提示：没有给出高程（--dem），步行分钟按平地计算", "en": "Note: no DEM (--dem) was given, so walking minutes"}
    assert no_dem[lang] in flat and said not in flat, res.stdout
    res = runner.invoke(app, [*base, "-o", str(tmp_path / "c.gpkg"), "-q"])
    assert res.exit_code == 0 and said not in " ".join(res.stdout.split())  # a note: -q prints the outcome and the errors only


@pytest.mark.parametrize("lang, said", [
    ("zh", "错误 RULE-HALF：只给了 --min，没有给 --max：不用预设、规则文件时，院落户数的下限和上限要同时给出。"),
    ("en", "Error RULE-HALF: --min was given without --max: without a preset or a rule file, both the fewest and "
           "the most households per unit are needed.")])
def test_one_bound_alone_is_not_no_rules(tmp_path: Path, lang: str, said: str) -> None:
    """``delineate … --min 20`` said 没有给出规则 (no rules given), as if --min had not been typed: it now names the
    bound that is missing, and the preset the one given may change an end of."""
    hh = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(12)])
    res = runner.invoke(app, ["--lang", lang, "delineate", str(hh), "--crs", "EPSG:4490", "--min", "3",
                              "-o", str(tmp_path / "a.gpkg")])
    assert res.exit_code == 2 and said in res.stderr, res.stderr
    assert "--max" in res.stderr.split(said)[1] and "--preset" in res.stderr.split(said)[1]
    assert not (tmp_path / "a.gpkg").exists()
    res = runner.invoke(app, ["--lang", lang, "delineate", str(hh), "--crs", "EPSG:4490", "--min", "3", "--max",
                              "6", "-o", str(tmp_path / "a.gpkg")])
    assert res.exit_code == 0, res.stderr  # both bounds: the rules


@pytest.mark.parametrize("lang, head", [("zh", "下一步："), ("en", "Next: ")])
def test_demo_names_the_next_commands_and_they_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str,
                                                   head: str) -> None:
    """After ``yuanluo demo`` a newcomer was told nothing of what to run next (the README's long table aside): the
    demo now ends with its map, check and edit of its own result, and validate and delineate of one's own table.
    The commands on its result run as printed; those on one's own table name only options delineate has."""
    import shlex

    monkeypatch.chdir(tmp_path)
    folder = "my runs"  # a space: the paths are quoted, as a shell and cmd.exe read them
    res = runner.invoke(app, ["--lang", lang, "demo", "-o", folder], env={"COLUMNS": "2000"})
    assert res.exit_code == 0, res.output
    note = next(ln for ln in res.stdout.splitlines() if ln.startswith(head))
    cmds = re.findall(r"yuanluo (?:check|edit|validate|delineate).*?(?=；|; |。|\. |，|, then |\.?$)", note)
    assert [c.split()[1] for c in cmds] == ["check", "edit", "validate", "delineate"], note
    for cmd in cmds[:2]:
        argv = shlex.split(cmd)[1:]
        got = runner.invoke(app, ["--lang", lang, *argv])
        assert got.exit_code == 0, (cmd, got.output)
    assert (tmp_path / folder / {"zh": "院落编辑.html", "en": "editor.html"}[lang]).exists()
    helped = runner.invoke(app, ["delineate", "--help"], env={"COLUMNS": "2000"}).output
    for cmd in cmds[2:]:
        assert all(o in helped for o in re.findall(r"--[a-z-]+", cmd)), cmd
    quiet = runner.invoke(app, ["--lang", lang, "demo", "-o", "q", "-q"])
    assert quiet.exit_code == 0 and head not in quiet.stdout  # a note: -q prints the outcome only
