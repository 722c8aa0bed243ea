"""Tests of yuanluo.gis.output: atomic, deterministic multi-layer writes."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

import yuanluo.gis.output as out
import yuanluo.gis.transaction as T
from yuanluo.gis.errors import OutputError, known_codes


def _households() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "persons": pd.array([3, 2, None], dtype="Int64"),
            "village": pd.array(["一村", "一村", "二村"], dtype="str"),
            "head_candidate": [True, False, False],
        },
        geometry=gpd.points_from_xy([500000.0, 500050.0, 500100.0], [3300000.0, 3300000.0, 3300020.0]),
        index=pd.Index(["007", "008", "010"], name="hid"),
        crs="EPSG:4545",
    )


def _units() -> gpd.GeoDataFrame:
    polys = [shapely.box(0, 0, 10, 10), shapely.MultiPolygon([shapely.box(20, 0, 30, 10), shapely.box(40, 0, 50, 5)])]
    return gpd.GeoDataFrame({"unit_id": ["U001", "U002"], "n_households": [2, 1]}, geometry=polys, crs="EPSG:4545")


def _layers() -> dict[str, pd.DataFrame]:
    return {"households": _households(), "units": _units(), "stats": pd.DataFrame({"k": ["a"], "v": [1.5]})}


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_codes_registered() -> None:
    assert {"OUT-EXISTS", "OUT-WRITE", "OUT-LAYERS", "OUT-INPUT", "OUT-SAME"} <= set(known_codes())


def test_gpkg_layers_and_run_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    src = tmp_path / "in.csv"
    src.write_text("hid,x,y\n", encoding="utf-8")
    run = out.run_record(command="demo", inputs={"households": src}, params={"min": 20}, seed=7)
    assert run["timestamp"] == "2023-11-14T22:13:20Z"
    assert run["inputs"]["households"]["sha256"] == hashlib.sha256(src.read_bytes()).hexdigest()
    hh = _households()
    before = hh.copy()
    paths = out.write_layers(tmp_path / "o.gpkg", _layers(), run=run)
    assert paths == [tmp_path / "o.gpkg"]
    pd.testing.assert_frame_equal(hh, before)  # input not modified
    assert [n for n, _ in pyogrio.list_layers(paths[0])] == ["households", "units", "stats", "run", "layer_styles"]
    back = gpd.read_file(paths[0], layer="households")
    assert back["hid"].tolist() == ["007", "008", "010"]
    assert back.crs.to_epsg() == 4545
    runtab = gpd.read_file(paths[0], layer="run")
    kv = dict(zip(runtab["key"], runtab["value"], strict=True))
    assert kv["seed"] == "7" and kv["params.min"] == "20" and kv["command"] == "demo"
    with sqlite3.connect(paths[0]) as con:
        kinds = dict(con.execute("select table_name, data_type from gpkg_contents").fetchall())
        stamps = {r[0] for r in con.execute("select last_change from gpkg_contents")}
    assert kinds["run"] == "attributes" and kinds["households"] == "features"
    assert stamps == {"2023-11-14T22:13:20.000Z"}


def test_gpkg_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    run = {"seed": 1, "timestamp": "2024-05-01T08:00:00Z"}
    a = out.write_layers(tmp_path / "a.gpkg", _layers(), run=run)[0]
    b = out.write_layers(tmp_path / "b.gpkg", _layers(), run=run)[0]
    assert _sha(a) == _sha(b)
    c = out.write_layers(tmp_path / "c.gpkg", _layers())[0]
    d = out.write_layers(tmp_path / "d.gpkg", _layers())[0]
    assert _sha(c) == _sha(d)


def test_exists_checked_before_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "o.gpkg"
    target.write_bytes(b"old")
    called = []
    monkeypatch.setattr(out, "_write_gpkg", lambda *a, **k: called.append(1))
    with pytest.raises(OutputError) as ei:
        out.write_layers(target, _layers())
    assert ei.value.code == "OUT-EXISTS"
    assert isinstance(ei.value, OSError)
    assert "overwrite=True" in str(ei.value)  # a Python call: no command-line flag
    assert called == [] and target.read_bytes() == b"old"


def test_exists_multi_file(tmp_path: Path) -> None:
    (tmp_path / "o.units.csv").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="o.units.csv"):
        out.write_layers(tmp_path / "o.csv", _layers())
    assert not (tmp_path / "o.households.csv").exists()


def test_failure_midway_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "o.gpkg"
    out.write_layers(target, {"households": _households()})
    old = _sha(target)
    real = pyogrio.write_dataframe

    def flaky(df: pd.DataFrame, path: Path, layer: str, **kw: object) -> None:
        if layer == "units":
            raise OSError(28, "No space left on device")
        real(df, path, layer=layer, **kw)

    monkeypatch.setattr(pyogrio, "write_dataframe", flaky)
    with pytest.raises(OutputError) as ei:
        out.write_layers(target, _layers(), overwrite=True)
    assert ei.value.code == "OUT-WRITE"
    assert "ENOSPC" in str(ei.value) and "磁盘空间不足" in str(ei.value) and "is full" in ei.value.render("en")
    assert "free some space on the drive" in ei.value.render("en") and "EACCES" not in str(ei.value)  # its one fix
    assert _sha(target) == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.gpkg"]  # temp file removed


def test_failure_midway_multi_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = out._write_single

    def flaky(df: pd.DataFrame, tmp: Path, fmt: str) -> None:
        if "units" in tmp.name:
            raise ValueError("boom")
        real(df, tmp, fmt)

    monkeypatch.setattr(out, "_write_single", flaky)
    with pytest.raises(ValueError, match="boom"):
        out.write_layers(tmp_path / "o.parquet", _layers())
    assert list(tmp_path.iterdir()) == []


def test_locked_file_retries_then_out_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "o.gpkg"
    target.write_bytes(b"old")
    calls: list[tuple[str, str]] = []

    def locked(src: str, dst: str) -> None:
        calls.append((src, dst))
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(T, "REPLACE_WAIT_S", 0.0)
    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(OutputError) as ei:
        out.write_layers(target, _layers(), overwrite=True)
    assert ei.value.code == "OUT-WRITE"
    assert "EACCES" in str(ei.value) and "被其他程序占用" in str(ei.value) and "已有的同名文件（如有）未改动" in str(ei.value)
    assert len(calls) == T.REPLACE_RETRIES + 1
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.gpkg"]


def test_locked_file_released_during_retry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "o.gpkg"
    target.write_bytes(b"old")
    real = os.replace
    n = {"calls": 0}

    def once_locked(src: str, dst: str) -> None:
        n["calls"] += 1
        if n["calls"] == 1:
            raise PermissionError(13, "Permission denied")
        real(src, dst)

    monkeypatch.setattr(T, "REPLACE_WAIT_S", 0.0)
    monkeypatch.setattr(os, "replace", once_locked)
    out.write_layers(target, _layers(), overwrite=True)
    assert [n for n, _ in pyogrio.list_layers(target)] == ["households", "units", "stats", "layer_styles"]


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as ei:
        out.write_layers(tmp_path / "nope" / "o.gpkg", _layers())
    assert ei.value.code == "OUT-WRITE" and "ENOENT" in str(ei.value) and "先创建文件夹" in str(ei.value)
    assert "EACCES" not in str(ei.value)  # the code is known: only its fix (s48 N2)


def test_unwritable_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(*a: object, **k: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(pyogrio, "write_dataframe", denied)
    with pytest.raises(OutputError) as ei:
        out.write_layers(tmp_path / "o.gpkg", _layers())
    assert ei.value.code == "OUT-WRITE" and "有写入权限的文件夹" in str(ei.value) and "ENOSPC" not in str(ei.value)
    assert list(tmp_path.iterdir()) == []


def test_csv_bom_and_xy(tmp_path: Path) -> None:
    paths = out.write_layers(tmp_path / "o.csv", _layers(), run={"seed": 3})
    assert [p.name for p in paths] == ["o.households.csv", "o.units.csv", "o.stats.csv", "o.run.csv"]
    raw = paths[0].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == "hid,persons,village,head_candidate,x,y"
    assert "007,3,一村,True,500000.0,3300000.0" in text
    back = pd.read_csv(paths[0], encoding="utf-8-sig", dtype={"hid": str})
    assert back["hid"].tolist() == ["007", "008", "010"]
    units = pd.read_csv(paths[1], encoding="utf-8-sig")
    assert units["geometry"].str.startswith(("POLYGON", "MULTIPOLYGON")).all()
    assert shapely.from_wkt(units["geometry"]).tolist()[1].equals(_units().geometry.iloc[1])


def test_single_layer_goes_to_path(tmp_path: Path) -> None:
    p = out.write_layers(tmp_path / "hh.csv", {"households": _households()})
    assert p == [tmp_path / "hh.csv"]


def test_parquet_round_trip_keeps_string_ids(tmp_path: Path) -> None:
    paths = out.write_layers(tmp_path / "o.parquet", _layers(), run={"seed": 3})
    assert [p.name for p in paths] == ["o.households.parquet", "o.units.parquet", "o.stats.parquet",
                                       "o.run.parquet"]
    back = gpd.read_parquet(paths[0])
    assert back["hid"].tolist() == ["007", "008", "010"]
    assert pd.api.types.is_string_dtype(back["hid"])
    assert back.crs.to_epsg() == 4545
    assert back["persons"].dtype == "Int64" and back["persons"].isna().tolist() == [False, False, True]
    assert back.geometry.equals(_households().geometry.reset_index(drop=True))
    assert pd.read_parquet(paths[3])["key"].tolist() == ["seed"]


def test_empty_layer_and_bad_layers(tmp_path: Path) -> None:
    empty = gpd.GeoDataFrame({"unit_id": pd.Series([], dtype="str")}, geometry=[], crs="EPSG:4545")
    p = out.write_layers(tmp_path / "e.gpkg", {"units": empty})[0]
    assert len(gpd.read_file(p, layer="units")) == 0
    with pytest.raises(OutputError) as ei:
        out.write_layers(tmp_path / "x.gpkg", {"a": [1, 2]})
    assert ei.value.code == "OUT-LAYERS"
    with pytest.raises(OutputError):
        out.write_layers(tmp_path / "x.gpkg", {"run": pd.DataFrame({"a": [1]})}, run={"seed": 1})


def test_csv_cells_that_look_like_formulas_are_neutralised_and_read_back(tmp_path: Path) -> None:
    from yuanluo.gis.plan import read_plan_table

    plan = pd.DataFrame({"hid": ["=HYPERLINK(1)", "+7", "007"], "unit_id": ["@U1", "-U2", "U3"]})
    out.write_layers(tmp_path / "p.csv", {"plan": plan}, fmt="csv")
    text = (tmp_path / "p.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(1)" in text and "'+7" in text and "'@U1" in text and "'-U2" in text
    assert "\n007," in text.replace("\r", "")
    hh = pd.DataFrame(index=pd.Index(["=HYPERLINK(1)", "+7", "007"], name="hid"))
    labels, probs = read_plan_table(tmp_path / "p.csv", hh)
    assert labels.to_dict() == {"=HYPERLINK(1)": "@U1", "+7": "-U2", "007": "U3"} and probs == []


def test_multi_file_layers_placed_all_or_none(tmp_path: Path) -> None:
    (tmp_path / "o.units.csv").mkdir()  # the second file cannot be placed: the first is taken back
    with pytest.raises(OutputError) as ei:
        out.write_layers(tmp_path / "o.csv", _layers(), overwrite=True)
    assert ei.value.code == "OUT-WRITE" and "o.households.csv" in ei.value.render("en")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.units.csv"]


def test_transaction_checks_every_output_before_work(tmp_path: Path) -> None:
    src = tmp_path / "in.gpkg"
    src.write_bytes(b"in")
    with pytest.raises(OutputError) as ei:
        out.transaction([src, tmp_path / "m.txt", tmp_path / "no" / "x.gpkg"], overwrite=True, inputs=[src],
                        allowed={tmp_path / "m.txt": out.HTML_SUFFIXES})
    assert ei.value.codes == ["OUT-INPUT", "OUT-SUFFIX", "OUT-WRITE"]
    assert "use one of these extensions: .html .htm" in ei.value.render("en")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.gpkg"]


def test_geopackages_are_version_1_2_for_older_qgis(tmp_path: Path) -> None:
    """GDAL ≥ 3.7 writes GeoPackage 1.4 by default; the GDAL of an older QGIS then logs "may only be partially
    supported" on every layer. Yuanluo's files are 1.2 (user_version 10200), as every GDAL since 2.2 expects."""
    path = tmp_path / "r.gpkg"
    pts = gpd.GeoDataFrame({"hid": ["a"]}, geometry=[shapely.Point(0, 0)], crs="EPSG:4545")
    out.write_layers(path, {"households": pts, "run": pd.DataFrame({"key": ["tool"], "value": ["yuanluo"]})})
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA user_version").fetchone() == (10200,)
        assert con.execute("PRAGMA application_id").fetchone() == (0x47504B47,)  # "GPKG"
    finally:
        con.close()
    assert set(pyogrio.list_layers(path)[:, 0]) >= {"households", "run"}
