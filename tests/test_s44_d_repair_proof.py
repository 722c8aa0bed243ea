"""Session 44 (helper D): the exact repair's optimum is proven with the centres free, or says it is not.

The exact model holds each unit at an anchor (its meeting point, or for a unit given none its centre before solving);
the model letting those centres follow the moves ran only when the anchored one had no plan, so an anchored optimum
was taken, and its method note claimed the fewest "with each unit keeping the centre chosen before solving". Street
of 8 (band 2-5, walking limit 1.5 min): U3 = H01 and H08 (a slip at the other end), U1 = H02-H06, U2 = H07. Held at
its old centre H04, U1 could not keep H06 within the limit, and the repair moved H02 to U3, H06 and H08 to U2
(3 moves); walked to its centre after the moves, U1 keeps H06 (2 moves: H02 to U3, H08 to U2; the brute force of
test_s44_d_repair_brute agrees). Now every anchored optimum is asked again with the centres free for a plan moving
fewer (:func:`yuanluo.gis.repair_exact._unanchored`), and the method note says what was proven.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

from yuanluo import build_graph
from yuanluo.gis.check import check_plan
from yuanluo.gis.repair import repair_plan
from yuanluo.gis.rules import Rules

XS = [71, 145, 198, 246, 309, 374, 443, 507]
LABELS = ["U3", "U1", "U1", "U1", "U1", "U1", "U2", "U3"]


def _street() -> tuple[gpd.GeoDataFrame, pd.Series, Rules]:
    n = len(XS)
    hh = gpd.GeoDataFrame({"group": ["G1"] * n, "head_candidate": [True] * n},
                          geometry=gpd.points_from_xy([500000 + x for x in XS],
                                                      [3265000 + (18 if k % 2 else 0) for k in range(n)]),
                          index=pd.Index([f"H{k + 1:02d}" for k in range(n)], name="hid"), crs="EPSG:4545")
    return hh, pd.Series(LABELS, index=hh.index), Rules(2, 5, require_head=False, keep_settlements=False,
                                                          nest_by=(), max_walk_min=1.5)


def test_an_anchored_optimum_is_asked_again_with_the_centres_free() -> None:
    hh, labels, rules = _street()
    graph = build_graph(hh, max_walk_min=1.0)
    res = repair_plan(hh, labels, rules, graph)
    assert res.passed and res.method == "exact"
    assert sorted(res.moves["hid"]) == ["H02", "H08"], res.moves.to_dict("records")
    assert res.labels["H06"] == "U1"
    assert not res.exact_centres_held
    assert check_plan(hh, res.labels, rules, graph=graph).passed


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_method_note_says_the_centres_were_free(lang: str) -> None:
    from yuanluo.planners.cli.repair import method_note

    hh, labels, rules = _street()
    res = repair_plan(hh, labels, rules, build_graph(hh, max_walk_min=1.0))
    res.lower_bound = None  # the note of the exact model, not of the sizes' bound
    said = method_note(res, lang)
    assert said is not None
    if lang == "zh":
        assert "未给出议事点的院落按调整后的中心户计" in said and "求解前选定的中心户" not in said
    else:
        assert "a unit given none walked to its centre after the moves" in said
        assert "centre chosen before solving" not in said


def test_an_optimum_not_proven_without_the_anchors_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no work for the model letting the centres free (PROOF_WORK 0), the anchored optimum stands, 3 moves,
    and the note keeps its bound: each unit holding the centre chosen before solving."""
    import yuanluo.gis.repair_exact as RE
    from yuanluo.planners.cli.repair import method_note

    monkeypatch.setattr(RE, "PROOF_WORK", 0)
    hh, labels, rules = _street()
    res = repair_plan(hh, labels, rules, build_graph(hh, max_walk_min=1.0))
    assert res.passed and len(res.moves) == 3 and res.exact_centres_held
    res.lower_bound = None
    assert "求解前选定的中心户" in (method_note(res, "zh") or "")
    assert "the centre chosen before solving" in (method_note(res, "en") or "")
