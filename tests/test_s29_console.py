"""The console's problem summary when the problems of one code have different fixes (audit s29 G18): an island
cut off by the settlement nesting and one cut off by its villager group are both RULE-INFEASIBLE, and the summary
gave every one the first one's fix. Now each fix is shown under the problems it belongs to; one fix, one row."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from rich.console import Console

from yuanluo.gis.catalogue import both
from yuanluo.gis.delineate.reasons import fix_then, render_why
from yuanluo.gis.errors import Problem, problem
from yuanluo.planners import console as C

_BOX = str.maketrans("", "", "│┃ \n")


@pytest.fixture(autouse=True)
def _chinese_after() -> Iterator[None]:
    yield
    C.setup("zh")


def _island(unit: str, col: str) -> Problem:
    """A RULE-INFEASIBLE note as delineate makes it for an island cut off by the nest_by column ``col``."""
    why = {"why": "isolated", "size": 5, "total": 5, "what": "persons", "cuts": [{"by": "nest", "col": col}]}
    return problem("RULE-INFEASIBLE", severity="warning", ids=[f"H{unit}"], unit=unit, size=5,
                   what=both("delineate.what.persons"), lo=50, hi=110,
                   why={lang: render_why(why, lang) for lang in ("zh", "en")}, then=fix_then(why))


def _summary(problems: list[Problem], width: int, **kw: int) -> tuple[str, str]:
    buf = io.StringIO()
    C.print_problem_summary(problems, title="t", stream=Console(file=buf, width=width, highlight=False), **kw)
    raw = buf.getvalue()
    return raw, "".join(line.translate(_BOX) for line in raw.splitlines())


@pytest.mark.parametrize("width", [80, 200])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_fix_of_a_code_is_shown_under_its_own_problems(lang: str, width: int) -> None:
    C.setup(lang)
    settled = [_island(f"U00{i}", "settlement") for i in range(1, 6)]
    grouped = [_island(f"U10{i}", "group") for i in range(1, 3)]
    problems = [settled[0], grouped[0], *settled[1:], grouped[1]]
    raw, shown = _summary(problems, width)
    fix_s, fix_g = settled[0].fix(lang), grouped[0].fix(lang)
    assert fix_s != fix_g
    assert shown.count(fix_s.translate(_BOX)) == 1 and shown.count(fix_g.translate(_BOX)) == 1
    assert raw.count("RULE-INFEASIBLE") == 2  # a row per fix, the commonest first
    rows = [line for line in raw.splitlines() if "RULE-INFEASIBLE" in line]
    assert rows[0].split("│")[2].strip() == "5" and rows[1].split("│")[2].strip() == "2"
    # each fix follows the problems it is the fix of
    assert shown.index("U001") < shown.index(fix_s.translate(_BOX)) < shown.index("U101") \
        < shown.index(fix_g.translate(_BOX))
    assert "U004" not in shown and C.msg("cli.more", count=2).translate(_BOX) in shown  # per_code=3 per fix


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_fix_for_all_stays_one_row(lang: str) -> None:
    C.setup(lang)
    problems = [_island(f"U00{i}", "group") for i in range(1, 6)]
    raw, shown = _summary(problems, 100)
    assert raw.count("RULE-INFEASIBLE") == 1
    assert shown.count(problems[0].fix(lang).translate(_BOX)) == 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_many_fixes_show_per_code_of_them_and_one_row_for_the_rest(lang: str) -> None:
    """Fixes that each name their own thing (here a column of each) do not make a row each."""
    C.setup(lang)
    cols = ["settlement", "group", "village", "c1", "c2", "c3"]
    problems = [_island(f"U{i}{k}", col) for i, col in enumerate(cols) for k in range(len(cols) - i)]
    raw, shown = _summary(problems, 200, per_code=2)
    counts = [line.split("│")[2].strip() for line in raw.splitlines() if "RULE-INFEASIBLE" in line]
    assert counts == ["6", "5", str(4 + 3 + 2 + 1)]
    assert C.msg("cli.fixes_differ", count=10, fixes=4).translate(_BOX) in shown
    fixes = [p.fix(lang).translate(_BOX) for p in problems]
    assert fixes[0] in shown and fixes[6] in shown and fixes[11] not in shown
