"""Session 41 (audit H item 3): the check, cover and maturity reports and the print maps printed the clock's day
(``report_date()``, ``sheet_facts``'s fallback; the run record has held no clock time since dc0255f), so the same
result checked or printed before and after midnight gave two different files. They now carry the day of their
data (``gis.output.data_date``: ``SOURCE_DATE_EPOCH`` when set, else the day the newest input file was last
changed), labelled 数据日期 / "Data as of"."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from shared_fixtures import pdf_pages, run_cli, two_town_result

DAY = "2021-03-04"
T = 1614859200  # 2021-03-04 12:00 UTC


@pytest.fixture
def result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    res = two_town_result(tmp_path)
    os.utime(res, (T, T))
    return res


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_print_map_carries_the_day_of_its_result(result: Path, tmp_path: Path, lang: str) -> None:
    pdf = tmp_path / "m.pdf"
    run_cli(["map", str(result), "-o", str(pdf)], lang)
    words = " ".join(w[4] for page in pdf_pages(pdf.read_bytes(), tmp_path) for w in page)
    said = {"zh": f"数据日期：{DAY}", "en": f"Data as of {DAY}"}[lang]
    assert said.replace(" ", "") in words.replace(" ", ""), words


def test_the_check_report_carries_the_day_of_its_data(result: Path, tmp_path: Path) -> None:
    report = tmp_path / "r.html"
    run_cli(["check", str(result), "--min", "4", "--max", "8", "--report", str(report)], "zh")
    page = report.read_text(encoding="utf-8")
    assert DAY in page and "数据日期" in page


def test_a_newer_plan_gives_its_day(result: Path, tmp_path: Path) -> None:
    """The plan checked is newer than the households: the report is of the plan's day."""
    from yuanluo.gis.output import data_date

    plan = tmp_path / "plan.csv"
    plan.write_text("户编号,院落编号\n", encoding="utf-8")
    later = T + 86400 * 30
    os.utime(plan, (later, later))
    assert data_date(result, f"{plan}::x", None) == "2021-04-03"
    assert data_date(result) == DAY
