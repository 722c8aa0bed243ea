"""Audit Z4 §1 and §3 (session 31): Shapefile encodings.

- A .cpg saying 1252 beside upper-case Portuguese names (CONCEIÇÃO: cp1252 ``ÇÃ`` is the common hanzi 敲 in
  GB18030) was overridden: the names read as CONCEI敲O with SHP-CPG-WRONG telling the user to write GBK in the
  .cpg. A .cpg naming a single-byte Western code page is no longer overridden with GB18030.
- ``--encoding latin-1`` / ``iso-8859-1`` / ``1252`` for a Shapefile was ENC-WRONG suggesting cp1250: the name
  went to GDAL unchanged, which does not know those spellings. It is now given to GDAL as ``ISO-8859-1`` / ``CP1252``.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point
from typer.testing import CliRunner

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
