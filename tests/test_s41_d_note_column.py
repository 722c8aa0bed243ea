"""A 备注 (remarks) column is held back from the maps and plan tables as before (a remark may hold a name or a phone
number), but ATTR-PERSONAL says it as a free-text remark, not as a column recognised by name as personal data (a
name, id or phone column); a remark that holds phone numbers is said by what it holds."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from shared_fixtures import run_cli

from yuanluo.gis.personal import map_fields
from yuanluo.gis.validate import check_personal


def _roster(tmp_path: Path, note: str, name: bool) -> Path:
    head = "户号," + ("户主姓名," if name else "") + "备注,人口,经度,纬度"
    rows = [f"00{i},{'王' + str(i) + ',' if name else ''}{note if i == 1 else ''},3,{106.55 + 0.001 * i},29.56"
            for i in range(1, 4)]
    p = tmp_path / "h.csv"
    p.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    return p


@pytest.mark.parametrize(("lang", "title", "clause"), [
    ("zh", "含有备注列（自由填写、可能写有个人信息：备注）", "按列名识别"),
    ("en", "has remarks columns (free text that may hold personal data: 备注)", "by name")])
def test_remark_alone(tmp_path: Path, lang: str, title: str, clause: str) -> None:
    out = run_cli(["validate", str(_roster(tmp_path, "低保户", False)), "--crs", "EPSG:4490"], lang)
    assert "ATTR-PERSONAL" in out and title in out, out
    assert clause not in out, out


def test_remark_beside_a_name_and_holding_a_phone(tmp_path: Path) -> None:
    out = run_cli(["validate", str(_roster(tmp_path, "外出", True)), "--crs", "EPSG:4490"])
    assert "含有个人信息列和备注列（按列名识别：户主姓名；自由填写、可能写有个人信息：备注）" in out, out
    out = run_cli(["validate", str(_roster(tmp_path, "电话13912345678", False)), "--crs", "EPSG:4490"])
    assert "按内容识别为手机号码：备注" in out, out


def test_still_held_back() -> None:
    f = pd.DataFrame({"persons": [3], "备注": ["低保户"]})
    assert map_fields(f, ["备注"]) == ["persons"]
    assert map_fields(f, ["备注"], include_personal=True) == ["persons", "备注"]
    p = check_personal(["户编号", "备注", "电话备注"], "h.csv")[0]  # names only: the remark said apart
    assert p.params["by_name"] == ["电话备注"] and p.params["by_note"] == ["备注"]
