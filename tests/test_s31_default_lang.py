"""The Python API's texts that take a language say it, without one, in ``YUANLUO_LANG``'s language (as errors
do): a notebook that set English got Chinese from ``RepairResult.reason()``, ``cut_summary`` and the reasons of a
units table."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from yuanluo.gis.delineate.reasons import reasons_in, render_reason, unit_reasons
from yuanluo.gis.graph import TerrainGraph, cut_summary
from yuanluo.gis.repair import RepairResult

PARAMS = {"size": 22, "heads": 0, "need": 1, "why": "head_unplaced", "total": 40, "lo": 15, "hi": 25}


def _result() -> RepairResult:
    return RepairResult(labels=pd.Series(dtype=object), moves=pd.DataFrame(), passed=False,
                        reasons=[("repair.why.infeasible", {"n_units": 3})],
                        notes=[("repair.why.infeasible", {"n_units": 1})])


@pytest.mark.parametrize(("env", "word"), [("en", "exact model"), ("zh", "精确模型"), ("", "精确模型")])
def test_repair_texts_follow_yuanluo_lang(monkeypatch: pytest.MonkeyPatch, env: str, word: str) -> None:
    monkeypatch.setenv("YUANLUO_LANG", env)
    res = _result()
    assert word in (res.reason() or "") and word in res.reason_lines()[0] and word in res.note_texts()[0]
    assert "精确模型" in (res.reason("zh") or "") and "exact model" in (res.reason("en") or "")  # a language given wins


def test_cut_summary_and_unit_reasons_follow_yuanluo_lang(monkeypatch: pytest.MonkeyPatch) -> None:
    g = TerrainGraph("EPSG:4545", ["a", "b"], [[0, 0], [9, 0]], [], [], [], [], meta={"max_walk_min": 10.0})
    g.cut = pd.DataFrame({"u": [0], "v": [1], "length_m": [9.0], "walk_min": [1.0], "reason": ["river"]})
    t = pd.DataFrame({"code": ["HEAD-SHORT"], "reason": ["院落…"], "reason_params": [json.dumps(PARAMS)]})
    monkeypatch.setenv("YUANLUO_LANG", "en")
    assert cut_summary(g) == cut_summary(g, "en") != cut_summary(g, "zh")
    assert render_reason("HEAD-SHORT", PARAMS) == render_reason("HEAD-SHORT", PARAMS, "en")
    assert reasons_in(t)[0] == reasons_in(t, "en")[0] and reasons_in(t)[0].startswith("too few head candidates")
    assert unit_reasons(t)[0] == unit_reasons(t, "en")[0] != unit_reasons(t, "zh")[0]
    monkeypatch.delenv("YUANLUO_LANG")
    assert cut_summary(g) == cut_summary(g, "zh") and render_reason("HEAD-SHORT", PARAMS).startswith(
        render_reason("HEAD-SHORT", PARAMS, "zh")[:4])
