"""An analyst's plain mistakes in a notebook, each said as a coded Yuanluo error in both languages (session 49,
helper N, second round).

* A plan whose Series lost its household ids (``labels.reset_index(drop=True)``: indexed 0, 1, 2 …), or an
  empty one, crashed ``check_plan`` with ``IndexError: index 0 is out of bounds`` (``_planner_order`` indexed an
  empty renumbering); the check now says what it says of any plan naming no household: ``PLAN-UNKNOWN-ID`` and
  ``PLAN-UNASSIGNED``, and ``model.repair`` stops on ``PLAN-UNKNOWN-ID`` as ``repair`` does.
* A column's name where the cover functions take the column (``hubs_by_group(entries, "group")``) said
  ``"groups" must hold one value per household (60 households); it holds 'group'`` and the fix to give one value
  per household; a table of columns said ``it holds DataFrame``; ``weights="persons"`` and
  ``coverage_table("walk_min", …)`` raised numpy's ``ValueError: could not convert string to float``. Now
  ``COVER-PER-HH`` (the name given, the fix ``households['group']``) and ``COVER-WEIGHTS`` with the fix
  ``weights=households['persons']``.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from yuanluo import UnitDelineator, check_plan
from yuanluo.gis.cover import (
    cover_entries,
    coverage_table,
    hubs_by_group,
    p_median,
    service_network,
    walk_sums,
)
from yuanluo.gis.errors import InputError
from yuanluo.gis.graph import TerrainGraph

N = 60


@pytest.fixture(scope="module")
def chain() -> tuple[gpd.GeoDataFrame, TerrainGraph, UnitDelineator]:
    """60 households in a row, 100 m apart, in two villager groups, delineated into units of 20-30."""
    xy = np.c_[np.arange(N) * 100.0, np.zeros(N)]
    ids = [f"H{i:03d}" for i in range(N)]
    hh = gpd.GeoDataFrame({"group": ["一组"] * 30 + ["二组"] * 30, "persons": [3] * N},
                          index=pd.Index(ids, name="hid"), geometry=gpd.points_from_xy(*xy.T), crs="EPSG:4545")
    g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(N - 1)], crs="EPSG:4545")
    model = UnitDelineator(20, 30, nest_by=("group",), require_head=False, random_state=0).fit(hh, g)
    return hh, g, model


def _codes(res) -> list[str]:  # type: ignore[no-untyped-def]
    """The codes of the errors (the warning RULE-UNAPPLIED says the households have no settlement column)."""
    v = res.violations
    return sorted(set(v.code[v.severity == "error"]))


def test_a_plan_that_lost_its_household_ids_is_checked_not_crashed(chain) -> None:  # type: ignore[no-untyped-def]
    hh, g, model = chain
    lost = model.labels_.reset_index(drop=True)  # indexed 0 … 59: no household named
    res = check_plan(hh, lost, model.rules(), graph=g)
    assert not res.passed and _codes(res) == ["PLAN-UNASSIGNED", "PLAN-UNKNOWN-ID"]
    en = " ".join(res.violations.message_en)
    assert "60 household ids not in the household file" in en and "ids 0, 1, 10" in en
    assert "方案中有 60 个户编号不在农户文件里" in " ".join(res.violations.message_zh)
    empty = check_plan(hh, pd.Series(dtype=object), model.rules(), graph=g)
    assert _codes(empty) == ["PLAN-UNASSIGNED"] and empty.units.empty
    with pytest.raises(InputError) as info:
        model.repair(hh, g, lost)
    assert [p.code for p in info.value.problems] == ["PLAN-UNKNOWN-ID"]


@pytest.fixture(scope="module")
def entries(chain):  # type: ignore[no-untyped-def]
    _, g, _ = chain
    net = service_network(g)
    return net, cover_entries(net, 15.0)


def _problem(call):  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as info:
        call()
    (p,) = info.value.problems
    return p


def test_a_column_name_given_for_the_column_is_said_so(chain, entries) -> None:  # type: ignore[no-untyped-def]
    hh, _, _ = chain
    net, ent = entries
    p = _problem(lambda: hubs_by_group(ent, "group"))
    assert p.code == "COVER-PER-HH"
    assert p.message("en").splitlines()[0] == ("Error COVER-PER-HH: groups must hold one value per household "
                                               "(60 households); 'group' was given.")
    assert "households['group']" in p.fix("en") and "not its name" in p.fix("en")
    assert p.title("zh") == "“groups” 须为每户一个值（60 户），给出的是 'group'。"
    assert "如 households['group']，而不是列名" in p.fix("zh")
    p = _problem(lambda: walk_sums(net, "group"))
    assert p.code == "COVER-PER-HH" and "households['group']" in p.fix("en")
    p = _problem(lambda: coverage_table("walk_min", hh["group"]))
    assert p.code == "COVER-PER-HH" and "minutes" in p.title("en") and "households['walk_min']" in p.fix("en")
    p = _problem(lambda: hubs_by_group(ent, hh[["group"]]))  # a table of one column
    assert p.code == "COVER-PER-HH" and p.title("en").endswith("DataFrame was given.")
    assert "such as a column of the household table" in p.fix("en") and "如农户表的一列" in p.fix("zh")


def test_weights_given_by_a_column_name_are_said_so(chain, entries) -> None:  # type: ignore[no-untyped-def]
    hh, _, _ = chain
    net, ent = entries
    for call in (lambda: p_median(ent, 2, weights="persons"), lambda: walk_sums(net, hh["group"], "persons")):
        p = _problem(call)
        assert p.code == "COVER-WEIGHTS"
        assert p.fix("en") == "pass the column itself, such as weights=households['persons'], not its name."
        assert p.fix("zh") == "传入列本身，如 weights=households['persons']，而不是列名。"
    p = _problem(lambda: p_median(ent, 2, weights=["3"] * (N - 1) + ["三"]))  # text among the numbers
    assert p.code == "COVER-WEIGHTS" and "blanks, negative numbers or text" in p.fix("en")
    assert p_median(ent, 2, weights=hh["persons"]).chosen.tolist() == p_median(ent, 2).chosen.tolist()


def test_households_without_a_crs_are_said_so_by_the_unit_layers(chain) -> None:  # type: ignore[no-untyped-def]
    """unit_territories, meeting_points, unit_adjacency and build_hierarchy (the notebook's map layers) said of
    households whose crs is None CRS-PROJECTED "the CRS None of the households is not a projected CRS in metres",
    fix: project with to_working_crs(), which a frame without a CRS cannot do; now CRS-UNSET, as check_plan and
    build_graph say it, its fix declaring the CRS first."""
    from yuanluo.gis.hierarchy import build_hierarchy
    from yuanluo.gis.units import meeting_points, unit_adjacency, unit_territories

    hh, g, model = chain
    bare = hh.set_crs(None, allow_override=True)
    meet = model.units_.set_index("unit_id")["meeting_hid"]
    for call in (lambda: unit_territories(bare, model.labels_), lambda: meeting_points(bare, model.labels_, meet),
                 lambda: unit_adjacency(bare, model.labels_, g), lambda: build_hierarchy(bare, model.labels_)):
        p = _problem(call)
        assert p.code == "CRS-UNSET" and "set_crs('EPSG:4545')" in p.fix("en") and "set_crs" in p.fix("zh")


def test_meeting_points_take_the_units_table(chain) -> None:  # type: ignore[no-untyped-def]
    """meeting_points(households, labels, model.units_) raised pandas' "Cannot construct a Series from a
    DataFrame"; it takes a table as check_plan does (meeting_series): units_ itself, or its two columns."""
    from yuanluo.gis.units import meeting_points

    hh, _, model = chain
    want = meeting_points(hh, model.labels_, model.units_.set_index("unit_id")["meeting_hid"])
    for table in (model.units_, model.units_[["unit_id", "meeting_hid"]]):
        got = meeting_points(hh, model.labels_, table)
        assert got[["unit_id", "hid"]].values.tolist() == want[["unit_id", "hid"]].values.tolist()
    assert _problem(lambda: meeting_points(hh, model.labels_, ["H000"])).code == "MEETING-POINTS-TYPE"


def test_the_six_sided_helpers_say_a_wrong_count_of_categories() -> None:
    """fullness([…5 values]) raised a bare ValueError "six values needed, got shape (5,)", hexagon_vertices numpy's
    "operands could not be broadcast together", weakest zip's "argument 2 is shorter than argument 1", and
    category_label("庭院经济") the catalogue's KeyError; now MAT-SIX (six values of text: MAT-SIX-NUMBERS) and
    MAT-CATEGORY, in both languages."""
    from yuanluo.gis.maturity import category_label, fullness, hexagon_vertices, weakest

    for f in (fullness, hexagon_vertices, weakest):
        p = _problem(lambda f=f: f([5, 6, 7, 8, 9]))
        assert p.code == "MAT-SIX" and p.title("en") == (
            f"{f.__name__} takes six values, one per category (in the order policy, consultation, mediation, "
            "environment, civility, economy); it was given 5.")
        assert p.title("zh") == (f"“{f.__name__}” 须给六个值，每类一个（按政策宣讲、协商议事、矛盾调处、环境整治、"
                                 "文明乡风、庭院经济的顺序），给出的有 5 个。")
    p = _problem(lambda: fullness(["policy", "consultation", "mediation", "environment", "civility", "economy"]))
    assert p.code == "MAT-SIX-NUMBERS" and "must be numbers (NaN for a category not rated)" in p.title("en")
    assert fullness([10.0] * 6) == 1.0 and weakest([7, 5, 9, 5, float("nan"), 8]) == "consultation,environment"
    p = _problem(lambda: category_label("庭院经济"))
    assert p.code == "MAT-CATEGORY" and p.title("zh") == "没有名为 '庭院经济' 的类别。"
    assert p.fix("en") == "use one of the category keys: policy, consultation, mediation, environment, civility, economy."


def test_build_graph_says_a_walk_limit_that_is_no_number_of_minutes() -> None:
    """build_graph(hh, max_walk_min="10") raised numpy's UFuncTypeError "ufunc 'greater' did not contain a loop
    with signature matching types", and max_walk_min=-1 built a graph with every edge between locations cut for
    length, silently; now GRAPH-MAX-WALK (the CLI's --max-edge-walk is held to at least 0.1 by its option)."""
    from yuanluo import build_graph

    xy = np.c_[np.arange(5) * 50.0, np.zeros(5)]
    hh = gpd.GeoDataFrame(index=pd.Index([f"h{i}" for i in range(5)], name="hid"), geometry=gpd.points_from_xy(*xy.T),
                          crs="EPSG:4545")
    for given, said in (("10", "'10'"), (-1, "-1"), (float("nan"), "nan"), (0, "0")):
        p = _problem(lambda given=given: build_graph(hh, max_walk_min=given))
        assert p.code == "GRAPH-MAX-WALK" and p.title("en") == (
            "max_walk_min= must be a number of minutes above 0 (the longest walk of one neighbour edge); "
            f"{said} was given.")
        assert p.fix("zh") == "不给 “max_walk_min=”（默认 10 分钟），或给一个正数，如 “max_walk_min=15”。"
    assert build_graph(hh, max_walk_min=np.float32(2.0)).m == 4 and build_graph(hh, max_walk_min=0.1).m == 0


def test_a_layer_in_the_wrong_zone_is_said_without_a_numpy_warning() -> None:
    """A river polygon whose .prj says the prefixed zone (EPSG:4524) over eastings without the prefix reprojects
    to coordinates out of range; build_graph said BARRIER-GKPREFIX and, before it, shapely's RuntimeWarning
    "invalid value encountered in make_valid_with_params" from gis.barriers. Now the coded error alone."""
    import warnings

    from shapely.geometry import Polygon

    from yuanluo import build_graph

    e0, n0 = 474_000.0, 3_297_000.0
    xy = np.array([[e0 + x, n0 + y] for x in (0, 20, 40, 160, 180, 200) for y in (0, 20, 40)])
    hh = gpd.GeoDataFrame(index=pd.Index([f"h{i:02d}" for i in range(len(xy))], name="hid"),
                          geometry=gpd.points_from_xy(*xy.T), crs="EPSG:4545")
    river = gpd.GeoDataFrame({"name": ["长江"]}, geometry=[Polygon(
        [(e0 + 90, n0 - 500), (e0 + 110, n0 - 500), (e0 + 110, n0 + 500), (e0 + 90, n0 + 500)])], crs="EPSG:4524")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = _problem(lambda: build_graph(hh, rivers=river))
    assert p.code == "BARRIER-GKPREFIX" and p.params["suggest"] == "EPSG:4545"


def test_service_network_takes_a_layer_of_points(chain) -> None:  # type: ignore[no-untyped-def]
    """service_network(graph, halls) of a GeoDataFrame of points (a layer read by read_layer, or households picked
    as candidates) said COVER-SITE-XY with the frame's rows as its value ("[[6, 'V001', 'V001-G1', …"); it now
    takes the points, reprojected to the graph's CRS, as the (k, 2) array it took. A layer without a CRS is
    CRS-UNSET; one of polygons COVER-SITE-XY naming the shapes."""
    from shapely.geometry import box

    hh, g, _ = chain
    halls = hh.iloc[[3, 30, 50]].assign(name=["甲", "乙", "丙"])
    want = service_network(g, np.column_stack([halls.geometry.x, halls.geometry.y]))
    for given in (halls, halls.geometry, halls.to_crs("EPSG:4490")):
        net = service_network(g, given)
        assert np.allclose(net.site_xy, want.site_xy, atol=1e-3) and net.node.tolist() == want.node.tolist()
    assert _problem(lambda: service_network(g, halls.set_crs(None, allow_override=True))).code == "CRS-UNSET"
    p = _problem(lambda: service_network(g, gpd.GeoSeries([box(0, 0, 1, 1)], crs="EPSG:4545")))
    assert p.code == "COVER-SITE-XY" and "Polygon" in p.title("en")


def test_the_cover_objects_show_short_in_a_notebook(entries) -> None:  # type: ignore[no-untyped-def]
    """A notebook cell ending in ``net`` or ``entries`` showed the dataclass's whole arrays and sparse matrix
    (thousands of characters for 60 households); they now say themselves in one line, as Siting does."""
    net, ent = entries
    assert repr(net) == ("ServiceNetwork(n=60, sites=60 ['H000', 'H001', 'H002', 'H003', 'H004'] …, attached=60, "
                         "far=0, across=0)")
    assert repr(ent).startswith("CoverEntries(pairs=") and "limit_min=15" in repr(ent) and len(repr(ent)) < 120
    assert repr(walk_sums(net, ["A"] * N)) == "WalkSums(groups=1 ['A'], sites=60, longest=" + \
        f"{walk_sums(net, ['A'] * N).longest:g})"


def test_a_finding_prints_as_its_message(chain, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """``for p in model.problems_: print(p)`` printed the dataclass, its parameters in both languages at once
    ("'why': {'zh': '孤立片区共 16 户；…', 'en': 'isolated area of 16 households; …'}"); print now gives the
    message in the chosen language (YUANLUO_LANG), as str(error) does."""
    from yuanluo.gis.errors import problem

    p = problem("RULE-INFEASIBLE", severity="warning", ids=["H001"], unit="U001", size=1,
                what={"zh": "户", "en": "households"}, lo=20, hi=50,
                why={"zh": "孤立片区共 1 户", "en": "isolated area of 1 household"}, then={"zh": "", "en": ""})
    monkeypatch.setenv("YUANLUO_LANG", "en")
    assert str(p) == p.message("en") and "isolated area of 1 household" in str(p) and "孤立" not in str(p)
    monkeypatch.setenv("YUANLUO_LANG", "zh")
    assert str(p) == p.message("zh") and "孤立片区共 1 户" in str(p) and "isolated" not in str(p)
    assert "params=" in repr(p)  # the repr keeps the parameters
