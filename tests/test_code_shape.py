"""The shape of the code: no function in ``gis/`` over about 80 lines, except the few named here with a reason."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 80

#: "module.py:function" -> why it may be longer
EXCEPTIONS: dict[str, str] = {}


def _long_functions(folder: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for path in sorted((ROOT / folder).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                body_start = node.body[0].lineno
                if isinstance(node.body[0], ast.Expr) and isinstance(getattr(node.body[0], "value", None), ast.Constant):
                    body_start = node.body[0].end_lineno + 1 if len(node.body) > 1 else node.body[0].lineno
                lines = (node.end_lineno or node.lineno) - body_start + 1
                if lines > MAX_LINES:
                    out[f"{path.relative_to(ROOT / folder).as_posix()}:{node.name}"] = lines
    return out


def test_no_long_functions_in_gis() -> None:
    long = {k: v for k, v in _long_functions("gis").items() if k not in EXCEPTIONS}
    assert long == {}, f"functions over {MAX_LINES} lines (docstring not counted): {long}"
