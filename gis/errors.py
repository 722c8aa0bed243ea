"""Errors and problem reports.

Every problem Yuanluo finds in its input has a stable code (``COORD-SWAP``), a severity, the file it
came from, the rows / ids it concerns, and a message in Chinese (default) or English that says what is
wrong and how to fix it. Validation collects every problem and raises once (:class:`InputError`).

The texts come from the one message catalogue (:mod:`yuanluo.gis.catalogue`, ``messages/*.toml``), keyed by
the code. Templates use :meth:`str.format` fields; ``{file}``, ``{count}``, ``{examples}`` are always available.

The fix of a problem met in a call of the Python API names its keyword arguments (``crs=``, ``id_col=``), that
of a problem met by a command of the command line its options (``--crs``): the catalogue's ``fix_py`` or
``fix``, chosen when the problem is made (:attr:`Problem.python`).

Language: ``str(error)`` (what a traceback or a notebook shows) is in the language of the environment variable
``YUANLUO_LANG`` (``en`` or ``zh``; Chinese when it is not set), as on the command line. To choose it in Python,
set ``os.environ["YUANLUO_LANG"] = "en"`` before the call, or render an error in either language at any time
with ``error.render("en")`` (a problem: ``problem.message("en")``).

Exit codes used by the command line: 0 ok, 1 rule violations found, 2 bad input or usage, 3 internal error.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from yuanluo.gis.catalogue import (
    LANGS,
    NO_OPTION_FIELD,
    PY_FIELD,
    Count,
    Lang,
    Voiced,
    command_options,
    default_lang,
    has,
    lacks_options,
    on_command_line,
    planner_words,
    problem_codes,
    python_keyword,
    template,
    text,
)

Severity = Literal["error", "warning"]
__all__ = ["Lang", "Severity", "Problem", "problem", "known_codes", "given_name", "YuanluoError", "InputError",
           "CRSError", "DEMError", "RuleConfigError", "OutputError", "InvariantError", "require_metric", "crs_subject",
           "missing_file", "not_found",
           "unreadable", "Unreadable", "library_words", "on_command_line", "default_lang", "python_keyword"]

MAX_EXAMPLES = 5
#: the suffixes of a catalogue entry's fields for a layer passed in memory (``title_mem``, ``fix_mem``:
#: :attr:`Problem.passed`) and for the layer given to read_households as ``boundary=`` (``fix_kw``:
#: :attr:`Problem.for_keyword`)
MEM_FIELD, KW_FIELD = "_mem", "_kw"


def known_codes() -> list[str]:
    """All problem codes of the catalogue, sorted."""
    return problem_codes()


def more_after(said: str, count: int, lang: Lang, *, rows: bool = False) -> str:
    """What follows ``said`` (the examples shown, or the last of them) where ``count`` (how many in all) is not 0:
    ``problem.more``'s "等，共 n 个" / " and more, n in all" (``rows``: the examples are rows alone, counted as rows,
    ``problem.more_rows``'s "等，共 n 行"), with no space after a wide character (第 3、5 行等), one after ids
    (H0005 等); "" where ``count`` is 0. The editor page says it by the same rule (``withMore`` in
    ``maps/assets/editor.js``).

    >>> more_after("第 3、5 行", 12, "zh", rows=True), more_after("H3、H5", 12, "zh"), more_after("H3、H5", 0, "zh")
    ('等，共 12 行', ' 等，共 12 个', '')
    """
    if not count:
        return ""
    more = text("problem.more_rows" if rows else "problem.more", lang, count=count)
    return more.lstrip() if unicodedata.east_asian_width(said[-1:] or "a") in ("W", "F") else more


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
        Row numbers as the user finds them, all of them: a CSV's or a sheet's row as a spreadsheet or text
        editor shows it (the header and any title rows counted, so the first row below a header on the first
        line is row 2); a layer's feature number (1 = first feature).
    ids : sequence of str
        Household (or unit) ids concerned, all of them.
    params : mapping
        Extra values for the message template.
    python : bool
        Whether the problem was met outside a command of the command line (a call of the Python API): then its
        fix is the catalogue's ``fix_py`` where the entry has one, which names keyword arguments instead of
        command-line options, and a text it is given with a Python version (:class:`Voiced`) says that one. Decided
        when the problem is made (the command line may show it later); a page says it as the command line does
        whoever made it (:meth:`planner_message`).
    options : frozenset of str, optional
        The options of the command of the command line that met the problem (None outside the command line:
        :func:`yuanluo.gis.catalogue.command_options`), noted when the problem is made: a fix naming an option
        that command lacks is the catalogue's ``fix_no_option`` where the entry has one.
    variant : str
        The catalogue variant of the fix for what the input was given as, where that takes other fixes than the
        entry's ``fix`` says: ``"boundary"`` for the layer given to ``--boundary`` (which takes no name column, as
        ``--groups`` does with ``--group-field``), ``"households"`` for the household file. Its fix is then the
        entry's ``fix_<variant>`` where it has one, and in a call of the Python API its ``fix_<variant>_py`` where
        it has one, else its ``fix_py``, else its ``fix_<variant>``; its title the entry's ``title_<variant>``
        where it has one (OUT-WRITE for a folder that does not exist: no file there to be left unchanged).
    passed : str
        The keyword (``"water="``) a layer was passed as in memory from Python (a GeoDataFrame), which is no file: the
        problem names it as what was passed, "the layer given as water=" (``load.passed``): its title is the entry's
        ``title_mem`` where it has one (an entry whose title names the file), else the entry's title after that name
        (``load.passed.where``); its fix the entry's ``fix_mem`` where it has one. ``""`` for a file.
    for_keyword : bool
        Whether the problem is about the layer given to :func:`yuanluo.gis.io.read_households` as ``boundary=``
        (a file or a frame), which takes the layer alone: in a call from Python its fix is the entry's ``fix_kw``
        where it has one, which may name the column as Python writes it, ``{column_py}``. On the command line
        (which passes the layer it read) the fix for its options.

    Methods that render take ``lang``, ``"zh"`` or ``"en"``; without it, :func:`default_lang` (the environment
    variable ``YUANLUO_LANG``, else Chinese).
    """

    code: str
    severity: Severity = "error"
    file: str | None = None
    rows: tuple[int, ...] = ()
    ids: tuple[str, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)
    python: bool = field(default_factory=lambda: not on_command_line(), compare=False, repr=False)
    options: frozenset[str] | None = field(default_factory=command_options, compare=False, repr=False)
    variant: str = field(default="", compare=False, repr=False)
    passed: str = ""
    for_keyword: bool = False

    @property
    def count(self) -> int:
        return max(len(self.rows), len(self.ids))

    def examples(self, lang: Lang | None = None) -> str:
        lang = lang or default_lang()
        sep = text("list.sep", lang)
        parts: list[str] = []
        if self.rows:  # "row 5" / "rows 5, 7" in English
            parts.append(text("problem.row" if len(self.rows) == 1 else "problem.rows", lang,
                              rows=sep.join(str(r) for r in self.rows[:MAX_EXAMPLES])))
        if self.ids:
            parts.append(text("problem.id" if len(self.ids) == 1 else "problem.ids", lang,
                              ids=sep.join(self.ids[:MAX_EXAMPLES])))
        if not parts:
            return ""
        said = text("list.clause_sep", lang).join(parts)
        return said + more_after(said, self.count if self.count > MAX_EXAMPLES else 0, lang,
                                 rows=not self.ids)

    def _values(self, lang: Lang | None) -> dict[str, Any]:
        from yuanluo.gis.transaction import shown  # (transaction imports this module)

        lang = lang or default_lang()
        sep = text("list.sep", lang)  # a list parameter is joined as the language lists things: 、 or ", "
        # (an item given in every language, as both() gives it, in this one; one said in two voices, a Voiced, in
        # this problem's: _voice)
        params = {k: [self._voice(x) for x in v] if isinstance(v, list) else self._voice(v)
                  for k, v in self.params.items()}
        values: dict[str, Any] = {k: sep.join(x[lang] if isinstance(x, dict) else str(x) for x in v)
                                  if isinstance(v, list) else v for k, v in params.items()}
        # a name's bytes that are not text (Python's \udcff) shown as \xff, as OUT-NAME-BYTES shows them
        # (a Count is digits, left as it is for text() to write in the language)
        values = {k: shown(v) if isinstance(v, str) and not isinstance(v, Count) else v for k, v in values.items()}
        values.setdefault("file", shown(self.file or ""))
        values.setdefault("count", self.count)
        values.setdefault("examples", self.examples(lang))
        if self.for_keyword and "column" in self.params:  # the column as Python writes it, for fix_kw
            values.setdefault("column_py", repr(str(self.params["column"])))
        return values

    def _voice(self, value: Any) -> Any:
        """A parameter as this problem says it: a text said in both voices (:class:`Voiced`) in the command line's
        where the problem is not met from Python (:attr:`python`), else as it is."""
        return value.planner if isinstance(value, Voiced) and not self.python else value

    def _variant(self, lang: Lang, field_name: str) -> str | None:
        """The entry's ``field_name`` (``title_mem``, ``fix_mem``, ``fix_kw`` …) rendered, None where it has none; a
        ``_mem`` field with ``{passed}``, the layer as passed (``load.passed``)."""
        if template(self.code, lang, field_name) is None:
            return None
        values = self._values(lang)
        if field_name.endswith(MEM_FIELD):
            values = {**values, "passed": text("load.passed", lang, keyword=self.passed)}
            values.setdefault("keyword", self.passed)
        return text(self.code, lang, field_name, **values)

    def title(self, lang: Lang | None = None) -> str:
        """What is wrong, in one sentence (the message without its code, file and fix)."""
        lang = lang or default_lang()
        if not has(self.code):  # a code without an entry is a bug; still say all that is known
            return f"{self.code} {dict(self.params)}"
        own = self._variant(lang, "title" + MEM_FIELD) if self.passed else None
        if own is None and self.variant:  # a case whose title says another thing (no file there to be unchanged)
            own = self._variant(lang, f"title_{self.variant}")
        return own if own is not None else text(self.code, lang, "title", **self._values(lang))

    def fix(self, lang: Lang | None = None) -> str:
        """What to do about it, in one sentence; ``""`` when the catalogue gives no fix. For a problem met in a call
        of the Python API (:attr:`python`) the entry's ``fix_py`` where it has one; for one met by a command that
        lacks an option the fix names (:attr:`options`), the entry's ``fix_no_option`` where it has one; for one with
        a :attr:`variant`, the entry's ``fix_<variant>`` (in Python ``fix_<variant>_py``) where it has one.

        >>> print(Problem("CRS-MISSING", file="a.csv", python=True).fix("en")[:51])
        declare the households' coordinate system with crs=
        >>> print(Problem("CRS-MISSING", file="a.csv", python=False).fix("en")[:45])
        for the household file declare it with --crs,
        """
        lang = lang or default_lang()
        if not has(self.code):
            return ""
        # what the layer was given as: boundary= of read_households (from Python), a frame passed in memory
        own = self._variant(lang, "fix" + KW_FIELD) if self.for_keyword and self.python else None
        if own is None and self.passed:
            own = self._variant(lang, "fix" + MEM_FIELD)
        if own is not None:
            return own
        values = self._values(lang)
        if self.variant:  # what the input was given as (--boundary, the households) takes its own fixes
            own = f"fix_{self.variant}" + (PY_FIELD if self.python else "")
            if self.python and template(self.code, lang, own) is None \
                    and template(self.code, lang, "fix" + PY_FIELD) is None:
                own = f"fix_{self.variant}"  # no Python wording of either: the variant's own
            if template(self.code, lang, own) is not None:
                return text(self.code, lang, own, **values)
        field = "fix" + PY_FIELD if self.python and template(self.code, lang, "fix" + PY_FIELD) is not None else "fix"
        if field == "fix" and template(self.code, lang, "fix" + NO_OPTION_FIELD) is not None \
                and lacks_options(template(self.code, lang, "fix"), values, self.options):
            field = "fix" + NO_OPTION_FIELD  # the command that met it lacks an option the fix names
        return text(self.code, lang, field, **values)

    def headline(self, lang: Lang | None = None) -> str:
        """Where and what is wrong, in one line: the message's first line without its severity and code (for a
        table whose columns give them)."""
        lang = lang or default_lang()
        if self.passed and has(self.code) and template(self.code, lang, "title" + MEM_FIELD) is None:
            where = text("load.passed.where", lang, passed=text("load.passed", lang, keyword=self.passed))
            return f"{where}{self.title(lang)}"  # named as passed, before the entry's title
        raw_title = (template(self.code, lang, "title") or "") if has(self.code) else ""
        where = text("problem.file", lang, file=self._values(lang)["file"]) if self.file and "{file}" not in raw_title else ""
        return f"{where}{self.title(lang)}"

    def __str__(self) -> str:
        """The full message in the default language (:meth:`message`), as ``print(problem)`` shows it; the repr
        keeps the code and parameters (both languages of a parameter such as ``why``).

        >>> str(problem("CLUSTER-EMPTY")) == problem("CLUSTER-EMPTY").message()
        True
        """
        return self.message()

    def message(self, lang: Lang | None = None) -> str:
        """The full message: code, what is wrong, where, and the fix."""
        lang = lang or default_lang()
        title = self.title(lang)
        fix = self.fix(lang)
        head = text("problem.error" if self.severity == "error" else "problem.warning", lang)
        lines = [f"{head} {self.code}{text('punct.colon', lang)}{self.headline(lang)}"]
        ex = self.examples(lang)
        if ex and ex not in title:  # examples the title does not already give
            lines.append("  " + text("problem.examples", lang, examples=ex))
        if fix:
            lines.append("  " + text("problem.fix", lang, fix=fix))
        return "\n".join(lines)

    def planner_message(self, lang: Lang | None = None) -> str:
        """The full message (:meth:`message`) as the command line says it, whoever met the problem: its fix
        ``fix``, not ``fix_py``, and the texts it is made of without their Python versions (``key.py``,
        ``title_py``, the command line's words a :class:`Voiced` parameter keeps). What a page or a report shows
        its reader, who acts through the command line, a rule file or the page, not through a function or a
        keyword argument of the Python API (:func:`yuanluo.gis.catalogue.planner_words`).

        >>> p = Problem("SIZE-LOW", params={"unit": "A", "size": 3, "min": 5, "what": {"zh": "户", "en": "households"}},
        ...             python=True)
        >>> "repair_plan" in p.message("en"), "yuanluo repair" in p.planner_message("en")
        (True, True)
        """
        with planner_words():
            return replace(self, python=False).message(lang)

    def to_dict(self, lang: Lang | None = None) -> dict[str, Any]:
        lang = lang or default_lang()
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


