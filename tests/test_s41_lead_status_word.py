"""One status, one word (session 41, audit G item 4, the editor's half): B2's caa522f made the field map, its legend
and the QGIS legend say the tables' word for a unit whose status is ``ok`` (value.status.ok: 符合规定 / "ok"); the
editor's unit card still said 符合规则 / "passes" for the same unit."""
from __future__ import annotations

import pytest

from yuanluo.gis.catalogue import text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_editor_card_says_the_tables_word_for_ok(lang: str) -> None:
    assert text("editor.status.ok", lang).casefold() == text("value.status.ok", lang).casefold()
