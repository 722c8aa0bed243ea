"""The Typer application: one group, one module per command, help in the language of the command line.

Help texts are catalogue keys (``cli.help.validate``, ``cli.opt.layer`` …). The language is chosen before
anything is parsed — ``--lang en`` (or ``--lang=en``) anywhere on the command line, else the environment
variable ``YUANLUO_LANG``, else Chinese — and every help text, panel title and usage line is rendered in it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from typing import Any

import typer
from rich.text import Text
from typer import rich_utils
from typer.core import TyperCommand, TyperGroup

from yuanluo.gis.catalogue import Lang, has, template, text
from yuanluo.planners import console as C
from yuanluo.planners.cli import check, cover, delineate, demo, edit, graph, maturity, repair, validate
from yuanluo.planners.cli import map as map_
from yuanluo.planners.cli.options import LangOption

_KEY = "_yuanluo_help_key"


def _render(obj: Any, attr: str, lang: Lang) -> None:
    """Replace ``obj.<attr>`` (a catalogue key, remembered on first use) by its text in ``lang``."""
    key = getattr(obj, _KEY + attr, None) or getattr(obj, attr, None)
    if isinstance(key, str) and has(key):
        setattr(obj, _KEY + attr, key)
        setattr(obj, attr, text(key, lang))


#: the value kinds Typer names in help (``<str>``, ``<float range>`` …) → catalogue keys
_KIND_KEYS = {"str": "text", "path": "path", "file": "path", "directory": "path", "int": "int",
              "int range": "int", "float": "number", "float range": "number", "bool": "bool",
              "list[str]": "texts", "list[path]": "paths"}


def _kinds(param: Any, lang: Lang) -> None:
    """Show the kind of value ``param`` takes (Typer's ``<str>``, ``<path>``, ``<list[Path]>`` …) in
    ``lang``; what Typer shows otherwise (the choices of an option) stays as it is. A flag (``--overwrite``,
    ``-q``, ``--help``) or a counted flag (``-v``) takes no value, so none is shown: Typer's ``<bool>``/``<int>``
    there read as if ``--overwrite 是`` were a way to write it."""
    own = getattr(param, _KEY + "display_type", None) or getattr(param, "display_type", None)
    if own is None:  # a Typer that does not name kinds this way
        return
    setattr(param, _KEY + "display_type", own)

    def shown(ctx: Any) -> Any:
        if getattr(param, "is_flag", False) or getattr(param, "count", False):
            return None
        name = own(ctx)
        key = _KIND_KEYS.get(str(name).strip("<>").lower()) if isinstance(name, str) else None
        return text(f"cli.kind.{key}", lang) if key else name

    param.display_type = shown


class _Folding:
    """A highlighter of Typer's help whose text folds where a line has no space to wrap at, never cut: a run of
    Chinese has none, and rich ended it with "…" at the column's edge (at 80 columns, 23 cuts in ``delineate
    --help``). Typer passes every help text, option name and default through one of these."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __call__(self, *args: Any, **kw: Any) -> Any:
        out = self.inner(*args, **kw)
        if hasattr(out, "overflow"):
            out.overflow = "fold"
        return out


