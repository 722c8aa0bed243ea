"""Outputs as one transaction: every file a command writes is placed together, or none is.

A command checks all its outputs first (:func:`yuanluo.gis.output.require_free`), does its work, and writes
inside one :class:`Transaction`. While a transaction is open, the writers (:func:`yuanluo.gis.output.write_layers`,
:func:`yuanluo.gis.output.write_bytes` and everything built on them) write to a hidden temporary in the folder of
each target (:meth:`Transaction.temp_for`); no target name is touched until every file has been written. Then
:meth:`Transaction.commit` places them one by one:

- without ``overwrite``, by an atomic create-if-absent: ``os.link(tmp, target)`` then ``os.unlink(tmp)``. The
  link fails with ``FileExistsError`` when another run (or program) created the target meanwhile, so a run that
  loses such a race never replaces the winner's file (``OUT-EXISTS``). Where hard links are not supported (some
  network and FAT drives: any other failure of the link) the target is first reserved with ``os.open(O_CREAT | O_EXCL)`` and then replaced.
- with ``overwrite``, by :func:`os.replace`, after keeping the previous file under a hidden backup name (a hard
  link, else a copy). This is the one place an output replaces a file (no output ever replaces an input:
  ``OUT-INPUT``); a target marked read-only is refused before anything is written (:func:`read_only_problem`:
  Windows refuses to replace it, and elsewhere the mark is the user's word that the file stays as it is).

A run interrupted where Python cannot raise the interrupt (Ctrl-C landing in an object's ``__del__``, as when
openpyxl closes a workbook's zip file: Python prints "Exception ignored" and goes on) is stopped all the same:
the command line's signal handlers record the interrupt (:func:`record_stop`), and a transaction opened or
committed after it refuses (:func:`raise_if_stopped`), so such a run never places its outputs.

If a placement fails, or the run is interrupted (Ctrl-C, SIGTERM), the files already placed are taken back:
removed when the run created them, the previous file put back when it replaced one. Temporaries and backups
are removed in every case. The error then names what was not written and, should taking a file back itself
fail, what is left (:class:`TransactionError`).

Examples
--------
>>> import tempfile
>>> d = Path(tempfile.mkdtemp())
>>> with Transaction() as tx:
...     _ = tx.temp_for(d / "a.txt").write_bytes(b"a")
...     _ = tx.temp_for(d / "b.txt").write_bytes(b"b")
...     sorted(p.name for p in d.iterdir() if not p.name.startswith("."))
[]
>>> sorted(p.name for p in d.iterdir())
['a.txt', 'b.txt']
>>> # a.txt exists: nothing of this transaction is placed
>>> with Transaction() as tx:  # doctest: +IGNORE_EXCEPTION_DETAIL
...     _ = tx.temp_for(d / "c.txt").write_bytes(b"c")
...     _ = tx.temp_for(d / "a.txt")
Traceback (most recent call last):
...
yuanluo.gis.transaction.TransactionError: ...
>>> sorted(p.name for p in d.iterdir())
['a.txt', 'b.txt']
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import os
import secrets
import shutil
import signal
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import Any

from yuanluo.gis.catalogue import Lang, default_lang, text
from yuanluo.gis.errors import OutputError, Problem, on_command_line, problem

#: How often and how long to retry a replace that fails with PermissionError (file held open, as on Windows).
REPLACE_RETRIES = 5
REPLACE_WAIT_S = 0.2

#: Any failure of ``os.link`` but ``FileExistsError`` is taken as "no hard links here" and the copy / exclusive-
#: create fallback is used: the codes vary by system and drive (EPERM, ENOTSUP, EXDEV, EMLINK on POSIX; on Windows
#: CPython maps FAT32/exFAT's ERROR_INVALID_FUNCTION, and every unmapped code, to EINVAL), and a real fault of the
#: folder (EACCES, ENOSPC, EROFS) fails the fallback too, with its own code.

_current: contextvars.ContextVar[Transaction | None] = contextvars.ContextVar("yuanluo_transaction", default=None)


def current() -> Transaction | None:
    """The transaction open in this thread (or task), if any."""
    return _current.get()


#: the interrupt (Ctrl-C, SIGTERM) heard during this run, whether or not Python could raise it where it landed
_stop: list[KeyboardInterrupt] = []
#: the files committed during this run (to say, when a run is interrupted after its commit, what it wrote)
_committed: list[Path] = []
#: the transactions a command of the command line opened during this run (:func:`plans_nothing_in_run`)
_opened: list[Transaction] = []


def record_stop(exc: KeyboardInterrupt) -> None:
    """Record that the run was interrupted (by ``exc``: a Ctrl-C or a SIGTERM), for :func:`raise_if_stopped`: called by
    a signal handler as it raises ``exc``, which Python drops when it lands inside a ``__del__``."""
    if not _stop:
        _stop.append(exc)


def stop_heard() -> KeyboardInterrupt | None:
    """The interrupt recorded by :func:`record_stop` during this run, if any."""
    return _stop[0] if _stop else None


def raise_if_stopped() -> None:
    """Raise the interrupt recorded during this run (:func:`record_stop`), if any, again: the run stops here.

    >>> record_stop(KeyboardInterrupt())
    >>> try:  # (a doctest, as pytest, stops altogether at a KeyboardInterrupt it does not catch)
    ...     raise_if_stopped()
    ... except KeyboardInterrupt:
    ...     print("stopped")
    stopped
    >>> new_run(); raise_if_stopped()
    """
    exc = stop_heard()
    if exc is not None:
        raise exc.with_traceback(None)


def new_run() -> None:
    """Forget the interrupt, the files committed and the transactions opened of an earlier run in this process
    (a command starts)."""
    _stop.clear()
    _committed.clear()
    _opened.clear()


def plans_nothing_in_run() -> bool:
    """Whether the command running opened its transaction for no output at all (``yuanluo check`` with none of
    ``--report``, ``--json``, ``--csv``, ``--map``) and wrote none: its errors then do not end by saying that no
    output file was written, none was going to be. False before a command opened one, and from Python (only a
    command of the command line is followed).

    >>> plans_nothing_in_run()
    False
    """
    return bool(_opened) and not any(t.planned or t.targets for t in _opened)


def committed_in_run() -> list[Path]:
    """The files placed by the transactions committed since :func:`new_run`."""
    return list(_committed)


#: The length (bytes and UTF-16 units) a temporary's name may always have; a longer target name is its limit.
TEMP_NAME_ROOM = 64


def _sizes(name: str) -> tuple[int, int]:
    """A file name's length as file systems count it: UTF-8 bytes (ext4 … : 255) and UTF-16 units (Windows)."""
    return len(name.encode("utf-8", "surrogateescape")), len(name.encode("utf-16-le", "surrogatepass")) // 2


