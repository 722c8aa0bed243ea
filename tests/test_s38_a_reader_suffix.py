"""A reader called from Python does not say that no output file was written (session 38, helper A).

``read_households`` on a bad file in a notebook printed its findings and then '(no output file was written)' /
'（未写出任何结果文件）': nothing was going to be written. That sentence is about a command's outputs; the
command line keeps it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from shared_fixtures import run_cli

from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_households, read_layer, read_points, read_table

SUFFIX = {"zh": "未写出任何结果文件", "en": "no output file was written"}


def _bad_csv(tmp: Path) -> Path:
    p = tmp / "hh.csv"
    p.write_text("户编号,经度,纬度\n001,106.55,\n002,abc,29.56\n", encoding="utf-8")  # no coordinates to read
    return p


READERS: dict[str, Callable[[Path], Any]] = {
    "read_households": lambda p: read_households(p, crs="EPSG:4490"),
    "read_households_missing": lambda p: read_households(p.parent / "none.csv", crs="EPSG:4490"),
    "read_layer": lambda p: read_layer(p.parent / "none.gpkg", kind="water", working_crs="EPSG:4545"),
    "read_points": lambda p: read_points(p.parent / "none.csv", kind="candidates", working_crs="EPSG:4545"),
    "read_table": lambda p: read_table(p.parent / "none.xlsx"),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("reader", sorted(READERS))
def test_a_reader_from_python_says_no_output(tmp_path: Path, lang: str, reader: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YUANLUO_LANG", lang)
    with pytest.raises(InputError) as info:
        READERS[reader](_bad_csv(tmp_path))
    said = str(info.value)
    assert said.startswith("错误 " if lang == "zh" else "Error "), said
    assert SUFFIX[lang] not in said and SUFFIX[lang] not in info.value.render(lang), said


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_command_that_writes_still_says_it(tmp_path: Path, lang: str) -> None:
    said = run_cli(["delineate", str(_bad_csv(tmp_path)), "--crs", "EPSG:4490", "-o", str(tmp_path / "u.gpkg")],
                   lang, code=2)
    assert SUFFIX[lang] in said
    assert not (tmp_path / "u.gpkg").exists()
