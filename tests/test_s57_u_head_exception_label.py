"""HEAD-EXCEPTION's short name, where a check's report lists its findings and units and the map's card lists the
exception units, is plain (session 57, helper U): it was "无法避免的院落长候选人例外" (13 characters, an "exception"
of a "candidate" to a town official) / "unavoidable head exception". It says now what the finding says, the area's
candidate heads are too few to go round: "片区院落长候选人不够分" / "too few head candidates to go round", apart from
PLAN-FEW-HEADS' "院落长候选人不足" (a unit with fewer than the two heads its size needs).

Fixture: 40 households of one group, one candidate head (H3), changshou's 15–25: two units, one without a candidate.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.gis.catalogue import text
from yuanluo.planners.cli import app

runner = CliRunner()
WORDS = {"zh": "片区院落长候选人不够分", "en": "too few head candidates to go round"}


def _village(d: Path) -> Path:
    f = d / "农户.csv"
    rows = ["户号,经度,纬度,村,组,院落长候选"]
    rows += [f"H{i},{106.55 + 0.0004 * (i % 8):.4f},{29.56 + 0.0004 * (i // 8):.4f},新华村,一组,{'是' if i == 3 else ''}"
             for i in range(1, 41)]
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return f


def test_the_label_is_short_and_not_the_other_head_findings() -> None:
    for lang, words in WORDS.items():
        assert text("check.label.HEAD-EXCEPTION", lang) == words
    assert len(WORDS["zh"]) <= 11 and "例外" not in WORDS["zh"] and "exception" not in WORDS["en"]
    assert WORDS["zh"] != text("check.label.PLAN-FEW-HEADS", "zh") and "院落长候选人" in WORDS["zh"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_checks_report_and_map_say_the_short_words(tmp_path: Path, lang: str) -> None:
    res = tmp_path / "u.gpkg"
    out = runner.invoke(app, ["--lang", lang, "delineate", str(_village(tmp_path)), "--crs", "EPSG:4490", "--preset",
                              "changshou", "-o", str(res), "-q"])
    assert out.exit_code == 0, out.output
    report, page = tmp_path / "r.html", tmp_path / "m.html"
    out = runner.invoke(app, ["--lang", lang, "check", str(res), "--report", str(report), "--map", str(page), "-q"])
    assert out.exit_code == 0 and "HEAD-EXCEPTION" in report.read_text(encoding="utf-8"), out.output
    plain = re.sub(r"<[^>]+>", "", report.read_text(encoding="utf-8"))
    assert f"{WORDS[lang]}{text('report.code_words', lang, label='', code='HEAD-EXCEPTION')}" in plain
    card = json.loads(re.search(r"var R = (\{.*?\});\n", page.read_text(encoding="utf-8")).group(1))  # the card's data
    assert card["excWords"] == [WORDS[lang]], card["excWords"]
