"""Session 54, helper E (second round): a town's field and coverage maps carry their households compactly.

The households' integer arrays and ids (coordinates, unit index, status, the fields' codes, the ids ``H000001`` …)
were written as plain JSON lists below 20,000 households: a town of 10,000 carried 0.43 MB of them in a 1.11 MB
field map, to a phone over a slow line. From :data:`yuanluo.maps.interactive.COMPACT_LIMIT` (1,000) households
they travel run-length or difference coded and the ids as prefix and numbers (``Y.ints`` / ``Y.ids`` decode
them in the page, as they did above 20,000): 0.15 MB, the same data. The tests count the bytes and decode.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from browser import browser_unavailable_reason, live_page

from yuanluo.maps.interactive import make_map, render_html, save_map
from yuanluo.maps.sample import sample_layers

needs_chromium = pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))

N = 1500


@pytest.fixture(scope="module")
def layers() -> dict[str, Any]:
    return sample_layers(N, block=6, seed=11)


def _var(html: str, name: str) -> dict[str, Any]:
    m = re.search(rf"var {name} = (\{{.*?\}});\n", html)
    assert m, name
    return json.loads(m.group(1))


def _ints(x: Any) -> list[int]:
    """Y.ints of the page, in Python."""
    if isinstance(x, list):
        return x
    src = x.get("r") or x.get("zr")
    out = [v for k in range(0, len(src), 2) for v in [src[k]] * src[k + 1]] if src else list(x["z"])
    return np.cumsum(out).tolist() if ("z" in x or "zr" in x) else out


def _ids(h: Any) -> list[str]:
    return h if isinstance(h, list) else [h["p"] + str(v).zfill(h["w"]) for v in _ints(h["n"])]


def _bytes(v: Any) -> int:
    return len(json.dumps(v, separators=(",", ":"), ensure_ascii=False).encode())


def _plain(d: dict[str, Any]) -> dict[str, Any]:
    """The households payload with every array decoded, as the page holds it."""
    out = dict(d, hid=_ids(d["hid"]), dlat=_ints(d["dlat"]), dlon=_ints(d["dlon"]), u=_ints(d["u"]),
               st=_ints(d["st"]))
    out["extra"] = [dict(e, c=_ints(e["c"])) for e in d["extra"]]
    return out


ARRAYS = ("hid", "dlat", "dlon", "u", "st")


def test_a_town_field_maps_households_are_compact(layers: dict[str, Any]) -> None:
    d = _var(render_html(make_map(layers, fields=["persons"])), "D")
    hh = layers["households"]
    plain = _plain(d)
    assert plain["hid"] == list(hh.index)
    lat = plain["lat0"] + np.asarray(plain["dlat"]) * plain["q"]
    assert np.allclose(lat, hh.to_crs(4326).geometry.y.to_numpy(), atol=1e-6)
    sent = sum(_bytes(d[k]) for k in ARRAYS) + sum(_bytes(e["c"]) for e in d["extra"])
    decoded = sum(_bytes(plain[k]) for k in ARRAYS) + sum(_bytes(e["c"]) for e in plain["extra"])
    # 1,500 households: 45,409 bytes of plain lists; compact 16,970 (the ids 34 bytes instead of 13,501)
    assert _bytes(d["hid"]) < 100, d["hid"]
    assert sent < 0.45 * decoded, (sent, decoded)


def test_a_town_coverage_maps_households_are_compact() -> None:
    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.synth import make_village
    from yuanluo.maps.coverage import make_cover_map, render_cover_html
    from yuanluo.planners.cover import CoverPlan, output_layers, site

    v = make_village(1200, seed=1)
    g = build_graph(v.households, rivers=v.rivers, roads=v.roads)
    out = output_layers(site(v.households, g, CoverPlan(per_level={"village": 1}, limit_min=15.0)), "zh")
    html = render_cover_html(make_cover_map({**out, "rivers": v.rivers, "roads": v.roads}))
    d = _var(html, "D")
    assert _ids(d["hid"]) == out["households"]["hid"].astype(str).tolist()
    assert _bytes(d["hid"]) < 100, d["hid"]
    for k in ("h", "b", "r"):  # the nearest point, walking band and reason of each household
        assert not isinstance(d[k], list), (k, _bytes(d[k]))
    assert len(_ints(d["b"])) == len(_ints(d["h"])) == 1200


@pytest.mark.browser
@needs_chromium
def test_the_page_reads_the_compact_households_as_they_were(layers: dict[str, Any], tmp_path: Path) -> None:
    page = save_map(layers, tmp_path / "town.html", fields=["persons"])
    hh = layers["households"]
    assert isinstance(_var(page.read_text(encoding="utf-8"), "D")["hid"], dict)  # the page is a compact one
    placed = hh.index[hh["unit_id"].notna()]
    want = [placed[0], placed[len(placed) // 2], placed[-1]]
    with live_page(page, viewport=(360, 640), ready="!!(window.yuanluo && window.yuanluo.householdsDrawn)",
                   touch=True) as (p, errs):
        got = p.evaluate("""(ids) => { const Y = window.yuanluo, D = Y.households;
          return {n: D.hid.length, first: D.hid.slice(0, 3), drawn: Y.householdsDrawn,
                  cards: ids.map(h => { Y.find(h); const c = document.querySelector('.yl-card');
                    return c && !c.hidden ? c.textContent : null; })}; }""", want)
        assert not errs, errs
    assert got["n"] == got["drawn"] == N and got["first"] == list(hh.index[:3])
    for hid, card in zip(want, got["cards"], strict=True):
        assert card is not None and hid in card, (hid, card)
        unit = str(hh.loc[hid, "unit_id"])
        assert unit in card, (hid, unit, card)


def test_the_editors_edges_are_compact() -> None:
    """The editor's graph: each edge's far end ``v`` was a plain list (0.14 MB of a 10,000-household town's
    1.2 MB page); now compacted as ``u`` was, the same edges."""
    from editor_fixtures import synth_case

    from yuanluo.maps.editor import editor_payload

    case = synth_case()
    g = editor_payload(case.layers, case.labels, case.rules, case.graph)["g"]
    u, v = np.asarray(_ints(g["u"])), np.asarray(_ints(g["v"]))
    pos = {h: i for i, h in enumerate(case.layers["households"].index)}
    ids = np.asarray(case.graph.ids)
    a = np.array([pos[h] for h in ids[np.asarray(case.graph.u)]])
    b = np.array([pos[h] for h in ids[np.asarray(case.graph.v)]])
    want = sorted(zip(np.minimum(a, b).tolist(), np.maximum(a, b).tolist(), strict=True))
    assert list(zip(u.tolist(), v.tolist(), strict=True)) == want
    assert not isinstance(g["v"], list)
    assert _bytes(g["v"]) < 0.75 * _bytes(v.tolist()), (_bytes(g["v"]), _bytes(v.tolist()))
