"""Six-sided service maturity: template, reading with coded cell errors, computing, SVG card, print sheet."""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyogrio
import pytest

from yuanluo.gis.catalogue import has
from yuanluo.gis.errors import InputError, OutputError
from yuanluo.gis.maturity import (
    CATEGORY_KEYS,
    INDICATOR_KEYS,
    SCORE_COLUMNS,
    category_maturity,
    fullness,
    hexagon_vertices,
    maturity_table,
    read_scores,
    village_summary,
)
from yuanluo.gis.output import write_layers
from yuanluo.maps.sample import sample_layers
from yuanluo.planners import maturity as M

FIRST_SCORE_COL = 9  # column I of the template


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A delineation result GeoPackage (16 units, one village)."""
    d = tmp_path_factory.mktemp("mat")
    layers = sample_layers(400, block=5)
    write_layers(d / "result.gpkg", {k: v for k, v in layers.items() if k != "run"})
    return d / "result.gpkg"


def _fill(template: Path, out: Path, periods: tuple[str, ...] = ("2026Q1",), seed: int = 0) -> dict[str, int]:
    """Fill the template: every 7th unit left untouched, ~10 % blanks; later periods copied below."""
    wb = openpyxl.load_workbook(template)
    ws = wb.worksheets[0]
    n_units = ws.max_row - 1
    rng = np.random.default_rng(seed)
    base = [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_row=ws.max_row)]
    counts = {"filled": 0, "blank": 0}
    for k, per in enumerate(periods):
        for i, values in enumerate(base):
            r = 2 + k * n_units + i
            for j, v in enumerate(values[:5], start=1):
                ws.cell(r, j, v)
            if i % 7 == 6:
                continue
            ws.cell(r, 6, per)
            for c in range(FIRST_SCORE_COL, FIRST_SCORE_COL + 18):
                if rng.random() < 0.1:
                    counts["blank"] += 1
                    continue
                ws.cell(r, c, int(rng.integers(1, 11)))
                counts["filled"] += 1
    wb.save(out)
    return counts


# ------------------------------------------------------------------------------------------ numbers
def test_fullness_depends_on_the_order_not_the_mean() -> None:
    assert fullness([10, 1, 10, 1, 10, 1]) == pytest.approx(0.10)
    assert fullness([10, 10, 10, 1, 1, 1]) == pytest.approx(0.37)
    assert fullness([10] * 6) == 1.0 and fullness([1] * 6) == pytest.approx(0.01)
    assert np.isnan(fullness([5, 5, 5, 5, 5, np.nan]))
    # the shoelace area of the drawn vertices over the full hexagon is the same number
    for v in ([10, 1, 10, 1, 10, 1], [3, 9, 4, 7, 2, 8]):
        xy = hexagon_vertices(v)
        area = 0.5 * abs(np.dot(xy[:, 0], np.roll(xy[:, 1], -1)) - np.dot(xy[:, 1], np.roll(xy[:, 0], -1)))
        full = hexagon_vertices([10] * 6)
        full_area = 0.5 * abs(np.dot(full[:, 0], np.roll(full[:, 1], -1)) - np.dot(full[:, 1], np.roll(full[:, 0], -1)))
        assert area / full_area == pytest.approx(fullness(v))


def test_blank_is_unrated_never_zero_and_the_rule_is_configurable() -> None:
    a = np.full((6, 3), 6.0)
    a[2] = [9, np.nan, 3]
    assert np.isnan(category_maturity(a)[2])
    assert category_maturity(a, min_indicators=2)[2] == 6.0
    assert category_maturity(a, rule="min", min_indicators=2)[2] == 3.0
    a[2] = [9, 6, 3]
    assert category_maturity(a, rule={"content": 0, "effect": 0, "satisfaction": 1})[2] == 3.0
    assert category_maturity(a, rule="median")[2] == 6.0
    for bad in ("max", {"speed": 1}, {"content": -1}):
        with pytest.raises(InputError) as e:
            category_maturity(a, rule=bad)
        assert e.value.codes == ["MAT-RULE"]
    with pytest.raises(InputError):
        category_maturity(a, min_indicators=0)


def test_table_means_weakest_change_and_village_aggregates() -> None:
    rows = []
    for per, vals in (("P1", [5, 6, 7, 8, 9, 4]), ("P2", [6, 6, 7, 8, 9, 10])):
        for c, v in zip(CATEGORY_KEYS, vals, strict=True):
            rows += [("U1", per, c, i, v) for i in INDICATOR_KEYS]
    rows += [("U2", "P2", "policy", i, 2) for i in INDICATOR_KEYS]
    sc = pd.DataFrame(rows, columns=["unit_id", "period", "category", "indicator", "score"])
    t = maturity_table(sc, ["U1", "U2", "U3"]).set_index(["period", "unit_id"])
    assert len(t) == 6
    assert t.loc[("P1", "U1"), "mean"] == pytest.approx(6.5)
    assert t.loc[("P1", "U1"), "weakest"] == "economy"
    assert t.loc[("P2", "U1"), "weakest"] == "policy,consultation"
    assert t.loc[("P2", "U1"), "change_mean"] == pytest.approx(46 / 6 - 39 / 6)
    assert t.loc[("P2", "U1"), "fullness"] == pytest.approx(fullness([6, 6, 7, 8, 9, 10]))
    assert t.loc[("P2", "U2"), "n_rated"] == 1 and pd.isna(t.loc[("P2", "U2"), "fullness"])
    assert t.loc[("P2", "U3"), "n_rated"] == 0 and pd.isna(t.loc[("P2", "U3"), "mean"])
    s = village_summary(t.reset_index(), {"U1": "东村", "U2": "东村", "U3": "西村"}).set_index(["period", "village"])
    assert s.loc[("P2", "东村"), "policy"] == pytest.approx(4.0)          # (6 + 2) / 2
    assert s.loc[("P2", "东村"), "consultation"] == pytest.approx(6.0)    # U2 not rated there
    assert s.loc[("P2", "东村"), "n_full"] == 1 and s.loc[("P2", "西村"), "n_unrated"] == 1


# ------------------------------------------------------------------------------------------ template
def test_template_has_every_unit_validation_and_chinese_instructions(result: Path, tmp_path: Path) -> None:
    p = M.write_template(result, tmp_path / "成熟度评分表.xlsx")
    wb = openpyxl.load_workbook(p)
    ws, help_ws = wb.worksheets
    header = [c.value for c in ws[1]]
    assert header[:8] == ["院落编号", "院落名称", "村", "组", "户数", "评估期", "评估人", "评估日期"]
    assert header[8:] == list(SCORE_COLUMNS) and "政策宣讲-开展内容" in header
    units = M.read_units(result)
    assert [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)] == list(units["unit_id"])
    assert {ws.cell(r, 3).value for r in range(2, ws.max_row + 1)} == {"V1"}
    (dv,) = ws.data_validations.dataValidation
    assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("whole", "between", "1", "10")
    assert str(dv.sqref).startswith("I2:Z") and dv.showErrorMessage
    lines = [r[1].value for r in help_ws.iter_rows()]  # after 序号 (s33: QGIS reads the header)
    assert help_ws.title == "填写说明" and len(lines) == 8
    assert all(re.search(r"[\u4e00-\u9fff]", line) for line in lines)
    assert not any(re.search(r"\b(the|and|score)\b", line) for line in lines)


def test_template_is_byte_identical_whatever_the_clock(result: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() - 86400 * 400)
    a = M.write_template(result, tmp_path / "a.xlsx").read_bytes()
    monkeypatch.setattr(time, "time", real)
    time.sleep(2.1)  # zip times have a 2-second resolution; openpyxl stamps "modified" with now
    b = M.write_template(result, tmp_path / "b.xlsx").read_bytes()
    assert a == b
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    c = M.write_template(result, tmp_path / "c.xlsx").read_bytes()
    assert c != a and b"2023-11-14T22:13:20Z" in openpyxl_core(tmp_path / "c.xlsx")


def openpyxl_core(path: Path) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read("docProps/core.xml")


# ------------------------------------------------------------------------------------------ round trip
def test_template_filled_reads_back_with_every_value_accounted_for(result: Path, tmp_path: Path) -> None:
    t = M.write_template(result, tmp_path / "t.xlsx")
    counts = _fill(t, tmp_path / "filled.xlsx", periods=("2026Q1", "2026Q2"))
    res = M.load_scores(result, tmp_path / "filled.xlsx", tmp_path / "maturity.gpkg",
                        report=tmp_path / "r.html")
    n_units = len(M.read_units(result))
    scored_rows = 2 * (n_units - n_units // 7)
    assert len(res.scores) == 18 * scored_rows
    assert int(res.scores["score"].notna().sum()) == counts["filled"]
    assert int(res.scores["score"].isna().sum()) == counts["blank"]
    wb = openpyxl.load_workbook(tmp_path / "filled.xlsx")
    ws = wb.worksheets[0]
    cell_sum = sum(ws.cell(r, c).value or 0 for r in range(2, ws.max_row + 1)
                   for c in range(FIRST_SCORE_COL, FIRST_SCORE_COL + 18))
    assert int(res.scores["score"].sum()) == cell_sum
    layers = {str(n) for n, _ in pyogrio.list_layers(tmp_path / "maturity.gpkg")}
    assert layers == {"unit_maturity", "units_maturity", "village_maturity", "scores", "run", "layer_styles"}
    um = pyogrio.read_dataframe(tmp_path / "maturity.gpkg", layer="unit_maturity", read_geometry=False)
    assert len(um) == 2 * n_units and (um["n_rated"] == 0).sum() == 2 * (n_units // 7)
    q2 = um[um["period"] == "2026Q2"].set_index("unit_id")
    q1 = um[um["period"] == "2026Q1"].set_index("unit_id")
    # the change of the mean over the categories rated in both periods (n_compared of them)
    from yuanluo.gis.maturity import CATEGORY_KEYS

    cats = list(CATEGORY_KEYS)
    a, b = q2[cats].astype(float), q1[cats].reindex(q2.index).astype(float)
    rated = a.notna() & b.notna()
    both = rated.any(axis=1)
    assert both.sum() > 0 and (q2.loc[both, "n_compared"] == rated[both].sum(axis=1)).all()
    want = (a.where(rated).mean(axis=1) - b.where(rated).mean(axis=1))[both]
    assert np.allclose(q2.loc[both, "change_mean"].astype(float), want)
    shade = pyogrio.read_dataframe(tmp_path / "maturity.gpkg", layer="units_maturity")
    assert len(shade) == n_units and set(shade["period"].dropna()) == {"2026Q2"}
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.count("data-radar=") == n_units and page.count("<b>未评</b>") == n_units // 7
    assert not re.search(r'src=|href=(?!"#)|https?://(?!www\.w3\.org/2000/svg)', page)  # in-page links only
    cards = M.read_maturity(tmp_path / "maturity.gpkg")
    assert len(cards) == n_units and cards["U001"]["period"] == "2026Q2"


def test_outputs_that_exist_stop_the_load_before_anything_is_written(result: Path, tmp_path: Path) -> None:
    t = M.write_template(result, tmp_path / "t.xlsx")
    _fill(t, tmp_path / "f.xlsx")
    (tmp_path / "r.html").write_text("old", encoding="utf-8")
    with pytest.raises(OutputError) as e:
        M.load_scores(result, tmp_path / "f.xlsx", tmp_path / "m.gpkg", report=tmp_path / "r.html")
    assert e.value.codes == ["OUT-EXISTS"] and not (tmp_path / "m.gpkg").exists()


def test_a_template_loaded_back_unfilled_is_a_coded_error(result: Path, tmp_path: Path) -> None:
    """The template read back as written (no score at all) is MAT-EMPTY, exit 2, nothing written: it was an
    internal error (exit 3) when the table of no period was computed."""
    from typer.testing import CliRunner

    from yuanluo.planners.cli.app import app

    t = M.write_template(result, tmp_path / "t.xlsx")
    r = CliRunner().invoke(app, ["maturity", "load", str(result), str(t), "-o", str(tmp_path / "m.gpkg"),
                                 "--report", str(tmp_path / "r.html")])
    assert r.exit_code == 2 and "MAT-EMPTY" in r.output and "没有任何分数" in r.output, r.output
    assert not (tmp_path / "m.gpkg").exists() and not (tmp_path / "r.html").exists()
    empty = pd.DataFrame(columns=["unit_id", "period", "category", "indicator", "score"])
    assert len(maturity_table(empty, ["U1", "U2"])) == 0      # no period: no rows, no error


def test_load_is_byte_identical_and_the_map_colours_follow_the_table(result: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    t = M.write_template(result, tmp_path / "t.xlsx")
    _fill(t, tmp_path / "f.xlsx")
    a = M.load_scores(result, tmp_path / "f.xlsx", tmp_path / "a.gpkg", report=tmp_path / "a.html", rule="min")
    M.load_scores(result, tmp_path / "f.xlsx", tmp_path / "b.gpkg", report=tmp_path / "b.html", rule="min")
    assert (tmp_path / "a.gpkg").read_bytes() == (tmp_path / "b.gpkg").read_bytes()
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()
    run = pyogrio.read_dataframe(tmp_path / "a.gpkg", layer="run", read_geometry=False)
    assert dict(zip(run["key"], run["value"], strict=True))["params.rule"] == "min"
    rows = a.table.to_dict("records")
    colours = {M.shade_colour(r) for r in rows}
    assert M.UNRATED_COLOUR in colours and len(colours) >= 3
    assert {M.shade_colour(r, by="mean") for r in rows if r["n_rated"] == 0} == {M.UNRATED_COLOUR}
    assert M.shade_colour({"mean": 1.0}, by="mean") != M.shade_colour({"mean": 9.0}, by="mean")


# ------------------------------------------------------------------------------------------ bad sheets
def test_bad_sheet_names_each_cell(result: Path, tmp_path: Path) -> None:
    t = M.write_template(result, tmp_path / "t.xlsx")
    _fill(t, tmp_path / "f.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "f.xlsx")
    ws = wb.worksheets[0]
    ws["I2"] = 11
    ws["K3"] = "好"
    ws["A4"] = "U999"
    for c in range(1, 27):          # row 6 repeats U001 in the same period
        ws.cell(6, c, ws.cell(2, c).value)
    wb.save(tmp_path / "bad.xlsx")
    with pytest.raises(InputError) as e:
        M.load_scores(result, tmp_path / "bad.xlsx", tmp_path / "m.gpkg")
    err = e.value
    assert err.exit_code == 2 and not (tmp_path / "m.gpkg").exists()
    assert sorted(err.codes) == ["MAT-DUP", "MAT-SCORE", "MAT-SCORE", "MAT-UNIT-UNKNOWN"]
    msg = err.render("zh")
    for cell in ("I2=11", "K3=好", "A4=U999", "A2、A6", "政策宣讲-开展内容", "政策宣讲-群众满意度"):
        assert cell in msg, cell
    assert "I6=11" in msg  # the duplicate row copied the 11 too
    en = err.render("en")
    assert "I2=11" in en and not re.search(r"[\u4e00-\u9fff](?![^']*')", en.replace("好", "").replace("未", ""))


def test_merged_and_shifted_cells_and_a_missing_header(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["院落编号", "评估期", "政策宣讲-内容", "政策宣讲-效果", "政策宣讲-满意度"])
    ws.append(["U1", "Q1", 5, 6, 7])
    ws.append(["U2", "Q1", 5, 6, 7, 8])          # one value too many: shifted
    ws.append(["U3", "Q1", 5, None, None])
    ws.merge_cells("C4:E4")
    wb.save(tmp_path / "m.xlsx")
    with pytest.raises(InputError) as e:
        read_scores(tmp_path / "m.xlsx", ["U1", "U2", "U3"])
    assert sorted(e.value.codes) == ["MAT-MERGED", "MAT-SHIFT"]
    assert "C4:E4" in e.value.render() and "F3=8" in e.value.render()
    wb = openpyxl.Workbook()
    for _ in range(12):
        wb.active.append([None])
    wb.active.append(["院落编号", "政策宣讲-内容"])
    wb.save(tmp_path / "h.xlsx")
    with pytest.raises(InputError) as e:
        read_scores(tmp_path / "h.xlsx")
    assert e.value.codes == ["MAT-HEADER"]
    wb = openpyxl.Workbook()                      # a two-row header: categories merged above the indicators
    wb.active.append(["院落编号", "评估期", "政策宣讲", None, None])
    wb.active.append([None, None, "内容", "效果", "满意度"])
    wb.active.merge_cells("C1:E1")
    wb.save(tmp_path / "two.xlsx")
    with pytest.raises(InputError) as e:
        read_scores(tmp_path / "two.xlsx")
    assert e.value.codes == ["MAT-HEADER", "MAT-MERGED"] and "C1:E1" in e.value.render("en")
    (tmp_path / "c.csv").write_text("院落编号,评估期,政策宣讲-效率\nU1,Q1,5\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_scores(tmp_path / "c.csv")
    assert e.value.codes == ["MAT-HEADER"]
    (tmp_path / "d.csv").write_text("院落编号,评估期,政策宣讲-效率,政策宣讲-内容\nU1,Q1,5,6\n,Q1,,4\nU2,,3,3\n",
                                    encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_scores(tmp_path / "d.csv")
    assert sorted(e.value.codes) == ["MAT-COLUMN", "MAT-PERIOD", "MAT-UNIT-BLANK"]
    assert all(has(c) for c in e.value.codes)


def test_gbk_csv_with_aliases_several_periods_and_a_title_row(tmp_path: Path) -> None:
    head = "院落编号,期次,评分人," + ",".join(f"{c}{i}" for c in ("政策宣讲", "协商议事", "矛盾调处", "环境整治",
                                                               "文明乡风", "庭院经济") for i in ("内容", "效果", "满意度"))
    body = ["A01,一季度,张三," + ",".join(["6"] * 18), "A01,二季度,张三," + ",".join(["8"] * 17 + [""]),
            "A02,二季度,李四," + ",".join(["9"] * 18), "A03,,,"]
    (tmp_path / "s.csv").write_bytes(("长寿区院落评分\n" + head + "\n" + "\n".join(body) + "\n").encode("gbk"))
    sc = read_scores(tmp_path / "s.csv", ["A01", "A02", "A03"])
    assert len(sc) == 3 * 18 and int(sc["score"].isna().sum()) == 1
    assert list(dict.fromkeys(sc["period"])) == ["一季度", "二季度"]
    t = maturity_table(sc, ["A01", "A02", "A03"]).set_index(["period", "unit_id"])
    assert t.loc[("二季度", "A01"), "n_rated"] == 5 and pd.isna(t.loc[("二季度", "A01"), "economy"])
    assert t.loc[("二季度", "A01"), "change_mean"] == pytest.approx(2.0)
    assert t.loc[("二季度", "A01"), "assessor"] == "张三"
    assert t.loc[("一季度", "A03"), "n_rated"] == 0


def test_several_files_are_one_table_and_a_unit_twice_across_them_is_named(tmp_path: Path) -> None:
    head = "院落编号,评估期,政策宣讲-开展内容\n"
    (tmp_path / "a.csv").write_text(head + "U1,Q1,5\nU2,Q1,6\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text(head + "U1,Q2,7\n", encoding="utf-8-sig")
    sc = read_scores([tmp_path / "a.csv", tmp_path / "b.csv"], ["U1", "U2"])
    assert sc.dropna(subset=["score"])[["unit_id", "period", "score", "file", "row"]].values.tolist() == [
        ["U1", "Q1", 5, "a.csv", 2], ["U2", "Q1", 6, "a.csv", 3], ["U1", "Q2", 7, "b.csv", 2]]
    (tmp_path / "c.csv").write_text(head + "U2,Q1,6\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_scores([tmp_path / "a.csv", tmp_path / "c.csv"], ["U1", "U2"])
    assert e.value.codes == ["MAT-DUP"] and "a.csv A3, c.csv A2" in e.value.render("en")


# ------------------------------------------------------------------------------------------ drawing
def _svg_polygons(svg: str) -> list[np.ndarray]:
    return [np.array([[float(a) for a in p.split(",")] for p in pts.split()])
            for pts in re.findall(r'<polygon points="([^"]+)"', svg)]


def test_svg_uses_the_shared_vertices_and_escapes_everything() -> None:
    values = [8, 6, 7, 5, 9, 4]
    svg = M.radar_svg('U1"><script>x</script>', values, size=100)
    assert "<script>" not in svg and 'data-radar="U1&quot;&gt;&lt;script&gt;' in svg
    hexagon = _svg_polygons(svg)[-1]
    expected = hexagon_vertices(values) * np.array([30.0, -30.0]) + np.array([67.5, 50.0])  # 135 wide, 100 high
    assert np.allclose(hexagon, expected, atol=0.01)
    partial = M.radar_svg("U2", [8, np.nan, 7, 5, 9, 4])
    assert len(_svg_polygons(partial)) == 5 and partial.count("<circle") == 5 and "调处 7.0" in partial
    assert M.unit_card_html("U3", {"n_rated": 0}) == '<div class="yl-maturity" data-radar="U3"><b>未评</b></div>'
    row = dict(zip(CATEGORY_KEYS, values, strict=True), n_rated=6, mean=6.5, fullness=fullness(values),
               period="P2", prev_period="P1", change_mean=0.5, weakest="economy")
    card = M.unit_card_html("U1", row)
    assert "饱满度 40%" in card and "较上期（P1） 均值 +0.5" in card and "最弱 庭院经济" in card
    assert "轴序固定为：政策宣讲、协商议事、矛盾调处、环境整治、文明乡风、庭院经济" in card


def _sheet_inputs(n_units: int = 12) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    ids = [f"U{i:02d}" for i in range(n_units)]
    rng = np.random.default_rng(3)
    rows = [(u, "P1", c, i, None if (k == 4 and c == "policy") else int(rng.integers(1, 11)))
            for k, u in enumerate(ids[:-1]) for c in CATEGORY_KEYS for i in INDICATOR_KEYS]
    sc = pd.DataFrame(rows, columns=["unit_id", "period", "category", "indicator", "score"])
    sc["score"] = sc["score"].astype("Int64")
    units = pd.DataFrame({"unit_id": ids, "name": [None] * n_units,
                          "village": ["North"] * (n_units // 2) + ["South"] * (n_units - n_units // 2)})
    t = maturity_table(sc, ids)
    return t, village_summary(t, dict(zip(units["unit_id"], units["village"], strict=True))), units


def test_print_sheet_is_a4_deterministic_png_and_pdf_without_chinese(tmp_path: Path) -> None:
    import matplotlib.image as mpimg

    t, v, u = _sheet_inputs(24)
    (a,) = M.print_sheet(t, v, u, tmp_path / "a.png", lang="en", dpi=60, font="DejaVu Sans")
    (b,) = M.print_sheet(t, v, u, tmp_path / "b.png", lang="en", dpi=60, font="DejaVu Sans")
    assert a.read_bytes() == b.read_bytes()
    h, w = mpimg.imread(a).shape[:2]
    assert (w, h) == (int(210 / 25.4 * 60), int(297 / 25.4 * 60))
    pages = M.print_sheet(*_sheet_inputs(70), tmp_path / "many.png", lang="en", dpi=30, font="DejaVu Sans")
    assert [p.name for p in pages] == ["many.png"] + [f"many-{k}.png" for k in range(2, len(pages) + 1)]
    assert len(pages) >= 2
    (p1,) = M.print_sheet(t, v, u, tmp_path / "s.pdf", lang="en", font="DejaVu Sans")
    (p2,) = M.print_sheet(t, v, u, tmp_path / "s2.pdf", lang="en", font="DejaVu Sans")
    assert p1.read_bytes() == p2.read_bytes() and p1.read_bytes().startswith(b"%PDF")
    with pytest.raises(OutputError):
        M.print_sheet(t, v, u, tmp_path / "s.svg", font="DejaVu Sans")


def test_print_sheet_in_chinese(tmp_path: Path) -> None:
    from yuanluo.maps.static import cjk_font

    try:
        cjk_font()
    except OutputError as exc:
        assert exc.codes == ["FONT-CJK-MISSING"]
        pytest.skip("no Chinese font installed (FONT-CJK-MISSING): the Chinese print sheet cannot be drawn here")
    t, v, u = _sheet_inputs()
    (a,) = M.print_sheet(t, v, u, tmp_path / "zh.png", dpi=60)
    (b,) = M.print_sheet(t, v, u, tmp_path / "zh2.png", dpi=60)
    assert a.read_bytes() == b.read_bytes() and a.stat().st_size > 10_000


# ------------------------------------------------------------------------------------------ command line
def test_the_maturity_commands_round_trip_and_bad_cells_exit_2(result: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from yuanluo.planners.cli.app import app

    runner = CliRunner()
    sheet = tmp_path / "评分表.xlsx"
    r = runner.invoke(app, ["maturity", "template", str(result), "-o", str(sheet)])
    assert r.exit_code == 0, r.output
    filled = tmp_path / "filled.xlsx"
    counts = _fill(sheet, filled)
    out = tmp_path / "maturity.gpkg"
    r = runner.invoke(app, ["maturity", "load", str(result), str(filled), "-o", str(out),
                            "--report", str(tmp_path / "r.html"), "--map", str(tmp_path / "m.html"), "--lang", "en"])
    assert r.exit_code == 0, r.output
    assert f", {counts['filled']} scores read" in r.output  # the filled cells, not the blanks
    assert out.exists() and (tmp_path / "r.html").exists()
    page = (tmp_path / "m.html").read_text(encoding="utf-8")  # the field map with the hexagon data (maturity.js)
    assert "var H = " in page and "Service maturity" in page and 'lang="en"' in page
    assert "<title>Courtyard service maturity · 2026Q1</title>" in page  # not "Courtyard units": what it shows
    wb = openpyxl.load_workbook(filled)
    wb.worksheets[0].cell(2, FIRST_SCORE_COL, "好")
    wb.save(tmp_path / "bad.xlsx")
    r = runner.invoke(app, ["maturity", "load", str(result), str(tmp_path / "bad.xlsx"), "-o",
                            str(tmp_path / "m2.gpkg")])
    assert r.exit_code == 2 and "好" in r.output and not (tmp_path / "m2.gpkg").exists()


def test_the_report_hexagon_has_room_for_its_side_labels() -> None:
    """Every axis name and score ("经济 10.0", "Med 10.0") lies inside the SVG: the side labels of a square one
    were cut at its left and right edges ("济 7.7")."""
    import re as _re

    from yuanluo.planners.maturity import radar_svg

    for lang in ("zh", "en"):
        svg = radar_svg("U1", [10.0] * 6, lang=lang)
        width = float(_re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
        labels = _re.findall(r'<text x="([\d.]+)" y="[\d.]+" font-size="([\d.]+)" text-anchor="(\w+)">([^<]+)<', svg)
        assert len(labels) == 6
        for x, size, anchor, label in labels:
            wide = float(size) * sum(1.0 if ord(ch) > 0x2E80 else 0.62 for ch in label)  # CJK a full em
            left = {"start": 0.0, "middle": wide / 2, "end": wide}[anchor]
            assert float(x) - left >= 0 and float(x) - left + wide <= width, (lang, label)


def test_a_score_sheet_whose_formulas_were_never_computed_is_refused(tmp_path: Path) -> None:
    """Scores as formulas in a file a script wrote (no computed values): read as blank they were silently
    "not rated"; now MAT-FORMULA names the cells and says to save the file in Excel or WPS first."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["院落编号", "评估期", "政策宣讲-开展内容", "政策宣讲-实际效果"])
    ws.append(["U1", "2026Q1", 7, "=C2+1"])
    ws.append(["U2", "2026Q1", "=AVERAGE(C2:D2)", 6])
    wb.save(tmp_path / "s.xlsx")
    from yuanluo.gis.maturity import read_sheets

    with pytest.raises(InputError) as info:
        read_sheets(tmp_path / "s.xlsx")
    assert info.value.codes == ["MAT-FORMULA"] and info.value.problems[0].rows == (2, 3)
    assert "D2 =C2+1、C3 =AVERAGE(C2:D2)" in info.value.render("zh") and "用 Excel 或 WPS 打开" in info.value.render("zh")
    assert "saved by Excel or WPS" in info.value.render("en")
