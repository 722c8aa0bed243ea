"""Console output for the command line: logs and progress on stderr, reports on stdout.

Exit codes: 0 ok, 1 rule violations found, 2 bad input or usage, 3 internal error.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import traceback
from collections.abc import Callable
from typing import Any, Literal, TypeVar, cast

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.table import Table
from yuanluo.gis.errors import Lang, Problem, YuanluoError

EXIT_OK, EXIT_VIOLATIONS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

_state: dict[str, Any] = {"lang": "zh", "verbose": 0}

log = logging.getLogger("yuanluo")

F = TypeVar("F", bound=Callable[..., Any])


def setup(lang: str = "zh", verbose: int = 0, quiet: bool = False) -> Lang:
    """Set the language and the log level for this command; returns the language."""
    lang_ = cast(Literal["zh", "en"], "en" if str(lang).lower().startswith("en") else "zh")
    _state["lang"] = lang_
    _state["verbose"] = verbose
    level = logging.ERROR if quiet else max(logging.DEBUG, logging.WARNING - 10 * verbose)
    root = logging.getLogger("yuanluo")
    root.handlers.clear()
    handler: logging.Handler
    if err.is_terminal:
        handler = RichHandler(console=err, show_path=False, show_time=False)
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    root.propagate = False
    return lang_


def lang() -> Lang:
    return cast(Lang, _state["lang"])


def t(zh: str, en: str) -> str:
    """Pick the string of the current language."""
    return en if _state["lang"] == "en" else zh


def print_problems(problems: list[Problem], *, title: str | None = None, stream: Console | None = None) -> None:
    """A table of problems (code, severity, count, message) followed by the full messages."""
    console = stream or out
    if not problems:
        return
    table = Table(title=title, show_lines=False)
    table.add_column(t("代码", "code"))
    table.add_column(t("级别", "level"))
    table.add_column(t("数量", "count"), justify="right")
    table.add_column(t("说明", "message"))
    for p in problems:
        sev = t("错误", "error") if p.severity == "error" else t("警告", "warning")
        first = p.message(lang()).splitlines()[0]
        table.add_row(p.code, sev, str(p.count or ""), first)
    console.print(table)
    for p in problems:
        console.print(p.message(lang()), markup=False)


def print_problem_summary(problems: list[Problem], *, title: str, stream: Console | None = None,
                          per_code: int = 3) -> None:
    """One row per code (how many, and the first few messages): for warnings that may number in thousands."""
    console = stream or err
    if not problems:
        return
    by_code: dict[str, list[Problem]] = {}
    for p in problems:
        by_code.setdefault(p.code, []).append(p)
    table = Table(title=title)
    table.add_column(t("代码", "code"))
    table.add_column(t("数量", "count"), justify="right")
    table.add_column(t("示例", "examples"))
    for code in sorted(by_code):
        items = by_code[code]
        shown = "\n".join(p.message(lang()).splitlines()[0] for p in items[:per_code])
        more = t(f"\n……另有 {len(items) - per_code} 条", f"\n… and {len(items) - per_code} more") if len(items) > per_code else ""
        table.add_row(code, str(len(items)), shown + more)
    console.print(table)


def handle_errors(func: F) -> F:
    """Turn Yuanluo errors into a message and its exit status; anything else is an internal error (3)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except YuanluoError as exc:
            err.print(exc.render(lang()), markup=False)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err.print(t("已中断（未写出结果文件）", "interrupted (no output written)"))
            raise typer.Exit(130) from None
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if _state["verbose"] or os.environ.get("YUANLUO_DEBUG"):
                err.print(traceback.format_exc(), markup=False)
            err.print(
                t(f"内部错误：{type(exc).__name__}: {exc}。请把命令和输入文件报告给开发者（加 -v 可看详细信息）。",
                  f"internal error: {type(exc).__name__}: {exc}. Please report the command and input files "
                  "(run with -v for details)."),
                markup=False,
            )
            raise typer.Exit(EXIT_INTERNAL) from None

    return cast(F, wrapper)