#: Characters of a target's name its temporary has as ``_``: pyogrio (``pyogrio.util.vsi_path``) parses a path
#: as a URI, so GDAL is given ``g`` for ``g;1.gpkg`` (``;`` starts URI parameters) and ``b.gpkg`` for ``a!b.gpkg``
#: (``!`` ends an archive's path). The target keeps its name: placing the temporary is a plain rename.
TEMP_NAME_UNSAFE = str.maketrans({";": "_", "!": "_"})


def temp_name(target: Path, kind: str = "tmp") -> Path:
    """A hidden, unique name beside ``target`` (same folder, so placing it is a rename, never a copy).

    The name is ``.STEM.PID.HEX.KIND.EXT``, the stem cut so that the name with SQLite's ``-journal`` after it
    is no longer than the target's own name (in bytes and in UTF-16 units) or, for a short name, at most
    :data:`TEMP_NAME_ROOM`: a long name the file system takes, and a long path within the length limit, stay
    so for the temporary (and the journal SQLite keeps beside a GeoPackage while writing it). In the stem, ``;``
    and ``!`` (:data:`TEMP_NAME_UNSAFE`) are ``_``: pyogrio reads a path as a URI, cutting it at a ``;`` (``g;1``
    → ``g``) and taking what comes before a ``!`` as an archive, so GDAL wrote a GeoPackage at another name.

    Examples
    --------
    >>> n = temp_name(Path("/data/out.gpkg"))
    >>> n.parent.as_posix(), n.name.startswith(".out."), n.suffix
    ('/data', True, '.gpkg')
    >>> long = Path("院" * 78 + ".html")
    >>> _sizes(temp_name(long).name + "-journal") <= _sizes(long.name), temp_name(long).name.startswith(".院院")
    (True, True)
    >>> temp_name(Path("g;1!a.gpkg")).name.startswith(".g_1_a.")
    True
    """
    tail = f".{os.getpid()}.{secrets.token_hex(4)}.{kind}{target.suffix or '.out'}"
    budget = tuple(max(a - len("-journal"), TEMP_NAME_ROOM) for a in _sizes(target.name))
    stem = target.stem.translate(TEMP_NAME_UNSAFE)
    while stem and any(a > b for a, b in zip(_sizes(f".{stem}{tail}"), budget, strict=True)):
        stem = stem[:-1]
    return target.with_name(f".{stem}{tail}")


def overwrite_named() -> str:
    """How the caller asks to replace existing outputs, as a message's ``{overwrite}`` names it: ``--overwrite`` on
    the command line, ``overwrite=True`` for a caller from Python (who has no flag to pass).

    >>> overwrite_named()
    'overwrite=True'
    """
    return "--overwrite" if on_command_line() else "overwrite=True"


def exists_problem(paths: Sequence[str | os.PathLike[str]]) -> Problem:
    """OUT-EXISTS naming every existing output; its fix names ``--overwrite`` on the command line and
    ``overwrite=True`` for a caller from Python (:func:`overwrite_named`).

    Examples
    --------
    >>> print(exists_problem(["a.gpkg", "b.html"]).message("en"))
    Error OUT-EXISTS: the output already exists: a.gpkg, b.html.
      Fix: choose another output name, or pass overwrite=True to replace it.
    """
    return problem("OUT-EXISTS", targets=[shown_path(p) for p in paths], overwrite=overwrite_named())