class _FoldingText(Text):
    """Typer's own short texts (the default, "required"), folded like the rest."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        kw.setdefault("overflow", "fold")
        super().__init__(*args, **kw)


for _name in ("highlighter", "negative_highlighter", "types_highlighter"):
    if not isinstance(getattr(rich_utils, _name, _Folding), _Folding):
        setattr(rich_utils, _name, _Folding(getattr(rich_utils, _name)))
if isinstance(getattr(rich_utils, "Text", None), type) and not issubclass(rich_utils.Text, _FoldingText):
    setattr(rich_utils, "Text", _FoldingText)  # noqa: B010 (a module's name, not an attribute mypy knows)


def localize(cmd: Any, lang: Lang) -> None:
    """Render the help of ``cmd``, its parameters (with the kinds of value they take) and its sub-commands
    in ``lang`` (in place)."""
    _render(cmd, "help", lang)
    _render(cmd, "short_help", lang)
    for param in cmd.params:
        _render(param, "help", lang)
        _render(param, "metavar", lang)
        _kinds(param, lang)
    for sub in (getattr(cmd, "commands", None) or {}).values():
        localize(sub, lang)
    rich_utils.ARGUMENTS_PANEL_TITLE = text("cli.panel.arguments", lang)
    rich_utils.OPTIONS_PANEL_TITLE = text("cli.panel.options", lang)
    rich_utils.COMMANDS_PANEL_TITLE = text("cli.panel.commands", lang)
    rich_utils.ERRORS_PANEL_TITLE = text("cli.panel.error", lang)
    rich_utils.DEFAULT_STRING = template("cli.help.default", lang) or "{}"
    rich_utils.REQUIRED_LONG_STRING = text("cli.help.required", lang)
    rich_utils.RICH_HELP = template("cli.help.try", lang) or ""


# ------------------------------------------------------------------------------------- usage errors
#: Click's exception classes (Typer's vendored copy in Typer >= 0.20, Click itself before)
_X = sys.modules[typer.BadParameter.__module__]
_LIMITS = {"greater_than_equal": ("ge", "ge"), "greater_than": ("gt", "gt"), "less_than_equal": ("le", "le"),
           "less_than": ("lt", "lt")}
_KINDS = {"int_parsing": "int", "int_type": "int", "int_from_float": "int", "int_parsing_size": "int",
          "float_parsing": "number", "float_type": "number", "finite_number": "number", "bool_parsing": "bool",
          "bool_type": "bool", "literal_error": "choice", "enum": "choice"}


class TranslatedUsageError(_X.UsageError):  # type: ignore[name-defined]
    """A usage error whose message is already in the language of the command line."""


def _hint(exc: Any, ctx: Any) -> str:
    """The option or argument an error is about, as the user typed or sees it (``'--seed'``, ``'农户文件'``)."""
    param = getattr(exc, "param", None)
    if param is None:
        return str(getattr(exc, "param_hint", None) or "")
    if getattr(param, "param_type_name", "") == "argument":
        return f"'{param.metavar or param.name}'"
    return " / ".join(f"'{o}'" for o in param.opts)


def _bad_value(exc: Any, name: str, lang: Lang) -> str:
    """A bad option value: why, from the validation error behind it (type, limit, choices)."""
    errors = getattr(exc.__cause__, "errors", None)
    err = errors()[0] if callable(errors) and errors() else None
    if err is None:
        return text("cli.bad.value_only", lang, name=name)
    value, kind, ectx = err.get("input"), str(err.get("type", "")), err.get("ctx") or {}
    if kind in _LIMITS and str(value).strip().lower().lstrip("+-") == "nan":
        return text("cli.bad.number", lang, name=name, value=value)
    if kind in _LIMITS:
        key, bound = _LIMITS[kind]
        return text(f"cli.bad.{key}", lang, name=name, value=value, limit=ectx.get(bound))
    if _KINDS.get(kind) == "choice":
        return text("cli.bad.choice", lang, name=name, value=value, choices=ectx.get("expected", ""))
    return text(f"cli.bad.{_KINDS.get(kind, 'value')}", lang, name=name, value=value)


def _names(names: Sequence[str], lang: Lang) -> str:
    """The close names of a "did you mean", closest first as Click found them, joined as the language lists them.

    >>> _names(["--output", "--groups"], "zh"), _names(["--output", "--groups"], "en")
    ('--output、--groups', '--output, --groups')
    """
    return text("list.sep", lang).join(names)


def usage_message(exc: Any, lang: Lang, ctx: Any = None) -> str | None:
    """The catalogue's text for one of Click's/Typer's own usage errors, or None when it is not one we know.

    Unknown option (with the close ones), unknown command, missing argument or option, an option without its
    value, a value for a flag, extra arguments, a value of the wrong type or out of range.
    """
    name = _hint(exc, ctx)
    if isinstance(exc, _X.NoSuchOption):
        out = text("cli.bad.no_such_option", lang, name=exc.option_name)
        if exc.possibilities:
            out += text("cli.bad.did_you_mean", lang, names=_names(exc.possibilities, lang))
        return out
    if isinstance(exc, _X.MissingParameter):
        kind = getattr(exc, "param_type", None) or getattr(getattr(exc, "param", None), "param_type_name", "")
        return text("cli.bad.missing_argument" if kind == "argument" else "cli.bad.missing_option", lang, name=name)
    if isinstance(exc, _X.BadParameter):
        return _bad_value(exc, name, lang)
    message = str(getattr(exc, "message", ""))
    if isinstance(exc, _X.BadOptionUsage):
        key = "cli.bad.no_value" if "does not take" in message else "cli.bad.needs_value"
        return text(key, lang, name=exc.option_name)
    if m := re.match(r"No such command '(.*)'\.(?: Did you mean (.*)\?)?$", message, re.S):
        out = text("cli.bad.no_such_command", lang, name=m.group(1))
        close = re.findall(r"'([^']*)'", m.group(2) or "")
        return out + (text("cli.bad.did_you_mean", lang, names=_names(close, lang)) if close else "")
    if m := re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)$", message, re.S):
        return text("cli.bad.extra", lang, args=m.group(1))
    return None


def usage_error(exc: Any, lang: Lang, ctx: Any = None) -> Any:
    """``exc`` (a Click usage error) with its message from the catalogue in ``lang``: a
    :class:`TranslatedUsageError` (exit 2, the same context for the usage line). An error we do not know keeps
    Click's English in English and gets a general sentence in Chinese."""
    if isinstance(exc, TranslatedUsageError | _X.NoArgsIsHelpError):
        return exc
    msg = usage_message(exc, lang, ctx)
    if msg is None:
        if lang == "en":
            return exc
        msg = text("cli.bad.other", lang)
    # coded like every other bad input, so that a planner can quote it (exit 2 like them)
    return TranslatedUsageError(text("cli.bad.coded", lang, text=msg), ctx=getattr(exc, "ctx", None) or ctx)