def warn_problems(problems: Iterable[Problem], category: type[Warning] = UserWarning, *, stacklevel: int = 2,
                  lang: Lang | None = None) -> None:
    """Say ``problems`` to a caller of the Python API, each a warning of ``category`` holding its whole message in
    ``lang`` (by default :func:`default_lang`: the language of ``YUANLUO_LANG``, else Chinese), with the fix for
    Python where the entry has one (``fix_py``): the one way the Python API's findings are said (the DEM's,
    the barriers', id-card ids on a print map). ``stacklevel`` as :func:`warnings.warn` counts it from the caller
    of this function.

    >>> import warnings
    >>> p = problem("DEM-HOLES", severity="warning", file="d.tif", cells=9, holes=1)
    >>> with warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter("always")
    ...     warn_problems([p], lang="zh"), warn_problems([p], lang="en")
    (None, None)
    >>> [str(w.message).split("：")[0].split(":")[0] for w in seen]
    ['警告 DEM-HOLES', 'Warning DEM-HOLES']
    """
    import warnings

    for p in problems:
        warnings.warn(p.message(lang or default_lang()), category, stacklevel=stacklevel + 1)


def missing_file(path: Any, file: str | None = None) -> Problem | None:
    """``IO-ISDIR`` when ``path`` is a folder, ``IO-NOTFOUND`` when nothing is there, ``IO-LAYER-GIVEN`` when
    it is a file with a layer name (``file.gpkg::layer``) where the whole file is asked for, else None
    (``file``: the name the message gives, the path by default).

    >>> missing_file("/").code, missing_file("/no/such/file.csv").code, missing_file(__file__)
    ('IO-ISDIR', 'IO-NOTFOUND', None)
    >>> missing_file(f"{__file__}::households").params["layer"]
    'households'
    """
    from pathlib import Path

    p = Path(path)
    if p.is_dir():
        return problem("IO-ISDIR", file=file or str(p))
    if not p.exists():
        base, sep, layer = str(path).rpartition("::")
        if sep and base and Path(base).is_file():
            return problem("IO-LAYER-GIVEN", file=file or str(path), base=base, layer=layer)
        return not_found(str(path), file or str(p))
    return None


