"""A result delineated from a household file without a settlement column, with settlements kept whole: the
delineation found the settlements itself (by walking distance) and kept them whole where it could, but check and
repair of the result said the rule as if it had been left out ("add a settlement column … then delineate again",
session 40, audit F). They now say what the result lacks (the settlements, not the rule) and that nothing is to be
done if the settlements found will do; a plain household file without the column keeps the old warning."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()

FOUND = {"zh": ("划分时已按步行距离自行识别自然院落", "划分时识别的自然院落可用时，无须处理；否则在农户表 hh.csv 中补上自然院落列"),
         "en": ("the delineation found the settlements itself",
                "nothing to do if the settlements the delineation found will do; otherwise add a settlement column")}


def _cli(args: list[str], lang: str) -> str:
    res = runner.invoke(app, ["--lang", lang, *args], env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    return res.output


def _unapplied(out: str) -> str:
    """The RULE-UNAPPLIED line and its fix, as printed."""
    lines = out.splitlines()
    i = next(i for i, x in enumerate(lines) if "RULE-UNAPPLIED" in x)
    return " ".join(lines[i:i + 2])


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """Twelve households in two clusters of six (no settlement column, a unit column of the two), rules of 4–8
    keeping settlements whole, and the result of its delineation."""
    folder = tmp_path_factory.mktemp("settle_found")
    rows = ["户编号,经度,纬度,组,院落长候选,plan"]
    rows += [f"H{i:02d},{106.55 + 0.0003 * i + (0.004 if i >= 6 else 0):.6f},29.560000,一组,是,{'A' if i < 6 else 'B'}"
             for i in range(12)]
    hh, rf = folder / "hh.csv", folder / "r.toml"
    hh.write_text("\n".join(rows) + "\n", encoding="utf-8")
    rf.write_text("[rules]\nmin_size = 4\nmax_size = 8\nnest_by = [\"组\"]\nkeep_settlements = true\n", encoding="utf-8")
    out = folder / "out.gpkg"
    _cli(["delineate", str(hh), "--crs", "EPSG:4490", "--rules", str(rf), "-o", str(out)], "zh")
    return hh, rf, out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_of_the_result_says_the_delineation_found_the_settlements(village: tuple[Path, Path, Path],
                                                                         lang: str) -> None:
    _, rf, out = village
    said = _unapplied(_cli(["check", str(out), "--rules", str(rf)], lang))
    assert all(t in said for t in FOUND[lang]), said
    assert "keep_settlements = false" in said  # the setting stays a way out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_repair_of_the_result_says_what_it_could_not_keep(village: tuple[Path, Path, Path], lang: str,
                                                          tmp_path: Path) -> None:
    _, rf, out = village
    said = _unapplied(_cli(["repair", str(out), "--rules", str(rf), "-o", str(tmp_path / "p.csv")], lang))
    assert all(t in said for t in FOUND[lang]), said
    assert ("移动的户可能拆开其中某个" if lang == "zh" else "a household moved may split one") in said, said


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_plain_household_file_keeps_the_warning(village: tuple[Path, Path, Path], lang: str) -> None:
    hh, rf, _ = village
    said = _unapplied(_cli(["check", str(hh), "--crs", "EPSG:4490", "--rules", str(rf), "--unit-col", "plan"], lang))
    assert ("自然院落列" if lang == "zh" else "no settlement column") in said, said
    assert not any(t in said for t in FOUND[lang]), said
