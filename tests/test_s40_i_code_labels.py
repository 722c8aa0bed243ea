"""Audit s40 G §4: the check report's count table showed RULE-UNAPPLIED as a bare code where the others have a
name (无法避免的户数例外（SIZE-EXCEPTION）). Every code a check's findings can carry now has one, in zh and en."""

from __future__ import annotations

import pytest

from yuanluo.planners.report import code_words


@pytest.mark.parametrize("code", ["RULE-UNAPPLIED", "LOCK-BREACH", "SIZE-EXCEPTION", "PLAN-NO-HEAD"])
def test_every_finding_code_has_a_name(code: str) -> None:
    zh, en = code_words(code, "zh"), code_words(code, "en")
    assert zh.endswith(f"（{code}）") and en.endswith(f" ({code})"), (zh, en)
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in en), en


def test_rule_unapplied_reads_as_a_name() -> None:
    assert code_words("RULE-UNAPPLIED", "zh") == "规则未能执行（RULE-UNAPPLIED）"
    assert code_words("RULE-UNAPPLIED", "en") == "rule not applied (RULE-UNAPPLIED)"
