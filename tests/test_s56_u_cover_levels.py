"""cover --hubs 1+N (or 村:1,组:1, 组:1) on a result whose households have no village or group column (session 56,
helper U). It stopped with COVER-LEVEL naming only the first level missing ("没有行政村列" where neither column was
there), in no file, with the fix "--hubs N", and only after the walking graph was built. Now it stops before the
graph, naming the households' layer and every level missing, and its fix says what works with the columns there are:
add them, or --hubs "组:1" where the table has groups, or --hubs 1 for one hub over the area. All fail on 27e9fda."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from yuanluo.gis.output import write_layers
    from yuanluo.gis.synth import make_village

    v = make_village(60, seed=4)
    d = tmp_path_factory.mktemp("levels")
    out = {"none": d / "无村组.gpkg", "group": d / "只有组.gpkg"}
    write_layers(out["none"], {"households": v.households.drop(columns=["village", "group"]).reset_index()})
    write_layers(out["group"], {"households": v.households.drop(columns=["village"]).reset_index()})
    return out


def _said(res: object) -> str:
    return " ".join(str(getattr(res, "output", "")).split())


@pytest.mark.parametrize(("lang", "title", "fix"), [
    ("zh", "无村组.gpkg::households：要按行政村、村民小组设置服务点，但农户表没有行政村、村民小组列。",
     "或写 --hubs 1，全域设 1 个服务点"),
    ("en", "无村组.gpkg::households: hubs per village and villager group were requested, but the household table has "
           "no village or villager group column.", "or write --hubs 1 for one hub over the whole area")])
def test_one_plus_n_without_village_or_group_names_both_and_the_file(
        results: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, title: str,
        fix: str) -> None:
    import yuanluo.planners.workflows as W

    def no_graph(*a: object, **k: object) -> None:
        raise AssertionError("the graph was built before COVER-LEVEL")

    monkeypatch.setattr(W, "build_graph", no_graph)
    out = tmp_path / "c.gpkg"
    res = runner.invoke(app, ["--lang", lang, "cover", str(results["none"]), "--hubs", "1+N", "-o", str(out)])
    said = _said(res)
    assert res.exit_code == 2 and "COVER-LEVEL" in said and title in said and fix in said, (res.exception, said)
    assert "--hubs N。" not in said and not out.exists()


def test_with_groups_only_the_fix_offers_the_group_level_and_it_works(results: dict[str, Path],
                                                                      tmp_path: Path) -> None:
    res = runner.invoke(app, ["cover", str(results["group"]), "--hubs", "1+N", "-o", str(tmp_path / "c.gpkg")])
    said = _said(res)
    assert res.exit_code == 2 and "但农户表没有行政村列" in said and '只按表中已有的层级设置：--hubs "组:1"' in said, said
    res = runner.invoke(app, ["cover", str(results["group"]), "--hubs", "组:1", "-o", str(tmp_path / "c.gpkg")])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["cover", str(results["none"]), "--hubs", "1", "-o", str(tmp_path / "d.gpkg")])
    assert res.exit_code == 0, res.output


def test_one_level_asked_and_missing_says_that_level() -> None:
    from yuanluo.planners.cover import level_problem

    p = level_problem({"group": 1}, ["village"])
    assert p is not None and p.title("en").endswith("has no villager group column.")
    assert '--hubs "village:1"' in p.fix("en") and '--hubs "村:1"' in p.fix("zh")
