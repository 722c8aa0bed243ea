"""The delineation's "units without a head" tell the truth (session 36, task GB).

(a) With ``require_head``, UNIT-NO-HEAD listed every unit without a candidate head with the advice "find a head in
these units, or adjust their boundaries by hand": the units already reported HEAD-SHORT (their area has too few
candidates: no boundary can help) and the pieces cut off below the floor (RULE-INFEASIBLE: too small to be units)
with the others, each said twice, with advice that cannot work for them (a synthetic village of 600 households
under changshou: 26 units listed, 22 of them HEAD-SHORT and 4 islands of 1–8 households). Now each unit without a
head is said once, under the finding that explains it; UNIT-NO-HEAD keeps the rest, with advice by whether their
boundaries can move.

(b) A HEAD-SHORT of a delineation around locked units did not say that the lock was its cause (the delineator
counts the area's candidates without the locked households). Now it says so, names the locked units, the
candidates they hold and the area's count without the lock, and asks first to unlock them.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from rich.console import Console
from typer.testing import CliRunner

from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.errors import Problem
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.lock import delineate_around
from yuanluo.planners.cli import app

HAN = re.compile(r"[\u3400-\u9fff]")
REDRAW = {"zh": "手工调整院落边界", "en": "adjust their boundaries by hand"}


def _village(parts: list[tuple[int, list[int]]], persons: list[int] | None = None
             ) -> tuple[gpd.GeoDataFrame, TerrainGraph]:
    """Chains of households 100 m apart, one per part (``n`` households, candidates at the positions listed), the
    parts 5 km apart with no edge between them."""
    ids: list[str] = []
    xy: list[tuple[float, float]] = []
    head: list[bool] = []
    edges: list[tuple[int, int]] = []
    for k, (n, heads) in enumerate(parts):
        first = len(ids)
        for i in range(n):
            ids.append(f"H{len(ids):03d}")
            xy.append((100.0 * i, 5000.0 * k))
            head.append(i in heads)
        edges += [(first + i, first + i + 1) for i in range(n - 1)]
    cols: dict[str, list[object]] = {"head_candidate": list(head)}
    if persons is not None:
        cols["persons"] = list(persons)
    xy_arr = np.asarray(xy)
    hh = gpd.GeoDataFrame(cols, index=pd.Index(ids, name="hid"), geometry=gpd.points_from_xy(*xy_arr.T),
                          crs="EPSG:4545")
    return hh, TerrainGraph.from_edges(ids, xy_arr, edges, crs="EPSG:4545")


def _said(problems: list[Problem], units: pd.DataFrame, lo: int) -> dict[str, list[str]]:
    """Per unit without a head, the findings that say why it has none: its own HEAD-SHORT or HEAD-UNPLACED (by its
    ``unit``), RULE-INFEASIBLE for a piece below the floor ``lo`` (too small to be a unit), UNIT-NO-HEAD (by its
    ids)."""
    out: dict[str, list[str]] = {str(u): [] for u in units.loc[~units["has_head"], "unit_id"]}
    pieces = set(units.loc[(units["code"] == "RULE-INFEASIBLE") & (units["size"] < lo), "unit_id"].astype(str))
    for q in problems:
        if q.code == "UNIT-NO-HEAD":
            named = list(q.ids)
        elif q.code in ("HEAD-SHORT", "HEAD-UNPLACED") or (q.code == "RULE-INFEASIBLE"
                                                            and str(q.params.get("unit")) in pieces):
            named = [str(q.params.get("unit", ""))]
        else:
            continue
        for u in named:
            if u in out:
                out[u].append(q.code)
    return out


def _once_under_its_finding(problems: list[Problem], units: pd.DataFrame, lo: int) -> None:
    said = _said(problems, units, lo)
    code = units.set_index("unit_id")["code"]
    size = units.set_index("unit_id")["size"]
    for u, codes in said.items():
        assert len(codes) == 1, (u, code[u], codes)  # said once
        if code[u] in ("HEAD-SHORT", "HEAD-UNPLACED") or (code[u] == "RULE-INFEASIBLE" and size[u] < lo):
            assert codes == [code[u]], (u, codes)  # under the finding that explains it
        else:
            assert codes == ["UNIT-NO-HEAD"], (u, codes)
    for q in problems:
        if q.code == "UNIT-NO-HEAD":  # its advice: never a boundary move for a unit whose area is short
            assert not set(q.ids) & set(units.loc[units["code"] == "HEAD-SHORT", "unit_id"])


def test_head_short_units_and_cut_off_pieces_are_said_once_under_their_own_finding() -> None:
    """Sixty households with one candidate (15–25: three units, two HEAD-SHORT) and an island of five without
    one (RULE-INFEASIBLE): the old UNIT-NO-HEAD listed all three again, advising a boundary move."""
    hh, g = _village([(60, [30]), (5, [])])
    d = UnitDelineator(15, 25, random_state=0).fit(hh, g)
    u = d.units_
    assert (u["code"] == "HEAD-SHORT").sum() == 2 and (u["code"] == "RULE-INFEASIBLE").sum() == 1
    _once_under_its_finding(d.problems_, u, 15)
    assert not any(q.code == "UNIT-NO-HEAD" for q in d.problems_)  # nothing left for it


def test_a_synthetic_village_under_changshou_says_each_unit_without_a_head_once() -> None:
    """The audit's case: a synthetic village of 600 households, 6 candidates, the changshou preset."""
    from yuanluo.gis.synth import make_village
    from yuanluo.planners.presets import preset

    v = make_village(600, seed=1)
    hh = v.households.copy()
    hh["head_candidate"] = hh["head_candidate"] & (np.random.default_rng(1).random(len(hh)) < 0.15)
    from yuanluo.gis.neighbours import build_graph

    d = UnitDelineator.from_rules(preset("changshou"), random_state=0).fit(hh, build_graph(hh))
    u = d.units_
    short = set(u.loc[u["code"] == "HEAD-SHORT", "unit_id"])
    pieces = set(u.loc[(u["code"] == "RULE-INFEASIBLE") & ~u["has_head"], "unit_id"])
    assert len(short) >= 10 and pieces  # the case holds both kinds
    _once_under_its_finding(d.problems_, u, 15)
    # the console's summary: no row lists a HEAD-SHORT unit or a piece under UNIT-NO-HEAD's advice
    from yuanluo.planners import console as C

    for lang in ("zh", "en"):
        C.setup(lang)
        buf = io.StringIO()
        C.print_problem_summary(d.problems_, title="t", stream=Console(file=buf, width=400, highlight=False))
        shown = buf.getvalue()
        assert "UNIT-NO-HEAD" not in shown and REDRAW[lang] not in shown
        assert "HEAD-SHORT" in shown
    C.setup("zh")


