"""``yuanluo edit`` says on the console the rules its page cannot check (RULE-UNAPPLIED), as the page says them.

A result delineated from a household file without a settlement, village or candidate-head column: the editor page
names the three rules it cannot check (c3f0357: in the check's words), but ``yuanluo edit`` printed only
已写出 e.html（12 户，2 个院落，0.3 MB）。 / Wrote e.html (…), where ``check`` and ``delineate`` of the same files print
a coded RULE-UNAPPLIED line. It now prints that line (the page's sentence) and the fix of each rule; ``-q`` none.
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
    """Twelve households in two clusters of six, one 组 column only; rules of 4–8 nesting by 组 and village,
    keeping settlements whole and asking for a head: delineated."""
    folder = tmp_path_factory.mktemp("edit_unapplied_console")
    rows = ["户编号,经度,纬度,组"]
    rows += [f"H{i:02d},{106.55 + 0.0003 * i + (0.004 if i >= 6 else 0):.6f},29.560000,一组" for i in range(12)]
    hh, rf = folder / "hh.csv", folder / "r.toml"
    hh.write_text("\n".join(rows) + "\n", encoding="utf-8")
    rf.write_text('[rules]\nmin_size = 4\nmax_size = 8\nnest_by = ["组", "village"]\nkeep_settlements = true\n',
                  encoding="utf-8")
    out = folder / "out.gpkg"
    run_cli(["delineate", str(hh), "--crs", "EPSG:4490", "--rules", str(rf), "-o", str(out), "-q"])
    return out


def _unchecked(page: Path) -> str:
    data = re.search(r'id="yl-editor-data">(.*?)</script>', page.read_text(encoding="utf-8"), re.S)
    assert data is not None
    return str(json.loads(data.group(1))["unchecked"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_edit_prints_the_rules_its_page_cannot_check(result: Path, tmp_path: Path, lang: str) -> None:
    page = tmp_path / "e.html"
    said = run_cli(["--lang", lang, "edit", str(result), "-o", str(page)], lang)
    unchecked = _unchecked(page)
    assert unchecked, "the page names the rules it cannot check"
    line = f"{text('problem.warning', lang)} RULE-UNAPPLIED{text('punct.colon', lang)}{unchecked}"
    assert line in said.splitlines(), said  # the page's sentence, coded as check and delineate print it
    fixes = [s for s in said.splitlines() if s.startswith("  " + text("problem.fix", lang, fix="")[:3])]
    assert len(fixes) == 3, said  # village, settlement, head: each rule's fix
    assert any("keep_settlements = false" in f for f in fixes), fixes
    assert said.index("RULE-UNAPPLIED") < said.index(page.name), said  # before the written line, as delineate
    if lang == "en":
        assert not re.search(r"[\u4e00-\u9fff]", said.replace("组", "")), said  # the column's name is data
    else:
        assert "Not checked" not in said and "Fix:" not in said, said
    quiet = run_cli(["--lang", lang, "edit", str(result), "-o", str(tmp_path / "q.html"), "-q"], lang)
    assert "RULE-UNAPPLIED" not in quiet, quiet  # -q: the outcome and errors only, as check and delineate