def input_problem(paths: Sequence[str | os.PathLike[str]]) -> Problem:
    """OUT-INPUT naming every output that is also an input (refused even with ``--overwrite`` /
    ``overwrite=True``, as :func:`overwrite_named` says it)."""
    return problem("OUT-INPUT", targets=[shown_path(p) for p in paths], overwrite=overwrite_named())


#: The longest path Windows takes where long paths are not enabled (MAX_PATH, 260, less the closing NUL), in
#: UTF-16 units: enabling them needs an administrator and a long-path-aware GDAL, which a planner rarely has.
WINDOWS_PATH_MAX = 259


def windows_paths() -> bool:
    """Whether output paths are held to :data:`WINDOWS_PATH_MAX` (on Windows; a test patches this)."""
    return sys.platform == "win32"


def _units(path: str) -> int:
    return _sizes(path)[1]


def written_paths(target: Path) -> list[str]:
    """The absolute paths writing ``target`` creates: the target, its temporary (and, for a GeoPackage, the
    journal SQLite keeps beside the temporary) and the backup an overwrite keeps of a previous file."""
    tmp = temp_name(target)
    paths = [target, tmp, temp_name(target, "bak")]
    out = [os.path.abspath(p) for p in paths]
    if target.suffix.lower() == ".gpkg":
        out.append(os.path.abspath(tmp) + "-journal")
    return out


def path_too_long(target: str | os.PathLike[str]) -> Problem | None:
    """OUT-PATH-LONG when, on Windows (:func:`windows_paths`), a path writing ``target`` creates
    (:func:`written_paths`: the hidden temporary is often longer than the target) has more than
    :data:`WINDOWS_PATH_MAX` characters, which would fail in the middle of the work; else None. A ``\\\\?\\``
    path has no such limit. A folder the command creates for it (Windows makes none over 248 characters) needs
    no check of its own: the temporary's path is longer than its folder's by at least 18 characters, so such a
    folder always holds a path over the limit, and a folder shorter by ``over`` fits both."""
    if not windows_paths():
        return None
    target = Path(target)
    paths = written_paths(target)
    if paths[0].startswith("\\\\?\\"):
        return None
    length = max(_units(p) for p in paths)
    if length <= WINDOWS_PATH_MAX:
        return None
    over = length - WINDOWS_PATH_MAX
    stem, suffix = target.stem, target.suffix
    by_name = next((cut for cut in range(over, len(stem))  # the temporary keeps a least length: maybe more
                    if max(_units(p) for p in written_paths(target.with_name(stem[:-cut] + suffix)))
                    <= WINDOWS_PATH_MAX), None)
    alt = {lang: text("out.path_long.folder_only", lang) if by_name is None
           else text("out.path_long.or_name", lang, cut=by_name) for lang in ("zh", "en")}
    return problem("OUT-PATH-LONG", target=shown_path(target), length=length, limit=WINDOWS_PATH_MAX, over=over, alt=alt)


#: What Windows does not take in a file or folder name, whatever system Yuanluo runs on (its results are handed to
#: Windows users, who cannot copy, unzip or open such a file): these characters and the control characters ...
WINDOWS_FORBIDDEN = frozenset('<>:"|?*\\') | frozenset(map(chr, range(1, 32)))
#: ... the device names, with any extension and in any case (``aux.html``, ``Com1.csv``) ...
#: (``COM0`` … ``LPT9`` and ``COM¹`` … ``LPT³``: Microsoft's list of reserved names has the digit 0 and the
#: superscript digits ¹ ² ³ too) ...
WINDOWS_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL",
                              *(f"{d}{i}" for d in ("COM", "LPT") for i in "0123456789¹²³")})
#: ... and a name longer than this (UTF-16 units; NTFS, exFAT). A name ending in a dot or a space loses it there.
WINDOWS_NAME_MAX = 255


def _undecodable(c: str) -> bool:
    """Whether ``c`` stands for a byte of a name that is not text (Python gives such bytes as the surrogates
    U+DC80 to U+DCFF; no surrogate is a character a Windows name or a GeoPackage holds)."""
    return "\ud800" <= c <= "\udfff"


def shown(name: str) -> str:
    """``name`` with the bytes that are not text (:func:`_undecodable`) written as ``\\xff``, so that it can be
    printed and read.

    >>> print(shown("bad\\udcffdir/结果.gpkg"))
    bad\\xffdir/结果.gpkg
    """
    return "".join((f"\\x{ord(c) - 0xDC00:02x}" if ord(c) >= 0xDC80 else f"\\u{ord(c):04x}")
                   if _undecodable(c) else c for c in name)


def shown_path(path: str | os.PathLike[str]) -> str:
    """A path as every message gives it: :func:`shown`, the bytes of a name that are not text written as ``\\xff``
    (as OUT-NAME-BYTES shows them), never as Python's ``\\udcff``.

    >>> print(shown_path(Path(os.fsdecode(b"bad\\xffdir")) / "结果.gpkg"))
    bad\\xffdir/结果.gpkg
    """
    return shown(os.fspath(path))


