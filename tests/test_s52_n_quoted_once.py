"""Quoted once, whatever the value (session 52, helper N). Session 51 wrote the catalogue's own code with quotes
bare, but a field the catalogue sets in quotes (“{given}”, “{example}”, '{value}', “{detail}”) still nested them
when its value carried its own: 给出的是 “'nonsense'”, 规则设置 “size_by='rooms'” 无效, 的值 “"5"” 无效,
不认识 “kind='rivr'”. Now the text's quotes are left out where the value has its own (gis.catalogue.once_quoted),
code's ASCII quotes stay code (layer="it's"), and code with quotes of its own stands bare in the catalogue."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from badfiles import HEADER, good_rows, write_csv
from typer.testing import CliRunner

from yuanluo.gis.catalogue import catalogue, text
from yuanluo.gis.errors import CRSError, InputError
from yuanluo.gis.io import read_layer
from yuanluo.gis.rules import RuleConfigError, Rules
from yuanluo.planners.cli import app
from yuanluo.planners.presets import preset

#: a span in quotes holding a quote of its own: ' " “ ‘ 「 『
NESTED = re.compile(r"“[^”]*['\"“‘「『][^”]*”|「[^」]*[“\"'][^」]*」|‘[^’]*['\"“‘「『][^’]*’")
#: a field a text sets in quotes (“{x}”, 「{x}」, ‘{x}’, '{x}', "{x}"), with what stands before it
WRAPPED = re.compile(r"(?P<pre>(?:= ?|(?<=\w)\(|\[))?(?P<q>[“「‘'\"])\{(?P<name>\w+)(?:\[(?P<item>\w+)\])?\}"
                     r"(?P<close>[”」’'\"])")
PAIRS = {"“": "”", "「": "」", "‘": "’", "'": "'", '"': '"'}
CODE = 'preset = "banan"'


def _wrapped() -> list[tuple[str, str, str, str, list[re.Match[str]]]]:
    out = []
    for key, entry in catalogue().items():
        for lang in ("zh", "en"):
            for field, tmpl in entry[lang].items():
                found = [m for m in WRAPPED.finditer(tmpl) if PAIRS[m["q"]] == m["close"]]
                if found:
                    out.append((key, lang, field, tmpl, found))
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_field_set_in_quotes_reads_once_quoted_with_a_value_that_has_its_own(lang: str) -> None:
    """Each text that sets a field in quotes, its field given code with quotes of its own: no quotes in quotes; a
    field in code's quotes (layer='{first}') keeps them."""
    cases = [c for c in _wrapped() if c[1] == lang]
    assert len(cases) > 100  # (the catalogue's own count: some 150 texts in each language)
    bad = []
    for key, _, field, tmpl, found in cases:
        params: dict[str, object] = {}
        for _, name, _, _ in string.Formatter().parse(tmpl):
            if name:
                params[re.split(r"[.\[]", name)[0]] = {"zh": "X", "en": "X"} if "[" in name else "X"
        for m in found:
            params[m["name"]] = {m["item"]: CODE} if m["item"] else CODE
        said = text(key, lang, field, **params) if field != "text" else text(key, lang, **params)  # type: ignore[arg-type]
        code = any(m["pre"] and m["q"] in "'\"" for m in found)
        if NESTED.search(said) or (not code and (f"'{CODE}'" in said or f'"{CODE}"' in said)):
            bad.append((key, field, said))
    assert bad == [], bad


def test_a_working_crs_given_as_text_and_a_kind_are_quoted_once(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """In both languages (English said them once before; Chinese set them in “” again)."""
    for lang, said in (("zh", "给出的是 'nonsense'。"), ("en", "; 'nonsense' was given.")):
        monkeypatch.setenv("YUANLUO_LANG", lang)
        with pytest.raises(CRSError) as e:
            read_layer(tmp_path / "w.gpkg", kind="water", working_crs="nonsense")
        msg = e.value.problems[0].message(lang)  # type: ignore[arg-type]
        assert said in msg and not NESTED.search(msg), msg
        with pytest.raises(InputError) as k:
            read_layer(tmp_path / "w.gpkg", kind="rivr", working_crs="EPSG:4545")
        msg = k.value.problems[0].message(lang)  # type: ignore[arg-type]
        assert "kind='rivr'" in msg and not NESTED.search(msg), msg


def test_rule_settings_and_preset_keywords_are_quoted_once() -> None:
    """In both languages (English said them once before; Chinese set them in “” again)."""
    for lang in ("zh", "en"):
        with pytest.raises(RuleConfigError) as e:
            Rules(20, 50, size_by="rooms")
        msg = e.value.problems[0].message(lang)  # type: ignore[arg-type]
        assert "size_by='rooms'" in msg and not NESTED.search(msg), msg
        with pytest.raises(RuleConfigError) as p:
            preset("banan", max_sise=9)
        msg = p.value.problems[0].message(lang)  # type: ignore[arg-type]
        assert "preset('banan', …)" in msg and not NESTED.search(msg), msg


@pytest.mark.parametrize(("lang", "said"), [("zh", '的值 "5" 不是整数'), ("en", 'the value "5" of ')])
def test_a_command_line_value_with_quotes_is_quoted_once(tmp_path: Path, lang: str, said: str) -> None:
    write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(6)])
    res = CliRunner().invoke(app, ["--lang", lang, "delineate", str(tmp_path / "hh.csv"), "--crs", "EPSG:4490",
                                   "--min", '"5"', "--max", "8", "-o", str(tmp_path / "r.gpkg")])
    assert res.exit_code == 2 and said in res.output and not NESTED.search(res.output), res.output
