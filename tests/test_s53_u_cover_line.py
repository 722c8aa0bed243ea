"""cover's summary line says how many points are mobile only where mobile points were asked for (session 53,
helper U: cover --hubs 3 said "3 service points (0 of them mobile)", 其中流动点 0 个, with no --mobile-within)."""

from __future__ import annotations

import pytest

from yuanluo.planners import console as C
from yuanluo.planners.cli import cover as cover_cli

BASE = {"households": 600, "points": 3, "mobile_points": 0, "served": 398, "unreachable": 13, "limit_min": 5.0,
        "mean_walk_min": 6.4, "gap": 0.0, "levels": ["hub"]}


@pytest.mark.parametrize(("lang", "none", "asked", "two"), [
    ("en", "600 households, 3 service points; 398 households", "3 service points (0 of them mobile);",
     "5 service points (2 of them mobile);"),
    ("zh", "600 户，3 个服务点；398 户", "3 个服务点（其中流动点 0 个）；", "5 个服务点（其中流动点 2 个）；"),
])
def test_the_mobile_points_are_counted_where_asked_for(lang: str, none: str, asked: str, two: str) -> None:
    C.setup(lang)
    try:
        line = C.msg("cli.cover.done", **cover_cli._summary_fields(BASE))
        assert line.startswith(none) and "mobile" not in line and "流动" not in line, line
        within = {**BASE, "mobile_within": 10.0, "mobile_gap": 0.0, "mobile_short": 0}
        assert asked in C.msg("cli.cover.done", **cover_cli._summary_fields(within))
        two_mobile = {**within, "points": 5, "mobile_points": 2}
        assert two in C.msg("cli.cover.done", **cover_cli._summary_fields(two_mobile))
    finally:
        C.setup("zh")
