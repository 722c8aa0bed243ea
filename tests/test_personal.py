"""Personal data by allow-list: a register's names, id-card numbers, phones and addresses never reach an HTML map
unless the user names the column in ``--fields`` and adds ``--include-personal``.

The household file below has the columns a town's register uses (issue 10: 公民身份号码, 证件号码, 户主名, 联系方式,
``姓 名``, 身份證號, 手機, HZXM, SFZH, LXDH, tel_no, contact, 家庭住址, 微信号, 备注 … and columns whose *name* says
nothing, ``col7`` of id-card numbers, ``col9`` of notes with a mobile number). Every map command draws it with
all of them named in ``--fields``: without ``--include-personal`` no value of them is in any HTML; with it,
they all are (so the search for them can fail).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from badfiles import LAT0, LON0
from typer.testing import CliRunner

from yuanluo.gis.columns import ALIASES, is_personal
from yuanluo.gis.errors import InputError, problem
from yuanluo.gis.personal import (
    MAP_FIELDS,
    content_kind,
    find_personal,
    map_fields,
    name_key,
    personal_name,
    resolve_fields,
    valid_id_numbers,
    with_shown,
)
from yuanluo.gis.validate import check_personal
from yuanluo.planners.cli import app

runner = CliRunner()
N = 36
_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

#: column -> what it holds; the last three are recognised by content only
COLUMNS = {
    "公民身份号码": "id", "证件号码": "id", "户主名": "name", "联系方式": "mobile", "姓 名": "name", "身份證號": "id",
    "手機": "mobile", "HZXM": "name", "SFZH": "id", "LXDH": "mobile", "tel_no": "mobile", "contact": "mobile",
    "家庭住址": "address", "微信号": "wechat", "备注": "note", "姓名": "name", "户主": "name", "身份证号": "id",
    "联系电话": "mobile", "住址": "address", "XM": "name", "ZJHM": "id", "SJHM": "mobile", "owner": "name",
    "address": "address", "wechat": "wechat", "remark": "note",
    "col7": "id", "col8": "id", "col9": "mobile_text",
}
CONTENT_ONLY = ("col7", "col8", "col9")


def id_number(seq: int) -> str:
    """A mainland id-card number with a valid GB 11643 check digit (birth dates 1950-1999)."""
    body = f"500101{1950 + seq % 50}{1 + seq % 12:02d}{1 + seq % 28:02d}{seq % 1000:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, _W, strict=True)) % 11]


def value(kind: str, ci: int, i: int) -> str:
    mobile = f"13{3 + ci % 7}{ci:02d}{i:06d}"
    return {"id": id_number(ci * 50 + i), "name": f"测名{ci:02d}号{i:02d}", "mobile": mobile,
            "address": f"幸福村{ci}巷{i}号", "wechat": f"wx_secret_{ci}_{i}", "note": f"备忘{ci}条{i}",
            "mobile_text": f"家里电话 {mobile}"}[kind]


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    d = tmp_path_factory.mktemp("register")
    values = {c: [value(k, ci, i) for i in range(N)] for ci, (c, k) in enumerate(COLUMNS.items())}
    table = pd.DataFrame({"户编号": [f"H{i:03d}" for i in range(N)],
                          "经度": [f"{LON0 + 0.0004 * (i % 6):.6f}" for i in range(N)],
                          "纬度": [f"{LAT0 + 0.0003 * (i // 6):.6f}" for i in range(N)],
                          "人口": [str(2 + i % 4) for i in range(N)], "村民小组": ["一组"] * N, **values})
    path = d / "register.csv"
    table.to_csv(path, index=False, encoding="utf-8")
    return path, values


def _leaks(html: str, values: dict[str, list[str]]) -> dict[str, int]:
    """How many values of each column are in the page, as typed or as JSON escapes."""
    out = {}
    for col, vals in values.items():
        forms = [(v, json.dumps(v)[1:-1]) for v in vals]
        n = sum(1 for v, esc in forms if v in html or esc in html)
        if n:
            out[col] = n
    return out


def _run(args: list[str]) -> str:
    res = runner.invoke(app, args)
    assert res.exit_code in (0, 1), res.output
    return res.output


ALL = ",".join(COLUMNS)


# --------------------------------------------------------------------------------------------- recognition
def test_every_register_column_is_recognised_and_how() -> None:
    frame = pd.DataFrame({c: [value(k, ci, i) for i in range(5)] for ci, (c, k) in enumerate(COLUMNS.items())})
    found = find_personal(frame)
    assert list(found) == list(COLUMNS)
    assert {c: found[c] for c in CONTENT_ONLY} == {"col7": "id_number", "col8": "id_number", "col9": "mobile"}
    assert all(found[c] == "name" for c in COLUMNS if c not in CONTENT_ONLY)


def test_names_compare_after_nfkc_case_and_spaces() -> None:
    for name in ("姓　名", " Tel No ", "ＨＺＸＭ", "ID-Card", "身份證號碼", "户主姓名", "联系电话2", "owner_phone", "LXDH"):
        assert personal_name(name), name
    assert name_key("姓 名") == "姓名" and name_key("TEL_NO") == "telno"


def test_canonical_and_code_columns_are_not_personal() -> None:
    names = [a for aliases in ALIASES.values() for a in aliases] + list(MAP_FIELDS) + [
        "unit_id", "unit_status", "meeting_hid", "n_households", "walk_min", "hub_id", "统计用区划代码", "村代码"]
    assert [n for n in names if personal_name(n)] == []


def test_id_numbers_need_a_valid_check_digit() -> None:
    good = [id_number(s) for s in range(30)]
    assert valid_id_numbers(good).all()
    bad = [g[:17] + ("0" if g[17] != "0" else "1") for g in good]  # one wrong check digit each
    assert not valid_id_numbers(bad).any()
    assert content_kind(pd.Series(bad)) is None and content_kind(pd.Series(good)) == "id_number"
    assert content_kind(pd.Series([int(g) for g in good if g[-1] != "X"])) == "id_number"  # read as numbers
    assert content_kind(pd.Series(["500101001001", "12345678901234567"])) is None  # division code, 17 digits


def test_mobile_numbers_in_text_and_not_in_coordinates() -> None:
    assert content_kind(pd.Series(["电话：139-1234-5678。", "无"])) == "mobile"
    assert content_kind(pd.Series(["+86 13912345678"])) == "mobile"
    assert content_kind(pd.Series([13912345678, 2])) == "mobile"
    assert content_kind(pd.Series(["12912345678", "106.13912345678", "139123456789", "一组"])) is None
    assert content_kind(pd.Series([106.13912345678, 29.5])) is None
    assert content_kind(pd.Series([True, False])) is None


def test_a_sample_finds_one_number_among_many_and_is_deterministic() -> None:
    vals = [f"户{i}" for i in range(20_000)]
    vals[13_337] = "13912345678"
    s = pd.Series(vals)
    kinds = {content_kind(s, sample=20_000), content_kind(s, sample=20_000)}
    assert kinds == {"mobile"}
    assert content_kind(s, sample=100) == content_kind(s, sample=100)  # the same sample every time


def test_map_fields_is_an_allow_list() -> None:
    f = pd.DataFrame({"persons": [2], "group": ["一组"], "手機": ["13912345678"], "col7": [id_number(3)],
                      "plot": ["A"], "unrequested": ["x"]})
    assert map_fields(f) == ["persons", "group"]
    assert map_fields(f, ["plot", "手機", "col7"]) == ["persons", "group", "plot"]
    assert map_fields(f, ["plot", "手機", "col7"], include_personal=True) == ["persons", "group", "plot", "手機", "col7"]
    assert map_fields(f, include_personal=True) == ["persons", "group"]  # --include-personal alone shows nothing


def test_unknown_field_is_a_coded_error_and_file_names_resolve() -> None:
    f = pd.DataFrame({"persons": [2], "备注": ["x"]})
    assert resolve_fields(f, ["人口", "备注"], "h.csv") == ["persons", "备注"]
    with pytest.raises(InputError) as exc:
        resolve_fields(f, ["nope", "备注"], "h.csv")
    assert exc.value.code == "FIELDS-UNKNOWN" and exc.value.exit_code == 2
    assert "nope" in exc.value.render("en") and "persons" in exc.value.render("en")


def test_attr_personal_says_what_how_and_what_was_kept_out() -> None:
    frame = pd.DataFrame({"户主名": ["张三"], "col7": [id_number(1)], "col9": ["13912345678"], "n": [1]})
    (p,) = check_personal(frame, "h.csv")
    assert (p.code, p.severity) == ("ATTR-PERSONAL", "warning")
    assert (p.params["by_name"], p.params["by_id"], p.params["by_mobile"]) == (["户主名"], ["col7"], ["col9"])
    assert p.params["kept"] == ["户主名", "col7", "col9"] and p.params["shown"] == ["—"]
    (q,) = with_shown([p], ["col7", "n"], True)
    assert q.params["kept"] == ["户主名", "col9"] and q.params["shown"] == ["col7"]
    (r,) = with_shown([p], ["col7"], False)
    assert r.params["kept"] == ["户主名", "col7", "col9"]
    # made in Python, its fix names make_map's keyword arguments (the command line's options: below)
    for lang, words in (("zh", ("按内容", "不写入地图、打印工作单和方案表", "“fields=”", "“include_personal=True”",
                                "make_map(..., fields=['户主名'], include_personal=True)")),
                        ("en", ("by name", "Kept out of the maps, the printed unit sheets and the plan tables",
                                "named in fields=", "pass include_personal=True",
                                "make_map(..., fields=['户主名'], include_personal=True)"))):
        msg = q.message(lang)
        assert all(w in msg for w in words) and "--fields" not in msg and "--include-personal" not in msg, msg
        assert "张三" not in msg and "13912345678" not in msg  # names columns, never values


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", ("按列名识别：户主名", "按内容识别为身份证号码：col7", "不写入地图、打印工作单和方案表：户主名、col7",
            "用 yuanluo map 画划分结果并加 --fields 户主名 --include-personal")),  # validate has no --fields
    ("en", ("by name: 户主名", "holding id-card numbers: col7",
            "Kept out of the maps, the printed unit sheets and the plan tables: 户主名, col7",
            "draw the delineation result with yuanluo map --fields 户主名 --include-personal"))])
def test_attr_personal_on_the_command_line_names_the_options(tmp_path: Path, lang: str, words: tuple[str, ...]) -> None:
    lines = ["户编号,经度,纬度,户主名,col7"] + [
        f"{i},{LON0 + 0.0004 * i:.6f},{LAT0:.6f},张{i},{id_number(i)}" for i in range(1, 4)]
    path = tmp_path / "h.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = runner.invoke(app, ["--lang", lang, "validate", str(path), "--crs", "EPSG:4490"], env={"COLUMNS": "400"})
    assert res.exit_code == 0 and "ATTR-PERSONAL" in res.output, res.output
    assert all(w in res.output for w in words) and "include_personal=" not in res.output, res.output
    assert "张1" not in res.output and id_number(1) not in res.output  # names columns, never values


def test_is_personal_keeps_its_old_answers() -> None:
    assert [is_personal(c) for c in ["户主姓名", "Phone", "persons", "身份证号码", "户编号"]] == [
        True, True, False, True, False]


# --------------------------------------------------------------------------------------------- every map
@pytest.fixture(scope="module")
def result(register: tuple[Path, dict[str, list[str]]], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``delineate --map`` with every register column in --fields (no --include-personal), then the result."""
    path, _ = register
    d = tmp_path_factory.mktemp("maps")
    gpkg, html = d / "r.gpkg", d / "delineate.html"
    out = _run(["delineate", str(path), "--crs", "EPSG:4490", "--min", "5", "--max", "15", "-o", str(gpkg),
                "--map", str(html), "--fields", ALL, "--lang", "en"])
    assert "ATTR-PERSONAL" in out
    return {"dir": d, "gpkg": gpkg, "delineate": html}


