"""Audit Z2 (session 31) §1–3: a Shapefile whose .cpg names an encoding its text is not in (a .cpg saying UTF-8
copied beside a GBK .dbf) was IO-CORRUPT, "export it again", for the household file and for every layer
(``--water`` …), which ``--encoding`` does not reach; now it is read in the encoding its text shows, with the
warning SHP-CPG-WRONG naming the .cpg, what it says, the encoding used and the fix, or SHP-CPG-NOFIT when no
encoding fits. Households where only some eastings carry the 3° zone prefix are named as such (CRS-GKPREFIX-ROWS),
and a layer whose .prj is the zone-prefixed CRS but whose coordinates lack the prefix is BARRIER-GKPREFIX naming
the CRS to give it."""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, box
from shared_fixtures import E0, N0, prefixed_prj_case
from typer.testing import CliRunner

from yuanluo.gis.io import read_households
from yuanluo.planners.cli import app

runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    res = runner.invoke(app, list(args), env={"COLUMNS": "400"})
    return res.exit_code, " ".join(res.output.split())


def _shp(path: Path, frame: gpd.GeoDataFrame, encoding: str, cpg: str | None) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame.to_file(path, encoding=encoding)
    if cpg is None:
        path.with_suffix(".cpg").unlink()
    else:
        path.with_suffix(".cpg").write_text(cpg)
    return path


def _households(folder: Path, cpg: str | None = "UTF-8", names: list[str] | None = None) -> Path:
    n = 4
    g = gpd.GeoDataFrame({"户编号": [f"H{i}" for i in range(n)], "备注": names or ["门前有塘"] * n},
                         geometry=[Point(E0 + 40 * i, N0) for i in range(n)], crs="EPSG:4544")
    return _shp(folder / "hh.shp", g, "gbk", cpg)


def _water(folder: Path, cpg: str | None = "UTF-8", dlmc: str = "坑塘水面") -> Path:
    folder.mkdir(exist_ok=True)
    g = gpd.GeoDataFrame({"DLBM": ["1104"], "DLMC": [dlmc]}, geometry=[box(E0 + 50, N0 - 30, E0 + 70, N0 + 30)],
                         crs="EPSG:4544")
    return _shp(folder / "DLTB.shp", g, "gbk", cpg)


# ------------------------------------------------------------------ §1 a .cpg that lies
@pytest.mark.parametrize(("lang", "says"), [("zh", "写的文字编码是“UTF-8”"), ("en", "says its text encoding is 'UTF-8'")])
def test_household_shapefile_with_a_wrong_cpg_is_read(tmp_path: Path, lang: str, says: str) -> None:
    p = _households(tmp_path)
    code, out = _run("--lang", lang, "validate", str(p))
    assert code == 0 and "SHP-CPG-WRONG" in out and "IO-CORRUPT" not in out, out
    assert says in out and "hh.cpg" in out and "GB18030" in out and "GBK" in out, out
    h, rep = read_households(p)
    assert h["备注"].tolist() == ["门前有塘"] * 4 and rep.encoding == "GB18030"
    assert "SHP-CPG-WRONG" in [w.code for w in rep.warnings]


def test_an_explicit_encoding_still_wins(tmp_path: Path) -> None:
    p = _households(tmp_path)
    code, out = _run("--lang", "en", "validate", str(p), "--encoding", "gbk")
    assert code == 0 and "SHP-CPG-WRONG" not in out and "IO-CORRUPT" not in out, out
    h, rep = read_households(p, encoding="gbk")
    assert h["备注"].tolist() == ["门前有塘"] * 4 and rep.encoding == "gbk"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_water_layer_with_a_wrong_cpg_is_read(tmp_path: Path, lang: str) -> None:
    hh = tmp_path / "hh.csv"
    hh.write_text("户编号,X坐标,Y坐标\n" + "".join(f"H{i},{E0 + 40 * i},{N0}\n" for i in range(4)), encoding="utf-8")
    water = _water(tmp_path / "w")
    out_file = tmp_path / "g.gpkg"
    code, out = _run("--lang", lang, "graph", str(hh), "--crs", "EPSG:4544", "--x-col", "X坐标", "--y-col", "Y坐标",
                     "--water", str(water), "-o", str(out_file))
    assert code == 0 and out_file.exists(), out
    assert "SHP-CPG-WRONG" in out and "DLTB.cpg" in out and "IO-CORRUPT" not in out, out
    assert "坑塘水面" in out  # the class read right, not as mojibake (BARRIER-LANDUSE names it)


