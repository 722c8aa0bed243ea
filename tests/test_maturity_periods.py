"""`maturity load` periods: ordered by their value; `maturity template|load` on a file that is no result; a sheet given
twice said once, a folder IO-ISDIR; one spelling per quarter, a date among quarters an error, a period of few
units a warning."""

from __future__ import annotations

import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from yuanluo.gis import maturity as GM
from yuanluo.gis.errors import InputError
from yuanluo.gis.maturity import SCORE_COLUMNS, maturity_table, read_scores
from yuanluo.gis.output import write_layers
from yuanluo.maps.sample import sample_layers
from yuanluo.planners import maturity as M


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("matp")
    write_layers(d / "result.gpkg", {k: v for k, v in sample_layers(400, block=5).items() if k != "run"})
    return d / "result.gpkg"


def _units(result: Path) -> list[str]:
    return list(M.read_units(result)["unit_id"])


def _csv(path: Path, rows: list[tuple[str, str, int]]) -> Path:
    lines = [",".join(["院落编号", "评估期", *SCORE_COLUMNS])]
    lines += [",".join([u, p, *[str(s)] * len(SCORE_COLUMNS)]) for u, p, s in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------ 1. order
def test_periods_are_ordered_by_their_value_not_by_the_file_order(result: Path, tmp_path: Path) -> None:
    units = _units(result)
    later = _csv(tmp_path / "q1.csv", [(u, "2027Q1", 9) for u in units])
    earlier = _csv(tmp_path / "q34.csv", [(u, p, s) for p, s in (("2026Q3", 5), ("2026Q4", 7)) for u in units])
    res = M.load_scores(result, [later, earlier], tmp_path / "m.gpkg", report=tmp_path / "r.html")
    first = res.table.drop_duplicates("period")
    assert list(first["period"]) == ["2026Q3", "2026Q4", "2027Q1"]
    assert list(first["period_no"]) == [1, 2, 3]
    assert pd.isna(first["prev_period"].iloc[0]) and list(first["prev_period"].iloc[1:]) == ["2026Q3", "2026Q4"]
    assert list(first["change_mean"].iloc[1:]) == [2.0, 2.0]
    assert "院落服务成熟度 · 2027Q1" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_period_order_years_dates_and_names() -> None:
    assert GM.period_order(["2027", "2025", "2026"]) == ["2025", "2026", "2027"]
    assert GM.period_order(["2026-10-01", "2026-03-15"]) == ["2026-03-15", "2026-10-01"]
    assert GM.period_order(["二季度", "一季度"]) == ["二季度", "一季度"]  # not a time: as they first appear
    t = maturity_table(read_scores(_csv_tmp([("U1", "2027Q1", 9), ("U1", "2026Q4", 5)])))
    assert list(t["period"]) == ["2026Q4", "2027Q1"] and list(t["change_mean"].fillna(-1)) == [-1, 4.0]


def _csv_tmp(rows: list[tuple[str, str, int]]) -> Path:
    import tempfile

    return _csv(Path(tempfile.mkdtemp()) / "s.csv", rows)


# ------------------------------------------------------------------------------------------ 3. given twice
def test_the_same_sheet_given_twice_is_said_once(result: Path, tmp_path: Path) -> None:
    s = _csv(tmp_path / "s.csv", [(u, "2026Q3", 6) for u in _units(result)])
    copy = tmp_path / "copy.csv"
    copy.write_bytes(s.read_bytes())
    for twice in ([s, s], [s, copy]):
        with pytest.raises(InputError) as e:
            M.load_scores(result, twice, tmp_path / "m.gpkg")
        assert e.value.codes == ["MAT-SAME-FILE"] and "s.csv" in e.value.render("en")
        zh = e.value.render("zh")
        assert (zh.count("s.csv"), "copy.csv" in zh) == ((1, False) if twice[1] == s else (1, True)), zh
    assert not (tmp_path / "m.gpkg").exists()


def test_a_duplicate_never_lists_a_row_twice(tmp_path: Path) -> None:
    a = _csv(tmp_path / "a.csv", [("U1", "2026Q3", 6)])
    b = _csv(tmp_path / "b.csv", [("U1", "2026Q3", 7)])
    with pytest.raises(InputError) as e:
        read_scores([a, b])
    (p,) = e.value.problems
    assert p.code == "MAT-DUP" and p.rows == () and "a.csv A2, b.csv A2" in p.message("en")  # the cells name the rows (s53 U)


def test_a_folder_given_as_a_sheet_is_io_isdir(result: Path, tmp_path: Path) -> None:
    (tmp_path / "v").mkdir()
    with pytest.raises(InputError) as e:
        M.load_scores(result, tmp_path / "v", tmp_path / "m.gpkg")
    assert e.value.codes == ["IO-ISDIR"]


# ------------------------------------------------------------------------------------------ 2. spellings
def test_spellings_of_one_quarter_make_one_period() -> None:
    assert {GM.normalise_period(v) for v in ("2026q4", "2026 Q4", "2026年第四季度", "2026年4季度", "2026Q4")} == {"2026Q4"}
    rows = [("U1", "2026Q4", 5), ("U2", "2026q4", 6), ("U3", "2026 Q4", 7), ("U4", "2026年第四季度", 8)]
    t = read_scores(_csv_tmp(rows))
    assert set(t["period"]) == {"2026Q4"}


def test_a_date_among_quarters_is_an_error_naming_file_sheet_and_row(result: Path, tmp_path: Path) -> None:
    units = _units(result)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评分表"
    ws.append(["院落编号", "评估期", *SCORE_COLUMNS])
    for k, u in enumerate(units):
        ws.append([u, datetime.datetime(2026, 12, 1) if k == 3 else "2026Q4", *[6] * len(SCORE_COLUMNS)])
    wb.save(tmp_path / "s.xlsx")
    with pytest.raises(InputError) as e:
        M.load_scores(result, tmp_path / "s.xlsx", tmp_path / "m.gpkg", report=tmp_path / "r.html")
    assert e.value.codes == ["MAT-PERIOD-KIND"]
    zh, en = e.value.render("zh"), e.value.render("en")
    assert "s.xlsx" in zh and "评分表" in zh and "B5=2026-12-01" in zh and "季度" in zh
    assert "B5=2026-12-01" in en and "quarter" in en and "row 5" in en
    assert not (tmp_path / "m.gpkg").exists() and not (tmp_path / "r.html").exists()


def test_a_period_with_few_units_is_a_warning(result: Path, tmp_path: Path) -> None:
    units = _units(result)
    rows = [(u, "2026Q4", 6) for u in units[:-1]] + [(units[-1], "2026Q3", 6)]
    res = M.load_scores(result, _csv(tmp_path / "s.csv", rows), tmp_path / "m.gpkg")
    assert [(w.code, w.severity, w.params["period"]) for w in res.warnings] == [
        ("MAT-PERIOD-FEW", "warning", "2026Q3")]
    assert "2026Q3" in res.warnings[0].message("zh") and "1 of the 16" in res.warnings[0].message("en")


# ------------------------------------------------------------------------------------------ 4. not a result
def test_a_households_only_file_is_not_a_result(result: Path, tmp_path: Path) -> None:
    hh = sample_layers(100, block=5)["households"]
    write_layers(tmp_path / "v2.gpkg", {"households": hh})
    with pytest.raises(InputError) as e:
        M.write_template(tmp_path / "v2.gpkg", tmp_path / "t.xlsx")
    assert e.value.codes == ["RESULT-NOT-RESULT"]
    zh, en = e.value.render("zh"), e.value.render("en")
    assert "yuanluo delineate" in zh and "yuanluo delineate" in en and "--layer" not in zh + en
    assert "households" in en and not (tmp_path / "t.xlsx").exists()
