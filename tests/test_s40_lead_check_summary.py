"""The check summary's count of exceptions reads right in English for one unit (helper H's report, session 40):
' (1 of them exceptions)' was printed, which english_one cannot put in the singular."""
import re

import pytest

from yuanluo.gis.catalogue import english_one, text


@pytest.mark.parametrize("n", [1, 2, 17])
def test_exception_count_reads_for_any_count(n: int) -> None:
    s = english_one(text("cli.check.exceptions", "en", n=n))
    assert not re.search(r"\b1 (of them )?exceptions\b", s)
    assert str(n) in s
    zh = text("cli.check.exceptions", "zh", n=n)
    assert f"{n} 个为例外" in zh and not re.search(r"[A-Za-z]", zh)
