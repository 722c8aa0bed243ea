"""The usage line at a narrow terminal: every placeholder whole, in the run's language (session 43, helper F).

Click wrapped the usage line first, counting characters where a screen counts cells (a Chinese character is two)
and at no fewer than 50 of them; rich then wrapped its lines again at the screen's width. At 40 columns
'yuanluo --lang zh delineate --bogus' printed '用法：yuanluo delineate [选项] {农户文件' over '}', its help
'{农户文' over '件}', 'maturity load --help' '{SCORES}.' over '..', and 'maturity --bogus' kept the English
'COMMAND [ARGS]...' in the Chinese line (the replacement missed it, cut across two lines). The usage line is now one
line that rich wraps, keeping a placeholder ('{农户文件}', '[选项]', '{评分表}...') whole."""
from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from yuanluo.gis.catalogue import text

#: the placeholders each command's usage line names, in zh and en
PLACES = {("delineate",): {"zh": ["[选项]", "{农户文件}"], "en": ["[OPTIONS]", "{HOUSEHOLDS}"]},
          ("maturity", "load"): {"zh": ["[选项]", "{结果文件}", "{评分表}..."],
                                 "en": ["[OPTIONS]", "{RESULT}", "{SCORES}..."]},
          ("maturity",): {"zh": ["[选项]", "命令", "[参数]..."], "en": ["[OPTIONS]", "COMMAND", "[ARGS]..."]}}


def _usage(out: str, lang: str) -> list[str]:
    """The lines of the usage line: from its 用法：/ Usage: to the next blank line or 'Try …' line."""
    lines = [line.strip(" │") for line in out.splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith(text("cli.usage", lang).strip()))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].strip() or lines[i].startswith(("用 '", "Try"))),
               len(lines))
    return [line.strip() for line in lines[start:end]]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("columns", [40, 60, 80])
@pytest.mark.parametrize("cmd", list(PLACES))
@pytest.mark.parametrize("how", ["--help", "--bogus"])
def test_the_usage_line_keeps_its_placeholders_whole(lang: str, columns: int, cmd: tuple[str, ...], how: str) -> None:
    from yuanluo.planners.cli import app

    res = CliRunner().invoke(app, ["--lang", lang, *cmd, how], env={"COLUMNS": str(columns)})
    assert res.exit_code == (0 if how == "--help" else 2), res.output
    usage = _usage(res.output, lang)
    words = " ".join(usage).split()
    for place in PLACES[cmd][lang]:
        assert place in words, (place, usage)  # whole, on one line
    assert not any(re.match(r"[}\].]", line) for line in usage), usage  # no line begun by a bracket's end or '..'
    if lang == "zh":
        assert not re.search(r"[A-Z]{3,}", " ".join(usage)), usage  # no COMMAND, OPTIONS in a Chinese line
    assert all(len(line) <= columns for line in usage), usage
