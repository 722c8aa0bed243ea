"""The console's summary of problems: one row per code, each message whole, and the fix of the first."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from yuanluo.gis.errors import problem
from yuanluo.planners import console as C


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_summary_gives_whole_messages_and_the_fix(lang: str) -> None:
    C.setup(lang)
    p = [problem("SEED-UNKNOWN", severity="warning", ids=[f"H{i:06d}" for i in range(k, k + 3)]) for k in (0, 10)]
    buf = io.StringIO()
    C.print_problem_summary(p, title="t", stream=Console(file=buf, width=60, highlight=False))
    box = str.maketrans("", "", "│┃ ")
    shown = "".join(line.translate(box) for line in buf.getvalue().splitlines())
    assert "…" not in buf.getvalue()  # long runs of Chinese are folded, never cut
    fix = p[0].fix(lang)
    assert fix and shown.count(fix.translate(box)) == 1  # given once, in full
    assert C.msg("problem.fix", fix=fix).split(fix)[0].translate(box) in shown


def test_a_problem_without_a_fix_adds_no_line() -> None:
    C.setup("en")
    buf = io.StringIO()
    p = problem("NO-SUCH-CODE", severity="warning", x=1)
    assert p.fix("en") == ""
    C.print_problem_summary([p], title="t", stream=Console(file=buf, width=80, highlight=False))
    assert "Fix" not in buf.getvalue()
