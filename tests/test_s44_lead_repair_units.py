"""Session 44 (lead): repair reads a plan as check reads it.

Found by helper E's audit of check: 'repair --units units.shp --units-crs EPSG:4545' accepted the option (it is in
the shared PlanSource) but read the layer without it (CRS-MISSING, naming the very option given); and
'repair --unit-col 院落' took the plan's own column for the natural settlements too, as check did before 115d7f0, so
the settlement rule was checked against the plan itself, where no unit can split one, and nothing said so.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_fixtures import run_cli
from test_s44_e_units_crs import _files


def test_repair_reads_the_layer_in_the_crs_given(tmp_path: Path) -> None:
    hh, shp = _files(tmp_path)
    for lang in ("zh", "en"):
        out = run_cli(["repair", str(hh), "--crs", "EPSG:4490", "--units", str(shp), "--units-crs", "EPSG:4545",
                       "--min", "3", "--max", "5", "-o", str(tmp_path / f"r_{lang}.csv")], lang)
        assert "CRS-MISSING" not in out, out
        assert (tmp_path / f"r_{lang}.csv").exists(), out
    # without it the layer has no CRS: the fix names the option (as check's)
    out = run_cli(["repair", str(hh), "--crs", "EPSG:4490", "--units", str(shp), "--min", "3", "--max", "5",
                   "-o", str(tmp_path / "r_none.csv")], "en", code=2)
    assert "CRS-MISSING" in out and "--units-crs EPSG:4545" in out, out
    assert not (tmp_path / "r_none.csv").exists()


@pytest.mark.parametrize(("lang", "said"), [("zh", "保持自然院落完整（农户表没有自然院落列）"),
                                            ("en", "Warning RULE-UNAPPLIED")])
def test_repair_plan_column_is_no_settlement_column(tmp_path: Path, lang: str, said: str) -> None:
    rows = ["户编号,经度,纬度,院落"] + [f"H{i:02d},{106.55 + 0.0004 * i:.6f},29.560000,U{i // 5 + 1}" for i in range(10)]
    hh = tmp_path / "hh.csv"
    hh.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = run_cli(["repair", str(hh), "--crs", "EPSG:4490", "--unit-col", "院落", "--min", "3", "--max", "5",
                   "-o", str(tmp_path / "r.csv")], lang)
    assert said in out, out
    if lang == "en":
        assert "settlement" in out.split("RULE-UNAPPLIED", 1)[1].splitlines()[0], out


def test_edit_reads_the_layer_in_the_crs_given(tmp_path: Path) -> None:
    # edit's --units (32733ad) took no CRS for a layer without one: its CRS-MISSING fix named --units-crs, an option
    # edit lacked
    hh, shp = _files(tmp_path)
    res = tmp_path / "res.gpkg"
    run_cli(["delineate", str(hh), "--crs", "EPSG:4490", "--min", "3", "--max", "5", "-o", str(res), "-q"], "zh")
    out = run_cli(["edit", str(res), "--units", str(shp), "--min", "3", "--max", "5", "-o", str(tmp_path / "e0.html")],
                  "en", code=2)
    assert "CRS-MISSING" in out and "--units-crs" in out, out
    out = run_cli(["edit", str(res), "--units", str(shp), "--units-crs", "EPSG:4545", "--min", "3", "--max", "5",
                   "-o", str(tmp_path / "e.html")], "en")
    assert (tmp_path / "e.html").exists() and "CRS-MISSING" not in out, out
