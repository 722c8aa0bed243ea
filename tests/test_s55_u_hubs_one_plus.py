"""cover --hubs in the domain's words (session 55, helper U): Qingshen's "1+N" (one village-level position and N
villager-group micro-positions, one per group) was COVER-HUBS "cannot be read"; now it is one hub per village and
one per group (village:1,group:1). "1+3", N written as a number, has no one meaning: COVER-HUBS says what 1+N is and
the spellings that work. The Chinese fix of COVER-HUBS names the levels in Chinese (村:1,组:1, which --hubs reads),
not "village:1,group:1" in a Chinese sentence. The help names 1+N. All fail on 1c576a0."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.gis.errors import InputError
from yuanluo.planners.cli import app
from yuanluo.planners.cover import parse_hubs

runner = CliRunner()


@pytest.mark.parametrize("spec", ["1+N", "1+n", "1 + N", "1＋Ｎ"])
def test_one_plus_n_is_one_per_village_and_group(spec: str) -> None:
    assert parse_hubs(spec) == ({"village": 1, "group": 1}, None)


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from yuanluo.gis.output import write_layers
    from yuanluo.gis.synth import make_village

    v = make_village(60, seed=4)
    path = tmp_path_factory.mktemp("hubs") / "院落 结果.gpkg"
    write_layers(path, {"households": v.households.reset_index()})
    return path


def test_cover_with_one_plus_n_sites_as_village_and_group(result: Path, tmp_path: Path) -> None:
    import geopandas as gpd

    runs = {}
    for spec in ("1+N", "village:1,group:1"):
        out = tmp_path / f"{len(runs)}.gpkg"
        res = runner.invoke(app, ["--lang", "en", "cover", str(result), "-o", str(out), "--hubs", spec])
        assert res.exit_code == 0, res.output
        runs[spec] = gpd.read_file(out, layer="hubs").drop(columns="geometry", errors="ignore")
    assert runs["1+N"].equals(runs["village:1,group:1"])


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "处理办法：“1+N”指每村 1 个村级服务点、每个村民小组 1 个服务点（N 就是小组数，不写成数字）：写成 --hubs 1+N"
           "（即 村:1,组:1）；要全域 N 个服务点，只写一个整数。"),
    ("en", 'Fix: "1+N" is one village-level point per village and one point per villager group (N is the number of '
           "groups, not written as a number): write --hubs 1+N (the same as village:1,group:1); for N hubs over the "
           "area, write one whole number only.")])
def test_one_plus_a_number_says_what_one_plus_n_is(result: Path, tmp_path: Path, lang: str, said: str) -> None:
    out = tmp_path / "c.gpkg"
    res = runner.invoke(app, ["--lang", lang, "cover", str(result), "-o", str(out), "--hubs", "1+3"])
    assert res.exit_code == 2 and "COVER-HUBS" in res.output and said in " ".join(res.output.split()), res.output
    assert not out.exists()


def test_the_chinese_fix_names_the_levels_in_chinese() -> None:
    with pytest.raises(InputError) as exc:
        parse_hubs("村:x", ["village", "group"])
    fix = exc.value.problems[0].fix("zh")
    assert '--hubs "村:1,组:1"' in fix and "层级可用 村、组" in fix and "village" not in fix, fix
    assert parse_hubs("村:1,组:1") == ({"village": 1, "group": 1}, None)  # what it offers is read


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_help_names_one_plus_n(lang: str) -> None:
    res = runner.invoke(app, ["--lang", lang, "cover", "--help"], env={"COLUMNS": "2000"})
    assert res.exit_code == 0 and ("或“1+N”" if lang == "zh" else "also 1+N") in res.output, res.output
