"""The ``yuanluo`` console script's entry point, kept apart from the command line it loads.

Loading the command line (:mod:`yuanluo.planners.cli`: Typer, Rich, GeoPandas …) takes about half a second. A
Ctrl-C in that time stopped the imports with a Python traceback in English; here it ends the run as a later
Ctrl-C does: the catalogue's words in the chosen language, exit 130.
"""

from __future__ import annotations

import sys
from typing import NoReturn

__all__ = ["main"]


def main() -> None:
    """Run the ``yuanluo`` command line (:func:`yuanluo.planners.cli.main`)."""
    try:
        from yuanluo.planners.cli import main as run
    except KeyboardInterrupt:
        _interrupted_while_loading()
    run()


def _interrupted_while_loading() -> NoReturn:
    from yuanluo.gis.catalogue import text
    from yuanluo.planners import console as C

    sys.stderr.write(text("cli.interrupted", C.lang_from_argv(sys.argv[1:])) + "\n")
    raise SystemExit(C.EXIT_INTERRUPTED)
