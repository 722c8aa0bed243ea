"""One voice (session 51, helper N): a Shapefile whose .cpg names its encoding rightly, with a few bytes in one
row that are not in it (a name typed in another program), lost those characters silently: GDAL's English
RuntimeWarning ("One or several characters couldn't be converted correctly from GB18030 to UTF-8") went to the
developers' log only, and the household's 一组 was read as 组, a villager group of its own. ENC-UNDECODED says it,
naming the row, in the run's language."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from badfiles import LAT0, LON0
from typer.testing import CliRunner

from yuanluo.planners.cli import app


@pytest.mark.parametrize(("lang", "said"), [("zh", "警告 ENC-UNDECODED："), ("en", "Warning ENC-UNDECODED: ")])
def test_bytes_not_in_the_cpgs_encoding_are_said(tmp_path: Path, lang: str, said: str) -> None:
    n = 6
    g = gpd.GeoDataFrame({"户编号": [f"H{i}" for i in range(n)], "村民小组": ["一组"] * n},
                         geometry=gpd.points_from_xy([LON0 + 0.0004 * i for i in range(n)], [LAT0] * n), crs=4326)
    g.to_file(tmp_path / "hh.shp", encoding="gbk")
    dbf = bytearray((tmp_path / "hh.dbf").read_bytes())
    at = dbf.rfind("一组".encode("gbk"))  # the last row's 一: two bytes no Chinese encoding has
    dbf[at:at + 2] = b"\xff\xff"
    (tmp_path / "hh.dbf").write_bytes(bytes(dbf))
    res = CliRunner().invoke(app, ["--lang", lang, "validate", str(tmp_path / "hh.shp")])
    line = next((ln for ln in res.output.splitlines() if ln.startswith(said)), None)
    assert line is not None, res.output
    assert ("第 6 行" if lang == "zh" else "row 6") in line, line
    assert "couldn't" not in res.output