@pytest.mark.parametrize(("lang", "fix"), [("zh", "数据源编码"), ("en", "Data source encoding")])
def test_no_encoding_fits_is_a_coded_error_naming_the_cpg(tmp_path: Path, lang: str, fix: str) -> None:
    g = gpd.GeoDataFrame({"hid": ["H1"], "name": ["café"]}, geometry=[Point(E0, N0)], crs="EPSG:4544")
    p = _shp(tmp_path / "hh.shp", g, "cp1252", "UTF-8")
    code, out = _run("--lang", lang, "validate", str(p))
    assert code == 2 and "SHP-CPG-NOFIT" in out and "hh.cpg" in out and fix in out, out
    assert "IO-CORRUPT" not in out, out



@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("cpg", ["GBK", "936", "1252"])
def test_a_cpg_that_decodes_utf8_text_wrongly_is_not_believed(tmp_path: Path, lang: str, cpg: str) -> None:
    # a .cpg saying GBK (or a Western code page) beside a UTF-8 .dbf decodes without error into mojibake
    # (娌虫祦姘撮潰 for 河流水面): the classes were not recognised and nothing was said
    hh = tmp_path / "hh.csv"
    hh.write_text("户编号,X坐标,Y坐标\n" + "".join(f"H{i},{E0 + 40 * i},{N0}\n" for i in range(4)), encoding="utf-8")
    folder = tmp_path / "w"
    folder.mkdir()
    g = gpd.GeoDataFrame({"DLBM": ["1104"], "DLMC": ["坑塘水面"]}, geometry=[box(E0 + 50, N0 - 30, E0 + 70, N0 + 30)],
                         crs="EPSG:4544")
    water = _shp(folder / "DLTB.shp", g, "utf-8", cpg)
    out_file = tmp_path / "g.gpkg"
    code, out = _run("--lang", lang, "graph", str(hh), "--crs", "EPSG:4544", "--x-col", "X坐标", "--y-col", "Y坐标",
                     "--water", str(water), "-o", str(out_file))
    assert code == 0 and "SHP-CPG-WRONG" in out and "DLTB.cpg" in out and "UTF-8" in out and cpg in out, out
    assert "坑塘水面" in out, out
    p = _shp(tmp_path / "hh.shp", gpd.GeoDataFrame({"户编号": ["H1"], "备注": ["门前有塘"]}, geometry=[Point(E0, N0)],
                                                  crs="EPSG:4544"), "utf-8", cpg)
    h, rep = read_households(p)
    assert h["备注"].tolist() == ["门前有塘"] and rep.encoding == "UTF-8", h["备注"].tolist()
    assert "SHP-CPG-WRONG" in [w.code for w in rep.warnings]


def test_a_right_gbk_cpg_is_believed(tmp_path: Path) -> None:
    h, rep = read_households(_households(tmp_path, cpg="GBK"))
    assert h["备注"].tolist() == ["门前有塘"] * 4 and "SHP-CPG-WRONG" not in [w.code for w in rep.warnings]

