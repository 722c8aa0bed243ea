"""``yuanluo map`` of a result edited in QGIS (audit X §3, §4, §6): read as ``check`` reads it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


def _result(tmp_path: Path) -> Path:
    """A small result written by Yuanluo (100 households, units U001–U004 of 25)."""
    from yuanluo.gis.output import write_layers
    from yuanluo.maps.sample import sample_layers

    res = tmp_path / "result.gpkg"
    write_layers(res, {k: v for k, v in sample_layers(100, block=5).items() if k != "run"})
    return res


def _card(html: Path) -> dict:
    found = re.search(r"var R = (\{.*?\});\n", html.read_text(encoding="utf-8"))
    assert found is not None
    return json.loads(found.group(1))


# ------------------------------------------------------------------ §3: a household added in QGIS with NULL fields
@pytest.mark.parametrize("suffix", [".html", ".png"])
def test_map_refuses_a_household_added_without_an_id_as_check_does(suffix: str, tmp_path: Path) -> None:
    """The map drew it as a household with the id "nan", exit 0, no word; check said ID-BLANK (exit 2)."""
    import geopandas as gpd
    from shapely.geometry import Point

    res = _result(tmp_path)
    hh = gpd.read_file(res, layer="households")
    x, y = hh.geometry.iloc[0].x, hh.geometry.iloc[0].y
    extra = gpd.GeoDataFrame({c: [None] for c in hh.columns if c != hh.geometry.name},
                             geometry=[Point(x + 5, y + 5)], crs=hh.crs)
    pd.concat([hh, extra], ignore_index=True).to_file(res, layer="households", driver="GPKG")
    chk = runner.invoke(app, ["check", str(res), "--layer", "households", "--min", "20", "--max", "30"])
    assert chk.exit_code == 2 and "ID-BLANK" in chk.output and "101" in chk.output, chk.output
    out = runner.invoke(app, ["map", str(res), "-o", str(tmp_path / f"m{suffix}")])
    assert out.exit_code == 2, out.output
    assert "ID-BLANK" in out.output and str(res) in out.output.replace("\n", "") and "101" in out.output, out.output
    assert not (tmp_path / f"m{suffix}").exists()


# ------------------------------------------------------------------ §4: a unit id edited with a space or full-width
@pytest.mark.parametrize("edited", ["U002 ", "Ｕ００２", " U００2"])
def test_map_reads_an_edited_unit_id_as_check_does(edited: str, tmp_path: Path) -> None:
    """ "U002 " or "Ｕ００２" set on three households of U002 made a fourth unit on the map (and, full-width, a
    RESULT-UNITS-STALE warning); check reads them as U002 and passes."""
    import geopandas as gpd

    res = _result(tmp_path)
    hh = gpd.read_file(res, layer="households")
    mine = hh.index[hh["unit_id"] == "U002"][:3]
    hh.loc[mine, "unit_id"] = edited
    hh.to_file(res, layer="households", driver="GPKG")
    out = runner.invoke(app, ["map", str(res), "-o", str(tmp_path / "m.html")])
    assert out.exit_code == 0, out.output
    assert "RESULT-UNITS-STALE" not in out.output, out.output
    card = _card(tmp_path / "m.html")
    assert sorted(card["units"]) == ["U001", "U002", "U003", "U004"], card["units"]


# ------------------------------------------------------------------ §6: only the unit polygons were reshaped
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_stale_units_after_a_polygon_edit_are_not_blamed_on_the_households(lang: str, tmp_path: Path) -> None:
    """The warning said the households layer was edited elsewhere when only the units layer was."""
    import geopandas as gpd

    res = _result(tmp_path)
    units = gpd.read_file(res, layer="units")
    a, b = units.index[units["unit_id"] == "U001"][0], units.index[units["unit_id"] == "U002"][0]
    geom = units.geometry.copy()
    geom[a], geom[b] = units.geometry[b], units.geometry[a]  # the two polygons swapped, households untouched
    units.set_geometry(geom).to_file(res, layer="units", driver="GPKG")
    out = runner.invoke(app, ["--lang", lang, "map", str(res), "-o", str(tmp_path / "m.html")])
    assert out.exit_code == 0, out.output
    said = re.sub(r"[\s│┃]", "", out.output)  # the table's wrapping taken out
    assert "RESULT-UNITS-STALE" in said and "U001" in said and "U002" in said, out.output
    wrong = "农户图层在别处改动过" if lang == "zh" else "thehouseholdswereeditedelsewhere"
    either = "两个图层之一" if lang == "zh" else "oneofthetwolayers"
    assert wrong not in said and either in said, out.output
    html = (tmp_path / "m.html").read_text(encoding="utf-8")
    assert ("或院落的范围改动过" if lang == "zh" else "or the polygons were edited") in html
