"""Audit s33 (AC) defects of ``yuanluo maturity``: a sheet made for another delineation, a total row, the
wording of the cell lists."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from yuanluo.gis.errors import InputError
from yuanluo.gis.maturity import read_scores
from yuanluo.gis.output import write_layers
from yuanluo.maps.sample import sample_layers
from yuanluo.planners import maturity as M

HEAD = "院落编号,评估期,政策宣讲-内容,政策宣讲-效果,政策宣讲-满意度\n"


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("fk")
    write_layers(d / "result.gpkg", {k: v for k, v in sample_layers(100, block=5).items() if k != "run"})
    return d / "result.gpkg"


def _filled(result: Path, out: Path, edit: dict[str, object]) -> Path:
    wb = openpyxl.load_workbook(M.write_template(result, out.with_name("t_" + out.name)))
    ws = wb.worksheets[0]
    ws["F2"], ws["I2"], ws["J2"], ws["K2"] = "2026Q1", 8, 7, 9
    ws["F3"], ws["I3"], ws["J3"], ws["K3"] = "2026Q1", 5, 6, 7
    for cell, value in edit.items():
        ws[cell] = value
    wb.save(out)
    return out


def test_a_sheet_for_another_delineation_is_refused_naming_rows_and_values(result: Path, tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(M.write_template(result, tmp_path / "probe.xlsx")).worksheets[0]
    assert ws["E1"].value == "户数" and isinstance(ws["E3"].value, int)
    wrong = ws["E3"].value + 34
    bad = _filled(result, tmp_path / "other.xlsx", {"E3": wrong})
    with pytest.raises(InputError) as e:
        M.load_scores(result, bad, tmp_path / "m.gpkg")
    [p] = [p for p in e.value.problems if p.code == "MAT-UNIT-MISMATCH"]
    assert list(p.rows) == [3]
    zh, en = p.message("zh"), p.message("en")
    assert f"E3 户数={wrong}（结果为 {ws['E3'].value}）" in zh and "yuanluo maturity template" in zh
    assert f"E3 Households={wrong} (the result has {ws['E3'].value})" in en and "户" not in en
    assert str(result) in p.fix("en")
    assert not (tmp_path / "m.gpkg").exists()
    # the fix the message gives: blank program columns (a hand-made sheet) are not compared
    ok = _filled(result, tmp_path / "cleared.xlsx", {"C3": None, "D3": None, "E3": None})
    res = M.load_scores(result, ok, tmp_path / "m2.gpkg")
    assert int(res.scores["score"].notna().sum()) == 6
    # another village in the village cell is a mismatch too
    bad2 = _filled(result, tmp_path / "village.xlsx", {"C2": "别村"})
    with pytest.raises(InputError) as e2:
        M.load_scores(result, bad2, tmp_path / "m3.gpkg")
    assert "C2 村=别村" in e2.value.problems[0].message("zh")


@pytest.mark.parametrize("word", ["合计", "小 计", "Total", "SUM", "总计"])
def test_a_total_row_is_skipped_with_one_warning(tmp_path: Path, word: str) -> None:
    p = tmp_path / "s.csv"
    p.write_text(HEAD + "U1,2026Q1,7,8,9\nU2,2026Q1,5,5,5\n" + f"{word},,12,13,14\n", encoding="utf-8")
    t = read_scores(p, ["U1", "U2"])
    assert sorted(set(t["unit_id"])) == ["U1", "U2"]
    [w] = [w for w in t.attrs["warnings"] if w.code != "MAT-COLUMN-FEW"]
    assert w.code == "MAT-TOTAL-ROW" and w.severity == "warning"
    assert f"A4={word}" in w.message("zh") and "合计行" in w.message("zh") and "total rows" in w.message("en")


def test_cell_lists_are_worded_per_language(tmp_path: Path) -> None:
    p = tmp_path / "s.csv"
    rows = "".join(f"U{i},,7,7,7\n" for i in range(1, 16)) + "X1,1,7,7,7\nX2,1,7,7,7\n"
    p.write_text(HEAD + rows, encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_scores(p, [f"U{i}" for i in range(1, 16)])
    by = {q.code: q for q in e.value.problems}
    period, unknown = by["MAT-PERIOD"], by["MAT-UNIT-UNKNOWN"]
    assert "B13 等另 3 格" in period.message("zh") and "(+" not in period.message("zh")
    assert "B13 … (+3 more)" in period.message("en")
    assert "--period" in period.fix("zh") and "--period" in period.fix("en")
    assert "A17=X1、A18=X2" in unknown.message("zh") and "A17=X1, A18=X2" in unknown.message("en")


def test_sheet_name_is_spaced_like_the_other_messages(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "一季度"
    wb.active.append(["院落编号", "评估期", "政策宣讲-内容", "政策宣讲-效果", "政策宣讲-满意度"])
    wb.active.append(["U1", "2026Q1", 7, 7, 7])
    wb.create_sheet("说明").append(["x"])
    wb.save(tmp_path / "few.xlsx")
    t = read_scores(tmp_path / "few.xlsx", ["U1"])
    [w] = t.attrs["warnings"]
    assert w.code == "MAT-COLUMN-FEW" and "few.xlsx 的工作表“一季度”没有" in w.message("zh")


def test_a_village_continued_on_the_next_page_is_named_there(tmp_path: Path) -> None:
    import numpy as np
    import pandas as pd

    from yuanluo.gis.maturity import CATEGORY_KEYS, INDICATOR_KEYS, maturity_table, village_summary

    ids = [f"U{i:03d}" for i in range(34)]  # the auditor's shape: 乙村 23 units first, then 甲村 11
    vmap = {u: "乙村" if i < 23 else "甲村" for i, u in enumerate(ids)}
    rng = np.random.default_rng(5)
    sc = pd.DataFrame([(u, "P1", c, k, int(rng.integers(1, 11))) for u in ids for c in CATEGORY_KEYS
                       for k in INDICATOR_KEYS], columns=["unit_id", "period", "category", "indicator", "score"])
    sc["score"] = sc["score"].astype("Int64")
    t = maturity_table(sc, ids)
    v = village_summary(t, vmap)
    v = pd.concat([v[v.village == "乙村"], v[v.village == "甲村"]])
    pages = M._layout(t, vmap, v)
    assert len(pages) == 2
    for page in pages:  # every page of units opens with the heading of their village
        assert page[0][0] in ("village", "continued")
        assert all(page[k][0] != "village" or page[k + 1][0] == "units" for k in range(len(page)))
    kind, s = pages[1][0]
    assert kind == "continued" and s["village"] == "甲村"
    for lang, want in (("zh", "甲村（续）"), ("en", "甲村 (continued)")):
        fig = M._page_figure(pages[1], period="P1", number=2, pages=2, lang=lang, names={})
        assert want in [x.get_text() for x in fig.texts]


def test_the_png_help_says_what_the_sheet_does() -> None:
    from yuanluo.gis.catalogue import text

    zh, en = text("cli.opt.maturity_png", "zh"), text("cli.opt.maturity_png", "en")
    assert "每村一页" not in zh and "one page per village" not in en
    assert "续" in zh and "continued" in en


def test_n_compared_has_an_alias_and_n_full_says_what_it_counts(result: Path, tmp_path: Path) -> None:
    import sqlite3

    from yuanluo.gis.layerstyle import field_alias

    assert field_alias("n_compared", "zh") == "两期均评类别数"
    assert field_alias("n_compared", "en") == "Categories rated in both periods"
    assert field_alias("n_full", "zh") == "六类全评院落数" and field_alias("n_full", "en") == "Units with all six rated"
    M.load_scores(result, _filled(result, tmp_path / "f.xlsx", {}), tmp_path / "m.gpkg")
    with sqlite3.connect(tmp_path / "m.gpkg") as con:
        names = dict(con.execute("SELECT column_name, name FROM gpkg_data_columns WHERE table_name = ?",
                                 ("unit_maturity",)).fetchall())
        full = con.execute("SELECT name FROM gpkg_data_columns WHERE table_name = 'village_maturity' "
                           "AND column_name = 'n_full'").fetchone()
    assert names.get("n_compared") == "两期均评类别数" and full == ("六类全评院落数",)
    import pandas as pd

    from yuanluo.gis.output import csv_in_words

    header = csv_in_words(pd.DataFrame({"n_compared": [5], "change_mean": [0.5]}), "unit_maturity", "zh").columns
    assert list(header) == ["两期均评类别数", "平均分变化"]


def test_out_write_claims_no_original_file_where_there_may_be_none(tmp_path: Path) -> None:
    from yuanluo.gis.errors import problem

    p = problem("OUT-WRITE", target=str(tmp_path / "new.gpkg"), reason="ENOENT",
                cause={"zh": "目录不存在", "en": "no such folder"})
    assert "原文件未改动" not in p.message("zh") and "已有的同名文件（如有）未改动" in p.message("zh")
    assert "any existing file is unchanged" in p.message("en")
