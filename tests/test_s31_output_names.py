"""Audit s31 GA: output names from Python, COM0/LPT0, and names with bytes that are not text in every message.

§1 the command line refused output names Windows cannot hold (OUT-NAME-WINDOWS-*, OUT-NAME-BYTES, OUT-SAME-CASE),
but the Python writers (:func:`write_layers`, :func:`write_bytes`) wrote them: ``结果:2024.gpkg`` reached a Windows
colleague who could not open it. Now they run the same check before writing, and write nothing. §2 ``COM0`` and
``LPT0`` are device names on Windows too (Microsoft's list of reserved names has them). §3 every error other than
OUT-NAME-BYTES showed such a name's bytes as Python's surrogate (``\\udcff``); now as ``\\xff``, as OUT-NAME-BYTES
shows them.
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo.gis.errors import OutputError
from yuanluo.gis.output import transaction, write_bytes, write_layers
from yuanluo.gis.transaction import Transaction, write_error
from yuanluo.planners.cli import app

runner = CliRunner()


def _flat(s: str) -> str:
    return " ".join(s.split())


def _files(d: Path) -> list[str]:
    return sorted(os.fsencode(p.relative_to(d)).decode("utf-8", "backslashreplace") for p in d.rglob("*"))


def _hh() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"persons": [3, 2]}, geometry=gpd.points_from_xy([0, 50], [0, 0]),
                            index=pd.Index(["007", "008"], name="hid"), crs="EPSG:4545")


# ----------------------------------------------------------------------------- §1: the Python writers check too
BAD = [
    ("结果:2024.gpkg", "OUT-NAME-WINDOWS-CHAR", "结果-2024.gpkg"),
    ("a?.csv", "OUT-NAME-WINDOWS-CHAR", "a-.csv"),
    ("aux.gpkg", "OUT-NAME-WINDOWS-RESERVED", "aux_1.gpkg"),
    ("结果.gpkg.", "OUT-NAME-WINDOWS-END", "结果.gpkg"),
    ("院" * 251 + ".gpkg", "OUT-NAME-WINDOWS-LONG", None),
    (os.fsdecode(b"\xb9\xfb.gpkg"), "OUT-NAME-BYTES", "--.gpkg"),
]


@pytest.mark.parametrize(("name", "code", "fixed"), BAD)
def test_write_layers_refuses_a_name_windows_cannot_hold(tmp_path: Path, name: str, code: str,
                                                         fixed: str | None) -> None:
    with pytest.raises(OutputError) as ei:
        write_layers(tmp_path / name, {"households": _hh()})
    assert ei.value.codes == [code], ei.value.codes
    en = _flat(ei.value.render("en"))
    if fixed is not None:
        assert str(tmp_path / fixed) in en, en
    _shown_right(en)
    assert _files(tmp_path) == []


@pytest.mark.parametrize(("name", "code", "fixed"), BAD)
def test_write_bytes_refuses_a_name_windows_cannot_hold(tmp_path: Path, name: str, code: str,
                                                        fixed: str | None) -> None:
    with pytest.raises(OutputError) as ei:
        write_bytes(tmp_path / name, b"x")
    assert ei.value.codes == [code], ei.value.codes
    assert _files(tmp_path) == []


def test_a_folder_windows_cannot_hold_is_refused_from_python(tmp_path: Path) -> None:
    (tmp_path / "new:dir").mkdir()
    with pytest.raises(OutputError) as ei:
        write_bytes(tmp_path / "new:dir" / "m.html", b"x")
    assert ei.value.codes == ["OUT-NAME-WINDOWS-CHAR"]
    assert str(tmp_path / "new-dir" / "m.html") in ei.value.render("en")
    with pytest.raises(OutputError) as ei:  # a missing one: the name said, not "create it first"
        write_layers(tmp_path / "aux" / "r.gpkg", {"households": _hh()})
    assert ei.value.codes == ["OUT-NAME-WINDOWS-RESERVED"]
    assert _files(tmp_path) == ["new:dir"]


def test_layer_files_differing_only_in_case_are_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as ei:
        write_layers(tmp_path / "r.csv", {"Units": _hh(), "units": _hh()})
    assert ei.value.codes == ["OUT-SAME-CASE"]
    assert _files(tmp_path) == []


def test_outputs_of_one_transaction_differing_only_in_case_are_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as ei, transaction([], overwrite=False):
        write_bytes(tmp_path / "Plan.html", b"a")
        write_bytes(tmp_path / "plan.html", b"b")
    assert "OUT-SAME-CASE" in ei.value.codes
    assert _files(tmp_path) == []


def test_a_name_is_said_once_for_every_layer_file(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as ei:
        write_layers(tmp_path / "r?.csv", {"households": _hh(), "units": _hh()})
    assert ei.value.codes == ["OUT-NAME-WINDOWS-CHAR"]
    assert _files(tmp_path) == []


def test_names_windows_holds_are_written_from_python(tmp_path: Path) -> None:
    folder = tmp_path / "名 单 (1)" / "com0 old"
    folder.mkdir(parents=True)
    assert write_layers(tmp_path / "院落 划分（第一版）.gpkg", {"households": _hh()})
    assert write_layers(folder / "结果 2024.csv", {"households": _hh(), "units": _hh()})
    assert write_bytes(tmp_path / "名 单 (1)" / "方案 (1).html", b"x")
    assert _files(tmp_path) == ["名 单 (1)", "名 单 (1)/com0 old", "名 单 (1)/com0 old/结果 2024.households.csv",
                                "名 单 (1)/com0 old/结果 2024.units.csv", "名 单 (1)/方案 (1).html",
                                "院落 划分（第一版）.gpkg"]


# ------------------------------------------------------------------------------------------- §2: COM0 and LPT0
@pytest.mark.parametrize("name", ["COM0.html", "com0.html", "LPT0.html", "Lpt0.tar.html", "COM0 .html"])
def test_com0_and_lpt0_are_refused_on_the_command_line(small_result: Path, tmp_path: Path, name: str) -> None:
    r = runner.invoke(app, ["--lang", "en", "map", str(small_result), "-o", str(tmp_path / name)])
    assert r.exit_code == 2, r.output
    said = _flat(r.output)
    assert "OUT-NAME-WINDOWS-RESERVED" in said, said
    assert _files(tmp_path) == []


def test_com0_and_lpt0_are_refused_from_python(tmp_path: Path) -> None:
    for name in ("COM0.csv", "lpt0"):
        with pytest.raises(OutputError) as ei:
            write_bytes(tmp_path / name, b"x")
        assert ei.value.codes == ["OUT-NAME-WINDOWS-RESERVED"]
    assert _files(tmp_path) == []


# ------------------------------------------------------------------------ §3: bytes that are not text, shown
def _shown_right(said: str, *names: str) -> None:
    assert "\udcff" not in said and "\\udc" not in said, said
    for name in names:
        assert name in said, (name, said)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_error_shows_bytes_that_are_not_text_as_bytes(small_result: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.chdir(tmp_path)
    Path(os.fsdecode(b"x\xff.html")).write_bytes(b"x")
    Path(os.fsdecode(b"f\xff")).write_bytes(b"x")
    for out, code in ((b"x\xff.html", "OUT-EXISTS"), (b"a\xff.txt", "OUT-SUFFIX"), (b"f\xff/m.html", "OUT-DIR-FILE")):
        r = runner.invoke(app, ["--lang", lang, "map", str(small_result), "-o", os.fsdecode(out)])
        assert r.exit_code == 2, r.output
        assert code in r.output and "OUT-NAME-BYTES" in r.output, r.output
        _shown_right(r.output, out.decode("utf-8", "backslashreplace"))
    assert _files(tmp_path) == ["f\\xff", "x\\xff.html"]


def test_transaction_and_write_errors_show_bytes_that_are_not_text_as_bytes(tmp_path: Path) -> None:
    asked = tmp_path / os.fsdecode(b"no\xff") / "a.html"
    e = write_error(FileNotFoundError(2, "No such file"), asked)
    for lang in ("zh", "en"):
        _shown_right(e.render(lang), str(tmp_path / "no\\xff" / "a.html"), str(tmp_path / "no\\xff"))
    tx = Transaction(planned=[tmp_path / os.fsdecode(b"b\xfe.html")])
    for lang in ("zh", "en"):
        _shown_right(tx.failure(e.problems).render(lang), str(tmp_path / "b\\xfe.html"))
