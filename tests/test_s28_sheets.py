"""Audit s28 E: a unit's sheet names its unit in full (§2); an output with no file name (``-o ""``, a script's unset
variable) is a coded error naming its option, not an internal error (§4); a name with no extension is said to have
none, not the extension "-" (§8)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.gis.errors import OutputError
from yuanluo.gis.output import require_free, write_bytes, write_layers
from yuanluo.maps.sample import sample_layers
from yuanluo.maps.static_units import render_unit_sheets
from yuanluo.planners.cli import app

runner = CliRunner()
FIRST, SECOND = "巴南区二圣镇集体村第三村民小组第一院落", "巴南区二圣镇集体村第三村民小组第二院落"


def _text(pdf: Path) -> list[str]:
    """The text of each page of ``pdf`` (pdftotext)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def _renamed(result: Path, tmp_path: Path) -> Path:
    """A copy of ``result`` whose first two units have ids that differ only at their end (as the audit's
    realid.gpkg: courtyards named by district, town, village, group and number)."""
    out = tmp_path / "realid.gpkg"
    shutil.copy(result, out)
    con = sqlite3.connect(out)
    try:
        ids = [r[0] for r in con.execute("SELECT DISTINCT unit_id FROM units ORDER BY unit_id")][:2]
        assert len(ids) == 2
        triggers = list(con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
        for name, _ in triggers:
            con.execute(f'DROP TRIGGER "{name}"')
        tables = [r[0] for r in con.execute("SELECT table_name FROM gpkg_contents")]
        for t in tables:
            for col in [r[1] for r in con.execute(f'PRAGMA table_info("{t}")')]:
                if "unit" in col and col != "unit_status":
                    for old, new in zip(ids, (FIRST, SECOND), strict=True):
                        con.execute(f'UPDATE "{t}" SET "{col}" = ? WHERE "{col}" = ?', (new, old))
        for _, sql in triggers:
            con.execute(sql)
        con.commit()
    finally:
        con.close()
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_units_sheet_gives_its_whole_id(small_result: Path, tmp_path: Path, lang: str) -> None:
    """Two 19-character ids alike but for their end: the title cuts both to the same words; the sheet gives
    the whole id too (it was on no page: the two sheets were alike)."""
    res = _renamed(small_result, tmp_path)
    pdf = tmp_path / "sheets.pdf"
    r = runner.invoke(app, ["--lang", lang, "map", str(res), "--per-unit", str(pdf)])
    assert r.exit_code == 0, r.output
    pages = _text(pdf)
    first = [k for k, p in enumerate(pages) if FIRST in p]
    second = [k for k, p in enumerate(pages) if SECOND in p]
    assert first and second and not set(first) & set(second), (first, second)
    said = "院落编号：" if lang == "zh" else "Unit id:"
    assert any(f"{said} {FIRST}".replace("： ", "：") in " ".join(p.split()) for p in pages)


def test_a_continuation_page_gives_the_whole_id_too(tmp_path: Path) -> None:
    lyr = sample_layers(90, block=10, exceptions=0)
    long = "第" + "很长" * 30 + "院落"
    for key in ("households", "units", "meeting_points"):
        if key in lyr and "unit_id" in lyr[key].columns:
            df = lyr[key].copy()
            df["unit_id"] = df["unit_id"].replace({"U001": long})
            lyr[key] = df
    pdf = tmp_path / "u.pdf"
    pdf.write_bytes(render_unit_sheets(lyr, units=[long], dpi=50))
    pages = _text(pdf)
    assert len(pages) >= 2
    for page in pages:
        assert long in "".join(page.split()), page[:300]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("command", ["map", "cover"])
def test_an_empty_output_is_a_coded_error_naming_its_option(small_result: Path, tmp_path: Path, lang: str,
                                                            command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """``-o ""`` (``-o "$OUT"`` with OUT unset) was internal error ValueError: PosixPath('.') has an empty name."""
    monkeypatch.chdir(tmp_path)
    args = ["-o", ""] if command == "map" else ["-o", "c.gpkg", "--png", ""]
    r = runner.invoke(app, ["--lang", lang, command, str(small_result), *args])
    assert r.exit_code == 2, r.output
    option = "-o/--output" if command == "map" else "--png"
    line = next(x for x in r.output.splitlines() if "OUT-NAME-EMPTY-OPTION" in x)
    assert option in line, r.output
    assert ("不是一个文件名" if lang == "zh" else "is not a file name") in line
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_no_name_from_python_is_a_coded_error(tmp_path: Path) -> None:
    for call in (lambda: require_free([Path(""), None], overwrite=True),
                 lambda: write_bytes("", b"x"), lambda: write_layers("", {"t": sample_layers(4)["households"]})):
        with pytest.raises(OutputError) as ei:
            call()
        assert ei.value.codes == ["OUT-NAME-EMPTY"], ei.value.codes


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", ["x", "noext."])
def test_a_name_without_extension_is_said_to_have_none(small_result: Path, tmp_path: Path, lang: str,
                                                       name: str) -> None:
    """It said the extension was “-”."""
    r = runner.invoke(app, ["--lang", lang, "map", str(small_result), "-o", str(tmp_path / name)])
    assert r.exit_code == 2, r.output
    line = next(x for x in r.output.splitlines() if "OUT-SUFFIX" in x)
    assert "OUT-SUFFIX-NONE-OPTION" in line and "-o/--output" in line and "“-”" not in line and "'-'" not in line
    assert ("没有扩展名" if lang == "zh" else "no extension") in line
    assert sorted(p.name for p in tmp_path.iterdir()) == []