class _Localized:
    """Usage line, help option and usage errors in the chosen language (mixed into the Typer command classes)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc]
        except _X.UsageError as exc:
            raise usage_error(exc, C.lang(), ctx) from exc

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)  # type: ignore[misc]
        except _X.UsageError as exc:
            raise usage_error(exc, C.lang(), ctx) from exc

    def get_usage(self, ctx: Any) -> str:
        """The usage line in one line, for rich to wrap to the screen (as words: :data:`console.WRAP_WORD` keeps
        "{农户文件}" whole). Click wrapped it first, counting characters where a screen counts cells (a Chinese
        character is two) and at no fewer than 50 of them, so at 40 columns rich broke its lines again:
        "{农户文件" over "}", "{SCORES}." over ".."."""
        lang = C.lang()
        pieces = " ".join(self.collect_usage_pieces(ctx))  # type: ignore[attr-defined]
        pieces = pieces.replace("[OPTIONS]", text("cli.usage.options", lang))
        pieces = pieces.replace("COMMAND [ARGS]...", text("cli.usage.command", lang))
        return f"{text('cli.usage', lang)}{ctx.command_path} {pieces}".rstrip()

    def get_help_option(self, ctx: Any) -> Any:
        opt = super().get_help_option(ctx)  # type: ignore[misc]
        if opt is not None:
            opt.help = text("cli.opt.help", C.lang())
            _kinds(opt, C.lang())
        return opt


class Command(_Localized, TyperCommand):
    """A ``yuanluo`` command."""


class SubGroup(_Localized, TyperGroup):
    """A group of sub-commands (``yuanluo maturity …``)."""


#: the flags every command has (:class:`~yuanluo.planners.cli.options.Common`) that may come before the command,
#: as ``--lang`` may: ``-q``, ``--quiet``, ``-v``, ``-vv``, ``--verbose``, ``-qv``
_EVERY_COMMAND_FLAG = re.compile(r"-[qv]+|--quiet|--verbose")


def flags_after_command(argv: Sequence[str], groups: Sequence[str] = ("maturity",)) -> list[str]:
    """``argv`` with the ``-q``/``-v`` flags given before the command (:data:`_EVERY_COMMAND_FLAG`) moved after it
    (after its sub-command, for a command of ``groups``), where the command takes them: ``yuanluo -q delineate …``
    said "没有选项 -q" although ``--lang`` works there. Left as it is when no command follows.

    Examples
    --------
    >>> flags_after_command(["-q", "--lang", "en", "delineate", "hh.csv"])
    ['--lang', 'en', 'delineate', '-q', 'hh.csv']
    >>> flags_after_command(["-vv", "maturity", "load", "s.xlsx"]), flags_after_command(["-q", "--help"])
    (['maturity', 'load', '-vv', 's.xlsx'], ['-q', '--help'])
    """
    argv = list(argv)
    flags: list[str] = []
    kept: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--lang":
            kept += argv[i:i + 2]
            i += 2
            continue
        if arg == "--" or not arg.startswith("-"):
            break
        (flags if _EVERY_COMMAND_FLAG.fullmatch(arg) else kept).append(arg)
        i += 1
    if not flags or i >= len(argv) or argv[i] == "--":
        return argv
    end = i + 1
    if argv[i] in groups and end < len(argv) and not argv[end].startswith("-"):
        end += 1  # the sub-command (``maturity load``)
    return [*kept, *argv[i:end], *flags, *argv[end:]]


class Group(_Localized, TyperGroup):
    """The ``yuanluo`` group: picks the language from the whole command line before parsing it, and takes ``-q``
    and ``-v`` before the command too (:func:`flags_after_command`)."""

    def main(self, args: Sequence[str] | None = None, *pos: Any, **kwargs: Any) -> Any:
        argv = flags_after_command(sys.argv[1:] if args is None else args)
        try:  # reading the catalogue and localizing the help: a Ctrl-C here is a Ctrl-C, not a traceback
            localize(self, C.set_lang(C.lang_from_argv(argv)))
        except KeyboardInterrupt as exc:
            _stopped(exc)
            raise SystemExit(C.EXIT_INTERRUPTED) from None
        return super().main(argv, *pos, **kwargs)

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:  # parsing the command line (Typer would end a Ctrl-C here with status 130 and no word)
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt as exc:
            _stopped(exc)
            raise typer.Exit(C.EXIT_INTERRUPTED) from None

    def invoke(self, ctx: Any) -> Any:
        try:  # between the parsing and the command's own handler (:func:`console.handle_errors`)
            return super().invoke(ctx)
        except KeyboardInterrupt as exc:
            _stopped(exc)
            raise typer.Exit(C.EXIT_INTERRUPTED) from None


def _stopped(exc: KeyboardInterrupt) -> None:
    """Say that the run was stopped before a command took over: ``cli.interrupted`` / ``cli.terminated``."""
    try:
        C.err.print(C.msg("cli.terminated" if isinstance(exc, C.Terminated) else "cli.interrupted"), markup=False)
    except KeyboardInterrupt:  # a second Ctrl-C while the catalogue loads: the status says it
        pass


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
    "edit": edit.edit,
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
    C.streams_that_can_say_everything()
    with C.sigterm_as_interrupt():
        app()