def test_delineate_map_has_no_personal_value(register, result) -> None:
    _, values = register
    html = result["delineate"].read_text(encoding="utf-8")
    assert _leaks(html, values) == {}
    fields = json.loads(re.search(r"var D = (\{.*?\});\n", html).group(1))["fields"]
    assert set(fields) <= set(MAP_FIELDS)


def test_map_command_without_and_with_include_personal(register, result) -> None:
    _, values = register
    plain, shown = result["dir"] / "map.html", result["dir"] / "map_personal.html"
    out = _run(["map", str(result["gpkg"]), "-o", str(plain), "--fields", ALL])
    assert "ATTR-PERSONAL" in out
    assert _leaks(plain.read_text(encoding="utf-8"), values) == {}
    held_back = {"备注", "col9", "tel_no"}  # personal, not named: still kept out with --include-personal
    named = ",".join(c for c in COLUMNS if c not in held_back)
    assert "FIELDS-NONE" not in _run(["map", str(result["gpkg"]), "-o", str(shown), "--fields", named,
                                      "--include-personal"])
    leaks = _leaks(shown.read_text(encoding="utf-8"), values)
    assert leaks == {c: N for c in COLUMNS if c not in held_back}  # every value of every named column: the search works


@pytest.mark.parametrize(("lang", "words", "fix"), [
    ("zh", ("输入提示", "FIELDS-NONE", "只有在 --fields 中点名时才写入地图"), "用 --fields 点名要显示的列"),
    ("en", ("Input warnings", "FIELDS-NONE", "shown only when named with --fields"),
     "name the columns to show with --fields")])
