"""The Examples in the docstrings run, as the installed modules (``yuanluo.gis.*`` …), in CI."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import yuanluo


def _modules() -> list[str]:
    names = ["yuanluo"]
    for info in pkgutil.walk_packages(yuanluo.__path__, "yuanluo."):
        names.append(info.name)
    for sub in ("gis", "planners", "maps"):
        pkg = importlib.import_module(f"yuanluo.{sub}")
        names.extend(i.name for i in pkgutil.walk_packages(pkg.__path__, f"yuanluo.{sub}."))
    return sorted(set(names))


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} doctest examples failed in {name}"
