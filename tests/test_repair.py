"""Tests of yuanluo.gis.repair: repairs need at most as many moves as were planted, and explain failures.

Fixture: an 8 x 5 grid, 50 m apart, 4-neighbour edges; valid plan A = columns 0-3, B = columns 4-7
(20 households each), band 20-20 unless stated.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import points

from yuanluo.gis.check import check_plan
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules

CRS = "EPSG:32631"


def grid(nx: int = 8, ny: int = 5):
    ii, jj = np.meshgrid(np.arange(nx), np.arange(ny), indexing="ij")
    ii, jj = ii.ravel(), jj.ravel()
    ids = [f"h{i:02d}{j:02d}" for i, j in zip(ii, jj, strict=True)]
    xy = np.c_[ii * 50.0, jj * 50.0]
    idx = np.arange(nx * ny).reshape(nx, ny)
    e = np.r_[np.c_[idx[:-1].ravel(), idx[1:].ravel()], np.c_[idx[:, :-1].ravel(), idx[:, 1:].ravel()]]
    hh = gpd.GeoDataFrame(geometry=points(xy), crs=CRS, index=pd.Index(ids, name="hid"))
    return hh, TerrainGraph.from_edges(ids, xy, e, crs=CRS), ii, jj


def valid(nx: int = 8, ny: int = 5, width: int = 4):
    hh, g, ii, jj = grid(nx, ny)
    return hh, g, pd.Series([f"U{c}" for c in ii // width], index=hh.index), ii, jj


def test_valid_plan_needs_no_moves():
    hh, g, lab, _, _ = valid()
    res = repair_plan(hh, lab, Rules(20, 20), g)
    assert res.passed and len(res.moves) == 0 and res.reason_if_not is None


def test_one_household_moved_back():
    hh, g, lab, _, _ = valid()
    bad = lab.copy()
    bad["h0302"] = "U1"
    assert not check_plan(hh, bad, Rules(20, 20), graph=g).passed
    res = repair_plan(hh, bad, Rules(20, 20), g)
    assert res.passed and len(res.moves) == 1
    assert res.moves.iloc[0][["from_unit", "to_unit"]].tolist() == ["U1", "U0"]
    pd.testing.assert_series_equal(bad, bad.copy())  # input untouched


def test_noncontig_and_unassigned_fixed():
    hh, g, lab, _, _ = valid()
    bad = lab.copy()
    bad["h0000"] = "U1"   # island of U1 inside U0
    bad["h0704"] = None   # unassigned
    res = repair_plan(hh, bad, Rules(20, 20), g)
    assert res.passed and len(res.moves) == 2
    assert set(res.moves["reason"]) == {"noncontig", "unassigned"}


def test_chain_through_a_unit():
    """U0 too small, U2 too big, U1 in between: one move per link of the chain U2 -> U1 -> U0."""
    hh, g, lab, _, _ = valid(12, 5)
    bad = lab.copy()
    bad["h0302"] = "U1"
    bad["h0702"] = "U2"
    assert sorted(check_plan(hh, bad, Rules(20, 20), graph=g, unapplied=False).violations["code"]) == ["SIZE-HIGH",
                                                                                       "SIZE-LOW"]
    res = repair_plan(hh, bad, Rules(20, 20), g)
    assert res.passed and len(res.moves) <= 2


def test_isolated_component_too_small_is_an_exception_not_a_repair():
    hh, g, lab, _, _ = valid(3, 3, width=3)  # one island of 9 households, floor 20
    res = repair_plan(hh, lab, Rules(20, 50), g)
    assert res.passed and len(res.moves) == 0
    # the rules the grid has no column for (village and group, settlement, candidate head) are said too (session 32)
    assert list(res.check.violations["code"]) == ["RULE-UNAPPLIED"] * 3 + ["SIZE-EXCEPTION"]
    assert (res.check.violations["severity"] == "warning").all()
    # the unit is an exception, not "ok": the report, the tables and the map say 例外
    assert res.check.units[["status", "codes"]].values.tolist() == [["exception", ["SIZE-EXCEPTION"]]]
    assert (res.check.summary()["n_units_ok"], res.check.summary()["n_units_exception"]) == (0, 1)


def test_unrepairable_plan_names_the_blocks():
    """Six stripes of 3 households alternating between two villager groups, floor 20, and a plan of one unit
    per group: each unit is broken into stripes that nesting forbids to join. Each stripe is an island the check
    excuses as one exception unit, so the repair makes each stripe a unit of its own (session 36, GL: 12 moves,
    the fewest; it said no move could fix it and named the stripes as blocks)."""
    hh, g, _, _ = grid(6, 3)
    hh["group"] = np.where(np.arange(len(hh)) % 6 < 3, "G1", "G2")
    lab = pd.Series(hh["group"].map({"G1": "A", "G2": "B"}).to_numpy(), index=hh.index)
    res = repair_plan(hh, lab, Rules(20, 50), g)
    assert res.passed and len(res.moves) == 12 and set(res.moves["reason"]) == {"island"}
    assert res.labels.groupby(res.labels).size().tolist() == [3] * 6


def test_a_walking_failure_does_not_blame_an_island():
    """An island too small for the band (a warning in the check) holds back nothing a walking limit asks: when
    only the walk is left unfixed, the reason names no blocks (it did: "connected blocks … 2 (i0, i1)")."""
    ids = [f"h{i}" for i in range(10)] + ["i0", "i1"]
    xy = [[50 * i, 0] for i in range(10)] + [[5000, 5000], [5050, 5000]]
    hh = gpd.GeoDataFrame(geometry=points(xy), crs=CRS, index=pd.Index(ids, name="hid"))
    g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(9)] + [(10, 11)], crs=CRS)
    lab = pd.Series(["A"] * 5 + ["B"] * 5 + ["C"] * 2, index=ids)
    rules = Rules(5, 5, max_walk_min=1.6, require_head=False, nest_by=(), keep_settlements=False)
    res = repair_plan(hh, lab, rules, g, meeting_points=pd.Series({"A": "h0", "B": "h9", "C": "i0"}))
    # session 41 E2 (audit G §1): the walk failed only for the far given points h0 and h9, which the repair now
    # lets go (A and B walk to their centres), so nothing is left to blame on the island either
    assert res.passed and res.moves.empty and res.reason_if_not is None
    assert res.meeting_points is not None and res.meeting_points[["A", "B"]].tolist() == ["h2", "h7"]
    assert [n[1]["unit"] for n in res.notes if n[0] == "repair.note.meeting_walk"] == ["A", "B"]


def test_merge_when_moves_cannot():
    """Two units of 3 on a path of 6, band 5-8: no chain can fill either; merging does."""
    hh, g, lab, _, _ = valid(6, 1, width=3)
    res = repair_plan(hh, lab, Rules(5, 8), g)
    assert res.passed and res.note_texts("en") == ["unit U1 dissolved, 3 households in it: 3 households went to U0"]
    assert set(res.moves["reason"]) == {"merge"}


def test_split_when_moves_cannot():
    hh, g, _, _ = grid(8, 5)
    lab = pd.Series("U0", index=hh.index)  # one unit of 40, band 15-25
    res = repair_plan(hh, lab, Rules(15, 25), g)
    assert res.passed and any(n.startswith("new unit U0-2 (") for n in res.note_texts("en"))
    assert res.labels.nunique() == 2


def test_max_moves_stops():
    hh, g, lab, _, _ = valid()
    bad = lab.copy()
    bad[["h0300", "h0301", "h0302"]] = "U1"
    res = repair_plan(hh, bad, Rules(20, 20), g, max_moves=1)
    assert not res.passed and len(res.moves) == 1 and "max_moves=1" in res.reason_if_not


@settings(deadline=None, max_examples=10)
@given(seed=st.integers(0, 10_000), k=st.integers(1, 4))
def test_property_k_boundary_moves_need_at_most_k(seed, k):
    """Move k households across unit borders of a valid plan (band 20-20); repair needs <= k moves."""
    hh, g, lab, ii, jj = valid(12, 5)
    rng = np.random.default_rng(seed)
    bad = lab.copy()
    units = ii // 4
    # households on a vertical unit border, moved to the unit on the other side
    border = np.flatnonzero((ii % 4 == 3) & (ii < 11))
    pick = rng.choice(border, k, replace=False)
    bad.iloc[pick] = [f"U{u + 1}" for u in units[pick]]
    res = repair_plan(hh, bad, Rules(20, 20), g)
    assert res.passed, res.reason_if_not
    assert len(res.moves) <= k
    assert res.labels.notna().all()


def _row_with_heads(n: int, heads: list[int]):
    ids = [f"h{i:02d}" for i in range(n)]
    xy = [[50 * i, 0] for i in range(n)]
    hh = gpd.GeoDataFrame({"head_candidate": [i in heads for i in range(n)]}, geometry=points(xy),
                          crs="EPSG:32631", index=pd.Index(ids, name="hid"))
    g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(n - 1)], crs="EPSG:32631")
    return hh, g, ids


def test_unit_without_a_head_gets_one_in_one_move():
    hh, g, ids = _row_with_heads(8, [4, 6])
    labels = pd.Series(list("AAAABBBB"), index=ids)
    assert "PLAN-NO-HEAD" in check_plan(hh, labels, Rules(3, 5), graph=g).codes
    res = repair_plan(hh, labels, Rules(3, 5), g)
    assert res.passed
    assert res.moves[["hid", "from_unit", "to_unit", "reason"]].values.tolist() == [["h04", "B", "A", "head"]]


def test_head_travels_along_the_shortest_chain():
    hh, g, ids = _row_with_heads(12, [4, 8, 10])
    labels = pd.Series(list("AAAABBBBCCCC"), index=ids)
    res = repair_plan(hh, labels, Rules(3, 5), g)
    assert res.passed
    assert sorted(res.moves[["hid", "from_unit", "to_unit"]].values.tolist()) == [["h04", "B", "A"],
                                                                                  ["h08", "C", "B"]]


def test_a_unit_no_split_can_give_a_head_is_an_exception_and_nothing_moves():
    """Band 4–4 on a row of 8 leaves one split, and both candidates lie in B: A cannot have one in any plan
    (proven), so the check reports the warning HEAD-EXCEPTION and the repair has nothing to do."""
    hh, g, ids = _row_with_heads(8, [4, 6])
    labels = pd.Series(list("AAAABBBB"), index=ids)
    res = repair_plan(hh, labels, Rules(4, 4), g)
    assert res.passed and res.moves.empty
    assert res.check.codes == ["HEAD-EXCEPTION", "RULE-UNAPPLIED"]  # no village, group or settlement column


def test_head_chain_that_breaks_the_band_is_undone():
    """Band 4–4 on a row of 12 with both candidates in C: A and B lack one (the check proves only that one
    unit must), and every chain that brings one breaks the band, so it is undone."""
    hh, g, ids = _row_with_heads(12, [8, 10])
    labels = pd.Series(list("AAAABBBBCCCC"), index=ids)
    res = repair_plan(hh, labels, Rules(4, 4), g)
    assert not res.passed and res.moves.empty
    assert res.check.codes == ["PLAN-NO-HEAD", "RULE-UNAPPLIED"]  # no village, group or settlement column


def test_the_violations_left_are_the_errors_not_the_warnings():
    """Two rows, band 4–4: in the first (8 households, candidates in B) A lacking a candidate is unavoidable
    (HEAD-EXCEPTION, a warning); in the second (12, candidates in E) C and D lack one where one must, and no
    chain keeps the band. The reason "violations left" names the error, not the warning."""
    ids = [f"h{i:02d}" for i in range(20)]
    xy = [[50 * i, 0] for i in range(20)]
    hh = gpd.GeoDataFrame({"head_candidate": [i in (4, 6, 16, 18) for i in range(20)]}, geometry=points(xy),
                          crs="EPSG:32631", index=pd.Index(ids, name="hid"))
    g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(19) if i != 7], crs="EPSG:32631")
    res = repair_plan(hh, pd.Series(list("AAAABBBBCCCCDDDDEEEE"), index=ids), Rules(4, 4), g)
    assert res.check.codes == ["HEAD-EXCEPTION", "PLAN-NO-HEAD", "RULE-UNAPPLIED"] and not res.passed
    assert [p for key, p in res.reasons if key == "repair.reason.left"] == [{"codes": ["PLAN-NO-HEAD"]}]


# ------------------------------------------------------------------------------ every rule, fewest moves
def _small_case(seed: int):
    """A 4 x 2 grid (50 m, 0.75 min apart) in two villager groups, random candidates, a settlement (column 0)
    in every other case and a random plan of three units; rules band 2–4 (or 2–3), nesting by group, heads,
    settlements, and a walking limit in two cases of three. The meeting points (each unit's first household)
    are given, so every unit that keeps households keeps its meeting point."""
    rng = np.random.default_rng(seed)
    hh, g, _, _ = grid(4, 2)
    n = len(hh)
    hh["group"] = np.where(np.arange(n) < 4, "G1", "G2")  # columns 0-1 | columns 2-3
    hh["head_candidate"] = rng.random(n) < 0.6
    hh["settlement"] = pd.array(np.where(np.arange(n) < 2 * (seed % 2), "S1", None), dtype="string")
    lab = pd.Series(rng.choice(["U0", "U1", "U2"], n), index=hh.index, dtype=object)
    if rng.random() < 0.3:
        lab.iloc[int(rng.integers(n))] = None
    limit = [None, 1.0, 1.6][seed % 3]
    rules = Rules(2, int(rng.choice([3, 4])), nest_by=("group",), require_head=True, keep_settlements=True,
                  max_walk_min=limit)
    meet = lab.dropna().groupby(lab.dropna()).apply(lambda s: sorted(s.index)[0])
    return hh, g, lab, rules, meet


def _brute_force(hh, g, lab, rules, meet, region: list[str]) -> int | None:
    """The fewest moves over every plan that changes only the region's units (None when none is valid), with
    the rules of gis.check written out plainly; a unit without a candidate head only where the check excuses it
    (HEAD-EXCEPTION: :meth:`yuanluo.gis.check.HeadAreas.excused`, session 45)."""
    import itertools

    from yuanluo.gis.check import HeadAreas

    areas = HeadAreas.build(hh, rules, g, np.asarray(g.index_of(np.asarray(hh.index, dtype=object))),
                            np.zeros(len(hh)))

    ids = list(hh.index)
    nb: dict[str, set[str]] = {h: set() for h in ids}
    for a, b in zip(np.asarray(g.ids)[g.u], np.asarray(g.ids)[g.v], strict=True):
        nb[a].add(b)
        nb[b].add(a)
    step, limit = float(g.walk_min.max()), rules.max_walk_min
    group, head = hh["group"].to_dict(), hh["head_candidate"].to_dict()
    settle = [list(m) for _, m in hh.groupby("settlement").groups.items() if len(m) <= rules.max_size]

    def valid(plan: dict[str, str]) -> bool:
        units: dict[str, list[str]] = {}
        for h, u in plan.items():
            units.setdefault(u, []).append(h)
        for u, mem in units.items():
            if not rules.min_size <= len(mem) <= rules.max_size or len({group[h] for h in mem}) > 1:
                return False
            start = meet.get(u)  # a unit keeps its meeting point (the repair's anchor)
            if start not in mem:
                return False
            dist, frontier = {start: 0}, [start]
            while frontier:
                nxt = []
                for x in frontier:
                    for y in nb[x]:
                        if plan[y] == u and y not in dist:
                            dist[y] = dist[x] + 1
                            nxt.append(y)
                frontier = nxt
            if len(dist) < len(mem) or (limit is not None and max(dist.values()) * step > limit + 1e-9):
                return False
        names = sorted(units)
        codes = np.array([names.index(plan[h]) for h in ids])
        lacking = np.array([j for j, u in enumerate(names) if not any(head[h] for h in units[u])], dtype=np.int64)
        if len(lacking) and len(areas.excused(codes, lacking)) < len(lacking):
            return False
        return all(len({plan[h] for h in mem}) == 1 for mem in settle)

    free = [h for h in ids if lab[h] is None or lab[h] in region]
    best = None
    for combo in itertools.product(sorted(region), repeat=len(free)):
        moves = sum(c != lab[h] for h, c in zip(free, combo, strict=True))
        if best is not None and moves >= best:
            continue
        plan = {h: lab[h] for h in ids}
        plan.update(zip(free, combo, strict=True))
        if valid(plan):
            best = moves
    return best


def test_exact_repair_equals_the_brute_force_optimum_on_small_cases():
    solved = infeasible = 0
    for seed in (0, 3, 5, 11):  # three solved exactly, one proven infeasible (the brute force agrees)
        hh, g, lab, rules, meet = _small_case(seed)
        res = repair_plan(hh, lab, rules, g, meeting_points=meet)
        if res.method == "none":
            continue
        best = _brute_force(hh, g, lab, rules, meet, res.region_units)
        if res.method == "exact":
            solved += 1
            assert res.passed and len(res.moves) == best, (seed, len(res.moves), best)
            assert check_plan(hh, res.labels, rules, graph=g, meeting_points=res.meeting_points).passed
        else:
            infeasible += res.exact_status == "infeasible"
            assert res.exact_status != "infeasible" or best is None, (seed, best)
            assert res.passed or res.reasons, seed
    # seed 0 was proven infeasible until session 45: its plan moving 3 leaves a unit without a candidate,
    # which the check excuses (HEAD-EXCEPTION), and the repair now holds that rule as the check does
    assert solved == 3 and infeasible == 1, (solved, infeasible)


def test_every_violation_left_has_its_own_reason():
    hh, g, ids = _row_with_heads(12, [8, 10])
    labels = pd.Series(list("AAAABBBBCCCC"), index=ids)
    res = repair_plan(hh, labels, Rules(4, 4), g)
    assert not res.passed and res.exact_status == "infeasible"
    per = [r for r in res.reasons if r[0] == "repair.reason.violation"]
    assert [(p["code"], p["unit"]) for _, p in per] == [("PLAN-NO-HEAD", "A"), ("PLAN-NO-HEAD", "B")]
    assert "PLAN-NO-HEAD (unit A): the exact model proves" in res.reason("en")
    assert "PLAN-NO-HEAD（院落 A）：精确模型证明" in res.reason("zh")


def _sample_plan():
    """The bundled real sample (951 households of an Andorran parish) in two villager groups split at the
    median easting, about 8 % candidates, delineated under a 15–40 band; only the units that pass every rule
    with a walking limit of 10 minutes are kept (the others' households are dropped with them)."""
    from yuanluo.gis.cluster import UnitDelineator
    from yuanluo.planners import workflows as W

    inputs = W.load_inputs(W.sample_paths()["households"])
    hh = inputs.households.copy()
    x = hh.geometry.x.to_numpy()
    hh["group"] = np.where(x < np.median(x), "一组", "二组")
    hh["head_candidate"] = np.random.default_rng(0).random(len(hh)) < 0.08
    inputs.households = hh
    g, _ = W.plan_graph(inputs)
    rules = Rules(15, 40, nest_by=("group",), require_head=True, max_walk_min=10.0)
    model = UnitDelineator.from_rules(rules, random_state=0).fit(hh, g)
    meet = model.units_.set_index("unit_id")["meeting_hid"]
    first = check_plan(hh, model.labels_, rules, graph=g, meeting_points=meet)
    bad = set(first.violations["unit_id"].dropna()) | set(model.units_.loc[model.units_["status"] != "ok", "unit_id"])
    keep = model.labels_[~model.labels_.isin(bad)].index
    hh, labels = hh.loc[keep], model.labels_[keep].astype(object)
    g = g.subgraph(g.index_of(np.asarray(keep, dtype=object)))
    assert check_plan(hh, labels, rules, graph=g, meeting_points=meet).passed
    return hh, g, labels, rules, meet


def _plant(hh, g, labels, rules, meet, code: str, taken: set[str]):
    """Move one household to a neighbouring unit so that the plan breaks ``code`` (and nothing is re-used)."""
    ids = np.asarray(g.ids)
    pairs = sorted({(a, b) for a, b in zip(ids[g.u], ids[g.v], strict=True)} | {(b, a) for a, b in
                                                                               zip(ids[g.u], ids[g.v], strict=True)})
    if code == "PLAN-WALK-LIMIT":  # farthest from the meeting point of the unit it would join first
        pt = hh.geometry
        pairs.sort(key=lambda p: -pt[p[0]].distance(pt[meet[labels[p[1]]]]))
    base = set(check_plan(hh, labels, rules, graph=g, meeting_points=meet).codes)
    for h, other in pairs:
        src, dst = labels[h], labels[other]
        if src == dst or {src, dst} & taken or meet[src] == h:
            continue
        if (code == "PLAN-CROSS-GROUP") == (hh.loc[h, "group"] == hh.loc[other, "group"]):
            continue
        if code == "PLAN-NO-HEAD" and not (hh.loc[h, "head_candidate"]
                                           and hh.loc[labels.index[labels == src], "head_candidate"].sum() == 1):
            continue
        trial = labels.copy()
        trial[h] = dst
        codes = set(check_plan(hh, trial, rules, graph=g, meeting_points=meet).codes) - base
        if code in codes and codes <= {code, "SIZE-LOW", "SIZE-HIGH"}:
            taken.update({src, dst})
            return trial
    raise AssertionError(f"no place to plant {code}")


def test_planted_nesting_head_and_walking_violations_on_the_real_sample_are_repaired():
    hh, g, labels, rules, meet = _sample_plan()
    bad, taken = labels, set()
    for code in ("PLAN-CROSS-GROUP", "PLAN-NO-HEAD", "PLAN-WALK-LIMIT"):
        bad = _plant(hh, g, bad, rules, meet, code, taken)
    planted = int((bad != labels).sum())
    before = check_plan(hh, bad, rules, graph=g, meeting_points=meet)
    assert {"PLAN-CROSS-GROUP", "PLAN-NO-HEAD", "PLAN-WALK-LIMIT"} <= set(before.codes)
    res = repair_plan(hh, bad, rules, g, meeting_points=meet)
    assert res.passed and res.method == "exact", res.reason("en")
    assert len(res.moves) <= planted == 3
    assert check_plan(hh, res.labels, rules, graph=g, meeting_points=res.meeting_points).passed
    assert set(res.moves["reason"]) <= {"nesting-group", "nesting-village", "head", "walk", "size-low", "size-high",
                                        "chain"}


def test_cli_repair_keeps_the_walking_limit_and_check_agrees(tmp_path):
    """A row of 12 households 40 m apart in two groups; the plan puts a household of group 二组 into unit A
    and the rules have a walking limit: repair moves it back and writes the meeting points it kept."""
    from shared_fixtures import two_group_row
    from typer.testing import CliRunner

    from yuanluo.planners.cli import app

    hh = two_group_row(tmp_path)
    rules = tmp_path / "r.toml"
    rules.write_text("[rules]\nmin_size = 5\nmax_size = 7\nnest_by = [\"group\"]\nmax_walk_min = 6\n", encoding="utf-8")
    base = [str(hh), "--crs", "EPSG:4490", "--unit-col", "方案", "--rules", str(rules), "--lang", "en"]
    runner = CliRunner()
    res = runner.invoke(app, ["repair", *base, "-o", str(tmp_path / "fixed.csv"), "--moves", str(tmp_path / "m.csv"),
                              "--meeting-out", str(tmp_path / "meet.csv")])
    assert res.exit_code == 0, res.output
    # one move mends H06 typed into the other group's unit: the fewest of a plan that fails (session 39)
    assert "(The fewest households moved: the plan as given breaks a rule that only moving households mends" in res.output
    moves = pd.read_csv(tmp_path / "m.csv", dtype=str, encoding="utf-8-sig")  # this test runs in English
    assert list(moves.columns[:3]) == ["Household ID", "From unit", "To unit"]
    assert moves.iloc[:, :3].values.tolist() == [["H06", "A", "B"]] and len(moves.columns) == 4
    chk = runner.invoke(app, ["check", str(hh), "--crs", "EPSG:4490", "--plan", str(tmp_path / "fixed.csv"),
                              "--rules", str(rules), "--meeting-points", str(tmp_path / "meet.csv"), "--lang", "en"])
    assert chk.exit_code == 0, chk.output


def test_the_cli_lists_each_reason_left_on_its_own_line(tmp_path) -> None:
    """A plan left unrepaired (band 4–4 on a row of 12, both candidates in C, no move allowed): exit 1 and one line
    per reason, in the chosen language; before, every reason ran together on one line. (Since session 45 the repair
    mends it with moves: the check excuses one of the three units without a candidate, the area's shortfall, and
    the straight-line graph of the row joins more than its neighbours; so ``--max-moves 0``.)"""
    from typer.testing import CliRunner

    from yuanluo.planners.cli import app

    rows = ["户编号,经度,纬度,党员,方案"] + [f"H{i:02d},{106.55 + 0.0004 * i:.6f},29.560000,{'是' if i in (8, 10) else '否'},"
                                     f"{'ABC'[i // 4]}" for i in range(12)]
    hh = tmp_path / "hh.csv"
    hh.write_text("\n".join(rows) + "\n", encoding="utf-8")
    for lang, head in (("en", "Not fully repaired: 0 households moved, 0 of 2 violations mended, 2 left:"),
                       ("zh", "未能全部修复：调整了 0 户，2 处违规中修复了 0 处，仍有 2 处：")):
        res = CliRunner().invoke(app, ["repair", str(hh), "--crs", "EPSG:4490", "--unit-col", "方案", "--min", "4",
                                       "--max", "4", "--max-moves", "0", "-o", str(tmp_path / f"fixed_{lang}.csv"), "--lang",
                                       lang])
        assert res.exit_code == 1, res.output
        lines = res.output.splitlines()
        at = lines.index(head)
        items = [x for x in lines[at + 1:] if x.startswith("  - ")]
        assert len(items) == 4 and sum("PLAN-NO-HEAD" in x for x in items) == 3, lines  # and the budget's


@pytest.mark.parametrize(("limit", "value", "status"), [("MAX_PAIRS", 10, "too-large"), ("SOLVE_WORK", 0, "unsolved")])
def test_a_region_the_exact_model_cannot_take_goes_to_the_heuristic(monkeypatch, limit, value, status):
    """Too large a region, or HiGHS stopped by its work limit (once seconds): the heuristic takes it, and a model out
    of work is ``unsolved``, never called infeasible (a model that had to prove no split gives every unit a head ran for
    20 minutes and more when HiGHS had no limit)."""
    import yuanluo.gis.repair_exact as RE

    hh, g, lab, _, _ = valid()
    bad = lab.copy()
    bad["h0302"] = "U1"
    monkeypatch.setattr(RE, limit, value)
    res = repair_plan(hh, bad, Rules(20, 20), g)
    assert (res.method, res.exact_status, res.passed, len(res.moves)) == ("heuristic", status, True, 1)


def test_violations_far_apart_are_solved_as_separate_exact_models(monkeypatch):
    import yuanluo.gis.repair as R

    calls = []
    real = R.exact_repair
    monkeypatch.setattr(R, "exact_repair", lambda st, bad, free, meet: calls.append(sorted(bad)) or real(st, bad,
                                                                                                          free, meet))
    hh, g, lab, _, _ = valid(24, 5)  # six units of 20 in a row
    bad = lab.copy()
    bad["h0302"] = "U1"  # U0 -> U1
    bad["h2002"] = "U4"  # U5 -> U4
    res = repair_plan(hh, bad, Rules(20, 20), g)
    assert res.passed and res.method == "exact" and len(res.moves) == 2
    assert len(calls) == 2 and sorted(res.region_units) == [f"U{i}" for i in range(6)]


def test_a_household_left_without_a_unit_goes_back_where_the_delineation_put_it() -> None:
    """A result's plan with one household blanked: it goes back to its own unit, not into the declared
    exception next to it (the smallest unit, which it would make no longer the unit declared, and the moves
    would then cascade to fill it)."""
    from yuanluo.gis.check import Declared

    ids = list("gabcdef")  # g: an exception unit of one household; a b c: A; d e f: B
    xy = [[50 * i, 0] for i in range(len(ids))]
    hh = gpd.GeoDataFrame(geometry=points(xy), crs="EPSG:32631", index=pd.Index(ids, name="hid"))
    g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(len(ids) - 1)], crs="EPSG:32631")
    origin = pd.Series(list("XAAABBB"), index=ids, dtype=object)
    declared = Declared(pd.Series({"g": "X"}, dtype=object), {"X": {"zh": "孤立片区", "en": "isolated"}},
                        origin=origin)
    plan = origin.copy()
    plan["a"] = None
    res = repair_plan(hh, plan, Rules(3, 3), g, declared=declared)
    assert res.passed, res.reasons
    assert res.moves[["hid", "from_unit", "to_unit", "reason"]].values.tolist() == [["a", None, "A", "unassigned_back"]]
    without = repair_plan(hh, plan, Rules(3, 3), g, declared=Declared(declared.members, declared.reasons))
    assert without.passed and without.labels["g"] == "X" and without.labels["a"] == "A"  # kept off the exception


