"""Rule presets of the districts Yuanluo serves, and custom rule files (TOML).

| preset | where | households per unit |
|---|---|---|
| ``banan`` 巴适小院 | Banan district, Chongqing | 20–50 |
| ``changshou`` 寿和小院 | Changshou district, Chongqing | 15–25 |
| ``qingshen`` 片长制 | Baijiachi village, Qingshen county, Sichuan | 20–40 |

A custom rule file looks like::

    [rules]
    name = "my-town"
    min_size = 18
    max_size = 30
    size_by = "households"      # or "persons"
    nest_by = ["village", "group"]
    require_head = true
    max_walk_min = 15
    join_limit_min = 20         # 0: never join an island across an edge pruned for length

Every key goes under ``[rules]`` (a file without that header is one table of keys); ``preset = "banan"`` starts
from a preset, the keys given override it. A rule file is the whole of the rules, so ``--rules`` with ``--preset``
is refused (RULE-PRESET-FILE); ``--min``/``--max`` override the file's bounds.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

from yuanluo.gis.catalogue import LANGS, text
from yuanluo.gis.errors import Problem, RuleConfigError, missing_file, not_found, problem
from yuanluo.gis.rules import Rules, decode_rule_file, rule_file_problem, toml_value

PRESETS: dict[str, dict[str, Any]] = {
    "banan": {"min_size": 20, "max_size": 50, "label": "巴南区“巴适小院”"},
    "changshou": {"min_size": 15, "max_size": 25, "label": "长寿区“寿和小院”"},
    "qingshen": {"min_size": 20, "max_size": 40, "label": "青神县白家迟村“片长制”"},
}

#: the presets by the names a district's planner writes (``--preset 巴南``, ``preset = "长寿区"``): the district or
#: county, and the scheme's own name; compared as :func:`preset_key` compares them
PRESET_NAMES: dict[str, str] = {
    "巴南": "banan", "巴南区": "banan", "巴适小院": "banan",
    "长寿": "changshou", "长寿区": "changshou", "寿和小院": "changshou",
    "青神": "qingshen", "青神县": "qingshen", "白家迟村": "qingshen", "片长制": "qingshen",
}

_ALLOWED_KEYS = {
    "name", "label", "min_size", "max_size", "size_by", "nest_by", "require_head", "keep_settlements",
    "max_walk_min", "join_limit_min", "heads_for_size",
}

#: the largest whole number and the bound on minutes a rule file may give
_MAX_COUNT = 2**31 - 1
_MAX_MINUTES = 10_000


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _is_count(v: Any) -> bool:
    return 0 < v <= _MAX_COUNT


def _is_minutes(v: Any) -> bool:
    return 0 < v < _MAX_MINUTES


def _is_minutes0(v: Any) -> bool:
    return 0 <= v < _MAX_MINUTES


#: key -> (is the value of the right kind?, an example of a right value as written in TOML, and for a number:
#: is it in range?, the catalogue key saying the range)
_KEY_TYPES: dict[str, tuple[Any, str] | tuple[Any, str, Any, str]] = {
    "name": (lambda v: isinstance(v, str), '"my-town"'),
    "label": (lambda v: isinstance(v, str), '"my-town"'),
    "preset": (lambda v: isinstance(v, str), '"banan"'),
    "min_size": (_is_int, "20", _is_count, "rule.range.count"),
    "max_size": (_is_int, "50", _is_count, "rule.range.count"),
    "size_by": (lambda v: v in ("households", "persons"), '"households"'),
    "nest_by": (lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v), '["village", "group"]'),
    "require_head": (lambda v: isinstance(v, bool), "true"),
    "keep_settlements": (lambda v: isinstance(v, bool), "true"),
    "max_walk_min": (_is_number, "15", _is_minutes, "rule.range.minutes"),
    "join_limit_min": (_is_number, "20", _is_minutes0, "rule.range.minutes0"),  # 0: never join (Rules)
    "heads_for_size": (_is_int, "30", _is_count, "rule.range.count"),
}


def _value_problem(key: str, val: Any, file: str) -> Problem | None:
    """RULE-TYPE for a value of the wrong kind (text for a number …), RULE-RANGE for a number out of its range
    (saying the range), else None."""
    kind_ok, example, *ranged = _KEY_TYPES[key]
    if key == "nest_by" and isinstance(val, str):
        names = _nest_names(val)
        if len(names) == 1:  # nest_by = "group": one column's name, a list of one (as Rules(nest_by="group"))
            return None
        # "village,group": the list it means, in square brackets
        return problem("RULE-TYPE", file=file, key=key, value=toml_value(val), example=toml_value(names) if names else example)
    if not kind_ok(val):
        return problem("RULE-TYPE", file=file, key=key, value=toml_value(val), example=example)
    if ranged and not ranged[0](val):
        allowed = {lang: text(ranged[1], lang, high=_MAX_COUNT if ranged[0] is _is_count else _MAX_MINUTES)
                   for lang in LANGS}
        return problem("RULE-RANGE", file=file, key=key, value=toml_value(val), example=example,
                       allowed=allowed)
    return None


def _nest_names(value: str) -> list[str]:
    """The names a rule file's ``nest_by`` written as one text means: split at commas, 、 and semicolons (a list
    written without its brackets and quotes), each stripped; a name with a space is one name.

    >>> _nest_names("group"), _nest_names(" village，group "), _nest_names("行政村、村民小组"), _nest_names(" ")
    (['group'], ['village', 'group'], ['行政村', '村民小组'], [])
    >>> _nest_names("Village Name")
    ['Village Name']
    """
    return [n.strip() for n in re.split(r"[,，、;；]", value) if n.strip()]


def check_rules_table(table: dict[str, Any], file: str) -> None:
    """Every key of a rule file known and every value of the right kind (RULE-KEYS, RULE-TYPE) and range
    (RULE-RANGE).

    Examples
    --------
    >>> check_rules_table({"min_size": 10, "max_size": 20, "require_head": False}, "a.toml")
    >>> check_rules_table({"nest_by": "group", "min_size": "10"}, "a.toml")
    Traceback (most recent call last):
    ...
    yuanluo.gis.errors.RuleConfigError: ...
    >>> try:
    ...     check_rules_table({"heads_for_size": 0, "max_walk_min": -1}, "a.toml")
    ... except RuleConfigError as e:
    ...     print([p.code for p in e.problems], e.problems[1].title("en"))
    ['RULE-RANGE', 'RULE-RANGE'] in the rule file a.toml, max_walk_min = -1 is out of range: it must be a number of minutes above 0 and below 10000.
    """
    unknown = sorted(set(table) - _ALLOWED_KEYS - {"preset"})
    if unknown:
        raise RuleConfigError(problem("RULE-KEYS", file=file, keys=", ".join(unknown),
                                      allowed=", ".join(sorted(_ALLOWED_KEYS | {"preset"})),
                                      nearest=_nearest_keys(unknown, table)))
    wrong = [p for key, val in table.items() if (p := _value_problem(key, val, file)) is not None]
    if wrong:
        raise RuleConfigError(wrong)


def _nearest_keys(unknown: list[str], table: dict[str, Any]) -> dict[str, str]:
    """The fix's start for misspelt keys of a rule file: each replaced by the allowed key it is closest to (one the
    file does not have already), in each language; "" where none is close.

    >>> _nearest_keys(["min_sise", "max-size", "colour"], {"min_sise": 15, "max-size": 30, "colour": 1})["zh"]
    '把 min_sise 改为 min_size、max-size 改为 max_size；'
    >>> _nearest_keys(["min_sise"], {"min_sise": 15, "min_size": 20})["en"]
    ''
    """
    import difflib

    choices = sorted((_ALLOWED_KEYS | {"preset"}) - set(table))
    pairs = [(k, near[0]) for k in unknown
             if (near := difflib.get_close_matches(k.strip().lower().replace("-", "_"), choices, n=1, cutoff=0.75))]
    if not pairs:
        return {lang: "" for lang in LANGS}
    return {lang: text("rule.keys.nearest", lang, pairs=text("list.sep", lang).join(
        text("rule.keys.pair", lang, key=k, near=n) for k, n in pairs)) for lang in LANGS}


def preset_key(name: object) -> str | None:
    """The preset a name given to ``--preset`` or a rule file's ``preset =`` names: its key (any case, spaces and
    full-width letters as typed), or the district's name in Chinese (:data:`PRESET_NAMES`); None for no preset.

    >>> [preset_key(n) for n in ("banan", " Banan ", "ｂａｎａｎ", "巴南", "长寿区", "寿和小院", "青神县", "江北", "")]
    ['banan', 'banan', 'banan', 'banan', 'changshou', 'changshou', 'qingshen', None, None]
    """
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(name))).lower()
    return key if key in PRESETS else PRESET_NAMES.get(key)


def preset(name: str, **overrides: Any) -> Rules:
    """The rules of a named preset, with optional overrides (keyword arguments of :class:`~yuanluo.gis.rules.Rules`;
    one it does not take, such as a misspelt ``max_sise``, is ``RULE-PRESET-KEY`` naming those it takes).

    Examples
    --------
    >>> r = preset("changshou")
    >>> (r.min_size, r.max_size, r.name)
    (15, 25, 'changshou')
    >>> try:
    ...     preset("banan", max_sise=40)
    ... except RuleConfigError as e:
    ...     print(e.codes, e.problems[0].params["keys"])
    ['RULE-PRESET-KEY'] ['max_sise']
    """
    key = preset_key(name)
    if key is None:
        raise RuleConfigError(problem("RULE-PRESET", name=name, choices=sorted(PRESETS)))
    allowed = {f.name for f in dataclasses.fields(Rules)} - {"name"}
    unknown = sorted(set(overrides) - allowed)
    if unknown:
        raise RuleConfigError(problem("RULE-PRESET-KEY", name=repr(name), keys=unknown,
                                      allowed=sorted(allowed)))
    params = {**PRESETS[key], **{k: v for k, v in overrides.items() if v is not None}}
    return Rules(name=key, **params)


def load_rules_file(path: str | Path, *, notes: list[Problem] | None = None) -> Rules:
    """Read a TOML rule file (a ``[rules]`` table, optionally ``preset = "banan"`` to start from). UTF-8, with or
    without its byte-order mark; a file Notepad saved as "ANSI" on a Chinese Windows (GBK) is read too, with the
    warning ``RULE-FILE-GBK`` appended to ``notes`` (when given) saying that saving it as UTF-8 avoids it
    (:func:`yuanluo.gis.rules.decode_rule_file`)."""
    p = Path(path)
    gone = missing_file(p)  # before reading: Windows reports reading a folder as PermissionError
    if gone is not None:
        raise RuleConfigError(gone)
    source: str | None = None
    try:
        source, encoding = decode_rule_file(p.read_bytes())
        if encoding != "utf-8" and notes is not None:
            notes.append(problem("RULE-FILE-GBK", severity="warning", file=str(p)))
        data = tomllib.loads(source)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
        raise RuleConfigError(not_found(str(path), str(p))) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RuleConfigError(rule_file_problem(p, exc, source, _ALLOWED_KEYS | {"preset"})) from exc
    table = data.get("rules", data)
    if not isinstance(table, dict):
        raise RuleConfigError(problem("RULE-TYPE", file=str(p), key="rules", value=toml_value(table),
                                      example="{ min_size = 20, max_size = 50 }"))
    if table is not data:
        _check_outside(data, str(p), source or "")
    check_rules_table(table, str(p))
    base: dict[str, Any] = {}
    if "preset" in table:
        name = str(table["preset"])
        if preset_key(name) is None:
            raise RuleConfigError(problem("RULE-FILE-PRESET", file=str(p), name=name, choices=sorted(PRESETS),
                                          example='preset = "banan"'))
        base = preset(name).to_dict()
        base.pop("extra", None)
    params = {**base, **{k: v for k, v in table.items() if k != "preset"}}
    if "nest_by" in params:  # a list, or one name written as text (nest_by = "group")
        nest = params["nest_by"]
        params["nest_by"] = tuple(_nest_names(nest) if isinstance(nest, str) else nest)
    params.setdefault("name", p.stem)
    if "min_size" not in params or "max_size" not in params:
        raise RuleConfigError(problem("RULE-NONE", file=str(p), choices=sorted(PRESETS)))
    if params["min_size"] > params["max_size"]:
        raise RuleConfigError(_file_bounds_problem(table, params, str(p)))
    return Rules(**params)


def _check_outside(data: dict[str, Any], file: str, source: str) -> None:
    """A file with a ``[rules]`` table and anything else: RULE-OUTSIDE for keys written above the ``[rules]``
    header (TOML puts them outside the table, so they would be lost), with their lines; RULE-TABLE for another
    table (``[other]``).

    >>> try:
    ...     _check_outside({"min_size": 20, "rules": {}, "x": {}}, "a.toml", "min_size = 20\\n[rules]\\n[x]\\n")
    ... except RuleConfigError as e:
    ...     print([(p.code, p.rows) for p in e.problems])
    [('RULE-OUTSIDE', (1,)), ('RULE-TABLE', (3,))]
    """
    lines = source.splitlines()

    def line_of(key: str, header: bool) -> list[int]:
        pat = (re.compile(rf"^\s*\[\s*{re.escape(key)}\s*[\].]") if header else
               re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*[=.]"))
        return [n for n, line in enumerate(lines, start=1) if pat.match(line)][:1]

    keys = [k for k, v in data.items() if k != "rules" and not isinstance(v, dict)]
    tables = [k for k, v in data.items() if k != "rules" and isinstance(v, dict)]
    found: list[Problem] = []
    if keys:
        found.append(problem("RULE-OUTSIDE", file=file, rows=sorted(n for k in keys for n in line_of(k, False)),
                             keys={"zh": text("list.sep", "zh").join(f"“{k}”" for k in keys),
                                   "en": text("list.sep", "en").join(keys)}))
    if tables:
        found.append(problem("RULE-TABLE", file=file, rows=sorted(n for k in tables for n in line_of(k, True)),
                             tables=[f"[{k}]" for k in tables]))
    if found:
        raise RuleConfigError(found)


def _file_bounds_problem(table: dict[str, Any], params: dict[str, Any], file: str) -> Problem:
    """RULE-FILE-BOUNDS: the file's bounds crossed, both its own or one of them against its preset's other."""
    lo, hi = params["min_size"], params["max_size"]
    if "min_size" in table and "max_size" in table:
        where = {lang: text("rule.bounds.both", lang, min_size=lo, max_size=hi) for lang in LANGS}
    else:
        key, other = ("min_size", "max_size") if "min_size" in table else ("max_size", "min_size")
        where = {lang: text("rule.bounds.preset", lang, key=key, value=params[key], other=other,
                            other_value=params[other], preset=str(table.get("preset", "")))
                 for lang in LANGS}
    return problem("RULE-FILE-BOUNDS", file=file, min_size=lo, max_size=hi, where=where)


def resolve_rules(
    *,
    preset_name: str | None = None,
    min_size: int | None = None,
    max_size: int | None = None,
    rules_file: str | Path | None = None,
    size_by: str | None = None,
    max_walk_min: float | None = None,
    recorded: Rules | None = None,
    notes: list[Problem] | None = None,
) -> Rules:
    """Rules from the command-line choices: a preset, a rule file, else the ``recorded`` rules (a result's
    own), or explicit bounds; bounds given override. A preset and a rule file together: RULE-PRESET-FILE (the
    file may start from the preset itself). ``notes``: as :func:`load_rules_file` takes it.

    >>> try:
    ...     resolve_rules(preset_name="changshou", rules_file="town.toml")
    ... except RuleConfigError as e:
    ...     print(e.problems[0].code)
    RULE-PRESET-FILE
    """
    if rules_file is not None and preset_name is not None:
        raise RuleConfigError(problem("RULE-PRESET-FILE", file=str(rules_file), name=preset_name))
    if rules_file is not None:
        base = load_rules_file(rules_file, notes=notes)
    elif preset_name is not None:
        base = preset(preset_name)
    elif recorded is not None:
        base = recorded
    elif min_size is not None and max_size is not None:
        base = Rules(min_size=min_size, max_size=max_size)
    elif min_size is not None or max_size is not None:  # one bound alone: not "no rules", the other is missing
        given, missing = ("--min", "--max") if min_size is not None else ("--max", "--min")
        raise RuleConfigError(problem("RULE-HALF", given=given, missing=missing, choices=sorted(PRESETS)))
    else:
        raise RuleConfigError(problem("RULE-NONE", choices=sorted(PRESETS)))
    params = base.to_dict()
    params.pop("extra", None)
    params["nest_by"] = tuple(params["nest_by"])
    for key, val in (("min_size", min_size), ("max_size", max_size), ("size_by", size_by),
                     ("max_walk_min", max_walk_min)):
        if val is not None:
            params[key] = val
    return Rules(**params)
