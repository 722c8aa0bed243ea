"""Stage announcements from inside long computations, for whatever progress display the caller shows.

``gis`` knows nothing of consoles: a computation calls :func:`report` with a catalogue key (``step.fit.repair``)
as a stage starts, and the key goes to the listener installed with :func:`listening` (the command line's
progress display), or nowhere. The delineation's stages are announced by the estimator's stage clock
(:func:`fit_stage_done`), so a display can name the stage a long fit is in.

Examples
--------
>>> heard = []
>>> with listening(heard.append):
...     report("step.fit.prepare")
...     fit_stage_done("prepare")
...     fit_stage_done("verify")  # the last stage: nothing follows
>>> heard
['step.fit.prepare', 'step.fit.construct']
>>> report("step.fit.prepare")  # no listener: nothing happens
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator

#: the stages of :meth:`yuanluo.gis.cluster.UnitDelineator.fit`, in order (catalogue keys ``step.fit.<stage>``)
FIT_STAGES = ("prepare", "construct", "repair", "rescue", "settlements", "local_search", "recombine", "heads", "exact",
              "result", "verify")

_listener: contextvars.ContextVar[Callable[[str], None] | None] = contextvars.ContextVar(
    "yuanluo_progress", default=None)


def report(key: str) -> None:
    """Announce that the stage ``key`` (a catalogue key) starts."""
    listener = _listener.get()
    if listener is not None:
        listener(key)


def fit_stage_done(stage: str) -> None:
    """The fit stage ``stage`` is done: announce the one after it (if any)."""
    if stage in FIT_STAGES:
        k = FIT_STAGES.index(stage)
        if k + 1 < len(FIT_STAGES):
            report(f"step.fit.{FIT_STAGES[k + 1]}")


@contextlib.contextmanager
def listening(callback: Callable[[str], None]) -> Iterator[None]:
    """Within the block, stage announcements go to ``callback``."""
    token = _listener.set(callback)
    try:
        yield
    finally:
        _listener.reset(token)
