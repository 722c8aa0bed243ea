"""Session 40 (helper D): a function of the Python API that writes nothing ended its coded errors with
'(no output file was written)' / （未写出任何结果文件）: ``Rules(min_size=10, max_size=5)``, ``preset("x")``,
``UnitDelineator.fit``, ``check_plan``, ``make_village(0)``, ``read_dem`` on a missing file. Only something that
was to write says it now: a command of the command line that writes (the console adds it) and a writer's
:class:`OutputError` (``write_layers``, ``save_map``, ``YuanluoMap.save`` on an existing file)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from shared_fixtures import run_cli

from yuanluo.gis.errors import YuanluoError

NOTHING = {"zh": "未写出任何结果文件", "en": "no output file was written"}


def _rules() -> Any:
    from yuanluo.gis.rules import Rules

    return Rules(min_size=10, max_size=5)


def _preset() -> Any:
    from yuanluo.planners.presets import preset

    return preset("nosuch")


def _fit() -> Any:
    from yuanluo.gis.cluster import UnitDelineator

    return UnitDelineator(min_size=3, max_size=5).fit(None, None)


def _check() -> Any:
    from yuanluo.gis.check import check_plan

    return check_plan(None, None, None)


def _village() -> Any:
    from yuanluo.gis.synth import make_village

    return make_village(0)


def _dem(tmp: Path) -> Any:
    from yuanluo.gis.terrain import read_dem

    return read_dem(tmp / "none.tif", working_crs="EPSG:4545")


READERS: dict[str, Callable[[Path], Any]] = {
    "Rules": lambda _: _rules(), "preset": lambda _: _preset(), "fit": lambda _: _fit(),
    "check_plan": lambda _: _check(), "make_village": lambda _: _village(), "read_dem": _dem,
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("call", sorted(READERS))
def test_a_function_that_writes_nothing_does_not_say_it(tmp_path: Path, lang: str, call: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YUANLUO_LANG", lang)
    with pytest.raises(YuanluoError) as info:
        READERS[call](tmp_path)
    said = str(info.value)
    assert said.startswith("错误 " if lang == "zh" else "Error "), said
    assert NOTHING[lang] not in said and NOTHING[lang] not in info.value.render(lang), said
    assert NOTHING["zh" if lang == "en" else "en"] not in info.value.render("zh" if lang == "en" else "en")


def _write_layers(tmp: Path) -> Any:
    from yuanluo.gis.output import write_layers

    (tmp / "a.gpkg").write_bytes(b"x")
    return write_layers(tmp / "a.gpkg", {"t": pd.DataFrame({"a": [1]})})


def _save(tmp: Path) -> Any:
    from yuanluo.maps.interactive import make_map
    from yuanluo.maps.sample import sample_layers

    (tmp / "m.html").write_text("x", encoding="utf-8")
    return make_map(sample_layers(20, block=5, seed=1), lang="en").save(tmp / "m.html")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("writer", [_write_layers, _save])
def test_a_writer_still_says_it(tmp_path: Path, lang: str, writer: Callable[[Path], Any],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YUANLUO_LANG", lang)
    with pytest.raises(YuanluoError) as info:
        writer(tmp_path)
    assert info.value.code == "OUT-EXISTS" and str(info.value).rstrip().endswith(NOTHING[lang] + ("）" if lang == "zh"
                                                                                                     else ")"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_command_that_writes_says_it_of_a_rules_error(tmp_path: Path, lang: str) -> None:
    hh = tmp_path / "hh.csv"
    hh.write_text("户编号,经度,纬度\n1,106.5,29.5\n2,106.5001,29.5\n", encoding="utf-8")
    said = run_cli(["--lang", lang, "delineate", str(hh), "--crs", "EPSG:4490", "--min", "10", "--max", "5",
                    "-o", str(tmp_path / "u.gpkg")], lang, code=2)
    assert "RULE-" in said and NOTHING[lang] in said, said
    assert not (tmp_path / "u.gpkg").exists()