def _device(name: str) -> str | None:
    """The device name ``name`` is taken for on Windows (the part before its first dot, spaces after it left
    out), or None.

    >>> _device("aux.html"), _device("Com1 .tar.gz"), _device("auxiliary.html"), _device("COM0.csv")
    ('AUX', 'COM1', None, 'COM0')
    >>> _device("lpt0"), _device("com10.html"), _device("com0 old")
    ('LPT0', None, None)
    >>> _device("com¹.html"), _device("LPT³"), _device("com⁴.html")
    ('COM¹', 'LPT³', None)
    """
    head = name.split(".", 1)[0].rstrip(" ").upper()
    return head if head in WINDOWS_RESERVED else None


def windows_fixed(name: str) -> str:
    """``name`` as Windows takes it: forbidden characters made ``-``, trailing dots and spaces left out, a device
    name followed by ``_1``, a name too long cut (its extension kept).

    >>> windows_fixed("结果:2024.html"), windows_fixed("aux.html"), windows_fixed("演示 结果. "), windows_fixed("a<b>.csv")
    ('结果-2024.html', 'aux_1.html', '演示 结果', 'a-b-.csv')
    >>> windows_fixed("\\udcff\\udcfe.html"), windows_fixed("COM¹.html")
    ('--.html', 'COM¹_1.html')
    """
    fixed = "".join("-" if c in WINDOWS_FORBIDDEN or _undecodable(c) else c for c in name).rstrip(". ") or "yuanluo"
    if _device(fixed) is not None:
        head, dot, rest = fixed.partition(".")
        fixed = f"{head.rstrip(' ')}_1{dot}{rest}"
    suffix = Path(fixed).suffix if len(Path(fixed).suffix) < 16 else ""
    stem = fixed[: len(fixed) - len(suffix)]
    while _units(stem + suffix) > WINDOWS_NAME_MAX and len(stem) > 1:
        stem = stem[:-1].rstrip(". ")
    return stem + suffix


def windows_name_problem(target: str | os.PathLike[str], part: str | os.PathLike[str] | None = None, *,
                         end: bool = True, example: str | None = None) -> Problem | None:
    """The first thing Windows does not take in the name of ``part`` (a folder of the output ``target``) or,
    without it, of ``target`` itself, checked on every system: OUT-NAME-BYTES (bytes that are not text,
    :func:`_undecodable`: a name typed in another encoding, which neither Windows nor a GeoPackage holds),
    OUT-NAME-WINDOWS-CHAR (a character of :data:`WINDOWS_FORBIDDEN`), OUT-NAME-WINDOWS-RESERVED (a device name),
    OUT-NAME-WINDOWS-LONG (more than :data:`WINDOWS_NAME_MAX` characters) or, unless ``end`` is False, OUT-NAME-WINDOWS-END (a name ending in a dot
    or a space); None when Windows takes it. Each names the output and gives it with the name corrected
    (:func:`windows_fixed`) as ``{example}``, unless ``example`` is given (the output with every name corrected).

    >>> windows_name_problem("out/结果:2024.gpkg").params["example"]
    'out/结果-2024.gpkg'
    >>> windows_name_problem("out/演示 结果./demo.html", "out/演示 结果.").code
    'OUT-NAME-WINDOWS-END'
    >>> windows_name_problem("院落 划分（第一版）.gpkg"), windows_name_problem("名 单 folder/方案 (1).xlsx")
    (None, None)
    """
    target = Path(target)
    where = Path(part) if part is not None else target
    name = where.name
    if not name or name in (".", ".."):
        return None
    fixed = windows_fixed(name)
    rest = target.relative_to(where) if part is not None else Path()
    if example is None:
        example = str(where.with_name(fixed) / rest) if part is not None else str(target.with_name(fixed))
    common: dict[str, Any] = {"target": shown(str(target)), "name": shown(name), "example": shown(example)}
    if any(_undecodable(c) for c in name):
        return problem("OUT-NAME-BYTES", **common)
    bad = sorted({c for c in name if c in WINDOWS_FORBIDDEN})
    if bad:
        chars = " ".join(c if c.isprintable() else f"U+{ord(c):04X}" for c in bad)
        return problem("OUT-NAME-WINDOWS-CHAR", chars=chars, **common)
    device = _device(name)
    if device is not None:
        return problem("OUT-NAME-WINDOWS-RESERVED", device=device, **common)
    if _units(name) > WINDOWS_NAME_MAX:
        return problem("OUT-NAME-WINDOWS-LONG", length=_units(name), limit=WINDOWS_NAME_MAX, **common)
    if end and name != name.rstrip(". "):
        return problem("OUT-NAME-WINDOWS-END", **common)
    return None


def case_problem(paths: Sequence[Path]) -> Problem:
    """OUT-SAME-CASE: outputs whose paths differ only in upper and lower case, one file on Windows (and macOS), so
    that one is lost when they are copied there; ``{example}`` renames the second (``-2`` after its name).

    >>> print(case_problem([Path("Plan.csv"), Path("plan.csv")]).params["example"])
    plan-2.csv
    """
    second = paths[1]
    return problem("OUT-SAME-CASE", targets=[shown_path(p) for p in paths],
                   example=shown_path(second.with_name(f"{second.stem}-2{second.suffix}")))


