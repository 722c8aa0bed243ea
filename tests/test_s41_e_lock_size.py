"""A size exception the lock causes names the lock (session 41, helper E, issue 13 item 4).

A street of 13 households 60 m apart and an island of 3, 20 km off (``yuanluo.gis.synth_streets``); band 4–6; the
plan U1 = H001–H003, U2 = H004–H008, U3 = H009–H013, I1 = the island; ``delineate --plan --lock U2``. Redrawn
without U2's households, H001–H003 are an area of 3, below the floor: it said "isolated area of 3 households; no
walkable link to other households" and asked to look for a bridge, when the only thing keeping them from a unit is
the lock on U2 (the street of 13 makes units of 4–6). The island, which no lock touches, still says what it said.
"""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo import build_graph
from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.lock import delineate_around
from yuanluo.gis.synth_streets import street_households
from yuanluo.planners.cli.app import app

PLAN = ["U1"] * 3 + ["U2"] * 5 + ["U3"] * 5 + ["I1"] * 3


def _infeasible(problems, hid: str):
    return next(q for q in problems if q.code == "RULE-INFEASIBLE" and hid in {str(x) for x in q.ids})


def test_delineate_around_names_the_lock_that_cuts_an_area_below_the_floor() -> None:
    hh = street_households(13, [3])
    g = build_graph(hh, max_walk_min=1.0)
    out = delineate_around(hh, g, pd.Series(PLAN, index=hh.index), ["U2"],
                           lambda: UnitDelineator(min_size=4, max_size=6, random_state=0))
    street = _infeasible(out.model.problems_, "H001")
    assert "U2" in street.params["why"]["en"] and "13 households" in street.params["why"]["en"]
    assert "no walkable link" not in street.params["why"]["en"]
    assert "U2" in street.params["then"]["en"] and "U2" in street.params["why"]["zh"]
    island = _infeasible(out.model.problems_, "H014")
    assert "lock" not in island.params["why"]["en"] and "beyond the join limit" in island.params["why"]["en"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_yuanluo_delineate_lock_says_the_lock_is_why(tmp_path, lang: str) -> None:
    hh = street_households(13, [3])
    geo = hh.geometry.to_crs(4326)
    pd.DataFrame({"户编号": hh.index, "经度": geo.x.round(8).to_numpy(), "纬度": geo.y.round(8).to_numpy()}).to_csv(
        tmp_path / "hh.csv", index=False, encoding="utf-8-sig")
    pd.DataFrame({"户编号": hh.index, "院落编号": PLAN}).to_csv(tmp_path / "plan.csv", index=False, encoding="utf-8-sig")
    (tmp_path / "rules.toml").write_text("[rules]\nmin_size = 4\nmax_size = 6\nrequire_head = false\n"
                                         "keep_settlements = false\nnest_by = []\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["--lang", lang, "delineate", str(tmp_path / "hh.csv"), "--crs", "EPSG:4326",
                                   "--plan", str(tmp_path / "plan.csv"), "--lock", "U2", "--rules",
                                   str(tmp_path / "rules.toml"), "--max-edge-walk", "1", "-o",
                                   str(tmp_path / "out.gpkg")], env={"COLUMNS": "400"})
    assert out.exit_code == 0, out.output
    text = " ".join(out.output.split())
    if lang == "zh":
        assert "原因在于锁定：院落 U2（共 5 户）已锁定" in text and "不锁定时，所在连通片区共 13 户" in text
        assert "解除院落 U2 的锁定" in text and "或者或" not in text
    else:
        assert "the lock is why: U2, locked (5 households), could not be redrawn" in text
        assert "its connected area would hold 13 households" in text
        assert "unlock U2 (take the ids out of --lock" in text and "or or" not in text
