"""A layer whose features have no shape (session 36, fixer GC): a GeoJSON whose features all say
``"geometry": null`` (one made from a table), empty geometries (``GEOMETRYCOLLECTION EMPTY``, a line of no
coordinates), a GeoPackage layer of null geometries.

Before: given as --rivers, --water or --roads such a layer was read as a layer of no rivers (water, roads):
``validate`` said nothing and exited 0, ``delineate`` exited 0 and wrote its result with one warning saying the layer
was empty "otherwise ignore this" (BARRIER-EMPTY), so a planner took the units for river-safe; given as
--candidates or --fixed, ``cover`` stopped on COVER-SITE-XY, a message about ``site_xy[0] = [nan, nan]`` naming
neither the file nor the option. Features of which only some lacked a shape were dropped without a word.

Now every feature without a shape is LAYER-NOSHAPE, an error naming the file, the option (and the layer) and the
fix, before anything is written; some of them are the warning LAYER-NOSHAPE-ROWS naming them (feature numbers), and
the layer is used with the rest. Boundary, groups and units layers already said GEOM-EMPTY of each polygon missing
(tests/test_s28_io.py); they are not changed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
from typer.testing import CliRunner

from yuanluo.gis.errors import InputError
from yuanluo.gis.io import layer_as_stored, read_households, read_layer, read_points
from yuanluo.gis.synth import make_village
from yuanluo.planners.cli import app

runner = CliRunner()
ENV = {"COLUMNS": "400"}
WORDS = {"zh": ("没有一个带形状", "重新导出该图层"), "en": ("not one has a shape", "export the layer again")}
ROW_WORDS = {"zh": ("有 2 个没有形状", "第 2、4 行", "其余 2 个照常使用"),
             "en": ("used with 2 of its 4 features", "2 features without a shape", "rows 2, 4")}


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The synthetic village of 60 households written in a folder, its rivers (3 lines) in EPSG:4326."""
    folder = tmp_path_factory.mktemp("village")
    v = make_village(60, seed=3)
    paths = v.write(folder)
    return {"folder": folder, "hh": paths["households"], "dem": paths["dem"], "rivers": v.rivers.to_crs(4326)}


def _geojson(path: Path, geoms: list[dict[str, Any] | None], props: list[dict[str, Any]] | None = None) -> Path:
    """A GeoJSON FeatureCollection written by hand (as a table-to-GeoJSON tool writes one), one feature per geometry."""
    props = props or [{"name": f"河{i + 1}"} for i in range(len(geoms))]
    feats = [{"type": "Feature", "properties": p, "geometry": g} for g, p in zip(geoms, props, strict=True)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False), encoding="utf-8")
    return path


def _all_null(folder: Path) -> Path:
    return _geojson(folder / "rivers_null.geojson", [None, None, None])


def _all_empty(folder: Path) -> Path:
    return _geojson(folder / "rivers_empty.geojson", [{"type": "GeometryCollection", "geometries": []},
                                                     {"type": "LineString", "coordinates": []}])


def _gpkg_null(folder: Path) -> Path:
    f = folder / "rivers_null.gpkg"
    gpd.GeoDataFrame({"name": ["河1", "河2"]}, geometry=[None, None], crs=4326).to_file(f, layer="rivers")
    return f


def _some_null(village: dict[str, Any], folder: Path) -> Path:
    """4 features: the village's first and second rivers as features 1 and 3, none in 2 and an empty line in 4."""
    lines = [shapely.geometry.mapping(g) for g in village["rivers"].geometry.iloc[:2]]
    return _geojson(folder / "rivers_some.geojson", [lines[0], None, lines[1], {"type": "LineString", "coordinates": []}])


def _validate(village: dict[str, Any], lang: str, *extra: str) -> Any:
    return runner.invoke(app, ["--lang", lang, "validate", str(village["hh"]), *extra], env=ENV)


def _flat(text: str) -> str:
    return "".join(c for c in text if not c.isspace() and c not in "│┃")


@pytest.mark.parametrize("make", [_all_null, _all_empty, _gpkg_null], ids=["null", "empty", "gpkg-null"])
@pytest.mark.parametrize("option", ["--rivers", "--water", "--roads"])
def test_a_layer_of_no_shapes_is_a_coded_error(village: dict[str, Any], tmp_path: Path, make: Any,
                                               option: str) -> None:
    f = make(tmp_path)
    for lang in ("zh", "en"):
        res = _validate(village, lang, option, str(f))
        assert res.exit_code == 2, res.output
        assert "LAYER-NOSHAPE" in res.output and f.name in res.output and option in res.output, res.output
        assert all(w in _flat(res.output) for w in map(_flat, WORDS[lang])), res.output
        assert "BARRIER-EMPTY" not in res.output
    if f.suffix == ".gpkg":  # the layer named as the layer it is, as LAYER-NOGEOM names it
        assert "(layer rivers)" in res.output


