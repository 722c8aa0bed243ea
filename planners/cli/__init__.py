"""The ``yuanluo`` command line: one module per command over :mod:`yuanluo.planners.workflows`.

Commands: ``validate``, ``graph``, ``delineate``, ``check``, ``repair``, ``map``, ``demo``
(:mod:`yuanluo.planners.cli.app` builds the Typer app; :mod:`yuanluo.planners.cli.options` declares the
shared options once). Exit codes: 0 ok, 1 rule violations found, 2 bad input or usage, 3 internal error.
Logs and progress go to stderr; reports go to stdout.
"""

from __future__ import annotations

from yuanluo.planners.cli.app import app, main

__all__ = ["app", "main"]
