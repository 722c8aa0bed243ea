"""Errors and problem reports.

Every problem Yuanluo finds in its input has a stable code (``COORD-SWAP``), a severity, the file it
came from, the rows / ids it concerns, and a message in Chinese (default) or English that says what is
wrong and how to fix it. Validation collects every problem and raises once (:class:`InputError`).

Modules register their message templates with :func:`register_messages`, so each stage keeps its own
texts next to its own checks. Templates use :meth:`str.format` fields; ``{file}``, ``{count}``,
``{examples}`` are always available.

Exit codes used by the command line: 0 ok, 1 rule violations found, 2 bad input or usage, 3 internal error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]
Lang = Literal["zh", "en"]

#: code -> {"zh": {"title": ..., "fix": ...}, "en": {...}}
_MESSAGES: dict[str, dict[str, dict[str, str]]] = {}

MAX_EXAMPLES = 5


def register_messages(messages: Mapping[str, Mapping[str, Mapping[str, str]]]) -> None:
    """Register message templates, ``{code: {"zh": {"title", "fix"}, "en": {"title", "fix"}}}``.

    Registering the same code twice with different text is a programming error.
    """
    for code, langs in messages.items():
        for lang in ("zh", "en"):
            if lang not in langs or "title" not in langs[lang]:
                raise ValueError(f"message {code} lacks a {lang} title")
        new = {lang: dict(v) for lang, v in langs.items()}
        old = _MESSAGES.get(code)
        if old is not None and old != new:
            raise ValueError(f"message code {code} registered twice with different text")
        _MESSAGES[code] = new


def known_codes() -> list[str]:
    """All registered problem codes, sorted."""
    return sorted(_MESSAGES)


class _Default(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class Problem:
    """One finding about an input (an error or a warning).

    Parameters
    ----------
    code : str
        Stable code such as ``"COORD-SWAP"``; see :func:`known_codes`.
    severity : {"error", "warning"}
    file : str, optional
        The file the problem is in (name as the user gave it).
    rows : sequence of int
        Data row numbers as a user sees them in the file (1 = first data row), all of them.
    ids : sequence of str
        Household (or unit) ids concerned, all of them.
    params : mapping
        Extra values for the message template.
    """

    code: str
    severity: Severity = "error"
    file: str | None = None
    rows: tuple[int, ...] = ()
    ids: tuple[str, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return max(len(self.rows), len(self.ids))

    def examples(self, lang: Lang = "zh") -> str:
        parts: list[str] = []
        if self.rows:
            rows = "、".join(str(r) for r in self.rows[:MAX_EXAMPLES]) if lang == "zh" else ", ".join(
                str(r) for r in self.rows[:MAX_EXAMPLES]
            )
            parts.append(f"第 {rows} 行" if lang == "zh" else f"rows {rows}")
        if self.ids:
            ids = ("、" if lang == "zh" else ", ").join(self.ids[:MAX_EXAMPLES])
            parts.append(f"编号 {ids}" if lang == "zh" else f"ids {ids}")
        if not parts:
            return ""
        more = ""
        if self.count > MAX_EXAMPLES:
            more = f" 等，共 {self.count} 处" if lang == "zh" else f" and more, {self.count} in all"
        sep = "；" if lang == "zh" else "; "
        return sep.join(parts) + more

    def message(self, lang: Lang = "zh") -> str:
        """The full message: code, what is wrong, where, and the fix."""
        tmpl = _MESSAGES.get(self.code, {}).get(lang) or _MESSAGES.get(self.code, {}).get("zh")
        values = _Default(self.params)
        values.setdefault("file", self.file or "")
        values.setdefault("count", self.count)
        values.setdefault("examples", self.examples(lang))
        if tmpl is None:
            title, fix = f"{self.code} {dict(self.params)}", ""
        else:
            title = tmpl["title"].format_map(values)
            fix = tmpl.get("fix", "").format_map(values)
        head = ("错误" if self.severity == "error" else "警告") if lang == "zh" else self.severity.capitalize()
        colon = "：" if lang == "zh" else ": "
        where = ""
        if self.file and "{file}" not in (tmpl or {}).get("title", ""):
            where = f"文件 {self.file}：" if lang == "zh" else f"file {self.file}: "
        lines = [f"{head} {self.code}{colon}{where}{title}"]
        ex = self.examples(lang)
        if ex and "{examples}" not in (tmpl or {}).get("title", ""):
            lines.append(("  示例：" if lang == "zh" else "  e.g. ") + ex)
        if fix:
            lines.append(("  处理办法：" if lang == "zh" else "  Fix: ") + fix)
        return "\n".join(lines)

    def to_dict(self, lang: Lang = "zh") -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "file": self.file,
            "count": self.count,
            "rows": list(self.rows),
            "ids": list(self.ids),
            "message": self.message(lang),
        }


def problem(
    code: str,
    *,
    severity: Severity = "error",
    file: str | None = None,
    rows: Iterable[int] = (),
    ids: Iterable[Any] = (),
    **params: Any,
) -> Problem:
    """Shorthand constructor that converts rows and ids to tuples."""
    return Problem(
        code=code,
        severity=severity,
        file=file,
        rows=tuple(int(r) for r in rows),
        ids=tuple(str(i) for i in ids),
        params=params,
    )


class YuanluoError(Exception):
    """Base class of every error Yuanluo raises on purpose."""

    exit_code = 2

    def __init__(self, problems: Sequence[Problem] | Problem | str, *, lang: Lang = "zh") -> None:
        if isinstance(problems, str):
            problems = [Problem(code="ERROR", params={"text": problems})]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        self.lang: Lang = lang
        super().__init__(self.render(lang))

    @property
    def code(self) -> str:
        errors = [p for p in self.problems if p.severity == "error"]
        return (errors or self.problems)[0].code if self.problems else "ERROR"

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]

    def render(self, lang: Lang = "zh") -> str:
        body = "\n".join(p.message(lang) for p in self.problems)
        tail = "（未写出任何结果文件）" if lang == "zh" else "(no output file was written)"
        return f"{body}\n{tail}"


class InputError(YuanluoError, ValueError):
    """Bad input: a file, a coordinate system, a column, a value. Exit status 2."""


class CRSError(InputError):
    """A missing, wrong or unusable coordinate reference system."""


class DEMError(InputError):
    """A digital elevation model that cannot be used as it is."""


class RuleConfigError(InputError):
    """An inconsistent rule preset or rule file."""


class OutputError(YuanluoError, OSError):
    """An output that may not or cannot be written (exists, locked, not writable). Exit status 2."""


class InfeasibleError(YuanluoError, ValueError):
    """The rules cannot be met at all for the given input."""


class InvariantError(YuanluoError, AssertionError):
    """An internal invariant failed after a computation (a bug, never bad input). Exit status 3."""

    exit_code = 3


register_messages(
    {
        "ERROR": {"zh": {"title": "{text}"}, "en": {"title": "{text}"}},
        "CRS-PROJECTED": {
            "zh": {
                "title": "{what} 的坐标系 {crs} 不是以米为单位的投影坐标系。",
                "fix": "先用 gis.crs.to_working_crs() 投影到工作坐标系（如 EPSG:4545）。",
            },
            "en": {
                "title": "the CRS {crs} of {what} is not a projected CRS in metres.",
                "fix": "project it to the working CRS first (gis.crs.to_working_crs(), e.g. EPSG:4545).",
            },
        },
        "INVARIANT": {
            "zh": {
                "title": "内部检查未通过：{what}。这是程序错误，不是数据问题。",
                "fix": "请把输入文件和命令报告给开发者。",
            },
            "en": {
                "title": "internal check failed: {what}. This is a bug, not a data problem.",
                "fix": "please report the input files and the command to the developers.",
            },
        },
    }
)


def require_metric(crs: Any, what: str) -> None:
    """Raise :class:`CRSError` unless ``crs`` is a projected CRS in metres.

    Examples
    --------
    >>> require_metric("EPSG:4545", "households")
    >>> require_metric("EPSG:4326", "households")
    Traceback (most recent call last):
    ...
    gis.errors.CRSError: ...
    """
    from pyproj import CRS

    if crs is None:
        raise CRSError(problem("CRS-PROJECTED", what=what, crs="None"))
    c = CRS.from_user_input(crs)
    unit = c.axis_info[0].unit_name if c.axis_info else ""
    if not c.is_projected or unit not in ("metre", "meter"):
        raise CRSError(problem("CRS-PROJECTED", what=what, crs=c.to_string()))