def _heuristic_repair(monkeypatch, ids: list[str], xy: list[list[int]], edges: list[tuple[int, int]], units: str,
                      slips: dict[str, str | None], rules: Rules, village: list[str] | None = None):
    """A plan of a delineation (``units``: one letter per household) with ``slips`` typed into it, repaired by
    the heuristic alone (no exact model) knowing the delineation's units."""
    import yuanluo.gis.repair_exact as RE
    from yuanluo.gis.check import Declared

    cols = {"village": village} if village else {}
    hh = gpd.GeoDataFrame(cols, geometry=points(xy), crs=CRS, index=pd.Index(ids, name="hid"))
    g = TerrainGraph.from_edges(ids, xy, edges, crs=CRS)
    origin = pd.Series(list(units), index=ids, dtype=object)
    plan = origin.copy()
    for h, u in slips.items():
        plan[h] = u
    monkeypatch.setattr(RE, "MAX_PAIRS", 1)  # no exact model: the heuristic alone
    res = repair_plan(hh, plan, rules, g, declared=Declared(pd.Series(dtype=object), {}, origin=origin))
    assert res.passed and res.method == "heuristic", res.reasons
    return res, origin.to_dict()


def _line(n: int) -> tuple[list[list[int]], list[tuple[int, int]]]:
    """n households in a row, 50 m apart, each next to the one before."""
    return [[50 * i, 0] for i in range(n)], [(i, i + 1) for i in range(n - 1)]