#: where Windows' own Linux (WSL) shows the Windows drives, ``/mnt/d`` for ``D:``: a drive's path written the Windows
#: way is named there when that is there (:func:`not_found`, :func:`yuanluo.gis.output.windows_path_problem`)
WSL_DRIVES = Path("/mnt")


def not_found(path: str, file: str, *, sep: str | None = None) -> Problem:
    r"""``IO-NOTFOUND`` for ``path`` (named ``file``). A path written the Windows way (``.\plan.csv``,
    ``规划\r.gpkg``, ``D:\规划\r.gpkg``) on a system whose separator ``sep`` (:data:`os.sep` by default) is ``/``,
    where ``\`` is a letter of a name: its fix names the same path with ``/`` where that is there (variant
    ``slash``; of a drive's path, ``D:``, the drive's folder on Windows' own Linux, :data:`WSL_DRIVES`, or the rest of
    it, where that is there), else says that paths are separated by
    ``/`` here (``drive``: and that this system has no drive letters; ``backslash``). An unquoted ``.\plan.csv``
    or ``..\plan.csv`` typed in a shell there reaches the program as ``.plan.csv``, the ``\`` dropped: where that
    is not there and ``./plan.csv`` (``../plan.csv``) is, the fix says so and names it (``dropped``). On Windows,
    as any path.

    >>> import os, tempfile
    >>> d = tempfile.mkdtemp(); _ = open(os.path.join(d, "plan.csv"), "w").close()
    >>> q = not_found(d + "\\plan.csv", "plan", sep="/")
    >>> q.variant, q.params["alt"] == d + "/plan.csv"
    ('slash', True)
    >>> not_found(d + "\\plan.csv", "plan", sep="\\").variant, not_found("D:\\规划\\r.gpkg", "r", sep="/").variant
    ('', 'drive')
    >>> here = os.getcwd(); os.chdir(d)
    >>> q = not_found(".plan.csv", ".plan.csv", sep="/"); os.chdir(here)
    >>> q.variant, q.params["typed"], q.params["alt"]
    ('dropped', '.\\plan.csv', './plan.csv')
    """
    import os
    import re
    from pathlib import Path

    if (sep or os.sep) != "/":
        return problem("IO-NOTFOUND", file=file)
    if "\\" not in path:
        dots = re.fullmatch(r"(\.\.?)([^./][^/]*)", path)  # .plan.csv, ..plan.csv: .\plan.csv typed unquoted
        if dots and Path(f"{dots[1]}/{dots[2]}").exists():
            return replace(problem("IO-NOTFOUND", file=file, given=path, typed=f"{dots[1]}\\{dots[2]}",
                                   alt=f"{dots[1]}/{dots[2]}"), variant="dropped")
        return problem("IO-NOTFOUND", file=file)
    slashed = path.replace("\\", "/")
    drive = re.match(r"^([A-Za-z]:)/*", slashed)
    rest = slashed[drive.end():] if drive else slashed
    mounted = str(WSL_DRIVES / drive[1][0].lower() / rest) if drive and rest else ""
    for alt in (slashed, mounted, rest):
        if alt and Path(alt).exists():
            return replace(problem("IO-NOTFOUND", file=file, alt=alt), variant="slash")
    if drive:
        return replace(problem("IO-NOTFOUND", file=file, drive=drive[1], alt=rest or slashed), variant="drive")
    return replace(problem("IO-NOTFOUND", file=file, alt=slashed), variant="backslash")


