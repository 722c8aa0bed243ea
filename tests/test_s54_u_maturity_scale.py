"""A score sheet filled out of 100 is one problem (session 54, helper U, second round): maturity load of the
template scored 60–100 said MAT-SCORE once per score column, 18 errors each naming 12 cells and the same fix.
Where at least half of a sheet's filled scores are above 10 and at most 100, MAT-SCALE says the sheet looks scored
out of 100, how many of its scores, their cells, and to write 74 as 7; a stray 0 or 11 in a sheet scored 1–10 is
MAT-SCORE as before. Fails on 1173cd6."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pytest

from yuanluo.gis.errors import InputError
from yuanluo.gis.maturity import read_scores

UNITS = [f"U{i:03d}" for i in range(1, 7)]
CATS = ["政策宣讲", "协商议事", "矛盾调处", "环境整治", "文明乡风", "庭院经济"]
HEADER = ["院落编号", "评估期"] + [f"{c}-{i}" for c in CATS for i in ("开展内容", "实际效果", "群众满意度")]


def _sheet(path: Path, scores: np.ndarray) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评分表"
    ws.append(HEADER)
    for u, row in zip(UNITS, scores.tolist(), strict=True):
        ws.append([u, "2026Q4", *row])
    wb.save(path)
    return path


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "像是按百分制打的分：108 个分数中有 107 个在 10 分以上、100 分以内（C2=60、D2=61、"),
    ("en", "looks scored out of 100: 107 of its 108 scores are above 10 and at most 100 (C2=60, D2=61, ")])
def test_a_sheet_scored_out_of_100_is_one_problem(tmp_path: Path, lang: str, said: str) -> None:
    scores = 60 + np.arange(6 * 18).reshape(6, 18) % 41
    scores[3, 4] = 8  # one score on the right scale among them
    with pytest.raises(InputError) as exc:
        read_scores(_sheet(tmp_path / "百分制.xlsx", scores), UNITS)
    assert exc.value.codes == ["MAT-SCALE"], exc.value.codes
    text = exc.value.render(lang)
    assert said in text and ("74 分写 7" if lang == "zh" else "74 out of 100 as 7") in text, text


def test_stray_scores_above_10_are_said_by_their_columns(tmp_path: Path) -> None:
    scores = 1 + np.arange(6 * 18).reshape(6, 18) % 10
    scores[0, 0], scores[2, 5] = 11, 0
    with pytest.raises(InputError) as exc:
        read_scores(_sheet(tmp_path / "十分制.xlsx", scores), UNITS)
    assert exc.value.codes == ["MAT-SCORE", "MAT-SCORE"]
    # a sheet half scored out of 100 (its units' rows copied from another county's form)
    scores[3:] = 70
    with pytest.raises(InputError) as exc:
        read_scores(_sheet(tmp_path / "一半.xlsx", scores), UNITS)
    # the 11 among the scores out of 100, the 0 on no scale
    assert exc.value.codes == ["MAT-SCALE", "MAT-SCORE"], exc.value.codes
    assert "H4=0" not in exc.value.problems[0].title("en") and exc.value.problems[1].title("en").endswith(": H4=0.")
