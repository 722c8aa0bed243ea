"""maturity load --png help (session 55, helper U): it described only the layout by village; the sheet draws the
latest period, one hexagon per unit with its numbers, a category not rated hatched, and without a village column
every unit under 全部院落 / All units (units with no village under 未注明村 / No village given): the help says each
case, in both languages, and the headings it names are the ones the sheet draws. Fails on 1c576a0."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from yuanluo.gis.catalogue import text
from yuanluo.planners.cli import app


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", ["画最近一期", "每个院落一个六边形", "未评的类别画斜线", "有村列时按村分段", "没有村列时全部院落排在“全部院落”下",
            "未注明村的院落归在“未注明村”下"]),
    ("en", ["the latest period", "one hexagon per unit", "a category not rated hatched", "with a village column",
            "without one, every unit under 'All units'", "units with no village under 'No village given'"])])
def test_the_png_help_says_every_layout(lang: str, said: list[str]) -> None:
    res = CliRunner().invoke(app, ["--lang", lang, "maturity", "load", "--help"], env={"COLUMNS": "3000"})
    flat = " ".join(res.output.split())
    assert res.exit_code == 0
    for s in said:
        assert s in flat, flat
    # the headings named are the sheet's own
    assert text("maturity.all_units", lang) in flat and text("maturity.no_village", lang) in flat
