"""The one message catalogue: every user-visible text of Yuanluo, keyed by code, in Chinese and English.

The texts live in ``messages/*.toml`` beside this module (one file per stage, all read into one catalogue; a
key defined twice is an error). An entry is a table of fields per language::

    [COORD-SWAP]
    zh.title = "第 {examples} 行的经纬度似乎写反了。"
    en.title = "longitude and latitude seem swapped in {examples}."
    zh.fix = "交换两列，或用 --x-col/--y-col 指定。"
    en.fix = "swap the two columns, or name them with --x-col/--y-col."

or, for a short interface text, one string per language::

    "map.legend" = { zh = "图例", en = "Legend" }

Problem codes (``COORD-SWAP``) have a ``title`` and usually a ``fix``; interface texts (``map.legend``) have
one ``text``. Templates use :meth:`str.format` fields; both languages of an entry take the same fields
(``tests/test_catalogue.py`` checks it).

A text that names a command-line option (``--crs``) or command (``yuanluo repair``) may have a Python version
for a caller of the Python API, who passes a keyword argument (``crs=``) or calls a function (``repair_plan``)
instead: a problem's ``fix_py`` (the same fields as its ``fix``) and ``title_py`` (the fields its
``title`` is given, and ``{keyword}`` where the problem is given an ``{option}``), and for an interface text ``key``
another entry ``key.py`` (the same fields, and ``{keyword}`` likewise: :func:`python_keyword`). A keyword a
Python text names is one of the function that meets the problem (or the text names that function). Which one a
message uses is decided by whether a command of the ``yuanluo`` command line is running
(:func:`on_command_line`): :class:`yuanluo.gis.errors.Problem` notes it when it is made (for ``fix_py``), and
:func:`text` gives ``key.py`` instead of ``key`` and ``title_py`` instead of ``title`` when none is (a problem's
title is rendered in the run that made it: the command line shows its errors before its command ends). What a
page shows its reader (the unit cards' fixes, a check's findings in its report) is said as the command line says
it, whoever built the page (:func:`planner_words`): a text with a Python version that a problem made from Python is
given (:func:`both`) keeps the command line's words too (:class:`Voiced`), and the problem says them all again so
(:meth:`yuanluo.gis.errors.Problem.planner_message`).

A text that names options some commands lack (``--id-col``: ``yuanluo map`` and ``yuanluo edit`` read a result and
have none) may have a version naming none, for a command that lacks one of them: a problem's ``fix_no_option``,
an interface text's ``key.no_option`` (the same fields). The options a text names are the ``--options`` written
in its template and, where it has an ``{option}`` field, those given as ``option``; the running command's are
its Click parameters (:func:`command_options`), so the choice follows the command's real options. A
:class:`yuanluo.gis.errors.Problem` notes the options when it is made, as it notes the command line.

A problem's text may also depend on what the input was given as, each a field of its own beside ``title`` and
``fix`` (the same fields, plus those named here), chosen by :class:`yuanluo.gis.errors.Problem`:

- ``fix_<variant>`` (and ``fix_<variant>_py`` for a call from Python): the fix for a problem made with
  ``variant="<variant>"``: ``fix_boundary`` for the layer given to ``--boundary``, which has no name-column
  option as ``--groups`` has ``--group-field``; ``fix_households`` for the household file. Without
  ``fix_<variant>_py`` a call from Python gets ``fix_py``, and without either ``fix_<variant>``. A land-use
  layer tagged the OpenStreetMap way (``BARRIER-LANDUSE``) has ``fix_osm``. A variant whose case makes the
  title untrue has ``title_<variant>`` too (OUT-WRITE's ``title_enoent``: a missing folder holds no file).
- ``title_mem``, ``fix_mem``: for a layer passed from Python as a GeoDataFrame (``water=frame``), which is no
  file, so a title or fix naming ``{file}`` cannot be followed; they take ``{passed}`` ("the layer given as
  water=", ``load.passed``) and ``{keyword}``. Without ``title_mem`` the title is the entry's own after
  ``load.passed.where``; without ``fix_mem`` the fix is chosen as for a file.
- ``fix_kw``: for the layer given to ``read_households`` as ``boundary=``, which reads the layer alone (no
  column option), in a call from Python; it may take ``{column_py}``, the column as Python writes it. It wins
  over ``fix_mem``; on the command line the fix for its options is used.

The order in which a fix is chosen: ``fix_kw``, ``fix_mem``, ``fix_<variant>[_py]``, ``fix_py``,
``fix_no_option``, ``fix``; the first the entry has and the problem's case calls for.

The language is the caller's choice (``lang``); where none is given, :func:`default_lang`: the environment
variable ``YUANLUO_LANG`` (``en`` or ``zh``), else Chinese.

Examples
--------
>>> text("problem.rows", "zh", rows="3、7")
'第 3、7 行'
>>> text("INVARIANT", "en", "title", what="units overlap")
'internal check failed: units overlap. This is a bug, not a data problem.'
"""

