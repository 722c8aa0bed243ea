"""A problem met from Python names keyword arguments and Python functions; under ``yuanluo`` flags and commands
(session 27, audit T).

1. Fixes met from Python named command-line flags (``--unit-col``, ``--thorough-heads``, ``--lock``, ``--rivers``,
   ``--sheet`` …) or commands (``yuanluo repair``, ``yuanluo graph``) that a notebook cannot use: they now have a
   ``fix_py`` naming the keyword arguments of the function that met the problem, or the Python function to call
   (``repair_plan``, ``build_graph``).
2. Titles named the flag a value was given with (``--encoding foo``, ``--crs EPSG:4544``, ``the --boundary layer``,
   ``given to --candidates``): they now have a ``title_py``.
3. ``on_command_line()`` was true under any Click command, so a planner's own ``@click.command()`` script calling
   ``read_households`` was told ``--crs``: it is now true only while a command of ``yuanluo`` runs.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import openpyxl
import pytest
from click.testing import CliRunner as ClickRunner
from test_repair import valid
from typer.testing import CliRunner

import yuanluo
from yuanluo.gis.catalogue import LANGS, on_command_line, template
from yuanluo.gis.cover import one_median
from yuanluo.gis.errors import InputError, Problem, YuanluoError
from yuanluo.gis.io import read_households, read_layer, read_points
from yuanluo.gis.lock import delineate_around, lock_breaches
from yuanluo.gis.maturity import read_scores
from yuanluo.gis.plan import assign_by_unit_polygons
from yuanluo.gis.rules import Rules
from yuanluo.planners.cli import app
from yuanluo.planners.cover import site

HAN = re.compile(r"[\u3400-\u9fff]")
FLAG = re.compile(r"(?<![\w-])--[a-z]")
COMMAND = re.compile(r"\byuanluo (?:repair|graph|check|delineate|edit|maturity|validate|map|cover)\b")


@pytest.fixture(autouse=True)
def _no_lang_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("YUANLUO_LANG", raising=False)


def _no_cli_words(said: str) -> None:
    assert not FLAG.search(said), said
    assert not COMMAND.search(said), said


# ------------------------------------------------------------------------------------------------- defect 1
#: code -> the functions from which a notebook meets it, the keyword arguments its Python fix names (each a
#: parameter of every one of those functions) and the Python functions it names
FIX_PY: dict[str, tuple[tuple[Callable[..., Any], ...], tuple[str, ...], tuple[str, ...]]] = {
    "UNITS-COLUMN": ((assign_by_unit_polygons,), ("id_col",), ()),
    "COVER-NO-SITE": ((site, one_median), ("candidates",), ()),
    "HEAD-UNPLACED": ((yuanluo.UnitDelineator,), ("head_exact_max_n", "random_state"), ("UnitDelineator",)),
    "LOCK-VALUE": ((yuanluo.repair_plan,), ("locked",), ("repair_plan",)),
    "LOCK-BREACH": ((lock_breaches, delineate_around), ("locked",), ("delineate_around",)),
    "BARRIER-POINTS": ((yuanluo.build_graph,), ("rivers", "water", "roads"), ("read_layer",)),
    "BARRIER-FAR": ((yuanluo.build_graph,), ("rivers", "water", "roads"), ()),
    "RESULT-UNITS-STALE": ((), (), ("check_plan",)),
    "PLAN-UNASSIGNED": ((), (), ("repair_plan",)),
    "SIZE-LOW": ((), (), ("repair_plan",)),
    "CHECK-GRAPH": ((), (), ("build_graph",)),
    "REPAIR-GRAPH": ((), (), ("build_graph",)),
    "PLAN-ID-ZEROS": ((), (), ()),
}


@pytest.mark.parametrize("code", sorted(FIX_PY))
def test_a_fix_met_from_python_names_no_flag_or_command(code: str) -> None:
    for lang in LANGS:
        assert template(code, lang, "fix_py") is not None, code
        _no_cli_words(Problem(code, python=True).fix(lang))
        cli = Problem(code, python=False).fix(lang)  # the command line's wording is kept
        assert FLAG.search(cli) or COMMAND.search(cli) or code == "RESULT-UNITS-STALE", cli
    en = Problem(code, python=True).fix("en")
    assert not HAN.search(en.replace("是", "").replace("否", "").replace("院落编号", "")), en  # quoted cell values


@pytest.mark.parametrize("code", sorted(FIX_PY))
def test_what_a_python_fix_names_exists_with_that_meaning(code: str) -> None:
    functions, keywords, named = FIX_PY[code]
    en = template(code, "en", "fix_py") or ""
    zh = template(code, "zh", "fix_py") or ""
    for kw in keywords:
        assert f"{kw}=" in en or f"{kw})" in en, (code, kw)
        assert f"“{kw}" in zh, (code, kw)
        for f in functions:
            assert kw in inspect.signature(f).parameters, (code, f, kw)
    for name in named:
        assert name in en and f"“{name}" in zh, (code, name)
        assert callable(getattr(yuanluo, name, None) or getattr(yuanluo.gis.lock, name, None)
                        or getattr(yuanluo.gis.io, name, None)), name


def test_check_plan_and_repair_plan_name_python_functions_not_commands() -> None:
    hh, g, lab, _, _ = valid()
    res = yuanluo.check_plan(hh, lab.iloc[:-1], Rules(20, 20), graph=g)
    v = res.violations.set_index("code")
    assert {"PLAN-UNASSIGNED", "SIZE-LOW"} <= set(v.index)
    for code in ("PLAN-UNASSIGNED", "SIZE-LOW"):
        for col in ("message_en", "message_zh"):
            said = str(v.loc[code, col])
            _no_cli_words(said)
            assert "repair_plan" in said, said
    part = yuanluo.build_graph(hh.iloc[:-1])
    for call in (lambda: yuanluo.check_plan(hh, lab, Rules(20, 20), graph=part),
                 lambda: yuanluo.repair_plan(hh, lab, Rules(20, 20), part)):
        with pytest.raises(InputError) as e:
            call()
        assert e.value.codes[0] in ("CHECK-GRAPH", "REPAIR-GRAPH")
        for lang in LANGS:
            said = e.value.render(lang)
            _no_cli_words(said)
            assert "build_graph" in said, said


def _score_book(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "一季度"
    ws.append(["院落编号", "评估期", "政策宣讲-内容"])
    ws.append(["U001", "2026Q1", 7])
    wb.save(path)
    return path


def test_an_unknown_sheet_asked_of_read_scores_is_told_sheet_names(tmp_path: Path) -> None:
    book = _score_book(tmp_path / "s.xlsx")
    csv = tmp_path / "s.csv"
    csv.write_text("院落编号,评估期,政策宣讲-内容\nU001,2026Q1,7\n", encoding="utf-8")
    for paths in ([book], [book, csv]):
        with pytest.raises(InputError) as e:
            read_scores(paths, sheet_names=["二季度"] if len(paths) == 1 else ["一季度"])
        assert e.value.codes == ["MAT-SHEET-UNKNOWN"]
        for lang in LANGS:
            said = e.value.render(lang)
            _no_cli_words(said)
            assert "sheet_names=" in said and "read_scores" in said, said


def test_unit_polygons_without_an_id_column_are_told_id_col_from_python(tmp_path: Path) -> None:
    import geopandas as gpd
    from shapely.geometry import box

    hh, _g, _lab, _, _ = valid()
    polys = gpd.GeoDataFrame({"village": ["V1"]}, geometry=[box(*hh.total_bounds)], crs=hh.crs)
    with pytest.raises(InputError) as e:
        assign_by_unit_polygons(hh, polys, file="u.gpkg")
    assert e.value.codes == ["UNITS-COLUMN"]
    assert "id_col='village'" in e.value.render("en") and " id_col='village'" in e.value.render("zh")
    _no_cli_words(e.value.render("en"))


# ------------------------------------------------------------------------------------------------- defect 2
def _csv(tmp_path: Path, name: str, body: str) -> Path:
    p = tmp_path / name
    p.write_text(body, encoding="utf-8")
    return p


OK = "户编号,经度,纬度\nH1,108.4544,29.1415\nH2,108.4545,29.1411\n"
PTS = "名称,经度,纬度\n甲,108.4544,29.1414\n乙,abc,29.1411\n"


def _said(call: Callable[[], Any]) -> list[str]:
    """What an error, or the warnings of a result, say in both languages."""
    try:
        out = call()
    except YuanluoError as e:
        return [e.render(lang) for lang in LANGS]
    ws = out[1].warnings if isinstance(out, tuple) else out.attrs.get("warnings", [])
    return [w.message(lang) for w in ws for lang in LANGS]


def test_a_title_met_from_python_names_no_flag(tmp_path: Path) -> None:
    ok, pts = _csv(tmp_path, "ok.csv", OK), _csv(tmp_path, "pts.csv", PTS)
    layer = tmp_path / "b.gpkg"
    import geopandas as gpd
    from shapely.geometry import box

    gpd.GeoDataFrame({"name": ["a"]}, geometry=[box(108.40, 29.10, 108.452, 29.15)], crs=4490).to_file(layer)
    cases = {
        "ENC-UNKNOWN": lambda: read_households(ok, encoding="foo", crs="EPSG:4490"),
        "POINTS-CRS": lambda: read_points(pts, kind="candidates", working_crs="EPSG:4545"),
        "POINTS-COORD": lambda: read_points(pts, kind="candidates", working_crs="EPSG:4545", crs="EPSG:4490"),
        "LAYER-REPROJECTED": lambda: read_layer(layer, kind="boundary", working_crs="EPSG:4545"),
        "SPAT-OUTSIDE": lambda: read_households(ok, crs="EPSG:4490", boundary=layer),
        "CRS-OVERRIDE": lambda: read_households(layer.with_name("h.gpkg"), crs="EPSG:4326"),
    }
    gpd.GeoDataFrame({"户编号": ["H1"]}, geometry=gpd.points_from_xy([108.45], [29.14]), crs=4490).to_file(
        tmp_path / "h.gpkg")
    for code, call in cases.items():
        said = _said(call)
        assert said and any(code in s for s in said), (code, said)
        for s in said:
            if code in s:
                _no_cli_words(s)
    en = _said(cases["ENC-UNKNOWN"])[1]
    assert "encoding='foo' is not a known text encoding name" in en, en
    assert "boundary=" in " ".join(_said(cases["SPAT-OUTSIDE"]))


def test_the_command_line_still_names_its_flags_in_a_title(tmp_path: Path) -> None:
    ok = _csv(tmp_path, "ok.csv", OK)
    res = CliRunner().invoke(app, ["validate", str(ok), "--crs", "EPSG:4490", "--encoding", "foo", "--lang", "en"])
    assert res.exit_code == 2, res.output
    flat = " ".join(res.output.split())
    assert "ENC-UNKNOWN" in flat and "--encoding foo is not a known text encoding name" in flat, flat


# ------------------------------------------------------------------------------------------------- defect 3
@click.command()
@click.argument("path")
def _own_script(path: str) -> None:
    """A planner's own Click script (its options none of Yuanluo's) calling the Python API."""
    assert not on_command_line()
    try:
        read_households(path)
    except YuanluoError as e:
        click.echo(e.render("en"))


def test_a_users_own_click_command_gets_the_python_wording(tmp_path: Path) -> None:
    p = _csv(tmp_path, "xy.csv", "户编号,经度,纬度\nH1,108.4544,29.1415\n")
    res = ClickRunner().invoke(_own_script, [str(p)])
    assert res.exit_code == 0, (res.output, res.exception)
    assert "CRS-MISSING" in res.output and "crs=" in res.output, res.output
    assert "--crs" not in res.output, res.output


def test_a_yuanluo_command_still_gets_the_command_line_wording(tmp_path: Path) -> None:
    p = _csv(tmp_path, "xy.csv", "户编号,经度,纬度\nH1,108.4544,29.1415\n")
    res = CliRunner().invoke(app, ["validate", str(p), "--lang", "en"])
    assert res.exit_code == 2 and "--crs" in res.output, res.output
