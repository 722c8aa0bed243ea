"""``yuanluo map r.gpkg -o 图.pdf --credit "县测绘院 🏠 2025"``: the credit line at the foot of the print map is
checked for characters no font draws, as the title and the data are (PRINT-GLYPH), in zh and en; also one naming
OpenStreetMap, printed as given since session 41."""
from __future__ import annotations

from pathlib import Path

import pytest
from shared_fixtures import flat, run_cli


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("credit_glyph")
    rows = ["户号,人口,经度,纬度"]
    rows += [f"{i + 1:06d},3,{106.55 + 0.0004 * i:.6f},{29.56 + 0.0003 * (i % 3):.6f}" for i in range(12)]
    hh = d / "花名册.csv"
    hh.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = d / "r.gpkg"
    run_cli(["delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "-o", str(out)])
    return out


@pytest.mark.parametrize(("lang", "words"), [("zh", "选项给出的标题、数据来源署名"),
                                             ("en", "inthetitleordatacreditgivenasoptions")])
def test_credit_glyph_said(result: Path, lang: str, words: str) -> None:
    pdf = result.parent / f"m_{lang}.pdf"
    out = flat(run_cli(["map", str(result), "-o", str(pdf), "--credit", "县测绘院 \U0001F3E0 2025"], lang))
    assert "PRINT-GLYPH" in out and "“县测绘院\U0001F3E02025”(\U0001F3E0)" in out, out
    assert words in out, out
    assert pdf.exists()  # a warning: the map is drawn


def test_plain_or_osm_credit_says_nothing(result: Path) -> None:
    for k, credit in enumerate(("县测绘院 2025", "© OpenStreetMap contributors (ODbL)")):
        out = run_cli(["map", str(result), "-o", str(result.parent / f"p{k}.pdf"), "--credit", credit])
        assert "PRINT-GLYPH" not in out, out
    # a credit naming OpenStreetMap is printed as given since session 41, so a character no font draws is said
    out = flat(run_cli(["map", str(result), "-o", str(result.parent / "p2.pdf"), "--credit",
                        "© OpenStreetMap contributors \U0001F3E0"]))
    assert "PRINT-GLYPH" in out and "\U0001F3E0" in out, out
