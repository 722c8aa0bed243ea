"""``yuanluo map result.gpkg --fields 户主姓名`` without ``--include-personal`` leaves the column off the map; the
ATTR-PERSONAL fix then said "nothing to do: a map carries only … the columns named in --fields", though the user had
named that very column. It now says the column named is personal data the map leaves out, and how to show it."""
from __future__ import annotations

from pathlib import Path

import pytest
from shared_fixtures import flat, run_cli


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fields_personal")
    lines = ["户编号,经度,纬度,人口,户主姓名"]
    lines += [f"{i + 1:03d},{106.55 + 0.0004 * i:.6f},29.560000,3,张{i}" for i in range(12)]
    hh = folder / "hh.csv"
    hh.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = folder / "u.gpkg"
    run_cli(["delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "-o", str(out)])
    return out


@pytest.mark.parametrize(("lang", "asked", "nothing"), [
    ("zh", "--fields指定的户主姓名是个人信息，不加--include-personal时地图、打印工作单和方案表都不带。", "无需处理"),
    ("en", "--fieldsnamespersonaldata(户主姓名),whichthemaps,theprintedunitsheetsandtheplantablesleaveoutwithout--include-personal.", "nothingtodo")])
def test_fields_naming_a_personal_column_says_how_to_show_it(result: Path, lang: str, asked: str,
                                                             nothing: str) -> None:
    out = flat(run_cli(["map", str(result), "-o", str(result.parent / f"m_{lang}.html"), "--overwrite",
                        "--fields", "户主姓名,persons"], lang))
    assert "ATTR-PERSONAL" in out and asked in out and nothing not in out, out
    assert "--fields户主姓名--include-personal" in out, out
    assert "张1" not in (result.parent / f"m_{lang}.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [["--fields", "persons"], ["--fields", "户主姓名", "--include-personal"]])
def test_otherwise_there_is_nothing_to_do(result: Path, args: list[str]) -> None:
    out = flat(run_cli(["map", str(result), "-o", str(result.parent / "m.html"), "--overwrite", *args], "zh"))
    assert "ATTR-PERSONAL" in out and "无需处理：地图、打印工作单和方案表只带所需的列和--fields指定的列。" in out, out
    assert "是个人信息，不加" not in out, out
