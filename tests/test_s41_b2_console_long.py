"""The console printed a 20,000-character household id in full (session 41, audit H item 6): 'yuanluo delineate
cutrow.csv …' of a file whose row 16 had such an id and no coordinates said COORD-NAN in one line of 17,333
characters. Over-long data values are now shortened on the console, saying so and how long they were."""
from __future__ import annotations

from pathlib import Path

import pytest
from shared_fixtures import lonlat_households_csv, run_cli

from yuanluo.gis.catalogue import both
from yuanluo.gis.errors import problem
from yuanluo.planners import console as C

LONG_ID = "L" + "x" * 20000


@pytest.mark.parametrize(("lang", "said"), [("zh", "（共 20001 个字符，此处已截短）"),
                                            ("en", " (20,001 characters, shortened here)")])
def test_a_huge_id_is_shortened_on_the_console(tmp_path: Path, lang: str, said: str) -> None:
    hh = lonlat_households_csv(tmp_path, 106.55, 29.56, 24)
    text = hh.read_text(encoding="utf-8")
    first = text.splitlines()[1]
    hh.write_text(text.replace(first, f"{LONG_ID},,,3"), encoding="utf-8")  # no coordinates
    out = run_cli(["delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8",
                   "-o", str(tmp_path / "r.gpkg")], lang, code=2)
    assert "COORD-NAN" in out
    assert max(len(line) for line in out.splitlines()) < 400, max(len(line) for line in out.splitlines())
    assert LONG_ID[:40] + "…" + said in out
    assert not (tmp_path / "r.gpkg").exists()


def test_the_catalogue_texts_paths_and_short_values_are_kept() -> None:
    C.set_lang("en")
    try:
        p = problem("IO-NOTFOUND", file="a" * 200 + ".csv")
        assert C.for_console(p) is p  # the file as given
        q = problem("COORD-NAN", file="a.csv", rows=[2], ids=["H1", "y" * 70],
                    who=both("delineate.what.persons"))
        shown = C.for_console(q)
        assert list(shown.ids) == ["H1", "y" * 40 + "… (70 characters, shortened here)"]
        assert shown.params["who"] == q.params["who"]  # a text of the catalogue
        assert list(q.ids) == ["H1", "y" * 70]  # the problem itself unchanged (its files say it whole)
    finally:
        C.set_lang("zh")
