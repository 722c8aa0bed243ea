"""``--fields hid`` (or 户号, the id column's own name) names the household id, the table's index and not a
column: every map shows it, so it is said so, not FIELDS-UNKNOWN (exit 2)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

ENV = {"COLUMNS": "400"}


@pytest.mark.parametrize(("fields", "lang", "said"), [
    ("hid", "en", "hid is the household id"),
    ("hid,persons", "zh", "hid 是户编号"),
    ("户号", "zh", "户号 是户编号"),
])
def test_map_fields_names_the_id(small_result: Path, tmp_path: Path, fields: str, lang: str, said: str) -> None:
    out = tmp_path / "m.html"
    res = CliRunner().invoke(app, ["map", str(small_result), "--fields", fields, "-o", str(out), "--lang", lang],
                             env=ENV)
    assert res.exit_code == 0, res.output
    assert "FIELDS-UNKNOWN" not in res.output
    assert said in res.output, res.output
    assert out.exists()


def test_unknown_field_still_refused(small_result: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["map", str(small_result), "--fields", "hid,nosuch", "-o", str(tmp_path / "m.html"),
                                   "--lang", "en"], env=ENV)
    assert res.exit_code == 2, res.output
    assert "FIELDS-UNKNOWN" in res.output and "nosuch" in res.output
    assert not re.search(r"no column named hid\b", res.output)


def test_quiet_says_nothing_of_the_id(small_result: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["map", str(small_result), "--fields", "hid", "-o", str(tmp_path / "m.html"),
                                   "-q"], env=ENV)
    assert res.exit_code == 0, res.output
    assert "hid" not in res.output
