"""Every id a page shows, not only the households' own, reaches HTML only when asked for (audit s33).

Unit ids read from a column of phone numbers (``check --unit-col 电话``), meeting households, heads and candidate
lists of result layers read with geopandas (a RangeIndex, ``hid`` a column), and household ids that are
householder names (``--id-col 户主姓名``, known by the column's name) stop a page as id-card household ids do:
:func:`yuanluo.gis.personal.require_page_ids`, fed :func:`yuanluo.gis.personal.page_ids`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point
from typer.testing import CliRunner

from yuanluo.gis.errors import InputError
from yuanluo.gis.personal import require_page_ids
from yuanluo.gis.validate import check_personal
from yuanluo.planners.cli import app

sys.path.insert(0, str(Path(__file__).parent))
from badfiles import LAT0, LON0  # noqa: E402

runner = CliRunner()
ENV = {"COLUMNS": "400"}
PHONES = [f"138000000{i:02d}" for i in range(12)]
NAMES = ["张一", "张二", "张三", "张四", "李一", "李二", "李三", "李四", "王一", "王二", "王三", "王四"]


def _run(args: list[str]) -> tuple[int, str]:
    res = runner.invoke(app, args, env=ENV)
    return res.exit_code, " ".join(res.output.split())


def _roster(d: Path) -> Path:
    lines = ["户编号,户主姓名,电话,经度,纬度,人口,村民小组"] + [
        f"H{i:03d},{NAMES[i]},{PHONES[i // 4]},{LON0 + 0.0004 * i:.6f},{LAT0 + 0.0003 * (i % 3):.6f},{2 + i % 4},一组"
        for i in range(12)]
    csv = d / "hh.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return csv


@pytest.mark.parametrize("page", ["--report", "--map"])
def test_unit_ids_that_are_phone_numbers_stop_a_check_page(tmp_path: Path, page: str) -> None:
    """AB defect 2: the units of --unit-col 电话 were written into the report and the map as unit ids."""
    csv = _roster(tmp_path)
    out = tmp_path / "p.html"
    rc, said = _run(["check", str(csv), "--crs", "EPSG:4490", "--unit-col", "电话", "--min", "2", "--max", "6", page, str(out)])
    assert rc == 2 and "ID-PERSONAL-PAGE-IDS" in said, said
    assert not out.exists()
    rc, said = _run(["check", str(csv), "--crs", "EPSG:4490", "--unit-col", "电话", "--min", "2", "--max", "6", page, str(out),
                     "--include-personal"])
    assert rc in (0, 1) and out.exists(), said
    assert PHONES[0] in out.read_text(encoding="utf-8")


def test_household_ids_that_are_names_stop_a_map(tmp_path: Path) -> None:
    """AA defect 2: --id-col 户主姓名 wrote every name into the map with no word."""
    csv = _roster(tmp_path)
    out, page = tmp_path / "r.gpkg", tmp_path / "r.html"
    rc, said = _run(["delineate", str(csv), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "--id-col", "户主姓名",
                     "-o", str(out), "--map", str(page)])
    assert rc == 2 and "ID-PERSONAL-PAGE" in said and "户主姓名" in said, said
    assert not page.exists() and not out.exists()
    assert [(p.code, p.params["kind"]) for p in check_personal([], "h.csv", ids=NAMES, id_column="户主姓名")] == [
        ("ID-PERSONAL", "name")]
    assert check_personal([], "h.csv", ids=["H001"], id_column="户编号") == []


def test_make_map_of_layers_read_by_geopandas_stops(tmp_path: Path) -> None:
    """AA defect 4: a RangeIndex and the ids in columns (hid, meeting_hid, head_hid, head_candidates)."""
    from yuanluo.maps.interactive import make_map

    pts = [Point(LON0 + 0.0004 * i, LAT0) for i in range(4)]
    hh = gpd.GeoDataFrame({"hid": ["H1", "H2", "H3", "H4"], "unit": ["U1"] * 4, "persons": [3] * 4},
                          geometry=pts, crs="EPSG:4326").to_crs("EPSG:4545")
    for col, values in [("hid", PHONES[:4]), ("unit", PHONES[:1] * 4)]:
        bad = hh.copy()
        bad[col] = values
        with pytest.raises(InputError) as exc:
            make_map({"households": bad})
        assert exc.value.problems[0].code == "ID-PERSONAL-PAGE-IDS"
    from yuanluo.gis.personal import page_ids

    units = pd.DataFrame({"unit": ["U1"], "meeting_hid": ["H1"], "head_hid": ["H2"], "head_candidates": ["H2, H3"]})
    for col in ("meeting_hid", "head_hid", "head_candidates"):
        bad_units = units.copy()
        bad_units[col] = f"H1, {PHONES[0]}" if col == "head_candidates" else PHONES[0]
        found = page_ids({"households": hh, "units": bad_units})
        with pytest.raises(InputError) as exc:
            require_page_ids(hh.index, include_personal=False, page="map", also=found)
        assert exc.value.problems[0].params["column"] == f"units.{col}"
        require_page_ids(hh.index, include_personal=True, page="map", also=found)
    require_page_ids(hh.index, include_personal=False, page="map", also=page_ids({"households": hh, "units": units}))


def test_editor_of_unit_ids_that_are_phone_numbers_stops() -> None:
    """The editor lists the units of the plan it starts from: phone numbers as unit ids stop it too."""
    from yuanluo.maps.editor import editor_payload

    hh = pd.DataFrame({"persons": [3, 3]}, index=pd.Index(["H1", "H2"], name="hid"))
    with pytest.raises(InputError) as exc:
        editor_payload({"households": hh}, pd.Series(PHONES[:2], index=hh.index), None, None)
    assert exc.value.problems[0].code == "ID-PERSONAL-PAGE-IDS"


def _id_card(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]


def test_a_print_map_of_id_card_ids_warns(tmp_path: Path) -> None:
    """AA defect 5: map -o x.png / --per-unit of a result whose ids are id-card numbers said nothing."""
    ids = [_id_card(f"11010519491231{i:03d}") for i in range(12)]
    lines = ["户编号,经度,纬度,人口,村民小组"] + [
        f"{h},{LON0 + 0.0004 * i:.6f},{LAT0 + 0.0003 * (i % 3):.6f},{2 + i % 4},一组" for i, h in enumerate(ids)]
    csv = tmp_path / "hh.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = tmp_path / "r.gpkg"
    rc, said = _run(["delineate", str(csv), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "-o", str(res), "-q"])
    assert rc == 0, said
    rc, said = _run(["map", str(res), "-o", str(tmp_path / "x.png")])
    assert rc == 0 and "ID-PERSONAL" in said and (tmp_path / "x.png").exists(), said


def test_cover_candidates_with_phone_names_stop_the_pages(tmp_path: Path) -> None:
    """AA defect 7: candidate names like '张三家 13812345678' went into the coverage map and report, and a column
    负责人身份证 was not said."""
    csv = _roster(tmp_path)
    cand = tmp_path / "cand.csv"
    cand.write_text("经度,纬度,名称,负责人身份证\n" + "".join(
        f"{LON0 + 0.0004 * i:.6f},{LAT0:.6f},张{i}家 1381234567{i},{_id_card(f'11010519491231{i:03d}')}\n"
        for i in (1, 6, 10)), encoding="utf-8")
    res = tmp_path / "r.gpkg"
    rc, said = _run(["delineate", str(csv), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "-o", str(res), "-q"])
    assert rc == 0, said
    base = ["cover", str(res), "--crs", "EPSG:4490", "--candidates", str(cand), "-o", str(tmp_path / "c.gpkg")]
    for page in ("--map", "--report"):
        out = tmp_path / f"c{page}.html"
        rc, said = _run([*base, page, str(out)])
        assert rc == 2 and "ID-PERSONAL-PAGE-IDS" in said, said
        assert not out.exists() and not (tmp_path / "c.gpkg").exists()
    rc, said = _run(base)
    assert rc == 0 and "ATTR-PERSONAL-POINTS" in said and "负责人身份证" in said, said


def test_bidi_overrides_are_taken_out_of_file_names_and_titles(tmp_path: Path) -> None:
    """AB defect 3: a file named rtl_<U+202E>exe.gpkg showed in the check report as rtl_gkpg.exe."""
    from yuanluo.maps.interactive import make_map, render_html

    csv = _roster(tmp_path)
    named = tmp_path / "rtl_\u202eexe.csv"
    named.write_bytes(csv.read_bytes())
    report = tmp_path / "r.html"
    rc, said = _run(["check", str(named), "--crs", "EPSG:4490", "--unit-col", "村民小组", "--min", "2", "--max", "12",
                     "--report", str(report)])
    assert rc in (0, 1), said
    page = report.read_text(encoding="utf-8")
    assert "rtl_exe.csv" in page and "\u202e" not in page
    hh = gpd.GeoDataFrame({"persons": [3, 3]}, index=pd.Index(["H1", "H2"], name="hid"),
                          geometry=[Point(LON0, LAT0), Point(LON0 + 0.001, LAT0)], crs="EPSG:4326").to_crs("EPSG:4545")
    page = render_html(make_map({"households": hh}, title="\u2067村\u2069 a\u202eb"))
    assert "村 ab" in page and not any(c in page for c in "\u202e\u2067\u2069")
