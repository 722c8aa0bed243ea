"""The console's summary of problems: one row per code (per code and fix where its problems' fixes differ), each
message whole, and its fix."""

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


def test_a_librarys_warning_stays_out_of_the_console_unless_verbose(monkeypatch: pytest.MonkeyPatch) -> None:
    """A library's Python warning (English, for its developers; geopandas printed one into delineate's Chinese
    console) goes to the log: not shown, shown with -v."""
    import warnings

    from typer.testing import CliRunner

    from yuanluo.planners import workflows as W
    from yuanluo.planners.cli.app import app
    from yuanluo.planners.workflows import sample_paths

    real = W.build_graph

    def noisy(*args: object, **kwargs: object) -> object:
        warnings.warn("GeoSeries.notna() previously returned False", UserWarning, stacklevel=1)
        return real(*args, **kwargs)

    monkeypatch.setattr(W, "build_graph", noisy)
    sample = sample_paths()["households"]
    for extra, shown in (([], False), (["-v"], True)):
        with warnings.catch_warnings():
            warnings.simplefilter("always")  # each run warns afresh
            res = CliRunner().invoke(app, ["check", sample, "--unit-col", "building", "--min", "1", "--max", "900",
                                           *extra])
        assert res.exit_code in (0, 1), res.output
        assert ("GeoSeries.notna()" in res.output) == shown, res.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_table_leaves_the_unit_of_a_row_without_one_blank(lang: str) -> None:
    """A plan row of an unknown household or a household's second row belongs to no unit: its unit cell is
    empty, never ``nan`` (the violations table holds NaN there)."""
    import math
    from types import SimpleNamespace

    import pandas as pd

    from yuanluo.gis.rules import Rules
    from yuanluo.planners.cli.check import print_check

    C.setup(lang, quiet=True)
    violations = pd.DataFrame({
        "code": ["PLAN-UNKNOWN-ID", "PLAN-DUPLICATE", "SIZE-LOW"], "unit_id": [math.nan, None, "U007"],
        "severity": ["error", "error", "error"],
        "message_zh": ["错误 PLAN-UNKNOWN-ID：未知户。", "错误 PLAN-DUPLICATE：重复。", "错误 SIZE-LOW：太少。"],
        "message_en": ["Error PLAN-UNKNOWN-ID: unknown.", "Error PLAN-DUPLICATE: twice.", "Error SIZE-LOW: few."]})
    summary = {"n_units_exception": 0, "n_households": 3, "n_units": 1, "n_errors": 3, "n_warnings": 0}
    result = SimpleNamespace(passed=False, summary=lambda: summary, rules=Rules(20, 50), violations=violations)
    buf = io.StringIO()
    real = C.out
    C.out = C._Out(file=buf, width=100, highlight=False)
    try:
        print_check(result, ["hid"], "x")
    finally:
        C.out = real
        C.setup("zh")
    shown = buf.getvalue()
    assert "U007" in shown and "PLAN-DUPLICATE" in shown
    assert "nan" not in shown.lower() and "None" not in shown
