"""Console output for the command line: logs and progress on stderr, reports on stdout, all in one language.

Every text comes from the message catalogue (:mod:`yuanluo.gis.catalogue`, ``cli.*`` keys) in the language
chosen for the run (:func:`set_lang`, :func:`lang_from_argv`).

Exit codes: 0 ok, 1 rule violations found, 2 bad input or usage, 3 internal error, 130 interrupted (Ctrl-C or
SIGTERM; nothing written).
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
import logging
import os
import re
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar, cast

import typer
from rich import _wrap as _rich_wrap
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from yuanluo.gis import progress, transaction
from yuanluo.gis.catalogue import Lang, number, text
from yuanluo.gis.errors import Problem, YuanluoError, library_words

EXIT_OK, EXIT_VIOLATIONS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
#: the exit status of a run stopped by Ctrl-C or SIGTERM (128 + SIGINT, as a shell reports an interrupt)
EXIT_INTERRUPTED = 130
LANG_ENV = "YUANLUO_LANG"


class _Stages:
    """The progress display on stderr: one line per stage of a run, named from the catalogue, with its elapsed
    time. On a terminal a rich progress display (a spinner on the running stage, which names the part of a long
    fit it is in); otherwise plain lines, and only with ``-v``; nothing with ``-q``. Never on stdout."""

    def __init__(self) -> None:
        self.live: Progress | None = None
        self.task: TaskID | None = None
        self.main = ""
        self.shown = False
        self.t0 = time.perf_counter()
        self.t_line = 0.0

    def reset(self) -> None:
        self.finish()
        self.shown = False
        self.t0 = time.perf_counter()

    def _visible(self) -> bool:
        return not _state.get("quiet") and (err.is_terminal or _state.get("verbose", 0) > 0)

    def _line(self, stage: str) -> None:
        err.print(msg("step.line", elapsed=f"{time.perf_counter() - self.t0:.1f}", stage=stage), markup=False)

    def start(self, stage: str) -> None:
        """A stage starts (the text of a ``step.*`` key)."""
        self.main = stage
        if not self._visible():
            return
        self.shown = True
        if not err.is_terminal:
            self._line(stage)
            return
        if self.live is None:
            self.live = Progress(SpinnerColumn(finished_text="✓"), TextColumn("{task.description}", markup=False),
                                 TimeElapsedColumn(), console=err, transient=False, redirect_stdout=False,
                                 redirect_stderr=False)
            self.live.start()
        self._close_task()
        self.task = self.live.add_task(stage, total=None, stage=stage)

    def part(self, part: str, *, every: float = 0.0, last: bool = True) -> None:
        """The running stage is now in ``part`` (the text of a ``step.fit.*`` key). ``every``: as plain lines,
        at most one in so many seconds, except the ``last`` (a count of many items: not a line each)."""
        stage = msg("step.sub", stage=self.main.rstrip("…").rstrip("."), part=part)
        if not self._visible():
            return
        if self.live is not None and self.task is not None:
            self.live.update(self.task, description=stage)
        elif not err.is_terminal:
            now = time.perf_counter()
            if last or now - self.t_line >= every:
                self.t_line = now
                self._line(stage)

    def _close_task(self) -> None:
        if self.live is not None and self.task is not None:  # done: its own name again, not its last part
            stage = self.live.tasks[-1].fields.get("stage", "")
            self.live.update(self.task, total=1, completed=1, description=stage)
        self.task = None

    def finish(self, *, done: bool = True) -> None:
        """The run is over (done, failed or interrupted): stop the display before anything else is printed. Only a
        run that is ``done`` says so (its running stage ticked, or the line 完成 / Done): a failed or interrupted
        one stops where it was, and its error or 已中断 / Interrupted follows."""
        if self.live is not None:
            if done:
                self._close_task()
            elif self.task is not None:
                self.live.stop_task(self.task)
                self.task = None
            self.live.stop()
            self.live = None
        elif self.shown and done and not err.is_terminal and self._visible():
            self._line(msg("step.done"))
        self.shown = False


class _Out(Console):
    """stdout: the progress display on stderr is stopped before a report is printed, so they never interleave."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        stages.finish()
        super().print(*(one_line(o) if isinstance(o, str) else o for o in objects), **kwargs)


