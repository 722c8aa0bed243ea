"""A rule file's wrong value is quoted as the file writes it (TOML: ``true``, ``"forty"``), not as Python prints
it (``True``, ``'forty'``)."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from yuanluo.gis.errors import RuleConfigError
from yuanluo.gis.rules import toml_value
from yuanluo.planners.presets import load_rules_file


@pytest.mark.parametrize(("line", "quoted"), [
    ("max_size = true", "max_size = true"),
    ('max_size = "forty"', 'max_size = "forty"'),
    ("max_size = [40, 50]", "max_size = [40, 50]"),
    ('nest_by = { a = "村" }', 'nest_by = { a = "村" }'),
    ("max_walk_min = -1.5", "max_walk_min = -1.5"),
])
def test_wrong_value_quoted_as_toml(tmp_path: Path, line: str, quoted: str) -> None:
    f = tmp_path / "r.toml"
    rest = "" if line.startswith("max_size") else "max_size = 50\n"
    f.write_text(f"min_size = 20\n{line}\n{rest}", encoding="utf-8")
    with pytest.raises(RuleConfigError) as caught:
        load_rules_file(f)
    for lang in ("zh", "en"):
        title = caught.value.problems[0].title(lang)
        assert quoted in title, title
        assert "True" not in title and "'" not in title, title


@pytest.mark.parametrize("value", [True, False, "forty", 'a"b\\c\n\t\x01', ["村", 1, 2.5, False], {"a b": 1, "c": [True]},
                                   3, -0.25, dt.date(2024, 5, 1)])
def test_toml_value_reads_back(value: object) -> None:
    assert tomllib.loads(f"v = {toml_value(value)}")["v"] == value
