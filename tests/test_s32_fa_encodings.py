"""Session 32 FA defects 2–4: the text encoding of a Shapefile, told from its .dbf's bytes.

2. SHP-CPG-NOFIT (the .cpg names an encoding its text is not in, and none other fits) named no rows: it names the
   features whose text does not decode.
3. GBK text under a .cpg copied from a Western layer (``1252``, ``ISO-8859-1``) was read silently as mojibake
   (``户编号`` as ``»§±àºÅ``: COL-MISSING at best): it is read as GBK with SHP-CPG-WRONG. Real Latin text with
   accents under such a .cpg (Andorra's Catalan names) is left as it is.
4. ``--encoding gbk`` for a Shapefile in cp1252 read on silently: GDAL drops a character that does not convert
   (``Sant Julià`` became ``Sant Juli``) and reads what does convert as rare hanzi (``Lòria`` as ``L騬ia``). The
   first is ENC-WRONG naming the features and ``--encoding cp1252``; text that decodes as GBK only into rare hanzi
   inside Latin words is ENC-WRONG-TEXT (an error: the encoding given is wrong), showing a value both ways.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
import pytest
from paths import ANDORRA_GPKG as ANDORRA
from typer.testing import CliRunner

from yuanluo.gis.errors import InputError, Problem
from yuanluo.gis.io import read_households, read_layer, read_table
from yuanluo.planners.cli import app

runner = CliRunner()
ENV = {"COLUMNS": "400"}
CATALAN = ["Encamp", "Sant Julià de Lòria", "Canillo", "Escaldes-Engordany", "Ordino", "La Massana",
           "Andorra la Vella", "Aixàs"]  # row 2 does not decode as GBK ("à "), row 8 does: Aix鄐
DECODING = ["Encamp", "Lòria", "Canillo", "Anyós", "Ordino", "Aixàs", "Andorra la Vella", "Pal"]  # all decode


def _shp(path: Path, columns: dict[str, list[str]], encoding: str, cpg: str | None) -> Path:
    n = len(next(iter(columns.values())))
    g = gpd.GeoDataFrame(columns, geometry=gpd.points_from_xy([1.52 + 0.0004 * i for i in range(n)], [42.5] * n),
                         crs=4326)
    g.to_file(path, encoding=encoding)
    path.with_suffix(".cpg").unlink(missing_ok=True)
    if cpg is not None:
        path.with_suffix(".cpg").write_text(cpg)
    return path


def _hh(names: list[str]) -> dict[str, list[str]]:
    return {"hid": [f"H{i:02d}" for i in range(len(names))], "name": names}


def _problem(call: Callable[..., Any], *args: Any, **kw: Any) -> Problem:
    with pytest.raises(InputError) as e:
        call(*args, **kw)
    assert len(e.value.problems) == 1, [p.code for p in e.value.problems]
    return e.value.problems[0]


# ------------------------------------------------------------------------------------------- 2. SHP-CPG-NOFIT rows
def test_cpg_nofit_names_the_rows_that_do_not_decode(tmp_path: Path) -> None:
    """A cp1252 layer under a .cpg saying UTF-8 (whose text reads neither as UTF-8 nor GBK): rows 2 and 6, the
    features with ``à``/``ò``/``ó`` that do not decode as UTF-8."""
    names = ["Encamp", "Sant Julià de Lòria", "Canillo", "Ordino", "La Massana", "Anyós", "Pal"]
    p = _shp(tmp_path / "a.shp", _hh(names), "cp1252", "UTF-8")
    q = _problem(read_households, p)
    assert q.code == "SHP-CPG-NOFIT" and q.rows == (2, 6)
    assert "e.g. rows 2, 6" in q.message("en") and "示例：第 2、6 行" in q.message("zh"), q.message("zh")


def test_cpg_nofit_rows_on_the_command_line(tmp_path: Path) -> None:
    p = _shp(tmp_path / "a.shp", _hh(["Encamp", "Sant Julià de Lòria", "Canillo"]), "cp1252", "UTF-8")
    for lang, says in (("en", "row 2"), ("zh", "第 2 行")):
        res = runner.invoke(app, ["--lang", lang, "validate", str(p)], env=ENV)
        assert res.exit_code == 2 and "SHP-CPG-NOFIT" in res.output and says in res.output, res.output


# ------------------------------------------------------------------------------ 3. GBK text under a Western .cpg
@pytest.mark.parametrize("cpg", ["1252", "ISO-8859-1", "LATIN1", "CP1252"])
def test_gbk_text_under_a_western_cpg_is_read_as_gbk(tmp_path: Path, cpg: str) -> None:
    heads = ["张三", "李四", "王五", "赵六", "钱七", "孙八"]
    cols = {"户编号": [f"{i:03d}" for i in range(6)], "户主": heads, "村民小组": ["一组"] * 3 + ["二组"] * 3}
    p = _shp(tmp_path / "a.shp", cols, "gbk", cpg)
    hh, report = read_households(p)
    assert list(hh["户主"]) == heads and sorted(hh.index.astype(str)) == cols["户编号"]
    assert sorted(set(hh["group"])) == ["一组", "二组"]
    wrong = [w for w in report.warnings if w.code == "SHP-CPG-WRONG"]
    assert len(wrong) == 1 and wrong[0].params["said"] == cpg and wrong[0].params["name"] == "GBK"
    assert "GBK" in wrong[0].message("zh") and "a.cpg" in wrong[0].message("en")


def _andorra_names() -> list[str]:
    names: list[str] = []
    for layer in ("places", "parishes", "roads", "building_points"):
        df = pyogrio.read_dataframe(ANDORRA, layer=layer, columns=["name"], read_geometry=False)
        names.extend(str(n) for n in df["name"].dropna())
    out = [n for n in dict.fromkeys(names) if not n.isascii()]
    return [n for n in out if n.encode("cp1252", errors="replace").decode("cp1252") == n]


@pytest.mark.parametrize("cpg", ["1252", "ISO-8859-1"])
def test_catalan_names_under_a_western_cpg_are_left_alone(tmp_path: Path, cpg: str) -> None:
    """Every accented name of Andorra's places, parishes, roads and buildings (356 names), all in one layer and
    upper-cased one per layer, reads as written under a .cpg of 1252: no SHP-CPG-WRONG, no GBK."""
    names = _andorra_names()
    assert len(names) > 300 and "Sant Julià de Lòria" in names
    enc = "cp1252" if cpg == "1252" else "ISO-8859-1"  # as GDAL spells them
    names = [n for n in names if n.encode(enc, errors="replace").decode(enc) == n]
    p = _shp(tmp_path / "names.shp", {"name": names}, enc, cpg)
    # a layer of points: read as sites (roads of points only are BARRIER-POINTS as read)
    got = read_layer(p, kind="candidates", working_crs="EPSG:32631")
    assert list(got["name"]) == names
    assert not [w.code for w in got.attrs["warnings"] if w.code.startswith(("SHP-CPG", "ENC-"))]
    for i, n in enumerate(names[:120]):  # one name alone, upper-cased (CONCEIÇÃO's kind of pair: ÇÃ is 敲 in GBK)
        q = _shp(tmp_path / f"u{i}.shp", {"name": [n.upper()]}, enc, cpg)
        one = read_layer(q, kind="candidates", working_crs="EPSG:32631")
        assert list(one["name"]) == [n.upper()], n
        assert not [w.code for w in one.attrs["warnings"] if w.code.startswith("SHP-CPG")], n


# ------------------------------------------------------------------------------------- 4. --encoding gbk for cp1252
@pytest.mark.parametrize("cpg", [None, "1252"])
def test_gbk_given_for_cp1252_text_that_does_not_decode_is_enc_wrong(tmp_path: Path, cpg: str | None) -> None:
    p = _shp(tmp_path / "a.shp", _hh(CATALAN), "cp1252", cpg)
    q = _problem(read_households, p, encoding="gbk")
    assert q.code == "ENC-WRONG" and q.rows == (2, 8) and q.params["guess"] == ["cp1252"]
    assert "encoding='cp1252'" in q.message("en") and "rows 2, 8" in q.message("en")


@pytest.mark.parametrize("cpg", [None, "1252"])
def test_gbk_given_for_cp1252_text_that_decodes_is_enc_wrong_text(tmp_path: Path, cpg: str | None) -> None:
    p = _shp(tmp_path / "a.shp", _hh(DECODING), "cp1252", cpg)
    q = _problem(read_households, p, encoding="gbk")
    assert q.code == "ENC-WRONG-TEXT" and q.rows == (2, 4, 6)
    assert (q.params["as_tried"], q.params["as_guess"], q.params["guess"]) == ("L騬ia", "Lòria", "cp1252")


@pytest.mark.parametrize(("lang", "says"), [
    ("en", ["ENC-WRONG-TEXT", "read as gbk is not Chinese", "'L騬ia'", "read as cp1252 it is 'Lòria'",
            "rows 2, 4, 6", "give --encoding cp1252 instead", "a.cpg"]),
    ("zh", ["ENC-WRONG-TEXT", "按 gbk 读出来不是中文", "“L騬ia”", "按 cp1252 读则是“Lòria”", "第 2、4、6 行",
            "改用 --encoding cp1252", "a.cpg"]),
])
def test_enc_wrong_text_on_the_command_line(tmp_path: Path, lang: str, says: list[str]) -> None:
    p = _shp(tmp_path / "a.shp", _hh(DECODING), "cp1252", None)
    res = runner.invoke(app, ["--lang", lang, "validate", str(p), "--encoding", "gbk"], env=ENV)
    assert res.exit_code == 2, res.output
    for s in says:
        assert s in res.output, (s, res.output)
    if lang == "zh":
        assert "Fix" not in res.output and "instead" not in res.output
    else:
        assert "处理办法" not in res.output and "改用" not in res.output


def test_enc_wrong_on_the_command_line_names_rows_and_the_fix(tmp_path: Path) -> None:
    p = _shp(tmp_path / "a.shp", _hh(CATALAN), "cp1252", "1252")
    res = runner.invoke(app, ["--lang", "en", "validate", str(p), "--encoding", "gbk"], env=ENV)
    assert res.exit_code == 2 and "ENC-WRONG" in res.output and "rows 2, 8" in res.output, res.output
    assert "give --encoding cp1252 instead" in res.output and "IO-CORRUPT" not in res.output


@pytest.mark.parametrize("given", ["gbk", "GB18030", "936"])
def test_gbk_given_for_gbk_text_still_reads(tmp_path: Path, given: str) -> None:
    """No false alarm on Chinese text, also where a hanzi sits by a Latin letter (``A区1号``) or is rare (``堃``)."""
    heads = ["张三", "李四", "王堃", "赵六", "钱七", "孙八"]
    cols = {"户编号": [f"{i:03d}" for i in range(6)], "户主": heads,
            "地址": ["A区1号", "B区2号", "C栋", "G318旁", "一组", "二组"]}
    for cpg in (None, "1252", "GBK"):
        p = _shp(tmp_path / "a.shp", cols, "gbk", cpg)
        hh, _report = read_households(p, encoding=given)
        assert list(hh["户主"]) == heads and list(hh["地址"]) == cols["地址"]


def test_the_right_western_encoding_given_still_reads(tmp_path: Path) -> None:
    for names in (CATALAN, DECODING):
        p = _shp(tmp_path / "a.shp", _hh(names), "cp1252", None)
        hh, _report = read_households(p, encoding="cp1252")
        assert list(hh["name"]) == names


def test_andorra_names_given_as_gbk_are_refused(tmp_path: Path) -> None:
    names = _andorra_names()
    p = _shp(tmp_path / "n.shp", {"name": names}, "cp1252", None)
    q = _problem(read_table, p, encoding="gbk")
    assert q.code in ("ENC-WRONG", "ENC-WRONG-TEXT") and len(q.rows) > 100
    assert read_table(p, encoding="cp1252")["name"].tolist() == names
