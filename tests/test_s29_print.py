"""Session 29 G3: print maps. A name with an emoji's variation selector, a zero-width joiner or a byte-order mark had
them drawn (a mark, a box) or stopped the unit sheets' PDF with an internal error, and PRINT-GLYPH counted an
ideographic variation selector as a character no font draws; PRINT-GLYPH said nothing of the household ids and
settlement names the unit sheets (--per-unit) draw."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import pytest
from typer.testing import CliRunner

from yuanluo.maps import static
from yuanluo.planners.cli import app

runner = CliRunner()


def _result(tmp_path: Path, small_result: Path, name: str, *, village: str, settlement: str,
            first_hid: str | None = None) -> Path:
    """A copy of the small result with the units' village and the households' settlement set."""
    src = tmp_path / f"{name}.gpkg"
    shutil.copy(small_result, src)
    units = gpd.read_file(src, layer="units")
    units["village"] = village
    units.to_file(src, layer="units", driver="GPKG")
    hh = gpd.read_file(src, layer="households")
    hh["settlement"] = settlement
    if first_hid is not None:
        hh.loc[0, "hid"] = first_hid
    hh.to_file(src, layer="households", driver="GPKG")
    return src


def test_invisible_format_characters_of_names_are_not_drawn_nor_said(tmp_path: Path, small_result: Path) -> None:
    """“☀️村” (U+FE0F, and an ideographic variation selector) and “李‍家﻿湾” (a zero-width joiner, a byte-order
    mark): the sheets stopped with exit 3 (the PDF writer on U+FEFF), PRINT-GLYPH named the variation selector.
    Now the sheets and the map come out as the same names without those characters would draw them."""
    odd = _result(tmp_path, small_result, "odd", village="\u2600\ufe0f村\U000E0100", settlement="李\u200d家\ufeff湾")
    plain = _result(tmp_path, small_result, "plain", village="\u2600村", settlement="李家湾")
    outs = {}
    for src in (odd, plain):
        png, pdf = tmp_path / f"{src.stem}.png", tmp_path / f"{src.stem}.pdf"
        res = runner.invoke(app, ["map", str(src), "-o", str(png), "--per-unit", str(pdf)])
        assert res.exit_code == 0, res.output
        assert "PRINT-GLYPH" not in res.output, res.output
        outs[src.stem] = (png.read_bytes(), pdf.read_bytes())
    assert outs["odd"][0] == outs["plain"][0]  # the map: “☀村” in the title line
    assert outs["odd"][1] == outs["plain"][1]  # the sheets: the village, and “李家湾” in the household list


def test_the_character_before_a_variation_selector_is_judged_as_any_other() -> None:
    """An emoji no font has stays said, without its selector; one a font draws (☀, ❤) is not."""
    import pandas as pd

    u = pd.DataFrame({"unit_id": ["U1"], "village": ["\U0001F3E0\ufe0f村"], "group": ["家\u2764\ufe0f"]})
    [p] = static.glyph_problems({"units": u})
    assert p.params["texts"] == "“\U0001F3E0村” (\U0001F3E0)"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sheets_say_household_ids_and_settlements_no_font_draws(tmp_path: Path, small_result: Path,
                                                                lang: str) -> None:
    """A household id or settlement name with 𠀀 (U+20000) was drawn on the unit sheets as a box, without a word."""
    src = _result(tmp_path, small_result, "ext", village="李家塆村", settlement="\U00020000家",
                  first_hid="H\U00020000")
    pdf = tmp_path / "s.pdf"
    res = runner.invoke(app, ["--lang", lang, "map", str(src), "--per-unit", str(pdf)])
    assert res.exit_code == 0, res.output
    flat = "".join(c for c in res.output if not c.isspace() and c != "│")  # the table's lines as one
    assert "PRINT-GLYPH" in flat, res.output
    assert flat.count("“H\U00020000”(\U00020000)") == 1 and flat.count("“\U00020000家”(\U00020000)") == 1, res.output
    assert pdf.exists()


def test_the_village_map_does_not_say_what_only_the_sheets_draw(tmp_path: Path, small_result: Path) -> None:
    """The village print map (-o x.png, no --per-unit) draws no household id nor settlement name, so a 𠀀 in them is
    not its PRINT-GLYPH (it was, once the sheets' texts were checked for every print map); in a village name it is."""
    src = _result(tmp_path, small_result, "ext", village="李家塆村", settlement="\U00020000家",
                  first_hid="H\U00020000")
    res = runner.invoke(app, ["map", str(src), "-o", str(tmp_path / "v.png")])
    assert res.exit_code == 0 and "PRINT-GLYPH" not in res.output, res.output
    src = _result(tmp_path, small_result, "ext2", village="\U00020000家村", settlement="甲",
                  first_hid="H1")
    res = runner.invoke(app, ["map", str(src), "-o", str(tmp_path / "w.png")])
    assert res.exit_code == 0 and "PRINT-GLYPH" in res.output, res.output
