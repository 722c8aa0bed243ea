"""Bidi overrides (U+202A–E, U+2066–9) reach no page (session 33 leftover of c14a7de).

c14a7de took them out of the check report and the interactive map's title (gis.validate.page_text); the map's
cards and findings (its page data) and its other HTML texts, and the coverage report's printed margin boxes (the
input file in a CSS string, where the report's _e does not reach) still carried them.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point
from typer.testing import CliRunner

from yuanluo.planners.cli import app

sys.path.insert(0, str(Path(__file__).parent))
from badfiles import LAT0, LON0  # noqa: E402

runner = CliRunner()
ENV = {"COLUMNS": "400"}
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
CSS_BIDI = re.compile(r"\\(?:202[a-e]|206[6-9]) ")  # the same in a CSS string (report._css_string escapes)


def test_map_cards_and_findings_carry_no_override() -> None:
    from yuanluo.maps.interactive import make_map, render_html

    hh = gpd.GeoDataFrame({"persons": [3, 3], "unit_id": ["U1", "U1"]}, index=pd.Index(["H1", "H2"], name="hid"),
                          geometry=[Point(LON0, LAT0), Point(LON0 + 0.001, LAT0)], crs="EPSG:4326").to_crs("EPSG:4545")
    v = pd.DataFrame({"unit_id": ["U1"], "code": ["MEET-FILE"], "severity": ["error"],
                      "message": ["文件 rtl_\u202eexe.csv 中院落 U1 的议事点 \u2067甲\u2069"]})
    page = render_html(make_map({"households": hh, "violations": v}, lang="zh"))
    assert "rtl_exe.csv 中院落 U1 的议事点 甲" in page, "the finding's text is on the page"
    assert not BIDI.search(page), BIDI.findall(page)


def test_cover_report_margin_boxes_carry_no_override(tmp_path: Path) -> None:
    lines = ["户编号,经度,纬度,人口,村民小组"] + [
        f"H{i:03d},{LON0 + 0.0004 * i:.6f},{LAT0 + 0.0003 * (i % 3):.6f},{2 + i % 4},一组" for i in range(12)]
    csv = tmp_path / "hh.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = tmp_path / "rtl_\u202eexe.gpkg"
    r = runner.invoke(app, ["delineate", str(csv), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "-o", str(res),
                            "-q"], env=ENV)
    assert r.exit_code == 0, r.output
    cand = tmp_path / "cand_\u202ecsv.csv"
    cand.write_text("经度,纬度,名称\n" + "".join(f"{LON0 + 0.0004 * i:.6f},{LAT0:.6f},点{i}\n" for i in (1, 6, 10)),
                    encoding="utf-8")
    report, page_map = tmp_path / "c.html", tmp_path / "cm.html"
    r = runner.invoke(app, ["cover", str(res), "--crs", "EPSG:4490", "--candidates", str(cand), "-o",
                            str(tmp_path / "c.gpkg"), "--report", str(report), "--map", str(page_map), "-q"], env=ENV)
    assert r.exit_code == 0, r.output
    for path in (report, page_map):
        page = path.read_text(encoding="utf-8")
        assert not BIDI.search(page) and not CSS_BIDI.search(page), (path.name, CSS_BIDI.findall(page))
    page = report.read_text(encoding="utf-8")
    assert "rtl_exe.gpkg" in page and "cand_csv.csv" in page
    assert r"rtl\5f exe\2e gpkg" in page  # the printed page's foot names the file too, without the override