def remove_quietly(paths: Iterable[Path]) -> None:
    """Remove files and their SQLite side files (``-journal``, ``-wal``, ``-shm``); missing ones are fine."""
    for p in paths:
        for q in (p, p.with_name(p.name + "-journal"), p.with_name(p.name + "-wal"), p.with_name(p.name + "-shm")):
            with contextlib.suppress(OSError):
                q.unlink()


def replace_retrying(src: Path, dst: Path, sleep: Callable[[float], None] = time.sleep) -> None:
    """:func:`os.replace`, retried a few times while the target is held open (``PermissionError``)."""
    for attempt in range(REPLACE_RETRIES + 1):
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            if attempt == REPLACE_RETRIES:
                raise
            sleep(REPLACE_WAIT_S * (attempt + 1))


#: the error codes OUT-WRITE says in its own words, each by its kind: the cause (``out.cause.<kind>``, naming the
#: folder where it has one) and the one fix for it (OUT-WRITE's ``fix_<kind>``); any other code gets the cause
#: ``out.cause.other`` and the entry's plain ``fix``. :data:`READ_ONLY` is the cause of a refusal to replace a
#: read-only file (:func:`write_error`).
_KINDS = {"ENOENT": "enoent", "EACCES": "eacces", "EPERM": "eacces", "EROFS": "erofs", "ENOSPC": "enospc",
          "ENAMETOOLONG": "enametoolong", "READ-ONLY": "readonly"}
#: the cause :func:`write_error` gives a permission error on an existing output marked read-only
READ_ONLY = "READ-ONLY"


def write_cause(reason: str, folder: str | os.PathLike[str]) -> dict[str, str]:
    """OUT-WRITE's ``{cause}`` for the error code ``reason`` in each language: what went wrong in the message's
    own words, naming ``folder`` (where the output goes) where that is the cause; never the system's English
    sentence, nor the temporary file a write went to.

    >>> write_cause("ENOENT", "maps2/nodir")["zh"]
    '文件夹 maps2/nodir 不存在'
    >>> write_cause("EIO", "x")["en"]
    'the system refused to write in the folder x'
    >>> write_cause("EACCES", ".")["en"] == f"no permission to write in the folder {os.getcwd()}, or another program holds the file open"
    True
    """
    key = f"out.cause.{_KINDS.get(reason, 'other')}"
    return {lang: text(key, lang, folder=folder_named(folder)) for lang in ("zh", "en")}


def folder_named(folder: str | os.PathLike[str]) -> str:
    """The folder of an output as OUT-WRITE names it: as given (:func:`shown_path`), but the working folder, given as
    ``.`` (the folder of ``-o plan.gpkg``), by its path: "the folder ." said nothing.

    >>> folder_named("out/maps"), folder_named(Path("plan.gpkg").parent) == shown_path(os.getcwd())
    ('out/maps', True)
    """
    return shown_path(os.getcwd()) if os.fspath(folder) in ("", ".") else shown_path(folder)


def write_problem(target: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], reason: str,
                  folder: str | os.PathLike[str], *, cause: str | None = None) -> Problem:
    """OUT-WRITE for writing ``target`` (one path, or several outputs of one folder, named together) into
    ``folder`` with the error code ``reason``: its cause in words for ``cause`` (by default the code's own:
    :func:`write_cause`) and the one fix for its code (``fix_<kind>``, naming the folder); the entry's plain fix
    where the code has none of its own or the cause is not the code's (a folder that is there and still says
    ENOENT). Its title is the kind's own where the entry has one (``title_<kind>``): a missing folder holds no file
    that could be left unchanged, a file marked read-only is there and unchanged. The one maker of OUT-WRITE,
    before the work (:func:`yuanluo.gis.output.require_free`) and after it
    (:func:`write_error`).

    >>> q = write_problem(Path("out/u.gpkg"), "ENOENT", Path("out"))
    >>> print(q.message("zh"))
    错误 OUT-WRITE：无法写出 out/u.gpkg（ENOENT：文件夹 out 不存在）。
      处理办法：先创建文件夹 out 后重试，或把输出写到已有的文件夹。
    >>> print(q.fix("en"))
    create the folder out first and retry, or write the output to a folder that exists.
    >>> print(write_problem(Path("/proc/a.gpkg"), "ENOENT", Path("/proc"), cause="").fix("en"))
    retry; if it fails again, write the output to another folder or drive.
    >>> print(write_problem(["out/a.gpkg", "out/b.html"], "EROFS", Path("out")).title("en"))
    cannot write out/a.gpkg, out/b.html (EROFS: the folder out is on a read-only drive); any existing file is unchanged.
    """
    said = reason if cause is None else cause
    targets = shown_path(target) if isinstance(target, str | os.PathLike) else [shown_path(t) for t in target]
    q = problem("OUT-WRITE", target=targets, reason=reason, cause=write_cause(said, folder),
                folder=folder_named(folder))
    kind = _KINDS.get(said)  # the cause's own fix ("": none of its own)
    return replace(q, variant=kind) if kind else q


