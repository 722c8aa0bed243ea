"""Print maps drawn with less work and the same bytes (session 39, helper C): widths measured once
(:func:`yuanluo.maps.static.text_width`) and the key numbers' third pass not testing again the rings the pass before it
tested (:func:`yuanluo.maps.static.first_untried`). The bytes of whole sheets are compared by
``bench/bench_labels.py --print/--sheets`` (bench/results/labels.md); here the parts, on small cases."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from yuanluo.maps import static


def _crowd(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Three labels to number (20 x 8 px), each in a field of other units' anchors 6 px apart, labelled already on
    their anchors, out to 152 px across and 76 px up and down: every number within ten rings of its anchor covers
    one of them (a number may cover no anchor but its own), the one straight above it in the eleventh ring none;
    and the anchors, the placed centres (NaN for the three) and the label sizes."""
    rng = np.random.default_rng(seed)
    todo = rng.uniform([300, 250], [700, 550], size=(3, 2))
    gx, gy = np.meshgrid(np.arange(-152, 153, 6.0), np.arange(-76, 77, 6.0))
    field = np.unique(np.vstack([np.c_[gx.ravel(), gy.ravel()] + a for a in todo]) + 0.5, axis=0)
    anchors = np.vstack([todo, field])
    centres = np.vstack([np.full((3, 2), np.nan), field])
    return anchors, centres, np.tile([20.0, 8.0], (len(anchors), 1))


@pytest.mark.parametrize("seed", range(4))
def test_the_third_pass_places_as_before_without_the_rings_tried(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The key numbers' passes as the print map runs them (``_place_numbers``: ten rings then thirty, as strict, the
    same boxes blocked): the third pass, not testing the ten rings the second tested, places every number where
    testing them all places it; so does ``place_labels`` with the same boxes blocked."""
    frame, blocked = (0.0, 0.0, 1000.0, 800.0), np.empty((0, 4))
    passes = ((True, 10, blocked), (True, 30, blocked), (False, 30, blocked))
    seen: list[tuple[int, int, int]] = []  # per pass: rings tried before, labels, labels placed
    clear = static.place_clear

    def counted(*a: object, **k: object) -> np.ndarray:
        out = clear(*a, **k)  # type: ignore[arg-type]
        seen.append((int(k.get("tried", 0)), len(out), int((~np.isnan(out[:, 0])).sum())))  # type: ignore[call-overload]
        return out

    def numbers() -> tuple[np.ndarray, ...]:
        anchors, centres, wh = _crowd(seed)
        placed_wh = np.where(np.isnan(centres), 0.0, wh)
        boxes, numbered = static._place_numbers(anchors, centres, placed_wh, np.empty((0, 4)), wh[0], frame, passes)
        return centres, boxes, numbered

    monkeypatch.setattr(static, "place_clear", counted)
    now = numbers()
    assert seen == [(0, 3, 0), (10, 3, 3)], seen  # none within ten rings; all three further out
    monkeypatch.setattr(static, "first_untried", lambda tried: 0)  # every ring tested again
    every = numbers()
    for a, b in zip(now, every, strict=True):
        np.testing.assert_array_equal(a, b)
    monkeypatch.undo()
    # place_labels: the field's anchors as small boxes to avoid
    anchors, centres, wh = _crowd(seed)
    dots = np.c_[anchors[3:] - 0.5, anchors[3:] + 0.5]
    assert np.isnan(static.place_labels(wh[:3], anchors[:3], frame, dots, rings=10)).all()
    wide = static.place_labels(wh[:3], anchors[:3], frame, dots, rings=30)
    assert not np.isnan(wide).any()
    np.testing.assert_array_equal(static.place_labels(wh[:3], anchors[:3], frame, dots, rings=30, tried=10), wide)


def test_a_remembered_width_is_the_renderers_and_follows_the_font() -> None:
    """The width remembered is the renderer's own, by text, size, resolution and font: another font family (the
    rc of another sheet) or another resolution is measured anew, not given the width remembered."""
    texts = ["院落 20–50 户", "P003  光明村 二组 及另外 1 个村", "Walking coverage", "1", "11"]
    with rc_context(static.font_rc()):
        r = static._renderer(Figure(dpi=100))
        for s in texts:
            for size in (6.0, 8.0):
                prop = FontProperties(size=size)
                want = r.get_text_width_height_descent(s, prop, ismath=False)[0]
                assert static.text_width(r, s, prop) == want
                assert static.text_width(r, s, FontProperties(size=size)) == want  # remembered: the same number
        cjk = static.text_width(r, texts[0], FontProperties(size=8.0))
        hi = static._renderer(Figure(dpi=200))
        assert static.text_width(hi, texts[0], FontProperties(size=8.0)) == pytest.approx(2 * cjk, rel=0.02)
    with rc_context({"font.family": ["DejaVu Sans"]}):
        prop = FontProperties(size=8.0)
        other = r.get_text_width_height_descent(texts[0], prop, ismath=False)[0]
        assert other != cjk  # DejaVu has no Han: another width
        assert static.text_width(r, texts[0], prop) == other
