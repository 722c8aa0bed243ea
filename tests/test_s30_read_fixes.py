"""Fixes of reading errors that must work when followed (audit Y §1, §2, §7): READ-FRAME's ``to_csv`` keeps the
household ids when they are the frame's index; ENC-GUESS for a table --encoding does not reach says to save it
again; a LibreOffice lock file is IO-LOCKFILE naming its workbook."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from yuanluo import make_village, read_households
from yuanluo.gis.errors import InputError


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
