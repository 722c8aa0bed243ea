"""Audit Z3 (session 31) §6, §7 (read_layer), §9: Python-API mistakes in the readers and English subjects in
Chinese CRS errors.

``read_households(columns=...)`` with a key that is not a canonical name (``lng``, ``household``, ``people``)
dropped it silently and kept its column out of the alias search (a self-contradicting COL-MISSING, or the persons
column lost); now COL-KEY names the key, the keys taken and the mapping with the key it stands for.
``read_layer(kind='river')`` was a bare ValueError and ``read_layer(working_crs=None)`` a pyproj CRSError; now
LAYER-KIND (the kinds, the nearest) and LAYER-WORKING-CRS (``working_crs=hh.crs``). CRS-PROJECTED said "layer
households", "households", "graph" in Chinese; now the subject is the catalogue's in the chosen language. BARRIER-GKPREFIX
no longer tells to reproject from a CRS to itself.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, box
from shared_fixtures import E0, N0, prefixed_prj_case
from typer.testing import CliRunner

from yuanluo import build_graph, read_households, read_layer, save_map
from yuanluo.gis.errors import CRSError, InputError
from yuanluo.planners.cli import app

runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    res = runner.invoke(app, list(args), env={"COLUMNS": "400"})
    return res.exit_code, " ".join(res.output.split())


def _odd_csv(folder: Path) -> Path:
    p = folder / "odd_cols.csv"
    rows = [f"H{i:02d},{106.55 + 0.0004 * i:.4f},{29.56 + 0.0003 * i:.4f},{i % 4 + 1}" for i in range(12)]
    p.write_text("编号ID,东经,北纬,人口\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return p


def _latin_words(zh: str) -> list[str]:
    """The Latin words of a Chinese message outside codes, EPSG codes, quoted values and file paths."""
    s = re.sub(r"“[^”]*”|'[^']*'", " ", zh)
    s = re.sub(r"[\w.]+\([^（）\n]*\)|\w+=\{[^}]*\}", " ", s)  # code with quotes of its own, written bare
    s = re.sub(r"\b[A-Z][A-Z0-9]*(-[A-Z0-9]+)+\b|EPSG:\d+|\S*[/\\.]\S*", " ", s)
    return re.findall(r"[A-Za-z]{2,}", s)


# ------------------------------------------------------------------ §6 columns= with a key it does not take
@pytest.mark.parametrize(("columns", "bad", "fixed"), [
    ({"hid": "编号ID", "lng": "东经", "lat": "北纬"}, "lng", "{'hid': '编号ID', 'lon': '东经', 'lat': '北纬'}"),
    ({"hid": "编号ID", "lon": "东经", "lat": "北纬", "people": "人口"}, "people",
     "{'hid': '编号ID', 'lon': '东经', 'lat': '北纬', 'persons': '人口'}"),
    ({"household": "编号ID"}, "household", None),
])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_unknown_columns_key_is_col_key(tmp_path: Path, columns: dict[str, str], bad: str, fixed: str | None,
                                           lang: str) -> None:
    p = _odd_csv(tmp_path)
    with pytest.raises(InputError) as ei:
        read_households(p, crs="EPSG:4326", columns=columns)
    assert ei.value.codes == ["COL-KEY"], ei.value.render("en")
    msg = ei.value.render(lang)
    assert (f"“{bad}”" if lang == "zh" else f"'{bad}'") in msg
    for key in ("hid", "lon", "lat", "x", "y", "persons", "village", "group", "settlement", "head_candidate"):
        assert (f"“{key}”" if lang == "zh" else f"'{key}'") in msg, (key, msg)
    if fixed is not None:
        assert f"columns={fixed}" in msg, msg
        h, rep = read_households(p, crs="EPSG:4326", columns=eval(fixed))  # the fix it gives reads the file
        assert len(h) == 12 and h.index[0] == "H00"
        if "persons" in fixed:
            assert h["persons"].tolist()[:4] == [1, 2, 3, 4]
    if lang == "zh":
        assert _latin_words(msg) == [], msg


# ------------------------------------------------------------------ §7 read_layer's kind= and working_crs=
def _rivers(tmp_path: Path) -> tuple[Path, gpd.GeoDataFrame]:
    hh = gpd.GeoDataFrame({"hid": ["a", "b"]}, geometry=[Point(E0, N0), Point(E0 + 50, N0)],
                          crs="EPSG:4544").set_index("hid")
    f = tmp_path / "r.gpkg"
    gpd.GeoDataFrame(geometry=[box(E0 + 10, N0 - 30, E0 + 20, N0 + 30)], crs="EPSG:4544").to_file(f)
    return f, hh


@pytest.mark.parametrize(("lang", "nearest"), [("zh", "最接近的是 read_layer(…, kind='rivers', …)"),
                                               ("en", "the nearest is read_layer(…, kind='rivers', …)")])
def test_read_layer_with_an_unknown_kind_is_layer_kind(tmp_path: Path, lang: str, nearest: str) -> None:
    f, hh = _rivers(tmp_path)
    with pytest.raises(InputError) as ei:
        read_layer(f, kind="river", working_crs=hh.crs)
    assert ei.value.codes == ["LAYER-KIND"]
    msg = ei.value.render(lang)
    assert nearest in msg and "kind='river'" in msg and ("“roads”" if lang == "zh" else "'roads'") in msg, msg
    with pytest.raises(InputError) as ei:  # nothing near: the kinds only
        read_layer(f, kind="dem", working_crs=hh.crs)
    assert ei.value.codes == ["LAYER-KIND"] and "nearest" not in ei.value.render("en")
    assert len(read_layer(f, kind="rivers", working_crs=hh.crs)) == 1


@pytest.mark.parametrize(("lang", "says"), [("zh", "须是住户所在的工作坐标系"), ("en", "the households' working CRS")])
@pytest.mark.parametrize("given", [None, "no such crs"])
def test_read_layer_without_a_working_crs_names_hh_crs(tmp_path: Path, lang: str, says: str, given: str | None,
                                                       ) -> None:
    f, _hh = _rivers(tmp_path)
    with pytest.raises(CRSError) as ei:
        read_layer(f, kind="rivers", working_crs=given)
    assert ei.value.codes == ["LAYER-WORKING-CRS"]
    msg = ei.value.render(lang)
    assert says in msg and "read_layer(…, kind='rivers', working_crs=hh.crs)" in msg, msg
    if lang == "zh":
        assert _latin_words(msg) == [], msg


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_read_layer_with_a_lonlat_working_crs_names_its_keyword(tmp_path: Path, lang: str) -> None:
    f, _hh = _rivers(tmp_path)
    with pytest.raises(CRSError) as ei:
        read_layer(f, kind="rivers", working_crs="EPSG:4326")
    assert ei.value.codes == ["CRS-WORKING"]
    msg = ei.value.render(lang)
    assert "read_layer" in msg and "working_crs=" in msg and "working CRS 的" not in msg, msg


# ------------------------------------------------------------------ §9 CRS-PROJECTED's subject in the language
@pytest.mark.parametrize(("lang", "subject"), [("zh", "图层 “households”的坐标系 EPSG:4326"),
                                               ("en", "of layer households is not")])
def test_a_lonlat_map_layer_is_named_in_the_language(tmp_path: Path, lang: str, subject: str) -> None:
    _f, hh = _rivers(tmp_path)
    with pytest.raises(CRSError) as ei:
        save_map({"households": hh.to_crs(4326)}, tmp_path / "m.html")
    msg = ei.value.render(lang)
    assert ei.value.codes == ["CRS-PROJECTED"] and subject in msg, msg
    assert not (tmp_path / "m.html").exists()
    if lang == "zh":
        assert _latin_words(msg) == [], msg


@pytest.mark.parametrize(("lang", "subject"), [("zh", "住户的坐标系"), ("en", "of the households is not")])
def test_lonlat_households_are_named_in_the_language(tmp_path: Path, lang: str, subject: str) -> None:
    _f, hh = _rivers(tmp_path)
    with pytest.raises(CRSError) as ei:
        build_graph(hh.to_crs(4326))
    msg = ei.value.render(lang)
    assert ei.value.codes == ["CRS-PROJECTED"] and subject in msg, msg
    if lang == "zh":
        assert _latin_words(msg) == [], msg


# ------------------------------------------------------------------ BARRIER-GKPREFIX: no reprojection to itself
def _shp(path: Path, frame: gpd.GeoDataFrame) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame.to_file(path, encoding="utf-8")
    return path


@pytest.mark.parametrize(("lang", "same", "reproject"), [
    ("zh", "这也是农户的坐标系，不必再转换", "-t_srs"), ("en", "it is the households' CRS as well", "-t_srs")])
def test_gkprefix_fix_does_not_reproject_to_the_same_crs(tmp_path: Path, lang: str, same: str, reproject: str,
                                                        ) -> None:
    hh, folder, g = prefixed_prj_case(tmp_path)  # the .prj of zone 35 with the prefix; the eastings without it
    layer = _shp(folder / "DLTB.shp", g)
    out_file = tmp_path / "g.gpkg"
    code, out = _run("--lang", lang, "graph", str(hh), "--crs", "EPSG:4544", "--x-col", "X坐标", "--y-col", "Y坐标",
                     "--water", str(layer), "-o", str(out_file))
    assert code == 2 and "BARRIER-GKPREFIX" in out and "EPSG:4544" in out and not out_file.exists(), out
    assert same in out and reproject not in out and "-s_srs EPSG:4544" not in out, out


def test_gkprefix_fix_reprojects_to_another_households_crs() -> None:
    # a prefixed layer under a CRS without the prefix, households in another zone: declaring, then reprojecting
    hh = gpd.GeoDataFrame({"hid": ["a", "b"]}, geometry=[Point(E0, N0), Point(E0 + 50, N0)],
                          crs="EPSG:4544").set_index("hid")
    water = gpd.GeoDataFrame(geometry=[box(E0 + 10, N0 - 30, E0 + 20, N0 + 30)], crs="EPSG:4544")
    water = water.to_crs("EPSG:4545")
    water = water.set_geometry(water.translate(36_000_000, 0)).set_crs("EPSG:4545", allow_override=True)
    with pytest.raises(InputError) as ei:
        build_graph(hh, water=water)
    [p] = ei.value.problems
    assert p.code == "BARRIER-GKPREFIX" and p.params["suggest"] == "EPSG:4524"
    assert "ogr2ogr -s_srs EPSG:4524 -t_srs EPSG:4544" in p.message("en")
    assert "ogr2ogr -s_srs EPSG:4524 -t_srs EPSG:4544" in p.message("zh")


# ------------------------------------------------------------------ HH_ID is a household id
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", ["HH_ID", "hh_id", "HHID"])
def test_hh_id_is_a_household_id(tmp_path: Path, lang: str, name: str) -> None:
    p = tmp_path / "hh.csv"
    p.write_text(f"{name},经度,纬度\n" + "".join(f"A{i},{106.55 + 0.0004 * i:.4f},29.56\n" for i in range(5)),
                 encoding="utf-8")
    code, out = _run("--lang", lang, "validate", str(p), "--crs", "EPSG:4490")
    assert code == 0 and "COL-MISSING" not in out, out
    h, _rep = read_households(p, crs="EPSG:4490")
    assert h.index.tolist() == [f"A{i}" for i in range(5)]


