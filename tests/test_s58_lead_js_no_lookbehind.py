"""The pages' own scripts hold no regular expression a phone's older browser cannot read (session 58, lead).

A lookbehind (``(?<=…)``, ``(?<!…)``) or a named group (``(?<name>…)``) in a script is a syntax error in a browser
without them (Safari before 16.4, the system web view of many phones in the field): the whole script then does not
run, and the page shows a map with no card, no search and no legend. Session 54 took one out of ``Y.one``'s pattern;
session 58's ``Y.fixWhole`` (the unit cards' fix row) brought one back in ``yuanluo.js``. Every own asset is read
here, with its comments, since a pattern is written in a script as it is.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ASSETS = Path(__file__).resolve().parents[1] / "maps" / "assets"


@pytest.mark.parametrize("name", sorted(p.name for p in ASSETS.glob("*.js")))
def test_no_lookbehind_nor_named_group(name: str) -> None:
    lines = (ASSETS / name).read_text(encoding="utf-8").splitlines()
    found = [f"{name}:{i}" for i, line in enumerate(lines, 1) if "(?<" in line]
    assert found == []


def test_the_assets_are_read() -> None:
    assert {"yuanluo.js", "card.js", "search.js", "editor_ui.js"} <= {p.name for p in ASSETS.glob("*.js")}
