"""A walking-limit breach says, in its fix and in every reason that names it, whether it is proven unavoidable
(session 33, fixer FD).

Session 32 (e95f965) made a WALK-LIMIT reason say "proven unavoidable" or "not proven", from ``check``'s proof
(:func:`yuanluo.gis.check.walk_unavoidable`). Two things were left: WALK-LIMIT's fix was one text either way ("add
a meeting point, or adjust the unit boundaries by hand so that every household is within the limit"), which for a
proven breach asks for what the proof shows cannot work; and an exception for another reason (RULE-INFEASIBLE,
HEAD-SHORT …) with households beyond the limit too said "also, 2 households walk more than …" and no proof. Now
the fix of a proven breach says nothing drawn can mend it (``check`` passes it as WALK-EXCEPTION; a missing path
or a larger limit can), that of an unproven one what may (another seed, ``yuanluo edit``); and the walking clause
of another exception says proven or not, from the same proof, in the same words.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from yuanluo.gis.catalogue import Lang, both
from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.delineate.reasons import complete, fix_then, reasons_in, render_reason
from yuanluo.gis.errors import problem
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.rules import Rules

OLD_FIX_EN = "add a meeting point, or adjust the unit boundaries by hand"
OLD_FIX_ZH = "另设一处议事点，或手工调整院落边界"
REMOTE_EN = ("proven unavoidable: within 3 min of each of them lies no place that 6 households can all reach within "
             "3 min, so no unit holding them can keep every member within the limit")
REMOTE_ZH = ("已证明无法避免：从这些户出发 3 分钟内，没有一处能让 6 户都在 3 分钟内走到的地点，"
             "含有它们的院落无论怎样划分都不能让每户都在步行上限内")
UNPROVEN_EN = ("not proven unavoidable: the search found no division keeping every member within the limit, but one "
               "may exist")
UNPROVEN_ZH = "未能证明无法避免：搜索没有找到让每户都在步行上限内的划分，但不能排除存在这样的划分"


def _line(n: int, metres: float, **cols: list[object]) -> tuple[gpd.GeoDataFrame, TerrainGraph]:
    ids = [f"H{i}" for i in range(n)]
    xy = [[metres * i, 0.0] for i in range(n)]
    hh = gpd.GeoDataFrame(cols, index=pd.Index(ids, name="hid"),
                          geometry=gpd.points_from_xy(*zip(*xy, strict=True)), crs="EPSG:4545")
    return hh, TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(n - 1)], crs="EPSG:4545")


def test_a_proven_walk_limit_fix_asks_for_nothing_the_proof_rules_out() -> None:
    """7 households 1.4 min apart, band 6–10, limit 3 min: one unit, its ends proven remote. Its fix no longer
    asks for another meeting point or other boundaries."""
    hh, g = _line(7, 93.0)
    d = UnitDelineator.from_rules(Rules(6, 10, max_walk_min=3.0), random_state=0).fit(hh, g)
    walk = next(p for p in d.problems_ if p.code == "WALK-LIMIT")
    en, zh = walk.fix("en"), walk.fix("zh")
    assert OLD_FIX_EN not in en and OLD_FIX_ZH not in zh
    assert en.startswith("neither redrawing the units nor another meeting point can mend it (proven): check_plan "
                         "proves it unavoidable too and passes it as an exception (WALK-EXCEPTION)"), en
    assert zh.startswith("改划院落或另选议事点都无法解决（已证明）：“check_plan” 也会证明它无法避免"), zh
    assert "max_walk_min=" in en and "max_walk_min=" in zh
    found = d.check(hh, g).violations  # as the fix says: check proves it and passes it
    assert set(found.loc[found["unit_id"] == "U001", "code"]) == {"WALK-EXCEPTION"}, found


def test_the_fix_follows_the_proof_on_the_command_line_and_in_python() -> None:
    base = {"why": "walk_limit", "beyond": 3, "meeting": "AD0437", "limit": 10.0, "worst": "14.8", "size": 25,
            "what": "households", "lo": 20, "hi": 50}

    def fix(params: dict[str, object], lang: Lang) -> str:  # a problem made from Python: fix_py's words
        p = problem("WALK-LIMIT", severity="warning", ids=["AD0437"], unit="U021", size=25,
                    what=both("delineate.what.households"), lo=20, hi=50, why={"zh": "", "en": ""},
                    then=fix_then(params))
        return p.fix(lang)

    unproven = fix(base | {"proof": "unproven"}, "en")
    assert unproven == ("a division keeping every household within 10 min may exist: delineate again with another "
                        "random_state=, or adjust the unit boundaries or meeting points here by hand so that every "
                        "household is within the limit."), unproven
    assert fix(base | {"proof": "unproven"}, "zh").startswith("可能存在让每户都在 10 分钟内的划分，可换一个 “random_state=”")
    remote = fix(base | {"proof": "remote"}, "en")
    assert remote.startswith("neither redrawing") and "random_state" not in remote and "by hand" not in remote
    # the command line's texts name its command and options (fix_then renders when the problem is made)
    from unittest.mock import patch

    with patch("yuanluo.gis.catalogue.on_command_line", return_value=True):
        cli_unproven, cli_remote = (fix_then(base | {"proof": k}) for k in ("unproven", "remote"))
    assert "(--seed)" in cli_unproven["en"] and "yuanluo edit" in cli_unproven["en"]
    assert "（--seed）" in cli_unproven["zh"] and "yuanluo edit" in cli_unproven["zh"]
    assert "yuanluo check proves it unavoidable too" in cli_remote["en"] and "(--roads)" in cli_remote["en"]
    assert "yuanluo check 也会证明它无法避免" in cli_remote["zh"] and "“max_walk_min”" in cli_remote["zh"]


def test_another_exception_beyond_the_limit_says_its_walk_is_proven() -> None:
    """The same row with no head candidate: a HEAD-SHORT unit, its ends beyond the limit and proven remote."""
    hh, g = _line(7, 93.0, head_candidate=[False] * 7)
    d = UnitDelineator.from_rules(Rules(6, 10, max_walk_min=3.0, require_head=True), random_state=0).fit(hh, g)
    (row,) = d.units_.to_dict("records")
    params = json.loads(row["reason_params"])
    assert row["code"] == "HEAD-SHORT" and params["walk_proof"] == "remote", row
    zh, en = (render_reason(row["code"], params, lang) for lang in ("zh", "en"))
    assert zh.endswith("另外，2 户到议事点 H3 的步行时间超过 3 分钟（最远 4.2 分钟）：编号 H0、H6；" + REMOTE_ZH), zh
    assert en.endswith("also, 2 households walk more than 3 min to the meeting point H3 (farthest 4.2 min): "
                       "ids H0, H6; " + REMOTE_EN), en
    assert row["reason"] == zh
    head = next(p for p in d.problems_ if p.code == "HEAD-SHORT")
    assert REMOTE_EN in head.message("en") and REMOTE_ZH in head.message("zh")
    found = d.check(hh, g).violations
    assert "WALK-EXCEPTION" in set(found["code"]), found  # check proves it as the reason says
    # a cell lacking what the proof names ({lo}) is shown as the file has it
    cut = {k: v for k, v in params.items() if k != "lo"}
    assert complete(params) and not complete(cut)
    t = pd.DataFrame({"code": ["HEAD-SHORT"], "reason": ["own"], "reason_params": [json.dumps(cut)]})
    assert reasons_in(t, "en").tolist() == ["own"]


def test_another_exception_beyond_the_limit_says_when_it_is_not_proven() -> None:
    """5 households 1.9 min apart, band 6–10: an isolated RULE-INFEASIBLE unit whose ends walk 3.7 min under a
    3-minute limit; no proof holds in an area that cannot fit the band, and check does not excuse it."""
    hh, g = _line(5, 125.0)
    d = UnitDelineator.from_rules(Rules(6, 10, max_walk_min=3.0), random_state=0).fit(hh, g)
    (row,) = d.units_.to_dict("records")
    params = json.loads(row["reason_params"])
    assert row["code"] == "RULE-INFEASIBLE" and params["walk_proof"] == "unproven", row
    zh, en = (render_reason(row["code"], params, lang) for lang in ("zh", "en"))
    assert zh.endswith("（最远 3.7 分钟）：编号 H0、H4；" + UNPROVEN_ZH), zh
    assert en.endswith("(farthest 3.7 min): ids H0, H4; " + UNPROVEN_EN), en
    assert "WALK-EXCEPTION" not in set(d.check(hh, g).violations["code"])
    old = {k: v for k, v in params.items() if k != "walk_proof"}  # a file written before: says neither
    assert "proven" not in render_reason(row["code"], old, "en") and "证明" not in render_reason(row["code"], old, "zh")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_on_the_sample_the_table_the_file_and_the_map_say_it(tmp_path: Path, lang: str) -> None:
    """Andorra, banan, a 4-minute limit: WALK-LIMIT units proven and not, each group with its own fix in the
    console's exceptions table; the 11-household island U012 (RULE-INFEASIBLE) beyond the limit too, not proven,
    in the table, the GeoPackage's reason and the map."""
    from typer.testing import CliRunner

    from yuanluo.planners.cli import app
    from yuanluo.planners.workflows import sample_paths

    p = sample_paths()
    rules = tmp_path / "rules.toml"
    rules.write_text('[rules]\npreset = "banan"\nmax_walk_min = 4.0\n', encoding="utf-8")
    out, html = tmp_path / "r.gpkg", tmp_path / "r.html"
    terrain = ["--dem", p["dem"], "--rivers", p["rivers"], "--water", p["water"], "--roads", p["roads"]]
    res = CliRunner().invoke(app, ["--lang", lang, "delineate", p["households"], *terrain, "--rules", str(rules),
                                   "-o", str(out), "--map", str(html)], env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    said = "".join(res.output.replace("│", " ").split())  # the console's table, its wrapped lines joined

    def says(words: str) -> bool:  # spaces aside: a line may wrap inside a Chinese word
        return words.replace(" ", "") in said
    units = gpd.read_file(out, layer="units").set_index("unit_id")
    walk = units[units["code"] == "WALK-LIMIT"]
    proofs = {json.loads(v)["proof"] for v in walk["reason_params"]}
    assert proofs == {"remote", "unproven"}
    island = units.loc["U012"]
    assert island["code"] == "RULE-INFEASIBLE" and json.loads(island["reason_params"])["walk_proof"] == "unproven"
    page = html.read_text(encoding="utf-8")
    if lang == "en":
        assert says("Fix: neither redrawing the units nor another meeting point can mend it (proven): yuanluo check")
        assert says("Fix: a division keeping every household within 4 min may exist: delineate again with another seed"
                    " (--seed), or adjust the unit boundaries or meeting points here by hand with yuanluo edit")
        assert not says(OLD_FIX_EN)
        tail = "(farthest 11.0 min): ids AD0082, AD0481; " + UNPROVEN_EN
    else:
        assert says("处理办法：改划院落或另选议事点都无法解决（已证明）：yuanluo check 也会证明它无法避免")
        assert says("处理办法：可能存在让每户都在 4 分钟内的划分，可换一个随机种子（--seed）重新划分，或用 yuanluo edit")
        assert not says(OLD_FIX_ZH)
        tail = "（最远 11.0 分钟）：编号 AD0082、AD0481；" + UNPROVEN_ZH
    assert island["reason"].endswith(tail), island["reason"]
    assert says(tail), said  # the table's line of U012
    assert tail in page