def test_a_household_goes_home_through_another_free_household(monkeypatch) -> None:
    """Three households of A typed into C far away cut x and y off from A; all five are taken out and placed by
    the heuristic. y touches only x (free too) and B: it waits until x is home, then follows it. It was put into
    B, the first unit it touched (one move more; in a result's plan it took A's head candidate away, and A was
    dissolved: 13 moves more than the 40 planted)."""
    ids = ["a1", "a2", "a3", "z1", "z2", "z3", "x", "y", "b1", "b2", "b3", "c1", "c2", "c3"]
    res, origin = _heuristic_repair(monkeypatch, ids, *_line(len(ids)), "AAAAAAAABBBCCC",
                                    dict.fromkeys(["z1", "z2", "z3"], "C"), Rules(3, 8))
    assert res.labels.to_dict() == origin and len(res.moves) == 3


def test_a_household_typed_into_another_village_goes_home_first(monkeypatch) -> None:
    """h (village 甲, unit A) typed into C (village 乙) next to it: the heuristic moves it to a unit of its own
    village next to it, and of A and B it takes A, its unit in the delineation; it took the smaller, B (a
    settlement declared split across A and B then no longer held, and the plan failed)."""
    ids = ["a1", "a2", "a3", "a4", "h", "b1", "b2", "b3", "c1", "c2", "c3"]
    xy = [[50 * i, 0] for i in range(8)] + [[200, -50 * k] for k in (1, 2, 3)]
    edges = [(i, i + 1) for i in range(7)] + [(4, 8), (8, 9), (9, 10)]
    res, _ = _heuristic_repair(monkeypatch, ids, xy, edges, "AAAAABBBCCC", {"h": "C"},
                               Rules(3, 5, nest_by=("village",)), village=["甲"] * 8 + ["乙"] * 3)
    assert res.labels["h"] == "A" and len(res.moves) == 1


