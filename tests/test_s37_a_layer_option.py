"""IO-LAYER-OPTION (a GeoPackage of several layers given to --rivers, --water, --roads … without a layer) proposes a
layer whose shapes the option takes, or, where none has them, says so and lists the layers with their shapes.

Its fix took the file's first layer: `validate hh --rivers andorra.gpkg` said 'e.g. --rivers
andorra.gpkg::building_points' (points), and a delineation result given as --rivers '…::households'.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from paths import ANDORRA_GPKG
from shared_fixtures import delineate_village, flat, run_cli

from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_layer
from yuanluo.gis.synth import make_village

needs_andorra = pytest.mark.skipif(not ANDORRA_GPKG.exists(), reason="shared Andorra data not present")


@pytest.fixture(scope="module")
def hh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("village")
    return make_village(60, seed=3).write(folder)["households"]


@needs_andorra
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("option", "layer"), [("--rivers", "waterways"), ("--water", "water"), ("--roads", "roads")])
def test_andorra_layer_of_the_option(hh: Path, lang: str, option: str, layer: str) -> None:
    out = run_cli(["validate", str(hh), option, str(ANDORRA_GPKG)], lang, code=2)
    assert "IO-LAYER-OPTION" in out
    assert f"{option}{ANDORRA_GPKG}::{layer}" in flat(out), out  # lines for --rivers: waterways, not building_points
    assert "::building_points" not in out


@needs_andorra
def test_andorra_a_layer_it_lacks_and_from_python(hh: Path) -> None:
    out = run_cli(["validate", str(hh), "--rivers", f"{ANDORRA_GPKG}::rivers"], "en", code=2)
    assert "IO-NOLAYER-OPTION" in out and f"--rivers{ANDORRA_GPKG}::waterways" in flat(out), out
    with pytest.raises(InputError) as info:
        read_layer(ANDORRA_GPKG, kind="rivers", working_crs="EPSG:32631")
    assert "layer='waterways'" in info.value.render("en") and " layer='waterways'" in info.value.render("zh")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_layer_fits_says_so_and_lists_the_layers(hh: Path, tmp_path: Path, lang: str) -> None:
    """A GeoPackage of households (points) and villages (polygons) as --rivers: no lines, no polygons named for
    water; the fix proposes none and lists the layers with their shapes. As --water its villages (polygons)."""
    v = make_village(60, seed=3)
    f = tmp_path / "points.gpkg"
    v.households.to_file(f, layer="households")
    v.villages.to_file(f, layer="villages")
    out = flat(run_cli(["validate", str(hh), "--rivers", str(f)], lang, code=2))
    assert "IO-LAYER-OPTION" in out and f"{f}::" not in out, out
    if lang == "zh":
        assert "其中没有--rivers要的线（或水面的面）：各图层为households（点）、villages（面）。请给出存有河流的文件" in out
    else:
        assert ("noneofitslayersholdswhat--riverstakes,lines(orwaterpolygons);itslayers:households(points),"
                "villages(polygons).Givethefilethatholdstherivers") in out
    out = flat(run_cli(["validate", str(hh), "--water", str(f)], lang, code=2))
    assert f"{f}::" not in out and ("看不出其中哪个图层存有水面" if lang == "zh" else "namedforthewaterareas") in out, out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_result_proposes_none_of_its_own_layers(tmp_path: Path, hh: Path, lang: str) -> None:
    """A delineation result (no rivers given) as --rivers: its own layers are no rivers (its unit_adjacency lines
    would be LAYER-RESULT-OUTPUT); the fix says to give the original file. Given with --water, the file it records."""
    delineate_village(tmp_path, ["-o", "r.gpkg", "--min", "5", "--max", "20"])
    out = flat(run_cli(["validate", str(hh), "--rivers", str(tmp_path / "r.gpkg")], lang, code=2))
    assert "IO-LAYER-OPTION" in out and "r.gpkg::" not in out, out
    assert ("给出原来的河流文件：这个结果中没有河流图层" if lang == "zh" else "givetheoriginalfileofrivers") in out, out


def test_a_result_that_was_given_water_names_its_file(tmp_path: Path, hh: Path) -> None:
    v = make_village(60, seed=3)
    x0, y0, _, _ = v.households.total_bounds
    from shapely import box

    gpd.GeoDataFrame({"DLBM": ["0103"], "DLMC": ["旱地"]}, geometry=[box(x0 - 90, y0 - 90, x0 - 70, y0 - 70)],
                     crs=v.crs).to_file(tmp_path / "landuse.gpkg", layer="dltb")
    delineate_village(tmp_path, ["-o", "r.gpkg", "--min", "5", "--max", "20", "--water", "landuse.gpkg"])
    out = flat(run_cli(["validate", str(hh), "--water", str(tmp_path / "r.gpkg")], "en", code=2))
    assert "givetheoriginalfileofwaterareas(landuse.gpkg,asitsdelineationrecordedit)" in out, out
    out = flat(run_cli(["validate", str(hh), "--water", str(tmp_path / "r.gpkg")], "zh", code=2))
    assert "给出原来的水面文件（划分记录中为landuse.gpkg）" in out, out