def test_a_unit_that_is_its_whole_area_is_not_told_to_move_its_boundaries() -> None:
    """A household of 9 persons above the ceiling of 6 is a unit alone (RULE-INFEASIBLE, at or above the floor):
    it is a unit without a head, said under UNIT-NO-HEAD, whose advice can only be to find one there."""
    hh, g = _village([(6, [])], persons=[2, 2, 9, 2, 2, 2])
    d = UnitDelineator(3, 6, size_by="persons", random_state=0).fit(hh, g)
    u = d.units_
    heavy = u.loc[u["size"] == 9, "unit_id"].tolist()
    (q,) = [p for p in d.problems_ if p.code == "UNIT-NO-HEAD"]
    assert list(q.ids) == heavy
    _once_under_its_finding(d.problems_, u, 3)
    for lang in ("zh", "en"):
        msg = q.message(lang)
        assert REDRAW[lang] not in msg and heavy[0] in msg
        assert (HAN.search(msg) is None) == (lang == "en")
    assert "物色院落长" in q.fix("zh") and "find a head" in q.fix("en")


def test_units_whose_boundaries_can_move_keep_the_advice_to_move_them_and_ids_are_renamed() -> None:
    """RULE-NOSPLIT units without a head (no split found within the budget: another may exist) are told to find a
    head or adjust their boundaries; a locked delineation renames their ids as it renames the others
    (planners.workflows._renamed)."""
    from yuanluo.gis.delineate.result import no_head_problems
    from yuanluo.planners.workflows import _renamed

    u = pd.DataFrame({"unit_id": ["U001", "U002", "U003"], "has_head": [False, False, True], "size": [30, 4, 20],
                      "code": ["RULE-NOSPLIT", "RULE-INFEASIBLE", ""],
                      "reason_params": ['{"why": "nosplit"}', '{"why": "isolated"}', ""]})
    (q,) = no_head_problems(u, 15)
    assert q.ids == ("U001",)
    assert q.fix("zh") == "在这些院落中物色院落长，或手工调整院落边界。"
    assert q.fix("en") == "find a head in these units, or adjust their boundaries by hand."
    assert _renamed(q, {"U001": "U007"}).ids == ("U007",)


