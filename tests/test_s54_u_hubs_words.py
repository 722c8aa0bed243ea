"""cover --hubs as a planner types it (session 54, helper U, second round): "村:1,组:1" (the levels as the household
file's columns name them), "村：1、组：1" (a full-width colon, 、), "village=1 group=1" were COVER-HUBS "无法理解服务点
层级的写法". Now a level is village or group by any name the readers take for those columns, after a colon (either
width) or =, levels apart by commas (either width), 、, semicolons or spaces; a level no column names (town, 队) and
a count below 1 stay COVER-HUBS. The help says so. All fail on d2c5f65."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from yuanluo.gis.errors import InputError
from yuanluo.planners.cli import app
from yuanluo.planners.cover import parse_hubs


@pytest.mark.parametrize(("spec", "hubs"), [
    ("村:1,组:1", {"village": 1, "group": 1}), ("村：1、组：2", {"village": 1, "group": 2}),
    ("行政村:1；村民小组:1", {"village": 1, "group": 1}), ("Village=2 group = 1", {"village": 2, "group": 1}),
    ("组:1，村:1", {"group": 1, "village": 1})])
def test_levels_named_as_planners_write_them(spec: str, hubs: dict[str, int]) -> None:
    assert parse_hubs(spec) == (hubs, None)
    for bad in ("镇:1", "队:1", "村:0", "村:一"):  # no such level; no count of at least 1
        with pytest.raises(InputError) as exc:
            parse_hubs(bad)
        assert exc.value.codes == ["COVER-HUBS"]


@pytest.mark.parametrize(("lang", "said"), [("zh", "也可写 村:1,组:1"), ("en", "a level may be named as the household file names its column")])
def test_the_help_says_the_chinese_levels(lang: str, said: str) -> None:
    res = CliRunner().invoke(app, ["--lang", lang, "cover", "--help"], env={"COLUMNS": "2000"})
    assert res.exit_code == 0 and said in " ".join(res.output.split()), res.output
