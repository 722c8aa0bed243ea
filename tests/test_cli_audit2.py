"""Second CLI audit: what a wrong file or option says (a coded error naming what to give, exit 2, nothing written)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from badfiles import HEADER, good_rows, write_csv
from shapely.geometry import Point
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def result(small_result: Path) -> Path:
    return small_result


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_map_of_a_households_file_is_not_a_result(tmp_path: Path, result: Path, lang: str) -> None:
    """A households-only GeoPackage (no units layer, no unit_id) and a file without a households layer are
    not results: the error says so and to run delineate; no map is drawn."""
    hh = gpd.read_file(result, layer="households").drop(columns=["unit_id"])
    plain = tmp_path / "v2.gpkg"
    hh.to_file(plain, layer="households")
    other = tmp_path / "成熟度.gpkg"
    gpd.GeoDataFrame({"a": [1]}, geometry=[Point(0, 0)], crs="EPSG:4326").to_file(other, layer="units_maturity")
    for src in (plain, other):
        out = tmp_path / "m.png"
        res = runner.invoke(app, ["map", str(src), "-o", str(out), "--lang", lang])
        assert res.exit_code == 2, res.output
        assert "RESULT-NOT-RESULT" in res.output and "yuanluo delineate" in res.output, res.output
        assert "--layer" not in res.output
        assert not out.exists()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_map_paper_other_than_a4_a3_is_refused(tmp_path: Path, result: Path, lang: str) -> None:
    out = tmp_path / "x.pdf"
    res = runner.invoke(app, ["map", str(result), "-o", str(out), "--paper", "A5", "--lang", lang])
    assert res.exit_code == 2 and "MAP-PAPER" in res.output and "--paper" in res.output, res.output
    assert not out.exists()
    ok = runner.invoke(app, ["map", str(result), "-o", str(tmp_path / "y.png"), "--paper", "a3", "-q"])
    assert ok.exit_code == 0, ok.output


def test_per_unit_png_says_per_unit_writes_pdf(tmp_path: Path, result: Path) -> None:
    res = runner.invoke(app, ["map", str(result), "--per-unit", str(tmp_path / "x.png"), "--lang", "en"])
    assert res.exit_code == 2 and "MAP-PRINT-FORMAT-PER-UNIT" in res.output, res.output
    assert "--per-unit writes only a PDF" in " ".join(res.output.split())
    assert not (tmp_path / "x.png").exists()



@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_multi_layer_context_file_is_named_by_its_option(tmp_path: Path, lang: str) -> None:
    """A GeoPackage of several layers given to --rivers/--water says to name the layer after the file with
    that option (``--rivers ctx.gpkg::rivers``), not with the households' --layer."""
    from badfiles import LAT0, LON0
    from shapely.geometry import LineString

    hh = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(12)])
    ctx = tmp_path / "ctx.gpkg"
    line = LineString([(LON0 - 0.01, LAT0), (LON0 + 0.01, LAT0)])
    for name in ("roads", "rivers"):
        gpd.GeoDataFrame(geometry=[line], crs=4490).to_file(ctx, layer=name)
    out = tmp_path / "g.gpkg"
    for opt, given, code in (("--rivers", str(ctx), "IO-LAYER-OPTION"), ("--water", f"{ctx}::lake", "IO-NOLAYER-OPTION")):
        res = runner.invoke(app, ["graph", str(hh), "--crs", "EPSG:4490", opt, given, "-o", str(out), "--lang", lang],
                            env={"COLUMNS": "1000"})
        assert res.exit_code == 2 and code in res.output, res.output
        assert "--layer" not in res.output, res.output
        if opt == "--rivers":
            assert f"{opt} {ctx}::rivers" in res.output, res.output
        else:  # no layer of polygons: none is proposed (roads, lines, was), the layers with their shapes (s37)
            assert f"{ctx}::" not in res.output and ("roads（线）" if lang == "zh" else "roads (lines)") in res.output
        assert not out.exists()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_workbook_of_points_is_named_by_its_option_and_its_sheets(tmp_path: Path, result: Path, lang: str) -> None:
    """An Excel list of points given to --fixed with several sheets of coordinates, or a sheet it lacks, says to
    name the sheet after the file (``--fixed pts.xlsx::点位A``), in sheet words, not the households' --layer."""
    import openpyxl
    from badfiles import LAT0, LON0

    wb = openpyxl.Workbook()
    assert wb.active is not None
    wb.active.title = "说明"
    for name in ("点位A", "点位B"):
        ws = wb.create_sheet(name)
        ws.append(["名称", "经度", "纬度"])
        ws.append(["P1", LON0, LAT0])
    pts = tmp_path / "pts.xlsx"
    wb.save(pts)
    out = tmp_path / "c.gpkg"
    for given, code in ((str(pts), "IO-LAYER-OPTION"), (f"{pts}::点位C", "IO-NOLAYER-OPTION")):
        res = runner.invoke(app, ["cover", str(result), "--fixed", given, "--crs", "EPSG:4490", "-o", str(out),
                                  "--lang", lang], env={"COLUMNS": "1000"})
        text = " ".join(res.output.split())
        assert res.exit_code == 2 and code in text, res.output
        assert "--layer" not in text and f"--fixed {pts}::" in text, res.output
        assert ("工作表" in text and "图层" not in text) if lang == "zh" else "sheet" in text, res.output
        assert not out.exists()