def _locked_case(n: int) -> tuple[gpd.GeoDataFrame, TerrainGraph, pd.Series]:
    """``n`` households in a row, candidates at the 6th and the 19th, both in the plan's unit U1 (the first 20)."""
    hh, g = _village([(n, [5, 18])])
    plan = pd.Series(["U1" if i < 20 else "U2" for i in range(n)], index=hh.index)
    return hh, g, plan


def test_a_head_short_the_lock_causes_says_the_lock_is_why() -> None:
    """Forty households, 15–25: unlocked, a cut between the two candidates gives each unit one. With U1 (both
    candidates) locked, the other twenty have none: HEAD-SHORT, and the lock is why."""
    hh, g, plan = _locked_case(40)
    free = UnitDelineator(15, 25, random_state=0).fit(hh, g)
    assert free.units_["has_head"].all()  # without the lock, every unit has a head
    res = delineate_around(hh, g, plan, ["U1"], lambda: UnitDelineator(15, 25, random_state=0))
    (q,) = [p for p in res.model.problems_ if p.code == "HEAD-SHORT"]
    zh, en = q.message("zh"), q.message("en")
    assert "原因在于锁定：不锁定院落 U1（其中有院落长候选人 2 名）时，所在连通片区共 40 户，需要 2 名院落长候选人，有 2 名" in zh
    assert "the lock is why: without the lock on U1 (head candidates held: 2), its connected area would hold 40 " \
           "households, needing 2 head candidates and having 2, enough" in en
    # met from Python: the fix names the keyword and the function, asked first
    assert q.fix("zh").startswith("从 “locked” 中去掉院落 U1，用 “delineate_around”")
    assert q.fix("en").startswith("take U1 out of locked and delineate again with delineate_around")
    assert HAN.search(en) is None and not re.search(r"\b(the|lock|unlock)\b", zh)


def test_a_head_short_not_caused_by_the_lock_does_not_blame_it() -> None:
    """Sixty households: the forty outside U1 need two candidates and have none, and the whole row needs three and
    has two: short with or without the lock, so nothing is said of the lock."""
    hh, g, plan = _locked_case(60)
    res = delineate_around(hh, g, plan, ["U1"], lambda: UnitDelineator(15, 25, random_state=0))
    short = [p for p in res.model.problems_ if p.code == "HEAD-SHORT"]
    assert short
    for q in short:
        assert "锁定" not in q.message("zh") and "lock" not in q.message("en")


def test_delineate_with_a_locked_plan_says_the_lock_is_why_on_the_console(tmp_path: Path) -> None:
    """``yuanluo delineate … --plan`` with U1 locked in the plan's lock column: the console's HEAD-SHORT names U1
    as the cause and asks to unlock it (--lock, the lock column), under the new unit's id (U2)."""
    n = 40
    pd.DataFrame({"hid": [f"H{i:03d}" for i in range(n)], "x": [3300000.0] * n,
                  "y": [500000.0 + 20.0 * i for i in range(n)],
                  "head_candidate": ["是" if i in (5, 18) else "否" for i in range(n)]}).to_csv(
        tmp_path / "hh.csv", index=False)
    pd.DataFrame({"户编号": [f"H{i:03d}" for i in range(n)], "院落编号": ["U1" if i < 20 else "U2" for i in range(n)],
                  "锁定": ["是" if i < 20 else "" for i in range(n)]}).to_csv(tmp_path / "plan.csv", index=False)
    for lang in ("zh", "en"):
        out = tmp_path / f"out_{lang}.gpkg"
        res = CliRunner().invoke(app, ["delineate", str(tmp_path / "hh.csv"), "--crs", "EPSG:4545", "--preset",
                                       "changshou", "--plan", str(tmp_path / "plan.csv"), "-o", str(out),
                                       "--lang", lang], env={"COLUMNS": "400"})
        assert res.exit_code == 0, res.output
        flat = re.sub(r"[│┃\s]+", "", res.output)
        if lang == "zh":
            assert "院落U2有20户，没有足够的院落长候选人" in flat and "原因在于锁定：不锁定院落U1" in flat
            assert "处理办法：解除院落U1的锁定（从--lock中去掉其编号，或清空方案表中其锁定列）" in flat
        else:
            assert "U2has20householdsandlacksaheadcandidate" in flat and "thelockiswhy:withoutthelockonU1" in flat
            assert "Fix:unlockU1(taketheidsoutof--lock,orclearthelockcellsintheplan)" in flat
        units = gpd.read_file(out, layer="units").set_index("unit_id")
        assert units.loc["U2", "code"] == "HEAD-SHORT" and units.loc["U1", "status"] == "locked"


@pytest.fixture(autouse=True)
def _no_lang_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("YUANLUO_LANG", raising=False)
