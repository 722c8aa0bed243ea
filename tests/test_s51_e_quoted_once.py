"""Code that has quotes of its own is quoted once (session 51, helper E).

A fix wrote “preset = "banan"” (en too, from planners.report) and “crs='gcj02'”: quotes inside quotes, which in a
console font read as "preset = "banan"". Code with quotes of its own now stands bare, set apart by spaces
(preset = "banan", crs='gcj02'), as English writes all code; Chinese keeps “” for code without quotes (“nest_by”).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from yuanluo.gis.catalogue import catalogue
from yuanluo.gis.errors import InputError
from yuanluo.gis.neighbours import require_id_index
from yuanluo.gis.rules import Rules
from yuanluo.planners.presets import RuleConfigError, load_rules_file
from yuanluo.planners.report import unapplied_problems

#: a span in “” holding a quote of its own: ' " “ ‘ 「 『
NESTED = re.compile(r"“[^”]*['\"“‘「『][^”]*”|「[^」]*[“\"'][^」]*」")


def nested(s: str) -> list[str]:
    return NESTED.findall(s)


def _texts() -> list[tuple[str, str, str, str]]:
    out = []
    for key, entry in catalogue().items():
        for lang in ("zh", "en"):
            for field, tmpl in entry[lang].items():
                out.append((key, lang, field, tmpl))
    return out


def test_no_catalogue_text_quotes_what_is_already_quoted() -> None:
    bad = [(k, lg, f, nested(t)) for k, lg, f, t in _texts() if nested(t)]
    assert bad == [], bad


#: fields said as Python code with quotes of their own (a repr: nest_by=('village',), households['group'])
CODE_FIELDS = ("{kept}", "[{given}]", "{column_py}", "{fixed}")


def test_no_template_quotes_a_field_said_as_code_with_quotes() -> None:
    bad = [(k, lg, f, span) for k, lg, f, t in _texts() for span in re.findall(r"“[^”]*”", t)
           if any(c in span for c in CODE_FIELDS)]
    assert bad == [], bad


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_rule_file_a_fix_asks_for_is_quoted_once(lang: str) -> None:
    (p,) = unapplied_problems(Rules(20, 50, name="banan", keep_settlements=False, require_head=False), ["hid", "village"],
                              households_file="hh.csv")
    fix = p.fix(lang)
    assert nested(fix) == [] and '“preset' not in fix, fix
    assert 'preset = "banan"' in fix and 'nest_by = ["village"]' in fix, fix
    # a setting without quotes keeps the “” Chinese sets code in
    (q,) = unapplied_problems(Rules(20, 50, keep_settlements=False, require_head=False), ["hid"],
                              households_file="hh.csv", rules_file="r.toml")
    assert ("“nest_by = []”" if lang == "zh" else "write nest_by = [] in the rule file r.toml") in q.fix(lang), q.fix(lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_problems_that_say_code_with_quotes_say_it_once(tmp_path: Path, lang: str) -> None:
    f = tmp_path / "r.toml"
    f.write_text('[rules]\npreset = "nowhere"\n', encoding="utf-8")
    with pytest.raises(RuleConfigError) as e:
        load_rules_file(f)
    with pytest.raises(InputError) as i:
        require_id_index(pd.DataFrame({"hid": ["a", "b"]}))
    for said in (e.value.problems[0].message(lang), i.value.problems[0].message(lang)):
        assert nested(said) == [], said
    assert 'preset = "nowhere"' in e.value.problems[0].message(lang)
    assert 'hh = hh.set_index("hid")' in i.value.problems[0].message(lang)
