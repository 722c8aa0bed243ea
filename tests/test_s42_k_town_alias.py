"""The households layer of a result kept its township column as the file named it (镇), with no alias in QGIS,
while the units and hierarchy layers call theirs ``town`` (乡镇 / Town) (audit I). The column keeps its name (the
result is read back by it), and takes the same alias."""
from __future__ import annotations

from pathlib import Path

import pytest
from shared_fixtures import gpkg_aliases, run_cli


@pytest.mark.parametrize(("lang", "alias"), [("zh", "乡镇"), ("en", "Town")])
def test_the_households_town_column_has_the_alias_of_town(tmp_path: Path, lang: str, alias: str) -> None:
    lines = ["户编号,经度,纬度,人口,镇,行政村,村民小组"]
    lines += [f"{i + 1:03d},{106.55 + 0.0004 * i:.6f},{29.56 + 0.0003 * (i % 3):.6f},3,"
              f"{'甲镇' if i < 12 else '乙镇'},新华村,一组" for i in range(24)]
    hh = tmp_path / "hh.csv"
    hh.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "u.gpkg"
    run_cli(["delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "-o", str(out), "-q"], lang)
    names = gpkg_aliases(out)
    assert names[("households", "镇")] == alias
    assert names[("units", "town")] == names[("hierarchy", "town")] == alias
    # read back by its own name as before: the check of the result keeps the towns apart and passes
    run_cli(["check", str(out)], lang, code=0)
