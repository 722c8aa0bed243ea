"""Frames a notebook has, given to the Python API: a MultiIndex (HOUSEHOLDS-INDEX), a frame given to read_households
(READ-FRAME), a frame without a CRS (CRS-UNSET). Each error is coded, in both languages, and its fix works."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from yuanluo import (
    UnitDelineator,
    build_graph,
    check_plan,
    make_village,
    preset,
    read_households,
    repair_plan,
)
from yuanluo.gis.crs import to_working_crs
from yuanluo.gis.errors import InputError


@pytest.fixture(scope="module")
def village():
    return make_village(60, seed=3)


@pytest.fixture(scope="module")
def graph(village):
    return build_graph(village.households)


def _code(exc: pytest.ExceptionInfo) -> str:
    return exc.value.problems[0].code


def _call(message: str) -> str:
    """The first call of a Chinese fix: “hh = …”, or bare where it has quotes of its own (hh = hh.set_crs('…'))."""
    return re.search(r"((?:hh|gdf|df) = [\x20-\x7e]*?)(?=”|（|。|，|$)", message).group(1)


def _multi(hh: pd.DataFrame) -> pd.DataFrame:
    out = hh.copy()
    out.index = pd.MultiIndex.from_arrays([hh["village"], hh.index], names=["village", "hid"])
    return out


@pytest.mark.parametrize("call", ["build_graph", "check_plan", "repair_plan", "fit"])
def test_multiindex_is_a_coded_error_in_every_entry(village, graph, call):
    hh = _multi(village.households)
    labels = pd.Series("U1", index=village.households.index)
    rules = preset("changshou")
    run = {
        "build_graph": lambda: build_graph(hh),
        "check_plan": lambda: check_plan(hh, labels, rules, graph=graph),
        "repair_plan": lambda: repair_plan(hh, labels, rules, graph),
        "fit": lambda: UnitDelineator.from_rules(rules, random_state=0).fit(hh, graph),
    }[call]
    with pytest.raises(InputError) as e:
        run()
    assert _code(e) == "HOUSEHOLDS-INDEX"
    p = e.value.problems[0]
    assert "village、hid" in p.title("zh") and "one level of household ids" in p.title("en")
    assert "hh.droplevel(['village'])" in p.fix("zh") and "hh.droplevel(['village'])" in p.fix("en")


def test_multiindex_fix_works(village):
    hh = _multi(village.households)
    with pytest.raises(InputError) as e:
        build_graph(hh)
    scope = {"hh": hh}
    exec(_call(e.value.problems[0].fix("zh")), {}, scope)
    assert build_graph(scope["hh"]).n == len(village.households)
    # an index level that is no column goes back to being one
    hh2 = _multi(village.households).drop(columns="village")
    with pytest.raises(InputError) as e:
        build_graph(hh2)
    call = _call(e.value.problems[0].fix("zh"))
    assert call == "hh = hh.reset_index(level=['village'])"
    scope = {"hh": hh2}
    exec(call, {}, scope)
    assert "village" in scope["hh"].columns and build_graph(scope["hh"]).n == len(village.households)


def test_read_households_of_a_frame_says_what_to_do(village, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    hh = village.households
    with pytest.raises(InputError) as e:
        read_households(hh)
    p = e.value.problems[0]
    assert p.code == "READ-FRAME" and "GeoDataFrame" in p.title("en") and "HOUSEHOLDS-TYPE" not in p.fix("zh")
    assert "to_working_crs" in p.fix("zh") and "to_file" in p.fix("en")
    hh.to_file("住户.gpkg")  # the fix's way back to read_households' checks works
    back, _ = read_households("住户.gpkg")
    assert back.index.tolist() == hh.index.tolist()

    lonlat = hh.to_crs("EPSG:4490")
    df = pd.DataFrame({"户编号": lonlat.index, "经度": lonlat.geometry.x, "纬度": lonlat.geometry.y})
    with pytest.raises(InputError) as e:
        read_households(df, crs="EPSG:4490")
    p = e.value.problems[0]
    assert p.code == "READ-FRAME" and "DataFrame" in p.title("zh")
    assert "df.to_csv('住户.csv', index=False)" in p.fix("zh")
    df.to_csv("住户.csv", index=False)
    back, _ = read_households("住户.csv", crs="EPSG:4490")
    assert len(back) == len(hh)


def test_no_crs_says_it_is_missing_and_the_fix_works(village, graph):
    hh = village.households.set_crs(None, allow_override=True)
    labels = pd.Series("U1", index=hh.index)
    for run in (lambda: build_graph(hh), lambda: check_plan(hh, labels, preset("changshou"), graph=graph),
                lambda: to_working_crs(hh)):
        with pytest.raises(InputError) as e:
            run()
        p = e.value.problems[0]
        assert p.code == "CRS-UNSET"
        assert "None" not in p.title("zh") and "to_working_crs" in p.fix("zh") and "set_crs" in p.fix("en")
        assert "EPSG:4545" in p.fix("zh")  # the coordinates are metres: a projected example, not lon/lat
    with pytest.raises(InputError) as e:
        build_graph(hh)
    scope = {"hh": hh, "yuanluo": __import__("yuanluo")}
    for call in re.findall(r"(hh = [\x20-\x7e]*?)(?=”|（|。|，|$)", e.value.problems[0].fix("zh")):
        exec(call, scope, scope)
    assert build_graph(scope["hh"]).n == len(hh)
    # lon/lat coordinates get the lon/lat example
    with pytest.raises(InputError) as e:
        to_working_crs(village.households.to_crs("EPSG:4490").set_crs(None, allow_override=True))
    assert "set_crs('EPSG:4490')" in e.value.problems[0].fix("en")


# ------------------------------------------------------------------ files a planner's folder holds (audit P §2, §3)
LOCK = b"\rAdministrator" + b" " * 40 + b"\r" + b"\x00" * 110  # the 165-byte owner file Excel / WPS writes


def test_excel_lock_file_is_said_to_be_one(tmp_path):
    from typer.testing import CliRunner

    from yuanluo.gis.maturity import read_scores
    from yuanluo.planners.cli import app

    (tmp_path / "评分表.xlsx").write_bytes(b"PK")  # the workbook it stands for, beside it
    lock = tmp_path / "~$评分表.xlsx"
    lock.write_bytes(LOCK)
    for lang in ("zh", "en"):
        r = CliRunner().invoke(app, ["--lang", lang, "validate", str(lock)])
        assert r.exit_code == 2 and "IO-LOCKFILE" in r.output, r.output
        assert "评分表.xlsx" in r.output.replace(str(lock), "") and "Excel" in r.output
    with pytest.raises(InputError) as e:
        read_scores(lock)
    p = e.value.problems[0]
    assert p.code == "IO-LOCKFILE" and p.params["name"] == "评分表.xlsx"
    assert "关闭" in p.fix("zh") and "close it" in p.fix("en")


def test_utf16_without_bom_fix_names_utf16(village, tmp_path):
    from typer.testing import CliRunner

    from yuanluo.planners.cli import app

    lonlat = village.households.to_crs("EPSG:4490")
    pts = zip(lonlat.index, lonlat.geometry.x, lonlat.geometry.y, strict=True)
    rows = ["户编号\t经度\t纬度"] + [f"{h}\t{x:.6f}\t{y:.6f}" for h, x, y in pts]
    f = tmp_path / "农户.txt"
    f.write_bytes("\r\n".join(rows).encode("utf-16-le"))
    r = CliRunner().invoke(app, ["validate", str(f), "--crs", "EPSG:4490"])
    assert r.exit_code == 2 and "ENC-GUESS" in r.output, r.output
    assert "--encoding utf-16" in r.output and "utf_16_le" not in r.output and "--encoding gbk" not in r.output
    r = CliRunner().invoke(app, ["validate", str(f), "--crs", "EPSG:4490", "--encoding", "utf-16"])
    assert r.exit_code == 0, r.output
