"""Household ids that are personal data (id-card, mobile numbers) reach an HTML page only when asked for.

Every page shows the household ids (popups, search, the editor's lists). When the ids themselves are id-card or
mobile numbers (ID-PERSONAL warns when the table is read), ``map`` and ``edit`` wrote them into the page without
any request: now the page is ID-PERSONAL-PAGE (exit 2, nothing written) unless ``--include-personal`` /
``include_personal=True`` asks for it (:func:`yuanluo.gis.personal.require_page_ids`). The GeoPackage keeps them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo.gis.errors import InputError
from yuanluo.planners.cli import app

sys.path.insert(0, str(Path(__file__).parent))
from badfiles import LAT0, LON0  # noqa: E402

runner = CliRunner()
ENV = {"COLUMNS": "400"}


def _id_card(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]


ID_CARDS = [_id_card(f"11010519491231{i:03d}") for i in range(12)]
MOBILES = [f"139123450{i:02d}" for i in range(12)]


def _run(args: list[str]) -> tuple[int, str]:
    res = runner.invoke(app, args, env=ENV)
    return res.exit_code, " ".join(res.output.split())


@pytest.fixture(scope="module", params=["id_card", "mobile"])
def personal_result(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A result delineated from a roster whose household ids are id-card (or mobile) numbers."""
    ids = ID_CARDS if request.param == "id_card" else MOBILES
    d = tmp_path_factory.mktemp("ids")
    lines = ["户编号,seq,经度,纬度,人口,村民小组"] + [
        f"{h},{i + 1:03d},{LON0 + 0.0004 * i:.6f},{LAT0 + 0.0003 * (i % 3):.6f},{2 + i % 4},一组"
        for i, h in enumerate(ids)]
    csv = d / "hh.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = d / "r.gpkg"
    rc, said = _run(["delineate", str(csv), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "-o", str(out), "-q"])
    assert rc == 0, said
    return out, ids


def _shown(page: Path, ids: list[str]) -> list[str]:
    html = page.read_text(encoding="utf-8")
    return [h for h in ids if h in html]


def test_the_geopackage_keeps_the_ids(personal_result: tuple[Path, list[str]]) -> None:
    import pyogrio

    result, ids = personal_result
    hh = pyogrio.read_dataframe(result, layer="households")
    assert sorted(hh["hid"].astype(str)) == sorted(ids)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_map_of_personal_ids_stops_without_include_personal(personal_result: tuple[Path, list[str]],
                                                            tmp_path: Path, lang: str) -> None:
    result, ids = personal_result
    page = tmp_path / "m.html"
    rc, said = _run(["--lang", lang, "map", str(result), "-o", str(page)])
    assert rc == 2 and "ID-PERSONAL-PAGE" in said, said
    assert not page.exists() and list(tmp_path.iterdir()) == []
    kind = {"zh": ("身份证号", "手机号码"), "en": ("id-card numbers", "mobile phone numbers")}[lang]
    assert kind[0 if ids is ID_CARDS else 1] in said, said
    assert f"{result}::households" in said and "hid" in said, said
    for option in ("--id-col", "--include-personal"):
        assert option in said, said
    assert ("001" in said) and (("重新划分" in said) if lang == "zh" else ("delineate again" in said)), said
    assert not any(h in said for h in ids)  # names the column, never a value


def test_map_of_personal_ids_is_written_when_asked(personal_result: tuple[Path, list[str]], tmp_path: Path) -> None:
    result, ids = personal_result
    page = tmp_path / "m.html"
    rc, said = _run(["--lang", "en", "map", str(result), "-o", str(page), "--include-personal"])
    assert rc == 0, said
    assert _shown(page, ids)  # (a run of numbered ids may be written compactly: some are there in full)
    # --include-personal alone shows the ids: not "shows nothing more" (FIELDS-NONE)
    assert "FIELDS-NONE" not in said, said


def test_a_print_map_of_personal_ids_is_not_a_page(personal_result: tuple[Path, list[str]], tmp_path: Path) -> None:
    result, _ = personal_result
    rc, said = _run(["map", str(result), "-o", str(tmp_path / "m.png"), "-q"])
    assert rc == 0 and (tmp_path / "m.png").stat().st_size > 0, said


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_editor_of_personal_ids_stops_without_include_personal(personal_result: tuple[Path, list[str]],
                                                               tmp_path: Path, lang: str) -> None:
    result, ids = personal_result
    page = tmp_path / "e.html"
    rc, said = _run(["--lang", lang, "edit", str(result), "-o", str(page), "--min", "4", "--max", "8"])
    assert rc == 2 and "ID-PERSONAL-PAGE" in said, said
    assert list(tmp_path.iterdir()) == []
    assert ("方案编辑页面" if lang == "zh" else "plan editor") in said and "--include-personal" in said, said
    assert not any(h in said for h in ids)