from __future__ import annotations

import os
import re
import string
import sys
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any, Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

_DIR = Path(__file__).with_name("messages")
#: the environment variable that chooses the language (the command line reads it too)
LANG_ENV = "YUANLUO_LANG"
#: the suffix of a field (``fix_py``) or of an interface text's key (``key.py``) for a caller from Python
PY_FIELD, PY_KEY = "_py", ".py"
#: the suffix of the version of a field (``fix_no_option``) or interface text (``key.no_option``) that names no
#: option, for a command lacking an option the text names
NO_OPTION_FIELD, NO_OPTION_KEY = "_no_option", ".no_option"
#: an option a text names (``--id-col``; not a ``---`` rule nor part of a word)
_OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


def default_lang(env: Mapping[str, str] | None = None) -> Lang:
    """The language of an error or problem rendered without one: ``YUANLUO_LANG`` when it says ``en`` or ``zh``
    (``en_US`` and ``zh-CN`` too), else Chinese. ``env`` is :data:`os.environ` by default, read at each call, so a
    notebook may set ``os.environ["YUANLUO_LANG"] = "en"`` at any time.

    >>> default_lang({"YUANLUO_LANG": "en"}), default_lang({"YUANLUO_LANG": "zh_CN"}), default_lang({})
    ('en', 'zh', 'zh')
    """
    v = (os.environ if env is None else env).get(LANG_ENV, "").strip().lower()
    return "en" if v.startswith("en") else "zh"


#: whether the texts rendered now are for a planner reading a page (:func:`planner_words`)
_PLANNER: ContextVar[bool] = ContextVar("yuanluo_planner_words", default=False)


@contextmanager
def planner_words() -> Iterator[None]:
    """Texts rendered inside are said as the command line says them (its options, the rule file's keys, its
    commands), never as the Python API does (``fix_py``, ``key.py``): :func:`on_command_line` is true inside.
    For what a page shows (the map's and the editor's unit cards): its reader acts through the command line or
    the page, whoever built the page, and cannot act on a keyword argument (``max_walk_min=``) or a function
    (``check_plan``). Only the texts the page shows are to be rendered inside; an error raised to a Python
    caller keeps the caller's words.

    >>> text("delineate.fix.walk_remote", "en")[:63]
    'neither redrawing the units nor another meeting point can mend '
    >>> "check_plan" in text("delineate.fix.walk_remote", "en")
    True
    >>> with planner_words():
    ...     "check_plan" in text("delineate.fix.walk_remote", "en"), on_command_line()
    (False, True)
    """
    token = _PLANNER.set(True)
    try:
        yield
    finally:
        _PLANNER.reset(token)