class _Err(Console):
    """stderr: the data's values that hold a line break printed on one line (:func:`one_line`), as on stdout."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        super().print(*(one_line(o) if isinstance(o, str) else o for o in objects), **kwargs)


#: a "word" for rich's line wrapping: one Chinese character (a line may break between any two, as Chinese text
#: does), or a run of anything else up to a space or a Chinese character, so that a Latin word, a code, a number
#: or a path inside a Chinese sentence ("GeoParquet", "RESULT-DEM") moves to the next line whole instead of being
#: folded in two at the column's edge; opening marks stay with what follows them, closing marks and pauses
#: (、，。）) with what precedes them, so no line starts with "，" or ends with "（"
_CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_OPEN = "（［｛〔【《〈「『“‘"
_CLOSE = "、，。；：？！）］｝〕】》〉」』”’…·"
#: a placeholder of a usage line, "{农户文件}", "[选项]", "{评分表}...": one word, as "{HOUSEHOLDS}" is (not a
#: bracket holding a pause or a space, "[默认：10.0]")
_PLACEHOLDER = rf"[\[{{][^\s\[\]{{}}{_OPEN}{_CLOSE}]+[\]}}](?:\.\.\.)?"
WRAP_WORD = re.compile(rf"\s*(?:[{_OPEN}]*(?:{_PLACEHOLDER}|[{_CJK}]|[^\s{_CJK}{_OPEN}{_CLOSE}]+)[{_CLOSE}]*"
                       rf"|[{_OPEN}]+[{_CLOSE}]*|[{_CLOSE}]+)\s*")


def _wrap_between_chinese_characters() -> None:
    """Make rich wrap Chinese text between characters and keep other words whole (:data:`WRAP_WORD`); rich's own
    rule splits at spaces only, so a Chinese sentence is one long "word" folded wherever the column ends.

    >>> [m.group(0) for m in WRAP_WORD.finditer("预设：“banan”、“qingshen”（GeoPackage 必填）")]
    ['预', '设：', '“banan”、', '“qingshen”', '（GeoPackage ', '必', '填）']
    >>> [m.group(0) for m in WRAP_WORD.finditer("用法：yuanluo maturity load [选项] {结果文件} {评分表}...")]
    ['用', '法：', 'yuanluo ', 'maturity ', 'load ', '[选项] ', '{结果文件} ', '{评分表}...']
    >>> [m.group(0) for m in WRAP_WORD.finditer("[默认：10.0]")]
    ['[', '默', '认：', '10.0]']
    >>> WRAP_WORD.match("   ") is None
    True
    """
    from rich import _wrap

    if isinstance(getattr(_wrap, "re_word", None), re.Pattern):  # a rich that splits lines this way
        _wrap.re_word = WRAP_WORD


_wrap_between_chinese_characters()

#: names with a space in them (a village "Sant Julià de Lòria", a group "一 组", a unit id), each kept on one line
#: where a table's cell wraps (:func:`keep_whole`); a name longer than this many cells is left to wrap at its spaces
NAME_MAX = 40
#: a value holding one of these is a list or a sentence, not a name
_NOT_A_NAME = re.compile(r"[\n,;、，；。]")
_names: dict[str, Any] = {"kept": set(), "found": None, "odd": {}, "odd_found": None}
#: characters that break or hide a console line: line breaks (a CSV cell may hold one, as Excel writes Alt+Enter)
#: and the other control characters (carriage return, escape …); a data value holding one is printed with it shown
_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
#: what stands for a line break in a value on the console (one finding, one line)
BREAK_MARK = "⏎"
#: a word of marks only (brackets, quotes), written against the word after it; or, with a space after it, the
#: word before it; and what may join two names into one piece ("Sant Julià de Lòria/一 组")
_MARKS, _MARKS_AFTER, _JOINT = re.compile(r"[^\w\s]+"), re.compile(r"[^\w\s]+\s*"), re.compile(r"[^\w\s,;、，；。]*")
#: the width of the line being divided (rich's ``divide_line``), which a name must fit to be kept whole (per
#: thread: the progress display draws from its own)
_line_width: contextvars.ContextVar[int | None] = contextvars.ContextVar("yuanluo_line_width", default=None)
#: rich's own
_stock_words: Callable[[str], Iterable[tuple[int, int, str]]] = getattr(_rich_wrap, "words", None) or (lambda t: [])
_stock_divide_line: Callable[..., list[int]] | None = getattr(_rich_wrap, "divide_line", None)


def keep_whole(values: Any) -> None:
    """Keep each of ``values`` that is a name with a space in it (not a list, at most :data:`NAME_MAX` cells) on
    one line where the console wraps a table's cell: rich breaks a cell's text at any space, so "Sant Julià de
    Lòria" or "石桥 村" came out as "Sant Julià de" over "Lòria". A name wider than the line wraps at its spaces,
    as before. For this run (:func:`setup` forgets them).

    >>> from rich.console import Console
    >>> from rich.text import Text
    >>> line = "Unit B straddles villages (Sant Julià de Lòria; 石桥 村)."
    >>> keep_whole(["Sant Julià de Lòria", "石桥 村", "two, names"])
    >>> [str(t) for t in Text(line).wrap(Console(), 30)]
    ['Unit B straddles villages ', '(Sant Julià de Lòria; ', '石桥 村).']
    >>> [str(t) for t in Text(line).wrap(Console(), 15)]  # too wide for the line: at its spaces
    ['Unit B ', 'straddles ', 'villages (Sant ', 'Julià de Lòria;', '石桥 村).']
    >>> _names["kept"].clear(); _names["found"] = None
    """
    from rich.cells import cell_len

    new = {v for v in (str(x).strip() for x in values if isinstance(x, str))
           if " " in v and cell_len(v) <= NAME_MAX and not _NOT_A_NAME.search(v)} - _names["kept"]
    if new:
        _names["kept"] |= new
        _names["found"] = re.compile("|".join(re.escape(n) for n in sorted(_names["kept"], key=lambda n: -len(n))))


def shown_whole(value: str) -> str:
    """``value`` (a name, a cell of the data) as one line of the console: each line break in it shown as
    :data:`BREAK_MARK`, each other control character as its code point (``U+001B``), a tab as a space.

    >>> shown_whole('"引号"组\\n换行'), shown_whole("a\\r\\nb\\tc\\x1b[31m"), shown_whole("石桥 村")
    ('"引号"组⏎换行', 'a⏎b cU+001B[31m', '石桥 村')
    """
    value = _CONTROL.sub(lambda m: f"U+{ord(m[0]):04X}", _BREAKS.sub(BREAK_MARK, value))
    return value.replace("\t", " ")


def _odd(value: str) -> bool:
    return "\t" in value or _BREAKS.search(value) is not None or _CONTROL.search(value) is not None


def keep_one_line(values: Any) -> None:
    """Print each of ``values`` (the data's names and cells) that holds a line break or another control character
    as :func:`shown_whole` writes it, wherever the console prints it (:func:`one_line`): a unit named
    "“引号”院⏎落" broke repair's reason of it in two, and a group name validate's list of groups. For this run
    (:func:`setup` forgets them); the files written keep the value as it is.

    >>> keep_one_line(["一组", "二\\n组"]); one_line("组 二\\n组 与 一组\\n下一行")
    '组 二⏎组 与 一组\\n下一行'
    >>> _names["odd"].clear(); _names["odd_found"] = None
    """
    new = {v: shown_whole(v) for v in (x for x in values if isinstance(x, str)) if _odd(v) and v not in _names["odd"]}
    if new:
        _names["odd"].update(new)
        _names["odd_found"] = re.compile("|".join(re.escape(n) for n in sorted(_names["odd"], key=lambda n: -len(n))))


def one_line(text: str) -> str:
    """``text`` with each value of :func:`keep_one_line` in it shown whole on its line."""
    found = _names["odd_found"]
    return text if found is None else found.sub(lambda m: _names["odd"][m[0]], text)


#: the columns whose values a message may name: the administrative levels (:func:`yuanluo.gis.keys.levels`), the
#: settlement and a plan's unit
NAME_COLUMNS = ("settlement", "unit_id", "unit")


def keep_names(households: Any, *more: Any) -> None:
    """:func:`keep_whole` for the names a message may give of ``households``: its ids and the values of its
    town, village, group, settlement and unit columns; and of ``more`` (a plan's labels, ids)."""
    from yuanluo.gis.keys import levels

    cols = [*levels(households.columns), *(c for c in NAME_COLUMNS if c in households.columns)]
    for values in (households.index, *(households[c] for c in cols), *more):
        keep_whole(_spaced(values))
        keep_one_line(_distinct_texts(values))


def _distinct_texts(values: Any) -> list[str]:
    """The distinct texts among ``values``."""
    import pandas as pd

    s = pd.Series(list(values) if not isinstance(values, (pd.Series, pd.Index)) else values, dtype=object)
    return [v for v in dict.fromkeys(s) if isinstance(v, str)]


def _spaced(values: Any) -> list[str]:
    """The distinct texts among ``values`` with a space in them."""
    import pandas as pd

    s = pd.Series(list(values) if not isinstance(values, (pd.Series, pd.Index)) else values, dtype=object)
    s = s[s.map(lambda v: isinstance(v, str) and " " in v)]
    return list(dict.fromkeys(s))


def _words_keeping_names(text: str) -> Iterator[tuple[int, int, str]]:
    """rich's words of a line (:data:`WRAP_WORD`), those that make up a name of :func:`keep_whole` joined into one
    where they fit the line, with the marks written against it ("(石桥 村);"); two names joined by a mark
    ("Sant Julià de Lòria/一 组") as one where they fit, else each alone.

    >>> keep_whole(["石桥 村", "一 组"])
    >>> [w for _, _, w in _words_keeping_names("groups (石桥 村/一 组); ids")]
    ['groups ', '(石桥 村/一 组); ', 'ids']
    >>> _names["kept"].clear(); _names["found"] = None
    """
    words = list(_stock_words(text))
    found = _names["found"]
    spans = [m.span() for m in found.finditer(text)] if found is not None and " " in text else []
    if not spans:
        yield from words
        return
    words = _split_at_joints(text, words, spans)
    from rich.cells import cell_len

    def marks(w: int, after: bool = False) -> bool:  # a word of marks only ("(", "“"; with ``after`` ");" too)
        return 0 <= w < len(words) and (_MARKS_AFTER if after else _MARKS).fullmatch(words[w][2]) is not None

    width = _line_width.get()
    i = k = 0
    while i < len(words):
        while k < len(spans) and spans[k][1] <= words[i][0]:
            k += 1
        first = i + 1 if marks(i) and i + 1 < len(words) else i  # "(" written before a name goes with it
        joined = None
        if k < len(spans) and spans[k][0] < words[first][1]:  # this word begins a name (or holds its start)
            for chained in (True, False):
                n, last = k, spans[k][1]
                while chained and n + 1 < len(spans) and _JOINT.fullmatch(text[last:spans[n + 1][0]]):
                    n, last = n + 1, spans[n + 1][1]  # the next name written against it ("/"): one piece
                j = first
                while j + 1 < len(words) and words[j + 1][0] < last:
                    j += 1
                while marks(j + 1, after=True) and not words[j][2][-1:].isspace():  # ");" after it too
                    j += 1
                piece = text[words[i][0]:words[j][1]]
                if j > i and (width is None or cell_len(piece.rstrip()) <= width):
                    joined = (j, piece)
                    break
        if joined is None:
            yield words[i]
            i += 1
        else:
            yield words[i][0], words[joined[0]][1], joined[1]
            i = joined[0] + 1


def _split_at_joints(text: str, words: list[tuple[int, int, str]],
                     spans: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """``words`` with a word that ends one name and begins the next ("Lòria/Grup" of "Sant Julià de Lòria/Grup de
    la Font") cut after the mark between them, so that where the two do not fit one line together each can still
    be kept whole on a line of its own.

    >>> words = [(0, 5, "Sant "), (5, 11, "Julià "), (11, 14, "de "), (14, 25, "Lòria/Grup "), (25, 28, "de ")]
    >>> _split_at_joints("Sant Julià de Lòria/Grup de la Font", words, [(0, 19), (20, 35)])[3:]
    [(14, 20, 'Lòria/'), (20, 25, 'Grup '), (25, 28, 'de ')]
    """
    starts = {s for s, _ in spans}
    cuts = sorted(j for _, e in spans if (j := e + len(_JOINT.match(text, e)[0])) in starts)  # type: ignore[index]
    if not cuts:
        return words
    out = []
    for a, b, _ in words:
        for c in (c for c in cuts if a < c < b):
            out.append((a, c, text[a:c]))
            a = c
        out.append((a, b, text[a:b]))
    return out


def _divide_line(text: str, width: int, fold: bool = True) -> list[int]:
    """rich's ``divide_line``, the width known to :func:`_words_keeping_names`."""
    token = _line_width.set(width)
    try:
        return cast(Callable[..., list[int]], _stock_divide_line)(text, width, fold)
    finally:
        _line_width.reset(token)


def _keep_names_whole() -> None:
    """Make rich's wrapping keep the names of :func:`keep_whole` on one line (where rich wraps this way)."""
    from rich import text as rich_text

    # a rich that wraps this way (rich 13-15); another keeps its own wrapping (names may then break at spaces)
    if _stock_divide_line is not None and getattr(_rich_wrap, "words", None) is not None \
            and getattr(rich_text, "divide_line", None) is _stock_divide_line:
        _rich_wrap.words = _words_keeping_names
        rich_text.divide_line = _divide_line


_keep_names_whole()
err = _Err(stderr=True, highlight=False, soft_wrap=True)
out = _Out(highlight=False, soft_wrap=True)
stages = _Stages()

_state: dict[str, Any] = {"lang": "zh", "verbose": 0}

log = logging.getLogger("yuanluo")

F = TypeVar("F", bound=Callable[..., Any])


def as_lang(value: str | None, default: Lang = "zh") -> Lang:
    """``"en"``/``"en-GB"``/``"EN"`` → ``"en"``; ``"zh"``/``"zh-CN"`` → ``"zh"``; anything else → ``default``.

    Examples
    --------
    >>> as_lang("en_US"), as_lang("zh-CN"), as_lang(None), as_lang("", "en")
    ('en', 'zh', 'zh', 'en')
    """
    return known_lang(value) or default


def known_lang(value: str | None) -> Lang | None:
    """The language ``value`` names (``"en"``, ``"en-GB"``, ``"zh_CN"`` …), or None for one Yuanluo does not speak.

    Examples
    --------
    >>> known_lang("EN"), known_lang("zh-Hans"), known_lang("fr"), known_lang("")
    ('en', 'zh', None, None)
    """
    v = (value or "").strip().lower()
    if v.startswith("en"):
        return "en"
    if v.startswith("zh"):
        return "zh"
    return None


def lang_from_argv(argv: Sequence[str], env: Mapping[str, str] | None = None) -> Lang:
    """The language of a command line: the last ``--lang X`` / ``--lang=X`` anywhere in it, else the
    environment variable ``YUANLUO_LANG``, else Chinese.

    Examples
    --------
    >>> lang_from_argv(["check", "a.gpkg", "--lang", "en", "--help"], env={})
    'en'
    >>> lang_from_argv(["--lang=zh", "demo"], env={"YUANLUO_LANG": "en"})
    'zh'
    >>> lang_from_argv(["demo"], env={"YUANLUO_LANG": "en"})
    'en'
    """
    env = os.environ if env is None else env
    found: str | None = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith("--lang="):
            found = arg.split("=", 1)[1]
    return as_lang(found if found is not None else env.get(LANG_ENV), "zh")


def set_lang(value: str | None) -> Lang:
    """Set the language of everything printed from now on; returns it."""
    _state["lang"] = as_lang(value, lang())
    return lang()


def setup(lang_: str | None = None, verbose: int = 0, quiet: bool = False) -> Lang:
    """Set the language (when given; else keep the one of the command line), the log level and whether
    progress lines are shown (not with ``quiet``); Python warnings of the libraries are logged, shown only with
    ``verbose``."""
    if lang_ is not None:
        set_lang(lang_)
    _state["verbose"] = verbose
    _state["quiet"] = quiet
    _names["kept"].clear()  # the names of this run's data only (keep_whole)
    _names["found"] = None
    _names["odd"].clear()  # and of keep_one_line
    _names["odd_found"] = None
    stages.reset()
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
    # a library's own warnings (English, for its developers) go to the log: shown with -v, never into the
    # planner's console in between the messages of the run's language
    logging.captureWarnings(False)  # (re)installed: a caller may have put its own showwarning back since
    logging.captureWarnings(True)
    libs = logging.getLogger("py.warnings")
    libs.handlers.clear()
    libs.addHandler(handler if verbose else logging.NullHandler())
    libs.setLevel(logging.WARNING)
    libs.propagate = False
    # and so do the libraries' own log records (GDAL's warnings through rasterio's logger, matplotlib's): with no
    # handler anywhere, Python's last resort printed them, in English, on stderr; a caller's own set-up is kept
    top = logging.getLogger()
    for h in [h for h in top.handlers if isinstance(h, _LibraryLog)]:
        top.removeHandler(h)
    if not top.handlers:
        top.addHandler(_LibraryLog(handler if verbose else None))
    return lang()


class _LibraryLog(logging.Handler):
    """The handler :func:`setup` gives the root logger: the records of the libraries, passed to the run's log
    handler with ``-v``, else dropped (as their Python warnings are)."""

    def __init__(self, to: logging.Handler | None) -> None:
        super().__init__()
        self.to = to

    def emit(self, record: logging.LogRecord) -> None:
        if self.to is not None:
            self.to.handle(record)


def quiet() -> bool:
    """``-q``: the run prints its outcome and its errors only (no progress, no warnings or notes)."""
    return bool(_state.get("quiet"))


def lang() -> Lang:
    """The language chosen for this run."""
    return cast(Lang, _state["lang"])


def msg(key: str, /, **params: Any) -> str:
    """The catalogue text ``key`` in the chosen language.

    Examples
    --------
    >>> _ = set_lang("en"); msg("cli.written", files="a.gpkg")
    'Written: a.gpkg'
    >>> _ = set_lang("zh")
    """
    return text(key, lang(), **params)


def num(x: float, decimals: int = 0) -> str:
    """A count or a total as the run's language writes it (:func:`yuanluo.gis.catalogue.number`, as the reports):
    English groups the thousands, Chinese writes the digits as they are. Only for counts and totals: ids, row
    numbers, EPSG codes and years are given as they are.

    Examples
    --------
    >>> _ = set_lang("en"); num(12345), num(999), num(1234.56, 1)
    ('12,345', '999', '1,234.6')
    >>> _ = set_lang("zh"); num(12345)
    '12345'
    """
    return number(x, lang(), decimals)


def step(key: str, /, **params: Any) -> None:
    """A stage of the run starts: the catalogue text ``key`` in the progress display on stderr (see
    :class:`_Stages`: a live display on a terminal, plain lines only with ``-v`` otherwise, nothing with ``-q``).
    """
    transaction.raise_if_stopped()  # an interrupt Python dropped where it landed stops the run here
    stages.start(msg(key, **params))


def tally(key: str, done: int, total: int) -> None:
    """``done`` of ``total`` items of the running stage are done (a long loop, one sheet per unit): the catalogue
    text ``key`` (fields ``n`` and ``total``) as the stage's part, on a terminal as the display's description; as
    plain lines (``-v``) at most one every 5 seconds and the last; nothing with ``-q``."""
    stages.part(msg(key, n=num(done), total=num(total)), every=5.0, last=done >= total)


def _heard(key: str) -> None:
    """A stage announced from inside a computation (:mod:`yuanluo.gis.progress`); an interrupt Python dropped
    where it landed stops the run here."""
    transaction.raise_if_stopped()
    if key.startswith("step.fit."):
        stages.part(msg(key))
    else:
        stages.start(msg(key))


#: a household id longer than this, or a run of more than :data:`LONG_RUN` characters without a space or a Chinese
#: pause in another value of a problem (a cell, a name), is shown on the console by its first :data:`KEPT`
#: characters and its length (``cli.value_cut``); files (CSV, JSON, report) keep it whole
LONG_ID, LONG_RUN, KEPT = 60, 120, 40
_RUN = re.compile(rf"[^\s{_OPEN}{_CLOSE}]{{{LONG_RUN + 1},}}")


def shortened(value: str) -> str:
    """``value`` with each over-long run of characters (:data:`LONG_RUN`) cut to its first :data:`KEPT` and a
    note of its length, for the console; a value of ordinary words as it is.

    >>> _ = set_lang("en"); shortened("id " + "x" * 200 + " is bad")
    'id xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… (200 characters, shortened here) is bad'
    >>> shortened("a short value, 一句话")
    'a short value, 一句话'
    >>> _ = set_lang("zh")
    """
    return _RUN.sub(lambda m: m[0][:KEPT] + msg("cli.value_cut", n=num(len(m[0]))), value)


def _shortened_id(hid: str) -> str:
    return hid[:KEPT] + msg("cli.value_cut", n=num(len(hid))) if len(hid) > LONG_ID else hid


def for_console(p: Problem) -> Problem:
    """``p`` with over-long data values shortened (:func:`shortened`; an id past :data:`LONG_ID` characters) for
    a console line: a 20,000-character household id made one COORD-NAN line of 17,000 characters. Texts of the
    catalogue (a value given in every language) are kept; ``p`` itself when nothing is long."""
    def cut(v: Any) -> Any:
        if isinstance(v, str):
            return shortened(shown_whole(v))
        if isinstance(v, (list, tuple)):
            return type(v)(cut(x) for x in v)
        return v  # a number, or a text given in every language (the catalogue's own)

    ids = type(p.ids)(_shortened_id(shown_whole(str(i))) for i in p.ids)
    params = {k: v if any(w in k for w in ("file", "path", "target")) else cut(v)  # paths as given
              for k, v in p.params.items()}
    if ids == p.ids and params == dict(p.params):
        return p
    return dataclasses.replace(p, ids=ids, params=params)


def _keep_values_whole(problems: Sequence[Problem]) -> None:
    """:func:`keep_whole` for the data values the problems name (a village, a unit, a cell, a file: their texts,
    not the catalogue's)."""
    for p in problems:
        for v in p.params.values():
            keep_whole(v if isinstance(v, (list, tuple)) else [v])
        keep_whole([str(i) for i in p.ids] + [str(p.file or "")])


def print_problems(problems: list[Problem], *, stream: Console | None = None) -> None:
    """Each problem's full message (code, what is wrong, where, the fix), once each, as input errors are
    printed. (A table of first lines above them said everything twice.) Over-long values shortened
    (:func:`for_console`)."""
    console = stream or out
    _keep_values_whole(problems)
    for p in problems:
        console.print(for_console(p).message(lang()), markup=False)


def _sentence(s: str) -> str:
    """``s`` begun as a sentence (an English headline starts in lower case after its code)."""
    return s[:1].upper() + s[1:]


#: a table whose text column (its last: a finding's message, the examples of a code) would get fewer cells than
#: this on the screen is printed as blocks instead (:func:`print_rows`): at 60 columns check's findings table left
#: its messages 22 cells, at 40 columns 9 (a Chinese line of 4 characters); 30 is a line of 15 Chinese characters
#: or five English words, what an 80-column screen leaves the longest codes
MIN_TEXT_CELLS = 30


def print_rows(columns: Sequence[tuple[str, Mapping[str, Any]]], rows: Sequence[Sequence[str]], *,
               title: str | None = None, stream: Console | None = None) -> None:
    """``rows`` as a table of ``columns`` (name, :meth:`rich.table.Table.add_column` options), its last column the
    text, on ``stream`` (stdout). Where the screen leaves that column fewer than :data:`MIN_TEXT_CELLS` cells
    beside the others (their widest cells, with the table's rules), one block a row instead, a line a cell under
    its column's name ("代码：PLAN-CROSS-GROUP"), the text wrapped beside its name over the rest of the line, a
    blank line between blocks. The cells are data, printed as they are (no markup; a value of
    :func:`keep_one_line` on one line).

    >>> from rich.console import Console
    >>> _ = set_lang("en")
    >>> rows = [("SIZE-LOW", "U1", "Unit U1 has 2 households, fewer than the 20 the rules ask for.")]
    >>> print_rows([("Code", {}), ("Unit", {}), ("Message", {})], rows, stream=Console(width=40))  # doctest: +NORMALIZE_WHITESPACE
    Code:    SIZE-LOW
    Unit:    U1
    Message: Unit U1 has 2 households, fewer
             than the 20 the rules ask for.
    >>> _ = set_lang("zh")
    """
    from rich.cells import cell_len
    from rich.text import Text

    console = stream or out
    rows = [[one_line(str(cell)) for cell in row] for row in rows]  # a value with a line break: on its line
    beside = sum(max([cell_len(name)] + [cell_len(line) for row in rows for line in row[i].splitlines()])
                 for i, (name, _) in enumerate(columns[:-1]))
    if console.width - (3 * len(columns) + 1) - beside >= MIN_TEXT_CELLS:  # room: a table (its rules, padding)
        table = Table(title=title)
        for name, options in columns:
            table.add_column(name, **options)
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))
        console.print(table)
        return
    blocks = Table.grid()
    blocks.add_column(no_wrap=True)
    blocks.add_column(overflow="fold")  # a run of Chinese has no space to wrap at: folded, never cut
    colon = msg("punct.colon")  # "：", ": "
    for k, row in enumerate(rows):
        if k:
            blocks.add_row("", "")
        for (name, _), cell in zip(columns, row, strict=True):
            blocks.add_row(Text(name + colon), Text(cell))
    if title:
        console.print(title, markup=False)
    console.print(blocks)


def print_problem_summary(problems: list[Problem], *, title: str, stream: Console | None = None,
                          per_code: int = 3) -> None:
    """One row per code and fix (how many, the first ``per_code`` messages, and their fix): for warnings that may
    number in thousands. Problems of one code whose fixes differ (an island cut off by the settlement nesting and
    one cut off by its villager group) get a row for each fix, the commonest first, so that no problem is shown
    another's fix; a code with more than ``per_code + 1`` fixes shows ``per_code`` of them and one row for the
    rest, saying how many fixes they have. With ``-q`` only the errors among them."""
    console = stream or err
    if quiet():
        problems = [p for p in problems if p.severity == "error"]
    if not problems:
        return
    _keep_values_whole(problems)
    by_code: dict[str, dict[str, list[Problem]]] = {}
    for p in map(for_console, problems):  # per code, per fix, in the order met
        by_code.setdefault(p.code, {}).setdefault(p.fix(lang()), []).append(p)
    rows: list[tuple[str, str, str]] = []
    for code in sorted(by_code):
        groups = sorted(by_code[code].items(), key=lambda g: -len(g[1]))  # the commonest fix first (stable)
        shown_groups = groups if len(groups) <= per_code + 1 else groups[:per_code]
        for fix, items in shown_groups:
            fix_line = "\n" + msg("problem.fix", fix=fix) if fix else ""
            rows.append((code, num(len(items)), _examples(items, per_code) + fix_line))
        rest = groups[len(shown_groups):]
        if rest:  # many fixes (each naming its own unit, file …): the rest in one row, not a row each
            items = [p for _, group in rest for p in group]
            fixes = msg("cli.fixes_differ", count=num(len(items)), fixes=num(len(rest)))
            rows.append((code, num(len(items)), _examples(items, per_code) + "\n" + fixes))
    print_rows([(msg("cli.col.code"), {}), (msg("cli.col.count"), {"justify": "right"}),
                (msg("cli.col.examples"), {"overflow": "fold"})],  # CJK runs have no spaces to wrap at: fold, never cut
               rows, title=title, stream=console)


def _examples(items: list[Problem], per_code: int) -> str:
    """The first ``per_code`` headlines of ``items``, one a line, and how many more there are."""
    shown = "\n".join(_sentence(p.headline(lang())) for p in items[:per_code])
    return shown + ("\n" + msg("cli.more", count=num(len(items) - per_code)) if len(items) > per_code else "")


def print_written(paths: Any) -> None:
    """"Written: a, b" on stdout, the files listed as the language lists things."""
    out.print(msg("cli.written", files=msg("list.sep").join(str(p) for p in paths if p is not None)), markup=False)


def print_table(title: str, rows: list[tuple[str, str]]) -> None:
    """A two-column table (item, value) on stdout."""
    table = Table(title=title)
    table.add_column(msg("cli.col.item"), overflow="fold")
    table.add_column(msg("cli.col.value"), justify="right", overflow="fold")
    for name, value in rows:
        table.add_row(name, value)
    out.print(table)


#: what a run may print besides ASCII: Chinese text, the catalogue's punctuation and data values (names of
#: places, layers and files in any script)
_PROBE = "院落，。、（）“”…—–→≤≥×·"


def streams_that_can_say_everything(streams: Sequence[Any] | None = None) -> None:
    """Make stdout and stderr able to print every message instead of failing on one character.

    Output redirected to a file on a Windows set to a Western code page (``yuanluo demo > log.txt``: cp1252)
    cannot hold Chinese; Python then stopped the run at its first Chinese line with ``UnicodeEncodeError``, an
    internal error after the outputs were written. A stream that cannot encode :data:`_PROBE` is switched
    before anything is printed: to UTF-8 when it goes to a file or a pipe (Notepad and Excel read it), or, on a
    terminal, kept in its encoding with characters it lacks written as ``\\uXXXX``. A stream that can (UTF-8,
    a Chinese Windows' GBK) is left as it is.

    >>> import io
    >>> raw = io.BytesIO()
    >>> s = io.TextIOWrapper(raw, encoding="cp1252")
    >>> streams_that_can_say_everything([s])
    >>> _ = s.write("院落"); s.flush()
    >>> raw.getvalue().decode("utf-8"), s.encoding
    ('院落', 'utf-8')
    """
    for stream in (sys.stdout, sys.stderr) if streams is None else streams:
        encoding = getattr(stream, "encoding", None)
        if not encoding or not hasattr(stream, "reconfigure"):
            continue
        try:
            _PROBE.encode(encoding)
            continue
        except (UnicodeEncodeError, LookupError):
            pass
        try:
            terminal = stream.isatty()
        except (OSError, ValueError):
            terminal = False
        if terminal:
            stream.reconfigure(errors="backslashreplace")
        else:
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread as Ctrl-C is, so that the same clean-up runs (temporaries removed,
    outputs placed so far taken back)."""


def _on_signal(signum: int, frame: Any) -> None:
    """Ctrl-C or SIGTERM: recorded (:func:`yuanluo.gis.transaction.record_stop`), then raised (while a file is placed
    or taken back, :func:`yuanluo.gis.transaction.holding`, only recorded: raised as that ends). Where Python
    cannot raise it (inside a ``__del__``, as when openpyxl's zip file of a workbook is closed while a roster is
    read) the record stays, and the run stops at its next stage, or at the latest before placing an output."""
    exc: KeyboardInterrupt = Terminated(signum) if signum == signal.SIGTERM else KeyboardInterrupt()
    transaction.record_stop(exc)
    if transaction.holding():  # a file being placed or taken back: the stop is raised as that ends
        return
    raise exc


def _unraisable(hook: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``sys.unraisablehook`` for the run: an interrupt Python dropped (in a ``__del__``) is recorded
    (:func:`yuanluo.gis.transaction.record_stop`) and not printed (Python's "Exception ignored in: … Traceback …
    KeyboardInterrupt", in English, in the middle of the run); anything else goes to ``hook``."""

    def unraisable(info: Any) -> None:
        if isinstance(info.exc_value, KeyboardInterrupt):
            transaction.record_stop(info.exc_value)
            return
        hook(info)

    return unraisable


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM stops the run like Ctrl-C (:class:`Terminated`), and either one stops it even where
    Python drops it (:func:`_on_signal`, :func:`_unraisable`: the run ends with status 130 and writes nothing);
    the handlers only in the main thread. A Ctrl-C the process ignores (started in the background) stays ignored."""
    transaction.new_run()
    launch = sys.modules.get("yuanluo.planners.launch")  # the console script's: a stop heard while it loaded
    early = launch.take_heard() if launch is not None else None
    if early is not None:
        transaction.record_stop(early)
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old_term = signal.signal(signal.SIGTERM, _on_signal)
    old_int = signal.getsignal(signal.SIGINT)
    ours = old_int is signal.default_int_handler or (launch is not None and old_int is launch.on_signal)
    if ours:  # a Ctrl-C the process ignores stays ignored
        signal.signal(signal.SIGINT, _on_signal)
    old_hook = sys.unraisablehook
    sys.unraisablehook = _unraisable(old_hook)
    try:
        yield
    finally:
        sys.unraisablehook = old_hook
        signal.signal(signal.SIGTERM, old_term)
        if ours:
            signal.signal(signal.SIGINT, old_int)


def error_text(exc: YuanluoError) -> str:
    """The message of a failed run in the run's language: every problem of ``exc``; with ``-q`` its errors only
    (the warnings met on the way, such as ATTR-PERSONAL, are not printed: ``-q`` prints no warnings or notes).

    >>> from yuanluo.gis.errors import InputError, problem
    >>> e = InputError([problem("IO-NOTFOUND", file="a.csv"), problem("CLI-DEPRECATED", severity="warning",
    ...                 old="--max-walk", new="--max-edge-walk")]).from_writer()
    >>> _ = setup("en", quiet=True); print(error_text(e))
    Error IO-NOTFOUND: the file a.csv does not exist.
      Fix: check the path and the file name.
    (no output file was written)
    >>> _ = setup("zh")
    """
    shown = [for_console(p) for p in exc.problems]  # over-long values shortened
    if quiet():
        errors = [p for p in shown if p.severity == "error"]
        shown = errors if errors else shown
    every = exc.problems
    exc.problems = shown  # for its render (a subclass adds what was and was not written)
    try:
        return exc.render(lang())
    finally:
        exc.problems = every


def note(message: str, *, stream: Console | None = None) -> None:
    """A note of the run (which sheet was read, a setting without effect …): printed on ``stream`` (stdout by
    default), but not with ``-q``, which prints the outcome and the errors only."""
    if not quiet():
        (stream or out).print(message, markup=False)


def handle_errors(func: F) -> F:
    """Turn Yuanluo errors into a message and its exit status; anything else is an internal error (3)."""

    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            with progress.listening(_heard):
                try:
                    result = func(*args, **kwargs)
                except typer.Exit:  # a command ending with its own status (1: violations found)
                    transaction.raise_if_stopped()
                    raise
            transaction.raise_if_stopped()  # interrupted where Python dropped it, after the last stage
        except typer.Exit as exc:  # done, with violations (1) or without (0), unless a usage error (2)
            stages.finish(done=exc.exit_code in (0, 1))
            raise
        except BaseException:  # an error or an interruption: no 完成 / Done before its message
            stages.finish(done=False)
            raise
        stages.finish()
        return result

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return run(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except YuanluoError as exc:
            if transaction.plans_nothing_in_run():  # check without an output option: nothing was to be written
                exc.from_reader()
            elif exc.writes is None:  # met by a command that writes (all or none): the error says none was
                exc.from_writer()  # (the library function that raised it writes nothing, and did not say it)
            if _state["verbose"]:  # a reading library's own words, for its developers
                for words in library_words(exc.problems):
                    err.print(words, markup=False)
            err.print(error_text(exc), markup=False)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (Terminated): the outputs are taken back by now
            written = transaction.committed_in_run()  # unless it came after they were placed: say which
            key = "cli.terminated" if isinstance(exc, Terminated) else "cli.interrupted"
            files = msg("list.sep").join(transaction.shown_path(p) for p in written)
            err.print(msg(key + ".after", files=files) if written else msg(key), markup=False)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if _state["verbose"] or os.environ.get("YUANLUO_DEBUG"):
                err.print(traceback.format_exc(), markup=False)
            err.print(msg("cli.internal", error=f"{type(exc).__name__}: {exc}"), markup=False)
            raise typer.Exit(EXIT_INTERNAL) from None
        finally:
            transaction.new_run()  # the next command run in this process starts afresh

    return cast(F, wrapper)
