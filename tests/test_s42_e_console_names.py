"""A name with a space in it stays on one line where the console wraps a table's cell.

``yuanluo check`` of a plan whose units cross villages named "Sant Julià de Lòria" and "石桥 村" printed, at 80
columns, "院落 B 跨越了行政村（Sant Julià de" over "Lòria、石桥 村）" (rich breaks a cell at any space): a village
name cut in two. Names are now kept whole where the cell is wide enough for them (planners.console.keep_whole).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.gis.catalogue import text

NAMES = ("Sant Julià de Lòria", "Grup de la Font", "石桥 村", "一 组")


def _plan(tmp_path: Path) -> tuple[Path, Path]:
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


def _split(lines: list[str], name: str) -> list[tuple[str, str]]:
    """The pairs of lines (of one cell, one after the other) that end with a piece of ``name`` and go on with
    the rest of it: the name broken at one of its spaces."""
    cuts = [(name[:i].rstrip(), name[i:].lstrip()) for i, c in enumerate(name) if c == " "]
    return [(a, b) for a, b in zip(lines, lines[1:], strict=False) for head, rest in cuts
            if a.rstrip().endswith(head) and b.lstrip().startswith(rest)]


def _message_cells(output: str, lang: str, columns: int, label: str = "cli.col.message") -> tuple[list[str], int]:
    """The lines of the findings table's last column (its message), as printed, and the room they had; on a narrow
    screen, where the findings are printed a block each (session 43: console.print_rows), the lines of the
    blocks' texts beside their name (``label``: 说明：/ Message:)."""
    from rich.cells import cell_len

    cells = [line.split("│")[-2] for line in output.splitlines() if line.count("│") >= 3]
    if cells:
        return cells, max(cell_len(c) for c in cells) - 2  # the cell's room, its padding left out
    name = text(label, lang) + text("punct.colon", lang)
    indent = cell_len(name)  # the longest name of the blocks: 说明：(as wide as the others), Message:
    texts, inside = [], False
    for line in output.splitlines():
        if line.startswith(name) or (inside and line.startswith(" " * indent) and line.strip()):
            inside = True
            texts.append(line[len(name) if line.startswith(name) else indent:])
        else:
            inside = False
    assert texts, output
    return texts, columns - indent


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("columns", [80, 40])
def test_check_findings_keep_names_on_one_line(tmp_path: Path, lang: str, columns: int) -> None:
    from rich.cells import cell_len

    from yuanluo.planners.cli import app

    plan, rules = _plan(tmp_path)
    res = CliRunner().invoke(app, ["--lang", lang, "check", str(plan), "--crs", "EPSG:4490", "--plan", str(plan),
                                   "--unit-col", "院落", "--rules", str(rules)], env={"COLUMNS": str(columns)})
    assert res.exit_code == 1, res.output
    cells, width = _message_cells(res.output, lang, columns)
    said = "".join(res.output.replace("│", " ").split())
    kept = [n for n in NAMES if cell_len(n) <= width]  # 40 columns: a block each, its text 31 (en) or 34 cells wide
    assert kept == list(NAMES), (width, kept)  # (the table's 9-cell column held the short ones only)
    for name in kept:
        assert name.replace(" ", "") in said, (name, res.output)
        assert not _split(cells, name), (name, res.output)
        assert any(name in c for c in cells), (name, res.output)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_problem_table_keeps_a_named_value_whole(lang: str) -> None:
    """The table of warnings by code (print_problem_summary) keeps a data value with a space on one line (here a
    file's name; 52 to 60 columns, where its column holds it: the old console split it at 52 in both languages)."""
    from rich.console import Console

    from yuanluo.gis.errors import problem
    from yuanluo.planners import console as C

    C.setup(lang)
    try:
        p = problem("IO-NOTFOUND", severity="warning", file="Sant Julià de Lòria.csv")
        for width in range(52, 61):
            stream = Console(width=width, record=True, highlight=False, file=io.StringIO())
            C.print_problem_summary([p], title="t", stream=stream)
            shown = stream.export_text()
            cells = _message_cells(shown, lang, width, "cli.col.examples")[0]  # a table, or blocks below 57
            assert any("Sant Julià de Lòria.csv" in c for c in cells), shown
            assert not _split(cells, "Sant Julià de Lòria.csv"), shown
    finally:
        C.setup("zh")
