"""Session 29, audit O §2: landlines, old 15-digit id-card numbers and bank cards are personal data.

``yuanluo map … --fields 座机,tel1,固话,证号,户主证件`` (no ``--include-personal``) wrote landlines
(``023-68120005``, ``(023)68130005``, ``02368000005``), 15-digit id-card numbers and a subsidy bank card into the
page: :func:`personal_name` knew none of these names (nor ``tel1``, a name with a trailing digit) and
:func:`content_kind` only 11-digit mobiles and 18-digit id-card numbers. Now they are recognised by name and by
content and kept out of the map unless ``--include-personal`` is given; ordinary columns (户编号, 院落编号, 组号,
门牌号, 账号 alone) and the synthetic village's and the Andorra sample's columns are not.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from typer.testing import CliRunner

from yuanluo.gis.personal import content_kind, find_personal, personal_name, personal_problem
from yuanluo.planners.cli import app

runner = CliRunner()
N = 60
SAMPLE = Path(__file__).resolve().parents[1] / "planners" / "sample" / "andorra_ordino.gpkg"


def _luhn(body: str) -> str:
    """``body`` with the Luhn check digit appended."""
    total = sum(d if k % 2 else (2 * d - 9 if d > 4 else 2 * d) for k, d in enumerate(int(c) for c in body[::-1]))
    return body + str((10 - total % 10) % 10)


#: named personal columns (as the audit's file had them) and content-only ones (names that say nothing)
PERSONAL = {
    "座机": lambda i: f"023-6812{i:04d}",
    "tel1": lambda i: f"(023)6813{i:04d}",
    "固话": lambda i: f"0236800{i:04d}",
    "证号": lambda i: f"500113900101{i:03d}",
    "一卡通账号": lambda i: f"6217000000{i:06d}",
    "社保卡号": lambda i: f"A{i:08d}",
    "colA": lambda i: f"家 (023) 6814{i:04d}",
    "colB": lambda i: f"0851-8{i:06d}",
    "colC": lambda i: f"51010{i % 10}{50 + i % 40:02d}{1 + i % 12:02d}{1 + i % 28:02d}{i:03d}",
    "colD": lambda i: f"138.1234.{i:04d}",
    "colE": lambda i: f"139 {i:04d} 5678",
    "colF": lambda i: _luhn(f"621700{i:012d}"),
}
CONTENT = {"colA": "landline", "colB": "landline", "colC": "id_number", "colD": "mobile",
           "colE": "mobile", "colF": "bank_card"}
#: ordinary columns a map may show without --include-personal
ORDINARY = {
    "院落编号": lambda i: f"Y{i:03d}", "组号": lambda i: str(1 + i % 4), "门牌号": lambda i: f"幸福路{i}号",
    "账号": lambda i: f"zh{i:04d}", "区划": lambda i: "500113",
    "户编码": lambda i: f"{500113100201 + i % 3}{i:03d}0",
}


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from yuanluo.gis.synth import make_village

    d = tmp_path_factory.mktemp("s29personal")
    hh = make_village(N, seed=2).households.reset_index()
    for col, make in {**PERSONAL, **ORDINARY}.items():
        hh[col] = [make(i) for i in range(len(hh))]
    hh.to_file(d / "hh.gpkg", layer="households", driver="GPKG")
    r = runner.invoke(app, ["delineate", str(d / "hh.gpkg"), "--preset", "banan", "-o", str(d / "r.gpkg"), "-q"])
    assert r.exit_code == 0, r.output
    return d / "r.gpkg"


def _values(cols: list[str], n: int) -> dict[str, list[str]]:
    table = {**PERSONAL, **ORDINARY}
    return {c: [table[c](i) for i in range(n)] for c in cols}


def _in_page(html: str, values: dict[str, list[str]]) -> dict[str, int]:
    """How many values of each column are in the page, as typed or as JSON escapes."""
    out = {}
    for col, vals in values.items():
        n = sum(1 for v in vals if v in html or json.dumps(v)[1:-1] in html)
        if n:
            out[col] = n
    return out


def test_map_fields_keeps_landlines_old_ids_and_cards_out(result: Path) -> None:
    """``map --fields`` naming them without --include-personal: none of their values is in the page, and the
    ATTR-PERSONAL warning names every one; the ordinary columns are shown."""
    out = result.with_name("m.html")
    cols = list(PERSONAL)
    r = runner.invoke(app, ["map", str(result), "-o", str(out), "--fields", ",".join(cols + list(ORDINARY)),
                            "--lang", "en"])
    assert r.exit_code in (0, 1), r.output
    html = out.read_text(encoding="utf-8")
    n = len(gpd.read_file(result, layer="households"))
    assert _in_page(html, _values(cols, n)) == {}
    assert set(_in_page(html, _values(list(ORDINARY), n))) == set(ORDINARY)
    flat = "".join(r.output.split())
    assert "ATTR-PERSONAL" in flat
    for col in cols:
        assert col in flat, col


def test_map_shows_them_with_include_personal(result: Path) -> None:
    out = result.with_name("m2.html")
    cols = ["座机", "tel1", "固话", "证号", "colF"]
    r = runner.invoke(app, ["map", str(result), "-o", str(out), "--fields", ",".join(cols), "--include-personal"])
    assert r.exit_code in (0, 1), r.output
    n = len(gpd.read_file(result, layer="households"))
    assert _in_page(out.read_text(encoding="utf-8"), _values(cols, n)) == {c: n for c in cols}


def test_recognised_by_name_and_content() -> None:
    frame = pd.DataFrame(_values([*PERSONAL, *ORDINARY], 20))
    found = find_personal(frame)
    assert list(found) == list(PERSONAL)
    assert {c: found[c] for c in CONTENT} == CONTENT
    assert all(found[c] == "name" for c in PERSONAL if c not in CONTENT)
    p = personal_problem(found, "h.csv")
    assert p is not None
    assert (p.params["by_landline"], p.params["by_card"]) == (["colA", "colB"], ["colF"])
    assert "colF" in p.title("en") and "landline" in p.title("en") and "银行卡号" in p.title("zh")


@pytest.mark.parametrize("name", ["座机", "固话", "电话", "联系方式", "tel", "tel1", "tel2", "TEL 2", "Telephone",
                                  "owner_tel", "tel_home", "证号", "证件号", "证件号码", "户主证件", "zjh", "ZJH1",
                                  "sfz", "sfz_2", "银行卡", "银行卡号", "银行账号", "卡号", "一卡通", "一卡通账号",
                                  "社保卡", "社保卡号", "存折", "存折号", "phone1", "手机号1", "fax", "bank_card"])
def test_personal_names(name: str) -> None:
    assert personal_name(name)


@pytest.mark.parametrize("name", ["户编号", "院落编号", "组号", "编号", "门牌号", "账号", "hotel", "persons", "x",
                                  "hid", "unit_id", "村民小组", "cell_id", "title", "telemetry", "osm_id", "区划"])
def test_ordinary_names(name: str) -> None:
    assert not personal_name(name)


@pytest.mark.parametrize(("values", "kind"), [
    (["023-68123456"], "landline"), (["(023)68123456"], "landline"), (["（023）6812 3456"], "landline"),
    (["02368123456"], "landline"), (["010 8888 6666"], "landline"), (["0851-85551234"], "landline"),
    (["138.1234.5678"], "mobile"), (["138 1234 5678"], "mobile"), (["+86 138-1234-5678"], "mobile"),
    (["500113900101005"], "id_number"), ([500113900101005], "id_number"),
    ([_luhn("621700000000000123")], "bank_card"), (["6217 0000 0000 0006"], "bank_card"),
])
def test_content_kinds(values: list[object], kind: str) -> None:
    assert content_kind(pd.Series(values)) == kind


@pytest.mark.parametrize("values", [
    ["H000123", "H000124"], ["500113", "500114"], [1, 2, 3, 12], [474352.34, 3297662.57], [106.13812345678],
    ["2023-06-01", "2024-12-31"], ["500113100201001", "500113100201002", "500113100201999", "500113100299000"],
    [f"6217000000{i:06d}" for i in range(50)], ["12345678", "87654321"], ["0.0236812345"],
    [f"{5001131002010000 + i}" for i in range(50)],
])
def test_no_false_alarm(values: list[object]) -> None:
    assert content_kind(pd.Series(values)) is None


def test_village_and_sample_have_none() -> None:
    from yuanluo.gis.synth import make_village

    for seed in range(3):
        assert find_personal(make_village(200, seed=seed).households.reset_index()) == {}
    for layer in pyogrio.list_layers(SAMPLE)[:, 0]:
        frame = gpd.read_file(SAMPLE, layer=layer)
        assert {c: h for c, h in find_personal(frame).items() if c != "name"} == {}, layer
    assert np.all([content_kind(pd.Series(range(1, 10_000, 7)))] == [None])
