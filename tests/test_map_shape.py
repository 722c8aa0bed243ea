"""The shape of the map and report code: no function over 80 lines, no script or stylesheet text in Python."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 80
FILES = ("maps/interactive.py", "maps/offline.py", "maps/style.py", "maps/sample.py", "maps/hillshade.py",
         "planners/report.py")


def _body_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines of a function without its docstring (as tests/test_code_shape.py counts them)."""
    start = node.body[0].lineno
    first = node.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and len(node.body) > 1:
        start = (first.end_lineno or first.lineno) + 1
    return (node.end_lineno or node.lineno) - start + 1


def test_no_long_functions() -> None:
    long = {}
    for rel in FILES:
        for node in ast.walk(ast.parse((ROOT / rel).read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _body_lines(node) > MAX_LINES:
                long[f"{rel}:{node.name}"] = _body_lines(node)
    assert long == {}


def test_no_javascript_in_python_strings() -> None:
    """The page's JavaScript lives in maps/assets/*.js: no Python string of the map module holds a
    function definition or a Leaflet call (the one-line folium macro that wraps each asset aside)."""
    tree = ast.parse((ROOT / "maps/interactive.py").read_text(encoding="utf-8"))
    code_like = re.compile(r"function\s*\(|L\.(Control|Layer|DomUtil)\b|\.addTo\(")
    hits = [n.lineno for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and code_like.search(n.value)
            and "{% macro script" not in n.value]
    assert hits == []