def test_include_personal_without_fields_is_a_coded_warning(register, result, lang, words, fix) -> None:
    _, values = register
    html = result["dir"] / f"alone_{lang}.html"
    res = runner.invoke(app, ["map", str(result["gpkg"]), "-o", str(html), "--include-personal", "--lang", lang],
                        env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    assert all(w in res.output for w in words), res.output
    assert fix in problem("FIELDS-NONE", severity="warning").message(lang)  # the fix names an existing option
    assert _leaks(html.read_text(encoding="utf-8"), values) == {}  # and it really showed nothing extra


def test_include_personal_without_fields_on_check_map(result) -> None:
    html = result["dir"] / "check_alone.html"
    res = runner.invoke(app, ["check", str(result["gpkg"]), "--unit-col", "unit_id", "--min", "5", "--max", "15",
                              "--map", str(html), "--include-personal", "--lang", "en"], env={"COLUMNS": "400"})
    assert res.exit_code in (0, 1) and "Input warnings" in res.output and "FIELDS-NONE" in res.output, res.output
    assert html.exists()  # a warning: the map is still written


def test_check_map_has_no_personal_value(register, result) -> None:
    _, values = register
    html = result["dir"] / "check.html"
    _run(["check", str(result["gpkg"]), "--layer", "households", "--unit-col", "unit_id", "--min", "5", "--max",
          "15", "--map", str(html), "--fields", ALL])
    assert _leaks(html.read_text(encoding="utf-8"), values) == {}


def test_cover_map_has_no_personal_value(register, result) -> None:
    _, values = register
    html = result["dir"] / "cover.html"
    _run(["cover", str(result["gpkg"]), "-o", str(result["dir"] / "cover.gpkg"), "--hubs", "2", "--map", str(html),
          "--fields", ALL])
    assert _leaks(html.read_text(encoding="utf-8"), values) == {}


def test_unknown_field_on_the_command_line_writes_nothing(register, tmp_path) -> None:
    path, _ = register
    res = runner.invoke(app, ["delineate", str(path), "--crs", "EPSG:4490", "--min", "5", "--max", "15",
                              "-o", str(tmp_path / "x.gpkg"), "--map", str(tmp_path / "x.html"), "--fields", "户主名,无此列"])
    assert res.exit_code == 2 and "FIELDS-UNKNOWN" in res.output and "无此列" in res.output
    assert list(tmp_path.iterdir()) == []


def test_numbers_in_the_register_are_text_in_the_output(register, result) -> None:
    import pyogrio

    hh = pyogrio.read_dataframe(result["gpkg"], layer="households")
    assert hh["col7"].tolist()[:3] == register[1]["col7"][:3]
    assert np.all(hh["col7"].astype(str).str.len() == 18)


def test_household_ids_that_are_id_numbers_are_named(tmp_path) -> None:
    from yuanluo.gis.io import read_households

    lines = ["户编号,经度,纬度,人口"] + [f"{id_number(i)},{LON0 + 0.0004 * i:.6f},{LAT0:.6f},3" for i in range(4)]
    path = tmp_path / "ids.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, rep = read_households(path, crs="EPSG:4490")
    (p,) = [w for w in rep.warnings if w.code == "ID-PERSONAL"]
    assert p.severity == "warning" and p.params["column"] == "户编号" and p.python
    for lang, keyword in (("en", "choose another id column with id_col="), ("zh", "用 “id_col=” 选另一列作住户编号")):
        assert keyword in p.message(lang) and "--id-col" not in p.message(lang), p.message(lang)
    res = runner.invoke(app, ["--lang", "en", "validate", str(path), "--crs", "EPSG:4490"], env={"COLUMNS": "400"})
    assert "ID-PERSONAL" in res.output and "choose another id column with --id-col" in res.output, res.output
    assert [w.code for w in check_personal([], "h.csv", ids=["H001", "H002"])] == []


def test_attr_personal_names_only_what_it_found() -> None:
    """A usual household file has a name column and nothing found by content: the message says that alone,
    without "按内容识别出身份证号码：—" clauses, and its fix names the file's own column."""
    (p,) = check_personal(pd.DataFrame({"户主姓名": ["张三"], "n": [1]}), "h.csv")
    assert p.title("zh") == ("文件 h.csv 含有个人信息列（按列名识别：户主姓名）。不写入地图、打印工作单和方案表：户主姓名。"
                             "这些列仍保留在农户表中。")
    assert "—" not in p.message("en")
    assert "（如 make_map(..., fields=['户主姓名'], include_personal=True)，" in p.fix("zh")  # on the command line:
    assert "make_map(..., fields=['户主姓名'], include_personal=True)" in p.fix("en")  # "--fields 户主姓名 …", above
    (q,) = with_shown([p], ["户主姓名"], True)
    assert q.title("en").endswith("(by name: 户主姓名). Shown on the maps, the printed unit sheets and the plan tables as asked: 户主姓名. They stay in the household table.")
