"""Four things a newcomer met outside planners/ (session 48, helper N, second round): OUT-WRITE for outputs in a
missing folder gave the fix of all five error codes three times though the code (ENOENT) was known; COL-MISSING on a
table with 纬度 and no 经度 named both columns as missing, with a stray space before 列; UNITS-COLUMN and
PLAN-COLUMN put ASCII spaces around the column given (找不到 xx （现有列), and plan_from_column called every file
"households"; the graph's summary said "1 components"."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from badfiles import good_rows, write_csv
from shapely.geometry import box
from typer.testing import CliRunner

from yuanluo.gis.catalogue import english_one
from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_households
from yuanluo.gis.plan import plan_from_column, unit_id_column
from yuanluo.planners.cli import app

runner = CliRunner()
MESSAGES = Path(__file__).resolve().parents[1] / "gis" / "messages"
#: an ASCII space next to a full-width bracket, comma or full stop in a Chinese text
SPACED = re.compile(r" [（），。]|[（），。] ")


def _flat(out: str) -> str:
    return re.sub(r"\s+", " ", out)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_outputs_in_a_missing_folder_get_only_the_fix_for_enoent(tmp_path: Path, lang: str) -> None:
    hh = write_csv(tmp_path, "hh.csv", ["户编号,经度,纬度,人口"] + [",".join(r.split(",")[:4]) for r in good_rows(8)])
    out = tmp_path / "out"
    res = runner.invoke(app, ["--lang", lang, "delineate", str(hh), "--crs", "EPSG:4490", "--preset", "banan",
                              "-o", str(out / "u.gpkg"), "--map", str(out / "u.html"), "--xlsx", str(out / "p.xlsx")])
    said = _flat(res.output)
    assert res.exit_code == 2 and not out.exists(), said
    assert said.count("OUT-WRITE") == 1, said  # the folder once, naming its three outputs (session 49)
    for other in ("EACCES", "ENOSPC", "EROFS", "ENAMETOOLONG"):  # the code is known: only its fix
        assert other not in said, said
    fix = {"zh": f"先创建文件夹 {out} 后重试，或把输出写到已有的文件夹。",
           "en": f"create the folder {out} first and retry, or write the output to a folder that exists."}[lang]
    assert said.count(fix) == 1, said


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "找不到经度列与纬度列“纬度”配对（可用的列名：lon、lng、long、longitude、经度、东经）"),
    ("en", "no longitude column to pair with the latitude column 纬度 (lon, lng, long, longitude, 经度, 东经 are "
           "accepted)"),  # (session 49: no longer "no longitude (to pair with …) column")
])
def test_only_the_longitude_missing_is_named_beside_the_latitude_found(tmp_path: Path, lang: str, said: str) -> None:
    rows = [",".join(x for i, x in enumerate(r.split(",")) if i != 1) for r in good_rows(6)]
    hh = write_csv(tmp_path, "hh.csv", ["户编号,纬度,人口,村民小组", *rows])
    with pytest.raises(InputError) as ei:
        read_households(hh, crs="EPSG:4490")
    q = next(p for p in ei.value.problems if p.code == "COL-MISSING")
    assert said in q.title(lang), q.title(lang)
    assert "--x-col" in runner.invoke(app, ["--lang", lang, "validate", str(hh), "--crs", "EPSG:4490"]).output


def test_no_coordinate_column_at_all_still_names_the_pair_without_stray_spaces(tmp_path: Path) -> None:
    hh = write_csv(tmp_path, "hh.csv", ["户编号,人口", "1,3", "2,4"])
    with pytest.raises(InputError) as ei:
        read_households(hh, crs="EPSG:4490")
    q = next(p for p in ei.value.problems if p.code == "COL-MISSING")
    assert "找不到经度和纬度（或 X 和 Y）列（可用的列名" in q.title("zh"), q.title("zh")


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "院落面文件 u.gpkg 中找不到院落编号列“xx”（现有列：unit_id）。"),
    ("en", "the unit polygons u.gpkg have no column for the unit id ('xx' given) (columns: unit_id)."),
])
def test_units_column_names_the_column_given_without_spaces(lang: str, said: str) -> None:
    units = gpd.GeoDataFrame({"unit_id": ["U1"]}, geometry=[box(0, 0, 1, 1)])
    with pytest.raises(InputError) as ei:
        unit_id_column(units, "xx", file="u.gpkg")
    assert ei.value.problems[0].title(lang) == said


def test_plan_from_column_names_the_file_read_and_a_fix_it_takes(tmp_path: Path) -> None:
    hh = write_csv(tmp_path, "农户.csv", ["户编号,经度,纬度,人口,村民小组", *good_rows(4)])
    gdf, _ = read_households(hh, crs="EPSG:4490")
    with pytest.raises(InputError) as ei:
        plan_from_column(gdf, "院落")
    q = ei.value.problems[0]
    assert q.title("zh").startswith(f"方案文件 {hh} 中找不到院落列“院落”（现有列："), q.title("zh")
    assert "households" not in q.title("en") and "the unit ('院落' given)" in q.title("en"), q.title("en")
    assert "plan_from_column" in q.fix("zh") and "id_col" not in q.fix("en"), q.fix("en")
    with pytest.raises(InputError) as ei:
        plan_from_column(pd.DataFrame({"a": [1]}), "b", file="plan.xlsx")
    assert "plan.xlsx" in ei.value.problems[0].title("en")


def test_one_component_and_other_counts_of_one_are_singular() -> None:
    said = english_one("600 households, 1,769 edges, 1 components; 1 scores read; … and 1 more violations not "
                       "listed; (1 others it cannot)")
    assert said == ("600 households, 1,769 edges, 1 component; 1 score read; … and 1 more violation not listed; "
                    "(1 other it cannot)")


def test_graph_of_one_component_says_it_in_the_singular(tmp_path: Path) -> None:
    hh = write_csv(tmp_path, "hh.csv", ["户编号,经度,纬度,人口,村民小组", *good_rows(6)])
    res = runner.invoke(app, ["--lang", "en", "graph", str(hh), "--crs", "EPSG:4490", "-o", str(tmp_path / "g.gpkg")])
    assert res.exit_code == 0 and "1 component;" in res.output, res.output


def test_no_chinese_text_puts_an_ascii_space_beside_full_width_punctuation() -> None:
    found = []
    for f in sorted(MESSAGES.glob("*.toml")):
        def walk(x: object, path: list[str]) -> None:
            if isinstance(x, dict):
                for k, v in x.items():
                    walk(v, [*path, k])
            elif isinstance(x, str) and "zh" in path and SPACED.search(x):
                found.append((f.name, ".".join(path), x))  # noqa: B023
        walk(tomllib.loads(f.read_text(encoding="utf-8")), [])
    assert found == []
