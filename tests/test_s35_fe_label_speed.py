"""The print map's label placing made quicker must place every label where the plain way did: ``place_clear`` tests a
label's candidates a batch at a time and stops at the first that passes, where it tested every candidate against every
line one call at a time (a town of 1,341 units: its key numbers took 24 s), and the key measures each grid square's
text once, where it measured it for every entry at every font size tried (13.6 s). The plain ways are kept here as
they were, as the reference; the work done is counted, not timed."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib import rc_context
from matplotlib.figure import Figure

from yuanluo.gis.catalogue import text
from yuanluo.maps import static


def _cross_plain(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    if not len(q) or not len(p):
        return np.zeros(len(p), dtype=bool)
    a, b = p[:, None, :2], p[:, None, 2:]
    c, d = q[None, :, :2], q[None, :, 2:]

    def cross(o: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        return np.asarray((u[..., 0] - o[..., 0]) * (v[..., 1] - o[..., 1])
                          - (u[..., 1] - o[..., 1]) * (v[..., 0] - o[..., 0]))

    hit = (cross(a, b, c) * cross(a, b, d) < 0) & (cross(c, d, a) * cross(c, d, b) < 0)
    return np.asarray(hit.any(axis=1), dtype=bool)


def _meet_plain(p: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    if not len(boxes) or not len(p):
        return np.zeros(len(p), dtype=bool)
    o, d = p[:, None, :2], p[:, None, 2:] - p[:, None, :2]
    lo, hi = boxes[None, :, :2], boxes[None, :, 2:]
    with np.errstate(divide="ignore", invalid="ignore"):
        t_lo, t_hi = (lo - o) / d, (hi - o) / d
    still = d == 0
    inside = (o > lo) & (o < hi)
    t0 = np.where(still, np.where(inside, -np.inf, np.inf), np.minimum(t_lo, t_hi)).max(axis=2)
    t1 = np.where(still, np.where(inside, np.inf, -np.inf), np.maximum(t_lo, t_hi)).min(axis=2)
    return np.asarray((np.maximum(t0, 0.0) < np.minimum(t1, 1.0)).any(axis=1), dtype=bool)


def _place_clear_plain(boxes_wh: np.ndarray, anchors: np.ndarray, frame: tuple[float, float, float, float],
                       avoid: np.ndarray, *, rings: int, segments: np.ndarray, points: np.ndarray,
                       strict: bool = True) -> np.ndarray:
    """place_clear as it was before session 35: every candidate of a label tested, the first that passes taken."""
    boxes_wh = np.asarray(boxes_wh, dtype=float).reshape(-1, 2)
    out = np.full((len(anchors), 2), np.nan)
    if not len(out):
        return out
    avoid = np.asarray(avoid, dtype=float).reshape(-1, 4)
    placed_all = avoid.copy()
    segs = [np.asarray(segments, dtype=float).reshape(-1, 4)]
    placed = [avoid]
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    for i, ((w, h), a) in enumerate(zip(boxes_wh, anchors, strict=True)):
        c = static._candidates(w, h, rings) + a
        bx = np.c_[c[:, 0] - w / 2, c[:, 1] - h / 2, c[:, 0] + w / 2, c[:, 1] + h / 2]
        idx = np.flatnonzero(static.free_boxes(bx, frame, placed_all))  # every box tried, no grid
        if not len(idx):
            continue
        reach = np.r_[np.minimum(bx[idx, :2].min(axis=0), a), np.maximum(bx[idx, 2:].max(axis=0), a)]
        s = np.vstack(segs)
        s = s[(np.minimum(s[:, 0], s[:, 2]) <= reach[2]) & (np.maximum(s[:, 0], s[:, 2]) >= reach[0])
              & (np.minimum(s[:, 1], s[:, 3]) <= reach[3]) & (np.maximum(s[:, 1], s[:, 3]) >= reach[1])]
        b = np.vstack(placed)
        b = b[(b[:, 0] <= reach[2]) & (b[:, 2] >= reach[0]) & (b[:, 1] <= reach[3]) & (b[:, 3] >= reach[1])]
        p = pts[(pts[:, 0] >= reach[0]) & (pts[:, 0] <= reach[2]) & (pts[:, 1] >= reach[1]) & (pts[:, 1] <= reach[3])
                & ~np.all(np.isclose(pts, a), axis=1)]
        cand = bx[idx]
        clear = ~((p[None, :, 0] > cand[:, None, 0]) & (p[None, :, 0] < cand[:, None, 2])
                  & (p[None, :, 1] > cand[:, None, 1]) & (p[None, :, 1] < cand[:, None, 3])).any(axis=1)
        if not strict:
            clear[:] = True
        for k in np.flatnonzero(clear if strict else []):
            clear[k] = not _meet_plain(s, cand[k:k + 1]).any() if len(s) else True
        lead = static.leader_segments(np.tile(a, (len(cand), 1)), c[idx], np.tile([w, h], (len(cand), 1)))
        moved = ~np.isnan(lead[:, 0])
        shrink = b + np.array([1.0, 1.0, -1.0, -1.0])
        bad = np.zeros(len(cand), dtype=bool)
        bad[moved] = _cross_plain(lead[moved], s)
        if strict:
            bad[moved] |= _meet_plain(lead[moved], shrink)
        good = np.flatnonzero(clear & ~bad)
        if not len(good):
            continue
        k = idx[good[0]]
        out[i] = c[k]
        placed_all = np.vstack([placed_all, bx[k:k + 1]])
        placed.append(bx[k:k + 1])
        if moved[good[0]]:
            segs.append(lead[good[0]:good[0] + 1])
    return out


def _case(seed: int, grid: bool) -> dict:
    """Labels, boxes to avoid, lines drawn and anchors on a 400 x 300 frame; on whole pixels with ``grid`` (lines
    along the axes and through anchors: ties and touching edges)."""
    rng = np.random.default_rng(seed)
    n = 320
    anchors = rng.uniform(0, 400, size=(n, 2)) * (1, 0.75)
    wh = rng.uniform(6, 24, size=(n, 2))
    avoid = np.c_[rng.uniform(0, 400, size=(25, 2)) * (1, 0.75), np.zeros((25, 2))]
    avoid[:, 2:] = avoid[:, :2] + rng.uniform(2, 40, size=(25, 2))
    ends = rng.uniform(0, 400, size=(60, 2)) * (1, 0.75)
    segs = np.c_[ends, ends + rng.uniform(-80, 80, size=(60, 2))]
    if grid:
        anchors, wh, avoid, segs = (np.asarray(np.round(x), dtype=float) for x in (anchors, wh, avoid, segs))
        segs[:20, 3] = segs[:20, 1]  # horizontal
        segs[20:40, 2] = segs[20:40, 0]  # vertical
        segs[40:50, :2] = anchors[:10]  # from an anchor
    return {"boxes_wh": wh, "anchors": anchors, "frame": (0.0, 0.0, 400.0, 300.0), "avoid": avoid,
            "segments": segs, "points": anchors}


@pytest.mark.parametrize("strict", [True, False])
@pytest.mark.parametrize("grid", [False, True])
@pytest.mark.parametrize("seed,rings", [(0, 3), (1, 6), (2, 10), (3, 30)])
def test_place_clear_places_every_label_where_the_plain_way_did(seed: int, rings: int, grid: bool, strict: bool):
    case = _case(seed, grid)
    want = _place_clear_plain(**case, rings=rings, strict=strict)
    got = static.place_clear(**case, rings=rings, strict=strict)
    np.testing.assert_array_equal(got, want)
    shown = ~np.isnan(want[:, 0])
    assert shown.sum() >= 20 and (~shown).sum() >= 5  # some placed, some with no place
    moved = shown & ~np.all(want == case["anchors"], axis=1)
    assert moved.sum() >= 10  # and some moved aside on a leader line, whose lines are tested


def test_place_clear_tests_no_candidate_after_the_one_it_takes(monkeypatch):
    """A label free on its anchor among 200 lines nearby: the lines are tested against that one place, not against
    each of its 481 candidates (the plain way: 481 x 200 tests, one call per candidate)."""
    pairs = []

    def count(name):  # noqa: ANN001, ANN202
        f = getattr(static, name)

        def counted(p, boxes):  # noqa: ANN001, ANN202
            pairs.append(len(p) * len(boxes))
            return f(p, boxes)
        monkeypatch.setattr(static, name, counted)

    count("_meet_pairs")
    rng = np.random.default_rng(5)
    y = rng.uniform(0, 300, size=200)
    segs = np.c_[np.full(200, 10.0), y, np.full(200, 390.0), y + rng.uniform(-5, 5, size=200)]
    segs = segs[np.abs(segs[:, 1] - 150) > 8]  # none across the label on its anchor
    c = static.place_clear(np.array([[10.0, 6.0]]), np.array([[200.0, 150.0]]), (0, 0, 400, 300), np.empty((0, 4)),
                           rings=30, segments=segs, points=np.empty((0, 2)))
    assert c.tolist() == [[200.0, 150.0]]
    assert 0 < sum(pairs) <= len(segs)


def _fig() -> Figure:
    return Figure(figsize=(11.69, 8.27), dpi=100)


def _key_grid_plain(fig: Figure, key, f: float, width: float, height: float, renderer, lang: str):  # noqa: ANN001, ANN202
    """_key_grid as it was: every entry's grid squares measured."""
    fw, fh = fig.bbox.width, fig.bbox.height
    px = f * fig.dpi / 72.0
    digits = "8" * len(str(max(k[0] for k in key)))
    longest = max((k[1] for k in key), key=len)
    nw = static._fig_text_width(fig, renderer, digits, f) + 0.8 * px
    sw = max(static._fig_text_width(fig, renderer, k[3] or text(static.OFF_MAP, lang), f) for k in key)
    iw = min(static._fig_text_width(fig, renderer, longest, f),
             max(width * fw - (nw + 0.5 * px + 0.7 * px + sw + 1.2 * px), 4 * px))
    cell = (nw + 0.5 * px + iw + 0.7 * px + sw + 1.2 * px) / fw
    line = 1.75 * px / fh
    return static._KeyGrid(nw, iw, px, cell, line, max(int(width // cell), 1), max(int(height // line), 0))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_key_measures_each_grid_square_once_and_lays_out_as_before(monkeypatch, lang: str):
    squares = ["A1", "B7", "C4、D5、E6", "H2", ""]  # "": a unit left off the map
    key = [(i + 1, f"V{i % 7:02d}-U{i:04d}", 20, squares[i % len(squares)]) for i in range(1500)]
    calls = []
    measure = static._fig_text_width

    def counted(fig, renderer, s, fontsize):  # noqa: ANN001, ANN202
        calls.append(s)
        return measure(fig, renderer, s, fontsize)

    with rc_context(static.font_rc()):
        fig = _fig()
        r = static._renderer(fig)
        for f in static.KEY_FONTS:
            want = _key_grid_plain(fig, key, f, 0.2, 0.6, r, lang)
            monkeypatch.setattr(static, "_fig_text_width", counted)
            calls.clear()
            got = static._key_grid(fig, key, f, 0.2, 0.6, r, lang=lang)
            monkeypatch.setattr(static, "_fig_text_width", measure)
            assert got == want
            assert len(calls) <= len(squares) + 2  # the number, each square's text once, the longest id
