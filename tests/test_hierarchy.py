"""Tests for yuanluo.gis.hierarchy: the six-level organisation tree.

Fixture (x in metres along one line, y = 0; P = party member)::

    V1/G1  U1:  h01(0,P)  h02(10)  h05(20)  h03(30)  h04(40,P)
    V1/G2  U2:  h06(100)
    V2/--  U3:  h07(200,P "是")  h08(210 "否")       group missing -> "(未分组)"
    V1/G1  --:  h09(300)                              unassigned -> "(未分配)"

Nearest centres by hand: h02 -> h01 (10 vs 30), h03 -> h04 (10 vs 30), h05 -> tie 20/20 -> h01.
"""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yuanluo.gis.errors import InputError, OutputError
from yuanluo.gis.hierarchy import (
    LEVELS,
    UNASSIGNED,
    UNGROUPED,
    build_hierarchy,
    hierarchy_table,
    read_hierarchy,
    write_hierarchy,
)

CRS = "EPSG:4545"
X0, Y0 = 500_000.0, 3_300_000.0


def fixture() -> tuple[gpd.GeoDataFrame, pd.Series]:
    rows = [
        ("h01", 0, "V1", "G1", "U1", True),
        ("h02", 10, "V1", "G1", "U1", False),
        ("h03", 30, "V1", "G1", "U1", False),
        ("h04", 40, "V1", "G1", "U1", True),
        ("h05", 20, "V1", "G1", "U1", False),
        ("h06", 100, "V1", "G2", "U2", False),
        ("h07", 200, "V2", None, "U3", "是"),
        ("h08", 210, "V2", None, "U3", "否"),
        ("h09", 300, "V1", "G1", None, False),
    ]
    hh = gpd.GeoDataFrame(
        {
            "village": [r[2] for r in rows],
            "group": [r[3] for r in rows],
            "party_member": [r[5] for r in rows],
            "head_candidate": [r[0] in ("h02", "h06") for r in rows],
            "name": ["张三", "李四", "王五", "赵六", "钱七", "孙八", "周九", "吴十", "郑一"],
            "phone": ["13800000000"] * 9,
        },
        geometry=gpd.points_from_xy([X0 + r[1] for r in rows], [Y0] * 9),
        index=pd.Index([r[0] for r in rows], name="hid"),
        crs=CRS,
    )
    labels = pd.Series({r[0]: r[4] for r in rows if r[4] is not None})
    return hh, labels


def test_every_household_exactly_once_and_levels_in_order() -> None:
    hh, labels = fixture()
    g = build_hierarchy(hh, labels, town="某镇")
    assert nx.is_arborescence(g)
    leaves = [n for n, d in g.nodes(data=True) if d["level"] == "household"]
    assert sorted(g.nodes[n]["hid"] for n in leaves) == sorted(hh.index)
    assert all(g.out_degree(n) == 0 and g.in_degree(n) == 1 for n in leaves)
    rank = {lv: i for i, lv in enumerate(LEVELS)}
    for a, b in g.edges:
        assert rank[g.nodes[a]["level"]] < rank[g.nodes[b]["level"]]
    # town -> village -> group -> unit always present on the path (centre may be skipped)
    for n in leaves:
        path = [g.nodes[p]["level"] for p in nx.shortest_path(g, "town", n)]
        assert path[:4] == ["town", "village", "group", "unit"] and path[-1] == "household"
    assert g.nodes["town"]["name"] == "某镇"
    assert g.nodes["town"]["n_households"] == 9


def test_centres_chosen_by_distance_with_deterministic_ties() -> None:
    hh, labels = fixture()
    table = hierarchy_table(build_hierarchy(hh, labels))
    assert table["centre_hid"].to_dict() == {
        "h01": "h01", "h02": "h01", "h03": "h04", "h04": "h04", "h05": "h01",
        "h06": None, "h07": "h07", "h08": "h07", "h09": None,
    }
    assert table.loc["h09", "unit_id"] == ""
    assert table.loc["h07", "group"] == UNGROUPED and table.loc["h07", "village"] == "V2"


def test_unit_attributes_filled_and_unassigned_nodes() -> None:
    hh, labels = fixture()
    units = pd.DataFrame({"unit_id": ["U1", "U2", "U3", "U4"], "status": ["ok", "exception", "ok", "ok"],
                          "meeting_hid": ["h05", "h06", "h07", None], "village": ["V1", "V1", "V2", "V3"]})
    g = build_hierarchy(hh, labels, units=units)
    u1 = g.nodes["unit:U1"]
    assert (u1["n_households"], u1["n_centres"], u1["n_heads"], u1["has_head"]) == (5, 2, 1, True)
    assert (u1["status"], u1["meeting_hid"]) == ("ok", "h05")
    assert g.nodes["unit:U2"]["status"] == "exception" and g.nodes["unit:U3"]["has_head"] is False
    assert g.nodes["group:V2/" + UNGROUPED]["filled"] is True
    assert g.nodes["group:V1/G1"]["filled"] is False
    un = "unit:" + UNASSIGNED + "@V1/G1"
    assert g.nodes[un]["unassigned"] and list(g.successors(un)) == ["household:h09"]
    assert g.nodes["group:V1/G1"]["n_units"] == 1 and g.nodes["group:V1/G1"]["n_households"] == 6
    # a unit of the table without households still appears, under its village
    assert g.nodes["unit:U4"]["n_households"] == 0
    assert list(g.predecessors("unit:U4")) == ["group:V3/" + UNGROUPED]


