"""A rule file saved by Notepad as "ANSI" on a Chinese Windows (GBK) is read, with the warning RULE-FILE-GBK saying
it was read as GBK and that saving it as UTF-8 avoids the note (session 56, helper U, round 2). It was refused,
RULE-FILE-ENCODING "save it as UTF-8", though the household reader reads GBK. A file neither UTF-8 nor GBK (bytes
of Latin-1) is still refused, with the line of its first such byte.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.gis.errors import RuleConfigError
from yuanluo.planners.cli import app
from yuanluo.planners.presets import load_rules_file

runner = CliRunner()
ENV = {"COLUMNS": "400"}
_HAN = re.compile(r"[\u3400-\u9fff]")
NOTEPAD = "# 规则：长寿区院落划分\r\n[rules]\r\npreset = \"长寿\"\r\nmax_walk_min = 15\r\nnest_by = [\"村\", \"组\"]\r\n"


def test_a_gbk_rule_file_reads_as_its_utf8_twin_and_says_so(tmp_path: Path) -> None:
    gbk, utf8 = tmp_path / "规则.toml", tmp_path / "utf8.toml"
    gbk.write_bytes(NOTEPAD.encode("gbk"))
    utf8.write_bytes(NOTEPAD.encode("utf-8-sig"))
    notes: list = []
    rules = load_rules_file(gbk, notes=notes)
    twin = load_rules_file(utf8, notes=notes)
    assert rules.to_dict() | {"name": ""} == twin.to_dict() | {"name": ""}
    assert rules.nest_by == ("村", "组") and rules.max_walk_min == 15 and rules.min_size == 15
    assert [p.code for p in notes] == ["RULE-FILE-GBK"] and notes[0].severity == "warning"
    assert notes[0].file == str(gbk)


def test_the_cli_says_the_note_in_either_language(tmp_path: Path) -> None:
    hh = tmp_path / "hh.csv"
    hh.write_text("户号,经度,纬度,村,组\n" + "".join(f"H{i},106.55{i},29.56{i},新华村,一组\n" for i in range(6)),
                  encoding="utf-8")
    rules = tmp_path / "规则.toml"
    rules.write_bytes("[rules]\r\n# 最小最大\r\nmin_size = 1\r\nmax_size = 3\r\nnest_by = [\"村\", \"组\"]\r\n"
                      .encode("gbk"))
    outs = {}
    for lang in ("zh", "en"):
        out = tmp_path / f"{lang}.gpkg"
        res = runner.invoke(app, ["--lang", lang, "delineate", str(hh), "--crs", "EPSG:4490", "--rules", str(rules),
                                  "-o", str(out)], env=ENV)
        assert res.exit_code == 0, res.output
        assert out.exists() and "RULE-FILE-GBK" in res.output and str(rules) in res.output, res.output
        outs[lang] = res.output
    assert "已按 GBK 编码读取" in outs["zh"] and "另存为" in outs["zh"] and "UTF-8" in outs["zh"]
    assert "it was read as GBK" in outs["en"] and "Save As with the encoding UTF-8" in outs["en"]
    note = [ln for ln in outs["en"].splitlines() if "RULE-FILE-GBK" in ln or "Save As" in ln]
    assert note and not _HAN.search("\n".join(note).replace(str(rules), ""))
    # -q: the outcome only
    res = runner.invoke(app, ["--lang", "en", "delineate", str(hh), "--crs", "EPSG:4490", "--rules", str(rules),
                              "-o", str(tmp_path / "q.gpkg"), "-q"], env=ENV)
    assert res.exit_code == 0 and "RULE-FILE-GBK" not in res.output


@pytest.mark.parametrize("body", [
    b"[rules]\n# caf\xe9 au lait\nmin_size = 10\nmax_size = 20\n",  # Latin-1: GB18030 fails on \xe9 + space
    "[rules]\n# Straße ÄÖÜ ñ\nmin_size = 10\nmax_size = 20\n".encode("cp1252")[:-1] + b"\xff",
])
def test_a_file_neither_utf8_nor_gbk_is_still_refused(tmp_path: Path, body: bytes) -> None:
    f = tmp_path / "latin.toml"
    f.write_bytes(body)
    with pytest.raises(RuleConfigError) as e:
        load_rules_file(f)
    assert e.value.code == "RULE-FILE-ENCODING" and e.value.problems[0].rows == (2,)
    assert "neither UTF-8 nor GBK" in e.value.render("en") and "既不是 UTF-8 也不是 GBK" in e.value.render("zh")
