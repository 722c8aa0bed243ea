"""Session 55, helper E: the editor's walking minutes packed, the very same numbers.

The plan editor carries the directed walking minutes of every graph edge (``uv``, ``vu``): 64-bit under a walking
limit (the page's walking rule and the centres it measures to are the check's own comparisons of these numbers),
32-bit without one (they place the centre drawn for a unit without a meeting point). As base64 of the IEEE
numbers they were 0.31 of the 1.15 MB of a town of 10,000 households' page. They are now packed without losing a
bit (``maps.editor._walks``): each number's exponent an index into a table of those used, its fraction as it is;
``vu`` given as ``uv`` times Tobler's uphill/downhill ratio to within a few units in the last place where it is,
as ``uv`` where the two are equal. The town's arrays 312,576 → 216,928 bytes; the demo's 64-bit ones (an 8-minute
limit) 128,256 → 73,432.

The proof that no verdict changes: the page decodes exactly the numbers it had (bit for bit, checked in Chromium
against the graph's), so every sum and comparison it makes is the one it made before;
tests/test_editor_browser.py::test_live_rules_match_check_after_random_edits (its walking cases) still finds on
every unit, after random edits, what ``yuanluo check`` finds.
"""

from __future__ import annotations

import base64
import dataclasses
from pathlib import Path

import numpy as np
import pytest
from browser import browser_unavailable_reason, open_in_chromium
from editor_fixtures import sample_walk_case, synth_case

from yuanluo.maps.editor import _floats, _unwalks, _walks, editor_payload, render_editor


def _oriented(case, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """The minutes u → v and v → u of the page's edges (u < v as household positions, sorted), as the check reads
    them, rounded to ``bits``."""
    g = case.graph
    pos = np.asarray(case.households.index.astype(str).get_indexer(np.asarray(g.ids).astype(str)))
    u, v = pos[np.asarray(g.u)], pos[np.asarray(g.v)]
    keep = np.flatnonzero((u >= 0) & (v >= 0) & (u != v))
    a, b = np.minimum(u[keep], v[keep]), np.maximum(u[keep], v[keep])
    order = np.lexsort((b, a))
    swap = (u[keep] > v[keep])[order]
    wuv, wvu = np.asarray(g.walk_uv, dtype=float)[keep][order], np.asarray(g.walk_vu, dtype=float)[keep][order]
    t = np.float64 if bits == 64 else np.float32
    return np.where(swap, wvu, wuv).astype(t), np.where(swap, wuv, wvu).astype(t)


@pytest.mark.parametrize("make", [synth_case, sample_walk_case], ids=["synth", "sample-walk"])
@pytest.mark.parametrize("limit", [True, False], ids=["limit", "no-limit"])
def test_the_minutes_are_packed_without_a_bit_lost(make, limit: bool) -> None:
    case = make()
    # without a limit or the head rule (whose nearest candidate's minutes are the check's: s57) 32 bits do
    rules = case.rules if limit else dataclasses.replace(case.rules, max_walk_min=None, require_head=False)
    bits = 64 if limit else 32
    g = editor_payload(case.layers, case.labels, rules, case.graph)["g"]
    assert g["wbits"] == bits and "uv" not in g and "vu" not in g
    uv, vu = _unwalks(g["wk"], bits)
    want_uv, want_vu = _oriented(case, bits)
    assert uv.tobytes() == want_uv.tobytes() and vu.tobytes() == want_vu.tobytes()
    old = len(_floats(want_uv, bits)) + len(_floats(want_vu, bits))
    assert len(g["wk"]["s"]) < 0.8 * old, (len(g["wk"]["s"]), old)


def test_every_kind_of_edge_comes_back() -> None:
    """Equal both ways (flat, or no DEM), in the ratio within the residual, beyond it, zero, tiny and large."""
    r = np.exp(-0.35)
    uv = np.array([1.25, 0.0, 3.0, 3.0, 7e-7, 250.0, 0.5, 0.5])
    vu = np.array([1.25, 0.0, 3.0 * r, np.nextafter(3.0 * r, 9), 1e-3, 250.0 / r, 0.5 * r * (1 + 1e-9), 0.75])
    for bits, t in ((64, np.float64), (32, np.float32)):
        a, b = uv.astype(t), vu.astype(t)
        w = _walks(a, b, bits)
        assert w is not None
        x, y = _unwalks(w, bits)
        assert x.tobytes() == a.tobytes() and y.tobytes() == b.tobytes()
    assert _walks(np.array([1.0, -1.0]), np.array([1.0, 1.0]), 64) is None  # not a minute: shipped as before
    assert _walks(np.array([1.0, np.inf]), np.array([1.0, 1.0]), 64) is None


@pytest.mark.browser
@pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))
@pytest.mark.parametrize("limit", [True, False], ids=["limit", "no-limit"])
def test_the_page_reads_back_the_very_numbers(limit: bool, tmp_path: Path) -> None:
    case = sample_walk_case()
    # without a limit or the head rule (whose nearest candidate's minutes are the check's: s57) 32 bits do
    rules = case.rules if limit else dataclasses.replace(case.rules, max_walk_min=None, require_head=False)
    bits = 64 if limit else 32
    page = tmp_path / "editor.html"
    page.write_text(render_editor(editor_payload(case.layers, case.labels, rules, case.graph, graph_kind=case.kind)),
                    encoding="utf-8")
    b64 = ("(function(a) { var u = new Uint8Array(a.buffer), s = ''; for (var i = 0; i < u.length; i++) "
           "s += String.fromCharCode(u[i]); return btoa(s); })")
    rep = open_in_chromium(page, wait_for="window.yuanluo && window.yuanluo.editorPage", settle_ms=50,
                           evaluate={"uv": f"{b64}(window.yuanluo.editorPage.walks[0])",
                                     "vu": f"{b64}(window.yuanluo.editorPage.walks[1])"})
    assert rep.console_errors == [] and rep.csp_violations == []
    want_uv, want_vu = _oriented(case, bits)
    assert base64.b64decode(rep.counts["uv"]) == want_uv.tobytes()
    assert base64.b64decode(rep.counts["vu"]) == want_vu.tobytes()