def test_editor_of_personal_ids_is_written_when_asked(personal_result: tuple[Path, list[str]],
                                                      tmp_path: Path) -> None:
    result, ids = personal_result
    page = tmp_path / "e.html"
    rc, said = _run(["edit", str(result), "-o", str(page), "--min", "4", "--max", "8", "--include-personal", "-q"])
    assert rc == 0, said
    assert _shown(page, ids)


def _layers_with_ids(ids: list[str]) -> dict[str, object]:
    from yuanluo.maps.sample import sample_layers

    lyr = dict(sample_layers(12, block=4, seed=1))
    old = [str(i) for i in lyr["households"].index]
    new = dict(zip(old, ids, strict=True))
    hh = lyr["households"].copy()
    hh.index = pd.Index([new[i] for i in old], name=hh.index.name)
    lyr["households"] = hh
    for name in ("meeting_points", "units"):
        t = lyr.get(name)
        if isinstance(t, pd.DataFrame):
            t = t.copy()
            for col in ("hid", "meeting_hid", "head_hid"):
                if col in t.columns:
                    t[col] = t[col].map(lambda x: new.get(str(x), x))
            lyr[name] = t
    return lyr


@pytest.mark.parametrize("ids", [ID_CARDS, MOBILES], ids=["id_card", "mobile"])
def test_make_map_needs_include_personal_for_personal_ids(ids: list[str]) -> None:
    from yuanluo.maps.interactive import make_map, render_html

    lyr = _layers_with_ids(ids)
    with pytest.raises(InputError) as exc:
        make_map(lyr, lang="en")
    (p,) = exc.value.problems
    assert p.code == "ID-PERSONAL-PAGE" and p.params["kind"] == ("id_number" if ids is ID_CARDS else "mobile")
    for lang in ("zh", "en"):
        assert "include_personal=True" in p.fix(lang) and "id_col=" in p.fix(lang), p.fix(lang)
        assert "--include-personal" not in p.fix(lang)
    html = render_html(make_map(lyr, lang="en", include_personal=True))
    assert any(h in html for h in ids)


def test_plain_ids_need_nothing() -> None:
    from yuanluo.gis.personal import personal_ids, require_page_ids

    assert personal_ids(["001", "002", "H12"]) is None
    assert personal_ids(ID_CARDS[:1] + ["H2"]) == "id_number"
    require_page_ids(["001", "002"], include_personal=False, page="cover_map")  # nothing raised
    require_page_ids(MOBILES, include_personal=True, page="cover_report")


@pytest.mark.parametrize("page", ["map", "editor", "cover_map", "cover_report", "maturity_map"])
def test_every_page_has_its_name_in_both_languages(page: str) -> None:
    from yuanluo.gis.personal import require_page_ids

    with pytest.raises(InputError) as exc:
        require_page_ids(ID_CARDS, include_personal=False, page=page, file="h.csv", id_col=True)
    (p,) = exc.value.problems
    zh, en = p.message("zh"), p.message("en")
    assert p.file == "h.csv" and "身份证号" in zh and "id-card numbers" in en
    assert not any("\u4e00" <= c <= "\u9fff" for c in en), en


def test_maturity_map_of_personal_ids_needs_include_personal(personal_result: tuple[Path, list[str]],
                                                             tmp_path: Path) -> None:
    import openpyxl

    from yuanluo.planners.maturity import write_template

    result, ids = personal_result
    wb = openpyxl.load_workbook(write_template(result, tmp_path / "t.xlsx"))
    ws = wb.worksheets[0]
    ws["F2"], ws["I2"], ws["J2"], ws["K2"] = "2026Q1", 8, 7, 9
    wb.save(tmp_path / "filled.xlsx")
    out, page = tmp_path / "o" / "m.gpkg", tmp_path / "o" / "m.html"
    out.parent.mkdir()
    args = ["maturity", "load", str(result), str(tmp_path / "filled.xlsx"), "-o", str(out), "--map", str(page)]
    rc, said = _run(["--lang", "en", *args])
    assert rc == 2 and "ID-PERSONAL-PAGE" in said and "maturity map" in said, said
    assert "--include-personal" in said and list(out.parent.iterdir()) == []
    rc, said = _run([*args, "--include-personal", "-q"])
    assert rc == 0 and out.exists() and _shown(page, ids), said