def test_two_slips_into_one_unit_go_home_together(monkeypatch) -> None:
    """a and b of X typed into Y: a linked X's p1–p2 to the rest of X, and b touches Y only through a. The
    heuristic sends a home with b (2 moves, the delineation's plan); a alone would cut b off Y, so p1 and p2
    were moved to Y instead, leaving X below the floor and Y above the ceiling, and the repair failed (in a
    result's plan: 6 moves more than the 60 planted)."""
    ids = ["x1", "x2", "x3", "a", "p1", "p2", "b", "y1", "y2", "y3", "y4", "y5"]
    xy = [[0, 0], [50, 0], [100, 0], [150, 0], [200, 0], [250, 0], [150, 50]] + [[150, -50 * k] for k in range(1, 6)]
    edges = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (3, 6), (3, 7), (7, 8), (8, 9), (9, 10), (10, 11)]
    res, origin = _heuristic_repair(monkeypatch, ids, xy, edges, "XXXXXXXYYYYY", {"a": "Y", "b": "Y"}, Rules(5, 8))
    assert res.labels.to_dict() == origin and len(res.moves) == 2


def test_a_unit_below_the_floor_takes_its_own_household_back_first(monkeypatch) -> None:
    """h of A typed into C leaves A below the floor. B, first by name, could give A a household as well (one
    move too, but of a household no one touched): A takes h back from C, and the plan is the delineation's."""
    ids = ["b1", "b2", "b3", "b4", "b5", "a1", "a2", "a3", "h", "c1", "c2", "c3", "c4"]
    res, origin = _heuristic_repair(monkeypatch, ids, *_line(len(ids)), "BBBBBAAAACCCC", {"h": "C"}, Rules(4, 5))
    assert res.labels.to_dict() == origin and len(res.moves) == 1


