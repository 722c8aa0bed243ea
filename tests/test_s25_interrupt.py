"""Ctrl-C while the command line loads (its first half second, the imports) printed a Python traceback in
English; it now ends as a later Ctrl-C does: the catalogue's words in the chosen language, exit 130."""

from __future__ import annotations

import importlib.abc
import signal
import sys
import tomllib
from pathlib import Path

import pytest

from yuanluo.gis.catalogue import text


class _CtrlC(importlib.abc.MetaPathFinder):
    """Ctrl-C pressed while the command line is being imported."""

    def find_spec(self, name, path, target=None):  # type: ignore[no-untyped-def]
        if name.startswith("yuanluo.planners.cli"):
            raise KeyboardInterrupt
        return None


def test_the_console_script_starts_where_a_ctrl_c_is_caught() -> None:
    project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["yuanluo"] == "yuanluo.planners.launch:main"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ctrl_c_while_loading_is_said_not_traced(lang: str, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from yuanluo.planners import launch

    for mod in [m for m in sys.modules if m.startswith("yuanluo.planners.cli")]:
        monkeypatch.delitem(sys.modules, mod)
    monkeypatch.setattr(sys, "meta_path", [_CtrlC(), *sys.meta_path])
    monkeypatch.setattr(sys, "argv", ["yuanluo", "--lang", lang, "validate", "--help"])
    # launch sets SIGINT and SIGTERM to ignored as it says the stop: put pytest's own back, or every later test's
    # subprocess would inherit SIG_IGN and a Ctrl-C test there would test nothing
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        with pytest.raises(SystemExit) as stop:
            launch.main()
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)
    assert stop.value.code == 130
    err = capsys.readouterr().err
    assert err.strip() == text("cli.interrupted", lang).strip() and "Traceback" not in err
