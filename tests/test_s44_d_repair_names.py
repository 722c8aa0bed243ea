"""Session 44 (helper D): repair stops on unit names written several ways; its dissolved note says what it counts.

Item 4: a plan writing one unit name several ways (1院落 / 第一院落 / 一院落; U020 / u020) is not repaired:
REPAIR-UNIT-VARIANT, exit 2, nothing written. The clerk's list of session 43's audit (院落花名册.xlsx) was repaired as
written: 351 moves in 4.5 min, the spellings filled and merged as units of their own.
Item 5: "院落 B 已撤销：其 2 户并入 A（1 户）、C（1 户）" read as if A had one household after the merge: the count is of
B's households that went there, now said so ("1 户并入 A").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli.app import app


def _variant_files(tmp_path: Path) -> list[str]:
    rows = ["户编号,东坐标,北坐标"] + [f"H{i:02d},{474000 + 60 * i},3297000" for i in range(8)]
    names = ["一院落"] * 3 + ["第一院落", "1院落"] + ["二院落"] * 3
    plan = ["户编号,院落编号"] + [f"H{i:02d},{u}" for i, u in enumerate(names)]
    (tmp_path / "hh.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "plan.csv").write_text("\n".join(plan) + "\n", encoding="utf-8")
    return [str(tmp_path / "hh.csv"), "--crs", "EPSG:4545", "--plan", str(tmp_path / "plan.csv"), "--min", "2",
            "--max", "6", "-o", str(tmp_path / "fixed.csv"), "--moves", str(tmp_path / "moves.csv")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_unit_names_written_several_ways_stop_the_repair(tmp_path: Path, lang: str) -> None:
    out = CliRunner().invoke(app, ["--lang", lang, "repair", *_variant_files(tmp_path)])
    assert out.exit_code == 2, out.output
    text = " ".join(out.output.split())
    assert "REPAIR-UNIT-VARIANT" in text
    assert not (tmp_path / "fixed.csv").exists() and not (tmp_path / "moves.csv").exists()
    if lang == "zh":
        assert "“1院落”、“第一院落”、“一院落”是同一个名称的不同写法" in text
        assert "第 5、6 行" in text and "如都写成“一院落”" in text and "先不修复" in text and "未写出任何结果文件" in text
    else:
        assert "“1院落”, “第一院落”, “一院落” are one name written different ways" in text
        assert "rows 5, 6" in text and "e.g. all “一院落”" in text and "not repaired yet" in text
        assert "no output file was written" in text


def test_unit_names_written_one_way_are_repaired(tmp_path: Path) -> None:
    """The fix the error gives: the same plan with the names written one way is repaired (it passes as it is)."""
    files = _variant_files(tmp_path)
    plan = (tmp_path / "plan.csv").read_text(encoding="utf-8").replace("第一院落", "一院落").replace("1院落", "一院落")
    (tmp_path / "plan.csv").write_text(plan, encoding="utf-8")
    out = CliRunner().invoke(app, ["--lang", "en", "repair", *files])
    assert out.exit_code == 0, out.output
    assert (tmp_path / "fixed.csv").exists()


def test_a_dissolved_unit_says_how_many_went_where() -> None:
    from yuanluo.gis.repair import Phrases, _render

    targets = Phrases([("repair.note.to", {"unit": "三组五院落", "count": 19}),
                       ("repair.note.to", {"unit": "三组六院落", "count": 1}),
                       ("repair.note.to_none", {"count": 2})])
    params = {"unit": "三组四院落", "count": 22, "targets": targets}
    assert _render("repair.note.dissolved", params, "zh") == \
        "院落 三组四院落 已撤销，原有 22 户：19 户并入 三组五院落、1 户并入 三组六院落、2 户未分到院落"
    assert _render("repair.note.dissolved", params, "en") == ("unit 三组四院落 dissolved, 22 households in it: 19 "
                                                              "households went to 三组五院落, 1 household went to "
                                                              "三组六院落, 2 households left in no unit")