class Unreadable(dict[str, str]):
    """Why a file could not be read, one text per language (``{why[zh]}``), and the reading library's own
    words (``cause``: English, for its developers), which the command line shows only with ``-v``."""

    def __init__(self, said: dict[str, str], cause: str) -> None:
        super().__init__(said)
        self.cause = cause


def library_words(problems: Iterable[Problem]) -> list[str]:
    """The reading libraries' own words behind ``problems`` (:class:`Unreadable` parameters), once each."""
    found = (v.cause for p in problems for v in p.params.values() if isinstance(v, Unreadable))
    return list(dict.fromkeys(found))


def unreadable(exc: BaseException, why: str) -> Unreadable:
    """Why a file could not be read, in the catalogue's words for every language (``{why[zh]}``): a file the
    system refused to open (``read.why.denied``), else ``read.why.<why>``. The library's own words stay out
    of the message; they are kept as its ``cause``.

    >>> unreadable(PermissionError(13, "Permission denied"), "csv")["en"][:27]
    'the system refused to read '
    >>> unreadable(ValueError("line 3"), "csv")["zh"]
    '无法按 CSV 解析（例如引号没有配对，或单元格过长）；加 -v 可看读取库给出的原文'
    """
    key = "read.why.denied" if isinstance(exc, PermissionError) else f"read.why.{why}"
    chain: list[BaseException] = [exc]
    while len(chain) < 4 and (chain[-1].__cause__ or chain[-1].__context__) is not None:
        chain.append(chain[-1].__cause__ or chain[-1].__context__)  # type: ignore[arg-type]
    return Unreadable({lang: text("read.why.library", lang, why=text(key, lang)) for lang in LANGS},
                      " <- ".join(f"{type(e).__name__}: {e}".strip() for e in chain))


