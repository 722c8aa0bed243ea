"""The Typer application: one group, one module per command, help in the language of the command line.

Help texts are catalogue keys (``cli.help.validate``, ``cli.opt.layer`` …). The language is chosen before
anything is parsed — ``--lang en`` (or ``--lang=en``) anywhere on the command line, else the environment
variable ``YUANLUO_LANG``, else Chinese — and every help text, panel title and usage line is rendered in it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

import typer
from typer import rich_utils
from typer.core import TyperCommand, TyperGroup

from yuanluo.gis.catalogue import Lang, has, template, text
from yuanluo.planners import console as C
from yuanluo.planners.cli import check, cover, delineate, demo, graph, maturity, repair, validate
from yuanluo.planners.cli import map as map_
from yuanluo.planners.cli.options import LangOption

_KEY = "_yuanluo_help_key"


def _render(obj: Any, attr: str, lang: Lang) -> None:
    """Replace ``obj.<attr>`` (a catalogue key, remembered on first use) by its text in ``lang``."""
    key = getattr(obj, _KEY + attr, None) or getattr(obj, attr, None)
    if isinstance(key, str) and has(key):
        setattr(obj, _KEY + attr, key)
        setattr(obj, attr, text(key, lang))


def localize(cmd: Any, lang: Lang) -> None:
    """Render the help of ``cmd``, its parameters and its sub-commands in ``lang`` (in place)."""
    _render(cmd, "help", lang)
    _render(cmd, "short_help", lang)
    for param in cmd.params:
        _render(param, "help", lang)
        _render(param, "metavar", lang)
    for sub in (getattr(cmd, "commands", None) or {}).values():
        localize(sub, lang)
    rich_utils.ARGUMENTS_PANEL_TITLE = text("cli.panel.arguments", lang)
    rich_utils.OPTIONS_PANEL_TITLE = text("cli.panel.options", lang)
    rich_utils.COMMANDS_PANEL_TITLE = text("cli.panel.commands", lang)
    rich_utils.ERRORS_PANEL_TITLE = text("cli.panel.error", lang)
    rich_utils.DEFAULT_STRING = template("cli.help.default", lang) or "{}"
    rich_utils.REQUIRED_LONG_STRING = text("cli.help.required", lang)
    rich_utils.RICH_HELP = template("cli.help.try", lang) or ""


class _Localized:
    """Usage line and help option in the chosen language (mixed into the Typer command classes)."""

    def get_usage(self, ctx: Any) -> str:
        usage = super().get_usage(ctx)  # type: ignore[misc]
        lang = C.lang()
        usage = str(usage).replace("Usage: ", text("cli.usage", lang), 1)
        usage = usage.replace("[OPTIONS]", text("cli.usage.options", lang))
        return usage.replace("COMMAND [ARGS]...", text("cli.usage.command", lang))

    def get_help_option(self, ctx: Any) -> Any:
        opt = super().get_help_option(ctx)  # type: ignore[misc]
        if opt is not None:
            opt.help = text("cli.opt.help", C.lang())
        return opt


class Command(_Localized, TyperCommand):
    """A ``yuanluo`` command."""


class SubGroup(_Localized, TyperGroup):
    """A group of sub-commands (``yuanluo maturity …``)."""


class Group(_Localized, TyperGroup):
    """The ``yuanluo`` group: picks the language from the whole command line before parsing it."""

    def main(self, args: Sequence[str] | None = None, *pos: Any, **kwargs: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        localize(self, C.set_lang(C.lang_from_argv(argv)))
        return super().main(argv, *pos, **kwargs)


app = typer.Typer(
    name="yuanluo",
    cls=Group,
    help="cli.help.app",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


@app.callback()
def _root(lang: LangOption = None) -> None:
    """The group accepts ``--lang`` before the command too (read by :meth:`Group.main`)."""
    del lang


COMMANDS: dict[str, Callable[..., None]] = {
    "validate": validate.validate,
    "graph": graph.graph,
    "delineate": delineate.delineate,
    "check": check.check,
    "repair": repair.repair,
    "map": map_.map_cmd,
    "cover": cover.cover,
    "demo": demo.demo,
}
for _name, _func in COMMANDS.items():
    app.command(_name, cls=Command, help=f"cli.help.{_name}")(_func)

maturity_app = typer.Typer(cls=SubGroup, no_args_is_help=True, rich_markup_mode="rich")


@maturity_app.callback()
def _maturity(lang: LangOption = None) -> None:
    """The sub-group accepts ``--lang`` before its command too (read by :meth:`Group.main`)."""
    del lang


maturity_app.command("template", cls=Command, help="cli.help.maturity_template")(maturity.template)
maturity_app.command("load", cls=Command, help="cli.help.maturity_load")(maturity.load)
app.add_typer(maturity_app, name="maturity", help="cli.help.maturity")


def main() -> None:
    """Entry point of the ``yuanluo`` console script (SIGTERM stops a run as Ctrl-C does: nothing is left)."""
    with C.sigterm_as_interrupt():
        app()
