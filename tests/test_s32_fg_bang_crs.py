"""OUT-DIR-BANG no longer says files in a folder with ``!`` cannot be read (since b26fd49 they are): it is about
writing a GeoPackage there, which is still refused (audit s32 ZC §5). ``make_village(crs="junk")`` is
CRS-WORKING-UNKNOWN, worded as ``read_dem`` and ``to_working_crs`` word the same mistake (it was SYNTH-CRS 'not a
projected CRS in metres'); a real CRS that is not projected in metres stays SYNTH-CRS."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from yuanluo import read_households
from yuanluo.gis.errors import CRSError, OutputError
from yuanluo.gis.output import write_layers
from yuanluo.gis.synth import make_village
from yuanluo.gis.terrain import read_dem

HAN = re.compile(r"[\u4e00-\u9fff]")


def test_out_dir_bang_says_what_is_refused_and_what_is_not(tmp_path: Path) -> None:
    plain = tmp_path / "第1批"
    make_village(30, seed=1).write(plain)
    bang = plain.rename(tmp_path / "第1批!")  # a folder a planner named so
    hh, _ = read_households(bang / "households.gpkg")  # read from the folder: the text must not deny it
    assert len(hh) == 30
    with pytest.raises(OutputError) as err:
        write_layers(bang / "out.gpkg", {"households": hh})
    assert err.value.codes == ["OUT-DIR-BANG"]
    zh, en = err.value.render("zh"), err.value.render("en")
    assert not HAN.search(en.replace(str(tmp_path / "第1批"), ""))
    assert "也读不出" not in zh and "nor read from it" not in en  # what it said before
    assert "读入这个文件夹中的数据不受影响" in zh and "reading data from it is not affected" in en
    assert "无法把 GeoPackage 写进这个文件夹" in zh and "cannot write one into that folder" in en
    assert not (bang / "out.gpkg").exists()


def test_make_village_with_no_crs_at_all_is_worded_as_read_dem(tmp_path: Path) -> None:
    with pytest.raises(CRSError) as err:
        make_village(50, crs="junk")
    assert err.value.codes == ["CRS-WORKING-UNKNOWN"]  # was SYNTH-CRS 'is not a projected CRS in metres'
    mine = {lang: err.value.render(lang) for lang in ("zh", "en")}
    make_village(20, seed=1).write(tmp_path)
    with pytest.raises(CRSError) as err:
        read_dem(tmp_path / "dem.tif", working_crs="junk")
    theirs = {lang: err.value.render(lang) for lang in ("zh", "en")}
    for lang in ("zh", "en"):  # the same words, the call and keyword its own
        assert mine[lang] == theirs[lang].replace("read_dem", "make_village").replace("working_crs=", "crs=")
    assert "'junk', given to make_village as crs=, is not a coordinate system Yuanluo recognises" in mine["en"]
    assert "“make_village” 的 “crs=” 给出的 “junk” 不是可识别的坐标系" in mine["zh"]
    assert not HAN.search(mine["en"])
    with pytest.raises(CRSError) as err:
        make_village(50, crs="EPSG:4490")  # a CRS, but in degrees: the synthetic village's own words
    assert err.value.codes == ["SYNTH-CRS"]
