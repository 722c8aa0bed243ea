"""The ``yuanluo`` console script's entry point, kept apart from the command line it loads.

Loading the command line (:mod:`yuanluo.planners.cli`: Typer, Rich, GeoPandas …) takes about half a second, and
reading the message catalogue and building the localized help a little more. A Ctrl-C or a SIGTERM at any moment
of that ends the run as a later one does: the catalogue's words in the chosen language, exit 130. SIGTERM is
taken from the first line on (the default would end the process with no word, status -15).
"""

from __future__ import annotations

import signal
import sys
from typing import NoReturn

__all__ = ["main"]


class _Terminated(KeyboardInterrupt):
    """SIGTERM before :mod:`yuanluo.planners.console` (which has its own ``Terminated``) is loaded."""


def _on_sigterm(signum: int, frame: object) -> None:
    console = sys.modules.get("yuanluo.planners.console")
    raise (getattr(console, "Terminated", _Terminated) if console is not None else _Terminated)(signum)


def main() -> None:
    """Run the ``yuanluo`` command line (:func:`yuanluo.planners.cli.main`)."""
    try:
        signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread: nothing to take
        pass
    try:
        from yuanluo.planners.cli import main as run

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
