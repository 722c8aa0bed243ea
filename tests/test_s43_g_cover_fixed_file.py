"""Session 43, helper G: the cover report names the file of the existing points (``--fixed``) and is dated by it.

``yuanluo cover … --fixed 现有服务点.csv --candidates 候选.csv --report r.html`` named the candidates' file in its
header (候选位置 cand_wgs.csv：76 处，其中 74 处有农户可走到) but not the existing points' (only 现有固定服务点: 保留 16
个现有服务点，位置不变, further down), and its 数据日期 ignored that file: a list of points corrected after the
delineation left the report dated by the result. The header now has 现有服务点 / Existing points with the file, how
many points it gives and how many households can walk to; the date counts the file as an input.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime

import geopandas as gpd
import pytest
from shared_fixtures import run_cli

from yuanluo.planners.workflows import sample_paths


def _stamp(path, day: str) -> None:
    t = datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC).timestamp()
    os.utime(path, (t, t))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_names_the_existing_points_file_and_is_dated_by_it(tmp_path, monkeypatch, lang):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    result = tmp_path / "andorra.gpkg"
    shutil.copyfile(sample_paths()["households"].split("::")[0], result)
    hh = gpd.read_file(result, layer="households")
    x, y = hh.geometry.x.iloc[0], hh.geometry.y.iloc[0]
    fixed = tmp_path / "现有服务点.csv"
    # one hall beside the first house, one 8 km away (left out): a GBK table as Excel saves it
    fixed.write_bytes(f"名称,经度,纬度\n村委会,{x + 0.00005:.6f},{y:.6f}\n远处,{x + 0.1:.6f},{y:.6f}\n".encode("gbk"))
    _stamp(result, "2021-03-04")
    _stamp(fixed, "2022-05-06")
    page = tmp_path / "r.html"
    run_cli(["cover", str(result), "--fixed", str(fixed), "--crs", "EPSG:4326", "-o", str(tmp_path / "c.gpkg"),
             "--report", str(page)], lang=lang)
    html = page.read_text(encoding="utf-8")
    row = {"zh": "<dt>现有服务点</dt><dd>现有服务点.csv：2 处，其中 1 处有农户可走到，保留不动</dd>",
           "en": "<dt>Existing points</dt><dd>现有服务点.csv: 2, 1 of them within walking reach of households, "
                 "kept where they are</dd>"}[lang]
    assert row in html
    assert "2022-05-06" in html and "2021-03-04" not in html


def test_without_fixed_points_the_header_has_no_such_row(tmp_path):
    page = tmp_path / "r.html"
    run_cli(["cover", sample_paths()["households"].split("::")[0], "-o", str(tmp_path / "c.gpkg"), "--report",
             str(page)])
    assert "<dt>现有服务点</dt>" not in page.read_text(encoding="utf-8")
