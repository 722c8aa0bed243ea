"""A finding's fix keeps an option and its value on one line on a phone (s58 P).

The check report keeps an option (``--rules``) and a range of numbers (``20–50``) in a finding's message or fix on one
line (``planners.report.message_html``, s52 E), but not an option with its value: a plan whose ids lost their
leading zeros (PLAN-ID-ZEROS) is told to run "yuanluo repair -o plan.xlsx", and on a phone 390 px wide (en) the line
ended at "-o", "plan.xlsx" beginning the next; in Chinese "-o" and "方案.xlsx" came apart at 428 px (and at
286-314 px). An option is now kept with the word after it where that is its value (a file's name, a number, a
coordinate system, a placeholder in capitals, a preset's name), a short option (``-o``) too; a word of the sentence
after an option ("--rules or") is left as it was.
"""

from __future__ import annotations

import html
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from browser import browser_unavailable_reason, live_page
from test_s52_e_reports_sideways import lines_spanned
from test_s58_p_check_fix_words import RULES, _plan

from yuanluo.gis.check import check_plan
from yuanluo.planners.report import message_html, write_html

MESSAGES = Path(__file__).resolve().parents[1] / "gis" / "messages"


def _kept(msg: str) -> list[str]:
    return re.findall(r'<span class="nb">([^<]*)</span>', message_html(msg))


def test_an_option_is_kept_with_its_value_and_not_with_a_word_of_the_sentence() -> None:
    assert _kept("run yuanluo repair -o plan.xlsx again") == ["-o plan.xlsx"]  # was none: "-o" not an option
    assert _kept("再运行 yuanluo repair -o 方案.xlsx（保留前导零）") == ["-o 方案.xlsx"]
    assert _kept("give --rules r.toml or --preset banan, --crs gcj02.") == ["--rules r.toml", "--preset banan",
                                                                             "--crs gcj02"]
    assert _kept("--unit-col NAME, --max 20–50 户, --hubs 1+N") == ["--unit-col NAME", "--max 20–50", "--hubs 1+N"]
    # the words of a sentence stay outside; an option alone is kept whole as before, a short one left as it was
    assert _kept("with --rules or leave --basemap out; -v for more; 用 --fields 中点名时") == ["--rules", "--basemap",
                                                                                              "--fields"]
    # a value wider than a phone's line (a file's whole path) would overflow it: the option alone is kept
    assert _kept("--plan D:/村里/二〇二六年/第一批/院落方案表（定稿）.xlsx") == ["--plan"]


def _texts(x: Any) -> list[str]:
    return [x] if isinstance(x, str) else [t for v in x.values() for t in _texts(v)] if isinstance(x, dict) else []


def test_every_catalogue_text_reads_on_the_page_as_it_is() -> None:
    """What is kept on one line is only marked: the page's text of every catalogue text (zh, en, each version) is the
    text itself."""
    texts = [t for f in sorted(MESSAGES.glob("*.toml")) for t in _texts(tomllib.loads(f.read_text(encoding="utf-8")))]
    assert len(texts) > 1000
    for t in texts:
        assert html.unescape(re.sub(r"<[^>]+>", "", message_html(t))) == t, t


# each option with a file's name after it in a finding's message or fix, as drawn, and the lines it spans
PAIRS = lines_spanned("td.msg, p.fix", r"(?<![\w-])--?[A-Za-z][\w-]* [\w\u4e00-\u9fff]+\.(?:xlsx|gpkg|toml|csv)")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The check report (zh, en) of a plan table whose ids lost their leading zeros (PLAN-ID-ZEROS: "yuanluo repair
    -o plan.xlsx"), checked from Python as test_s58_p_check_fix_words checks it (its _plan, RULES)."""
    d = tmp_path_factory.mktemp("s58p")
    hh, g, labels, probs = _plan(d)
    res = check_plan(hh, labels, RULES, graph=g, plan_problems=probs)
    return {lang: write_html(res, d / f"report_{lang}.html", lang=lang) for lang in ("zh", "en")}


@pytest.mark.browser
@pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [360, 390, 414, 428])
def test_on_a_phone_an_option_and_its_file_stay_on_one_line(reports: dict[str, Path], lang: str, width: int) -> None:
    with live_page(reports[lang], viewport=(width, 800), ready="document.readyState == 'complete'",
                   touch=True) as (p, errors):
        pairs = p.evaluate(PAIRS)
        assert not errors, errors
    assert [x[0] for x in pairs] == [{"zh": "-o 方案.xlsx", "en": "-o plan.xlsx"}[lang]]
    assert pairs[0][1] == 1, pairs  # was 2: en at 390 px ("-o" | "plan.xlsx"), zh at 428 px