class YuanluoError(Exception):
    """Base class of every error Yuanluo raises on purpose.

    ``str(error)`` is the message in ``lang``, by default that of ``YUANLUO_LANG`` (:func:`default_lang`);
    :meth:`render` gives it in another language.
    """

    exit_code = 2
    #: whether the message ends by saying that no output file was written: only of an error of something that was
    #: to write, a command of the command line that writes all its outputs or none (the console says it:
    #: :meth:`from_writer`) or an :class:`OutputError` of a writer; None until something says which (then not
    #: said: a function of the Python API such as ``Rules(...)`` or ``UnitDelineator.fit`` writes nothing)
    writes: bool | None = None

    def __init__(self, problems: Sequence[Problem] | Problem | str, *, lang: Lang | None = None) -> None:
        if isinstance(problems, str):
            problems = [Problem(code="ERROR", params={"text": problems})]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        self.lang: Lang = lang or default_lang()
        super().__init__(self.render(self.lang))

    def from_reader(self) -> YuanluoError:
        """This error as raised by a function of the Python API that reads and writes nothing (``read_households``
        in a notebook): its message no longer says that no output file was written, nothing was going to be.

        >>> e = InputError(problem("IO-NOTFOUND", file="a.csv"), lang="en").from_reader()
        >>> print(e)
        Error IO-NOTFOUND: the file a.csv does not exist.
          Fix: check the path and the file name.
        """
        return self._said(writes=False)

    def from_writer(self) -> YuanluoError:
        """This error as met by something that was to write (a command of the command line that writes, which
        writes all its outputs or none): its message ends by saying that no output file was written.

        >>> e = InputError(problem("IO-NOTFOUND", file="a.csv"), lang="en")
        >>> print(e.render("en").splitlines()[-1]); print(e.from_writer().render("en").splitlines()[-1])
          Fix: check the path and the file name.
        (no output file was written)
        """
        return self._said(writes=True)

    def _said(self, *, writes: bool) -> YuanluoError:
        self.writes = writes
        self.args = (self.render(self.lang), *self.args[1:])
        return self

    @property
    def code(self) -> str:
        errors = [p for p in self.problems if p.severity == "error"]
        return (errors or self.problems)[0].code if self.problems else "ERROR"

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]

    def render(self, lang: Lang | None = None) -> str:
        """The full message of every problem, in ``lang``: ``"zh"`` (Chinese) or ``"en"`` (English); without it,
        the language of the environment variable ``YUANLUO_LANG``, else Chinese. ``str(error)`` is the message in
        the language the error was made with (:attr:`lang`), so ``error.render("en")`` is the way to English
        for an error already raised.

        >>> e = InputError(problem("IO-NOTFOUND", file="a.csv"), lang="zh")
        >>> print(e.render("en"))
        Error IO-NOTFOUND: the file a.csv does not exist.
          Fix: check the path and the file name.

        It ends by saying that no output file was written only where something was to write (:attr:`writes`):
        on the command line, or an :class:`OutputError`:

        >>> print(OutputError(problem("OUT-EXISTS", targets="a.gpkg", overwrite="overwrite=True")).render("en"))
        Error OUT-EXISTS: the output already exists: a.gpkg.
          Fix: choose another output name, or pass overwrite=True to replace it.
        (no output file was written)
        """
        lang = lang or default_lang()
        body = "\n".join(p.message(lang) for p in self.problems)
        return f"{body}\n{text('problem.nothing_written', lang)}" if self.writes else body


