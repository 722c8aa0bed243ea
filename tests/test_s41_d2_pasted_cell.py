"""Session 41 (audit H item 2): a UTF-8 CSV with one cell pasted in GBK. Every fix offered led nowhere
(ENC-GUESS said --encoding utf-16; each --encoding then got ENC-WRONG "it looks like utf-8, gbk, gb18030,
utf-16") and no row was named: now ENC-MIXED-CELL names the row and the pasted text, whatever --encoding."""

from __future__ import annotations

from pathlib import Path

import pytest
from badfiles import HEADER, good_rows
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


def pasted(tmp_path: Path) -> Path:
    rows = good_rows(6)
    body = [(r + "\n").encode("utf-8") for r in rows]
    first, _, rest = rows[3].partition(",")
    body[3] = (first + ",").encode("utf-8") + "中文".encode("gbk") + ("," + rest.partition(",")[2] + "\n").encode()
    hh = tmp_path / "mix.csv"
    hh.write_bytes((HEADER + "\n").encode("utf-8") + b"".join(body))
    return hh


@pytest.mark.parametrize("encoding", [[], ["--encoding", "utf-16"], ["--encoding", "utf-8"],
                                      ["--encoding", "gbk"], ["--encoding", "gb18030"]])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pasted_gbk_cell_names_its_row(tmp_path: Path, encoding: list[str], lang: str) -> None:
    hh = pasted(tmp_path)
    res = runner.invoke(app, ["--lang", lang, "validate", str(hh), "--crs", "EPSG:4490", *encoding],
                        env={"COLUMNS": "400"})
    assert res.exit_code == 2, res.output
    assert "ENC-MIXED-CELL" in res.output and "ENC-WRONG" not in res.output and "ENC-GUESS" not in res.output
    assert ("第 5 行" if lang == "zh" else "row 5") in res.output, res.output
    assert "中文" in res.output and "utf-16" not in res.output, res.output


def test_wrong_encoding_given_is_not_suggested_again(tmp_path: Path) -> None:
    from yuanluo.gis.io import _guess_encoding

    assert "utf-16" not in _guess_encoding(b"\xff" * 7, "utf-16")
