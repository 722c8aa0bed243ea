"""Rule sets: the size band and the other hard rules a delineation must keep.

The named presets (``banan``, ``changshou``, ``qingshen``) live in ``yuanluo.planners.presets``; this module
holds only the rule object and its validation, so that ``gis`` never depends on ``planners``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from numbers import Integral, Real
from pathlib import Path
from typing import Any, Literal

from yuanluo.gis.catalogue import Lang, both, joined
from yuanluo.gis.errors import Problem, RuleConfigError, problem


@dataclass(frozen=True)
class Rules:
    """Hard rules for courtyard units.

    Parameters
    ----------
    min_size, max_size : int
        Inclusive bounds on the size of a unit (any whole number, numpy's too, kept as an ``int``).
    size_by : {"households", "persons"}
        What the size counts: households (rows) or the summed ``persons`` column.
    nest_by : tuple of str
        Household columns a unit must not straddle (e.g. ``("village", "group")``). A bare string is one column
        name (``nest_by="group"`` is ``("group",)``). A nesting column Yuanluo knows (:data:`NESTING`, or an
        alias of one) that the households lack is not applied (the check says ``RULE-UNAPPLIED``); any other
        name the households have no column for is a typo, refused with ``RULE-NEST-UNKNOWN`` by
        ``UnitDelineator.fit``, ``check_plan`` and ``repair_plan`` (:func:`unknown_nesting`), as by the command
        line.
    require_head : bool
        Every unit should contain a candidate head (``head_candidate``) where that column is given.
    heads_for_size : int, optional
        With ``require_head``: a unit above this size needs two candidate heads (a management group).
    keep_settlements : bool
        A natural settlement that fits in one unit must not be split.
    max_walk_min : float, optional
        Walking limit from a household to its unit's meeting point, in minutes.
    join_limit_min : float
        An island whose size cannot make a unit may be joined to its nearest neighbour over an edge that
        was pruned only for length (never one cut by a river) when that walk is at most this many minutes;
        the check accepts such a join with a warning (``PLAN-LONG-JOIN``). 0: never (an edge pruned for
        length is a long walk, never one of 0 minutes), so an island too small for a unit stays an exception.
    name : str
        Preset name or "custom".

    A value of the wrong kind or out of range is :class:`~yuanluo.gis.errors.RuleConfigError` ``RULE-CONFIG``,
    one problem per setting, each with its own fix (crossed bounds: ``RULE-BOUNDS``).

    Examples
    --------
    >>> import numpy as np
    >>> Rules(np.int64(10), 20).min_size, Rules(10, 20, max_walk_min=np.float32(7.5)).max_walk_min
    (10, 7.5)
    >>> try:
    ...     Rules(10, 20, max_walk_min="8", nest_by=5)
    ... except RuleConfigError as e:
    ...     print([p.params["detail"] for p in e.problems], e.problems[0].fix("en").split(";")[0])
    ["max_walk_min='8'", 'nest_by=5'] max_walk_min must be a number (not text) of minutes above 0, e.g. Rules(20, 50, max_walk_min=8)
    """

    min_size: int
    max_size: int
    size_by: Literal["households", "persons"] = "households"
    nest_by: tuple[str, ...] = ("village", "group")
    require_head: bool = True
    heads_for_size: int | None = None
    keep_settlements: bool = True
    max_walk_min: float | None = None
    join_limit_min: float = 20.0
    name: str = "custom"
    label: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.nest_by, str):  # one column's name, not its letters
            object.__setattr__(self, "nest_by", (self.nest_by,))
        elif isinstance(self.nest_by, Iterable) and not isinstance(self.nest_by, tuple):
            object.__setattr__(self, "nest_by", tuple(self.nest_by))
        wrong: list[tuple[str, str]] = []  # (setting, its catalogue variant of RULE-CONFIG's fix)
        for attr in ("min_size", "max_size", "heads_for_size"):  # any whole number (numpy's too), kept as an int
            val = getattr(self, attr)
            if val is None and attr == "heads_for_size":
                continue
            if _whole(val) and val > 0:
                object.__setattr__(self, attr, int(val))
            else:
                wrong.append((attr, "heads" if attr == "heads_for_size" else ""))
        for attr, least in (("max_walk_min", None), ("join_limit_min", 0)):  # minutes: any real number, not text
            val = getattr(self, attr)
            if val is None and least is None:
                continue
            if _number(val) and (val > 0 if least is None else val >= least):
                if type(val) not in (int, float):  # numpy's numbers too: the rules print and serialise as Python's
                    object.__setattr__(self, attr, float(val))
            else:
                wrong.append((attr, "walk" if least is None else "join"))
        if self.size_by not in ("households", "persons"):
            wrong.append(("size_by", "size_by"))
        if not isinstance(self.nest_by, tuple) or not all(isinstance(c, str) for c in self.nest_by):
            wrong.append(("nest_by", "nest_by"))
        # the bounds the wrong way round: a sentence of its own in the chosen language, with the fix
        crossed = [] if any(a in ("min_size", "max_size") for a, _ in wrong) or self.min_size <= self.max_size \
            else [problem("RULE-BOUNDS", min_size=self.min_size, max_size=self.max_size)]
        # each setting said with its own fix (the size bounds: the entry's fix; the others: fix_<variant>)
        found = [replace(problem("RULE-CONFIG", detail=f"{attr}={getattr(self, attr)!r}"), variant=variant)
                 for attr, variant in wrong]
        if found or crossed:
            raise RuleConfigError(crossed + found)

    def notes(self, file: str | None = None) -> list[Problem]:
        """Warnings about settings that have no effect: RULE-HEADS-UNUSED for ``heads_for_size`` without
        ``require_head``, or at or above the band's ceiling, where no unit can be larger than it (variant
        ``band``) (``file``: the rule file they came from, named in the message).

        Examples
        --------
        >>> [p.code for p in Rules(20, 50, require_head=False, heads_for_size=30).notes()]
        ['RULE-HEADS-UNUSED']
        >>> Rules(20, 50, heads_for_size=30).notes()
        []
        >>> print(Rules(15, 25, heads_for_size=30).notes()[0].message("en").splitlines()[0])
        Warning RULE-HEADS-UNUSED: heads_for_size = 30 has no effect: no unit may be larger than the ceiling of 25 households, so none needs two candidate heads.
        """
        if self.heads_for_size is None:
            return []
        if not self.require_head:
            return [problem("RULE-HEADS-UNUSED", severity="warning", file=file, value=self.heads_for_size)]
        if self.heads_for_size >= self.max_size:  # a unit needs two above it: none is, within the band
            return [replace(problem("RULE-HEADS-UNUSED", severity="warning", file=file, value=self.heads_for_size,
                                    max_size=self.max_size, what=both(f"delineate.what.{self.size_by}")),
                            variant="band")]
        return []

    def feasible_size(self, n: int) -> bool:
        """Whether ``n`` can be split into parts each within the bounds (∃k: k·min ≤ n ≤ k·max).

        Examples
        --------
        >>> r = Rules(15, 25)
        >>> [r.feasible_size(n) for n in (9, 15, 26, 29, 30)]
        [False, True, False, False, True]
        """
        if n <= 0:
            return False
        k_lo = -(-n // self.max_size)  # ceil
        return k_lo * self.min_size <= n

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["nest_by"] = list(self.nest_by)
        return d


def _whole(val: Any) -> bool:
    """Whether ``val`` is a whole number (any :class:`numbers.Integral`, numpy's too), not a bool."""
    return isinstance(val, Integral) and not isinstance(val, bool)


def _number(val: Any) -> bool:
    """Whether ``val`` is a number of minutes (any :class:`numbers.Real`, numpy's too), not a bool or NaN."""
    return isinstance(val, Real) and not isinstance(val, bool) and val == val


def require_rules(rules: Any) -> Rules:
    """``rules`` when it is a :class:`Rules`, else ``RULES-TYPE`` naming what was given and how to make one (a
    preset's name given where its rules are meant: ``yuanluo.preset("banan")``).

    >>> require_rules(Rules(20, 50)).max_size
    50
    >>> try:
    ...     require_rules("banan")
    ... except RuleConfigError as e:
    ...     print(e.problems[0].code, e.problems[0].params["given"])
    RULES-TYPE 'banan'
    """
    if isinstance(rules, Rules):
        return rules
    given = repr(rules) if isinstance(rules, str | int | float) or rules is None else type(rules).__name__
    raise RuleConfigError(problem("RULES-TYPE", given=given[:60],
                                  example=f'yuanluo.preset("{rules}")' if isinstance(rules, str) else
                                  'yuanluo.preset("banan")'))


#: the nesting columns Yuanluo knows (:data:`yuanluo.gis.columns.ALIASES`): a ``nest_by`` name that is one of them
#: or an alias the reader maps onto one is not a typo, even where the households lack it (a preset names village
#: and group)
NESTING = ("village", "group", "settlement")


def nesting_name(name: str) -> str | None:
    """The nesting column ``name`` stands for (itself, or an alias the household reader renames to it), else None.

    >>> nesting_name("group"), nesting_name("村民小组"), nesting_name("Village"), nesting_name("grop")
    ('group', 'group', 'village', None)
    """
    from yuanluo.gis.columns import ALIASES, normalize_name

    key = normalize_name(name)
    return next((c for c in NESTING if key in {normalize_name(a) for a in (c, *ALIASES[c])}), None)


def resolve_nest_by(nest_by: Iterable[Any], columns: Any) -> tuple[str, ...]:
    """``nest_by`` with each name that is not one of ``columns`` but stands for a nesting column that is (an alias
    the household reader renames, 村民小组 → ``group``, Village → ``village``) replaced by that column, once each,
    in order; other names kept as given. What fit, ``check_plan`` and the command line apply and check.

    >>> resolve_nest_by(["行政村", "村民小组"], ["hid", "village", "group"])
    ('village', 'group')
    >>> resolve_nest_by(["Village", "village", "乡镇"], ["village"]), resolve_nest_by(["村民小组"], ["村民小组"])
    (('village', '乡镇'), ('村民小组',))
    """
    cols = {str(c) for c in columns}
    out: list[str] = []
    for n in (str(n) for n in nest_by):
        canon = nesting_name(n)
        name = canon if n not in cols and canon is not None and canon in cols else n
        if name not in out:
            out.append(name)
    return tuple(out)


def resolve_nesting(rules: Rules, households: Any) -> Rules:
    """``rules`` with ``nest_by`` resolved against the columns of ``households`` (:func:`resolve_nest_by`): a rule
    file's ``nest_by = ["村民小组"]`` names the column the reader made of the file's 村民小组, ``group``.

    >>> import pandas as pd
    >>> resolve_nesting(Rules(20, 50, nest_by=("村民小组",)), pd.DataFrame(columns=["group"])).nest_by
    ('group',)
    """
    nest = resolve_nest_by(rules.nest_by, getattr(households, "columns", ()))
    return rules if nest == tuple(rules.nest_by) else replace(rules, nest_by=nest)


def unknown_nesting(rules: Rules, households: Any) -> None:
    """``RULE-NEST-UNKNOWN`` (raised, one per name) for each ``nest_by`` name of ``rules`` that is neither a column
    of ``households`` nor a nesting column Yuanluo knows (:func:`nesting_name`): a typo ("grop"), which would
    otherwise leave the nesting unapplied without a word. The message names the household file (the households'
    ``attrs["file"]``, where the reader put it) and the columns the households have. The command line decides the
    same (``yuanluo.planners.report.unknown_nesting``).

    >>> import pandas as pd
    >>> unknown_nesting(Rules(20, 50, nest_by=("village", "村民小组", "乡镇")), pd.DataFrame(columns=["乡镇"]))
    >>> try:
    ...     unknown_nesting(Rules(20, 50, nest_by=("village", "grop")), pd.DataFrame(columns=["group", "geometry"]))
    ... except RuleConfigError as e:
    ...     print(e.problems[0].code, e.problems[0].params["name"], "group" in e.problems[0].fix("en"))
    RULE-NEST-UNKNOWN grop True
    """
    found = nest_problems(rules.nest_by, households)
    if found:
        raise RuleConfigError(found)


def nest_problems(nest_by: Iterable[Any], households: Any) -> list[Problem]:
    """The ``RULE-NEST-UNKNOWN`` problems of :func:`unknown_nesting`, for the ``nest_by`` names given (as
    ``UnitDelineator.fit`` gathers them with its other problems).

    >>> import pandas as pd
    >>> [p.params["name"] for p in nest_problems(["villag", "group"], pd.DataFrame(columns=["group"]))]
    ['villag']
    """
    columns = getattr(households, "columns", ())
    cols = [str(c) for c in columns if str(c) != "geometry"]
    bad = [str(n) for n in nest_by if str(n) not in cols and nesting_name(str(n)) is None]
    file = getattr(households, "attrs", {}).get("file")
    return [problem("RULE-NEST-UNKNOWN", name=n, where=both("cli.nest.where.rules"),
                    households=str(file) if file else "“households”", known=joined(NESTING),
                    columns=joined(cols) if cols else both("cli.nest.no_columns"))
            for n in bad]


def nesting_to_add(absent: Iterable[str]) -> list[str]:
    """The nesting columns to add for the ``nest_by`` names ``absent`` (none of them a column), each once: a name
    the household reader renames is the column it becomes (村民小组 and group are the one column group).

    >>> nesting_to_add(["group", "村民小组", "Village"])
    ['group', 'village']
    """
    return list(dict.fromkeys(nesting_name(c) or str(c) for c in absent))


def listed(items: Sequence[str], lang: Lang, last: str = "or") -> str:
    """``items`` as a list in ``lang``, the last two joined by ``last`` ("or", "and"): 村、村民小组、自然院落 /
    villages, villager groups or settlements.

    >>> listed(["villages", "villager groups"], "en"), listed(["“a”", "“b”", "“c”"], "en", "and")
    ('villages or villager groups', '“a”, “b” and “c”')
    >>> listed(["村", "村民小组"], "zh"), listed(["村"], "zh")
    ('村、村民小组', '村')
    """
    from yuanluo.gis.catalogue import text

    head = text("list.sep", lang).join(items[:-1])
    return f"{head}{text(f'rules.unapplied.{last}', lang)}{items[-1]}" if head else items[-1]


def unapplied_problems(rules: Rules, households: Any) -> list[Problem]:
    """``RULE-UNAPPLIED`` warnings, one per rule of ``rules`` that ``households`` have no column for, as
    ``yuanluo check`` gives them (``yuanluo.planners.report.unapplied_problems``, whose fixes name the household
    file and the rule file): ``nest_by`` columns they lack (a name the reader renames, 村民小组 for ``group``, is
    the column it became: :func:`resolve_nest_by`), no ``settlement`` column with ``keep_settlements``, no
    ``head_candidate`` column with ``require_head``. Each fix says what to add, or the keyword of :class:`Rules`
    (and of :class:`~yuanluo.gis.cluster.UnitDelineator`) that leaves the rule out; one column missing or several,
    each as it reads (:func:`nesting_to_add`, :func:`listed`). Each fix keeps the command line's words too (a
    :class:`~yuanluo.gis.catalogue.Voiced`: the column added to the household file, or the rule file's line), which
    a page or report showing the finding to a planner says (:meth:`yuanluo.gis.errors.Problem.planner_message`).

    >>> import pandas as pd
    >>> [p.message("en").splitlines()[0] for p in unapplied_problems(Rules(20, 50, keep_settlements=False),
    ...                                                               pd.DataFrame(columns=["group", "head_candidate"]))]
    ['Warning RULE-UNAPPLIED: rule not checked: units not straddling villages (the households have no such column).']
    >>> [p.params["column"] for p in unapplied_problems(Rules(20, 50), pd.DataFrame(columns=["village", "group"]))]
    [['settlement'], ['head_candidate']]
    >>> p = unapplied_problems(Rules(20, 50), pd.DataFrame(columns=["village", "settlement", "head_candidate"]))[0]
    >>> "Rules(…, nest_by=('village',))" in p.fix("en"), 'write nest_by = ["village"] under [rules]' in p.fix("en")
    (True, False)
    >>> print(p.planner_message("en").splitlines()[-1])
      Fix: add the column “group” to the household file; or leave it out of the rules: write nest_by = ["village"] under [rules] in the rule file (--rules).
    """
    from yuanluo.gis.catalogue import LANGS, Voiced, has, text

    cols = {str(c) for c in getattr(households, "columns", ())}
    done = both("cli.unapplied.done.check")

    def word(c: str, lang: Any) -> str:
        return text(f"cli.unapplied.col.{c}", lang) if has(f"cli.unapplied.col.{c}") else c

    out: list[Problem] = []
    nest = resolve_nest_by(rules.nest_by, cols)  # 村民小组 is the reader's group: applied, not absent
    absent = [c for c in nest if c not in cols]
    if absent:
        # 村民小组 and group are one column to add (the one 村民小组 stands for), said once
        adds = nesting_to_add(absent)
        many = "_many" if len(adds) > 1 else ""
        rule = {lg: text(f"rules.unapplied.nest{many}", lg, columns=listed([word(c, lg) for c in adds], lg, "or"))
                for lg in LANGS}
        kept = tuple(n for n in rules.nest_by if resolve_nest_by([n], cols)[0] not in absent)  # as the rules write them
        names = {lg: listed([f"“{c}”" for c in adds], lg, "and") for lg in LANGS}
        how = Voiced({lg: text(f"rules.unapplied.fix.nest{many}", lg, kept=repr(kept), names=names[lg]) for lg in LANGS},
                     {lg: text(f"rules.unapplied.planner.nest{many}", lg, names=names[lg],
                               setting=f"nest_by = {toml_value(list(kept))}") for lg in LANGS})
        out.append(problem("RULE-UNAPPLIED", severity="warning", done=done, rule=rule, how=how, column=absent))
    if rules.keep_settlements and "settlement" not in cols:
        out.append(problem("RULE-UNAPPLIED", severity="warning", done=done, rule=both("rules.unapplied.settle"),
                           how=Voiced(both("rules.unapplied.fix.settle"), both("rules.unapplied.planner.settle")),
                           column=["settlement"]))
    if rules.require_head and "head_candidate" not in cols:
        out.append(problem("RULE-UNAPPLIED", severity="warning", done=done, rule=both("rules.unapplied.head"),
                           how=Voiced(both("rules.unapplied.fix.head"), both("rules.unapplied.planner.head")),
                           column=["head_candidate"]))
    return out


_TOML_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


#: full-width forms (２０, ＝, ［ ］, ＂) and the ideographic space, typed with a Chinese input method
_FULL_WIDTH = re.compile(r"[\uff01-\uff5e\u3000]")
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"' + r"|'[^']*'")
_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]*?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*(\"[^\"]*\"|'[^']*'|[^=\s#\[][^=#]*?)\s*=")


