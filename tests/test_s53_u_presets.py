"""A planner types the district's name: ``--preset 巴南`` and a rule file's ``preset = "长寿区"`` name the preset
(session 53, helper U: both were RULE-PRESET / RULE-FILE-PRESET, exit 2, though the help and README call the
presets by their districts: 巴南区“巴适小院”, 长寿区“寿和小院”, 青神县白家迟村“片长制”)."""

from __future__ import annotations

from pathlib import Path

import pytest
from badfiles import good_rows, write_csv
from typer.testing import CliRunner

from yuanluo.gis.errors import RuleConfigError
from yuanluo.planners.cli import app
from yuanluo.planners.presets import load_rules_file, preset

runner = CliRunner()


@pytest.mark.parametrize(("name", "key", "band"), [
    ("巴南", "banan", (20, 50)), ("巴南区", "banan", (20, 50)), ("巴适小院", "banan", (20, 50)),
    ("长寿", "changshou", (15, 25)), ("长寿区", "changshou", (15, 25)), ("寿和小院", "changshou", (15, 25)),
    ("青神", "qingshen", (20, 40)), ("青神县", "qingshen", (20, 40)), (" 片长制 ", "qingshen", (20, 40)),
    ("Banan", "banan", (20, 50)), ("ｃｈａｎｇｓｈｏｕ", "changshou", (15, 25)),
])
def test_a_preset_by_its_district_is_that_preset(name: str, key: str, band: tuple[int, int]) -> None:
    r = preset(name)
    assert (r.name, r.min_size, r.max_size) == (key, *band)


def test_a_rule_file_may_name_the_district(tmp_path: Path) -> None:
    f = tmp_path / "规则.toml"
    f.write_text('[rules]\npreset = "长寿区"\nmax_walk_min = 12\n', encoding="utf-8")
    r = load_rules_file(f)
    assert (r.min_size, r.max_size, r.max_walk_min) == (15, 25, 12)


def test_another_name_is_still_no_preset() -> None:
    with pytest.raises(RuleConfigError) as ei:
        preset("江北")
    assert ei.value.codes == ["RULE-PRESET"]


def test_check_takes_the_district_on_the_command_line(tmp_path: Path) -> None:
    hh = write_csv(tmp_path, "农户.csv", ["户编号,经度,纬度,人口,村民小组", *good_rows(8)])
    plan = write_csv(tmp_path, "方案.csv", ["户编号,院落编号", *[f"{i + 1:03d},U1" for i in range(8)]])
    res = runner.invoke(app, ["check", str(hh), "--crs", "EPSG:4490", "--plan", str(plan), "--preset", "巴南"])
    assert res.exit_code == 0, res.output  # checked under Banan's band: 8 households, an island, an exception
    assert "RULE-PRESET" not in res.output and "不在 20–50 户之内" in res.output, res.output
    assert 'preset = "banan"' in res.output, res.output  # the fixes name the preset by its key
