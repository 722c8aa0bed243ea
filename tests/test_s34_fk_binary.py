"""A binary file (an image, a PDF, a ZIP archive) given as the household table (session 34, fixer FK, item 2).

Before: PNG bytes named .csv were ENC-GUESS suggesting --encoding utf-16, and then ENC-WRONG suggesting
utf-8/gbk/gb18030/utf-16 in a circle; named .xlsx or .gpkg they were IO-CORRUPT saying the content is text (it is
not) with a fix about GeoJSON. Now the content is recognised before any encoding is guessed: IO-BINARY says what
the file is (a PNG image …) and to give the data file itself. UTF-16 text and an .xlsx named .csv (IO-RENAMED)
are read as before.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()
ENV = {"COLUMNS": "400"}
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       + bytes(range(256)) * 4)


def _validate(f: Path, *extra: str, lang: str = "zh") -> tuple[int, str]:
    res = runner.invoke(app, ["--lang", lang, "validate", str(f), "--crs", "EPSG:4490", *extra], env=ENV)
    return res.exit_code, res.output


@pytest.mark.parametrize("name", ["photo.csv", "photo.xlsx", "photo.gpkg", "photo.geojson"])
def test_a_png_under_any_name_is_io_binary(tmp_path: Path, name: str) -> None:
    f = tmp_path / name
    f.write_bytes(PNG)
    code, out = _validate(f)
    assert code == 2, out
    assert "IO-BINARY" in out and "PNG 图片" in out and "ENC-" not in out and "IO-CORRUPT" not in out
    code, out = _validate(f, lang="en")
    assert "IO-BINARY" in out and "is a PNG image, not a table or a layer" in out and "GeoJSON" not in out


def test_the_encoding_given_does_not_send_it_round(tmp_path: Path) -> None:
    f = tmp_path / "photo.csv"
    f.write_bytes(PNG)
    for enc in ("utf-16", "gbk"):
        code, out = _validate(f, "--encoding", enc)
        assert code == 2 and "IO-BINARY" in out and "ENC-" not in out, out


def test_nul_bytes_and_archives_named_csv(tmp_path: Path) -> None:
    f = tmp_path / "data.csv"
    f.write_bytes(b"hid,lon,lat\nH1,107.7,29.79\x00\x00\x00\x01\n")
    code, out = _validate(f, lang="en")
    assert code == 2 and "IO-BINARY" in out and "NUL bytes" in out, out
    z = tmp_path / "z.csv"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("a.txt", "x")
    code, out = _validate(z, lang="en")
    assert code == 2 and "IO-BINARY" in out and "ZIP archive (not an Excel workbook)" in out, out


def test_utf16_text_is_still_read(tmp_path: Path) -> None:
    f = tmp_path / "u16.csv"
    f.write_bytes("hid,lon,lat\nH1,107.7,29.79\nH2,107.701,29.791\n".encode("utf-16"))
    code, out = _validate(f, lang="en")
    assert code == 0, out
