"""One status, one word (session 42, helper D): after caa522f and 69226be the map, its legend, QGIS and the editor
say 符合规定 / "ok" (value.status.ok) for a unit that keeps the rules, but the check report's unit table still said
合规 and the English print sheet of a unit "within the rule". Both now say the word the rest says."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from shared_fixtures import run_cli, two_town_result

from yuanluo.gis.catalogue import text


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return two_town_result(tmp_path_factory.mktemp("ok"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_check_report_says_the_status_word_of_the_tables(result: Path, tmp_path: Path, lang: str) -> None:
    run_cli(["--lang", lang, "check", str(result), "--min", "4", "--max", "8", "--report", str(tmp_path / "r.html")],
            lang)
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    cells = re.findall(r"<td class='nw'>([^<]*)</td>", html)
    statuses = {c for c in cells if not c.startswith("U")}
    assert statuses == {text("value.status.ok", lang)}, statuses  # every unit of the result keeps the rules
    if lang == "zh":
        assert "<td class='nw'>合规</td>" not in html


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_unit_print_sheet_says_the_status_word_of_the_tables(result: Path, tmp_path: Path, lang: str) -> None:
    run_cli(["--lang", lang, "map", str(result), "-o", str(tmp_path / "m.png"), "--per-unit", str(tmp_path / "u.pdf"),
             "-q"], lang)
    words = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(tmp_path / "u.pdf"), "-"], capture_output=True,
                           text=True, check=True).stdout
    size = next(line for line in words.splitlines() if line.startswith(("户数", "Size")))
    assert size.replace(" ", "").endswith(text("value.status.ok", lang)), size
    assert "within the rule" not in words
