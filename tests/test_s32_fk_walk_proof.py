"""A WALK-LIMIT exception says whether it is proven unavoidable (session 32, fixer FK, defect 2).

A delineation's WALK-LIMIT reason stated only the breach ("2 households walk more than 10 min to the meeting point
AD0412 (farthest 15.5 min)"), never whether it could be avoided, while the other exceptions state their proof or say
none was found. It now says which holds, proven as ``check`` proves it (WALK-EXCEPTION,
:func:`yuanluo.gis.check.walk_unavoidable`: within the limit of each household beyond it lies no place that the
band's minimum can all reach within the limit), or not proven (the search found no division keeping them within
the limit, but one may exist). On the Andorra sample (banan, 10 minutes, heads_for_size 40, the auditor's candidate
columns) U003, U015 and U031 read proven and U005 not proven, as ``check`` finds them (WALK-EXCEPTION,
DECLARED-EXCEPTION).
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.delineate.reasons import complete, reasons_in, render_reason
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.rules import Rules


def _line(n: int, metres: float) -> tuple[gpd.GeoDataFrame, TerrainGraph]:
    ids = [f"H{i}" for i in range(n)]
    xy = [[metres * i, 0.0] for i in range(n)]
    hh = gpd.GeoDataFrame(index=pd.Index(ids, name="hid"), geometry=gpd.points_from_xy(*zip(*xy, strict=True)),
                          crs="EPSG:4545")
    return hh, TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(n - 1)], crs="EPSG:4545")


def test_a_walk_limit_no_unit_can_keep_says_it_is_proven_as_check_proves_it() -> None:
    """A row of 7 households 1.4 minutes apart under a 3-minute limit and a band of 6–10: one unit of 7, its ends
    4.2 minutes from the middle; within 3 minutes of an end lie 3 households, each reached within 3 minutes by at
    most 5 < 6: proven."""
    hh, g = _line(7, 93.0)
    d = UnitDelineator.from_rules(Rules(6, 10, max_walk_min=3.0), random_state=0).fit(hh, g)
    (row,) = d.units_.to_dict("records")
    params = json.loads(row["reason_params"])
    assert row["code"] == "WALK-LIMIT" and params["proof"] == "remote" and params["beyond"] == 2, row
    zh, en = (render_reason(row["code"], params, lang) for lang in ("zh", "en"))
    assert zh.endswith("；已证明无法避免：从这些户出发 3 分钟内，没有一处能让 6 户都在 3 分钟内走到的地点，"
                       "含有它们的院落无论怎样划分都不能让每户都在步行上限内"), zh
    assert en.endswith("; proven unavoidable: within 3 min of each of them lies no place that 6 households can all "
                       "reach within 3 min, so no unit holding them can keep every member within the limit"), en
    assert row["reason"] == zh
    walk = next(p for p in d.problems_ if p.code == "WALK-LIMIT")
    assert "proven unavoidable" in walk.message("en") and "已证明无法避免" in walk.message("zh")
    found = d.check(hh, g).violations
    assert set(found.loc[found["unit_id"] == row["unit_id"], "code"]) == {"WALK-EXCEPTION"}


def test_a_walk_limit_not_proven_says_so_and_an_old_file_says_neither() -> None:
    params = {"why": "walk_limit", "beyond": 2, "meeting": "AD0412", "limit": 10.0, "worst": "15.5", "size": 38,
              "what": "households", "lo": 20, "hi": 50, "total": 905}
    zh, en = (render_reason("WALK-LIMIT", {**params, "proof": "unproven"}, lang) for lang in ("zh", "en"))
    assert zh == ("步行超过上限（WALK-LIMIT）：38 户，2 户到议事点 AD0412 的步行时间超过 10 分钟（最远 15.5 分钟）；"
                  "未能证明无法避免：搜索没有找到让每户都在步行上限内的划分，但不能排除存在这样的划分，可手工调整院落边界再试")
    assert en == ("beyond the walking limit (WALK-LIMIT): 38 households, 2 households walk more than 10 min to the "
                  "meeting point AD0412 (farthest 15.5 min); not proven unavoidable: the search found no division "
                  "keeping every member within the limit, but one may exist; the unit boundaries may be adjusted by "
                  "hand")
    old = render_reason("WALK-LIMIT", params, "en")  # a result written before the proof was recorded
    assert old.endswith("(farthest 15.5 min)") and "proven" not in old
    # a hand-edited cell lacking what the proof names is shown as the file has it, not with a bare {lo}
    cut = {k: v for k, v in params.items() if k != "lo"} | {"proof": "remote"}
    assert complete(params) and not complete(cut)
    t = pd.DataFrame({"code": ["WALK-LIMIT"], "reason": ["own"], "reason_params": [json.dumps(cut)]})
    assert reasons_in(t, "en").tolist() == ["own"]


@pytest.mark.slow
def test_on_the_sample_each_walk_limit_reads_as_check_finds_it(tmp_path: Path) -> None:
    """Every WALK-LIMIT unit of the Andorra sample under a 10-minute limit says proven exactly where ``check``
    proves it remote (WALK-EXCEPTION) and not proven where it can only take the delineation's word
    (DECLARED-EXCEPTION)."""
    from typer.testing import CliRunner

    from yuanluo.planners.cli import app
    from yuanluo.planners.workflows import sample_paths

    p = sample_paths()
    rules = tmp_path / "rules.toml"
    rules.write_text('[rules]\npreset = "banan"\nmax_walk_min = 10.0\nheads_for_size = 40\n', encoding="utf-8")
    out, js = tmp_path / "r.gpkg", tmp_path / "c.json"
    terrain = ["--dem", p["dem"], "--rivers", p["rivers"], "--water", p["water"], "--roads", p["roads"]]
    runner = CliRunner()
    res = runner.invoke(app, ["delineate", p["households"], *terrain, "--rules", str(rules), "-o", str(out), "-q"],
                        env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["check", str(out), *terrain, "--json", str(js), "-q"], env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    units = gpd.read_file(out, layer="units")
    walk = units[units["code"] == "WALK-LIMIT"]
    assert len(walk)
    found = {(v["unit_id"], v["code"]) for v in json.loads(js.read_text(encoding="utf-8"))["violations"]}
    for uid, params in zip(walk["unit_id"], walk["reason_params"], strict=True):
        proof = json.loads(params)["proof"]
        assert ((uid, "WALK-EXCEPTION") in found) == (proof == "remote"), (uid, proof)
        assert ((uid, "DECLARED-EXCEPTION") in found) == (proof == "unproven"), (uid, proof)
