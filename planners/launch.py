"""The ``yuanluo`` console script's entry point, kept apart from the command line it loads.

Loading the command line (:mod:`yuanluo.planners.cli`: Typer, Rich, GeoPandas …) takes about half a second, and
reading the message catalogue and building the localized help a little more. A Ctrl-C or a SIGTERM at any moment
of that ends the run as a later one does: the catalogue's words in the chosen language, exit 130. SIGTERM is
taken from the first line on (the default would end the process with no word, status -15). Either one is
recorded as it is raised (:func:`on_signal`), so that one Python drops (inside a ``__del__``) still stops the run.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from typing import Any, NoReturn

__all__ = ["main", "on_signal", "take_heard"]


class _Terminated(KeyboardInterrupt):
    """SIGTERM before :mod:`yuanluo.planners.console` (which has its own ``Terminated``) is loaded."""


#: the Ctrl-C or SIGTERM heard before the command's own handlers took over (:func:`take_heard`)
_heard: list[KeyboardInterrupt] = []


def on_signal(signum: int, frame: object) -> None:
    """Ctrl-C or SIGTERM while the command line loads: recorded, then raised, as the command's own handler does
    (``console._on_signal``). Raised where Python drops it (inside a ``__del__`` run while modules load, as
    openpyxl's closing of a zip file was, c07c53b), the record still stops the run: here (:func:`take_heard`, read
    once the command line is loaded, and by the command's ``console.sigterm_as_interrupt``), and with
    :func:`yuanluo.gis.transaction.record_stop` once that module is loaded (never imported from here)."""
    console = sys.modules.get("yuanluo.planners.console")
    terminated = getattr(console, "Terminated", _Terminated) if console is not None else _Terminated
    exc: KeyboardInterrupt = terminated(signum) if signum == signal.SIGTERM else KeyboardInterrupt()
    if not _heard:
        _heard.append(exc)
    tx = sys.modules.get("yuanluo.gis.transaction")
    record = getattr(tx, "record_stop", None)
    if record is not None:
        record(exc)
        if getattr(tx, "holding", lambda: False)():  # a file being placed or taken back: raised as that ends
            return
    raise exc


def take_heard() -> KeyboardInterrupt | None:
    """The interrupt :func:`on_signal` heard, if any, forgotten here as it is given (it is taken over once)."""
    return _heard.pop() if _heard else None


def _unraisable(hook: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``sys.unraisablehook`` while the command line loads: an interrupt Python dropped is kept (:func:`on_signal`
    recorded it) and not printed (Python's "Exception ignored in: …", in English); anything else goes to ``hook``."""

    def unraisable(info: Any) -> None:
        if not isinstance(info.exc_value, KeyboardInterrupt):
            hook(info)

    return unraisable


def main() -> None:
    """Run the ``yuanluo`` command line (:func:`yuanluo.planners.cli.main`)."""
    try:
        signal.signal(signal.SIGTERM, on_signal)
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # an ignored Ctrl-C stays ignored
            signal.signal(signal.SIGINT, on_signal)
    except ValueError:  # not the main thread: nothing to take
        pass
    hook = sys.unraisablehook
    sys.unraisablehook = _unraisable(hook)
    try:
        try:
            from yuanluo.planners.cli import main as run
        finally:
            sys.unraisablehook = hook
        heard = take_heard()  # dropped while loading: the run stops before it starts
        if heard is not None:
            raise heard.with_traceback(None)
        run()
    except KeyboardInterrupt as exc:  # before the command's own handler took over, or after it let go
        stopped(exc)


def _is_terminated(exc: BaseException) -> bool:
    console = sys.modules.get("yuanluo.planners.console")
    return isinstance(exc, _Terminated) or (
        console is not None and isinstance(exc, getattr(console, "Terminated", ())))


def stopped(exc: BaseException) -> NoReturn:
    """Say the run was stopped (``cli.interrupted`` / ``cli.terminated``, in the command line's language) and
    exit 130. Should the catalogue itself not be readable now (a second Ctrl-C while it loads), the exit is a
    silent 130: every text comes from the catalogue, and there is no other."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # one word, not a traceback half-way through it
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    except ValueError:
        pass
    try:
        from yuanluo.gis.catalogue import text
        from yuanluo.planners import console as C

        key = "cli.terminated" if _is_terminated(exc) else "cli.interrupted"
        sys.stderr.write(text(key, C.lang_from_argv(sys.argv[1:])) + "\n")
        sys.stderr.flush()
    except BaseException:  # noqa: BLE001, S110 - nothing more to say without the catalogue
        pass
    raise SystemExit(130)
