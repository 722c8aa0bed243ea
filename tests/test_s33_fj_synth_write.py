"""SynthVillage's writers refuse an existing file unless overwrite=True (OUT-EXISTS, as the other Python writers
do), check all their outputs before writing any, and write all or none (audit s33 AA ow.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from yuanluo import make_village
from yuanluo.gis.errors import OutputError
from yuanluo.gis.synth import SynthVillage


@pytest.fixture(scope="module")
def village() -> SynthVillage:
    return make_village(30, seed=1)


def test_write_dem_keeps_an_existing_file(village: SynthVillage, tmp_path: Path) -> None:
    p = tmp_path / "precious.tif"
    p.write_bytes(b"my survey DEM")
    with pytest.raises(OutputError) as e:
        village.write_dem(p)
    assert e.value.codes == ["OUT-EXISTS"]
    assert p.read_bytes() == b"my survey DEM"
    assert village.write_dem(p, overwrite=True) == p
    assert p.read_bytes() == village.dem_bytes()
    assert sorted(x.name for x in tmp_path.iterdir()) == ["precious.tif"]  # no temporary left


@pytest.mark.parametrize("taken", ["dem.tif", "context.gpkg", "households.gpkg"])
def test_write_is_all_or_nothing(village: SynthVillage, tmp_path: Path, taken: str) -> None:
    (tmp_path / taken).write_bytes(b"old")
    with pytest.raises(OutputError) as e:
        village.write(tmp_path)
    assert e.value.codes == ["OUT-EXISTS"]
    assert sorted(x.name for x in tmp_path.iterdir()) == [taken]
    assert (tmp_path / taken).read_bytes() == b"old"
    out = village.write(tmp_path, overwrite=True)
    assert sorted(x.name for x in tmp_path.iterdir()) == ["context.gpkg", "dem.tif", "households.gpkg"]
    assert out["dem"].read_bytes() == village.dem_bytes()


def test_write_makes_its_folder_and_same_bytes(village: SynthVillage, tmp_path: Path) -> None:
    a, b = village.write(tmp_path / "a" / "b"), village.write(tmp_path / "c")
    for k in ("households", "dem", "context"):
        assert a[k].read_bytes() == b[k].read_bytes()