# ------------------------------------------------------------------ §2 only some eastings carry the zone prefix
def _mixed_csv(folder: Path, prefixed: int, n: int = 20) -> Path:
    p = folder / "hh.csv"
    lines = [f"H{i:02d},{E0 + 40 * i + (35_000_000 if i < prefixed else 0):.1f},{N0 + 7 * i:.1f}" for i in range(n)]
    p.write_text("户编号,X坐标,Y坐标\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return p


@pytest.mark.parametrize("crs", ["EPSG:4544", "EPSG:4523"])
@pytest.mark.parametrize(("lang", "fix"), [("zh", "去掉这些行东坐标开头的带号 35（即减去 35000000），使整列一致，再用 --crs EPSG:4544"),
                                          ("en", "remove the zone number 35 from the front of these eastings "
                                                 "(subtract 35000000) so that the column is consistent, then use "
                                                 "--crs EPSG:4544")])
def test_some_rows_with_the_zone_prefix_are_named(tmp_path: Path, crs: str, lang: str, fix: str) -> None:
    p = _mixed_csv(tmp_path, prefixed=3)
    code, out = _run("--lang", lang, "validate", str(p), "--crs", crs, "--x-col", "X坐标", "--y-col", "Y坐标")
    assert code == 2 and "CRS-GKPREFIX-ROWS" in out and fix in out, out
    assert "COORD-RANGE" not in out and "改用 --crs EPSG:4523" not in out and "use --crs EPSG:4523" not in out, out
    assert ("第 2、3、4 行" if lang == "zh" else "rows 2, 3, 4") in out and "H00" in out and "H03" not in out, out
    assert "35388000" in out, out


@pytest.mark.parametrize(("lang", "fix"), [("zh", "加上 35000000"), ("en", "add 35000000")])
def test_some_rows_without_the_zone_prefix_are_named(tmp_path: Path, lang: str, fix: str) -> None:
    p = _mixed_csv(tmp_path, prefixed=17)
    code, out = _run("--lang", lang, "validate", str(p), "--crs", "EPSG:4544", "--x-col", "X坐标", "--y-col", "Y坐标")
    assert code == 2 and "CRS-GKPREFIX-ROWS" in out and fix in out and "EPSG:4523" in out, out
    assert ("第 19、20、21 行" if lang == "zh" else "rows 19, 20, 21") in out and "H16" not in out, out


# ------------------------------------------------------------------ §3 a .prj with the prefix, eastings without
@pytest.mark.parametrize(("lang", "says"), [("zh", "为该图层指定坐标系 EPSG:4544"), ("en", "give the layer the CRS EPSG:4544")])
@pytest.mark.parametrize("option", ["--water", "--rivers"])
def test_layer_with_a_prefixed_prj_but_plain_eastings_is_gkprefix(tmp_path: Path, lang: str, says: str,
                                                                 option: str) -> None:
    hh, folder, g = prefixed_prj_case(tmp_path)  # the .prj of zone 35 with the prefix; the eastings without it
    layer = _shp(folder / "DLTB.shp", g, "utf-8", "UTF-8")
    out_file = tmp_path / "g.gpkg"
    code, out = _run("--lang", lang, "graph", str(hh), "--crs", "EPSG:4544", "--x-col", "X坐标", "--y-col", "Y坐标",
                     option, str(layer), "-o", str(out_file))
    assert code == 2 and "BARRIER-GKPREFIX" in out and says in out and "BARRIER-CRS-FAR" not in out, out
    assert "388070.0" in out and "EPSG:4523" in out and not out_file.exists(), out


@pytest.mark.parametrize(("lang", "fix"), [("zh", "改用 --encoding gb18030"), ("en", "give --encoding gb18030 instead")])
def test_a_wrong_encoding_given_for_a_shapefile_is_enc_wrong(tmp_path: Path, lang: str, fix: str) -> None:
    p = _households(tmp_path)
    code, out = _run("--lang", lang, "validate", str(p), "--encoding", "utf-8")
    assert code == 2 and "ENC-WRONG" in out and fix in out and "IO-CORRUPT" not in out, out