def test_a_household_cut_off_behind_a_slip_brings_the_slip_home(monkeypatch) -> None:
    """s of A typed into C cuts p off A. A piece of one household had no way back but to move: p went into C
    (the first by name; over C's ceiling, A below its floor), then on to D as s went back to A (2 moves, p in a
    unit it never belonged to). s, a household of A, now goes home and joins p to A again: one move, the
    delineation's plan."""
    ids = ["a1", "a2", "a3", "s", "p", "d1", "d2", "d3", "d4", "c1", "c2", "c3", "c4"]
    xy = [[50 * i, 0] for i in range(9)] + [[150, -50 * k] for k in range(1, 5)]
    edges = [(i, i + 1) for i in range(8)] + [(3, 9), (9, 10), (10, 11), (11, 12)]
    res, origin = _heuristic_repair(monkeypatch, ids, xy, edges, "AAAAADDDDCCCC", {"s": "C"}, Rules(4, 5))
    assert res.labels.to_dict() == origin and len(res.moves) == 1


def test_a_full_unit_lets_a_cut_off_slip_go_home_before_its_own_household_returns(monkeypatch) -> None:
    """h of A has no unit in the plan, and A is full: k of B was typed into A (cut off from A, next to B). k
    goes home first and h returns to A: the delineation's plan. h went into C, a unit it never belonged to (in a
    result's plan a household cut off behind it followed it there: a move more than planted)."""
    ids = ["c1", "c2", "c3", "h", "a1", "a2", "a3", "z", "k", "b1", "b2"]
    res, origin = _heuristic_repair(monkeypatch, ids, *_line(len(ids)), "CCCAAAABBBB", {"h": None, "k": "A"},
                                    Rules(3, 4))
    assert res.labels.to_dict() == origin and len(res.moves) == 2


