"""Audit s29 M §5 and a helper's note: the wording of the rule-file messages RULE-OUTSIDE and RULE-FILE-DUPKEY
(one key or several, a table given twice) and of ID-PERSONAL (landline and bank-card numbers too), in both
languages, through the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from badfiles import HEADER, good_rows, write_csv
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


def _check(tmp: Path, body: str, lang: str) -> tuple[int, str]:
    hh = write_csv(tmp, "农户.csv", [HEADER, *good_rows(6)])
    rules = tmp / "town.toml"
    rules.write_text(body, encoding="utf-8")
    res = runner.invoke(app, ["--lang", lang, "check", str(hh), "--crs", "EPSG:4490", "--unit-col", "村民小组",
                              "--rules", str(rules)], env={"COLUMNS": "400"})
    return res.exit_code, " ".join(res.output.split())


# ------------------------------------------------------------------------------ RULE-OUTSIDE: one key, several


@pytest.mark.parametrize(("body", "zh", "en"), [
    ("max_walk_min = 8\n[rules]\nmin_size = 20\nmax_size = 50\n",
     ("“max_walk_min” 写在", "第 1 行", "把 “max_walk_min” 移到 “[rules]” 这一行之后"),
     ("has max_walk_min above its [rules] header (row 1)", "move max_walk_min below the [rules] line")),
    ("min_size = 20\nmax_walk_min = 5\n[rules]\nmax_size = 50\n",
     ("“min_size”、“max_walk_min” 写在", "第 1、2 行", "把 “min_size”、“max_walk_min” 移到 “[rules]” 这一行之后"),
     ("has min_size, max_walk_min above its [rules] header (rows 1, 2)",
      "move min_size, max_walk_min below the [rules] line")),
])
def test_keys_above_the_header_read_right_for_one_and_several(tmp_path: Path, body: str, zh: tuple[str, ...],
                                                               en: tuple[str, ...]) -> None:
    for lang, says in (("zh", zh), ("en", en)):
        rc, out = _check(tmp_path, body, lang)
        assert rc == 2 and "RULE-OUTSIDE" in out, out
        assert all(s in out for s in says), (says, out)
        assert "这几行" not in out and "those lines" not in out and " come before" not in out, out
        assert "min_size, max_walk_min" not in out or lang == "en", out


# ------------------------------------------------------------------------------ RULE-FILE-DUPKEY: a table twice
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_table_given_twice_says_to_merge_the_tables(tmp_path: Path, lang: str) -> None:
    body = '[rules]\nmin_size = 20\nmax_size = 50\nnest_by = ["village", "group"]\n[rules]\nmax_walk_min = 5\n'
    rc, out = _check(tmp_path, body, lang)
    assert rc == 2 and "RULE-FILE-DUPKEY" in out, out
    says = (("“[rules]” 写了两次", "第 1 行和第 5 行", "合并", "第 5 行表头之下的各行移到第 1 行", "删去第 5 行的表头")
            if lang == "zh" else
            ("gives [rules] twice", "row 1 and row 5", "merge the two tables", "move the lines below the second",
             "(row 5)", "delete the second [rules] header"))
    assert all(s in out for s in says), (says, out)
    assert "要用的那个值" not in out and "the value you mean" not in out, out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_key_given_twice_keeps_the_value_wording(tmp_path: Path, lang: str) -> None:
    rc, out = _check(tmp_path, "[rules]\nmin_size = 20\nmax_size = 50\nmin_size = 25\n", lang)
    assert rc == 2 and "RULE-FILE-DUPKEY" in out, out
    assert ("要用的那个值" if lang == "zh" else "the value you mean") in out, out


# ------------------------------------------------------------------------------ ID-PERSONAL: landlines, bank cards
def _luhn(body: str) -> str:
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


@pytest.mark.parametrize("kind", ["landline", "bank_card"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ids_that_are_landlines_or_bank_cards_are_named_so(tmp_path: Path, lang: str, kind: str) -> None:
    ids = ([f"023-681234{i:02d}" for i in range(4)] if kind == "landline" else
           [_luhn(f"621700000000000{i:03d}") for i in range(4)])
    lines = ["编号,户编号,经度,纬度,人口"] + [f"{h},H{i},{106.5 + 0.0004 * i:.6f},29.500000,3"
                                             for i, h in enumerate(ids)]
    path = tmp_path / "ids.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = runner.invoke(app, ["--lang", lang, "validate", str(path), "--crs", "EPSG:4490", "--id-col", "编号"],
                        env={"COLUMNS": "400"})
    out = " ".join(res.output.split())
    assert "ID-PERSONAL" in out, out
    says = {("zh", "landline"): "里有固定电话号码。", ("zh", "bank_card"): "里有银行卡号。",
            ("en", "landline"): "hold landline phone numbers.", ("en", "bank_card"): "hold bank card numbers."}
    assert says[lang, kind] in out, (says[lang, kind], out)
    assert "身份证号码或手机号码" not in out and "id-card or mobile numbers" not in out, out
