"""Audits s29/I §4 and s29/H §3: errors name the file and rows, and quote a cell as the sheet shows it.

- ``DEM-COVER`` named the DEM by its base name only and the households by their ids, without the household file
  or its rows; now the DEM as given and "文件 …：… （第 N 行；编号 …）" of the household file.
- ``CHECK-PERSONS`` named no file, and its fix only some of the column names read as persons.
- ``maturity load`` quoted a score-sheet cell NFKC-normalised (``备注:`` for the ``备注：`` in the cell) and a
  yes/no cell as Python's ``True``: now as Excel and WPS show them (``备注：…``, ``TRUE``).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import test_maturity_sheets as sheets
from test_terrain import UTM, households, plane, write_tif
from typer.testing import CliRunner

from yuanluo.gis.errors import DEMError
from yuanluo.gis.terrain import read_dem
from yuanluo.planners import maturity as M

FIRST_SCORE_COL = sheets.FIRST_SCORE_COL
result = sheets.result  # the fixture: a delineation result of four units, U001 … U004


def _flat(output: str) -> str:
    return " ".join(output.split())


def _load(lang: str, *args: str) -> tuple[int, str]:
    from yuanluo.planners.cli.app import app

    r = CliRunner().invoke(app, ["--lang", lang, "maturity", "load", *args])
    return r.exit_code, r.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_maturity_cells_are_quoted_as_the_sheet_shows_them(result: Path, tmp_path: Path, lang: str) -> None:
    """A note row ``备注：本表由村委会填写`` (full-width colon) under the units was quoted ``A6=备注:本表…``, a
    yes/no score cell ``I3=True``; searching Excel for either found nothing. Now ``备注：…`` and ``TRUE``."""
    M.write_template(result, tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    ws = wb.worksheets[0]
    for r in range(2, 6):
        ws.cell(r, 6, "2026Q1")
        for c in range(FIRST_SCORE_COL, FIRST_SCORE_COL + 18):
            ws.cell(r, c, 7)
    ws.cell(3, FIRST_SCORE_COL, True)
    ws.cell(6, 1, "备注：本表由村委会填写")
    wb.save(tmp_path / "s.xlsx")
    out_path = tmp_path / "m.gpkg"
    code, out = _load(lang, str(result), str(tmp_path / "s.xlsx"), "-o", str(out_path))
    assert code == 2, out
    flat = _flat(out)
    assert "MAT-UNIT-UNKNOWN" in flat and "MAT-SCORE" in flat
    assert "A6=备注：本表由村委会填写" in flat and "备注:" not in flat
    assert "I3=TRUE" in flat and "True" not in flat
    assert not out_path.exists()


def _outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """``base/dem.tif`` (0..300 m square) and ``hh.csv``: 12 households, those of rows 4 and 9 (ids h02, h07)
    outside the DEM; the working folder ``tmp_path``, so that both are given as relative paths."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "base").mkdir()
    write_tif(tmp_path / "base" / "dem.tif", plane())
    lines = ["户号,X,Y"]
    for i in range(12):
        x = 900 + i if i in (2, 7) else 100 + 10 * i
        lines.append(f"h{i:02d},{x},150")
    (tmp_path / "hh.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Path("base") / "dem.tif", Path("hh.csv")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dem_cover_names_the_dem_as_given_and_the_household_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  lang: str) -> None:
    """read_dem given the households' rows and file (as ``LoadReport`` has them): DEM-COVER says
    "文件 hh.csv：高程模型 base/dem.tif 没有覆盖 2 户（第 4、9 行；编号 h02、h07）" (it said "高程模型 dem.tif … 编号
    h02、h07", without the file or the rows)."""
    from yuanluo.gis.io import read_households

    dem, hh_path = _outside(tmp_path, monkeypatch)
    hh, report = read_households(hh_path, crs=UTM)
    with pytest.raises(DEMError) as ei:
        read_dem(dem, working_crs=UTM, households=hh, rows=report.rows, households_file=report.file)
    (p,) = ei.value.problems
    assert (p.code, p.file, p.rows, p.ids) == ("DEM-COVER", "hh.csv", (4, 9), ("h02", "h07"))
    msg = p.message(lang)
    if lang == "zh":
        assert "文件 hh.csv：高程模型 base/dem.tif 没有覆盖 2 户（第 4、9 行；编号 h02、h07）" in msg
    else:
        assert "file hh.csv: the DEM base/dem.tif does not cover 2 households (rows 4, 9; ids h02, h07)" in msg


def test_dem_cover_on_the_command_line_names_the_dem_as_given(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """``yuanluo graph hh.csv --dem base/dem.tif``: DEM-COVER names base/dem.tif (it said dem.tif), exit 2."""
    from yuanluo.planners.cli import app

    dem, hh_path = _outside(tmp_path, monkeypatch)
    r = CliRunner().invoke(app, ["graph", str(hh_path), "--crs", UTM, "--dem", str(dem), "-o", "g.gpkg"])
    assert r.exit_code == 2, r.output
    flat = _flat(r.output)
    assert "DEM-COVER" in flat and "高程模型 base/dem.tif 没有覆盖 2 户" in flat, flat
    assert not Path("g.gpkg").exists()


def test_dem_cover_without_rows_still_names_the_ids_in_order(tmp_path: Path) -> None:
    """The Python API without rows or file: the ids, sorted, and the DEM as given (no "文件" of the households)."""
    dem = write_tif(tmp_path / "dem.tif", plane())
    hh = households([[100, 100], [900, 100], [120, 100], [-50, 100]], ids=["b", "z", "c", "a"])
    with pytest.raises(DEMError) as ei:
        read_dem(dem, working_crs=UTM, households=hh)
    (p,) = ei.value.problems
    assert (p.code, p.file, p.rows, p.ids) == ("DEM-COVER", None, (), ("a", "z"))
    assert p.message("zh").startswith(f"错误 DEM-COVER：高程模型 {dem} 没有覆盖 2 户（编号 a、z）")


PERSONS_NAMES = ("persons", "人口", "人数", "家庭人口", "户籍人口", "人口数", "家庭人数", "size")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_persons_names_the_household_file_and_every_persons_name(lang: str) -> None:
    """A persons rule on households without a persons column (their column is 家庭人口数): CHECK-PERSONS named no
    file, and its fix four of the eight names read as persons. Now "文件 农户.shp：…" (the households'
    ``attrs["file"]``) and every name, in delineation (UnitDelineator.fit) and in check_plan alike."""
    from test_cluster import chain, graph
    from test_cluster import households as cluster_households

    from yuanluo import Rules
    from yuanluo.gis.check import check_plan
    from yuanluo.gis.cluster import UnitDelineator
    from yuanluo.gis.errors import InputError

    xy = chain(4)
    hh = cluster_households(xy, 家庭人口数=[3, 4, 2, 5])
    hh.attrs["file"] = "农户.shp"
    g = graph(xy, [(0, 1), (1, 2), (2, 3)])
    with pytest.raises(InputError) as fit:
        UnitDelineator(2, 9, size_by="persons").fit(hh, g)
    with pytest.raises(InputError) as checked:
        check_plan(hh, pd.Series(list("AABB"), index=hh.index), Rules(2, 9, size_by="persons"), graph=g)
    for e in (fit.value, checked.value):
        assert e.codes == ["CHECK-PERSONS"]
        (p,) = e.problems
        assert p.file == "农户.shp"
        said = _flat(e.render(lang))
        assert ("文件 农户.shp：" if lang == "zh" else "file 农户.shp: ") in said
        fix = said[said.index("处理办法" if lang == "zh" else "Fix:"):]
        for name in PERSONS_NAMES:
            assert (f"“{name}”" if lang == "zh" else name) in fix, name
