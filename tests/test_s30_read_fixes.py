"""Fixes of reading errors that must work when followed (audit Y §1, §2, §7): READ-FRAME's ``to_csv`` keeps the
household ids when they are the frame's index; ENC-GUESS for a table --encoding does not reach says to save it
again; a LibreOffice lock file is IO-LOCKFILE naming its workbook."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from badfiles import HEADER, LAT0, LON0, good_rows, write_csv
from typer.testing import CliRunner

from yuanluo import make_village, read_households
from yuanluo.gis.errors import InputError
from yuanluo.planners.cli import app

runner = CliRunner()


def _to_csv_call(message: str) -> str:
    """The ``df.to_csv(...)`` call a fix prints."""
    return re.search(r"df\.to_csv\([^)]*\)", message).group(0)


@pytest.mark.parametrize("lang, name", [("zh", "住户.csv"), ("en", "households.csv")])
def test_read_frame_fix_keeps_ids_of_the_index(tmp_path, monkeypatch, lang, name):
    monkeypatch.chdir(tmp_path)
    hh = make_village(40, seed=5).households  # ids are the index "hid", as make_village and read_households give them
    lonlat = hh.to_crs("EPSG:4490")
    df = pd.DataFrame(hh.drop(columns="geometry"))
    df["lon"], df["lat"] = lonlat.geometry.x, lonlat.geometry.y
    with pytest.raises(InputError) as e:
        read_households(df)
    p = e.value.problems[0]
    assert p.code == "READ-FRAME"
    call = _to_csv_call(p.fix(lang))
    assert name in call
    exec(call, {"df": df})  # follow the printed fix
    back, _ = read_households(name, crs="EPSG:4490")
    assert back.index.tolist() == hh.index.tolist()


def test_read_frame_fix_leaves_out_a_default_row_numbering(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    hh = make_village(30, seed=2).households.to_crs("EPSG:4490")
    df = pd.DataFrame({"户编号": hh.index, "经度": hh.geometry.x.to_numpy(), "纬度": hh.geometry.y.to_numpy()})
    with pytest.raises(InputError) as e:
        read_households(df)
    call = _to_csv_call(e.value.problems[0].fix("zh"))
    assert "index=False" in call
    exec(call, {"df": df})
    back, _ = read_households("住户.csv", crs="EPSG:4490")
    assert back.index.tolist() == hh.index.tolist()


def _village(tmp: Path, n: int = 12) -> Path:
    """``n`` households in two settlements of six (a plan any 4–8 band accepts)."""
    rows = [f"{r},{'东院' if i < n // 2 else '西院'}" for i, r in enumerate(good_rows(n))]
    return write_csv(tmp, "hh.csv", [HEADER + ",院落", *rows])


def _resave_as_the_fix_says(p: Path, fix: str) -> Path:
    """Follow an encoding fix that says to save the table again as a UTF-8 CSV."""
    assert "UTF-8" in fix and "CSV" in fix, fix
    q = p.with_name(p.stem + "-utf8.csv")
    q.write_text(p.read_bytes().decode("utf-16-le"), encoding="utf-8")
    return q


def _one_line(output: str) -> str:
    return " ".join(output.split())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_seeds_in_utf16_without_bom_get_a_fix_that_works(tmp_path: Path, lang: str) -> None:
    hh = _village(tmp_path)
    seeds = tmp_path / "seeds16.csv"
    seeds.write_bytes("户编号,备注\n002,老院子\n009,祠堂\n".encode("utf-16-le"))
    out = tmp_path / "out.gpkg"
    base = ["--lang", lang, "delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "-o", str(out)]
    res = runner.invoke(app, [*base, "--seeds", str(seeds)], env={"COLUMNS": "400"})
    said = _one_line(res.output)
    assert res.exit_code == 2 and "ENC-GUESS" in said and "--encoding utf-16" not in said, said
    assert not out.exists()
    res = runner.invoke(app, [*base, "--seeds", str(_resave_as_the_fix_says(seeds, said)), "-q"])
    assert res.exit_code == 0, res.output
    assert out.exists()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cover_candidates_in_utf16_without_bom_get_a_fix_that_works(tmp_path: Path, lang: str) -> None:
    result = tmp_path / "r.gpkg"
    res = runner.invoke(app, ["delineate", str(_village(tmp_path)), "--crs", "EPSG:4490", "--min", "4", "--max", "8",
                              "-o", str(result), "-q"])
    assert res.exit_code == 0, res.output
    cand = tmp_path / "cand16.csv"
    cand.write_bytes(f"名称,经度,纬度\n村委会,{LON0 + 0.001:.6f},{LAT0:.6f}\n祠堂,{LON0 + 0.003:.6f},{LAT0 + 0.0003:.6f}\n"
                     .encode("utf-16-le"))
    out = tmp_path / "c.gpkg"
    base = ["--lang", lang, "cover", str(result), "--crs", "EPSG:4490", "-o", str(out)]
    res = runner.invoke(app, [*base, "--candidates", str(cand)], env={"COLUMNS": "400"})
    said = _one_line(res.output)
    assert res.exit_code == 2 and "ENC-GUESS" in said and "--encoding utf-16" not in said, said
    assert not out.exists()
    res = runner.invoke(app, [*base, "--candidates", str(_resave_as_the_fix_says(cand, said)), "-q"])
    assert res.exit_code == 0, res.output
    assert out.exists()


def test_the_household_file_in_utf16_is_still_told_encoding(tmp_path: Path) -> None:
    hh = tmp_path / "hh16.csv"
    hh.write_bytes(_village(tmp_path).read_text(encoding="utf-8").encode("utf-16-le"))
    res = runner.invoke(app, ["--lang", "en", "validate", str(hh), "--crs", "EPSG:4490"], env={"COLUMNS": "400"})
    said = _one_line(res.output)
    assert res.exit_code == 2 and "ENC-GUESS" in said and "--encoding utf-16" in said, said
    res = runner.invoke(app, ["--lang", "en", "validate", str(hh), "--crs", "EPSG:4490", "--encoding", "utf-16"])
    assert res.exit_code == 0, res.output


LIBRE_LOCK = ",LibreOffice User,host,03.12.2026 10:00,file:///home/u/.config/libreoffice/4;"


@pytest.mark.parametrize("lang, says", [("zh", "是 LibreOffice 打开 方案.xlsx 时生成的锁文件"),
                                        ("en", "the lock file LibreOffice keeps while 方案.xlsx is open")])
def test_a_libreoffice_lock_file_is_said_to_be_one(tmp_path: Path, lang: str, says: str) -> None:
    hh = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(12)])
    lock = tmp_path / ".~lock.方案.xlsx#"
    lock.write_text(LIBRE_LOCK, encoding="utf-8")
    runs = {"plan": ["check", str(hh), "--crs", "EPSG:4490", "--plan", str(lock), "--min", "4", "--max", "8"],
            "households": ["validate", str(lock)],
            "seeds": ["delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "--seeds", str(lock),
                      "-o", str(tmp_path / "o.gpkg")]}
    for what, args in runs.items():
        res = runner.invoke(app, ["--lang", lang, *args], env={"COLUMNS": "400"})
        said = _one_line(res.output)
        assert res.exit_code == 2 and "IO-LOCKFILE" in said and says in said, (what, said)
        assert "Excel" not in said and "~$" not in said, (what, said)
    assert not (tmp_path / "o.gpkg").exists()


def test_a_libreoffice_lock_file_of_scores_names_its_workbook(tmp_path: Path) -> None:
    from yuanluo.gis.maturity import read_scores

    lock = tmp_path / ".~lock.评分表.xlsx#"
    lock.write_text(LIBRE_LOCK, encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_scores(lock)
    p = e.value.problems[0]
    assert p.code == "IO-LOCKFILE" and p.params["name"] == "评分表.xlsx"
    assert "LibreOffice" in p.fix("zh") and "close it" in p.fix("en") and ".~lock." in p.fix("en")