def read_only_problem(target: Path) -> Problem | None:
    """OUT-WRITE for replacing ``target`` (``--overwrite``, ``overwrite=True``) when it is a file marked read-only
    (:func:`marked_read_only`), else None: said before the work (:func:`yuanluo.gis.output.require_free`) and
    before a writer writes (:meth:`Transaction.temp_for`), on every system. Windows refuses to replace such a
    file, which was found only after the work, as the files were placed; elsewhere the file was replaced, its
    mark passed over. Its cause says the mark and its fix clears it, as :func:`write_error` says the refusal.

    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "u.html"; _ = f.write_bytes(b"x"); f.chmod(0o444)
    >>> print(read_only_problem(f).message("en").replace(str(f), "u.html"))
    Error OUT-WRITE: cannot write u.html (EACCES: the file is read-only); the file is unchanged.
      Fix: clear the file's read-only mark (on Windows: in the file's Properties, untick Read-only) and retry, or write the output under another name.
    >>> f.chmod(0o644); read_only_problem(f) is None, read_only_problem(f.with_name("new.html")) is None
    (True, True)
    """
    if not marked_read_only(target):
        return None
    return write_problem(target, "EACCES", target.parent, cause=READ_ONLY)


def write_error(exc: BaseException, target: Path, *, replacing: bool = False) -> OutputError:
    """OUT-WRITE for an OS error while writing ``target`` (:func:`write_problem`): the error's code (``EACCES``,
    ``ENOSPC``, ``ENOENT`` …), its cause in words (:func:`write_cause`; the folder that does not exist, named) and
    the one fix for that code. ``target`` is the file asked for, also when the error was met writing its
    temporary. A permission error ``replacing`` the existing ``target`` (the transaction placing its file) where
    that file is marked read-only (no write permission in its mode: the read-only attribute on Windows, which
    refuses to replace it) says so (:data:`READ_ONLY`), not a folder's permission or a program holding the file.

    >>> e = write_error(FileNotFoundError(2, "No such file", "/no/such/.a.1.tmp.html"), Path("/no/such/a.html"))
    >>> print(e.problems[0].message("en"))
    Error OUT-WRITE: cannot write /no/such/a.html (ENOENT: the folder /no/such does not exist).
      Fix: create the folder /no/such first and retry, or write the output to a folder that exists.
    """
    err = getattr(exc, "errno", None)
    reason = errno.errorcode.get(err, type(exc).__name__) if isinstance(err, int) else type(exc).__name__
    folder = target.parent
    if not folder.is_dir():
        reason = "ENOENT"
    there = reason == "ENOENT" and folder.is_dir()  # the folder is there: a file of it went missing meanwhile
    locked = replacing and isinstance(exc, PermissionError) and marked_read_only(target)
    return OutputError(write_problem(target, reason, folder, cause="" if there else READ_ONLY if locked else None))


def marked_read_only(path: Path) -> bool:
    """Whether the file ``path`` is there and marked read-only (no write permission for its owner in its mode;
    on Windows, the read-only attribute)."""
    try:
        return path.is_file() and not os.stat(path).st_mode & stat.S_IWUSR
    except OSError:
        return False


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file: the same resolved path, or (both existing) the same inode, as for a
    hard link or a folder reached twice."""
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


#: the blocks of :func:`_signals_held` open now (a list, as the other records of the run)
_held: list[None] = []


def holding() -> bool:
    """Whether a file is being placed or taken back (:func:`_signals_held`): the command line's signal handlers then
    only record the interrupt (:func:`record_stop`), raised as the block ends."""
    return bool(_held)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while files are placed or taken back: the interrupt is raised right after the block
    (when it ends without an error of its own). Blocking the signals in the main thread is not enough: a signal
    sent to the process (a Ctrl-C in a terminal) goes to any thread not blocking it (NumPy's and GDAL's threads), and
    Python then runs its handler in the main thread all the same; so the command line's handlers only record an
    interrupt while :func:`holding`, and it is raised here as the block ends.

    >>> with _signals_held():
    ...     holding()
    True
    >>> holding()
    False
    """
    can = hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM}) if can else None
    _held.append(None)
    try:
        yield
    finally:
        _held.pop()
        if old is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
    if not _held:
        raise_if_stopped()  # an interrupt the handlers recorded meanwhile


class TransactionError(OutputError):
    """An output that could not be placed, with what was and was not written (all or none: ``left`` is empty
    unless taking a placed file back failed too)."""

    def __init__(self, problems: Sequence[Problem] | Problem, *, not_written: Sequence[Path],
                 left: Sequence[Path] = (), kept: Sequence[tuple[Path, Path]] = (),
                 taken_back: Sequence[tuple[Path, bool]] = ()) -> None:
        self.not_written = list(not_written)
        self.taken_back = list(taken_back)
        self.left = list(left)
        self.kept = list(kept)
        super().__init__(problems)

    def render(self, lang: Lang | None = None) -> str:
        lang = default_lang() if lang is None else lang
        body = "\n".join(p.message(lang) for p in self.problems)
        sep = text("list.sep", lang)
        lines = [body]
        if self.left:
            lines.append(text("out.left", lang, files=sep.join(map(shown_path, self.left))))
        lines.extend(text("out.kept", lang, target=shown_path(t), backup=shown_path(b)) for t, b in self.kept)
        for key, restored in (("out.taken_back", False), ("out.put_back", True)):  # placed before the failure
            back = [shown_path(p) for p, r in self.taken_back if r is restored]
            if back:
                lines.append(text(key, lang, files=sep.join(back)))
        if self.not_written:
            lines.append(text("out.not_written", lang, files=sep.join(map(shown_path, self.not_written))))
        if not self.left:  # (a file written and removed again was written: none is left)
            lines.append(text("problem.nothing_left" if self.taken_back else "problem.nothing_written", lang))
        return "\n".join(lines)