def test_every_move_reason_is_said_in_words_in_both_languages():
    """A moves table never shows a bare reason such as "settlement" (four of them once did)."""
    from yuanluo.gis.catalogue import has, text
    from yuanluo.gis.repair import _MOVE_REASON, MOVE_REASONS

    assert set(_MOVE_REASON.values()) <= set(MOVE_REASONS)
    for r in MOVE_REASONS:
        assert has(f"move.reason.{r}"), r
        zh, en = text(f"move.reason.{r}", "zh"), text(f"move.reason.{r}", "en")
        assert not any("a" <= c.lower() <= "z" for c in zh) and en.isascii(), r


def test_a_unit_joined_over_a_long_edge_is_whole_to_repair_as_to_check():
    """Unit A (h00–h19) is joined over an edge pruned for length within the join limit, as the check allows (a
    PLAN-LONG-JOIN warning); h19 and h20 were swapped. Repair swaps them back (2 moves, exact), not cutting A at
    the long edge (the old repair moved ten households and still failed)."""
    ids = [f"h{i:02d}" for i in range(40)]
    xy = [[50.0 * i + (1000.0 if i >= 10 else 0.0), 0.0] for i in range(40)]
    hh = gpd.GeoDataFrame(geometry=points(xy), crs=CRS, index=pd.Index(ids, name="hid"))
    g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(39) if i != 9], crs=CRS)
    g.cut = pd.DataFrame({"u": [9], "v": [10], "length_m": [1050.0], "walk_min": [12.0], "reason": ["length"]})
    plan = pd.Series(["A"] * 20 + ["B"] * 20, index=ids)
    assert check_plan(hh, plan, Rules(20, 20), graph=g, unapplied=False).codes == ["PLAN-LONG-JOIN"]
    bad = plan.copy()
    bad["h20"], bad["h19"] = "A", "B"
    res = repair_plan(hh, bad, Rules(20, 20), g)
    assert res.passed and res.method == "exact"
    assert res.moves[["hid", "to_unit"]].values.tolist() == [["h19", "A"], ["h20", "B"]]


def test_a_group_too_large_for_one_model_is_solved_unit_by_unit(monkeypatch):
    """Two slips leave four failing units in a row (sizes 21, 19, 21, 19), one group of six units (720 pairs);
    with room for 200 pairs a model per failing unit (three units, 180) fits: the second round solves them one
    by one, each solution applied before the next, and the plan passes with the two moves undone (the
    heuristic here does nothing)."""
    import yuanluo.gis.repair as R
    import yuanluo.gis.repair_exact as RE

    hh, g, lab, _, _ = valid(24, 5)  # six units of 20 in a row
    bad = lab.copy()
    bad["h0802"] = "U1"  # U2 -> U1
    bad["h1602"] = "U3"  # U4 -> U3
    monkeypatch.setattr(RE, "MAX_PAIRS", 200)
    monkeypatch.setattr(R, "_greedy", lambda st, max_moves: None)
    res = repair_plan(hh, bad, Rules(20, 20), g)
    assert res.passed and res.method == "exact+heuristic", res.reason("en")
    assert sorted(res.moves["hid"]) == ["h0802", "h1602"] and (res.labels.astype(str) == lab.astype(str)).all()


def test_a_locked_unit_is_never_changed_and_says_so():
    """Three units of 20 in a row (band 20–20) and a chain U2 -> U1 -> U0 to mend: with U1 locked no household
    may pass through it, so the plan cannot be repaired (a locked unit's own violation says it is locked); with
    U2 locked the chain is U1 -> U0 and U2 keeps every household."""
    hh, g, lab, _, _ = valid(12, 5)
    bad = lab.copy()
    bad["h0302"] = "U1"  # U0 19, U1 21
    free = repair_plan(hh, bad, Rules(20, 20), g)
    assert free.passed and len(free.moves) == 1
    stuck = repair_plan(hh, bad, Rules(20, 20), g, locked=["U1"])
    assert not stuck.passed and stuck.labels.equals(bad.astype(stuck.labels.dtype))
    assert ("repair.note.locked", {"count": 1, "units": ["U1"]}) in stuck.notes
    lines = stuck.reason_lines("en")
    assert any("SIZE-HIGH (unit U1): the unit is locked and was not changed" in x for x in lines), lines
    assert any("U0" in x and "no exact model covered" not in x for x in lines if "SIZE-LOW" in x), lines
    bad2 = lab.copy()
    bad2["h0702"] = "U2"  # U1 19, U2 21: locked U0 is not needed
    kept = repair_plan(hh, bad2, Rules(20, 20), g, locked=["U0"])
    assert kept.passed and (kept.labels[lab == "U0"] == "U0").all() and (kept.labels == "U0").sum() == 20


def test_the_cli_keeps_the_units_locked_in_the_editor(tmp_path):
    """A plan table with the editor's 锁定 column: repair keeps those units as they are; --lock names others."""
    from typer.testing import CliRunner

    from yuanluo.planners.cli.app import app

    hh, g, lab, _, _ = valid(12, 5)
    lon, lat = gpd.GeoSeries(hh.geometry, crs=CRS).to_crs(4326).x, gpd.GeoSeries(hh.geometry, crs=CRS).to_crs(4326).y
    src = tmp_path / "hh.csv"
    pd.DataFrame({"户编号": hh.index, "经度": lon.round(7).to_numpy(), "纬度": lat.round(7).to_numpy()}).to_csv(
        src, index=False)
    bad = lab.copy()
    bad["h0302"] = "U1"
    plan = tmp_path / "plan.csv"
    pd.DataFrame({"户编号": bad.index, "院落编号": bad.to_numpy(),
                  "锁定": np.where(bad.to_numpy() == "U1", "是", "")}).to_csv(plan, index=False, encoding="utf-8-sig")
    runner = CliRunner()
    base = ["repair", str(src), "--crs", "EPSG:4326", "--plan", str(plan), "--min", "20", "--max", "20",
            "--max-edge-walk", "1", "--lang", "en"]
    res = runner.invoke(app, [*base, "-o", str(tmp_path / "a.csv")])
    assert res.exit_code == 1 and "1 unit was locked and not changed: U1" in res.output, res.output
    assert "the unit is locked and was not changed" in res.output
    unlocked = tmp_path / "unlocked.csv"  # --lock alone (whether it adds to the column or not)
    pd.DataFrame({"户编号": bad.index, "院落编号": bad.to_numpy()}).to_csv(unlocked, index=False, encoding="utf-8-sig")
    res = runner.invoke(app, [*[str(unlocked) if x == str(plan) else x for x in base], "--lock", "U2", "-o",
                              str(tmp_path / "b.csv")])
    assert res.exit_code == 0 and "1 unit was locked and not changed: U2" in res.output, res.output
    fixed = pd.read_csv(tmp_path / "b.csv", dtype=str)
    assert (fixed.iloc[:, 1] == "U2").sum() == 20
    res = runner.invoke(app, [*base, "--lock", "U9", "-o", str(tmp_path / "c.csv")])
    assert res.exit_code == 2 and "LOCK-UNKNOWN" in res.output and not (tmp_path / "c.csv").exists()


