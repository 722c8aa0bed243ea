"""Two load messages that named the wrong thing (session 35, fixer FF).

1. LAYER-NOGEOM of a plain Parquet (no GeoParquet geometry) given to --rivers, --boundary, --units … named the
   file's stem as its layer (``roster.parquet（图层 roster）`` / ``(layer roster)``) and told to pick "another
   layer of the file" with ``::layer``, though a Parquet file has no layers. It now names the file alone, says it
   is a plain Parquet table, and tells how to give a file with shapes; a GeoPackage's attribute layer is named as
   before. A plain Parquet given as the household file is read as a table, as since session 34.
2. A binary file (a PNG, a GeoPackage, a PDF, NUL bytes) given as --rules was RULE-FILE-ENCODING ("save it as
   UTF-8", which cannot help) or RULE-FILE-SYNTAX; it is now IO-BINARY naming the file and what it is, worded for
   a rule file, for every command taking --rules. A real TOML mistake keeps its own code.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point
from typer.testing import CliRunner

from yuanluo.gis.errors import InputError, RuleConfigError
from yuanluo.gis.io import read_layer
from yuanluo.planners.cli import app
from yuanluo.planners.presets import load_rules_file

runner = CliRunner()
ENV = {"COLUMNS": "400"}
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       + bytes(range(256)) * 4)
_HAN = re.compile(r"[\u3400-\u9fff]")


def _run(args: list[str], lang: str) -> tuple[int, str]:
    res = runner.invoke(app, ["--lang", lang, *args], env=ENV)
    return res.exit_code, res.output


def _households(tmp_path: Path) -> Path:
    f = tmp_path / "hh.csv"
    f.write_text("户号,经度,纬度\nH1,106.55,29.56\nH2,106.551,29.561\nH3,106.552,29.562\n", encoding="utf-8")
    return f


def _plain_parquet(tmp_path: Path, xy: bool = True) -> Path:
    f = tmp_path / ("roster.parquet" if xy else "names.parquet")
    cols: dict[str, list[object]] = {"hid": ["H1", "H2"], "persons": [3, 4]}
    if xy:
        cols |= {"lon": [106.55, 106.551], "lat": [29.56, 29.561]}
    pd.DataFrame(cols).to_parquet(f)
    return f


def _files(d: Path) -> set[str]:
    return {p.name for p in d.iterdir()}


@pytest.mark.parametrize("option", ["--rivers", "--boundary", "--groups", "--water"])
@pytest.mark.parametrize("xy", [True, False])
def test_a_plain_parquet_given_as_a_layer_is_named_as_a_file(tmp_path: Path, option: str, xy: bool) -> None:
    hh, f = _households(tmp_path), _plain_parquet(tmp_path, xy)
    before = _files(tmp_path)
    code, zh = _run(["validate", str(hh), "--crs", "EPSG:4490", option, str(f)], "zh")
    assert code == 2, zh
    assert "LAYER-NOGEOM" in zh and option in zh and f"{f} 没有几何" in zh and "Parquet 表" in zh, zh
    assert "图层 " + f.stem not in zh and "::图层名" not in zh and "另一个" not in zh, zh
    code, en = _run(["validate", str(hh), "--crs", "EPSG:4490", option, str(f)], "en")
    assert code == 2, en
    assert f"the file {f} given to {option} has no geometry: it is a plain Parquet table" in en, en
    assert "(layer" not in en and "::layer" not in en and "another layer" not in en, en
    assert not _HAN.search(en.replace(str(hh), "")), en
    assert _files(tmp_path) == before


def test_delineate_check_and_cover_say_it_and_write_nothing(tmp_path: Path) -> None:
    hh, f = _households(tmp_path), _plain_parquet(tmp_path)
    result = tmp_path / "d.gpkg"
    code, out = _run(["delineate", str(hh), "--crs", "EPSG:4490", "--min", "1", "--max", "3", "--water", str(f),
                      "-o", str(result)], "en")
    assert code == 2 and "LAYER-NOGEOM" in out and "(layer" not in out and not result.exists(), out
    code, out = _run(["delineate", str(hh), "--crs", "EPSG:4490", "--min", "1", "--max", "3", "-o", str(result),
                      "-q"], "en")
    assert code == 0 and result.exists(), out
    before = _files(tmp_path)
    for lang in ("zh", "en"):
        code, out = _run(["check", str(result), "--units", str(f)], lang)
        assert code == 2 and "LAYER-NOGEOM" in out and "--units" in out, out
        assert "（图层" not in out and "(layer" not in out, out
        code, out = _run(["cover", str(result), "--roads", str(f), "-o", str(tmp_path / "c.gpkg")], lang)
        assert code == 2 and "LAYER-NOGEOM" in out and "--roads" in out, out
        assert "（图层" not in out and "(layer" not in out, out
    assert _files(tmp_path) == before


def test_a_geopackage_attribute_layer_is_still_named_as_its_layer(tmp_path: Path) -> None:
    hh, g = _households(tmp_path), tmp_path / "attr.gpkg"
    pyogrio.write_dataframe(pd.DataFrame({"hid": ["H1", "H2"], "n": [1, 2]}), g, layer="roster")
    code, zh = _run(["validate", str(hh), "--crs", "EPSG:4490", "--rivers", str(g)], "zh")
    assert code == 2 and f"{g}（图层 roster）没有几何，只是一张属性表" in zh and "没有别的含形状的图层" in zh, zh
    code, en = _run(["validate", str(hh), "--crs", "EPSG:4490", "--rivers", str(g)], "en")
    assert code == 2 and "given to --rivers (layer roster) has no geometry: it is an attribute table" in en, en


def test_the_python_api_names_no_layer_of_a_parquet_and_layer_eq_for_a_geopackage(tmp_path: Path) -> None:
    f = _plain_parquet(tmp_path)
    with pytest.raises(InputError) as exc:
        read_layer(f, kind="rivers", working_crs="EPSG:4545")
    q = exc.value.problems[0]
    assert q.code == "LAYER-NOGEOM"
    assert q.title("en").startswith(f"the file {f} has no geometry: it is a plain Parquet table")
    assert "layer" not in q.fix("en").replace("layer that has them", "").replace("'layer.parquet'", ""), q.fix("en")
    g = tmp_path / "attr.gpkg"
    pyogrio.write_dataframe(pd.DataFrame({"hid": ["H1"]}), g, layer="roster")
    gpd.GeoDataFrame(geometry=[Point(0, 0)], crs=4490).to_file(g, layer="pts")  # another layer, with shapes
    with pytest.raises(InputError) as exc:
        read_layer(g, kind="rivers", working_crs="EPSG:4545", layer="roster")
    q = exc.value.problems[0]
    assert "(layer roster)" in q.title("en") and "layer=" in q.fix("en") and "::" not in q.fix("en")


def test_a_plain_parquet_household_file_is_read_as_a_table(tmp_path: Path) -> None:
    code, out = _run(["validate", str(_plain_parquet(tmp_path)), "--crs", "EPSG:4490"], "en")
    assert code == 0 and "2 households" in out, out
    code, out = _run(["validate", str(_plain_parquet(tmp_path, xy=False)), "--crs", "EPSG:4490"], "en")
    assert code == 2 and "COL-MISSING" in out and "LAYER" not in out and "(layer" not in out, out


def _binaries(tmp_path: Path) -> dict[str, tuple[Path, str, str]]:
    """name -> (file, what zh says it is, what en says it is)."""
    png = tmp_path / "rules.toml"
    png.write_bytes(PNG)
    db = tmp_path / "db.toml"
    pyogrio.write_dataframe(pd.DataFrame({"a": [1]}), tmp_path / "x.gpkg", layer="t")
    db.write_bytes((tmp_path / "x.gpkg").read_bytes())
    (tmp_path / "x.gpkg").unlink()
    pdf = tmp_path / "doc.toml"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    nul = tmp_path / "nul.toml"
    nul.write_bytes(b"[rules]\nmin_size = 10\x00\x00\x00\x01\x02\nmax_size = 20\n")
    return {"png": (png, "PNG 图片", "a PNG image"), "db": (db, "SQLite 数据库", "an SQLite database"),
            "pdf": (pdf, "PDF 文档", "a PDF document"), "nul": (nul, "空字节", "NUL bytes")}


def _rules_commands(tmp_path: Path) -> dict[str, list[str]]:
    hh = _households(tmp_path)
    result = tmp_path / "res.gpkg"
    res = runner.invoke(app, ["delineate", str(hh), "--crs", "EPSG:4490", "--min", "1", "--max", "3", "-o",
                              str(result), "-q"], env=ENV)
    assert res.exit_code == 0, res.output
    return {"delineate": ["delineate", str(hh), "--crs", "EPSG:4490", "-o", str(tmp_path / "out.gpkg")],
            "check": ["check", str(result)],
            "repair": ["repair", str(result), "-o", str(tmp_path / "fixed.csv")],
            "edit": ["edit", str(result), "-o", str(tmp_path / "edit.html")]}


def test_every_command_taking_rules_says_io_binary_for_a_binary_rule_file(tmp_path: Path) -> None:
    commands = _rules_commands(tmp_path)
    binaries = _binaries(tmp_path)
    before = _files(tmp_path)
    for name, args in commands.items():
        for f, what_zh, what_en in binaries.values():
            code, zh = _run([*args, "--rules", str(f)], "zh")
            assert code == 2, (name, zh)
            assert f"错误 IO-BINARY：文件 {f} 是" in zh and what_zh in zh and "不是规则文件" in zh, (name, zh)
            assert "RULE-FILE" not in zh and "表格或图层" not in zh, (name, zh)
            code, en = _run([*args, "--rules", str(f)], "en")
            assert code == 2, (name, en)
            assert f"Error IO-BINARY: the file {f} is" in en and what_en in en and "not a rule file" in en, (name, en)
            assert "Give the rule file itself" in en and "RULE-FILE" not in en and not _HAN.search(en), (name, en)
    assert _files(tmp_path) == before


def test_text_rule_files_keep_their_own_codes(tmp_path: Path) -> None:
    args = _rules_commands(tmp_path)["check"]
    syntax = tmp_path / "syntax.toml"
    syntax.write_text("[rules]\nmin_size = 1\nmax_size = \n", encoding="utf-8")
    gbk = tmp_path / "latin.toml"  # (GBK reads since session 56: RULE-FILE-GBK, a warning)
    gbk.write_bytes("[rules]\n# café\nmin_size = 1\nmax_size = 3\n".encode("cp1252"))
    utf16 = tmp_path / "u16.toml"
    utf16.write_bytes("[rules]\nmin_size = 1\nmax_size = 3\n".encode("utf-16"))
    for f, want in ((syntax, "RULE-FILE-SYNTAX"), (gbk, "RULE-FILE-ENCODING"), (utf16, "RULE-FILE-ENCODING")):
        for lang in ("zh", "en"):
            code, out = _run([*args, "--rules", str(f)], lang)
            assert code == 2 and want in out and "IO-BINARY" not in out, (f, out)


def test_load_rules_file_raises_io_binary(tmp_path: Path) -> None:
    f, _zh, _en = _binaries(tmp_path)["png"]
    with pytest.raises(RuleConfigError) as exc:
        load_rules_file(f)
    assert exc.value.codes == ["IO-BINARY"] and exc.value.problems[0].file == str(f)
