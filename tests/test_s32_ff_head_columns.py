"""Session 32, fixer FF: candidate-head columns are read under their usual spellings (a bracketed yes/no hint:
党员（是/否）, 院落长候选人(Y/N); a leading 是否/是否为: 是否为党员, 是否院落长候选人), and no other column is
(党员人数, 党员电话 …)."""

from __future__ import annotations

from pathlib import Path

import pytest

from yuanluo.gis.columns import head_columns
from yuanluo.gis.io import read_households


@pytest.mark.parametrize("name", ["党员（是/否）", "党员(是/否)", "是否为党员", "是否党员", "中共党员（Y/N）"])
def test_party_member_spellings_are_read(name: str) -> None:
    assert head_columns(["户号", name]) == ([name], [name])


@pytest.mark.parametrize("name", ["是否院落长候选人", "院落长候选人(是/否)", "院落长候选（是否）", "是否为返乡能人",
                                  "致富带头人【是/否】"])
def test_candidate_head_spellings_are_read(name: str) -> None:
    assert head_columns(["户号", name]) == ([name], [])


@pytest.mark.parametrize("name", ["党员人数", "党员电话", "是否党员人数", "党员人数(是/否)", "政治面貌(是/否)", "是否返乡",
                                  "是否", "(是/否)", "备注(是/否)", "院落(是/否)"])
def test_other_columns_are_not_candidate_heads(name: str) -> None:
    assert head_columns(["户号", name]) == ([], [])


def test_a_register_with_these_headers_reads_its_candidates(tmp_path: Path) -> None:
    p = tmp_path / "hh.csv"
    p.write_text("户号,经度,纬度,党员（是/否）,是否院落长候选人,党员人数\n"
                 "A1,106.5,29.5,是,否,2\nA2,106.5005,29.5,否,是,0\nA3,106.501,29.5,否,否,1\n", encoding="utf-8")
    hh = read_households(p, crs="EPSG:4490")
    hh = hh[0] if isinstance(hh, tuple) else hh
    assert hh["party_member"].tolist() == [True, False, False]
    assert hh["head_candidate"].tolist() == [True, True, False]
    assert hh["党员人数"].astype(str).tolist() == ["2", "0", "1"]  # a count, read as it is