def on_command_line() -> bool:
    """Whether a command of the ``yuanluo`` command line is running: a Click context is current (Typer's own copy
    of Click, or Click) whose command, or that of a context it was made in, is Yuanluo's (its class or its
    function defined in a ``yuanluo`` module). A script's own Click command that calls the Python API is not
    one: its problems name keyword arguments. Only modules already imported are looked at: a notebook that
    never ran the command line imports nothing here. Inside :func:`planner_words`, true: a page's texts are
    said as the command line says them.

    >>> on_command_line()
    False
    """
    return _PLANNER.get() or command_options() is not None


def command_options() -> frozenset[str] | None:
    """The options of the running command of the ``yuanluo`` command line (``--id-col``, ``-o``, ``--output`` …:
    each of its Click parameters' names), None when none is running (:func:`on_command_line`): the innermost
    context whose command is Yuanluo's.

    >>> command_options() is None
    True
    """
    for name in ("typer._click.globals", "click.globals"):
        module = sys.modules.get(name)
        get = getattr(module, "get_current_context", None)
        ctx = get(silent=True) if get is not None else None
        while ctx is not None:
            command = getattr(ctx, "command", None)
            if _yuanluo_command(command):
                return frozenset(o for p in getattr(command, "params", ()) for o in
                                 (*getattr(p, "opts", ()), *getattr(p, "secondary_opts", ())))
            ctx = getattr(ctx, "parent", None)
    return None


def names_options(tmpl: str, params: Mapping[str, Any]) -> set[str]:
    """The options a template names: the ``--options`` written in it and, where it has an ``{option}`` field,
    those of ``params["option"]`` (``--x-col/--y-col``).

    >>> sorted(names_options("name it with {option}, or see --crs", {"option": "--x-col/--y-col"}))
    ['--crs', '--x-col', '--y-col']
    """
    found = set(_OPTION.findall(re.sub(r"\{[^{}]*\}", " ", tmpl)))
    if "option" in fields_of(tmpl) and isinstance(params.get("option"), str):
        found.update(_OPTION.findall(params["option"]))
    return found


def lacks_options(tmpl: str | None, params: Mapping[str, Any], options: frozenset[str] | None) -> bool:
    """Whether a command of the command line whose options are ``options`` (:func:`command_options`) lacks an
    option that ``tmpl`` names (:func:`names_options`); False outside the command line (``options`` None).

    >>> lacks_options("use --id-col", {}, frozenset({"--id-col", "--crs"})), lacks_options("use --id-col", {}, None)
    (False, False)
    >>> lacks_options("use {option}", {"option": "--x-col/--y-col"}, frozenset({"--x-col"}))
    True
    """
    return tmpl is not None and options is not None and not names_options(tmpl, params) <= options


def _yuanluo_command(command: Any) -> bool:
    """Whether a Click command is one of Yuanluo's: its class, or the function it runs, is defined in a
    ``yuanluo`` module (a Typer command's class is Click's own; its function is the command's)."""
    if command is None:
        return False
    owners = (type(command).__module__, getattr(getattr(command, "callback", None), "__module__", None))
    return any(isinstance(m, str) and (m == "yuanluo" or m.startswith("yuanluo.")) for m in owners)