def test_missing_admin_columns_and_party_column() -> None:
    hh, labels = fixture()
    hh = hh.drop(columns=["village", "group", "party_member"])
    g = build_hierarchy(hh, labels)
    villages = [n for n, d in g.nodes(data=True) if d["level"] == "village"]
    assert villages == ["village:" + UNGROUPED] and g.nodes[villages[0]]["filled"] is True
    assert not any(d["level"] == "centre" for _, d in g.nodes(data=True))
    assert sorted(g.successors("unit:U3")) == ["household:h07", "household:h08"]


def test_mixed_unit_hangs_under_majority_group() -> None:
    hh, labels = fixture()
    hh = hh.copy()
    hh.loc["h02", "group"] = "G2"  # U1 now spans G1 (4) and G2 (1)
    g = build_hierarchy(hh, labels)
    assert g.nodes["unit:U1"]["mixed"] is True
    assert list(g.predecessors("unit:U1")) == ["group:V1/G1"]


def test_deterministic_under_row_order() -> None:
    hh, labels = fixture()
    a = build_hierarchy(hh, labels)
    b = build_hierarchy(hh.iloc[::-1], labels.iloc[::-1])
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges) == list(b.edges)


def test_bad_flag_values_reported() -> None:
    hh, labels = fixture()
    hh = hh.copy()
    hh["party_member"] = ["maybe", "1", "0", "yes", "", "no", "是", "否", "2"]
    with pytest.raises(InputError) as exc:
        build_hierarchy(hh, labels)
    assert exc.value.codes == ["HIER-BOOL"]
    assert "h01" in str(exc.value) and "h09" in str(exc.value) and "maybe" in str(exc.value)


@pytest.mark.parametrize("suffix", [".graphml", ".json"])
def test_write_read_roundtrip_without_personal_fields(tmp_path, suffix: str) -> None:
    hh, labels = fixture()
    g = build_hierarchy(hh, labels)
    out = write_hierarchy(g, tmp_path / f"tree{suffix}")
    text = out.read_text(encoding="utf-8")
    assert "张三" not in text and "13800000000" not in text
    back = read_hierarchy(out)
    assert sorted(back.nodes) == sorted(g.nodes) and sorted(back.edges) == sorted(g.edges)
    pd.testing.assert_frame_equal(hierarchy_table(back), hierarchy_table(g))
    assert [p.name for p in tmp_path.iterdir()] == [f"tree{suffix}"]  # no temporary file left


def test_write_errors(tmp_path) -> None:
    hh, labels = fixture()
    g = build_hierarchy(hh, labels)
    with pytest.raises(OutputError) as exc:
        write_hierarchy(g, tmp_path / "tree.csv")
    assert exc.value.codes == ["HIER-FORMAT"]
    with pytest.raises(OutputError) as exc:
        write_hierarchy(g, tmp_path / "missing-dir" / "tree.json")
    assert exc.value.codes == ["OUT-WRITE"]  # the one atomic writer, with the cause


@settings(deadline=None, max_examples=30)
@given(st.lists(st.tuples(st.integers(0, 20), st.sampled_from(["A", "B", "C", None]), st.booleans(),
                          st.sampled_from(["G1", "G2", None])), min_size=1, max_size=30))
def test_counts_conserved(rows: list[tuple[int, str | None, bool, str | None]]) -> None:
    ids = [f"h{i:02d}" for i in range(len(rows))]
    hh = gpd.GeoDataFrame(
        {"group": [r[3] for r in rows], "party_member": [r[2] for r in rows]},
        geometry=gpd.points_from_xy([X0 + 5.0 * r[0] for r in rows], [Y0] * len(rows)),
        index=pd.Index(ids, name="hid"), crs=CRS,
    )
    labels = pd.Series([r[1] for r in rows], index=ids, dtype=object)
    g = build_hierarchy(hh, labels)
    assert nx.is_arborescence(g)
    table = hierarchy_table(g)
    assert sorted(table.index) == sorted(ids)  # in the tree's order (tests/test_s37_g_hierarchy_order.py)
    units = [d for _, d in g.nodes(data=True) if d["level"] == "unit"]
    assert sum(d["n_households"] for d in units) == len(ids) == g.nodes["town"]["n_households"]
    # a centre is always a party member of the same unit, and the nearest one
    xs = np.array([5.0 * r[0] for r in rows])
    pos = {h: i for i, h in enumerate(ids)}
    for hid, c in table["centre_hid"].items():
        mates = [h for h in ids if labels[h] is not None and labels[h] == labels[hid] and hh.loc[h, "party_member"]]
        if labels[hid] is None or not mates:
            assert c is None
            continue
        assert c in mates
        best = min(abs(xs[pos[m]] - xs[pos[hid]]) for m in mates)
        assert abs(xs[pos[c]] - xs[pos[hid]]) == best


