"""The check report names files by their name alone, also in RULE-UNAPPLIED's fix (session 38, helper I).

``yuanluo check /…/u.gpkg --preset banan --report r.html`` of a result whose households lack the settlement and
candidate-head columns wrote in the report's findings "在农户表 ../../../../work/main/planners/sample/
andorra_ordino.gpkg 中补上…（结果 /tmp/…/u.gpkg 由它划分而来）": the folders of the machine that wrote it (the
source as the result's ``run`` table records it, the result as typed). Reports travel to other people; the
report's header already names the input by its file name. Now the fix names hh.csv and u.gpkg, as the header."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_fixtures import run_cli, two_town_result

WORDS = {"zh": "在农户表 hh.csv 中补上", "en": "to the household file hh.csv"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_names_the_source_and_the_result_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            lang: str) -> None:
    folder = tmp_path / "村 data"
    folder.mkdir()
    result = two_town_result(folder)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the result typed with its full path, its source recorded from another folder
    report = tmp_path / "r.html"
    out = run_cli(["--lang", lang, "check", str(result), "--preset", "banan", "--report", str(report),
                   "--json", str(tmp_path / "r.json")], lang=lang, code=1)
    assert "RULE-UNAPPLIED" in out, out
    for page in (report.read_text(encoding="utf-8"), (tmp_path / "r.json").read_text(encoding="utf-8")):
        assert "RULE-UNAPPLIED" in page
        assert WORDS[lang] in page and "u.gpkg" in page, page[:3000]
        assert str(tmp_path) not in page and "../" not in page  # the old fix: the folders of both files