class InputError(YuanluoError, ValueError):
    """Bad input: a file, a coordinate system, a column, a value. Exit status 2."""


class CRSError(InputError):
    """A missing, wrong or unusable coordinate reference system."""


class DEMError(InputError):
    """A digital elevation model that cannot be used as it is."""


class RuleConfigError(InputError):
    """An inconsistent rule preset or rule file."""


class OutputError(YuanluoError, OSError):
    """An output that may not or cannot be written (exists, locked, not writable). Exit status 2. Met by a writer,
    it says that no output file was written (a writer writes all its files or none)."""

    writes = True


class InvariantError(YuanluoError, AssertionError):
    """An internal invariant failed after a computation (a bug, never bad input). Exit status 3."""

    exit_code = 3




def given_name(x: Any) -> str:
    """What was given where something else was expected, as a coded error names it: a plain value (a file name,
    a number, None) as written, cut at 60 characters; anything else by its type's name.

    >>> given_name(None), given_name("households.csv"), given_name([1, 2])
    ('None', "'households.csv'", 'list')
    """
    return repr(x)[:60] if x is None or isinstance(x, str | int | float) else type(x).__name__


#: the plain subjects :func:`require_metric` is given by name, and the catalogue text each stands for
_SUBJECTS = {"households": "crs.subject.households", "graph": "crs.subject.graph", "DEM": "crs.subject.dem",
             "working CRS": "crs.subject.working", "units": "crs.subject.units", "site_xy": "crs.subject.sites",
             "data": "crs.subject.data", "gdf": "crs.subject.data"}