# ------------------------------------------------------------------------------------ heads (院落长)
def test_each_unit_with_a_candidate_has_a_head_node_above_its_centres() -> None:
    hh, labels = fixture()  # candidates: h02 (U1), h06 (U2); U3 has none
    g = build_hierarchy(hh, labels)
    assert nx.is_arborescence(g)
    assert list(g.successors("unit:U1")) == ["head:U1"]
    assert sorted(g.successors("head:U1")) == ["centre:h01", "centre:h04"]
    assert (g.nodes["head:U1"]["level"], g.nodes["head:U1"]["hid"], g.nodes["unit:U1"]["head_hid"]) == (
        "head", "h02", "h02")
    assert list(g.successors("head:U2")) == ["household:h06"]
    assert "head:U3" not in g and list(g.successors("unit:U3")) == ["centre:h07"]
    table = hierarchy_table(g)
    assert table["head_hid"].to_dict() == {"h01": "h02", "h02": "h02", "h03": "h02", "h04": "h02", "h05": "h02",
                                           "h06": "h06", "h07": None, "h08": None, "h09": None}
    assert table["centre_hid"]["h03"] == "h04"  # the centres are unchanged below the head


def test_the_head_is_the_candidate_nearest_the_meeting_point() -> None:
    hh, labels = fixture()
    hh = hh.copy()
    hh.loc["h04", "head_candidate"] = True  # U1: candidates h02 (x 10) and h04 (x 40)
    g = build_hierarchy(hh, labels)  # no meeting point: the mean of U1 (x 20); h02 at 10, h04 at 20
    assert (g.nodes["head:U1"]["hid"], g.nodes["head:U1"]["candidates"]) == ("h02", '["h02", "h04"]')
    units = pd.DataFrame({"unit_id": ["U1"], "meeting_hid": ["h03"]})  # x 30: h04 at 10, h02 at 20
    g = build_hierarchy(hh, labels, units=units)
    assert (g.nodes["head:U1"]["hid"], g.nodes["head:U1"]["n_candidates"]) == ("h04", 2)


def test_the_unit_table_gives_the_heads_where_it_has_them() -> None:
    hh, labels = fixture()
    units = pd.DataFrame({"unit_id": ["U1", "U2"], "head_hid": ["h05", ""],
                          "head_candidates": ['["h05", "h02"]', "[]"]})
    g = build_hierarchy(hh, labels, units=units)
    assert g.nodes["head:U1"]["hid"] == "h05" and g.nodes["head:U1"]["candidates"] == '["h05", "h02"]'
    assert "head:U2" not in g  # the table says U2 has none


def test_heads_survive_graphml(tmp_path) -> None:
    hh, labels = fixture()
    g = build_hierarchy(hh, labels)
    back = read_hierarchy(write_hierarchy(g, tmp_path / "t.graphml"))
    assert back.nodes["head:U1"]["level"] == "head" and back.nodes["head:U1"]["candidates"] == '["h02"]'
    assert hierarchy_table(back)["head_hid"].tolist() == hierarchy_table(g)["head_hid"].tolist()


def test_delineation_heads_reach_the_hierarchy() -> None:
    from yuanluo.gis.cluster import UnitDelineator
    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.rules import Rules
    from yuanluo.gis.synth import make_village

    v = make_village(120, seed=3)
    model = UnitDelineator.from_rules(Rules(min_size=15, max_size=40, require_head=True), random_state=0).fit(
        v.households, build_graph(v.households))
    table = hierarchy_table(build_hierarchy(v.households, model.labels_, units=model.units_))
    units = model.units_.set_index("unit_id")
    with_head = units[units["head_hid"] != ""]
    assert len(with_head) > 0
    got = table.dropna(subset=["head_hid"]).groupby("unit_id")["head_hid"].first()
    assert got.to_dict() == with_head["head_hid"].to_dict()
    # every head is a candidate of its own unit
    assert all(model.labels_[h] == u and v.households.loc[h, "head_candidate"] for u, h in got.items())


def test_yes_no_cells_read_as_the_household_reader_reads_them() -> None:
    """The hierarchy kept its own yes/no words: 中共党员, ✔ and 有 (yes to the household reader) stopped it with
    HIER-BOOL, and "x" was yes here only."""
    hh, labels = fixture()
    hh["party_member"] = ["中共党员", "非党员", "群众", "✔", "有", "无", "是", "否", ""]
    hh["head_candidate"] = ["对", "", "", "", "", "1.0", "", "", ""]
    g = build_hierarchy(hh, labels)
    heads = {d["hid"] for _, d in g.nodes(data=True) if d.get("level") == "head"}
    assert heads == {"h01", "h06"}, heads
    hh["party_member"] = ["x", "", "", "", "", "", "", "", ""]
    with pytest.raises(InputError) as err:
        build_hierarchy(hh, labels)
    assert "HIER-BOOL" in str(err.value)
