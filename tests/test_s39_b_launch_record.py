"""Session 39 (helper B): the console script's early handler (planners/launch.py, SIGTERM from the first line,
before the command's own handlers) raised the interrupt without recording it, and Ctrl-C had Python's handler
there. An interrupt landing inside a ``__del__`` while the command line loads is dropped by Python ('Exception
ignored in: …'), and the run went on to the end as if never stopped. Now both signals are recorded as they are
raised (launch.on_signal, as console._on_signal records with gis.transaction.record_stop, c07c53b), and the
record stops the run once the command line is loaded: exit 130 and the catalogue's words.

The subprocess is deterministic: the signal is sent by the process to itself, from the ``__del__`` of an object
dropped while ``yuanluo.planners.cli.app`` is imported (a meta-path hook), and Python runs the handler within
that ``__del__`` before it returns; no sleeps."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from shared_fixtures import lonlat_households_csv

_SCRIPT = """
import importlib.abc, os, signal, sys
class Dropped:
    def __del__(self):
        os.kill(os.getpid(), signal.{sig})
        for _ in range(1000):  # the handler runs here, and what it raises is dropped with this __del__
            pass
class Stop(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "yuanluo.planners.cli.app":
            sys.meta_path.remove(self)
            Dropped()
        return None
sys.meta_path.insert(0, Stop())
sys.argv = ["yuanluo", "--lang", "{lang}", "validate", {hh!r}, "--crs", "EPSG:4490"]
from yuanluo.planners.launch import main
main()
"""


def _default_signals() -> None:
    """The child's Ctrl-C and SIGTERM as a shell gives them: an in-process test of launch.main before this one
    leaves them ignored in the test process (launch.stopped), and a child inherits an ignored signal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


@pytest.mark.parametrize(("sig", "lang", "words"), [("SIGTERM", "en", "termination signal"),
                                                     ("SIGINT", "en", "Interrupted"),
                                                     ("SIGTERM", "zh", "收到终止信号"), ("SIGINT", "zh", "已中断")])
def test_a_signal_dropped_while_loading_stops_the_run(tmp_path: Path, sig: str, lang: str, words: str) -> None:
    hh = lonlat_households_csv(tmp_path, 106.5, 29.5)
    script = tmp_path / "start.py"
    script.write_text(textwrap.dedent(_SCRIPT).format(sig=sig, lang=lang, hh=str(hh)), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("YUANLUO_LANG", "YUANLUO_DEBUG")}
    res = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, env=env,
                         timeout=120, encoding="utf-8", preexec_fn=_default_signals)
    assert res.returncode == 130, (res.returncode, res.stdout, res.stderr)
    assert words in res.stderr, res.stderr
    assert "Exception ignored" not in res.stderr and "Traceback" not in res.stderr, res.stderr
    assert "households" not in res.stdout and "户" not in res.stdout  # validate's verdict never came


def test_the_handler_records_and_raises() -> None:
    from yuanluo.gis import transaction
    from yuanluo.planners import launch
    from yuanluo.planners.console import Terminated

    transaction.new_run()
    try:
        with pytest.raises(Terminated):
            launch.on_signal(signal.SIGTERM, None)
        heard = transaction.stop_heard()
        assert isinstance(heard, Terminated)
        assert launch.take_heard() is heard and launch.take_heard() is None
    finally:
        transaction.new_run()
        launch.take_heard()


def test_a_stop_heard_before_the_command_outlives_its_new_run() -> None:
    """A stop the early handler heard after loading, just before the command's handlers took over (whose
    ``new_run`` forgets an earlier run's), is taken over by them: the command stops at its first stage."""
    from yuanluo.gis import transaction
    from yuanluo.planners import launch
    from yuanluo.planners.console import sigterm_as_interrupt

    transaction.new_run()
    try:
        with pytest.raises(KeyboardInterrupt):
            launch.on_signal(signal.SIGINT, None)
        with sigterm_as_interrupt():
            heard = transaction.stop_heard()
            with pytest.raises(KeyboardInterrupt):
                transaction.raise_if_stopped()
        assert heard is not None and launch.take_heard() is None
    finally:
        transaction.new_run()
        launch.take_heard()
