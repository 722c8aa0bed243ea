"""A rule file's ``nest_by`` written as one text (session 54, helper U, second round): ``nest_by = "村民小组"`` is
the list of that one name, as ``Rules(nest_by="group")`` is in Python (it was RULE-TYPE); names run together in
one text, ``nest_by = "村, 院落"``, are RULE-TYPE whose fix writes that list in brackets (it showed
["village", "group"] whatever the file named). All fail on 1173cd6."""

from __future__ import annotations

from pathlib import Path

import pytest

from yuanluo.gis.errors import RuleConfigError
from yuanluo.planners.presets import load_rules_file


@pytest.mark.parametrize(("value", "nest"), [('"村民小组"', ("村民小组",)), ('" group "', ("group",)),
                                             ('"Village Name"', ("Village Name",))])
def test_one_name_as_text_is_a_list_of_one(tmp_path: Path, value: str, nest: tuple[str, ...]) -> None:
    p = tmp_path / "r.toml"
    p.write_text(f"min_size = 20\nmax_size = 50\nnest_by = {value}\n", encoding="utf-8")
    assert load_rules_file(p).nest_by == nest


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", '写成如 nest_by = ["村", "院落"] 的形式'), ("en", 'write it like nest_by = ["村", "院落"] (text')])
def test_names_run_together_are_shown_as_the_list(tmp_path: Path, lang: str, said: str) -> None:
    p = tmp_path / "r.toml"
    p.write_text('min_size = 20\nmax_size = 50\nnest_by = "村, 院落"\n', encoding="utf-8")
    with pytest.raises(RuleConfigError) as exc:
        load_rules_file(p)
    assert exc.value.codes == ["RULE-TYPE"] and said in exc.value.problems[0].fix(lang)