def _line_key(line: str) -> str | None:
    """The key a TOML line sets (``[rules]`` for a header), else None."""
    head = _HEADER.match(line)
    if head:
        return f"[{head.group(1)}]"
    found = _KEY.match(line)
    return found.group(1).strip().strip("\"'") if found else None


def _syntax_problem(file: str, lines: list[str], line: int, column: int, allowed: Iterable[str]) -> Problem:
    """``RULE-FILE-SYNTAX``, or what is wrong on the line the parser points at when it is one of the usual
    mistakes: full-width characters (``RULE-FILE-FULLWIDTH``), a key that is not an English name
    (``RULE-FILE-KEYNAME``), a key or table given twice (``RULE-FILE-DUPKEY``).

    >>> _syntax_problem("a.toml", ["[rules]", "min_size = ２０  # 下限（户）"], 2, 12, []).params["chars"]
    ['２', '０']
    >>> _syntax_problem("a.toml", ["[rules]", "最少户数 = 20"], 2, 1, ["min_size"]).code
    'RULE-FILE-KEYNAME'
    >>> p = _syntax_problem("a.toml", ["[rules]", "min_size = 2", "min_size = 3"], 3, 12, [])
    >>> p.code, p.params["key"], p.params["first"]
    ('RULE-FILE-DUPKEY', 'min_size', 2)
    """
    text_ = lines[line - 1] if 0 < line <= len(lines) else ""
    bare = _QUOTED.sub('""', text_).split("#", 1)[0]  # not in a text value or a comment (often Chinese)
    wide = list(dict.fromkeys(_FULL_WIDTH.findall(bare)))
    if wide:
        return problem("RULE-FILE-FULLWIDTH", file=file, rows=[line], column=column,
                       chars=["“\u3000”" if c == "\u3000" else c for c in wide])
    key = _line_key(text_)
    if key is not None and not key.isascii():
        found = problem("RULE-FILE-KEYNAME", file=file, rows=[line], column=column, key=key,
                        allowed=joined(sorted(allowed)))
        return replace(found, variant="table") if key.startswith("[") else found  # [规则]: the header is [rules]
    value = _unquoted_text(text_)
    if key in _TEXT_KEYS and value is not None:  # preset = 长寿: text without its quotes
        return replace(problem("RULE-FILE-SYNTAX", file=file, rows=[line], column=column, key=key, value=value,
                               quoted=toml_value(value)), variant="unquoted")
    if key is not None:
        table = _table_of(lines, line)
        for n, earlier in enumerate(lines[:line - 1], start=1):
            if _line_key(earlier) == key and (key.startswith("[") or _table_of(lines, n) == table):
                how = (both("rule.dupkey.table", key=key, first=n, second=line) if key.startswith("[") else
                       both("rule.dupkey.key"))
                return problem("RULE-FILE-DUPKEY", file=file, rows=[line], column=column, key=key, first=n, how=how)
    return problem("RULE-FILE-SYNTAX", file=file, rows=[line], column=column)


