"""Session 45 (helper C): repair holds the head rule as the check does, HEAD-EXCEPTION included.

The check (:func:`~yuanluo.gis.check.rule_head`) excuses the units of an area without a candidate head, as the
warning HEAD-EXCEPTION, while they are no more than the area must have in any plan (its candidates fewer than the
units its size needs, by the shortfall, or a plain proof that no split gives every unit one). Repair's exact model
held every unit to "a candidate in every unit", and the units excused as they stood were left out of its regions: in
an area short of candidates it found no plan where a plan the check passes moves one household. The smallest such
case, found by brute force over every plan of streets of 3-5 households (every labelling of at most three units,
every set of candidates fewer than the units needed, bands 2-2, 2-3, 3-4; each repair against the fewest moves of
any plan :func:`~yuanluo.gis.check.check_plan` passes): four households in a row, no candidate, band 2-3,
U1 = H1-H3 and U2 = H4 (SIZE-LOW): moving H3 into U2 passes (two HEAD-EXCEPTION), and the repair failed, no move.

Now the exact model lets a unit lack a candidate where the check would excuse it, no more units of an area than
it allows, and a unit excused for its head alone is no longer kept out of the regions; the heuristic's head step
leaves such a unit alone and may take a unit's only candidate where the check excuses what it leaves. Every plan
repair writes here passes :func:`~yuanluo.gis.check.check_plan` with the same rules (asserted).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo import build_graph
from yuanluo.gis.check import HeadAreas, check_plan
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules
from yuanluo.planners.cli.app import app

#: the most households a plan may move before the brute force gives up on a case (never reached below)
MAX_K = 5


def _street(n: int, heads: list[int], groups: list[str] | None = None, gap: float = 60.0) -> gpd.GeoDataFrame:
    """``n`` households ``gap`` m apart in a row (every other one 18 m off it), candidates ``heads`` (positions)."""
    xs = 500000 + gap * np.arange(n)
    return gpd.GeoDataFrame({"group": groups or ["G1"] * n, "head_candidate": [i in heads for i in range(n)]},
                            geometry=gpd.points_from_xy(xs, 3265000 + np.where(np.arange(n) % 2, 18, 0)),
                            index=pd.Index([f"H{i + 1}" for i in range(n)], name="hid"), crs="EPSG:4545")


def _plan(hh: gpd.GeoDataFrame, units: list[str]) -> pd.Series:
    return pd.Series(units, index=hh.index, dtype=object)


def _repaired(hh: gpd.GeoDataFrame, labels: pd.Series, rules: Rules):  # type: ignore[no-untyped-def]
    graph = build_graph(hh, max_walk_min=1.0)
    res = repair_plan(hh, labels, rules, graph)
    after = check_plan(hh, res.labels, rules, graph=graph)
    assert after.passed == res.passed  # what repair says of its plan is what the check says
    return res, after


def brute_fewest(hh: gpd.GeoDataFrame, labels: pd.Series, rules: Rules, graph: object) -> int | None:
    """The fewest households moved by any plan the check passes (each moved household into another unit of the
    plan or into one of up to two new units), or None when none moves at most :data:`MAX_K`. Only the band and the
    nesting are ruled out before the check is asked (these streets hold no island); never the heads."""
    lab = labels.astype(str).to_numpy()
    names = sorted(set(lab)) + ["N1", "N2"]
    group = hh["group"].to_numpy()
    for k in range(MAX_K + 1):
        for moved in itertools.combinations(range(len(lab)), k):
            for to in itertools.product(*[[u for u in names if u != lab[h]] for h in moved]):
                if "N2" in to and "N1" not in to:  # the new units are interchangeable: N1 first
                    continue
                plan = lab.copy()
                plan[list(moved)] = to
                if any(len(set(group[plan == u])) > 1 or not rules.min_size <= int((plan == u).sum()) <= rules.max_size
                       for u in set(plan.tolist())):
                    continue
                if check_plan(hh, pd.Series(plan, index=hh.index), rules, graph=graph).passed:
                    return k
    return None


def test_the_smallest_case_one_move() -> None:
    """Four in a row, no candidate, band 2-3, U1 = H1-H3, U2 = H4: H3 into U2, both units HEAD-EXCEPTION (the old
    code: no move, SIZE-LOW left, "the exact model proves that no moves … keep every rule")."""
    hh = _street(4, [])
    labels = _plan(hh, ["U1", "U1", "U1", "U2"])
    rules = Rules(2, 3, require_head=True, keep_settlements=False, nest_by=("group",))
    assert brute_fewest(hh, labels, rules, build_graph(hh, max_walk_min=1.0)) == 1
    res, after = _repaired(hh, labels, rules)
    assert res.passed and res.moves[["hid", "to_unit"]].values.tolist() == [["H3", "U2"]]
    assert sorted(after.violations["code"]) == ["HEAD-EXCEPTION", "HEAD-EXCEPTION"]


def test_a_units_only_candidate_may_leave_where_the_check_excuses_it() -> None:
    """Band 2-2, one candidate (H2) for the two units four households need: U1 = H1, U2 = H2-H4. H2 joins U1, and U2
    (H3, H4) is the one unit the area must leave without a candidate (old code: no move)."""
    hh = _street(4, [1])
    labels = _plan(hh, ["U1", "U2", "U2", "U2"])
    res, after = _repaired(hh, labels, Rules(2, 2, require_head=True, keep_settlements=False, nest_by=("group",)))
    assert res.passed and res.moves[["hid", "to_unit"]].values.tolist() == [["H2", "U1"]]
    assert after.violations["code"].tolist() == ["HEAD-EXCEPTION"]
    assert after.violations["unit_id"].tolist() == ["U2"]


def test_no_more_units_without_a_candidate_than_the_area_must_have() -> None:
    """Six in a row, one candidate (H1), band 2-3: the area needs two units and must leave one without a candidate.
    Three units of two (U2 and U3 without one) is two too many, all PLAN-NO-HEAD: the fewest is two moves (H3 into
    U1, H4 into U3, U2 dissolved), not none — the model is not looser than the check."""
    hh = _street(6, [0])
    labels = _plan(hh, ["U1", "U1", "U2", "U2", "U3", "U3"])
    rules = Rules(2, 3, require_head=True, keep_settlements=False, nest_by=("group",))
    assert sorted(check_plan(hh, labels, rules, graph=build_graph(hh, max_walk_min=1.0)).violations["code"]) == [
        "PLAN-NO-HEAD", "PLAN-NO-HEAD"]
    res, after = _repaired(hh, labels, rules)
    assert res.passed and len(res.moves) == 2
    assert after.violations["code"].tolist() == ["HEAD-EXCEPTION"]


def test_a_unit_above_heads_for_size_with_one_candidate_is_still_too_few() -> None:
    """HEAD-EXCEPTION excuses a unit with no candidate, never one with a single candidate above ``heads_for_size``
    (PLAN-FEW-HEADS). Eight in a row, candidates H1 and H8, band 3-5, two heads above 4: U1 = H1-H5 (5 > 4, one
    candidate) and U2 = H6-H8. The area needs two units and has two candidates, so none may lack one; U1 must come
    down to four: H5 into U2."""
    hh = _street(8, [0, 7])
    labels = _plan(hh, ["U1"] * 5 + ["U2"] * 3)
    rules = Rules(3, 5, require_head=True, keep_settlements=False, nest_by=("group",), heads_for_size=4)
    res, after = _repaired(hh, labels, rules)
    assert res.passed and res.moves[["hid", "to_unit"]].values.tolist() == [["H5", "U2"]]
    assert after.violations.empty


@pytest.mark.parametrize(("n", "heads", "sizes", "moved"), [(11, [6, 10], (7, 4), ["H7", "U2"]),
                                                           (9, [0, 3], (3, 6), ["H4", "U1"])])
def test_session_42s_streets_now_mend_in_one_move(n: int, heads: list[int], sizes: tuple[int, int],
                                                  moved: list[str]) -> None:
    """Session 42's streets (tests/test_s42_c_head_refused.py before this session, band 4-6): U1 = H1-H7 (only
    candidate H7) and U2 = H8-H11 (H11); U1 = H1-H3 (H1) and U2 = H4-H9 (only candidate H4). No split of either
    street gives both units a candidate, so the check excuses one unit without one: moving the only candidate
    passes (the old code left SIZE-HIGH / SIZE-LOW, saying it would not take the unit's only candidate)."""
    hh = _street(n, heads)
    labels = _plan(hh, ["U1"] * sizes[0] + ["U2"] * sizes[1])
    res, after = _repaired(hh, labels, Rules(4, 6, require_head=True, keep_settlements=False, nest_by=("group",)))
    assert res.passed and res.moves[["hid", "to_unit"]].values.tolist() == [moved]
    assert after.violations["code"].tolist() == ["HEAD-EXCEPTION"]


def test_session_44_seed_25() -> None:
    """Session 44's undone case (tests/test_s44_d_repair_brute.py, seed 25 drawn without its candidates added): one
    unit of eight, H1-H2 of G1 without a candidate and six of G2, band 2-5, walking limit 4 min. Four moves pass
    (G1 a unit of its own, HEAD-EXCEPTION, and G2 cut in two); the old code failed after 3 moves."""
    xs = np.cumsum([64, 47, 60, 48, 69, 52, 74, 53])
    hh = _street(8, [2, 4, 5, 6], ["G1"] * 2 + ["G2"] * 6)
    hh = hh.set_geometry(gpd.points_from_xy(500000 + xs, 3265000 + np.where(np.arange(8) % 2, 18, 0)), crs=hh.crs)
    labels = _plan(hh, ["U1"] * 8)
    rules = Rules(2, 5, require_head=True, keep_settlements=False, nest_by=("group",), max_walk_min=4.0)
    assert brute_fewest(hh, labels, rules, build_graph(hh, max_walk_min=1.0)) == 4
    res, after = _repaired(hh, labels, rules)
    assert res.passed and len(res.moves) == 4
    assert after.violations.loc[after.violations["code"] == "HEAD-EXCEPTION", "unit_id"].tolist() == ["U1-2"]
    # the repair says the unit it left without a candidate, as the check excuses it (U1, all eight, had candidates)
    assert ("院落 U1-2 没有院落长候选人：所在片区无论怎样划分总有院落缺院落长，检查将其列为例外（HEAD-EXCEPTION）"
            in res.note_texts("zh"))
    assert ("unit U1-2 has no head candidate: however its area is divided, some unit lacks one, and the check lists "
            "it as an exception (HEAD-EXCEPTION)" in res.note_texts("en"))


def _short_case(seed: int) -> tuple[gpd.GeoDataFrame, pd.Series, Rules]:
    """A street of 6-8 households, 45-75 m apart, of one or two villager groups in runs, typed into 2-3 units of
    consecutive runs with 1-2 slips, band 2-4 or 2-5 (sometimes two heads above 3), a walking limit now and then;
    a candidate each with probability 0.5, and in one group (drawn) fewer candidates than the units its size needs:
    the check's HEAD-EXCEPTION is in play in every case."""
    rng = np.random.default_rng(4500 + seed)
    n = int(rng.integers(6, 9))
    xs = np.cumsum(rng.integers(45, 76, size=n))
    cut = int(rng.integers(2, n - 1))
    group = ["G1"] * cut + ["G2"] * (n - cut) if rng.random() < 0.6 else ["G1"] * n
    k = int(rng.integers(2, 4))
    bounds = sorted(rng.choice(np.arange(1, n), size=k - 1, replace=False).tolist())
    lab = [f"U{int(np.searchsorted(bounds, i, side='right')) + 1}" for i in range(n)]
    for h in rng.choice(n, size=int(rng.integers(1, 3)), replace=False).tolist():
        lab[h] = f"U{int(rng.integers(1, k + 1))}"
    heads = rng.random(n) < 0.5
    lo, hi = (2, 4) if rng.random() < 0.5 else (2, 5)
    short = sorted(set(group))[int(rng.integers(0, len(set(group))))]
    mem = [i for i in range(n) if group[i] == short]
    need = -(-len(mem) // hi)
    keep = [i for i in mem if heads[i]][: max(need - 1, 0)]
    heads[mem] = False
    heads[keep] = True
    hh = _street(n, np.flatnonzero(heads).tolist(), group)
    hh = hh.set_geometry(gpd.points_from_xy(500000 + xs, 3265000 + np.where(np.arange(n) % 2, 18, 0)), crs=hh.crs)
    walk = [None, None, 2.5, 4.0][int(rng.integers(0, 4))]
    big = 3 if rng.random() < 0.25 else None
    rules = Rules(lo, hi, require_head=True, keep_settlements=False, nest_by=("group",), max_walk_min=walk,
                  heads_for_size=big)
    return hh, _plan(hh, lab), rules


def test_every_short_case_has_an_area_the_check_may_excuse() -> None:
    for seed in SEEDS:
        hh, labels, rules = _short_case(seed)
        g = build_graph(hh, max_walk_min=1.0)
        ha = HeadAreas.build(hh, rules, g, np.arange(len(hh)), np.zeros(len(hh)))
        assert max(ha.unavoidable(a) for a in range(len(ha.total))) > 0, seed


#: seeds 3 and 22 draw streets no plan moving at most MAX_K passes (the repair fails there too): the brute force
#: takes 50-120 s to say so, and they are left out
SEEDS = [s for s in range(32) if s not in (3, 22)]


@pytest.mark.parametrize("seed", SEEDS)
def test_repair_moves_the_fewest_where_heads_are_short(seed: int) -> None:
    """Against the brute force: the repair passes with exactly the fewest moves of any plan the check passes, and
    its plan passes the check (or, where no plan moving at most MAX_K passes, it claims none moving fewer)."""
    hh, labels, rules = _short_case(seed)
    fewest = brute_fewest(hh, labels, rules, build_graph(hh, max_walk_min=1.0))
    res, _ = _repaired(hh, labels, rules)
    if fewest is None:
        assert not res.passed or len(res.moves) > MAX_K
        return
    assert res.passed, (seed, fewest, res.reason_lines("en"))
    assert len(res.moves) == fewest, (seed, fewest, res.moves.to_dict("records"))



@pytest.mark.parametrize("lang", ["zh", "en"])
def test_yuanluo_repair_on_the_console(tmp_path: Path, lang: str) -> None:
    """As a planner runs it: ``yuanluo repair hh.csv --plan plan.csv --rules rules.toml -o fixed.csv --moves
    moves.csv`` on the smallest case; exit 0, H3 moved into U2, and ``yuanluo check`` of the repaired plan passes
    with the two HEAD-EXCEPTION warnings."""
    hh = _street(4, [])
    geo = hh.geometry.to_crs(4326)
    pd.DataFrame({"户编号": hh.index, "经度": geo.x.round(8).to_numpy(), "纬度": geo.y.round(8).to_numpy(),
                  "院落长候选": ["否"] * 4}).to_csv(tmp_path / "hh.csv", index=False, encoding="utf-8-sig")
    pd.DataFrame({"户编号": hh.index, "院落编号": ["U1", "U1", "U1", "U2"]}).to_csv(
        tmp_path / "plan.csv", index=False, encoding="utf-8-sig")
    (tmp_path / "rules.toml").write_text("[rules]\nmin_size = 2\nmax_size = 3\nrequire_head = true\n"
                                         "keep_settlements = false\nnest_by = []\n", encoding="utf-8")
    common = [str(tmp_path / "hh.csv"), "--crs", "EPSG:4326", "--rules", str(tmp_path / "rules.toml"),
              "--max-edge-walk", "1"]
    out = CliRunner().invoke(app, ["--lang", lang, "repair", *common, "--plan", str(tmp_path / "plan.csv"),
                                   "-o", str(tmp_path / "fixed.csv"), "--moves", str(tmp_path / "moves.csv")],
                             env={"COLUMNS": "400"})
    assert out.exit_code == 0, out.output
    moves = pd.read_csv(tmp_path / "moves.csv", dtype=str, encoding="utf-8-sig")
    assert moves.iloc[:, :3].values.tolist() == [["H3", "U1", "U2"]]
    fixed = pd.read_csv(tmp_path / "fixed.csv", dtype=str, encoding="utf-8-sig")
    assert fixed.iloc[:, 1].tolist() == ["U1", "U1", "U2", "U2"]
    chk = CliRunner().invoke(app, ["--lang", lang, "check", *common, "--plan", str(tmp_path / "fixed.csv")],
                             env={"COLUMNS": "400"})
    assert chk.exit_code == 0, chk.output
    assert "HEAD-EXCEPTION" in chk.output