def test_delineate_over_rivers_of_no_shapes_writes_nothing(village: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "units.gpkg"
    res = runner.invoke(app, ["--lang", "en", "delineate", str(village["hh"]), "--dem", str(village["dem"]),
                              "--rivers", str(_all_null(tmp_path)), "--preset", "banan", "-o", str(out)], env=ENV)
    assert res.exit_code == 2, res.output
    assert "LAYER-NOSHAPE" in res.output and "rivers_null.geojson" in res.output
    assert not out.exists() and list(tmp_path.iterdir()) == [tmp_path / "rivers_null.geojson"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_features_without_a_shape_are_named_and_the_rest_used(village: dict[str, Any], tmp_path: Path,
                                                              lang: str) -> None:
    f = _some_null(village, tmp_path)
    res = _validate(village, lang, "--rivers", str(f))
    assert res.exit_code == 0, res.output
    assert "LAYER-NOSHAPE-ROWS" in res.output and "rivers_some.geojson" in res.output
    assert all(_flat(w) in _flat(res.output) for w in ROW_WORDS[lang]), res.output
    r = read_layer(f, kind="rivers", working_crs="EPSG:4545")
    assert len(r) == 2 and r["name"].tolist() == ["河1", "河3"] and r.attrs["rows"] == [1, 3]
    assert list(r.index) == [0, 1] and not (r.geometry.isna() | r.geometry.is_empty).any()
    assert r.geometry.length.round(3).tolist() == make_village(60, seed=3).rivers.geometry.iloc[:2].length.round(3).tolist()
    w = next(q for q in r.attrs["warnings"] if q.code == "LAYER-NOSHAPE-ROWS")
    assert w.severity == "warning" and w.rows == (2, 4) and w.file == str(f)


def test_delineate_uses_the_rivers_that_have_shapes(village: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "units.gpkg"
    res = runner.invoke(app, ["--lang", "en", "delineate", str(village["hh"]), "--dem", str(village["dem"]),
                              "--rivers", str(_some_null(village, tmp_path)), "--preset", "banan", "-o", str(out)],
                        env=ENV)
    assert res.exit_code == 0, res.output
    assert "LAYER-NOSHAPE-ROWS" in res.output and "BARRIER-EMPTY" not in res.output
    written = gpd.read_file(out, layer="rivers")
    assert written["name"].tolist() == ["河1", "河3"]


def test_a_points_layer_of_no_shapes_is_said_as_such(tmp_path: Path) -> None:
    props = [{"名称": "村委会"}, {"名称": "文化室"}, {"名称": "院坝"}]
    f = _geojson(tmp_path / "halls.geojson", [None, None, None], props)
    for kind in ("candidates", "fixed"):
        with pytest.raises(InputError) as exc:
            read_points(f, kind=kind, working_crs="EPSG:4545")
        assert exc.value.codes == ["LAYER-NOSHAPE"]
    pt = {"type": "Point", "coordinates": [106.55, 29.56]}
    some = _geojson(tmp_path / "some.geojson", [pt, None, {**pt, "coordinates": [106.551, 29.561]}], props)
    pts = read_points(some, kind="candidates", working_crs="EPSG:4545")
    assert pts["名称"].tolist() == ["村委会", "院坝"] and pts.attrs["rows"] == [1, 3]
    assert [q.rows for q in pts.attrs["warnings"] if q.code == "LAYER-NOSHAPE-ROWS"] == [(2,)]


def test_cover_names_the_candidates_file_not_site_xy(tmp_path: Path) -> None:
    from shared_fixtures import delineate_village

    delineate_village(tmp_path, ["--dem", "dem.tif", "--preset", "banan", "-o", "units.gpkg"])
    f = _geojson(tmp_path / "halls.geojson", [None, None], [{"名称": "村委会"}, {"名称": "文化室"}])
    out = tmp_path / "cover.gpkg"
    for lang in ("zh", "en"):
        res = runner.invoke(app, ["--lang", lang, "cover", str(tmp_path / "units.gpkg"), "--dem",
                                  str(tmp_path / "dem.tif"), "--candidates", str(f), "-o", str(out)], env=ENV)
        assert res.exit_code == 2, res.output
        assert "LAYER-NOSHAPE" in res.output and "--candidates" in res.output and "halls.geojson" in res.output
        assert "COVER-SITE-XY" not in res.output and "site_xy" not in res.output and not out.exists()


def test_in_memory_water_and_the_stored_layer(village: dict[str, Any], tmp_path: Path) -> None:
    water = gpd.GeoDataFrame({"name": ["塘"]}, geometry=[None], crs=4326)
    with pytest.raises(InputError) as exc:
        read_households(village["hh"], water=water)
    assert "LAYER-NOSHAPE" in exc.value.codes
    q = next(p for p in exc.value.problems if p.code == "LAYER-NOSHAPE")
    assert q.file is None and "--water" not in q.title("en") and "not one has a shape" in q.title("en")
    assert q.title("en").startswith("the layer given as water= has 1 feature, but")
    assert layer_as_stored(_all_null(tmp_path), kind="rivers") is None