class _Keep(dict[str, Any]):
    """Leaves a field that was not given as ``{name}`` instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@cache
def catalogue() -> dict[str, dict[str, dict[str, str]]]:
    """Every entry, ``{key: {"zh": {field: template}, "en": {...}}}``, read once from ``messages/*.toml``."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    for path in sorted(_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for key, entry in data.items():
            if key in out:
                raise ValueError(f"{path.name}: message key {key} is defined twice")
            if not isinstance(entry, dict) or set(entry) != set(LANGS):
                raise ValueError(f"{path.name}: message key {key} needs exactly the languages zh and en")
            out[key] = {lang: {"text": v} if isinstance(v, str) else dict(v) for lang, v in entry.items()}
    return out


def has(key: str) -> bool:
    """Whether ``key`` is in the catalogue."""
    return key in catalogue()


def template(key: str, lang: Lang = "zh", field: str = "text") -> str | None:
    """The raw template of one field, or None when the entry has no such field."""
    entry = catalogue().get(key)
    if entry is None:
        raise KeyError(f"no message {key!r} in the catalogue")
    return entry[lang if lang in LANGS else "zh"].get(field)


def python_keyword(option: str) -> str:
    """The keyword argument of the Python API that does what a command-line ``option`` does (a ``key.py`` text's
    ``{keyword}`` where the text is given an ``{option}``).

    >>> python_keyword("--id-col"), python_keyword("--x-col/--y-col"), python_keyword("--unit-col")
    ('id_col=', 'x_col=/y_col=', 'unit_col=')
    >>> python_keyword("--head-col")
    'columns={"head_candidate": ...}'
    """
    special = {"--head-col": 'columns={"head_candidate": ...}'}
    return "/".join(special.get(o, o.strip().lstrip("-").replace("-", "_") + "=") for o in option.split("/"))


#: the quotes a text sets a field in (“{given}”, 「{name}」, ‘{x}’, '{value}', "{name}"), each with its closing one
_PAIRS = {"“": "”", "「": "」", "‘": "’", "'": "'", '"': '"'}
#: a field set in quotes, and what stands before it: ``=``, a call's ``(`` or a list's ``[`` make its ASCII quotes
#: code's (``layer='{first}'``, ``read_layer('{file}', …)``, ``fields=['{example}']``, ``preset = "{name}"``)
_WRAPPED = re.compile(r"(?P<pre>(?:= ?|(?<=\w)\(|\[))?(?P<open>[“「‘'\"])\{(?P<name>\w+)(?:\[(?P<item>\w+)\])?\}"
                      r"(?P<close>[”」’'\"])")
#: a value with quotes of its own: a quoted span in it (preset = "banan", hh.set_index("hid"), 'banan'), or a
#: quote at either end
_OWN_QUOTES = re.compile(r"\"[^\"]*\"|'[^']*'|“[^”]*”|‘[^’]*’|「[^」]*」|^[\"'“”‘’「」]|[\"'“”‘’「」]$")


def once_quoted(tmpl: str, params: Mapping[str, Any]) -> str:
    """``tmpl`` with the quotes it sets a field in left out where the field's value has quotes of its own, so that
    it reads quoted once (“preset = "banan"” read as "preset = "banan""): code with quotes of its own stands bare,
    as c168f0e wrote the catalogue's own. ASCII quotes that are code's (after ``=``, a call's ``(``, a list's ``[``:
    ``layer='{first}'``) stay code: a value holding that quote and not the other takes the other, as Python writes
    it (``layer="it's"``).

    >>> once_quoted("改为 “{example}”，或 “{name}”", {"example": 'preset = "banan"', "name": "banan"})
    '改为 {example}，或 “{name}”'
    >>> once_quoted("the value '{value}' of {name}", {"value": "'5'"}), once_quoted("“{why[zh]}”", {"why": {"zh": "“x”"}})
    ('the value {value} of {name}', '{why[zh]}')
    >>> once_quoted("layer='{first}'", {"first": "it's"}), once_quoted("layer='{first}'", {"first": "Sheet1"})
    ('layer="{first}"', "layer='{first}'")
    """
    if "{" not in tmpl:
        return tmpl

    def once(m: re.Match[str]) -> str:
        if _PAIRS[m["open"]] != m["close"]:
            return m[0]
        value = params.get(m["name"])
        if m["item"] is not None:
            value = value.get(m["item"]) if isinstance(value, Mapping) else None
        if not isinstance(value, str) or isinstance(value, Count):
            return m[0]
        pre = m["pre"] or ""
        inner = m[0][len(pre) + 1:-1]
        if pre and m["open"] in "'\"":  # code's quotes: the other quote where the value holds this one
            other = "'" if m["open"] == '"' else '"'
            return f"{pre}{other}{inner}{other}" if m["open"] in value and other not in value else m[0]
        return f"{pre}{inner}" if _OWN_QUOTES.search(value) else m[0]

    return _WRAPPED.sub(once, tmpl)


def text(key: str, lang: Lang = "zh", field: str = "text", /, **params: Any) -> str:
    """Render one field of an entry in ``lang`` with ``params`` (an absent field renders as ""); English
    speaks of one thing in the singular (:func:`english_one`). An interface text or a problem's title with a
    Python version (``key.py``, ``title_py``) gives that one when no command of the command line is running.

    >>> text("ENC-UNKNOWN", "en", "title", encoding="foo", file="a.csv")
    "encoding='foo' is not a known text encoding name (file a.csv)."
    """
    python: tuple[str, str] | None = None  # (key, field) of the Python version, where there is one
    if field == "text" and has(key + PY_KEY):
        python = (key + PY_KEY, field)
    elif field == "title" and has(key) and template(key, lang, field + PY_FIELD) is not None:
        python = (key, field + PY_FIELD)
    if python is not None and not on_command_line():
        key, field = python
        if isinstance(params.get("option"), str):  # the keyword argument that does what the option does
            params.setdefault("keyword", python_keyword(params["option"]))
    elif field == "text" and has(key + NO_OPTION_KEY) \
            and lacks_options(template(key, lang, field), params, command_options()):
        key = key + NO_OPTION_KEY  # the running command lacks an option the text names
    tmpl = template(key, lang, field)
    if tmpl is None:
        return ""
    if lang != "zh":
        params = {k: v.en if isinstance(v, Count) else v for k, v in params.items()}
    out = once_quoted(tmpl, params).format_map(_Keep(params))
    return english_one(out) if lang == "en" else out


def number(x: float, lang: Lang = "zh", decimals: int = 0) -> str:
    """A count or a total as the texts of ``lang`` write it: English groups the thousands (10,000; 38,684.0);
    Chinese writes the digits as they are (10000; 38684.0), as its tables and messages always have.

    >>> number(10000, "en"), number(10000, "zh"), number(38684.04, "en", 1), number(999, "en")
    ('10,000', '10000', '38,684.0', '999')
    """
    return f"{x:,.{decimals}f}" if lang == "en" else f"{x:.{decimals}f}"


class Count(str):
    """A count or size given to a text as a parameter: the digits as Chinese writes them (the string itself, as
    stored and compared), and :attr:`en`, as English writes it (:func:`number`: thousands grouped). :func:`text`
    puts in the one of its language.

    >>> c = Count.of(1187)
    >>> c, c.en, text("SIZE-HIGH", "en", "title", unit="U0", size=c, max=50, what={"en": "households"})[:31]
    ('1187', '1,187', 'unit U0 has 1,187 households, a')
    >>> Count.of(1234.5).en, Count.of([1180, 7]), Count.of([1180, 7]).en
    ('1,234.5', '1180+7', '1,180+7')
    """

    en: str

    def __new__(cls, zh: str, en: str | None = None) -> Count:
        obj = super().__new__(cls, zh)
        obj.en = zh if en is None else en
        return obj

    @classmethod
    def of(cls, x: float | Iterable[float], sep: str = "+") -> Count:
        """``x`` whole, or with one decimal where it has a fraction; several sizes joined by ``sep``."""
        xs = [float(v) for v in x] if isinstance(x, Iterable) else [float(x)]
        d = [0 if v.is_integer() else 1 for v in xs]
        return cls(sep.join(number(v, "zh", k) for v, k in zip(xs, d, strict=True)),
                   sep.join(number(v, "en", k) for v, k in zip(xs, d, strict=True)))


#: nouns the English texts count ("{count} households"), and the verbs that follow a count directly
_NOUNS = ("household", "household id", "person", "unit", "head candidate", "candidate", "piece", "service point", "seed point",
          "point", "location", "site", "edge", "row", "column", "layer", "feature", "value", "cell", "minute",
          "violation", "warning", "error", "move", "polygon", "line", "hole", "character", "level", "byte",
          "water polygon", "line feature", "water line feature", "village", "other village", "villager group",
          "other villager group", "rule", "name", "text", "component", "score", "other", "round", "variable",
          "problem edge", "nodata cell", "siting problem", "walking minute", "more violation", "more point",
          "more row", "more unit", "group", "indicator", "blank cell", "boundary feature", "geometry collection",
          "candidate household", "candidate head", "hidden score column", "new one")
#: nouns whose plural is not the singular and an s ("{n} categories"): said in the singular by :func:`english_one`
#: and the pages' own script (:func:`english_one_rule`)
_IRREGULAR = {"categories": "category", "entries": "entry"}
_VERBS = {"are": "is", "have": "has", "were": "was", "walk": "walks", "lie": "lies", "share": "shares",
          "lack": "lacks", "form": "forms", "fall": "falls", "block": "blocks", "do": "does", "appear": "appears",
          "match": "matches"}
#: what a count of one follows, as a character class's inside: none of these ("21 households", "3+1 households",
#: "0.1 minutes" are no count of one)
_NOT_BEFORE_ONE = r"\w.,\-–/+"
#: the count of one and what follows it (groups: the noun, the verb after it, the apostrophe of a possessive:
#: "1 minutes' walk" is "1 minute's walk"; of an irregular plural: the noun, the verb)
_ONE_REST = r"1 (" + "|".join(_NOUNS) + r")s(?:(?!')\b(?: (" + "|".join(_VERBS) + r")\b)?|('))"
_ONE_IRREGULAR_REST = r"1 (" + "|".join(_IRREGULAR) + r")\b(?!')(?: (" + "|".join(_VERBS) + r")\b)?"
_ONE = re.compile(f"(?<![{_NOT_BEFORE_ONE}])" + _ONE_REST)
_ONE_IRREGULAR = re.compile(f"(?<![{_NOT_BEFORE_ONE}])" + _ONE_IRREGULAR_REST)


class Voiced(dict[str, str]):
    """A text in every language said in the caller's voice (the Python API's, ``key.py``, where no command of the
    command line is running), holding the command line's words for it too (:attr:`planner`), as :func:`both`
    gives a text that has a Python version: a problem made from Python keeps both, so that what a page or a
    report shows its reader can say it as the command line does
    (:meth:`yuanluo.gis.errors.Problem.planner_message`). Read as a dict, it is the caller's voice.
    """

    def __init__(self, said: Mapping[str, str], planner: Mapping[str, str]) -> None:
        super().__init__(said)
        #: the text in every language as the command line says it
        self.planner: dict[str, str] = dict(planner)


def both(key: str, /, **params: Any) -> dict[str, str]:
    """One catalogue text rendered in every language, for a problem's ``{param[zh]}`` / ``{param[en]}``. A text with
    a Python version (``key.py``) rendered from Python is a :class:`Voiced`: the Python version, and the command
    line's words as its ``planner``.

    >>> both("delineate.what.persons")
    {'zh': '人', 'en': 'persons'}
    >>> said = both("check.isolated.nesting.fix")
    >>> "group polygons" in said["en"], "--groups" in said.planner["en"]
    (True, True)
    """
    said: dict[str, str] = {lang: text(key, lang, **params) for lang in LANGS}
    if not has(key + PY_KEY) or on_command_line():
        return said
    with planner_words():
        return Voiced(said, {lang: text(key, lang, **params) for lang in LANGS})


def joined(items: Iterable[str]) -> dict[str, str]:
    """``items`` joined with each language's list separator, for a problem's ``{param[zh]}`` / ``{param[en]}``.

    >>> joined(["U1", "U2"])
    {'zh': 'U1、U2', 'en': 'U1, U2'}
    """
    items = list(items)
    return {lang: text("list.sep", lang).join(items) for lang in LANGS}


def english_one(s: str) -> str:
    """A count of exactly one in an English text, in the singular, with the verb that follows it; the
    templates give the plural, the form of every other count (Chinese has none to choose).

    >>> english_one("unit U010 has 1 households (isolated area of 1 households); 21 households, 0.1 minutes")
    'unit U010 has 1 household (isolated area of 1 household); 21 households, 0.1 minutes'
    >>> english_one("1 households are not assigned; 1 seed points are unknown; 11 households are")
    '1 household is not assigned; 1 seed point is unknown; 11 households are'
    >>> english_one("33 violations, 1 warnings; 1 moves")
    '33 violations, 1 warning; 1 move'
    >>> english_one("1 polygons are invalid; 1 lines; 1 characters")
    '1 polygon is invalid; 1 line; 1 character'
    >>> english_one("1 water polygons block walking; 1 water line features do not; 1 polygons were left out")
    '1 water polygon blocks walking; 1 water line feature does not; 1 polygon was left out'
    >>> english_one("1 households, 1 edges, 1 components; 1 scores read; 1 more violations; 1 others cannot")
    '1 household, 1 edge, 1 component; 1 score read; 1 more violation; 1 other cannot'
    >>> english_one("6 pieces (8+7+6+5+3+1 households)")  # a sum ending in 1 is not a count of one
    '6 pieces (8+7+6+5+3+1 households)'
    >>> english_one("more than 1 minutes' walk; 1 households' walks; 11 minutes' walk")  # a possessive
    "more than 1 minute's walk; 1 household's walks; 11 minutes' walk"
    >>> english_one("1 categories were scored; 1 entries match; 21 categories; 1 candidate households; 1 groups")
    '1 category was scored; 1 entry matches; 21 categories; 1 candidate household; 1 group'
    """
    s = _ONE.sub(lambda m: f"1 {m[1]}" + ("'s" if m[3] else "") + (f" {_VERBS[m[2]]}" if m[2] else ""), s)
    return _ONE_IRREGULAR.sub(lambda m: f"1 {_IRREGULAR[m[1]]}" + (f" {_VERBS[m[2]]}" if m[2] else ""), s)


def english_one_rule(lang: str) -> dict[str, Any] | None:
    """:func:`english_one` for a page's own script, which fills in counts itself: its two patterns in
    JavaScript's syntax, with no lookbehind (a phone's older browser has none, and a pattern it cannot read
    stops the page's script): the character before the count is the first group, put back as it was; then
    the groups of :data:`_ONE` (``re``) and of the irregular plurals (``irregular``, with their singulars,
    ``singular``), and the verbs. None in Chinese, which has no plural.

    >>> english_one_rule("zh"), sorted(english_one_rule("en"))
    (None, ['irregular', 're', 'singular', 'verbs'])
    >>> "(?<" in english_one_rule("en")["re"] + english_one_rule("en")["irregular"]
    False
    """
    if lang != "en":
        return None
    before = f"(^|[^{_NOT_BEFORE_ONE}])"
    return {"re": before + _ONE_REST, "irregular": before + _ONE_IRREGULAR_REST, "singular": dict(_IRREGULAR),
            "verbs": dict(_VERBS)}


def fields_of(tmpl: str) -> set[str]:
    """The :meth:`str.format` field names a template uses.

    >>> sorted(fields_of("{a} and {b:.1f} and {{c}}"))
    ['a', 'b']
    """
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(tmpl) if name}


def problem_codes() -> list[str]:
    """The codes of problems and findings (entries with a ``title``), sorted."""
    return sorted(k for k, v in catalogue().items() if "title" in v["zh"])
