"""Every ``problem("CODE", …)`` written in the code gives the fields its catalogue sentences use.

A missing field is shown as it is written (``{targets}``) in the user's message: the print map's OUT-EXISTS
said "the output already exists: {targets}" (session 26). This reads every call with a literal code and no
``**`` spread (those are left to the tests of their modules) and compares its keywords with the title and fix
of the code in both languages.
"""

from __future__ import annotations

import ast
from pathlib import Path

from yuanluo.gis.catalogue import LANGS, catalogue, fields_of

ROOT = Path(__file__).resolve().parents[1]
#: fields :class:`yuanluo.gis.errors.Problem` fills itself
GIVEN = {"file", "count", "examples"}


def _calls() -> list[tuple[str, int, str, set[str]]]:
    out = []
    for path in sorted(p for d in ("gis", "planners", "maps") for p in (ROOT / d).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None))
                    == "problem" and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                continue
            if any(k.arg is None for k in node.keywords):  # problem(code, **params): fields not known here
                continue
            out.append((f"{path.relative_to(ROOT)}:{node.lineno}", node.lineno, node.args[0].value,
                        {k.arg for k in node.keywords if k.arg}))
    return out


def test_every_problem_written_in_the_code_gives_the_fields_of_its_sentences() -> None:
    cat = catalogue()
    calls = _calls()
    assert len(calls) > 200  # the reading finds the calls
    missing = []
    for where, _, code, given in calls:
        entry = cat.get(code)
        if entry is None:  # unknown codes are test_catalogue's
            continue
        need = {f for lang in LANGS for fld in ("title", "fix") for f in fields_of(entry[lang].get(fld) or "")}
        if need - given - GIVEN:
            missing.append((where, code, sorted(need - given - GIVEN)))
    assert not missing, missing


def test_every_catalogue_text_called_by_its_key_gets_the_fields_it_uses() -> None:
    """The same for ``text("key", lang, …)`` and the console's ``msg("key", …)`` with a literal key."""
    cat = catalogue()
    seen, missing = 0, []
    for path in sorted(p for d in ("gis", "planners", "maps") for p in (ROOT / d).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None))
                    in ("text", "msg") and node.args and isinstance(node.args[0], ast.Constant)
                    and node.args[0].value in cat) or any(k.arg is None for k in node.keywords):
                continue
            field = "text"
            if len(node.args) >= 3:
                if not isinstance(node.args[2], ast.Constant):
                    continue
                field = str(node.args[2].value)
            seen += 1
            entry = cat[node.args[0].value]
            need = {f for lang in LANGS for f in fields_of(entry[lang].get(field) or "")}
            if need - {k.arg for k in node.keywords if k.arg}:
                missing.append((f"{path.relative_to(ROOT)}:{node.lineno}", node.args[0].value, sorted(need)))
    assert seen > 200
    assert not missing, missing
