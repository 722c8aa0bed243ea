"""Session 47, helper A: step 5 of the head stage (the exact cut of a component still lacking heads) took the
first split its MILP found, whatever it walked; it now also tries the walk-ordered exact search
(``headsearch.head_split(walk=)``, settlements whole) at the component's present count of units and at the
MILP's count, and keeps the cut lacking fewest heads, then walking least. On the synthetic village of 3,000
households, seed 2, changshou, heads on, the households walk 2,847.1 minutes in all on the old code and
2,799.2 now (3,000 x 16: 42,725.5 -> 42,678.5 minutes, HEAD-SHORT and HEAD-UNPLACED unchanged)."""
from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.neighbours import build_graph
from yuanluo.gis.rules import Rules
from yuanluo.gis.synth import make_village


def test_step5_walks_less_changshou_seed2():
    v = make_village(3000, seed=2)
    g = build_graph(v.households, rivers=v.rivers, roads=v.roads)
    d = UnitDelineator.from_rules(Rules(15, 25, name="changshou"), random_state=2, require_head=True).fit(
        v.households, g)
    u = d.units_
    assert int(((u["status"] == "ok") & (u["n_heads"] == 0)).sum()) == 0
    assert float((u["mean_walk_min"] * u["n_households"]).sum()) < 2820.0
