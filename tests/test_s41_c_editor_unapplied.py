"""Session 41, helper C: the editor said RULE-UNAPPLIED for found settlements in the old, short words.

A result delineated from a household file without a settlement column, with settlements kept whole: the delineation
found the settlements itself. ``yuanluo check`` of it says so (session 40, 086560d: 保持自然院落完整（农户表没有自然院落
列：划分时已按步行距离自行识别自然院落…）), but ``yuanluo edit`` of the same result wrote a page saying only
保持自然院落完整（农户表没有自然院落列）, as if the rule had been left out. The page now names the rules it cannot check in
the check's words (RULE-UNAPPLIED of :func:`yuanluo.planners.workflows.rule_columns`), its own head sentence kept
(``edit`` has no --head-col).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from shared_fixtures import run_cli

from yuanluo.gis.catalogue import text


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twelve households in two clusters of six, no settlement or candidate-head column, rules of 4–8 keeping
    settlements whole and asking for a head: delineated."""
    folder = tmp_path_factory.mktemp("edit_unapplied")
    rows = ["户编号,经度,纬度,组"]
    rows += [f"H{i:02d},{106.55 + 0.0003 * i + (0.004 if i >= 6 else 0):.6f},29.560000,一组" for i in range(12)]
    hh, rf = folder / "hh.csv", folder / "r.toml"
    hh.write_text("\n".join(rows) + "\n", encoding="utf-8")
    rf.write_text("[rules]\nmin_size = 4\nmax_size = 8\nnest_by = [\"组\"]\nkeep_settlements = true\n", encoding="utf-8")
    out = folder / "out.gpkg"
    run_cli(["delineate", str(hh), "--crs", "EPSG:4490", "--rules", str(rf), "-o", str(out), "-q"])
    return out


def _unchecked(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    data = re.search(r'id="yl-editor-data">(.*?)</script>', html, re.S)
    assert data is not None
    return str(json.loads(data.group(1))["unchecked"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_editor_says_the_settlements_were_found_as_check_does(result: Path, tmp_path: Path, lang: str) -> None:
    page = tmp_path / "edit.html"
    run_cli(["--lang", lang, "edit", str(result), "-o", str(page), "-q"], lang)
    said = _unchecked(page)
    checked = run_cli(["--lang", lang, "check", str(result)], lang, code=0)
    found = text("cli.unapplied.settle_found.check", lang)
    # the old page: 保持自然院落完整（农户表没有自然院落列）, the rule as if left out
    assert found in said, said
    assert found in " ".join(checked.split()) or found.replace(" ", "") in "".join(checked.split()), checked
    # the page's own head sentence (edit has no --head-col), as before
    assert text("editor.unapplied.head", lang) in said, said
    assert said.startswith(text("cli.unapplied.check", lang, items="")[:4]), said
