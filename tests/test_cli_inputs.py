"""Every file the command line reads goes through ``yuanluo.gis.io``: encodings, Chinese headers, named columns."""

from __future__ import annotations

import collections
import re
from pathlib import Path

import pandas as pd
import pytest
from badfiles import HEADER, LAT0, LON0, good_rows, write_csv
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()
HAN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


def _village(tmp: Path, n: int = 12, header: str = HEADER + ",院落") -> Path:
    """``n`` households in two settlements of six (a plan any 4–8 band accepts)."""
    rows = [f"{r},{'东院' if i < n // 2 else '西院'}" for i, r in enumerate(good_rows(n))]
    return write_csv(tmp, "hh.csv", [header, *rows])


def test_gbk_seeds_table_is_read_like_the_households(tmp_path: Path) -> None:
    hh = _village(tmp_path)
    seeds = write_csv(tmp_path, "seeds.csv", ["户编号,备注", "002,老院子", "009,祠堂"], encoding="gbk")
    out = tmp_path / "out.gpkg"
    res = runner.invoke(app, ["delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8",
                              "--seeds", str(seeds), "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    assert out.exists()


def test_seeds_table_without_an_id_column_is_a_coded_error_naming_the_option(tmp_path: Path) -> None:
    hh = _village(tmp_path)
    seeds = write_csv(tmp_path, "seeds.csv", ["名称", "老院子"], encoding="gbk")
    out = tmp_path / "out.gpkg"
    res = runner.invoke(app, ["delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8",
                              "--seeds", str(seeds), "-o", str(out), "--lang", "en"])
    assert res.exit_code == 2, res.output
    assert "COL-MISSING" in res.output and "--id-col" in res.output
    assert not out.exists()


def test_meeting_points_with_chinese_headers_in_gbk(tmp_path: Path) -> None:
    hh = _village(tmp_path)
    meet = write_csv(tmp_path, "meet.csv", ["院落,户号", "东院,002", "西院,009"], encoding="gbk")
    res = runner.invoke(app, ["check", str(hh), "--crs", "EPSG:4490", "--unit-col", "院落", "--min", "4", "--max",
                              "8", "--meeting-points", str(meet)])
    assert res.exit_code in (0, 1), res.output
    assert "PLAN-COLUMN" not in res.output and "内部错误" not in res.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_at_80_columns_shows_every_message_whole(tmp_path: Path, lang: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The table of violations folds a long message, never cuts it with "…" (a run of Chinese has no space to
    wrap at): 80 columns show every character 1,000 columns do."""
    hh = _village(tmp_path)
    pages = {}
    for width in (80, 1000):
        monkeypatch.setenv("COLUMNS", str(width))
        res = runner.invoke(app, ["check", str(hh), "--crs", "EPSG:4490", "--unit-col", "院落", "--min", "7",
                                  "--max", "8", "--lang", lang])
        assert res.exit_code == 1 and "SIZE-LOW" in res.output, res.output
        pages[width] = collections.Counter(ch for ch in res.output
                                           if not ch.isspace() and not "\u2500" <= ch <= "\u257f")
    assert pages[80] == pages[1000]


def test_check_and_delineate_name_the_rules_the_file_cannot_serve(tmp_path: Path) -> None:
    """A pass says nothing of a rule the household file gives no data for: the console names such rules (here
    no village column and no candidate-head column), and drops one once its column is there."""
    hh = _village(tmp_path)
    args = ["check", str(hh), "--crs", "EPSG:4490", "--unit-col", "院落", "--min", "4", "--max", "8"]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    line = next(x for x in res.output.splitlines() if x.startswith("警告 RULE-UNAPPLIED：以下规则未检查"))
    assert "院落不跨村（" in line and "--head-col" in line  # 村民小组 is in the file
    # 院落 is the plan given to --unit-col: no settlement column of its own (s44 E: the plan was taken for both)
    assert "村民小组" not in line and "保持自然院落完整" in line
    en = runner.invoke(app, [*args, "--lang", "en"]).output
    assert "Not checked: units not straddling villages (" in en and not HAN.search(en.replace(str(tmp_path), ""))
    heads = write_csv(tmp_path, "heads.csv", [HEADER + ",院落,党员",
                                               *[f"{r},{'东院' if i < 6 else '西院'},{'是' if i in (0, 7) else '否'}"
                                                 for i, r in enumerate(good_rows(12))]])
    res = runner.invoke(app, ["check", str(heads), *args[2:]])
    assert "以下规则未检查" in res.output and "--head-col" not in res.output
    out = tmp_path / "d.gpkg"
    res = runner.invoke(app, ["delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "-o", str(out)])
    assert res.exit_code == 0, res.output
    line = next(x for x in res.output.splitlines() if x.startswith("警告 RULE-UNAPPLIED：以下规则未执行"))
    assert "--head-col" in line and "自然院落" not in line  # a delineation finds the settlements itself


def test_a_result_given_with_a_layer_name_is_told_to_drop_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands that read a whole result (its households, units, meeting points …) say so when given
    ``result.gpkg::layer``, and name the path to give — not that the file does not exist."""
    monkeypatch.setenv("COLUMNS", "1000")  # the path on one line
    out = tmp_path / "r.gpkg"
    res = runner.invoke(app, ["delineate", str(_village(tmp_path)), "--crs", "EPSG:4490", "--min", "4", "--max", "8",
                              "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    for cmd, target in ((["map"], "m.html"), (["edit", "--min", "4", "--max", "8"], "e.html"),
                        (["cover"], "c.gpkg"), (["maturity", "template"], "t.xlsx")):
        res = runner.invoke(app, [*cmd[:2 if cmd[0] == "maturity" else 1], f"{out}::households",
                                  *cmd[2 if cmd[0] == "maturity" else 1:], "-o", str(tmp_path / target)])
        assert res.exit_code == 2 and "IO-LAYER-GIVEN" in res.output and f"写成 {out}。" in res.output, (cmd, res.output)
        assert not (tmp_path / target).exists()


def test_unit_col_by_the_name_in_the_file_and_the_old_option_name(tmp_path: Path) -> None:
    hh = _village(tmp_path)
    for flag, col in (("--unit-col", "院落"), ("--unit-field", "settlement"), ("--unit-col", "settlement")):
        res = runner.invoke(app, ["check", str(hh), "--crs", "EPSG:4490", flag, col, "--min", "4", "--max", "8"])
        assert res.exit_code == 0, (flag, col, res.output)


def test_id_x_y_columns_by_name(tmp_path: Path) -> None:
    rows = [f"H{i},{LON0 + 0.0004 * i:.6f},{LAT0 + 0.0003 * (i % 3):.6f}" for i in range(8)]
    p = write_csv(tmp_path, "odd.csv", ["hh_no,E,N", *rows])
    bad = runner.invoke(app, ["validate", str(p), "--crs", "EPSG:4490", "--lang", "en"])
    assert bad.exit_code == 2 and "--id-col" in bad.output
    res = runner.invoke(app, ["validate", str(p), "--crs", "EPSG:4490", "--id-col", "hh_no", "--x-col", "E",
                              "--y-col", "N", "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "8 households" in res.output


def test_plan_table_with_its_own_id_header_and_a_named_unit_column(tmp_path: Path) -> None:
    hh = _village(tmp_path)
    plan = tmp_path / "plan.csv"
    pd.DataFrame({"户编号": [f"{i + 1:03d}" for i in range(12)], "yard": ["A"] * 6 + ["B"] * 6}).to_csv(
        plan, index=False, encoding="gbk")
    res = runner.invoke(app, ["check", str(hh), "--crs", "EPSG:4490", "--plan", str(plan), "--unit-col", "yard",
                              "--min", "4", "--max", "8"])
    assert res.exit_code == 0, res.output


def test_two_plan_sources_are_a_usage_error(tmp_path: Path) -> None:
    hh = _village(tmp_path)
    res = runner.invoke(app, ["check", str(hh), "--crs", "EPSG:4490", "--plan", "a.csv", "--units", "b.gpkg",
                              "--min", "4", "--max", "8"])
    assert res.exit_code == 2 and "CLI-PLAN" in res.output


def test_existing_output_names_every_file_and_the_overwrite_option(tmp_path: Path) -> None:
    hh = _village(tmp_path)
    out, html = tmp_path / "out.gpkg", tmp_path / "out.html"
    out.write_bytes(b"keep")
    html.write_bytes(b"keep")
    args = ["delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "-o", str(out), "--map",
            str(html)]
    zh = runner.invoke(app, args)
    assert zh.exit_code == 2
    assert f"输出文件已存在：{out}、{html}。" in zh.output and "--overwrite" in zh.output and "{" not in zh.output
    en = runner.invoke(app, [*args, "--lang", "en"])
    assert "the output already exists" in en.output and f"{out}, {html}" in en.output and "--overwrite" in en.output
    assert not HAN.search(en.output.replace(str(tmp_path), ""))
    assert out.read_bytes() == b"keep"


def test_unsupported_extension_in_english_has_no_chinese(tmp_path: Path) -> None:
    p = tmp_path / "hh.xyz"
    p.write_text("a,b\n1,2\n", encoding="utf-8")
    res = runner.invoke(app, ["validate", str(p), "--lang", "en"])
    assert res.exit_code == 2 and "IO-FORMAT" in res.output and ".xyz" in res.output
    assert not HAN.search(res.output.replace(str(tmp_path), "")), res.output


def test_a_layer_that_is_not_there_is_named_with_the_layers_that_are(tmp_path: Path) -> None:
    import geopandas as gpd

    p = tmp_path / "one.gpkg"
    pts = gpd.points_from_xy([LON0, LON0 + 0.0004], [LAT0, LAT0 + 0.0003])
    gpd.GeoDataFrame({"户编号": ["1", "2"]}, geometry=pts, crs=4490).to_file(p, layer="hh")
    res = runner.invoke(app, ["validate", str(p), "--layer", "nope", "--lang", "en"])
    assert res.exit_code == 2 and "IO-NOLAYER" in res.output
    assert "no layer named nope" in res.output and "--layer hh" in res.output


def test_out_of_range_numbers_are_usage_errors_not_internal_ones(tmp_path: Path) -> None:
    hh = _village(tmp_path)
    out = tmp_path / "o.gpkg"
    for extra in (["--seed", "-1"], ["--max", "99999999999999999999"], ["--min", "0"], ["--max-edge-walk", "0"],
                  ["--max-walk", "0"], ["--target-size", "-3"]):
        res = runner.invoke(app, ["delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8",
                                  "-o", str(out), *extra])
        assert res.exit_code == 2, (extra, res.output)
    assert not out.exists()


def test_persons_beyond_any_household_are_an_attribute_error(tmp_path: Path) -> None:
    persons = ("3", "inf", "1e20", "9223372036854775807")
    rows = [",".join([*r.split(",")[:3], n, "一组"]) for r, n in zip(good_rows(4), persons, strict=True)]
    p = write_csv(tmp_path, "hh.csv", [HEADER, *rows])
    res = runner.invoke(app, ["validate", str(p), "--crs", "EPSG:4490", "--lang", "en"])
    assert res.exit_code == 2 and "ATTR-TYPE" in res.output and "3 values" in res.output, res.output


def test_progress_lines_in_the_language_and_none_with_quiet(tmp_path: Path) -> None:
    hh = _village(tmp_path)
    args = ["delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8"]
    zh = runner.invoke(app, [*args, "-o", str(tmp_path / "a.gpkg"), "-v"])
    assert zh.exit_code == 0 and "读取并检查输入" in zh.output and "划分院落……" in zh.output
    en = runner.invoke(app, [*args, "-o", str(tmp_path / "b.gpkg"), "--lang", "en", "-v"])
    assert "Delineating the units…" in en.output and not HAN.search(en.output.replace(str(tmp_path), ""))
    quiet = runner.invoke(app, [*args, "-o", str(tmp_path / "c.gpkg"), "-q"])
    assert quiet.exit_code == 0 and "划分院落……" not in quiet.output


def test_quiet_shows_the_outcome_and_the_errors_only(tmp_path: Path) -> None:
    """``-q`` says "errors only": no input warnings, no rules-not-checked notice, no warning rows."""
    hh = _village(tmp_path)
    lines = hh.read_text(encoding="utf-8").splitlines()
    lines[2] = ",".join([lines[2].split(",")[0], *lines[1].split(",")[1:3], *lines[2].split(",")[3:]])  # same point
    hh.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["check", str(hh), "--crs", "EPSG:4490", "--plan", str(hh), "--unit-col", "院落", "--min", "7", "--max", "8"]
    full = runner.invoke(app, args)
    quiet = runner.invoke(app, [*args, "-q"])
    assert full.exit_code == quiet.exit_code == 1
    assert "COORD-DUP" in full.output and "以下规则未检查" in full.output and "SIZE-LOW" in full.output
    assert "COORD-DUP" not in quiet.output and "以下规则未检查" not in quiet.output
    assert "方案检查：未通过" in quiet.output and quiet.output.count("SIZE-LOW") == full.output.count("SIZE-LOW") == 2
    passing = runner.invoke(app, ["check", str(hh), "--crs", "EPSG:4490", "--plan", str(hh), "--unit-col", "院落",
                                  "--min", "4", "--max", "8", "-q", "--lang", "en"])
    assert passing.exit_code == 0 and passing.output.count("\n") == 1 and "Plan check: PASSED" in passing.output
    read = [runner.invoke(app, ["validate", str(hh), "--crs", "EPSG:4490", *q]) for q in ([], ["-q"])]
    assert "COORD-DUP" in read[0].output and "COORD-DUP" not in read[1].output and "未发现错误" in read[1].output


def test_outputs_are_checked_together_before_any_work(tmp_path: Path) -> None:
    hh = _village(tmp_path)
    base = ["delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8"]
    out = tmp_path / "a.gpkg"
    late = runner.invoke(app, [*base, "-o", str(out), "--map", str(tmp_path / "missing" / "a.html")])
    assert late.exit_code == 2 and "OUT-WRITE" in late.output and "ENOENT" in late.output and not out.exists()
    same = runner.invoke(app, [*base, "-o", str(out), "--map", str(out)])
    assert same.exit_code == 2 and "OUT-SAME" in same.output and not out.exists()
    before = hh.read_bytes()
    self_ = runner.invoke(app, [*base, "-o", str(hh), "--overwrite", "--lang", "en"])
    assert self_.exit_code == 2 and "OUT-INPUT" in self_.output and "never replaced" in self_.output
    assert hh.read_bytes() == before
    seeds = write_csv(tmp_path, "seeds.csv", ["户编号", "002"])
    clobber = runner.invoke(app, [*base, "-o", str(out), "--seeds", str(seeds), "--map", str(seeds), "--overwrite"])
    assert clobber.exit_code == 2 and "OUT-INPUT" in clobber.output and seeds.read_text(encoding="utf-8")


def test_map_never_overwrites_its_result(tmp_path: Path) -> None:
    hh = _village(tmp_path)
    res = tmp_path / "r.gpkg"
    assert runner.invoke(app, ["delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "-o",
                               str(res), "-q"]).exit_code == 0
    before = res.read_bytes()
    again = runner.invoke(app, ["map", str(res), "-o", str(res), "--overwrite"])
    assert again.exit_code == 2 and "OUT-INPUT" in again.output and res.read_bytes() == before


def test_a_hierarchy_file_of_the_wrong_type_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    hh = _village(tmp_path)
    out = tmp_path / "a.gpkg"
    res = runner.invoke(app, ["delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "-o", str(out),
                              "--hierarchy", str(tmp_path / "org.txt")])
    assert res.exit_code == 2 and "HIER-FORMAT" in res.output and not out.exists()


def test_max_walk_is_a_hidden_deprecated_alias_of_max_edge_walk(tmp_path: Path) -> None:
    import geopandas as gpd

    hh = _village(tmp_path)
    help_text = runner.invoke(app, ["graph", "--help", "--lang", "en"]).output
    assert "--max-edge-walk" in help_text and "--max-walk " not in help_text
    values = {}
    for flag in ("--max-edge-walk", "--max-walk"):
        out = tmp_path / f"g{flag}.gpkg"
        res = runner.invoke(app, ["graph", str(hh), "--crs", "EPSG:4490", flag, "7.5", "-o", str(out), "--lang", "en"])
        assert res.exit_code == 0, res.output
        assert ("CLI-DEPRECATED" in res.output) == (flag == "--max-walk"), res.output
        run = gpd.read_file(out, layer="run").astype(str)
        values[flag] = run[run.apply(lambda r: r.str.contains("max_edge_walk_min").any(), axis=1)].to_string()
    assert "the option --max-walk is now called --max-edge-walk" in res.output
    assert values["--max-walk"] == values["--max-edge-walk"] and "7.5" in values["--max-walk"]


def test_thorough_heads_is_recorded_in_the_run_table(tmp_path: Path) -> None:
    import pyogrio

    hh = _village(tmp_path)
    seen = {}
    for extra in ([], ["--thorough-heads"]):
        out = tmp_path / f"o{len(extra)}.gpkg"
        res = runner.invoke(app, ["delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "-o",
                                  str(out), "-q", *extra])
        assert res.exit_code == 0, res.output
        run = pyogrio.read_dataframe(out, layer="run", read_geometry=False).astype(str)
        row = run[run.apply(lambda r: r.str.contains("thorough_heads").any(), axis=1)]
        seen[bool(extra)] = row.to_string()
    assert "True" in seen[True] or "true" in seen[True]
    assert "False" in seen[False] or "false" in seen[False]


def test_units_marked_exception_in_a_plan_table_are_told_where_exceptions_are_declared(tmp_path: Path) -> None:
    """A planner edits the delineation's --xlsx plan (状态 = 例外 on its exception units) and checks it against
    the household file: the errors stand (no rules or reasons come with a table), and check says how to have
    them judged as declared exceptions."""
    hh = _village(tmp_path)
    plan = tmp_path / "方案.csv"
    ids = [f"{i + 1:03d}" for i in range(12)]
    table = pd.DataFrame({"户编号": ids, "院落编号": ["A"] * 3 + ["B"] * 9, "状态": ["例外"] * 3 + ["合规"] * 9})
    table.to_csv(plan, index=False, encoding="gbk")
    args = ["check", str(hh), "--crs", "EPSG:4490", "--plan", str(plan), "--min", "4", "--max", "9"]
    res = runner.invoke(app, args)
    assert res.exit_code == 1 and "SIZE-LOW" in res.output
    assert "方案表把院落 A 标为例外" in res.output and "yuanluo check 划分结果.gpkg --plan" in res.output
    assert "The plan table marks A as exceptions" in runner.invoke(app, [*args, "--lang", "en"]).output
    fixed = ["repair", *args[1:], "-o", str(tmp_path / "fixed.csv"), "--max-moves", "0"]
    res = runner.invoke(app, fixed)
    assert res.exit_code == 1 and "yuanluo repair 划分结果.gpkg --plan" in res.output, res.output
    table.assign(状态="合规").to_csv(plan, index=False, encoding="gbk")
    assert "标为例外" not in runner.invoke(app, args).output


def test_groups_name_the_household_rows_as_a_spreadsheet_shows_them(tmp_path: Path) -> None:
    """A household outside every villager group (--groups) is named by its row in the file as Excel shows it,
    below a title row and the header (the households come from one file, the groups from another); the
    groups' own messages name --groups."""
    import geopandas as gpd
    from shapely.geometry import box

    hh = write_csv(tmp_path, "农户.csv", ["某村农户花名册", HEADER, *good_rows(6)])
    mid = LON0 + 0.0004 * 2  # household 003 lies in the gap between the two groups
    groups = gpd.GeoDataFrame({"name": ["一组", "二组"]}, crs=4490,
                              geometry=[box(LON0 - 0.001, LAT0 - 0.001, mid - 0.0001, LAT0 + 0.002),
                                        box(mid + 0.0001, LAT0 - 0.001, LON0 + 0.003, LAT0 + 0.002)])
    groups.to_file(tmp_path / "groups.gpkg")
    res = runner.invoke(app, ["validate", str(hh), "--crs", "EPSG:4490", "--groups", str(tmp_path / "groups.gpkg")])
    out = res.output.replace("\n", "")
    assert res.exit_code == 2 and "SPAT-OUTSIDE" in out and "第 5 行；编号 003" in out
    assert "--groups 图层" in out and "--boundary" not in out


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_check_map_of_a_plan_leaving_households_without_a_unit(suffix: str, tmp_path: Path) -> None:
    """A household whose unit cell is blank (PLAN-UNASSIGNED, a violation of no unit) beside any violation of a
    unit crashed the check map (exit 3): the no-unit id stayed NaN among the others' text."""
    rows = [f"{r},{'' if i < 2 else '东院' if i < 7 else '西院'}" for i, r in enumerate(good_rows(12))]
    hh = write_csv(tmp_path, "hh.csv", [HEADER + ",院落", *rows])
    if suffix == ".xlsx":
        frame = pd.read_csv(hh, dtype=str, keep_default_na=False)
        hh = tmp_path / "hh.xlsx"
        frame.to_excel(hh, index=False)
    page = tmp_path / "check.html"
    res = runner.invoke(app, ["check", str(hh), "--crs", "EPSG:4490", "--unit-col", "院落", "--min", "6", "--max", "8",
                              "--map", str(page), "--report", str(tmp_path / "r.html"), "--csv", str(tmp_path / "c.csv")])
    assert res.exit_code == 1 and "PLAN-UNASSIGNED" in res.output and "SIZE-LOW" in res.output, res.output
    assert page.exists() and "001" in page.read_text(encoding="utf-8")  # the households without a unit drawn too
    assert ">nan<" not in (tmp_path / "r.html").read_text(encoding="utf-8")  # the no-unit violation's unit: blank


def test_validate_names_the_sheet_it_read(tmp_path: Path) -> None:
    frame = pd.read_csv(_village(tmp_path), dtype=str, keep_default_na=False)
    book = tmp_path / "花名册.xlsx"
    with pd.ExcelWriter(book) as w:
        pd.DataFrame({"说明": ["本村农户"]}).to_excel(w, sheet_name="说明", index=False)
        frame.to_excel(w, sheet_name="农户", index=False)
    res = runner.invoke(app, ["validate", str(book), "--crs", "EPSG:4490"])
    assert res.exit_code == 0 and "12 户" in res.output and "读取的是工作表“农户”" in res.output, res.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_graph_says_the_cut_edges_by_reason_in_words(tmp_path: Path, lang: str) -> None:
    """The console counts the cut candidate edges of the edges layer, by reason, in the chosen language only."""
    import geopandas as gpd
    from shapely.geometry import LineString

    hh = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(12)])  # no settlements: long edges are cut
    river = tmp_path / "river.geojson"
    x = LON0 + 0.0004 * 5.5  # between the two settlements
    gpd.GeoDataFrame({"waterway": ["river"]}, geometry=[LineString([(x, LAT0 - 0.01), (x, LAT0 + 0.01)])],
                     crs="EPSG:4326").to_file(river)
    out = tmp_path / "g.gpkg"
    res = runner.invoke(app, ["graph", str(hh), "--crs", "EPSG:4490", "--rivers", str(river), "--max-edge-walk",
                              "0.6", "-o", str(out), "--lang", lang])
    assert res.exit_code == 0, res.output
    edges = gpd.read_file(out, layer="edges")
    counts = edges[edges["status"] == "cut"]["reason"].value_counts()
    assert counts.get("river", 0) > 0 and counts.get("length", 0) > 0
    # the summary line (not a warning row whose temporary path holds "12": pytest-512 failed this test once)
    line = next(ln for ln in res.output.splitlines() if "被切断的候选边" in ln or "cut candidate edges" in ln)
    if lang == "zh":
        assert f"被切断的候选边：河流 {counts['river']} 条、步行超过 0.6 分钟 {counts['length']} 条。" in line, line
        assert not re.search(r"[A-Za-z]", line), line
    else:
        assert (f"cut candidate edges: {counts['river']} by rivers, {counts['length']} longer than a 0.6-minute "
                f"walk." in line), line
        assert not HAN.search(line), line
