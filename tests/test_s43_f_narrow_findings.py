"""``yuanluo check`` on a narrow terminal: a block per finding, not a table with a 9-cell message column
(session 43, helper F).

At COLUMNS=40 the findings table left its message column 9 cells (a Chinese line of four characters: '院落 A 跨'
over '越了村民', 'household' over 's: ids'), at 60 columns 22. Where the screen leaves a table's text column fewer
than 30 cells (console.MIN_TEXT_CELLS), the findings, the warnings by code and the input warnings are printed a
block each: '代码：PLAN-CROSS-GROUP' / '院落：A' / '级别：错误' / '说明：…', the text wrapped beside its name. 80
columns and wider keep the table. A name joined to the next by a mark ('Sant Julià de Lòria/Grup de la Font') is
kept whole on a line of its own where the two do not fit one line together."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from yuanluo.gis.catalogue import text

NAMES = ("Sant Julià de Lòria", "Grup de la Font", "石桥 村", "一 组")


def _plan(tmp_path: Path) -> tuple[Path, Path]:
    """24 households in two villages, two groups each; units A, B, C each across a group or village."""
    rows = ["户编号,经度,纬度,行政村,村民小组,院落"]
    for i in range(24):
        village = ("Sant Julià de Lòria", "石桥 村")[i // 12]
        group = "Grup de la Font" if i % 12 < 6 else "一 组"
        unit = "A" if i < 10 else ("B" if i < 14 else "C")
        rows.append(f"H{i:02d},{106.55 + 0.0004 * i:.6f},29.560000,{village},{group},{unit}")
    plan = tmp_path / "plan.csv"
    plan.write_text("\n".join(rows) + "\n", encoding="utf-8")
    rules = tmp_path / "r.toml"
    rules.write_text('min_size = 4\nmax_size = 30\nnest_by = ["village", "group"]\nrequire_head = false\n',
                     encoding="utf-8")
    return plan, rules


def _label(key: str, lang: str) -> str:
    return text(key, lang) + text("punct.colon", lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("columns", [40, 60, 80, 120])
def test_check_prints_a_block_per_finding_on_a_narrow_screen(tmp_path: Path, lang: str, columns: int) -> None:
    from yuanluo.planners.cli import app

    plan, rules = _plan(tmp_path)
    res = CliRunner().invoke(app, ["--lang", lang, "check", str(plan), "--crs", "EPSG:4490", "--plan", str(plan),
                                   "--unit-col", "院落", "--rules", str(rules)], env={"COLUMNS": str(columns)})
    assert res.exit_code == 1, res.output
    lines = res.output.splitlines()
    verdict = lines[0]
    body = [line.rstrip() for line in lines[1:-1]]  # between the verdict and the verdict again
    assert lines[-1] == verdict
    if columns >= 80:  # a table, as before
        assert any(line.startswith("┃ ") for line in body) and not any(
            line.startswith(_label("cli.col.code", lang)) for line in body), res.output
        return
    assert not any(c in res.output for c in "│┃┏"), res.output  # no table
    code, unit, level, message = (_label(k, lang) for k in ("cli.col.code", "cli.col.unit", "cli.col.severity",
                                                             "cli.col.message"))
    found = [(body[i][len(code):].strip(), body[i + 1][len(unit):].strip(), body[i + 2][len(level):].strip())
             for i in range(len(body)) if body[i].startswith(code)]
    error = text("value.severity.error", lang)
    assert found == [("PLAN-CROSS-GROUP", "A", error), ("PLAN-CROSS-VILLAGE", "B", error),
                     ("PLAN-CROSS-GROUP", "C", error)], res.output
    assert all(cell_len(line) <= columns for line in body), res.output
    indent = max(cell_len(_label(k, lang)) for k in ("cli.col.code", "cli.col.unit", "cli.col.severity",
                                                      "cli.col.message"))
    texts = [line[len(message):] if line.startswith(message) else line[indent:] for line in body
             if line.startswith((message, " " * indent))]
    assert cell_len(max(texts, key=cell_len)) > 25, texts  # the text has the line beside its name (was 9 cells)
    said = "".join(res.output.split())
    for name in NAMES:  # each name whole on one line
        assert name.replace(" ", "") in said, (name, res.output)
        assert any(name in t for t in texts), (name, texts)
        assert not any(t.rstrip().endswith(name[:name.index(" ")]) for t in texts), (name, texts)
    assert sum(1 for line in body if not line.strip()) == 2  # a blank line between blocks


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [40, 80])
def test_the_table_of_warnings_is_blocks_on_a_narrow_screen(lang: str, width: int) -> None:
    from rich.console import Console

    from yuanluo.gis.errors import problem
    from yuanluo.planners import console as C

    C.setup(lang)
    try:
        problems = [problem("IO-NOTFOUND", severity="warning", file=f"村民 小组 {i}.csv") for i in range(5)]
        stream = Console(width=width, record=True, highlight=False, file=io.StringIO())
        C.print_problem_summary(problems, title="t", stream=stream)
        shown = [line.rstrip() for line in stream.export_text().splitlines()]
        if width == 80:
            assert any("│" in line for line in shown), shown
            return
        assert shown[0] == "t" and not any("│" in line for line in shown), shown
        assert shown[1].startswith(_label("cli.col.code", lang)) and shown[1].endswith(" IO-NOTFOUND"[lang == "zh":]), shown
        assert shown[2].startswith(_label("cli.col.count", lang)) and shown[2].endswith("5"), shown
        assert shown[3].startswith(_label("cli.col.examples", lang)), shown
        assert all(cell_len(line) <= width for line in shown), shown
        assert C.msg("cli.more", count=2).replace(" ", "") in "".join("".join(shown).split()), shown
    finally:
        C.setup("zh")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("columns", [40, 120])
def test_a_name_that_reads_as_markup_is_printed_as_it_is(tmp_path: Path, lang: str, columns: int) -> None:
    """The findings' cells were given to rich as markup: a village named '[bold]红[/bold]村' was printed '红村' (in
    bold), '[red]石桥村' as '石桥村'. Cells are data (rich Text), in the table and in the blocks."""
    from yuanluo.planners.cli import app

    villages = ("[bold]红[/bold]村", "[red]石桥村")
    rows = ["户编号,经度,纬度,行政村,院落"] + [
        f"H{i:02d},{106.55 + 0.0004 * i:.6f},29.560000,{villages[i // 12]},{'A' if i < 10 else 'B' if i < 14 else 'C'}"
        for i in range(24)]
    plan = tmp_path / "plan.csv"
    plan.write_text("\n".join(rows) + "\n", encoding="utf-8")
    rules = tmp_path / "r.toml"
    rules.write_text('min_size = 4\nmax_size = 30\nnest_by = ["village"]\nrequire_head = false\n', encoding="utf-8")
    res = CliRunner().invoke(app, ["--lang", lang, "check", str(plan), "--crs", "EPSG:4490", "--plan", str(plan),
                                   "--unit-col", "院落", "--rules", str(rules)], env={"COLUMNS": str(columns)})
    assert res.exit_code == 1, res.output
    said = "".join(res.output.replace("│", "").split())
    assert "PLAN-CROSS-VILLAGE" in said, res.output
    for name in villages:
        assert name in said, (name, res.output)
