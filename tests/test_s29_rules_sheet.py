"""The ``--xlsx`` plan's Rules sheet and OUT-IS-DIR's example (audit s29 M §2, §3).

§2: the row 不得跨越 / Must not straddle of the sheet 规则 / Rules read ``村、村民小组、settlement`` (and
"villages, villager groups, settlement") for ``nest_by = ["village", "group", "settlement"]``: the raw key, an
English word on the Chinese page. The known nesting columns are now in words (自然院落, "settlements"); a column
of the user's own is shown as given, quoted.
§3: ``-o ..`` (an existing folder) gave the example ``../...gpkg``, a dot-file, as ``<dir>/<dir name>.<ext>``;
a folder named ``.`` or ``..`` is now named by the folder it is (``../<its name>.gpkg``).
"""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest
from badfiles import HEADER, good_rows, write_csv
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


def _households(tmp: Path, n: int = 12) -> Path:
    """``n`` households of one village and villager group, in two settlements of six, in one tract (片区, a
    column of the user's own)."""
    rows = [f"{r},一村,{'东院' if i < n // 2 else '西院'},甲片" for i, r in enumerate(good_rows(n))]
    return write_csv(tmp, "hh.csv", [HEADER + ",村,院落,片区", *rows])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_rules_sheet_names_every_nesting_column_in_words(tmp_path: Path, lang: str) -> None:
    hh = _households(tmp_path)
    rules = tmp_path / "rules.toml"
    rules.write_text('[rules]\nmin_size = 4\nmax_size = 8\nnest_by = ["village", "group", "settlement", "片区"]\n'
                     "require_head = false\n", encoding="utf-8")
    xlsx = tmp_path / "plan.xlsx"
    res = runner.invoke(app, ["--lang", lang, "delineate", str(hh), "--crs", "EPSG:4490", "--rules", str(rules),
                              "-o", str(tmp_path / "d.gpkg"), "--xlsx", str(xlsx), "-q"])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(xlsx)
    kv = dict(r[1:] for r in wb["规则" if lang == "zh" else "Rules"].iter_rows(min_row=2, values_only=True))
    if lang == "zh":
        assert kv["不得跨越"] == "村、村民小组、自然院落、“片区”", kv
    else:
        assert kv["Must not straddle"] == "villages, villager groups, settlements, “片区”", kv


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("given", ["..", "../out/.."])
def test_out_is_dir_gives_an_example_that_is_no_dot_file(tmp_path: Path, lang: str, given: str) -> None:
    """``-o ..``: the example is ``../<the folder's name>.gpkg`` (was ``../...gpkg``), and following it works."""
    hh = _households(tmp_path)
    rules = tmp_path / "rules.toml"
    rules.write_text("[rules]\nmin_size = 4\nmax_size = 8\nrequire_head = false\n", encoding="utf-8")
    (tmp_path / "out").mkdir()
    folder = (tmp_path / "out" / given).resolve()
    example = str(Path(given) / f"{folder.name}.gpkg")
    cwd = os.getcwd()
    os.chdir(tmp_path / "out")
    try:
        base = ["--lang", lang, "delineate", str(hh), "--crs", "EPSG:4490", "--rules", str(rules), "-q", "-o"]
        res = runner.invoke(app, [*base, given])
        assert res.exit_code == 2, res.output
        shown = " ".join(res.output.split())
        assert "OUT-IS-DIR" in shown, shown
        assert example in shown and "...gpkg" not in shown and "/.gpkg" not in shown, shown
        assert not (folder / f"{folder.name}.gpkg").exists()
        again = runner.invoke(app, [*base, example])  # the suggestion, followed
        assert again.exit_code == 0, again.output
    finally:
        os.chdir(cwd)
    assert (folder / f"{folder.name}.gpkg").is_file()


def test_a_presets_own_label_is_not_repeated_in_chinese_on_an_english_sheet() -> None:
    """The built-in preset's label is the name row's words in the sheet's language (audit s30 R §2: the English
    Rules sheet had a Label row 巴南区“巴适小院”); a rule file's own label stays."""
    from yuanluo.gis.rules import Rules
    from yuanluo.planners.tables import rules_table

    en = rules_table(Rules(20, 50, name="banan", label="巴南区“巴适小院”"), "en")
    assert not en.apply(lambda c: c.str.contains("巴")).any().any(), en
    own = rules_table(Rules(20, 50, name="banan", label="我镇试点"), "en")
    assert "我镇试点" in own.iloc[:, 1].tolist()
