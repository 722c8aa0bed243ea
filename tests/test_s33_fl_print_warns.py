"""A print map or unit sheets drawn from Python of id-card household ids say ID-PERSONAL (session 33 leftover of
bb6bb79, which made only the command line's ``map`` say it): a UserWarning, as the Python API's other findings."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

sys.path.insert(0, str(Path(__file__).parent))
from badfiles import LAT0, LON0  # noqa: E402


def _id_card(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]


def _layers(ids: list[str]) -> dict[str, gpd.GeoDataFrame]:
    hh = gpd.GeoDataFrame({"hid": ids, "unit_id": ["U1"] * len(ids), "persons": [3] * len(ids)},
                          geometry=[Point(LON0 + 0.0004 * i, LAT0) for i in range(len(ids))],
                          crs="EPSG:4326").to_crs("EPSG:4545").set_index("hid")
    units = gpd.GeoDataFrame({"unit_id": ["U1"], "n_households": [len(ids)]},
                             geometry=[box(*hh.total_bounds).buffer(20)], crs=hh.crs)
    return {"households": hh, "units": units}


def _said(draw: Callable[[], object]) -> list[str]:
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        draw()
    return [str(w.message) for w in seen if issubclass(w.category, UserWarning) and "ID-PERSONAL" in str(w.message)]


@pytest.mark.parametrize("what", ["print_map", "render_unit_sheets"])
def test_python_print_maps_of_id_card_ids_warn(tmp_path: Path, what: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from yuanluo.maps.static import print_map
    from yuanluo.maps.static_units import render_unit_sheets

    monkeypatch.setenv("YUANLUO_LANG", "en")
    cards = _layers([_id_card(f"11010519491231{i:03d}") for i in range(4)])
    plain = _layers([f"H{i}" for i in range(4)])
    run = {"print_map": lambda lyr: print_map(lyr, tmp_path / "x.png", dpi=40, overwrite=True),
           "render_unit_sheets": lambda lyr: render_unit_sheets(lyr, dpi=40)}[what]
    said = _said(lambda: run(cards))
    assert len(said) == 1 and "id-card numbers" in said[0] and "id_col=" in said[0], said
    assert _said(lambda: run(plain)) == []
