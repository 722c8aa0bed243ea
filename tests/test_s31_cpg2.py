"""Audits Z4 §1, §3 and Z5 §2, §6 (session 31): Shapefile encodings and the working CRS of read_households.

- A .cpg saying 1252 beside upper-case Portuguese names (CONCEIÇÃO: cp1252 ``ÇÃ`` is the common hanzi 敲 in
  GB18030) was overridden: the names read as CONCEI敲O with SHP-CPG-WRONG telling the user to write GBK in the
  .cpg. A .cpg naming a single-byte Western code page is no longer overridden with GB18030.
- ``--encoding latin-1`` / ``iso-8859-1`` / ``1252`` for a Shapefile was ENC-WRONG suggesting cp1250: the name
  went to GDAL unchanged, which does not know those spellings. It is now given to GDAL as ``ISO-8859-1`` / ``CP1252``.
- ``read_households(working_crs='gcj02')`` was CRS-INVALID "not recognised", its fix offering gcj02; now
  CRS-WORKING naming ``working_crs=`` with EPSG:4545; an unreadable one is CRS-WORKING-UNKNOWN, the same fix or
  leave it out.
- SHP-CPG-NOFIT for a .cpg saying UTF-8 read "not in that encoding, nor in UTF-8 or GBK".
"""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point
from typer.testing import CliRunner

from yuanluo.gis.errors import CRSError
from yuanluo.gis.io import read_households
from yuanluo.planners.cli import app

runner = CliRunner()
E0, N0 = 388000.0, 3296000.0  # CGCS2000 3° GK CM 105E (EPSG:4544)
PT_UPPER = ["CONCEIÇÃO", "ASSOCIAÇÃO", "ANUNCIAÇÃO", "INFORMAÇÃO", "AÇÕES", "ESTAÇÃO"]
CATALAN = ["Sornàs", "estret de l'Estanyò", "Planell dels Beços", "L'Aldosa", "Prat de la Farga", "Ordino"]


def _run(*args: str) -> tuple[int, str]:
    res = runner.invoke(app, list(args), env={"COLUMNS": "400"})
    return res.exit_code, " ".join(res.output.split())


def _shp(folder: Path, names: list[str], encoding: str, cpg: str) -> Path:
    folder.mkdir(exist_ok=True)
    g = gpd.GeoDataFrame({"hid": [f"H{i}" for i in range(len(names))], "NAME": names},
                         geometry=[Point(E0 + 40 * i, N0) for i in range(len(names))], crs="EPSG:4544")
    p = folder / "hh.shp"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g.to_file(p, encoding=encoding)
    p.with_suffix(".cpg").write_text(cpg)
    return p


# ------------------------------------------------------------------ Z4 §1 a right Western .cpg is obeyed
@pytest.mark.parametrize("cpg", ["1252", "CP1252", "ISO-8859-1", "latin1"])
@pytest.mark.parametrize("names", [PT_UPPER, CATALAN, [n.upper() for n in CATALAN]], ids=["pt-upper", "ca", "ca-up"])
def test_a_right_western_cpg_is_not_overridden_with_gb18030(tmp_path: Path, cpg: str, names: list[str]) -> None:
    p = _shp(tmp_path / "w", names, "cp1252", cpg)
    code, out = _run("--lang", "en", "validate", str(p))
    assert code == 0 and "SHP-CPG-WRONG" not in out and "GBK" not in out, out
    h, rep = read_households(p)
    assert h["NAME"].tolist() == names and "SHP-CPG-WRONG" not in [w.code for w in rep.warnings]


@pytest.mark.parametrize("cpg", ["1252", "ISO-8859-1"])
def test_utf8_text_under_a_western_cpg_is_still_read_as_utf8(tmp_path: Path, cpg: str) -> None:
    p = _shp(tmp_path / "w", ["门前有塘", "坑塘水面"], "utf-8", cpg)
    h, rep = read_households(p)
    assert h["NAME"].tolist() == ["门前有塘", "坑塘水面"] and rep.encoding == "UTF-8"
    assert "SHP-CPG-WRONG" in [w.code for w in rep.warnings]


# ------------------------------------------------------------------ Z4 §3 Python's spellings of Latin-1 for --encoding
@pytest.mark.parametrize("enc", ["latin-1", "iso-8859-1", "1252", "cp1252", "ISO-8859-1", "latin1"])
def test_latin1_spellings_read_a_latin1_shapefile(tmp_path: Path, enc: str) -> None:
    p = _shp(tmp_path / "w", CATALAN, "cp1252", "1252")
    code, out = _run("--lang", "en", "validate", str(p), "--encoding", enc)
    assert code == 0 and "ENC-WRONG" not in out and "cp1250" not in out, out
    h, rep = read_households(p, encoding=enc)
    assert h["NAME"].tolist() == CATALAN and rep.encoding == enc


# ------------------------------------------------------------------ Z5 §2 read_households(working_crs=...)
def _csv(tmp_path: Path) -> Path:
    f = tmp_path / "hh.csv"
    f.write_text("户编号,东坐标,北坐标\n" + "".join(f"H{i},{E0 + 40 * i},{N0}\n" for i in range(4)), encoding="utf-8")
    return f


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("given", ["gcj02", "bd09"])
def test_a_lonlat_name_as_working_crs_is_crs_working(tmp_path: Path, lang: str, given: str) -> None:
    with pytest.raises(CRSError) as ei:
        read_households(_csv(tmp_path), crs="EPSG:4544", working_crs=given)
    p = ei.value.problems[0]
    assert p.code == "CRS-WORKING", p.code
    fix = p.fix(lang)
    assert "working_crs=" in fix and "EPSG:4545" in fix and "gcj02" not in fix and "bd09" not in fix, fix


@pytest.mark.parametrize(("lang", "leave"), [("zh", "或不给 “working_crs=”"), ("en", "or leave working_crs= out")])
def test_an_unreadable_working_crs_names_the_keyword(tmp_path: Path, lang: str, leave: str) -> None:
    with pytest.raises(CRSError) as ei:
        read_households(_csv(tmp_path), crs="EPSG:4544", working_crs="junk")
    p = ei.value.problems[0]
    assert p.code == "CRS-WORKING-UNKNOWN", p.code
    msg = p.message(lang)
    assert "junk" in msg and "working_crs=" in msg and "EPSG:4545" in msg and leave in msg, msg
    assert "gcj02" not in msg, msg
    h, _ = read_households(_csv(tmp_path), crs="EPSG:4544", working_crs="4545")  # a bare EPSG number still works
    assert h.crs.to_epsg() == 4545


# ------------------------------------------------------------------ Z5 §6 SHP-CPG-NOFIT names each encoding once
@pytest.mark.parametrize(("cpg", "lang", "nor", "not_said"), [
    ("UTF-8", "en", "not in that encoding, nor in GBK:", "nor in UTF-8"),
    ("UTF-8", "zh", "不是这种编码，也不是 GBK，", "也不是 UTF-8"),
])
def test_cpg_nofit_does_not_repeat_the_encoding(tmp_path: Path, cpg: str, lang: str, nor: str, not_said: str) -> None:
    p = _shp(tmp_path / "w", ["ÿÿ ÿÿ", "caféÿ"], "cp1252", cpg)
    code, out = _run("--lang", lang, "validate", str(p))
    assert code == 2 and "SHP-CPG-NOFIT" in out and nor in out and not_said not in out, out