@dataclass(frozen=True)
class _Placed:
    target: Path
    inode: tuple[int, int]
    backup: Path | None


def _inode(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_dev, st.st_ino


def _create_new(tmp: Path, target: Path) -> None:
    """Place ``tmp`` at ``target`` only if nothing is there (atomic); ``FileExistsError`` otherwise."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except OSError:  # no hard links here, whatever the code: reserve the name, then replace
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)  # the reservation
        try:  # (an interrupt now takes the reservation back too)
            os.close(fd)
            replace_retrying(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(target)
            raise
    else:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _keep_previous(target: Path) -> Path | None:
    """A hidden backup of an existing ``target`` (hard link, else copy), or None when there is none. A copy
    that fails partway (a full disk) is removed before the error propagates: it is not recorded yet, so the
    rollback would not find it."""
    if not target.exists():
        return None
    backup = temp_name(target, "bak")
    try:
        os.link(target, backup)
    except FileExistsError:
        raise
    except OSError:  # no hard links here: a copy
        try:
            shutil.copy2(target, backup)
        except BaseException:
            remove_quietly([backup])
            raise
    return backup


class Transaction:
    """All the outputs of one command, placed together when every one was written (see the module docstring).

    Parameters
    ----------
    overwrite : bool
        Replace existing targets (the command's ``--overwrite``); without it a target that exists, or appears
        before the commit, is ``OUT-EXISTS`` and nothing is placed.
    inputs : iterable of path
        The command's input files: a target that is one of them is ``OUT-INPUT``, even with ``overwrite``.
    planned : iterable of path
        The outputs the command means to write (listed as not written when it fails before writing them).
    files : mapping of path to paths
        The files a planned output is written as, where they are not the output itself: a CSV or GeoParquet
        output's one file per layer (``OUT.units.csv``: :func:`yuanluo.gis.output.layer_files`). A failure names
        them in its place: those its writer staged, else every one it may write.

    Used as a context manager it is the current transaction for the writers, commits on a normal exit and
    takes everything back on an exception (which then propagates).
    """

    def __init__(self, *, overwrite: bool = False, inputs: Iterable[str | os.PathLike[str]] = (),
                 planned: Iterable[str | os.PathLike[str] | None] = (),
                 files: Mapping[Path, Sequence[str | os.PathLike[str]]] | None = None) -> None:
        self.overwrite = overwrite
        self.inputs = [Path(p) for p in inputs]
        self.planned = [Path(p) for p in planned if p is not None]
        self.files = {Path(k): [Path(f) for f in v] for k, v in (files or {}).items()}
        self.taken_back: list[tuple[Path, bool]] = []  # (target, whether a previous file was put back)
        self.written: list[Path] = []
        self._staged: dict[Path, Path] = {}
        self._placed: list[_Placed] = []
        self._placing: _Placed | None = None  # the file being placed, not yet in _placed (:meth:`_place`)
        self._backups: list[Path] = []
        self._token: contextvars.Token[Transaction | None] | None = None
        self.state = "open"
        if on_command_line():  # a command's: whether it plans any output (plans_nothing_in_run)
            _opened.append(self)

    # ------------------------------------------------------------------------------------------ staging
    def temp_for(self, target: str | os.PathLike[str]) -> Path:
        """The temporary a writer writes ``target`` to; checked against inputs, the other targets and an existing
        file (without overwrite; with it, one marked read-only: :func:`read_only_problem`) before anything is
        written."""
        target = Path(target)
        if self.state != "open":
            raise RuntimeError(f"transaction already {self.state}")
        raise_if_stopped()  # an interrupted run writes nothing more
        if any(same_file(target, p) for p in self.inputs):
            raise OutputError(input_problem([target]))
        if any(same_file(target, t) for t in self._staged):
            raise OutputError(problem("OUT-SAME", targets=shown_path(target)))
        if not self.overwrite and target.exists():
            raise OutputError(exists_problem([target]))
        locked = read_only_problem(target) if self.overwrite else None
        if locked is not None:  # a layer file named after the output, or a writer called from Python
            raise OutputError(locked)
        too_long = path_too_long(target)  # a layer file named after the output (OUT.units.csv) is checked here
        if too_long is not None:
            raise OutputError(too_long)
        tmp = temp_name(target)
        self._staged[target] = tmp
        return tmp

    def expect(self, output: str | os.PathLike[str], files: Sequence[str | os.PathLike[str]]) -> None:
        """Say that ``output`` is written as ``files`` (a writer that knows its layers: :attr:`files`), for the
        files a failure names as not written."""
        self.files[Path(output)] = [Path(f) for f in files]

    @property
    def targets(self) -> list[Path]:
        """The targets staged so far, in order."""
        return list(self._staged)

    # ------------------------------------------------------------------------------------------ commit
    def _place(self, target: Path, tmp: Path) -> None:
        """Place ``tmp`` at ``target``, Ctrl-C and SIGTERM held meanwhile (:func:`_signals_held`). The file being
        placed is known to :meth:`rollback` from before its placement (``_placing``: its temporary's inode, which
        the target has once placed), so an interrupt landing between the placement and its record (where signals
        cannot be held: Windows, another thread) takes it back too: it was left, the run saying nothing written."""
        with _signals_held():
            try:
                self._placing = _Placed(target, _inode(tmp), None)
                if self.overwrite:
                    backup = _keep_previous(target)
                    if backup is not None:
                        self._backups.append(backup)
                        self._placing = replace(self._placing, backup=backup)
                    replace_retrying(tmp, target)
                else:
                    _create_new(tmp, target)
            except OSError as exc:  # not placed (a link or a replace fails whole): nothing of it to take back
                self._placing = None
                if isinstance(exc, FileExistsError):
                    raise OutputError(exists_problem([target])) from exc
                raise write_error(exc, target, replacing=self.overwrite) from exc
            self._placed.append(self._placing)
            self._placing = None

    def commit(self) -> list[Path]:
        """Place every staged file; on any failure take back those placed and raise :class:`TransactionError`."""
        try:
            raise_if_stopped()  # interrupted before: nothing is placed
            for target, tmp in self._staged.items():
                self._place(target, tmp)
            with _signals_held():  # done, or taken back: never an interrupt between the two
                raise_if_stopped()  # an interrupt Python could not raise while placing: taken back
                self.state = "committed"
                self.written = [p.target for p in self._placed]
                _committed.extend(self.written)
                remove_quietly(self._backups)
        except OutputError as exc:
            left, kept = self.rollback()
            raise self.failure(exc.problems, left, kept) from exc
        except BaseException:
            if self.state != "committed":
                self.rollback()
            raise
        return self.written

    def rollback(self) -> tuple[list[Path], list[tuple[Path, Path]]]:
        """Take back every placed file and remove every temporary; returns the files that could not be taken
        back and, among them, the previous versions kept under a backup name."""
        left: list[Path] = []
        kept: list[tuple[Path, Path]] = []
        with _signals_held():
            placing = [self._placing] if self._placing is not None else []
            self._placing = None
            for p in [*placing, *reversed(self._placed)]:
                try:
                    if p.backup is not None:
                        os.replace(p.backup, p.target)
                    elif _inode(p.target) == p.inode:
                        os.unlink(p.target)
                    else:  # another program's file took its name meanwhile: not ours to remove
                        continue
                except FileNotFoundError:
                    continue
                except OSError:
                    left.append(p.target)
                    if p.backup is not None:
                        kept.append((p.target, p.backup))
                else:
                    self.taken_back.insert(0, (p.target, p.backup is not None))
            keep = {b for _, b in kept}
            remove_quietly([*self._staged.values(), *(b for b in self._backups if b not in keep)])
            self._placed = []
            self.state = "rolled back"
        return left, kept

    def failure(self, problems: Sequence[Problem], left: Sequence[Path] = (),
                kept: Sequence[tuple[Path, Path]] = ()) -> TransactionError:
        """The error for a failed transaction: ``problems``, and which outputs were and were not written, and taken
        back. An output written as files of its own (:attr:`files`: ``out.csv`` as ``out.households.csv``,
        ``out.units.csv`` …) is named by them: those its writer staged, else every one it may write. Each file is
        named once: one placed and taken back (removed, or the previous file put back) is not "not written" too.

        >>> tx = Transaction(planned=["out.csv", "m.html"], files={Path("out.csv"): ["out.units.csv", "out.run.csv"]})
        >>> [p.name for p in tx.failure([]).not_written]
        ['out.units.csv', 'out.run.csv', 'm.html']
        >>> _ = tx.temp_for("out.run.csv"); [p.name for p in tx.failure([]).not_written]
        ['out.run.csv', 'm.html']
        """
        names: list[Path] = []
        for p in dict.fromkeys([*self.planned, *self.files]):  # (a writer called from Python plans nothing)
            files = self.files.get(p, [p])
            names.extend([f for f in files if f in self._staged] or files)
        names = list(dict.fromkeys([*names, *self._staged]))
        back = [(p, r) for p, r in self.taken_back if p not in left]
        said = {*left, *(p for p, _ in back)}  # each file in the one list true of it: left, taken back, not written
        return TransactionError(problems, not_written=[p for p in names if p not in said], left=left, kept=kept,
                                taken_back=back)

    # ------------------------------------------------------------------------------------------ context
    def __enter__(self) -> Transaction:
        if _current.get() is not None:
            raise RuntimeError("a transaction is already open")
        self._token = _current.set(self)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._token is not None:
            _current.reset(self._token)
            self._token = None
        if exc is None:
            try:
                self.commit()
            except BaseException:
                if self.state == "open":  # interrupted before commit could start
                    self.rollback()
                raise
            return
        if self.state == "open":
            self.rollback()
        if isinstance(exc, OutputError) and not isinstance(exc, TransactionError):
            raise self.failure(exc.problems) from exc