@pytest.mark.parametrize("option", ["--report", "--map"])
def test_check_pages_of_personal_ids_need_include_personal(personal_result: tuple[Path, list[str]],
                                                           tmp_path: Path, option: str) -> None:
    """``check --report`` lists the ids of the households a finding is about, ``--map`` shows them all: the file's
    own id column is named (户编号 of the roster), and the fix offers --id-col, which check has."""
    result, ids = personal_result
    roster = result.parent / "hh.csv"
    page = tmp_path / "p.html"
    args = ["check", str(roster), "--crs", "EPSG:4490", "--plan", str(result), "--min", "4", "--max", "8",
            option, str(page)]
    rc, said = _run(["--lang", "en", *args])
    assert rc == 2 and "ID-PERSONAL-PAGE" in said, said
    assert "(column '户编号') of " in said and "choose another id column with --id-col" in said, said
    assert ("check report" if option == "--report" else "the map's web page") in said, said
    assert list(tmp_path.iterdir()) == []
    rc, said = _run([*args, "--include-personal", "-q"])
    assert rc == 0 and page.exists(), said
    rc, said = _run([*args[:2], "--id-col", "seq", *args[2:], "--overwrite", "-q"])  # plain numbers: no request
    assert rc == 0, said


def test_delineate_map_of_personal_ids_stops_before_the_work(personal_result: tuple[Path, list[str]],
                                                             tmp_path: Path) -> None:
    result, ids = personal_result
    roster = result.parent / "hh.csv"
    args = ["delineate", str(roster), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "-o", str(tmp_path / "r.gpkg"),
            "--map", str(tmp_path / "m.html")]
    rc, said = _run(["--lang", "en", *args])
    assert rc == 2 and "ID-PERSONAL-PAGE" in said and "(column '户编号') of " in said, said
    assert list(tmp_path.iterdir()) == []
    rc, said = _run([*args, "--include-personal", "-q"])
    assert rc == 0 and _shown(tmp_path / "m.html", ids), said


@pytest.mark.parametrize("option", ["--map", "--report"])
def test_cover_pages_of_personal_ids_need_include_personal(personal_result: tuple[Path, list[str]],
                                                           tmp_path: Path, option: str) -> None:
    """The coverage map shows every household id; the report names a service point sited at a household by its id."""
    result, ids = personal_result
    page = tmp_path / "p.html"
    args = ["cover", str(result), "-o", str(tmp_path / "c.gpkg"), option, str(page)]
    rc, said = _run(["--lang", "en", *args])
    assert rc == 2 and "ID-PERSONAL-PAGE" in said, said
    assert ("coverage map" if option == "--map" else "coverage report") in said and "--include-personal" in said
    assert f"{result}::households" in said and list(tmp_path.iterdir()) == []
    rc, said = _run([*args, "--include-personal"])
    assert rc == 0 and _shown(page, ids), said
    assert "FIELDS-NONE" not in said, said


@pytest.mark.parametrize("ids", [ID_CARDS, MOBILES], ids=["id_card", "mobile"])
def test_make_cover_map_needs_include_personal_for_personal_ids(ids: list[str]) -> None:
    from yuanluo.maps.coverage import make_cover_map, render_cover_html

    lyr = _layers_with_ids(ids)
    hh = lyr["households"].copy()
    hh["walk_min"] = 3.0
    layers = {"households": hh}
    with pytest.raises(InputError) as exc:
        make_cover_map(layers, lang="en")
    (p,) = exc.value.problems
    assert p.code == "ID-PERSONAL-PAGE" and "coverage map" in p.message("en")
    assert any(h in render_cover_html(make_cover_map(layers, lang="en", include_personal=True)) for h in ids)


def test_render_cover_report_needs_include_personal_for_personal_ids() -> None:
    from yuanluo.planners.cover import Coverage
    from yuanluo.planners.cover_report import render_cover_report

    hh = pd.DataFrame({"walk_min": [1.0, 2.0]}, index=pd.Index(MOBILES[:2], name="hid"))
    with pytest.raises(InputError) as exc:
        render_cover_report(Coverage(layers={"households": hh}, sitings={}, summary={"limit_min": 15.0}), lang="en")
    (p,) = exc.value.problems
    assert p.code == "ID-PERSONAL-PAGE" and "coverage report" in p.message("en") and p.params["kind"] == "mobile"