def test_barrier_messages_name_the_layer_in_words_and_by_its_file(tmp_path: Path) -> None:
    """BARRIER-* said 'the layer water' (an internal word): now 水面图层 / the water layer, and the user's file."""
    from yuanluo.gis.barriers import prepare_barriers
    from yuanluo.gis.errors import InputError
    from yuanluo.gis.io import read_layer

    f = tmp_path / "pts.gpkg"
    gpd.GeoDataFrame(geometry=[Point(500000, 3000000), Point(500010, 3000000)], crs=32648).to_file(f)
    with pytest.raises(InputError) as ei:  # read_layer itself refuses points as water (LAYER-WATER-KIND)
        read_layer(f, kind="water", working_crs="EPSG:32648")
    assert ei.value.codes == ["LAYER-WATER-KIND"]
    # read_layer refuses points as rivers too (BARRIER-POINTS, as delineate says it): points it passes (as sites),
    # their file recorded, given as rivers=
    rivers = read_layer(f, kind="candidates", working_crs="EPSG:32648")
    with pytest.raises(InputError) as ei:
        prepare_barriers("EPSG:32648", rivers=rivers)
    zh, en = ei.value.problems[0].message("zh"), ei.value.problems[0].message("en")
    assert "河流图层只有点要素" in zh and str(f) in zh and " rivers " not in zh, zh
    assert "the rivers layer holds points only" in en and str(f) in en, en


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_named_id_column_not_in_the_file_lists_the_files_columns(tmp_path: Path, lang: str) -> None:
    hh = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(4)])
    res = runner.invoke(app, ["validate", str(hh), "--crs", "EPSG:4490", "--id-col", "编号x", "--lang", lang],
                        env={"COLUMNS": "1000"})
    assert res.exit_code == 2 and "COL-MISSING" in res.output, res.output
    first = res.output.splitlines()[0]
    assert "--id-col" not in first and HEADER.split(",")[0] in first, first


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_encoding_wrong_or_unknown_never_prints_a_question_mark(tmp_path: Path, lang: str) -> None:
    hh = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(4)], encoding="gbk")
    wrong = runner.invoke(app, ["validate", str(hh), "--crs", "EPSG:4490", "--encoding", "utf-8", "--lang", lang])
    assert wrong.exit_code == 2 and "ENC-WRONG" in wrong.output and "?" not in wrong.output, wrong.output
    assert "--encoding gb18030" in wrong.output
    bad = runner.invoke(app, ["validate", str(hh), "--crs", "EPSG:4490", "--encoding", "gbkk", "--lang", lang])
    assert bad.exit_code == 2 and "ENC-UNKNOWN" in bad.output and "?" not in bad.output, bad.output
    assert all(n in bad.output for n in ("utf-8", "gbk", "gb18030", "utf-16"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_group_field_not_in_the_groups_layer_lists_its_columns(tmp_path: Path, lang: str) -> None:
    """--group-field naming no column was BND-ID '…missing, blank or repeated ()' with empty parentheses."""
    from badfiles import LAT0, LON0
    from shapely.geometry import box

    hh = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(6)])
    groups = tmp_path / "groups.gpkg"
    gpd.GeoDataFrame({"组别": ["一组"], "面积": [1.0]}, geometry=[box(LON0 - 0.01, LAT0 - 0.01, LON0 + 0.01, LAT0 + 0.01)],
                     crs=4490).to_file(groups, layer="groups")
    res = runner.invoke(app, ["validate", str(hh), "--crs", "EPSG:4490", "--groups", f"{groups}::groups",
                              "--group-field", "组名", "--lang", lang], env={"COLUMNS": "1000"})
    assert res.exit_code == 2 and "BND-ID-COLUMN" in res.output, res.output
    assert "组名" in res.output and "组别" in res.output and "面积" in res.output and "（）" not in res.output
    assert "()" not in res.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_basemap_messages_of_the_map_command_name_its_options(tmp_path: Path, result: Path, lang: str) -> None:
    """`map --basemap tianditu` without a key said to pass tianditu_key=KEY (a Python keyword): now the
    command's own --tianditu-key; an unknown basemap names --basemap. Nothing is written."""
    out = tmp_path / "m.html"
    res = runner.invoke(app, ["map", str(result), "-o", str(out), "--basemap", "tianditu", "--lang", lang],
                        env={"COLUMNS": "1000"})
    assert res.exit_code == 2 and "BASEMAP-TIANDITU-KEY" in res.output and "--tianditu-key" in res.output, res.output
    assert "tianditu_key" not in res.output
    res = runner.invoke(app, ["map", str(result), "-o", str(out), "--basemap", "google", "--lang", lang],
                        env={"COLUMNS": "1000"})
    assert res.exit_code == 2 and "BASEMAP-NAME" in res.output and "--basemap osm" in res.output, res.output
    assert not out.exists()
