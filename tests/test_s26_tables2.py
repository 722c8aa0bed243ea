"""Workbooks and print maps of the s26 audit S: a workbook cell too long for Excel ends at a whole id with a count
(defect 3); the coverage print map names its coordinate system in the sheet's language (defect 6)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from yuanluo.gis.output import EXCEL_CELL_CHARS
from yuanluo.planners.cli import app

runner = CliRunner()
#: the audit's 38-character ids (hh_long.csv), 951 of them as in the Andorra demo
LONG_IDS = [f"Household-with-a-long-identifier-{i:06d}" for i in range(951)]


def _long_inputs(tmp: Path) -> tuple[Path, Path]:
    """All 951 households in one unit, one of them 20 km from the others, so the unit is in two pieces and the
    findings list every id in one cell (38,039 characters, over Excel's 32,767)."""
    hh, plan = tmp / "hh_long.csv", tmp / "plan_long.csv"
    rows = [f"{h},{380000 + 25 * (i % 40) + (20000 if i == 950 else 0)},{4712000 + 25 * (i // 40)}"
            for i, h in enumerate(LONG_IDS)]
    hh.write_text("\n".join(["id,x,y", *rows]) + "\n", encoding="utf-8")
    plan.write_text("\n".join(["户编号,院落编号", *(f"{h},U001" for h in LONG_IDS)]) + "\n", encoding="utf-8")
    return hh, plan


def _long_cells(path: Path) -> list[str]:
    ws = openpyxl.load_workbook(path).worksheets[0]
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and len(c.value) > 1000]


def test_a_findings_cell_longer_than_excel_keeps_ends_at_a_whole_id_with_the_count(tmp_path: Path) -> None:
    """check --csv findings.xlsx wrote a cell of 38,039 characters that Excel cut at 32,767 without a word, in the
    middle of an id (…|Househo). Now the cell ends after its last whole id that fits, with … and the number of ids
    in all; the CSV still lists every id."""
    hh, plan = _long_inputs(tmp_path)
    base = ["check", str(hh), "--crs", "EPSG:32631", "--plan", str(plan), "--min", "10", "--max", "2000"]
    for lang, count in (("zh", "共 951 个"), ("en", "951 in all")):
        out = tmp_path / f"long_{lang}.xlsx"
        r = runner.invoke(app, [*(["--lang", "en"] if lang == "en" else []), *base, "--csv", str(out)])
        assert r.exit_code == 1, r.output
        (cell,) = _long_cells(out)
        assert len(cell) <= EXCEL_CELL_CHARS
        assert cell.endswith(count), cell[-80:]
        kept = cell[:cell.index("…")].replace(";", "|").split("|")
        assert kept == LONG_IDS[:len(kept)], kept[-3:]  # whole ids, none cut
        assert 800 < len(kept) < 951
    r = runner.invoke(app, [*base, "--csv", str(tmp_path / "long.csv")])
    assert r.exit_code == 1, r.output
    text = (tmp_path / "long.csv").read_text(encoding="utf-8-sig")
    assert all(h in text for h in LONG_IDS)


def _cover_sheet_texts(crs: str, lang: str) -> str:
    """Every text of the coverage print map (``cover --png``) drawn for six households in ``crs``."""
    import geopandas as gpd
    from matplotlib import rc_context
    from pyproj import CRS, Transformer

    from yuanluo.maps import static
    from yuanluo.maps.coverage import check_cover_layers
    from yuanluo.maps.static_cover import _draw

    x0, y0 = Transformer.from_crs(4326, CRS(crs), always_xy=True).transform(108.1, 29.5)
    xs, ys = [x0 + d for d in (0, 100, 300, 1000, 1500, 2000)], [y0 + d for d in (0, 200, 100, 800, 1000, 500)]
    hh = gpd.GeoDataFrame({"hid": [f"H{i}" for i in range(6)], "hub_id": ["P001"] * 3 + ["P002"] * 3,
                           "walk_min": [2.0, 5.0, 9.0, 3.0, 8.0, 12.0]}, geometry=gpd.points_from_xy(xs, ys), crs=crs)
    hubs = gpd.GeoDataFrame({"hub_id": ["P001", "P002"], "level": ["village", "village"], "name": ["院坝", "祠堂"]},
                            geometry=gpd.points_from_xy(xs[:1] + xs[3:4], ys[:1] + ys[3:4]), crs=crs)
    with rc_context(static.font_rc()):
        fig = _draw(check_cover_layers({"households": hh, "hubs": hubs}), paper="A4", lang=lang, title=None, dpi=50,
                    limit=15.0)
    arts = [*fig.texts, *fig.axes[0].texts, *(t for leg in fig.legends for t in leg.get_texts())]
    return "\n".join(t.get_text() for t in arts)


def test_the_chinese_cover_sheet_names_its_coordinate_system_in_chinese() -> None:
    """cover --png wrote the projection's English name (CGCS2000 / 3-degree Gauss-Kruger CM 108E) on the Chinese
    sheet, where the unit print map writes it in Chinese; now both name it with the same words (crs_text), and the
    English sheet keeps the English name."""
    import re

    from pyproj import CRS

    from yuanluo.maps.static import crs_text

    zh = re.sub(r"\s", "", _cover_sheet_texts("EPSG:4545", "zh"))
    assert re.sub(r"\s", "", crs_text(CRS.from_epsg(4545), "zh")) in zh  # CGCS2000 3 度带高斯-克吕格投影，中央经线 108°E
    for word in ("degree", "Gauss-Kruger", "CM"):
        assert word not in zh
    utm = re.sub(r"\s", "", _cover_sheet_texts("EPSG:32649", "zh"))
    # in Chinese words and with its code, as the unit print map says it (session 41: it was the code alone)
    assert "坐标系：WGS84通用横轴墨卡托投影49N带（EPSG:32649）" in utm and "UTM" not in utm and "zone" not in utm
    en = re.sub(r"\s", "", _cover_sheet_texts("EPSG:4545", "en"))  # the footer is wrapped to the sheet
    assert "CGCS2000/3-degreeGauss-KrugerCM108E" in en and "度带" not in en
    assert "WGS84/UTMzone49N" in re.sub(r"\s", "", _cover_sheet_texts("EPSG:32649", "en"))
