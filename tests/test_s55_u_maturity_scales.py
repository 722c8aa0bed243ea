"""Score sheets filled on the other common scales (session 55, helper U): out of 100 was MAT-SCALE (s54); a sheet
of fractions (0.74, a cell formatted as a percentage), of stars (★★★★, 4星, 四星级) or of percentages (74%) said
MAT-SCORE once per score column, 18 errors with the same fix; a sheet scored out of 5 (stars written as numbers)
was read without a word, each 4 taken for 4 out of 10. Now the first three are one MAT-SCALE naming the sheet, the
cells and the scale the template expects; a sheet whose scores are all from 1 to 5 (36 or more) is the warning
MAT-SCALE-FIVE, read as given (low scores out of 10 are possible). All but the two guards fail on 1c576a0."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from yuanluo.gis.errors import InputError
from yuanluo.gis.maturity import read_scores

UNITS = [f"U{i:03d}" for i in range(1, 7)]
CATS = ["政策宣讲", "协商议事", "矛盾调处", "环境整治", "文明乡风", "庭院经济"]
HEADER = ["院落编号", "评估期"] + [f"{c}-{i}" for c in CATS for i in ("开展内容", "实际效果", "群众满意度")]


def _sheet(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评分表"
    ws.append(HEADER)
    for u, row in zip(UNITS, rows, strict=False):
        ws.append([u, "2026Q4", *row])
    wb.save(path)
    return path


def _grid(values: list[object]) -> list[list[object]]:
    return [[values[(i * 18 + j) % len(values)] for j in range(18)] for i in range(len(UNITS))]


@pytest.mark.parametrize(("values", "lang", "said"), [
    ([0.6, 0.74, 0.8, 0.9], "zh", ["像是按比例（0–1，如 0.74 即 74%）打的分：108 个分数中有 108 个大于 0、小于 1（C2=0.6、D2=0.74",
                                  "处理办法：把每个分数换成 1–10 的整数（0.74 写 7），再读入；单元格若设成了百分比格式，先改回常规格式"]),
    ([0.6, 0.74, 0.8, 0.9], "en", ["looks scored as fractions of 1 (0.74 for 74%): 108 of its 108 scores are above 0 and "
                                  "below 1 (C2=0.6, D2=0.74", "Fix: write each score as a whole number from 1 to 10 (0.74 as 7)"]),
    (["★★★", "★★★★", "★★★★☆", "4星", "五星级"], "zh", ["是按星级打的分：108 个分数中有 108 个写成星级（C2=★★★、D2=★★★★、",
                                                  "处理办法：把每个星级换成 1–10 的整数（五星制的 4 星写 8），再读入"]),
    (["★★★", "★★★★"], "en", ["is scored in stars: 108 of its 108 scores are written as stars (C2=★★★, D2=★★★★, ",
                            "Fix: write each as a whole number from 1 to 10 (4 stars out of 5 as 8)"]),
    (["74%", "81%", "90%"], "en", ["looks scored out of 100: 108 of its 108 scores are above 10 and at most 100 (C2=74%, ",
                                  "74 out of 100 as 7"])])
def test_a_sheet_on_another_scale_is_one_problem(tmp_path: Path, values: list[object], lang: str,
                                                   said: list[str]) -> None:
    with pytest.raises(InputError) as exc:
        read_scores(_sheet(tmp_path / "评分.xlsx", _grid(values)), UNITS)
    assert exc.value.codes == ["MAT-SCALE"], exc.value.codes
    text = " ".join(exc.value.render(lang).split())
    for s in said:
        assert s in text, text


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "评分表 评分.xlsx 像是按 5 分制（或五星）打的分：108 个分数全都在 1–5 分之间，而这张表每项按 1–10 分打，满分 10 分。"),
    ("en", "the score sheet 评分.xlsx looks scored out of 5 (or in five stars): all its 108 scores are from 1 to 5, where "
           "each is scored from 1 to 10, 10 the best.")])
def test_a_sheet_scored_out_of_five_is_read_and_said(tmp_path: Path, lang: str, said: str) -> None:
    got = read_scores(_sheet(tmp_path / "评分.xlsx", _grid([3, 4, 5, 4, 2])), UNITS)
    assert got["score"].max() == 5 and len(got) == 108  # read as given
    (w,) = [w for w in got.attrs["warnings"] if w.code == "MAT-SCALE-FIVE"]
    assert w.severity == "warning" and said in w.title(lang), w.title(lang)
    assert ("乘以 2（4 分写 8）" if lang == "zh" else "double each score (4 as 8)") in w.fix(lang)


def test_a_sheet_out_of_ten_or_a_short_one_is_no_scale_warning(tmp_path: Path) -> None:
    got = read_scores(_sheet(tmp_path / "十分.xlsx", _grid([3, 4, 6, 4, 2])), UNITS)  # one 6: out of 10
    assert not [w for w in got.attrs["warnings"] if w.code.startswith("MAT-SCALE")]
    got = read_scores(_sheet(tmp_path / "一户.xlsx", _grid([3, 4, 5])[:1]), UNITS)  # one unit's 18 scores
    assert not [w for w in got.attrs["warnings"] if w.code.startswith("MAT-SCALE")]


def test_a_stray_fraction_in_a_sheet_out_of_ten_is_said_by_its_column(tmp_path: Path) -> None:
    rows = _grid([7, 8, 9])
    rows[1][2] = 0.5
    with pytest.raises(InputError) as exc:
        read_scores(_sheet(tmp_path / "十分.xlsx", rows), UNITS)
    assert exc.value.codes == ["MAT-SCORE"]