#: the settings whose value is text (nest_by: one name may be): one written without quotes is said as such
_TEXT_KEYS = ("preset", "name", "label", "size_by", "nest_by")


def _unquoted_text(line: str) -> str | None:
    """The value of a ``key = value`` line when it is text written without quotes (``preset = 长寿``,
    ``size_by = households``), else None (a number, true/false, a list, a quoted text, no value).

    >>> _unquoted_text("preset = 长寿   # 寿和小院"), _unquoted_text('preset = "长寿"'), _unquoted_text("max_size = 25")
    ('长寿', None, None)
    >>> _unquoted_text("keep_settlements = false"), _unquoted_text("nest_by = [村]"), _unquoted_text("[rules]")
    (None, None, None)
    """
    key, eq, rest = line.partition("=")
    value = rest.split("#", 1)[0].strip()
    if not eq or not key.strip() or not value or value[0] in "\"'[{" or value in ("true", "false", "inf", "nan"):
        return None
    if re.fullmatch(r"[+-]?[\d_.eE+-]+|[+-]?(inf|nan)", value):
        return None
    return value


def _table_of(lines: list[str], line: int) -> str:
    """The table header line ``line`` (1-based) is under, ``""`` for the top of the file."""
    for earlier in reversed(lines[:line - 1]):
        k = _line_key(earlier)
        if k is not None and k.startswith("["):
            return k
    return ""


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def toml_value(value: Any) -> str:
    r"""``value`` as a rule file (TOML) writes it, for a message quoting what the file says: ``true``, not
    Python's ``True``; text in double quotes, not ``'forty'``; lists in square brackets, tables in braces.

    >>> print(toml_value(True), toml_value("forty"), toml_value(2.5), toml_value(float("inf")))
    true "forty" 2.5 inf
    >>> print(toml_value(["村", 'a"b']), toml_value({"min_size": 20, "a b": False}))
    ["村", "a\"b"] { min_size = 20, "a b" = false }
    >>> print(toml_value("x\\y\n"))
    "x\\y\n"
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return "nan"
        if value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        escaped = "".join(c if c >= " " and c != "\x7f" else
                          {"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(c, f"\\u{ord(c):04X}") for c in escaped)
        return f'"{escaped}"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        items = [f"{k if _BARE_KEY.fullmatch(str(k)) else toml_value(str(k))} = {toml_value(v)}"
                 for k, v in value.items()]
        return "{ " + ", ".join(items) + " }" if items else "{}"
    if hasattr(value, "isoformat"):  # TOML's dates and times
        return str(value.isoformat())
    return str(value)


def decode_rule_file(data: bytes) -> tuple[str, str]:
    """The text of a rule file's bytes (line ends as Python reads text: ``\\n``) and the encoding it was read in:
    ``"utf-8"`` (with or without its byte-order mark), else ``"gbk"``: GB18030, GBK's superset, as Notepad saves
    "ANSI" on a Chinese Windows, where that decodes the bytes as Chinese text (:func:`yuanluo.gis.io`'s test of
    the household reader: most of its non-ASCII characters common hanzi). Neither: the UTF-8 decoder's
    ``UnicodeDecodeError`` (:func:`rule_file_problem` says it, with the line of its first byte).

    Examples
    --------
    >>> decode_rule_file("[rules]\\r\\n# 规则\\r\\n".encode("gbk"))
    ('[rules]\\n# 规则\\n', 'gbk')
    >>> decode_rule_file(b"\\xef\\xbb\\xbf# \\xe8\\xa7\\x84\\xe5\\x88\\x99\\n")
    ('# 规则\\n', 'utf-8')
    >>> try:
    ...     decode_rule_file(b"# caf\\xe9 au lait\\n")
    ... except UnicodeDecodeError as exc:
    ...     print(exc.encoding)
    utf-8
    """
    def lines(text: str) -> str:
        return text.replace("\r\n", "\n").replace("\r", "\n")

    try:
        return lines(data.decode("utf-8-sig")), "utf-8"
    except UnicodeDecodeError as exc:
        first = exc
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise first from None
    # (gis.io is heavy: imported only for a file that is not UTF-8)
    from yuanluo.gis.io import _common_hanzi_share

    if "\x00" in text or _common_hanzi_share(text) < 0.8:
        raise first from None
    return lines(text), "gbk"


def _binary_rule_file(file: str | Path, exc: ValueError) -> Problem | None:
    """IO-BINARY for a rule file whose first bytes are no text (:func:`yuanluo.gis.io.binary_kind`), else None:
    the bytes the decoder failed on, or the file's own first bytes when it decoded (NUL bytes are UTF-8)."""
    # (gis.io is heavy: imported only for a rule file that could not be read)
    from yuanluo.gis.io import binary_kind

    if isinstance(exc, UnicodeDecodeError) and isinstance(exc.object, bytes):
        head = exc.object[:4096]
    else:
        try:
            with open(file, "rb") as f:
                head = f.read(4096)
        except OSError:
            return None
    kind = binary_kind(head)
    if kind is None:
        return None
    return problem("IO-BINARY", file=str(file), kind=both(f"read.kind.{kind}"), what=both("load.binary.what.rules"),
                   give=both("load.binary.give.rules"))