def crs_subject(what: str | Mapping[str, str]) -> dict[str, str]:
    """The subject of a ``CRS-PROJECTED`` or ``CRS-UNSET`` message in every language (``{what[zh]}`` / ``{what[en]}``): a
    ``{"zh": …, "en": …}`` mapping as it is (:func:`yuanluo.gis.catalogue.both`), a plain name of
    :data:`_SUBJECTS` (``"households"``) the catalogue's text, any other plain string as it is in both.

    >>> crs_subject("households")
    {'zh': '住户', 'en': 'the households'}
    >>> crs_subject({"zh": "图层 units", "en": "layer units"})["zh"], crs_subject("x.gpkg")
    ('图层 units', {'zh': 'x.gpkg', 'en': 'x.gpkg'})
    """
    if isinstance(what, Mapping):
        return {lang: str(what.get(lang, next(iter(what.values()), ""))) for lang in LANGS}
    key = _SUBJECTS.get(str(what))
    if key is not None:
        return {lang: text(key, lang) for lang in LANGS}
    return {lang: str(what) for lang in LANGS}


def require_metric(crs: Any, what: str | Mapping[str, str], var: str | None = None) -> None:
    """Raise :class:`CRSError` unless ``crs`` is a projected CRS in metres: ``CRS-UNSET`` when it declares none
    (None, or a GeoPackage layer's undefined system: :func:`yuanluo.gis.crs.crs_unset`), else ``CRS-PROJECTED``.

    ``crs`` is a CRS, or the data holding it (a GeoDataFrame or GeoSeries: then CRS-UNSET's fix declares it on
    that data, as the variable ``var``, in the system its coordinates look in: :func:`yuanluo.gis.crs.unset_problem`).
    ``what`` names the thing whose CRS it is, in every language (``{"zh": …, "en": …}``, e.g. from
    :func:`yuanluo.gis.catalogue.both`) or as a plain string (:func:`crs_subject`). The one place both are said:
    callers check nothing before it. For a working CRS given as a keyword argument use
    :func:`yuanluo.gis.crs.require_working`, whose fix names that keyword.

    Examples
    --------
    >>> require_metric("EPSG:4545", "households")
    >>> try:
    ...     require_metric("EPSG:4326", "households")
    ... except CRSError as e:
    ...     print(e.code, e.problems[0].title("en"))
    CRS-PROJECTED the CRS EPSG:4326 of the households is not a projected CRS in metres.
    >>> try:
    ...     require_metric("EPSG:4326", {"zh": "图层 “units”", "en": "layer units"})
    ... except CRSError as e:
    ...     print(e.problems[0].title("zh"))
    图层 “units”的坐标系 EPSG:4326 不是以米为单位的投影坐标系。
    >>> import geopandas as gpd
    >>> try:
    ...     require_metric(gpd.GeoSeries(gpd.points_from_xy([379611.0], [4712590.0])), "households", "hh")
    ... except CRSError as e:
    ...     print(e.code, e.problems[0].fix("en").split(": ")[1][:28])
    CRS-UNSET hh = hh.set_crs('EPSG:4545')
    """
    from pyproj import CRS

    from yuanluo.gis.crs import crs_unset, unset_problem  # (crs imports this module)

    data = crs if hasattr(crs, "crs") and hasattr(crs, "total_bounds") else None  # a GeoDataFrame, a GeoSeries
    if data is not None:
        crs = data.crs
    if crs_unset(crs):
        raise CRSError([unset_problem(what, data, var)])
    subject = crs_subject(what)
    c = CRS.from_user_input(crs)
    unit = c.axis_info[0].unit_name if c.axis_info else ""
    if not c.is_projected or unit not in ("metre", "meter"):
        raise CRSError(problem("CRS-PROJECTED", what=subject, crs=c.to_string()))


def layer_crs_problems(name: str, layer: Any) -> list[Problem]:
    """What :func:`require_metric` says of the map layer ``name`` (a GeoDataFrame; the fix declares its CRS on the
    variable of that name), as problems to gather with the other layers' rather than raised: none when it is in metres.

    >>> import geopandas as gpd
    >>> [q.code for q in layer_crs_problems("rivers", gpd.GeoDataFrame(geometry=gpd.points_from_xy([1.0], [2.0])))]
    ['CRS-UNSET']
    """
    from yuanluo.gis.catalogue import both

    try:
        require_metric(layer, both("crs.subject.layer", name=name), var=name)
    except CRSError as err:
        return list(err.problems)
    return []