def _with_island():
    """The grid of :func:`valid` (units U0, U1 of 20) and, far off, an island of 3 households (unit I) linked only
    among themselves: households, graph, plan."""
    hh, g, lab, _, _ = valid()
    far = gpd.GeoDataFrame(geometry=points([[5000.0, 0.0], [5050.0, 0.0], [5100.0, 0.0]]), crs=CRS,
                           index=pd.Index(["i1", "i2", "i3"], name="hid"))
    xy = np.r_[np.c_[hh.geometry.x, hh.geometry.y], np.c_[far.geometry.x, far.geometry.y]]
    g2 = TerrainGraph.from_edges([*hh.index, *far.index], xy, np.r_[np.c_[g.u, g.v], [[40, 41], [41, 42]]],
                                 crs=CRS)
    return pd.concat([hh, far]), g2, pd.concat([lab, pd.Series("I", index=far.index)])


def test_an_excused_island_is_not_named_among_the_blocks_holding_a_repair_back():
    """A grid of 40 (two units of 20) and, far off, an island of 3 the check excuses (SIZE-EXCEPTION): a
    failure left in the grid (no moves allowed) names no block, the island holds nothing back."""
    both, g2, bad = _with_island()
    bad["h0302"] = "U1"
    res = repair_plan(both, bad, Rules(20, 20), g2, max_moves=0)
    assert not res.passed and "SIZE-EXCEPTION" in set(res.check.violations["code"])
    assert not [k for k, _ in res.reasons if k == "repair.reason.blocks"], res.reason_lines("en")


def test_households_typed_into_an_island_unit_go_home_and_the_island_stays_an_exception():
    """The island of 3 (unit I, excused as SIZE-EXCEPTION) is given 4 of U1's households, the heavier piece of
    I. The exact model held I to the band (which the island can never meet) and "proved" that no plan keeps
    the rules; the heuristic moved households of U1 about and failed too. The island's unit now takes only
    the island and is held to no band: the 4 go home, 4 moves for 4 planted."""
    both, g2, plan = _with_island()
    bad = plan.copy()
    slips = [h for h in plan.index if plan[h] == "U1"][:4]
    bad[slips] = "I"
    res = repair_plan(both, bad, Rules(20, 20), g2)
    assert res.passed, res.reason_lines("en")
    assert sorted(res.moves["hid"]) == sorted(slips) and set(res.moves["to_unit"]) == {"U1"}
    assert res.labels.tolist() == plan.tolist()
    assert (res.method, res.exact_status) == ("exact", "optimal")  # the fewest moves, proven (was: heuristic)


# ---------------------------------------------------------------------------------------- what a repair says
def _grid_csv(tmp_path, hh):
    """The households of a grid as a CSV of lon/lat, for the command line."""
    geo = gpd.GeoSeries(hh.geometry, crs=CRS).to_crs(4326)
    src = tmp_path / "hh.csv"
    pd.DataFrame({"户编号": hh.index, "经度": geo.x.round(7).to_numpy(), "纬度": geo.y.round(7).to_numpy()}).to_csv(
        src, index=False)
    return src


def _noted(res) -> dict[str, list[dict]]:
    """The notes of a repair by key, each its parameters with the phrases rendered in English."""
    from yuanluo.gis.repair import _render

    out: dict[str, list[dict]] = {}
    for key, params in res.notes:
        out.setdefault(key, []).append({k: [_render(*x, "en") for x in v] if isinstance(v, list) and v and
                                        isinstance(v[0], tuple) else v for k, v in params.items()})
    return out


def test_a_failed_repair_says_what_it_mended_what_is_left_and_that_it_wrote_its_files(tmp_path):
    """Four units of 20 in a row; U0 gave a household to U1, which is locked (left: U0 too small, U1 too large),
    and U2 gave one to U3 (mended by one move). The repair fails, but it moved a household and wrote the plan
    and the moves: it said "Cannot be repaired within the rules (1 moves tried)", with no word of the files
    written, of the violation it mended, or of whether the move was the fewest."""
    from typer.testing import CliRunner

    from yuanluo.planners.cli.app import app

    hh, g, lab, _, _ = valid(16, 5)
    bad = lab.copy()
    bad["h0302"] = "U1"  # U0 19, U1 21: U1 locked, not mended
    bad["h1102"] = "U3"  # U2 19, U3 21: mended
    assert len(check_plan(hh, bad, Rules(20, 20), graph=g, unapplied=False).violations) == 4
    src = _grid_csv(tmp_path, hh)
    plan = tmp_path / "plan.csv"
    pd.DataFrame({"户编号": bad.index, "院落编号": bad.to_numpy()}).to_csv(plan, index=False, encoding="utf-8-sig")
    expect = {"en": ["Not fully repaired: 1 household moved, 2 of 4 violations mended, 2 left:",
                     "(Partly solved exactly, the rest by the stepwise heuristic: the number moved is not proven to "
                     "be the fewest.)", "Written: "],
              "zh": ["未能全部修复：调整了 1 户，4 处违规中修复了 2 处，仍有 2 处：",
                     "（部分精确求解，其余按逐步调整的规则修复，不保证调整户数最少。）", "已写出 "]}
    for lang, lines in expect.items():
        fixed, moves = tmp_path / f"fixed_{lang}.csv", tmp_path / f"moves_{lang}.xlsx"
        res = CliRunner().invoke(app, ["repair", str(src), "--crs", "EPSG:4326", "--plan", str(plan), "--min", "20",
                                       "--max", "20", "--max-edge-walk", "1", "--lock", "U1", "-o", str(fixed),
                                       "--moves", str(moves), "--lang", lang])
        assert res.exit_code == 1, res.output
        out = res.output.splitlines()
        for line in lines:
            assert any(x.startswith(line) for x in out), (line, out)
        assert str(fixed) in out[-1] and str(moves) in out[-1], out
        assert fixed.exists() and moves.exists()
        units = pd.read_csv(fixed, dtype=str).iloc[:, 1]
        assert units.value_counts().to_dict() == {"U0": 19, "U1": 21, "U2": 20, "U3": 20}
        assert (units != bad.to_numpy()).sum() == 1


def test_the_notes_name_a_dissolved_unit_and_every_unit_its_households_went_to():
    """A row of 8 in units A (3), B (2), C (3), band 4–4: the exact model dissolves B, one household to A and one
    to C. The note said "unit B merged into A" though a household of B went to C."""
    hh, g, _, _, _ = valid(8, 1)
    lab = pd.Series(list("AAABBCCC"), index=hh.index)
    res = repair_plan(hh, lab, Rules(4, 4), g)
    assert res.passed and sorted(res.labels.unique()) == ["A", "C"]
    notes = _noted(res)
    assert notes == {"repair.note.dissolved": [{"unit": "B", "count": 2, "targets": ["1 household went to A", "1 household went to C"]}]}, notes
    assert res.note_texts("en") == ["unit B dissolved, 2 households in it: 1 household went to A, 1 household went to C"]
    assert res.note_texts("zh") == ["院落 B 已撤销，原有 2 户：1 户并入 A、1 户并入 C"]


