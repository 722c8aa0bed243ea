"""HiGHS is called only through :func:`yuanluo.gis.exact.highs_milp`, whose C-level writes to standard output are
silenced: HiGHS printed ``HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();`` with
``printf``, outside ``disp``, into a fit's standard output (s57 H, a 3,000-household changshou village, seed 12)."""

from __future__ import annotations

import ast
import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import Bounds

from yuanluo.gis import exact

ROOT = Path(__file__).resolve().parents[1]
SOLVERS = {"milp", "linprog"}  # scipy.optimize's HiGHS front ends
HELPER = "gis/exact.py"


def _solver_uses(path: Path) -> list[str]:
    """Where a module imports or reaches scipy's milp / linprog, or highspy."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    scipy_names = {"scipy"}  # names bound to scipy or scipy.optimize in this module
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            scipy_names |= {(a.asname or a.name).split(".")[0] for a in node.names if a.name.startswith("scipy")}
            if any(a.name.split(".")[0] == "highspy" for a in node.names):
                found.append(f"line {node.lineno}: import highspy")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("scipy", "highspy"):
            scipy_names |= {a.asname or a.name for a in node.names if a.name == "optimize"}
            if node.module == "highspy" or {a.name for a in node.names} & SOLVERS:
                found.append(f"line {node.lineno}: from {node.module} import ...")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in SOLVERS:
            root = node.value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in scipy_names:
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def test_solver_only_through_the_helper() -> None:
    uses = {}
    for folder in ("gis", "planners", "maps", "bench"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel != HELPER and (found := _solver_uses(path)):
                uses[rel] = found
    assert uses == {}, f"call HiGHS through yuanluo.gis.exact.highs_milp, not scipy directly: {uses}"
    tree = ast.parse((ROOT / HELPER).read_text(encoding="utf-8"))
    helper = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "highs_milp")
    uses = _solver_uses(ROOT / HELPER)
    assert len(uses) == 1 and any(isinstance(n, ast.Attribute) and n.attr == "milp" for n in ast.walk(helper)), uses


_SCRIPT = r"""
import ctypes, importlib.util, os, sys, threading
spec = importlib.util.spec_from_file_location("yl_exact", sys.argv[1])
ex = sys.modules["yl_exact"] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ex)
print("before")
with ex.quiet_native_stdout():
    os.write(1, b"HIDDEN os.write\n")
    ctypes.CDLL(None).printf(b"HIDDEN printf\n")  # C stdio, fully buffered on a pipe
    print("HIDDEN print")
    os.write(2, b"stderr kept\n")
print("between")
try:
    with ex.quiet_native_stdout():
        t = threading.Thread(target=lambda: os.write(1, b"HIDDEN in a worker\n"))
        t.start()
        t.join()
        raise KeyError("x")
except KeyError:
    pass
res = ex.highs_milp(ex.np.array([1.0, 2.0]), integrality=ex.np.ones(2), bounds=ex.Bounds(1, 3))
print("after", res.x.tolist())
"""


def test_helper_hides_c_level_stdout_from_a_subprocess() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # C stdio buffered, as on a pipe
    run = subprocess.run([sys.executable, "-c", _SCRIPT, exact.__file__], capture_output=True, text=True,
                         timeout=120, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "before\nbetween\nafter [1.0, 1.0]\n"
    assert "stderr kept" in run.stderr


def test_no_redirect_where_stdout_has_no_descriptor(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.StringIO()
    monkeypatch.setattr(sys, "stdout", fake)
    before = os.fstat(1)
    with exact.quiet_native_stdout():
        inside = os.fstat(1)
        print("seen")
    assert (inside.st_dev, inside.st_ino) == (before.st_dev, before.st_ino)
    assert fake.getvalue() == "seen\n"
    res = exact.highs_milp(np.array([1.0, 2.0]), integrality=np.ones(2), bounds=Bounds(1, 3))
    assert res.x.tolist() == [1.0, 1.0]


@pytest.mark.parametrize("error", [TypeError, OSError])
def test_a_c_library_that_cannot_be_loaded_leaves_the_solve_whole(monkeypatch: pytest.MonkeyPatch,
                                                                   error: type[Exception]) -> None:
    """Where the C library cannot be loaded as on Linux (Windows: ``ctypes.CDLL(None)`` is a TypeError), the solve
    still runs and gives its answer; nothing is flushed on the C side (s57 lead: every HiGHS solve raised there)."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise error("no C library by that name")

    monkeypatch.setattr(exact, "_libc", [])
    monkeypatch.setattr(exact.ctypes, "CDLL", refuse)
    res = exact.highs_milp(np.array([1.0, 2.0]), integrality=np.ones(2), bounds=Bounds(1, 3))
    assert res.x.tolist() == [1.0, 1.0]
    assert exact._libc == [None]

