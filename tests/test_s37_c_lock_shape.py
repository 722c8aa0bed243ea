"""Session 37, fixer C: a HEAD-SHORT that a lock causes, proven by the shape of its area, names the lock.

Since d00c012 / eba77fe a HEAD-SHORT of a delineation around locked units says when the lock is its cause (console,
the units layer's reason, the map's unit card), but only where the area was short by count. Where the sub-problem
proved it short by its shape (:mod:`yuanluo.gis.delineate.headproof`, or the exact MILP) nothing named the lock,
though without it every unit could have had a candidate.

Fixture: 80 households in a row, band 15–25 (changshou), the plan's U1 (the 21st to the 40th) locked::

    0 ........ 19 | 20 ... U1 (locked) ... 39 | 40 .................. 79
       * (10)     |     * (25)   * (35)       |                * (70)  * (75)

Outside U1, the 40 households beyond it have two candidates, enough by count, both at the far end: the part
nearest U1 can reach none (proven, reach). Without the lock the 80 split 0–19 | 20–34 | 35–54 | 55–79, each with
a candidate. The control moves U1's candidates to its near end (20, 22): the whole row is then short by its own
shape (the third part, somewhere in 30–64, has none), lock or no lock.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from browser import open_in_chromium, require_browser  # tests/ is on sys.path under pytest
from shared_fixtures import chain, flat, run_cli

from yuanluo.gis.cluster import UnitDelineator
from yuanluo.gis.delineate.reasons import reasons_in, render_reason
from yuanluo.gis.lock import delineate_around

HAN = re.compile(r"[\u3400-\u9fff]")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
SHAPE = (10, 25, 35, 70, 75)  # the lock is why
OWN = (10, 20, 22, 70, 75)  # short by its own shape, lock or no lock
COUNT_BUT_SHAPE = (10, 20, 22, 24, 70)  # short by count outside U1; without the lock enough by count, not by shape
LOCK_ZH = ("原因在于锁定：不锁定院落 U1（其中有院落长候选人 2 名）时，所在连通片区共 80 户，可以划分为 15–25 的连通院落，"
           "每个院落都有院落长候选人")
LOCK_EN = ("the lock is why: without the lock on U1 (head candidates held: 2), its connected area would hold 80 "
           "households and have a contiguous split within 15–25 giving each unit a head candidate")
PROVEN_EN = "its connected area of 40 households has no contiguous split within 15–25 giving each unit a head candidate"


def _unit(i: int) -> str:
    return "U2" if i < 20 else "U1" if i < 40 else "U3" if i < 60 else "U4"


def _files(folder: Path, heads: tuple[int, ...]) -> tuple[Path, Path]:
    """The household CSV (80 in a row, 20 m apart) and the plan (U1 the 21st to the 40th, locked)."""
    hh, plan = folder / "hh.csv", folder / "plan.csv"
    n = 80
    pd.DataFrame({"hid": [f"H{i:03d}" for i in range(n)], "x": [3300000.0] * n,
                  "y": [500000.0 + 20.0 * i for i in range(n)],
                  "head_candidate": ["是" if i in heads else "否" for i in range(n)]}).to_csv(hh, index=False)
    pd.DataFrame({"户编号": [f"H{i:03d}" for i in range(n)], "院落编号": [_unit(i) for i in range(n)],
                  "锁定": ["是" if _unit(i) == "U1" else "" for i in range(n)]}).to_csv(plan, index=False)
    return hh, plan


def _delineate(folder: Path, heads: tuple[int, ...], lang: str) -> tuple[gpd.GeoDataFrame, str, Path]:
    hh, plan = _files(folder, heads)
    out = folder / f"out_{lang}.gpkg"
    console = run_cli(["--lang", lang, "delineate", str(hh), "--crs", "EPSG:4545", "--preset", "changshou", "--plan",
                       str(plan), "-o", str(out)], lang=lang)
    return gpd.read_file(out, layer="units").set_index("unit_id"), console, out


def _case(heads: tuple[int, ...]) -> tuple[gpd.GeoDataFrame, object, pd.Series]:
    hh, g = chain(head_candidate=[i in heads for i in range(80)])
    return hh, g, pd.Series([_unit(i) for i in range(80)], index=hh.index)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_delineate_names_the_lock_of_a_head_short_proven_by_shape(tmp_path: Path, lang: str) -> None:
    """``delineate --plan`` with U1 locked: U3, proven to have no head, says on the console and in its row of the
    units layer that the lock is why (the area of 80 has a split), and its fix asks first to unlock U1; the row's
    reason_params record it, so the other language says it too."""
    units, console, _ = _delineate(tmp_path, SHAPE, lang)
    row = units.loc["U3"]
    params = json.loads(row["reason_params"])
    assert row["code"] == "HEAD-SHORT" and params["why"] == "head_proven" and "shortfall" not in params
    assert units.loc["U1", "status"] == "locked"
    assert params["lock"] == {"units": ["U1"], "held": 2, "total": 80, "needed": 4, "candidates": 5, "lo": 15,
                              "hi": 25}
    reason = str(row["reason"])
    assert reason.endswith(("；" + LOCK_ZH) if lang == "zh" else ("; " + LOCK_EN)), reason
    text = flat(console)
    if lang == "zh":
        assert LOCK_ZH.replace(" ", "") in text
        assert "处理办法：解除院落U1的锁定（从--lock中去掉其编号，或清空方案表中其锁定列）" in text
        assert not re.search(r"[A-Za-z]{3,}", reason.replace("HEAD-SHORT", ""))
    else:
        assert LOCK_EN.replace(" ", "") in text
        assert "Fix:unlockU1(taketheidsoutof--lock,orclearthelockcellsintheplan)" in text
        assert HAN.search(reason) is None
    other = "en" if lang == "zh" else "zh"
    again = reasons_in(units.reset_index(), other)[list(units.index).index("U3")]
    assert again.endswith(LOCK_EN if other == "en" else LOCK_ZH), again


def test_from_python_the_row_and_the_finding_say_the_same() -> None:
    """delineate_around: the unlocked row gives every unit a head; locked, the HEAD-SHORT's finding and its row
    (units_ and exceptions_) give the same words, naming U1, and the fix names the Python keyword."""
    hh, g, plan = _case(SHAPE)
    free = UnitDelineator(15, 25, random_state=0).fit(hh, g)
    assert free.units_["has_head"].all()
    res = delineate_around(hh, g, plan, ["U1"], lambda: UnitDelineator(15, 25, random_state=0))
    (q,) = [p for p in res.model.problems_ if p.code == "HEAD-SHORT"]
    row = res.model.units_.set_index("unit_id").loc[q.params["unit"]]
    assert json.loads(row["reason_params"])["why"] == "head_proven"
    for lang in ("zh", "en"):
        assert q.params["why"][lang].endswith(LOCK_ZH if lang == "zh" else LOCK_EN)
        assert render_reason("HEAD-SHORT", row["reason_params"], lang).endswith(q.params["why"][lang])
    assert q.fix("en").startswith("take U1 out of locked and delineate again with delineate_around")
    exc = res.model.exceptions_.set_index("unit_id")
    assert exc.loc[q.params["unit"], "reason"] == row["reason"]


def test_larger_than_the_exact_search_the_plain_proof_and_a_found_split_decide() -> None:
    """With head_exact_max_n below both areas (40 outside U1, 80 without the lock) the delineator proves the 40
    short by the plain reasons and the lock's test finds the 80's split by the tree DP: the lock is named."""
    hh, g, plan = _case(SHAPE)
    res = delineate_around(hh, g, plan, ["U1"], lambda: UnitDelineator(15, 25, random_state=0, head_exact_max_n=30))
    (q,) = [p for p in res.model.problems_ if p.code == "HEAD-SHORT"]
    assert q.params["why"]["en"].endswith(LOCK_EN)


@pytest.mark.parametrize("heads", [OWN, COUNT_BUT_SHAPE], ids=["proven", "counted"])
def test_an_area_short_by_its_own_shape_names_no_lock(tmp_path: Path, heads: tuple[int, ...]) -> None:
    """The whole row is short by its shape without the lock too (its third part can hold no candidate): the
    HEAD-SHORT outside U1 names no lock, whether it was proven by shape there or short by count (the old code named
    U1 there: the 80 have 5 candidates, enough for 4 units, but not where the units must lie)."""
    hh, g, plan = _case(heads)
    free = UnitDelineator(15, 25, random_state=0).fit(hh, g)
    assert (free.units_["code"] == "HEAD-SHORT").any()  # short without the lock
    res = delineate_around(hh, g, plan, ["U1"], lambda: UnitDelineator(15, 25, random_state=0))
    short = [p for p in res.model.problems_ if p.code == "HEAD-SHORT"]
    assert short
    for q in short:
        assert "锁定" not in q.message("zh") and "lock" not in q.message("en")
        assert not q.fix("en").startswith("take U1")
    rows = res.model.units_[res.model.units_["code"] == "HEAD-SHORT"]
    assert not any("lock" in json.loads(p) for p in rows["reason_params"])
    if heads == OWN:  # the CLI's units layer too
        units, console, _ = _delineate(tmp_path, heads, "en")
        assert PROVEN_EN.replace(" ", "") in flat(console) and "thelockiswhy" not in flat(console)
        assert not units["reason"].astype(str).str.contains("lock").any()


def test_the_count_case_keeps_its_words() -> None:
    """Forty households in a row, candidates at the 6th and 19th, U1 (the first 20) locked: short by count
    outside U1, enough without the lock (a split exists): as in tests/test_s36_gf_lock_reason.py, no band."""
    hh, g = chain(head_candidate=[i in (5, 18) for i in range(40)])
    plan = pd.Series(["U1" if i < 20 else "U2" for i in range(40)], index=hh.index)
    res = delineate_around(hh, g, plan, ["U1"], lambda: UnitDelineator(15, 25, random_state=0))
    (q,) = [p for p in res.model.problems_ if p.code == "HEAD-SHORT"]
    row = res.model.units_.set_index("unit_id").loc[q.params["unit"]]
    assert json.loads(row["reason_params"])["lock"] == {"units": ["U1"], "held": 2, "total": 40, "needed": 2,
                                                        "candidates": 2}
    assert q.params["why"]["en"].endswith("needing 2 head candidates and having 2, enough")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_maps_unit_card_names_the_lock(tmp_path: Path, lang: str) -> None:
    """The offline map of the result (390 × 844): U3's card gives its reason with the lock as its cause."""
    require_browser()
    _, _, out = _delineate(tmp_path, SHAPE, "zh")  # written in Chinese, read in either language
    path = tmp_path / "m.html"
    run_cli(["--lang", lang, "map", str(out), "-o", str(path)], lang=lang)
    show = ("(() => { const s = window.yuanluo.showUnit('U3', true); "
            "return [...s.querySelectorAll('tr')].map(r => r.innerText); })()")
    rep = open_in_chromium(path, viewport=(390, 844), wait_for="window.yuanluo", settle_ms=300,
                           screenshot=ARTIFACTS / f"s37_c_lock_shape_card_{lang}.png", evaluate={"card": show})
    assert not rep.console_errors and not rep.csp_violations and not rep.external_requests
    card = re.sub(r"\s+", " ", " ".join(str(r) for r in rep.counts["card"]))
    assert (LOCK_ZH if lang == "zh" else LOCK_EN) in card, card


@pytest.fixture(autouse=True)
def _no_lang_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("YUANLUO_LANG", raising=False)