def test_a_new_unit_is_named_after_the_unit_its_households_came_from_and_noted_with_its_final_size():
    """A grid of 40 (U0, U1 of 20) and, far off, an island of 20 households typed into U0 (40 in all), band
    20–20: the island becomes a unit of its own. It was named R001 "for 20 unassigned households cut off from
    every unit", though they were in U0; a unit split off U0 is U0-2, so the island is U0-2 now, said with its
    households and where they came from."""
    hh, g, lab, _, _ = valid()
    far_xy = np.array([[5000.0 + 50 * i, 50.0 * j] for i in range(4) for j in range(5)])
    far_ids = [f"i{k:02d}" for k in range(20)]
    far = gpd.GeoDataFrame(geometry=points(far_xy), crs=CRS, index=pd.Index(far_ids, name="hid"))
    edges = [(a, b) for a in range(20) for b in range(a + 1, 20)
             if abs(far_xy[a] - far_xy[b]).sum() == 50.0]
    xy = np.r_[np.c_[hh.geometry.x, hh.geometry.y], far_xy]
    g2 = TerrainGraph.from_edges([*hh.index, *far_ids], xy, np.r_[np.c_[g.u, g.v], np.array(edges) + 40], crs=CRS)
    plan = pd.concat([lab, pd.Series("U0", index=far_ids)])
    res = repair_plan(pd.concat([hh, far]), plan, Rules(20, 20), g2)
    assert res.passed, res.reason_lines("en")
    assert (res.labels[far_ids] == "U0-2").all() and (res.labels[lab.index] == lab).all()
    assert _noted(res) == {"repair.note.new_unit": [{"unit": "U0-2", "count": 20,
                                                     "sources": ["20 households from U0"]}]}
    assert res.note_texts("en") == ["new unit U0-2 (20 households): 20 households from U0"]
    assert res.note_texts("zh") == ["新建院落 U0-2（20 户）：原 U0 的 20 户"]


def test_a_split_is_noted_with_the_new_units_final_size():
    """One unit of 40 on the grid, band 15–25: split in two; the note gives the new unit's households as the
    repaired plan has them (it gave the size of the part cut off, before later moves changed it)."""
    hh, g, _, _ = grid(8, 5)
    lab = pd.Series("U0", index=hh.index)
    res = repair_plan(hh, lab, Rules(15, 25), g)
    assert res.passed and sorted(res.labels.unique()) == ["U0", "U0-2"]
    n = int((res.labels == "U0-2").sum())
    assert _noted(res) == {"repair.note.new_unit": [{"unit": "U0-2", "count": n,
                                                     "sources": [f"{n} households from U0"]}]}


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 39), st.sampled_from(["U0", "U1", None])), min_size=1, max_size=8),
       st.sampled_from([((20, 20), 8, 5), ((15, 25), 8, 5), ((8, 12), 7, 4)]))
def test_the_notes_agree_with_the_plans_before_and_after(slips, case):
    """Whatever the repair does, the notes say the repaired plan: every unit it has that the plan had not (its
    households and where they were), every unit of the plan it no longer has (where its households are).

    The band 8-12 makes a unit of the plan split, on a grid of 7 x 4 (U0 16 households, U1 12): on the 8 x 5 grid of
    the other bands (two units of 20, both split) HiGHS took 3-17 s a repair, 100 s of the test's 125 in CI."""
    from yuanluo.gis.catalogue import english_one

    band, nx, ny = case
    hh, g, lab, _, _ = valid(nx, ny)
    bad = lab.astype(object).copy()
    for i, u in slips:
        bad.iloc[i % len(bad)] = u
    res = repair_plan(hh, bad, Rules(*band), g)
    before, after = bad.dropna().astype(str), res.labels.dropna().astype(str)
    notes = _noted(res)
    made = {n["unit"]: n for n in notes.get("repair.note.new_unit", [])}
    gone = {n["unit"]: n for n in notes.get("repair.note.dissolved", [])}
    assert set(made) == set(after) - set(before) and set(gone) == set(before) - set(after)
    for u, n in made.items():
        assert n["count"] == (after == u).sum()
        src = bad.reindex(after.index[after == u])
        want = [f"{c} households from {k}" for k, c in src.dropna().value_counts().items()]
        if src.isna().any():
            want.append(f"{int(src.isna().sum())} households in no unit")
        assert sorted(n["sources"]) == sorted(english_one(x) for x in want)
    for u, n in gone.items():
        assert n["count"] == (before == u).sum()
        went = res.labels.reindex(before.index[before == u]).value_counts()
        assert sorted(n["targets"]) == sorted(f"{k} ({c})" for k, c in went.items())
    for u in made:  # one scheme: after the unit most of its households came from, else R001…
        assert u.startswith("R") or u.rsplit("-", 1)[0] in set(before)


def test_the_locked_note_counts_one_unit_in_the_singular():
    hh, g, lab, _, _ = valid(12, 5)
    bad = lab.copy()
    bad["h0302"] = "U1"
    res = repair_plan(hh, bad, Rules(20, 20), g, locked=["U1"])
    assert "1 unit was locked and not changed: U1" in res.note_texts("en")
    assert "锁定的 1 个院落未作调整：U1" in res.note_texts("zh")
    two = repair_plan(hh, bad, Rules(20, 20), g, locked=["U1", "U2"])
    assert "2 units were locked and not changed: U1, U2" in two.note_texts("en")


def test_meeting_out_without_a_walking_limit_is_refused_before_any_work(tmp_path):
    """--meeting-out asks for the meeting points the walking limit was kept against; without a limit it wrote a
    table of a header alone, silently. Now a coded error naming the fix, and nothing written."""
    from typer.testing import CliRunner

    from yuanluo.planners.cli.app import app

    hh, g, lab, _, _ = valid(12, 5)
    src = _grid_csv(tmp_path, hh)
    plan = tmp_path / "plan.csv"
    pd.DataFrame({"户编号": lab.index, "院落编号": lab.to_numpy()}).to_csv(plan, index=False, encoding="utf-8-sig")
    for lang, fix in (("en", "leave --meeting-out out"), ("zh", "去掉 --meeting-out")):
        fixed, meet = tmp_path / f"fixed_{lang}.csv", tmp_path / f"meet_{lang}.csv"
        res = CliRunner().invoke(app, ["repair", str(src), "--crs", "EPSG:4326", "--plan", str(plan), "--min", "20",
                                       "--max", "20", "-o", str(fixed), "--meeting-out", str(meet), "--lang", lang])
        assert res.exit_code == 2 and "REPAIR-MEETING-OUT" in res.output, res.output
        assert str(meet) in res.output and fix in res.output and "max_walk_min" in res.output, res.output
        assert not fixed.exists() and not meet.exists()
