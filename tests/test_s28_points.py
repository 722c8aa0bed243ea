"""Tables of points (cover --candidates / --fixed) and coordinate typos (audit C §3–§5, session 28).

§3 one row's latitude typed 95.5623 among right rows was COORD-SWAP "swap the two column names", which would break
the right rows: now COORD-RANGE naming the row, "correct these rows" (a points file's fix no longer says 这些户);
the swap advice stays for a file whose rows as a whole look swapped.
§4 a points table with QGIS's ``fid`` column was refused (COL-FID-POINTS): its columns go into no result, so the
column is left out with a COL-FID warning, as a household file's is.
§5 two points of the same name were read without a word: POINTS-NAME-DUP (warning) names them and their rows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from badfiles import write_csv
from typer.testing import CliRunner

from yuanluo.gis.catalogue import has
from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_points
from yuanluo.planners.cli import app

runner = CliRunner()

#: the candidate points of the audit (Ordino, Andorra), longitude/latitude
ROWS = ["村委会,1.518540,42.574107", "党群服务中心,1.536337,42.609597", "院坝,1.527260,42.596544",
        "文化室,1.532842,42.555416", "卫生室,1.532858,42.556238"]


def _read(path: Path):  # type: ignore[no-untyped-def]
    return read_points(path, kind="candidates", working_crs="EPSG:32631", crs="EPSG:4326")


# ------------------------------------------------------------------ §3 one typo is no swap
def test_one_latitude_typo_among_right_rows_is_a_range_error_naming_the_row(tmp_path: Path) -> None:
    f = write_csv(tmp_path, "typo_lat95.csv", ["名称,经度,纬度", *ROWS[:4], "卫生室,1.532858,95.5623"])
    with pytest.raises(InputError) as info:
        _read(f)
    assert info.value.codes == ["COORD-RANGE"], info.value.codes
    p = info.value.problems[0]
    assert p.rows == (6,)
    zh, en = p.message("zh"), p.message("en")
    assert "第 6 行" in zh and "改正这些行的坐标" in zh and "户" not in zh and "对调" not in zh, zh
    assert "row 6" in en and "correct these rows" in en and "household" not in en and "swap" not in en, en


def test_a_file_whose_rows_all_look_swapped_still_says_to_swap_the_names(tmp_path: Path) -> None:
    """(In China, where a latitude of 106 tells a swap; one row mistyped besides does not hide it.)"""
    rows = [f"P{i},29.{56 + i},106.{55 + i}" for i in range(4)]
    f = write_csv(tmp_path, "swapped.csv", ["名称,经度,纬度", *rows, "P9,29.6,206.5"])
    with pytest.raises(InputError) as info:
        read_points(f, kind="candidates", working_crs="EPSG:4545", crs="EPSG:4490")
    assert info.value.codes[0] == "COORD-SWAP" and info.value.problems[0].rows == (2, 3, 4, 5)
    assert "交换这两列的列名" in info.value.problems[0].message("zh")


def test_one_household_typo_on_the_cli_is_a_range_error_not_a_swap(tmp_path: Path) -> None:
    """One household's two values typed the wrong way round among right rows: swapping the column names would break
    the others (it was COORD-SWAP); that row is out of range, named."""
    hh = write_csv(tmp_path, "hh.csv", ["户编号,经度,纬度,人口,村民小组", "001,106.55,29.56,3,一组",
                                         "002,106.551,29.561,2,一组", "003,29.562,106.552,2,一组",
                                         "004,106.553,29.563,2,一组"])
    res = runner.invoke(app, ["validate", str(hh), "--crs", "EPSG:4490"])
    assert res.exit_code == 2 and "COORD-RANGE" in res.output and "COORD-SWAP" not in res.output, res.output
    assert "第 4 行" in res.output and "核对这些户的坐标" in res.output, res.output


# ------------------------------------------------------------------ §4 QGIS's fid column
def test_a_points_table_with_a_fid_column_is_read_with_a_warning(tmp_path: Path) -> None:
    f = write_csv(tmp_path, "c_fid.csv", ["fid,名称,经度,纬度", *(f"{i},{r}" for i, r in enumerate(ROWS, 1))])
    t = _read(f)
    assert "fid" not in t.columns and t["名称"].tolist()[0] == "村委会" and len(t) == 5
    warned = [w for w in t.attrs["warnings"] if w.code == "COL-FID"]
    assert len(warned) == 1 and warned[0].file == str(f)
    zh, en = warned[0].message("zh"), warned[0].message("en")
    assert "无需处理" in zh and "农户" not in zh, zh
    assert "nothing to do" in en and "household" not in en, en
    assert not has("COL-FID-POINTS")


# ------------------------------------------------------------------ §5 two points of one name
def test_points_of_the_same_name_are_warned_with_their_rows(tmp_path: Path) -> None:
    f = write_csv(tmp_path, "dupname.csv", ["名称,经度,纬度", "文化室,1.518540,42.574107", *ROWS[1:3],
                                            "文化室,1.532842,42.555416", "院坝,1.532858,42.556238"])
    t = _read(f)
    assert len(t) == 5  # read all the same: a warning
    warned = [w for w in t.attrs["warnings"] if w.code == "POINTS-NAME-DUP"]
    assert len(warned) == 1 and warned[0].severity == "warning" and warned[0].rows == (2, 4, 5, 6)
    zh, en = warned[0].message("zh"), warned[0].message("en")
    assert "{" not in zh + en and "'zh'" not in zh + en
    assert "：文化室（第 2、5 行）；院坝（第 4、6 行）。" in zh and "起一个自己的名称" in zh, zh
    assert ": 文化室 (rows 2, 5); 院坝 (rows 4, 6)." in en and "a name of its own" in en, en


def test_distinct_names_and_a_layer_of_points(tmp_path: Path) -> None:
    f = write_csv(tmp_path, "ok.csv", ["名称,经度,纬度", *ROWS])
    assert _read(f).attrs["warnings"] == []
    g = _read(write_csv(tmp_path, "dup.csv", ["名称,经度,纬度", ROWS[0], ROWS[0].replace("1.518540", "1.52")]))
    layer = tmp_path / "pts.gpkg"
    g.to_file(layer, layer="pts")
    t = read_points(layer, kind="candidates", working_crs="EPSG:32631")
    assert [(w.code, w.rows) for w in t.attrs["warnings"]] == [("POINTS-NAME-DUP", (1, 2))]


def test_one_projected_row_with_x_and_y_exchanged_is_a_range_error_naming_the_row() -> None:
    """A projected file whose one row has X and Y typed the other way round among right rows: COORD-RANGE naming
    that row (it said COORD-XY-SWAP, 'swap the column names', which would break the right rows)."""
    from yuanluo.gis.validate import check_coordinates

    x = np.array([383000.0, 383100.0, 4715000.0, 383200.0])
    y = np.array([4715100.0, 4715200.0, 383300.0, 4715300.0])
    ps = check_coordinates(x, y, "EPSG:32631", rows=np.arange(2, 6), ids=np.array(list("abcd")))
    assert [(p.code, p.ids) for p in ps] == [("COORD-RANGE", ("c",))]