def rule_file_problem(file: str | Path, exc: ValueError, source: str | None = None,
                      allowed: Iterable[str] = ()) -> Problem:
    """The coded problem of a rule file that could not be read as TOML (``exc``: the parser's
    ``TOMLDecodeError`` or the decoder's ``UnicodeDecodeError``): ``RULE-FILE-SYNTAX`` with the line and column
    of the mistake (or, for the usual mistakes on that line, a code saying which: full-width characters, a key
    not among the English names ``allowed``, a key given twice), ``RULE-FILE-ENCODING`` with the line of the
    first byte that is not UTF-8. A file whose content is no text at all (an image, a PDF, a workbook, NUL
    bytes: :func:`yuanluo.gis.io.binary_kind`) is ``IO-BINARY`` naming what it is, as for any other input. The
    parser's own English text is never part of the message. ``source``: the file's text when already read (else
    it is read again when the line of the mistake must be looked at).

    Examples
    --------
    >>> import tomllib
    >>> try:
    ...     tomllib.loads("[rules\\nmax_size=40\\n")
    ... except tomllib.TOMLDecodeError as exc:
    ...     p = rule_file_problem("town.toml", exc)
    >>> p.code, p.rows, p.params["column"]
    ('RULE-FILE-SYNTAX', (1,), 7)
    >>> png = b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00\\x00\\rIHDR"
    >>> try:
    ...     png.decode("utf-8")
    ... except UnicodeDecodeError as exc:
    ...     p = rule_file_problem("town.toml", exc)
    >>> p.code, p.file, p.params["kind"]["en"]
    ('IO-BINARY', 'town.toml', 'a PNG image')
    """
    import tomllib

    binary = _binary_rule_file(file, exc)
    if binary is not None:
        return binary
    if isinstance(exc, tomllib.TOMLDecodeError):
        try:
            if source is None:
                source = Path(file).read_text(encoding="utf-8-sig")
            lines = source.splitlines() or [""]
        except (OSError, UnicodeDecodeError):
            lines = [""]
        line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)  # Python 3.14 has them
        if line is None or column is None:
            found = _TOML_AT.search(str(exc))
            line, column = (int(found.group(1)), int(found.group(2))) if found else (None, None)
        if line is None or column is None:  # "at end of document": just after the file's last character
            line, column = len(lines), len(lines[-1]) + 1
        return _syntax_problem(str(file), lines, line, column, allowed)
    assert isinstance(exc, UnicodeDecodeError), type(exc)
    return problem("RULE-FILE-ENCODING", file=str(file), rows=[exc.object[:exc.start].count(b"\n") + 1])
