"""A sheet named wrong in a workbook of points is answered with the sheet that holds them (session 54, helper U,
second round): cover --candidates 候选.xlsx::Sheet1 of a workbook whose first sheet is a note (说明) and whose
second holds the points (候选点: 名称, 经度, 纬度) said IO-NOLAYER-OPTION "例如 --candidates 候选.xlsx::说明", the
first sheet, which the reader would refuse; the reader had found 候选点 (its header has coordinates), and the fix
now proposes it. Fails on b98ce0b."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_points


@pytest.mark.parametrize(("kind", "lang"), [("candidates", "zh"), ("fixed", "en")])
def test_the_sheet_proposed_holds_the_points(tmp_path: Path, kind: str, lang: str) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active["A1"] = "候选服务点，见第二张表"
    ws = wb.create_sheet("候选点")
    ws.append(["名称", "经度", "纬度"])
    ws.append(["村委会", 106.55, 29.56])
    wb.save(tmp_path / "候选.xlsx")
    with pytest.raises(InputError) as exc:
        read_points(tmp_path / "候选.xlsx", kind=kind, working_crs="EPSG:4545", crs="EPSG:4490", layer="Sheet1")
    fix = exc.value.problems[0].fix(lang)  # from Python: layer='候选点'; on the command line --candidates 候选.xlsx::候选点
    assert exc.value.codes == ["IO-NOLAYER-OPTION"] and "候选点" in fix and "说明" not in fix, fix
